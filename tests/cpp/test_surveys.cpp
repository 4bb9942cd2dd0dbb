// Satisfaction surveys (compliance.md §2) and the Student t quantile behind their interval. Every
// expected value is worked out by hand in the comments, or comes from a closed form or a
// published table.
#include "rectify/compliance/surveys.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <numbers>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/io/records.hpp"
#include "support.hpp"

namespace cm = rectify::compliance;
using rectify::io::read_text_csv;
using rectify::test::message_of;

namespace {

cm::survey_report survey(std::string_view csv, const cm::survey_options& o = {}) {
  return cm::check_surveys(read_text_csv(csv, "survey.csv"), o);
}

const cm::survey_unit& unit_of(const cm::survey_report& r, std::string_view id) {
  for (const auto& u : r.units)
    if (u.unit == id) return u;
  FAIL("no unit " << id);
  throw;
}

// The error `f` throws (REQUIREd).
rectify::error error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const rectify::error& e) {
    return e;
  }
  FAIL("no error");
  throw;
}

// t quantiles with one and two degrees of freedom in closed form, written so that they stay
// exact in the tails: for ν = 1 the tail q beyond t gives t = cot(πq) = 1/tan(πq).
double t1_exact(double p) {
  if (p > 0.1 && p < 0.9) return std::tan(std::numbers::pi * (p - 0.5));
  return p < 0.5 ? -1 / std::tan(std::numbers::pi * p) : 1 / std::tan(std::numbers::pi * (1 - p));
}
double t2_exact(double p) {
  return (2 * p - 1) / std::sqrt(2 * p * (1 - p));
}

}  // namespace

TEST_CASE("student_t_quantile matches the closed forms for 1 and 2 degrees of freedom", "[surveys][t]") {
  for (const double p : {1e-300, 1e-20,       1e-10, 1e-4, 0.001, 0.025, 0.1,   0.2,   0.25,   0.3,      0.45,
                         0.4999, 0.5 + 1e-12, 0.6,   0.75, 0.8,   0.9,   0.975, 0.995, 0.9999, 1 - 1e-12}) {
    CAPTURE(p);
    CHECK(cm::student_t_quantile(p, 1) == Approx(t1_exact(p)).epsilon(1e-12));
    CHECK(cm::student_t_quantile(p, 2) == Approx(t2_exact(p)).epsilon(1e-12));
  }
  CHECK(cm::student_t_quantile(0.5, 1) == 0);
  CHECK(cm::student_t_quantile(0.5, 7.5) == 0);
}

TEST_CASE("student_t_quantile matches published table values", "[surveys][t]") {
  // Values to 9 decimals (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2, R's qt).
  CHECK(cm::student_t_quantile(0.975, 9) == Approx(2.262157163).margin(1e-9));
  CHECK(cm::student_t_quantile(0.975, 29) == Approx(2.045229642).margin(1e-9));
  CHECK(cm::student_t_quantile(0.995, 4) == Approx(4.604094871).margin(1e-9));
  CHECK(cm::student_t_quantile(0.975, 120) == Approx(1.979930405).margin(1e-9));
  // Symmetry.
  CHECK(cm::student_t_quantile(0.025, 9) == Approx(-2.262157163).margin(1e-9));
  CHECK(cm::student_t_quantile(0.005, 4) == Approx(-4.604094871).margin(1e-9));
}

