"""Excel in and out: :func:`read_units` reads the unit × input table from a CSV file or an
Excel workbook; :func:`write_result` (``Result.to_excel``) writes a scored cohort as a workbook
an analyst can hand on.

Workbooks come from people, not programs: a title above the header, 是/否 for yes/no, numbers
typed as text, percentages, blank rows. Those are read as what they mean. What cannot be read
with certainty (merged cells, text where a number belongs, a formula Excel never computed) is
an error naming the cell as Excel does (``Sheet!C5``), every problem at once, as the CSV reader
does. openpyxl is imported only here, and only when a workbook is read or written.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import tempfile
import unicodedata
import zipfile
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union, cast

import numpy as np
import pandas as pd

from . import _core
from ._errors import DataError
from ._io import read_units_csv
from ._warnings import ignoring

if TYPE_CHECKING:
    from ._result import Result

__all__ = ["read_units", "write_result"]

PathLike = Union[str, "os.PathLike[str]"]

_MAX_PROBLEMS = 100  # then one "... and N more" line, as the other readers do
_HEADER_ROWS = 20  # the header row must be among the first this many rows
_UNIT_NAMES = ("unit", "单位编号", "单位")  # in order of preference; "unit" in any case
_SPACE = " \t\r\n\u3000\u00a0"  # what is trimmed around a cell, full-width and no-break spaces too
_TRUE = frozenset({"是", "有", "yes", "true", "√", "✓", "✔"})
_FALSE = frozenset({"否", "无", "no", "false", "×", "✗", "✘"})
_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER_RE = re.compile(_NUMBER + r"\Z")
_PERCENT_RE = re.compile(r"(" + _NUMBER + r")[ \t]*[%％]\Z")
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[ >/]")  # a <f> element in a sheet's XML
_ACCEPTED = "a number, a percentage, 是/否, 有/无, yes/no, true/false, √/× or empty"


def _openpyxl() -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]
    except ImportError as exc:  # pragma: no cover - openpyxl is installed with the excel extra
        raise ImportError(
            "reading and writing Excel workbooks needs openpyxl: pip install 'rectify[excel]'"
        ) from exc
    return openpyxl


def _problem(code: str, path: str, message: str, source: str) -> _core.Problem:
    return _core.Problem(code=code, path=path, message=message, source=source)


def _fail(code: str, message: str, source: str, path: str = "") -> DataError:
    return cast(DataError, DataError._from_problems([_problem(code, path, message, source)]))


class _Problems:
    """Every problem of one workbook, up to ``_MAX_PROBLEMS``, then a count of the rest."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: List[_core.Problem] = []
        self.total = 0

    def add(self, code: str, path: str, message: str) -> None:
        self.total += 1
        if len(self.items) < _MAX_PROBLEMS:
            self.items.append(_problem(code, path, message, self.source))

    def raise_any(self) -> None:
        if not self.total:
            return
        items = list(self.items)
        if self.total > len(items):
            more = self.total - len(items)
            items.append(_problem("rectify.data.more", "", f"... and {more} more problems of the same kinds", self.source))
        raise DataError._from_problems(items)


# -- reading --------------------------------------------------------------------------------


