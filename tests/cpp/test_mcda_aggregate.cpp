// Aggregation methods and ranks (mcda.md, "Aggregation" and "Ranks"). The worked examples are
// small enough to compute by hand; the arithmetic is in the comments. No published example is
// used: every expected number below is derived here from the formulas in mcda.md.
#include <Eigen/Core>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/mcda/aggregate.hpp"
#include "rectify/mcda/rank.hpp"
#include "support.hpp"

namespace rm = rectify::mcda;
using rectify::test::message_of;

namespace {

Eigen::VectorXd vec(std::initializer_list<double> values) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const double x : values) v[i++] = x;
  return v;
}

void check_close(const Eigen::VectorXd& got, const Eigen::VectorXd& expected) {
  REQUIRE(got.size() == expected.size());
  for (Eigen::Index i = 0; i < got.size(); ++i) {
    INFO("position " << i);
    CHECK(got[i] == Approx(expected[i]).margin(1e-12));
  }
}

// Three alternatives; column 0 benefit {1, 3, 2}, column 1 cost {10, 30, 20}; weights 3:1.
// minmax: column 0 -> {0, 1, 0.5}; column 1 (30 - x)/20 -> {1, 0, 0.5}; w = {0.75, 0.25}.
struct small_case {
  Eigen::MatrixXd x{3, 2};
  Eigen::VectorXd w = vec({3, 1});
  Eigen::VectorXi t{2};
  small_case() {
    x << 1, 10, 3, 30, 2, 20;
    t << 1, -1;
  }
};

}  // namespace

TEST_CASE("mcda rank: the four tie modes on 3 1 3 2", "[mcda]") {
  const Eigen::VectorXd s = vec({3, 1, 3, 2});
  check_close(rm::rank(s), vec({1, 4, 1, 3}));
  check_close(rm::rank(s, true, rm::ties::competition), vec({1, 4, 1, 3}));
  check_close(rm::rank(s, true, rm::ties::dense), vec({1, 3, 1, 2}));
  check_close(rm::rank(s, true, rm::ties::average), vec({1.5, 4, 1.5, 3}));
  check_close(rm::rank(s, true, rm::ties::ordinal), vec({1, 4, 2, 3}));
}

TEST_CASE("mcda rank: lower is better", "[mcda]") {
  const Eigen::VectorXd s = vec({3, 1, 3, 2});
  // ascending: 1 (pos 1), 2 (pos 3), then the two 3s share places 3 and 4
  check_close(rm::rank(s, false), vec({3, 1, 3, 2}));
  check_close(rm::rank(s, false, rm::ties::dense), vec({3, 1, 3, 2}));
  check_close(rm::rank(s, false, rm::ties::average), vec({3.5, 1, 3.5, 2}));
  check_close(rm::rank(s, false, rm::ties::ordinal), vec({3, 1, 4, 2}));
}

TEST_CASE("mcda rank: ties after rounding to 12 significant digits", "[mcda]") {
  // 0.1 + 0.2 is 0.30000000000000004 in binary; it ties with 0.3
  check_close(rm::rank(vec({0.1 + 0.2, 0.3, 0.2})), vec({1, 1, 3}));
  // a difference in the 10th significant digit is not a tie
  check_close(rm::rank(vec({1.000000001, 1.0})), vec({1, 2}));
  // -0 and 0 tie
  check_close(rm::rank(vec({-0.0, 0.0}), true, rm::ties::average), vec({1.5, 1.5}));
  // empty and single
  CHECK(rm::rank(Eigen::VectorXd(0)).size() == 0);
  check_close(rm::rank(vec({42})), vec({1}));
}

TEST_CASE("mcda rank: a NaN score and an unknown tie mode are refused", "[mcda]") {
  CHECK(message_of([] {
          (void)rm::rank(vec({1, std::numeric_limits<double>::quiet_NaN()}));
        }) == "[rectify.mcda.not_finite] scores: position 1: NaN (every score must be a finite number)");
  CHECK(message_of([] { (void)rm::rank(vec({std::numeric_limits<double>::infinity()})); }) ==
        "[rectify.mcda.not_finite] scores: position 0: infinite (every score must be a finite number)");
  CHECK(rm::parse_ties("competition") == rm::ties::competition);
  CHECK(rm::parse_ties("dense") == rm::ties::dense);
  CHECK(rm::parse_ties("average") == rm::ties::average);
  CHECK(rm::parse_ties("ordinal") == rm::ties::ordinal);
  CHECK(message_of([] { (void)rm::parse_ties("min"); }) ==
        "[rectify.mcda.bad_option] ties \"min\": expected \"competition\", \"dense\", \"average\" or \"ordinal\"");
}

