"""rectify.compliance: meetings, surveys and risks from DataFrames and CSV paths.

Every expected number is derived by hand from compliance.md §1–3 in the comments next to the
data, not taken from the library's output.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import threading
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pandas as pd
import pytest

import rectify
from rectify import compliance

# ---- meetings ---------------------------------------------------------------------------------
#
# Period 2026-01..2026-03 with the default rules: Q1 is inside it; the year 2026 is cut, so
# 组织生活会 and 民主评议党员 are not assessed (two not_assessed findings, slot "2026").
#
# 一支部 (groups from its records: 第一党小组): slots 党员大会 Q1 (1), 支委会 01–03 (3), 党小组会
# (第一党小组) 01–03 (3), 党课 Q1 (1), 主题党日 01–03 (3) = 11.
#   row 0  党员大会 01-10 20/15: valid (30 > 20), complete
#   row 1  支委会 01-05 5/5: valid, complete
#   row 2  支委会 02-05 5/2: invalid (4 ≤ 5) → 支委会 2026-02 missed
#   row 3  支委会 03-05 5/4, photos 0: valid, incomplete (photos)
#   row 4  党小组会 01-12 8/8: valid, complete
#   row 5  党小组会 02-12 8/7, signed 否: valid, incomplete (signed); 2026-03 missed
#   row 6  党课 03-20 20/18: valid, complete
#   row 7  主题党日 01-15 20/19; row 8 02-15 20/20 minutes empty (incomplete: minutes);
#   row 9  03-15 20/17 (yes/yes); row 10 04-15: outside the period (records_outside = 1)
#   met 9 of 11 → short 2, ratio 9/11; records 10, invalid 1, incomplete 3
#   attendance over valid meetings: (15+5+4+8+7+18+19+20+17) / (20+5+5+8+8+20+20+20+20) = 113/126
# 二支部 (no groups): slots 党员大会 Q1, 支委会 ×3, 党课 Q1, 主题党日 ×3 = 8
#   row 11 general_meeting 03-01 10/5: invalid (10 ≤ 10) → 党员大会 Q1 missed
#   row 12 committee 01-08 3/3: valid, complete
#   met 1 of 8 → short 7, ratio 1/8; records 2, invalid 1, incomplete 0; attendance 3/3
MEETINGS_CSV = """branch,type,date,group,expected,attended,topic,host,recorder,minutes,photos,signed
一支部,党员大会,2026-01-10,,20,15,学习贯彻,张书记,李委员,是,2,是
一支部,支委会,2026-01-05,,5,5,研究工作,张书记,李委员,是,1,是
一支部,支委会,2026-02-05,,5,2,研究工作,张书记,李委员,是,1,是
一支部,支委会,2026-03-05,,5,4,研究工作,张书记,李委员,是,0,是
一支部,党小组会,2026-01-12,第一党小组,8,8,学习,王组长,赵党员,是,1,是
一支部,党小组会,2026-02-12,第一党小组,8,7,学习,王组长,赵党员,是,1,否
一支部,党课,2026-03-20,,20,18,党课,张书记,李委员,是,3,是
一支部,主题党日,2026-01-15,,20,19,志愿服务,张书记,李委员,是,2,是
一支部,主题党日,2026-02-15,,20,20,志愿服务,张书记,李委员,,2,是
一支部,主题党日,2026-03-15,,20,17,志愿服务,张书记,李委员,yes,2,yes
一支部,主题党日,2026-04-15,,20,17,志愿服务,张书记,李委员,是,2,是
二支部,general_meeting,2026-03-01,,10,5,换届,刘书记,陈委员,是,1,是
二支部,committee,2026-01-08,,3,3,研究,刘书记,陈委员,是,1,是
"""
INPUT_COLUMNS = ["meetings_required", "meetings_short", "meetings_met_ratio", "records_incomplete", "attendance_rate"]


def _meetings_frame() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(MEETINGS_CSV))


@pytest.fixture
def meetings_csv(tmp_path: Path) -> Path:
    p = tmp_path / "meetings.csv"
    p.write_text(MEETINGS_CSV, encoding="utf-8")
    return p


def _expected_inputs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "meetings_required": [11.0, 8.0],
            "meetings_short": [2.0, 7.0],
            "meetings_met_ratio": [9 / 11, 1 / 8],
            "records_incomplete": [3.0, 0.0],
            "attendance_rate": [113 / 126, 1.0],
        },
        index=pd.Index(["一支部", "二支部"], name="unit"),
    )


def _assert_inputs(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(actual.columns) == INPUT_COLUMNS
    assert all(actual.dtypes == np.float64)
    pd.testing.assert_frame_equal(actual, expected, check_exact=False, rtol=1e-15, check_index_type=False)


def test_meetings_from_a_frame_hand_derived() -> None:
    m = compliance.meetings(_meetings_frame(), "2026-01", "2026-03")
    assert (m.start, m.end) == ("2026-01", "2026-03")
    assert m.records_outside == 1
    _assert_inputs(m.inputs, _expected_inputs())

    b = m.branches
    assert list(b.index) == ["一支部", "二支部"]
    assert b.loc["一支部", "groups"] == ("第一党小组",)
    assert b.loc["二支部", "groups"] == ()
    assert b["required"].tolist() == [11, 8]
    assert b["met"].tolist() == [9, 1]
    assert b["short"].tolist() == [2, 7]
    assert b["records"].tolist() == [10, 2]
    assert b["invalid"].tolist() == [1, 1]
    assert b["incomplete"].tolist() == [3, 0]
    assert b["attended"].tolist() == [113, 3]
    assert b["expected"].tolist() == [126, 3]

    t = m.by_type
    assert list(t.index.names) == ["branch", "type"]
    assert list(t.loc["一支部"].index) == [
        "general_meeting", "committee", "group", "lecture", "theme_day", "life_meeting", "member_review"
    ]
    committee = t.loc[("一支部", "committee")]
    assert (committee["required"], committee["met"], committee["short"], committee["held"], committee["invalid"]) == (
        3, 2, 1, 3, 1
    )
    assert t.loc[("一支部", "theme_day"), "held"] == 3  # the April record is outside the period
    assert t.loc[("二支部", "group"), "required"] == 0
    assert t.loc[("一支部", "life_meeting"), "required"] == 0  # the year is cut
    short = t["short"].unstack()
    assert short.loc["二支部", "theme_day"] == 3 and short.loc["一支部", "group"] == 1


def test_meetings_findings_in_order() -> None:
    f = compliance.meetings(_meetings_frame(), "2026-01", "2026-03").findings
    assert list(f.columns) == [
        "kind", "branch", "type", "type_zh", "group", "slot", "on", "row", "place", "detail", "missing"
    ]
    got = [(r.kind, r.branch, r.type, r.group, r.slot) for r in f.itertuples()]
    assert got == [
        ("not_assessed", "", "life_meeting", "", "2026"),
        ("not_assessed", "", "member_review", "", "2026"),
        ("missed", "一支部", "committee", "", "2026-02"),
        ("missed", "一支部", "group", "第一党小组", "2026-03"),
        ("invalid", "一支部", "committee", "", "2026-02"),
        ("incomplete", "一支部", "committee", "", "2026-03"),
        ("incomplete", "一支部", "group", "第一党小组", "2026-02"),
        ("incomplete", "一支部", "theme_day", "", "2026-02"),
        ("missed", "二支部", "general_meeting", "", "2026-Q1"),
        ("missed", "二支部", "committee", "", "2026-02"),
        ("missed", "二支部", "committee", "", "2026-03"),
        ("missed", "二支部", "lecture", "", "2026-Q1"),
        ("missed", "二支部", "theme_day", "", "2026-01"),
        ("missed", "二支部", "theme_day", "", "2026-02"),
        ("missed", "二支部", "theme_day", "", "2026-03"),
        ("invalid", "二支部", "general_meeting", "", "2026-Q1"),
    ]
    assert f["type_zh"].tolist()[:4] == ["组织生活会", "民主评议党员", "支委会", "党小组会"]
    records = f[f["kind"].isin(["invalid", "incomplete"])]
    assert records["row"].tolist() == [2, 3, 5, 8, 11]
    assert records["place"].tolist() == ["DataFrame:row 2", "DataFrame:row 3", "DataFrame:row 5", "DataFrame:row 8",
                                         "DataFrame:row 11"]
    assert records["on"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-02-05", "2026-03-05", "2026-02-12", "2026-02-15", "2026-03-01"
    ]
    incomplete = f[f["kind"] == "incomplete"]
    assert incomplete["detail"].tolist() == ["photos", "signed", "minutes"]
    assert incomplete["missing"].tolist() == [("photos",), ("signed",), ("minutes",)]
    slots = f[f["kind"] == "missed"]
    assert slots["row"].isna().all() and slots["on"].isna().all() and slots["place"].isna().all()
    assert "5" in f.loc[4, "detail"] and "2" in f.loc[4, "detail"]  # attended 2 of 5
    na = compliance.meetings(_meetings_frame(), "2026-01", "2026-03").not_assessed
    assert na["type"].tolist() == ["life_meeting", "member_review"] and na["slot"].tolist() == ["2026", "2026"]
    assert list(na.columns) == ["type", "type_zh", "slot", "detail"]


def test_meetings_from_a_path_names_lines(meetings_csv: Path) -> None:
    m = compliance.meetings(meetings_csv, "2026-01", "2026-03")
    _assert_inputs(m.inputs, _expected_inputs())
    m2 = compliance.meetings(str(meetings_csv), "2026-01", "2026-03")
    pd.testing.assert_frame_equal(m.findings.drop(columns="place"), m2.findings.drop(columns="place"))
    f = m.findings
    places = f.loc[f["kind"] == "invalid", "place"].tolist()
    # Rows 2 and 11 are on lines 4 and 13 (the header is line 1).
    assert places == [f"{meetings_csv}:4", f"{meetings_csv}:13"]


def test_meetings_frame_and_path_agree_in_every_column_but_place(meetings_csv: Path) -> None:
    a = compliance.meetings(_meetings_frame(), "2026-01", "2026-03")
    b = compliance.meetings(meetings_csv, "2026-01", "2026-03")
    pd.testing.assert_frame_equal(a.findings.drop(columns="place"), b.findings.drop(columns="place"))
    pd.testing.assert_frame_equal(a.branches, b.branches)
    pd.testing.assert_frame_equal(a.by_type, b.by_type)


def test_meetings_input_forms_of_cells() -> None:
    """Typed columns read as the CSV text they stand for: Timestamps as days, bools as
    true/false, whole floats (pandas' int column with a gap) as 12.0, None as empty; a named
    index is a column."""
    df = _meetings_frame()
    typed = df.copy()
    typed["date"] = pd.to_datetime(typed["date"])
    typed["expected"] = typed["expected"].astype(np.float64)
    typed["photos"] = typed["photos"].astype("Int64")
    typed["signed"] = typed["signed"].map({"是": True, "否": False, "yes": True}).astype(bool)
    typed["minutes"] = typed["minutes"].map({"是": True, "yes": True}).astype(object)  # NaN stays missing
    typed["minutes"] = typed["minutes"].where(typed["minutes"].notna(), None)
    typed["topic"] = typed["topic"].astype("string")
    typed["branch"] = typed["branch"].astype("category")
    typed = typed.set_index("branch")
    m = compliance.meetings(typed, "2026-01", "2026-03")
    _assert_inputs(m.inputs, _expected_inputs())
    base = compliance.meetings(df, "2026-01", "2026-03")
    pd.testing.assert_frame_equal(m.findings, base.findings)

    objects = df.astype(object)
    objects.loc[0, "date"] = dt.date(2026, 1, 10)
    objects.loc[1, "date"] = pd.Timestamp("2026-01-05 14:30")
    objects.loc[2, "expected"] = 5.0
    objects.loc[3, "photos"] = np.int64(0)
    objects.loc[4, "minutes"] = True
    objects.loc[8, "minutes"] = pd.NA
    pd.testing.assert_frame_equal(compliance.meetings(objects, "2026-01", "2026-03").findings, base.findings)


@pytest.mark.parametrize(
    "start,end",
    [
        ("2026-01", "2026-03"),
        ("2026-1", "2026-3"),
        (pd.Period("2026-01", "M"), pd.Period("2026-03", "M")),
        (pd.Timestamp("2026-01-15"), pd.Timestamp("2026-03-31 23:59")),
        (dt.date(2026, 1, 1), dt.date(2026, 3, 1)),
        (np.datetime64("2026-01-20"), dt.datetime(2026, 3, 2, 8, 0)),
        (pd.Period("2026-01-07", "D"), pd.Period("2026-03", "M")),
    ],
)
def test_meetings_month_forms(start: Any, end: Any) -> None:
    m = compliance.meetings(_meetings_frame(), start, end)
    assert (m.start, m.end) == ("2026-01", "2026-03")
    _assert_inputs(m.inputs, _expected_inputs())


@pytest.mark.parametrize("bad", ["2026-Q1", "2026", "2026-01-15", "2026-13", "", pd.Period("2026Q1", "Q"),
                                 pd.Period("2026", "Y"), pd.NaT])
def test_meetings_refuse_what_is_not_a_month(bad: Any) -> None:
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.meetings(_meetings_frame(), bad, "2026-03")
    assert e.value.code == "rectify.compliance.bad_period"
    assert "start" in str(e.value)


def test_meetings_month_type_errors() -> None:
    with pytest.raises(TypeError):
        compliance.meetings(_meetings_frame(), 202601, "2026-03")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        compliance.meetings([1, 2], "2026-01", "2026-03")  # type: ignore[arg-type]


def test_meetings_end_before_start() -> None:
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.meetings(_meetings_frame(), "2026-03", "2026-01")
    assert e.value.code == "rectify.compliance.bad_period"


def test_meetings_period_cutting_a_quarter_is_stated() -> None:
    # 2026-02..2026-03 cuts Q1: 党员大会 and 党课 are not assessed; monthly types still are.
    m = compliance.meetings(_meetings_frame(), "2026-02", "2026-03")
    na = m.not_assessed
    assert na["type"].tolist() == ["general_meeting", "lecture", "life_meeting", "member_review"]
    assert na["slot"].tolist() == ["2026-Q1", "2026-Q1", "2026", "2026"]
    # 一支部: 支委会 02, 03 (02 missed), 党小组会 02, 03 (03 missed), 主题党日 02, 03 = 6 slots, 4 met.
    assert m.branches.loc["一支部", "required"] == 6 and m.branches.loc["一支部", "met"] == 4
    # Records of January are now outside: rows 0, 1, 4, 7 and April's row 10; 二支部's row 12.
    assert m.records_outside == 6


# ---- rules and branch lists -------------------------------------------------------------------

TWO_LECTURES = {"format": "rectify.meeting-rules/1", "types": [{"id": "lecture", "at_least": 2}]}


def test_meetings_rules_dict_and_path(tmp_path: Path) -> None:
    # Two 党课 per quarter: 一支部 held one, so its lecture slot is now missed: met 8 of 11.
    m = compliance.meetings(_meetings_frame(), "2026-01", "2026-03", rules=TWO_LECTURES)
    assert m.branches["met"].tolist() == [8, 1]
    assert m.inputs.loc["一支部", "meetings_short"] == 3.0
    lecture = [r for r in m.rules["types"] if r["id"] == "lecture"]
    assert lecture[0]["at_least"] == 2
    p = tmp_path / "rules.json"
    p.write_text(json.dumps(TWO_LECTURES, ensure_ascii=False), encoding="utf-8")
    m2 = compliance.meetings(_meetings_frame(), "2026-01", "2026-03", rules=p)
    pd.testing.assert_frame_equal(m.inputs, m2.inputs)
    assert m2.rules == m.rules


def test_default_rules_round_trip() -> None:
    rules = compliance.default_rules()
    assert rules["format"] == "rectify.meeting-rules/1"
    ids = [t["id"] for t in rules["types"]]
    assert ids == ["general_meeting", "committee", "group", "lecture", "theme_day", "life_meeting", "member_review"]
    # The dumped default table, given back as rules, checks exactly as the default does.
    a = compliance.meetings(_meetings_frame(), "2026-01", "2026-03", rules=rules)
    b = compliance.meetings(_meetings_frame(), "2026-01", "2026-03")
    pd.testing.assert_frame_equal(a.findings, b.findings)
    assert compliance.check_rules(rules) == rules
    assert compliance.check_rules(None) == rules


def test_bad_rules_name_the_pointer() -> None:
    bad = {"format": "rectify.meeting-rules/1", "types": [{"id": "lecture", "per": "fortnight"}]}
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.meetings(_meetings_frame(), "2026-01", "2026-03", rules=bad)
    assert e.value.code.startswith("rectify.compliance.rules.")
    assert e.value.problems[0].path == "/types/0/per"
    with pytest.raises(rectify.ComplianceError):
        compliance.check_rules(bad)
    with pytest.raises(TypeError):
        compliance.meetings(_meetings_frame(), "2026-01", "2026-03", rules=42)


BRANCHES_CSV = """branch,group
一支部,第一党小组
一支部,第二党小组
二支部,
三支部,
"""


@pytest.mark.parametrize(
    "form",
    ["frame", "indexed_frame", "dict", "path"],
)
def test_meetings_branch_list_forms(form: str, tmp_path: Path) -> None:
    if form == "frame":
        branches: Any = pd.read_csv(io.StringIO(BRANCHES_CSV))
    elif form == "indexed_frame":
        branches = pd.read_csv(io.StringIO(BRANCHES_CSV)).set_index("branch")
    elif form == "dict":
        branches = {"一支部": ["第一党小组", "第二党小组"], "二支部": [], "三支部": None}
    else:
        branches = tmp_path / "branches.csv"
        branches.write_text(BRANCHES_CSV, encoding="utf-8")
    m = compliance.meetings(_meetings_frame(), "2026-01", "2026-03", branches=branches)
    # Branch-list order; 一支部 gains 3 slots for 第二党小组, all missed: 9 of 14.
    # 三支部 has no records: its 8 slots are all missed, and no attendance.
    assert list(m.inputs.index) == ["一支部", "二支部", "三支部"]
    assert m.branches["required"].tolist() == [14, 8, 8]
    assert m.branches["met"].tolist() == [9, 1, 0]
    assert m.branches.loc["一支部", "groups"] == ("第一党小组", "第二党小组")
    assert m.inputs.loc["三支部", "meetings_met_ratio"] == 0.0
    assert math.isnan(m.inputs.loc["三支部", "attendance_rate"])
    assert m.inputs.loc["一支部", "meetings_short"] == 5.0


def test_meetings_branch_names_list() -> None:
    # Without the 党小组会 records: 一支部 has no groups, so 8 slots of which 7 are met (党员大会,
    # 支委会 01 and 03, 党课, 主题党日 ×3); the list's order is the report's.
    df = _meetings_frame()
    df = df[df["type"] != "党小组会"]
    m = compliance.meetings(df, "2026-01", "2026-03", branches=["二支部", "一支部"])
    assert list(m.inputs.index) == ["二支部", "一支部"]
    assert m.branches["required"].tolist() == [8, 8]
    assert m.branches["met"].tolist() == [1, 7]
    assert m.branches.loc["一支部", "groups"] == ()
    # `row` is the position in the frame given (df.iloc), not its index label: with rows 4 and 5
    # dropped, 二支部's invalid 党员大会 (label 11) is at position 9; the invalid 支委会 stays at 2.
    invalid = m.findings[m.findings["kind"] == "invalid"]
    assert invalid["row"].tolist() == [9, 2]
    assert df.iloc[9]["type"] == "general_meeting" and df.iloc[2]["date"] == "2026-02-05"
    assert invalid["place"].tolist() == ["DataFrame:row 9", "DataFrame:row 2"]


def test_all_empty_column_read_as_float_is_empty() -> None:
    # pandas reads a column with no values as float64 NaN: every cell is empty, as in the file.
    df = _meetings_frame()
    df = df[df["type"] != "党小组会"].reset_index(drop=True)
    df["group"] = np.nan
    df["topic"] = np.nan  # every record now lacks its topic
    m = compliance.meetings(df, "2026-01", "2026-03")
    assert m.branches["groups"].tolist() == [(), ()]
    # 一支部: 8 records in the period, all incomplete; 二支部: 2.
    assert m.branches["incomplete"].tolist() == [8, 2]
    assert m.findings.loc[m.findings["kind"] == "incomplete", "detail"].iloc[0] == "topic"


def test_empty_frames() -> None:
    cols = "branch,type,date,group,expected,attended,topic,host,recorder,minutes,photos,signed".split(",")
    m = compliance.meetings(pd.DataFrame(columns=cols), "2026-01", "2026-12")
    # A whole year cuts nothing: no findings at all.
    assert len(m.inputs) == 0 and list(m.inputs.columns) == INPUT_COLUMNS and len(m.findings) == 0
    # A listed branch without records misses every slot: 12 支委会 + 12 主题党日 + 4 党员大会 + 4 党课
    # + 1 组织生活会 + 1 民主评议党员 = 34.
    m = compliance.meetings(pd.DataFrame(columns=cols), "2026-01", "2026-12", branches=["甲"])
    assert m.inputs.loc["甲"].tolist()[:3] == [34.0, 34.0, 0.0]
    assert "slots met 0 of 34" in repr(m)
    s = compliance.surveys(pd.DataFrame(columns=["unit", "respondent", "q1"]))
    assert len(s.units) == 0 and list(s.units.columns)[-1] == "mean_q1"
    r = compliance.risks(pd.DataFrame(columns="unit,post,risk,level,control,owner,reviewed".split(",")), "2026-01-01")
    assert len(r.points) == 0 and len(r.findings) == 0 and len(r.inputs) == 0


def test_group_not_in_the_branch_list_is_an_error() -> None:
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.meetings(_meetings_frame(), "2026-01", "2026-03", branches=["一支部", "二支部"])
    assert e.value.code == "rectify.compliance.unknown_group"
    sources = [p.source for p in e.value.problems]
    assert any(s.startswith("DataFrame:row 4") for s in sources)


def test_unknown_branch_is_an_error_naming_the_row() -> None:
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.meetings(_meetings_frame(), "2026-01", "2026-03", branches={"一支部": ["第一党小组"]})
    assert e.value.code == "rectify.compliance.unknown_branch"
    # 二支部's records are rows 12 and 13 (1-based) of the frame.
    sources = [p.source for p in e.value.problems]
    assert any(s.startswith("DataFrame:row 11") for s in sources)
    assert any(s.startswith("DataFrame:row 12") for s in sources)


def test_bad_branch_list_names_the_list() -> None:
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.meetings(_meetings_frame(), "2026-01", "2026-03", branches={"一支部": ["甲组", "甲组"]})
    assert e.value.code == "rectify.compliance.duplicate_group"
    assert e.value.problems[0].source.startswith("branches:row 1")


# ---- errors with line and column --------------------------------------------------------------

BAD_MEETINGS_CSV = """branch,type,date,group,expected,attended,topic,host,recorder,minutes,photos,signed
一支部,党员大会,2026-13-01,,20,15,学习,张书记,李委员,是,2,是
一支部,支委会,2026-01-05,,5,6,研究,张书记,李委员,是,1,是
一支部,茶话会,2026-01-06,,5,5,研究,张书记,李委员,是,1,是
一支部,支委会,2026-01-07,,十,5,研究,张书记,李委员,也许,1,是
"""


def _codes(e: rectify.Error) -> List[str]:
    return [p.code for p in e.problems]


def test_bad_records_from_a_path_name_line_and_column(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(BAD_MEETINGS_CSV, encoding="utf-8")
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.meetings(p, "2026-01", "2026-12")
    where = {(pr.code, pr.source) for pr in e.value.problems}
    assert ("rectify.compliance.bad_date", f"{p}:2:3") in where
    assert ("rectify.compliance.attended_above_expected", f"{p}:3:6") in where
    assert ("rectify.compliance.unknown_type", f"{p}:4:2") in where
    assert ("rectify.compliance.bad_count", f"{p}:5:5") in where
    assert ("rectify.compliance.bad_flag", f"{p}:5:10") in where
    assert isinstance(e.value, rectify.Error) and isinstance(e.value, ValueError)
    assert f"{p}:2:3" in str(e.value)


def test_bad_records_from_a_frame_name_row_and_column() -> None:
    df = pd.read_csv(io.StringIO(BAD_MEETINGS_CSV))
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.meetings(df, "2026-01", "2026-12")
    where = {(pr.code, pr.source) for pr in e.value.problems}
    assert ("rectify.compliance.bad_date", "DataFrame:row 0:date") in where
    assert ("rectify.compliance.attended_above_expected", "DataFrame:row 1:attended") in where
    assert ("rectify.compliance.unknown_type", "DataFrame:row 2:type") in where
    assert ("rectify.compliance.bad_count", "DataFrame:row 3:expected") in where


def test_non_whole_float_count_is_refused() -> None:
    df = _meetings_frame()
    df["expected"] = df["expected"].astype(np.float64)
    df.loc[1, "expected"] = 5.5
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.meetings(df, "2026-01", "2026-03")
    assert e.value.problems[0].code == "rectify.compliance.bad_count"
    assert e.value.problems[0].source == "DataFrame:row 1:expected"
    assert "5.5" in e.value.problems[0].message


def test_missing_column_and_csv_errors(tmp_path: Path) -> None:
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.meetings(_meetings_frame().drop(columns=["date"]), "2026-01", "2026-03")
    assert e.value.code == "rectify.compliance.missing_column"
    p = tmp_path / "ragged.csv"
    p.write_text("branch,type,date\n一支部,支委会\n", encoding="utf-8")
    with pytest.raises(rectify.DataError) as d:
        compliance.meetings(p, "2026-01", "2026-03")
    assert d.value.code == "rectify.data.ragged" and f"{p}:2" in str(d.value)
    with pytest.raises(rectify.DataError) as d:
        compliance.meetings(tmp_path / "absent.csv", "2026-01", "2026-03")
    assert d.value.code == "rectify.io.open"
    df = _meetings_frame()
    df.columns = ["branch", "type", "date", "group", "expected", "expected", "topic", "host", "recorder",
                  "minutes", "photos", "signed"]
    with pytest.raises(rectify.DataError) as d:
        compliance.meetings(df, "2026-01", "2026-03")
    assert d.value.code == "rectify.data.duplicate_column"


def test_gbk_records(tmp_path: Path) -> None:
    p = tmp_path / "gbk.csv"
    p.write_bytes(MEETINGS_CSV.encode("gbk"))
    m = compliance.meetings(p, "2026-01", "2026-03", encoding="gbk")
    _assert_inputs(m.inputs, _expected_inputs())


def test_public_names() -> None:
    assert issubclass(rectify.ComplianceError, rectify.Error)
    assert rectify.compliance is compliance
    assert {"meetings", "surveys", "risks", "default_rules", "check_rules"} <= set(compliance.__all__)
    assert "ComplianceError" in rectify.__all__ and "compliance" in rectify.__all__


def test_meetings_repr() -> None:
    m = compliance.meetings(_meetings_frame(), "2026-01", "2026-03")
    r = repr(m)
    assert r.startswith("<rectify.compliance.MeetingsResult 2026-01..2026-03: 2 branches;")
    assert "slots met 10 of 19" in r and "2 invalid" in r and "3 incomplete" in r and "1 records outside" in r
    assert "<table" in m._repr_html_()


# ---- surveys ----------------------------------------------------------------------------------
#
# A: r1 answers 5,4 (score 4.5), r2 3,3,3 (3), r3 4,_,5 (4.5), r4 nothing (blank).
#    respondents 3, blank 1, answers 7; mean score 4 → index (4−1)/4·100 = 75.
#    s = √(((.5)² + 1² + (.5)²)/2) = √.75, s/√3 = .5, t(.975, 2) = 4.302652729911275:
#    low = (4 − 2.1513263649556375 − 1)/4·100, high = 128.8… clipped to 100.
#    satisfied: 5,4,4,5 → 4 of 7. Question means q1 (5+3+4)/3 = 4, q2 (4+3)/2 = 3.5, q3 (3+5)/2 = 4.
# B: scores 2, 3, 3, 4 (every question the same) → mean 3, index 50; s = √(2/3), s/√4 = √(1/6),
#    t(.975, 3) = 3.182446305284263 → half 1.2992…; interval (3 ∓ half − 1)/4·100.
#    satisfied 3 of 12.
# C: one respondent, all 5 → index 100, no interval, satisfied 1.
# D: one blank row → no respondents: index NaN, n 0.
SURVEY_CSV = """unit,respondent,q1,q2,q3
A,r1,5,4,
A,r2,3,3,3
A,r3,4,,5
A,r4,,,
B,s1,2,2,2
B,s2,3,3,3
B,s3,3,3,3
B,s4,4,4,4
C,t1,5,5,5
D,u1,,,
"""
T_975_2 = 4.302652729911275
T_975_3 = 3.182446305284263


def test_surveys_hand_derived(tmp_path: Path) -> None:
    p = tmp_path / "survey.csv"
    p.write_text(SURVEY_CSV, encoding="utf-8")
    for source in (p, pd.read_csv(io.StringIO(SURVEY_CSV))):
        s = compliance.surveys(source)
        assert s.questions == ["q1", "q2", "q3"]
        u = s.units
        assert list(u.index) == ["A", "B", "C", "D"]
        assert u["respondents"].tolist() == [3, 4, 1, 0]
        assert u["blank"].tolist() == [1, 0, 0, 1]
        assert u["answers"].tolist() == [7, 12, 3, 0]
        assert u.loc["A", "index"] == pytest.approx(75.0, abs=1e-12)
        assert u.loc["A", "ci_low"] == pytest.approx((4 - T_975_2 * 0.5 - 1) / 4 * 100, rel=1e-9)
        assert u.loc["A", "ci_high"] == 100.0
        half = T_975_3 * math.sqrt(1 / 6)
        assert u.loc["B", "index"] == pytest.approx(50.0, abs=1e-12)
        assert u.loc["B", "ci_low"] == pytest.approx((3 - half - 1) / 4 * 100, rel=1e-9)
        assert u.loc["B", "ci_high"] == pytest.approx((3 + half - 1) / 4 * 100, rel=1e-9)
        assert u.loc["C", "index"] == 100.0
        assert math.isnan(u.loc["C", "ci_low"]) and math.isnan(u.loc["C", "ci_high"])
        assert math.isnan(u.loc["D", "index"])
        assert u.loc["A", "share_satisfied"] == pytest.approx(4 / 7)
        assert u.loc["B", "share_satisfied"] == pytest.approx(0.25)
        assert u.loc["C", "share_satisfied"] == 1.0
        assert [u.loc["A", f"mean_{q}"] for q in ("q1", "q2", "q3")] == pytest.approx([4.0, 3.5, 4.0])
        assert s.question_means.loc["B"].tolist() == pytest.approx([3.0, 3.0, 3.0])
        assert s.question_answers.loc["A"].tolist() == [3, 2, 2]
        assert s.question_means.loc["D"].isna().all()
        assert list(s.findings.columns) == [
            "unit", "respondents", "blank", "answers", "index", "ci_low", "ci_high", "share_satisfied"
        ]
        assert s.findings["unit"].tolist() == ["A", "B", "C", "D"]
        inputs = s.inputs
        assert list(inputs.columns) == ["satisfaction_index", "satisfaction_n"]
        assert inputs.index.name == "unit" and all(inputs.dtypes == np.float64)
        assert inputs["satisfaction_n"].tolist() == [3.0, 4.0, 1.0, 0.0]
        assert inputs.loc["B", "satisfaction_index"] == pytest.approx(50.0)
        assert math.isnan(inputs.loc["D", "satisfaction_index"])
        assert repr(s).startswith("<rectify.compliance.SurveysResult 4 units; 8 respondents; 3 questions;")


def test_surveys_options() -> None:
    # On a 1–5 scale read as 0–4 would refuse the 5s; a 1–10 scale: A's mean 4 → (4−1)/9·100.
    s = compliance.surveys(pd.read_csv(io.StringIO(SURVEY_CSV)), scale=(1, 10), satisfied_at=5, confidence=0.9)
    assert s.scale == (1, 10) and s.satisfied_at == 5 and s.confidence == 0.9
    assert s.units.loc["A", "index"] == pytest.approx(300 / 9)
    assert s.units.loc["A", "share_satisfied"] == pytest.approx(2 / 7)
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.surveys(pd.read_csv(io.StringIO(SURVEY_CSV)), scale=(5, 1))
    assert e.value.code == "rectify.compliance.bad_options"


def test_survey_errors_name_line_and_column(tmp_path: Path) -> None:
    text = "unit,respondent,q1,q2\nA,r1,6,4\nA,r2,4.5,3\nA,r1,3,3\n,r9,3,3\n"
    p = tmp_path / "s.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.surveys(p)
    where = {(pr.code, pr.source) for pr in e.value.problems}
    assert ("rectify.compliance.bad_answer", f"{p}:2:3") in where
    assert ("rectify.compliance.bad_answer", f"{p}:3:3") in where
    assert any(c == "rectify.compliance.duplicate_respondent" and s.startswith(f"{p}:4") for c, s in where)
    assert any(c == "rectify.compliance.missing_value" and s.startswith(f"{p}:5") for c, s in where)
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.surveys(pd.read_csv(io.StringIO(text)))
    assert ("rectify.compliance.bad_answer", "DataFrame:row 0:q1") in {(x.code, x.source) for x in e.value.problems}


def test_survey_whole_float_answers_are_answers() -> None:
    df = pd.read_csv(io.StringIO(SURVEY_CSV))
    assert df["q3"].dtype == np.float64  # pandas reads the gaps as NaN: 3.0, 5.0, …
    s = compliance.surveys(df)
    assert s.units.loc["A", "answers"] == 7


# ---- risks ------------------------------------------------------------------------------------
#
# As of 2026-05-31 the window is 2025-05-31..2026-05-31.
# point 0 U1 财务/虚报冒领 high, rows 0–1: 2 controls, latest review 2026-03-01 → in window
# point 1 U1 采购/围标串标 high, row 2: no control (uncontrolled), reviewed 2025-05-31 → in window
# point 2 U1 人事/违规招录 medium, row 3: 1 control, never reviewed
# point 3 U2 审批/吃拿卡要 high, row 4: 1 control, reviewed 2025-05-30 → outside (not_reviewed)
# point 4 U2 审批/超时办理 low, row 5: no control (uncontrolled); its 2026-07-01 is after as_of
# point 5 U2 后勤/公车私用 high, row 6: 1 control, reviewed only after as_of → never (not_reviewed)
# point 6 U3 窗口/态度生硬 low, row 7: 1 control
# U1: 3 points (2 high, 1 medium), controlled 2 → 2/3, high reviewed 2 of 2 → 1
# U2: 3 points (2 high, 1 low), controlled 2 → 2/3, high reviewed 0 of 2 → 0
# U3: 1 point (low), controlled 1 → 1, no high point → NaN
RISKS_CSV = """unit,post,risk,level,control,owner,reviewed
U1,财务,虚报冒领,高,双人复核,张三,2026-03-01
U1,财务,虚报冒领,高,月度对账,张三,2025-10-01
U1,采购,围标串标,high,,李四,2025-05-31
U1,人事,违规招录,中,公开招考,王五,
U2,审批,吃拿卡要,高风险,限时办结,赵六,2025-05-30
U2,审批,超时办理,低,,赵六,2026-07-01
U2,后勤,公车私用,HIGH,出车登记,钱七,2026-08-01
U3,窗口,态度生硬,low,培训,孙八,
"""


@pytest.mark.parametrize("as_of", ["2026-05-31", dt.date(2026, 5, 31), pd.Timestamp("2026-05-31 18:00"),
                                   np.datetime64("2026-05-31"), dt.datetime(2026, 5, 31, 9)])
def test_risks_hand_derived(as_of: Any, tmp_path: Path) -> None:
    p = tmp_path / "risks.csv"
    p.write_text(RISKS_CSV, encoding="utf-8")
    for source in (p, pd.read_csv(io.StringIO(RISKS_CSV))):
        r = compliance.risks(source, as_of)
        assert r.as_of == dt.date(2026, 5, 31) and r.window_start == dt.date(2025, 5, 31)
        pts = r.points
        assert pts["risk"].tolist() == [
            "虚报冒领", "围标串标", "违规招录", "吃拿卡要", "超时办理", "公车私用", "态度生硬"
        ]
        assert pts["level"].tolist() == ["high", "high", "medium", "high", "low", "high", "low"]
        assert pts["level"].cat.ordered and (pts["level"] > "medium").tolist() == [
            True, True, False, True, False, True, False
        ]
        assert pts["controls"].tolist() == [2, 0, 1, 1, 0, 1, 1]
        assert pts["reviewed_in_window"].tolist() == [True, True, False, False, False, False, False]
        assert pts["reviewed"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2026-03-01", "2025-05-31"]
        assert pts["reviewed"].isna().tolist() == [False, False, True, False, True, True, True]
        assert pts["row"].tolist() == [0, 2, 3, 4, 5, 6, 7]
        u = r.units
        assert list(u.index) == ["U1", "U2", "U3"]
        assert u["points"].tolist() == [3, 3, 1]
        assert u["high"].tolist() == [2, 2, 0] and u["medium"].tolist() == [1, 0, 0] and u["low"].tolist() == [0, 1, 1]
        assert u["controlled"].tolist() == [2, 2, 1]
        assert u["high_reviewed"].tolist() == [2, 0, 0]
        expected = pd.DataFrame(
            {
                "risk_points": [3.0, 3.0, 1.0],
                "risk_controlled_ratio": [2 / 3, 2 / 3, 1.0],
                "risk_high_reviewed_ratio": [1.0, 0.0, math.nan],
            },
            index=pd.Index(["U1", "U2", "U3"], name="unit"),
        )
        pd.testing.assert_frame_equal(r.inputs, expected, check_index_type=False)
        f = r.findings
        assert [(k, risk) for k, risk in zip(f["kind"], f["risk"])] == [
            ("uncontrolled", "围标串标"),
            ("not_reviewed", "吃拿卡要"),
            ("uncontrolled", "超时办理"),
            ("not_reviewed", "公车私用"),
        ]
        assert "2025-05-30" in f.loc[1, "detail"] and "never" in f.loc[3, "detail"]
        assert repr(r).startswith("<rectify.compliance.RisksResult as of 2026-05-31: 3 units; 7 risk points (4 high)")


def test_risk_errors_name_line_and_column(tmp_path: Path) -> None:
    text = (
        "unit,post,risk,level,control,owner,reviewed\n"
        "U1,财务,虚报,极高,复核,张三,2026-01-01\n"
        "U1,采购,围标,高,,李四,2026-02-30\n"
        "U1,财务,虚报,低,对账,张三,\n"
    )
    p = tmp_path / "r.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.risks(p, "2026-05-31")
    where = {(pr.code, pr.source) for pr in e.value.problems}
    assert ("rectify.compliance.bad_level", f"{p}:2:4") in where
    assert ("rectify.compliance.bad_date", f"{p}:3:7") in where
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.risks(pd.read_csv(io.StringIO(text)), "2026-05-31")
    assert ("rectify.compliance.bad_level", "DataFrame:row 0:level") in {(x.code, x.source) for x in e.value.problems}


def test_risk_as_of_errors() -> None:
    df = pd.read_csv(io.StringIO(RISKS_CSV))
    with pytest.raises(rectify.ComplianceError) as e:
        compliance.risks(df, "2026-02-30")
    assert e.value.code == "rectify.compliance.bad_date" and "as_of" in str(e.value)
    with pytest.raises(rectify.ComplianceError):
        compliance.risks(df, pd.NaT)
    with pytest.raises(TypeError):
        compliance.risks(df, 20260531)  # type: ignore[arg-type]


# ---- into the scorer --------------------------------------------------------------------------

TINY_SCHEME: Dict[str, Any] = {
    "format": "rectify.scheme/1",
    "id": "tiny",
    "name": "组织生活",
    "missing": "error",
    "indicators": [
        {"id": "met", "name": "三会一课", "points": 40, "input": "meetings_met_ratio",
         "rule": {"type": "linear", "worst": 0, "best": 1}},
        {"id": "rec", "name": "记录", "points": 20,
         "deductions": [{"input": "records_incomplete", "per": 5, "cap": 20, "name": "记录不全"}]},
        {"id": "sat", "name": "满意度", "points": 40, "input": "satisfaction_index",
         "rule": {"type": "linear", "worst": 0, "best": 100}},
    ],
    "grades": [{"name": "好", "min": 60}, {"name": "差"}],
}


def test_inputs_join_units_and_score(tmp_path: Path) -> None:
    units_csv = tmp_path / "units.csv"
    units_csv.write_text("unit,staff\n一支部,30\n二支部,12\n三支部,8\n", encoding="utf-8")
    units = rectify.read_units_csv(units_csv)
    m = compliance.meetings(
        _meetings_frame(), "2026-01", "2026-03", branches={"一支部": ["第一党小组"], "二支部": [], "三支部": []}
    )
    survey = pd.DataFrame(
        {"unit": ["一支部", "一支部", "二支部", "三支部"], "respondent": ["a", "b", "c", "d"], "q1": [5, 3, 2, 1]}
    )
    s = compliance.surveys(survey)
    data = units.join([m.inputs, s.inputs])
    assert list(data.index) == ["一支部", "二支部", "三支部"]
    result = rectify.Scheme.from_json(TINY_SCHEME).score(data)
    scores = result.to_frame()["score"]
    # 一支部: 40·9/11 + (20 − 3·5) + 40·(4 − 1)/4 = 32.7272… + 5 + 30
    # 二支部: 40·1/8 + 20 + 40·(2 − 1)/4;  三支部: 0 + 20 + 0 (8 slots, all missed; every answer 1)
    assert scores["一支部"] == pytest.approx(40 * 9 / 11 + 5 + 30)
    assert scores["二支部"] == pytest.approx(5 + 20 + 10)
    assert scores["三支部"] == pytest.approx(20.0)
    assert result.to_frame()["grade"].tolist() == ["好", "差", "差"]


# ---- threads ----------------------------------------------------------------------------------


def _big_meetings(branches: int) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows: List[Dict[str, Any]] = []
    for b in range(branches):
        for month in range(1, 13):
            for kind in ("支委会", "主题党日", "党小组会"):
                if rng.random() < 0.1:
                    continue
                expected = int(rng.integers(3, 30))
                rows.append(
                    {
                        "branch": f"B{b:04d}", "type": kind, "date": f"2026-{month:02d}-{int(rng.integers(1, 28)):02d}",
                        "group": "一组" if kind == "党小组会" else "", "expected": expected,
                        "attended": int(rng.integers(0, expected + 1)), "topic": "学习", "host": "甲",
                        "recorder": "乙", "minutes": "是" if rng.random() < 0.9 else "否",
                        "photos": int(rng.integers(0, 3)), "signed": "是",
                    }
                )
    return pd.DataFrame(rows)


def test_threads_give_identical_results() -> None:
    df = _big_meetings(300)
    reference = compliance.meetings(df, "2026-01", "2026-12")
    results: List[Any] = [None] * 4
    errors: List[BaseException] = []

    def work(k: int) -> None:
        try:
            results[k] = compliance.meetings(df, "2026-01", "2026-12")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors and all(not t.is_alive() for t in threads)
    for r in results:
        pd.testing.assert_frame_equal(r.findings, reference.findings)
        pd.testing.assert_frame_equal(r.inputs, reference.inputs)
        pd.testing.assert_frame_equal(r.by_type, reference.by_type)
    # 300 branches each required 12 committee + 12 theme + 12 group (+ 4 quarterly ×2 + 2 yearly).
    assert len(reference.inputs) == 300
    assert (reference.branches["required"] == 12 * 3 + 4 * 2 + 2).all()


def test_threads_mixed_checks() -> None:
    risks_df = pd.read_csv(io.StringIO(RISKS_CSV))
    survey_df = pd.read_csv(io.StringIO(SURVEY_CSV))
    out: Dict[str, List[pd.DataFrame]] = {"r": [], "s": []}
    lock = threading.Lock()

    def work() -> None:
        for _ in range(20):
            r = compliance.risks(risks_df, "2026-05-31").inputs
            s = compliance.surveys(survey_df).inputs
            with lock:
                out["r"].append(r)
                out["s"].append(s)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(out["r"]) == 80
    for r in out["r"][1:]:
        pd.testing.assert_frame_equal(r, out["r"][0])
    for s in out["s"][1:]:
        pd.testing.assert_frame_equal(s, out["s"][0])
