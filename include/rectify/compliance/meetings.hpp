#pragma once
/// 三会一课 and organisation life (compliance.md §1): which meetings each branch had to hold in a
/// period of whole months, which it held validly, which records are incomplete, and the scorer's
/// inputs per branch.
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/dates.hpp"
#include "rectify/core/table.hpp"
#include "rectify/io/records.hpp"

namespace rectify::compliance {

/// A calendar month.
struct month {
  int year = 1970;
  int number = 1;  ///< 1–12

  /// `YYYY-MM` (also `YYYY-M`); nothing for anything else, `2026-13` included.
  [[nodiscard]] static std::optional<month> parse(std::string_view text) noexcept;
  [[nodiscard]] static month of(date d) noexcept { return month{d.year(), d.month()}; }
  /// `YYYY-MM`.
  [[nodiscard]] std::string str() const;
  /// Months since year 0, so that differences and loops are plain integers.
  [[nodiscard]] int index() const noexcept { return year * 12 + number - 1; }
  [[nodiscard]] static month from_index(int i) noexcept { return month{i / 12, i % 12 + 1}; }
  [[nodiscard]] date first_day() const noexcept { return date::from_ymd(year, number, 1); }
  [[nodiscard]] date last_day() const noexcept;
  friend auto operator<=>(const month&, const month&) = default;
  friend bool operator==(const month&, const month&) = default;
};

/// How often a type of meeting is due.
enum class cadence { month, quarter, year };
[[nodiscard]] std::string_view name(cadence c) noexcept;      ///< "month", "quarter", "year"
[[nodiscard]] std::string_view label_zh(cadence c) noexcept;  ///< 每月, 每季度, 每年
[[nodiscard]] std::optional<cadence> parse_cadence(std::string_view s) noexcept;

/// When a meeting counts: `majority` means attended × 2 > expected (more than half, the
/// regulations' rule for 党员大会 and 支委会); `two_thirds` attended × 3 ≥ expected × 2;
/// `four_fifths` attended × 5 ≥ expected × 4 (elections). Integer arithmetic, no rounding.
enum class quorum_rule { none, majority, two_thirds, four_fifths };
[[nodiscard]] std::string_view name(quorum_rule q) noexcept;
[[nodiscard]] std::optional<quorum_rule> parse_quorum_rule(std::string_view s) noexcept;
/// Whether `attended` of `expected` meets the rule.
[[nodiscard]] bool meets(quorum_rule q, std::int64_t attended, std::int64_t expected) noexcept;

/// The fields of a record that completeness can ask for (现场图文记录). `minutes` and `signed_`
/// must be yes, `photos` at least 1, the others present.
enum class record_field { topic, host, recorder, expected, attended, minutes, photos, signed_ };
inline constexpr std::size_t record_field_count = 8;
/// The CSV column name: "topic", "host", "recorder", "expected", "attended", "minutes",
/// "photos", "signed".
[[nodiscard]] std::string_view name(record_field f) noexcept;
/// 议题, 主持人, 记录人, 应到人数, 实到人数, 会议记录, 现场照片, 签到签字.
[[nodiscard]] std::string_view label_zh(record_field f) noexcept;
[[nodiscard]] std::optional<record_field> parse_record_field(std::string_view s) noexcept;

/// One type of meeting and what is required of it.
struct meeting_rule {
  std::string id;                    ///< English name, e.g. "general_meeting"
  std::string name_zh;               ///< e.g. "党员大会"
  std::vector<std::string> aliases;  ///< other names records may use, e.g. "支部党员大会"
  std::int64_t at_least = 1;         ///< valid meetings per slot; 0 = not required (no slots)
  cadence per = cadence::month;
  bool per_group = false;  ///< one slot per (party group, period) instead of per period
  quorum_rule quorum = quorum_rule::none;
  std::vector<record_field> complete;  ///< what a complete record of this type has
};

/// The requirements table and where it comes from.
struct meeting_rules {
  std::string source;  ///< the regulation it follows, cited in reports
  std::vector<meeting_rule> types;

  /// The type a record names: its `id` (ASCII case ignored), `name_zh` or one of its `aliases`,
  /// after trimming; -1 when none matches.
  [[nodiscard]] std::ptrdiff_t find(std::string_view name) const noexcept;

