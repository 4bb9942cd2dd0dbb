#pragma once
/// Metrics as of a date (ledger.md §4): each measure's state and lateness, counts and rates by
/// area, unit, leader or owner, the scorer's per-unit inputs, and a daily series computed in
/// one replay. As of D means: the events whose `at`, read as a calendar date in its own offset,
/// is on or before D, applied in log order.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/dates.hpp"
#include "rectify/core/table.hpp"
#include "rectify/ledger/model.hpp"

namespace rectify::ledger {

/// What the groups of a status are keyed by: the problem's area id, or the measure's own `unit`,
/// `leader` (the empty key `""` for measures without one) or `owner`.
enum class group_by { area, unit, leader, owner };
/// `"area"`, `"unit"`, `"leader"`, `"owner"`.
[[nodiscard]] std::string_view name(group_by g) noexcept;
/// The grouping named exactly `s` (lowercase), or nothing.
[[nodiscard]] std::optional<group_by> parse_group_by(std::string_view s) noexcept;

/// For a measure neither verified nor closed, as of D: `remind` (提醒) when 0 ≤ due − D ≤
/// remind_days, `warn` (预警) when 1 ≤ D − due ≤ accountable_days, `accountable` (问责) when
/// D − due > accountable_days; `none` otherwise, and always for verified or closed measures.
enum class escalation { none, remind, warn, accountable };
[[nodiscard]] std::string_view name(escalation e) noexcept;  ///< "" for none
/// 提醒, 预警, 问责; "" for none.
[[nodiscard]] std::string_view label_zh(escalation e) noexcept;

/// One measure as of a date (ledger.md §4).
struct measure_status {
  std::size_t index = 0;  ///< position among the plan's measures
  std::string id, problem, area, unit, leader, owner;
  measure_kind kind = measure_kind::deadline;
  date due;
  state current = state::planned;
  bool overdue = false;           ///< due < D and neither verified nor closed
  std::int32_t days_overdue = 0;  ///< D − due when overdue, else 0
  escalation level = escalation::none;
  /// Only when verified or closed: the latest verification date − the first start's date (− the
  /// source's feedback date when the log never started it; nothing when there is neither).
  std::optional<std::int32_t> days_to_verify;
  std::int64_t times_returned = 0;  ///< return events
  std::optional<date> verified_on;  ///< of the approval that last verified it (kept after a reopen)
  std::optional<date> closed_on;    ///< of the latest close
  std::int64_t tasks_total = 0, tasks_done = 0;
  std::int64_t evidence = 0;  ///< evidence events in all
};

/// One group's counts and rates. NaN stands for an empty rate (zero denominator; null in JSON).
struct group_status {
  std::string key;
  std::int64_t total = 0;
  std::array<std::int64_t, state_count> states{};
  double completion_rate = 0;  ///< (verified + closed) / total
  double closure_rate = 0;     ///< closed / total
  double on_time_rate = 0;     ///< verified (latest verification) on or before due / (verified + closed)
  std::int64_t overdue = 0;
};

/// What `status` returns.
struct status_report {
  date as_of;
  std::vector<measure_status> measures;  ///< file order
  std::vector<group_status> groups;      ///< the keys some measure has, sorted by byte order
};

/// Every measure's status and the groups, as of `as_of`: one unguarded replay of the events
/// whose local date is on or before `as_of`, in log order.
///
///     auto r = rectify::ledger::status(plan, *rectify::date::parse("2026-06-30"), group_by::area);
[[nodiscard]] status_report status(const plan& p, date as_of, group_by by = group_by::unit);

/// The measures overdue as of `as_of`, most days overdue first (ties in file order).
[[nodiscard]] std::vector<measure_status> overdue(const plan& p, date as_of);

/// The scorer's inputs per unit as of `as_of` (every unit that owns a measure, sorted):
/// `rect_total`, `rect_completion_rate`, `rect_overdue`, `rect_returned`, `rect_on_time_rate`
/// (rates as fractions; NaN when the denominator is zero, so the scheme's missing-input rule
/// applies).
[[nodiscard]] rectify::table inputs(const plan& p, date as_of);

/// One day of the series: per group (or one row with an empty key when ungrouped).
/// `completion_rate` is NaN when the group has no measures.
struct timeline_row {
  date day;
  std::string key;
  std::int64_t total = 0;
  std::array<std::int64_t, state_count> states{};
  std::int64_t overdue = 0;
  double completion_rate = 0;
};

/// The daily series from `start` to `end` inclusive (days × groups rows, day-major; groups as in
/// `status`, or one row with the key "" when `by` is nothing). Each row equals what `status` gives
/// for that day, but the whole series is computed in one pass over the log and the days, so a
/// 365-day series costs about one `status`. Throws `rectify.ledger.bad_range` when end < start
/// or the range holds more than 36525 days (100 years).
[[nodiscard]] std::vector<timeline_row> timeline(const plan& p, date start, date end,
                                                 std::optional<group_by> by = std::nullopt);

}  // namespace rectify::ledger
