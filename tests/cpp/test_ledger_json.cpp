// The ledger file (io/ledger_json.hpp, ledger.md §1 and §3). Every message is pinned in full as
// `problem::str()` prints it. The canonical JSON and hashes were computed independently with
// Python: json.dumps(event_without_hash, sort_keys=True, separators=(",", ":"),
// ensure_ascii=False) and hashlib.sha256((prev + canonical).encode()).
#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/core/sha256.hpp"
#include "rectify/io/ledger_json.hpp"
#include "rectify/ledger/model.hpp"
#include "support.hpp"

using namespace std::string_literals;
using rectify::date;
using rectify::test::message_of;
namespace lg = rectify::ledger;
using Strings = std::vector<std::string>;

namespace {

const std::string kZero(64, '0');
const std::string kOnes(64, '1');
const std::string kTwos(64, '2');
constexpr std::string_view kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

// A valid ledger on one line, using every key of the format once; tests break one piece of it
// with `edit`.
std::string valid() {
  return R"({"format":"rectify.ledger/1","id":"L","title":"台账",)"
         R"("source":{"kind":"检查","ref":"意见","feedback":"2026-03-01"},)"
         R"("review_levels":["科长初审","领导审定"],"escalation":{"remind_days":5,"accountable_days":20},)"
         R"("areas":[{"id":"a1","name":"三会一课"},{"id":"a2","name":"材料"}],)"
         R"("problems":[{"id":"P1","area":"a1","title":"记录不全","description":"d","units":["U01","U02"],)"
         R"("severity":"major","measures":[{"id":"P1.M1","text":"m1","kind":"long_term","unit":"U01","leader":"李",)"
         R"("owner":"王","due":"2026-04-30","state":"in_progress","tasks":[{"id":"P1.M1.T1","text":"t1",)"
         R"("due":"2026-04-15"},{"id":"P1.M1.T2","text":"t2"}]}]},)"
         R"({"id":"P2","area":"a2","title":"抄袭","measures":[{"id":"P2.M1","text":"m2","unit":"U02",)"
         R"("owner":"周","due":"2026-05-31"}]}],)"
         R"("log":[{"seq":1,"at":"2026-04-02T09:30:00+08:00","by":"王","measure":"P1.M1","action":"start",)"
         R"("prev":")" +
         kZero + R"(","hash":")" + kOnes + R"("},)" +
         R"({"seq":2,"at":"2026-04-03T10:00:00+08:00","by":"王","measure":"P1.M1","action":"evidence",)"
         R"("note":"n","evidence":{"name":"计划.pdf","sha256":")" +
         std::string(kAbc) + R"(","bytes":12345},"prev":")" + kOnes + R"(","hash":")" + kTwos + R"("}]})";
}

