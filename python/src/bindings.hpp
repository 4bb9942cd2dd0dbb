#pragma once
// Shared by the binding files of `rectify._core`; one file per area, each with an `init_*`.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "rectify/assess/engine.hpp"
#include "rectify/core/progress.hpp"
#include "rectify/core/table.hpp"
#include "rectify/io/records.hpp"

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

/// The CSV reader trims spaces and tabs around every field; cells from a DataFrame are trimmed
/// the same way so that a frame read by pandas and the file itself give the same result.
[[nodiscard]] std::string_view trimmed(std::string_view s) noexcept;

/// A vector as a new NumPy array (a copy).
template <class T>
py::array_t<T> array_of(const std::vector<T>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

/// A vector<bool> (bit-packed, so not copyable as a range of bool) as a NumPy bool array.
[[nodiscard]] py::array_t<bool> bool_array(const std::vector<bool>& v);

/// A units × columns table as (units, column names, float64 array in column-major order): what
/// every check's `inputs` gives Python, copied (such tables are small).
[[nodiscard]] std::tuple<std::vector<std::string>, std::vector<std::string>, py::array_t<double>> table_tuple(
    const rectify::table& t);

/// A Python progress callable (progress(done, total)) as the library's progress callback. The
/// library calls it only from the thread that called the library, the Python thread that released
/// the GIL here, so taking the GIL back there is safe; the workers never touch Python. A pending
/// signal (Ctrl-C in a terminal or a notebook's interrupt: PyErr_CheckSignals runs the handler)
/// or an exception the callable raises stops the work, and pybind11 re-raises it as it was once
/// the library has stopped its threads; a false result cancels (rectify.cancelled), anything else
/// continues.
[[nodiscard]] progress_callback progress_of(const std::optional<py::function>& f);

/// A record table as Python gave it: a file to read later (with the GIL released), or a table
/// already built in memory.
struct table_input {
  bool from_file = false;
  std::string path;
  io::text_table table;
};

/// How the cells of an in-memory table are taken.
struct table_cells {
  std::string_view untrimmed;    ///< a column kept exactly (documents' `text`), "" for none
  bool pass_surrogates = false;  ///< lone surrogates reach the library as bytes, for its UTF-8 check
};

/// `spec` is a path (str) or (source, header, columns): one list of str per column, all of one
/// length. Anything else is a usage error of the private API (the Python layer builds these).
[[nodiscard]] table_input take_table(const py::handle& spec, const table_cells& cells = {});

/// Marks a NumPy array read-only: views into C++ results must not be written through, since
/// `to_json` and `explain` read the same memory.
py::array readonly(py::array a);

}  // namespace rectify::python
