"""Scoring several periods (考核期) with one scheme, and what changed between them.

Each period is scored on its own, exactly as :meth:`Scheme.score` scores one cohort: weights
derived from the cohort (entropy, CRITIC, std), grade quotas and ranks are those of that period's
units. :class:`PeriodResults` keeps the per-period :class:`~rectify.Result` objects and lines them
up unit by unit, so that an analyst sees who moved up or down since the previous period, and by
how much (the typical question after a round of rectification: did the 整改 show in the score?).
"""

from __future__ import annotations

import datetime as _dt
import html
import importlib
import math
import os
import re
from typing import TYPE_CHECKING, Any, Dict, Hashable, Iterator, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from . import _core, _progress
from ._errors import DataError
from ._warnings import ignoring

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ._result import Result
    from ._scheme import Scheme

__all__ = ["PeriodResults", "score_periods", "period_order"]

_MAX_REPORTED = 20  # as many problems as the scorer reports
_VALUES = ("score", "rank", "grade", "change", "rank_change", "previous_grade", "grade_change")

# Period labels pandas does not parse itself: half years and the usual Chinese spellings.
_HALF = re.compile(r"(\d{4})\s*[-_/ ]?\s*H([12])\Z", re.IGNORECASE)
_QUARTER = re.compile(r"(\d{4})\s*[-_/ ]?\s*Q([1-4])\Z", re.IGNORECASE)
_CN_YEAR = re.compile(r"(\d{4})\s*年度?\Z")
_CN_HALF = re.compile(r"(\d{4})\s*年度?\s*(上|下)半年\Z")
_CN_QUARTER = re.compile(r"(\d{4})\s*年度?\s*第?\s*([1-4一二三四])\s*季度?\Z")
_CN_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月份?\Z")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}

_Span = Tuple[pd.Timestamp, pd.Timestamp]


def _problem(code: str, message: str) -> _core.Problem:
    return _core.Problem(code=code, message=message)


def _shown(label: Hashable) -> str:
    return _core.quoted(label) if isinstance(label, str) else repr(label)


def _months(year: int, first: int, count: int) -> _Span:
    start = pd.Timestamp(year=year, month=first, day=1)
    end = start + pd.DateOffset(months=count) - pd.Timedelta(1, "ns")
    return start, end


def _span(label: Hashable) -> Optional[_Span]:
    """When the period ``label`` starts and ends, or None if it does not read as time."""
    if isinstance(label, pd.Period):
        return label.start_time, label.end_time
    if isinstance(label, (_dt.date, np.datetime64)):  # datetime, pd.Timestamp and date too
        ts = pd.Timestamp(label)
        if pd.isna(ts):
            return None
        if ts.tzinfo is not None:
            ts = ts.tz_convert(None)
        return ts, ts
    if isinstance(label, (int, np.integer)) and not isinstance(label, (bool, np.bool_)) and 1000 <= label <= 9999:
        return _months(int(label), 1, 12)  # a year given as a number
    if not isinstance(label, str):
        return None
    s = label.strip()
    for pattern, months in ((_HALF, 6), (_QUARTER, 3)):
        m = pattern.match(s)
        if m:
            return _months(int(m.group(1)), (int(m.group(2)) - 1) * months + 1, months)
    m = _CN_YEAR.match(s)
    if m:
        return _months(int(m.group(1)), 1, 12)
    m = _CN_HALF.match(s)
    if m:
        return _months(int(m.group(1)), 1 if m.group(2) == "上" else 7, 6)
    m = _CN_QUARTER.match(s)
    if m:
        q = m.group(2)
        return _months(int(m.group(1)), (_CN_DIGITS.get(q) or int(q)) * 3 - 2, 3)
    m = _CN_MONTH.match(s)
    if m and 1 <= int(m.group(2)) <= 12:
        return _months(int(m.group(1)), int(m.group(2)), 1)
    if not re.match(r"\s*\d{4}", s):
        return None  # pandas would read "1" or "Q1" as some date of its own choosing
    try:
        with ignoring():
            p = pd.Period(s)
    except (ValueError, TypeError, OverflowError):
        return None
    return p.start_time, p.end_time