// `text` with its one occurrence of `from` replaced (fails the test when `from` is not there
// exactly once, so a typo in a test cannot pass silently).
std::string edit(std::string text, std::string_view from, std::string_view to) {
  auto at = text.find(from);
  INFO(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

Strings problems(std::string_view text) {
  Strings out;
  for (const auto& p : rectify::io::validate_ledger(text, "l.json")) out.push_back(p.str());
  return out;
}

std::string problem_of(std::string_view text) {
  auto ps = problems(text);
  INFO(text);
  REQUIRE(ps.size() == 1);
  return ps.front();
}

// Every field of two plans, so a round trip that loses anything fails.
void require_same(const lg::plan& a, const lg::plan& b) {
  CHECK(a.format == b.format);
  CHECK(a.id == b.id);
  CHECK(a.title == b.title);
  CHECK(a.source.kind == b.source.kind);
  CHECK(a.source.ref == b.source.ref);
  CHECK(a.source.feedback == b.source.feedback);
  CHECK(a.source.present == b.source.present);
  CHECK(a.review_levels == b.review_levels);
  CHECK(a.escalation.remind_days == b.escalation.remind_days);
  CHECK(a.escalation.accountable_days == b.escalation.accountable_days);
  CHECK(a.escalation.present == b.escalation.present);
  REQUIRE(a.areas.size() == b.areas.size());
  for (std::size_t i = 0; i < a.areas.size(); ++i) {
    CHECK(a.areas[i].id == b.areas[i].id);
    CHECK(a.areas[i].name == b.areas[i].name);
  }
  REQUIRE(a.problems.size() == b.problems.size());
  for (std::size_t i = 0; i < a.problems.size(); ++i) {
    const auto &p = a.problems[i], &q = b.problems[i];
    CHECK(p.id == q.id);
    CHECK(p.area == q.area);
    CHECK(p.title == q.title);
    CHECK(p.description == q.description);
    CHECK(p.units == q.units);
    CHECK(p.severity == q.severity);
    REQUIRE(p.measures.size() == q.measures.size());
    for (std::size_t k = 0; k < p.measures.size(); ++k) {
      const auto &m = p.measures[k], &n = q.measures[k];
      CHECK(m.id == n.id);
      CHECK(m.text == n.text);
      CHECK(m.kind == n.kind);
      CHECK(m.unit == n.unit);
      CHECK(m.leader == n.leader);
      CHECK(m.owner == n.owner);
      CHECK(m.due == n.due);
      CHECK(m.recorded_state == n.recorded_state);
      REQUIRE(m.tasks.size() == n.tasks.size());
      for (std::size_t t = 0; t < m.tasks.size(); ++t) {
        CHECK(m.tasks[t].id == n.tasks[t].id);
        CHECK(m.tasks[t].text == n.tasks[t].text);
        CHECK(m.tasks[t].due == n.tasks[t].due);
      }
    }
  }
  REQUIRE(a.log.size() == b.log.size());
  for (std::size_t i = 0; i < a.log.size(); ++i) {
    const auto &e = a.log[i], &f = b.log[i];
    CHECK(e.seq == f.seq);
    CHECK(e.at_text == f.at_text);
    CHECK(e.at == f.at);
    CHECK(e.at.offset_minutes == f.at.offset_minutes);
    CHECK(e.by == f.by);
    CHECK(e.measure == f.measure);
    CHECK(e.act == f.act);
    CHECK(e.level == f.level);
    CHECK(e.task == f.task);
    CHECK(e.note == f.note);
    REQUIRE(e.proof.has_value() == f.proof.has_value());
    if (e.proof) {
      CHECK(e.proof->name == f.proof->name);
      CHECK(e.proof->sha256 == f.proof->sha256);
      CHECK(e.proof->bytes == f.proof->bytes);
    }
    CHECK(e.prev == f.prev);
    CHECK(e.hash == f.hash);
  }
  REQUIRE(a.measure_count() == b.measure_count());
}

// An event with `prev` chained to `prev_hash` and its hash computed as ledger.md §3 says.
lg::event chained(lg::event e, const std::string& prev_hash) {
  e.prev = prev_hash;
  e.at = *rectify::timestamp::parse(e.at_text);
  e.hash = rectify::sha256_hex(e.prev + rectify::io::canonical_event_json(e));
  return e;
}

// The three events whose canonical JSON and hashes Python computed (see the top of the file).
std::vector<lg::event> python_events() {
  lg::event a;
  a.seq = 1;
  a.at_text = "2026-04-02T09:30:00+08:00";
  a.by = "王某";
  a.measure = "P1.M1";
  a.act = lg::action::start;
  a = chained(a, kZero);
  lg::event b;
  b.seq = 2;
  b.at_text = "2026-04-03T10:00:00+08:00";
  b.by = "王某";
  b.measure = "P1.M1";
  b.act = lg::action::evidence;
  b.note = "计划\"初稿\"\\第1版\n\t\x01\x1f\x7f\u2028😀\b\f\r";
  b.proof = lg::evidence{"三会一课计划.pdf", std::string(kAbc), 12345};
  b = chained(b, a.hash);
  lg::event c;
  c.seq = 3;
  c.at_text = "2026-04-04T08:00:00-05:00";
  c.by = "科长";
  c.measure = "P1.M1";
  c.act = lg::action::approve;
  c.level = 1;
  c.task = "P1.M1.T1";
  c = chained(c, b.hash);
  return {a, b, c};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Reading

TEST_CASE("ledger json: a valid ledger reads as written", "[ledger_json]") {
  CHECK(problems(valid()).empty());
  auto p = rectify::io::parse_ledger(valid(), "l.json");
  CHECK(p.format == "rectify.ledger/1");
  CHECK(p.id == "L");
  CHECK(p.title == "台账");
  CHECK(p.source.present);
  CHECK(p.source.kind == "检查");
  CHECK(p.source.ref == "意见");
  CHECK(p.source.feedback == date::from_ymd(2026, 3, 1));
  CHECK(p.review_levels == Strings{"科长初审", "领导审定"});
  CHECK(p.escalation.present);
  CHECK(p.escalation.remind_days == 5);
  CHECK(p.escalation.accountable_days == 20);
  REQUIRE(p.areas.size() == 2);
  CHECK(p.area_name("a2") == "材料");
  CHECK(p.area_name("zz").empty());
  REQUIRE(p.problems.size() == 2);
  const auto& m = p.problems[0].measures[0];
  CHECK(p.problems[0].units == Strings{"U01", "U02"});
  CHECK(p.problems[0].severity == "major");
  CHECK(m.kind == lg::measure_kind::long_term);
  CHECK(m.leader == "李");
  CHECK(m.due == date::from_ymd(2026, 4, 30));
  CHECK(m.recorded_state == lg::state::in_progress);
  REQUIRE(m.tasks.size() == 2);
  CHECK(m.tasks[0].due == date::from_ymd(2026, 4, 15));
  CHECK_FALSE(m.tasks[1].due);
  CHECK(p.find_task(m, "P1.M1.T2") == 1u);
  CHECK_FALSE(p.find_task(m, "P1.M1.T3"));
  const auto& m2 = p.problems[1].measures[0];
  CHECK(m2.kind == lg::measure_kind::deadline);  // the default
  CHECK(m2.leader.empty());
  CHECK_FALSE(m2.recorded_state);
  CHECK(p.problems[1].severity.empty());
  // The measure index is built by the loader.
  REQUIRE(p.measure_count() == 2);
  REQUIRE(p.find_measure("P2.M1"));
  CHECK(p.find_measure("P2.M1")->index == 1);
  CHECK(p.find_measure("P2.M1")->problem == 1);
  CHECK(p.at(1).id == "P2.M1");
  CHECK_FALSE(p.find_measure("P9"));
  REQUIRE(p.log.size() == 2);
  const auto& e = p.log[1];
  CHECK(e.seq == 2);
  CHECK(e.at_text == "2026-04-03T10:00:00+08:00");
  CHECK(e.at.offset_minutes == 480);
  CHECK(e.at.local_date() == date::from_ymd(2026, 4, 3));
  CHECK(e.act == lg::action::evidence);
  CHECK(e.note == "n");
  CHECK_FALSE(e.level);
  CHECK_FALSE(e.task);
  REQUIRE(e.proof);
  CHECK(e.proof->name == "计划.pdf");
  CHECK(e.proof->sha256 == kAbc);
  CHECK(e.proof->bytes == 12345);
  CHECK(e.prev == kOnes);
  CHECK(e.hash == kTwos);
}

TEST_CASE("ledger json: optional parts may be left out", "[ledger_json]") {
  const std::string minimal =
      R"({"format":"rectify.ledger/1","id":"L","review_levels":["审定"],"problems":[],"log":[]})";
  CHECK(problems(minimal).empty());
  auto p = rectify::io::parse_ledger(minimal, "l.json");
  CHECK_FALSE(p.source.present);
  CHECK_FALSE(p.escalation.present);
  CHECK(p.escalation.remind_days == 7);
  CHECK(p.escalation.accountable_days == 30);
  CHECK(p.areas.empty());
  // Each key of source and escalation is optional on its own.
  auto q = rectify::io::parse_ledger(edit(valid(), R"("remind_days":5,)", ""), "l.json");
  CHECK(q.escalation.remind_days == 7);
  CHECK(q.escalation.accountable_days == 20);
  CHECK(problems(edit(valid(), R"("kind":"检查","ref":"意见","feedback":"2026-03-01")", "")).empty());
}

TEST_CASE("ledger json: a UTF-8 byte order mark is accepted", "[ledger_json]") {
  CHECK(problems("\xEF\xBB\xBF" + valid()).empty());
}

TEST_CASE("ledger json: syntax errors name line and column", "[ledger_json]") {
  CHECK(problem_of("{\n  \"format\": \"rectify.ledger/1\",\n  \"id\": \n}") ==
        "l.json:4:1: [rectify.ledger.syntax] syntax error while parsing value - unexpected '}'; expected '[', '{', or "
        "a literal");
  CHECK(problem_of(R"({"format":)") ==
        "l.json:1:11: [rectify.ledger.syntax] syntax error while parsing value - unexpected end of input; expected "
        "'[', '{', or a literal");
  CHECK(problem_of("") == "l.json: [rectify.ledger.syntax] the file is empty; expected a JSON object");
  CHECK(problem_of(" \n\t") == "l.json: [rectify.ledger.syntax] the file is empty; expected a JSON object");
  CHECK(problem_of("{\"id\"\0:1}"s) ==
        "l.json:1:6: [rectify.ledger.syntax] this is not a text file (NUL byte); a ledger is UTF-8 JSON text");
  // 三 in GBK is C8 FD: C8 may start a UTF-8 sequence, FD cannot continue one, so the error is at FD.
  CHECK(problem_of("{\"title\":\"\xC8\xFD\"}") ==
        "l.json:1:12: [rectify.ledger.syntax] syntax error while parsing value - invalid string: ill-formed UTF-8 "
        "byte; last read: '\"\\xc8\\xfd' (the file must be UTF-8; a GBK file from an older editor must be re-saved as "
        "UTF-8)");
  // Valid JSON, but a number no double holds: the place is the number's last character.
  CHECK(problem_of(R"({"seq":1e400})") ==
        "l.json:1:12: [rectify.ledger.bad_number] number 1e400 is out of the range "
        "of a double (numbers must be finite)");
  // Without a source the place still has a name.
  auto ps = rectify::io::validate_ledger("{", "");
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].source == "<ledger>:1:2");  // just past the end
}

TEST_CASE("ledger json: a key repeated in one object is refused", "[ledger_json]") {
  CHECK(problem_of(edit(valid(), R"("title":"台账",)", R"("title":"台账","title":"x",)")) ==
        R"(l.json: [rectify.ledger.duplicate_key] /title: the key "title" appears twice in one object)");
  CHECK(problem_of(edit(valid(), R"("note":"n",)", R"("note":"n","note":"m",)")) ==
        R"(l.json: [rectify.ledger.duplicate_key] /log/1/note: the key "note" appears twice in one object)");
  CHECK(problem_of(edit(valid(), R"("bytes":12345)", R"("bytes":12345,"bytes":1)")) ==
        R"(l.json: [rectify.ledger.duplicate_key] /log/1/evidence/bytes: the key "bytes" appears twice in one object)");
  // The log is read event by event while it is parsed; a second `log` must still be refused,
  // whether it comes as an array or as something else, and after the first or before it.
  const std::string text = valid();
  const auto log_at = text.find(R"("log":)");
  REQUIRE(log_at != std::string::npos);
  CHECK(problem_of(text.substr(0, text.size() - 1) + R"(,"log":[]})") ==
        R"(l.json: [rectify.ledger.duplicate_key] /log: the key "log" appears twice in one object)");
  CHECK(problem_of(text.substr(0, log_at) + R"("log":"none",)" + text.substr(log_at)) ==
        R"(l.json: [rectify.ledger.duplicate_key] /log: the key "log" appears twice in one object)");
}

TEST_CASE("ledger json: the document is an object in format rectify.ledger/1", "[ledger_json]") {
  CHECK(problem_of("[]") == "l.json: [rectify.ledger.type] a ledger must be an object, not an array");
  CHECK(problem_of(R"("x")") == "l.json: [rectify.ledger.type] a ledger must be an object, not a string");
  CHECK(problem_of(edit(valid(), "rectify.ledger/1", "rectify.ledger/2")) ==
        R"(l.json: [rectify.ledger.format] /format: must be "rectify.ledger/1", not "rectify.ledger/2")");
  CHECK(problem_of(edit(valid(), R"("format":"rectify.ledger/1")", R"("format":1)")) ==
        "l.json: [rectify.ledger.type] /format: must be a string, not a number");
}

TEST_CASE("ledger json: required keys", "[ledger_json]") {
  CHECK(problems("{}") == Strings{
                              R"(l.json: [rectify.ledger.missing_key] missing required key "format")",
                              R"(l.json: [rectify.ledger.missing_key] missing required key "id")",
                              R"(l.json: [rectify.ledger.missing_key] missing required key "review_levels")",
                              R"(l.json: [rectify.ledger.missing_key] missing required key "problems")",
                              R"(l.json: [rectify.ledger.missing_key] missing required key "log")",
                          });
  CHECK(problem_of(edit(valid(), R"("title":"抄袭",)", "")) ==
        R"(l.json: [rectify.ledger.missing_key] /problems/1: missing required key "title")");
  CHECK(problem_of(edit(valid(), R"("area":"a2",)", "")) ==
        R"(l.json: [rectify.ledger.missing_key] /problems/1: missing required key "area")");
  CHECK(problem_of(edit(
            valid(), R"(,"measures":[{"id":"P2.M1","text":"m2","unit":"U02","owner":"周","due":"2026-05-31"}])", "")) ==
        R"(l.json: [rectify.ledger.missing_key] /problems/1: missing required key "measures")");
  CHECK(problems(edit(valid(), R"({"id":"P2.M1","text":"m2","unit":"U02","owner":"周","due":"2026-05-31"})", "{}")) ==
        Strings{
            R"(l.json: [rectify.ledger.missing_key] /problems/1/measures/0: missing required key "id")",
            R"(l.json: [rectify.ledger.missing_key] /problems/1/measures/0: missing required key "text")",
            R"(l.json: [rectify.ledger.missing_key] /problems/1/measures/0: missing required key "unit")",
            R"(l.json: [rectify.ledger.missing_key] /problems/1/measures/0: missing required key "owner")",
            R"(l.json: [rectify.ledger.missing_key] /problems/1/measures/0: missing required key "due")",
        });
  CHECK(problem_of(edit(valid(), R"({"id":"P1.M1.T2","text":"t2"})", R"({"text":"t2"})")) ==
        R"(l.json: [rectify.ledger.missing_key] /problems/0/measures/0/tasks/1: missing required key "id")");
  CHECK(problem_of(edit(valid(), R"({"id":"a2","name":"材料"})", R"({"name":"材料"})")) ==
        R"(l.json: [rectify.ledger.missing_key] /areas/1: missing required key "id")");
  CHECK(problems(edit(valid(), R"({"name":"计划.pdf","sha256":")" + std::string(kAbc) + R"(","bytes":12345})", "{}")) ==
        Strings{
            R"(l.json: [rectify.ledger.missing_key] /log/1/evidence: missing required key "name")",
            R"(l.json: [rectify.ledger.missing_key] /log/1/evidence: missing required key "sha256")",
            R"(l.json: [rectify.ledger.missing_key] /log/1/evidence: missing required key "bytes")",
        });
  CHECK(problems(R"({"format":"rectify.ledger/1","id":"L","review_levels":["审定"],"problems":[],"log":[{}]})") ==
        Strings{
            R"(l.json: [rectify.ledger.missing_key] /log/0: missing required key "seq")",
            R"(l.json: [rectify.ledger.missing_key] /log/0: missing required key "at")",
            R"(l.json: [rectify.ledger.missing_key] /log/0: missing required key "by")",
            R"(l.json: [rectify.ledger.missing_key] /log/0: missing required key "measure")",
            R"(l.json: [rectify.ledger.missing_key] /log/0: missing required key "action")",
            R"(l.json: [rectify.ledger.missing_key] /log/0: missing required key "prev")",
            R"(l.json: [rectify.ledger.missing_key] /log/0: missing required key "hash")",
        });
}

TEST_CASE("ledger json: unknown keys are refused everywhere", "[ledger_json]") {
  CHECK(problem_of(edit(valid(), R"("title":"台账",)", R"("title":"台账","titel":"x",)")) ==
        R"(l.json: [rectify.ledger.unknown_key] /titel: unknown key "titel" (did you mean "title"?))");
  CHECK(problem_of(edit(valid(), R"("ref":"意见",)", R"("ref":"意见","kinds":"x",)")) ==
        R"(l.json: [rectify.ledger.unknown_key] /source/kinds: unknown key "kinds" (did you mean "kind"?))");
  CHECK(
      problem_of(edit(valid(), R"("remind_days":5,)", R"("remind_days":5,"remind":1,)")) ==
      R"(l.json: [rectify.ledger.unknown_key] /escalation/remind: unknown key "remind" (allowed: remind_days accountable_days))");
  CHECK(problem_of(edit(valid(), R"({"id":"a2","name":"材料"})", R"({"id":"a2","name":"材料","label":"x"})")) ==
        R"(l.json: [rectify.ledger.unknown_key] /areas/1/label: unknown key "label" (allowed: id name))");
  CHECK(problem_of(edit(valid(), R"("area":"a2",)", R"("area":"a2","areas":"x",)")) ==
        R"(l.json: [rectify.ledger.unknown_key] /problems/1/areas: unknown key "areas" (did you mean "area"?))");
  CHECK(
      problem_of(edit(valid(), R"("owner":"周",)", R"("owner":"周","deadline":"x",)")) ==
      R"(l.json: [rectify.ledger.unknown_key] /problems/1/measures/0/deadline: unknown key "deadline" (allowed: id text kind unit leader owner due state tasks))");
  CHECK(
      problem_of(edit(valid(), R"("text":"t2")", R"("text":"t2","owner":"x")")) ==
      R"(l.json: [rectify.ledger.unknown_key] /problems/0/measures/0/tasks/1/owner: unknown key "owner" (allowed: id text due))");
  CHECK(
      problem_of(edit(valid(), R"("note":"n",)", R"("note":"n","comment":"x",)")) ==
      R"(l.json: [rectify.ledger.unknown_key] /log/1/comment: unknown key "comment" (allowed: seq at by measure action level task note evidence prev hash))");
  CHECK(
      problem_of(edit(valid(), R"("bytes":12345)", R"("bytes":12345,"size":1)")) ==
      R"(l.json: [rectify.ledger.unknown_key] /log/1/evidence/size: unknown key "size" (allowed: name sha256 bytes))");
}

TEST_CASE("ledger json: values of the wrong type", "[ledger_json]") {
  CHECK(problem_of(edit(valid(), R"("title":"台账")", R"("title":5)")) ==
        "l.json: [rectify.ledger.type] /title: must be a string, not a number");
  CHECK(problem_of(
            edit(valid(), R"("source":{"kind":"检查","ref":"意见","feedback":"2026-03-01"})", R"("source":"x")")) ==
        "l.json: [rectify.ledger.type] /source: source must be an object, not a string");
  CHECK(problem_of(edit(valid(), R"("escalation":{"remind_days":5,"accountable_days":20})", R"("escalation":[])")) ==
        "l.json: [rectify.ledger.type] /escalation: escalation must be an object, not an array");
  CHECK(problem_of(edit(valid(), R"(["科长初审","领导审定"])", R"("科长初审")")) ==
        "l.json: [rectify.ledger.type] /review_levels: must be an array, not a string");
  CHECK(problem_of(edit(valid(), R"(["科长初审","领导审定"])", R"(["科长初审",null])")) ==
        "l.json: [rectify.ledger.type] /review_levels/1: must be a string, not null");
  CHECK(problem_of(edit(valid(), R"({"id":"a2","name":"材料"})", "true")) ==
        "l.json: [rectify.ledger.type] /areas/1: an area must be an object, not a boolean");
  CHECK(problem_of(edit(valid(), R"("log":[)", R"("log":{"x":[)") + "}") ==
        "l.json: [rectify.ledger.type] /log: must be an array, not an object");
  CHECK(problem_of(edit(valid(), R"(["U01","U02"])", R"(["U01",2])")) ==
        "l.json: [rectify.ledger.type] /problems/0/units/1: must be a string, not a number");
  CHECK(problem_of(edit(valid(), R"({"id":"P2.M1","text":"m2","unit":"U02","owner":"周","due":"2026-05-31"})",
                        R"("P2.M1")")) ==
        "l.json: [rectify.ledger.type] /problems/1/measures/0: a measure must be an object, not a string");
  CHECK(problem_of(edit(valid(), R"({"id":"P1.M1.T2","text":"t2"})", "[]")) ==
        "l.json: [rectify.ledger.type] /problems/0/measures/0/tasks/1: a task must be an object, not an array");
  CHECK(problem_of(edit(valid(), R"("due":"2026-05-31")", R"("due":20260531)")) ==
        "l.json: [rectify.ledger.type] /problems/1/measures/0/due: must be a string, not a number");
  CHECK(problem_of(edit(valid(), R"("seq":2,)", R"("seq":2.0,)")) ==
        "l.json: [rectify.ledger.type] /log/1/seq: must be an integer, not 2");
  CHECK(problem_of(edit(valid(), R"("seq":2,)", R"("seq":1.5,)")) ==
        "l.json: [rectify.ledger.type] /log/1/seq: must be an integer, not 1.5");
  CHECK(problem_of(edit(valid(), R"("seq":2,)", R"("seq":"2",)")) ==
        "l.json: [rectify.ledger.type] /log/1/seq: must be an integer, not a string");
  CHECK(problem_of(edit(valid(), R"("note":"n",)", R"("note":null,)")) ==
        "l.json: [rectify.ledger.type] /log/1/note: must be a string, not null");
  CHECK(problem_of(edit(valid(), R"("note":"n",)", R"("note":"n","level":"1",)")) ==
        "l.json: [rectify.ledger.type] /log/1/level: must be an integer, not a string");
  CHECK(problem_of(edit(valid(), R"("note":"n",)", R"("note":"n","task":7,)")) ==
        "l.json: [rectify.ledger.type] /log/1/task: must be a string, not a number");
  CHECK(problem_of(edit(valid(),
                        R"("evidence":{"name":"计划.pdf","sha256":")" + std::string(kAbc) + R"(","bytes":12345})",
                        R"("evidence":"计划.pdf")")) ==
        "l.json: [rectify.ledger.type] /log/1/evidence: evidence must be an object, not a string");
  CHECK(problem_of(edit(valid(), R"("bytes":12345)", R"("bytes":"12345")")) ==
        "l.json: [rectify.ledger.type] /log/1/evidence/bytes: must be an integer, not a string");
  CHECK(problem_of(edit(valid(), R"("log":[{"seq":1,)", R"("log":[5,{"seq":1,)")) ==
        "l.json: [rectify.ledger.type] /log/0: an event must be an object, not a number");
}

TEST_CASE("ledger json: ids are unique within each kind", "[ledger_json]") {
  CHECK(problem_of(edit(edit(valid(), R"({"id":"a2","name":"材料"})", R"({"id":"a1","name":"材料"})"), R"("area":"a2")",
                        R"("area":"a1")")) ==
        R"(l.json: [rectify.ledger.duplicate_id] /areas/1/id: "a1" is already the id of /areas/0)");
  CHECK(problem_of(edit(valid(), R"({"id":"P2",)", R"({"id":"P1",)")) ==
        R"(l.json: [rectify.ledger.duplicate_id] /problems/1/id: "P1" is already the id of /problems/0)");
  // Measures and tasks are unique across the whole ledger, not only within their parent.
  CHECK(
      problem_of(edit(valid(), R"({"id":"P2.M1",)", R"({"id":"P1.M1",)")) ==
      R"(l.json: [rectify.ledger.duplicate_id] /problems/1/measures/0/id: "P1.M1" is already the id of /problems/0/measures/0)");
  CHECK(
      problem_of(edit(valid(), R"({"id":"P1.M1.T2",)", R"({"id":"P1.M1.T1",)")) ==
      R"(l.json: [rectify.ledger.duplicate_id] /problems/0/measures/0/tasks/1/id: "P1.M1.T1" is already the id of /problems/0/measures/0/tasks/0)");
  CHECK(
      problem_of(edit(valid(), R"("owner":"周","due":"2026-05-31"})",
                      R"("owner":"周","due":"2026-05-31","tasks":[{"id":"P1.M1.T2"}]})")) ==
      R"(l.json: [rectify.ledger.duplicate_id] /problems/1/measures/0/tasks/0/id: "P1.M1.T2" is already the id of /problems/0/measures/0/tasks/1)");
  // Kinds do not share one space: a problem may have an area's id.
  CHECK(problems(edit(valid(), R"({"id":"P2",)", R"({"id":"a2",)")).empty());
}

TEST_CASE("ledger json: a problem names a known area", "[ledger_json]") {
  CHECK(problem_of(edit(valid(), R"("area":"a2")", R"("area":"a9")")) ==
        R"(l.json: [rectify.ledger.unknown_area] /problems/1/area: unknown area "a9" (areas: a1, a2))");
  CHECK(
      problems(edit(valid(), R"("areas":[{"id":"a1","name":"三会一课"},{"id":"a2","name":"材料"}],)", "")) ==
      Strings{
          R"(l.json: [rectify.ledger.unknown_area] /problems/0/area: unknown area "a1" (the ledger defines no areas))",
          R"(l.json: [rectify.ledger.unknown_area] /problems/1/area: unknown area "a2" (the ledger defines no areas))",
      });
  // After a broken area the list is incomplete: only the break is reported.
  CHECK(problem_of(edit(valid(), R"({"id":"a2","name":"材料"})", R"({"id":2,"name":"材料"})")) ==
        "l.json: [rectify.ledger.type] /areas/1/id: must be a string, not a number");
}

TEST_CASE("ledger json: dates are ISO days and event times carry an offset", "[ledger_json]") {
  CHECK(
      problem_of(edit(valid(), R"("due":"2026-04-30")", R"("due":"2026-02-29")")) ==
      R"(l.json: [rectify.ledger.bad_date] /problems/0/measures/0/due: must be a date YYYY-MM-DD (a real day, years 0001-9999), not "2026-02-29")");
  CHECK(
      problem_of(edit(valid(), R"("feedback":"2026-03-01")", R"("feedback":"2026/03/01")")) ==
      R"(l.json: [rectify.ledger.bad_date] /source/feedback: must be a date YYYY-MM-DD (a real day, years 0001-9999), not "2026/03/01")");
  CHECK(
      problem_of(edit(valid(), R"("due":"2026-04-15")", R"("due":"2026-4-15")")) ==
      R"(l.json: [rectify.ledger.bad_date] /problems/0/measures/0/tasks/0/due: must be a date YYYY-MM-DD (a real day, years 0001-9999), not "2026-4-15")");
  CHECK(
      problem_of(edit(valid(), "2026-04-02T09:30:00+08:00", "2026-04-02T09:30:00")) ==
      R"(l.json: [rectify.ledger.bad_date] /log/0/at: "2026-04-02T09:30:00" has no UTC offset; write it as e.g. 2026-04-02T09:30:00+08:00)");
  CHECK(
      problem_of(edit(valid(), "2026-04-02T09:30:00+08:00", "2026-04-02T09:30:00.250")) ==
      R"(l.json: [rectify.ledger.bad_date] /log/0/at: "2026-04-02T09:30:00.250" has no UTC offset; write it as e.g. 2026-04-02T09:30:00+08:00)");
  CHECK(
      problem_of(edit(valid(), "2026-04-02T09:30:00+08:00", "2026-04-02 09:30:00+08:00")) ==
      R"(l.json: [rectify.ledger.bad_date] /log/0/at: must be a date and time with a UTC offset (2026-04-02T09:30:00+08:00), not "2026-04-02 09:30:00+08:00")");
  CHECK(
      problem_of(edit(valid(), "2026-04-02T09:30:00+08:00", "yesterday")) ==
      R"(l.json: [rectify.ledger.bad_date] /log/0/at: must be a date and time with a UTC offset (2026-04-02T09:30:00+08:00), not "yesterday")");
  // Fractions and Z are fine, and the text is kept as written (the hash covers it).
  auto p = rectify::io::parse_ledger(edit(valid(), "2026-04-02T09:30:00+08:00", "2026-04-02T01:30:00.5Z"), "l.json");
  CHECK(p.log[0].at_text == "2026-04-02T01:30:00.5Z");
  CHECK(p.log[0].at == *rectify::timestamp::parse("2026-04-02T09:30:00+08:00"));
}

TEST_CASE("ledger json: bad values", "[ledger_json]") {
  CHECK(
      problem_of(edit(valid(), R"("kind":"long_term")", R"("kind":"later")")) ==
      R"(l.json: [rectify.ledger.bad_value] /problems/0/measures/0/kind: unknown kind "later" (immediate, deadline or long_term))");
  CHECK(problem_of(edit(valid(), R"("severity":"major")", R"("severity":"minor")")) ==
        R"(l.json: [rectify.ledger.bad_value] /problems/0/severity: unknown severity "minor" (major or general))");
  CHECK(
      problem_of(edit(valid(), R"("state":"in_progress")", R"("state":"done")")) ==
      R"(l.json: [rectify.ledger.bad_value] /problems/0/measures/0/state: unknown state "done" (planned, in_progress, submitted, verified or closed))");
  CHECK(
      problem_of(edit(valid(), R"("action":"start")", R"("action":"finish")")) ==
      R"(l.json: [rectify.ledger.bad_value] /log/0/action: unknown action "finish" (start, evidence, submit, approve, return, close, reopen or task_done))");
  CHECK(
      problem_of(edit(valid(), R"("action":"start")", R"("action":"return_")")) ==
      R"(l.json: [rectify.ledger.bad_value] /log/0/action: unknown action "return_" (start, evidence, submit, approve, return, close, reopen or task_done))");
  CHECK(problem_of(edit(valid(), R"({"id":"P2",)", R"({"id":"",)")) ==
        "l.json: [rectify.ledger.bad_value] /problems/1/id: must not be empty");
  CHECK(problem_of(edit(valid(), R"("id":"L")", R"("id":"")")) ==
        "l.json: [rectify.ledger.bad_value] /id: must not be empty");
  CHECK(problem_of(edit(valid(), R"("owner":"周")", R"("owner":"")")) ==
        "l.json: [rectify.ledger.bad_value] /problems/1/measures/0/owner: must not be empty");
  CHECK(problem_of(edit(valid(), R"("seq":1,"at":"2026-04-02T09:30:00+08:00","by":"王")",
                        R"("seq":1,"at":"2026-04-02T09:30:00+08:00","by":"")")) ==
        "l.json: [rectify.ledger.bad_value] /log/0/by: must not be empty");
  CHECK(problem_of(edit(valid(), R"("remind_days":5)", R"("remind_days":-1)")) ==
        "l.json: [rectify.ledger.bad_value] /escalation/remind_days: must be at least 0, not -1");
  CHECK(problem_of(edit(valid(), R"("accountable_days":20)", R"("accountable_days":2147483648)")) ==
        "l.json: [rectify.ledger.bad_value] /escalation/accountable_days: must be at most 2147483647, not 2147483648");
  CHECK(problem_of(edit(valid(), R"(["科长初审","领导审定"])", "[]")) ==
        R"(l.json: [rectify.ledger.bad_value] /review_levels: needs at least one review level (e.g. ["科长初审"]))");
  CHECK(problem_of(edit(valid(), R"(["科长初审","领导审定"])", R"(["科长初审",""])")) ==
        "l.json: [rectify.ledger.bad_value] /review_levels/1: must not be empty");
  CHECK(problem_of(edit(valid(), R"("seq":1,)", R"("seq":18446744073709551615,)")) ==
        "l.json: [rectify.ledger.bad_value] /log/0/seq: must be at most 9223372036854775807, not 18446744073709551615");
  CHECK(problem_of(edit(valid(), R"("bytes":12345)", R"("bytes":-1)")) ==
        "l.json: [rectify.ledger.bad_value] /log/1/evidence/bytes: must be at least 0, not -1");
  const std::string upper = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
  CHECK(
      problem_of(edit(valid(), R"("sha256":")" + std::string(kAbc), R"("sha256":")" + upper)) ==
      R"(l.json: [rectify.ledger.bad_value] /log/1/evidence/sha256: must be a SHA-256 digest: 64 lowercase hex characters, not ")" +
          upper + "\"");
  CHECK(
      problem_of(edit(valid(), R"("hash":")" + kTwos, R"("hash":")" + kTwos.substr(1))) ==
      R"(l.json: [rectify.ledger.bad_value] /log/1/hash: must be a SHA-256 digest: 64 lowercase hex characters, not ")" +
          kTwos.substr(1) + "\"");
  CHECK(
      problem_of(edit(valid(), R"("prev":")" + kZero, R"("prev":")" + kZero.substr(1) + "x")) ==
      R"(l.json: [rectify.ledger.bad_value] /log/0/prev: must be a SHA-256 digest: 64 lowercase hex characters, not ")" +
          kZero.substr(1) + "x\"");
  // Evidence may be empty (0 bytes); level and seq are shape-checked only (their meaning is verify's).
  CHECK(problems(edit(valid(), R"("bytes":12345)", R"("bytes":0)")).empty());
  CHECK(problems(edit(valid(), R"("note":"n",)", R"("note":"n","level":0,)")).empty());
}

