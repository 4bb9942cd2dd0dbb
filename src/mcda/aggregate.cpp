#include "rectify/mcda/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

#include "rectify/core/error.hpp"

namespace rectify::mcda {

namespace {

constexpr double kTolerance = 1e-12;

// Numbers in messages as the user wrote them (common.cpp does the same), not std::to_string's
// fixed six decimals.
void check_inputs(const matrix_ref& x, const types_ref& types) {
  if (x.rows() == 0 || x.cols() == 0)  // the same message as normalize()
    raise("rectify.mcda.bad_matrix", "", "the decision matrix is empty (it needs at least one row and one column)");
  check_finite(x);
  check_types(types, x.cols());
}

Eigen::VectorXd weighted_sum(const Eigen::MatrixXd& n, const Eigen::VectorXd& w) {
  return n * w;
}

Eigen::VectorXd weighted_product(const Eigen::MatrixXd& n, const Eigen::VectorXd& w) {
  Eigen::VectorXd out = Eigen::VectorXd::Ones(n.rows());
  for (Eigen::Index i = 0; i < n.rows(); ++i)
    for (Eigen::Index j = 0; j < n.cols(); ++j) {
      if (n(i, j) < 0)
        raise("rectify.mcda.bad_matrix", "",
              "row " + std::to_string(i) + ", column " + std::to_string(j) +
                  ": WPM needs normalised values >= 0, not " + number_text(n(i, j)));
      if (w[j] == 0) continue;  // a criterion without weight has no say, even at a normalised 0
      out[i] *= n(i, j) == 0 ? 0.0 : std::pow(n(i, j), w[j]);
    }
  return out;
}

void check_option(bool ok, const std::string& message) {
  if (!ok) raise("rectify.mcda.bad_option", "", message);
}

double preference_value(const preference_function& f, double d) {
  switch (f.kind) {
    case preference::usual:
      return d > 0 ? 1.0 : 0.0;
    case preference::u_shape:
      return d > f.q ? 1.0 : 0.0;
    case preference::v_shape:
      return d <= 0 ? 0.0 : (d < f.p ? d / f.p : 1.0);
    case preference::level:
      return d <= f.q ? 0.0 : (d <= f.p ? 0.5 : 1.0);
    case preference::linear:
      return d <= f.q ? 0.0 : (d <= f.p ? (d - f.q) / (f.p - f.q) : 1.0);
    case preference::gaussian:
      return d <= 0 ? 0.0 : 1.0 - std::exp(-d * d / (2 * f.s * f.s));
  }
  return 0.0;
}

}  // namespace

Eigen::VectorXd wsm(const matrix_ref& x, const vector_ref& weights, const types_ref& types, normalization norm) {
  check_inputs(x, types);
  const Eigen::VectorXd w = normalized_weights(weights, x.cols());
  return weighted_sum(normalize(x, types, norm), w);
}

Eigen::VectorXd wpm(const matrix_ref& x, const vector_ref& weights, const types_ref& types, normalization norm) {
  check_inputs(x, types);
  const Eigen::VectorXd w = normalized_weights(weights, x.cols());
  return weighted_product(normalize(x, types, norm), w);
}

Eigen::VectorXd wsm_normalized(const matrix_ref& n, const vector_ref& weights) {
  check_finite(n, "the normalised matrix");
  return weighted_sum(n, normalized_weights(weights, n.cols()));
}

Eigen::VectorXd wpm_normalized(const matrix_ref& n, const vector_ref& weights) {
  check_finite(n, "the normalised matrix");
  return weighted_product(n, normalized_weights(weights, n.cols()));
}

topsis_result topsis(const matrix_ref& x, const vector_ref& weights, const types_ref& types, normalization norm) {
  check_inputs(x, types);
  const Eigen::VectorXd w = normalized_weights(weights, x.cols());
  const Eigen::MatrixXd v = normalize(x, types, norm) * w.asDiagonal();
  topsis_result out{Eigen::VectorXd(x.rows()), Eigen::VectorXd(x.rows()), Eigen::VectorXd(x.rows())};
  const Eigen::RowVectorXd ideal = v.colwise().maxCoeff(), anti = v.colwise().minCoeff();
  for (Eigen::Index i = 0; i < v.rows(); ++i) {
    out.d_plus[i] = (v.row(i) - ideal).norm();
    out.d_minus[i] = (v.row(i) - anti).norm();
    const double total = out.d_plus[i] + out.d_minus[i];
    out.closeness[i] = total > 0 ? out.d_minus[i] / total : 1.0;
  }
  return out;
}

vikor_result vikor(const matrix_ref& x, const vector_ref& weights, const types_ref& types, double v) {
  check_inputs(x, types);
  check_option(v >= 0 && v <= 1, "VIKOR v must be between 0 and 1, not " + number_text(v));
  const Eigen::VectorXd w = normalized_weights(weights, x.cols());
  const Eigen::Index m = x.rows();
  vikor_result out{Eigen::VectorXd::Zero(m), Eigen::VectorXd::Zero(m), Eigen::VectorXd::Zero(m), {}};
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double hi = x.col(j).maxCoeff(), lo = x.col(j).minCoeff();
    if (!(hi > lo)) continue;  // a constant column contributes 0
    const double best = types[j] == 1 ? hi : lo;
    const double worst = types[j] == 1 ? lo : hi;
    for (Eigen::Index i = 0; i < m; ++i) {
      const double term = w[j] * (best - x(i, j)) / (best - worst);
      out.s[i] += term;
      out.r[i] = std::max(out.r[i], term);
    }
  }
  const double s_best = out.s.minCoeff(), s_worst = out.s.maxCoeff();
  const double r_best = out.r.minCoeff(), r_worst = out.r.maxCoeff();
  for (Eigen::Index i = 0; i < m; ++i) {
    const double s_part = s_worst > s_best ? (out.s[i] - s_best) / (s_worst - s_best) : 0.0;
    const double r_part = r_worst > r_best ? (out.r[i] - r_best) / (r_worst - r_best) : 0.0;
    out.q[i] = v * s_part + (1 - v) * r_part;
  }

