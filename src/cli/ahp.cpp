// `rectify ahp MATRIX.csv`: AHP weights and consistency of a pairwise comparison matrix
// (docs/cli.md, "ahp").
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli.hpp"
#include "rectify/io/results.hpp"
#include "rectify/io/scheme_json.hpp"
#include "rectify/mcda/weights.hpp"

namespace rectify::cli {
namespace {

using ojson = nlohmann::ordered_json;

constexpr double kConventionalMaxCr = 0.1;  // Saaty's threshold of acceptable consistency

struct pairwise {
  std::vector<std::string> names;
  Eigen::MatrixXd a;
};

[[noreturn]] void bad(const std::string& message, const std::string& where) {
  raise("rectify.mcda.bad_matrix", "", message, where);
}

// The header row names the criteria (its first cell, the corner, is free text), every other row
// starts with the same names in the same order. A cell is a number or a ratio ("1/3"); an empty
// cell is the reciprocal of its mirror, so the lower triangle may be left out, and an empty
// diagonal is 1.
pairwise read_pairwise(const std::string& path) {
  const auto rows = read_csv_cells(io::read_file(path), path);
  const auto& head = rows[0];
  const std::size_t n = head.size() - 1;
  if (n == 0)
    bad("the header names no criteria: write a corner cell, then the criteria (the same names start the rows)",
        place(path, head[0].line));
  pairwise p;
  for (std::size_t j = 1; j <= n; ++j) {
    const auto& c = head[j];
    if (c.text.empty()) bad("column " + std::to_string(j + 1) + " has an empty name", place(path, c.line, c.column));
    for (std::size_t k = 0; k < p.names.size(); ++k)
      if (p.names[k] == c.text)
        bad("criterion " + rectify::quoted(c.text) + " appears twice in the header (columns " + std::to_string(k + 2) +
                " and " + std::to_string(j + 1) + ")",
            place(path, c.line, c.column));
    p.names.push_back(c.text);
  }
  if (rows.size() - 1 != n)
    bad("a pairwise comparison matrix is square: the header names " + std::to_string(n) + " criteri" +
            (n == 1 ? "on" : "a") + " but there " + (rows.size() - 1 == 1 ? "is " : "are ") +
            std::to_string(rows.size() - 1) + " row" + (rows.size() - 1 == 1 ? "" : "s"),
        place(path, rows.back()[0].line));
  for (std::size_t i = 1; i <= n; ++i) {
    const auto& row = rows[i];
    if (row.size() != n + 1)
      bad("a pairwise comparison matrix is square: the row has " + std::to_string(row.size() - 1) + " judgement" +
              (row.size() == 2 ? "" : "s") + " but the header names " + std::to_string(n) + " criteria",
          place(path, row[0].line));
    if (row[0].text != p.names[i - 1])
      bad("row " + std::to_string(i) + " is " + rectify::quoted(row[0].text) + " but column " + std::to_string(i + 1) +
              " of the header is " + rectify::quoted(p.names[i - 1]) +
              ": the rows list the criteria in the same order as the header",
          place(path, row[0].line, 1));
  }

  const auto cell = [&](std::size_t i, std::size_t j) -> const csv_cell& { return rows[i + 1][j + 1]; };
  const auto at = [&](std::size_t i, std::size_t j) { return place(path, cell(i, j).line, cell(i, j).column); };
  std::vector<std::vector<std::optional<double>>> given(n, std::vector<std::optional<double>>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const auto& c = cell(i, j);
      if (c.text.empty()) continue;
      double v = 0;
      try {
        v = mcda::parse_ratio(c.text);
      } catch (const rectify::error&) {
        bad(rectify::quoted(c.text) +
                " is not a pairwise judgement (a number like \"3\" or \"0.5\", or a ratio like \"1/3\")",
            at(i, j));
      }
      if (!(v > 0))
        bad(rectify::quoted(c.text) + ": a pairwise judgement is a positive number (" + rectify::quoted(p.names[i]) +
                " over " + rectify::quoted(p.names[j]) + ")",
            at(i, j));
      given[i][j] = v;
    }
  p.a.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const auto e = [](std::size_t k) { return static_cast<Eigen::Index>(k); };
      if (given[i][j]) {
        p.a(e(i), e(j)) = *given[i][j];
      } else if (i == j) {
        p.a(e(i), e(j)) = 1;
      } else if (given[j][i]) {
        p.a(e(i), e(j)) = 1 / *given[j][i];
      } else {
        bad("the judgement of " + rectify::quoted(p.names[i]) + " over " + rectify::quoted(p.names[j]) +
                " is empty and so is its mirror: give one of the two",
            at(i, j));
      }
    }
  // The library's rule (|a_ij − 1/a_ji| <= 1e-9 max(a_ij, 1/a_ji)), checked here to name the cells.
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j) {
      const auto ei = static_cast<Eigen::Index>(i), ej = static_cast<Eigen::Index>(j);
      const double x = p.a(ei, ej), y = 1 / p.a(ej, ei);
      if (std::abs(x - y) <= 1e-9 * std::max(x, y)) continue;
      if (i == j)
        bad("the diagonal judgement of " + rectify::quoted(p.names[i]) + " over itself is 1, not " +
                rectify::number_text(x),
            at(i, j));
      bad(rectify::quoted(cell(j, i).text) + " (" + rectify::quoted(p.names[j]) + " over " +
              rectify::quoted(p.names[i]) + ") is not the reciprocal of " + rectify::quoted(cell(i, j).text) + " at " +
              at(i, j) +
              " (a pairwise comparison matrix has a_ji = 1/a_ij; leave one of the two empty to have it filled in)",
          at(j, i));
    }
  return p;
}

