"""Measurement helpers shared by the Python benchmarks: wall time and peak-RSS growth per call,
read from /proc/self (as the C++ benches do in bench_support.hpp)."""

from __future__ import annotations

import gc
import time

import numpy as np


def _status_kb(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return -1


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class Timing:
    def __init__(self, label: str):
        self.label = label
        self.s: list[float] = []
        self.extra_kb = -1

    def run(self, fn):
        gc.collect()
        before = _status_kb("VmRSS")
        peak = _reset_peak()
        t0 = time.perf_counter()
        out = fn()
        self.s.append(time.perf_counter() - t0)
        if peak:
            self.extra_kb = max(self.extra_kb, _status_kb("VmHWM") - before)
        return out

    @property
    def best(self) -> float:
        return min(self.s)

    @property
    def median(self) -> float:
        return float(np.median(self.s))


def _mb(kb: float) -> float:
    return kb * 1024 / 1e6
