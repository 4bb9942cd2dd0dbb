#pragma once
// Shared pieces of the `rectify` command line: the usage-error exception (exit 2), writing the
// output, the small CSV cell reader for the text-valued files (AHP matrices, weight files), and
// the aligned plain-text tables.
#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/io/results.hpp"

namespace rectify::cli {

using io::csv_field;

/// Bad usage found after CLI11 has parsed the arguments (a `--types` list of the wrong length,
/// an option the chosen method does not take): main() prints it and exits with status 2.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Writes the whole output; 0, or 1 (with a message) when stdout cannot take it.
int write_stdout(const std::string& text);

/// `rectify: <problem>` on stderr, one line each.
void print_problems(const std::vector<problem>& ps);

/// A CSV field as read: its text (unquoted and trimmed) and where it starts (1-based).
struct csv_cell {
  std::string text;
  std::size_t line = 0;
  std::size_t column = 0;
};
using csv_row = std::vector<csv_cell>;

/// The records of a small RFC 4180 file whose cells are text, not numbers (the unit-data
/// reader of io/csv.hpp turns every cell into a number, so it cannot read "1/3" or a criterion
/// name). UTF-8 with or without a BOM; LF, CRLF or CR line ends; double-quoted fields with ""
/// for a quote; spaces and tabs around a field trimmed; blank lines skipped, as in io/csv.hpp.
/// Errors name `source:line:column`: `rectify.data.binary`, `rectify.data.encoding`,
/// `rectify.data.syntax`, `rectify.data.empty` (no record at all).
[[nodiscard]] std::vector<csv_row> read_csv_cells(std::string_view bytes, const std::string& source);

/// `source:line:column` (column 0 leaves it out).
[[nodiscard]] std::string place(const std::string& source, std::size_t line, std::size_t column = 0);

/// A number as an analyst writes it in a cell or an option: optional sign, digits, optional
/// fraction and exponent; no inf, nan, hex or thousands separators. False when it is not one.
[[nodiscard]] bool parse_number(std::string_view text, double& out);

/// Splits a comma list ("+,-,+"), trimming spaces around each item.
[[nodiscard]] std::vector<std::string> split_list(std::string_view text);

/// `v` rounded to `decimals` places ("-0.0000" shown as "0.0000").
[[nodiscard]] std::string fixed(double v, int decimals);

/// A rank as text: "3", or "2.5" for an averaged tie.
[[nodiscard]] std::string rank_text(double rank);

/// Rows under a header, columns two spaces apart and padded by display width (so Chinese
/// names line up); `right[c]` right-aligns column c. No trailing spaces.
[[nodiscard]] std::string aligned_table(const std::vector<std::string>& head,
                                        const std::vector<std::vector<std::string>>& rows,
                                        const std::vector<bool>& right);

/// `rectify mcda` and `rectify ahp`: each registers its options on the parent app, then runs
/// once CLI11 has parsed the arguments (when its subcommand was chosen).
class mcda_command {
 public:
  void add_to(CLI::App& app);
  [[nodiscard]] bool chosen() const { return sub_ != nullptr && sub_->parsed(); }
  [[nodiscard]] int run() const;

 private:
  CLI::App* sub_ = nullptr;
  std::string matrix_, method_ = "topsis", weights_, types_, format_ = "table", normalization_ = "minmax",
                       ties_ = "competition", encoding_ = "utf-8", preference_ = "usual", q_, p_, s_;
  double v_ = 0.5, rho_ = 0.5;
  CLI::Option *normalization_opt_ = nullptr, *v_opt_ = nullptr, *rho_opt_ = nullptr, *preference_opt_ = nullptr,
              *q_opt_ = nullptr, *p_opt_ = nullptr, *s_opt_ = nullptr;
};

class ahp_command {
 public:
  void add_to(CLI::App& app);
  [[nodiscard]] bool chosen() const { return sub_ != nullptr && sub_->parsed(); }
  [[nodiscard]] int run() const;

 private:
  CLI::App* sub_ = nullptr;
  std::string matrix_, method_ = "eigenvector", ri_ = "saaty1980", format_ = "table";
  double max_cr_ = 0.1;
  CLI::Option* max_cr_opt_ = nullptr;
};

/// `rectify ledger validate|status|overdue|inputs|act|verify|timeline` (ledger.cpp).
class ledger_command {
 public:
  void add_to(CLI::App& app);
  [[nodiscard]] bool chosen() const { return sub_ != nullptr && sub_->parsed(); }
  [[nodiscard]] int run() const;

 private:
  [[nodiscard]] int run_act() const;
  CLI::App *sub_ = nullptr, *validate_ = nullptr, *status_ = nullptr, *overdue_ = nullptr, *inputs_ = nullptr,
           *act_ = nullptr, *verify_ = nullptr, *timeline_ = nullptr;
  std::string path_, as_of_, group_ = "unit", format_ = "table", measure_, action_, person_, at_, task_, note_, file_,
                             from_, to_, timeline_group_;
  std::int64_t level_ = 0;
  CLI::Option *level_opt_ = nullptr, *at_opt_ = nullptr, *task_opt_ = nullptr, *note_opt_ = nullptr,
              *file_opt_ = nullptr;
};

/// `rectify meetings`, `rectify survey` and `rectify risks` (compliance.cpp): the compliance
/// checks of compliance.md §1–3 as tables, JSON, CSV findings or the scorer's input CSV.
class compliance_commands {
 public:
  void add_to(CLI::App& app);
  [[nodiscard]] bool chosen() const {
    return (meetings_ != nullptr && meetings_->parsed()) || (survey_ != nullptr && survey_->parsed()) ||
           (risks_ != nullptr && risks_->parsed());
  }
  [[nodiscard]] int run() const;

 private:
  [[nodiscard]] int run_meetings() const;
  [[nodiscard]] int run_survey() const;
  [[nodiscard]] int run_risks() const;
  CLI::App *meetings_ = nullptr, *survey_ = nullptr, *risks_ = nullptr;
  std::string path_, from_, to_, rules_, branches_, as_of_, format_ = "table", encoding_ = "utf-8";
  bool inputs_ = false, print_rules_ = false;
};

/// `rectify similar` (similar.cpp): copied-material detection (compliance.md §4) as a table with
/// the shared passages, JSON, CSV pairs or the scorer's input CSV.
class similar_command {
 public:
  void add_to(CLI::App& app);
  [[nodiscard]] bool chosen() const { return sub_ != nullptr && sub_->parsed(); }
  [[nodiscard]] int run() const;

 private:
  CLI::App* sub_ = nullptr;
  std::string docs_, template_, format_ = "table", encoding_ = "utf-8";
  double threshold_ = 0.5;
  std::size_t k_ = 5, hashes_ = 128, min_passage_ = 20;
  unsigned threads_ = 0;
  bool same_unit_ = false, inputs_ = false;
};

/// `rectify report` (report.cpp): runs the Python package's leaders' report (`rectify-report`,
/// or `python3 -m rectify.report`) with the arguments after `report`, unchanged.
class report_command {
 public:
  void add_to(CLI::App& app);
  [[nodiscard]] bool chosen() const { return sub_ != nullptr && sub_->parsed(); }
  /// Replaces this process with the Python report; returns 2 (with a message) only when no
  /// Python with the package can be run.
  [[nodiscard]] int run(int argc, char** argv) const;

 private:
  CLI::App* sub_ = nullptr;
};

}  // namespace rectify::cli
