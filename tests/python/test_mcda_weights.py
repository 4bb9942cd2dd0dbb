"""rectify.mcda.weights against the formulas (mcda_reference.py) and its errors."""

from __future__ import annotations

from fractions import Fraction

import mcda_reference as ref
import numpy as np
import pandas as pd
import pytest

import rectify
from rectify import mcda
from rectify.mcda import weights


def _frame(seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.uniform(0.5, 20.0, size=(15, 4)), columns=["a", "b", "c", "d"])


# -- rank-based ----------------------------------------------------------------------------


def test_equal() -> None:
    w = weights.equal(4)
    assert isinstance(w, np.ndarray)
    np.testing.assert_array_equal(w, [0.25] * 4)
    with pytest.raises(rectify.MCDAError):
        weights.equal(0)
    with pytest.raises(rectify.MCDAError, match="number of criteria"):
        weights.equal(2.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [1, 2, 4, 7])
def test_rank_weights_of_positions(n: int) -> None:
    i = np.arange(1, n + 1)
    roc = np.array([np.sum(1.0 / np.arange(k, n + 1)) / n for k in i])
    rank_sum = 2 * (n + 1 - i) / (n * (n + 1))
    recip = (1 / i) / np.sum(1 / i)
    np.testing.assert_allclose(weights.roc(n), roc, rtol=1e-14)
    np.testing.assert_allclose(weights.rank_sum(np.int64(n)), rank_sum, rtol=1e-14)
    np.testing.assert_allclose(weights.rank_reciprocal(n), recip, rtol=1e-14)


def test_rank_weights_of_criteria_ranks_with_ties() -> None:
    # Criteria ranked 2, 1, 2: the tied pair shares positions 2 and 3.
    by_pos = weights.roc(3)
    np.testing.assert_allclose(weights.roc([2, 1, 2]), [(by_pos[1] + by_pos[2]) / 2, by_pos[0], (by_pos[1] + by_pos[2]) / 2])
    np.testing.assert_allclose(weights.rank_sum(np.array([3, 1, 2])), weights.rank_sum(3)[[2, 0, 1]])
    np.testing.assert_allclose(weights.rank_reciprocal(pd.Series([1, 3, 2])), weights.rank_reciprocal(3)[[0, 2, 1]])
    with pytest.raises(rectify.MCDAError, match="criterion 1: a rank is a whole number >= 1, not 1.5"):
        weights.roc([1, 1.5])
    with pytest.raises(rectify.MCDAError, match="criterion 0") as info:
        weights.roc([0, 1])
    assert info.value.code == "rectify.mcda.bad_ranks"


# -- objective ---------------------------------------------------------------------------


def test_entropy() -> None:
    df = _frame()
    df.iloc[3, 1] = 0.0  # 0 ln 0 = 0
    w = weights.entropy(df)
    want_w, want_e = ref.entropy(df.to_numpy())
    assert isinstance(w, np.ndarray)
    np.testing.assert_allclose(w, want_w, rtol=1e-12)
    np.testing.assert_allclose(weights.entropies(df), want_e, rtol=1e-12)
    assert w.sum() == pytest.approx(1.0)


def test_entropy_all_constant_warns_and_gives_equal_weights() -> None:
    with pytest.warns(RuntimeWarning, match="constant"):
        w = weights.entropy(np.ones((4, 3)))
    np.testing.assert_allclose(w, [1 / 3] * 3)


def test_entropy_refuses_negative_values_and_one_row() -> None:
    with pytest.raises(rectify.MCDAError, match=r'row 1 \(1\), column 0 \("a"\)') as info:
        weights.entropy(pd.DataFrame({"a": [1.0, -1.0], "b": [1.0, 2.0]}))
    assert info.value.code == "rectify.mcda.bad_matrix"
    with pytest.raises(rectify.MCDAError, match="at least 2 rows"):
        weights.entropy([[1.0, 2.0]])


@pytest.mark.parametrize("types", [None, [1, -1, 1, -1], {"a": "+", "b": "-", "c": "+", "d": "-"}])
def test_critic_and_std(types: object) -> None:
    df = _frame()
    t = [1, 1, 1, 1] if types is None else [1, -1, 1, -1]
    np.testing.assert_allclose(weights.critic(df, types), ref.critic(df.to_numpy(), t), rtol=1e-12)
    np.testing.assert_allclose(weights.std(df, types=types), ref.std_weights(df.to_numpy(), t), rtol=1e-12)


def test_critic_refuses_all_constant_columns() -> None:
    with pytest.raises(rectify.MCDAError, match="constant"):
        weights.critic(np.ones((3, 2)))


# -- AHP ---------------------------------------------------------------------------------

