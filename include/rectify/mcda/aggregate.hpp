#pragma once
/// Aggregation methods (docs: ../shared/docs/mcda.md, "Aggregation"). Every function takes the
/// decision matrix `x` (alternatives × criteria), one weight per criterion and `types` (+1 benefit,
/// -1 cost); it checks that every value is finite and the types are ±1, and rescales the weights
/// to sum 1 (`normalized_weights`). Scores are higher-is-better unless stated; pass them to
/// `rank()` (rank.hpp) for ranks.
///
///   Eigen::MatrixXd x(3, 2);  x << 7, 200,  9, 250,  8, 180;   // quality (benefit), cost
///   auto t = rectify::mcda::topsis(x, Eigen::Vector2d(0.6, 0.4), Eigen::Vector2i(1, -1));
///   auto r = rectify::mcda::rank(t.closeness);
#include <Eigen/Core>
#include <optional>
#include <vector>

#include "rectify/mcda/common.hpp"
#include "rectify/mcda/normalize.hpp"

namespace rectify::mcda {

/// Weighted sum Σⱼ wⱼ nᵢⱼ of the normalised matrix (minmax by default).
[[nodiscard]] Eigen::VectorXd wsm(const matrix_ref& x, const vector_ref& weights, const types_ref& types,
                                  normalization norm = normalization::minmax);

/// Weighted product Πⱼ nᵢⱼ^wⱼ of the normalised matrix (minmax by default). A zero normalised
/// value of a positively weighted criterion gives 0 (with minmax, its worst value does); a
/// criterion of weight 0 has no say. A negative normalised value is `rectify.mcda.bad_matrix`.
[[nodiscard]] Eigen::VectorXd wpm(const matrix_ref& x, const vector_ref& weights, const types_ref& types,
                                  normalization norm = normalization::minmax);

/// WSM and WPM on a matrix the caller has already normalised (every column benefit-oriented).
[[nodiscard]] Eigen::VectorXd wsm_normalized(const matrix_ref& n, const vector_ref& weights);
[[nodiscard]] Eigen::VectorXd wpm_normalized(const matrix_ref& n, const vector_ref& weights);

struct topsis_result {
  Eigen::VectorXd closeness;  ///< Cᵢ = D⁻/(D⁺ + D⁻), higher is better
  Eigen::VectorXd d_plus;     ///< Euclidean distance to the ideal (column max of v)
  Eigen::VectorXd d_minus;    ///< Euclidean distance to the anti-ideal (column min of v)
};

/// TOPSIS (Hwang & Yoon 1981): vᵢⱼ = wⱼ nᵢⱼ with the cost columns already inverted by the
/// normalisation. An alternative at both the ideal and the anti-ideal (every column of v
/// constant, e.g. a single alternative) coincides with the ideal and gets C = 1.
[[nodiscard]] topsis_result topsis(const matrix_ref& x, const vector_ref& weights, const types_ref& types,
                                   normalization norm = normalization::minmax);

struct vikor_result {
  Eigen::VectorXd s;  ///< group utility, lower is better
  Eigen::VectorXd r;  ///< individual regret, lower is better
  Eigen::VectorXd q;  ///< compromise index, lower is better
  /// 0-based positions of the compromise solution, best Q first.
  std::vector<Eigen::Index> compromise;
};

/// VIKOR (Opricovic & Tzeng 2004) on raw values, 0 <= v <= 1 (`rectify.mcda.bad_option`
/// otherwise). A constant column contributes 0; if S (or R) is the same for every alternative its
/// term in Q is 0. Compromise set, with a1, a2 the first two by Q (ties in input order) and
/// DQ = 1/(m − 1): {a1} if Q(a2) − Q(a1) >= DQ (acceptable advantage) and a1 is also best (or
/// tied best) by S or by R (acceptable stability); {a1, a2} if only stability fails; otherwise
/// every a with Q(a) − Q(a1) < DQ. Comparisons allow 1e-12 for rounding. A single alternative
/// is its own compromise.
[[nodiscard]] vikor_result vikor(const matrix_ref& x, const vector_ref& weights, const types_ref& types,
                                 double v = 0.5);

/// Deng's grey relational grade: minmax-normalise with directions, reference 1 in every column,
/// Δᵢⱼ = |1 − nᵢⱼ|, Δmin and Δmax over the whole matrix,
/// ξᵢⱼ = (Δmin + ρΔmax)/(Δᵢⱼ + ρΔmax), grade = Σⱼ wⱼ ξᵢⱼ; 0 < ρ <= 1 (`rectify.mcda.bad_option`).
/// If Δmax = 0 (every alternative is the reference) every ξ is 1.
[[nodiscard]] Eigen::VectorXd gra(const matrix_ref& x, const vector_ref& weights, const types_ref& types,
                                  double rho = 0.5);

struct copras_result {
  Eigen::VectorXd s_plus;   ///< Σ over benefit columns of dᵢⱼ = wⱼ xᵢⱼ/Σᵢ xᵢⱼ
  Eigen::VectorXd s_minus;  ///< the same over cost columns
  Eigen::VectorXd q;        ///< relative significance
  Eigen::VectorXd utility;  ///< Q/max Q, higher is better
};

/// COPRAS (Zavadskas 2007, the standard formula) on raw values:
/// Qᵢ = S⁺ᵢ + ΣS⁻/(S⁻ᵢ Σₖ 1/S⁻ₖ). Values must be >= 0, > 0 in cost columns, and every benefit
/// column must have a positive sum (`rectify.mcda.bad_matrix`). Without cost criteria (or with all
/// their weights 0) Q = S⁺.
[[nodiscard]] copras_result copras(const matrix_ref& x, const vector_ref& weights, const types_ref& types);

enum class preference { usual, u_shape, v_shape, level, linear, gaussian };

/// A PROMETHEE preference function of the difference d (in the criterion's direction):
/// usual d > 0; u_shape d > q; v_shape d/p up to p; level 0 up to q, 1/2 up to p, then 1;
/// linear (d − q)/(p − q) between q and p; gaussian 1 − exp(−d²/(2s²)) for d > 0.
struct preference_function {
  preference kind = preference::usual;
  double q = 0;  ///< indifference threshold
  double p = 0;  ///< preference threshold
  double s = 0;  ///< gaussian spread
};

struct promethee_result {
  Eigen::VectorXd phi_plus;   ///< leaving flow
  Eigen::VectorXd phi_minus;  ///< entering flow
  Eigen::VectorXd phi;        ///< net flow φ⁺ − φ⁻, higher is better
};

/// PROMETHEE II: π(a, b) = Σⱼ wⱼ Pⱼ(a, b), flows divided by m − 1 (all 0 for one alternative).
/// `functions` is empty (usual everywhere) or one per criterion; thresholds must be finite with
/// q >= 0, p > 0 for v_shape, p > q for level and linear, s > 0 for gaussian
/// (`rectify.mcda.bad_option`).
[[nodiscard]] promethee_result promethee2(const matrix_ref& x, const vector_ref& weights, const types_ref& types,
                                          const std::vector<preference_function>& functions = {});

/// Composition operator of fuzzy comprehensive evaluation: weighted_average is M(·,⊕),
/// bₖ = min(1, Σⱼ wⱼ rⱼₖ); min_max is M(∧,∨), bₖ = maxⱼ min(wⱼ, rⱼₖ); product_max is M(·,∨),
/// bₖ = maxⱼ wⱼ rⱼₖ.
enum class fce_operator { weighted_average, min_max, product_max };

struct fce_result {
  Eigen::VectorXd b;            ///< membership of each comment grade
  Eigen::Index grade = 0;       ///< grade of maximum membership (the first one on a tie)
  std::optional<double> score;  ///< B·v when grade values v were given
};

/// Fuzzy comprehensive evaluation (模糊综合评价) at one level: `r` is criteria × comment grades
/// (each row a criterion's memberships, e.g. vote shares, every entry in [0, 1], else
/// `rectify.mcda.bad_matrix`), one weight per criterion (rescaled to sum 1), B = W·R with `op`,
/// divided by its sum when `normalize_b` (and the sum is positive). `grade_values` is empty or one
/// finite value per grade. A tree is evaluated by calling this level by level, feeding each
/// level's B in as a row of the next level's R.
[[nodiscard]] fce_result fce(const matrix_ref& r, const vector_ref& weights,
                             fce_operator op = fce_operator::weighted_average, bool normalize_b = false,
                             const Eigen::VectorXd& grade_values = Eigen::VectorXd());

}  // namespace rectify::mcda
