#pragma once
/// The one currency of the library: a unit × input table. Rows are units (string ids), columns
/// are named numeric inputs, NaN marks a missing cell. Every module produces or consumes it.
#include <Eigen/Core>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace rectify {

/// Where a table came from, so that errors found later (by the scorer, say) can name the
/// file, line and column of the bad cell. Empty when the table was built in memory.
struct table_provenance {
  std::string source;                       ///< file name as given by the user
  std::vector<std::size_t> row_lines;       ///< 1-based line of each unit's row (0: not in the file)
  std::vector<std::size_t> column_numbers;  ///< 1-based CSV column of each input column

  /// A table joined from several files (`join`) keeps each file's provenance here, and which
  /// file each column came from; both are empty for a table read from one file.
  std::vector<table_provenance> parts;
  std::vector<std::size_t> column_part;

  /// Where a cell came from: `file:line:column`, `file:line` for a whole row (column < 0),
  /// or "" when unknown (a table built in memory, or a unit the column's file does not have).
  [[nodiscard]] std::string place(std::size_t row, std::ptrdiff_t column) const;
};

/// A non-owning column: `data[i * stride]` is the value of unit i. Lets the scorer read a
/// float64 NumPy column or a column of a column-major matrix without copying it.
struct column_view {
  std::string name;
  const double* data = nullptr;
  std::ptrdiff_t stride = 1;

  [[nodiscard]] double operator[](std::size_t i) const noexcept {
    return data[static_cast<std::ptrdiff_t>(i) * stride];
  }
};

/// A non-owning unit × input table.
struct table_view {
  std::span<const std::string> units;
  std::vector<column_view> columns;
  const table_provenance* provenance = nullptr;  ///< optional

  [[nodiscard]] std::size_t rows() const noexcept { return units.size(); }
  /// Index of the column named `name`, or -1.
  [[nodiscard]] std::ptrdiff_t find(std::string_view name) const noexcept;
};

/// An owning unit × input table (column-major, NaN = missing), as the CSV reader returns it.
struct table {
  std::vector<std::string> units;
  std::vector<std::string> columns;
  Eigen::MatrixXd values;  ///< units × columns, column-major
  table_provenance provenance;

  [[nodiscard]] table_view view() const;
};

/// Joins unit × input tables on the unit id, as the scorer's data come from several places (a
/// unit CSV, the ledger's inputs, the compliance checks). Units keep the order of their first
/// appearance (the first table's order, then units only later tables have); columns are the
/// tables' columns in order; a unit a table lacks gets NaN (missing) in that table's columns.
/// A column name in two tables throws `rectify.data.duplicate_column` naming both sources.
/// The result's provenance keeps every table's, so later errors still name file:line:column.
///
///   auto data = rectify::join({rectify::io::read_units_csv_file("units.csv"),
///                              rectify::ledger::inputs(plan, as_of)});
[[nodiscard]] table join(std::span<const table> tables);

/// Views a column-major matrix (a float64 DataFrame's `to_numpy()` maps in without a copy).
[[nodiscard]] table_view make_view(std::span<const std::string> units, std::span<const std::string> names,
                                   const Eigen::Ref<const Eigen::MatrixXd>& values);

}  // namespace rectify
