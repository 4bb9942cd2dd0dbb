"""SMAA-2 in vectorised NumPy: the reference the C++ benchmark is compared with.

The same algorithm as rectify::mcda::smaa for exact criterion values and uniform weights on the
simplex (normalised standard exponentials), written the way a NumPy user would, with the same
shortcut rectify takes (scores of a block of weight vectors as one matrix product):

  wsm     S = W · Nᵀ                      with N the minmax-normalised matrix
  topsis  D± = sqrt(W² · ((N − colmax/colmin)²)ᵀ), C = D⁻/(D⁺ + D⁻)  (C = 1 where D⁺ + D⁻ = 0)

then one argsort per sample for the ranks, np.bincount for the rank-acceptability counts, the
central weight vectors as the mean of the weights where an alternative is first, and the
confidence factors as "is it first under its own central weights" (0 or 1 with exact values).
Ties are not handled (argsort order): on continuous random data there are none, which the
cross-check in bench_smaa.py confirms by matching rectify's competition-rank counts exactly.
"""
from __future__ import annotations

import numpy as np


def minmax(x: np.ndarray, types: np.ndarray) -> np.ndarray:
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = hi - lo
    safe = np.where(span > 0, span, 1.0)
    n = np.where(types > 0, (x - lo) / safe, (hi - x) / safe)
    return np.where(span > 0, n, 1.0)


def uniform_weights(rng: np.random.Generator, samples: int, n: int) -> np.ndarray:
    e = rng.standard_exponential((samples, n))
    return e / e.sum(axis=1, keepdims=True)


class _Scorer:
    def __init__(self, method: str, x: np.ndarray, types: np.ndarray):
        self.method = method
        n = minmax(x, types)
        if method == "wsm":
            self.nt = np.ascontiguousarray(n.T)
        elif method == "topsis":
            self.pt = np.ascontiguousarray(((n - n.max(axis=0)) ** 2).T)
            self.qt = np.ascontiguousarray(((n - n.min(axis=0)) ** 2).T)
        else:
            raise ValueError(f"numpy_smaa: method {method!r} is not implemented (wsm, topsis)")

    def scores(self, w: np.ndarray) -> np.ndarray:
        """Scores, one row per weight vector (samples x alternatives)."""
        if self.method == "wsm":
            return w @ self.nt
        w2 = w * w
        d_plus = np.sqrt(w2 @ self.pt)
        d_minus = np.sqrt(w2 @ self.qt)
        total = d_plus + d_minus
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, d_minus / total, 1.0)


def smaa(x: np.ndarray, types: np.ndarray, method: str = "topsis", samples: int = 10000, seed: int = 1,
         weights: np.ndarray | None = None, block: int = 1000) -> dict[str, np.ndarray]:
    """Rank acceptability (m x m), central weights (m x n), confidence (m) and holistic
    acceptability (m). `weights` (samples x n) replaces the sampling, for cross-checks."""
    m, n = x.shape
    scorer = _Scorer(method, x, np.asarray(types))
    w_all = uniform_weights(np.random.default_rng(seed), samples, n) if weights is None else weights
    counts = np.zeros(m * m, dtype=np.int64)
    first_counts = np.zeros(m, dtype=np.int64)
    central = np.zeros((m, n))
    ranks = np.arange(m)
    for start in range(0, samples, block):
        w = w_all[start:start + block]
        order = np.argsort(-scorer.scores(w), axis=1)  # order[k, r]: the alternative at rank r + 1
        counts += np.bincount((order * m + ranks).ravel(), minlength=m * m)
        first = order[:, 0]
        first_counts += np.bincount(first, minlength=m)
        np.add.at(central, first, w)
    acceptability = counts.reshape(m, m) / samples
    with np.errstate(invalid="ignore", divide="ignore"):
        central_weights = central / first_counts[:, None]
    central_weights[first_counts == 0] = np.nan
    confidence = np.full(m, np.nan)
    have = np.flatnonzero(first_counts)
    if have.size:
        best = scorer.scores(central_weights[have]).argmax(axis=1)
        confidence[have] = (best == have).astype(float)
    meta = (m - 1 - np.arange(m)) / (m - 1) if m > 1 else np.ones(1)
    return {"acceptability": acceptability, "central_weights": central_weights, "confidence": confidence,
            "holistic": acceptability @ meta}
