// Fuzz target: the risk register (compliance.md §3): the record reader, the register check as of
// two fixed days (one a 29 February, whose 12-month window starts on 28 February) and the scorer's
// inputs.
#include "fuzz_text_table.hpp"
#include "rectify/compliance/risks.hpp"

namespace {

void one(std::string_view text) {
  using namespace rectify;
  fuzz::for_each_text_table(text, [](io::text_table t) {
    for (const auto as_of : {date::from_ymd(2026, 6, 30), date::from_ymd(2028, 2, 29)}) {
      compliance::risk_report r;
      if (!fuzz::accepted([&] { r = compliance::check_risks(t, as_of); })) continue;
      std::int64_t points = 0;
      for (const auto& u : r.units) {
        RECTIFY_FUZZ_CHECK(!u.unit.empty());
        RECTIFY_FUZZ_CHECK(u.by_level[0] + u.by_level[1] + u.by_level[2] == u.points);
        RECTIFY_FUZZ_CHECK(u.controlled >= 0 && u.controlled <= u.points);
        RECTIFY_FUZZ_CHECK(u.high_reviewed >= 0 && u.high_reviewed <= u.by_level[0]);
        points += u.points;
      }
      RECTIFY_FUZZ_CHECK(static_cast<std::size_t>(points) == r.points.size());
      for (const auto& p : r.points)
        if (p.reviewed) RECTIFY_FUZZ_CHECK(*p.reviewed <= as_of);
      fuzz::check_inputs(compliance::inputs(r), r.units.size(), {"risk_controlled_ratio", "risk_high_reviewed_ratio"});
    }
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rectify::fuzz::run_one(data, size, one);
}