  std::vector<Eigen::Index> order(static_cast<std::size_t>(m));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return out.q[a] < out.q[b]; });
  const Eigen::Index a1 = order[0];
  if (m == 1) {
    out.compromise = {a1};
    return out;
  }
  const double dq = 1.0 / static_cast<double>(m - 1);
  const bool advantage = out.q[order[1]] - out.q[a1] >= dq - kTolerance;
  const bool stability = out.s[a1] <= s_best + kTolerance || out.r[a1] <= r_best + kTolerance;
  if (advantage) {
    out.compromise = stability ? std::vector<Eigen::Index>{a1} : std::vector<Eigen::Index>{a1, order[1]};
  } else {
    for (const Eigen::Index a : order)
      if (out.q[a] - out.q[a1] < dq - kTolerance) out.compromise.push_back(a);
  }
  return out;
}

Eigen::VectorXd gra(const matrix_ref& x, const vector_ref& weights, const types_ref& types, double rho) {
  check_inputs(x, types);
  check_option(rho > 0 && rho <= 1, "GRA rho must be in (0, 1], not " + number_text(rho));
  const Eigen::VectorXd w = normalized_weights(weights, x.cols());
  const Eigen::MatrixXd delta = (1.0 - normalize(x, types, normalization::minmax).array()).abs();
  const double dmin = delta.minCoeff(), dmax = delta.maxCoeff();
  if (!(dmax > 0)) return Eigen::VectorXd::Constant(x.rows(), 1.0);
  const Eigen::MatrixXd xi = (dmin + rho * dmax) / (delta.array() + rho * dmax);
  return xi * w;
}

copras_result copras(const matrix_ref& x, const vector_ref& weights, const types_ref& types) {
  check_inputs(x, types);
  const Eigen::VectorXd w = normalized_weights(weights, x.cols());
  const Eigen::Index m = x.rows();
  copras_result out{Eigen::VectorXd::Zero(m), Eigen::VectorXd::Zero(m), Eigen::VectorXd(m), Eigen::VectorXd(m)};
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const bool cost = types[j] == -1;
    for (Eigen::Index i = 0; i < m; ++i)
      if (x(i, j) < 0 || (cost && x(i, j) == 0))
        raise("rectify.mcda.bad_matrix", "",
              "row " + std::to_string(i) + ", column " + std::to_string(j) + ": COPRAS needs values " +
                  (cost ? "> 0 in a cost column" : ">= 0") + ", not " + number_text(x(i, j)));
    const double sum = x.col(j).sum();
    if (!(sum > 0))
      raise("rectify.mcda.bad_matrix", "", "column " + std::to_string(j) + ": COPRAS needs a positive column sum");
    (cost ? out.s_minus : out.s_plus) += (w[j] / sum) * x.col(j);
  }
  const double s_minus_total = out.s_minus.sum();
  if (s_minus_total > 0) {
    const double inverse_total = out.s_minus.cwiseInverse().sum();
    out.q = out.s_plus.array() + s_minus_total / (out.s_minus.array() * inverse_total);
  } else {
    out.q = out.s_plus;
  }
  const double q_max = out.q.maxCoeff();
  out.utility = q_max > 0 ? Eigen::VectorXd(out.q / q_max) : Eigen::VectorXd::Zero(m);
  return out;
}