def read_units(path: PathLike, *, sheet: Union[str, int, None] = None, encoding: str = "utf-8") -> pd.DataFrame:
    """Reads the unit data (one row per unit, one column per input) from a CSV file or an
    Excel workbook, as :meth:`Scheme.score` takes it.

    Returns a float64 DataFrame indexed by ``unit`` with one column per input, in file order;
    missing cells are NaN. By the file's extension:

    - ``.csv``: the library's own reader (:func:`rectify.read_units_csv`, as the command line
      reads it), with ``encoding`` ``"utf-8"`` (a byte-order mark is fine), ``"gbk"`` or
      ``"gb18030"``; ``sheet`` must be None.
    - ``.xlsx`` / ``.xlsm``: the sheet ``sheet`` (a name, or a 0-based position; None = the
      first sheet), with the values Excel last computed for formulas. The header row is the
      first of the first 20 rows with a cell ``unit`` (trimmed, any case), ``单位编号`` or
      ``单位``, which names the unit column; rows above it (a title) are ignored, and so are
      blank rows and columns. 是/否, 有/无, yes/no, true/false, √/× and Excel's TRUE/FALSE
      read as 1/0, numbers typed as text (``" 3.5 "``) as numbers, ``"95%"`` as 0.95.

    Raises :class:`~rectify.DataError` listing every problem (up to 100), each naming the file
    and the cell (``Sheet!C5``): ``rectify.data.merged_header`` / ``merged_cells`` (unmerge
    them), ``bad_cell`` (text that is not a number, an Excel error such as ``#DIV/0!``, a
    date), ``uncached_formula`` (a formula Excel never computed: open and save the file in
    Excel), ``duplicate_unit``, ``empty_unit``, ``duplicate_column`` (a header twice, or data
    under an empty header), ``no_unit_column``, ``empty``, ``no_sheet``; ``format`` for a file
    type it does not read (``.xls``: save it as ``.xlsx``) or a broken workbook; ``rectify.io.open``
    for a file that cannot be read. ``encoding`` is ignored for workbooks.
    """
    p = os.fspath(path)
    ext = os.path.splitext(p)[1].lower()
    if ext == ".csv":
        if sheet is not None:
            raise ValueError(f"sheet= applies to Excel workbooks; {p} is a CSV file")
        return read_units_csv(p, encoding=encoding)
    if ext in (".xlsx", ".xlsm"):
        return _read_workbook(p, sheet)
    if ext == ".xls":
        raise _fail(
            "rectify.data.format",
            "the old Excel 97-2003 .xls format is not read; open the file in Excel and save it as "
            "\"Excel Workbook (*.xlsx)\" (or as \"CSV UTF-8\")",
            p,
        )
    shown = _core.quoted(ext) if ext else "no extension"
    raise _fail(
        "rectify.data.format",
        f"unsupported file type ({shown}): unit data is read from .csv, .xlsx or .xlsm files",
        p,
    )


class _Uncached:
    """Stands for a formula cell that has no value stored (Excel never computed it)."""


_UNCACHED = _Uncached()


class _ExcelError:
    """An Excel error value such as ``#DIV/0!`` or ``#N/A`` in a cell."""

    def __init__(self, text: str) -> None:
        self.text = text


def _sheet_ref(sheet: str) -> str:
    """The sheet's name as Excel writes it in a reference: quoted unless a plain word."""
    if re.fullmatch(r"[^\W\d]\w*", sheet) and not re.fullmatch(r"[A-Za-z]{1,3}[0-9]+", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip(_SPACE))


def _text(v: Any) -> str:
    """A header or unit-id cell as text: trimmed; whole numbers without ``.0``."""
    if isinstance(v, str):
        return v.strip(_SPACE)
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, _ExcelError):
        return v.text
    return str(v)


def _value(v: Any) -> Tuple[float, str]:
    """The number a data cell holds, or NaN and the reason it holds none (``""`` if it does)."""
    if v is None:
        return math.nan, ""
    if isinstance(v, bool):
        return (1.0 if v else 0.0), ""
    if isinstance(v, (int, float)):
        x = float(v)
        return (x, "") if math.isfinite(x) else (math.nan, f"{v!r} is not a finite number")
    if isinstance(v, str):
        s = v.strip(_SPACE)
        if not s:
            return math.nan, ""
        low = s.casefold()
        if low in _TRUE:
            return 1.0, ""
        if low in _FALSE:
            return 0.0, ""
        if _NUMBER_RE.match(s):
            x = float(s)
            if math.isfinite(x):
                return x, ""
            return math.nan, f"{_core.quoted(s)} is out of the range of a double"
        m = _PERCENT_RE.match(s)
        if m:
            x = float(m.group(1)) / 100.0
            if math.isfinite(x):
                return x, ""
        hint = " (write numbers without thousands separators)" if "," in s or "，" in s else ""
        return math.nan, f"{_core.quoted(s)} is not {_ACCEPTED}{hint}"
    if isinstance(v, _ExcelError):
        return math.nan, f"the cell holds the Excel error {v.text}; fix the formula or enter a value"
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
        return math.nan, f"the cell holds a date or time ({v}), not a number"
    return math.nan, f"{v!r} is not {_ACCEPTED}"


