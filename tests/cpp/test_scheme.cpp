// Scheme reading and validation (scoring.md §1 and §5½). Every message is pinned in full,
// as `problem::str()` prints it, because users read these and tools may match on them.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/assess/engine.hpp"
#include "rectify/assess/scheme.hpp"
#include "rectify/core/error.hpp"
#include "rectify/io/scheme_json.hpp"

using namespace std::string_literals;
using rectify::io::check_scheme;
using Strings = std::vector<std::string>;

namespace {

constexpr std::string_view kLeaf = R"({"id":"a","points":100,"rule":{"type":"check"}})";
constexpr std::string_view kGrades = R"([{"name":"A","min":90},{"name":"B"}])";

// A scheme text: `indicators` and `grades` are JSON arrays, `extra` is a list of further
// top-level members (with a trailing comma) such as `"missing":"zero",`.
std::string doc(std::string_view indicators, std::string_view extra = "", std::string_view grades = kGrades) {
  return R"({"format":"rectify.scheme/1","id":"s",)" + std::string(extra) + R"("indicators":)" +
         std::string(indicators) + R"(,"grades":)" + std::string(grades) + "}";
}

// One leaf of 100 points with the given rule object.
std::string with_rule(std::string_view rule) {
  return doc(R"([{"id":"a","points":100,"rule":)" + std::string(rule) + "}]");
}

Strings problems(std::string_view text) {
  Strings out;
  for (const auto& p : check_scheme(text, "s.json")) out.push_back(p.str());
  return out;
}

// The one problem of `text` (fails the test when there are none or several).
std::string problem_of(std::string_view text) {
  auto ps = problems(text);
  INFO(text);
  REQUIRE(ps.size() == 1);
  return ps.front();
}

std::string what_of_load(std::string_view text) {
  try {
    (void)rectify::io::load_scheme(text, "s.json");
  } catch (const rectify::error& e) {
    return e.what();
  }
  return "<no error>";
}

rectify::assess::scheme valid_model() {
  return rectify::io::load_scheme(doc("["s + std::string(kLeaf) + "]"), "s.json");
}

std::vector<rectify::problem> validate_model(const rectify::assess::scheme& s) {
  return rectify::assess::validate(s);
}

Strings strs(const std::vector<rectify::problem>& ps) {
  Strings out;
  for (const auto& p : ps) out.push_back(p.str());
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Valid schemes

TEST_CASE("scheme: a minimal scheme is valid and reads as written", "[scheme]") {
  const auto text = doc("["s + std::string(kLeaf) + "]");
  CHECK(problems(text).empty());
  const auto s = rectify::io::load_scheme(text, "s.json");
  CHECK(s.format == "rectify.scheme/1");
  CHECK(s.id == "s");
  CHECK(s.total == 100.0);                                     // the default
  CHECK(s.missing == rectify::assess::missing_policy::error);  // the default
  REQUIRE(s.indicators.size() == 1);
  CHECK(s.indicators[0].id == "a");
  CHECK(s.indicators[0].is_leaf());
  CHECK(s.indicators[0].rule_input() == "a");  // the input defaults to the id
  REQUIRE(s.grades.size() == 2);
  CHECK(s.grades[0].min == 90.0);
  CHECK(!s.grades[1].min);
}

TEST_CASE("scheme: the sample bureau scheme is valid", "[scheme]") {
  const auto path = std::string(RECTIFY_EXAMPLES_DATA) + "/scheme.json";
  CHECK(check_scheme(rectify::io::read_file(path), path).empty());
  const auto plan = rectify::assess::compile(rectify::io::load_scheme_file(path));
  CHECK(plan.id == "hw-party-2026");
  CHECK(plan.nodes.size() == 33);  // 8 areas (7 of the report, 1 for the ledger) + 25 indicators
  CHECK(plan.leaves.size() == 25);
  CHECK(plan.missing == rectify::assess::missing_policy::reweight);
  // team.training has weight 2 of 3 under team (8 points): 8 × 2 / 3.
  CHECK(plan.nodes[static_cast<std::size_t>(plan.find_node("team.training"))].points == Approx(16.0 / 3.0));
}

TEST_CASE("scheme: every optional section and every rule type read without complaint", "[scheme]") {
  const auto text = R"({
    "format": "rectify.scheme/1", "id": "full", "name": "全部", "total": 50, "missing": "reweight",
    "indicators": [
      {"id": "g", "name": "组", "weight": 3, "children": [
        {"id": "l1", "points": 10, "input": "x1", "rule": {"type": "linear", "worst": 10, "best": 0}},
        {"id": "l2", "points": 10, "rule": {"type": "steps", "at_most": [[1, 1], [2, 0]]}},
        {"id": "l3", "points": 17.5, "rule": {"type": "piecewise", "points": [[-5, 0.5], [5, 1]]},
         "deductions": [{"input": "d", "per": 1, "cap": 0, "name": "扣"}]}
      ]},
      {"id": "h", "weight": 1, "children": [
        {"id": "l4", "weight": 0, "rule": {"type": "check"}},
        {"id": "l5", "weight": 2.5, "rule": {"type": "direct"}},
        {"id": "l6", "weight": 1, "deductions": [{"input": "e", "per": 0.5}]}
      ]}
    ],
    "bonus": {"cap": 0, "items": [{"id": "b1", "input": "bi", "per": 1, "cap": 2}]},
    "penalties": [{"id": "p1", "name": "罚", "input": "pi", "per": 3}],
    "vetoes": [{"id": "v1", "name": "否", "input": "vi", "above": -2.5, "max_grade": "C"}],
    "grades": [{"name": "A", "min": 40, "quota": 1}, {"name": "B", "min": -10, "quota": 0.5}, {"name": "C"}]
  })";
  CHECK(problems(text).empty());
  const auto plan = rectify::assess::compile(rectify::io::load_scheme(text, "full.json"));
  CHECK(plan.total == 50.0);
  CHECK(plan.bonus_cap == 0.0);
  // g: 50 × 3 / (3 + 1) = 37.5, and its children's explicit points 10 + 10 + 17.5 sum to it;
  // h: 50 × 1/4 = 12.5, shared 0 : 2.5 : 1 -> 0, 12.5 × 2.5/3.5, 12.5 × 1/3.5.
  auto pts = [&](const char* id) { return plan.nodes[static_cast<std::size_t>(plan.find_node(id))].points; };
  CHECK(pts("g") == 37.5);
  CHECK(pts("h") == 12.5);
  CHECK(pts("l3") == 17.5);
  CHECK(pts("l4") == 0.0);
  CHECK(pts("l5") == Approx(12.5 * 2.5 / 3.5));
  CHECK(pts("l6") == Approx(12.5 / 3.5));
  CHECK(plan.inputs == Strings{"x1", "l2", "l3", "d", "l4", "l5", "e", "bi", "pi", "vi"});
  CHECK(plan.vetoes.at(0).above == -2.5);
  CHECK(plan.vetoes.at(0).max_grade == 2);
}

// ---------------------------------------------------------------------------------------------
// Structure: keys, types, format

