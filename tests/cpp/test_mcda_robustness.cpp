// SMAA-2 and one-at-a-time weight sensitivity (mcda.md, "Robustness"). Expected values come from
// closed forms derived here: the 2-criterion WSM acceptabilities are lengths of segments of the
// weight simplex, the sensitivity thresholds are crossings of lines in t, and the sampled
// statistics are compared with their exact means within a few binomial standard errors.
#include <Eigen/Core>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/mcda/normalize.hpp"
#include "rectify/mcda/robustness.hpp"
#include "support.hpp"

namespace rm = rectify::mcda;
using rectify::test::message_of;
using rectify::test::v;

namespace {

Eigen::MatrixXd random_matrix(Eigen::Index m, Eigen::Index n, std::uint32_t seed, double lo = 1, double hi = 10) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  Eigen::MatrixXd x(m, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < m; ++i) x(i, j) = u(gen);
  return x;
}

Eigen::VectorXi alternating_types(Eigen::Index n) {
  Eigen::VectorXi t(n);
  for (Eigen::Index j = 0; j < n; ++j) t[j] = j % 2 == 0 ? 1 : -1;
  return t;
}

// Five standard errors of a share p estimated from n samples (never below 1e-9 for p = 0 or 1).
double binomial_tolerance(double p, double n) {
  return 5 * std::sqrt(std::max(p * (1 - p), 1e-18) / n);
}

bool identical(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    for (Eigen::Index i = 0; i < a.rows(); ++i) {
      const bool both_nan = std::isnan(a(i, j)) && std::isnan(b(i, j));
      if (!both_nan && a(i, j) != b(i, j)) return false;
    }
  return true;
}

bool identical(const rm::smaa_result& a, const rm::smaa_result& b) {
  return identical(a.acceptability, b.acceptability) && identical(a.central_weights, b.central_weights) &&
         identical(a.confidence, b.confidence) && identical(a.holistic, b.holistic);
}

const std::vector<rm::method> kMethods = {rm::method::wsm,   rm::method::wpm,    rm::method::topsis,
                                          rm::method::vikor, rm::method::copras, rm::method::promethee2,
                                          rm::method::gra};

}  // namespace

TEST_CASE("mcda method names round-trip and unknown names are refused", "[mcda][robustness]") {
  for (const auto m : kMethods) CHECK(rm::parse_method(rm::to_string(m)) == m);
  CHECK(message_of([] { (void)rm::parse_method("electre"); }) ==
        "[rectify.mcda.bad_method] unknown method \"electre\"; expected one of wsm, wpm, topsis, vikor, copras, "
        "promethee2, gra");
  CHECK_FALSE(rm::higher_is_better(rm::method::vikor));
  CHECK(rm::higher_is_better(rm::method::topsis));
  for (const auto s :
       {rm::weight_sampling::uniform_simplex, rm::weight_sampling::intervals, rm::weight_sampling::dirichlet})
    CHECK(rm::parse_weight_sampling(rm::to_string(s)) == s);
  CHECK(message_of([] { (void)rm::parse_weight_sampling("box"); }) ==
        "[rectify.mcda.bad_option] weight sampling \"box\": expected \"uniform_simplex\", \"intervals\" or "
        "\"dirichlet\"");
}

TEST_CASE("mcda batch scorer equals each aggregation method for many weight vectors", "[mcda][robustness]") {
  // The batch scorer rewrites every method as a matrix product; aggregate.cpp is the reference.
  for (std::uint32_t seed = 1; seed <= 5; ++seed) {
    const Eigen::MatrixXd x = random_matrix(9, 4, seed);
    const Eigen::VectorXi types = alternating_types(4);
    const Eigen::MatrixXd w = random_matrix(4, 6, seed + 100, 0, 1);
    std::vector<rm::method_options> variants(3);
    variants[1].norm = rm::normalization::vector;
    variants[1].v = 0.2;
    variants[1].rho = 0.8;
    variants[1].functions = {{rm::preference::v_shape, 0, 3, 0},
                             {rm::preference::linear, 0.5, 2, 0},
                             {rm::preference::gaussian, 0, 0, 1.5},
                             {rm::preference::level, 1, 2, 0}};
    variants[2].norm = rm::normalization::max;
    variants[2].functions = {{rm::preference::u_shape, 1, 0, 0},
                             {rm::preference::usual, 0, 0, 0},
                             {rm::preference::usual, 0, 0, 0},
                             {rm::preference::usual, 0, 0, 0}};
    for (const auto m : kMethods)
      for (const auto& opts : variants) {
        const rm::batch_scorer scorer(m, x, types, opts);
        const Eigen::MatrixXd got = scorer.scores(w);
        REQUIRE(got.rows() == 9);
        REQUIRE(got.cols() == 6);
        for (Eigen::Index k = 0; k < w.cols(); ++k) {
          const Eigen::VectorXd expected = rm::method_scores(m, x, w.col(k), types, opts);
          for (Eigen::Index i = 0; i < x.rows(); ++i) {
            INFO(rm::to_string(m) << " seed " << seed << " weights " << k << " row " << i);
            CHECK(got(i, k) == Approx(expected[i]).margin(1e-12).epsilon(1e-12));
          }
        }
      }
  }
}

