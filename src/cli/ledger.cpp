// `rectify ledger ...`: the rectification ledger (整改台账) on the command line (docs/ledger.md,
// "command line"; docs/cli.md, "ledger").
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "rectify/core/dates.hpp"
#include "rectify/io/ledger_json.hpp"
#include "rectify/io/results.hpp"
#include "rectify/io/scheme_json.hpp"
#include "rectify/ledger/metrics.hpp"
#include "rectify/ledger/model.hpp"
#include "rectify/ledger/store.hpp"
#include "rectify/ledger/workflow.hpp"

namespace rectify::cli {
namespace {

using ojson = nlohmann::ordered_json;
namespace lg = rectify::ledger;

constexpr lg::state all_states[] = {lg::state::planned, lg::state::in_progress, lg::state::submitted,
                                    lg::state::verified, lg::state::closed};

// A placeholder for a cell that does not apply (no tasks, not overdue, an empty rate): an empty
// cell would make the plain-text table impossible to read column by column.
constexpr const char* kNone = "-";

date date_option(const std::string& option, const std::string& text) {
  if (const auto d = date::parse(text)) return *d;
  throw usage_error(option + " " + rectify::quoted(text) + " is not a date: write YYYY-MM-DD, a day that exists (" +
                    option + " 2026-06-30)");
}

// `--as-of` left out means today, as a calendar date where the command runs.
date as_of_date(const std::string& text) {
  return text.empty() ? timestamp::now_local().local_date() : date_option("--as-of", text);
}

timestamp at_option(const std::string& text) {
  if (const auto t = timestamp::parse(text)) return *t;
  // A date and time that parses once an offset is added is refused for that reason alone, so
  // the message can say exactly what is missing.
  if (timestamp::parse(text + "+00:00"))
    throw usage_error("--at " + rectify::quoted(text) +
                      " has no UTC offset: an event must say where it was recorded, e.g. " + text +
                      "+08:00 (leave --at out to record now, in local time)");
  throw usage_error("--at " + rectify::quoted(text) +
                    " is not a date and time with a UTC offset, like 2026-04-02T09:30:00+08:00");
}

// The library's label, or the placeholder for no escalation.
std::string_view escalation_zh(lg::escalation e) {
  return e == lg::escalation::none ? std::string_view(kNone) : lg::label_zh(e);
}

// The table's count columns: 措施数, then one per state in order (the library's labels).
std::vector<std::string> state_headers() {
  std::vector<std::string> head = {"措施数"};
  for (const auto s : all_states) head.emplace_back(lg::label_zh(s));
  return head;
}

std::string_view group_zh(lg::group_by g) {
  switch (g) {
    case lg::group_by::area:
      return "领域";
    case lg::group_by::leader:
      return "分管领导";
    case lg::group_by::owner:
      return "责任人";
    case lg::group_by::unit:
      break;
  }
  return "单位";
}

ojson nullable(double rate) {
  return std::isnan(rate) ? ojson(nullptr) : ojson(rate);
}

ojson nullable(const std::optional<date>& d) {
  return d ? ojson(d->str()) : ojson(nullptr);
}

std::string percent(double rate) {
  return std::isnan(rate) ? kNone : fixed(100 * rate, 1) + "%";
}

std::string csv_date(const std::optional<date>& d) {
  return d ? d->str() : "";
}

// ---------------------------------------------------------------------------------------------
// Measures

ojson measure_json(const lg::measure_status& m) {
  ojson j;
  j["id"] = m.id;
  j["problem"] = m.problem;
  j["area"] = m.area;
  j["unit"] = m.unit;
  j["leader"] = m.leader;
  j["owner"] = m.owner;
  j["kind"] = lg::name(m.kind);
  j["due"] = m.due.str();
  j["state"] = lg::name(m.current);
  j["overdue"] = m.overdue;
  j["days_overdue"] = m.days_overdue;
  j["escalation"] = m.level == lg::escalation::none ? ojson(nullptr) : ojson(lg::name(m.level));
  j["days_to_verify"] = m.days_to_verify ? ojson(*m.days_to_verify) : ojson(nullptr);
  j["times_returned"] = m.times_returned;
  j["verified_on"] = nullable(m.verified_on);
  j["closed_on"] = nullable(m.closed_on);
  j["tasks_total"] = m.tasks_total;
  j["tasks_done"] = m.tasks_done;
  j["evidence"] = m.evidence;
  return j;
}

const char* const measure_csv_head =
    "id,problem,area,unit,leader,owner,kind,due,state,overdue,days_overdue,escalation,days_to_verify,times_returned,"
    "verified_on,closed_on,tasks_total,tasks_done,evidence\n";

std::string measure_csv(const lg::measure_status& m) {
  std::string s;
  for (const std::string_view cell : {std::string_view(m.id), std::string_view(m.problem), std::string_view(m.area),
                                      std::string_view(m.unit), std::string_view(m.leader), std::string_view(m.owner)})
    s += csv_field(cell) + ",";
  s += std::string(lg::name(m.kind)) + "," + m.due.str() + "," + std::string(lg::name(m.current)) + "," +
       (m.overdue ? "true" : "false") + "," + std::to_string(m.days_overdue) + "," + std::string(lg::name(m.level)) +
       "," + (m.days_to_verify ? std::to_string(*m.days_to_verify) : "") + "," + std::to_string(m.times_returned) +
       "," + csv_date(m.verified_on) + "," + csv_date(m.closed_on) + "," + std::to_string(m.tasks_total) + "," +
       std::to_string(m.tasks_done) + "," + std::to_string(m.evidence) + "\n";
  return s;
}

// The measure rows of `status` and `overdue`, the measure's text last so that a long sentence
// does not push the figures off the screen.
std::string measure_table(const lg::plan& p, const std::vector<lg::measure_status>& ms) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : ms) {
    rows.push_back({m.id, m.unit, m.leader.empty() ? kNone : m.leader, m.owner, std::string(lg::label_zh(m.kind)),
                    m.due.str(), std::string(lg::label_zh(m.current)),
                    m.tasks_total == 0 ? kNone : std::to_string(m.tasks_done) + "/" + std::to_string(m.tasks_total),
                    m.overdue ? std::to_string(m.days_overdue) : kNone, std::string(escalation_zh(m.level)),
                    std::to_string(m.times_returned), p.at(m.index).text});
  }
  return aligned_table(
      {"措施", "单位", "分管领导", "责任人", "类型", "期限", "状态", "任务", "逾期天数", "督办", "退回", "措施内容"},
      rows, {false, false, false, false, false, false, false, true, true, false, true, false});
}

