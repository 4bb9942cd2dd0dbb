// The scoring engine (scoring.md §2–5, §5½): every rule type and edge, with the expected values
// worked out by hand in the comments. Data go in as CSV text (empty cell = missing) so that
// errors name units.csv:line:column.
#include <Eigen/Core>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/assess/engine.hpp"
#include "rectify/core/error.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/scheme_json.hpp"

using namespace std::string_literals;
namespace ra = rectify::assess;
using Strings = std::vector<std::string>;
using Doubles = std::vector<double>;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

ra::plan plan_of(std::string_view json) {
  return ra::compile(rectify::io::load_scheme(json, "s.json"));
}
rectify::table csv(std::string_view text) {
  return rectify::io::read_units_csv(text, "units.csv");
}

// The full what() of scoring `data` (one line per problem), or "<no error>".
std::string score_error(const ra::plan& p, const rectify::table_view& v) {
  try {
    (void)ra::score(p, v);
  } catch (const rectify::error& e) {
    return e.what();
  }
  return "<no error>";
}
std::string score_error(const ra::plan& p, const rectify::table& t) {
  return score_error(p, t.view());
}

double node_of(const ra::plan& p, const ra::result& r, std::size_t unit, std::string_view id) {
  const int k = p.find_node(id);
  REQUIRE(k >= 0);
  return r.nodes(static_cast<Eigen::Index>(unit), k);
}

Strings grade_names(const ra::plan& p, const ra::result& r) {
  Strings out;
  for (Eigen::Index i = 0; i < r.grade.size(); ++i) out.push_back(p.grades[static_cast<std::size_t>(r.grade[i])].name);
  return out;
}
Strings band_names(const ra::plan& p, const ra::result& r) {
  Strings out;
  for (Eigen::Index i = 0; i < r.band.size(); ++i) out.push_back(p.grades[static_cast<std::size_t>(r.band[i])].name);
  return out;
}
std::vector<int> ranks(const ra::result& r) {
  return {r.rank.data(), r.rank.data() + r.rank.size()};
}
Doubles scores(const ra::result& r) {
  return {r.score.data(), r.score.data() + r.score.size()};
}

Strings missing_of(const ra::plan& p, const ra::result& r, std::size_t unit) {
  Strings out;
  for (int m : r.missing(unit)) out.push_back(p.inputs[static_cast<std::size_t>(m)]);
  return out;
}
Strings vetoes_of(const ra::plan& p, const ra::result& r, std::size_t unit) {
  Strings out;
  for (int v : r.vetoes(unit)) out.push_back(p.vetoes[static_cast<std::size_t>(v)].id);
  return out;
}

// A scheme of one leaf "a" with `points` (= total) reading input x through `rule`.
std::string one_leaf(std::string_view rule, double points = 10, std::string_view extra = "") {
  const auto pts = std::to_string(points);
  return R"({"format":"rectify.scheme/1","id":"t","total":)" + pts + "," + std::string(extra) +
         R"("indicators":[{"id":"a","points":)" + pts + R"(,"input":"x","rule":)" + std::string(rule) +
         R"(}],"grades":[{"name":"all"}]})";
}

// Earned points of leaf "a" for each x (given as CSV cells).
Doubles earned(std::string_view rule, const Strings& xs, double points = 10) {
  const auto p = plan_of(one_leaf(rule, points));
  std::string text = "unit,x\n";
  for (std::size_t i = 0; i < xs.size(); ++i) text += "u" + std::to_string(i + 1) + "," + xs[i] + "\n";
  const auto t = csv(text);
  const auto r = ra::score(p, t.view());
  Doubles out;
  for (std::size_t i = 0; i < xs.size(); ++i) out.push_back(node_of(p, r, i, "a"));
  return out;
}

// Element-wise comparison with a tight relative tolerance (the spec's formulas and the
// engine's may round differently in the last bit).
bool near_all(const Doubles& got, const Doubles& want) {
  if (got.size() != want.size()) return false;
  for (std::size_t i = 0; i < got.size(); ++i)
    if (!(got[i] == Approx(want[i]).epsilon(1e-12).margin(1e-12))) return false;
  return true;
}

// Direct-rated scores (x = score) under `grades`, with optional vetoes and other members.
std::string graded(std::string_view grades, std::string_view extra = "") {
  return R"({"format":"rectify.scheme/1","id":"t",)" + std::string(extra) +
         R"("indicators":[{"id":"a","points":100,"input":"x","rule":{"type":"direct"}}],"grades":)" +
         std::string(grades) + "}";
}
rectify::table xs(const Doubles& values) {
  std::string text = "unit,x\n";
  for (std::size_t i = 0; i < values.size(); ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", values[i]);
    text += "u" + std::to_string(i + 1) + "," + buf + "\n";
  }
  return csv(text);
}
#define CHECK_NEAR_ALL(got, ...)                  \
  do {                                            \
    const Doubles g_ = (got);                     \
    const Doubles w_ = __VA_ARGS__;               \
    INFO("got " << Catch::Detail::stringify(g_)); \
    CHECK(near_all(g_, w_));                      \
  } while (false)

}  // namespace

// ---------------------------------------------------------------------------------------------
// Rules

TEST_CASE("engine: linear benefit rule, clamped to (0, 1)", "[engine]") {
  // worst 60, best 100, 10 points: f = clamp((x - 60) / 40, 0, 1).
  //   50 -> -0.25 -> 0; 60 -> 0; 80 -> 0.5 -> 5; 90 -> 0.75 -> 7.5; 100 -> 1 -> 10; 110 -> 10
  CHECK_NEAR_ALL(earned(R"({"type":"linear","worst":60,"best":100})", {"50", "60", "80", "90", "100", "110"}),
                 {0, 0, 5, 7.5, 10, 10});
}

TEST_CASE("engine: linear cost rule (best < worst)", "[engine]") {
  // worst 6, best 0, 4 points: f = clamp((x - 6) / (0 - 6), 0, 1).
  //   -1 -> 7/6 -> 1 -> 4; 0 -> 4; 3 -> 0.5 -> 2; 4.5 -> 0.25 -> 1; 6 -> 0; 9 -> -0.5 -> 0
  CHECK_NEAR_ALL(earned(R"({"type":"linear","worst":6,"best":0})", {"-1", "0", "3", "4.5", "6", "9"}, 4),
                 {4, 4, 2, 1, 0, 0});
}

TEST_CASE("engine: steps at_least take the fraction of the largest threshold <= x", "[engine]") {
  // 10 points; 70 -> 0.4, 80 -> 0.6, 90 -> 0.8, 95 -> 1; below 70 nothing.
  const Strings xs{"0", "69.99", "70", "79.99", "80", "90", "94.99", "95", "1000"};
  const Doubles want{0, 0, 4, 4, 6, 8, 8, 10, 10};
  CHECK_NEAR_ALL(earned(R"({"type":"steps","at_least":[[70,0.4],[80,0.6],[90,0.8],[95,1]]})", xs), want);
  // The file may list the thresholds in any order.
  CHECK_NEAR_ALL(earned(R"({"type":"steps","at_least":[[95,1],[70,0.4],[90,0.8],[80,0.6]]})", xs), want);
  // Fractions need not increase: 0 -> 1, 5 -> 0.2; x = 3 -> 1 (largest t <= 3 is 0), 6 -> 0.2.
  CHECK_NEAR_ALL(earned(R"({"type":"steps","at_least":[[0,1],[5,0.2]]})", {"-1", "3", "6"}), {0, 10, 2});
}