TEST_CASE("mcda wsm and wpm: hand-computed example", "[mcda]") {
  const small_case c;
  // WSM: 0.75*{0, 1, 0.5} + 0.25*{1, 0, 0.5} = {0.25, 0.75, 0.5}
  check_close(rm::wsm(c.x, c.w, c.t), vec({0.25, 0.75, 0.5}));
  // WPM: rows 0 and 1 each have a normalised 0 -> 0; row 2: 0.5^0.75 * 0.5^0.25 = 0.5
  check_close(rm::wpm(c.x, c.w, c.t), vec({0, 0, 0.5}));
  // on a given normalised matrix
  Eigen::MatrixXd n(2, 2);
  n << 0.25, 1, 1, 0.5;
  // WSM: {0.5*0.25 + 0.5*1, 0.5*1 + 0.5*0.5}; WPM: {sqrt(0.25), sqrt(0.5)}
  check_close(rm::wsm_normalized(n, vec({1, 1})), vec({0.625, 0.75}));
  check_close(rm::wpm_normalized(n, vec({1, 1})), vec({0.5, std::sqrt(0.5)}));
  n(0, 0) = -0.5;
  CHECK(message_of([&] {
          (void)rm::wpm_normalized(n, vec({1, 1}));
        }) == "[rectify.mcda.bad_matrix] row 0, column 0: WPM needs normalised values >= 0, not -0.5");
}

TEST_CASE("mcda wsm and wpm: vector normalisation", "[mcda]") {
  Eigen::MatrixXd x(2, 2);
  x << 3, 4, 4, 3;
  Eigen::VectorXi t(2);
  t << 1, -1;
  // column norms 5: column 0 -> {0.6, 0.8}; cost column 1 -> 1 - {0.8, 0.6} = {0.2, 0.4}
  check_close(rm::wsm(x, vec({1, 1}), t, rm::normalization::vector), vec({0.4, 0.6}));
  check_close(rm::wpm(x, vec({1, 1}), t, rm::normalization::vector), vec({std::sqrt(0.12), std::sqrt(0.32)}));
  x.col(1).setZero();
  CHECK(message_of([&] {
          (void)rm::wsm(x, vec({1, 1}), t, rm::normalization::vector);
        }) == "[rectify.mcda.bad_matrix] column 1: vector normalisation refuses an all-zero column");
}

TEST_CASE("mcda topsis: hand-computed, minmax and vector", "[mcda]") {
  const small_case c;
  // v = {{0, 0.25}, {0.75, 0}, {0.375, 0.125}}; ideal (0.75, 0.25), anti-ideal (0, 0)
  // D+ = {0.75, 0.25, sqrt(0.375^2 + 0.125^2) = sqrt(0.15625)}; D- = {0.25, 0.75, sqrt(0.15625)}
  const auto r = rm::topsis(c.x, c.w, c.t);
  check_close(r.d_plus, vec({0.75, 0.25, std::sqrt(0.15625)}));
  check_close(r.d_minus, vec({0.25, 0.75, std::sqrt(0.15625)}));
  check_close(r.closeness, vec({0.25, 0.75, 0.5}));

  // vector: x = {{3, 4}, {4, 3}}, both benefit, w = {0.75, 0.25}: n = {{0.6, 0.8}, {0.8, 0.6}},
  // v = {{0.45, 0.2}, {0.6, 0.15}}, ideal (0.6, 0.2), anti (0.45, 0.15):
  // D+ = {0.15, 0.05}, D- = {0.05, 0.15}, C = {0.25, 0.75}
  Eigen::MatrixXd x(2, 2);
  x << 3, 4, 4, 3;
  Eigen::VectorXi t(2);
  t << 1, 1;
  const auto v = rm::topsis(x, vec({3, 1}), t, rm::normalization::vector);
  check_close(v.d_plus, vec({0.15, 0.05}));
  check_close(v.d_minus, vec({0.05, 0.15}));
  check_close(v.closeness, vec({0.25, 0.75}));
}

