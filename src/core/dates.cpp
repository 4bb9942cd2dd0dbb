#include "rectify/core/dates.hpp"

#include <cstdio>
#include <ctime>

namespace rectify {

namespace {

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian
// calendar over the whole range we accept, with no table and no time-zone database.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct ymd {
  int y;
  int m;
  int d;
};

constexpr ymd civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

constexpr bool is_leap(int y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr int days_in_month(int y, int m) noexcept {
  constexpr int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);

// Exactly `n` ASCII digits at `pos`; -1 otherwise. std::isdigit is locale-dependent and
// from_chars accepts a sign, so the digits are checked by hand.
int digits(std::string_view s, std::size_t pos, std::size_t n) noexcept {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::optional<ymd> parse_ymd(std::string_view s) noexcept {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return ymd{y, m, d};
}

// The buffers hold any int, not just the values callers pass (0-59, months, days): GCC's -O3
// range analysis cannot prove the narrower range and warns (-Wformat-truncation) otherwise.
std::string two(int v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

}  // namespace

std::optional<date> date::parse(std::string_view text) noexcept {
  if (text.size() != 10) return std::nullopt;
  auto v = parse_ymd(text);
  if (!v) return std::nullopt;
  return from_ymd(v->y, v->m, v->d);
}

date date::from_ymd(int y, int m, int d) noexcept {
  return date{static_cast<std::int32_t>(days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)))};
}

std::string date::str() const {
  auto v = civil_from_days(days);
  char buf[40];  // three ints, two dashes and the NUL, whatever the range (see two())
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.y, v.m, v.d);
  return buf;
}

int date::year() const noexcept {
  return civil_from_days(days).y;
}
int date::month() const noexcept {
  return civil_from_days(days).m;
}
int date::day() const noexcept {
  return civil_from_days(days).d;
}

std::optional<timestamp> timestamp::parse(std::string_view text) noexcept {
  auto day = parse_ymd(text);
  if (!day || text.size() < 19 || text[10] != 'T' || text[13] != ':' || text[16] != ':') return std::nullopt;
  int hh = digits(text, 11, 2), mm = digits(text, 14, 2), ss = digits(text, 17, 2);
  // 23:59:60 (a leap second) is not accepted: nothing in a ledger is recorded to that precision.
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) return std::nullopt;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;  // "09:30:00." has no fraction
  }
  std::int32_t offset = 0;
  std::string_view rest = text.substr(pos);
  if (rest == "Z") {
    offset = 0;
  } else {
    if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') return std::nullopt;
    int oh = digits(rest, 1, 2), om = digits(rest, 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
    offset = (rest[0] == '-' ? -1 : 1) * (oh * 60 + om);
  }
  std::int64_t local = days_from_civil(day->y, static_cast<unsigned>(day->m), static_cast<unsigned>(day->d)) * 86400 +
                       hh * 3600 + mm * 60 + ss;
  return timestamp{local - std::int64_t{offset} * 60, offset};
}

timestamp timestamp::now_local() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  if (!localtime_r(&t, &tm)) return timestamp{static_cast<std::int64_t>(t), 0};
  // tm_gmtoff is the offset in force at this instant (daylight saving included); rounding to
  // whole minutes is what the ±HH:MM text can carry.
  return timestamp{static_cast<std::int64_t>(t), static_cast<std::int32_t>(tm.tm_gmtoff / 60)};
}

date timestamp::local_date() const noexcept {
  std::int64_t local = utc_seconds + std::int64_t{offset_minutes} * 60;
  std::int64_t d = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  return date{static_cast<std::int32_t>(d)};
}

std::string timestamp::str() const {
  std::int64_t local = utc_seconds + std::int64_t{offset_minutes} * 60;
  std::int64_t d = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  auto secs = static_cast<int>(local - d * 86400);
  std::string out = date{static_cast<std::int32_t>(d)}.str();
  out += 'T' + two(secs / 3600) + ':' + two(secs / 60 % 60) + ':' + two(secs % 60);
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  out += (offset_minutes < 0 ? '-' : '+') + two(off / 60) + ':' + two(off % 60);
  return out;
}

}  // namespace rectify