def _has_formulas(path: str) -> bool:
    """Whether any sheet of the workbook has a formula (a cheap look at the XML, so that the
    second load that finds formulas without values is only made when there are formulas)."""
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with z.open(name) as f:
                        if _FORMULA_RE.search(f.read()):
                            return True
    except (OSError, zipfile.BadZipFile):
        return True  # let the real load report it
    return False


def _load(openpyxl: Any, path: str, data_only: bool) -> Any:
    # openpyxl warns about workbook features it drops (data validation extensions,
    # slicers, a missing default style): none of them changes a cell's value.
    with ignoring(UserWarning):
        try:
            return openpyxl.load_workbook(path, data_only=data_only)
        except OSError as exc:
            raise _fail("rectify.io.open", f"cannot read the file: {exc.strerror or exc}", path) from exc
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise _fail(
                "rectify.data.format",
                f"not a readable .xlsx workbook ({type(exc).__name__}: {exc}); open it in Excel and "
                "save it as \"Excel Workbook (*.xlsx)\"",
                path,
            ) from exc


def _pick_sheet(wb: Any, sheet: Union[str, int, None], path: str) -> Tuple[int, Any]:
    sheets = list(wb.worksheets)
    names = ", ".join(_core.quoted(ws.title) for ws in sheets)
    if sheet is None:
        if not sheets:
            raise _fail("rectify.data.empty", "the workbook has no worksheet", path)
        return 0, sheets[0]
    if isinstance(sheet, bool) or not isinstance(sheet, (str, int)):
        raise TypeError(f"sheet must be a sheet name, a 0-based position or None, not {type(sheet).__name__}")
    if isinstance(sheet, int):
        if 0 <= sheet < len(sheets):
            return sheet, sheets[sheet]
        raise _fail(
            "rectify.data.no_sheet",
            f"no sheet at position {sheet} (0-based); the workbook has {len(sheets)}: {names}",
            path,
        )
    for i, ws in enumerate(sheets):
        if ws.title == sheet:
            return i, ws
    raise _fail("rectify.data.no_sheet", f"no sheet named {_core.quoted(sheet)}; the workbook has {names}", path)


def _cells(ws: Any) -> Dict[Tuple[int, int], Any]:
    """The non-blank cells of a sheet by (row, column), Excel errors wrapped in _ExcelError."""
    out: Dict[Tuple[int, int], Any] = {}
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if _is_blank(v):
                continue
            if c.data_type == "e":
                v = _ExcelError(str(v))
            out[(c.row, c.column)] = v
    return out


def _uncached(path: str, openpyxl: Any, index: int, values: Dict[Tuple[int, int], Any], ws: Any) -> Set[Tuple[int, int]]:
    """Cells holding a formula whose value was never stored (value None when read data_only)."""
    if not _has_formulas(path):
        return set()
    formulas = _load(openpyxl, path, data_only=False).worksheets[index]
    found: Set[Tuple[int, int]] = set()
    for row in formulas.iter_rows():
        for c in row:
            if c.data_type == "f" and (c.row, c.column) not in values:
                if ws.cell(row=c.row, column=c.column).value is None:
                    found.add((c.row, c.column))
    return found


def _header_row(cells: Dict[Tuple[int, int], Any]) -> Optional[Tuple[int, int]]:
    """(row, unit column) of the first row, among the first _HEADER_ROWS, naming a unit column."""
    rows: Dict[int, Dict[str, int]] = {}
    for (r, c), v in sorted(cells.items()):
        if r > _HEADER_ROWS or isinstance(v, (_Uncached, _ExcelError)):
            continue
        key = _text(v)
        key = "unit" if key.casefold() == "unit" else key
        if key in _UNIT_NAMES:
            rows.setdefault(r, {}).setdefault(key, c)
    if not rows:
        return None
    r = min(rows)
    for name in _UNIT_NAMES:
        if name in rows[r]:
            return r, rows[r][name]
    return None  # pragma: no cover - rows[r] holds at least one of the names


