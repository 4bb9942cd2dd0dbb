"""Turning what an analyst passes (a DataFrame or any 2-D array-like, criterion types as words
or a dict, weights by column name) into what ``_core.mcda_*`` takes, and putting the
DataFrame's labels back into the C++ messages.

A decision matrix reaches C++ as a native float64 array whose columns are contiguous
(Fortran order). A float64 DataFrame stored as one block gives exactly that from
``to_numpy()`` (a view), so it is never copied; other dtypes and C-ordered arrays are
converted here, once.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Hashable, Iterator, List, Mapping, NoReturn, Optional, Sequence

import numpy as np
import pandas as pd

from .. import _core
from .._errors import MCDAError

__all__ = [
    "Matrix",
    "as_matrix",
    "as_types",
    "as_weights",
    "as_vector",
    "per_criterion",
    "fail",
    "labelled",
    "core_ready",
]

_DOUBLE = np.dtype(np.float64).itemsize


def fail(code: str, message: str) -> NoReturn:
    """Raises an :class:`MCDAError` worded like the C++ ones."""
    raise MCDAError._from_problems([_core.Problem(code=code, message=message)])


def shown(label: Hashable) -> str:
    """A label for a message: strings quoted the way C++ quotes them, anything else repr'd."""
    return _core.quoted(label) if isinstance(label, str) else repr(label)


def core_ready(a: np.ndarray) -> bool:
    """Whether C++ can view ``a`` as it is: native float64, 2-D, aligned, each column
    contiguous (Fortran order, or a column subset of a Fortran-ordered array)."""
    return bool(
        a.dtype == np.float64
        and a.dtype.isnative
        and a.ndim == 2
        and a.flags.aligned
        and (a.shape[0] <= 1 or a.strides[0] == _DOUBLE)
        and (a.shape[1] <= 1 or a.shape[0] == 0 or (a.strides[1] > 0 and a.strides[1] % _DOUBLE == 0))
    )


@dataclass(frozen=True)
class Matrix:
    """A decision matrix ready for C++, with the labels of the DataFrame it came from."""

    values: np.ndarray  # float64, columns contiguous; a view of the caller's data when possible
    index: Optional[pd.Index]  # alternatives (rows) when X was a DataFrame
    columns: Optional[pd.Index]  # criteria when X was a DataFrame

    @property
    def is_frame(self) -> bool:
        return self.index is not None

    @property
    def rows(self) -> int:
        return int(self.values.shape[0])

    @property
    def cols(self) -> int:
        return int(self.values.shape[1])


def _frame_values(df: pd.DataFrame, what: str) -> np.ndarray:
    dtypes = list(df.dtypes)
    if dtypes and all(isinstance(t, np.dtype) and t == np.float64 for t in dtypes):
        # One float64 block: a Fortran-ordered view of the frame's memory (read-only under
        # copy-on-write, which is all C++ needs).
        return df.to_numpy()
    for name, t in zip(df.columns, dtypes):
        if not (pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t)):
            col = df[name]
            try:
                pd.to_numeric(col.to_numpy(dtype=object), errors="raise")
            except (TypeError, ValueError):
                bad = next((v for v in col.tolist() if not _is_number(v)), None)
                fail(
                    "rectify.mcda.bad_matrix",
                    f"{what}: column {shown(name)} holds {t} values; {shown(bad) if isinstance(bad, str) else repr(bad)} "
                    "is not a number",
                )
    # Nullable dtypes' pd.NA becomes NaN, which C++ then reports with row and column.
    return df.to_numpy(dtype=np.float64, na_value=np.nan)


def _is_number(v: Any) -> bool:
    if isinstance(v, (bool, np.bool_, int, float, np.integer, np.floating)):
        return True
    if isinstance(v, str):
        try:
            float(v)
            return True
        except ValueError:
            return False
    return v is None or v is pd.NA


