#pragma once
/// The unit-data CSV reader (scoring.md §6): a `unit` column of ids and one column per input.
#include <string>
#include <string_view>

#include "rectify/core/table.hpp"

namespace rectify::io {

/// How to read the bytes of a unit-data file.
struct csv_options {
  /// `"utf-8"` (the default; `"utf8"` too), or `"gbk"` / `"gb18030"` for files that Excel saved
  /// as "CSV (Comma delimited)" on Chinese Windows; those are converted to UTF-8 with iconv(3).
  /// Case does not matter. A file that starts with a UTF-8 byte-order mark is read as UTF-8
  /// whatever this says, since Excel's "CSV UTF-8" writes one.
  std::string encoding = "utf-8";
};

/// Reads a unit × input table from the text of a CSV file; `source` names the file in errors
/// and in `table::provenance`.
///
/// The format is RFC 4180 (parsed by libcsv in strict mode): a header row, then one record per
/// unit; fields are separated by commas and may be double-quoted, a quote inside a quoted field
/// is doubled, and a quoted field may hold commas and line breaks. Lines end in LF, CRLF or a
/// lone CR, and the last one need not end at all. The text is UTF-8 with or without a BOM.
/// Lines that are empty (or hold only spaces and tabs) are skipped wherever they are. Spaces and
/// tabs around a field, and inside the quotes of a quoted field, are trimmed.
///
/// The column named `unit` (exactly) holds the unit ids, which must be non-empty and unique;
/// every other column becomes an input, in header order. A cell is a decimal number (optional
/// sign, optional fraction and exponent: `-1.5e3`; no `inf`, `nan`, hex or `1,5`), `true` or
/// `false` (also `TRUE`/`FALSE`, `True`/`False`; read as 1 and 0), or empty (missing, NaN).
/// A file with a header and no records gives a table with no units.
///
/// Every problem throws `rectify::error` with an empty path and `source` = `file:line:column`
/// (or `file:line` for a whole record, or `file` for the whole file), where `line` is the
/// 1-based physical line, counting the line breaks inside quoted fields, and `column` is the
/// 1-based field number. Codes: `rectify.data.empty`, `rectify.data.binary`,
/// `rectify.data.encoding`, `rectify.data.syntax`, `rectify.data.no_unit_column`,
/// `rectify.data.duplicate_column`, `rectify.data.empty_unit`, `rectify.data.duplicate_unit`,
/// `rectify.data.ragged`, `rectify.data.bad_cell`.
///
///   units.csv:4:3: [rectify.data.bad_cell] column "meetings": "3x" is not a number, true/false
///   or empty
///
///   auto t = rectify::io::read_units_csv("unit,meetings\nu1,3\nu2,\n", "units.csv");
///   // t.units == {"u1", "u2"}, t.columns == {"meetings"}, t.values(1, 0) is NaN,
///   // t.provenance.row_lines == {2, 3}, t.provenance.column_numbers == {2}
[[nodiscard]] rectify::table read_units_csv(std::string_view bytes, std::string_view source,
                                            const csv_options& options = {});

/// Reads the file at `path` and parses it with `read_units_csv`, naming it `path` as given.
/// Throws `rectify.io.open` (with the system's reason) when the file cannot be read.
[[nodiscard]] rectify::table read_units_csv_file(const std::string& path, const csv_options& options = {});

/// Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode table 3-7:
/// no overlongs, no surrogates, nothing above U+10FFFF), or `std::string_view::npos`.
[[nodiscard]] std::size_t find_invalid_utf8(std::string_view s) noexcept;

}  // namespace rectify::io
