"""Argument normalisation for :mod:`rectify.compliance`: record tables, months, days, rules and
branch lists turned into what ``_core.compliance_*`` take.

A record table reaches C++ either as the path of a CSV file (read by the C++ reader, so errors
name ``file:line:column``) or as ``(source, header, columns)``: one list of ``str`` per column,
built here from a DataFrame so that every cell reads as it would in a CSV file. C++ then builds
an ``io::text_table`` and errors name ``source:row N:column`` (N counts rows from 1 in frame
order).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import math
import os
from typing import Any, Iterable, List, Mapping, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import ComplianceError, DataError, Error

PathLike = Union[str, "os.PathLike[str]"]
#: A month for ``start``/``end``: ``"YYYY-MM"``, or a ``pandas.Period``, ``pandas.Timestamp``,
#: ``datetime.date``/``datetime`` or ``numpy.datetime64`` lying within one calendar month (that
#: month). A quarter or year (``"2026-Q1"``, ``Period("2026Q1")``) is refused.
MonthLike = Union[str, _dt.date, pd.Period, np.datetime64]
#: A day for ``as_of``: ``"YYYY-MM-DD"``, a ``datetime.date``, a ``datetime``/``Timestamp`` (its
#: calendar date) or a ``numpy.datetime64``.
DayLike = Union[str, _dt.date, np.datetime64]
#: What a record argument takes: a DataFrame, or the path of a CSV file.
Records = Union[pd.DataFrame, PathLike]
#: A branch list: a DataFrame with ``branch`` (and ``group``) columns, branch names, a dict of
#: branch → party groups, or the path of a CSV file.
Branches = Union[pd.DataFrame, PathLike, Iterable[Any], Mapping[Any, Any]]
TableSpec = Union[str, Tuple[str, List[str], List[List[str]]]]

#: How errors name a DataFrame of records (``DataFrame:row 3:date``) and an in-memory branch
#: list (``branches:row 2:group``).
FRAME_SOURCE = "DataFrame"
BRANCHES_SOURCE = "branches"


def _error(cls: type[Error], code: str, message: str, source: str = "") -> Error:
    return cls._from_problems([_core.Problem(code=code, message=message, source=source)])


def text(v: Any) -> str:
    """One cell as the text a CSV file would hold: missing (None, NaN, ``pd.NA``, ``NaT``) is
    empty, ``True``/``False`` are ``true``/``false``, integers their digits, floats their
    shortest repr (``12.0``, which the checks read as 12), dates and timestamps their ISO day."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return "" if math.isnan(v) else str(v)
    if isinstance(v, _dt.datetime):  # pandas.Timestamp too: the day it shows
        return v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, np.datetime64):
        return "" if np.isnat(v) else pd.Timestamp(v).date().isoformat()
    if isinstance(v, bytes):
        return v.decode("utf-8", errors="replace")
    if isinstance(v, decimal.Decimal):
        return "" if v.is_nan() else str(v)
    return str(v)


def _column_texts(col: "pd.Series[Any]") -> List[str]:
    """A column as one ``str`` per cell; vectorised for the dtypes pandas reads CSVs into."""
    dtype = col.dtype
    if isinstance(dtype, np.dtype):
        kind = dtype.kind
        a = col.to_numpy()
        if kind == "b":
            return np.where(a, "true", "false").tolist()  # type: ignore[no-any-return]
        if kind in "iu":
            return a.astype(str).tolist()
        if kind == "f":
            out = a.astype(str).astype(object)
            out[np.isnan(a)] = ""
            return out.tolist()
        if kind == "M":
            days = pd.Series(col).dt.strftime("%Y-%m-%d")
            return days.to_numpy(dtype=object, na_value="").tolist()  # type: ignore[no-any-return]
    elif isinstance(dtype, pd.DatetimeTZDtype):
        days = pd.Series(col).dt.strftime("%Y-%m-%d")
        return days.to_numpy(dtype=object, na_value="").tolist()  # type: ignore[no-any-return]
    elif isinstance(dtype, pd.StringDtype):
        return col.to_numpy(dtype=object, na_value="").tolist()
    values = col.to_numpy(dtype=object)
    # Fast path, all in C: a column of str only (what pandas reads text columns into).
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values.tolist()
    return [text(v) for v in values]


def frame_spec(df: pd.DataFrame, source: str) -> Tuple[str, List[str], List[List[str]]]:
    """``(source, header, columns)`` of a DataFrame. Named index levels become leading columns
    (a frame indexed by ``unit`` or ``branch`` reads as the CSV it came from), unless a column
    of that name exists."""
    named = [n for n in df.index.names if n is not None and n not in df.columns]
    if named:
        df = df.reset_index(level=named)
    header = [c if isinstance(c, str) else str(c) for c in df.columns]
    seen: set[str] = set()
    for h in header:
        if h in seen:
            raise _error(
                DataError, "rectify.data.duplicate_column", f"column {_core.quoted(h)} appears twice", source
            )
        seen.add(h)
    columns = [_column_texts(df.iloc[:, j]) for j in range(df.shape[1])]
    return (source, header, columns)


