#pragma once
// Helpers shared by the Catch2 test files.
#include <Eigen/Core>
#include <functional>
#include <initializer_list>
#include <string>

#include "rectify/core/error.hpp"

namespace rectify::test {

/// The full message of the rectify::error that `f` throws, or "(no error)".
inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const rectify::error& e) {
    return e.what();
  }
  return "(no error)";
}

/// A vector from a list: v({1, 2, 3}).
inline Eigen::VectorXd v(std::initializer_list<double> xs) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(xs.size()));
  Eigen::Index i = 0;
  for (double x : xs) out[i++] = x;
  return out;
}

}  // namespace rectify::test