def as_matrix(x: Any, what: str = "X") -> Matrix:
    """The decision matrix ``x`` (a DataFrame or a 2-D array-like) for C++."""
    if isinstance(x, pd.DataFrame):
        values = _frame_values(x, what)
        index: Optional[pd.Index] = x.index
        columns: Optional[pd.Index] = x.columns
    else:
        if isinstance(x, pd.Series):
            fail("rectify.mcda.bad_matrix", f"{what} must be two-dimensional (alternatives × criteria), not a Series")
        a = np.asarray(x)
        if a.dtype.kind in "OUS":
            try:
                a = a.astype(np.float64)
            except (TypeError, ValueError) as exc:
                fail("rectify.mcda.bad_matrix", f"{what} holds values that are not numbers ({exc})")
        elif a.dtype.kind not in "biuf":
            fail("rectify.mcda.bad_matrix", f"{what} holds {a.dtype} values, not numbers")
        values = a
        index = columns = None
    if values.ndim != 2:
        fail(
            "rectify.mcda.bad_matrix",
            f"{what} must be two-dimensional (alternatives × criteria), not of shape {tuple(values.shape)}",
        )
    if not core_ready(values):
        # C-ordered, non-float64 or oddly strided: the one copy this call makes.
        values = np.asfortranarray(values, dtype=np.float64)
    return Matrix(values, index, columns)


_BENEFIT = frozenset({"+", "benefit", "max"})
_COST = frozenset({"-", "cost", "min"})
_TYPE_HELP = '+1, "+", "benefit" or "max" (higher is better), or -1, "-", "cost" or "min" (lower is better)'


def _column_name(m: Matrix, j: int) -> str:
    if m.columns is not None and 0 <= j < len(m.columns):
        return f"column {j} ({shown(m.columns[j])})"
    return f"column {j}"


def _one_type(v: Any, where: str) -> int:
    if isinstance(v, str):
        word = v.strip().lower()
        if word in _BENEFIT:
            return 1
        if word in _COST:
            return -1
    elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
        if v == 1:
            return 1
        if v == -1:
            return -1
    fail("rectify.mcda.bad_types", f"{where}: a criterion type is {_TYPE_HELP}, not {v!r}")


def by_name(values: Any, m: Matrix, what: str, code: str, default: Any = None, complete: bool = True) -> List[Any]:
    """Values given by column name (a dict or a Series), in the order of the columns. With
    ``complete``, every column must be named; otherwise missing ones get ``default``."""
    if m.columns is None:
        fail(code, f"{what} by name needs X to be a DataFrame (with column names); give a list in column order")
    items = dict(values.items())
    known = set(m.columns)
    unknown = [k for k in items if k not in known]
    if unknown:
        verb = "is not a column" if len(unknown) == 1 else "are not columns"
        fail(code, f"{what}: {', '.join(shown(k) for k in unknown)} {verb} of X")
    if not m.columns.is_unique:
        dup = m.columns[m.columns.duplicated()].unique().tolist()
        fail(code, f"{what} by name: X has duplicated column names ({', '.join(shown(c) for c in dup)})")
    missing = [c for c in m.columns if c not in items]
    if missing and complete:
        fail(code, f"{what}: no value for column {', '.join(shown(c) for c in missing)} (every column needs one)")
    return [items.get(c, default) for c in m.columns]


def as_types(types: Any, m: Matrix) -> np.ndarray:
    """``types`` as one int32 +1/-1 per column.

    Accepts None (all benefit), a sequence of +1/-1 or words (``"+"``, ``"-"``, ``"benefit"``,
    ``"cost"``, ``"max"``, ``"min"``), a string (one word for every column, or words separated
    by commas as on the command line: ``"+,-,+"``), or a dict/Series by column name naming
    every column."""
    n = m.cols
    if types is None:
        return np.ones(n, dtype=np.int32)
    if isinstance(types, str):
        parts = [p for p in types.split(",")]
        items: List[Any] = parts * n if len(parts) == 1 else parts
    elif isinstance(types, (Mapping, pd.Series)) and not (isinstance(types, pd.Series) and m.columns is None):
        items = by_name(types, m, "types", "rectify.mcda.bad_types")
    else:
        items = list(np.asarray(types, dtype=object).ravel()) if not isinstance(types, (list, tuple)) else list(types)
    if len(items) != n:
        fail("rectify.mcda.bad_types", f"got {len(items)} criterion types for {n} columns")
    return np.array([_one_type(v, _column_name(m, j)) for j, v in enumerate(items)], dtype=np.int32)


