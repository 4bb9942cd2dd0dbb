#include "rectify/mcda/normalize.hpp"

#include <array>
#include <charconv>
#include <string>

#include "rectify/core/error.hpp"

namespace rectify::mcda {

namespace {

[[noreturn]] void refuse(Eigen::Index column, std::string_view method, const std::string& why) {
  raise("rectify.mcda.bad_matrix", "",
        "column " + std::to_string(column) + ": " + std::string(method) + " normalisation refuses " + why);
}

}  // namespace

std::string_view to_string(normalization method) {
  switch (method) {
    case normalization::minmax:
      return "minmax";
    case normalization::vector:
      return "vector";
    case normalization::sum:
      return "sum";
    case normalization::max:
      return "max";
    case normalization::linear:
      return "linear";
  }
  return "unknown";
}

normalization parse_normalization(std::string_view name) {
  for (auto m :
       {normalization::minmax, normalization::vector, normalization::sum, normalization::max, normalization::linear})
    if (name == to_string(m)) return m;
  raise("rectify.mcda.bad_method", "",
        "unknown normalisation " + quoted(name) + "; expected one of minmax, vector, sum, max, linear");
}

Eigen::MatrixXd normalize(const matrix_ref& x, const types_ref& types, normalization method) {
  if (x.rows() == 0 || x.cols() == 0)
    raise("rectify.mcda.bad_matrix", "", "the decision matrix is empty (it needs at least one row and one column)");
  check_finite(x);
  check_types(types, x.cols());
  const auto name = to_string(method);
  Eigen::MatrixXd out(x.rows(), x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const auto col = x.col(j);
    const bool benefit = types[j] == 1;
    auto res = out.col(j);
    switch (method) {
      case normalization::minmax: {
        const double lo = col.minCoeff(), hi = col.maxCoeff();
        if (hi == lo)
          res.setOnes();
        else if (benefit)
          res = (col.array() - lo) / (hi - lo);
        else
          res = (hi - col.array()) / (hi - lo);
        break;
      }
      case normalization::vector: {
        const double norm = col.norm();
        if (norm == 0) refuse(j, name, "an all-zero column");
        if (benefit)
          res = col / norm;
        else
          res = 1.0 - col.array() / norm;
        break;
      }
      case normalization::sum: {
        for (Eigen::Index i = 0; i < x.rows(); ++i)
          if (col[i] <= 0) refuse(j, name, "a value <= 0 (row " + std::to_string(i) + ": " + number_text(col[i]) + ")");
        if (benefit)
          res = col / col.sum();
        else
          res = col.array().inverse() / col.array().inverse().sum();
        break;
      }
      case normalization::max: {
        const double hi = col.maxCoeff();
        if (hi == 0) refuse(j, name, "a column whose maximum is 0");
        if (benefit)
          res = col / hi;
        else
          res = 1.0 - col.array() / hi;
        break;
      }
      case normalization::linear: {
        if (benefit) {
          const double hi = col.maxCoeff();
          if (hi == 0) refuse(j, name, "a benefit column whose maximum is 0");
          res = col / hi;
        } else {
          for (Eigen::Index i = 0; i < x.rows(); ++i)
            if (col[i] == 0) refuse(j, name, "a zero in a cost column (row " + std::to_string(i) + ")");
          res = col.minCoeff() / col.array();
        }
        break;
      }
    }
  }
  return out;
}

}  // namespace rectify::mcda
