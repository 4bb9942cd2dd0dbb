"""rectify: weighted performance assessment (考核) of organisational units.

>>> import pandas as pd, rectify
>>> scheme = rectify.Scheme.from_json("examples/data/scheme.json")
>>> result = scheme.score(pd.read_csv("examples/data/units.csv"))
>>> result.to_frame()          # one row per unit: score, grade, rank, points of every node
>>> result.explain("wa_baima") # why a unit lost points
>>> ledger = rectify.Ledger.load("examples/data/ledger.json")   # the rectification ledger
>>> ledger.status(by="unit"); ledger.inputs()                   # metrics as DataFrames
>>> m = rectify.compliance.meetings("examples/data/meetings.csv", "2026-01", "2026-12")
>>> m.findings; m.inputs                                        # 三会一课 findings, scorer inputs
>>> s = rectify.text.similar("examples/data/documents", template=Path("examples/data/documents_template.txt"))
>>> s.pairs; s.inputs                                           # copied documents, scorer inputs

The compiled core (``rectify._core``) is private; everything here wraps it.
"""

from __future__ import annotations

from . import compliance, mcda, text
from ._core import Problem
from ._errors import ComplianceError, DataError, Error, LedgerError, MCDAError, SchemeError, TextError
from ._excel import read_units
from ._io import read_units_csv
from ._ledger import Ledger, VerifyReport
from ._periods import PeriodResults
from ._result import Result
from ._scheme import Scheme

__version__ = "0.1.0"

__all__ = [
    "ComplianceError",
    "DataError",
    "Error",
    "Ledger",
    "LedgerError",
    "MCDAError",
    "PeriodResults",
    "Problem",
    "Result",
    "Scheme",
    "SchemeError",
    "TextError",
    "VerifyReport",
    "__version__",
    "compliance",
    "mcda",
    "read_units",
    "read_units_csv",
    "text",
]
