#include "rectify/mcda/weights.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "kernels.hpp"

#include "rectify/core/error.hpp"
#include "rectify/mcda/normalize.hpp"

namespace rectify::detail {

namespace {

// ln(x) - k ln 2 for a positive normal x (0 gives a finite value the caller multiplies by 0;
// subnormals are the caller's business), written without branches or table lookups so GCC
// vectorises the loop that calls it. The argument reduction and the polynomial are fdlibm's
// __ieee754_log (Sun Microsystems, 1993; also in musl and in glibc before 2.28):
// x = 2^e (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)), s = f/(2 + f),
// ln(1 + f) = f - s (f - R(s^2)) with a degree-14 minimax R, error below 1 ulp. Subtracting k
// before scaling by ln 2 keeps the exponent part exact, which is what the entropy sums need.
template <class P, class U>
inline P log_shifted(P x, P k) {
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 0x3fe62e42fee00000, k*hi exact
  constexpr double kLn2Lo = 1.90821492927058770002e-10;  // 0x3dea39ef35793c76
  constexpr double kLg1 = 6.666666666666735130e-01, kLg2 = 3.999999999940941908e-01;
  constexpr double kLg3 = 2.857142874366239149e-01, kLg4 = 2.222219843214978396e-01;
  constexpr double kLg5 = 1.818357216161805012e-01, kLg6 = 1.531383769920937332e-01;
  constexpr double kLg7 = 1.479819860511658591e-01;
  // Move the mantissa split point from 1 to sqrt(2)/2: adding 1 - sqrt(2)/2 (in bits; 0x95f62
  // in the high word, fdlibm's 0x95f64 rounded to the same split) carries into the exponent
  // exactly when the mantissa is >= sqrt(2).
  constexpr std::uint64_t kSplit = 0x3fe6a09e00000000ULL;
  const U t = std::bit_cast<U>(x) + (0x3ff0000000000000ULL - kSplit);
  const U e_bits = t >> 52;                                               // the biased exponent of the reduced x
  const P mant = std::bit_cast<P>((t & 0x000fffffffffffffULL) + kSplit);  // in [sqrt(2)/2, sqrt(2))
  // the exponent as a double without an int64 -> double conversion (not in SSE2): 2^52 + e - 2^52
  const P e = std::bit_cast<P>(e_bits | 0x4330000000000000ULL) - (0x1p52 + 1023.0);
  const P dk = e - k;
  const P f = mant - 1.0;
  const P hfsq = 0.5 * f * f;
  const P s = f / (2.0 + f);
  const P z = s * s, w = z * z;
  const P t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
  const P t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  const P r = t2 + t1;
  return dk * kLn2Hi - ((hfsq - (s * (hfsq + r) + dk * kLn2Lo)) - f);
}

// x ln(x/2^k) for each of n values (0 for x = 0; subnormals are the caller's business). The
// loop vectorises as written (the sum is left to the caller: GCC keeps a floating-point
// reduction in order and would not vectorise it). With GCC on x86-64 Linux the function is also
// compiled for x86-64-v3 (AVX2, FMA) and the loader picks that clone where the CPU has it: the
// log is the whole cost of the entropy weights, and the library stays a baseline x86-64 build.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && __GNUC__ >= 11
#define RECTIFY_MCDA_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define RECTIFY_MCDA_CLONES
#endif
RECTIFY_MCDA_CLONES void xlogx(const double* x, Eigen::Index n, double k, double* out) {
  for (Eigen::Index i = 0; i < n; ++i) out[i] = x[i] * log_shifted<double, std::uint64_t>(x[i], k);
}
#undef RECTIFY_MCDA_CLONES

/// One column's pass for the entropy weights.
struct entropy_column {
  double lo = 0, hi = 0, total = 0;
  double a = 0;           ///< sum x ln(x / 2^k)
  int k = 0;              ///< the reference exponent: 2^k <= the column mean < 2^(k+1)
  bool overflow = false;  ///< a slice's sum is infinite: the caller uses the plain formula
};

// The column in slices that stay in L1: first the slice's min, max, sum and finiteness, then
// sum x ln(x/2^kb) with 2^kb near the slice's mean, so the logs are small and the sum accurate.
// At the end every slice is carried over to the column's reference 2^k exactly:
// + T_b (kb - k) ln 2, with (kb - k) a small integer for all but very unequal slices.
bool scan_entropy_column(const double* d, Eigen::Index m, entropy_column& out,
                         std::vector<std::pair<double, int>>& slices) {
  constexpr double kLn2 = 0.6931471805599453094;
  double terms[kRowBlock];
  out = entropy_column{d[0], d[0], 0, 0, 0, false};
  slices.clear();
  bool bad = false;
  column_stats st;
  for (Eigen::Index i0 = 0; i0 < m; i0 += kRowBlock) {
    const Eigen::Index len = std::min(kRowBlock, m - i0);
    const double* b = d + i0;
    if (!scan(b, len, st, false) && !Eigen::Map<const Eigen::ArrayXd>(b, len).isFinite().all()) bad = true;
    out.lo = std::min(out.lo, st.lo);
    out.hi = std::max(out.hi, st.hi);
    out.total += st.sum;
    if (!(st.sum > 0) || bad || out.overflow) continue;  // all zero, or an error follows
    if (!(st.sum <= std::numeric_limits<double>::max())) {
      out.overflow = true;
      continue;
    }
    // the slice again, from L1: sum x ln(x/2^kb)
    const int kb = std::ilogb(st.sum / static_cast<double>(len));
    double acc = 0;
    if (st.tiny > 0) {
      // A subnormal value: this slice with the library log, which handles it.
      for (Eigen::Index i = 0; i < len; ++i)
        if (b[i] > 0) acc += b[i] * (std::log(b[i]) - kb * kLn2);
    } else {
      xlogx(b, len, kb, terms);
      acc = Eigen::Map<const Eigen::ArrayXd>(terms, len).sum();
    }
    out.a += acc;
    slices.emplace_back(st.sum, kb);
  }
  if (!bad && !out.overflow && out.total > 0 && out.total <= std::numeric_limits<double>::max()) {
    out.k = std::ilogb(out.total / static_cast<double>(m));
    double shift = 0;
    for (const auto& [sum, kb] : slices) shift += sum * static_cast<double>(kb - out.k);
    out.a += shift * kLn2;
  }
  return !bad;
}

// ln m - H for a column whose values are too large or too small for scan_entropy_column: every
// value times 2^s with 2^s hi near 1 (exact for every value that is not negligible next to the
// largest), then sum (y/T) ln(y/mu) as A/T - ln(mu/2^k) with A = sum y ln(y/2^k).
double scaled_divergence(const double* d, Eigen::Index m, double hi) {
  const int s = -std::ilogb(hi);
  double total = 0;
  for (Eigen::Index i = 0; i < m; ++i) total += std::ldexp(d[i], s);
  const int k = std::ilogb(total / static_cast<double>(m));
  const double shift = k * 0.6931471805599453094;
  double a = 0;
  for (Eigen::Index i0 = 0; i0 < m; i0 += kRowBlock) {
    double part = 0;
    for (Eigen::Index i = i0; i < std::min(m, i0 + kRowBlock); ++i) {
      const double y = std::ldexp(d[i], s);
      if (y > 0) part += y * (std::log(y) - shift);
    }
    a += part;
  }
  return a / total - std::log(std::ldexp(total, -k) / static_cast<double>(m));
}

}  // namespace

}  // namespace rectify::detail

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
      // As a product: 1 / a_ji overflows to inf for a subnormal a_ji, and inf passes any
      // relative tolerance (found by the ahp_matrix fuzzer).
      const double x = a(i, j);
      if (!(std::abs(x * a(j, i) - 1.0) <= 1e-9))
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
  if (x.rows() == 0 || x.cols() == 0)
    raise("rectify.mcda.bad_matrix", "", "the decision matrix is empty (it needs at least one row and one column)");
  const Eigen::Index m = x.rows();
  // One pass per column gives its sum, min, max, finiteness and sum_i x ln(x/c): e_j follows from
  // those (detail::entropy_column). The checks come first in the order the contract states.
  std::vector<detail::entropy_column> cols(static_cast<std::size_t>(x.cols()));
  std::vector<std::pair<double, int>> slices;
  bool finite = true;
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    finite &= detail::scan_entropy_column(x.col(j).data(), m, cols[static_cast<std::size_t>(j)], slices);
  if (!finite) check_finite(x);
  if (m < 2) raise("rectify.mcda.bad_matrix", "", "entropy weights need at least 2 rows, got " + std::to_string(m));
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (cols[static_cast<std::size_t>(j)].lo >= 0) continue;
    for (Eigen::Index i = 0; i < m; ++i)
      if (x(i, j) < 0)
        raise("rectify.mcda.bad_matrix", "",
              pos(i, j) + ": entropy weights refuse a negative value (" + number_text(x(i, j)) + ")");
  }
  const double log_m = std::log(static_cast<double>(m));
  entropy_weights out;
  out.entropy.resize(x.cols());
  Eigen::VectorXd d(x.cols());
  out.all_constant = true;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const auto& c = cols[static_cast<std::size_t>(j)];
    // A constant column carries no information; fixing e = 1 exactly keeps rounding noise out.
    if (c.lo == c.hi) {
      out.entropy[j] = 1.0;
      d[j] = 0;
      continue;
    }
    out.all_constant = false;
    if (c.overflow || !(c.total <= std::numeric_limits<double>::max()) || c.hi < 0x1p-900) {
      // Values near the largest double (the total overflows), or every value so small that the
      // products x ln x would lose digits as subnormals: the same formula on the column scaled
      // by a power of two (e is scale-free), slowly.
      const double divergence = detail::scaled_divergence(x.col(j).data(), m, c.hi);
      d[j] = std::max(divergence / log_m, 0.0);
      out.entropy[j] = 1.0 - divergence / log_m;
      continue;
    }
    // With mu = T/m: ln m - H = sum (x/T) ln(x/mu) = A/T - ln(mu/2^k), A = sum x ln(x/2^k).
    // 1 - e is computed directly from this divergence (no 1 - (1 - small) cancellation).
    // (the column is scaled by 2^-k before dividing by m, so a subnormal mean keeps its digits)
    const double divergence = c.a / c.total - std::log(std::ldexp(c.total, -c.k) / static_cast<double>(m));
    d[j] = std::max(divergence / log_m, 0.0);
    out.entropy[j] = 1.0 - divergence / log_m;
  }
  if (out.all_constant) {
    out.weights = equal(x.cols());
  } else {
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
  // Every C_j can be 0 without any column being constant: a single criterion has nobody to
  // conflict with (its weight is 1), and criteria that are all perfectly correlated (r = 1 after
  // orienting by type; always so with two alternatives whose columns point the same way) leave
  // no conflict to weigh, which deserves its own message rather than "every column is constant".
  if (sigma.maxCoeff() > 0 && c.maxCoeff() == 0) {
    if (x.cols() == 1) return Eigen::VectorXd::Ones(1);
    raise("rectify.mcda.bad_matrix", "",
          "every criterion is perfectly correlated with every other (Pearson r = 1 after orienting by type), so "
          "CRITIC's conflict term is 0 for each and its weights are undefined; standard-deviation weights are "
          "defined here");
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
  // Judgements far outside Saaty's 1/9..9 (1e300, say) make a weight underflow to 0, or the
  // eigenvector lose its sign; lambda_max and CR would then be inf or NaN. Refuse rather than
  // report an AHP result that is not one.
  for (Eigen::Index i = 0; i < n; ++i)
    if (!(out.weights[i] > 0) || !std::isfinite(out.weights[i]))
      raise("rectify.mcda.bad_matrix", "",
            "the judgements span too wide a range: the weight of row " + std::to_string(i + 1) + " comes out as " +
                number_text(out.weights[i]) + "; pairwise judgements are ratios on Saaty's 1/9..9 scale");
  out.lambda_max = ((a * out.weights).array() / out.weights.array()).mean();
  if (!std::isfinite(out.lambda_max))
    raise("rectify.mcda.bad_matrix", "",
          "the judgements span too wide a range: lambda_max is " + number_text(out.lambda_max) +
              "; pairwise judgements are ratios on Saaty's 1/9..9 scale");
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
