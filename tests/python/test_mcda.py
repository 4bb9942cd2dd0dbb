"""rectify.mcda: normalisation, aggregations, ranks and rank correlation, compared with the
independent NumPy implementations of mcda_reference.py; DataFrame labels; the no-copy path."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import mcda_reference as ref
import numpy as np
import pandas as pd
import pytest

import rectify
from rectify import _core, mcda


def _random(m: int = 12, n: int = 5, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.uniform(1.0, 10.0, size=(m, n))


TYPES = [1, -1, 1, 1, -1]
W = [0.3, 0.1, 0.25, 0.2, 0.15]


@pytest.fixture
def frame() -> pd.DataFrame:
    x = _random()
    return pd.DataFrame(
        x,
        index=pd.Index([f"u{i:02d}" for i in range(x.shape[0])], name="unit"),
        columns=["quality", "cost", "speed", "reach", "risk"],
    )


# -- the decision matrix reaches C++ without a copy ----------------------------------------


def _address(a: np.ndarray) -> int:
    return int(a.__array_interface__["data"][0])


def test_float64_frame_reaches_cpp_without_a_copy() -> None:
    base = np.asfortranarray(_random(1000, 8))
    df = pd.DataFrame(base, columns=[f"c{j}" for j in range(8)], copy=False)
    assert np.shares_memory(df.to_numpy(), base)  # the premise: pandas keeps our block
    values = mcda._input.as_matrix(df).values
    assert np.shares_memory(values, base)
    # The address the C++ methods read from, after the same conversion every method uses.
    assert _core.mcda_matrix_address(x=values) == _address(base)


def test_frame_from_columns_is_one_fortran_block_without_a_copy(frame: pd.DataFrame) -> None:
    values = frame.to_numpy()
    assert values.flags.f_contiguous
    assert _core.mcda_matrix_address(x=mcda._input.as_matrix(frame).values) == _address(values)


def test_column_subset_of_a_fortran_array_is_viewed_with_its_stride() -> None:
    base = np.asfortranarray(_random(50, 6))
    view = base[:, ::2]  # every other column: outer stride 2 * 50 doubles
    assert not view.flags.f_contiguous
    m = mcda._input.as_matrix(view)
    assert _core.mcda_matrix_address(x=m.values) == _address(base)
    np.testing.assert_allclose(mcda.wsm(view, [1, 1, 1], "+").scores, ref.wsm(base[:, ::2], [1, 1, 1], [1, 1, 1]))


def test_c_ordered_input_is_copied_once_and_gives_the_same_result() -> None:
    x = np.ascontiguousarray(_random(30, 4))
    m = mcda._input.as_matrix(x)
    assert m.values.flags.f_contiguous and _core.mcda_matrix_address(x=m.values) != _address(x)
    np.testing.assert_allclose(mcda.topsis(x, [1, 2, 3, 4], [1, -1, 1, -1]).scores, ref.topsis(x, [1, 2, 3, 4], [1, -1, 1, -1])[0])


def test_core_refuses_a_c_ordered_matrix_instead_of_copying_silently() -> None:
    with pytest.raises(ValueError, match="column-major"):
        _core.mcda_matrix_address(x=np.ascontiguousarray(_random(3, 3)))
    with pytest.raises(TypeError, match="float64"):
        _core.mcda_matrix_address(x=np.asfortranarray(np.ones((3, 3), dtype=np.float32)))


def test_integer_and_mixed_frames_are_converted(frame: pd.DataFrame) -> None:
    ints = (frame * 10).round().astype(np.int64)
    expected = ref.topsis(ints.to_numpy().astype(float), W, TYPES)[0]
    np.testing.assert_allclose(mcda.topsis(ints, W, TYPES).scores.to_numpy(), expected)
    mixed = frame.copy()
    mixed["quality"] = (mixed["quality"] * 10).round().astype("Int64")
    np.testing.assert_allclose(
        mcda.wsm(mixed, W, TYPES).scores.to_numpy(), ref.wsm(mixed.to_numpy(dtype=float), W, TYPES)
    )


def test_nested_lists_are_a_matrix() -> None:
    x = [[7, 200], [9, 250], [8, 180]]
    r = mcda.topsis(x, [0.6, 0.4], ["benefit", "cost"])
    assert isinstance(r.scores, np.ndarray)
    np.testing.assert_allclose(r.scores, ref.topsis(np.array(x, float), [0.6, 0.4], [1, -1])[0])


# -- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["minmax", "vector", "sum", "max", "linear"])
def test_normalize_matches_the_formulas(frame: pd.DataFrame, method: str) -> None:
    out = mcda.normalize(frame, TYPES, method)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(frame.index) and out.columns.equals(frame.columns)
    np.testing.assert_allclose(out.to_numpy(), ref.normalize(frame.to_numpy(), TYPES, method), rtol=1e-13)
    plain = mcda.normalize(frame.to_numpy(), TYPES, method)
    assert isinstance(plain, np.ndarray)
    np.testing.assert_array_equal(plain, out.to_numpy())


def test_normalize_default_is_minmax_and_constant_column_is_one() -> None:
    x = np.array([[1.0, 5.0], [3.0, 5.0], [2.0, 5.0]])
    np.testing.assert_array_equal(mcda.normalize(x, "+"), [[0, 1], [1, 1], [0.5, 1]])


# -- aggregations against NumPy --------------------------------------------------------------


@pytest.mark.parametrize("norm", ["minmax", "vector", "max", "sum", "linear"])
def test_wsm_wpm(frame: pd.DataFrame, norm: str) -> None:
    x = frame.to_numpy()
    np.testing.assert_allclose(mcda.wsm(frame, W, TYPES, normalization=norm).scores, ref.wsm(x, W, TYPES, norm), rtol=1e-12)
    np.testing.assert_allclose(mcda.wpm(frame, W, TYPES, normalization=norm).scores, ref.wpm(x, W, TYPES, norm), rtol=1e-12)


@pytest.mark.parametrize("norm", ["minmax", "vector"])
def test_topsis(frame: pd.DataFrame, norm: str) -> None:
    r = mcda.topsis(frame, W, TYPES, normalization=norm)
    c, dp, dm = ref.topsis(frame.to_numpy(), W, TYPES, norm)
    np.testing.assert_allclose(r.scores, c, rtol=1e-12)
    np.testing.assert_allclose(r.closeness, c, rtol=1e-12)
    np.testing.assert_allclose(r.d_plus, dp, rtol=1e-12)
    np.testing.assert_allclose(r.d_minus, dm, rtol=1e-12)
    np.testing.assert_array_equal(r.ranks, ref.ranks(c, ties="average"))


@pytest.mark.parametrize("v", [0.0, 0.5, 0.8, 1.0])
def test_vikor(frame: pd.DataFrame, v: float) -> None:
    r = mcda.vikor(frame, W, TYPES, v=v)
    s, rr, q, comp = ref.vikor(frame.to_numpy(), W, TYPES, v)
    np.testing.assert_allclose(r.S, s, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.R, rr, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.Q, q, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.scores, q, rtol=1e-12, atol=1e-15)
    assert r.compromise.tolist() == comp
    assert r.compromise_labels == [frame.index[k] for k in comp]
    # Q is lower-is-better: rank 1 is the lowest Q.
    np.testing.assert_array_equal(r.ranks, ref.ranks(q, higher_is_better=False, ties="average"))
    flags = r.to_frame()["compromise"]
    assert flags[flags].index.tolist() == [frame.index[k] for k in sorted(comp)]


def test_vikor_compromise_of_several() -> None:
    # Q values close together: the acceptable-advantage condition fails.
    x = np.array([[10.0, 1.0], [9.9, 1.05], [9.8, 1.1], [1.0, 9.0]])
    r = mcda.vikor(x, [0.5, 0.5], [1, -1])
    assert r.compromise.tolist() == ref.vikor(x, [0.5, 0.5], [1, -1])[3]
    assert len(r.compromise) >= 2


def test_copras(frame: pd.DataFrame) -> None:
    r = mcda.copras(frame, W, TYPES)
    sp, sm, q, u = ref.copras(frame.to_numpy(), W, TYPES)
    for got, want in [(r.s_plus, sp), (r.s_minus, sm), (r.q, q), (r.utility, u), (r.scores, u)]:
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_promethee2_usual(frame: pd.DataFrame) -> None:
    r = mcda.promethee2(frame, W, TYPES)
    plus, minus, phi = ref.promethee2(frame.to_numpy(), W, TYPES)
    np.testing.assert_allclose(r.phi_plus, plus, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.phi_minus, minus, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.phi, phi, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.scores, phi, rtol=1e-12, atol=1e-15)


def test_promethee2_every_preference_function(frame: pd.DataFrame) -> None:
    kinds = ["v_shape", "level", "linear", "gaussian", "u_shape"]
    q = [0.0, 0.5, 1.0, 0.0, 2.0]
    p = [3.0, 2.0, 4.0, 0.0, 0.0]
    s = [0.0, 0.0, 0.0, 1.5, 0.0]
    want = ref.promethee2(frame.to_numpy(), W, TYPES, kinds, q, p, s)
    r = mcda.promethee2(frame, W, TYPES, preference=kinds, q=q, p=p, s=s)
    np.testing.assert_allclose(r.phi, want[2], rtol=1e-12, atol=1e-15)
    # The same by column name; criteria not named keep "usual" and thresholds 0.
    named = mcda.promethee2(
        frame,
        dict(zip(frame.columns, W)),
        dict(zip(frame.columns, TYPES)),
        preference=dict(zip(frame.columns, kinds)),
        q=dict(zip(frame.columns, q)),
        p={c: v for c, v in zip(frame.columns, p) if v},
        s={"reach": 1.5},
    )
    np.testing.assert_allclose(named.phi, want[2], rtol=1e-12, atol=1e-15)
    # Brans' numbers and hyphenated names.
    numbered = mcda.promethee2(frame, W, TYPES, preference=[3, "Level", "linear", 6, "u-shape"], q=q, p=p, s=s)
    np.testing.assert_array_equal(numbered.phi, r.phi)
    # A scalar threshold applies to every criterion.
    lin = mcda.promethee2(frame, W, TYPES, preference="linear", q=0.5, p=3.0)
    np.testing.assert_allclose(
        lin.phi, ref.promethee2(frame.to_numpy(), W, TYPES, ["linear"] * 5, [0.5] * 5, [3.0] * 5)[2], rtol=1e-12, atol=1e-15
    )


@pytest.mark.parametrize("rho", [0.5, 0.25, 1.0])
def test_gra(frame: pd.DataFrame, rho: float) -> None:
    r = mcda.gra(frame, W, TYPES, rho=rho)
    np.testing.assert_allclose(r.scores, ref.gra(frame.to_numpy(), W, TYPES, rho), rtol=1e-12)
    np.testing.assert_array_equal(r.grade, r.scores)


@pytest.mark.parametrize("op", ["weighted_average", "min_max", "product_max"])
def test_fce_one_object(op: str) -> None:
    r = np.array([[0.2, 0.5, 0.3, 0.0], [0.1, 0.3, 0.5, 0.1], [0.0, 0.4, 0.4, 0.2]])
    w = [0.5, 0.3, 0.2]
    res = mcda.fce(w, r, operator=op, grade_values=[95, 85, 70, 50])
    b = ref.fce(w, r, op)
    np.testing.assert_allclose(res.b, b, rtol=1e-12)
    assert res.grade == int(np.argmax(b))
    assert res.score == pytest.approx(float(b @ [95, 85, 70, 50]))
    normed = mcda.fce(w, r, operator=op, normalize=True)
    np.testing.assert_allclose(normed.b, b / b.sum(), rtol=1e-12)
    assert normed.score is None


def test_fce_frame_labels_and_weights_by_criterion() -> None:
    r = pd.DataFrame(
        [[0.2, 0.5, 0.3], [0.1, 0.3, 0.6]], index=["政治", "业务"], columns=["优秀", "良好", "一般"]
    )
    res = mcda.fce({"业务": 1, "政治": 3}, r)
    assert isinstance(res.b, pd.Series) and res.b.index.tolist() == ["优秀", "良好", "一般"]
    np.testing.assert_allclose(res.b.to_numpy(), ref.fce([3, 1], r.to_numpy()))
    assert res.grade == 1 and res.grade_name == "良好"
    assert "良好" in repr(res)
    # Weights are per criterion (the rows), so a bad one is named by the row label.
    with pytest.raises(rectify.MCDAError, match=r'weight 1 \("业务"\) must be finite and >= 0'):
        mcda.fce([1, -1], r)
    bad = r.copy()
    bad.loc["业务", "一般"] = 1.5
    with pytest.raises(rectify.MCDAError, match=r'row 1 \("业务"\), column 2 \("一般"\): a membership is between 0 and 1'):
        mcda.fce([1, 1], bad)


def test_fce_several_alternatives_ranks_by_score() -> None:
    rng = np.random.default_rng(5)
    raw = rng.uniform(0, 1, size=(4, 3, 5))
    members = raw / raw.sum(axis=2, keepdims=True)
    w, v = [0.5, 0.3, 0.2], [100, 80, 60, 40, 20]
    res = mcda.fce(w, {f"u{k}": members[k] for k in range(4)}, grade_values=v)
    want = np.array([ref.fce(w, members[k]) @ v for k in range(4)])
    np.testing.assert_allclose(res.scores.to_numpy(), want, rtol=1e-12)
    assert res.scores.index.tolist() == ["u0", "u1", "u2", "u3"]
    np.testing.assert_array_equal(res.ranks.to_numpy(), ref.ranks(want, ties="average"))
    assert res.b.shape == (4, 5)
    as_array = mcda.fce(w, members, grade_values=v)
    assert isinstance(as_array.scores, np.ndarray)
    np.testing.assert_allclose(as_array.scores, want, rtol=1e-12)
    with pytest.raises(rectify.MCDAError, match="grade_values"):
        mcda.fce(w, members)


# -- labels, types and weights --------------------------------------------------------------


def test_results_keep_the_frame_index_and_columns(frame: pd.DataFrame) -> None:
    r = mcda.topsis(frame, W, TYPES)
    for s in (r.scores, r.ranks, r.d_plus, r.d_minus):
        assert isinstance(s, pd.Series) and s.index.equals(frame.index)
    out = r.to_frame()
    assert out.index.equals(frame.index)
    assert out.columns.tolist() == ["closeness", "d_plus", "d_minus", "rank"]
    assert r.alternatives.equals(frame.index)
    np.testing.assert_allclose(r.weights, ref.unit(W))
    assert "TOPSISResult" in repr(r) and "<table" in r._repr_html_()
    plain = mcda.topsis(frame.to_numpy(), W, TYPES)
    assert isinstance(plain.scores, np.ndarray) and isinstance(plain.ranks, np.ndarray)
    assert plain.to_frame().index.equals(pd.RangeIndex(len(frame)))


@pytest.mark.parametrize(
    "types",
    [
        [1, -1, 1, 1, -1],
        ["+", "-", "+", "+", "-"],
        ["benefit", "cost", "benefit", "benefit", "cost"],
        ["max", "min", "MAX", " max ", "Min"],
        "+,-,+,+,-",
        np.array([1, -1, 1, 1, -1]),
        {"quality": "+", "cost": "-", "speed": 1, "reach": "benefit", "risk": "cost"},
        pd.Series({"risk": -1, "reach": 1, "speed": 1, "cost": -1, "quality": 1}),
    ],
)
def test_every_spelling_of_types_is_the_same(frame: pd.DataFrame, types: object) -> None:
    np.testing.assert_array_equal(mcda.wsm(frame, W, types).scores, mcda.wsm(frame, W, TYPES).scores)


def test_one_type_applies_to_every_column(frame: pd.DataFrame) -> None:
    np.testing.assert_array_equal(mcda.wsm(frame, W, "cost").scores, mcda.wsm(frame, W, [-1] * 5).scores)


def test_weights_by_name(frame: pd.DataFrame) -> None:
    by_name = dict(zip(reversed(frame.columns), reversed(W)))
    np.testing.assert_array_equal(mcda.topsis(frame, by_name, TYPES).scores, mcda.topsis(frame, W, TYPES).scores)
    series = pd.Series(by_name)
    np.testing.assert_array_equal(mcda.topsis(frame, series, TYPES).scores, mcda.topsis(frame, W, TYPES).scores)


def test_ranks_average_ties_and_choice() -> None:
    x = np.array([[1.0, 1.0], [2.0, 2.0], [2.0, 2.0], [0.0, 0.0]])
    r = mcda.wsm(x, [1, 1], "+")
    np.testing.assert_array_equal(r.ranks, [3, 1.5, 1.5, 4])
    np.testing.assert_array_equal(mcda.wsm(x, [1, 1], "+", ties="competition").ranks, [3, 1, 1, 4])
    np.testing.assert_array_equal(mcda.wsm(x, [1, 1], "+", ties="dense").ranks, [2, 1, 1, 3])


# -- rank and rank correlation ---------------------------------------------------------------


@pytest.mark.parametrize("ties", ["competition", "dense", "average", "ordinal"])
@pytest.mark.parametrize("higher", [True, False])
def test_rank_matches_pandas(ties: str, higher: bool) -> None:
    rng = np.random.default_rng(9)
    scores = rng.integers(0, 6, size=40).astype(float)  # many ties
    got = mcda.rank(scores, higher_is_better=higher, ties=ties)
    np.testing.assert_array_equal(got, ref.ranks(scores, higher, ties))
    assert got.dtype == (np.float64 if ties == "average" else np.int64)


def test_rank_of_a_series_keeps_its_index_and_rounds_to_12_digits() -> None:
    s = pd.Series([0.1 + 0.2, 0.3, 0.5], index=["a", "b", "c"])
    r = mcda.rank(s)
    assert isinstance(r, pd.Series) and r.index.tolist() == ["a", "b", "c"]
    assert r.tolist() == [2, 2, 1]


def test_rank_correlation() -> None:
    rng = np.random.default_rng(2)
    a = rng.permutation(15) + 1.0
    b = a.copy()
    b[[0, 3]] = b[[3, 0]]
    b[7] = b[8]  # a tie
    assert mcda.rank_correlation(a, b) == pytest.approx(ref.spearman(a, b), rel=1e-12)
    assert mcda.rank_correlation(a, b, method="kendall") == pytest.approx(ref.kendall_tau_b(a, b), rel=1e-12)
    ra, rb = ref.ranks(a), ref.ranks(b)
    assert mcda.rank_correlation(ra, rb, method="ws") == pytest.approx(ref.ws(ra, rb), rel=1e-12)


def test_rank_correlation_aligns_series_by_index() -> None:
    a = pd.Series([1.0, 2.0, 3.0, 4.0], index=list("abcd"))
    b = pd.Series([4.0, 3.0, 2.0, 1.0], index=list("dcba"))  # the same ranking, reordered
    assert mcda.rank_correlation(a, b) == pytest.approx(1.0)
    with pytest.raises(rectify.MCDAError, match="different alternatives"):
        mcda.rank_correlation(a, pd.Series([1.0, 2.0, 3.0, 4.0], index=list("abcx")))


# -- errors --------------------------------------------------------------------------------


def test_nan_error_names_row_and_column_labels(frame: pd.DataFrame) -> None:
    bad = frame.copy()
    bad.loc["u03", "speed"] = np.nan
    for call in (
        lambda: mcda.topsis(bad, W, TYPES),
        lambda: mcda.vikor(bad, W, TYPES),
        lambda: mcda.normalize(bad, TYPES, "minmax"),
        lambda: mcda.weights.entropy(bad),
    ):
        with pytest.raises(rectify.MCDAError) as info:
            call()
        assert info.value.code == "rectify.mcda.not_finite"
        assert 'row 3 ("u03"), column 2 ("speed"): NaN' in str(info.value)
        assert isinstance(info.value, ValueError) and isinstance(info.value, rectify.Error)
    with pytest.raises(rectify.MCDAError, match=r"row 3, column 2: NaN"):
        mcda.topsis(bad.to_numpy(), W, TYPES)


def test_nullable_na_and_infinity_are_errors() -> None:
    df = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"), "b": [1.0, 2.0, 3.0]})
    with pytest.raises(rectify.MCDAError, match=r'row 1 \(1\), column 0 \("a"\): NaN'):
        mcda.wsm(df, [1, 1], "+")
    with pytest.raises(rectify.MCDAError, match="infinite"):
        mcda.wsm(np.array([[1.0, np.inf], [2.0, 3.0]]), [1, 1], "+")


def test_negative_and_zero_weights_are_errors(frame: pd.DataFrame) -> None:
    with pytest.raises(rectify.MCDAError, match=r'weight 1 \("cost"\) must be finite and >= 0, not -0.1') as info:
        mcda.topsis(frame, [0.3, -0.1, 0.3, 0.3, 0.2], TYPES)
    assert info.value.code == "rectify.mcda.bad_weights"
    with pytest.raises(rectify.MCDAError, match="sum to 0"):
        mcda.wsm(frame, [0] * 5, TYPES)
    with pytest.raises(rectify.MCDAError, match="got 3 weights for 5 columns"):
        mcda.wsm(frame, [1, 1, 1], TYPES)


def test_wrong_types_are_errors(frame: pd.DataFrame) -> None:
    with pytest.raises(rectify.MCDAError, match="got 3 criterion types for 5 columns") as info:
        mcda.topsis(frame, W, [1, -1, 1])
    assert info.value.code == "rectify.mcda.bad_types"
    with pytest.raises(rectify.MCDAError, match="got 2 criterion types for 5 columns"):
        mcda.topsis(frame, W, "+,-")
    with pytest.raises(rectify.MCDAError, match=r'column 1 \("cost"\): a criterion type is .* not \'up\''):
        mcda.topsis(frame, W, ["+", "up", "+", "+", "-"])
    with pytest.raises(rectify.MCDAError, match=r"column 0: a criterion type .* not 2"):
        mcda.topsis(frame.to_numpy(), W, [2, 1, 1, 1, 1])


def test_types_dict_must_name_every_column_and_only_columns(frame: pd.DataFrame) -> None:
    full = dict(zip(frame.columns, TYPES))
    with pytest.raises(rectify.MCDAError, match=r'"colour", "size" are not columns of X'):
        mcda.topsis(frame, W, {**full, "colour": "+", "size": "-"})
    partial = dict(full)
    del partial["risk"]
    with pytest.raises(rectify.MCDAError, match=r'types: no value for column "risk"'):
        mcda.topsis(frame, W, partial)
    with pytest.raises(rectify.MCDAError, match="needs X to be a DataFrame"):
        mcda.topsis(frame.to_numpy(), W, full)
    with pytest.raises(rectify.MCDAError, match=r'weights: "speedy" is not a column of X'):
        mcda.topsis(frame, {**dict(zip(frame.columns, W)), "speedy": 1}, TYPES)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda x: mcda.normalize(x, "+", "zscore"), r'"zscore"'),
        (lambda x: mcda.wsm(x, [1] * 5, "+", normalization="l2"), r'"l2"'),
        (lambda x: mcda.topsis(x, [1] * 5, "+", normalization=3), "must be a name"),
        (lambda x: mcda.promethee2(x, [1] * 5, "+", preference="step"), "preference function"),
        (lambda x: mcda.fce([1], [[1.0]], operator="sum"), "FCE operator"),
        (lambda x: mcda.rank([1.0, 2.0], ties="random"), '"random"'),
        (lambda x: mcda.rank_correlation([1.0, 2.0], [2.0, 1.0], method="pearson"), '"pearson"'),
        (lambda x: mcda.weights.ahp([[1, 2], [0.5, 1]], method="power"), '"power"'),
        (lambda x: mcda.weights.ahp([[1, 2], [0.5, 1]], ri="noble"), '"noble"'),
    ],
)
def test_bad_method_names(frame: pd.DataFrame, call: object, match: str) -> None:
    with pytest.raises(rectify.MCDAError, match=match) as info:
        call(frame)  # type: ignore[operator]
    assert info.value.code in ("rectify.mcda.bad_method", "rectify.mcda.bad_option")


def test_bad_options_are_errors(frame: pd.DataFrame) -> None:
    with pytest.raises(rectify.MCDAError, match="VIKOR v"):
        mcda.vikor(frame, W, TYPES, v=1.5)
    with pytest.raises(rectify.MCDAError, match=r'criterion 2 \("speed"\).*linear'):
        mcda.promethee2(frame, W, TYPES, preference=["usual", "usual", "linear", "usual", "usual"], q=1.0, p=0.5)
    with pytest.raises(rectify.MCDAError, match="got 2 values of q for 5 criteria"):
        mcda.promethee2(frame, W, TYPES, q=[1, 2])
    with pytest.raises(rectify.MCDAError, match="rho"):
        mcda.gra(frame, W, TYPES, rho=0)
    with pytest.raises(rectify.MCDAError, match="two-dimensional"):
        mcda.topsis([1.0, 2.0, 3.0], [1], "+")
    with pytest.raises(rectify.MCDAError, match=r'column "name" holds .* "abc" is not a number'):
        mcda.topsis(pd.DataFrame({"x": [1.0, 2.0], "name": ["1", "abc"]}), [1, 1], "+")
    with pytest.raises(rectify.MCDAError, match="empty"):
        mcda.topsis(np.zeros((0, 3)), [1, 1, 1], "+")


def test_copras_refuses_zero_in_a_cost_column() -> None:
    with pytest.raises(rectify.MCDAError, match="column 1") as info:
        mcda.copras(pd.DataFrame({"a": [1.0, 2.0], "b": [0.0, 3.0]}), [1, 1], "+,-")
    assert info.value.code == "rectify.mcda.bad_matrix" and '("b")' in str(info.value)


# -- the GIL is released ---------------------------------------------------------------------


def test_threads_compute_the_same_as_serial() -> None:
    frames = [pd.DataFrame(_random(20_000, 8, seed=k)) for k in range(4)]
    types = [1, -1] * 4

    def run(df: pd.DataFrame) -> np.ndarray:
        return np.concatenate(
            [mcda.topsis(df, [1] * 8, types).scores.to_numpy(), mcda.vikor(df, [1] * 8, types).Q.to_numpy()]
        )

    serial = [run(df) for df in frames]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(run, frames))
    for a, b in zip(serial, parallel):
        np.testing.assert_array_equal(a, b)
