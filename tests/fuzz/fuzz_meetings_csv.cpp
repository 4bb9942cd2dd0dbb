// Fuzz target: 三会一课 meeting records (compliance.md §1): the record reader, the records read
// against the default rules, the check over a whole year and over a period that cuts quarters,
// and the scorer's inputs.
#include "fuzz_text_table.hpp"
#include "rectify/compliance/meetings.hpp"

namespace {

void check(const rectify::compliance::meeting_records& records, const rectify::compliance::meeting_rules& rules,
           rectify::compliance::month from, rectify::compliance::month to) {
  using namespace rectify;
  compliance::meeting_options options;
  options.from = from;
  options.to = to;
  const auto r = compliance::check_meetings(records, rules, options);
  for (const auto& b : r.branches) {
    RECTIFY_FUZZ_CHECK(!b.branch.empty());
    RECTIFY_FUZZ_CHECK(b.met >= 0 && b.met <= b.required);
    RECTIFY_FUZZ_CHECK(b.invalid >= 0 && b.invalid <= b.records);
    RECTIFY_FUZZ_CHECK(b.incomplete >= 0 && b.incomplete <= b.records);
    RECTIFY_FUZZ_CHECK(b.attended >= 0 && b.attended <= b.expected);
    RECTIFY_FUZZ_CHECK(b.types.size() == rules.types.size());
    std::int64_t required = 0, met = 0;
    for (const auto& s : b.types) {
      RECTIFY_FUZZ_CHECK(s.met >= 0 && s.met <= s.required && s.invalid <= s.held);
      required += s.required;
      met += s.met;
    }
    RECTIFY_FUZZ_CHECK(required == b.required && met == b.met);
  }
  for (const auto& f : r.findings) RECTIFY_FUZZ_CHECK(f.type < rules.types.size());
  fuzz::check_inputs(compliance::inputs(r), r.branches.size(), {"meetings_met_ratio", "attendance_rate"});
}

void one(std::string_view text) {
  using namespace rectify;
  static const auto rules = compliance::default_meeting_rules();
  fuzz::for_each_text_table(text, [](io::text_table t) {
    const auto records = compliance::read_meeting_records(std::move(t), rules);
    for (const auto& rec : records.records) {
      RECTIFY_FUZZ_CHECK(rec.type < rules.types.size());
      RECTIFY_FUZZ_CHECK(!rec.branch.empty());
      if (rec.expected && rec.attended) RECTIFY_FUZZ_CHECK(*rec.attended <= *rec.expected);
      RECTIFY_FUZZ_CHECK(!records.place(rec, -1).empty());
    }
    fuzz::accepted([&] { check(records, rules, {2026, 1}, {2026, 12}); });
    fuzz::accepted([&] { check(records, rules, {2025, 11}, {2026, 2}); });
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rectify::fuzz::run_one(data, size, one);
}
