// Near-duplicate documents (compliance.md §4, include/rectify/text/similar.hpp). Expected values
// are worked out by hand from the contract (shingle counts, bandings, passage positions), or
// come from a brute-force reference over all pairs built from the exact building blocks.
#include "rectify/text/similar.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "rectify/core/error.hpp"
#include "support.hpp"

using namespace rectify::text;
using rectify::test::message_of;

namespace {

std::string utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

// Concatenation with += (GCC 12 at -O3 warns falsely about `"literal" + std::string`).
template <class S, class... Parts>
S cat(S first, const Parts&... parts) {
  (first += ... += parts);
  return first;
}

std::string utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) out += utf8(c);
  return out;
}

// A stand-in for normalize() on text of ASCII and BMP characters: drops the ASCII and Chinese
// punctuation and spaces used below and records each kept character's bytes, as the contract of
// `normalized` says. Lets the passage tests run on hand-made input.
normalized plain(const std::string& text) {
  const std::u32string dropped = U" ,.;:!?，。、；：！？“”《》（）";
  normalized out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : 3;
    char32_t c = len == 1 ? lead : len == 2 ? (lead & 0x1Fu) : (lead & 0x0Fu);
    for (std::size_t j = 1; j < len; ++j) c = (c << 6) | (static_cast<unsigned char>(text[i + j]) & 0x3Fu);
    if (dropped.find(c) == std::u32string::npos) {
      out.chars.push_back(c);
      out.begin.push_back(static_cast<std::uint32_t>(i));
      out.end.push_back(static_cast<std::uint32_t>(i + len));
    }
    i += len;
  }
  return out;
}

// `n` distinct CJK ideographs starting at `first` (distinct blocks never share a substring).
std::u32string block(char32_t first, std::size_t n) {
  std::u32string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char32_t>(first + i));
  return s;
}

// Random Chinese text from 3,000 ideographs: 5-grams of it almost never repeat by chance.
std::u32string random_text(std::mt19937_64& rng, std::size_t n) {
  std::uniform_int_distribution<std::uint32_t> pick(0x4E00, 0x4E00 + 2999);
  std::u32string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(pick(rng));
  return s;
}

// A copy with `edits` characters replaced at random positions.
std::u32string edited(std::mt19937_64& rng, std::u32string s, std::size_t edits) {
  std::uniform_int_distribution<std::size_t> where(0, s.size() - 1);
  std::uniform_int_distribution<std::uint32_t> pick(0x4E00, 0x4E00 + 2999);
  for (std::size_t e = 0; e < edits; ++e) s[where(rng)] = pick(rng);
  return s;
}

std::vector<std::uint64_t> random_set(std::mt19937_64& rng, std::size_t n) {
  std::vector<std::uint64_t> s(n);
  for (auto& x : s) x = rng();
  return s;
}

std::vector<std::uint64_t> sorted(std::vector<std::uint64_t> s) {
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return s;
}

double candidate_probability(double s, std::size_t bands, std::size_t rows) {
  return 1 - std::pow(1 - std::pow(s, static_cast<double>(rows)), static_cast<double>(bands));
}

struct corpus {
  std::vector<document> docs;
};

// `bases` random documents of `length` characters, each in its own unit u<i>, and for each base
// copies in other units with 0 to `length`/8 characters edited, so that their Jaccard spreads
// from 1 down to about 0.1.
corpus generated(std::uint64_t seed, std::size_t bases, std::size_t copies, std::size_t length) {
  std::mt19937_64 rng(seed);
  corpus c;
  std::uniform_int_distribution<std::size_t> edits(0, length / 8);
  for (std::size_t i = 0; i < bases; ++i) {
    const std::u32string base = random_text(rng, length);
    c.docs.push_back(document{cat(std::string("u"), std::to_string(i % 17)),
                              cat(std::string("base"), std::to_string(i)), utf8(base), ""});
    for (std::size_t j = 0; j < copies; ++j)
      c.docs.push_back(document{cat(std::string("u"), std::to_string((i + j + 1) % 17)),
                                cat(std::string("copy"), std::to_string(i), "_", std::to_string(j)),
                                utf8(edited(rng, base, edits(rng))), ""});
  }
  return c;
}

