// Scoring benchmark, C++ side (see docs/benchmarks.md).
//
//   rectify_bench_score [--units N] [--repeat R] [--seed S] [--scheme PATH] [--only WHAT]
//                       [--check REF.bin]
//
// Generates the unit data of bench/gen_scheme.py bit for bit (N units x every input of the
// scheme, float64, column-major, a few empty cells), then times, best of R, in the same run:
//   - a plain read pass: the sum of every cell of the same matrix (8 independent accumulators,
//     the result kept in a volatile), i.e. what it costs just to stream the input once;
//   - rectify::assess::score with score_options{.nodes = false} and {.nodes = true};
//   - the same read pass in the engine's order (blocks of 256 units, all columns of a block);
//   - rectify::assess::competition_rank of the scores alone (a part of what score does).
// Peak memory of each call is VmHWM after resetting it (/proc/self/clear_refs) minus VmRSS
// before the call. The engine is single-threaded; pin the process with taskset to be sure.
// --check compares the scores, bands, grades and ranks with a file written by
// `python bench/numpy_reference.py --units N --dump REF.bin`.

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bench_support.hpp"
#include "rectify/assess/engine.hpp"
#include "rectify/core/error.hpp"
#include "rectify/core/table.hpp"
#include "rectify/io/scheme_json.hpp"

