"""rectify.dask.score against Scheme.score on generated units (docs/scale.md).

    PYTHONPATH=<build>/python python bench/bench_dask.py [--units 1000000] [--partitions 8] [--workers 2]

Times, for the sample scheme (examples/data/scheme.json) and for the same scheme with cohort
weights (entropy and CRITIC groups): scoring the whole frame in this process, and scoring it on
a LocalCluster with the partitions generated on the workers (as data already in Dask would be),
the result computed back to this process. Prints one line per case; checks the two agree.
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path
from typing import Any, Dict

import numpy as np
import pandas as pd

import rectify
import rectify.dask

ROOT = Path(__file__).resolve().parents[1]


def generate(k: int, n: int) -> pd.DataFrame:
    """Partition k (n units) with realistic values for every input of the sample scheme."""
    rng = np.random.default_rng([20261130, k])

    def rate(lo: float, hi: float = 1.0) -> np.ndarray:
        x = rng.uniform(lo, hi, n)
        x[rng.random(n) < 0.01] = np.nan
        return x

    def count(lam: float) -> np.ndarray:
        return rng.poisson(lam, n).astype(np.float64)

    def check(p: float) -> np.ndarray:
        return (rng.random(n) < p).astype(np.float64)

    cols = {
        "meeting_plan_made": check(0.95), "meetings_met_ratio": rate(0.5), "attendance_rate": rate(0.6),
        "records_incomplete": count(1.5), "archive_irregular": count(0.5), "study_attendance_rate": rate(0.6),
        "study_sessions": rng.integers(0, 16, n).astype(np.float64),
        "expert_rating_integration": np.round(rng.uniform(0, 4, n), 1), "materials_reviewed_rate": rate(0.6),
        "copied_documents": count(0.3), "falsified_reports": count(0.05), "report_error_rate": rate(0.0, 0.15),
        "activities_held": rng.integers(0, 9, n).astype(np.float64), "participation_rate": rate(0.4),
        "expert_rating_publicity": np.round(rng.uniform(0, 4, n), 1), "risk_controlled_ratio": rate(0.6),
        "risk_high_reviewed_ratio": rate(0.4), "warning_sessions": rng.integers(0, 6, n).astype(np.float64),
        "key_post_checks_done": check(0.9), "rect_overdue": count(0.8),
        "training_hours_per_person": np.round(rng.uniform(0, 48, n), 1), "performance_linked_pay": check(0.85),
        "satisfaction_index": np.round(rng.uniform(55, 99, n), 1), "complaints": count(1.2),
        "rect_completion_rate": rate(0.3), "rect_on_time_rate": rate(0.3), "rect_returned": count(0.7),
        "commendations": count(0.3), "volunteer_models": count(0.2), "articles_published": count(1.0),
        "criticisms": count(0.05), "safety_accidents": count(0.01),
        "serious_violations": (rng.random(n) < 0.001).astype(np.float64),
    }
    return pd.DataFrame(cols, index=pd.Index([f"u{k:03d}_{i:07d}" for i in range(n)], name="unit"))


def cohort_scheme() -> Dict[str, Any]:
    d = copy.deepcopy(json.loads((ROOT / "examples/data/scheme.json").read_text(encoding="utf-8")))
    for group, method in (("conduct", "entropy"), ("team", "critic")):
        node = next(x for x in d["indicators"] if x["id"] == group)
        node["weights"] = {"method": method}
        for child in node["children"]:
            child.pop("points", None)
            child.pop("weight", None)
    return d


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=1_000_000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    import dask.dataframe as dd
    import distributed

    per = args.units // args.partitions
    schemes = {
        "sample": rectify.Scheme.from_json(ROOT / "examples/data/scheme.json"),
        "entropy+critic": rectify.Scheme.from_json(cohort_scheme()),
    }
    t = time.perf_counter()
    frame = pd.concat([generate(k, per) for k in range(args.partitions)])
    print(f"{len(frame):,} units, {frame.shape[1]} inputs; generated in {time.perf_counter() - t:.2f} s")
    with distributed.LocalCluster(
        n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster):
        for name, scheme in schemes.items():
            for nodes in (True, False):
                t = time.perf_counter()
                want = scheme.score(frame, nodes=nodes).to_frame()
                single = time.perf_counter() - t
                ddf = dd.from_map(generate, range(args.partitions), [per] * args.partitions)
                t = time.perf_counter()
                res = rectify.dask.score(ddf, scheme, nodes=nodes, progress=False)
                scored = time.perf_counter() - t
                got = res.compute()
                total = time.perf_counter() - t
                # Dask holds string ids in its own string dtype (dataframe.convert-string); the
                # values are what is compared.
                pd.testing.assert_frame_equal(got, want.set_axis(want.index.astype(got.index.dtype)), check_exact=True)
                print(
                    f"{name:15s} nodes={nodes!s:5s}  Scheme.score {single:6.2f} s   "
                    f"rectify.dask.score {scored:6.2f} s (+ compute to client: {total:6.2f} s)   equal"
                )


if __name__ == "__main__":
    main()
