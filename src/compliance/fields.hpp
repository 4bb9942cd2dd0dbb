#pragma once
// Private to the compliance checks: how their cells are read, and how their problems are
// collected. One place, so that a date or a yes/no means the same in every record file.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/dates.hpp"
#include "rectify/core/error.hpp"
#include "rectify/io/records.hpp"

namespace rectify::compliance::detail {

/// A day as people type it: `2026-03-05`, `2026-3-5`, `2026/3/5`, `2026.3.5` or `2026年3月5日`
/// (a real day; `2026-13-01` and `2026-02-29` are refused). Nothing for anything else.
[[nodiscard]] std::optional<date> parse_day(std::string_view s) noexcept;

/// A whole number ≥ 0 written as digits, optionally with a `.0…` fraction (`12`, `12.0`, `+3`), up
/// to 10^15. Nothing for anything else (`-1`, `1.5`, `1e3`, `十`, `1,000`).
[[nodiscard]] std::optional<std::int64_t> parse_whole(std::string_view s) noexcept;

/// yes/no in the forms records use: yes, no, y, n, true, false, 1, 0 (ASCII case ignored), 是, 否,
/// 有, 无, √, ×. Nothing for anything else.
[[nodiscard]] std::optional<bool> parse_flag(std::string_view s) noexcept;

/// A cell as a message shows it: quoted, cut at 60 bytes on a character boundary.
[[nodiscard]] std::string shown(std::string_view s);

/// Where an earlier row is, for a message about a later one: "line 3" in a file, "row 2" in a
/// table built in memory (the forms `text_table::place` uses).
[[nodiscard]] std::string earlier_row(const io::text_table& t, std::size_t row);

/// Collects the problems of a record file: the first 100 are kept, the rest only counted, and
/// `raise_if_any` throws them all as one error with a last line "... and N more".
class problems {
 public:
  explicit problems(const io::text_table& t) : table_(t) {}
  /// A problem at (row, column); column -1 for the whole record.
  void add(std::string code, std::size_t row, std::ptrdiff_t column, std::string message);
  /// A problem about the file as a whole (a missing column).
  void add_file(std::string code, std::string message);
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  [[nodiscard]] std::size_t count() const noexcept { return count_; }
  void raise_if_any();

  static constexpr std::size_t kept = 100;

 private:
  const io::text_table& table_;
  std::vector<problem> list_;
  std::size_t count_ = 0;
};

/// Indices of the named columns in `t`, each -1 when absent; every name in `required` that is
/// absent is added to `out` as `rectify.compliance.missing_column` (the message lists the
/// file's columns).
[[nodiscard]] std::vector<std::ptrdiff_t> find_columns(const io::text_table& t,
                                                       const std::vector<std::string_view>& names,
                                                       const std::vector<bool>& required, problems& out);

}  // namespace rectify::compliance::detail