struct truth {
  std::size_t a, b;
  double jaccard;
};

// Every pair of different units with its exact Jaccard, from the shingle sets.
std::vector<truth> brute_force(const std::vector<document>& docs, std::size_t k) {
  std::vector<std::vector<std::uint64_t>> sets;
  for (const auto& d : docs) sets.push_back(shingles(normalize(d.text).chars, k));
  std::vector<truth> out;
  for (std::size_t a = 0; a < docs.size(); ++a)
    for (std::size_t b = a + 1; b < docs.size(); ++b)
      if (docs[a].unit != docs[b].unit) out.push_back(truth{a, b, jaccard(sets[a], sets[b])});
  return out;
}

}  // namespace

// Shingles -----------------------------------------------------------------------------------

TEST_CASE("shingles are the distinct k-grams, sorted", "[similar]") {
  // "abcab" with k = 2: ab, bc, ca, ab -> three distinct grams.
  const auto s = shingles(U"abcab", 2);
  CHECK(s.size() == 3);
  CHECK(std::is_sorted(s.begin(), s.end()));
  CHECK(std::adjacent_find(s.begin(), s.end()) == s.end());
  // The same gram anywhere hashes the same: "ab" alone is one of them.
  const auto ab = shingles(U"ab", 2);
  REQUIRE(ab.size() == 1);
  CHECK(std::binary_search(s.begin(), s.end(), ab[0]));
  CHECK(shingles(U"ba", 2) != ab);
  // Exactly k characters give one shingle; fewer give none; k = 0 gives none.
  CHECK(shingles(U"学习贯彻会", 5).size() == 1);
  CHECK(shingles(U"学习贯彻", 5).empty());
  CHECK(shingles(U"", 5).empty());
  CHECK(shingles(U"abc", 0).empty());
  // n characters, all distinct, give n - k + 1 shingles, for odd and even k and k up to 64.
  const std::u32string text = block(0x4E00, 200);
  for (std::size_t k : {1, 2, 3, 5, 8, 33, 64}) CHECK(shingles(text, k).size() == 200 - k + 1);
  // Grams that differ only in their order, or in one late character, differ.
  CHECK(shingles(U"甲乙丙丁戊", 5) != shingles(U"乙甲丙丁戊", 5));
  CHECK(shingles(U"甲乙丙丁戊", 5) != shingles(U"甲乙丙丁己", 5));
}

TEST_CASE("shingle hashes do not collide on many distinct grams", "[similar]") {
  // 200,000 distinct 3-grams of 60 letters... every one must get its own hash (2^-64 odds).
  std::u32string text;
  for (char32_t x = 0; x < 60; ++x)
    for (char32_t y = 0; y < 60; ++y)
      for (char32_t z = 0; z < 60; ++z) {
        text.push_back(0x4E00 + x);
        text.push_back(0x4E00 + y);
        text.push_back(0x4E00 + z);
      }
  std::vector<std::uint64_t> all;
  for (std::size_t i = 0; i + 3 <= text.size(); i += 3) {
    const auto s = shingles(std::u32string_view(text).substr(i, 3), 3);
    all.push_back(s.at(0));
  }
  CHECK(sorted(all).size() == 60 * 60 * 60);
}

TEST_CASE("intersection and jaccard of sorted sets", "[similar]") {
  const std::vector<std::uint64_t> a{1, 2, 3}, b{2, 3, 4}, none;
  CHECK(intersection_size(a, b) == 2);
  CHECK(jaccard(a, b) == 0.5);  // {2,3} of {1,2,3,4}
  CHECK(jaccard(a, a) == 1.0);
  CHECK(jaccard(a, none) == 0.0);
  CHECK(jaccard(none, none) == 0.0);
  CHECK(intersection_size(none, b) == 0);
  const std::vector<std::uint64_t> c{1, 5, 9, 11}, d{0, 5, 11, 12, 13};
  CHECK(intersection_size(c, d) == 2);
  CHECK(jaccard(c, d) == Approx(2.0 / 7.0));
}

