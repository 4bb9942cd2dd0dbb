// Near-duplicate documents (compliance.md §4): k-shingles of the normalised text, MinHash
// signatures, LSH banding for candidates, exact Jaccard on every candidate. Every step that runs
// on threads writes into per-item slots and every merge sorts, so the report does not depend on
// the thread count or on scheduling.
#include "rectify/text/similar.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <mutex>
#include <string_view>
#include <thread>

#include "rectify/core/error.hpp"

#include "../core/progress_meter.hpp"

namespace rectify::text {
namespace {

[[noreturn]] void bad_option(const std::string& message) {
  raise("rectify.text.bad_option", "", message);
}

// The splitmix64 finaliser: a bijection of 64-bit words whose output bits each depend on every
// input bit (full avalanche), so hashes built from it behave like random values.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// The splitmix64 generator, for the MinHash parameters drawn from the seed.
struct splitmix {
  std::uint64_t state;
  std::uint64_t next() noexcept { return mix64(state += 0x9e3779b97f4a7c15ULL); }
};

// A shingle's hash: the code points are packed two to a 64-bit word (exactly, so packing loses
// nothing) and the words chained through mix64. Distinct shingles collide with probability about
// 2^-64 per pair, so a document of n shingles loses one to a collision with probability about
// n²/2^65 (1e-13 for n = 2,000), and a collision moves a Jaccard value by at most 1/|A ∪ B|.
std::uint64_t shingle_hash(const char32_t* p, std::size_t k) noexcept {
  std::uint64_t h = 0x243f6a8885a308d3ULL ^ k;
  std::size_t j = 0;
  for (; j + 2 <= k; j += 2)
    h = mix64(h ^ (static_cast<std::uint64_t>(p[j]) | static_cast<std::uint64_t>(p[j + 1]) << 32));
  if (j < k) h = mix64(h ^ static_cast<std::uint64_t>(p[j]) ^ 0x8000000000000000ULL);
  return h;
}

// The MinHash functions h_i(x) = high 32 bits of (y·a_i + b_i) mod 2^64 with y = mix64(x ^ s):
// Dietzfelbinger's multiply-add-shift family, on a key mixed once per shingle so that sets of
// structured values (small integers, say) hash as well as random ones.
struct minhash_family {
  std::uint64_t premix = 0;
  std::vector<std::uint64_t> a, b;

  minhash_family(std::size_t hashes, std::uint64_t seed) : a(hashes), b(hashes) {
    splitmix g{seed};
    premix = g.next();
    for (std::size_t i = 0; i < hashes; ++i) {
      a[i] = g.next() | 1;  // odd, so that y ↦ y·a_i is a bijection
      b[i] = g.next();
    }
  }

