// Metrics as of a date (ledger.md §4) on tests/data/ledger/small.json with logs built here.
// Every expected value is worked out by hand from the contract in the comments next to it.
//
// small.json, measures in file order (review levels 3; escalation 7 / 30; feedback 2026-03-01):
//   0 P1.M1 org_life      U01 李书记 王干事 due 2026-04-30 deadline  tasks T1, T2
//   1 P1.M2 org_life      U02 赵书记 钱干事 due 2026-12-31 long_term
//   2 P2.M1 authenticity  U01 李书记 孙科长 due 2026-03-31 immediate
//   3 P2.M2 authenticity  U02 (none) 周干事 due 2026-05-31 deadline
#include "rectify/ledger/metrics.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/io/ledger_json.hpp"
#include "rectify/ledger/workflow.hpp"
#include "support.hpp"

namespace lg = rectify::ledger;
using lg::action;
using lg::escalation;
using lg::group_by;
using lg::state;
using rectify::date;
using rectify::timestamp;

namespace {

date d(std::string_view text) {
  auto v = date::parse(text);
  REQUIRE(v);
  return *v;
}

timestamp ts(std::string_view text) {
  auto v = timestamp::parse(text);
  REQUIRE(v);
  return *v;
}

lg::plan small() {
  return rectify::io::load_ledger_file(RECTIFY_TEST_DATA "/ledger/small.json");
}

// Appends an event through the guarded `make_event`, so every log built with it is one that
// `verify` accepts.
struct log_builder {
  lg::plan& p;

  void act(std::string_view at, std::string_view measure, action a, std::string_view by,
           std::optional<std::int64_t> level = std::nullopt, std::optional<std::string> task = std::nullopt,
           std::optional<std::string> note = std::nullopt) {
    lg::action_request req;
    req.measure = std::string(measure);
    req.act = a;
    req.by = std::string(by);
    req.at = ts(at);
    req.level = level;
    req.task = std::move(task);
    req.note = std::move(note);
    if (a == action::evidence) req.proof = lg::evidence{"材料.pdf", std::string(64, 'a'), 1024};
    p.log.push_back(lg::make_event(p, req));
  }
  void start(std::string_view at, std::string_view m, std::string_view by) { act(at, m, action::start, by); }
  void evidence(std::string_view at, std::string_view m, std::string_view by) { act(at, m, action::evidence, by); }
  void submit(std::string_view at, std::string_view m, std::string_view by) { act(at, m, action::submit, by); }
  void approve(std::string_view at, std::string_view m, std::string_view by, std::int64_t level) {
    act(at, m, action::approve, by, level);
  }
  void give_back(std::string_view at, std::string_view m, std::string_view by, std::int64_t level) {
    act(at, m, action::return_, by, level, std::nullopt, "材料不全");
  }
  void close(std::string_view at, std::string_view m, std::string_view by) { act(at, m, action::close, by); }
  void reopen(std::string_view at, std::string_view m, std::string_view by) {
    act(at, m, action::reopen, by, std::nullopt, std::nullopt, "回头看发现反弹");
  }
  void task_done(std::string_view at, std::string_view m, std::string_view by, std::string task) {
    act(at, m, action::task_done, by, std::nullopt, std::move(task));
  }
};

// An event appended without guards or hashes: the metrics replay unguarded.
void raw(lg::plan& p, std::string_view at, std::string_view measure, action a, std::optional<std::int64_t> level = {}) {
  lg::event e;
  e.seq = static_cast<std::int64_t>(p.log.size()) + 1;
  e.at_text = std::string(at);
  e.at = ts(at);
  e.by = "某人";
  e.measure = std::string(measure);
  e.act = a;
  e.level = level;
  p.log.push_back(std::move(e));
}

// Scenario A (all times +08:00):
//   P2.M1 started 03-05, evidence 03-06, submitted 03-10, approved 03-12 / 03-13 / 03-14
//         (verified 03-14, on time for due 03-31), closed 03-20;
//   P1.M1 started 04-01, evidence 04-02, T1 and T2 done 04-03, submitted 04-05, approved 04-06,
//         returned at level 2 on 04-07, evidence and submitted again 04-10, approved 04-12 and
//         04-13, approved at level 3 on 05-06 (verified late: due 04-30);
//   P1.M2 started 04-15; P2.M2 never started.
lg::plan scenario_a() {
  lg::plan p = small();
  log_builder b{p};
  b.start("2026-03-05T09:00:00+08:00", "P2.M1", "孙科长");
  b.evidence("2026-03-06T09:00:00+08:00", "P2.M1", "孙科长");
  b.submit("2026-03-10T09:00:00+08:00", "P2.M1", "孙科长");
  b.approve("2026-03-12T09:00:00+08:00", "P2.M1", "科长甲", 1);
  b.approve("2026-03-13T09:00:00+08:00", "P2.M1", "主任乙", 2);
  b.approve("2026-03-14T09:00:00+08:00", "P2.M1", "领导丙", 3);
  b.close("2026-03-20T09:00:00+08:00", "P2.M1", "主任乙");
  b.start("2026-04-01T09:00:00+08:00", "P1.M1", "王干事");
  b.evidence("2026-04-02T09:00:00+08:00", "P1.M1", "王干事");
  b.task_done("2026-04-03T09:00:00+08:00", "P1.M1", "王干事", "P1.M1.T1");
  b.task_done("2026-04-03T10:00:00+08:00", "P1.M1", "王干事", "P1.M1.T2");
  b.submit("2026-04-05T09:00:00+08:00", "P1.M1", "王干事");
  b.approve("2026-04-06T09:00:00+08:00", "P1.M1", "科长甲", 1);
  b.give_back("2026-04-07T09:00:00+08:00", "P1.M1", "主任乙", 2);
  b.evidence("2026-04-10T09:00:00+08:00", "P1.M1", "王干事");
  b.submit("2026-04-10T10:00:00+08:00", "P1.M1", "王干事");
  b.approve("2026-04-12T09:00:00+08:00", "P1.M1", "科长甲", 1);
  b.approve("2026-04-13T09:00:00+08:00", "P1.M1", "主任乙", 2);
  b.start("2026-04-15T09:00:00+08:00", "P1.M2", "钱干事");
  b.approve("2026-05-06T09:00:00+08:00", "P1.M1", "领导丙", 3);
  return p;
}

const lg::measure_status& find(const std::vector<lg::measure_status>& ms, std::string_view id) {
  for (const auto& m : ms)
    if (m.id == id) return m;
  FAIL("no measure " << id);
  return ms.front();
}

const lg::group_status& group(const lg::status_report& r, std::string_view key) {
  for (const auto& g : r.groups)
    if (g.key == key) return g;
  FAIL("no group " << key);
  return r.groups.front();
}

std::array<std::int64_t, lg::state_count> states(std::int64_t planned, std::int64_t in_progress, std::int64_t submitted,
                                                 std::int64_t verified, std::int64_t closed) {
  return {planned, in_progress, submitted, verified, closed};
}

// Equal, with NaN equal to NaN (an empty rate on both sides).
bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

}  // namespace

