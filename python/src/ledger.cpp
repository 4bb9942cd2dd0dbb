// Bindings of the rectification ledger (rectify::ledger). The Python layer
// (rectify/_ledger.py) owns everything user-facing: it turns datetimes and dates into the ISO
// texts taken here and builds DataFrames from the columns returned here (lists of strings,
// NumPy arrays of numbers, dates as int64 days since 1970-01-01 with NumPy's NaT value for
// "none", so that `.view("datetime64[D]")` reads them without a loop).
//
// A `ledger` holds one plan that `act` and `save` change. The GIL is released around every
// computation; the holder's lock is then taken with the GIL released, and nothing that holds
// the lock ever waits for the GIL, so the two cannot deadlock.
#include <pybind11/stl.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "rectify/core/dates.hpp"
#include "rectify/core/error.hpp"
#include "rectify/io/ledger_json.hpp"
#include "rectify/ledger/metrics.hpp"
#include "rectify/ledger/model.hpp"
#include "rectify/ledger/store.hpp"
#include "rectify/ledger/workflow.hpp"

namespace rectify::python {

namespace {

using namespace rectify::ledger;

// NumPy's NaT is the smallest int64: an int64 array of days viewed as datetime64[D] shows it
// as a missing date.
constexpr std::int64_t nat = std::numeric_limits<std::int64_t>::min();

struct holder {
  plan p;
  /// The replay of all of `p.log`, built (and the log verified) at the first `act`, so that
  /// each later action checks only its own guards: appending n events costs O(n), not O(n²).
  std::optional<replay> verified;
  mutable std::shared_mutex mutex;
};

date parse_day(const std::string& text, std::string_view what) {
  auto d = date::parse(text);
  if (!d)
    rectify::raise("rectify.ledger.bad_date", "",
                   std::string(what) + ": " + rectify::quoted(text) + " is not a date YYYY-MM-DD");
  return *d;
}

std::optional<group_by> parse_by(const std::optional<std::string>& by) {
  if (!by) return std::nullopt;
  auto g = parse_group_by(*by);
  // A usage error of the Python API, like a bad `lang`: the Python layer checks first.
  if (!g) throw py::value_error("by must be 'area', 'unit', 'leader' or 'owner', not " + rectify::quoted(*by));
  return g;
}

py::object optional_int(const std::optional<std::int64_t>& v) {
  return v ? py::object(py::int_(*v)) : py::object(py::none());
}

py::object optional_str(const std::optional<std::string>& v) {
  return v ? py::object(py::str(*v)) : py::object(py::none());
}

std::int64_t day_or_nat(const std::optional<date>& d) {
  return d ? d->days : nat;
}

py::list state_names() {
  py::list out;
  for (std::size_t s = 0; s < state_count; ++s) out.append(std::string(name(static_cast<state>(s))));
  return out;
}

// The per-measure columns of a status or overdue report.
py::dict measure_columns(const std::vector<measure_status>& ms) {
  const std::size_t n = ms.size();
  py::list id, problem, area, unit, leader, owner, kind, days_to_verify;
  std::vector<std::int64_t> due(n), verified_on(n), closed_on(n), times_returned(n), tasks_total(n), tasks_done(n),
      evidence(n), days_overdue(n);
  std::vector<std::int8_t> st(n), escalation_code(n);
  std::vector<bool> overdue_flag(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& m = ms[i];
    id.append(m.id);
    problem.append(m.problem);
    area.append(m.area);
    unit.append(m.unit);
    leader.append(m.leader);
    owner.append(m.owner);
    kind.append(std::string(name(m.kind)));
    due[i] = m.due.days;
    st[i] = static_cast<std::int8_t>(m.current);
    overdue_flag[i] = m.overdue;
    days_overdue[i] = m.days_overdue;
    // -1 for none, so that pandas.Categorical.from_codes reads it as missing.
    escalation_code[i] = static_cast<std::int8_t>(static_cast<int>(m.level) - 1);
    days_to_verify.append(m.days_to_verify ? py::object(py::int_(*m.days_to_verify)) : py::object(py::none()));
    times_returned[i] = m.times_returned;
    verified_on[i] = day_or_nat(m.verified_on);
    closed_on[i] = day_or_nat(m.closed_on);
    tasks_total[i] = m.tasks_total;
    tasks_done[i] = m.tasks_done;
    evidence[i] = m.evidence;
  }
  py::array_t<bool> overdue_array(static_cast<py::ssize_t>(n));
  for (std::size_t i = 0; i < n; ++i) overdue_array.mutable_data()[i] = overdue_flag[i];
  py::dict out;
  out["id"] = id;
  out["problem"] = problem;
  out["area"] = area;
  out["unit"] = unit;
  out["leader"] = leader;
  out["owner"] = owner;
  out["kind"] = kind;
  out["due"] = array_of(due);
  out["state"] = array_of(st);
  out["overdue"] = overdue_array;
  out["days_overdue"] = array_of(days_overdue);
  out["escalation"] = array_of(escalation_code);
  out["days_to_verify"] = days_to_verify;
  out["times_returned"] = array_of(times_returned);
  out["verified_on"] = array_of(verified_on);
  out["closed_on"] = array_of(closed_on);
  out["tasks_total"] = array_of(tasks_total);
  out["tasks_done"] = array_of(tasks_done);
  out["evidence"] = array_of(evidence);
  return out;
}

py::dict group_columns(const std::vector<group_status>& gs) {
  const std::size_t n = gs.size();
  py::list key;
  std::vector<std::int64_t> total(n), overdue_count(n);
  std::array<std::vector<std::int64_t>, state_count> states;
  for (auto& s : states) s.resize(n);
  std::vector<double> completion(n), closure(n), on_time(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& g = gs[i];
    key.append(g.key);
    total[i] = g.total;
    for (std::size_t s = 0; s < state_count; ++s) states[s][i] = g.states[s];
    completion[i] = g.completion_rate;
    closure[i] = g.closure_rate;
    on_time[i] = g.on_time_rate;
    overdue_count[i] = g.overdue;
  }
  py::dict out;
  out["key"] = key;
  out["total"] = array_of(total);
  for (std::size_t s = 0; s < state_count; ++s)
    out[py::str(std::string(name(static_cast<state>(s))))] = array_of(states[s]);
  out["completion_rate"] = array_of(completion);
  out["closure_rate"] = array_of(closure);
  out["on_time_rate"] = array_of(on_time);
  out["overdue"] = array_of(overdue_count);
  return out;
}

py::dict timeline_columns(const std::vector<timeline_row>& rows) {
  const std::size_t n = rows.size();
  py::list key;
  std::vector<std::int64_t> day(n), total(n), overdue_count(n);
  std::array<std::vector<std::int64_t>, state_count> states;
  for (auto& s : states) s.resize(n);
  std::vector<double> completion(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = rows[i];
    day[i] = r.day.days;
    key.append(r.key);
    total[i] = r.total;
    for (std::size_t s = 0; s < state_count; ++s) states[s][i] = r.states[s];
    overdue_count[i] = r.overdue;
    completion[i] = r.completion_rate;
  }
  py::dict out;
  out["date"] = array_of(day);
  out["key"] = key;
  out["total"] = array_of(total);
  for (std::size_t s = 0; s < state_count; ++s)
    out[py::str(std::string(name(static_cast<state>(s))))] = array_of(states[s]);
  out["overdue"] = array_of(overdue_count);
  out["completion_rate"] = array_of(completion);
  return out;
}

py::dict event_columns(const plan& p) {
  const std::size_t n = p.log.size();
  py::list at, by, measure, action_name, level, task, note, ev_name, ev_sha, ev_bytes, prev, hash;
  std::vector<std::int64_t> seq(n), utc(n), local_day(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& e = p.log[i];
    seq[i] = e.seq;
    at.append(e.at_text);
    utc[i] = e.at.utc_seconds;
    local_day[i] = e.at.local_date().days;
    by.append(e.by);
    measure.append(e.measure);
    action_name.append(std::string(name(e.act)));
    level.append(optional_int(e.level));
    task.append(optional_str(e.task));
    note.append(optional_str(e.note));
    if (e.proof) {
      ev_name.append(e.proof->name);
      ev_sha.append(e.proof->sha256);
      ev_bytes.append(py::int_(e.proof->bytes));
    } else {
      ev_name.append(py::none());
      ev_sha.append(py::none());
      ev_bytes.append(py::none());
    }
    prev.append(e.prev);
    hash.append(e.hash);
  }
  py::dict out;
  out["seq"] = array_of(seq);
  out["at"] = at;
  out["utc_seconds"] = array_of(utc);
  out["date"] = array_of(local_day);
  out["by"] = by;
  out["measure"] = measure;
  out["action"] = action_name;
  out["level"] = level;
  out["task"] = task;
  out["note"] = note;
  out["evidence_name"] = ev_name;
  out["evidence_sha256"] = ev_sha;
  out["evidence_bytes"] = ev_bytes;
  out["prev"] = prev;
  out["hash"] = hash;
  return out;
}

py::dict plan_columns(const plan& p) {
  py::list id, problem, area, title, text, kind, unit, leader, owner, tasks;
  std::vector<std::int64_t> due;
  due.reserve(p.measure_count());
  for (const auto& r : p.measures()) {
    const auto& pr = p.problems[r.problem];
    const auto& m = p.at(r);
    id.append(m.id);
    problem.append(pr.id);
    area.append(pr.area);
    title.append(pr.title);
    text.append(m.text);
    kind.append(std::string(name(m.kind)));
    unit.append(m.unit);
    leader.append(m.leader);
    owner.append(m.owner);
    due.push_back(m.due.days);
    tasks.append(py::int_(m.tasks.size()));
  }
  py::dict out;
  out["id"] = id;
  out["problem"] = problem;
  out["area"] = area;
  out["problem_title"] = title;
  out["text"] = text;
  out["kind"] = kind;
  out["unit"] = unit;
  out["leader"] = leader;
  out["owner"] = owner;
  out["due"] = array_of(due);
  out["tasks"] = tasks;
  return out;
}

std::shared_ptr<holder> load(const std::string& path) {
  auto h = std::make_shared<holder>();
  py::gil_scoped_release release;
  h->p = io::load_ledger_file(path);
  return h;
}

std::shared_ptr<holder> parse(const std::string& text, const std::string& source) {
  auto h = std::make_shared<holder>();
  py::gil_scoped_release release;
  h->p = io::parse_ledger(text, source);
  return h;
}

std::string act(holder& h, const std::string& measure_id, const std::string& action_text, const std::string& by,
                const std::optional<std::string>& at, std::optional<std::int64_t> level,
                std::optional<std::string> task, std::optional<std::string> note,
                const std::optional<std::string>& file, const std::optional<std::string>& ledger_path) {
  action_request req;
  req.measure = measure_id;
  req.by = by;
  req.level = level;
  req.task = std::move(task);
  req.note = std::move(note);
  std::string out;
  py::gil_scoped_release release;
  auto a = parse_action(action_text);
  if (!a)
    rectify::raise("rectify.ledger.bad_value", "",
                   measure_id + ": unknown action " + rectify::quoted(action_text) +
                       " (start, evidence, submit, approve, return, close, reopen, task_done)");
  req.act = *a;
  if (at) {
    auto t = timestamp::parse(*at);
    if (!t)
      rectify::raise(
          "rectify.ledger.bad_date", "",
          "at: " + rectify::quoted(*at) + " is not a date and time with a UTC offset (like 2026-04-02T09:30:00+08:00)");
    req.at = *t;
  }
  if (file) {
    // The stored name is the file's path relative to the ledger file's folder, which a ledger
    // read from text does not have (rectify/_ledger.py says so before calling).
    if (!ledger_path)
      rectify::raise("rectify.ledger.bad_value", "",
                     "evidence needs the ledger's file: its name is stored relative to the ledger's folder");
    // Hashed before the lock is taken: reading a large scan must not hold up other threads.
    req.proof = evidence_for(*ledger_path, *file);
  }
  std::unique_lock lock(h.mutex);
  event e = make_event(h.p, req, h.verified);
  out = io::event_json(e);
  h.p.log.push_back(std::move(e));
  h.verified->apply(h.p.log.back(), false);
  // The acted measure's recorded state follows the log, as `save` would write it, so that
  // `verify` of the ledger in memory does not report its own unsaved action as a mismatch.
  for (const measure_ref& ref : h.p.measures()) {
    auto& m = h.p.problems[ref.problem].measures[ref.measure];
    if (m.id == h.p.log.back().measure && m.recorded_state) m.recorded_state = h.verified->progress(ref.index).current;
  }
  return out;
}

}  // namespace

void init_ledger(py::module_& m) {
  py::class_<holder, std::shared_ptr<holder>>(m, "LedgerPlan", "A ledger in memory (wrapped by rectify.Ledger).")
      .def_property_readonly("id",
                             [](const holder& h) {
                               std::shared_lock lock(h.mutex);
                               return h.p.id;
                             })
      .def_property_readonly("title",
                             [](const holder& h) {
                               std::shared_lock lock(h.mutex);
                               return h.p.title;
                             })
      .def_property_readonly("review_levels",
                             [](const holder& h) {
                               std::shared_lock lock(h.mutex);
                               return h.p.review_levels;
                             })
      .def_property_readonly("escalation",
                             [](const holder& h) {
                               std::shared_lock lock(h.mutex);
                               return std::make_tuple(h.p.escalation.remind_days, h.p.escalation.accountable_days);
                             })
      .def_property_readonly("areas",
                             [](const holder& h) {
                               std::shared_lock lock(h.mutex);
                               std::vector<std::tuple<std::string, std::string>> out;
                               for (const auto& a : h.p.areas) out.emplace_back(a.id, a.name);
                               return out;
                             })
      .def_property_readonly("problem_count",
                             [](const holder& h) {
                               std::shared_lock lock(h.mutex);
                               return h.p.problems.size();
                             })
      .def_property_readonly("measure_count",
                             [](const holder& h) {
                               std::shared_lock lock(h.mutex);
                               return h.p.measure_count();
                             })
      .def_property_readonly("event_count",
                             [](const holder& h) {
                               std::shared_lock lock(h.mutex);
                               return h.p.log.size();
                             })
      .def("act", &act, py::arg("measure"), py::arg("action"), py::arg("by"), py::arg("at") = py::none(),
           py::arg("level") = py::none(), py::arg("task") = py::none(), py::arg("note") = py::none(),
           py::arg("file") = py::none(), py::arg("ledger_path") = py::none(),
           "Appends one event in memory after the guards allow it; returns the event as JSON text. An evidence "
           "`file` is stored by its path relative to the folder of `ledger_path`.")
      .def(
          "save",
          [](holder& h, const std::string& path) {
            py::gil_scoped_release release;
            std::unique_lock lock(h.mutex);
            ledger::save(h.p, path);
          },
          py::arg("path"), "Writes the ledger atomically; refuses (rectify.ledger.conflict) when the file moved on.")
      .def("to_json",
           [](const holder& h) {
             std::string out;
             {
               py::gil_scoped_release release;
               std::shared_lock lock(h.mutex);
               out = io::dump_ledger(h.p);
             }
             return out;
           })
      .def("measures",
           [](const holder& h) {
             std::shared_lock lock(h.mutex);
             return plan_columns(h.p);
           })
      .def("events",
           [](const holder& h) {
             std::shared_lock lock(h.mutex);
             return event_columns(h.p);
           })
      .def(
          "status",
          [](const holder& h, const std::string& as_of, const std::optional<std::string>& by) {
            auto g = parse_by(by);
            status_report r;
            {
              py::gil_scoped_release release;
              const date d = parse_day(as_of, "as_of");
              std::shared_lock lock(h.mutex);
              r = ledger::status(h.p, d, g.value_or(group_by::unit));
            }
            return std::make_tuple(r.as_of.str(), measure_columns(r.measures), group_columns(r.groups));
          },
          py::arg("as_of"), py::arg("by") = py::none(),
          "(as_of, measure columns, group columns) as of the date `as_of` (YYYY-MM-DD).")
      .def(
          "overdue",
          [](const holder& h, const std::string& as_of) {
            std::vector<measure_status> r;
            {
              py::gil_scoped_release release;
              const date d = parse_day(as_of, "as_of");
              std::shared_lock lock(h.mutex);
              r = ledger::overdue(h.p, d);
            }
            return measure_columns(r);
          },
          py::arg("as_of"))
      .def(
          "inputs",
          [](const holder& h, const std::string& as_of) {
            rectify::table t;
            {
              py::gil_scoped_release release;
              const date d = parse_day(as_of, "as_of");
              std::shared_lock lock(h.mutex);
              t = ledger::inputs(h.p, d);
            }
            return table_tuple(t);  // small (units × 5): copied
          },
          py::arg("as_of"), "(units, column names, units × columns float64 array) of the scorer's inputs.")
      .def(
          "timeline",
          [](const holder& h, const std::string& start, const std::string& end, const std::optional<std::string>& by) {
            auto g = parse_by(by);
            std::vector<timeline_row> rows;
            {
              py::gil_scoped_release release;
              const date s = parse_day(start, "start");
              const date e = parse_day(end, "end");
              std::shared_lock lock(h.mutex);
              rows = ledger::timeline(h.p, s, e, g);
            }
            return timeline_columns(rows);
          },
          py::arg("start"), py::arg("end"), py::arg("by") = py::none())
      .def(
          "verify",
          [](const holder& h) -> py::tuple {
            verify_report r;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(h.mutex);
              r = ledger::verify(h.p);
            }
            if (r.ok()) return py::make_tuple(true, r.events, py::none(), py::none(), "", "");
            const auto& f = *r.failure;
            return py::make_tuple(false, r.events, f.seq, f.index, f.code, f.reason);
          },
          "(ok, events, seq, index, code, reason) of ledger::verify; seq and index are None when ok.");

  m.def("load_ledger", &load, py::arg("path"), "Reads and validates a ledger file (the GIL is released).");
  m.def("parse_ledger", &parse, py::arg("text"), py::arg("source") = "",
        "Parses and validates a ledger's JSON text; `source` names it in messages.");
  m.def("ledger_states", &state_names, "The state names in workflow order (the codes of the state columns).");
}

}  // namespace rectify::python
