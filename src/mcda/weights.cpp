#include "rectify/mcda/weights.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <numeric>
#include <string>

#include "rectify/core/error.hpp"
#include "rectify/mcda/normalize.hpp"

namespace rectify::mcda {

namespace {

void check_count(Eigen::Index n) {
  if (n < 1) raise("rectify.mcda.bad_ranks", "", "need at least one criterion, got " + std::to_string(n));
}

std::string pos(Eigen::Index i, Eigen::Index j) {
  return "row " + std::to_string(i) + ", column " + std::to_string(j);
}

// Spreads position weights (sorted, position 1 first) over criteria given their ranks; ties share
// the average of the positions they occupy.
Eigen::VectorXd by_ranks(const Eigen::VectorXi& ranks, Eigen::VectorXd (*positional)(Eigen::Index)) {
  const Eigen::Index n = ranks.size();
  check_count(n);
  for (Eigen::Index j = 0; j < n; ++j)
    if (ranks[j] < 1)
      raise(
          "rectify.mcda.bad_ranks", "",
          "criterion " + std::to_string(j) + ": a rank is >= 1 (1 = most important), not " + std::to_string(ranks[j]));
  const Eigen::VectorXd by_position = positional(n);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return ranks[a] < ranks[b]; });
  Eigen::VectorXd out(n);
  std::size_t start = 0;
  while (start < order.size()) {
    std::size_t end = start;
    while (end < order.size() && ranks[order[end]] == ranks[order[start]]) ++end;
    const double share =
        by_position.segment(static_cast<Eigen::Index>(start), static_cast<Eigen::Index>(end - start)).mean();
    for (std::size_t k = start; k < end; ++k) out[order[k]] = share;
    start = end;
  }
  return out;
}

Eigen::VectorXd population_sigma(const Eigen::MatrixXd& n) {
  const Eigen::RowVectorXd mean = n.colwise().mean();
  return ((n.rowwise() - mean).array().square().colwise().sum() / static_cast<double>(n.rows())).sqrt().transpose();
}

void check_decision_matrix(const matrix_ref& x) {
  if (x.rows() == 0 || x.cols() == 0)
    raise("rectify.mcda.bad_matrix", "", "the decision matrix is empty (it needs at least one row and one column)");
  check_finite(x);
}

bool constant(const Eigen::Ref<const Eigen::VectorXd>& c) {
  return c.maxCoeff() == c.minCoeff();
}

Eigen::VectorXd rescale(const Eigen::VectorXd& raw, const char* method) {
  const double total = raw.sum();
  if (!(total > 0))
    raise("rectify.mcda.bad_matrix", "", std::string("every column is constant; ") + method + " weights are undefined");
  return raw / total;
}

void check_pairwise(const matrix_ref& a, const std::string& prefix) {
  if (a.rows() == 0 || a.rows() != a.cols())
    raise("rectify.mcda.bad_matrix", "",
          prefix + "a pairwise comparison matrix is square and non-empty, not " + std::to_string(a.rows()) + " x " +
              std::to_string(a.cols()));
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    for (Eigen::Index i = 0; i < a.rows(); ++i)
      if (!std::isfinite(a(i, j)) || !(a(i, j) > 0))
        raise("rectify.mcda.bad_matrix", "",
              prefix + pos(i, j) + ": a pairwise judgement is a finite positive number, not " + number_text(a(i, j)));
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = i; j < a.cols(); ++j) {
      const double x = a(i, j), y = 1.0 / a(j, i);
      if (std::abs(x - y) > 1e-9 * std::max(x, y))
        raise("rectify.mcda.bad_matrix", "",
              prefix + pos(i, j) + ": " + number_text(x) + " is not the reciprocal of " + pos(j, i) + ": " +
                  number_text(a(j, i)) + " (a pairwise comparison matrix has a_ji = 1/a_ij)");
    }
}

}  // namespace

Eigen::VectorXd equal(Eigen::Index n) {
  check_count(n);
  return Eigen::VectorXd::Constant(n, 1.0 / static_cast<double>(n));
}

