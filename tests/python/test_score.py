"""Scoring DataFrames and dicts; Result and its views, compared with the command line."""

from __future__ import annotations

import json
import math
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import rectify
from conftest import SCHEME_JSON, UNITS_CSV

SUMMARY = ["score", "base", "bonus", "penalty", "band", "grade", "rank"]


def test_frame_round_trip_matches_cli(scheme: rectify.Scheme, units_frame: pd.DataFrame, cli_json) -> None:
    res = scheme.score(units_frame)
    frame = res.to_frame()
    cli_units = cli_json["doc"]["units"]
    assert list(frame.index) == [u["unit"] for u in cli_units]
    node_ids = list(scheme.nodes.index)
    assert list(frame.columns) == SUMMARY + node_ids
    for u in cli_units:
        row = frame.loc[u["unit"]]
        for key in ("score", "base", "bonus", "penalty"):
            assert row[key] == pytest.approx(u[key], rel=1e-13, abs=1e-13), (u["unit"], key)
        assert row["band"] == u["band"] and row["grade"] == u["grade"]
        assert row["rank"] == u["rank"]
        for node in node_ids:
            if node in u["nodes"]:
                assert row[node] == pytest.approx(u["nodes"][node], rel=1e-13, abs=1e-13), (u["unit"], node)
            else:  # dropped under "reweight"
                assert math.isnan(row[node]), (u["unit"], node)
        assert res.vetoes[u["unit"]] == u["vetoes"]
        assert res.missing[u["unit"]] == u["missing"]
    # the same data gives the same text as the CLI
    assert res.to_json() == cli_json["text"]


def test_scoring_a_csv_path_is_the_cli(scheme: rectify.Scheme) -> None:
    cli = os.environ.get("RECTIFY_CLI")
    if not cli:
        pytest.skip("RECTIFY_CLI is not set (the path of the rectify command line)")
    # units.csv alone: the ledger's inputs are missing for everyone and reweighted away.
    out = subprocess.run([cli, "score", str(SCHEME_JSON), str(UNITS_CSV), "--format", "json"], check=True,
                         capture_output=True)
    res = scheme.score(UNITS_CSV)
    assert res.to_json() == out.stdout.decode("utf-8")
    assert list(res.units) == [u["unit"] for u in json.loads(out.stdout)["units"]]


