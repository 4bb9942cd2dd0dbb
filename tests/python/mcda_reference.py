"""Independent NumPy implementations of the MCDA formulas (../shared/docs/mcda.md), written from
the formulas and not from the C++ code, for the tests of ``rectify.mcda`` to compare with."""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd


def normalize(x: np.ndarray, types: Sequence[int], method: str) -> np.ndarray:
    out = np.empty_like(x, dtype=np.float64)
    for j in range(x.shape[1]):
        c = x[:, j].astype(np.float64)
        benefit = types[j] == 1
        if method == "minmax":
            lo, hi = c.min(), c.max()
            if hi == lo:
                out[:, j] = 1.0
            else:
                out[:, j] = (c - lo) / (hi - lo) if benefit else (hi - c) / (hi - lo)
        elif method == "vector":
            norm = np.sqrt(np.sum(c * c))
            out[:, j] = c / norm if benefit else 1 - c / norm
        elif method == "sum":
            out[:, j] = c / c.sum() if benefit else (1 / c) / np.sum(1 / c)
        elif method == "max":
            out[:, j] = c / c.max() if benefit else 1 - c / c.max()
        elif method == "linear":
            out[:, j] = c / c.max() if benefit else c.min() / c
        else:
            raise ValueError(method)
    return out


def unit(w: Sequence[float]) -> np.ndarray:
    a = np.asarray(w, dtype=np.float64)
    return a / a.sum()


def wsm(x: np.ndarray, w: Sequence[float], t: Sequence[int], norm: str = "minmax") -> np.ndarray:
    return normalize(x, t, norm) @ unit(w)


def wpm(x: np.ndarray, w: Sequence[float], t: Sequence[int], norm: str = "minmax") -> np.ndarray:
    n = normalize(x, t, norm)
    ww = unit(w)
    terms = np.where(ww > 0, np.power(n, ww), 1.0)
    return np.prod(terms, axis=1)


def topsis(
    x: np.ndarray, w: Sequence[float], t: Sequence[int], norm: str = "minmax"
) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    v = normalize(x, t, norm) * unit(w)
    dp = np.sqrt(((v - v.max(axis=0)) ** 2).sum(axis=1))
    dm = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
    return dm / (dp + dm), dp, dm


def vikor(
    x: np.ndarray, w: Sequence[float], t: Sequence[int], v: float = 0.5
) -> Tuple[np.ndarray, np.ndarray, np.ndarray, List[int]]:
    ww = unit(w)
    tt = np.asarray(t)
    best = np.where(tt == 1, x.max(axis=0), x.min(axis=0))
    worst = np.where(tt == 1, x.min(axis=0), x.max(axis=0))
    span = best - worst
    safe = np.where(span == 0, 1.0, span)
    terms = np.where(span == 0, 0.0, ww * (best - x) / safe)
    s, r = terms.sum(axis=1), terms.max(axis=1)

    def part(a: np.ndarray) -> np.ndarray:
        return np.zeros_like(a) if a.max() == a.min() else (a - a.min()) / (a.max() - a.min())

    q = v * part(s) + (1 - v) * part(r)
    order = sorted(range(len(q)), key=lambda i: q[i])  # stable: ties in input order
    m = len(q)
    if m == 1:
        return s, r, q, [order[0]]
    dq = 1 / (m - 1)
    a1, a2 = order[0], order[1]
    advantage = q[a2] - q[a1] >= dq - 1e-12
    stable = s[a1] <= s.min() + 1e-12 or r[a1] <= r.min() + 1e-12
    if advantage and stable:
        comp = [a1]
    elif advantage:
        comp = [a1, a2]
    else:
        comp = [i for i in order if q[i] - q[a1] < dq - 1e-12]
    return s, r, q, comp


def copras(
    x: np.ndarray, w: Sequence[float], t: Sequence[int]
) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    d = unit(w) * x / x.sum(axis=0)
    tt = np.asarray(t)
    sp = d[:, tt == 1].sum(axis=1)
    sm = d[:, tt == -1].sum(axis=1)
    q = sp + sm.sum() / (sm * np.sum(1 / sm))
    return sp, sm, q, q / q.max()


def preference(kind: str, d: float, q: float, p: float, s: float) -> float:
    if kind == "usual":
        return float(d > 0)
    if kind == "u_shape":
        return float(d > q)
    if kind == "v_shape":
        return 0.0 if d <= 0 else min(d / p, 1.0)
    if kind == "level":
        return 0.0 if d <= q else (0.5 if d <= p else 1.0)
    if kind == "linear":
        return 0.0 if d <= q else ((d - q) / (p - q) if d <= p else 1.0)
    if kind == "gaussian":
        return 0.0 if d <= 0 else 1 - np.exp(-d * d / (2 * s * s))
    raise ValueError(kind)


