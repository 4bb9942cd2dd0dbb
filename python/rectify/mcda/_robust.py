"""Robustness of a ranking: SMAA-2 (Lahdelma & Salminen 2001) and one-at-a-time weight
sensitivity (docs/mcda.md, "Robustness"), for every aggregation but FCE."""

from __future__ import annotations

import html
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from .. import _core
from .. import _progress
from ._aggregate import _name, _preference, _threshold
from ._input import Matrix, as_matrix, as_types, as_weights, by_name, fail, labelled, per_criterion, shown

__all__ = ["SMAAResult", "smaa", "smaa_weights", "sensitivity"]


def _method_arguments(
    m: Matrix, method: str, normalization: str, v: float, rho: float, preference: Any, q: Any, p: Any, s: Any
) -> Dict[str, Any]:
    """The keyword arguments every robustness binding shares (the parameters of the method)."""
    if preference == "usual" and q is None and p is None and s is None:
        kinds: List[str] = []
        qs = ps = ss = np.zeros(0)
    else:
        kinds = per_criterion(preference, m, "preference", "usual", _preference)
        qs = np.asarray(per_criterion(q, m, "q", 0.0, _threshold), dtype=np.float64)
        ps = np.asarray(per_criterion(p, m, "p", 0.0, _threshold), dtype=np.float64)
        ss = np.asarray(per_criterion(s, m, "s", 0.0, _threshold), dtype=np.float64)
    return {
        "method": _name(method, "method"),
        "normalization": _name(normalization, "normalization"),
        "v": float(v),
        "rho": float(rho),
        "preferences": kinds,
        "q": qs,
        "p": ps,
        "s": ss,
    }


def _bounds(intervals: Any, m: Matrix) -> Tuple[np.ndarray, np.ndarray]:
    """(lower, upper) from one (lower, upper) pair per criterion: a list in column order (or an
    n × 2 array), or a dict of pairs by column name (criteria not named: 0..1)."""
    if isinstance(intervals, (dict, pd.Series)):
        pairs = by_name(intervals, m, "intervals", "rectify.mcda.bad_option", default=(0.0, 1.0), complete=False)
    else:
        pairs = list(intervals)
    try:
        a = np.asarray(pairs, dtype=np.float64)
    except (TypeError, ValueError):
        a = np.zeros(0)
    if a.ndim != 2 or a.shape[1] != 2:
        fail("rectify.mcda.bad_option", "intervals are one (lower, upper) pair of numbers per criterion")
    if a.shape[0] != m.cols:
        fail("rectify.mcda.bad_option", f"got {a.shape[0]} intervals for {m.cols} criteria")
    return np.ascontiguousarray(a[:, 0]), np.ascontiguousarray(a[:, 1])