Eigen::VectorXd roc(Eigen::Index n) {
  check_count(n);
  Eigen::VectorXd w(n);
  double tail = 0;
  for (Eigen::Index i = n; i >= 1; --i) {
    tail += 1.0 / static_cast<double>(i);
    w[i - 1] = tail / static_cast<double>(n);
  }
  return w;
}

Eigen::VectorXd rank_sum(Eigen::Index n) {
  check_count(n);
  const double nd = static_cast<double>(n);
  Eigen::VectorXd w(n);
  for (Eigen::Index i = 1; i <= n; ++i) w[i - 1] = 2.0 * (nd + 1.0 - static_cast<double>(i)) / (nd * (nd + 1.0));
  return w;
}

Eigen::VectorXd rank_reciprocal(Eigen::Index n) {
  check_count(n);
  Eigen::VectorXd w(n);
  for (Eigen::Index i = 1; i <= n; ++i) w[i - 1] = 1.0 / static_cast<double>(i);
  return w / w.sum();
}

Eigen::VectorXd roc(const Eigen::VectorXi& ranks) {
  return by_ranks(ranks, [](Eigen::Index n) { return roc(n); });
}
Eigen::VectorXd rank_sum(const Eigen::VectorXi& ranks) {
  return by_ranks(ranks, [](Eigen::Index n) { return rank_sum(n); });
}
Eigen::VectorXd rank_reciprocal(const Eigen::VectorXi& ranks) {
  return by_ranks(ranks, [](Eigen::Index n) { return rank_reciprocal(n); });
}

entropy_weights entropy(const matrix_ref& x) {
  check_decision_matrix(x);
  if (x.rows() < 2)
    raise("rectify.mcda.bad_matrix", "", "entropy weights need at least 2 rows, got " + std::to_string(x.rows()));
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (x(i, j) < 0)
        raise("rectify.mcda.bad_matrix", "",
              pos(i, j) + ": entropy weights refuse a negative value (" + number_text(x(i, j)) + ")");
  const double log_m = std::log(static_cast<double>(x.rows()));
  entropy_weights out;
  out.entropy.resize(x.cols());
  out.all_constant = true;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const auto col = x.col(j);
    // A constant column carries no information; fixing e = 1 exactly keeps rounding noise out.
    if (constant(col)) {
      out.entropy[j] = 1.0;
      continue;
    }
    out.all_constant = false;
    const double total = col.sum();
    double h = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const double p = col[i] / total;
      if (p > 0) h -= p * std::log(p);
    }
    out.entropy[j] = h / log_m;
  }
  if (out.all_constant) {
    out.weights = equal(x.cols());
  } else {
    const Eigen::VectorXd d = (1.0 - out.entropy.array()).max(0.0);
    out.weights = d / d.sum();
  }
  return out;
}

Eigen::VectorXd critic(const matrix_ref& x, const types_ref& types) {
  check_decision_matrix(x);
  const Eigen::MatrixXd n = normalize(x, types, normalization::minmax);
  const Eigen::VectorXd sigma = population_sigma(n);
  const Eigen::MatrixXd centred = n.rowwise() - n.colwise().mean();
  Eigen::VectorXd c = Eigen::VectorXd::Zero(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (sigma[j] == 0) continue;
    double conflict = 0;
    for (Eigen::Index k = 0; k < x.cols(); ++k) {
      double r = 0;
      if (sigma[k] > 0) {
        const double denom = centred.col(j).norm() * centred.col(k).norm();
        r = std::clamp(centred.col(j).dot(centred.col(k)) / denom, -1.0, 1.0);
      }
      if (k != j) conflict += 1.0 - r;
    }
    c[j] = sigma[j] * conflict;
  }
  return rescale(c, "CRITIC");
}

Eigen::VectorXd std_weights(const matrix_ref& x, const types_ref& types) {
  check_decision_matrix(x);
  return rescale(population_sigma(normalize(x, types, normalization::minmax)), "standard-deviation");
}