promethee_result promethee2(const matrix_ref& x, const vector_ref& weights, const types_ref& types,
                            const std::vector<preference_function>& functions) {
  check_inputs(x, types);
  const Eigen::VectorXd w = normalized_weights(weights, x.cols());
  const auto columns = static_cast<std::size_t>(x.cols());
  check_option(
      functions.empty() || functions.size() == columns,
      "got " + std::to_string(functions.size()) + " preference functions for " + std::to_string(columns) + " criteria");
  std::vector<preference_function> f = functions.empty() ? std::vector<preference_function>(columns) : functions;
  for (std::size_t j = 0; j < f.size(); ++j) {
    const std::string where = "criterion " + std::to_string(j) + ": ";
    check_option(std::isfinite(f[j].q) && std::isfinite(f[j].p) && std::isfinite(f[j].s) && f[j].q >= 0,
                 where + "thresholds must be finite with q >= 0");
    if (f[j].kind == preference::v_shape) check_option(f[j].p > 0, where + "v_shape needs p > 0");
    if (f[j].kind == preference::level || f[j].kind == preference::linear)
      check_option(f[j].p > f[j].q, where + "level and linear need p > q");
    if (f[j].kind == preference::gaussian) check_option(f[j].s > 0, where + "gaussian needs s > 0");
  }
  const Eigen::Index m = x.rows();
  promethee_result out{Eigen::VectorXd::Zero(m), Eigen::VectorXd::Zero(m), Eigen::VectorXd::Zero(m)};
  if (m < 2) return out;
  for (Eigen::Index a = 0; a < m; ++a)
    for (Eigen::Index b = 0; b < m; ++b) {
      if (a == b) continue;
      double pi = 0;
      for (Eigen::Index j = 0; j < x.cols(); ++j)
        pi += w[j] * preference_value(f[static_cast<std::size_t>(j)], types[j] * (x(a, j) - x(b, j)));
      out.phi_plus[a] += pi;
      out.phi_minus[b] += pi;
    }
  const double scale = 1.0 / static_cast<double>(m - 1);
  out.phi_plus *= scale;
  out.phi_minus *= scale;
  out.phi = out.phi_plus - out.phi_minus;
  return out;
}

fce_result fce(const matrix_ref& r, const vector_ref& weights, fce_operator op, bool normalize_b,
               const Eigen::VectorXd& grade_values) {
  check_finite(r, "the membership matrix");
  for (Eigen::Index j = 0; j < r.cols(); ++j)
    for (Eigen::Index i = 0; i < r.rows(); ++i)
      if (r(i, j) < 0 || r(i, j) > 1)
        raise("rectify.mcda.bad_matrix", "",
              "the membership matrix: row " + std::to_string(i) + ", column " + std::to_string(j) +
                  ": a membership is between 0 and 1, not " + number_text(r(i, j)));
  const Eigen::VectorXd w = normalized_weights(weights, r.rows());
  if (grade_values.size() != 0) {
    if (grade_values.size() != r.cols())
      raise("rectify.mcda.bad_option", "",
            "got " + std::to_string(grade_values.size()) + " grade values for " + std::to_string(r.cols()) + " grades");
    check_finite(grade_values, "the grade values");
  }
  fce_result out{Eigen::VectorXd::Zero(r.cols()), 0, std::nullopt};
  for (Eigen::Index k = 0; k < r.cols(); ++k)
    for (Eigen::Index j = 0; j < r.rows(); ++j) switch (op) {
        case fce_operator::weighted_average:
          out.b[k] += w[j] * r(j, k);
          break;
        case fce_operator::min_max:
          out.b[k] = std::max(out.b[k], std::min(w[j], r(j, k)));
          break;
        case fce_operator::product_max:
          out.b[k] = std::max(out.b[k], w[j] * r(j, k));
          break;
      }
  if (op == fce_operator::weighted_average) out.b = out.b.cwiseMin(1.0);
  if (normalize_b && out.b.sum() > 0) out.b /= out.b.sum();
  if (out.b.size() > 0) (void)out.b.maxCoeff(&out.grade);
  if (grade_values.size() != 0) out.score = out.b.dot(grade_values);
  return out;
}

}  // namespace rectify::mcda
