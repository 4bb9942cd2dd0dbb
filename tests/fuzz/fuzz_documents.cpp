// Fuzz target: document text (compliance.md §4): normalisation and its byte map, shingles, and
// copy detection of the text against a fixed second document and against a copy of itself.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "rectify/text/normalize.hpp"
#include "rectify/text/similar.hpp"

namespace {

constexpr const char* kOther =
    "2026年上半年党建工作总结：深入学习贯彻党的二十大精神，认真落实“三会一课”制度，"
    "全年召开支委会12次、党员大会4次，开展主题党日活动，推进公路养护安全生产。";

void check_map(const rectify::text::normalized& n, std::size_t bytes) {
  RECTIFY_FUZZ_CHECK(n.begin.size() == n.size() && n.end.size() == n.size());
  for (std::size_t i = 0; i < n.size(); ++i) {
    RECTIFY_FUZZ_CHECK(n.begin[i] < n.end[i] && n.end[i] <= bytes);
    if (i > 0) RECTIFY_FUZZ_CHECK(n.begin[i - 1] <= n.begin[i]);
  }
}

void one(std::string_view text) {
  using namespace rectify;
  text::normalized n;
  if (!fuzz::accepted([&] { n = text::normalize(text, "fuzz.txt"); })) {
    // Text that does not normalise is refused by the search too.
    const std::vector<text::document> docs{{"u1", "fuzz", std::string(text), "fuzz.txt"}, {"u2", "o", kOther, "o"}};
    RECTIFY_FUZZ_CHECK(!fuzz::accepted([&] { static_cast<void>(text::find_similar(docs)); }));
    return;
  }
  check_map(n, text.size());
  static_cast<void>(text::to_utf8(n.chars));
  const auto other = text::normalize(kOther);
  for (const std::size_t k : {std::size_t{1}, std::size_t{5}}) {
    const auto a = text::shingles(n.chars, k), b = text::shingles(other.chars, k);
    RECTIFY_FUZZ_CHECK(std::is_sorted(a.begin(), a.end()) && std::adjacent_find(a.begin(), a.end()) == a.end());
    const double j = text::jaccard(a, b);
    RECTIFY_FUZZ_CHECK(j >= 0 && j <= 1 && j == text::jaccard(b, a));
    RECTIFY_FUZZ_CHECK(text::intersection_size(a, b) <= std::min(a.size(), b.size()));
  }
  for (const auto& p : text::shared_passages(n, other, 4, 5)) {
    RECTIFY_FUZZ_CHECK(p.a_begin < p.a_end && p.a_end <= text.size());
    RECTIFY_FUZZ_CHECK(p.b_begin < p.b_end && p.b_end <= other.end.back());
    RECTIFY_FUZZ_CHECK(p.chars >= 4);
  }

  // The text, the fixed document and an exact copy of the text from another unit: the copy must
  // be found with Jaccard 1 whenever the text has a shingle.
  const std::vector<text::document> docs{{"u1", "fuzz", std::string(text), "fuzz.txt"},
                                         {"u2", "other", kOther, "other.txt"},
                                         {"u3", "copy", std::string(text), "copy.txt"}};
  text::similar_options options;
  options.threshold = 0.3;
  options.threads = 1;
  options.min_passage = 4;
  const auto r = text::find_similar(docs, options);
  RECTIFY_FUZZ_CHECK(r.shingles.size() == docs.size());
  bool copy_found = false;
  for (const auto& p : r.pairs) {
    RECTIFY_FUZZ_CHECK(p.a < p.b && p.b < docs.size());
    RECTIFY_FUZZ_CHECK(p.jaccard >= options.threshold && p.jaccard <= 1);
    RECTIFY_FUZZ_CHECK(p.a_in_b >= p.jaccard && p.b_in_a >= p.jaccard && p.a_in_b <= 1 && p.b_in_a <= 1);
    for (const auto& q : p.passages) {
      RECTIFY_FUZZ_CHECK(q.a_end <= docs[p.a].text.size() && q.b_end <= docs[p.b].text.size());
      RECTIFY_FUZZ_CHECK(q.chars >= options.min_passage);
    }
    copy_found = copy_found || (p.a == 0 && p.b == 2 && p.jaccard == 1);
  }
  if (r.shingles[0] > 0) RECTIFY_FUZZ_CHECK(copy_found);
  static_cast<void>(text::inputs(r, docs));

  // The same with the text as the template all documents quote: its shingles are ignored.
  options.template_text = std::string(text);
  const auto t = text::find_similar(docs, options);
  RECTIFY_FUZZ_CHECK(t.shingles[0] == 0 && t.shingles[2] == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rectify::fuzz::run_one(data, size, one);
}