TEST_CASE("ledger metrics: names of groupings and escalation levels", "[ledger][metrics]") {
  CHECK(lg::name(group_by::area) == "area");
  CHECK(lg::name(group_by::unit) == "unit");
  CHECK(lg::name(group_by::leader) == "leader");
  CHECK(lg::name(group_by::owner) == "owner");
  CHECK(lg::parse_group_by("leader") == group_by::leader);
  CHECK(lg::parse_group_by("owner") == group_by::owner);
  CHECK_FALSE(lg::parse_group_by("Unit"));
  CHECK_FALSE(lg::parse_group_by(""));
  CHECK(lg::name(escalation::none).empty());
  CHECK(lg::name(escalation::remind) == "remind");
  CHECK(lg::name(escalation::warn) == "warn");
  CHECK(lg::name(escalation::accountable) == "accountable");
  CHECK(lg::label_zh(escalation::none).empty());
  CHECK(lg::label_zh(escalation::remind) == "提醒");
  CHECK(lg::label_zh(escalation::warn) == "预警");
  CHECK(lg::label_zh(escalation::accountable) == "问责");
}

TEST_CASE("ledger metrics: an empty log leaves every measure planned", "[ledger][metrics]") {
  const lg::plan p = small();
  // 2026-03-01: P2.M1 is due in 30 days, P1.M1 in 60: nothing to remind yet.
  const auto r = lg::status(p, d("2026-03-01"));
  CHECK(r.as_of == d("2026-03-01"));
  REQUIRE(r.measures.size() == 4);
  const std::vector<std::string> ids = {"P1.M1", "P1.M2", "P2.M1", "P2.M2"};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& m = r.measures[i];
    CHECK(m.id == ids[i]);
    CHECK(m.index == i);
    CHECK(m.current == state::planned);
    CHECK_FALSE(m.overdue);
    CHECK(m.days_overdue == 0);
    CHECK(m.level == escalation::none);
    CHECK_FALSE(m.days_to_verify);
    CHECK(m.times_returned == 0);
    CHECK(m.evidence == 0);
  }
  const auto& m0 = r.measures[0];
  CHECK(m0.problem == "P1");
  CHECK(m0.area == "org_life");
  CHECK(m0.unit == "U01");
  CHECK(m0.leader == "李书记");
  CHECK(m0.owner == "王干事");
  CHECK(m0.kind == lg::measure_kind::deadline);
  CHECK(m0.due == d("2026-04-30"));
  CHECK(m0.tasks_total == 2);
  CHECK(m0.tasks_done == 0);
  CHECK(r.measures[1].kind == lg::measure_kind::long_term);
  CHECK(r.measures[3].leader.empty());
  // Units U01 (P1.M1, P2.M1) and U02 (P1.M2, P2.M2), all planned: completion 0, closure 0,
  // on-time empty (nothing verified or closed).
  REQUIRE(r.groups.size() == 2);
  CHECK(r.groups[0].key == "U01");
  CHECK(r.groups[0].total == 2);
  CHECK(r.groups[0].states == states(2, 0, 0, 0, 0));
  CHECK(r.groups[0].completion_rate == 0);
  CHECK(r.groups[0].closure_rate == 0);
  CHECK(std::isnan(r.groups[0].on_time_rate));
  CHECK(r.groups[0].overdue == 0);
  CHECK(r.groups[1].key == "U02");
}

