// Derived weights in schemes (mcda.md "In the scheme", docs/scheme.md "Derived weights"): an
// inner node's "weights" gives its children's shares by AHP (static) or by entropy, CRITIC or
// standard deviation over the cohort's fractions. Expected AHP values are worked out by hand or
// taken from the literature; cohort weights are recomputed here from fractions written out by
// hand, with the public mcda functions.
#include <Eigen/Core>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/assess/engine.hpp"
#include "rectify/compliance/surveys.hpp"
#include "rectify/core/error.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/records.hpp"
#include "rectify/io/results.hpp"
#include "rectify/io/scheme_json.hpp"
#include "rectify/mcda/weights.hpp"
#include "support.hpp"

using namespace std::string_literals;
namespace ra = rectify::assess;
using rectify::test::message_of;
using Strings = std::vector<std::string>;

namespace {

constexpr std::string_view kGrades = R"([{"name":"A","min":90},{"name":"B"}])";

// A scheme text with the given indicators; `extra` holds further top-level members with a
// trailing comma, e.g. `"missing":"zero",`.
std::string doc(std::string_view indicators, std::string_view extra = "") {
  return R"({"format":"rectify.scheme/1","id":"s",)" + std::string(extra) + R"("indicators":)" +
         std::string(indicators) + R"(,"grades":)" + std::string(kGrades) + "}";
}

Strings problems(std::string_view text) {
  Strings out;
  for (const auto& p : rectify::io::check_scheme(text, "s.json")) out.push_back(p.str());
  return out;
}

ra::plan plan_of(std::string_view text) {
  return ra::compile(rectify::io::load_scheme(text, "s.json"));
}

rectify::table csv(std::string_view text) {
  return rectify::io::read_units_csv(text, "units.csv");
}

double node_of(const ra::plan& p, const ra::result& r, std::size_t unit, std::string_view id) {
  const int k = p.find_node(id);
  REQUIRE(k >= 0);
  return r.nodes(static_cast<Eigen::Index>(unit), k);
}

std::string score_error(const ra::plan& p, const rectify::table& t) {
  return message_of([&] { (void)ra::score(p, t.view()); });
}

// Sum of the lost points over the tree (penalties left out) for one unit.
double lost_in_tree(const ra::plan& p, const rectify::table& t, const ra::result& r, std::size_t unit) {
  double sum = 0;
  for (const auto& l : ra::explain(p, t.view(), r, unit))
    if (p.find_node(l.node) >= 0) sum += l.points;
  return sum;
}

// A group G of 50 points whose three children's weights come from `method`, and a check leaf
// H of 50 points. g1 is linear 0..4, g2 steps at least [1: 0.5, 3: 1], g3 piecewise
// (0, 0), (10, 0.8), (20, 1).
std::string cohort_scheme(std::string_view method, std::string_view extra = "") {
  return doc(R"([{"id":"G","points":50,"weights":{"method":")" + std::string(method) + R"("},"children":[
      {"id":"g1","input":"a","rule":{"type":"linear","worst":0,"best":4}},
      {"id":"g2","input":"b","rule":{"type":"steps","at_least":[[1,0.5],[3,1]]}},
      {"id":"g3","input":"c","rule":{"type":"piecewise","points":[[0,0],[10,0.8],[20,1]]}}]},
    {"id":"H","points":50,"input":"d","rule":{"type":"check"}}])",
             extra);
}

constexpr std::string_view kCohortData =
    "unit,a,b,c,d\n"
    "u1,0,0,0,1\n"
    "u2,1,1,5,0\n"
    "u3,2,2,10,1\n"
    "u4,3,3,15,0\n"
    "u5,4,0,20,1\n"
    "u6,5,5,25,0\n";

// The children's fractions of kCohortData, worked out by hand from the rules above.
Eigen::MatrixXd cohort_fractions() {
  Eigen::MatrixXd f(6, 3);
  f << 0, 0, 0,        //
      0.25, 0.5, 0.4,  // c = 5: 0.8 * 5/10
      0.5, 0.5, 0.8,   //
      0.75, 1, 0.9,    // c = 15: 0.8 + 0.2 * 5/10
      1, 0, 1,         //
      1, 1, 1;         // a = 5 is clamped; c = 25 is held at 1
  return f;
}

