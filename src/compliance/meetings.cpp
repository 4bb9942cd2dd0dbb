#include "rectify/compliance/meetings.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <unordered_map>
#include <utility>

#include "fields.hpp"
#include "rectify/core/error.hpp"

namespace rectify::compliance {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(std::int64_t num, std::int64_t den) noexcept {
  return den == 0 ? kNaN : static_cast<double>(num) / static_cast<double>(den);
}

bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string column_name(std::string_view name) {
  std::string out = "column ";
  out += quoted(name);
  return out;
}

// The label of the slot of cadence `c` that month index `m` falls in: 2026-03, 2026-Q1, 2026.
std::string slot_label(cadence c, int m) {
  const month mo = month::from_index(m);
  switch (c) {
    case cadence::month:
      return mo.str();
    case cadence::quarter: {
      std::string out = std::to_string(mo.year);
      out += "-Q";
      out += std::to_string((mo.number - 1) / 3 + 1);
      return out;
    }
    case cadence::year:
      return std::to_string(mo.year);
  }
  return {};
}

// Months per slot of a cadence.
int span_of(cadence c) noexcept {
  return c == cadence::month ? 1 : c == cadence::quarter ? 3 : 12;
}

std::string_view quorum_text(quorum_rule q) noexcept {
  switch (q) {
    case quorum_rule::none:
      return "none";
    case quorum_rule::majority:
      return "more than half";
    case quorum_rule::two_thirds:
      return "at least two thirds";
    case quorum_rule::four_fifths:
      return "at least four fifths";
  }
  return "";
}

std::string type_title(const meeting_rule& t) {
  std::string out = t.name_zh;
  out += " (";
  out += t.id;
  out += ')';
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// month

std::optional<month> month::parse(std::string_view text) noexcept {
  if (text.size() < 6 || text.size() > 7 || text[4] != '-') return std::nullopt;
  int y = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    y = y * 10 + (text[i] - '0');
  }
  int m = 0;
  for (std::size_t i = 5; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    m = m * 10 + (text[i] - '0');
  }
  if (y < 1 || m < 1 || m > 12) return std::nullopt;
  return month{y, m};
}

std::string month::str() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, number);
  return buf;
}

date month::last_day() const noexcept {
  return from_index(index() + 1).first_day() + (-1);
}

// ---------------------------------------------------------------------------------------------
// names

std::string_view name(cadence c) noexcept {
  switch (c) {
    case cadence::month:
      return "month";
    case cadence::quarter:
      return "quarter";
    case cadence::year:
      return "year";
  }
  return "";
}

std::string_view label_zh(cadence c) noexcept {
  switch (c) {
    case cadence::month:
      return "每月";
    case cadence::quarter:
      return "每季度";
    case cadence::year:
      return "每年";
  }
  return "";
}

std::optional<cadence> parse_cadence(std::string_view s) noexcept {
  for (const cadence c : {cadence::month, cadence::quarter, cadence::year})
    if (s == name(c)) return c;
  return std::nullopt;
}

std::string_view name(quorum_rule q) noexcept {
  switch (q) {
    case quorum_rule::none:
      return "none";
    case quorum_rule::majority:
      return "majority";
    case quorum_rule::two_thirds:
      return "two_thirds";
    case quorum_rule::four_fifths:
      return "four_fifths";
  }
  return "";
}

std::optional<quorum_rule> parse_quorum_rule(std::string_view s) noexcept {
  for (const quorum_rule q :
       {quorum_rule::none, quorum_rule::majority, quorum_rule::two_thirds, quorum_rule::four_fifths})
    if (s == name(q)) return q;
  return std::nullopt;
}

bool meets(quorum_rule q, std::int64_t attended, std::int64_t expected) noexcept {
  switch (q) {
    case quorum_rule::none:
      return true;
    case quorum_rule::majority:
      return attended * 2 > expected;
    case quorum_rule::two_thirds:
      return attended * 3 >= expected * 2;
    case quorum_rule::four_fifths:
      return attended * 5 >= expected * 4;
  }
  return false;
}