TEST_CASE("mcda vikor: S, R, Q and the compromise set", "[mcda]") {
  SECTION("acceptable advantage exactly at DQ, stable") {
    // x = {{1, 0}, {0, 1}, {0.5, 0.5}}, both benefit, equal weights: f* = (1, 1), f- = (0, 0)
    // terms: {0, 0.5}, {0.5, 0}, {0.25, 0.25} -> S = {0.5, 0.5, 0.5}, R = {0.5, 0.5, 0.25}
    // S constant -> its part is 0; Q = 0.5 (R - 0.25)/0.25 = {0.5, 0.5, 0}
    // a1 = 2, a2 = 0: 0.5 - 0 >= DQ = 1/(3 - 1); a1 has the best R -> {2}
    Eigen::MatrixXd x(3, 2);
    x << 1, 0, 0, 1, 0.5, 0.5;
    const auto r = rm::vikor(x, vec({1, 1}), Eigen::Vector2i(1, 1));
    check_close(r.s, vec({0.5, 0.5, 0.5}));
    check_close(r.r, vec({0.5, 0.5, 0.25}));
    check_close(r.q, vec({0.5, 0.5, 0}));
    CHECK(r.compromise == std::vector<Eigen::Index>{2});
  }
  SECTION("no acceptable advantage") {
    // one benefit column {4, 3.5, 2, 1}: S = R = (4 - x)/3 = {0, 1/6, 2/3, 1}, Q the same
    // DQ = 1/3; Q(a2) - Q(a1) = 1/6 < 1/3 -> every a with Q(a) < 1/3: {0, 1}
    Eigen::MatrixXd x(4, 1);
    x << 4, 3.5, 2, 1;
    const auto r = rm::vikor(x, vec({1}), Eigen::VectorXi::Ones(1));
    check_close(r.q, vec({0, 1.0 / 6, 2.0 / 3, 1}));
    CHECK(r.compromise == std::vector<Eigen::Index>{0, 1});
  }
  SECTION("acceptable advantage without stability") {
    // both benefit on 0..100, equal weights: term = 0.5 (100 - x)/100
    // A (100, 0): S 0.5, R 0.5;  B (10, 10): S 0.9, R 0.45;  C (90, 9): S 0.505, R 0.455
    // D (0, 0): S 1, R 0.5;  E (0, 100): S 0.5, R 0.5.  S* = 0.5, S- = 1, R* = 0.45, R- = 0.5
    // Q = 0.5 (S - 0.5)/0.5 + 0.5 (R - 0.45)/0.05 = {0.5, 0.4, 0.055, 1, 0.5}
    // a1 = C, a2 = B: 0.345 >= DQ = 1/4, but C is best neither by S nor by R -> {C, B}
    Eigen::MatrixXd x(5, 2);
    x << 100, 0, 10, 10, 90, 9, 0, 0, 0, 100;
    const auto r = rm::vikor(x, vec({1, 1}), Eigen::Vector2i(1, 1));
    check_close(r.s, vec({0.5, 0.9, 0.505, 1, 0.5}));
    check_close(r.r, vec({0.5, 0.45, 0.455, 0.5, 0.5}));
    check_close(r.q, vec({0.5, 0.4, 0.055, 1, 0.5}));
    CHECK(r.compromise == std::vector<Eigen::Index>{2, 1});
  }
  SECTION("cost column, constant column and v") {
    // column 0 cost {10, 20}: f* = 10, f- = 20, terms 0.5 * {0, 1}; column 1 constant: 0
    // S = R = {0, 0.5}; Q = {0, 1} for any v; DQ = 1, advantage 1 >= 1 and stable -> {0}
    Eigen::MatrixXd x(2, 2);
    x << 10, 7, 20, 7;
    const auto r = rm::vikor(x, vec({1, 1}), Eigen::Vector2i(-1, 1), 0.2);
    check_close(r.s, vec({0, 0.5}));
    check_close(r.r, vec({0, 0.5}));
    check_close(r.q, vec({0, 1}));
    CHECK(r.compromise == std::vector<Eigen::Index>{0});
    CHECK(message_of([&] {
            (void)rm::vikor(x, vec({1, 1}), Eigen::Vector2i(-1, 1), 1.5);
          }) == "[rectify.mcda.bad_option] VIKOR v must be between 0 and 1, not 1.5");
  }
}

