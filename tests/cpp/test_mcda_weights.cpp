// Normalisation and weighting (docs: ../shared/docs/mcda.md, "Normalisation" and "Weighting").
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/mcda/normalize.hpp"
#include "rectify/mcda/weights.hpp"

namespace mcda = rectify::mcda;

namespace {

template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const rectify::error& e) {
    return e.what();
  }
  return "no error";
}

void require_close(const Eigen::MatrixXd& got, const Eigen::MatrixXd& want, double tol = 1e-12) {
  REQUIRE(got.rows() == want.rows());
  REQUIRE(got.cols() == want.cols());
  for (Eigen::Index j = 0; j < got.cols(); ++j)
    for (Eigen::Index i = 0; i < got.rows(); ++i) {
      INFO("row " << i << ", column " << j);
      CHECK(got(i, j) == Approx(want(i, j)).margin(tol));
    }
}

Eigen::VectorXd vec(std::initializer_list<double> v) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (double x : v) out[i++] = x;
  return out;
}

Eigen::VectorXi ivec(std::initializer_list<int> v) {
  Eigen::VectorXi out(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (int x : v) out[i++] = x;
  return out;
}

// A consistent pairwise matrix a_ij = w_i / w_j.
Eigen::MatrixXd consistent(const Eigen::VectorXd& w) {
  return w * w.cwiseInverse().transpose();
}

}  // namespace

// Column 0 is a benefit [2, 3, 6] (||.||_2 = 7, sum 11, max 6, min 2); column 1 a cost [1, 4, 8]
// (||.||_2 = 9, sum of reciprocals 1 + 1/4 + 1/8 = 11/8, max 8, min 1).
TEST_CASE("each normalisation follows the table of mcda.md", "[mcda]") {
  Eigen::MatrixXd x(3, 2);
  x << 2, 1, 3, 4, 6, 8;
  const Eigen::VectorXi types = ivec({1, -1});
  Eigen::MatrixXd want(3, 2);

  // minmax: (x - 2)/4 and (8 - x)/7.
  want << 0, 1, 0.25, 4.0 / 7, 1, 0;
  require_close(mcda::normalize(x, types, mcda::normalization::minmax), want);
  // vector: x/7 and 1 - x/9.
  want << 2.0 / 7, 8.0 / 9, 3.0 / 7, 5.0 / 9, 6.0 / 7, 1.0 / 9;
  require_close(mcda::normalize(x, types, mcda::normalization::vector), want);
  // sum: x/11 and (1/x)/(11/8) = 8/(11x).
  want << 2.0 / 11, 8.0 / 11, 3.0 / 11, 2.0 / 11, 6.0 / 11, 1.0 / 11;
  require_close(mcda::normalize(x, types, mcda::normalization::sum), want);
  // max: x/6 and 1 - x/8.
  want << 1.0 / 3, 7.0 / 8, 0.5, 0.5, 1, 0;
  require_close(mcda::normalize(x, types, mcda::normalization::max), want);
  // linear: x/6 and 1/x.
  want << 1.0 / 3, 1, 0.5, 0.25, 1, 0.125;
  require_close(mcda::normalize(x, types, mcda::normalization::linear), want);
}

TEST_CASE("minmax maps a constant column to 1 in both directions", "[mcda]") {
  Eigen::MatrixXd x(2, 2);
  x << 5, -3, 5, -3;
  require_close(mcda::normalize(x, ivec({1, -1}), mcda::normalization::minmax), Eigen::MatrixXd::Ones(2, 2));
}

