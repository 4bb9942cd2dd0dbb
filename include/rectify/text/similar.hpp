#pragma once
/// Near-duplicate documents across units (生搬硬套和抄袭, compliance.md §4): character k-gram
/// shingles of the normalised text, MinHash signatures banded into an LSH index for candidates,
/// then exact Jaccard on every candidate, so that every reported pair is truly at or above the
/// threshold; for each pair, containment both ways and the longest shared passages as written.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "rectify/core/progress.hpp"
#include "rectify/core/table.hpp"
#include "rectify/text/normalize.hpp"

namespace rectify::text {

/// One submitted document.
struct document {
  std::string unit;    ///< the unit that filed it
  std::string title;   ///< its name within the unit (the file name's TITLE, or the CSV's `doc`)
  std::string text;    ///< UTF-8
  std::string source;  ///< where it came from, for errors (`docs/u1__总结.txt`, `docs.csv:7:3`)
};

/// A progress callback: `done` of `total` units of work so far. Called only from the thread that
/// called `find_similar` (never from a worker thread), at the start (done = 0), whenever done has
/// moved by about a hundredth of total, and at the end (done = total): at most about 100 calls,
/// with done never decreasing. Returning false cancels the search, which then throws
/// `rectify.cancelled` ("cancelled by the progress callback") once its worker threads have
/// stopped; an exception thrown by the callback cancels the same way and is rethrown as it is.
/// The report never depends on the callback.
using progress_callback = rectify::progress_callback;

/// What to look for.
struct similar_options {
  double threshold = 0.5;         ///< report pairs with Jaccard ≥ this, in (0, 1]
  std::size_t k = 5;              ///< shingle length in normalised characters, 1–64
  std::size_t hashes = 128;       ///< MinHash signature size, 16–1024
  std::uint64_t seed = 20260501;  ///< of the MinHash functions; results do not depend on it, only speed
  std::size_t min_passage = 20;   ///< shortest shared passage reported, in normalised characters
  std::size_t max_passages = 5;   ///< longest passages kept per pair
  bool same_unit = false;         ///< also report pairs of documents of one unit
  std::string template_text;      ///< its shingles are ignored in every document (the notice all quote)
  unsigned threads = 0;           ///< 0: every core (std::thread::hardware_concurrency)
  /// Optional progress (see `progress_callback`), counted in documents: total = n + ⌈n/10⌉ for
  /// n documents. The first n are the documents normalised, shingled and signed (one each: the
  /// bulk of the time); the last ⌈n/10⌉ are the comparison: the LSH bands (a quarter), the
  /// candidate pairs verified (half) and the passages of the reported pairs (a quarter), each
  /// moving smoothly through its share. Empty = none, at no cost. Not kept in the report.
  progress_callback progress;
};

/// A shared passage: byte ranges [begin, end) into each document's original text.
struct passage {
  std::size_t a_begin = 0, a_end = 0, b_begin = 0, b_end = 0;
  std::size_t chars = 0;  ///< its length in normalised characters
};

/// A reported pair, `a` < `b` (indices into the documents).
struct similar_pair {
  std::size_t a = 0, b = 0;
  double jaccard = 0;             ///< |A ∩ B| / |A ∪ B| over the shingle sets (template shingles removed)
  double a_in_b = 0;              ///< |A ∩ B| / |A|: how much of a is found in b (1 when a was copied whole)
  double b_in_a = 0;              ///< |A ∩ B| / |B|
  std::size_t shared = 0;         ///< |A ∩ B|
  std::vector<passage> passages;  ///< longest first, at most max_passages, each ≥ min_passage
};

/// The result.
struct similar_report {
  similar_options options;
  std::size_t bands = 0, rows = 0;     ///< the LSH banding used (bands × rows ≤ hashes)
  std::size_t candidates = 0;          ///< pairs the index proposed (verified exactly)
  std::vector<std::size_t> shingles;   ///< per document, after removing the template's
  std::vector<std::size_t> too_short;  ///< documents with fewer than k normalised characters (never reported)
  std::vector<similar_pair> pairs;     ///< Jaccard descending, then (a, b)
};

/// Finds the pairs of documents from different units (or any, with `same_unit`) whose shingle
/// sets have Jaccard ≥ threshold. Candidates come from LSH over MinHash signatures with the
/// banding `lsh_banding` chooses; each candidate is verified by exact Jaccard, so there are no
/// false positives, and a pair at threshold + 0.1 or above (above 0.8: halfway to 1) is missed
/// with probability < 1%.
/// Throws `rectify.text.encoding` (naming the document's source) for text that is not UTF-8 and
/// `rectify.text.bad_option` for options out of range.
[[nodiscard]] similar_report find_similar(std::span<const document> docs, const similar_options& options = {});

/// The scorer's input per unit (every unit that filed a document, sorted): `copied_documents`,
/// the number of its documents in at least one reported pair.
[[nodiscard]] rectify::table inputs(const similar_report& report, std::span<const document> docs);

// Building blocks, public for tests and benchmarks ------------------------------------------

/// The distinct k-shingles of normalised text as sorted 64-bit hashes (none when the text is
/// shorter than k).
[[nodiscard]] std::vector<std::uint64_t> shingles(std::u32string_view chars, std::size_t k);

/// Exact Jaccard of two sorted sets of distinct hashes (0 when both are empty), and |A ∩ B|.
[[nodiscard]] std::size_t intersection_size(std::span<const std::uint64_t> a,
                                            std::span<const std::uint64_t> b) noexcept;
[[nodiscard]] double jaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) noexcept;

/// MinHash signature of a shingle set: `hashes` values, each the minimum of one seeded hash
/// function over the set (all 0xFFFFFFFF for an empty set).
[[nodiscard]] std::vector<std::uint32_t> minhash(std::span<const std::uint64_t> shingles, std::size_t hashes,
                                                 std::uint64_t seed);

/// The banding (bands, rows) for a threshold and signature size: the most rows per band (fewest
/// candidates) such that a pair at Jaccard s becomes a candidate with probability
/// 1 − (1 − s^rows)^bands ≥ 0.99, where s = threshold + 0.1, or halfway between the threshold and
/// 1 when that is lower (thresholds above 0.8).
[[nodiscard]] std::pair<std::size_t, std::size_t> lsh_banding(double threshold, std::size_t hashes);

/// The longest shared passages of two normalised texts (maximal common substrings of at least
/// `min_chars`, not overlapping in either text, longest first, at most `max`), as byte ranges of
/// the originals via the maps in `a` and `b`.
[[nodiscard]] std::vector<passage> shared_passages(const normalized& a, const normalized& b, std::size_t min_chars,
                                                   std::size_t max);

}  // namespace rectify::text