TEST_CASE("engine: steps at_most take the fraction of the smallest threshold >= x", "[engine]") {
  // 10 points; <= 2 -> 1, <= 5 -> 0.6, <= 10 -> 0.3; above 10 nothing.
  const Strings xs{"-1", "0", "2", "2.01", "5", "7", "10", "10.01", "50"};
  const Doubles want{10, 10, 10, 6, 6, 3, 3, 0, 0};
  CHECK_NEAR_ALL(earned(R"({"type":"steps","at_most":[[2,1],[5,0.6],[10,0.3]]})", xs), want);
  CHECK_NEAR_ALL(earned(R"({"type":"steps","at_most":[[10,0.3],[2,1],[5,0.6]]})", xs), want);
}

TEST_CASE("engine: piecewise interpolates and holds its end values outside", "[engine]") {
  // (0, 0) (6, 0.5) (12, 1), 10 points:
  //   -3 -> 0; 0 -> 0; 3 -> 0.25 -> 2.5; 6 -> 5; 9 -> 0.75 -> 7.5; 12 -> 10; 20 -> 10
  CHECK_NEAR_ALL(
      earned(R"({"type":"piecewise","points":[[0,0],[6,0.5],[12,1]]})", {"-3", "0", "3", "6", "9", "12", "20"}),
      {0, 0, 2.5, 5, 7.5, 10, 10});
  // (10, 0.2) (20, 0.6): 0 -> 0.2 -> 2; 10 -> 2; 15 -> 0.4 -> 4; 20 -> 6; 30 -> 6
  CHECK_NEAR_ALL(earned(R"({"type":"piecewise","points":[[10,0.2],[20,0.6]]})", {"0", "10", "15", "20", "30"}),
                 {2, 2, 4, 6, 6});
  // Decreasing: (0, 1) (10, 0): 2.5 -> 0.75 -> 7.5
  CHECK_NEAR_ALL(earned(R"({"type":"piecewise","points":[[0,1],[10,0]]})", {"2.5"}), {7.5});
}

TEST_CASE("engine: check takes 0 or 1 (true/false) and nothing else", "[engine]") {
  CHECK_NEAR_ALL(earned(R"({"type":"check"})", {"1", "0", "true", "false", "TRUE"}), {10, 0, 10, 0, 10});
  const auto p = plan_of(one_leaf(R"({"type":"check"})"));
  CHECK(score_error(p, csv("unit,x\nu1,1\nu2,0.5\nu3,2\nu4,-1\n")) ==
        "units.csv:3:2: [rectify.data.bad_check] unit \"u2\", input \"x\": a check indicator takes 0 or 1 (or "
        "true/false), got 0.5\n"
        "units.csv:4:2: [rectify.data.bad_check] unit \"u3\", input \"x\": a check indicator takes 0 or 1 (or "
        "true/false), got 2\n"
        "units.csv:5:2: [rectify.data.bad_check] unit \"u4\", input \"x\": a check indicator takes 0 or 1 (or "
        "true/false), got -1");
}

TEST_CASE("engine: direct takes expert-rated points in (0, p)", "[engine]") {
  // 4 points: f = x / 4, so the leaf earns x.
  CHECK_NEAR_ALL(earned(R"({"type":"direct"})", {"0", "2.5", "3.7", "4"}, 4), {0, 2.5, 3.7, 4});
  const auto p = plan_of(one_leaf(R"({"type":"direct"})", 4));
  CHECK(score_error(p, csv("unit,x\nu1,4.5\nu2,-0.5\nu3,4\n")) ==
        "units.csv:2:2: [rectify.data.out_of_range] unit \"u1\", input \"x\": expert-rated points must lie in [0, 4], "
        "got 4.5\n"
        "units.csv:3:2: [rectify.data.out_of_range] unit \"u2\", input \"x\": expert-rated points must lie in [0, 4], "
        "got -0.5");
}

// ---------------------------------------------------------------------------------------------
// Deductions, bonus, penalties

TEST_CASE("engine: deductions per occurrence, with a per-item cap, floored at zero", "[engine]") {
  // 6 points, 0.5 per incomplete record, capped at 6 (会议记录不完整).
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t","total":6,"indicators":[
      {"id":"a","points":6,"deductions":[{"input":"c","per":0.5,"cap":6,"name":"会议记录不完整"}]}],
      "grades":[{"name":"all"}]})");
  const auto t = csv("unit,c\nu1,0\nu2,3\nu3,12\nu4,20\n");
  const auto r = ra::score(p, t.view());
  // 0 -> 6; 3 -> 6 - 1.5 = 4.5; 12 -> 6 - 6 = 0; 20 -> 6 - min(6, 10) = 0
  CHECK_NEAR_ALL(scores(r), {6, 4.5, 0, 0});
}

TEST_CASE("engine: several deductions add up and the leaf stops at zero (扣完为止)", "[engine]") {
  // 6 points; copied: 2 each, no cap; falsified: 3 each, cap 6.
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t","total":6,"indicators":[
      {"id":"a","points":6,"deductions":[{"input":"copied","per":2},{"input":"falsified","per":3,"cap":6}]}],
      "grades":[{"name":"all"}]})");
  const auto t = csv("unit,copied,falsified\nu1,1,0\nu2,2,1\nu3,0,5\nu4,0,1\nu5,10,0\n");
  const auto r = ra::score(p, t.view());
  // u1: 6 - 2 = 4; u2: 6 - 4 - 3 = -1 -> 0; u3: 6 - min(6, 15) = 0; u4: 6 - 3 = 3;
  // u5: 6 - 20 (no cap) -> 0
  CHECK_NEAR_ALL(scores(r), {4, 0, 0, 3, 0});
  CHECK(node_of(p, r, 1, "a") == 0.0);  // the leaf itself stops at 0
  CHECK(node_of(p, r, 4, "a") == 0.0);
}

TEST_CASE("engine: a rule and deductions on one leaf: clamp(p f - d, 0, p)", "[engine]") {
  // 4 points, check input done, 1 per overdue item capped at 4.
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t","total":4,"indicators":[
      {"id":"a","points":4,"input":"done","rule":{"type":"check"},
       "deductions":[{"input":"overdue","per":1,"cap":4}]}],
      "grades":[{"name":"all"}]})");
  const auto t = csv("unit,done,overdue\nu1,1,0\nu2,1,1\nu3,1,3\nu4,0,1\nu5,1,9\n");
  const auto r = ra::score(p, t.view());
  // u1: 4; u2: 4 - 1 = 3; u3: 4 - 3 = 1; u4: 0 - 1 -> 0; u5: 4 - min(4, 9) = 0
  CHECK_NEAR_ALL(scores(r), {4, 3, 1, 0, 0});
  for (std::size_t i = 0; i < 5; ++i) CHECK(node_of(p, r, i, "a") == r.score[static_cast<Eigen::Index>(i)]);
  // The floor applies to p f - d of the leaf, not to the score: linear f = 0.5 of 10 points,
  // 7 deducted -> 5 - 7 -> 0 (not 3, not -2); the sibling b keeps its 10: score 10.
  const auto q = plan_of(R"({"format":"rectify.scheme/1","id":"t","total":20,"indicators":[
      {"id":"a","points":10,"input":"x","rule":{"type":"linear","worst":0,"best":1},
       "deductions":[{"input":"c","per":7}]},
      {"id":"b","points":10,"input":"y","rule":{"type":"check"}}],"grades":[{"name":"all"}]})");
  const auto u = csv("unit,x,c,y\nu1,0.5,1,1\nu2,0.5,0,1\n");
  const auto ru = ra::score(q, u.view());
  CHECK_NEAR_ALL(scores(ru), {10, 15});
  CHECK(node_of(q, ru, 0, "a") == 0.0);
  // A cap of 0 deducts nothing.
  const auto z = plan_of(R"({"format":"rectify.scheme/1","id":"t","total":10,"indicators":[
      {"id":"a","points":10,"deductions":[{"input":"c","per":1,"cap":0}]}],"grades":[{"name":"all"}]})");
  CHECK_NEAR_ALL(scores(ra::score(z, csv("unit,c\nu1,5\n").view())), {10});
}

