"""rectify.mcda.smaa / smaa_weights / sensitivity, checked against NumPy recomputations from
the same weight samples (mcda_reference.py) and against the closed form of WSM's thresholds."""

from __future__ import annotations

import mcda_reference as ref
import numpy as np
import pandas as pd
import pytest

import rectify
from rectify import mcda

TYPES = [1, -1, 1, 1]


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    return pd.DataFrame(
        rng.uniform(1.0, 10.0, size=(7, 4)),
        index=pd.Index([f"u{i}" for i in range(7)], name="unit"),
        columns=["quality", "cost", "speed", "reach"],
    )


def _smaa_numpy(x: np.ndarray, w: np.ndarray, score, higher: bool = True):  # type: ignore[no-untyped-def]
    """SMAA-2 from given weight samples (rows): acceptability, central weights, holistic."""
    m = x.shape[0]
    counts = np.zeros((m, m))
    first_sum = np.zeros((m, w.shape[1]))
    first_n = np.zeros(m)
    for k in range(w.shape[0]):
        s = score(x, w[k])
        r = ref.ranks(s, higher_is_better=higher, ties="competition").astype(int)
        counts[np.arange(m), r - 1] += 1
        first = r == 1
        first_sum[first] += w[k]
        first_n[first] += 1
    acc = counts / w.shape[0]
    with np.errstate(invalid="ignore"):
        central = first_sum / first_n[:, None]
    alpha = (m - np.arange(1, m + 1)) / (m - 1)
    return acc, central, acc @ alpha


@pytest.mark.parametrize(
    "method, score, higher",
    [
        ("topsis", lambda x, w: ref.topsis(x, w, TYPES)[0], True),
        ("wsm", lambda x, w: ref.wsm(x, w, TYPES), True),
        ("vikor", lambda x, w: ref.vikor(x, w, TYPES)[2], False),
        ("promethee2", lambda x, w: ref.promethee2(x, w, TYPES)[2], True),
    ],
)
def test_smaa_matches_numpy_on_the_same_samples(  # type: ignore[no-untyped-def]
    frame: pd.DataFrame, method: str, score, higher: bool
) -> None:
    n = 400
    r = mcda.smaa(frame, TYPES, method, samples=n, seed=7)
    w = mcda.smaa_weights(frame.columns, samples=n, seed=7)
    assert w.shape == (n, 4)
    np.testing.assert_allclose(w.sum(axis=1), 1.0, rtol=1e-12)
    acc, central, holistic = _smaa_numpy(frame.to_numpy(), w, score, higher)
    np.testing.assert_allclose(r.acceptability.to_numpy(), acc, atol=1e-12)
    np.testing.assert_allclose(r.central_weights.to_numpy(), central, rtol=1e-10)
    np.testing.assert_allclose(r.holistic.to_numpy(), holistic, atol=1e-12)
    # Confidence with exact values: is the alternative first at its own central weights?
    for i, label in enumerate(frame.index):
        if np.isnan(central[i]).any():
            assert np.isnan(r.confidence[label])
        else:
            ranks = ref.ranks(score(frame.to_numpy(), central[i]), higher_is_better=higher, ties="competition")
            assert r.confidence[label] == float(ranks[i] == 1)
    assert r.samples == n and r.method == method


def test_smaa_result_shape_labels_and_frame(frame: pd.DataFrame) -> None:
    r = mcda.smaa(frame, dict(zip(frame.columns, ["+", "-", "+", "+"])), samples=300)
    assert r.acceptability.index.equals(frame.index)
    assert r.acceptability.columns.tolist() == list(range(1, 8))
    np.testing.assert_allclose(r.acceptability.sum(axis=1), 1.0)
    assert r.central_weights.columns.equals(frame.columns)
    assert r.confidence.index.equals(frame.index) and r.holistic.index.equals(frame.index)
    out = r.to_frame()
    assert out.index.equals(frame.index)
    assert out.columns.tolist()[:4] == ["holistic", "confidence", "b1", "b2"]
    assert "w_cost" in out.columns
    assert "SMAAResult" in repr(r) and "<table" in r._repr_html_()
    plain = mcda.smaa(frame.to_numpy(), TYPES, samples=300)
    np.testing.assert_array_equal(plain.acceptability.to_numpy(), r.acceptability.to_numpy())
    assert plain.acceptability.index.equals(pd.RangeIndex(7))


