"""The exceptions of rectify.

Every error that the C++ library throws reaches Python as one of these, with the message of
the C++ ``what()`` (one problem per line) and the problems themselves in ``.problems``. The
translation is registered in the binding layer (``python/src/module.cpp``): codes starting
with ``rectify.scheme.`` raise :class:`SchemeError`, ``rectify.data.`` and ``rectify.io.``
raise :class:`DataError`, ``rectify.mcda.`` raise :class:`MCDAError`, ``rectify.ledger.`` raise
:class:`LedgerError`, ``rectify.compliance.`` (the meeting-rules file's
``rectify.compliance.rules.`` too) raise :class:`ComplianceError`. Errors found by the Python layer itself (a cell that is not a number, a
duplicated unit id, a naive datetime given to ``Ledger.act``) are raised the same way, with the
same kind of problems.
"""

from __future__ import annotations

from typing import Iterable, List

from ._core import Problem

__all__ = ["Error", "SchemeError", "DataError", "MCDAError", "LedgerError", "ComplianceError", "TextError"]


class Error(ValueError):
    """Base of every rectify error; a :class:`ValueError`.

    ``problems`` lists every problem found (at least one when rectify raised it) and
    ``code`` is the code of the first, e.g. ``"rectify.scheme.bad_rule"``.
    """

    problems: List[Problem]
    code: str

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)
        self.code = self.problems[0].code if self.problems else ""

    @classmethod
    def _from_problems(cls, problems: Iterable[Problem]) -> "Error":
        ps = list(problems)
        return cls("\n".join(str(p) for p in ps), ps)


class SchemeError(Error):
    """The assessment scheme is not valid (codes ``rectify.scheme.*``)."""


class DataError(Error):
    """The unit data cannot be scored or read (codes ``rectify.data.*`` and ``rectify.io.*``)."""


class MCDAError(Error):
    """An MCDA method refused its input (codes ``rectify.mcda.*``): a NaN in the decision
    matrix, a negative weight, wrong criterion types, a non-reciprocal AHP matrix, an unknown
    method name. Messages name the row and column (with the DataFrame's labels when the
    matrix was one)."""


class LedgerError(Error):
    """A ledger is not valid or refused an action (codes ``rectify.ledger.*``): a malformed
    file, a guard that refuses an event (``rectify.ledger.guard``, the message is the guard's
    reason, e.g. ``P1.M1: submit needs evidence``), a log that does not verify, a save that
    would lose events someone else appended (``rectify.ledger.conflict``), a bad date. Files
    that cannot be read or written raise :class:`DataError` (``rectify.io.*``) as everywhere."""


class ComplianceError(Error):
    """A compliance check refused its records (codes ``rectify.compliance.*``, docs/compliance.md):
    an unknown meeting type, a day like ``2026-13-01``, ``attended`` above ``expected``, a count
    that is not a whole number, an answer off the survey's scale, an unknown risk level, a branch
    or party group the branch list does not have, a period that is not whole months, or a
    meeting-rules file that does not validate (``rectify.compliance.rules.*``, with the JSON
    pointer of the bad value). Every bad cell is listed, up to 100, each naming ``file:line:column``
    (``DataFrame:row N:column`` for a DataFrame). A record file that is not valid CSV, or cannot be
    read, raises :class:`DataError` (``rectify.data.*``, ``rectify.io.*``) as everywhere."""


class TextError(Error):
    """Copy detection refused its documents or options (codes ``rectify.text.*``,
    docs/similarity.md): text that is not UTF-8 (``rectify.text.encoding``, naming
    ``file:line:column`` or ``DataFrame:row N:text``), a file in the documents folder not named
    ``UNIT__TITLE.txt`` (``rectify.text.bad_name``), two documents with the same unit and title
    (``rectify.text.duplicate_document``), a CSV or DataFrame without ``unit``, ``doc`` or
    ``text`` (``rectify.text.missing_column``) or with an empty unit or doc
    (``rectify.text.missing_value``), no document at all (``rectify.text.empty``), or an option
    out of range (``rectify.text.bad_option``). A folder or file that cannot be read, or a CSV
    that is not valid CSV, raises :class:`DataError` (``rectify.io.*``, ``rectify.data.*``) as
    everywhere."""


for _cls in (Error, SchemeError, DataError, MCDAError, LedgerError, ComplianceError, TextError):
    _cls.__module__ = "rectify"
del _cls