TEST_CASE("student_t_quantile tends to the normal quantile as the degrees of freedom grow", "[surveys][t]") {
  // The Cornish–Fisher series t = z + (z³ + z)/(4ν) + (5z⁵ + 16z³ + 3z)/(96ν²) + ... with
  // z = 1.959963984540054 (the normal's 0.975 quantile); at ν = 10⁶ the third term is 3e-12.
  const double z = 1.959963984540054;
  const double g1 = (z * z * z + z) / 4;
  const double g2 = (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / 96;
  for (const double nu : {1e5, 1e6, 1e9}) {
    CAPTURE(nu);
    CHECK(cm::student_t_quantile(0.975, nu) == Approx(z + g1 / nu + g2 / (nu * nu)).epsilon(1e-12));
  }
  // Both sides of the switch from the continued fraction to the expansion agree with the series.
  for (const double nu : {19'999.0, 20'001.0}) {
    CAPTURE(nu);
    CHECK(cm::student_t_quantile(0.975, nu) == Approx(z + g1 / nu + g2 / (nu * nu)).epsilon(1e-12));
  }
  // Increasing p gives increasing t; larger ν gives smaller t above the median.
  double last = -INFINITY;
  for (double p = 0.001; p < 1; p += 0.01) {
    const double t = cm::student_t_quantile(p, 3.5);
    CHECK(t > last);
    last = t;
  }
  CHECK(cm::student_t_quantile(0.9, 3) > cm::student_t_quantile(0.9, 4));
}

TEST_CASE("student_t_quantile refuses p outside (0, 1) and fewer than 1 degree of freedom", "[surveys][t]") {
  CHECK(error_of([] { (void)cm::student_t_quantile(0, 5); }).code() == "rectify.compliance.bad_options");
  CHECK(error_of([] { (void)cm::student_t_quantile(1, 5); }).code() == "rectify.compliance.bad_options");
  CHECK(error_of([] { (void)cm::student_t_quantile(NAN, 5); }).code() == "rectify.compliance.bad_options");
  CHECK(error_of([] { (void)cm::student_t_quantile(0.9, 0.5); }).code() == "rectify.compliance.bad_options");
  CHECK(error_of([] { (void)cm::student_t_quantile(0.9, INFINITY); }).code() == "rectify.compliance.bad_options");
}

TEST_CASE("a survey gives per-unit respondents, index, interval, per-question means and share satisfied", "[surveys]") {
  // Unit A: r1 answers 5,4,3 (score 4), r2 4,4,- (4), r3 2,-,- (2), r4 nothing (blank).
  //   respondents 3, blank 1, answers 6; mean score 10/3, index (10/3 − 1)/4 × 100 = 175/3;
  //   question means q1 (5+4+2)/3 = 11/3, q2 4, q3 3; share satisfied: 5,4,4,4 of 6 = 2/3.
  //   Interval: deviations 2/3, 2/3, −4/3 → s² = (4/9 + 4/9 + 16/9)/2 = 4/3, s/√3 = 2/3, ν = 2;
  //   both ends fall outside [1, 5] and are clipped: 3.333 ± 4.303 × 2/3.
  // Unit B: r1 4,4,4 (4), r2 4,5,- (4.5), r3 5,5,5 (5): mean 4.5, index 87.5, s = 0.5, s/√3;
  //   high end clipped to 100.
  // Unit 办公室: one respondent 3,3,4: index (10/3 − 1)/4 × 100, interval NaN, share 1/3.
  // Unit c: only a blank row.
  const auto r = survey(
      "unit,respondent,q1,q2,q3\n"
      "A,r1,5,4,3\n"
      "A,r2,4,4,\n"
      "办公室,x,3,3,4\n"
      "A,r3,2,,\n"
      "A,r4,,,\n"
      "B,r1,4,4,4\n"
      "B,r2,4.0,5,\n"
      "B,r3,5,5,5\n"
      "c,r1,,,\n");
  CHECK(r.questions == std::vector<std::string>{"q1", "q2", "q3"});
  REQUIRE(r.units.size() == 4);
  // Byte order: upper-case ASCII, lower-case ASCII, then UTF-8.
  CHECK(r.units[0].unit == "A");
  CHECK(r.units[1].unit == "B");
  CHECK(r.units[2].unit == "c");
  CHECK(r.units[3].unit == "办公室");

  const auto& a = unit_of(r, "A");
  CHECK(a.respondents == 3);
  CHECK(a.blank == 1);
  CHECK(a.answers == 6);
  CHECK(a.index == Approx(175.0 / 3).epsilon(1e-14));
  CHECK(a.ci_low == 0);
  CHECK(a.ci_high == 100);
  CHECK(a.share_satisfied == Approx(2.0 / 3).epsilon(1e-14));
  REQUIRE(a.question_means.size() == 3);
  CHECK(a.question_means[0] == Approx(11.0 / 3).epsilon(1e-14));
  CHECK(a.question_means[1] == 4);
  CHECK(a.question_means[2] == 3);
  CHECK(a.question_answers == std::vector<std::int64_t>{3, 2, 1});

  const auto& b = unit_of(r, "B");
  CHECK(b.respondents == 3);
  CHECK(b.blank == 0);
  CHECK(b.answers == 8);
  CHECK(b.index == Approx(87.5).epsilon(1e-14));
  const double half = t2_exact(0.975) * 0.5 / std::sqrt(3.0);
  CHECK(b.ci_low == Approx((4.5 - half - 1) / 4 * 100).epsilon(1e-12));
  CHECK(b.ci_high == 100);
  CHECK(b.share_satisfied == 1);
  CHECK(b.question_means[0] == Approx(13.0 / 3).epsilon(1e-14));
  CHECK(b.question_means[1] == Approx(14.0 / 3).epsilon(1e-14));
  CHECK(b.question_means[2] == Approx(4.5).epsilon(1e-14));

  const auto& c = unit_of(r, "c");
  CHECK(c.respondents == 0);
  CHECK(c.blank == 1);
  CHECK(c.answers == 0);
  CHECK(std::isnan(c.index));
  CHECK(std::isnan(c.ci_low));
  CHECK(std::isnan(c.ci_high));
  CHECK(std::isnan(c.share_satisfied));
  for (const double m : c.question_means) CHECK(std::isnan(m));

  const auto& office = unit_of(r, "办公室");
  CHECK(office.respondents == 1);
  CHECK(office.index == Approx(175.0 / 3).epsilon(1e-14));
  CHECK(std::isnan(office.ci_low));
  CHECK(std::isnan(office.ci_high));
  CHECK(office.share_satisfied == Approx(1.0 / 3).epsilon(1e-14));

  const auto t = cm::inputs(r);
  CHECK(t.columns == std::vector<std::string>{"satisfaction_index", "satisfaction_n"});
  CHECK(t.units == std::vector<std::string>{"A", "B", "c", "办公室"});
  CHECK(t.values(0, 0) == Approx(175.0 / 3).epsilon(1e-14));
  CHECK(t.values(0, 1) == 3);
  CHECK(t.values(1, 0) == Approx(87.5).epsilon(1e-14));
  CHECK(std::isnan(t.values(2, 0)));
  CHECK(t.values(2, 1) == 0);
  CHECK(t.values(3, 1) == 1);
}

TEST_CASE("the interval is the t-interval over respondents' scores", "[surveys]") {
  // Ten respondents, one question: 3,4,5,4,3,4,5,4,3,5. Mean 4 (index 75); deviations
  // −1,0,1,0,−1,0,1,0,−1,1 → s² = 6/9, s/√10 = √(1/15); t(0.975, 9) = 2.262157163 (table).
  std::string csv = "unit,respondent,q1\n";
  const int answers[] = {3, 4, 5, 4, 3, 4, 5, 4, 3, 5};
  for (int i = 0; i < 10; ++i) {
    csv += "U,";
    csv += std::to_string(i);
    csv += ',';
    csv += std::to_string(answers[i]);
    csv += '\n';
  }
  const auto r = survey(csv);
  const auto& u = unit_of(r, "U");
  CHECK(u.respondents == 10);
  CHECK(u.index == Approx(75).epsilon(1e-14));
  const double half = 2.262157163 * std::sqrt(1.0 / 15);
  CHECK(u.ci_low == Approx((4 - half - 1) / 4 * 100).margin(1e-7));
  CHECK(u.ci_high == Approx((4 + half - 1) / 4 * 100).margin(1e-7));
  CHECK(u.share_satisfied == Approx(0.7).epsilon(1e-14));

  // A 90% interval uses t(0.95, 9) = 1.833112933 (table).
  cm::survey_options o;
  o.confidence = 0.90;
  const auto u90 = unit_of(survey(csv, o), "U");
  const double half90 = 1.833112933 * std::sqrt(1.0 / 15);
  CHECK(u90.ci_low == Approx((4 - half90 - 1) / 4 * 100).margin(1e-7));
  CHECK(u90.ci_high == Approx((4 + half90 - 1) / 4 * 100).margin(1e-7));

  // Everyone gives the same score: a zero-width interval at the index.
  const auto same = unit_of(survey("unit,respondent,q1,q2\nU,a,4,4\nU,b,4,\nU,c,,4\n"), "U");
  CHECK(same.index == 75);
  CHECK(same.ci_low == 75);
  CHECK(same.ci_high == 75);
}

TEST_CASE("out-of-scale answers are errors naming line and column", "[surveys]") {
  const std::string csv =
      "unit,respondent,q1,q2\n"
      "A,r1,0,5\n"
      "A,r2,4,6\n"
      "\n"
      "A,r3,3.5,好\n"
      "A,r4,-1,+3\n";
  const auto e = error_of([&] { (void)survey(csv); });
  REQUIRE(e.problems().size() == 5);
  for (const auto& p : e.problems()) CHECK(p.code == "rectify.compliance.bad_answer");
  CHECK(e.problems()[0].source == "survey.csv:2:3");
  CHECK(e.problems()[0].message == "question \"q1\": \"0\" is off the scale 1–5");
  CHECK(e.problems()[1].source == "survey.csv:3:4");
  CHECK(e.problems()[1].message == "question \"q2\": \"6\" is off the scale 1–5");
  // The blank line 4 is skipped; line numbers stay physical.
  CHECK(e.problems()[2].source == "survey.csv:5:3");
  CHECK(e.problems()[2].message == "question \"q1\": \"3.5\" is not a whole number on the scale 1–5");
  CHECK(e.problems()[3].source == "survey.csv:5:4");
  CHECK(e.problems()[3].message == "question \"q2\": \"好\" is not a whole number on the scale 1–5");
  CHECK(e.problems()[4].source == "survey.csv:6:3");
  CHECK(e.problems()[4].message == "question \"q1\": \"-1\" is off the scale 1–5");
  CHECK(
      message_of([&] {
        (void)survey(csv);
      }).starts_with("survey.csv:2:3: [rectify.compliance.bad_answer] question \"q1\": \"0\" is off the scale 1–5\n"));
}

TEST_CASE("a table built in memory names row and column", "[surveys]") {
  rectify::io::text_table t("responses", {"unit", "respondent", "q1"});
  const std::vector<std::string_view> rows[] = {{"A", "r1", "5"}, {"A", "r2", "9"}, {"", "r3", "4"}};
  for (const auto& row : rows) t.add_row(row);
  const auto e = error_of([&] { (void)cm::check_surveys(t); });
  REQUIRE(e.problems().size() == 2);
  CHECK(e.problems()[0].str() ==
        "responses:row 1:q1: [rectify.compliance.bad_answer] question \"q1\": \"9\" is off "
        "the scale 1–5");
  CHECK(e.problems()[1].str() == "responses:row 2:unit: [rectify.compliance.missing_value] the unit is empty");
}

TEST_CASE("a duplicate respondent, empty ids and missing columns are errors", "[surveys]") {
  const auto dup = error_of([] {
    (void)survey(
        "unit,respondent,q1\n"
        "A,r1,5\n"
        "B,r1,4\n"
        "A,r2,4\n"
        "A,r1,3\n"
        ",r9,3\n"
        "B,,3\n");
  });
  REQUIRE(dup.problems().size() == 3);
  CHECK(dup.problems()[0].code == "rectify.compliance.duplicate_respondent");
  CHECK(dup.problems()[0].source == "survey.csv:5:2");
  CHECK(dup.problems()[0].message == "respondent \"r1\" of unit \"A\" answered twice (first at line 2)");
  CHECK(dup.problems()[1].code == "rectify.compliance.missing_value");
  CHECK(dup.problems()[1].source == "survey.csv:6:1");
  CHECK(dup.problems()[1].message == "the unit is empty");
  CHECK(dup.problems()[2].code == "rectify.compliance.missing_value");
  CHECK(dup.problems()[2].source == "survey.csv:7:2");
  CHECK(dup.problems()[2].message == "the respondent is empty");

  const auto missing = error_of([] { (void)survey("unit,person,q1\nA,r1,5\n"); });
  REQUIRE(missing.problems().size() == 1);
  CHECK(missing.problems()[0].code == "rectify.compliance.missing_column");
  CHECK(missing.problems()[0].source == "survey.csv");
  CHECK(missing.problems()[0].message ==
        "the header has no column \"respondent\"; its columns are \"unit\", \"person\", \"q1\"");

  const auto no_questions = error_of([] { (void)survey("respondent,unit\nr1,A\n"); });
  REQUIRE(no_questions.problems().size() == 1);
  CHECK(no_questions.problems()[0].code == "rectify.compliance.missing_column");
  CHECK(no_questions.problems()[0].message ==
        "the header has no question column: every column other than \"unit\" and \"respondent\" is one");
}

TEST_CASE("at most 100 problems are listed, then a count of the rest", "[surveys]") {
  std::string csv = "unit,respondent,q1\n";
  for (int i = 0; i < 130; ++i) {
    csv += "A,r";
    csv += std::to_string(i);
    csv += ",7\n";
  }
  const auto e = error_of([&] { (void)survey(csv); });
  REQUIRE(e.problems().size() == 101);
  CHECK(e.problems()[99].source == "survey.csv:101:3");
  CHECK(e.problems()[100].code == "rectify.compliance.more");
  CHECK(e.problems()[100].message == "... and 30 more problems");
}

TEST_CASE("custom options: a 1–10 scale, the satisfied threshold, and bad options", "[surveys]") {
  cm::survey_options o;
  o.scale_min = 1;
  o.scale_max = 10;
  o.satisfied_at = 8;
  // r1: 10, 7 (8.5); r2: 8 (8); mean 8.25 → index (8.25 − 1)/9 × 100; satisfied 10, 8 of 3.
  const auto r = survey("unit,respondent,q1,q2\nU,r1,10,7\nU,r2,8,\n", o);
  const auto& u = unit_of(r, "U");
  CHECK(u.index == Approx(7.25 / 9 * 100).epsilon(1e-14));
  CHECK(u.share_satisfied == Approx(2.0 / 3).epsilon(1e-14));
  // Scores 8.5 and 8: s = √0.125, s/√2 = 0.25, t(0.975, 1) = tan(0.475π).
  const double half = t1_exact(0.975) * 0.25;
  CHECK(u.ci_low == Approx((8.25 - half - 1) / 9 * 100).epsilon(1e-12));
  CHECK(u.ci_high == 100);
  CHECK(error_of([&] { (void)survey("unit,respondent,q1\nU,r1,11\n", o); }).problems()[0].message ==
        "question \"q1\": \"11\" is off the scale 1–10");

  // A scale around zero reads negative answers.
  cm::survey_options centred;
  centred.scale_min = -2;
  centred.scale_max = 2;
  centred.satisfied_at = 1;
  const auto z = unit_of(survey("unit,respondent,q1\nU,a,-2\nU,b,2\nU,c,-0\n", centred), "U");
  CHECK(z.index == 50);  // mean 0 → (0 + 2)/4 × 100
  CHECK(z.share_satisfied == Approx(1.0 / 3).epsilon(1e-14));
  CHECK(error_of([&] { (void)survey("unit,respondent,q1\nU,a,-+1\n", centred); }).code() ==
        "rectify.compliance.bad_answer");

  const std::string ok = "unit,respondent,q1\nU,r1,3\n";
  cm::survey_options flipped;
  flipped.scale_min = 5;
  flipped.scale_max = 1;
  const auto e1 = error_of([&] { (void)survey(ok, flipped); });
  CHECK(e1.code() == "rectify.compliance.bad_options");
  CHECK(e1.problems()[0].message == "scale_min (5) must be below scale_max (1)");
  cm::survey_options threshold;
  threshold.satisfied_at = 6;
  CHECK(error_of([&] { (void)survey(ok, threshold); }).problems()[0].message ==
        "satisfied_at (6) is not on the scale 1–5");
  cm::survey_options both;
  both.satisfied_at = 0;
  both.confidence = 1;
  const auto e2 = error_of([&] { (void)survey(ok, both); });
  REQUIRE(e2.problems().size() == 2);
  CHECK(e2.problems()[1].message == "confidence (1) must be strictly between 0 and 1");
  cm::survey_options nan_conf;
  nan_conf.confidence = NAN;
  CHECK(error_of([&] { (void)survey(ok, nan_conf); }).code() == "rectify.compliance.bad_options");
}