TEST_CASE("engine: bonus items have per-item caps and a total cap, the score may pass total", "[engine]") {
  const std::string body = R"("indicators":[{"id":"a","points":100,"rule":{"type":"check"}}],
      "grades":[{"name":"A","min":100},{"name":"B"}]})";
  const auto items = R"([{"id":"b1","input":"commend","per":2,"cap":4},
                         {"id":"b2","input":"volunteer","per":1},
                         {"id":"b3","input":"articles","per":0.5,"cap":2}])"s;
  const auto capped =
      plan_of(R"({"format":"rectify.scheme/1","id":"t","bonus":{"cap":5,"items":)" + items + "}," + body);
  const auto t = csv("unit,a,commend,volunteer,articles\nu1,1,1,1,2\nu2,1,3,2,10\nu3,1,0,0,0\nu4,0,3,2,10\n");
  const auto r = ra::score(capped, t.view());
  // u1: 2 + 1 + 1 = 4; u2: min(4, 6) + 2 + min(2, 5) = 8 -> cap 5; u3: 0; u4: 5 on a base of 0
  CHECK_NEAR_ALL(Doubles(r.bonus.data(), r.bonus.data() + 4), {4, 5, 0, 5});
  CHECK_NEAR_ALL(Doubles(r.base.data(), r.base.data() + 4), {100, 100, 100, 0});
  CHECK_NEAR_ALL(scores(r), {104, 105, 100, 5});
  CHECK(band_names(capped, r) == Strings{"A", "A", "A", "B"});
  // Without a total cap the items add up in full: u2 gets 8.
  const auto uncapped = plan_of(R"({"format":"rectify.scheme/1","id":"t","bonus":{"items":)" + items + "}," + body);
  CHECK_NEAR_ALL(scores(ra::score(uncapped, t.view())), {104, 108, 100, 8});
}

TEST_CASE("engine: penalties are taken off the score, per-item capped, the score floored at 0", "[engine]") {
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t",
      "indicators":[{"id":"a","points":100,"input":"x","rule":{"type":"direct"}}],
      "bonus":{"cap":5,"items":[{"id":"b","input":"b","per":5}]},
      "penalties":[{"id":"p1","input":"criticisms","per":3},{"id":"p2","input":"accidents","per":5,"cap":8}],
      "grades":[{"name":"all"}]})");
  const auto t =
      csv("unit,x,b,criticisms,accidents\nu1,100,0,2,0\nu2,100,0,0,2\nu3,100,0,1,1\nu4,100,0,40,0\nu5,50,1,1,0\n"
          "u6,0,0,1,0\n");
  const auto r = ra::score(p, t.view());
  // u1: 2 × 3 = 6 -> 94; u2: min(8, 10) = 8 -> 92; u3: 3 + 5 = 8 -> 92;
  // u4: 120 -> 100 - 120 < 0 -> 0; u5: 50 + 5 - 3 = 52; u6: 0 + 0 - 3 -> 0
  CHECK_NEAR_ALL(Doubles(r.penalty.data(), r.penalty.data() + 6), {6, 8, 8, 120, 3, 3});
  CHECK_NEAR_ALL(scores(r), {94, 92, 92, 0, 52, 0});
  CHECK(r.score[3] == 0.0);
  CHECK(!std::signbit(r.score[3]));
}

// ---------------------------------------------------------------------------------------------
// Points: weights

TEST_CASE("engine: weights become shares of the parent's points", "[engine]") {
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t","total":10,"indicators":[
      {"id":"a","weight":1,"rule":{"type":"check"}},
      {"id":"g","weight":3,"children":[
        {"id":"g1","weight":2,"rule":{"type":"check"}},
        {"id":"g2","weight":1,"rule":{"type":"check"}}]}],
      "grades":[{"name":"all"}]})");
  // a: 10 × 1/4 = 2.5; g: 7.5; g1: 7.5 × 2/3 = 5; g2: 2.5
  auto pts = [&](const char* id) { return p.nodes[static_cast<std::size_t>(p.find_node(id))].points; };
  CHECK(pts("a") == Approx(2.5));
  CHECK(pts("g") == Approx(7.5));
  CHECK(pts("g1") == Approx(5.0));
  CHECK(pts("g2") == Approx(2.5));
  const auto r = ra::score(p, csv("unit,a,g1,g2\nu1,1,0,1\nu2,0,1,0\n").view());
  // u1: 2.5 + 0 + 2.5 = 5; u2: 0 + 5 + 0 = 5
  CHECK_NEAR_ALL(scores(r), {5, 5});
  CHECK(node_of(p, r, 0, "g") == Approx(2.5));
  CHECK(node_of(p, r, 1, "g") == Approx(5.0));
}

TEST_CASE("engine: the plan lists nodes in pre-order with parents and JSON pointers", "[engine]") {
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t","indicators":[
      {"id":"g","points":60,"children":[{"id":"g1","points":60,"rule":{"type":"check"}}]},
      {"id":"h","points":40,"deductions":[{"input":"c","per":1}]}],
      "grades":[{"name":"all"}]})");
  REQUIRE(p.nodes.size() == 3);
  CHECK(p.nodes[0].id == "g");
  CHECK(p.nodes[0].parent == -1);
  CHECK(p.nodes[0].leaf == -1);
  CHECK(p.nodes[1].id == "g1");
  CHECK(p.nodes[1].parent == 0);
  CHECK(p.nodes[1].path == "/indicators/0/children/0");
  CHECK(p.nodes[2].id == "h");
  CHECK(p.nodes[2].path == "/indicators/1");
  CHECK(p.inputs == Strings{"g1", "c"});
  CHECK(p.input_is_count == std::vector<unsigned char>{0, 1});
}

// ---------------------------------------------------------------------------------------------
// Ranks

TEST_CASE("engine: ranks are competition ranks (1224)", "[engine]") {
  const auto p = plan_of(one_leaf(R"({"type":"direct"})", 100));
  const auto r = ra::score(p, csv("unit,x\nu1,80\nu2,90\nu3,70\nu4,80\n").view());
  CHECK(ranks(r) == std::vector<int>{2, 1, 4, 2});
  Eigen::VectorXd s(5);
  s << 3, 1, 3, 2, 3;
  const Eigen::VectorXi rk = ra::competition_rank(s);
  CHECK(std::vector<int>(rk.data(), rk.data() + 5) == std::vector<int>{1, 5, 1, 4, 1});
}

