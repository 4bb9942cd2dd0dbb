"""Property-based tests (Hypothesis) of the ledger's invariants (docs/ledger.md, issue 8 part 3).

A random walk through the workflow, driven by Hypothesis through the public ``rectify.Ledger``
API, is checked against a small model of the workflow written here from docs/ledger.md (the
state table and "Decisions where the contract is silent"), not from the C++:

- every action the model allows is accepted and every action it refuses is refused by the
  guards (``rectify.ledger.guard``) without changing the ledger;
- each event returned is chained as the contract says (seq, prev, SHA-256 of prev + canonical
  JSON, recomputed here with the standard library) and records the evidence file's digest;
- the saved file replays to the stored state: it verifies, its recorded ``state`` values, the
  replayed states and every metric (status, inputs, timeline) equal the model's and the
  in-memory ledger's;
- any single-byte change inside the log of the saved file is either refused by the reader with
  a ``rectify.ledger.*`` error naming the file, or reported by ``verify`` — never accepted
  silently — unless the change leaves the parsed log identical (JSON whitespace), in which case
  the file must still verify.

The fixture plan is tests/data/ledger/small.json (4 measures, 3 review levels, two tasks on
P1.M1, a long_term P1.M2 due 2026-12-31). Evidence files are written in the ledger's own folder,
so the stored name is the same whether names are stored as base names or relative paths.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rectify
from conftest import ROOT

SMALL = ROOT / "tests" / "data" / "ledger" / "small.json"
ZERO = "0" * 64
LEVELS = 3
#: measure -> (owner, kind, due, tasks, unit), as in small.json
PLAN: Dict[str, Tuple[str, str, dt.date, Tuple[str, ...], str]] = {
    "P1.M1": ("王干事", "deadline", dt.date(2026, 4, 30), ("P1.M1.T1", "P1.M1.T2"), "U01"),
    "P1.M2": ("钱干事", "long_term", dt.date(2026, 12, 31), (), "U02"),
    "P2.M1": ("孙科长", "immediate", dt.date(2026, 3, 31), (), "U01"),
    "P2.M2": ("周干事", "deadline", dt.date(2026, 5, 31), (), "U02"),
}
REVIEWERS = ("李书记", "张科长", "刘主任", "陈书记")
OFFSETS = {"+08:00": dt.timedelta(hours=8), "Z": dt.timedelta(0), "-05:00": dt.timedelta(hours=-5)}
STATES = ("planned", "in_progress", "submitted", "verified", "closed")


# -- an independent model of the workflow (docs/ledger.md, "Workflow and guards") -------------------


@dataclass
class MeasureModel:
    state: str = "planned"
    evidence_since_start: bool = False
    approvers: List[str] = field(default_factory=list)  # of the current submission, level order
    tasks_done: Set[str] = field(default_factory=set)
    evidence: int = 0
    returned: int = 0
    first_start: Optional[dt.date] = None
    verified_on: Optional[dt.date] = None
    closed_on: Optional[dt.date] = None


@dataclass(frozen=True)
class Action:
    measure: str
    action: str
    by: str
    level: Optional[int] = None
    task: Optional[str] = None
    note: Optional[str] = None
    file: bool = False

    def kwargs(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        if self.level is not None:
            out["level"] = self.level
        if self.task is not None:
            out["task"] = self.task
        if self.note is not None:
            out["note"] = self.note
        return out


def allowed(ms: Dict[str, MeasureModel], a: Action, local_day: dt.date) -> bool:
    """Whether the guards must accept ``a`` (time order is checked by the caller)."""
    owner, kind, due, tasks, _ = PLAN[a.measure]
    m = ms[a.measure]
    uses = {
        "start": set(),
        "evidence": {"file"},
        "submit": set(),
        "approve": {"level"},
        "return": {"level", "note"},
        "close": set(),
        "reopen": {"note"},
        "task_done": {"task"},
    }[a.action]
    given_keys = {k for k, v in (("level", a.level), ("task", a.task), ("file", a.file or None)) if v is not None}
    if a.note is not None:
        given_keys.add("note")
    # a note is welcome on every action; any other key the action does not use is refused
    if given_keys - uses - {"note"}:
        return False
    if a.action == "start":
        return m.state == "planned"
    if a.action == "evidence":
        return a.file and m.state != "closed"
    if a.action == "submit":
        return m.state == "in_progress" and m.evidence_since_start and set(tasks) <= m.tasks_done
    if a.action in ("approve", "return"):
        if a.level is None or not 1 <= a.level <= LEVELS:
            return False
        if a.action == "return" and not (a.note and a.note.strip()):
            return False
        return (
            m.state == "submitted"
            and a.level == len(m.approvers) + 1
            and a.by != owner
            and a.by not in m.approvers
        )
    if a.action == "close":
        return m.state == "verified" and a.by != owner and (kind != "long_term" or local_day > due)
    if a.action == "reopen":
        return m.state in ("closed", "verified") and bool(a.note and a.note.strip())
    if a.action == "task_done":
        return m.state == "in_progress" and a.task in tasks and a.task not in m.tasks_done
    raise AssertionError(a.action)


def apply(ms: Dict[str, MeasureModel], a: Action, local_day: dt.date) -> None:
    """The state table's transition for an allowed action."""
    m = ms[a.measure]
    if a.action == "start":
        m.state, m.evidence_since_start = "in_progress", False
        m.first_start = m.first_start or local_day
    elif a.action == "evidence":
        m.evidence += 1
        if m.state != "planned":
            m.evidence_since_start = True
    elif a.action == "submit":
        m.state, m.approvers = "submitted", []
    elif a.action == "approve":
        m.approvers.append(a.by)
        if len(m.approvers) == LEVELS:
            m.state, m.verified_on = "verified", local_day
    elif a.action == "return":
        m.state, m.approvers = "in_progress", []
        m.returned += 1
    elif a.action == "close":
        m.state, m.closed_on = "closed", local_day
    elif a.action == "reopen":
        m.state, m.approvers, m.evidence_since_start = "in_progress", [], False
    elif a.action == "task_done":
        assert a.task is not None
        m.tasks_done.add(a.task)


