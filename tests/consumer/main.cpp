// Scores a scheme given on the command line against a unit CSV; prints "units=N top=ID", then
// "smaa=B" (the first-rank acceptability of a dominating alternative, run on two threads, so the
// installed package must carry its Threads dependency), then "ledger=N ok" for the ledger given as
// the third argument (verified with SHA-256, so the package must carry its OpenSSL dependency),
// then "meetings=N" for the 三会一课 records given as the fourth: the branches checked over 2026
// (the record reader and the compliance module are installed with their headers).
#include <cstdio>
#include <rectify/rectify.hpp>

int main(int argc, char** argv) {
  if (argc != 5) return 2;
  try {
    auto plan = rectify::assess::compile(rectify::io::load_scheme_file(argv[1]));
    auto data = rectify::io::read_units_csv_file(argv[2]);
    auto res = rectify::assess::score(plan, data.view());
    for (std::size_t i = 0; i < res.size(); ++i)
      if (res.rank[static_cast<Eigen::Index>(i)] == 1)
        std::printf("units=%zu top=%s\n", res.size(), data.units[i].c_str());
    Eigen::MatrixXd x(3, 2);
    x << 9, 1, 5, 3, 4, 2;  // the first row dominates (criterion 2 is a cost)
    rectify::mcda::smaa_options o;
    o.samples = 512;
    o.threads = 2;
    auto s = rectify::mcda::smaa(x, Eigen::Vector2i(1, -1), o);
    std::printf("smaa=%g\n", s.acceptability(0, 0));
    auto ledger = rectify::io::load_ledger_file(argv[3]);
    std::printf("ledger=%zu %s\n", ledger.log.size(), rectify::ledger::verify(ledger).ok() ? "ok" : "broken");
    const auto rules = rectify::compliance::default_meeting_rules();
    const auto records = rectify::compliance::read_meeting_records(rectify::io::read_text_csv_file(argv[4]), rules);
    const auto report = rectify::compliance::check_meetings(records, rules, {.from = {2026, 1}, .to = {2026, 11}});
    std::printf("meetings=%zu\n", report.branches.size());
    return 0;
  } catch (const rectify::error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