  /// A name as `find` compares it: ASCII blanks and the ideographic space U+3000 (which Chinese
  /// input methods type in full-width mode) trimmed from both ends. The rules file stores names so.
  [[nodiscard]] static std::string_view trim(std::string_view name) noexcept;
};

/// compliance.md §1's table: 党员大会 (quarter, majority), 支委会 (month, majority), 党小组会
/// (month, per group), 党课 (quarter), 主题党日 (month), 组织生活会 (year), 民主评议党员 (year); each
/// at least 1, complete records need every `record_field`. Source: 《中国共产党支部工作条例（试行）》
/// 2018, Arts. 11–17, and the common local rule of one 党课 per quarter.
[[nodiscard]] meeting_rules default_meeting_rules();

/// One meeting record, its fields checked and typed.
struct meeting_record {
  std::size_t row = 0;  ///< row in the text table it was read from (for `place`)
  std::string branch;
  std::size_t type = 0;  ///< index into `meeting_rules::types`
  date on;
  std::string group;  ///< the party group (党小组) for per-group types, else as written (may be "")
  std::optional<std::int64_t> expected, attended, photos;
  std::optional<bool> minutes, signed_;
  /// Bit `f` set when the record has field `f` as completeness wants it (see `record_field`).
  std::uint8_t present = 0;

  [[nodiscard]] bool has(record_field f) const noexcept { return (present >> static_cast<unsigned>(f)) & 1U; }
};

/// Records read from one table. Keeps the table so that later errors (an unknown branch) and
/// findings can say where a record is.
struct meeting_records {
  io::text_table table;
  std::vector<meeting_record> records;  ///< table order
  std::ptrdiff_t branch_column = -1, group_column = -1, type_column = -1, date_column = -1;