TEST_CASE("mcda batch scorer keeps WPM zeros and refuses bad weight vectors", "[mcda][robustness]") {
  // minmax gives each column's worst value a 0, which zeroes the product unless its weight is 0.
  Eigen::MatrixXd x(3, 2);
  x << 1, 5, 2, 3, 3, 4;
  const Eigen::Vector2i types(1, 1);
  const rm::batch_scorer scorer(rm::method::wpm, x, types);
  Eigen::MatrixXd w(2, 2);
  w << 0.5, 0, 0.5, 1;
  const Eigen::MatrixXd s = scorer.scores(w);
  // column 0 -> {0, 0.5, 1}, column 1 -> {1, 0, 0.5}
  CHECK(s(0, 0) == 0);
  CHECK(s(1, 0) == 0);
  CHECK(s(2, 0) == Approx(std::sqrt(0.5)));
  CHECK(s(0, 1) == Approx(1));  // criterion 0 has weight 0: its zero has no say
  CHECK(s(1, 1) == 0);
  CHECK(s(2, 1) == Approx(0.5));
  Eigen::MatrixXd bad(2, 2);
  bad << 0.5, -1, 0.5, 2;
  CHECK(message_of([&] { (void)scorer.scores(bad); }) ==
        "[rectify.mcda.bad_weights] weight vector 1: weight 0 must be finite and >= 0, not -1");
  CHECK(message_of([&] { (void)scorer.scores(Eigen::MatrixXd::Ones(3, 1)); }) ==
        "[rectify.mcda.bad_weights] got weight vectors of 3 weights for 2 criteria");
}

TEST_CASE("mcda smaa acceptability rows and columns sum to 1 without ties", "[mcda][robustness]") {
  for (const auto m : kMethods) {
    INFO(rm::to_string(m));
    const Eigen::MatrixXd x = random_matrix(7, 3, 42);
    rm::smaa_options o;
    o.m = m;
    // Vector normalisation: minmax would give each column's worst value a 0, and several WPM
    // products of 0 tie.
    o.opts.norm = rm::normalization::vector;
    o.samples = 1500;
    const rm::smaa_result r = rm::smaa(x, alternating_types(3), o);
    REQUIRE(r.acceptability.rows() == 7);
    REQUIRE(r.acceptability.cols() == 7);
    CHECK(r.samples == 1500);
    for (Eigen::Index i = 0; i < 7; ++i) {
      CHECK(r.acceptability.row(i).sum() == Approx(1).margin(1e-12));
      CHECK(r.acceptability.col(i).sum() == Approx(1).margin(1e-12));
    }
    // Each alternative that is ever first has central weights on the simplex and a confidence
    // of 0 or 1 (exact values); the others have NaN.
    for (Eigen::Index i = 0; i < 7; ++i) {
      if (r.acceptability(i, 0) > 0) {
        CHECK(r.central_weights.row(i).sum() == Approx(1).margin(1e-12));
        CHECK((r.confidence[i] == 0 || r.confidence[i] == 1));
      } else {
        CHECK(std::isnan(r.central_weights(i, 0)));
        CHECK(std::isnan(r.confidence[i]));
      }
    }
  }
}

