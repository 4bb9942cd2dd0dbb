// Copy-detection benchmark, C++ side (issue 6 part 9; see docs/benchmarks.md, "Copy detection").
//
//   rectify_bench_similar DOCS.csv [--pairs PAIRS.csv] [--threshold T] [--threads N] [--subset S]
//                         [--repeat R] [--seed X]
//
// DOCS.csv (`unit,doc,text`) and PAIRS.csv (the planted near-duplicates) are written by
// bench/gen_documents.py: 20,000 documents of about 2,000 characters, 300 planted pairs at Jaccard
// 0.30–0.95; bench/bench_similar.py generates them and runs this program. In one process, with
// the same N threads (default 2) for everything:
//   - find_similar  text::find_similar at the threshold (default 0.5), R rounds; and its phases,
//                   timed as the public building blocks the library exposes (normalize, shingles,
//                   minhash, then shared_passages on the reported pairs), the rest (LSH banding,
//                   candidate generation, exact verification) being the difference;
//   - reference     exact Jaccard of every pair of documents of different units on the same
//                   shingle sets (text::shingles of the normalised texts, k = 5, no template), by a
//                   plain sorted merge: the shingling (all documents) plus the pairs of a random
//                   subset of S documents (default 2,000), extrapolated to all pairs of the corpus by
//                   the ratio of cross-unit pair counts (the output says so);
//   - checks        precision (every reported pair is cross-unit, its exact Jaccard ≥ threshold and
//                   equal to the reported value), recall on the subset's exact pairs and on the
//                   planted pairs (exact Jaccard computed here): the fraction of the pairs with
//                   Jaccard ≥ threshold + 0.1 that find_similar reported.
// The last line, `RESULT find_ms=… ref_ms=… speedup=… recall=… precision=…`, is for the driver.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench_support.hpp"
#include "rectify/io/documents.hpp"
#include "rectify/io/records.hpp"
#include "rectify/text/normalize.hpp"
#include "rectify/text/similar.hpp"

namespace {

using namespace rectify::bench;  // NOLINT: the shared measurement helpers
namespace rt = rectify::text;

void usage() {
  std::fprintf(stderr,
               "usage: rectify_bench_similar DOCS.csv [--pairs PAIRS.csv] [--threshold T] [--threads N] "
               "[--subset S] [--repeat R] [--seed X]\n");
}

// Runs f(i) for i in [0, n) on `threads` threads, handing out indices in small chunks from a
// shared counter so that uneven items (documents of different lengths, rows of a triangle) even out.
template <class F>
void parallel_for(std::size_t n, unsigned threads, std::size_t chunk, F&& f) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (;;) {
      const std::size_t start = next.fetch_add(chunk, std::memory_order_relaxed);
      if (start >= n) return;
      const std::size_t stop = std::min(n, start + chunk);
      for (std::size_t i = start; i < stop; ++i) f(i);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
}

// The reference's exact |A ∩ B| by a sorted merge, written here rather than taken from the
// library so that the reference and the checks do not depend on the code under test.
std::size_t merge_intersection(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  std::size_t i = 0, j = 0, n = 0;
  const std::size_t na = a.size(), nb = b.size();
  while (i < na && j < nb) {
    const std::uint64_t x = a[i], y = b[j];
    n += static_cast<std::size_t>(x == y);
    i += static_cast<std::size_t>(x <= y);
    j += static_cast<std::size_t>(y <= x);
  }
  return n;
}

double exact_jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  if (a.empty() && b.empty()) return 0;
  const std::size_t inter = merge_intersection(a, b);
  return static_cast<double>(inter) / static_cast<double>(a.size() + b.size() - inter);
}

// Pairs of documents of different units among `idx` (indices into docs).
double cross_unit_pairs(const std::vector<rt::document>& docs, const std::vector<std::size_t>& idx) {
  std::map<std::string, std::size_t> per_unit;
  for (std::size_t i : idx) ++per_unit[docs[i].unit];
  const double n = static_cast<double>(idx.size());
  double same = 0;
  for (const auto& [unit, c] : per_unit) same += 0.5 * static_cast<double>(c) * static_cast<double>(c - 1);
  return 0.5 * n * (n - 1) - same;
}