TEST_CASE("engine: scores within 1e-9 × max(1, |a|, |b|) tie", "[engine]") {
  CHECK(ra::scores_tie(90, 90 + 1e-8));  // 1e-8 <= 9e-8
  CHECK(!ra::scores_tie(90, 90.001));
  CHECK(ra::scores_tie(0, 1e-9));  // max(1, ...) = 1: 1e-9 <= 1e-9
  CHECK(!ra::scores_tie(0, 2e-9));
  CHECK(ra::scores_tie(1e12, 1e12 + 1000));  // 1000 <= 1e-9 × (1e12 + 1000)
  CHECK(ra::scores_tie(1e12 + 1000, 1e12));  // symmetric
  CHECK(!ra::scores_tie(1e12, 1e12 + 1001));
  // Through score(): 90 and 90 + 1e-8 share rank 1; 90 and 90.001 do not.
  const auto p = plan_of(one_leaf(R"({"type":"direct"})", 100));
  CHECK(ranks(ra::score(p, csv("unit,x\nu1,90\nu2,90.00000001\n").view())) == std::vector<int>{1, 1});
  CHECK(ranks(ra::score(p, csv("unit,x\nu1,90\nu2,90.001\n").view())) == std::vector<int>{2, 1});
  // Ties are not transitive: with 0, 1e-9 and 2e-9, 2e-9 is 1st, 1e-9 ties it (1st), and
  // 0 ties 1e-9 but not 2e-9, so one score is higher and not tied with it: rank 2.
  Eigen::VectorXd s(3);
  s << 0, 1e-9, 2e-9;
  const Eigen::VectorXi rk = ra::competition_rank(s);
  CHECK(std::vector<int>(rk.data(), rk.data() + 3) == std::vector<int>{2, 1, 1});
}

TEST_CASE("engine: competition_rank refuses NaN", "[engine]") {
  Eigen::VectorXd s(2);
  s << 1, kNaN;
  try {
    (void)ra::competition_rank(s);
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(std::string(e.what()) == "[rectify.data.not_finite] scores to rank must not be NaN (position 1)");
  }
}

// ---------------------------------------------------------------------------------------------
// Grades, quotas, vetoes

TEST_CASE("engine: a band is the first grade whose min <= score (exact at the cut)", "[engine]") {
  const auto p = plan_of(graded(R"([{"name":"A","min":90},{"name":"B","min":80},{"name":"C","min":60},{"name":"D"}])"));
  const auto r = ra::score(p, csv("unit,x\nu1,90\nu2,89.999999999\nu3,80\nu4,60\nu5,59.99\nu6,0\nu7,100\n").view());
  CHECK(band_names(p, r) == Strings{"A", "B", "B", "C", "D", "D", "A"});
  CHECK(grade_names(p, r) == band_names(p, r));
}

TEST_CASE("engine: a quota keeps every unit tied at the cut", "[engine]") {
  const auto p = plan_of(graded(R"([{"name":"A","min":90,"quota":0.2},{"name":"B","min":60},{"name":"C"}])"));
  // n = 5, L = floor(0.2 × 5 + 1e-9) = 1. A holders: 95, 95, 92 -> ranks among them 1, 1, 3.
  // The two 95s stay (rank <= 1), 92 moves down to B.
  const auto r = ra::score(p, xs({95, 85, 95, 92, 50}).view());
  CHECK(band_names(p, r) == Strings{"A", "B", "A", "A", "C"});
  CHECK(grade_names(p, r) == Strings{"A", "B", "A", "B", "C"});
  // A tie within the tolerance counts as a tie at the cut too.
  const auto r2 = ra::score(p, xs({95, 85, 95 + 1e-8, 92, 50}).view());
  CHECK(grade_names(p, r2) == Strings{"A", "B", "A", "B", "C"});
}

TEST_CASE("engine: the quota limit is floor(q n + 1e-9)", "[engine]") {
  // 0.29 × 100 = 28.999999999999996 in doubles; + 1e-9 makes it 29.
  const auto p = plan_of(graded(R"([{"name":"A","min":90,"quota":0.29},{"name":"B"}])"));
  Doubles v;
  for (int i = 0; i < 100; ++i) v.push_back(90 + 0.05 * i);  // all in band A, all distinct
  const auto r = ra::score(p, xs(v).view());
  int a = 0;
  for (Eigen::Index i = 0; i < 100; ++i) a += r.grade[i] == 0;
  CHECK(a == 29);
  // The 29 kept are the 29 best: units 72..100 (scores 93.55 .. 94.95).
  for (Eigen::Index i = 0; i < 100; ++i) CHECK((r.grade[i] == 0) == (i >= 71));
  // q n < 1 keeps nobody: n = 4, q = 0.2 -> L = 0.
  const auto q = plan_of(graded(R"([{"name":"A","min":90,"quota":0.2},{"name":"B"}])"));
  CHECK(grade_names(q, ra::score(q, xs({99, 98, 97, 96}).view())) == Strings{"B", "B", "B", "B"});
}

TEST_CASE("engine: units pushed out of a grade compete under the next grade's quota", "[engine]") {
  const auto p = plan_of(graded(
      R"([{"name":"优秀","min":90,"quota":0.2},{"name":"良好","min":80,"quota":0.3},{"name":"合格","min":60},{"name":"不合格"}])"));
  // n = 10: 优秀 keeps floor(2 + 1e-9) = 2, 良好 floor(3 + 1e-9) = 3.
  // Bands: 99 98 97 96 95 -> 优秀; 85 84 -> 良好; 70 -> 合格; 50 40 -> 不合格.
  // 优秀: 99, 98 stay; 97, 96, 95 move to 良好. 良好 now holds 97 96 95 85 84: 97, 96, 95
  // stay and 85, 84 move to 合格.
  const auto r = ra::score(p, xs({95, 99, 85, 98, 40, 97, 84, 70, 96, 50}).view());
  CHECK(band_names(p, r) ==
        Strings{"优秀", "优秀", "良好", "优秀", "不合格", "优秀", "良好", "合格", "优秀", "不合格"});
  CHECK(grade_names(p, r) ==
        Strings{"良好", "优秀", "合格", "优秀", "不合格", "良好", "合格", "合格", "良好", "不合格"});
  CHECK(ranks(r) == std::vector<int>{5, 1, 6, 2, 10, 3, 7, 8, 4, 9});
}