// MinHash ------------------------------------------------------------------------------------

TEST_CASE("minhash signatures follow their definition", "[similar]") {
  std::mt19937_64 rng(7);
  const auto a = sorted(random_set(rng, 300)), b = sorted(random_set(rng, 200));
  const auto sa = minhash(a, 64, 1), sb = minhash(b, 64, 1);
  CHECK(sa.size() == 64);
  // The empty set: every entry 0xFFFFFFFF.
  const auto empty = minhash({}, 32, 1);
  CHECK(empty == std::vector<std::uint32_t>(32, 0xFFFFFFFFu));
  // Each entry is a minimum over the set, so the signature of a union is the entrywise minimum.
  std::vector<std::uint64_t> u;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(u));
  const auto su = minhash(u, 64, 1);
  for (std::size_t i = 0; i < 64; ++i) CHECK(su[i] == std::min(sa[i], sb[i]));
  // Deterministic for a seed; another seed gives other functions.
  CHECK(minhash(a, 64, 1) == sa);
  CHECK(minhash(a, 64, 2) != sa);
  // A one-element set: its hash under each function, all different functions.
  const auto one = minhash(std::vector<std::uint64_t>{42}, 64, 1);
  CHECK(sorted(std::vector<std::uint64_t>(one.begin(), one.end())).size() > 60);
}

TEST_CASE("the share of equal minhash entries estimates Jaccard", "[similar]") {
  // Sets with a known Jaccard: a common part C, and parts only in A or only in B.
  // The share of equal entries is a binomial proportion: standard error sqrt(J(1-J)/H).
  std::mt19937_64 rng(11);
  const std::size_t hashes = 1024;
  for (const auto& [common, only] : std::vector<std::pair<std::size_t, std::size_t>>{
           {100, 450}, {300, 350}, {500, 250}, {800, 100}, {950, 25}, {1000, 0}}) {
    for (bool structured : {false, true}) {
      std::vector<std::uint64_t> a, b;
      if (structured) {
        // Consecutive integers: the kind of set that breaks a hash without a mixing step.
        for (std::uint64_t x = 0; x < common; ++x) a.push_back(x), b.push_back(x);
        for (std::uint64_t x = 0; x < only; ++x) a.push_back(10000 + x), b.push_back(20000 + x);
      } else {
        const auto c = random_set(rng, common), oa = random_set(rng, only), ob = random_set(rng, only);
        a = c, b = c;
        a.insert(a.end(), oa.begin(), oa.end());
        b.insert(b.end(), ob.begin(), ob.end());
      }
      a = sorted(a), b = sorted(b);
      const double j = static_cast<double>(common) / static_cast<double>(common + 2 * only);
      REQUIRE(jaccard(a, b) == Approx(j));
      const auto sa = minhash(a, hashes, 20260501), sb = minhash(b, hashes, 20260501);
      std::size_t equal = 0;
      for (std::size_t i = 0; i < hashes; ++i) equal += sa[i] == sb[i];
      const double estimate = static_cast<double>(equal) / static_cast<double>(hashes);
      const double se = std::sqrt(j * (1 - j) / static_cast<double>(hashes));
      INFO("J = " << j << ", structured = " << structured << ", estimate = " << estimate);
      CHECK(std::abs(estimate - j) <= 4 * se + 1e-12);
    }
  }
}

TEST_CASE("minhash estimates are unbiased over seeds", "[similar]") {
  // 40 seeds × 256 hashes at J = 1/3: the mean share of equal entries is within 4 standard errors.
  std::mt19937_64 rng(5);
  const auto c = random_set(rng, 200), oa = random_set(rng, 200), ob = random_set(rng, 200);
  std::vector<std::uint64_t> a = c, b = c;
  a.insert(a.end(), oa.begin(), oa.end());
  b.insert(b.end(), ob.begin(), ob.end());
  a = sorted(a), b = sorted(b);
  std::size_t equal = 0, total = 0;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    const auto sa = minhash(a, 256, seed), sb = minhash(b, 256, seed);
    for (std::size_t i = 0; i < 256; ++i) equal += sa[i] == sb[i];
    total += 256;
  }
  const double j = 1.0 / 3.0, se = std::sqrt(j * (1 - j) / static_cast<double>(total));
  CHECK(std::abs(static_cast<double>(equal) / static_cast<double>(total) - j) <= 4 * se);
}

