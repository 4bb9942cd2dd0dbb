#pragma once
/// The guarded workflow (ledger.md §2) and the replay that derives every measure's state from
/// the log. Every guard lives in `replay::check`, which `act`, `verify` and the metrics share,
/// so an action refused on the command line is exactly an event that `verify` rejects.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rectify/ledger/model.hpp"

namespace rectify::ledger {

/// What the log says about one measure at some point of the replay.
struct measure_progress {
  state current = state::planned;
  std::int64_t approved_levels = 0;      ///< levels approved in the current submission
  std::vector<std::string> approvers;    ///< who approved them, level order
  std::int64_t evidence_since_open = 0;  ///< evidence events since the start or last reopen
  std::int64_t evidence_total = 0;
  std::vector<bool> tasks_done;  ///< one per task of the measure
  std::int64_t returns = 0;      ///< return events (退回)
  std::int64_t reopens = 0;
  std::optional<date> started_on;    ///< local date of the first start
  std::optional<date> submitted_on;  ///< of the latest submit
  std::optional<date> verified_on;   ///< of the approval that verified it last
  std::optional<date> closed_on;     ///< of the latest close
  std::int64_t last_seq = 0;         ///< seq of the latest event of this measure (0: none)
};

/// A request to act on a measure, as the command line and Python build it. `seq`, `prev` and
/// `hash` are filled in by `make_event`.
struct action_request {
  std::string measure;
  action act = action::start;
  std::string by;
  std::optional<timestamp> at;  ///< nothing: now, in local time
  std::optional<std::int64_t> level;
  std::optional<std::string> task;
  std::optional<std::string> note;
  std::optional<evidence> proof;  ///< required for `evidence`; the caller hashes the file
};

/// Replays a log event by event. Events are taken as they come; `check` says whether the next
/// one is allowed, `apply` records it (after checking, unless told not to).
class replay {
 public:
  explicit replay(const plan& p);

  /// The reason the guards refuse `e` as the next event of the log, or nothing when it is
  /// allowed. The reason starts with the measure id, as `act` prints it:
  /// `P1.M1: submit needs evidence`. Checks, in this order: the measure and task exist; `seq`
  /// follows the previous event; `at` is not earlier than the previous event of the whole log;
  /// the keys the action needs are there (level for approve/return, task for task_done,
  /// evidence for evidence, a note for return/reopen) and no others; then the table's guard.
  [[nodiscard]] std::optional<std::string> check(const event& e) const;

  /// Applies `e`. With `guarded`, a refused event throws `rectify.ledger.guard` and changes
  /// nothing. Without, the state moves as the action says (used by the metrics, which replay
  /// events already verified, possibly a filtered subset).
  void apply(const event& e, bool guarded = true);

  [[nodiscard]] const measure_progress& progress(std::size_t measure_index) const { return progress_[measure_index]; }
  [[nodiscard]] const std::vector<measure_progress>& all() const noexcept { return progress_; }
  [[nodiscard]] std::int64_t events_applied() const noexcept { return applied_; }

 private:
  const plan* plan_;
  std::vector<measure_progress> progress_;
  std::int64_t applied_ = 0;
  std::optional<timestamp> last_at_;
};

/// The first thing wrong with a ledger's log, as `verify` reports it.
struct verify_failure {
  std::int64_t seq = 0;   ///< the first bad event's seq as stored (its position, 1-based, when seq itself is wrong)
  std::size_t index = 0;  ///< 0-based position in `log`
  std::string code;       ///< rectify.ledger.seq | .chain | .guard | .unknown_measure | .unknown_task | .recorded_state
  std::string reason;
};

struct verify_report {
  std::size_t events = 0;
  std::optional<verify_failure> failure;  ///< nothing: the log verifies
  [[nodiscard]] bool ok() const noexcept { return !failure.has_value(); }
};

/// Replays the whole log with every guard and recomputes the hash chain: seq runs 1…n, each
/// `prev` is the previous `hash` (64 zeros first), each `hash` is SHA-256(prev ‖ canonical JSON
/// of the event without `hash`), every event names a known measure and task, and every guard
/// allows it. Finally every measure's `recorded_state`, when present, must equal the replay
/// (the failure then names the measure's last event). Stops at the first failure.
[[nodiscard]] verify_report verify(const plan& p);

/// Builds the next event for `req`: seq = n + 1, prev = the last hash, `at` = the request's or
/// now, and the hash. Throws `rectify.ledger.guard` (message as `replay::check`) when the guards
/// refuse it, and `rectify.ledger.chain` when the existing log does not verify, so a broken
/// ledger is never extended.
[[nodiscard]] event make_event(const plan& p, const action_request& req);

/// `make_event` for a ledger kept in memory across many actions (Python's `Ledger`): `verified`
/// is the caller's replay of the whole of `p.log`. When empty it is built here, verifying the
/// log once; later calls only check the guards and hash the new event, instead of verifying the
/// whole log again. After appending the returned event to `p.log` the caller applies it:
/// `verified->apply(e, false)`. The caller resets `verified` if it changes `p.log` any other way.
[[nodiscard]] event make_event(const plan& p, const action_request& req, std::optional<replay>& verified);

/// Sets every measure's `recorded_state` from a replay of the whole log (done before saving).
void record_states(plan& p);

}  // namespace rectify::ledger
