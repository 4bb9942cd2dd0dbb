// The guarded workflow (ledger.md §2) and verify (§3). Every guard of the table is driven
// through both routes that enforce it — `make_event` (what `act` uses) and a guarded
// `replay::apply` — and each refusal is pinned in full, as users read it, and shown to change
// nothing. Hashes in the worked example were computed independently with Python's hashlib.
#include "rectify/ledger/workflow.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rectify/core/dates.hpp"
#include "rectify/core/error.hpp"
#include "rectify/core/sha256.hpp"
#include "rectify/io/ledger_json.hpp"
#include "rectify/ledger/model.hpp"
#include "support.hpp"

using namespace rectify::ledger;
using rectify::sha256_hex;
using rectify::timestamp;
using rectify::test::message_of;

namespace {

const std::string kSmall = RECTIFY_TEST_DATA "/ledger/small.json";
const std::string kZeros(64, '0');

// People of the small ledger: P1.M1 is owned by 王干事 (tasks T1, T2; due 2026-04-30), P1.M2
// (long_term, due 2026-12-31) by 钱干事; three review levels.
const std::string kOwner = "王干事";
const std::string kL1 = "张科长";
const std::string kL2 = "刘主任";
const std::string kL3 = "陈书记";

timestamp ts(std::string_view text) {
  auto t = timestamp::parse(text);
  REQUIRE(t);
  return *t;
}

evidence proof(const std::string& name = "材料.pdf") {
  return {name, sha256_hex(name), 1024};
}

// A request with the fields most tests need (action_request has no member defaults).
action_request request(const std::string& measure, action act, const std::string& by, std::optional<timestamp> at,
                       std::optional<std::int64_t> level = {}, std::optional<evidence> pr = {},
                       std::optional<std::string> note = {}) {
  action_request r;
  r.measure = measure;
  r.act = act;
  r.by = by;
  r.at = at;
  r.level = level;
  r.note = std::move(note);
  r.proof = std::move(pr);
  return r;
}

// One action as a test writes it; `at` left out means one hour after the previous event.
struct step {
  std::string measure;
  action act = action::start;
  std::string by;
  std::optional<std::int64_t> level = {};
  std::optional<std::string> task = {};
  std::optional<std::string> note = {};
  std::optional<evidence> proof = {};
  std::optional<std::string> at = {};
};

bool same(const measure_progress& a, const measure_progress& b) {
  return a.current == b.current && a.approved_levels == b.approved_levels && a.approvers == b.approvers &&
         a.evidence_since_open == b.evidence_since_open && a.evidence_total == b.evidence_total &&
         a.tasks_done == b.tasks_done && a.returns == b.returns && a.reopens == b.reopens &&
         a.started_on == b.started_on && a.submitted_on == b.submitted_on && a.verified_on == b.verified_on &&
         a.closed_on == b.closed_on && a.last_seq == b.last_seq;
}

bool same(const std::vector<measure_progress>& a, const std::vector<measure_progress>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i])) return false;
  return true;
}

// Recomputes prev and hash of every event (seq left as it is), so a test can forge a log whose
// chain is sound and see verify catch what is wrong with it otherwise.
void rechain(plan& p) {
  for (std::size_t i = 0; i < p.log.size(); ++i) {
    p.log[i].prev = i == 0 ? kZeros : p.log[i - 1].hash;
    p.log[i].hash = sha256_hex(p.log[i].prev + rectify::io::canonical_event_json(p.log[i]));
  }
}

// A ledger being acted on, with the replay that follows it.
class book {
 public:
  book() : p_(rectify::io::load_ledger_file(kSmall)), r_(p_) {}
  book(const book&) = delete;
  book& operator=(const book&) = delete;

  [[nodiscard]] const plan& p() const { return p_; }
  plan& mutable_plan() { return p_; }
  [[nodiscard]] const replay& r() const { return r_; }

  event ok(const step& s) {
    event e = make_event(p_, request(s));
    r_.apply(e);  // guarded: must agree with make_event
    p_.log.push_back(e);
    clock_ = e.at.utc_seconds + 3600;
    return e;
  }

  // The message of the refusal, after checking that make_event and a guarded apply refuse the
  // same event with the same reason, as a guard error without path or source, and that
  // neither the log nor the replay moved.
  std::string refused(const step& s) {
    const std::size_t log_before = p_.log.size();
    const std::vector<measure_progress> before = r_.all();
    const std::int64_t applied = r_.events_applied();
    std::string via_make;
    try {
      (void)make_event(p_, request(s));
      via_make = "(no error)";
    } catch (const rectify::error& err) {
      CHECK(err.code() == "rectify.ledger.guard");
      CHECK(err.path().empty());
      CHECK(err.problems().front().source.empty());
      via_make = err.what();
    }
    const event e = by_hand(s);
    const auto reason = r_.check(e);
    CHECK(reason);
    if (reason) CHECK("[rectify.ledger.guard] " + *reason == via_make);
    CHECK(message_of([&] { r_.apply(e); }) == via_make);
    CHECK(same(before, r_.all()));
    CHECK(r_.events_applied() == applied);
    CHECK(p_.log.size() == log_before);
    return via_make;
  }

  // The event `s` would make, built without the guards (hash included).
  [[nodiscard]] event by_hand(const step& s) const {
    event e;
    e.seq = static_cast<std::int64_t>(p_.log.size()) + 1;
    e.at = at_of(s);
    e.at_text = e.at.str();
    e.by = s.by;
    e.measure = s.measure;
    e.act = s.act;
    e.level = s.level;
    e.task = s.task;
    e.note = s.note;
    e.proof = s.proof;
    e.prev = p_.log.empty() ? kZeros : p_.log.back().hash;
    e.hash = sha256_hex(e.prev + rectify::io::canonical_event_json(e));
    return e;
  }

  [[nodiscard]] const measure_progress& progress(const std::string& id) const {
    auto ref = p_.find_measure(id);
    REQUIRE(ref);
    return r_.progress(ref->index);
  }
  [[nodiscard]] state of(const std::string& id) const { return progress(id).current; }

