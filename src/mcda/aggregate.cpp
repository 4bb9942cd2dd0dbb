#include "rectify/mcda/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

#include "kernels.hpp"
#include "rectify/core/error.hpp"

namespace rectify::detail {

namespace {

/// A criterion that moves the per-row results: its column, a scale and the two anchors.
struct distance_column {
  Eigen::Index j;
  double scale;
  double best;
  double worst;
};

// TOPSIS: D+ = sqrt(sum (scale (x - best))^2), D- = the same with worst. Rows in blocks; four
// criteria at a time, each criterion's slice of the block read contiguously, so the per-row
// accumulators (in L1) are loaded and stored once per four columns. Plain loops: GCC vectorises
// them as they are.
mcda::topsis_result topsis_distances(const mcda::matrix_ref& x, const std::vector<distance_column>& cols) {
  const Eigen::Index m = x.rows();
  mcda::topsis_result out{Eigen::VectorXd(m), Eigen::VectorXd(m), Eigen::VectorXd(m)};
  double plus[kRowBlock], minus[kRowBlock];
  for (Eigen::Index i0 = 0; i0 < m; i0 += kRowBlock) {
    const Eigen::Index len = std::min(kRowBlock, m - i0);
    std::fill_n(plus, len, 0.0);
    std::fill_n(minus, len, 0.0);
    std::size_t c = 0;
    for (; c + 4 <= cols.size(); c += 4) {
      const distance_column &c0 = cols[c], &c1 = cols[c + 1], &c2 = cols[c + 2], &c3 = cols[c + 3];
      const double *d0 = x.col(c0.j).data() + i0, *d1 = x.col(c1.j).data() + i0;
      const double *d2 = x.col(c2.j).data() + i0, *d3 = x.col(c3.j).data() + i0;
      for (Eigen::Index i = 0; i < len; ++i) {
        const double a0 = (d0[i] - c0.best) * c0.scale, b0 = (d0[i] - c0.worst) * c0.scale;
        const double a1 = (d1[i] - c1.best) * c1.scale, b1 = (d1[i] - c1.worst) * c1.scale;
        const double a2 = (d2[i] - c2.best) * c2.scale, b2 = (d2[i] - c2.worst) * c2.scale;
        const double a3 = (d3[i] - c3.best) * c3.scale, b3 = (d3[i] - c3.worst) * c3.scale;
        plus[i] += (a0 * a0 + a1 * a1) + (a2 * a2 + a3 * a3);
        minus[i] += (b0 * b0 + b1 * b1) + (b2 * b2 + b3 * b3);
      }
    }
    for (; c < cols.size(); ++c) {
      const distance_column& c0 = cols[c];
      const double* d0 = x.col(c0.j).data() + i0;
      for (Eigen::Index i = 0; i < len; ++i) {
        const double a0 = (d0[i] - c0.best) * c0.scale, b0 = (d0[i] - c0.worst) * c0.scale;
        plus[i] += a0 * a0;
        minus[i] += b0 * b0;
      }
    }
    double* dp = out.d_plus.data() + i0;
    double* dm = out.d_minus.data() + i0;
    double* cl = out.closeness.data() + i0;
    for (Eigen::Index i = 0; i < len; ++i) {
      dp[i] = std::sqrt(plus[i]);
      dm[i] = std::sqrt(minus[i]);
      const double total = dp[i] + dm[i];
      // at both the ideal and the anti-ideal (every column constant): C = 1, as documented
      cl[i] = total > 0 ? dm[i] / total : 1.0;
    }
  }
  return out;
}

// VIKOR: S = sum of the terms scale (best - x), R = their max (0 if none is positive); blocked
// like topsis_distances.
void vikor_sums(const mcda::matrix_ref& x, const std::vector<distance_column>& cols, Eigen::VectorXd& s_out,
                Eigen::VectorXd& r_out) {
  const Eigen::Index m = x.rows();
  for (Eigen::Index i0 = 0; i0 < m; i0 += kRowBlock) {
    const Eigen::Index len = std::min(kRowBlock, m - i0);
    double* s = s_out.data() + i0;
    double* r = r_out.data() + i0;
    std::fill_n(s, len, 0.0);
    std::fill_n(r, len, 0.0);
    std::size_t c = 0;
    for (; c + 4 <= cols.size(); c += 4) {
      const distance_column &c0 = cols[c], &c1 = cols[c + 1], &c2 = cols[c + 2], &c3 = cols[c + 3];
      const double *d0 = x.col(c0.j).data() + i0, *d1 = x.col(c1.j).data() + i0;
      const double *d2 = x.col(c2.j).data() + i0, *d3 = x.col(c3.j).data() + i0;
      for (Eigen::Index i = 0; i < len; ++i) {
        const double t0 = (c0.best - d0[i]) * c0.scale, t1 = (c1.best - d1[i]) * c1.scale;
        const double t2 = (c2.best - d2[i]) * c2.scale, t3 = (c3.best - d3[i]) * c3.scale;
        s[i] += (t0 + t1) + (t2 + t3);
        const double u = t0 > t1 ? t0 : t1, v = t2 > t3 ? t2 : t3, top = u > v ? u : v;
        r[i] = top > r[i] ? top : r[i];
      }
    }
    for (; c < cols.size(); ++c) {
      const distance_column& c0 = cols[c];
      const double* d0 = x.col(c0.j).data() + i0;
      for (Eigen::Index i = 0; i < len; ++i) {
        const double t = (c0.best - d0[i]) * c0.scale;
        s[i] += t;
        r[i] = t > r[i] ? t : r[i];
      }
    }
  }
}

}  // namespace

}  // namespace rectify::detail

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
  if (x.rows() == 0 || x.cols() == 0)  // the same message as normalize()
    raise("rectify.mcda.bad_matrix", "", "the decision matrix is empty (it needs at least one row and one column)");
  if (norm != normalization::minmax && norm != normalization::vector) {
    // The other normalisations are not affine in x for cost columns (sum, linear) or are rarely
    // used with TOPSIS; they go through the normalised matrix.
    check_inputs(x, types);
    const Eigen::VectorXd w = normalized_weights(weights, x.cols());
    const Eigen::MatrixXd n = normalize(x, types, norm);
    std::vector<detail::column_stats> stats;
    (void)detail::scan_columns(n, stats, false);
    std::vector<detail::distance_column> cols;
    for (Eigen::Index j = 0; j < n.cols(); ++j) {
      const auto& s = stats[static_cast<std::size_t>(j)];
      if (w[j] > 0 && s.hi > s.lo) cols.push_back({j, w[j], s.hi, s.lo});
    }
    return detail::topsis_distances(n, cols);
  }
  std::vector<detail::column_stats> stats;
  if (!detail::scan_columns(x, stats, norm == normalization::vector)) check_finite(x);
  check_types(types, x.cols());
  const Eigen::VectorXd w = normalized_weights(weights, x.cols());
  // Minmax and vector normalisation are affine in x, so v - ideal and v - anti-ideal are
  // scale * (x - best) and scale * (x - worst) with best/worst the column max/min by direction
  // (minmax: scale = w/(max - min); vector: scale = w/||x||, and 1 - x/||x|| for a cost column
  // moves only the constant). A constant column contributes 0 to both distances.
  std::vector<detail::distance_column> cols;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const auto& s = stats[static_cast<std::size_t>(j)];
    if (norm == normalization::vector && std::sqrt(s.sumsq) == 0)
      raise("rectify.mcda.bad_matrix", "",
            "column " + std::to_string(j) + ": vector normalisation refuses an all-zero column");
    if (!(w[j] > 0) || !(s.hi > s.lo)) continue;
    const double scale = w[j] / (norm == normalization::minmax ? s.hi - s.lo : std::sqrt(s.sumsq));
    const bool benefit = types[j] == 1;
    cols.push_back({j, scale, benefit ? s.hi : s.lo, benefit ? s.lo : s.hi});
  }
  return detail::topsis_distances(x, cols);
}

