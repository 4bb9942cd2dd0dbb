#pragma once
/// The clean-governance risk register (廉政风险防控, compliance.md §3): risk points per post, their
/// level and controls, and whether the high ones were reviewed in the last 12 months.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/dates.hpp"
#include "rectify/core/table.hpp"
#include "rectify/io/records.hpp"

namespace rectify::compliance {

enum class risk_level { high, medium, low };
inline constexpr std::size_t risk_level_count = 3;
[[nodiscard]] std::string_view name(risk_level l) noexcept;      ///< "high", "medium", "low"
[[nodiscard]] std::string_view label_zh(risk_level l) noexcept;  ///< 高, 中, 低
/// 高/中/低, 高风险/中风险/低风险, high/medium/low (ASCII case ignored), or nothing.
[[nodiscard]] std::optional<risk_level> parse_risk_level(std::string_view s) noexcept;

/// One risk point: a (unit, post, risk) triple. A register may give a point several rows, one per
/// control; they must agree on the level.
struct risk_point {
  std::size_t row = 0;  ///< its first row in the register
  std::string unit, post, risk;
  risk_level level = risk_level::low;
  std::int64_t controls = 0;        ///< rows with a non-empty `control`
  std::optional<date> reviewed;     ///< latest `reviewed` date on or before the as-of date
  bool reviewed_in_window = false;  ///< reviewed within the 12 months up to the as-of date
};

/// One unit's result.
struct risk_unit {
  std::string unit;
  std::int64_t points = 0;
  std::array<std::int64_t, risk_level_count> by_level{};
  std::int64_t controlled = 0;  ///< points with at least one control
  std::int64_t high_reviewed = 0;
  double controlled_ratio = 0;     ///< controlled / points
  double high_reviewed_ratio = 0;  ///< high_reviewed / high points; NaN without high points
};

/// The whole register as of a date.
struct risk_report {
  date as_of;
  date window_start;               ///< as_of minus 12 months (Feb 29 → Feb 28)
  std::vector<risk_point> points;  ///< register order of first rows
  std::vector<risk_unit> units;    ///< sorted by byte order
};

/// Checks a register: columns `unit,post,risk,level,control,owner,reviewed` (`owner` and other
/// columns are read but not needed; `unit`, `post`, `risk`, `level`, `control` and `reviewed`
/// are required). A point is reviewed in the window when its latest `reviewed` date on or before
/// `as_of` is on or after `as_of` minus 12 months; dates after `as_of` are ignored, as the
/// register is read as it stood on that day. Every problem is reported (up to 100), each naming
/// file:line:column: `rectify.compliance.missing_column`, `rectify.compliance.missing_value`
/// (empty unit, post, risk or level), `rectify.compliance.bad_level`, `rectify.compliance.bad_date`,
/// `rectify.compliance.conflicting_level` (rows of one point with different levels; names the
/// first).
[[nodiscard]] risk_report check_risks(const io::text_table& reg, date as_of);

/// The scorer's inputs, one row per unit: `risk_points`, `risk_controlled_ratio`,
/// `risk_high_reviewed_ratio` (fractions; NaN when the denominator is 0).
[[nodiscard]] rectify::table inputs(const risk_report& report);

}  // namespace rectify::compliance