TEST_CASE("engine: a veto caps the grade, of several the lowest max_grade wins", "[engine]") {
  const auto p = plan_of(graded(R"([{"name":"A","min":90},{"name":"B","min":80},{"name":"C","min":60},{"name":"D"}])",
                                R"("vetoes":[{"id":"V1","input":"v1","max_grade":"C"},
                                             {"id":"V2","input":"v2","above":2,"max_grade":"B"},
                                             {"id":"V3","input":"v3","max_grade":"D"}],)"));
  const auto t =
      csv("unit,x,v1,v2,v3\n"
          "u1,95,1,0,0\n"        // V1 (1 > 0): A capped to C
          "u2,95,0,2,0\n"        // V2 needs v2 > 2: 2 does not trigger (exact comparison)
          "u3,95,0,2.5,0\n"      // V2: A capped to B
          "u4,95,1,3,0\n"        // V1 and V2: the lower of C and B is C
          "u5,70,0,5,0\n"        // V2 caps at B, but a veto never raises: C stays C
          "u6,95,0,0,-1\n"       // -1 is not > 0
          "u7,95,0.001,0,1\n");  // V1 and V3: D
  const auto r = ra::score(p, t.view());
  CHECK(band_names(p, r) == Strings{"A", "A", "A", "A", "C", "A", "A"});
  CHECK(grade_names(p, r) == Strings{"C", "A", "B", "C", "C", "A", "D"});
  CHECK(vetoes_of(p, r, 0) == Strings{"V1"});
  CHECK(vetoes_of(p, r, 1).empty());
  CHECK(vetoes_of(p, r, 3) == Strings{"V1", "V2"});
  CHECK(vetoes_of(p, r, 4) == Strings{"V2"});  // triggered, though it changed nothing
  CHECK(vetoes_of(p, r, 6) == Strings{"V1", "V3"});
  // A veto does not change the score or the rank.
  CHECK(scores(r)[0] == 95);
  CHECK(r.rank[0] == 1);
}

TEST_CASE("engine: vetoes apply before quotas, and vetoed units count in n", "[engine]") {
  const auto p =
      plan_of(graded(R"([{"name":"A","min":90,"quota":0.4},{"name":"B","min":80},{"name":"C","min":60},{"name":"D"}])",
                     R"("vetoes":[{"id":"V","input":"v","max_grade":"C"}],)"));
  // n = 5 (the vetoed unit included): L = floor(2 + 1e-9) = 2. The vetoed 99 is in C, so the
  // A holders are 98, 97, 96: 98 and 97 stay, 96 moves to B. (Leaving the vetoed unit out of n
  // would give L = 1 and only 98 in A.)
  const auto r = ra::score(p, csv("unit,x,v\nu1,99,1\nu2,98,0\nu3,97,0\nu4,96,0\nu5,50,0\n").view());
  CHECK(grade_names(p, r) == Strings{"C", "A", "A", "B", "D"});
  // A vetoed unit competes at the grade it was capped to: B keeps floor(0.2 × 5) = 1 unit,
  // the vetoed 99 (best among B's holders); 85, 84, 83 move to C.
  const auto q = plan_of(graded(R"([{"name":"A","min":90},{"name":"B","min":80,"quota":0.2},{"name":"C"}])",
                                R"("vetoes":[{"id":"V","input":"v","max_grade":"B"}],)"));
  const auto r2 = ra::score(q, csv("unit,x,v\nu1,99,1\nu2,85,0\nu3,84,0\nu4,83,0\nu5,50,0\n").view());
  CHECK(grade_names(q, r2) == Strings{"B", "C", "C", "C", "C"});
}

// ---------------------------------------------------------------------------------------------
// Missing values

namespace {
// a: 50 points, linear on x (worst 0, best 1); b: 50 points, 1 off per c; veto V on v.
std::string two_leaves(std::string_view policy) {
  return R"({"format":"rectify.scheme/1","id":"t","missing":")" + std::string(policy) + R"(",
    "indicators":[{"id":"a","points":50,"input":"x","rule":{"type":"linear","worst":0,"best":1}},
                  {"id":"b","points":50,"deductions":[{"input":"c","per":1}]}],
    "vetoes":[{"id":"V","input":"v","max_grade":"B"}],
    "grades":[{"name":"A","min":90},{"name":"B"}]})";
}
}  // namespace

TEST_CASE("engine: missing \"error\" names every missing (unit, input) pair", "[engine]") {
  const auto p = plan_of(two_leaves("error"));
  CHECK(
      score_error(p, csv("unit,x,c,v\nu1,,1,0\nu2,0.5,,0\nu3,1,0,\nu4,1,0,0\n")) ==
      "units.csv:2:2: [rectify.data.missing] unit \"u1\", input \"x\": value is missing (missing policy is \"error\")\n"
      "units.csv:3:3: [rectify.data.missing] unit \"u2\", input \"c\": value is missing (missing policy is \"error\")\n"
      "units.csv:4:4: [rectify.data.missing] unit \"u3\", input \"v\": value is missing (missing policy is \"error\")");
  // An absent column is named once, with what reads it.
  CHECK(score_error(p, csv("unit,x,v\nu1,1,0\n")) ==
        "units.csv: [rectify.data.missing] input \"c\" has no column in the data (read by /indicators/1/deductions/0); "
        "missing policy is \"error\"");
  // A table built in memory has no file positions.
  const std::vector<std::string> units{"u1"}, names{"x", "c", "v"};
  Eigen::MatrixXd m(1, 3);
  m << kNaN, 0, 0;
  CHECK(score_error(p, rectify::make_view(units, names, m)) ==
        "[rectify.data.missing] unit \"u1\", input \"x\": value is missing (missing policy is \"error\")");
}

TEST_CASE("engine: missing \"error\" lists the first 20 problems and counts the rest", "[engine]") {
  const auto p = plan_of(two_leaves("error"));
  auto cohort = [](int n) {
    std::string text = "unit,x,c,v\n";
    for (int i = 1; i <= n; ++i) text += "u" + std::to_string(i) + ",,0,0\n";
    return csv(text);
  };
  auto problems_of = [&](const rectify::table& t) {
    try {
      (void)ra::score(p, t.view());
    } catch (const rectify::error& e) {
      return e.problems();
    }
    return std::vector<rectify::problem>{};
  };
  const auto ps = problems_of(cohort(25));
  REQUIRE(ps.size() == 21);
  CHECK(
      ps[0].str() ==
      "units.csv:2:2: [rectify.data.missing] unit \"u1\", input \"x\": value is missing (missing policy is \"error\")");
  CHECK(ps[19].str() ==
        "units.csv:21:2: [rectify.data.missing] unit \"u20\", input \"x\": value is missing (missing policy is "
        "\"error\")");
  CHECK(ps[20].str() == "[rectify.data.more] ... and 5 more problems of the same kinds");
  // The count is right also when the problems run past the first block of units.
  const auto many = problems_of(cohort(300));
  REQUIRE(many.size() == 21);
  CHECK(many[20].str() == "[rectify.data.more] ... and 280 more problems of the same kinds");
}

TEST_CASE("engine: missing \"zero\": a leaf earns 0, a count counts 0, a veto does not trigger", "[engine]") {
  const auto p = plan_of(two_leaves("zero"));
  const auto r = ra::score(p, csv("unit,x,c,v\nu1,,1,0\nu2,1,,0\nu3,1,0,\nu4,1,0,1\n").view());
  // u1: a 0 (missing), b 50 - 1 = 49 -> 49; u2: a 50, b 50 (c counts 0) -> 100;
  // u3: 100, veto input missing -> no veto -> A; u4: 100 with V -> B
  CHECK_NEAR_ALL(scores(r), {49, 100, 100, 100});
  CHECK(node_of(p, r, 0, "a") == 0.0);  // listed with 0, not dropped
  CHECK(grade_names(p, r) == Strings{"B", "A", "A", "B"});
  CHECK(missing_of(p, r, 0) == Strings{"x"});
  CHECK(missing_of(p, r, 1) == Strings{"c"});
  CHECK(missing_of(p, r, 2) == Strings{"v"});
  CHECK(missing_of(p, r, 3).empty());
  CHECK(vetoes_of(p, r, 2).empty());
  // An absent column is missing for every unit.
  const auto r2 = ra::score(p, csv("unit,x,v\nu1,1,0\nu2,0.5,0\n").view());
  CHECK_NEAR_ALL(scores(r2), {100, 75});
  CHECK(missing_of(p, r2, 0) == Strings{"c"});
  CHECK(missing_of(p, r2, 1) == Strings{"c"});
}

