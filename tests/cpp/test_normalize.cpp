#include "rectify/text/normalize.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"
#include "support.hpp"

using rectify::test::message_of;
using rectify::text::normalize;
using rectify::text::to_utf8;

namespace {

using ranges = std::vector<std::uint32_t>;

// What each kept character was written as: the original bytes its range covers.
std::vector<std::string> originals(std::string_view text, const rectify::text::normalized& n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n.size(); ++i) out.emplace_back(text.substr(n.begin[i], n.end[i] - n.begin[i]));
  return out;
}

std::string encoding_error(std::string_view text, std::string_view source = "d.txt") {
  return message_of([&] { (void)normalize(text, source); });
}

}  // namespace

TEST_CASE("normalize: full-width digits and letters become ASCII, mapped to their 3 bytes", "[text][normalize]") {
  const std::string text = "１２ＡＢ";
  const auto n = normalize(text);
  CHECK(n.chars == U"12ab");
  CHECK(n.begin == ranges{0, 3, 6, 9});
  CHECK(n.end == ranges{3, 6, 9, 12});
  CHECK(originals(text, n) == std::vector<std::string>{"１", "２", "Ａ", "Ｂ"});
}

TEST_CASE("normalize: Chinese and ASCII punctuation is dropped", "[text][normalize]") {
  const auto n = normalize("甲，。、；：“”‘’《》（）【】—…·!?,.;:\"'()-乙「」『』〔〕〜＿");
  CHECK(n.chars == U"甲乙");
  CHECK(n.begin == ranges{0, 3 + 17 * 3 + 2 + 11});  // 甲, 17 marks of 3 bytes, · (2 bytes), 11 ASCII marks
  CHECK(n.size() == 2);
}

TEST_CASE("normalize: whitespace of every kind and line breaks are dropped", "[text][normalize]") {
  // space, tab, LF, CR LF, ideographic space U+3000, no-break space, zero-width space (Cf),
  // line separator U+2028
  const std::string text = "甲 \t\n\r\n乙\u3000丙\u00a0丁\u200b戊\u2028己";
  const auto n = normalize(text);
  CHECK(n.chars == U"甲乙丙丁戊己");
  CHECK(originals(text, n) == std::vector<std::string>{"甲", "乙", "丙", "丁", "戊", "己"});
}

TEST_CASE("normalize: enclosed and parenthesised forms fold to what they enclose", "[text][normalize]") {
  // ① U+2460 <circle> 0031; ㈱ U+3231 <compat> ( 682A ); ⒈ U+2488 <compat> 0031 002E;
  // ⼀ KANGXI RADICAL ONE U+2F00 <compat> 4E00; 豈 U+F900 canonically 8C48
  const std::string text = "第①条㈱⒈⼀豈";
  const auto n = normalize(text);
  CHECK(n.chars == U"第1条株1一\u8c48");
  CHECK(originals(text, n) == std::vector<std::string>{"第", "①", "条", "㈱", "⒈", "⼀", "豈"});
}

TEST_CASE("normalize: letters are case-folded", "[text][normalize]") {
  // CaseFolding.txt: ß → ss (full folding), Σ and final ς → σ, Ａ → ａ → a
  const std::string text = "ABC Straße ΣΑΣ ς Ａ";
  const auto n = normalize(text);
  CHECK(n.chars == U"abcstrasseσασσa");
  // both s of ß come from its two bytes
  CHECK(n.begin[7] == 8);
  CHECK(n.end[7] == 10);
  CHECK(n.begin[8] == 8);
  CHECK(n.end[8] == 10);
}

TEST_CASE("normalize: symbols, digits and letters of other scripts are kept", "[text][normalize]") {
  // $ + < = > ^ ` | ~ are symbols (S*), not punctuation; ¥ ² ½ fold to ¥, 2, 1⁄2 (⁄ is Sm);
  // the full-width tilde ～ (often written for ranges, 1～3月) folds to ~ (Sm), kept
  const auto n = normalize("$+<=>^`|~¥²½ひらカタ한글～");
  CHECK(n.chars == U"$+<=>^`|~\u00a521\u20442ひらカタ한글~");
}

TEST_CASE("normalize: accents compose whichever way they were written", "[text][normalize]") {
  const std::string precomposed = "é";  // U+00E9
  const std::string decomposed = "e\u0301";
  const auto a = normalize(precomposed);
  const auto b = normalize(decomposed);
  CHECK(a.chars == U"\u00e9");
  CHECK(b.chars == U"\u00e9");
  CHECK(b.begin == ranges{0});
  CHECK(b.end == ranges{3});  // e and the combining acute
  CHECK(normalize("É").chars == U"\u00e9");
  CHECK(normalize("が").chars == U"\u304c");        // が decomposes to か + U+3099, composed back
  CHECK(normalize("か\u3099").chars == U"\u304c");  // the same, written decomposed
  CHECK(normalize("ｶﾞ").chars == U"\u30ac");        // half-width katakana: ｶ + ﾞ → カ + U+3099 → ガ
}

