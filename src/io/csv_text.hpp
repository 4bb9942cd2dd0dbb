#pragma once
// What the CSV readers share (read_units_csv, read_text_csv): checking and decoding the bytes,
// the libcsv tokenizer that knows the physical line of every field, and reading a file. One
// place, so that every CSV file of rectify gives the same messages for the same problems.
// Private to src/io (it includes libcsv).
#include <csv.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/io/csv.hpp"

namespace rectify::io::detail {

inline constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

/// `source:line:column`, or `source:line` when `column` is 0.
[[nodiscard]] std::string at(std::string_view source, std::size_t line, std::size_t column = 0);

[[nodiscard]] inline bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

/// Without the spaces and tabs around it.
[[nodiscard]] inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

/// A cell as a message shows it: quoted, and cut (at a character boundary) when it is long, so
/// that a runaway field does not swallow the terminal.
[[nodiscard]] std::string shown(std::string_view s);

/// 1-based physical line of the byte at `offset`; CRLF, LF and a lone CR each end a line.
[[nodiscard]] std::size_t line_of(std::string_view text, std::size_t offset) noexcept;

/// Checks the bytes of a CSV file and gives its text as UTF-8 without a BOM: a view into
/// `bytes`, or into `storage` when it had to be converted from GBK/GB18030. Throws
/// `rectify.data.encoding` (an unknown `options.encoding`, UTF-16, bytes that are not in the
/// encoding, with advice on which one they look like) and `rectify.data.binary` (a NUL byte).
[[nodiscard]] std::string_view decode_csv(std::string_view bytes, std::string_view source, const csv_options& options,
                                          std::string& storage);

/// The bytes of the file at `path`; `rectify.io.open` with the system's reason when it cannot
/// be read.
[[nodiscard]] std::string read_csv_bytes(const std::string& path);

struct syntax_error {
  std::size_t line = 0;
  std::size_t column = 0;
  std::string message;
};

/// libcsv's field buffer grows by a fixed block (128 bytes) per realloc, so a cell of n bytes
/// costs n / 128 reallocs; where realloc cannot grow in place (under AddressSanitizer, always)
/// each one copies the whole field, and a 10 MB cell took minutes. These two functions, given
/// to libcsv, keep the block's real capacity in a header and double it, so a cell costs
/// O(log n) allocations. libcsv calls them only for that buffer.
inline void* csv_grow(void* data, std::size_t size) noexcept {
  constexpr std::size_t header = alignof(std::max_align_t);
  std::size_t capacity = 0;
  char* base = nullptr;
  if (data != nullptr) {
    base = static_cast<char*>(data) - header;
    capacity = *reinterpret_cast<std::size_t*>(base);
  }
  if (size <= capacity) return data;
  std::size_t want = std::max(size, capacity * 2);
  if (want > static_cast<std::size_t>(-1) - header) want = size;
  void* grown = std::realloc(base, want + header);
  if (grown == nullptr && want > size) {
    want = size;
    grown = std::realloc(base, want + header);
  }
  if (grown == nullptr) return nullptr;  // libcsv reports CSV_ENOMEM; the old block is intact
  *static_cast<std::size_t*>(grown) = want;
  return static_cast<char*>(grown) + header;
}

inline void csv_release(void* data) noexcept {
  if (data != nullptr) std::free(static_cast<char*>(data) - alignof(std::max_align_t));
}

/// libcsv in strict mode, fed one physical line per call so that every callback knows the line
/// it happens on. A record starts on the first line that holds anything but spaces and tabs
/// (libcsv skips the others), and a field starts on the line where the one before it ended.
///
/// `Sink` has `bool field(std::string_view raw, std::size_t line, std::size_t column)` (the
/// field untrimmed, its line, its 1-based number in the record) and
/// `bool row(std::size_t line, std::size_t fields)` (the record's first line, its field count);
/// returning false stops the parse. Exceptions from the sink are carried across libcsv (which is
/// C) and rethrown.
template <class Sink>
class tokenizer {
 public:
  explicit tokenizer(Sink& sink) : sink_(sink) {
    if (csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::bad_alloc();
    csv_set_realloc_func(&parser_, csv_grow);
    csv_set_free_func(&parser_, csv_release);
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

/// Runs `sink` over `text` (decoded). A syntax error throws `rectify.data.syntax` at
/// `source:line:column`; a sink that stops must have set its `std::optional<problem> error`,
/// which is thrown.
template <class Sink>
void tokenize(std::string_view text, std::string_view source, Sink& sink) {
  tokenizer<Sink> tok(sink);
  if (tok.feed(text) && tok.finish()) return;
  if (tok.syntax)
    raise("rectify.data.syntax", "", std::move(tok.syntax->message), at(source, tok.syntax->line, tok.syntax->column));
  raise(std::vector<problem>{std::move(*sink.error)});
}

}  // namespace rectify::io::detail
