"""Scoring a Dask DataFrame partition by partition (docs/scale.md).

>>> import dask.dataframe as dd, rectify, rectify.dask
>>> ddf = dd.read_parquet("units/")                      # index = unit ids, or a "unit" column
>>> scheme = rectify.Scheme.from_json("scheme.json")
>>> scored = rectify.dask.score(ddf, scheme)             # a Dask DataFrame
>>> scored.to_parquet("scores/")

The result equals ``scheme.score(ddf.compute()).to_frame()`` exactly: the same columns, dtypes,
order and bit-identical numbers. Everything that is per unit runs where the partition is; the
two things that depend on the whole cohort take a global pass with the same C++ code one
``Scheme.score`` call runs:

1. weights a cohort method derives (``entropy``, ``critic``, ``std``): only the input columns
   those groups read are gathered, in partition order, the weights are derived once on the
   client, and every partition is scored with them;
2. grades after quotas, and ranks: each unit's score and veto ceiling are gathered, the cohort's
   grades and ranks computed once, and put back into each partition.

``score`` runs the scoring when it is called (the global passes need every score) and keeps the
scored partitions where they were computed (``dask.persist``: the cluster's memory, or this
process's with the default scheduler); the Dask DataFrame it returns puts grade and rank in when
it is computed. Errors are raised by ``score`` itself, with the problems one ``Scheme.score``
call would list.
"""

from __future__ import annotations

import functools
import math
import re
import importlib
from typing import TYPE_CHECKING, Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, cast

import numpy as np
import pandas as pd

from . import _core, _progress
from ._data import _float64_column
from ._errors import DataError
from ._result import Result
from ._scheme import Scheme

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = ["score"]

_MAX_REPORTED = 20  # as many problems as Scheme.score lists
_MORE = re.compile(r"\.\.\. and (\d+) more problems")
_BAR = "rectify.dask"

# A problem as it travels between processes: (code, path, message, source).
_Wire = Tuple[str, str, str, str]
# The derived weights of a plan, as _core.derive_weights gives them, made hashable.
_State = Tuple[Tuple[Tuple[float, ...], int, bool], ...]


def _require_dask() -> Any:
    try:
        import dask
        import dask.dataframe  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError(
            "rectify.dask needs dask with its DataFrame (and distributed for a cluster): pip install 'rectify[dask]'"
        ) from exc
    return dask


# -- what the workers run --------------------------------------------------------------------


class _Spec(NamedTuple):
    """Everything a worker needs to rebuild the plan the client scores with (a compiled plan is
    C++ memory and does not pickle): the scheme's text and source, and the derived weights."""

    text: bytes
    source: str
    state: Optional[_State]


@functools.lru_cache(maxsize=8)
def _plan_of(spec: _Spec) -> Tuple[Scheme, _core.Plan]:
    """The scheme and its plan with the weights in, compiled once per process."""
    scheme = Scheme(spec.text, source=spec.source)
    plan = _core.Plan(spec.text, spec.source)
    if spec.state is not None:
        plan = _core.with_weights(plan, [(list(w), n, f) for w, n, f in spec.state])
    return scheme, plan


def _wire(problems: Sequence[Any]) -> List[_Wire]:
    return [(p.code, p.path, p.message, p.source) for p in problems]


class _Failure(NamedTuple):
    """Problems one partition found at one stage. ``stage`` orders them as Scheme.score meets
    them: 1 converting columns (``column`` = index into the plan's inputs), 2 scoring."""

    stage: int
    column: int
    items: List[_Wire]  # at most 20, without the "... and N more" line
    total: int


def _failure(stage: int, column: int, err: DataError) -> _Failure:
    items = _wire(err.problems)
    total = len(items)
    if items and items[-1][0] == "rectify.data.more":
        m = _MORE.search(items[-1][2])
        items = items[:-1]
        total = len(items) + (int(m.group(1)) if m else 0)
    return _Failure(stage, column, items, total)


