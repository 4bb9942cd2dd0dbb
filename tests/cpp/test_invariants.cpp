// Invariants of the scoring engine, stamped over generated schemes and cohorts (as manif does
// for its Lie groups). A small deterministic generator (std::mt19937, one seed per case) builds
// random trees of depth <= 3 with every rule type, deductions, bonus, penalties, vetoes, grades
// with quotas and all three missing policies; a straightforward reference scorer written here
// from scoring.md (one unit at a time, no blocks, no Eigen) is compared with the engine.
#include <Eigen/Core>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "rectify/assess/engine.hpp"
#include "rectify/assess/scheme.hpp"
#include "rectify/core/error.hpp"
#include "rectify/core/table.hpp"

namespace ra = rectify::assess;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kCases = 250;

// ---------------------------------------------------------------------------------------------
// Generator

enum class kind { rule_input, count, veto };

struct input_spec {
  kind k = kind::count;
  ra::rule_type type = ra::rule_type::linear;
  ra::rule rule;
  double points = 0;  // the leaf's points (direct rules read in [0, points])
};

class generator {
 public:
  explicit generator(unsigned seed) : rng_(seed) {}

  double uni(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng_); }
  int pick(int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  ra::scheme scheme() {
    ra::scheme s;
    s.id = "gen";
    const double totals[] = {100, 10, 57.5, 1000};
    s.total = totals[pick(0, 3)];
    s.missing = static_cast<ra::missing_policy>(pick(0, 2));
    const int roots = pick(1, 4);
    for (int i = 0; i < roots; ++i) s.indicators.push_back(node(1));
    share(s.indicators, s.total);
    if (chance(0.5)) {
      ra::bonus_section b;
      if (chance(0.7)) b.cap = uni(0, 10);
      const int k = pick(1, 3);
      for (int i = 0; i < k; ++i) b.items.push_back(item(true));
      s.bonus = b;
    }
    if (chance(0.5)) {
      const int k = pick(1, 2);
      for (int i = 0; i < k; ++i) s.penalties.push_back(item(true));
    }
    const int grades = pick(1, 4);
    std::vector<double> mins;
    for (int g = 0; g + 1 < grades; ++g) mins.push_back(uni(0.05, 0.95) * s.total);
    std::sort(mins.rbegin(), mins.rend());
    for (int g = 0; g < grades; ++g) {
      ra::grade gr;
      gr.name = "G" + std::to_string(g);
      if (g + 1 < grades) {
        gr.min = mins[static_cast<std::size_t>(g)];
        if (chance(0.5)) gr.quota = chance(0.2) ? 1.0 : uni(0.05, 0.9);
      }
      s.grades.push_back(gr);
    }
    if (chance(0.4)) {
      const int k = pick(1, 2);
      for (int i = 0; i < k; ++i) {
        ra::veto v;
        v.id = "V" + std::to_string(i);
        v.input = "v" + std::to_string(i);
        const double above[] = {0, 0.5, -1};
        v.above = above[pick(0, 2)];
        v.max_grade = s.grades[static_cast<std::size_t>(pick(0, grades - 1))].name;
        inputs_[v.input] = {kind::veto, {}, {}, 0};
        s.vetoes.push_back(v);
      }
    }
    return s;
  }

  // Unit values for every input of the scheme; missing cells (and whole absent columns) only
  // where the policy allows them.
  rectify::table data(const ra::scheme& s, int n) {
    rectify::table t;
    const bool gaps = s.missing != ra::missing_policy::error;
    std::vector<std::string> names;
    for (const auto& [name, spec] : inputs_) {
      // Under "reweight" the first leaf's rule input is always there (see below).
      if (gaps && chance(0.05) && name != first_rule_input_) continue;
      names.push_back(name);
    }
    if (chance(0.3)) names.push_back("unused");
    std::shuffle(names.begin(), names.end(), rng_);
    for (int i = 0; i < n; ++i) t.units.push_back("u" + std::to_string(i));
    t.columns = names;
    t.values.resize(n, static_cast<Eigen::Index>(names.size()));
    for (std::size_t j = 0; j < names.size(); ++j) {
      const auto it = inputs_.find(names[j]);
      for (int i = 0; i < n; ++i) {
        double v = it == inputs_.end() ? uni(-5, 5) : value(it->second);
        if (gaps && chance(0.08)) v = kNaN;
        t.values(i, static_cast<Eigen::Index>(j)) = v;
      }
    }
    // Under "reweight" a unit whose every leaf is dropped is an error: keep the first rule
    // input present when a scheme has no leaf without a rule.
    if (s.missing == ra::missing_policy::reweight && !ruleless_leaf_ && !first_rule_input_.empty()) {
      const auto j =
          static_cast<Eigen::Index>(std::find(names.begin(), names.end(), first_rule_input_) - names.begin());
      for (int i = 0; i < n; ++i)
        if (std::isnan(t.values(i, j))) t.values(i, j) = value(inputs_.at(first_rule_input_));
    }
    return t;
  }

  int cohort_size() { return chance(0.08) ? pick(250, 600) : pick(1, 40); }

 private:
  ra::node node(int depth) {
    ra::node n;
    n.id = "n" + std::to_string(next_node_++);
    if (chance(0.3)) n.name = "指标" + n.id;
    if (depth < 3 && chance(0.35)) {
      n.children.emplace();
      const int k = pick(1, 3);
      for (int i = 0; i < k; ++i) n.children->push_back(node(depth + 1));
      return n;
    }
    const int type = pick(0, 5);  // 5: no rule, deductions only
    if (type < 5) {
      ra::rule r;
      r.type = static_cast<ra::rule_type>(type);
      switch (r.type) {
        case ra::rule_type::linear:
          r.worst = std::round(uni(-10, 10) * 4) / 4;
          r.best = r.worst + (chance(0.5) ? 1 : -1) * std::round(uni(0.25, 10) * 4) / 4;
          break;
        case ra::rule_type::steps: {
          r.at_most = chance(0.5);
          std::set<double> ts;
          const int k = pick(1, 4);
          while (static_cast<int>(ts.size()) < k) ts.insert(std::round(uni(-5, 5) * 2) / 2);
          for (double t : ts) r.table.emplace_back(t, chance(0.2) ? static_cast<double>(pick(0, 1)) : uni(0, 1));
          std::shuffle(r.table.begin(), r.table.end(), rng_);  // the file may be unsorted
          break;
        }
        case ra::rule_type::piecewise: {
          const int k = pick(2, 4);
          double x = std::round(uni(-5, 0) * 2) / 2;
          for (int i = 0; i < k; ++i) {
            r.table.emplace_back(x, uni(0, 1));
            x += std::round(uni(0.5, 3) * 2) / 2;
          }
          break;
        }
        case ra::rule_type::check:
        case ra::rule_type::direct:
          break;
      }
      n.rule_ = r;
      n.input = "x" + n.id;
      if (first_rule_input_.empty()) first_rule_input_ = *n.input;
      inputs_[*n.input] = {kind::rule_input, r.type, r, 0};
    } else {
      ruleless_leaf_ = true;
    }
    if (type == 5 || chance(0.4)) {
      n.deductions.emplace();
      const int k = pick(1, 2);
      for (int i = 0; i < k; ++i) n.deductions->push_back(item(false));
    }
    return n;
  }

  ra::count_item item(bool with_id) {
    ra::count_item it;
    if (with_id) it.id = "i" + std::to_string(next_item_++);
    // A count input is now and then shared with an earlier one (inputs may be shared).
    if (!counts_.empty() && chance(0.2))
      it.input = counts_[static_cast<std::size_t>(pick(0, static_cast<int>(counts_.size()) - 1))];
    else {
      it.input = "c" + std::to_string(counts_.size());
      counts_.push_back(it.input);
      inputs_[it.input] = {kind::count, {}, {}, 0};
    }
    if (chance(0.3)) it.name = "项目" + it.input;
    it.per = std::round(uni(0.1, 3) * 10) / 10;
    if (chance(0.5)) it.cap = std::round(uni(0, 8) * 2) / 2;
    return it;
  }

  // Points or weights for a sibling group, then for the groups below. Weights are > 0 here
  // (zero weights are covered by the scheme tests).
  void share(std::vector<ra::node>& group, double parent_points) {
    const bool weights = chance(0.5);
    std::vector<double> w;
    for (std::size_t i = 0; i < group.size(); ++i) w.push_back(std::round(uni(0.2, 5) * 100) / 100);
    double sum = 0;
    for (double x : w) sum += x;
    for (std::size_t i = 0; i < group.size(); ++i) {
      const double p = parent_points * w[i] / sum;
      if (weights)
        group[i].weight = w[i];
      else
        group[i].points = p;
      if (group[i].children)
        share(*group[i].children, p);
      else if (group[i].rule_)
        inputs_[*group[i].input].points = p;
    }
  }

  double value(const input_spec& s) {
    switch (s.k) {
      case kind::count:
        return chance(0.8) ? static_cast<double>(pick(0, 5)) : uni(0, 6);
      case kind::veto: {
        const double v[] = {0, 0, 0, 1, -1, 0.5};
        return v[pick(0, 5)];
      }
      case kind::rule_input:
        break;
    }
    const auto& r = s.rule;
    switch (s.type) {
      case ra::rule_type::linear: {
        const double lo = std::min(r.worst, r.best), hi = std::max(r.worst, r.best), span = hi - lo;
        const int c = pick(0, 5);
        return c == 0 ? r.worst : c == 1 ? r.best : uni(lo - span / 2, hi + span / 2);
      }
      case ra::rule_type::steps:
      case ra::rule_type::piecewise: {
        // A threshold or knot exactly, one just beside it, or anywhere around.
        const auto& [t, f] = r.table[static_cast<std::size_t>(pick(0, static_cast<int>(r.table.size()) - 1))];
        (void)f;
        const int c = pick(0, 3);
        return c == 0 ? t : c == 1 ? t + (chance(0.5) ? 0.01 : -0.01) : uni(-7, 7);
      }
      case ra::rule_type::check:
        return static_cast<double>(pick(0, 1));
      case ra::rule_type::direct:
        return chance(0.2) ? 0.0 : s.points * uni(0, 0.999);
    }
    return 0;
  }

  std::mt19937 rng_;
  int next_node_ = 0, next_item_ = 0;
  std::vector<std::string> counts_;
  std::map<std::string, input_spec> inputs_;
  std::string first_rule_input_;
  bool ruleless_leaf_ = false;
};