namespace {

using namespace rectify::bench;  // NOLINT: the shared measurement helpers
using timing = samples;

namespace ra = rectify::assess;

// ---- the data generator (mirrors make_columns in bench/gen_scheme.py exactly) ---------------

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t kSeedMul = 0xD1B54A32D192ED03ULL;
constexpr std::uint64_t kNanSalt = 0xA5A5A5A5A5A5A5A5ULL;
constexpr double kMissingRate = 0.0005;
constexpr const char* kUnitColumn = "__unit_quality__";
constexpr double kCountT[] = {0.3, 0.12, 0.05, 0.02, 0.008, 0.003};
constexpr double kBonusT[] = {0.3, 0.1, 0.03};
constexpr double kPenaltyT[] = {0.04, 0.008};
constexpr double kVetoP = 0.003;

struct uniform_stream {
  std::uint64_t state;
  uniform_stream(std::string_view name, std::uint64_t seed, std::uint64_t salt = 0)
      : state(fnv1a(name) ^ (seed * kSeedMul) ^ salt) {}
  double operator()(std::uint64_t row) const {
    return static_cast<double>(mix(state + (row + 1) * kGolden) >> 11) * 0x1p-53;
  }
};

double rounding_step(double span) {
  double step = 1.0;
  while (step * 100 > span) step = step / 10;
  while (step * 1000 < span) step = step * 10;
  return step;
}

struct domain {
  double lo, hi;
  bool rising, nonneg;
};

domain rule_domain(const ra::leaf_op& op) {
  switch (op.type) {
    case ra::rule_type::linear: {
      double lo = op.worst, hi = op.best;
      bool rising = op.best > op.worst;
      if (!rising) std::swap(lo, hi);
      return {lo, hi, rising, lo >= 0};
    }
    case ra::rule_type::steps: {
      double a = op.x.front(), b = op.x.back();
      double span = b > a ? b - a : std::abs(a) + 1;
      if (!op.at_most) return {a - 0.5 * span, b + 0.1 * span, true, a >= 0};
      return {a - 0.1 * span, b + 0.5 * span, false, a >= 0};
    }
    case ra::rule_type::piecewise: {
      double a = op.x.front(), b = op.x.back(), span = b - a;
      return {a - 0.1 * span, b + 0.1 * span, op.f.back() >= op.f.front(), a >= 0};
    }
    default:
      throw std::logic_error("no domain for this rule");
  }
}

enum class kind { rule, count, bonus, penalty, veto };
struct column_kind {
  kind k = kind::count;
  const ra::leaf_op* leaf = nullptr;
  double points = 0;
};

std::vector<column_kind> column_kinds(const ra::plan& p) {
  std::vector<column_kind> out(p.inputs.size());
  std::vector<bool> seen(p.inputs.size(), false);
  auto set = [&](int input, column_kind c) {
    auto j = static_cast<std::size_t>(input);
    if (!seen[j]) out[j] = c, seen[j] = true;
  };
  for (const auto& op : p.leaves) {
    if (op.has_rule) set(op.input, {kind::rule, &op, p.nodes[static_cast<std::size_t>(op.node)].points});
    for (const auto& d : op.deductions) set(d.input, {kind::count, nullptr, 0});
  }
  for (const auto& c : p.bonus) set(c.input, {kind::bonus, nullptr, 0});
  for (const auto& c : p.penalties) set(c.input, {kind::penalty, nullptr, 0});
  for (const auto& v : p.vetoes) set(v.input, {kind::veto, nullptr, 0});
  return out;
}

Eigen::MatrixXd make_data(const ra::plan& p, Eigen::Index n, std::uint64_t seed) {
  const auto kinds = column_kinds(p);
  Eigen::MatrixXd m(n, static_cast<Eigen::Index>(p.inputs.size()));
  std::vector<double> b(static_cast<std::size_t>(n));
  uniform_stream ub(kUnitColumn, seed);
  for (Eigen::Index i = 0; i < n; ++i)
    b[static_cast<std::size_t>(i)] = 0.65 + 0.38 * std::sqrt(ub(static_cast<std::uint64_t>(i)));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t j = 0; j < kinds.size(); ++j) {
    const auto& ck = kinds[j];
    uniform_stream us(p.inputs[j], seed), un(p.inputs[j], seed, kNanSalt);
    double* col = m.col(static_cast<Eigen::Index>(j)).data();
    std::function<double(double, double)> cell;
    if (ck.k == kind::rule && ck.leaf->type == ra::rule_type::check) {
      cell = [](double u, double bi) { return u < 0.35 + 0.6 * bi ? 1.0 : 0.0; };
    } else if (ck.k == kind::rule && ck.leaf->type == ra::rule_type::direct) {
      double pts = ck.points;
      cell = [pts](double u, double bi) {
        double q = std::min(std::max(bi + 0.5 * (u - 0.5), 0.0), 1.0);
        return std::floor(pts * q * 10 + 0.5) / 10;
      };
    } else if (ck.k == kind::rule) {
      domain d = rule_domain(*ck.leaf);
      double step = rounding_step(d.hi - d.lo), span = d.hi - d.lo;
      cell = [d, step, span](double u, double bi) {
        double q = bi + 0.5 * (u - 0.5);
        double x = d.rising ? d.lo + q * span : d.hi - q * span;
        if (d.nonneg) x = std::max(x, 0.0);
        return std::floor(x / step + 0.5) * step;
      };
    } else {
      std::vector<double> ts;
      int scale_kind = 0;  // 0: none, 1: 1.75 - b, 2: b, 3: 1.5 - b
      switch (ck.k) {
        case kind::count:
          ts.assign(std::begin(kCountT), std::end(kCountT));
          scale_kind = 1;
          break;
        case kind::bonus:
          ts.assign(std::begin(kBonusT), std::end(kBonusT));
          scale_kind = 2;
          break;
        case kind::penalty:
          ts.assign(std::begin(kPenaltyT), std::end(kPenaltyT));
          scale_kind = 3;
          break;
        default:
          ts = {kVetoP};
          break;
      }
      cell = [ts, scale_kind](double u, double bi) {
        double scale = scale_kind == 1 ? 1.75 - bi : scale_kind == 2 ? bi : 1.5 - bi;
        double c = 0.0;
        for (double t : ts) c += (u < (scale_kind ? t * scale : t)) ? 1.0 : 0.0;
        return c;
      };
    }
    for (Eigen::Index i = 0; i < n; ++i) {
      auto r = static_cast<std::uint64_t>(i);
      col[i] = un(r) < kMissingRate ? nan : cell(us(r), b[static_cast<std::size_t>(i)]);
    }
  }
  return m;
}

// ---- measurement -------------------------------------------------------------------------------