TEST_CASE("mcda smaa gives a dominating alternative the first rank in every sample", "[mcda][robustness]") {
  // Row 2 is best on every criterion (benefit, cost, benefit), for every method and weight.
  Eigen::MatrixXd x(4, 3);
  x << 3, 5, 2,  //
      4, 6, 1,   //
      9, 1, 8,   //
      2, 7, 5;
  const Eigen::Vector3i types(1, -1, 1);
  for (const auto m : kMethods) {
    INFO(rm::to_string(m));
    rm::smaa_options o;
    o.m = m;
    o.samples = 600;
    const rm::smaa_result r = rm::smaa(x, types, o);
    CHECK(r.acceptability(2, 0) == 1);
    CHECK(r.confidence[2] == 1);
    CHECK(r.holistic[2] == 1);
    // Its central weights are the mean of every sample: the simplex centroid within noise.
    for (Eigen::Index j = 0; j < 3; ++j) CHECK(std::abs(r.central_weights(2, j) - 1.0 / 3) < 0.03);
    for (Eigen::Index i : {0, 1, 3}) CHECK(r.acceptability(i, 0) == 0);
  }
}

TEST_CASE("mcda smaa matches the exact 2-criterion WSM acceptabilities", "[mcda][robustness]") {
  // minmax: column 0 -> {1, 0, 0.6}, column 1 -> {0, 1, 0.6}; with w = (t, 1 - t), t ~ U(0, 1):
  // A = t, B = 1 - t, C = 0.6. A is first for t > 0.6, second for 0.5 < t < 0.6 (C > A > B),
  // third below 0.5; B mirrors A; C is first for 0.4 < t < 0.6 and second otherwise.
  Eigen::MatrixXd x(3, 2);
  x << 1, 0, 0, 1, 0.6, 0.6;
  rm::smaa_options o;
  o.m = rm::method::wsm;
  o.samples = 40000;
  o.seed = 7;
  const rm::smaa_result r = rm::smaa(x, Eigen::Vector2i(1, 1), o);
  Eigen::MatrixXd exact(3, 3);
  exact << 0.4, 0.1, 0.5,  //
      0.4, 0.1, 0.5,       //
      0.2, 0.8, 0.0;
  for (Eigen::Index i = 0; i < 3; ++i)
    for (Eigen::Index k = 0; k < 3; ++k) {
      INFO("alternative " << i << " rank " << k + 1);
      CHECK(std::abs(r.acceptability(i, k) - exact(i, k)) <= binomial_tolerance(exact(i, k), 40000));
    }
  // Central weights: the mean of t over (0.6, 1), (0, 0.4) and (0.4, 0.6); the standard error of
  // a uniform mean over a segment of length L from N·L samples is L/sqrt(12 N L).
  const double se_outer = 0.4 / std::sqrt(12 * 40000 * 0.4), se_middle = 0.2 / std::sqrt(12 * 40000 * 0.2);
  CHECK(std::abs(r.central_weights(0, 0) - 0.8) < 5 * se_outer);
  CHECK(std::abs(r.central_weights(1, 0) - 0.2) < 5 * se_outer);
  CHECK(std::abs(r.central_weights(2, 0) - 0.5) < 5 * se_middle);
  CHECK(r.central_weights(0, 1) == Approx(1 - r.central_weights(0, 0)));
  // WSM regions are convex, so each central weight vector keeps its alternative first.
  CHECK(r.confidence == Eigen::Vector3d(1, 1, 1));
  // Holistic acceptability with meta-weights 1, 1/2, 0.
  CHECK(r.holistic[0] == Approx(r.acceptability(0, 0) + 0.5 * r.acceptability(0, 1)));
  CHECK(std::abs(r.holistic[2] - 0.6) < 0.01);
}

TEST_CASE("mcda smaa gives tied alternatives the same competition rank", "[mcda][robustness]") {
  // Rows 0 and 1 are identical. TOPSIS with w = (t, 1 - t) gives them C = t and row 2 C = 1 - t:
  // they share rank 1 when t > 0.5 and rank 2 otherwise, so rank 3 is never theirs and the
  // column sums are no longer 1.
  Eigen::MatrixXd x(3, 2);
  x << 1, 0, 1, 0, 0, 1;
  rm::smaa_options o;
  o.m = rm::method::topsis;
  o.samples = 20000;
  const rm::smaa_result r = rm::smaa(x, Eigen::Vector2i(1, 1), o);
  CHECK(r.acceptability.row(0) == r.acceptability.row(1));
  CHECK(r.acceptability(0, 2) == 0);
  CHECK(r.acceptability(0, 0) + r.acceptability(0, 1) == Approx(1));
  CHECK(r.acceptability(2, 1) == 0);
  CHECK(std::abs(r.acceptability(0, 0) - 0.5) <= binomial_tolerance(0.5, 20000));
  CHECK(r.acceptability(2, 0) + r.acceptability(2, 2) == Approx(1));
  for (Eigen::Index i = 0; i < 3; ++i) CHECK(r.acceptability.row(i).sum() == Approx(1).margin(1e-12));
  CHECK(r.acceptability.col(0).sum() == Approx(1 + r.acceptability(0, 0)).margin(1e-12));
}

