#include "rectify/assess/engine.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <utility>

#include "rectify/core/error.hpp"
#include "rectify/mcda/weights.hpp"

namespace rectify::assess {

bool scores_tie(double a, double b) noexcept {
  return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

namespace {

using Arr = Eigen::ArrayXd;
using CMap = Eigen::Map<const Eigen::ArrayXd>;
using MMap = Eigen::Map<Eigen::ArrayXd>;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Units are evaluated in blocks so that every input column of a block, the earned points of
// every node and the temporaries stay in cache while the leaves are evaluated column by column.
constexpr Eigen::Index kBlock = 256;
constexpr std::size_t kMaxReported = 20;

// Sorted order of the scores, highest first (ties in input order), and the scores in that
// order: a stable LSD radix sort (11-bit digits) on an order-preserving 64-bit key of each
// double; passes whose digit is the same for every key are skipped.
std::vector<std::uint32_t> descending(const Eigen::Ref<const Eigen::VectorXd>& s, std::vector<double>& sorted) {
  const auto n = static_cast<std::size_t>(s.size());
  std::vector<std::uint64_t> key(n), key2(n);
  std::vector<std::uint32_t> idx(n), idx2(n);
  constexpr int kBits = 11, kRadix = 1 << kBits, kPasses = (64 + kBits - 1) / kBits;
  std::vector<std::size_t> count(static_cast<std::size_t>(kRadix * kPasses), 0);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t u = std::bit_cast<std::uint64_t>(s[static_cast<Eigen::Index>(i)]);
    u = (u >> 63) ? ~u : (u | (std::uint64_t{1} << 63));  // ascending
    u = ~u;                                               // highest first
    key[i] = u;
    idx[i] = static_cast<std::uint32_t>(i);
    for (int d = 0; d < kPasses; ++d)
      ++count[static_cast<std::size_t>(d * kRadix) + ((u >> (d * kBits)) & (kRadix - 1))];
  }
  for (int d = 0; d < kPasses; ++d) {
    std::size_t* c = count.data() + d * kRadix;
    if (n == 0 || c[(key[0] >> (d * kBits)) & (kRadix - 1)] == n) continue;
    std::size_t sum = 0;
    for (int b = 0; b < kRadix; ++b) {
      std::size_t t = c[b];
      c[b] = sum;
      sum += t;
    }
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t to = c[(key[i] >> (d * kBits)) & (kRadix - 1)]++;
      key2[to] = key[i];
      idx2[to] = idx[i];
    }
    key.swap(key2);
    idx.swap(idx2);
  }
  sorted.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    std::uint64_t u = ~key[k];
    u = (u >> 63) ? (u & ~(std::uint64_t{1} << 63)) : ~u;
    sorted[k] = std::bit_cast<double>(u);
  }
  return idx;
}

// For scores sorted highest first, the number of earlier ones that are higher and not tied
// with each one. The tied ones always sit just before it, so one forward pointer suffices.
void higher_not_tied(const std::vector<double>& sorted, std::vector<std::size_t>& out) {
  out.resize(sorted.size());
  std::size_t c = 0;
  for (std::size_t k = 0; k < sorted.size(); ++k) {
    const double sk = sorted[k];
    while (c < k && !scores_tie(sorted[c], sk)) ++c;
    out[k] = c;
  }
}

// The largest count accepted: every whole number up to it is exact in a double.
constexpr double kMaxCount = 9007199254740992.0;

// Numbers in explanations ("0.5", "3").
std::string fmt(double v, int decimals = 4) {
  return decimal_text(v, decimals);
}

struct leaf_trace {
  double p_eff = 0, x = kNaN, f = 1, earned = 0;
  bool missing = false, dropped = false;
  std::vector<double> counts, amounts;
};

// Collects data problems (at most kMaxReported, counting the rest) with their file positions.
class collector {
 public:
  collector(const plan& p, const table_view& t, const std::vector<std::ptrdiff_t>& col) : p_(p), t_(t), col_(col) {}

  void add(std::string code, std::size_t unit, int input, std::string message) {
    ++count_;
    if (items_.size() >= kMaxReported) return;
    std::string where;
    if (const auto* pv = t_.provenance)
      where = pv->place(unit, input >= 0 ? col_[static_cast<std::size_t>(input)] : -1);
    std::string what = "unit " + rectify::quoted(t_.units[unit]);
    if (input >= 0) what += ", input " + rectify::quoted(p_.inputs[static_cast<std::size_t>(input)]);
    items_.push_back({std::move(code), "", what + ": " + message, where});
  }
  void add_plain(problem p) {
    ++count_;
    if (items_.size() < kMaxReported) items_.push_back(std::move(p));
  }
  [[nodiscard]] bool full() const { return items_.size() >= kMaxReported; }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[noreturn]] void throw_all() {
    if (count_ > items_.size())
      items_.push_back({"rectify.data.more",
                        "",
                        "... and " + std::to_string(count_ - items_.size()) + " more problems of the same kinds",
                        {}});
    raise(std::move(items_));
  }

 private:
  const plan& p_;
  const table_view& t_;
  const std::vector<std::ptrdiff_t>& col_;
  std::vector<problem> items_;
  std::size_t count_ = 0;
};

