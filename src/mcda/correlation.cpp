#include "rectify/mcda/correlation.hpp"

#include <algorithm>
#include <cmath>

#include "rectify/core/error.hpp"
#include "rectify/mcda/rank.hpp"

namespace rectify::mcda {

namespace {

void check_pair(const vector_ref& a, const vector_ref& b, const char* what) {
  if (a.size() != b.size())
    raise("rectify.mcda.bad_option", "",
          std::string(what) + ": the rankings have " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
              " entries; they must rank the same alternatives");
  if (a.size() < 2) raise("rectify.mcda.bad_option", "", std::string(what) + ": needs at least 2 alternatives");
  check_finite(a, "the first ranking");
  check_finite(b, "the second ranking");
}

int sign(double v) {
  return (v > 0) - (v < 0);
}

}  // namespace

double spearman(const vector_ref& a, const vector_ref& b) {
  check_pair(a, b, "spearman");
  const Eigen::VectorXd ra = rank(a, true, ties::average), rb = rank(b, true, ties::average);
  const Eigen::ArrayXd da = ra.array() - ra.mean(), db = rb.array() - rb.mean();
  const double sa = std::sqrt((da * da).sum()), sb = std::sqrt((db * db).sum());
  if (!(sa > 0) || !(sb > 0))
    raise("rectify.mcda.bad_option", "", "spearman: a ranking in which every alternative ties has no correlation");
  return (da * db).sum() / (sa * sb);
}

double kendall_tau_b(const vector_ref& a, const vector_ref& b) {
  check_pair(a, b, "kendall");
  const Eigen::Index n = a.size();
  double concordant = 0, discordant = 0, ties_a = 0, ties_b = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) {
      const int sa = sign(a[i] - a[j]), sb = sign(b[i] - b[j]);
      if (sa == 0) ties_a += 1;
      if (sb == 0) ties_b += 1;
      if (sa != 0 && sb != 0) (sa == sb ? concordant : discordant) += 1;
    }
  const double pairs = static_cast<double>(n) * static_cast<double>(n - 1) / 2;
  const double denom = std::sqrt((pairs - ties_a) * (pairs - ties_b));
  if (!(denom > 0))
    raise("rectify.mcda.bad_option", "", "kendall: a ranking in which every alternative ties has no correlation");
  return (concordant - discordant) / denom;
}

double ws_similarity(const vector_ref& reference, const vector_ref& other) {
  check_pair(reference, other, "ws");
  const auto n = static_cast<double>(reference.size());
  double sum = 0;
  for (Eigen::Index i = 0; i < reference.size(); ++i) {
    const double rx = reference[i], ry = other[i];
    if (rx < 1 || rx > n || ry < 1 || ry > n)
      raise("rectify.mcda.bad_ranks", "",
            "ws: position " + std::to_string(i) + ": ranks lie in [1, " + std::to_string(reference.size()) + "]");
    sum += std::pow(2.0, -rx) * std::abs(rx - ry) / std::max(std::abs(rx - 1), std::abs(rx - n));
  }
  return 1 - sum;
}

}  // namespace rectify::mcda