def _labels(part: pd.DataFrame) -> pd.Index:
    """The unit labels of a partition, as Scheme.score takes them."""
    if "unit" in part.columns:
        labels: pd.Index = pd.Index(part["unit"], name="unit")
    else:
        labels = part.index.rename("unit")
    return labels


def _ids(labels: pd.Index) -> Tuple[List[str], np.ndarray]:
    """Unit ids as strings (as Scheme.score makes them) and the positions of empty ones. The
    ids are not checked for uniqueness here: that is the global pass's job."""
    if pd.api.types.infer_dtype(labels, skipna=False) == "string":
        arr = np.asarray(labels, dtype=object)
        return arr.tolist(), np.flatnonzero(arr == "")
    units: List[str] = []
    for v in labels.tolist():
        if isinstance(v, str):
            units.append(v)
        elif v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            units.append("")
        else:
            units.append(str(v))
    arr = np.asarray(units, dtype=object)
    return units, np.flatnonzero(arr == "")


def _hashes(units: List[str]) -> np.ndarray:
    """A 64-bit hash of every unit id (the same in every process), to find duplicates across
    partitions while moving 8 bytes per unit instead of the ids."""
    if not units:
        return np.empty(0, dtype=np.uint64)
    return np.asarray(pd.util.hash_array(np.asarray(units, dtype=object)), dtype=np.uint64)


class _Ids(NamedTuple):
    n: int
    hashes: np.ndarray
    empty: np.ndarray  # positions in the partition


def _ids_summary(part: pd.DataFrame) -> Tuple[_Ids, List[str]]:
    units, empty = _ids(_labels(part))
    return _Ids(len(units), _hashes(units), empty), units


def _cohort_columns(part: pd.DataFrame, names: Sequence[str], inputs: Sequence[str]) -> Tuple[_Ids, Any]:
    """Pass 0 (schemes with cohort weights): the ids' summary and the cohort's input columns
    as float64 (None for a column the data lacks), or a _Failure converting them."""
    ids, units = _ids_summary(part)
    cols: List[Optional[np.ndarray]] = []
    for name in names:
        if name not in part.columns:
            cols.append(None)
            continue
        try:
            cols.append(np.array(_float64_column(part[name], name, units), dtype=np.float64, copy=True))
        except DataError as err:
            return ids, _failure(1, list(inputs).index(name), err)
    return ids, cols


class _Scored(NamedTuple):
    """A scored partition (kept where it was computed) and what the global pass gathers."""

    frame: Optional[pd.DataFrame]
    ids: Optional[_Ids]
    score: Optional[np.ndarray]
    ceiling: Optional[np.ndarray]  # int8: index of the grade the unit's vetoes cap it at
    failure: Optional[_Failure]


def _score_partition(part: pd.DataFrame, spec: _Spec, nodes: bool, with_ids: bool) -> _Scored:
    """Pass 1: scores one partition with the plan of ``spec`` (weights already in), as
    Scheme.score would score the whole cohort, except for grades after quotas and ranks."""
    scheme, plan = _plan_of(spec)
    ids, units = _ids_summary(part)
    keep_ids = ids if with_ids else None
    if len(ids.empty):
        return _Scored(None, keep_ids, None, None, None)  # the global pass reports them
    names: List[str] = []
    columns: List[np.ndarray] = []
    for j, name in enumerate(plan.inputs):
        if name in part.columns:
            try:
                columns.append(_float64_column(part[name], name, units))
            except DataError as err:
                return _Scored(None, keep_ids, None, None, _failure(1, j, err))
            names.append(name)
    try:
        core = _core.score(plan, units, names, columns, nodes)
    except DataError as err:
        return _Scored(None, keep_ids, None, None, _failure(2, 0, err))
    frame = Result(scheme, core, _labels(part)).to_frame(copy=True)
    # Own copies, so that the C++ result (and the input columns it holds) can go.
    for name in ("score", "base", "bonus", "penalty"):
        frame[name] = frame[name].to_numpy(copy=True)
    ceiling = core.veto_ceiling.astype(np.int8)
    return _Scored(frame, keep_ids, np.array(core.score, copy=True), ceiling, None)


