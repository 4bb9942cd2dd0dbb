"""Normalisation, aggregation methods, ranks and rank correlation (docs/mcda.md).

Every function takes the decision matrix ``X`` (alternatives × criteria: a DataFrame or a 2-D
array-like), the weights (rescaled to sum 1 by every method) and the criterion ``types``; it
converts them once (a float64 DataFrame is not copied) and releases the GIL while C++ computes.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Tuple, Union

import numpy as np
import pandas as pd

from .. import _core
from ._input import (
    Matrix,
    as_matrix,
    as_types,
    as_vector,
    as_weights,
    fail,
    labelled,
    per_criterion,
    shown,
)
from ._results import (
    COPRASResult,
    FCERanking,
    FCEResult,
    GRAResult,
    PROMETHEEResult,
    ScoreResult,
    TOPSISResult,
    VIKORResult,
)

__all__ = [
    "normalize",
    "wsm",
    "wpm",
    "topsis",
    "vikor",
    "copras",
    "promethee2",
    "gra",
    "fce",
    "rank",
    "rank_correlation",
]

Vector = Union[np.ndarray, pd.Series]


def _name(value: Any, what: str) -> str:
    if not isinstance(value, str):
        fail("rectify.mcda.bad_method", f"{what} must be a name (a string), not {value!r}")
    return value


def _prepare(X: Any, weights: Any, types: Any) -> Tuple[Matrix, np.ndarray, np.ndarray]:
    m = as_matrix(X)
    with labelled(m.index, m.columns):
        return m, as_weights(weights, m), as_types(types, m)


def normalize(X: Any, types: Any, method: str = "minmax") -> Union[np.ndarray, pd.DataFrame]:
    """Normalises every column of ``X`` so that higher is better (docs/mcda.md, "Normalisation"):
    ``method`` is ``"minmax"``, ``"vector"``, ``"sum"``, ``"max"`` or ``"linear"``.

    Returns the same kind as ``X``: a DataFrame with X's index and columns for a DataFrame, a
    NumPy array (Fortran-ordered) otherwise."""
    m = as_matrix(X)
    with labelled(m.index, m.columns):
        t = as_types(types, m)
        out = _core.mcda_normalize(x=m.values, types=t, method=_name(method, "normalization"))
    if m.is_frame:
        return pd.DataFrame(out, index=m.index, columns=m.columns, copy=False)
    return out


def wsm(X: Any, weights: Any, types: Any, normalization: str = "minmax", *, ties: str = "average") -> ScoreResult:
    """Weighted sum model: ``scores`` = Σⱼ wⱼnᵢⱼ over the normalised matrix (minmax by
    default; any method of :func:`normalize`)."""
    m, w, t = _prepare(X, weights, types)
    with labelled(m.index, m.columns):
        s = _core.mcda_wsm(x=m.values, weights=w, types=t, normalization=_name(normalization, "normalization"))
        return ScoreResult("wsm", {"score": s}, m.index, w, m.columns, ties)


def wpm(X: Any, weights: Any, types: Any, normalization: str = "minmax", *, ties: str = "average") -> ScoreResult:
    """Weighted product model: ``scores`` = Πⱼ nᵢⱼ^wⱼ over the normalised matrix (minmax by
    default). A zero normalised value of a positively weighted criterion gives 0 (with minmax,
    the worst value of a column does); a weight-0 criterion has no say."""
    m, w, t = _prepare(X, weights, types)
    with labelled(m.index, m.columns):
        s = _core.mcda_wpm(x=m.values, weights=w, types=t, normalization=_name(normalization, "normalization"))
        return ScoreResult("wpm", {"score": s}, m.index, w, m.columns, ties)


def topsis(X: Any, weights: Any, types: Any, normalization: str = "minmax", *, ties: str = "average") -> TOPSISResult:
    """TOPSIS (Hwang & Yoon 1981): ``scores`` is the closeness C = D⁻/(D⁺ + D⁻), with
    ``d_plus`` and ``d_minus`` the distances to the ideal and anti-ideal of the weighted
    normalised matrix. ``normalization="vector"`` gives the textbook form."""
    m, w, t = _prepare(X, weights, types)
    with labelled(m.index, m.columns):
        c, dp, dm = _core.mcda_topsis(x=m.values, weights=w, types=t, normalization=_name(normalization, "normalization"))
        return TOPSISResult({"closeness": c, "d_plus": dp, "d_minus": dm}, m.index, w, m.columns, ties)


def vikor(X: Any, weights: Any, types: Any, v: float = 0.5, *, ties: str = "average") -> VIKORResult:
    """VIKOR (Opricovic & Tzeng 2004) on the raw values: ``S``, ``R`` and ``Q`` (lower is
    better; ``scores`` is Q and rank 1 has the lowest Q) and ``compromise``, the 0-based
    positions of the compromise solution set. ``v`` (0..1) weighs group utility against regret."""
    m, w, t = _prepare(X, weights, types)
    with labelled(m.index, m.columns):
        s, r, q, comp = _core.mcda_vikor(x=m.values, weights=w, types=t, v=float(v))
        return VIKORResult(comp, {"S": s, "R": r, "Q": q}, m.index, w, m.columns, ties)


def copras(X: Any, weights: Any, types: Any, *, ties: str = "average") -> COPRASResult:
    """COPRAS (Zavadskas 2007, the standard formula) on the raw values: ``s_plus``,
    ``s_minus``, the relative significance ``q`` and ``scores`` = ``utility`` = Q/max Q."""
    m, w, t = _prepare(X, weights, types)
    with labelled(m.index, m.columns):
        sp, sm, q, u = _core.mcda_copras(x=m.values, weights=w, types=t)
        return COPRASResult({"s_plus": sp, "s_minus": sm, "q": q, "utility": u}, m.index, w, m.columns, ties)


_PREFERENCES = ("usual", "u_shape", "v_shape", "level", "linear", "gaussian")


def _preference(value: Any, where: str) -> str:
    # Brans' numbering (type I usual ... type VI gaussian) is accepted as well as the names.
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and 1 <= int(value) <= 6:
        return _PREFERENCES[int(value) - 1]
    if isinstance(value, str):
        name = value.strip().lower().replace("-", "_")
        if name in _PREFERENCES:
            return name
    fail(
        "rectify.mcda.bad_method",
        f"{where}: a preference function is one of {', '.join(repr(p) for p in _PREFERENCES)} (or 1..6), not {value!r}",
    )


def _threshold(value: Any, where: str) -> float:
    if value is None:
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        fail("rectify.mcda.bad_option", f"{where}: a threshold is a number, not {value!r}")


def promethee2(
    X: Any,
    weights: Any,
    types: Any,
    preference: Any = "usual",
    q: Any = None,
    p: Any = None,
    s: Any = None,
    *,
    ties: str = "average",
) -> PROMETHEEResult:
    """PROMETHEE II: ``phi_plus``, ``phi_minus`` and the net flow ``phi`` (= ``scores``), each
    divided by m − 1.

    ``preference`` is one function for every criterion (``"usual"``, ``"u_shape"``,
    ``"v_shape"``, ``"level"``, ``"linear"``, ``"gaussian"``, or Brans' numbers 1..6), a list in
    column order, or a dict by column name (criteria not named are ``"usual"``). The thresholds
    ``q`` (indifference), ``p`` (preference) and ``s`` (gaussian) are None (0), one number for
    every criterion, a list, or a dict by column name (missing ones 0), in the criterion's units."""
    m, w, t = _prepare(X, weights, types)
    with labelled(m.index, m.columns):
        kinds = per_criterion(preference, m, "preference", "usual", _preference)
        qs = per_criterion(q, m, "q", 0.0, _threshold)
        ps = per_criterion(p, m, "p", 0.0, _threshold)
        ss = per_criterion(s, m, "s", 0.0, _threshold)
        phi_plus, phi_minus, phi = _core.mcda_promethee2(
            x=m.values,
            weights=w,
            types=t,
            preferences=kinds,
            q=np.asarray(qs, dtype=np.float64),
            p=np.asarray(ps, dtype=np.float64),
            s=np.asarray(ss, dtype=np.float64),
        )
        fields = {"phi_plus": phi_plus, "phi_minus": phi_minus, "phi": phi}
        return PROMETHEEResult(fields, m.index, w, m.columns, ties)


def gra(X: Any, weights: Any, types: Any, rho: float = 0.5, *, ties: str = "average") -> GRAResult:
    """Deng's grey relational analysis: ``scores`` = ``grade`` = Σⱼ wⱼξᵢⱼ with the
    distinguishing coefficient ``rho`` in (0, 1]."""
    m, w, t = _prepare(X, weights, types)
    with labelled(m.index, m.columns):
        g = _core.mcda_gra(x=m.values, weights=w, types=t, rho=float(rho))
        return GRAResult({"grade": g}, m.index, w, m.columns, ties)


_OPERATORS = {
    "weighted_average": "weighted_average",
    "M(·,⊕)": "weighted_average",
    "min_max": "min_max",
    "M(∧,∨)": "min_max",
    "product_max": "product_max",
    "M(·,∨)": "product_max",
}


def _fce_weights(weights: Any, m: Matrix) -> np.ndarray:
    # Criteria are the rows of a membership matrix: a dict of weights names them by the
    # DataFrame's index.
    if isinstance(weights, Mapping) or (isinstance(weights, pd.Series) and m.index is not None):
        rows = Matrix(m.values.T, m.columns, m.index)
        return as_weights(weights, rows)
    return as_vector(weights, "weights", "rectify.mcda.bad_weights")


def fce(
    weights: Any,
    membership: Any,
    operator: str = "weighted_average",
    normalize: bool = False,
    grade_values: Any = None,
    *,
    ties: str = "average",
) -> Union[FCEResult, FCERanking]:
    """Fuzzy comprehensive evaluation (模糊综合评价), B = W·R.

    ``membership`` is R, criteria × comment grades (each row a criterion's memberships, e.g.
    vote shares in [0, 1]); a DataFrame's index names the criteria (so ``weights`` may be a
    dict by criterion) and its columns the grades. ``operator`` is ``"weighted_average"``
    (M(·,⊕), the default), ``"min_max"`` (M(∧,∨)) or ``"product_max"`` (M(·,∨)); ``normalize``
    divides B by its sum; ``grade_values`` (one number per grade) gives the score B·v.

    One matrix gives an :class:`FCEResult` (``b``, ``grade``, ``grade_name``, ``score``).
    Several alternatives — a dict {alternative: matrix}, a list of matrices or a 3-D array
    (alternatives × criteria × grades) — give an :class:`FCERanking` whose ``scores`` are the
    B·v (so ``grade_values`` is required) and ``ranks`` rank them. For an indicator tree, call it
    level by level and feed each group's ``b`` in as a row of the level above."""
    op = _OPERATORS.get(operator) if isinstance(operator, str) else None
    if op is None:
        fail(
            "rectify.mcda.bad_method",
            f"FCE operator {operator!r}: expected \"weighted_average\", \"min_max\" or \"product_max\"",
        )
    values = np.zeros(0) if grade_values is None else as_vector(grade_values, "grade_values", "rectify.mcda.bad_option")

    def one(r: Any, what: str) -> Tuple[np.ndarray, int, Optional[float], Optional[pd.Index], np.ndarray]:
        m = as_matrix(r, what)
        with labelled(m.index, m.columns, criteria=m.index):
            w = _fce_weights(weights, m)
            b, grade, score = _core.mcda_fce(
                membership=m.values, weights=w, operator=op, normalize=bool(normalize), grade_values=values
            )
        return b, int(grade), score, m.columns, w

    many: Optional[List[Any]] = None
    labels: Optional[pd.Index] = None
    if isinstance(membership, Mapping):
        labels = pd.Index(list(membership.keys()))
        many = list(membership.values())
    elif isinstance(membership, (list, tuple)) and membership and _is_matrix_like(membership[0]):
        many = list(membership)
    elif isinstance(membership, np.ndarray) and membership.ndim == 3:
        many = list(membership)
    if many is None:
        b, grade, score, grades, _ = one(membership, "the membership matrix")
        return FCEResult(b, grade, score, grades)

    if grade_values is None:
        fail(
            "rectify.mcda.bad_option",
            "FCE of several alternatives ranks them by the score B·v: give grade_values (one number per grade)",
        )
    if not many:
        fail("rectify.mcda.bad_matrix", "FCE of several alternatives needs at least one membership matrix")
    rows = []
    for k, r in enumerate(many):
        name = shown(labels[k]) if labels is not None else str(k)
        rows.append(one(r, f"the membership matrix of alternative {name}"))
    widths = {b.shape[0] for b, *_ in rows}
    if len(widths) != 1:
        fail("rectify.mcda.bad_matrix", "the membership matrices of the alternatives have different numbers of grades")
    bs = np.vstack([b for b, *_ in rows])
    positions = np.array([g for _, g, *_ in rows], dtype=np.int64)
    scores = np.array([sc for _, _, sc, *_ in rows], dtype=np.float64)
    return FCERanking(bs, positions, rows[0][3], {"score": scores}, labels, rows[0][4], None, ties)


def _is_matrix_like(value: Any) -> bool:
    if isinstance(value, pd.DataFrame):
        return True
    try:
        return np.asarray(value, dtype=object).ndim == 2
    except (TypeError, ValueError):
        return False


def rank(scores: Any, higher_is_better: bool = True, ties: str = "competition") -> Vector:
    """Rank of each score, 1 = best. ``ties``: ``"competition"`` (1 2 2 4), ``"dense"``
    (1 2 2 3), ``"average"`` (1 2.5 2.5 4) or ``"ordinal"`` (1 2 3 4, tied in input order).
    Scores tie when equal after rounding to 12 significant digits.

    Returns a Series with the same index for a Series, else a NumPy array; int64 except for
    ``"average"`` (float64)."""
    a = as_vector(scores, "scores", "rectify.mcda.not_finite")
    r = np.asarray(_core.mcda_rank(scores=a, higher_is_better=bool(higher_is_better), ties=_name(ties, "ties")))
    if ties != "average":
        r = r.astype(np.int64)
    if isinstance(scores, pd.Series):
        return pd.Series(r, index=scores.index, name="rank")
    return r


def rank_correlation(a: Any, b: Any, method: str = "spearman") -> float:
    """Agreement of two rankings of the same alternatives: ``"spearman"`` (ρ of the average
    ranks), ``"kendall"`` (τ_b) or ``"ws"`` (Sałabun & Urbaniak's WS similarity, with ``a`` the
    reference; not symmetric).

    ``a`` and ``b`` are ranks (1 = best) or, for Spearman and Kendall, any scores ordered the
    same way in both. Two Series are matched by index (b is reordered to a's index)."""
    if isinstance(a, pd.Series) and isinstance(b, pd.Series) and not a.index.equals(b.index):
        if not (a.index.is_unique and b.index.is_unique) or set(a.index) != set(b.index):
            fail("rectify.mcda.bad_option", "the two rankings are Series over different alternatives")
        b = b.reindex(a.index)
    x = as_vector(a, "the first ranking", "rectify.mcda.bad_option")
    y = as_vector(b, "the second ranking", "rectify.mcda.bad_option")
    return float(_core.mcda_rank_correlation(a=x, b=y, method=_name(method, "method")))