TEST_CASE("normalisations refuse what the table says with messages naming the column", "[mcda]") {
  Eigen::MatrixXd x(2, 2);
  x << 0, 1, 0, 2;
  CHECK(message_of([&] {
          (void)mcda::normalize(x, ivec({1, 1}), mcda::normalization::vector);
        }) == "[rectify.mcda.bad_matrix] column 0: vector normalisation refuses an all-zero column");
  x << 1, 0.5, 2, -3;
  CHECK(message_of([&] {
          (void)mcda::normalize(x, ivec({1, -1}), mcda::normalization::sum);
        }) == "[rectify.mcda.bad_matrix] column 1: sum normalisation refuses a value <= 0 (row 1: -3)");
  x << 0, 1, -2, 1;
  CHECK(message_of([&] {
          (void)mcda::normalize(x, ivec({1, 1}), mcda::normalization::max);
        }) == "[rectify.mcda.bad_matrix] column 0: max normalisation refuses a column whose maximum is 0");
  x << 1, 4, 2, 0;
  CHECK(message_of([&] {
          (void)mcda::normalize(x, ivec({1, -1}), mcda::normalization::linear);
        }) == "[rectify.mcda.bad_matrix] column 1: linear normalisation refuses a zero in a cost column (row 1)");
  // A zero in a benefit column is fine for linear (only the cost side divides by x).
  CHECK(mcda::normalize(x, ivec({-1, 1}), mcda::normalization::linear)(1, 1) == 0.0);
  CHECK(message_of([&] {
          (void)mcda::normalize(Eigen::MatrixXd(0, 2), ivec({1, 1}), mcda::normalization::max);
        }) == "[rectify.mcda.bad_matrix] the decision matrix is empty (it needs at least one row and one column)");
  x << 1, 4, 2, 3;
  CHECK(message_of([&] {
          (void)mcda::normalize(x, ivec({1, 0}), mcda::normalization::minmax);
        }) == "[rectify.mcda.bad_types] column 1: a criterion type is +1 (benefit) or -1 (cost), not 0");
}

TEST_CASE("normalisation names parse and round-trip", "[mcda]") {
  for (auto m : {mcda::normalization::minmax, mcda::normalization::vector, mcda::normalization::sum,
                 mcda::normalization::max, mcda::normalization::linear})
    CHECK(mcda::parse_normalization(mcda::to_string(m)) == m);
  CHECK(message_of([] { (void)mcda::parse_normalization("topsis"); }) ==
        "[rectify.mcda.bad_method] unknown normalisation \"topsis\"; expected one of minmax, vector, sum, max, "
        "linear");
}

TEST_CASE("rank-based weights reproduce the published values", "[mcda]") {
  // Barron & Barrett (1996), ROC for n = 4: 25/48, 13/48, 7/48, 3/48.
  const Eigen::VectorXd w = mcda::roc(4);
  CHECK(w[0] == Approx(0.5208).margin(5e-5));
  CHECK(w[1] == Approx(0.2708).margin(5e-5));
  CHECK(w[2] == Approx(0.1458).margin(5e-5));
  CHECK(w[3] == Approx(0.0625).margin(5e-5));
  require_close(w, vec({25.0 / 48, 13.0 / 48, 7.0 / 48, 3.0 / 48}));
  // Rank sum: 2(5 - i)/20.
  require_close(mcda::rank_sum(4), vec({0.4, 0.3, 0.2, 0.1}));
  // Rank reciprocal: (1, 1/2, 1/3, 1/4)/(25/12).
  require_close(mcda::rank_reciprocal(4), vec({0.48, 0.24, 0.16, 0.12}));
  require_close(mcda::equal(4), vec({0.25, 0.25, 0.25, 0.25}));
  require_close(mcda::roc(1), vec({1.0}));
}

