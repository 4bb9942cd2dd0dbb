// MCDA benchmark, C++ side (see docs/benchmarks.md, "MCDA: TOPSIS, VIKOR, entropy").
//
//   rectify_bench_mcda [--units N] [--repeat R] [--seed S] [--only WHAT] [--check REF.bin] [--json]
//
// Generates the decision matrix of bench/numpy_mcda.py bit for bit (N alternatives x 64
// criteria, float64, column-major, values >= 0, a quarter of the columns mostly zero), then
// times, best of R, interleaved round by round in the same run:
//   - a plain read pass: the sum of every cell (8 independent accumulators, the result kept in a
//     volatile), i.e. what it costs just to stream the matrix once;
//   - rectify::mcda::topsis (minmax, the default, and vector normalisation), vikor (v = 0.5) and
//     entropy, each the whole public call (input checks included).
// Peak memory of each call is VmHWM after resetting it (/proc/self/clear_refs) minus VmRSS
// before the call. The library is single-threaded here; pin the process with taskset to be sure.
// --check compares every result with a file written by
// `python bench/numpy_mcda.py --units N --dump REF.bin`; --json prints the timings as one JSON
// object on the last line (bench_mcda.py reads it).

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "bench_support.hpp"
#include "rectify/mcda/aggregate.hpp"
#include "rectify/mcda/weights.hpp"

namespace {

using namespace rectify::bench;  // NOLINT: the shared measurement helpers

namespace rm = rectify::mcda;

// ---- the data generator (mirrors make_matrix in bench/numpy_mcda.py exactly) ------------------

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t kSeedMul = 0xD1B54A32D192ED03ULL;
constexpr Eigen::Index kCriteria = 64;
constexpr const char* kQuality = "__alternative_quality__";
constexpr double kCountT[] = {0.3, 0.12, 0.05, 0.02, 0.008, 0.003};

struct uniform_stream {
  std::uint64_t state;
  uniform_stream(std::string_view name, std::uint64_t seed) : state(fnv1a(name) ^ (seed * kSeedMul)) {}
  double operator()(std::uint64_t row) const {
    return static_cast<double>(mix(state + (row + 1) * kGolden) >> 11) * 0x1p-53;
  }
};

// Criterion j: a rate in [0, 1] (benefit), an amount of money (cost), a count of incidents,
// mostly 0 (cost), a 0-100 score (benefit), in turn.
int kind_of(Eigen::Index j) {
  return static_cast<int>(j % 4);
}

Eigen::VectorXi bench_types() {
  Eigen::VectorXi t(kCriteria);
  for (Eigen::Index j = 0; j < kCriteria; ++j) t[j] = kind_of(j) == 0 || kind_of(j) == 3 ? 1 : -1;
  return t;
}

Eigen::VectorXd bench_weights() {
  Eigen::VectorXd w(kCriteria);
  for (Eigen::Index j = 0; j < kCriteria; ++j) w[j] = 1.0 + static_cast<double>(j % 5);
  return w;
}

Eigen::MatrixXd make_matrix(Eigen::Index n, std::uint64_t seed) {
  Eigen::MatrixXd m(n, kCriteria);
  std::vector<double> b(static_cast<std::size_t>(n));
  const uniform_stream ub(kQuality, seed);
  for (Eigen::Index i = 0; i < n; ++i)
    b[static_cast<std::size_t>(i)] = 0.65 + 0.38 * std::sqrt(ub(static_cast<std::uint64_t>(i)));
  char name[8];
  for (Eigen::Index j = 0; j < kCriteria; ++j) {
    std::snprintf(name, sizeof name, "c%02d", static_cast<int>(j));
    const uniform_stream us(name, seed);
    double* col = m.col(j).data();
    for (Eigen::Index i = 0; i < n; ++i) {
      const double u = us(static_cast<std::uint64_t>(i)), q0 = b[static_cast<std::size_t>(i)];
      switch (kind_of(j)) {
        case 0: {
          const double q = std::min(std::max(q0 + 0.5 * (u - 0.5), 0.0), 1.0);
          col[i] = std::floor(q * 1000.0 + 0.5) / 1000.0;
          break;
        }
        case 1:
          col[i] = std::floor(1000.0 + 99000.0 * (u * u) * (1.7 - q0) + 0.5);
          break;
        case 2: {
          double c = 0;
          for (double t : kCountT) c += u < t * (1.75 - q0) ? 1.0 : 0.0;
          col[i] = c;
          break;
        }
        default: {
          const double q = std::min(std::max(q0 + 0.4 * (u - 0.5), 0.0), 1.0);
          col[i] = std::floor((40.0 + 60.0 * q) * 10.0 + 0.5) / 10.0;
          break;
        }
      }
    }
  }
  return m;
}

struct timing : samples {
  const char* key = "";
  const char* label = "";
};

// ---- measurement -------------------------------------------------------------------------------

// ---- --check against numpy_mcda.py --dump ---------------------------------------------------------

struct results {
  rm::topsis_result topsis, topsis_vector;
  rm::vikor_result vikor;
  rm::entropy_weights entropy;
};

// max |a - b| / max(|b|, 1e-300) over the entries: relative, since the arrays span several scales.
double max_rel(const Eigen::VectorXd& a, const std::vector<double>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < b.size(); ++i)
    worst = std::max(worst, std::abs(a[static_cast<Eigen::Index>(i)] - b[i]) / std::max(std::abs(b[i]), 1e-300));
  return worst;
}

