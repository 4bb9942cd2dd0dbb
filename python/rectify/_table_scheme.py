"""A scheme from a 考核细则 table (``Scheme.from_table``, docs/guide.md).

Bureaus write their assessment rules as a table, one row per indicator: 一级指标, 二级指标, 分值
and the text of the rule. This module reads such a table (a DataFrame, a CSV or an ``.xlsx``
file) with a few machine columns added (the input each row reads and its rule), builds the
``rectify.scheme/1`` dict and hands it to :meth:`Scheme.from_json`, so that the scheme is
checked by the same checker as a JSON file. Problems of the table itself (a missing column, a
row without 分值, an unknown rule) and problems the checker finds are both reported by table
row and column (``scheme_table.csv:row 5:分值``), since the user edits the table, not the JSON.
"""

from __future__ import annotations

import csv
import difflib
import importlib.util
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

from . import _core
from ._errors import SchemeError

if TYPE_CHECKING:
    from ._scheme import Scheme

__all__ = ["COLUMNS", "RULES", "scheme_dict", "from_table"]

TableSource = Union[pd.DataFrame, str, "os.PathLike[str]"]

#: The columns a 考核细则 table may have: canonical name → accepted headers (Chinese first).
#: Headers are matched after removing white space and a trailing unit in brackets (``分值(分)``),
#: English ones case-insensitively.
COLUMNS: Dict[str, Tuple[str, ...]] = {
    "area": ("一级指标", "area"),
    "area_id": ("一级指标编号", "area_id"),
    "area_points": ("一级指标分值", "area_points"),
    "indicator": ("二级指标", "indicator"),
    "id": ("编号", "id"),
    "points": ("分值", "points"),
    "weight": ("权重", "weight"),
    "input": ("数据项", "input"),
    "rule": ("规则", "rule"),
    "worst": ("最差", "worst"),
    "best": ("最好", "best"),
    "levels": ("档次", "levels"),
    "count": ("扣分数据项", "count"),
    "per": ("每次扣分", "per"),
    "cap": ("扣分上限", "cap"),
    "deduction": ("扣分项", "deduction"),
    "above": ("超过", "above"),
    "max_grade": ("最高等次", "max_grade"),
}
#: Columns for people (the rule as written, remarks): accepted and not read.
TEXT_COLUMNS: Tuple[str, ...] = ("说明", "评分标准", "考核标准", "考核内容", "备注", "criteria", "note")

#: Rule names accepted in the 规则 column → the scheme's rule (steps split by direction).
RULES: Dict[str, str] = {
    "linear": "linear",
    "线性": "linear",
    "at_least": "at_least",
    "达到": "at_least",
    "at_most": "at_most",
    "不超过": "at_most",
    "piecewise": "piecewise",
    "分段": "piecewise",
    "check": "check",
    "是否": "check",
    "direct": "direct",
    "评分": "direct",
    "deduction": "deduction",
    "扣分": "deduction",
}
#: Values of 一级指标 that start the sections outside the indicator tree.
SECTIONS: Dict[str, str] = {
    "加分项": "bonus",
    "bonus": "bonus",
    "直接扣分": "penalty",
    "penalty": "penalty",
    "penalties": "penalty",
    "一票否决": "veto",
    "veto": "veto",
    "vetoes": "veto",
}
DEFAULT_GRADES: List[Dict[str, Any]] = [
    {"name": "优秀", "min": 90},
    {"name": "良好", "min": 80},
    {"name": "合格", "min": 60},
    {"name": "不合格"},
]
_HEADER_SEARCH = 10  # rows searched for the header (title rows above it are usual in exports)


def _key(header: str) -> str:
    h = re.sub(r"\s+", "", header)
    h = re.sub(r"[（(][^（()）]*[)）]$", "", h)
    return h.lower()


_ALIASES: Dict[str, str] = {_key(a): canon for canon, names in COLUMNS.items() for a in names}
_TEXT: frozenset[str] = frozenset(_key(a) for a in TEXT_COLUMNS)


@dataclass
class _Table:
    """The cells of the table as stripped texts, with how to name a cell in messages."""

    source: str  # file name, or "DataFrame"
    headers: List[str]  # as written
    rows: List[List[str]]
    row_numbers: List[int]  # per data row: 1-based sheet row (files) or iloc (DataFrame)
    sheet: Optional[str] = None  # xlsx sheet name: cells are named Sheet!B3

    def place(self, r: int, column: Optional[int]) -> str:
        n = self.row_numbers[r]
        if self.sheet is not None and column is not None:
            return f"{self.source}:{self.sheet}!{_letters(column)}{n}"
        where = f"{self.source}:row {n}"
        return where if column is None else f"{where}:{self.headers[column]}"


