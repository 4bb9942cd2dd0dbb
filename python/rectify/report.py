"""The report for leaders: one self-contained HTML file (``rectify report``, ``rectify-report``).

Leaders read reports, not DataFrames. :func:`build` scores the units (their own data joined with
what the rectification ledger, the 三会一课 records, the satisfaction survey, the risk register
and the copy check give, exactly as the analyst would join them) and writes, in Chinese:

1. 总体情况: units, grades, mean/min/max, vetoes, the lowest units and the most-lost indicators;
2. 排名与等次: the ranking chart and table;
3. 扣分说明: each unit's lost points, lowest units first;
4. 整改进展 (with a ledger): per area, burn-down, states over time, overdue heat map;
5. 逾期事项 (with a ledger): overdue measures by responsible leader, with escalation;
6. “三会一课”落实情况 (with meeting records): the branch × month calendar and a branch table.

The file stands alone: charts are inline SVG with every glyph drawn as a path (no font is needed
to show them), styles are inline, and nothing is fetched (no ``<link>``, ``<script>``, web font or
image URL), so it can be mailed, archived and printed as it is. It prints on A4.

>>> from rectify import report
>>> report.write("report.html", "scheme.json", "units.csv", ledger="ledger.json",
...              meetings="meetings.csv", branches="branches.csv", as_of="2026-11-30")

Command line: ``rectify-report SCHEME DATA... --ledger L --meetings M --out report.html`` (also
run by ``rectify report``); see docs/cli.md.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import html
import importlib
import importlib.util
import io
import json
import math
import os
import pathlib
import re
import sys
import tempfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import DataError, Error
from ._io import read_units_csv
from ._ledger import Ledger
from ._scheme import Scheme

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ._result import Result
    from .compliance import MeetingsResult, RisksResult, SurveysResult
    from .text import SimilarResult

__all__ = ["build", "write", "main"]

PathLike = Union[str, "os.PathLike[str]"]
DateLike = Union[_dt.date, str]

#: Escalation levels of the ledger in Chinese (docs/ledger.md, ledger/metrics.hpp).
ESCALATION_ZH = {"remind": "提醒", "warn": "预警", "accountable": "问责"}
#: Ledger states in Chinese, in workflow order.
STATE_ZH = {"planned": "未启动", "in_progress": "整改中", "submitted": "待验收", "verified": "已验收", "closed": "已销号"}
#: Grade colours from the best grade to the worst: muted enough to print, apart enough to tell.
GRADE_COLOURS = ["#2e7d4f", "#2f6fa8", "#c08a1e", "#b23a3a", "#6b4c9a", "#5f6b73"]
#: Lost-point items shown per unit before the rest are summed in one row (fewer with many units,
#: so that the section stays something one reads rather than a listing).
ITEMS_PER_UNIT = 8
ITEMS_PER_UNIT_MANY = 5
MANY_UNITS = 30
#: Width of the charts in inches: the A4 text width (210 mm − 2 × 15 mm ≈ 7.1 in).
CHART_WIDTH = 7.1

_CSS = """
@page { size: A4; margin: 16mm 15mm 16mm 15mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif;
       color: #1d2329; background: #fff; margin: 0; font-size: 10.5pt; line-height: 1.55; }
main { max-width: 190mm; margin: 0 auto; padding: 10mm 0 12mm 0; }
header.title { text-align: center; border-bottom: 3px double #a3262a; padding-bottom: 4mm; margin-bottom: 5mm; }
header.title h1 { color: #a3262a; font-size: 20pt; letter-spacing: 0.08em; margin: 0 0 2mm 0; line-height: 1.3; }
header.title p { margin: 0; color: #4a525a; font-size: 10pt; }
h2 { font-size: 14pt; color: #1f3a5f; border-left: 5px solid #a3262a; padding-left: 3mm; margin: 7mm 0 3mm 0;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm 0; break-after: avoid; page-break-after: avoid; }
p { margin: 1.5mm 0; }
section.newpage { break-before: page; page-break-before: always; }
.kpis { display: flex; flex-wrap: wrap; gap: 3mm; margin: 2mm 0 3mm 0; break-inside: avoid; }
.kpi { flex: 1 1 28mm; border: 1px solid #c9d2dc; border-radius: 2mm; padding: 2mm 3mm; background: #f5f8fb; }
.kpi .v { font-size: 17pt; font-weight: 700; color: #1f3a5f; line-height: 1.2; }
.kpi .k { font-size: 9pt; color: #4a525a; }
.kpi.alert .v { color: #a3262a; }
ul.findings { margin: 1mm 0 2mm 0; padding-left: 6mm; }
ul.findings li { margin: 1mm 0; break-inside: avoid; }
.grade { display: inline-block; padding: 0 2mm; border-radius: 1mm; color: #fff; font-size: 9pt;
         line-height: 1.6; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 1.5mm 0 3mm 0; font-size: 9pt; }
thead { display: table-header-group; }
tfoot { display: table-row-group; }
tr, td, th { break-inside: avoid; page-break-inside: avoid; }
th { background: #e6ecf2; color: #1d2329; font-weight: 700; border: 1px solid #b8c3ce; padding: 1mm 1.5mm;
     text-align: center; }
td { border: 1px solid #ccd5de; padding: 0.8mm 1.5mm; vertical-align: top; overflow-wrap: anywhere; }
tbody tr:nth-child(even) td { background: #f7f9fb; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.c { text-align: center; white-space: nowrap; }
td.id { white-space: nowrap; }
tr.total td { font-weight: 700; background: #eef2f6; }
tr.low td { color: #a3262a; }
.bad { color: #a3262a; font-weight: 700; }
.muted { color: #6b737b; }
figure { margin: 2mm 0 4mm 0; break-inside: avoid; page-break-inside: avoid; text-align: center; }
figure svg { width: 100%; height: auto; max-height: 235mm; }
figcaption { font-size: 9pt; color: #4a525a; margin-top: 1mm; }
.unit { break-inside: avoid; page-break-inside: avoid; margin-bottom: 3mm; }
.unit h3 .s { font-weight: 400; color: #4a525a; font-size: 9.5pt; margin-left: 2mm; }
.note { font-size: 9pt; color: #4a525a; }
footer { margin-top: 8mm; border-top: 1px solid #c9d2dc; padding-top: 2mm; font-size: 8.5pt; color: #6b737b; }
@media print { main { max-width: none; padding: 0; } td { padding: 0.5mm 1.5mm; line-height: 1.45; } }
"""


def _e(value: Any) -> str:
    """Escaped text for HTML (every piece of text goes through here)."""
    return html.escape(str(value), quote=True)


def _problem(code: str, message: str, source: str = "") -> _core.Problem:
    return _core.Problem(code=code, message=message, source=source)


def _data_error(code: str, message: str, source: str = "") -> DataError:
    err = DataError._from_problems([_problem(code, message, source)])
    assert isinstance(err, DataError)
    return err


# -- dates ----------------------------------------------------------------------------------


def _day(value: Optional[DateLike]) -> _dt.date:
    """``as_of`` as a date; None is today. A text must be an exact ``YYYY-MM-DD``."""
    if value is None:
        return _dt.date.today()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _data_error("rectify.data.bad_date", f"as_of: {value!r} is not a date (YYYY-MM-DD)")


def _month(value: str, what: str) -> str:
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        return value
    raise _data_error("rectify.data.bad_date", f"{what}: {value!r} is not a month (YYYY-MM)")


def _zh_date(day: _dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _zh_month(month: str) -> str:
    y, m = month.split("-")
    return f"{int(y)}年{int(m)}月"


# -- inputs ---------------------------------------------------------------------------------


@dataclass
class _Inputs:
    """Everything the report shows, loaded and checked."""

    scheme: Scheme
    data: pd.DataFrame
    as_of: _dt.date
    ledger: Optional[Ledger] = None
    meetings: Optional["MeetingsResult"] = None
    survey: Optional["SurveysResult"] = None
    risks: Optional["RisksResult"] = None
    documents: Optional["SimilarResult"] = None
    sources: List[str] = field(default_factory=list)


def _frame_by_unit(frame: pd.DataFrame) -> pd.DataFrame:
    """A unit table indexed by ``unit`` (a ``unit`` column becomes the index)."""
    if "unit" in frame.columns:
        frame = frame.set_index("unit")
    out = frame.copy()
    out.index = pd.Index([str(u) for u in out.index], name="unit", dtype=object)
    return out


def _read_data(item: Any) -> Tuple[pd.DataFrame, str]:
    """One DATA item as a unit-indexed frame and the name errors give it."""
    if isinstance(item, pd.DataFrame):
        return _frame_by_unit(item), "DataFrame"
    if isinstance(item, (str, os.PathLike)):
        path = os.fspath(item)
        reader = getattr(sys.modules[__package__ or "rectify"], "read_units", None)
        if reader is not None and not path.lower().endswith(".csv"):
            frame = reader(path)  # .xlsx through the Excel reader, when the package has it
        else:
            frame = read_units_csv(path)
        return _frame_by_unit(frame), path
    raise TypeError(f"data must be a DataFrame or the path of a unit file, not {type(item).__name__}")


def _join(parts: Sequence[Tuple[pd.DataFrame, str]]) -> pd.DataFrame:
    """Left-joins every part on unit (the first part names the units). A column that two parts
    have is refused, naming both: an input must come from one place."""
    owner: Dict[str, str] = {}
    problems: List[_core.Problem] = []
    for frame, source in parts:
        for c in frame.columns:
            name = str(c)
            if name in owner:
                problems.append(
                    _problem(
                        "rectify.data.duplicate_column",
                        f"column {_core.quoted(name)} is in both {owner[name]} and {source}: "
                        "an input must come from one place",
                        source,
                    )
                )
            else:
                owner[name] = source
    if problems:
        raise DataError._from_problems(problems)
    first = parts[0][0]
    if first.index.has_duplicates:
        dup = sorted({str(u) for u in first.index[first.index.duplicated()]})
        raise _data_error("rectify.data.duplicate_unit", f"unit {', '.join(dup)} appears more than once", parts[0][1])
    joined = first
    for frame, _ in parts[1:]:
        joined = joined.join(frame[~frame.index.duplicated()], how="left")
    return joined


def _load(
    scheme: Any,
    data: Any,
    *,
    ledger: Any,
    meetings: Any,
    branches: Any,
    period: Optional[Tuple[str, str]],
    survey: Any,
    risks: Any,
    documents: Any,
    template: Any,
    as_of: Optional[DateLike],
) -> _Inputs:
    from . import compliance, text

    day = _day(as_of)
    sch = scheme if isinstance(scheme, Scheme) else Scheme.from_json(scheme)
    items = list(data) if isinstance(data, (list, tuple)) else [data]
    if not items:
        raise TypeError("data: give at least one unit table")
    parts = [_read_data(x) for x in items]
    out = _Inputs(scheme=sch, data=parts[0][0], as_of=day)
    out.sources = [s for _, s in parts]

    def name(obj: Any, what: str) -> str:
        return f"{os.fspath(obj)} ({what})" if isinstance(obj, (str, os.PathLike)) else what

    if ledger is not None:
        out.ledger = ledger if isinstance(ledger, Ledger) else Ledger.load(ledger)
        parts.append((out.ledger.inputs(day.isoformat()), name(ledger, "整改台账")))
    if meetings is not None:
        if isinstance(meetings, compliance.MeetingsResult):
            out.meetings = meetings
        else:
            start, end = period if period is not None else (f"{day.year}-01", f"{day.year}-{day.month:02d}")
            out.meetings = compliance.meetings(
                meetings, _month(start, "from"), _month(end, "to"), branches=branches
            )
        parts.append((out.meetings.inputs, name(meetings, "三会一课")))
    if survey is not None:
        out.survey = survey if isinstance(survey, compliance.SurveysResult) else compliance.surveys(survey)
        parts.append((out.survey.inputs, name(survey, "满意度测评")))
    if risks is not None:
        out.risks = risks if isinstance(risks, compliance.RisksResult) else compliance.risks(risks, day.isoformat())
        parts.append((out.risks.inputs, name(risks, "廉政风险")))
    if documents is not None:
        if isinstance(documents, text.SimilarResult):
            out.documents = documents
        else:
            tmpl = os.fspath(template) if isinstance(template, os.PathLike) else template
            out.documents = text.similar(documents, template=None if tmpl is None else pathlib.Path(tmpl))
        parts.append((out.documents.inputs, name(documents, "材料雷同检查")))
    out.data = _join(parts)
    return out


# -- charts ---------------------------------------------------------------------------------

_SVG_ID = re.compile(r'\bid="([^"]+)"')


def _svg(fig: "Figure", key: str) -> str:
    """The figure as inline SVG: glyphs as paths, ids made unique to the figure (several SVGs
    share one document), sized to the page width by CSS, no XML prolog, no date (the same input
    gives the same file)."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": f"rectify-{key}"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.04, metadata={"Date": None})
    text = buf.getvalue()
    start = text.find("<svg")
    text = text[start:]
    ids = set(_SVG_ID.findall(text))
    if ids:
        pattern = re.compile(r'(\bid="|#)(' + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) + r')(?=["\)])')
        text = pattern.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}", text)
    # Let CSS size the chart (width 100%, height from the viewBox).
    text = re.sub(r'<svg([^>]*?)\swidth="[^"]*"\s+height="[^"]*"', r'<svg\1 preserveAspectRatio="xMidYMid meet"', text, count=1)
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, count=1, flags=re.S)
    return text.strip()


class _Charts:
    """Builds the charts through :mod:`rectify.plot`, each on its own page-wide Figure (no
    pyplot state), and keeps going without a chart that cannot be drawn, noting why."""

    def __init__(self) -> None:
        self.missing: List[str] = []
        self._n = 0
        try:
            import matplotlib  # noqa: F401
        except ImportError as exc:
            raise ImportError(
                f"the report draws its charts with matplotlib ({exc}): pip install 'rectify[plot]'"
            ) from exc
        # rectify.plot is imported only if it is there, so that the tables still come out of a
        # package built without it; a chart it lacks is named in the report's footer.
        self._plot: Any = None
        if importlib.util.find_spec(f"{__package__ or 'rectify'}.plot") is not None:
            self._plot = importlib.import_module(f"{__package__ or 'rectify'}.plot")

    def grade_colours(self, grades: Sequence[str]) -> Dict[str, str]:
        """The grade colours of the charts (so a grade has one colour in the charts and the
        tables), or the report's own when rectify.plot is not there."""
        colours = getattr(self._plot, "grade_colors", None)
        return dict(colours(list(grades))) if colours is not None else _grade_colours(grades)

    def draw(self, name: str, height: float, *args: Any, **kwargs: Any) -> str:
        from matplotlib.figure import Figure

        fn = getattr(self._plot, name, None)
        if fn is None:
            self.missing.append(name)
            return ""
        fig = Figure(figsize=(CHART_WIDTH, height))
        ax = fig.add_subplot()
        out = fn(*args, ax=ax, **kwargs)
        fig = out if out is not None else fig
        self._n += 1
        return _svg(fig, f"c{self._n}")


def _figure(svg: str, caption: str) -> str:
    if not svg:
        return ""
    return f'<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>'


def _numbered(html_text: str) -> str:
    """Numbers the figure captions in document order: 图1, 图2, ..."""
    counter = iter(range(1, 1000))
    return re.sub("<figcaption>", lambda m: f"<figcaption>图{next(counter)} ", html_text)


# -- formatting -----------------------------------------------------------------------------


def _num(x: Any, digits: int = 2) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "—"
    if math.isnan(v):
        return "—"
    s = f"{v:.{digits}f}"
    return "0.00"[: len(s)] if s.startswith("-") and float(s) == 0 else s


def _pct(x: Any) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "—"
    return "—" if math.isnan(v) else f"{v * 100:.1f}%"


def _grade_colours(grades: Sequence[str]) -> Dict[str, str]:
    n = len(grades)
    if n <= 4:  # the usual 优秀/良好/合格/不合格: green, blue, amber, red, whatever their number
        picks = [GRADE_COLOURS[i] for i in ([0, 3] if n == 2 else [0, 1, 3] if n == 3 else range(n))]
    else:
        picks = [GRADE_COLOURS[i % len(GRADE_COLOURS)] for i in range(n)]
    return dict(zip(grades, picks))


def _badge(grade: str, colours: Mapping[str, str]) -> str:
    return f'<span class="grade" style="background:{colours.get(grade, "#5f6b73")}">{_e(grade)}</span>'


def _table(
    head: Sequence[str], rows: Iterable[str], cls: str = "", foot: str = "", widths: Sequence[int] = ()
) -> str:
    """A table whose header repeats on every printed page; ``widths`` (percent) fix the
    columns, so that the tables of one section line up."""
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    colgroup = f"<colgroup>{cols}</colgroup>" if cols else ""
    style = ' style="table-layout:fixed"' if cols else ""
    body = "".join(rows)
    return f'<table class="{cls}"{style}>{colgroup}<thead><tr>{th}</tr></thead><tbody>{body}{foot}</tbody></table>'


def _short(text: str, limit: int = 40) -> str:
    """The first sentence of a measure's text, cut at ``limit`` characters."""
    first = re.split(r"(?<=[。;;!?!?])", text.strip(), maxsplit=1)[0] if text else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


# -- the report -----------------------------------------------------------------------------


class _Report:
    def __init__(self, inp: _Inputs, title: Optional[str]) -> None:
        self.inp = inp
        self.scheme = inp.scheme
        self.result: "Result" = inp.scheme.score(inp.data)
        self.frame = self.result.to_frame()
        self.order = self.frame.sort_values("rank", kind="stable")
        self.nodes = inp.scheme.nodes
        doc = json.loads(inp.scheme.text)
        self.names: Dict[str, str] = {str(i): str(n) for i, n in self.nodes["name"].items()}
        self.vetoes: Dict[str, Dict[str, Any]] = {}
        for key in ("penalties", "bonus", "vetoes"):
            for item in doc.get(key) or []:
                if isinstance(item, dict) and "id" in item:
                    self.names.setdefault(str(item["id"]), str(item.get("name", item["id"])))
                    if key == "vetoes":
                        self.vetoes[str(item["id"])] = item
        self.charts = _Charts()
        self.colours = self.charts.grade_colours(self.result.grade_names)
        self.veto_ids: Dict[str, List[str]] = {str(u): list(v) for u, v in self.result.vetoes.items()}
        self.lost = self._lost()
        base = inp.scheme.name or inp.scheme.id
        self.title = title or (base[: -len("方案")] + "结果报告" if base.endswith("方案") else f"{base}考核结果报告")
        self.sections: List[str] = []
        self.items_per_unit = ITEMS_PER_UNIT if len(self.result) <= MANY_UNITS else ITEMS_PER_UNIT_MANY

    # the lost points of every unit, one row per item: unit, node, points, why, area
    def _lost(self) -> pd.DataFrame:
        rows = []
        parents = self.nodes["parent"].to_dict()
        for unit in self.result.units:
            for node, points, why in self.result.explain(unit).itertuples(index=False):
                area = node
                while isinstance(parents.get(area), str) and parents.get(area):
                    area = parents[area]
                if node not in parents:  # a penalty (扣分项) of the whole scheme, not a tree node
                    area = "扣分项"
                rows.append((unit, node, float(points), str(why), area))
        return pd.DataFrame(rows, columns=["unit", "node", "points", "why", "area"])

    def _heading(self, text: str) -> str:
        numerals = "一二三四五六七八九十"
        k = len(self.sections)
        return f"<h2>{numerals[k] if k < len(numerals) else k + 1}、{_e(text)}</h2>"

    def _add(self, title: str, body: str, cls: str = "") -> None:
        attr = f' class="{cls}"' if cls else ""
        self.sections.append(f"<section{attr}>{self._heading(title)}{body}</section>")

    # 1. summary
    def summary(self) -> None:
        f, r = self.frame, self.result
        n = len(r)
        scores = f["score"]
        kpis = [("参评单位", f"{n}", "")]
        if n:
            kpis += [("平均得分", _num(scores.mean()), ""), ("最高得分", _num(scores.max()), ""),
                     ("最低得分", _num(scores.min()), "")]
        vetoed = [u for u, v in r.vetoes.items() if v]
        kpis.append(("一票否决", f"{len(vetoed)}", "alert" if vetoed else ""))
        boxes = "".join(
            f'<div class="kpi {c}"><div class="v">{_e(v)}</div><div class="k">{_e(k)}</div></div>' for k, v, c in kpis
        )
        counts = f["grade"].value_counts(sort=False)
        grades = "".join(
            f'<div class="kpi"><div class="v">{int(counts.get(g, 0))}</div><div class="k">{_badge(g, self.colours)} 单位数</div></div>'
            for g in r.grade_names
        )
        items: List[str] = []
        if n:
            low = self.order.tail(min(3, n)).iloc[::-1]
            lows = "、".join(f"{_e(u)}({_num(row.score)} 分,{_e(row.grade)})" for u, row in low.iterrows())
            items.append(f"<li>得分最低的单位:{lows}。</li>")
            top = self.order.head(min(3, n))
            tops = "、".join(f"{_e(u)}({_num(row.score)} 分)" for u, row in top.iterrows())
            items.append(f"<li>得分最高的单位:{tops}。</li>")
        lost = self.lost[self.lost["points"] > 1e-9]
        if len(lost):
            by = lost.groupby("node", sort=False).agg(points=("points", "sum"), units=("unit", "nunique"))
            by = by.sort_values("points", ascending=False, kind="stable").head(3)
            parts = "、".join(
                f"{_e(self.names.get(str(node), node))}(共失 {_num(row.points)} 分,{int(row.units)} 个单位失分)"
                for node, row in by.iterrows()
            )
            items.append(f"<li>各单位合计失分最多的指标:{parts}。</li>")
        for u in vetoed:
            why = "、".join(_e(self.vetoes.get(v, {}).get("name", v)) for v in self.veto_ids[str(u)])
            items.append(f'<li class="bad">一票否决:{_e(u)}({why}),等次定为{_e(f.at[u, "grade"])}。</li>')
        if self.inp.ledger is not None:
            st = self.inp.ledger.status(self.inp.as_of.isoformat())
            done = int(st["state"].isin(["verified", "closed"]).sum())
            over = st[st["overdue"]]
            acc = int((over["escalation"] == "accountable").sum())
            rate = done / len(st) if len(st) else math.nan
            items.append(
                f"<li>整改措施 {len(st)} 项,已验收或销号 {done} 项(完成率 {_pct(rate)}),"
                f"逾期未完成 {len(over)} 项{f',其中逾期超过问责期限 {acc} 项' if acc else ''}。</li>"
            )
        if self.inp.meetings is not None:
            b = self.inp.meetings.branches
            req, met = int(b["required"].sum()), int(b["met"].sum())
            items.append(
                f"<li>“三会一课”({_e(_zh_month(self.inp.meetings.start))}至{_e(_zh_month(self.inp.meetings.end))}):"
                f"应开 {req} 次,按要求召开 {met} 次({_pct(met / req if req else math.nan)}),"
                f"记录不完整 {int(b['incomplete'].sum())} 次。</li>"
            )
        body = (
            f'<div class="kpis">{boxes}</div><div class="kpis">{grades}</div>'
            f'<h3>主要情况</h3><ul class="findings">{"".join(items)}</ul>'
        )
        self._add("总体情况", body)

    # 2. ranking
    def ranking(self) -> None:
        f = self.frame
        areas = [str(i) for i, p in self.nodes["parent"].items() if not isinstance(p, str) or not p]
        points = self.nodes["points"]
        head = ["名次", "单位", "总分", "等次"] + [
            f"{self.names.get(a, a)}({_num(points[a], 0) if float(points[a]).is_integer() else _num(points[a], 1)})"
            for a in areas
        ] + ["加分", "扣分"]
        rows = []
        for u, row in self.order.iterrows():
            cells = [
                f'<td class="c">{int(row["rank"])}</td>',
                f'<td class="id">{_e(u)}{" <span class=bad>否决</span>" if self.veto_ids[str(u)] else ""}</td>',
                f'<td class="n"><b>{_num(row["score"])}</b></td>',
                f'<td class="c">{_badge(str(row["grade"]), self.colours)}</td>',
            ]
            for a in areas:
                v = float(row[a]) if a in f.columns else math.nan
                full = float(points[a])
                rate = v / full if full and not math.isnan(v) else math.nan
                cls = "n bad" if not math.isnan(rate) and rate < 0.6 else "n"
                cells.append(f'<td class="{cls}">{_num(v, 1)}</td>')
            cells.append(f'<td class="n">{_num(row["bonus"], 1)}</td>')
            cells.append(f'<td class="n">{_num(row["penalty"], 1)}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        n = len(f)
        top = None if n <= 40 else 40
        chart = self.charts.draw("ranking", 0.9 + 0.2 * (n if top is None else top), self.result, top=top)
        caption = "各单位得分排名(按等次着色)" + ("" if top is None else f",前 {top} 名")
        body = (
            _figure(chart, caption)
            + '<p class="note">各领域得分低于满分 60% 的以红色标出;括号内为满分。</p>'
            + _table(head, rows, "ranking")
        )
        self._add("排名与等次", body, "newpage")

    # 3. lost points
    def lost_points(self) -> None:
        blocks = []
        worst = self.order.iloc[::-1]
        for u, row in worst.iterrows():
            items = self.lost[self.lost["unit"] == u].sort_values("points", ascending=False, kind="stable")
            total = float(items["points"].sum())
            head = (
                f'<h3>第 {int(row["rank"])} 名 {_e(u)}<span class="s">{_num(row["score"])} 分 '
                f'{_badge(str(row["grade"]), self.colours)} 共失 {_num(total)} 分</span></h3>'
            )
            if self.veto_ids[str(u)]:
                why = "、".join(_e(self.vetoes.get(v, {}).get("name", v)) for v in self.veto_ids[str(u)])
                head += f'<p class="bad">一票否决:{why}</p>'
            if not len(items):
                blocks.append(f'<div class="unit">{head}<p class="muted">未失分。</p></div>')
                continue
            shown, rest = items.head(self.items_per_unit), items.iloc[self.items_per_unit :]
            rows = [
                f'<tr><td>{_e(self.names.get(str(it.area), str(it.area)))}</td>'
                f"<td>{_e(self.names.get(str(it.node), str(it.node)))}</td>"
                f'<td class="n">{_num(it.points)}</td><td>{_e(it.why)}</td></tr>'
                for it in shown.itertuples(index=False)
            ]
            foot = ""
            if len(rest):
                foot = (
                    f'<tr class="total"><td colspan="2">其余 {len(rest)} 项</td>'
                    f'<td class="n">{_num(rest["points"].sum())}</td><td class="muted">每项失分均不超过 '
                    f"{_num(rest['points'].max())} 分</td></tr>"
                )
            table = _table(["领域", "指标", "失分", "原因"], rows, "lost", foot, (17, 25, 8, 50))
            blocks.append(f'<div class="unit">{head}{table}</div>')
        note = (
            f'<p class="note">按得分从低到高排列;每个单位列出失分最多的 {self.items_per_unit} 项,其余合并为一行。'
            "失分为满分与实得分之差,扣分项为考核细则规定的扣减。</p>"
        )
        self._add("扣分说明", note + "".join(blocks), "newpage")

    # 4. rectification progress and 5. overdue items
    def rectification(self) -> None:
        ledger = self.inp.ledger
        if ledger is None:
            return
        day = self.inp.as_of.isoformat()
        areas = ledger.areas
        by = ledger.status(day, by="area")
        st = ledger.status(day)
        states = list(STATE_ZH)
        rows = []
        for a, row in by.iterrows():
            rows.append(
                f'<tr><td class="id">{_e(areas.get(str(a), a))}</td><td class="n">{int(row["total"])}</td>'
                + "".join(f'<td class="n">{int(row[s])}</td>' for s in states)
                + f'<td class="n">{_pct(row["completion_rate"])}</td><td class="n">{_pct(row["on_time_rate"])}</td>'
                + f'<td class="n{" bad" if int(row["overdue"]) else ""}">{int(row["overdue"])}</td></tr>'
            )
        done = st["state"].isin(["verified", "closed"])
        on_time = done & (st["verified_on"] <= st["due"])
        n = len(st)
        foot = (
            f'<tr class="total"><td>合计</td><td class="n">{n}</td>'
            + "".join(f'<td class="n">{int((st["state"] == s).sum())}</td>' for s in states)
            + f'<td class="n">{_pct(done.sum() / n if n else math.nan)}</td>'
            + f'<td class="n">{_pct(on_time.sum() / done.sum() if done.sum() else math.nan)}</td>'
            + f'<td class="n">{int(st["overdue"].sum())}</td></tr>'
        )
        table = _table(
            ["领域", "措施"] + [STATE_ZH[s] for s in states] + ["完成率", "按期验收率", "逾期"], rows, "areas", foot
        )
        events = ledger.events
        start = pd.Timestamp(events["date"].min()).date() if len(events) else self.inp.as_of - _dt.timedelta(days=90)
        start = min(start, self.inp.as_of)
        charts = _figure(
            self.charts.draw("burndown", 2.8, ledger, start.isoformat(), day), "整改措施燃尽图(未完成措施数随时间变化)"
        ) + _figure(self.charts.draw("states", 2.8, ledger, start.isoformat(), day), "整改措施状态变化")
        units_over = st.loc[st["overdue"], "unit"].nunique()
        if units_over:
            charts += _figure(
                self.charts.draw("overdue_heatmap", 1.4 + 0.32 * units_over, ledger, day),
                "逾期措施分布(单位 × 领域)",
            )
        note = (
            f'<p class="note">截至{_e(_zh_date(self.inp.as_of))};完成率 = (已验收 + 已销号)/ 措施总数,'
            "按期验收率 = 在期限内验收的措施 / 已验收和已销号的措施。</p>"
        )
        self._add("整改进展", note + table + charts, "newpage")

        over = ledger.overdue(day)
        if not len(over):
            self._add("逾期事项", "<p>截至报告日,没有逾期未完成的整改措施。</p>")
            return
        texts = ledger.measures["text"]
        blocks = []
        leaders = over.assign(leader=over["leader"].replace("", "(未指定分管领导)"))
        order = leaders.groupby("leader", sort=False)["days_overdue"].agg(["size", "max"])
        order = order.sort_values(["size", "max"], ascending=False, kind="stable")
        for leader in order.index:
            items = leaders[leaders["leader"] == leader]
            units = "、".join(_e(u) for u in dict.fromkeys(items["unit"]))
            rows = []
            for mid, it in items.iterrows():
                level = ESCALATION_ZH.get(str(it["escalation"]), "") if isinstance(it["escalation"], str) else ""
                cls = "c bad" if it["escalation"] == "accountable" else "c"
                rows.append(
                    f'<tr><td class="id">{_e(it["unit"])}</td><td>{_e(areas.get(str(it["area"]), it["area"]))}</td>'
                    f'<td>{_e(_short(str(texts.get(mid, ""))))}<br><span class="muted">{_e(mid)}</span></td>'
                    f'<td class="c">{_e(it["owner"])}</td><td class="c">{_e(STATE_ZH.get(str(it["state"]), it["state"]))}</td>'
                    f'<td class="c">{pd.Timestamp(it["due"]).date().isoformat()}</td>'
                    f'<td class="n">{int(it["days_overdue"])}</td><td class="{cls}">{_e(level)}</td></tr>'
                )
            blocks.append(
                f'<div class="unit"><h3>{_e(leader)}<span class="s">{len(items)} 项逾期 · {units}</span></h3>'
                + _table(
                    ["单位", "领域", "整改措施", "责任人", "状态", "期限", "逾期天数", "督办"],
                    rows,
                    "overdue",
                    widths=(15, 12, 30, 8, 8, 11, 9, 7),
                )
                + "</div>"
            )
        esc = ledger.escalation
        note = (
            f'<p class="note">截至{_e(_zh_date(self.inp.as_of))}逾期未验收的措施 {len(over)} 项,按分管领导列出,'
            f"逾期项目多者在前。督办:逾期 {esc['accountable_days']} 天以内为“预警”,超过为“问责”。</p>"
        )
        self._add("逾期事项", note + "".join(blocks))

    # 6. 三会一课
    def meetings(self) -> None:
        m = self.inp.meetings
        if m is None:
            return
        b = m.branches
        rows = []
        for br, row in b.sort_values(["met_ratio", "short"], ascending=[True, False], kind="stable").iterrows():
            short = int(row["short"])
            rows.append(
                f'<tr><td class="id">{_e(br)}</td><td class="n">{int(row["required"])}</td>'
                f'<td class="n">{int(row["met"])}</td><td class="n{" bad" if short else ""}">{short}</td>'
                f'<td class="n">{_pct(row["met_ratio"])}</td><td class="n">{int(row["invalid"])}</td>'
                f'<td class="n">{int(row["incomplete"])}</td><td class="n">{_pct(row["attendance_rate"])}</td></tr>'
            )
        chart = _figure(
            self.charts.draw("meeting_calendar", 1.3 + 0.3 * len(b), m), "“三会一课”按月落实情况(支部 × 月份)"
        )
        table = _table(["支部", "应开", "达标", "缺", "达标率", "无效会议", "记录不完整", "参会率"], rows, "branches")
        note = (
            f'<p class="note">检查期间:{_e(_zh_month(m.start))}至{_e(_zh_month(m.end))};按达标率从低到高排列。'
            "“缺”为未按要求召开的次数,“无效会议”为未达到到会人数要求的会议。</p>"
        )
        self._add("“三会一课”落实情况", note + chart + table, "newpage")

    def html(self) -> str:
        self.summary()
        self.ranking()
        self.lost_points()
        self.rectification()
        self.meetings()
        sch = self.scheme
        sub = f"考核方案:{_e(sch.name or sch.id)} · 数据截至{_e(_zh_date(self.inp.as_of))} · 参评单位 {len(self.result)} 个"
        missing = ""
        if self.charts.missing:
            missing = f"(未能绘制的图表:{_e('、'.join(self.charts.missing))})"
        footer = (
            f"<footer>本报告由 rectify 根据考核方案 {_e(sch.id)} 与所附数据自动生成{missing}。"
            "得分保留两位小数,名次按得分并列计。</footer>"
        )
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(self.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f'<header class="title"><h1>{_e(self.title)}</h1><p>{sub}</p></header>\n'
            + _numbered("\n".join(self.sections))
            + f"\n{footer}\n</main>\n</body>\n</html>\n"
        )


def build(
    scheme: Any,
    data: Any,
    *,
    ledger: Any = None,
    meetings: Any = None,
    branches: Any = None,
    period: Optional[Tuple[str, str]] = None,
    survey: Any = None,
    risks: Any = None,
    documents: Any = None,
    template: Any = None,
    as_of: Optional[DateLike] = None,
    title: Optional[str] = None,
) -> str:
    """The leaders' report as one self-contained HTML text.

    ``scheme``: a :class:`~rectify.Scheme` or what :meth:`Scheme.from_json` takes. ``data``: the
    unit table (a DataFrame indexed by unit or with a ``unit`` column, or the path of a unit file),
    or a list of them joined on unit. ``ledger`` (a :class:`~rectify.Ledger` or its file),
    ``meetings`` (a ``MeetingsResult`` or the records' CSV, checked over ``period`` =
    (``"YYYY-MM"``, ``"YYYY-MM"``), by default January of ``as_of``'s year to ``as_of``'s month,
    against ``branches``), ``survey``, ``risks`` (results or CSV files) and ``documents`` (a
    ``SimilarResult``, a folder, a CSV or a DataFrame, with ``template``) add their inputs to
    the data, joined on unit, before scoring; a column two sources have raises
    :class:`~rectify.DataError` (``rectify.data.duplicate_column``) naming both. ``as_of``: the
    day the ledger, risks and overdue items are taken at (default today). ``title``: the
    report's title (default from the scheme's name).

    Sections come only with their data: the ledger adds 整改进展 and 逾期事项, the meetings add
    “三会一课”. Needs matplotlib (``pip install 'rectify[plot]'``). Raises the library's errors
    (:class:`~rectify.SchemeError`, :class:`~rectify.DataError`, ...) for bad input.
    """
    inp = _load(
        scheme,
        data,
        ledger=ledger,
        meetings=meetings,
        branches=branches,
        period=period,
        survey=survey,
        risks=risks,
        documents=documents,
        template=template,
        as_of=as_of,
    )
    return _Report(inp, title).html()


def _write_text(path: PathLike, text: str) -> None:
    """Writes ``text`` to ``path`` atomically: a temporary file in the same folder, then
    os.replace, so a failure never leaves half a report (nor replaces an old one with it)."""
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write(path: PathLike, scheme: Any, data: Any, **kwargs: Any) -> None:
    """Builds the report (:func:`build`, same arguments) and writes it to ``path`` atomically."""
    _write_text(path, build(scheme, data, **kwargs))


# -- command line ---------------------------------------------------------------------------


def _date_arg(text: str) -> str:
    try:
        _day(text)
    except Error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    return text


def _month_arg(text: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a month (YYYY-MM)")
    return text


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="rectify report",
        description="Writes the report for leaders: one self-contained HTML file (summary, ranking with grades, "
        "each unit's lost points, rectification progress, overdue items, 三会一课) that prints on A4.",
        epilog="Exit status: 0 written, 1 invalid input (every problem on stderr, no file written), 2 bad usage.",
    )
    p.add_argument("scheme", metavar="SCHEME", help="scheme JSON (rectify.scheme/1)")
    p.add_argument("data", metavar="DATA", nargs="+", help="unit CSV files, joined on `unit`")
    p.add_argument("--out", required=True, metavar="FILE", help="the HTML file to write")
    p.add_argument("--ledger", metavar="L", help="rectification ledger (rectify.ledger/1): its inputs as of --as-of, "
                   "and the 整改进展 and 逾期事项 sections")
    p.add_argument("--meetings", metavar="M", help="三会一课 records CSV: its inputs and the 三会一课 section")
    p.add_argument("--from", dest="start", metavar="YYYY-MM", type=_month_arg,
                   help="first month of the meetings' period (default: January of --as-of's year)")
    p.add_argument("--to", dest="end", metavar="YYYY-MM", type=_month_arg,
                   help="last month of the meetings' period (default: --as-of's month)")
    p.add_argument("--branches", metavar="B", help="branches and party groups CSV for --meetings")
    p.add_argument("--survey", metavar="S", help="satisfaction survey CSV: its inputs")
    p.add_argument("--risks", metavar="R", help="risk register CSV: its inputs as of --as-of")
    p.add_argument("--documents", metavar="D", help="folder (or CSV) of documents to check for copying: its inputs")
    p.add_argument("--template", metavar="T", help="template text everyone may quote, for --documents")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", type=_date_arg,
                   help="the day of the ledger, risks and overdue items (default: today)")
    p.add_argument("--title", metavar="T", help="the report's title (default: from the scheme's name)")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``rectify-report``: 0 written, 1 invalid input (every problem on stderr), 2 bad usage."""
    p = _parser()
    try:
        a = p.parse_args(None if argv is None else list(argv))
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 after --help
        return int(exc.code) if isinstance(exc.code, int) else 2
    if (a.start or a.end or a.branches) and not a.meetings:
        p.print_usage(sys.stderr)
        print("rectify report: --from, --to and --branches need --meetings", file=sys.stderr)
        return 2
    if a.template and not a.documents:
        p.print_usage(sys.stderr)
        print("rectify report: --template needs --documents", file=sys.stderr)
        return 2
    period = None
    if a.meetings:
        day = _day(a.as_of)
        period = (a.start or f"{day.year}-01", a.end or f"{day.year}-{day.month:02d}")
        if period[0] > period[1]:
            print(f"rectify report: --from {period[0]} is after --to {period[1]}", file=sys.stderr)
            return 2
    try:
        text = build(
            a.scheme,
            a.data,
            ledger=a.ledger,
            meetings=a.meetings,
            branches=a.branches,
            period=period,
            survey=a.survey,
            risks=a.risks,
            documents=a.documents,
            template=a.template,
            as_of=a.as_of,
            title=a.title,
        )
        _write_text(a.out, text)
    except Error as exc:
        for line in [str(p) for p in exc.problems] or [str(exc)]:
            print(f"rectify: {line}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"rectify: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"rectify: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # python -m rectify.report
    sys.exit(main())