// Banding ------------------------------------------------------------------------------------

TEST_CASE("lsh banding: hand-checked values", "[similar]") {
  // t = 0.5, s = 0.6, 128 hashes: 4 rows × 32 bands give 1 - (1 - 0.6^4)^32 = 0.988 < 0.99;
  // 3 rows × 42 bands give 1 - (1 - 0.216)^42 = 0.99996.
  CHECK(lsh_banding(0.5, 128) == std::pair<std::size_t, std::size_t>{42, 3});
  // t = 0.8, s = 0.9: 11 rows × 11 bands give 0.984; 10 rows × 12 bands give 0.994.
  CHECK(lsh_banding(0.8, 128) == std::pair<std::size_t, std::size_t>{12, 10});
  // Above 0.8 the point is halfway to 1: t = 0.95 gives s = 0.975, and the banding is the most
  // rows whose probability at s still reaches 0.99 (one row more falls below it).
  {
    const auto [bands, rows] = lsh_banding(0.95, 128);
    CHECK(candidate_probability(0.975, bands, rows) >= 0.99);
    CHECK(candidate_probability(0.975, 128 / (rows + 1), rows + 1) < 0.99);
    CHECK(rows < 128);  // a pair at 0.975 is a candidate with probability >= 0.99, not by chance
  }
  // t = 1: s = 1, identical sets always collide: one band of every hash.
  CHECK(lsh_banding(1.0, 128) == std::pair<std::size_t, std::size_t>{1, 128});
  // 16 hashes at t = 0.01 (s = 0.11): even 16 bands of one row give only 0.845; the most bands.
  CHECK(lsh_banding(0.01, 16) == std::pair<std::size_t, std::size_t>{16, 1});
}

TEST_CASE("lsh banding: the most rows that still reach 0.99 at threshold + 0.1", "[similar]") {
  for (std::size_t hashes : {16, 64, 100, 128, 256, 1024})
    for (double t : {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85}) {
      const auto [bands, rows] = lsh_banding(t, hashes);
      INFO("t = " << t << ", hashes = " << hashes << " -> " << bands << " x " << rows);
      CHECK(bands * rows <= hashes);
      CHECK(bands == hashes / rows);
      const double s = std::min(t + 0.1, t + (1 - t) / 2);
      if (candidate_probability(s, hashes, 1) >= 0.99) {
        CHECK(candidate_probability(s, bands, rows) >= 0.99);
        for (std::size_t more = rows + 1; more <= hashes; ++more)
          CHECK(candidate_probability(s, hashes / more, more) < 0.99);
      } else {
        CHECK(rows == 1);
      }
    }
  CHECK(message_of([] { (void)lsh_banding(0, 128); }) ==
        "[rectify.text.bad_option] threshold must be in (0, 1], not 0");
}

// Passages -----------------------------------------------------------------------------------

TEST_CASE("shared passages: one copied passage, mapped to both originals", "[similar]") {
  const std::u32string p = block(0x5000, 25);
  const normalized a = plain(utf8(cat(std::u32string(U"甲乙丙丁"), p, U"戊己"))),
                   b = plain(utf8(cat(std::u32string(U"子丑"), p, U"寅")));
  const auto found = shared_passages(a, b, 20, 5);
  REQUIRE(found.size() == 1);
  CHECK(found[0].chars == 25);
  CHECK(found[0].a_begin == 4 * 3);
  CHECK(found[0].a_end == (4 + 25) * 3);
  CHECK(found[0].b_begin == 2 * 3);
  CHECK(found[0].b_end == (2 + 25) * 3);
  // Below min_chars: nothing.
  CHECK(shared_passages(a, b, 26, 5).empty());
  CHECK(shared_passages(a, b, 25, 5).size() == 1);
  CHECK(shared_passages(a, b, 20, 0).empty());
  CHECK(shared_passages(plain(""), b, 20, 5).empty());
  CHECK(shared_passages(plain("x"), plain("x"), 1, 5).size() == 1);
}