TEST_CASE("scheme: an unknown key is an error with a did-you-mean when one is close", "[scheme]") {
  // A misspelt "points": the node then has neither points nor weight, which is said too.
  CHECK(
      problems(doc(R"([{"id":"a","pionts":100,"rule":{"type":"check"}}])")) ==
      Strings{
          R"(s.json: [rectify.scheme.unknown_key] /indicators/0/pionts: unknown key "pionts" (did you mean "points"?))",
          R"(s.json: [rectify.scheme.missing_points] /indicators/0: needs "points" or "weight")"});
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("totl":100,)")) ==
        R"(s.json: [rectify.scheme.unknown_key] /totl: unknown key "totl" (did you mean "total"?))");
  CHECK(problem_of(with_rule(R"({"type":"linear","worst":0,"best":1,"bset":2})")) ==
        R"(s.json: [rectify.scheme.unknown_key] /indicators/0/rule/bset: unknown key "bset" (did you mean "best"?))");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", "", R"([{"name":"A","min":90,"quote":0.2},{"name":"B"}])")) ==
        R"(s.json: [rectify.scheme.unknown_key] /grades/0/quote: unknown key "quote" (did you mean "quota"?))");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("bonus":{"cap":5,"itmes":[],"items":[]},)")) ==
        R"(s.json: [rectify.scheme.unknown_key] /bonus/itmes: unknown key "itmes" (did you mean "items"?))");
  CHECK(
      problem_of(doc(R"([{"id":"a","points":100,"deductions":[{"input":"c","per":1,"cpa":2}]}])")) ==
      R"(s.json: [rectify.scheme.unknown_key] /indicators/0/deductions/0/cpa: unknown key "cpa" (did you mean "cap"?))");
  CHECK(problem_of(
            doc("["s + std::string(kLeaf) + "]", R"("vetoes":[{"id":"v","input":"x","abov":0,"max_grade":"B"}],)")) ==
        R"(s.json: [rectify.scheme.unknown_key] /vetoes/0/abov: unknown key "abov" (did you mean "above"?))");
}

TEST_CASE("scheme: an unknown key far from every allowed one lists the allowed keys", "[scheme]") {
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("colour":"red",)")) ==
        R"(s.json: [rectify.scheme.unknown_key] /colour: unknown key "colour" (allowed: format id name total )"
        R"(missing indicators bonus penalties vetoes grades))");
  // A deduction has no id: "id" is unknown there.
  CHECK(
      problem_of(doc(R"([{"id":"a","points":100,"deductions":[{"id":"d1","input":"c","per":1}]}])")) ==
      R"(s.json: [rectify.scheme.unknown_key] /indicators/0/deductions/0/id: unknown key "id" (allowed: name input per cap))");
  // Keys are escaped as JSON pointer tokens (RFC 6901) and quoted with control characters escaped.
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("a/b~c\t":1,)")) ==
        "s.json: [rectify.scheme.unknown_key] /a~1b~0c\t: unknown key \"a/b~c\\x09\" (allowed: format id name total "
        "missing indicators bonus penalties vetoes grades)");
}

TEST_CASE("scheme: a key given twice in one object is an error at its pointer", "[scheme]") {
  CHECK(problem_of(R"({"format":"rectify.scheme/1","id":"s","id":"s","indicators":[)"s + std::string(kLeaf) +
                   R"(],"grades":[{"name":"A"}]})") ==
        R"(s.json: [rectify.scheme.duplicate_key] /id: the key "id" appears twice in one object)");
  CHECK(
      problem_of(doc(R"([{"id":"a","points":50,"rule":{"type":"check"}},
                           {"id":"g","points":50,"children":[
                             {"id":"b","points":50,"rule":{"type":"check","type":"check"}}]}])")) ==
      R"(s.json: [rectify.scheme.duplicate_key] /indicators/1/children/0/rule/type: the key "type" appears twice in one object)");
  // A repeated key whose two values differ is still one complaint, and the rest of the
  // document is checked as usual (here: the last "points" wins, and 60 does not sum to 100).
  CHECK(
      problems(doc(R"([{"id":"a","points":100,"points":60,"rule":{"type":"check"}}])")) ==
      Strings{
          R"(s.json: [rectify.scheme.duplicate_key] /indicators/0/points: the key "points" appears twice in one object)",
          R"(s.json: [rectify.scheme.points_sum] /indicators: the points of these indicators sum to 60, but their parent has 100)"});
}

TEST_CASE("scheme: a value of the wrong type is an error, without follow-on complaints", "[scheme]") {
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("total":"100",)")) ==
        "s.json: [rectify.scheme.type] /total: must be a number, not a string");
  CHECK(problem_of(R"({"format":"rectify.scheme/1","id":7,"indicators":[)"s + std::string(kLeaf) +
                   R"(],"grades":[{"name":"A"}]})") ==
        "s.json: [rectify.scheme.type] /id: must be a string, not a number");
  CHECK(problem_of(doc(R"({"a":1})")) == "s.json: [rectify.scheme.type] /indicators: must be an array, not an object");
  CHECK(problem_of(doc(R"([null])")) ==
        "s.json: [rectify.scheme.type] /indicators/0: an indicator must be an object, not null");
  CHECK(problem_of("[1, 2]") == "s.json: [rectify.scheme.type] a scheme must be an object, not an array");
  CHECK(problem_of(R"("rectify.scheme/1")") ==
        "s.json: [rectify.scheme.type] a scheme must be an object, not a string");
  // A points value of the wrong type does not also make the sum of its siblings wrong.
  CHECK(problem_of(doc(R"([{"id":"a","points":"50","rule":{"type":"check"}},
                           {"id":"b","points":50,"rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.type] /indicators/0/points: must be a number, not a string");
  CHECK(problem_of(doc(R"([{"id":"a","points":true,"rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.type] /indicators/0/points: must be a number, not a boolean");
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"rule":"check"}])")) ==
        "s.json: [rectify.scheme.type] /indicators/0/rule: a rule must be an object, not a string");
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"children":{}}])")) ==
        "s.json: [rectify.scheme.type] /indicators/0/children: must be an array, not an object");
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"deductions":[3]}])")) ==
        "s.json: [rectify.scheme.type] /indicators/0/deductions/0: an item must be an object, not a number");
  CHECK(problem_of(with_rule(R"({"type":"steps","at_least":[[1,0.5,2]]})")) ==
        "s.json: [rectify.scheme.type] /indicators/0/rule/at_least/0: must be a pair [value, fraction], not an array "
        "of 3");
  CHECK(problem_of(with_rule(R"({"type":"steps","at_least":[5]})")) ==
        "s.json: [rectify.scheme.type] /indicators/0/rule/at_least/0: must be a pair [value, fraction], not a number");
  CHECK(problem_of(with_rule(R"({"type":"piecewise","points":[[0,0],[1,"1"]]})")) ==
        "s.json: [rectify.scheme.type] /indicators/0/rule/points/1/1: must be a number, not a string");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("bonus":[],)")) ==
        "s.json: [rectify.scheme.type] /bonus: bonus must be an object, not an array");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("vetoes":{},)")) ==
        "s.json: [rectify.scheme.type] /vetoes: must be an array, not an object");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", "", R"([{"name":"A","min":"90"},{"name":"B"}])")) ==
        "s.json: [rectify.scheme.type] /grades/0/min: must be a number, not a string");
}

TEST_CASE("scheme: format is required and is exactly rectify.scheme/1", "[scheme]") {
  const std::string rest = R"("id":"s","indicators":[)"s + std::string(kLeaf) + R"(],"grades":[{"name":"A"}]})";
  CHECK(problem_of("{" + rest) == R"(s.json: [rectify.scheme.missing_key] missing required key "format")");
  CHECK(problem_of(R"({"format":"rectify.scheme/2",)" + rest) ==
        R"(s.json: [rectify.scheme.format] /format: must be "rectify.scheme/1", not "rectify.scheme/2")");
  CHECK(problem_of(R"({"format":"Rectify.Scheme/1",)" + rest) ==
        R"(s.json: [rectify.scheme.format] /format: must be "rectify.scheme/1", not "Rectify.Scheme/1")");
  CHECK(problem_of(R"({"format":1,)" + rest) ==
        "s.json: [rectify.scheme.type] /format: must be a string, not a number");
}

