// SMAA-2 benchmark, C++ side (see docs/benchmarks.md, "MCDA: SMAA-2").
//
//   rectify_bench_smaa [--rows M] [--cols N] [--samples K] [--methods topsis,wsm] [--repeat R]
//                      [--matrix FILE] [--dump-weights FILE] [--dump-acceptability PREFIX]
//
// Times rectify::mcda::smaa (uniform simplex weights, exact values, seed 1) with 1 thread and
// with 2 threads in the same run, interleaved round by round, best of R, and prints one JSON
// object per method: {"method", "rows", "cols", "samples", "threads1_s", "threads2_s",
// "speedup", "threads1_cpu_s", "threads2_cpu_s"} (wall times, their ratio, and the CPU time of
// all threads of each run). The decision matrix is M x N float64; by default it is generated
// here (uniform on [1, 100) from splitmix64; column j is a benefit criterion for even j, a cost
// criterion for odd j); --matrix reads it instead as raw little-endian float64 in column-major
// order (what bench/bench_smaa.py writes, so that NumPy and rectify see the same bits).
// --dump-weights writes the K x N weight samples (row-major float64) and --dump-acceptability
// PREFIX writes PREFIX<method>.bin (the M x M acceptability, row-major), for bench_smaa.py's
// cross-check.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/mcda/robustness.hpp"

namespace {

namespace rm = rectify::mcda;

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Eigen::MatrixXd generate(Eigen::Index rows, Eigen::Index cols) {
  std::uint64_t state = 2024;
  Eigen::MatrixXd x(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) x(i, j) = 1 + 99 * (static_cast<double>(splitmix64(state) >> 11) * 0x1p-53);
  return x;
}

Eigen::MatrixXd read_matrix(const std::string& path, Eigen::Index rows, Eigen::Index cols) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    std::exit(2);
  }
  Eigen::MatrixXd x(rows, cols);
  in.read(reinterpret_cast<char*>(x.data()), static_cast<std::streamsize>(sizeof(double) * x.size()));
  if (in.gcount() != static_cast<std::streamsize>(sizeof(double) * x.size())) {
    std::fprintf(stderr, "%s: expected %lld doubles\n", path.c_str(), static_cast<long long>(x.size()));
    std::exit(2);
  }
  return x;
}

// Row-major, as NumPy's default order reads it back.
void write_row_major(const std::string& path, const Eigen::MatrixXd& a) {
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> r = a;
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(r.data()), static_cast<std::streamsize>(sizeof(double) * r.size()));
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct timing {
  double wall = 0, cpu = 0;
};

// Wall time, and the CPU time of every thread of the process: on a busy machine the CPU time of
// the 1-thread run still measures the work, while its wall time includes waiting for a core.
timing time_of(const rm::smaa_options& o, const Eigen::MatrixXd& x, const Eigen::VectorXi& types,
               rm::smaa_result* keep) {
  const double cpu0 = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  rm::smaa_result r = rm::smaa(x, types, o);
  const auto stop = std::chrono::steady_clock::now();
  const double cpu1 = cpu_seconds();
  if (keep != nullptr) *keep = std::move(r);
  return {std::chrono::duration<double>(stop - start).count(), cpu1 - cpu0};
}

}  // namespace

int main(int argc, char** argv) {
  Eigen::Index rows = 1000, cols = 20;
  std::size_t samples = 10000;
  int repeat = 5;
  std::string methods = "topsis,wsm", matrix_path, weights_path, acceptability_prefix;
  for (int a = 1; a < argc; ++a) {
    const std::string_view arg = argv[a];
    const auto value = [&]() -> std::string {
      if (a + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[a]);
        std::exit(2);
      }
      return argv[++a];
    };
    if (arg == "--rows")
      rows = std::stol(value());
    else if (arg == "--cols")
      cols = std::stol(value());
    else if (arg == "--samples")
      samples = std::stoul(value());
    else if (arg == "--repeat")
      repeat = std::stoi(value());
    else if (arg == "--methods")
      methods = value();
    else if (arg == "--matrix")
      matrix_path = value();
    else if (arg == "--dump-weights")
      weights_path = value();
    else if (arg == "--dump-acceptability")
      acceptability_prefix = value();
    else {
      std::fprintf(stderr, "unknown argument %s\n", argv[a]);
      return 2;
    }
  }

  try {
    const Eigen::MatrixXd x = matrix_path.empty() ? generate(rows, cols) : read_matrix(matrix_path, rows, cols);
    Eigen::VectorXi types(cols);
    for (Eigen::Index j = 0; j < cols; ++j) types[j] = j % 2 == 0 ? 1 : -1;

    rm::smaa_options o;
    o.samples = samples;
    o.seed = 1;
    if (!weights_path.empty()) write_row_major(weights_path, rm::sample_weights(cols, o).transpose());

    std::size_t begin = 0;
    while (begin <= methods.size()) {
      const std::size_t comma = std::min(methods.find(',', begin), methods.size());
      o.m = rm::parse_method(std::string_view(methods).substr(begin, comma - begin));
      begin = comma + 1;
      const double inf = std::numeric_limits<double>::infinity();
      double best1 = inf, best2 = inf, cpu1 = inf, cpu2 = inf;
      rm::smaa_result r1, r2;
      for (int rep = 0; rep < repeat; ++rep) {
        o.threads = 1;
        const timing t1 = time_of(o, x, types, rep == 0 ? &r1 : nullptr);
        o.threads = 2;
        const timing t2 = time_of(o, x, types, rep == 0 ? &r2 : nullptr);
        best1 = std::min(best1, t1.wall);
        best2 = std::min(best2, t2.wall);
        cpu1 = std::min(cpu1, t1.cpu);
        cpu2 = std::min(cpu2, t2.cpu);
      }
      if (r1.acceptability != r2.acceptability) {
        std::fprintf(stderr, "1 and 2 threads disagree\n");
        return 1;
      }
      if (!acceptability_prefix.empty())
        write_row_major(acceptability_prefix + std::string(rm::to_string(o.m)) + ".bin", r1.acceptability);
      std::printf(
          "{\"method\": \"%s\", \"rows\": %lld, \"cols\": %lld, \"samples\": %zu, \"threads1_s\": %.6f, "
          "\"threads2_s\": %.6f, \"speedup\": %.3f, \"threads1_cpu_s\": %.6f, \"threads2_cpu_s\": %.6f}\n",
          std::string(rm::to_string(o.m)).c_str(), static_cast<long long>(rows), static_cast<long long>(cols), samples,
          best1, best2, best1 / best2, cpu1, cpu2);
      std::fflush(stdout);
    }
  } catch (const rectify::error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