TEST_CASE("ledger json: every problem is reported at once, in document order", "[ledger_json]") {
  std::string text = edit(valid(), R"("title":"台账")", R"("title":5)");
  text = edit(text, R"("kind":"long_term")", R"("kind":"later")");
  text = edit(text, R"("due":"2026-05-31")", R"("due":"2026-06-31")");
  text = edit(text, R"("bytes":12345)", R"("bytes":-1,"size":3)");
  CHECK(
      problems(text) ==
      Strings{
          "l.json: [rectify.ledger.type] /title: must be a string, not a number",
          R"(l.json: [rectify.ledger.bad_value] /problems/0/measures/0/kind: unknown kind "later" (immediate, deadline or long_term))",
          R"(l.json: [rectify.ledger.bad_date] /problems/1/measures/0/due: must be a date YYYY-MM-DD (a real day, years 0001-9999), not "2026-06-31")",
          R"(l.json: [rectify.ledger.unknown_key] /log/1/evidence/size: unknown key "size" (allowed: name sha256 bytes))",
          "l.json: [rectify.ledger.bad_value] /log/1/evidence/bytes: must be at least 0, not -1",
      });
  // parse_ledger throws them all; what() has one per line.
  try {
    (void)rectify::io::parse_ledger(text, "l.json");
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(e.problems().size() == 5);
    CHECK(e.code() == "rectify.ledger.type");
    CHECK(std::string(e.what()).find('\n') != std::string::npos);
  }
}

