#pragma once
/// Robustness of an MCDA ranking (docs: ../shared/docs/mcda.md, "Robustness"): SMAA-2 rank
/// acceptability (Lahdelma & Salminen 2001) and one-at-a-time weight sensitivity, for every
/// aggregation of aggregate.hpp through one dispatcher.
///
///   using namespace rectify::mcda;
///   smaa_options o;
///   o.m = method::topsis;
///   o.samples = 10000;
///   smaa_result r = smaa(x, types, o);          // r.acceptability(i, 0): share of samples where i is first
///   auto s = sensitivity(x, w, types);         // WSM; s[j].decrease, s[j].increase
///
/// Ties inside this header: two scores tie when they differ by at most 1e-12 of the larger
/// magnitude (the cheap counterpart of rank()'s 12-significant-digit rule, needed because SMAA
/// ranks millions of scores); tied alternatives share the better rank (competition ranking,
/// "1224").
#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "rectify/core/progress.hpp"
#include "rectify/mcda/aggregate.hpp"
#include "rectify/mcda/common.hpp"
#include "rectify/mcda/normalize.hpp"

namespace rectify::mcda {

/// The aggregations SMAA and the sensitivity analysis can drive (FCE is not one: it aggregates
/// memberships, not a decision matrix).
enum class method { wsm, wpm, topsis, vikor, copras, promethee2, gra };

/// "wsm", "wpm", "topsis", "vikor", "copras", "promethee2" or "gra"; anything else is
/// `rectify.mcda.bad_method` listing the valid names.
[[nodiscard]] method parse_method(std::string_view name);

/// The name `parse_method` accepts for `m`.
[[nodiscard]] std::string_view to_string(method m);

/// Whether the method's main score is higher-is-better: false only for VIKOR's Q.
[[nodiscard]] bool higher_is_better(method m) noexcept;

/// The parameters of every aggregation, so each one of aggregate.hpp is reachable: `norm` for
/// wsm, wpm and topsis (the others fix their own: VIKOR, COPRAS and PROMETHEE II use raw values,
/// GRA minmax); `v` for VIKOR; `rho` for GRA; `functions` for PROMETHEE II (empty = usual on
/// every criterion, else one per criterion).
struct method_options {
  normalization norm = normalization::minmax;
  double v = 0.5;
  double rho = 0.5;
  std::vector<preference_function> functions;
};

/// The method's main score for one weight vector, exactly as aggregate.hpp computes it: WSM/WPM
/// score, TOPSIS closeness C, VIKOR Q (lower is better, see `higher_is_better`), COPRAS utility,
/// PROMETHEE II net flow φ, GRA grade. Inputs are checked and the weights rescaled as there.
[[nodiscard]] Eigen::VectorXd method_scores(method m, const matrix_ref& x, const vector_ref& weights,
                                            const types_ref& types, const method_options& opts = {});

/// Scores of one fixed decision matrix for many weight vectors at once. Every method above is,
/// after a weight-independent precomputation, a matrix product with the weights plus a cheap
/// per-column finish: WSM N·W; WPM exp(ln N·W) (a zero normalised value of a positively weighted
/// criterion gives 0); TOPSIS D±² = (N − colmax/colmin)²·W² because the ideal of v = w∘n is
/// w∘colmax(n); VIKOR S = D·W and R = maxⱼ wⱼdᵢⱼ; COPRAS S± = B±·W; PROMETHEE II φ = F·W
/// with Fᵢⱼ the net single-criterion flow; GRA ξ·W. The construction runs the method once with
/// equal weights, so a bad matrix or option is refused with the method's own error. Results
/// equal `method_scores` up to rounding (about 1e-15 relative).
class batch_scorer {
 public:
  batch_scorer(method m, const matrix_ref& x, const types_ref& types, const method_options& opts = {});

  /// Scores (alternatives × K) for the K weight vectors in the columns of `w` (criteria × K);
  /// each column is checked and rescaled to sum 1 like every method's weights
  /// (`rectify.mcda.bad_weights` naming the column).
  [[nodiscard]] Eigen::MatrixXd scores(const matrix_ref& w) const;

  /// Memory `scores` reuses between calls (a loop that scores block after block then allocates
  /// nothing once the sizes settle). One per thread: the scorer itself is shared read-only.
  struct workspace {
    Eigen::MatrixXd w, a, b;
  };