// The same sum, visiting the matrix in the engine's order: blocks of `block` units, every
// column of a block before the next block (shows what the access pattern alone costs).
double blocked_read_pass(const Eigen::MatrixXd& m, Eigen::Index block) {
  double a[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const Eigen::Index n = m.rows();
  for (Eigen::Index i0 = 0; i0 < n; i0 += block) {
    const Eigen::Index len = std::min(block, n - i0);
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      const double* d = m.data() + j * n + i0;
      Eigen::Index i = 0;
      for (; i + 8 <= len; i += 8)
        for (int k = 0; k < 8; ++k) a[k] += d[i + k];
      for (; i < len; ++i) a[0] += d[i];
    }
  }
  return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

// ---- --check against numpy_reference.py --dump -------------------------------------------------

int check(const std::string& path, const ra::result& r) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    return 1;
  }
  std::int64_t n = 0;
  f.read(reinterpret_cast<char*>(&n), sizeof n);
  if (n != static_cast<std::int64_t>(r.size())) {
    std::fprintf(stderr, "%s holds %lld units, the bench scored %zu\n", path.c_str(), static_cast<long long>(n),
                 r.size());
    return 1;
  }
  const auto un = static_cast<std::size_t>(n);
  std::vector<double> score(un);
  std::vector<std::int32_t> band(un), grade(un), rank(un);
  f.read(reinterpret_cast<char*>(score.data()), static_cast<std::streamsize>(un * sizeof(double)));
  f.read(reinterpret_cast<char*>(band.data()), static_cast<std::streamsize>(un * 4));
  f.read(reinterpret_cast<char*>(grade.data()), static_cast<std::streamsize>(un * 4));
  f.read(reinterpret_cast<char*>(rank.data()), static_cast<std::streamsize>(un * 4));
  if (!f) {
    std::fprintf(stderr, "%s is truncated\n", path.c_str());
    return 1;
  }
  double max_diff = 0;
  std::size_t bad_band = 0, bad_grade = 0, bad_rank = 0;
  for (std::size_t i = 0; i < un; ++i) {
    auto ii = static_cast<Eigen::Index>(i);
    max_diff = std::max(max_diff, std::abs(score[i] - r.score[ii]));
    bad_band += band[i] != r.band[ii];
    bad_grade += grade[i] != r.grade[ii];
    bad_rank += rank[i] != r.rank[ii];
  }
  bool ok = max_diff <= 1e-9 && bad_band == 0 && bad_grade == 0 && bad_rank == 0;
  std::printf("check vs %s: max |score diff| %.3g, band/grade/rank mismatches %zu/%zu/%zu: %s\n", path.c_str(),
              max_diff, bad_band, bad_grade, bad_rank, ok ? "OK" : "MISMATCH");
  return ok ? 0 : 1;
}

[[noreturn]] void usage(int rc) {
  std::fprintf(rc ? stderr : stdout,
               "usage: rectify_bench_score [--units N] [--repeat R] [--seed S] [--scheme PATH]\n"
               "                           [--only read|nodes|nonodes|rank|all] [--check REF.bin]\n"
               "(--only nodes|rank still scores once with nodes=false, untimed, for the ranks and --check)\n");
  std::exit(rc);
}

}  // namespace