// Every node of the cohort scheme for unit i under weights w: g_j = 50 w_j f_ij.
void check_cohort_scores(const ra::plan& p, const ra::result& r, const Eigen::VectorXd& w) {
  const Eigen::MatrixXd f = cohort_fractions();
  const double d[] = {1, 0, 1, 0, 1, 0};
  for (std::size_t i = 0; i < 6; ++i) {
    double g = 0;
    for (Eigen::Index j = 0; j < 3; ++j) {
      const double want = 50 * w[j] * f(static_cast<Eigen::Index>(i), j);
      CHECK(node_of(p, r, i, "g" + std::to_string(j + 1)) == Approx(want).margin(1e-12));
      g += want;
    }
    CHECK(node_of(p, r, i, "G") == Approx(g).margin(1e-12));
    CHECK(r.score[static_cast<Eigen::Index>(i)] == Approx(g + 50 * d[i]).margin(1e-12));
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// AHP: static weights

TEST_CASE("scheme weights: AHP over two children gives 3:1 by hand", "[scheme_weights]") {
  // [[1, 3], [1/3, 1]] is consistent: w = (3, 1)/4, λmax = 2, CI = CR = 0 (n = 2).
  const auto text = doc(R"([{"id":"A","points":40,"weights":{"method":"ahp","matrix":[[1,3],["1/3",1]]},"children":[
      {"id":"A1","name":"会议召开率","input":"x","rule":{"type":"linear","worst":0,"best":10}},
      {"id":"A2","deductions":[{"input":"n","per":2,"name":"问题"}]}]},
    {"id":"B","points":60,"input":"y","rule":{"type":"check"}}])");
  CHECK(problems(text).empty());
  const auto p = plan_of(text);
  REQUIRE(p.derived.size() == 1);
  const auto& d = p.derived[0];
  CHECK(d.node == p.find_node("A"));
  CHECK(d.path == "/indicators/0/weights");
  CHECK(d.method == ra::weights_method::ahp);
  CHECK(d.points == 40);
  CHECK(d.children == std::vector<int>{p.find_node("A1"), p.find_node("A2")});
  REQUIRE(d.weights.size() == 2);
  CHECK(d.weights[0] == Approx(0.75).epsilon(1e-14));
  CHECK(d.weights[1] == Approx(0.25).epsilon(1e-14));
  CHECK(d.lambda_max == Approx(2.0).epsilon(1e-14));
  CHECK(d.ci == 0);
  CHECK(d.cr == 0);
  CHECK_FALSE(p.needs_cohort());
  CHECK(p.nodes[static_cast<std::size_t>(p.find_node("A1"))].points == Approx(30).epsilon(1e-14));
  CHECK(p.nodes[static_cast<std::size_t>(p.find_node("A2"))].points == Approx(10).epsilon(1e-14));

  // u1: A1 = 30 × 0.5 = 15, A2 = 10 − 2 = 8, B = 60; u2: A1 = 30, A2 = max(0, 10 − 20) = 0, B = 0.
  const auto t = csv("unit,x,n,y\nu1,5,1,1\nu2,10,10,0\n");
  const auto r = ra::score(p, t.view());
  CHECK(node_of(p, r, 0, "A1") == Approx(15).epsilon(1e-14));
  CHECK(node_of(p, r, 0, "A2") == Approx(8).epsilon(1e-14));
  CHECK(r.score[0] == Approx(83).epsilon(1e-14));
  CHECK(node_of(p, r, 1, "A2") == 0);
  CHECK(r.score[1] == Approx(30).epsilon(1e-14));
  REQUIRE(r.derived.size() == 1);
  CHECK(r.derived[0].weights[0] == d.weights[0]);

  // The explanation uses the derived points: 30 for A1, and the items sum to total − base.
  const auto items = ra::explain(p, t.view(), r, 0);
  REQUIRE(items.size() == 2);
  CHECK(items[0].node == "A1");
  CHECK(items[0].why == "会议召开率:实际 5,得分率 50%(满分 30 分)= −15");
  CHECK(items[1].why == "问题 1 次 × 2 分 = −2");
  CHECK(lost_in_tree(p, t, r, 0) == Approx(100 - r.base[0]));
  CHECK(lost_in_tree(p, t, r, 1) == Approx(100 - r.base[1]));
}

TEST_CASE("scheme weights: AHP reproduces the textbook 3 x 3 example", "[scheme_weights]") {
  // Saaty's classic example [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]]: priorities 0.6370,
  // 0.2583, 0.1047, λmax = 3.0385, CI = 0.0193, CR = 0.0332 (Saaty 1980; the example of most
  // AHP tutorials).
  const auto indicators = [](std::string_view extra) {
    return R"([{"id":"A","points":100,"weights":{"method":"ahp",)" + std::string(extra) +
           R"("matrix":[[1,3,5],["1/3",1,3],["1/5","1/3",1]]},"children":[
        {"id":"A1","input":"x1","rule":{"type":"check"}},
        {"id":"A2","input":"x2","rule":{"type":"check"}},
        {"id":"A3","input":"x3","rule":{"type":"check"}}]}])";
  };
  const auto p = plan_of(doc(indicators("")));
  const auto& d = p.derived.at(0);
  CHECK(d.weights[0] == Approx(0.6370).margin(5e-5));
  CHECK(d.weights[1] == Approx(0.2583).margin(5e-5));
  CHECK(d.weights[2] == Approx(0.1047).margin(5e-5));
  CHECK(d.lambda_max == Approx(3.0385).margin(5e-5));
  CHECK(d.ci == Approx(0.0193).margin(5e-5));
  CHECK(d.cr == Approx(0.0332).margin(5e-5));
  CHECK(p.nodes[1].points == Approx(100 * d.weights[0]));

  // The row geometric means: cbrt(15), 1, cbrt(1/15), normalised.
  const auto g = plan_of(doc(indicators(R"("ahp_method":"geometric_mean",)")));
  const double s = std::cbrt(15.0) + 1 + std::cbrt(1 / 15.0);
  CHECK(g.derived[0].weights[0] == Approx(std::cbrt(15.0) / s).epsilon(1e-13));
  CHECK(g.derived[0].weights[1] == Approx(1 / s).epsilon(1e-13));
  CHECK(g.derived[0].weights[2] == Approx(std::cbrt(1 / 15.0) / s).epsilon(1e-13));

  // Alonso & Lamata's RI for n = 3 is 0.5245: CR = 0.0193/0.5245.
  const auto a = plan_of(doc(indicators(R"("ri":"alonso_lamata2006",)")));
  CHECK(a.derived[0].cr == Approx(d.ci / 0.5245).epsilon(1e-12));

  // A max_cr below its CR refuses it, saying the CR.
  CHECK(problems(doc(indicators(R"("max_cr":0.03,)"))) ==
        Strings{"s.json: [rectify.scheme.inconsistent] /indicators/0/weights: the pairwise judgements are too "
                "inconsistent: CR = 0.0332 > max_cr = 0.03 (λmax = 3.0385, CI = 0.0193, RI = 0.58); revise the "
                "matrix or raise \"max_cr\""});
}