// ---------------------------------------------------------------------------------------------
// Groups

ojson states_json(const std::array<std::int64_t, lg::state_count>& counts) {
  ojson j = ojson::object();
  for (const auto s : all_states) j[std::string(lg::name(s))] = counts[static_cast<std::size_t>(s)];
  return j;
}

std::string group_table(const lg::plan& p, const std::vector<lg::group_status>& gs, lg::group_by by) {
  std::vector<std::string> head = {std::string(group_zh(by))};
  const bool named = by == lg::group_by::area;
  if (named) head.emplace_back("名称");
  for (auto& h : state_headers()) head.push_back(std::move(h));
  for (const auto& h : {"完成率", "销号率", "按期率", "逾期"}) head.emplace_back(h);
  std::vector<bool> right(head.size(), true);
  right[0] = false;
  if (named) right[1] = false;
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : gs) {
    std::vector<std::string> row = {g.key.empty() ? "(未填)" : g.key};
    if (named) row.emplace_back(p.area_name(g.key));
    row.push_back(std::to_string(g.total));
    for (const auto s : all_states) row.push_back(std::to_string(g.states[static_cast<std::size_t>(s)]));
    row.push_back(percent(g.completion_rate));
    row.push_back(percent(g.closure_rate));
    row.push_back(percent(g.on_time_rate));
    row.push_back(std::to_string(g.overdue));
    rows.push_back(std::move(row));
  }
  return aligned_table(head, rows, right);
}

std::string title(const lg::plan& p) {
  return p.title.empty() ? p.id : p.title + " (" + p.id + ")";
}

// ---------------------------------------------------------------------------------------------
// Loading