TEST_CASE("shared passages: longest first, at most max", "[similar]") {
  const std::u32string p = block(0x5000, 30), q = block(0x5100, 22), r = block(0x5200, 21);
  // In a the order is r, q, p; in b p, q, r, with different fillers between.
  const normalized a = plain(utf8(r + U"一" + q + U"二" + p)), b = plain(utf8(p + U"三" + q + U"四" + r));
  const auto all = shared_passages(a, b, 20, 5);
  REQUIRE(all.size() == 3);
  CHECK(all[0].chars == 30);
  CHECK(all[1].chars == 22);
  CHECK(all[2].chars == 21);
  CHECK(all[0].a_begin == (21 + 1 + 22 + 1) * 3);
  CHECK(all[0].b_begin == 0);
  const auto two = shared_passages(a, b, 20, 2);
  REQUIRE(two.size() == 2);
  CHECK(two[1].chars == 22);
}

TEST_CASE("shared passages do not overlap in either text", "[similar]") {
  const std::u32string p = block(0x5000, 25);
  // p once in a, twice in b: only one passage, at b's first copy (ties by position).
  auto found = shared_passages(plain(utf8(p)), plain(utf8(p + U"一" + p)), 20, 5);
  REQUIRE(found.size() == 1);
  CHECK(found[0].b_begin == 0);
  // p twice in both: two passages, first with first and second with second.
  found = shared_passages(plain(utf8(p + U"一" + p)), plain(utf8(p + U"二" + p)), 20, 5);
  REQUIRE(found.size() == 2);
  CHECK(found[0].a_begin == 0);
  CHECK(found[0].b_begin == 0);
  CHECK(found[1].a_begin == 26 * 3);
  CHECK(found[1].b_begin == 26 * 3);
  // b = A B C, a = A B | B C (25 characters each): A B (50) is taken first; B C overlaps it in
  // b, so only its free part C (25) remains.
  const std::u32string A = block(0x5000, 25), B = block(0x5100, 25), C = block(0x5200, 25);
  found = shared_passages(plain(utf8(A + B + U"一" + B + C)), plain(utf8(A + B + C)), 20, 5);
  REQUIRE(found.size() == 2);
  CHECK(found[0].chars == 50);
  CHECK(found[0].a_begin == 0);
  CHECK(found[0].b_begin == 0);
  CHECK(found[1].chars == 25);
  CHECK(found[1].a_begin == 76 * 3);
  CHECK(found[1].b_begin == 50 * 3);
  // A repeated character: one passage, the main diagonal.
  const std::u32string same(3000, U'哈');
  found = shared_passages(plain(utf8(same)), plain(utf8(same)), 20, 5);
  REQUIRE(found.size() == 1);
  CHECK(found[0].chars == 3000);
}

TEST_CASE("shared passages show punctuation as written", "[similar]") {
  const std::string copied = "认真学习了会议精神，结合本支部实际，制定了整改措施；按期完成";
  const std::string a = cat(std::string("第一支部："), copied, "。其他内容不同。");
  const std::string b = cat(std::string("（第二党小组）"), copied, "！另有说明");
  const auto found = shared_passages(plain(a), plain(b), 20, 5);
  REQUIRE(found.size() == 1);
  CHECK(a.substr(found[0].a_begin, found[0].a_end - found[0].a_begin) == copied);
  CHECK(b.substr(found[0].b_begin, found[0].b_end - found[0].b_begin) == copied);
  CHECK(found[0].chars == plain(copied).size());
  // A bad map is refused rather than read out of bounds.
  normalized broken = plain(a);
  broken.end.pop_back();
  CHECK(message_of([&] { (void)shared_passages(broken, plain(b), 20, 5); }).find("rectify.text.bad_option") !=
        std::string::npos);
}

// find_similar -------------------------------------------------------------------------------

