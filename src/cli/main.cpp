// The `rectify` command line. Exit status: 0 success, 1 invalid input (messages on stderr,
// nothing on stdout), 2 bad usage. Output is built whole before anything is written, so a
// failure never leaves half a result on stdout. `mcda` and `ahp` live in mcda.cpp and ahp.cpp.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <new>
#include <set>

#include "cli.hpp"
#include "rectify/rectify.hpp"

using rectify::cli::print_problems;
using rectify::cli::write_stdout;

int main(int argc, char** argv) {
  CLI::App app{"rectify: rectification ledgers and weighted performance assessment (考核)", "rectify"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "rectify 0.1.0");

  std::string scheme_path, data_path, format = "table", language = "zh", encoding = "utf-8";
  bool explain = false;
  auto* score = app.add_subcommand("score", "score units from an assessment scheme and a unit CSV");
  score->add_option("SCHEME", scheme_path, "scheme JSON (rectify.scheme/1)")->required();
  score->add_option("DATA", data_path, "unit CSV: a `unit` column, then one column per input")->required();
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  try {
    if (mcda.chosen()) return mcda.run();
    if (ahp.chosen()) return ahp.run();
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
    auto data = rectify::io::read_units_csv_file(data_path, copt);
    std::set<std::string> used(plan.inputs.begin(), plan.inputs.end());
    std::string unused;
    for (const auto& c : data.columns)
      if (!used.count(c)) unused += (unused.empty() ? "" : ", ") + c;
    if (!unused.empty())
      std::fprintf(stderr, "rectify: note: %s: columns the scheme does not use are ignored: %s\n", data_path.c_str(),
                   unused.c_str());
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
