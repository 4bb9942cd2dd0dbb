// The streaming implementations of topsis, vikor and entropy (src/mcda, docs/benchmarks.md)
// against straightforward reference formulations written here from the formulas of mcda.md:
// normalise the whole matrix, weight it, take column maxima and minima, then row norms (TOPSIS);
// terms, sums, maxima and a stable sort by Q (VIKOR); p = x/sum and -sum p ln p in long double
// (entropy). The matrices cross the kernels' 2048-row blocks, have constant columns, zero
// weights, zeros, ties, subnormal and huge values; bad cells sit in later blocks.
#include <Eigen/Core>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/mcda/aggregate.hpp"
#include "rectify/mcda/normalize.hpp"
#include "rectify/mcda/weights.hpp"
#include "support.hpp"

namespace rm = rectify::mcda;
using rectify::test::message_of;

namespace {

// |got - want| <= max(rel |want|, abs) everywhere: relative, with an absolute floor near 0.
void check_near(const Eigen::VectorXd& got, const Eigen::VectorXd& want, double rel, double abs) {
  REQUIRE(got.size() == want.size());
  double worst = 0;  // the error as a multiple of its allowance
  Eigen::Index where = 0;
  for (Eigen::Index i = 0; i < got.size(); ++i) {
    const double err = std::abs(got[i] - want[i]) / std::max(rel * std::abs(want[i]), abs);
    if (!(err <= worst)) worst = err, where = i;
  }
  INFO("worst at " << where << ": got " << got[where] << ", want " << want[where]);
  CHECK(worst <= 1.0);
}

rm::topsis_result reference_topsis(const Eigen::MatrixXd& x, const Eigen::VectorXd& weights,
                                   const Eigen::VectorXi& types, rm::normalization norm) {
  const Eigen::VectorXd w = weights / weights.sum();
  const Eigen::MatrixXd v = rm::normalize(x, types, norm) * w.asDiagonal();
  const Eigen::RowVectorXd ideal = v.colwise().maxCoeff(), anti = v.colwise().minCoeff();
  rm::topsis_result out{Eigen::VectorXd(x.rows()), Eigen::VectorXd(x.rows()), Eigen::VectorXd(x.rows())};
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    out.d_plus[i] = (v.row(i) - ideal).norm();
    out.d_minus[i] = (v.row(i) - anti).norm();
    const double total = out.d_plus[i] + out.d_minus[i];
    out.closeness[i] = total > 0 ? out.d_minus[i] / total : 1.0;
  }
  return out;
}

rm::vikor_result reference_vikor(const Eigen::MatrixXd& x, const Eigen::VectorXd& weights, const Eigen::VectorXi& types,
                                 double v) {
  const Eigen::VectorXd w = weights / weights.sum();
  const Eigen::Index m = x.rows();
  rm::vikor_result out{Eigen::VectorXd::Zero(m), Eigen::VectorXd::Zero(m), Eigen::VectorXd::Zero(m), {}};
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double hi = x.col(j).maxCoeff(), lo = x.col(j).minCoeff();
    if (!(hi > lo)) continue;
    const double best = types[j] == 1 ? hi : lo, worst = types[j] == 1 ? lo : hi;
    for (Eigen::Index i = 0; i < m; ++i) {
      const double term = w[j] * (best - x(i, j)) / (best - worst);
      out.s[i] += term;
      out.r[i] = std::max(out.r[i], term);
    }
  }
  const double s_best = out.s.minCoeff(), s_worst = out.s.maxCoeff();
  const double r_best = out.r.minCoeff(), r_worst = out.r.maxCoeff();
  for (Eigen::Index i = 0; i < m; ++i)
    out.q[i] = v * (s_worst > s_best ? (out.s[i] - s_best) / (s_worst - s_best) : 0.0) +
               (1 - v) * (r_worst > r_best ? (out.r[i] - r_best) / (r_worst - r_best) : 0.0);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(m));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return out.q[a] < out.q[b]; });
  const Eigen::Index a1 = order[0];
  if (m == 1) {
    out.compromise = {a1};
    return out;
  }
  const double dq = 1.0 / static_cast<double>(m - 1), tol = 1e-12;
  const bool advantage = out.q[order[1]] - out.q[a1] >= dq - tol;
  const bool stability = out.s[a1] <= s_best + tol || out.r[a1] <= r_best + tol;
  if (advantage)
    out.compromise = stability ? std::vector<Eigen::Index>{a1} : std::vector<Eigen::Index>{a1, order[1]};
  else
    for (const Eigen::Index a : order)
      if (out.q[a] - out.q[a1] < dq - tol) out.compromise.push_back(a);
  return out;
}