TEST_CASE("find_similar: exact, and recall against brute force", "[similar]") {
  std::size_t planted = 0, found_planted = 0, checked = 0;
  for (std::uint64_t seed : {1, 2, 3}) {
    const corpus c = generated(seed, 40, 4, 300);
    similar_options o;
    o.threads = 2;
    const auto report = find_similar(c.docs, o);
    const auto truths = brute_force(c.docs, o.k);
    CHECK(report.bands == 42);
    CHECK(report.rows == 3);
    // Exactness: every reported pair is at or above the threshold, with the true values.
    for (const auto& p : report.pairs) {
      CHECK(p.a < p.b);
      CHECK(c.docs[p.a].unit != c.docs[p.b].unit);
      CHECK(p.jaccard >= o.threshold);
      const auto t =
          std::find_if(truths.begin(), truths.end(), [&](const truth& x) { return x.a == p.a && x.b == p.b; });
      REQUIRE(t != truths.end());
      CHECK(p.jaccard == t->jaccard);
      ++checked;
    }
    // Recall over the pairs at threshold + 0.1 or above; every pair at or above the threshold
    // that was reported is one of the truths above the threshold.
    std::size_t at_threshold = 0;
    for (const auto& t : truths) {
      if (t.jaccard >= o.threshold) ++at_threshold;
      if (t.jaccard < o.threshold + 0.1) continue;
      ++planted;
      found_planted += std::any_of(report.pairs.begin(), report.pairs.end(),
                                   [&](const similar_pair& p) { return p.a == t.a && p.b == t.b; });
    }
    CHECK(report.pairs.size() <= at_threshold);
    CHECK(report.candidates >= report.pairs.size());
    // Sorted by Jaccard descending, then (a, b).
    for (std::size_t i = 1; i < report.pairs.size(); ++i) {
      const auto &x = report.pairs[i - 1], &y = report.pairs[i];
      CHECK((x.jaccard > y.jaccard || (x.jaccard == y.jaccard && std::pair(x.a, x.b) < std::pair(y.a, y.b))));
    }
  }
  INFO(found_planted << " of " << planted << " pairs at threshold + 0.1 found");
  CHECK(planted >= 200);  // enough pairs above threshold + 0.1 for the recall to mean something
  CHECK(checked > 300);
  CHECK(static_cast<double>(found_planted) >= 0.95 * static_cast<double>(planted));
}

TEST_CASE("find_similar: the same report for any thread count", "[similar]") {
  const corpus c = generated(9, 30, 3, 200);
  similar_options o;
  o.threshold = 0.3;
  o.threads = 1;
  const auto one = find_similar(c.docs, o);
  REQUIRE(!one.pairs.empty());
  for (unsigned t : {2u, 3u, 8u, 0u}) {
    o.threads = t;
    const auto other = find_similar(c.docs, o);
    CHECK(other.candidates == one.candidates);
    CHECK(other.shingles == one.shingles);
    REQUIRE(other.pairs.size() == one.pairs.size());
    for (std::size_t i = 0; i < one.pairs.size(); ++i) {
      CHECK(other.pairs[i].a == one.pairs[i].a);
      CHECK(other.pairs[i].b == one.pairs[i].b);
      CHECK(other.pairs[i].jaccard == one.pairs[i].jaccard);
      REQUIRE(other.pairs[i].passages.size() == one.pairs[i].passages.size());
      for (std::size_t j = 0; j < one.pairs[i].passages.size(); ++j) {
        CHECK(other.pairs[i].passages[j].a_begin == one.pairs[i].passages[j].a_begin);
        CHECK(other.pairs[i].passages[j].b_begin == one.pairs[i].passages[j].b_begin);
        CHECK(other.pairs[i].passages[j].chars == one.pairs[i].passages[j].chars);
      }
    }
  }
}

