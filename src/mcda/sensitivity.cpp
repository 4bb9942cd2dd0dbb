// One-at-a-time weight sensitivity (robustness.hpp).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/mcda/robustness.hpp"

namespace rectify::mcda {

namespace {

// The same tie rule as SMAA (robustness.hpp): within 1e-12 of the larger magnitude.
constexpr double kTie = 1e-12;

bool same_score(double a, double b) {
  return std::abs(a - b) <= kTie * std::max(std::abs(a), std::abs(b));
}

/// What is watched: the first-ranked set, or the order of a pair (-1, 0, +1).
struct outcome {
  std::vector<Eigen::Index> first;
  int order = 0;
  friend bool operator==(const outcome&, const outcome&) = default;
};

class watcher {
 public:
  watcher(const batch_scorer& scorer, const sensitivity_options& o)
      : scorer_(scorer), pair_(o.pair), higher_(higher_is_better(o.m)) {}

  [[nodiscard]] outcome at(const Eigen::Ref<const Eigen::VectorXd>& scores) const {
    outcome out;
    const Eigen::ArrayXd s = higher_ ? Eigen::ArrayXd(scores.array()) : Eigen::ArrayXd(-scores.array());
    if (pair_) {
      const double a = s[pair_->first], b = s[pair_->second];
      out.order = same_score(a, b) ? 0 : (a > b ? 1 : -1);
    } else {
      const double best = s.maxCoeff();
      for (Eigen::Index i = 0; i < s.size(); ++i)
        if (same_score(best, s[i]) || s[i] >= best) out.first.push_back(i);
    }
    return out;
  }

  [[nodiscard]] outcome at_weights(const Eigen::VectorXd& w) const { return at(scorer_.scores(w).col(0)); }

 private:
  const batch_scorer& scorer_;
  std::optional<std::pair<Eigen::Index, Eigen::Index>> pair_;
  bool higher_;
};

/// The weight vector with wⱼ moved to t and the others rescaled proportionally.
Eigen::VectorXd moved(const Eigen::VectorXd& w, Eigen::Index j, double t) {
  Eigen::VectorXd out(w.size());
  const double rest = 1 - w[j];
  // With wⱼ = 1 the others have no proportions left to keep: they share 1 − t equally.
  if (rest > 0)
    out = w * ((1 - t) / rest);
  else
    out.setConstant((1 - t) / static_cast<double>(w.size() - 1));
  out[j] = t;
  return out;
}

std::optional<Eigen::Index> newly_first(const outcome& base, const outcome& changed) {
  if (changed.first.empty()) return std::nullopt;
  for (const Eigen::Index i : changed.first)
    if (std::find(base.first.begin(), base.first.end(), i) == base.first.end()) return i;
  return changed.first.front();
}

struct threshold {
  std::optional<double> delta;
  std::optional<Eigen::Index> first;
};

/// Scans wⱼ from its value towards `target` in `steps` steps, then bisects the first step whose
/// outcome differs from `base`.
threshold find_threshold(const watcher& watch, const batch_scorer& scorer, const Eigen::VectorXd& w, Eigen::Index j,
                         double target, const outcome& base, const sensitivity_options& o) {
  const double start = w[j];
  if (target == start) return {};
  const auto steps = static_cast<Eigen::Index>(o.steps);
  const auto point = [&](Eigen::Index k) {
    return k == steps ? target : start + (target - start) * static_cast<double>(k) / static_cast<double>(steps);
  };
  // The scan points are scored in chunks: one matrix product each instead of one per point.
  constexpr Eigen::Index kChunk = 256;
  double lo = start, hi = start;
  bool found = false;
  for (Eigen::Index first = 1; first <= steps && !found; first += kChunk) {
    const Eigen::Index count = std::min(kChunk, steps - first + 1);
    Eigen::MatrixXd points(w.size(), count);
    for (Eigen::Index k = 0; k < count; ++k) points.col(k) = moved(w, j, point(first + k));
    const Eigen::MatrixXd s = scorer.scores(points);
    for (Eigen::Index k = 0; k < count && !found; ++k)
      if (!(watch.at(s.col(k)) == base)) {
        lo = point(first + k - 1);
        hi = point(first + k);
        found = true;
      }
  }
  if (!found) return {};
  while (std::abs(hi - lo) > o.tolerance) {
    const double mid = lo + (hi - lo) / 2;
    if (mid == lo || mid == hi) break;  // the bracket is down to adjacent doubles
    (watch.at_weights(moved(w, j, mid)) == base ? lo : hi) = mid;
  }
  return {hi - start, newly_first(base, watch.at_weights(moved(w, j, hi)))};
}

}  // namespace

std::vector<criterion_sensitivity> sensitivity(const matrix_ref& x, const vector_ref& weights, const types_ref& types,
                                               const sensitivity_options& o) {
  const batch_scorer scorer(o.m, x, types, o.opts);  // checks the matrix, types and method options
  const Eigen::VectorXd w = normalized_weights(weights, x.cols());
  if (o.steps == 0) raise("rectify.mcda.bad_option", "", "sensitivity needs at least one scan step, not steps = 0");
  if (!std::isfinite(o.tolerance) || !(o.tolerance > 0))
    raise("rectify.mcda.bad_option", "",
          "the sensitivity tolerance must be a finite number > 0, not " + number_text(o.tolerance));
  if (o.pair) {
    const auto [a, b] = *o.pair;
    for (const Eigen::Index i : {a, b})
      if (i < 0 || i >= x.rows())
        raise("rectify.mcda.bad_option", "",
              "pair: alternative " + std::to_string(i) + " is out of range (the matrix has " +
                  std::to_string(x.rows()) + " rows, 0-based)");
    if (a == b)
      raise("rectify.mcda.bad_option", "", "pair: the two alternatives must differ, not both " + std::to_string(a));
  }

  const watcher watch(scorer, o);
  const outcome base = watch.at_weights(w);
  std::vector<criterion_sensitivity> out(static_cast<std::size_t>(w.size()));
  for (Eigen::Index j = 0; j < w.size(); ++j) {
    auto& c = out[static_cast<std::size_t>(j)];
    c.weight = w[j];
    if (w.size() == 1) continue;  // the only weight is always 1
    const threshold down = find_threshold(watch, scorer, w, j, 0.0, base, o);
    const threshold up = find_threshold(watch, scorer, w, j, 1.0, base, o);
    c.decrease = down.delta;
    c.increase = up.delta;
    if (!o.pair) {
      c.new_first_down = down.first;
      c.new_first_up = up.first;
    }
  }
  return out;
}

}  // namespace rectify::mcda