// e_j in long double straight from the definition.
Eigen::VectorXd reference_entropy(const Eigen::MatrixXd& x) {
  Eigen::VectorXd e(x.cols());
  const long double log_m = std::log(static_cast<long double>(x.rows()));
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (x.col(j).maxCoeff() == x.col(j).minCoeff()) {
      e[j] = 1;
      continue;
    }
    long double total = 0, h = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) total += x(i, j);
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const long double p = static_cast<long double>(x(i, j)) / total;
      if (p > 0) h -= p * std::log(p);
    }
    e[j] = static_cast<double>(h / log_m);
  }
  return e;
}

struct generated {
  Eigen::MatrixXd x;
  Eigen::VectorXd w;
  Eigen::VectorXi t;
};

// Columns of several kinds: continuous on a random scale, a few distinct levels (ties), mostly
// zero counts, constant; some weights 0.
generated generate(unsigned seed, Eigen::Index m, Eigen::Index n) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  generated g{Eigen::MatrixXd(m, n), Eigen::VectorXd(n), Eigen::VectorXi(n)};
  for (Eigen::Index j = 0; j < n; ++j) {
    const int kind = static_cast<int>(gen() % 5);
    const double scale = std::pow(10.0, std::floor(u(gen) * 8) - 3), shift = kind == 0 ? u(gen) * scale : 0.0;
    for (Eigen::Index i = 0; i < m; ++i) {
      switch (kind) {
        case 0:
        case 1:
          g.x(i, j) = shift + scale * u(gen);
          break;
        case 2:
          g.x(i, j) = scale * std::floor(u(gen) * 4);
          break;
        case 3:
          g.x(i, j) = u(gen) < 0.9 ? 0.0 : std::floor(u(gen) * 5);
          break;
        default:
          g.x(i, j) = scale;
          break;
      }
    }
    g.w[j] = gen() % 4 == 0 ? 0.0 : 0.5 + u(gen);
    g.t[j] = gen() % 2 == 0 ? 1 : -1;
  }
  if (!(g.w.sum() > 0)) g.w[0] = 1;
  return g;
}

const Eigen::Index kSizes[] = {1, 2, 3, 7, 2047, 2048, 2049, 5000};

}  // namespace

TEST_CASE("mcda kernels: topsis matches the whole-matrix formulation", "[mcda]") {
  unsigned seed = 0;
  for (const Eigen::Index m : kSizes)
    for (int rep = 0; rep < 4; ++rep) {
      ++seed;
      const auto g = generate(seed, m, 1 + static_cast<Eigen::Index>(seed % 9));
      for (const auto norm : {rm::normalization::minmax, rm::normalization::vector, rm::normalization::max}) {
        INFO("seed " << seed << ", m " << m << ", " << rm::to_string(norm));
        const bool zero_column = norm != rm::normalization::minmax && (g.x.colwise().maxCoeff().array() == 0).any();
        if (zero_column) {
          CHECK(message_of([&] {
                  (void)rm::topsis(g.x, g.w, g.t, norm);
                }).rfind("[rectify.mcda.bad_matrix] column ", 0) == 0);
          continue;
        }
        const auto got = rm::topsis(g.x, g.w, g.t, norm);
        const auto want = reference_topsis(g.x, g.w, g.t, norm);
        // distances are sums of squares of terms up to the weight: relative 1e-12 with a floor
        check_near(got.d_plus, want.d_plus, 1e-12, 1e-15);
        check_near(got.d_minus, want.d_minus, 1e-12, 1e-15);
        check_near(got.closeness, want.closeness, 1e-11, 1e-14);
      }
    }
}

