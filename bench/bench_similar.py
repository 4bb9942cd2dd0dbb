#!/usr/bin/env python3
"""Copy-detection benchmark driver (see docs/benchmarks.md, "Copy detection").

    cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DRECTIFY_BUILD_BENCH=ON
    cmake --build build/bench --target rectify_bench_similar
    .venv/bin/python bench/bench_similar.py --binary build/bench/bench/rectify_bench_similar

Writes the corpus with bench/gen_documents.py (20,000 documents of about 2,000 characters in 500
units, 300 planted near-duplicate pairs at Jaccard 0.30–0.95; deterministic) unless --docs names
a file that exists already, then runs the C++ benchmark on it with 2 threads, NOT pinned: the
target is about using both cores. The C++ program does all the timing, in one process:
text::find_similar at the threshold, its phases as the public building blocks, and the exact
all-pairs reference on a random subset extrapolated to all pairs (it says so), with precision and
recall measured against exact Jaccard. This script prints the machine and its load before and
after, the program's output, a summary, and records the figures as one JSON object (--json).
Standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main(argv=None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="rectify find_similar vs exact all-pairs Jaccard (2 threads).")
    ap.add_argument("--binary", default="build/bench/bench/rectify_bench_similar")
    ap.add_argument("--docs", default=os.path.join("/tmp", "rectify_bench_docs.csv"),
                    help="the corpus (unit,doc,text); generated when missing (or with --regenerate)")
    ap.add_argument("--pairs", default=None, help="its planted pairs (default: DOCS with _pairs.csv)")
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("--count", type=int, default=20_000, help="documents to generate")
    ap.add_argument("--planted", type=int, default=300, help="planted pairs to generate")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--subset", type=int, default=2000, help="documents whose pairs the reference compares")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", default=os.path.join("/tmp", "rectify_bench_similar.json"),
                    help="where the figures are recorded ('' for nowhere)")
    a = ap.parse_args(argv)
    pairs = a.pairs or (a.docs[:-4] if a.docs.endswith(".csv") else a.docs) + "_pairs.csv"

    if a.regenerate or not os.path.exists(a.docs) or not os.path.exists(pairs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, os.path.join(here, "gen_documents.py"), a.docs, "--docs", str(a.count),
                        "--pairs", str(a.planted), "--pairs-out", pairs], check=True)
        print(f"# generated {a.docs} in {time.perf_counter() - t0:.1f} s", flush=True)
    cmd = [a.binary, a.docs, "--pairs", pairs, "--threshold", str(a.threshold), "--threads", str(a.threads),
           "--subset", str(a.subset), "--repeat", str(a.repeat)]
    before = load()
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load average {before}; "
          f"{' '.join(cmd)}", flush=True)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t0
    sys.stdout.write(p.stdout)
    after = load()
    print(f"# run took {elapsed:.1f} s; load average after {after}")
    if p.returncode != 0:
        return p.returncode
    m = re.search(r"^RESULT (.*)$", p.stdout, re.M)
    if m is None:
        print("no RESULT line in the output", file=sys.stderr)
        return 1
    fields = {}
    for kv in m.group(1).split():
        k, v = kv.split("=", 1)
        fields[k] = float(v) if re.fullmatch(r"-?[\d.]+", v) else v
    met = fields["speedup"] >= 50 and fields["recall"] >= 0.95 and fields["precision"] == 1.0
    print(f"\nsummary: find_similar {fields['find_ms'] / 1e3:.2f} s, exact all-pairs (extrapolated) "
          f"{fields['ref_ms'] / 1e3:.1f} s: {fields['speedup']:.0f}x faster in wall time "
          f"({fields['speedup_cpu']:.0f}x in CPU time); recall {fields['recall']:.4f} on the planted pairs >= "
          f"{a.threshold + 0.1:.2f}, precision {fields['precision']:.4f}: target {'met' if met else 'NOT MET'}")
    if a.json:
        record = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "command": cmd, "cpus": os.cpu_count(),
                  "load_before": before, "load_after": after, "elapsed_s": round(elapsed, 2), "met": met, **fields}
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(record, f, indent=1)
            f.write("\n")
        print(f"# figures recorded in {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
