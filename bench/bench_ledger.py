#!/usr/bin/env python3
"""Ledger benchmark driver (see docs/benchmarks.md, "Ledger").

    cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DRECTIFY_BUILD_BENCH=ON
    cmake --build build/bench --target rectify_bench_ledger
    python3 bench/bench_ledger.py --binary build/bench/bench/rectify_bench_ledger

Writes the benchmark ledger with bench/gen_ledger.py (100,000 measures, 1,000,000 chained
events; deterministic) unless --ledger names one that exists already, then runs the C++
benchmark on it, pinned to one core with taskset when available. The C++ program does all the
timing in one process, round by round: a plain nlohmann::json::parse of the file's bytes (the
reference), rectify::io::parse_ledger + ledger::verify + ledger::status as of a date, and a
365-day ledger::timeline, and prints the ratios against the targets (load + verify + status
within 3x of the plain parse; the timeline within 2x of a single status). Standard library only.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time


def main(argv=None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="rectify ledger load/verify/status/timeline vs a plain JSON parse.")
    ap.add_argument("--binary", default="build/bench/bench/rectify_bench_ledger")
    ap.add_argument("--ledger", default=os.path.join("/tmp", "rectify_bench_ledger.json"),
                    help="the ledger file; generated when missing (or with --regenerate)")
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("--measures", type=int, default=100_000)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--as-of", default="2026-09-30")
    ap.add_argument("--cpu", default="1", help="the core to pin to with taskset ('' for none)")
    ap.add_argument("--callback-parse", action="store_true",
                    help="also time nlohmann's parse with a keep-all callback (diagnosis; quadratic in 3.11.2)")
    a = ap.parse_args(argv)

    if a.regenerate or not os.path.exists(a.ledger):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, os.path.join(here, "gen_ledger.py"), a.ledger, "--measures", str(a.measures),
                        "--events", str(a.events)], check=True)
        print(f"# generated {a.ledger} in {time.perf_counter() - t0:.1f} s", flush=True)
    cmd = [a.binary, a.ledger, "--repeat", str(a.repeat), "--as-of", a.as_of]
    if a.callback_parse:
        cmd.append("--callback-parse")
    if a.cpu and shutil.which("taskset"):
        cmd = ["taskset", "-c", a.cpu] + cmd
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load average {load}; "
          f"{' '.join(cmd)}", flush=True)
    return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())