TEST_CASE("ledger metrics: states follow the events of each day, read in their own offset", "[ledger][metrics]") {
  const lg::plan p = scenario_a();
  REQUIRE(lg::verify(p).ok());
  auto state_of = [&](std::string_view as_of, std::string_view id) {
    return find(lg::status(p, d(as_of)).measures, id).current;
  };
  CHECK(state_of("2026-03-04", "P2.M1") == state::planned);
  CHECK(state_of("2026-03-05", "P2.M1") == state::in_progress);  // the start of that day counts
  CHECK(state_of("2026-03-09", "P2.M1") == state::in_progress);
  CHECK(state_of("2026-03-10", "P2.M1") == state::submitted);
  CHECK(state_of("2026-03-13", "P2.M1") == state::submitted);  // two of three levels approved
  CHECK(state_of("2026-03-14", "P2.M1") == state::verified);
  CHECK(state_of("2026-03-20", "P2.M1") == state::closed);
  CHECK(state_of("2026-04-06", "P1.M1") == state::submitted);
  CHECK(state_of("2026-04-07", "P1.M1") == state::in_progress);  // returned
  CHECK(state_of("2026-04-10", "P1.M1") == state::submitted);
  CHECK(state_of("2026-05-05", "P1.M1") == state::submitted);
  CHECK(state_of("2026-05-06", "P1.M1") == state::verified);

  const auto r0402 = lg::status(p, d("2026-04-02"));
  CHECK(find(r0402.measures, "P1.M1").tasks_done == 0);
  CHECK(find(r0402.measures, "P1.M1").evidence == 1);
  const auto r0403 = lg::status(p, d("2026-04-03"));
  CHECK(find(r0403.measures, "P1.M1").tasks_done == 2);
  const auto r0406 = lg::status(p, d("2026-04-06"));
  CHECK(find(r0406.measures, "P1.M1").times_returned == 0);
  const auto r0407 = lg::status(p, d("2026-04-07"));
  CHECK(find(r0407.measures, "P1.M1").times_returned == 1);
}

TEST_CASE("ledger metrics: a measure as of 2026-05-10", "[ledger][metrics]") {
  const lg::plan p = scenario_a();
  const auto r = lg::status(p, d("2026-05-10"));
  const auto& m1 = find(r.measures, "P1.M1");
  CHECK(m1.current == state::verified);
  CHECK_FALSE(m1.overdue);  // verified, though after its due date
  CHECK(m1.days_overdue == 0);
  CHECK(m1.level == escalation::none);
  CHECK(m1.verified_on == d("2026-05-06"));
  CHECK_FALSE(m1.closed_on);
  REQUIRE(m1.days_to_verify);
  CHECK(*m1.days_to_verify == 35);  // 04-01 -> 05-06: 29 days of April + 6
  CHECK(m1.times_returned == 1);
  CHECK(m1.tasks_done == 2);
  CHECK(m1.evidence == 2);

  const auto& m2 = find(r.measures, "P2.M1");
  CHECK(m2.current == state::closed);
  CHECK(m2.verified_on == d("2026-03-14"));
  CHECK(m2.closed_on == d("2026-03-20"));
  REQUIRE(m2.days_to_verify);
  CHECK(*m2.days_to_verify == 9);  // 03-05 -> 03-14

  const auto& m3 = find(r.measures, "P1.M2");
  CHECK(m3.current == state::in_progress);
  CHECK_FALSE(m3.days_to_verify);       // not verified
  CHECK(m3.level == escalation::none);  // due 12-31, 235 days ahead

  const auto& m4 = find(r.measures, "P2.M2");
  CHECK(m4.current == state::planned);
  CHECK(m4.level == escalation::none);  // due 05-31, 21 days ahead
  CHECK_FALSE(m4.overdue);
}

TEST_CASE("ledger metrics: escalation at every boundary", "[ledger][metrics]") {
  const lg::plan p = scenario_a();
  struct probe {
    const char* as_of;
    const char* id;
    bool overdue;
    std::int32_t days;
    escalation level;
  };
  // P2.M2 stays planned, due 2026-05-31; P1.M1 is submitted (not done) until 05-06, due 04-30.
  const probe probes[] = {
      {"2026-05-23", "P2.M2", false, 0, escalation::none},         // due − D = 8
      {"2026-05-24", "P2.M2", false, 0, escalation::remind},       // due − D = 7
      {"2026-05-31", "P2.M2", false, 0, escalation::remind},       // due − D = 0: due today, not late
      {"2026-06-01", "P2.M2", true, 1, escalation::warn},          // D − due = 1
      {"2026-06-30", "P2.M2", true, 30, escalation::warn},         // D − due = 30
      {"2026-07-01", "P2.M2", true, 31, escalation::accountable},  // D − due = 31
      {"2026-04-22", "P1.M1", false, 0, escalation::none},         // submitted, due − D = 8
      {"2026-04-23", "P1.M1", false, 0, escalation::remind},       // submitted measures are reminded too
      {"2026-04-30", "P1.M1", false, 0, escalation::remind},
      {"2026-05-01", "P1.M1", true, 1, escalation::warn},   // submitted but not yet verified: late
      {"2026-05-06", "P1.M1", false, 0, escalation::none},  // verified that day
      {"2026-03-31", "P2.M1", false, 0, escalation::none},  // closed: never escalated
      {"2026-07-01", "P2.M1", false, 0, escalation::none},
  };
  for (const auto& pr : probes) {
    INFO(pr.as_of << " " << pr.id);
    const auto m = find(lg::status(p, d(pr.as_of)).measures, pr.id);
    CHECK(m.overdue == pr.overdue);
    CHECK(m.days_overdue == pr.days);
    CHECK(m.level == pr.level);
  }
}