struct generated {
  ra::scheme scheme;
  rectify::table data;
};

generated make_case(unsigned seed) {
  generator g(seed);
  generated c;
  c.scheme = g.scheme();
  c.data = g.data(c.scheme, g.cohort_size());
  return c;
}

// ---------------------------------------------------------------------------------------------
// Reference scorer (scoring.md §2–5, straight from the text)

bool tie(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

struct reference {
  const ra::scheme& s;
  const rectify::table& t;
  std::size_t unit = 0;
  std::map<std::string, double> nodes;  // earned points by id; NaN = dropped

  double value(const std::string& input) const {
    const auto it = std::find(t.columns.begin(), t.columns.end(), input);
    if (it == t.columns.end()) return kNaN;
    return t.values(static_cast<Eigen::Index>(unit), static_cast<Eigen::Index>(it - t.columns.begin()));
  }
  double count(const ra::count_item& c) const {
    const double x = value(c.input);
    if (std::isnan(x)) return 0;  // only reached under "zero" and "reweight"
    return std::min(c.cap.value_or(std::numeric_limits<double>::infinity()), c.per * x);
  }

  static double fraction(const ra::rule& r, double x, double p) {
    switch (r.type) {
      case ra::rule_type::linear:
        return std::clamp((x - r.worst) / (r.best - r.worst), 0.0, 1.0);
      case ra::rule_type::steps: {
        std::optional<std::pair<double, double>> best;
        for (const auto& [tt, f] : r.table) {
          const bool ok = r.at_most ? tt >= x : tt <= x;
          if (ok && (!best || (r.at_most ? tt < best->first : tt > best->first))) best = std::pair{tt, f};
        }
        return best ? best->second : 0.0;
      }
      case ra::rule_type::piecewise: {
        const auto& v = r.table;
        if (x <= v.front().first) return v.front().second;
        if (x >= v.back().first) return v.back().second;
        for (std::size_t k = 0; k + 1 < v.size(); ++k)
          if (x <= v[k + 1].first)
            return v[k].second + (v[k + 1].second - v[k].second) * (x - v[k].first) / (v[k + 1].first - v[k].first);
        return v.back().second;
      }
      case ra::rule_type::check:
        return x;
      case ra::rule_type::direct:
        return p > 0 ? x / p : 0.0;
    }
    return 0;
  }

  bool present(const ra::node& n) const {
    if (n.children) {
      for (const auto& c : *n.children)
        if (present(c)) return true;
      return false;
    }
    return !n.rule_ || s.missing != ra::missing_policy::reweight || !std::isnan(value(n.rule_input()));
  }

  // Earned points of `group` whose parent has `parent_points` (original) and carries
  // `parent_eff`. A child keeps its points times the parent's scaling, times the share of the
  // dropped siblings (1 when none is dropped).
  double group(const std::vector<ra::node>& g, double parent_points, double parent_eff) {
    double sum_w = 0;
    for (const auto& n : g) sum_w += n.weight.value_or(0);
    std::vector<double> pts;
    double all = 0, live = 0;
    for (const auto& n : g) {
      pts.push_back(n.points ? *n.points : parent_points * *n.weight / sum_w);
      all += pts.back();
      if (present(n)) live += pts.back();
    }
    double total = kNaN;
    for (std::size_t i = 0; i < g.size(); ++i) {
      const auto& n = g[i];
      if (!present(n)) {
        mark_dropped(n);
        continue;
      }
      const double eff = pts[i] * (parent_eff / parent_points) * (all / live);
      const double e = earn(n, pts[i], eff);
      total = std::isnan(total) ? e : total + e;
    }
    return total;
  }

  void mark_dropped(const ra::node& n) {
    nodes[n.id] = kNaN;
    if (n.children)
      for (const auto& c : *n.children) mark_dropped(c);
  }

  double earn(const ra::node& n, double p, double eff) {
    double e;
    if (n.children) {
      e = group(*n.children, p, eff);
    } else {
      double f = 1;
      bool missing = false;
      if (n.rule_) {
        const double x = value(n.rule_input());
        missing = std::isnan(x);
        if (!missing) f = fraction(*n.rule_, x, p);  // direct: range and fraction use original points
      }
      double d = 0;
      if (n.deductions)
        for (const auto& c : *n.deductions) d += count(c);
      e = missing ? 0.0 : std::clamp(eff * f - d, 0.0, eff);
    }
    nodes[n.id] = e;
    return e;
  }

  struct out {
    double score, base, bonus, penalty;
  };
  out run() {
    out o{};
    o.base = group(s.indicators, s.total, s.total);
    o.bonus = 0;
    if (s.bonus) {
      for (const auto& c : s.bonus->items) o.bonus += count(c);
      o.bonus = std::min(o.bonus, s.bonus->cap.value_or(std::numeric_limits<double>::infinity()));
    }
    o.penalty = 0;
    for (const auto& c : s.penalties) o.penalty += count(c);
    o.score = std::max(0.0, o.base + o.bonus - o.penalty);
    return o;
  }
};

// Grades from scores (band, vetoes, quotas cascading from the top) and ranks, from the text.
struct graded {
  std::vector<int> band, grade, rank;
};
graded grade_all(const ra::scheme& s, const rectify::table& t, const std::vector<double>& score) {
  const int G = static_cast<int>(s.grades.size());
  const std::size_t n = score.size();
  graded out;
  out.band.resize(n);
  out.grade.resize(n);
  out.rank.resize(n);
  auto grade_index = [&](const std::string& name) {
    for (int g = 0; g < G; ++g)
      if (s.grades[static_cast<std::size_t>(g)].name == name) return g;
    return -1;
  };
  for (std::size_t i = 0; i < n; ++i) {
    int g = 0;
    while (g + 1 < G && !(*s.grades[static_cast<std::size_t>(g)].min <= score[i])) ++g;
    out.band[i] = g;
    reference ref{s, t, i, {}};
    for (const auto& v : s.vetoes)
      if (ref.value(v.input) > v.above) g = std::max(g, grade_index(v.max_grade));
    out.grade[i] = g;
    int higher = 0;
    for (std::size_t j = 0; j < n; ++j) higher += score[j] > score[i] && !tie(score[j], score[i]);
    out.rank[i] = 1 + higher;
  }
  for (int g = 0; g + 1 < G; ++g) {
    const auto& q = s.grades[static_cast<std::size_t>(g)].quota;
    if (!q) continue;
    const auto limit = static_cast<int>(std::floor(*q * static_cast<double>(n) + 1e-9));
    std::vector<std::size_t> out_of_quota;
    for (std::size_t i = 0; i < n; ++i) {
      if (out.grade[i] != g) continue;
      int higher = 0;
      for (std::size_t j = 0; j < n; ++j)
        higher += out.grade[j] == g && score[j] > score[i] && !tie(score[j], score[i]);
      if (higher >= limit) out_of_quota.push_back(i);
    }
    for (auto i : out_of_quota) out.grade[i] = g + 1;
  }
  return out;
}

std::vector<double> vec(const Eigen::VectorXd& v) {
  return {v.data(), v.data() + v.size()};
}
std::vector<int> vec(const Eigen::VectorXi& v) {
  return {v.data(), v.data() + v.size()};
}

// The bound of a score: total plus the most bonus can give (infinite without any cap).
double bonus_bound(const ra::scheme& s) {
  if (!s.bonus) return 0;
  double items = 0;
  for (const auto& c : s.bonus->items) items += c.cap.value_or(std::numeric_limits<double>::infinity());
  return std::min(items, s.bonus->cap.value_or(std::numeric_limits<double>::infinity()));
}

// True when no score lies within a hair of a grade minimum, so that grades cannot flip on the
// last bit of a score computed two ways.
bool clear_of_cuts(const ra::scheme& s, const std::vector<double>& score) {
  for (const auto& g : s.grades)
    if (g.min)
      for (double x : score)
        if (std::abs(x - *g.min) <= 1e-7 * std::max(1.0, s.total)) return false;
  for (std::size_t i = 0; i < score.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const double d = std::abs(score[i] - score[j]),
                   scale = 1e-9 * std::max({1.0, std::abs(score[i]), std::abs(score[j])});
      if (d > scale / 2 && d < scale * 2) return false;  // near the tie tolerance itself
    }
  return true;
}

void scale_weights(std::vector<ra::node>& g, double c) {
  for (auto& n : g) {
    if (n.weight) *n.weight *= c;
    if (n.children) scale_weights(*n.children, c * 1.75);
  }
}

void weights_to_points(std::vector<ra::node>& g, double parent_points) {
  double sum_w = 0;
  for (const auto& n : g) sum_w += n.weight.value_or(0);
  for (auto& n : g) {
    if (n.weight) {
      n.points = parent_points * *n.weight / sum_w;
      n.weight.reset();
    }
    if (n.children) weights_to_points(*n.children, *n.points);
  }
}

}  // namespace