// Figures are never computed from a log that does not verify: a forged or out-of-order event
// would feed the scorer. The failure prints as `LEDGER: [code] /log/<i>: seq <n>: <reason>`.
[[noreturn]] void raise_failure(const lg::verify_failure& f, const std::string& path) {
  raise(f.code, pointer_append("/log", f.index), "seq " + std::to_string(f.seq) + ": " + f.reason, path);
}

lg::plan load_verified(const std::string& path) {
  lg::plan p = io::load_ledger_file(path);
  const auto report = lg::verify(p);
  if (report.failure) raise_failure(*report.failure, path);
  return p;
}

std::size_t task_count(const lg::plan& p) {
  std::size_t n = 0;
  for (const auto& r : p.measures()) n += p.at(r).tasks.size();
  return n;
}

std::string plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

void ledger_command::add_to(CLI::App& app) {
  sub_ = app.add_subcommand("ledger", "the rectification ledger (整改台账): validate, status, act, verify...");
  sub_->require_subcommand(1);
  const auto ledger_arg = [&](CLI::App* s) {
    s->add_option("LEDGER", path_, "ledger JSON (rectify.ledger/1)")->required();
  };
  const auto as_of_opt = [&](CLI::App* s) {
    s->add_option("--as-of", as_of_, "the date the figures are for, YYYY-MM-DD (default: today)");
  };
  const auto format_opt = [&](CLI::App* s) {
    s->add_option("--format", format_, "table (Chinese headers, rounded), json or csv (full precision)")
        ->check(CLI::IsMember({"table", "json", "csv"}));
  };
  const auto group_check = CLI::IsMember({"area", "unit", "leader", "owner"});

  validate_ = sub_->add_subcommand("validate", "check the file and its log; report every problem of the file at once");
  ledger_arg(validate_);

  status_ = sub_->add_subcommand("status", "every measure's state and lateness, and counts and rates by group");
  ledger_arg(status_);
  as_of_opt(status_);
  status_->add_option("--by", group_, "group by area, unit (default), leader or owner")->check(group_check);
  format_opt(status_);

  overdue_ = sub_->add_subcommand("overdue", "the measures overdue, most days first");
  ledger_arg(overdue_);
  as_of_opt(overdue_);
  format_opt(overdue_);

  inputs_ = sub_->add_subcommand("inputs", "the scorer's inputs per unit, as CSV (unit,rect_total,...)");
  ledger_arg(inputs_);
  as_of_opt(inputs_);

  act_ = sub_->add_subcommand("act", "append one event to the log (the guards may refuse it)");
  ledger_arg(act_);
  act_->add_option("MEASURE", measure_, "measure id, e.g. P1.M1")->required();
  act_->add_option("ACTION", action_, "start, evidence, task_done, submit, approve, return, close or reopen")
      ->required()
      ->check(CLI::IsMember({"start", "evidence", "submit", "approve", "return", "close", "reopen", "task_done"}));
  act_->add_option("--by", person_, "who acts (a name as the ledger writes people)")->required();
  at_opt_ = act_->add_option("--at", at_, "when, with a UTC offset: 2026-04-02T09:30:00+08:00 (default: now)");
  level_opt_ = act_->add_option("--level", level_, "review level for approve and return, 1 = the first");
  task_opt_ = act_->add_option("--task", task_, "task id for task_done");
  note_opt_ = act_->add_option("--note", note_, "note; required for return (退回意见) and reopen");
  file_opt_ = act_->add_option(
      "--file", file_,
      "evidence file inside the ledger's folder: hashed with SHA-256, stored by its path relative to that folder, "
      "hash and size");

  verify_ = sub_->add_subcommand("verify", "check the hash chain and replay the log with every guard");
  ledger_arg(verify_);

  timeline_ = sub_->add_subcommand("timeline", "daily counts from one date to another (burn-down)");
  ledger_arg(timeline_);
  timeline_->add_option("--from", from_, "first day, YYYY-MM-DD")->required();
  timeline_->add_option("--to", to_, "last day, YYYY-MM-DD")->required();
  timeline_->add_option("--by", timeline_group_, "one series per area, unit, leader or owner (default: one series)")
      ->check(group_check);
  format_opt(timeline_);
}

