#include "rectify/io/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>

#include "csv_text.hpp"
#include "rectify/core/error.hpp"

namespace rectify::io {
namespace {

using detail::at;
using detail::shown;
using detail::trim;

constexpr std::size_t npos = std::string_view::npos;
constexpr double missing = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Cells

enum class cell { ok, bad, out_of_range };

cell parse_cell(std::string_view s, double& out) noexcept {
  if (s.empty()) {
    out = missing;
    return cell::ok;
  }
  if (s == "true" || s == "TRUE" || s == "True") {
    out = 1.0;
    return cell::ok;
  }
  if (s == "false" || s == "FALSE" || s == "False") {
    out = 0.0;
    return cell::ok;
  }
  const char* b = s.data();
  const char* e = b + s.size();
  if (*b == '+') ++b;  // from_chars takes '-' but not '+'
  // from_chars would also take "inf", "nan" and "infinity": insist on a digit or a point.
  const char* d = (b != e && *b == '-' && b == s.data()) ? b + 1 : b;
  if (d == e || !((*d >= '0' && *d <= '9') || *d == '.')) return cell::bad;
  const auto [p, ec] = std::from_chars(b, e, out, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) return cell::out_of_range;
  if (ec != std::errc() || p != e) return cell::bad;
  return cell::ok;
}

// Remembers the unit ids seen so far (as indices into the vector that stores them) to find
// duplicates. Open addressing over (hash, index) slots: no allocation per unit and usually one
// cache miss per lookup, which matters on files with hundreds of thousands of units. A slot is
// 32 bits of hash and a 32-bit index (8 bytes: 10 million units take 256 MiB of slots, not 512).
class unit_index {
 public:
  /// More units do not fit a slot's index (nor can the scorer rank them: engine.cpp).
  static constexpr std::size_t max_units = std::numeric_limits<std::uint32_t>::max() - 1;

  void reserve(std::size_t n) {
    std::size_t capacity = 16;
    while (capacity < 2 * n) capacity *= 2;
    if (capacity > slots_.size()) rehash(capacity);
  }

  /// Records `units[i]`, or returns the index of the earlier unit with the same id.
  /// The caller keeps `i` <= `max_units`.
  std::size_t insert(const std::vector<std::string>& units, std::size_t i) {
    if (2 * (size_ + 1) > slots_.size()) rehash(std::max<std::size_t>(16, 2 * slots_.size()));
    const std::size_t full = std::hash<std::string_view>{}(units[i]);
    const auto h = static_cast<std::uint32_t>(full ^ (full >> 32));
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t pos = h & mask;; pos = (pos + 1) & mask) {
      slot& s = slots_[pos];
      if (s.index == empty) {
        s = slot{h, static_cast<std::uint32_t>(i)};
        ++size_;
        return npos;
      }
      if (s.hash == h && units[s.index] == units[i]) return s.index;
    }
  }

 private:
  static constexpr std::uint32_t empty = std::numeric_limits<std::uint32_t>::max();
  struct slot {
    std::uint32_t hash = 0;
    std::uint32_t index = empty;
  };

  void rehash(std::size_t capacity) {
    std::vector<slot> old(capacity);
    old.swap(slots_);
    const std::size_t mask = capacity - 1;
    for (const slot& s : old) {
      if (s.index == empty) continue;
      std::size_t pos = s.hash & mask;
      while (slots_[pos].index != empty) pos = (pos + 1) & mask;
      slots_[pos] = s;
    }
  }

  std::vector<slot> slots_;
  std::size_t size_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The sink that builds the table. The first record is the header. Within a record the first
// problem waits until the record ends, so that a record with the wrong number of fields is
// reported as that (its cells are misaligned, so their errors would mislead).

class units_sink {
 public:
  /// `lines`: the text's lines that hold something (an upper bound of the records, but for
  /// lines inside quoted fields and lines of blanks); `bytes`: the text's size.
  units_sink(std::string_view source, std::size_t lines, std::size_t bytes)
      : source_(source), lines_(lines), bytes_(bytes) {}

