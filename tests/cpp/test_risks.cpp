// The clean-governance risk register (compliance.md §3). Every expected value is worked out by
// hand in the comments next to the data.
#include "rectify/compliance/risks.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/io/records.hpp"
#include "support.hpp"

namespace cm = rectify::compliance;
using cm::risk_level;
using rectify::date;
using rectify::io::read_text_csv;

namespace {

date d(std::string_view text) {
  auto v = date::parse(text);
  REQUIRE(v);
  return *v;
}

cm::risk_report risks(std::string_view csv, std::string_view as_of) {
  return cm::check_risks(read_text_csv(csv, "risks.csv"), d(as_of));
}

rectify::error error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const rectify::error& e) {
    return e;
  }
  FAIL("no error");
  throw;
}

constexpr std::string_view header = "unit,post,risk,level,control,owner,reviewed\n";

std::string with_header(std::string_view rows) {
  std::string s(header);
  s += rows;
  return s;
}

}  // namespace

TEST_CASE("risk levels read in Chinese and English", "[risks]") {
  CHECK(cm::parse_risk_level("高") == risk_level::high);
  CHECK(cm::parse_risk_level("中") == risk_level::medium);
  CHECK(cm::parse_risk_level("低") == risk_level::low);
  CHECK(cm::parse_risk_level("高风险") == risk_level::high);
  CHECK(cm::parse_risk_level("中风险") == risk_level::medium);
  CHECK(cm::parse_risk_level("低风险") == risk_level::low);
  CHECK(cm::parse_risk_level("high") == risk_level::high);
  CHECK(cm::parse_risk_level("Medium") == risk_level::medium);
  CHECK(cm::parse_risk_level("LOW") == risk_level::low);
  for (const std::string_view bad : {"", "风险", "高高", "高风", "中等", "highh", "hi", "极高", "高 风险"}) {
    CAPTURE(bad);
    CHECK_FALSE(cm::parse_risk_level(bad));
  }
  CHECK(cm::name(risk_level::high) == "high");
  CHECK(cm::name(risk_level::medium) == "medium");
  CHECK(cm::name(risk_level::low) == "low");
  CHECK(cm::label_zh(risk_level::high) == "高");
  CHECK(cm::label_zh(risk_level::medium) == "中");
  CHECK(cm::label_zh(risk_level::low) == "低");
}

