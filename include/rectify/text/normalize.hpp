#pragma once
/// Chinese text normalised for comparison (compliance.md §4): every character folded by Unicode
/// compatibility decomposition and case folding (full-width `ＡＢ１２` becomes `ab12`, `①` becomes
/// `1`), then whitespace, punctuation and control characters dropped (Chinese and ASCII alike:
/// `，。、；：“”《》（）—…· ,.;:"()`). What is kept maps back to the bytes it came from, so a
/// passage found in the normalised text can be shown as it was written.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rectify::text {

/// The kept characters and where each came from.
struct normalized {
  std::u32string chars;  ///< the code points kept, in order
  /// For each kept character, the byte range [begin, end) of the original character it came
  /// from (one original character may give several kept ones, e.g. `㈱` → `株` after dropping the
  /// parentheses, all with the same range).
  std::vector<std::uint32_t> begin, end;

  [[nodiscard]] std::size_t size() const noexcept { return chars.size(); }
};

/// Normalises UTF-8 text with utf8proc (Unicode 15): NFKC-style compatibility decomposition and
/// case folding per character, then drops characters of the categories Z* (separators), P*
/// (punctuation) and C* (control, format, unassigned). A leading byte-order mark is dropped.
/// Throws `rectify.text.encoding` when `utf8` is not well-formed UTF-8, naming the byte offset,
/// and `source:line:column` (1-based, column in characters) when `source` is given; and
/// `rectify.text.too_large` above 4 GiB.
[[nodiscard]] normalized normalize(std::string_view utf8, std::string_view source = {});

/// The kept characters as UTF-8 (for display and tests).
[[nodiscard]] std::string to_utf8(std::u32string_view chars);

}  // namespace rectify::text
