"""Turning user data (a DataFrame or a dict of columns) into what ``_core.score`` takes:
unique string unit ids and one native float64 NumPy array per input the scheme reads.

A float64 column is passed as it is (a strided view, never copied); every other column is
converted here: integers and booleans to float64, pandas' nullable dtypes with ``pd.NA`` to
NaN, and object or string columns cell by cell (numbers, ``True``/``False``, the strings the
CSV reader accepts, and empty or missing cells as NaN). A cell that is none of these is a
:class:`~rectify.DataError` naming the unit and the column.
"""

from __future__ import annotations

import decimal
import fractions
import math
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._errors import DataError

__all__ = ["Table", "table_from"]

# The cells the CSV reader accepts (scoring.md §6): a decimal number with an optional sign,
# fraction and exponent; no inf, nan, hex, digit separators or decimal commas.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_TRUE = frozenset({"true", "TRUE", "True"})
_FALSE = frozenset({"false", "FALSE", "False"})
_MAX_REPORTED = 20  # as many as the C++ scorer reports


@dataclass(frozen=True)
class Table:
    """Normalised input of one ``score`` call."""

    labels: pd.Index  # the unit ids as the user gave them (index of every result)
    units: List[str]  # the same, as strings, for C++
    names: List[str]  # input columns found in the data, in the scheme's order
    columns: List[np.ndarray]  # one native float64 1-D array per name


def _problem(code: str, message: str) -> Any:
    return _core.Problem(code=code, message=message)


class _Problems:
    """Collects data problems as the C++ scorer does: the first 20, and a count of the rest."""

    def __init__(self) -> None:
        self.items: List[Any] = []
        self.total = 0

    def add(self, code: str, message: str) -> None:
        self.total += 1
        if len(self.items) < _MAX_REPORTED:
            self.items.append(_problem(code, message))

    def raise_any(self) -> None:
        if not self.total:
            return
        if self.total > len(self.items):
            more = self.total - len(self.items)
            self.items.append(_problem("rectify.data.more", f"... and {more} more problems of the same kinds"))
        raise DataError._from_problems(self.items)


def _is_native_float64(a: np.ndarray) -> bool:
    return (
        a.dtype == np.float64
        and a.dtype.isnative
        and a.ndim == 1
        and a.flags.aligned
        and a.strides[0] % a.itemsize == 0
    )


def _cell(v: Any) -> float | None:
    """The value of one cell of an object column, or None if it is not a number."""
    if v is None or v is pd.NA or v is pd.NaT:
        return math.nan
    if isinstance(v, (bool, np.bool_)):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float, np.integer, np.floating, decimal.Decimal, fractions.Fraction)):
        return float(v)
    if isinstance(v, str):
        s = v.strip(" \t")
        if not s:
            return math.nan
        if s in _TRUE:
            return 1.0
        if s in _FALSE:
            return 0.0
        if _NUMBER.match(s):
            x = float(s)
            return x if math.isfinite(x) else None
        return None
    return None


def _shown(v: Any) -> str:
    return _core.quoted(v) if isinstance(v, str) else repr(v)


def _convert_objects(values: np.ndarray, name: str, units: Sequence[str]) -> np.ndarray:
    out = np.empty(len(values), dtype=np.float64)
    problems = _Problems()
    for i, v in enumerate(values):
        x = _cell(v)
        if x is None:
            problems.add(
                "rectify.data.bad_cell",
                f"unit {_core.quoted(units[i])}, column {_core.quoted(name)}: {_shown(v)} "
                "is not a number, true/false or empty",
            )
            continue
        out[i] = x
    problems.raise_any()
    return out