TEST_CASE("invariants: the generator makes valid schemes of every kind", "[invariants]") {
  std::set<int> policies, types;
  int with_weights = 0, with_points = 0, deep = 0, big = 0, gaps = 0, vetoed = 0;
  for (unsigned seed = 0; seed < kCases; ++seed) {
    INFO("seed " << seed);
    const auto c = make_case(seed);
    REQUIRE(ra::validate(c.scheme).empty());
    policies.insert(static_cast<int>(c.scheme.missing));
    std::vector<const ra::node*> stack;
    for (const auto& n : c.scheme.indicators) stack.push_back(&n);
    while (!stack.empty()) {
      const auto* n = stack.back();
      stack.pop_back();
      with_weights += n->weight.has_value();
      with_points += n->points.has_value();
      if (n->rule_) types.insert(static_cast<int>(n->rule_->type));
      if (n->children)
        for (const auto& k : *n->children) {
          if (k.children) deep += 1;
          stack.push_back(&k);
        }
    }
    big += c.data.units.size() > 256;
    gaps += c.data.values.hasNaN();
    vetoed += !c.scheme.vetoes.empty();
  }
  // The stamp covers what it claims to.
  CHECK(policies.size() == 3);
  CHECK(types.size() == 5);
  CHECK(with_weights > 100);
  CHECK(with_points > 100);
  CHECK(deep > 20);
  CHECK(big >= 5);
  CHECK(gaps > 50);
  CHECK(vetoed > 50);
}

