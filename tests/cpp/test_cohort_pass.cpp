// The cohort pass in pieces (engine.hpp: cohort_inputs, derive_weights with problems,
// veto_ceiling, rank_and_grade): what rectify.dask uses to score a cohort partition by
// partition and still get exactly what one `score` call gives. Expected grades and ranks of the
// hand-made cases are worked out in the comments; the rest compares the pieces with `score`.
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
#include "support.hpp"

namespace ra = rectify::assess;
using rectify::test::message_of;
using Strings = std::vector<std::string>;

namespace {

ra::plan plan_of(std::string_view json) {
  return ra::compile(rectify::io::load_scheme(json, "s.json"));
}
rectify::table csv(std::string_view text) {
  return rectify::io::read_units_csv(text, "units.csv");
}

std::vector<int> ints(const Eigen::VectorXi& v) {
  return {v.data(), v.data() + v.size()};
}

// Rows [from, to) of a table, as a table of its own (a Dask partition).
rectify::table rows(const rectify::table& t, std::size_t from, std::size_t to) {
  rectify::table out;
  out.units.assign(t.units.begin() + static_cast<std::ptrdiff_t>(from),
                   t.units.begin() + static_cast<std::ptrdiff_t>(to));
  out.columns = t.columns;
  out.values = t.values.middleRows(static_cast<Eigen::Index>(from), static_cast<Eigen::Index>(to - from));
  return out;
}

// Bitwise equality of doubles (NaN equal to NaN): the pieces must give the very same numbers.
bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Four grades with quotas on the top two, and two vetoes.
constexpr std::string_view kGraded = R"({"format":"rectify.scheme/1","id":"g","indicators":[
    {"id":"a","points":100,"input":"x","rule":{"type":"direct"}}],
  "vetoes":[{"id":"V1","input":"v1","max_grade":"C"},{"id":"V2","input":"v2","above":1,"max_grade":"B"}],
  "grades":[{"name":"A","min":90,"quota":0.3},{"name":"B","min":80,"quota":0.3},{"name":"C","min":60},{"name":"D"}]})";

// Reweight with weights 1:2:3 of 7 points: 7/6, 14/6 and 21/6 do not sum to 7 in the same
// double in both orders, so a unit's points must not depend on whether a neighbour in its
// block has a missing input. The entropy group derives its weights from the cohort.
constexpr std::string_view kCohort = R"({"format":"rectify.scheme/1","id":"c","missing":"reweight","indicators":[
    {"id":"W","points":7,"children":[
      {"id":"w1","weight":1,"input":"a","rule":{"type":"linear","worst":0,"best":10}},
      {"id":"w2","weight":2,"input":"b","rule":{"type":"linear","worst":0,"best":10}},
      {"id":"w3","weight":3,"input":"c","rule":{"type":"linear","worst":0,"best":10}}]},
    {"id":"E","points":93,"weights":{"method":"entropy"},"children":[
      {"id":"e1","input":"p","rule":{"type":"linear","worst":0,"best":1}},
      {"id":"e2","input":"q","rule":{"type":"linear","worst":10,"best":0}},
      {"id":"e3","input":"a","rule":{"type":"steps","at_least":[[3,0.5],[6,1]]}}]}],
  "grades":[{"name":"A","min":80,"quota":0.25},{"name":"B"}]})";

// The same with quotas that bite in a large cohort: 5% in A, 10% in B.
std::string tight() {
  std::string s(kGraded);
  s.replace(s.find("0.3"), 3, "0.05");
  s.replace(s.find("0.3"), 3, "0.1");
  return s;
}

}  // namespace

TEST_CASE("cohort pass: rank_and_grade gives bands, vetoes, quotas and ranks worked out by hand", "[cohort_pass]") {
  const auto p = plan_of(kGraded);
  // Ten units; n = 10, so A keeps floor(3 + 1e-9) = 3 holders and B keeps 3.
  const Eigen::VectorXd s = rectify::test::v({99, 95, 97, 92, 91, 85, 85, 70, 50, 96});
  Eigen::VectorXi ceiling = Eigen::VectorXi::Zero(10);
  ceiling[0] = 2;  // 99 vetoed down to C
  ceiling[9] = 1;  // 96 capped at B
  Eigen::VectorXi band, grade, rank;
  ra::rank_and_grade(p, s, ceiling, band, grade, rank);
  // Bands: 99 95 97 92 91 96 -> A; 85 85 -> B; 70 -> C; 50 -> D.
  CHECK(ints(band) == std::vector<int>{0, 0, 0, 0, 0, 1, 1, 2, 3, 0});
  // After vetoes A holds 95, 97, 92, 91: 97, 95, 92 stay and 91 moves to B. B then holds 91,
  // 85, 85 and the capped 96: ranks among them 96 -> 1, 91 -> 2, the 85s -> 3, 3: all within 3
  // (ties at the cut stay). The vetoed 99 stays in C, and everyone keeps the rank of the score.
  CHECK(ints(grade) == std::vector<int>{2, 0, 0, 0, 1, 1, 1, 2, 3, 1});
  CHECK(ints(rank) == std::vector<int>{1, 4, 2, 5, 6, 7, 7, 9, 10, 3});
}

