#include "rectify/ledger/workflow.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "rectify/core/error.hpp"
#include "rectify/core/sha256.hpp"
#include "rectify/io/ledger_json.hpp"
#include "rectify/ledger/store.hpp"

namespace rectify::ledger {

namespace {

const std::string kZeroHash(64, '0');

// A note made only of spaces says nothing, so it does not count as the note a return or a
// reopen must carry. U+3000 (the ideographic space of Chinese input methods) counts as a space.
bool blank(const std::optional<std::string>& s) {
  if (!s) return true;
  std::string_view t = *s;
  while (!t.empty()) {
    if (t.front() == ' ' || t.front() == '\t' || t.front() == '\n' || t.front() == '\r') {
      t.remove_prefix(1);
    } else if (t.substr(0, 3) == "\xE3\x80\x80") {
      t.remove_prefix(3);
    } else {
      return false;
    }
  }
  return true;
}

std::string state_text(state s) {
  return std::string(name(s));
}

std::string at_text(const event& e) {
  return e.at_text.empty() ? e.at.str() : e.at_text;
}

// The reason `check` gives for a seq that does not follow; verify uses the same words.
std::string seq_reason(std::int64_t seq, std::int64_t previous) {
  if (previous == 0) return "the first event has seq 1, not " + std::to_string(seq);
  return "seq " + std::to_string(seq) + " does not follow " + std::to_string(previous);
}

}  // namespace

replay::replay(const plan& p) : plan_(&p), progress_(p.measure_count()) {
  for (std::size_t i = 0; i < progress_.size(); ++i) progress_[i].tasks_done.assign(p.at(i).tasks.size(), false);
}

std::optional<std::string> replay::check(const event& e) const {
  auto why = [&](const std::string& reason) { return std::optional<std::string>(e.measure + ": " + reason); };

  auto ref = plan_->find_event_measure(e);
  if (!ref) return why("no such measure");
  const measure& m = plan_->at(*ref);
  const measure_progress& pr = progress_[ref->index];
  std::optional<std::size_t> task_index;
  if (e.task) {
    task_index = plan_->find_task(m, *e.task);
    if (!task_index) return why("no such task " + *e.task);
  }

  if (e.seq != applied_ + 1) return why(seq_reason(e.seq, applied_));
  if (last_at_ && e.at < *last_at_)
    return why("event at " + at_text(e) + " is earlier than the last event of the log (" + last_at_->str() + ")");

  // The keys: each action carries exactly what it uses, so an event never claims something
  // (a level on a start, a file on a submit) that the workflow ignored.
  const std::string act = std::string(name(e.act));
  const bool wants_level = e.act == action::approve || e.act == action::return_;
  const bool wants_task = e.act == action::task_done;
  const bool wants_proof = e.act == action::evidence;
  const auto levels = static_cast<std::int64_t>(plan_->review_levels.size());
  if (e.by.empty()) return why(act + " needs a person (by)");
  if (wants_level && !e.level) return why(act + " needs a review level (1 to " + std::to_string(levels) + ")");
  if (!wants_level && e.level) return why(act + " takes no level");
  if (wants_task && !e.task) return why("task_done needs a task");
  if (!wants_task && e.task) return why(act + " takes no task");
  if (wants_proof && !e.proof) return why("evidence needs a file (name, sha256 and bytes)");
  if (!wants_proof && e.proof) return why(act + " takes no evidence file (add it with an evidence event)");
  if (e.act == action::return_ && blank(e.note)) return why("return needs a note (退回意见)");
  if (e.act == action::reopen && blank(e.note)) return why("reopen needs a note (回头看发现的问题)");
  if (e.level && (*e.level < 1 || *e.level > levels))
    return why("level " + std::to_string(*e.level) + " does not exist (the ledger has " + std::to_string(levels) +
               (levels == 1 ? " review level)" : " review levels)"));
  if (e.proof) {
    if (e.proof->name.empty()) return why("evidence needs a file name");
    if (const std::string bad = evidence_name_problem(e.proof->name); !bad.empty())
      return why("evidence name " + rectify::quoted(e.proof->name) + " cannot be stored: " + bad);
    if (!is_sha256_hex(e.proof->sha256)) return why("evidence needs a SHA-256 digest of 64 lowercase hex characters");
    if (e.proof->bytes < 0) return why("evidence cannot have a negative size");
  }

  // The table of ledger.md §2.
  const state now = pr.current;
  switch (e.act) {
    case action::start:
      if (now != state::planned) return why("start needs state planned, not " + state_text(now));
      break;
    case action::evidence:
      if (now == state::closed) return why("evidence cannot be added to a closed measure (reopen it first)");
      break;
    case action::submit:
      if (now != state::in_progress) return why("submit needs state in_progress, not " + state_text(now));
      if (pr.evidence_since_open == 0) return why("submit needs evidence");
      for (std::size_t t = 0; t < pr.tasks_done.size(); ++t)
        if (!pr.tasks_done[t]) return why("submit needs every task done (" + m.tasks[t].id + " is not)");
      break;
    case action::approve:
    case action::return_: {
      if (now != state::submitted) return why(act + " needs state submitted, not " + state_text(now));
      const std::int64_t k = *e.level;
      const std::int64_t reviewing = pr.approved_levels + 1;
      if (k > reviewing)
        return why(act + " at level " + std::to_string(k) + " while level " + std::to_string(reviewing) +
                   " is not yet approved");
      if (k < reviewing)
        return why(act + " at level " + std::to_string(k) + ", which already approved this submission (level " +
                   std::to_string(reviewing) + " reviews it now)");
      if (e.by == m.owner) return why("the owner " + m.owner + " may not " + act);
      for (std::size_t j = 0; j < pr.approvers.size(); ++j)
        if (pr.approvers[j] == e.by)
          return why(e.by + " already approved level " + std::to_string(j + 1) + " of this submission");
      break;
    }
    case action::close:
      if (now != state::verified) return why("close needs state verified, not " + state_text(now));
      if (e.by == m.owner) return why("the owner " + m.owner + " may not close (销号)");
      if (m.kind == measure_kind::long_term && !(e.at.local_date() > m.due))
        return why("a long_term measure closes only after its due date " + m.due.str());
      break;
    case action::reopen:
      if (now != state::closed && now != state::verified)
        return why("reopen needs state closed or verified, not " + state_text(now));
      break;
    case action::task_done:
      if (now != state::in_progress) return why("task_done needs state in_progress, not " + state_text(now));
      if (pr.tasks_done[*task_index]) return why("task " + *e.task + " is already done");
      break;
  }
  return std::nullopt;
}

void replay::apply(const event& e, bool guarded) {
  if (guarded)
    if (auto reason = check(e)) raise("rectify.ledger.guard", "", *reason);

  ++applied_;
  // On a tie the later event in the log is the one a refusal names.
  if (!last_at_ || e.at >= *last_at_) last_at_ = e.at;
  // Unguarded replays serve the metrics over logs already verified; an event naming something
  // the plan lacks can only come from an unverified file and moves nothing.
  auto ref = plan_->find_event_measure(e);
  if (!ref) return;
  const measure& m = plan_->at(*ref);
  measure_progress& pr = progress_[ref->index];
  pr.last_seq = e.seq;
  const date day = e.at.local_date();
  const auto levels = static_cast<std::int64_t>(plan_->review_levels.size());

  switch (e.act) {
    case action::start:
      pr.current = state::in_progress;
      if (!pr.started_on) pr.started_on = day;
      pr.evidence_since_open = 0;
      break;
    case action::evidence:
      ++pr.evidence_since_open;
      ++pr.evidence_total;
      break;
    case action::submit:
      pr.current = state::submitted;
      pr.submitted_on = day;
      pr.approved_levels = 0;
      pr.approvers.clear();
      break;
    case action::approve: {
      const std::int64_t k = std::max<std::int64_t>(1, e.level.value_or(pr.approved_levels + 1));
      pr.approvers.resize(static_cast<std::size_t>(k - 1));
      pr.approvers.push_back(e.by);
      pr.approved_levels = k;
      if (k >= levels) {
        pr.current = state::verified;
        pr.verified_on = day;
      } else {
        pr.current = state::submitted;
      }
      break;
    }
    case action::return_:
      pr.current = state::in_progress;
      pr.approved_levels = 0;
      pr.approvers.clear();
      ++pr.returns;
      break;
    case action::close:
      pr.current = state::closed;
      pr.closed_on = day;
      break;
    case action::reopen:
      pr.current = state::in_progress;
      pr.approved_levels = 0;
      pr.approvers.clear();
      pr.evidence_since_open = 0;
      ++pr.reopens;
      break;
    case action::task_done:
      if (e.task)
        if (auto t = plan_->find_task(m, *e.task)) pr.tasks_done[*t] = true;
      break;
  }
}

namespace {

verify_report verify_into(const plan& p, replay& r) {
  verify_report report;
  report.events = p.log.size();
  auto fail = [&](std::size_t i, std::int64_t seq, std::string code, std::string reason) {
    report.failure = verify_failure{seq, i, std::move(code), std::move(reason)};
    return report;
  };

  for (std::size_t i = 0; i < p.log.size(); ++i) {
    const event& e = p.log[i];
    const auto position = static_cast<std::int64_t>(i) + 1;
    auto who = [&] { return e.measure + ": "; };  // only for a failure
    if (e.seq != position) return fail(i, position, "rectify.ledger.seq", who() + seq_reason(e.seq, position - 1));
    const std::string& expected_prev = i == 0 ? kZeroHash : p.log[i - 1].hash;
    if (e.prev != expected_prev)
      return fail(i, e.seq, "rectify.ledger.chain",
                  who() + (i == 0 ? "prev of the first event must be 64 zeros"
                                  : "prev is not the hash of seq " + std::to_string(e.seq - 1)));
    const std::string computed = sha256_hex(e.prev + io::canonical_event_json(e));
    if (e.hash != computed)
      return fail(i, e.seq, "rectify.ledger.chain",
                  who() + "hash does not match the event's content (SHA-256 gives " + computed + ")");
    auto ref = p.find_event_measure(e);
    if (!ref) return fail(i, e.seq, "rectify.ledger.unknown_measure", who() + "no such measure");
    if (e.task && !p.find_task(p.at(*ref), *e.task))
      return fail(i, e.seq, "rectify.ledger.unknown_task", who() + "no such task " + *e.task);
    if (auto reason = r.check(e)) return fail(i, e.seq, "rectify.ledger.guard", *reason);
    r.apply(e, false);
  }

  for (const measure_ref& ref : p.measures()) {
    const measure& m = p.at(ref);
    const measure_progress& pr = r.progress(ref.index);
    if (m.recorded_state && *m.recorded_state != pr.current) {
      // Named by the measure's last event: that is where the file and the log part ways.
      const std::size_t index = pr.last_seq > 0 ? static_cast<std::size_t>(pr.last_seq - 1) : 0;
      return fail(index, pr.last_seq, "rectify.ledger.recorded_state",
                  m.id + ": the file records state " + state_text(*m.recorded_state) + " but the log gives " +
                      state_text(pr.current));
    }
  }
  return report;
}

}  // namespace

verify_report verify(const plan& p) {
  replay r(p);
  return verify_into(p, r);
}

event make_event(const plan& p, const action_request& req) {
  std::optional<replay> r;
  return make_event(p, req, r);
}

event make_event(const plan& p, const action_request& req, std::optional<replay>& verified) {
  if (!verified) {
    replay fresh(p);
    const verify_report report = verify_into(p, fresh);
    if (!report.ok()) {
      const verify_failure& f = *report.failure;
      raise("rectify.ledger.chain", pointer_append("/log", f.index),
            "the log does not verify at seq " + std::to_string(f.seq) + " (" + f.code + ": " + f.reason +
                "); a ledger whose log does not verify is never extended");
    }
    verified.emplace(std::move(fresh));
  }
  const replay& r = *verified;

  event e;
  e.seq = static_cast<std::int64_t>(p.log.size()) + 1;
  e.at = req.at ? *req.at : timestamp::now_local();
  e.at_text = e.at.str();
  e.by = req.by;
  e.measure = req.measure;
  e.act = req.act;
  e.level = req.level;
  e.task = req.task;
  // An empty note is no note: storing "" would only make the event longer.
  if (req.note && !req.note->empty()) e.note = req.note;
  e.proof = req.proof;
  e.prev = p.log.empty() ? kZeroHash : p.log.back().hash;
  if (auto reason = r.check(e)) raise("rectify.ledger.guard", "", *reason);
  e.hash = sha256_hex(e.prev + io::canonical_event_json(e));
  return e;
}

void record_states(plan& p) {
  replay r(p);
  for (const event& e : p.log) r.apply(e, false);
  for (const measure_ref& ref : p.measures())
    p.problems[ref.problem].measures[ref.measure].recorded_state = r.progress(ref.index).current;
}

}  // namespace rectify::ledger
