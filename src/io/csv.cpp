#include "rectify/io/csv.hpp"

#include <csv.h>
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <unordered_map>
#include <utility>

#include "rectify/core/error.hpp"

namespace rectify::io {
namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
constexpr double missing = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Small text helpers

std::string at(std::string_view source, std::size_t line, std::size_t column = 0) {
  std::string s(source);
  s += ':';
  s += std::to_string(line);
  if (column != 0) {
    s += ':';
    s += std::to_string(column);
  }
  return s;
}

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned>(c));
  return buf;
}

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// A cell as a message shows it: quoted, and cut (at a character boundary) when it is long,
// so that a runaway field does not swallow the terminal.
std::string shown(std::string_view s) {
  constexpr std::size_t limit = 60;
  if (s.size() <= limit) return quoted(s);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return quoted(std::string(s.substr(0, cut)) + "...");
}

// 1-based physical line of the byte at `offset`; CRLF, LF and a lone CR each end a line.
std::size_t line_of(std::string_view text, std::size_t offset) noexcept {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n')
      ++line;
    else if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))
      ++line;
  }
  return line;
}

// ---------------------------------------------------------------------------------------------
// Encodings

enum class encoding { utf8, gbk, gb18030 };

std::optional<encoding> parse_encoding(std::string_view name) {
  std::string lower(name);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (lower == "utf-8" || lower == "utf8") return encoding::utf8;
  if (lower == "gbk") return encoding::gbk;
  if (lower == "gb18030") return encoding::gb18030;
  return std::nullopt;
}

const char* iconv_name(encoding e) noexcept {
  return e == encoding::gbk ? "GBK" : "GB18030";
}

struct converted {
  std::string text;
  std::size_t bad = npos;  ///< offset in the input of the first byte iconv rejected
};

