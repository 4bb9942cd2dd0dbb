"""Reading unit data with the library's own CSV reader."""

from __future__ import annotations

import os
from typing import Union

import pandas as pd

from . import _core

__all__ = ["read_units_csv"]


def read_units_csv(path: Union[str, "os.PathLike[str]"], *, encoding: str = "utf-8") -> pd.DataFrame:
    """Reads a unit-data CSV (scoring.md §6) exactly as the command line does: a ``unit``
    column of unique ids, numeric cells, ``true``/``false``, empty cells as NaN.

    Returns a float64 DataFrame indexed by ``unit`` with one column per input, in file order.
    Its values are the reader's own column-major matrix, handed over without a copy.
    ``encoding`` is ``"utf-8"`` (default), ``"gbk"`` or ``"gb18030"``. Raises
    :class:`~rectify.DataError` (code ``rectify.data.*``, or ``rectify.io.open`` when the file
    cannot be read) naming file, line and column.

    To keep those file positions in scoring errors too, pass the path to
    :meth:`Scheme.score` instead.
    """
    units, columns, values = _core.read_units_csv_file(os.fspath(path), encoding)
    return pd.DataFrame(values, index=pd.Index(units, name="unit"), columns=pd.Index(columns), copy=False)