def _sampling(m: Matrix, weights: Any, intervals: Any, concentration: float, samples: Any, seed: Any) -> Dict[str, Any]:
    """The weight-sampling keyword arguments of ``mcda_smaa`` and ``mcda_smaa_weights``."""
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        fail("rectify.mcda.bad_option", f"samples is a whole number >= 1, not {samples!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**64:
        fail("rectify.mcda.bad_option", f"seed is a whole number in [0, 2**64), not {seed!r}")
    empty = np.zeros(0)
    lower = upper = center = empty
    if weights is not None and intervals is not None:
        fail("rectify.mcda.bad_option", "give weights (Dirichlet sampling around them) or intervals, not both")
    if intervals is not None:
        sampling = "intervals"
        lower, upper = _bounds(intervals, m)
    elif weights is not None:
        sampling = "dirichlet"
        center = as_weights(weights, m)
    else:
        sampling = "uniform_simplex"
    return {
        "sampling": sampling,
        "lower": lower,
        "upper": upper,
        "center": center,
        "concentration": float(concentration),
        "samples": int(samples),
        "seed": int(seed),
    }


def smaa_weights(
    criteria: Any,
    *,
    samples: int = 10_000,
    seed: int = 1,
    weights: Any = None,
    concentration: float = 100.0,
    intervals: Any = None,
) -> np.ndarray:
    """The weight vectors :func:`smaa` draws with the same options (a samples × criteria
    array, each row on the simplex), to plot or check the sampling; with exact criterion values
    (no ``x_sd``) row k is the weight vector of sample k of :func:`smaa`. ``criteria`` is the
    number of criteria or their names (e.g. ``X.columns``, needed for dicts by name)."""
    if isinstance(criteria, (int, np.integer)) and not isinstance(criteria, bool):
        names: Optional[pd.Index] = None
        n = int(criteria)
    else:
        names = pd.Index(list(criteria))
        n = len(names)
    if n < 1:
        fail("rectify.mcda.bad_option", f"need at least one criterion, not {criteria!r}")
    m = Matrix(np.zeros((0, n), order="F"), None, names)
    with labelled(None, names):
        draw = _sampling(m, weights, intervals, concentration, samples, seed)
        out = _core.mcda_smaa_weights(criteria=n, **draw)
    return np.asarray(out).T


class SMAAResult:
    """SMAA-2 of a decision matrix.

    - ``acceptability``: DataFrame alternatives × ranks 1..m, bᵢʳ = the share of weight samples
      in which alternative i takes rank r (competition ranks on a tie, so each row sums to 1);
    - ``central_weights``: DataFrame alternatives × criteria, the mean weight vector of the
      samples in which i is first (NaN for an alternative never first);
    - ``confidence``: Series, the share of samples in which i is first when the weights are its
      central weights (0 or 1 with exact criterion values; NaN without central weights);
    - ``holistic``: Series, Σᵣ αᵣ bᵢʳ with αᵣ = (m − r)/(m − 1);
    - ``samples``, ``method``, ``seed``; ``to_frame()``.

    Everything is indexed by X's index (0..m-1 without one) and criteria by X's columns."""

    def __init__(
        self,
        acceptability: np.ndarray,
        central: np.ndarray,
        confidence: np.ndarray,
        holistic: np.ndarray,
        samples: int,
        index: pd.Index,
        criteria: pd.Index,
        method: str,
        seed: int,
        sampling: str,
    ) -> None:
        ranks = pd.RangeIndex(1, acceptability.shape[1] + 1, name="rank")
        self._acceptability = pd.DataFrame(acceptability, index=index, columns=ranks)
        self._central = pd.DataFrame(central, index=index, columns=criteria)
        self._confidence = pd.Series(confidence, index=index, name="confidence")
        self._holistic = pd.Series(holistic, index=index, name="holistic")
        self._samples = int(samples)
        self._method = method
        self._seed = seed
        self._sampling = sampling

    @property
    def acceptability(self) -> pd.DataFrame:
        return self._acceptability

    @property
    def central_weights(self) -> pd.DataFrame:
        return self._central

    @property
    def confidence(self) -> pd.Series:
        return self._confidence

    @property
    def holistic(self) -> pd.Series:
        return self._holistic

    @property
    def samples(self) -> int:
        return self._samples

    @property
    def method(self) -> str:
        return self._method

    @property
    def seed(self) -> int:
        return self._seed

    @property
    def sampling(self) -> str:
        return self._sampling

    def to_frame(self) -> pd.DataFrame:
        """One row per alternative: ``holistic``, ``confidence``, the rank acceptabilities
        ``b1`` … ``bm`` and the central weights ``w_<criterion>``."""
        parts = [
            self._holistic.to_frame(),
            self._confidence.to_frame(),
            self._acceptability.rename(columns=lambda r: f"b{r}"),
            self._central.rename(columns=lambda c: f"w_{c}"),
        ]
        frame = pd.concat(parts, axis=1)
        frame.columns = pd.Index([str(c) for c in frame.columns])
        return frame

    def _summary(self) -> str:
        m = len(self._holistic)
        text = f"{self._method}, {m} alternatives, {self._samples} samples ({self._sampling}, seed {self._seed})"
        if m:
            top = self._acceptability.iloc[:, 0].to_numpy()
            k = int(np.argmax(top))
            text += f"; most often first: {shown(self._acceptability.index[k])} (b1 = {top[k]:.3f})"
        return text

    def __repr__(self) -> str:
        return f"<rectify.mcda.SMAAResult {self._summary()}>"

    def _repr_html_(self) -> str:
        frame = self.to_frame().sort_values("holistic", ascending=False, kind="stable").head(30)
        return (
            f"<div><p><b>SMAA-2</b> {html.escape(self._summary())}</p>"
            f"{frame.to_html(float_format=lambda v: f'{v:.4g}')}</div>"
        )


def smaa(
    X: Any,
    types: Any,
    method: str = "topsis",
    *,
    samples: int = 10_000,
    seed: int = 1,
    weights: Any = None,
    concentration: float = 100.0,
    intervals: Any = None,
    x_sd: Any = None,
    threads: int = 0,
    normalization: str = "minmax",
    v: float = 0.5,
    rho: float = 0.5,
    preference: Any = "usual",
    q: Any = None,
    p: Any = None,
    s: Any = None,
    progress: Optional[bool] = None,
) -> SMAAResult:
    """SMAA-2 (Lahdelma & Salminen 2001) of ``X`` for ``method`` (``"wsm"``, ``"wpm"``,
    ``"topsis"``, ``"vikor"``, ``"copras"``, ``"promethee2"`` or ``"gra"``, with that method's
    parameters ``normalization``, ``v``, ``rho``, ``preference``/``q``/``p``/``s``).

    Weight vectors are drawn on the simplex: uniformly (no preference information, the
    default); uniformly inside ``intervals`` (one (lower, upper) pair per criterion: a list, or
    a dict of pairs by column name, criteria not named 0..1); or, given ``weights``, from
    Dirichlet(``concentration`` · weights) around them. ``x_sd`` (same shape as X) adds normal
    noise of those standard deviations to the criterion values in each sample. ``seed`` makes
    the run reproducible for any number of ``threads`` (0 = every core); the GIL is released.

    ``progress``: a tqdm bar of the samples evaluated (twice ``samples`` with ``x_sd``, which
    draws as many again for the confidence factors): None = only in a terminal or a notebook,
    True = always, False = never. The result does not depend on it. Ctrl-C (a notebook's
    interrupt) stops the run within about a hundredth of it and raises KeyboardInterrupt."""
    m = as_matrix(X)
    with labelled(m.index, m.columns):
        t = as_types(types, m)
        args = _method_arguments(m, method, normalization, v, rho, preference, q, p, s)
        draw = _sampling(m, weights, intervals, concentration, samples, seed)
        sd = None
        if x_sd is not None:
            sd_m = as_matrix(x_sd, "x_sd")
            sd = np.asarray(sd_m.values, dtype=np.float64)
        if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or not 0 <= threads < 2**32:
            fail("rectify.mcda.bad_option", f"threads is a whole number >= 0 (0 = every core), not {threads!r}")
        watch = _progress.Watch("SMAA", progress, "sample")
        try:
            acc, central, conf, hol, n = _core.mcda_smaa(
                x=m.values,
                types=t,
                threads=int(threads),
                x_sd=sd,
                progress=watch,
                **draw,
                **args,
            )
        finally:
            watch.close()
    index = m.index if m.index is not None else pd.RangeIndex(m.rows)
    criteria = m.columns if m.columns is not None else pd.RangeIndex(m.cols)
    return SMAAResult(acc, central, conf, hol, n, index, criteria, args["method"], int(seed), draw["sampling"])


def _pair_positions(pair: Sequence[Any], m: Matrix) -> Tuple[int, int]:
    items = list(pair)
    if len(items) != 2:
        fail("rectify.mcda.bad_option", "pair is two alternatives (a, b)")
    out: List[int] = []
    for a in items:
        if m.index is not None:
            if a not in m.index:
                fail("rectify.mcda.bad_option", f"pair: {shown(a)} is not an alternative (a label of X's index)")
            k = m.index.get_loc(a)
            if not isinstance(k, (int, np.integer)):
                fail("rectify.mcda.bad_option", f"pair: {shown(a)} labels more than one alternative")
            out.append(int(k))
        else:
            if isinstance(a, bool) or not isinstance(a, (int, np.integer)) or not 0 <= a < m.rows:
                fail("rectify.mcda.bad_option", f"pair: {a!r} is not a 0-based position of an alternative")
            out.append(int(a))
    return out[0], out[1]


def sensitivity(
    X: Any,
    weights: Any,
    types: Any,
    method: str = "wsm",
    *,
    pair: Optional[Sequence[Any]] = None,
    steps: int = 1000,
    tolerance: float = 1e-10,
    normalization: str = "minmax",
    v: float = 0.5,
    rho: float = 0.5,
    preference: Any = "usual",
    q: Any = None,
    p: Any = None,
    s: Any = None,
) -> pd.DataFrame:
    """One-at-a-time weight sensitivity: for each criterion, the smallest change of its weight
    (the others rescaled proportionally to keep the sum 1) that changes the first-ranked
    alternative(s), or with ``pair=(a, b)`` (labels of X's index, or 0-based positions) the
    order of those two.

    Returns a DataFrame indexed by criterion (X's columns, or 0..n-1): ``weight`` (rescaled to
    sum 1), ``decrease`` (≤ 0) and ``increase`` (≥ 0) — NaN where nothing changes within [0, 1] —
    and ``new_first_down`` / ``new_first_up``, the alternative first after that change (a label
    of X's index or a position; None in pair mode or without a change). ``steps`` scan points per
    direction then bisection to ``tolerance``; a change that appears and vanishes between two
    scan points is missed (non-monotone methods such as TOPSIS or VIKOR)."""
    m = as_matrix(X)
    with labelled(m.index, m.columns):
        w = as_weights(weights, m)
        t = as_types(types, m)
        args = _method_arguments(m, method, normalization, v, rho, preference, q, p, s)
        positions = _pair_positions(pair, m) if pair is not None else None
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
            fail("rectify.mcda.bad_option", f"steps is a whole number >= 1, not {steps!r}")
        rows = _core.mcda_sensitivity(
            x=m.values, weights=w, types=t, pair=positions, steps=int(steps), tolerance=float(tolerance), **args
        )
    alternatives = m.index if m.index is not None else pd.RangeIndex(m.rows)

    def who(k: Optional[int]) -> Any:
        return None if k is None else alternatives[k]

    criteria = m.columns if m.columns is not None else pd.RangeIndex(m.cols)
    return pd.DataFrame(
        {
            "weight": [r[0] for r in rows],
            "decrease": [np.nan if r[1] is None else r[1] for r in rows],
            "increase": [np.nan if r[2] is None else r[2] for r in rows],
            "new_first_down": pd.Series([who(r[3]) for r in rows], dtype=object),
            "new_first_up": pd.Series([who(r[4]) for r in rows], dtype=object),
        }
    ).set_axis(criteria, axis=0)
