// The `rectify` command line. Exit status: 0 success, 1 invalid input (messages on stderr,
// nothing on stdout), 2 bad usage. Output is built whole before anything is written, so a
// failure never leaves half a result on stdout. `mcda`, `ahp` and `ledger` live in mcda.cpp, ahp.cpp
// and ledger.cpp; `meetings`, `survey` and `risks` in compliance.cpp; `similar` in similar.cpp;
// `report` (which runs the Python package's report) in report.cpp.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <new>
#include <set>
#include <vector>

#include "cli.hpp"
#include "rectify/rectify.hpp"

using rectify::cli::print_problems;
using rectify::cli::write_stdout;

int main(int argc, char** argv) {
  // Past a file-size limit (ulimit -f) the kernel kills a writer with SIGXFSZ; ignored, the
  // write fails with EFBIG instead, so a ledger write can clean up and say why (ledger.md §3).
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"rectify: rectification ledgers and weighted performance assessment (考核)", "rectify"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "rectify 0.1.0");

  std::string scheme_path, format = "table", language = "zh", encoding = "utf-8";
  std::vector<std::string> data_paths;
  bool explain = false;
  auto* score = app.add_subcommand("score", "score units from an assessment scheme and a unit CSV");
  score->add_option("SCHEME", scheme_path, "scheme JSON (rectify.scheme/1)")->required();
  score
      ->add_option("DATA", data_paths,
                   "unit CSV: a `unit` column, then one column per input; several files are joined on `unit` "
                   "(e.g. units.csv and the output of `rectify ledger inputs`)")
      ->required();
  score->add_option("--format", format, "table (ranked, rounded), json or csv (full precision)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  score->add_flag("--explain", explain, "table: lost points under each unit; csv: the lost points as rows");
  score->add_option("--lang", language, "language of explanations and headers")->check(CLI::IsMember({"zh", "en"}));
  score->add_option("--encoding", encoding, "encoding of DATA")->check(CLI::IsMember({"utf-8", "gbk", "gb18030"}));

  std::string validate_path;
  auto* validate = app.add_subcommand("validate", "check a scheme and report every problem at once");
  validate->add_option("SCHEME", validate_path, "scheme JSON (rectify.scheme/1)")->required();

  rectify::cli::mcda_command mcda;
  mcda.add_to(app);
  rectify::cli::ahp_command ahp;
  ahp.add_to(app);
  rectify::cli::ledger_command ledger;
  ledger.add_to(app);
  rectify::cli::compliance_commands compliance;
  compliance.add_to(app);
  rectify::cli::similar_command similar;
  similar.add_to(app);
  rectify::cli::report_command report;
  report.add_to(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  try {
    if (mcda.chosen()) return mcda.run();
    if (ahp.chosen()) return ahp.run();
    if (ledger.chosen()) return ledger.run();
    if (compliance.chosen()) return compliance.run();
    if (similar.chosen()) return similar.run();
    if (report.chosen()) return report.run(argc, argv);
    if (*validate) {
      auto problems = rectify::io::check_scheme(rectify::io::read_file(validate_path), validate_path);
      if (!problems.empty()) {
        print_problems(problems);
        std::fprintf(stderr, "rectify: %zu problem%s in %s\n", problems.size(), problems.size() == 1 ? "" : "s",
                     validate_path.c_str());
        return 1;
      }
      auto plan = rectify::assess::compile(rectify::io::load_scheme_file(validate_path));
      std::size_t inner = 0;
      for (const auto& n : plan.nodes) inner += n.leaf < 0 ? 1 : 0;
      return write_stdout(validate_path + ": valid: " + plan.id + ", " + std::to_string(plan.leaves.size()) +
                          " leaves, " + std::to_string(inner) + " groups, " + std::to_string(plan.inputs.size()) +
                          " inputs, " + std::to_string(plan.grades.size()) + " grades\n");
    }

    auto plan = rectify::assess::compile(rectify::io::load_scheme_file(scheme_path));
    rectify::io::csv_options copt;
    copt.encoding = encoding;
    std::vector<rectify::table> parts;
    for (const auto& path : data_paths) parts.push_back(rectify::io::read_units_csv_file(path, copt));
    const std::size_t first_units = parts.front().units.size();
    auto data = parts.size() == 1 ? std::move(parts.front()) : rectify::join(parts);
    if (data.units.size() > first_units) {
      // A unit only a later file names is usually a typo or a unit the main file forgot.
      std::string extra;
      for (std::size_t i = first_units; i < data.units.size(); ++i)
        extra += (extra.empty() ? "" : ", ") + data.units[i];
      std::fprintf(stderr, "rectify: note: units not in %s, scored from the other files only: %s\n",
                   data_paths.front().c_str(), extra.c_str());
    }
    std::set<std::string> used(plan.inputs.begin(), plan.inputs.end());
    // Named per file, since with several DATA files the reader wants to know where to look.
    std::map<std::string, std::string> unused;
    for (std::size_t j = 0; j < data.columns.size(); ++j) {
      if (used.count(data.columns[j])) continue;
      const auto& pv = data.provenance;
      auto& list = unused[pv.parts.empty() ? pv.source : pv.parts[pv.column_part[j]].source];
      list += (list.empty() ? "" : ", ") + data.columns[j];
    }
    for (const auto& [file, columns] : unused)
      std::fprintf(stderr, "rectify: note: %s: columns the scheme does not use are ignored: %s\n", file.c_str(),
                   columns.c_str());
    auto view = data.view();
    auto result = rectify::assess::score(plan, view);
    auto lang = language == "en" ? rectify::assess::lang::en : rectify::assess::lang::zh;
    std::string out;
    if (format == "json")
      out = rectify::io::result_json(plan, view, result, lang);
    else if (format == "csv")
      out = explain ? rectify::io::lost_csv(plan, view, result, lang) : rectify::io::result_csv(plan, view, result);
    else
      out = rectify::io::result_table(plan, view, result, explain, lang);
    return write_stdout(out);
  } catch (const rectify::cli::usage_error& e) {
    std::fprintf(stderr, "rectify: %s\nRun with --help for more information.\n", e.what());
    return 2;
  } catch (const rectify::error& e) {
    print_problems(e.problems());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "rectify: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rectify: internal error: %s\n", e.what());
    return 1;
  }
}