int check(const std::string& path, const results& r) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    return 1;
  }
  std::int64_t mk[2] = {0, 0};
  f.read(reinterpret_cast<char*>(mk), sizeof mk);
  const auto m = static_cast<std::size_t>(mk[0]), k = static_cast<std::size_t>(mk[1]);
  if (mk[0] != r.vikor.q.size() || mk[1] != kCriteria) {
    std::fprintf(stderr, "%s holds %lld x %lld, the bench ran %lld x %lld\n", path.c_str(),
                 static_cast<long long>(mk[0]), static_cast<long long>(mk[1]), static_cast<long long>(r.vikor.q.size()),
                 static_cast<long long>(kCriteria));
    return 1;
  }
  auto read = [&](std::size_t n) {
    std::vector<double> v(n);
    f.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(double)));
    return v;
  };
  const Eigen::VectorXd* mine[] = {&r.topsis.closeness,
                                   &r.topsis.d_plus,
                                   &r.topsis.d_minus,
                                   &r.topsis_vector.closeness,
                                   &r.topsis_vector.d_plus,
                                   &r.topsis_vector.d_minus,
                                   &r.vikor.s,
                                   &r.vikor.r,
                                   &r.vikor.q};
  const char* names[] = {"topsis C",         "topsis D+", "topsis D-", "topsis/vector C", "topsis/vector D+",
                         "topsis/vector D-", "vikor S",   "vikor R",   "vikor Q"};
  double worst = 0;
  std::printf("check vs %s (max relative difference):", path.c_str());
  for (std::size_t a = 0; a < 9; ++a) {
    const double d = max_rel(*mine[a], read(m));
    worst = std::max(worst, d);
    std::printf(" %s %.2g,", names[a], d);
  }
  std::int64_t nc = 0;
  f.read(reinterpret_cast<char*>(&nc), sizeof nc);
  std::vector<std::int64_t> comp(static_cast<std::size_t>(std::max<std::int64_t>(nc, 0)));
  f.read(reinterpret_cast<char*>(comp.data()), static_cast<std::streamsize>(comp.size() * sizeof(std::int64_t)));
  const bool same_set = comp.size() == r.vikor.compromise.size() &&
                        std::equal(comp.begin(), comp.end(), r.vikor.compromise.begin(),
                                   [](std::int64_t a, Eigen::Index b) { return a == static_cast<std::int64_t>(b); });
  const double dw = max_rel(r.entropy.weights, read(k)), de = max_rel(r.entropy.entropy, read(k));
  worst = std::max({worst, dw, de});
  if (!f) {
    std::fprintf(stderr, "\n%s is truncated\n", path.c_str());
    return 1;
  }
  const bool ok = worst <= 1e-9 && same_set;
  std::printf(" entropy w %.2g, e %.2g; compromise set (%zu) %s: %s\n", dw, de, comp.size(),
              same_set ? "same" : "DIFFERENT", ok ? "OK" : "MISMATCH");
  return ok ? 0 : 1;
}

[[noreturn]] void usage(int rc) {
  std::fprintf(rc ? stderr : stdout,
               "usage: rectify_bench_mcda [--units N] [--repeat R] [--seed S]\n"
               "                          [--only read|topsis|topsis_vector|vikor|entropy|all] [--check REF.bin] "
               "[--json]\n");
  std::exit(rc);
}

}  // namespace

