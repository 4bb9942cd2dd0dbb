"""The rectification ledger (整改台账): problems → measures → tasks, the guarded workflow, the
hash-chained event log and the metrics as of any date (docs/ledger.md).

>>> ledger = rectify.Ledger.load("examples/data/ledger.json")
>>> ledger.act("P1.M1", "start", by="王干事", at="2026-04-02T09:30:00+08:00")
>>> ledger.save()                          # atomic; refused if someone else appended meanwhile
>>> ledger.status(as_of="2026-06-30")      # one row per measure
>>> units.join(ledger.inputs(), how="left")  # rect_* columns for Scheme.score
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import LedgerError

__all__ = ["Ledger", "VerifyReport"]

PathLike = Union[str, "os.PathLike[str]"]
#: A day for ``as_of``, ``start`` and ``end``: a ``datetime.date``, a ``datetime.datetime`` or
#: ``pandas.Timestamp`` (its own calendar date), a ``numpy.datetime64`` or ``"YYYY-MM-DD"``.
DateLike = Union[_dt.date, np.datetime64, str]
#: An instant for ``act(at=...)``: a timezone-aware ``datetime``/``Timestamp`` or an ISO text
#: with a UTC offset (``"2026-04-02T09:30:00+08:00"``).
InstantLike = Union[_dt.datetime, str]

STATES: Tuple[str, ...] = tuple(_core.ledger_states())
ESCALATIONS: Tuple[str, ...] = ("remind", "warn", "accountable")
KINDS: Tuple[str, ...] = ("immediate", "deadline", "long_term")
GROUPINGS: Tuple[str, ...] = ("area", "unit", "leader", "owner")


def _error(code: str, message: str) -> LedgerError:
    err = LedgerError._from_problems([_core.Problem(code=code, message=message)])
    assert isinstance(err, LedgerError)
    return err


def _day(value: Optional[DateLike], what: str) -> str:
    """``YYYY-MM-DD`` of a date-like value; None is today, in local time. Strings are passed
    as they are: the C++ parser refuses anything but an exact, real ``YYYY-MM-DD``."""
    if value is None:
        return _dt.date.today().isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise _error("rectify.ledger.bad_date", f"{what}: NaT is not a date")
        value = pd.Timestamp(value)
    if isinstance(value, _dt.datetime):  # pandas.Timestamp too: the date it shows
        if pd.isna(value):  # pandas.NaT is a datetime too
            raise _error("rectify.ledger.bad_date", f"{what}: NaT is not a date")
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(
        f"{what} must be a date, a datetime, a pandas Timestamp or 'YYYY-MM-DD', not {type(value).__name__}"
    )


def _instant(value: Optional[InstantLike]) -> Optional[str]:
    """The ISO text of ``at``; a datetime must say its UTC offset (ledger.md §1)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime) and pd.isna(value):  # pandas.NaT is a datetime too
        raise _error("rectify.ledger.bad_date", "at: NaT is not a date and time")
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime(warn=False)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise _error(
                "rectify.ledger.bad_date",
                f"at: {value.isoformat()} has no UTC offset (give a timezone-aware datetime, "
                "e.g. datetime(2026, 4, 2, 9, 30, tzinfo=ZoneInfo('Asia/Shanghai')))",
            )
        return value.isoformat(timespec="seconds")
    if isinstance(value, _dt.date):
        raise _error("rectify.ledger.bad_date", f"at: {value.isoformat()} is a date without a time and a UTC offset")
    raise TypeError(
        f"at must be a timezone-aware datetime or an ISO text with a UTC offset, not {type(value).__name__}"
    )


def _optional_str(value: Any, what: str) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{what} must be a string or None, not {type(value).__name__}")


def _dates(days: Any) -> "np.ndarray[Any, np.dtype[np.datetime64]]":
    """Days since 1970-01-01 (int64, NaT's value for none) as datetime64[s], the coarsest
    resolution pandas keeps."""
    return np.asarray(days, dtype=np.int64).view("datetime64[D]").astype("datetime64[s]")


def _by(by: Optional[str]) -> Optional[str]:
    if by is None or by in GROUPINGS:
        return by
    raise ValueError(f"by must be 'area', 'unit', 'leader' or 'owner', not {by!r}")


