// The clean-governance risk register (compliance.md §3): risk points by level, the share with a
// control, and the share of high-level points reviewed in the 12 months up to an as-of date.
#include "rectify/compliance/risks.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <unordered_map>

#include "fields.hpp"
#include "rectify/core/error.hpp"

namespace rectify::compliance {

std::string_view name(risk_level l) noexcept {
  switch (l) {
    case risk_level::high:
      return "high";
    case risk_level::medium:
      return "medium";
    case risk_level::low:
      return "low";
  }
  return "";
}

std::string_view label_zh(risk_level l) noexcept {
  switch (l) {
    case risk_level::high:
      return "高";
    case risk_level::medium:
      return "中";
    case risk_level::low:
      return "低";
  }
  return "";
}

std::optional<risk_level> parse_risk_level(std::string_view s) noexcept {
  for (const auto l : {risk_level::high, risk_level::medium, risk_level::low}) {
    const std::string_view zh = label_zh(l);
    if (s == zh || (s.size() == zh.size() + 6 && s.starts_with(zh) && s.ends_with("风险"))) return l;
    const std::string_view en = name(l);
    if (s.size() == en.size() && std::equal(s.begin(), s.end(), en.begin(),
                                            [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a + 32 : a) == b; }))
      return l;
  }
  return std::nullopt;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(std::int64_t num, std::int64_t den) noexcept {
  return den == 0 ? kNaN : static_cast<double>(num) / static_cast<double>(den);
}

// as_of minus 12 months: the same day a year earlier, Feb 29 becoming Feb 28 (the year before a
// leap year is not one).
date year_before(date d) noexcept {
  const int day = d.month() == 2 && d.day() == 29 ? 28 : d.day();
  return date::from_ymd(d.year() - 1, d.month(), day);
}

struct point_key {
  std::string_view unit, post, risk;
  friend bool operator==(const point_key&, const point_key&) = default;
};

struct point_hash {
  std::size_t operator()(const point_key& k) const noexcept {
    const std::hash<std::string_view> h;
    std::size_t v = h(k.unit);
    v ^= h(k.post) + 0x9e3779b97f4a7c15ULL + (v << 6) + (v >> 2);
    v ^= h(k.risk) + 0x9e3779b97f4a7c15ULL + (v << 6) + (v >> 2);
    return v;
  }
};

}  // namespace

risk_report check_risks(const io::text_table& reg, date as_of) {
  detail::problems out(reg);
  enum { unit, post, risk, level, control, reviewed };
  const auto at = detail::find_columns(reg, {"unit", "post", "risk", "level", "control", "reviewed"},
                                       {true, true, true, true, true, true}, out);
  out.raise_if_any();
  const auto col = [&](int c) { return static_cast<std::size_t>(at[static_cast<std::size_t>(c)]); };

  risk_report report;
  report.as_of = as_of;
  report.window_start = year_before(as_of);
  std::unordered_map<point_key, std::size_t, point_hash> index;

  for (std::size_t r = 0; r < reg.rows(); ++r) {
    bool ok = true;
    for (const int c : {unit, post, risk, level}) {
      if (!reg.field(r, col(c)).empty()) continue;
      std::string msg = "the ";
      msg += reg.header()[col(c)];
      msg += " is empty";
      out.add("rectify.compliance.missing_value", r, at[static_cast<std::size_t>(c)], std::move(msg));
      ok = false;
    }
    const std::string_view level_text = reg.field(r, col(level));
    const auto lv = parse_risk_level(level_text);
    if (!lv && !level_text.empty()) {
      out.add("rectify.compliance.bad_level", r, at[level],
              cat("level ", detail::shown(level_text), " is not 高/中/低 (high/medium/low)"));
      ok = false;
    }
    const std::string_view date_text = reg.field(r, col(reviewed));
    std::optional<date> day;
    if (!date_text.empty()) {
      day = detail::parse_day(date_text);
      if (!day) {
        out.add("rectify.compliance.bad_date", r, at[reviewed],
                cat("reviewed ", detail::shown(date_text), " is not a date (YYYY-MM-DD)"));
        ok = false;
      }
    }
    if (!ok) continue;

    const point_key key{reg.field(r, col(unit)), reg.field(r, col(post)), reg.field(r, col(risk))};
    const auto [it, fresh] = index.try_emplace(key, report.points.size());
    if (fresh) {
      risk_point p;
      p.row = r;
      p.unit = std::string(key.unit);
      p.post = std::string(key.post);
      p.risk = std::string(key.risk);
      p.level = *lv;
      report.points.push_back(std::move(p));
    }
    risk_point& p = report.points[it->second];
    if (p.level != *lv) {
      std::string msg = cat("the risk point ", detail::shown(p.unit), " / ", detail::shown(p.post), " / ",
                            detail::shown(p.risk), " is ");
      msg += name(p.level);
      msg += " at ";
      msg += detail::earlier_row(reg, p.row);
      msg += " but ";
      msg += name(*lv);
      msg += " here: the rows of one point must agree on its level";
      out.add("rectify.compliance.conflicting_level", r, at[level], std::move(msg));
      continue;
    }
    if (!reg.field(r, col(control)).empty()) ++p.controls;
    // The register as it stood on as_of: a later review had not happened yet.
    if (day && *day <= as_of && (!p.reviewed || *p.reviewed < *day)) p.reviewed = day;
  }
  out.raise_if_any();

  std::map<std::string, risk_unit> units;  // byte order
  for (risk_point& p : report.points) {
    p.reviewed_in_window = p.reviewed && *p.reviewed >= report.window_start;
    risk_unit& u = units[p.unit];
    ++u.points;
    ++u.by_level[static_cast<std::size_t>(p.level)];
    if (p.controls > 0) ++u.controlled;
    if (p.level == risk_level::high && p.reviewed_in_window) ++u.high_reviewed;
  }
  report.units.reserve(units.size());
  for (auto& [id, u] : units) {
    u.unit = id;
    u.controlled_ratio = ratio(u.controlled, u.points);
    u.high_reviewed_ratio = ratio(u.high_reviewed, u.by_level[static_cast<std::size_t>(risk_level::high)]);
    report.units.push_back(std::move(u));
  }
  return report;
}

rectify::table inputs(const risk_report& report) {
  rectify::table t;
  t.columns = {"risk_points", "risk_controlled_ratio", "risk_high_reviewed_ratio"};
  t.values.resize(static_cast<Eigen::Index>(report.units.size()), 3);
  Eigen::Index row = 0;
  for (const risk_unit& u : report.units) {
    t.units.push_back(u.unit);
    t.values(row, 0) = static_cast<double>(u.points);
    t.values(row, 1) = ratio(u.controlled, u.points);
    t.values(row, 2) = ratio(u.high_reviewed, u.by_level[static_cast<std::size_t>(risk_level::high)]);
    ++row;
  }
  return t;
}

}  // namespace rectify::compliance