std::string_view name(record_field f) noexcept {
  switch (f) {
    case record_field::topic:
      return "topic";
    case record_field::host:
      return "host";
    case record_field::recorder:
      return "recorder";
    case record_field::expected:
      return "expected";
    case record_field::attended:
      return "attended";
    case record_field::minutes:
      return "minutes";
    case record_field::photos:
      return "photos";
    case record_field::signed_:
      return "signed";
  }
  return "";
}

std::string_view label_zh(record_field f) noexcept {
  switch (f) {
    case record_field::topic:
      return "议题";
    case record_field::host:
      return "主持人";
    case record_field::recorder:
      return "记录人";
    case record_field::expected:
      return "应到人数";
    case record_field::attended:
      return "实到人数";
    case record_field::minutes:
      return "会议记录";
    case record_field::photos:
      return "现场照片";
    case record_field::signed_:
      return "签到签字";
  }
  return "";
}

std::optional<record_field> parse_record_field(std::string_view s) noexcept {
  for (std::size_t i = 0; i < record_field_count; ++i) {
    const auto f = static_cast<record_field>(i);
    if (s == name(f)) return f;
  }
  return std::nullopt;
}

std::string_view name(finding_kind k) noexcept {
  switch (k) {
    case finding_kind::missed:
      return "missed";
    case finding_kind::invalid:
      return "invalid";
    case finding_kind::incomplete:
      return "incomplete";
    case finding_kind::not_assessed:
      return "not_assessed";
  }
  return "";
}

std::string_view label_zh(finding_kind k) noexcept {
  switch (k) {
    case finding_kind::missed:
      return "缺会";
    case finding_kind::invalid:
      return "无效";
    case finding_kind::incomplete:
      return "记录不全";
    case finding_kind::not_assessed:
      return "不考核";
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// rules

// Spaces people leave around a name: ASCII blanks and the ideographic space U+3000, which
// Chinese input methods type in full-width mode.
std::string_view meeting_rules::trim(std::string_view s) noexcept {
  constexpr std::string_view ideographic = "\xE3\x80\x80";
  for (;;) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
      s.remove_prefix(1);
    else if (s.starts_with(ideographic))
      s.remove_prefix(ideographic.size());
    else
      break;
  }
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
      s.remove_suffix(1);
    else if (s.ends_with(ideographic))
      s.remove_suffix(ideographic.size());
    else
      break;
  }
  return s;
}

