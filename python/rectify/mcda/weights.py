"""Criterion weights (docs/mcda.md, "Weighting").

Every function returns a NumPy array of one weight per criterion, summing to 1, in the order of
the criteria (X's columns, or the order of the ranks given) — a plain array even when X is a
DataFrame; pair it with ``X.columns`` if you want labels (``pd.Series(w, index=X.columns)``).
The exception is :func:`ahp`, which returns an :class:`AHPResult` with the weights and the
consistency figures.

>>> from rectify.mcda import weights
>>> weights.roc(4)                    # array([0.5208, 0.2708, 0.1458, 0.0625])
>>> weights.entropy(df)               # objective weights from the data
>>> weights.ahp([[1, 3], ["1/3", 1]]).cr
"""

from __future__ import annotations

import fractions
import html
import warnings
from typing import Any, List, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .. import _core
from .._errors import MCDAError
from ._input import as_matrix, as_types, fail, labelled, ranks_argument

__all__ = [
    "equal",
    "roc",
    "rank_sum",
    "rank_reciprocal",
    "entropy",
    "entropies",
    "critic",
    "std",
    "ahp",
    "ahp_group",
    "AHPResult",
]


def _count(n: Any) -> Optional[int]:
    """n when it is a whole number of criteria (not a bool), else None."""
    if isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_)):
        return int(n)
    return None


def equal(n: int) -> np.ndarray:
    """n equal weights 1/n."""
    k = _count(n)
    if k is None:
        fail("rectify.mcda.bad_ranks", f"equal(n) takes the number of criteria, not {n!r}")
    return np.asarray(_core.mcda_equal(n=k))


def _by_rank(method: str, n_or_ranks: Any) -> np.ndarray:
    k = _count(n_or_ranks)
    if k is not None:
        return np.asarray(_core.mcda_rank_weights(method=method, n=k))
    ranks = ranks_argument(n_or_ranks, "ranks")
    return np.asarray(_core.mcda_rank_weights_of(method=method, ranks=ranks))


def roc(n_or_ranks: Any) -> np.ndarray:
    """Rank order centroid weights (Barron & Barrett 1996), wᵢ = (1/n) Σ_{k=i..n} 1/k.

    An int n gives the weights of ranks 1..n (most important first); an array of ranks (1 =
    most important, one per criterion) gives each criterion's weight, tied criteria sharing
    the average of the positions they occupy."""
    return _by_rank("roc", n_or_ranks)


def rank_sum(n_or_ranks: Any) -> np.ndarray:
    """Rank sum weights 2(n + 1 − i)/(n(n + 1)); arguments as :func:`roc`."""
    return _by_rank("rank_sum", n_or_ranks)


def rank_reciprocal(n_or_ranks: Any) -> np.ndarray:
    """Rank reciprocal weights (1/i)/Σₖ 1/k; arguments as :func:`roc`."""
    return _by_rank("rank_reciprocal", n_or_ranks)


def _entropy(X: Any) -> tuple:  # type: ignore[type-arg]
    m = as_matrix(X)
    with labelled(m.index, m.columns):
        w, e, all_constant = _core.mcda_entropy(x=m.values)
    if all_constant:
        warnings.warn(
            "every column of X is constant, so entropy says nothing; the weights are equal",
            RuntimeWarning,
            stacklevel=3,
        )
    return np.asarray(w), np.asarray(e)


def entropy(X: Any) -> np.ndarray:
    """Entropy weights: pᵢⱼ = xᵢⱼ/Σᵢxᵢⱼ, eⱼ = −Σᵢ pᵢⱼ ln pᵢⱼ / ln m (0·ln 0 = 0),
    wⱼ = (1 − eⱼ)/Σ(1 − eₖ). Criterion types are not used; values must be ≥ 0 and there must
    be at least 2 alternatives. If every column is constant the weights are equal and a
    RuntimeWarning says so. :func:`entropies` gives the eⱼ."""
    return _entropy(X)[0]  # type: ignore[no-any-return]


def entropies(X: Any) -> np.ndarray:
    """The normalised entropies eⱼ in [0, 1] behind :func:`entropy` (1 for a constant column)."""
    return _entropy(X)[1]  # type: ignore[no-any-return]