// The fraction f(x) of a rule (scoring.md §3) for `len` values; `p` is the leaf's points (for
// "direct"). Values a rule refuses are checked by the caller; NaN gives an unspecified f.
void rule_fraction(const leaf_op& op, double p, const double* xp, double* fp, Eigen::Index len) {
  // Plain loops over raw pointers: GCC if-converts and vectorises the selects (Eigen 3.4's
  // select() and boolean all()/any() are scalar, branchy loops).
  CMap x(xp, len);
  MMap f(fp, len);
  switch (op.type) {
    case rule_type::linear: {
      double inv = 1.0 / (op.best - op.worst);
      f = ((x - op.worst) * inv).max(0.0).min(1.0);
      break;
    }
    case rule_type::steps:
      for (Eigen::Index i = 0; i < len; ++i) fp[i] = 0.0;
      if (!op.at_most) {
        for (std::size_t k = 0; k < op.x.size(); ++k) {
          const double t = op.x[k], v = op.f[k];
          for (Eigen::Index i = 0; i < len; ++i) fp[i] = xp[i] >= t ? v : fp[i];
        }
      } else {
        for (std::size_t k = op.x.size(); k-- > 0;) {
          const double t = op.x[k], v = op.f[k];
          for (Eigen::Index i = 0; i < len; ++i) fp[i] = xp[i] <= t ? v : fp[i];
        }
      }
      break;
    case rule_type::piecewise: {
      // f0 + sum of slope_k * clamp(x - x_k, 0, x_{k+1} - x_k): min/max only, vectorised.
      const double f0 = op.f.front();
      for (Eigen::Index i = 0; i < len; ++i) fp[i] = f0;
      for (std::size_t k = 0; k + 1 < op.x.size(); ++k) {
        const double xk = op.x[k], w = op.x[k + 1] - op.x[k];
        const double slope = (op.f[k + 1] - op.f[k]) / w;
        for (Eigen::Index i = 0; i < len; ++i) {
          double d = xp[i] - xk;
          d = d < w ? d : w;
          d = d > 0.0 ? d : 0.0;
          fp[i] += slope * d;
        }
      }
      break;
    }
    case rule_type::check:
      f = x;
      break;
    case rule_type::direct:
      if (p > 0)
        f = (x / p).max(0.0).min(1.0);
      else
        f.setZero();
      break;
  }
}

class evaluator {
 public:
  evaluator(const plan& p, const table_view& t, bool keep_nodes)
      : p_(p), t_(t), n_(static_cast<Eigen::Index>(t.rows())), keep_(keep_nodes), errors_(p, t, col_) {
    const std::size_t m = p.inputs.size();
    col_.resize(m);
    for (std::size_t j = 0; j < m; ++j) col_[j] = t.find(p.inputs[j]);
    ptr_.resize(m);
    nan_.resize(m);
    scratch_.resize(m);
    nan_fill_ = Arr::Constant(kBlock, kNaN);
    N_ = static_cast<Eigen::Index>(p.nodes.size());
    reweight_ = p.missing == missing_policy::reweight;
    // Summed in the order effective_points sums the present siblings (last child first), so
    // that for a unit with nothing dropped all / present is exactly 1 and its points do not
    // depend on which units share its block (or its Dask partition).
    all_.assign(p.nodes.size(), 0.0);
    for (std::size_t k = p.nodes.size(); k-- > 0;) {
      const auto& nd = p.nodes[k];
      if (nd.parent < 0)
        root_all_ += nd.points;
      else
        all_[static_cast<std::size_t>(nd.parent)] += nd.points;
    }
    if (reweight_) {
      eff_.resize(kBlock, N_);
      present_.resize(kBlock, N_);
      psum_.resize(kBlock, N_);
    }
  }

  collector& errors() { return errors_; }

  void report_absent_columns() {
    if (p_.missing != missing_policy::error || n_ == 0) return;
    for (std::size_t j = 0; j < col_.size(); ++j)
      if (col_[j] < 0)
        errors_.add_plain({"rectify.data.missing", "",
                           "input " + rectify::quoted(p_.inputs[j]) + " has no column in the data (read by " +
                               p_.input_users[j] + "); missing policy is \"error\"",
                           t_.provenance ? t_.provenance->source : std::string()});
  }

