#include "rectify/text/normalize.hpp"

#include <utf8proc.h>

#include <array>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "rectify/core/error.hpp"

namespace rectify::text {

namespace {

// NFKC with case folding, as NFKC_Casefold does: compatibility decomposition folds full-width and
// circled forms (`１`, `Ａ`, `①`) onto the plain ones, case folding makes `A` and `a` one, and
// canonical composition (STABLE, as utf8proc's NFKC) puts accents back onto their letters.
// UTF8PROC_COMPAT does nothing without UTF8PROC_DECOMPOSE: utf8proc then only case-folds.
constexpr auto decompose_options =
    static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
constexpr auto compose_options = static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE);

// Separators (Z*), punctuation (P*), control/format/surrogate/private-use/unassigned (C*) carry
// no wording: two copies of one text differ in them first (spaces, full- vs half-width commas).
bool dropped(utf8proc_category_t c) noexcept {
  return c == UTF8PROC_CATEGORY_CN || (c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO) ||
         c >= UTF8PROC_CATEGORY_ZS;
}

bool mark(utf8proc_category_t c) noexcept {
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_ME;
}

// The fold of each ASCII character (0 when it is dropped), taken from utf8proc itself so that the
// fast path cannot disagree with the slow one.
const std::array<char32_t, 128>& ascii_folds() {
  static const std::array<char32_t, 128> table = [] {
    std::array<char32_t, 128> t{};
    for (utf8proc_int32_t c = 0; c < 128; ++c) {
      utf8proc_int32_t buf[4];
      utf8proc_int32_t boundclass = 0;
      const auto n = utf8proc_decompose_char(c, buf, 4, decompose_options, &boundclass);
      if (n == 1 && !dropped(utf8proc_category(buf[0]))) t[static_cast<std::size_t>(c)] = static_cast<char32_t>(buf[0]);
    }
    return t;
  }();
  return table;
}

// The CJK Unified Ideographs block is fully assigned (since Unicode 14), all Lo, with no
// decomposition and no case: each ideograph is its own fold, so utf8proc is not asked.
constexpr bool plain_ideograph(char32_t cp) noexcept {
  return cp >= 0x4E00 && cp <= 0x9FFF;
}

// Writes into the arrays of `normalized` sized ahead of time: three push_backs per character
// (each checking its capacity) cost more than the rest of the ideograph path together.
class writer {
 public:
  writer(normalized& out, std::size_t expected) : out_(out) { grow(expected); }

  // Inlined into the per-character loops, with the rare growth kept out of them.
  [[gnu::always_inline]] void keep(char32_t cp, std::uint32_t begin, std::uint32_t end) {
    if (size_ == capacity_) [[unlikely]]
      grow(capacity_ * 2 + 16);
    chars_[size_] = cp;
    begin_[size_] = begin;
    end_[size_] = end;
    ++size_;
  }

  // A combining mark left over after its character's own composition: composed with the kept
  // character just before it when that came from the adjacent original character (so `e` +
  // U+0301 gives `é`, as the precomposed `é` does), otherwise dropped (variation selectors,
  // stray accents, a mark after dropped punctuation).
  void attach_mark(char32_t m, std::uint32_t begin, std::uint32_t end) {
    if (size_ == 0 || end_[size_ - 1] != begin) return;
    utf8proc_int32_t pair[2] = {static_cast<utf8proc_int32_t>(chars_[size_ - 1]), static_cast<utf8proc_int32_t>(m)};
    if (utf8proc_normalize_utf32(pair, 2, compose_options) == 1) {
      chars_[size_ - 1] = static_cast<char32_t>(pair[0]);
      end_[size_ - 1] = end;
    }
  }

  void finish() {
    out_.chars.resize(size_);
    out_.begin.resize(size_);
    out_.end.resize(size_);
  }

 private:
  [[gnu::noinline]] void grow(std::size_t capacity) {
    out_.chars.resize(capacity);
    out_.begin.resize(capacity);
    out_.end.resize(capacity);
    chars_ = out_.chars.data();
    begin_ = out_.begin.data();
    end_ = out_.end.data();
    capacity_ = capacity;
  }

