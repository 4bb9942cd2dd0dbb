#include "rectify/mcda/common.hpp"

#include <cmath>

#include "rectify/core/error.hpp"

namespace rectify::mcda {

void check_finite(const matrix_ref& x, const char* what) {
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (!std::isfinite(x(i, j)))
        raise("rectify.mcda.not_finite", "",
              std::string(what) + ": row " + std::to_string(i) + ", column " + std::to_string(j) + ": " +
                  (std::isnan(x(i, j)) ? "NaN" : "infinite") + " (every value must be a finite number)");
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