// ---------------------------------------------------------------------------------------------
// Files

TEST_CASE("ledger json: the small fixture loads", "[ledger_json]") {
  auto p = rectify::io::load_ledger_file(RECTIFY_TEST_DATA "/ledger/small.json");
  CHECK(p.id == "test-small");
  CHECK(p.review_levels.size() == 3);
  CHECK(p.measure_count() == 4);
  CHECK(p.at(3).id == "P2.M2");
  CHECK(p.at(3).kind == lg::measure_kind::deadline);
  CHECK(p.at(3).leader.empty());
  CHECK(p.at(1).kind == lg::measure_kind::long_term);
  CHECK(p.at(0).tasks.size() == 2);
  CHECK(p.log.empty());
  CHECK(p.area_name("org_life") == "三会一课");
}

TEST_CASE("ledger json: a missing file is rectify.io.open", "[ledger_json]") {
  const std::string path = RECTIFY_TEST_DATA "/ledger/no_such_file.json";
  CHECK(message_of([&] { (void)rectify::io::load_ledger_file(path); }) ==
        path + ": [rectify.io.open] cannot read the file: No such file or directory");
}

TEST_CASE("ledger json: the bad fixtures give their documented errors", "[ledger_json]") {
  const std::string dir = RECTIFY_TEST_DATA "/ledger/";
  auto msg = [&](const std::string& name) {
    return message_of([&] { (void)rectify::io::load_ledger_file(dir + name); });
  };
  CHECK(msg("bad_syntax.json") == dir +
                                      "bad_syntax.json:5:12: [rectify.ledger.syntax] syntax error while parsing "
                                      "object - unexpected string literal; expected '}'");
  CHECK(
      msg("bad_gbk.json") ==
      dir +
          "bad_gbk.json:3:13: [rectify.ledger.syntax] syntax error while parsing value - invalid string: ill-formed "
          "UTF-8 byte; last read: '\"\\xb2' (the file must be UTF-8; a GBK file from an older editor must be re-saved "
          "as UTF-8)");
  CHECK(
      msg("bad_duplicate_key.json") ==
      dir +
          R"(bad_duplicate_key.json: [rectify.ledger.duplicate_key] /problems/0/measures/0/owner: the key "owner" appears twice in one object)");
  CHECK(
      msg("bad_structure.json") ==
      dir +
          R"(bad_structure.json: [rectify.ledger.unknown_key] /problems/0/measures/0/deadline: unknown key "deadline" (allowed: id text kind unit leader owner due state tasks))" +
          "\n" + dir +
          R"(bad_structure.json: [rectify.ledger.missing_key] /problems/0/measures/0: missing required key "due")" +
          "\n" + dir +
          R"(bad_structure.json: [rectify.ledger.unknown_area] /problems/1/area: unknown area "org-life" (areas: org_life))" +
          "\n" + dir +
          R"(bad_structure.json: [rectify.ledger.duplicate_id] /problems/1/measures/0/id: "P1.M1" is already the id of /problems/0/measures/0)");
  CHECK(
      msg("bad_event.json") ==
      dir +
          R"(bad_event.json: [rectify.ledger.bad_date] /log/0/at: "2026-04-02T09:30:00" has no UTC offset; write it as e.g. 2026-04-02T09:30:00+08:00)" +
          "\n" + dir +
          R"(bad_event.json: [rectify.ledger.bad_value] /log/0/action: unknown action "finish" (start, evidence, submit, approve, return, close, reopen or task_done))" +
          "\n" + dir +
          R"(bad_event.json: [rectify.ledger.unknown_key] /log/1/evidence/sha-256: unknown key "sha-256" (did you mean "sha256"?))" +
          "\n" + dir +
          R"(bad_event.json: [rectify.ledger.missing_key] /log/1/evidence: missing required key "sha256")");
}