int main(int argc, char** argv) try {
  long long units = 1'000'000;
  int repeat = 5;
  std::uint64_t seed = 2026;
  std::string scheme_path;
#ifdef RECTIFY_BENCH_SCHEME
  scheme_path = RECTIFY_BENCH_SCHEME;
#endif
  std::string only = "all", check_path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(2);
      return argv[++i];
    };
    if (a == "--units")
      units = std::stoll(value());
    else if (a == "--repeat")
      repeat = std::stoi(value());
    else if (a == "--seed")
      seed = std::stoull(value());
    else if (a == "--scheme")
      scheme_path = value();
    else if (a == "--only")
      only = value();
    else if (a == "--check")
      check_path = value();
    else if (a == "-h" || a == "--help")
      usage(0);
    else
      usage(2);
  }
  if (scheme_path.empty()) {
    std::fprintf(stderr, "no --scheme given (write one with: python bench/gen_scheme.py -o scheme.json)\n");
    return 2;
  }
  if (units < 1 || repeat < 1) usage(2);

  const ra::plan plan = ra::compile(rectify::io::load_scheme_file(scheme_path));
  const auto n = static_cast<Eigen::Index>(units);
  const long rss_start = status_kb("VmRSS");
  auto t0 = std::chrono::steady_clock::now();
  Eigen::MatrixXd values = make_data(plan, n, seed);
  std::vector<std::string> ids(static_cast<std::size_t>(n));
  char buf[32];
  for (Eigen::Index i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "U%07lld", static_cast<long long>(i + 1));
    ids[static_cast<std::size_t>(i)] = buf;
  }
  double gen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const rectify::table_view view = rectify::make_view(ids, plan.inputs, values);
  const long rss_data = status_kb("VmRSS");

  const double input_mb = static_cast<double>(values.size()) * 8.0 / 1e6;
  std::size_t empty = 0;
  for (Eigen::Index i = 0; i < values.size(); ++i) empty += std::isnan(values.data()[i]);
  std::printf(
      "rectify C++ bench: %lld units x %zu inputs = %.1f MB float64 (column-major), scheme %s "
      "(%zu leaves, %zu nodes), best of %d, one thread\n",
      units, plan.inputs.size(), input_mb, plan.id.c_str(), plan.leaves.size(), plan.nodes.size(), repeat);
  std::printf(
      "data: generated in %.1f s, checksum %016llx, %zu empty cells; RSS %.1f MB before, %.1f MB with the "
      "data and the unit ids\n",
      gen_s, static_cast<unsigned long long>(checksum_bits(values)), empty, mb(rss_start), mb(rss_data));

  auto want = [&](const char* what) { return only == "all" || only == what; };
  timing t_read, t_blocked, t_false, t_true, t_rank;
  ra::result last;  // a nodes=false result: its scores are ranked alone, and --check reads it
  if (only == "rank" || only == "nodes") last = ra::score(plan, view, {.nodes = false});
  for (int rep = 0; rep < repeat; ++rep) {
    if (want("read")) {
      measure(t_read, [&] { g_sink = g_sink + read_pass(values.data(), static_cast<std::size_t>(values.size())); });
      measure(t_blocked, [&] { g_sink = g_sink + blocked_read_pass(values, 256); });
    }
    if (want("nonodes")) {
      last = ra::result{};
      measure(t_false, [&] { last = ra::score(plan, view, {.nodes = false}); });
      g_sink = g_sink + last.score[0];
    }
    if (want("nodes")) {
      ra::result r;
      measure(t_true, [&] { r = ra::score(plan, view, {.nodes = true}); });
      g_sink = g_sink + r.score[0] + r.nodes(0, 0);
    }
    if (want("rank")) {
      Eigen::VectorXi rk;
      measure(t_rank, [&] { rk = ra::competition_rank(last.score); });
      g_sink = g_sink + rk[0];
    }
  }

  const double base = t_read.ms.empty() ? 0 : t_read.best();
  std::printf("\n%-38s %10s %10s %8s %12s %14s\n", "", "best ms", "median ms", "GB/s", "x read pass", "extra memory");
  auto row = [&](const char* label, const timing& t) {
    if (t.ms.empty()) return;
    double gbs = input_mb / 1e3 / (t.best() / 1e3);
    char ratio[32] = "-", extra[32] = "-";
    if (base > 0) std::snprintf(ratio, sizeof ratio, "%.2f", t.best() / base);
    if (t.extra_kb >= 0) std::snprintf(extra, sizeof extra, "%.1f MB", mb(t.extra_kb));
    std::printf("%-38s %10.1f %10.1f %8.2f %12s %14s\n", label, t.best(), t.median(), gbs, ratio, extra);
  };
  row("read pass (sum of every cell)", t_read);
  row("  same, in the engine's order (256 rows)", t_blocked);
  row("score, nodes=false", t_false);
  row("score, nodes=true", t_true);
  row("competition_rank of the scores alone", t_rank);
  auto peak = [&](const char* label, const timing& t) {
    if (t.extra_kb < 0) return;
    double extra_mb = mb(t.extra_kb);
    std::printf("peak memory, %-11s input %.1f MB + %.1f MB = %.2fx the input\n", label, input_mb, extra_mb,
                (input_mb + extra_mb) / input_mb);
  };
  std::printf("\n");
  peak("nodes=false:", t_false);
  peak("nodes=true:", t_true);

  if (!check_path.empty()) {
    if (last.size() == 0) last = ra::score(plan, view, {.nodes = false});
    return check(check_path, last);
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "%s\n", e.what());
  return 1;
}