def as_vector(values: Any, what: str, code: str) -> np.ndarray:
    """A 1-D float64 array from an array-like (a Series positionally)."""
    try:
        a = np.asarray(values.to_numpy() if isinstance(values, pd.Series) else values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        fail(code, f"{what} must be numbers ({exc})")
    if a.ndim != 1:
        fail(code, f"{what} must be one-dimensional, not of shape {tuple(a.shape)}")
    return a


def as_weights(weights: Any, m: Matrix, what: str = "weights") -> np.ndarray:
    """One weight per column: an array-like in column order, or a dict/Series by column name
    (every column named) when X is a DataFrame. Validity (finite, >= 0, positive sum) is
    checked by C++, which rescales them to sum 1."""
    if isinstance(weights, Mapping) or (isinstance(weights, pd.Series) and m.columns is not None):
        return as_vector(by_name(weights, m, what, "rectify.mcda.bad_weights"), what, "rectify.mcda.bad_weights")
    return as_vector(weights, what, "rectify.mcda.bad_weights")


def per_criterion(
    value: Any, m: Matrix, what: str, default: Any, convert: Callable[[Any, str], Any]
) -> List[Any]:
    """A per-criterion parameter: one value for every criterion, a sequence in column order, or
    a dict/Series by column name (missing columns get ``default``)."""
    if value is None:
        items: List[Any] = [default] * m.cols
    elif isinstance(value, (Mapping, pd.Series)) and not (isinstance(value, pd.Series) and m.columns is None):
        items = by_name(value, m, what, "rectify.mcda.bad_option", default=default, complete=False)
    elif isinstance(value, (str, int, float, np.integer, np.floating)):
        items = [value] * m.cols
    else:
        items = list(value)
        if len(items) != m.cols:
            fail("rectify.mcda.bad_option", f"got {len(items)} values of {what} for {m.cols} criteria")
    return [convert(v, _column_name(m, j)) for j, v in enumerate(items)]


# Positions in the C++ messages ("row 3, column 2", "weight 1", "criterion 0") that can be
# given the DataFrame's labels.
_POSITION = re.compile(r"\b(row|column|weight|criterion) (\d+)\b(?! \()")


def _relabel(message: str, rows: Optional[pd.Index], cols: Optional[pd.Index], criteria: Optional[pd.Index]) -> str:
    def label(match: "re.Match[str]") -> str:
        word, k = match.group(1), int(match.group(2))
        names = rows if word == "row" else cols if word == "column" else criteria
        if names is None or not 0 <= k < len(names):
            return match.group(0)
        return f"{word} {k} ({shown(names[k])})"

    return _POSITION.sub(label, message)


_SAME = pd.Index([], name="__same_as_cols__")


@contextlib.contextmanager
def labelled(rows: Optional[pd.Index], cols: Optional[pd.Index], criteria: Optional[pd.Index] = _SAME) -> Iterator[None]:
    """Adds the DataFrame's row and column labels to the 0-based positions of an MCDAError
    raised inside (the C++ message is kept: ``row 1 ("b"), column 2 ("cost"): NaN``).
    ``weight j`` and ``criterion j`` name ``criteria``, the columns unless given (FCE's
    criteria are the rows of its membership matrix)."""
    named = cols if criteria is _SAME else criteria
    try:
        yield
    except MCDAError as e:
        if rows is None and cols is None and named is None:
            raise
        problems = [
            _core.Problem(code=p.code, path=p.path, message=_relabel(p.message, rows, cols, named), source=p.source)
            for p in e.problems
        ]
        raise MCDAError._from_problems(problems) from None


def position_map(index: pd.Index) -> Dict[Hashable, int]:
    return {k: i for i, k in enumerate(index)}


def ranks_argument(values: Sequence[Any], what: str) -> np.ndarray:
    """Criterion ranks as int32 (whole numbers only)."""
    a = as_vector(values, what, "rectify.mcda.bad_ranks")
    if not np.all(np.isfinite(a)) or not np.all(a == np.round(a)):
        bad = next(i for i, v in enumerate(a) if not (np.isfinite(v) and v == round(v)))
        fail("rectify.mcda.bad_ranks", f"criterion {bad}: a rank is a whole number >= 1, not {float(a[bad]):g}")
    return a.astype(np.int32)
