#pragma once
// Shared by the binding files of `rectify._core`; one file per area, each with an `init_*`.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string_view>

#include "rectify/assess/engine.hpp"

namespace rectify::python {

namespace py = pybind11;

void init_errors(py::module_& m);
void init_assess(py::module_& m);
void init_io(py::module_& m);
void init_mcda(py::module_& m);
void init_ledger(py::module_& m);
void init_compliance(py::module_& m);
void init_text(py::module_& m);

/// `"zh"` or `"en"`; anything else is a ValueError (a usage error, not a rectify error).
[[nodiscard]] assess::lang parse_lang(std::string_view s);

/// Marks a NumPy array read-only: views into C++ results must not be written through, since
/// `to_json` and `explain` read the same memory.
py::array readonly(py::array a);

}  // namespace rectify::python