TEST_CASE("engine: a unit's missing list holds every used input that is missing", "[engine]") {
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t","missing":"zero",
    "indicators":[{"id":"a","points":100,"input":"x","rule":{"type":"check"},"deductions":[{"input":"d","per":1}]}],
    "bonus":{"items":[{"id":"b","input":"bi","per":1}]},
    "penalties":[{"id":"p","input":"pi","per":1}],
    "vetoes":[{"id":"v","input":"vi","max_grade":"B"}],
    "grades":[{"name":"A","min":90},{"name":"B"}]})");
  // Inputs in order of first use: x, d, bi, pi, vi. u1 misses all of them; u2 none; the
  // "unused" column is not an input.
  const auto r = ra::score(p, csv("unit,x,d,bi,pi,vi,unused\nu1,,,,,,\nu2,1,0,0,0,0,\n").view());
  CHECK(missing_of(p, r, 0) == Strings{"x", "d", "bi", "pi", "vi"});
  CHECK(missing_of(p, r, 1).empty());
  CHECK_NEAR_ALL(scores(r), {0, 100});
}

namespace {
// A (60): A1 30, A2 20, A3 10 (linear on x1..x3, worst 0, best 1); B (40): B1 (linear on y).
constexpr std::string_view kReweight = R"({"format":"rectify.scheme/1","id":"t","missing":"reweight",
  "indicators":[
    {"id":"A","points":60,"children":[
      {"id":"A1","points":30,"input":"x1","rule":{"type":"linear","worst":0,"best":1}},
      {"id":"A2","points":20,"input":"x2","rule":{"type":"linear","worst":0,"best":1}},
      {"id":"A3","points":10,"input":"x3","rule":{"type":"linear","worst":0,"best":1}}]},
    {"id":"B","points":40,"children":[
      {"id":"B1","points":40,"input":"y","rule":{"type":"linear","worst":0,"best":1}}]}],
  "grades":[{"name":"all"}]})";
}  // namespace

TEST_CASE("engine: missing \"reweight\" shares a dropped leaf's points among its siblings", "[engine]") {
  const auto p = plan_of(kReweight);
  const auto t =
      csv("unit,x1,x2,x3,y\n"
          "u1,1,1,0.5,1\n"  // nothing missing: 30 + 20 + 5 + 40 = 95
          "u2,,1,0.5,1\n"   // A1 dropped: A2 gets 60 × 20/30 = 40, A3 60 × 10/30 = 20 -> 40 + 10 + 40 = 90
          "u3,1,1,0.5,\n"   // B1 dropped, so B too: A gets 100; A1 50, A2 100/3, A3 50/3 × 0.5 -> 91.667
          "u4,,1,0.5,\n");  // A1 and B dropped: A 100 shared 20:10 -> A2 200/3, A3 100/3 × 0.5 -> 83.333
  const auto r = ra::score(p, t.view());
  CHECK_NEAR_ALL(scores(r), {95, 90, 50 + 100.0 / 3 + 25.0 / 3, 200.0 / 3 + 50.0 / 3});
  CHECK(std::isnan(node_of(p, r, 1, "A1")));
  CHECK(node_of(p, r, 1, "A2") == Approx(40));
  CHECK(node_of(p, r, 1, "A3") == Approx(10));
  CHECK(node_of(p, r, 1, "A") == Approx(50));
  CHECK(std::isnan(node_of(p, r, 2, "B")));
  CHECK(std::isnan(node_of(p, r, 2, "B1")));
  CHECK(node_of(p, r, 2, "A") == Approx(50 + 100.0 / 3 + 25.0 / 3));
  CHECK(node_of(p, r, 0, "A3") == Approx(5));
  CHECK(missing_of(p, r, 3) == Strings{"x1", "y"});
}

TEST_CASE("engine: missing \"reweight\": a unit with every leaf dropped is an error", "[engine]") {
  const auto p = plan_of(kReweight);
  CHECK(score_error(p, csv("unit,x1,x2,x3,y\nu1,1,1,1,1\nu2,,,,\n")) ==
        "units.csv:3: [rectify.data.all_dropped] unit \"u2\": every indicator is dropped for missing inputs (policy "
        "\"reweight\"); nothing is left to score");
}

TEST_CASE("engine: missing \"reweight\": a leaf without a rule is never dropped", "[engine]") {
  // A (50) reads x; D (50) only deducts. With x missing, D carries all 100 points.
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t","missing":"reweight","indicators":[
      {"id":"A","points":50,"input":"x","rule":{"type":"linear","worst":0,"best":1}},
      {"id":"D","points":50,"deductions":[{"input":"c","per":1}]}],"grades":[{"name":"all"}]})");
  const auto r = ra::score(p, csv("unit,x,c\nu1,,2\nu2,1,\n").view());
  // u1: D = 100 - 2 = 98; u2: c missing counts 0 -> 50 + 50
  CHECK_NEAR_ALL(scores(r), {98, 100});
  CHECK(missing_of(p, r, 1) == Strings{"c"});
}

TEST_CASE("engine: missing \"reweight\": a direct leaf's range uses its original points", "[engine]") {
  // A (50): A1 direct, 30 points; A2 linear on x, 20 points. B (50) check.
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t","missing":"reweight","indicators":[
      {"id":"A","points":50,"children":[
        {"id":"A1","points":30,"input":"r","rule":{"type":"direct"}},
        {"id":"A2","points":20,"input":"x","rule":{"type":"linear","worst":0,"best":1}}]},
      {"id":"B","points":50,"input":"b","rule":{"type":"check"}}],"grades":[{"name":"all"}]})");
  // x missing: A1 carries 50 points, f = r / 30. r = 30 -> 50; r = 15 -> 25.
  const auto r = ra::score(p, csv("unit,r,x,b\nu1,30,,1\nu2,15,,0\n").view());
  CHECK_NEAR_ALL(scores(r), {100, 25});
  // r = 40 fits in A1's 50 effective points but not in its 30 points: an error.
  CHECK(score_error(p, csv("unit,r,x,b\nu1,40,,1\n")) ==
        "units.csv:2:2: [rectify.data.out_of_range] unit \"u1\", input \"r\": expert-rated points must lie in [0, 30], "
        "got 40");
}

