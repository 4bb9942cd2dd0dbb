#include "rectify/assess/scheme.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace rectify::assess {

const char* to_string(missing_policy p) noexcept {
  switch (p) {
    case missing_policy::error:
      return "error";
    case missing_policy::zero:
      return "zero";
    case missing_policy::reweight:
      return "reweight";
  }
  return "?";
}

const char* to_string(rule_type t) noexcept {
  switch (t) {
    case rule_type::linear:
      return "linear";
    case rule_type::steps:
      return "steps";
    case rule_type::piecewise:
      return "piecewise";
    case rule_type::check:
      return "check";
    case rule_type::direct:
      return "direct";
  }
  return "?";
}

const char* to_string(weights_method m) noexcept {
  switch (m) {
    case weights_method::ahp:
      return "ahp";
    case weights_method::entropy:
      return "entropy";
    case weights_method::critic:
      return "critic";
    case weights_method::std_dev:
      return "std";
  }
  return "?";
}

namespace {

// λmax, CI and CR in a message: 4 decimals are what AHP papers print; trailing zeros dropped.
std::string decimals4(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// The reciprocal of a judgement as a user would write it: 3 -> "1/3", 1/3 -> "3".
std::string reciprocal_text(double a) {
  auto whole = [](double v) { return v >= 1 && v <= 1e6 && std::abs(v - std::round(v)) <= 1e-9 * v; };
  if (whole(a)) return "\"1/" + number_text(std::round(a)) + "\"";
  if (whole(1 / a)) return number_text(std::round(1 / a));
  return number_text(1 / a);
}

// How many children the random-index tables of mcda/weights.hpp cover.
std::size_t ri_table_size(mcda::random_index t) {
  return t == mcda::random_index::saaty1980 ? 10 : 15;
}

class validator {
 public:
  explicit validator(const scheme& s) : s_(s) {}

  std::vector<problem> run() {
    if (!s_.damaged && s_.format != "rectify.scheme/1")
      add("rectify.scheme.format", "/format", "must be \"rectify.scheme/1\", not " + rectify::quoted(s_.format));
    if (s_.id.empty() && !s_.damaged) add("rectify.scheme.bad_value", "/id", "must not be empty");
    bool total_ok = finite(s_.total, "/total");
    if (total_ok && !(s_.total > 0)) {
      add("rectify.scheme.bad_number", "/total", "must be > 0, not " + number_text(s_.total));
      total_ok = false;
    }
    if (s_.indicators.empty() && !s_.indicators_damaged)
      add("rectify.scheme.bad_node", "/indicators", "needs at least one indicator");
    siblings(s_.indicators, "/indicators", total_ok && !s_.damaged ? std::optional<double>(s_.total) : std::nullopt,
             s_.damaged);
    if (s_.bonus) {
      non_negative(s_.bonus->cap, "/bonus/cap");
      for (std::size_t i = 0; i < s_.bonus->items.size(); ++i)
        item(s_.bonus->items[i], pointer_append("/bonus/items", i), true);
    }
    for (std::size_t i = 0; i < s_.penalties.size(); ++i) item(s_.penalties[i], pointer_append("/penalties", i), true);
    grades();
    for (std::size_t i = 0; i < s_.vetoes.size(); ++i) {
      const auto& v = s_.vetoes[i];
      std::string p = pointer_append("/vetoes", i);
      if (v.damaged) {
        if (!v.id.empty()) claim_id(v.id, p);
        continue;
      }
      claim_id(v.id, p);
      finite(v.above, pointer_append(p, "above"));
      input_name(v.input, pointer_append(p, "input"));
      bool known = false, unreadable = s_.grades_damaged;
      for (const auto& g : s_.grades) {
        known = known || g.name == v.max_grade;
        unreadable = unreadable || (g.damaged && g.name.empty());
      }
      if (!known && !unreadable && !s_.grades.empty())
        add("rectify.scheme.bad_veto", pointer_append(p, "max_grade"),
            rectify::quoted(v.max_grade) + " is not a grade of this scheme");
    }
    return std::move(out_);
  }

 private:
  void add(std::string code, std::string path, std::string message) {
    out_.push_back({std::move(code), std::move(path), std::move(message), {}});
  }

  void claim_id(const std::string& id, const std::string& path) {
    if (id.empty()) {
      add("rectify.scheme.bad_value", pointer_append(path, "id"), "must not be empty");
      return;
    }
    auto [it, fresh] = ids_.emplace(id, path);
    if (!fresh)
      add("rectify.scheme.duplicate_id", pointer_append(path, "id"),
          rectify::quoted(id) + " is already the id of " + it->second);
  }

  void input_name(const std::string& input, const std::string& path) {
    if (input.empty())
      add("rectify.scheme.bad_value", path, "an input name must not be empty");
    else if (input == "unit")
      add("rectify.scheme.reserved_input", path, "\"unit\" is the column of unit ids and cannot be an input");
  }

  // JSON cannot hold NaN or infinity, but a scheme built in C++ (or from Python) can.
  bool finite(double v, const std::string& path) {
    if (std::isfinite(v)) return true;
    add("rectify.scheme.bad_number", path, "must be a finite number, not " + number_text(v));
    return false;
  }

  void non_negative(const std::optional<double>& v, const std::string& path) {
    if (v && finite(*v, path) && *v < 0) add("rectify.scheme.bad_number", path, "must be >= 0, not " + number_text(*v));
  }

  void item(const count_item& it, const std::string& path, bool with_id) {
    if (it.damaged) {
      if (with_id && !it.id.empty()) claim_id(it.id, path);
      return;
    }
    if (with_id) claim_id(it.id, path);
    input_name(it.input, pointer_append(path, "input"));
    if (finite(it.per, pointer_append(path, "per")) && !(it.per > 0))
      add("rectify.scheme.bad_number", pointer_append(path, "per"), "must be > 0, not " + number_text(it.per));
    non_negative(it.cap, pointer_append(path, "cap"));
  }

  // Checks a sibling group. `parent_points` is unknown (nullopt) when an ancestor is damaged,
  // so that one bad value does not produce a cascade of sum complaints.
  // `derive` is the parent's "weights" (at `weights_path`), when it derives them.
  void siblings(const std::vector<node>& nodes, const std::string& path, std::optional<double> parent_points,
                bool parent_damaged, const weights_spec* derive = nullptr, const std::string& weights_path = {}) {
    if (derive) {
      derived_siblings(nodes, path, parent_points, *derive, weights_path);
      return;
    }
    bool any_points = false, any_weight = false, damaged = parent_damaged;
    for (const auto& n : nodes) {
      any_points = any_points || n.points.has_value();
      any_weight = any_weight || n.weight.has_value();
      damaged = damaged || n.damaged;
    }
    bool mixed = any_points && any_weight;
    if (mixed)
      add("rectify.scheme.mixed_points", path, "siblings give either all \"points\" or all \"weight\", never a mix");
    double sum_points = 0, sum_weight = 0;
    bool complete = !damaged && !mixed;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const auto& n = nodes[i];
      std::string p = pointer_append(path, i);
      if (n.points && n.weight) {
        add("rectify.scheme.mixed_points", p, "gives both \"points\" and \"weight\"; keep one");
        complete = false;
      } else if (!n.points && !n.weight && !n.damaged) {
        add("rectify.scheme.missing_points", p, "needs \"points\" or \"weight\"");
        complete = false;
      }
      non_negative(n.points, pointer_append(p, "points"));
      non_negative(n.weight, pointer_append(p, "weight"));
      auto bad = [](const std::optional<double>& v) { return v && !(std::isfinite(*v) && *v >= 0); };
      if (bad(n.points) || bad(n.weight)) complete = false;
      sum_points += n.points.value_or(0);
      sum_weight += n.weight.value_or(0);
    }
    if (complete && any_weight && !(sum_weight > 0)) {
      add("rectify.scheme.zero_weights", path, "the weights of these siblings are all zero");
      complete = false;
    }
    if (complete && any_points && parent_points) {
      double want = *parent_points;
      if (std::abs(sum_points - want) > 1e-9 * std::max(1.0, std::abs(want)))
        add("rectify.scheme.points_sum", path,
            "the points of these indicators sum to " + number_text(sum_points) + ", but their parent has " +
                number_text(want));
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const auto& n = nodes[i];
      std::optional<double> pts;
      if (complete && parent_points) {
        if (n.points)
          pts = *n.points;
        else if (n.weight)
          pts = *parent_points * *n.weight / sum_weight;
      }
      one(n, pointer_append(path, i), pts);
    }
  }

  void one(const node& n, const std::string& path, std::optional<double> points) {
    if (!n.id.empty() || !n.damaged) claim_id(n.id, path);
    if (!n.is_leaf()) {
      if (n.rule_)
        add("rectify.scheme.bad_node", pointer_append(path, "rule"), "an indicator with children has no rule");
      if (n.deductions)
        add("rectify.scheme.bad_node", pointer_append(path, "deductions"),
            "an indicator with children has no deductions");
      if (n.input)
        add("rectify.scheme.bad_node", pointer_append(path, "input"), "an indicator with children reads no input");
      if (n.children->empty() && !n.damaged)
        add("rectify.scheme.bad_node", pointer_append(path, "children"), "must not be empty (leave it out for a leaf)");
      siblings(*n.children, pointer_append(path, "children"), points, n.damaged, n.weights ? &*n.weights : nullptr,
               pointer_append(path, "weights"));
      return;
    }
    if (n.weights)
      add("rectify.scheme.bad_node", pointer_append(path, "weights"),
          "only an indicator with children derives its children's weights");
    if (!n.rule_ && !n.deductions && !n.damaged)
      add("rectify.scheme.bad_node", path, "a leaf needs a \"rule\", \"deductions\", or both");
    if (n.rule_) {
      // An empty or absent id was complained about already; its emptiness as an input is no news.
      if (n.input || !n.id.empty())
        input_name(n.rule_input(), n.input ? pointer_append(path, "input") : pointer_append(path, "id"));
      check_rule(*n.rule_, pointer_append(path, "rule"));
    } else if (n.input && !n.damaged) {  // damaged: the rule may be there but unreadable
      add("rectify.scheme.bad_node", pointer_append(path, "input"),
          "a leaf without a rule reads no input (it would be ignored); name the inputs in its deductions");
    }
    if (n.deductions) {
      std::string dp = pointer_append(path, "deductions");
      if (n.deductions->empty() && !n.damaged) add("rectify.scheme.bad_node", dp, "must not be empty (leave it out)");
      for (std::size_t i = 0; i < n.deductions->size(); ++i) item((*n.deductions)[i], pointer_append(dp, i), false);
    }
  }

  // Children of a node that derives their weights: they give neither points nor weight, and
  // share the parent's points by the derived weights.
  void derived_siblings(const std::vector<node>& nodes, const std::string& path, std::optional<double> parent_points,
                        const weights_spec& w, const std::string& weights_path) {
    const std::string method = rectify::quoted(to_string(w.method));
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const auto& n = nodes[i];
      std::string p = pointer_append(path, i);
      auto refuse = [&](const char* key) {
        add("rectify.scheme.bad_weights", pointer_append(p, key),
            "its parent derives its children's weights (method " + method + "); leave out \"" + key + "\"");
      };
      if (n.points) refuse("points");
      if (n.weight) refuse("weight");
    }
    auto shares = check_weights(w, weights_path, nodes, path);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      std::optional<double> pts;
      if (parent_points && shares) pts = *parent_points * (*shares)[static_cast<Eigen::Index>(i)];
      one(nodes[i], pointer_append(path, i), pts);
    }
  }

  // Checks a "weights" object against the children it weights. Returns the AHP weights when
  // the matrix is usable (so that sums further down can be checked), else nothing.
  std::optional<Eigen::VectorXd> check_weights(const weights_spec& w, const std::string& wp,
                                               const std::vector<node>& children, const std::string& cp) {
    if (w.damaged || children.empty()) return std::nullopt;
    const std::string method = to_string(w.method);
    if (from_cohort(w.method)) {
      const std::string why = method + " weights come from the children's fractions over the units scored, so every " +
                              "child is a leaf with a rule and no deductions";
      for (std::size_t i = 0; i < children.size(); ++i) {
        const auto& c = children[i];
        std::string p = pointer_append(cp, i);
        if (c.damaged) continue;
        if (!c.is_leaf()) {
          add("rectify.scheme.bad_weights", p, why + "; this one has children");
          continue;
        }
        if (!c.rule_) {
          add("rectify.scheme.bad_weights", p, why + "; this one has no rule");
          continue;
        }
        if (c.deductions)
          add("rectify.scheme.bad_weights", pointer_append(p, "deductions"), why + "; this one has deductions");
        if (c.rule_->type == rule_type::direct)
          add("rectify.scheme.bad_weights", pointer_append(pointer_append(p, "rule"), "type"),
              "a \"direct\" rule divides the rating by the leaf's points, which " + method +
                  " weights derive from the fractions; rate on a fixed scale with a linear rule instead (e.g. "
                  "{\"type\": \"linear\", \"worst\": 0, \"best\": 10})");
      }
      return std::nullopt;
    }

    if (finite(w.max_cr, pointer_append(wp, "max_cr")) && w.max_cr < 0)
      add("rectify.scheme.bad_number", pointer_append(wp, "max_cr"), "must be >= 0, not " + number_text(w.max_cr));
    const std::size_t n = children.size();
    const std::string mp = pointer_append(wp, "matrix");
    if (w.matrix.size() != n) {
      add("rectify.scheme.bad_weights", mp,
          "has " + std::to_string(w.matrix.size()) + " rows for " + std::to_string(n) +
              " children (one row and one column per child, in the order of \"children\")");
      return std::nullopt;
    }
    bool ok = true;
    for (std::size_t i = 0; i < n; ++i)
      if (w.matrix[i].size() != n) {
        add("rectify.scheme.bad_weights", pointer_append(mp, i),
            "has " + std::to_string(w.matrix[i].size()) + " entries for " + std::to_string(n) + " children");
        ok = false;
      }
    if (!ok) return std::nullopt;
    Eigen::MatrixXd a(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        double v = w.matrix[i][j];
        a(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = v;
        if (!(std::isfinite(v) && v > 0)) {
          add("rectify.scheme.bad_weights", pointer_append(pointer_append(mp, i), j),
              "a pairwise judgement is a finite number > 0, not " + number_text(v));
          ok = false;
        }
      }
    if (!ok) return std::nullopt;
    for (std::size_t i = 0; i < n; ++i) {
      if (w.matrix[i][i] != 1) {
        add("rectify.scheme.bad_weights", pointer_append(pointer_append(mp, i), i),
            "the diagonal is 1 (a child compared with itself), not " + number_text(w.matrix[i][i]));
        ok = false;
      }
      // The same tolerance as mcda::ahp: a_ji = 1/a_ij within 1e-9 relative.
      for (std::size_t j = i + 1; j < n; ++j) {
        const double x = w.matrix[i][j], y = 1.0 / w.matrix[j][i];
        if (std::abs(x - y) > 1e-9 * std::max(x, y)) {
          add("rectify.scheme.bad_weights", pointer_append(pointer_append(mp, j), i),
              "must be the reciprocal of " + pointer_append(pointer_append(mp, i), j) + " (" + number_text(x) +
                  "), i.e. " + reciprocal_text(x) + ", not " + number_text(w.matrix[j][i]));
          ok = false;
        }
      }
    }
    if (!ok) return std::nullopt;
    if (n > ri_table_size(w.ri)) {
      bool saaty = w.ri == mcda::random_index::saaty1980;
      add("rectify.scheme.bad_weights", mp,
          "the random index of " + std::string(saaty ? "Saaty (1980)" : "Alonso & Lamata (2006)") + " covers up to " +
              std::to_string(ri_table_size(w.ri)) + " children, not " + std::to_string(n) +
              (saaty ? " (\"ri\": \"alonso_lamata2006\" covers up to 15)" : "; split the children into groups"));
      return std::nullopt;
    }
    mcda::ahp_result r;
    try {
      r = mcda::ahp(a, w.ahp_method, w.ri);
    } catch (const rectify::error& e) {
      // Not expected after the checks above; said rather than lost.
      add("rectify.scheme.bad_weights", mp, e.problems().front().message);
      return std::nullopt;
    }
    if (std::isfinite(w.max_cr) && w.max_cr >= 0 && r.cr > w.max_cr)
      add("rectify.scheme.inconsistent", wp,
          "the pairwise judgements are too inconsistent: CR = " + decimals4(r.cr) + " > max_cr = " +
              number_text(w.max_cr) + " (λmax = " + decimals4(r.lambda_max) + ", CI = " + decimals4(r.ci) +
              ", RI = " + number_text(mcda::random_index_value(w.ri, static_cast<Eigen::Index>(n))) +
              "); revise the matrix or raise \"max_cr\"");
    return r.weights;
  }

  void fraction(double f, const std::string& path) {
    if (!(f >= 0 && f <= 1))
      add("rectify.scheme.bad_rule", path, "a fraction must lie in [0, 1], not " + number_text(f));
  }

  void check_rule(const rule& r, const std::string& path) {
    switch (r.type) {
      case rule_type::linear:
        if (finite(r.worst, pointer_append(path, "worst")) & finite(r.best, pointer_append(path, "best")) &&
            r.best == r.worst)
          add("rectify.scheme.bad_rule", pointer_append(path, "best"), "must differ from worst");
        break;
      case rule_type::steps: {
        std::string tp = pointer_append(path, r.at_most ? "at_most" : "at_least");
        if (r.table.empty()) add("rectify.scheme.bad_rule", tp, "needs at least one [threshold, fraction] pair");
        std::map<double, std::size_t> seen;
        for (std::size_t i = 0; i < r.table.size(); ++i) {
          std::string ep = pointer_append(tp, i);
          finite(r.table[i].first, pointer_append(ep, 0));
          auto [it, fresh] = seen.emplace(r.table[i].first, i);
          if (!fresh)
            add("rectify.scheme.bad_rule", pointer_append(ep, 0),
                "threshold " + number_text(r.table[i].first) + " is given twice (also at " +
                    pointer_append(pointer_append(tp, it->second), 0) + ")");
          fraction(r.table[i].second, pointer_append(ep, 1));
        }
        break;
      }
      case rule_type::piecewise: {
        std::string tp = pointer_append(path, "points");
        if (r.table.size() < 2) add("rectify.scheme.bad_rule", tp, "needs at least two [x, fraction] points");
        for (std::size_t i = 0; i < r.table.size(); ++i) {
          std::string ep = pointer_append(tp, i);
          if (!finite(r.table[i].first, pointer_append(ep, 0))) continue;
          if (i > 0 && !(r.table[i].first > r.table[i - 1].first))
            add("rectify.scheme.bad_rule", pointer_append(ep, 0), "x must be strictly ascending");
          fraction(r.table[i].second, pointer_append(ep, 1));
        }
        break;
      }
      case rule_type::check:
      case rule_type::direct:
        break;
    }
  }

  void grades() {
    const auto& g = s_.grades;
    if (g.empty()) {
      if (!s_.grades_damaged) add("rectify.scheme.bad_grades", "/grades", "needs at least one grade");
      return;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < g.size(); ++i) {
      std::string p = pointer_append("/grades", i);
      if (g[i].damaged) {
        if (!g[i].name.empty()) names.insert(g[i].name);
        continue;
      }
      if (g[i].name.empty())
        add("rectify.scheme.bad_value", pointer_append(p, "name"), "must not be empty");
      else if (!names.insert(g[i].name).second)
        add("rectify.scheme.bad_grades", pointer_append(p, "name"), rectify::quoted(g[i].name) + " is given twice");
      bool last = i + 1 == g.size();
      if (g[i].min && !finite(*g[i].min, pointer_append(p, "min"))) continue;
      if (last && g[i].min)
        add("rectify.scheme.bad_grades", pointer_append(p, "min"),
            "the last grade has no \"min\": it catches every score");
      if (!last && !g[i].min) add("rectify.scheme.bad_grades", p, "every grade but the last needs \"min\"");
      if (last && g[i].quota)
        add("rectify.scheme.bad_grades", pointer_append(p, "quota"),
            "the last grade has no quota: nobody can move below it");
      if (g[i].quota && !(*g[i].quota > 0 && *g[i].quota <= 1))
        add("rectify.scheme.bad_grades", pointer_append(p, "quota"),
            "must lie in (0, 1], not " + number_text(*g[i].quota));
      if (i > 0 && g[i].min && g[i - 1].min && !g[i - 1].damaged && std::isfinite(*g[i - 1].min) &&
          !(*g[i].min < *g[i - 1].min))
        add("rectify.scheme.bad_grades", pointer_append(p, "min"),
            "grade minimums must strictly decrease (" + number_text(*g[i].min) + " after " +
                number_text(*g[i - 1].min) + ")");
    }
  }

  const scheme& s_;
  std::vector<problem> out_;
  std::map<std::string, std::string> ids_;
};

}  // namespace

std::vector<problem> validate(const scheme& s) {
  return validator(s).run();
}

}  // namespace rectify::assess