  // P1.M1 started, with evidence and both tasks done, then submitted.
  void submitted() {
    ok({"P1.M1", action::start, kOwner});
    ok({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = proof()});
    ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T1"});
    ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T2"});
    ok({"P1.M1", action::submit, kOwner});
  }
  void approve(const std::string& by, std::int64_t level) {
    ok({.measure = "P1.M1", .act = action::approve, .by = by, .level = level});
  }
  // P1.M1 through all three levels.
  void verified() {
    submitted();
    approve(kL1, 1);
    approve(kL2, 2);
    approve(kL3, 3);
  }

 private:
  [[nodiscard]] timestamp at_of(const step& s) const { return s.at ? ts(*s.at) : timestamp{clock_, 480}; }
  [[nodiscard]] action_request request(const step& s) const {
    return {s.measure, s.act, s.by, at_of(s), s.level, s.task, s.note, s.proof};
  }

  plan p_;
  replay r_;
  std::int64_t clock_ = ts("2026-04-01T09:00:00+08:00").utc_seconds;
};

std::string guard(const std::string& reason) {
  return "[rectify.ledger.guard] " + reason;
}

}  // namespace

TEST_CASE("ledger workflow: a measure goes through every state of the table", "[ledger][workflow]") {
  book b;
  CHECK(b.of("P1.M1") == state::planned);
  b.ok({.measure = "P1.M1", .act = action::start, .by = kOwner, .at = "2026-04-01T09:00:00+08:00"});
  CHECK(b.of("P1.M1") == state::in_progress);
  CHECK(b.progress("P1.M1").started_on == rectify::date::from_ymd(2026, 4, 1));
  b.ok({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = proof()});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T2"});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T1"});
  CHECK(b.progress("P1.M1").tasks_done == std::vector<bool>{true, true});
  b.ok({.measure = "P1.M1", .act = action::submit, .by = kOwner, .at = "2026-04-10T09:00:00+08:00"});
  CHECK(b.of("P1.M1") == state::submitted);
  CHECK(b.progress("P1.M1").submitted_on == rectify::date::from_ymd(2026, 4, 10));
  b.approve(kL1, 1);
  CHECK(b.of("P1.M1") == state::submitted);
  CHECK(b.progress("P1.M1").approved_levels == 1);
  b.approve(kL2, 2);
  CHECK(b.of("P1.M1") == state::submitted);
  CHECK(b.progress("P1.M1").approvers == std::vector<std::string>{kL1, kL2});
  // The last level verifies; 23:30 at -05:00 is already 4 May in UTC but 3 May where recorded.
  b.ok({.measure = "P1.M1", .act = action::approve, .by = kL3, .level = 3, .at = "2026-05-03T23:30:00-05:00"});
  CHECK(b.of("P1.M1") == state::verified);
  CHECK(b.progress("P1.M1").verified_on == rectify::date::from_ymd(2026, 5, 3));
  b.ok({.measure = "P1.M1", .act = action::close, .by = kL3, .at = "2026-05-05T09:00:00+08:00"});
  CHECK(b.of("P1.M1") == state::closed);
  CHECK(b.progress("P1.M1").closed_on == rectify::date::from_ymd(2026, 5, 5));
  CHECK(b.progress("P1.M1").evidence_total == 1);
  CHECK(b.progress("P1.M1").returns == 0);
  CHECK(b.progress("P1.M1").last_seq == 9);
  CHECK(b.r().events_applied() == 9);
  // The other measures did not move.
  CHECK(b.of("P1.M2") == state::planned);
  CHECK(b.progress("P1.M2").last_seq == 0);
  CHECK(verify(b.p()).ok());
}

TEST_CASE("ledger workflow: start only from planned", "[ledger][workflow]") {
  book b;
  b.ok({"P1.M1", action::start, kOwner});
  CHECK(b.refused({"P1.M1", action::start, kOwner}) == guard("P1.M1: start needs state planned, not in_progress"));
  b.ok({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = proof()});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T1"});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T2"});
  b.ok({"P1.M1", action::submit, kOwner});
  CHECK(b.refused({"P1.M1", action::start, kL1}) == guard("P1.M1: start needs state planned, not submitted"));
}

TEST_CASE("ledger workflow: evidence in any state but closed", "[ledger][workflow]") {
  book b;
  const step add{.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = proof()};
  b.ok(add);  // planned
  CHECK(b.of("P1.M1") == state::planned);
  CHECK(b.progress("P1.M1").evidence_total == 1);
  b.ok({"P1.M1", action::start, kOwner});
  // Evidence counts from the start: what was filed before it does not allow a submit.
  CHECK(b.progress("P1.M1").evidence_since_open == 0);
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T1"});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T2"});
  CHECK(b.refused({"P1.M1", action::submit, kOwner}) == guard("P1.M1: submit needs evidence"));
  b.ok(add);  // in_progress
  b.ok({"P1.M1", action::submit, kOwner});
  b.ok(add);  // submitted
  b.approve(kL1, 1);
  b.approve(kL2, 2);
  b.approve(kL3, 3);
  b.ok(add);  // verified
  CHECK(b.of("P1.M1") == state::verified);
  CHECK(b.progress("P1.M1").evidence_total == 4);
  b.ok({"P1.M1", action::close, kL1});
  CHECK(b.refused(add) == guard("P1.M1: evidence cannot be added to a closed measure (reopen it first)"));
  CHECK(b.progress("P1.M1").evidence_total == 4);
}

TEST_CASE("ledger workflow: submit needs in_progress, evidence and every task done", "[ledger][workflow]") {
  book b;
  const step submit{"P1.M1", action::submit, kOwner};
  CHECK(b.refused(submit) == guard("P1.M1: submit needs state in_progress, not planned"));
  b.ok({"P1.M1", action::start, kOwner});
  CHECK(b.refused(submit) == guard("P1.M1: submit needs evidence"));
  b.ok({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = proof()});
  CHECK(b.refused(submit) == guard("P1.M1: submit needs every task done (P1.M1.T1 is not)"));
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T1"});
  CHECK(b.refused(submit) == guard("P1.M1: submit needs every task done (P1.M1.T2 is not)"));
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T2"});
  b.ok(submit);
  CHECK(b.of("P1.M1") == state::submitted);
  CHECK(b.refused(submit) == guard("P1.M1: submit needs state in_progress, not submitted"));
  // A measure without tasks needs only its evidence.
  b.ok({"P1.M2", action::start, "钱干事"});
  b.ok({.measure = "P1.M2", .act = action::evidence, .by = "钱干事", .proof = proof()});
  b.ok({"P1.M2", action::submit, "钱干事"});
  CHECK(b.of("P1.M2") == state::submitted);
}