// ---------------------------------------------------------------------------------------------
// Writing

TEST_CASE("ledger json: dump writes the contract's key order with two-space indentation", "[ledger_json]") {
  lg::plan p;
  p.id = "L";
  p.review_levels = {"审定"};
  p.areas = {{"a1", "三会一课"}};
  lg::problem pr;
  pr.id = "P1";
  pr.area = "a1";
  pr.title = "记录";
  pr.units = {"U01", "U02"};
  lg::measure m;
  m.id = "P1.M1";
  m.text = "制定\"计划\"";
  m.unit = "U01";
  m.owner = "王";
  m.due = date::from_ymd(2026, 4, 30);
  m.recorded_state = lg::state::planned;
  m.tasks = {{"P1.M1.T1", "起草", date::from_ymd(2026, 4, 15)}};
  pr.measures = {m};
  p.problems = {pr};
  lg::event e;
  e.seq = 1;
  e.at_text = "2026-04-02T09:30:00+08:00";
  e.by = "王";
  e.measure = "P1.M1";
  e.act = lg::action::evidence;
  e.proof = lg::evidence{"a.pdf", std::string(kAbc), 3};
  e.prev = kZero;
  e.hash = kOnes;
  p.log = {e};
  const std::string expected = R"({
  "format": "rectify.ledger/1",
  "id": "L",
  "review_levels": ["审定"],
  "areas": [
    {
      "id": "a1",
      "name": "三会一课"
    }
  ],
  "problems": [
    {
      "id": "P1",
      "area": "a1",
      "title": "记录",
      "units": ["U01", "U02"],
      "measures": [
        {
          "id": "P1.M1",
          "text": "制定\"计划\"",
          "kind": "deadline",
          "unit": "U01",
          "owner": "王",
          "due": "2026-04-30",
          "state": "planned",
          "tasks": [
            {
              "id": "P1.M1.T1",
              "text": "起草",
              "due": "2026-04-15"
            }
          ]
        }
      ]
    }
  ],
  "log": [
    {
      "seq": 1,
      "at": "2026-04-02T09:30:00+08:00",
      "by": "王",
      "measure": "P1.M1",
      "action": "evidence",
      "evidence": {
        "name": "a.pdf",
        "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "bytes": 3
      },
      "prev": "0000000000000000000000000000000000000000000000000000000000000000",
      "hash": "1111111111111111111111111111111111111111111111111111111111111111"
    }
  ]
}
)";
  CHECK(rectify::io::dump_ledger(p) == expected);
  // Empty lists and a present-but-empty source are written as such.
  lg::plan q;
  q.id = "Q";
  q.review_levels = {"审定"};
  q.source.present = true;
  CHECK(rectify::io::dump_ledger(q) == R"({
  "format": "rectify.ledger/1",
  "id": "Q",
  "source": {},
  "review_levels": ["审定"],
  "areas": [],
  "problems": [],
  "log": []
}
)");
}

