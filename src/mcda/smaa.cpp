// The method dispatcher, the batch scorer and SMAA-2 (robustness.hpp).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/mcda/robustness.hpp"

#include "../core/progress_meter.hpp"

namespace rectify::mcda {

namespace {

// Samples per block. Fixed (never derived from the thread count) so that the random streams and
// the order of the floating-point sums do not depend on how many threads run.
constexpr std::size_t kBlock = 256;
constexpr double kTie = 1e-12;
constexpr std::uint64_t kWeightStream = 0, kConfidenceStream = 1, kPilotStream = 2;
constexpr std::size_t kPilotDraws = 100000, kPilotMinAccepted = 10;
constexpr std::size_t kMaxRejections = 100000000;

[[noreturn]] void bad_option(const std::string& message) {
  raise("rectify.mcda.bad_option", "", message);
}

bool same_score(double a, double b) {
  return std::abs(a - b) <= kTie * std::max(std::abs(a), std::abs(b));
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Hand-written variates rather than std::*_distribution, whose algorithms the standard leaves to
// each library: the same seed then gives the same numbers with libstdc++, libc++ and MSVC.
class random_source {
 public:
  random_source(std::uint64_t seed, std::uint64_t stream, std::uint64_t block) {
    std::uint64_t state = seed;
    state = splitmix64(state) ^ stream;
    state = splitmix64(state) ^ block;
    std::uint32_t words[8];
    for (std::size_t k = 0; k < 8; k += 2) {
      const std::uint64_t z = splitmix64(state);
      words[k] = static_cast<std::uint32_t>(z);
      words[k + 1] = static_cast<std::uint32_t>(z >> 32);
    }
    std::seed_seq seq(std::begin(words), std::end(words));
    engine_.seed(seq);
  }

  /// In (0, 1), never 0 or 1, from the top 53 bits.
  double uniform() { return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53; }
  double exponential() { return -std::log(uniform()); }

  /// Marsaglia's polar method.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0, v = 0, s = 0;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double f = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

  /// Gamma(shape, 1) by Marsaglia & Tsang (2000), with the U^(1/a) boost for shape < 1.
  double gamma(double shape) {
    if (shape <= 0) return 0;
    if (shape < 1) return gamma(shape + 1) * std::pow(uniform(), 1 / shape);
    const double d = shape - 1.0 / 3, c = 1 / std::sqrt(9 * d);
    for (;;) {
      double z = 0, t = 0;
      do {
        z = normal();
        t = 1 + c * z;
      } while (t <= 0);
      t = t * t * t;
      const double u = uniform();
      if (u < 1 - 0.0331 * z * z * z * z) return d * t;
      if (std::log(u) < 0.5 * z * z + d * (1 - t + std::log(t))) return d * t;
    }
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

void uniform_simplex(random_source& r, Eigen::Ref<Eigen::VectorXd> w) {
  double sum = 0;
  for (Eigen::Index j = 0; j < w.size(); ++j) sum += (w[j] = r.exponential());
  w /= sum;
}

class weight_sampler {
 public:
  weight_sampler(const smaa_options& o, Eigen::Index n) : kind_(o.sampling) {
    switch (kind_) {
      case weight_sampling::uniform_simplex:
        break;
      case weight_sampling::intervals:
        set_intervals(o, n);
        break;
      case weight_sampling::dirichlet:
        set_dirichlet(o, n);
        break;
    }
  }

  void draw(random_source& r, Eigen::Ref<Eigen::VectorXd> w) const {
    switch (kind_) {
      case weight_sampling::uniform_simplex:
        uniform_simplex(r, w);
        return;
      case weight_sampling::intervals:
        if (fixed_.size() != 0) {
          w = fixed_;
          return;
        }
        for (std::size_t tries = 0; tries < kMaxRejections; ++tries)
          if (try_box(r, w)) return;
        bad_option("intervals: no weight vector inside the bounds in " + std::to_string(kMaxRejections) +
                   " draws; widen the intervals or sample with dirichlet");
      case weight_sampling::dirichlet:
        for (int tries = 0; tries < 1000; ++tries) {
          double sum = 0;
          for (Eigen::Index j = 0; j < w.size(); ++j) sum += (w[j] = r.gamma(alpha_[j]));
          if (sum > 0) {
            w /= sum;
            return;
          }
        }
        bad_option("dirichlet: every gamma draw underflowed to 0; the concentration " + number_text(concentration_) +
                   " is too small");
    }
  }

  /// Refuses a box so narrow that rejection would practically never accept.
  void pilot(std::uint64_t seed, Eigen::Index n) const {
    if (kind_ != weight_sampling::intervals || fixed_.size() != 0 || (cap_.array() >= 1).all()) return;
    random_source r(seed, kPilotStream, 0);
    Eigen::VectorXd w(n);
    std::size_t accepted = 0;
    for (std::size_t k = 0; k < kPilotDraws; ++k) accepted += try_box(r, w) ? 1 : 0;
    if (accepted < kPilotMinAccepted)
      bad_option("intervals: only " + std::to_string(accepted) + " of " + std::to_string(kPilotDraws) +
                 " uniform draws on the simplex fall inside the bounds (acceptance about " +
                 number_text(static_cast<double>(accepted) / static_cast<double>(kPilotDraws)) +
                 ", below 1e-4), so rejection sampling is hopeless; widen the intervals or sample with "
                 "dirichlet around the centre");
  }

 private:
  // w = lower + slack·u with u uniform on the simplex is uniform on the simplex part above
  // `lower` (an affine map); only the upper bounds need rejection, as u <= cap.
  bool try_box(random_source& r, Eigen::Ref<Eigen::VectorXd> w) const {
    uniform_simplex(r, w);
    for (Eigen::Index j = 0; j < w.size(); ++j)
      if (w[j] > cap_[j]) return false;
    w = lower_ + slack_ * w;
    return true;
  }

  void set_intervals(const smaa_options& o, Eigen::Index n) {
    if (o.lower.size() != n || o.upper.size() != n)
      bad_option("intervals: got " + std::to_string(o.lower.size()) + " lower and " + std::to_string(o.upper.size()) +
                 " upper bounds for " + std::to_string(n) + " criteria");
    double sum_lower = 0, sum_upper = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      const double lo = o.lower[j], hi = o.upper[j];
      if (!std::isfinite(lo) || !std::isfinite(hi) || lo < 0 || hi > 1 || lo > hi)
        bad_option("intervals: criterion " + std::to_string(j) +
                   ": bounds must satisfy 0 <= lower <= upper <= 1, not [" + number_text(lo) + ", " + number_text(hi) +
                   "]");
      sum_lower += lo;
      sum_upper += hi;
    }
    if (sum_lower > 1 + 1e-12)
      bad_option("intervals: the lower bounds sum to " + number_text(sum_lower) +
                 " > 1, so the box misses the weight simplex");
    if (sum_upper < 1 - 1e-12)
      bad_option("intervals: the upper bounds sum to " + number_text(sum_upper) +
                 " < 1, so the box misses the weight simplex");
    lower_ = o.lower;
    slack_ = 1 - sum_lower;
    // A box touching the simplex in one point has a single weight vector.
    if (slack_ <= 1e-12) {
      fixed_ = o.lower / sum_lower;
    } else if (sum_upper - 1 <= 1e-12) {
      fixed_ = o.upper / sum_upper;
    } else {
      cap_ = (o.upper - o.lower) / slack_;
    }
  }

  void set_dirichlet(const smaa_options& o, Eigen::Index n) {
    if (!std::isfinite(o.concentration) || !(o.concentration > 0))
      bad_option("dirichlet: the concentration must be a finite number > 0, not " + number_text(o.concentration));
    if (o.center.size() != n)
      bad_option("dirichlet: got a centre of " + std::to_string(o.center.size()) + " weights for " + std::to_string(n) +
                 " criteria");
    double sum = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (!std::isfinite(o.center[j]) || o.center[j] < 0)
        bad_option("dirichlet: centre weight " + std::to_string(j) + " must be finite and >= 0, not " +
                   number_text(o.center[j]));
      sum += o.center[j];
    }
    if (!(sum > 0)) bad_option("dirichlet: the centre weights sum to 0; at least one must be positive");
    concentration_ = o.concentration;
    alpha_ = o.concentration * o.center / sum;
  }

  weight_sampling kind_;
  Eigen::VectorXd lower_, cap_, fixed_, alpha_;
  double slack_ = 0, concentration_ = 0;
};

/// Competition ranks of one column of scores, reusing its buffers across samples.
class ranker {
 public:
  explicit ranker(Eigen::Index m) : m_(static_cast<std::size_t>(m)) {
    while ((std::size_t{1} << bits_) < m_) ++bits_;
  }

  /// Calls f(alternative, rank - 1) for every alternative, best first; `higher` orients the
  /// scores.
  template <class F>
  void rank(const double* s, bool higher, F&& f) {
    // Up to 4096 alternatives the position fits in the low 12 bits of an order-preserving integer
    // image of the score, and one sort of plain integers replaces a sort of (score, position)
    // pairs. The bits given up are below 2^-40 of the score, inside the tie tolerance, so the
    // order can only differ between scores that tie anyway.
    if (bits_ <= 12) {
      keys_.resize(m_);
      const std::uint64_t low = (std::uint64_t{1} << bits_) - 1;
      for (std::size_t i = 0; i < m_; ++i) keys_[i] = (ordered_bits(higher ? -s[i] : s[i]) & ~low) | i;
      bucket_sort(s, higher);
      std::size_t group = 0;
      for (std::size_t k = 0; k < m_; ++k) {
        const auto i = static_cast<Eigen::Index>(keys_[k] & low);
        if (!same_score(s[keys_[group] & low], s[i])) group = k;
        f(i, static_cast<Eigen::Index>(group));
      }
      return;
    }
    pairs_.resize(m_);
    for (std::size_t i = 0; i < m_; ++i) pairs_[i] = {higher ? -s[i] : s[i], static_cast<Eigen::Index>(i)};
    std::sort(pairs_.begin(), pairs_.end());  // by key, then position: deterministic
    std::size_t group = 0;
    for (std::size_t k = 0; k < m_; ++k) {
      if (!same_score(pairs_[group].first, pairs_[k].first)) group = k;
      f(pairs_[k].second, static_cast<Eigen::Index>(group));
    }
  }

 private:
  // A bucket sort by value: bucket ⌊(v − min)·(nb − 1)/(max − min)⌋ (monotone in v under IEEE
  // rounding, so the buckets are in value order), then each bucket sorted by key. About m
  // buckets for m keys, so most hold 0–2 keys: a few linear passes per sample instead of the
  // ~m log m mispredicted comparisons of std::sort or the dependent counter chains a radix sort
  // builds on the shared sign and exponent bits. Skewed scores (many in one bucket) fall back to
  // std::sort within the bucket.
  void bucket_sort(const double* s, bool higher) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t i = 0; i < m_; ++i) {
      const double v = higher ? -s[i] : s[i];
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    const std::size_t nb = 2 * m_;
    const double scale = static_cast<double>(nb - 1) / (hi - lo);
    if (!(hi > lo) || !std::isfinite(scale)) {
      std::sort(keys_.begin(), keys_.end());
      return;
    }
    bucket_.resize(m_);
    start_.assign(nb + 1, 0);
    for (std::size_t i = 0; i < m_; ++i) {
      const double v = higher ? -s[i] : s[i];
      const auto b = std::min(nb - 1, static_cast<std::size_t>((v - lo) * scale));
      bucket_[i] = static_cast<std::uint32_t>(b);
      ++start_[b + 1];
    }
    for (std::size_t b = 1; b <= nb; ++b) start_[b] += start_[b - 1];
    fill_.assign(start_.begin(), start_.end() - 1);
    scratch_.resize(m_);
    for (std::size_t i = 0; i < m_; ++i) scratch_[fill_[bucket_[i]]++] = keys_[i];
    for (std::size_t b = 0; b < nb; ++b) {
      const auto first = scratch_.begin() + start_[b], last = scratch_.begin() + start_[b + 1];
      if (last - first < 2) continue;
      if (last - first > 16) {
        std::sort(first, last);
        continue;
      }
      for (auto it = first + 1; it != last; ++it)
        for (auto j = it; j != first && *(j - 1) > *j; --j) std::iter_swap(j - 1, j);
    }
    keys_.swap(scratch_);
  }

  // An unsigned integer that orders like the double (-0 just before +0).
  static std::uint64_t ordered_bits(double v) {
    std::uint64_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    return (u >> 63) != 0 ? ~u : u | (std::uint64_t{1} << 63);
  }

  std::size_t m_;
  unsigned bits_ = 0;
  std::vector<std::uint64_t> keys_, scratch_;
  std::vector<std::uint32_t> bucket_, start_, fill_;
  std::vector<std::pair<double, Eigen::Index>> pairs_;
};

bool is_first(const Eigen::Ref<const Eigen::VectorXd>& s, Eigen::Index i, bool higher) {
  const double best = higher ? s.maxCoeff() : s.minCoeff();
  return same_score(best, s[i]) || (higher ? s[i] >= best : s[i] <= best);
}

/// Runs work(block, thread) over the blocks on `threads` threads; the error of the lowest failed
/// block is rethrown in the caller. With an active progress meter the work runs on `threads` new
/// threads while the calling thread polls the meter (so the callback never runs on a worker); if
/// the callback cancels or throws, the workers stop after their current block and its exception
/// is rethrown once they have all finished.
template <class Work>
void run_blocks(std::size_t blocks, unsigned threads, const Work& work, detail::progress_meter* meter = nullptr) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::size_t> failed_block(threads, std::numeric_limits<std::size_t>::max());
  auto loop = [&](unsigned t) {
    while (!failed.load()) {
      const std::size_t b = next.fetch_add(1);
      if (b >= blocks) return;
      try {
        work(b, t);
      } catch (...) {
        errors[t] = std::current_exception();
        failed_block[t] = b;
        failed.store(true);
        return;
      }
    }
  };
  std::exception_ptr stopped;
  if (meter != nullptr && meter->active()) {
    stopped = detail::run_polled(threads, loop, *meter, failed);
  } else if (threads == 1) {
    loop(0);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(loop, t);
    for (auto& th : pool) th.join();
  }
  if (stopped) std::rethrow_exception(stopped);
  const auto worst = std::min_element(failed_block.begin(), failed_block.end());
  if (*worst != std::numeric_limits<std::size_t>::max())
    std::rethrow_exception(errors[static_cast<std::size_t>(worst - failed_block.begin())]);
  if (meter != nullptr) meter->poll();
}

/// x + sd∘z with z standard normal, drawn column by column.
void noisy_matrix(const matrix_ref& x, const Eigen::MatrixXd& sd, random_source& r, Eigen::MatrixXd& out) {
  out.resize(x.rows(), x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i) out(i, j) = x(i, j) + sd(i, j) * r.normal();
}

// A method refusing a sampled matrix would otherwise report values the user never wrote.
template <class F>
auto on_sampled_matrix(F&& f) {
  try {
    return f();
  } catch (const rectify::error& e) {
    raise(e.code(), e.path(),
          "with x_sd, a sampled decision matrix was refused (reduce x_sd or choose another method): " +
              e.problems().front().message);
  }
}

unsigned thread_count(unsigned requested, std::size_t blocks) {
  unsigned t = requested != 0 ? requested : std::thread::hardware_concurrency();
  if (t == 0) t = 1;
  return static_cast<unsigned>(std::min<std::size_t>(t, blocks));
}

}  // namespace

