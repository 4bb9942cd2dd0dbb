#pragma once
/// Writing scoring results as JSON, CSV and a human-readable table (scoring.md §7). Each
/// writer returns the whole text, so that a caller writes nothing when anything fails.
#include <string>

#include "rectify/assess/engine.hpp"
#include "rectify/core/table.hpp"

namespace rectify::io {

/// `{"scheme", "units": [{unit, score, base, bonus, penalty, band, grade, rank, vetoes,
/// missing, nodes, lost}]}` in input order; full-precision numbers. A scheme that derives
/// weights adds `"weights": [{node, path, method, points, children: [{node, weight, points}],
/// lambda_max, ci, cr (AHP) | units, equal_fallback (cohort methods)}]` after `"scheme"`.
[[nodiscard]] std::string result_json(const assess::plan& p, const table_view& data, const assess::result& r,
                                      assess::lang language = assess::lang::zh);

/// One row per unit: `unit,score,base,bonus,penalty,band,grade,rank`, then one column per
/// node (empty where a node was dropped); full-precision numbers.
[[nodiscard]] std::string result_csv(const assess::plan& p, const table_view& data, const assess::result& r);

/// The lost-point explanations as CSV: `unit,node,points,why`, units in rank order.
[[nodiscard]] std::string lost_csv(const assess::plan& p, const table_view& data, const assess::result& r,
                                   assess::lang language = assess::lang::zh);

/// One row per unit ordered by rank, numbers rounded to 2 decimals, columns aligned for
/// Chinese text; with `explain`, each unit's lost points under its row. A scheme that derives
/// weights ends with a "derived weights" block (weight and points of each child; λmax, CI and
/// CR for AHP; the number of units for a cohort method).
[[nodiscard]] std::string result_table(const assess::plan& p, const table_view& data, const assess::result& r,
                                       bool explain, assess::lang language = assess::lang::zh);

/// Shortest text that reads back as the same double ("0.1", "87.5", "1e-300").
[[nodiscard]] std::string format_double(double v);

/// A CSV field: as is, or double-quoted (quotes doubled) when it holds a comma, quote or line break.
[[nodiscard]] std::string csv_field(std::string_view s);

/// Terminal columns a UTF-8 string takes (East Asian wide characters count 2).
[[nodiscard]] std::size_t display_width(std::string_view s);

}  // namespace rectify::io