def _read_workbook(path: str, sheet: Union[str, int, None]) -> pd.DataFrame:
    openpyxl = _openpyxl()
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

    if not os.path.exists(path):
        raise _fail("rectify.io.open", "cannot read the file: No such file or directory", path)
    if os.path.isdir(path):
        raise _fail("rectify.io.open", "cannot read the file: it is a folder", path)
    wb = _load(openpyxl, path, data_only=True)
    index, ws = _pick_sheet(wb, sheet, path)
    title = str(ws.title)
    sref = _sheet_ref(title)

    def at(r: int, c: int) -> str:
        return f"{sref}!{get_column_letter(c)}{r}"

    cells = _cells(ws)
    for rc in _uncached(path, openpyxl, index, cells, ws):
        cells[rc] = _UNCACHED
    if not cells:
        raise _fail(
            "rectify.data.empty",
            f"the sheet {_core.quoted(title)} is empty: expected a header row with a \"unit\" column",
            path,
        )
    found = _header_row(cells)
    if found is None:
        raise _fail(
            "rectify.data.no_unit_column",
            f"no header row with a \"unit\" column (or 单位编号, 单位) in the first {_HEADER_ROWS} rows of "
            f"the sheet {_core.quoted(title)}; name the column of unit ids \"unit\"",
            path,
        )
    hrow, ucol = found

    problems = _Problems(path)
    merged_header = False
    covered: Set[Tuple[int, int]] = set()
    for rng in sorted(ws.merged_cells.ranges, key=lambda g: (g.min_row, g.min_col)):
        ref = f"{sref}!{rng.coord}"
        if rng.min_row <= hrow <= rng.max_row:
            merged_header = True
            problems.add(
                "rectify.data.merged_header",
                ref,
                "merged cells in the header row; unmerge them (Home > Merge & Center > Unmerge Cells) "
                "and give each column a header of its own",
            )
        elif rng.min_row > hrow:
            problems.add(
                "rectify.data.merged_cells",
                ref,
                "merged cells in the data; unmerge them and fill in every cell (each row is one unit)",
            )
            covered.update((r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1))
    if merged_header:
        problems.raise_any()  # the columns cannot be told apart: nothing else is worth reporting

    header = {c: v for (r, c), v in cells.items() if r == hrow}
    body_cols = {c for (r, c) in cells if r > hrow}
    columns: List[int] = []
    names: List[str] = []
    first_at: Dict[str, int] = {}
    for c in sorted(set(header) | body_cols):
        if c == ucol:
            continue
        v = header.get(c)
        if v is _UNCACHED:
            problems.add("rectify.data.uncached_formula", at(hrow, c), _UNCACHED_MESSAGE)
            continue
        name = "" if v is None else _text(v)
        if not name:
            problems.add(
                "rectify.data.duplicate_column",
                at(hrow, c),
                f"column {get_column_letter(c)} has data but no header; name the input or delete the column",
            )
            continue
        if name in first_at:
            problems.add(
                "rectify.data.duplicate_column",
                at(hrow, c),
                f"column {_core.quoted(name)} appears twice ({at(hrow, first_at[name])} and {at(hrow, c)})",
            )
            continue
        first_at[name] = c
        columns.append(c)
        names.append(name)

    rows_by_index: Dict[int, List[int]] = {}
    for r, c in cells:
        if r > hrow:
            rows_by_index.setdefault(r, []).append(c)
    units: List[str] = []
    unit_row: Dict[str, int] = {}
    data: List[List[float]] = []
    for r in sorted(rows_by_index):
        uv = cells.get((r, ucol))
        if uv is None:
            if (r, ucol) in covered:
                continue  # reported as merged cells
            filled = min(c for c in rows_by_index[r])
            problems.add(
                "rectify.data.empty_unit",
                at(r, ucol),
                f"the unit id is empty but the row has data (in {get_column_letter(filled)}{r}); "
                "fill in the unit id or delete the row",
            )
            continue
        if uv is _UNCACHED:
            problems.add("rectify.data.uncached_formula", at(r, ucol), _UNCACHED_MESSAGE)
            continue
        if isinstance(uv, _ExcelError):
            problems.add("rectify.data.bad_cell", at(r, ucol), f"the unit id is the Excel error {uv.text}")
            continue
        unit = _text(uv)
        if unit in unit_row:
            problems.add(
                "rectify.data.duplicate_unit",
                at(r, ucol),
                f"unit {_core.quoted(unit)} appears twice (first at {at(unit_row[unit], ucol)})",
            )
            continue
        unit_row[unit] = r
        row: List[float] = []
        for c, name in zip(columns, names):
            v = cells.get((r, c))
            if v is _UNCACHED:
                problems.add("rectify.data.uncached_formula", at(r, c), _UNCACHED_MESSAGE)
                row.append(math.nan)
                continue
            x, why = _value(v)
            if why:
                problems.add("rectify.data.bad_cell", at(r, c), f"column {_core.quoted(name)}: {why}")
            row.append(x)
        units.append(unit)
        data.append(row)
    problems.raise_any()

    values = np.empty((len(units), len(names)), dtype=np.float64, order="F")
    if units and names:
        values[:, :] = np.asarray(data, dtype=np.float64)
    return pd.DataFrame(values, index=pd.Index(units, name="unit"), columns=pd.Index(names), copy=False)