TEST_CASE("scheme: required keys and non-empty ids", "[scheme]") {
  CHECK(problems(R"({"format":"rectify.scheme/1"})") ==
        Strings{R"(s.json: [rectify.scheme.missing_key] missing required key "id")",
                R"(s.json: [rectify.scheme.missing_key] missing required key "indicators")",
                R"(s.json: [rectify.scheme.missing_key] missing required key "grades")"});
  CHECK(problem_of(R"({"format":"rectify.scheme/1","id":"","indicators":[)"s + std::string(kLeaf) +
                   R"(],"grades":[{"name":"A"}]})") == "s.json: [rectify.scheme.bad_value] /id: must not be empty");
  CHECK(problem_of(doc(R"([{"id":"","points":100,"input":"x","rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.bad_value] /indicators/0/id: must not be empty");
  // Without "input" the rule reads the id; its being empty is said once, not again as an input.
  CHECK(problem_of(doc(R"([{"id":"","points":100,"rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.bad_value] /indicators/0/id: must not be empty");
  CHECK(problem_of(doc(R"([{"points":100,"rule":{"type":"check"}}])")) ==
        R"(s.json: [rectify.scheme.missing_key] /indicators/0: missing required key "id")");
  CHECK(problem_of(doc("[]")) == "s.json: [rectify.scheme.bad_node] /indicators: needs at least one indicator");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("missing":"drop",)")) ==
        R"(s.json: [rectify.scheme.bad_value] /missing: must be "error", "zero" or "reweight", not "drop")");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("bonus":{"cap":5},)")) ==
        R"(s.json: [rectify.scheme.missing_key] /bonus: missing required key "items")");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("penalties":[{"id":"p","per":1}],)")) ==
        R"(s.json: [rectify.scheme.missing_key] /penalties/0: missing required key "input")");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("penalties":[{"id":"p","input":"x"}],)")) ==
        R"(s.json: [rectify.scheme.missing_key] /penalties/0: missing required key "per")");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("vetoes":[{"id":"v","input":"x"}],)")) ==
        R"(s.json: [rectify.scheme.missing_key] /vetoes/0: missing required key "max_grade")");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", "", R"([{"min":90},{"name":"B"}])")) ==
        R"(s.json: [rectify.scheme.missing_key] /grades/0: missing required key "name")");
}

// ---------------------------------------------------------------------------------------------
// Points and weights

TEST_CASE("scheme: explicit points of siblings must sum to their parent's points", "[scheme]") {
  CHECK(problem_of(doc(R"([{"id":"a","points":40,"rule":{"type":"check"}},
                           {"id":"b","points":50,"rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.points_sum] /indicators: the points of these indicators sum to 90, but their parent "
        "has 100");
  // Nested: g has 30, its children 10 + 10.
  CHECK(problem_of(doc(R"([{"id":"a","points":70,"rule":{"type":"check"}},
                           {"id":"g","points":30,"children":[{"id":"b","points":10,"rule":{"type":"check"}},
                                                             {"id":"c","points":10,"rule":{"type":"check"}}]}])")) ==
        "s.json: [rectify.scheme.points_sum] /indicators/1/children: the points of these indicators sum to 20, but "
        "their parent has 30");
  // The root has `total` points.
  CHECK(problems(doc(R"([{"id":"a","points":4,"rule":{"type":"check"}},{"id":"b","points":6,"rule":{"type":"check"}}])",
                     R"("total":10,)"))
            .empty());
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"rule":{"type":"check"}}])", R"("total":10,)")) ==
        "s.json: [rectify.scheme.points_sum] /indicators: the points of these indicators sum to 100, but their parent "
        "has 10");
  // A parent whose points come from a weight: 100 × 1/4 = 25.
  CHECK(problems(doc(R"([{"id":"a","weight":3,"rule":{"type":"check"}},
                         {"id":"g","weight":1,"children":[{"id":"b","points":10,"rule":{"type":"check"}},
                                                          {"id":"c","points":15,"rule":{"type":"check"}}]}])"))
            .empty());
  CHECK(problem_of(doc(R"([{"id":"a","weight":3,"rule":{"type":"check"}},
                           {"id":"g","weight":1,"children":[{"id":"b","points":10,"rule":{"type":"check"}},
                                                            {"id":"c","points":10,"rule":{"type":"check"}}]}])")) ==
        "s.json: [rectify.scheme.points_sum] /indicators/1/children: the points of these indicators sum to 20, but "
        "their parent has 25");
}

TEST_CASE("scheme: the points sum has a relative tolerance of 1e-9", "[scheme]") {
  // 100 × 1e-9 = 1e-7: a difference of 1e-8 passes, one of 1e-6 does not.
  CHECK(problems(doc(R"([{"id":"a","points":50,"rule":{"type":"check"}},
                         {"id":"b","points":50.00000001,"rule":{"type":"check"}}])"))
            .empty());
  // Thirds written to 13 digits sum to 100 within the tolerance.
  CHECK(problems(doc(R"([{"id":"a","points":33.3333333333,"rule":{"type":"check"}},
                         {"id":"b","points":33.3333333333,"rule":{"type":"check"}},
                         {"id":"c","points":33.3333333334,"rule":{"type":"check"}}])"))
            .empty());
  CHECK(problem_of(doc(R"([{"id":"a","points":50,"rule":{"type":"check"}},
                           {"id":"b","points":50.000001,"rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.points_sum] /indicators: the points of these indicators sum to 100.000001, but their "
        "parent has 100");
  // The tolerance is relative to max(1, parent): with total 1e6, 1e-4 off passes, 1e-2 does not.
  CHECK(problems(doc(R"([{"id":"a","points":1000000.0001,"rule":{"type":"check"}}])", R"("total":1e6,)")).empty());
  CHECK(problem_of(doc(R"([{"id":"a","points":1000000.01,"rule":{"type":"check"}}])", R"("total":1e6,)")) ==
        "s.json: [rectify.scheme.points_sum] /indicators: the points of these indicators sum to 1000000.01, but their "
        "parent has 1000000");
}

TEST_CASE("scheme: siblings give all points or all weights, never a mix", "[scheme]") {
  CHECK(
      problem_of(doc(R"([{"id":"a","points":50,"rule":{"type":"check"}},
                           {"id":"b","weight":1,"rule":{"type":"check"}}])")) ==
      R"(s.json: [rectify.scheme.mixed_points] /indicators: siblings give either all "points" or all "weight", never a mix)");
  // Nested groups are checked too, and one mix does not hide a sum elsewhere.
  CHECK(problems(doc(R"([{"id":"a","points":10,"rule":{"type":"check"}},
                         {"id":"g","points":80,"children":[{"id":"b","points":1,"rule":{"type":"check"}},
                                                           {"id":"c","weight":1,"rule":{"type":"check"}}]}])")) ==
        Strings{"s.json: [rectify.scheme.points_sum] /indicators: the points of these indicators sum to 90, but their "
                "parent has 100",
                R"(s.json: [rectify.scheme.mixed_points] /indicators/1/children: siblings give either all "points" or )"
                R"(all "weight", never a mix)"});
}

TEST_CASE("scheme: a node with both points and weight is refused", "[scheme]") {
  // With only one node the group is also mixed, and that is said first.
  CHECK(
      problems(doc(R"([{"id":"a","points":100,"weight":1,"rule":{"type":"check"}}])")) ==
      Strings{
          R"(s.json: [rectify.scheme.mixed_points] /indicators: siblings give either all "points" or all "weight", never a mix)",
          R"(s.json: [rectify.scheme.mixed_points] /indicators/0: gives both "points" and "weight"; keep one)"});
}

TEST_CASE("scheme: a node needs points or a weight", "[scheme]") {
  CHECK(problem_of(doc(R"([{"id":"a","rule":{"type":"check"}}])")) ==
        R"(s.json: [rectify.scheme.missing_points] /indicators/0: needs "points" or "weight")");
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"children":[{"id":"b","rule":{"type":"check"}}]}])")) ==
        R"(s.json: [rectify.scheme.missing_points] /indicators/0/children/0: needs "points" or "weight")");
  // Among weighted siblings too.
  CHECK(problem_of(doc(R"([{"id":"a","weight":1,"rule":{"type":"check"}},{"id":"b","rule":{"type":"check"}}])")) ==
        R"(s.json: [rectify.scheme.missing_points] /indicators/1: needs "points" or "weight")");
}

