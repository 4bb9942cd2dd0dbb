#pragma once
/// Per-column normalisation of a decision matrix (docs: ../shared/docs/mcda.md, "Normalisation").
/// Every method maps benefit and cost columns so that higher is better afterwards:
///
/// | name   | benefit             | cost                  | refuses                          |
/// |--------|---------------------|-----------------------|----------------------------------|
/// | minmax | (x - min)/(max-min) | (max - x)/(max - min) | nothing (constant column -> 1)   |
/// | vector | x/||x||_2           | 1 - x/||x||_2         | an all-zero column               |
/// | sum    | x/sum(x)            | (1/x)/sum(1/x)        | any x <= 0                       |
/// | max    | x/max               | 1 - x/max             | max = 0                          |
/// | linear | x/max               | min/x                 | a zero in a cost column, max = 0 |
///
/// A refusal throws `rectify.mcda.bad_matrix` naming the column (0-based).
///
///   Eigen::MatrixXd n = rectify::mcda::normalize(x, types, rectify::mcda::normalization::minmax);
#include <Eigen/Core>
#include <string_view>

#include "rectify/mcda/common.hpp"

namespace rectify::mcda {

enum class normalization { minmax, vector, sum, max, linear };

/// Normalises every column of `x` (rows = alternatives, columns = criteria) by `method`, using
/// `types[j]` (+1 benefit, -1 cost). Checks that `x` is non-empty and finite and `types` valid.
[[nodiscard]] Eigen::MatrixXd normalize(const matrix_ref& x, const types_ref& types, normalization method);

/// "minmax", "vector", "sum", "max" or "linear"; anything else is `rectify.mcda.bad_method`.
[[nodiscard]] normalization parse_normalization(std::string_view name);

/// The name `parse_normalization` accepts for `method`.
[[nodiscard]] std::string_view to_string(normalization method);

}  // namespace rectify::mcda