TEST_CASE("scheme weights: a CR above max_cr is an error that states the CR", "[scheme_weights]") {
  // The cyclic matrix (A1 ≫ A2 ≫ A3 ≫ A1) is circulant: w = (1, 1, 1)/3, λmax = the row sum
  // 1 + 9 + 1/9 = 10.1111, CI = (91/9 − 3)/2 = 3.5556, CR = CI/0.58 = 6.1303.
  const auto text = doc(R"([{"id":"A","points":100,"weights":{"method":"ahp","matrix":
      [[1,9,"1/9"],["1/9",1,9],[9,"1/9",1]]},"children":[
        {"id":"A1","input":"x1","rule":{"type":"check"}},
        {"id":"A2","input":"x2","rule":{"type":"check"}},
        {"id":"A3","input":"x3","rule":{"type":"check"}}]}])");
  const std::string want =
      "s.json: [rectify.scheme.inconsistent] /indicators/0/weights: the pairwise judgements are too inconsistent: "
      "CR = 6.1303 > max_cr = 0.1 (λmax = 10.1111, CI = 3.5556, RI = 0.58); revise the matrix or raise \"max_cr\"";
  CHECK(problems(text) == Strings{want});
  try {
    (void)plan_of(text);
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(e.code() == "rectify.scheme.inconsistent");
    CHECK(e.path() == "/indicators/0/weights");
  }
}

TEST_CASE("scheme weights: the scheme itself has no top-level weights", "[scheme_weights]") {
  // The root's children are weighted by a node that holds the total (see docs/scheme.md).
  CHECK(problems(doc(R"([{"id":"A","points":100,"input":"x","rule":{"type":"check"}}])",
                     R"("weights":{"method":"entropy"},)")) ==
        Strings{"s.json: [rectify.scheme.unknown_key] /weights: unknown key \"weights\" (allowed: format id name "
                "total missing indicators bonus penalties vetoes grades)"});
}

TEST_CASE("scheme weights: points further down must add up to the AHP-derived points", "[scheme_weights]") {
  // A1 gets 40 × 0.75 = 30; its children give 20 + 5.
  const auto text = doc(R"([{"id":"A","points":40,"weights":{"method":"ahp","matrix":[[1,3],["1/3",1]]},"children":[
      {"id":"A1","children":[{"id":"a","points":20,"input":"x","rule":{"type":"check"}},
                             {"id":"b","points":5,"input":"y","rule":{"type":"check"}}]},
      {"id":"A2","input":"z","rule":{"type":"check"}}]},
    {"id":"B","points":60,"input":"w","rule":{"type":"check"}}])");
  CHECK(problems(text) == Strings{"s.json: [rectify.scheme.points_sum] /indicators/0/children/0/children: the points "
                                  "of these indicators sum to 25, but their parent has 30"});
}

// ---------------------------------------------------------------------------------------------
// Cohort methods

TEST_CASE("scheme weights: entropy, CRITIC and std weights are the mcda functions on the fractions",
          "[scheme_weights]") {
  const auto t = csv(kCohortData);
  const Eigen::MatrixXd f = cohort_fractions();
  const Eigen::VectorXi up = Eigen::VectorXi::Ones(3);
  struct method_case {
    const char* name;
    Eigen::VectorXd want;
  };
  for (const auto& m :
       {method_case{"entropy", rectify::mcda::entropy(f).weights}, method_case{"critic", rectify::mcda::critic(f, up)},
        method_case{"std", rectify::mcda::std_weights(f, up)}}) {
    INFO(m.name);
    const auto text = cohort_scheme(m.name);
    CHECK(problems(text).empty());
    const auto p = plan_of(text);
    CHECK(p.needs_cohort());
    REQUIRE(p.derived.size() == 1);
    CHECK(p.derived[0].weights.size() == 0);
    CHECK(std::isnan(p.nodes[static_cast<std::size_t>(p.find_node("g1"))].points));
    const auto r = ra::score(p, t.view());
    REQUIRE(r.derived.size() == 1);
    const auto& d = r.derived[0];
    CHECK(d.units == 6);
    CHECK_FALSE(d.equal_fallback);
    CHECK(std::isnan(d.cr));
    REQUIRE(d.weights.size() == 3);
    for (Eigen::Index j = 0; j < 3; ++j) CHECK(d.weights[j] == Approx(m.want[j]).epsilon(1e-12));
    CHECK(d.weights.sum() == Approx(1.0));
    check_cohort_scores(p, r, m.want);
    // derive_weights gives the same; explain uses the derived points.
    const auto again = ra::derive_weights(p, t.view());
    CHECK(again[0].weights == d.weights);
    for (std::size_t i = 0; i < 6; ++i) {
      CHECK(lost_in_tree(p, t, r, i) == Approx(100 - r.base[static_cast<Eigen::Index>(i)]).margin(1e-9));
      const auto with_r = ra::explain(p, t.view(), r, i);
      const auto without = ra::explain(p, t.view(), i);  // derives from the whole table again
      REQUIRE(with_r.size() == without.size());
      for (std::size_t k = 0; k < with_r.size(); ++k) CHECK(with_r[k].why == without[k].why);
    }
  }
}