TEST_CASE("ledger workflow: three levels reviewed level by level by different people", "[ledger][workflow]") {
  book b;
  auto approve = [](const std::string& by, std::int64_t level) {
    return step{.measure = "P1.M1", .act = action::approve, .by = by, .level = level};
  };
  b.ok({"P1.M1", action::start, kOwner});
  CHECK(b.refused(approve(kL1, 1)) == guard("P1.M1: approve needs state submitted, not in_progress"));
  b.ok({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = proof()});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T1"});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T2"});
  b.ok({"P1.M1", action::submit, kOwner});

  CHECK(b.refused(approve(kL2, 2)) == guard("P1.M1: approve at level 2 while level 1 is not yet approved"));
  CHECK(b.refused(approve(kL3, 3)) == guard("P1.M1: approve at level 3 while level 1 is not yet approved"));
  CHECK(b.refused(approve(kOwner, 1)) == guard("P1.M1: the owner 王干事 may not approve"));
  CHECK(b.refused(approve(kL1, 0)) == guard("P1.M1: level 0 does not exist (the ledger has 3 review levels)"));
  CHECK(b.refused(approve(kL1, 4)) == guard("P1.M1: level 4 does not exist (the ledger has 3 review levels)"));
  CHECK(b.refused({"P1.M1", action::approve, kL1}) == guard("P1.M1: approve needs a review level (1 to 3)"));
  b.ok(approve(kL1, 1));
  CHECK(b.progress("P1.M1").approved_levels == 1);
  CHECK(b.refused(approve(kL2, 1)) ==
        guard("P1.M1: approve at level 1, which already approved this submission (level 2 reviews it now)"));
  CHECK(b.refused(approve(kL1, 2)) == guard("P1.M1: 张科长 already approved level 1 of this submission"));
  CHECK(b.refused(approve(kL3, 3)) == guard("P1.M1: approve at level 3 while level 2 is not yet approved"));
  CHECK(b.refused(approve(kOwner, 2)) == guard("P1.M1: the owner 王干事 may not approve"));
  // A reviewer may write an opinion (审核意见) with the approval.
  b.ok({.measure = "P1.M1", .act = action::approve, .by = kL2, .level = 2, .note = "材料齐全"});
  CHECK(b.of("P1.M1") == state::submitted);
  CHECK(b.refused(approve(kL1, 3)) == guard("P1.M1: 张科长 already approved level 1 of this submission"));
  CHECK(b.refused(approve(kL2, 3)) == guard("P1.M1: 刘主任 already approved level 2 of this submission"));
  b.ok(approve(kL3, 3));
  CHECK(b.of("P1.M1") == state::verified);
  CHECK(b.progress("P1.M1").approvers == std::vector<std::string>{kL1, kL2, kL3});
  CHECK(b.refused(approve("其他人", 1)) == guard("P1.M1: approve needs state submitted, not verified"));
}

TEST_CASE("ledger workflow: a single review level verifies at once", "[ledger][workflow]") {
  book b;
  b.mutable_plan().review_levels = {"科长审核"};
  replay r(b.p());
  plan& p = b.mutable_plan();
  auto push = [&](action_request req) {
    event e = make_event(p, req);
    r.apply(e);
    p.log.push_back(e);
  };
  auto at = ts("2026-04-01T09:00:00+08:00");
  push(request("P2.M1", action::start, "孙科长", at));
  push(request("P2.M1", action::evidence, "孙科长", at, {}, proof()));
  push(request("P2.M1", action::submit, "孙科长", at));
  CHECK(message_of([&] { (void)make_event(p, request("P2.M1", action::approve, "张科长", at, 2)); }) ==
        guard("P2.M1: level 2 does not exist (the ledger has 1 review level)"));
  push(request("P2.M1", action::approve, "张科长", at, 1));
  CHECK(r.progress(p.find_measure("P2.M1")->index).current == state::verified);
}

TEST_CASE("ledger workflow: a return needs a note, follows the reviewer rules and voids the approvals",
          "[ledger][workflow]") {
  book b;
  auto ret = [](const std::string& by, std::int64_t level, std::optional<std::string> note = "材料不全,补充会议记录") {
    return step{.measure = "P1.M1", .act = action::return_, .by = by, .level = level, .note = std::move(note)};
  };
  b.ok({"P1.M1", action::start, kOwner});
  CHECK(b.refused(ret(kL1, 1)) == guard("P1.M1: return needs state submitted, not in_progress"));
  b.ok({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = proof()});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T1"});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T2"});
  b.ok({"P1.M1", action::submit, kOwner});
  b.approve(kL1, 1);
  b.approve(kL2, 2);

  CHECK(b.refused(ret(kL3, 3, std::nullopt)) == guard("P1.M1: return needs a note (退回意见)"));
  CHECK(b.refused(ret(kL3, 3, "")) == guard("P1.M1: return needs a note (退回意见)"));
  CHECK(b.refused(ret(kL3, 3, " \t\u3000 ")) == guard("P1.M1: return needs a note (退回意见)"));
  CHECK(b.refused({.measure = "P1.M1", .act = action::return_, .by = kL3, .note = "x"}) ==
        guard("P1.M1: return needs a review level (1 to 3)"));
  CHECK(b.refused(ret(kL1, 1)) ==
        guard("P1.M1: return at level 1, which already approved this submission (level 3 reviews it now)"));
  CHECK(b.refused(ret(kL2, 2)) ==
        guard("P1.M1: return at level 2, which already approved this submission (level 3 reviews it now)"));
  CHECK(b.refused(ret(kOwner, 3)) == guard("P1.M1: the owner 王干事 may not return"));
  CHECK(b.refused(ret(kL1, 3)) == guard("P1.M1: 张科长 already approved level 1 of this submission"));
  b.ok(ret(kL3, 3));
  CHECK(b.of("P1.M1") == state::in_progress);
  CHECK(b.progress("P1.M1").returns == 1);
  CHECK(b.progress("P1.M1").approved_levels == 0);
  CHECK(b.progress("P1.M1").approvers.empty());
  CHECK(b.progress("P1.M1").tasks_done == std::vector<bool>{true, true});

  // A resubmission (the evidence since the start still counts) is reviewed from level 1 again,
  // by anyone, including those whose approvals the return voided.
  b.ok({"P1.M1", action::submit, kOwner});
  CHECK(b.refused({.measure = "P1.M1", .act = action::approve, .by = kL3, .level = 2}) ==
        guard("P1.M1: approve at level 2 while level 1 is not yet approved"));
  CHECK(b.refused(ret(kL2, 2)) == guard("P1.M1: return at level 2 while level 1 is not yet approved"));
  b.approve(kL2, 1);
  CHECK(b.refused(ret(kL2, 2)) == guard("P1.M1: 刘主任 already approved level 1 of this submission"));
  b.ok(ret(kL1, 2));
  CHECK(b.progress("P1.M1").returns == 2);
  b.ok({"P1.M1", action::submit, kOwner});
  b.ok(ret(kL1, 1));  // a return at the first level needs no approval before it
  CHECK(b.progress("P1.M1").returns == 3);
  CHECK(b.of("P1.M1") == state::in_progress);
  CHECK(verify(b.p()).ok());
}