def _measure_frame(cols: Dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "problem": cols["problem"],
            "area": cols["area"],
            "unit": cols["unit"],
            "leader": cols["leader"],
            "owner": cols["owner"],
            "kind": pd.Categorical(cols["kind"], categories=list(KINDS)),
            "due": _dates(cols["due"]),
            "state": pd.Categorical.from_codes(cols["state"], categories=pd.Index(STATES), ordered=True),
            "overdue": np.asarray(cols["overdue"], dtype=bool),
            "days_overdue": np.asarray(cols["days_overdue"], dtype=np.int64),
            "escalation": pd.Categorical.from_codes(
                cols["escalation"], categories=pd.Index(ESCALATIONS), ordered=True
            ),
            "days_to_verify": pd.array(cols["days_to_verify"], dtype="Int64"),
            "times_returned": np.asarray(cols["times_returned"], dtype=np.int64),
            "verified_on": _dates(cols["verified_on"]),
            "closed_on": _dates(cols["closed_on"]),
            "tasks_total": np.asarray(cols["tasks_total"], dtype=np.int64),
            "tasks_done": np.asarray(cols["tasks_done"], dtype=np.int64),
            "evidence": np.asarray(cols["evidence"], dtype=np.int64),
        },
        index=pd.Index(cols["id"], name="id"),
    )
    return frame


