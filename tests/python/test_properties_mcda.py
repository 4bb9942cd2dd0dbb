"""Property-based tests (Hypothesis) of the MCDA methods' invariants (docs/mcda.md, issue 8 part 3).

Every property here follows from the formulas, not from our output: weights live on the simplex;
AHP gives back the weights a consistent matrix was built from, with CR = 0; TOPSIS closeness is
in [0, 1]; min-max, vector, sum-based and rank-based methods ignore a positive rescaling of a
criterion; an alternative that is at least as good on every criterion never ranks below one it
dominates; relabelling (permuting) the alternatives permutes every result; SMAA's rank
acceptabilities are shares of the samples. The profile "rectify" (conftest) makes the runs
derandomized, so CI cannot flake.

Matrices are drawn from multiples of 1/4 in a bounded range: they are exact in binary, ties are
exact ties, and any two distinct values of a column differ by at least 1/4, so the rounding error
of a normalisation (a few ulps of the column's magnitude over its range) stays far below the
tolerances used (1e-9 on scores in [0, 1]).
"""

from __future__ import annotations

import contextlib
import math
from typing import Any, Callable, Dict, List, Tuple

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from rectify import mcda

TOL = 1e-9
#: Saaty's fundamental scale and its reciprocals, the judgements of a pairwise matrix.
SAATY = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0] + [1.0 / k for k in range(2, 10)]


# -- strategies ---------------------------------------------------------------------------------


