// Service-satisfaction surveys (compliance.md §2) and the Student t quantile their confidence
// interval needs. The quantile is computed here rather than taken from a statistics library: the
// project has none, and one special function does not justify a dependency.
#include "rectify/compliance/surveys.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string_view>
#include <unordered_map>

#include "fields.hpp"
#include "rectify/core/error.hpp"

namespace rectify::compliance {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Student's t distribution.
//
// With r = |t|/√ν, x = 1/(1 + r²) and y = r²/(1 + r²) = 1 − x:
//   P(T > |t|)      = ½ I_x(ν/2, ½)   (the tail; accurate in relative terms however small)
//   P(0 < T < |t|)  = ½ I_y(½, ν/2)   (the centre; accurate in relative terms near t = 0)
// x and y are always computed directly, never as 1 − the other, so neither form loses digits.

// ln B(a, ½) = ln Γ(a) + ln Γ(½) − ln Γ(a + ½). For large a the two lgamma values are huge and
// nearly equal, so their difference is taken from Stirling's series instead, where the large
// terms cancel on paper: ln Γ(a+½) − ln Γ(a) = ½ ln a + a·log1p(1/(2a)) − ½ + S(a+½) − S(a).
double log_beta_half(double a) {
  const double log_sqrt_pi = 0.5 * std::log(std::numbers::pi);
  if (a < 20) return std::lgamma(a) + log_sqrt_pi - std::lgamma(a + 0.5);
  // S(z) = Σ B₂ₖ / (2k(2k−1) z^(2k−1)); five terms leave an error below 1e-17 for z ≥ 20.
  const auto series = [](double z) {
    const double z2 = z * z;
    return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - 1.0 / (1188 * z2)) / z2) / z2) / z2) / z;
  };
  const double h = 0.5 / a;
  const double diff = 0.5 * std::log(a) + a * (std::log1p(h) - h) + series(a + 0.5) - series(a);
  return log_sqrt_pi - diff;
}

// The continued fraction of I_x(a, b) (modified Lentz), converging fast for x < (a+1)/(a+b+2).
double beta_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  constexpr double eps = 1e-16;
  constexpr int max_terms = 10'000'000;  // terms grow like √a; ν = 10^12 needs about 10^6
  const auto guard = [](double v) { return std::abs(v) < tiny ? tiny : v; };
  double c = 1;
  double d = 1 / guard(1 - (a + b) * x / (a + 1));
  double h = d;
  for (int m = 1; m <= max_terms; ++m) {
    const double m2 = 2.0 * m;
    double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 / guard(1 + num * d);
    c = guard(1 + num / c);
    h *= d * c;
    num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 / guard(1 + num * d);
    c = guard(1 + num / c);
    const double step = d * c;
    h *= step;
    if (std::abs(step - 1) < eps) break;
  }
  return h;
}

// I_x(a, b) given x, y = 1 − x and their logarithms (each computed without cancellation), and
// ln B(a, b). The prefactor x^a y^b / B(a, b) is formed from the logarithms, so that x = 0 after
// underflow (a huge t) still gives the right tiny tail.
double incomplete_beta(double a, double b, double x, double y, double log_x, double log_y, double log_beta) {
  if (std::isinf(log_x)) return 0;
  if (std::isinf(log_y)) return 1;
  const double front = std::exp(a * log_x + b * log_y - log_beta);
  if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
  return 1 - front * beta_fraction(b, a, y) / b;
}

// One evaluation of the distribution at t ≥ 0: the tail P(T > t) when `tail` is set, otherwise
// the centre P(0 < T < t), each by its own incomplete beta so that it keeps its relative
// accuracy, and the log of the density.
struct t_point {
  double value, log_density;
};

t_point evaluate_t(double t, double nu, double log_beta, bool tail) {
  const double r = t / std::sqrt(nu);
  const double r2 = r * r;
  // ln(1 + r²), x and y without overflowing r² for a huge t.
  const double log1p_r2 = r <= 1 ? std::log1p(r2) : 2 * std::log(r) + std::log1p(1 / r2);
  const double x = r <= 1 ? 1 / (1 + r2) : (1 / r2) / (1 + 1 / r2);
  const double y = r <= 1 ? r2 / (1 + r2) : 1 / (1 + 1 / r2);
  const double log_x = -log1p_r2;
  const double log_y = r > 0 ? 2 * std::log(r) - log1p_r2 : -std::numeric_limits<double>::infinity();
  const double a = nu / 2;
  t_point p{};
  p.value = tail ? 0.5 * incomplete_beta(a, 0.5, x, y, log_x, log_y, log_beta)
                 : 0.5 * incomplete_beta(0.5, a, y, x, log_y, log_x, log_beta);
  p.log_density = -log_beta - 0.5 * std::log(nu) - (nu + 1) / 2 * log1p_r2;
  return p;
}

