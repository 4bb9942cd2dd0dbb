#pragma once
// Private to src/mcda: the streaming kernels behind the large-matrix paths of topsis, vikor,
// entropy and check_finite (docs/benchmarks.md, "MCDA"). A decision matrix of a million
// alternatives is hundreds of megabytes, so these methods read it at most twice: one pass for
// per-column statistics (with the finiteness check folded in) and, where needed, one pass that
// computes the per-row results without materialising the normalised matrix.
#include <Eigen/Core>
#include <cstdint>
#include <cstring>
#include <vector>

#include "rectify/mcda/common.hpp"

namespace rectify::detail {

// A "pack" of doubles for hand-vectorised reductions. GCC does not vectorise a min/max reduction
// written as `v < lo ? v : lo` without -ffinite-math-only (it must keep NaN semantics), and keeps
// floating-point sums in order; GCC and Clang's generic vectors say what is meant and compile to
// SSE2 on baseline x86-64 (NEON on ARM) with no -march flag. Other compilers get plain doubles.
#if defined(__GNUC__)
using pack = double __attribute__((vector_size(16)));
using upack = std::uint64_t __attribute__((vector_size(16)));
constexpr int kPack = 2;
inline double lane_sum(pack v) {
  return v[0] + v[1];
}
inline double lane_min(pack v) {
  return v[1] < v[0] ? v[1] : v[0];
}
inline double lane_max(pack v) {
  return v[1] > v[0] ? v[1] : v[0];
}
#else
using pack = double;
using upack = std::uint64_t;
constexpr int kPack = 1;
inline double lane_sum(pack v) {
  return v;
}
inline double lane_min(pack v) {
  return v;
}
inline double lane_max(pack v) {
  return v;
}
#endif

inline pack load(const double* p) {
  pack v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline pack splat(double x) {
  return pack{} + x;
}
inline pack pmin(pack a, pack b) {
  return a < b ? a : b;
}
inline pack pmax(pack a, pack b) {
  return a > b ? a : b;
}

/// Per-column statistics of one pass: min, max, sum, (when asked) the sum of squares, and the sum
/// of the values below the smallest normal double (> 0 when there is a positive subnormal and no
/// negative value).
struct column_stats {
  double lo = 0;
  double hi = 0;
  double sum = 0;
  double sumsq = 0;
  double tiny = 0;
};

/// min, max, sum (and sum of squares) of n >= 1 contiguous values in one pass. Returns false if
/// some value may be NaN or infinite: the sum is then not finite (a NaN or an infinity always
/// makes it so; an overflowing sum of finite values is a false alarm the caller clears).
bool scan(const double* d, Eigen::Index n, column_stats& out, bool sumsq);

/// `scan` for every column of `x` (at least one row). On false the caller calls
/// mcda::check_finite, which names the first bad cell (or finds none: a false alarm).
[[nodiscard]] bool scan_columns(const mcda::matrix_ref& x, std::vector<column_stats>& out, bool sumsq);

/// Rows per block in the row-blocked second passes: each criterion's slice of a block is read
/// contiguously while the per-row accumulators (a few arrays of this length) stay in L1/L2.
constexpr Eigen::Index kRowBlock = 2048;

}  // namespace rectify::detail
