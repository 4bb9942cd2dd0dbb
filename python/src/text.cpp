// Bindings of copy detection (rectify::text: normalisation, near-duplicate documents). The Python
// layer (rectify/text.py, rectify/_text.py) owns everything user-facing: it chooses between a
// DataFrame, a folder and a CSV file, decides whether a template is text or a file, and builds
// the DataFrames from the columns returned here.
//
// Documents arrive either as a path (a folder or a CSV file, read by io::read_documents with the
// GIL released, so errors name the file) or as (source, header, columns) built from a DataFrame:
// its cells are copied into an io::text_table while the GIL is held (they are Python objects) and
// read by io::read_documents_csv, so a frame gets the same checks and errors as a CSV file, naming
// `DataFrame:row N:column`. Everything else runs with the GIL released, on data no Python object
// can reach, so any number of Python threads may compare at once.
#include <pybind11/stl.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "rectify/core/error.hpp"
#include "rectify/core/table.hpp"
#include "rectify/io/documents.hpp"
#include "rectify/io/records.hpp"
#include "rectify/text/normalize.hpp"
#include "rectify/text/similar.hpp"

namespace rectify::python {

namespace {

// Reads a template file whole; runs without the GIL.
std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::string message = "cannot open ";
    message += rectify::quoted(path);
    message += ": ";
    message += std::strerror(errno);
    rectify::raise("rectify.io.open", "", std::move(message), path);
  }
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) {
    std::string message = "cannot read ";
    message += rectify::quoted(path);
    rectify::raise("rectify.io.open", "", std::move(message), path);
  }
  return bytes;
}

// Code points before byte `offset` of UTF-8 text: Python indexes a str by code points, so a
// passage's byte range becomes a slice of the str the user gave. Counts the bytes that do not
// continue a sequence.
std::size_t char_index(std::string_view text, std::size_t offset) noexcept {
  std::size_t n = 0;
  const auto end = std::min(offset, text.size());
  for (std::size_t i = 0; i < end; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) ++n;
  return n;
}