def critic(X: Any, types: Any = None) -> np.ndarray:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995): minmax-normalise with the
    criterion directions (``types``; None = all benefit), Cⱼ = σⱼ Σₖ(1 − rⱼₖ) with population σ
    and Pearson r, wⱼ = Cⱼ/ΣC. A constant column gets weight 0."""
    m = as_matrix(X)
    with labelled(m.index, m.columns):
        return np.asarray(_core.mcda_critic(x=m.values, types=as_types(types, m)))


def std(X: Any, types: Any = None) -> np.ndarray:
    """Standard-deviation weights: the population σ of each minmax-normalised column (with
    the directions of ``types``; None = all benefit), rescaled to sum 1."""
    m = as_matrix(X)
    with labelled(m.index, m.columns):
        return np.asarray(_core.mcda_std(x=m.values, types=as_types(types, m)))


def _judgement(v: Any, i: int, j: int) -> float:
    if isinstance(v, str):
        try:
            return float(_core.mcda_parse_ratio(text=v))
        except MCDAError as e:
            fail("rectify.mcda.bad_matrix", f"the pairwise matrix: row {i}, column {j}: {e.problems[0].message}")
    if isinstance(v, (bool, np.bool_)):
        fail("rectify.mcda.bad_matrix", f"row {i}, column {j}: a judgement is a number or a ratio like \"1/3\", not {v!r}")
    if isinstance(v, (int, float, np.integer, np.floating, fractions.Fraction)):
        return float(v)
    fail("rectify.mcda.bad_matrix", f"row {i}, column {j}: a judgement is a number or a ratio like \"1/3\", not {v!r}")


def _pairwise(matrix: Any) -> tuple:  # type: ignore[type-arg]
    """(values as a Fortran-ordered float64 array, criterion labels or None)."""
    labels: Optional[pd.Index] = None
    if isinstance(matrix, pd.DataFrame):
        labels = matrix.index
        raw = matrix.to_numpy(dtype=object) if any(t == object for t in matrix.dtypes) else matrix.to_numpy()
    else:
        try:
            raw = np.asarray(matrix)
        except ValueError:  # ragged nested lists
            raw = np.asarray(matrix, dtype=object)
    if raw.dtype.kind in "OUS":
        if raw.ndim != 2:
            rows = [list(r) for r in matrix] if not isinstance(matrix, pd.DataFrame) else []
            sizes = sorted({len(r) for r in rows})
            fail("rectify.mcda.bad_matrix", f"the pairwise matrix must be square; its rows have {sizes} entries")
        values = np.empty(raw.shape, dtype=np.float64)
        for (i, j), v in np.ndenumerate(raw):
            values[i, j] = _judgement(v.item() if isinstance(v, np.generic) else v, i, j)
    elif raw.dtype.kind in "biuf":
        values = raw.astype(np.float64)
    else:
        fail("rectify.mcda.bad_matrix", f"the pairwise matrix holds {raw.dtype} values, not numbers")
    if values.ndim != 2:
        fail("rectify.mcda.bad_matrix", f"the pairwise matrix must be two-dimensional, not of shape {values.shape}")
    return np.asfortranarray(values), labels


class AHPResult:
    """AHP priorities of one pairwise comparison matrix.

    ``weights`` (NumPy, sum 1, in the matrix's row order), ``lambda_max`` (the principal
    eigenvalue for ``"eigenvector"``, the mean of (Aw)ᵢ/wᵢ in general), ``ci`` = (λmax − n)/(n − 1)
    (0 for n ≤ 2), ``cr`` = CI/RI (0 where RI = 0), ``ri`` the random index used, ``criteria``
    (the DataFrame's index, or None). ``consistent`` is ``cr <= 0.1`` (Saaty's threshold)."""

    __slots__ = ("_weights", "_lambda_max", "_ci", "_cr", "_ri", "_method", "_table", "_criteria")

    def __init__(
        self,
        weights: np.ndarray,
        lambda_max: float,
        ci: float,
        cr: float,
        ri: float,
        method: str,
        table: str,
        criteria: Optional[pd.Index],
    ) -> None:
        self._weights = np.asarray(weights)
        self._weights.flags.writeable = False
        self._lambda_max = float(lambda_max)
        self._ci = float(ci)
        self._cr = float(cr)
        self._ri = float(ri)
        self._method = method
        self._table = table
        self._criteria = criteria

    @property
    def weights(self) -> np.ndarray:
        return self._weights

    @property
    def lambda_max(self) -> float:
        return self._lambda_max

    @property
    def ci(self) -> float:
        return self._ci

    @property
    def cr(self) -> float:
        return self._cr

    @property
    def ri(self) -> float:
        return self._ri

    @property
    def n(self) -> int:
        return int(self._weights.shape[0])

    @property
    def method(self) -> str:
        return self._method

    @property
    def criteria(self) -> Optional[pd.Index]:
        return self._criteria

    @property
    def consistent(self) -> bool:
        """CR ≤ 0.1, Saaty's rule of thumb for acceptable consistency."""
        return self._cr <= 0.1

    def to_series(self) -> pd.Series:
        """The weights as a Series indexed by the criteria (0..n-1 without labels)."""
        index = self._criteria if self._criteria is not None else pd.RangeIndex(self.n)
        return pd.Series(self._weights, index=index, name="weight")

    def _labels(self) -> List[str]:
        if self._criteria is None:
            return [str(k) for k in range(self.n)]
        return [str(c) for c in self._criteria]

    def __repr__(self) -> str:
        w = ", ".join(f"{name}: {v:.4f}" for name, v in zip(self._labels(), self._weights))
        return (
            f"<rectify.mcda.AHPResult n={self.n} ({self._method}): weights {{{w}}}; "
            f"lambda_max {self._lambda_max:.4f}, CI {self._ci:.4f}, CR {self._cr:.4f}"
            f"{'' if self.consistent else ' (> 0.1: inconsistent)'}>"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td style='text-align:right'>{v:.4f}</td></tr>"
            for name, v in zip(self._labels(), self._weights)
        )
        verdict = "consistent" if self.consistent else "inconsistent (CR &gt; 0.1)"
        return (
            f"<div><p><b>AHP</b> ({html.escape(self._method)}, RI table {html.escape(self._table)}): "
            f"λmax = {self._lambda_max:.4f}, CI = {self._ci:.4f}, CR = {self._cr:.4f}, {verdict}</p>"
            f"<table><tr><th>criterion</th><th>weight</th></tr>{rows}</table></div>"
        )