TEST_CASE("normalize: marks that compose with nothing are dropped", "[text][normalize]") {
  // an ideographic variation selector (Mn) after 葛, a combining acute after a dropped comma
  // and at the very start, an enclosing keycap (Me)
  const std::string text = "\u0301葛\U000E0100，\u03011\u20e3";
  const auto n = normalize(text);
  CHECK(n.chars == U"葛1");
  CHECK(originals(text, n) == std::vector<std::string>{"葛", "1"});
}

TEST_CASE("normalize: byte ranges give each character as written", "[text][normalize]") {
  const std::string text = "a１，b\xf0\xa0\x80\x80Ｚ";  // U+20000 (4 bytes, slow path), Ｚ
  const auto n = normalize(text);
  CHECK(n.chars == U"a1b\U00020000z");
  CHECK(n.begin == ranges{0, 1, 7, 8, 12});
  CHECK(n.end == ranges{1, 4, 8, 12, 15});
  CHECK(originals(text, n) == std::vector<std::string>{"a", "１", "b", "\xf0\xa0\x80\x80", "Ｚ"});
}

TEST_CASE("normalize: empty text, one character, nothing kept", "[text][normalize]") {
  CHECK(normalize("").size() == 0);
  CHECK(normalize("", "d.txt").chars.empty());
  const auto one = normalize("甲");
  CHECK(one.chars == U"甲");
  CHECK(one.begin == ranges{0});
  CHECK(one.end == ranges{3});
  CHECK(normalize("A").chars == U"a");
  const auto none = normalize("，。 \n");
  CHECK(none.size() == 0);
  CHECK(none.begin.empty());
  CHECK(none.end.empty());
}

TEST_CASE("normalize: a leading byte-order mark is dropped, offsets still count it", "[text][normalize]") {
  CHECK(normalize("\xef\xbb\xbf").size() == 0);
  const auto n = normalize("\xef\xbb\xbf甲");
  CHECK(n.chars == U"甲");
  CHECK(n.begin == ranges{3});
  CHECK(n.end == ranges{6});
  // U+FEFF elsewhere is a format character (Cf), dropped as such
  CHECK(normalize("甲\xef\xbb\xbf乙").chars == U"甲乙");
}

TEST_CASE("normalize: invalid UTF-8 is named by offset, line and column", "[text][normalize]") {
  CHECK(encoding_error("ab\xc0\xaf") ==
        "d.txt:1:3: [rectify.text.encoding] invalid UTF-8 (byte 0xc0 at offset 2): an overlong encoding (of an "
        "ASCII character)");
  CHECK(encoding_error("\xe0\x80\xaf") ==
        "d.txt:1:1: [rectify.text.encoding] invalid UTF-8 (byte 0xe0 at offset 0): an overlong encoding");
  CHECK(encoding_error("\xf0\x8f\xbf\xbf") ==
        "d.txt:1:1: [rectify.text.encoding] invalid UTF-8 (byte 0xf0 at offset 0): an overlong encoding");
  // truncated at the end, on line 2 after 乙
  CHECK(encoding_error("甲\n乙\xe4\xb8") ==
        "d.txt:2:2: [rectify.text.encoding] invalid UTF-8 (byte 0xe4 at offset 7): an incomplete character");
  // truncated by the next character
  CHECK(encoding_error("甲\xe4\xb8乙") ==
        "d.txt:1:2: [rectify.text.encoding] invalid UTF-8 (byte 0xe4 at offset 3): an incomplete character");
  CHECK(encoding_error("\xf0\x9f\x98") ==
        "d.txt:1:1: [rectify.text.encoding] invalid UTF-8 (byte 0xf0 at offset 0): an incomplete character");
  // U+D800 and U+DFFF encoded as if they were characters
  CHECK(encoding_error("x\xed\xa0\x80") ==
        "d.txt:1:2: [rectify.text.encoding] invalid UTF-8 (byte 0xed at offset 1): an encoded surrogate "
        "(U+D800-U+DFFF)");
  CHECK(encoding_error("\xed\xbf\xbf") ==
        "d.txt:1:1: [rectify.text.encoding] invalid UTF-8 (byte 0xed at offset 0): an encoded surrogate "
        "(U+D800-U+DFFF)");
  CHECK(encoding_error("\xf4\x90\x80\x80") ==
        "d.txt:1:1: [rectify.text.encoding] invalid UTF-8 (byte 0xf4 at offset 0): a code point above U+10FFFF");
  CHECK(encoding_error("a\x80") ==
        "d.txt:1:2: [rectify.text.encoding] invalid UTF-8 (byte 0x80 at offset 1): a continuation byte where a "
        "character should start");
  CHECK(encoding_error("\xf8\x88\x80\x80\x80") ==
        "d.txt:1:1: [rectify.text.encoding] invalid UTF-8 (byte 0xf8 at offset 0): a byte that never occurs in "
        "UTF-8");
}