def _summary(scored: _Scored) -> _Scored:
    """What the client gathers of a scored partition: everything but the frame."""
    return scored._replace(frame=None)


def _finish(scored: _Scored, grade: np.ndarray, rank: np.ndarray, grades: Tuple[str, ...]) -> pd.DataFrame:
    """A scored partition with the cohort's grades and ranks put in."""
    assert scored.frame is not None
    codes = pd.Categorical.from_codes(grade, categories=pd.Index(list(grades)), ordered=True)
    return scored.frame.assign(grade=codes, rank=rank.astype(np.int64))


def _ids_at(part: pd.DataFrame, positions: np.ndarray) -> List[str]:
    units, _ = _ids(_labels(part))
    return [units[int(i)] for i in positions]


# -- the client side -------------------------------------------------------------------------


def _problem(code: str, message: str, path: str = "", source: str = "") -> _core.Problem:
    return _core.Problem(code=code, path=path, message=message, source=source)


def _raise(items: Sequence[_Wire], total: int) -> None:
    problems = [_problem(code, message, path, source) for code, path, message, source in items[:_MAX_REPORTED]]
    if total > len(problems):
        problems.append(
            _problem("rectify.data.more", f"... and {total - len(problems)} more problems of the same kinds")
        )
    raise DataError._from_problems(problems)


def _raise_failures(failures: Sequence[Optional[_Failure]]) -> None:
    """Raises what Scheme.score would for these partitions' problems: those of the first stage
    (and first column) any partition stopped at, in partition order, the first 20 listed. A
    problem every partition reports alike (an absent column) is listed once."""
    found = [f for f in failures if f is not None]
    if not found:
        return
    first = min((f.stage, f.column) for f in found)
    items: List[_Wire] = []
    seen = set()
    total = 0
    for f in found:
        if (f.stage, f.column) != first:
            continue
        total += f.total
        for it in f.items:
            if it[0] == "rectify.data.missing" and it in seen:  # an absent column, once per partition
                total -= 1
                continue
            seen.add(it)
            items.append(it)
    _raise(items, total)


def _check_ids(ids: Sequence[_Ids], parts: Sequence[Any], dask: Any) -> None:
    """No units at all, empty ids and ids that appear twice (across partitions too), with the
    messages Scheme.score gives, positions counted over the whole cohort."""
    counts = np.array([s.n for s in ids], dtype=np.int64)
    n = int(counts.sum())
    if n == 0:
        raise DataError._from_problems(
            [_problem("rectify.data.empty", f"the Dask DataFrame has no units ({len(ids)} partitions, all empty)")]
        )
    offsets = np.concatenate([[0], np.cumsum(counts)])
    empty = [int(offsets[k] + i) for k, s in enumerate(ids) for i in s.empty]
    if empty:
        _raise([("rectify.data.empty_unit", "", f"the unit id at position {i} is empty", "") for i in empty[:_MAX_REPORTED]], len(empty))
    hashes = np.concatenate([s.hashes for s in ids])
    order = np.argsort(hashes, kind="stable")
    sorted_h = hashes[order]
    repeated = np.flatnonzero(sorted_h[1:] == sorted_h[:-1])
    if not len(repeated):
        return
    # Equal hashes: fetch those ids to tell duplicates from (astronomically unlikely) collisions.
    suspects = np.unique(np.concatenate([order[repeated], order[repeated + 1]]))
    part_of = np.searchsorted(offsets, suspects, side="right") - 1
    tasks = []
    for k in np.unique(part_of):
        local = suspects[part_of == k] - offsets[k]
        tasks.append(dask.delayed(_ids_at, pure=True)(parts[int(k)], local))
    names = [u for chunk in dask.compute(*tasks) for u in chunk]
    first: Dict[str, int] = {}
    items: List[_Wire] = []
    for pos, unit in sorted(zip(suspects.tolist(), names)):
        if unit in first:
            items.append(
                ("rectify.data.duplicate_unit", "", f"unit {_core.quoted(unit)} appears twice (positions {first[unit]} and {pos})", "")
            )
        else:
            first[unit] = pos
    if items:
        _raise(items, len(items))