// A first guess: the normal quantile (Abramowitz & Stegun 26.2.23, error < 4.5e-4) with the first
// Cornish–Fisher correction for t. Newton does the rest.
double first_guess(double q, double nu) {
  const double w = std::sqrt(-2 * std::log(q));
  const double z =
      w - (2.515517 + w * (0.802853 + w * 0.010328)) / (1 + w * (1.432788 + w * (0.189269 + w * 0.001308)));
  return z + (z * z * z + z) / (4 * nu);
}

// The normal quantile beyond which the tail is q (0 < q < ½), to rounding: Newton on
// ln(½ erfc(z/√2)) − ln q, where erfc keeps its relative accuracy however small the tail.
double normal_upper_quantile(double q) {
  double z = first_guess(q, std::numeric_limits<double>::infinity());
  for (int i = 0; i < 20; ++i) {
    const double tail = 0.5 * std::erfc(z / std::numbers::sqrt2);
    const double log_density = -0.5 * z * z - 0.5 * std::log(2 * std::numbers::pi);
    const double step = (std::log(tail) - std::log(q)) / std::exp(log_density - std::log(tail));
    z += step;
    if (std::abs(step) <= 1e-15 * z) break;
  }
  return z;
}

// The t quantile from the normal one by the Cornish–Fisher expansion to ν⁻⁴ (Abramowitz &
// Stegun 26.7.5). For a large ν the incomplete beta's continued fraction is ill-conditioned in
// the tail (x = ν/(ν+t²) lies within ~t²/ν of 1, and its terms cancel to that order), while the
// expansion's next term is below 1e-16 of t once z² ≤ ν/100 and ν > 2·10⁴.
double cornish_fisher(double z, double nu) {
  const double z2 = z * z;
  const double g1 = z * (z2 + 1) / 4;
  const double g2 = z * ((5 * z2 + 16) * z2 + 3) / 96;
  const double g3 = z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / 384;
  const double g4 = z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu;
}

// Solves f(u) = 0 for an increasing f on [lo, hi] (f(lo) ≤ 0 ≤ f(hi)) by Newton's method, falling
// back to bisection whenever a step would leave the bracket. `f` returns the value and slope.
// Newton converges quadratically, so once a Newton step is below 1e-9 of the scale the next
// iterate is exact to rounding; that one is returned. Steps are measured against max(|u|, floor).
template <typename F>
double solve_increasing(F f, double lo, double hi, double start, double floor) {
  double u = std::clamp(start, lo, hi);
  for (int i = 0; i < 400; ++i) {
    const auto [value, slope] = f(u);
    if (value == 0) return u;
    (value < 0 ? lo : hi) = u;
    double next = u - value / slope;
    const bool newton = next > lo && next < hi;  // false for a NaN or infinite step too
    if (!newton) next = lo + (hi - lo) / 2;
    const double scale = std::max(floor, std::abs(next));
    if (newton && std::abs(next - u) <= 1e-9 * scale) {
      const auto [v2, s2] = f(next);
      const double last = next - v2 / s2;
      return last > lo && last < hi ? last : next;
    }
    if (hi - lo <= 2e-16 * scale) return next;
    u = next;
  }
  return u;
}

// ---------------------------------------------------------------------------------------------
// Surveys.

// An answer: a whole number, possibly negative (a scale may run from −2 to 2), `4.0` meaning 4.
std::optional<std::int64_t> parse_answer(std::string_view s) noexcept {
  const bool negative = !s.empty() && s.front() == '-';
  if (negative) {
    s.remove_prefix(1);
    if (s.empty() || s.front() < '0' || s.front() > '9') return std::nullopt;
  }
  const auto v = detail::parse_whole(s);
  if (!v) return std::nullopt;
  return negative ? -*v : *v;
}

std::string scale_text(const survey_options& o) {
  std::string s = std::to_string(o.scale_min);
  s += "–";
  s += std::to_string(o.scale_max);
  return s;
}

void check_options(const survey_options& o) {
  std::vector<problem> found;
  const auto bad = [&](std::string message) {
    found.push_back(problem{"rectify.compliance.bad_options", "", std::move(message), ""});
  };
  constexpr std::int64_t limit = 1'000'000'000'000'000;  // as far as parse_whole reads
  if (std::abs(o.scale_min) > limit || std::abs(o.scale_max) > limit)
    bad(cat("the scale ", scale_text(o), " goes beyond ±10^15"));
  if (o.scale_min >= o.scale_max)
    bad(cat("scale_min (", std::to_string(o.scale_min), ") must be below scale_max (", std::to_string(o.scale_max),
            ")"));
  else if (o.satisfied_at < o.scale_min || o.satisfied_at > o.scale_max)
    bad(cat("satisfied_at (", std::to_string(o.satisfied_at), ") is not on the scale ", scale_text(o)));
  if (!(o.confidence > 0 && o.confidence < 1))
    bad(cat("confidence (", number_text(o.confidence), ") must be strictly between 0 and 1"));
  if (!found.empty()) raise(std::move(found));
}