def _letters(column: int) -> str:
    s, k = "", column + 1
    while k:
        k, rem = divmod(k - 1, 26)
        s = chr(ord("A") + rem) + s
    return s


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:  # NaN: an empty cell
            return ""
        return repr(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v).strip()


def _find_header(grid: List[List[str]]) -> int:
    """The first of the top rows naming both an indicator column and 分值/权重."""
    for i, row in enumerate(grid[:_HEADER_SEARCH]):
        names = {_ALIASES.get(_key(c)) for c in row if c}
        if "indicator" in names and names & {"points", "weight"}:
            return i
    return 0


def _read(table: TableSource, sheet: Optional[str], encoding: str) -> _Table:
    if isinstance(table, pd.DataFrame):
        headers = [str(c).strip() for c in table.columns]
        rows = [[_cell_text(v) for v in rec] for rec in table.itertuples(index=False, name=None)]
        return _Table("DataFrame", headers, rows, list(range(len(rows))))
    if not isinstance(table, (str, os.PathLike)):
        raise TypeError(f"Scheme.from_table takes a DataFrame or a path, not {type(table).__name__}")
    path = os.fspath(table)
    sheet_name: Optional[str] = None
    grid: List[List[str]]
    if path.lower().endswith((".xlsx", ".xlsm")):
        if importlib.util.find_spec("openpyxl") is None:  # pragma: no cover - depends on the environment
            raise ImportError("reading .xlsx needs openpyxl: pip install 'rectify[excel]'")
        sheets = pd.read_excel(path, sheet_name=None if sheet is None else [sheet], header=None, dtype=object)
        first, raw = next(iter(sheets.items()))
        sheet_name = str(first)
        grid = [[_cell_text(v) for v in rec] for rec in raw.itertuples(index=False, name=None)]
    else:
        # Excel's "CSV UTF-8" starts with a byte-order mark: read it as part of the encoding.
        enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        with open(path, encoding=enc, newline="") as f:
            grid = [[c.strip() for c in rec] for rec in csv.reader(f)]
    h = _find_header(grid)
    headers = grid[h] if grid else []
    body = grid[h + 1 :]
    # Sheet rows are 1-based and count the header and the rows above it.
    return _Table(path, headers, body, [h + 2 + k for k in range(len(body))], sheet=sheet_name)


def _number(text: str) -> float:
    t = text.strip().rstrip("分").strip()
    if t.endswith("%"):
        return float(t[:-1]) / 100.0
    return float(t)


def _as_json_number(x: float) -> Union[int, float]:
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


