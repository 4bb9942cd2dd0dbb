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
  std::vector<std::size_t> row_lines;       ///< 1-based line of each unit's row
  std::vector<std::size_t> column_numbers;  ///< 1-based CSV column of each input column
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

/// Views a column-major matrix (a float64 DataFrame's `to_numpy()` maps in without a copy).
[[nodiscard]] table_view make_view(std::span<const std::string> units, std::span<const std::string> names,
                                   const Eigen::Ref<const Eigen::MatrixXd>& values);

}  // namespace rectify