TEST_CASE("scheme weights: the explanation of a cohort-weighted leaf names its derived points", "[scheme_weights]") {
  const auto t = csv(kCohortData);
  const auto p = plan_of(cohort_scheme("entropy"));
  const auto r = ra::score(p, t.view());
  const double g1 = 50 * r.derived[0].weights[0];
  // u3: a = 2, f = 0.5, loses half of g1's points.
  const auto items = ra::explain(p, t.view(), r, 2);
  REQUIRE_FALSE(items.empty());
  CHECK(items[0].node == "g1");
  CHECK(items[0].points == Approx(g1 / 2).epsilon(1e-12));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", g1);
  std::string full = buf;
  while (full.back() == '0') full.pop_back();
  if (full.back() == '.') full.pop_back();
  CHECK(items[0].why.find("(满分 " + full + " 分)") != std::string::npos);
}

TEST_CASE("scheme weights: a strided table derives the same weights", "[scheme_weights]") {
  const auto t = csv(kCohortData);
  // The same values row-major, so every column has stride 4.
  const std::vector<std::string> names = {"a", "b", "c", "d"};
  std::vector<double> rows;
  for (Eigen::Index i = 0; i < t.values.rows(); ++i)
    for (std::size_t j = 0; j < names.size(); ++j) rows.push_back(t.values(i, static_cast<Eigen::Index>(j)));
  rectify::table_view v;
  v.units = t.units;
  for (std::size_t j = 0; j < names.size(); ++j) v.columns.push_back({names[j], rows.data() + j, 4});
  const auto p = plan_of(cohort_scheme("critic"));
  const auto strided = ra::score(p, v);
  const auto plain = ra::score(p, t.view());
  CHECK(strided.derived[0].weights == plain.derived[0].weights);
  CHECK(strided.score == plain.score);
}

TEST_CASE("scheme weights: a child whose fraction is the same for everyone gets no weight", "[scheme_weights]") {
  // g2 is 1 for every unit (b >= 3): entropy 1, σ 0, so weight 0 and 0 points.
  const auto t = csv("unit,a,b,c,d\nu1,0,3,0,1\nu2,2,4,10,1\nu3,4,5,20,1\n");
  for (const char* m : {"entropy", "critic", "std"}) {
    INFO(m);
    const auto p = plan_of(cohort_scheme(m));
    const auto r = ra::score(p, t.view());
    CHECK(r.derived[0].weights[1] == 0);
    CHECK_FALSE(r.derived[0].equal_fallback);
    CHECK(node_of(p, r, 0, "g2") == 0);
  }
}

TEST_CASE("scheme weights: children nobody can tell apart get equal weights, and say so", "[scheme_weights]") {
  // Every fraction is constant over the cohort: entropy, CRITIC and std are undefined.
  const auto t = csv("unit,a,b,c,d\nu1,2,1,10,1\nu2,2,1,10,0\nu3,2,2,10,1\n");
  for (const char* m : {"entropy", "critic", "std"}) {
    INFO(m);
    const auto p = plan_of(cohort_scheme(m));
    const auto r = ra::score(p, t.view());
    CHECK(r.derived[0].equal_fallback);
    for (Eigen::Index j = 0; j < 3; ++j) CHECK(r.derived[0].weights[j] == Approx(1.0 / 3));
    // g1 = g2 = 50/3 × 0.5, g3 = 50/3 × 0.8.
    CHECK(node_of(p, r, 0, "G") == Approx(50.0 / 3 * 1.8));
  }
  // CRITIC with two children that rank the units identically (r = 1 exactly): no conflict,
  // every C_j = 0, so CRITIC cannot weigh them; equal weights.
  const auto two = doc(R"([{"id":"G","points":100,"weights":{"method":"critic"},"children":[
      {"id":"g1","input":"a","rule":{"type":"check"}},{"id":"g2","input":"b","rule":{"type":"check"}}]}])");
  const auto r = ra::score(plan_of(two), csv("unit,a,b\nu1,0,0\nu2,0,0\nu3,1,1\nu4,1,1\n").view());
  CHECK(r.derived[0].weights[0] == Approx(0.5));
  CHECK(r.derived[0].weights[1] == Approx(0.5));
}

