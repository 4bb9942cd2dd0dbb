#include "rectify/mcda/common.hpp"

#include <algorithm>
#include <cmath>

#include "kernels.hpp"
#include "rectify/core/error.hpp"

namespace rectify::detail {

bool scan(const double* d, Eigen::Index n, column_stats& out, bool sumsq) {
  // Four packs per step: independent chains, so the loop runs at the speed of memory.
  constexpr Eigen::Index kStep = 4 * kPack;
  pack lo0 = splat(d[0]), lo1 = lo0, hi0 = lo0, hi1 = lo0;
  const pack zero = splat(0), normal = splat(0x1p-1022);
  pack s0 = zero, s1 = s0, s2 = s0, s3 = s0, q0 = s0, q1 = s0, t0 = s0;
  const auto small = [&](pack v) { return v < normal ? v : zero; };
  Eigen::Index i = 0;
  if (sumsq) {
    for (; i + kStep <= n; i += kStep) {
      const pack a = load(d + i), b = load(d + i + kPack), c = load(d + i + 2 * kPack), e = load(d + i + 3 * kPack);
      lo0 = pmin(pmin(a, c), lo0), lo1 = pmin(pmin(b, e), lo1);
      hi0 = pmax(pmax(a, c), hi0), hi1 = pmax(pmax(b, e), hi1);
      s0 += a, s1 += b, s2 += c, s3 += e;
      q0 += a * a + c * c, q1 += b * b + e * e;
      t0 += (small(a) + small(b)) + (small(c) + small(e));
    }
  } else {
    for (; i + kStep <= n; i += kStep) {
      const pack a = load(d + i), b = load(d + i + kPack), c = load(d + i + 2 * kPack), e = load(d + i + 3 * kPack);
      lo0 = pmin(pmin(a, c), lo0), lo1 = pmin(pmin(b, e), lo1);
      hi0 = pmax(pmax(a, c), hi0), hi1 = pmax(pmax(b, e), hi1);
      s0 += a, s1 += b, s2 += c, s3 += e;
      t0 += (small(a) + small(b)) + (small(c) + small(e));
    }
  }
  double lo = lane_min(pmin(lo0, lo1)), hi = lane_max(pmax(hi0, hi1));
  double sum = lane_sum((s0 + s1) + (s2 + s3)), sq = lane_sum(q0 + q1), tiny = lane_sum(t0);
  for (; i < n; ++i) {
    lo = d[i] < lo ? d[i] : lo;
    hi = d[i] > hi ? d[i] : hi;
    sum += d[i];
    sq += d[i] * d[i];
    tiny += d[i] < 0x1p-1022 ? d[i] : 0.0;
  }
  out.lo = lo, out.hi = hi, out.sum = sum, out.sumsq = sumsq ? sq : 0.0, out.tiny = tiny;
  return std::isfinite(sum);
}

bool scan_columns(const mcda::matrix_ref& x, std::vector<column_stats>& out, bool sumsq) {
  out.resize(static_cast<std::size_t>(x.cols()));
  bool finite = true;
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    finite &= scan(x.col(j).data(), x.rows(), out[static_cast<std::size_t>(j)], sumsq);
  return finite;
}

}  // namespace rectify::detail

namespace rectify::mcda {

void check_finite(const matrix_ref& x, const char* what) {
  // The fast scan decides; the cell-by-cell search below only runs to word the error (and finds
  // nothing when finite values merely summed to infinity).
  detail::column_stats stats;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (x.rows() == 0 || detail::scan(x.col(j).data(), x.rows(), stats, false)) continue;
    const double* d = x.col(j).data();
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (!std::isfinite(d[i]))
        raise("rectify.mcda.not_finite", "",
              std::string(what) + ": row " + std::to_string(i) + ", column " + std::to_string(j) + ": " +
                  (std::isnan(d[i]) ? "NaN" : "infinite") + " (every value must be a finite number)");
  }
}

void check_types(const types_ref& types, Eigen::Index columns) {
  if (types.size() != columns)
    raise("rectify.mcda.bad_types", "",
          "got " + std::to_string(types.size()) + " criterion types for " + std::to_string(columns) + " columns");
  for (Eigen::Index j = 0; j < types.size(); ++j)
    if (types[j] != 1 && types[j] != -1)
      raise("rectify.mcda.bad_types", "",
            "column " + std::to_string(j) + ": a criterion type is +1 (benefit) or -1 (cost), not " +
                std::to_string(types[j]));
}

Eigen::VectorXd normalized_weights(const vector_ref& weights, Eigen::Index columns) {
  if (weights.size() != columns)
    raise("rectify.mcda.bad_weights", "",
          "got " + std::to_string(weights.size()) + " weights for " + std::to_string(columns) + " columns");
  double sum = 0;
  for (Eigen::Index j = 0; j < weights.size(); ++j) {
    if (!std::isfinite(weights[j]) || weights[j] < 0)
      raise("rectify.mcda.bad_weights", "",
            "weight " + std::to_string(j) + " must be finite and >= 0, not " + number_text(weights[j]));
    sum += weights[j];
  }
  if (!(sum > 0)) raise("rectify.mcda.bad_weights", "", "the weights sum to 0; at least one must be positive");
  return weights / sum;
}

}  // namespace rectify::mcda