TEST_CASE("find_similar: template shingles are ignored", "[similar]") {
  // Both documents are the template (100 characters) plus 50 of their own: 146 shingles each,
  // 96 shared, Jaccard 96/196 without the template; with it, 50 each (the 4 straddling the
  // join plus the 46 inside the own text), none shared.
  const std::u32string notice = block(0x6000, 100);
  const std::vector<document> docs{{"u1", "a", utf8(notice + block(0x7000, 50)), "a.txt"},
                                   {"u2", "b", utf8(notice + block(0x7100, 50)), "b.txt"}};
  similar_options o;
  o.threshold = 0.4;
  auto report = find_similar(docs, o);
  REQUIRE(report.pairs.size() == 1);
  CHECK(report.pairs[0].jaccard == 96.0 / 196.0);
  CHECK(report.pairs[0].shared == 96);
  CHECK(report.shingles == std::vector<std::size_t>{146, 146});
  REQUIRE(report.pairs[0].passages.size() == 1);
  CHECK(report.pairs[0].passages[0].chars == 100);
  o.template_text = cat(std::string("通知："), utf8(notice), "。");
  report = find_similar(docs, o);
  CHECK(report.pairs.empty());
  CHECK(report.shingles == std::vector<std::size_t>{50, 50});
}

TEST_CASE("find_similar: pairs within one unit only when asked", "[similar]") {
  const std::string text = utf8(block(0x6000, 60));
  const std::vector<document> docs{
      {"u1", "a", text, "a.txt"}, {"u1", "b", text, "b.txt"}, {"u2", "c", "其他", "c.txt"}};
  similar_options o;
  CHECK(find_similar(docs, o).pairs.empty());
  CHECK(find_similar(docs, o).candidates == 0);
  o.same_unit = true;
  const auto report = find_similar(docs, o);
  REQUIRE(report.pairs.size() == 1);
  CHECK(report.pairs[0].a == 0);
  CHECK(report.pairs[0].b == 1);
  CHECK(report.pairs[0].jaccard == 1.0);
  CHECK(report.pairs[0].a_in_b == 1.0);
  CHECK(report.pairs[0].shared == 56);
}

