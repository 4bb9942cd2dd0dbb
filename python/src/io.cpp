// Bindings of the unit-data CSV reader. The table's column-major matrix is handed to NumPy
// without a copy: the array's base is a capsule that owns the C++ table.
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <tuple>
#include <utility>

#include "bindings.hpp"
#include "rectify/io/csv.hpp"

namespace rectify::python {

namespace {

std::tuple<std::vector<std::string>, std::vector<std::string>, py::array> to_python(rectify::table t) {
  auto owned = std::make_unique<rectify::table>(std::move(t));
  auto units = owned->units;
  auto columns = owned->columns;
  const auto n = static_cast<py::ssize_t>(owned->values.rows());
  const auto k = static_cast<py::ssize_t>(owned->values.cols());
  const double* data = owned->values.data();
  py::capsule base(owned.get(), [](void* p) { delete static_cast<rectify::table*>(p); });
  owned.release();  // the capsule owns it now
  py::array values = py::array_t<double>(
      {n, k}, {static_cast<py::ssize_t>(sizeof(double)), n * static_cast<py::ssize_t>(sizeof(double))}, data, base);
  return {std::move(units), std::move(columns), std::move(values)};
}

}  // namespace

void init_io(py::module_& m) {
  m.def(
      "read_units_csv_file",
      [](const std::string& path, const std::string& encoding) {
        io::csv_options opt;
        opt.encoding = encoding;
        rectify::table t;
        {
          py::gil_scoped_release release;
          t = io::read_units_csv_file(path, opt);
        }
        return to_python(std::move(t));
      },
      py::arg("path"), py::arg("encoding") = "utf-8",
      "(units, column names, units × columns float64 array in column-major order) of a unit CSV file.");
  m.def(
      "read_units_csv",
      [](const std::string& data, const std::string& source, const std::string& encoding) {
        io::csv_options opt;
        opt.encoding = encoding;
        rectify::table t;
        {
          py::gil_scoped_release release;
          t = io::read_units_csv(data, source, opt);
        }
        return to_python(std::move(t));
      },
      py::arg("data"), py::arg("source") = "", py::arg("encoding") = "utf-8",
      "Like read_units_csv_file, from the bytes of a CSV file.");
}

}  // namespace rectify::python