def promethee2(
    x: np.ndarray,
    w: Sequence[float],
    t: Sequence[int],
    kinds: Optional[Sequence[str]] = None,
    q: Optional[Sequence[float]] = None,
    p: Optional[Sequence[float]] = None,
    s: Optional[Sequence[float]] = None,
) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    m, n = x.shape
    ww = unit(w)
    kinds = kinds or ["usual"] * n
    q = q if q is not None else [0.0] * n
    p = p if p is not None else [0.0] * n
    s = s if s is not None else [0.0] * n
    pi = np.zeros((m, m))
    for a in range(m):
        for b in range(m):
            if a != b:
                pi[a, b] = sum(
                    ww[j] * preference(kinds[j], t[j] * (x[a, j] - x[b, j]), q[j], p[j], s[j]) for j in range(n)
                )
    plus = pi.sum(axis=1) / (m - 1)
    minus = pi.sum(axis=0) / (m - 1)
    return plus, minus, plus - minus


def gra(x: np.ndarray, w: Sequence[float], t: Sequence[int], rho: float = 0.5) -> np.ndarray:
    delta = np.abs(1 - normalize(x, t, "minmax"))
    lo, hi = delta.min(), delta.max()
    xi = (lo + rho * hi) / (delta + rho * hi)
    return xi @ unit(w)


def fce(w: Sequence[float], r: np.ndarray, op: str = "weighted_average") -> np.ndarray:
    ww = unit(w)
    if op == "weighted_average":
        return np.minimum(1.0, ww @ r)
    if op == "min_max":
        return np.minimum(ww[:, None], r).max(axis=0)
    if op == "product_max":
        return (ww[:, None] * r).max(axis=0)
    raise ValueError(op)


def entropy(x: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    m = x.shape[0]
    p = x / x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = -plogp.sum(axis=0) / np.log(m)
    return (1 - e) / np.sum(1 - e), e


def critic(x: np.ndarray, t: Sequence[int]) -> np.ndarray:
    n = normalize(x, t, "minmax")
    sigma = n.std(axis=0)  # population
    r = np.corrcoef(n, rowvar=False)
    c = sigma * (1 - r).sum(axis=1)
    return c / c.sum()


def std_weights(x: np.ndarray, t: Sequence[int]) -> np.ndarray:
    sigma = normalize(x, t, "minmax").std(axis=0)
    return sigma / sigma.sum()


SAATY_RI = [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]


def ahp(a: np.ndarray, method: str = "eigenvector") -> Tuple[np.ndarray, float, float, float]:
    n = a.shape[0]
    if method == "eigenvector":
        values, vectors = np.linalg.eig(a)
        k = int(np.argmax(values.real))
        w = np.abs(vectors[:, k].real)
    else:
        w = np.exp(np.log(a).mean(axis=1))
    w = w / w.sum()
    lam = float(np.mean((a @ w) / w))
    ci = 0.0 if n <= 2 else (lam - n) / (n - 1)
    ri = SAATY_RI[n - 1]
    return w, lam, ci, (ci / ri if ri else 0.0)


def ranks(scores: Sequence[float], higher_is_better: bool = True, ties: str = "competition") -> np.ndarray:
    """By pandas' own ranking (min = competition, first = ordinal)."""
    how = {"competition": "min", "dense": "dense", "average": "average", "ordinal": "first"}[ties]
    return pd.Series(np.asarray(scores, dtype=np.float64)).rank(method=how, ascending=not higher_is_better).to_numpy()


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    ra = pd.Series(a, dtype=float).rank(method="average").to_numpy()
    rb = pd.Series(b, dtype=float).rank(method="average").to_numpy()
    return float(np.corrcoef(ra, rb)[0, 1])


def kendall_tau_b(a: Sequence[float], b: Sequence[float]) -> float:
    n = len(a)
    nc = nd = ta = tb = 0
    for i in range(n):
        for j in range(i + 1, n):
            sa, sb = np.sign(a[i] - a[j]), np.sign(b[i] - b[j])
            ta += sa == 0
            tb += sb == 0
            if sa and sb:
                if sa == sb:
                    nc += 1
                else:
                    nd += 1
    n0 = n * (n - 1) / 2
    return (nc - nd) / np.sqrt((n0 - ta) * (n0 - tb))


def ws(rx: Sequence[float], ry: Sequence[float]) -> float:
    n = len(rx)
    return 1 - sum(2.0 ** (-x) * abs(x - y) / max(abs(x - 1), abs(x - n)) for x, y in zip(rx, ry))
