// Metrics as of a date (ledger.md §4). `status` is the definition: one unguarded replay of the
// events whose local date is on or before D, in log order. `timeline` produces the same numbers
// for every day of a range from a single walk over the log and the days (see there).
#include "rectify/ledger/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <string_view>

#include "rectify/core/error.hpp"
#include "rectify/ledger/workflow.hpp"

namespace rectify::ledger {

std::string_view name(group_by g) noexcept {
  switch (g) {
    case group_by::area:
      return "area";
    case group_by::unit:
      return "unit";
    case group_by::leader:
      return "leader";
    case group_by::owner:
      return "owner";
  }
  return "";
}

std::optional<group_by> parse_group_by(std::string_view s) noexcept {
  for (auto g : {group_by::area, group_by::unit, group_by::leader, group_by::owner})
    if (name(g) == s) return g;
  return std::nullopt;
}

std::string_view name(escalation e) noexcept {
  switch (e) {
    case escalation::none:
      return "";
    case escalation::remind:
      return "remind";
    case escalation::warn:
      return "warn";
    case escalation::accountable:
      return "accountable";
  }
  return "";
}

std::string_view label_zh(escalation e) noexcept {
  switch (e) {
    case escalation::none:
      return "";
    case escalation::remind:
      return "提醒";
    case escalation::warn:
      return "预警";
    case escalation::accountable:
      return "问责";
  }
  return "";
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// 100 years of 365.25 days: the longest range `timeline` accepts.
constexpr std::int32_t kMaxTimelineDays = 36525;

[[nodiscard]] bool is_done(state s) noexcept {
  return s == state::verified || s == state::closed;
}

[[nodiscard]] double ratio(std::int64_t num, std::int64_t den) noexcept {
  return den == 0 ? kNaN : static_cast<double>(num) / static_cast<double>(den);
}

[[nodiscard]] std::size_t slot(state s) noexcept {
  return static_cast<std::size_t>(s);
}

[[nodiscard]] const std::string& group_key(const plan& p, const measure_ref& r, group_by by) {
  const measure& m = p.at(r);
  switch (by) {
    case group_by::area:
      return p.problems[r.problem].area;
    case group_by::unit:
      return m.unit;
    case group_by::leader:
      return m.leader;  // "" when the measure names no leader
    case group_by::owner:
      return m.owner;
  }
  return m.unit;
}

[[nodiscard]] escalation escalate(const escalation_rules& rules, date due, date as_of, bool done) noexcept {
  if (done) return escalation::none;
  const std::int32_t ahead = due - as_of;
  if (ahead >= 0) return ahead <= rules.remind_days ? escalation::remind : escalation::none;
  return -ahead <= rules.accountable_days ? escalation::warn : escalation::accountable;
}

// Verified on or before due; a verified or closed measure without a verification date (possible
// only in an unguarded replay of a log that does not verify) is not counted as on time.
[[nodiscard]] bool verified_on_time(const measure_status& s) noexcept {
  return is_done(s.current) && s.verified_on && *s.verified_on <= s.due;
}

[[nodiscard]] measure_status describe(const plan& p, const measure_ref& r, const measure_progress& g, date as_of) {
  const measure& m = p.at(r);
  measure_status s;
  s.index = r.index;
  s.id = m.id;
  s.problem = p.problems[r.problem].id;
  s.area = p.problems[r.problem].area;
  s.unit = m.unit;
  s.leader = m.leader;
  s.owner = m.owner;
  s.kind = m.kind;
  s.due = m.due;
  s.current = g.current;
  const bool done = is_done(g.current);
  s.overdue = !done && m.due < as_of;
  s.days_overdue = s.overdue ? as_of - m.due : 0;
  s.level = escalate(p.escalation, m.due, as_of, done);
  if (done && g.verified_on) {
    const std::optional<date> from = g.started_on ? g.started_on : p.source.feedback;
    if (from) s.days_to_verify = *g.verified_on - *from;
  }
  s.times_returned = g.returns;
  s.verified_on = g.verified_on;
  s.closed_on = g.closed_on;
  s.tasks_total = static_cast<std::int64_t>(m.tasks.size());
  s.tasks_done = std::count(g.tasks_done.begin(), g.tasks_done.end(), true);
  s.evidence = g.evidence_total;
  return s;
}

// The unguarded replay of the events whose local date is on or before `as_of`, in log order.
[[nodiscard]] replay replay_as_of(const plan& p, date as_of) {
  replay r(p);
  for (const event& e : p.log)
    if (e.at.local_date() <= as_of) r.apply(e, false);
  return r;
}

[[nodiscard]] std::vector<measure_status> describe_all(const plan& p, date as_of) {
  const replay r = replay_as_of(p, as_of);
  std::vector<measure_status> out;
  out.reserve(p.measure_count());
  for (const measure_ref& ref : p.measures()) out.push_back(describe(p, ref, r.progress(ref.index), as_of));
  return out;
}

struct group_tally {
  std::int64_t total = 0;
  std::array<std::int64_t, state_count> states{};
  std::int64_t on_time = 0;
  std::int64_t overdue = 0;
  std::int64_t returned = 0;

  void add(const measure_status& s) {
    ++total;
    ++states[slot(s.current)];
    on_time += verified_on_time(s) ? 1 : 0;
    overdue += s.overdue ? 1 : 0;
    returned += s.times_returned;
  }
  [[nodiscard]] std::int64_t done() const noexcept {
    return states[slot(state::verified)] + states[slot(state::closed)];
  }
};

[[nodiscard]] std::map<std::string, group_tally> tally(const plan& p, const std::vector<measure_status>& ms,
                                                       group_by by) {
  std::map<std::string, group_tally> out;  // std::string's < is byte order, as documented
  for (const measure_status& s : ms) out[group_key(p, p.measures()[s.index], by)].add(s);
  return out;
}

// A plan holding only measure `r` of `p`, so that the one measure can be replayed on its own.
[[nodiscard]] std::unique_ptr<plan> single_measure_plan(const plan& p, const measure_ref& r) {
  auto one = std::make_unique<plan>();
  one->id = p.id;
  one->source = p.source;
  one->review_levels = p.review_levels;
  one->escalation = p.escalation;
  one->areas = p.areas;
  problem pr = p.problems[r.problem];
  pr.measures = {p.at(r)};
  one->problems.push_back(std::move(pr));
  one->reindex();
  return one;
}

// Measure ids to indexes for the timeline's walk over the log, which looks up every event once
// more than `status` does: an open-addressing table of (hash, index, id position) entries over
// one contiguous copy of the ids, so that a lookup touches two cache lines instead of the
// plan's map nodes and measures.
class measure_index {
 public:
  explicit measure_index(const plan& p) {
    std::size_t cap = 16;
    while (cap < 2 * p.measure_count()) cap *= 2;
    slots_.assign(cap, entry{});
    mask_ = cap - 1;
    for (const measure_ref& r : p.measures()) {
      const std::string& id = p.at(r).id;
      const std::size_t h = std::hash<std::string_view>{}(id);
      std::size_t at = h & mask_;
      while (slots_[at].index_plus_one != 0) at = (at + 1) & mask_;
      slots_[at] = {h, r.index + 1, ids_.size(), id.size()};
      ids_ += id;
    }
  }

  /// The index of the measure with this id, or -1.
  [[nodiscard]] std::int64_t find(std::string_view id) const noexcept {
    const std::size_t h = std::hash<std::string_view>{}(id);
    for (std::size_t at = h & mask_;; at = (at + 1) & mask_) {
      const entry& e = slots_[at];
      if (e.index_plus_one == 0) return -1;
      if (e.hash == h && std::string_view(ids_).substr(e.offset, e.size) == id)
        return static_cast<std::int64_t>(e.index_plus_one) - 1;
    }
  }

 private:
  struct entry {
    std::size_t hash = 0;
    std::size_t index_plus_one = 0;  // 0: empty
    std::size_t offset = 0, size = 0;
  };
  std::vector<entry> slots_;
  std::string ids_;
  std::size_t mask_ = 0;
};

}  // namespace

status_report status(const plan& p, date as_of, group_by by) {
  status_report rep;
  rep.as_of = as_of;
  rep.measures = describe_all(p, as_of);
  for (const auto& [key, t] : tally(p, rep.measures, by)) {
    group_status g;
    g.key = key;
    g.total = t.total;
    g.states = t.states;
    g.completion_rate = ratio(t.done(), t.total);
    g.closure_rate = ratio(t.states[slot(state::closed)], t.total);
    g.on_time_rate = ratio(t.on_time, t.done());
    g.overdue = t.overdue;
    rep.groups.push_back(std::move(g));
  }
  return rep;
}

std::vector<measure_status> overdue(const plan& p, date as_of) {
  std::vector<measure_status> all = describe_all(p, as_of);
  std::vector<measure_status> out;
  for (auto& s : all)
    if (s.overdue) out.push_back(std::move(s));
  std::stable_sort(out.begin(), out.end(),
                   [](const measure_status& a, const measure_status& b) { return a.days_overdue > b.days_overdue; });
  return out;
}

rectify::table inputs(const plan& p, date as_of) {
  const auto groups = tally(p, describe_all(p, as_of), group_by::unit);
  rectify::table t;
  t.columns = {"rect_total", "rect_completion_rate", "rect_overdue", "rect_returned", "rect_on_time_rate"};
  t.values.resize(static_cast<Eigen::Index>(groups.size()), static_cast<Eigen::Index>(t.columns.size()));
  Eigen::Index row = 0;
  for (const auto& [unit, g] : groups) {
    t.units.push_back(unit);
    t.values(row, 0) = static_cast<double>(g.total);
    t.values(row, 1) = ratio(g.done(), g.total);
    t.values(row, 2) = static_cast<double>(g.overdue);
    t.values(row, 3) = static_cast<double>(g.returned);
    t.values(row, 4) = ratio(g.on_time, g.done());
    ++row;
  }
  return t;
}

// One replay for the whole range. The events are applied in order of local date (log order
// among equal dates; no sort at all when the log's local dates never go back, the usual case),
// so after the events of day D the replay holds exactly the events of `status(D)`. Each day, only
// the measures those events touched are looked at again: their state moves their group's state
// counts, and the overdue counts follow a sweep over the measures sorted by due date (a measure
// joins its group's overdue count on the day after its due date if it is not done, and leaves or
// rejoins it when it becomes done or not done later).
//
// Applying by local date differs from log order only for events that an earlier-logged event
// outdates (mixed offsets: 07:00+08:00 on 05-01 logged before 20:00-05:00 on 04-30). When that
// happens within one measure, the measure's state on a day could depend on the order, so such a
// measure is left out of the shared replay and replayed on its own, in log order, on each day
// one of its events falls on (a handful of events, rarely).
std::vector<timeline_row> timeline(const plan& p, date start, date end, std::optional<group_by> by) {
  if (end < start)
    raise("rectify.ledger.bad_range", "", "timeline: end " + end.str() + " is before start " + start.str());
  if (end - start >= kMaxTimelineDays)
    raise("rectify.ledger.bad_range", "",
          "timeline: " + start.str() + " to " + end.str() + " is longer than 100 years (36525 days)");

  const std::size_t n_measures = p.measure_count();
  const auto& refs = p.measures();

  // Groups: the sorted distinct keys (one group "" when ungrouped) and each measure's group.
  std::vector<std::string> keys;
  std::vector<std::size_t> group_of(n_measures, 0);
  if (by) {
    std::map<std::string, std::size_t> ids;
    for (const measure_ref& r : refs) ids.emplace(group_key(p, r, *by), 0);
    std::size_t next = 0;
    for (auto& [key, id] : ids) {
      id = next++;
      keys.push_back(key);
    }
    for (const measure_ref& r : refs) group_of[r.index] = ids.at(group_key(p, r, *by));
  } else {
    keys.emplace_back();
  }
  const std::size_t n_groups = keys.size();

  // Each event's local date. When they never go back (the usual log) the events are walked in
  // log order and looked up on the way; otherwise they are ordered by local date once, and the
  // measures whose own events go back are found (their events in log order).
  const std::size_t n_events = p.log.size();
  std::vector<std::int32_t> local(n_events);
  bool monotonic = true;
  for (std::size_t i = 0; i < n_events; ++i) {
    local[i] = p.log[i].at.local_date().days;
    if (i > 0 && local[i] < local[i - 1]) monotonic = false;
  }
  const measure_index index_of(p);
  std::vector<std::int64_t> owner_of;  // measure of each event (-1: unknown, left to `apply`); only when sorted
  std::vector<std::size_t> order;
  std::vector<char> alone(n_measures, 0);
  std::vector<std::vector<std::size_t>> alone_events;
  if (!monotonic) {
    owner_of.resize(n_events);
    for (std::size_t i = 0; i < n_events; ++i) owner_of[i] = index_of.find(p.log[i].measure);
    order.resize(n_events);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return local[a] < local[b]; });
    std::vector<std::int32_t> latest(n_measures, std::numeric_limits<std::int32_t>::min());
    for (std::size_t i = 0; i < n_events; ++i) {
      if (owner_of[i] < 0) continue;
      const auto m = static_cast<std::size_t>(owner_of[i]);
      if (local[i] < latest[m]) alone[m] = 1;
      latest[m] = std::max(latest[m], local[i]);
    }
    alone_events.resize(n_measures);
    for (std::size_t i = 0; i < n_events; ++i)
      if (owner_of[i] >= 0 && alone[static_cast<std::size_t>(owner_of[i])])
        alone_events[static_cast<std::size_t>(owner_of[i])].push_back(i);
  }
  std::vector<std::unique_ptr<plan>> alone_plan(monotonic ? 0 : n_measures);
  auto replay_alone = [&](std::size_t m, date day) {
    if (!alone_plan[m]) alone_plan[m] = single_measure_plan(p, refs[m]);
    replay r(*alone_plan[m]);
    for (std::size_t i : alone_events[m])
      if (local[i] <= day.days) r.apply(p.log[i], false);
    return r.progress(0).current;
  };

  // Due dates in one array, and the measures by due date for the overdue sweep.
  std::vector<std::int32_t> due(n_measures);
  for (std::size_t m = 0; m < n_measures; ++m) due[m] = p.at(m).due.days;
  std::vector<std::size_t> by_due(n_measures);
  std::iota(by_due.begin(), by_due.end(), std::size_t{0});
  std::stable_sort(by_due.begin(), by_due.end(), [&](std::size_t a, std::size_t b) { return due[a] < due[b]; });

  std::vector<std::int64_t> total(n_groups, 0), overdue_count(n_groups, 0);
  std::vector<std::array<std::int64_t, state_count>> states(n_groups, std::array<std::int64_t, state_count>{});
  std::vector<state> current(n_measures, state::planned);
  for (std::size_t m = 0; m < n_measures; ++m) {
    ++total[group_of[m]];
    ++states[group_of[m]][slot(state::planned)];
  }

  replay shared(p);
  std::vector<char> touched(n_measures, 0);
  std::vector<std::size_t> touched_list;
  std::size_t next_event = 0, next_due = 0;

  std::vector<timeline_row> rows;
  rows.reserve(static_cast<std::size_t>(end - start + 1) * n_groups);
  for (date day = start; day <= end; day = day + 1) {
    for (; next_event < n_events; ++next_event) {
      const std::size_t i = monotonic ? next_event : order[next_event];
      if (local[i] > day.days) break;
      const event& e = p.log[i];
      const std::int64_t m = monotonic ? index_of.find(e.measure) : owner_of[i];
      if (m < 0 || !alone[static_cast<std::size_t>(m)]) shared.apply(e, false);  // else: replayed on its own below
      if (m >= 0 && !touched[static_cast<std::size_t>(m)]) {
        touched[static_cast<std::size_t>(m)] = 1;
        touched_list.push_back(static_cast<std::size_t>(m));
      }
    }
    // Measures due before `day` join the overdue count while not done.
    for (; next_due < n_measures && due[by_due[next_due]] < day.days; ++next_due) {
      const std::size_t m = by_due[next_due];
      if (!is_done(current[m])) ++overdue_count[group_of[m]];
    }
    for (std::size_t m : touched_list) {
      touched[m] = 0;
      const state now = alone[m] ? replay_alone(m, day) : shared.progress(m).current;
      const state before = current[m];
      if (now == before) continue;
      auto& st = states[group_of[m]];
      --st[slot(before)];
      ++st[slot(now)];
      if (due[m] < day.days && is_done(before) != is_done(now)) overdue_count[group_of[m]] += is_done(now) ? -1 : 1;
      current[m] = now;
    }
    touched_list.clear();

    for (std::size_t g = 0; g < n_groups; ++g) {
      timeline_row row;
      row.day = day;
      row.key = keys[g];
      row.total = total[g];
      row.states = states[g];
      row.overdue = overdue_count[g];
      row.completion_rate = ratio(states[g][slot(state::verified)] + states[g][slot(state::closed)], total[g]);
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace rectify::ledger