method parse_method(std::string_view name) {
  for (auto m :
       {method::wsm, method::wpm, method::topsis, method::vikor, method::copras, method::promethee2, method::gra})
    if (name == to_string(m)) return m;
  raise("rectify.mcda.bad_method", "",
        "unknown method " + quoted(name) + "; expected one of wsm, wpm, topsis, vikor, copras, promethee2, gra");
}

std::string_view to_string(method m) {
  switch (m) {
    case method::wsm:
      return "wsm";
    case method::wpm:
      return "wpm";
    case method::topsis:
      return "topsis";
    case method::vikor:
      return "vikor";
    case method::copras:
      return "copras";
    case method::promethee2:
      return "promethee2";
    case method::gra:
      return "gra";
  }
  return "wsm";
}

bool higher_is_better(method m) noexcept {
  return m != method::vikor;
}

weight_sampling parse_weight_sampling(std::string_view name) {
  for (auto s : {weight_sampling::uniform_simplex, weight_sampling::intervals, weight_sampling::dirichlet})
    if (name == to_string(s)) return s;
  bad_option("weight sampling " + quoted(name) + ": expected \"uniform_simplex\", \"intervals\" or \"dirichlet\"");
}

std::string_view to_string(weight_sampling s) {
  switch (s) {
    case weight_sampling::uniform_simplex:
      return "uniform_simplex";
    case weight_sampling::intervals:
      return "intervals";
    case weight_sampling::dirichlet:
      return "dirichlet";
  }
  return "uniform_simplex";
}

