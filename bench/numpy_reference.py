#!/usr/bin/env python3
"""A straightforward vectorised NumPy implementation of scoring.md §2-5, the benchmark's yardstick.

It is what a reasonable NumPy programmer writes: one vectorised expression per leaf over the
whole column (np.clip, np.searchsorted for steps, np.interp for piecewise), np.minimum for
capped counts, np.sort + np.searchsorted for competition ranks with the tie tolerance and for
the quota cut, and the same data checks as the engine (finite values, counts >= 0, check
values 0/1, direct values in [0, p]) and the per-unit missing inputs. It handles the whole
contract of §2-5 for the "zero" and "error" missing policies ("reweight" is out of scope here;
the bench scheme uses "zero").

    python bench/numpy_reference.py --units 1000000                     # time it alone
    python bench/numpy_reference.py --units 1000000 --dump ref.bin      # for rectify_bench_score --check

``score(scheme, data)`` takes the scheme as a dict (parsed JSON) and ``data`` as anything that
maps an input name to a float64 column: a pandas DataFrame, a dict of arrays.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

TIE = 1e-9


def _points(nodes, parent_points):
    wsum = sum(n.get("weight", 0) for n in nodes)
    return [n["points"] if "points" in n else parent_points * n["weight"] / wsum for n in nodes]


def _fraction(rule: dict, x: np.ndarray, p: float, name: str) -> np.ndarray:
    t = rule["type"]
    if t == "linear":
        return np.clip((x - rule["worst"]) / (rule["best"] - rule["worst"]), 0.0, 1.0)
    if t == "steps":
        table = sorted(rule.get("at_least") or rule["at_most"])
        ts = np.array([s[0] for s in table])
        fs = np.array([s[1] for s in table] + [0.0])  # index len(ts) -> 0 ("none")
        if "at_least" in rule:  # f of the largest t <= x
            i = np.searchsorted(ts, x, side="right") - 1
            i[i < 0] = len(ts)
        else:  # f of the smallest t >= x
            i = np.searchsorted(ts, x, side="left")
        return fs[i]
    if t == "piecewise":
        pts = rule["points"]
        return np.interp(x, [q[0] for q in pts], [q[1] for q in pts])
    if t == "check":
        bad = ~((x == 0) | (x == 1) | np.isnan(x))
        if bad.any():
            raise ValueError(f"input {name!r}: a check indicator takes 0 or 1, got {x[bad][0]}")
        return x
    if t == "direct":
        bad = ~(((x >= 0) & (x <= p)) | np.isnan(x))
        if bad.any():
            raise ValueError(f"input {name!r}: expert-rated points must lie in [0, {p}], got {x[bad][0]}")
        return x / p if p > 0 else np.zeros_like(x)
    raise ValueError(f"unknown rule type {t!r}")


def competition_rank(s: np.ndarray) -> np.ndarray:
    """1 + the number of scores higher than each and not tied with it (scores >= 0).

    b is higher than a and not tied when b - a > 1e-9 * max(1, b), i.e. when
    g(b) = b - 1e-9 * max(1, b) > a; g is increasing, so one sort and a binary search do it.
    """
    asc = np.sort(s)
    g = asc - TIE * np.maximum(1.0, asc)
    return (len(s) - np.searchsorted(g, s, side="right") + 1).astype(np.int32)


def score(scheme: dict, data, n: int | None = None) -> dict:
    policy = scheme.get("missing", "error")
    if policy == "reweight":
        raise NotImplementedError("numpy_reference covers the 'error' and 'zero' missing policies")
    if n is None:
        n = len(data)
    cache: dict[str, np.ndarray] = {}
    missing: dict[str, np.ndarray] = {}  # input -> units where it is missing

    def column(name: str) -> np.ndarray:
        if name not in cache:
            x = np.asarray(data[name], dtype=np.float64) if name in data else np.full(n, np.nan)
            if np.isinf(x).any():
                raise ValueError(f"input {name!r}: values must be finite")
            nan = np.isnan(x)
            if nan.any():
                if policy == "error":
                    raise ValueError(f"input {name!r} is missing for {int(nan.sum())} units")
                missing[name] = np.flatnonzero(nan)
            cache[name] = x
        return cache[name]

    def count(name: str) -> np.ndarray:
        x = column(name)
        if (x < 0).any():
            raise ValueError(f"input {name!r}: a count must be >= 0")
        return np.nan_to_num(x, nan=0.0) if name in missing else x

    def items(lst) -> np.ndarray:
        total = np.zeros(n)
        for it in lst:
            a = it["per"] * count(it["input"])
            total += np.minimum(a, it["cap"]) if "cap" in it else a
        return total

    nodes: dict[str, np.ndarray] = {}

    def earn(node_list, parent_points) -> np.ndarray:
        total = np.zeros(n)
        for node, p in zip(node_list, _points(node_list, parent_points)):
            if "children" in node:
                e = earn(node["children"], p)
            else:
                rule = node.get("rule")
                d = items(node.get("deductions", []))
                if rule is None:
                    e = np.clip(p - d, 0.0, p)
                else:
                    name = node.get("input", node["id"])
                    x = column(name)
                    e = np.clip(p * _fraction(rule, x, p, name) - d, 0.0, p)
                    if name in missing:
                        e[np.isnan(x)] = 0.0  # "zero": the leaf earns nothing
            nodes[node["id"]] = e
            total += e
        return total

    base = earn(scheme["indicators"], scheme.get("total", 100))
    b = scheme.get("bonus")
    bonus = np.minimum(items(b["items"]), b.get("cap", np.inf)) if b else np.zeros(n)
    penalty = items(scheme.get("penalties", []))
    s = np.maximum(base + bonus - penalty, 0.0)

    grades = scheme["grades"]
    names = [g["name"] for g in grades]
    band = np.zeros(n, dtype=np.int32)
    for g in grades[:-1]:  # mins strictly decrease: band = number of cuts above the score
        band += s < g["min"]
    grade = band.copy()
    vetoed = []
    for v in scheme.get("vetoes", []):
        hit = column(v["input"]) > v.get("above", 0)  # NaN never triggers
        np.maximum(grade, np.where(hit, names.index(v["max_grade"]), 0), out=grade)
        vetoed.append(np.flatnonzero(hit))
    rank = competition_rank(s)
    for gi, g in enumerate(grades[:-1]):
        if "quota" not in g:
            continue
        limit = int(np.floor(g["quota"] * n + 1e-9))
        holders = np.flatnonzero(grade == gi)
        if len(holders) > limit:
            out = holders[competition_rank(s[holders]) > limit]
            grade[out] = gi + 1
    return {"score": s, "base": base, "bonus": bonus, "penalty": penalty, "band": band, "grade": grade,
            "rank": rank, "nodes": nodes, "missing": missing, "vetoes": vetoed}


def dump(path: str, r: dict) -> None:
    """int64 n, then score float64[n], band, grade, rank int32[n] (read by rectify_bench_score --check)."""
    with open(path, "wb") as f:
        f.write(np.int64(len(r["score"])).tobytes())
        f.write(np.ascontiguousarray(r["score"], dtype="<f8").tobytes())
        for k in ("band", "grade", "rank"):
            f.write(np.ascontiguousarray(r[k], dtype="<i4").tobytes())


def main(argv=None) -> int:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import gen_scheme

    ap = argparse.ArgumentParser(description="Time the NumPy reference on the bench data.")
    ap.add_argument("--units", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scheme", help="scheme JSON (default: the bench scheme of gen_scheme.py)")
    ap.add_argument("--dump", help="write scores, bands, grades and ranks here for rectify_bench_score --check")
    a = ap.parse_args(argv)
    scheme = json.load(open(a.scheme, encoding="utf-8")) if a.scheme else gen_scheme.build_scheme()
    names, m = gen_scheme.make_columns(scheme, a.units, a.seed)
    data = {name: m[:, j] for j, name in enumerate(names)}
    print(f"data: {a.units} units x {len(names)} inputs, checksum {gen_scheme.checksum_bits(m):016x}")
    best = float("inf")
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        r = score(scheme, data, a.units)
        best = min(best, time.perf_counter() - t0)
    print(f"numpy reference: best of {a.repeat}: {best * 1e3:.1f} ms")
    if a.dump:
        dump(a.dump, r)
        print(f"wrote {a.dump}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
