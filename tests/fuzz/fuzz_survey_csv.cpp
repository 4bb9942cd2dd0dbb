// Fuzz target: survey responses (compliance.md §2): the record reader, the satisfaction check with
// the default and a 0–10 scale, and the scorer's inputs.
#include <cmath>

#include "fuzz_text_table.hpp"
#include "rectify/compliance/surveys.hpp"

namespace {

void one(std::string_view text) {
  using namespace rectify;
  fuzz::for_each_text_table(text, [](io::text_table t) {
    compliance::survey_options wide;
    wide.scale_min = 0;
    wide.scale_max = 10;
    wide.satisfied_at = 7;
    wide.confidence = 0.99;
    for (const auto& options : {compliance::survey_options{}, wide}) {
      compliance::survey_report r;
      if (!fuzz::accepted([&] { r = compliance::check_surveys(t, options); })) continue;
      for (const auto& u : r.units) {
        RECTIFY_FUZZ_CHECK(!u.unit.empty());
        RECTIFY_FUZZ_CHECK(u.respondents >= 0 && u.blank >= 0 && u.answers >= 0);
        RECTIFY_FUZZ_CHECK(u.question_means.size() == r.questions.size());
        if (u.respondents > 0) RECTIFY_FUZZ_CHECK(u.index >= 0 && u.index <= 100);
        if (u.answers > 0) RECTIFY_FUZZ_CHECK(u.share_satisfied >= 0 && u.share_satisfied <= 1);
        if (u.respondents >= 2)
          RECTIFY_FUZZ_CHECK(u.ci_low >= 0 && u.ci_low <= u.index + 1e-9 && u.ci_high <= 100 &&
                             u.ci_high >= u.index - 1e-9);
      }
      fuzz::check_inputs(compliance::inputs(r), r.units.size(), {});
    }
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rectify::fuzz::run_one(data, size, one);
}