TEST_CASE("cohort pass: veto_ceiling is the worst max_grade of the vetoes that fired", "[cohort_pass]") {
  const auto p = plan_of(kGraded);
  const auto t = csv("unit,x,v1,v2\nu1,95,0,0\nu2,95,1,0\nu3,95,0,2\nu4,95,1,2\nu5,95,0,1\n");
  const auto r = ra::score(p, t.view());
  // u2: V1 -> C (2); u3: V2 (2 > 1) -> B (1); u4: both -> C; u5: 1 is not above 1.
  CHECK(ints(ra::veto_ceiling(p, r)) == std::vector<int>{0, 2, 1, 2, 0});
}

TEST_CASE("cohort pass: rank_and_grade over partitions reproduces score's grades and ranks", "[cohort_pass]") {
  const auto p = plan_of(tight());
  std::string text = "unit,x,v1,v2\n";
  // 600 units over several 256-unit blocks, with ties, vetoes and every grade.
  for (int i = 0; i < 600; ++i)
    text += "u" + std::to_string(i) + "," + std::to_string((i * 37) % 101) + "," + (i % 29 == 0 ? "1" : "0") + "," +
            (i % 31 == 0 ? "3" : "0") + "\n";
  const auto t = csv(text);
  const auto whole = ra::score(p, t.view());
  Eigen::VectorXd s(600);
  Eigen::VectorXi c(600);
  for (auto [from, to] : {std::pair<std::size_t, std::size_t>{0, 100}, {100, 101}, {101, 450}, {450, 600}}) {
    const auto part = rows(t, from, to);
    const auto r = ra::score(p, part.view());
    s.segment(static_cast<Eigen::Index>(from), static_cast<Eigen::Index>(to - from)) = r.score;
    c.segment(static_cast<Eigen::Index>(from), static_cast<Eigen::Index>(to - from)) = ra::veto_ceiling(p, r);
  }
  CHECK(s == whole.score);
  Eigen::VectorXi band, grade, rank;
  ra::rank_and_grade(p, s, c, band, grade, rank);
  CHECK(band == whole.band);
  CHECK(grade == whole.grade);
  CHECK(rank == whole.rank);
  // The quotas did move units out of A (so the comparison covers them): 5% of 600 = 30 stay,
  // and the units tied with the 30th.
  int kept = 0, banded = 0;
  for (Eigen::Index i = 0; i < 600; ++i) kept += grade[i] == 0, banded += band[i] == 0;
  CHECK(kept >= 30);
  CHECK(kept < banded - 10);
}

TEST_CASE("cohort pass: rank_and_grade refuses arrays that do not fit", "[cohort_pass]") {
  const auto p = plan_of(kGraded);
  Eigen::VectorXi band, grade, rank;
  CHECK(message_of([&] {
          ra::rank_and_grade(p, rectify::test::v({1, 2}), Eigen::VectorXi::Zero(3), band, grade, rank);
        }) == "[rectify.data.shape] got 3 veto ceilings for 2 scores");
  CHECK(message_of([&] {
          ra::rank_and_grade(p, rectify::test::v({1, std::nan("")}), Eigen::VectorXi::Zero(2), band, grade, rank);
        }) == "[rectify.data.not_finite] scores to rank must not be NaN (position 1)");
  CHECK(message_of([&] {
          ra::rank_and_grade(p, rectify::test::v({1, 2}), Eigen::VectorXi::Constant(2, 4), band, grade, rank);
        }) == "[rectify.data.bad_grade] veto ceiling 4 at position 0 is not a grade of the scheme (0..3)");
}

TEST_CASE("cohort pass: cohort_inputs lists the inputs of the groups still to derive", "[cohort_pass]") {
  const auto p = plan_of(kCohort);
  // inputs in order of first use: a b c p q; the entropy group reads p, q and a.
  REQUIRE(p.inputs == Strings{"a", "b", "c", "p", "q"});
  CHECK(ra::cohort_inputs(p) == std::vector<int>{0, 3, 4});
  CHECK(ra::cohort_inputs(plan_of(kGraded)).empty());
  // Once the weights are in, nothing is left to derive.
  const auto t = csv("unit,a,b,c,p,q\nu1,1,2,3,0.5,4\nu2,7,8,9,0.9,1\n");
  CHECK(ra::cohort_inputs(ra::with_weights(p, ra::derive_weights(p, t.view()))).empty());
}

