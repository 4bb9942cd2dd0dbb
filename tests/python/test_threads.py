"""The GIL is released while scoring."""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import pytest

import rectify
from rectify import _core


def _frame(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {"x": rng.uniform(0, 12, n), "n": rng.integers(0, 10, n).astype(np.float64)},
        index=pd.Index([f"u{i}" for i in range(n)], name="unit"),
    )


def test_two_threads_score_concurrently_and_agree(mini: rectify.Scheme) -> None:
    df = _frame(200_000)
    results: list = [None, None]
    errors: list = []

    def work(k: int) -> None:
        try:
            results[k] = mini.score(df)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors and all(not t.is_alive() for t in threads)
    a, b = (r.to_frame() for r in results)
    pd.testing.assert_frame_equal(a, b)
    assert a["rank"].min() == 1 and len(a) == 200_000


def _pause_while_scoring(plan: _core.Plan, n: int) -> tuple:
    """(duration of one `_core.score` call on n units, longest pause a ticking Python thread
    saw during it)."""
    df = _frame(n, seed=2)
    units = df.index.tolist()
    columns = [df["x"].to_numpy(), df["n"].to_numpy()]
    stamps: list = []
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            stamps.append(time.perf_counter())

    t = threading.Thread(target=ticker)
    t.start()
    try:
        time.sleep(0.02)
        t0 = time.perf_counter()
        _core.score(plan, units, ["x", "n"], columns, False)
        t1 = time.perf_counter()
    finally:
        stop.set()
        t.join()
    inside = [s for s in stamps if t0 <= s <= t1]
    return t1 - t0, float(np.diff([t0, *inside, t1]).max())


def test_python_threads_run_while_core_scores(mini: rectify.Scheme) -> None:
    """While `_core.score` runs, another Python thread keeps running: the longest pause it
    sees is far shorter than the call (with the GIL held it would stall for all of it).
    Converting the arguments holds the GIL, so the call must be long enough to tell."""
    n = 100_000
    while True:
        duration, pause = _pause_while_scoring(mini._compiled, n)
        if duration >= 0.2 or n >= 3_200_000:
            break
        n *= 4
    if duration < 0.05:
        pytest.skip(f"scoring {n} units took only {duration * 1000:.1f} ms: too short to tell")
    assert pause < duration / 2, (pause, duration)
