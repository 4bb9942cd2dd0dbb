"""Scheme.from_table: a scheme from a 考核细则 table (CSV, xlsx or DataFrame)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pandas as pd
import pytest

import rectify
from conftest import EXAMPLES, SCHEME_JSON

TABLE_CSV = EXAMPLES / "scheme_table.csv"
SAMPLE: Dict[str, Any] = json.loads(SCHEME_JSON.read_text(encoding="utf-8"))
# What the table does not say: the scheme's id and name, its grades (with the quota) and policy.
OPTIONS: Dict[str, Any] = {
    "id": SAMPLE["id"],
    "name": SAMPLE["name"],
    "grades": SAMPLE["grades"],
    "missing": SAMPLE["missing"],
}
ENGLISH = {
    "一级指标": "area", "一级指标编号": "area_id", "一级指标分值": "area_points", "二级指标": "indicator",
    "编号": "id", "分值": "points", "权重": "weight", "数据项": "input", "规则": "rule", "最差": "worst",
    "最好": "best", "档次": "levels", "扣分数据项": "count", "每次扣分": "per", "扣分上限": "cap",
    "扣分项": "deduction", "超过": "above", "最高等次": "max_grade", "说明": "criteria",
}


def rows() -> List[List[str]]:
    with open(TABLE_CSV, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_csv(path: Path, table: List[List[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    return path


def as_dict(scheme: rectify.Scheme) -> Dict[str, Any]:
    return dict(json.loads(scheme.text))


def problems(excinfo: Any) -> List[str]:
    return [f"[{p.code}] {p.path}: {p.message}" for p in excinfo.value.problems]


# -- the sample ------------------------------------------------------------------------------


def test_the_sample_table_is_the_sample_scheme() -> None:
    scheme = rectify.Scheme.from_table(TABLE_CSV, **OPTIONS)
    assert as_dict(scheme) == SAMPLE


def test_the_sample_table_scores_the_units_as_scheme_json(units_frame: pd.DataFrame, scheme: rectify.Scheme) -> None:
    from_table = rectify.Scheme.from_table(TABLE_CSV, **OPTIONS).score(units_frame)
    expected = scheme.score(units_frame)
    pd.testing.assert_frame_equal(from_table.to_frame(), expected.to_frame(), check_exact=True)
    for unit in ("wa_songzhuang", "wa_baima"):
        pd.testing.assert_frame_equal(from_table.explain(unit), expected.explain(unit))


def test_a_dataframe_read_by_pandas_defaults_gives_the_same_scheme() -> None:
    # Default pandas parsing turns numbers into floats and empty cells into NaN.
    table = pd.read_csv(TABLE_CSV)
    assert table["分值"].dtype == np.float64
    assert as_dict(rectify.Scheme.from_table(table, **OPTIONS)) == SAMPLE


def test_english_headers_and_a_title_row(tmp_path: Path) -> None:
    table = rows()
    table[0] = [ENGLISH[h] for h in table[0]]
    title = ["2026年度考核细则"] + [""] * (len(table[0]) - 1)
    path = write_csv(tmp_path / "english.csv", [title, *table])
    assert as_dict(rectify.Scheme.from_table(path, **OPTIONS)) == SAMPLE


def test_the_bonus_penalties_and_vetoes_as_arguments() -> None:
    table = pd.read_csv(TABLE_CSV, dtype=str, keep_default_na=False)
    area = table["一级指标"].replace("", np.nan).ffill()
    tree = table[~area.isin(["加分项", "直接扣分", "一票否决"])]
    scheme = rectify.Scheme.from_table(
        tree, bonus=SAMPLE["bonus"], penalties=SAMPLE["penalties"], vetoes=SAMPLE["vetoes"], **OPTIONS
    )
    assert as_dict(scheme) == SAMPLE


def test_an_xlsx_with_merged_area_cells(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    table = rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "细则"
    ws.append(["2026年度考核细则"])
    for row in table:
        ws.append([_excel_value(v) for v in row])
    # Merge the 一级指标 cells of each area over its rows, as bureaus do.
    start = 3
    for r in range(4, len(table) + 2):
        if ws.cell(row=r, column=1).value:
            if r - 1 > start:
                ws.merge_cells(start_row=start, start_column=1, end_row=r - 1, end_column=1)
            start = r
    path = tmp_path / "细则.xlsx"
    wb.save(path)
    assert as_dict(rectify.Scheme.from_table(path, **OPTIONS)) == SAMPLE

    ws["F3"] = None  # the 分值 of org_life.plan (row 1: the title, row 2: the header)
    wb.save(path)
    with pytest.raises(rectify.SchemeError) as e:
        rectify.Scheme.from_table(path, **OPTIONS)
    assert problems(e) == [
        f"[rectify.scheme.table.missing_value] {path}:细则!F3: the indicator '制定年度“三会一课”计划' has no 分值 or 权重"
    ]


def _excel_value(v: str) -> Any:
    try:
        return float(v) if "." in v else int(v)
    except ValueError:
        return v or None


# -- generated ids, sums and a score worked by hand --------------------------------------------

SMALL = pd.DataFrame(
    {
        "一级指标": ["组织生活", None, "学习"],
        "二级指标": ["按期召开", "记录完整", "参学率"],
        "分值": [50, 20, 30],
        "数据项": ["meetings_met_ratio", None, "study_attendance_rate"],
        "规则": ["线性", None, "达到"],
        "最差": [0.6, None, None],
        "最好": [1, None, None],
        "档次": [None, None, "80%:0.6; 90%:0.8; 95%:1"],
        "扣分数据项": [None, "records_incomplete", None],
        "每次扣分": [None, 0.5, None],
    }
)


def test_ids_and_area_points_are_generated() -> None:
    d = as_dict(rectify.Scheme.from_table(SMALL, id="s"))
    assert d["indicators"] == [
        {"id": "a1", "name": "组织生活", "points": 70, "children": [
            {"id": "a1.1", "name": "按期召开", "points": 50, "input": "meetings_met_ratio",
             "rule": {"type": "linear", "worst": 0.6, "best": 1}},
            {"id": "a1.2", "name": "记录完整", "points": 20,
             "deductions": [{"input": "records_incomplete", "per": 0.5, "name": "记录完整"}]},
        ]},
        {"id": "a2", "name": "学习", "points": 30, "children": [
            {"id": "a2.1", "name": "参学率", "points": 30, "input": "study_attendance_rate",
             "rule": {"type": "steps", "at_least": [[0.8, 0.6], [0.9, 0.8], [0.95, 1]]}},
        ]},
    ]
    assert [g["name"] for g in d["grades"]] == ["优秀", "良好", "合格", "不合格"]
    assert d["missing"] == "error" and d["total"] == 100


def test_a_score_worked_by_hand() -> None:
    scheme = rectify.Scheme.from_table(SMALL, id="s")
    units = pd.DataFrame(
        {"meetings_met_ratio": [0.8], "records_incomplete": [3.0], "study_attendance_rate": [0.92]},
        index=pd.Index(["u"], name="unit"),
    )
    frame = scheme.score(units).to_frame()
    # linear (0.8 − 0.6)/(1 − 0.6) = 0.5 of 50 = 25; 20 − 3 × 0.5 = 18.5; 0.92 reaches 90% → 0.8 of 30 = 24.
    assert frame.loc["u", ["a1.1", "a1.2", "a2.1"]].tolist() == pytest.approx([25, 18.5, 24], abs=1e-12)
    assert frame.loc["u", "score"] == pytest.approx(67.5, abs=1e-12)
    assert frame.loc["u", "grade"] == "合格"


def test_weights_need_the_area_points_and_a_veto_defaults_to_the_last_grade() -> None:
    table = pd.DataFrame(
        {
            "一级指标": ["甲", "甲", "一票否决"],
            "一级指标分值": [100, None, None],
            "二级指标": ["x", "y", "违纪"],
            "权重": [1, 3, None],
            "数据项": ["x", "y", "cases"],
            "规则": ["check", "check", None],
        }
    )
    d = as_dict(rectify.Scheme.from_table(table, id="w", grades={"好": 60, "差": None}))
    assert [c["weight"] for c in d["indicators"][0]["children"]] == [1, 3]
    assert d["vetoes"] == [{"id": "veto.1", "name": "违纪", "input": "cases", "above": 0, "max_grade": "差"}]
    assert d["grades"] == [{"name": "好", "min": 60}, {"name": "差"}]

    with pytest.raises(rectify.SchemeError) as e:
        rectify.Scheme.from_table(table.assign(一级指标分值=None), id="w")
    assert problems(e) == [
        "[rectify.scheme.table.missing_value] DataFrame:row 0:一级指标分值: the area '甲' gives its indicators 权重, so it needs 一级指标分值"
    ]


# -- errors name the table's row and column ----------------------------------------------------


def test_a_row_without_points_names_the_file_row_and_column(tmp_path: Path) -> None:
    table = rows()
    table[4][5] = ""  # line 5 of the file: org_life.records
    path = write_csv(tmp_path / "scheme_table.csv", table)
    with pytest.raises(rectify.SchemeError) as e:
        rectify.Scheme.from_table(path, **OPTIONS)
    assert e.value.code == "rectify.scheme.table.missing_value"
    assert str(e.value) == (
        f"[rectify.scheme.table.missing_value] {path}:row 5:分值: "
        "the indicator '会议记录完整(含现场图文记录)' has no 分值 or 权重"
    )


def test_every_problem_of_the_rows_at_once() -> None:
    table = SMALL.astype(object)
    table.loc[0, "规则"] = "stairs"
    table.loc[1, "每次扣分"] = "half"
    table.loc[2, "档次"] = "80%-0.6"
    with pytest.raises(rectify.SchemeError) as e:
        rectify.Scheme.from_table(table, id="s")
    assert problems(e) == [
        "[rectify.scheme.table.unknown_rule] DataFrame:row 0:规则: unknown rule 'stairs' "
        "(one of at_least, at_most, check, deduction, direct, linear, piecewise, or their Chinese names)",
        "[rectify.scheme.table.bad_number] DataFrame:row 1:每次扣分: 'half' is not a number",
        "[rectify.scheme.table.bad_value] DataFrame:row 2:档次: '80%-0.6' is not 'value:fraction' "
        "(levels are written 0.8:0.6; 0.9:1)",
    ]


def test_missing_and_unknown_columns_are_reported_alone() -> None:
    table = SMALL.drop(columns=["分值"]).rename(columns={"每次扣分": "每次扣份"})
    with pytest.raises(rectify.SchemeError) as e:
        rectify.Scheme.from_table(table, id="s")
    assert problems(e) == [
        "[rectify.scheme.table.unknown_column] DataFrame: unknown column '每次扣份' (did you mean '每次扣分'?)",
        "[rectify.scheme.table.missing_column] DataFrame: no column '分值' "
        "(headers: 一级指标, 二级指标, 数据项, 规则, 最差, 最好, 档次, 扣分数据项, 每次扣份)",
    ]


def test_the_checkers_problems_are_placed_in_the_table() -> None:
    table = SMALL.copy()
    table.loc[0, "最好"] = 0.6  # best = worst
    table.loc[2, "分值"] = 40  # the areas now sum to 110, not 100
    with pytest.raises(rectify.SchemeError) as e:
        rectify.Scheme.from_table(table, id="s")
    got = {p.code: (p.path, p.message) for p in e.value.problems}
    assert got["rectify.scheme.bad_rule"][0] == "DataFrame:row 0:最好"
    assert got["rectify.scheme.bad_rule"][1].endswith("(/indicators/0/children/0/rule/best)")
    assert "rectify.scheme.points_sum" in got


def test_points_and_weight_on_one_row_and_a_deduction_without_an_indicator() -> None:
    table = SMALL.assign(权重=[None, 1, None])
    extra = pd.DataFrame({"一级指标": [None], "二级指标": [None], "数据项": ["x"]})
    table = pd.concat([table, extra], ignore_index=True)
    with pytest.raises(rectify.SchemeError) as e:
        rectify.Scheme.from_table(table, id="s")
    assert problems(e) == [
        "[rectify.scheme.table.conflict] DataFrame:row 1:权重: give 分值 or 权重, not both",
        "[rectify.scheme.table.missing_value] DataFrame:row 3:二级指标: the row has no 二级指标 and no deduction (扣分数据项)",
    ]


def test_a_second_deduction_continues_the_indicator_above() -> None:
    extra = pd.DataFrame({"一级指标": [None], "扣分数据项": ["records_late"], "每次扣分": [1], "扣分上限": [5],
                          "扣分项": ["记录补记"]})
    table = pd.concat([SMALL.iloc[:2], extra, SMALL.iloc[2:]], ignore_index=True)
    d = as_dict(rectify.Scheme.from_table(table, id="s"))
    assert d["indicators"][0]["children"][1]["deductions"] == [
        {"input": "records_incomplete", "per": 0.5, "name": "记录完整"},
        {"input": "records_late", "per": 1, "cap": 5, "name": "记录补记"},
    ]


def test_not_a_table() -> None:
    with pytest.raises(TypeError, match="DataFrame or a path"):
        rectify.Scheme.from_table(42, id="s")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        rectify.Scheme.from_table("no/such/table.csv", id="s")