SAATY_4 = np.array(
    [
        [1, 3, 5, 9],
        [1 / 3, 1, 2, 4],
        [1 / 5, 1 / 2, 1, 3],
        [1 / 9, 1 / 4, 1 / 3, 1],
    ]
)


@pytest.mark.parametrize("method", ["eigenvector", "geometric_mean"])
def test_ahp_matches_numpy(method: str) -> None:
    r = weights.ahp(SAATY_4, method=method)
    w, lam, ci, cr = ref.ahp(SAATY_4, method)
    np.testing.assert_allclose(r.weights, w, rtol=1e-10)
    assert r.lambda_max == pytest.approx(lam, rel=1e-10)
    assert r.ci == pytest.approx(ci, rel=1e-8, abs=1e-12)
    assert r.cr == pytest.approx(cr, rel=1e-8, abs=1e-12)
    assert r.ri == 0.90 and r.n == 4 and r.consistent
    assert "CR" in repr(r) and "λmax" in r._repr_html_()


def test_ahp_strings_fractions_and_frames() -> None:
    text = [["1", "3", "5", "9"], ["1/3", 1, 2, "4"], ["1/5", " 1/2 ", 1, 3], ["1/9", 0.25, Fraction(1, 3), 1]]
    np.testing.assert_allclose(weights.ahp(text).weights, weights.ahp(SAATY_4).weights, rtol=1e-12)
    names = ["cost", "quality", "speed", "risk"]
    df = pd.DataFrame(text, index=names, columns=names)
    r = weights.ahp(df)
    assert r.criteria is not None and r.criteria.tolist() == names
    assert r.to_series().index.tolist() == names
    assert "quality:" in repr(r)


def test_ahp_other_random_index_table() -> None:
    r = weights.ahp(SAATY_4, ri="alonso_lamata2006")
    assert r.ri == 0.8815
    assert r.cr == pytest.approx(r.ci / 0.8815)


def test_ahp_errors() -> None:
    bad = SAATY_4.copy()
    bad[2, 1] = 3.0  # a(1,2) = 2 needs a(2,1) = 1/2
    with pytest.raises(rectify.MCDAError, match="row 1, column 2|row 2, column 1") as info:
        weights.ahp(bad)
    assert info.value.code == "rectify.mcda.bad_matrix" and "reciprocal" in str(info.value)
    names = ["a", "b", "c", "d"]
    with pytest.raises(rectify.MCDAError, match=r'row [12] \("[bc]"\), column [12] \("[bc]"\)'):
        weights.ahp(pd.DataFrame(bad, index=names, columns=names))
    with pytest.raises(rectify.MCDAError, match="square"):
        weights.ahp(np.ones((2, 3)))
    with pytest.raises(rectify.MCDAError, match="square"):
        weights.ahp([[1, 2], ["1/2"]])
    with pytest.raises(rectify.MCDAError, match=r'row 0, column 1: "x" is not a pairwise judgement'):
        weights.ahp([[1, "x"], ["1/2", 1]])
    with pytest.raises(rectify.MCDAError, match="1/0"):
        weights.ahp([[1, "1/0"], [1, 1]])
    with pytest.raises(rectify.MCDAError, match="row 1, column 0: a pairwise judgement is a finite positive number"):
        weights.ahp([[1, -2], [-0.5, 1]])
    with pytest.raises(rectify.MCDAError, match="covers n = 1..10"):
        weights.ahp(np.ones((11, 11)))


def test_ahp_group_is_the_geometric_mean() -> None:
    b = np.array([[1, 2, 4], [1 / 2, 1, 3], [1 / 4, 1 / 3, 1]])
    c = np.array([[1, 4, 6], [1 / 4, 1, 2], [1 / 6, 1 / 2, 1]])
    g = weights.ahp_group([b, c])
    np.testing.assert_allclose(g, np.sqrt(b * c), rtol=1e-12)
    names = ["x", "y", "z"]
    g_df = weights.ahp_group([pd.DataFrame(b, index=names, columns=names), c])
    assert isinstance(g_df, pd.DataFrame) and g_df.index.tolist() == names
    assert weights.ahp(g_df).criteria.tolist() == names  # type: ignore[union-attr]
    with pytest.raises(rectify.MCDAError, match="matrix 1"):
        weights.ahp_group([b, np.ones((2, 2))])
    with pytest.raises(rectify.MCDAError, match="list of pairwise matrices"):
        weights.ahp_group(b)  # type: ignore[arg-type]


def test_weights_feed_the_aggregations() -> None:
    df = _frame()
    w = weights.entropy(df)
    r = mcda.topsis(df, w, "+,-,+,-")
    np.testing.assert_allclose(r.scores.to_numpy(), ref.topsis(df.to_numpy(), w, [1, -1, 1, -1])[0], rtol=1e-12)