TEST_CASE("invariants: the engine agrees with a reference scorer written from the text", "[invariants]") {
  for (unsigned seed = 0; seed < kCases; ++seed) {
    INFO("seed " << seed);
    const auto c = make_case(seed);
    const auto plan = ra::compile(c.scheme);
    const auto r = ra::score(plan, c.data.view());
    std::vector<double> ref_score;
    for (std::size_t i = 0; i < c.data.units.size(); ++i) {
      INFO("unit " << i);
      reference ref{c.scheme, c.data, i, {}};
      const auto o = ref.run();
      const auto e = static_cast<Eigen::Index>(i);
      const double tol = 1e-9 * std::max(1.0, c.scheme.total);
      CHECK(r.base[e] == Approx(o.base).margin(tol));
      CHECK(r.bonus[e] == Approx(o.bonus).margin(tol));
      CHECK(r.penalty[e] == Approx(o.penalty).margin(tol));
      CHECK(r.score[e] == Approx(o.score).margin(tol));
      for (const auto& [id, v] : ref.nodes) {
        INFO("node " << id);
        const double got = r.nodes(e, plan.find_node(id));
        if (std::isnan(v))
          CHECK(std::isnan(got));
        else
          CHECK(got == Approx(v).margin(tol));
      }
      ref_score.push_back(o.score);
    }
    // Grades and ranks from the engine's own scores, so that they cannot differ on the last bit.
    const auto want = grade_all(c.scheme, c.data, vec(r.score));
    CHECK(vec(r.band) == want.band);
    CHECK(vec(r.grade) == want.grade);
    CHECK(vec(r.rank) == want.rank);
  }
}

