#pragma once
/// The scoring engine. A scheme is compiled once into a flat plan (nodes in pre-order, leaf
/// operations, input columns); `score` then evaluates the plan column by column over blocks of
/// units, reading each input column in place (no copy of float64 data), and ranks, grades and
/// applies quotas over the whole cohort.
///
///   auto plan = rectify::assess::compile(rectify::io::load_scheme_file("scheme.json"));
///   auto data = rectify::io::read_units_csv_file("units.csv");
///   auto res = rectify::assess::score(plan, data.view());
///   double s = res.score[0];
#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "rectify/assess/scheme.hpp"
#include "rectify/core/table.hpp"

namespace rectify::assess {

enum class lang { zh, en };

/// A node of the compiled tree; `nodes` of a plan are in pre-order (parents first).
struct plan_node {
  std::string id;
  std::string name;
  int parent = -1;  ///< index of the parent node, -1 for the root's children
  int leaf = -1;    ///< index into plan::leaves, -1 for an inner node
  double points = 0.0;
  std::string path;  ///< JSON pointer in the scheme
};

struct count_op {
  std::string id;
  std::string name;
  int input = -1;  ///< index into plan::inputs
  double per = 0.0;
  double cap = std::numeric_limits<double>::infinity();
};

struct leaf_op {
  int node = -1;
  bool has_rule = false;
  rule_type type = rule_type::linear;
  int input = -1;  ///< rule input (index into plan::inputs), -1 without a rule
  double worst = 0.0, best = 1.0;
  bool at_most = false;
  std::vector<double> x, f;  ///< steps thresholds (sorted ascending) or piecewise points
  std::vector<count_op> deductions;
};

struct veto_op {
  std::string id;
  std::string name;
  int input = -1;
  double above = 0.0;
  int max_grade = 0;
};

struct grade_op {
  std::string name;
  double min = -std::numeric_limits<double>::infinity();  ///< -inf for the last grade
  double quota = 0.0;                                     ///< 0 = no quota
};

/// The weights a node derives for its children (a `"weights"` object of the scheme; docs/scheme.md,
/// "Derived weights"). In a plan, AHP weights are complete; the weights of a cohort method
/// (`entropy`, `critic`, `std`) are empty until `score` derives them from the data, and the
/// children's `plan_node::points` are NaN until then. A `result` holds every group complete.
struct derived_weights {
  int node = -1;     ///< index into plan::nodes of the node whose children are weighted
  std::string path;  ///< JSON pointer of its "weights"
  weights_method method = weights_method::ahp;
  std::vector<int> children;  ///< indices into plan::nodes, in the scheme's order
  double points = 0.0;        ///< the points the children share
  Eigen::VectorXd weights;    ///< one per child, sum 1; empty while not derived
  /// AHP only (NaN otherwise): principal eigenvalue, consistency index and ratio.
  double lambda_max = std::numeric_limits<double>::quiet_NaN();
  double ci = std::numeric_limits<double>::quiet_NaN();
  double cr = std::numeric_limits<double>::quiet_NaN();
  /// Cohort methods: the units the weights were derived from (those with a value for every
  /// child's input).
  std::size_t units = 0;
  /// Cohort methods: the method cannot tell the children apart for this cohort (every child's
  /// fraction is the same for every unit, or, for CRITIC, every pair of non-constant fractions
  /// is perfectly correlated), so the weights are equal by convention.
  bool equal_fallback = false;

  [[nodiscard]] bool derived() const noexcept { return static_cast<std::size_t>(weights.size()) == children.size(); }
};

/// A validated scheme flattened for evaluation. Cheap to copy; build it once per scheme.
struct plan {
  std::string id;
  std::string name;
  double total = 100.0;
  missing_policy missing = missing_policy::error;
  std::vector<plan_node> nodes;
  std::vector<leaf_op> leaves;
  std::vector<std::string> inputs;            ///< every input the scheme reads, in order of first use
  std::vector<std::string> input_users;       ///< JSON pointer of the first thing that reads each input
  std::vector<unsigned char> input_is_count;  ///< read as a count (deduction, bonus, penalty)
  std::vector<count_op> bonus;
  double bonus_cap = std::numeric_limits<double>::infinity();
  std::vector<count_op> penalties;
  std::vector<veto_op> vetoes;
  std::vector<grade_op> grades;
  std::vector<derived_weights> derived;  ///< every node that derives its children's weights, in pre-order

  /// Index of the node with this id, or -1.
  [[nodiscard]] int find_node(std::string_view id) const noexcept;
  /// Some weights come from the cohort and are not derived yet (see `derived_weights`).
  [[nodiscard]] bool needs_cohort() const noexcept;
};

/// Validates and flattens a scheme; throws `rectify::error` with every problem.
[[nodiscard]] plan compile(const scheme& s);

struct score_options {
  /// Keep the earned points of every node (units × nodes doubles). Turn off to score very
  /// large cohorts for their totals, grades and ranks only.
  bool nodes = true;
};

/// Scores of a cohort; unit i is row i of the table that was scored.
struct result {
  Eigen::VectorXd score, base, bonus, penalty;
  Eigen::VectorXi band;                      ///< index into plan::grades, from the score alone
  Eigen::VectorXi grade;                     ///< after vetoes and quotas
  Eigen::VectorXi rank;                      ///< competition rank, 1 = best
  Eigen::MatrixXd nodes;                     ///< units × plan::nodes earned points; NaN = dropped ("reweight")
  std::vector<std::size_t> veto_offsets{0};  ///< CSR: vetoes of unit i are
  std::vector<int> veto_index;               ///< veto_index[veto_offsets[i] .. veto_offsets[i+1])
  std::vector<std::size_t> missing_offsets{0};
  std::vector<int> missing_input;  ///< indices into plan::inputs
  /// Every derived weight of the scheme, complete (plan::derived with the cohort's weights).
  std::vector<derived_weights> derived;

