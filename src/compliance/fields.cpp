#include "fields.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace rectify::compliance::detail {
namespace {

bool digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Reads 1+ digits at s[i...] into v (at most `max_digits`); false when there are none.
bool read_digits(std::string_view s, std::size_t& i, int& v, std::size_t max_digits) noexcept {
  const std::size_t start = i;
  v = 0;
  while (i < s.size() && digit(s[i]) && i - start < max_digits) v = v * 10 + (s[i++] - '0');
  return i > start && (i >= s.size() || !digit(s[i]));
}

bool eat(std::string_view s, std::size_t& i, std::string_view token) noexcept {
  if (s.substr(i).starts_with(token)) {
    i += token.size();
    return true;
  }
  return false;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::optional<date> parse_day(std::string_view s) noexcept {
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') return date::parse(s);  // the common case
  std::size_t i = 0;
  int y = 0, m = 0, d = 0;
  if (!read_digits(s, i, y, 4) || i != 4) return std::nullopt;
  const bool chinese = eat(s, i, "年");
  char sep = 0;
  if (!chinese) {
    if (i >= s.size() || (s[i] != '-' && s[i] != '/' && s[i] != '.')) return std::nullopt;
    sep = s[i++];
  }
  if (!read_digits(s, i, m, 2)) return std::nullopt;
  if (chinese ? !eat(s, i, "月") : (i >= s.size() || s[i++] != sep)) return std::nullopt;
  if (!read_digits(s, i, d, 2)) return std::nullopt;
  if (chinese && !eat(s, i, "日") && !eat(s, i, "号")) return std::nullopt;
  if (i != s.size() || y < 1 || m < 1 || m > 12 || d < 1) return std::nullopt;
  char iso[32];  // room for any int, so that -O3 sees no truncation
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
  return date::parse(iso);  // rejects days the month does not have
}

std::optional<std::int64_t> parse_whole(std::string_view s) noexcept {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || !digit(s.front())) return std::nullopt;
  std::size_t n = 0;
  while (n < s.size() && digit(s[n])) ++n;
  if (n > 15) return std::nullopt;
  if (n < s.size()) {
    // Only a fraction of zeros: pandas writes an integer column with a gap as 12.0.
    if (s[n] != '.' || n + 1 == s.size()) return std::nullopt;
    for (std::size_t i = n + 1; i < s.size(); ++i)
      if (s[i] != '0') return std::nullopt;
  }
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + n, v);
  return v;
}

std::optional<bool> parse_flag(std::string_view s) noexcept {
  if (s == "是" || s == "有" || s == "√" || s == "✓") return true;
  if (s == "否" || s == "无" || s == "×" || s == "✗") return false;
  if (s.size() > 5) return std::nullopt;
  const std::string l = lower_ascii(s);
  if (l == "yes" || l == "y" || l == "true" || l == "1") return true;
  if (l == "no" || l == "n" || l == "false" || l == "0") return false;
  return std::nullopt;
}

std::string shown(std::string_view s) {
  constexpr std::size_t limit = 60;
  if (s.size() <= limit) return quoted(s);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  std::string head(s.substr(0, cut));
  head += "...";
  return quoted(head);
}

std::string earlier_row(const io::text_table& t, std::size_t row) {
  std::string where = t.place(row, -1);
  where.erase(0, std::min(where.size(), t.source().size() + 1));
  if (where.starts_with("row ")) return where;
  std::string out = "line ";
  out += where;
  return out;
}

void problems::add(std::string code, std::size_t row, std::ptrdiff_t column, std::string message) {
  if (count_++ < kept) list_.push_back(problem{std::move(code), "", std::move(message), table_.place(row, column)});
}

void problems::add_file(std::string code, std::string message) {
  if (count_++ < kept) list_.push_back(problem{std::move(code), "", std::move(message), table_.source()});
}

void problems::raise_if_any() {
  if (count_ == 0) return;
  if (count_ > kept) {
    problem more = list_.back();
    more.message = "... and " + std::to_string(count_ - kept) + " more problems";
    more.code = "rectify.compliance.more";
    more.source = table_.source();
    list_.push_back(std::move(more));
  }
  raise(std::move(list_));
}

std::vector<std::ptrdiff_t> find_columns(const io::text_table& t, const std::vector<std::string_view>& names,
                                         const std::vector<bool>& required, problems& out) {
  std::vector<std::ptrdiff_t> at(names.size(), -1);
  for (std::size_t k = 0; k < names.size(); ++k) {
    at[k] = t.find(names[k]);
    if (at[k] >= 0 || !required[k]) continue;
    std::string msg = "the header has no column " + quoted(names[k]) + "; its columns are ";
    constexpr std::size_t listed = 14;
    for (std::size_t j = 0; j < t.header().size() && j < listed; ++j) {
      if (j != 0) msg += ", ";
      msg += shown(t.header()[j]);
    }
    if (t.header().size() > listed) msg += ", ...";
    out.add_file("rectify.compliance.missing_column", std::move(msg));
  }
  return at;
}

}  // namespace rectify::compliance::detail