TEST_CASE("ledger metrics: escalation follows the ledger's own thresholds", "[ledger][metrics]") {
  lg::plan p = small();
  p.escalation.remind_days = 0;
  p.escalation.accountable_days = 0;
  // P2.M2 due 05-31: remind only on the day itself, accountable from the first late day.
  CHECK(find(lg::status(p, d("2026-05-30")).measures, "P2.M2").level == escalation::none);
  CHECK(find(lg::status(p, d("2026-05-31")).measures, "P2.M2").level == escalation::remind);
  CHECK(find(lg::status(p, d("2026-06-01")).measures, "P2.M2").level == escalation::accountable);
}

TEST_CASE("ledger metrics: groups by unit, area, leader and owner", "[ledger][metrics]") {
  const lg::plan p = scenario_a();
  const date may10 = d("2026-05-10");
  // As of 05-10: P1.M1 verified late (05-06 > 04-30), P1.M2 in progress, P2.M1 closed after a
  // verification on time (03-14 <= 03-31), P2.M2 planned. Nothing overdue.
  {
    const auto r = lg::status(p, may10);  // by unit, the default
    REQUIRE(r.groups.size() == 2);
    const auto& u1 = r.groups[0];  // P1.M1 verified, P2.M1 closed
    CHECK(u1.key == "U01");
    CHECK(u1.total == 2);
    CHECK(u1.states == states(0, 0, 0, 1, 1));
    CHECK(u1.completion_rate == 1.0);
    CHECK(u1.closure_rate == 0.5);
    CHECK(u1.on_time_rate == 0.5);  // P2.M1 on time, P1.M1 late
    CHECK(u1.overdue == 0);
    const auto& u2 = r.groups[1];  // P1.M2 in progress, P2.M2 planned
    CHECK(u2.key == "U02");
    CHECK(u2.states == states(1, 1, 0, 0, 0));
    CHECK(u2.completion_rate == 0);
    CHECK(u2.closure_rate == 0);
    CHECK(std::isnan(u2.on_time_rate));  // none verified or closed: empty
  }
  {
    const auto r = lg::status(p, may10, group_by::area);
    REQUIRE(r.groups.size() == 2);
    CHECK(r.groups[0].key == "authenticity");  // P2.M1 closed, P2.M2 planned
    CHECK(r.groups[0].states == states(1, 0, 0, 0, 1));
    CHECK(r.groups[0].completion_rate == 0.5);
    CHECK(r.groups[0].closure_rate == 0.5);
    CHECK(r.groups[0].on_time_rate == 1.0);
    CHECK(r.groups[1].key == "org_life");  // P1.M1 verified late, P1.M2 in progress
    CHECK(r.groups[1].states == states(0, 1, 0, 1, 0));
    CHECK(r.groups[1].completion_rate == 0.5);
    CHECK(r.groups[1].closure_rate == 0);
    CHECK(r.groups[1].on_time_rate == 0);
  }
  {
    // P2.M2 has no leader: its group has the empty key, first in byte order; 李 (E6 9D 8E)
    // sorts before 赵 (E8 B5 B5).
    const auto r = lg::status(p, may10, group_by::leader);
    REQUIRE(r.groups.size() == 3);
    CHECK(r.groups[0].key.empty());
    CHECK(r.groups[0].total == 1);
    CHECK(r.groups[0].states == states(1, 0, 0, 0, 0));
    CHECK(r.groups[1].key == "李书记");
    CHECK(r.groups[1].total == 2);
    CHECK(r.groups[1].on_time_rate == 0.5);
    CHECK(r.groups[2].key == "赵书记");
    CHECK(r.groups[2].total == 1);
  }
  {
    // 周 U+5468, 孙 U+5B59, 王 U+738B, 钱 U+94B1.
    const auto r = lg::status(p, may10, group_by::owner);
    REQUIRE(r.groups.size() == 4);
    CHECK(r.groups[0].key == "周干事");
    CHECK(std::isnan(r.groups[0].on_time_rate));
    CHECK(r.groups[1].key == "孙科长");
    CHECK(r.groups[1].closure_rate == 1.0);
    CHECK(r.groups[1].on_time_rate == 1.0);
    CHECK(r.groups[2].key == "王干事");
    CHECK(r.groups[2].completion_rate == 1.0);
    CHECK(r.groups[2].on_time_rate == 0);
    CHECK(r.groups[3].key == "钱干事");
    CHECK(r.groups[3].states == states(0, 1, 0, 0, 0));
  }
  {
    // 05-01: P1.M1 (U01) is one day late while still submitted.
    const auto r = lg::status(p, d("2026-05-01"));
    CHECK(group(r, "U01").overdue == 1);
    CHECK(group(r, "U01").states == states(0, 0, 1, 0, 1));
    CHECK(group(r, "U02").overdue == 0);
  }
}