TEST_CASE("scheme: the weights of siblings may not all be zero", "[scheme]") {
  CHECK(problem_of(
            doc(R"([{"id":"a","weight":0,"rule":{"type":"check"}},{"id":"b","weight":0,"rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.zero_weights] /indicators: the weights of these siblings are all zero");
  CHECK(
      problems(doc(R"([{"id":"a","weight":0,"rule":{"type":"check"}},{"id":"b","weight":2,"rule":{"type":"check"}}])"))
          .empty());
  // Zero points are allowed where they sum right.
  CHECK(problems(
            doc(R"([{"id":"a","points":0,"rule":{"type":"check"}},{"id":"b","points":100,"rule":{"type":"check"}}])"))
            .empty());
}

TEST_CASE("scheme: points, weights, per, caps and total may not be negative", "[scheme]") {
  CHECK(problem_of(doc(
            R"([{"id":"a","points":-10,"rule":{"type":"check"}},{"id":"b","points":110,"rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.bad_number] /indicators/0/points: must be >= 0, not -10");
  CHECK(problem_of(
            doc(R"([{"id":"a","weight":-1,"rule":{"type":"check"}},{"id":"b","weight":2,"rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.bad_number] /indicators/0/weight: must be >= 0, not -1");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("total":0,)")) ==
        "s.json: [rectify.scheme.bad_number] /total: must be > 0, not 0");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("total":-100,)")) ==
        "s.json: [rectify.scheme.bad_number] /total: must be > 0, not -100");
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"deductions":[{"input":"c","per":-0.5}]}])")) ==
        "s.json: [rectify.scheme.bad_number] /indicators/0/deductions/0/per: must be > 0, not -0.5");
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"deductions":[{"input":"c","per":0}]}])")) ==
        "s.json: [rectify.scheme.bad_number] /indicators/0/deductions/0/per: must be > 0, not 0");
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"deductions":[{"input":"c","per":1,"cap":-6}]}])")) ==
        "s.json: [rectify.scheme.bad_number] /indicators/0/deductions/0/cap: must be >= 0, not -6");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("bonus":{"cap":-5,"items":[]},)")) ==
        "s.json: [rectify.scheme.bad_number] /bonus/cap: must be >= 0, not -5");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("bonus":{"items":[{"id":"b","input":"x","per":-2}]},)")) ==
        "s.json: [rectify.scheme.bad_number] /bonus/items/0/per: must be > 0, not -2");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("penalties":[{"id":"p","input":"x","per":3,"cap":-1}],)")) ==
        "s.json: [rectify.scheme.bad_number] /penalties/0/cap: must be >= 0, not -1");
  // Rule parameters, grade minimums and veto thresholds may be any finite number.
  CHECK(problems(doc(R"([{"id":"a","points":100,"rule":{"type":"linear","worst":-10,"best":-20}}])",
                     R"("vetoes":[{"id":"v","input":"x","above":-3,"max_grade":"B"}],)",
                     R"([{"name":"A","min":-5},{"name":"B"}])"))
            .empty());
}

// ---------------------------------------------------------------------------------------------
// Leaves and inner nodes

TEST_CASE("scheme: a leaf needs a rule, deductions or both, an inner node has neither", "[scheme]") {
  CHECK(problem_of(doc(R"([{"id":"a","points":100}])")) ==
        R"(s.json: [rectify.scheme.bad_node] /indicators/0: a leaf needs a "rule", "deductions", or both)");
  CHECK(problem_of(
            doc(R"([{"id":"g","points":100,"rule":{"type":"check"},"children":[)"s + std::string(kLeaf) + "]}]")) ==
        "s.json: [rectify.scheme.bad_node] /indicators/0/rule: an indicator with children has no rule");
  CHECK(problem_of(doc(R"([{"id":"g","points":100,"deductions":[{"input":"c","per":1}],"children":[)"s +
                       std::string(kLeaf) + "]}]")) ==
        "s.json: [rectify.scheme.bad_node] /indicators/0/deductions: an indicator with children has no deductions");
  CHECK(problem_of(doc(R"([{"id":"g","points":100,"input":"x","children":[)"s + std::string(kLeaf) + "]}]")) ==
        "s.json: [rectify.scheme.bad_node] /indicators/0/input: an indicator with children reads no input");
}

TEST_CASE("scheme: children and deductions may not be empty", "[scheme]") {
  CHECK(problem_of(doc(R"([{"id":"g","points":100,"children":[]}])")) ==
        "s.json: [rectify.scheme.bad_node] /indicators/0/children: must not be empty (leave it out for a leaf)");
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"deductions":[]}])")) ==
        "s.json: [rectify.scheme.bad_node] /indicators/0/deductions: must not be empty (leave it out)");
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"rule":{"type":"check"},"deductions":[]}])")) ==
        "s.json: [rectify.scheme.bad_node] /indicators/0/deductions: must not be empty (leave it out)");
}

TEST_CASE("scheme: a leaf without a rule may not name an input", "[scheme]") {
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"input":"x","deductions":[{"input":"c","per":1}]}])")) ==
        "s.json: [rectify.scheme.bad_node] /indicators/0/input: a leaf without a rule reads no input (it would be "
        "ignored); name the inputs in its deductions");
}

TEST_CASE("scheme: no input may be called unit, and input names are not empty", "[scheme]") {
  const std::string reserved = R"(: "unit" is the column of unit ids and cannot be an input)";
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"input":"unit","rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.reserved_input] /indicators/0/input" + reserved);
  // A leaf with a rule and no input reads its id.
  CHECK(problem_of(doc(R"([{"id":"unit","points":100,"rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.reserved_input] /indicators/0/id" + reserved);
  // ... but a leaf without a rule reads no column named by its id.
  CHECK(problems(doc(R"([{"id":"unit","points":100,"deductions":[{"input":"c","per":1}]}])")).empty());
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"deductions":[{"input":"unit","per":1}]}])")) ==
        "s.json: [rectify.scheme.reserved_input] /indicators/0/deductions/0/input" + reserved);
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("bonus":{"items":[{"id":"b","input":"unit","per":1}]},)")) ==
        "s.json: [rectify.scheme.reserved_input] /bonus/items/0/input" + reserved);
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("penalties":[{"id":"p","input":"unit","per":1}],)")) ==
        "s.json: [rectify.scheme.reserved_input] /penalties/0/input" + reserved);
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]", R"("vetoes":[{"id":"v","input":"unit","max_grade":"B"}],)")) ==
        "s.json: [rectify.scheme.reserved_input] /vetoes/0/input" + reserved);
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"input":"","rule":{"type":"check"}}])")) ==
        "s.json: [rectify.scheme.bad_value] /indicators/0/input: an input name must not be empty");
  CHECK(problem_of(doc(R"([{"id":"a","points":100,"deductions":[{"input":"","per":1}]}])")) ==
        "s.json: [rectify.scheme.bad_value] /indicators/0/deductions/0/input: an input name must not be empty");
}

// ---------------------------------------------------------------------------------------------
// Rules