  bool field(std::string_view raw, std::size_t line, std::size_t column) {
    const std::string_view text = trim(raw);
    if (in_header_) {
      names_.emplace_back(text);
      name_lines_.push_back(line);
      return true;
    }
    const std::size_t index = column - 1;
    if (index == 0) values_.resize(values_.size() + inputs_, missing);
    if (index >= width_ || pending_) return true;
    if (index == unit_field_) {
      if (text.empty()) {
        pending_ = problem{"rectify.data.empty_unit", "", "the unit id is empty", at(source_, line, column)};
        return true;
      }
      if (units_.size() >= unit_index::max_units) {
        error = problem{"rectify.data.too_large", "",
                        "more than " + std::to_string(unit_index::max_units) + " units in one file",
                        at(source_, line, column)};
        return false;
      }
      units_.emplace_back(text);
      if (const auto first = seen_.insert(units_, units_.size() - 1); first != npos)
        pending_ =
            problem{"rectify.data.duplicate_unit", "",
                    "unit " + quoted(text) + " appears twice (first at line " + std::to_string(row_lines_[first]) + ")",
                    at(source_, line, column)};
      return true;
    }
    const std::size_t input = input_of_field_[index];
    double value = 0;
    switch (parse_cell(text, value)) {
      case cell::ok:
        values_[row_lines_.size() * inputs_ + input] = value;
        break;
      case cell::out_of_range:
        pending_ =
            problem{"rectify.data.bad_cell", "",
                    "column " + quoted(columns_[input]) + ": " + shown(text) + " is out of the range of a double",
                    at(source_, line, column)};
        break;
      case cell::bad:
        pending_ = problem{
            "rectify.data.bad_cell", "",
            "column " + quoted(columns_[input]) + ": " + shown(text) + " is not a number, true/false or empty" +
                (text.find(',') != npos ? " (write numbers without thousands separators and with a decimal point)"
                                        : ""),
            at(source_, line, column)};
        break;
    }
    return true;
  }

  bool row(std::size_t line, std::size_t count) {
    if (in_header_) return header_done(line);
    if (count != width_) {
      error = problem{"rectify.data.ragged", "",
                      "the row has " + std::to_string(count) + " fields but the header has " + std::to_string(width_) +
                          (count > width_ ? " (a comma inside a cell? put the cell in double quotes)" : ""),
                      at(source_, line)};
      return false;
    }
    if (pending_) {
      error = std::move(pending_);
      return false;
    }
    row_lines_.push_back(line);
    return true;
  }

  [[nodiscard]] bool has_header() const noexcept { return !in_header_; }

  table take() && {
    seen_ = unit_index();  // not needed any more: free it before the values are copied
    table t;
    const auto rows = static_cast<Eigen::Index>(units_.size());
    const auto cols = static_cast<Eigen::Index>(inputs_);
    using row_major = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    t.values = Eigen::Map<const row_major>(values_.data(), rows, cols);
    t.units = std::move(units_);
    t.columns = std::move(columns_);
    t.provenance.source = std::string(source_);
    t.provenance.row_lines = std::move(row_lines_);
    t.provenance.column_numbers = std::move(column_numbers_);
    return t;
  }

  std::optional<problem> error;

