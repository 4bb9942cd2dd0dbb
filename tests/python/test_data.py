"""How data reaches the scorer: float64 columns in place, everything else converted; data errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import rectify
from rectify import _core


def _address(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


def test_float64_columns_are_not_copied(mini: rectify.Scheme) -> None:
    x = np.array([1.0, 2.0, 3.0])
    n = np.array([0.0, 1.0, 2.0])
    res = mini.score({"unit": ["a", "b", "c"], "x": x, "n": n})
    assert res._core._column_address("x") == (_address(x), 1)
    assert res._core._column_address("n") == (_address(n), 1)


def test_strided_frame_columns_are_viewed_in_place(mini: rectify.Scheme) -> None:
    # A frame over a C-ordered matrix: each column is a strided view (stride = 3 doubles).
    m = np.ascontiguousarray(np.array([[1.0, 0.0, 9.0], [5.0, 2.0, 9.0], [10.0, 1.0, 9.0], [0.0, 0.0, 9.0]]))
    df = pd.DataFrame(m, columns=["x", "n", "unused"], index=pd.Index(list("abcd")), copy=False)
    res = mini.score(df)
    assert res._core._column_address("x") == (_address(m), 3)
    assert res._core._column_address("n") == (_address(m) + 8, 3)
    assert res._core._column_address("unused") is None
    assert res.scores.tolist() == [46.0, 60.0, 95.0, 40.0]


def test_a_reversed_view_has_a_negative_stride(mini: rectify.Scheme) -> None:
    base = np.array([10.0, 5.0, 0.0])
    x = base[::-1]
    res = mini.score({"unit": ["a", "b", "c"], "x": x, "n": np.zeros(3)})
    assert res._core._column_address("x") == (_address(x), -1)
    assert res.scores.tolist() == [40.0, 70.0, 100.0]


def test_non_float64_columns_are_converted(mini: rectify.Scheme) -> None:
    expected = mini.score({"unit": ["a", "b", "c"], "x": [1.0, 0.0, 10.0], "n": [0.0, 1.0, 2.0]}).to_frame()
    variants = {
        "int64": (np.array([1, 0, 10], dtype=np.int64), np.array([0, 1, 2], dtype=np.int32)),
        "bool n": (np.array([1.0, 0.0, 10.0], dtype=np.float32), [False, True, 2]),
        "nullable": (pd.array([1, 0, 10], dtype="Int64"), pd.array([0.0, 1.0, 2.0], dtype="Float64")),
        "object": (np.array(["1", " 0 ", "1e1"], dtype=object), np.array([False, "true", 2], dtype=object)),
        "strings": (["1", "0.0", "+10"], ["0", "TRUE", "2."]),
        "big-endian": (np.array([1.0, 0.0, 10.0], dtype=">f8"), np.array([0.0, 1.0, 2.0], dtype=">f8")),
    }
    for label, (x, n) in variants.items():
        got = mini.score({"unit": ["a", "b", "c"], "x": x, "n": n}).to_frame()
        pd.testing.assert_frame_equal(got, expected, obj=label)


def test_bool_column_is_one_or_zero(mini_dict) -> None:
    mini_dict["indicators"][0] = {"id": "a", "points": 60, "input": "ok", "rule": {"type": "check"}}
    s = rectify.Scheme.from_json(mini_dict)
    df = pd.DataFrame({"ok": [True, False], "n": [0, 0]}, index=["u1", "u2"])
    assert s.score(df).scores.tolist() == [100.0, 40.0]
    assert s.score(df.astype({"ok": "boolean"})).scores.tolist() == [100.0, 40.0]


def test_missing_cells_become_nan(mini_dict) -> None:
    mini_dict["missing"] = "zero"
    s = rectify.Scheme.from_json(mini_dict)
    x_variants = [
        pd.array([None, 10], dtype="Int64"),
        pd.array([pd.NA, 10.0], dtype="Float64"),
        np.array([None, 10], dtype=object),
        ["", "10"],
        [float("nan"), 10],
    ]
    for x in x_variants:
        res = s.score({"unit": ["u1", "u2"], "x": x, "n": [0, 0]})
        assert res.scores.tolist() == [40.0, 100.0], x
        assert res.missing.tolist() == [["x"], []]


def test_bad_cell_names_unit_and_column(mini: rectify.Scheme) -> None:
    df = pd.DataFrame({"x": [1, "3x", "inf", None], "n": [0, 0, 0, 0]}, index=["u1", "u2", "u3", "u4"])
    with pytest.raises(rectify.DataError) as info:
        mini.score(df)
    e = info.value
    assert isinstance(e, ValueError)
    assert e.code == "rectify.data.bad_cell"
    assert str(e) == (
        '[rectify.data.bad_cell] unit "u2", column "x": "3x" is not a number, true/false or empty\n'
        '[rectify.data.bad_cell] unit "u3", column "x": "inf" is not a number, true/false or empty'
    )
    assert len(e.problems) == 2 and e.problems[0].path == "" and e.problems[0].source == ""


def test_a_column_of_dates_is_refused(mini: rectify.Scheme) -> None:
    df = pd.DataFrame({"x": pd.to_datetime(["2026-01-01"]), "n": [0]}, index=["u1"])
    with pytest.raises(rectify.DataError) as info:
        mini.score(df)
    assert info.value.code == "rectify.data.bad_column"


def test_unit_ids_must_be_unique_and_present(mini: rectify.Scheme) -> None:
    with pytest.raises(rectify.DataError) as info:
        mini.score({"unit": ["a", "b", "a"], "x": [1, 2, 3], "n": [0, 0, 0]})
    assert str(info.value) == '[rectify.data.duplicate_unit] unit "a" appears twice (positions 0 and 2)'
    with pytest.raises(rectify.DataError) as info:
        mini.score({"unit": ["a", None, ""], "x": [1, 2, 3], "n": [0, 0, 0]})
    assert [p.code for p in info.value.problems] == ["rectify.data.empty_unit"] * 2
    assert str(info.value.problems[0]) == "[rectify.data.empty_unit] the unit id at position 1 is empty"


def test_column_length_and_duplicates(mini: rectify.Scheme) -> None:
    with pytest.raises(rectify.DataError) as info:
        mini.score({"unit": ["a", "b"], "x": [1.0], "n": [0, 0]})
    assert str(info.value) == '[rectify.data.shape] column "x" has 1 values for 2 units'
    df = pd.DataFrame([[1.0, 2.0, 0.0]], columns=["x", "x", "n"], index=["a"])
    with pytest.raises(rectify.DataError) as info:
        mini.score(df)
    assert info.value.code == "rectify.data.duplicate_column"


def test_data_errors_from_the_scorer(mini: rectify.Scheme) -> None:
    with pytest.raises(rectify.DataError) as info:
        mini.score({"unit": ["a", "b"], "x": [1.0, math.nan], "n": [0, -1]})
    assert str(info.value) == (
        '[rectify.data.missing] unit "b", input "x": value is missing (missing policy is "error")\n'
        '[rectify.data.negative_count] unit "b", input "n": a count must be >= 0, got -1'
    )
    assert [p.code for p in info.value.problems] == ["rectify.data.missing", "rectify.data.negative_count"]
    with pytest.raises(rectify.DataError) as info:
        mini.score({"unit": ["a"], "x": [1.0]})
    assert str(info.value) == (
        '[rectify.data.missing] input "n" has no column in the data (read by /indicators/1/deductions/0); '
        'missing policy is "error"'
    )


def test_wrong_data_type(mini: rectify.Scheme) -> None:
    with pytest.raises(TypeError):
        mini.score([1, 2, 3])  # type: ignore[arg-type]


def test_core_refuses_anything_but_float64(mini: rectify.Scheme) -> None:
    plan = mini._compiled
    with pytest.raises(TypeError, match="float64"):
        _core.score(plan, ["a"], ["x"], [np.array([1], dtype=np.int64)])
    with pytest.raises(TypeError, match="float64"):
        _core.score(plan, ["a"], ["x"], [np.array([1.0], dtype=np.float32)])
    with pytest.raises(ValueError, match="1 values for 2 units|has 1 values"):
        _core.score(plan, ["a", "b"], ["x"], [np.array([1.0])])


def test_errors_are_value_errors() -> None:
    assert issubclass(rectify.SchemeError, rectify.Error)
    assert issubclass(rectify.DataError, rectify.Error)
    assert issubclass(rectify.Error, ValueError)
    e = rectify.DataError("plain message")
    assert e.problems == [] and e.code == "" and str(e) == "plain message"
    assert rectify.SchemeError.__module__ == "rectify"
