// The longest passages two normalised texts share (compliance.md §4), shown as written.
//
// Every common substring of at least `min_chars` lies on one diagonal (a position in a minus a
// position in b) inside a maximal run of equal characters, and that run starts with a common
// q-gram (q ≤ min_chars). So: index b's q-grams, walk a, and at each of a's q-grams found in b
// extend the match both ways to its maximal run, unless that diagonal is already covered there.
// For a near-copy each position of a meets one occurrence on an already-covered diagonal, so the
// search is linear in expectation. The runs are then taken greedily, longest first; a run that
// overlaps one already taken (in either text) is cut to its free pieces, which go back in line.
#include <algorithm>
#include <limits>
#include <queue>
#include <unordered_map>

#include "rectify/core/error.hpp"
#include "rectify/text/similar.hpp"

namespace rectify::text {
namespace {

// Anchors longer than this gain nothing for natural text and cost more to verify.
constexpr std::size_t kAnchor = 8;
// Occurrences of one q-gram in b tried per position of a: bounds the work on degenerate text
// (one character repeated thousands of times) without affecting natural text, where a q-gram of
// 8 characters rarely occurs more than a few times.
constexpr std::size_t kMaxOccurrences = 256;
constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

struct run {
  std::size_t a = 0, b = 0, len = 0;
};

// The heap's order: longest first, then earliest in a, then earliest in b.
struct later {
  bool operator()(const run& x, const run& y) const noexcept {
    if (x.len != y.len) return x.len < y.len;
    return x.a != y.a ? x.a > y.a : x.b > y.b;
  }
};

// Polynomial hashes of every q-gram (mod 2^64); equal grams hash equal, and unequal ones that
// collide are caught when the match is verified character by character.
std::vector<std::uint64_t> gram_hashes(const std::u32string& s, std::size_t q) {
  constexpr std::uint64_t kBase = 0x100000001b3ULL;
  std::vector<std::uint64_t> out;
  if (s.size() < q) return out;
  std::uint64_t top = 1;  // kBase^(q-1)
  for (std::size_t i = 1; i < q; ++i) top *= kBase;
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < q; ++i) h = h * kBase + s[i];
  out.reserve(s.size() - q + 1);
  out.push_back(h);
  for (std::size_t i = q; i < s.size(); ++i) {
    h = (h - s[i - q] * top) * kBase + s[i];
    out.push_back(h);
  }
  return out;
}

void check_map(const normalized& t, const char* name) {
  if (t.begin.size() == t.chars.size() && t.end.size() == t.chars.size()) return;
  std::string message = "shared_passages: ";
  message += name;
  for (const std::string& part : {std::string(" has "), std::to_string(t.chars.size()), std::string(" characters but "),
                                  std::to_string(t.begin.size()), std::string(" begin and "),
                                  std::to_string(t.end.size()), std::string(" end offsets")})
    message += part;
  raise("rectify.text.bad_option", "", message);
}

}  // namespace

std::vector<passage> shared_passages(const normalized& a, const normalized& b, std::size_t min_chars, std::size_t max) {
  check_map(a, "a");
  check_map(b, "b");
  if (min_chars < 1) raise("rectify.text.bad_option", "", "shared_passages: min_chars must be at least 1, not 0");
  std::vector<passage> out;
  if (max == 0 || a.size() < min_chars || b.size() < min_chars) return out;
  const std::size_t q = std::min(min_chars, kAnchor);
  const std::u32string& x = a.chars;
  const std::u32string& y = b.chars;

  // b's q-grams in a chained hash table; chains list positions in increasing order.
  const std::vector<std::uint64_t> hb = gram_hashes(y, q);
  std::size_t slots = 1;
  while (slots < 2 * hb.size()) slots *= 2;
  std::vector<std::uint32_t> head(slots, kNone), next(hb.size(), kNone);
  for (std::size_t j = hb.size(); j-- > 0;) {
    const std::size_t slot = static_cast<std::size_t>(hb[j] >> 17) & (slots - 1);
    next[j] = head[slot];
    head[slot] = static_cast<std::uint32_t>(j);
  }

  // Maximal runs of at least min_chars; `covered` holds, per diagonal, where in a the last run
  // found on it ends.
  const std::vector<std::uint64_t> ha = gram_hashes(x, q);
  std::unordered_map<std::ptrdiff_t, std::size_t> covered;
  std::priority_queue<run, std::vector<run>, later> queue;
  for (std::size_t i = 0; i < ha.size(); ++i) {
    std::size_t tried = 0;
    for (std::uint32_t j = head[static_cast<std::size_t>(ha[i] >> 17) & (slots - 1)];
         j != kNone && tried < kMaxOccurrences; j = next[j]) {
      if (hb[j] != ha[i]) continue;
      ++tried;
      const auto diagonal = static_cast<std::ptrdiff_t>(i) - static_cast<std::ptrdiff_t>(j);
      const auto it = covered.find(diagonal);
      if (it != covered.end() && it->second > i) continue;
      std::size_t right = 0;
      while (i + right < x.size() && j + right < y.size() && x[i + right] == y[j + right]) ++right;
      if (right < q) continue;  // the hashes collided
      std::size_t left = 0;
      while (left < i && left < j && x[i - left - 1] == y[j - left - 1]) ++left;
      covered[diagonal] = i + right;
      if (left + right >= min_chars) queue.push(run{i - left, j - left, left + right});
    }
  }

  // Greedy choice; a popped run is never longer than one taken before it, so `taken` comes out
  // longest first.
  std::vector<run> taken;
  std::vector<std::pair<std::size_t, std::size_t>> blocked;  // offsets along the run, [from, to)
  while (!queue.empty() && taken.size() < max) {
    const run r = queue.top();
    queue.pop();
    blocked.clear();
    for (const run& t : taken) {
      const auto clip = [&](std::size_t start, std::size_t t_start) {
        // The offsets o in [0, r.len) with start + o inside [t_start, t_start + t.len).
        const std::size_t from = t_start > start ? t_start - start : 0;
        const std::size_t to = std::min(r.len, t_start + t.len > start ? t_start + t.len - start : 0);
        if (from < to) blocked.emplace_back(from, to);
      };
      clip(r.a, t.a);
      clip(r.b, t.b);
    }
    if (blocked.empty()) {
      taken.push_back(r);
      continue;
    }
    std::sort(blocked.begin(), blocked.end());
    std::size_t free_from = 0;
    const auto piece = [&](std::size_t from, std::size_t to) {
      if (to > from && to - from >= min_chars) queue.push(run{r.a + from, r.b + from, to - from});
    };
    for (const auto& [from, to] : blocked) {
      piece(free_from, from);
      free_from = std::max(free_from, to);
    }
    piece(free_from, r.len);
  }

  out.reserve(taken.size());
  for (const run& r : taken) {
    passage p;
    p.a_begin = a.begin[r.a];
    p.a_end = a.end[r.a + r.len - 1];
    p.b_begin = b.begin[r.b];
    p.b_end = b.end[r.b + r.len - 1];
    p.chars = r.len;
    out.push_back(p);
  }
  return out;
}

}  // namespace rectify::text
