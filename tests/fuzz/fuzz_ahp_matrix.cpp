// Fuzz target: AHP pairwise comparison matrices as `rectify ahp MATRIX.csv` reads them: the
// command line's CSV cell reader (src/cli/support.cpp), judgements as numbers or ratios, empty
// cells filled with the reciprocal of their mirror, then AHP weights, lambda_max, CI and CR with
// both methods and both random-index tables, and the group mean of the matrix with itself.
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "fuzz_common.hpp"
#include "rectify/mcda/weights.hpp"

namespace {

void check_weights(const rectify::mcda::ahp_result& r, Eigen::Index n) {
  RECTIFY_FUZZ_CHECK(r.weights.size() == n);
  double sum = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    RECTIFY_FUZZ_CHECK(std::isfinite(r.weights[i]) && r.weights[i] >= 0);
    sum += r.weights[i];
  }
  RECTIFY_FUZZ_CHECK(std::abs(sum - 1) <= 1e-9);
  RECTIFY_FUZZ_CHECK(std::isfinite(r.lambda_max) && std::isfinite(r.ci) && std::isfinite(r.cr));
  if (n <= 2) RECTIFY_FUZZ_CHECK(r.ci == 0);
}

void one(std::string_view text) {
  using namespace rectify;
  const auto rows = cli::read_csv_cells(text, "fuzz.csv");
  RECTIFY_FUZZ_CHECK(!rows.empty());
  const std::size_t n = rows[0].size() - 1;
  if (n == 0 || rows.size() != n + 1) return;
  for (std::size_t i = 1; i <= n; ++i)
    if (rows[i].size() != n + 1) return;

  std::vector<std::vector<std::optional<double>>> given(n, std::vector<std::optional<double>>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const auto& cell = rows[i + 1][j + 1];
      if (cell.text.empty()) continue;
      const double v = mcda::parse_ratio(cell.text);
      RECTIFY_FUZZ_CHECK(std::isfinite(v));
      given[i][j] = v;
    }
  const auto e = [](std::size_t k) { return static_cast<Eigen::Index>(k); };
  Eigen::MatrixXd a(e(n), e(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (given[i][j])
        a(e(i), e(j)) = *given[i][j];
      else if (i == j)
        a(e(i), e(j)) = 1;
      else if (given[j][i])
        a(e(i), e(j)) = 1 / *given[j][i];
      else
        return;
    }
  for (const auto method : {mcda::ahp_method::eigenvector, mcda::ahp_method::geometric_mean})
    for (const auto table : {mcda::random_index::saaty1980, mcda::random_index::alonso_lamata2006})
      fuzz::accepted([&] {
        const auto r = mcda::ahp(a, method, table);
        check_weights(r, e(n));
        // A reciprocal matrix's principal eigenvalue is at least n (Saaty).
        if (method == mcda::ahp_method::eigenvector) RECTIFY_FUZZ_CHECK(r.lambda_max >= static_cast<double>(n) - 1e-6);
      });
  fuzz::accepted([&] {
    const auto g = mcda::ahp_group({a, a});
    RECTIFY_FUZZ_CHECK(g.rows() == a.rows() && g.cols() == a.cols());
    for (Eigen::Index i = 0; i < a.rows(); ++i)
      for (Eigen::Index j = 0; j < a.cols(); ++j) RECTIFY_FUZZ_CHECK(fuzz::close(g(i, j), a(i, j), 1e-12));
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rectify::fuzz::run_one(data, size, one);
}
