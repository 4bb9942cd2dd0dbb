#!/usr/bin/env python3
"""Scoring benchmark, Python side (see docs/benchmarks.md).

    PYTHONPATH=build/python python bench/bench_score.py                 # 1,000,000 units
    PYTHONPATH=build/python python bench/bench_score.py --units 100000  # a quick run

Generates the bench data of gen_scheme.py (N units x 106 inputs, float64, seeded; the same
bits as rectify_bench_score) as a pandas DataFrame indexed by unit id whose one float64 block
*is* the generated column-major matrix (no copy), then times, best of --repeat, in one run and
interleaved round by round:

  read pass       np.add.reduce(df.to_numpy(), axis=0): one sum per column, every byte of the
                  matrix read once (df.to_numpy() is a view of the block here; checked);
  rectify         rectify.Scheme.score(df) with nodes=True (the default) and nodes=False: the
                  whole public call (unit ids checked and handed to C++, columns viewed in place,
                  the engine, the Result wrapper); the engine call alone (_core.score on the
                  already-normalised columns) is shown as a breakdown;
  numpy           numpy_reference.score(scheme, df): the straightforward vectorised NumPy
                  implementation of the same rules.

The results of rectify and of NumPy are compared (scores to 1e-9, bands, grades and ranks
exactly). Peak memory of each call: VmHWM (from /proc/self/status) after resetting it through
/proc/self/clear_refs just before the call, minus VmRSS before the call: the memory the call
itself touched on top of what the process held, NumPy temporaries and C++ allocations alike
(tracemalloc would miss the C++ side; ru_maxrss cannot be reset between calls).
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_scheme  # noqa: E402
from _timing import Timing, _mb, _status_kb  # noqa: E402
import numpy_reference  # noqa: E402


def make_frame(scheme: dict, n: int, seed: int):
    names, m = gen_scheme.make_columns(scheme, n, seed)
    units = pd.Index([f"U{i:07d}" for i in range(1, n + 1)], name="unit")
    df = pd.DataFrame(m, index=units, columns=names, copy=False)
    shared = np.shares_memory(df.to_numpy(), m) and np.shares_memory(df[names[0]].to_numpy(), m)
    return df, m, shared


def compare(res, ref: dict) -> tuple[bool, str]:
    s = res.scores.to_numpy()
    grade = res.grades.cat.codes.to_numpy()
    rank = res.ranks.to_numpy()
    band = np.asarray(res._core.band)  # no public per-unit band Series; to_frame() has it
    d = float(np.max(np.abs(s - ref["score"])))
    mism = [int(np.sum(a != b)) for a, b in ((band, ref["band"]), (grade, ref["grade"]), (rank, ref["rank"]))]
    ok = d <= 1e-9 and not any(mism)
    return ok, f"max |score diff| {d:.3g}, band/grade/rank mismatches {mism[0]}/{mism[1]}/{mism[2]}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="rectify vs NumPy vs a plain read pass, side by side.")
    ap.add_argument("--units", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--skip-numpy", action="store_true", help="do not time the NumPy reference (it is still checked once)")
    a = ap.parse_args(argv)

    import rectify
    from rectify import _core, _data

    scheme_dict = gen_scheme.build_scheme()
    scheme = rectify.Scheme.from_json(scheme_dict)
    t0 = time.perf_counter()
    df, m, shared = make_frame(scheme_dict, a.units, a.seed)
    gen_s = time.perf_counter() - t0
    n, k = m.shape
    input_mb = m.nbytes / 1e6
    print(f"rectify Python bench: {n} units x {k} inputs = {input_mb:.1f} MB float64 DataFrame "
          f"(one block, column-major; to_numpy() and columns are views: {shared}), scheme {scheme.id}, "
          f"best of {a.repeat}, one thread")
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}; "
          f"data generated in {gen_s:.1f} s, checksum {gen_scheme.checksum_bits(m):016x}, "
          f"{int(np.isnan(m).sum())} empty cells; RSS {_mb(_status_kb('VmRSS')):.1f} MB")

    read = Timing("read pass: np.add.reduce(df.to_numpy(), axis=0)")
    full_t = Timing("rectify Scheme.score(df) [nodes=True]")
    full_f = Timing("rectify Scheme.score(df, nodes=False)")
    core_t = Timing("  of which engine (_core.score) nodes=True")
    core_f = Timing("  of which engine (_core.score) nodes=False")
    ref_t = Timing("numpy reference")
    sink = 0.0
    last = ref = None
    table = _data.table_from(df, scheme.inputs)  # for the engine-only breakdown
    plan = scheme._compiled
    for rep in range(a.repeat):
        sink += float(read.run(lambda: np.add.reduce(df.to_numpy(), axis=0))[0])
        r = full_f.run(lambda: scheme.score(df, nodes=False))
        del r
        r = full_t.run(lambda: scheme.score(df))
        if rep == a.repeat - 1:
            last = r
        del r
        c = core_f.run(lambda: _core.score(plan, table.units, table.names, table.columns, False))
        del c
        c = core_t.run(lambda: _core.score(plan, table.units, table.names, table.columns, True))
        del c
        if not a.skip_numpy or ref is None:
            r = ref_t.run(lambda: numpy_reference.score(scheme_dict, df, n))
            ref = r
            del r
    ok, how = compare(last, ref)
    del ref

    base = read.best
    npb = ref_t.best
    print()
    print(f"{'':46} {'best ms':>9} {'median ms':>10} {'x read pass':>12} {'numpy / this':>13} {'extra memory':>13}")
    for t in (read, full_f, full_t, core_f, core_t, ref_t):
        extra = f"{_mb(t.extra_kb):.1f} MB" if t.extra_kb >= 0 else "-"
        print(f"{t.label:46} {t.best * 1e3:9.1f} {t.median * 1e3:10.1f} {t.best / base:12.2f} "
              f"{npb / t.best:13.2f} {extra:>13}")
    print()
    for t in (full_f, full_t, ref_t):
        print(f"peak memory, {t.label}: input {input_mb:.1f} MB + {_mb(t.extra_kb):.1f} MB = "
              f"{(input_mb + _mb(t.extra_kb)) / input_mb:.2f}x the input")
    print(f"check rectify vs numpy: {how}: {'OK' if ok else 'MISMATCH'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