  normalized& out_;
  char32_t* chars_ = nullptr;
  std::uint32_t* begin_ = nullptr;
  std::uint32_t* end_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
};

// Everything but ASCII and the plain ideographs: utf8proc folds the character into one or more
// code points (㈱ → `(株)`, ﷺ → 18 letters), each then kept or dropped by its own category.
void fold_slow(writer& out, char32_t cp, std::uint32_t begin, std::uint32_t end) {
  std::array<utf8proc_int32_t, 32> small{};
  std::vector<utf8proc_int32_t> large;
  utf8proc_int32_t* buf = small.data();
  utf8proc_int32_t boundclass = 0;
  auto n =
      utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buf, small.size(), decompose_options, &boundclass);
  if (n > static_cast<utf8proc_ssize_t>(small.size())) {  // no Unicode 15 character does this; future ones might
    large.resize(static_cast<std::size_t>(n));
    buf = large.data();
    n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buf, n, decompose_options, &boundclass);
  }
  if (n <= 0) return;  // only a code point outside Unicode fails, and the decoder lets none through
  if (n > 1) n = utf8proc_normalize_utf32(buf, n, compose_options);
  for (utf8proc_ssize_t k = 0; k < n; ++k) {
    const utf8proc_category_t c = utf8proc_category(buf[k]);
    if (dropped(c)) continue;
    if (mark(c))
      out.attach_mark(static_cast<char32_t>(buf[k]), begin, end);
    else
      out.keep(static_cast<char32_t>(buf[k]), begin, end);
  }
}

// The fold of the non-ideographs that fill Chinese text (Latin-1 and other two-byte letters,
// general punctuation “”‘’—…, CJK punctuation and kana, full-width forms), looked up instead of
// asking utf8proc each time. Built from utf8proc through the same rule as fold_slow, so the two
// cannot disagree: `dropped_fold` when nothing is kept (`，` → `,`), `slow_fold` when several code
// points or a combining mark would be (`ß` → `ss`, `゛` → space + U+3099), else the one code point
// kept (`１` → `1`, `Ａ` → `a`, `É` → `é`).
constexpr char32_t dropped_fold = 0;
constexpr char32_t slow_fold = 0xFFFFFFFF;

struct hot_range {
  char32_t first, last;
  std::size_t offset;
};
constexpr std::array<hot_range, 4> hot_ranges{
    {{0x0080, 0x07FF, 0}, {0x2000, 0x206F, 0x780}, {0x3000, 0x30FF, 0x7F0}, {0xFF00, 0xFFEF, 0x8F0}}};
constexpr std::size_t hot_size = 0x8F0 + 0xF0;

const std::array<char32_t, hot_size>& hot_folds() {
  static const std::array<char32_t, hot_size> table = [] {
    std::array<char32_t, hot_size> t{};
    for (const auto& r : hot_ranges) {
      for (char32_t cp = r.first; cp <= r.last; ++cp) {
        std::array<utf8proc_int32_t, 32> buf{};
        utf8proc_int32_t boundclass = 0;
        auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buf.data(), buf.size(), decompose_options,
                                         &boundclass);
        char32_t entry = slow_fold;
        if (n > 0 && n <= static_cast<utf8proc_ssize_t>(buf.size())) {
          if (n > 1) n = utf8proc_normalize_utf32(buf.data(), n, compose_options);
          std::size_t kept = 0, marks = 0;
          char32_t last = 0;
          for (utf8proc_ssize_t k = 0; k < n; ++k) {
            const utf8proc_category_t c = utf8proc_category(buf[static_cast<std::size_t>(k)]);
            if (dropped(c)) continue;
            if (mark(c)) {
              ++marks;
            } else {
              ++kept;
              last = static_cast<char32_t>(buf[static_cast<std::size_t>(k)]);
            }
          }
          if (marks == 0 && kept == 0) entry = dropped_fold;
          if (marks == 0 && kept == 1) entry = last;
        }
        t[r.offset + (cp - r.first)] = entry;
      }
    }
    return t;
  }();
  return table;
}

char32_t hot_fold(const std::array<char32_t, hot_size>& table, char32_t cp) noexcept {
  for (const auto& r : hot_ranges)
    if (cp >= r.first && cp <= r.last) return table[r.offset + (cp - r.first)];
  return slow_fold;
}