TEST_CASE("a register gives points by level, controls and high points reviewed", "[risks]") {
  // As of 2025-11-30 the window is [2024-11-30, 2025-11-30].
  //   point 0 A/采购/围标串标 high (高, 高风险): 2 controls, reviews 2024-11-30 and 2025-03-01 → in
  //   point 1 A/财务/虚报冒领 medium: no control, no review
  //   point 2 A/人事/违规用人 low: 1 control, reviewed 2024-01-01 (out, and not high anyway)
  //   point 3 A/审批/吃拿卡要 high: no control, reviewed 2024-11-29, a day before the window → out
  //   point 4 B/执法/选择性执法 high: 2 controls, reviewed 2024-11-30 (the first day: in);
  //           2025-12-01 is after as_of and ignored
  //   point 5 B/窗口/吃拿卡要 medium: no control
  //   point 6 C/后勤/虚报 low: 1 control
  // A: 4 points (2/1/1), controlled 2 → 0.5, high reviewed 1 of 2 → 0.5
  // B: 2 points (1/1/0), controlled 1 → 0.5, high reviewed 1 of 1 → 1
  // C: 1 point (0/0/1), controlled 1 → 1, no high point → NaN
  const auto r = risks(with_header("A,采购,围标串标,高,三人比价,张三,2024-11-30\n"
                                   "A,财务,虚报冒领,中,,王五,\n"
                                   "A,采购,围标串标,高风险,公开招标,李四,2025/3/1\n"
                                   "A,人事,违规用人,low,集体研究,赵六,2024年1月1日\n"
                                   "A,审批,吃拿卡要,HIGH,,钱七,2024-11-29\n"
                                   "B,执法,选择性执法,high,双人执法,,2024-11-30\n"
                                   "B,执法,选择性执法,High,执法记录仪,,2025-12-01\n"
                                   "B,窗口,吃拿卡要,Medium,,,\n"
                                   "C,后勤,虚报,低风险,台账,,\n"),
                       "2025-11-30");
  CHECK(r.as_of == d("2025-11-30"));
  CHECK(r.window_start == d("2024-11-30"));
  REQUIRE(r.points.size() == 7);
  const auto& p0 = r.points[0];
  CHECK(p0.row == 0);
  CHECK(p0.unit == "A");
  CHECK(p0.post == "采购");
  CHECK(p0.risk == "围标串标");
  CHECK(p0.level == risk_level::high);
  CHECK(p0.controls == 2);
  CHECK(p0.reviewed == d("2025-03-01"));
  CHECK(p0.reviewed_in_window);
  CHECK(r.points[1].post == "财务");
  CHECK(r.points[1].row == 1);
  CHECK(r.points[1].controls == 0);
  CHECK_FALSE(r.points[1].reviewed);
  CHECK_FALSE(r.points[1].reviewed_in_window);
  CHECK(r.points[2].level == risk_level::low);
  CHECK(r.points[2].row == 3);
  CHECK(r.points[2].reviewed == d("2024-01-01"));
  CHECK_FALSE(r.points[2].reviewed_in_window);
  CHECK(r.points[3].reviewed == d("2024-11-29"));
  CHECK_FALSE(r.points[3].reviewed_in_window);
  CHECK(r.points[4].controls == 2);
  CHECK(r.points[4].reviewed == d("2024-11-30"));
  CHECK(r.points[4].reviewed_in_window);
  CHECK(r.points[5].level == risk_level::medium);
  CHECK(r.points[6].level == risk_level::low);

  REQUIRE(r.units.size() == 3);
  const auto& a = r.units[0];
  CHECK(a.unit == "A");
  CHECK(a.points == 4);
  CHECK(a.by_level == std::array<std::int64_t, 3>{2, 1, 1});
  CHECK(a.controlled == 2);
  CHECK(a.high_reviewed == 1);
  CHECK(a.controlled_ratio == 0.5);
  CHECK(a.high_reviewed_ratio == 0.5);
  const auto& b = r.units[1];
  CHECK(b.unit == "B");
  CHECK(b.points == 2);
  CHECK(b.by_level == std::array<std::int64_t, 3>{1, 1, 0});
  CHECK(b.controlled_ratio == 0.5);
  CHECK(b.high_reviewed_ratio == 1);
  const auto& c = r.units[2];
  CHECK(c.unit == "C");
  CHECK(c.points == 1);
  CHECK(c.by_level == std::array<std::int64_t, 3>{0, 0, 1});
  CHECK(c.controlled_ratio == 1);
  CHECK(c.high_reviewed == 0);
  CHECK(std::isnan(c.high_reviewed_ratio));

  const auto t = cm::inputs(r);
  CHECK(t.columns == std::vector<std::string>{"risk_points", "risk_controlled_ratio", "risk_high_reviewed_ratio"});
  CHECK(t.units == std::vector<std::string>{"A", "B", "C"});
  CHECK(t.values(0, 0) == 4);
  CHECK(t.values(0, 1) == 0.5);
  CHECK(t.values(0, 2) == 0.5);
  CHECK(t.values(1, 0) == 2);
  CHECK(t.values(1, 2) == 1);
  CHECK(t.values(2, 1) == 1);
  CHECK(std::isnan(t.values(2, 2)));
}

TEST_CASE("the review window runs from as_of minus 12 months to as_of", "[risks]") {
  // As of 2028-02-29 (a leap day) the window starts 2027-02-28.
  //   p1 reviewed 2027-02-28: the first day → in
  //   p2 reviewed 2027-02-27: a day earlier → out
  //   p3 reviewed 2028-02-29: as_of itself → in
  //   p4 reviewed 2028-03-01: after as_of → ignored, so never reviewed
  //   p5 reviewed 2027-02-27 and 2028-03-01: the later is ignored, the earlier is out
  const auto r = risks(with_header("X,p1,r,高,c,,2027-02-28\n"
                                   "X,p2,r,高,c,,2027-02-27\n"
                                   "X,p3,r,高,c,,2028-02-29\n"
                                   "X,p4,r,高,c,,2028-03-01\n"
                                   "X,p5,r,高,c,,2028-03-01\n"
                                   "X,p5,r,高,,,2027-02-27\n"),
                       "2028-02-29");
  CHECK(r.window_start == d("2027-02-28"));
  REQUIRE(r.points.size() == 5);
  CHECK(r.points[0].reviewed_in_window);
  CHECK_FALSE(r.points[1].reviewed_in_window);
  CHECK(r.points[2].reviewed_in_window);
  CHECK_FALSE(r.points[3].reviewed);
  CHECK_FALSE(r.points[3].reviewed_in_window);
  CHECK(r.points[4].reviewed == d("2027-02-27"));
  CHECK_FALSE(r.points[4].reviewed_in_window);
  CHECK(r.points[4].controls == 1);
  REQUIRE(r.units.size() == 1);
  CHECK(r.units[0].high_reviewed == 2);
  CHECK(r.units[0].high_reviewed_ratio == 2.0 / 5);

  CHECK(risks(header, "2026-03-31").window_start == d("2025-03-31"));
  CHECK(risks(header, "2026-03-01").window_start == d("2025-03-01"));
  CHECK(risks(header, "2025-02-28").window_start == d("2024-02-28"));
  CHECK(risks(header, "2026-03-31").units.empty());
}