TEST_CASE("mcda smaa is the same for one and two threads and depends on the seed", "[mcda][robustness]") {
  const Eigen::MatrixXd x = random_matrix(12, 4, 3);
  const Eigen::VectorXi types = alternating_types(4);
  std::vector<rm::smaa_options> cases(4);
  cases[0].m = rm::method::topsis;
  cases[1].m = rm::method::vikor;
  cases[1].sampling = rm::weight_sampling::intervals;
  cases[1].lower = v({0.1, 0.1, 0.1, 0.1});
  cases[1].upper = v({0.5, 0.4, 0.6, 0.5});
  cases[2].m = rm::method::promethee2;
  cases[2].sampling = rm::weight_sampling::dirichlet;
  cases[2].center = v({1, 2, 3, 4});
  cases[2].concentration = 20;
  cases[3].m = rm::method::wsm;
  cases[3].x_sd = Eigen::MatrixXd::Constant(12, 4, 0.8);
  for (std::size_t c = 0; c < cases.size(); ++c) {
    INFO("case " << c);
    auto o = cases[c];
    o.samples = 1000;  // four blocks, the last one short
    o.threads = 1;
    const rm::smaa_result one = rm::smaa(x, types, o);
    o.threads = 2;
    const rm::smaa_result two = rm::smaa(x, types, o);
    o.threads = 3;
    const rm::smaa_result three = rm::smaa(x, types, o);
    CHECK(identical(one, two));
    CHECK(identical(one, three));
    o.threads = 2;
    CHECK(identical(one, rm::smaa(x, types, o)));
    o.seed = 2;
    CHECK_FALSE(identical(one, rm::smaa(x, types, o)));
  }
}

TEST_CASE("mcda smaa samples the uniform simplex with the right marginals", "[mcda][robustness]") {
  rm::smaa_options o;
  o.samples = 20000;
  const Eigen::MatrixXd w = rm::sample_weights(3, o);
  REQUIRE(w.cols() == 20000);
  CHECK(((w.colwise().sum().array() - 1).abs() < 1e-12).all());
  CHECK((w.array() >= 0).all());
  // Uniform on the 2-simplex, w0 ~ Beta(1, 2): P(w0 < 0.5) = 1 - 0.5^2 = 0.75, E[w0] = 1/3.
  const double below = (w.row(0).array() < 0.5).cast<double>().mean();
  CHECK(std::abs(below - 0.75) <= binomial_tolerance(0.75, 20000));
  CHECK(std::abs(w.row(1).mean() - 1.0 / 3) < 5 * std::sqrt(1.0 / 18 / 20000));
  // SMAA uses exactly these weights: in this WSM (column 2 is constant, so minmax makes it 1 for
  // both) row 0 is first exactly when w0 > w1.
  Eigen::MatrixXd x(2, 3);
  x << 1, 0, 0.5, 0, 1, 0.5;
  o.m = rm::method::wsm;
  const rm::smaa_result r = rm::smaa(x, Eigen::Vector3i(1, 1, 1), o);
  CHECK(r.acceptability(0, 0) == Approx((w.row(0).array() > w.row(1).array()).cast<double>().mean()));
}