Eigen::VectorXd method_scores(method m, const matrix_ref& x, const vector_ref& weights, const types_ref& types,
                              const method_options& opts) {
  switch (m) {
    case method::wsm:
      return wsm(x, weights, types, opts.norm);
    case method::wpm:
      return wpm(x, weights, types, opts.norm);
    case method::topsis:
      return topsis(x, weights, types, opts.norm).closeness;
    case method::vikor:
      return vikor(x, weights, types, opts.v).q;
    case method::copras:
      return copras(x, weights, types).utility;
    case method::promethee2:
      return promethee2(x, weights, types, opts.functions).phi;
    case method::gra:
      return gra(x, weights, types, opts.rho);
  }
  return {};
}

batch_scorer::batch_scorer(method m, const matrix_ref& x, const types_ref& types, const method_options& opts)
    : method_(m), rows_(x.rows()), cols_(x.cols()), v_(opts.v) {
  // One run of the method itself refuses every bad matrix, type and option with its own message.
  (void)method_scores(m, x, Eigen::VectorXd::Ones(x.cols()), types, opts);
  switch (m) {
    case method::wsm:
      linear_ = normalize(x, types, opts.norm);
      break;
    case method::wpm: {
      const Eigen::MatrixXd n = normalize(x, types, opts.norm);
      second_ = (n.array() == 0).cast<double>();
      has_zero_ = (n.array() == 0).any();
      linear_ = (n.array() == 0).select(0.0, n.array().log());
      break;
    }
    case method::topsis: {
      const Eigen::MatrixXd n = normalize(x, types, opts.norm);
      linear_ = (n.rowwise() - n.colwise().maxCoeff()).array().square();
      second_ = (n.rowwise() - n.colwise().minCoeff()).array().square();
      break;
    }
    case method::vikor:
      linear_ = Eigen::MatrixXd::Zero(rows_, cols_);
      for (Eigen::Index j = 0; j < cols_; ++j) {
        const double hi = x.col(j).maxCoeff(), lo = x.col(j).minCoeff();
        if (!(hi > lo)) continue;  // a constant column contributes 0, as in vikor()
        const double best = types[j] == 1 ? hi : lo, worst = types[j] == 1 ? lo : hi;
        linear_.col(j) = (best - x.col(j).array()) / (best - worst);
      }
      break;
    case method::copras:
      linear_ = Eigen::MatrixXd::Zero(rows_, cols_);
      second_ = Eigen::MatrixXd::Zero(rows_, cols_);
      for (Eigen::Index j = 0; j < cols_; ++j) (types[j] == 1 ? linear_ : second_).col(j) = x.col(j) / x.col(j).sum();
      break;
    case method::promethee2: {
      // φ is linear in the weights: column j of F is the net flow of criterion j alone, which
      // promethee2() computes on that single column.
      linear_.resize(rows_, cols_);
      const Eigen::VectorXd one = Eigen::VectorXd::Ones(1);
      for (Eigen::Index j = 0; j < cols_; ++j) {
        const std::vector<preference_function> f =
            opts.functions.empty() ? std::vector<preference_function>{}
                                   : std::vector<preference_function>{opts.functions[static_cast<std::size_t>(j)]};
        linear_.col(j) = promethee2(x.col(j), one, types.segment(j, 1), f).phi;
      }
      break;
    }
    case method::gra: {
      const Eigen::MatrixXd delta = (1.0 - normalize(x, types, normalization::minmax).array()).abs();
      const double dmin = delta.minCoeff(), dmax = delta.maxCoeff();
      linear_ = dmax > 0 ? Eigen::MatrixXd((dmin + opts.rho * dmax) / (delta.array() + opts.rho * dmax))
                         : Eigen::MatrixXd::Ones(rows_, cols_);
      break;
    }
  }
}

