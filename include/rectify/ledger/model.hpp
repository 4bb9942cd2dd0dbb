#pragma once
/// The rectification ledger (整改台账, ledger.md §1): problems → measures → tasks, who answers
/// for each, by when, and the append-only event log that is the only record of what happened.
/// A measure's state is never taken from the file; it is what replaying the log yields
/// (workflow.hpp). Reading and writing the JSON file is in io/ledger_json.hpp.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rectify/core/dates.hpp"

namespace rectify::ledger {

/// `immediate` (立行立改), `deadline` (限期整改, the default) or `long_term` (长期坚持, may be
/// closed only after its due date).
enum class measure_kind { immediate, deadline, long_term };

/// planned (未启动) → in_progress (整改中) → submitted (待验收) → verified (已验收) → closed (已销号).
enum class state { planned, in_progress, submitted, verified, closed };
inline constexpr std::size_t state_count = 5;

enum class action { start, evidence, submit, approve, return_, close, reopen, task_done };

/// `"planned"`, `"in_progress"`, ...; `"return"` for `action::return_`.
[[nodiscard]] std::string_view name(state s) noexcept;
[[nodiscard]] std::string_view name(action a) noexcept;
[[nodiscard]] std::string_view name(measure_kind k) noexcept;
/// The Chinese label of a state (未启动, 整改中, 待验收, 已验收, 已销号).
[[nodiscard]] std::string_view label_zh(state s) noexcept;
/// The Chinese label of a kind (立行立改, 限期整改, 长期坚持).
[[nodiscard]] std::string_view label_zh(measure_kind k) noexcept;
[[nodiscard]] std::optional<state> parse_state(std::string_view s) noexcept;
[[nodiscard]] std::optional<action> parse_action(std::string_view s) noexcept;
[[nodiscard]] std::optional<measure_kind> parse_kind(std::string_view s) noexcept;

struct task {
  std::string id;
  std::string text;
  std::optional<date> due;
};

struct measure {
  std::string id;
  std::string text;
  measure_kind kind = measure_kind::deadline;
  std::string unit;
  std::string leader;  ///< optional in the file; empty when absent
  std::string owner;
  date due;
  std::vector<task> tasks;
  /// The state the file last recorded for people reading it (written on every save). Never
  /// used for anything but `verify`, which checks it against the replay.
  std::optional<state> recorded_state;
};

struct problem {
  std::string id;
  std::string area;
  std::string title;
  std::string description;
  std::vector<std::string> units;
  std::string severity;  ///< "major", "general" or empty when absent
  std::vector<measure> measures;
};

struct area {
  std::string id;
  std::string name;
};

/// Where the problems came from (an inspection, an audit...): all optional.
struct source_info {
  std::string kind;
  std::string ref;
  std::optional<date> feedback;
  bool present = false;  ///< whether the file had a `source` object, so a save keeps it
};

struct escalation_rules {
  std::int32_t remind_days = 7;
  std::int32_t accountable_days = 30;
  bool present = false;  ///< whether the file had an `escalation` object
};

struct evidence {
  std::string name;    ///< the file's base name as added
  std::string sha256;  ///< 64 lowercase hex characters
  std::int64_t bytes = 0;
};

/// One entry of the log. The optional members keep whether the key was present, because the
/// hash covers the event exactly as stored.
struct event {
  std::int64_t seq = 0;
  std::string at_text;  ///< `at` exactly as stored (hashed as such)
  timestamp at;         ///< `at` parsed
  std::string by;
  std::string measure;
  action act = action::start;
  std::optional<std::int64_t> level;
  std::optional<std::string> task;
  std::optional<std::string> note;
  std::optional<evidence> proof;  ///< the `evidence` object
  std::string prev;               ///< 64 hex; 64 zeros for the first event
  std::string hash;               ///< 64 hex
};

/// Position of a measure in `plan::problems`.
struct measure_ref {
  std::size_t problem = 0;
  std::size_t measure = 0;
  std::size_t index = 0;  ///< 0-based position among all measures, in file order
};

/// A whole ledger file.
struct plan {
  std::string format = "rectify.ledger/1";
  std::string id;
  std::string title;
  source_info source;
  std::vector<std::string> review_levels;  ///< ordered, at least one
  escalation_rules escalation;
  std::vector<area> areas;
  std::vector<problem> problems;
  std::vector<event> log;

  /// Rebuilds the id indexes below, and the measure of each log event; call after changing
  /// `problems` by hand (the loader does). A log changed since then is still looked up right.
  void reindex();
  [[nodiscard]] std::size_t measure_count() const noexcept { return measures_.size(); }
  /// Measures in file order.
  [[nodiscard]] const std::vector<measure_ref>& measures() const noexcept { return measures_; }
  [[nodiscard]] const measure& at(const measure_ref& r) const { return problems[r.problem].measures[r.measure]; }
  [[nodiscard]] const measure& at(std::size_t index) const { return at(measures_[index]); }
  /// The measure with this id, or nothing.
  [[nodiscard]] std::optional<measure_ref> find_measure(std::string_view id) const;
  /// The measure event `e` names: the same as `find_measure(e.measure)`, but for an event of
  /// `log` it uses the measure `reindex()` found for that position, once it has checked the id
  /// still matches (the replays of verify and the metrics look up every event, many times).
  [[nodiscard]] std::optional<measure_ref> find_event_measure(const event& e) const;
  /// 0-based index of task `task_id` within measure `m`, or nothing.
  [[nodiscard]] std::optional<std::size_t> find_task(const measure& m, std::string_view task_id) const;
  /// The name of an area id ("" when unknown).
  [[nodiscard]] std::string_view area_name(std::string_view area_id) const;

 private:
  std::vector<measure_ref> measures_;
  std::unordered_map<std::string, std::size_t> by_id_;  // measure id -> index into measures_
  std::vector<std::size_t> log_measure_;  // log position -> index into measures_ (npos: none), as of reindex()
};

}  // namespace rectify::ledger