// Converts `bytes` to UTF-8 with glibc's iconv; `bad` is set instead of throwing so that the
// caller can locate the byte.
converted to_utf8(std::string_view bytes, encoding from, std::string_view source) {
  iconv_t cd = iconv_open("UTF-8", iconv_name(from));
  if (cd == reinterpret_cast<iconv_t>(-1))
    raise("rectify.data.encoding", "",
          std::string("cannot convert from ") + iconv_name(from) + ": " + std::strerror(errno), std::string(source));
  std::unique_ptr<void, int (*)(iconv_t)> guard(cd, &iconv_close);

  converted out;
  out.text.resize(bytes.size() * 2 + 16);      // GBK's two bytes become at most three
  char* in = const_cast<char*>(bytes.data());  // iconv(3) does not write through it
  std::size_t in_left = bytes.size();
  std::size_t used = 0;
  while (in_left > 0) {
    char* o = out.text.data() + used;
    std::size_t o_left = out.text.size() - used;
    const std::size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    const int err = errno;
    used = static_cast<std::size_t>(o - out.text.data());
    if (r != static_cast<std::size_t>(-1)) continue;
    if (err == E2BIG) {
      out.text.resize(out.text.size() * 2);
      continue;
    }
    out.bad = static_cast<std::size_t>(in - bytes.data());  // EILSEQ, or EINVAL at the end
    break;
  }
  out.text.resize(used);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The tokenizer: libcsv in strict mode, fed one physical line per call so that every callback
// knows the line it happens on. A record starts on the first line that holds anything but
// spaces and tabs (libcsv skips the others), and a field starts on the line where the one
// before it ended.

struct syntax_error {
  std::size_t line = 0;
  std::size_t column = 0;
  std::string message;
};

template <class Sink>
class tokenizer {
 public:
  explicit tokenizer(Sink& sink) : sink_(sink) {
    if (csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::bad_alloc();
  }
  ~tokenizer() { csv_free(&parser_); }
  tokenizer(const tokenizer&) = delete;
  tokenizer& operator=(const tokenizer&) = delete;

  /// Parses `text`; false when it stopped early (a syntax error, or the sink said stop).
  bool feed(std::string_view text) {
    const char* data = text.data();
    const std::size_t n = text.size();
    std::size_t pos = 0;
    while (pos < n) {
      std::size_t end = pos;
      while (end < n && data[end] != '\n' && data[end] != '\r') ++end;
      if (end < n) end += (data[end] == '\r' && end + 1 < n && data[end + 1] == '\n') ? 2 : 1;
      ++line_;
      if (!row_open_) {
        for (std::size_t i = pos; i < end; ++i) {
          if (!is_blank(data[i]) && data[i] != '\n' && data[i] != '\r') {
            row_open_ = true;
            row_line_ = field_line_ = line_;
            break;
          }
        }
      }
      const std::size_t len = end - pos;
      const std::size_t done = csv_parse(&parser_, data + pos, len, &on_field, &on_row, this);
      if (failure_) std::rethrow_exception(failure_);
      if (stopped_) return false;
      if (done != len) {
        if (csv_error(&parser_) != CSV_EPARSE) throw std::bad_alloc();
        syntax = syntax_error{line_, fields_ + 1,
                              parser_.quoted != 0
                                  ? "malformed CSV: text after the closing quote of a quoted field (a quote "
                                    "inside a quoted field must be doubled: \"say \"\"hi\"\"\")"
                                  : "malformed CSV: a double quote inside an unquoted field (quote the field and "
                                    "double the quote: \"say \"\"hi\"\"\")"};
        return false;
      }
      pos = end;
    }
    return true;
  }

  /// Ends the input (the last line need not end in a line break); false as for `feed`.
  bool finish() {
    if (csv_fini(&parser_, &on_field, &on_row, this) != 0) {
      syntax =
          syntax_error{field_line_, fields_ + 1, "malformed CSV: the quoted field that starts here is never closed"};
      return false;
    }
    if (failure_) std::rethrow_exception(failure_);
    return !stopped_;
  }

  /// Fields completed in the current record.
  [[nodiscard]] std::size_t fields() const noexcept { return fields_; }

  std::optional<syntax_error> syntax;

 private:
  // libcsv is C: nothing may unwind through it, so exceptions wait in failure_.
  static void on_field(void* s, std::size_t len, void* self_) {
    auto& self = *static_cast<tokenizer*>(self_);
    if (self.stopped_) return;
    try {
      if (!self.sink_.field(std::string_view(static_cast<const char*>(s), len), self.field_line_, self.fields_ + 1))
        self.stopped_ = true;
    } catch (...) {
      self.failure_ = std::current_exception();
      self.stopped_ = true;
    }
    ++self.fields_;
    self.field_line_ = self.line_;
  }

  static void on_row(int, void* self_) {
    auto& self = *static_cast<tokenizer*>(self_);
    if (!self.stopped_) {
      try {
        if (!self.sink_.row(self.row_line_, self.fields_)) self.stopped_ = true;
      } catch (...) {
        self.failure_ = std::current_exception();
        self.stopped_ = true;
      }
    }
    self.fields_ = 0;
    self.row_open_ = false;
  }

  Sink& sink_;
  csv_parser parser_{};
  std::size_t line_ = 0;        // physical line being parsed
  std::size_t row_line_ = 0;    // where the current record started
  std::size_t field_line_ = 0;  // where the current field started
  std::size_t fields_ = 0;
  bool row_open_ = false;
  bool stopped_ = false;
  std::exception_ptr failure_;
};

// Finds the field (1-based) that the byte at `offset` falls in, for encoding errors.
std::size_t column_of(std::string_view text, std::size_t offset) {
  struct ignore {
    bool field(std::string_view, std::size_t, std::size_t) { return true; }
    bool row(std::size_t, std::size_t) { return true; }
  } sink;
  tokenizer<ignore> t(sink);
  t.feed(text.substr(0, offset));
  return t.fields() + 1;
}

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
// cache miss per lookup, which matters on files with hundreds of thousands of units.
class unit_index {
 public:
  void reserve(std::size_t n) {
    std::size_t capacity = 16;
    while (capacity < 2 * n) capacity *= 2;
    if (capacity > slots_.size()) rehash(capacity);
  }

  /// Records `units[i]`, or returns the index of the earlier unit with the same id.
  std::size_t insert(const std::vector<std::string>& units, std::size_t i) {
    if (2 * (size_ + 1) > slots_.size()) rehash(std::max<std::size_t>(16, 2 * slots_.size()));
    const std::size_t h = std::hash<std::string_view>{}(units[i]);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t pos = h & mask;; pos = (pos + 1) & mask) {
      slot& s = slots_[pos];
      if (s.index == npos) {
        s = slot{h, i};
        ++size_;
        return npos;
      }
      if (s.hash == h && units[s.index] == units[i]) return s.index;
    }
  }

 private:
  struct slot {
    std::size_t hash = 0;
    std::size_t index = npos;
  };

  void rehash(std::size_t capacity) {
    std::vector<slot> old(capacity);
    old.swap(slots_);
    const std::size_t mask = capacity - 1;
    for (const slot& s : old) {
      if (s.index == npos) continue;
      std::size_t pos = s.hash & mask;
      while (slots_[pos].index != npos) pos = (pos + 1) & mask;
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
  units_sink(std::string_view source, std::size_t expected_rows) : source_(source), expected_rows_(expected_rows) {}

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
    units_.reserve(expected_rows_);
    row_lines_.reserve(expected_rows_);
    values_.reserve(expected_rows_ * inputs_);
    seen_.reserve(expected_rows_);
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
  std::size_t expected_rows_;
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

// ---------------------------------------------------------------------------------------------

[[noreturn]] void raise_encoding(std::string_view text, std::size_t offset, std::size_t shift, std::string message_head,
                                 std::string advice, std::string_view source) {
  raise("rectify.data.encoding", "",
        std::move(message_head) + " (byte " + hex_byte(static_cast<unsigned char>(text[offset])) + " at offset " +
            std::to_string(offset + shift) + ")" + std::move(advice),
        at(source, line_of(text, offset), column_of(text, offset)));
}

}  // namespace

table read_units_csv(std::string_view bytes, std::string_view source, const csv_options& options) {
  const auto enc = parse_encoding(options.encoding);
  if (!enc)
    raise("rectify.data.encoding", "",
          "unknown encoding " + quoted(options.encoding) + ": use \"utf-8\", \"gbk\" or \"gb18030\"",
          std::string(source));
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))
    raise("rectify.data.encoding", "",
          "the file is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8: save it as \"CSV "
          "UTF-8\"",
          std::string(source));
  if (const auto nul = bytes.find('\0'); nul != npos)
    raise("rectify.data.binary", "",
          "this is not a text CSV file (NUL byte at line " + std::to_string(line_of(bytes, nul)) +
              "); an Excel workbook? save it as CSV UTF-8",
          std::string(source));

  std::string_view text = bytes;
  std::string storage;
  const bool bom = text.starts_with(utf8_bom);
  if (bom) text.remove_prefix(utf8_bom.size());
  if (*enc != encoding::utf8 && !bom) {
    converted c = to_utf8(text, *enc, source);
    if (c.bad != npos)
      raise_encoding(text, c.bad, 0, std::string("invalid ") + iconv_name(*enc),
                     find_invalid_utf8(text) == npos ? ": the file looks like UTF-8; read it without --encoding"
                                                     : ": save the file as \"CSV UTF-8\"",
                     source);
    storage = std::move(c.text);
    text = storage;
    if (text.starts_with(utf8_bom)) text.remove_prefix(utf8_bom.size());  // GB18030's BOM
  } else if (const auto bad = find_invalid_utf8(text); bad != npos) {
    raise_encoding(text, bad, bom ? utf8_bom.size() : 0, "invalid UTF-8",
                   to_utf8(text, encoding::gb18030, source).bad == npos
                       ? ": the file looks like GBK/GB18030, as Excel saves CSV on Chinese "
                         "Windows; read it with --encoding gbk, or save it from Excel as \"CSV "
                         "UTF-8\""
                       : ", and not GBK/GB18030 either: save the file as \"CSV UTF-8\"",
                   source);
  }

  units_sink sink(source, static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  tokenizer<units_sink> tok(sink);
  if (!tok.feed(text) || !tok.finish()) {
    if (tok.syntax)
      raise("rectify.data.syntax", "", std::move(tok.syntax->message),
            at(source, tok.syntax->line, tok.syntax->column));
    raise(std::vector<problem>{std::move(*sink.error)});
  }
  if (!sink.has_header())
    raise("rectify.data.empty", "", "the file is empty: expected a header row with a \"unit\" column",
          std::string(source));
  return std::move(sink).take();
}

table read_units_csv_file(const std::string& path, const csv_options& options) {
  const auto fail = [&](int err) {
    raise("rectify.io.open", "", std::string("cannot read the file: ") + std::strerror(err), path);
  };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) fail(errno);
  std::string bytes;
  std::size_t used = 0;
  for (;;) {
    bytes.resize(std::max<std::size_t>(bytes.size() * 2, 1 << 16));
    used += std::fread(bytes.data() + used, 1, bytes.size() - used, f.get());
    if (used < bytes.size()) break;
  }
  if (std::ferror(f.get())) fail(errno);
  bytes.resize(used);
  return read_units_csv(bytes, path, options);
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
