#!/usr/bin/env python3
"""SMAA-2 benchmark, both sides (see docs/benchmarks.md, "MCDA: SMAA-2").

    cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DRECTIFY_BUILD_BENCH=ON
    cmake --build build/bench --target rectify_bench_smaa
    python bench/bench_smaa.py --binary build/bench/bench/rectify_bench_smaa

Generates the decision matrix once (1,000 alternatives x 20 criteria by default, uniform on
[1, 100) from NumPy's PCG64 seeded 2024; even columns benefit, odd columns cost), writes it as
raw column-major float64 and hands the same bits to the C++ binary (--matrix), which times
rectify::mcda::smaa with 1 and 2 threads (best of --repeat, interleaved). Then times
numpy_smaa.smaa on the same matrix (best of --repeat; it draws its own uniform weights, as a
NumPy user would) and prints one table row per method: wall times (best of --repeat) and, because
the machine may be shared, the CPU time of rectify's 1-thread run and of the NumPy run (all
threads of the process; NumPy's BLAS may use several).

Cross-check: the binary also writes its weight samples and acceptability matrices; NumPy is run
once more on exactly those weights and the two acceptability matrices must agree exactly.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_smaa  # noqa: E402


def _blas_threads() -> str:
    for key in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if key in os.environ:
            return f"{key}={os.environ[key]}"
    return "BLAS default threads"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="rectify SMAA-2 (1 and 2 threads) vs NumPy, same matrix.")
    ap.add_argument("--binary", default="build/bench/bench/rectify_bench_smaa")
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--cols", type=int, default=20)
    ap.add_argument("--samples", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--methods", default="topsis,wsm")
    args = ap.parse_args(argv)

    rng = np.random.default_rng(2024)
    x = rng.uniform(1.0, 100.0, (args.rows, args.cols))
    types = np.where(np.arange(args.cols) % 2 == 0, 1, -1)
    methods = args.methods.split(",")

    with tempfile.TemporaryDirectory() as tmp:
        matrix = os.path.join(tmp, "x.bin")
        weights = os.path.join(tmp, "w.bin")
        prefix = os.path.join(tmp, "acceptability_")
        x.ravel(order="F").tofile(matrix)
        cmd = [args.binary, "--rows", str(args.rows), "--cols", str(args.cols), "--samples", str(args.samples),
               "--repeat", str(args.repeat), "--methods", args.methods, "--matrix", matrix,
               "--dump-weights", weights, "--dump-acceptability", prefix]
        run = subprocess.run(cmd, check=True, capture_output=True, text=True)
        cpp = {r["method"]: r for r in map(json.loads, run.stdout.splitlines())}
        w_cpp = np.fromfile(weights).reshape(args.samples, args.cols)
        acc_cpp = {m: np.fromfile(prefix + m + ".bin").reshape(args.rows, args.rows) for m in methods}

    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, NumPy {np.__version__} "
          f"({_blas_threads()}); {args.rows} alternatives x {args.cols} criteria x {args.samples} weight samples; "
          f"best of {args.repeat}")
    print(f"{'method':8} {'rectify 1 thr':>14} {'rectify 2 thr':>14} {'2-thread speedup':>17} {'NumPy':>10} "
          f"{'NumPy/rectify 1':>16} {'NumPy/rectify 2':>16} {'check':>8}   CPU s: rectify 1 thr, NumPy")
    ok = True
    for m in methods:
        best = best_cpu = float("inf")
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            numpy_smaa.smaa(x, types, m, args.samples, seed=1)
            best = min(best, time.perf_counter() - start)
            best_cpu = min(best_cpu, time.process_time() - start_cpu)
        same = numpy_smaa.smaa(x, types, m, args.samples, weights=w_cpp)["acceptability"]
        diff = float(np.abs(same - acc_cpp[m]).max())
        ok = ok and diff == 0
        r = cpp[m]
        print(f"{m:8} {r['threads1_s']:13.3f}s {r['threads2_s']:13.3f}s {r['speedup']:16.2f}x {best:9.3f}s "
              f"{best / r['threads1_s']:15.2f}x {best / r['threads2_s']:15.2f}x "
              f"{'same' if diff == 0 else f'{diff:.1e}':>8}   {r['threads1_cpu_s']:.3f}, {best_cpu:.3f}")
    if not ok:
        print("acceptability differs from NumPy on the same weights", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
