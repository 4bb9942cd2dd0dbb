#!/usr/bin/env python3
"""Vectorised NumPy TOPSIS, VIKOR and entropy weights: the MCDA benchmark's yardstick.

The formulas are those of docs/mcda.md (and ../shared/docs/mcda.md), written as a competent
NumPy programmer would: whole-matrix broadcasting, one reduction per statistic, no Python loop
over rows or columns, the cost/benefit direction folded into a per-column anchor and sign
instead of computing both variants and selecting, ``np.log(..., where=...)`` for 0 ln 0 = 0.
Each function also runs the input checks the library runs (finite values; entropy: no negative
value), because rectify pays for them too.

    python bench/numpy_mcda.py --units 1000000                # time each method alone
    python bench/numpy_mcda.py --units 1000000 --dump r.bin   # for rectify_bench_mcda --check

``make_matrix(n, seed)`` builds the bench's decision matrix (n alternatives x 64 criteria,
float64, column-major) from integer hashing and exactly rounded float operations only, so
rectify_bench_mcda (C++) makes the same bits; both print the same checksum.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_scheme import _uniform, checksum_bits  # noqa: E402  (the shared splitmix64 streams)

CRITERIA = 64
QUALITY = "__alternative_quality__"
# Threshold counts: how many of these the uniform falls below (scaled by the quality), 0..6.
COUNT_T = (0.3, 0.12, 0.05, 0.02, 0.008, 0.003)


def criterion_names(k: int = CRITERIA) -> list[str]:
    return [f"c{j:02d}" for j in range(k)]


def kinds(k: int = CRITERIA) -> list[str]:
    """Criterion j cycles through four realistic kinds: a rate in [0, 1] (benefit), an amount
    of money (cost), a count of incidents, mostly 0 (cost), and a 0-100 score (benefit)."""
    return [("rate", "amount", "count", "score")[j % 4] for j in range(k)]


def types(k: int = CRITERIA) -> np.ndarray:
    return np.array([1 if kd in ("rate", "score") else -1 for kd in kinds(k)], dtype=np.int32)


def weights(k: int = CRITERIA) -> np.ndarray:
    """Unnormalised weights 1..5 (every method rescales them to sum 1)."""
    return np.array([1.0 + (j % 5) for j in range(k)])


def make_matrix(n: int, seed: int = 2026, k: int = CRITERIA) -> np.ndarray:
    """n x k float64, column-major, values >= 0, no NaN; a pure function of (seed, column, row)."""
    m = np.empty((n, k), dtype=np.float64, order="F")
    rows = np.arange(n, dtype=np.uint64)
    b = 0.65 + 0.38 * np.sqrt(_uniform(QUALITY, seed, rows))  # an alternative's overall quality
    for j, (name, kind) in enumerate(zip(criterion_names(k), kinds(k))):
        u = _uniform(name, seed, rows)
        col = m[:, j]
        if kind == "rate":
            q = np.minimum(np.maximum(b + 0.5 * (u - 0.5), 0.0), 1.0)
            col[:] = np.floor(q * 1000.0 + 0.5) / 1000.0
        elif kind == "amount":
            col[:] = np.floor(1000.0 + 99000.0 * (u * u) * (1.7 - b) + 0.5)
        elif kind == "count":
            c = np.zeros(n)
            for t in COUNT_T:
                c += u < t * (1.75 - b)
            col[:] = c
        else:
            q = np.minimum(np.maximum(b + 0.4 * (u - 0.5), 0.0), 1.0)
            col[:] = np.floor((40.0 + 60.0 * q) * 10.0 + 0.5) / 10.0
    return m


def _check_finite(x: np.ndarray) -> None:
    if not np.isfinite(x).all():
        i, j = np.argwhere(~np.isfinite(x))[0]
        raise ValueError(f"row {i}, column {j}: every value must be a finite number")


def topsis(x: np.ndarray, w: np.ndarray, t: np.ndarray, normalization: str = "minmax"):
    """(C, D+, D-). v = w * n with cost columns inverted by the normalisation; ideal = column
    max of v, anti-ideal = column min; C = D-/(D+ + D-), 1 where both are 0."""
    _check_finite(x)
    w = w / w.sum()
    benefit = t > 0
    if normalization == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        span = hi - lo
        const = span == 0
        # benefit (x - lo)/span, cost (hi - x)/span = (x - hi)/(-span): one expression
        anchor = np.where(benefit, lo, hi)
        scale = np.where(const, 0.0, w / np.where(const, 1.0, np.where(benefit, span, -span)))
        v = (x - anchor) * scale
        v[:, const] = w[const]  # a constant column normalises to 1
    elif normalization == "vector":
        norm = np.sqrt(np.einsum("ij,ij->j", x, x))
        if (norm == 0).any():
            raise ValueError(f"column {int(np.argmax(norm == 0))}: an all-zero column")
        # benefit x/norm, cost 1 - x/norm
        v = x * np.where(benefit, w / norm, -w / norm) + np.where(benefit, 0.0, w)
    else:
        raise ValueError(normalization)
    ideal, anti = v.max(axis=0), v.min(axis=0)
    d_plus = np.sqrt(np.square(v - ideal).sum(axis=1))
    d_minus = np.sqrt(np.square(v - anti).sum(axis=1))
    total = d_plus + d_minus
    c = np.divide(d_minus, total, out=np.ones_like(total), where=total > 0)
    return c, d_plus, d_minus


def vikor(x: np.ndarray, w: np.ndarray, t: np.ndarray, v: float = 0.5):
    """(S, R, Q, compromise). Terms w (f* - x)/(f* - f-) with f* best, f- worst by direction,
    a constant column contributes 0; Q and the compromise set as docs/mcda.md says."""
    _check_finite(x)
    w = w / w.sum()
    benefit = t > 0
    lo, hi = x.min(axis=0), x.max(axis=0)
    best, worst = np.where(benefit, hi, lo), np.where(benefit, lo, hi)
    span = best - worst
    const = span == 0
    scale = np.where(const, 0.0, w / np.where(const, 1.0, span))
    terms = (best - x) * scale
    s, r = terms.sum(axis=1), terms.max(axis=1)
    s_best, s_worst, r_best, r_worst = s.min(), s.max(), r.min(), r.max()
    q = np.zeros_like(s)
    if s_worst > s_best:
        q += v * (s - s_best) / (s_worst - s_best)
    if r_worst > r_best:
        q += (1 - v) * (r - r_best) / (r_worst - r_best)
    m = len(q)
    order = np.argsort(q, kind="stable")
    a1 = int(order[0])
    if m == 1:
        return s, r, q, [a1]
    tol = 1e-12
    dq = 1.0 / (m - 1)
    advantage = q[order[1]] - q[a1] >= dq - tol
    stability = s[a1] <= s_best + tol or r[a1] <= r_best + tol
    if advantage:
        comp = [a1] if stability else [a1, int(order[1])]
    else:
        comp = [int(a) for a in order[q[order] - q[a1] < dq - tol]]
    return s, r, q, comp


def entropy(x: np.ndarray):
    """(weights, e, all_constant). p = x/sum, e = -sum p ln p / ln m with 0 ln 0 = 0; a constant
    column has e = 1; all constant -> equal weights."""
    _check_finite(x)
    if (x < 0).any():
        raise ValueError("entropy weights refuse a negative value")
    m, k = x.shape
    const = x.min(axis=0) == x.max(axis=0)
    total = x.sum(axis=0)
    p = x / np.where(total > 0, total, 1.0)
    logp = np.zeros_like(p)
    np.log(p, out=logp, where=p > 0)
    np.multiply(p, logp, out=logp)
    e = -logp.sum(axis=0) / np.log(m)  # np.sum adds pairwise (einsum would not: 1e-13 worse)
    e[const] = 1.0
    if const.all():
        return np.full(k, 1.0 / k), e, True
    d = np.maximum(1.0 - e, 0.0)
    return d / d.sum(), e, False


def run_all(x: np.ndarray) -> dict:
    k = x.shape[1]
    w, t = weights(k), types(k)
    c, dp, dm = topsis(x, w, t)
    cv, dpv, dmv = topsis(x, w, t, "vector")
    s, r, q, comp = vikor(x, w, t)
    ew, e, _ = entropy(x)
    return {"topsis": (c, dp, dm), "topsis_vector": (cv, dpv, dmv), "vikor": (s, r, q, comp), "entropy": (ew, e)}


def dump(path: str, res: dict, m: int, k: int) -> None:
    """int64 m, k; TOPSIS minmax C, D+, D- and vector C, D+, D- (float64[m] each); VIKOR S, R, Q
    (float64[m]); int64 size and int64 positions of the compromise set; entropy weights and e
    (float64[k]). Little-endian; read by rectify_bench_mcda --check."""
    with open(path, "wb") as f:
        f.write(np.array([m, k], dtype="<i8").tobytes())
        for arr in (*res["topsis"], *res["topsis_vector"], *res["vikor"][:3]):
            f.write(np.ascontiguousarray(arr, dtype="<f8").tobytes())
        comp = np.asarray(res["vikor"][3], dtype="<i8")
        f.write(np.int64(len(comp)).astype("<i8").tobytes())
        f.write(comp.tobytes())
        for arr in res["entropy"]:
            f.write(np.ascontiguousarray(arr, dtype="<f8").tobytes())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Time the NumPy MCDA reference on the bench data.")
    ap.add_argument("--units", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dump", help="write the results here for rectify_bench_mcda --check")
    a = ap.parse_args(argv)
    x = make_matrix(a.units, a.seed)
    m, k = x.shape
    print(f"data: {m} alternatives x {k} criteria, checksum {checksum_bits(x):016x}")
    w, t = weights(k), types(k)
    for label, fn in (("topsis minmax", lambda: topsis(x, w, t)), ("topsis vector", lambda: topsis(x, w, t, "vector")),
                      ("vikor", lambda: vikor(x, w, t)), ("entropy", lambda: entropy(x))):
        best = float("inf")
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        print(f"numpy {label}: best of {a.repeat}: {best * 1e3:.1f} ms")
    if a.dump:
        dump(a.dump, run_all(x), m, k)
        print(f"wrote {a.dump}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