def candidates(ms: Dict[str, MeasureModel]) -> List[Action]:
    """Actions worth trying now, right and wrong: every action on every measure by the owner and
    by staff, the level now reviewing and its neighbours, with and without a note, every task."""
    out: List[Action] = []
    for mid, (owner, _, _, tasks, _) in PLAN.items():
        m = ms[mid]
        here = len(m.approvers) + 1
        for by in (owner, "陈书记"):
            out.append(Action(mid, "start", by))
            out.append(Action(mid, "submit", by))
            out.append(Action(mid, "close", by))
            out.append(Action(mid, "reopen", by, note="回头看发现问题反弹"))
        # reviewers: the owner, whoever approved a level of this submission, and others
        for by in sorted({owner, *m.approvers[:1], *REVIEWERS}):
            for level in sorted({here, here + 1, here - 1} & set(range(0, LEVELS + 2))):
                out.append(Action(mid, "approve", by, level=level))
                out.append(Action(mid, "return", by, level=level, note="材料不全,退回补充"))
        out.append(Action(mid, "evidence", owner, file=True))
        out.append(Action(mid, "evidence", owner))  # no file
        out.append(Action(mid, "return", "陈书记", level=here))  # no note
        out.append(Action(mid, "reopen", "陈书记"))  # no note
        out.append(Action(mid, "reopen", "陈书记", note=" \u3000 "))  # blank note
        out.append(Action(mid, "start", owner, level=1))  # a key start does not take
        out.append(Action(mid, "submit", owner, task=(tasks or ("P1.M1.T1",))[0]))
        for task in ("P1.M1.T1", "P1.M1.T2"):
            out.append(Action(mid, "task_done", owner, task=task))
        out.append(Action(mid, "task_done", owner))  # no task
    return out


# -- helpers -----------------------------------------------------------------------------------------