TEST_CASE("ledger metrics: on time uses the latest verification after a reopen", "[ledger][metrics]") {
  lg::plan p = scenario_a();
  log_builder b{p};
  b.reopen("2026-05-20T09:00:00+08:00", "P2.M1", "主任乙");
  b.evidence("2026-05-21T09:00:00+08:00", "P2.M1", "孙科长");
  b.submit("2026-05-22T09:00:00+08:00", "P2.M1", "孙科长");
  b.approve("2026-05-25T09:00:00+08:00", "P2.M1", "科长甲", 1);
  b.approve("2026-05-26T09:00:00+08:00", "P2.M1", "主任乙", 2);
  b.approve("2026-05-27T09:00:00+08:00", "P2.M1", "领导丙", 3);
  REQUIRE(lg::verify(p).ok());

  // Reopened on 05-20: in progress again and 50 days past its due date 03-31 (> 30: accountable).
  const auto r20 = lg::status(p, d("2026-05-20"));
  const auto& m20 = find(r20.measures, "P2.M1");
  CHECK(m20.current == state::in_progress);
  CHECK(m20.overdue);
  CHECK(m20.days_overdue == 50);
  CHECK(m20.level == escalation::accountable);
  CHECK_FALSE(m20.days_to_verify);
  CHECK(group(r20, "U01").on_time_rate == 0);  // only P1.M1 is verified, late

  // Verified again on 05-27, after its due date: no longer on time. Days to verify run from the
  // first start (03-05) to the latest verification: 26 + 30 + 27 = 83.
  const auto r27 = lg::status(p, d("2026-05-27"));
  const auto& m27 = find(r27.measures, "P2.M1");
  CHECK(m27.current == state::verified);
  CHECK(m27.verified_on == d("2026-05-27"));
  REQUIRE(m27.days_to_verify);
  CHECK(*m27.days_to_verify == 83);
  CHECK(group(r27, "U01").on_time_rate == 0);
  CHECK(group(r27, "U01").completion_rate == 1.0);
  CHECK(group(r27, "U01").closure_rate == 0);
  // Before the reopen, P2.M1 was on time.
  CHECK(group(lg::status(p, d("2026-05-19")), "U01").on_time_rate == 0.5);
}

TEST_CASE("ledger metrics: days to verify falls back to the feedback date", "[ledger][metrics]") {
  // Unguarded: a log that never starts P2.M2 (possible only in a file that does not verify).
  lg::plan p = small();
  raw(p, "2026-04-01T09:00:00+08:00", "P2.M2", action::submit);
  raw(p, "2026-04-10T09:00:00+08:00", "P2.M2", action::approve, 3);
  const auto m = find(lg::status(p, d("2026-04-10")).measures, "P2.M2");
  CHECK(m.current == state::verified);
  REQUIRE(m.days_to_verify);
  CHECK(*m.days_to_verify == 40);  // 2026-03-01 -> 2026-04-10: 31 + 9
  p.source.feedback.reset();
  CHECK_FALSE(find(lg::status(p, d("2026-04-10")).measures, "P2.M2").days_to_verify);
}

TEST_CASE("ledger metrics: overdue lists the most late first, ties in file order", "[ledger][metrics]") {
  lg::plan p = scenario_a();
  CHECK(lg::overdue(p, d("2026-04-30")).empty());
  {
    const auto late = lg::overdue(p, d("2026-05-01"));
    REQUIRE(late.size() == 1);
    CHECK(late[0].id == "P1.M1");
    CHECK(late[0].days_overdue == 1);
    CHECK(late[0].level == escalation::warn);
  }
  // 2027-01-05: P2.M2 (due 05-31) 219 days late, P1.M2 (due 12-31, in progress) 5 days.
  {
    const auto late = lg::overdue(p, d("2027-01-05"));
    REQUIRE(late.size() == 2);
    CHECK(late[0].id == "P2.M2");
    CHECK(late[0].days_overdue == 219);
    CHECK(late[1].id == "P1.M2");
    CHECK(late[1].days_overdue == 5);
  }
  // P1.M2 moved to the same due date as P2.M2: a tie, so file order (P1.M2 first).
  p.problems[0].measures[1].due = d("2026-05-31");
  p.reindex();
  {
    const auto late = lg::overdue(p, d("2026-07-01"));
    REQUIRE(late.size() == 2);
    CHECK(late[0].id == "P1.M2");
    CHECK(late[1].id == "P2.M2");
    CHECK(late[0].days_overdue == 31);
    CHECK(late[1].days_overdue == 31);
  }
}

TEST_CASE("ledger metrics: inputs per unit for the scorer", "[ledger][metrics]") {
  const lg::plan p = scenario_a();
  const std::vector<std::string> columns = {"rect_total", "rect_completion_rate", "rect_overdue", "rect_returned",
                                            "rect_on_time_rate"};
  {
    const auto t = lg::inputs(p, d("2026-05-01"));
    CHECK(t.units == std::vector<std::string>{"U01", "U02"});
    CHECK(t.columns == columns);
    REQUIRE(t.values.rows() == 2);
    REQUIRE(t.values.cols() == 5);
    // U01: P1.M1 submitted and 1 day late (returned once), P2.M1 closed on time.
    CHECK(t.values(0, 0) == 2);
    CHECK(t.values(0, 1) == 0.5);
    CHECK(t.values(0, 2) == 1);
    CHECK(t.values(0, 3) == 1);
    CHECK(t.values(0, 4) == 1.0);
    // U02: P1.M2 in progress, P2.M2 planned: nothing verified, so the on-time rate is empty.
    CHECK(t.values(1, 0) == 2);
    CHECK(t.values(1, 1) == 0);
    CHECK(t.values(1, 2) == 0);
    CHECK(t.values(1, 3) == 0);
    CHECK(std::isnan(t.values(1, 4)));
  }
  {
    const auto t = lg::inputs(p, d("2026-05-10"));
    CHECK(t.values(0, 1) == 1.0);
    CHECK(t.values(0, 2) == 0);
    CHECK(t.values(0, 4) == 0.5);
  }
  {
    const auto t = lg::inputs(p, d("2026-04-06"));  // the return on 04-07 has not happened yet
    CHECK(t.values(0, 3) == 0);
  }
  {
    const auto t = lg::inputs(p, d("2026-07-01"));  // P2.M2 31 days late
    CHECK(t.values(1, 2) == 1);
  }
  {
    // The table plugs into the scorer's view by column name.
    const auto t = lg::inputs(p, d("2026-05-10"));
    const auto view = t.view();
    CHECK(view.find("rect_returned") == 3);
    CHECK(view.columns[3][0] == 1);
  }
}