int main(int argc, char** argv) try {
  long long units = 1'000'000;
  int repeat = 7;
  std::uint64_t seed = 2026;
  std::string only = "all", check_path;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
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
    else if (a == "--only")
      only = value();
    else if (a == "--check")
      check_path = value();
    else if (a == "--json")
      json = true;
    else if (a == "-h" || a == "--help")
      usage(0);
    else
      usage(2);
  }
  if (units < 2 || repeat < 1) usage(2);

  const auto n = static_cast<Eigen::Index>(units);
  const long rss_start = status_kb("VmRSS");
  const auto t0 = std::chrono::steady_clock::now();
  const Eigen::MatrixXd x = make_matrix(n, seed);
  const double gen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const long rss_data = status_kb("VmRSS");
  const Eigen::VectorXd w = bench_weights();
  const Eigen::VectorXi types = bench_types();
  const double input_mb = static_cast<double>(x.size()) * 8.0 / 1e6;
  std::printf(
      "rectify C++ MCDA bench: %lld alternatives x %lld criteria = %.1f MB float64 (column-major), best of %d, "
      "one thread\n",
      units, static_cast<long long>(kCriteria), input_mb, repeat);
  std::printf("data: generated in %.1f s, checksum %016llx; RSS %.1f MB before, %.1f MB with the data\n", gen_s,
              static_cast<unsigned long long>(checksum_bits(x)), mb(rss_start), mb(rss_data));

  auto want = [&](const char* what) { return only == "all" || only == what; };
  timing t_read{{}, "read", "read pass (sum of every cell)"}, t_topsis{{}, "topsis", "topsis (minmax)"},
      t_topsis_v{{}, "topsis_vector", "topsis (vector)"}, t_vikor{{}, "vikor", "vikor (v = 0.5)"},
      t_entropy{{}, "entropy", "entropy weights"};
  results last;
  for (int rep = 0; rep < repeat; ++rep) {
    if (want("read"))
      measure(t_read, [&] { g_sink = g_sink + read_pass(x.data(), static_cast<std::size_t>(x.size())); });
    if (want("topsis")) {
      last.topsis = {};
      measure(t_topsis, [&] { last.topsis = rm::topsis(x, w, types); });
    }
    if (want("topsis_vector")) {
      last.topsis_vector = {};
      measure(t_topsis_v, [&] { last.topsis_vector = rm::topsis(x, w, types, rm::normalization::vector); });
    }
    if (want("vikor")) {
      last.vikor = {};
      measure(t_vikor, [&] { last.vikor = rm::vikor(x, w, types); });
    }
    if (want("entropy")) measure(t_entropy, [&] { last.entropy = rm::entropy(x); });
  }

  const timing* all[] = {&t_read, &t_topsis, &t_topsis_v, &t_vikor, &t_entropy};
  const double base = t_read.ms.empty() ? 0 : t_read.best();
  std::printf("\n%-32s %10s %10s %8s %12s %14s\n", "", "best ms", "median ms", "GB/s", "x read pass", "extra memory");
  for (const timing* t : all) {
    if (t->ms.empty()) continue;
    const double gbs = input_mb / 1e3 / (t->best() / 1e3);
    char ratio[32] = "-", extra[32] = "-";
    if (base > 0) std::snprintf(ratio, sizeof ratio, "%.2f", t->best() / base);
    if (t->extra_kb >= 0) std::snprintf(extra, sizeof extra, "%.1f MB", mb(t->extra_kb));
    std::printf("%-32s %10.1f %10.1f %8.2f %12s %14s\n", t->label, t->best(), t->median(), gbs, ratio, extra);
  }
  if (json) {
    std::printf("{\"units\": %lld, \"criteria\": %lld, \"checksum\": \"%016llx\", \"repeat\": %d", units,
                static_cast<long long>(kCriteria), static_cast<unsigned long long>(checksum_bits(x)), repeat);
    for (const timing* t : all)
      if (!t->ms.empty())
        std::printf(", \"%s\": {\"best_ms\": %.3f, \"median_ms\": %.3f, \"extra_mb\": %.1f}", t->key, t->best(),
                    t->median(), t->extra_kb >= 0 ? mb(t->extra_kb) : -1.0);
    std::printf("}\n");
  }

  if (!check_path.empty()) {
    if (t_topsis.ms.empty()) last.topsis = rm::topsis(x, w, types);
    if (t_topsis_v.ms.empty()) last.topsis_vector = rm::topsis(x, w, types, rm::normalization::vector);
    if (t_vikor.ms.empty()) last.vikor = rm::vikor(x, w, types);
    if (t_entropy.ms.empty()) last.entropy = rm::entropy(x);
    return check(check_path, last);
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "%s\n", e.what());
  return 1;
}