TEST_CASE("engine: counts are validated even in a leaf that reweight drops", "[engine]") {
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t","missing":"reweight","indicators":[
      {"id":"A","points":50,"input":"x","rule":{"type":"check"},"deductions":[{"input":"c","per":1}]},
      {"id":"B","points":50,"input":"y","rule":{"type":"check"}}],"grades":[{"name":"all"}]})");
  CHECK(score_error(p, csv("unit,x,c,y\nu1,,-1,1\n")) ==
        "units.csv:2:3: [rectify.data.negative_count] unit \"u1\", input \"c\": a count must be >= 0, got -1");
  // With a valid count the dropped leaf's deductions do not matter: B carries 100.
  CHECK_NEAR_ALL(scores(ra::score(p, csv("unit,x,c,y\nu1,,5,1\n").view())), {100});
}

// ---------------------------------------------------------------------------------------------
// Bad values

TEST_CASE("engine: a negative count is an error wherever the count is used", "[engine]") {
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t","indicators":[
      {"id":"a","points":100,"input":"x","rule":{"type":"linear","worst":0,"best":1},"deductions":[{"input":"c","per":1}]}],
      "bonus":{"items":[{"id":"b","input":"bi","per":1}]},
      "penalties":[{"id":"p","input":"pi","per":1}],
      "vetoes":[{"id":"v","input":"vi","max_grade":"B"}],
      "grades":[{"name":"A","min":90},{"name":"B"}]})");
  CHECK(score_error(p, csv("unit,x,c,bi,pi,vi\nu1,0.5,-1,0,0,0\nu2,0.5,0,-2,-0.5,0\n")) ==
        "units.csv:2:3: [rectify.data.negative_count] unit \"u1\", input \"c\": a count must be >= 0, got -1\n"
        "units.csv:3:4: [rectify.data.negative_count] unit \"u2\", input \"bi\": a count must be >= 0, got -2\n"
        "units.csv:3:5: [rectify.data.negative_count] unit \"u2\", input \"pi\": a count must be >= 0, got -0.5");
  // Rule inputs and veto inputs are not counts: negative values are fine there.
  const auto r = ra::score(p, csv("unit,x,c,bi,pi,vi\nu1,-5,0,0,0,-3\n").view());
  CHECK_NEAR_ALL(scores(r), {0});
  CHECK(vetoes_of(p, r, 0).empty());
  // An input read both by a rule and as a count is a count.
  const auto q = plan_of(R"({"format":"rectify.scheme/1","id":"t","indicators":[
      {"id":"a","points":100,"input":"x","rule":{"type":"linear","worst":-10,"best":0},"deductions":[{"input":"x","per":1}]}],
      "grades":[{"name":"all"}]})");
  CHECK(score_error(q, csv("unit,x\nu1,-1\n")) ==
        "units.csv:2:2: [rectify.data.negative_count] unit \"u1\", input \"x\": a count must be >= 0, got -1");
}

TEST_CASE("engine: NaN is missing, infinity is an error", "[engine]") {
  const auto p = plan_of(two_leaves("zero"));
  const std::vector<std::string> units{"u1", "u2", "u3"}, names{"x", "c", "v"};
  Eigen::MatrixXd m(3, 3);
  m << kNaN, 0, 0,  //
      -kInf, 0, 0,  //
      1, kInf, 0;
  CHECK(score_error(p, rectify::make_view(units, names, m)) ==
        "[rectify.data.not_finite] unit \"u2\", input \"x\": value must be finite, got -inf\n"
        "[rectify.data.not_finite] unit \"u3\", input \"c\": value must be finite, got inf");
  Eigen::MatrixXd ok(1, 3);
  ok << kNaN, 0, 0;
  const std::vector<std::string> one{"u1"};
  const auto r = ra::score(p, rectify::make_view(one, names, ok));
  CHECK_NEAR_ALL(scores(r), {50});
  CHECK(missing_of(p, r, 0) == Strings{"x"});
}

// ---------------------------------------------------------------------------------------------
// Explanations

namespace {
constexpr std::string_view kExplain = R"({"format":"rectify.scheme/1","id":"t","missing":"zero","indicators":[
    {"id":"A","name":"组织生活","points":60,"children":[
      {"id":"A1","name":"会议召开率","points":40,"input":"rate","rule":{"type":"linear","worst":0,"best":1}},
      {"id":"A2","name":"会议记录完整","points":20,
       "deductions":[{"input":"records","per":0.5,"cap":6,"name":"会议记录不完整"}]}]},
    {"id":"B","name":"廉洁","points":40,"children":[
      {"id":"B1","name":"违规问题","points":40,
       "deductions":[{"input":"c1","per":10,"name":"问题一"},{"input":"c2","per":10,"name":"问题二"}]}]}],
  "penalties":[{"id":"P1","name":"通报批评","input":"crit","per":3,"cap":8}],
  "grades":[{"name":"all"}]})";

struct item {
  std::string node;
  double points;
  std::string why;
};
void check_items(const std::vector<ra::lost_item>& got, const std::vector<item>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("item " << i);
    CHECK(got[i].node == want[i].node);
    CHECK(got[i].points == Approx(want[i].points).epsilon(1e-12));
    CHECK(got[i].why == want[i].why);
  }
}
}  // namespace

TEST_CASE("engine: explain() says why each point was lost, in Chinese and English", "[engine]") {
  const auto p = plan_of(kExplain);
  const auto t = csv("unit,rate,records,c1,c2,crit\nu1,0.75,3,2,3,1\nu2,1,20,0,0,5\nu3,1,0,0,0,0\nu4,,0,0,0,0\n");
  const auto v = t.view();
  const auto r = ra::score(p, v);
  // u1: A1 40 × 0.75 = 30; A2 20 - 1.5 = 18.5; B1 40 - 20 - 30 -> 0. base 48.5, penalty 3.
  CHECK(r.base[0] == Approx(48.5));
  CHECK(r.score[0] == Approx(45.5));
  check_items(ra::explain(p, v, 0), {{"A1", 10, "会议召开率:实际 0.75,得分率 75%(满分 40 分)= −10"},
                                     {"A2", 1.5, "会议记录不完整 3 次 × 0.5 分 = −1.5"},
                                     {"B1", 20, "问题一 2 次 × 10 分 = −20"},
                                     {"B1", 30, "问题二 3 次 × 10 分 = −30"},
                                     {"B1", -10, "违规问题:扣完为止,本项最多扣 40 分 = +10"},
                                     {"P1", 3, "通报批评 1 次 × 3 分 = −3"}});
  check_items(ra::explain(p, v, 0, ra::lang::en),
              {{"A1", 10, "会议召开率: value 0.75, 75% of 40 points = -10"},
               {"A2", 1.5, "会议记录不完整 3 × 0.5 = -1.5"},
               {"B1", 20, "问题一 2 × 10 = -20"},
               {"B1", 30, "问题二 3 × 10 = -30"},
               {"B1", -10, "违规问题: floored at 0, at most 40 points lost here = +10"},
               {"P1", 3, "通报批评 1 × 3 = -3"}});
  // u2: 20 records × 0.5 = 10, capped at 6; 5 criticisms × 3 = 15, capped at 8.
  check_items(ra::explain(p, v, 1), {{"A2", 6, "会议记录不完整 20 次 × 0.5 分 = −10,封顶 6 分"},
                                     {"P1", 8, "通报批评 5 次 × 3 分 = −15,封顶 8 分"}});
  check_items(ra::explain(p, v, 1, ra::lang::en), {{"A2", 6, "会议记录不完整 20 × 0.5 = -10, capped at 6"},
                                                   {"P1", 8, "通报批评 5 × 3 = -15, capped at 8"}});
  // u3 lost nothing.
  CHECK(ra::explain(p, v, 2).empty());
  // u4: rate missing under "zero": the leaf earns 0 of its 40.
  check_items(ra::explain(p, v, 3), {{"A1", 40, "会议召开率:缺少数据 rate,按 0 分计 = −40"}});
  check_items(ra::explain(p, v, 3, ra::lang::en), {{"A1", 40, "会议召开率: no value for rate, scored 0 = -40"}});
}