TEST_CASE("ledger metrics: rates with zero denominators are empty", "[ledger][metrics]") {
  lg::plan p = small();
  p.problems.clear();
  p.reindex();
  const auto r = lg::status(p, d("2026-05-01"));
  CHECK(r.measures.empty());
  CHECK(r.groups.empty());
  const auto t = lg::inputs(p, d("2026-05-01"));
  CHECK(t.units.empty());
  CHECK(t.columns.size() == 5);
  CHECK(t.values.rows() == 0);
  CHECK(t.values.cols() == 5);
  const auto rows = lg::timeline(p, d("2026-05-01"), d("2026-05-02"));
  REQUIRE(rows.size() == 2);
  for (const auto& row : rows) {
    CHECK(row.key.empty());
    CHECK(row.total == 0);
    CHECK(row.overdue == 0);
    CHECK(std::isnan(row.completion_rate));
  }
  CHECK(lg::timeline(p, d("2026-05-01"), d("2026-05-02"), group_by::unit).empty());
}

TEST_CASE("ledger metrics: a local date is read in the event's own offset", "[ledger][metrics]") {
  lg::plan p = small();
  log_builder b{p};
  b.start("2026-04-30T23:30:00+08:00", "P1.M2", "钱干事");  // 15:30Z on 04-30
  b.start("2026-04-30T20:00:00-05:00", "P2.M2", "周干事");  // 01:00Z on 05-01, yet 04-30 where it was written
  REQUIRE(lg::verify(p).ok());
  CHECK(ts("2026-04-30T20:00:00-05:00").local_date() == d("2026-04-30"));
  const auto before = lg::status(p, d("2026-04-29"));
  CHECK(find(before.measures, "P1.M2").current == state::planned);
  CHECK(find(before.measures, "P2.M2").current == state::planned);
  const auto on = lg::status(p, d("2026-04-30"));
  CHECK(find(on.measures, "P1.M2").current == state::in_progress);
  CHECK(find(on.measures, "P2.M2").current == state::in_progress);
  const auto rows = lg::timeline(p, d("2026-04-29"), d("2026-04-30"));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].states == states(4, 0, 0, 0, 0));
  CHECK(rows[1].states == states(2, 2, 0, 0, 0));
}

TEST_CASE("ledger metrics: local dates that go back keep log order within a measure", "[ledger][metrics]") {
  // Valid under the guards (instants never go back), but the later event falls on an earlier
  // local date: approve level 3 at 07:00+08:00 on 05-02 (23:00Z on 05-01), then close at
  // 20:00-05:00 on 05-01 (01:00Z on 05-02). As of 05-01 only the close counts (closed); as of
  // 05-02 both, in log order: verified, then closed. Applying them by local date instead
  // (close, then approve) would wrongly leave it verified.
  lg::plan p = small();
  log_builder b{p};
  b.start("2026-03-05T09:00:00+08:00", "P2.M1", "孙科长");
  b.evidence("2026-03-06T09:00:00+08:00", "P2.M1", "孙科长");
  b.submit("2026-03-10T09:00:00+08:00", "P2.M1", "孙科长");
  b.approve("2026-03-12T09:00:00+08:00", "P2.M1", "科长甲", 1);
  b.approve("2026-03-13T09:00:00+08:00", "P2.M1", "主任乙", 2);
  b.approve("2026-05-02T07:00:00+08:00", "P2.M1", "领导丙", 3);
  b.close("2026-05-01T20:00:00-05:00", "P2.M1", "主任乙");
  b.start("2026-05-02T09:00:00+08:00", "P1.M1", "王干事");  // an ordinary measure alongside
  REQUIRE(lg::verify(p).ok());
  CHECK(find(lg::status(p, d("2026-04-30")).measures, "P2.M1").current == state::submitted);
  CHECK(find(lg::status(p, d("2026-05-01")).measures, "P2.M1").current == state::closed);
  CHECK(find(lg::status(p, d("2026-05-02")).measures, "P2.M1").current == state::closed);

  const auto rows = lg::timeline(p, d("2026-04-30"), d("2026-05-03"), group_by::unit);
  REQUIRE(rows.size() == 8);  // 4 days × U01, U02
  CHECK(rows[0].key == "U01");
  CHECK(rows[0].states == states(1, 0, 1, 0, 0));  // 04-30: P1.M1 planned, P2.M1 submitted
  CHECK(rows[0].overdue == 1);                     // P2.M1, due 03-31 and not yet verified
  CHECK(rows[2].states == states(1, 0, 0, 0, 1));  // 05-01: closed
  CHECK(rows[2].overdue == 1);                     // P1.M1 due 04-30, not started
  CHECK(rows[4].states == states(0, 1, 0, 0, 1));  // 05-02: P1.M1 started, P2.M1 still closed
  CHECK(rows[4].overdue == 1);
  CHECK(rows[4].completion_rate == 0.5);
  CHECK(rows[6].states == states(0, 1, 0, 0, 1));
  CHECK(rows[1].key == "U02");
  CHECK(rows[1].states == states(2, 0, 0, 0, 0));
}