// What one unit gathers while the rows are read.
struct unit_tally {
  std::string_view unit;
  std::unordered_map<std::string_view, std::size_t> first_row;  // respondent → row
  std::vector<double> scores;                                   // one per respondent with answers
  std::int64_t blank = 0, answers = 0, satisfied = 0;
  std::vector<double> question_sums;
  std::vector<std::int64_t> question_answers;
};

}  // namespace

double student_t_quantile(double p, double dof) {
  if (!(p > 0 && p < 1))
    raise("rectify.compliance.bad_options", "", cat("student_t_quantile: p (", number_text(p), ") must be in (0, 1)"));
  if (!(dof >= 1) || !std::isfinite(dof))
    raise("rectify.compliance.bad_options", "",
          cat("student_t_quantile: the degrees of freedom (", number_text(dof), ") must be finite and at least 1"));
  if (p == 0.5) return 0;
  const double log_beta = log_beta_half(dof / 2);
  // Exact: 1 − p for p ≥ ½ and p − ½ for p in [¼, 1] lose nothing (Sterbenz).
  const double q = p < 0.5 ? p : 1 - p;  // the tail beyond |t|
  double t = 0;
  if (q >= 0.25) {
    // Near the centre, solve P(0 < T < t) = |p − ½| on t ∈ [0, 1]: |t| ≤ 1 there for every
    // ν ≥ 1 (ν = 1 gives exactly tan(π/4) = 1, a larger ν less).
    const double d = std::abs(p - 0.5);
    const auto f = [&](double u) {
      const t_point e = evaluate_t(u, dof, log_beta, false);
      return std::pair{e.value - d, std::exp(e.log_density)};
    };
    t = solve_increasing(f, 0, 1, d * std::sqrt(2 * std::numbers::pi), 1e-300);  // relative in t
  } else {
    // In the tail, Newton on ln P(T > t) against ln t: the tail falls like t^−ν, nearly a
    // straight line there, so a few steps suffice even for p = 1e-300 with ν = 1.
    const double log_q = std::log(q);
    const auto f = [&](double u) {
      const t_point e = evaluate_t(std::exp(u), dof, log_beta, true);
      const double log_tail = std::log(e.value);
      return std::pair{log_q - log_tail, std::exp(e.log_density + u - log_tail)};
    };
    if (dof > 2e4) {
      const double z = normal_upper_quantile(q);
      if (z * z <= dof / 100) {
        const double t_cf = cornish_fisher(z, dof);
        return p < 0.5 ? -t_cf : t_cf;
      }
    }
    // The centre form covers q ≥ ¼, i.e. t ≤ t(0.75), which is at least the normal's 0.6745.
    const double lo = std::log(0.6);
    double hi = std::log(2.0);
    while (hi < 700 && evaluate_t(std::exp(hi), dof, log_beta, true).value > q) hi += std::log(16.0);
    t = std::exp(solve_increasing(f, lo, hi, std::log(std::max(first_guess(q, dof), 0.7)), 1));  // relative in t
  }
  return p < 0.5 ? -t : t;
}