def canonical(event: Dict[str, Any]) -> str:
    e = {k: v for k, v in event.items() if k != "hash"}
    return json.dumps(e, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_problem(log: List[Dict[str, Any]]) -> Optional[str]:
    """The dozen lines of docs/ledger.md that re-check a chain with the standard library."""
    prev = ZERO
    for i, e in enumerate(log):
        if e.get("seq") != i + 1:
            return f"event {i}: seq {e.get('seq')}"
        if e.get("prev") != prev:
            return f"seq {e['seq']}: prev is not the hash of the event before"
        h = hashlib.sha256((prev + canonical(e)).encode("utf-8")).hexdigest()
        if h != e.get("hash"):
            return f"seq {e['seq']}: hash does not match"
        prev = h
    return None


@dataclass
class Walk:
    """A ledger driven through a random walk, with the model's account of it."""

    folder: Path
    path: Path
    ledger: rectify.Ledger
    ms: Dict[str, MeasureModel]
    events: List[Dict[str, Any]]
    days: List[dt.date]  # local date of each event
    snapshots: List[Dict[str, str]]  # states after each prefix of the log (index 0: empty log)
    refused: int = 0


@st.composite
def instants(draw: st.DrawFn, after: dt.datetime) -> Tuple[str, dt.datetime, dt.date]:
    """An instant not earlier than ``after`` (UTC), written with one of three offsets: (text,
    the instant, its calendar date in its own offset)."""
    step = draw(st.sampled_from([0, 1, 59, 3600, 6 * 3600, 20 * 3600, 3 * 86400]))
    utc = after + dt.timedelta(seconds=step)
    name = draw(st.sampled_from(sorted(OFFSETS)))
    local = utc + OFFSETS[name]
    text = local.strftime("%Y-%m-%dT%H:%M:%S") + name
    return text, utc, local.date()


def walk(data: st.DataObject, folder: Path, max_steps: int) -> Walk:
    path = folder / "ledger.json"
    shutil.copyfile(SMALL, path)
    ledger = rectify.Ledger.load(path)
    ms = {mid: MeasureModel() for mid in PLAN}
    w = Walk(folder, path, ledger, ms, [], [], [{mid: "planned" for mid in PLAN}])
    # start in March, or just before the long_term measure's due date so that closing it is
    # refused and then allowed
    now = data.draw(st.sampled_from([dt.datetime(2026, 3, 2, 1, 0), dt.datetime(2026, 12, 28, 1, 0)]), label="start")
    steps = data.draw(st.integers(1, max_steps), label="steps")
    for _ in range(steps):
        text, utc, day = data.draw(instants(now), label="at")
        options = candidates(ms)
        ok = [a for a in options if allowed(ms, a, day)]
        bad = [a for a in options if not allowed(ms, a, day)]
        if ok and not data.draw(st.integers(0, 4), label="try a wrong one") == 0:
            a = data.draw(st.sampled_from(ok), label="action")
            expect = True
        else:
            a = data.draw(st.sampled_from(bad), label="refused action")
            expect = False
        kwargs = a.kwargs()
        content = b""
        if a.file:
            content = data.draw(st.binary(max_size=64), label="evidence bytes")
            evidence = folder / f"证据-{len(w.events) + 1}.pdf"
            evidence.write_bytes(content)
            kwargs["file"] = evidence
        before = ledger.to_json()
        if not expect:
            with pytest.raises(rectify.LedgerError) as info:
                ledger.act(a.measure, a.action, by=a.by, at=text, **kwargs)
            assert info.value.code == "rectify.ledger.guard", (a, str(info.value))
            assert ledger.to_json() == before and len(ledger) == len(w.events)
            w.refused += 1
            continue
        try:
            event = ledger.act(a.measure, a.action, by=a.by, at=text, **kwargs)
        except rectify.LedgerError as e:  # pragma: no cover - a finding
            raise AssertionError(f"the guards refused {a} at {text}, which the workflow allows: {e}") from e
        seq = len(w.events) + 1
        prev = w.events[-1]["hash"] if w.events else ZERO
        assert event["seq"] == seq and event["prev"] == prev
        # the same instant with the same offset (``Z`` is stored as ``+00:00``)
        stored = dt.datetime.fromisoformat(event["at"])
        assert stored == dt.datetime.fromisoformat(text) and stored.utcoffset() == OFFSETS[text[19:]]
        assert event["measure"] == a.measure and event["action"] == a.action and event["by"] == a.by
        assert event["hash"] == hashlib.sha256((prev + canonical(event)).encode("utf-8")).hexdigest()
        if a.file:
            assert event["evidence"] == {
                "name": f"证据-{seq}.pdf",
                "sha256": hashlib.sha256(content).hexdigest(),
                "bytes": len(content),
            }
        else:
            assert "evidence" not in event
        apply(ms, a, day)
        w.events.append(event)
        w.days.append(day)
        w.snapshots.append({mid: m.state for mid, m in ms.items()})
        now = utc
        # an event earlier than the last one is refused whatever it is
        if data.draw(st.integers(0, 9), label="try an earlier time") == 0:
            earlier = (utc - dt.timedelta(seconds=1) + OFFSETS["+08:00"]).strftime("%Y-%m-%dT%H:%M:%S+08:00")
            with pytest.raises(rectify.LedgerError) as info:
                ledger.act("P1.M2", "start", by="钱干事", at=earlier)
            assert info.value.code == "rectify.ledger.guard" and "earlier than the last event" in str(info.value)
            assert len(ledger) == seq
    return w


def frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)