  // Evaluates units [i0, i0 + len) into `r`. With `trace` (len == 1) it records, per leaf,
  // what `explain` needs.
  void block(result& r, Eigen::Index i0, Eigen::Index len, std::vector<leaf_trace>* trace,
             std::vector<std::pair<std::uint32_t, int>>& missing_pairs) {
    bind(i0, len, missing_pairs);
    double* nodes_base;
    Eigen::Index ld;
    if (keep_) {
      nodes_base = r.nodes.data() + i0;
      ld = n_;
    } else {
      if (scratch_nodes_.rows() < len || scratch_nodes_.cols() != N_) scratch_nodes_.resize(kBlock, N_);
      nodes_base = scratch_nodes_.data();
      ld = kBlock;
    }
    auto node_col = [&](Eigen::Index k) { return MMap(nodes_base + k * ld, len); };

    bool rw = reweight_ && any_rule_nan();
    if (rw) effective_points(len);
    if (trace) trace->assign(p_.leaves.size(), {});

    Arr f(len), d(len);
    for (std::size_t l = 0; l < p_.leaves.size(); ++l) {
      const leaf_op& op = p_.leaves[l];
      const double p = p_.nodes[static_cast<std::size_t>(op.node)].points;
      auto e = node_col(op.node);
      bool nan_x = false;
      if (op.has_rule) {
        const auto j = static_cast<std::size_t>(op.input);
        CMap x(ptr_[j], len);
        nan_x = nan_[j];
        fraction(op, p, x, f, i0, len, nan_x);
      }
      bool has_d = !op.deductions.empty();
      if (has_d) {
        d.setZero();
        for (const auto& c : op.deductions) add_count(c, len, d);
      }
      if (rw) {
        auto pe = eff_.col(op.node).head(len);
        if (!op.has_rule)
          e = (pe - d).max(0.0).min(pe);
        else if (has_d)
          e = (pe * f - d).max(0.0).min(pe);
        else
          e = pe * f;
      } else {
        if (!op.has_rule)
          e = (p - d).max(0.0).min(p);
        else if (has_d)
          e = (p * f - d).max(0.0).min(p);
        else
          e = p * f;
      }
      if (nan_x) {
        CMap x(ptr_[static_cast<std::size_t>(op.input)], len);
        double fill = reweight_ ? kNaN : 0.0;
        e = x.isNaN().select(fill, e);
      }
      if (trace) {
        auto& tr = (*trace)[l];
        tr.p_eff = rw ? eff_(0, op.node) : p;
        if (op.has_rule) {
          tr.x = ptr_[static_cast<std::size_t>(op.input)][0];
          tr.f = f[0];
          tr.missing = std::isnan(tr.x);
          tr.dropped = tr.missing && reweight_;
        }
        for (const auto& c : op.deductions) {
          double cv = ptr_[static_cast<std::size_t>(c.input)][0];
          if (std::isnan(cv)) cv = 0;
          tr.counts.push_back(cv);
          tr.amounts.push_back(std::min(c.cap, c.per * cv));
        }
        tr.earned = e[0];
      }
    }

    // Inner nodes earn the sum of their children; under "reweight" a dropped child (NaN)
    // adds nothing and a node whose children are all dropped is dropped itself.
    for (std::size_t k = 0; k < p_.nodes.size(); ++k)
      if (p_.nodes[k].leaf < 0) node_col(static_cast<Eigen::Index>(k)).setConstant(reweight_ ? kNaN : 0.0);
    auto base = MMap(r.base.data() + i0, len);
    base.setConstant(reweight_ ? kNaN : 0.0);
    for (std::size_t k = p_.nodes.size(); k-- > 0;) {
      auto child = node_col(static_cast<Eigen::Index>(k));
      int parent = p_.nodes[k].parent;
      if (parent < 0)
        accumulate(base, child);
      else {
        auto pc = node_col(parent);
        accumulate(pc, child);
      }
    }
    if (reweight_) {
      for (Eigen::Index i = 0; i < len; ++i)
        if (std::isnan(base[i])) {
          errors_.add("rectify.data.all_dropped", static_cast<std::size_t>(i0 + i), -1,
                      "every indicator is dropped for missing inputs (policy \"reweight\"); nothing is left to score");
          base[i] = 0;
        }
    }

    auto bonus = MMap(r.bonus.data() + i0, len);
    bonus.setZero();
    for (const auto& c : p_.bonus) add_count(c, len, bonus);
    bonus = bonus.min(p_.bonus_cap);
    auto penalty = MMap(r.penalty.data() + i0, len);
    penalty.setZero();
    for (const auto& c : p_.penalties) add_count(c, len, penalty);
    MMap(r.score.data() + i0, len) = (base + bonus - penalty).max(0.0);
  }

  // Vetoes in unit order, as CSR.
  void vetoes(result& r) {
    std::vector<std::pair<std::uint32_t, int>> hits;
    for (std::size_t v = 0; v < p_.vetoes.size(); ++v) {
      const auto j = static_cast<std::size_t>(p_.vetoes[v].input);
      if (col_[j] < 0) continue;
      const auto& c = t_.columns[static_cast<std::size_t>(col_[j])];
      for (Eigen::Index i = 0; i < n_; ++i)
        if (c[static_cast<std::size_t>(i)] > p_.vetoes[v].above)
          hits.emplace_back(static_cast<std::uint32_t>(i), static_cast<int>(v));
    }
    std::sort(hits.begin(), hits.end());
    csr(hits, r.veto_offsets, r.veto_index);
  }

  static void csr(const std::vector<std::pair<std::uint32_t, int>>& pairs, std::vector<std::size_t>& offsets,
                  std::vector<int>& values, std::size_t n) {
    offsets.assign(n + 1, 0);
    values.resize(pairs.size());
    for (const auto& pr : pairs) ++offsets[pr.first + 1];
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    for (std::size_t k = 0; k < pairs.size(); ++k) values[k] = pairs[k].second;
  }
  void csr(const std::vector<std::pair<std::uint32_t, int>>& pairs, std::vector<std::size_t>& offsets,
           std::vector<int>& values) const {
    csr(pairs, offsets, values, static_cast<std::size_t>(n_));
  }