  [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(score.size()); }
  [[nodiscard]] std::span<const int> vetoes(std::size_t unit) const noexcept {
    return {veto_index.data() + veto_offsets[unit], veto_offsets[unit + 1] - veto_offsets[unit]};
  }
  [[nodiscard]] std::span<const int> missing(std::size_t unit) const noexcept {
    return {missing_input.data() + missing_offsets[unit], missing_offsets[unit + 1] - missing_offsets[unit]};
  }
};

/// Scores every unit of `data` (scoring.md §3–5). Throws `rectify::error` (codes
/// `rectify.data.*`) naming units, inputs and, when the table came from a file, file:line:col.
/// Weights of a cohort method are derived from `data` first (see `derive_weights`); they are
/// in `result::derived`.
[[nodiscard]] result score(const plan& p, const table_view& data, const score_options& options = {});

/// The weights of every cohort method of `p` derived from the fractions f(x) of the children
/// over the units of `data` that have a value for every child's input; the AHP weights as they
/// are. Throws `rectify.data.cohort_too_small` (fewer than 2 such units) or
/// `rectify.data.weights_undefined`. Returns `p.derived` completed.
[[nodiscard]] std::vector<derived_weights> derive_weights(const plan& p, const table_view& data);

/// `p` with the given derived weights put in (the children's points set from them), as
/// `score` evaluates it. `derived` is `p.derived` completed, e.g. `result::derived` of a cohort
/// scored with `p`; anything else is `rectify.data.weights_undefined`.
[[nodiscard]] plan with_weights(const plan& p, const std::vector<derived_weights>& derived);

/// `derive_weights` that reports instead of throwing, as `score` does internally: a group whose
/// weights cannot be derived gets equal weights and its problem is appended to `problems`.
/// `score` raises those problems only when the data has no problem of its own, so a caller
/// that scores a cohort in pieces (Dask partitions) uses this, scores every piece with
/// `with_weights(p, derived)`, and raises `problems` last.
[[nodiscard]] std::vector<derived_weights> derive_weights(const plan& p, const table_view& data,
                                                          std::vector<problem>& problems);

/// Indices into `p.inputs` of the inputs that weights still to be derived from the cohort read
/// (the rule inputs of the children of every cohort group of `p`), ascending; empty when
/// `!p.needs_cohort()`. A table of just these columns, in the cohort's unit order, derives the
/// same weights as the whole table.
[[nodiscard]] std::vector<int> cohort_inputs(const plan& p);

/// For every unit of `r`, the grade its vetoes cap it at: the largest `max_grade` of the vetoes
/// that fired (an index into `p.grades`), 0 when none did.
[[nodiscard]] Eigen::VectorXi veto_ceiling(const plan& p, const result& r);

/// The cohort pass of `score` (scoring.md §5–5½) over arrays, one entry per unit of the whole
/// cohort: `band` from the score alone, `grade` = the worse of the band and `veto_ceiling`, then
/// quotas, and the competition `rank`. `score` runs exactly this, so a cohort scored in pieces
/// and passed here whole gets the grades and ranks of one `score` call. Throws
/// `rectify.data.shape` for arrays of different lengths, `rectify.data.not_finite` for a NaN
/// score and `rectify.data.bad_grade` for a ceiling outside `p.grades`.
void rank_and_grade(const plan& p, const Eigen::Ref<const Eigen::VectorXd>& score,
                    const Eigen::Ref<const Eigen::VectorXi>& veto_ceiling, Eigen::VectorXi& band,
                    Eigen::VectorXi& grade, Eigen::VectorXi& rank);

/// One lost point of a unit (扣分说明): the node, the points lost (negative when the floor at
/// zero gives points back) and why, e.g. `会议记录不完整 3 次 × 0.5 分 = −1.5`.
struct lost_item {
  std::string node;
  double points = 0.0;
  std::string why;
};

/// Why unit `unit` of `data` lost each point; the items sum to total − base + penalty.
/// With cohort weights, they are derived from the whole of `data` again; pass the `result`
/// (or a plan from `with_weights`) to use the weights the cohort was scored with.
[[nodiscard]] std::vector<lost_item> explain(const plan& p, const table_view& data, std::size_t unit,
                                             lang language = lang::zh);
/// The same for a unit of the scored cohort `r`, with the weights `r` was scored with.
[[nodiscard]] std::vector<lost_item> explain(const plan& p, const table_view& data, const result& r, std::size_t unit,
                                             lang language = lang::zh);

/// Competition ranks ("1224", 1 = highest) with the symmetric tie tolerance of scoring.md §5½.
[[nodiscard]] Eigen::VectorXi competition_rank(const Eigen::Ref<const Eigen::VectorXd>& scores);

/// Two scores tie when |a − b| ≤ 1e-9 × max(1, |a|, |b|).
[[nodiscard]] bool scores_tie(double a, double b) noexcept;

}  // namespace rectify::assess
