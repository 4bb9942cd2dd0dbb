#include <catch2/catch.hpp>
#include <functional>
#include <string>

#include "rectify/core/error.hpp"
#include "rectify/mcda/correlation.hpp"
#include "support.hpp"

namespace rm = rectify::mcda;
using rectify::test::message_of;
using rectify::test::v;

TEST_CASE("mcda: identical and reversed rankings correlate +1 and -1", "[mcda]") {
  const auto a = v({1, 2, 3, 4, 5}), r = v({5, 4, 3, 2, 1});
  CHECK(rm::spearman(a, a) == Approx(1.0));
  CHECK(rm::kendall_tau_b(a, a) == Approx(1.0));
  CHECK(rm::ws_similarity(a, a) == 1.0);
  CHECK(rm::spearman(a, r) == Approx(-1.0));
  CHECK(rm::kendall_tau_b(a, r) == Approx(-1.0));
  // WS, N = 5, reference 1..5 against 5..1:
  //   Rx=1,Ry=5: 2^-1 * 4 / max(0, 4) = 0.5
  //   Rx=2,Ry=4: 2^-2 * 2 / max(1, 3) = 1/6
  //   Rx=3,Ry=3: 0
  //   Rx=4,Ry=2: 2^-4 * 2 / max(3, 1) = 1/24
  //   Rx=5,Ry=1: 2^-5 * 4 / max(4, 0) = 1/32
  //   WS = 1 - (0.5 + 1/6 + 1/24 + 1/32) = 0.2604166...
  CHECK(rm::ws_similarity(a, r) == Approx(1.0 - (0.5 + 1.0 / 6 + 1.0 / 24 + 1.0 / 32)));
}

TEST_CASE("mcda: one swap in the middle", "[mcda]") {
  const auto a = v({1, 2, 3, 4}), b = v({1, 3, 2, 4});
  // d = (0, 1, 1, 0): rho = 1 - 6 * 2 / (4 * 15) = 0.8
  CHECK(rm::spearman(a, b) == Approx(0.8));
  // 6 pairs, only (2, 3) discordant: tau = (5 - 1) / 6
  CHECK(rm::kendall_tau_b(a, b) == Approx(4.0 / 6.0));
  // WS: only Rx=2 (Ry=3) and Rx=3 (Ry=2) differ: 2^-2 * 1/max(1, 2) + 2^-3 * 1/max(2, 1) = 1/8 + 1/16
  CHECK(rm::ws_similarity(a, b) == Approx(1.0 - (1.0 / 8 + 1.0 / 16)));
  // The same swap at the top costs WS more than in the middle.
  CHECK(rm::ws_similarity(a, v({2, 1, 3, 4})) < rm::ws_similarity(a, b));
}

TEST_CASE("mcda: Kendall tau-b and Spearman handle ties", "[mcda]") {
  const auto a = v({1, 2, 2, 3}), b = v({1, 2, 3, 4});
  // n0 = 6 pairs, 1 tied in a, none in b; the 5 others concordant: 5 / sqrt(5 * 6)
  CHECK(rm::kendall_tau_b(a, b) == Approx(5.0 / std::sqrt(30.0)));
  // Average ranks (highest first) of a: 4, 2.5, 2.5, 1 and of b: 4, 3, 2, 1; Pearson of them:
  // centred a: 1.5, 0, 0, -1.5 and b: 1.5, 0.5, -0.5, -1.5 -> 4.5 / sqrt(4.5 * 5)
  CHECK(rm::spearman(a, b) == Approx(4.5 / std::sqrt(4.5 * 5.0)));
}

TEST_CASE("mcda: rank correlation refuses what it cannot compare", "[mcda]") {
  CHECK(message_of([] {
          (void)rm::spearman(v({1, 2}), v({1, 2, 3}));
        }) ==
        "[rectify.mcda.bad_option] spearman: the rankings have 2 and 3 entries; they must rank the same alternatives");
  CHECK(message_of([] { (void)rm::kendall_tau_b(v({1}), v({1})); }) ==
        "[rectify.mcda.bad_option] kendall: needs at least 2 alternatives");
  CHECK(message_of([] {
          (void)rm::spearman(v({2, 2, 2}), v({1, 2, 3}));
        }) == "[rectify.mcda.bad_option] spearman: a ranking in which every alternative ties has no correlation");
  CHECK(message_of([] {
          (void)rm::ws_similarity(v({1, 2, 7}), v({1, 2, 3}));
        }) == "[rectify.mcda.bad_ranks] ws: position 2: ranks lie in [1, 3]");
  CHECK(message_of([] {
          (void)rm::kendall_tau_b(v({1, std::nan("")}), v({1, 2}));
        }) ==
        "[rectify.mcda.not_finite] the first ranking: row 1, column 0: NaN (every value must be a finite number)");
}
