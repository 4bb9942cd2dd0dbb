"""Thread safety (docs/hardening.md, section threads).

Scoring, multi-period scoring, every MCDA method, copy detection, the compliance checks and the
ledger's metrics are called from a pool of 8 threads at once, all sharing the same Scheme and
Ledger objects, and every result must equal the serial run exactly. Two further proofs show
that the GIL really is released during the long C++ calls, without timing anything:

- a FIFO: the C++ reader blocks on a named pipe that only a Python thread fills, so the call
  can only finish if that thread runs while it is inside C++ (with the GIL held it deadlocks,
  which the subprocess's hang guard turns into a failure);
- a watcher thread that counts its turns (each ends in ``time.sleep(0)``, which hands the GIL
  back) while the main thread is inside one ``_core`` call: with the GIL held the watcher can
  run only at the call's two edges (at most a switch interval each), so it gets a few dozen
  turns however long the call runs (``sorted`` of a big list, a C call that holds the GIL,
  measures that in the same test); with the GIL released it gets turns all along, and the test
  asks for ten times as many.
"""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import numpy as np
import pandas as pd
import pytest

import rectify
from conftest import (
    AS_OF,
    BRANCHES_CSV,
    DOCUMENTS,
    EXAMPLES,
    LEDGER_JSON,
    MEETINGS_CSV,
    PERIOD,
    RISKS_CSV,
    SURVEY_CSV,
    TEMPLATE,
)
from rectify import _core, mcda

WORKERS = 8
ROUNDS = 2  # every task runs this many times in the pool, in a seeded random order
FIELD_UNITS = EXAMPLES / "mcda" / "field_units.csv"
CRITERIA_AHP = EXAMPLES / "mcda" / "criteria_ahp.csv"
TYPES = "+,-,-,+,+,-"  # field_units.csv: mqi, cost, response hours, rectification, satisfaction, complaints


# ---- comparing results exactly ----------------------------------------------------------


def _public_state(obj: Any) -> Dict[str, Any]:
    """Every public data attribute of a result object (slots and properties), so that two
    results compare field by field without naming each class's fields here."""
    names = set()
    for cls in type(obj).__mro__:
        names.update(getattr(cls, "__slots__", ()))
        names.update(k for k, v in vars(cls).items() if isinstance(v, property))
    names.update(getattr(obj, "__dict__", {}))
    out = {}
    for name in sorted(n for n in names if not n.startswith("_")):
        value = getattr(obj, name)
        if not callable(value) or isinstance(value, (pd.DataFrame, pd.Series)):
            out[name] = value
    return out


def _snapshot(value: Any) -> Any:
    """A result as plain data: pandas and NumPy objects as they are, result objects as their
    fields (a scoring Result as its frame and its JSON and CSV texts, which read the scored data
    and the plan again)."""
    if isinstance(value, rectify.Scheme):
        return ("Scheme", value.id)
    if isinstance(value, rectify.Result):
        return {"frame": value.to_frame(), "json": value.to_json(), "csv": value.to_csv(explain=True)}
    if isinstance(value, rectify.PeriodResults):
        return {"frame": value.to_frame(), "results": [_snapshot(r) for r in value.results]}
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index, np.ndarray, str, bytes, int, float, bool, type(None))):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_snapshot(v) for v in value)
    return {"type": type(value).__name__, **{k: _snapshot(v) for k, v in _public_state(value).items()}}