# -- replay of the saved file equals the stored state ------------------------------------------------


@given(st.data())
@settings(max_examples=40)
def test_saved_log_replays_to_the_state_the_workflow_reached(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        w = walk(data, Path(tmp), max_steps=40)
        ledger = w.ledger
        report = ledger.verify()
        assert report.ok and report.events == len(w.events), str(report)
        ledger.save()
        text = w.path.read_text(encoding="utf-8")
        assert text == ledger.to_json()
        doc = json.loads(text)
        assert doc["log"] == w.events
        assert chain_problem(doc["log"]) is None
        # every measure records the state the model reached
        recorded = {m["id"]: m.get("state", "planned") for p in doc["problems"] for m in p["measures"]}
        assert recorded == {mid: m.state for mid, m in w.ms.items()}

        again = rectify.Ledger.load(w.path)
        assert again.verify().ok and len(again) == len(w.events)
        assert again.to_json() == text  # parse ∘ dump is the identity on a written file
        frames_equal(again.events, ledger.events)

        # metrics after the whole log: the model's account, for the reloaded and the live ledger
        end = max(w.days, default=dt.date(2026, 3, 1)) + dt.timedelta(days=1)
        late = max(end, dt.date(2027, 1, 1))
        status = again.status(as_of=late)
        frames_equal(status, ledger.status(as_of=late))
        for mid, m in w.ms.items():
            row = status.loc[mid]
            owner, kind, due, tasks, unit = PLAN[mid]
            assert row["state"] == m.state
            assert row["tasks_done"] == len(m.tasks_done) and row["tasks_total"] == len(tasks)
            assert row["evidence"] == m.evidence and row["times_returned"] == m.returned
            overdue = m.state not in ("verified", "closed") and due < late
            assert bool(row["overdue"]) == overdue
            assert row["days_overdue"] == ((late - due).days if overdue else 0)
            done = m.state in ("verified", "closed")
            if m.verified_on is None:
                assert pd.isna(row["verified_on"])
            else:
                assert row["verified_on"] == pd.Timestamp(m.verified_on)
            if m.closed_on is None:
                assert pd.isna(row["closed_on"])
            else:
                assert row["closed_on"] == pd.Timestamp(m.closed_on)
            if done and m.first_start is not None:
                assert m.verified_on is not None
                assert row["days_to_verify"] == (m.verified_on - m.first_start).days
            elif not done:
                assert pd.isna(row["days_to_verify"])
        inputs = again.inputs(as_of=late)
        frames_equal(inputs, ledger.inputs(as_of=late))
        for unit in ("U01", "U02"):
            mine = [m for mid, m in w.ms.items() if PLAN[mid][4] == unit]
            due_of = {id(w.ms[mid]): PLAN[mid][2] for mid in PLAN}
            done = [m for m in mine if m.state in ("verified", "closed")]
            row = inputs.loc[unit]
            assert row["rect_total"] == len(mine)
            assert row["rect_completion_rate"] == pytest.approx(len(done) / len(mine), abs=1e-15)
            assert row["rect_overdue"] == len(mine) - len(done)  # every due date has passed
            assert row["rect_returned"] == sum(m.returned for m in mine)
            if done:
                on_time = sum(1 for m in done if m.verified_on is not None and m.verified_on <= due_of[id(m)])
                assert row["rect_on_time_rate"] == pytest.approx(on_time / len(done), abs=1e-15)
            else:
                assert np.isnan(row["rect_on_time_rate"])

        # as of a day that splits the log into a prefix and the rest, the states are the
        # model's after that prefix (days where offsets interleave are left to the timeline)
        first = min(w.days, default=dt.date(2026, 3, 2))
        for day in sorted(set(w.days) | {first - dt.timedelta(days=1)})[::3][:4]:
            counted = [d <= day for d in w.days]
            k = sum(counted)
            if counted != [True] * k + [False] * (len(counted) - k):
                continue
            got = again.status(as_of=day)["state"].astype(str).to_dict()
            assert got == w.snapshots[k], (day, k)

        # the one-pass timeline gives, for every day, what status gives as of that day
        tl = again.timeline(first - dt.timedelta(days=1), end, by="unit")
        frames_equal(tl, ledger.timeline(first - dt.timedelta(days=1), end, by="unit"))
        days = sorted({first - dt.timedelta(days=1), end, *w.days[:: max(1, len(w.days) // 2)]})
        for day in days:
            groups = again.status(as_of=day, by="unit")
            rows = tl.xs(pd.Timestamp(day), level="date")
            for col in ("total", *STATES, "overdue", "completion_rate"):
                assert rows[col].to_dict() == groups[col].to_dict(), (day, col)


# -- any single-byte change to an event is detected --------------------------------------------------


def _no_duplicates(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def parsed_log(raw: bytes) -> Optional[Any]:
    """The document as an independent parser (the standard library, strict UTF-8, no repeated
    keys) reads it; None when it is not JSON."""
    try:
        return json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError):
        return None


def log_span(raw: bytes) -> Tuple[int, int]:
    """Byte offsets of the log array's contents in a file written by ``save``."""
    start = raw.index(b'"log": [') + len(b'"log": [')
    end = raw.rindex(b"]")
    return start, end


def check_mutation(original: bytes, doc: Dict[str, Any], scratch: Path, pos: int, value: int) -> str:
    """Writes ``original`` with byte ``pos`` set to ``value`` and checks that rectify refuses it
    or its verify fails, unless the standard library reads the same document. Returns what
    happened, for the statistics."""
    raw = bytearray(original)
    raw[pos] = value
    scratch.write_bytes(bytes(raw))
    same = parsed_log(bytes(raw)) == doc
    try:
        ledger = rectify.Ledger.load(scratch)
    except rectify.LedgerError as e:
        assert e.code.startswith("rectify.ledger."), str(e)
        assert str(e).startswith(str(scratch)), str(e)  # names the file
        # a change of layout only (a space to a tab) must not make a valid file unreadable
        assert not same, f"byte {pos} set to {value!r} changes no value but the reader refuses: {e}"
        return "refused"
    report = ledger.verify()
    if same:
        # nothing but layout changed: the log must still verify
        assert report.ok, f"byte {pos} set to {value!r} changes no value but verify says {report}"
        return "same"
    assert not report.ok, (
        f"byte {pos} ({chr(original[pos])!r}) set to {value!r} ({chr(value)!r}) changes the log "
        f"but the ledger loads and verifies"
    )
    assert report.code in {
        "rectify.ledger.seq",
        "rectify.ledger.chain",
        "rectify.ledger.guard",
        "rectify.ledger.unknown_measure",
        "rectify.ledger.unknown_task",
        "rectify.ledger.recorded_state",
    }, str(report)
    assert report.index is not None and 0 <= report.index < len(doc["log"])
    # a ledger that does not verify cannot be extended
    with pytest.raises(rectify.LedgerError) as info:
        ledger.act("P2.M2", "start", by="周干事", at="2099-01-01T00:00:00Z")
    assert info.value.code == "rectify.ledger.chain"
    return "detected"


@given(st.data())
@settings(max_examples=30)
def test_any_single_byte_change_in_the_log_is_refused_or_detected(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        w = walk(data, Path(tmp), max_steps=12)
        if not w.events:
            return
        w.ledger.save()
        original = w.path.read_bytes()
        doc = json.loads(original.decode("utf-8"))
        start, end = log_span(original)
        scratch = Path(tmp) / "mutated.json"
        for _ in range(20):
            pos = data.draw(st.integers(start, end - 1), label="position")
            value = data.draw(st.integers(0, 255).filter(lambda v: v != original[pos]), label="byte")
            check_mutation(original, doc, scratch, pos, value)


def _fixed_walk(folder: Path) -> Tuple[Path, List[str]]:
    """A log that uses every key an event can have (evidence with a note, tasks, a level, a
    note with escapes) and three offsets."""
    path = folder / "ledger.json"
    shutil.copyfile(SMALL, path)
    (folder / "计划.txt").write_bytes(b"abc")
    ledger = rectify.Ledger.load(path)
    steps: List[Tuple[str, str, str, str, Dict[str, Any]]] = [
        ("P1.M1", "start", "王干事", "2026-04-01T09:00:00+08:00", {}),
        ("P1.M1", "evidence", "王干事", "2026-04-02T10:00:00+08:00", {"file": folder / "计划.txt", "note": '起草"三会一课"计划'}),
        ("P1.M1", "task_done", "王干事", "2026-04-02T03:00:00Z", {"task": "P1.M1.T1"}),
        ("P1.M1", "task_done", "王干事", "2026-04-01T23:00:00-05:00", {"task": "P1.M1.T2"}),
        ("P1.M1", "submit", "王干事", "2026-04-03T09:00:00+08:00", {}),
        ("P1.M1", "return", "张科长", "2026-04-04T09:00:00+08:00", {"level": 1, "note": "缺签到表\t补\n"}),
        ("P1.M1", "submit", "王干事", "2026-04-05T09:00:00+08:00", {}),
        ("P1.M1", "approve", "张科长", "2026-04-06T09:00:00+08:00", {"level": 1}),
    ]
    for measure, action, by, at, kwargs in steps:
        ledger.act(measure, action, by=by, at=at, **kwargs)
    ledger.save()
    return path, [a for _, a, *_ in steps]


def test_every_byte_of_every_event_is_protected(tmp_path: Path) -> None:
    """Exhaustively: each byte of the log of a ledger that uses every key, with its lowest bit
    flipped (a digit to another digit, a hex letter to a letter, a quote or brace to another
    character), is refused or detected; a space turned into a tab changes nothing."""
    path, _ = _fixed_walk(tmp_path)
    original = path.read_bytes()
    doc = json.loads(original.decode("utf-8"))
    start, end = log_span(original)
    scratch = tmp_path / "mutated.json"
    seen: Dict[str, int] = {}
    for pos in range(start, end):
        for value in [original[pos] ^ 1] + ([ord("\t")] if original[pos] == ord(" ") else []):
            what = check_mutation(original, doc, scratch, pos, value)
            seen[what] = seen.get(what, 0) + 1
    # both ways of catching a change occur, and layout-only changes (indentation) are accepted
    assert seen.get("refused", 0) > 0 and seen.get("detected", 0) > 0 and seen.get("same", 0) > 0, seen
