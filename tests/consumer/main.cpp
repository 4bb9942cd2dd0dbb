// Scores a scheme given on the command line against a unit CSV; prints "units=N top=ID".
#include <cstdio>
#include <rectify/rectify.hpp>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  try {
    auto plan = rectify::assess::compile(rectify::io::load_scheme_file(argv[1]));
    auto data = rectify::io::read_units_csv_file(argv[2]);
    auto res = rectify::assess::score(plan, data.view());
    for (std::size_t i = 0; i < res.size(); ++i)
      if (res.rank[static_cast<Eigen::Index>(i)] == 1)
        std::printf("units=%zu top=%s\n", res.size(), data.units[i].c_str());
    return 0;
  } catch (const rectify::error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