TEST_CASE("ledger workflow: close needs verified and someone other than the owner", "[ledger][workflow]") {
  book b;
  const step by_leader{"P1.M1", action::close, "李书记"};
  CHECK(b.refused(by_leader) == guard("P1.M1: close needs state verified, not planned"));
  b.submitted();
  CHECK(b.refused(by_leader) == guard("P1.M1: close needs state verified, not submitted"));
  b.approve(kL1, 1);
  b.approve(kL2, 2);
  b.approve(kL3, 3);
  CHECK(b.refused({"P1.M1", action::close, kOwner}) == guard("P1.M1: the owner 王干事 may not close (销号)"));
  // A deadline measure may close before its due date (2026-04-30), and a reviewer may close.
  b.ok({"P1.M1", action::close, kL2});
  CHECK(b.of("P1.M1") == state::closed);
  CHECK(b.refused(by_leader) == guard("P1.M1: close needs state verified, not closed"));
}

TEST_CASE("ledger workflow: a long_term measure closes only on a local date after its due date", "[ledger][workflow]") {
  book b;
  const std::string owner = "钱干事";  // P1.M2, long_term, due 2026-12-31
  b.ok({"P1.M2", action::start, owner});
  b.ok({.measure = "P1.M2", .act = action::evidence, .by = owner, .proof = proof()});
  b.ok({"P1.M2", action::submit, owner});
  b.ok({.measure = "P1.M2", .act = action::approve, .by = kL1, .level = 1});
  b.ok({.measure = "P1.M2", .act = action::approve, .by = kL2, .level = 2});
  b.ok({.measure = "P1.M2", .act = action::approve, .by = kL3, .level = 3, .at = "2026-12-20T10:00:00+08:00"});
  CHECK(b.of("P1.M2") == state::verified);
  const std::string reason = guard("P1.M2: a long_term measure closes only after its due date 2026-12-31");
  CHECK(b.refused({.measure = "P1.M2", .act = action::close, .by = kL3, .at = "2026-12-30T10:00:00+08:00"}) == reason);
  CHECK(b.refused({.measure = "P1.M2", .act = action::close, .by = kL3, .at = "2026-12-31T23:59:59+08:00"}) == reason);
  // Already 1 January in UTC and in Beijing, but still the due date where it was recorded.
  CHECK(b.refused({.measure = "P1.M2", .act = action::close, .by = kL3, .at = "2026-12-31T23:30:00-05:00"}) == reason);
  // Still 31 December in UTC, but 1 January where it was recorded.
  b.ok({.measure = "P1.M2", .act = action::close, .by = kL3, .at = "2027-01-01T00:00:00+08:00"});
  CHECK(b.of("P1.M2") == state::closed);
}

TEST_CASE("ledger workflow: reopen from closed or verified needs a note and new evidence", "[ledger][workflow]") {
  book b;
  auto reopen = [](std::optional<std::string> note) {
    return step{.measure = "P1.M1", .act = action::reopen, .by = "李书记", .note = std::move(note)};
  };
  const std::string relapse = "回头看发现三会一课记录又不完整";
  CHECK(b.refused(reopen(relapse)) == guard("P1.M1: reopen needs state closed or verified, not planned"));
  b.ok({"P1.M1", action::start, kOwner});
  CHECK(b.refused(reopen(relapse)) == guard("P1.M1: reopen needs state closed or verified, not in_progress"));
  b.ok({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = proof()});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T1"});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T2"});
  b.ok({"P1.M1", action::submit, kOwner});
  CHECK(b.refused(reopen(relapse)) == guard("P1.M1: reopen needs state closed or verified, not submitted"));
  b.approve(kL1, 1);
  b.approve(kL2, 2);
  b.approve(kL3, 3);
  b.ok({"P1.M1", action::close, kL1});

  CHECK(b.refused(reopen(std::nullopt)) == guard("P1.M1: reopen needs a note (回头看发现的问题)"));
  CHECK(b.refused(reopen("  ")) == guard("P1.M1: reopen needs a note (回头看发现的问题)"));
  b.ok(reopen(relapse));
  CHECK(b.of("P1.M1") == state::in_progress);
  CHECK(b.progress("P1.M1").reopens == 1);
  CHECK(b.progress("P1.M1").approved_levels == 0);
  CHECK(b.progress("P1.M1").evidence_since_open == 0);
  CHECK(b.progress("P1.M1").evidence_total == 1);
  // The tasks stay done; the evidence must be new.
  CHECK(b.refused({"P1.M1", action::submit, kOwner}) == guard("P1.M1: submit needs evidence"));
  b.ok({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = proof("整改台账.xlsx")});
  b.ok({"P1.M1", action::submit, kOwner});
  // Everyone may review the new submission afresh.
  b.approve(kL1, 1);
  b.approve(kL2, 2);
  b.approve(kL3, 3);
  // A verified measure may be reopened before it is closed.
  b.ok(reopen("复核发现问题"));
  CHECK(b.of("P1.M1") == state::in_progress);
  CHECK(b.progress("P1.M1").reopens == 2);
  CHECK(verify(b.p()).ok());
}

