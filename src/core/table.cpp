#include "rectify/core/table.hpp"

#include <limits>
#include <unordered_map>

#include "rectify/core/error.hpp"

namespace rectify {

std::string table_provenance::place(std::size_t row, std::ptrdiff_t column) const {
  const table_provenance* p = this;
  std::size_t row_line = row < row_lines.size() ? row_lines[row] : 0;
  std::ptrdiff_t col = column;
  if (!parts.empty()) {
    // Joined: the row's line is per part; whole-row places name the first part that has the row.
    if (column >= 0) {
      auto c = static_cast<std::size_t>(column);
      if (c >= column_part.size()) return {};
      p = &parts[column_part[c]];
      std::ptrdiff_t first = 0;
      for (std::size_t k = 0; k < c; ++k) first += column_part[k] == column_part[c] ? 1 : 0;
      col = first;
    } else {
      p = nullptr;
      for (const auto& part : parts)
        if (row < part.row_lines.size() && part.row_lines[row] != 0) {
          p = &part;
          break;
        }
      if (!p) return {};
    }
    row_line = row < p->row_lines.size() ? p->row_lines[row] : 0;
  }
  if (p->source.empty() || row_line == 0) return {};
  std::string where = p->source + ":" + std::to_string(row_line);
  if (col >= 0 && static_cast<std::size_t>(col) < p->column_numbers.size()) {
    // Two appends rather than ":" + to_string(...): GCC 12 -O3 warns falsely (-Wrestrict) on
    // a literal plus a temporary string.
    where += ':';
    where += std::to_string(p->column_numbers[static_cast<std::size_t>(col)]);
  }
  return where;
}

table join(std::span<const table> tables) {
  table out;
  std::unordered_map<std::string, std::size_t> row_of;
  std::unordered_map<std::string, std::size_t> part_of_column;
  auto name_of = [](const table& t) {
    return t.provenance.source.empty() ? std::string("a table") : t.provenance.source;
  };
  for (std::size_t k = 0; k < tables.size(); ++k) {
    for (const auto& u : tables[k].units)
      if (row_of.emplace(u, out.units.size()).second) out.units.push_back(u);
    for (const auto& c : tables[k].columns) {
      auto [it, fresh] = part_of_column.emplace(c, k);
      if (!fresh)
        raise("rectify.data.duplicate_column", "",
              "column " + quoted(c) + " is in both " + name_of(tables[it->second]) + " and " + name_of(tables[k]) +
                  ": an input must come from one place",
              tables[k].provenance.source);
      out.columns.push_back(c);
      out.provenance.column_part.push_back(k);
    }
  }
  const auto rows = static_cast<Eigen::Index>(out.units.size());
  out.values.setConstant(rows, static_cast<Eigen::Index>(out.columns.size()), std::numeric_limits<double>::quiet_NaN());
  Eigen::Index col0 = 0;
  for (const auto& t : tables) {
    table_provenance part;
    part.source = t.provenance.source;
    part.column_numbers = t.provenance.column_numbers;
    part.row_lines.assign(out.units.size(), 0);
    for (std::size_t i = 0; i < t.units.size(); ++i) {
      const auto r = row_of.at(t.units[i]);
      out.values.block(static_cast<Eigen::Index>(r), col0, 1, t.values.cols()) =
          t.values.row(static_cast<Eigen::Index>(i));
      if (i < t.provenance.row_lines.size()) part.row_lines[r] = t.provenance.row_lines[i];
    }
    col0 += t.values.cols();
    out.provenance.parts.push_back(std::move(part));
  }
  // A source for table::view(), which attaches provenance only when it names something.
  for (const auto& t : tables)
    if (!t.provenance.source.empty())
      out.provenance.source += (out.provenance.source.empty() ? "" : "+") + t.provenance.source;
  return out;
}

std::ptrdiff_t table_view::find(std::string_view name) const noexcept {
  for (std::size_t j = 0; j < columns.size(); ++j)
    if (columns[j].name == name) return static_cast<std::ptrdiff_t>(j);
  return -1;
}

table_view table::view() const {
  table_view v = make_view(units, columns, values);
  if (!provenance.source.empty()) v.provenance = &provenance;
  return v;
}

table_view make_view(std::span<const std::string> units, std::span<const std::string> names,
                     const Eigen::Ref<const Eigen::MatrixXd>& values) {
  if (static_cast<std::size_t>(values.rows()) != units.size() ||
      static_cast<std::size_t>(values.cols()) != names.size())
    raise("rectify.data.shape", "",
          "the matrix is " + std::to_string(values.rows()) + " x " + std::to_string(values.cols()) + " but there are " +
              std::to_string(units.size()) + " units and " + std::to_string(names.size()) + " column names");
  table_view v;
  v.units = units;
  v.columns.reserve(names.size());
  for (std::size_t j = 0; j < names.size(); ++j)
    v.columns.push_back(
        {names[j], values.data() + values.outerStride() * static_cast<Eigen::Index>(j), values.innerStride()});
  return v;
}

}  // namespace rectify
