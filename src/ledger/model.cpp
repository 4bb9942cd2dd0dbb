#include "rectify/ledger/model.hpp"

#include <array>
#include <functional>

namespace rectify::ledger {

namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);

constexpr std::array<std::string_view, state_count> state_names = {"planned", "in_progress", "submitted", "verified",
                                                                   "closed"};
constexpr std::array<std::string_view, state_count> state_labels = {"未启动", "整改中", "待验收", "已验收", "已销号"};
constexpr std::array<std::string_view, 8> action_names = {"start",  "evidence", "submit", "approve",
                                                          "return", "close",    "reopen", "task_done"};
constexpr std::array<std::string_view, 3> kind_names = {"immediate", "deadline", "long_term"};

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::string_view s) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

std::string_view name(state s) noexcept {
  return state_names[static_cast<std::size_t>(s)];
}
std::string_view name(action a) noexcept {
  return action_names[static_cast<std::size_t>(a)];
}
std::string_view name(measure_kind k) noexcept {
  return kind_names[static_cast<std::size_t>(k)];
}
std::string_view label_zh(state s) noexcept {
  return state_labels[static_cast<std::size_t>(s)];
}
std::string_view label_zh(measure_kind k) noexcept {
  constexpr std::array<std::string_view, 3> labels = {"立行立改", "限期整改", "长期坚持"};
  return labels[static_cast<std::size_t>(k)];
}

std::optional<state> parse_state(std::string_view s) noexcept {
  return lookup<state>(state_names, s);
}
std::optional<action> parse_action(std::string_view s) noexcept {
  return lookup<action>(action_names, s);
}
std::optional<measure_kind> parse_kind(std::string_view s) noexcept {
  return lookup<measure_kind>(kind_names, s);
}

void plan::reindex() {
  measures_.clear();
  by_id_.clear();
  for (std::size_t p = 0; p < problems.size(); ++p)
    for (std::size_t m = 0; m < problems[p].measures.size(); ++m) {
      std::size_t index = measures_.size();
      measures_.push_back({p, m, index});
      // The first measure with an id wins; the loader refuses duplicates, so this only
      // matters for a plan built by hand.
      by_id_.emplace(problems[p].measures[m].id, index);
    }
  log_measure_.clear();
  log_measure_.reserve(log.size());
  for (const event& e : log) {
    auto it = by_id_.find(e.measure);
    log_measure_.push_back(it == by_id_.end() ? npos : it->second);
  }
}

std::optional<measure_ref> plan::find_measure(std::string_view measure_id) const {
  auto it = by_id_.find(std::string(measure_id));
  if (it == by_id_.end()) return std::nullopt;
  return measures_[it->second];
}

std::optional<measure_ref> plan::find_event_measure(const event& e) const {
  // std::less orders any two pointers, so this tells whether `e` lies in `log` without
  // comparing pointers into different arrays.
  const std::less<const event*> before;
  if (!before(&e, log.data()) && before(&e, log.data() + log.size())) {
    const auto pos = static_cast<std::size_t>(&e - log.data());
    // The log may have changed since reindex(): the hint is used only while its id matches.
    if (pos < log_measure_.size()) {
      const std::size_t k = log_measure_[pos];
      if (k < measures_.size() && at(k).id == e.measure) return measures_[k];
    }
  }
  return find_measure(e.measure);
}

std::optional<std::size_t> plan::find_task(const measure& m, std::string_view task_id) const {
  for (std::size_t i = 0; i < m.tasks.size(); ++i)
    if (m.tasks[i].id == task_id) return i;
  return std::nullopt;
}

std::string_view plan::area_name(std::string_view area_id) const {
  for (const auto& a : areas)
    if (a.id == area_id) return a.name;
  return {};
}

}  // namespace rectify::ledger
