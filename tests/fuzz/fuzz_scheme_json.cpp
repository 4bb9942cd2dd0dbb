// Fuzz target: scheme JSON (rectify.scheme/1). Reads, checks and loads the text; a scheme that
// loads is compiled and scores a small fixed cohort whose values are made for its inputs.
#include <array>
#include <limits>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "fuzz_score.hpp"
#include "rectify/io/scheme_json.hpp"

namespace {

void one(std::string_view text) {
  using namespace rectify;
  const auto read = io::parse_scheme(text, "fuzz.json");
  for (const auto& p : read.problems) RECTIFY_FUZZ_CHECK(p.code.rfind("rectify.", 0) == 0);
  const auto problems = io::check_scheme(text, "fuzz.json");
  for (const auto& p : problems) RECTIFY_FUZZ_CHECK(p.code.rfind("rectify.", 0) == 0);
  // check_scheme finds every problem load_scheme throws for: they must agree on "valid".
  assess::scheme s;
  const bool loaded = fuzz::accepted([&] { s = io::load_scheme(text, "fuzz.json"); });
  RECTIFY_FUZZ_CHECK(loaded == problems.empty());
  if (!loaded) return;
  const auto plan = assess::compile(s);

  // Five units; counts get small whole numbers, other inputs fractions and a few large values,
  // and some cells are missing so that the scheme's missing policy runs too.
  constexpr std::array<double, 5> counts{0, 1, 2, 3, 7};
  constexpr std::array<double, 7> values{0, 0.25, 0.5, 0.75, 1, 3, 100};
  const std::vector<std::string> units{"u1", "u2", "u3", "u4", "u5"};
  const auto columns = static_cast<Eigen::Index>(plan.inputs.size());
  Eigen::MatrixXd m(5, columns);
  for (Eigen::Index j = 0; j < columns; ++j)
    for (Eigen::Index i = 0; i < 5; ++i) {
      const auto k = static_cast<std::size_t>(i * 3 + j);
      m(i, j) =
          plan.input_is_count[static_cast<std::size_t>(j)] != 0 ? counts[k % counts.size()] : values[k % values.size()];
    }
  const auto view = make_view(units, plan.inputs, m);
  fuzz::accepted([&] { fuzz::score_and_check(plan, view); });
  if (columns > 0 && plan.missing != assess::missing_policy::error) {
    m(4, columns - 1) = std::numeric_limits<double>::quiet_NaN();
    const auto holed = make_view(units, plan.inputs, m);
    fuzz::accepted([&] { fuzz::score_and_check(plan, holed); });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rectify::fuzz::run_one(data, size, one);
}