TEST_CASE("mcda gra: hand-computed Deng grade", "[mcda]") {
  const small_case c;
  // n = {{0, 1}, {1, 0}, {0.5, 0.5}}; delta = |1 - n| = {{1, 0}, {0, 1}, {0.5, 0.5}}
  // dmin = 0, dmax = 1, rho = 0.5: xi = 0.5/(delta + 0.5): 1 -> 1/3, 0 -> 1, 0.5 -> 0.5
  // grade = {0.75/3 + 0.25, 0.75 + 0.25/3, 0.5}
  check_close(rm::gra(c.x, c.w, c.t), vec({0.5, 0.75 + 0.25 / 3, 0.5}));
  // rho = 1: xi = 1/(delta + 1): 1 -> 0.5, 0 -> 1, 0.5 -> 2/3
  check_close(rm::gra(c.x, c.w, c.t, 1.0), vec({0.375 + 0.25, 0.75 + 0.125, 2.0 / 3}));
  CHECK(message_of([&] { (void)rm::gra(c.x, c.w, c.t, 0); }) ==
        "[rectify.mcda.bad_option] GRA rho must be in (0, 1], not 0");
}

TEST_CASE("mcda copras: hand-computed standard formula", "[mcda]") {
  // x = {{2, 4}, {6, 1}}, column 0 benefit (sum 8), column 1 cost (sum 5), w = {0.5, 0.5}
  // S+ = 0.5 * {2/8, 6/8} = {0.125, 0.375}; S- = 0.5 * {4/5, 1/5} = {0.4, 0.1}
  // sum S- = 0.5, sum 1/S- = 2.5 + 10 = 12.5
  // Q = {0.125 + 0.5/(0.4 * 12.5), 0.375 + 0.5/(0.1 * 12.5)} = {0.225, 0.775}
  Eigen::MatrixXd x(2, 2);
  x << 2, 4, 6, 1;
  const auto r = rm::copras(x, vec({1, 1}), Eigen::Vector2i(1, -1));
  check_close(r.s_plus, vec({0.125, 0.375}));
  check_close(r.s_minus, vec({0.4, 0.1}));
  check_close(r.q, vec({0.225, 0.775}));
  check_close(r.utility, vec({0.225 / 0.775, 1}));
  // benefit only: Q = S+
  const auto b = rm::copras(x, vec({1, 1}), Eigen::Vector2i(1, 1));
  check_close(b.q, vec({0.5 * 2 / 8 + 0.5 * 4 / 5, 0.5 * 6 / 8 + 0.5 * 1 / 5}));
  x(1, 1) = 0;
  CHECK(message_of([&] {
          (void)rm::copras(x, vec({1, 1}), Eigen::Vector2i(1, -1));
        }) == "[rectify.mcda.bad_matrix] row 1, column 1: COPRAS needs values > 0 in a cost column, not 0");
}