TEST_CASE("scheme weights: units with a missing child input are left out of the derivation", "[scheme_weights]") {
  // u7 has no `a`: the weights come from u1..u6 (the fractions above); u7 is scored with them.
  const std::string data = std::string(kCohortData) + "u7,,3,10,1\n";
  const auto t = csv(data);
  const Eigen::VectorXd want = rectify::mcda::entropy(cohort_fractions()).weights;

  const auto zero = plan_of(cohort_scheme("entropy", R"("missing":"zero",)"));
  const auto rz = ra::score(zero, t.view());
  CHECK(rz.derived[0].units == 6);
  for (Eigen::Index j = 0; j < 3; ++j) CHECK(rz.derived[0].weights[j] == Approx(want[j]).epsilon(1e-12));
  CHECK(node_of(zero, rz, 6, "g1") == 0);
  CHECK(node_of(zero, rz, 6, "g2") == Approx(50 * want[1]).epsilon(1e-12));
  CHECK(node_of(zero, rz, 6, "g3") == Approx(50 * want[2] * 0.8).epsilon(1e-12));

  // "reweight": g1 is dropped for u7 and g2, g3 share G's 50 points by their derived weights.
  const auto rw = plan_of(cohort_scheme("entropy", R"("missing":"reweight",)"));
  const auto rr = ra::score(rw, t.view());
  CHECK(std::isnan(node_of(rw, rr, 6, "g1")));
  const double scale = 50 / (50 * want[1] + 50 * want[2]);
  CHECK(node_of(rw, rr, 6, "g2") == Approx(50 * want[1] * scale).epsilon(1e-12));
  CHECK(node_of(rw, rr, 6, "G") == Approx(50 * want[1] * scale + 50 * want[2] * scale * 0.8).epsilon(1e-12));
  CHECK(lost_in_tree(rw, t, rr, 6) == Approx(100 - rr.base[6]).margin(1e-9));

  // "error": the missing value is the error, not the weights.
  const auto er = plan_of(cohort_scheme("entropy"));
  CHECK(score_error(er, t) ==
        "units.csv:8:2: [rectify.data.missing] unit \"u7\", input \"a\": value is missing (missing policy is "
        "\"error\")");
}

TEST_CASE("scheme weights: a cohort of one unit cannot derive weights", "[scheme_weights]") {
  const auto p = plan_of(cohort_scheme("entropy"));
  CHECK(score_error(p, csv("unit,a,b,c,d\nu1,1,1,1,1\n")) ==
        "units.csv: [rectify.data.cohort_too_small] /indicators/0/weights: entropy weights are derived from the "
        "units scored and need at least 2 units with a value for every child's input; there is 1");
  CHECK(score_error(p, csv("unit,a,b,c,d\n")) ==
        "units.csv: [rectify.data.cohort_too_small] /indicators/0/weights: entropy weights are derived from the "
        "units scored and need at least 2 units with a value for every child's input; there are 0");
  const auto z = plan_of(cohort_scheme("std", R"("missing":"zero",)"));
  CHECK(score_error(z, csv("unit,a,b,c,d\nu1,1,1,1,1\nu2,,1,1,1\nu3,2,,1,1\n")) ==
        "units.csv: [rectify.data.cohort_too_small] /indicators/0/weights: std weights are derived from the units "
        "scored and need at least 2 units with a value for every child's input; 1 of the 3 units has them");
  // A problem of the data itself comes first: the check value 2 is the thing to fix.
  CHECK(score_error(p, csv("unit,a,b,c,d\nu1,1,1,1,2\n")) ==
        "units.csv:2:5: [rectify.data.bad_check] unit \"u1\", input \"d\": a check indicator takes 0 or 1 (or "
        "true/false), got 2");
  // One child takes all the points whatever the cohort.
  const auto one = plan_of(doc(R"([{"id":"G","points":100,"weights":{"method":"entropy"},"children":[
      {"id":"g1","input":"a","rule":{"type":"linear","worst":0,"best":4}}]}])"));
  const auto r = ra::score(one, csv("unit,a\nu1,2\n").view());
  CHECK(r.derived[0].weights[0] == 1);
  CHECK(r.score[0] == 50);
}

TEST_CASE("scheme weights: with_weights refuses weights of another plan", "[scheme_weights]") {
  const auto p = plan_of(cohort_scheme("entropy"));
  CHECK(message_of([&] { (void)ra::with_weights(p, {}); }) ==
        "[rectify.data.weights_undefined] got 0 groups of derived weights for a plan with 1");
  CHECK(message_of([&] { (void)ra::with_weights(p, p.derived); }) ==
        "[rectify.data.weights_undefined] /indicators/0/weights: the derived weights given do not belong to this plan "
        "or are incomplete");
}

// ---------------------------------------------------------------------------------------------
// Validation