@dataclass
class _Builder:
    t: _Table
    problems: List[_core.Problem] = field(default_factory=list)
    cols: Dict[str, int] = field(default_factory=dict)
    places: Dict[str, str] = field(default_factory=dict)  # JSON pointer → table place

    def fail(self, rule: str, r: Optional[int], column: Optional[str], message: str) -> None:
        if r is None:
            where = self.t.source
        else:
            where = self.t.place(r, self.cols.get(column) if column else None)
        self.problems.append(_core.Problem(code=f"rectify.scheme.table.{rule}", path=where, message=message))

    def header(self, canon: str) -> str:
        j = self.cols.get(canon)
        return self.t.headers[j] if j is not None else COLUMNS[canon][0]

    def cell(self, r: int, canon: str) -> str:
        j = self.cols.get(canon)
        if j is None or j >= len(self.t.rows[r]):
            return ""
        return self.t.rows[r][j]

    def num(self, r: int, canon: str) -> Optional[float]:
        text = self.cell(r, canon)
        if not text:
            return None
        try:
            value = _number(text)
        except ValueError:
            self.fail("bad_number", r, canon, f"{text!r} is not a number")
            return None
        if value != value or value in (float("inf"), float("-inf")):
            self.fail("bad_number", r, canon, f"{text!r} is not a finite number")
            return None
        return value

    def mark(self, pointer: str, r: int, canon: Optional[str] = None) -> None:
        self.places[pointer] = self.t.place(r, self.cols.get(canon) if canon else None)

    # -- columns ------------------------------------------------------------------------------

    def map_columns(self) -> bool:
        known = sorted(set(_ALIASES) | set(_TEXT))
        for j, h in enumerate(self.t.headers):
            if not h:
                if any(j < len(row) and row[j] for row in self.t.rows):
                    self.fail("unknown_column", None, None, f"column {_letters(j)} has values but no header")
                continue
            k = _key(h)
            if k in _TEXT:
                continue
            canon = _ALIASES.get(k)
            if canon is None:
                close = difflib.get_close_matches(k, known, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.fail("unknown_column", None, None, f"unknown column {h!r}{hint}")
                continue
            if canon in self.cols:
                self.fail("duplicate_column", None, None, f"columns {self.t.headers[self.cols[canon]]!r} and {h!r} are the same column")
                continue
            self.cols[canon] = j
        for r, row in enumerate(self.t.rows):
            if len(row) > len(self.t.headers) and any(row[len(self.t.headers) :]):
                self.fail("bad_row", r, None, f"the row has {len(row)} cells but the header has {len(self.t.headers)}")
        missing = [COLUMNS[c][0] for c in ("area", "indicator") if c not in self.cols]
        if "points" not in self.cols and "weight" not in self.cols:
            missing.append(COLUMNS["points"][0])
        for name in missing:
            self.fail("missing_column", None, None, f"no column {name!r} (headers: {', '.join(h for h in self.t.headers if h)})")
        return not self.problems  # a column problem makes every row wrong: report it alone

    # -- rows -----------------------------------------------------------------------------------

    def deduction(self, r: int, leaf_name: str, rule_less_input: bool) -> Optional[Dict[str, Any]]:
        count = self.cell(r, "count")
        if not count and rule_less_input:
            count = self.cell(r, "input")
        if not count:
            return None
        d: Dict[str, Any] = {"input": count}
        per = self.num(r, "per")
        if per is None:
            if not self.cell(r, "per"):
                self.fail("missing_value", r, "per", f"the deduction {count!r} needs {self.header('per')}")
        else:
            d["per"] = _as_json_number(per)
        cap = self.num(r, "cap")
        if cap is not None:
            d["cap"] = _as_json_number(cap)
        d["name"] = self.cell(r, "deduction") or leaf_name
        return d

    def rule(self, r: int, kind: str) -> Optional[Dict[str, Any]]:
        for canon, allowed in (("worst", ("linear",)), ("best", ("linear",)), ("levels", ("at_least", "at_most", "piecewise"))):
            if self.cell(r, canon) and kind not in allowed:
                self.fail("bad_value", r, canon, f"{self.header(canon)} is only for the rule {' or '.join(allowed)}, not {kind}")
        if kind == "linear":
            out: Dict[str, Any] = {"type": "linear"}
            for canon in ("worst", "best"):
                v = self.num(r, canon)
                if v is None and not self.cell(r, canon):
                    self.fail("missing_value", r, canon, f"the rule linear needs {self.header(canon)}")
                elif v is not None:
                    out[canon] = _as_json_number(v)
            return out
        if kind in ("at_least", "at_most", "piecewise"):
            text = self.cell(r, "levels")
            if not text:
                self.fail("missing_value", r, "levels", f"the rule {kind} needs {self.header('levels')} (e.g. 0.8:0.6; 0.9:1)")
                return None
            pairs: List[List[Union[int, float]]] = []
            for part in re.split(r"[;；\n]+", text):
                if not part.strip():
                    continue
                xy = re.split(r"\s*[:：→]\s*", part.strip())
                try:
                    if len(xy) != 2:
                        raise ValueError(part)
                    pairs.append([_as_json_number(_number(xy[0])), _as_json_number(_number(xy[1]))])
                except ValueError:
                    self.fail("bad_value", r, "levels", f"{part.strip()!r} is not 'value:fraction' (levels are written 0.8:0.6; 0.9:1)")
                    return None
            if kind == "piecewise":
                return {"type": "piecewise", "points": pairs}
            return {"type": "steps", kind: pairs}
        return {"type": kind}

    def leaf(self, r: int, area_id: str, k: int) -> Dict[str, Any]:
        name = self.cell(r, "indicator")
        node: Dict[str, Any] = {"id": self.cell(r, "id") or f"{area_id}.{k}"}
        if name:
            node["name"] = name
        points, weight = self.num(r, "points"), self.num(r, "weight")
        if self.cell(r, "points") and self.cell(r, "weight"):
            self.fail("conflict", r, "weight", f"give {self.header('points')} or {self.header('weight')}, not both")
        elif points is not None:
            node["points"] = _as_json_number(points)
        elif weight is not None:
            node["weight"] = _as_json_number(weight)
        elif not self.cell(r, "points") and not self.cell(r, "weight"):
            given = [self.header(c) for c in ("points", "weight") if c in self.cols]
            self.fail("missing_value", r, "points" if "points" in self.cols else "weight", f"the indicator {name!r} has no {' or '.join(given)}")
        rule_text = self.cell(r, "rule")
        kind = RULES.get(rule_text.lower(), RULES.get(rule_text)) if rule_text else "deduction"
        if kind is None:
            names = ", ".join(sorted({k for k in RULES if k.isascii()}))
            self.fail("unknown_rule", r, "rule", f"unknown rule {rule_text!r} (one of {names}, or their Chinese names)")
            return node
        rule_less = kind == "deduction"
        if not rule_less:
            if self.cell(r, "input"):
                node["input"] = self.cell(r, "input")
            rule = self.rule(r, kind)
            if rule is not None:
                node["rule"] = rule
        d = self.deduction(r, name, rule_less)
        if d is not None:
            node["deductions"] = [d]
        elif rule_less:
            self.fail("missing_value", r, "rule", f"the indicator {name!r} has no {self.header('rule')} and no deduction ({self.header('count')})")
        return node

    def item(self, r: int, section: str, k: int) -> Dict[str, Any]:
        """A bonus item, a penalty or a veto."""
        name = self.cell(r, "indicator")
        out: Dict[str, Any] = {"id": self.cell(r, "id") or f"{section}.{k}"}
        if name:
            out["name"] = name
        source = self.cell(r, "input") or self.cell(r, "count")
        if not source:
            self.fail("missing_value", r, "input" if "input" in self.cols else "count", f"the {section} {name!r} needs {self.header('input')}")
        out["input"] = source
        if section == "veto":
            above = self.num(r, "above")
            out["above"] = 0 if above is None else _as_json_number(above)
            grade = self.cell(r, "max_grade")
            if grade:
                out["max_grade"] = grade
            return out
        per = self.num(r, "per")
        if per is None:
            if not self.cell(r, "per"):
                self.fail("missing_value", r, "per", f"the {section} {name!r} needs {self.header('per')}")
        else:
            out["per"] = _as_json_number(per)
        cap = self.num(r, "cap")
        if cap is not None:
            out["cap"] = _as_json_number(cap)
        return out


def _grades(grades: Any) -> List[Dict[str, Any]]:
    if grades is None:
        return [dict(g) for g in DEFAULT_GRADES]
    if isinstance(grades, Mapping):
        return [{"name": str(n)} if m is None else {"name": str(n), "min": m} for n, m in grades.items()]
    return [dict(g) for g in grades]


def scheme_dict(
    table: TableSource,
    *,
    id: str,
    name: str = "",
    total: float = 100,
    grades: Any = None,
    missing: str = "error",
    bonus: Optional[Mapping[str, Any]] = None,
    penalties: Optional[Sequence[Mapping[str, Any]]] = None,
    vetoes: Optional[Sequence[Mapping[str, Any]]] = None,
    sheet: Optional[str] = None,
    encoding: str = "utf-8",
) -> Tuple[Dict[str, Any], Dict[str, str], str]:
    """The ``rectify.scheme/1`` dict of a 考核细则 table, the table place of each JSON pointer
    and the source name. Raises :class:`SchemeError` listing every problem of the table."""
    t = _read(table, sheet, encoding)
    b = _Builder(t)
    if not b.map_columns():
        raise SchemeError._from_problems(b.problems)

    areas: Dict[str, Dict[str, Any]] = {}  # key (area id or name) → area being built
    area_rows: Dict[str, List[Tuple[int, Dict[str, Any]]]] = {}
    sections: Dict[str, List[Tuple[int, Dict[str, Any]]]] = {"bonus": [], "penalty": [], "veto": []}
    bonus_cap: Optional[Tuple[int, float]] = None
    current: Optional[str] = None  # area key of the row above
    current_area_text = ""
    last_leaf: Optional[Dict[str, Any]] = None
    name_to_key: Dict[str, str] = {}

    for r, row in enumerate(t.rows):
        if not any(row):
            continue
        area_text = b.cell(r, "area")
        if area_text:
            current_area_text = area_text
        elif current_area_text:
            area_text = current_area_text  # a merged cell, or the area written once
        else:
            b.fail("missing_value", r, "area", f"the row has no {b.header('area')}")
            continue
        section = SECTIONS.get(area_text.lower(), SECTIONS.get(area_text))
        if section is not None:
            current, last_leaf = None, None
            if section == "bonus":
                cap = b.num(r, "area_points")
                if cap is not None:
                    if bonus_cap is not None and bonus_cap[1] != cap:
                        b.fail("conflict", r, "area_points", f"the bonus cap is {bonus_cap[1]:g} on an earlier row")
                    bonus_cap = (r, cap)
            sections[section].append((r, b.item(r, section, len(sections[section]) + 1)))
            continue

        given_id = b.cell(r, "area_id")
        key = given_id or name_to_key.get(area_text) or area_text
        if given_id and area_text in name_to_key and name_to_key[area_text] != given_id:
            b.fail("conflict", r, "area_id", f"the area {area_text!r} has the id {name_to_key[area_text]!r} on an earlier row")
            key = name_to_key[area_text]
        name_to_key.setdefault(area_text, key)
        area = areas.get(key)
        if area is None:
            area = {"id": given_id, "name": area_text, "first": r, "points": None}
            areas[key] = area
            area_rows[key] = []
        elif given_id and not area["id"]:
            area["id"] = given_id
        pts = b.num(r, "area_points")
        if pts is not None:
            if area["points"] is not None and area["points"][1] != pts:
                b.fail("conflict", r, "area_points", f"the area {area_text!r} has {area['points'][1]:g} points on an earlier row")
            else:
                area["points"] = (r, pts)

        continues = not (b.cell(r, "indicator") or b.cell(r, "id") or b.cell(r, "points") or b.cell(r, "weight"))
        if continues:
            if last_leaf is None or current != key:
                b.fail("missing_value", r, "indicator", f"the row has no {b.header('indicator')}")
                continue
            d = b.deduction(r, str(last_leaf.get("name", last_leaf["id"])), "rule" not in last_leaf)
            if d is None:
                b.fail("missing_value", r, "indicator", f"the row has no {b.header('indicator')} and no deduction ({b.header('count')})")
                continue
            last_leaf.setdefault("deductions", []).append(d)
            area_rows[key].append((r, {"_continues": True, "_deduction": len(last_leaf["deductions"]) - 1}))
            continue
        current = key
        # Ids are generated once the area's id is known (below): keep the row for now.
        area_rows[key].append((r, {}))
        last_leaf = area_rows[key][-1][1]
        last_leaf.update(b.leaf(r, "\0", sum(1 for _, n in area_rows[key] if "_continues" not in n)))

    indicators: List[Dict[str, Any]] = []
    for k, (key, area) in enumerate(areas.items(), start=1):
        area_id = area["id"] or f"a{k}"
        i = len(indicators)
        pointer = f"/indicators/{i}"
        b.mark(pointer, area["first"], "area")
        b.mark(pointer + "/id", area["first"], "area_id" if area["id"] else "area")
        children: List[Dict[str, Any]] = []
        for r, node in area_rows[key]:
            if "_continues" in node:
                c = len(children) - 1
                j = node["_deduction"]
                dp = f"{pointer}/children/{c}/deductions/{j}"
                b.mark(dp, r, "count")
                for key_, canon in (("input", "count"), ("per", "per"), ("cap", "cap"), ("name", "deduction")):
                    b.mark(f"{dp}/{key_}", r, canon)
                continue
            if node["id"].startswith("\0."):
                node["id"] = area_id + node["id"][1:]
            c = len(children)
            children.append(node)
            cp = f"{pointer}/children/{c}"
            b.mark(cp, r, "indicator")
            for key_, canon in (("id", "id"), ("name", "indicator"), ("points", "points"), ("weight", "weight"),
                                ("input", "input"), ("rule", "rule"), ("rule/worst", "worst"), ("rule/best", "best"),
                                ("rule/at_least", "levels"), ("rule/at_most", "levels"), ("rule/points", "levels"),
                                ("deductions", "count")):
                b.mark(f"{cp}/{key_}", r, canon)
            b.mark(f"{cp}/deductions/0", r, "count")
            for key_, canon in (("input", "count" if "rule" in node else "input"), ("per", "per"), ("cap", "cap"), ("name", "deduction")):
                b.mark(f"{cp}/deductions/0/{key_}", r, canon)
        if area["points"] is not None:
            points: Optional[float] = area["points"][1]
            b.mark(pointer + "/points", area["points"][0], "area_points")
        elif any("weight" in c for c in children):
            b.fail("missing_value", area["first"], "area_points",
                   f"the area {area['name']!r} gives its indicators {b.header('weight')}, so it needs {b.header('area_points')}")
            points = None
        else:
            points = sum(float(c.get("points", 0)) for c in children)
            b.mark(pointer + "/points", area["first"], "points")
        out: Dict[str, Any] = {"id": area_id, "name": area["name"]}
        if points is not None:
            out["points"] = _as_json_number(points)
        out["children"] = children
        indicators.append(out)
    if not indicators and not b.problems:
        b.fail("empty", None, None, "the table has no indicator rows")

    scheme: Dict[str, Any] = {"format": "rectify.scheme/1", "id": id}
    if name:
        scheme["name"] = name
    scheme.update({"total": _as_json_number(float(total)), "missing": missing, "indicators": indicators})

    items = [it for _, it in sections["bonus"]] + list((bonus or {}).get("items", []))
    cap_arg = (bonus or {}).get("cap")
    if bonus_cap is not None and cap_arg is not None and float(cap_arg) != bonus_cap[1]:
        b.fail("conflict", bonus_cap[0], "area_points", f"the bonus cap is {bonus_cap[1]:g} here and {cap_arg} in bonus=")
    if items or bonus is not None:
        bonus_section: Dict[str, Any] = {}
        cap_value = cap_arg if cap_arg is not None else (_as_json_number(bonus_cap[1]) if bonus_cap else None)
        if cap_value is not None:
            bonus_section["cap"] = cap_value
        bonus_section["items"] = items
        scheme["bonus"] = bonus_section
        if bonus_cap is not None:
            b.mark("/bonus/cap", bonus_cap[0], "area_points")
    for j, (r, _) in enumerate(sections["bonus"]):
        _mark_item(b, f"/bonus/items/{j}", r, veto=False)
    pens = [it for _, it in sections["penalty"]] + [dict(p) for p in penalties or []]
    if pens:
        scheme["penalties"] = pens
    for j, (r, _) in enumerate(sections["penalty"]):
        _mark_item(b, f"/penalties/{j}", r, veto=False)
    vets = [it for _, it in sections["veto"]] + [dict(v) for v in vetoes or []]
    grade_list = _grades(grades)
    for v in vets:
        if "max_grade" not in v and grade_list and "name" in grade_list[-1]:
            v["max_grade"] = grade_list[-1]["name"]  # 一票否决: the lowest grade unless said
    if vets:
        scheme["vetoes"] = vets
    for j, (r, _) in enumerate(sections["veto"]):
        _mark_item(b, f"/vetoes/{j}", r, veto=True)
    scheme["grades"] = grade_list
    if b.problems:
        raise SchemeError._from_problems(b.problems)
    return scheme, b.places, t.source


def _mark_item(b: _Builder, pointer: str, r: int, *, veto: bool) -> None:
    b.mark(pointer, r, "indicator")
    keys = (("id", "id"), ("name", "indicator"), ("input", "input"))
    more = (("above", "above"), ("max_grade", "max_grade")) if veto else (("per", "per"), ("cap", "cap"))
    for key, canon in keys + more:
        b.mark(f"{pointer}/{key}", r, canon)


def _placed(problem: _core.Problem, places: Mapping[str, str]) -> _core.Problem:
    """The checker's problem at the table cell its JSON pointer came from (the pointer itself
    stays in the message, for those who read the JSON)."""
    pointer = problem.path
    probe = pointer
    while probe:
        if probe in places:
            return _core.Problem(code=problem.code, path=places[probe], message=f"{problem.message} ({pointer})")
        probe = probe.rsplit("/", 1)[0]
    return problem


def from_table(cls: "type[Scheme]", table: TableSource, **options: Any) -> "Scheme":
    """Builds the scheme of a 考核细则 table (see :meth:`Scheme.from_table`)."""
    scheme, places, _source = scheme_dict(table, **options)
    result = cls.from_json(scheme)
    problems = result.validate()
    if problems:
        raise SchemeError._from_problems(_placed(p, places) for p in problems)
    return result