TEST_CASE("find_similar: short, empty and one-character documents", "[similar]") {
  // k = 5: "学习贯彻" (4 characters, plus punctuation that normalisation drops) is too short;
  // "学习贯彻会" has exactly one shingle; empty and one-character documents are too short and
  // never reported, even when equal.
  const std::vector<document> docs{{"u1", "a", "学习，贯彻。", "a.txt"},
                                   {"u2", "b", "学习，贯彻。", "b.txt"},
                                   {"u3", "c", "", "c.txt"},
                                   {"u4", "d", "", "d.txt"},
                                   {"u5", "e", "学", "e.txt"},
                                   {"u6", "f", "学", "f.txt"},
                                   {"u7", "g", "学习贯彻会", "g.txt"},
                                   {"u8", "h", "学习贯彻会", "h.txt"}};
  const auto report = find_similar(docs);
  CHECK(report.too_short == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
  CHECK(report.shingles == std::vector<std::size_t>{0, 0, 0, 0, 0, 0, 1, 1});
  REQUIRE(report.pairs.size() == 1);
  CHECK(report.pairs[0].a == 6);
  CHECK(report.pairs[0].b == 7);
  CHECK(report.pairs[0].passages.empty());  // 5 characters, below min_passage
  CHECK(find_similar(std::vector<document>{}).pairs.empty());
}

TEST_CASE("find_similar: a short document copied whole into a long one", "[similar]") {
  // 60 characters (56 shingles) inside 660 (656 shingles): a_in_b = 1, jaccard = b_in_a = 56/656.
  const std::u32string short_text = block(0x6000, 60);
  const std::string with_punctuation = utf8(short_text.substr(0, 30)) + "，" + utf8(short_text.substr(30)) + "。";
  const std::vector<document> docs{
      {"u1", "short", with_punctuation, "short.txt"},
      {"u2", "long", utf8(block(0x7000, 300)) + with_punctuation + utf8(block(0x8000, 300)), "long.txt"}};
  similar_options o;
  o.threshold = 0.05;
  const auto report = find_similar(docs, o);
  REQUIRE(report.pairs.size() == 1);
  const auto& p = report.pairs[0];
  CHECK(p.a_in_b == 1.0);
  CHECK(p.b_in_a == 56.0 / 656.0);
  CHECK(p.jaccard == 56.0 / 656.0);
  REQUIRE(p.passages.size() == 1);
  CHECK(p.passages[0].chars == 60);
  // The passage as written in each document: the copied text with its comma (the full stop ends
  // the passage's last character, so it is outside).
  const std::string expected = with_punctuation.substr(0, with_punctuation.size() - std::string("。").size());
  CHECK(docs[0].text.substr(p.passages[0].a_begin, p.passages[0].a_end - p.passages[0].a_begin) == expected);
  CHECK(docs[1].text.substr(p.passages[0].b_begin, p.passages[0].b_end - p.passages[0].b_begin) == expected);
}

TEST_CASE("find_similar: inputs count the copied documents per unit", "[similar]") {
  const std::string copied = utf8(block(0x6000, 80));
  const std::vector<document> docs{{"u2", "a", copied, "a.txt"},
                                   {"u1", "b", copied, "b.txt"},
                                   {"u1", "c", copied + utf8(block(0x6100, 5)), "c.txt"},
                                   {"u3", "d", utf8(block(0x7000, 80)), "d.txt"}};
  const auto report = find_similar(docs);
  const auto t = inputs(report, docs);
  CHECK(t.units == std::vector<std::string>{"u1", "u2", "u3"});
  CHECK(t.columns == std::vector<std::string>{"copied_documents"});
  CHECK(t.values(0, 0) == 2);
  CHECK(t.values(1, 0) == 1);
  CHECK(t.values(2, 0) == 0);
  CHECK(message_of([&] {
          (void)inputs(report, std::span<const document>(docs).first(1));
        }).find("rectify.text.bad_option") != std::string::npos);
}

TEST_CASE("find_similar: bad options and bad text", "[similar]") {
  const std::vector<document> docs{{"u1", "a", "学习", "a.txt"}};
  const auto with = [&](auto change) {
    similar_options o;
    change(o);
    return message_of([&] { (void)find_similar(docs, o); });
  };
  CHECK(with([](similar_options& o) { o.threshold = 0; }) ==
        "[rectify.text.bad_option] threshold must be in (0, 1], not 0");
  CHECK(with([](similar_options& o) { o.threshold = 1.5; }) ==
        "[rectify.text.bad_option] threshold must be in (0, 1], not 1.5");
  CHECK(with([](similar_options& o) { o.threshold = std::nan(""); }) ==
        "[rectify.text.bad_option] threshold must be in (0, 1], not nan");
  CHECK(with([](similar_options& o) { o.k = 0; }) == "[rectify.text.bad_option] k must be 1 to 64 characters, not 0");
  CHECK(with([](similar_options& o) { o.k = 65; }) == "[rectify.text.bad_option] k must be 1 to 64 characters, not 65");
  CHECK(with([](similar_options& o) { o.hashes = 15; }) ==
        "[rectify.text.bad_option] hashes must be 16 to 1024, not 15");
  CHECK(with([](similar_options& o) { o.hashes = 1025; }) ==
        "[rectify.text.bad_option] hashes must be 16 to 1024, not 1025");
  CHECK(with([](similar_options& o) { o.min_passage = 0; }) ==
        "[rectify.text.bad_option] min_passage must be at least 1 character, not 0");
  CHECK(with([](similar_options& o) { o.threshold = 1; }) == "(no error)");
  // Text that is not UTF-8: the first bad document, named by its source, whatever the threads.
  const std::vector<document> bad{
      {"u1", "a", "正常", "a.txt"}, {"u2", "b", "ab\xff", "b.txt"}, {"u3", "c", "\xc3", "c.txt"}};
  for (unsigned t : {1u, 3u}) {
    similar_options o;
    o.threads = t;
    try {
      (void)find_similar(bad, o);
      FAIL("no error");
    } catch (const rectify::error& e) {
      CHECK(e.code() == "rectify.text.encoding");
      CHECK(std::string(e.what()).find("b.txt") != std::string::npos);
    }
  }
}