TEST_CASE("invariants: a score lies in (0, total + the bonus cap)", "[invariants]") {
  for (unsigned seed = 0; seed < kCases; ++seed) {
    INFO("seed " << seed);
    const auto c = make_case(seed);
    const auto r = ra::score(ra::compile(c.scheme), c.data.view());
    const double hi = c.scheme.total * (1 + 1e-9) + bonus_bound(c.scheme);
    for (Eigen::Index i = 0; i < r.score.size(); ++i) {
      CHECK(r.score[i] >= 0);
      CHECK(r.score[i] <= hi);
      CHECK(r.base[i] >= 0);
      CHECK(r.base[i] <= c.scheme.total * (1 + 1e-9));
      CHECK(r.bonus[i] >= 0);
      CHECK(r.penalty[i] >= 0);
      // score = max(0, base + bonus - penalty)
      CHECK(r.score[i] == std::max(0.0, r.base[i] + r.bonus[i] - r.penalty[i]));
    }
  }
}

TEST_CASE("invariants: permuting the units permutes the results", "[invariants]") {
  for (unsigned seed = 0; seed < kCases; ++seed) {
    INFO("seed " << seed);
    const auto c = make_case(seed);
    const auto plan = ra::compile(c.scheme);
    const auto r = ra::score(plan, c.data.view());
    const auto n = static_cast<Eigen::Index>(c.data.units.size());
    std::vector<Eigen::Index> perm(static_cast<std::size_t>(n));
    std::iota(perm.begin(), perm.end(), Eigen::Index{0});
    std::mt19937 rng(seed + 7919);
    std::shuffle(perm.begin(), perm.end(), rng);
    rectify::table shuffled;
    shuffled.columns = c.data.columns;
    shuffled.values.resize(n, c.data.values.cols());
    for (Eigen::Index k = 0; k < n; ++k) {
      shuffled.units.push_back(c.data.units[static_cast<std::size_t>(perm[static_cast<std::size_t>(k)])]);
      shuffled.values.row(k) = c.data.values.row(perm[static_cast<std::size_t>(k)]);
    }
    const auto s = ra::score(plan, shuffled.view());
    for (Eigen::Index k = 0; k < n; ++k) {
      const auto i = perm[static_cast<std::size_t>(k)];
      INFO("unit " << i);
      CHECK(s.score[k] == r.score[i]);
      CHECK(s.base[k] == r.base[i]);
      CHECK(s.band[k] == r.band[i]);
      CHECK(s.grade[k] == r.grade[i]);
      CHECK(s.rank[k] == r.rank[i]);
      for (Eigen::Index j = 0; j < r.nodes.cols(); ++j) {
        const double a = s.nodes(k, j), b = r.nodes(i, j);
        CHECK(((std::isnan(a) && std::isnan(b)) || a == b));
      }
      const auto ms = s.missing(static_cast<std::size_t>(k)), mr = r.missing(static_cast<std::size_t>(i));
      CHECK(std::vector<int>(ms.begin(), ms.end()) == std::vector<int>(mr.begin(), mr.end()));
      const auto vs = s.vetoes(static_cast<std::size_t>(k)), vr = r.vetoes(static_cast<std::size_t>(i));
      CHECK(std::vector<int>(vs.begin(), vs.end()) == std::vector<int>(vr.begin(), vr.end()));
    }
  }
}