  /// `file:line:column` of a record's field (column -1: the whole record).
  [[nodiscard]] std::string place(const meeting_record& r, std::ptrdiff_t column) const {
    return table.place(r.row, column);
  }
};

/// Reads meeting records: columns `branch,type,date,group,expected,attended,topic,host,recorder,
/// minutes,photos,signed`, in any order; `group` may be left out when no record needs one, and
/// other columns are ignored. `branch`, `type`, `date`, `expected` and `attended` are required
/// columns, and so is every column some type's `complete` asks for.
///
/// Cells: `type` a name `rules.find` knows; `date` a real day (`2026-03-05`, `2026/3/5`,
/// `2026-3-5` or `2026年3月5日`); `expected`, `attended` and `photos` whole numbers ≥ 0
/// (`12.0` is 12), `expected` ≥ 1, `attended` ≤ `expected`; `minutes` and `signed` yes/no,
/// 是/否, 有/无, true/false, y/n or 1/0 in any ASCII case; `group` non-empty for per-group types;
/// `branch` non-empty. Any cell may be empty (not recorded), except branch, type, date and a
/// per-group type's group.
///
/// Every bad cell is reported, up to 100 (then "… and N more"), in one `rectify::error` whose
/// problems name `file:line:column`: `rectify.compliance.missing_column`,
/// `rectify.compliance.unknown_type`, `rectify.compliance.bad_date`,
/// `rectify.compliance.bad_count`, `rectify.compliance.attended_above_expected`,
/// `rectify.compliance.bad_flag`, `rectify.compliance.missing_value`.
[[nodiscard]] meeting_records read_meeting_records(io::text_table table, const meeting_rules& rules);

/// A branch and its party groups, as a branch list gives them.
struct branch_entry {
  std::string branch;
  std::vector<std::string> groups;  ///< in the order listed, distinct
};

/// Reads a branch list: a `branch` column and an optional `group` column, one row per (branch,
/// group) and a row with an empty group for a branch without groups. Branches keep the order of
/// their first row. Errors: `rectify.compliance.missing_column`, `rectify.compliance.missing_value`
/// (empty branch), `rectify.compliance.duplicate_group` (the same group twice for a branch).
[[nodiscard]] std::vector<branch_entry> read_branches(const io::text_table& table);

/// What to check.
struct meeting_options {
  month from, to;  ///< whole months, inclusive
  /// When given: exactly these branches are assessed (a branch without records has every slot
  /// missed), their groups are these, and a record naming another branch or group is an error
  /// (`rectify.compliance.unknown_branch`, `rectify.compliance.unknown_group`). When not: the
  /// branches are those with records in the period, sorted by byte order, and a branch's groups
  /// are the distinct `group` values of its per-group records in the period, sorted.
  std::optional<std::vector<branch_entry>> branches;
};

/// What a finding is about.
enum class finding_kind {
  missed,        ///< a slot without enough valid meetings
  invalid,       ///< a meeting that misses its quorum (or whose attendance was not recorded)
  incomplete,    ///< a record that lacks what completeness asks
  not_assessed,  ///< a quarter or year the period cuts: no slot, for every branch
};
[[nodiscard]] std::string_view name(finding_kind k) noexcept;      ///< "missed", ...
[[nodiscard]] std::string_view label_zh(finding_kind k) noexcept;  ///< 缺会, 无效, 记录不全, 不考核

/// One finding. `slot` is `2026-03`, `2026-Q2` or `2026`.
struct meeting_finding {
  finding_kind kind = finding_kind::missed;
  std::string branch;  ///< "" for not_assessed (it holds for every branch)
  std::size_t type = 0;
  std::string group;  ///< per-group slots and records
  std::string slot;
  std::size_t row = static_cast<std::size_t>(-1);  ///< record row for invalid/incomplete, else -1
  std::optional<date> on;                          ///< the meeting's date for invalid/incomplete
  /// missed: "held 0 of 1"; invalid: the reason ("attended 5 of 12: the quorum is more than
  /// half"); incomplete: the missing fields' names, comma-separated ("photos,signed");
  /// not_assessed: why ("the period starts in 2026-02, after the quarter begins").
  std::string detail;
  std::vector<record_field> missing;  ///< incomplete: the fields, in `record_field` order
};

/// One type's counts for one branch.
struct type_summary {
  std::int64_t required = 0;  ///< slots
  std::int64_t met = 0;
  std::int64_t held = 0;     ///< records of this type in the period
  std::int64_t invalid = 0;  ///< of those, not valid
};

/// One branch's result.
struct branch_report {
  std::string branch;
  std::vector<std::string> groups;
  std::int64_t required = 0, met = 0;
  std::int64_t records = 0;  ///< records in the period
  std::int64_t invalid = 0, incomplete = 0;
  std::int64_t attended = 0, expected = 0;  ///< sums over valid meetings with both counts
  double met_ratio = 0;                     ///< met / required; NaN when nothing is required
  double attendance_rate = 0;               ///< attended / expected; NaN when expected is 0
  std::vector<type_summary> types;          ///< one per rule type, in rules order
};

/// The whole check.
struct meetings_report {
  month from, to;
  meeting_rules rules;
  std::vector<branch_report> branches;  ///< branch-list order, or sorted by byte order
  /// not_assessed first (rules order), then per branch (report order): missed (type, group, slot
  /// order), invalid and incomplete (record order).
  std::vector<meeting_finding> findings;
  std::int64_t records_outside = 0;  ///< records whose date is outside the period (ignored)
};

/// Checks records against the rules over the period (compliance.md §1): slots per month,
/// calendar quarter or calendar year inside [from, to] (quarters and years the period cuts are
/// not assessed, and reported as `not_assessed` findings); a meeting is valid unless it misses its
/// quorum, and a quorum type whose `expected` or `attended` is empty is invalid too (the quorum
/// cannot be shown); completeness never decides validity; a slot is met by `at_least` valid
/// meetings in it. Throws `rectify.compliance.bad_period` when `to` < `from` or the period is over
/// 100 years, and the branch/group errors of `meeting_options::branches` (every one found, up to
/// 100, each naming file:line:column).
[[nodiscard]] meetings_report check_meetings(const meeting_records& records, const meeting_rules& rules,
                                             const meeting_options& options);

/// The scorer's inputs, one row per branch (the branch is the unit), in report order:
/// `meetings_required`, `meetings_short`, `meetings_met_ratio`, `records_incomplete`,
/// `attendance_rate` (rates as fractions, NaN when empty).
[[nodiscard]] rectify::table inputs(const meetings_report& report);

}  // namespace rectify::compliance