  /// The same scores written into `out` (resized if needed), with temporaries in `ws`.
  void scores(const matrix_ref& w, Eigen::MatrixXd& out, workspace& ws) const;

  [[nodiscard]] method kind() const noexcept { return method_; }
  [[nodiscard]] Eigen::Index alternatives() const noexcept { return rows_; }
  [[nodiscard]] Eigen::Index criteria() const noexcept { return cols_; }

 private:
  method method_;
  Eigen::Index rows_ = 0, cols_ = 0;
  double v_ = 0.5;
  bool has_zero_ = false;   // WPM: some normalised value is 0
  Eigen::MatrixXd linear_;  // the matrix multiplied by the weights (N, ln N, D, B⁺, F, ξ; TOPSIS: (N − max)²)
  Eigen::MatrixXd second_;  // WPM: 1 where N is 0; TOPSIS: (N − min)²; COPRAS: B⁻
};

/// How SMAA draws weight vectors (all on the simplex Σw = 1, w >= 0):
/// - uniform_simplex: uniformly, as normalised standard exponentials (a flat Dirichlet; Devroye
///   1986, Non-Uniform Random Variate Generation, ch. V, uniform spacings), the "no preference information" case
///   of Lahdelma & Salminen (2001);
/// - intervals: uniformly on the part of the simplex inside the box lower <= w <= upper, by
///   rejection: w = lower + (1 − Σlower)·u with u uniform on the simplex (an affine map keeps
///   uniformity), keeping draws with w <= upper;
/// - dirichlet: Dirichlet(concentration · center) around given weights: E[w] = center,
///   Var(wⱼ) = cⱼ(1 − cⱼ)/(concentration + 1).
enum class weight_sampling { uniform_simplex, intervals, dirichlet };

/// "uniform_simplex", "intervals" or "dirichlet"; else `rectify.mcda.bad_option`.
[[nodiscard]] weight_sampling parse_weight_sampling(std::string_view name);
[[nodiscard]] std::string_view to_string(weight_sampling s);

/// A progress callback: `done` of `total` units of work so far. Called only from the thread that
/// called the function (never from a worker thread), at the start (done = 0), whenever done has
/// moved by about a hundredth of total, and at the end (done = total): at most about 100 calls,
/// with done never decreasing. Returning false cancels the call, which then throws
/// `rectify.cancelled` ("cancelled by the progress callback") once its worker threads have
/// stopped; an exception thrown by the callback cancels the same way and is rethrown as it is.
/// The result never depends on the callback.
using progress_callback = rectify::progress_callback;

/// Options of `smaa`. Bad values are `rectify.mcda.bad_option` with the reason.
struct smaa_options {
  method m = method::topsis;
  method_options opts;
  weight_sampling sampling = weight_sampling::uniform_simplex;
  /// intervals: per-criterion bounds, 0 <= lower <= upper <= 1, Σlower <= 1 <= Σupper. The
  /// rejection sampler first draws a pilot of 100,000 candidates from its own stream and refuses
  /// a box whose acceptance is below 1e-4 (the message gives the estimate).
  Eigen::VectorXd lower, upper;
  /// dirichlet: the centre (finite, >= 0, positive sum; rescaled to sum 1) and the concentration
  /// (> 0; larger = tighter; a zero centre entry gives that criterion weight 0).
  Eigen::VectorXd center;
  double concentration = 100;
  std::size_t samples = 10000;  ///< weight samples (> 0); also the confidence-factor samples
  std::uint64_t seed = 1;
  unsigned threads = 0;  ///< 0 = every hardware thread; the result does not depend on it
  /// Optional standard deviations of the criterion values (alternatives × criteria, finite,
  /// >= 0): each sample then also draws x + sd∘z with z standard normal. Empty = exact values.
  Eigen::MatrixXd x_sd;
  /// Optional progress (see `progress_callback`), counted in samples evaluated: total =
  /// `samples`, or 2 × `samples` with x_sd (the confidence factors draw another `samples`
  /// matrices). Empty = none, at no cost.
  progress_callback progress;
};

/// The SMAA-2 result (Lahdelma & Salminen 2001).
struct smaa_result {
  /// bᵢʳ (alternatives × ranks): the share of samples in which alternative i takes rank r + 1
  /// (column r). Ties take competition ranks ("1224"), so every row sums to 1 and, without ties,
  /// so does every column.
  Eigen::MatrixXd acceptability;
  /// wᵢᶜ (alternatives × criteria): the mean of the weight samples in which i is first (ties at
  /// the top count for each tied alternative); a NaN row for an alternative never first.
  Eigen::MatrixXd central_weights;
  /// pᵢᶜ: the share of criterion-value samples in which i is first when the weights are its
  /// central weights. With exact values (no x_sd) it is 0 or 1 (one evaluation); with x_sd it is
  /// estimated from `samples` draws of an independent stream. NaN where there is no central
  /// weight vector.
  Eigen::VectorXd confidence;
  /// Holistic acceptability aᵢʰ = Σᵣ αᵣ bᵢʳ with the linear meta-weights αᵣ = (m − r)/(m − 1)
  /// (α₁ = 1, αₘ = 0; α₁ = 1 when m = 1), one of the choices of Lahdelma & Salminen (2001).
  Eigen::VectorXd holistic;
  std::size_t samples = 0;
};

/// SMAA-2 of the decision matrix `x` (alternatives × criteria) for `options.m`. Reproducible:
/// the samples are cut into fixed blocks of 256, each drawing from its own mt19937_64 seeded by
/// splitmix64 from (seed, stream, block), and the results are combined in block order, so the
/// same seed gives bit-identical results for any thread count. Uses `threads` std::threads over
/// the blocks. NaN in `x` is `rectify.mcda.not_finite` naming row and column.
[[nodiscard]] smaa_result smaa(const matrix_ref& x, const types_ref& types, const smaa_options& options);

/// The weight vectors SMAA draws (criteria × `options.samples`, each column on the simplex), for
/// plotting or checking the sampling: column k is the weight vector of sample k of `smaa` with the
/// same options when the criterion values are exact (with x_sd the streams also carry the value
/// noise). Sampling options are checked as in `smaa`.
[[nodiscard]] Eigen::MatrixXd sample_weights(Eigen::Index criteria, const smaa_options& options);

/// Options of `sensitivity`.
struct sensitivity_options {
  method m = method::wsm;
  method_options opts;
  /// Watch the order of this pair (0-based alternatives, distinct) instead of the first rank.
  std::optional<std::pair<Eigen::Index, Eigen::Index>> pair;
  /// Scan resolution: each direction's feasible range is scanned in this many equal steps before
  /// bisection; a change that appears and disappears again between two scan points (possible for
  /// non-monotone methods such as TOPSIS or VIKOR) is missed.
  std::size_t steps = 1000;
  double tolerance = 1e-10;  ///< bisection stops when the bracket is this narrow (in weight)
};

/// The sensitivity of one criterion's weight.
struct criterion_sensitivity {
  double weight = 0;  ///< the criterion's weight after rescaling the input to sum 1
  /// The smallest signed change of wⱼ (decrease < 0, increase > 0; the others rescaled
  /// proportionally to keep Σw = 1) at which the watched outcome changes, within `tolerance`
  /// on the changed side; nullopt if nothing changes within wⱼ ∈ [0, 1].
  std::optional<double> decrease, increase;
  /// The alternative first at that change (the lowest position among those newly first; the
  /// lowest first if the change only removes a tie). nullopt without a change or in pair mode.
  std::optional<Eigen::Index> new_first_down, new_first_up;
};

/// One-at-a-time weight sensitivity (docs: ../shared/docs/mcda.md, "Robustness"). Moving wⱼ to t
/// sets wₖ = wₖ(1 − t)/(1 − wⱼ) for k ≠ j (if wⱼ = 1 the others share 1 − t equally). The
/// watched outcome is the set of first-ranked alternatives (a change of that set counts), or
/// with `pair` the order of the two (a, b better, tied, b better; entering or leaving a tie
/// counts). Generic for every method: a scan of `steps` points per direction, then bisection.
/// With one criterion nothing can change.
[[nodiscard]] std::vector<criterion_sensitivity> sensitivity(const matrix_ref& x, const vector_ref& weights,
                                                             const types_ref& types,
                                                             const sensitivity_options& options = {});

}  // namespace rectify::mcda