def test_smaa_is_reproducible_for_any_thread_count(frame: pd.DataFrame) -> None:
    one = mcda.smaa(frame, TYPES, samples=3000, seed=5, threads=1)
    two = mcda.smaa(frame, TYPES, samples=3000, seed=5, threads=2)
    pd.testing.assert_frame_equal(one.to_frame(), two.to_frame())
    other = mcda.smaa(frame, TYPES, samples=3000, seed=6)
    assert not one.acceptability.equals(other.acceptability)


def test_dirichlet_and_interval_sampling(frame: pd.DataFrame) -> None:
    center = [0.4, 0.3, 0.2, 0.1]
    w = mcda.smaa_weights(4, samples=20_000, weights=center, concentration=200)
    np.testing.assert_allclose(w.mean(axis=0), center, atol=0.005)
    # Var(w_j) = c_j (1 - c_j) / (concentration + 1)
    c = np.array(center)
    np.testing.assert_allclose(w.var(axis=0), c * (1 - c) / 201, rtol=0.1)
    box = {"quality": (0.3, 0.5), "cost": (0.1, 0.2)}
    w = mcda.smaa_weights(frame.columns, samples=2000, intervals=box)
    assert (w[:, 0] >= 0.3 - 1e-12).all() and (w[:, 0] <= 0.5 + 1e-12).all()
    assert (w[:, 1] >= 0.1 - 1e-12).all() and (w[:, 1] <= 0.2 + 1e-12).all()
    r = mcda.smaa(frame, TYPES, "wsm", samples=2000, intervals=box)
    acc, _, _ = _smaa_numpy(frame.to_numpy(), w, lambda x, ww: ref.wsm(x, ww, TYPES))
    np.testing.assert_allclose(r.acceptability.to_numpy(), acc, atol=1e-12)
    r = mcda.smaa(frame, TYPES, "wsm", samples=500, weights=dict(zip(frame.columns, center)), concentration=200)
    assert r.sampling == "dirichlet"


def test_smaa_errors(frame: pd.DataFrame) -> None:
    bad = frame.copy()
    bad.loc["u2", "speed"] = np.nan
    with pytest.raises(rectify.MCDAError, match=r'row 2 \("u2"\), column 2 \("speed"\): NaN'):
        mcda.smaa(bad, TYPES, samples=10)
    with pytest.raises(rectify.MCDAError, match='"electre"') as info:
        mcda.smaa(frame, TYPES, "electre", samples=10)
    assert info.value.code == "rectify.mcda.bad_method"
    with pytest.raises(rectify.MCDAError, match="not both"):
        mcda.smaa(frame, TYPES, weights=[1, 1, 1, 1], intervals=[(0, 1)] * 4)
    with pytest.raises(rectify.MCDAError, match="samples"):
        mcda.smaa(frame, TYPES, samples=0)
    with pytest.raises(rectify.MCDAError, match="got 2 intervals for 4 criteria"):
        mcda.smaa(frame, TYPES, intervals=[(0, 1), (0, 1)])
    with pytest.raises(rectify.MCDAError, match="got 2 criterion types"):
        mcda.smaa(frame, [1, 1], samples=10)
    with pytest.raises(rectify.MCDAError) as info:
        mcda.smaa(frame, TYPES, weights=[1, -1, 1, 1], samples=10)
    assert info.value.code in ("rectify.mcda.bad_weights", "rectify.mcda.bad_option")


# -- sensitivity -----------------------------------------------------------------------------


