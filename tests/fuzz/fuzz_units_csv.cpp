// Fuzz target: the unit-data CSV reader (scoring.md §6), read as UTF-8 and as GB18030. A table
// that reads is checked for shape (unique non-empty units, provenance per row and column) and
// scored by a fixed scheme whose inputs are taken from its columns in turn.
#include <set>
#include <string>
#include <vector>

#include "fixed_scheme.hpp"
#include "fuzz_common.hpp"
#include "fuzz_score.hpp"
#include "rectify/io/csv.hpp"

namespace {

void check_and_score(const rectify::table& t) {
  using namespace rectify;
  const auto rows = t.units.size(), cols = t.columns.size();
  RECTIFY_FUZZ_CHECK(static_cast<std::size_t>(t.values.rows()) == rows);
  RECTIFY_FUZZ_CHECK(static_cast<std::size_t>(t.values.cols()) == cols);
  RECTIFY_FUZZ_CHECK(t.provenance.row_lines.size() == rows);
  RECTIFY_FUZZ_CHECK(t.provenance.column_numbers.size() == cols);
  std::set<std::string> seen;
  for (const auto& u : t.units) {
    RECTIFY_FUZZ_CHECK(!u.empty());
    RECTIFY_FUZZ_CHECK(seen.insert(u).second);
  }
  for (const auto& c : t.columns) RECTIFY_FUZZ_CHECK(!c.empty() && c != "unit");
  for (Eigen::Index j = 0; j < t.values.cols(); ++j)
    for (Eigen::Index i = 0; i < t.values.rows(); ++i) RECTIFY_FUZZ_CHECK(!std::isinf(t.values(i, j)));
  if (cols == 0) return;

  // The scheme's inputs take the table's columns in turn (the same column may serve several).
  const auto& plan = fuzz::fixed_plan();
  table scored;
  scored.units = t.units;
  scored.columns = plan.inputs;
  scored.values.resize(t.values.rows(), static_cast<Eigen::Index>(plan.inputs.size()));
  scored.provenance.source = t.provenance.source;
  scored.provenance.row_lines = t.provenance.row_lines;
  for (std::size_t k = 0; k < plan.inputs.size(); ++k) {
    scored.values.col(static_cast<Eigen::Index>(k)) = t.values.col(static_cast<Eigen::Index>(k % cols));
    scored.provenance.column_numbers.push_back(t.provenance.column_numbers[k % cols]);
  }
  fuzz::accepted([&] { fuzz::score_and_check(plan, scored.view()); });
}

void one(std::string_view text) {
  using namespace rectify;
  for (const char* encoding : {"utf-8", "gb18030"}) {
    io::csv_options options;
    options.encoding = encoding;
    table t;
    if (fuzz::accepted([&] { t = io::read_units_csv(text, "fuzz.csv", options); })) check_and_score(t);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rectify::fuzz::run_one(data, size, one);
}