def ahp(matrix: Any, method: str = "eigenvector", ri: str = "saaty1980") -> AHPResult:
    """AHP weights of a positive reciprocal pairwise comparison matrix (aᵢⱼ = importance of
    criterion i over j): a 2-D array, a DataFrame (its index names the criteria) or nested lists
    whose entries may be strings like ``"1/3"``.

    ``method``: ``"eigenvector"`` (Saaty's principal right eigenvector) or ``"geometric_mean"``
    (row geometric means). ``ri``: the random-index table, ``"saaty1980"`` (n ≤ 10) or
    ``"alonso_lamata2006"`` (n ≤ 15). A matrix that is not square, has a non-positive entry or
    is not reciprocal within 1e-9 is an :class:`~rectify.MCDAError` naming row and column."""
    values, labels = _pairwise(matrix)
    if not isinstance(method, str) or not isinstance(ri, str):
        fail("rectify.mcda.bad_method", "method and ri are names (strings)")
    with labelled(labels, labels):
        w, lam, ci, cr = _core.mcda_ahp(matrix=values, method=method, ri=ri)
        ri_value = float(_core.mcda_random_index(ri=ri, n=values.shape[0]))
    return AHPResult(np.asarray(w), lam, ci, cr, ri_value, method, ri, labels)


def ahp_group(matrices: Sequence[Any]) -> Union[np.ndarray, pd.DataFrame]:
    """Group judgement: the element-wise geometric mean of several experts' pairwise matrices
    (each as for :func:`ahp`, all the same size). Returns the combined matrix — a DataFrame
    with the first matrix's labels when that was a DataFrame — ready for :func:`ahp`."""
    if isinstance(matrices, (np.ndarray, pd.DataFrame)) and np.ndim(matrices) == 2:
        fail("rectify.mcda.bad_matrix", "ahp_group takes a list of pairwise matrices, not one matrix")
    items = list(matrices)
    converted = [_pairwise(a) for a in items]
    combined = np.asarray(_core.mcda_ahp_group(matrices=[v for v, _ in converted]))
    labels = converted[0][1] if converted else None
    if labels is not None:
        return pd.DataFrame(combined, index=labels, columns=labels)
    return combined