// The line (1-based; LF, CRLF and lone CR each end one) and column (1-based, in characters, the
// BOM not counted) of the byte at `offset`, which starts a character of the valid prefix.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset, std::size_t bom) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = bom; i < offset; ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == '\n' || (b == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
      column = 1;
    } else if (b != '\r' && (b & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

[[noreturn, gnu::noinline, gnu::cold]] void raise_encoding(std::string_view text, std::size_t offset, std::size_t bom,
                                                           const char* why, std::string_view source) {
  std::string msg = "invalid UTF-8 (byte ";
  msg += byte_text(static_cast<unsigned char>(text[offset]));
  msg += " at offset ";
  msg += std::to_string(offset);
  msg += "): ";
  msg += why;
  std::string where;
  if (!source.empty()) {
    const auto [line, column] = line_column(text, offset, bom);
    where = source;
    where += ':';
    where += std::to_string(line);
    where += ':';
    where += std::to_string(column);
  }
  raise("rectify.text.encoding", "", std::move(msg), std::move(where));
}

struct decoded {
  char32_t cp = 0;
  std::uint32_t len = 0;
  const char* error = nullptr;  ///< why the bytes at the offset are not a character
};

// The character starting at p[i] (not ASCII). Unicode table 3-7: the second byte's range
// depends on the first, which rules out overlongs, surrogates and anything above U+10FFFF.
decoded decode(const unsigned char* p, std::uint32_t n, std::uint32_t i) noexcept {
  const auto continuation = [&](std::uint32_t at) { return at < n && (p[at] & 0xC0) == 0x80; };
  const unsigned char b0 = p[i];
  decoded d;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 < 0xC0) return {0, 0, "a continuation byte where a character should start"};
  if (b0 < 0xC2) return {0, 0, "an overlong encoding (of an ASCII character)"};
  if (b0 < 0xE0) {
    d.len = 2;
  } else if (b0 < 0xF0) {
    d.len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 < 0xF5) {
    d.len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return {0, 0, "a byte that never occurs in UTF-8"};
  }
  if (!continuation(i + 1)) return {0, 0, "an incomplete character"};
  const unsigned char b1 = p[i + 1];
  if (b1 < lo) return {0, 0, "an overlong encoding"};
  if (b1 > hi) return {0, 0, b0 == 0xED ? "an encoded surrogate (U+D800-U+DFFF)" : "a code point above U+10FFFF"};
  for (std::uint32_t k = 2; k < d.len; ++k)
    if (!continuation(i + k)) return {0, 0, "an incomplete character"};
  if (d.len == 2) {
    d.cp = (char32_t{b0} & 0x1F) << 6 | (char32_t{b1} & 0x3F);
  } else if (d.len == 3) {
    d.cp = (char32_t{b0} & 0x0F) << 12 | (char32_t{b1} & 0x3F) << 6 | (char32_t{p[i + 2]} & 0x3F);
  } else {
    d.cp = (char32_t{b0} & 0x07) << 18 | (char32_t{b1} & 0x3F) << 12 | (char32_t{p[i + 2]} & 0x3F) << 6 |
           (char32_t{p[i + 3]} & 0x3F);
  }
  return d;
}

// How many characters `bytes` holds (assuming it is UTF-8): an upper bound on what is kept, save
// for the rare characters that fold into several.
std::size_t count_chars(const unsigned char* p, std::size_t n) noexcept {
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) count += static_cast<std::size_t>((p[i] & 0xC0) != 0x80);
  return count;
}

}  // namespace

normalized normalize(std::string_view utf8, std::string_view source) {
  if (utf8.size() > std::numeric_limits<std::uint32_t>::max()) {
    std::string msg = "the text is ";
    msg += std::to_string(utf8.size());
    msg += " bytes; at most 4 GiB - 1 can be compared";
    raise("rectify.text.too_large", "", std::move(msg), std::string(source));
  }
  const auto& ascii = ascii_folds();
  const auto& hot = hot_folds();
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto n = static_cast<std::uint32_t>(utf8.size());
  std::uint32_t i = 0;
  if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) i = 3;
  const std::uint32_t bom = i;

  normalized result;
  writer out(result, count_chars(p + i, n - i));

  while (i < n) {
    const unsigned char b0 = p[i];
    if (b0 < 0x80) {
      if (const char32_t f = ascii[b0]) out.keep(f, i, i + 1);
      ++i;
      continue;
    }
    // Most of a Chinese text: a three-byte ideograph (leads E4-E9 take any second byte, so
    // there is nothing to rule out but a missing continuation).
    if (b0 >= 0xE4 && b0 <= 0xE9 && n - i >= 3 && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
      const char32_t cp = (char32_t{b0} & 0x0F) << 12 | (char32_t{p[i + 1]} & 0x3F) << 6 | (char32_t{p[i + 2]} & 0x3F);
      if (plain_ideograph(cp)) {
        out.keep(cp, i, i + 3);
        i += 3;
        continue;
      }
    }
    const decoded d = decode(p, n, i);
    if (d.error != nullptr) raise_encoding(utf8, i, bom, d.error, source);
    const char32_t cp = d.cp;
    const std::uint32_t len = d.len;
    if (plain_ideograph(cp)) {
      out.keep(cp, i, i + len);
    } else if (const char32_t f = hot_fold(hot, cp); f != slow_fold) {
      if (f != dropped_fold) out.keep(f, i, i + len);
    } else {
      fold_slow(out, cp, i, i + len);
    }
    i += len;
  }
  out.finish();
  return result;
}

std::string to_utf8(std::u32string_view chars) {
  std::string out;
  out.reserve(chars.size() * 3);
  for (char32_t c : chars) {
    // Not a Unicode scalar value (a surrogate, or above U+10FFFF): U+FFFD, so that the result is
    // always valid UTF-8 (utf8proc would write a surrogate as three invalid bytes).
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) c = 0xFFFD;
    utf8proc_uint8_t buf[4];
    const auto len = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(len));
  }
  return out;
}

}  // namespace rectify::text
