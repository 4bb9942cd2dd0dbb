"""Compliance checks (docs/compliance.md): 三会一课 meetings, service-satisfaction surveys and the
clean-governance risk register, each turned into checked findings and into the scorer's unit ×
input table.

>>> from rectify import compliance
>>> m = compliance.meetings("examples/data/meetings.csv", "2026-01", "2026-12",
...                         branches="examples/data/branches.csv")
>>> m.findings                  # missed slots, invalid meetings, incomplete records
>>> m.branches; m.by_type["short"].unstack()   # per branch; branch × type shortfall
>>> s = compliance.surveys("examples/data/survey.csv")
>>> r = compliance.risks("examples/data/risks.csv", as_of="2026-11-30")
>>> units = rectify.read_units_csv("examples/data/units.csv")
>>> data = units.join([m.inputs, s.inputs, r.inputs])        # then Scheme.score(data)

Records are a DataFrame (every cell is read as the CSV text it stands for) or the path of a CSV
file (read by the C++ reader). Bad records raise :class:`~rectify.ComplianceError` listing every
bad cell (up to 100) with ``file:line:column``, or ``DataFrame:row N:column`` for a frame; a
file that is not valid CSV raises :class:`~rectify.DataError`. The GIL is released while
checking, so several threads can check at once.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd

from . import _compliance as _c
from . import _core
from ._compliance import Branches, DayLike, MonthLike, Records

__all__ = [
    "MeetingsResult",
    "RisksResult",
    "SurveysResult",
    "check_rules",
    "default_rules",
    "meetings",
    "risks",
    "surveys",
]

#: Kinds of meeting findings, in the order of ``rectify::compliance::finding_kind``.
MEETING_FINDINGS: Tuple[str, ...] = ("missed", "invalid", "incomplete", "not_assessed")
#: Kinds of risk findings (the Python layer's own reading of the points).
RISK_FINDINGS: Tuple[str, ...] = ("uncontrolled", "not_reviewed")
#: Risk levels from low to high (an ordered Categorical: ``level >= "medium"`` works).
RISK_LEVELS: Tuple[str, ...] = ("low", "medium", "high")


def _percent(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x * 100:.1f}%"


def _html_summary(title: str, frame: pd.DataFrame) -> str:
    return f"<p><b>{html.escape(title)}</b></p>" + frame.to_html(max_rows=20)


class MeetingsResult:
    """What :func:`meetings` found, for the months ``start``..``end`` (``"YYYY-MM"``).

    - ``findings``: one row per finding (kind ``missed``, ``invalid``, ``incomplete`` or
      ``not_assessed``), in the library's order: not-assessed quarters and years first, then per
      branch its missed slots (type, group, slot order) and its invalid and incomplete records
      (record order). Columns ``kind``, ``branch``, ``type`` (rule id), ``type_zh``, ``group``,
      ``slot`` (``2026-03``, ``2026-Q2`` or ``2026``), ``on`` (the meeting's date, NaT for a
      slot), ``row`` (0-based record position: ``df.iloc[row]``; NA for a slot), ``place``
      (``file:line`` or ``DataFrame:row N``), ``detail`` (``held 0 of 1``, the quorum reason,
      the missing fields) and ``missing`` (a tuple of the missing record fields).
    - ``inputs``: the scorer's inputs indexed by ``unit`` (the branch): ``meetings_required``,
      ``meetings_short``, ``meetings_met_ratio``, ``records_incomplete``, ``attendance_rate``
      (float64, NaN where a rate has no denominator).
    - ``branches``: per branch (index ``branch``): ``groups`` (tuple), ``required``, ``met``,
      ``short``, ``records``, ``invalid``, ``incomplete``, ``attended``, ``expected``,
      ``met_ratio``, ``attendance_rate``.
    - ``by_type``: per (branch, type): ``required``, ``met``, ``short``, ``held``, ``invalid``;
      ``by_type["short"].unstack()`` is the branch × type table of missed slots.
    - ``not_assessed``: the quarters and years the period cuts (``type``, ``type_zh``, ``slot``,
      ``detail``); they have no slots for any branch.
    - ``records_outside``: records dated outside the period (ignored); ``rules``: the complete
      requirements table used, as a ``rectify.meeting-rules/1`` dict.
    """

    __slots__ = (
        "start",
        "end",
        "findings",
        "inputs",
        "branches",
        "by_type",
        "not_assessed",
        "records_outside",
        "rules",
    )

    start: str
    end: str
    findings: pd.DataFrame
    inputs: pd.DataFrame
    branches: pd.DataFrame
    by_type: pd.DataFrame
    not_assessed: pd.DataFrame
    records_outside: int
    rules: Dict[str, Any]

    def __init__(self, cols: Dict[str, Any]) -> None:
        self.start = str(cols["start"])
        self.end = str(cols["end"])
        self.records_outside = int(cols["records_outside"])
        self.rules = json.loads(cols["rules"])
        types: List[str] = list(cols["types"])
        types_zh: List[str] = list(cols["types_zh"])

        b = cols["branches"]
        required = np.asarray(b["required"], dtype=np.int64)
        met = np.asarray(b["met"], dtype=np.int64)
        self.branches = pd.DataFrame(
            {
                "groups": pd.Series(list(b["groups"]), dtype=object),
                "required": required,
                "met": met,
                "short": required - met,
                "records": np.asarray(b["records"], dtype=np.int64),
                "invalid": np.asarray(b["invalid"], dtype=np.int64),
                "incomplete": np.asarray(b["incomplete"], dtype=np.int64),
                "attended": np.asarray(b["attended"], dtype=np.int64),
                "expected": np.asarray(b["expected"], dtype=np.int64),
                "met_ratio": np.asarray(b["met_ratio"], dtype=np.float64),
                "attendance_rate": np.asarray(b["attendance_rate"], dtype=np.float64),
            }
        )
        self.branches.index = pd.Index(list(b["branch"]), name="branch", dtype=object)

        t = cols["by_type"]
        n_types = len(types)
        t_required = np.asarray(t["required"], dtype=np.int64)
        t_met = np.asarray(t["met"], dtype=np.int64)
        index = pd.MultiIndex.from_arrays(
            [
                pd.Index(np.repeat(np.asarray(list(b["branch"]), dtype=object), n_types), dtype=object),
                pd.Categorical.from_codes(np.asarray(t["type"], dtype=np.int64), categories=pd.Index(types)),
            ],
            names=["branch", "type"],
        )
        self.by_type = pd.DataFrame(
            {
                "required": t_required,
                "met": t_met,
                "short": t_required - t_met,
                "held": np.asarray(t["held"], dtype=np.int64),
                "invalid": np.asarray(t["invalid"], dtype=np.int64),
            },
            index=index,
        )

        f = cols["findings"]
        type_codes = np.asarray(f["type"], dtype=np.int64)
        zh = np.asarray(types_zh, dtype=object)
        self.findings = pd.DataFrame(
            {
                "kind": pd.Categorical.from_codes(
                    np.asarray(f["kind"], dtype=np.int8), categories=pd.Index(MEETING_FINDINGS)
                ),
                "branch": pd.Series(list(f["branch"]), dtype=object),
                "type": pd.Categorical.from_codes(type_codes, categories=pd.Index(types)),
                "type_zh": pd.Series(zh[type_codes] if len(type_codes) else [], dtype=object),
                "group": pd.Series(list(f["group"]), dtype=object),
                "slot": pd.Series(list(f["slot"]), dtype=object),
                "on": _c.dates(f["on"]),
                "row": _c.rows(f["row"]),
                "place": pd.Series(_c.places(list(f["place"])), dtype=object),
                "detail": pd.Series(list(f["detail"]), dtype=object),
                "missing": pd.Series(list(f["missing"]), dtype=object),
            }
        )
        na = self.findings[self.findings["kind"] == "not_assessed"]
        self.not_assessed = na[["type", "type_zh", "slot", "detail"]].reset_index(drop=True)
        self.inputs = _c.inputs_frame(cols["inputs"])

    def _summary(self) -> str:
        n = len(self.branches)
        required = int(self.branches["required"].sum())
        met = int(self.branches["met"].sum())
        kinds = self.findings["kind"].value_counts()
        parts = [
            f"{n} branch{'es' if n != 1 else ''}",
            f"slots met {met} of {required} ({_percent(met / required if required else math.nan)})",
            f"{int(kinds.get('invalid', 0))} invalid meetings",
            f"{int(kinds.get('incomplete', 0))} incomplete records",
        ]
        if self.records_outside:
            parts.append(f"{self.records_outside} records outside the period")
        return f"{self.start}..{self.end}: " + "; ".join(parts)

    def __repr__(self) -> str:
        return f"<rectify.compliance.MeetingsResult {self._summary()}>"

    def _repr_html_(self) -> str:
        return _html_summary(f"MeetingsResult {self._summary()}", self.branches)


class SurveysResult:
    """What :func:`surveys` found.

    - ``findings``: one row per unit (byte order of the id): ``unit``, ``respondents`` (with at
      least one answer), ``blank`` (rows with none), ``answers``, ``index`` (0–100: (mean of
      respondents' scores − 1)/4 × 100 on a 1–5 scale), ``ci_low``/``ci_high`` (the t-interval
      over respondents' scores, NaN with fewer than 2 respondents), ``share_satisfied``
      (answers ≥ ``satisfied_at`` / answers).
    - ``units``: the same indexed by ``unit``, then ``mean_<question>`` per question (raw scale,
      NaN where nobody answered it).
    - ``question_means`` and ``question_answers``: unit × question tables of the mean answer and
      the number of answers.
    - ``inputs``: ``satisfaction_index`` (NaN without respondents) and ``satisfaction_n``,
      indexed by ``unit``.
    - ``questions``, ``scale`` (min, max), ``satisfied_at``, ``confidence``.
    """

    __slots__ = (
        "findings",
        "units",
        "question_means",
        "question_answers",
        "inputs",
        "questions",
        "scale",
        "satisfied_at",
        "confidence",
    )

    findings: pd.DataFrame
    units: pd.DataFrame
    question_means: pd.DataFrame
    question_answers: pd.DataFrame
    inputs: pd.DataFrame
    questions: List[str]
    scale: Tuple[int, int]
    satisfied_at: int
    confidence: float

    def __init__(self, cols: Dict[str, Any]) -> None:
        self.questions = list(cols["questions"])
        lo, hi = cols["scale"]
        self.scale = (int(lo), int(hi))
        self.satisfied_at = int(cols["satisfied_at"])
        self.confidence = float(cols["confidence"])
        u = cols["units"]
        unit_index = pd.Index(list(u["unit"]), name="unit", dtype=object)
        stats = {
            "respondents": np.asarray(u["respondents"], dtype=np.int64),
            "blank": np.asarray(u["blank"], dtype=np.int64),
            "answers": np.asarray(u["answers"], dtype=np.int64),
            "index": np.asarray(u["index"], dtype=np.float64),
            "ci_low": np.asarray(u["ci_low"], dtype=np.float64),
            "ci_high": np.asarray(u["ci_high"], dtype=np.float64),
            "share_satisfied": np.asarray(u["share_satisfied"], dtype=np.float64),
        }
        self.findings = pd.DataFrame({"unit": pd.Series(list(u["unit"]), dtype=object), **stats})
        question_index = pd.Index(self.questions, name="question", dtype=object)
        self.question_means = pd.DataFrame(
            np.asarray(cols["question_means"], dtype=np.float64), index=unit_index, columns=question_index
        )
        self.question_answers = pd.DataFrame(
            np.asarray(cols["question_answers"], dtype=np.int64), index=unit_index, columns=question_index
        )
        units = pd.DataFrame(stats, index=unit_index)
        means = self.question_means.copy()
        means.columns = pd.Index([f"mean_{q}" for q in self.questions])
        self.units = pd.concat([units, means], axis=1)
        self.inputs = _c.inputs_frame(cols["inputs"])

    def _summary(self) -> str:
        n = len(self.findings)
        respondents = int(self.findings["respondents"].sum())
        parts = [
            f"{n} unit{'s' if n != 1 else ''}",
            f"{respondents} respondents",
            f"{len(self.questions)} question{'s' if len(self.questions) != 1 else ''}",
        ]
        index = self.units["index"].dropna()
        if len(index):
            parts.append(f"index {index.min():.1f} ({index.idxmin()}) to {index.max():.1f} ({index.idxmax()})")
        return "; ".join(parts)

    def __repr__(self) -> str:
        return f"<rectify.compliance.SurveysResult {self._summary()}>"

    def _repr_html_(self) -> str:
        return _html_summary(f"SurveysResult {self._summary()}", self.findings)


class RisksResult:
    """What :func:`risks` found as of ``as_of`` (a ``datetime.date``); the review window is
    ``window_start``..``as_of`` (12 months).

    - ``points``: one row per risk point (unit, post, risk) in register order: ``unit``,
      ``post``, ``risk``, ``level`` (an ordered Categorical low < medium < high), ``controls``
      (rows with a control), ``reviewed`` (latest review on or before ``as_of``, NaT if none),
      ``reviewed_in_window``, ``row`` (0-based position of its first row) and ``place``.
    - ``findings``: the points a reviewer flags, in register order: ``uncontrolled`` (no
      control) and, for high-level points, ``not_reviewed`` (no review in the window); columns as
      ``points`` plus ``kind`` and ``detail``.
    - ``units``: per unit (index ``unit``): ``points``, ``high``, ``medium``, ``low``,
      ``controlled``, ``high_reviewed``, ``controlled_ratio``, ``high_reviewed_ratio`` (NaN
      without high points).
    - ``inputs``: ``risk_points``, ``risk_controlled_ratio``, ``risk_high_reviewed_ratio``.
    """

    __slots__ = ("as_of", "window_start", "points", "findings", "units", "inputs")

    as_of: _dt.date
    window_start: _dt.date
    points: pd.DataFrame
    findings: pd.DataFrame
    units: pd.DataFrame
    inputs: pd.DataFrame

    def __init__(self, cols: Dict[str, Any]) -> None:
        self.as_of = _dt.date.fromisoformat(cols["as_of"])
        self.window_start = _dt.date.fromisoformat(cols["window_start"])
        levels: List[str] = list(cols["levels"])
        p = cols["points"]
        # C++ codes go high, medium, low; the Categorical goes low < medium < high.
        names = np.asarray(levels, dtype=object)[np.asarray(p["level"], dtype=np.int64)]
        level = pd.Categorical(names, categories=pd.Index(RISK_LEVELS), ordered=True)
        self.points = pd.DataFrame(
            {
                "unit": pd.Series(list(p["unit"]), dtype=object),
                "post": pd.Series(list(p["post"]), dtype=object),
                "risk": pd.Series(list(p["risk"]), dtype=object),
                "level": level,
                "controls": np.asarray(p["controls"], dtype=np.int64),
                "reviewed": _c.dates(p["reviewed"]),
                "reviewed_in_window": np.asarray(p["reviewed_in_window"], dtype=bool),
                "row": np.asarray(p["row"], dtype=np.int64),
                "place": pd.Series(list(p["place"]), dtype=object),
            }
        )
        self.findings = self._flag()
        u = cols["units"]
        self.units = pd.DataFrame(
            {
                "points": np.asarray(u["points"], dtype=np.int64),
                "high": np.asarray(u["high"], dtype=np.int64),
                "medium": np.asarray(u["medium"], dtype=np.int64),
                "low": np.asarray(u["low"], dtype=np.int64),
                "controlled": np.asarray(u["controlled"], dtype=np.int64),
                "high_reviewed": np.asarray(u["high_reviewed"], dtype=np.int64),
                "controlled_ratio": np.asarray(u["controlled_ratio"], dtype=np.float64),
                "high_reviewed_ratio": np.asarray(u["high_reviewed_ratio"], dtype=np.float64),
            },
            index=pd.Index(list(u["unit"]), name="unit", dtype=object),
        )
        self.inputs = _c.inputs_frame(cols["inputs"])

    def _flag(self) -> pd.DataFrame:
        pts = self.points
        rows: List[int] = []
        kinds: List[str] = []
        details: List[str] = []
        uncontrolled = (pts["controls"] == 0).to_numpy()
        high = (pts["level"] == "high").to_numpy()
        in_window = pts["reviewed_in_window"].to_numpy()
        reviewed = pts["reviewed"].to_numpy()
        since = self.window_start.isoformat()
        for i in range(len(pts)):
            if uncontrolled[i]:
                rows.append(i)
                kinds.append("uncontrolled")
                details.append("no control recorded")
            if high[i] and not in_window[i]:
                rows.append(i)
                kinds.append("not_reviewed")
                if np.isnat(reviewed[i]):
                    details.append(f"high risk never reviewed (as of {self.as_of.isoformat()})")
                else:
                    last = pd.Timestamp(reviewed[i]).date().isoformat()
                    details.append(f"high risk last reviewed {last}, before the 12-month window from {since}")
        out = pts.iloc[rows].reset_index(drop=True)
        out.insert(0, "kind", pd.Series(pd.Categorical(kinds, categories=pd.Index(RISK_FINDINGS))))
        out["detail"] = pd.Series(details, dtype=object)
        return out

    def _summary(self) -> str:
        n = len(self.units)
        pts = self.points
        high = int((pts["level"] == "high").sum())
        controlled = int((pts["controls"] > 0).sum())
        reviewed = int(((pts["level"] == "high") & pts["reviewed_in_window"]).sum())
        parts = [
            f"{n} unit{'s' if n != 1 else ''}",
            f"{len(pts)} risk points ({high} high)",
            f"controlled {controlled} ({_percent(controlled / len(pts) if len(pts) else math.nan)})",
            f"high reviewed {reviewed} of {high}",
        ]
        return f"as of {self.as_of.isoformat()}: " + "; ".join(parts)

    def __repr__(self) -> str:
        return f"<rectify.compliance.RisksResult {self._summary()}>"

    def _repr_html_(self) -> str:
        return _html_summary(f"RisksResult {self._summary()}", self.units)


def meetings(
    df: Records,
    start: MonthLike,
    end: MonthLike,
    rules: Optional[Any] = None,
    branches: Optional[Branches] = None,
    *,
    encoding: str = "utf-8",
) -> MeetingsResult:
    """Checks 三会一课 meeting records over the whole months ``start``..``end`` (compliance.md §1).

    ``df``: a DataFrame with columns ``branch,type,date,group,expected,attended,topic,host,
    recorder,minutes,photos,signed`` (named index levels count as columns) or the path of such a
    CSV. ``start``/``end``: ``"2026-01"``, or a ``pandas.Period``/``Timestamp``,
    ``datetime.date`` or ``numpy.datetime64`` naming the month it lies in; a quarter, a year or
    a string that is not ``YYYY-MM`` is refused (``rectify.compliance.bad_period``). ``rules``:
    None (the default table), a ``rectify.meeting-rules/1`` dict or the path of such a file.
    ``branches``: None (branches and party groups come from the records), a DataFrame with
    ``branch`` and optional ``group`` columns, a list of branch names, a dict branch → list of
    groups, or the path of a CSV; when given, exactly these branches are assessed and a record
    of another branch or group is an error. ``encoding`` applies to CSV files (``"gbk"`` for
    Excel's Chinese CSV).

    >>> m = rectify.compliance.meetings(df, "2026-01", "2026-12", branches={"一支部": ["一组", "二组"]})
    >>> m.inputs                    # meetings_required, meetings_short, ... per branch
    """
    records = _c.records_spec(df, "df")
    rules_path, rules_text = _c.rules_args(rules)
    branch_spec = _c.branches_spec(branches)
    cols = _core.compliance_meetings(
        records,
        _c.month(start, "start"),
        _c.month(end, "end"),
        rules_path=rules_path,
        rules_text=rules_text,
        branches=branch_spec,
        encoding=encoding,
    )
    return MeetingsResult(cols)


def surveys(
    df: Records,
    *,
    scale: Tuple[int, int] = (1, 5),
    satisfied_at: int = 4,
    confidence: float = 0.95,
    encoding: str = "utf-8",
) -> SurveysResult:
    """Checks service-satisfaction responses (compliance.md §2): a ``unit`` column, a
    ``respondent`` column and one column per question (every other column), answers whole
    numbers on ``scale`` or empty. Per unit: the satisfaction index (0–100) with its
    ``confidence`` t-interval, respondents, per-question means and the share of answers ≥
    ``satisfied_at``.

    >>> s = rectify.compliance.surveys("survey.csv")
    >>> s.units[["index", "ci_low", "ci_high", "respondents"]]
    """
    spec = _c.records_spec(df, "df")
    lo, hi = scale
    cols = _core.compliance_surveys(
        spec,
        scale_min=int(lo),
        scale_max=int(hi),
        satisfied_at=int(satisfied_at),
        confidence=float(confidence),
        encoding=encoding,
    )
    return SurveysResult(cols)


def risks(df: Records, as_of: DayLike, *, encoding: str = "utf-8") -> RisksResult:
    """Checks a clean-governance risk register (compliance.md §3) as it stood on ``as_of``
    (``"YYYY-MM-DD"``, a ``datetime.date``, a ``datetime``/``Timestamp`` or a
    ``numpy.datetime64``): columns ``unit,post,risk,level,control,owner,reviewed``; one risk point
    per (unit, post, risk), several rows being several controls. A high point counts as reviewed
    when its latest review on or before ``as_of`` is within the 12 months before it.

    >>> r = rectify.compliance.risks(register, as_of="2026-11-30")
    >>> r.findings                  # uncontrolled points and unreviewed high points
    """
    spec = _c.records_spec(df, "df")
    cols = _core.compliance_risks(spec, _c.day(as_of, "as_of"), encoding=encoding)
    return RisksResult(cols)


def default_rules() -> Dict[str, Any]:
    """The default 三会一课 requirements (compliance.md §1) as a complete
    ``rectify.meeting-rules/1`` dict: change it and pass it as ``rules=``."""
    doc: Dict[str, Any] = json.loads(_core.compliance_default_rules())
    return doc


def check_rules(rules: Any) -> Dict[str, Any]:
    """Validates a rules dict or file and returns the complete table it gives (every type with
    every key); raises :class:`~rectify.ComplianceError` listing every problem with its JSON
    pointer."""
    path, text = _c.rules_args(rules)
    if path is None and text is None:
        return default_rules()
    doc: Dict[str, Any] = json.loads(_core.compliance_check_rules(path=path, text=text))
    return doc