TEST_CASE("scheme: a rule needs a known type", "[scheme]") {
  CHECK(problem_of(with_rule(R"({"type":"linar","worst":0,"best":1})")) ==
        R"(s.json: [rectify.scheme.bad_rule] /indicators/0/rule/type: unknown rule type "linar" (linear, steps, )"
        R"(piecewise, check or direct))");
  CHECK(problem_of(with_rule(R"({"worst":0,"best":1})")) ==
        R"(s.json: [rectify.scheme.missing_key] /indicators/0/rule: missing required key "type")");
  CHECK(problem_of(with_rule(R"({"type":3})")) ==
        "s.json: [rectify.scheme.type] /indicators/0/rule/type: must be a string, not a number");
  // Keys belong to the type: "points" is not a key of a linear rule, "worst" not one of check.
  CHECK(problem_of(with_rule(R"({"type":"check","worst":0})")) ==
        R"(s.json: [rectify.scheme.unknown_key] /indicators/0/rule/worst: unknown key "worst" (allowed: type))");
}

TEST_CASE("scheme: linear needs worst and best, and they differ", "[scheme]") {
  // The canonical example of the error contract.
  const auto text = doc(R"([{"id":"g","points":100,"children":[
      {"id":"a","points":40,"rule":{"type":"check"}},
      {"id":"b","points":30,"rule":{"type":"check"}},
      {"id":"c","points":30,"rule":{"type":"linear","worst":0.8,"best":0.8}}]}])");
  CHECK(problem_of(text) ==
        "s.json: [rectify.scheme.bad_rule] /indicators/0/children/2/rule/best: must differ from worst");
  const auto ps = check_scheme(text);  // without a source, the problem starts at the code
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].str() == "[rectify.scheme.bad_rule] /indicators/0/children/2/rule/best: must differ from worst");
  CHECK(ps[0].code == "rectify.scheme.bad_rule");
  CHECK(ps[0].path == "/indicators/0/children/2/rule/best");
  CHECK(ps[0].message == "must differ from worst");
  CHECK(ps[0].source.empty());
  CHECK(problem_of(with_rule(R"({"type":"linear","worst":0})")) ==
        R"(s.json: [rectify.scheme.missing_key] /indicators/0/rule: missing required key "best")");
  CHECK(problem_of(with_rule(R"({"type":"linear","best":1})")) ==
        R"(s.json: [rectify.scheme.missing_key] /indicators/0/rule: missing required key "worst")");
}

TEST_CASE("scheme: steps have exactly one of at_least/at_most, non-empty, thresholds unique", "[scheme]") {
  CHECK(problem_of(with_rule(R"({"type":"steps","at_least":[[1,1]],"at_most":[[1,1]]})")) ==
        R"(s.json: [rectify.scheme.bad_rule] /indicators/0/rule: give either "at_least" or "at_most", not both)");
  CHECK(problem_of(with_rule(R"({"type":"steps"})")) ==
        R"(s.json: [rectify.scheme.bad_rule] /indicators/0/rule: a steps rule needs "at_least" or "at_most")");
  CHECK(problem_of(with_rule(R"({"type":"steps","at_least":[]})")) ==
        "s.json: [rectify.scheme.bad_rule] /indicators/0/rule/at_least: needs at least one [threshold, fraction] pair");
  CHECK(problem_of(with_rule(R"({"type":"steps","at_most":[]})")) ==
        "s.json: [rectify.scheme.bad_rule] /indicators/0/rule/at_most: needs at least one [threshold, fraction] pair");
  CHECK(problem_of(with_rule(R"({"type":"steps","at_least":[[1,0.5],[2,0.7],[1,0.9]]})")) ==
        "s.json: [rectify.scheme.bad_rule] /indicators/0/rule/at_least/2/0: threshold 1 is given twice (also at "
        "/indicators/0/rule/at_least/0/0)");
  // Unsorted but distinct thresholds are fine.
  CHECK(problems(with_rule(R"({"type":"steps","at_most":[[5,0.2],[1,1],[3,0.6]]})")).empty());
}

TEST_CASE("scheme: fractions in rule parameters lie in (0, 1)", "[scheme]") {
  CHECK(problem_of(with_rule(R"({"type":"steps","at_least":[[1,1.5]]})")) ==
        "s.json: [rectify.scheme.bad_rule] /indicators/0/rule/at_least/0/1: a fraction must lie in [0, 1], not 1.5");
  CHECK(problem_of(with_rule(R"({"type":"steps","at_most":[[1,1],[2,-0.25]]})")) ==
        "s.json: [rectify.scheme.bad_rule] /indicators/0/rule/at_most/1/1: a fraction must lie in [0, 1], not -0.25");
  CHECK(problem_of(with_rule(R"({"type":"piecewise","points":[[0,-0.1],[1,1]]})")) ==
        "s.json: [rectify.scheme.bad_rule] /indicators/0/rule/points/0/1: a fraction must lie in [0, 1], not -0.1");
  CHECK(problems(with_rule(R"({"type":"piecewise","points":[[0,0],[1,1]]})")).empty());
}

TEST_CASE("scheme: piecewise needs two or more points with x strictly ascending", "[scheme]") {
  CHECK(problem_of(with_rule(R"({"type":"piecewise","points":[[0,1]]})")) ==
        "s.json: [rectify.scheme.bad_rule] /indicators/0/rule/points: needs at least two [x, fraction] points");
  CHECK(problem_of(with_rule(R"({"type":"piecewise","points":[]})")) ==
        "s.json: [rectify.scheme.bad_rule] /indicators/0/rule/points: needs at least two [x, fraction] points");
  CHECK(problem_of(with_rule(R"({"type":"piecewise","points":[[0,0],[5,0.5],[5,1]]})")) ==
        "s.json: [rectify.scheme.bad_rule] /indicators/0/rule/points/2/0: x must be strictly ascending");
  CHECK(problem_of(with_rule(R"({"type":"piecewise","points":[[5,0],[0,1]]})")) ==
        "s.json: [rectify.scheme.bad_rule] /indicators/0/rule/points/1/0: x must be strictly ascending");
  CHECK(problem_of(with_rule(R"({"type":"piecewise"})")) ==
        R"(s.json: [rectify.scheme.missing_key] /indicators/0/rule: missing required key "points")");
}

// ---------------------------------------------------------------------------------------------
// Grades and vetoes

TEST_CASE("scheme: grade minimums strictly decrease and every grade but the last has one", "[scheme]") {
  const std::string leaves = "["s + std::string(kLeaf) + "]";
  CHECK(problem_of(doc(leaves, "", R"([{"name":"A","min":80},{"name":"B","min":90},{"name":"C"}])")) ==
        "s.json: [rectify.scheme.bad_grades] /grades/1/min: grade minimums must strictly decrease (90 after 80)");
  CHECK(problem_of(doc(leaves, "", R"([{"name":"A","min":80},{"name":"B","min":80},{"name":"C"}])")) ==
        "s.json: [rectify.scheme.bad_grades] /grades/1/min: grade minimums must strictly decrease (80 after 80)");
  CHECK(problem_of(doc(leaves, "", R"([{"name":"A","min":90},{"name":"B","min":60}])")) ==
        R"(s.json: [rectify.scheme.bad_grades] /grades/1/min: the last grade has no "min": it catches every score)");
  CHECK(problem_of(doc(leaves, "", R"([{"name":"A","min":90},{"name":"B"},{"name":"C"}])")) ==
        R"(s.json: [rectify.scheme.bad_grades] /grades/1: every grade but the last needs "min")");
  CHECK(problem_of(doc(leaves, "", "[]")) == "s.json: [rectify.scheme.bad_grades] /grades: needs at least one grade");
  // One grade alone catches every score.
  CHECK(problems(doc(leaves, "", R"([{"name":"all"}])")).empty());
}