TEST_CASE("cohort pass: weights from the cohort columns alone, then partitions, reproduce score", "[cohort_pass]") {
  const auto p = plan_of(kCohort);
  std::string text = "unit,a,b,c,p,q\n";
  for (int i = 0; i < 700; ++i) {
    auto cell = [&](int k, double v) { return (i * 7 + k) % 53 == 0 ? std::string() : std::to_string(v); };
    text += "u" + std::to_string(i) + "," + cell(1, (i * 13) % 11) + "," + cell(2, (i * 3) % 10) + "," +
            cell(3, (i * 17) % 10 + 0.5) + "," + cell(4, ((i * 29) % 100) / 100.0) + "," + cell(5, (i * 7) % 13) + "\n";
  }
  const auto t = csv(text);
  const auto whole = ra::score(p, t.view());

  // Only the cohort's columns, gathered in unit order.
  rectify::table cohort;
  cohort.units = t.units;
  Eigen::MatrixXd cols(static_cast<Eigen::Index>(t.units.size()), 3);
  Eigen::Index k = 0;
  for (int j : ra::cohort_inputs(p)) {
    const auto& name = p.inputs[static_cast<std::size_t>(j)];
    cohort.columns.push_back(name);
    const auto c = t.view().find(name);
    REQUIRE(c >= 0);
    cols.col(k++) = t.values.col(c);
  }
  cohort.values = cols;
  std::vector<rectify::problem> problems;
  const auto derived = ra::derive_weights(p, cohort.view(), problems);
  CHECK(problems.empty());
  REQUIRE(derived.size() == whole.derived.size());
  for (std::size_t g = 0; g < derived.size(); ++g) {
    CHECK(derived[g].weights == whole.derived[g].weights);
    CHECK(derived[g].units == whole.derived[g].units);
  }
  const auto q = ra::with_weights(p, derived);
  CHECK_FALSE(q.needs_cohort());

  // Scored in pieces with those weights (no cohort pass per piece): the very same numbers,
  // whichever units share a block with a unit that has a missing input.
  Eigen::VectorXd s(700);
  Eigen::VectorXi ceiling(700);
  for (auto [from, to] : {std::pair<std::size_t, std::size_t>{0, 1}, {1, 300}, {300, 301}, {301, 700}}) {
    const auto part = rows(t, from, to);
    const auto r = ra::score(q, part.view());
    for (std::size_t i = from; i < to; ++i) {
      const auto gi = static_cast<Eigen::Index>(i), li = static_cast<Eigen::Index>(i - from);
      CHECK(same(r.score[li], whole.score[gi]));
      CHECK(same(r.base[li], whole.base[gi]));
      for (Eigen::Index n = 0; n < r.nodes.cols(); ++n) CHECK(same(r.nodes(li, n), whole.nodes(gi, n)));
    }
    s.segment(static_cast<Eigen::Index>(from), static_cast<Eigen::Index>(to - from)) = r.score;
    ceiling.segment(static_cast<Eigen::Index>(from), static_cast<Eigen::Index>(to - from)) = ra::veto_ceiling(q, r);
  }
  Eigen::VectorXi band, grade, rank;
  ra::rank_and_grade(q, s, ceiling, band, grade, rank);
  CHECK(grade == whole.grade);
  CHECK(rank == whole.rank);

  // A unit scored alone (nothing missing) carries the scheme's own points, as in a block with
  // a dropped neighbour: u1 has every input.
  const auto alone = ra::score(q, rows(t, 1, 2).view());
  const int w3 = q.find_node("w3");
  CHECK(alone.nodes(0, w3) == whole.nodes(1, w3));
  CHECK(whole.nodes(1, w3) == q.nodes[static_cast<std::size_t>(w3)].points * (t.values(1, 2) * (1.0 / 10)));
}

TEST_CASE("cohort pass: derive_weights with problems gives equal weights and the problem", "[cohort_pass]") {
  const auto p = plan_of(kCohort);
  // One unit has the entropy group's inputs: too few to derive from.
  const auto t = csv("unit,a,p,q\nu1,1,0.5,4\nu2,2,,3\n");
  std::vector<rectify::problem> problems;
  const auto d = ra::derive_weights(p, t.view(), problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].code == "rectify.data.cohort_too_small");
  CHECK(problems[0].path == "/indicators/1/weights");
  REQUIRE(d.size() == 1);
  CHECK(d[0].weights == Eigen::VectorXd::Constant(3, 1.0 / 3));
  // The throwing form raises the same problem.
  CHECK(message_of([&] { (void)ra::derive_weights(p, t.view()); }) == problems[0].str());
}
