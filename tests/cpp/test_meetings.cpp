// 三会一课 meetings (compliance.md §1, include/rectify/compliance/meetings.hpp). Every expected
// count below is worked out by hand from the contract: slots per month, calendar quarter or year
// inside the period, one per (group, month) for 党小组会, a slot met by `at_least` valid meetings.
#include "rectify/compliance/meetings.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"
#include "support.hpp"

using namespace rectify::compliance;
using rectify::date;
using rectify::io::text_table;
using rectify::test::message_of;

namespace {

constexpr std::string_view kHeader =
    "branch,type,date,group,expected,attended,topic,host,recorder,minutes,photos,signed";

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  for (;;) {
    const std::size_t comma = line.find(',');
    out.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos) return out;
    line.remove_prefix(comma + 1);
  }
}

// A table from comma-separated lines (no quoting), the first line the header.
text_table table_of(std::string_view header, std::initializer_list<std::string> rows,
                    std::string source = "meetings.csv") {
  std::vector<std::string> names;
  for (const auto f : split(header)) names.emplace_back(f);
  text_table t(std::move(source), names);
  for (const std::string& r : rows) {
    const auto fields = split(r);
    t.add_row(fields);
  }
  return t;
}

// A complete record: every field completeness asks for is there.
std::string rec(std::string_view branch, std::string_view type, std::string_view day, std::string_view group = "",
                std::string_view expected = "10", std::string_view attended = "8") {
  std::string out;
  for (const auto part : {branch, type, day, group, expected, attended}) {
    out += part;
    out += ',';
  }
  out += "学习贯彻会议精神,张书记,李委员,是,2,是";
  return out;
}

// The default table restricted to the given ids, in the default order.
meeting_rules only(std::initializer_list<std::string_view> ids) {
  meeting_rules all = default_meeting_rules();
  meeting_rules out;
  out.source = all.source;
  for (const meeting_rule& t : all.types)
    for (const auto id : ids)
      if (t.id == id) out.types.push_back(t);
  return out;
}

meeting_options period(std::string_view from, std::string_view to) {
  meeting_options o;
  o.from = *month::parse(from);
  o.to = *month::parse(to);
  return o;
}

meetings_report check(const meeting_rules& rules, const meeting_options& o, std::initializer_list<std::string> rows) {
  const meeting_records r = read_meeting_records(table_of(kHeader, rows), rules);
  return check_meetings(r, rules, o);
}

std::vector<std::string> slots_of(const meetings_report& rep, finding_kind kind, std::string_view branch = "b1") {
  std::vector<std::string> out;
  for (const meeting_finding& f : rep.findings)
    if (f.kind == kind && f.branch == branch) out.push_back(f.group.empty() ? f.slot : f.group + "/" + f.slot);
  return out;
}

std::vector<meeting_finding> of_kind(const meetings_report& rep, finding_kind kind) {
  std::vector<meeting_finding> out;
  for (const meeting_finding& f : rep.findings)
    if (f.kind == kind) out.push_back(f);
  return out;
}

// The problems of the error `f` throws, as "source [code]" lines.
std::vector<std::string> problems_of(const std::function<void()>& f) {
  std::vector<std::string> out;
  try {
    f();
  } catch (const rectify::error& e) {
    for (const auto& p : e.problems()) out.push_back(p.source + " [" + p.code + "]");
  }
  return out;
}