def _assert_same(a: Any, b: Any, where: str) -> None:
    """Exact equality (NaN equals NaN; dtypes, index and column names must match)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, pd.Index):
        pd.testing.assert_index_equal(a, b, exact=True, check_exact=True, obj=where)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, f"{where}: {a.dtype}{a.shape} vs {b.dtype}{b.shape}"
        np.testing.assert_array_equal(a, b, err_msg=where, strict=True)
    elif isinstance(a, dict):
        assert list(a) == list(b), f"{where}: keys {list(a)} vs {list(b)}"
        for k in a:
            _assert_same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), f"{where}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            _assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, float):
        assert (math.isnan(a) and math.isnan(b)) or a == b, f"{where}: {a!r} vs {b!r}"
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"


def _run_concurrently(tasks: Dict[str, Callable[[], Any]], seed: int) -> None:
    """Runs every task serially, then ROUNDS times each in a pool of WORKERS threads (in an
    order shuffled with `seed`), and checks every concurrent result against its serial one."""
    expected = {name: _snapshot(fn()) for name, fn in tasks.items()}
    jobs = [name for name in tasks for _ in range(ROUNDS)]
    random.Random(seed).shuffle(jobs)
    start = threading.Barrier(WORKERS)

    def run(k: int, name: str) -> Tuple[str, Any]:
        # The first WORKERS jobs start together, so the pool really overlaps. Only those: the
        # barrier is cyclic, and a later round with fewer jobs left would wait out its timeout.
        if k < WORKERS:
            try:
                start.wait(timeout=60)
            except threading.BrokenBarrierError:
                pass
        return name, _snapshot(tasks[name]())

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        done = list(pool.map(run, range(len(jobs)), jobs))
    assert sorted(name for name, _ in done) == sorted(jobs)
    for name, got in done:
        _assert_same(got, expected[name], name)


# ---- data ---------------------------------------------------------------------------------


def _generated_units(scheme: rectify.Scheme, sample: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """n units with every input of `scheme`, drawn from the sample's own values so that each is
    valid: counts and 0/1 checks as they are, other inputs as a random mix of two of them (which
    stays within any range the sample keeps to); about 2% of the cells are missing."""
    rng = np.random.default_rng(seed)
    columns: Dict[str, np.ndarray] = {}
    for name, is_count in zip(scheme.inputs, scheme._compiled.input_is_count):
        seen = sample[name].dropna().to_numpy(dtype=np.float64)
        v = rng.choice(seen, n)
        if not is_count and not set(np.unique(seen)) <= {0.0, 1.0}:
            u = rng.random(n)
            v = u * v + (1 - u) * rng.choice(seen, n)
        v[rng.random(n) < 0.02] = np.nan
        columns[name] = v
    return pd.DataFrame(columns, index=pd.Index([f"g{i:06d}" for i in range(n)], name="unit"))


def _generated_documents(n: int, seed: int) -> pd.DataFrame:
    """n documents of 300 random CJK characters, every fifth one copying 120 characters of the
    one before it (so that there are pairs to find and passages to cut)."""
    rng = np.random.default_rng(seed)
    texts: List[str] = []
    for i in range(n):
        text = "".join(chr(c) for c in rng.integers(0x4E00, 0x4E00 + 2000, 300))
        if i % 5 == 4:
            text = text[:100] + texts[-1][50:170] + text[220:]
        texts.append(text)
    return pd.DataFrame({"unit": [f"u{i % 40}" for i in range(n)], "doc": [f"d{i}" for i in range(n)], "text": texts})


@pytest.fixture(scope="module")
def field() -> pd.DataFrame:
    return pd.read_csv(FIELD_UNITS, index_col="unit")


# ---- everything at once, equal to the serial run -------------------------------------------


def test_scoring_from_many_threads_equals_serial(scheme: rectify.Scheme, units_frame: pd.DataFrame, tmp_path: Path) -> None:
    """One Scheme object shared by every thread (the sample, whose weights are fixed, and the
    AHP sample, whose entropy weights come from each cohort scored): the sample units, a
    generated cohort of 700 units (three of the engine's 256-unit blocks) as a DataFrame and as a CSV file (the C++ reader), the
    results' JSON and CSV, and multi-period scoring."""
    ahp = rectify.Scheme.from_json(EXAMPLES / "scheme_ahp.json")
    big = _generated_units(scheme, units_frame.set_index("unit"), 700, seed=81)
    big_ahp = _generated_units(ahp, units_frame.set_index("unit"), 700, seed=82)
    big_csv = tmp_path / "big.csv"
    big.to_csv(big_csv, float_format="%.17g")
    # Month labels go through pandas' own period parser (see _periods._span).
    periods = {"2026-03": big.iloc[:300], "2026-06": big.iloc[200:500], "2026-09": big.iloc[400:]}
    filters_before = list(warnings.filters)
    tasks: Dict[str, Callable[[], Any]] = {
        "sample": lambda: scheme.score(units_frame),
        "sample, no nodes": lambda: scheme.score(units_frame, nodes=False),
        "ahp sample": lambda: ahp.score(units_frame),
        "generated": lambda: scheme.score(big),
        "generated csv": lambda: scheme.score(big_csv),
        "ahp generated": lambda: ahp.score(big_ahp),
        "periods": lambda: scheme.score_periods(periods),
        "ahp periods": lambda: ahp.score_periods({"2026-03": big_ahp.iloc[:450], "2026-09": big_ahp.iloc[250:]}),
        "explain": lambda: scheme.score(units_frame).explain(units_frame["unit"].iloc[3]),
        "validate": lambda: [str(p) for p in rectify.Scheme.from_json(EXAMPLES / "scheme.json").validate()],
    }
    _run_concurrently(tasks, seed=8)
    # catch_warnings is process-wide: unguarded, two threads inside it at once leave their
    # "ignore" filter behind for good.
    assert warnings.filters == filters_before


def test_mcda_from_many_threads_equals_serial(field: pd.DataFrame) -> None:
    """Every rectify.mcda function, SMAA with a seed (on 2 threads of its own, and with noise
    on the values), on the sample matrix and on a generated one of 300 alternatives."""
    rng = np.random.default_rng(83)
    big = pd.DataFrame(
        rng.uniform(1, 100, (300, 6)), columns=field.columns, index=pd.Index([f"a{i}" for i in range(300)], name="unit")
    )
    w = mcda.weights.entropy(field)
    pairwise = pd.read_csv(CRITERIA_AHP, index_col=0, dtype=str)
    membership = pd.DataFrame(
        [[0.2, 0.5, 0.3, 0.0], [0.1, 0.3, 0.4, 0.2], [0.4, 0.4, 0.1, 0.1]],
        index=["c1", "c2", "c3"],
        columns=["优", "良", "中", "差"],
    )
    tasks: Dict[str, Callable[[], Any]] = {}
    for label, x in (("sample", field), ("generated", big)):
        tasks.update(
            {
                f"entropy {label}": lambda x=x: mcda.weights.entropy(x),
                f"entropies {label}": lambda x=x: mcda.weights.entropies(x),
                f"critic {label}": lambda x=x: mcda.weights.critic(x, TYPES),
                f"std {label}": lambda x=x: mcda.weights.std(x, TYPES),
                f"normalize {label}": lambda x=x: mcda.normalize(x, TYPES, "vector"),
                f"wsm {label}": lambda x=x: mcda.wsm(x, w, TYPES),
                f"wpm {label}": lambda x=x: mcda.wpm(x, w, TYPES, "max"),
                f"topsis {label}": lambda x=x: mcda.topsis(x, w, TYPES),
                f"vikor {label}": lambda x=x: mcda.vikor(x, w, TYPES, v=0.4),
                f"copras {label}": lambda x=x: mcda.copras(x, w, TYPES),
                f"promethee2 {label}": lambda x=x: mcda.promethee2(x, w, TYPES, "linear", q=0.5, p=3.0),
                f"gra {label}": lambda x=x: mcda.gra(x, w, TYPES, rho=0.4),
            }
        )
    tasks.update(
        {
            "ahp": lambda: mcda.weights.ahp(pairwise),
            "ahp geometric": lambda: mcda.weights.ahp(pairwise, method="geometric_mean", ri="alonso_lamata2006"),
            "ahp group": lambda: mcda.weights.ahp_group([pairwise, pairwise]),
            "roc": lambda: mcda.weights.roc(6),
            "rank_sum": lambda: mcda.weights.rank_sum([2, 1, 3, 3, 5, 6]),
            "rank_reciprocal": lambda: mcda.weights.rank_reciprocal(6),
            "fce": lambda: mcda.fce([0.5, 0.3, 0.2], membership, grade_values=[95, 80, 65, 40]),
            "fce ranking": lambda: mcda.fce(
                [0.5, 0.3, 0.2], {"a": membership, "b": membership.iloc[::-1]}, grade_values=[95, 80, 65, 40]
            ),
            "rank": lambda: mcda.rank(big["mqi"], ties="dense"),
            "rank_correlation": lambda: mcda.rank_correlation(big["mqi"], big["cost_per_km"], "kendall"),
            "sensitivity": lambda: mcda.sensitivity(field, w, TYPES, "topsis", steps=200),
            "smaa": lambda: mcda.smaa(field, TYPES, "topsis", samples=2000, seed=7, threads=2, progress=False),
            "smaa weights": lambda: mcda.smaa(
                field, TYPES, "vikor", samples=1500, seed=9, weights=w, x_sd=field * 0.02, progress=False
            ),
            "smaa promethee": lambda: mcda.smaa(
                big.iloc[:100], TYPES, "promethee2", samples=200, seed=11, threads=1, progress=False
            ),
            "smaa_weights": lambda: mcda.smaa_weights(field.columns, samples=500, seed=5, intervals={"mqi": (0.2, 0.5)}),
        }
    )
    _run_concurrently(tasks, seed=9)


def test_text_and_compliance_from_many_threads_equal_serial() -> None:
    """Copy detection (the sample folder with its template, a generated DataFrame of 80
    documents, one thread or its own pool), normalisation, and the three compliance checks from
    files and from DataFrames."""
    docs = _generated_documents(80, seed=84)
    meetings = pd.read_csv(MEETINGS_CSV, dtype=str, keep_default_na=False)
    survey = pd.read_csv(SURVEY_CSV, dtype=str, keep_default_na=False)
    risks = pd.read_csv(RISKS_CSV, dtype=str, keep_default_na=False)
    sample_text = next(iter(sorted(DOCUMENTS.iterdir()))).read_text(encoding="utf-8")
    tasks: Dict[str, Callable[[], Any]] = {
        "similar folder": lambda: rectify.text.similar(DOCUMENTS, template=TEMPLATE, progress=False),
        "similar frame": lambda: rectify.text.similar(docs, threshold=0.2, threads=1, progress=False),
        "similar frame, pool": lambda: rectify.text.similar(docs, threshold=0.2, threads=3, progress=False),
        "normalize": lambda: rectify.text.normalize(sample_text),
        "meetings": lambda: rectify.compliance.meetings(str(MEETINGS_CSV), *PERIOD, branches=str(BRANCHES_CSV)),
        "meetings frame": lambda: rectify.compliance.meetings(meetings, *PERIOD),
        "surveys": lambda: rectify.compliance.surveys(str(SURVEY_CSV)),
        "surveys frame": lambda: rectify.compliance.surveys(survey, confidence=0.9),
        "risks": lambda: rectify.compliance.risks(str(RISKS_CSV), AS_OF),
        "risks frame": lambda: rectify.compliance.risks(risks, "2026-06-30"),
    }
    _run_concurrently(tasks, seed=10)


def test_ledger_metrics_from_many_threads_equal_serial() -> None:
    """One Ledger object read by every thread: status (by unit and by area), overdue, the
    scorer's inputs and the timeline as of several days, the event table, verify and to_json."""
    ledger = rectify.Ledger.load(LEDGER_JSON)
    tasks: Dict[str, Callable[[], Any]] = {}
    for day in ("2026-08-31", AS_OF):
        tasks.update(
            {
                f"status {day}": lambda day=day: ledger.status(day),
                f"status by area {day}": lambda day=day: ledger.status(day, by="area"),
                f"overdue {day}": lambda day=day: ledger.overdue(day),
                f"inputs {day}": lambda day=day: ledger.inputs(day),
            }
        )
    tasks.update(
        {
            "timeline": lambda: ledger.timeline("2026-03-01", AS_OF, by="area"),
            "events": lambda: ledger.events,
            "measures": lambda: ledger.measures,
            "verify": lambda: bool(ledger.verify()),
            "to_json": lambda: ledger.to_json(),
        }
    )
    _run_concurrently(tasks, seed=11)


def test_one_ledger_acted_on_from_many_threads() -> None:
    """Threads that act on one Ledger object while others read it: each action is applied
    whole (the log stays one hash chain that verifies, sequence numbers without gaps), and the
    state reached is the state the same actions give one after another."""
    at = "2026-11-30T10:00:00+08:00"  # after the sample's last event; equal times are allowed
    shared = rectify.Ledger.load(LEDGER_JSON)
    planned = shared.status(AS_OF)
    planned = planned[planned["state"] == "planned"]
    assert len(planned) >= 3, "the sample ledger has planned measures to start"
    actions = [(m, str(owner)) for m, owner in planned["owner"].items()]
    before = len(shared)

    def act(item: Tuple[str, str]) -> Dict[str, Any]:
        return shared.act(item[0], "start", by=item[1], at=at)

    def read(k: int) -> int:
        shared.status(AS_OF)
        shared.inputs(AS_OF)
        return len(json.loads(shared.to_json())["log"]) if k % 2 else len(shared.events)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        reads = [pool.submit(read, k) for k in range(16)]
        events = list(pool.map(act, actions))
        sizes = [f.result() for f in reads]
    assert all(before <= s <= before + len(actions) for s in sizes)
    assert len(shared) == before + len(actions)
    assert sorted(e["seq"] for e in events) == list(range(before + 1, before + len(actions) + 1))
    assert sorted(e["measure"] for e in events) == sorted(m for m, _ in actions)
    assert bool(shared.verify())

    serial = rectify.Ledger.load(LEDGER_JSON)
    for m, owner in actions:
        serial.act(m, "start", by=owner, at=at)
    pd.testing.assert_frame_equal(shared.status(AS_OF), serial.status(AS_OF), check_exact=True)
    pd.testing.assert_frame_equal(shared.inputs(AS_OF), serial.inputs(AS_OF), check_exact=True)


# ---- the GIL is released: FIFOs ---------------------------------------------------------------

_FIFO_SCRIPT = textwrap.dedent(
    """
    import os, sys, threading
    import rectify

    scheme_path, units_path, survey_path, docs_path, folder = sys.argv[1:6]
    scheme = rectify.Scheme.from_json(scheme_path)

    def through_fifo(name, path, call):
        # A Python thread writes the file into a FIFO line by line while C++ reads the FIFO.
        # Opening a FIFO blocks until the other end opens it, and every write needs the GIL:
        # if the reader held the GIL, neither side could go on.
        fifo = os.path.join(folder, name)
        os.mkfifo(fifo)
        with open(path, "rb") as f:
            lines = f.readlines()

        def feed():
            with open(fifo, "wb") as out:
                for line in lines:
                    out.write(line)
                    out.flush()

        t = threading.Thread(target=feed)
        t.start()
        result = call(fifo)
        t.join()
        return result

    a = through_fifo("units.csv", units_path, scheme.score).to_json()
    assert a == scheme.score(units_path).to_json(), "score_csv read something else from the FIFO"
    b = through_fifo("survey.csv", survey_path, rectify.compliance.surveys).units
    assert b.equals(rectify.compliance.surveys(survey_path).units), "surveys differ"
    c = through_fifo("docs.csv", docs_path, lambda p: rectify.text.similar(p, threshold=0.2, progress=False)).pairs
    assert c.equals(rectify.text.similar(docs_path, threshold=0.2, progress=False).pairs), "similar differs"
    print("ok", len(c))
    """
)


def test_readers_release_the_gil_while_reading_a_fifo(
    scheme: rectify.Scheme, units_frame: pd.DataFrame, tmp_path: Path
) -> None:
    """The C++ readers behind Scheme.score(path), compliance.surveys(path) and
    text.similar(csv path) block on a FIFO that a Python thread fills: they finish only because
    the GIL is released while C++ reads. Run in a subprocess, so that a held GIL (a deadlock)
    fails the test after the hang guard instead of hanging the suite."""
    units_csv = tmp_path / "units.csv"
    _generated_units(scheme, units_frame.set_index("unit"), 1000, seed=85).to_csv(units_csv, float_format="%.17g")
    docs_csv = tmp_path / "docs.csv"
    _generated_documents(100, seed=86).to_csv(docs_csv, index=False)
    fifo_dir = tmp_path / "fifos"
    fifo_dir.mkdir()
    args = [str(EXAMPLES / "scheme.json"), str(units_csv), str(SURVEY_CSV), str(docs_csv), str(fifo_dir)]
    try:
        run = subprocess.run(
            [sys.executable, "-c", _FIFO_SCRIPT, *args], capture_output=True, text=True, timeout=300, env=os.environ.copy()
        )
    except subprocess.TimeoutExpired as e:  # pragma: no cover - the failure this test exists for
        pytest.fail(f"deadlock: a reader held the GIL while it waited for the FIFO\n{e.stderr}")
    assert run.returncode == 0, run.stderr
    pairs = int(run.stdout.split()[1])
    assert pairs >= 100 // 5  # every fifth generated document copies the one before it


# ---- the GIL is released: a watcher thread ---------------------------------------------------


class _Watcher:
    """A Python thread that counts its turns while the main thread is `inside` a call (each
    turn ends in time.sleep(0), which gives the GIL back and takes it again). While the main
    thread holds the GIL in C code the watcher cannot take a turn; it can only at the call's
    edges, where the interpreter may hand it the GIL for up to one switch interval before
    entering and after leaving the C function. So a call that holds the GIL gives it a few
    dozen turns however long it runs, and a call that releases it gives it turns all along."""

    def __init__(self) -> None:
        self.inside = False
        self.turns = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            if self.inside:
                self.turns += 1
            time.sleep(0)

    def turns_during(self, call: Callable[[], Any]) -> int:
        self.turns = 0
        self.inside = True
        try:
            call()
        finally:
            self.inside = False
        return self.turns

    def __enter__(self) -> "_Watcher":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


@pytest.fixture
def watcher() -> Iterator[_Watcher]:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)  # short edges: the GIL changes hands every 0.1 ms at most
    try:
        with _Watcher() as w:
            yield w
    finally:
        sys.setswitchinterval(interval)