TEST_CASE("mcda smaa interval sampling stays inside the bounds", "[mcda][robustness]") {
  rm::smaa_options o;
  o.sampling = rm::weight_sampling::intervals;
  o.lower = v({0.1, 0.2, 0.0, 0.05});
  o.upper = v({0.3, 0.5, 0.4, 0.2});
  o.samples = 5000;
  const Eigen::MatrixXd w = rm::sample_weights(4, o);
  for (Eigen::Index k = 0; k < w.cols(); ++k) {
    CHECK(w.col(k).sum() == Approx(1).margin(1e-12));
    CHECK(((w.col(k) - o.lower).array() >= -1e-15).all());
    CHECK(((o.upper - w.col(k)).array() >= -1e-15).all());
  }
  // The box is filled, not only its centre: each bound is approached.
  for (Eigen::Index j = 0; j < 4; ++j) {
    CHECK(w.row(j).minCoeff() < o.lower[j] + 0.03);
    CHECK(w.row(j).maxCoeff() > o.upper[j] - 0.03);
  }
  // A box touching the simplex in one point gives that point.
  o.lower = v({0.2, 0.3, 0.5, 0});
  o.upper = v({0.9, 0.9, 0.9, 0.9});
  const Eigen::MatrixXd fixed = rm::sample_weights(4, o);
  CHECK((fixed.col(17) - v({0.2, 0.3, 0.5, 0})).norm() < 1e-15);
}

TEST_CASE("mcda smaa dirichlet samples are centred on the given weights", "[mcda][robustness]") {
  rm::smaa_options o;
  o.sampling = rm::weight_sampling::dirichlet;
  o.center = v({2, 5, 3, 0});  // rescaled to 0.2, 0.5, 0.3, 0
  o.concentration = 50;
  o.samples = 20000;
  const Eigen::MatrixXd w = rm::sample_weights(4, o);
  const Eigen::VectorXd c = v({0.2, 0.5, 0.3, 0});
  for (Eigen::Index j = 0; j < 3; ++j) {
    const double var = c[j] * (1 - c[j]) / (o.concentration + 1);
    const Eigen::ArrayXd row = w.row(j).transpose().array();
    CHECK(std::abs(row.mean() - c[j]) < 5 * std::sqrt(var / 20000));
    CHECK((row - row.mean()).square().mean() == Approx(var).epsilon(0.05));
  }
  CHECK((w.row(3).array() == 0).all());
  // A small concentration (shape < 1 draws) stays on the simplex too.
  o.concentration = 0.5;
  const Eigen::MatrixXd spread = rm::sample_weights(4, o);
  CHECK(((spread.colwise().sum().array() - 1).abs() < 1e-12).all());
  CHECK(std::abs(spread.row(1).mean() - 0.5) < 5 * std::sqrt(0.25 / 1.5 / 20000));
}

TEST_CASE("mcda smaa confidence factors with uncertain criterion values", "[mcda][robustness]") {
  // One criterion, A = 0 exactly, B = 0.5 + z: B is first with probability Phi(0.5) = 0.691462,
  // both in the acceptability and, with the only weight vector (1), in the confidence factor.
  Eigen::MatrixXd x(2, 1);
  x << 0, 0.5;
  rm::smaa_options o;
  o.m = rm::method::wsm;
  o.samples = 20000;
  o.x_sd = Eigen::MatrixXd(2, 1);
  o.x_sd << 0, 1;
  const rm::smaa_result r = rm::smaa(x, Eigen::VectorXi::Ones(1), o);
  const double phi = 0.6914624612740131;
  CHECK(std::abs(r.acceptability(1, 0) - phi) <= binomial_tolerance(phi, 20000));
  CHECK(std::abs(r.confidence[1] - phi) <= binomial_tolerance(phi, 20000));
  CHECK(std::abs(r.confidence[0] - (1 - phi)) <= binomial_tolerance(phi, 20000));
  // The confidence stream is independent of the weight stream: not the same count.
  CHECK(r.confidence[1] != r.acceptability(1, 0));
}