TEST_CASE("invariants: scaling sibling weights by a constant changes nothing", "[invariants]") {
  int compared = 0;
  for (unsigned seed = 0; seed < kCases; ++seed) {
    INFO("seed " << seed);
    const auto c = make_case(seed);
    auto scaled = c.scheme;
    scale_weights(scaled.indicators, 3.5);
    const auto a = ra::score(ra::compile(c.scheme), c.data.view());
    const auto b = ra::score(ra::compile(scaled), c.data.view());
    for (Eigen::Index i = 0; i < a.score.size(); ++i) {
      CHECK(b.score[i] == Approx(a.score[i]).epsilon(1e-12).margin(1e-12));
      for (Eigen::Index j = 0; j < a.nodes.cols(); ++j)
        if (!std::isnan(a.nodes(i, j))) CHECK(b.nodes(i, j) == Approx(a.nodes(i, j)).epsilon(1e-12).margin(1e-12));
    }
    if (clear_of_cuts(c.scheme, vec(a.score))) {
      ++compared;
      CHECK(vec(b.grade) == vec(a.grade));
      CHECK(vec(b.rank) == vec(a.rank));
    }
  }
  CHECK(compared > kCases / 2);
}

TEST_CASE("invariants: a points scheme equals the same scheme in weights", "[invariants]") {
  for (unsigned seed = 0; seed < kCases; ++seed) {
    INFO("seed " << seed);
    const auto c = make_case(seed);
    auto points = c.scheme;
    weights_to_points(points.indicators, points.total);
    REQUIRE(ra::validate(points).empty());
    const auto pw = ra::compile(c.scheme), pp = ra::compile(points);
    REQUIRE(pw.nodes.size() == pp.nodes.size());
    for (std::size_t k = 0; k < pw.nodes.size(); ++k)
      CHECK(pp.nodes[k].points == Approx(pw.nodes[k].points).epsilon(1e-12));
    const auto a = ra::score(pw, c.data.view());
    const auto b = ra::score(pp, c.data.view());
    for (Eigen::Index i = 0; i < a.score.size(); ++i)
      CHECK(b.score[i] == Approx(a.score[i]).epsilon(1e-12).margin(1e-12));
    if (clear_of_cuts(c.scheme, vec(a.score))) CHECK(vec(b.grade) == vec(a.grade));
  }
}