TEST_CASE("scheme weights: the AHP matrix is checked with JSON pointers", "[scheme_weights]") {
  const auto two = [](std::string_view weights) {
    return doc(R"([{"id":"A","points":100,"weights":)" + std::string(weights) + R"(,"children":[
        {"id":"A1","input":"x","rule":{"type":"check"}},{"id":"A2","input":"y","rule":{"type":"check"}},
        {"id":"A3","input":"z","rule":{"type":"check"}}]}])");
  };
  const std::string at = "s.json: [rectify.scheme.bad_weights] /indicators/0/weights/";
  CHECK(problems(two(R"({"method":"ahp","matrix":[[1,3],["1/3",1]]})")) ==
        Strings{at + "matrix: has 2 rows for 3 children (one row and one column per child, in the order of "
                     "\"children\")"});
  CHECK(problems(two(R"({"method":"ahp","matrix":[[1,3,1],["1/3",1],[1,1,1]]})")) ==
        Strings{at + "matrix/1: has 2 entries for 3 children"});
  CHECK(problems(two(R"({"method":"ahp","matrix":[[1,3,1],[0.5,1,1],[1,1,1]]})")) ==
        Strings{at +
                "matrix/1/0: must be the reciprocal of /indicators/0/weights/matrix/0/1 (3), i.e. \"1/3\", not 0.5"});
  CHECK(problems(two(R"({"method":"ahp","matrix":[[1,"1/4",1],[2,1,1],[1,1,1]]})")) ==
        Strings{at + "matrix/1/0: must be the reciprocal of /indicators/0/weights/matrix/0/1 (0.25), i.e. 4, not 2"});
  CHECK(problems(two(R"({"method":"ahp","matrix":[[2,1,1],[1,1,1],[1,1,1]]})")) ==
        Strings{at + "matrix/0/0: the diagonal is 1 (a child compared with itself), not 2"});
  CHECK(problems(two(R"({"method":"ahp","matrix":[[1,0,1],[1,1,-1],[1,1,1]]})")) ==
        Strings{at + "matrix/0/1: a pairwise judgement is a finite number > 0, not 0",
                at + "matrix/1/2: a pairwise judgement is a finite number > 0, not -1"});
  CHECK(problems(two(R"({"method":"ahp","matrix":[[1,"one third",1],[3,1,1],[1,1,1]]})")) ==
        Strings{at + "matrix/0/1: must be a number or a ratio such as \"1/3\", not \"one third\""});
  CHECK(problems(two(R"({"method":"ahp","matrix":[[1,true,1],[3,1,1],[1,1,1]]})")) ==
        Strings{"s.json: [rectify.scheme.type] /indicators/0/weights/matrix/0/1: must be a number or a ratio such as "
                "\"1/3\", not a boolean"});
  CHECK(problems(two(R"({"method":"ahp","matrix":[[1,1,1],5,[1,1,1]]})")) ==
        Strings{"s.json: [rectify.scheme.type] /indicators/0/weights/matrix/1: a row of the matrix must be an array, "
                "not a number"});
  CHECK(problems(two(R"({"method":"ahp"})")) ==
        Strings{"s.json: [rectify.scheme.missing_key] /indicators/0/weights: missing required key \"matrix\""});
  CHECK(problems(two(R"({"method":"ahp","matirx":[[1,1,1],[1,1,1],[1,1,1]]})")) ==
        Strings{"s.json: [rectify.scheme.unknown_key] /indicators/0/weights/matirx: unknown key \"matirx\" (did you "
                "mean \"matrix\"?)",
                "s.json: [rectify.scheme.missing_key] /indicators/0/weights: missing required key \"matrix\""});
  const std::string ones = R"("matrix":[[1,1,1],[1,1,1],[1,1,1]])";
  CHECK(problems(two(R"({"method":"ahp","max_cr":-0.1,)" + ones + "}")) ==
        Strings{"s.json: [rectify.scheme.bad_number] /indicators/0/weights/max_cr: must be >= 0, not -0.1"});
  CHECK(problems(two(R"({"method":"ahp","ahp_method":"power",)" + ones + "}")) ==
        Strings{at + "ahp_method: must be \"eigenvector\" or \"geometric_mean\", not \"power\""});
  CHECK(problems(two(R"({"method":"ahp","ri":"saaty",)" + ones + "}")) ==
        Strings{at + "ri: must be \"saaty1980\" or \"alonso_lamata2006\", not \"saaty\""});
  CHECK(problems(two(R"({"method":"topsis"})")) ==
        Strings{at + "method: unknown weighting method \"topsis\" (ahp, entropy, critic or std)"});
  CHECK(problems(two(R"({"method":"entropy",)" + ones + "}")) ==
        Strings{"s.json: [rectify.scheme.unknown_key] /indicators/0/weights/matrix: unknown key \"matrix\" (allowed: "
                "method)"});
  CHECK(problems(two(R"("ahp")")) ==
        Strings{"s.json: [rectify.scheme.type] /indicators/0/weights: \"weights\" must be an object, not a string"});
  CHECK(problems(two(R"({"matrix":[]})")) ==
        Strings{"s.json: [rectify.scheme.missing_key] /indicators/0/weights: missing required key \"method\""});
}