def _is_number(label: Hashable) -> bool:
    return isinstance(label, (int, float, np.integer, np.floating)) and not isinstance(label, (bool, np.bool_))


def period_order(labels: Sequence[Hashable]) -> List[Hashable]:
    """``labels`` in chronological order, as :meth:`Scheme.score_periods` orders the periods of
    a long table.

    Labels that all read as time (``pd.Period``, dates and timestamps, years as numbers, and
    strings such as ``"2025"``, ``"2026Q1"``, ``"2026-03"``, ``"2026-H1"``, ``"2026年"``,
    ``"2026年上半年"``, ``"2026年第一季度"``, ``"2026年3月"``) are sorted by when the period
    ends, then by when it starts: ``"2026-H1"`` (as of 30 June) comes before ``"2026"`` (as of
    31 December), like the assessments made at those dates. Otherwise numbers sort as numbers
    and anything else in the order of ``str(label)``.
    """
    items = list(labels)
    spans = [_span(x) for x in items]
    if all(s is not None for s in spans):
        keyed = [(s[1], s[0], str(x), k) for k, (x, s) in enumerate(zip(items, spans)) if s is not None]
        return [items[k] for *_, k in sorted(keyed)]
    if all(_is_number(x) for x in items):
        return sorted(items, key=lambda x: float(x))  # type: ignore[arg-type]
    return sorted(items, key=str)


def _is_unit_data(value: Any) -> bool:
    return isinstance(value, (pd.DataFrame, Mapping, str, os.PathLike))