def _held_turns(watcher: _Watcher) -> int:
    """The most turns the watcher gets during calls that hold the GIL: sorting a list of
    2 million floats is one C call that runs no Python code and never lets the GIL go."""
    values = np.random.default_rng(87).random(2_000_000).tolist()
    return max(watcher.turns_during(lambda: sorted(values)) for _ in range(3))


def _turns_beyond(watcher: _Watcher, make_call: Callable[[int], Callable[[], Any]], n: int, bound: int) -> int:
    """The watcher's turns during one call, growing the work (n × 4 each time, at most 4
    sizes) until they exceed `bound`: a loaded machine may give the watcher no core during a
    short call, but not during all of them, while a held GIL stays within the edges' turns at
    any size."""
    turns = 0
    for _ in range(4):
        call = make_call(n)  # arguments converted here, outside the measured call
        turns = max(turns, watcher.turns_during(call))
        if turns > bound:
            break
        n *= 4
    return turns


def _score_call(scheme: rectify.Scheme, sample: pd.DataFrame) -> Callable[[int], Callable[[], Any]]:
    plan = scheme._compiled

    def make(n: int) -> Callable[[], Any]:
        df = _generated_units(scheme, sample, n, seed=88)
        columns = [df[c].to_numpy() for c in plan.inputs]
        units = df.index.tolist()
        return lambda: _core.score(plan, units, plan.inputs, columns, False)

    return make