TEST_CASE("ledger json: the small fixture round-trips", "[ledger_json]") {
  auto p = rectify::io::load_ledger_file(RECTIFY_TEST_DATA "/ledger/small.json");
  auto text = rectify::io::dump_ledger(p);
  auto q = rectify::io::parse_ledger(text, "dumped.json");
  require_same(p, q);
  CHECK(rectify::io::dump_ledger(q) == text);
}

TEST_CASE("ledger json: a ledger with events round-trips", "[ledger_json]") {
  auto p = rectify::io::parse_ledger(valid(), "l.json");
  auto events = python_events();
  // Strings that need escaping everywhere a string may be, and every optional event key.
  p.title = "tab\there \"quoted\" back\\slash \x01 é 😀";
  p.problems[0].description = "line 1\nline 2\r\n";
  p.problems[1].measures[0].leader = "\x7f";
  p.log = events;
  auto text = rectify::io::dump_ledger(p);
  auto q = rectify::io::parse_ledger(text, "dumped.json");
  require_same(p, q);
  CHECK(rectify::io::dump_ledger(q) == text);
  // Each event's hash still matches its canonical JSON after the trip.
  for (const auto& e : q.log) CHECK(rectify::sha256_hex(e.prev + rectify::io::canonical_event_json(e)) == e.hash);
}