def _counts(cols: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {"total": np.asarray(cols["total"], dtype=np.int64)}
    for s in STATES:
        out[s] = np.asarray(cols[s], dtype=np.int64)
    return out


def _group_frame(cols: Dict[str, Any], by: str) -> pd.DataFrame:
    data = _counts(cols)
    data["completion_rate"] = np.asarray(cols["completion_rate"], dtype=np.float64)
    data["closure_rate"] = np.asarray(cols["closure_rate"], dtype=np.float64)
    data["on_time_rate"] = np.asarray(cols["on_time_rate"], dtype=np.float64)
    data["overdue"] = np.asarray(cols["overdue"], dtype=np.int64)
    return pd.DataFrame(data, index=pd.Index(cols["key"], name=by))


@dataclass(frozen=True)
class VerifyReport:
    """What :meth:`Ledger.verify` found: truthy when the log verifies.

    ``events`` is the number of events in the log; when it fails, ``seq`` and ``index`` name the
    first bad event (its ``seq`` as stored and its 0-based position in ``log``), ``code`` is one
    of ``rectify.ledger.seq``, ``.chain``, ``.guard``, ``.unknown_measure``, ``.unknown_task``,
    ``.recorded_state`` and ``reason`` says why. ``str()`` is the line ``rectify ledger verify``
    prints.
    """

    ok: bool
    events: int
    seq: Optional[int] = None
    index: Optional[int] = None
    code: str = ""
    reason: str = ""
    source: str = ""

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        if self.ok:
            return f"{where}ok, {self.events} event{'s' if self.events != 1 else ''}"
        return f"{where}[{self.code}] /log/{self.index}: seq {self.seq}: {self.reason}"


class Ledger:
    """A rectification ledger (``rectify.ledger/1``, docs/ledger.md) in memory.

    :meth:`act` appends events in memory after the workflow's guards allow them, :meth:`save`
    writes the file atomically, and :meth:`status`, :meth:`overdue`, :meth:`inputs` and
    :meth:`timeline` compute the metrics as of any date by replaying the log. A refused action
    raises :class:`~rectify.LedgerError` with the guard's reason and changes nothing.

    >>> ledger = rectify.Ledger.load("ledger.json")
    >>> ledger.act("P1.M1", "evidence", by="王干事", file="三会一课计划.pdf")
    >>> ledger.save()
    >>> ledger.status(by="unit")
    """

    __slots__ = ("_core", "_path")

    def __init__(self, core: _core.LedgerPlan, path: Optional[str] = None) -> None:
        """Wraps a parsed ledger; use :meth:`load` or :meth:`from_json`."""
        self._core = core
        self._path = path

    @classmethod
    def load(cls, path: PathLike) -> "Ledger":
        """Reads and validates the ledger file at ``path`` (the log is checked by :meth:`verify`,
        and before every :meth:`act`). Raises :class:`~rectify.LedgerError` listing every problem
        with its JSON pointer, or :class:`~rectify.DataError` (``rectify.io.open``) when the file
        cannot be read."""
        p = os.fspath(path)
        return cls(_core.load_ledger(p), p)

    @classmethod
    def from_json(cls, text: Union[str, bytes, Mapping[str, Any]], *, source: str = "") -> "Ledger":
        """A ledger from its JSON text or a dict (not tied to a file: :meth:`save` then needs a
        path). ``source`` names it in messages."""
        if isinstance(text, Mapping):
            text = json.dumps(text, ensure_ascii=False)
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        if not isinstance(text, str):
            raise TypeError(f"Ledger.from_json takes JSON text or a dict, not {type(text).__name__}")
        return cls(_core.parse_ledger(text, source))

    # -- what the file says ---------------------------------------------------------------

    @property
    def path(self) -> Optional[str]:
        """The file this ledger was loaded from or last saved to (``None`` for :meth:`from_json`)."""
        return self._path

    @property
    def id(self) -> str:
        return self._core.id

    @property
    def title(self) -> str:
        return self._core.title

    @property
    def review_levels(self) -> List[str]:
        """The review levels in order (level 1 first)."""
        return list(self._core.review_levels)

    @property
    def escalation(self) -> Dict[str, int]:
        """``remind_days`` and ``accountable_days`` (7 and 30 unless the file says otherwise)."""
        remind, accountable = self._core.escalation
        return {"remind_days": remind, "accountable_days": accountable}

    @property
    def areas(self) -> Dict[str, str]:
        """Area id → name."""
        return dict(self._core.areas)

    @property
    def measures(self) -> pd.DataFrame:
        """The plan, one row per measure in file order (index ``id``): ``problem``, ``area``,
        ``problem_title``, ``text``, ``kind``, ``unit``, ``leader`` (``""`` when absent),
        ``owner``, ``due`` and ``tasks`` (how many)."""
        cols = self._core.measures()
        return pd.DataFrame(
            {
                "problem": cols["problem"],
                "area": cols["area"],
                "problem_title": cols["problem_title"],
                "text": cols["text"],
                "kind": pd.Categorical(cols["kind"], categories=list(KINDS)),
                "unit": cols["unit"],
                "leader": cols["leader"],
                "owner": cols["owner"],
                "due": _dates(cols["due"]),
                "tasks": np.asarray(cols["tasks"], dtype=np.int64),
            },
            index=pd.Index(cols["id"], name="id"),
        )

    @property
    def events(self) -> pd.DataFrame:
        """The log, one row per event (index ``seq``): ``at`` (the text as stored, with its
        offset), ``time_utc`` (the instant, tz-aware UTC), ``date`` (the calendar date in the
        event's own offset, which ``as_of`` compares with), ``by``, ``measure``, ``action``,
        ``level`` (Int64, <NA> when absent), ``task``, ``note``, ``evidence_name``,
        ``evidence_sha256``, ``evidence_bytes`` (missing when absent), ``prev`` and ``hash``."""
        cols = self._core.events()
        return pd.DataFrame(
            {
                "at": cols["at"],
                "time_utc": pd.to_datetime(np.asarray(cols["utc_seconds"], dtype=np.int64), unit="s", utc=True),
                "date": _dates(cols["date"]),
                "by": cols["by"],
                "measure": cols["measure"],
                "action": cols["action"],
                "level": pd.array(cols["level"], dtype="Int64"),
                "task": cols["task"],
                "note": cols["note"],
                "evidence_name": cols["evidence_name"],
                "evidence_sha256": cols["evidence_sha256"],
                "evidence_bytes": pd.array(cols["evidence_bytes"], dtype="Int64"),
                "prev": cols["prev"],
                "hash": cols["hash"],
            },
            index=pd.Index(np.asarray(cols["seq"], dtype=np.int64), name="seq"),
        )

    def __len__(self) -> int:
        """The number of events in the log."""
        return self._core.event_count

    # -- acting ---------------------------------------------------------------------------

    def act(
        self,
        measure: str,
        action: str,
        *,
        by: str,
        at: Optional[InstantLike] = None,
        level: Optional[int] = None,
        task: Optional[str] = None,
        note: Optional[str] = None,
        file: Optional[PathLike] = None,
    ) -> Dict[str, Any]:
        """Appends one event to the log in memory and returns it as stored (a dict with
        ``seq``, ``at``, ``by``, ``measure``, ``action``, the optional keys, ``prev`` and
        ``hash``). :meth:`save` writes it.

        ``action`` is ``start``, ``evidence``, ``submit``, ``approve``, ``return``, ``close``,
        ``reopen`` or ``task_done``; ``level`` (1 = the first review level) is for approve and
        return, ``task`` for task_done, ``note`` for return and reopen (required there),
        ``file`` for evidence: the file is hashed (SHA-256) now and stored by its path relative
        to the folder of the ledger's file (:attr:`path`), '/'-separated, with its hash and size;
        a file outside that folder (symlinks resolved) raises :class:`~rectify.LedgerError`
        (``rectify.ledger.evidence_outside``): copy it into the folder first. A ledger read by
        :meth:`from_json` has no folder, so evidence raises ``ValueError`` until it is saved.
        ``at`` is a timezone-aware datetime or an ISO text with a UTC offset; None means now, in
        local time. A naive datetime or a text without an offset raises
        :class:`~rectify.LedgerError` (``rectify.ledger.bad_date``), as does an action the
        guards refuse (``rectify.ledger.guard``, e.g. ``P1.M1: submit needs evidence``); the
        ledger is then unchanged.
        """
        for name, v in (("measure", measure), ("action", action), ("by", by)):
            if not isinstance(v, str):
                raise TypeError(f"{name} must be a string, not {type(v).__name__}")
        if level is not None and (isinstance(level, bool) or not isinstance(level, (int, np.integer))):
            raise TypeError(f"level must be an int or None, not {type(level).__name__}")
        instant = _instant(at)
        lvl = None if level is None else int(level)
        task_, note_ = _optional_str(task, "task"), _optional_str(note, "note")
        if file is None:
            text = self._core.act(measure, action, by, at=instant, level=lvl, task=task_, note=note_)
        else:
            # The stored name is the file's path relative to the ledger file's folder.
            if self._path is None:
                raise ValueError(
                    "this ledger was not loaded from a file: evidence is stored by its path relative to the "
                    "ledger's folder, so save() the ledger to a path first"
                )
            text = self._core.act(
                measure, action, by, at=instant, level=lvl, task=task_, note=note_,
                file=os.fspath(file), ledger_path=self._path,
            )  # fmt: skip
        event: Dict[str, Any] = json.loads(text)
        return event

    def save(self, path: Optional[PathLike] = None) -> None:
        """Writes the ledger to ``path`` (default: :attr:`path`) atomically under the file's
        lock, recording each measure's state for readers. Refused with
        :class:`~rectify.LedgerError` (``rectify.ledger.conflict``) when the file's log is not
        a prefix of this one, i.e. someone else appended since it was read: load it again and
        redo the actions. Afterwards :attr:`path` is the file written. A write that fails (the
        disk is full, a file-size limit, no permission to write in the folder) raises
        :class:`~rectify.DataError` (``rectify.io.write``) saying why, and leaves the old file as it
        was. Evidence names are relative to the folder of the file they were added for: a ledger
        saved into another folder keeps them, so its evidence files must move with it."""
        target = self._path if path is None else os.fspath(path)
        if target is None:
            raise ValueError("this ledger was not loaded from a file: give save() a path")
        self._core.save(target)
        self._path = target

    def to_json(self) -> str:
        """The ledger as the JSON text :meth:`save` writes."""
        return self._core.to_json()

    def verify(self) -> VerifyReport:
        """Replays the whole log with every guard and checks the hash chain (docs/ledger.md §3).
        Returns a :class:`VerifyReport` (truthy when the log verifies) rather than raising, so
        that a broken ledger can be inspected; ``if not ledger.verify(): ...``."""
        ok, events, seq, index, code, reason = self._core.verify()
        return VerifyReport(ok, events, seq, index, code, reason, self._path or "")

    # -- metrics --------------------------------------------------------------------------

    def status(self, as_of: Optional[DateLike] = None, by: Optional[str] = None) -> pd.DataFrame:
        """The status of every measure as of the day ``as_of`` (default today), replaying only
        the events dated on or before it.

        With ``by=None``: one row per measure in file order (index ``id``) with ``problem``,
        ``area``, ``unit``, ``leader``, ``owner``, ``kind``, ``due``, ``state`` (an ordered
        Categorical, planned < in_progress < submitted < verified < closed), ``overdue``,
        ``days_overdue``, ``escalation`` (Categorical remind/warn/accountable, NaN for none),
        ``days_to_verify`` (Int64), ``times_returned``, ``verified_on``, ``closed_on``,
        ``tasks_total``, ``tasks_done`` and ``evidence``.

        With ``by`` = ``"area"``, ``"unit"``, ``"leader"`` or ``"owner"``: one row per group,
        sorted, indexed by the group key (index named after ``by``) with ``total``, a count per
        state, ``completion_rate``, ``closure_rate``, ``on_time_rate`` (NaN when the
        denominator is zero) and ``overdue``.
        """
        by = _by(by)
        _, measures, groups = self._core.status(_day(as_of, "as_of"), by)
        return _measure_frame(measures) if by is None else _group_frame(groups, by)

    def overdue(self, as_of: Optional[DateLike] = None) -> pd.DataFrame:
        """The measures overdue as of ``as_of`` (columns as :meth:`status`), most days overdue
        first."""
        return _measure_frame(self._core.overdue(_day(as_of, "as_of")))

    def inputs(self, as_of: Optional[DateLike] = None) -> pd.DataFrame:
        """The scorer's inputs as of ``as_of``, indexed by unit (index name ``unit``): float64
        columns ``rect_total``, ``rect_completion_rate``, ``rect_overdue``, ``rect_returned``
        and ``rect_on_time_rate`` (rates as fractions, NaN when the denominator is zero). Join
        it with the unit data before scoring: ``units.join(ledger.inputs(), how="left")``."""
        units, names, values = self._core.inputs(_day(as_of, "as_of"))
        return pd.DataFrame(values, index=pd.Index(units, name="unit"), columns=pd.Index(names))

    def timeline(self, start: DateLike, end: DateLike, by: Optional[str] = None) -> pd.DataFrame:
        """The daily series from ``start`` to ``end`` inclusive, in one replay: each row is what
        :meth:`status` gives as of that day. Columns ``total``, a count per state, ``overdue``
        and ``completion_rate``.

        Without ``by`` the index is a daily ``DatetimeIndex`` named ``date``, so
        ``ledger.timeline(a, b)[["closed", "overdue"]].plot()`` draws a burn-down. With ``by``
        the index is a MultiIndex (``date``, ``by``); ``.unstack()`` gives one column per group
        (``tl["completion_rate"].unstack().plot()``). Raises :class:`~rectify.LedgerError`
        (``rectify.ledger.bad_range``) when ``end`` is before ``start``."""
        by = _by(by)
        cols = self._core.timeline(_day(start, "start"), _day(end, "end"), by)
        data = _counts(cols)
        data["overdue"] = np.asarray(cols["overdue"], dtype=np.int64)
        data["completion_rate"] = np.asarray(cols["completion_rate"], dtype=np.float64)
        dates = _dates(cols["date"])
        index: pd.Index
        if by is None:
            index = pd.DatetimeIndex(dates, name="date")
            if len(dates):
                index = pd.DatetimeIndex(dates, name="date", freq="D")
        else:
            index = pd.MultiIndex.from_arrays([pd.DatetimeIndex(dates), pd.Index(cols["key"])], names=["date", by])
        return pd.DataFrame(data, index=index)

    # -- display --------------------------------------------------------------------------

    def _summary(self) -> Tuple[str, List[Tuple[str, int]], int]:
        today = _dt.date.today().isoformat()
        frame = self.status(as_of=today)
        counts = frame["state"].value_counts(sort=False)
        return today, [(s, int(counts.get(s, 0))) for s in STATES], int(frame["overdue"].sum())

    def __repr__(self) -> str:
        today, counts, overdue = self._summary()
        states = ", ".join(f"{s} {k}" for s, k in counts if k)
        where = f" {self._path!r}" if self._path else ""
        n, e = self._core.measure_count, self._core.event_count
        return (
            f"<rectify.Ledger {self.id!r}{where}: {self._core.problem_count} problems, "
            f"{n} measure{'s' if n != 1 else ''}, {e} event{'s' if e != 1 else ''}; "
            f"as of {today}: {states or 'no measures'}, {overdue} overdue>"
        )

    def _repr_html_(self) -> str:
        today, counts, overdue = self._summary()
        e = html.escape
        title = e(self.id) + (f" {e(self.title)}" if self.title else "")
        rows = "".join(f"<tr><td>{e(s)}</td><td style='text-align:right'>{k}</td></tr>" for s, k in counts)
        return (
            f"<div><strong>rectify.Ledger</strong>: {title}"
            f"<br>{self._core.problem_count} problems, {self._core.measure_count} measures, "
            f"{self._core.event_count} events; as of {e(today)}: {overdue} overdue"
            f"<table><tr><th>state</th><th>measures</th></tr>{rows}</table></div>"
        )