survey_report check_surveys(const io::text_table& responses, const survey_options& options) {
  check_options(options);
  detail::problems out(responses);
  const auto at = detail::find_columns(responses, {"unit", "respondent"}, {true, true}, out);
  std::vector<std::size_t> question_columns;
  for (std::size_t j = 0; j < responses.columns(); ++j)
    if (static_cast<std::ptrdiff_t>(j) != at[0] && static_cast<std::ptrdiff_t>(j) != at[1])
      question_columns.push_back(j);
  if (question_columns.empty())
    out.add_file("rectify.compliance.missing_column",
                 "the header has no question column: every column other than \"unit\" and \"respondent\" is one");
  out.raise_if_any();
  const auto unit_col = static_cast<std::size_t>(at[0]);
  const auto respondent_col = static_cast<std::size_t>(at[1]);
  const std::size_t k = question_columns.size();

  std::vector<unit_tally> tallies;
  std::unordered_map<std::string_view, std::size_t> unit_index;
  std::vector<std::int64_t> row_answers(k);
  std::vector<bool> row_given(k);

  for (std::size_t r = 0; r < responses.rows(); ++r) {
    const std::string_view unit = responses.field(r, unit_col);
    const std::string_view respondent = responses.field(r, respondent_col);
    bool ok = true;
    if (unit.empty()) {
      out.add("rectify.compliance.missing_value", r, at[0], "the unit is empty");
      ok = false;
    }
    if (respondent.empty()) {
      out.add("rectify.compliance.missing_value", r, at[1], "the respondent is empty");
      ok = false;
    }
    for (std::size_t q = 0; q < k; ++q) {
      const std::size_t col = question_columns[q];
      const std::string_view s = responses.field(r, col);
      row_given[q] = false;
      if (s.empty()) continue;
      const auto v = parse_answer(s);
      if (!v || *v < options.scale_min || *v > options.scale_max) {
        std::string msg = cat("question ", quoted(responses.header()[col]), ": ", detail::shown(s));
        msg += v ? " is off the scale " : " is not a whole number on the scale ";
        msg += scale_text(options);
        out.add("rectify.compliance.bad_answer", r, static_cast<std::ptrdiff_t>(col), std::move(msg));
        ok = false;
        continue;
      }
      row_given[q] = true;
      row_answers[q] = *v;
    }
    if (unit.empty()) continue;
    const auto [it, added] = unit_index.try_emplace(unit, tallies.size());
    if (added) {
      tallies.emplace_back();
      tallies.back().unit = unit;
      tallies.back().question_sums.assign(k, 0.0);
      tallies.back().question_answers.assign(k, 0);
    }
    unit_tally& u = tallies[it->second];
    if (!respondent.empty()) {
      const auto [first, fresh] = u.first_row.try_emplace(respondent, r);
      if (!fresh) {
        std::string msg = cat("respondent ", detail::shown(respondent), " of unit ", detail::shown(unit));
        msg += " answered twice (first at ";
        msg += detail::earlier_row(responses, first->second);
        msg += ')';
        out.add("rectify.compliance.duplicate_respondent", r, at[1], std::move(msg));
        ok = false;
      }
    }
    if (!ok || !out.empty()) continue;  // the report will not be returned: stop tallying
    std::int64_t n = 0;
    double sum = 0;
    for (std::size_t q = 0; q < k; ++q) {
      if (!row_given[q]) continue;
      const auto v = static_cast<double>(row_answers[q]);
      ++n;
      sum += v;
      u.question_sums[q] += v;
      ++u.question_answers[q];
      if (row_answers[q] >= options.satisfied_at) ++u.satisfied;
    }
    if (n == 0) {
      ++u.blank;
      continue;
    }
    u.answers += n;
    u.scores.push_back(sum / static_cast<double>(n));
  }
  out.raise_if_any();

  survey_report report;
  report.options = options;
  for (const std::size_t col : question_columns) report.questions.push_back(responses.header()[col]);
  std::sort(tallies.begin(), tallies.end(), [](const unit_tally& a, const unit_tally& b) { return a.unit < b.unit; });

  const double lo = static_cast<double>(options.scale_min);
  const double width = static_cast<double>(options.scale_max) - lo;
  const auto to_index = [&](double mean) { return (mean - lo) / width * 100; };
  const double p = 1 - (1 - options.confidence) / 2;
  report.units.reserve(tallies.size());
  for (const unit_tally& t : tallies) {
    survey_unit u;
    u.unit = std::string(t.unit);
    u.respondents = static_cast<std::int64_t>(t.scores.size());
    u.blank = t.blank;
    u.answers = t.answers;
    u.index = u.ci_low = u.ci_high = kNaN;
    if (u.respondents > 0) {
      double sum = 0;
      for (const double s : t.scores) sum += s;
      const double n = static_cast<double>(u.respondents);
      const double mean = sum / n;
      u.index = to_index(mean);
      if (u.respondents >= 2) {
        double squares = 0;
        for (const double s : t.scores) squares += (s - mean) * (s - mean);
        const double half = student_t_quantile(p, n - 1) * std::sqrt(squares / (n - 1) / n);
        u.ci_low = std::clamp(to_index(mean - half), 0.0, 100.0);
        u.ci_high = std::clamp(to_index(mean + half), 0.0, 100.0);
      }
    }
    u.share_satisfied = t.answers > 0 ? static_cast<double>(t.satisfied) / static_cast<double>(t.answers) : kNaN;
    u.question_means.resize(k);
    for (std::size_t q = 0; q < k; ++q)
      u.question_means[q] =
          t.question_answers[q] > 0 ? t.question_sums[q] / static_cast<double>(t.question_answers[q]) : kNaN;
    u.question_answers = t.question_answers;
    report.units.push_back(std::move(u));
  }
  return report;
}

rectify::table inputs(const survey_report& report) {
  rectify::table t;
  t.columns = {"satisfaction_index", "satisfaction_n"};
  t.values.resize(static_cast<Eigen::Index>(report.units.size()), 2);
  Eigen::Index row = 0;
  for (const survey_unit& u : report.units) {
    t.units.push_back(u.unit);
    t.values(row, 0) = u.respondents > 0 ? u.index : kNaN;
    t.values(row, 1) = static_cast<double>(u.respondents);
    ++row;
  }
  return t;
}

}  // namespace rectify::compliance