TEST_CASE("rank vectors order the criteria and ties share the average", "[mcda]") {
  // ROC n = 3: 11/18, 5/18, 2/18; criteria ranked 2, 3, 1.
  require_close(mcda::roc(ivec({2, 3, 1})), vec({5.0 / 18, 2.0 / 18, 11.0 / 18}));
  // Ranks 1, 2, 2: the tied pair shares (5/18 + 2/18)/2 = 7/36 each.
  require_close(mcda::roc(ivec({1, 2, 2})), vec({11.0 / 18, 7.0 / 36, 7.0 / 36}));
  // Rank sum n = 3: 3/6, 2/6, 1/6; a tie at the top shares 5/12.
  require_close(mcda::rank_sum(ivec({1, 1, 3})), vec({5.0 / 12, 5.0 / 12, 1.0 / 6}));
  // Rank reciprocal n = 3: 6/11, 3/11, 2/11; all tied gives equal weights.
  require_close(mcda::rank_reciprocal(ivec({2, 1, 3})), vec({3.0 / 11, 6.0 / 11, 2.0 / 11}));
  require_close(mcda::rank_reciprocal(ivec({1, 1, 1})), mcda::equal(3));
  CHECK(message_of([] {
          (void)mcda::roc(ivec({1, 0}));
        }) == "[rectify.mcda.bad_ranks] criterion 1: a rank is >= 1 (1 = most important), not 0");
  CHECK(message_of([] { (void)mcda::rank_sum(0); }) == "[rectify.mcda.bad_ranks] need at least one criterion, got 0");
}

TEST_CASE("entropy weights on a worked example with a zero and a constant column", "[mcda]") {
  // m = 2, so ln m = ln 2 and e_j is the base-2 entropy of the column shares.
  // Column 0 [1, 3]: p = 1/4, 3/4; e0 = (1/4)(2) + (3/4)log2(4/3) = 2 - (3/4)log2 3 = 0.811278.
  // Column 1 [1, 1]: constant, e1 = 1.
  // Column 2 [0, 2]: p = 0, 1; 0 ln 0 = 0 and 1 ln 1 = 0, so e2 = 0.
  // 1 - e = (0.188722, 0, 1), sum 1.188722: w = (0.158761, 0, 0.841239).
  Eigen::MatrixXd x(2, 3);
  x << 1, 1, 0, 3, 1, 2;
  const auto r = mcda::entropy(x);
  const double d0 = 0.75 * std::log2(3.0) - 1.0;
  require_close(r.entropy, vec({1.0 - d0, 1.0, 0.0}));
  require_close(r.weights, vec({d0 / (d0 + 1.0), 0.0, 1.0 / (d0 + 1.0)}));
  CHECK(r.weights[0] == Approx(0.158761).margin(1e-6));
  CHECK_FALSE(r.all_constant);
}

TEST_CASE("entropy weights refuse negatives and flag an all-constant matrix", "[mcda]") {
  Eigen::MatrixXd x(2, 2);
  x << 1, 2, -1, 2;
  CHECK(message_of([&] { (void)mcda::entropy(x); }) ==
        "[rectify.mcda.bad_matrix] row 1, column 0: entropy weights refuse a negative value (-1)");
  x << 1, 0, 1, 0;
  const auto r = mcda::entropy(x);
  CHECK(r.all_constant);
  require_close(r.weights, vec({0.5, 0.5}));
  require_close(r.entropy, vec({1.0, 1.0}));
  CHECK(message_of([] { (void)mcda::entropy(Eigen::MatrixXd::Ones(1, 2)); }) ==
        "[rectify.mcda.bad_matrix] entropy weights need at least 2 rows, got 1");
}