def _wsm_thresholds(n: np.ndarray, w: np.ndarray, j: int):  # type: ignore[no-untyped-def]
    """Closed form for WSM: scores are linear in t = w_j, S_i(t) = t a_i + (1 - t) b_i."""
    a = n[:, j]
    rest = np.delete(np.arange(len(w)), j)
    b = n[:, rest] @ (w[rest] / w[rest].sum())
    leader = int(np.argmax(n @ w))
    down, up = [], []
    for i in range(len(a)):
        if i == leader:
            continue
        slope = (a[i] - b[i]) - (a[leader] - b[leader])
        if slope == 0:
            continue
        t = (b[leader] - b[i]) / slope
        if 0 <= t <= 1:
            (down if t < w[j] else up).append((t, i))
    dec = max(down) if down else None
    inc = min(up) if up else None
    return (None if dec is None else (dec[0] - w[j], dec[1])), (None if inc is None else (inc[0] - w[j], inc[1]))


def test_sensitivity_wsm_matches_the_closed_form(frame: pd.DataFrame) -> None:
    w = np.array([0.4, 0.2, 0.25, 0.15])
    out = mcda.sensitivity(frame, w, TYPES, "wsm")
    assert out.index.equals(frame.columns)
    assert out.columns.tolist() == ["weight", "decrease", "increase", "new_first_down", "new_first_up"]
    n = ref.normalize(frame.to_numpy(), TYPES, "minmax")
    for j, name in enumerate(frame.columns):
        dec, inc = _wsm_thresholds(n, w, j)
        row = out.loc[name]
        assert row["weight"] == pytest.approx(w[j])
        if dec is None:
            assert np.isnan(row["decrease"]) and row["new_first_down"] is None
        else:
            assert row["decrease"] == pytest.approx(dec[0], abs=1e-8)
            assert row["new_first_down"] == frame.index[dec[1]]
        if inc is None:
            assert np.isnan(row["increase"]) and row["new_first_up"] is None
        else:
            assert row["increase"] == pytest.approx(inc[0], abs=1e-8)
            assert row["new_first_up"] == frame.index[inc[1]]


def test_sensitivity_pair_mode_and_errors(frame: pd.DataFrame) -> None:
    w = [0.25, 0.25, 0.25, 0.25]
    by_label = mcda.sensitivity(frame, w, TYPES, "topsis", pair=("u2", "u3"))
    by_position = mcda.sensitivity(frame.to_numpy(), w, TYPES, "topsis", pair=(2, 3))
    np.testing.assert_array_equal(by_label[["decrease", "increase"]].to_numpy(), by_position[["decrease", "increase"]].to_numpy())
    assert by_label["new_first_up"].isna().all() and by_label["new_first_down"].isna().all()
    # Just past each reported change the pair's order differs, just before it does not
    # (TOPSIS recomputed in NumPy).
    x = frame.to_numpy()
    base = ref.topsis(x, w, TYPES)[0]

    def order_at(j: int, t: float) -> float:
        moved = np.array(w) * (1 - t) / (1 - w[j])
        moved[j] = t
        c = ref.topsis(x, moved, TYPES)[0]
        return float(np.sign(c[2] - c[3]))

    checked = 0
    for j in range(4):
        for change in by_label.iloc[j][["decrease", "increase"]]:
            if np.isnan(change):
                continue
            step = np.sign(change)
            assert order_at(j, w[j] + change + step * 1e-7) != np.sign(base[2] - base[3])
            assert order_at(j, w[j] + change - step * 1e-6) == np.sign(base[2] - base[3])
            checked += 1
    assert checked == 4
    with pytest.raises(rectify.MCDAError, match='"u9" is not an alternative'):
        mcda.sensitivity(frame, w, TYPES, pair=("u1", "u9"))
    with pytest.raises(rectify.MCDAError, match="pair: 7 is not a 0-based position"):
        mcda.sensitivity(frame.to_numpy(), w, TYPES, pair=(1, 7))
    with pytest.raises(rectify.MCDAError, match=r'weight 1 \("cost"\)'):
        mcda.sensitivity(frame, [1, -1, 1, 1], TYPES)
