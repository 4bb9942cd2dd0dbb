#include <catch2/catch.hpp>
#include <functional>
#include <limits>

#include "rectify/core/error.hpp"
#include "rectify/mcda/common.hpp"
#include "support.hpp"

namespace rm = rectify::mcda;
using rectify::test::message_of;

TEST_CASE("mcda: a NaN or infinite value is refused with its row and column", "[mcda]") {
  Eigen::MatrixXd x(2, 3);
  x << 1, 2, 3, 4, std::numeric_limits<double>::quiet_NaN(), 6;
  CHECK(message_of([&] { rm::check_finite(x); }) ==
        "[rectify.mcda.not_finite] the decision matrix: row 1, column 1: NaN (every value must be a finite number)");
  x(1, 1) = -std::numeric_limits<double>::infinity();
  CHECK(message_of([&] { rm::check_finite(x); }) ==
        "[rectify.mcda.not_finite] the decision matrix: row 1, column 1: infinite (every value must be a finite "
        "number)");
  x(1, 1) = 5;
  CHECK_NOTHROW(rm::check_finite(x));
}

TEST_CASE("mcda: criterion types are +1 or -1, one per column", "[mcda]") {
  Eigen::VectorXi t(3);
  t << 1, -1, 1;
  CHECK_NOTHROW(rm::check_types(t, 3));
  CHECK(message_of([&] { rm::check_types(t, 2); }) == "[rectify.mcda.bad_types] got 3 criterion types for 2 columns");
  t[1] = 0;
  CHECK(message_of([&] { rm::check_types(t, 3); }) ==
        "[rectify.mcda.bad_types] column 1: a criterion type is +1 (benefit) or -1 (cost), not 0");
}

TEST_CASE("mcda: weights are rescaled to sum 1 and must be finite, non-negative, not all zero", "[mcda]") {
  Eigen::VectorXd w(3);
  w << 2, 1, 1;
  auto n = rm::normalized_weights(w, 3);
  CHECK(n[0] == 0.5);  // 2 / 4
  CHECK(n[1] == 0.25);
  CHECK(n[2] == 0.25);
  CHECK(message_of([&] { (void)rm::normalized_weights(w, 4); }) ==
        "[rectify.mcda.bad_weights] got 3 weights for 4 columns");
  w << 1, -1, 1;
  CHECK(message_of([&] { (void)rm::normalized_weights(w, 3); }) ==
        "[rectify.mcda.bad_weights] weight 1 must be finite and >= 0, not -1");
  w << 0, 0, 0;
  CHECK(message_of([&] { (void)rm::normalized_weights(w, 3); }) ==
        "[rectify.mcda.bad_weights] the weights sum to 0; at least one must be positive");
}