TEST_CASE("ledger workflow: task_done for a task of the measure, once, while in progress", "[ledger][workflow]") {
  book b;
  auto done = [](const std::string& measure, const std::string& task) {
    return step{.measure = measure, .act = action::task_done, .by = kOwner, .task = task};
  };
  CHECK(b.refused(done("P1.M1", "P1.M1.T1")) == guard("P1.M1: task_done needs state in_progress, not planned"));
  b.ok({"P1.M1", action::start, kOwner});
  b.ok({"P1.M2", action::start, "钱干事"});
  CHECK(b.refused(done("P1.M1", "P1.M1.T9")) == guard("P1.M1: no such task P1.M1.T9"));
  CHECK(b.refused(done("P1.M2", "P1.M1.T1")) == guard("P1.M2: no such task P1.M1.T1"));
  CHECK(b.refused({"P1.M1", action::task_done, kOwner}) == guard("P1.M1: task_done needs a task"));
  b.ok(done("P1.M1", "P1.M1.T1"));
  CHECK(b.refused(done("P1.M1", "P1.M1.T1")) == guard("P1.M1: task P1.M1.T1 is already done"));
  CHECK(b.progress("P1.M1").tasks_done == std::vector<bool>{true, false});
  b.ok(done("P1.M1", "P1.M1.T2"));
  b.ok({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = proof()});
  b.ok({"P1.M1", action::submit, kOwner});
  // Nothing to mark any more: the submission says every task is done.
  CHECK(b.refused(done("P1.M1", "P1.M1.T2")) == guard("P1.M1: task_done needs state in_progress, not submitted"));
}

TEST_CASE("ledger workflow: an event carries exactly the keys its action uses", "[ledger][workflow]") {
  book b;
  CHECK(b.refused({.measure = "P1.M1", .act = action::start, .by = kOwner, .level = 1}) ==
        guard("P1.M1: start takes no level"));
  CHECK(b.refused({.measure = "P1.M1", .act = action::start, .by = kOwner, .task = "P1.M1.T1"}) ==
        guard("P1.M1: start takes no task"));
  CHECK(b.refused({.measure = "P1.M1", .act = action::start, .by = kOwner, .proof = proof()}) ==
        guard("P1.M1: start takes no evidence file (add it with an evidence event)"));
  CHECK(b.refused({"P1.M1", action::start, ""}) == guard("P1.M1: start needs a person (by)"));
  b.ok({.measure = "P1.M1", .act = action::start, .by = kOwner, .note = "按计划启动"});
  CHECK(b.refused({"P1.M1", action::evidence, kOwner}) ==
        guard("P1.M1: evidence needs a file (name, sha256 and bytes)"));
  CHECK(b.refused({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = evidence{"", kZeros, 1}}) ==
        guard("P1.M1: evidence needs a file name"));
  CHECK(b.refused({.measure = "P1.M1",
                   .act = action::evidence,
                   .by = kOwner,
                   .proof = evidence{"a.pdf", std::string(64, 'A'), 1}}) ==
        guard("P1.M1: evidence needs a SHA-256 digest of 64 lowercase hex characters"));
  CHECK(
      b.refused({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = evidence{"a.pdf", kZeros, -1}}) ==
      guard("P1.M1: evidence cannot have a negative size"));
  CHECK(b.refused({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .level = 2, .proof = proof()}) ==
        guard("P1.M1: evidence takes no level"));
  b.ok({.measure = "P1.M1", .act = action::evidence, .by = kOwner, .proof = proof()});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T1"});
  b.ok({.measure = "P1.M1", .act = action::task_done, .by = kOwner, .task = "P1.M1.T2"});
  CHECK(b.refused({.measure = "P1.M1", .act = action::submit, .by = kOwner, .proof = proof()}) ==
        guard("P1.M1: submit takes no evidence file (add it with an evidence event)"));
  CHECK(b.refused({.measure = "P1.M1", .act = action::submit, .by = kOwner, .task = "P1.M1.T1"}) ==
        guard("P1.M1: submit takes no task"));
  b.ok({"P1.M1", action::submit, kOwner});
  CHECK(b.refused({.measure = "P1.M1", .act = action::approve, .by = kL1, .level = 1, .task = "P1.M1.T1"}) ==
        guard("P1.M1: approve takes no task"));
}

TEST_CASE("ledger workflow: equal times are allowed, earlier ones refused, compared as instants",
          "[ledger][workflow]") {
  book b;
  b.ok({.measure = "P1.M1", .act = action::start, .by = kOwner, .at = "2026-04-01T09:00:00+08:00"});
  // The same instant written in other offsets.
  b.ok({.measure = "P1.M2", .act = action::start, .by = "钱干事", .at = "2026-04-01T01:00:00Z"});
  b.ok({.measure = "P2.M1", .act = action::start, .by = "孙科长", .at = "2026-03-31T20:00:00-05:00"});
  const step earlier{.measure = "P2.M2", .act = action::start, .by = "周干事", .at = "2026-04-01T08:59:59+08:00"};
  CHECK(b.refused(earlier) == guard("P2.M2: event at 2026-04-01T08:59:59+08:00 is earlier than the last event of "
                                    "the log (2026-03-31T20:00:00-05:00)"));
  // Reads later on the clock face, but is an hour earlier.
  CHECK(b.refused({.measure = "P2.M2", .act = action::start, .by = "周干事", .at = "2026-04-01T09:30:00+09:00"}) ==
        guard("P2.M2: event at 2026-04-01T09:30:00+09:00 is earlier than the last event of the log "
              "(2026-03-31T20:00:00-05:00)"));
  // Reads earlier on the clock face, but is a second later.
  b.ok({.measure = "P2.M2", .act = action::start, .by = "周干事", .at = "2026-03-31T17:00:01-08:00"});
  // The whole log counts, not only the measure's own events.
  CHECK(b.refused({.measure = "P1.M1",
                   .act = action::evidence,
                   .by = kOwner,
                   .proof = proof(),
                   .at = "2026-04-01T09:00:00+08:00"}) ==
        guard("P1.M1: event at 2026-04-01T09:00:00+08:00 is earlier than the last event of the log "
              "(2026-03-31T17:00:01-08:00)"));
  CHECK(verify(b.p()).ok());
}