TEST_CASE("mcda promethee2: usual and v-shape preference", "[mcda]") {
  const small_case c;
  // usual: pi(0,1) = pi(0,2) = 0.25 (cost column), pi(1,0) = pi(1,2) = pi(2,0) = 0.75,
  // pi(2,1) = 0.25; flows / (m - 1) = / 2
  // phi+ = {0.5, 1.5, 1.0}/2, phi- = {1.5, 0.5, 1.0}/2
  const auto u = rm::promethee2(c.x, c.w, c.t);
  check_close(u.phi_plus, vec({0.25, 0.75, 0.5}));
  check_close(u.phi_minus, vec({0.75, 0.25, 0.5}));
  check_close(u.phi, vec({-0.5, 0.5, 0}));
  // v-shape p = 2 on column 0: d(1,0) = 2 -> 1, d(1,2) = d(2,0) = 1 -> 0.5
  // pi(1,0) = 0.75, pi(1,2) = pi(2,0) = 0.375, the cost column as before
  // phi+ = {0.5, 1.125, 0.625}/2, phi- = {1.125, 0.5, 0.625}/2
  std::vector<rm::preference_function> f(2);
  f[0] = {rm::preference::v_shape, 0, 2, 0};
  const auto v = rm::promethee2(c.x, c.w, c.t, f);
  check_close(v.phi_plus, vec({0.25, 0.5625, 0.3125}));
  check_close(v.phi_minus, vec({0.5625, 0.25, 0.3125}));
  check_close(v.phi, vec({-0.3125, 0.3125, 0}));
  // level q = 0.5, p = 1.5 on column 0: d = 2 -> 1, d = 1 -> 0.5: the same as v-shape here
  f[0] = {rm::preference::level, 0.5, 1.5, 0};
  check_close(rm::promethee2(c.x, c.w, c.t, f).phi, vec({-0.3125, 0.3125, 0}));
  // linear q = 1, p = 2: d = 1 -> 0, d = 2 -> 1; pi(1,0) = 0.75, pi(1,2) = pi(2,0) = 0
  // phi+ = {0.5, 0.75, 0.25}/2, phi- = {0.75, 0.5, 0.25}/2 -> phi = {-0.125, 0.125, 0}
  f[0] = {rm::preference::linear, 1, 2, 0};
  check_close(rm::promethee2(c.x, c.w, c.t, f).phi, vec({-0.125, 0.125, 0}));
  f[0] = {rm::preference::linear, 1, 1, 0};
  CHECK(message_of([&] { (void)rm::promethee2(c.x, c.w, c.t, f); }) ==
        "[rectify.mcda.bad_option] criterion 0: level and linear need p > q");
  f.resize(1);
  CHECK(message_of([&] { (void)rm::promethee2(c.x, c.w, c.t, f); }) ==
        "[rectify.mcda.bad_option] got 1 preference functions for 2 criteria");
}

TEST_CASE("mcda aggregation: constant columns and a single alternative", "[mcda]") {
  // a constant column normalises to 1 everywhere: WSM adds its weight to every alternative
  Eigen::MatrixXd x(3, 2);
  x << 1, 5, 3, 5, 2, 5;
  const Eigen::Vector2i t(1, -1);
  check_close(rm::wsm(x, vec({1, 1}), t), vec({0.5, 1.0, 0.75}));
  check_close(rm::topsis(x, vec({1, 1}), t).closeness, vec({0, 1, 0.5}));
  check_close(rm::gra(x, vec({1, 1}), t), vec({0.5 / 3 + 0.5, 1, 0.25 + 0.5}));

  Eigen::MatrixXd one(1, 2);
  one << 4, 9;
  check_close(rm::wsm(one, vec({1, 2}), t), vec({1}));
  check_close(rm::wpm(one, vec({1, 2}), t), vec({1}));
  check_close(rm::topsis(one, vec({1, 2}), t).closeness, vec({1}));
  check_close(rm::gra(one, vec({1, 2}), t), vec({1}));
  const auto v = rm::vikor(one, vec({1, 2}), t);
  check_close(v.q, vec({0}));
  CHECK(v.compromise == std::vector<Eigen::Index>{0});
  check_close(rm::promethee2(one, vec({1, 2}), t).phi, vec({0}));
  check_close(rm::copras(one, vec({1, 2}), t).utility, vec({1}));
}

TEST_CASE("mcda aggregation: NaN, bad weights and bad types are refused", "[mcda]") {
  small_case c;
  const Eigen::VectorXd negative = vec({1, -1});
  CHECK(message_of([&] { (void)rm::wsm(c.x, negative, c.t); }) ==
        "[rectify.mcda.bad_weights] weight 1 must be finite and >= 0, not -1");
  CHECK(message_of([&] { (void)rm::topsis(c.x, negative, c.t); }) ==
        "[rectify.mcda.bad_weights] weight 1 must be finite and >= 0, not -1");
  CHECK(message_of([&] { (void)rm::wsm(c.x, c.w, Eigen::Vector2i(1, 0)); }) ==
        "[rectify.mcda.bad_types] column 1: a criterion type is +1 (benefit) or -1 (cost), not 0");
  c.x(2, 1) = std::numeric_limits<double>::quiet_NaN();
  const std::string nan =
      "[rectify.mcda.not_finite] the decision matrix: row 2, column 1: NaN (every value must be a finite number)";
  CHECK(message_of([&] { (void)rm::wsm(c.x, c.w, c.t); }) == nan);
  CHECK(message_of([&] { (void)rm::wpm(c.x, c.w, c.t); }) == nan);
  CHECK(message_of([&] { (void)rm::topsis(c.x, c.w, c.t); }) == nan);
  CHECK(message_of([&] { (void)rm::vikor(c.x, c.w, c.t); }) == nan);
  CHECK(message_of([&] { (void)rm::gra(c.x, c.w, c.t); }) == nan);
  CHECK(message_of([&] { (void)rm::copras(c.x, c.w, c.t); }) == nan);
  CHECK(message_of([&] { (void)rm::promethee2(c.x, c.w, c.t); }) == nan);
  const std::string empty =
      "[rectify.mcda.bad_matrix] the decision matrix is empty (it needs at least one row and one column)";
  const Eigen::MatrixXd none(0, 2);
  CHECK(message_of([&] { (void)rm::wsm(none, c.w, c.t); }) == empty);
  CHECK(message_of([&] { (void)rm::topsis(none, c.w, c.t); }) == empty);
  CHECK(message_of([&] { (void)rm::vikor(none, c.w, c.t); }) == empty);
  CHECK(message_of([&] { (void)rm::promethee2(none, c.w, c.t); }) == empty);
}