Eigen::MatrixXd batch_scorer::scores(const matrix_ref& w) const {
  workspace ws;
  Eigen::MatrixXd out;
  scores(w, out, ws);
  return out;
}

void batch_scorer::scores(const matrix_ref& w_in, Eigen::MatrixXd& out, workspace& ws) const {
  if (w_in.rows() != cols_)
    raise(
        "rectify.mcda.bad_weights", "",
        "got weight vectors of " + std::to_string(w_in.rows()) + " weights for " + std::to_string(cols_) + " criteria");
  Eigen::MatrixXd& w = ws.w;
  w.resize(w_in.rows(), w_in.cols());
  for (Eigen::Index k = 0; k < w.cols(); ++k) {
    double sum = 0;
    for (Eigen::Index j = 0; j < w.rows(); ++j) {
      const double value = w_in(j, k);
      if (!std::isfinite(value) || value < 0)
        raise("rectify.mcda.bad_weights", "",
              "weight vector " + std::to_string(k) + ": weight " + std::to_string(j) +
                  " must be finite and >= 0, not " + number_text(value));
      sum += value;
    }
    if (!(sum > 0))
      raise("rectify.mcda.bad_weights", "",
            "weight vector " + std::to_string(k) + ": the weights sum to 0; at least one must be positive");
    w.col(k) = w_in.col(k) / sum;
  }

  const Eigen::Index m = rows_, kk = w.cols();
  out.resize(m, kk);
  switch (method_) {
    case method::wsm:
    case method::gra:
    case method::promethee2:
      out.noalias() = linear_ * w;
      return;
    case method::wpm:
      out.noalias() = linear_ * w;
      out = out.array().exp();
      if (has_zero_) {
        // A zero normalised value of a positively weighted criterion makes the product 0.
        ws.b = (w.array() > 0).cast<double>();
        ws.a.resize(m, kk);
        ws.a.noalias() = second_ * ws.b;
        out = (ws.a.array() > 0).select(0.0, out);
      }
      return;
    case method::topsis: {
      w = w.array().square();
      ws.a.resize(m, kk);
      out.noalias() = linear_ * w;   // D⁺²
      ws.a.noalias() = second_ * w;  // D⁻²
      for (Eigen::Index k = 0; k < kk; ++k)
        for (Eigen::Index i = 0; i < m; ++i) {
          const double d_plus = std::sqrt(out(i, k)), d_minus = std::sqrt(ws.a(i, k));
          const double total = d_plus + d_minus;
          out(i, k) = total > 0 ? d_minus / total : 1.0;
        }
      return;
    }
    case method::vikor: {
      out.noalias() = linear_ * w;  // S
      Eigen::MatrixXd& r = ws.a;
      r.setZero(m, kk);
      for (Eigen::Index k = 0; k < kk; ++k)
        for (Eigen::Index j = 0; j < cols_; ++j) r.col(k) = r.col(k).cwiseMax(w(j, k) * linear_.col(j));
      for (Eigen::Index k = 0; k < kk; ++k) {
        const double s_best = out.col(k).minCoeff(), s_worst = out.col(k).maxCoeff();
        const double r_best = r.col(k).minCoeff(), r_worst = r.col(k).maxCoeff();
        for (Eigen::Index i = 0; i < m; ++i) {
          // as aggregate.cpp's vikor: a spread within kTie is rounding, S or R is then constant
          const double s_part = s_worst - s_best > kTie ? (out(i, k) - s_best) / (s_worst - s_best) : 0.0;
          const double r_part = r_worst - r_best > kTie ? (r(i, k) - r_best) / (r_worst - r_best) : 0.0;
          out(i, k) = v_ * s_part + (1 - v_) * r_part;  // Q
        }
      }
      return;
    }
    case method::copras: {
      ws.a.resize(m, kk);
      out.noalias() = linear_ * w;   // S⁺
      ws.a.noalias() = second_ * w;  // S⁻
      for (Eigen::Index k = 0; k < kk; ++k) {
        auto q = out.col(k).array();
        const auto s_minus = ws.a.col(k).array();
        const double total = s_minus.sum();
        if (total > 0) q += total / (s_minus * s_minus.inverse().sum());
        const double q_max = q.maxCoeff();
        if (q_max > 0)
          q /= q_max;
        else
          q.setZero();
      }
      return;
    }
  }
}