TEST_CASE("scheme: a quota lies in (0, 1) and the last grade has none", "[scheme]") {
  const std::string leaves = "["s + std::string(kLeaf) + "]";
  CHECK(problem_of(doc(leaves, "", R"([{"name":"A","min":90,"quota":0},{"name":"B"}])")) ==
        "s.json: [rectify.scheme.bad_grades] /grades/0/quota: must lie in (0, 1], not 0");
  CHECK(problem_of(doc(leaves, "", R"([{"name":"A","min":90,"quota":1.5},{"name":"B"}])")) ==
        "s.json: [rectify.scheme.bad_grades] /grades/0/quota: must lie in (0, 1], not 1.5");
  CHECK(problem_of(doc(leaves, "", R"([{"name":"A","min":90,"quota":-0.2},{"name":"B"}])")) ==
        "s.json: [rectify.scheme.bad_grades] /grades/0/quota: must lie in (0, 1], not -0.2");
  CHECK(problems(doc(leaves, "", R"([{"name":"A","min":90,"quota":1},{"name":"B"}])")).empty());
  CHECK(problem_of(doc(leaves, "", R"([{"name":"A","min":90},{"name":"B","quota":0.5}])")) ==
        "s.json: [rectify.scheme.bad_grades] /grades/1/quota: the last grade has no quota: nobody can move below it");
}

TEST_CASE("scheme: grade names are unique and non-empty", "[scheme]") {
  const std::string leaves = "["s + std::string(kLeaf) + "]";
  CHECK(problem_of(doc(leaves, "", R"([{"name":"优秀","min":90},{"name":"优秀","min":80},{"name":"合格"}])")) ==
        R"(s.json: [rectify.scheme.bad_grades] /grades/1/name: "优秀" is given twice)");
  CHECK(problem_of(doc(leaves, "", R"([{"name":"","min":90},{"name":"B"}])")) ==
        "s.json: [rectify.scheme.bad_value] /grades/0/name: must not be empty");
}

TEST_CASE("scheme: a veto's max_grade names a grade", "[scheme]") {
  const std::string leaves = "["s + std::string(kLeaf) + "]";
  CHECK(problem_of(doc(leaves, R"("vetoes":[{"id":"v","input":"x","max_grade":"不合格"}],)")) ==
        R"(s.json: [rectify.scheme.bad_veto] /vetoes/0/max_grade: "不合格" is not a grade of this scheme)");
  CHECK(problems(doc(leaves, R"("vetoes":[{"id":"v","input":"x","max_grade":"A"}],)")).empty());
}

TEST_CASE("scheme: ids are unique across nodes, bonus items, penalties and vetoes", "[scheme]") {
  const std::string two = R"([{"id":"a","points":50,"rule":{"type":"check"}},
                              {"id":"g","points":50,"children":[{"id":"b","points":50,"rule":{"type":"check"}}]}])";
  CHECK(problem_of(doc(R"([{"id":"a","points":50,"rule":{"type":"check"}},
                           {"id":"g","points":50,"children":[{"id":"a","points":50,"input":"y","rule":{"type":"check"}}]}])")) ==
        R"(s.json: [rectify.scheme.duplicate_id] /indicators/1/children/0/id: "a" is already the id of /indicators/0)");
  CHECK(
      problem_of(doc(two, R"("bonus":{"items":[{"id":"b","input":"x","per":1}]},)")) ==
      R"(s.json: [rectify.scheme.duplicate_id] /bonus/items/0/id: "b" is already the id of /indicators/1/children/0)");
  CHECK(problem_of(doc(
            two,
            R"("bonus":{"items":[{"id":"p","input":"x","per":1}]},"penalties":[{"id":"p","input":"y","per":1}],)")) ==
        R"(s.json: [rectify.scheme.duplicate_id] /penalties/0/id: "p" is already the id of /bonus/items/0)");
  CHECK(problem_of(doc(two, R"("penalties":[{"id":"g","input":"y","per":1}],)")) ==
        R"(s.json: [rectify.scheme.duplicate_id] /penalties/0/id: "g" is already the id of /indicators/1)");
  CHECK(
      problem_of(doc(
          two, R"("penalties":[{"id":"v","input":"y","per":1}],"vetoes":[{"id":"v","input":"z","max_grade":"B"}],)")) ==
      R"(s.json: [rectify.scheme.duplicate_id] /vetoes/0/id: "v" is already the id of /penalties/0)");
  CHECK(problem_of(
            doc(two, R"("vetoes":[{"id":"v","input":"z","max_grade":"B"},{"id":"v","input":"w","max_grade":"B"}],)")) ==
        R"(s.json: [rectify.scheme.duplicate_id] /vetoes/1/id: "v" is already the id of /vetoes/0)");
  // Inputs, unlike ids, may be shared: one column can feed a rule, a deduction and a bonus.
  CHECK(problems(
            doc(R"([{"id":"a","points":100,"input":"x","rule":{"type":"check"},"deductions":[{"input":"x","per":1}]}])",
                R"("bonus":{"items":[{"id":"b","input":"x","per":1}]},)"))
            .empty());
}

// ---------------------------------------------------------------------------------------------
// JSON text

TEST_CASE("scheme: a JSON syntax error names line and column", "[scheme]") {
  // The column is that of the last character read (here the closing quote of "total").
  CHECK(problem_of("{\n  \"format\": \"rectify.scheme/1\",\n  \"id\": \"x\"\n  \"total\": 100\n}") ==
        "s.json:4:9: [rectify.scheme.syntax] syntax error while parsing object - unexpected string literal; expected "
        "'}'");
  // Columns count characters, not bytes: 考核方案 is 4 columns.
  CHECK(problem_of("{\n  \"format\": \"rectify.scheme/1\",\n  \"name\": \"考核方案\", \"id\": x\n}") ==
        "s.json:3:25: [rectify.scheme.syntax] syntax error while parsing value - invalid literal; last read: '\"id\": "
        "x'");
  CHECK(problem_of(R"({"format":"rectify.scheme/1",})") ==
        "s.json:1:30: [rectify.scheme.syntax] syntax error while parsing object key - unexpected '}'; expected string "
        "literal");
  // Truncated.
  CHECK(problem_of("{\"format\":\"rectify.scheme/1\",\n\"indicators\":[\n{\"id\":\"a\",") ==
        "s.json:3:11: [rectify.scheme.syntax] syntax error while parsing object key - unexpected end of input; "
        "expected string literal");
  // A second document after the first.
  CHECK(
      problem_of(R"({"format":"rectify.scheme/1"} {})") ==
      "s.json:1:31: [rectify.scheme.syntax] syntax error while parsing value - unexpected '{'; expected end of input");
  // Without a source the place still has line and column.
  const auto ps = check_scheme("{]");
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].source == "<scheme>:1:2");
}

TEST_CASE("scheme: NaN, Infinity and comments are not JSON", "[scheme]") {
  CHECK(
      problem_of(R"({"format":"rectify.scheme/1","id":NaN})") ==
      "s.json:1:35: [rectify.scheme.syntax] syntax error while parsing value - invalid literal; last read: '\"id\":N' "
      "(NaN and Infinity are not JSON numbers; write a finite number)");
  CHECK(problem_of(R"({"total":Infinity})") ==
        "s.json:1:10: [rectify.scheme.syntax] syntax error while parsing value - invalid literal; last read: "
        "'\"total\":I' (NaN and Infinity are not JSON numbers; write a finite number)");
  CHECK(problem_of(R"({"total":-Infinity})") ==
        "s.json:1:11: [rectify.scheme.syntax] syntax error while parsing value - invalid number; expected digit after "
        "'-'; last read: '-I' (NaN and Infinity are not JSON numbers; write a finite number)");
  CHECK(problem_of("{\"format\":\"rectify.scheme/1\", // no comments\n}") ==
        "s.json:1:31: [rectify.scheme.syntax] syntax error while parsing object key - invalid literal; last read: "
        "'\"rectify.scheme/1\", /'; expected string literal");
}

