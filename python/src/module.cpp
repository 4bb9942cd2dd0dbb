// `rectify._core`: the private compiled module. The Python classes in `rectify/` wrap it by
// composition; nothing here is meant to be used directly.
#include <exception>
#include <string>

#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rectify/core/error.hpp"

namespace rectify::python {

namespace {

// The Python class for an error code: `rectify.scheme.*` is a SchemeError, `rectify.data.*` and
// `rectify.io.*` a DataError, `rectify.mcda.*` an MCDAError, `rectify.ledger.*` a LedgerError,
// `rectify.compliance.*` (the rules file's `rectify.compliance.rules.*` too) a ComplianceError,
// `rectify.text.*` a TextError, anything else the common base.
const char* class_for(std::string_view code) {
  if (code.starts_with("rectify.scheme.")) return "SchemeError";
  if (code.starts_with("rectify.data.") || code.starts_with("rectify.io.")) return "DataError";
  if (code.starts_with("rectify.mcda.")) return "MCDAError";
  if (code.starts_with("rectify.ledger.")) return "LedgerError";
  if (code.starts_with("rectify.compliance.")) return "ComplianceError";
  if (code.starts_with("rectify.text.")) return "TextError";
  return "Error";
}

void set_python_error(const rectify::error& e) {
  try {
    // The exception classes are plain Python (rectify/_errors.py) so that they have a real
    // __init__, docstrings and stubs; `_core` is only ever imported as part of that package.
    py::object cls = py::module_::import("rectify._errors").attr(class_for(e.code()));
    py::object exc = cls(e.what(), py::cast(e.problems()));
    PyErr_SetObject(cls.ptr(), exc.ptr());
  } catch (py::error_already_set&) {
    // Not expected; still never lose the message.
    PyErr_SetString(PyExc_ValueError, e.what());
  }
}

}  // namespace

assess::lang parse_lang(std::string_view s) {
  if (s == "zh") return assess::lang::zh;
  if (s == "en") return assess::lang::en;
  throw py::value_error("lang must be \"zh\" or \"en\", not " + rectify::quoted(s));
}

py::array readonly(py::array a) {
  a.attr("flags").attr("writeable") = false;
  return a;
}

void init_errors(py::module_& m) {
  py::class_<problem>(m, "Problem", "One thing wrong with an input (see rectify.Problem).")
      .def(py::init([](std::string code, std::string path, std::string message, std::string source) {
             return problem{std::move(code), std::move(path), std::move(message), std::move(source)};
           }),
           py::kw_only(), py::arg("code"), py::arg("path") = "", py::arg("message") = "", py::arg("source") = "")
      .def_readonly("code", &problem::code)
      .def_readonly("path", &problem::path)
      .def_readonly("message", &problem::message)
      .def_readonly("source", &problem::source)
      .def("__str__", &problem::str)
      .def("__repr__",
           [](const problem& p) {
             return "Problem(code=" + py::repr(py::str(p.code)).cast<std::string>() +
                    ", path=" + py::repr(py::str(p.path)).cast<std::string>() +
                    ", message=" + py::repr(py::str(p.message)).cast<std::string>() +
                    ", source=" + py::repr(py::str(p.source)).cast<std::string>() + ")";
           })
      .def(py::self == py::self)
      .def("__hash__", [](const problem& p) { return py::hash(py::make_tuple(p.code, p.path, p.message, p.source)); });

  m.def("quoted", &rectify::quoted, py::arg("text"),
        "Quotes a user-supplied string for a message the way the C++ library does.");

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const rectify::error& e) {
      set_python_error(e);
    }
  });
}

}  // namespace rectify::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "Private compiled core of rectify; use the rectify package instead.";
  rectify::python::init_errors(m);
  rectify::python::init_assess(m);
  rectify::python::init_io(m);
  rectify::python::init_mcda(m);
  rectify::python::init_ledger(m);
  rectify::python::init_compliance(m);
  rectify::python::init_text(m);
}
