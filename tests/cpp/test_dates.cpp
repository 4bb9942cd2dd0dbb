// Calendar dates and instants with an offset (core/dates.hpp). Day numbers are counted by hand
// from 1970-01-01: 56 years to 2026 with 14 leap days (1972…2024), so 2026-01-01 is day 20454.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "rectify/core/dates.hpp"

using rectify::date;
using rectify::timestamp;

namespace {

date d(const char* s) {
  auto v = date::parse(s);
  REQUIRE(v.has_value());
  return *v;
}

timestamp t(const char* s) {
  auto v = timestamp::parse(s);
  INFO(s);
  REQUIRE(v.has_value());
  return *v;
}

// Sets TZ for the lifetime of the object and puts the old value back, so that one test's
// zone does not leak into another.
class scoped_tz {
 public:
  explicit scoped_tz(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  ~scoped_tz() {
    if (old_)
      ::setenv("TZ", old_->c_str(), 1);
    else
      ::unsetenv("TZ");
    ::tzset();
  }
  scoped_tz(const scoped_tz&) = delete;
  scoped_tz& operator=(const scoped_tz&) = delete;

 private:
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("dates: day numbers count from 1970-01-01", "[dates]") {
  CHECK(d("1970-01-01").days == 0);
  CHECK(d("1970-01-02").days == 1);
  CHECK(d("1969-12-31").days == -1);
  CHECK(d("2026-01-01").days == 20454);
  CHECK(d("2026-04-02").days == 20454 + 31 + 28 + 31 + 1);
  // 30 years with 7 leap days (1972…1996) to 2000-01-01, then January and a leap February.
  CHECK(d("2000-03-01").days == 30 * 365 + 7 + 31 + 29);
  CHECK(d("0001-01-01").days == -719162);
  CHECK(d("9999-12-31").days == 2932896);
  CHECK(date::from_ymd(2026, 4, 2) == d("2026-04-02"));
}

TEST_CASE("dates: leap years follow the Gregorian rule", "[dates]") {
  CHECK(date::parse("2024-02-29"));
  CHECK(date::parse("2000-02-29"));        // divisible by 400
  CHECK_FALSE(date::parse("1900-02-29"));  // divisible by 100 only
  CHECK_FALSE(date::parse("2026-02-29"));
  CHECK(d("2024-03-01") - d("2024-02-28") == 2);
  CHECK(d("2026-03-01") - d("2026-02-28") == 1);
  CHECK(d("2025-01-01") - d("2024-01-01") == 366);
}

TEST_CASE("dates: only a real day written YYYY-MM-DD parses", "[dates]") {
  for (const char* bad : {"", "2026-6-30", "2026-06-3", "2026/06/30", "20260630", "2026-06-30 ", " 2026-06-30",
                          "2026-06-30T00:00:00", "+026-06-30", "2026-13-01", "2026-00-10", "2026-01-00", "2026-04-31",
                          "0000-01-01", "10000-01-01", "2026-0a-01", "２０２６-06-30"}) {
    INFO(bad);
    CHECK_FALSE(date::parse(bad));
  }
  CHECK(date::parse("0001-01-01"));
  CHECK(date::parse("9999-12-31"));
}

TEST_CASE("dates: a date prints as it was written and splits into its parts", "[dates]") {
  for (const char* s : {"2026-06-30", "0001-01-01", "9999-12-31", "1969-12-31", "2024-02-29"}) CHECK(d(s).str() == s);
  auto x = d("2026-04-02");
  CHECK(x.year() == 2026);
  CHECK(x.month() == 4);
  CHECK(x.day() == 2);
  CHECK((x + 30).str() == "2026-05-02");
  CHECK((x + -92).str() == "2025-12-31");
  CHECK(d("2026-04-01") < x);
}

TEST_CASE("dates: an instant needs an offset and is stored in UTC", "[dates]") {
  const std::int64_t day = 20545;  // 2026-04-02
  auto a = t("2026-04-02T09:30:00+08:00");
  CHECK(a.utc_seconds == day * 86400 + 3600 + 1800);  // 01:30 UTC
  CHECK(a.offset_minutes == 480);
  auto z = t("2026-04-02T01:30:00Z");
  CHECK(z.offset_minutes == 0);
  CHECK(a == z);  // the same instant
  auto w = t("2026-04-01T20:00:00-05:30");
  CHECK(w.offset_minutes == -330);
  CHECK(w.utc_seconds == day * 86400 + 3600 + 1800);  // also 01:30 UTC on the 2nd
  CHECK(w == a);
  CHECK(t("2026-04-02T09:29:59+08:00") < a);
  CHECK(t("2026-04-02T09:30:00.123456+08:00") == a);  // fractions are dropped
  CHECK(t("2026-04-02T09:30:00.9+08:00").str() == "2026-04-02T09:30:00+08:00");
}

TEST_CASE("dates: malformed instants are refused", "[dates]") {
  for (const char* bad :
       {"2026-04-02T09:30:00", "2026-04-02 09:30:00+08:00", "2026-04-02T09:30+08:00", "2026-04-02T24:00:00Z",
        "2026-04-02T09:60:00Z", "2026-04-02T09:30:60Z", "2026-04-02T09:30:00+0800", "2026-04-02T09:30:00+24:00",
        "2026-04-02T09:30:00+08:60", "2026-04-02T09:30:00z", "2026-04-02T09:30:00.+08:00", "2026-04-02T09:30:00Z ",
        "2026-02-29T09:30:00Z", "2026-04-02", "2026-04-02t09:30:00Z", "2026-04-02T9:30:00Z"}) {
    INFO(bad);
    CHECK_FALSE(timestamp::parse(bad));
  }
}

TEST_CASE("dates: an instant's date is read in its own offset", "[dates]") {
  // 23:30 at -05:00 is already the 3rd in UTC; 00:30 at +08:00 is still the 2nd in UTC.
  CHECK(t("2026-04-02T23:30:00-05:00").local_date() == d("2026-04-02"));
  CHECK(t("2026-04-03T00:30:00+08:00").local_date() == d("2026-04-03"));
  CHECK(t("2026-04-02T16:30:00Z").local_date() == d("2026-04-02"));
  CHECK(t("1969-12-31T23:59:59Z").local_date() == d("1969-12-31"));  // before the epoch: floor, not truncation
  CHECK(t("1970-01-01T07:00:00+08:00").local_date() == d("1970-01-01"));
}

TEST_CASE("dates: an instant prints with its offset", "[dates]") {
  CHECK(t("2026-04-02T09:30:00+08:00").str() == "2026-04-02T09:30:00+08:00");
  CHECK(t("2026-04-02T09:30:00Z").str() == "2026-04-02T09:30:00+00:00");
  CHECK(t("2026-04-01T20:05:09-05:30").str() == "2026-04-01T20:05:09-05:30");
  CHECK(t("1969-12-31T23:59:59-00:30").str() == "1969-12-31T23:59:59-00:30");
  CHECK(t("0001-01-01T00:00:00Z").str() == "0001-01-01T00:00:00+00:00");
}

TEST_CASE("dates: now is local time with the zone's offset", "[dates]") {
  {
    scoped_tz tz("UTC-8");  // POSIX: eight hours east of UTC, i.e. +08:00
    const std::int64_t before = std::time(nullptr);
    auto now = timestamp::now_local();
    const std::int64_t after = std::time(nullptr);
    CHECK(now.offset_minutes == 480);
    CHECK(now.utc_seconds >= before);
    CHECK(now.utc_seconds <= after);
    CHECK(now.str().substr(19) == "+08:00");
  }
  {
    scoped_tz tz("NST+3:30");  // three and a half hours west: -03:30
    CHECK(timestamp::now_local().offset_minutes == -210);
  }
}