TEST_CASE("ledger metrics: a timeline of scenario A by hand", "[ledger][metrics]") {
  const lg::plan p = scenario_a();
  // Ungrouped, 04-29 .. 05-06: P1.M1 submitted until verified on 05-06 and late from 05-01;
  // P1.M2 in progress, P2.M1 closed, P2.M2 planned throughout.
  const auto rows = lg::timeline(p, d("2026-04-29"), d("2026-05-06"));
  REQUIRE(rows.size() == 8);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO(rows[i].day.str());
    CHECK(rows[i].day == d("2026-04-29") + static_cast<std::int32_t>(i));
    CHECK(rows[i].key.empty());
    CHECK(rows[i].total == 4);
  }
  CHECK(rows[0].states == states(1, 1, 1, 0, 1));
  CHECK(rows[0].overdue == 0);
  CHECK(rows[0].completion_rate == 0.25);
  CHECK(rows[1].overdue == 0);  // 04-30: due today
  CHECK(rows[2].overdue == 1);  // 05-01
  CHECK(rows[6].overdue == 1);  // 05-05
  CHECK(rows[7].states == states(1, 1, 0, 1, 1));
  CHECK(rows[7].overdue == 0);
  CHECK(rows[7].completion_rate == 0.5);
  // A range that starts after everything: the first day already holds the whole log.
  const auto late = lg::timeline(p, d("2027-01-05"), d("2027-01-05"));
  REQUIRE(late.size() == 1);
  CHECK(late[0].states == states(1, 1, 0, 1, 1));
  CHECK(late[0].overdue == 2);  // P2.M2 and P1.M2
}

TEST_CASE("ledger metrics: timeline refuses a reversed or too long range", "[ledger][metrics]") {
  const lg::plan p = small();
  CHECK(rectify::test::message_of([&] { (void)lg::timeline(p, d("2026-05-02"), d("2026-05-01")); }) ==
        "[rectify.ledger.bad_range] timeline: end 2026-05-01 is before start 2026-05-02");
  const date start = d("2026-01-01");
  CHECK(lg::timeline(p, start, start + 36524).size() == 36525);  // 100 years of 365.25 days
  CHECK(rectify::test::message_of([&] { (void)lg::timeline(p, start, start + 36525); }) ==
        "[rectify.ledger.bad_range] timeline: 2026-01-01 to " + (start + 36525).str() +
            " is longer than 100 years (36525 days)");
}

namespace {

// ~200 measures and ~3000 events over 2026, most written at +08:00 and some at offsets far
// enough away that local dates go back in log order. Actions follow a rough workflow per
// measure (not every guard: the metrics replay unguarded) so that every state occurs.
lg::plan random_ledger(std::uint64_t seed, bool mixed_offsets) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  lg::plan p;
  p.id = "random";
  p.review_levels = {"一", "二", "三"};
  p.source.feedback = d("2026-01-01");
  for (int a = 0; a < 4; ++a) p.areas.push_back({"A" + std::to_string(a), "area"});
  const date first_due = d("2026-01-15");
  for (int i = 0; i < 40; ++i) {
    lg::problem pr;
    pr.id = "P" + std::to_string(i);
    pr.area = "A" + std::to_string(uniform(0, 3));
    pr.title = "problem";
    for (int j = 0; j < 5; ++j) {
      lg::measure m;
      m.id = pr.id + ".M" + std::to_string(j);
      m.text = "measure";
      m.kind = static_cast<lg::measure_kind>(uniform(0, 2));
      m.unit = "U" + std::to_string(uniform(0, 11));
      const int leader = uniform(0, 5);
      m.leader = leader == 0 ? "" : "L" + std::to_string(leader);
      m.owner = "O" + std::to_string(uniform(0, 19));
      m.due = first_due + uniform(0, 380);
      for (int t = uniform(0, 2); t > 0; --t) m.tasks.push_back({m.id + ".T" + std::to_string(t), "task", {}});
      pr.measures.push_back(std::move(m));
    }
    p.problems.push_back(std::move(pr));
  }
  p.reindex();