TEST_CASE("mcda smaa refuses bad input with a clear message", "[mcda][robustness]") {
  Eigen::MatrixXd x = random_matrix(3, 2, 5);
  const Eigen::Vector2i types(1, -1);
  rm::smaa_options o;
  o.samples = 100;
  Eigen::MatrixXd nan = x;
  nan(1, 0) = std::numeric_limits<double>::quiet_NaN();
  CHECK(message_of([&] { (void)rm::smaa(nan, types, o); }) ==
        "[rectify.mcda.not_finite] the decision matrix: row 1, column 0: NaN (every value must be a finite number)");
  auto bad = o;
  bad.samples = 0;
  CHECK(message_of([&] { (void)rm::smaa(x, types, bad); }) ==
        "[rectify.mcda.bad_option] SMAA needs at least one sample, not samples = 0");
  bad = o;
  bad.sampling = rm::weight_sampling::intervals;
  bad.lower = v({0.5, 0.2});
  bad.upper = v({0.4, 0.9});
  CHECK(message_of([&] { (void)rm::smaa(x, types, bad); }) ==
        "[rectify.mcda.bad_option] intervals: criterion 0: bounds must satisfy 0 <= lower <= upper <= 1, not [0.5, "
        "0.4]");
  bad.lower = v({0.6, 0.5});
  bad.upper = v({0.9, 0.9});
  CHECK(message_of([&] { (void)rm::smaa(x, types, bad); }) ==
        "[rectify.mcda.bad_option] intervals: the lower bounds sum to 1.1 > 1, so the box misses the weight simplex");
  bad.lower = v({0.1, 0.1});
  bad.upper = v({0.3, 0.6});
  CHECK(message_of([&] { (void)rm::smaa(x, types, bad); }) ==
        "[rectify.mcda.bad_option] intervals: the upper bounds sum to 0.9 < 1, so the box misses the weight simplex");
  bad.lower = v({0.1});
  CHECK(message_of([&] { (void)rm::smaa(x, types, bad); }) ==
        "[rectify.mcda.bad_option] intervals: got 1 lower and 2 upper bounds for 2 criteria");
  // Twenty criteria each within 0.045..0.0505 of a 0.05 share: inside the simplex, but almost
  // none of its volume.
  bad.lower = Eigen::VectorXd::Constant(20, 0.045);
  bad.upper = Eigen::VectorXd::Constant(20, 0.0505);
  const std::string hopeless = message_of([&] { (void)rm::sample_weights(20, bad); });
  CHECK(hopeless.rfind("[rectify.mcda.bad_option] intervals: only ", 0) == 0);
  CHECK(hopeless.find("rejection sampling is hopeless") != std::string::npos);
  bad = o;
  bad.sampling = rm::weight_sampling::dirichlet;
  bad.center = v({1, 1});
  bad.concentration = 0;
  CHECK(message_of([&] { (void)rm::smaa(x, types, bad); }) ==
        "[rectify.mcda.bad_option] dirichlet: the concentration must be a finite number > 0, not 0");
  bad.concentration = 10;
  bad.center = v({-1, 1});
  CHECK(message_of([&] { (void)rm::smaa(x, types, bad); }) ==
        "[rectify.mcda.bad_option] dirichlet: centre weight 0 must be finite and >= 0, not -1");
  bad = o;
  bad.x_sd = Eigen::MatrixXd::Ones(2, 2);
  CHECK(message_of([&] { (void)rm::smaa(x, types, bad); }) ==
        "[rectify.mcda.bad_option] x_sd is 2 x 2 but the decision matrix is 3 x 2");
  bad.x_sd = Eigen::MatrixXd::Ones(3, 2);
  bad.x_sd(2, 1) = -0.5;
  CHECK(message_of([&] { (void)rm::smaa(x, types, bad); }) ==
        "[rectify.mcda.bad_option] x_sd: row 2, column 1: a standard deviation must be >= 0, not -0.5");
  bad = o;
  bad.m = rm::method::vikor;
  bad.opts.v = 2;
  CHECK(message_of([&] { (void)rm::smaa(x, types, bad); }) ==
        "[rectify.mcda.bad_option] VIKOR v must be between 0 and 1, not 2");
  // A method refusing a sampled matrix says so.
  bad = o;
  bad.m = rm::method::copras;
  bad.x_sd = Eigen::MatrixXd::Constant(3, 2, 100);
  CHECK(message_of([&] {
          (void)rm::smaa(x, types, bad);
        }).rfind("[rectify.mcda.bad_matrix] with x_sd, a sampled decision matrix was refused", 0) == 0);
}