TEST_CASE("bad cells in a register are all reported with line and column", "[risks]") {
  const auto e = error_of([] {
    (void)risks(with_header("A,采购,围标,极高,c,,2026-01-01\n"
                            "A,采购,串标,高,c,,2026-13-01\n"
                            ",,,,c,,\n"
                            "A,财务,虚报,中,c,,2025-02-29\n"
                            "A,人事,用人,低,c,,昨天\n"
                            "A,采购,围标2,高,c,,\n"
                            "A,采购,围标2,低,c,,\n"),
                "2026-06-30");
  });
  REQUIRE(e.problems().size() == 9);
  const auto& ps = e.problems();
  CHECK(ps[0].str() ==
        "risks.csv:2:4: [rectify.compliance.bad_level] level \"极高\" is not 高/中/低 (high/medium/low)");
  CHECK(ps[1].str() ==
        "risks.csv:3:7: [rectify.compliance.bad_date] reviewed \"2026-13-01\" is not a date (YYYY-MM-DD)");
  CHECK(ps[2].str() == "risks.csv:4:1: [rectify.compliance.missing_value] the unit is empty");
  CHECK(ps[3].str() == "risks.csv:4:2: [rectify.compliance.missing_value] the post is empty");
  CHECK(ps[4].str() == "risks.csv:4:3: [rectify.compliance.missing_value] the risk is empty");
  CHECK(ps[5].str() == "risks.csv:4:4: [rectify.compliance.missing_value] the level is empty");
  CHECK(ps[6].str() ==
        "risks.csv:5:7: [rectify.compliance.bad_date] reviewed \"2025-02-29\" is not a date (YYYY-MM-DD)");
  CHECK(ps[7].str() == "risks.csv:6:7: [rectify.compliance.bad_date] reviewed \"昨天\" is not a date (YYYY-MM-DD)");
  CHECK(ps[8].str() ==
        "risks.csv:8:4: [rectify.compliance.conflicting_level] the risk point \"A\" / \"采购\" / \"围标2\" is high at "
        "line 7 but low here: the rows of one point must agree on its level");
}

TEST_CASE("a register built in memory names rows; missing columns are listed together", "[risks]") {
  rectify::io::text_table t("register", {"unit", "post", "risk", "level", "control", "reviewed"});
  const std::vector<std::string_view> rows[] = {{"A", "p", "r", "高", "", ""}, {"A", "p", "r", "中", "c", ""}};
  for (const auto& row : rows) t.add_row(row);
  const auto e = error_of([&] { (void)cm::check_risks(t, d("2026-01-01")); });
  REQUIRE(e.problems().size() == 1);
  CHECK(e.problems()[0].source == "register:row 1:level");
  CHECK(e.problems()[0].message ==
        "the risk point \"A\" / \"p\" / \"r\" is high at row 0 but medium here: the rows of one point must agree on "
        "its level");

  // Without `owner` the register is still read.
  rectify::io::text_table ok("register", {"unit", "post", "risk", "level", "control", "reviewed"});
  ok.add_row(rows[0]);
  CHECK(cm::check_risks(ok, d("2026-01-01")).units.at(0).controlled == 0);

  const auto missing = error_of([] { (void)risks("unit,post,risk,level,owner\nA,p,r,高,x\n", "2026-01-01"); });
  REQUIRE(missing.problems().size() == 2);
  CHECK(missing.problems()[0].code == "rectify.compliance.missing_column");
  CHECK(missing.problems()[0].source == "risks.csv");
  CHECK(missing.problems()[0].message ==
        "the header has no column \"control\"; its columns are \"unit\", \"post\", \"risk\", \"level\", \"owner\"");
  CHECK(missing.problems()[1].message.starts_with("the header has no column \"reviewed\""));
}