// Columns: benefit [0, 1, 2], benefit [0, 2, 1], cost [1, 1, 0]. Minmax with directions:
//   n0 = (0, 1/2, 1), n1 = (0, 1, 1/2), n2 = (0, 0, 1); means 1/2, 1/2, 1/3.
//   Centred: (-1/2, 0, 1/2), (-1/2, 1/2, 0), (-1/3, -1/3, 2/3).
//   Population sigma: s0 = s1 = sqrt(1/6), s2 = sqrt(2/9).
//   r01 = (1/4)/(1/2) = 1/2; r02 = (1/6 + 1/3)/sqrt(1/2 * 2/3) = sqrt(3)/2; r12 = (1/6 - 1/6)/... = 0.
//   C0 = s0 (2 - 1/2 - sqrt(3)/2) = 0.258819, C1 = s1 (2 - 1/2 - 0) = 0.612372,
//   C2 = s2 (2 - sqrt(3)/2 - 0) = 0.534564; w = C / 1.405755.
TEST_CASE("CRITIC weights on a hand-computed 3x3", "[mcda]") {
  Eigen::MatrixXd x(3, 3);
  x << 0, 0, 1, 1, 2, 1, 2, 1, 0;
  const Eigen::VectorXi types = ivec({1, 1, -1});
  const double s01 = std::sqrt(1.0 / 6), s2 = std::sqrt(2.0 / 9), h = std::sqrt(3.0) / 2;
  const Eigen::VectorXd c = vec({s01 * (1.5 - h), s01 * 1.5, s2 * (2 - h)});
  require_close(mcda::critic(x, types), c / c.sum());
  CHECK(mcda::critic(x, types)[1] == Approx(0.612372 / 1.405755).margin(1e-6));
  // Standard-deviation weights: (s0, s1, s2)/sum.
  const Eigen::VectorXd s = vec({s01, s01, s2});
  require_close(mcda::std_weights(x, types), s / s.sum());

  // A constant fourth column: weight 0, and its r with the others is 0 (each conflict gains 1).
  Eigen::MatrixXd y(3, 4);
  y << x, Eigen::VectorXd::Constant(3, 5.0);
  const Eigen::VectorXd c4 = vec({s01 * (2.5 - h), s01 * 2.5, s2 * (3 - h), 0.0});
  require_close(mcda::critic(y, ivec({1, 1, -1, 1})), c4 / c4.sum());
  CHECK(mcda::std_weights(y, ivec({1, 1, -1, 1}))[3] == 0.0);

  CHECK(message_of([] { (void)mcda::critic(Eigen::MatrixXd::Ones(3, 2), Eigen::VectorXi::Ones(2)); }) ==
        "[rectify.mcda.bad_matrix] every column is constant; CRITIC weights are undefined");
  CHECK(message_of([] { (void)mcda::std_weights(Eigen::MatrixXd::Ones(3, 2), Eigen::VectorXi::Ones(2)); }) ==
        "[rectify.mcda.bad_matrix] every column is constant; standard-deviation weights are undefined");
}

TEST_CASE("objective weights sum to 1 and are scale-free in a benefit column", "[mcda]") {
  std::mt19937 rng(20261130);
  std::uniform_real_distribution<double> u(0.0, 10.0);
  for (int trial = 0; trial < 50; ++trial) {
    Eigen::MatrixXd x(6, 4);
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      for (Eigen::Index i = 0; i < x.rows(); ++i) x(i, j) = u(rng);
    const Eigen::VectorXi types = ivec({1, -1, 1, -1});
    const Eigen::VectorXd c = mcda::critic(x, types), s = mcda::std_weights(x, types);
    const Eigen::VectorXd e = mcda::entropy(x).weights;
    CHECK(c.sum() == Approx(1.0).margin(1e-12));
    CHECK(s.sum() == Approx(1.0).margin(1e-12));
    CHECK(e.sum() == Approx(1.0).margin(1e-12));
    CHECK((c.array() >= 0).all());
    Eigen::MatrixXd scaled = x;
    scaled.col(2) *= 3.7;
    require_close(mcda::critic(scaled, types), c, 1e-12);
    require_close(mcda::std_weights(scaled, types), s, 1e-12);
  }
}

TEST_CASE("AHP on consistent matrices gives the generating weights and CR 0", "[mcda]") {
  for (const Eigen::VectorXd& w : {vec({4.0 / 7, 2.0 / 7, 1.0 / 7}), vec({0.4, 0.3, 0.2, 0.1}),
                                   vec({0.1, 0.15, 0.2, 0.25, 0.3}), vec({0.5, 0.5})}) {
    for (auto method : {mcda::ahp_method::eigenvector, mcda::ahp_method::geometric_mean}) {
      const auto r = mcda::ahp(consistent(w), method);
      require_close(r.weights, w, 1e-12);
      CHECK(r.lambda_max == Approx(static_cast<double>(w.size())).margin(1e-12));
      CHECK(r.ci == Approx(0.0).margin(1e-12));
      CHECK(r.cr == Approx(0.0).margin(1e-12));
    }
  }
  const auto one = mcda::ahp(Eigen::MatrixXd::Ones(1, 1));
  CHECK(one.weights[0] == 1.0);
  CHECK(one.cr == 0.0);
}