namespace {

struct crossing {
  std::optional<double> down, up;
  std::optional<Eigen::Index> first_down, first_up;
};

// WSM along wⱼ = t: scoreᵢ(t) = t aᵢ + (1 − t) bᵢ with aᵢ = nᵢⱼ and bᵢ the rescaled rest. The
// outcome watched for alternatives p (reference) and q changes where the two lines cross.
double crossing_point(const Eigen::VectorXd& a, const Eigen::VectorXd& b, Eigen::Index p, Eigen::Index q) {
  const double slope = (a[q] - b[q]) - (a[p] - b[p]);
  return slope == 0 ? std::numeric_limits<double>::quiet_NaN() : (b[p] - b[q]) / slope;
}

crossing wsm_closed_form(const Eigen::MatrixXd& n, const Eigen::VectorXd& w, Eigen::Index j,
                         std::optional<std::pair<Eigen::Index, Eigen::Index>> pair) {
  const Eigen::VectorXd a = n.col(j);
  Eigen::VectorXd rest = w;
  rest[j] = 0;
  const Eigen::VectorXd b = n * rest / (1 - w[j]);
  crossing out;
  const auto consider = [&](Eigen::Index p, Eigen::Index q) {
    const double t = crossing_point(a, b, p, q);
    if (std::isnan(t)) return;
    if (t > w[j] && t <= 1 && (!out.up || t - w[j] < *out.up)) {
      out.up = t - w[j];
      out.first_up = q;
    }
    if (t < w[j] && t >= 0 && (!out.down || t - w[j] > *out.down)) {
      out.down = t - w[j];
      out.first_down = q;
    }
  };
  if (pair) {
    consider(pair->first, pair->second);
  } else {
    Eigen::Index first = 0;
    (void)(n * w).maxCoeff(&first);
    for (Eigen::Index q = 0; q < n.rows(); ++q)
      if (q != first) consider(first, q);
  }
  return out;
}

void check_same(const std::optional<double>& got, const std::optional<double>& expected) {
  REQUIRE(got.has_value() == expected.has_value());
  if (expected) CHECK(std::abs(*got - *expected) < 1e-9);
}

}  // namespace

TEST_CASE("mcda sensitivity of WSM matches the closed form", "[mcda][robustness]") {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    const Eigen::MatrixXd x = random_matrix(6, 4, seed);
    const Eigen::VectorXi types = alternating_types(4);
    Eigen::VectorXd w = random_matrix(4, 1, seed + 50, 0.1, 1).col(0);
    w /= w.sum();
    const Eigen::MatrixXd n = rm::normalize(x, types, rm::normalization::minmax);
    const auto got = rm::sensitivity(x, w, types);  // WSM is the default method
    REQUIRE(got.size() == 4);
    for (Eigen::Index j = 0; j < 4; ++j) {
      INFO("seed " << seed << " criterion " << j);
      const auto& c = got[static_cast<std::size_t>(j)];
      const crossing expected = wsm_closed_form(n, w, j, std::nullopt);
      CHECK(c.weight == Approx(w[j]));
      check_same(c.decrease, expected.down);
      check_same(c.increase, expected.up);
      CHECK(c.new_first_down == expected.first_down);
      CHECK(c.new_first_up == expected.first_up);
    }
  }
}

TEST_CASE("mcda sensitivity of a pair's order matches the closed form", "[mcda][robustness]") {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    const Eigen::MatrixXd x = random_matrix(5, 3, seed + 7);
    const Eigen::VectorXi types = alternating_types(3);
    const Eigen::VectorXd w = v({0.5, 0.3, 0.2});
    const Eigen::MatrixXd n = rm::normalize(x, types, rm::normalization::minmax);
    rm::sensitivity_options o;
    o.m = rm::method::wsm;
    o.pair = std::make_pair(Eigen::Index{1}, Eigen::Index{3});
    const auto got = rm::sensitivity(x, w, types, o);
    for (Eigen::Index j = 0; j < 3; ++j) {
      INFO("seed " << seed << " criterion " << j);
      const auto& c = got[static_cast<std::size_t>(j)];
      const crossing expected = wsm_closed_form(n, w, j, o.pair);
      check_same(c.decrease, expected.down);
      check_same(c.increase, expected.up);
      CHECK_FALSE(c.new_first_down);
      CHECK_FALSE(c.new_first_up);
    }
  }
}