TEST_CASE("mcda kernels: vikor matches the straightforward formulation, compromise set included", "[mcda]") {
  unsigned seed = 100;
  for (const Eigen::Index m : kSizes)
    for (int rep = 0; rep < 4; ++rep) {
      ++seed;
      auto g = generate(seed, m, 1 + static_cast<Eigen::Index>(seed % 7));
      if (rep == 3 && m > 3) {
        // duplicated rows: ties in Q, settled in input order
        for (Eigen::Index i = 1; i < m; i += 2) g.x.row(i) = g.x.row(i - 1);
      }
      for (const double v : {0.0, 0.5, 0.8, 1.0}) {
        INFO("seed " << seed << ", m " << m << ", v " << v);
        const auto got = rm::vikor(g.x, g.w, g.t, v);
        const auto want = reference_vikor(g.x, g.w, g.t, v);
        check_near(got.s, want.s, 1e-13, 1e-15);
        check_near(got.r, want.r, 1e-13, 1e-15);
        check_near(got.q, want.q, 1e-12, 1e-14);
        CHECK(got.compromise == want.compromise);
      }
    }
}

TEST_CASE("mcda kernels: vikor compromise sets of every kind on large inputs", "[mcda]") {
  // One benefit column: S = R = (max - x)/(max - min), so Q = (max - x)/(max - min) as well.
  const Eigen::Index m = 6001;
  Eigen::MatrixXd x(m, 1);
  for (Eigen::Index i = 0; i < m; ++i) x(i, 0) = static_cast<double>((i * 7919) % m);  // a permutation of 0..m-1
  const Eigen::VectorXd w = Eigen::VectorXd::Ones(1);
  const Eigen::VectorXi t = Eigen::VectorXi::Ones(1);
  // Q steps by exactly DQ = 1/(m - 1): the advantage holds (within 1e-12) and the best is stable
  auto r = rm::vikor(x, w, t);
  REQUIRE(r.compromise.size() == 1);
  CHECK(x(r.compromise[0], 0) == static_cast<double>(m - 1));
  CHECK(r.compromise == reference_vikor(x, w, t, 0.5).compromise);
  // the best three tie: no advantage, the set is every alternative within DQ, best Q first
  for (Eigen::Index i = 0; i < m; ++i)
    if (x(i, 0) >= static_cast<double>(m - 3)) x(i, 0) = static_cast<double>(m);
  r = rm::vikor(x, w, t);
  CHECK(r.compromise.size() == 3);
  CHECK(std::is_sorted(r.compromise.begin(), r.compromise.end()));
  CHECK(r.compromise == reference_vikor(x, w, t, 0.5).compromise);
}

TEST_CASE("mcda kernels: entropy agrees with the definition evaluated in long double", "[mcda]") {
  unsigned seed = 200;
  for (const Eigen::Index m : kSizes) {
    if (m < 2) continue;
    for (int rep = 0; rep < 4; ++rep) {
      ++seed;
      auto g = generate(seed, m, 1 + static_cast<Eigen::Index>(seed % 9));
      g.x = g.x.cwiseAbs();
      INFO("seed " << seed << ", m " << m);
      const auto got = rm::entropy(g.x);
      const Eigen::VectorXd e = reference_entropy(g.x);
      check_near(got.entropy, e, 0, 2e-15);  // absolute: e is in [0, 1]
      const Eigen::VectorXd d = (1.0 - e.array()).max(0.0);
      if (d.sum() > 0) {
        // 1 - e is computed directly, so the weights are accurate relative to their own size
        check_near(got.weights, d / d.sum(), 1e-12, 1e-15);
      }
    }
  }
}

