#pragma once
/// Ranks of scores (docs: ../shared/docs/mcda.md, "Ranks"): rank 1 is the best. Scores are
/// compared after rounding to 12 significant digits, so two methods' floating-point noise never
/// breaks a tie that the arithmetic says is exact.
///
///   rank({3, 1, 3, 2})                        -> {1, 4, 1, 3}      (competition, "1224")
///   rank({3, 1, 3, 2}, true, ties::dense)     -> {1, 3, 1, 2}
///   rank({3, 1, 3, 2}, true, ties::average)   -> {1.5, 4, 1.5, 3}
///   rank({3, 1, 3, 2}, true, ties::ordinal)   -> {1, 4, 2, 3}      (tied: input order)
#include <Eigen/Core>
#include <string_view>

#include "rectify/mcda/common.hpp"

namespace rectify::mcda {

enum class ties { competition, dense, average, ordinal };

/// Rank of each score, 1 = best; `higher_is_better = false` for S, R, Q of VIKOR and the like.
/// A NaN or infinite score is a `rectify.mcda.not_finite` error naming its 0-based position.
[[nodiscard]] Eigen::VectorXd rank(const vector_ref& scores, bool higher_is_better = true,
                                   ties mode = ties::competition);

/// "competition" | "dense" | "average" | "ordinal"; anything else is `rectify.mcda.bad_option`.
[[nodiscard]] ties parse_ties(std::string_view name);

}  // namespace rectify::mcda