TEST_CASE("scheme weights: AHP over more children than the RI table covers", "[scheme_weights]") {
  std::string children, row, matrix;
  for (int i = 0; i < 11; ++i) {
    children += std::string(i ? "," : "") + R"({"id":"c)" + std::to_string(i) + R"(","input":"x)" + std::to_string(i) +
                R"(","rule":{"type":"check"}})";
    row += std::string(i ? "," : "") + "1";
  }
  for (int i = 0; i < 11; ++i) matrix += std::string(i ? "," : "") + "[" + row + "]";
  const auto text = [&](std::string_view ri) {
    return doc(R"([{"id":"A","points":100,"weights":{"method":"ahp",)" + std::string(ri) + R"("matrix":[)" + matrix +
               R"(]},"children":[)" + children + "]}]");
  };
  CHECK(problems(text("")) == Strings{"s.json: [rectify.scheme.bad_weights] /indicators/0/weights/matrix: the random "
                                      "index of Saaty (1980) covers up to 10 children, not 11 (\"ri\": "
                                      "\"alonso_lamata2006\" covers up to 15)"});
  const auto p = plan_of(text(R"("ri":"alonso_lamata2006",)"));
  CHECK(p.derived[0].weights[3] == Approx(1.0 / 11));
}

TEST_CASE("scheme weights: children of a deriving node give neither points nor weight", "[scheme_weights]") {
  CHECK(problems(doc(R"([{"id":"A","points":100,"weights":{"method":"ahp","matrix":[[1,2],[0.5,1]]},"children":[
      {"id":"A1","points":60,"input":"x","rule":{"type":"check"}},
      {"id":"A2","weight":1,"input":"y","rule":{"type":"check"}}]}])")) ==
        Strings{"s.json: [rectify.scheme.bad_weights] /indicators/0/children/0/points: its parent derives its "
                "children's weights (method \"ahp\"); leave out \"points\"",
                "s.json: [rectify.scheme.bad_weights] /indicators/0/children/1/weight: its parent derives its "
                "children's weights (method \"ahp\"); leave out \"weight\""});
  // Without "weights", such children lack points.
  CHECK(problems(doc(R"([{"id":"A","points":100,"children":[{"id":"A1","input":"x","rule":{"type":"check"}}]}])")) ==
        Strings{"s.json: [rectify.scheme.missing_points] /indicators/0/children/0: needs \"points\" or \"weight\""});
  CHECK(problems(
            doc(R"([{"id":"A","points":100,"weights":{"method":"entropy"},"input":"x","rule":{"type":"check"}}])")) ==
        Strings{"s.json: [rectify.scheme.bad_node] /indicators/0/weights: only an indicator with children derives its "
                "children's weights"});
}

TEST_CASE("scheme weights: cohort methods need leaves with a rule and no deductions", "[scheme_weights]") {
  const std::string why =
      " weights come from the children's fractions over the units scored, so every child is a "
      "leaf with a rule and no deductions";
  CHECK(problems(doc(R"([{"id":"A","points":100,"weights":{"method":"entropy"},"children":[
      {"id":"A1","input":"x","rule":{"type":"check"}},
      {"id":"A2","weight":1,"children":[{"id":"a","points":100,"input":"y","rule":{"type":"check"}}]}]}])")) ==
        Strings{"s.json: [rectify.scheme.bad_weights] /indicators/0/children/1/weight: its parent derives its "
                "children's weights (method \"entropy\"); leave out \"weight\"",
                "s.json: [rectify.scheme.bad_weights] /indicators/0/children/1: entropy" + why +
                    "; this one has children"});
  CHECK(
      problems(doc(R"([{"id":"A","points":100,"weights":{"method":"critic"},"children":[
      {"id":"A1","input":"x","rule":{"type":"check"}},
      {"id":"A2","deductions":[{"input":"n","per":1}]},
      {"id":"A3","input":"z","rule":{"type":"check"},"deductions":[{"input":"m","per":1}]},
      {"id":"A4","input":"r","rule":{"type":"direct"}}]}])")) ==
      Strings{"s.json: [rectify.scheme.bad_weights] /indicators/0/children/1: critic" + why + "; this one has no rule",
              "s.json: [rectify.scheme.bad_weights] /indicators/0/children/2/deductions: critic" + why +
                  "; this one has deductions",
              "s.json: [rectify.scheme.bad_weights] /indicators/0/children/3/rule/type: a \"direct\" rule divides the "
              "rating by the leaf's points, which critic weights derive from the fractions; rate on a fixed scale "
              "with a linear rule instead (e.g. {\"type\": \"linear\", \"worst\": 0, \"best\": 10})"});
}

// ---------------------------------------------------------------------------------------------
// Output

