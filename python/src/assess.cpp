// Bindings of the assessment engine: schemes (checked, parsed, compiled into plans) and
// scoring. The Python layer (rectify/_scheme.py, rectify/_result.py) owns everything
// user-facing; these functions take already-normalised arguments.
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "rectify/assess/engine.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/results.hpp"
#include "rectify/io/scheme_json.hpp"

namespace rectify::python {

namespace {

using assess::plan;

/// A scored cohort and everything it was scored from. `view` points into `units` (or into
/// `owned`, for a CSV read in C++) and into the NumPy arrays in `keep`, which hold the caller's
/// float64 columns alive: `explain` and `to_json` read the scored data again.
struct scored {
  std::shared_ptr<const plan> compiled;
  std::vector<std::string> units;
  std::shared_ptr<const rectify::table> owned;
  table_view view;
  py::list keep;
  assess::result result;
};

std::optional<double> finite_or_none(double v) {
  if (v == std::numeric_limits<double>::infinity() || v == -std::numeric_limits<double>::infinity())
    return std::nullopt;
  return v;
}

// A one-dimensional view of C++ memory whose base keeps `owner` (the Python object of the
// holder) alive. Read-only: the result is shared by every view and by `to_json`.
template <class T>
py::array vector_view(const T* data, Eigen::Index n, py::handle owner) {
  return readonly(py::array_t<T>({static_cast<py::ssize_t>(n)}, {static_cast<py::ssize_t>(sizeof(T))}, data, owner));
}

// Takes one input column as it is: a float64 array (any stride) is viewed, never converted.
// The Python layer converts everything else before calling; getting anything else here is a
// bug there, so it is a TypeError rather than a rectify error.
column_view column_of(const std::string& name, py::handle h, std::size_t rows) {
  if (!py::isinstance<py::array>(h) || !py::array_t<double, 0>::check_(h)) {
    const std::string got =
        py::isinstance<py::array>(h)
            ? "an array of " + py::str(py::reinterpret_borrow<py::array>(h).dtype()).cast<std::string>()
            : py::repr(py::type::handle_of(h)).cast<std::string>();
    throw py::type_error("column " + rectify::quoted(name) + " must be a native-endian float64 NumPy array, not " +
                         got);
  }
  auto a = py::reinterpret_borrow<py::array>(h);
  if (a.ndim() != 1) throw py::value_error("column " + rectify::quoted(name) + " must be one-dimensional");
  if (static_cast<std::size_t>(a.shape(0)) != rows)
    throw py::value_error("column " + rectify::quoted(name) + " has " + std::to_string(a.shape(0)) + " values for " +
                          std::to_string(rows) + " units");
  const auto* data = static_cast<const double*>(a.data());
  const py::ssize_t bytes = a.strides(0);
  if (rows > 0 && (bytes % static_cast<py::ssize_t>(sizeof(double)) != 0 ||
                   reinterpret_cast<std::uintptr_t>(data) % alignof(double) != 0))
    throw py::value_error("column " + rectify::quoted(name) + " is not aligned to whole doubles");
  return column_view{name, data, static_cast<std::ptrdiff_t>(bytes / static_cast<py::ssize_t>(sizeof(double)))};
}

std::shared_ptr<scored> score_arrays(std::shared_ptr<const plan> p, std::vector<std::string> units,
                                     const std::vector<std::string>& names, const py::sequence& columns, bool nodes) {
  if (names.size() != py::len(columns))
    throw py::value_error("got " + std::to_string(names.size()) + " column names for " +
                          std::to_string(py::len(columns)) + " columns");
  auto s = std::make_shared<scored>();
  s->compiled = std::move(p);
  s->units = std::move(units);
  std::unordered_set<std::string_view> seen;
  std::vector<column_view> cols;
  cols.reserve(names.size());
  for (std::size_t j = 0; j < names.size(); ++j) {
    if (!seen.insert(names[j]).second) throw py::value_error("column " + rectify::quoted(names[j]) + " is given twice");
    py::object c = columns[j];
    cols.push_back(column_of(names[j], c, s->units.size()));
    s->keep.append(c);
  }
  s->view.units = s->units;
  s->view.columns = std::move(cols);
  assess::score_options opt;
  opt.nodes = nodes;
  {
    py::gil_scoped_release release;
    s->result = assess::score(*s->compiled, s->view, opt);
  }
  return s;
}

std::shared_ptr<scored> score_csv(std::shared_ptr<const plan> p, const std::string& path, const std::string& encoding,
                                  bool nodes) {
  auto s = std::make_shared<scored>();
  s->compiled = std::move(p);
  assess::score_options opt;
  opt.nodes = nodes;
  {
    py::gil_scoped_release release;
    io::csv_options copt;
    copt.encoding = encoding;
    s->owned = std::make_shared<const rectify::table>(io::read_units_csv_file(path, copt));
    s->view = s->owned->view();
    s->result = assess::score(*s->compiled, s->view, opt);
  }
  return s;
}

template <class Op>
py::list ids_of(const std::vector<Op>& ops) {
  py::list out;
  for (const auto& o : ops) out.append(o.id);
  return out;
}

py::list count_items(const std::vector<assess::count_op>& ops, const plan& p) {
  py::list out;
  for (const auto& c : ops)
    out.append(py::make_tuple(c.id, c.name, p.inputs[static_cast<std::size_t>(c.input)], c.per, finite_or_none(c.cap)));
  return out;
}

// (node id, path, method, points, child ids, weights or None, lambda_max, ci, cr,
// units, equal_fallback) of each group of derived weights; None where a value does not apply.
py::list derived_list(const std::vector<assess::derived_weights>& groups, const plan& p) {
  py::list out;
  for (const auto& d : groups) {
    const bool ahp = d.method == assess::weights_method::ahp;
    py::list children;
    for (int c : d.children) children.append(p.nodes[static_cast<std::size_t>(c)].id);
    py::object weights = py::none();
    if (d.derived()) weights = py::cast(std::vector<double>(d.weights.data(), d.weights.data() + d.weights.size()));
    auto opt = [&](double v) { return ahp ? py::object(py::float_(v)) : py::object(py::none()); };
    const std::string& node = p.nodes[static_cast<std::size_t>(d.node)].id;
    py::object units = ahp || !d.derived() ? py::object(py::none()) : py::object(py::int_(d.units));
    py::object fallback = ahp || !d.derived() ? py::object(py::none()) : py::object(py::bool_(d.equal_fallback));
    out.append(py::make_tuple(node, d.path, assess::to_string(d.method), d.points, children, weights, opt(d.lambda_max),
                              opt(d.ci), opt(d.cr), units, fallback));
  }
  return out;
}

// A table of float64 columns viewed in place (see column_of), for the cohort functions.
table_view view_of(const std::vector<std::string>& units, const std::vector<std::string>& names,
                   const py::sequence& columns) {
  if (names.size() != py::len(columns))
    throw py::value_error("got " + std::to_string(names.size()) + " column names for " +
                          std::to_string(py::len(columns)) + " columns");
  table_view v;
  v.units = units;
  std::unordered_set<std::string_view> seen;
  for (std::size_t j = 0; j < names.size(); ++j) {
    if (!seen.insert(names[j]).second) throw py::value_error("column " + rectify::quoted(names[j]) + " is given twice");
    v.columns.push_back(column_of(names[j], columns[j], units.size()));
  }
  return v;
}

// (weights, units, equal_fallback) of every group of derived weights, in plan order: what
// `with_weights` needs to rebuild them on another process (Python floats carry doubles exactly).
using weights_state = std::vector<std::tuple<std::vector<double>, std::size_t, bool>>;

weights_state state_of(const std::vector<assess::derived_weights>& groups) {
  weights_state out;
  for (const auto& d : groups)
    out.emplace_back(std::vector<double>(d.weights.data(), d.weights.data() + d.weights.size()), d.units,
                     d.equal_fallback);
  return out;
}

// Result rows viewed as int32 NumPy arrays owning a copy.
py::array_t<std::int32_t> int_array(const Eigen::VectorXi& v) {
  py::array_t<std::int32_t> a(static_cast<py::ssize_t>(v.size()));
  std::copy(v.data(), v.data() + v.size(), a.mutable_data());
  return a;
}

}  // namespace

void init_assess(py::module_& m) {
  m.def(
      "check_scheme",
      [](const std::string& text, const std::string& source) {
        py::gil_scoped_release release;
        return io::check_scheme(text, source);
      },
      py::arg("text"), py::arg("source") = "",
      "Every problem of a scheme text (syntax, structure, semantics); empty when valid. The GIL is released.");

  m.def(
      "parse_scheme",
      [](const std::string& text, const std::string& source) {
        io::scheme_read r;
        {
          py::gil_scoped_release release;
          r = io::parse_scheme(text, source);
        }
        return std::make_tuple(r.scheme.id, r.scheme.name, r.problems);
      },
      py::arg("text"), py::arg("source") = "",
      "(id, name, syntax and structure problems) of a scheme text, as far as it could be read.");

  py::class_<plan, std::shared_ptr<plan>>(m, "Plan", "A validated, compiled scheme.")
      .def(py::init([](const std::string& text, const std::string& source) {
             py::gil_scoped_release release;
             return std::make_shared<plan>(assess::compile(io::load_scheme(text, source)));
           }),
           py::arg("text"), py::arg("source") = "")
      .def_readonly("id", &plan::id)
      .def_readonly("name", &plan::name)
      .def_readonly("total", &plan::total)
      .def_property_readonly("missing", [](const plan& p) { return std::string(assess::to_string(p.missing)); })
      .def_readonly("inputs", &plan::inputs)
      .def_property_readonly("input_is_count",
                             [](const plan& p) {
                               py::list out;
                               for (auto c : p.input_is_count) out.append(py::bool_(c != 0));
                               return out;
                             })
      .def_property_readonly(
          "nodes",
          [](const plan& p) {
            py::list out;
            for (const auto& n : p.nodes) {
              py::object input = py::none(), rule = py::none();
              if (n.leaf >= 0) {
                const auto& op = p.leaves[static_cast<std::size_t>(n.leaf)];
                if (op.has_rule) {
                  input = py::str(p.inputs[static_cast<std::size_t>(op.input)]);
                  rule = py::str(assess::to_string(op.type));
                }
              }
              py::object parent = n.parent < 0 ? py::object(py::none())
                                               : py::object(py::str(p.nodes[static_cast<std::size_t>(n.parent)].id));
              out.append(py::make_tuple(n.id, n.name, parent, n.leaf >= 0, n.points, rule, input, n.path));
            }
            return out;
          },
          "(id, name, parent id or None, is_leaf, points, rule type or None, rule input or None, "
          "JSON pointer) of every node, in pre-order.")
      .def_property_readonly("leaf_count", [](const plan& p) { return p.leaves.size(); })
      .def_property_readonly(
          "grades",
          [](const plan& p) {
            py::list out;
            for (const auto& g : p.grades)
              out.append(py::make_tuple(g.name, finite_or_none(g.min),
                                        g.quota > 0 ? py::object(py::float_(g.quota)) : py::object(py::none())));
            return out;
          })
      .def_property_readonly(
          "vetoes",
          [](const plan& p) {
            py::list out;
            for (const auto& v : p.vetoes)
              out.append(py::make_tuple(v.id, v.name, p.inputs[static_cast<std::size_t>(v.input)], v.above,
                                        p.grades[static_cast<std::size_t>(v.max_grade)].name));
            return out;
          })
      .def_property_readonly("bonus", [](const plan& p) { return count_items(p.bonus, p); })
      .def_property_readonly("bonus_cap", [](const plan& p) { return finite_or_none(p.bonus_cap); })
      .def_property_readonly("penalties", [](const plan& p) { return count_items(p.penalties, p); })
      .def_property_readonly("veto_ids", [](const plan& p) { return ids_of(p.vetoes); })
      .def_property_readonly(
          "derived", [](const plan& p) { return derived_list(p.derived, p); },
          "(node id, path, method, points, child ids, weights or None until scored, "
          "lambda_max, ci, cr, units, equal_fallback) of every node that derives its children's weights.")
      .def_property_readonly("needs_cohort", &plan::needs_cohort,
                             "Some weights come from the cohort scored and are not derived yet.")
      .def_property_readonly(
          "cohort_inputs",
          [](const plan& p) {
            std::vector<std::string> out;
            for (int j : assess::cohort_inputs(p)) out.push_back(p.inputs[static_cast<std::size_t>(j)]);
            return out;
          },
          "The inputs the cohort's weights are derived from, in the order of Plan.inputs.");

  m.def(
      "derive_weights",
      [](const plan& p, const std::vector<std::string>& units, const std::vector<std::string>& names,
         const py::sequence& columns) {
        table_view v = view_of(units, names, columns);
        std::vector<problem> problems;
        std::vector<assess::derived_weights> groups;
        {
          py::gil_scoped_release release;
          groups = assess::derive_weights(p, v, problems);
        }
        return std::make_tuple(state_of(groups), problems);
      },
      py::arg("plan"), py::arg("units"), py::arg("names"), py::arg("columns"),
      "(state, problems): the derived weights of every group of `plan` from the cohort's columns, as "
      "(weights, units, equal_fallback) per group for with_weights, and the problems `score` would raise "
      "after the data's own (a group in `problems` has equal weights). The GIL is released.");
  m.def(
      "with_weights",
      [](const plan& p, const weights_state& state) {
        if (state.size() != p.derived.size())
          throw py::value_error("got " + std::to_string(state.size()) + " groups of weights for a plan with " +
                                std::to_string(p.derived.size()));
        std::vector<assess::derived_weights> groups = p.derived;
        for (std::size_t g = 0; g < state.size(); ++g) {
          const auto& w = std::get<0>(state[g]);
          groups[g].weights = Eigen::Map<const Eigen::VectorXd>(w.data(), static_cast<Eigen::Index>(w.size()));
          groups[g].units = std::get<1>(state[g]);
          groups[g].equal_fallback = std::get<2>(state[g]);
        }
        return std::make_shared<plan>(assess::with_weights(p, groups));
      },
      py::arg("plan"), py::arg("state"), "`plan` with the weights of derive_weights' state put in.");
  m.def(
      "rank_and_grade",
      [](const plan& p, const py::array_t<double, py::array::c_style | py::array::forcecast>& score,
         const py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>& veto_ceiling) {
        if (score.ndim() != 1 || veto_ceiling.ndim() != 1)
          throw py::value_error("score and veto_ceiling must be one-dimensional");
        Eigen::Map<const Eigen::VectorXd> s(score.data(), static_cast<Eigen::Index>(score.shape(0)));
        Eigen::Map<const Eigen::VectorXi> c(veto_ceiling.data(), static_cast<Eigen::Index>(veto_ceiling.shape(0)));
        Eigen::VectorXi band, grade, rank;
        {
          py::gil_scoped_release release;
          assess::rank_and_grade(p, s, c, band, grade, rank);
        }
        return std::make_tuple(int_array(band), int_array(grade), int_array(rank));
      },
      py::arg("plan"), py::arg("score"), py::arg("veto_ceiling"),
      "(band, grade, rank) as int32 arrays: the cohort pass of `score` over the scores and veto ceilings of "
      "a whole cohort (e.g. gathered from Dask partitions). The GIL is released.");

  m.def("score", &score_arrays, py::arg("plan"), py::arg("units"), py::arg("names"), py::arg("columns"),
        py::arg("nodes") = true,
        "Scores `units` (unique ids) from float64 columns, viewing each array in place (any stride). "
        "The GIL is released while scoring.");
  m.def("score_csv", &score_csv, py::arg("plan"), py::arg("path"), py::arg("encoding") = "utf-8",
        py::arg("nodes") = true,
        "Reads a unit CSV with the C++ reader and scores it; errors name file:line:column as the CLI's do.");

  py::class_<scored, std::shared_ptr<scored>>(m, "Result", "A scored cohort (wrapped by rectify.Result).")
      .def_property_readonly(
          "units", [](const scored& s) { return std::vector<std::string>(s.view.units.begin(), s.view.units.end()); })
      .def_property_readonly("plan", [](const scored& s) { return std::const_pointer_cast<plan>(s.compiled); })
      .def_property_readonly("size", [](const scored& s) { return s.result.size(); })
      .def_property_readonly("score",
                             [](py::object self) {
                               auto& s = self.cast<scored&>();
                               return vector_view(s.result.score.data(), s.result.score.size(), self);
                             })
      .def_property_readonly("base",
                             [](py::object self) {
                               auto& s = self.cast<scored&>();
                               return vector_view(s.result.base.data(), s.result.base.size(), self);
                             })
      .def_property_readonly("bonus",
                             [](py::object self) {
                               auto& s = self.cast<scored&>();
                               return vector_view(s.result.bonus.data(), s.result.bonus.size(), self);
                             })
      .def_property_readonly("penalty",
                             [](py::object self) {
                               auto& s = self.cast<scored&>();
                               return vector_view(s.result.penalty.data(), s.result.penalty.size(), self);
                             })
      .def_property_readonly("band",
                             [](py::object self) {
                               auto& s = self.cast<scored&>();
                               return vector_view(s.result.band.data(), s.result.band.size(), self);
                             })
      .def_property_readonly("grade",
                             [](py::object self) {
                               auto& s = self.cast<scored&>();
                               return vector_view(s.result.grade.data(), s.result.grade.size(), self);
                             })
      .def_property_readonly("rank",
                             [](py::object self) {
                               auto& s = self.cast<scored&>();
                               return vector_view(s.result.rank.data(), s.result.rank.size(), self);
                             })
      .def_property_readonly(
          "nodes",
          [](py::object self) {
            auto& s = self.cast<scored&>();
            const auto n = static_cast<py::ssize_t>(s.result.size());
            const auto k = static_cast<py::ssize_t>(s.result.nodes.cols());
            // Column-major units × nodes, as Eigen keeps it: no copy, the holder stays alive.
            return readonly(py::array_t<double>(
                {n, k}, {static_cast<py::ssize_t>(sizeof(double)), n * static_cast<py::ssize_t>(sizeof(double))},
                s.result.nodes.data(), self));
          },
          "Earned points, units × nodes (pre-order), NaN for dropped nodes; shape (n, 0) when scored "
          "without nodes. A read-only view of the C++ result.")
      .def_property_readonly(
          "veto_ceiling", [](const scored& s) { return int_array(assess::veto_ceiling(*s.compiled, s.result)); },
          "int32: the grade each unit's vetoes cap it at (the worst max_grade of those that fired), 0 for none.")
      .def_property_readonly(
          "derived", [](const scored& s) { return derived_list(s.result.derived, *s.compiled); },
          "Plan.derived with the weights the cohort was scored with.")
      .def("vetoes",
           [](const scored& s) {
             py::list out;
             for (std::size_t i = 0; i < s.result.size(); ++i) {
               py::list u;
               for (int v : s.result.vetoes(i)) u.append(s.compiled->vetoes[static_cast<std::size_t>(v)].id);
               out.append(u);
             }
             return out;
           })
      .def("missing",
           [](const scored& s) {
             py::list out;
             for (std::size_t i = 0; i < s.result.size(); ++i) {
               py::list u;
               for (int k : s.result.missing(i)) u.append(s.compiled->inputs[static_cast<std::size_t>(k)]);
               out.append(u);
             }
             return out;
           })
      .def(
          "explain",
          [](const scored& s, std::size_t unit, std::string_view lang) {
            auto items = assess::explain(*s.compiled, s.view, s.result, unit, parse_lang(lang));
            py::list out;
            for (const auto& it : items) out.append(py::make_tuple(it.node, it.points, it.why));
            return out;
          },
          py::arg("unit"), py::arg("lang") = "zh", "(node, points, why) of every lost point of unit number `unit`.")
      .def(
          "to_json",
          [](const scored& s, std::string_view lang) {
            auto l = parse_lang(lang);
            std::string out;
            {
              py::gil_scoped_release release;
              out = io::result_json(*s.compiled, s.view, s.result, l);
            }
            return out;
          },
          py::arg("lang") = "zh")
      .def("to_csv",
           [](const scored& s) {
             std::string out;
             {
               py::gil_scoped_release release;
               out = io::result_csv(*s.compiled, s.view, s.result);
             }
             return out;
           })
      .def(
          "lost_csv",
          [](const scored& s, std::string_view lang) {
            auto l = parse_lang(lang);
            std::string out;
            {
              py::gil_scoped_release release;
              out = io::lost_csv(*s.compiled, s.view, s.result, l);
            }
            return out;
          },
          py::arg("lang") = "zh")
      .def(
          "to_table",
          [](const scored& s, bool explain, std::string_view lang) {
            auto l = parse_lang(lang);
            std::string out;
            {
              py::gil_scoped_release release;
              out = io::result_table(*s.compiled, s.view, s.result, explain, l);
            }
            return out;
          },
          py::arg("explain") = false, py::arg("lang") = "zh")
      .def(
          "_column_address",
          [](const scored& s, const std::string& name) -> py::object {
            auto j = s.view.find(name);
            if (j < 0) return py::none();
            const auto& c = s.view.columns[static_cast<std::size_t>(j)];
            return py::make_tuple(reinterpret_cast<std::uintptr_t>(c.data), c.stride);
          },
          py::arg("name"), "(address, stride in doubles) of the column that was scored, for tests.");
}

}  // namespace rectify::python