TEST_CASE("engine: explain() items over the tree sum to total - base", "[engine]") {
  const auto p = plan_of(kExplain);
  const auto t = csv("unit,rate,records,c1,c2,crit\nu1,0.75,3,2,3,1\nu2,1,20,0,0,5\nu3,0.1,30,4,0,0\nu4,,2,1,1,2\n");
  const auto v = t.view();
  const auto r = ra::score(p, v);
  for (std::size_t i = 0; i < v.rows(); ++i) {
    double tree = 0, all = 0;
    for (const auto& l : ra::explain(p, v, i)) {
      all += l.points;
      if (l.node != "P1") tree += l.points;
    }
    INFO("unit " << i);
    CHECK(tree == Approx(100 - r.base[static_cast<Eigen::Index>(i)]));
    CHECK(all == Approx(100 - r.base[static_cast<Eigen::Index>(i)] + r.penalty[static_cast<Eigen::Index>(i)]));
  }
  // By hand for u1: 10 + 1.5 + 20 + 30 - 10 = 51.5 = 100 - 48.5.
  double u1 = 0;
  for (const auto& l : ra::explain(p, v, 0))
    if (l.node != "P1") u1 += l.points;
  CHECK(u1 == Approx(51.5));
}

TEST_CASE("engine: explain() under reweight uses the points a leaf carries", "[engine]") {
  const auto p = plan_of(kReweight);
  const auto t = csv("unit,x1,x2,x3,y\nu1,,1,0.5,1\n");
  // A1 dropped: A3 carries 20 and earns half. A2 (40 of 40) and B1 (40 of 40) lose nothing.
  check_items(ra::explain(p, t.view(), 0), {{"A3", 10, "A3:实际 0.5,得分率 50%(满分 20 分)= −10"}});
}

TEST_CASE("engine: explain() refuses a unit index out of range", "[engine]") {
  const auto p = plan_of(kExplain);
  const auto t = csv("unit,rate,records,c1,c2,crit\nu1,1,0,0,0,0\nu2,1,0,0,0,0\n");
  try {
    (void)ra::explain(p, t.view(), 2);
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(std::string(e.what()) == "[rectify.data.no_unit] unit index 2 is out of range (2 units)");
  }
}

// ---------------------------------------------------------------------------------------------
// Shapes of data

TEST_CASE("engine: an empty cohort scores to an empty result", "[engine]") {
  const auto p = plan_of(two_leaves("error"));
  const auto r = ra::score(p, csv("unit,x\n").view());  // even with columns absent
  CHECK(r.size() == 0);
  CHECK(r.missing_offsets.size() == 1);
  CHECK(r.veto_offsets.size() == 1);
}

TEST_CASE("engine: score_options{nodes = false} gives the same scores without nodes", "[engine]") {
  const auto p = plan_of(kReweight);
  const auto t = csv("unit,x1,x2,x3,y\nu1,1,1,0.5,1\nu2,,1,0.5,1\nu3,1,1,0.5,\n");
  const auto full = ra::score(p, t.view());
  const auto lean = ra::score(p, t.view(), ra::score_options{false});
  CHECK(lean.nodes.size() == 0);
  CHECK(scores(lean) == scores(full));
  CHECK(ranks(lean) == ranks(full));
}

TEST_CASE("engine: columns with a stride are read in place", "[engine]") {
  const auto p = plan_of(two_leaves("error"));
  // Row-major storage: x, c, v interleaved with stride 3.
  const double data[] = {1, 0, 0, 0.5, 4, 0, 0, 50, 1};
  const std::vector<std::string> units{"u1", "u2", "u3"};
  rectify::table_view v;
  v.units = units;
  v.columns = {{"x", data, 3}, {"c", data + 1, 3}, {"v", data + 2, 3}};
  const auto r = ra::score(p, v);
  // u1: 50 + 50; u2: 25 + 46; u3: 0 + 0 (50 off, floored), vetoed
  CHECK_NEAR_ALL(scores(r), {100, 71, 0});
  CHECK(vetoes_of(p, r, 2) == Strings{"V"});
}

TEST_CASE("engine: a cohort larger than one evaluation block", "[engine]") {
  // 1000 units with x = i mod 101 under a direct rule of 100 points: score = x (up to the
  // rounding of 100 × (x / 100)), and rank = 1 + the number of units with a higher x.
  const auto p = plan_of(graded(R"([{"name":"A","min":90,"quota":0.05},{"name":"B"}])"));
  Doubles v;
  for (int i = 0; i < 1000; ++i) v.push_back(static_cast<double>(i % 101));
  const auto r = ra::score(p, xs(v).view());
  REQUIRE(r.size() == 1000);
  int a = 0;
  for (std::size_t i = 0; i < 1000; ++i) {
    const auto e = static_cast<Eigen::Index>(i);
    CHECK(r.score[e] == Approx(v[i]).epsilon(1e-14));  // 100 × (x / 100)
    int higher = 0;
    for (double w : v) higher += w > v[i];
    CHECK(r.rank[e] == 1 + higher);
    a += r.grade[e] == 0;
  }
  // Value k occurs for i = k + 101 m < 1000: 10 times for k <= 90, 9 times for k >= 91.
  // The quota keeps L = floor(0.05 × 1000) = 50 of A's 100 holders: 100, 99, 98, 97, 96 are
  // 45 units (ranks 1..37 among them); the nine 95s share rank 46 <= 50, so all stay: 54.
  CHECK(a == 54);
}

// KNOWN BUG (reported to the lead): under "reweight" the engine rescales every sibling group to
// its parent's points whenever any unit of the same block of 256 has a missing rule input. When
// explicit points sum to the parent only within the 1e-9 tolerance, a unit with nothing missing
// then scores differently depending on the other units scored with it. Remove [!shouldfail]
// once fixed.
TEST_CASE("engine: under reweight a unit's score does not depend on the other units", "[engine]") {
  // 50 + 50.00000001 = 100.00000001, within 1e-9 × 100 of the total: valid. Points are kept
  // ("children with points keep them"), so u1 with full marks earns 100.00000001.
  const auto p = plan_of(R"({"format":"rectify.scheme/1","id":"t","missing":"reweight","indicators":[
      {"id":"a","points":50,"input":"x","rule":{"type":"check"}},
      {"id":"b","points":50.00000001,"input":"y","rule":{"type":"check"}}],"grades":[{"name":"all"}]})");
  const auto alone = ra::score(p, csv("unit,x,y\nu1,1,1\n").view());
  const auto with_gap = ra::score(p, csv("unit,x,y\nu1,1,1\nu2,,1\n").view());
  CHECK(alone.score[0] == 50.0 + 50.00000001);
  CHECK(with_gap.score[0] == alone.score[0]);
}