// Process CPU time (all threads): on a shared machine wall time stretches with the load, CPU time
// much less, so both are reported; CPU / wall shows how many cores a step kept busy.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct timing {
  samples wall;
  std::vector<double> cpu;
  [[nodiscard]] double median() const { return wall.median(); }
  [[nodiscard]] double cpu_median() const {
    auto v = cpu;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
  }
};

template <class F>
void timed(timing& t, F&& f) {
  const double c0 = cpu_ms();
  measure(t.wall, f);
  t.cpu.push_back(cpu_ms() - c0);
}

using pair_key = std::pair<std::size_t, std::size_t>;

pair_key ordered(std::size_t a, std::size_t b) {
  return a < b ? pair_key{a, b} : pair_key{b, a};
}

struct recall_count {
  std::size_t above = 0, found = 0;      // pairs with exact Jaccard ≥ threshold + 0.1, and those reported
  std::size_t band = 0, band_found = 0;  // threshold ≤ Jaccard < threshold + 0.1, for information
  [[nodiscard]] double recall() const { return above ? static_cast<double>(found) / static_cast<double>(above) : 1; }
};

}  // namespace

int main(int argc, char** argv) try {
  std::string path, pairs_path;
  double threshold = 0.5;
  unsigned threads = 2;
  std::size_t subset = 2000;
  int repeat = 3;
  std::uint64_t seed = 6;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--pairs")
      pairs_path = value();
    else if (a == "--threshold")
      threshold = std::atof(value().c_str());
    else if (a == "--threads")
      threads = static_cast<unsigned>(std::atoi(value().c_str()));
    else if (a == "--subset")
      subset = static_cast<std::size_t>(std::atoll(value().c_str()));
    else if (a == "--repeat")
      repeat = std::atoi(value().c_str());
    else if (a == "--seed")
      seed = static_cast<std::uint64_t>(std::atoll(value().c_str()));
    else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else if (!a.empty() && a[0] != '-' && path.empty()) {
      path = a;
    } else {
      usage();
      return 2;
    }
  }
  if (path.empty() || repeat < 1 || threads < 1 || subset < 2 || !(threshold > 0 && threshold <= 1)) {
    usage();
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines show up when piped to a driver

  // Loading is not what is measured: the documents are read once, untimed.
  const std::vector<rt::document> docs = rectify::io::read_documents(path);
  const std::size_t n = docs.size();
  subset = std::min(subset, n);
  std::size_t bytes = 0;
  for (const auto& d : docs) bytes += d.text.size();
  std::printf("%s: %zu documents, %.1f MB of text; threshold %.2f, %u threads, %d rounds of find_similar\n",
              path.c_str(), n, static_cast<double>(bytes) / 1e6, threshold, threads, repeat);

  rt::similar_options options;
  options.threshold = threshold;
  options.threads = threads;

  // find_similar, R rounds. The first round also warms the allocator and caches.
  timing t_find;
  std::optional<rt::similar_report> report;
  for (int r = 0; r < repeat; ++r) {
    report.reset();
    timed(t_find, [&] { report.emplace(rt::find_similar(docs, options)); });
    std::printf("  find_similar round %d: %.1f ms\n", r + 1, t_find.wall.ms.back());
  }
  std::printf("  banding %zu bands x %zu rows, %zu candidates, %zu pairs reported, %zu documents too short\n",
              report->bands, report->rows, report->candidates, report->pairs.size(), report->too_short.size());

  // Its phases, as the public building blocks with the same threads (the library may do them
  // fused or differently, so these are estimates; the total above is the figure that counts).
  timing t_norm, t_shingle, t_minhash, t_passages;
  std::vector<rt::normalized> norm(n);
  std::vector<std::vector<std::uint64_t>> sets(n);
  std::vector<std::vector<std::uint32_t>> sigs(n);
  timed(t_norm, [&] { parallel_for(n, threads, 16, [&](std::size_t i) { norm[i] = rt::normalize(docs[i].text); }); });
  timed(t_shingle, [&] {
    parallel_for(n, threads, 16, [&](std::size_t i) { sets[i] = rt::shingles(norm[i].chars, options.k); });
  });
  timed(t_minhash, [&] {
    parallel_for(n, threads, 16, [&](std::size_t i) { sigs[i] = rt::minhash(sets[i], options.hashes, options.seed); });
  });
  std::vector<std::size_t> passages_found(report->pairs.size());
  timed(t_passages, [&] {
    parallel_for(report->pairs.size(), threads, 1, [&](std::size_t p) {
      const auto& pr = report->pairs[p];
      passages_found[p] = rt::shared_passages(norm[pr.a], norm[pr.b], options.min_passage, options.max_passages).size();
    });
  });
  sigs.clear();
  sigs.shrink_to_fit();

  // The reference: the shingling of every document (above: normalize + shingles) and the exact
  // Jaccard of every cross-unit pair of a random subset, on the same threads.
  std::vector<std::size_t> idx(n);
  for (std::size_t i = 0; i < n; ++i) idx[i] = i;
  for (std::size_t i = 0; i < subset; ++i) {  // partial Fisher-Yates, seeded, the same on every platform
    const std::size_t j = i + static_cast<std::size_t>(mix(seed * 0x9E3779B97F4A7C15ULL + i) % (n - i));
    std::swap(idx[i], idx[j]);
  }
  idx.resize(subset);
  std::sort(idx.begin(), idx.end());
  std::vector<std::vector<std::pair<pair_key, double>>> found_rows(subset);
  std::vector<double> row_max(subset, 0.0);  // the background: how similar unrelated documents get
  std::atomic<std::size_t> compared{0};
  timing t_ref_pairs;
  timed(t_ref_pairs, [&] {
    parallel_for(subset, threads, 4, [&](std::size_t r) {
      const std::size_t i = idx[r];
      std::size_t local = 0;
      for (std::size_t c = r + 1; c < subset; ++c) {
        const std::size_t j = idx[c];
        if (docs[i].unit == docs[j].unit) continue;
        ++local;
        const double jac = exact_jaccard(sets[i], sets[j]);
        row_max[r] = std::max(row_max[r], jac);
        if (jac >= threshold) found_rows[r].push_back({pair_key{i, j}, jac});
      }
      compared.fetch_add(local, std::memory_order_relaxed);
    });
  });
  const double subset_pairs = cross_unit_pairs(docs, idx);
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  const double full_pairs = cross_unit_pairs(docs, all);
  if (static_cast<double>(compared.load()) != subset_pairs) throw std::logic_error("pair count mismatch");
  const double ratio = full_pairs / subset_pairs;
  const double shingling_ms = t_norm.median() + t_shingle.median();
  const double ref_pairs_ms = t_ref_pairs.median() * ratio;
  const double ref_ms = shingling_ms + ref_pairs_ms;
  const double find_ms = t_find.median();
  const double speedup = ref_ms / find_ms;
  // The same in CPU time (all threads), which the machine's load disturbs less.
  const double ref_cpu = t_norm.cpu_median() + t_shingle.cpu_median() + t_ref_pairs.cpu_median() * ratio;
  const double speedup_cpu = ref_cpu / t_find.cpu_median();

  // Precision: every reported pair checked against the exact Jaccard computed here.
  std::set<pair_key> reported;
  std::size_t correct = 0, same_unit = 0, mismatch = 0;
  double worst_diff = 0;
  for (const auto& p : report->pairs) {
    reported.insert(ordered(p.a, p.b));
    const double jac = exact_jaccard(sets[p.a], sets[p.b]);
    const double diff = std::abs(jac - p.jaccard);
    worst_diff = std::max(worst_diff, diff);
    if (docs[p.a].unit == docs[p.b].unit) ++same_unit;
    if (diff > 1e-12) ++mismatch;
    if (jac >= threshold && docs[p.a].unit != docs[p.b].unit && diff <= 1e-12) ++correct;
  }
  const double precision =
      report->pairs.empty() ? 1.0 : static_cast<double>(correct) / static_cast<double>(report->pairs.size());

  // Recall on the subset: every exact pair there.
  recall_count on_subset;
  for (const auto& row : found_rows)
    for (const auto& [key, jac] : row) {
      const bool hit = reported.count(key) != 0;
      if (jac >= threshold + 0.1) {
        ++on_subset.above;
        on_subset.found += hit;
      } else {
        ++on_subset.band;
        on_subset.band_found += hit;
      }
    }

  // Recall on the planted pairs, with their exact Jaccard computed here.
  recall_count on_planted;
  std::size_t planted_total = 0, reported_planted = 0;
  std::vector<std::pair<double, bool>> planted;  // (exact Jaccard, reported)
  if (!pairs_path.empty()) {
    std::map<std::pair<std::string, std::string>, std::size_t> where;
    for (std::size_t i = 0; i < n; ++i) where[{docs[i].unit, docs[i].title}] = i;
    const auto table = rectify::io::read_text_csv_file(pairs_path);
    const std::ptrdiff_t col[4] = {table.find("a_unit"), table.find("a_doc"), table.find("b_unit"),
                                   table.find("b_doc")};
    for (std::ptrdiff_t c : col)
      if (c < 0) throw std::runtime_error(pairs_path + ": needs columns a_unit, a_doc, b_unit, b_doc");
    auto field = [&](std::size_t r, int c) { return std::string(table.field(r, static_cast<std::size_t>(col[c]))); };
    for (std::size_t r = 0; r < table.rows(); ++r) {
      const auto ia = where.find({field(r, 0), field(r, 1)});
      const auto ib = where.find({field(r, 2), field(r, 3)});
      if (ia == where.end() || ib == where.end())
        throw std::runtime_error(table.place(r, -1) + ": planted pair names a document not in " + path);
      const double jac = exact_jaccard(sets[ia->second], sets[ib->second]);
      const bool hit = reported.count(ordered(ia->second, ib->second)) != 0;
      planted.push_back({jac, hit});
      ++planted_total;
      reported_planted += hit;
      if (jac >= threshold + 0.1) {
        ++on_planted.above;
        on_planted.found += hit;
      } else if (jac >= threshold) {
        ++on_planted.band;
        on_planted.band_found += hit;
      }
    }
  }

  // Report.
  const std::size_t passages_total = [&] {
    std::size_t s = 0;
    for (std::size_t v : passages_found) s += v;
    return s;
  }();
  std::printf("\n%-62s %10s %10s %10s %6s %13s\n", "", "best ms", "median ms", "CPU ms", "cores", "extra memory");
  auto row = [&](const char* label, const timing& t) {
    char extra[32] = "-";
    if (t.wall.extra_kb >= 0) std::snprintf(extra, sizeof extra, "%.1f MB", mb(t.wall.extra_kb));
    std::printf("%-62s %10.1f %10.1f %10.1f %6.2f %13s\n", label, t.wall.best(), t.median(), t.cpu_median(),
                t.cpu_median() / t.median(), extra);
  };
  row("find_similar (whole)", t_find);
  std::printf("phases, timed as the public building blocks with the same threads:\n");
  row("  text::normalize, every document", t_norm);
  row("  text::shingles (k = 5), every document", t_shingle);
  row("  text::minhash, every document", t_minhash);
  row("  text::shared_passages, every reported pair", t_passages);
  const double rest = find_ms - t_norm.median() - t_shingle.median() - t_minhash.median() - t_passages.median();
  const double rest_cpu = t_find.cpu_median() - t_norm.cpu_median() - t_shingle.cpu_median() - t_minhash.cpu_median() -
                          t_passages.cpu_median();
  std::printf("%-62s %10s %10.1f %10.1f   (find_similar minus the four above)\n",
              "  the rest: LSH index, candidates, verification", "", rest, rest_cpu);
  std::printf("reference, exact all-pairs Jaccard by sorted merge:\n");
  std::printf("%-62s %10s %10.1f %10.1f\n", "  shingling (normalize + shingles above)", "", shingling_ms,
              t_norm.cpu_median() + t_shingle.cpu_median());
  char label[160];
  std::snprintf(label, sizeof label, "  %.0f cross-unit pairs of a random subset of %zu documents", subset_pairs,
                subset);
  row(label, t_ref_pairs);
  std::printf("  per pair: %.0f ns wall on %u threads, %.0f ns CPU\n", t_ref_pairs.median() * 1e6 / subset_pairs,
              threads, t_ref_pairs.cpu_median() * 1e6 / subset_pairs);
  std::printf("  EXTRAPOLATED to all %.0f cross-unit pairs of the %zu documents (x %.2f, the ratio of pair counts):\n",
              full_pairs, n, ratio);
  std::printf("%-62s %10s %10.1f %10.1f   (%.1f s wall)\n", "  all pairs", "", ref_pairs_ms,
              t_ref_pairs.cpu_median() * ratio, ref_pairs_ms / 1e3);
  std::printf("%-62s %10s %10.1f %10.1f   (%.1f s wall)\n", "  reference total (shingling + all pairs)", "", ref_ms,
              ref_cpu, ref_ms / 1e3);
  std::printf("speedup of find_similar over the reference: %.1fx in wall time, %.1fx in CPU time\n", speedup,
              speedup_cpu);

  std::printf("\nreported: %zu pairs, %zu passages (>= %zu characters) among them\n", report->pairs.size(),
              passages_total, options.min_passage);
  std::printf(
      "precision: %zu of %zu reported pairs have exact Jaccard >= %.2f, from different units, equal to the "
      "reported value (worst difference %.3g; %zu same-unit, %zu mismatched) -> %.4f\n",
      correct, report->pairs.size(), threshold, worst_diff, same_unit, mismatch, precision);
  std::printf(
      "recall on the subset's exact pairs: %zu of %zu with Jaccard >= %.2f reported; %zu of %zu in [%.2f, %.2f)\n",
      on_subset.found, on_subset.above, threshold + 0.1, on_subset.band_found, on_subset.band, threshold,
      threshold + 0.1);
  std::printf("  the subset's highest cross-unit Jaccard: %.4f\n", *std::max_element(row_max.begin(), row_max.end()));
  if (!pairs_path.empty()) {
    std::printf(
        "recall on the planted pairs: %zu of %zu with exact Jaccard >= %.2f reported -> %.4f; %zu of %zu in "
        "[%.2f, %.2f); %zu of %zu planted pairs reported in all (%zu other pairs reported)\n",
        on_planted.found, on_planted.above, threshold + 0.1, on_planted.recall(), on_planted.band_found,
        on_planted.band, threshold, threshold + 0.1, reported_planted, planted_total,
        report->pairs.size() - reported_planted);
    std::printf("  by exact Jaccard:  bin        pairs  reported\n");
    for (int b = 0; b < 20; ++b) {
      const double lo = b * 0.05, hi = lo + 0.05;
      std::size_t cnt = 0, hit = 0;
      for (const auto& [jac, h] : planted)
        if (jac >= lo && (jac < hi || b == 19)) {
          ++cnt;
          hit += h;
        }
      if (cnt) std::printf("                    [%.2f, %.2f) %5zu  %8zu\n", lo, hi, cnt, hit);
    }
  }
  const double recall = pairs_path.empty() ? on_subset.recall() : on_planted.recall();
  std::printf("\ntarget: speedup %.1fx (>= 50), recall %.4f (>= 0.95), precision %.4f (= 1): %s\n", speedup, recall,
              precision, speedup >= 50 && recall >= 0.95 && precision == 1.0 ? "met" : "NOT MET");
  std::printf(
      "RESULT find_ms=%.3f find_cpu_ms=%.3f ref_ms=%.3f ref_pairs_subset_ms=%.3f shingling_ms=%.3f ratio=%.4f "
      "speedup=%.3f speedup_cpu=%.3f "
      "recall=%.4f recall_subset=%.4f precision=%.4f reported=%zu candidates=%zu bands=%zu rows=%zu\n",
      find_ms, t_find.cpu_median(), ref_ms, t_ref_pairs.median(), shingling_ms, ratio, speedup, speedup_cpu, recall,
      on_subset.recall(), precision, report->pairs.size(), report->candidates, report->bands, report->rows);
  return 0;
} catch (const std::exception& e) {  // rectify::error's what() lists every problem
  std::fprintf(stderr, "%s\n", e.what());
  return 1;
}
