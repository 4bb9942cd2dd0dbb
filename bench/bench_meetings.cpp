// Meetings benchmark, C++ side (issue 5 part 8; see docs/benchmarks.md, "Meetings").
//
//   rectify_bench_meetings RECORDS.csv [--branches FILE] [--repeat R] [--from YYYY-MM] [--to YYYY-MM]
//
// RECORDS.csv is written by bench/gen_meetings.py (10,000 branches × 2026, about 600,000
// records; bench/bench_meetings.py generates it and runs this program). Round by round (R
// rounds, interleaved so that each step sees the same machine state), in one process:
//   - read     io::read_text_csv_file of the file: the reference, what it costs to read this
//              CSV at all (the file is in the page cache after the first round);
//   - check    the whole check, step by step: the same read, compliance::read_meeting_records
//              (the default rules), compliance::check_meetings over --from..--to, and
//              compliance::inputs; their sum is the figure compared with the target;
//   - with --branches FILE: the whole check again with the branch list (read_text_csv_file of
//              FILE and read_branches added, and check_meetings told the branches), for
//              information.
// Destroying the results is kept out of the timed region. Reported: best and median of the
// rounds, and the ratio of medians whole check / read (target ≤ 3). The last line,
// `RESULT read_ms=… check_ms=… ratio=…`, is for bench/bench_meetings.py.

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "rectify/compliance/meetings.hpp"
#include "rectify/core/table.hpp"
#include "rectify/io/records.hpp"

namespace {

using namespace rectify::bench;  // NOLINT: the shared measurement helpers
namespace rc = rectify::compliance;

rc::month parse_month_arg(const char* flag, const std::string& text) {
  auto m = rc::month::parse(text);
  if (!m) throw std::runtime_error(std::string(flag) + ": not a month (YYYY-MM): " + text);
  return *m;
}

void usage() {
  std::fprintf(stderr,
               "usage: rectify_bench_meetings RECORDS.csv [--branches FILE] [--repeat R] [--from YYYY-MM] "
               "[--to YYYY-MM]\n");
}

// What the check found, to show that the run did real work (and the same work every round).
void describe(const rc::meetings_report& r, std::size_t rows) {
  long long required = 0, met = 0, invalid = 0, incomplete = 0, records = 0;
  for (const auto& b : r.branches) {
    required += b.required;
    met += b.met;
    invalid += b.invalid;
    incomplete += b.incomplete;
    records += b.records;
  }
  std::printf(
      "  %zu rows, %zu branches, %lld records in the period (%lld outside); %lld slots, %lld met, %lld short; "
      "%lld invalid, %lld incomplete; %zu findings\n",
      rows, r.branches.size(), records, static_cast<long long>(r.records_outside), required, met, required - met,
      invalid, incomplete, r.findings.size());
}

}  // namespace