TEST_CASE("normalize: lines end at LF, CR LF and CR; columns count characters", "[text][normalize]") {
  // 一 CR LF | 二 CR | 三 LF | 四五 then 0xFF: line 4, column 3, offset 3+2+3+1+3+1+3+3 = 19
  CHECK(encoding_error("一\r\n二\r三\n四五\xff") ==
        "d.txt:4:3: [rectify.text.encoding] invalid UTF-8 (byte 0xff at offset 19): a byte that never occurs in "
        "UTF-8");
  // the BOM is not a column, but it is an offset
  CHECK(encoding_error("\xef\xbb\xbf甲\xff") ==
        "d.txt:1:2: [rectify.text.encoding] invalid UTF-8 (byte 0xff at offset 6): a byte that never occurs in "
        "UTF-8");
  // punctuation and spaces count as columns like any character
  CHECK(encoding_error("a，b c\xc1\x81") ==
        "d.txt:1:6: [rectify.text.encoding] invalid UTF-8 (byte 0xc1 at offset 7): an overlong encoding (of an "
        "ASCII character)");
}

TEST_CASE("normalize: without a source the error names the offset only", "[text][normalize]") {
  try {
    (void)normalize("一\n二\xff");
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(e.code() == "rectify.text.encoding");
    CHECK(e.path().empty());
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems()[0].source.empty());
    CHECK(std::string(e.what()) ==
          "[rectify.text.encoding] invalid UTF-8 (byte 0xff at offset 7): a byte that never occurs in UTF-8");
  }
}

TEST_CASE("normalize: well-formed UTF-8 of every length is accepted at the edges", "[text][normalize]") {
  // U+0080, U+07FF, U+0800 (Samaritan letter, Lo), U+D7FB, U+E000 (private use, dropped),
  // U+FFFD (So, kept), U+10000 (Linear B, Lo), U+10FFFF (noncharacter, dropped)
  const auto n = normalize(
      "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbb\xee\x80\x80\xef\xbf\xbd\xf0\x90\x80\x80"
      "\xf4\x8f\xbf\xbf");
  // U+0080 is a control (dropped); U+07FF is NKo taman sign (Sc, kept); U+D7FB is a Hangul jamo (Lo)
  CHECK(n.chars == U"\u07ff\u0800\ud7fb\ufffd\U00010000");
}

TEST_CASE("to_utf8: encodes kept characters and round-trips normalised text", "[text][normalize]") {
  CHECK(to_utf8(U"") == "");
  CHECK(to_utf8(U"a\u00e9\u4e2d\U0001F600") == "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80");
  CHECK(to_utf8(normalize("１２ＡＢ，甲乙。").chars) == "12ab甲乙");
  // normalised text is a fixed point: normalising its UTF-8 again changes nothing
  const auto once = normalize("第①条：Ｅ\u0301ｶﾞ㈱　2026年5月");
  CHECK(to_utf8(once.chars) == "第1条\u00e9\u30ac株2026年5月");
  CHECK(normalize(to_utf8(once.chars)).chars == once.chars);
  // not Unicode scalar values: U+FFFD rather than invalid bytes
  CHECK(to_utf8(std::u32string{char32_t{0xD800}, U'a', char32_t{0x110000}}) ==
        "\xef\xbf\xbd"
        "a\xef\xbf\xbd");
}

TEST_CASE("normalize: every code point alone maps to its own bytes and is a fixed point", "[text][normalize]") {
  // Over all of Unicode, so that the lookup tables (ASCII, ideographs, the blocks around them)
  // and utf8proc's own path are held to the same two rules: whatever one character gives covers
  // exactly its bytes, and normalising the result again changes nothing.
  std::size_t kept = 0, failures = 0;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const std::string s = to_utf8(std::u32string(1, cp));
    if (cp == 0xFEFF) continue;  // a leading BOM is skipped rather than dropped: its own test
    const auto n = normalize(s);
    bool ok = n.begin.size() == n.size() && n.end.size() == n.size();
    for (std::size_t k = 0; ok && k < n.size(); ++k) ok = n.begin[k] == 0 && n.end[k] == s.size();
    ok = ok && normalize(to_utf8(n.chars)).chars == n.chars;
    if (!ok && ++failures <= 5) FAIL_CHECK("U+" << std::hex << static_cast<std::uint32_t>(cp));
    kept += n.size() != 0;
  }
  CHECK(failures == 0);
  // Unicode 15 assigns about 149,000 characters that are neither punctuation, separators nor
  // controls; most of them are kept (a sanity check that the loop saw the text at all).
  CHECK(kept > 140000);
}
