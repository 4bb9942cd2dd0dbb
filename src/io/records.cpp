#include "rectify/io/records.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "csv_text.hpp"
#include "rectify/core/error.hpp"

namespace rectify::io {

namespace {

constexpr std::size_t text_limit = std::numeric_limits<std::uint32_t>::max();

[[noreturn]] void raise_too_large(const std::string& source) {
  raise("rectify.data.too_large", "", "the fields hold more than 4 GiB of text", source);
}

}  // namespace

text_table::text_table(std::string source, std::vector<std::string> header)
    : source_(std::move(source)), header_(std::move(header)), in_memory_(true) {}

void text_table::add_row(std::span<const std::string_view> fields, std::size_t line) {
  if (fields.size() != header_.size()) {
    std::string msg = "text_table::add_row: ";  // += rather than "literal" + string: GCC 12 -Wrestrict
    msg += std::to_string(fields.size());
    msg += " fields for ";
    msg += std::to_string(header_.size());
    msg += " columns";
    throw std::invalid_argument(msg);
  }
  // Checked before anything is appended, so that a refused row leaves the table as it was.
  std::size_t total = text_.size();
  for (const auto f : fields) {
    total += f.size();
    if (total > text_limit) raise_too_large(source_);
  }
  for (const auto f : fields) {
    text_.append(f);
    ends_.push_back(static_cast<std::uint32_t>(text_.size()));
  }
  lines_.push_back(line);
}

std::string_view text_table::field(std::size_t row, std::size_t column) const noexcept {
  const std::size_t k = row * header_.size() + column;
  const std::size_t begin = k == 0 ? 0 : ends_[k - 1];
  return std::string_view(text_).substr(begin, ends_[k] - begin);
}

std::ptrdiff_t text_table::find(std::string_view name) const noexcept {
  for (std::size_t j = 0; j < header_.size(); ++j)
    if (header_[j] == name) return static_cast<std::ptrdiff_t>(j);
  return -1;
}

std::string text_table::place(std::size_t row, std::ptrdiff_t column) const {
  std::string where = source_;
  if (in_memory_ || row >= lines_.size() || lines_[row] == 0) {
    where += ":row ";
    where += std::to_string(row);  // 0-based: a DataFrame's position (iloc), as MCDA messages count
    if (column >= 0 && static_cast<std::size_t>(column) < header_.size()) {
      where += ':';
      where += header_[static_cast<std::size_t>(column)];
    }
    return where;
  }
  std::size_t line = lines_[row];
  if (column >= 0 && static_cast<std::size_t>(column) < header_.size()) {
    // A record whose quoted fields span lines keeps, per field, how far below the record's
    // first line the field starts.
    const auto it = std::lower_bound(spans_.begin(), spans_.end(), row);
    if (it != spans_.end() && *it == row) {
      const auto k = static_cast<std::size_t>(it - spans_.begin()) * header_.size();
      line += shift_[k + static_cast<std::size_t>(column)];
    }
  }
  where += ':';
  where += std::to_string(line);
  if (column >= 0) {
    where += ':';
    where += std::to_string(column + 1);
  }
  return where;
}

// ---------------------------------------------------------------------------------------------
// Reading a file: the tokenizer's sink, filling the table's buffers directly (one append per
// field, no string per field).

struct text_table_builder {
  /// `expected_rows` and `text_size` are upper bounds of the records and of their text, so that
  /// the buffers are allocated once.
  text_table_builder(text_table& t, std::string_view source, std::size_t expected_rows, std::size_t text_size)
      : table(t), expected_rows_(expected_rows), text_size_(text_size) {
    table.source_ = std::string(source);
  }

  text_table& table;
  std::optional<problem> error;

  [[nodiscard]] bool has_header() const noexcept { return !in_header_; }

  bool field(std::string_view raw, std::size_t line, std::size_t column) {
    const std::string_view text = detail::trim(raw);
    if (in_header_) {
      table.header_.emplace_back(text);
      name_lines_.push_back(line);
      return true;
    }
    const std::size_t index = column - 1;
    if (index >= width_) return true;  // a ragged record: reported when it ends
    if (text.size() > text_limit - table.text_.size()) {
      error = problem{"rectify.data.too_large", "", "the fields hold more than 4 GiB of text", table.source_};
      return false;
    }
    table.text_.append(text);
    table.ends_.push_back(static_cast<std::uint32_t>(table.text_.size()));
    field_lines_[index] = line;
    // The first field starts on the record's line; a later one elsewhere follows a quoted field
    // that spans lines.
    if (index > 0 && line != field_lines_[0]) spans_ = true;
    return true;
  }

  bool row(std::size_t line, std::size_t count) {
    if (in_header_) return header_done();
    if (count != width_) {
      error = problem{"rectify.data.ragged", "",
                      "the row has " + std::to_string(count) + " fields but the header has " + std::to_string(width_) +
                          (count > width_ ? " (a comma inside a cell? put the cell in double quotes)" : ""),
                      detail::at(table.source_, line)};
      return false;
    }
    if (spans_) {
      table.spans_.push_back(table.lines_.size());
      for (const std::size_t l : field_lines_) table.shift_.push_back(static_cast<std::uint32_t>(l - line));
      spans_ = false;
    }
    table.lines_.push_back(line);
    return true;
  }

 private:
  bool header_done() {
    in_header_ = false;
    const auto& names = table.header_;
    width_ = names.size();
    std::unordered_map<std::string_view, std::size_t> first;
    first.reserve(width_);
    for (std::size_t j = 0; j < width_; ++j) {
      const auto where = detail::at(table.source_, name_lines_[j], j + 1);
      if (names[j].empty()) {
        error = problem{"rectify.data.duplicate_column", "", "column " + std::to_string(j + 1) + " has an empty name",
                        where};
        return false;
      }
      const auto [it, inserted] = first.emplace(names[j], j);
      if (!inserted) {
        error = problem{"rectify.data.duplicate_column", "",
                        "column " + quoted(names[j]) + " appears twice (columns " + std::to_string(it->second + 1) +
                            " and " + std::to_string(j + 1) + ")",
                        where};
        return false;
      }
    }
    field_lines_.assign(width_, 0);
    table.text_.reserve(std::min(text_size_, text_limit));
    table.ends_.reserve(expected_rows_ * width_);
    table.lines_.reserve(expected_rows_);
    return true;
  }

  std::size_t expected_rows_;
  std::size_t text_size_;
  bool in_header_ = true;
  std::vector<std::size_t> name_lines_;
  std::size_t width_ = 0;
  std::vector<std::size_t> field_lines_;  // of the current record
  bool spans_ = false;                    // the current record's fields do not all start on its line
};

text_table read_text_csv(std::string_view bytes, std::string_view source, const csv_options& options) {
  std::string storage;
  const std::string_view text = detail::decode_csv(bytes, source, options, storage);
  text_table t;
  // Records end in a line break except perhaps the last: one more than the breaks is a bound.
  text_table_builder sink(t, source, static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1,
                          text.size());
  detail::tokenize(text, source, sink);
  if (!sink.has_header())
    raise("rectify.data.empty", "", "the file is empty: expected a header row naming the columns", std::string(source));
  return t;
}

text_table read_text_csv_file(const std::string& path, const csv_options& options) {
  return read_text_csv(detail::read_csv_bytes(path), path, options);
}

}  // namespace rectify::io