TEST_CASE("scheme: a number too large for a double is an error, not a crash", "[scheme]") {
  // 1e400 is valid JSON but overflows a double. The reader must report it as a number that is
  // not finite (docs/scheme.md: bad_number), never throw, and name where it is. The column is
  // that of the number's last character, as for syntax errors.
  const std::string text = "{\"format\": \"rectify.scheme/1\",\n \"total\": 1e400}";
  std::vector<rectify::problem> ps;
  REQUIRE_NOTHROW(ps = check_scheme(text, "s.json"));
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].str() ==
        "s.json:2:15: [rectify.scheme.bad_number] number 1e400 is out of the range of a double (numbers must be "
        "finite)");
  CHECK(problem_of(R"({"format":"rectify.scheme/1","total":-1e999})") ==
        "s.json:1:43: [rectify.scheme.bad_number] number -1e999 is out of the range of a double (numbers must be "
        "finite)");
  // Tiny numbers underflow to zero quietly, as in every JSON reader.
  CHECK(problems(doc("["s + std::string(kLeaf) + "]",
                     R"("vetoes":[{"id":"v","input":"x","above":1e-400,"max_grade":"B"}],)"))
            .empty());
}

TEST_CASE("scheme: an empty text, a binary file and invalid UTF-8 are named as such", "[scheme]") {
  CHECK(problem_of("") == "s.json: [rectify.scheme.syntax] the file is empty; expected a JSON object");
  CHECK(problem_of(" \n\t\r\n") == "s.json: [rectify.scheme.syntax] the file is empty; expected a JSON object");
  // A NUL byte: not a text file. nlohmann/json stops at a NUL, so without this check a valid
  // scheme followed by a NUL and garbage would be accepted.
  CHECK(problem_of("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s) ==
        "s.json:3:1: [rectify.scheme.syntax] this is not a text file (NUL byte); a scheme is UTF-8 JSON text");
  CHECK(problem_of(doc("["s + std::string(kLeaf) + "]") + "\0garbage{{"s) ==
        "s.json:1:148: [rectify.scheme.syntax] this is not a text file (NUL byte); a scheme is UTF-8 JSON text");
  // GBK bytes (测试 = B2 E2 CA D4) in a string: the message names the encoding and shows the
  // bad byte escaped, so that the message itself stays valid UTF-8.
  CHECK(problem_of("{\"format\": \"rectify.scheme/1\",\n \"name\": \"\xb2\xe2\xca\xd4\"}") ==
        "s.json:2:11: [rectify.scheme.syntax] syntax error while parsing value - invalid string: ill-formed UTF-8 "
        "byte; last read: '\"\\xb2' (the file must be UTF-8; a GBK file from an older editor must be re-saved as "
        "UTF-8)");
  // Bytes that cannot start any JSON value.
  CHECK(problem_of("\xff\xfe{}") ==
        "s.json:1:1: [rectify.scheme.syntax] syntax error while parsing value - invalid literal; last read: '\\xff'");
  // A UTF-8 byte-order mark is allowed.
  CHECK(problems("\xef\xbb\xbf" + doc("["s + std::string(kLeaf) + "]")).empty());
}

TEST_CASE("scheme: indicators may nest 64 levels deep, not deeper", "[scheme]") {
  // A chain of `levels` nodes of 100 points each, the innermost a leaf.
  auto chain = [](int levels) {
    std::string open, close;
    for (int i = 1; i < levels; ++i) {
      open += R"({"id":"n)" + std::to_string(i) + R"(","points":100,"children":[)";
      close += "]}";
    }
    return "[" + open + R"({"id":"leaf","points":100,"rule":{"type":"check"}})" + close + "]";
  };
  CHECK(problems(doc(chain(64))).empty());
  std::string where = "/indicators/0";
  for (int i = 1; i < 64; ++i) where += "/children/0";
  CHECK(problem_of(doc(chain(65))) ==
        "s.json: [rectify.scheme.too_deep] " + where + "/children: indicators nest deeper than 64 levels");
  // Very deep JSON that is not an indicator tree does not blow the stack either: the reader
  // stops at the 513th level and names the place (docs/hardening.md, "Limits").
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string text = doc("["s + std::string(kLeaf) + "]", R"("name":)" + deep + ",");
  // The root object is level 1, so the 512th "[" opens level 513 (a 1-based column).
  const std::size_t column = text.find(deep) + 512;
  CHECK(problem_of(text) == "s.json:1:" + std::to_string(column) +
                                ": [rectify.scheme.too_deep] arrays and objects are nested more than 512 levels "
                                "deep here; a scheme may nest at most 512");
}

// ---------------------------------------------------------------------------------------------
// Reporting

TEST_CASE("scheme: check_scheme reports every problem at once, reader problems first", "[scheme]") {
  const auto text = R"({
    "format": "rectify.scheme/1", "id": "many", "totl": 100,
    "indicators": [
      {"id": "a", "points": 60, "rule": {"type": "linear", "worst": 1, "best": 1}},
      {"id": "a", "points": 30, "rule": {"type": "steps", "at_least": [[1, 2]]}},
      {"id": "c", "points": 20}
    ],
    "penalties": [{"id": "p", "input": "unit", "per": 0}],
    "vetoes": [{"id": "v", "input": "x", "max_grade": "D"}],
    "grades": [{"name": "A", "min": 60, "quota": 2}, {"name": "B", "min": 70}, {"name": "C", "min": 0}]
  })";
  CHECK(
      problems(text) ==
      Strings{
          R"(s.json: [rectify.scheme.unknown_key] /totl: unknown key "totl" (did you mean "total"?))",
          "s.json: [rectify.scheme.points_sum] /indicators: the points of these indicators sum to 110, but their "
          "parent has 100",
          "s.json: [rectify.scheme.bad_rule] /indicators/0/rule/best: must differ from worst",
          R"(s.json: [rectify.scheme.duplicate_id] /indicators/1/id: "a" is already the id of /indicators/0)",
          "s.json: [rectify.scheme.bad_rule] /indicators/1/rule/at_least/0/1: a fraction must lie in [0, 1], not 2",
          R"(s.json: [rectify.scheme.bad_node] /indicators/2: a leaf needs a "rule", "deductions", or both)",
          R"(s.json: [rectify.scheme.reserved_input] /penalties/0/input: "unit" is the column of unit ids and cannot be an input)",
          "s.json: [rectify.scheme.bad_number] /penalties/0/per: must be > 0, not 0",
          "s.json: [rectify.scheme.bad_grades] /grades/0/quota: must lie in (0, 1], not 2",
          "s.json: [rectify.scheme.bad_grades] /grades/1/min: grade minimums must strictly decrease (70 after 60)",
          R"(s.json: [rectify.scheme.bad_grades] /grades/2/min: the last grade has no "min": it catches every score)",
          R"(s.json: [rectify.scheme.bad_veto] /vetoes/0/max_grade: "D" is not a grade of this scheme)",
      });
}

