// Ledger benchmark, C++ side (issue 4 part 10; see docs/benchmarks.md, "Ledger").
//
//   rectify_bench_ledger LEDGER.json [--repeat R] [--as-of DATE] [--start DATE] [--days N]
//                        [--callback-parse]
//
// LEDGER.json is written by bench/gen_ledger.py (100,000 measures, 1,000,000 chained events by
// default; bench/bench_ledger.py generates it and runs this program). The file is read into
// memory once; then, round by round (R rounds, interleaved so that each step sees the same
// machine state), in one process:
//   - parse    nlohmann::json::parse of the same bytes: the reference, what it costs to read
//              this JSON at all;
//   - load     rectify::io::parse_ledger of the same bytes (parse + validation + the model);
//   - verify   rectify::ledger::verify (the hash chain and every guard, replaying the log);
//   - status   rectify::ledger::status as of --as-of (one replay of the events up to that day);
//   - timeline rectify::ledger::timeline over --days days from --start, ungrouped, and grouped
//              by unit for information.
// With --callback-parse, also nlohmann::json::parse with a parser callback that keeps every
// value, for the record: io/json_text.cpp first parsed that way to find duplicate keys, and
// nlohmann 3.11.2's callback parser scans the parent container on every object end, so an
// array of n objects costs O(n^2). It now uses its own SAX builder (one pass, linear).
// Destroying the results is kept out of the timed region (the JSON tree and the plan are freed
// after the clock stops). Reported: best and median of the rounds, and the ratios of medians
// against the two targets: load + verify + status within 3x of the plain parse, the timeline
// within 2x of a single status.

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bench_support.hpp"
#include "rectify/core/dates.hpp"
#include "rectify/core/error.hpp"
#include "rectify/io/ledger_json.hpp"
#include "rectify/ledger/metrics.hpp"
#include "rectify/ledger/workflow.hpp"

namespace {

using namespace rectify::bench;  // NOLINT: the shared measurement helpers
namespace rl = rectify::ledger;

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + path + " (write it with bench/gen_ledger.py)");
  std::ostringstream s;
  s << f.rdbuf();
  return std::move(s).str();
}

rectify::date parse_date_arg(const char* flag, const std::string& text) {
  auto d = rectify::date::parse(text);
  if (!d) throw std::runtime_error(std::string(flag) + ": not a date (YYYY-MM-DD): " + text);
  return *d;
}

void usage() {
  std::fprintf(stderr,
               "usage: rectify_bench_ledger LEDGER.json [--repeat R] [--as-of DATE] [--start DATE] [--days N] "
               "[--callback-parse]\n");
}

}  // namespace