 private:
  // Points each input column of the block, noting NaN cells, and checks values once per input.
  void bind(Eigen::Index i0, Eigen::Index len, std::vector<std::pair<std::uint32_t, int>>& missing_pairs) {
    for (std::size_t j = 0; j < p_.inputs.size(); ++j) {
      if (col_[j] < 0) {
        ptr_[j] = nan_fill_.data();
        nan_[j] = true;
        for (Eigen::Index i = 0; i < len; ++i)
          missing_pairs.emplace_back(static_cast<std::uint32_t>(i0 + i), static_cast<int>(j));
        continue;
      }
      const auto& c = t_.columns[static_cast<std::size_t>(col_[j])];
      if (c.stride == 1) {
        ptr_[j] = c.data + i0;
      } else {
        auto& s = scratch_[j];
        if (s.size() < kBlock) s.resize(kBlock);
        for (Eigen::Index i = 0; i < len; ++i) s[i] = c.data[(i0 + i) * c.stride];
        ptr_[j] = s.data();
      }
      CMap x(ptr_[j], len);
      nan_[j] = false;
      // One pass, 8 independent lanes (GCC vectorises it): x - x is 0 for a finite value and
      // NaN for NaN or inf; the smallest value (NaN-blind) finds negative counts.
      double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0}, mn[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      {
        const double* xp = x.data();
        Eigen::Index i = 0;
        for (; i + 8 <= len; i += 8)
          for (int k = 0; k < 8; ++k) {
            double v = xp[i + k];
            acc[k] += v - v;
            mn[k] = v < mn[k] ? v : mn[k];
          }
        for (; i < len; ++i) {
          double v = xp[i];
          acc[0] += v - v;
          mn[0] = v < mn[0] ? v : mn[0];
        }
      }
      double acc_all = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
      double mn_all = std::min({mn[0], mn[1], mn[2], mn[3], mn[4], mn[5], mn[6], mn[7]});
      if (!(acc_all == 0.0)) {
        for (Eigen::Index i = 0; i < len; ++i) {
          double v = x[i];
          auto unit = static_cast<std::size_t>(i0 + i);
          if (std::isnan(v)) {
            nan_[j] = true;
            missing_pairs.emplace_back(static_cast<std::uint32_t>(unit), static_cast<int>(j));
            if (p_.missing == missing_policy::error)
              errors_.add("rectify.data.missing", unit, static_cast<int>(j),
                          "value is missing (missing policy is \"error\")");
          } else if (std::isinf(v)) {
            errors_.add("rectify.data.not_finite", unit, static_cast<int>(j), "value must be finite, got " + fmt(v));
          }
        }
      }
      // minCoeff is vectorised; with NaN in the block its result is unspecified: look at each value.
      if (p_.input_is_count[j] && mn_all < 0)
        for (Eigen::Index i = 0; i < len; ++i)
          if (x[i] < 0 && std::isfinite(x[i]))  // -inf was reported as not finite
            errors_.add("rectify.data.negative_count", static_cast<std::size_t>(i0 + i), static_cast<int>(j),
                        "a count must be >= 0, got " + fmt(x[i]));
      // Counts are whole numbers, exact in a double only up to 2^53; far beyond that a count
      // times its points can overflow to inf and the penalty or bonus stop being numbers.
      if (p_.input_is_count[j] && (x > kMaxCount).any())  // NaN compares false
        for (Eigen::Index i = 0; i < len; ++i)
          if (x[i] > kMaxCount && std::isfinite(x[i]))
            errors_.add("rectify.data.out_of_range", static_cast<std::size_t>(i0 + i), static_cast<int>(j),
                        "a count must be at most 2^53 = 9007199254740992 (beyond it counts are not exact), got " +
                            number_text(x[i]));
    }
  }

  bool any_rule_nan() const {
    for (const auto& op : p_.leaves)
      if (op.has_rule && nan_[static_cast<std::size_t>(op.input)]) return true;
    return false;
  }

  // Under "reweight": which nodes are present for each unit of the block, and the points each
  // present node then carries. A node's scale is its parent's scale times (points of all its
  // siblings) / (points of its present siblings), so a unit with nothing dropped keeps exactly
  // the scheme's points, whatever else is in its block.
  void effective_points(Eigen::Index len) {
    const auto N = p_.nodes.size();
    for (std::size_t k = 0; k < N; ++k) {
      const auto& nd = p_.nodes[k];
      auto pr = present_.col(static_cast<Eigen::Index>(k)).head(len);
      if (nd.leaf >= 0) {
        const auto& op = p_.leaves[static_cast<std::size_t>(nd.leaf)];
        if (op.has_rule)
          pr = CMap(ptr_[static_cast<std::size_t>(op.input)], len).isNaN().select(0.0, Arr::Ones(len));
        else
          pr.setOnes();
      } else {
        pr.setZero();
      }
      psum_.col(static_cast<Eigen::Index>(k)).head(len).setZero();
    }
    Arr root_sum = Arr::Zero(len);
    for (std::size_t k = N; k-- > 0;) {
      const auto& nd = p_.nodes[k];
      auto pr = present_.col(static_cast<Eigen::Index>(k)).head(len);
      if (nd.parent < 0)
        root_sum += pr * nd.points;
      else {
        psum_.col(nd.parent).head(len) += pr * nd.points;
        present_.col(nd.parent).head(len) = present_.col(nd.parent).head(len).max(pr);
      }
    }
    // eff_ holds the scale first, then (below) scale × points.
    for (std::size_t k = 0; k < N; ++k) {
      const auto& nd = p_.nodes[k];
      auto pr = present_.col(static_cast<Eigen::Index>(k)).head(len);
      double all = nd.parent < 0 ? root_all_ : all_[static_cast<std::size_t>(nd.parent)];
      Arr parent_scale = nd.parent < 0 ? Arr::Ones(len) : Arr(eff_.col(nd.parent).head(len));
      Arr present_sum = nd.parent < 0 ? root_sum : Arr(psum_.col(nd.parent).head(len));
      eff_.col(static_cast<Eigen::Index>(k)).head(len) =
          (present_sum > 0).select(pr * parent_scale * (all / present_sum.max(1e-300)), 0.0);
    }
    for (std::size_t k = 0; k < N; ++k) eff_.col(static_cast<Eigen::Index>(k)).head(len) *= p_.nodes[k].points;
  }

  template <class Dst>
  void accumulate(Dst& dst, const MMap& child) const {
    // Under "reweight" NaN marks "dropped": a dropped child adds nothing, and a parent that is
    // still NaN (no present child yet) takes the child's value.
    if (reweight_)
      dst = dst.isNaN().select(child, child.isNaN().select(dst, dst + child));
    else
      dst += child;
  }

  template <class Out>
  void add_count(const count_op& c, Eigen::Index len, Out& out) const {
    const auto j = static_cast<std::size_t>(c.input);
    CMap x(ptr_[j], len);
    if (nan_[j])
      out += x.isNaN().select(0.0, (c.per * x).min(c.cap));
    else
      out += (c.per * x).min(c.cap);
  }

