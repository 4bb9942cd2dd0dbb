// The cell readers every compliance check shares (src/compliance/fields.hpp): a date, a whole
// number or a yes/no must mean the same in meeting records, survey responses and risk registers.
#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "../../src/compliance/fields.hpp"
#include "rectify/core/error.hpp"

using rectify::date;
using namespace rectify::compliance::detail;

TEST_CASE("parse_day accepts the forms people type", "[compliance][fields]") {
  const date d = date::from_ymd(2026, 3, 5);
  CHECK(parse_day("2026-03-05") == d);
  CHECK(parse_day("2026-3-5") == d);
  CHECK(parse_day("2026-03-5") == d);
  CHECK(parse_day("2026/3/5") == d);
  CHECK(parse_day("2026/03/05") == d);
  CHECK(parse_day("2026.3.5") == d);
  CHECK(parse_day("2026年3月5日") == d);
  CHECK(parse_day("2026年03月05日") == d);
  CHECK(parse_day("2026年3月5号") == d);
  CHECK(parse_day("2024-02-29") == date::from_ymd(2024, 2, 29));
  CHECK(parse_day("2026/12/31") == date::from_ymd(2026, 12, 31));
}

TEST_CASE("parse_day refuses days that do not exist and other shapes", "[compliance][fields]") {
  for (const std::string_view s :
       {"2026-13-01",       "2026-02-29",  "2026-04-31",  "2026-00-10", "2026-01-00", "2026/13/1",
        "2026年2月30日",    "2026-3/5",    "2026/3-5",    "26-3-5",     "02026-3-5",  "2026-003-05",
        "2026-3-005",       "2026年3月5",  "2026年3-5",   "2026-03",    "20260305",   "",
        "2026-03-05T10:00", "2026-03-05 ", "x2026-03-05", "0000-01-01", "2026--3-5"}) {
    INFO(s);
    CHECK_FALSE(parse_day(s).has_value());
  }
}

TEST_CASE("parse_whole reads whole numbers, with a zero fraction", "[compliance][fields]") {
  CHECK(parse_whole("0") == 0);
  CHECK(parse_whole("12") == 12);
  CHECK(parse_whole("012") == 12);
  CHECK(parse_whole("+3") == 3);
  CHECK(parse_whole("12.0") == 12);
  CHECK(parse_whole("12.000") == 12);
  CHECK(parse_whole("999999999999999") == 999999999999999);  // 15 digits, the limit
  for (const std::string_view s : {"", "-1", "1.5", "12.", ".5", "1e3", "十", "1,000", "12 ", " 12", "+", "++3", "0x10",
                                   "1000000000000000", "12.01", "nan", "inf"}) {
    INFO(s);
    CHECK_FALSE(parse_whole(s).has_value());
  }
}

TEST_CASE("parse_flag reads yes and no in Chinese and English", "[compliance][fields]") {
  for (const std::string_view s : {"yes", "YES", "Yes", "y", "Y", "true", "TRUE", "1", "是", "有", "√"}) {
    INFO(s);
    CHECK(parse_flag(s) == true);
  }
  for (const std::string_view s : {"no", "NO", "No", "n", "N", "false", "False", "0", "否", "无", "×"}) {
    INFO(s);
    CHECK(parse_flag(s) == false);
  }
  for (const std::string_view s : {"", "maybe", "2", "yess", "是的", "不", "ok", "t", "f"}) {
    INFO(s);
    CHECK_FALSE(parse_flag(s).has_value());
  }
}

TEST_CASE("shown quotes and cuts on a character boundary", "[compliance][fields]") {
  CHECK(shown("abc") == "\"abc\"");
  // 21 three-byte characters: 63 bytes, cut at 60 = 20 whole characters.
  std::string long_text;
  for (int i = 0; i < 21; ++i) long_text += "党";
  std::string expected = "\"";
  for (int i = 0; i < 20; ++i) expected += "党";
  expected += "...\"";
  CHECK(shown(long_text) == expected);
  // A cut that would split a character moves back to its start: 1 + 20×3 = 61 bytes.
  const std::string odd = "a" + long_text.substr(0, 60);
  std::string odd_expected = "\"a";
  for (int i = 0; i < 19; ++i) odd_expected += "党";
  odd_expected += "...\"";
  CHECK(shown(odd) == odd_expected);
}

TEST_CASE("problems keeps the first 100 and counts the rest", "[compliance][fields]") {
  rectify::io::text_table t("x.csv", {"a"});
  const std::vector<std::string_view> row = {"v"};
  for (int i = 0; i < 130; ++i) t.add_row(row);
  problems p(t);
  CHECK(p.empty());
  p.raise_if_any();  // nothing to raise
  for (std::size_t i = 0; i < 130; ++i) p.add("rectify.test.bad", i, 0, "bad " + std::to_string(i));
  CHECK(p.count() == 130);
  try {
    p.raise_if_any();
    FAIL("no error");
  } catch (const rectify::error& e) {
    REQUIRE(e.problems().size() == 101);
    CHECK(e.code() == "rectify.test.bad");
    CHECK(e.problems()[0].source == "x.csv:row 0:a");
    CHECK(e.problems()[99].message == "bad 99");
    CHECK(e.problems()[100].code == "rectify.compliance.more");
    CHECK(e.problems()[100].message == "... and 30 more problems");
  }
}

TEST_CASE("find_columns finds columns and reports the required ones that are missing", "[compliance][fields]") {
  rectify::io::text_table t("r.csv", {"unit", "level"});
  problems p(t);
  const auto at = find_columns(t, {"unit", "post", "level", "owner"}, {true, true, true, false}, p);
  CHECK(at == std::vector<std::ptrdiff_t>{0, -1, 1, -1});
  REQUIRE(p.count() == 1);
  try {
    p.raise_if_any();
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(std::string(e.what()) ==
          "r.csv: [rectify.compliance.missing_column] the header has no column \"post\"; its columns are \"unit\", "
          "\"level\"");
  }
}