std::string method_name(mcda::ahp_method m) {
  return m == mcda::ahp_method::eigenvector ? "eigenvector" : "geometric_mean";
}

}  // namespace

void ahp_command::add_to(CLI::App& app) {
  sub_ = app.add_subcommand("ahp", "AHP weights, lambda_max, CI and CR of a pairwise comparison matrix");
  sub_->add_option("MATRIX", matrix_,
                   "pairwise comparison CSV: a header of criterion names, then one row per criterion starting with "
                   "its name; cells like 3 or 1/3")
      ->required();
  sub_->add_option("--method", method_, "eigenvector (default, Saaty) or geometric_mean (row geometric means)")
      ->check(CLI::IsMember({"eigenvector", "geometric_mean"}));
  sub_->add_option("--ri", ri_, "random index table: saaty1980 (default, n <= 10) or alonso_lamata2006 (n <= 15)")
      ->check(CLI::IsMember({"saaty1980", "alonso_lamata2006"}));
  sub_->add_option("--format", format_, "table (rounded), json or csv (full precision)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  max_cr_opt_ = sub_->add_option("--max-cr", max_cr_,
                                 "fail (exit 1) when CR exceeds this; without it a CR above 0.1 is only a warning");
}

int ahp_command::run() const {
  if (max_cr_opt_->count() > 0 && !(max_cr_ >= 0 && std::isfinite(max_cr_)))
    throw usage_error("--max-cr is " + rectify::number_text(max_cr_) + ": it is a number >= 0");
  const auto method = method_ == "geometric_mean" ? mcda::ahp_method::geometric_mean : mcda::ahp_method::eigenvector;
  const auto table = ri_ == "alonso_lamata2006" ? mcda::random_index::alonso_lamata2006 : mcda::random_index::saaty1980;
  const pairwise p = read_pairwise(matrix_);
  const auto n = p.a.rows();
  const Eigen::Index table_size = table == mcda::random_index::saaty1980 ? 10 : 15;
  if (n > table_size)
    raise("rectify.mcda.bad_matrix", "",
          std::to_string(n) + " criteria, but the random index table " + ri_ +
              " stops at n = " + std::to_string(table_size) +
              (table == mcda::random_index::saaty1980 ? " (--ri alonso_lamata2006 goes to 15)" : ""),
          matrix_);
  const auto r = mcda::ahp(p.a, method, table);
  const double ri = mcda::random_index_value(table, n);

  const std::string verdict = "CR = " + fixed(r.cr, 4) + " > " +
                              rectify::number_text(max_cr_opt_->count() ? max_cr_ : 0.1) + ": judgements inconsistent";
  if (max_cr_opt_->count() > 0 && r.cr > max_cr_) raise("rectify.mcda.inconsistent", "", verdict, matrix_);
  if (max_cr_opt_->count() == 0 && r.cr > kConventionalMaxCr)
    std::fprintf(stderr, "rectify: warning: %s: %s (revise them; --max-cr makes this an error)\n", matrix_.c_str(),
                 verdict.c_str());

  std::string out;
  if (format_ == "json") {
    ojson doc;
    doc["matrix"] = matrix_;
    doc["method"] = method_name(method);
    doc["ri_table"] = ri_;
    doc["n"] = n;
    doc["criteria"] = p.names;
    doc["weights"] = std::vector<double>(r.weights.data(), r.weights.data() + r.weights.size());
    doc["lambda_max"] = r.lambda_max;
    doc["ci"] = r.ci;
    doc["ri"] = ri;
    doc["cr"] = r.cr;
    doc["consistent"] = r.cr <= (max_cr_opt_->count() ? max_cr_ : kConventionalMaxCr);
    out = doc.dump(2) + "\n";
  } else if (format_ == "csv") {
    // One tidy table: the consistency figures repeat on every row, so the file stays a
    // `criterion,weight` file that `rectify mcda --weights` reads as it is.
    out = "criterion,weight,lambda_max,ci,ri,cr\n";
    for (std::size_t j = 0; j < p.names.size(); ++j)
      out += csv_field(p.names[j]) + "," + io::format_double(r.weights[static_cast<Eigen::Index>(j)]) + "," +
             io::format_double(r.lambda_max) + "," + io::format_double(r.ci) + "," + io::format_double(ri) + "," +
             io::format_double(r.cr) + "\n";
  } else {
    out = "AHP (" + method_name(method) + " method) on " + matrix_ + ": " + std::to_string(n) + " criteri" +
          (n == 1 ? "on" : "a") + "\n";
    std::vector<std::vector<std::string>> rows;
    for (std::size_t j = 0; j < p.names.size(); ++j)
      rows.push_back({p.names[j], fixed(r.weights[static_cast<Eigen::Index>(j)], 4)});
    out += aligned_table({"criterion", "weight"}, rows, {false, true});
    out += "λmax = " + fixed(r.lambda_max, 4) + "  CI = " + fixed(r.ci, 4) + "  CR = " + fixed(r.cr, 4) +
           "  (RI = " + io::format_double(ri) + " for n = " + std::to_string(n) + ", " + ri_ + ")\n";
  }
  return write_stdout(out);
}

}  // namespace rectify::cli