TEST_CASE("invariants: the lost points over the tree sum to total - base", "[invariants]") {
  for (unsigned seed = 0; seed < kCases; ++seed) {
    INFO("seed " << seed);
    const auto c = make_case(seed);
    const auto plan = ra::compile(c.scheme);
    const auto v = c.data.view();
    const auto r = ra::score(plan, v);
    std::set<std::string> outside;
    for (const auto& pen : c.scheme.penalties) outside.insert(pen.id);
    const auto n = std::min<std::size_t>(v.rows(), 40);  // explain() re-evaluates one unit each
    for (std::size_t i = 0; i < n; ++i) {
      INFO("unit " << i);
      double tree = 0, pen = 0;
      for (const auto& l : ra::explain(plan, v, i)) {
        CHECK((plan.find_node(l.node) >= 0 || outside.count(l.node) == 1));
        if (outside.count(l.node)) {
          CHECK(l.points > 0);
          pen += l.points;
        } else {
          tree += l.points;
        }
      }
      const auto e = static_cast<Eigen::Index>(i);
      CHECK(tree == Approx(c.scheme.total - r.base[e]).margin(1e-9 * std::max(1.0, c.scheme.total)));
      CHECK(pen == Approx(r.penalty[e]).margin(1e-9 * std::max(1.0, c.scheme.total)));
    }
  }
}