// KNOWN BUG (reported to the lead): the reader drops an item, grade, veto or indicator whose
// value had the wrong type, so validate() numbers the later ones as if it were not there and
// a veto naming a dropped grade is told the grade is unknown. Remove [!shouldfail] once fixed.
TEST_CASE("scheme: problems after a damaged item keep their own JSON pointers", "[scheme]") {
  // The first penalty's per has the wrong type; the second's per is negative. The second is
  // complained about at /penalties/1, not at the index it would have if the first were dropped.
  CHECK(problems(doc("["s + std::string(kLeaf) + "]",
                     R"("penalties":[{"id":"p1","input":"c1","per":"2"},{"id":"p2","input":"c2","per":-1}],)")) ==
        Strings{"s.json: [rectify.scheme.type] /penalties/0/per: must be a number, not a string",
                "s.json: [rectify.scheme.bad_number] /penalties/1/per: must be > 0, not -1"});
  CHECK(problems(doc("["s + std::string(kLeaf) + "]", "",
                     R"([{"name":"A","min":"90"},{"name":"B","min":80,"quota":2},{"name":"C"}])")) ==
        Strings{"s.json: [rectify.scheme.type] /grades/0/min: must be a number, not a string",
                "s.json: [rectify.scheme.bad_grades] /grades/1/quota: must lie in (0, 1], not 2"});
  CHECK(problems(doc(R"([5, {"id":"a","points":50,"rule":{"type":"check"}},
                         {"id":"b","points":50,"rule":{"type":"linear","worst":1,"best":1}}])")) ==
        Strings{"s.json: [rectify.scheme.type] /indicators/0: an indicator must be an object, not a number",
                "s.json: [rectify.scheme.bad_rule] /indicators/2/rule/best: must differ from worst"});
  // A veto naming a grade whose own min was unreadable is not also told the grade is unknown.
  CHECK(problems(doc("["s + std::string(kLeaf) + "]", R"("vetoes":[{"id":"v","input":"x","max_grade":"A"}],)",
                     R"([{"name":"A","min":"90"},{"name":"B"}])")) ==
        Strings{"s.json: [rectify.scheme.type] /grades/0/min: must be a number, not a string"});
}

TEST_CASE("scheme: load_scheme throws every problem, what() lists them one per line", "[scheme]") {
  const auto text = doc(
      R"([{"id":"a","points":40,"rule":{"type":"check"}},{"id":"a","points":50,"input":"y","rule":{"type":"check"}}])");
  CHECK(what_of_load(text) ==
        "s.json: [rectify.scheme.points_sum] /indicators: the points of these indicators sum to 90, but their parent "
        "has 100\n"
        R"(s.json: [rectify.scheme.duplicate_id] /indicators/1/id: "a" is already the id of /indicators/0)");
  try {
    (void)rectify::io::load_scheme(text, "s.json");
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(e.code() == "rectify.scheme.points_sum");
    CHECK(e.path() == "/indicators");
    CHECK(e.problems().size() == 2);
  }
  CHECK(what_of_load("") == "s.json: [rectify.scheme.syntax] the file is empty; expected a JSON object");
}

TEST_CASE("scheme: load_scheme_file names a file it cannot open", "[scheme]") {
  try {
    (void)rectify::io::load_scheme_file("/nonexistent/dir/scheme.json");
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(std::string(e.what()) ==
          "/nonexistent/dir/scheme.json: [rectify.io.open] cannot read the file: No such file or directory");
  }
}

TEST_CASE("scheme: every bad scheme of tests/data/bad gives the error pinned in expected.txt", "[scheme]") {
  // The catalogue that tests/cli/run_bad_inputs.py runs through the command line, read here
  // through the library: the CLI prints "rectify: " + problem::str() of the first problem.
  const std::string dir = std::string(RECTIFY_TEST_DATA) + "/bad/";
  const std::string expected = rectify::io::read_file(dir + "expected.txt");
  int schemes = 0;
  for (std::size_t at = 0; at < expected.size();) {
    auto end = expected.find('\n', at);
    if (end == std::string::npos) end = expected.size();
    const std::string line = expected.substr(at, end - at);
    at = end + 1;
    const auto tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    const std::string name = line.substr(0, tab), want = line.substr(tab + 1);
    if (name.rfind("scheme_", 0) != 0) continue;
    INFO(name);
    ++schemes;
    const auto ps = check_scheme(rectify::io::read_file(dir + name), name);
    REQUIRE(!ps.empty());
    CHECK("rectify: " + ps.front().str() == want);
    CHECK_THROWS_AS(rectify::io::load_scheme_file(dir + name), rectify::error);
  }
  CHECK(schemes >= 14);
}

// ---------------------------------------------------------------------------------------------
// The C++ model: validate() and compile() without JSON

TEST_CASE("scheme: validate() checks a scheme built in C++ and never throws", "[scheme]") {
  auto s = valid_model();
  CHECK(validate_model(s).empty());
  s.indicators[0].points = 90;
  s.grades[0].quota = 0;
  s.vetoes.push_back({"v", "", "x", 0.0, "nope"});
  CHECK(
      strs(validate_model(s)) ==
      Strings{
          "[rectify.scheme.points_sum] /indicators: the points of these indicators sum to 90, but their parent has 100",
          "[rectify.scheme.bad_grades] /grades/0/quota: must lie in (0, 1], not 0",
          R"([rectify.scheme.bad_veto] /vetoes/0/max_grade: "nope" is not a grade of this scheme)"});
}

// KNOWN BUG (reported to the lead): validate() relies on the JSON reader for finiteness, so a
// scheme built in C++ (or by the Python bindings) with NaN or infinite numbers passes, and a
// NaN even defeats the points-sum check. Remove [!shouldfail] once fixed.
TEST_CASE("scheme: validate() refuses numbers that are not finite in a scheme built in C++", "[scheme]") {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  constexpr double inf = std::numeric_limits<double>::infinity();
  {
    auto s = valid_model();
    s.total = inf;
    s.indicators[0].points = inf;
    CHECK(!validate_model(s).empty());
  }
  {
    auto s = valid_model();
    s.indicators[0].points = nan;
    CHECK(!validate_model(s).empty());
  }
  {
    auto s = valid_model();
    s.indicators[0].rule_ = rectify::assess::rule{rectify::assess::rule_type::linear, nan, 1.0, false, {}};
    CHECK(!validate_model(s).empty());
  }
  {
    auto s = valid_model();
    s.grades[0].min = nan;
    CHECK(!validate_model(s).empty());
  }
}

TEST_CASE("scheme: compile() refuses an invalid or damaged scheme with every problem", "[scheme]") {
  auto s = valid_model();
  s.indicators[0].rule_.reset();
  s.indicators[0].input = "x";
  try {
    (void)rectify::assess::compile(s);
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(std::string(e.what()) ==
          "[rectify.scheme.bad_node] /indicators/0: a leaf needs a \"rule\", \"deductions\", or both\n"
          "[rectify.scheme.bad_node] /indicators/0/input: a leaf without a rule reads no input (it would be ignored); "
          "name the inputs in its deductions");
    CHECK(e.problems().size() == 2);
  }
  auto d = valid_model();
  d.damaged = true;
  try {
    (void)rectify::assess::compile(d);
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(std::string(e.what()) == "[rectify.scheme.damaged] the scheme was read with errors; fix those first");
  }
}

TEST_CASE("scheme: to_string names policies and rule types as the JSON spells them", "[scheme]") {
  using namespace rectify::assess;
  CHECK(std::string(to_string(missing_policy::error)) == "error");
  CHECK(std::string(to_string(missing_policy::zero)) == "zero");
  CHECK(std::string(to_string(missing_policy::reweight)) == "reweight");
  CHECK(std::string(to_string(rule_type::linear)) == "linear");
  CHECK(std::string(to_string(rule_type::steps)) == "steps");
  CHECK(std::string(to_string(rule_type::piecewise)) == "piecewise");
  CHECK(std::string(to_string(rule_type::check)) == "check");
  CHECK(std::string(to_string(rule_type::direct)) == "direct");
}