def test_read_units_csv(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    df = rectify.read_units_csv(UNITS_CSV)
    assert df.index.name == "unit"
    # units_frame has the ledger's and the compliance checks' inputs joined on after the file's columns
    with open(UNITS_CSV, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    assert list(df.columns) == header[1:] == list(units_frame.columns[1 : len(header)])
    assert (df.dtypes == np.float64).all()
    assert math.isnan(df.loc["wa_hebei", "expert_rating_publicity"])
    # it scores exactly like the file itself
    assert scheme.score(df).to_json() == scheme.score(UNITS_CSV).to_json()


def test_read_units_csv_errors_name_the_file(tmp_path) -> None:
    p = tmp_path / "u.csv"
    p.write_text("unit,x\nu1,3x\n", encoding="utf-8")
    with pytest.raises(rectify.DataError) as info:
        rectify.read_units_csv(p)
    assert info.value.code == "rectify.data.bad_cell"
    assert str(info.value) == f'{p}:2:2: [rectify.data.bad_cell] column "x": "3x" is not a number, true/false or empty'
    with pytest.raises(rectify.DataError) as info:
        rectify.read_units_csv(tmp_path / "none.csv")
    assert info.value.code == "rectify.io.open"


def test_unit_column_or_index(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    by_column = scheme.score(units_frame).to_frame()
    by_index = scheme.score(units_frame.set_index("unit")).to_frame()
    pd.testing.assert_frame_equal(by_column, by_index)
    assert by_column.index.name == "unit"
    # an index with another name is renamed "unit" in results
    renamed = units_frame.set_index("unit").rename_axis("单位")
    assert scheme.score(renamed).to_frame().index.name == "unit"


def test_dict_of_columns(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    data = {c: units_frame[c].tolist() for c in units_frame.columns}  # lists: ints, floats with nan
    res = scheme.score(data)
    pd.testing.assert_frame_equal(res.to_frame(), scheme.score(units_frame).to_frame())
    arrays = {c: units_frame[c].to_numpy() for c in units_frame.columns}
    pd.testing.assert_frame_equal(scheme.score(arrays).to_frame(), res.to_frame())


def test_dict_needs_unit(mini: rectify.Scheme) -> None:
    with pytest.raises(rectify.DataError) as info:
        mini.score({"x": [1.0], "n": [0]})
    assert str(info.value) == '[rectify.data.no_unit_column] a dict of columns needs a "unit" key holding the unit ids'


def test_grades_are_ordered_categoricals(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    frame = scheme.score(units_frame).to_frame()
    for col in ("band", "grade"):
        assert isinstance(frame[col].dtype, pd.CategoricalDtype)
        assert list(frame[col].cat.categories) == ["优秀", "良好", "合格", "不合格"]
        assert frame[col].cat.ordered
    assert frame["rank"].dtype == np.int64
    assert frame["grade"].value_counts().to_dict() == {"优秀": 3, "良好": 6, "合格": 5, "不合格": 4}
    # the veto caps wa_baima's grade below its band
    assert frame.loc["wa_baima", "grade"] == "不合格"
    # sorting by grade lists the best first
    assert frame.sort_values("grade")["grade"].iloc[0] == "优秀"


def test_series_views(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    res = scheme.score(units_frame)
    frame = res.to_frame()
    pd.testing.assert_series_equal(res.scores, frame["score"])
    pd.testing.assert_series_equal(res.grades, frame["grade"])
    pd.testing.assert_series_equal(res.ranks, frame["rank"])
    assert res.vetoes["wa_baima"] == ["veto.serious_violation"]
    assert res.vetoes["sec1_chengguan"] == []
    assert res.missing["office_admin"] == []
    assert res.missing["wa_hebei"] == ["expert_rating_publicity"]  # an empty cell of units.csv
    assert res.missing["center_emergency"] == ["attendance_rate"]  # no meeting held: no attendance rate
    assert len(res) == 18
    nodes = res.nodes
    assert nodes.shape == (18, len(scheme.nodes))
    pd.testing.assert_frame_equal(nodes, frame.iloc[:, len(SUMMARY):], check_names=False)


def test_node_points_are_dropped_as_nan(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    frame = scheme.score(units_frame).to_frame()
    assert math.isnan(frame.loc["wa_liulin", "team.training"])
    # the sibling takes all of the group's points
    assert frame.loc["wa_liulin", "team"] == frame.loc["wa_liulin", "team.incentive"]


def test_explain_sums_to_lost_points(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    res = scheme.score(units_frame)
    frame = res.to_frame()
    tree = set(scheme.nodes.index)
    for unit in frame.index:
        lost = res.explain(unit)
        assert list(lost.columns) == ["node", "points", "why"]
        in_tree = lost[lost["node"].isin(tree)]["points"].sum()
        assert in_tree == pytest.approx(scheme.total - frame.loc[unit, "base"], abs=1e-9), unit
        outside = lost[~lost["node"].isin(tree)]["points"].sum()
        assert outside == pytest.approx(frame.loc[unit, "penalty"], abs=1e-9), unit


def test_explain_text_and_language(mini: rectify.Scheme) -> None:
    res = mini.score({"unit": ["u1", "u2"], "x": [7.5, 10.0], "n": [2, 0]})
    zh = res.explain("u1")
    assert zh.to_dict("records") == [
        {"node": "a", "points": pytest.approx(15.0), "why": "甲:实际 7.5,得分率 75%(满分 60 分)= −15"},
        {"node": "b", "points": pytest.approx(10.0), "why": "问题 2 次 × 5 分 = −10"},
    ]
    en = res.explain("u1", lang="en")
    assert en["why"].tolist() == ["甲: value 7.5, 75% of 60 points = -15", "问题 2 × 5 = -10"]
    assert res.explain("u2").empty
    with pytest.raises(KeyError):
        res.explain("nobody")
    with pytest.raises(ValueError):
        res.explain("u1", lang="fr")


def test_explain_by_label_of_a_non_string_index(mini: rectify.Scheme) -> None:
    df = pd.DataFrame({"x": [5.0, 10.0], "n": [0.0, 1.0]}, index=pd.Index([101, 102]))
    res = mini.score(df)
    assert list(res.to_frame().index) == [101, 102]
    assert res.explain(101)["points"].sum() == pytest.approx(30)
    assert res.explain("102")["node"].tolist() == ["b"]  # the id as the C++ side saw it


def test_explain_reads_the_scored_data(mini: rectify.Scheme) -> None:
    x = np.array([5.0, 10.0])
    res = mini.score({"unit": ["u1", "u2"], "x": x, "n": np.zeros(2)})
    assert res.explain("u1")["points"].sum() == pytest.approx(30)
    x[0] = 10.0  # documented: the result keeps (and re-reads) the scored arrays
    assert res.explain("u1").empty


def test_to_json_round_trip(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    res = scheme.score(units_frame)
    doc = json.loads(res.to_json())
    frame = res.to_frame()
    assert doc["scheme"] == "hw-party-2026"
    assert [u["unit"] for u in doc["units"]] == list(frame.index)
    for u in doc["units"]:
        assert list(u) == ["unit", "score", "base", "bonus", "penalty", "band", "grade", "rank", "vetoes",
                           "missing", "nodes", "lost"]
        row = frame.loc[u["unit"]]
        assert u["score"] == row["score"] and u["rank"] == row["rank"] and u["grade"] == row["grade"]
        assert u["nodes"] == {k: row[k] for k in scheme.nodes.index if not math.isnan(row[k])}
        lost = res.explain(u["unit"])
        assert [(d["node"], d["points"], d["why"]) for d in u["lost"]] == list(lost.itertuples(index=False, name=None))
    en = json.loads(res.to_json(lang="en"))
    assert en["units"][0]["lost"][0]["why"] != doc["units"][0]["lost"][0]["why"]


def test_to_csv_and_table(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    res = scheme.score(units_frame)
    csv = res.to_csv()
    assert csv.splitlines()[0].startswith("unit,score,base,bonus,penalty,band,grade,rank,org_life,")
    assert len(csv.splitlines()) == 19
    assert res.to_csv(explain=True).startswith("unit,node,points,why\n")
    table = res.to_table()
    assert table.startswith("考核方案 hw-party-2026 ")
    assert "rank" in res.to_table(lang="en").splitlines()[1]


def test_without_nodes(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    res = scheme.score(units_frame, nodes=False)
    frame = res.to_frame()
    assert list(frame.columns) == SUMMARY
    pd.testing.assert_frame_equal(frame, scheme.score(units_frame).to_frame()[SUMMARY])
    assert json.loads(res.to_json())["units"][0]["nodes"] == {}


def test_node_matrix_reaches_pandas_without_a_copy(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    res = scheme.score(units_frame)
    matrix = res._core.nodes
    assert matrix.shape == (18, len(scheme.nodes))
    assert matrix.flags.f_contiguous and not matrix.flags.writeable
    frame = res.to_frame()
    col = frame["org_life"].to_numpy()
    assert np.shares_memory(col, matrix)
    # the view keeps the C++ result alive on its own
    del res, frame
    assert np.isfinite(matrix[:, 0]).all()
    # an editable frame on request
    edit = scheme.score(units_frame).to_frame(copy=True)
    edit.iloc[0, len(SUMMARY)] = 0.0
    assert edit.iloc[0, len(SUMMARY)] == 0.0


def test_empty_cohort(mini: rectify.Scheme) -> None:
    res = mini.score({"unit": [], "x": [], "n": []})
    assert len(res) == 0
    frame = res.to_frame()
    assert frame.shape == (0, len(SUMMARY) + 2)
    assert json.loads(res.to_json()) == {"scheme": "mini", "units": []}


def test_repr_and_html(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    res = scheme.score(units_frame)
    assert repr(res) == "<rectify.Result scheme='hw-party-2026': 18 units; 优秀 3, 良好 6, 合格 5, 不合格 4>"
    html = res._repr_html_()
    assert "18 units" in html and "<table>" in html and "优秀" in html
    assert "1 vetoed" in html and "5 with missing inputs" in html


def test_quota_moves_units_down(mini_dict) -> None:
    mini_dict["grades"][0]["quota"] = 0.5
    s = rectify.Scheme.from_json(mini_dict)
    res = s.score({"unit": ["a", "b", "c", "d"], "x": [10, 10, 9, 9.5], "n": [0, 1, 0, 0]})
    frame = res.to_frame()
    assert frame["band"].tolist() == ["好", "好", "好", "好"]
    assert frame["grade"].tolist() == ["好", "差", "差", "好"]
    assert frame["rank"].tolist() == [1, 3, 4, 2]