// For n = 3 the principal eigenvector equals the row geometric means, and with
// t = (a12 a23 / a13)^(1/3), lambda_max = 1 + t + 1/t (check row 1 of A w = lambda w).
// A = [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]]: row products 15, 1, 1/15; t = (9/5)^(1/3) = 1.216440,
// lambda_max = 3.038511, CI = 0.019256, CR = CI/0.58 = 0.033199 (Saaty) or CI/0.5245 (Alonso & Lamata).
TEST_CASE("AHP on an inconsistent 3x3 matches the closed form", "[mcda]") {
  Eigen::MatrixXd a(3, 3);
  a << 1, 3, 5, 1.0 / 3, 1, 3, 1.0 / 5, 1.0 / 3, 1;
  Eigen::VectorXd g = vec({std::cbrt(15.0), 1.0, std::cbrt(1.0 / 15)});
  g /= g.sum();
  const double t = std::cbrt(9.0 / 5), lambda = 1 + t + 1 / t, ci = (lambda - 3) / 2;
  for (auto method : {mcda::ahp_method::eigenvector, mcda::ahp_method::geometric_mean}) {
    const auto r = mcda::ahp(a, method);
    require_close(r.weights, g, 1e-12);
    CHECK(r.lambda_max == Approx(lambda).epsilon(1e-12));
    CHECK(r.ci == Approx(ci).epsilon(1e-9));
    CHECK(r.cr == Approx(ci / 0.58).epsilon(1e-9));
  }
  CHECK(mcda::ahp(a).weights[0] == Approx(0.636986).margin(1e-6));
  CHECK(mcda::ahp(a).cr == Approx(0.033199).margin(1e-6));
  CHECK(mcda::ahp(a, mcda::ahp_method::eigenvector, mcda::random_index::alonso_lamata2006).cr ==
        Approx(ci / 0.5245).epsilon(1e-9));
}

TEST_CASE("AHP eigenvector and lambda_max agree with an independent power iteration", "[mcda]") {
  // A 4x4 with inconsistent judgements; power iteration on a positive matrix converges to the
  // Perron vector.
  Eigen::MatrixXd a(4, 4);
  a << 1, 5, 3, 7, 1.0 / 5, 1, 1.0 / 3, 2, 1.0 / 3, 3, 1, 4, 1.0 / 7, 1.0 / 2, 1.0 / 4, 1;
  Eigen::VectorXd v = Eigen::VectorXd::Ones(4) / 4;
  for (int k = 0; k < 1000; ++k) {
    v = a * v;
    v /= v.sum();
  }
  const double lambda = (a * v).sum();
  const auto r = mcda::ahp(a);
  require_close(r.weights, v, 1e-12);
  CHECK(r.lambda_max == Approx(lambda).epsilon(1e-12));
  CHECK(r.cr == Approx((lambda - 4) / 3 / 0.90).epsilon(1e-9));
  CHECK(r.cr > 0);
}

TEST_CASE("random index tables and their ranges", "[mcda]") {
  CHECK(mcda::random_index_value(mcda::random_index::saaty1980, 3) == 0.58);
  CHECK(mcda::random_index_value(mcda::random_index::saaty1980, 10) == 1.49);
  CHECK(mcda::random_index_value(mcda::random_index::alonso_lamata2006, 4) == 0.8815);
  CHECK(mcda::random_index_value(mcda::random_index::alonso_lamata2006, 15) == 1.5838);
  const Eigen::MatrixXd big = Eigen::MatrixXd::Ones(11, 11);
  CHECK(message_of([&] { (void)mcda::ahp(big); }) ==
        "[rectify.mcda.bad_matrix] the random index table of Saaty (1980) covers n = 1..10, not 11");
  CHECK(mcda::ahp(big, mcda::ahp_method::eigenvector, mcda::random_index::alonso_lamata2006).cr ==
        Approx(0.0).margin(1e-12));
}