double random_index_value(random_index table, Eigen::Index n) {
  static constexpr std::array<double, 10> saaty{0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49};
  static constexpr std::array<double, 15> alonso{0,      0,      0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056,
                                                 1.4499, 1.4854, 1.5141, 1.5365, 1.5551, 1.5713, 1.5838};
  const double* values = table == random_index::saaty1980 ? saaty.data() : alonso.data();
  const std::size_t size = table == random_index::saaty1980 ? saaty.size() : alonso.size();
  const char* name = table == random_index::saaty1980 ? "Saaty (1980)" : "Alonso & Lamata (2006)";
  if (n < 1 || static_cast<std::size_t>(n) > size)
    raise("rectify.mcda.bad_matrix", "",
          std::string("the random index table of ") + name + " covers n = 1.." + std::to_string(size) + ", not " +
              std::to_string(n));
  return values[static_cast<std::size_t>(n - 1)];
}

ahp_result ahp(const matrix_ref& a, ahp_method method, random_index table) {
  check_pairwise(a, "");
  const Eigen::Index n = a.rows();
  const double ri = random_index_value(table, n);
  ahp_result out;
  if (method == ahp_method::geometric_mean) {
    out.weights = a.array().log().rowwise().mean().exp().matrix();
  } else {
    // A positive matrix has a simple real Perron root with a positive eigenvector, so the
    // eigenvalue of largest real part is the one we want.
    Eigen::EigenSolver<Eigen::MatrixXd> solver(a);
    if (solver.info() != Eigen::Success)
      raise("rectify.mcda.bad_matrix", "", "the eigenvalue computation did not converge");
    Eigen::Index best = 0;
    solver.eigenvalues().real().maxCoeff(&best);
    out.weights = solver.eigenvectors().col(best).real();
  }
  out.weights /= out.weights.sum();
  out.lambda_max = ((a * out.weights).array() / out.weights.array()).mean();
  const double nd = static_cast<double>(n);
  out.ci = n <= 2 ? 0.0 : (out.lambda_max - nd) / (nd - 1.0);
  out.cr = ri == 0 ? 0.0 : out.ci / ri;
  return out;
}

Eigen::MatrixXd ahp_group(const std::vector<Eigen::MatrixXd>& matrices) {
  if (matrices.empty()) raise("rectify.mcda.bad_matrix", "", "group judgement needs at least one matrix");
  Eigen::MatrixXd log_sum = Eigen::MatrixXd::Zero(matrices.front().rows(), matrices.front().cols());
  for (std::size_t k = 0; k < matrices.size(); ++k) {
    const std::string prefix = "matrix " + std::to_string(k) + ": ";
    check_pairwise(matrices[k], prefix);
    if (matrices[k].rows() != log_sum.rows())
      raise("rectify.mcda.bad_matrix", "",
            prefix + "is " + std::to_string(matrices[k].rows()) + " x " + std::to_string(matrices[k].cols()) +
                " but matrix 0 is " + std::to_string(log_sum.rows()) + " x " + std::to_string(log_sum.cols()));
    log_sum += matrices[k].array().log().matrix();
  }
  return (log_sum.array() / static_cast<double>(matrices.size())).exp().matrix();
}

double parse_ratio(std::string_view text) {
  const auto bad = [&]() -> double {
    raise("rectify.mcda.bad_matrix", "",
          quoted(text) + " is not a pairwise judgement (a number like \"3\" or \"0.5\", or a ratio like \"1/3\")");
  };
  const auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  const auto number = [&](std::string_view s, double& out) {
    s = trim(s);
    if (s.empty() || s.front() == '+') return false;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && end == s.data() + s.size() && std::isfinite(out);
  };
  const auto slash = text.find('/');
  double num = 0, den = 1;
  if (slash == std::string_view::npos) {
    if (!number(text, num)) return bad();
  } else if (!number(text.substr(0, slash), num) || !number(text.substr(slash + 1), den) || den == 0) {
    return bad();
  }
  const double value = num / den;
  if (!std::isfinite(value)) return bad();
  return value;
}

}  // namespace rectify::mcda
