#pragma once
// What naturally follows a scheme or a unit table being read: scoring, ranking, the explanation
// of lost points and the writers, with the invariants the engine promises (scoring.md §3–7).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "rectify/assess/engine.hpp"
#include "rectify/core/table.hpp"
#include "rectify/io/results.hpp"

namespace rectify::fuzz {

/// Scores `data` with `p` and checks: one result per unit, finite scores, ranks consistent with
/// scores, and each unit's explanation summing to total − base + penalty. A `rectify::error`
/// (bad data for this scheme) propagates as the expected outcome.
inline void score_and_check(const assess::plan& p, const table_view& data) {
  const auto r = assess::score(p, data);
  const std::size_t n = data.rows();
  RECTIFY_FUZZ_CHECK(r.size() == n);
  RECTIFY_FUZZ_CHECK(static_cast<std::size_t>(r.rank.size()) == n);
  RECTIFY_FUZZ_CHECK(r.veto_offsets.size() == n + 1 && r.missing_offsets.size() == n + 1);
  // The pairwise checks and explanations cover the first units only, so that a table of
  // thousands of rows costs linear time.
  const std::size_t checked = std::min<std::size_t>(n, 64);
  for (std::size_t i = 0; i < n; ++i) {
    const auto ei0 = static_cast<Eigen::Index>(i);
    RECTIFY_FUZZ_CHECK(std::isfinite(r.score[ei0]));
    RECTIFY_FUZZ_CHECK(r.rank[ei0] >= 1 && static_cast<std::size_t>(r.rank[ei0]) <= n);
  }
  for (std::size_t i = 0; i < checked; ++i) {
    const auto ei = static_cast<Eigen::Index>(i);
    for (std::size_t j = 0; j < n; ++j) {
      const auto ej = static_cast<Eigen::Index>(j);
      if (r.score[ei] > r.score[ej] && !close(r.score[ei], r.score[ej], 1e-6))
        RECTIFY_FUZZ_CHECK(r.rank[ei] < r.rank[ej]);
    }
    if (!p.grades.empty()) {
      RECTIFY_FUZZ_CHECK(r.grade[ei] >= 0 && static_cast<std::size_t>(r.grade[ei]) < p.grades.size());
      RECTIFY_FUZZ_CHECK(r.band[ei] >= 0 && static_cast<std::size_t>(r.band[ei]) < p.grades.size());
    }
    const auto lost = assess::explain(p, data, r, i, assess::lang::en);
    double sum = 0;
    for (const auto& item : lost) sum += item.points;
    const double want = p.total - r.base[ei] + r.penalty[ei];
    if (std::isfinite(want)) RECTIFY_FUZZ_CHECK(close(sum, want, 1e-6));
  }
  const std::string json = io::result_json(p, data, r);
  RECTIFY_FUZZ_CHECK(!json.empty() && json.front() == '{');
  const std::string csv = io::result_csv(p, data, r);
  RECTIFY_FUZZ_CHECK(csv.rfind("unit,", 0) == 0);
  static_cast<void>(io::lost_csv(p, data, r));
  static_cast<void>(io::result_table(p, data, r, true));
}

}  // namespace rectify::fuzz
