#pragma once
/// Record files read as text (compliance.md §1–3): a CSV whose cells are strings, each
/// remembering the physical line and column it came from, for the checks that give their own
/// meaning to every column (meeting records, survey responses, risk registers, branch lists).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/io/csv.hpp"

namespace rectify::io {

/// A CSV file as text: the header's column names and every record's fields (trimmed of spaces
/// and tabs, as `read_units_csv` does). Fields live in one buffer so that a 600,000-row file costs
/// two allocations, not seven million.
class text_table {
 public:
  text_table() = default;
  /// An empty table with these columns, for building in memory (a DataFrame from Python):
  /// `source` names it in errors, and `place` gives `source:row N:column` with N 0-based
  /// in the order rows were added, since there are no lines.
  text_table(std::string source, std::vector<std::string> header);

  /// Appends one record; `fields.size()` must equal the header's (`std::invalid_argument`
  /// otherwise). `line` is the physical line the record starts on (0 when it has none). Field
  /// text is limited to 4 GiB in all (`rectify.data.too_large`).
  void add_row(std::span<const std::string_view> fields, std::size_t line = 0);

  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  [[nodiscard]] const std::vector<std::string>& header() const noexcept { return header_; }
  [[nodiscard]] std::size_t rows() const noexcept { return lines_.size(); }
  [[nodiscard]] std::size_t columns() const noexcept { return header_.size(); }
  /// The field at (row, column), both 0-based.
  [[nodiscard]] std::string_view field(std::size_t row, std::size_t column) const noexcept;
  /// Index of the column named exactly `name`, or -1.
  [[nodiscard]] std::ptrdiff_t find(std::string_view name) const noexcept;
  /// The physical line the record starts on (1-based; the header is on line 1 when the file has
  /// no blank lines above it), or 0 for a table built in memory.
  [[nodiscard]] std::size_t line(std::size_t row) const noexcept { return lines_[row]; }
  /// Where a field is, for errors: `file:line:column` (line of the field itself, which differs
  /// from the record's when a quoted field before it spans lines; column 1-based), or
  /// `source:row N:column` for a table built in memory. `column` < 0 gives the whole record.
  [[nodiscard]] std::string place(std::size_t row, std::ptrdiff_t column) const;

 private:
  friend struct text_table_builder;
  std::string source_;
  std::vector<std::string> header_;
  std::string text_;                  // every field, back to back
  std::vector<std::uint32_t> ends_;   // rows × columns end offsets into text_ (start = previous end)
  std::vector<std::size_t> lines_;    // per row
  std::vector<std::size_t> spans_;    // rows whose fields do not all start on the record's line
  std::vector<std::uint32_t> shift_;  // for those rows (sorted), per field: lines after the record's
  bool in_memory_ = false;
};

/// Reads a CSV file as text with the same rules as `read_units_csv`: RFC 4180 through libcsv,
/// UTF-8 with or without a BOM (GBK/GB18030 with `options.encoding`), blank lines skipped, fields
/// trimmed. The header's names must be non-empty and distinct; every record must have as many
/// fields as the header. Nothing else is checked: the caller gives the fields their meaning.
///
/// Errors (`source` = `file:line:column`, `file:line` or `file`): `rectify.data.empty` (no
/// header), `rectify.data.binary`, `rectify.data.encoding`, `rectify.data.syntax`,
/// `rectify.data.duplicate_column`, `rectify.data.ragged`, `rectify.data.too_large` (over 4 GiB
/// of field text).
[[nodiscard]] text_table read_text_csv(std::string_view bytes, std::string_view source,
                                       const csv_options& options = {});

/// Reads the file at `path` and parses it with `read_text_csv`; `rectify.io.open` when the file
/// cannot be read.
[[nodiscard]] text_table read_text_csv_file(const std::string& path, const csv_options& options = {});

}  // namespace rectify::io
