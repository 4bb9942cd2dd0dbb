"""Progress bars on long work (issue 7 part 7): ``rectify.mcda.smaa(..., progress=)`` and
``rectify.text.similar(..., progress=)``.

What is checked: ``progress=True`` draws a tqdm bar on stderr, ``None`` draws nothing where
nobody watches (pytest captures stderr, so it is not a terminal) and ``False`` never does; the
results are the same whatever ``progress`` and ``threads``; the compiled core calls back from the
calling thread only, rising from 0 to the documented total; an exception raised while updating
the bar (a KeyboardInterrupt, say) stops the C++ work and comes out as it was; a false result
from the callback is ``rectify.cancelled``; and a real SIGINT stops a long SMAA early.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from typing import Any, Dict, List, Tuple

import numpy as np
import pandas as pd
import pytest
import tqdm  # type: ignore[import-untyped]

import rectify
from rectify import mcda, text
from rectify import _progress


def _matrix(rows: int = 30, cols: int = 4, seed: int = 5) -> Tuple[pd.DataFrame, List[str]]:
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(
        rng.uniform(1, 10, size=(rows, cols)),
        index=[f"单位{i:02d}" for i in range(rows)],
        columns=[f"c{j}" for j in range(cols)],
    )
    return x, ["benefit", "cost", "benefit", "benefit"][:cols]


def _documents(n: int = 120, seed: int = 9) -> pd.DataFrame:
    """n documents of 300 random CJK characters in 7 units; every fifth copies 80% of the one
    before it (another unit's), so there are n // 5 pairs at Jaccard about 0.7."""
    rng = np.random.default_rng(seed)
    rows = []
    previous = ""
    for d in range(n):
        fresh = "".join(chr(0x4E00 + int(c)) for c in rng.integers(0, 2000, size=300))
        body = previous[:240] + fresh[:40] if d % 5 == 4 else fresh
        rows.append({"unit": f"u{d % 7}", "doc": f"d{d:03d}", "text": body})
        previous = body
    return pd.DataFrame(rows)


def _record(monkeypatch: pytest.MonkeyPatch, cls: Any) -> List[Tuple[int, int, int]]:
    """Records (done, total, thread id) of every call the compiled core makes to ``cls``."""
    calls: List[Tuple[int, int, int]] = []
    original = cls.__call__

    def wrapped(self: Any, done: int, total: int) -> bool:
        calls.append((done, total, threading.get_ident()))
        return bool(original(self, done, total))

    monkeypatch.setattr(cls, "__call__", wrapped)
    return calls


def _check_calls(calls: List[Tuple[int, int, int]], total: int) -> None:
    assert len(calls) >= 2
    assert len(calls) <= 102
    assert calls[0][0] == 0
    assert calls[-1][0] == total
    assert all(c[1] == total for c in calls)
    assert all(c[2] == threading.main_thread().ident for c in calls)
    done = [c[0] for c in calls]
    assert all(a < b for a, b in zip(done, done[1:]))


# -- SMAA -----------------------------------------------------------------------------------------


def test_smaa_progress_true_draws_a_bar_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    x, types = _matrix()
    mcda.smaa(x, types, samples=3000, progress=True)
    err = capsys.readouterr().err
    assert "SMAA" in err
    assert "/3000" in err and "sample" in err
    assert not tqdm.tqdm._instances  # the bar was closed


def test_smaa_progress_none_under_pytest_and_false_draw_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    x, types = _matrix()
    mcda.smaa(x, types, samples=3000)
    mcda.smaa(x, types, samples=3000, progress=False)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_smaa_results_do_not_depend_on_progress_or_threads() -> None:
    x, types = _matrix()
    sd = pd.DataFrame(0.4, index=x.index, columns=x.columns)
    cases: List[Dict[str, Any]] = [{}, {"x_sd": sd}]
    for kwargs in cases:
        reference = mcda.smaa(x, types, samples=2000, seed=3, threads=1, progress=False, **kwargs).to_frame()
        for threads in (1, 2, 4):
            for progress in (True, None, False):
                got = mcda.smaa(x, types, samples=2000, seed=3, threads=threads, progress=progress, **kwargs)
                pd.testing.assert_frame_equal(got.to_frame(), reference, check_exact=True)


def test_smaa_calls_back_from_the_calling_thread_up_to_the_documented_total(monkeypatch: pytest.MonkeyPatch) -> None:
    x, types = _matrix()
    calls = _record(monkeypatch, _progress.Watch)
    mcda.smaa(x, types, samples=4000, threads=2, progress=False)
    _check_calls(calls, 4000)
    calls.clear()
    sd = np.full(x.shape, 0.3)
    mcda.smaa(x, types, samples=1500, threads=4, x_sd=sd, progress=False)
    _check_calls(calls, 3000)  # the confidence factors draw the samples again


def test_smaa_an_interrupt_while_updating_the_bar_stops_it_and_propagates(monkeypatch: pytest.MonkeyPatch) -> None:
    x, types = _matrix()
    updates: List[int] = []

    def interrupted(self: Any, n: int = 1) -> None:
        updates.append(n)
        raise KeyboardInterrupt

    monkeypatch.setattr(tqdm.tqdm, "update", interrupted)
    calls = _record(monkeypatch, _progress.Watch)
    with pytest.raises(KeyboardInterrupt):
        mcda.smaa(x, types, samples=20000, threads=2, progress=True)
    assert len(updates) == 1  # nothing was called after the interrupt
    assert len(calls) == 2  # the start, then the call whose update raised
    assert not tqdm.tqdm._instances  # and the bar was closed
    monkeypatch.undo()
    # Nothing is left half-done: the same call runs in full afterwards.
    again = mcda.smaa(x, types, samples=20000, threads=2, progress=False)
    assert again.samples == 20000


def test_smaa_other_exceptions_in_the_callback_propagate_too(monkeypatch: pytest.MonkeyPatch) -> None:
    x, types = _matrix()

    def broken(self: Any, n: int = 1) -> None:
        raise RuntimeError("the bar broke")

    monkeypatch.setattr(tqdm.tqdm, "update", broken)
    with pytest.raises(RuntimeError, match="the bar broke"):
        mcda.smaa(x, types, samples=5000, progress=True)


def test_smaa_a_false_callback_is_rectify_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    x, types = _matrix()
    monkeypatch.setattr(_progress.Watch, "__call__", lambda self, done, total: False)
    with pytest.raises(rectify.Error) as info:
        mcda.smaa(x, types, samples=5000, progress=False)
    assert info.value.code == "rectify.cancelled"
    assert str(info.value) == "[rectify.cancelled] cancelled by the progress callback"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to oneself is POSIX")
def test_smaa_ctrl_c_stops_a_long_run_early() -> None:
    # A run long enough to interrupt: noisy criterion values make every sample a full TOPSIS.
    x, types = _matrix(rows=40)
    sd = np.full(x.shape, 0.3)
    start = time.perf_counter()
    mcda.smaa(x, types, samples=2000, x_sd=sd, threads=2, progress=False)
    per_sample = (time.perf_counter() - start) / 2000
    samples = max(2000, int(4.0 / per_sample))  # about 4 s uninterrupted
    timer = threading.Timer(0.3, os.kill, args=(os.getpid(), signal.SIGINT))
    start = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            mcda.smaa(x, types, samples=samples, x_sd=sd, threads=2, progress=False)
    finally:
        timer.cancel()
    elapsed = time.perf_counter() - start
    # Without the signal check in the callback the interrupt would only surface after the run.
    assert elapsed < 2.5, f"interrupted after {elapsed:.2f} s of about 4 s"


# -- similar --------------------------------------------------------------------------------------


def test_similar_progress_true_draws_a_bar_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    docs = _documents()
    s = text.similar(docs, progress=True)
    err = capsys.readouterr().err
    assert "similar" in err and "doc" in err
    assert "/132" in err  # 120 documents and a tenth more for the comparison
    assert len(s.pairs) >= 24


def test_similar_progress_none_under_pytest_and_false_draw_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    docs = _documents()
    text.similar(docs)
    text.similar(docs, progress=False)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_similar_results_do_not_depend_on_progress_or_threads() -> None:
    docs = _documents()
    reference = text.similar(docs, threads=1, progress=False)
    assert len(reference.pairs) >= 24
    for threads in (1, 2, 4):
        for progress in (True, None, False):
            got = text.similar(docs, threads=threads, progress=progress)
            pd.testing.assert_frame_equal(
                got.pairs.drop(columns="passages"), reference.pairs.drop(columns="passages"), check_exact=True
            )
            assert list(got.pairs.passages) == list(reference.pairs.passages)
            pd.testing.assert_frame_equal(got.inputs, reference.inputs, check_exact=True)


def test_similar_calls_back_from_the_calling_thread_up_to_the_documented_total(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _record(monkeypatch, _progress.Watch)
    text.similar(_documents(95), threads=2, progress=False)
    _check_calls(calls, 95 + 10)


def test_similar_an_interrupt_while_updating_the_bar_stops_it_and_propagates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = _documents()

    def interrupted(self: Any, n: int = 1) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(tqdm.tqdm, "update", interrupted)
    with pytest.raises(KeyboardInterrupt):
        text.similar(docs, threads=2, progress=True)
    assert not tqdm.tqdm._instances
    monkeypatch.undo()
    assert len(text.similar(docs, progress=False).pairs) >= 24


def test_similar_a_false_callback_is_rectify_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_progress.Watch, "__call__", lambda self, done, total: False)
    with pytest.raises(rectify.Error) as info:
        text.similar(_documents(), progress=False)
    assert info.value.code == "rectify.cancelled"