@st.composite
def problems(
    draw: st.DrawFn, min_rows: int = 2, max_rows: int = 7, min_cols: int = 1, max_cols: int = 5, low: int = 0
) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, weights, types): X has values k/4 for k in [low, 160], weights are positive (so
    every criterion has a say) and types are +1/-1."""
    m = draw(st.integers(min_rows, max_rows))
    n = draw(st.integers(min_cols, max_cols))
    cells = draw(st.lists(st.integers(low, 160), min_size=m * n, max_size=m * n))
    x = np.asfortranarray(np.array(cells, dtype=np.float64).reshape(m, n) / 4.0)
    w = np.array(draw(st.lists(st.integers(1, 20), min_size=n, max_size=n)), dtype=np.float64)
    t = np.array(draw(st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n)), dtype=np.int64)
    return x, w, t


@st.composite
def dominated(draw: st.DrawFn, low: int = 0) -> Tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """(X, weights, types, a, b) where row b is row a made worse (or kept equal) on every
    criterion and strictly worse on at least one: a dominates b."""
    x, w, t = draw(problems(min_rows=2, low=low))
    m, n = x.shape
    a = draw(st.integers(0, m - 1))
    b = draw(st.integers(0, m - 2))
    b = b if b < a else b + 1
    worse = np.array(draw(st.lists(st.integers(0, 40), min_size=n, max_size=n)), dtype=np.float64) / 4.0
    j = draw(st.integers(0, n - 1))
    worse[j] = max(worse[j], 0.25)
    row = x[a] - t * worse
    # keep the values in the drawn range (a benefit value cannot go below `low`)
    row = np.where((t == 1) & (row < low / 4.0), low / 4.0, row)
    x = x.copy(order="F")
    x[b] = row
    assume(not np.array_equal(x[a], x[b]))
    return x, w, t, a, b


def positive_weights(n: int) -> st.SearchStrategy[np.ndarray]:
    return st.lists(st.floats(0.05, 20.0), min_size=n, max_size=n).map(lambda v: np.array(v, dtype=np.float64))


def on_simplex(w: np.ndarray, n: int) -> None:
    assert w.shape == (n,)
    assert np.all(np.isfinite(w))
    assert np.all(w >= 0.0)
    assert math.isclose(float(np.sum(w)), 1.0, abs_tol=1e-12)


#: Every aggregation by name: (scores, higher is better), for the shared properties. PROMETHEE
#: and TOPSIS appear with several options, since the properties must hold for each.
METHODS: Dict[str, Tuple[Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray], bool]] = {
    "wsm": (lambda x, w, t: np.asarray(mcda.wsm(x, w, t).scores), True),
    "wpm": (lambda x, w, t: np.asarray(mcda.wpm(x, w, t).scores), True),
    "topsis": (lambda x, w, t: np.asarray(mcda.topsis(x, w, t).scores), True),
    "topsis_vector": (lambda x, w, t: np.asarray(mcda.topsis(x, w, t, "vector").scores), True),
    "vikor_S": (lambda x, w, t: np.asarray(mcda.vikor(x, w, t).S), False),
    "vikor_R": (lambda x, w, t: np.asarray(mcda.vikor(x, w, t).R), False),
    "vikor_Q": (lambda x, w, t: np.asarray(mcda.vikor(x, w, t, v=0.3).Q), False),
    "promethee_usual": (lambda x, w, t: np.asarray(mcda.promethee2(x, w, t).phi), True),
    "promethee_linear": (
        lambda x, w, t: np.asarray(mcda.promethee2(x, w, t, "linear", q=0.5, p=6.0).phi),
        True,
    ),
    "promethee_level": (
        lambda x, w, t: np.asarray(mcda.promethee2(x, w, t, "level", q=1.0, p=4.0).phi),
        True,
    ),
    "promethee_v_shape": (lambda x, w, t: np.asarray(mcda.promethee2(x, w, t, "v_shape", p=8.0).phi), True),
    "promethee_gaussian": (lambda x, w, t: np.asarray(mcda.promethee2(x, w, t, "gaussian", s=3.0).phi), True),
    "promethee_u_shape": (lambda x, w, t: np.asarray(mcda.promethee2(x, w, t, "u_shape", q=2.0).phi), True),
    "gra": (lambda x, w, t: np.asarray(mcda.gra(x, w, t).scores), True),
    "gra_rho": (lambda x, w, t: np.asarray(mcda.gra(x, w, t, rho=0.9).scores), True),
}
#: Methods whose values must be > 0 (COPRAS divides by cost values; sum normalisation too).
POSITIVE: Dict[str, Tuple[Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray], bool]] = {
    "copras": (lambda x, w, t: np.asarray(mcda.copras(x, w, t).scores), True),
    "wsm_sum": (lambda x, w, t: np.asarray(mcda.wsm(x, w, t, "sum").scores), True),
    "topsis_sum": (lambda x, w, t: np.asarray(mcda.topsis(x, w, t, "sum").scores), True),
    "topsis_linear": (lambda x, w, t: np.asarray(mcda.topsis(x, w, t, "linear").scores), True),
    "wpm_max": (lambda x, w, t: np.asarray(mcda.wpm(x, w, t, "max").scores), True),
}


# -- weights on the simplex ---------------------------------------------------------------------


@given(problems(low=0))
def test_entropy_weights_are_on_the_simplex_and_ignore_scaling(p: Tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, _, _ = p
    assume(np.all(x.sum(axis=0) > 0))  # a column of zeros has no shares pᵢⱼ
    with pytest.warns(RuntimeWarning) if np.all(x == x[0]) else contextlib.nullcontext():
        w = mcda.weights.entropy(x)
    on_simplex(w, x.shape[1])
    e = mcda.weights.entropies(x) if not np.all(x == x[0]) else np.ones(x.shape[1])
    assert np.all(e >= -1e-12) and np.all(e <= 1 + 1e-12)
    # a constant column carries no information: e = 1, weight 0 (unless every column is)
    constant = np.all(x == x[0], axis=0)
    if constant.any() and not constant.all():
        assert np.all(w[constant] == 0.0)
    # pᵢⱼ = xᵢⱼ/Σᵢxᵢⱼ does not change when a column is multiplied by c > 0
    scaled = x * np.array([3.0, 0.01, 250.0, 1.5, 7.0])[: x.shape[1]]
    if not constant.all():
        np.testing.assert_allclose(mcda.weights.entropy(scaled), w, rtol=0, atol=TOL)


@given(problems(min_rows=2, min_cols=1))
def test_critic_and_std_weights_are_on_the_simplex(p: Tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, _, t = p
    constant = np.all(x == x[0], axis=0)
    if constant.all():
        for f in (mcda.weights.critic, mcda.weights.std):
            with pytest.raises(mcda.MCDAError) as info:
                f(x, t)
            assert info.value.code == "rectify.mcda.bad_matrix"
        return
    for f in (mcda.weights.critic, mcda.weights.std):
        w = f(x, t)
        on_simplex(w, x.shape[1])
        # a constant column has σ = 0: weight 0
        assert np.all(w[constant] == 0.0)
        # min-max normalisation ignores a positive rescaling and a shift of a column
        moved = x * np.array([0.5, 4.0, 1e3, 0.125, 9.0])[: x.shape[1]] + 17.0
        np.testing.assert_allclose(f(moved, t), w, rtol=0, atol=TOL)


@given(st.integers(1, 10).flatmap(lambda n: st.lists(st.sampled_from(SAATY), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2).map(lambda u: (n, u))))
def test_ahp_of_any_reciprocal_matrix_gives_simplex_weights(nu: Tuple[int, List[float]]) -> None:
    n, upper = nu
    a = np.ones((n, n))
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = upper[k]
            a[j, i] = 1.0 / upper[k]
            k += 1
    for method in ("eigenvector", "geometric_mean"):
        r = mcda.weights.ahp(a, method=method)
        on_simplex(r.weights, n)
        assert np.all(r.weights > 0.0)  # a positive matrix has a positive Perron vector
        # λmax ≥ n for a positive reciprocal matrix (Saaty), so CI and CR are ≥ 0
        assert r.lambda_max >= n - 1e-9
        assert r.ci >= -1e-12 and r.cr >= -1e-12
        if n <= 2:  # every 2 × 2 reciprocal matrix is consistent
            assert r.ci == 0.0 and r.cr == 0.0


@given(st.integers(1, 10).flatmap(positive_weights), st.sampled_from(["eigenvector", "geometric_mean"]))
def test_ahp_of_a_consistent_matrix_gives_back_its_weights(w: np.ndarray, method: str) -> None:
    n = len(w)
    a = w[:, None] / w[None, :]
    r = mcda.weights.ahp(a, method=method)
    np.testing.assert_allclose(r.weights, w / w.sum(), rtol=1e-9, atol=0)
    assert math.isclose(r.lambda_max, n, rel_tol=1e-9)
    assert abs(r.ci) < 1e-9 and abs(r.cr) < 1e-9
    assert r.consistent
    # relabelling the criteria (P A Pᵀ) relabels the weights
    perm = np.random.default_rng(n).permutation(n)
    np.testing.assert_allclose(mcda.weights.ahp(a[np.ix_(perm, perm)], method=method).weights, r.weights[perm], rtol=1e-9)


@given(st.integers(2, 8).flatmap(lambda n: st.lists(positive_weights(n), min_size=1, max_size=4)))
def test_ahp_group_of_consistent_judges_is_the_geometric_mean(ws: List[np.ndarray]) -> None:
    """Each judge k holds a consistent matrix wᵏᵢ/wᵏⱼ; their element-wise geometric mean is the
    consistent matrix of gᵢ = (Πₖ wᵏᵢ)^(1/K), so AHP of the group gives g/Σg with CR = 0."""
    combined = mcda.weights.ahp_group([w[:, None] / w[None, :] for w in ws])
    g = np.exp(np.mean(np.log(np.vstack(ws)), axis=0))
    r = mcda.weights.ahp(combined)
    np.testing.assert_allclose(r.weights, g / g.sum(), rtol=1e-9)
    assert abs(r.cr) < 1e-9


# -- aggregations --------------------------------------------------------------------------------


@given(problems(low=1), st.sampled_from(["minmax", "vector", "sum", "max", "linear"]))
def test_topsis_closeness_is_in_the_unit_interval(p: Tuple[np.ndarray, np.ndarray, np.ndarray], norm: str) -> None:
    x, w, t = p
    r = mcda.topsis(x, w, t, norm)
    c, dp, dm = np.asarray(r.closeness), np.asarray(r.d_plus), np.asarray(r.d_minus)
    assert np.all(np.isfinite(c)) and np.all(c >= 0.0) and np.all(c <= 1.0)
    assert np.all(dp >= 0.0) and np.all(dm >= 0.0)
    # C = D⁻/(D⁺ + D⁻), and 1 when an alternative is both ideal and anti-ideal (D⁺ = D⁻ = 0)
    both = dp + dm
    expect = np.where(both == 0.0, 1.0, dm / np.where(both == 0.0, 1.0, both))
    np.testing.assert_allclose(c, expect, rtol=0, atol=1e-12)


@given(problems(low=1))
def test_other_scores_stay_in_their_ranges(p: Tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, w, t = p
    m = x.shape[0]
    for name in ("wsm", "wpm", "gra"):
        s = METHODS[name][0](x, w, t)
        assert np.all(s >= -1e-12) and np.all(s <= 1 + 1e-12), name
    v = mcda.vikor(x, w, t)
    for arr in (v.S, v.R, v.Q):
        a = np.asarray(arr)
        assert np.all(a >= -1e-12) and np.all(a <= 1 + 1e-12)
    assert np.all(np.asarray(v.R) <= np.asarray(v.S) + 1e-12)  # the max term ≤ the sum
    comp = list(v.compromise)
    assert comp and len(set(comp)) == len(comp) and all(0 <= k < m for k in comp)
    pr = mcda.promethee2(x, w, t)
    phi_plus, phi_minus, phi = (np.asarray(a) for a in (pr.phi_plus, pr.phi_minus, pr.phi))
    assert np.all(phi_plus >= -1e-12) and np.all(phi_plus <= 1 + 1e-12)
    assert np.all(phi_minus >= -1e-12) and np.all(phi_minus <= 1 + 1e-12)
    np.testing.assert_allclose(phi, phi_plus - phi_minus, atol=1e-12)
    # every pairwise preference is counted once for and once against: net flows sum to 0
    assert abs(float(phi.sum())) < 1e-9
    u = np.asarray(mcda.copras(x, w, t).utility)
    assert np.all(u > 0.0) and math.isclose(float(u.max()), 1.0, abs_tol=1e-12)


#: Scale factors for the invariance test: one per criterion, far from 1 both ways.
SCALES = np.array([1000.0, 0.001, 3.7, 1.0 / 3.0, 65.0])


@given(problems(low=1))
@example(  # found by this test: S tied in theory, 1 ulp apart once rescaled, gave Q = 0 and 1
    (np.array([[0.25, 0.25, 0.5], [0.25, 0.5, 0.25]], order="F"), np.array([2.0, 1.0, 1.0]), np.array([1, 1, 1]))
)
@settings(max_examples=50)
def test_scores_ignore_a_positive_rescaling_of_a_criterion(p: Tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    """Every normalisation here is scale-free (minmax, vector, sum, max and linear divide by a
    statistic of the column), VIKOR divides by the column's range, COPRAS by the column's sum,
    the usual PROMETHEE criterion looks only at the sign of differences and GRA normalises by
    minmax: multiplying one criterion by c > 0 changes no score."""
    x, w, t = p
    scaled = np.asfortranarray(x * SCALES[: x.shape[1]])
    for name, (f, _) in {**METHODS, **POSITIVE}.items():
        if name.startswith("promethee") and name != "promethee_usual":
            continue  # thresholds are in the criterion's units: they would have to scale too
        np.testing.assert_allclose(f(scaled, w, t), f(x, w, t), rtol=0, atol=TOL, err_msg=name)


def _never_below(scores: np.ndarray, higher: bool, a: int, b: int, what: str) -> None:
    sa, sb = float(scores[a]), float(scores[b])
    if higher:
        assert sa >= sb - 1e-12, f"{what}: dominated {b} scores {sb} above its dominator {a} ({sa})"
    else:
        assert sa <= sb + 1e-12, f"{what}: dominated {b} scores {sb} below its dominator {a} ({sa})"
    ranks = np.asarray(mcda.rank(scores, higher_is_better=higher, ties="competition"))
    assert ranks[a] <= ranks[b], f"{what}: dominated {b} ranks {ranks[b]}, its dominator {a} ranks {ranks[a]}"


@given(dominated(low=0))
def test_a_dominated_alternative_never_ranks_above_its_dominator(d: Tuple[np.ndarray, np.ndarray, np.ndarray, int, int]) -> None:
    x, w, t, a, b = d
    for name, (f, higher) in METHODS.items():
        _never_below(f(x, w, t), higher, a, b, name)
    # strict domination with positive weights: VIKOR's S(a) < S(b) and so Q(a) < Q(b), hence b
    # is never the compromise solution on its own
    assert list(mcda.vikor(x, w, t).compromise) != [b]


@given(dominated(low=1))
def test_dominance_for_methods_of_positive_values(d: Tuple[np.ndarray, np.ndarray, np.ndarray, int, int]) -> None:
    x, w, t, a, b = d
    assume(np.all(x > 0))
    for name, (f, higher) in POSITIVE.items():
        _never_below(f(x, w, t), higher, a, b, name)


@given(problems(low=1, min_rows=2), st.randoms(use_true_random=False))
@settings(max_examples=40)
def test_permuting_alternatives_permutes_every_result(p: Tuple[np.ndarray, np.ndarray, np.ndarray], rnd: Any) -> None:
    x, w, t = p
    m = x.shape[0]
    perm = np.array(rnd.sample(range(m), m))
    xp = np.asfortranarray(x[perm])
    for name, (f, _) in {**METHODS, **POSITIVE}.items():
        np.testing.assert_allclose(f(xp, w, t), f(x, w, t)[perm], rtol=0, atol=1e-12, err_msg=name)
    # the fields beside the main score follow too
    r, rp = mcda.topsis(x, w, t), mcda.topsis(xp, w, t)
    np.testing.assert_allclose(np.asarray(rp.d_plus), np.asarray(r.d_plus)[perm], atol=1e-12)
    np.testing.assert_allclose(np.asarray(rp.d_minus), np.asarray(r.d_minus)[perm], atol=1e-12)
    v, vp = mcda.vikor(x, w, t), mcda.vikor(xp, w, t)
    q = np.asarray(v.Q)
    if len(np.unique(np.round(q, 12))) == m:
        # without ties in Q the compromise set is defined by the values alone (with ties the
        # best-first order, and so the chosen a2, follows input order by design)
        assert sorted(perm[k] for k in vp.compromise) == sorted(v.compromise)
    # permuting the criteria (with their weights and types) changes nothing
    n = x.shape[1]
    cp = np.array(rnd.sample(range(n), n))
    xc = np.asfortranarray(x[:, cp])
    for name, (f, _) in {**METHODS, **POSITIVE}.items():
        np.testing.assert_allclose(f(xc, w[cp], t[cp]), f(x, w, t), rtol=0, atol=1e-12, err_msg=name)


@given(problems(min_cols=1), st.sampled_from(["competition", "dense", "average", "ordinal"]))
def test_rank_agrees_with_its_definition(p: Tuple[np.ndarray, np.ndarray, np.ndarray], ties: str) -> None:
    """Ranks of exact-binary scores, checked pairwise against the definitions of docs/mcda.md."""
    x, w, t = p
    s = np.asarray(mcda.wsm(x, w, t).scores)
    s = np.round(s * 64.0) / 64.0  # exact ties
    r = np.asarray(mcda.rank(s, ties=ties), dtype=np.float64)
    m = len(s)
    for i in range(m):
        better = int(np.sum(s > s[i]))
        equal = int(np.sum(s == s[i]))
        if ties == "competition":
            assert r[i] == better + 1
        elif ties == "dense":
            assert r[i] == len(np.unique(s[s > s[i]])) + 1
        elif ties == "average":
            assert r[i] == better + (equal + 1) / 2.0
        else:  # ordinal: ties in input order
            assert r[i] == better + int(np.sum(s[:i] == s[i])) + 1
    assert sorted(np.asarray(mcda.rank(s, ties="ordinal")).tolist()) == list(range(1, m + 1))


# -- SMAA ---------------------------------------------------------------------------------------


SMAA_SAMPLES = 400


@given(dominated(low=1), st.sampled_from(["wsm", "topsis", "vikor", "promethee2", "gra", "copras"]), st.integers(0, 2**32))
@settings(max_examples=40)
def test_smaa_acceptabilities_are_shares_of_the_samples(
    d: Tuple[np.ndarray, np.ndarray, np.ndarray, int, int], method: str, seed: int
) -> None:
    x, _, t, a, b = d
    assume(np.all(x > 0))
    m, n = x.shape
    r = mcda.smaa(x, t, method, samples=SMAA_SAMPLES, seed=seed, threads=1, progress=False)
    acc = r.acceptability.to_numpy()
    assert acc.shape == (m, m)
    # competition ranks: each sample gives every alternative one rank, so rows sum to 1, and
    # each entry counts samples
    np.testing.assert_allclose(acc.sum(axis=1), 1.0, atol=1e-12)
    counts = acc * SMAA_SAMPLES
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-6)
    assert np.all(acc >= 0.0)
    # holistic acceptability with the linear meta-weights (m − r)/(m − 1)
    alpha = (m - np.arange(1, m + 1)) / (m - 1)
    np.testing.assert_allclose(r.holistic.to_numpy(), acc @ alpha, atol=1e-12)
    # central weights: on the simplex where the alternative is ever first, NaN otherwise
    cw = r.central_weights.to_numpy()
    conf = r.confidence.to_numpy()
    for i in range(m):
        if acc[i, 0] > 0:
            on_simplex(cw[i], n)
            assert 0.0 <= conf[i] <= 1.0
        else:
            assert np.all(np.isnan(cw[i])) and np.isnan(conf[i])
    # the dominator is in the top k at least as often as the dominated, for every k: in each
    # sample its score is at least as good, so its competition rank is at most the other's
    cum = np.cumsum(acc, axis=1)
    assert np.all(cum[a] >= cum[b] - 1e-12), (method, cum[a], cum[b])
    # relabelling the alternatives relabels the acceptabilities (same weight samples)
    perm = np.roll(np.arange(m), 1)
    rp = mcda.smaa(np.asfortranarray(x[perm]), t, method, samples=SMAA_SAMPLES, seed=seed, threads=1, progress=False)
    np.testing.assert_array_equal(rp.acceptability.to_numpy(), acc[perm])


@given(
    st.integers(2, 6).flatmap(
        lambda n: st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10)), min_size=n, max_size=n)
    ),
    st.integers(0, 2**32),
)
@settings(max_examples=15)
def test_smaa_weight_samples_stay_in_their_intervals(pairs: List[Tuple[int, int]], seed: int) -> None:
    lower = np.array([min(p) for p in pairs], dtype=np.float64) / 20.0
    upper = np.array([max(p) for p in pairs], dtype=np.float64) / 20.0
    n = len(pairs)
    box = list(zip(lower, upper))
    if lower.sum() > 1.0 or upper.sum() < 1.0:
        with pytest.raises(mcda.MCDAError) as info:
            mcda.smaa_weights(n, samples=100, seed=seed, intervals=box)
        assert info.value.code == "rectify.mcda.bad_option"
        return
    try:
        w = mcda.smaa_weights(n, samples=300, seed=seed, intervals=box)
    except mcda.MCDAError as e:
        # a box that barely touches the simplex is refused by the pilot run, with its acceptance
        assert e.code == "rectify.mcda.bad_option" and "accept" in str(e)
        return
    assert w.shape == (300, n)
    np.testing.assert_allclose(w.sum(axis=1), 1.0, atol=1e-12)
    assert np.all(w >= lower - 1e-12) and np.all(w <= upper + 1e-12)
    # uniform and Dirichlet sampling stay on the simplex too
    for kwargs in ({}, {"weights": np.arange(1, n + 1, dtype=np.float64), "concentration": 5.0}):
        u = mcda.smaa_weights(n, samples=200, seed=seed, **kwargs)
        assert np.all(u >= 0.0)
        np.testing.assert_allclose(u.sum(axis=1), 1.0, atol=1e-12)