TEST_CASE("ledger workflow: check names an unknown measure and a seq that does not follow", "[ledger][workflow]") {
  book b;
  b.ok({"P1.M1", action::start, kOwner});
  b.ok({"P1.M2", action::start, "钱干事"});
  b.ok({"P2.M1", action::start, "孙科长"});
  event e = b.by_hand({"P2.M2", action::start, "周干事"});
  e.seq = 5;
  CHECK(b.r().check(e) == "P2.M2: seq 5 does not follow 3");
  CHECK(replay(b.p()).check(e) == "P2.M2: the first event has seq 1, not 5");
  CHECK(b.refused({"P9.M9", action::start, kOwner}) == guard("P9.M9: no such measure"));
}

TEST_CASE("ledger workflow: an unguarded apply moves the state as the action says", "[ledger][workflow]") {
  const plan p = rectify::io::load_ledger_file(kSmall);
  replay r(p);
  const auto i = p.find_measure("P1.M1")->index;
  event e;
  e.seq = 1;
  e.at = ts("2026-04-01T09:00:00+08:00");
  e.measure = "P1.M1";
  e.by = kOwner;
  e.act = action::submit;  // no start, no evidence, no tasks: the guards would refuse
  REQUIRE(r.check(e));
  r.apply(e, false);
  CHECK(r.progress(i).current == state::submitted);
  e.seq = 7;  // a filtered subset skips events
  e.act = action::approve;
  e.level = 3;
  e.by = kOwner;
  r.apply(e, false);
  CHECK(r.progress(i).current == state::verified);
  CHECK(r.progress(i).approved_levels == 3);
  CHECK(r.progress(i).last_seq == 7);
  CHECK(r.events_applied() == 2);
  e.measure = "P9.M9";  // names nothing: counted, moves nothing
  r.apply(e, false);
  CHECK(r.events_applied() == 3);
}

TEST_CASE("ledger workflow: record_states writes the replay into the measures", "[ledger][workflow]") {
  book b;
  b.verified();
  b.ok({"P1.M2", action::start, "钱干事"});
  plan p = b.p();
  record_states(p);
  CHECK(p.at(*p.find_measure("P1.M1")).recorded_state == state::verified);
  CHECK(p.at(*p.find_measure("P1.M2")).recorded_state == state::in_progress);
  CHECK(p.at(*p.find_measure("P2.M1")).recorded_state == state::planned);
  CHECK(verify(p).ok());
}

TEST_CASE("ledger workflow: the hash chain matches a hand computation", "[ledger][workflow][verify]") {
  // Expected hashes computed with Python: hashlib.sha256((prev + json.dumps(event, sort_keys=True,
  // separators=(",", ":"), ensure_ascii=False)).encode()).hexdigest(), as docs/ledger.md shows.
  book b;
  const event e1 = b.ok({.measure = "P1.M1", .act = action::start, .by = kOwner, .at = "2026-04-01T09:00:00+08:00"});
  CHECK(rectify::io::canonical_event_json(e1) ==
        R"({"action":"start","at":"2026-04-01T09:00:00+08:00","by":"王干事","measure":"P1.M1","prev":")" + kZeros +
            R"(","seq":1})");
  CHECK(e1.prev == kZeros);
  CHECK(e1.hash == "3c58ea9c2893c0be3e22debacc7866b9ef104f647a8d6c8a7c9da6dbd44738fa");
  const event e2 = b.ok({.measure = "P1.M1",
                         .act = action::evidence,
                         .by = kOwner,
                         .note = "起草\"三会一课\"计划",
                         .proof = evidence{"计划.txt", sha256_hex("abc"), 3},
                         .at = "2026-04-02T10:00:00+08:00"});
  CHECK(e2.proof->sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(e2.prev == e1.hash);
  CHECK(e2.hash == "fec20e95a45a6bcd5bed70fd0eea71783c4dc35ee1f0766b26c3e7ffda436823");
  const verify_report report = verify(b.p());
  CHECK(report.ok());
  CHECK(report.events == 2);
}

namespace {

// A ledger with a varied log of 14 events for the tampering tests.
void fill(book& b) {
  b.verified();  // 8 events on P1.M1
  b.ok({"P1.M1", action::close, kL1});
  b.ok({"P1.M2", action::start, "钱干事"});
  b.ok({.measure = "P1.M2", .act = action::evidence, .by = "钱干事", .note = "会议记录", .proof = proof()});
  b.ok({"P1.M2", action::submit, "钱干事"});
  b.ok({.measure = "P1.M2", .act = action::return_, .by = kL1, .level = 1, .note = "缺签到表"});
  b.ok({"P2.M1", action::start, "孙科长"});
}

verify_failure failure_of(const plan& p) {
  const verify_report report = verify(p);
  REQUIRE_FALSE(report.ok());
  return *report.failure;
}

}  // namespace

TEST_CASE("ledger verify: a changed note breaks that event's hash", "[ledger][verify]") {
  book b;
  fill(b);
  REQUIRE(verify(b.p()).ok());
  REQUIRE(verify(b.p()).events == 14);
  plan p = b.p();
  REQUIRE(p.log[12].note == "缺签到表");
  p.log[12].note = "材料齐全";
  const verify_failure f = failure_of(p);
  CHECK(f.seq == 13);
  CHECK(f.index == 12);
  CHECK(f.code == "rectify.ledger.chain");
  CHECK(f.reason == "P1.M2: hash does not match the event's content (SHA-256 gives " +
                        sha256_hex(p.log[12].prev + rectify::io::canonical_event_json(p.log[12])) + ")");
  // Forging the hash too moves the break to the next event, whose prev no longer matches.
  p.log[12].hash = sha256_hex(p.log[12].prev + rectify::io::canonical_event_json(p.log[12]));
  const verify_failure g = failure_of(p);
  CHECK(g.seq == 14);
  CHECK(g.code == "rectify.ledger.chain");
  CHECK(g.reason == "P2.M1: prev is not the hash of seq 13");
  // A changed time, person or evidence digest breaks the hash the same way.
  plan q = b.p();
  q.log[3].by = "别人";
  CHECK(failure_of(q).seq == 4);
  plan r = b.p();
  r.log[1].proof->sha256 = sha256_hex("forged");
  CHECK(failure_of(r).seq == 2);
}