 private:
  bool header_done(std::size_t line) {
    in_header_ = false;
    width_ = names_.size();
    std::unordered_map<std::string_view, std::size_t> first;
    first.reserve(width_);
    unit_field_ = npos;
    for (std::size_t j = 0; j < width_; ++j) {
      const auto where = at(source_, name_lines_[j], j + 1);
      if (names_[j].empty()) {
        error = problem{"rectify.data.duplicate_column", "", "column " + std::to_string(j + 1) + " has an empty name",
                        where};
        return false;
      }
      const auto [it, inserted] = first.emplace(names_[j], j);
      if (!inserted) {
        error = problem{"rectify.data.duplicate_column", "",
                        "column " + quoted(names_[j]) + " appears twice (columns " + std::to_string(it->second + 1) +
                            " and " + std::to_string(j + 1) + ")",
                        where};
        return false;
      }
      if (names_[j] == "unit") unit_field_ = j;
    }
    if (unit_field_ == npos) {
      error = problem{"rectify.data.no_unit_column", "", no_unit_message(), at(source_, line)};
      return false;
    }
    inputs_ = width_ - 1;
    input_of_field_.assign(width_, npos);
    columns_.reserve(inputs_);
    column_numbers_.reserve(inputs_);
    for (std::size_t j = 0; j < width_; ++j) {
      if (j == unit_field_) continue;
      input_of_field_[j] = columns_.size();
      columns_.push_back(std::move(names_[j]));
      column_numbers_.push_back(j + 1);
    }
    // A record takes at least width_ + 1 bytes (a unit id, the commas, a line break): with that
    // bound a file of blank lines, or a quoted cell of a million line breaks, cannot make the
    // reader reserve (and the index fill) memory for records that are not there.
    const std::size_t expected = std::min(lines_, bytes_ / (width_ + 1) + 1);
    units_.reserve(expected);
    row_lines_.reserve(expected);
    values_.reserve(expected * inputs_);
    seen_.reserve(expected);
    return true;
  }

  std::string no_unit_message() const {
    std::string msg = "the header has no column named \"unit\" for the unit ids; ";
    for (const auto& name : names_) {
      std::string lower = name;
      for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (lower == "unit" || lower == "units" || name == "单位") return msg + "rename " + quoted(name) + " to \"unit\"";
    }
    msg += "its columns are ";
    constexpr std::size_t listed = 8;
    for (std::size_t j = 0; j < names_.size() && j < listed; ++j) msg += (j == 0 ? "" : ", ") + shown(names_[j]);
    if (names_.size() > listed) msg += ", ...";
    return msg;
  }

  std::string_view source_;
  std::size_t lines_;
  std::size_t bytes_;
  bool in_header_ = true;
  std::vector<std::string> names_;
  std::vector<std::size_t> name_lines_;
  std::size_t width_ = 0;
  std::size_t unit_field_ = npos;
  std::size_t inputs_ = 0;
  std::vector<std::size_t> input_of_field_;  // field index -> input index (npos for the unit)
  std::vector<std::string> columns_;
  std::vector<std::size_t> column_numbers_;
  std::vector<std::string> units_;
  std::vector<std::size_t> row_lines_;
  std::vector<double> values_;  // row-major, inputs_ per record
  unit_index seen_;
  std::optional<problem> pending_;
};

}  // namespace

table read_units_csv(std::string_view bytes, std::string_view source, const csv_options& options) {
  std::string storage;
  const std::string_view text = detail::decode_csv(bytes, source, options, storage);
  // Lines that hold something: a line break not followed by another (nor by the end).
  std::size_t lines = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if ((text[i] == '\n' || text[i] == '\r') && i + 1 < text.size() && text[i + 1] != '\n' && text[i + 1] != '\r')
      ++lines;
  units_sink sink(source, lines + 1, text.size());
  detail::tokenize(text, source, sink);
  if (!sink.has_header())
    raise("rectify.data.empty", "", "the file is empty: expected a header row with a \"unit\" column",
          std::string(source));
  return std::move(sink).take();
}

table read_units_csv_file(const std::string& path, const csv_options& options) {
  return read_units_csv(detail::read_csv_bytes(path), path, options);
}

std::size_t find_invalid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    while (i + 8 <= n) {  // ASCII runs, a word at a time
      std::uint64_t w;
      std::memcpy(&w, p + i, sizeof w);
      if ((w & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return npos;
}

}  // namespace rectify::io