_UNCACHED_MESSAGE = (
    "a formula without a stored value (the file was written by a program and never opened in "
    "Excel); open it in Excel (or LibreOffice) and save it, or write values instead of formulas"
)


# -- writing --------------------------------------------------------------------------------

_HEADERS = {
    "zh": {
        "summary": "汇总",
        "nodes": "指标得分",
        "lost": "扣分说明",
        "rank": "排名",
        "unit": "单位",
        "score": "得分",
        "base": "基础分",
        "bonus": "加分",
        "penalty": "直接扣分",
        "grade": "等级",
        "band": "分档",
        "vetoes": "否决项",
        "missing": "缺项",
        "node": "指标",
        "node_name": "指标名称",
        "points": "扣分",
        "why": "说明",
        "full": "满分",
        "title": "{name}考核结果",
        "subtitle": "方案 {id} · {n} 个单位 · 满分 {total}",
        "band_note": "由得分确定的等级(一票否决和等级比例限制之前);“等级”是最终等级。",
        "penalty_note": "方案中直接从总分扣除的分数(不属于任何指标)。",
        "missing_note": "方案读取而数据中缺失的输入列。",
        "no_nodes": "评分时未保留指标得分(nodes=False)。",
        "no_lost": "没有单位失分。",
    },
    "en": {
        "summary": "Summary",
        "nodes": "Node points",
        "lost": "Lost points",
        "rank": "Rank",
        "unit": "Unit",
        "score": "Score",
        "base": "Base",
        "bonus": "Bonus",
        "penalty": "Penalty",
        "grade": "Grade",
        "band": "Band",
        "vetoes": "Vetoes",
        "missing": "Missing inputs",
        "node": "Item",
        "node_name": "Name",
        "points": "Lost points",
        "why": "Why",
        "full": "Full points",
        "title": "{name}: assessment results",
        "subtitle": "scheme {id} · {n} units · out of {total}",
        "band_note": "The grade from the score alone (before vetoes and grade quotas); Grade is the final one.",
        "penalty_note": "Points the scheme takes off the total directly (outside the indicator tree).",
        "missing_note": "Inputs the scheme reads that the data lacks for this unit.",
        "no_nodes": "Node points were not kept when scoring (nodes=False).",
        "no_lost": "No unit lost points.",
    },
}