int main(int argc, char** argv) try {
  std::string path;
  int repeat = 5;
  rectify::date as_of = rectify::date::from_ymd(2026, 9, 30);
  rectify::date start = rectify::date::from_ymd(2026, 1, 1);
  int days = 365;
  bool callback_parse = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--repeat")
      repeat = std::atoi(value().c_str());
    else if (a == "--as-of")
      as_of = parse_date_arg("--as-of", value());
    else if (a == "--start")
      start = parse_date_arg("--start", value());
    else if (a == "--days")
      days = std::atoi(value().c_str());
    else if (a == "--callback-parse")
      callback_parse = true;
    else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else if (!a.empty() && a[0] != '-' && path.empty()) {
      path = a;
    } else {
      usage();
      return 2;
    }
  }
  if (path.empty() || repeat < 1 || days < 1) {
    usage();
    return 2;
  }
  const rectify::date end = start + (days - 1);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines show up when piped to a driver

  const std::string text = read_file(path);
  const double file_mb = static_cast<double>(text.size()) / 1e6;

  // One untimed pass first: check that the ledger verifies (a benchmark of a failing verify
  // would measure an early exit) and describe it.
  {
    auto p = rectify::io::parse_ledger(text, path);
    auto rep = rl::verify(p);
    if (!rep.ok()) {
      std::fprintf(stderr, "%s does not verify: seq %lld: %s\n", path.c_str(), static_cast<long long>(rep.failure->seq),
                   rep.failure->reason.c_str());
      return 1;
    }
    auto st = rl::status(p, as_of);
    std::array<long long, rl::state_count> n{};
    long long overdue = 0;
    for (const auto& m : st.measures) {
      ++n[static_cast<std::size_t>(m.current)];
      overdue += m.overdue ? 1 : 0;
    }
    std::printf("%s: %.1f MB, %zu measures, %zu events, %zu units\n", path.c_str(), file_mb, p.measure_count(),
                p.log.size(), st.groups.size());
    std::printf("as of %s: planned %lld, in_progress %lld, submitted %lld, verified %lld, closed %lld; overdue %lld\n",
                as_of.str().c_str(), n[0], n[1], n[2], n[3], n[4], overdue);
    std::printf("timeline %s .. %s (%d days); %d rounds, interleaved\n", start.str().c_str(), end.str().c_str(), days,
                repeat);
  }

  samples t_parse, t_parse_cb, t_load, t_verify, t_status, t_total, t_timeline, t_timeline_unit;
  for (int rep = 0; rep < repeat; ++rep) {
    {
      nlohmann::json j;
      measure(t_parse, [&] { j = nlohmann::json::parse(text); });
      g_sink = g_sink + static_cast<double>(j.size());
    }
    if (callback_parse) {
      nlohmann::json j;
      measure(t_parse_cb, [&] {
        j = nlohmann::json::parse(text, [](int, nlohmann::json::parse_event_t, nlohmann::json&) { return true; });
      });
      g_sink = g_sink + static_cast<double>(j.size());
    }
    std::optional<rl::plan> p;
    measure(t_load, [&] { p.emplace(rectify::io::parse_ledger(text, path)); });
    rl::verify_report vr;
    measure(t_verify, [&] { vr = rl::verify(*p); });
    if (!vr.ok()) throw std::runtime_error("verify failed in round " + std::to_string(rep));
    {
      rl::status_report st;
      measure(t_status, [&] { st = rl::status(*p, as_of); });
      g_sink = g_sink + static_cast<double>(st.measures.size());
    }
    t_total.ms.push_back(t_load.ms.back() + t_verify.ms.back() + t_status.ms.back());
    {
      std::vector<rl::timeline_row> rows;
      measure(t_timeline, [&] { rows = rl::timeline(*p, start, end); });
      g_sink = g_sink + static_cast<double>(rows.size());
    }
    {
      std::vector<rl::timeline_row> rows;
      measure(t_timeline_unit, [&] { rows = rl::timeline(*p, start, end, rl::group_by::unit); });
      g_sink = g_sink + static_cast<double>(rows.size());
    }
  }

  const double parse_med = t_parse.median();
  const double status_med = t_status.median();
  std::printf("\n%-44s %10s %10s %10s %12s %14s\n", "", "best ms", "median ms", "MB/s", "x parse", "extra memory");
  auto row = [&](const char* label, const samples& t) {
    if (t.ms.empty()) return;
    char extra[32] = "-";
    if (t.extra_kb >= 0) std::snprintf(extra, sizeof extra, "%.1f MB", mb(t.extra_kb));
    std::printf("%-44s %10.1f %10.1f %10.1f %12.2f %14s\n", label, t.best(), t.median(), file_mb / (t.median() / 1e3),
                t.median() / parse_med, extra);
  };
  row("parse: nlohmann::json::parse (reference)", t_parse);
  row("  same, with a keep-all parser callback", t_parse_cb);
  row("load: io::parse_ledger", t_load);
  row("verify: ledger::verify", t_verify);
  char label[96];
  std::snprintf(label, sizeof label, "status as of %s (a single status)", as_of.str().c_str());
  row(label, t_status);
  row("load + verify + status", t_total);
  std::snprintf(label, sizeof label, "timeline, %d days, ungrouped", days);
  row(label, t_timeline);
  std::snprintf(label, sizeof label, "timeline, %d days, by unit", days);
  row(label, t_timeline_unit);

  const double r1 = t_total.median() / parse_med;
  const double r2 = t_timeline.median() / status_med;
  const double r3 = t_timeline_unit.median() / status_med;
  std::printf("\ntargets (ratios of medians):\n");
  std::printf("  load + verify + status / parse     %6.2f  (target <= 3)  %s\n", r1, r1 <= 3 ? "met" : "NOT MET");
  std::printf("  timeline (%d days) / one status   %6.2f  (target <= 2)  %s\n", days, r2, r2 <= 2 ? "met" : "NOT MET");
  std::printf("  timeline by unit / one status      %6.2f  (for information)\n", r3);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "%s\n", e.what());
  return 1;
}
