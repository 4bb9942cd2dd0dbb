"""Scoring several periods: Scheme.score_periods and PeriodResults.

Expected values are worked out by hand from the small scheme of conftest (MINI: score =
6·x + 40 − min(5·n, 40), grade 好 at 80 or more, else 差), or computed independently from
single-period Scheme.score results; none is copied from score_periods' own output.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Dict

import numpy as np
import pandas as pd
import pytest

import rectify
from rectify._periods import period_order
from conftest import LEDGER_JSON, AS_OF

# Three periods of the small scheme. Unit "a" leaves after p1 and comes back in p3; "d" enters in p2.
P1 = {"unit": ["a", "b", "c"], "x": [10.0, 5.0, 8.0], "n": [0.0, 0.0, 2.0]}  # 100, 70, 78
P2 = {"unit": ["b", "c", "d"], "x": [9.0, 8.0, 2.0], "n": [1.0, 0.0, 0.0]}  # 89, 88, 52
P3 = {"unit": ["a", "b", "c", "d"], "x": [0.0, 5.0, 10.0, 6.0], "n": [8.0, 1.0, 0.0, 0.0]}  # 0, 65, 100, 76

# By hand (see the module docstring), per period and unit:
# (score, grade, rank, change, rank_change, previous_grade, grade_change); None = missing.
EXPECTED = {
    ("p1", "a"): (100.0, "好", 1, None, None, None, None),
    ("p1", "b"): (70.0, "差", 3, None, None, None, None),
    ("p1", "c"): (78.0, "差", 2, None, None, None, None),
    ("p2", "b"): (89.0, "好", 1, 19.0, 2, "差", 1),
    ("p2", "c"): (88.0, "好", 2, 10.0, 0, "差", 1),
    ("p2", "d"): (52.0, "差", 3, None, None, None, None),
    # "a" was not scored in p2: no change, although it was in p1.
    ("p3", "a"): (0.0, "差", 4, None, None, None, None),
    ("p3", "b"): (65.0, "差", 3, -24.0, -2, "好", -1),
    ("p3", "c"): (100.0, "好", 1, 12.0, 1, "好", 0),
    ("p3", "d"): (76.0, "差", 2, 24.0, 1, "差", 0),
}
COLUMNS = ["score", "grade", "rank", "change", "rank_change", "previous_grade", "grade_change"]


def _dict_input() -> Dict[str, Any]:
    return {"p1": P1, "p2": P2, "p3": P3}


def _long_frame() -> pd.DataFrame:
    parts = [pd.DataFrame(d).assign(period=p) for p, d in _dict_input().items()]
    return pd.concat(parts, ignore_index=True)


def _check_expected(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == COLUMNS
    assert list(frame.index.names) == ["period", "unit"]
    assert [(str(p), u) for p, u in frame.index] == list(EXPECTED)
    for (p, u), (score, grade, rank, change, rank_change, prev, grade_change) in EXPECTED.items():
        row = frame.loc[(p, u)]
        assert row["score"] == pytest.approx(score, abs=1e-12), (p, u)
        assert row["grade"] == grade and row["rank"] == rank, (p, u)
        if change is None:
            assert math.isnan(row["change"]), (p, u)
            assert row["rank_change"] is pd.NA and row["grade_change"] is pd.NA, (p, u)
            assert pd.isna(row["previous_grade"]), (p, u)
        else:
            assert row["change"] == pytest.approx(change, abs=1e-12), (p, u)
            assert row["rank_change"] == rank_change and row["grade_change"] == grade_change, (p, u)
            assert row["previous_grade"] == prev, (p, u)


# -- the long table -------------------------------------------------------------------------


def test_dict_input_by_hand(mini: rectify.Scheme) -> None:
    runs = mini.score_periods(_dict_input())
    assert isinstance(runs, rectify.PeriodResults)
    assert runs.periods == ["p1", "p2", "p3"]
    frame = runs.to_frame()
    _check_expected(frame)
    assert frame["score"].dtype == np.float64 and frame["rank"].dtype == np.int64
    assert frame["rank_change"].dtype == "Int64" and frame["grade_change"].dtype == "Int64"
    for col in ("grade", "previous_grade"):
        dtype = frame[col].dtype
        assert isinstance(dtype, pd.CategoricalDtype) and dtype.ordered and list(dtype.categories) == ["好", "差"]
    # The period level keeps time order when sorted, even where text order differs.
    level = frame.index.levels[0]
    assert isinstance(level, pd.CategoricalIndex) and level.ordered and list(level) == ["p1", "p2", "p3"]


def test_long_frame_gives_the_same(mini: rectify.Scheme) -> None:
    from_dict = mini.score_periods(_dict_input()).to_frame()
    long = _long_frame().sample(frac=1.0, random_state=3)  # rows shuffled across periods
    from_long = mini.score_periods(long).to_frame()
    # Units come in each period's data order; the shuffle changes that order, nothing else.
    pd.testing.assert_frame_equal(from_long.sort_index(), from_dict.sort_index())
    _check_expected(from_long.loc[list(EXPECTED)])


@pytest.mark.parametrize(
    "shape",
    ["unit_index", "multi_index", "period_index_level", "dict_of_columns", "period_dtype", "other_name"],
)
def test_long_input_shapes(mini: rectify.Scheme, shape: str) -> None:
    long = _long_frame()
    period = "period"
    if shape == "unit_index":
        data: Any = long.set_index("unit")
    elif shape == "multi_index":
        data = long.set_index(["period", "unit"])
    elif shape == "period_index_level":
        data = long.set_index("period")  # units stay a column
    elif shape == "dict_of_columns":
        data = {c: long[c].tolist() for c in long.columns}
    elif shape == "period_dtype":
        data = long.assign(period=long["period"].map({"p1": "2024", "p2": "2025", "p3": "2026"}).map(pd.Period))
    else:
        period = "考核期"
        data = long.rename(columns={"period": period})
    runs = mini.score_periods(data, period=period)
    frame = runs.to_frame()
    if shape == "period_dtype":
        assert runs.periods == [pd.Period("2024"), pd.Period("2025"), pd.Period("2026")]
        assert runs["2025"] is runs[pd.Period("2025", "Y")]
        frame.index = frame.index.set_levels(["p1", "p2", "p3"], level="period")
    _check_expected(frame)


def test_each_period_is_its_own_cohort(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    """Ranks and quotas per period: each period equals Scheme.score of its own units."""
    early = units_frame.iloc[:10]
    late = units_frame.iloc[5:]
    runs = scheme.score_periods({"early": early, "late": late})
    for label, data in (("early", early), ("late", late)):
        alone = scheme.score(data).to_frame()
        mine = runs[label].to_frame()
        pd.testing.assert_frame_equal(mine, alone)
        block = runs.to_frame().loc[label]
        assert sorted(block["rank"]) == sorted(alone["rank"]) and block["rank"].min() == 1


def test_nodes_false(mini: rectify.Scheme) -> None:
    runs = mini.score_periods(_dict_input(), nodes=False)
    assert runs["p1"].nodes.shape == (3, 0)
    _check_expected(runs.to_frame())


def test_csv_paths(mini: rectify.Scheme, tmp_path: Path) -> None:
    data = {}
    for label, d in _dict_input().items():
        path = tmp_path / f"{label}.csv"
        pd.DataFrame(d).to_csv(path, index=False)
        data[label] = str(path)
    _check_expected(mini.score_periods(data).to_frame())


# -- the sample bureau: rectification feeds the next period ----------------------------------


def test_sample_bureau_half_year_then_year(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    """The ledger's inputs as of 2026-06-30 (first half) and as of 2026-11-30 (the year): the
    changes equal those computed from the two single-period results."""
    ledger = rectify.Ledger.load(LEDGER_JSON)
    year_inputs = ledger.inputs(AS_OF)
    half_inputs = ledger.inputs("2026-06-30")
    assert not half_inputs.equals(year_inputs)  # the ledger moved between the two dates
    year = units_frame
    half = units_frame.drop(columns=list(year_inputs.columns)).merge(
        half_inputs, left_on="unit", right_index=True, how="left"
    )
    runs = scheme.score_periods({"2026-H1": half, "2026": year})
    assert runs.periods == ["2026-H1", "2026"]

    first, second = scheme.score(half), scheme.score(year)
    s1 = pd.Series(first.scores.to_numpy(), index=first.units.astype(str))
    s2 = pd.Series(second.scores.to_numpy(), index=second.units.astype(str))
    r1 = pd.Series(first.ranks.to_numpy(), index=s1.index)
    r2 = pd.Series(second.ranks.to_numpy(), index=s2.index)
    g1 = pd.Series(first.grades.cat.codes.to_numpy(), index=s1.index)
    g2 = pd.Series(second.grades.cat.codes.to_numpy(), index=s2.index)

    frame = runs.to_frame()
    block = frame.loc["2026"]
    assert list(block.index) == list(s2.index)
    for unit in s2.index:
        row = block.loc[unit]
        assert row["score"] == s2[unit]
        assert row["change"] == pytest.approx(s2[unit] - s1[unit], abs=1e-12), unit
        assert row["rank_change"] == r1[unit] - r2[unit], unit
        assert row["grade_change"] == g1[unit] - g2[unit], unit
        assert row["previous_grade"] == first.grade_names[g1[unit]], unit
    # Rectification shows: some units moved, and the movers are exactly those whose score changed.
    moved = (s2 - s1).abs() > 1e-9
    assert moved.any()
    movers = runs.movers(n=len(s2))
    assert set(movers.index) == set(moved[moved].index)
    assert (movers["direction"] == np.where(movers["change"] > 0, "up", "down")).all()
    # The first period has no changes at all.
    assert frame.loc["2026-H1", "change"].isna().all()
    assert frame.loc["2026-H1", "rank_change"].isna().all()


# -- views ----------------------------------------------------------------------------------


def test_wide(mini: rectify.Scheme) -> None:
    runs = mini.score_periods(_dict_input())
    wide = runs.wide()
    assert list(wide.columns) == ["p1", "p2", "p3"] and wide.columns.name == "period"
    assert list(wide.index) == ["a", "b", "c", "d"] and wide.index.name == "unit"  # first appearance
    assert wide.loc["a", "p1"] == 100.0 and math.isnan(wide.loc["a", "p2"]) and wide.loc["a", "p3"] == 0.0
    assert math.isnan(wide.loc["d", "p1"]) and wide.loc["d", "p2"] == 52.0

    ranks = runs.wide("rank")
    assert (ranks.dtypes == "Int64").all()
    assert ranks.loc["a", "p2"] is pd.NA and ranks.loc["b", "p1"] == 3 and ranks.loc["b", "p3"] == 3

    grades = runs.wide("grade")
    assert grades.loc["b"].tolist()[:2] == ["差", "好"] and pd.isna(grades.loc["d", "p1"])
    assert all(isinstance(t, pd.CategoricalDtype) and t.ordered for t in grades.dtypes)

    change = runs.wide("change")
    assert change.loc["b", "p3"] == pytest.approx(-24.0) and math.isnan(change.loc["a", "p3"])

    with pytest.raises(ValueError, match="value must be one of"):
        runs.wide("points")


def test_movers(mini: rectify.Scheme) -> None:
    runs = mini.score_periods(_dict_input())
    movers = runs.movers()
    # p3 against p2: d +24, c +12 up; b −24 down; a was not in p2.
    assert list(movers.index) == ["d", "c", "b"]
    assert movers["direction"].tolist() == ["up", "up", "down"]
    assert movers["change"].tolist() == pytest.approx([24.0, 12.0, -24.0])
    assert list(movers.columns) == ["direction", *COLUMNS]
    one = runs.movers(1)
    assert list(one.index) == ["d", "b"]
    assert runs.movers(0).empty
    with pytest.raises(ValueError, match="n must be"):
        runs.movers(-1)
    with pytest.raises(ValueError, match="at least two periods"):
        mini.score_periods({"p1": P1}).movers()


def test_container(mini: rectify.Scheme) -> None:
    runs = mini.score_periods(_dict_input())
    assert len(runs) == 3
    labels = [p for p, _ in runs]
    assert labels == ["p1", "p2", "p3"]
    for label, result in runs:
        assert isinstance(result, rectify.Result) and result is runs[label]
    assert runs["p2"].scores.tolist() == pytest.approx([89.0, 88.0, 52.0])
    assert "p2" in runs and "p9" not in runs and [] not in runs
    with pytest.raises(KeyError, match="no period 'p9'"):
        runs["p9"]
    # to_frame is a new frame each time.
    frame = runs.to_frame()
    frame["score"] = 0.0
    assert runs.to_frame()["score"].max() == 100.0


def test_repr(mini: rectify.Scheme) -> None:
    runs = mini.score_periods(_dict_input())
    # p3 against p2: c and d rose, b fell, a is new (it was not in p2), nobody left.
    assert repr(runs) == "<rectify.PeriodResults scheme='mini': 3 periods (p1, p2, p3); p3: 4 units, 2 up, 1 down, 1 new>"
    html = runs._repr_html_()
    assert "rectify.PeriodResults" in html and "小方案" in html
    for text in ("<th>period</th>", "<th>好</th>", "<th>差</th>", "<td style='text-align:left'>p2</td>"):
        assert text in html
    # p2: 3 units, mean (89+88+52)/3, 2 好, 1 差, 2 up, 0 down, 1 new (d), 1 gone (a)
    row = html.split("<td style='text-align:left'>p2</td>")[1].split("</tr>")[0]
    cells = [c.split(">")[1].split("<")[0] for c in row.split("<td")[1:]]
    assert cells == ["3", f"{(89 + 88 + 52) / 3:.2f}", "2", "1", "2", "0", "1", "1"]


def test_plot_calls_trend(mini: rectify.Scheme, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    plot = pytest.importorskip("rectify.plot")
    runs = mini.score_periods(_dict_input())
    if hasattr(plot, "trend"):
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure

        assert isinstance(runs.plot(["b", "c"]), Figure)
    seen = {}

    def fake(periods: Any, units: Any = None, *, value: str = "score", ax: Any = None) -> str:
        seen.update(periods=periods, units=units, value=value, ax=ax)
        return "figure"

    monkeypatch.setattr(plot, "trend", fake, raising=False)
    assert runs.plot(["b"], value="rank", ax="AX") == "figure"
    assert seen == {"periods": runs, "units": ["b"], "value": "rank", "ax": "AX"}


# -- order of the periods ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "labels, expected",
    [
        (["2026", "2026-H1", "2025"], ["2025", "2026-H1", "2026"]),  # by end: H1 (June) before the year
        (["2026-H2", "2026-H1", "2025H2"], ["2025H2", "2026-H1", "2026-H2"]),
        (["2026Q2", "2026-03", "2025-12", "2026Q1"], ["2025-12", "2026-03", "2026Q1", "2026Q2"]),
        (["2026年下半年", "2026年上半年", "2025年"], ["2025年", "2026年上半年", "2026年下半年"]),
        # the same end (31 March): the one that started first, then
        (["2026年第二季度", "2026年3月", "2026年第1季度"], ["2026年第1季度", "2026年3月", "2026年第二季度"]),
        ([pd.Period("2026"), pd.Period("2026-06", "M"), pd.Period("2025Q4")],
         [pd.Period("2025Q4"), pd.Period("2026-06", "M"), pd.Period("2026")]),
        ([pd.Timestamp("2026-11-30"), pd.Timestamp("2026-06-30")], [pd.Timestamp("2026-06-30"), pd.Timestamp("2026-11-30")]),
        ([2026, 2024, 2025], [2024, 2025, 2026]),
        ([10, 9, 100], [9, 10, 100]),  # numbers, not text
        (["第二轮", "第一轮", "第三轮"], ["第一轮", "第三轮", "第二轮"]),  # not times: text order
        (["b", "2026", "a"], ["2026", "a", "b"]),  # mixed: text order
    ],
)
def test_period_order(labels: list, expected: list) -> None:
    assert period_order(labels) == expected


def test_long_frame_periods_are_sorted(mini: rectify.Scheme) -> None:
    names = {"p1": "2025年", "p2": "2026-H1", "p3": "2026"}
    long = _long_frame()
    long["period"] = long["period"].map(names)
    long = long.iloc[::-1]  # the latest period first
    runs = mini.score_periods(long)
    assert runs.periods == ["2025年", "2026-H1", "2026"]
    frame = runs.to_frame()
    frame.index = frame.index.set_levels(["p1", "p2", "p3"], level="period")
    _check_expected(frame.loc[list(EXPECTED)])
    # An ordered Categorical says the order itself.
    cat = _long_frame()
    cat["period"] = pd.Categorical(cat["period"], categories=["p3", "p1", "p2"], ordered=True)
    assert mini.score_periods(cat).periods == ["p3", "p1", "p2"]


def test_dict_order_is_kept(mini: rectify.Scheme) -> None:
    runs = mini.score_periods({"2026": P2, "2025": P1})  # the caller's order, even if odd
    assert runs.periods == ["2026", "2025"]
    assert runs.to_frame().loc[("2025", "b"), "change"] == pytest.approx(70.0 - 89.0)


# -- errors -----------------------------------------------------------------------------------


def test_empty_inputs(mini: rectify.Scheme) -> None:
    with pytest.raises(rectify.DataError, match="no period to score") as e:
        mini.score_periods({})
    assert e.value.code == "rectify.data.no_periods"
    with pytest.raises(rectify.DataError) as e:
        mini.score_periods(_long_frame().iloc[:0])
    assert e.value.code == "rectify.data.no_periods"


def test_missing_period_column(mini: rectify.Scheme) -> None:
    with pytest.raises(rectify.DataError, match='no "quarter" column') as e:
        mini.score_periods(_long_frame(), period="quarter")
    assert e.value.code == "rectify.data.no_period_column"
    assert "period=" in str(e.value) and '"x"' in str(e.value)


def test_missing_unit_column(mini: rectify.Scheme) -> None:
    with pytest.raises(rectify.DataError) as e:
        mini.score_periods(_long_frame().drop(columns=["unit"]))
    assert e.value.code == "rectify.data.no_unit_column"


def test_missing_period_value(mini: rectify.Scheme) -> None:
    long = _long_frame()
    long.loc[[1, 4], "period"] = None
    with pytest.raises(rectify.DataError, match=r'2 rows have no "period" \(positions 1, 4\)') as e:
        mini.score_periods(long)
    assert e.value.code == "rectify.data.missing_period"


def test_duplicate_period_unit(mini: rectify.Scheme) -> None:
    long = _long_frame()
    long.loc[7, "unit"] = "b"  # p3's "b" is at position 7, "c" at 8: make "c" another "b"
    long.loc[8, "unit"] = "b"
    with pytest.raises(rectify.DataError) as e:
        mini.score_periods(long)
    assert e.value.code == "rectify.data.duplicate_unit"
    assert str(e.value) == '[rectify.data.duplicate_unit] period "p3": unit "b" appears twice (positions 7 and 8)'
    # The same unit in two periods is fine.
    mini.score_periods(_long_frame())


def test_data_error_names_the_period(mini: rectify.Scheme) -> None:
    bad = dict(P2, x=[9.0, "abc", 2.0])
    with pytest.raises(rectify.DataError) as alone:
        mini.score(bad)
    with pytest.raises(rectify.DataError) as e:
        mini.score_periods({"p1": P1, "2026年": bad})
    assert e.value.problems == alone.value.problems  # the scorer's own problems, kept
    assert e.value.code == "rectify.data.bad_cell"
    assert str(e.value) == f'period "2026年": {alone.value}'
    assert e.value.period == "2026年"  # type: ignore[attr-defined]
    assert isinstance(e.value.__cause__, rectify.DataError)


def test_data_error_of_a_file(mini: rectify.Scheme, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(rectify.DataError, match=r'^period "p2": .*nope\.csv') as e:
        mini.score_periods({"p1": P1, "p2": str(missing)})
    assert e.value.code == "rectify.io.open"


def test_duplicate_unit_within_a_dict_period(mini: rectify.Scheme) -> None:
    with pytest.raises(rectify.DataError, match=r'^period "p2": \[rectify.data.duplicate_unit\] unit "b"'):
        mini.score_periods({"p1": P1, "p2": dict(P2, unit=["b", "b", "d"])})


def test_wrong_types(mini: rectify.Scheme) -> None:
    with pytest.raises(TypeError, match="the value for period 'p2' is a int"):
        mini.score_periods({"p1": P1, "p2": 3})
    with pytest.raises(TypeError, match="not list"):
        mini.score_periods([P1, P2])
    with pytest.raises(TypeError, match="period must be"):
        mini.score_periods(_dict_input(), period=1)  # type: ignore[arg-type]


def test_invalid_scheme_before_any_period(mini_dict: Dict[str, Any]) -> None:
    mini_dict["indicators"][0]["rule"]["best"] = 0  # best == worst
    bad = rectify.Scheme.from_json(mini_dict)
    with pytest.raises(rectify.SchemeError) as e:
        bad.score_periods({"p1": P1, "p2": 3})  # the scheme is reported, not the data
    assert not str(e.value).startswith("period")


# -- progress ---------------------------------------------------------------------------------


def test_progress_bar(mini: rectify.Scheme, capsys: pytest.CaptureFixture[str]) -> None:
    mini.score_periods(_dict_input(), progress=True)
    err = capsys.readouterr().err
    assert "scoring periods" in err and "/3 [" in err and "period/s" in err

    mini.score_periods(_dict_input())  # None: stderr is not a terminal under pytest
    mini.score_periods(_dict_input(), progress=False)
    assert capsys.readouterr().err == ""