  // f(x) of a block, after checking the values that `check` and `direct` rules refuse.
  void fraction(const leaf_op& op, double p, const CMap& x, Arr& f, Eigen::Index i0, Eigen::Index len, bool has_nan) {
    if (op.type == rule_type::check) {
      // x (x - 1) is 0 exactly for 0 and 1; its largest |.| is a vectorised reduction.
      if (has_nan || (x * (x - 1.0)).abs().maxCoeff() != 0.0)
        for (Eigen::Index i = 0; i < len; ++i)
          if (x[i] != 0.0 && x[i] != 1.0 && !std::isnan(x[i]))
            errors_.add("rectify.data.bad_check", static_cast<std::size_t>(i0 + i), op.input,
                        "a check indicator takes 0 or 1 (or true/false), got " + fmt(x[i]));
    } else if (op.type == rule_type::direct) {
      if (has_nan || x.minCoeff() < 0.0 || x.maxCoeff() > p)
        for (Eigen::Index i = 0; i < len; ++i)
          if (!(x[i] >= 0.0 && x[i] <= p) && !std::isnan(x[i]))
            errors_.add("rectify.data.out_of_range", static_cast<std::size_t>(i0 + i), op.input,
                        "expert-rated points must lie in [0, " + fmt(p) + "], got " + fmt(x[i]));
    }
    rule_fraction(op, p, x.data(), f.data(), len);
  }

  const plan& p_;
  const table_view& t_;
  Eigen::Index n_;
  Eigen::Index N_ = 0;
  bool keep_;
  bool reweight_ = false;
  std::vector<std::ptrdiff_t> col_;
  collector errors_;
  std::vector<const double*> ptr_;
  std::vector<unsigned char> nan_;
  std::vector<Arr> scratch_;
  Arr nan_fill_;
  Eigen::MatrixXd scratch_nodes_;
  Eigen::ArrayXXd eff_, present_, psum_;
  std::vector<double> all_;  ///< points of all children of each node
  double root_all_ = 0.0;
};

// A fresh matrix of hundreds of MB would otherwise take one page fault per 4 KiB while the
// blocks fill it; MADV_POPULATE_WRITE (Linux 5.14) maps it in one call. Huge pages are not
// asked for: with the common "defrag=madvise" setting they stall on compaction.
void prefault(void* data, std::size_t bytes) {
#if defined(__linux__)
  constexpr int kPopulateWrite = 23;  // MADV_POPULATE_WRITE, missing from older headers
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  auto lo = (reinterpret_cast<std::uintptr_t>(data) + page - 1) & ~(page - 1);
  auto hi = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(page - 1);
  if (bytes >= (std::size_t{1} << 24) && hi > lo) (void)madvise(reinterpret_cast<void*>(lo), hi - lo, kPopulateWrite);
#else
  (void)data;
  (void)bytes;
#endif
}

// rank_and_grade without the checks: `score` gives it a cohort it has just evaluated.
void grades_and_ranks(const plan& p, const Eigen::Ref<const Eigen::VectorXd>& score,
                      const Eigen::Ref<const Eigen::VectorXi>& ceiling, Eigen::VectorXi& band, Eigen::VectorXi& grade,
                      Eigen::VectorXi& rank) {
  const auto n = static_cast<std::size_t>(score.size());
  const auto G = static_cast<int>(p.grades.size());
  band.resize(score.size());
  grade.resize(score.size());
  rank.resize(score.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    int g = 0;
    while (g + 1 < G && !(p.grades[static_cast<std::size_t>(g)].min <= score[ii])) ++g;
    band[ii] = g;
    grade[ii] = std::max(g, ceiling[ii]);
  }
  std::vector<double> sorted;
  auto order = descending(score, sorted);
  std::vector<std::size_t> higher;
  higher_not_tied(sorted, higher);
  for (std::size_t k = 0; k < n; ++k) rank[order[k]] = static_cast<int>(higher[k] + 1);

  // Quotas from the top grade down: a grade keeps the units whose competition rank among its
  // holders is within the limit (ties at the cut all stay); the rest move down one grade and
  // compete there under that grade's quota.
  std::vector<std::uint32_t> holders;
  std::vector<double> held;
  for (int g = 0; g + 1 < G; ++g) {
    double q = p.grades[static_cast<std::size_t>(g)].quota;
    if (q <= 0) continue;
    auto limit = static_cast<std::size_t>(std::floor(q * static_cast<double>(n) + 1e-9));
    holders.clear();
    held.clear();
    for (std::size_t k = 0; k < n; ++k)
      if (grade[order[k]] == g) holders.push_back(order[k]), held.push_back(sorted[k]);
    higher_not_tied(held, higher);
    for (std::size_t k = 0; k < holders.size(); ++k)
      if (higher[k] >= limit) grade[holders[k]] = g + 1;
  }
}

Eigen::VectorXi ceiling_of(const plan& p, const result& r) {
  Eigen::VectorXi c = Eigen::VectorXi::Zero(static_cast<Eigen::Index>(r.size()));
  for (std::size_t i = 0; i < r.size(); ++i)
    for (int v : r.vetoes(i))
      c[static_cast<Eigen::Index>(i)] =
          std::max(c[static_cast<Eigen::Index>(i)], p.vetoes[static_cast<std::size_t>(v)].max_grade);
  return c;
}