def path_of(value: Any) -> Optional[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fsdecode(os.fspath(value))
    return None


def records_spec(df: Any, what: str) -> TableSpec:
    path = path_of(df)
    if path is not None:
        return path
    if isinstance(df, pd.DataFrame):
        return frame_spec(df, FRAME_SOURCE)
    raise TypeError(f"{what} must be a pandas DataFrame or the path of a CSV file, not {type(df).__name__}")


def branches_spec(branches: Any) -> Optional[TableSpec]:
    if branches is None:
        return None
    path = path_of(branches)
    if path is not None:
        return path
    if isinstance(branches, pd.DataFrame):
        return frame_spec(branches, BRANCHES_SOURCE)
    branch: List[str] = []
    group: List[str] = []
    if isinstance(branches, Mapping):
        for b, gs in branches.items():
            if gs is None or isinstance(gs, str):
                gs = [] if gs is None else [gs]
            elif not isinstance(gs, Iterable):
                raise TypeError(f"the groups of branch {b!r} must be a list of names, not {type(gs).__name__}")
            names = [text(g) for g in gs]
            for g in names or [""]:
                branch.append(text(b))
                group.append(g)
        return (BRANCHES_SOURCE, ["branch", "group"], [branch, group])
    if isinstance(branches, Iterable) and not isinstance(branches, (bytes, pd.DataFrame)):
        branch = [text(b) for b in branches]
        return (BRANCHES_SOURCE, ["branch"], [branch])
    raise TypeError(
        "branches must be None, a DataFrame with branch[,group] columns, a list of branch names, "
        f"a dict of branch -> groups or the path of a CSV file, not {type(branches).__name__}"
    )


def rules_args(rules: Any) -> Tuple[Optional[str], Optional[str]]:
    """(path, JSON text) of ``rules``; both None for the default table."""
    if rules is None:
        return None, None
    path = path_of(rules)
    if path is not None:
        return path, None
    if isinstance(rules, Mapping):
        return None, json.dumps(rules, ensure_ascii=False)
    raise TypeError(
        f"rules must be None, a dict (a rectify.meeting-rules/1 document) or a path, not {type(rules).__name__}"
    )


def _month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month(value: Any, what: str) -> str:
    """``YYYY-MM`` of a month-like value. Strings go to C++ as they are, where anything but a
    month (``2026-03``, ``2026-3``) is refused with ``rectify.compliance.bad_period``."""
    if isinstance(value, str):
        return value
    if value is pd.NaT or (isinstance(value, np.datetime64) and np.isnat(value)):
        raise _error(ComplianceError, "rectify.compliance.bad_period", f"{what}: NaT is not a month")
    if isinstance(value, pd.Period):
        first, last = value.start_time, value.end_time
        if (first.year, first.month) != (last.year, last.month):
            raise _error(
                ComplianceError,
                "rectify.compliance.bad_period",
                f"{what}: the period {value} ({value.freqstr}) is not within one month; a period is "
                "whole months, given by its first and last month (e.g. '2026-01', Period('2026-01', 'M'))",
            )
        return _month_text(first.year, first.month)
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, _dt.date):  # datetime and pandas.Timestamp too
        return _month_text(value.year, value.month)
    raise TypeError(
        f"{what} must be a month 'YYYY-MM', a pandas Period or Timestamp, a datetime.date or a "
        f"numpy.datetime64, not {type(value).__name__}"
    )


def day(value: Any, what: str) -> str:
    """``YYYY-MM-DD`` of a day-like value; strings go to C++, which wants exactly that."""
    if isinstance(value, str):
        return value
    if value is pd.NaT or (isinstance(value, np.datetime64) and np.isnat(value)):
        raise _error(ComplianceError, "rectify.compliance.bad_date", f"{what}: NaT is not a date")
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, _dt.datetime):  # pandas.Timestamp too: the day it shows
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(
        f"{what} must be a date 'YYYY-MM-DD', a datetime.date, a datetime or pandas Timestamp, or a "
        f"numpy.datetime64, not {type(value).__name__}"
    )


def dates(days: Any) -> "np.ndarray[Any, np.dtype[np.datetime64]]":
    """Days since 1970-01-01 (int64, NaT's value for none) as datetime64[s], the coarsest
    resolution pandas keeps."""
    return np.asarray(days, dtype=np.int64).view("datetime64[D]").astype("datetime64[s]")


def rows(values: Any) -> "pd.arrays.IntegerArray":
    """0-based record rows, -1 for none, as a nullable Int64 array."""
    a = np.asarray(values, dtype=np.int64)
    return pd.arrays.IntegerArray(a, a < 0)


def places(values: List[str]) -> List[Optional[str]]:
    return [p if p else None for p in values]


def inputs_frame(t: Tuple[List[str], List[str], Any]) -> pd.DataFrame:
    units, columns, values = t
    return pd.DataFrame(
        np.asarray(values, dtype=np.float64), index=pd.Index(units, name="unit"), columns=pd.Index(columns)
    )