  // `sig` has a.size() entries. The inner loop has no dependence between its iterations and
  // only multiplies, adds, shifts and takes minima, so the compiler vectorises it (checked with
  // -fopt-info-vec at -O3): this loop is the cost of the whole search.
  void sign(std::span<const std::uint64_t> set, std::uint32_t* __restrict sig) const noexcept {
    const std::size_t n = a.size();
    const std::uint64_t* __restrict pa = a.data();
    const std::uint64_t* __restrict pb = b.data();
    for (std::size_t i = 0; i < n; ++i) sig[i] = std::numeric_limits<std::uint32_t>::max();
    for (const std::uint64_t x : set) {
      const std::uint64_t y = mix64(x ^ premix);
      for (std::size_t i = 0; i < n; ++i) {
        const auto h = static_cast<std::uint32_t>((y * pa[i] + pb[i]) >> 32);
        sig[i] = h < sig[i] ? h : sig[i];
      }
    }
  }
};

unsigned thread_count(unsigned requested) {
  const unsigned t = requested != 0 ? requested : std::thread::hardware_concurrency();
  return t == 0 ? 1 : t;
}

// Runs f(i) for i in [0, n) on up to `threads` threads, items handed out in increasing order.
// If any f throws, the exception of the smallest failing index is rethrown once all threads have
// stopped: every smaller index was already taken when it failed, so the error reported is the
// same for every thread count (the first bad document, say). With an active progress meter the
// items run on new threads while the calling thread polls the meter (so the callback never runs
// on a worker); if the callback cancels or throws, the workers stop after their current item and
// its exception is rethrown once they have all finished.
template <class F>
void parallel_for(std::size_t n, unsigned threads, const F& f, detail::progress_meter* meter = nullptr) {
  const auto t = static_cast<unsigned>(std::min<std::size_t>(threads, n));
  const bool report = meter != nullptr && meter->active();
  if (t <= 1 && !report) {
    for (std::size_t i = 0; i < n; ++i) f(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex m;
  std::size_t error_index = std::numeric_limits<std::size_t>::max();
  std::exception_ptr error;
  const auto work = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n) return;
      try {
        f(i);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(m);
        if (i < error_index) {
          error_index = i;
          error = std::current_exception();
        }
        failed = true;
        return;
      }
      if (meter != nullptr) meter->add(1);
    }
  };
  std::vector<std::thread> pool;
  if (!report) {
    pool.reserve(t - 1);
    for (unsigned k = 1; k < t; ++k) pool.emplace_back(work);
    work();
    for (std::thread& th : pool) th.join();
    if (error) std::rethrow_exception(error);
    return;
  }
  const std::exception_ptr stopped = detail::run_polled(
      t, [&](unsigned) { work(); }, *meter, failed);
  if (stopped) std::rethrow_exception(stopped);
  if (error) std::rethrow_exception(error);
  meter->poll();
}

// Items in blocks, so that cheap items (a Jaccard) do not each pay for an atomic increment.
template <class F>
void parallel_blocks(std::size_t n, std::size_t block, unsigned threads, const F& f,
                     detail::progress_meter* meter = nullptr) {
  parallel_for((n + block - 1) / block, threads,
               [&](std::size_t blk) {
                 const std::size_t begin = blk * block;
                 f(begin, std::min(n, begin + block));
               },
               meter);
}

void check_options(const similar_options& o) {
  if (!(o.threshold > 0 && o.threshold <= 1))
    bad_option(cat("threshold must be in (0, 1], not ", number_text(o.threshold)));
  if (o.k < 1 || o.k > 64) bad_option(cat("k must be 1 to 64 characters, not ", std::to_string(o.k)));
  if (o.hashes < 16 || o.hashes > 1024) bad_option(cat("hashes must be 16 to 1024, not ", std::to_string(o.hashes)));
  if (o.min_passage < 1) bad_option("min_passage must be at least 1 character, not 0");
}

// Where a document came from, for its encoding errors (its `source`, else its place in the list).
std::string source_of(const document& d, std::size_t index) {
  if (!d.source.empty()) return d.source;
  return cat("document ", std::to_string(index), " (unit ", quoted(d.unit), ", title ", quoted(d.title), ")");
}

// Sorted (a << 32 | b) pairs of `a` < `b` sharing a bucket of one band. Documents with no
// shingles are left out: their signatures are all equal and mean nothing.
std::vector<std::uint64_t> band_pairs(std::size_t band, std::size_t rows, std::size_t hashes,
                                      const std::vector<std::uint32_t>& sigs, const std::vector<std::uint32_t>& unit_id,
                                      const std::vector<char>& has_set, bool same_unit) {
  const std::size_t n = unit_id.size();
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;
  keys.reserve(n);
  for (std::size_t d = 0; d < n; ++d) {
    if (!has_set[d]) continue;
    const std::uint32_t* row = sigs.data() + d * hashes + band * rows;
    std::uint64_t h = 0x13198a2e03707344ULL ^ band;
    for (std::size_t r = 0; r < rows; ++r) h = mix64(h ^ row[r]) + r;
    keys.emplace_back(h, static_cast<std::uint32_t>(d));
  }
  std::sort(keys.begin(), keys.end());
  std::vector<std::uint64_t> out;
  for (std::size_t lo = 0; lo < keys.size();) {
    std::size_t hi = lo + 1;
    while (hi < keys.size() && keys[hi].first == keys[lo].first) ++hi;
    for (std::size_t x = lo; x < hi; ++x)
      for (std::size_t y = x + 1; y < hi; ++y) {
        const std::uint32_t da = keys[x].second, db = keys[y].second;  // da < db: sorted by (hash, doc)
        if (same_unit || unit_id[da] != unit_id[db]) out.push_back(static_cast<std::uint64_t>(da) << 32 | db);
      }
    lo = hi;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::vector<std::uint64_t> shingles(std::u32string_view chars, std::size_t k) {
  std::vector<std::uint64_t> out;
  if (k == 0 || chars.size() < k) return out;
  out.reserve(chars.size() - k + 1);
  for (std::size_t i = 0; i + k <= chars.size(); ++i) out.push_back(shingle_hash(chars.data() + i, k));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::size_t intersection_size(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) noexcept {
  std::size_t i = 0, j = 0, shared = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++shared;
      ++i;
      ++j;
    }
  }
  return shared;
}

double jaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) noexcept {
  const std::size_t shared = intersection_size(a, b);
  const std::size_t all = a.size() + b.size() - shared;
  return all == 0 ? 0.0 : static_cast<double>(shared) / static_cast<double>(all);
}

std::vector<std::uint32_t> minhash(std::span<const std::uint64_t> set, std::size_t hashes, std::uint64_t seed) {
  const minhash_family family(hashes, seed);
  std::vector<std::uint32_t> sig(hashes);
  family.sign(set, sig.data());
  return sig;
}

std::pair<std::size_t, std::size_t> lsh_banding(double threshold, std::size_t hashes) {
  if (!(threshold > 0 && threshold <= 1)) bad_option(cat("threshold must be in (0, 1], not ", number_text(threshold)));
  if (hashes < 1) bad_option("hashes must be at least 1, not 0");
  // The recall promise is at threshold + 0.1; above a threshold of 0.8 that point would leave too
  // little room (at 0.9 it is 1.0, one band of every hash, and a pair at 0.97 would be found ~2% of
  // the time), so there the point is halfway between the threshold and 1.
  const double s = std::min(threshold + 0.1, threshold + (1 - threshold) / 2);
  for (std::size_t rows = hashes; rows >= 1; --rows) {
    const std::size_t bands = hashes / rows;  // as many bands as fit: each one only adds chances
    // 1 − (1 − s^r)^b, computed with log1p/expm1 so that it stays exact near 0 and 1.
    const double p = -std::expm1(static_cast<double>(bands) * std::log1p(-std::pow(s, static_cast<double>(rows))));
    if (p >= 0.99) return {bands, rows};
  }
  // Not even one row per band reaches 0.99 (a tiny threshold with few hashes): the most bands.
  return {hashes, 1};
}

similar_report find_similar(std::span<const document> docs, const similar_options& options) {
  check_options(options);
  if (docs.size() > std::numeric_limits<std::uint32_t>::max())
    raise("rectify.text.too_large", "", cat(std::to_string(docs.size()), " documents: at most 2^32 - 1 are supported"));
  similar_report report;
  report.options = options;
  report.options.progress = nullptr;  // the report describes the search, not who watched it
  std::tie(report.bands, report.rows) = lsh_banding(options.threshold, options.hashes);
  const unsigned threads = thread_count(options.threads);
  const std::size_t n = docs.size(), k = options.k, hashes = options.hashes;
  // Counted in documents (similar.hpp): n for the documents, a tenth more for the comparison.
  const std::size_t comparison = (n + 9) / 10;
  detail::progress_meter meter(options.progress, n + comparison);
  meter.poll();

  std::vector<std::uint64_t> template_set;
  if (!options.template_text.empty()) template_set = shingles(normalize(options.template_text, "template").chars, k);

  // Each document: normalise, shingle, drop the template's shingles, sign. The normalised texts
  // are not kept (12 bytes a character for 20,000 documents would be ~0.5 GB); the few documents
  // in reported pairs are normalised again for their passages.
  std::vector<std::vector<std::uint64_t>> sets(n);
  std::vector<std::uint32_t> sigs(n * hashes);
  std::vector<char> short_doc(n, 0), has_set(n, 0);
  const minhash_family family(hashes, options.seed);
  const auto sign_document = [&](std::size_t d) {
    const normalized text = normalize(docs[d].text, source_of(docs[d], d));
    if (text.size() < k) {
      short_doc[d] = 1;
      return;
    }
    std::vector<std::uint64_t> set = shingles(text.chars, k);
    if (!template_set.empty()) {
      std::vector<std::uint64_t> kept;
      kept.reserve(set.size());
      std::set_difference(set.begin(), set.end(), template_set.begin(), template_set.end(), std::back_inserter(kept));
      set = std::move(kept);
    }
    if (!set.empty()) {
      family.sign(set, sigs.data() + d * hashes);
      has_set[d] = 1;
    }
    sets[d] = std::move(set);
  };
  meter.phase(n, n);
  parallel_for(n, threads, sign_document, &meter);
  report.shingles.resize(n);
  for (std::size_t d = 0; d < n; ++d) {
    report.shingles[d] = sets[d].size();
    if (short_doc[d]) report.too_short.push_back(d);
  }

  // Units as small integers, so that the bucket scan compares numbers.
  std::vector<std::string_view> names;
  names.reserve(n);
  for (const document& doc : docs) names.emplace_back(doc.unit);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<std::uint32_t> unit_id(n);
  for (std::size_t d = 0; d < n; ++d)
    unit_id[d] = static_cast<std::uint32_t>(std::lower_bound(names.begin(), names.end(), docs[d].unit) - names.begin());

  // Candidates: pairs sharing a bucket in at least one band, each band on its own thread.
  std::vector<std::vector<std::uint64_t>> per_band(report.bands);
  meter.phase(report.bands, comparison / 4);
  parallel_for(
      report.bands, threads,
      [&](std::size_t band) {
        per_band[band] = band_pairs(band, report.rows, hashes, sigs, unit_id, has_set, options.same_unit);
      },
      &meter);
  std::vector<std::uint64_t> candidates;
  for (std::vector<std::uint64_t>& pairs : per_band) {
    std::vector<std::uint64_t> merged;
    merged.reserve(candidates.size() + pairs.size());
    std::set_union(candidates.begin(), candidates.end(), pairs.begin(), pairs.end(), std::back_inserter(merged));
    candidates = std::move(merged);
    std::vector<std::uint64_t>().swap(pairs);
  }
  report.candidates = candidates.size();

  // Exact Jaccard on every candidate: what is reported is never below the threshold.
  std::vector<std::size_t> shared(candidates.size());
  std::vector<char> keep(candidates.size(), 0);
  constexpr std::size_t kVerifyBlock = 512;
  meter.phase((candidates.size() + kVerifyBlock - 1) / kVerifyBlock, comparison / 2);
  parallel_blocks(
      candidates.size(), kVerifyBlock, threads,
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t c = begin; c < end; ++c) {
          const auto& a = sets[candidates[c] >> 32];
          const auto& b = sets[candidates[c] & 0xFFFFFFFFULL];
          shared[c] = intersection_size(a, b);
          const double j = static_cast<double>(shared[c]) / static_cast<double>(a.size() + b.size() - shared[c]);
          keep[c] = j >= options.threshold ? 1 : 0;
        }
      },
      &meter);
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (!keep[c]) continue;
    similar_pair p;
    p.a = static_cast<std::size_t>(candidates[c] >> 32);
    p.b = static_cast<std::size_t>(candidates[c] & 0xFFFFFFFFULL);
    const auto na = static_cast<double>(sets[p.a].size()), nb = static_cast<double>(sets[p.b].size());
    const auto s = static_cast<double>(shared[c]);
    p.shared = shared[c];
    p.jaccard = s / (na + nb - s);
    p.a_in_b = s / na;
    p.b_in_a = s / nb;
    report.pairs.push_back(std::move(p));
  }

  // Passages, from the documents of the reported pairs normalised again.
  if (options.max_passages > 0 && !report.pairs.empty()) {
    std::vector<std::size_t> involved;
    for (const similar_pair& p : report.pairs) {
      involved.push_back(p.a);
      involved.push_back(p.b);
    }
    std::sort(involved.begin(), involved.end());
    involved.erase(std::unique(involved.begin(), involved.end()), involved.end());
    std::vector<normalized> texts(involved.size());
    meter.phase(involved.size() + report.pairs.size(), comparison - comparison / 4 - comparison / 2);
    parallel_for(
        involved.size(), threads,
        [&](std::size_t i) { texts[i] = normalize(docs[involved[i]].text, source_of(docs[involved[i]], involved[i])); },
        &meter);
    const auto text_of = [&](std::size_t d) -> const normalized& {
      return texts[static_cast<std::size_t>(std::lower_bound(involved.begin(), involved.end(), d) - involved.begin())];
    };
    parallel_for(
        report.pairs.size(), threads,
        [&](std::size_t i) {
          similar_pair& p = report.pairs[i];
          p.passages = shared_passages(text_of(p.a), text_of(p.b), options.min_passage, options.max_passages);
        },
        &meter);
  }

  std::stable_sort(report.pairs.begin(), report.pairs.end(), [](const similar_pair& x, const similar_pair& y) {
    if (x.jaccard != y.jaccard) return x.jaccard > y.jaccard;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  meter.finish();
  return report;
}

rectify::table inputs(const similar_report& report, std::span<const document> docs) {
  std::vector<char> copied(docs.size(), 0);
  for (const similar_pair& p : report.pairs) {
    if (p.a >= docs.size() || p.b >= docs.size())
      bad_option(cat("inputs: the report names document ", std::to_string(std::max(p.a, p.b)), " but only ",
                     std::to_string(docs.size()), " documents were given (not the documents it was made from?)"));
    copied[p.a] = 1;
    copied[p.b] = 1;
  }
  std::vector<std::string> units;
  units.reserve(docs.size());
  for (const document& d : docs) units.push_back(d.unit);
  std::sort(units.begin(), units.end());
  units.erase(std::unique(units.begin(), units.end()), units.end());

  rectify::table t;
  t.columns = {"copied_documents"};
  t.values = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(units.size()), 1);
  for (std::size_t d = 0; d < docs.size(); ++d)
    if (copied[d]) {
      const auto row = std::lower_bound(units.begin(), units.end(), docs[d].unit) - units.begin();
      t.values(static_cast<Eigen::Index>(row), 0) += 1;
    }
  t.units = std::move(units);
  return t;
}

}  // namespace rectify::text
