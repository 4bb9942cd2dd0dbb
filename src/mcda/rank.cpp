#include "rectify/mcda/rank.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include "rectify/core/error.hpp"

namespace rectify::mcda {

namespace {

// Decimal rounding through the printed form is exact to the digit, unlike scaling by powers of
// ten, which itself rounds.
double round_12_significant(double x) {
  if (x == 0) return 0;  // folds -0 into 0
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.11e", x);
  return std::strtod(buffer, nullptr);
}

}  // namespace

Eigen::VectorXd rank(const vector_ref& scores, bool higher_is_better, ties mode) {
  const Eigen::Index n = scores.size();
  std::vector<double> key(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!std::isfinite(scores[i]))
      raise("rectify.mcda.not_finite", "",
            "scores: position " + std::to_string(i) + ": " + (std::isnan(scores[i]) ? "NaN" : "infinite") +
                " (every score must be a finite number)");
    key[static_cast<std::size_t>(i)] = higher_is_better ? -scores[i] : scores[i];
  }
  // Rounding is monotone, so sorting the raw scores also sorts the rounded ones, and values that
  // round alike are neighbours. Rounding through the printed form is slow, so only neighbours
  // close enough to possibly round alike are rounded: two values that agree to 12 significant
  // digits differ by less than 1e-11 of the larger, far inside the 1e-9 tested here.
  std::vector<std::size_t> order(key.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
  auto tied = [&](std::size_t a, std::size_t b) {
    const double x = key[a], y = key[b];
    if (x == y) return true;
    if (std::abs(x - y) > 1e-9 * std::max(std::abs(x), std::abs(y))) return false;
    return round_12_significant(x) == round_12_significant(y);
  };

  Eigen::VectorXd out(n);
  std::size_t dense = 0;
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin + 1;
    while (end < order.size() && tied(order[end - 1], order[end])) ++end;
    // Tied scores keep their input order (ordinal mode), whatever their unrounded order was.
    if (end - begin > 1)
      std::sort(order.begin() + static_cast<std::ptrdiff_t>(begin), order.begin() + static_cast<std::ptrdiff_t>(end));
    ++dense;
    for (std::size_t k = begin; k < end; ++k) {
      double r = 0;
      switch (mode) {
        case ties::competition:
          r = static_cast<double>(begin + 1);
          break;
        case ties::dense:
          r = static_cast<double>(dense);
          break;
        case ties::average:
          r = static_cast<double>(begin + 1 + end) / 2.0;
          break;
        case ties::ordinal:
          r = static_cast<double>(k + 1);
          break;
      }
      out[static_cast<Eigen::Index>(order[k])] = r;
    }
    begin = end;
  }
  return out;
}

ties parse_ties(std::string_view name) {
  if (name == "competition") return ties::competition;
  if (name == "dense") return ties::dense;
  if (name == "average") return ties::average;
  if (name == "ordinal") return ties::ordinal;
  raise("rectify.mcda.bad_option", "",
        "ties " + quoted(name) + ": expected \"competition\", \"dense\", \"average\" or \"ordinal\"");
}

}  // namespace rectify::mcda