TEST_CASE("AHP refuses non-square, non-positive and non-reciprocal matrices", "[mcda]") {
  CHECK(message_of([] { (void)mcda::ahp(Eigen::MatrixXd::Ones(2, 3)); }) ==
        "[rectify.mcda.bad_matrix] a pairwise comparison matrix is square and non-empty, not 2 x 3");
  Eigen::MatrixXd a(2, 2);
  a << 1, -2, -0.5, 1;
  CHECK(message_of([&] { (void)mcda::ahp(a); }) ==
        "[rectify.mcda.bad_matrix] row 1, column 0: a pairwise judgement is a finite positive number, not -0.5");
  a << 1, 3, 0.5, 1;
  CHECK(message_of([&] { (void)mcda::ahp(a); }) ==
        "[rectify.mcda.bad_matrix] row 0, column 1: 3 is not the reciprocal of row 1, column 0: 0.5 (a pairwise "
        "comparison matrix has a_ji = 1/a_ij)");
  a << 2, 1, 1, 0.5;
  CHECK(message_of([&] { (void)mcda::ahp(a); }) ==
        "[rectify.mcda.bad_matrix] row 0, column 0: 2 is not the reciprocal of row 0, column 0: 2 (a pairwise "
        "comparison matrix has a_ji = 1/a_ij)");
  // Within 1e-9 relative is accepted.
  a << 1, 3, (1.0 / 3) * (1 + 1e-12), 1;
  CHECK(mcda::ahp(a).weights[0] == Approx(0.75).margin(1e-9));
}

TEST_CASE("AHP group judgement is the element-wise geometric mean", "[mcda]") {
  Eigen::MatrixXd a(2, 2), b(2, 2), want(2, 2);
  a << 1, 2, 0.5, 1;
  b << 1, 8, 0.125, 1;
  want << 1, 4, 0.25, 1;
  const Eigen::MatrixXd g = mcda::ahp_group({a, b});
  require_close(g, want);
  require_close(mcda::ahp(g).weights, vec({0.8, 0.2}));
  CHECK(message_of([] { (void)mcda::ahp_group({}); }) ==
        "[rectify.mcda.bad_matrix] group judgement needs at least one matrix");
  CHECK(message_of([&] {
          (void)mcda::ahp_group({a, Eigen::MatrixXd::Ones(3, 3)});
        }) == "[rectify.mcda.bad_matrix] matrix 1: is 3 x 3 but matrix 0 is 2 x 2");
  b(0, 1) = 7;
  CHECK(message_of([&] {
          (void)mcda::ahp_group({a, b});
        }) ==
        "[rectify.mcda.bad_matrix] matrix 1: row 0, column 1: 7 is not the reciprocal of row 1, column 0: 0.125 (a "
        "pairwise comparison matrix has a_ji = 1/a_ij)");
}

TEST_CASE("pairwise judgements parse from numbers and ratios", "[mcda]") {
  CHECK(mcda::parse_ratio("3") == 3.0);
  CHECK(mcda::parse_ratio("1/3") == 1.0 / 3);
  CHECK(mcda::parse_ratio("0.5") == 0.5);
  CHECK(mcda::parse_ratio(" 1 / 9 ") == 1.0 / 9);
  for (const char* bad : {"", "abc", "1/0", "1/", "/3", "3x", "1/2/3", "inf", "nan", "+3"})
    CHECK(message_of([&] { (void)mcda::parse_ratio(bad); }) ==
          std::string("[rectify.mcda.bad_matrix] ") + rectify::quoted(bad) +
              " is not a pairwise judgement (a number like \"3\" or \"0.5\", or a ratio like \"1/3\")");
}