std::vector<std::string> months(int first, int last, std::string_view prefix = "2026-") {
  std::vector<std::string> out;
  for (int m = first; m <= last; ++m) out.push_back(std::string(prefix) + (m < 10 ? "0" : "") + std::to_string(m));
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// months and names

TEST_CASE("month parses, prints and knows its last day", "[compliance][meetings]") {
  CHECK(month::parse("2026-03") == month{2026, 3});
  CHECK(month::parse("2026-3") == month{2026, 3});
  CHECK(month::parse("2026-12") == month{2026, 12});
  for (const std::string_view s : {"2026-13", "2026-00", "2026-0", "2026/03", "26-03", "2026-003", "2026-03-01", "",
                                   "0000-01", "2026-1a", "202a-01"}) {
    INFO(s);
    CHECK_FALSE(month::parse(s).has_value());
  }
  CHECK(month{2026, 3}.str() == "2026-03");
  CHECK(month{987, 11}.str() == "0987-11");
  CHECK(month{2026, 2}.last_day() == date::from_ymd(2026, 2, 28));
  CHECK(month{2024, 2}.last_day() == date::from_ymd(2024, 2, 29));
  CHECK(month{2026, 12}.last_day() == date::from_ymd(2026, 12, 31));
  CHECK(month{2026, 4}.last_day() == date::from_ymd(2026, 4, 30));
  CHECK(month{2026, 1}.first_day() == date::from_ymd(2026, 1, 1));
  CHECK(month{2026, 12}.index() + 1 == month{2027, 1}.index());
  CHECK(month::from_index(month{2026, 12}.index()) == month{2026, 12});
  CHECK(month::of(date::from_ymd(2026, 7, 31)) == month{2026, 7});
  CHECK(month{2025, 12} < month{2026, 1});
}

TEST_CASE("cadence, quorum, field and finding names round-trip", "[compliance][meetings]") {
  for (const cadence c : {cadence::month, cadence::quarter, cadence::year}) CHECK(parse_cadence(name(c)) == c);
  CHECK(name(cadence::quarter) == "quarter");
  CHECK(label_zh(cadence::quarter) == "每季度");
  CHECK_FALSE(parse_cadence("week").has_value());
  for (const quorum_rule q :
       {quorum_rule::none, quorum_rule::majority, quorum_rule::two_thirds, quorum_rule::four_fifths})
    CHECK(parse_quorum_rule(name(q)) == q);
  CHECK(name(quorum_rule::two_thirds) == "two_thirds");
  CHECK_FALSE(parse_quorum_rule("half").has_value());
  for (std::size_t i = 0; i < record_field_count; ++i) {
    const auto f = static_cast<record_field>(i);
    CHECK(parse_record_field(name(f)) == f);
  }
  CHECK(name(record_field::signed_) == "signed");
  CHECK(label_zh(record_field::photos) == "现场照片");
  CHECK_FALSE(parse_record_field("signed_").has_value());
  CHECK(name(finding_kind::not_assessed) == "not_assessed");
  CHECK(label_zh(finding_kind::missed) == "缺会");
  CHECK(label_zh(finding_kind::incomplete) == "记录不全");
}

TEST_CASE("quorum rules at their exact boundaries", "[compliance][meetings]") {
  // More than half: 6 of 12 is half, not more; 7 of 12 is.
  CHECK_FALSE(meets(quorum_rule::majority, 6, 12));
  CHECK(meets(quorum_rule::majority, 7, 12));
  CHECK(meets(quorum_rule::majority, 4, 7));
  CHECK_FALSE(meets(quorum_rule::majority, 3, 7));
  CHECK(meets(quorum_rule::majority, 1, 1));
  // Two thirds: 8 of 12 is exactly two thirds and passes; 7 does not.
  CHECK(meets(quorum_rule::two_thirds, 8, 12));
  CHECK_FALSE(meets(quorum_rule::two_thirds, 7, 12));
  CHECK(meets(quorum_rule::two_thirds, 5, 7));  // 15 >= 14
  CHECK_FALSE(meets(quorum_rule::two_thirds, 4, 7));
  // Four fifths: 4 of 5 passes, 3 of 5 not; 10 of 12 (50 >= 48) passes, 9 of 12 (45) not.
  CHECK(meets(quorum_rule::four_fifths, 4, 5));
  CHECK_FALSE(meets(quorum_rule::four_fifths, 3, 5));
  CHECK(meets(quorum_rule::four_fifths, 10, 12));
  CHECK_FALSE(meets(quorum_rule::four_fifths, 9, 12));
  CHECK(meets(quorum_rule::none, 0, 12));
}

TEST_CASE("the default rules follow the contract's table", "[compliance][meetings]") {
  const meeting_rules r = default_meeting_rules();
  CHECK(r.source.find("支部工作条例") != std::string::npos);
  REQUIRE(r.types.size() == 7);
  struct row {
    std::string_view id, zh;
    cadence per;
    bool per_group;
    quorum_rule quorum;
  };
  const std::vector<row> table = {
      {"general_meeting", "党员大会", cadence::quarter, false, quorum_rule::majority},
      {"committee", "支委会", cadence::month, false, quorum_rule::majority},
      {"group", "党小组会", cadence::month, true, quorum_rule::none},
      {"lecture", "党课", cadence::quarter, false, quorum_rule::none},
      {"theme_day", "主题党日", cadence::month, false, quorum_rule::none},
      {"life_meeting", "组织生活会", cadence::year, false, quorum_rule::none},
      {"member_review", "民主评议党员", cadence::year, false, quorum_rule::none},
  };
  for (std::size_t i = 0; i < table.size(); ++i) {
    INFO(table[i].id);
    CHECK(r.types[i].id == table[i].id);
    CHECK(r.types[i].name_zh == table[i].zh);
    CHECK(r.types[i].per == table[i].per);
    CHECK(r.types[i].per_group == table[i].per_group);
    CHECK(r.types[i].quorum == table[i].quorum);
    CHECK(r.types[i].at_least == 1);
    CHECK(r.types[i].complete.size() == record_field_count);
  }
}

TEST_CASE("meeting types are found by id, Chinese name or alias", "[compliance][meetings]") {
  const meeting_rules r = default_meeting_rules();
  CHECK(r.find("党员大会") == 0);
  CHECK(r.find("general_meeting") == 0);
  CHECK(r.find("General_Meeting") == 0);
  CHECK(r.find("支部党员大会") == 0);
  CHECK(r.find("支委会") == 1);
  CHECK(r.find("COMMITTEE") == 1);
  CHECK(r.find("支部委员会") == 1);
  CHECK(r.find("支委会会议") == 1);
  CHECK(r.find("党小组会议") == 2);
  CHECK(r.find("党课") == 3);
  CHECK(r.find("主题党日活动") == 4);
  CHECK(r.find("组织生活会") == 5);
  CHECK(r.find("民主评议") == 6);
  CHECK(r.find("民主评议党员") == 6);
  CHECK(r.find("  党课\t") == 3);
  CHECK(r.find("\xE3\x80\x80党课\xE3\x80\x80") == 3);  // full-width spaces
  CHECK(r.find("党课课") == -1);
  CHECK(r.find("") == -1);
  CHECK(r.find("general meeting") == -1);
  CHECK(r.find("meeting") == -1);
}

// ---------------------------------------------------------------------------------------------
// slots and periods

TEST_CASE("a meeting on 03-31 is in Q1 and one on 04-01 in Q2", "[compliance][meetings]") {
  const meeting_rules rules = only({"general_meeting"});
  const auto rep =
      check(rules, period("2026-01", "2026-12"),
            {rec("b1", "党员大会", "2026-03-31", "", "12", "7"), rec("b1", "党员大会", "2026-04-01", "", "12", "7")});
  REQUIRE(rep.branches.size() == 1);
  const branch_report& b = rep.branches[0];
  CHECK(b.required == 4);
  CHECK(b.met == 2);
  CHECK(b.met_ratio == Approx(0.5));
  CHECK(slots_of(rep, finding_kind::missed) == std::vector<std::string>{"2026-Q3", "2026-Q4"});
  CHECK(rep.findings[0].detail == "held 0 of 1");
  CHECK(rep.findings[0].row == static_cast<std::size_t>(-1));
  CHECK_FALSE(rep.findings[0].on.has_value());
  CHECK(of_kind(rep, finding_kind::not_assessed).empty());

  // Both in Q1 (03-01 and 03-31): Q1 met twice over, Q2 missed.
  const auto same =
      check(rules, period("2026-01", "2026-12"),
            {rec("b1", "党员大会", "2026-03-01", "", "12", "7"), rec("b1", "党员大会", "2026-03-31", "", "12", "7")});
  CHECK(same.branches[0].met == 1);
  CHECK(slots_of(same, finding_kind::missed) == std::vector<std::string>{"2026-Q2", "2026-Q3", "2026-Q4"});
  CHECK(same.branches[0].types[0].held == 2);
}

TEST_CASE("a period starting mid-quarter does not assess that quarter but assesses its months",
          "[compliance][meetings]") {
  const meeting_rules rules = only({"general_meeting", "committee", "life_meeting"});
  const auto rep =
      check(rules, period("2026-02", "2026-12"),
            {rec("b1", "党员大会", "2026-02-10", "", "12", "7"), rec("b1", "支委会", "2026-02-10", "", "5", "5"),
             rec("b1", "党员大会", "2026-05-10", "", "12", "7")});
  // general_meeting: Q2, Q3, Q4 (Q1 is cut); committee: 11 months; life_meeting: 2026 is cut.
  const branch_report& b = rep.branches[0];
  CHECK(b.required == 3 + 11);
  CHECK(b.met == 1 + 1);
  CHECK(b.types[0].required == 3);
  CHECK(b.types[0].held == 2);  // the February meeting is held, in the period, but has no slot
  CHECK(b.types[1].required == 11);
  CHECK(b.types[2].required == 0);
  const auto na = of_kind(rep, finding_kind::not_assessed);
  REQUIRE(na.size() == 2);
  CHECK(na[0].type == 0);
  CHECK(na[0].slot == "2026-Q1");
  CHECK(na[0].branch.empty());
  CHECK(na[0].detail == "the period starts in 2026-02, after the quarter begins");
  CHECK(na[1].type == 2);
  CHECK(na[1].slot == "2026");
  CHECK(na[1].detail == "the period starts in 2026-02, after the year begins");
  // not_assessed come first.
  CHECK(rep.findings[0].kind == finding_kind::not_assessed);
  CHECK(rep.findings[1].kind == finding_kind::not_assessed);
  CHECK(slots_of(rep, finding_kind::missed) == std::vector<std::string>{"2026-Q3", "2026-Q4", "2026-03", "2026-04",
                                                                        "2026-05", "2026-06", "2026-07", "2026-08",
                                                                        "2026-09", "2026-10", "2026-11", "2026-12"});
}

TEST_CASE("a year cut at both ends of the period", "[compliance][meetings]") {
  const meeting_rules rules = only({"general_meeting", "life_meeting"});
  const auto rep = check(rules, period("2025-07", "2026-06"),
                         {rec("b1", "组织生活会", "2026-01-20"), rec("b1", "党员大会", "2025-09-30", "", "12", "7")});
  // Quarters 2025-Q3 .. 2026-Q2 are whole; the years 2025 and 2026 are both cut.
  CHECK(rep.branches[0].required == 4);
  CHECK(rep.branches[0].met == 1);
  CHECK(rep.branches[0].types[1].held == 1);
  const auto na = of_kind(rep, finding_kind::not_assessed);
  REQUIRE(na.size() == 2);
  CHECK(na[0].slot == "2025");
  CHECK(na[0].detail == "the period starts in 2025-07, after the year begins");
  CHECK(na[1].slot == "2026");
  CHECK(na[1].detail == "the period ends in 2026-06, before the year ends");
  CHECK(slots_of(rep, finding_kind::missed) == std::vector<std::string>{"2025-Q4", "2026-Q1", "2026-Q2"});

  // One month inside a quarter: cut at both ends.
  const auto one = check(only({"general_meeting"}), period("2026-02", "2026-02"),
                         {rec("b1", "党员大会", "2026-02-01", "", "3", "2")});
  CHECK(one.branches[0].required == 0);
  CHECK(std::isnan(one.branches[0].met_ratio));
  REQUIRE(of_kind(one, finding_kind::not_assessed).size() == 1);
  CHECK(one.findings[0].detail == "the period 2026-02 to 2026-02 covers only part of the quarter");
}

TEST_CASE("at_least 2 needs two valid meetings in the slot", "[compliance][meetings]") {
  meeting_rules rules = only({"lecture"});
  rules.types[0].at_least = 2;
  const auto rep =
      check(rules, period("2026-01", "2026-12"),
            {rec("b1", "党课", "2026-01-15"), rec("b1", "党课", "2026-02-15"), rec("b1", "党课", "2026-04-15")});
  CHECK(rep.branches[0].required == 4);
  CHECK(rep.branches[0].met == 1);
  const auto missed = of_kind(rep, finding_kind::missed);
  REQUIRE(missed.size() == 3);
  CHECK(missed[0].slot == "2026-Q2");
  CHECK(missed[0].detail == "held 1 of 2");
  CHECK(missed[1].detail == "held 0 of 2");
}

TEST_CASE("types with at_least 0 have no slots, and nothing required gives a NaN ratio", "[compliance][meetings]") {
  meeting_rules rules = only({"lecture", "life_meeting"});
  rules.types[0].at_least = 0;
  rules.types[1].at_least = 0;
  const auto rep = check(rules, period("2026-02", "2026-12"), {rec("b1", "党课", "2026-03-15")});
  const branch_report& b = rep.branches[0];
  CHECK(b.required == 0);
  CHECK(b.met == 0);
  CHECK(b.types[0].held == 1);
  CHECK(std::isnan(b.met_ratio));
  CHECK(b.attendance_rate == Approx(0.8));
  CHECK(rep.findings.empty());  // not even not_assessed: nothing is required of these types
  const rectify::table t = inputs(rep);
  CHECK(t.values(0, 0) == 0);
  CHECK(t.values(0, 1) == 0);
  CHECK(std::isnan(t.values(0, 2)));
}

// ---------------------------------------------------------------------------------------------
// branches and groups

TEST_CASE("a party group without meetings misses every month", "[compliance][meetings]") {
  const meeting_rules rules = only({"group"});
  meeting_options o = period("2026-01", "2026-12");
  o.branches = std::vector<branch_entry>{{"b1", {"第一党小组", "第二党小组"}}};
  const auto rep =
      check(rules, o,
            {rec("b1", "党小组会", "2026-01-05", "第一党小组"), rec("b1", "党小组会", "2026-02-05", "第一党小组"),
             rec("b1", "党小组会", "2026-03-05", "第一党小组"), rec("b1", "党小组会", "2026-04-05", "第一党小组"),
             rec("b1", "党小组会", "2026-05-05", "第一党小组"), rec("b1", "党小组会", "2026-06-05", "第一党小组"),
             rec("b1", "党小组会", "2026-07-05", "第一党小组"), rec("b1", "党小组会", "2026-08-05", "第一党小组"),
             rec("b1", "党小组会", "2026-09-05", "第一党小组"), rec("b1", "党小组会", "2026-10-05", "第一党小组"),
             rec("b1", "党小组会", "2026-11-05", "第一党小组"), rec("b1", "党小组会", "2026-12-05", "第一党小组")});
  const branch_report& b = rep.branches[0];
  CHECK(b.groups == std::vector<std::string>{"第一党小组", "第二党小组"});
  CHECK(b.required == 24);
  CHECK(b.met == 12);
  const auto missed = of_kind(rep, finding_kind::missed);
  REQUIRE(missed.size() == 12);
  for (std::size_t i = 0; i < 12; ++i) {
    CHECK(missed[i].group == "第二党小组");
    CHECK(missed[i].slot == months(1, 12)[i]);
  }
}

TEST_CASE("without a branch list, groups come from the records, sorted", "[compliance][meetings]") {
  const meeting_rules rules = only({"group", "lecture"});
  const auto rep = check(rules, period("2026-01", "2026-03"),
                         {rec("b1", "党小组会", "2026-01-05", "g2"), rec("b1", "党小组会", "2026-02-05", "g1"),
                          rec("b1", "党课", "2026-02-05", "g3")});  // a lecture's group does not make a group
  const branch_report& b = rep.branches[0];
  CHECK(b.groups == std::vector<std::string>{"g1", "g2"});
  CHECK(b.required == 2 * 3 + 1);
  CHECK(b.met == 2 + 1);
  CHECK(slots_of(rep, finding_kind::missed) ==
        std::vector<std::string>{"g1/2026-01", "g1/2026-03", "g2/2026-02", "g2/2026-03"});

  // A branch whose records have no group meetings has no group slots.
  const auto none = check(rules, period("2026-01", "2026-03"), {rec("b1", "党课", "2026-02-05")});
  CHECK(none.branches[0].groups.empty());
  CHECK(none.branches[0].required == 1);
  CHECK(none.branches[0].met == 1);
}

TEST_CASE("without a branch list, branches are those with records in the period, sorted", "[compliance][meetings]") {
  const meeting_rules rules = only({"lecture"});
  const auto rep =
      check(rules, period("2026-01", "2026-03"),
            {rec("b2", "党课", "2026-02-05"), rec("b10", "党课", "2026-02-05"), rec("b1", "党课", "2026-02-05"),
             rec("b3", "党课", "2025-12-05"), rec("b2", "党课", "2026-03-05")});
  REQUIRE(rep.branches.size() == 3);
  CHECK(rep.branches[0].branch == "b1");
  CHECK(rep.branches[1].branch == "b10");
  CHECK(rep.branches[2].branch == "b2");
  CHECK(rep.branches[2].records == 2);
  CHECK(rep.records_outside == 1);
}

TEST_CASE("a listed branch without records misses everything", "[compliance][meetings]") {
  const meeting_rules rules = default_meeting_rules();
  meeting_options o = period("2026-01", "2026-12");
  o.branches = std::vector<branch_entry>{{"机关第二支部", {}}, {"机关第一支部", {"一组"}}};
  const auto rep = check(rules, o, {rec("机关第一支部", "党课", "2026-02-05")});
  REQUIRE(rep.branches.size() == 2);
  const branch_report& b = rep.branches[0];  // list order, not byte order
  CHECK(b.branch == "机关第二支部");
  // 4 general meetings + 12 committee + no groups + 4 lectures + 12 theme days + 1 + 1.
  CHECK(b.required == 34);
  CHECK(b.met == 0);
  CHECK(b.records == 0);
  CHECK(b.met_ratio == 0);
  CHECK(std::isnan(b.attendance_rate));
  CHECK(rep.branches[1].required == 34 + 12);
  CHECK(rep.branches[1].met == 1);
  CHECK(slots_of(rep, finding_kind::missed, "机关第二支部").size() == 34);
  // Findings: the first branch's come before the second's.
  CHECK(rep.findings.front().branch == "机关第二支部");
  CHECK(rep.findings.back().branch == "机关第一支部");

  const rectify::table t = inputs(rep);
  CHECK(t.units == std::vector<std::string>{"机关第二支部", "机关第一支部"});
  CHECK(t.columns == std::vector<std::string>{"meetings_required", "meetings_short", "meetings_met_ratio",
                                              "records_incomplete", "attendance_rate"});
  CHECK(t.values(0, 0) == 34);
  CHECK(t.values(0, 1) == 34);
  CHECK(t.values(0, 2) == 0);
  CHECK(t.values(0, 3) == 0);
  CHECK(std::isnan(t.values(0, 4)));
  CHECK(t.values(1, 0) == 46);
  CHECK(t.values(1, 1) == 45);
  CHECK(t.values(1, 2) == Approx(1.0 / 46));
  CHECK(t.values(1, 4) == Approx(0.8));
}

TEST_CASE("records naming a branch or group the list lacks are errors", "[compliance][meetings]") {
  const meeting_rules rules = only({"group", "lecture"});
  meeting_options o = period("2026-01", "2026-12");
  o.branches = std::vector<branch_entry>{{"b1", {"g1"}}, {"b2", {}}};
  const meeting_records r = read_meeting_records(
      table_of(kHeader, {rec("b1", "党小组会", "2026-01-05", "g1"), rec("b9", "党课", "2026-01-05"),
                         rec("b1", "党小组会", "2026-01-05", "g9"), rec("b2", "党小组会", "2026-01-05", "g1"),
                         rec("b9", "党课", "2025-01-05")}),  // outside the period: ignored
      rules);
  CHECK(problems_of([&] { (void)check_meetings(r, rules, o); }) ==
        std::vector<std::string>{"meetings.csv:row 1:branch [rectify.compliance.unknown_branch]",
                                 "meetings.csv:row 2:group [rectify.compliance.unknown_group]",
                                 "meetings.csv:row 3:group [rectify.compliance.unknown_group]"});
  const std::string msg = message_of([&] { (void)check_meetings(r, rules, o); });
  CHECK(msg.find("meetings.csv:row 1:branch: [rectify.compliance.unknown_branch] branch \"b9\" is not in the "
                 "branch list") != std::string::npos);
  CHECK(msg.find("party group \"g9\" is not a group of branch \"b1\" in the branch list (its groups: \"g1\")") !=
        std::string::npos);
  CHECK(msg.find("party group \"g1\" is not a group of branch \"b2\" in the branch list (it has no groups)") !=
        std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// validity, completeness, attendance

TEST_CASE("quorum: 6 of 12 is not more than half, 7 of 12 is", "[compliance][meetings]") {
  const meeting_rules rules = only({"committee", "lecture"});
  const auto rep =
      check(rules, period("2026-01", "2026-02"),
            {rec("b1", "支委会", "2026-01-10", "", "12", "6"), rec("b1", "支委会", "2026-02-10", "", "12", "7"),
             rec("b1", "党课", "2026-02-20", "", "10", "9")});
  const branch_report& b = rep.branches[0];
  // committee: 2026-01 (invalid only), 2026-02 met; lecture: Q1 is cut by the period.
  CHECK(b.required == 2);
  CHECK(b.met == 1);
  CHECK(b.invalid == 1);
  CHECK(b.types[0].invalid == 1);
  CHECK(b.types[0].held == 2);
  // Attendance over valid meetings only: (7 + 9) / (12 + 10).
  CHECK(b.attended == 16);
  CHECK(b.expected == 22);
  CHECK(b.attendance_rate == Approx(16.0 / 22.0));
  const auto inv = of_kind(rep, finding_kind::invalid);
  REQUIRE(inv.size() == 1);
  CHECK(inv[0].detail == "attended 6 of 12: the quorum is more than half");
  CHECK(inv[0].slot == "2026-01");
  CHECK(inv[0].row == 0);
  CHECK(inv[0].on == date::from_ymd(2026, 1, 10));
  const auto missed = of_kind(rep, finding_kind::missed);
  REQUIRE(missed.size() == 1);
  CHECK(missed[0].slot == "2026-01");
  CHECK(missed[0].detail == "held 0 of 1; 1 more was not valid");
}

TEST_CASE("other quorum rules from a rules table", "[compliance][meetings]") {
  meeting_rules rules = only({"committee"});
  rules.types[0].quorum = quorum_rule::two_thirds;
  const auto rep =
      check(rules, period("2026-01", "2026-02"),
            {rec("b1", "支委会", "2026-01-10", "", "12", "8"), rec("b1", "支委会", "2026-02-10", "", "12", "7")});
  CHECK(rep.branches[0].met == 1);
  REQUIRE(of_kind(rep, finding_kind::invalid).size() == 1);
  CHECK(of_kind(rep, finding_kind::invalid)[0].detail == "attended 7 of 12: the quorum is at least two thirds");
}

TEST_CASE("a quorum type without attendance counts is invalid", "[compliance][meetings]") {
  const meeting_rules rules = only({"committee", "theme_day"});
  const auto rep = check(rules, period("2026-01", "2026-01"),
                         {"b1,支委会,2026-01-10,,,7,议题,张,李,是,1,是", "b1,支委会,2026-01-11,,12,,议题,张,李,是,1,是",
                          "b1,主题党日,2026-01-12,,,,议题,张,李,是,1,是"});
  const branch_report& b = rep.branches[0];
  CHECK(b.required == 2);
  CHECK(b.met == 1);  // the theme day needs no quorum
  CHECK(b.invalid == 2);
  CHECK(b.incomplete == 3);
  CHECK(std::isnan(b.attendance_rate));  // no valid meeting has both counts
  const auto inv = of_kind(rep, finding_kind::invalid);
  REQUIRE(inv.size() == 2);
  CHECK(inv[0].detail == "attendance not recorded: the quorum cannot be checked");
  // Record order, invalid before incomplete for the same record.
  std::vector<std::string> order;
  for (const auto& f : rep.findings) order.push_back(std::string(name(f.kind)) + ":" + std::to_string(f.row));
  CHECK(order == std::vector<std::string>{"missed:" + std::to_string(static_cast<std::size_t>(-1)), "invalid:0",
                                          "incomplete:0", "invalid:1", "incomplete:1", "incomplete:2"});
  CHECK(rep.findings[2].detail == "expected");
  CHECK(rep.findings[4].detail == "attended");
  CHECK(rep.findings[5].detail == "expected,attended");
}

TEST_CASE("completeness: photos 0, minutes 否, signed empty, topic missing", "[compliance][meetings]") {
  const meeting_rules rules = only({"theme_day"});
  const auto rep = check(rules, period("2026-01", "2026-03"),
                         {"b1,主题党日,2026-01-12,,10,9,,张,李,否,0,", "b1,主题党日,2026-02-12,,10,9,议题,,李,yes,1,Y",
                          "b1,主题党日,2026-03-12,,10,9,议题,张,李,是,3,TRUE"});
  const branch_report& b = rep.branches[0];
  CHECK(b.met == 3);  // completeness never decides validity
  CHECK(b.incomplete == 2);
  const auto inc = of_kind(rep, finding_kind::incomplete);
  REQUIRE(inc.size() == 2);
  CHECK(inc[0].detail == "topic,minutes,photos,signed");
  CHECK(inc[0].missing == std::vector<record_field>{record_field::topic, record_field::minutes, record_field::photos,
                                                    record_field::signed_});
  CHECK(inc[0].slot == "2026-01");
  CHECK(inc[1].detail == "host");
  CHECK(b.attendance_rate == Approx(27.0 / 30.0));
}

TEST_CASE("yes/no cells in Chinese and English", "[compliance][meetings]") {
  const meeting_rules rules = only({"lecture"});
  const meeting_records r = read_meeting_records(
      table_of(kHeader, {"b1,党课,2026-01-12,,10,9,t,h,r,是,1,否", "b1,党课,2026-01-13,,10,9,t,h,r,YES,1,no",
                         "b1,党课,2026-01-14,,10,9,t,h,r,有,1,无", "b1,党课,2026-01-15,,10,9,t,h,r,,1,"}),
      rules);
  REQUIRE(r.records.size() == 4);
  CHECK(r.records[0].minutes == true);
  CHECK(r.records[0].signed_ == false);
  CHECK(r.records[1].minutes == true);
  CHECK(r.records[1].signed_ == false);
  CHECK(r.records[2].minutes == true);
  CHECK(r.records[2].signed_ == false);
  CHECK_FALSE(r.records[3].minutes.has_value());
  CHECK_FALSE(r.records[3].signed_.has_value());
  CHECK(r.records[0].has(record_field::minutes));
  CHECK_FALSE(r.records[0].has(record_field::signed_));
  CHECK_FALSE(r.records[3].has(record_field::minutes));
}

TEST_CASE("empty cells are not recorded, and a lecture without counts is still valid", "[compliance][meetings]") {
  const meeting_rules rules = only({"lecture"});
  const meeting_records r = read_meeting_records(
      table_of(kHeader, {"b1,党课,2026年1月12日,,,,,,,,,", "b1,lecture,2026/2/3,,12.0,10,t,h,r,1,1,1"}), rules);
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[0].present == 0);
  CHECK_FALSE(r.records[0].expected.has_value());
  CHECK_FALSE(r.records[0].photos.has_value());
  CHECK(r.records[0].on == date::from_ymd(2026, 1, 12));
  CHECK(r.records[1].expected == 12);
  CHECK(r.records[1].present == 0xFF);
  const auto rep = check_meetings(r, rules, period("2026-01", "2026-03"));
  CHECK(rep.branches[0].met == 1);
  CHECK(rep.branches[0].invalid == 0);
  CHECK(rep.branches[0].attendance_rate == Approx(10.0 / 12.0));
  REQUIRE(of_kind(rep, finding_kind::incomplete).size() == 1);
  CHECK(of_kind(rep, finding_kind::incomplete)[0].detail ==
        "topic,host,recorder,expected,attended,minutes,photos,signed");
}

TEST_CASE("records outside the period are ignored and counted", "[compliance][meetings]") {
  const meeting_rules rules = only({"committee"});
  const auto rep =
      check(rules, period("2026-02", "2026-03"),
            {rec("b1", "支委会", "2026-01-31", "", "5", "1"), rec("b1", "支委会", "2026-02-01", "", "5", "3"),
             rec("b1", "支委会", "2026-03-31", "", "5", "3"), rec("b1", "支委会", "2026-04-01", "", "5", "1")});
  CHECK(rep.records_outside == 2);
  CHECK(rep.branches[0].records == 2);
  CHECK(rep.branches[0].met == 2);
  CHECK(rep.branches[0].invalid == 0);  // the two below quorum are outside
  CHECK(rep.branches[0].attendance_rate == Approx(0.6));
}

TEST_CASE("findings come in the documented order", "[compliance][meetings]") {
  const meeting_rules rules = only({"general_meeting", "lecture"});
  const auto rep =
      check(rules, period("2026-03", "2026-06"),
            {rec("b", "党课", "2026-04-05", "", "10", ""), rec("a", "党员大会", "2026-05-05", "", "10", "3"),
             rec("a", "党课", "2026-06-05", "", "10", "")});
  std::vector<std::string> got;
  for (const auto& f : rep.findings) got.push_back(std::string(name(f.kind)) + " " + f.branch + " " + f.slot);
  CHECK(got == std::vector<std::string>{"not_assessed  2026-Q1", "not_assessed  2026-Q1", "missed a 2026-Q2",
                                        "invalid a 2026-Q2", "incomplete a 2026-Q2", "missed b 2026-Q2",
                                        "incomplete b 2026-Q2"});
}

// ---------------------------------------------------------------------------------------------
// bad input

TEST_CASE("bad cells are all reported with their places", "[compliance][meetings]") {
  const meeting_rules rules = default_meeting_rules();
  const auto t = table_of(kHeader, {
                                       rec("b1", "党员会", "2026-03-05"),                // unknown type
                                       rec("b1", "党课", "2026-13-01"),                  // bad date
                                       rec("b1", "党课", "2026-03-05", "", "12", "13"),  // attended > expected
                                       rec("b1", "党课", "2026-03-05", "", "十二", "1.5"),
                                       rec("b1", "党课", "2026-03-05", "", "0", "0"),  // expected 0
                                       "b1,党课,2026-03-05,,10,8,t,h,r,maybe,-1,是", rec("", "", ""),
                                       rec("b1", "党小组会", "2026-03-05"),  // no group
                                   });
  CHECK(problems_of([&] { (void)read_meeting_records(t, rules); }) ==
        std::vector<std::string>{
            "meetings.csv:row 0:type [rectify.compliance.unknown_type]",
            "meetings.csv:row 1:date [rectify.compliance.bad_date]",
            "meetings.csv:row 2:attended [rectify.compliance.attended_above_expected]",
            "meetings.csv:row 3:expected [rectify.compliance.bad_count]",
            "meetings.csv:row 3:attended [rectify.compliance.bad_count]",
            "meetings.csv:row 4:expected [rectify.compliance.bad_count]",
            "meetings.csv:row 5:photos [rectify.compliance.bad_count]",
            "meetings.csv:row 5:minutes [rectify.compliance.bad_flag]",
            "meetings.csv:row 6:branch [rectify.compliance.missing_value]",
            "meetings.csv:row 6:type [rectify.compliance.missing_value]",
            "meetings.csv:row 6:date [rectify.compliance.missing_value]",
            "meetings.csv:row 7:group [rectify.compliance.missing_value]",
        });
  const std::string msg = message_of([&] { (void)read_meeting_records(t, rules); });
  CHECK(msg.find("meetings.csv:row 0:type: [rectify.compliance.unknown_type] unknown meeting type \"党员会\"; the "
                 "types are 党员大会 (general_meeting), 支委会 (committee), ") != std::string::npos);
  CHECK(msg.find("meetings.csv:row 1:date: [rectify.compliance.bad_date] \"2026-13-01\" is not a date") !=
        std::string::npos);
  CHECK(msg.find("[rectify.compliance.attended_above_expected] attended 13 is above expected 12") != std::string::npos);
  CHECK(msg.find("column \"expected\": \"十二\" is not a whole number of 0 or more") != std::string::npos);
  CHECK(msg.find("column \"attended\": \"1.5\" is not a whole number") != std::string::npos);
  CHECK(msg.find("column \"expected\": 0 members expected") != std::string::npos);
  CHECK(msg.find("column \"minutes\": \"maybe\" is not yes or no") != std::string::npos);
}

TEST_CASE("missing columns are reported before any cell", "[compliance][meetings]") {
  const meeting_rules rules = default_meeting_rules();
  const auto t =
      table_of("branch,type,expected,attended,topic,host,recorder,minutes,signed", {"b1,党课,1,1,t,h,r,是,是"});
  CHECK(problems_of([&] { (void)read_meeting_records(t, rules); }) ==
        std::vector<std::string>{"meetings.csv [rectify.compliance.missing_column]",
                                 "meetings.csv [rectify.compliance.missing_column]"});
  const std::string msg = message_of([&] { (void)read_meeting_records(t, rules); });
  CHECK(msg.find("the header has no column \"date\"") != std::string::npos);
  CHECK(msg.find("the header has no column \"photos\"") != std::string::npos);

  // Without a column some type's completeness asks for, only when no type asks: here none does.
  meeting_rules lax = only({"lecture"});
  lax.types[0].complete = {record_field::expected, record_field::attended};
  const auto r = read_meeting_records(table_of("branch,type,date,expected,attended", {"b1,党课,2026-01-05,10,9"}), lax);
  REQUIRE(r.records.size() == 1);
  CHECK(r.group_column == -1);
  CHECK(r.date_column == 2);

  // No group column is fine until a record needs one.
  const auto g = table_of("branch,type,date,expected,attended,topic,host,recorder,minutes,photos,signed",
                          {"b1,党课,2026-01-05,10,9,t,h,r,是,1,是", "b1,党小组会,2026-01-05,10,9,t,h,r,是,1,是",
                           "b1,党小组会,2026-02-05,10,9,t,h,r,是,1,是"});
  CHECK(problems_of([&] { (void)read_meeting_records(g, rules); }) ==
        std::vector<std::string>{"meetings.csv:row 1:type [rectify.compliance.missing_column]"});
}

TEST_CASE("error lists stop at 100 and say how many more", "[compliance][meetings]") {
  const meeting_rules rules = only({"lecture"});
  text_table t("big.csv", {"branch", "type", "date", "group", "expected", "attended", "topic", "host", "recorder",
                           "minutes", "photos", "signed"});
  const std::vector<std::string_view> row = {"b1", "党课", "2026-02-30", "", "", "", "", "", "", "", "", ""};
  for (int i = 0; i < 150; ++i) t.add_row(row);
  try {
    (void)read_meeting_records(t, rules);
    FAIL("no error");
  } catch (const rectify::error& e) {
    REQUIRE(e.problems().size() == 101);
    CHECK(e.code() == "rectify.compliance.bad_date");
    CHECK(e.problems()[99].source == "big.csv:row 99:date");
    CHECK(e.problems()[100].message == "... and 50 more problems");
  }
}

TEST_CASE("a bad period is refused", "[compliance][meetings]") {
  const meeting_rules rules = only({"lecture"});
  const auto r = read_meeting_records(table_of(kHeader, {rec("b1", "党课", "2026-01-05")}), rules);
  CHECK(message_of([&] { (void)check_meetings(r, rules, period("2026-03", "2026-02")); }) ==
        "[rectify.compliance.bad_period] the period ends (2026-02) before it starts (2026-03)");
  CHECK(message_of([&] { (void)check_meetings(r, rules, period("1900-01", "2000-01")); }) ==
        "[rectify.compliance.bad_period] the period 1900-01 to 2000-01 is longer than 100 years");
  CHECK(check_meetings(r, rules, period("1900-01", "1999-12")).records_outside == 1);
}

// ---------------------------------------------------------------------------------------------
// branch lists

TEST_CASE("read_branches keeps first-row order and distinct groups", "[compliance][meetings]") {
  const auto list = read_branches(table_of("branch,group", {"b2,g1", "b1,", "b2,g2", "b1,g3", "b3,"}, "branches.csv"));
  REQUIRE(list.size() == 3);
  CHECK(list[0].branch == "b2");
  CHECK(list[0].groups == std::vector<std::string>{"g1", "g2"});
  CHECK(list[1].branch == "b1");
  CHECK(list[1].groups == std::vector<std::string>{"g3"});
  CHECK(list[2].groups.empty());
  const auto plain = read_branches(table_of("unit,branch", {"x,b1", "x,b2"}, "branches.csv"));
  REQUIRE(plain.size() == 2);
  CHECK(plain[1].branch == "b2");

  CHECK(problems_of([] {
          (void)read_branches(table_of("branch,group", {"b1,g1", ",g2", "b1,g1"}, "branches.csv"));
        }) == std::vector<std::string>{"branches.csv:row 1:branch [rectify.compliance.missing_value]",
                                       "branches.csv:row 2:group [rectify.compliance.duplicate_group]"});
  CHECK(problems_of([] { (void)read_branches(table_of("unit,group", {"b1,g1"}, "branches.csv")); }) ==
        std::vector<std::string>{"branches.csv [rectify.compliance.missing_column]"});
}

TEST_CASE("records read with other rules are refused, not misread", "[compliance][meetings]") {
  const meeting_rules all = default_meeting_rules();
  const auto r = read_meeting_records(
      table_of(kHeader, {rec("b1", "党课", "2026-01-05"), rec("b1", "民主评议党员", "2026-01-05")}), all);
  CHECK(problems_of([&] {
          (void)check_meetings(r, only({"general_meeting", "committee", "group", "lecture"}),
                               period("2026-01", "2026-12"));
        }) == std::vector<std::string>{"meetings.csv:row 1:type [rectify.compliance.unknown_type]"});
}
