#!/usr/bin/env python3
"""Meetings benchmark driver (see docs/benchmarks.md, "Meetings").

    cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DRECTIFY_BUILD_BENCH=ON
    cmake --build build/bench --target rectify_bench_meetings
    .venv/bin/python bench/bench_meetings.py --binary build/bench/bench/rectify_bench_meetings

Writes the benchmark records with bench/gen_meetings.py (10,000 branches × 2026, about 600,000
rows; deterministic) and their branch list unless --records names a file that exists already,
then runs the C++ benchmark on them, pinned to one core with taskset when available. The C++
program does the timing that the target is about, in one process, round by round: reading the
CSV alone with io::read_text_csv_file (the reference) and the whole check (the same read,
compliance::read_meeting_records, check_meetings, inputs), and prints their ratio (target ≤ 3).
For context, this script then times pandas.read_csv of the same file (all columns as strings,
so that it does what read_text_csv does: text cells, no type inference) on the same core, and
compares it with the C++ read. pandas is optional: without it, that part is skipped.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import time


def pandas_read(path: str, repeat: int) -> float | None:
    """Times pandas.read_csv of the file; returns the median of the string read in seconds."""
    try:
        import pandas as pd
        from _timing import Timing, _mb
    except ImportError as e:  # numpy/pandas are not needed for the C++ figures
        print(f"# pandas part skipped: {e}")
        return None
    t_str = Timing("pandas.read_csv(dtype=str, keep_default_na=False)")
    t_def = Timing("pandas.read_csv() (type inference, NaN for empty)")
    rows = 0
    for _ in range(repeat):
        df = t_str.run(lambda: pd.read_csv(path, dtype=str, keep_default_na=False))
        rows = len(df)
        del df
        df = t_def.run(lambda: pd.read_csv(path))
        del df
    print(f"\npandas {pd.__version__} on the same file ({rows} rows), {repeat} rounds:")
    for t in (t_str, t_def):
        print(f"  {t.label:54} best {t.best * 1e3:9.1f} ms  median {t.median * 1e3:9.1f} ms  "
              f"extra memory {_mb(t.extra_kb):.1f} MB")
    return t_str.median


def main(argv=None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    ap = argparse.ArgumentParser(description="rectify meetings check vs reading the CSV alone (and pandas).")
    ap.add_argument("--binary", default="build/bench/bench/rectify_bench_meetings")
    ap.add_argument("--records", default=os.path.join("/tmp", "rectify_bench_meetings.csv"),
                    help="the records file; generated when missing (or with --regenerate)")
    ap.add_argument("--branch-list", default=os.path.join("/tmp", "rectify_bench_branches.csv"),
                    help="the branch list written with it ('' to check without one)")
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("--branches", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cpu", default="1", help="the core to pin to with taskset ('' for none)")
    ap.add_argument("--no-pandas", action="store_true")
    a = ap.parse_args(argv)

    if a.regenerate or not os.path.exists(a.records) or (a.branch_list and not os.path.exists(a.branch_list)):
        t0 = time.perf_counter()
        cmd = [sys.executable, os.path.join(here, "gen_meetings.py"), a.records, "--branches", str(a.branches)]
        if a.branch_list:
            cmd += ["--branch-list", a.branch_list]
        subprocess.run(cmd, check=True)
        print(f"# generated {a.records} in {time.perf_counter() - t0:.1f} s", flush=True)
    cmd = [a.binary, a.records, "--repeat", str(a.repeat)]
    if a.branch_list:
        cmd += ["--branches", a.branch_list]
    if a.cpu and shutil.which("taskset"):
        cmd = ["taskset", "-c", a.cpu] + cmd
        try:
            os.sched_setaffinity(0, {int(a.cpu)})  # pandas on the same core as the C++ run
        except (OSError, ValueError):
            pass
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load average {load}; "
          f"{' '.join(cmd)}", flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    sys.stdout.write(p.stdout)
    if p.returncode != 0:
        return p.returncode
    m = re.search(r"^RESULT read_ms=([\d.]+) check_ms=([\d.]+)", p.stdout, re.M)
    if a.no_pandas or m is None:
        return 0
    pd_ms = pandas_read(a.records, a.repeat)
    if pd_ms is not None:
        read_ms, check_ms = float(m.group(1)), float(m.group(2))
        print(f"\nmedians: pandas.read_csv(dtype=str) {pd_ms * 1e3:.1f} ms; rectify read {read_ms:.1f} ms "
              f"({read_ms / (pd_ms * 1e3):.2f}x pandas); whole check {check_ms:.1f} ms "
              f"({check_ms / (pd_ms * 1e3):.2f}x pandas)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
