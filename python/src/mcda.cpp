// Bindings of the MCDA methods (rectify::mcda). The Python layer (rectify/mcda/) owns everything
// user-facing: it turns DataFrames, criterion types given as words or dicts, and weights by
// column name into the plain arguments taken here. A decision matrix arrives as a native float64
// NumPy array with unit inner stride (a float64 DataFrame's `to_numpy()` is one) and is viewed in
// place, never copied; the GIL is released around every computation.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "rectify/core/error.hpp"
#include "rectify/mcda/aggregate.hpp"
#include "rectify/mcda/correlation.hpp"
#include "rectify/mcda/normalize.hpp"
#include "rectify/mcda/rank.hpp"
#include "rectify/mcda/robustness.hpp"
#include "rectify/mcda/weights.hpp"

namespace rectify::python {

namespace {

using namespace rectify::mcda;

using strided_matrix = Eigen::Map<const Eigen::MatrixXd, 0, Eigen::OuterStride<>>;

// Views a 2-D float64 array whose rows are contiguous within a column (Fortran order, or a
// column subset of one) as an Eigen matrix. The Python layer passes nothing else; anything
// else here is a bug there, hence a TypeError rather than a rectify error, and never a silent
// copy (pybind11's own Eigen::Ref caster would copy a C-ordered array without saying so).
strided_matrix matrix_of(const py::array& a, const char* what) {
  if (!py::array_t<double, 0>::check_(a))
    throw py::type_error(std::string(what) + " must be a native-endian float64 NumPy array, not an array of " +
                         py::str(a.dtype()).cast<std::string>());
  if (a.ndim() != 2)
    throw py::value_error(std::string(what) + " must be two-dimensional, not " + std::to_string(a.ndim()) +
                          "-dimensional");
  const auto rows = static_cast<Eigen::Index>(a.shape(0));
  const auto cols = static_cast<Eigen::Index>(a.shape(1));
  constexpr auto size = static_cast<py::ssize_t>(sizeof(double));
  const auto* data = static_cast<const double*>(a.data());
  // A dimension of length <= 1 never steps, so NumPy may give it any stride (an empty matrix
  // too); C++ then refuses an empty matrix with its own message.
  const bool inner_ok = rows <= 1 || a.strides(0) == size;
  const bool no_step = cols <= 1 || rows == 0;
  const bool outer_ok = no_step || (a.strides(1) > 0 && a.strides(1) % size == 0);
  if (!inner_ok || !outer_ok || reinterpret_cast<std::uintptr_t>(data) % alignof(double) != 0)
    throw py::value_error(std::string(what) +
                          " must be column-major (Fortran-ordered) with aligned, contiguous columns; "
                          "pass numpy.asfortranarray(x)");
  const Eigen::Index outer = no_step ? rows : static_cast<Eigen::Index>(a.strides(1) / size);
  return {data, rows, cols, Eigen::OuterStride<>(outer)};
}

normalization normalization_of(const std::string& name) {
  return parse_normalization(name);
}

[[noreturn]] void bad_method(const std::string& what, const std::string& name, const char* expected) {
  raise("rectify.mcda.bad_method", "", what + " " + quoted(name) + ": expected " + expected);
}

ahp_method ahp_method_of(const std::string& name) {
  if (name == "eigenvector") return ahp_method::eigenvector;
  if (name == "geometric_mean") return ahp_method::geometric_mean;
  bad_method("AHP method", name, "\"eigenvector\" or \"geometric_mean\"");
}

random_index random_index_of(const std::string& name) {
  if (name == "saaty1980") return random_index::saaty1980;
  if (name == "alonso_lamata2006") return random_index::alonso_lamata2006;
  bad_method("random index table", name, "\"saaty1980\" or \"alonso_lamata2006\"");
}

preference preference_of(const std::string& name) {
  if (name == "usual") return preference::usual;
  if (name == "u_shape") return preference::u_shape;
  if (name == "v_shape") return preference::v_shape;
  if (name == "level") return preference::level;
  if (name == "linear") return preference::linear;
  if (name == "gaussian") return preference::gaussian;
  bad_method("preference function", name, "\"usual\", \"u_shape\", \"v_shape\", \"level\", \"linear\" or \"gaussian\"");
}

fce_operator fce_operator_of(const std::string& name) {
  if (name == "weighted_average") return fce_operator::weighted_average;
  if (name == "min_max") return fce_operator::min_max;
  if (name == "product_max") return fce_operator::product_max;
  bad_method("FCE operator", name, "\"weighted_average\", \"min_max\" or \"product_max\"");
}

// One preference function per criterion from the Python layer's parallel lists (empty lists:
// usual everywhere).
std::vector<preference_function> functions_of(const std::vector<std::string>& preferences, const Eigen::VectorXd& q,
                                              const Eigen::VectorXd& p, const Eigen::VectorXd& s) {
  const auto k = preferences.size();
  if (static_cast<std::size_t>(q.size()) != k || static_cast<std::size_t>(p.size()) != k ||
      static_cast<std::size_t>(s.size()) != k)
    throw py::value_error("preferences, q, p and s must have the same length");
  std::vector<preference_function> functions(k);
  for (std::size_t j = 0; j < k; ++j) {
    const auto at = static_cast<Eigen::Index>(j);
    functions[j] = preference_function{preference_of(preferences[j]), q[at], p[at], s[at]};
  }
  return functions;
}

method_options method_options_of(const std::string& normalization, double v, double rho,
                                 const std::vector<std::string>& preferences, const Eigen::VectorXd& q,
                                 const Eigen::VectorXd& p, const Eigen::VectorXd& s) {
  method_options o;
  o.norm = normalization_of(normalization);
  o.v = v;
  o.rho = rho;
  o.functions = functions_of(preferences, q, p, s);
  return o;
}

using positional_weights = Eigen::VectorXd (*)(Eigen::Index);
using ranked_weights = Eigen::VectorXd (*)(const Eigen::VectorXi&);

std::pair<positional_weights, ranked_weights> rank_weights_of(const std::string& name) {
  if (name == "roc") return {static_cast<positional_weights>(&roc), static_cast<ranked_weights>(&roc)};
  if (name == "rank_sum") return {static_cast<positional_weights>(&rank_sum), static_cast<ranked_weights>(&rank_sum)};
  if (name == "rank_reciprocal")
    return {static_cast<positional_weights>(&rank_reciprocal), static_cast<ranked_weights>(&rank_reciprocal)};
  bad_method("rank weighting", name, "\"roc\", \"rank_sum\" or \"rank_reciprocal\"");
}

// SMAA-2 and one-at-a-time sensitivity (robustness.hpp). Every method's parameters arrive
// together (the ones the chosen method does not use are ignored there), as in the Python
// signatures.
void init_mcda_robustness(py::module_& m) {
  m.def(
      "mcda_smaa",
      [](const py::array& x, const Eigen::VectorXi& types, const std::string& method_name,
         const std::string& normalization, double v, double rho, const std::vector<std::string>& preferences,
         const Eigen::VectorXd& q, const Eigen::VectorXd& p, const Eigen::VectorXd& s, const std::string& sampling,
         const Eigen::VectorXd& lower, const Eigen::VectorXd& upper, const Eigen::VectorXd& center,
         double concentration, std::size_t samples, std::uint64_t seed, unsigned threads,
         const std::optional<Eigen::MatrixXd>& x_sd, const std::optional<py::function>& progress) {
        const auto view = matrix_of(x, "x");
        smaa_options o;
        o.progress = progress_of(progress);
        o.m = parse_method(method_name);
        o.opts = method_options_of(normalization, v, rho, preferences, q, p, s);
        o.sampling = parse_weight_sampling(sampling);
        o.lower = lower;
        o.upper = upper;
        o.center = center;
        o.concentration = concentration;
        o.samples = samples;
        o.seed = seed;
        o.threads = threads;
        if (x_sd) o.x_sd = *x_sd;
        smaa_result r;
        {
          py::gil_scoped_release release;
          r = smaa(view, types, o);
        }
        return std::make_tuple(std::move(r.acceptability), std::move(r.central_weights), std::move(r.confidence),
                               std::move(r.holistic), r.samples);
      },
      py::arg("x"), py::arg("types"), py::arg("method"), py::arg("normalization"), py::arg("v"), py::arg("rho"),
      py::arg("preferences"), py::arg("q"), py::arg("p"), py::arg("s"), py::arg("sampling"), py::arg("lower"),
      py::arg("upper"), py::arg("center"), py::arg("concentration"), py::arg("samples"), py::arg("seed"),
      py::arg("threads"), py::arg("x_sd"), py::arg("progress") = py::none(),
      "(acceptability, central weights, confidence, holistic, samples) of SMAA-2; the GIL is released. "
      "progress(done, total), if given, is called with the GIL (samples evaluated; a false result or an "
      "exception cancels).");

  m.def(
      "mcda_smaa_weights",
      [](Eigen::Index criteria, const std::string& sampling, const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
         const Eigen::VectorXd& center, double concentration, std::size_t samples, std::uint64_t seed) {
        smaa_options o;
        o.sampling = parse_weight_sampling(sampling);
        o.lower = lower;
        o.upper = upper;
        o.center = center;
        o.concentration = concentration;
        o.samples = samples;
        o.seed = seed;
        py::gil_scoped_release release;
        return sample_weights(criteria, o);
      },
      py::arg("criteria"), py::arg("sampling"), py::arg("lower"), py::arg("upper"), py::arg("center"),
      py::arg("concentration"), py::arg("samples"), py::arg("seed"),
      "The weight vectors SMAA draws with these options (criteria x samples).");

  m.def(
      "mcda_sensitivity",
      [](const py::array& x, const Eigen::VectorXd& weights, const Eigen::VectorXi& types,
         const std::string& method_name, const std::string& normalization, double v, double rho,
         const std::vector<std::string>& preferences, const Eigen::VectorXd& q, const Eigen::VectorXd& p,
         const Eigen::VectorXd& s, const std::optional<std::pair<Eigen::Index, Eigen::Index>>& pair, std::size_t steps,
         double tolerance) {
        const auto view = matrix_of(x, "x");
        sensitivity_options o;
        o.m = parse_method(method_name);
        o.opts = method_options_of(normalization, v, rho, preferences, q, p, s);
        o.pair = pair;
        o.steps = steps;
        o.tolerance = tolerance;
        std::vector<criterion_sensitivity> r;
        {
          py::gil_scoped_release release;
          r = sensitivity(view, weights, types, o);
        }
        const auto index = [](const std::optional<Eigen::Index>& i) {
          return i ? std::optional<std::int64_t>(static_cast<std::int64_t>(*i)) : std::nullopt;
        };
        py::list out;
        for (const auto& c : r)
          out.append(py::make_tuple(c.weight, c.decrease, c.increase, index(c.new_first_down), index(c.new_first_up)));
        return out;
      },
      py::arg("x"), py::arg("weights"), py::arg("types"), py::arg("method"), py::arg("normalization"), py::arg("v"),
      py::arg("rho"), py::arg("preferences"), py::arg("q"), py::arg("p"), py::arg("s"), py::arg("pair"),
      py::arg("steps"), py::arg("tolerance"),
      "(weight, decrease, increase, new first down, new first up) per criterion; None where nothing changes.");

  m.def(
      "mcda_higher_is_better",
      [](const std::string& method_name) { return higher_is_better(parse_method(method_name)); }, py::arg("method"),
      "Whether the method's main score is higher-is-better (False only for VIKOR).");
}

}  // namespace

void init_mcda(py::module_& m) {
  using namespace rectify::mcda;
  m.def(
      "mcda_matrix_address",
      [](const py::array& x) {
        const auto view = matrix_of(x, "x");
        const matrix_ref ref = view;  // the same binding every method below goes through
        return reinterpret_cast<std::uintptr_t>(ref.data());
      },
      py::arg("x"),
      "Address of the first value the C++ methods read from `x` (tests use it to prove there is no copy).");

  m.def(
      "mcda_normalize",
      [](const py::array& x, const Eigen::VectorXi& types, const std::string& method) {
        const auto view = matrix_of(x, "x");
        const auto norm = normalization_of(method);
        py::gil_scoped_release release;
        return normalize(view, types, norm);
      },
      py::arg("x"), py::arg("types"), py::arg("method"), "The normalised matrix (column-major).");

  m.def("mcda_equal", &equal, py::arg("n"), "n equal weights.");
  m.def(
      "mcda_rank_weights", [](const std::string& method, Eigen::Index n) { return rank_weights_of(method).first(n); },
      py::arg("method"), py::arg("n"), "Weights of the positions 1..n by `method` (roc, rank_sum, rank_reciprocal).");
  m.def(
      "mcda_rank_weights_of",
      [](const std::string& method, const Eigen::VectorXi& ranks) { return rank_weights_of(method).second(ranks); },
      py::arg("method"), py::arg("ranks"), "Weights of criteria with the given importance ranks (1 = first).");

  m.def(
      "mcda_entropy",
      [](const py::array& x) {
        const auto view = matrix_of(x, "x");
        entropy_weights r;
        {
          py::gil_scoped_release release;
          r = entropy(view);
        }
        return std::make_tuple(std::move(r.weights), std::move(r.entropy), r.all_constant);
      },
      py::arg("x"), "(weights, entropies e_j, all_constant).");
  m.def(
      "mcda_critic",
      [](const py::array& x, const Eigen::VectorXi& types) {
        const auto view = matrix_of(x, "x");
        py::gil_scoped_release release;
        return critic(view, types);
      },
      py::arg("x"), py::arg("types"), "CRITIC weights.");
  m.def(
      "mcda_std",
      [](const py::array& x, const Eigen::VectorXi& types) {
        const auto view = matrix_of(x, "x");
        py::gil_scoped_release release;
        return std_weights(view, types);
      },
      py::arg("x"), py::arg("types"), "Standard-deviation weights.");

  m.def(
      "mcda_ahp",
      [](const py::array& a, const std::string& method, const std::string& ri) {
        const auto view = matrix_of(a, "the pairwise matrix");
        const auto how = ahp_method_of(method);
        const auto table = random_index_of(ri);
        ahp_result r;
        {
          py::gil_scoped_release release;
          r = ahp(view, how, table);
        }
        return std::make_tuple(std::move(r.weights), r.lambda_max, r.ci, r.cr);
      },
      py::arg("matrix"), py::arg("method"), py::arg("ri"), "(weights, lambda_max, ci, cr) of a pairwise matrix.");
  m.def(
      "mcda_random_index",
      [](const std::string& ri, Eigen::Index n) { return random_index_value(random_index_of(ri), n); }, py::arg("ri"),
      py::arg("n"), "The random index RI(n) of a table.");
  m.def(
      "mcda_ahp_group",
      [](const std::vector<Eigen::MatrixXd>& matrices) {
        py::gil_scoped_release release;
        return ahp_group(matrices);
      },
      py::arg("matrices"), "Element-wise geometric mean of several pairwise matrices.");
  m.def(
      "mcda_parse_ratio", [](const std::string& text) { return parse_ratio(text); }, py::arg("text"),
      "A judgement written as \"3\", \"0.5\" or \"1/3\".");

  m.def(
      "mcda_wsm",
      [](const py::array& x, const Eigen::VectorXd& weights, const Eigen::VectorXi& types,
         const std::string& normalization) {
        const auto view = matrix_of(x, "x");
        const auto norm = normalization_of(normalization);
        py::gil_scoped_release release;
        return wsm(view, weights, types, norm);
      },
      py::arg("x"), py::arg("weights"), py::arg("types"), py::arg("normalization"), "Weighted sum scores.");
  m.def(
      "mcda_wpm",
      [](const py::array& x, const Eigen::VectorXd& weights, const Eigen::VectorXi& types,
         const std::string& normalization) {
        const auto view = matrix_of(x, "x");
        const auto norm = normalization_of(normalization);
        py::gil_scoped_release release;
        return wpm(view, weights, types, norm);
      },
      py::arg("x"), py::arg("weights"), py::arg("types"), py::arg("normalization"), "Weighted product scores.");
  m.def(
      "mcda_topsis",
      [](const py::array& x, const Eigen::VectorXd& weights, const Eigen::VectorXi& types,
         const std::string& normalization) {
        const auto view = matrix_of(x, "x");
        const auto norm = normalization_of(normalization);
        topsis_result r;
        {
          py::gil_scoped_release release;
          r = topsis(view, weights, types, norm);
        }
        return std::make_tuple(std::move(r.closeness), std::move(r.d_plus), std::move(r.d_minus));
      },
      py::arg("x"), py::arg("weights"), py::arg("types"), py::arg("normalization"), "(C, D+, D-).");
  m.def(
      "mcda_vikor",
      [](const py::array& x, const Eigen::VectorXd& weights, const Eigen::VectorXi& types, double v) {
        const auto view = matrix_of(x, "x");
        vikor_result r;
        {
          py::gil_scoped_release release;
          r = vikor(view, weights, types, v);
        }
        std::vector<std::int64_t> compromise(r.compromise.begin(), r.compromise.end());
        return std::make_tuple(std::move(r.s), std::move(r.r), std::move(r.q), std::move(compromise));
      },
      py::arg("x"), py::arg("weights"), py::arg("types"), py::arg("v"), "(S, R, Q, compromise positions).");
  m.def(
      "mcda_copras",
      [](const py::array& x, const Eigen::VectorXd& weights, const Eigen::VectorXi& types) {
        const auto view = matrix_of(x, "x");
        copras_result r;
        {
          py::gil_scoped_release release;
          r = copras(view, weights, types);
        }
        return std::make_tuple(std::move(r.s_plus), std::move(r.s_minus), std::move(r.q), std::move(r.utility));
      },
      py::arg("x"), py::arg("weights"), py::arg("types"), "(S+, S-, Q, utility).");
  m.def(
      "mcda_promethee2",
      [](const py::array& x, const Eigen::VectorXd& weights, const Eigen::VectorXi& types,
         const std::vector<std::string>& preferences, const Eigen::VectorXd& q, const Eigen::VectorXd& p,
         const Eigen::VectorXd& s) {
        const auto view = matrix_of(x, "x");
        const auto functions = functions_of(preferences, q, p, s);
        promethee_result r;
        {
          py::gil_scoped_release release;
          r = promethee2(view, weights, types, functions);
        }
        return std::make_tuple(std::move(r.phi_plus), std::move(r.phi_minus), std::move(r.phi));
      },
      py::arg("x"), py::arg("weights"), py::arg("types"), py::arg("preferences"), py::arg("q"), py::arg("p"),
      py::arg("s"), "(phi+, phi-, phi); one preference function per criterion, or none for usual everywhere.");
  m.def(
      "mcda_gra",
      [](const py::array& x, const Eigen::VectorXd& weights, const Eigen::VectorXi& types, double rho) {
        const auto view = matrix_of(x, "x");
        py::gil_scoped_release release;
        return gra(view, weights, types, rho);
      },
      py::arg("x"), py::arg("weights"), py::arg("types"), py::arg("rho"), "Grey relational grades.");
  m.def(
      "mcda_fce",
      [](const py::array& membership, const Eigen::VectorXd& weights, const std::string& op, bool normalize_b,
         const Eigen::VectorXd& grade_values) {
        const auto view = matrix_of(membership, "the membership matrix");
        const auto how = fce_operator_of(op);
        fce_result r;
        {
          py::gil_scoped_release release;
          r = fce(view, weights, how, normalize_b, grade_values);
        }
        return std::make_tuple(std::move(r.b), static_cast<std::int64_t>(r.grade), r.score);
      },
      py::arg("membership"), py::arg("weights"), py::arg("operator"), py::arg("normalize"), py::arg("grade_values"),
      "(B, grade of maximum membership, score or None).");

  m.def(
      "mcda_rank",
      [](const Eigen::VectorXd& scores, bool higher_is_better, const std::string& ties_name) {
        const auto mode = parse_ties(ties_name);
        py::gil_scoped_release release;
        return rank(scores, higher_is_better, mode);
      },
      py::arg("scores"), py::arg("higher_is_better"), py::arg("ties"), "Ranks, 1 = best.");
  m.def(
      "mcda_rank_correlation",
      [](const Eigen::VectorXd& a, const Eigen::VectorXd& b, const std::string& method) {
        if (method != "spearman" && method != "kendall" && method != "ws")
          bad_method("rank correlation", method, "\"spearman\", \"kendall\" or \"ws\"");
        py::gil_scoped_release release;
        if (method == "spearman") return spearman(a, b);
        if (method == "kendall") return kendall_tau_b(a, b);
        return ws_similarity(a, b);
      },
      py::arg("a"), py::arg("b"), py::arg("method"), "Spearman's rho, Kendall's tau_b or the WS similarity.");

  init_mcda_robustness(m);
}

}  // namespace rectify::python