// Completes the cohort methods' weights of `p` from `t` (see derive_weights). A group whose
// weights cannot be derived gets equal weights and a problem in `problems`, so that the caller
// can report the data's own problems first.
std::vector<derived_weights> derive(const plan& p, const table_view& t, std::vector<problem>& problems) {
  std::vector<derived_weights> out = p.derived;
  const auto n = static_cast<Eigen::Index>(t.rows());
  Arr gathered(kBlock);
  for (auto& d : out) {
    if (d.derived()) continue;
    const auto k = static_cast<Eigen::Index>(d.children.size());
    const std::string method = to_string(d.method);
    // The children's fractions, unit by unit: one column per child, filled in blocks.
    Eigen::MatrixXd f(n, k);
    std::vector<unsigned char> complete(static_cast<std::size_t>(n), 1);
    for (Eigen::Index c = 0; c < k; ++c) {
      const auto& nd = p.nodes[static_cast<std::size_t>(d.children[static_cast<std::size_t>(c)])];
      const leaf_op& op = p.leaves[static_cast<std::size_t>(nd.leaf)];
      auto col = t.find(p.inputs[static_cast<std::size_t>(op.input)]);
      if (col < 0) {
        std::fill(complete.begin(), complete.end(), 0);
        continue;
      }
      const auto& cv = t.columns[static_cast<std::size_t>(col)];
      for (Eigen::Index i0 = 0; i0 < n; i0 += kBlock) {
        const Eigen::Index len = std::min(kBlock, n - i0);
        const double* x = cv.data + i0 * cv.stride;
        if (cv.stride != 1) {
          for (Eigen::Index i = 0; i < len; ++i) gathered[i] = cv.data[(i0 + i) * cv.stride];
          x = gathered.data();
        }
        rule_fraction(op, nd.points, x, f.col(c).data() + i0, len);
        for (Eigen::Index i = 0; i < len; ++i)
          if (!std::isfinite(x[i])) complete[static_cast<std::size_t>(i0 + i)] = 0;
      }
    }
    const auto m = static_cast<Eigen::Index>(std::count(complete.begin(), complete.end(), 1));
    d.units = static_cast<std::size_t>(m);
    if (k == 1) {  // one child takes all the points, whatever the cohort
      d.weights = Eigen::VectorXd::Ones(1);
      continue;
    }
    d.weights = Eigen::VectorXd::Constant(k, 1.0 / static_cast<double>(k));
    if (m < 2) {
      std::string got =
          m == n ? "there " + std::string(m == 1 ? "is " : "are ") + std::to_string(m)
                 : std::to_string(m) + " of the " + std::to_string(n) + " units " + (m == 1 ? "has" : "have") + " them";
      problems.push_back({"rectify.data.cohort_too_small", d.path,
                          method + " weights are derived from the units scored and need at least 2 units with a " +
                              "value for every child's input; " + got,
                          t.provenance ? t.provenance->source : std::string()});
      continue;
    }
    // Units with a missing (or non-finite) child input are left out of the derivation: they
    // are still scored with these weights, under the scheme's missing policy.
    Eigen::MatrixXd kept;
    if (m < n) {
      kept.resize(m, k);
      Eigen::Index r = 0;
      for (Eigen::Index i = 0; i < n; ++i)
        if (complete[static_cast<std::size_t>(i)]) kept.row(r++) = f.row(i);
      f.swap(kept);
    }
    bool all_constant = true;
    for (Eigen::Index c = 0; c < k && all_constant; ++c) all_constant = f.col(c).maxCoeff() == f.col(c).minCoeff();
    if (all_constant) {
      d.equal_fallback = true;
      continue;
    }
    // Fractions are already oriented (1 = best), so every criterion is a benefit one.
    const Eigen::VectorXi types = Eigen::VectorXi::Ones(k);
    try {
      switch (d.method) {
        case weights_method::entropy:
          d.weights = mcda::entropy(f).weights;
          break;
        case weights_method::critic:
          d.weights = mcda::critic(f, types);
          break;
        case weights_method::std_dev:
          d.weights = mcda::std_weights(f, types);
          break;
        case weights_method::ahp:
          break;
      }
    } catch (const rectify::error& e) {
      // Not every column is constant, so only CRITIC can fail here: every non-constant
      // fraction perfectly correlated with every other leaves no contrast to weigh.
      if (d.method == weights_method::critic && e.code() == "rectify.mcda.bad_matrix") {
        d.equal_fallback = true;
        continue;
      }
      problems.push_back({"rectify.data.weights_undefined", d.path,
                          method + " weights cannot be derived from this cohort: " + e.problems().front().message,
                          t.provenance ? t.provenance->source : std::string()});
    }
  }
  return out;
}

result evaluate(const plan& p, const table_view& data, const score_options& options,
                const std::vector<problem>& weight_problems) {
  const auto n = static_cast<Eigen::Index>(data.rows());
  result r;
  r.score.resize(n);
  r.base.resize(n);
  r.bonus.resize(n);
  r.penalty.resize(n);
  r.band.resize(n);
  r.grade.resize(n);
  r.rank.resize(n);
  if (options.nodes) {
    r.nodes.resize(n, static_cast<Eigen::Index>(p.nodes.size()));
    prefault(r.nodes.data(), static_cast<std::size_t>(r.nodes.size()) * sizeof(double));
  }

  evaluator ev(p, data, options.nodes);
  ev.report_absent_columns();
  std::vector<std::pair<std::uint32_t, int>> missing_pairs, block_pairs;
  // Every block is checked even once 20 problems are listed, so that "... and N more" is exact.
  for (Eigen::Index i0 = 0; i0 < n; i0 += kBlock) {
    block_pairs.clear();
    ev.block(r, i0, std::min(kBlock, n - i0), nullptr, block_pairs);
    std::sort(block_pairs.begin(), block_pairs.end());
    missing_pairs.insert(missing_pairs.end(), block_pairs.begin(), block_pairs.end());
  }
  if (!ev.errors().empty()) ev.errors().throw_all();
  // Weights that could not be derived are reported only for data that is otherwise fine: a
  // missing or bad value is the first thing to fix, and may be why they could not be.
  if (!weight_problems.empty()) raise(weight_problems);
  evaluator::csr(missing_pairs, r.missing_offsets, r.missing_input, static_cast<std::size_t>(n));
  ev.vetoes(r);
  grades_and_ranks(p, r.score, ceiling_of(p, r), r.band, r.grade, r.rank);
  r.derived = p.derived;
  return r;
}

