#pragma once
/// Shared vocabulary of the MCDA methods (docs: ../shared/docs/mcda.md): a decision matrix has one
/// row per alternative (unit) and one column per criterion, column-major, passed as
/// `Eigen::Ref<const Eigen::MatrixXd>` so a float64 DataFrame maps in without a copy; `types[j]` is
/// +1 (benefit) or -1 (cost). Every method checks its inputs here and throws `rectify::error` with
/// a `rectify.mcda.*` code naming the row and column of a bad value.
#include <Eigen/Core>
#include <string>

namespace rectify::mcda {

using matrix_ref = Eigen::Ref<const Eigen::MatrixXd>;
using vector_ref = Eigen::Ref<const Eigen::VectorXd>;
using types_ref = Eigen::Ref<const Eigen::VectorXi>;

/// Every value finite: `rectify.mcda.not_finite` "row 3, column 2: NaN" (0-based positions).
void check_finite(const matrix_ref& x, const char* what = "the decision matrix");

/// `types` has one entry per column, each +1 or -1: `rectify.mcda.bad_types`.
void check_types(const types_ref& types, Eigen::Index columns);

/// Weights finite and >= 0 with a positive sum, one per column; returns them rescaled to sum 1
/// (every method does this; documented, never silent per method): `rectify.mcda.bad_weights`.
[[nodiscard]] Eigen::VectorXd normalized_weights(const vector_ref& weights, Eigen::Index columns);

}  // namespace rectify::mcda
