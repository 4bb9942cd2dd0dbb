#!/usr/bin/env python3
"""MCDA benchmark, Python side (see docs/benchmarks.md, "MCDA: TOPSIS, VIKOR, entropy").

    PYTHONPATH=build/bench/python taskset -c 1 python bench/bench_mcda.py \\
        --cpp build/bench/bench/rectify_bench_mcda                       # 1,000,000 x 64
    PYTHONPATH=build/bench/python python bench/bench_mcda.py --units 100000 --repeat 3   # quick

Generates the decision matrix of numpy_mcda.make_matrix (N alternatives x 64 criteria, float64;
the same bits as rectify_bench_mcda) as a pandas DataFrame whose one float64 block *is* the
generated column-major matrix (no copy; checked), then times, best of --repeat, in one process
and interleaved round by round:

  read pass   np.add.reduce(df.to_numpy(), axis=0): every byte of the matrix read once;
  numpy       numpy_mcda.topsis (minmax and vector), vikor, entropy: the vectorised NumPy
              implementation of the same formulas;
  rectify     rectify.mcda.topsis(df, weights, types) (and normalization="vector"),
              rectify.mcda.vikor(df, weights, types), rectify.mcda.weights.entropy(df): the
              whole public call (argument conversion, the C++ method, the result object; its
              ranks are computed when first read, as NumPy's reference computes none); the C++
              call alone (_core.mcda_*) is shown as a breakdown.

With --cpp, the C++ bench runs afterwards as a subprocess on identically generated data (same
checksum, checked) and its own figures (C++ calls vs a C++ read pass, same process) are shown
next to this process's NumPy figures. rectify's results are compared with NumPy's (max relative
difference, the VIKOR compromise set exactly). Peak memory of each call: VmHWM after resetting
it through /proc/self/clear_refs, minus VmRSS before the call.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_mcda as ref  # noqa: E402
from gen_scheme import checksum_bits  # noqa: E402
from _timing import Timing, _mb, _status_kb  # noqa: E402


def _rel(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="rectify vs NumPy vs a plain read pass: TOPSIS, VIKOR, entropy.")
    ap.add_argument("--units", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--cpp", help="path of rectify_bench_mcda: run it too and show its figures")
    ap.add_argument("--cpp-repeat", type=int, default=7)
    a = ap.parse_args(argv)

    try:
        import rectify.mcda as rmcda
        from rectify import _core
        have_py = hasattr(_core, "mcda_topsis")
    except ImportError as e:  # the bindings are optional for this bench
        print(f"(rectify.mcda not importable: {e}; timing NumPy and the C++ bench only)")
        have_py = False

    t0 = time.perf_counter()
    m = ref.make_matrix(a.units, a.seed)
    names = ref.criterion_names(m.shape[1])
    df = pd.DataFrame(m, index=pd.RangeIndex(a.units, name="alternative"), columns=names, copy=False)
    gen_s = time.perf_counter() - t0
    x = df.to_numpy()
    shared = bool(np.shares_memory(x, m) and np.shares_memory(df[names[0]].to_numpy(), m) and x.flags.f_contiguous)
    n, k = m.shape
    w, t = ref.weights(k), ref.types(k)
    input_mb = m.nbytes / 1e6
    checksum = f"{checksum_bits(m):016x}"
    print(f"rectify MCDA Python bench: {n} alternatives x {k} criteria = {input_mb:.1f} MB float64 DataFrame "
          f"(one block, column-major; to_numpy() and columns are views: {shared}), best of {a.repeat}, one thread")
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}; data generated "
          f"in {gen_s:.1f} s, checksum {checksum}; RSS {_mb(_status_kb('VmRSS')):.1f} MB")
    if have_py:
        from rectify.mcda._input import as_matrix
        shared_core = np.shares_memory(as_matrix(df).values, m)
        print(f"rectify.mcda hands C++ a view of the DataFrame's block: {shared_core}")

    # (label, numpy call, rectify public call, C++ call alone)
    methods = {
        "topsis": (lambda: ref.topsis(x, w, t),
                   lambda: rmcda.topsis(df, w, t),
                   lambda: _core.mcda_topsis(x=x, weights=w, types=t, normalization="minmax")),
        "topsis_vector": (lambda: ref.topsis(x, w, t, "vector"),
                          lambda: rmcda.topsis(df, w, t, normalization="vector"),
                          lambda: _core.mcda_topsis(x=x, weights=w, types=t, normalization="vector")),
        "vikor": (lambda: ref.vikor(x, w, t),
                  lambda: rmcda.vikor(df, w, t),
                  lambda: _core.mcda_vikor(x=x, weights=w, types=t, v=0.5)),
        "entropy": (lambda: ref.entropy(x),
                    lambda: rmcda.weights.entropy(df),
                    lambda: _core.mcda_entropy(x=x)),
    }
    labels = {"topsis": "topsis (minmax)", "topsis_vector": "topsis (vector)", "vikor": "vikor (v = 0.5)",
              "entropy": "entropy weights"}
    read = Timing("read pass: np.add.reduce(df.to_numpy(), axis=0)")
    t_np = {key: Timing(f"numpy {labels[key]}") for key in methods}
    t_py = {key: Timing(f"rectify.mcda {labels[key]}") for key in methods}
    t_core = {key: Timing(f"  of which C++ (_core.mcda_{key.split('_')[0]})") for key in methods}
    out_np: dict = {}
    out_py: dict = {}
    sink = 0.0
    for rep in range(a.repeat):
        sink += float(read.run(lambda: np.add.reduce(df.to_numpy(), axis=0))[0])
        for key, (f_np, f_py, f_core) in methods.items():
            r = t_np[key].run(f_np)
            if rep == a.repeat - 1:
                out_np[key] = r
            del r
            if have_py:
                r = t_py[key].run(f_py)
                if rep == a.repeat - 1:
                    out_py[key] = r
                del r
                r = t_core[key].run(f_core)
                del r

    base = read.best
    print()
    print(f"{'':48} {'best ms':>9} {'median ms':>10} {'x read pass':>12} {'numpy / this':>13} {'extra memory':>13}")

    def row(tm: Timing, numpy_best: float) -> None:
        extra = f"{_mb(tm.extra_kb):.1f} MB" if tm.extra_kb >= 0 else "-"
        print(f"{tm.label:48} {tm.best * 1e3:9.1f} {tm.median * 1e3:10.1f} {tm.best / base:12.2f} "
              f"{numpy_best / tm.best:13.2f} {extra:>13}")

    row(read, read.best)
    for key in methods:
        row(t_np[key], t_np[key].best)
        if have_py:
            row(t_py[key], t_np[key].best)
            row(t_core[key], t_np[key].best)

    ok = True
    if have_py:
        c_np, dp_np, dm_np = out_np["topsis"]
        r_t = out_py["topsis"]
        cv_np, dpv_np, dmv_np = out_np["topsis_vector"]
        r_tv = out_py["topsis_vector"]
        s_np, r_np, q_np, comp_np = out_np["vikor"]
        r_v = out_py["vikor"]
        ew_np, _e_np, _ = out_np["entropy"]
        diffs = {
            "topsis C": _rel(r_t.scores, c_np), "D+": _rel(r_t.d_plus, dp_np), "D-": _rel(r_t.d_minus, dm_np),
            "topsis/vector C": _rel(r_tv.scores, cv_np), "D+ ": _rel(r_tv.d_plus, dpv_np),
            "D- ": _rel(r_tv.d_minus, dmv_np),
            "vikor S": _rel(r_v.S, s_np), "R": _rel(r_v.R, r_np), "Q": _rel(r_v.Q, q_np),
            "entropy w": _rel(out_py["entropy"], ew_np),
        }
        same_set = list(r_v.compromise) == list(comp_np)
        ok = max(diffs.values()) <= 1e-9 and same_set
        print("\ncheck rectify vs numpy (max relative difference): "
              + ", ".join(f"{key.strip()} {v:.2g}" for key, v in diffs.items())
              + f"; compromise set ({len(comp_np)}) {'same' if same_set else 'DIFFERENT'}: {'OK' if ok else 'MISMATCH'}")
    del out_np, out_py

    if a.cpp:
        # The subprocess inherits this process's CPU affinity (taskset), so it runs on the same core.
        del df, x, m
        gc.collect()
        cmd = [a.cpp, "--units", str(a.units), "--seed", str(a.seed), "--repeat", str(a.cpp_repeat), "--json"]
        print(f"\n$ {' '.join(cmd)}")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        lines = proc.stdout.strip().splitlines()
        print("\n".join(lines[:-1]))
        cpp = json.loads(lines[-1])
        if cpp["checksum"] != checksum:
            print(f"C++ data checksum {cpp['checksum']} differs from {checksum}: MISMATCH")
            return 1
        print(f"\nC++ figures against this process's NumPy (same data, checksum {checksum}):")
        print(f"{'':24} {'C++ best ms':>12} {'x C++ read pass':>16} {'numpy best ms':>14} {'numpy / C++':>12}")
        for key in methods:
            c = cpp[key]["best_ms"]
            print(f"{labels[key]:24} {c:12.1f} {c / cpp['read']['best_ms']:16.2f} {t_np[key].best * 1e3:14.1f} "
                  f"{t_np[key].best * 1e3 / c:12.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