std::ptrdiff_t meeting_rules::find(std::string_view name) const noexcept {
  name = trim(name);
  if (name.empty()) return -1;
  for (std::size_t i = 0; i < types.size(); ++i) {
    const meeting_rule& t = types[i];
    if (t.name_zh == name || ascii_iequals(t.id, name)) return static_cast<std::ptrdiff_t>(i);
    for (const std::string& a : t.aliases)
      if (a == name) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}

meeting_rules default_meeting_rules() {
  const std::vector<record_field> all = {record_field::topic,    record_field::host,     record_field::recorder,
                                         record_field::expected, record_field::attended, record_field::minutes,
                                         record_field::photos,   record_field::signed_};
  meeting_rules r;
  r.source =
      "《中国共产党支部工作条例（试行）》（2018）第十一条至第十七条；党课每季度一次为通行的地方规定 "
      "(CPC Branch Work Regulations (Trial), 2018, Arts. 11-17; one Party lecture per quarter is the common "
      "local rule)";
  auto add = [&](std::string id, std::string zh, std::vector<std::string> aliases, cadence per, bool per_group,
                 quorum_rule quorum) {
    meeting_rule t;
    t.id = std::move(id);
    t.name_zh = std::move(zh);
    t.aliases = std::move(aliases);
    t.at_least = 1;
    t.per = per;
    t.per_group = per_group;
    t.quorum = quorum;
    t.complete = all;
    r.types.push_back(std::move(t));
  };
  add("general_meeting", "党员大会", {"支部党员大会", "党员大会会议"}, cadence::quarter, false, quorum_rule::majority);
  add("committee", "支委会", {"支部委员会", "支部委员会会议", "支委会会议", "支委会议"}, cadence::month, false,
      quorum_rule::majority);
  add("group", "党小组会", {"党小组会议", "党小组"}, cadence::month, true, quorum_rule::none);
  add("lecture", "党课", {"上党课", "专题党课"}, cadence::quarter, false, quorum_rule::none);
  add("theme_day", "主题党日", {"主题党日活动", "固定主题党日"}, cadence::month, false, quorum_rule::none);
  add("life_meeting", "组织生活会", {"专题组织生活会", "支部组织生活会"}, cadence::year, false, quorum_rule::none);
  add("member_review", "民主评议党员", {"民主评议", "民主评议党员大会"}, cadence::year, false, quorum_rule::none);
  return r;
}

// ---------------------------------------------------------------------------------------------
// reading

meeting_records read_meeting_records(io::text_table table, const meeting_rules& rules) {
  enum col : std::size_t {
    branch,
    type,
    day,
    group,
    expected,
    attended,
    topic,
    host,
    recorder,
    minutes,
    photos,
    signd
  };
  const std::vector<std::string_view> names = {"branch", "type", "date",     "group",   "expected", "attended",
                                               "topic",  "host", "recorder", "minutes", "photos",   "signed"};
  std::vector<bool> required = {true, true, true, false, true, true, false, false, false, false, false, false};
  bool any_per_group = false;
  for (const meeting_rule& t : rules.types) {
    any_per_group = any_per_group || t.per_group;
    for (const record_field f : t.complete) {
      switch (f) {
        case record_field::topic:
          required[topic] = true;
          break;
        case record_field::host:
          required[host] = true;
          break;
        case record_field::recorder:
          required[recorder] = true;
          break;
        case record_field::minutes:
          required[minutes] = true;
          break;
        case record_field::photos:
          required[photos] = true;
          break;
        case record_field::signed_:
          required[signd] = true;
          break;
        case record_field::expected:
        case record_field::attended:
          break;
      }
    }
  }

  meeting_records out;
  {
    detail::problems bad(table);
    const std::vector<std::ptrdiff_t> at = detail::find_columns(table, names, required, bad);
    // Without the columns that say what a record is, its cells cannot be read meaningfully.
    if (at[branch] < 0 || at[type] < 0 || at[day] < 0) bad.raise_if_any();

    auto cell = [&](std::size_t row, col c) -> std::string_view {
      return at[c] < 0 ? std::string_view{} : table.field(row, static_cast<std::size_t>(at[c]));
    };
    auto count = [&](std::size_t row, col c, std::optional<std::int64_t>& v) {
      const std::string_view s = cell(row, c);
      if (s.empty()) return;
      v = detail::parse_whole(s);
      if (!v)
        bad.add("rectify.compliance.bad_count", row, at[c],
                column_name(names[c]) + ": " + detail::shown(s) + " is not a whole number of 0 or more");
    };
    auto flag = [&](std::size_t row, col c, std::optional<bool>& v) {
      const std::string_view s = cell(row, c);
      if (s.empty()) return;
      v = detail::parse_flag(s);
      if (!v)
        bad.add("rectify.compliance.bad_flag", row, at[c],
                column_name(names[c]) + ": " + detail::shown(s) +
                    " is not yes or no (write yes/no, 是/否, 有/无, true/false, y/n or 1/0)");
    };
    bool group_column_reported = false;

    out.records.reserve(table.rows());
    for (std::size_t row = 0; row < table.rows(); ++row) {
      meeting_record r;
      r.row = row;
      bool ok = true;

      const std::string_view b = cell(row, branch);
      if (b.empty()) {
        bad.add("rectify.compliance.missing_value", row, at[branch], "column \"branch\" is empty: name the branch");
        ok = false;
      }
      r.branch = b;

      const std::string_view ty = cell(row, type);
      const std::ptrdiff_t k = ty.empty() ? -1 : rules.find(ty);
      if (ty.empty()) {
        bad.add("rectify.compliance.missing_value", row, at[type], "column \"type\" is empty: name the meeting type");
        ok = false;
      } else if (k < 0) {
        std::string msg = "unknown meeting type " + detail::shown(ty) + "; the types are ";
        for (std::size_t i = 0; i < rules.types.size(); ++i) {
          if (i != 0) msg += ", ";
          msg += type_title(rules.types[i]);
        }
        bad.add("rectify.compliance.unknown_type", row, at[type], std::move(msg));
        ok = false;
      } else {
        r.type = static_cast<std::size_t>(k);
      }

      const std::string_view d = cell(row, day);
      if (d.empty()) {
        bad.add("rectify.compliance.missing_value", row, at[day], "column \"date\" is empty: give the meeting's date");
        ok = false;
      } else if (const auto on = detail::parse_day(d)) {
        r.on = *on;
      } else {
        bad.add("rectify.compliance.bad_date", row, at[day],
                detail::shown(d) + " is not a date (write 2026-03-05, 2026/3/5 or 2026年3月5日)");
        ok = false;
      }

      r.group = cell(row, group);
      if (k >= 0 && rules.types[static_cast<std::size_t>(k)].per_group && r.group.empty()) {
        const std::string title = type_title(rules.types[static_cast<std::size_t>(k)]);
        if (at[group] >= 0) {
          bad.add("rectify.compliance.missing_value", row, at[group],
                  "column \"group\" is empty: " + title + " is held per party group, so name the group");
        } else if (!group_column_reported) {
          // Said once: every such record lacks it for the same reason.
          group_column_reported = true;
          bad.add("rectify.compliance.missing_column", row, at[type],
                  "the header has no column \"group\", which " + title + " records need (held per party group)");
        }
      }

      count(row, expected, r.expected);
      count(row, attended, r.attended);
      count(row, photos, r.photos);
      if (r.expected && *r.expected == 0) {
        bad.add("rectify.compliance.bad_count", row, at[expected],
                "column \"expected\": 0 members expected; a meeting expects at least 1 (leave it empty if not "
                "recorded)");
        r.expected.reset();
      }
      if (r.expected && r.attended && *r.attended > *r.expected)
        bad.add("rectify.compliance.attended_above_expected", row, at[attended],
                "attended " + std::to_string(*r.attended) + " is above expected " + std::to_string(*r.expected));
      flag(row, minutes, r.minutes);
      flag(row, signd, r.signed_);
      if (!ok || !bad.empty()) {
        // Once anything is wrong the records are not returned: keep checking cells, skip storing.
        continue;
      }

      std::uint8_t present = 0;
      auto set = [&](record_field f, bool on) {
        if (on) present = static_cast<std::uint8_t>(present | (1U << static_cast<unsigned>(f)));
      };
      set(record_field::topic, !cell(row, topic).empty());
      set(record_field::host, !cell(row, host).empty());
      set(record_field::recorder, !cell(row, recorder).empty());
      set(record_field::expected, r.expected.has_value());
      set(record_field::attended, r.attended.has_value());
      set(record_field::minutes, r.minutes.value_or(false));
      set(record_field::photos, r.photos.value_or(0) >= 1);
      set(record_field::signed_, r.signed_.value_or(false));
      r.present = present;
      out.records.push_back(std::move(r));
    }
    bad.raise_if_any();
    out.branch_column = at[branch];
    out.group_column = at[group];
    out.type_column = at[type];
    out.date_column = at[day];
  }
  out.table = std::move(table);
  return out;
}

std::vector<branch_entry> read_branches(const io::text_table& table) {
  detail::problems bad(table);
  const std::vector<std::ptrdiff_t> at = detail::find_columns(table, {"branch", "group"}, {true, false}, bad);
  bad.raise_if_any();
  const auto bc = static_cast<std::size_t>(at[0]);
  std::vector<branch_entry> out;
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const std::string_view b = table.field(row, bc);
    if (b.empty()) {
      bad.add("rectify.compliance.missing_value", row, at[0], "column \"branch\" is empty: name the branch");
      continue;
    }
    auto [it, fresh] = index.try_emplace(b, out.size());
    if (fresh) out.push_back(branch_entry{std::string(b), {}});
    if (at[1] < 0) continue;
    const std::string_view g = table.field(row, static_cast<std::size_t>(at[1]));
    if (g.empty()) continue;
    std::vector<std::string>& groups = out[it->second].groups;
    if (std::find(groups.begin(), groups.end(), g) != groups.end()) {
      bad.add("rectify.compliance.duplicate_group", row, at[1],
              "party group " + detail::shown(g) + " is listed twice for branch " + detail::shown(b));
      continue;
    }
    groups.emplace_back(g);
  }
  bad.raise_if_any();
  return out;
}