TEST_CASE("mcda invariants over generated matrices", "[mcda]") {
  for (unsigned seed = 1; seed <= 200; ++seed) {
    INFO("seed " << seed);
    std::mt19937 gen(seed);
    std::uniform_real_distribution<double> value(3.0, 100.0);
    std::uniform_int_distribution<int> coin(0, 1);
    const Eigen::Index m = 2 + static_cast<Eigen::Index>(seed % 6), n = 1 + static_cast<Eigen::Index>(seed % 4);
    Eigen::MatrixXd x(m, n);
    Eigen::VectorXi t(n);
    Eigen::VectorXd w(n);
    for (Eigen::Index j = 0; j < n; ++j) {
      t[j] = coin(gen) == 1 ? 1 : -1;
      w[j] = value(gen);
      for (Eigen::Index i = 0; i < m; ++i) x(i, j) = std::round(value(gen));  // integers make ties likely
    }
    // the last row is dominated by row 0: no better anywhere, strictly worse in column 0
    for (Eigen::Index j = 0; j < n; ++j) x(m - 1, j) = x(0, j) - t[j] * (j == 0 ? 1.0 + coin(gen) : coin(gen));

    const Eigen::VectorXd s = rm::wsm(x, w, t);
    const Eigen::VectorXd c = rm::topsis(x, w, t).closeness;
    const Eigen::VectorXd cv = rm::topsis(x, w, t, rm::normalization::vector).closeness;
    // vector-normalised TOPSIS equals the textbook form: r = x/||x||, v = w r, ideal = max of v on
    // benefit and min on cost columns, anti-ideal the other way round
    {
      const Eigen::VectorXd wn = w / w.sum();
      Eigen::MatrixXd v(m, n);
      for (Eigen::Index j = 0; j < n; ++j) v.col(j) = wn[j] * x.col(j) / x.col(j).norm();
      for (Eigen::Index i = 0; i < m; ++i) {
        double plus = 0, minus = 0;
        for (Eigen::Index j = 0; j < n; ++j) {
          const double best = t[j] == 1 ? v.col(j).maxCoeff() : v.col(j).minCoeff();
          const double worst = t[j] == 1 ? v.col(j).minCoeff() : v.col(j).maxCoeff();
          plus += (v(i, j) - best) * (v(i, j) - best);
          minus += (v(i, j) - worst) * (v(i, j) - worst);
        }
        CHECK(cv[i] == Approx(std::sqrt(minus) / (std::sqrt(plus) + std::sqrt(minus))).margin(1e-12));
      }
    }
    CHECK(s[0] >= s[m - 1]);
    CHECK(c[0] >= c[m - 1]);
    CHECK(cv[0] >= cv[m - 1]);
    CHECK(rm::rank(s)[0] <= rm::rank(s)[m - 1]);
    CHECK(rm::rank(c)[0] <= rm::rank(c)[m - 1]);

    // ranks: ordinal is a permutation of 1..m; average sums to m(m+1)/2; competition <= average
    // <= competition + ties - 1; dense max is the number of distinct rounded values
    const Eigen::VectorXd ord = rm::rank(s, true, rm::ties::ordinal);
    std::vector<double> sorted(ord.data(), ord.data() + ord.size());
    std::sort(sorted.begin(), sorted.end());
    for (Eigen::Index i = 0; i < m; ++i) CHECK(sorted[static_cast<std::size_t>(i)] == static_cast<double>(i + 1));
    const Eigen::VectorXd avg = rm::rank(s, true, rm::ties::average);
    CHECK(avg.sum() == Approx(static_cast<double>(m * (m + 1)) / 2));
    const Eigen::VectorXd comp = rm::rank(s), dense = rm::rank(s, true, rm::ties::dense);
    for (Eigen::Index i = 0; i < m; ++i) {
      CHECK(comp[i] <= avg[i]);
      CHECK(dense[i] <= comp[i]);
      CHECK(rm::rank(s, false)[i] == static_cast<double>(m + 1) - rm::rank(s, true, rm::ties::competition)[i] -
                                         static_cast<double>(std::count(s.data(), s.data() + m, s[i]) - 1));
    }

    // scaling a benefit column by c > 0 leaves the minmax-based results (and VIKOR) unchanged
    Eigen::MatrixXd scaled = x;
    for (Eigen::Index j = 0; j < n; ++j)
      if (t[j] == 1) scaled.col(j) *= 3.5;
    auto same = [](const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
      for (Eigen::Index i = 0; i < a.size(); ++i) CHECK(a[i] == Approx(b[i]).margin(1e-12));
    };
    same(rm::wsm(scaled, w, t), s);
    same(rm::wpm(scaled, w, t), rm::wpm(x, w, t));
    same(rm::topsis(scaled, w, t).closeness, c);
    same(rm::gra(scaled, w, t), rm::gra(x, w, t));
    same(rm::vikor(scaled, w, t).q, rm::vikor(x, w, t).q);
    same(rm::copras(scaled, w, t).utility, rm::copras(x, w, t).utility);
    // rescaling the weights changes nothing either
    same(rm::wsm(x, 7.0 * w, t), s);
  }
}