Eigen::MatrixXd sample_weights(Eigen::Index criteria, const smaa_options& o) {
  if (criteria < 1) bad_option("sample_weights needs at least one criterion, not " + std::to_string(criteria));
  if (o.samples == 0) bad_option("SMAA needs at least one sample, not samples = 0");
  const weight_sampler sampler(o, criteria);
  sampler.pilot(o.seed, criteria);
  Eigen::MatrixXd w(criteria, static_cast<Eigen::Index>(o.samples));
  const std::size_t blocks = (o.samples + kBlock - 1) / kBlock;
  run_blocks(blocks, thread_count(o.threads, blocks), [&](std::size_t b, unsigned) {
    random_source r(o.seed, kWeightStream, b);
    const std::size_t end = std::min(o.samples, (b + 1) * kBlock);
    for (std::size_t k = b * kBlock; k < end; ++k) sampler.draw(r, w.col(static_cast<Eigen::Index>(k)));
  });
  return w;
}

smaa_result smaa(const matrix_ref& x, const types_ref& types, const smaa_options& o) {
  if (x.rows() == 0 || x.cols() == 0)
    raise("rectify.mcda.bad_matrix", "", "the decision matrix is empty (it needs at least one row and one column)");
  check_finite(x);
  check_types(types, x.cols());
  if (o.samples == 0) bad_option("SMAA needs at least one sample, not samples = 0");
  const Eigen::Index m = x.rows(), n = x.cols();
  const bool noisy = o.x_sd.size() != 0;
  if (noisy) {
    if (o.x_sd.rows() != m || o.x_sd.cols() != n)
      bad_option("x_sd is " + std::to_string(o.x_sd.rows()) + " x " + std::to_string(o.x_sd.cols()) +
                 " but the decision matrix is " + std::to_string(m) + " x " + std::to_string(n));
    check_finite(o.x_sd, "x_sd");
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = 0; i < m; ++i)
        if (o.x_sd(i, j) < 0)
          bad_option("x_sd: row " + std::to_string(i) + ", column " + std::to_string(j) +
                     ": a standard deviation must be >= 0, not " + number_text(o.x_sd(i, j)));
  }
  const batch_scorer scorer(o.m, x, types, o.opts);
  const weight_sampler sampler(o, n);
  detail::progress_meter meter(o.progress, noisy ? 2 * o.samples : o.samples);
  meter.poll();
  sampler.pilot(o.seed, n);
  const bool higher = higher_is_better(o.m);

  const std::size_t blocks = (o.samples + kBlock - 1) / kBlock;
  const unsigned threads = thread_count(o.threads, blocks);
  // A thread takes up to 4 blocks at a time (each still with its own stream and its own weight
  // sum), so that counting the ranks into the m x m table touches each of its cache lines for
  // more samples. Which thread gets which blocks does not change the result.
  const std::size_t chunk = std::clamp<std::size_t>(blocks / (4 * std::size_t{threads}), 1, 4);
  const std::size_t chunks = (blocks + chunk - 1) / chunk;
  const auto mm = static_cast<std::size_t>(m);
  // Integer counts add up the same in any order, so each thread keeps its own.
  std::vector<std::vector<std::uint64_t>> counts(threads, std::vector<std::uint64_t>(mm * mm, 0));
  // Weight sums are floating point: each block sums its own in sample order and the blocks are
  // merged in block order, whichever thread finishes first.
  Eigen::MatrixXd central_sum = Eigen::MatrixXd::Zero(m, n);
  std::mutex merge_mutex;
  std::map<std::size_t, std::map<Eigen::Index, Eigen::VectorXd>> pending;
  std::size_t next_merge = 0;
  // Each thread's buffers live across its chunks: allocating megabytes per chunk would cost page
  // faults comparable to the arithmetic.
  struct buffers {
    Eigen::MatrixXd w, s;
    batch_scorer::workspace ws;
    std::vector<std::uint32_t> places;
  };
  std::vector<buffers> per_thread(threads);

  const auto evaluate = [&](std::size_t c, unsigned t) {
    const std::size_t b0 = c * chunk, b1 = std::min(blocks, b0 + chunk);
    const std::size_t begin = b0 * kBlock, end = std::min(o.samples, b1 * kBlock);
    const auto kk = static_cast<Eigen::Index>(end - begin);
    Eigen::MatrixXd& w = per_thread[t].w;
    Eigen::MatrixXd& s = per_thread[t].s;
    w.resize(n, kk);
    if (!noisy) {
      for (std::size_t b = b0; b < b1; ++b) {
        random_source r(o.seed, kWeightStream, b);
        for (std::size_t k = b * kBlock; k < std::min(end, (b + 1) * kBlock); ++k)
          sampler.draw(r, w.col(static_cast<Eigen::Index>(k - begin)));
      }
      scorer.scores(w, s, per_thread[t].ws);
    } else {
      s.resize(m, kk);
      Eigen::MatrixXd xs;
      for (std::size_t b = b0; b < b1; ++b) {
        random_source r(o.seed, kWeightStream, b);
        for (std::size_t k = b * kBlock; k < std::min(end, (b + 1) * kBlock); ++k) {
          const auto col = static_cast<Eigen::Index>(k - begin);
          sampler.draw(r, w.col(col));
          noisy_matrix(x, o.x_sd, r, xs);
          s.col(col) = on_sampled_matrix([&] { return method_scores(o.m, xs, w.col(col), types, o.opts); });
        }
      }
    }
    std::vector<std::map<Eigen::Index, Eigen::VectorXd>> sums(b1 - b0);
    ranker rk(m);
    // Ranks are noted per sample (a few KB, in cache) and counted per alternative afterwards:
    // counting straight into the m x m table would touch m scattered cache lines per sample.
    std::vector<std::uint32_t>& places = per_thread[t].places;
    places.resize(mm * static_cast<std::size_t>(kk));
    for (Eigen::Index k = 0; k < kk; ++k) {
      std::uint32_t* p = places.data() + static_cast<std::size_t>(k) * mm;
      auto& block_sums = sums[static_cast<std::size_t>(k) / kBlock];
      rk.rank(s.col(k).data(), higher, [&](Eigen::Index i, Eigen::Index place) {
        p[i] = static_cast<std::uint32_t>(place);
        if (place == 0) {
          auto [it, fresh] = block_sums.try_emplace(i, Eigen::VectorXd::Zero(n));
          it->second += w.col(k);
        }
      });
    }
    // In tiles of 16 alternatives, so that each cache line of `places` is read once and the 16
    // rows of counts being updated stay in cache.
    std::uint64_t* const table = counts[t].data();
    const auto samples_here = static_cast<std::size_t>(kk);
    for (std::size_t i0 = 0; i0 < mm; i0 += 16) {
      const std::size_t i1 = std::min(mm, i0 + 16);
      for (std::size_t k = 0; k < samples_here; ++k) {
        const std::uint32_t* p = places.data() + k * mm;
        for (std::size_t i = i0; i < i1; ++i) ++table[i * mm + p[i]];
      }
    }
    const std::lock_guard<std::mutex> lock(merge_mutex);
    for (std::size_t b = b0; b < b1; ++b) pending.emplace(b, std::move(sums[b - b0]));
    for (auto it = pending.find(next_merge); it != pending.end(); it = pending.find(next_merge)) {
      for (const auto& [i, sum] : it->second) central_sum.row(i) += sum.transpose();
      pending.erase(it);
      ++next_merge;
    }
    meter.add(samples_here);
  };
  meter.phase(o.samples, o.samples);
  run_blocks(chunks, threads, evaluate, &meter);

  smaa_result out;
  out.samples = o.samples;
  out.acceptability = Eigen::MatrixXd::Zero(m, m);
  const double total = static_cast<double>(o.samples);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index place = 0; place < m; ++place) {
      std::uint64_t sum = 0;
      for (const auto& c : counts) sum += c[static_cast<std::size_t>(i) * mm + static_cast<std::size_t>(place)];
      out.acceptability(i, place) = static_cast<double>(sum) / total;
    }

  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.central_weights = Eigen::MatrixXd::Constant(m, n, nan);
  out.confidence = Eigen::VectorXd::Constant(m, nan);
  std::vector<Eigen::Index> firsts;
  for (Eigen::Index i = 0; i < m; ++i) {
    std::uint64_t first = 0;
    for (const auto& c : counts) first += c[static_cast<std::size_t>(i) * mm];
    if (first == 0) continue;
    out.central_weights.row(i) = central_sum.row(i) / static_cast<double>(first);
    firsts.push_back(i);
  }

  const auto kc = static_cast<Eigen::Index>(firsts.size());
  Eigen::MatrixXd wc(n, kc);
  for (Eigen::Index k = 0; k < kc; ++k) wc.col(k) = out.central_weights.row(firsts[static_cast<std::size_t>(k)]);
  if (!noisy) {
    const Eigen::MatrixXd s = scorer.scores(wc);
    for (Eigen::Index k = 0; k < kc; ++k) {
      const Eigen::Index i = firsts[static_cast<std::size_t>(k)];
      out.confidence[i] = is_first(s.col(k), i, higher) ? 1.0 : 0.0;
    }
  } else {
    std::vector<std::vector<std::uint64_t>> hits(threads, std::vector<std::uint64_t>(firsts.size(), 0));
    const auto confirm = [&](std::size_t b, unsigned t) {
      const std::size_t begin = b * kBlock, end = std::min(o.samples, begin + kBlock);
      random_source r(o.seed, kConfidenceStream, b);
      Eigen::MatrixXd xs;
      for (std::size_t sample = begin; sample < end; ++sample) {
        noisy_matrix(x, o.x_sd, r, xs);
        const Eigen::MatrixXd s = on_sampled_matrix([&] { return batch_scorer(o.m, xs, types, o.opts).scores(wc); });
        for (Eigen::Index k = 0; k < kc; ++k)
          if (is_first(s.col(k), firsts[static_cast<std::size_t>(k)], higher)) ++hits[t][static_cast<std::size_t>(k)];
      }
      meter.add(end - begin);
    };
    meter.phase(o.samples, o.samples);
    run_blocks(blocks, threads, confirm, &meter);
    for (Eigen::Index k = 0; k < kc; ++k) {
      std::uint64_t sum = 0;
      for (const auto& h : hits) sum += h[static_cast<std::size_t>(k)];
      out.confidence[firsts[static_cast<std::size_t>(k)]] = static_cast<double>(sum) / total;
    }
  }

  Eigen::VectorXd meta(m);
  for (Eigen::Index place = 0; place < m; ++place)
    meta[place] = m == 1 ? 1.0 : static_cast<double>(m - 1 - place) / static_cast<double>(m - 1);
  out.holistic = out.acceptability * meta;
  meter.finish();
  return out;
}

}  // namespace rectify::mcda
