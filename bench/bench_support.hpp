#pragma once
// Measurement helpers shared by the benchmarks (bench_*.cpp): the same deterministic hashing as
// the NumPy generators, a plain read pass as the yardstick, and wall time plus peak-RSS growth
// per call read from /proc/self.
#include <Eigen/Core>
#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace rectify::bench {

inline std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ULL;
  return h;
}

// splitmix64's finaliser.
inline std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Order-independent checksum (sum of the bit patterns mod 2^64), as gen_scheme.checksum_bits.
inline std::uint64_t checksum_bits(const Eigen::MatrixXd& m) {
  std::uint64_t s = 0;
  const double* d = m.data();
  for (Eigen::Index i = 0; i < m.size(); ++i) s += std::bit_cast<std::uint64_t>(d[i]);
  return s;
}

// The yardstick: the sum of every value with 8 independent accumulators.
inline double read_pass(const double* d, std::size_t n) {
  double a[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) a[k] += d[i + static_cast<std::size_t>(k)];
  for (; i < n; ++i) a[0] += d[i];
  return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

inline long status_kb(const char* key) {
  std::ifstream f("/proc/self/status");
  std::string line;
  const std::size_t len = std::strlen(key);
  while (std::getline(f, line))
    if (line.compare(0, len, key) == 0 && line.size() > len && line[len] == ':')
      return std::atol(line.c_str() + len + 1);
  return -1;
}

// kB as /proc/self/status gives them (KiB) -> MB (10^6 bytes, as the input size is given).
inline double mb(long kib) {
  return static_cast<double>(kib) * 1024.0 / 1e6;
}

inline bool reset_peak() {
  std::ofstream f("/proc/self/clear_refs");
  if (!f) return false;
  f << "5";
  return static_cast<bool>(f.flush());
}

struct samples {
  std::vector<double> ms;
  long extra_kb = -1;  ///< peak RSS during the call minus RSS before it (max over runs)
  [[nodiscard]] double best() const { return *std::min_element(ms.begin(), ms.end()); }
  [[nodiscard]] double median() const {
    auto v = ms;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
  }
};

inline volatile double g_sink = 0;

template <class F>
void measure(samples& t, F&& f) {
  const long before = status_kb("VmRSS");
  const bool peak = reset_peak();
  const auto t0 = std::chrono::steady_clock::now();
  f();
  const auto t1 = std::chrono::steady_clock::now();
  t.ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  if (peak) t.extra_kb = std::max(t.extra_kb, status_kb("VmHWM") - before);
}

}  // namespace rectify::bench