  struct sim {
    state s = state::planned;
    std::int64_t approved = 0;
    std::size_t tasks = 0;
  };
  std::vector<sim> sims(p.measure_count());
  const std::int32_t offsets[] = {-300, 840, -720, 0, 330, 540};
  std::int64_t utc = ts("2026-01-01T00:00:00Z").utc_seconds;
  std::size_t mi = 0;
  for (int k = 0; k < 3000; ++k) {
    utc += uniform(0, 21000);
    // Often the same measure again, so that one measure's events come close together in time.
    if (k == 0 || uniform(0, 9) < 6) mi = static_cast<std::size_t>(uniform(0, static_cast<int>(p.measure_count()) - 1));
    const lg::measure& m = p.at(mi);
    sim& s = sims[mi];
    lg::event e;
    e.seq = k + 1;
    e.at = timestamp{utc, !mixed_offsets || uniform(0, 9) < 7 ? 480 : offsets[uniform(0, 5)]};
    e.at_text = e.at.str();
    e.by = "P";
    e.measure = m.id;
    const int roll = uniform(0, 99);
    switch (s.s) {
      case state::planned:
        e.act = roll < 85 ? action::start : action::evidence;
        break;
      case state::in_progress:
        if (s.tasks < m.tasks.size() && roll < 30) {
          e.act = action::task_done;
          e.task = m.tasks[s.tasks++].id;
        } else {
          e.act = roll < 60 ? action::evidence : action::submit;
        }
        break;
      case state::submitted:
        e.level = s.approved + 1;
        e.act = roll < 75 ? action::approve : action::return_;
        break;
      case state::verified:
        e.act = roll < 75 ? action::close : action::reopen;
        break;
      case state::closed:
        e.act = roll < 50 ? action::reopen : action::evidence;
        break;
    }
    if (e.act == action::return_ || e.act == action::reopen) e.note = "note";
    switch (e.act) {
      case action::start:
      case action::return_:
      case action::reopen:
        s.s = state::in_progress;
        s.approved = 0;
        break;
      case action::submit:
        s.s = state::submitted;
        s.approved = 0;
        break;
      case action::approve:
        s.approved = *e.level;
        if (s.approved == 3) s.s = state::verified;
        break;
      case action::close:
        s.s = state::closed;
        break;
      default:
        break;
    }
    p.log.push_back(std::move(e));
  }
  return p;
}

// Compares `timeline` with `status` computed separately for every day of a range, grouped in
// every way and ungrouped; returns how many days the ungrouped state counts changed.
std::int64_t check_timeline_against_status(const lg::plan& p) {
  const date start = d("2025-12-25"), end = d("2027-02-10");
  const std::optional<group_by> groupings[] = {std::nullopt, group_by::area, group_by::unit, group_by::leader,
                                               group_by::owner};
  std::int64_t state_changes = 0;
  for (const auto& by : groupings) {
    INFO("by " << (by ? lg::name(*by) : "nothing"));
    const auto rows = lg::timeline(p, start, end, by);
    std::size_t at = 0;
    std::array<std::int64_t, lg::state_count> previous{};
    for (date day = start; day <= end; day = day + 1) {
      INFO(day.str());
      const auto r = lg::status(p, day, by.value_or(group_by::unit));
      std::vector<lg::group_status> expected = r.groups;
      if (!by) {
        // Ungrouped: one row summing every group.
        lg::group_status all;
        std::int64_t done = 0;
        for (const auto& g : r.groups) {
          all.total += g.total;
          for (std::size_t s = 0; s < lg::state_count; ++s) all.states[s] += g.states[s];
          all.overdue += g.overdue;
        }
        done =
            all.states[static_cast<std::size_t>(state::verified)] + all.states[static_cast<std::size_t>(state::closed)];
        all.completion_rate = static_cast<double>(done) / static_cast<double>(all.total);
        expected = {all};
        if (all.states != previous) ++state_changes;
        previous = all.states;
      }
      for (const auto& g : expected) {
        REQUIRE(at < rows.size());
        const auto& row = rows[at++];
        INFO("group " << g.key);
        CHECK(row.day == day);
        CHECK(row.key == g.key);
        CHECK(row.total == g.total);
        CHECK(row.states == g.states);
        CHECK(row.overdue == g.overdue);
        CHECK(same(row.completion_rate, g.completion_rate));
      }
    }
    CHECK(at == rows.size());
  }
  return state_changes;
}

}  // namespace

TEST_CASE("ledger metrics: timeline equals status on every day of a random ledger", "[ledger][metrics]") {
  const lg::plan p = random_ledger(20260401, true);
  REQUIRE(p.measure_count() == 200);
  REQUIRE(p.log.size() == 3000);
  // The test is meaningful only if local dates go back somewhere, and within some measures.
  std::size_t going_back = 0;
  for (std::size_t i = 1; i < p.log.size(); ++i)
    if (p.log[i].at.local_date() < p.log[i - 1].at.local_date()) ++going_back;
  CHECK(going_back > 10);
  std::map<std::string, std::int32_t> latest;
  std::set<std::string> measures_going_back;
  for (const auto& e : p.log) {
    const std::int32_t day = e.at.local_date().days;
    auto [it, fresh] = latest.emplace(e.measure, day);
    if (!fresh && day < it->second) measures_going_back.insert(e.measure);
    if (day > it->second) it->second = day;
  }
  CHECK(measures_going_back.size() > 20);
  CHECK(check_timeline_against_status(p) > 200);  // the states do move over the range
}

TEST_CASE("ledger metrics: timeline equals status on a random ledger in one offset", "[ledger][metrics]") {
  // All at +08:00: local dates never go back, the walk takes the log as it is.
  const lg::plan p = random_ledger(77, false);
  for (std::size_t i = 1; i < p.log.size(); ++i) REQUIRE(p.log[i - 1].at.local_date() <= p.log[i].at.local_date());
  CHECK(check_timeline_against_status(p) > 200);
}
