// Fuzz target: the meeting-rules file (rectify.meeting-rules/1). Rules that parse are written back
// and read again (the round trip must give the same text), and a few fixed records are read and
// checked against them.
#include <set>
#include <string>

#include "fuzz_common.hpp"
#include "rectify/compliance/meetings.hpp"
#include "rectify/io/meeting_rules_json.hpp"
#include "rectify/io/records.hpp"

namespace {

constexpr const char* kRecords =
    "branch,type,date,group,expected,attended,topic,host,recorder,minutes,photos,signed\n"
    "b1,支委会,2026-01-05,,5,4,计划,张,李,是,2,是\n"
    "b1,党小组会,2026-01-19,第一党小组,12,12,学习,王,李,是,2,是\n"
    "b1,党员大会,2026-03-02,,30,12,学习,张,李,否,0,否\n"
    "b2,党课,2026-02-10,,20,20,党课,赵,钱,yes,1,y\n"
    "b2,主题党日,2026-02-28,,20,,活动,赵,钱,,,\n"
    "b2,lecture,2026-04-01,,20,19,,,,1,3,0\n";

void one(std::string_view text) {
  using namespace rectify;
  compliance::meeting_rules rules;
  if (!fuzz::accepted([&] { rules = io::parse_meeting_rules(text, "fuzz.json"); })) return;
  std::set<std::string> ids;
  for (const auto& t : rules.types) {
    RECTIFY_FUZZ_CHECK(!t.id.empty() && ids.insert(t.id).second);
    RECTIFY_FUZZ_CHECK(t.at_least >= 0 && t.at_least <= 31);
    RECTIFY_FUZZ_CHECK(rules.find(t.id) >= 0);
  }
  const std::string dumped = io::dump_meeting_rules(rules);
  compliance::meeting_rules again;
  RECTIFY_FUZZ_CHECK(fuzz::accepted([&] { again = io::parse_meeting_rules(dumped, "dumped.json"); }));
  RECTIFY_FUZZ_CHECK(io::dump_meeting_rules(again) == dumped);
  RECTIFY_FUZZ_CHECK(again.types.size() == rules.types.size());

  fuzz::accepted([&] {
    const auto records = compliance::read_meeting_records(io::read_text_csv(kRecords, "records.csv"), rules);
    compliance::meeting_options options;
    options.from = {2026, 1};
    options.to = {2026, 12};
    const auto r = compliance::check_meetings(records, rules, options);
    for (const auto& b : r.branches) RECTIFY_FUZZ_CHECK(b.met <= b.required && b.types.size() == rules.types.size());
    static_cast<void>(compliance::inputs(r));
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rectify::fuzz::run_one(data, size, one);
}
