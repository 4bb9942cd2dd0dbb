#pragma once
/// Service-satisfaction surveys (服务满意度调查, compliance.md §2): a satisfaction index per unit
/// with its 95% confidence interval, per-question means and the share satisfied.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rectify/core/table.hpp"
#include "rectify/io/records.hpp"

namespace rectify::compliance {

/// The answer scale and what counts as satisfied.
struct survey_options {
  std::int64_t scale_min = 1, scale_max = 5;  ///< answers are whole numbers in [min, max]
  std::int64_t satisfied_at = 4;              ///< answers ≥ this are satisfied
  double confidence = 0.95;                   ///< of the interval, in (0, 1)
};

/// One unit's result. Each respondent's score is the mean of the questions they answered; a
/// respondent who answered none is counted in `blank` and nowhere else.
struct survey_unit {
  std::string unit;
  std::int64_t respondents = 0;  ///< with at least one answer
  std::int64_t blank = 0;        ///< rows with no answer at all
  std::int64_t answers = 0;
  /// (mean of respondents' scores − min) / (max − min) × 100, i.e. (mean − 1)/4 × 100 on 1–5.
  double index = 0;
  /// The t-interval over respondents' scores (mean ± t(1 − α/2, n − 1) · s/√n), mapped like the
  /// index and clipped to [0, 100]; NaN when fewer than 2 respondents.
  double ci_low = 0, ci_high = 0;
  double share_satisfied = 0;          ///< answers ≥ satisfied_at / answers
  std::vector<double> question_means;  ///< per question on the raw scale; NaN when unanswered
  std::vector<std::int64_t> question_answers;
};

/// The whole survey.
struct survey_report {
  survey_options options;
  std::vector<std::string> questions;  ///< the question columns, in file order
  std::vector<survey_unit> units;      ///< sorted by byte order of the unit id
};

/// Checks responses: a `unit` column, a `respondent` column and one column per question (every
/// other column, in file order; at least one). Answers are whole numbers on the scale (`4.0` is
/// 4) or empty (not answered). Every problem is reported (up to 100), each naming file:line:column:
/// `rectify.compliance.missing_column`, `rectify.compliance.missing_value` (empty unit or
/// respondent), `rectify.compliance.bad_answer` (not a whole number, or off the scale),
/// `rectify.compliance.duplicate_respondent` (the same respondent twice for a unit; the message
/// names the first line). `rectify.compliance.bad_options` when the options make no sense.
[[nodiscard]] survey_report check_surveys(const io::text_table& responses, const survey_options& options = {});

/// The scorer's inputs, one row per unit: `satisfaction_index` (NaN without respondents) and
/// `satisfaction_n` (respondents).
[[nodiscard]] rectify::table inputs(const survey_report& report);

/// The quantile of Student's t distribution with `dof` degrees of freedom (`dof` ≥ 1, 0 < p < 1),
/// accurate to about 1e-12 relative: inverts the CDF written with the regularised incomplete
/// beta function.
[[nodiscard]] double student_t_quantile(double p, double dof);

}  // namespace rectify::compliance