# Fills of the grades, best to worst (green to red), picked evenly for the scheme's grades.
_GRADE_FILLS = ("C6EFCE", "E2EFDA", "DDEBF7", "FFF2CC", "FFEB9C", "FCE4D6", "FFC7CE")
_HEADER_FILL = "1F4E78"
_AREA_FILL = "D9E1F2"
_NUMBER_FORMAT = "0.00"
_MAX_WIDTH = {"why": 70, "name": 28, "default": 40}


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet cell: 2 for a CJK (wide or full-width) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _grade_fills(grades: Sequence[str]) -> Dict[str, str]:
    n = len(grades)
    if n == 1:
        return {grades[0]: _GRADE_FILLS[0]}
    last = len(_GRADE_FILLS) - 1
    return {g: _GRADE_FILLS[round(i * last / (n - 1))] for i, g in enumerate(grades)}


def _fmt_points(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if math.isfinite(x) else ""


def _rank_order(result: "Result") -> List[int]:
    """Positions of the units by rank, ties in data order (as ``to_csv(explain=True)``)."""
    return [int(i) for i in np.argsort(result._core.rank, kind="stable")]


class _Sheet:
    """One worksheet being filled, with the widths its columns need."""

    def __init__(self, ws: Any, styles: Any) -> None:
        self.ws = ws
        self.styles = styles
        self.widths: Dict[int, int] = {}

    def put(self, r: int, c: int, value: Any, *, number: bool = False, wrap: bool = False, measure: bool = True) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        cell = self.ws.cell(row=r, column=c, value=value)
        if number and value is not None:
            cell.number_format = _NUMBER_FORMAT
        if wrap:
            cell.alignment = self.styles.Alignment(wrap_text=True, vertical="top")
        if measure and value is not None:
            shown = f"{value:.2f}" if number and isinstance(value, float) else str(value)
            self.widths[c] = max(self.widths.get(c, 0), _display_width(shown))
        return cell

    def header(self, r: int, c: int, value: str, *, fill: str = _HEADER_FILL, wrap: bool = False) -> Any:
        cell = self.put(r, c, value, wrap=wrap)
        s = self.styles
        light = fill != _HEADER_FILL
        cell.font = s.Font(bold=True, color="000000" if light else "FFFFFF")
        cell.fill = s.PatternFill("solid", fgColor=fill)
        cell.alignment = s.Alignment(horizontal="center", vertical="center", wrap_text=wrap)
        cell.border = s.Border(bottom=s.Side(style="thin", color="7F7F7F"))
        return cell

    def finish(self, *, caps: Optional[Dict[int, int]] = None, minimum: int = 6) -> None:
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

        caps = caps or {}
        for c, w in self.widths.items():
            width = min(max(w, minimum) + 2, caps.get(c, _MAX_WIDTH["default"]))
            self.ws.column_dimensions[get_column_letter(c)].width = width

    def print_setup(self, title_rows: str) -> None:
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as it takes
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.print_title_rows = title_rows
        ws.oddFooter.center.text = "&P / &N"


def _joined(items: Iterable[str], names: Dict[str, str]) -> str:
    return "、".join(names.get(i, i) for i in items)


def _summary_sheet(result: "Result", ws: Any, styles: Any, h: Dict[str, str], order: List[int], fills: Dict[str, str]) -> None:
    from openpyxl.comments import Comment  # type: ignore[import-untyped, unused-ignore]

    scheme = result.scheme
    core = result._core
    grades = result.grade_names
    sh = _Sheet(ws, styles)
    keys = ["rank", "unit", "score", "base", "bonus", "penalty", "grade", "band", "vetoes", "missing"]
    ncol = len(keys)
    total = _fmt_points(float(core.plan.total))
    title = h["title"].format(name=scheme.name or scheme.id)
    subtitle = h["subtitle"].format(id=scheme.id, n=len(result), total=total)
    ws.cell(row=1, column=1, value=f"{title}  ({subtitle})").font = styles.Font(bold=True, size=14)
    ws.row_dimensions[1].height = 24
    for c, key in enumerate(keys, start=1):
        cell = sh.header(2, c, h[key])
        note = {"band": "band_note", "penalty": "penalty_note", "missing": "missing_note"}.get(key)
        if note:
            cell.comment = Comment(h[note], "rectify", width=260, height=80)
    veto_names = {v[0]: v[1] for v in core.plan.vetoes}
    vetoes = result.vetoes.tolist()
    missing = result.missing.tolist()
    units = [str(u) for u in result.units]
    for k, i in enumerate(order):
        r = 3 + k
        sh.put(r, 1, int(core.rank[i]))
        sh.put(r, 2, units[i])
        for c, arr in ((3, core.score), (4, core.base), (5, core.bonus), (6, core.penalty)):
            sh.put(r, c, float(arr[i]), number=True)
        for c, code in ((7, int(core.grade[i])), (8, int(core.band[i]))):
            cell = sh.put(r, c, grades[code])
            cell.fill = styles.PatternFill("solid", fgColor=fills[grades[code]])
            cell.alignment = styles.Alignment(horizontal="center")
        if vetoes[i]:
            sh.put(r, 9, _joined(vetoes[i], veto_names)).font = styles.Font(color="C00000", bold=True)
        if missing[i]:
            sh.put(r, 10, ", ".join(missing[i]))
    last = 2 + len(order)
    ws.freeze_panes = "C3"
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

    ws.auto_filter.ref = f"A2:{get_column_letter(ncol)}{max(last, 2)}"
    sh.finish(caps={9: 40, 10: 40})
    sh.print_setup("1:2")


def _node_sheet(result: "Result", ws: Any, styles: Any, h: Dict[str, str], order: List[int]) -> None:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

    sh = _Sheet(ws, styles)
    core = result._core
    plan_nodes = core.plan.nodes  # (id, name, parent, leaf, points, rule, input, path)
    derived = {node: row["points"] for node, row in result.weights.iterrows()}
    units = [str(u) for u in result.units]
    lead = [h["rank"], h["unit"], h["score"]]
    for c, text in enumerate(lead, start=1):
        sh.header(1, c, text)
        sh.header(2, c, "")
    full_fill = styles.PatternFill("solid", fgColor="F2F2F2")
    for c, value in ((1, None), (2, h["full"]), (3, float(core.plan.total))):
        cell = sh.put(3, c, value, number=c == 3)
        cell.font = styles.Font(bold=True)
        cell.fill = full_fill
    values = core.nodes
    have_nodes = values.shape[1] > 0
    ncol = 3 + (len(plan_nodes) if have_nodes else 0)
    if have_nodes:
        for j, (nid, name, parent, _leaf, points, *_rest) in enumerate(plan_nodes):
            c = 4 + j
            area = parent is None
            fill = _HEADER_FILL if area else _AREA_FILL
            sh.header(1, c, nid, fill=fill)
            sh.header(2, c, name, fill=fill, wrap=True)
            full = float(points) if points is not None and math.isfinite(points) else float(derived.get(nid, math.nan))
            cell = sh.put(3, c, full, number=True)
            cell.font = styles.Font(bold=True)
            cell.fill = full_fill
            # Node names wrap: the column is as wide as the id (or the number), not the name.
            sh.widths[c] = max(_display_width(nid), 8)
    else:
        sh.put(2, 4, h["no_nodes"], measure=False).font = styles.Font(italic=True, color="C00000")
    for k, i in enumerate(order):
        r = 4 + k
        sh.put(r, 1, int(core.rank[i]))
        sh.put(r, 2, units[i])
        sh.put(r, 3, float(core.score[i]), number=True)
        if have_nodes:
            for j in range(values.shape[1]):
                sh.put(r, 4 + j, float(values[i, j]), number=True, measure=False)
    ws.freeze_panes = "D4"
    ws.auto_filter.ref = f"A3:{get_column_letter(ncol)}{3 + len(order)}"
    sh.finish()
    if have_nodes:
        # Excel does not grow a row for wrapped text written by a program: give the names' row
        # the lines its longest name needs (at most 6).
        lines = 1
        for j, node in enumerate(plan_nodes):
            width = ws.column_dimensions[get_column_letter(4 + j)].width
            lines = max(lines, math.ceil(_display_width(node[1]) / max(width - 1.0, 1.0)))
        ws.row_dimensions[2].height = 15 * min(lines, 6)
    sh.print_setup("1:3")


def _lost_sheet(result: "Result", ws: Any, styles: Any, h: Dict[str, str], order: List[int], lang: str) -> None:
    sh = _Sheet(ws, styles)
    core = result._core
    keys = ["unit", "rank", "node", "node_name", "points", "why"]
    for c, key in enumerate(keys, start=1):
        sh.header(1, c, h[key])
    names = {n[0]: n[1] for n in core.plan.nodes}
    names.update({p[0]: p[1] for p in core.plan.penalties})
    names.update({v[0]: v[1] for v in core.plan.vetoes})
    units = [str(u) for u in result.units]
    r = 1
    for i in order:
        for node, points, why in core.explain(i, lang):
            r += 1
            sh.put(r, 1, units[i])
            sh.put(r, 2, int(core.rank[i]))
            sh.put(r, 3, node)
            sh.put(r, 4, names.get(node, ""))
            sh.put(r, 5, float(points), number=True)
            sh.put(r, 6, why, wrap=True)
    if r == 1:
        sh.put(2, 1, h["no_lost"], measure=False).font = styles.Font(italic=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:F{max(r, 1)}"
    sh.finish(caps={4: _MAX_WIDTH["name"], 6: _MAX_WIDTH["why"]})
    sh.print_setup("1:1")


def write_result(result: "Result", path: PathLike, *, lang: str = "zh", explain: bool = True) -> None:
    """Writes ``result`` as a formatted workbook (``Result.to_excel``); see its docstring."""
    p = os.fspath(path)
    if not p.lower().endswith(".xlsx"):
        raise ValueError(f"to_excel writes .xlsx workbooks; the path must end in .xlsx, not {p!r}")
    if lang not in _HEADERS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    openpyxl = _openpyxl()
    from openpyxl import styles  # type: ignore[import-untyped, unused-ignore]

    h = _HEADERS[lang]
    scheme = result.scheme
    order = _rank_order(result)
    fills = _grade_fills(result.grade_names)

    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = h["summary"]
    _summary_sheet(result, summary, styles, h, order, fills)
    _node_sheet(result, wb.create_sheet(h["nodes"]), styles, h, order)
    if explain:
        _lost_sheet(result, wb.create_sheet(h["lost"]), styles, h, order, lang)
    from . import __version__

    props = wb.properties
    props.title = h["title"].format(name=scheme.name or scheme.id)
    props.subject = f"{scheme.id} {scheme.name}".strip()
    props.keywords = f"rectify, {scheme.id}"
    props.creator = f"rectify {__version__}"
    props.description = h["subtitle"].format(id=scheme.id, n=len(result), total=_fmt_points(float(result._core.plan.total)))
    wb.active = 0
    _save_atomically(wb, p)


def _save_atomically(wb: Any, path: str) -> None:
    """Saves into a temporary file beside ``path``, then renames it over ``path``: a reader
    sees the old workbook or the new one, and a failure leaves no half-written file."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _fail("rectify.io.write", f"cannot create a temporary file in {folder}: {exc.strerror or exc}", path) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            wb.save(f)
        # mkstemp makes the file private (0600); give it the mode a new file would get.
        os.chmod(tmp, _new_file_mode(path))
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _fail("rectify.io.write", f"cannot write the file: {exc.strerror or exc}", path) from exc
        raise


def _new_file_mode(path: str) -> int:
    """The mode of the file being replaced, or that of a new file under the process's umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        pass
    umask = 0o022
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    umask = int(line.split()[1], 8)
                    break
    except (OSError, ValueError):
        pass  # not Linux: the usual umask
    return 0o666 & ~umask
