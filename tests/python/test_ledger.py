"""rectify.Ledger: the guarded workflow, saving, the metrics as DataFrames and the hash chain.

Expected values are derived by hand from the contract (docs/ledger.md) and the fixture
tests/data/ledger/small.json:

    P1.M1 deadline  U01 李书记 owner 王干事 due 2026-04-30, tasks P1.M1.T1, P1.M1.T2
    P1.M2 long_term U02 赵书记 owner 钱干事 due 2026-12-31
    P2.M1 immediate U01 李书记 owner 孙科长 due 2026-03-31
    P2.M2 deadline  U02 (no leader) owner 周干事 due 2026-05-31
    review levels: 3; escalation: remind 7 days, accountable after 30 days.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pandas as pd
import pytest

import rectify
from conftest import ROOT

SMALL = ROOT / "tests" / "data" / "ledger" / "small.json"
ZERO = "0" * 64
CST = dt.timezone(dt.timedelta(hours=8))
STATES = ["planned", "in_progress", "submitted", "verified", "closed"]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "ledger.json"
    shutil.copyfile(SMALL, p)
    return p


@pytest.fixture
def proof(tmp_path: Path) -> Path:
    p = tmp_path / "三会一课计划.pdf"
    p.write_bytes(b"%PDF-1.4 plan for 2026\n" * 10)
    return p


def at(day: str, time: str = "09:00:00") -> str:
    return f"2026-{day}T{time}+08:00"


def guard(call: Any, message: str) -> None:
    """`call()` is refused by the guards with exactly `message` (after the code)."""
    with pytest.raises(rectify.LedgerError) as info:
        call()
    assert info.value.code == "rectify.ledger.guard"
    assert str(info.value) == f"[rectify.ledger.guard] {message}"
    assert isinstance(info.value, ValueError)
    assert [p.code for p in info.value.problems] == ["rectify.ledger.guard"]


def run_workflow(ledger: rectify.Ledger, proof: Path) -> None:
    """P1.M1 from start to close, with one return at level 2 and every refusal on the way."""
    n = len(ledger)
    ledger.act("P1.M1", "start", by="王干事", at=at("04-02", "09:30:00"))
    guard(lambda: ledger.act("P1.M1", "submit", by="王干事", at=at("04-03")), "P1.M1: submit needs evidence")
    ledger.act("P1.M1", "evidence", by="王干事", at=at("04-03"), file=proof)
    guard(
        lambda: ledger.act("P1.M1", "submit", by="王干事", at=at("04-03")),
        "P1.M1: submit needs every task done (P1.M1.T1 is not)",
    )
    ledger.act("P1.M1", "task_done", by="王干事", at=at("04-04"), task="P1.M1.T1")
    guard(
        lambda: ledger.act("P1.M1", "task_done", by="王干事", at=at("04-04"), task="P1.M1.T1"),
        "P1.M1: task P1.M1.T1 is already done",
    )
    ledger.act("P1.M1", "task_done", by="王干事", at=at("04-05"), task="P1.M1.T2")
    ledger.act("P1.M1", "submit", by="王干事", at=at("04-06"))
    guard(
        lambda: ledger.act("P1.M1", "approve", by="王干事", at=at("04-07"), level=1),
        "P1.M1: the owner 王干事 may not approve",
    )
    guard(
        lambda: ledger.act("P1.M1", "approve", by="张科长", at=at("04-07"), level=2),
        "P1.M1: approve at level 2 while level 1 is not yet approved",
    )
    ledger.act("P1.M1", "approve", by="张科长", at=at("04-07"), level=1)
    guard(
        lambda: ledger.act("P1.M1", "approve", by="张科长", at=at("04-08"), level=2),
        "P1.M1: 张科长 already approved level 1 of this submission",
    )
    guard(
        lambda: ledger.act("P1.M1", "return", by="刘主任", at=at("04-08"), level=2),
        "P1.M1: return needs a note (退回意见)",
    )
    ledger.act("P1.M1", "return", by="刘主任", at=at("04-08"), level=2, note="会议记录缺签到表")
    # the evidence added since the start still counts after a return
    ledger.act("P1.M1", "submit", by="王干事", at=at("04-10"))
    ledger.act("P1.M1", "approve", by="张科长", at=at("04-11"), level=1)
    ledger.act("P1.M1", "approve", by="刘主任", at=at("04-15"), level=2)
    ledger.act("P1.M1", "approve", by="陈书记", at=at("04-20"), level=3)
    guard(
        lambda: ledger.act("P1.M1", "close", by="王干事", at=at("04-25")),
        "P1.M1: the owner 王干事 may not close (销号)",
    )
    ledger.act("P1.M1", "close", by="陈书记", at=at("04-25"))
    assert len(ledger) == n + 12


# -- the workflow -----------------------------------------------------------------------------


def test_act_returns_the_event_as_stored(path: Path, proof: Path) -> None:
    ledger = rectify.Ledger.load(path)
    assert ledger.path == str(path) and ledger.id == "test-small" and len(ledger) == 0
    assert ledger.review_levels == ["科长初审", "办公室主任复核", "领导审定"]
    assert ledger.areas == {"org_life": "三会一课", "authenticity": "材料真实性"}
    assert ledger.escalation == {"remind_days": 7, "accountable_days": 30}
    first = ledger.act("P1.M1", "start", by="王干事", at="2026-04-02T09:30:00+08:00")
    assert first["seq"] == 1 and first["prev"] == ZERO
    assert first["at"] == "2026-04-02T09:30:00+08:00"
    assert (first["by"], first["measure"], first["action"]) == ("王干事", "P1.M1", "start")
    assert set(first) == {"seq", "at", "by", "measure", "action", "prev", "hash"}
    # a timezone-aware datetime is written with its own offset
    ev = ledger.act("P1.M1", "evidence", by="王干事", at=dt.datetime(2026, 4, 3, 10, 0, tzinfo=CST), file=proof)
    data = proof.read_bytes()
    assert ev["at"] == "2026-04-03T10:00:00+08:00"
    assert ev["evidence"] == {"name": proof.name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert ev["seq"] == 2 and ev["prev"] == first["hash"]
    # pandas Timestamps and other offsets
    ev = ledger.act(
        "P1.M1", "task_done", by="王干事", at=pd.Timestamp("2026-04-03T03:00:00", tz="UTC"), task="P1.M1.T1"
    )
    assert ev["at"] == "2026-04-03T03:00:00+00:00" and ev["task"] == "P1.M1.T1"
    # at=None is now, with the local offset (on a fresh ledger, whatever the clock says)
    fresh = rectify.Ledger.load(path)
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    ev = fresh.act("P1.M2", "start", by="钱干事")
    stamp = dt.datetime.fromisoformat(ev["at"])
    assert stamp.utcoffset() is not None
    # Wall-clock time may be stepped (NTP) between the readings on a loaded CI machine: allow a
    # few seconds either side (seen: the stamp 1 s past the later reading).
    slack = dt.timedelta(seconds=5)
    assert before - slack <= stamp <= dt.datetime.now(dt.timezone.utc) + slack


def test_full_workflow(path: Path, proof: Path) -> None:
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    # reopened after a re-inspection (回头看): it needs new evidence before a new submission
    guard(
        lambda: ledger.act("P1.M1", "reopen", by="陈书记", at=at("05-10")),
        "P1.M1: reopen needs a note (回头看发现的问题)",
    )
    ledger.act("P1.M1", "reopen", by="陈书记", at=at("05-10"), note="回头看发现记录又不全")
    guard(lambda: ledger.act("P1.M1", "submit", by="王干事", at=at("05-11")), "P1.M1: submit needs evidence")
    # events may not go back in time (equal is allowed)
    guard(
        lambda: ledger.act("P2.M1", "start", by="孙科长", at=at("05-09")),
        "P2.M1: event at 2026-05-09T09:00:00+08:00 is earlier than the last event of the log "
        "(2026-05-10T09:00:00+08:00)",
    )
    ledger.act("P2.M1", "start", by="孙科长", at=at("05-10"))
    report = ledger.verify()
    assert report and report.ok and report.events == 14 and report.code == ""
    assert str(report) == f"{path}: ok, 14 events"

    status = ledger.status(as_of="2026-04-25")
    assert list(status.index) == ["P1.M1", "P1.M2", "P2.M1", "P2.M2"]
    assert status.index.name == "id"
    m = status.loc["P1.M1"]
    assert m["state"] == "closed" and not m["overdue"] and m["days_overdue"] == 0
    assert m["days_to_verify"] == 18  # 04-20 − 04-02
    assert m["times_returned"] == 1 and m["tasks_total"] == 2 and m["tasks_done"] == 2 and m["evidence"] == 1
    assert m["verified_on"] == pd.Timestamp("2026-04-20") and m["closed_on"] == pd.Timestamp("2026-04-25")
    assert pd.isna(m["escalation"])
    # P2.M1 was due 03-31: 25 days late as of 04-25, within 30 days, so a warning
    m = status.loc["P2.M1"]
    assert m["state"] == "planned" and m["overdue"] and m["days_overdue"] == 25 and m["escalation"] == "warn"
    assert pd.isna(m["days_to_verify"]) and pd.isna(m["verified_on"])
    assert status.loc["P2.M2", "leader"] == "" and status.loc["P1.M2", "kind"] == "long_term"
    assert status["state"].cat.ordered and list(status["state"].cat.categories) == STATES
    assert status["due"].dtype.kind == "M" and status["overdue"].dtype == bool

    # as of 05-28: P2.M2 is due in 3 days (remind), P2.M1 is 58 days late (accountable),
    # P1.M1 was reopened on 05-10 and is due since 04-30: 28 days late
    later = ledger.status(as_of=dt.date(2026, 5, 28))
    assert later.loc["P2.M2", "escalation"] == "remind" and not later.loc["P2.M2", "overdue"]
    assert later.loc["P2.M1", "escalation"] == "accountable" and later.loc["P2.M1", "days_overdue"] == 58
    assert later.loc["P2.M1", "state"] == "in_progress"
    assert later.loc["P1.M1", "state"] == "in_progress" and later.loc["P1.M1", "days_overdue"] == 28
    assert later.loc["P1.M1", "escalation"] == "warn"

    # before anything happened everything is planned
    early = ledger.status(as_of="2026-03-01")
    assert (early["state"] == "planned").all() and not early["overdue"].any()

    overdue = ledger.overdue(as_of="2026-05-28")
    assert list(overdue.index) == ["P2.M1", "P1.M1"]  # most days overdue first
    assert list(overdue["days_overdue"]) == [58, 28]


def test_grouped_status(path: Path, proof: Path) -> None:
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    by_unit = ledger.status(as_of="2026-04-25", by="unit")
    assert by_unit.index.name == "unit" and list(by_unit.index) == ["U01", "U02"]
    assert list(by_unit.columns) == ["total", *STATES, "completion_rate", "closure_rate", "on_time_rate", "overdue"]
    u01, u02 = by_unit.loc["U01"], by_unit.loc["U02"]
    assert u01["total"] == 2 and u01["closed"] == 1 and u01["planned"] == 1 and u01["overdue"] == 1
    assert u01["completion_rate"] == 0.5 and u01["closure_rate"] == 0.5 and u01["on_time_rate"] == 1.0
    assert u02["total"] == 2 and u02["planned"] == 2 and u02["completion_rate"] == 0.0
    assert math.isnan(u02["on_time_rate"])  # nothing verified or closed
    by_leader = ledger.status(as_of="2026-04-25", by="leader")
    assert list(by_leader.index) == ["", "李书记", "赵书记"] and by_leader.index.name == "leader"
    assert list(by_leader["total"]) == [1, 2, 1]
    by_area = ledger.status(as_of="2026-04-25", by="area")
    assert by_area.loc["org_life", "closed"] == 1 and by_area.loc["authenticity", "overdue"] == 1
    assert ledger.status(as_of="2026-04-25", by="owner").loc["王干事", "closed"] == 1


def test_as_of_forms(path: Path, proof: Path) -> None:
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    expected = ledger.status(as_of="2026-04-20")
    for form in (
        dt.date(2026, 4, 20),
        dt.datetime(2026, 4, 20, 23, 59),
        pd.Timestamp("2026-04-20 12:00"),
        np.datetime64("2026-04-20"),
    ):
        pd.testing.assert_frame_equal(ledger.status(as_of=form), expected)
    assert ledger.status(as_of="2026-04-20").loc["P1.M1", "state"] == "verified"
    assert ledger.status(as_of="2026-04-19").loc["P1.M1", "state"] == "submitted"
    # the default is today: after every event of the fixture's year
    today = ledger.status()
    pd.testing.assert_frame_equal(today, ledger.status(as_of=dt.date.today()))


# -- errors ---------------------------------------------------------------------------------


def test_errors_of_act(path: Path, tmp_path: Path) -> None:
    ledger = rectify.Ledger.load(path)
    guard(lambda: ledger.act("P9.M9", "start", by="王干事", at=at("04-01")), "P9.M9: no such measure")
    with pytest.raises(rectify.LedgerError) as info:
        ledger.act("P1.M1", "finish", by="王干事", at=at("04-01"))
    assert info.value.code == "rectify.ledger.bad_value"
    assert str(info.value) == (
        '[rectify.ledger.bad_value] P1.M1: unknown action "finish" '
        "(start, evidence, submit, approve, return, close, reopen, task_done)"
    )
    guard(lambda: ledger.act("P1.M1", "start", by="王干事", at=at("04-01"), level=1), "P1.M1: start takes no level")
    guard(lambda: ledger.act("P1.M1", "start", by="", at=at("04-01")), "P1.M1: start needs a person (by)")
    ledger.act("P1.M1", "start", by="王干事", at=at("04-01"))
    guard(
        lambda: ledger.act("P1.M1", "task_done", by="王干事", at=at("04-02"), task="P1.M1.T9"),
        "P1.M1: no such task P1.M1.T9",
    )
    guard(
        lambda: ledger.act("P1.M1", "evidence", by="王干事", at=at("04-02")),
        "P1.M1: evidence needs a file (name, sha256 and bytes)",
    )
    guard(
        lambda: ledger.act("P1.M1", "start", by="王干事", at=at("04-02")),
        "P1.M1: start needs state planned, not in_progress",
    )
    # times without a UTC offset
    for bad in ("2026-04-02T09:30:00", "2026-04-02", "2026-02-30T09:00:00+08:00", "yesterday"):
        with pytest.raises(rectify.LedgerError) as info:
            ledger.act("P1.M1", "task_done", by="王干事", at=bad, task="P1.M1.T1")
        assert info.value.code == "rectify.ledger.bad_date", bad
        assert str(info.value) == (
            f'[rectify.ledger.bad_date] at: "{bad}" is not a date and time with a UTC offset '
            "(like 2026-04-02T09:30:00+08:00)"
        )
    for naive in (dt.datetime(2026, 4, 2, 9, 30), pd.Timestamp("2026-04-02 09:30"), dt.date(2026, 4, 2)):
        with pytest.raises(rectify.LedgerError) as info:
            ledger.act("P1.M1", "task_done", by="王干事", at=naive, task="P1.M1.T1")
        assert info.value.code == "rectify.ledger.bad_date"
        assert str(info.value).startswith("[rectify.ledger.bad_date] at: 2026-04-02")
    with pytest.raises(TypeError):
        ledger.act("P1.M1", "task_done", by="王干事", at=1775000000, task="P1.M1.T1")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ledger.act("P1.M1", "approve", by="张科长", at=at("04-02"), level="1")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ledger.act("P1.M1", "approve", by="张科长", at=at("04-02"), level=True)
    # a missing evidence file is a file error, as everywhere in rectify
    with pytest.raises(rectify.DataError) as data_error:
        ledger.act("P1.M1", "evidence", by="王干事", at=at("04-02"), file=tmp_path / "none.pdf")
    assert data_error.value.code == "rectify.io.open"
    # nothing of the above changed the ledger
    assert len(ledger) == 1 and ledger.verify()


def test_errors_of_metrics(path: Path) -> None:
    ledger = rectify.Ledger.load(path)
    for bad in ("2026-02-30", "2026/04/01", "20260401", ""):
        with pytest.raises(rectify.LedgerError) as info:
            ledger.status(as_of=bad)
        assert info.value.code == "rectify.ledger.bad_date"
        assert str(info.value) == f'[rectify.ledger.bad_date] as_of: "{bad}" is not a date YYYY-MM-DD'
    with pytest.raises(rectify.LedgerError) as info:
        ledger.inputs(as_of=pd.NaT)
    assert info.value.code == "rectify.ledger.bad_date"
    with pytest.raises(ValueError) as value_error:
        ledger.status(by="team")
    assert not isinstance(value_error.value, rectify.Error)  # a usage error
    with pytest.raises(TypeError):
        ledger.overdue(as_of=20260401)  # type: ignore[arg-type]
    with pytest.raises(rectify.LedgerError) as info:
        ledger.timeline("2026-05-01", "2026-04-30")
    assert info.value.code == "rectify.ledger.bad_range"
    with pytest.raises(rectify.LedgerError) as info:
        ledger.timeline("2026-04-01", "2026-04-31")
    assert str(info.value) == '[rectify.ledger.bad_date] end: "2026-04-31" is not a date YYYY-MM-DD'


def test_errors_of_load(tmp_path: Path) -> None:
    with pytest.raises(rectify.DataError) as data_error:
        rectify.Ledger.load(tmp_path / "none.json")
    assert data_error.value.code == "rectify.io.open"
    doc = json.loads(SMALL.read_text(encoding="utf-8"))
    p = tmp_path / "bad.json"

    def load_with(change: Any) -> rectify.LedgerError:
        d = json.loads(json.dumps(doc))
        change(d)
        p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
        with pytest.raises(rectify.LedgerError) as info:
            rectify.Ledger.load(p)
        return info.value

    err = load_with(lambda d: d["problems"][0]["measures"][0].__setitem__("due", "2026-02-30"))
    assert err.code == "rectify.ledger.bad_date" and err.problems[0].path == "/problems/0/measures/0/due"
    assert err.problems[0].source == str(p)
    err = load_with(lambda d: d["problems"][1]["measures"][0].__setitem__("colour", "red"))
    assert err.code == "rectify.ledger.unknown_key" and err.problems[0].path == "/problems/1/measures/0/colour"
    err = load_with(lambda d: d.pop("review_levels"))
    assert err.code == "rectify.ledger.missing_key"
    p.write_text("{ not json", encoding="utf-8")
    with pytest.raises(rectify.LedgerError) as info:
        rectify.Ledger.load(p)
    assert info.value.code == "rectify.ledger.syntax"
    with pytest.raises(rectify.LedgerError) as info:
        rectify.Ledger.from_json({"format": "rectify.ledger/1"})
    assert info.value.code == "rectify.ledger.missing_key"


# -- saving ---------------------------------------------------------------------------------


def test_save_load_round_trip(path: Path, proof: Path, tmp_path: Path) -> None:
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    ledger.save()
    again = rectify.Ledger.load(path)
    assert again.to_json() == ledger.to_json() == path.read_text(encoding="utf-8")
    pd.testing.assert_frame_equal(again.events, ledger.events)
    pd.testing.assert_frame_equal(again.measures, ledger.measures)
    pd.testing.assert_frame_equal(again.status(as_of="2026-05-01"), ledger.status(as_of="2026-05-01"))
    assert again.verify()
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert len(doc["log"]) == 12
    # the recorded states are a convenience for readers: the replay of the whole log
    assert [m.get("state") for p in doc["problems"] for m in p["measures"]] == [
        "closed",
        "planned",
        "planned",
        "planned",
    ]
    # save to another path: the ledger then belongs to that file
    other = tmp_path / "sub" / "copy.json"
    with pytest.raises(rectify.DataError) as info:
        ledger.save(other)  # the folder does not exist
    assert info.value.code == "rectify.io.write"
    other.parent.mkdir()
    ledger.save(other)
    assert ledger.path == str(other) and other.read_bytes() == path.read_bytes()
    # from_json has no file
    free = rectify.Ledger.from_json(path.read_text(encoding="utf-8"))
    assert free.path is None and len(free) == 12
    with pytest.raises(ValueError):
        free.save()


def test_events_and_measures_frames(path: Path, proof: Path) -> None:
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    events = ledger.events
    assert events.index.name == "seq" and list(events.index) == list(range(1, 13))
    assert list(events.columns) == [
        "at", "time_utc", "date", "by", "measure", "action", "level", "task", "note",
        "evidence_name", "evidence_sha256", "evidence_bytes", "prev", "hash",
    ]  # fmt: skip
    first = events.loc[1]
    assert first["at"] == "2026-04-02T09:30:00+08:00" and first["action"] == "start"
    assert first["time_utc"] == pd.Timestamp("2026-04-02T01:30:00", tz="UTC")
    assert first["date"] == pd.Timestamp("2026-04-02") and first["prev"] == ZERO
    assert pd.isna(first["level"]) and pd.isna(first["task"]) and pd.isna(first["evidence_name"])
    assert events.loc[2, "evidence_bytes"] == proof.stat().st_size
    assert events.loc[3, "task"] == "P1.M1.T1"
    assert list(events["level"].dropna()) == [1, 2, 1, 2, 3]
    assert list(events["hash"].iloc[:-1]) == list(events["prev"].iloc[1:])
    measures = ledger.measures
    assert list(measures.index) == ["P1.M1", "P1.M2", "P2.M1", "P2.M2"]
    assert list(measures["tasks"]) == [2, 0, 0, 0]
    assert measures.loc["P2.M1", "due"] == pd.Timestamp("2026-03-31")
    assert measures.loc["P1.M1", "problem_title"] == "三会一课记录不完整"


def test_conflict_on_save(path: Path, proof: Path) -> None:
    a = rectify.Ledger.load(path)
    b = rectify.Ledger.load(path)
    a.act("P1.M1", "start", by="王干事", at=at("04-02"))
    a.save()
    saved = path.read_bytes()
    b.act("P2.M1", "start", by="孙科长", at=at("04-03"))
    with pytest.raises(rectify.LedgerError) as info:
        b.save()
    assert info.value.code == "rectify.ledger.conflict"
    assert path.read_bytes() == saved  # a's event is not lost
    # saving again what is on disk is fine; reloading and redoing the action works
    a.save()
    b = rectify.Ledger.load(path)
    b.act("P2.M1", "start", by="孙科长", at=at("04-03"))
    b.save()
    assert [e["action"] for e in json.loads(path.read_text(encoding="utf-8"))["log"]] == ["start", "start"]
    assert rectify.Ledger.load(path).verify()


def test_tampered_file_is_caught(path: Path, proof: Path) -> None:
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    ledger.save()
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["log"][6]["note"] = "无意见"  # the return's note (seq 7), rewritten
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    forged = rectify.Ledger.load(path)
    report = forged.verify()
    assert not report and report.ok is False
    assert (report.seq, report.index, report.code) == (7, 6, "rectify.ledger.chain")
    assert report.reason.startswith("P1.M1: hash does not match the event's content")
    assert str(report) == f"{path}: [rectify.ledger.chain] /log/6: seq 7: {report.reason}"
    # a ledger whose log does not verify is never extended
    with pytest.raises(rectify.LedgerError) as info:
        forged.act("P2.M1", "start", by="孙科长", at=at("05-01"))
    assert info.value.code == "rectify.ledger.chain"
    # a recorded state that disagrees with the replay
    doc = json.loads(ledger.to_json())
    doc["problems"][0]["measures"][0]["state"] = "verified"
    report = rectify.Ledger.from_json(doc).verify()
    assert report.code == "rectify.ledger.recorded_state" and report.seq == 12


# -- the metrics feed the scorer; the timeline is status per day -----------------------------


def test_inputs_join_units_and_score(path: Path, proof: Path) -> None:
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    inputs = ledger.inputs(as_of="2026-04-25")
    assert inputs.index.name == "unit" and list(inputs.index) == ["U01", "U02"]
    assert list(inputs.columns) == [
        "rect_total", "rect_completion_rate", "rect_overdue", "rect_returned", "rect_on_time_rate",
    ]  # fmt: skip
    assert (inputs.dtypes == np.float64).all()
    # U01: P1.M1 closed on time after one return, P2.M1 overdue; U02: two planned measures
    assert list(inputs.loc["U01"]) == [2.0, 0.5, 1.0, 1.0, 1.0]
    assert list(inputs.loc["U02"].iloc[:4]) == [2.0, 0.0, 0.0, 0.0]
    assert math.isnan(inputs.loc["U02", "rect_on_time_rate"])

    units = pd.DataFrame({"meetings": [10.0, 8.0, 9.0]}, index=pd.Index(["U01", "U02", "U03"], name="unit"))
    data = units.join(ledger.inputs(as_of="2026-04-25"), how="left")
    assert data.index.name == "unit" and math.isnan(data.loc["U03", "rect_total"])
    scheme = rectify.Scheme.from_json(
        {
            "format": "rectify.scheme/1",
            "id": "rect",
            "name": "整改",
            "missing": "zero",
            "indicators": [
                {"id": "done", "name": "整改完成率", "points": 60, "input": "rect_completion_rate",
                 "rule": {"type": "linear", "worst": 0, "best": 1}},
                {"id": "late", "name": "整改超期", "points": 40,
                 "deductions": [{"input": "rect_overdue", "per": 10, "cap": 40, "name": "超期"}]},
            ],
            "grades": [{"name": "好", "min": 50}, {"name": "差"}],
        }
    )  # fmt: skip
    scores = scheme.score(data).to_frame()
    # U01: 60·0.5 + (40 − 10·1) = 60; U02: 0 + 40 = 40; U03 (no measures): 0 + 40 under "zero"
    assert list(scores["score"]) == [60.0, 40.0, 40.0]
    assert list(scores["grade"]) == ["好", "差", "差"]


def test_timeline_is_status_per_day(path: Path, proof: Path) -> None:
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    ledger.act("P1.M1", "reopen", by="陈书记", at=at("05-10"), note="回头看发现记录又不全")
    ledger.act("P2.M2", "start", by="周干事", at="2026-05-12T23:30:00-02:00")  # 05-13 in Beijing
    tl = ledger.timeline("2026-03-28", "2026-06-05")
    assert isinstance(tl.index, pd.DatetimeIndex) and tl.index.name == "date" and tl.index.freq == "D"
    assert len(tl) == 70
    assert list(tl.columns) == ["total", *STATES, "overdue", "completion_rate"]
    for day, row in tl.iterrows():
        status = ledger.status(as_of=day)
        counts = status["state"].value_counts()
        assert row["total"] == len(status)
        for s in STATES:
            assert row[s] == counts.get(s, 0), (day, s)
        assert row["overdue"] == status["overdue"].sum(), day
        done = status["state"].isin(["verified", "closed"]).sum()
        assert row["completion_rate"] == done / len(status), day
    # the event of 05-12 at -02:00 counts on its own calendar date
    assert tl.loc["2026-05-12", "in_progress"] == 2 and tl.loc["2026-05-11", "in_progress"] == 1

    grouped = ledger.timeline("2026-04-01", "2026-05-31", by="unit")
    assert list(grouped.index.names) == ["date", "unit"] and len(grouped) == 61 * 2
    for (day, unit), row in grouped.iterrows():
        g = ledger.status(as_of=day, by="unit").loc[unit]
        for col in ("total", *STATES, "overdue", "completion_rate"):
            assert row[col] == g[col], (day, unit, col)
    wide = grouped["completion_rate"].unstack()
    assert list(wide.columns) == ["U01", "U02"] and wide.loc["2026-04-25", "U01"] == 0.5


# -- the hash chain agrees with an independent implementation --------------------------------


def canonical(event: Dict[str, Any]) -> bytes:
    """ledger.md §3: keys sorted by code point, no whitespace, non-ASCII kept as UTF-8."""
    body = {k: v for k, v in event.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def chain_hash(prev: str, event: Dict[str, Any]) -> str:
    return hashlib.sha256(prev.encode("ascii") + canonical(event)).hexdigest()


def test_python_written_chain_checks_with_hashlib(path: Path, proof: Path) -> None:
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    ledger.save()
    log: List[Dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["log"]
    prev = ZERO
    for i, e in enumerate(log, start=1):
        assert e["seq"] == i and e["prev"] == prev
        assert e["hash"] == chain_hash(prev, e), i
        prev = e["hash"]


def test_hand_built_chain_verifies_in_cpp(path: Path, tmp_path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    events = [
        {"at": "2026-03-20T08:00:00+08:00", "by": "孙科长", "measure": "P2.M1", "action": "start"},
        {"at": "2026-03-21T08:00:00+08:00", "by": "孙科长", "measure": "P2.M1", "action": "evidence",
         "evidence": {"name": "审核制度.docx", "sha256": hashlib.sha256(b"rules").hexdigest(), "bytes": 5}},
        {"at": "2026-03-22T08:00:00+08:00", "by": "孙科长", "measure": "P2.M1", "action": "submit",
         "note": "含 \"引号\" 与\\反斜杠"},
    ]  # fmt: skip
    prev = ZERO
    for seq, e in enumerate(events, start=1):
        e.update(seq=seq, prev=prev)
        e["hash"] = chain_hash(prev, e)
        prev = e["hash"]
    doc["log"] = events
    p = tmp_path / "hand.json"
    # key order and indentation do not matter
    p.write_text(json.dumps(doc, ensure_ascii=False, indent=3, sort_keys=True), encoding="utf-8")
    ledger = rectify.Ledger.load(p)
    report = ledger.verify()
    assert report.ok and report.events == 3, str(report)
    nxt = ledger.act("P2.M1", "approve", by="张科长", level=1, at="2026-03-23T08:00:00+08:00")
    assert nxt["prev"] == prev and nxt["hash"] == chain_hash(prev, nxt)
    assert ledger.status(as_of="2026-03-23").loc["P2.M1", "state"] == "submitted"


def cli_or_skip() -> str:
    cli = os.environ.get("RECTIFY_CLI")
    if not cli:
        pytest.skip("RECTIFY_CLI is not set (the path of the rectify command line)")
    return cli


def test_cli_verifies_python_and_python_verifies_cli(path: Path, proof: Path) -> None:
    cli = cli_or_skip()
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    ledger.save()
    done = subprocess.run([cli, "ledger", "verify", str(path)], capture_output=True)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    # the command line extends the file; Python reads and verifies it
    done = subprocess.run(
        [cli, "ledger", "act", str(path), "P2.M1", "start", "--by", "孙科长", "--at", "2026-04-26T08:00:00+08:00"],
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    after = rectify.Ledger.load(path)
    assert len(after) == 13 and after.verify()
    assert after.events.loc[13, "measure"] == "P2.M1" and after.events.loc[13, "prev"] == ledger.events.loc[12, "hash"]
    # a guard refusal reads the same on both sides
    done = subprocess.run(
        [cli, "ledger", "act", str(path), "P2.M1", "submit", "--by", "孙科长", "--at", "2026-04-27T08:00:00+08:00"],
        capture_output=True,
    )
    assert done.returncode == 1
    guard(
        lambda: after.act("P2.M1", "submit", by="孙科长", at=at("04-27", "08:00:00")),
        "P2.M1: submit needs evidence",
    )
    assert "[rectify.ledger.guard] P2.M1: submit needs evidence" in done.stderr.decode("utf-8")


# -- display and threads --------------------------------------------------------------------


def test_repr(path: Path, proof: Path) -> None:
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    text = repr(ledger)
    today = dt.date.today().isoformat()
    assert text.startswith(
        f"<rectify.Ledger 'test-small' {str(path)!r}: 2 problems, 4 measures, 12 events; as of {today}:"
    )
    assert "closed 1" in text
    html_text = ledger._repr_html_()
    assert "rectify.Ledger" in html_text and "测试用整改台账" in html_text and "<table>" in html_text


def test_threads_share_a_ledger(path: Path, proof: Path) -> None:
    ledger = rectify.Ledger.load(path)
    run_workflow(ledger, proof)
    expected = ledger.status(as_of="2026-04-25", by="unit")
    errors: List[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                pd.testing.assert_frame_equal(ledger.status(as_of="2026-04-25", by="unit"), expected)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def write() -> None:
        try:
            for k in range(20):
                ledger.act("P2.M2", "evidence" if k else "start", by="周干事", at=at("05-01"),
                           file=proof if k else None)  # fmt: skip
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(3)] + [threading.Thread(target=write)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(ledger) == 12 + 20 and ledger.verify()