def _float64_column(col: Any, name: str, units: Sequence[str]) -> np.ndarray:
    """The column as a native float64 1-D array; the column itself when it is one already."""
    if isinstance(col, pd.Series):
        dtype = col.dtype
        if isinstance(dtype, np.dtype):
            values = col.to_numpy()
        elif pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
            # Nullable Int64 / Float64 / boolean (and pyarrow numbers): pd.NA becomes NaN.
            return np.asarray(col.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
        else:
            values = col.to_numpy(dtype=object)
    else:
        values = np.asarray(col)
    if values.ndim != 1:
        raise DataError._from_problems(
            [_problem("rectify.data.shape", f"column {_core.quoted(name)} must be one-dimensional, not {values.ndim}-dimensional")]
        )
    if _is_native_float64(values):
        return values
    kind = values.dtype.kind
    if kind in "biuf":
        return values.astype(np.float64)
    if kind in "OUS":
        if kind == "S":
            values = np.char.decode(values, "utf-8")
        return _convert_objects(values.astype(object, copy=False), name, units)
    raise DataError._from_problems(
        [_problem("rectify.data.bad_column", f"column {_core.quoted(name)} holds {values.dtype} values, not numbers")]
    )


def _unit_ids(labels: pd.Index) -> List[str]:
    """Unit ids as strings; each must be present, non-empty and unique."""
    if isinstance(labels, pd.MultiIndex):
        raise DataError._from_problems(
            [_problem("rectify.data.no_unit_column", "units are named by one index level or a \"unit\" column, not a MultiIndex")]
        )
    # Fast path, all in C: string labels, none empty, all distinct. The loop below only runs to
    # word the errors (or to turn non-string labels into strings).
    if pd.api.types.infer_dtype(labels, skipna=False) == "string":
        arr = np.asarray(labels, dtype=object)
        if not (arr == "").any() and labels.is_unique:
            return arr.tolist()  # type: ignore[no-any-return]
    values = labels.tolist()
    units: List[str] = []
    problems = _Problems()
    for i, v in enumerate(values):
        if isinstance(v, str):
            s = v
        elif v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            s = ""
        else:
            s = str(v)
        if not s:
            problems.add("rectify.data.empty_unit", f"the unit id at position {i} is empty")
        units.append(s)
    problems.raise_any()
    ids = pd.Index(units)
    if not ids.is_unique:
        first: Dict[str, int] = {}
        for i, s in enumerate(units):
            if s in first:
                problems.add(
                    "rectify.data.duplicate_unit", f"unit {_core.quoted(s)} appears twice (positions {first[s]} and {i})"
                )
            else:
                first[s] = i
        problems.raise_any()
    return units


def _from_frame(df: pd.DataFrame, inputs: Sequence[str]) -> Table:
    if not df.columns.is_unique:
        used = set(inputs) | {"unit"}
        dup = [c for c in df.columns[df.columns.duplicated()].unique().tolist() if c in used]
        if dup:
            raise DataError._from_problems(
                [_problem("rectify.data.duplicate_column", f"column {_core.quoted(str(c))} appears twice") for c in dup]
            )
    if "unit" in df.columns:
        labels = pd.Index(df["unit"], name="unit")
    else:
        labels = df.index.rename("unit") if not isinstance(df.index, pd.MultiIndex) else df.index
    units = _unit_ids(labels)
    names: List[str] = []
    columns: List[np.ndarray] = []
    for name in inputs:
        if name in df.columns:
            names.append(name)
            columns.append(_float64_column(df[name], name, units))
    return Table(labels, units, names, columns)


def _from_dict(data: Mapping[str, Any], inputs: Sequence[str]) -> Table:
    if "unit" not in data:
        raise DataError._from_problems(
            [_problem("rectify.data.no_unit_column", "a dict of columns needs a \"unit\" key holding the unit ids")]
        )
    raw = data["unit"]
    labels = pd.Index(raw if hasattr(raw, "__len__") else list(raw), name="unit")
    units = _unit_ids(labels)
    n = len(units)
    names: List[str] = []
    columns: List[np.ndarray] = []
    for name in inputs:
        if name in data:
            # Columns of a dict are positional: a Series' own index is not looked at.
            col = data[name]
            if not isinstance(col, (np.ndarray, pd.Series)):
                col = np.asarray(col if hasattr(col, "__len__") else list(col))
            if len(col) != n:
                raise DataError._from_problems(
                    [_problem("rectify.data.shape", f"column {_core.quoted(name)} has {len(col)} values for {n} units")]
                )
            names.append(name)
            columns.append(_float64_column(col, name, units))
    return Table(labels, units, names, columns)


def table_from(data: Any, inputs: Sequence[str]) -> Table:
    """Normalises ``data`` for the inputs of a plan."""
    if isinstance(data, pd.DataFrame):
        return _from_frame(data, inputs)
    if isinstance(data, Mapping):
        return _from_dict(data, inputs)
    raise TypeError(
        "data must be a pandas DataFrame (indexed by unit, or with a 'unit' column), a dict of columns "
        f"with a 'unit' key, or the path of a unit CSV file; got {type(data).__name__}"
    )
