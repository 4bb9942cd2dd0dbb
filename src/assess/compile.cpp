#include <algorithm>
#include <limits>
#include <map>

#include "rectify/assess/engine.hpp"

namespace rectify::assess {

int plan::find_node(std::string_view node_id) const noexcept {
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].id == node_id) return static_cast<int>(i);
  return -1;
}

bool plan::needs_cohort() const noexcept {
  return std::any_of(derived.begin(), derived.end(), [](const derived_weights& d) { return !d.derived(); });
}

plan with_weights(const plan& p, const std::vector<derived_weights>& derived) {
  if (derived.size() != p.derived.size())
    raise("rectify.data.weights_undefined", "",
          "got " + std::to_string(derived.size()) + " groups of derived weights for a plan with " +
              std::to_string(p.derived.size()));
  plan q = p;
  for (std::size_t g = 0; g < derived.size(); ++g) {
    const auto& d = derived[g];
    if (d.node != p.derived[g].node || d.children != p.derived[g].children || !d.derived())
      raise("rectify.data.weights_undefined", p.derived[g].path,
            "the derived weights given do not belong to this plan or are incomplete");
    q.derived[g] = d;
    // Cohort methods weight leaves only (validation), so no points further down change.
    for (std::size_t c = 0; c < d.children.size(); ++c)
      q.nodes[static_cast<std::size_t>(d.children[c])].points = d.points * d.weights[static_cast<Eigen::Index>(c)];
  }
  return q;
}

namespace {

class compiler {
 public:
  explicit compiler(plan& p) : p_(p) {}

  int input(const std::string& name, const std::string& user, bool count) {
    auto [it, fresh] = index_.emplace(name, static_cast<int>(p_.inputs.size()));
    if (fresh) {
      p_.inputs.push_back(name);
      p_.input_users.push_back(user);
      p_.input_is_count.push_back(0);
    }
    if (count) p_.input_is_count[static_cast<std::size_t>(it->second)] = 1;
    return it->second;
  }

  count_op item(const count_item& c, const std::string& path) {
    count_op op;
    op.id = c.id;
    op.name = c.name.empty() ? (c.id.empty() ? c.input : c.id) : c.name;
    op.input = input(c.input, path, true);
    op.per = c.per;
    if (c.cap) op.cap = *c.cap;
    return op;
  }

  // `spec` is the parent's "weights" (at `weights_path`) when it derives its children's weights.
  void group(const std::vector<node>& nodes, int parent, double parent_points, const std::string& path,
             const weights_spec* spec, const std::string& weights_path) {
    double sum_w = 0;
    for (const auto& n : nodes) sum_w += n.weight.value_or(0);
    std::size_t derived = p_.derived.size();
    if (spec) {
      derived_weights d;
      d.node = parent;
      d.path = weights_path;
      d.method = spec->method;
      d.points = parent_points;
      if (spec->method == weights_method::ahp) {
        Eigen::MatrixXd a(static_cast<Eigen::Index>(nodes.size()), static_cast<Eigen::Index>(nodes.size()));
        for (std::size_t i = 0; i < nodes.size(); ++i)
          for (std::size_t j = 0; j < nodes.size(); ++j)
            a(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = spec->matrix[i][j];
        auto r = mcda::ahp(a, spec->ahp_method, spec->ri);  // validated: it succeeds
        d.weights = r.weights;
        d.lambda_max = r.lambda_max;
        d.ci = r.ci;
        d.cr = r.cr;
      }
      p_.derived.push_back(std::move(d));
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const node& n = nodes[i];
      plan_node pn;
      pn.id = n.id;
      pn.name = n.name.empty() ? n.id : n.name;
      pn.parent = parent;
      if (!spec)
        pn.points = n.points ? *n.points : parent_points * *n.weight / sum_w;
      else if (spec->method == weights_method::ahp)
        pn.points = parent_points * p_.derived[derived].weights[static_cast<Eigen::Index>(i)];
      else
        pn.points = std::numeric_limits<double>::quiet_NaN();  // derived from the cohort when scoring
      pn.path = pointer_append(path, i);
      int self = static_cast<int>(p_.nodes.size());
      if (spec) p_.derived[derived].children.push_back(self);
      p_.nodes.push_back(pn);
      if (!n.is_leaf()) {
        group(*n.children, self, pn.points, pointer_append(pn.path, "children"), n.weights ? &*n.weights : nullptr,
              pointer_append(pn.path, "weights"));
        continue;
      }
      leaf_op op;
      op.node = self;
      if (n.rule_) {
        const rule& r = *n.rule_;
        op.has_rule = true;
        op.type = r.type;
        op.input = input(n.rule_input(), pn.path, false);
        op.worst = r.worst;
        op.best = r.best;
        op.at_most = r.at_most;
        auto table = r.table;
        if (r.type == rule_type::steps) std::sort(table.begin(), table.end());
        for (auto [x, f] : table) op.x.push_back(x), op.f.push_back(f);
      }
      if (n.deductions)
        for (std::size_t d = 0; d < n.deductions->size(); ++d)
          op.deductions.push_back(item((*n.deductions)[d], pointer_append(pointer_append(pn.path, "deductions"), d)));
      p_.nodes[static_cast<std::size_t>(self)].leaf = static_cast<int>(p_.leaves.size());
      p_.leaves.push_back(std::move(op));
    }
  }

 private:
  plan& p_;
  std::map<std::string, int> index_;
};

}  // namespace

plan compile(const scheme& s) {
  auto problems = validate(s);
  if (s.damaged && problems.empty())
    problems.push_back({"rectify.scheme.damaged", "", "the scheme was read with errors; fix those first", {}});
  if (!problems.empty()) raise(std::move(problems));

  plan p;
  p.id = s.id;
  p.name = s.name;
  p.total = s.total;
  p.missing = s.missing;
  compiler c(p);
  c.group(s.indicators, -1, s.total, "/indicators", nullptr, {});
  if (s.bonus) {
    for (std::size_t i = 0; i < s.bonus->items.size(); ++i)
      p.bonus.push_back(c.item(s.bonus->items[i], pointer_append("/bonus/items", i)));
    if (s.bonus->cap) p.bonus_cap = *s.bonus->cap;
  }
  for (std::size_t i = 0; i < s.penalties.size(); ++i)
    p.penalties.push_back(c.item(s.penalties[i], pointer_append("/penalties", i)));
  for (const auto& g : s.grades) {
    grade_op op;
    op.name = g.name;
    if (g.min) op.min = *g.min;
    if (g.quota) op.quota = *g.quota;
    p.grades.push_back(op);
  }
  for (std::size_t i = 0; i < s.vetoes.size(); ++i) {
    const auto& v = s.vetoes[i];
    veto_op op;
    op.id = v.id;
    op.name = v.name.empty() ? v.id : v.name;
    op.input = c.input(v.input, pointer_append("/vetoes", i), false);
    op.above = v.above;
    for (std::size_t g = 0; g < s.grades.size(); ++g)
      if (s.grades[g].name == v.max_grade) op.max_grade = static_cast<int>(g);
    p.vetoes.push_back(op);
  }
  return p;
}

}  // namespace rectify::assess