// A str from UTF-8 that the library has validated; `replace` only guards against a passage cut
// inside a character, which the byte maps never do.
py::str str_of(std::string_view s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

// Bytes [begin, end) of a document, clamped so that a bad range can never read past the text.
std::string_view slice(std::string_view text, std::size_t begin, std::size_t end) noexcept {
  begin = std::min(begin, text.size());
  end = std::clamp(end, begin, text.size());
  return text.substr(begin, end - begin);
}

std::size_t count_of(std::int64_t v, const char* what) {
  if (v < 0) {
    std::string message(what);
    message += ": ";
    message += std::to_string(v);
    message += " is negative";
    rectify::raise("rectify.text.bad_option", "", std::move(message));
  }
  return static_cast<std::size_t>(v);
}

struct similar_out {
  std::vector<text::document> docs;
  text::similar_report report;
  rectify::table inputs;
};

py::dict similar_columns(const similar_out& out) {
  const auto& r = out.report;
  const auto& docs = out.docs;
  py::dict d;
  d["bands"] = r.bands;
  d["rows"] = r.rows;
  d["candidates"] = r.candidates;
  d["threshold"] = r.options.threshold;
  d["k"] = r.options.k;
  d["hashes"] = r.options.hashes;
  d["min_passage"] = r.options.min_passage;
  d["max_passages"] = r.options.max_passages;
  d["same_unit"] = r.options.same_unit;
  d["threads"] = r.options.threads;

  const std::size_t n = docs.size();
  std::vector<std::int64_t> shingles(n, 0);
  std::vector<bool> too_short(n, false), copied(n, false);
  for (std::size_t i = 0; i < n && i < r.shingles.size(); ++i) shingles[i] = static_cast<std::int64_t>(r.shingles[i]);
  for (auto i : r.too_short)
    if (i < n) too_short[i] = true;
  py::list unit, title, source;
  for (const auto& doc : docs) {
    unit.append(doc.unit);
    title.append(doc.title);
    source.append(doc.source);
  }

  const std::size_t np = r.pairs.size();
  std::vector<std::int64_t> a(np), b(np), shared(np);
  std::vector<double> jaccard(np), a_in_b(np), b_in_a(np);
  py::list passages, longest;
  for (std::size_t i = 0; i < np; ++i) {
    const auto& p = r.pairs[i];
    copied[p.a] = copied[p.b] = true;
    a[i] = static_cast<std::int64_t>(p.a);
    b[i] = static_cast<std::int64_t>(p.b);
    shared[i] = static_cast<std::int64_t>(p.shared);
    jaccard[i] = p.jaccard;
    a_in_b[i] = p.a_in_b;
    b_in_a[i] = p.b_in_a;
    const std::string_view ta = docs[p.a].text;
    const std::string_view tb = docs[p.b].text;
    py::list ps;
    for (const auto& s : p.passages) {
      py::dict e;
      e["chars"] = s.chars;
      e["a_begin"] = s.a_begin;
      e["a_end"] = s.a_end;
      e["b_begin"] = s.b_begin;
      e["b_end"] = s.b_end;
      e["a_char_begin"] = char_index(ta, s.a_begin);
      e["a_char_end"] = char_index(ta, s.a_end);
      e["b_char_begin"] = char_index(tb, s.b_begin);
      e["b_char_end"] = char_index(tb, s.b_end);
      e["a_text"] = str_of(slice(ta, s.a_begin, s.a_end));
      e["b_text"] = str_of(slice(tb, s.b_begin, s.b_end));
      ps.append(std::move(e));
    }
    // Passages come longest first: the first one's text is what a reviewer reads first.
    if (ps.empty())
      longest.append(py::none());
    else
      longest.append(ps[0]["a_text"]);
    passages.append(std::move(ps));
  }

  py::dict dd;
  dd["unit"] = unit;
  dd["doc"] = title;
  dd["source"] = source;
  dd["shingles"] = array_of(shingles);
  dd["too_short"] = bool_array(too_short);
  dd["copied"] = bool_array(copied);
  d["documents"] = dd;

  py::dict pd;
  pd["a"] = array_of(a);
  pd["b"] = array_of(b);
  pd["jaccard"] = array_of(jaccard);
  pd["a_in_b"] = array_of(a_in_b);
  pd["b_in_a"] = array_of(b_in_a);
  pd["shared"] = array_of(shared);
  pd["passage"] = longest;
  pd["passages"] = passages;
  d["pairs"] = pd;

  d["inputs"] = table_tuple(out.inputs);
  return d;
}

py::dict similar(const py::object& docs_spec, double threshold, const std::optional<py::bytes>& template_text,
                 const std::optional<std::string>& template_path, std::int64_t k, std::int64_t hashes,
                 std::int64_t min_passage, std::int64_t max_passages, bool same_unit, std::int64_t threads,
                 const std::string& encoding, const std::optional<py::function>& progress) {
  // The unit and doc cells are trimmed as the CSV reader trims them; the text is kept exactly,
  // so that passage offsets index the frame's own strings.
  table_input in = take_table(docs_spec, {.untrimmed = "text", .pass_surrogates = true});
  text::similar_options opt;
  opt.threshold = threshold;
  opt.k = count_of(k, "k");
  opt.hashes = count_of(hashes, "hashes");
  opt.min_passage = count_of(min_passage, "min_passage");
  opt.max_passages = count_of(max_passages, "max_passages");
  opt.same_unit = same_unit;
  opt.progress = progress_of(progress);
  const auto nthreads = count_of(threads, "threads");
  if (nthreads > std::numeric_limits<unsigned>::max()) {
    std::string message = "threads: ";
    message += std::to_string(threads);
    message += " is too many";
    rectify::raise("rectify.text.bad_option", "", std::move(message));
  }
  opt.threads = static_cast<unsigned>(nthreads);
  if (template_text) opt.template_text = std::string(*template_text);
  io::csv_options csv;
  csv.encoding = encoding;

  similar_out out;
  {
    py::gil_scoped_release release;
    if (template_path) opt.template_text = read_file(*template_path);
    // find_similar has no name for the template; normalising it here first makes a template
    // that is not UTF-8 fail naming its file (or `template`) and line:column.
    if (!opt.template_text.empty())
      (void)text::normalize(opt.template_text, template_path ? std::string_view(*template_path) : "template");
    out.docs = in.from_file ? io::read_documents(in.path, csv) : io::read_documents_csv(in.table);
    out.report = text::find_similar(out.docs, opt);
    out.inputs = text::inputs(out.report, out.docs);
  }
  return similar_columns(out);
}

std::string normalized_text(const py::bytes& utf8, const std::string& source) {
  const std::string bytes(utf8);
  std::string out;
  {
    py::gil_scoped_release release;
    out = text::to_utf8(text::normalize(bytes, source).chars);
  }
  return out;
}

}  // namespace

void init_text(py::module_& m) {
  m.def("text_similar", &similar, py::arg("docs"), py::arg("threshold") = 0.5, py::arg("template_text") = py::none(),
        py::arg("template_path") = py::none(), py::arg("k") = 5, py::arg("hashes") = 128, py::arg("min_passage") = 20,
        py::arg("max_passages") = 5, py::arg("same_unit") = false, py::arg("threads") = 0,
        py::arg("encoding") = "utf-8", py::arg("progress") = py::none(),
        "Finds near-duplicate documents (a folder or CSV path, or (source, header, columns)); returns a dict of "
        "columns. progress(done, total), if given, is called with the GIL (documents; a false result or an "
        "exception cancels).");
  m.def("text_normalize", &normalized_text, py::arg("utf8"), py::arg("source") = "",
        "The characters kept for comparison of UTF-8 text, as a str.");
}

}  // namespace rectify::python