def _check_columns(meta: pd.DataFrame, inputs: Sequence[str]) -> None:
    """Duplicated columns the scheme reads, as Scheme.score reports them."""
    if meta.columns.is_unique:
        return
    used = set(inputs) | {"unit"}
    dup = [c for c in meta.columns[meta.columns.duplicated()].unique().tolist() if c in used]
    if dup:
        raise DataError._from_problems(
            [_problem("rectify.data.duplicate_column", f"column {_core.quoted(str(c))} appears twice") for c in dup]
        )


def _state_of(raw: Sequence[Tuple[Sequence[float], int, bool]]) -> _State:
    return tuple((tuple(float(x) for x in w), int(n), bool(f)) for w, n, f in raw)


def _equal_state(plan: _core.Plan) -> _State:
    """Equal weights for the groups still to derive (the others as they are): a stand-in used
    only when the cohort's columns could not be read, so that scoring reports why."""
    out = []
    for *_, children, weights, _lm, _ci, _cr, _units, _fb in plan.derived:
        w = tuple(weights) if weights is not None else tuple(1.0 / len(children) for _ in children)
        out.append((tuple(float(x) for x in w), 0, False))
    return tuple(out)


def _run(dask: Any, tasks: Sequence[Any], bar: Any) -> List[Any]:
    """Persists the delayed ``tasks`` (one per partition) on the current distributed client or
    the default scheduler, advancing ``bar`` as each finishes; returns the persisted tasks."""
    Callback = importlib.import_module("dask.callbacks").Callback
    keys = {t.key for t in tasks}
    done = [0]

    def posttask(key: Any, *args: Any) -> None:  # called by the local schedulers only
        if key in keys:
            done[0] += 1
            bar.update(1)

    with Callback(posttask=posttask):
        out = list(dask.persist(*tasks))
    try:
        distributed: Any = importlib.import_module("distributed")
    except ImportError:  # pragma: no cover - distributed is optional
        futures = []
    else:
        futures = distributed.futures_of(out)
    for _ in distributed.as_completed(futures) if futures else ():
        done[0] += 1
        bar.update(1)
    if done[0] < len(tasks):
        bar.update(len(tasks) - done[0])
    return out