vikor_result vikor(const matrix_ref& x, const vector_ref& weights, const types_ref& types, double v) {
  if (x.rows() == 0 || x.cols() == 0)
    raise("rectify.mcda.bad_matrix", "", "the decision matrix is empty (it needs at least one row and one column)");
  std::vector<detail::column_stats> stats;
  if (!detail::scan_columns(x, stats, false)) check_finite(x);
  check_types(types, x.cols());
  check_option(v >= 0 && v <= 1, "VIKOR v must be between 0 and 1, not " + number_text(v));
  const Eigen::VectorXd w = normalized_weights(weights, x.cols());
  const Eigen::Index m = x.rows();
  vikor_result out{Eigen::VectorXd(m), Eigen::VectorXd(m), Eigen::VectorXd(m), {}};
  // Term w (best - x)/(best - worst) = scale * (best - x) with a signed scale; a constant
  // column (and a weight-0 one) contributes 0 to S and nothing above 0 to R.
  std::vector<detail::distance_column> cols;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const auto& s = stats[static_cast<std::size_t>(j)];
    if (!(w[j] > 0) || !(s.hi > s.lo)) continue;
    const double best = types[j] == 1 ? s.hi : s.lo;
    const double worst = types[j] == 1 ? s.lo : s.hi;
    cols.push_back({j, w[j] / (best - worst), best, worst});
  }
  detail::vikor_sums(x, cols, out.s, out.r);

  const double s_best = out.s.minCoeff(), s_worst = out.s.maxCoeff();
  const double r_best = out.r.minCoeff(), r_worst = out.r.maxCoeff();
  // A constant S (or R) has s - s_best = 0 everywhere: dividing by 1 then gives its 0 term
  // without a branch in the loop. S and R lie in [0, 1] (the weights sum to 1), so a spread of
  // at most kTolerance is rounding (equal sums reached in a different order, e.g. after a
  // column was rescaled), not a difference: normalised, it would become a whole unit of Q.
  const double s_span = s_worst - s_best > kTolerance ? s_worst - s_best : 1.0;
  const double r_span = r_worst - r_best > kTolerance ? r_worst - r_best : 1.0;
  for (Eigen::Index i = 0; i < m; ++i)
    out.q[i] = v * ((out.s[i] - s_best) / s_span) + (1 - v) * ((out.r[i] - r_best) / r_span);

  // Only the first two by Q (ties in input order) and, when the advantage fails, the few within
  // DQ of the first are needed: one linear scan instead of sorting every alternative.
  if (m == 1) {
    out.compromise = {0};
    return out;
  }
  Eigen::Index a1 = 0, a2 = 1;
  if (out.q[1] < out.q[0]) a1 = 1, a2 = 0;
  for (Eigen::Index i = 2; i < m; ++i) {
    if (!(out.q[i] < out.q[a2])) continue;  // ties keep the earlier position
    if (out.q[i] < out.q[a1])
      a2 = a1, a1 = i;
    else
      a2 = i;
  }
  const double dq = 1.0 / static_cast<double>(m - 1);
  const bool advantage = out.q[a2] - out.q[a1] >= dq - kTolerance;
  const bool stability = out.s[a1] <= s_best + kTolerance || out.r[a1] <= r_best + kTolerance;
  if (advantage) {
    out.compromise = stability ? std::vector<Eigen::Index>{a1} : std::vector<Eigen::Index>{a1, a2};
  } else {
    for (Eigen::Index i = 0; i < m; ++i)
      if (out.q[i] - out.q[a1] < dq - kTolerance) out.compromise.push_back(i);
    std::stable_sort(out.compromise.begin(), out.compromise.end(),
                     [&](Eigen::Index a, Eigen::Index b) { return out.q[a] < out.q[b]; });
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