int main(int argc, char** argv) try {
  std::string path, branches_path;
  int repeat = 5;
  rc::month from{2026, 1}, to{2026, 12};
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--repeat")
      repeat = std::atoi(value().c_str());
    else if (a == "--branches")
      branches_path = value();
    else if (a == "--from")
      from = parse_month_arg("--from", value());
    else if (a == "--to")
      to = parse_month_arg("--to", value());
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
  if (path.empty() || repeat < 1) {
    usage();
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines show up when piped to a driver

  const rc::meeting_rules rules = rc::default_meeting_rules();
  rc::meeting_options options{from, to, std::nullopt};

  // One untimed pass first: the file must check without an error (a benchmark of a refused
  // file would measure an early exit), and it warms the page cache.
  double file_mb = 0;
  std::optional<std::vector<rc::branch_entry>> listed;
  {
    auto table = rectify::io::read_text_csv_file(path);
    const std::size_t rows = table.rows();
    std::size_t bytes = 0;
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < table.columns(); ++c) bytes += table.field(r, c).size();
    auto records = rc::read_meeting_records(std::move(table), rules);
    auto report = rc::check_meetings(records, rules, options);
    auto in = rc::inputs(report);
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f != nullptr) {
      std::fseek(f, 0, SEEK_END);
      file_mb = static_cast<double>(std::ftell(f)) / 1e6;
      std::fclose(f);
    }
    std::printf("%s: %.1f MB (%.1f MB of field text), %s..%s; %d rounds, interleaved\n", path.c_str(), file_mb,
                static_cast<double>(bytes) / 1e6, from.str().c_str(), to.str().c_str(), repeat);
    std::printf("without a branch list:\n");
    describe(report, rows);
    std::printf("  inputs: %zu units x %zu columns\n", in.units.size(), in.columns.size());
    if (!branches_path.empty()) {
      listed = rc::read_branches(rectify::io::read_text_csv_file(branches_path));
      rc::meeting_options with{from, to, listed};
      auto report2 = rc::check_meetings(records, rules, with);
      std::printf("with the branch list %s (%zu branches):\n", branches_path.c_str(), listed->size());
      describe(report2, rows);
    }
  }

  samples t_read, t_read2, t_records, t_check, t_inputs, t_total;
  samples t_blist, t_check_b, t_total_b;
  for (int rep = 0; rep < repeat; ++rep) {
    {
      std::optional<rectify::io::text_table> table;
      measure(t_read, [&] { table.emplace(rectify::io::read_text_csv_file(path)); });
      g_sink = g_sink + static_cast<double>(table->rows());
    }
    {
      std::optional<rectify::io::text_table> table;
      std::optional<rc::meeting_records> records;
      std::optional<rc::meetings_report> report;
      std::optional<rectify::table> in;
      measure(t_read2, [&] { table.emplace(rectify::io::read_text_csv_file(path)); });
      measure(t_records, [&] { records.emplace(rc::read_meeting_records(std::move(*table), rules)); });
      measure(t_check, [&] { report.emplace(rc::check_meetings(*records, rules, options)); });
      measure(t_inputs, [&] { in.emplace(rc::inputs(*report)); });
      t_total.ms.push_back(t_read2.ms.back() + t_records.ms.back() + t_check.ms.back() + t_inputs.ms.back());
      g_sink = g_sink + static_cast<double>(in->units.size());

      if (!branches_path.empty()) {
        std::optional<std::vector<rc::branch_entry>> list;
        measure(t_blist, [&] { list.emplace(rc::read_branches(rectify::io::read_text_csv_file(branches_path))); });
        std::optional<rc::meetings_report> report_b;
        std::optional<rectify::table> in_b;
        rc::meeting_options with{from, to, std::move(*list)};
        measure(t_check_b, [&] {
          report_b.emplace(rc::check_meetings(*records, rules, with));
          in_b.emplace(rc::inputs(*report_b));
        });
        t_total_b.ms.push_back(t_read2.ms.back() + t_records.ms.back() + t_blist.ms.back() + t_check_b.ms.back());
        g_sink = g_sink + static_cast<double>(in_b->units.size());
      }
    }
  }

  const double read_med = t_read.median();
  std::printf("\n%-52s %10s %10s %10s %10s %14s\n", "", "best ms", "median ms", "MB/s", "x read", "extra memory");
  auto row = [&](const char* label, const samples& t) {
    if (t.ms.empty()) return;
    char extra[32] = "-";
    if (t.extra_kb >= 0) std::snprintf(extra, sizeof extra, "%.1f MB", mb(t.extra_kb));
    std::printf("%-52s %10.1f %10.1f %10.1f %10.2f %14s\n", label, t.best(), t.median(), file_mb / (t.median() / 1e3),
                t.median() / read_med, extra);
  };
  row("read: io::read_text_csv_file (reference)", t_read);
  row("check, step 1: read_text_csv_file (again)", t_read2);
  row("check, step 2: compliance::read_meeting_records", t_records);
  row("check, step 3: compliance::check_meetings", t_check);
  row("check, step 4: compliance::inputs", t_inputs);
  row("whole check (sum of steps 1-4)", t_total);
  row("branch list: read_text_csv_file + read_branches", t_blist);
  row("check_meetings + inputs with the branch list", t_check_b);
  row("whole check with the branch list", t_total_b);

  const double ratio = t_total.median() / read_med;
  std::printf("\ntarget (ratio of medians):\n");
  std::printf("  whole check / read       %6.2f  (target <= 3)  %s\n", ratio, ratio <= 3 ? "met" : "NOT MET");
  if (!t_total_b.ms.empty())
    std::printf("  same with branch list    %6.2f  (for information)\n", t_total_b.median() / read_med);
  std::printf("RESULT read_ms=%.3f check_ms=%.3f ratio=%.4f file_mb=%.3f\n", read_med, t_total.median(), ratio,
              file_mb);
  return 0;
} catch (const std::exception& e) {  // rectify::error's what() lists every problem
  std::fprintf(stderr, "%s\n", e.what());
  return 1;
}
