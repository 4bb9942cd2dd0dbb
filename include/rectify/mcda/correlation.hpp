#pragma once
/// Agreement of two rankings of the same alternatives (docs/mcda.md, "Robustness"): how much a
/// change of weights or method moved the order. Inputs are ranks or scores, one per
/// alternative; both must be finite and of the same length (at least 2).
#include "rectify/mcda/common.hpp"

namespace rectify::mcda {

/// Spearman's ρ: Pearson's correlation of the average ranks of `a` and `b` (so ties count as
/// they should; higher values rank higher). A constant input has no ρ: `rectify.mcda.bad_option`.
[[nodiscard]] double spearman(const vector_ref& a, const vector_ref& b);

/// Kendall's τ_b = (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂)) with n₁, n₂ the pairs tied in a and in b.
/// O(n²) pairs: meant for rankings of units, not for millions of values.
[[nodiscard]] double kendall_tau_b(const vector_ref& a, const vector_ref& b);

/// The weighted rank similarity WS of Sałabun & Urbaniak (2020), for two rankings given as ranks
/// (1 = best), `reference` first: WS = 1 − Σᵢ 2^(−Rxᵢ) |Rxᵢ − Ryᵢ| / max(|Rxᵢ − 1|, |Rxᵢ − N|).
/// Disagreement at the top weighs most; WS is not symmetric.
[[nodiscard]] double ws_similarity(const vector_ref& reference, const vector_ref& other);

}  // namespace rectify::mcda
