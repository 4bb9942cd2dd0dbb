#pragma once
// A small scheme with every kind of rule (linear, steps at_least and at_most, piecewise, direct,
// check, deductions, bonus, penalty, veto, grades with a quota, cohort entropy weights), for the
// targets whose input is data rather than a scheme. Inputs are x1..x6 and counts c1..c4.
#include "rectify/assess/engine.hpp"
#include "rectify/io/scheme_json.hpp"

namespace rectify::fuzz {

inline constexpr const char* kFixedScheme = R"({
  "format": "rectify.scheme/1", "id": "fuzz", "name": "fuzz", "total": 100, "missing": "reweight",
  "indicators": [
    {"id": "a", "name": "a", "points": 60, "children": [
      {"id": "a.lin", "name": "lin", "points": 20, "input": "x1", "rule": {"type": "linear", "worst": 0.5, "best": 1}},
      {"id": "a.up", "name": "up", "points": 10, "input": "x2",
       "rule": {"type": "steps", "at_least": [[1, 0.4], [2, 0.7], [4, 1]]}},
      {"id": "a.down", "name": "down", "points": 10, "input": "x3",
       "rule": {"type": "steps", "at_most": [[0.02, 1], [0.1, 0.3]]}},
      {"id": "a.pw", "name": "pw", "points": 10, "input": "x4",
       "rule": {"type": "piecewise", "points": [[0, 0], [6, 0.5], [12, 1]]}},
      {"id": "a.ded", "name": "ded", "points": 10,
       "deductions": [{"input": "c1", "per": 0.5, "cap": 6, "name": "ded"}]}]},
    {"id": "d", "name": "d", "points": 10, "input": "x5", "rule": {"type": "direct"}},
    {"id": "b", "name": "b", "points": 30, "weights": {"method": "entropy"}, "children": [
      {"id": "b.lin", "name": "lin", "input": "x5", "rule": {"type": "linear", "worst": 0, "best": 10}},
      {"id": "b.check", "name": "check", "input": "x6", "rule": {"type": "check"}},
      {"id": "b.rev", "name": "rev", "input": "x1", "rule": {"type": "linear", "worst": 6, "best": 0}}]}],
  "bonus": {"cap": 5, "items": [{"id": "bonus.c2", "name": "c2", "input": "c2", "per": 2, "cap": 4}]},
  "penalties": [{"id": "penalty.c3", "name": "c3", "input": "c3", "per": 3}],
  "vetoes": [{"id": "veto.c4", "name": "c4", "input": "c4", "above": 0, "max_grade": "D"}],
  "grades": [{"name": "A", "min": 90, "quota": 0.2}, {"name": "B", "min": 80}, {"name": "C", "min": 60}, {"name": "D"}]
})";

/// The compiled fixed scheme (compiled once).
inline const assess::plan& fixed_plan() {
  static const assess::plan plan = assess::compile(io::load_scheme(kFixedScheme, "fixed_scheme.json"));
  return plan;
}

}  // namespace rectify::fuzz
