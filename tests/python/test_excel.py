"""Excel in and out: rectify.read_units (CSV and .xlsx, the usual exports, every error with its
cell) and Result.to_excel (the sheets, their order and headers, formatting, atomic writes).

Input workbooks are built here with openpyxl; expected values are written out by hand or come
from the CSV reader (an independent path: the C++ reader) and the scorer's own identities."""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path
from typing import Any, Dict, List, Sequence

import numpy as np
import pandas as pd
import pytest

import rectify
from conftest import SCHEME_JSON, UNITS_CSV

openpyxl = pytest.importorskip("openpyxl")


def _book(path: Path, rows: List[List[Any]], *, title: str = "Sheet", merge: Sequence[str] = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
    for rng in merge:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def _problems(exc: rectify.DataError) -> Dict[str, str]:
    """path -> code of every problem."""
    return {p.path: p.code for p in exc.problems}


# -- reading: what is tolerated ---------------------------------------------------------------


def test_title_rows_yes_no_text_numbers_and_percentages(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "u.xlsx",
        [
            ["2026年度考核基础数据"],
            [],
            [" Unit ", "plan", "rate", "count", "flag", "ok"],
            ["u1", "是", "95%", " 3.5 ", True, "√"],
            ["u2", "否", 0.8, "12", False, "×"],
            [],  # a blank row inside the data is skipped
            [" u3 ", "有", " 87.5 % ", 4, "yes", "TRUE"],
            ["u4", "无", None, "  ", "No", "false"],
        ],
        merge=["A1:H1"],
    )
    got = rectify.read_units(path)
    nan = math.nan
    expected = pd.DataFrame(
        {
            "plan": [1.0, 0.0, 1.0, 0.0],
            "rate": [0.95, 0.8, 0.875, nan],
            "count": [3.5, 12.0, 4.0, nan],
            "flag": [1.0, 0.0, 1.0, 0.0],
            "ok": [1.0, 0.0, 1.0, 0.0],
        },
        index=pd.Index(["u1", "u2", "u3", "u4"], name="unit"),
    )
    pd.testing.assert_frame_equal(got, expected)
    assert all(dt == np.float64 for dt in got.dtypes)


def test_trailing_empty_rows_and_columns_are_ignored(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["unit", "x"])
    ws.append(["a", 1])
    ws.append(["b", 2])
    # Formatting far away grows the sheet's dimensions without adding data.
    ws.cell(row=40, column=12).fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    ws.cell(row=5, column=3).value = "   "  # a cell of spaces is empty
    wb.save(tmp_path / "u.xlsx")
    got = rectify.read_units(tmp_path / "u.xlsx")
    assert got.index.tolist() == ["a", "b"]
    assert got.columns.tolist() == ["x"]
    assert got["x"].tolist() == [1.0, 2.0]


def test_chinese_unit_headers_and_numeric_ids(tmp_path: Path) -> None:
    got = rectify.read_units(_book(tmp_path / "a.xlsx", [["单位", "x"], [1001, 1], [1002.0, 2], ["城关段", 3]]))
    assert got.index.name == "unit"
    assert got.index.tolist() == ["1001", "1002", "城关段"]
    # 单位编号 (the id) is preferred to 单位 (often the name); 单位 is then an input like any other.
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(_book(tmp_path / "b.xlsx", [["单位", "单位编号", "x"], ["城关段", "u1", 1]]))
    assert _problems(e.value) == {"Sheet!A2": "rectify.data.bad_cell"}
    got = rectify.read_units(_book(tmp_path / "c.xlsx", [["x", "单位编号"], [1, "u1"]]))
    assert got.index.tolist() == ["u1"] and got.columns.tolist() == ["x"]
    # "unit" is preferred to both.
    got = rectify.read_units(_book(tmp_path / "d.xlsx", [["单位编号", "UNIT", "x"], [7, "u1", 1]]))
    assert got.index.tolist() == ["u1"] and got.columns.tolist() == ["单位编号", "x"]


def test_header_must_be_within_the_first_20_rows(tmp_path: Path) -> None:
    rows: List[List[Any]] = [["note"]] + [[] for _ in range(18)] + [["unit", "x"], ["a", 1]]
    assert rectify.read_units(_book(tmp_path / "ok.xlsx", rows)).index.tolist() == ["a"]  # header on row 20
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(_book(tmp_path / "late.xlsx", [[]] + rows))  # header on row 21
    assert e.value.code == "rectify.data.no_unit_column"
    assert "first 20 rows" in str(e.value) and "late.xlsx" in str(e.value)
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(_book(tmp_path / "none.xlsx", [["name", "x"], ["a", 1]]))
    assert e.value.code == "rectify.data.no_unit_column"
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(_book(tmp_path / "empty.xlsx", []))
    assert e.value.code == "rectify.data.empty"


def test_sheet_by_name_or_position(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "这是说明页"
    data = wb.create_sheet("数据")
    data.append(["unit", "x"])
    data.append(["a", 5])
    wb.save(tmp_path / "s.xlsx")
    by_name = rectify.read_units(tmp_path / "s.xlsx", sheet="数据")
    by_pos = rectify.read_units(tmp_path / "s.xlsx", sheet=1)
    pd.testing.assert_frame_equal(by_name, by_pos)
    assert by_name.loc["a", "x"] == 5.0
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(tmp_path / "s.xlsx")  # the first sheet has no header
    assert e.value.code == "rectify.data.no_unit_column"
    for bad in ("Data", 2, -1):
        with pytest.raises(rectify.DataError) as e:
            rectify.read_units(tmp_path / "s.xlsx", sheet=bad)
        assert e.value.code == "rectify.data.no_sheet"
        assert '"说明", "数据"' in str(e.value)
    with pytest.raises(TypeError):
        rectify.read_units(tmp_path / "s.xlsx", sheet=1.0)  # type: ignore[arg-type]


# -- reading: errors ----------------------------------------------------------------------------


def test_merged_header_names_the_range(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "m.xlsx",
        [["2026年度考核基础数据"], [], ["unit", "x", None, "y"], ["a", 1, 2, 3]],
        title="Sheet",
        merge=["A1:D1", "B3:C3"],
    )
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(path)
    assert [(p.code, p.path) for p in e.value.problems] == [("rectify.data.merged_header", "Sheet!B3:C3")]
    assert "unmerge" in str(e.value).lower() and "m.xlsx" in str(e.value)
    # A range that spans the header row from above counts too (a two-row header).
    path = _book(tmp_path / "m2.xlsx", [["unit", "x"], [None, None], ["a", 1]], merge=["A1:A2"])
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(path)
    assert _problems(e.value) == {"Sheet!A1:A2": "rectify.data.merged_header"}


def test_merged_data_cells_name_the_range(tmp_path: Path) -> None:
    path = _book(tmp_path / "m.xlsx", [["unit", "x", "y"], ["a", 1, 2], ["b", 3, None], ["c", 4, 5]], merge=["C3:C4"])
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(path)
    assert _problems(e.value) == {"Sheet!C3:C4": "rectify.data.merged_cells"}
    assert "unmerge" in str(e.value).lower()


def test_every_bad_cell_is_named(tmp_path: Path) -> None:
    rows: List[List[Any]] = [
        ["2026年度考核基础数据"],
        ["unit", "x", "y", "x", None, "z"],
        ["a", 1, "3x", 1, None, "#DIV/0!"],
        ["b", "1,5", 2, 1, None, 1],
        ["a", 1, 2, 1, None, 1],  # duplicate unit
        [None, 1, 2, 1, None, 1],  # data without a unit
        ["c", 1, 2, 1, 9, 1],  # data under an empty header
    ]
    path = _book(tmp_path / "bad.xlsx", rows, title="数据")
    import datetime

    wb = openpyxl.load_workbook(path)
    wb.active["C8"] = "c2"
    wb.active["A8"] = "d"
    wb.active["B8"] = datetime.date(2026, 1, 1)
    wb.save(path)
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(path)
    assert _problems(e.value) == {
        "数据!D2": "rectify.data.duplicate_column",
        "数据!E2": "rectify.data.duplicate_column",
        "数据!C3": "rectify.data.bad_cell",
        "数据!F3": "rectify.data.bad_cell",
        "数据!B4": "rectify.data.bad_cell",
        "数据!A5": "rectify.data.duplicate_unit",
        "数据!A6": "rectify.data.empty_unit",
        "数据!B8": "rectify.data.bad_cell",
        "数据!C8": "rectify.data.bad_cell",
    }
    text = str(e.value)
    assert 'column "x" appears twice (数据!B2 and 数据!D2)' in text
    assert "column E has data but no header" in text
    assert '"3x" is not a number' in text
    assert "#DIV/0!" in text
    assert "thousands separators" in text
    assert 'unit "a" appears twice (first at 数据!A3)' in text
    assert "date" in text
    assert all(p.source == str(path) for p in e.value.problems)
    assert isinstance(e.value, ValueError)


def test_formula_without_a_cached_value(tmp_path: Path) -> None:
    # openpyxl writes formulas without values, as any program does: Excel never computed them.
    path = _book(tmp_path / "f.xlsx", [["unit", "x", "y"], ["a", 1, "=B2*2"], ["b", 2, 3]])
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(path)
    assert _problems(e.value) == {"Sheet!C2": "rectify.data.uncached_formula"}
    assert "never opened in Excel" in str(e.value)
    # A whole row of uncomputed formulas is not taken for a blank row.
    path = _book(tmp_path / "g.xlsx", [["unit", "x"], ["a", 1], ['=CONCAT("b","")', "=B2+1"]])
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(path)
    assert _problems(e.value) == {"Sheet!A3": "rectify.data.uncached_formula"}


def test_formula_with_a_cached_value_reads_the_value(tmp_path: Path) -> None:
    # What Excel saves: <c><f>B2*2</f><v>4</v></c>. openpyxl cannot write a cached value, so the
    # sheet's XML is edited after saving.
    import zipfile

    src = _book(tmp_path / "src.xlsx", [["unit", "x", "y"], ["a", 2, "=B2*2"]])
    out = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<f>B2*2</f><v></v>" in data or b"<f>B2*2</f><v />" in data
                data = data.replace(b"<f>B2*2</f><v></v>", b"<f>B2*2</f><v>4</v>").replace(
                    b"<f>B2*2</f><v />", b"<f>B2*2</f><v>4</v>"
                )
            zout.writestr(item, data)
    got = rectify.read_units(out)
    assert got.loc["a"].tolist() == [2.0, 4.0]


def test_problems_are_capped_at_100(tmp_path: Path) -> None:
    rows: List[List[Any]] = [["unit", "x"]] + [[f"u{i}", "bad"] for i in range(150)]
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(_book(tmp_path / "many.xlsx", rows))
    ps = e.value.problems
    assert len(ps) == 101
    assert all(p.code == "rectify.data.bad_cell" for p in ps[:100])
    assert ps[100].code == "rectify.data.more" and "50 more" in ps[100].message
    assert ps[0].path == "Sheet!B2" and ps[99].path == "Sheet!B101"


def test_sheet_names_that_need_quotes(tmp_path: Path) -> None:
    path = _book(tmp_path / "q.xlsx", [["unit", "x"], ["a", "?"]], title="Unit data")
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(path)
    assert e.value.problems[0].path == "'Unit data'!B2"


def test_file_types_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(tmp_path / "old.xls")
    assert e.value.code == "rectify.data.format" and ".xlsx" in str(e.value)
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(tmp_path / "units.ods")
    assert e.value.code == "rectify.data.format"
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(tmp_path / "missing.xlsx")
    assert e.value.code == "rectify.io.open" and "missing.xlsx" in str(e.value)
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(tmp_path / "missing.csv")
    assert e.value.code == "rectify.io.open"
    (tmp_path / "text.xlsx").write_text("unit,x\na,1\n", encoding="utf-8")
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(tmp_path / "text.xlsx")
    assert e.value.code == "rectify.data.format"
    with pytest.raises(ValueError, match="sheet"):
        rectify.read_units(UNITS_CSV, sheet=0)


def test_csv_goes_to_the_cpp_reader(tmp_path: Path) -> None:
    pd.testing.assert_frame_equal(rectify.read_units(UNITS_CSV), rectify.read_units_csv(UNITS_CSV))
    gbk = tmp_path / "gbk.CSV"
    gbk.write_bytes("unit,得分\n城关段,1\n".encode("gbk"))
    got = rectify.read_units(gbk, encoding="gbk")
    assert got.index.tolist() == ["城关段"] and got.columns.tolist() == ["得分"]


# -- reading: round trip ------------------------------------------------------------------------


def _csv_rows() -> List[List[str]]:
    with open(UNITS_CSV, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_units_csv_saved_as_xlsx_reads_back_equal(tmp_path: Path) -> None:
    header, *body = _csv_rows()
    rows: List[List[Any]] = [["2026年度考核基础数据"], [], header]
    for k, row in enumerate(body):
        cells: List[Any] = [row[0]]
        for j, s in enumerate(row[1:]):
            if s == "":
                cells.append(None)
            elif (k + j) % 5 == 0:
                cells.append(f" {s} ")  # a number typed as text
            else:
                cells.append(int(s) if s.lstrip("-").isdigit() else float(s))
        rows.append(cells)
    path = _book(tmp_path / "units.xlsx", rows, title="基础数据", merge=[f"A1:H1"])
    from_xlsx = rectify.read_units(path)
    from_csv = rectify.read_units(UNITS_CSV)
    pd.testing.assert_frame_equal(from_xlsx, from_csv)
    assert from_csv.isna().to_numpy().any()  # the sample has missing cells: they survive as NaN
    scheme = rectify.Scheme.from_json(SCHEME_JSON)
    extra = [c for c in scheme.inputs if c not in from_csv.columns]
    filled = {c: 0.0 for c in extra}
    a = scheme.score(from_xlsx.assign(**filled)).to_frame()
    b = scheme.score(from_csv.assign(**filled)).to_frame()
    pd.testing.assert_frame_equal(a, b)


# -- writing ------------------------------------------------------------------------------------


@pytest.fixture
def sample_result(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> rectify.Result:
    return scheme.score(units_frame)


def _rows(ws: Any) -> List[List[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_workbook_sheets_and_ranking(tmp_path: Path, sample_result: rectify.Result) -> None:
    out = tmp_path / "result.xlsx"
    sample_result.to_excel(out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "指标得分", "扣分说明"]
    summary = wb["汇总"]
    rows = _rows(summary)
    assert rows[1] == ["排名", "单位", "得分", "基础分", "加分", "直接扣分", "等级", "分档", "否决项", "缺项"]
    body = rows[2:]
    frame = sample_result.to_frame()
    assert len(body) == len(frame)
    # Rank order, derived independently: by score, highest first.
    by_score = sorted(frame.index, key=lambda u: -frame.loc[u, "score"])
    assert [r[1] for r in body] == by_score
    assert [r[0] for r in body] == sorted(r[0] for r in body)
    for r in body:
        u = r[1]
        assert r[2] == pytest.approx(frame.loc[u, "score"], abs=1e-12)
        assert r[3] == pytest.approx(frame.loc[u, "base"], abs=1e-12)
        assert r[6] == frame.loc[u, "grade"] and r[7] == frame.loc[u, "band"]
    # The vetoed unit shows the veto's name; a unit with a missing input names it.
    vetoed = {r[1]: r[8] for r in body if r[8]}
    assert vetoed == {u: "发生严重违纪违法案件" for u, v in sample_result.vetoes.items() if v}
    missing = {r[1]: r[9] for r in body if r[9]}
    assert missing == {u: ", ".join(m) for u, m in sample_result.missing.items() if m}
    assert "2026年度公路养护党建与精神文明建设考核方案" in str(rows[0][0])
    assert sample_result.scheme.id in wb.properties.subject


def test_lost_points_sum_to_what_explain_says(tmp_path: Path, sample_result: rectify.Result) -> None:
    out = tmp_path / "result.xlsx"
    sample_result.to_excel(out)
    ws = openpyxl.load_workbook(out)["扣分说明"]
    rows = _rows(ws)
    assert rows[0] == ["单位", "排名", "指标", "指标名称", "扣分", "说明"]
    lost: Dict[str, float] = {}
    seen: List[str] = []
    for unit, rank, node, name, points, why in rows[1:]:
        lost[unit] = lost.get(unit, 0.0) + points
        if not seen or seen[-1] != unit:
            seen.append(unit)
        assert why and node
    frame = sample_result.to_frame()
    # Units appear once each, in rank order.
    assert seen == sorted(seen, key=lambda u: frame.loc[u, "rank"]) and len(seen) == len(set(seen))
    total = sample_result.scheme.total
    for unit in frame.index:
        explained = float(sample_result.explain(unit)["points"].sum())
        assert lost.get(unit, 0.0) == pytest.approx(explained, abs=1e-9)
        # The scorer's identity: tree items sum to total - base, penalties add the penalty.
        expected = total - frame.loc[unit, "base"] + frame.loc[unit, "penalty"]
        assert lost.get(unit, 0.0) == pytest.approx(expected, abs=1e-9)
    names = {r[2]: r[3] for r in rows[1:]}
    assert names["org_life.records"] == "会议记录完整(含现场图文记录)"
    assert names["penalty.accident"] == "发生安全责任事故"


def test_node_points_sheet(tmp_path: Path, sample_result: rectify.Result) -> None:
    out = tmp_path / "result.xlsx"
    sample_result.to_excel(out)
    ws = openpyxl.load_workbook(out)["指标得分"]
    rows = _rows(ws)
    nodes = sample_result.scheme.nodes
    assert rows[0][:3] == ["排名", "单位", "得分"]
    assert rows[0][3:] == nodes.index.tolist()
    assert rows[1][3:] == nodes["name"].tolist()
    assert rows[2][1] == "满分" and rows[2][2] == sample_result.scheme.total
    # openpyxl writes 16 significant digits (Excel itself keeps 15).
    np.testing.assert_allclose(rows[2][3:], nodes["points"].tolist(), rtol=1e-15)
    points = sample_result.nodes
    for r in rows[3:]:
        expected = points.loc[r[1]].tolist()
        got = [math.nan if v is None else v for v in r[3:]]
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert ws.freeze_panes == "D4"


def test_english_headers(tmp_path: Path, sample_result: rectify.Result) -> None:
    out = tmp_path / "result_en.xlsx"
    sample_result.to_excel(out, lang="en", explain=False)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Node points"]
    assert _rows(wb["Summary"])[1] == [
        "Rank", "Unit", "Score", "Base", "Bonus", "Penalty", "Grade", "Band", "Vetoes", "Missing inputs",
    ]
    assert _rows(wb["Node points"])[2][1] == "Full points"
    with pytest.raises(ValueError, match="lang"):
        sample_result.to_excel(tmp_path / "x.xlsx", lang="fr")
    assert not (tmp_path / "x.xlsx").exists()


def test_formatting(tmp_path: Path, mini: rectify.Scheme) -> None:
    # x in 0..10 gives 0..60 points; each n costs 5 of 40; 好 from 80.
    result = mini.score(pd.DataFrame({"unit": ["城关养护段", "乙", "丙"], "x": [10, 5, 0], "n": [0, 2, 10]}))
    out = tmp_path / "mini.xlsx"
    result.to_excel(out)
    wb = openpyxl.load_workbook(out)
    ws = wb["汇总"]
    rows = _rows(ws)
    assert [r[:3] for r in rows[2:]] == [[1, "城关养护段", 100.0], [2, "乙", 60.0], [3, "丙", 0.0]]
    assert [r[6] for r in rows[2:]] == ["好", "差", "差"]
    lost = _rows(wb["扣分说明"])[1:]
    assert [(r[0], r[2], r[4]) for r in lost] == [("乙", "a", 30.0), ("乙", "b", 10.0), ("丙", "a", 60.0), ("丙", "b", 40.0)]

    header = ws["A2"]
    assert header.font.b and header.fill.fill_type == "solid"
    assert ws.freeze_panes == "C3" and ws.auto_filter.ref == "A2:J5"
    assert ws["C3"].number_format == "0.00" and ws["D4"].number_format == "0.00"
    good, bad = ws["G3"].fill.fgColor.rgb, ws["G4"].fill.fgColor.rgb
    assert good != bad and ws["G5"].fill.fgColor.rgb == bad
    # Column widths count a CJK character as two.
    assert ws.column_dimensions["B"].width >= 2 * len("城关养护段")
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb.properties.title == "小方案考核结果" and "mini" in wb.properties.subject
    assert wb.active.title == "汇总"


def test_writes_atomically(tmp_path: Path, mini: rectify.Scheme, monkeypatch: pytest.MonkeyPatch) -> None:
    result = mini.score(pd.DataFrame({"unit": ["a"], "x": [1], "n": [0]}))
    with pytest.raises(ValueError, match=r"\.xlsx"):
        result.to_excel(tmp_path / "result.xls")
    with pytest.raises(ValueError, match=r"\.xlsx"):
        result.to_excel(tmp_path / "result.csv")
    assert list(tmp_path.iterdir()) == []

    from openpyxl.workbook.workbook import Workbook

    def broken_save(self: Any, f: Any) -> None:
        f.write(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(rectify.DataError) as e:
        result.to_excel(tmp_path / "new.xlsx")
    assert e.value.code == "rectify.io.write" and "No space left" in str(e.value)
    assert list(tmp_path.iterdir()) == []  # neither the workbook nor a temporary file

    monkeypatch.undo()
    old = tmp_path / "old.xlsx"
    result.to_excel(old)
    before = old.read_bytes()
    mode = os.stat(old).st_mode & 0o777
    assert mode & 0o044  # not the temporary file's private 0600
    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(rectify.DataError):
        result.to_excel(old)
    assert old.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["old.xlsx"]


def test_written_summary_reads_back_with_read_units(tmp_path: Path, mini: rectify.Scheme) -> None:
    # The summary's header row (单位) sits under a title, as in the exports read_units takes;
    # its text columns (grades) are not numbers, so it is refused cell by cell.
    result = mini.score(pd.DataFrame({"unit": ["a", "b"], "x": [10, 5], "n": [0, 2]}))
    result.to_excel(tmp_path / "r.xlsx")
    with pytest.raises(rectify.DataError) as e:
        rectify.read_units(tmp_path / "r.xlsx")
    assert {p.path for p in e.value.problems} == {"汇总!G3", "汇总!H3", "汇总!G4", "汇总!H4"}