TEST_CASE("ledger verify: a broken prev, a wrong first prev and a seq gap", "[ledger][verify]") {
  book b;
  fill(b);
  plan p = b.p();
  p.log[5].prev = p.log[3].hash;
  const verify_failure f = failure_of(p);
  CHECK(f.seq == 6);
  CHECK(f.index == 5);
  CHECK(f.code == "rectify.ledger.chain");
  CHECK(f.reason == "P1.M1: prev is not the hash of seq 5");

  plan first = b.p();
  first.log[0].prev = std::string(63, '0') + "1";
  CHECK(failure_of(first).reason == "P1.M1: prev of the first event must be 64 zeros");
  CHECK(failure_of(first).seq == 1);

  // An event taken out, the chain recomputed so that only the numbering shows it.
  plan gap = b.p();
  gap.log.erase(gap.log.begin() + 4);
  rechain(gap);
  const verify_failure g = failure_of(gap);
  CHECK(g.index == 4);
  CHECK(g.seq == 5);  // the position, since the stored seq is the wrong one
  CHECK(g.code == "rectify.ledger.seq");
  CHECK(g.reason == "P1.M1: seq 6 does not follow 4");

  plan renumbered = b.p();
  renumbered.log[0].seq = 0;
  rechain(renumbered);
  CHECK(failure_of(renumbered).reason == "P1.M1: the first event has seq 1, not 0");
  CHECK(failure_of(renumbered).code == "rectify.ledger.seq");
}

TEST_CASE("ledger verify: an event a guard refuses, with a sound chain", "[ledger][verify]") {
  book b;
  fill(b);
  // The owner approving his own measure's last level, forged with a valid chain.
  plan p = b.p();
  REQUIRE(p.log[7].act == action::approve);
  p.log[7].by = kOwner;
  rechain(p);
  const verify_failure f = failure_of(p);
  CHECK(f.seq == 8);
  CHECK(f.index == 7);
  CHECK(f.code == "rectify.ledger.guard");
  CHECK(f.reason == "P1.M1: the owner 王干事 may not approve");

  // A submit without evidence: the evidence event removed and the log renumbered.
  plan q = b.p();
  q.log.erase(q.log.begin() + 1);
  for (std::size_t i = 0; i < q.log.size(); ++i) q.log[i].seq = static_cast<std::int64_t>(i) + 1;
  rechain(q);
  const verify_failure g = failure_of(q);
  CHECK(g.seq == 4);
  CHECK(g.code == "rectify.ledger.guard");
  CHECK(g.reason == "P1.M1: submit needs evidence");

  // An event moved back in time.
  plan t = b.p();
  t.log[9].at = ts("2026-03-01T09:00:00+08:00");
  t.log[9].at_text = "2026-03-01T09:00:00+08:00";
  rechain(t);
  CHECK(failure_of(t).seq == 10);
  CHECK(failure_of(t).reason.starts_with("P1.M2: event at 2026-03-01T09:00:00+08:00 is earlier than the last event"));
}

TEST_CASE("ledger verify: an unknown measure or task", "[ledger][verify]") {
  book b;
  fill(b);
  plan p = b.p();
  p.log[10].measure = "P9.M9";
  rechain(p);
  const verify_failure f = failure_of(p);
  CHECK(f.seq == 11);
  CHECK(f.code == "rectify.ledger.unknown_measure");
  CHECK(f.reason == "P9.M9: no such measure");

  plan q = b.p();
  REQUIRE(q.log[2].act == action::task_done);
  q.log[2].task = "P1.M1.T7";
  rechain(q);
  const verify_failure g = failure_of(q);
  CHECK(g.seq == 3);
  CHECK(g.code == "rectify.ledger.unknown_task");
  CHECK(g.reason == "P1.M1: no such task P1.M1.T7");
}

TEST_CASE("ledger verify: a recorded state that disagrees with the replay", "[ledger][verify]") {
  book b;
  fill(b);
  plan p = b.p();
  record_states(p);
  REQUIRE(verify(p).ok());
  auto ref = p.find_measure("P1.M2");
  p.problems[ref->problem].measures[ref->measure].recorded_state = state::verified;
  const verify_failure f = failure_of(p);
  CHECK(f.code == "rectify.ledger.recorded_state");
  CHECK(f.seq == 13);  // the return, P1.M2's last event
  CHECK(f.index == 12);
  CHECK(f.reason == "P1.M2: the file records state verified but the log gives in_progress");
  // A measure without events is named by seq 0.
  plan q = b.p();
  auto untouched = q.find_measure("P2.M2");
  q.problems[untouched->problem].measures[untouched->measure].recorded_state = state::closed;
  CHECK(failure_of(q).seq == 0);
  CHECK(failure_of(q).reason == "P2.M2: the file records state closed but the log gives planned");
}

namespace {

// JSON string with every non-ASCII character written as \uXXXX (the test data stays in the
// Basic Multilingual Plane) and `/` as `\/`: a spelling the writer never uses.
std::string escaped(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    unsigned cp = c;
    std::size_t len = 1;
    if (c >= 0xE0) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      len = 3;
    } else if (c >= 0xC0) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      len = 2;
    }
    if (cp == '"' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '/') {
      out += "\\/";
    } else if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      out += buf;
    }
    i += len;
  }
  return out + "\"";
}

