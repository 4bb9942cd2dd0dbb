// Bindings of the compliance checks (rectify::compliance: 三会一课 meetings, satisfaction surveys,
// the risk register). The Python layer (rectify/compliance.py, rectify/_compliance.py) owns
// everything user-facing: it turns a DataFrame into one list of str per column, dates and months
// into ISO texts, and builds DataFrames from the columns returned here (lists of strings, NumPy
// arrays of numbers, dates as int64 days since 1970-01-01 with NumPy's NaT value for "none").
//
// A record table arrives either as the path of a CSV file, read by the C++ reader with the GIL
// released so that errors name file:line:column, or as (source, header, columns) built from a
// DataFrame: its cells are copied into an io::text_table while the GIL is held (they are Python
// objects), and errors then name `source:row N:column`. Every check runs with the GIL released,
// on data no Python object can reach, so any number of threads may check at once.
#include <pybind11/stl.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "rectify/compliance/meetings.hpp"
#include "rectify/compliance/risks.hpp"
#include "rectify/compliance/surveys.hpp"
#include "rectify/core/dates.hpp"
#include "rectify/core/error.hpp"
#include "rectify/core/table.hpp"
#include "rectify/io/meeting_rules_json.hpp"
#include "rectify/io/records.hpp"

namespace rectify::python {

namespace {

using namespace rectify::compliance;

// NumPy's NaT is the smallest int64: an int64 array of days viewed as datetime64[D] shows it
// as a missing date.
constexpr std::int64_t nat = std::numeric_limits<std::int64_t>::min();
constexpr std::size_t no_row = static_cast<std::size_t>(-1);

// Runs without the GIL.
io::text_table load(table_input&& in, const io::csv_options& options) {
  if (in.from_file) return io::read_text_csv_file(in.path, options);
  return std::move(in.table);
}

io::csv_options csv_options_of(const std::string& encoding) {
  io::csv_options o;
  o.encoding = encoding;
  return o;
}

month parse_month(const std::string& text, std::string_view what) {
  auto m = month::parse(trimmed(text));
  if (!m) {
    std::string message(what);
    message += ": ";
    message += rectify::quoted(text);
    message += " is not a month (YYYY-MM, e.g. 2026-01): a period is whole months";
    rectify::raise("rectify.compliance.bad_period", "", std::move(message));
  }
  return *m;
}

// ---- meetings ------------------------------------------------------------------------------

struct meetings_out {
  meetings_report report;
  rectify::table inputs;
  std::string rules_json;
  std::vector<std::string> places;  // per finding: where its record is ("" when it has none)
};

py::dict meetings_columns(const meetings_out& out) {
  const auto& r = out.report;
  py::dict d;
  d["start"] = r.from.str();
  d["end"] = r.to.str();
  d["rules"] = out.rules_json;
  d["records_outside"] = r.records_outside;
  py::list type_ids, type_zh;
  for (const auto& t : r.rules.types) {
    type_ids.append(t.id);
    type_zh.append(t.name_zh);
  }
  d["types"] = type_ids;
  d["types_zh"] = type_zh;
  py::list kinds;
  for (auto k : {finding_kind::missed, finding_kind::invalid, finding_kind::incomplete, finding_kind::not_assessed})
    kinds.append(std::string(name(k)));
  d["kinds"] = kinds;

  // Per branch, and per (branch, type) in branch-major order.
  const std::size_t nb = r.branches.size();
  const std::size_t nt = r.rules.types.size();
  py::list branch, groups;
  std::vector<std::int64_t> required(nb), met(nb), records(nb), invalid(nb), incomplete(nb), attended(nb), expected(nb);
  std::vector<double> met_ratio(nb), attendance_rate(nb);
  std::vector<std::int64_t> t_type(nb * nt), t_required(nb * nt), t_met(nb * nt), t_held(nb * nt), t_invalid(nb * nt);
  for (std::size_t i = 0; i < nb; ++i) {
    const auto& b = r.branches[i];
    branch.append(b.branch);
    groups.append(py::tuple(py::cast(b.groups)));
    required[i] = b.required;
    met[i] = b.met;
    records[i] = b.records;
    invalid[i] = b.invalid;
    incomplete[i] = b.incomplete;
    attended[i] = b.attended;
    expected[i] = b.expected;
    met_ratio[i] = b.met_ratio;
    attendance_rate[i] = b.attendance_rate;
    for (std::size_t j = 0; j < nt; ++j) {
      const std::size_t k = i * nt + j;
      t_type[k] = static_cast<std::int64_t>(j);
      if (j < b.types.size()) {
        t_required[k] = b.types[j].required;
        t_met[k] = b.types[j].met;
        t_held[k] = b.types[j].held;
        t_invalid[k] = b.types[j].invalid;
      }
    }
  }
  py::dict bd;
  bd["branch"] = branch;
  bd["groups"] = groups;
  bd["required"] = array_of(required);
  bd["met"] = array_of(met);
  bd["records"] = array_of(records);
  bd["invalid"] = array_of(invalid);
  bd["incomplete"] = array_of(incomplete);
  bd["attended"] = array_of(attended);
  bd["expected"] = array_of(expected);
  bd["met_ratio"] = array_of(met_ratio);
  bd["attendance_rate"] = array_of(attendance_rate);
  d["branches"] = bd;
  py::dict td;
  td["type"] = array_of(t_type);
  td["required"] = array_of(t_required);
  td["met"] = array_of(t_met);
  td["held"] = array_of(t_held);
  td["invalid"] = array_of(t_invalid);
  d["by_type"] = td;

  const std::size_t nf = r.findings.size();
  py::list f_branch, f_group, f_slot, f_detail, f_missing;
  std::vector<std::int8_t> f_kind(nf);
  std::vector<std::int64_t> f_type(nf), f_row(nf), f_on(nf);
  for (std::size_t i = 0; i < nf; ++i) {
    const auto& f = r.findings[i];
    f_kind[i] = static_cast<std::int8_t>(f.kind);
    f_branch.append(f.branch);
    f_type[i] = static_cast<std::int64_t>(f.type);
    f_group.append(f.group);
    f_slot.append(f.slot);
    f_row[i] = f.row == no_row ? -1 : static_cast<std::int64_t>(f.row);
    f_on[i] = f.on ? f.on->days : nat;
    f_detail.append(f.detail);
    std::vector<std::string> missing;
    for (auto m : f.missing) missing.emplace_back(name(m));
    f_missing.append(py::tuple(py::cast(missing)));
  }
  py::dict fd;
  fd["kind"] = array_of(f_kind);
  fd["branch"] = f_branch;
  fd["type"] = array_of(f_type);
  fd["group"] = f_group;
  fd["slot"] = f_slot;
  fd["on"] = array_of(f_on);
  fd["row"] = array_of(f_row);
  fd["place"] = py::cast(out.places);
  fd["detail"] = f_detail;
  fd["missing"] = f_missing;
  d["findings"] = fd;
  d["inputs"] = table_tuple(out.inputs);
  return d;
}

py::dict meetings(const py::object& records, const std::string& start, const std::string& end,
                  const std::optional<std::string>& rules_path, const std::optional<std::string>& rules_text,
                  const py::object& branches, const std::string& encoding) {
  table_input records_in = take_table(records);
  std::optional<table_input> branches_in;
  if (!branches.is_none()) branches_in = take_table(branches);
  const auto options = csv_options_of(encoding);
  meetings_out out;
  {
    py::gil_scoped_release release;
    meeting_options opt;
    opt.from = parse_month(start, "start");
    opt.to = parse_month(end, "end");
    const meeting_rules rules = rules_path   ? io::load_meeting_rules(*rules_path)
                                : rules_text ? io::parse_meeting_rules(*rules_text, "rules")
                                             : default_meeting_rules();
    if (branches_in) opt.branches = read_branches(load(std::move(*branches_in), options));
    const meeting_records recs = read_meeting_records(load(std::move(records_in), options), rules);
    out.report = check_meetings(recs, rules, opt);
    out.inputs = compliance::inputs(out.report);
    out.rules_json = io::dump_meeting_rules(out.report.rules);
    out.places.reserve(out.report.findings.size());
    for (const auto& f : out.report.findings)
      out.places.push_back(f.row == no_row ? std::string() : recs.table.place(f.row, -1));
  }
  return meetings_columns(out);
}

// ---- surveys -------------------------------------------------------------------------------

py::dict surveys(const py::object& responses, std::int64_t scale_min, std::int64_t scale_max, std::int64_t satisfied_at,
                 double confidence, const std::string& encoding) {
  table_input in = take_table(responses);
  const auto options = csv_options_of(encoding);
  survey_report r;
  rectify::table t;
  {
    py::gil_scoped_release release;
    survey_options opt;
    opt.scale_min = scale_min;
    opt.scale_max = scale_max;
    opt.satisfied_at = satisfied_at;
    opt.confidence = confidence;
    r = check_surveys(load(std::move(in), options), opt);
    t = compliance::inputs(r);
  }
  const std::size_t nu = r.units.size();
  const std::size_t nq = r.questions.size();
  py::list unit;
  std::vector<std::int64_t> respondents(nu), blank(nu), answers(nu);
  std::vector<double> index(nu), ci_low(nu), ci_high(nu), share(nu);
  // units × questions, column-major like every table handed to NumPy here.
  constexpr auto dsize = static_cast<py::ssize_t>(sizeof(double));
  constexpr auto isize = static_cast<py::ssize_t>(sizeof(std::int64_t));
  const auto n = static_cast<py::ssize_t>(nu);
  const auto k = static_cast<py::ssize_t>(nq);
  py::array_t<double> means({n, k}, {dsize, n * dsize});
  py::array_t<std::int64_t> counts({n, k}, {isize, n * isize});
  auto* m = means.mutable_data();
  auto* c = counts.mutable_data();
  for (std::size_t i = 0; i < nu; ++i) {
    const auto& u = r.units[i];
    unit.append(u.unit);
    respondents[i] = u.respondents;
    blank[i] = u.blank;
    answers[i] = u.answers;
    index[i] = u.index;
    ci_low[i] = u.ci_low;
    ci_high[i] = u.ci_high;
    share[i] = u.share_satisfied;
    for (std::size_t j = 0; j < nq; ++j) {
      m[j * nu + i] = j < u.question_means.size() ? u.question_means[j] : std::numeric_limits<double>::quiet_NaN();
      c[j * nu + i] = j < u.question_answers.size() ? u.question_answers[j] : 0;
    }
  }
  py::dict d;
  d["questions"] = r.questions;
  d["scale"] = py::make_tuple(r.options.scale_min, r.options.scale_max);
  d["satisfied_at"] = r.options.satisfied_at;
  d["confidence"] = r.options.confidence;
  py::dict ud;
  ud["unit"] = unit;
  ud["respondents"] = array_of(respondents);
  ud["blank"] = array_of(blank);
  ud["answers"] = array_of(answers);
  ud["index"] = array_of(index);
  ud["ci_low"] = array_of(ci_low);
  ud["ci_high"] = array_of(ci_high);
  ud["share_satisfied"] = array_of(share);
  d["units"] = ud;
  d["question_means"] = means;
  d["question_answers"] = counts;
  d["inputs"] = table_tuple(t);
  return d;
}

// ---- risks ---------------------------------------------------------------------------------

py::dict risks(const py::object& reg, const std::string& as_of, const std::string& encoding) {
  table_input in = take_table(reg);
  const auto options = csv_options_of(encoding);
  risk_report r;
  rectify::table t;
  std::vector<std::string> places;
  {
    py::gil_scoped_release release;
    const auto d = date::parse(trimmed(as_of));
    if (!d) {
      std::string message = "as_of: ";
      message += rectify::quoted(as_of);
      message += " is not a date YYYY-MM-DD";
      rectify::raise("rectify.compliance.bad_date", "", std::move(message));
    }
    const io::text_table table = load(std::move(in), options);
    r = check_risks(table, *d);
    t = compliance::inputs(r);
    places.reserve(r.points.size());
    for (const auto& p : r.points) places.push_back(table.place(p.row, -1));
  }
  const std::size_t np = r.points.size();
  py::list p_unit, p_post, p_risk;
  std::vector<std::int64_t> p_row(np), p_controls(np), p_reviewed(np);
  std::vector<std::int8_t> p_level(np);
  std::vector<bool> p_window(np);
  for (std::size_t i = 0; i < np; ++i) {
    const auto& p = r.points[i];
    p_row[i] = static_cast<std::int64_t>(p.row);
    p_unit.append(p.unit);
    p_post.append(p.post);
    p_risk.append(p.risk);
    p_level[i] = static_cast<std::int8_t>(p.level);
    p_controls[i] = p.controls;
    p_reviewed[i] = p.reviewed ? p.reviewed->days : nat;
    p_window[i] = p.reviewed_in_window;
  }
  const std::size_t nu = r.units.size();
  py::list u_unit;
  std::vector<std::int64_t> u_points(nu), u_controlled(nu), u_high_reviewed(nu);
  std::array<std::vector<std::int64_t>, risk_level_count> u_levels;
  for (auto& v : u_levels) v.resize(nu);
  std::vector<double> u_controlled_ratio(nu), u_high_reviewed_ratio(nu);
  for (std::size_t i = 0; i < nu; ++i) {
    const auto& u = r.units[i];
    u_unit.append(u.unit);
    u_points[i] = u.points;
    for (std::size_t l = 0; l < risk_level_count; ++l) u_levels[l][i] = u.by_level[l];
    u_controlled[i] = u.controlled;
    u_high_reviewed[i] = u.high_reviewed;
    u_controlled_ratio[i] = u.controlled_ratio;
    u_high_reviewed_ratio[i] = u.high_reviewed_ratio;
  }
  py::dict d;
  d["as_of"] = r.as_of.str();
  d["window_start"] = r.window_start.str();
  py::list levels;
  for (std::size_t l = 0; l < risk_level_count; ++l) levels.append(std::string(name(static_cast<risk_level>(l))));
  d["levels"] = levels;
  py::dict pd;
  pd["row"] = array_of(p_row);
  pd["place"] = py::cast(places);
  pd["unit"] = p_unit;
  pd["post"] = p_post;
  pd["risk"] = p_risk;
  pd["level"] = array_of(p_level);
  pd["controls"] = array_of(p_controls);
  pd["reviewed"] = array_of(p_reviewed);
  pd["reviewed_in_window"] = bool_array(p_window);
  d["points"] = pd;
  py::dict ud;
  ud["unit"] = u_unit;
  ud["points"] = array_of(u_points);
  for (std::size_t l = 0; l < risk_level_count; ++l)
    ud[py::str(std::string(name(static_cast<risk_level>(l))))] = array_of(u_levels[l]);
  ud["controlled"] = array_of(u_controlled);
  ud["high_reviewed"] = array_of(u_high_reviewed);
  ud["controlled_ratio"] = array_of(u_controlled_ratio);
  ud["high_reviewed_ratio"] = array_of(u_high_reviewed_ratio);
  d["units"] = ud;
  d["inputs"] = table_tuple(t);
  return d;
}

}  // namespace

void init_compliance(py::module_& m) {
  m.def("compliance_meetings", &meetings, py::arg("records"), py::arg("start"), py::arg("end"),
        py::arg("rules_path") = py::none(), py::arg("rules_text") = py::none(), py::arg("branches") = py::none(),
        py::arg("encoding") = "utf-8",
        "Checks meeting records (a path, or (source, header, columns)) over the months [start, end]; "
        "returns a dict of columns.");
  m.def("compliance_surveys", &surveys, py::arg("responses"), py::arg("scale_min") = 1, py::arg("scale_max") = 5,
        py::arg("satisfied_at") = 4, py::arg("confidence") = 0.95, py::arg("encoding") = "utf-8",
        "Checks survey responses (a path, or (source, header, columns)); returns a dict of columns.");
  m.def("compliance_risks", &risks, py::arg("register"), py::arg("as_of"), py::arg("encoding") = "utf-8",
        "Checks a risk register (a path, or (source, header, columns)) as of a day; returns a dict of columns.");
  m.def(
      "compliance_default_rules", [] { return io::dump_meeting_rules(default_meeting_rules()); },
      "The default 三会一课 requirements as a rectify.meeting-rules/1 file.");
  m.def(
      "compliance_check_rules",
      [](const std::optional<std::string>& path, const std::optional<std::string>& text) {
        std::string out;
        py::gil_scoped_release release;
        out = io::dump_meeting_rules(path ? io::load_meeting_rules(*path)
                                          : io::parse_meeting_rules(text.value_or(""), "rules"));
        return out;
      },
      py::arg("path") = py::none(), py::arg("text") = py::none(),
      "Reads a rules file (or its text) and returns the complete table it gives, as JSON text.");
}

}  // namespace rectify::python