int ledger_command::run_act() const {
  const auto act = lg::parse_action(action_);
  if (!act) throw usage_error("unknown action " + rectify::quoted(action_));
  if (*act == lg::action::evidence && file_opt_->count() == 0)
    throw usage_error(
        "evidence needs --file PATH: the file is hashed (SHA-256) and stored by its path relative to the "
        "ledger's folder, hash and size");
  if (*act != lg::action::evidence && file_opt_->count() > 0)
    throw usage_error("--file goes with the evidence action only, not " + action_);
  if (level_opt_->count() > 0 && level_ < 1)
    throw usage_error("--level is " + std::to_string(level_) + ": review levels count from 1");
  if (person_.empty()) throw usage_error("--by is empty: name the person who acts");

  lg::action_request req;
  req.measure = measure_;
  req.act = *act;
  req.by = person_;
  if (at_opt_->count() > 0) req.at = at_option(at_);
  if (level_opt_->count() > 0) req.level = level_;
  if (task_opt_->count() > 0) req.task = task_;
  if (note_opt_->count() > 0) req.note = note_;
  const lg::event e = lg::act(path_, std::move(req), file_opt_->count() > 0 ? file_ : std::string());
  std::string line = io::event_json(e);
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
  return write_stdout(line + "\n");
}

int ledger_command::run() const {
  if (act_->parsed()) return run_act();

  if (validate_->parsed()) {
    const auto problems = io::validate_ledger(io::read_file(path_), path_);
    if (!problems.empty()) {
      print_problems(problems);
      std::fprintf(stderr, "rectify: %zu problem%s in %s\n", problems.size(), problems.size() == 1 ? "" : "s",
                   path_.c_str());
      return 1;
    }
    // The file is well formed; a log that does not verify is still an invalid ledger.
    const lg::plan p = io::load_ledger_file(path_);
    const auto report = lg::verify(p);
    if (report.failure) {
      const auto& f = *report.failure;
      print_problems(
          {problem{f.code, pointer_append("/log", f.index), "seq " + std::to_string(f.seq) + ": " + f.reason, path_}});
      std::fprintf(stderr, "rectify: 1 problem in %s\n", path_.c_str());
      return 1;
    }
    return write_stdout(path_ + ": valid: " + p.id + ", " + plural(p.problems.size(), "problem") + ", " +
                        plural(p.measure_count(), "measure") + ", " + plural(task_count(p), "task") + ", " +
                        plural(p.review_levels.size(), "review level") + ", " + plural(p.log.size(), "event") +
                        ", chain intact\n");
  }

  if (verify_->parsed()) {
    const lg::plan p = io::load_ledger_file(path_);
    const auto report = lg::verify(p);
    if (report.failure) raise_failure(*report.failure, path_);
    return write_stdout(path_ + ": ok, " + plural(report.events, "event") + ", chain intact\n");
  }

  if (inputs_->parsed()) {
    const date d = as_of_date(as_of_);
    const lg::plan p = load_verified(path_);
    const table t = lg::inputs(p, d);
    std::string out = "unit";
    for (const auto& c : t.columns) out += "," + csv_field(c);
    out += "\n";
    for (std::size_t i = 0; i < t.units.size(); ++i) {
      out += csv_field(t.units[i]);
      for (std::size_t j = 0; j < t.columns.size(); ++j)
        out += "," + io::format_double(t.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
      out += "\n";
    }
    return write_stdout(out);
  }

  if (status_->parsed()) {
    const date d = as_of_date(as_of_);
    const auto by = lg::parse_group_by(group_);
    if (!by) throw usage_error("--by " + rectify::quoted(group_) + ": area, unit, leader or owner");
    const lg::plan p = load_verified(path_);
    const auto report = lg::status(p, d, *by);
    std::string out;
    if (format_ == "json") {
      ojson doc;
      doc["as_of"] = report.as_of.str();
      doc["measures"] = ojson::array();
      for (const auto& m : report.measures) doc["measures"].push_back(measure_json(m));
      doc["groups"] = ojson::array();
      for (const auto& g : report.groups) {
        ojson j;
        j["key"] = g.key;
        j["total"] = g.total;
        j["states"] = states_json(g.states);
        j["completion_rate"] = nullable(g.completion_rate);
        j["closure_rate"] = nullable(g.closure_rate);
        j["on_time_rate"] = nullable(g.on_time_rate);
        j["overdue"] = g.overdue;
        doc["groups"].push_back(std::move(j));
      }
      out = doc.dump(2) + "\n";
    } else if (format_ == "csv") {
      out = measure_csv_head;
      for (const auto& m : report.measures) out += measure_csv(m);
    } else {
      out = title(p) + " 截至 " + d.str() + ": " + std::to_string(report.measures.size()) + " 项措施\n";
      out += measure_table(p, report.measures);
      out += "\n按" + std::string(group_zh(*by)) + "汇总\n";
      out += group_table(p, report.groups, *by);
    }
    return write_stdout(out);
  }

  if (overdue_->parsed()) {
    const date d = as_of_date(as_of_);
    const lg::plan p = load_verified(path_);
    const auto ms = lg::overdue(p, d);
    std::string out;
    if (format_ == "json") {
      ojson doc;
      doc["as_of"] = d.str();
      doc["measures"] = ojson::array();
      for (const auto& m : ms) doc["measures"].push_back(measure_json(m));
      out = doc.dump(2) + "\n";
    } else if (format_ == "csv") {
      out = measure_csv_head;
      for (const auto& m : ms) out += measure_csv(m);
    } else if (ms.empty()) {
      out = title(p) + " 截至 " + d.str() + ": 没有逾期的措施\n";
    } else {
      out = title(p) + " 截至 " + d.str() + ": " + std::to_string(ms.size()) + " 项措施逾期\n";
      out += measure_table(p, ms);
    }
    return write_stdout(out);
  }

  // timeline
  const date from = date_option("--from", from_), to = date_option("--to", to_);
  if (to < from) throw usage_error("--to " + to.str() + " is before --from " + from.str());
  std::optional<lg::group_by> by;
  if (!timeline_group_.empty()) by = lg::parse_group_by(timeline_group_);
  const lg::plan p = load_verified(path_);
  const auto rows = lg::timeline(p, from, to, by);
  std::string out;
  if (format_ == "json") {
    ojson doc;
    doc["from"] = from.str();
    doc["to"] = to.str();
    doc["by"] = by ? ojson(lg::name(*by)) : ojson(nullptr);
    doc["rows"] = ojson::array();
    for (const auto& r : rows) {
      ojson j;
      j["day"] = r.day.str();
      j["key"] = by ? ojson(r.key) : ojson(nullptr);
      j["total"] = r.total;
      j["states"] = states_json(r.states);
      j["overdue"] = r.overdue;
      j["completion_rate"] = nullable(r.completion_rate);
      doc["rows"].push_back(std::move(j));
    }
    out = doc.dump(2) + "\n";
  } else if (format_ == "csv") {
    out = by ? "day,key,total" : "day,total";
    for (const auto s : all_states) out += "," + std::string(lg::name(s));
    out += ",overdue,completion_rate\n";
    for (const auto& r : rows) {
      out += r.day.str() + (by ? "," + csv_field(r.key) : std::string()) + "," + std::to_string(r.total);
      for (const auto s : all_states) out += "," + std::to_string(r.states[static_cast<std::size_t>(s)]);
      out += "," + std::to_string(r.overdue) + "," + io::format_double(r.completion_rate) + "\n";
    }
  } else {
    std::vector<std::string> head = {"日期"};
    if (by) head.emplace_back(group_zh(*by));
    for (auto& h : state_headers()) head.push_back(std::move(h));
    for (const auto& h : {"逾期", "完成率"}) head.emplace_back(h);
    std::vector<bool> right(head.size(), true);
    right[0] = false;
    if (by) right[1] = false;
    std::vector<std::vector<std::string>> table_rows;
    for (const auto& r : rows) {
      std::vector<std::string> row = {r.day.str()};
      if (by) row.push_back(r.key.empty() ? "(未填)" : r.key);
      row.push_back(std::to_string(r.total));
      for (const auto s : all_states) row.push_back(std::to_string(r.states[static_cast<std::size_t>(s)]));
      row.push_back(std::to_string(r.overdue));
      row.push_back(percent(r.completion_rate));
      table_rows.push_back(std::move(row));
    }
    out = title(p) + " " + from.str() + " 至 " + to.str() + " 逐日统计\n" + aligned_table(head, table_rows, right);
  }
  return write_stdout(out);
}

}  // namespace rectify::cli