def _unit_labels(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    """``frame`` with the period and the unit ids as columns ``period`` and ``unit``."""
    names = [n for n in frame.index.names if n is not None]
    if period not in frame.columns and period in names:
        frame = frame.reset_index(level=period)
        names.remove(period)
    if period not in frame.columns:
        shown = ", ".join(_core.quoted(str(c)) for c in frame.columns[:12])
        raise DataError._from_problems(
            [
                _problem(
                    "rectify.data.no_period_column",
                    f"the data has no {_core.quoted(period)} column or index level naming each row's period "
                    f"(columns: {shown or 'none'}); name the column with period=",
                )
            ]
        )
    if "unit" in frame.columns:
        return frame
    if "unit" in names:
        return frame.reset_index(level="unit")
    index = frame.index
    if isinstance(index, pd.MultiIndex) or isinstance(index, pd.RangeIndex):
        # A default RangeIndex would make every row a unit of its own: that is never meant here.
        raise DataError._from_problems(
            [
                _problem(
                    "rectify.data.no_unit_column",
                    "a table of several periods needs a \"unit\" column or index level naming the units",
                )
            ]
        )
    return frame.rename_axis("unit").reset_index()


def _split_frame(frame: pd.DataFrame, period: str) -> Tuple[List[Hashable], List[pd.DataFrame]]:
    """The periods of a long table in chronological order, and each period's rows."""
    frame = _unit_labels(frame, period)
    column = frame[period]
    if isinstance(column, pd.DataFrame):
        raise DataError._from_problems(
            [_problem("rectify.data.duplicate_column", f"column {_core.quoted(period)} appears twice")]
        )
    codes, uniques = pd.factorize(column, sort=False, use_na_sentinel=True)
    missing = np.flatnonzero(codes < 0)
    if missing.size:
        shown = ", ".join(str(int(i)) for i in missing[:_MAX_REPORTED])
        more = f" and {missing.size - _MAX_REPORTED} more" if missing.size > _MAX_REPORTED else ""
        raise DataError._from_problems(
            [
                _problem(
                    "rectify.data.missing_period",
                    f"{missing.size} row{'s' if missing.size != 1 else ''} have no {_core.quoted(period)} "
                    f"(positions {shown}{more})",
                )
            ]
        )
    if not len(frame):
        raise DataError._from_problems(
            [_problem("rectify.data.no_periods", "the table has no rows: no period to score")]
        )
    units = pd.Index(frame["unit"]) if not isinstance(frame["unit"], pd.DataFrame) else None
    if units is None:
        raise DataError._from_problems([_problem("rectify.data.duplicate_column", "column \"unit\" appears twice")])
    labels: List[Hashable] = list(uniques)
    keys = pd.MultiIndex.from_arrays([codes, units])
    duplicated = np.flatnonzero(keys.duplicated(keep="first"))
    if duplicated.size:
        first: Dict[Tuple[int, Hashable], int] = {}
        problems: List[_core.Problem] = []
        for i, key in enumerate(zip(codes.tolist(), units.tolist())):
            if key not in first:
                first[key] = i
            elif len(problems) < _MAX_REPORTED:
                problems.append(
                    _problem(
                        "rectify.data.duplicate_unit",
                        f"period {_shown(labels[key[0]])}: unit {_shown(key[1])} appears twice "
                        f"(positions {first[key]} and {i})",
                    )
                )
        if duplicated.size > len(problems):
            extra = duplicated.size - len(problems)
            problems.append(_problem("rectify.data.more", f"... and {extra} more problems of the same kinds"))
        raise DataError._from_problems(problems)
    if isinstance(column.dtype, pd.CategoricalDtype) and column.dtype.ordered:
        # The table says the order itself: keep the categories' order.
        rank = {c: k for k, c in enumerate(column.dtype.categories)}
        ordered = sorted(labels, key=lambda x: rank[x])
    else:
        ordered = period_order(labels)
    position = {k: n for n, k in enumerate(labels)}
    rows = frame.drop(columns=[period])
    parts = [rows.iloc[np.flatnonzero(codes == position[label])] for label in ordered]
    return ordered, parts


def _split(data: Any, period: str) -> Tuple[List[Hashable], List[Any]]:
    """The periods of ``data`` in order, and each period's unit data."""
    if isinstance(data, pd.DataFrame):
        return _split_frame(data, period)
    if isinstance(data, Mapping):
        if not data:
            raise DataError._from_problems(
                [_problem("rectify.data.no_periods", "the dict of periods is empty: no period to score")]
            )
        odd = [k for k, v in data.items() if not _is_unit_data(v)]
        if odd and period in data and "unit" in data:
            # A dict of columns with a period column: the long table as a dict.
            return _split_frame(pd.DataFrame(dict(data)), period)
        if odd:
            label = odd[0]
            raise TypeError(
                f"score_periods takes a dict {{period: unit data}} (each a DataFrame, a dict of columns or a CSV path) "
                f"or one DataFrame with a {period!r} column; the value for period {label!r} is a "
                f"{type(data[label]).__name__}"
            )
        return list(data.keys()), list(data.values())
    raise TypeError(
        f"score_periods takes a dict {{period: unit data}} or one DataFrame with a {period!r} column, "
        f"not {type(data).__name__}"
    )


def _in_period(label: Hashable, error: DataError) -> DataError:
    """``error`` raised again for period ``label``: the same problems, each line naming it."""
    lines = [f"period {_shown(label)}: {line}" for line in (str(error).splitlines() or [""])]
    out = type(error)("\n".join(lines), error.problems)
    out.period = label  # type: ignore[attr-defined]
    return out


def score_periods(
    scheme: "Scheme",
    data: Any,
    *,
    period: str = "period",
    nodes: bool = True,
    progress: Optional[bool] = None,
) -> "PeriodResults":
    """The implementation of :meth:`Scheme.score_periods` (see there)."""
    if not isinstance(period, str):
        raise TypeError(f"period must be the name of a column, a str, not {type(period).__name__}")
    _ = scheme.total  # compiles the scheme: an invalid one is reported once, before any period
    labels, parts = _split(data, period)
    results: List["Result"] = []
    with _progress.bar(len(labels), "scoring periods", progress, unit="period") as bar:
        for label, part in zip(labels, parts):
            bar.set_postfix_str(str(label))
            try:
                result = scheme.score(part, nodes=nodes)
            except DataError as e:
                raise _in_period(label, e) from e
            except TypeError as e:
                raise TypeError(f"period {_shown(label)}: {e}") from e
            results.append(result)
            bar.update(1)
    return PeriodResults(scheme, labels, results)


class PeriodResults:
    """The results of :meth:`Scheme.score_periods`: one :class:`~rectify.Result` per period, in
    chronological order, and the changes between consecutive periods.

    >>> runs = scheme.score_periods({"2026-H1": h1, "2026": year})
    >>> runs.periods                 # ['2026-H1', '2026']
    >>> runs["2026"]                 # that period's Result (explain(), to_frame(), ...)
    >>> runs.to_frame()              # (period, unit) × score, grade, rank, change, ...
    >>> runs.wide("rank")            # units × periods
    >>> runs.movers(5)               # who rose and fell most in the last period
    >>> runs.plot(["wa_baima"])      # a trend line per unit (rectify.plot.trend)

    ``len()`` is the number of periods; iterating gives ``(period, Result)`` pairs.
    """

    __slots__ = ("_scheme", "_periods", "_results", "_frame")

    def __init__(self, scheme: "Scheme", periods: Sequence[Hashable], results: Sequence["Result"]) -> None:
        if len(periods) != len(results):
            raise ValueError(f"{len(periods)} periods for {len(results)} results")
        self._scheme = scheme
        self._periods = list(periods)
        self._results = list(results)
        self._frame: Optional[pd.DataFrame] = None

    # -- the periods ----------------------------------------------------------------------

    @property
    def scheme(self) -> "Scheme":
        return self._scheme

    @property
    def periods(self) -> List[Hashable]:
        """The period labels, oldest first."""
        return list(self._periods)

    def _index(self, label: Hashable) -> int:
        for k, p in enumerate(self._periods):
            try:
                if p == label:
                    return k
            except (TypeError, ValueError):  # e.g. Periods of different frequencies
                continue
        # "2026" finds a pd.Period("2026") or 2026 label: the way it is written on screen.
        if isinstance(label, str):
            for k, p in enumerate(self._periods):
                if str(p) == label:
                    return k
        raise KeyError(f"no period {label!r}; the periods are {self._periods!r}")

    def __getitem__(self, label: Hashable) -> "Result":
        """The :class:`~rectify.Result` of period ``label``."""
        return self._results[self._index(label)]

    def __contains__(self, label: object) -> bool:
        try:
            self._index(label)  # an unhashable label is simply absent (TypeError)
        except (KeyError, TypeError):
            return False
        return True

    def __len__(self) -> int:
        return len(self._periods)

    def __iter__(self) -> Iterator[Tuple[Hashable, "Result"]]:
        """``(period, Result)`` pairs, oldest first."""
        return iter(zip(list(self._periods), list(self._results)))

    @property
    def results(self) -> List["Result"]:
        """The results, oldest first (``list(zip(periods, results))`` is ``list(self)``)."""
        return list(self._results)

    # -- the long table -------------------------------------------------------------------

    def _build(self) -> pd.DataFrame:
        grades = self._scheme.grades
        columns: Dict[str, List[np.ndarray]] = {
            k: [] for k in ("period", "score", "grade", "rank", "change", "rank_change", "previous_grade", "found")
        }
        units: List[Any] = []
        before: Optional[Tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]] = None
        for k, r in enumerate(self._results):
            labels = r.units
            n = len(labels)
            s = r.scores.to_numpy(dtype=np.float64)
            g = np.asarray(r.grades.cat.codes, dtype=np.int64)
            rk = r.ranks.to_numpy(dtype=np.int64)
            if before is None:
                found = np.zeros(n, dtype=bool)
                pos = np.zeros(n, dtype=np.intp)
                ps, pg, prk = np.full(1, math.nan), np.full(1, -1, dtype=np.int64), np.zeros(1, dtype=np.int64)
            else:
                p_labels, ps, pg, prk = before
                pos = p_labels.get_indexer(labels)  # unit ids are unique within a period
                found = pos >= 0
                pos = np.where(found, pos, 0)
            units.extend(labels.tolist())
            columns["period"].append(np.full(n, k, dtype=np.int64))
            columns["score"].append(s)
            columns["grade"].append(g)
            columns["rank"].append(rk)
            columns["change"].append(np.where(found, s - ps[pos], math.nan))
            columns["rank_change"].append(np.where(found, prk[pos] - rk, 0))
            columns["previous_grade"].append(np.where(found, pg[pos], -1))
            columns["found"].append(found)
            before = (labels, s, g, rk)
        c = {
            k: (np.concatenate(v) if v else np.zeros(0, dtype=bool if k == "found" else np.int64))
            for k, v in columns.items()
        }
        # A unit not scored in the previous period has no movement: <NA>, not 0.
        absent = ~c["found"].astype(bool)
        categories = pd.Index(grades)
        period_level = pd.Categorical.from_codes(
            c["period"], categories=pd.Index(self._periods, dtype=object), ordered=True
        )
        index = pd.MultiIndex.from_arrays([period_level, pd.Index(units, dtype=object)], names=["period", "unit"])
        return pd.DataFrame(
            {
                "score": c["score"].astype(np.float64),
                "grade": pd.Categorical.from_codes(c["grade"], categories=categories, ordered=True),
                "rank": c["rank"].astype(np.int64),
                "change": c["change"].astype(np.float64),
                "rank_change": pd.arrays.IntegerArray(c["rank_change"].astype(np.int64), absent),
                "previous_grade": pd.Categorical.from_codes(c["previous_grade"], categories=categories, ordered=True),
                "grade_change": pd.arrays.IntegerArray((c["previous_grade"] - c["grade"]).astype(np.int64), absent),
            },
            index=index,
        )

    def _blocks(self) -> List[slice]:
        """The rows of each period in :meth:`to_frame` (contiguous, in period order)."""
        ends = np.cumsum([len(r) for r in self._results], dtype=np.int64).tolist()
        return [slice(a, b) for a, b in zip([0, *ends[:-1]], ends)]

    def to_frame(self) -> pd.DataFrame:
        """One row per unit and period, indexed by ``(period, unit)``, periods oldest first and
        units in the order of each period's data.

        - ``score``, ``grade`` (an ordered Categorical of the scheme's grades, best first),
          ``rank`` (1 = best, among that period's units);
        - ``change``: score − the unit's score in the previous period (NaN in the first period
          and for a unit not scored in the previous period);
        - ``rank_change``: the previous rank − this rank, so positive means moved up (Int64,
          <NA> where there is no previous rank);
        - ``previous_grade``: the grade in the previous period (NaN where there is none);
        - ``grade_change``: how many grades the unit moved, +1 up one grade (e.g. 良好 → 优秀),
          −1 down one, 0 the same grade (Int64, <NA> where there is no previous grade).

        The ``period`` level is an ordered Categorical of :attr:`periods`, so that sorting and
        grouping keep time order (``"2026-H1"`` before ``"2026"``). A unit that was not scored
        in some period has no row for it; the change of the period after compares with the
        period before that, never with an older one. Returns a new frame on every call.
        """
        if self._frame is None:
            self._frame = self._build()
        return self._frame.copy()

    def wide(self, value: str = "score") -> pd.DataFrame:
        """One column of ``value`` per period (oldest first; column index ``period``), one row
        per unit (index ``unit``, in order of first appearance); a unit not scored in a period
        is NaN / <NA> there. ``value`` is ``"score"``, ``"rank"`` (Int64), ``"grade"`` (the
        ordered Categorical), ``"change"``, or one of the other columns of :meth:`to_frame`.
        """
        if value not in _VALUES:
            raise ValueError(f"value must be one of {', '.join(_VALUES)}; not {value!r}")
        frame = self.to_frame()
        units = pd.Index(pd.unique(frame.index.get_level_values("unit").to_numpy(dtype=object)), name="unit")
        columns: Dict[int, pd.Series] = {}
        for k, rows in enumerate(self._blocks()):
            block = frame[value].iloc[rows]
            series = pd.Series(block.array, index=block.index.get_level_values("unit"), name=value)
            if series.dtype == np.int64:
                series = series.astype("Int64")
            columns[k] = series.reindex(units)
        out = pd.DataFrame(columns, index=units)
        out.columns = pd.Index(self._periods, dtype=object, name="period")
        return out

    def movers(self, n: int = 5) -> pd.DataFrame:
        """The ``n`` biggest risers and the ``n`` biggest fallers by score in the last period,
        against the previous one: rows indexed by ``unit`` with ``direction`` (``"up"`` or
        ``"down"``) then the columns of :meth:`to_frame`, risers first (biggest rise first),
        then fallers (biggest fall first). Units whose score did not change, or that were not
        scored in the previous period, are not listed. Needs at least two periods.
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"n must be a whole number ≥ 0, not {n!r}")
        if len(self._periods) < 2:
            raise ValueError(f"movers needs at least two periods; there {'is' if len(self) == 1 else 'are'} {len(self)}")
        frame = self.to_frame()
        last = frame.iloc[self._blocks()[-1]].droplevel("period")
        up = last[last["change"] > 0].sort_values("change", ascending=False, kind="stable").head(int(n))
        down = last[last["change"] < 0].sort_values("change", ascending=True, kind="stable").head(int(n))
        out = pd.concat([up, down])
        out.insert(0, "direction", ["up"] * len(up) + ["down"] * len(down))
        return out

    # -- plots and display ----------------------------------------------------------------

    def plot(self, units: Optional[Sequence[Hashable]] = None, *, value: str = "score", ax: Any = None) -> "Figure":
        """A line per unit over the periods: ``rectify.plot.trend(self, units, value=value,
        ax=ax)`` (needs the plot extra, ``pip install 'rectify[plot]'``)."""
        plot = importlib.import_module(".plot", __package__)  # lazily: matplotlib is optional
        figure: "Figure" = plot.trend(self, units, value=value, ax=ax)
        return figure

    def _summary(self) -> List[Dict[str, Any]]:
        """Per period: units, mean score, grade counts, and moves against the period before."""
        summary: List[Dict[str, Any]] = []
        frame = self.to_frame()
        previous: Optional[pd.Index] = None
        for rows, label, r in zip(self._blocks(), self._periods, self._results):
            block = frame.iloc[rows]
            change = block["change"].to_numpy(dtype=np.float64)
            counts = block["grade"].value_counts(sort=False)
            units = r.units
            summary.append(
                {
                    "period": label,
                    "units": len(r),
                    "mean": float(np.mean(block["score"])) if len(block) else math.nan,
                    "grades": [(str(g), int(counts.get(g, 0))) for g in self._scheme.grades],
                    "up": int(np.sum(change > 0)),
                    "down": int(np.sum(change < 0)),
                    "new": 0 if previous is None else int(np.sum(~units.isin(previous))),
                    "left": 0 if previous is None else int(np.sum(~previous.isin(units))),
                    "first": previous is None,
                }
            )
            previous = units
        return summary

    def __repr__(self) -> str:
        labels = [str(p) for p in self._periods]
        shown = ", ".join(labels) if len(labels) <= 4 else f"{labels[0]}, {labels[1]}, …, {labels[-1]}"
        n = len(self)
        head = f"<rectify.PeriodResults scheme={self._scheme.id!r}: {n} period{'s' if n != 1 else ''} ({shown})"
        if not self._periods:
            return head + ">"
        last = self._summary()[-1]
        tail = f"; {labels[-1]}: {last['units']} units"
        if not last["first"]:
            tail += f", {last['up']} up, {last['down']} down"
            if last["new"]:
                tail += f", {last['new']} new"
            if last["left"]:
                tail += f", {last['left']} gone"
        return head + tail + ">"

    def _repr_html_(self) -> str:
        e = html.escape
        title = e(self._scheme.id) + (f" {e(self._scheme.name)}" if self._scheme.name else "")
        grades = self._scheme.grades
        head = "".join(f"<th>{e(h)}</th>" for h in ["period", "units", "mean score", *grades, "up", "down", "new", "gone"])
        body = []
        for row in self._summary():
            cells = [e(str(row["period"])), str(row["units"]), f"{row['mean']:.2f}"]
            cells += [str(k) for _, k in row["grades"]]
            cells += ["–"] * 4 if row["first"] else [str(row[c]) for c in ("up", "down", "new", "left")]
            body.append(
                "<tr>" + "".join(
                    f"<td style='text-align:{'left' if j == 0 else 'right'}'>{c}</td>" for j, c in enumerate(cells)
                ) + "</tr>"
            )
        n = len(self)
        return (
            f"<div><strong>rectify.PeriodResults</strong>: {title}, {n} period{'s' if n != 1 else ''}"
            f"<table><tr>{head}</tr>{''.join(body)}</table>"
            "<small>up/down: units whose score rose/fell since the previous period; new/gone: units "
            "entering/leaving</small></div>"
        )