// The event with its keys in reverse order, one per line, indented by eight spaces.
std::string reordered(const event& e) {
  const std::string nl = "\n        ";
  std::string out = "{" + nl + "\"seq\" : " + std::to_string(e.seq);
  out += "," + nl + "\"prev\" : " + escaped(e.prev);
  if (e.note) out += "," + nl + "\"note\" : " + escaped(*e.note);
  out += "," + nl + "\"measure\" : " + escaped(e.measure);
  if (e.level) out += "," + nl + "\"level\" : " + std::to_string(*e.level);
  out += "," + nl + "\"hash\" : " + escaped(e.hash);
  if (e.proof)
    out += "," + nl + "\"evidence\" : { \"sha256\" : " + escaped(e.proof->sha256) +
           ", \"name\" : " + escaped(e.proof->name) + ", \"bytes\" : " + std::to_string(e.proof->bytes) + " }";
  out += "," + nl + "\"by\" : " + escaped(e.by);
  out += "," + nl + "\"at\" : " + escaped(e.at_text);
  if (e.task) out += "," + nl + "\"task\" : " + escaped(*e.task);
  out += "," + nl + "\"action\" : " + escaped(std::string(name(e.act)));
  return out + "\n    }";
}

}  // namespace

TEST_CASE("ledger verify: a re-indented file with its keys reordered still verifies", "[ledger][verify]") {
  book b;
  fill(b);
  b.ok({.measure = "P2.M1", .act = action::evidence, .by = "孙科长", .proof = proof("a/b\"c.pdf")});
  std::ifstream in(kSmall, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string empty_log = "\"log\": []";
  const auto at = text.find(empty_log);
  REQUIRE(at != std::string::npos);
  std::string log = "\"log\" :\n  [\n    ";
  for (std::size_t i = 0; i < b.p().log.size(); ++i) log += (i ? ",\n    " : "") + reordered(b.p().log[i]);
  log += "\n  ]";
  text.replace(at, empty_log.size(), log);
  REQUIRE(text.find("\\u738b\\u5e72\\u4e8b") != std::string::npos);  // 王干事, escaped

  const plan p = rectify::io::parse_ledger(text, "reordered.json");
  REQUIRE(p.log.size() == 15);
  const verify_report report = verify(p);
  CHECK(report.ok());
  CHECK(report.events == 15);
  for (std::size_t i = 0; i < p.log.size(); ++i) CHECK(p.log[i].hash == b.p().log[i].hash);
  // And a change inside the reordered text is still caught.
  const auto note = text.find("\\u7f3a\\u7b7e\\u5230\\u8868");  // 缺签到表
  REQUIRE(note != std::string::npos);
  text.replace(note, 6, "\\u6b20");
  const verify_report tampered = verify(rectify::io::parse_ledger(text, "reordered.json"));
  REQUIRE_FALSE(tampered.ok());
  CHECK(tampered.failure->seq == 13);
  CHECK(tampered.failure->code == "rectify.ledger.chain");
}

TEST_CASE("ledger workflow: make_event never extends a log that does not verify", "[ledger][workflow]") {
  book b;
  fill(b);
  plan p = b.p();
  p.log[3].note = "改过";
  const std::string message = message_of(
      [&] { (void)make_event(p, request("P2.M2", action::start, "周干事", ts("2026-06-01T09:00:00+08:00"))); });
  CHECK(
      message.starts_with("[rectify.ledger.chain] /log/3: the log does not verify at seq 4 (rectify.ledger.chain: "
                          "P1.M1: hash does not match"));
  CHECK(message.ends_with("); a ledger whose log does not verify is never extended"));
  // The same request on the sound log is fine and continues the chain.
  const event e = make_event(b.p(), request("P2.M2", action::start, "周干事", ts("2026-06-01T09:00:00+08:00")));
  CHECK(e.seq == 15);
  CHECK(e.prev == b.p().log.back().hash);
  CHECK(e.at_text == "2026-06-01T09:00:00+08:00");
}

TEST_CASE("ledger workflow: make_event without a time uses now, with an offset", "[ledger][workflow]") {
  book b;
  const auto before = timestamp::now_local().utc_seconds;
  const event e = make_event(b.p(), request("P1.M1", action::start, kOwner, std::nullopt));
  CHECK(e.at.utc_seconds >= before);
  CHECK(e.at.utc_seconds <= timestamp::now_local().utc_seconds);
  CHECK(timestamp::parse(e.at_text));
  CHECK(e.seq == 1);
  CHECK(e.prev == kZeros);
  // An empty note is no note.
  const event f = make_event(b.p(), request("P1.M1", action::start, kOwner, std::nullopt, {}, {}, ""));
  CHECK_FALSE(f.note);
}

TEST_CASE("ledger workflow: make_event with a kept replay gives the same events as without", "[ledger][workflow]") {
  plan plain = rectify::io::load_ledger_file(kSmall);
  plan kept = plain;
  std::optional<replay> verified;
  const std::vector<action_request> reqs = {
      request("P1.M2", action::start, "钱干事", ts("2026-04-01T09:00:00+08:00")),
      request("P1.M2", action::evidence, "钱干事", ts("2026-04-02T09:00:00+08:00"), {}, proof()),
      request("P1.M2", action::submit, "钱干事", ts("2026-04-03T09:00:00+08:00")),
      request("P1.M2", action::approve, kL1, ts("2026-04-04T09:00:00+08:00"), 1),
  };
  for (const auto& req : reqs) {
    const event a = make_event(plain, req);
    const event b = make_event(kept, req, verified);
    CHECK(a.hash == b.hash);
    plain.log.push_back(a);
    kept.log.push_back(b);
    verified->apply(kept.log.back(), false);
  }
  // A refusal leaves the kept replay as it was: the same refusal, then the same next event.
  const auto owner_approves = request("P1.M2", action::approve, "钱干事", ts("2026-04-05T09:00:00+08:00"), 2);
  CHECK(message_of([&] { (void)make_event(kept, owner_approves, verified); }) ==
        message_of([&] { (void)make_event(plain, owner_approves); }));
  const auto next = request("P1.M2", action::approve, kL2, ts("2026-04-05T09:00:00+08:00"), 2);
  CHECK(make_event(kept, next, verified).hash == make_event(plain, next).hash);
  // A log that does not verify is refused whether or not a replay is kept for it.
  plan broken = plain;
  broken.log[1].note = "改过的";
  std::optional<replay> none;
  CHECK(message_of([&] { (void)make_event(broken, next, none); }).find("[rectify.ledger.chain]") != std::string::npos);
  CHECK_FALSE(none.has_value());
}