TEST_CASE("mcda kernels: entropy with tiny, subnormal, huge and near-uniform values", "[mcda]") {
  const Eigen::Index m = 4500;
  Eigen::MatrixXd x(m, 5);
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(0.5, 1.5);
  for (Eigen::Index i = 0; i < m; ++i) {
    x(i, 0) = u(gen) * 1e-300;                                      // tiny but normal
    x(i, 1) = i % 3 == 0 ? 0.0 : u(gen) * 4.9e-324 * 1000;          // subnormal
    x(i, 2) = u(gen) * 1e300;                                       // huge (the sum is finite)
    x(i, 3) = 1.0 + 1e-6 * u(gen);                                  // 1 - e of order 1e-13
    x(i, 4) = i == m - 1 ? 5.0 : (i % 2 == 0 ? 1e-320 : 2.5e-310);  // mixed
  }
  const auto got = rm::entropy(x);
  const Eigen::VectorXd e = reference_entropy(x);
  check_near(got.entropy, e, 0, 2e-15);
  // the near-uniform column: 1 - e is tiny; computed as a divergence it keeps its digits
  const double d3 = 1.0 - e[3];
  CHECK(std::abs((1.0 - got.entropy[3]) - d3) <= 1e-15);
  CHECK(got.weights.sum() == Approx(1.0).epsilon(1e-14));
}

TEST_CASE("mcda kernels: a bad cell in a later block is named exactly, checks keep their order", "[mcda]") {
  const Eigen::Index m = 5000;
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(m, 3);
  for (Eigen::Index i = 0; i < m; ++i) x(i, 1) = static_cast<double>(i % 17);
  const Eigen::VectorXd w = Eigen::VectorXd::Ones(3);
  const Eigen::VectorXi t = Eigen::VectorXi::Ones(3);
  x(4321, 2) = std::numeric_limits<double>::infinity();
  x(4000, 1) = std::numeric_limits<double>::quiet_NaN();
  const std::string nan =
      "[rectify.mcda.not_finite] the decision matrix: row 4000, column 1: NaN (every value must be a finite number)";
  CHECK(message_of([&] { (void)rm::topsis(x, w, t); }) == nan);
  CHECK(message_of([&] { (void)rm::topsis(x, w, t, rm::normalization::vector); }) == nan);
  CHECK(message_of([&] { (void)rm::vikor(x, w, t); }) == nan);
  CHECK(message_of([&] { (void)rm::entropy(x); }) == nan);
  CHECK(message_of([&] { rm::check_finite(x); }) == nan);
  // the finiteness error comes before bad weights and bad types, as in the straightforward order
  const Eigen::VectorXd negative = -w;
  CHECK(message_of([&] { (void)rm::topsis(x, negative, t); }) == nan);
  CHECK(message_of([&] { (void)rm::vikor(x, w, Eigen::VectorXi::Zero(3)); }) == nan);
  x(4000, 1) = 3;
  CHECK(message_of([&] { (void)rm::vikor(x, w, t); }) ==
        "[rectify.mcda.not_finite] the decision matrix: row 4321, column 2: infinite (every value must be a finite "
        "number)");
  x(4321, 2) = 1;
  x(3333, 1) = -2;
  CHECK(message_of([&] { (void)rm::entropy(x); }) ==
        "[rectify.mcda.bad_matrix] row 3333, column 1: entropy weights refuse a negative value (-2)");
  x.col(1).setZero();
  CHECK(message_of([&] { (void)rm::topsis(x, w, t, rm::normalization::vector); }) ==
        "[rectify.mcda.bad_matrix] column 1: vector normalisation refuses an all-zero column");
}

TEST_CASE("mcda kernels: finite values whose sum overflows are not mistaken for infinities", "[mcda]") {
  Eigen::MatrixXd x(3000, 2);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    x(i, 0) = (i % 2 == 0 ? 1.5e308 : 1e308);
    x(i, 1) = static_cast<double>(i);
  }
  const Eigen::VectorXd w = Eigen::VectorXd::Ones(2);
  const Eigen::VectorXi t = Eigen::VectorXi::Ones(2);
  CHECK_NOTHROW(rm::check_finite(x));
  const auto got = rm::topsis(x, w, t);
  const auto want = reference_topsis(x, w, t, rm::normalization::minmax);
  check_near(got.closeness, want.closeness, 1e-12, 1e-15);
  const auto v = rm::vikor(x, w, t);
  CHECK(v.compromise == reference_vikor(x, w, t, 0.5).compromise);
  const auto e = rm::entropy(x);
  CHECK(std::isfinite(e.entropy[0]));
  CHECK(e.weights.sum() == Approx(1.0));
}