std::vector<lost_item> explain_unit(const plan& p, const table_view& data, std::size_t unit, lang language);

}  // namespace

std::vector<derived_weights> derive_weights(const plan& p, const table_view& data) {
  std::vector<problem> problems;
  auto out = derive(p, data, problems);
  if (!problems.empty()) raise(std::move(problems));
  return out;
}

std::vector<derived_weights> derive_weights(const plan& p, const table_view& data, std::vector<problem>& problems) {
  return derive(p, data, problems);
}

std::vector<int> cohort_inputs(const plan& p) {
  std::vector<int> out;
  for (const auto& d : p.derived) {
    if (d.derived()) continue;
    for (int c : d.children) {
      const auto& nd = p.nodes[static_cast<std::size_t>(c)];
      if (nd.leaf >= 0) out.push_back(p.leaves[static_cast<std::size_t>(nd.leaf)].input);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Eigen::VectorXi veto_ceiling(const plan& p, const result& r) {
  return ceiling_of(p, r);
}

void rank_and_grade(const plan& p, const Eigen::Ref<const Eigen::VectorXd>& score,
                    const Eigen::Ref<const Eigen::VectorXi>& veto_ceiling, Eigen::VectorXi& band,
                    Eigen::VectorXi& grade, Eigen::VectorXi& rank) {
  if (veto_ceiling.size() != score.size())
    raise("rectify.data.shape", "",
          "got " + std::to_string(veto_ceiling.size()) + " veto ceilings for " + std::to_string(score.size()) +
              " scores");
  if (static_cast<std::size_t>(score.size()) > std::numeric_limits<std::uint32_t>::max() - 1)
    raise("rectify.data.too_large", "", "at most 4294967294 units can be ranked in one call");
  const auto G = static_cast<int>(p.grades.size());
  for (Eigen::Index i = 0; i < score.size(); ++i) {
    if (std::isnan(score[i]))
      raise("rectify.data.not_finite", "", "scores to rank must not be NaN (position " + std::to_string(i) + ")");
    if (veto_ceiling[i] < 0 || veto_ceiling[i] >= G)
      raise("rectify.data.bad_grade", "",
            "veto ceiling " + std::to_string(veto_ceiling[i]) + " at position " + std::to_string(i) +
                " is not a grade of the scheme (0.." + std::to_string(G - 1) + ")");
  }
  grades_and_ranks(p, score, veto_ceiling, band, grade, rank);
}

Eigen::VectorXi competition_rank(const Eigen::Ref<const Eigen::VectorXd>& scores) {
  for (Eigen::Index i = 0; i < scores.size(); ++i)
    if (std::isnan(scores[i]))
      raise("rectify.data.not_finite", "", "scores to rank must not be NaN (position " + std::to_string(i) + ")");
  std::vector<double> sorted;
  auto order = descending(scores, sorted);
  std::vector<std::size_t> higher;
  higher_not_tied(sorted, higher);
  Eigen::VectorXi rank(scores.size());
  for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<int>(higher[k] + 1);
  return rank;
}

result score(const plan& p, const table_view& data, const score_options& options) {
  const auto n = static_cast<Eigen::Index>(data.rows());
  if (data.rows() > std::numeric_limits<std::uint32_t>::max() - 1)
    raise("rectify.data.too_large", "", "at most 4294967294 units can be scored in one call");
  for (const auto& c : data.columns)
    if (c.data == nullptr && n > 0)
      raise("rectify.data.shape", "", "column " + rectify::quoted(c.name) + " has no data");
  if (!p.needs_cohort()) return evaluate(p, data, options, {});
  // Cohort weights: a first pass over the children's fractions, then the usual evaluation
  // with the children's points set from the weights.
  std::vector<problem> weight_problems;
  auto derived = derive(p, data, weight_problems);
  return evaluate(with_weights(p, derived), data, options, weight_problems);
}

std::vector<lost_item> explain(const plan& p, const table_view& data, std::size_t unit, lang language) {
  if (unit >= data.rows())
    raise("rectify.data.no_unit", "",
          "unit index " + std::to_string(unit) + " is out of range (" + std::to_string(data.rows()) + " units)");
  if (!p.needs_cohort()) return explain_unit(p, data, unit, language);
  return explain_unit(with_weights(p, derive_weights(p, data)), data, unit, language);
}

std::vector<lost_item> explain(const plan& p, const table_view& data, const result& r, std::size_t unit,
                               lang language) {
  if (unit >= data.rows())
    raise("rectify.data.no_unit", "",
          "unit index " + std::to_string(unit) + " is out of range (" + std::to_string(data.rows()) + " units)");
  if (!p.needs_cohort()) return explain_unit(p, data, unit, language);
  return explain_unit(with_weights(p, r.derived), data, unit, language);
}

namespace {

std::vector<lost_item> explain_unit(const plan& p, const table_view& data, std::size_t unit, lang language) {
  // Evaluate the one unit through the same code path as `score`, recording each leaf.
  table_view one = data;
  one.units = data.units.subspan(unit, 1);
  for (auto& c : one.columns) c.data += static_cast<std::ptrdiff_t>(unit) * c.stride;
  one.provenance = nullptr;
  evaluator ev(p, one, true);
  result r;
  r.score.resize(1);
  r.base.resize(1);
  r.bonus.resize(1);
  r.penalty.resize(1);
  r.nodes.resize(1, static_cast<Eigen::Index>(p.nodes.size()));
  std::vector<leaf_trace> trace;
  std::vector<std::pair<std::uint32_t, int>> pairs;
  ev.block(r, 0, 1, &trace, pairs);
  // Problems of this unit are reported by `score`; an explanation is given only for data that
  // scores, so rethrow them here too.
  if (!ev.errors().empty()) ev.errors().throw_all();

  const bool zh = language == lang::zh;
  const std::string minus = zh ? "−" : "-";
  std::vector<lost_item> out;
  auto count_line = [&](const count_op& c, double count, double amount) {
    std::string s = zh ? c.name + " " + fmt(count) + " 次 × " + fmt(c.per) + " 分 = " + minus + fmt(c.per * count)
                       : c.name + " " + fmt(count) + " × " + fmt(c.per) + " = " + minus + fmt(c.per * count);
    if (amount < c.per * count) s += zh ? ",封顶 " + fmt(c.cap) + " 分" : ", capped at " + fmt(c.cap);
    return s;
  };
  for (std::size_t l = 0; l < p.leaves.size(); ++l) {
    const auto& op = p.leaves[l];
    const auto& tr = trace[l];
    const auto& nd = p.nodes[static_cast<std::size_t>(op.node)];
    if (tr.dropped) continue;
    if (tr.missing) {
      if (tr.p_eff > 0)
        out.push_back({nd.id, tr.p_eff,
                       zh ? nd.name + ":缺少数据 " + p.inputs[static_cast<std::size_t>(op.input)] +
                                ",按 0 分计 = " + minus + fmt(tr.p_eff)
                          : nd.name + ": no value for " + p.inputs[static_cast<std::size_t>(op.input)] +
                                ", scored 0 = " + minus + fmt(tr.p_eff)});
      continue;
    }
    double claimed = 0;
    if (op.has_rule) {
      double loss = tr.p_eff * (1.0 - tr.f);
      if (loss > 0) {
        claimed += loss;
        std::string pct = fmt(tr.f * 100, 1) + "%";
        out.push_back({nd.id, loss,
                       zh ? nd.name + ":实际 " + fmt(tr.x) + ",得分率 " + pct + "(满分 " + fmt(tr.p_eff) +
                                " 分)= " + minus + fmt(loss)
                          : nd.name + ": value " + fmt(tr.x) + ", " + pct + " of " + fmt(tr.p_eff) +
                                " points = " + minus + fmt(loss)});
      }
    }
    for (std::size_t k = 0; k < op.deductions.size(); ++k) {
      double a = tr.amounts[k];
      if (a <= 0) continue;
      claimed += a;
      out.push_back({nd.id, a, count_line(op.deductions[k], tr.counts[k], a)});
    }
    double actual = tr.p_eff - tr.earned;
    if (claimed - actual > 1e-12 * std::max(1.0, tr.p_eff))
      out.push_back({nd.id, actual - claimed,
                     zh ? nd.name + ":扣完为止,本项最多扣 " + fmt(tr.p_eff) + " 分 = +" + fmt(claimed - actual)
                        : nd.name + ": floored at 0, at most " + fmt(tr.p_eff) + " points lost here = +" +
                              fmt(claimed - actual)});
  }
  // Under "reweight" a dropped leaf's points go to its present siblings; when those siblings
  // carry no points (all weights 0) the share has nowhere to go and is lost. No leaf above
  // claims it, so it is named here, against the dropped leaves of such groups (by their points),
  // for the items to add up to total − base.
  double carried = 0;
  for (std::size_t l = 0; l < p.leaves.size(); ++l)
    if (!trace[l].dropped) carried += trace[l].p_eff;
  const double lost = p.total - carried;
  if (lost > 1e-12 * std::max(1.0, p.total)) {
    std::vector<std::size_t> dead;  // dropped leaves whose present sibling leaves carry no points
    for (std::size_t l = 0; l < p.leaves.size(); ++l) {
      if (!trace[l].dropped) continue;
      const int parent = p.nodes[static_cast<std::size_t>(p.leaves[l].node)].parent;
      bool present_points = false;
      for (std::size_t m = 0; m < p.leaves.size(); ++m) {
        const auto& other = p.nodes[static_cast<std::size_t>(p.leaves[m].node)];
        if (other.parent == parent && !trace[m].dropped && other.points > 0) present_points = true;
      }
      if (!present_points) dead.push_back(l);
    }
    if (dead.empty())  // the share was lost higher up the tree: name every dropped leaf
      for (std::size_t l = 0; l < p.leaves.size(); ++l)
        if (trace[l].dropped) dead.push_back(l);
    double weight_sum = 0;
    for (std::size_t l : dead) weight_sum += p.nodes[static_cast<std::size_t>(p.leaves[l].node)].points;
    for (std::size_t l : dead) {
      const auto& nd = p.nodes[static_cast<std::size_t>(p.leaves[l].node)];
      const double share = weight_sum > 0 ? lost * nd.points / weight_sum : lost / static_cast<double>(dead.size());
      if (share <= 0) continue;
      const std::string& input = p.inputs[static_cast<std::size_t>(p.leaves[l].input)];
      out.push_back({nd.id, share,
                     zh ? nd.name + ":缺少数据 " + input + ",同组其余指标分值为 0,分值无法转移 = " + minus + fmt(share)
                        : nd.name + ": no value for " + input +
                              ", and the rest of its group carries no points, so its share is lost = " + minus +
                              fmt(share)});
    }
  }
  for (const auto& c : p.penalties) {
    double x = kNaN;
    auto col = one.find(p.inputs[static_cast<std::size_t>(c.input)]);
    if (col >= 0) x = one.columns[static_cast<std::size_t>(col)][0];
    if (std::isnan(x) || x <= 0) continue;
    double a = std::min(c.cap, c.per * x);
    if (a > 0) out.push_back({c.id, a, count_line(c, x, a)});
  }
  return out;
}

}  // namespace

}  // namespace rectify::assess