TEST_CASE("mcda sensitivity thresholds are where the first rank changes for every method", "[mcda][robustness]") {
  const Eigen::MatrixXd x = random_matrix(6, 3, 11);
  const Eigen::VectorXi types = alternating_types(3);
  const Eigen::VectorXd w = v({0.4, 0.35, 0.25});
  for (const auto m : kMethods) {
    rm::sensitivity_options o;
    o.m = m;
    const auto got = rm::sensitivity(x, w, types, o);
    const bool higher = rm::higher_is_better(m);
    const auto first_at = [&](Eigen::Index j, double t) {
      Eigen::VectorXd moved = w * ((1 - t) / (1 - w[j]));
      moved[j] = t;
      const Eigen::VectorXd s = rm::method_scores(m, x, moved, types);
      Eigen::Index best = 0;
      (void)(higher ? s.maxCoeff(&best) : s.minCoeff(&best));
      return best;
    };
    const Eigen::Index base = first_at(0, w[0]);
    for (Eigen::Index j = 0; j < 3; ++j) {
      INFO(rm::to_string(m) << " criterion " << j);
      const auto& c = got[static_cast<std::size_t>(j)];
      for (const auto& [delta, first] :
           {std::pair{c.decrease, c.new_first_down}, std::pair{c.increase, c.new_first_up}}) {
        if (!delta) continue;
        const double t = w[j] + *delta;
        CHECK(first_at(j, t) == *first);
        CHECK(*first != base);
        // Just short of the threshold (by more than the tolerance) the first is unchanged.
        CHECK(first_at(j, t - (*delta > 0 ? 1e-7 : -1e-7)) == base);
      }
    }
  }
}

TEST_CASE("mcda sensitivity edge cases and errors", "[mcda][robustness]") {
  // One criterion: nothing can change.
  Eigen::MatrixXd x1(3, 1);
  x1 << 1, 2, 3;
  const auto one = rm::sensitivity(x1, v({1}), Eigen::VectorXi::Ones(1));
  REQUIRE(one.size() == 1);
  CHECK(one[0].weight == 1);
  CHECK_FALSE(one[0].decrease);
  CHECK_FALSE(one[0].increase);
  // A dominating alternative stays first for every weight.
  Eigen::MatrixXd x(3, 2);
  x << 5, 5, 1, 2, 2, 1;
  const auto dom = rm::sensitivity(x, v({0.5, 0.5}), Eigen::Vector2i(1, 1));
  for (const auto& c : dom) {
    CHECK_FALSE(c.decrease);
    CHECK_FALSE(c.increase);
  }
  // w = (1, 0): lowering w0 spreads the rest equally (here to the only other criterion). Row 0
  // dominates, so watch the pair (1, 2).
  rm::sensitivity_options o;
  o.pair = std::make_pair(Eigen::Index{1}, Eigen::Index{2});
  const auto ends = rm::sensitivity(x, v({1, 0}), Eigen::Vector2i(1, 1), o);
  // minmax: column 0 -> {1, 0, 0.25}, column 1 -> {1, 0.25, 0}; row 1 = 0.25(1 - t), row 2 = 0.25 t,
  // crossing at t = 0.5.
  REQUIRE(ends[0].decrease);
  CHECK(*ends[0].decrease == Approx(-0.5).margin(1e-9));
  CHECK_FALSE(ends[0].increase);
  REQUIRE(ends[1].increase);
  CHECK(*ends[1].increase == Approx(0.5).margin(1e-9));

  CHECK(message_of([&] {
          (void)rm::sensitivity(x, v({0.5, -0.5}), Eigen::Vector2i(1, 1));
        }) == "[rectify.mcda.bad_weights] weight 1 must be finite and >= 0, not -0.5");
  o.pair = std::make_pair(Eigen::Index{1}, Eigen::Index{3});
  CHECK(message_of([&] {
          (void)rm::sensitivity(x, v({0.5, 0.5}), Eigen::Vector2i(1, 1), o);
        }) == "[rectify.mcda.bad_option] pair: alternative 3 is out of range (the matrix has 3 rows, 0-based)");
  o.pair = std::make_pair(Eigen::Index{1}, Eigen::Index{1});
  CHECK(message_of([&] {
          (void)rm::sensitivity(x, v({0.5, 0.5}), Eigen::Vector2i(1, 1), o);
        }) == "[rectify.mcda.bad_option] pair: the two alternatives must differ, not both 1");
  o.pair.reset();
  o.steps = 0;
  CHECK(message_of([&] {
          (void)rm::sensitivity(x, v({0.5, 0.5}), Eigen::Vector2i(1, 1), o);
        }) == "[rectify.mcda.bad_option] sensitivity needs at least one scan step, not steps = 0");
  Eigen::MatrixXd nan = x;
  nan(0, 1) = std::numeric_limits<double>::infinity();
  CHECK(message_of([&] {
          (void)rm::sensitivity(nan, v({0.5, 0.5}), Eigen::Vector2i(1, 1));
        }) ==
        "[rectify.mcda.not_finite] the decision matrix: row 0, column 1: infinite (every value must be a finite "
        "number)");
}