TEST_CASE("mcda fce: the three composition operators", "[mcda]") {
  // R = {{0.2, 0.5, 0.3}, {0.6, 0.3, 0.1}}, W = (0.4, 0.6) (given as 2:3)
  Eigen::MatrixXd r(2, 3);
  r << 0.2, 0.5, 0.3, 0.6, 0.3, 0.1;
  const Eigen::VectorXd w = vec({2, 3});
  // M(.,+): {0.08 + 0.36, 0.2 + 0.18, 0.12 + 0.06}; grade 0; score with v = (90, 75, 60):
  // 0.44*90 + 0.38*75 + 0.18*60 = 39.6 + 28.5 + 10.8
  const auto a = rm::fce(r, w, rm::fce_operator::weighted_average, false, vec({90, 75, 60}));
  check_close(a.b, vec({0.44, 0.38, 0.18}));
  CHECK(a.grade == 0);
  REQUIRE(a.score.has_value());
  CHECK(*a.score == Approx(78.9));
  // M(min,max): {max(min(0.4, 0.2), min(0.6, 0.6)), max(0.4, 0.3), max(0.3, 0.1)} = {0.6, 0.4, 0.3},
  // normalised by 1.3
  const auto b = rm::fce(r, w, rm::fce_operator::min_max, true);
  check_close(b.b, vec({6.0 / 13, 4.0 / 13, 3.0 / 13}));
  CHECK_FALSE(b.score.has_value());
  // M(.,max): {max(0.08, 0.36), max(0.2, 0.18), max(0.12, 0.06)}
  check_close(rm::fce(r, w, rm::fce_operator::product_max).b, vec({0.36, 0.2, 0.12}));
  // a grade other than the first: only criterion 0 weighted
  CHECK(rm::fce(r, vec({1, 0})).grade == 1);

  r(1, 2) = 1.5;
  CHECK(message_of([&] { (void)rm::fce(r, w); }) ==
        "[rectify.mcda.bad_matrix] the membership matrix: row 1, column 2: a membership is between 0 and 1, not 1.5");
  r(1, 2) = 0.1;
  CHECK(message_of([&] {
          (void)rm::fce(r, w, rm::fce_operator::weighted_average, false, vec({1, 2}));
        }) == "[rectify.mcda.bad_option] got 2 grade values for 3 grades");
}