TEST_CASE("invariants: an inner node earns the sum of its children, base is the sum of the roots", "[invariants]") {
  for (unsigned seed = 0; seed < kCases; ++seed) {
    INFO("seed " << seed);
    const auto c = make_case(seed);
    const auto plan = ra::compile(c.scheme);
    const auto r = ra::score(plan, c.data.view());
    const auto N = plan.nodes.size();
    for (Eigen::Index i = 0; i < r.score.size(); ++i) {
      std::vector<double> sum(N, 0.0), root(1, 0.0);
      std::vector<int> live(N, 0);
      int root_live = 0;
      for (std::size_t k = 0; k < N; ++k) {
        const double v = r.nodes(i, static_cast<Eigen::Index>(k));
        if (std::isnan(v)) continue;
        const int parent = plan.nodes[k].parent;
        if (parent < 0)
          root[0] += v, ++root_live;
        else
          sum[static_cast<std::size_t>(parent)] += v, ++live[static_cast<std::size_t>(parent)];
      }
      CHECK(root_live > 0);
      CHECK(r.base[i] == Approx(root[0]).margin(1e-9 * std::max(1.0, c.scheme.total)));
      for (std::size_t k = 0; k < N; ++k) {
        if (plan.nodes[k].leaf >= 0) continue;
        INFO("node " << plan.nodes[k].id);
        const double v = r.nodes(i, static_cast<Eigen::Index>(k));
        if (live[k] == 0) {
          CHECK(std::isnan(v));
          CHECK(c.scheme.missing == ra::missing_policy::reweight);
        } else {
          CHECK(v == Approx(sum[k]).margin(1e-9 * std::max(1.0, c.scheme.total)));
        }
        // An inner node never earns more than the points it carries (its own, outside "reweight").
        if (c.scheme.missing != ra::missing_policy::reweight && !std::isnan(v))
          CHECK(v <= plan.nodes[k].points * (1 + 1e-9));
      }
    }
  }
}

TEST_CASE("invariants: ranks are the competition ranks of the scores", "[invariants]") {
  for (unsigned seed = 0; seed < kCases; ++seed) {
    INFO("seed " << seed);
    const auto c = make_case(seed);
    const auto r = ra::score(ra::compile(c.scheme), c.data.view());
    const auto s = vec(r.score);
    for (std::size_t i = 0; i < s.size(); ++i) {
      int higher = 0;
      for (double x : s) higher += x > s[i] && !tie(x, s[i]);
      CHECK(r.rank[static_cast<Eigen::Index>(i)] == 1 + higher);
    }
    // competition_rank() on its own gives the same.
    CHECK(vec(ra::competition_rank(r.score)) == vec(r.rank));
  }
}

TEST_CASE("invariants: a quota is never exceeded except by units tied at the cut", "[invariants]") {
  int bites = 0;
  for (unsigned seed = 0; seed < kCases; ++seed) {
    INFO("seed " << seed);
    const auto c = make_case(seed);
    const auto plan = ra::compile(c.scheme);
    const auto r = ra::score(plan, c.data.view());
    const auto n = r.size();
    for (std::size_t g = 0; g + 1 < plan.grades.size(); ++g) {
      const auto& q = c.scheme.grades[g].quota;
      if (!q) continue;
      const auto limit = static_cast<std::size_t>(std::floor(*q * static_cast<double>(n) + 1e-9));
      std::vector<double> holders;
      for (Eigen::Index i = 0; i < r.grade.size(); ++i)
        if (r.grade[i] == static_cast<int>(g)) holders.push_back(r.score[i]);
      // Every holder has fewer than `limit` holders above it (and not tied with it) ...
      for (double h : holders) {
        std::size_t above = 0;
        for (double o : holders) above += o > h && !tie(o, h);
        CHECK(above < limit);
      }
      // ... so more than `limit` holders means the last ones are tied at the cut.
      if (holders.size() > limit) {
        std::sort(holders.rbegin(), holders.rend());
        CHECK(limit > 0);
        if (limit > 0) CHECK(tie(holders[limit - 1], holders.back()));
      }
      bites += holders.size() == limit;
      // A unit is never graded above its band or a veto's cap.
      for (Eigen::Index i = 0; i < r.grade.size(); ++i) CHECK(r.grade[i] >= r.band[i]);
    }
  }
  CHECK(bites > 20);
}
