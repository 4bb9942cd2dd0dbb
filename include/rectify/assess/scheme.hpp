#pragma once
/// The assessment scheme (考核方案) as a plain C++ model: an indicator tree with points or
/// weights, rules, per-occurrence deductions, capped bonus, direct penalties, vetoes and grade
/// bands. `io/scheme_json.hpp` reads it from `rectify.scheme/1` JSON; `validate` checks every
/// rule of scoring.md §1 and returns all problems at once; `compile` turns it into a plan.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/mcda/weights.hpp"

namespace rectify::assess {

enum class missing_policy { error, zero, reweight };
enum class rule_type { linear, steps, piecewise, check, direct };

/// How an inner node derives its children's weights (`"weights": {"method": ...}`): `ahp` from
/// a pairwise comparison matrix (static), or `entropy`, `critic`, `std` from the children's
/// fractions f(x) over the units being scored (the cohort).
enum class weights_method { ahp, entropy, critic, std_dev };

/// True for the methods whose weights depend on the cohort (`entropy`, `critic`, `std`).
[[nodiscard]] constexpr bool from_cohort(weights_method m) noexcept {
  return m != weights_method::ahp;
}

/// An inner node's `"weights"`: how it derives its children's weights. The children then give neither `points` nor
/// `weight`: they share the node's points in proportion to the derived weights. Example: `{"method": "ahp", "matrix":
/// [[1, 3], ["1/3", 1]]}`.
struct weights_spec {
  weights_method method = weights_method::ahp;
  /// AHP: a_ij = importance of child i over child j, children in the scheme's order.
  std::vector<std::vector<double>> matrix;
  double max_cr = 0.1;  ///< AHP: a consistency ratio above this is an error
  mcda::ahp_method ahp_method = mcda::ahp_method::eigenvector;
  mcda::random_index ri = mcda::random_index::saaty1980;
  bool damaged = false;  ///< see node::damaged
};

/// How a leaf's input becomes a fraction of its points (scoring.md §3).
struct rule {
  rule_type type = rule_type::linear;
  double worst = 0.0;                            ///< linear
  double best = 1.0;                             ///< linear
  bool at_most = false;                          ///< steps: at_most instead of at_least
  std::vector<std::pair<double, double>> table;  ///< steps [t, f] or piecewise [x, f]
};

/// A per-occurrence item: a leaf's deduction (no id), a bonus item or a penalty.
struct count_item {
  std::string id;  ///< empty for deductions
  std::string name;
  std::string input;
  double per = 0.0;
  std::optional<double> cap;
  bool damaged = false;  ///< see node::damaged
};

struct node {
  std::string id;
  std::string name;
  std::optional<double> points;
  std::optional<double> weight;
  std::optional<std::string> input;  ///< rule input; defaults to the id
  std::optional<rule> rule_;
  std::optional<std::vector<count_item>> deductions;
  std::optional<std::vector<node>> children;  ///< present: an inner node
  std::optional<weights_spec> weights;        ///< derives the children's weights
  /// Set by the reader when one of this entity's own values could not be read (wrong type,
  /// not an object). The entity keeps its place, so that later problems name the right index,
  /// and validation adds no follow-on complaints about it (a sum that fails only because of it).
  bool damaged = false;

  [[nodiscard]] bool is_leaf() const noexcept { return !children.has_value(); }
  /// The column the rule reads.
  [[nodiscard]] const std::string& rule_input() const noexcept { return input ? *input : id; }
};

struct bonus_section {
  std::optional<double> cap;
  std::vector<count_item> items;
  bool damaged = false;  ///< see node::damaged
};

struct veto {
  std::string id;
  std::string name;
  std::string input;
  double above = 0.0;
  std::string max_grade;
  bool damaged = false;  ///< see node::damaged
};

struct grade {
  std::string name;
  std::optional<double> min;
  std::optional<double> quota;
  bool damaged = false;  ///< see node::damaged
};

struct scheme {
  std::string format = "rectify.scheme/1";
  std::string id;
  std::string name;
  double total = 100.0;
  missing_policy missing = missing_policy::error;
  std::vector<node> indicators;
  std::optional<bonus_section> bonus;
  std::vector<count_item> penalties;
  std::vector<veto> vetoes;
  std::vector<grade> grades;
  bool damaged = false;             ///< `id`, `total` or `missing` could not be read (see node::damaged)
  bool indicators_damaged = false;  ///< `indicators` absent or not an array (already reported)
  bool grades_damaged = false;      ///< `grades` absent or not an array (already reported)
};

/// Every semantic problem of a scheme (scoring.md §1, §5½), each with its JSON pointer.
/// Returns an empty vector for a valid scheme; never throws.
[[nodiscard]] std::vector<problem> validate(const scheme& s);

[[nodiscard]] const char* to_string(missing_policy p) noexcept;
[[nodiscard]] const char* to_string(rule_type t) noexcept;
/// "ahp", "entropy", "critic" or "std", as in the scheme file.
[[nodiscard]] const char* to_string(weights_method m) noexcept;

}  // namespace rectify::assess