TEST_CASE("ledger json: text that is not UTF-8 is never written", "[ledger_json]") {
  auto p = rectify::io::parse_ledger(valid(), "l.json");
  p.problems[1].measures[0].owner = "\xC8\xFD";  // GBK, as a caller might pass it
  CHECK(message_of([&] { (void)rectify::io::dump_ledger(p); }) ==
        "[rectify.ledger.bad_value] /problems/1/measures/0/owner: is not valid UTF-8 text; a ledger holds UTF-8 only");
  auto e = python_events()[0];
  e.note = "\xFF";
  CHECK(message_of([&] { (void)rectify::io::canonical_event_json(e); }) ==
        "[rectify.ledger.bad_value] /note: is not valid UTF-8 text; a ledger holds UTF-8 only");
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON

TEST_CASE("ledger json: canonical JSON equals Python's json.dumps with sorted keys", "[ledger_json]") {
  auto ev = python_events();
  CHECK(rectify::io::canonical_event_json(ev[0]) ==
        R"({"action":"start","at":"2026-04-02T09:30:00+08:00","by":"王某","measure":"P1.M1","prev":")" + kZero +
            R"(","seq":1})");
  CHECK(ev[0].hash == "c3d05fad2502e4783ca3b6771fbcc670cd4109bdd576f6e6a1a0aa7e479e0dcd");
  // Quotes, backslash and the control characters escaped as JSON requires (\u00xx in lowercase
  // hex where there is no short form); DEL, U+2028 and non-ASCII kept as they are.
  CHECK(
      rectify::io::canonical_event_json(ev[1]) ==
      R"({"action":"evidence","at":"2026-04-03T10:00:00+08:00","by":"王某","evidence":{"bytes":12345,"name":"三会一课计划.pdf","sha256":")" +
          std::string(kAbc) + R"("},"measure":"P1.M1","note":"计划\"初稿\"\\第1版\n\t\u0001\u001f)" + "\x7f\u2028😀" +
          R"(\b\f\r","prev":"c3d05fad2502e4783ca3b6771fbcc670cd4109bdd576f6e6a1a0aa7e479e0dcd","seq":2})");
  CHECK(ev[1].hash == "e6f2cb18e1c58f512b31ac81bc68ed39a01cb60742454e617350291f62f4faea");
  CHECK(
      rectify::io::canonical_event_json(ev[2]) ==
      R"({"action":"approve","at":"2026-04-04T08:00:00-05:00","by":"科长","level":1,"measure":"P1.M1","prev":"e6f2cb18e1c58f512b31ac81bc68ed39a01cb60742454e617350291f62f4faea","seq":3,"task":"P1.M1.T1"})");
  CHECK(ev[2].hash == "d9889a93eed1528c482d4a51ec85612bc95fbf1587d08b2918110a086ab07938");
}

