#include "rectify/core/table.hpp"

#include "rectify/core/error.hpp"

namespace rectify {

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
