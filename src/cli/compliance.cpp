// `rectify meetings`, `rectify survey` and `rectify risks`: the compliance checks of
// compliance.md §1–3 on the command line (docs/cli.md; docs/compliance.md, "Command line").
#include <cmath>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "rectify/compliance/meetings.hpp"
#include "rectify/compliance/risks.hpp"
#include "rectify/compliance/surveys.hpp"
#include "rectify/core/dates.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/meeting_rules_json.hpp"
#include "rectify/io/records.hpp"
#include "rectify/io/results.hpp"

namespace rectify::cli {
namespace {

using ojson = nlohmann::ordered_json;
namespace cp = rectify::compliance;

// A placeholder for a cell that does not apply (an empty rate, no group): an empty cell would
// make the plain-text table impossible to read column by column.
constexpr const char* kNone = "-";

ojson nullable(double v) {
  return std::isnan(v) ? ojson(nullptr) : ojson(v);
}

ojson nullable(const std::optional<date>& d) {
  return d ? ojson(d->str()) : ojson(nullptr);
}

std::string percent(double rate) {
  return std::isnan(rate) ? kNone : fixed(100 * rate, 1) + "%";
}

std::string decimals(double v, int places) {
  return std::isnan(v) ? kNone : fixed(v, places);
}

// Items joined by a separator (Chinese lists use 、, CSV cells ;).
std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string s;
  for (const auto& item : items) {
    if (!s.empty()) s += separator;
    s += item;
  }
  return s;
}

// The scorer-input CSV `unit,<inputs...>` with full-precision numbers (empty for NaN, which the
// unit-data reader reads back as missing), the same shape as `rectify ledger inputs`.
std::string inputs_csv(const table& t) {
  std::string out = "unit";
  for (const auto& c : t.columns) {
    out += ",";
    out += csv_field(c);
  }
  out += "\n";
  for (std::size_t i = 0; i < t.units.size(); ++i) {
    out += csv_field(t.units[i]);
    for (std::size_t j = 0; j < t.columns.size(); ++j) {
      out += ",";
      out += io::format_double(t.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
    }
    out += "\n";
  }
  return out;
}

io::text_table read_table(const std::string& path, const std::string& encoding) {
  io::csv_options options;
  options.encoding = encoding;
  return io::read_text_csv_file(path, options);
}

// ---------------------------------------------------------------------------------------------
// Meetings

std::optional<cp::month> month_option(const std::string& option, const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (const auto m = cp::month::parse(text)) return m;
  throw usage_error(cat(option, " ", rectify::quoted(text), " is not a month: write YYYY-MM, e.g. ", option,
                        " 2026-01 (the period is whole months)"));
}

std::string type_zh(const cp::meeting_rules& rules, std::size_t type) {
  const auto& t = rules.types.at(type);
  return t.name_zh.empty() ? t.id : t.name_zh;
}

// A findings section's title line.
void section(std::string& out, cp::finding_kind kind) {
  out += "\n";
  out += cp::label_zh(kind);
  out += "\n";
}

// 每季度至少 1 次 (每个党小组): what the slots of a type ask, so a missed slot reads as a rule.
std::string requirement_zh(const cp::meeting_rule& t) {
  std::string s(cp::label_zh(t.per));
  s += cat("至少 ", std::to_string(t.at_least), " 次");
  if (t.per_group) s += " (每个党小组)";
  return s;
}

// The slots a (branch, type, group) missed: listed, or, when it missed every one of three or
// more (a branch that held none all year), "全部 12 个月 (2026-01 至 2026-12)", which says the same
// in a line that fits.
std::string missed_slots_zh(const cp::meeting_rules& rules, const cp::branch_report& b, std::size_t type,
                            const std::vector<std::string>& slots) {
  const auto& rule = rules.types.at(type);
  std::int64_t per_slot_set = type < b.types.size() ? b.types[type].required : 0;
  if (rule.per_group && !b.groups.empty()) per_slot_set /= static_cast<std::int64_t>(b.groups.size());
  if (slots.size() < 3 || static_cast<std::int64_t>(slots.size()) != per_slot_set) return joined(slots, ", ");
  std::string_view unit = "个月";
  if (rule.per == cp::cadence::quarter) unit = "个季度";
  if (rule.per == cp::cadence::year) unit = "个年度";
  return cat("全部 ", std::to_string(slots.size()), " ", unit, " (", slots.front(), " 至 ", slots.back(), ")");
}

// Why a meeting is invalid, in the words of the regulations, from the record itself; the
// library's English reason when the record cannot be found (it always can for a read file).
std::string invalid_reason_zh(const cp::meeting_rules& rules, const cp::meeting_finding& f,
                              const cp::meeting_record* r) {
  if (r == nullptr) return f.detail;
  if (!r->expected || !r->attended) return "未记录应到、实到人数，无法核对是否达到法定人数";
  const std::string s =
      cat("实到 ", std::to_string(*r->attended), " 人 / 应到 ", std::to_string(*r->expected), " 人，");
  switch (rules.types.at(f.type).quorum) {
    case cp::quorum_rule::majority:
      return s + "未超过半数";
    case cp::quorum_rule::two_thirds:
      return s + "不足三分之二";
    case cp::quorum_rule::four_fifths:
      return s + "不足五分之四";
    case cp::quorum_rule::none:
      break;
  }
  return s + f.detail;
}

// `file:line` of a finding's record, or "" for a finding about a slot.
std::string finding_place(const cp::meeting_records& records, const cp::meeting_finding& f) {
  return f.row < records.table.rows() ? records.table.place(f.row, -1) : std::string();
}

std::string meetings_json(const cp::meeting_records& records, const cp::meetings_report& report) {
  ojson doc;
  doc["from"] = report.from.str();
  doc["to"] = report.to.str();
  // The rules as a complete rules file, the same text --print-rules writes.
  doc["rules"] = ojson::parse(rectify::io::dump_meeting_rules(report.rules));
  doc["records_outside"] = report.records_outside;
  doc["branches"] = ojson::array();
  for (const auto& b : report.branches) {
    ojson j;
    j["branch"] = b.branch;
    j["groups"] = b.groups;
    j["required"] = b.required;
    j["met"] = b.met;
    j["records"] = b.records;
    j["invalid"] = b.invalid;
    j["incomplete"] = b.incomplete;
    j["attended"] = b.attended;
    j["expected"] = b.expected;
    j["met_ratio"] = nullable(b.met_ratio);
    j["attendance_rate"] = nullable(b.attendance_rate);
    j["types"] = ojson::array();
    for (std::size_t k = 0; k < b.types.size(); ++k) {
      const auto& t = b.types[k];
      j["types"].push_back(ojson{{"type", report.rules.types.at(k).id},
                                 {"required", t.required},
                                 {"met", t.met},
                                 {"held", t.held},
                                 {"invalid", t.invalid}});
    }
    doc["branches"].push_back(std::move(j));
  }
  doc["findings"] = ojson::array();
  for (const auto& f : report.findings) {
    ojson j;
    j["kind"] = cp::name(f.kind);
    j["branch"] = f.branch;
    j["type"] = report.rules.types.at(f.type).id;
    j["group"] = f.group;
    j["slot"] = f.slot;
    j["on"] = nullable(f.on);
    const std::string where = finding_place(records, f);
    j["place"] = where.empty() ? ojson(nullptr) : ojson(where);
    j["detail"] = f.detail;
    j["missing"] = ojson::array();
    for (const auto m : f.missing) j["missing"].push_back(cp::name(m));
    doc["findings"].push_back(std::move(j));
  }
  return doc.dump(2) + "\n";
}

std::string meetings_csv(const cp::meeting_records& records, const cp::meetings_report& report) {
  std::string out = "kind,branch,type,group,slot,date,place,detail\n";
  for (const auto& f : report.findings) {
    out += std::string(cp::name(f.kind)) + "," + csv_field(f.branch) + "," +
           csv_field(report.rules.types.at(f.type).id) + "," + csv_field(f.group) + "," + csv_field(f.slot) + ",";
    if (f.on) out += f.on->str();
    out += cat(",", csv_field(finding_place(records, f)), ",", csv_field(f.detail), "\n");
  }
  return out;
}

std::string meetings_table(const cp::meeting_records& records, const cp::meetings_report& report) {
  const auto& rules = report.rules;
  std::string out = cat("三会一课检查 ", report.from.str(), " 至 ", report.to.str(), ": ",
                        std::to_string(report.branches.size()), " 个支部");
  std::int64_t in_period = 0;
  for (const auto& b : report.branches) in_period += b.records;
  out += cat(", ", std::to_string(in_period), " 条会议记录");
  if (report.records_outside > 0)
    out += cat(" (另有 ", std::to_string(report.records_outside), " 条在检查期外, 未计入)");
  out += "\n";
  if (!rules.source.empty()) out += cat("依据: ", rules.source, "\n");

  std::vector<std::vector<std::string>> rows;
  for (const auto& b : report.branches) {
    rows.push_back({b.branch, std::to_string(b.required), std::to_string(b.met), std::to_string(b.required - b.met),
                    percent(b.met_ratio), std::to_string(b.records), std::to_string(b.invalid),
                    std::to_string(b.incomplete), percent(b.attendance_rate)});
  }
  out += "\n";
  out += aligned_table({"支部", "应开", "已开", "缺", "完成率", "会议记录", "无效", "记录不全", "参会率"}, rows,
                       {false, true, true, true, true, true, true, true, true});

  // Missed slots, one line per (branch, type, group) with its slots in order.
  std::vector<std::tuple<std::string, std::size_t, std::string>> keys;
  std::map<std::tuple<std::string, std::size_t, std::string>, std::vector<std::string>> missed;
  std::vector<const cp::meeting_finding*> invalid, incomplete;
  // Slots the period cuts, by slot: the same for every branch, so said once.
  std::vector<std::string> cut_slots;
  std::map<std::string, std::vector<std::string>> cut_types;
  for (const auto& f : report.findings) {
    switch (f.kind) {
      case cp::finding_kind::missed: {
        auto key = std::make_tuple(f.branch, f.type, f.group);
        auto& slots = missed[key];
        if (slots.empty()) keys.push_back(key);
        slots.push_back(f.slot);
        break;
      }
      case cp::finding_kind::invalid:
        invalid.push_back(&f);
        break;
      case cp::finding_kind::incomplete:
        incomplete.push_back(&f);
        break;
      case cp::finding_kind::not_assessed: {
        auto& types = cut_types[f.slot];
        if (types.empty()) cut_slots.push_back(f.slot);
        types.push_back(type_zh(rules, f.type));
        break;
      }
    }
  }

  if (!keys.empty()) {
    std::map<std::string_view, const cp::branch_report*> branch_of;
    for (const auto& b : report.branches) branch_of.emplace(b.branch, &b);
    rows.clear();
    for (const auto& key : keys) {
      const auto& [branch, type, group] = key;
      const auto it = branch_of.find(branch);
      const auto& slots = missed[key];
      rows.push_back({branch, type_zh(rules, type), group.empty() ? kNone : group, requirement_zh(rules.types.at(type)),
                      it == branch_of.end() ? joined(slots, ", ") : missed_slots_zh(rules, *it->second, type, slots)});
    }
    section(out, cp::finding_kind::missed);
    out += aligned_table({"支部", "会议类型", "党小组", "要求", "缺的时段"}, rows, {false, false, false, false, false});
  }

  if (!invalid.empty()) {
    std::vector<const cp::meeting_record*> by_row(records.table.rows(), nullptr);
    for (const auto& r : records.records)
      if (r.row < by_row.size()) by_row[r.row] = &r;
    rows.clear();
    for (const auto* f : invalid) {
      const cp::meeting_record* r = f->row < by_row.size() ? by_row[f->row] : nullptr;
      rows.push_back({f->branch, type_zh(rules, f->type), f->on ? f->on->str() : kNone, invalid_reason_zh(rules, *f, r),
                      finding_place(records, *f)});
    }
    section(out, cp::finding_kind::invalid);
    out += aligned_table({"支部", "会议类型", "日期", "原因", "位置"}, rows, {false, false, false, false, false});
  }

  if (!incomplete.empty()) {
    rows.clear();
    for (const auto* f : incomplete) {
      std::vector<std::string> names;
      for (const auto m : f->missing) names.emplace_back(cp::label_zh(m));
      rows.push_back({f->branch, type_zh(rules, f->type), f->on ? f->on->str() : kNone,
                      names.empty() ? f->detail : joined(names, "、"), finding_place(records, *f)});
    }
    section(out, cp::finding_kind::incomplete);
    out += aligned_table({"支部", "会议类型", "日期", "缺项", "位置"}, rows, {false, false, false, false, false});
  }

  if (!cut_slots.empty()) {
    out += "\n";
    out += cp::label_zh(cp::finding_kind::not_assessed);
    out += " (检查期未覆盖整个时段):";
    for (std::size_t k = 0; k < cut_slots.size(); ++k) {
      out += k == 0 ? " " : "; ";
      out += cut_slots[k] + " " + joined(cut_types[cut_slots[k]], "、");
    }
    out += "\n";
  }
  if (keys.empty() && invalid.empty() && incomplete.empty() && !report.branches.empty())
    out += "\n没有缺会、无效会议或不全的记录\n";
  return out;
}

// ---------------------------------------------------------------------------------------------
// Surveys

std::string confidence_zh(const cp::survey_options& o) {
  return decimal_text(100 * o.confidence, 2) + "%置信区间";
}

std::string survey_json(const cp::survey_report& report) {
  ojson doc;
  const auto& o = report.options;
  doc["options"] = ojson{{"scale_min", o.scale_min},
                         {"scale_max", o.scale_max},
                         {"satisfied_at", o.satisfied_at},
                         {"confidence", o.confidence}};
  doc["questions"] = report.questions;
  doc["units"] = ojson::array();
  for (const auto& u : report.units) {
    ojson j;
    j["unit"] = u.unit;
    j["respondents"] = u.respondents;
    j["blank"] = u.blank;
    j["answers"] = u.answers;
    j["index"] = nullable(u.index);
    j["ci_low"] = nullable(u.ci_low);
    j["ci_high"] = nullable(u.ci_high);
    j["share_satisfied"] = nullable(u.share_satisfied);
    j["question_means"] = ojson::array();
    for (const double m : u.question_means) j["question_means"].push_back(nullable(m));
    j["question_answers"] = u.question_answers;
    doc["units"].push_back(std::move(j));
  }
  return doc.dump(2) + "\n";
}

// Full precision, empty for NaN.
std::string csv_number(double v) {
  return io::format_double(v);
}

std::string survey_csv(const cp::survey_report& report) {
  std::string out = "unit,respondents,blank,answers,index,ci_low,ci_high,share_satisfied";
  for (const auto& q : report.questions) {
    std::string name = "mean_";
    name += q;
    out += ",";
    out += csv_field(name);
  }
  out += "\n";
  for (const auto& u : report.units) {
    out += csv_field(u.unit) + "," + std::to_string(u.respondents) + "," + std::to_string(u.blank) + "," +
           std::to_string(u.answers) + "," + csv_number(u.index) + "," + csv_number(u.ci_low) + "," +
           csv_number(u.ci_high) + "," + csv_number(u.share_satisfied);
    for (const double m : u.question_means) {
      out += ",";
      out += csv_number(m);
    }
    out += "\n";
  }
  return out;
}

std::string survey_table(const cp::survey_report& report) {
  std::int64_t respondents = 0;
  for (const auto& u : report.units) respondents += u.respondents;
  std::string out =
      cat("服务满意度调查: ", std::to_string(report.units.size()), " 个单位, ", std::to_string(respondents),
          " 名受访者, ", std::to_string(report.questions.size()), " 个问题 (", std::to_string(report.options.scale_min),
          "–", std::to_string(report.options.scale_max), " 分, ", std::to_string(report.options.satisfied_at),
          " 分及以上为满意)\n");
  std::vector<std::string> head = {"单位",    "受访人数", "空白卷", "满意度指数", confidence_zh(report.options),
                                   "满意占比"};
  for (const auto& q : report.questions) head.push_back(q);
  std::vector<bool> right(head.size(), true);
  right[0] = false;
  std::vector<std::vector<std::string>> rows;
  for (const auto& u : report.units) {
    std::vector<std::string> row = {u.unit, std::to_string(u.respondents), std::to_string(u.blank),
                                    decimals(u.index, 1)};
    row.push_back(std::isnan(u.ci_low) || std::isnan(u.ci_high) ? kNone
                                                                : fixed(u.ci_low, 1) + "–" + fixed(u.ci_high, 1));
    row.push_back(percent(u.share_satisfied));
    for (const double m : u.question_means) row.push_back(decimals(m, 2));
    rows.push_back(std::move(row));
  }
  out += aligned_table(head, rows, right);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Risks

// A point needs attention when nothing controls it, or when it is high and was not reviewed in
// the 12 months up to the as-of date (the register's two duties, compliance.md §3).
bool no_control(const cp::risk_point& p) {
  return p.controls == 0;
}

bool high_not_reviewed(const cp::risk_point& p) {
  return p.level == cp::risk_level::high && !p.reviewed_in_window;
}

constexpr cp::risk_level all_levels[] = {cp::risk_level::high, cp::risk_level::medium, cp::risk_level::low};

std::string risks_json(const io::text_table& reg, const cp::risk_report& report) {
  ojson doc;
  doc["as_of"] = report.as_of.str();
  doc["window_start"] = report.window_start.str();
  doc["units"] = ojson::array();
  for (const auto& u : report.units) {
    ojson j;
    j["unit"] = u.unit;
    j["points"] = u.points;
    ojson levels = ojson::object();
    for (const auto l : all_levels) levels[std::string(cp::name(l))] = u.by_level[static_cast<std::size_t>(l)];
    j["by_level"] = std::move(levels);
    j["controlled"] = u.controlled;
    j["high_reviewed"] = u.high_reviewed;
    j["controlled_ratio"] = nullable(u.controlled_ratio);
    j["high_reviewed_ratio"] = nullable(u.high_reviewed_ratio);
    doc["units"].push_back(std::move(j));
  }
  doc["points"] = ojson::array();
  for (const auto& p : report.points) {
    ojson j;
    j["unit"] = p.unit;
    j["post"] = p.post;
    j["risk"] = p.risk;
    j["level"] = cp::name(p.level);
    j["controls"] = p.controls;
    j["reviewed"] = nullable(p.reviewed);
    j["reviewed_in_window"] = p.reviewed_in_window;
    j["place"] = reg.place(p.row, -1);
    doc["points"].push_back(std::move(j));
  }
  return doc.dump(2) + "\n";
}

std::string risks_csv(const io::text_table& reg, const cp::risk_report& report) {
  std::string out = "unit,post,risk,level,controls,reviewed,no_control,high_not_reviewed,place\n";
  for (const auto& p : report.points) {
    if (!no_control(p) && !high_not_reviewed(p)) continue;
    out += csv_field(p.unit) + "," + csv_field(p.post) + "," + csv_field(p.risk) + "," +
           std::string(cp::name(p.level)) + "," + std::to_string(p.controls) + ",";
    if (p.reviewed) out += p.reviewed->str();
    out += no_control(p) ? ",true" : ",false";
    out += high_not_reviewed(p) ? ",true," : ",false,";
    out += csv_field(reg.place(p.row, -1)) + "\n";
  }
  return out;
}

std::string risks_table(const io::text_table& reg, const cp::risk_report& report) {
  std::string out = cat("廉政风险防控 截至 ", report.as_of.str(), ": ", std::to_string(report.units.size()),
                        " 个单位, ", std::to_string(report.points.size()), " 个风险点 (复核期 ",
                        report.window_start.str(), " 至 ", report.as_of.str(), ")\n");
  std::vector<std::vector<std::string>> rows;
  for (const auto& u : report.units) {
    std::vector<std::string> row = {u.unit, std::to_string(u.points)};
    for (const auto l : all_levels) row.push_back(std::to_string(u.by_level[static_cast<std::size_t>(l)]));
    row.push_back(std::to_string(u.controlled));
    row.push_back(percent(u.controlled_ratio));
    row.push_back(std::to_string(u.high_reviewed));
    row.push_back(percent(u.high_reviewed_ratio));
    rows.push_back(std::move(row));
  }
  std::vector<std::string> head = {"单位", "风险点"};
  for (const auto l : all_levels) head.push_back(std::string(cp::label_zh(l)) + "风险");
  for (const auto* h : {"有防控措施", "防控率", "高风险已复核", "复核率"}) head.emplace_back(h);
  std::vector<bool> right(head.size(), true);
  right[0] = false;
  out += aligned_table(head, rows, right);

  rows.clear();
  for (const auto& p : report.points) {
    std::vector<std::string> issues;
    if (no_control(p)) issues.emplace_back("无防控措施");
    if (high_not_reviewed(p)) issues.emplace_back(p.reviewed ? "高风险点 12 个月内未复核" : "高风险点从未复核");
    if (issues.empty()) continue;
    rows.push_back({p.unit, p.post, p.risk, std::string(cp::label_zh(p.level)), std::to_string(p.controls),
                    p.reviewed ? p.reviewed->str() : kNone, joined(issues, "；"), reg.place(p.row, -1)});
  }
  if (rows.empty()) {
    out += "\n没有需要关注的风险点\n";
  } else {
    out += cat("\n需要关注的风险点 (", std::to_string(rows.size()), ")\n");
    out += aligned_table({"单位", "岗位", "风险", "等级", "防控措施", "最近复核", "问题", "位置"}, rows,
                         {false, false, false, false, true, false, false, false});
  }
  return out;
}

// Format, inputs and encoding, the same on the three commands.
void output_options(CLI::App* s, std::string& format, bool& inputs, std::string& encoding, const std::string& what) {
  auto* f =
      s->add_option("--format", format,
                    cat("table (Chinese headers, rounded), json (the full report) or csv (", what, ", full precision)"))
          ->check(CLI::IsMember({"table", "json", "csv"}));
  s->add_flag("--inputs", inputs, "print the scorer's inputs as CSV (unit,...) for `rectify score`")->excludes(f);
  s->add_option("--encoding", encoding, "encoding of the CSV files")->check(CLI::IsMember({"utf-8", "gbk", "gb18030"}));
}

}  // namespace

void compliance_commands::add_to(CLI::App& app) {
  meetings_ = app.add_subcommand("meetings", "三会一课: meetings required, held, valid and fully recorded per branch");
  auto* records = meetings_->add_option(
      "RECORDS", path_, "meeting records CSV (branch,type,date,group,expected,attended,topic,host,recorder,...)");
  auto* from = meetings_->add_option("--from", from_, "first month of the period, YYYY-MM (required)");
  auto* to = meetings_->add_option("--to", to_, "last month of the period, YYYY-MM (required)");
  meetings_->add_option("--rules", rules_, "rules JSON (rectify.meeting-rules/1) changing the default requirements");
  auto* branches = meetings_->add_option("--branches", branches_,
                                         "branch list CSV (branch,group): exactly these branches and groups");
  output_options(meetings_, format_, inputs_, encoding_, "the findings");
  // Printing the rules reads no records: any option about records would be silently ignored.
  meetings_->add_flag("--print-rules", print_rules_, "print the effective rules as JSON and exit")
      ->excludes(records)
      ->excludes(from)
      ->excludes(to)
      ->excludes(branches)
      ->excludes(meetings_->get_option("--format"))
      ->excludes(meetings_->get_option("--inputs"))
      ->excludes(meetings_->get_option("--encoding"));

  survey_ = app.add_subcommand("survey", "service-satisfaction survey: index, 95% interval, share satisfied per unit");
  survey_->add_option("RESPONSES", path_, "responses CSV (unit,respondent,q1,...,qk; answers 1-5)")->required();
  output_options(survey_, format_, inputs_, encoding_, "one row per unit");

  risks_ = app.add_subcommand("risks", "clean-governance risk register: levels, controls, high points reviewed");
  risks_->add_option("REGISTER", path_, "risk register CSV (unit,post,risk,level,control,owner,reviewed)")->required();
  risks_->add_option("--as-of", as_of_, "the date the register is read as of, YYYY-MM-DD")->required();
  output_options(risks_, format_, inputs_, encoding_, "the points that need attention");
}

int compliance_commands::run() const {
  if (meetings_->parsed()) return run_meetings();
  if (survey_->parsed()) return run_survey();
  return run_risks();
}

int compliance_commands::run_meetings() const {
  const cp::meeting_rules rules = rules_.empty() ? cp::default_meeting_rules() : io::load_meeting_rules(rules_);
  if (print_rules_) return write_stdout(io::dump_meeting_rules(rules));

  if (path_.empty()) throw usage_error("meetings needs RECORDS, the meeting records CSV (or --print-rules)");
  const auto from = month_option("--from", from_), to = month_option("--to", to_);
  if (!from || !to) throw usage_error("meetings needs the period: --from YYYY-MM --to YYYY-MM (whole months)");
  if (*to < *from) throw usage_error(cat("--to ", to->str(), " is before --from ", from->str()));

  cp::meeting_options options;
  options.from = *from;
  options.to = *to;
  if (!branches_.empty()) options.branches = cp::read_branches(read_table(branches_, encoding_));
  const cp::meeting_records records = cp::read_meeting_records(read_table(path_, encoding_), rules);
  const cp::meetings_report report = cp::check_meetings(records, rules, options);

  if (inputs_) return write_stdout(inputs_csv(cp::inputs(report)));
  if (format_ == "json") return write_stdout(meetings_json(records, report));
  if (format_ == "csv") return write_stdout(meetings_csv(records, report));
  return write_stdout(meetings_table(records, report));
}

int compliance_commands::run_survey() const {
  const cp::survey_report report = cp::check_surveys(read_table(path_, encoding_));
  if (inputs_) return write_stdout(inputs_csv(cp::inputs(report)));
  if (format_ == "json") return write_stdout(survey_json(report));
  if (format_ == "csv") return write_stdout(survey_csv(report));
  return write_stdout(survey_table(report));
}

int compliance_commands::run_risks() const {
  const auto as_of = date::parse(as_of_);
  if (!as_of)
    throw usage_error(cat("--as-of ", rectify::quoted(as_of_),
                          " is not a date: write YYYY-MM-DD, a day that exists (--as-of 2026-11-30)"));
  const io::text_table reg = read_table(path_, encoding_);
  const cp::risk_report report = cp::check_risks(reg, *as_of);
  if (inputs_) return write_stdout(inputs_csv(cp::inputs(report)));
  if (format_ == "json") return write_stdout(risks_json(reg, report));
  if (format_ == "csv") return write_stdout(risks_csv(reg, report));
  return write_stdout(risks_table(reg, report));
}

}  // namespace rectify::cli
