// Record tables handed over from Python: shared by the compliance and text bindings, so that a
// DataFrame becomes the same text table, with the same checks, whichever check reads it.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.hpp"

namespace rectify::python {

std::string_view trimmed(std::string_view s) noexcept {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

namespace {

// UTF-8 of a str cell. A str holding a lone surrogate has no UTF-8; with `pass_surrogates` it is
// encoded with "surrogatepass" instead, so that the library itself refuses it naming the cell
// (the documents' reader checks UTF-8), rather than Python raising a UnicodeEncodeError that
// names nothing.
std::string_view utf8_of(PyObject* cell, bool pass_surrogates, std::vector<py::bytes>& keep) {
  Py_ssize_t size = 0;
  // UTF-8 cached inside the str object: a view, no copy until add_row.
  if (const char* text = PyUnicode_AsUTF8AndSize(cell, &size)) return {text, static_cast<std::size_t>(size)};
  if (!pass_surrogates) throw py::error_already_set();
  PyErr_Clear();
  PyObject* raw = PyUnicode_AsEncodedString(cell, "utf-8", "surrogatepass");
  if (raw == nullptr) throw py::error_already_set();
  keep.push_back(py::reinterpret_steal<py::bytes>(raw));
  char* data = nullptr;
  if (PyBytes_AsStringAndSize(raw, &data, &size) != 0) throw py::error_already_set();
  return {data, static_cast<std::size_t>(size)};
}

}  // namespace

py::array_t<bool> bool_array(const std::vector<bool>& v) {
  py::array_t<bool> out(static_cast<py::ssize_t>(v.size()));
  auto* data = out.mutable_data();
  for (std::size_t i = 0; i < v.size(); ++i) data[i] = v[i];
  return out;
}

std::tuple<std::vector<std::string>, std::vector<std::string>, py::array_t<double>> table_tuple(
    const rectify::table& t) {
  const auto n = static_cast<py::ssize_t>(t.values.rows());
  const auto k = static_cast<py::ssize_t>(t.values.cols());
  constexpr auto size = static_cast<py::ssize_t>(sizeof(double));
  py::array_t<double> values({n, k}, {size, n * size});
  std::copy(t.values.data(), t.values.data() + t.values.size(), values.mutable_data());
  return {t.units, t.columns, values};
}

progress_callback progress_of(const std::optional<py::function>& f) {
  if (!f) return {};
  // The library may copy the std::function with the GIL released: share one reference, dropped
  // with the GIL held.
  std::shared_ptr<py::function> held(new py::function(*f), [](py::function* p) {
    const py::gil_scoped_acquire gil;
    delete p;
  });
  return [held](std::size_t done, std::size_t total) {
    const py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    const py::object result = (*held)(done, total);
    const int go_on = PyObject_IsTrue(result.ptr());
    if (go_on < 0) throw py::error_already_set();
    return go_on == 1;
  };
}

table_input take_table(const py::handle& spec, const table_cells& cells) {
  table_input in;
  if (py::isinstance<py::str>(spec)) {
    in.from_file = true;
    in.path = spec.cast<std::string>();
    return in;
  }
  if (!py::isinstance<py::tuple>(spec) || py::len(spec) != 3)
    throw py::type_error("a table is a path or a (source, header, columns) tuple");
  auto t = spec.cast<py::tuple>();
  auto source = t[0].cast<std::string>();
  auto header = t[1].cast<std::vector<std::string>>();
  for (auto& h : header) h = std::string(trimmed(h));
  auto columns = t[2].cast<py::list>();
  if (columns.size() != header.size())
    throw py::value_error(std::to_string(columns.size()) + " columns for " + std::to_string(header.size()) + " names");
  std::vector<PyObject*> cols;
  std::vector<bool> keep_spaces;
  cols.reserve(columns.size());
  std::size_t rows = 0;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    PyObject* c = columns[j].ptr();
    if (!PyList_Check(c)) throw py::type_error("every column must be a list of str");
    const auto n = static_cast<std::size_t>(PyList_GET_SIZE(c));
    if (j == 0) rows = n;
    if (n != rows) throw py::value_error("columns of different lengths");
    cols.push_back(c);
    keep_spaces.push_back(!cells.untrimmed.empty() && header[j] == cells.untrimmed);
  }
  in.table = io::text_table(std::move(source), std::move(header));
  std::vector<std::string_view> row(cols.size());
  std::vector<py::bytes> keep;
  for (std::size_t i = 0; i < rows; ++i) {
    keep.clear();
    for (std::size_t j = 0; j < cols.size(); ++j) {
      PyObject* cell = PyList_GET_ITEM(cols[j], static_cast<Py_ssize_t>(i));
      if (!PyUnicode_Check(cell)) throw py::type_error("every cell must be a str");
      const auto text = utf8_of(cell, cells.pass_surrogates, keep);
      row[j] = keep_spaces[j] ? text : trimmed(text);
    }
    in.table.add_row(row);
  }
  return in;
}

}  // namespace rectify::python
