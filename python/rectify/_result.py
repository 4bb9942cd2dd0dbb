"""Scores of a cohort."""

from __future__ import annotations

import html
import math
import os
from typing import TYPE_CHECKING, Any, Dict, Hashable, List, Tuple, Union

import numpy as np
import pandas as pd

from . import _core

if TYPE_CHECKING:
    from ._scheme import Scheme

__all__ = ["Result"]

_LANGS = ("zh", "en")

# Rows of _core.Plan.derived / _core.Result.derived.
_Derived = List[Tuple[Any, ...]]


def _weights_frame(derived: _Derived) -> pd.DataFrame:
    """One row per child of a node that derives its children's weights (index ``node``):
    ``parent``, ``method``, ``weight``, ``points``; NaN where a cohort
    method's weights are not derived yet."""
    rows = []
    for parent, _path, method, points, children, weights, *_ in derived:
        for k, child in enumerate(children):
            w = float(weights[k]) if weights is not None else math.nan
            rows.append((child, parent, method, w, points * w))
    frame = pd.DataFrame(rows, columns=["node", "parent", "method", "weight", "points"])
    frame = frame.astype({"parent": object, "method": object, "weight": np.float64, "points": np.float64})
    return frame.set_index("node")


def _groups_frame(derived: _Derived) -> pd.DataFrame:
    """One row per node that derives its children's weights (index ``node``): ``method``, ``path``, ``points``, ``lambda_max``, ``ci``, ``cr`` (AHP; NaN otherwise),
    ``units`` and ``equal_fallback`` (cohort methods once scored; <NA> otherwise)."""
    rows = [
        (node, method, path, points, lmax, ci, cr, units, fallback)
        for node, path, method, points, _children, _weights, lmax, ci, cr, units, fallback in derived
    ]
    columns = ["node", "method", "path", "points", "lambda_max", "ci", "cr", "units", "equal_fallback"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.astype(
        {
            "node": object,
            "method": object,
            "path": object,
            "points": np.float64,
            "lambda_max": np.float64,
            "ci": np.float64,
            "cr": np.float64,
            "units": "Int64",
            "equal_fallback": "boolean",
        }
    )
    return frame.set_index("node")


def _check_lang(lang: str) -> str:
    if lang not in _LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


class Result:
    """The scores, grades and ranks of every unit scored in one :meth:`Scheme.score` call.

    Units keep the order (and the labels) of the data. The numbers are full-precision
    doubles. The result holds the data it scored: :meth:`explain` and :meth:`to_json`
    evaluate the units again from it.
    """

    __slots__ = ("_scheme", "_core", "_labels", "_positions", "_cache")

    def __init__(self, scheme: "Scheme", core: _core.Result, labels: pd.Index) -> None:
        self._scheme = scheme
        self._core = core
        self._labels = labels if labels.name == "unit" else labels.rename("unit")
        self._positions: Dict[str, int] | None = None
        self._cache: Dict[str, Any] = {}

    # -- plain facts ----------------------------------------------------------------------

    @property
    def scheme(self) -> "Scheme":
        return self._scheme

    @property
    def units(self) -> pd.Index:
        """The unit ids, in the order of the data (index name ``unit``)."""
        return self._labels

    def __len__(self) -> int:
        return self._core.size

    @property
    def grade_names(self) -> List[str]:
        """The scheme's grades, best first (the categories of ``grade`` and ``band``)."""
        return [g[0] for g in self._core.plan.grades]

    @property
    def node_ids(self) -> List[str]:
        """Ids of the indicator tree's nodes in pre-order (the node columns of ``to_frame``)."""
        return [n[0] for n in self._core.plan.nodes]

    def _series(self, values: Any, name: str) -> pd.Series:
        return pd.Series(values, index=self._labels, name=name, copy=False)

    def _categorical(self, codes: Any) -> "pd.Categorical[str]":
        return pd.Categorical.from_codes(codes, categories=pd.Index(self.grade_names), ordered=True)

    @property
    def scores(self) -> pd.Series:
        """``score`` of every unit: base + bonus − penalty, floored at 0."""
        return self._series(self._core.score, "score")

    @property
    def grades(self) -> pd.Series:
        """Final grade of every unit (after vetoes and quotas), an ordered Categorical."""
        return self._series(self._categorical(self._core.grade), "grade")

    @property
    def ranks(self) -> pd.Series:
        """Competition rank ("1224") of every unit's score, 1 = best."""
        return self._series(self._core.rank.astype(np.int64), "rank")

    @property
    def vetoes(self) -> pd.Series:
        """Ids of the vetoes (一票否决) that triggered, a list per unit."""
        if "vetoes" not in self._cache:
            self._cache["vetoes"] = self._core.vetoes()
        return pd.Series(self._cache["vetoes"], index=self._labels, name="vetoes", dtype=object)

    @property
    def missing(self) -> pd.Series:
        """The inputs the scheme reads that are missing for each unit, a list per unit."""
        if "missing" not in self._cache:
            self._cache["missing"] = self._core.missing()
        return pd.Series(self._cache["missing"], index=self._labels, name="missing", dtype=object)

    @property
    def nodes(self) -> pd.DataFrame:
        """Earned points of every node (units × nodes in pre-order; NaN where a node was
        dropped under ``"reweight"``). Empty when scored with ``nodes=False``."""
        values = self._core.nodes
        columns = pd.Index(self.node_ids if values.shape[1] else [], name="node")
        return pd.DataFrame(values, index=self._labels, columns=columns, copy=False)

    @property
    def weights(self) -> pd.DataFrame:
        """The derived weights the units were scored with: one row per child of a node whose
        ``"weights"`` derive its children's weights (index ``node``, the child's id), with
        ``parent`` (the id of the node whose ``"weights"`` derive them),
        ``method`` (``ahp``, ``entropy``, ``critic`` or ``std``), ``weight`` (its share; the
        shares of one parent sum to 1) and ``points`` (the parent's points × weight). Empty
        when the scheme derives no weights.

        Weights of ``entropy``, ``critic`` and ``std`` come from the cohort: the same scheme
        gives other weights for other units. :attr:`weight_groups` says from how many units,
        and gives λmax, CI and CR for AHP.
        """
        if "weights" not in self._cache:
            self._cache["weights"] = self._core.derived
        return _weights_frame(self._cache["weights"])

    @property
    def weight_groups(self) -> pd.DataFrame:
        """One row per node that derives its children's weights (index ``node``): ``method``, ``path`` (JSON pointer of its ``"weights"``), ``points`` (shared
        by its children), ``lambda_max``, ``ci``, ``cr`` (AHP only, NaN otherwise), ``units``
        (cohort methods: the units the weights were derived from, those with every child's
        input) and ``equal_fallback`` (cohort methods: the children could not be told apart
        in this cohort, so their weights are equal)."""
        if "weights" not in self._cache:
            self._cache["weights"] = self._core.derived
        return _groups_frame(self._cache["weights"])

    def to_frame(self, *, copy: bool = False) -> pd.DataFrame:
        """One row per unit (index ``unit``, in data order): ``score``, ``base``, ``bonus``,
        ``penalty``, ``band`` (the grade from the score alone), ``grade`` (after vetoes and
        quotas; both ordered Categoricals of the scheme's grades, best first), ``rank``, then
        the earned points of every node by node id in pre-order (NaN for dropped nodes).

        The node columns view the C++ result's column-major matrix without a copy. That
        memory is read-only (``to_json`` and ``explain`` read it too), so writing into a node
        cell of the frame raises ``ValueError``; ``copy=True`` gives a frame to edit in place.
        Adding, dropping or replacing columns works either way.
        """
        c = self._core
        node_cols = self.node_ids if c.nodes.shape[1] else []
        frame = pd.DataFrame(c.nodes, index=self._labels, columns=pd.Index(node_cols), copy=bool(copy))
        leading: List[Tuple[str, Any]] = [
            ("score", c.score),
            ("base", c.base),
            ("bonus", c.bonus),
            ("penalty", c.penalty),
            ("band", self._categorical(c.band)),
            ("grade", self._categorical(c.grade)),
            ("rank", c.rank.astype(np.int64)),
        ]
        for k, (name, values) in enumerate(leading):
            frame.insert(k, name, values, allow_duplicates=True)
        return frame

    # -- explanations and exports ---------------------------------------------------------

    def _position(self, unit: Hashable) -> int:
        try:
            pos = self._labels.get_loc(unit)
            if isinstance(pos, (int, np.integer)):
                return int(pos)
        except (KeyError, TypeError):
            pass
        if self._positions is None:
            self._positions = {u: i for i, u in enumerate(self._core.units)}
        if isinstance(unit, str) and unit in self._positions:
            return self._positions[unit]
        raise KeyError(f"no unit {unit!r} in this result")

    def explain(self, unit: Hashable, *, lang: str = "zh") -> pd.DataFrame:
        """Why ``unit`` lost points: one row per item, with ``node`` (a node id, or a penalty
        id), ``points`` (negative where the floor at zero gives points back) and ``why``, in
        Chinese (``lang="zh"``) or English (``lang="en"``).

        The items of tree nodes sum to ``total − base``; penalties add ``penalty``. The unit
        is evaluated again from the data that was scored (which the result keeps): change
        that data in place and the explanation follows it.
        """
        items = self._core.explain(self._position(unit), _check_lang(lang))
        frame = pd.DataFrame(items, columns=["node", "points", "why"])
        frame["points"] = frame["points"].astype(np.float64)
        return frame

    def to_json(self, *, lang: str = "zh") -> str:
        """The result as JSON, exactly as ``rectify score --format json`` writes it."""
        return self._core.to_json(_check_lang(lang))

    def to_csv(self, *, explain: bool = False, lang: str = "zh") -> str:
        """The result as CSV, exactly as ``rectify score --format csv`` writes it; with
        ``explain``, the lost points as rows (``unit,node,points,why``, units in rank order),
        as ``--format csv --explain`` does."""
        if explain:
            return self._core.lost_csv(_check_lang(lang))
        return self._core.to_csv()

    def to_table(self, *, explain: bool = False, lang: str = "zh") -> str:
        """The human-readable ranked table of ``rectify score`` (2 decimals, aligned for
        Chinese text); with ``explain``, each unit's lost points under its row."""
        return self._core.to_table(bool(explain), _check_lang(lang))

    def to_excel(self, path: Union[str, "os.PathLike[str]"], *, lang: str = "zh", explain: bool = True) -> None:
        """Writes the result as a formatted Excel workbook (needs ``pip install 'rectify[excel]'``).

        Sheets: 汇总 (units in rank order: rank, unit, score, base, bonus, penalty, grade,
        band, vetoes, missing inputs), 指标得分 (every node's earned points, headed by the
        node's id, name and full points) and, with ``explain``, 扣分说明 (one row per lost-point
        item, as :meth:`explain` gives it). ``lang="en"`` writes English sheet names and
        headers. The file is written atomically: a failure leaves the old file, or none.
        ``path`` must end in ``.xlsx`` (``ValueError``); a file that cannot be written raises
        :class:`~rectify.DataError` (``rectify.io.write``). See docs/workbench.md.
        """
        from ._excel import write_result

        write_result(self, path, lang=_check_lang(lang), explain=explain)

    # -- display --------------------------------------------------------------------------

    def _grade_counts(self) -> List[Tuple[str, int]]:
        counts = np.bincount(self._core.grade, minlength=len(self.grade_names))
        return list(zip(self.grade_names, (int(x) for x in counts)))

    def __repr__(self) -> str:
        n = len(self)
        grades = ", ".join(f"{g} {k}" for g, k in self._grade_counts())
        return f"<rectify.Result scheme={self._scheme.id!r}: {n} unit{'s' if n != 1 else ''}; {grades}>"

    def _repr_html_(self) -> str:
        n = len(self)
        e = html.escape
        title = e(self._scheme.id) + (f" {e(self._scheme.name)}" if self._scheme.name else "")
        rows = "".join(f"<tr><td>{e(g)}</td><td style='text-align:right'>{k}</td></tr>" for g, k in self._grade_counts())
        parts = [
            f"<div><strong>rectify.Result</strong>: {title}, {n} unit{'s' if n != 1 else ''}",
        ]
        if n:
            s = self._core.score
            vetoed = sum(1 for v in self._cache.get("vetoes") or self._core.vetoes() if v)
            missing = sum(1 for m in self._cache.get("missing") or self._core.missing() if m)
            parts.append(
                f"<br>score min {s.min():.2f}, mean {s.mean():.2f}, max {s.max():.2f}"
                f"; {vetoed} vetoed; {missing} with missing inputs"
            )
        derived = self._cache.get("weights") or self._core.derived
        if derived:
            groups = ", ".join(f"{e(d[0])} {e(d[2])}" for d in derived)
            parts.append(f"<br>derived weights: {groups} (see <code>.weights</code>)")
        parts.append(f"<table><tr><th>grade</th><th>units</th></tr>{rows}</table></div>")
        return "".join(parts)