TEST_CASE("scheme weights: JSON and table output report the derived weights", "[scheme_weights]") {
  const auto text = doc(R"([{"id":"A","points":40,"weights":{"method":"ahp","matrix":[[1,3],["1/3",1]]},"children":[
      {"id":"A1","input":"x","rule":{"type":"check"}},{"id":"A2","input":"y","rule":{"type":"check"}}]},
    {"id":"B","points":60,"weights":{"method":"entropy"},"children":[
      {"id":"B1","input":"p","rule":{"type":"check"}},{"id":"B2","input":"q","rule":{"type":"check"}}]}])");
  const auto p = plan_of(text);
  // B1 = (1, 0, 0, 0), B2 = (1, 1, 0, 0): e1 = 0, e2 = ln 2/ln 4 = 0.5, so w = (2/3, 1/3).
  const auto t = csv("unit,x,y,p,q\nu1,1,1,1,1\nu2,1,0,0,1\nu3,0,0,0,0\nu4,0,1,0,0\n");
  const auto r = ra::score(p, t.view());
  CHECK(r.derived[1].weights[0] == Approx(2.0 / 3).epsilon(1e-12));
  const auto json = rectify::io::result_json(p, t.view(), r);
  const auto head = json.substr(0, json.find("\"units\": ["));  // the groups come before the units
  CHECK(head.find(R"("weights": [)") != std::string::npos);
  CHECK(head.find(R"("node": "A",)") != std::string::npos);
  CHECK(head.find(R"("path": "/indicators/0/weights",)") != std::string::npos);
  CHECK(head.find(R"("method": "ahp",)") != std::string::npos);
  CHECK(head.find(R"("node": "A1",)") != std::string::npos);
  CHECK(head.find(R"("weight": 0.75,)") != std::string::npos);
  CHECK(head.find(R"("points": 30.0)") != std::string::npos);
  CHECK(head.find(R"("lambda_max": 2.0,)") != std::string::npos);
  CHECK(head.find(R"("cr": 0.0)") != std::string::npos);
  CHECK(head.find(R"("method": "entropy",)") != std::string::npos);
  CHECK(head.find(R"("units": 4,)") != std::string::npos);
  CHECK(head.find(R"("equal_fallback": false)") != std::string::npos);

  const auto zh = rectify::io::result_table(p, t.view(), r, false);
  CHECK(zh.substr(zh.find("派生权重")) ==
        "派生权重:\n"
        "  A(ahp,λmax = 2,CI = 0,CR = 0)\n"
        "    A1  0.7500  30.00 分\n"
        "    A2  0.2500  10.00 分\n"
        "  B(entropy,4 个单位)\n"
        "    B1  0.6667  40.00 分\n"
        "    B2  0.3333  20.00 分\n");
  const auto en = rectify::io::result_table(p, t.view(), r, true, ra::lang::en);
  CHECK(en.substr(en.find("derived weights")) ==
        "derived weights:\n"
        "  A (ahp, λmax = 2, CI = 0, CR = 0)\n"
        "    A1  0.7500  30.00 points\n"
        "    A2  0.2500  10.00 points\n"
        "  B (entropy, from 4 units)\n"
        "    B1  0.6667  40.00 points\n"
        "    B2  0.3333  20.00 points\n");
  // A scheme without derived weights writes neither.
  const auto plain = plan_of(doc(R"([{"id":"a","points":100,"input":"x","rule":{"type":"check"}}])"));
  const auto rp = ra::score(plain, t.view());
  CHECK(rectify::io::result_json(plain, t.view(), rp).find("\"weights\"") == std::string::npos);
  CHECK(rectify::io::result_table(plain, t.view(), rp, false).find("派生权重") == std::string::npos);
}

TEST_CASE("scheme weights: the sample scheme with AHP and entropy areas", "[scheme_weights]") {
  const auto p = ra::compile(rectify::io::load_scheme_file(RECTIFY_EXAMPLES_DATA "/scheme_ahp.json"));
  // The unit data joined with the survey's satisfaction_index, as the sample's main job does.
  const std::vector<rectify::table> parts{rectify::io::read_units_csv_file(RECTIFY_EXAMPLES_DATA "/units.csv"),
                                          rectify::compliance::inputs(rectify::compliance::check_surveys(
                                              rectify::io::read_text_csv_file(RECTIFY_EXAMPLES_DATA "/survey.csv")))};
  const auto t = rectify::join(parts);
  const auto r = ra::score(p, t.view());
  REQUIRE(r.derived.size() == 2);
  const auto& ahp = r.derived[0];
  CHECK(ahp.node == p.find_node("org_life"));
  CHECK(ahp.cr < 0.1);
  CHECK(ahp.weights.sum() == Approx(1.0));
  // The 作风建设 leaves: satisfaction linear 60..95, complaints linear 6..0, over the units that
  // have both (every unit was surveyed and every unit reports complaints).
  const auto& ent = r.derived[1];
  CHECK(ent.node == p.find_node("conduct"));
  CHECK(ent.units == 18);
  const auto sat = t.view().find("satisfaction_index"), comp = t.view().find("complaints");
  Eigen::MatrixXd f(18, 2);
  Eigen::Index k = 0;
  for (Eigen::Index i = 0; i < t.values.rows(); ++i) {
    const double x = t.values(i, sat), c = t.values(i, comp);
    if (std::isnan(x) || std::isnan(c)) continue;
    f(k, 0) = std::clamp((x - 60) / 35, 0.0, 1.0);
    f(k, 1) = std::clamp((6 - c) / 6, 0.0, 1.0);
    ++k;
  }
  REQUIRE(k == 18);
  const auto want = rectify::mcda::entropy(f).weights;
  CHECK(ent.weights[0] == Approx(want[0]).epsilon(1e-12));
  CHECK(ent.weights[1] == Approx(want[1]).epsilon(1e-12));
  for (std::size_t i = 0; i < t.units.size(); ++i)
    CHECK(lost_in_tree(p, t, r, i) == Approx(100 - r.base[static_cast<Eigen::Index>(i)]).margin(1e-9));
}