TEST_CASE("ledger json: canonical JSON hashes the time as written and leaves out hash", "[ledger_json]") {
  auto e = python_events()[0];
  const auto before = rectify::io::canonical_event_json(e);
  e.hash = kTwos;  // the hash is not part of what it covers
  CHECK(rectify::io::canonical_event_json(e) == before);
  e.at_text = "2026-04-02T01:30:00Z";  // the same instant, written differently, is a different event
  CHECK(rectify::io::canonical_event_json(e) != before);
  CHECK(rectify::io::canonical_event_json(e).find(R"("at":"2026-04-02T01:30:00Z")") != std::string::npos);
  e.note = "";  // an empty note is still a note
  CHECK(rectify::io::canonical_event_json(e).find(R"("note":"")") != std::string::npos);
  e.level = -2;
  CHECK(rectify::io::canonical_event_json(e).find(R"("level":-2,)") != std::string::npos);
}

TEST_CASE("ledger json: event_json prints one event in the contract's order", "[ledger_json]") {
  auto e = python_events()[2];
  CHECK(
      rectify::io::event_json(e) ==
      R"({"seq": 3, "at": "2026-04-04T08:00:00-05:00", "by": "科长", "measure": "P1.M1", "action": "approve", "level": 1, "task": "P1.M1.T1", "prev": "e6f2cb18e1c58f512b31ac81bc68ed39a01cb60742454e617350291f62f4faea", "hash": "d9889a93eed1528c482d4a51ec85612bc95fbf1587d08b2918110a086ab07938"})");
  auto f = python_events()[1];
  f.note.reset();
  CHECK(rectify::io::event_json(f).find(
            R"("action": "evidence", "evidence": {"name": "三会一课计划.pdf", "sha256": ")") != std::string::npos);
}

TEST_CASE("ledger json: names of states, actions and kinds", "[ledger_json]") {
  CHECK(lg::name(lg::action::return_) == "return");
  CHECK(lg::parse_action("return") == lg::action::return_);
  CHECK(lg::name(lg::action::task_done) == "task_done");
  CHECK(lg::name(lg::state::in_progress) == "in_progress");
  CHECK(lg::label_zh(lg::state::closed) == "已销号");
  CHECK(lg::label_zh(lg::state::planned) == "未启动");
  CHECK(lg::parse_state("verified") == lg::state::verified);
  CHECK_FALSE(lg::parse_state("Verified"));
  CHECK(lg::name(lg::measure_kind::long_term) == "long_term");
  CHECK(lg::parse_kind("immediate") == lg::measure_kind::immediate);
  CHECK_FALSE(lg::parse_kind("long-term"));
  CHECK(lg::label_zh(lg::measure_kind::immediate) == "立行立改");
  CHECK(lg::label_zh(lg::measure_kind::deadline) == "限期整改");
  CHECK(lg::label_zh(lg::measure_kind::long_term) == "长期坚持");
  for (auto a : {lg::action::start, lg::action::evidence, lg::action::submit, lg::action::approve, lg::action::return_,
                 lg::action::close, lg::action::reopen, lg::action::task_done})
    CHECK(lg::parse_action(lg::name(a)) == a);
}