def _topsis_call(n: int) -> Callable[[], Any]:
    x = np.asfortranarray(np.random.default_rng(89).uniform(1, 100, (n, 6)))
    w, t = np.full(6, 1 / 6), np.array([1, -1, -1, 1, 1, -1], dtype=np.int32)
    return lambda: _core.mcda_topsis(x, w, t, "vector")


def _smaa_call(n: int) -> Callable[[], Any]:
    x = np.asfortranarray(np.random.default_rng(90).uniform(1, 100, (30, 4)))
    t = np.array([1, -1, 1, 1], dtype=np.int32)
    empty = np.zeros(0)
    return lambda: _core.mcda_smaa(
        x, t, "topsis", "minmax", 0.5, 0.5, [], empty, empty, empty, "uniform_simplex", empty, empty, empty, 100.0,
        n, 3, 1, None,
    )


def _similar_call(n: int) -> Callable[[], Any]:
    docs = _generated_documents(n, seed=91)
    spec = ("DataFrame", ["unit", "doc", "text"], [docs[c].tolist() for c in ("unit", "doc", "text")])
    return lambda: _core.text_similar(spec, threshold=0.2, threads=1)


def _surveys_call(path: Path) -> Callable[[int], Callable[[], Any]]:
    def make(n: int) -> Callable[[], Any]:
        rng = np.random.default_rng(92)
        frame = pd.DataFrame({"unit": [f"u{i % 50}" for i in range(n)], "respondent": [f"r{i}" for i in range(n)]})
        for q in range(8):
            frame[f"q{q}"] = rng.integers(1, 6, n)
        frame.to_csv(path, index=False)
        return lambda: _core.compliance_surveys(str(path))

    return make


def test_long_core_calls_release_the_gil(
    watcher: _Watcher, scheme: rectify.Scheme, units_frame: pd.DataFrame, tmp_path: Path
) -> None:
    """While one `_core` call scores, ranks (TOPSIS, SMAA), compares documents or reads a
    survey CSV, another Python thread keeps taking turns: the call does not hold the GIL."""
    sample = units_frame.set_index("unit")
    cases: Dict[str, Tuple[Callable[[int], Callable[[], Any]], int]] = {
        "score": (_score_call(scheme, sample), 50_000),
        "topsis": (_topsis_call, 200_000),
        "smaa": (_smaa_call, 5_000),
        "similar": (_similar_call, 300),
        "surveys": (_surveys_call(tmp_path / "survey.csv"), 20_000),
    }
    # Ten times what the edges of a held-GIL call give, and never fewer than 100 turns.
    bound = 10 * max(_held_turns(watcher), 10)
    turns = {name: _turns_beyond(watcher, make, n, bound) for name, (make, n) in cases.items()}
    assert all(t > bound for t in turns.values()), (bound, turns)
