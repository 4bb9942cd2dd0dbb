#pragma once
/// Criterion weights (docs: ../shared/docs/mcda.md, "Weighting"): rank-based (equal, ROC, rank sum,
/// rank reciprocal), objective (entropy, CRITIC, standard deviation) and AHP pairwise comparison.
/// Every vector returned sums to 1. Errors are `rectify::error` with a `rectify.mcda.*` code.
///
///   auto w = rectify::mcda::roc(4);  // 0.5208, 0.2708, 0.1458, 0.0625
///   auto a = rectify::mcda::ahp(pairwise);  // a.weights, a.lambda_max, a.ci, a.cr
#include <Eigen/Core>
#include <string_view>
#include <vector>

#include "rectify/mcda/common.hpp"

namespace rectify::mcda {

/// n equal weights 1/n (n >= 1, else `rectify.mcda.bad_ranks`).
[[nodiscard]] Eigen::VectorXd equal(Eigen::Index n);

/// Rank order centroid (Barron & Barrett 1996) for criteria in order of importance (position 1 the
/// most important): w_i = (1/n) sum_{k=i..n} 1/k.
[[nodiscard]] Eigen::VectorXd roc(Eigen::Index n);
/// Rank sum: w_i = 2(n + 1 - i)/(n(n + 1)).
[[nodiscard]] Eigen::VectorXd rank_sum(Eigen::Index n);
/// Rank reciprocal: w_i = (1/i)/sum_k 1/k.
[[nodiscard]] Eigen::VectorXd rank_reciprocal(Eigen::Index n);

/// The same from a rank per criterion (1 = most important, every rank >= 1). Only the order of the
/// ranks matters: the criteria are sorted by rank and occupy positions 1..n; criteria with equal
/// ranks (ties) share equally the sum of the weights of the positions they occupy, i.e. each gets
/// the average. Example: ranks {1, 2, 2} with ROC give w1 = 11/18 and 7/36 to each of the others.
[[nodiscard]] Eigen::VectorXd roc(const Eigen::VectorXi& ranks);
[[nodiscard]] Eigen::VectorXd rank_sum(const Eigen::VectorXi& ranks);
[[nodiscard]] Eigen::VectorXd rank_reciprocal(const Eigen::VectorXi& ranks);

struct entropy_weights {
  Eigen::VectorXd weights;
  Eigen::VectorXd entropy;    ///< e_j in [0, 1]; 1 for a constant (or all-zero) column
  bool all_constant = false;  ///< every column constant: the weights are equal by convention
};

/// Entropy weights: p_ij = x_ij / sum_i x_ij, e_j = -sum_i p_ij ln p_ij / ln m with 0 ln 0 = 0,
/// w_j = (1 - e_j)/sum_k (1 - e_k). Needs m >= 2 rows and values >= 0 (`rectify.mcda.bad_matrix`);
/// criterion types are not used. A constant column (all-zero included) has e_j = 1 exactly; if
/// every column is constant the weights are equal and `all_constant` is set.
[[nodiscard]] entropy_weights entropy(const matrix_ref& x);

/// CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995): minmax-normalise with directions, sigma_j the
/// population standard deviation, C_j = sigma_j sum_k (1 - r_jk) with Pearson r, w_j = C_j/sum C.
/// A constant column gets weight 0 and its correlation with others is taken as 0. Refuses a matrix
/// whose columns are all constant (`rectify.mcda.bad_matrix`).
[[nodiscard]] Eigen::VectorXd critic(const matrix_ref& x, const types_ref& types);

/// Standard-deviation weights: population sigma of each minmax-normalised column (directions
/// applied), rescaled to sum 1; scale-free. Refuses all-constant columns like `critic`.
[[nodiscard]] Eigen::VectorXd std_weights(const matrix_ref& x, const types_ref& types);

enum class ahp_method {
  eigenvector,     ///< principal right eigenvector (Saaty)
  geometric_mean,  ///< normalised geometric means of the rows (Crawford & Williams 1985)
};

/// Random consistency index tables.
enum class random_index {
  saaty1980,          ///< Saaty, The Analytic Hierarchy Process (1980), n = 1..10:
                      ///< 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49
  alonso_lamata2006,  ///< Alonso & Lamata, Int. J. Uncertainty, Fuzziness and Knowledge-Based
                      ///< Systems 14(4) 2006, n = 1..15: 0, 0, 0.5245, 0.8815, 1.1086, 1.2479,
                      ///< 1.3417, 1.4056, 1.4499, 1.4854, 1.5141, 1.5365, 1.5551, 1.5713, 1.5838
};

/// The random index for an n x n matrix; n outside the table is `rectify.mcda.bad_matrix`.
[[nodiscard]] double random_index_value(random_index table, Eigen::Index n);

struct ahp_result {
  Eigen::VectorXd weights;  ///< sum 1
  double lambda_max = 0;    ///< mean of (A w)_i / w_i (the principal eigenvalue for `eigenvector`)
  double ci = 0;            ///< (lambda_max - n)/(n - 1); 0 for n <= 2
  double cr = 0;            ///< ci / RI(n); 0 when RI(n) = 0
};

/// AHP weights from a pairwise comparison matrix a (a_ij = importance of i over j). Refuses
/// (`rectify.mcda.bad_matrix`) a matrix that is empty, not square, has a non-finite or non-positive
/// entry, or is not reciprocal (|a_ij - 1/a_ji| <= 1e-9 max(a_ij, 1/a_ji)), naming row and column.
[[nodiscard]] ahp_result ahp(const matrix_ref& a, ahp_method method = ahp_method::eigenvector,
                             random_index table = random_index::saaty1980);

/// Group judgement: the element-wise geometric mean of several experts' matrices (each checked as
/// in `ahp`, all the same size); the result is again reciprocal.
[[nodiscard]] Eigen::MatrixXd ahp_group(const std::vector<Eigen::MatrixXd>& matrices);

/// A pairwise judgement written as a number ("3", "0.5") or a ratio ("1/3"); surrounding spaces
/// are allowed. Anything else, or a result that is not finite, is `rectify.mcda.bad_matrix`.
[[nodiscard]] double parse_ratio(std::string_view text);

}  // namespace rectify::mcda