// ---------------------------------------------------------------------------------------------
// checking

namespace {

// The slots of one cadence over the period: the months, or the calendar quarters or years the
// period covers whole. `first` is the first slot's number (month index / 3 for quarters, / 12
// for years), `count` how many.
struct cadence_slots {
  int first = 0;
  int count = 0;
};

cadence_slots slots_of(cadence c, int from, int to) noexcept {
  const int span = span_of(c);
  const int first = (from + span - 1) / span;  // the first slot that starts inside the period
  const int end = (to + 1) / span;             // one past the last slot that ends inside it
  return {first, std::max(0, end - first)};
}

// Where a type's counts live in a branch's slot array.
struct type_layout {
  std::size_t base = 0;
  std::size_t periods = 0;
  std::size_t groups = 1;
};

}  // namespace

meetings_report check_meetings(const meeting_records& records, const meeting_rules& rules,
                               const meeting_options& options) {
  const int from = options.from.index(), to = options.to.index();
  if (to < from)
    raise("rectify.compliance.bad_period", "",
          "the period ends (" + options.to.str() + ") before it starts (" + options.from.str() + ")");
  if (to - from + 1 > 1200)
    raise("rectify.compliance.bad_period", "",
          "the period " + options.from.str() + " to " + options.to.str() + " is longer than 100 years");

  meetings_report rep;
  rep.from = options.from;
  rep.to = options.to;
  rep.rules = rules;
  const std::size_t ntypes = rules.types.size();

  // Quarters and years the period cuts: stated once, for every branch.
  for (std::size_t t = 0; t < ntypes; ++t) {
    const meeting_rule& rule = rules.types[t];
    if (rule.at_least <= 0 || rule.per == cadence::month) continue;
    const int span = span_of(rule.per);
    const std::string_view unit = rule.per == cadence::quarter ? "quarter" : "year";
    for (int s = from / span; s <= to / span; ++s) {
      const int begins = s * span, ends = begins + span - 1;
      const bool cut_start = from > begins, cut_end = to < ends;
      if (!cut_start && !cut_end) continue;
      meeting_finding f;
      f.kind = finding_kind::not_assessed;
      f.type = t;
      f.slot = slot_label(rule.per, begins);
      if (cut_start && cut_end)
        f.detail = "the period " + options.from.str() + " to " + options.to.str() + " covers only part of the ";
      else if (cut_start)
        f.detail = "the period starts in " + options.from.str() + ", after the ";
      else
        f.detail = "the period ends in " + options.to.str() + ", before the ";
      f.detail += unit;
      if (!cut_start || !cut_end) f.detail += cut_start ? " begins" : " ends";
      rep.findings.push_back(std::move(f));
    }
  }

  // Which branch each record in the period belongs to, through one hash map from branch name to
  // index; consecutive records of the same branch (the usual file order) skip the lookup.
  constexpr std::uint32_t outside = std::numeric_limits<std::uint32_t>::max();
  const std::size_t nrec = records.records.size();
  std::vector<std::uint32_t> owner(nrec, outside);
  std::vector<std::int32_t> month_at(nrec, 0);  // month index of each record's date
  std::vector<std::string_view> names;          // branch names by index (before sorting, when derived)
  std::unordered_map<std::string_view, std::uint32_t> index;
  const bool listed = options.branches.has_value();
  detail::problems bad(records.table);
  std::vector<std::vector<std::string>> groups;  // per branch index
  if (listed) {
    // A list built in code may name a branch twice: its rows are one branch, groups merged.
    for (const branch_entry& e : *options.branches) {
      const auto [it, fresh] = index.try_emplace(e.branch, static_cast<std::uint32_t>(names.size()));
      if (fresh) {
        names.push_back(e.branch);
        groups.emplace_back();
      }
      std::vector<std::string>& g = groups[it->second];
      for (const std::string& gname : e.groups)
        if (std::find(g.begin(), g.end(), gname) == g.end()) g.push_back(gname);
    }
  }
  {
    std::string_view last_name;
    std::uint32_t last = outside;
    for (std::size_t i = 0; i < nrec; ++i) {
      const meeting_record& r = records.records[i];
      if (r.type >= ntypes) {
        // Records read with another rules table: their type numbers mean nothing here.
        bad.add("rectify.compliance.unknown_type", r.row, records.type_column,
                "type number " + std::to_string(r.type) + " is not in these rules (" + std::to_string(ntypes) +
                    " types): check the records with the rules they were read with");
        continue;
      }
      const int m = month::of(r.on).index();
      month_at[i] = m;
      if (m < from || m > to) {
        ++rep.records_outside;
        continue;
      }
      if (last != outside && r.branch == last_name) {
        owner[i] = last;
        continue;
      }
      std::uint32_t b = outside;
      if (const auto it = index.find(r.branch); it != index.end()) {
        b = it->second;
      } else if (!listed) {
        b = static_cast<std::uint32_t>(names.size());
        names.push_back(r.branch);
        index.emplace(r.branch, b);
      } else {
        bad.add("rectify.compliance.unknown_branch", r.row, records.branch_column,
                "branch " + detail::shown(r.branch) + " is not in the branch list");
        continue;
      }
      owner[i] = last = b;
      last_name = r.branch;
    }
  }

  // Report order: the list's, or byte order of the names.
  const std::size_t nb = names.size();
  std::vector<std::uint32_t> order(nb);  // report position -> index
  for (std::uint32_t b = 0; b < nb; ++b) order[b] = b;
  if (!listed)
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return names[a] < names[b]; });

  // The records of each branch, in record order (a counting sort).
  std::vector<std::size_t> start(nb + 1, 0);
  for (std::size_t i = 0; i < nrec; ++i)
    if (owner[i] != outside) ++start[owner[i] + 1];
  for (std::size_t b = 0; b < nb; ++b) start[b + 1] += start[b];
  std::vector<std::uint32_t> by_branch(start[nb]);
  {
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < nrec; ++i)
      if (owner[i] != outside) by_branch[fill[owner[i]]++] = static_cast<std::uint32_t>(i);
  }

  // Per-group records' groups, per branch: from the list (checked), or derived and sorted.
  groups.resize(nb);
  std::vector<std::uint32_t> group_of(nrec, 0);
  for (std::size_t b = 0; b < nb; ++b) {
    std::vector<std::string>& g = groups[b];
    if (!listed) {
      for (std::size_t k = start[b]; k < start[b + 1]; ++k) {
        const meeting_record& r = records.records[by_branch[k]];
        if (rules.types[r.type].per_group) g.push_back(r.group);
      }
      std::sort(g.begin(), g.end());
      g.erase(std::unique(g.begin(), g.end()), g.end());
    }
    for (std::size_t k = start[b]; k < start[b + 1]; ++k) {
      const meeting_record& r = records.records[by_branch[k]];
      if (!rules.types[r.type].per_group) continue;
      const auto it = listed ? std::find(g.begin(), g.end(), r.group) : std::lower_bound(g.begin(), g.end(), r.group);
      if (it == g.end() || *it != r.group) {
        std::string msg = "party group " + detail::shown(r.group) + " is not a group of branch " +
                          detail::shown(r.branch) + " in the branch list";
        if (g.empty()) {
          msg += " (it has no groups)";
        } else {
          msg += " (its groups: ";
          for (std::size_t j = 0; j < g.size() && j < 10; ++j) {
            if (j != 0) msg += ", ";
            msg += detail::shown(g[j]);
          }
          msg += g.size() > 10 ? ", ...)" : ")";
        }
        bad.add("rectify.compliance.unknown_group", r.row, records.group_column, std::move(msg));
        continue;
      }
      group_of[by_branch[k]] = static_cast<std::uint32_t>(it - g.begin());
    }
  }
  bad.raise_if_any();

  // Slot numbering per cadence.
  std::array<cadence_slots, 3> slots{};
  for (const cadence c : {cadence::month, cadence::quarter, cadence::year})
    slots[static_cast<std::size_t>(c)] = slots_of(c, from, to);

  std::vector<type_layout> layout(ntypes);
  std::vector<std::int32_t> valid_in, invalid_in;  // per slot of the branch being checked
  rep.branches.reserve(nb);
  for (const std::uint32_t b : order) {
    branch_report br;
    br.branch = names[b];
    br.groups = std::move(groups[b]);
    br.types.assign(ntypes, type_summary{});
    std::size_t total = 0;
    for (std::size_t t = 0; t < ntypes; ++t) {
      const meeting_rule& rule = rules.types[t];
      type_layout& l = layout[t];
      l.base = total;
      l.periods = rule.at_least > 0 ? static_cast<std::size_t>(slots[static_cast<std::size_t>(rule.per)].count) : 0;
      l.groups = rule.per_group ? br.groups.size() : 1;
      total += l.periods * l.groups;
    }
    valid_in.assign(total, 0);
    invalid_in.assign(total, 0);

    std::vector<meeting_finding> record_findings;
    for (std::size_t k = start[b]; k < start[b + 1]; ++k) {
      const std::uint32_t i = by_branch[k];
      const meeting_record& r = records.records[i];
      const meeting_rule& rule = rules.types[r.type];
      type_summary& ts = br.types[r.type];
      const int m = month_at[i];
      ++br.records;
      ++ts.held;

      std::string reason;
      bool valid = true;
      if (rule.quorum != quorum_rule::none) {
        if (!r.expected || !r.attended) {
          valid = false;
          reason = "attendance not recorded: the quorum cannot be checked";
        } else if (!meets(rule.quorum, *r.attended, *r.expected)) {
          valid = false;
          reason =
              "attended " + std::to_string(*r.attended) + " of " + std::to_string(*r.expected) + ": the quorum is ";
          reason += quorum_text(rule.quorum);
        }
      }

      const type_layout& l = layout[r.type];
      if (l.periods > 0) {
        const cadence_slots& cs = slots[static_cast<std::size_t>(rule.per)];
        const int p = m / span_of(rule.per) - cs.first;
        if (p >= 0 && p < cs.count) {
          const std::size_t s = l.base + (rule.per_group ? group_of[i] : 0U) * l.periods + static_cast<std::size_t>(p);
          ++(valid ? valid_in : invalid_in)[s];
        }
      }

      if (valid) {
        if (r.expected && r.attended) {
          br.expected += *r.expected;
          br.attended += *r.attended;
        }
      } else {
        ++br.invalid;
        ++ts.invalid;
        meeting_finding f;
        f.kind = finding_kind::invalid;
        f.branch = br.branch;
        f.type = r.type;
        if (rule.per_group) f.group = r.group;
        f.slot = slot_label(rule.per, m);
        f.row = r.row;
        f.on = r.on;
        f.detail = std::move(reason);
        record_findings.push_back(std::move(f));
      }

      std::vector<record_field> missing;
      for (const record_field fld : rule.complete)
        if (!r.has(fld)) missing.push_back(fld);
      if (!missing.empty()) {
        std::sort(missing.begin(), missing.end());
        missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
        ++br.incomplete;
        meeting_finding f;
        f.kind = finding_kind::incomplete;
        f.branch = br.branch;
        f.type = r.type;
        if (rule.per_group) f.group = r.group;
        f.slot = slot_label(rule.per, m);
        f.row = r.row;
        f.on = r.on;
        for (const record_field fld : missing) {
          if (!f.detail.empty()) f.detail += ',';
          f.detail += name(fld);
        }
        f.missing = std::move(missing);
        record_findings.push_back(std::move(f));
      }
    }

    // Slots, in (type, group, slot) order, which is the layout's.
    for (std::size_t t = 0; t < ntypes; ++t) {
      const meeting_rule& rule = rules.types[t];
      const type_layout& l = layout[t];
      const cadence_slots& cs = slots[static_cast<std::size_t>(rule.per)];
      type_summary& ts = br.types[t];
      for (std::size_t g = 0; g < l.groups; ++g) {
        for (std::size_t p = 0; p < l.periods; ++p) {
          const std::size_t s = l.base + g * l.periods + p;
          ++ts.required;
          if (valid_in[s] >= rule.at_least) {
            ++ts.met;
            continue;
          }
          meeting_finding f;
          f.kind = finding_kind::missed;
          f.branch = br.branch;
          f.type = t;
          if (rule.per_group) f.group = br.groups[g];
          f.slot = slot_label(rule.per, (cs.first + static_cast<int>(p)) * span_of(rule.per));
          f.detail = "held " + std::to_string(valid_in[s]) + " of " + std::to_string(rule.at_least);
          if (invalid_in[s] > 0) {
            f.detail += "; ";
            f.detail += std::to_string(invalid_in[s]);
            f.detail += invalid_in[s] == 1 ? " more was not valid" : " more were not valid";
          }
          rep.findings.push_back(std::move(f));
        }
      }
      br.required += ts.required;
      br.met += ts.met;
    }
    for (meeting_finding& f : record_findings) rep.findings.push_back(std::move(f));

    br.met_ratio = ratio(br.met, br.required);
    br.attendance_rate = ratio(br.attended, br.expected);
    rep.branches.push_back(std::move(br));
  }
  return rep;
}

rectify::table inputs(const meetings_report& report) {
  rectify::table t;
  t.columns = {"meetings_required", "meetings_short", "meetings_met_ratio", "records_incomplete", "attendance_rate"};
  t.values.resize(static_cast<Eigen::Index>(report.branches.size()), static_cast<Eigen::Index>(t.columns.size()));
  t.units.reserve(report.branches.size());
  Eigen::Index row = 0;
  for (const branch_report& b : report.branches) {
    t.units.push_back(b.branch);
    t.values(row, 0) = static_cast<double>(b.required);
    t.values(row, 1) = static_cast<double>(b.required - b.met);
    t.values(row, 2) = b.met_ratio;
    t.values(row, 3) = static_cast<double>(b.incomplete);
    t.values(row, 4) = b.attendance_rate;
    ++row;
  }
  return t;
}

}  // namespace rectify::compliance
