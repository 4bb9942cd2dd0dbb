// Scores the sample bureau with the C++ API and prints the ranking and the lost points of the
// lowest-ranked unit:
//   score_units [SCHEME.json] [UNITS.csv]
#include <cstdio>
#include <rectify/rectify.hpp>
#include <string>

int main(int argc, char** argv) {
  const std::string scheme_path = argc > 1 ? argv[1] : RECTIFY_EXAMPLES_DATA "/scheme.json";
  const std::string units_path = argc > 2 ? argv[2] : RECTIFY_EXAMPLES_DATA "/units.csv";
  try {
    // Compile the scheme once; score any number of cohorts with it.
    const auto plan = rectify::assess::compile(rectify::io::load_scheme_file(scheme_path));
    const auto data = rectify::io::read_units_csv_file(units_path);
    const auto view = data.view();
    const auto res = rectify::assess::score(plan, view);

    std::size_t lowest = 0;
    for (std::size_t i = 0; i < res.size(); ++i) {
      const auto e = static_cast<Eigen::Index>(i);
      std::printf("%3d  %-18s %7.2f  %s\n", res.rank[e], data.units[i].c_str(), res.score[e],
                  plan.grades[static_cast<std::size_t>(res.grade[e])].name.c_str());
      if (res.score[e] < res.score[static_cast<Eigen::Index>(lowest)]) lowest = i;
    }
    std::printf("\nlost points of %s:\n", data.units[lowest].c_str());
    for (const auto& item : rectify::assess::explain(plan, view, lowest, rectify::assess::lang::zh))
      std::printf("  %-28s %6.2f  %s\n", item.node.c_str(), item.points, item.why.c_str());
    return 0;
  } catch (const rectify::error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