def score(ddf: "dd.DataFrame", scheme: Scheme, *, nodes: bool = True, progress: Optional[bool] = None) -> "dd.DataFrame":
    """Scores every unit of the Dask DataFrame ``ddf`` with ``scheme``, partition by partition,
    on the current ``dask.distributed`` client (or Dask's default scheduler).

    ``ddf`` is indexed by unit id, or has a ``unit`` column, as :meth:`Scheme.score` takes a
    DataFrame. The result is a Dask DataFrame with exactly the columns, dtypes, order and values
    of ``scheme.score(ddf.compute(), nodes=nodes).to_frame()`` (score, base, bonus, penalty,
    band, grade, rank, then the points of every node), one output partition per input partition;
    it keeps ``ddf``'s divisions when the units are its index.

    The scoring runs now: weights the cohort derives and grades, quotas and ranks need every
    unit, so those take a global pass (docs/scale.md). The scored partitions are persisted;
    computing the result only puts grades and ranks in. ``progress`` shows a bar over the
    partitions (``None``: in a terminal or notebook only).

    Raises :class:`~rectify.SchemeError` for an invalid scheme and :class:`~rectify.DataError`
    with the problems ``Scheme.score`` would list (missing inputs, bad values, naming units),
    for a DataFrame with no units, and for a unit id that is empty or appears twice (in one
    partition or across partitions; positions count over the whole DataFrame).
    """
    dask = _require_dask()
    import dask.dataframe as dd
    from dask.base import tokenize

    if not isinstance(ddf, dd.DataFrame):
        raise TypeError(f"rectify.dask.score takes a dask DataFrame, not {type(ddf).__name__}")
    if not isinstance(scheme, Scheme):
        raise TypeError(f"rectify.dask.score takes a rectify.Scheme, not {type(scheme).__name__}")
    plan = scheme._compiled  # SchemeError listing every problem
    meta = ddf._meta
    _check_columns(meta, plan.inputs)
    grades = tuple(g[0] for g in plan.grades)
    parts: List[Any] = cast(Any, ddf).to_delayed()
    npart = len(parts)
    cohort = plan.needs_cohort
    spec = _Spec(scheme._text, scheme.source, None)
    ids: Optional[List[_Ids]] = None
    weight_problems: List[_core.Problem] = []

    with _progress.bar(npart * (2 if cohort else 1), _BAR, progress, unit="partition") as bar:
        if cohort:
            # Pass 0: the columns the cohort's weights come from, in partition order.
            names = plan.cohort_inputs
            tok = tokenize(spec, names, *[p.key for p in parts])
            tasks = [
                dask.delayed(_cohort_columns, pure=True)(p, names, plan.inputs, dask_key_name=f"rectify-cohort-{tok}-{k}")
                for k, p in enumerate(parts)
            ]
            gathered = list(dask.compute(*_run(dask, tasks, bar)))
            ids = [g[0] for g in gathered]
            _check_ids(ids, parts, dask)
            if any(isinstance(g[1], _Failure) for g in gathered):
                state = _equal_state(plan)  # scoring below reports the bad cells
            else:
                present = [j for j, name in enumerate(names) if gathered[0][1][j] is not None]
                columns = [np.concatenate([g[1][j] for g in gathered]) for j in present]
                n = sum(s.n for s in ids)
                raw, weight_problems = _core.derive_weights(plan, [""] * n, [names[j] for j in present], columns)
                del columns
                state = _state_of(raw)
            spec = spec._replace(state=state)

        # Pass 1: score every partition with those weights, keeping the frames where they are.
        tok = tokenize(spec, nodes, *[p.key for p in parts])
        tasks = [
            dask.delayed(_score_partition, pure=True)(p, spec, nodes, ids is None, dask_key_name=f"rectify-score-{tok}-{k}")
            for k, p in enumerate(parts)
        ]
        scored = _run(dask, tasks, bar)
    summaries: List[_Scored] = list(dask.compute(*[dask.delayed(_summary, pure=True)(s) for s in scored]))
    if ids is None:
        ids = [s.ids for s in summaries if s.ids is not None]
        _check_ids(ids, parts, dask)
    _raise_failures([s.failure for s in summaries])
    if weight_problems:
        raise DataError._from_problems(weight_problems)

    # Pass 2: the cohort's grades (vetoes, quotas) and ranks, then back into each partition.
    score_all = np.concatenate([s.score for s in summaries if s.score is not None])
    ceiling = np.concatenate([s.ceiling for s in summaries if s.ceiling is not None]).astype(np.int32)
    _plan_scheme, final_plan = _plan_of(spec)
    _band, grade, rank = _core.rank_and_grade(final_plan, score_all, ceiling)
    bounds = np.concatenate([[0], np.cumsum([s.n for s in ids])])
    out = [
        dask.delayed(_finish, pure=True)(s, grade[bounds[k] : bounds[k + 1]], rank[bounds[k] : bounds[k + 1]], grades)
        for k, s in enumerate(scored)
    ]
    empty = _score_partition(meta, spec, nodes, False)
    assert empty.frame is not None, "scoring no units cannot fail"
    result_meta = _finish(empty, np.empty(0, np.int32), np.empty(0, np.int32), grades)
    divisions = ddf.divisions if "unit" not in meta.columns and ddf.known_divisions else None
    # The partitions already have the dtypes Scheme.score gives; Dask must not turn their string
    # index into another string dtype.
    with dask.config.set({"dataframe.convert-string": False}):
        result: "dd.DataFrame" = dd.from_delayed(out, meta=result_meta, divisions=divisions, verify_meta=False)
    return result
