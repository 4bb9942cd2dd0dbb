#!/usr/bin/env python3
"""`rectify ledger ...` end to end (docs/ledger.md, "command line"; ../shared/docs/ledger.md §5).

    python3 tests/cli/test_ledger_cli.py RECTIFY_CLI_PATH

Copies tests/data/ledger/small.json (plus one planned measure, P2.M3 of unit U01, so that a
rate of 1/3 shows the CSV's full precision) to a temporary folder and drives a whole workflow
through `rectify ledger act`: start, evidence with --file, task_done, submit, a return, approvals
at levels 1..3 by different people, close, reopen; and the refusals (the owner approving, one
person at two levels, a return or reopen without a note, submit without evidence or with a task
open, --at without an offset, a time earlier than the log, closing by the owner, closing a
long-term measure before its due date, task_done twice). A refusal must exit 1 with
`[rectify.ledger.guard] MEASURE: ...` and leave the file's bytes and mtime as they were.

The hash chain is recomputed here with hashlib from the contract's definition (§3), the evidence
digest from the file, and status, overdue, inputs and timeline are checked against values worked
out by hand from §4 (see the comments at EXPECT_*); the timeline is also compared with `status`
for every day of a range. Then one byte of a note is changed and `verify` must name that event.
The bad ledgers of tests/data/ledger_bad/ must fail with the first stderr line pinned in its
expected.txt. Prints one line per check and exits 1 if any failed. Standard library only.
"""
import csv
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from clitest import ROOT, expect, failures, width

SMALL = os.path.join(ROOT, "tests", "data", "ledger", "small.json")
BAD = os.path.join(ROOT, "tests", "data", "ledger_bad")
LEDGER = "ledger.json"  # inside the temporary folder, which is the working directory
ZERO = "0" * 64
STATES = ["planned", "in_progress", "submitted", "verified", "closed"]


class Runner:
    def __init__(self, cli, cwd):
        self.cli, self.cwd = cli, cwd

    def __call__(self, *args):
        p = subprocess.run([self.cli] + list(args), cwd=self.cwd, capture_output=True, timeout=60)
        return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


# ---------------------------------------------------------------------------------------------
# The contract's hash chain, independently of the C++ code: hash = SHA-256(prev ‖ canonical JSON
# of the event without "hash"); canonical = keys sorted by code point, no whitespace, non-ASCII
# kept as UTF-8. Python sorts str keys by code point, and json.dumps escapes only what JSON needs.


def canonical(event):
    rest = {k: v for k, v in event.items() if k != "hash"}
    return json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_problem(log):
    """None when the chain is right, else a description of the first bad event."""
    prev = ZERO
    for i, e in enumerate(log):
        if e.get("seq") != i + 1:
            return f"/log/{i}: seq {e.get('seq')}, want {i + 1}"
        if e.get("prev") != prev:
            return f"/log/{i}: prev {e.get('prev')}, want {prev}"
        want = hashlib.sha256((prev + canonical(e)).encode("utf-8")).hexdigest()
        if e.get("hash") != want:
            return f"/log/{i}: hash {e.get('hash')}, want {want}"
        prev = want
    return None


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------------------------------------
# File snapshots: a refused or failed command must not rewrite the ledger. The mtime is first
# set far in the past, so a rewrite with the same bytes would still show.

OLD_NS = 1_000_000_000 * 10**9  # 2001-09-09


def freeze(path):
    os.utime(path, ns=(OLD_NS, OLD_NS))
    with open(path, "rb") as f:
        data = f.read()
    return data, os.stat(path).st_mtime_ns, sorted(os.listdir(os.path.dirname(path)))


def untouched(path, snap):
    with open(path, "rb") as f:
        data = f.read()
    now = (data, os.stat(path).st_mtime_ns, sorted(os.listdir(os.path.dirname(path))))
    return now == snap


# ---------------------------------------------------------------------------------------------
# Plain-text tables: cells are separated by two or more spaces; columns line up by display width
# (East Asian wide characters count 2).


def cells_with_starts(line):
    """[(cell, display column where it starts)]."""
    out, col, i = [], 0, 0
    for m in re.finditer(r"\S+(?: \S+)*", line):
        out.append((m.group(0), col + width(line[i:m.start()])))
        col += width(line[i:m.end()])
        i = m.end()
    return out


def table_block(lines, header_first_cell):
    """The lines of the aligned table whose header starts with `header_first_cell`, up to a blank line."""
    for k, line in enumerate(lines):
        if line.startswith(header_first_cell + " "):
            block = []
            for row in lines[k:]:
                if not row.strip():
                    break
                block.append(row)
            return block
    return []


def aligned(block, left_columns):
    """Every row's left-aligned columns start at the header's display column."""
    starts = [[s for _, s in cells_with_starts(line)] for line in block]
    head = starts[0]
    return all(len(s) == len(head) and all(s[c] == head[c] for c in left_columns) for s in starts)


# ---------------------------------------------------------------------------------------------
# The workflow. Times are +08:00 unless said otherwise; the log must never go back in time.


def at(day, time="10:00:00", offset="+08:00"):
    return f"2026-{day}T{time}{offset}"


RETURN_NOTE = "退回: 缺少签字页 (page 3)"


def workflow(r, tmp, path):
    """Runs the accepted and the refused actions in time order; returns the events printed."""
    printed = []
    evidence_files = {}

    def make_file(name, content):
        folder = os.path.join(tmp, "evidence")
        os.makedirs(folder, exist_ok=True)
        p = os.path.join(folder, name)
        with open(p, "wb") as f:
            f.write(content)
        evidence_files[name] = content
        return p

    def act(measure, action, by, when, *extra):
        code, out, err = r("ledger", "act", LEDGER, measure, action, "--by", by, "--at", when, *extra)
        label = f"act {measure} {action} by {by} at {when}"
        ok = code == 0 and out.endswith("\n") and out.count("\n") == 1 and err == ""
        expect(f"{label}: exit 0, one line on stdout", ok, f"exit {code}; stdout {out!r}; stderr {err.strip()}")
        if not ok:
            return None
        event = json.loads(out)
        log = load(path)["log"]
        expect(f"{label}: prints the event appended", log and log[-1] == event, f"{event} vs {log[-1:]}")
        expect(f"{label}: seq {len(log)}, action, by, at", event.get("seq") == len(log)
               and event.get("action") == action and event.get("by") == by and event.get("measure") == measure
               and event.get("at") == when, str(event))
        printed.append(event)
        return event

    def refused(label, measure, action, by, when, *extra, says=None):
        snap = freeze(path)
        code, out, err = r("ledger", "act", LEDGER, measure, action, "--by", by, "--at", when, *extra)
        first = err.splitlines()[0] if err else ""
        want = f"[rectify.ledger.guard] {measure}: "
        expect(f"refused: {label}: exit 1", code == 1, f"exit {code}; stderr {err.strip()}")
        expect(f"refused: {label}: nothing on stdout", out == "", repr(out))
        expect(f"refused: {label}: stderr says {want!r}...", first.startswith("rectify: " + want), first)
        if says:
            expect(f"refused: {label}: the reason mentions {says!r}", says in first, first)
        expect(f"refused: {label}: the file's bytes and mtime are unchanged, no temporary file left",
               untouched(path, snap))

    plan_pdf = make_file("三会一课计划.pdf", b"%PDF-1.4\n" + "三会一课年度计划".encode("utf-8") * 40 + b"\n%%EOF\n")
    scan1 = make_file("审核记录1.jpg", bytes(range(256)) * 7)
    scan2 = make_file("审核记录2.jpg", b"second scan, with the signature page\n" * 13)
    report = make_file("会议记录.docx", b"PK\x03\x04 minutes of the branch meetings " * 21)

    # P2.M1 (immediate, U01, owner 孙科长, due 03-31): submitted, approved at level 1, returned at
    # level 2, submitted again, approved at level 1 again; never verified.
    act("P2.M1", "start", "孙科长", at("03-20", "09:00:00"))                        # E1
    refused("submit without evidence", "P2.M1", "submit", "孙科长", at("03-21"), says="evidence")
    ev = act("P2.M1", "evidence", "孙科长", at("03-25"), "--file", scan1)          # E2
    if ev:
        # the ledger is tmp/ledger.json and the scan tmp/evidence/审核记录1.jpg (docs/ledger.md, "Evidence files")
        expect("evidence: name is the file's path relative to the ledger's folder",
               ev.get("evidence", {}).get("name") == "evidence/审核记录1.jpg", str(ev.get("evidence")))
        expect("evidence: sha256 and bytes of the file (hashlib)",
               ev.get("evidence", {}).get("sha256") == hashlib.sha256(evidence_files["审核记录1.jpg"]).hexdigest()
               and ev.get("evidence", {}).get("bytes") == len(evidence_files["审核记录1.jpg"]), str(ev.get("evidence")))
    act("P2.M1", "submit", "孙科长", at("03-26"))                                   # E3
    refused("the owner approving", "P2.M1", "approve", "孙科长", at("03-27"), "--level", "1")
    act("P2.M1", "approve", "张科长", at("03-27"), "--level", "1")                  # E4
    refused("one person at two levels", "P2.M1", "approve", "张科长", at("03-28"), "--level", "2")
    refused("approve level 3 after level 1", "P2.M1", "approve", "李书记", at("03-28"), "--level", "3")
    refused("return without a note", "P2.M1", "return", "刘主任", at("03-28"), "--level", "2")
    act("P2.M1", "return", "刘主任", at("03-28"), "--level", "2", "--note", RETURN_NOTE)  # E5

    # P1.M1 (deadline, U01, owner 王干事, due 04-30, tasks T1 and T2): the whole way to closed.
    act("P1.M1", "start", "王干事", at("04-01", "09:00:00"))                        # E6
    act("P1.M1", "evidence", "王干事", at("04-02"), "--file", plan_pdf)             # E7
    act("P2.M1", "evidence", "孙科长", at("04-05"), "--file", scan2)                # E8
    act("P2.M1", "submit", "孙科长", at("04-06"))                                   # E9
    refused("a time earlier than the log", "P1.M1", "task_done", "王干事", at("04-05", "23:59:59"),
            "--task", "P1.M1.T1")
    act("P1.M1", "task_done", "王干事", at("04-10"), "--task", "P1.M1.T1")          # E10
    refused("task_done twice", "P1.M1", "task_done", "王干事", at("04-11"), "--task", "P1.M1.T1")
    refused("submit with a task open", "P1.M1", "submit", "王干事", at("04-11"))
    act("P1.M1", "task_done", "王干事", at("04-12"), "--task", "P1.M1.T2")          # E11
    act("P1.M1", "submit", "王干事", at("04-13"))                                   # E12
    act("P1.M1", "approve", "张科长", at("04-14"), "--level", "1")                  # E13
    act("P1.M1", "approve", "刘主任", at("04-15"), "--level", "2")                  # E14
    act("P1.M1", "approve", "李书记", at("04-16"), "--level", "3")                  # E15: verified 04-16
    refused("closing by the owner", "P1.M1", "close", "王干事", at("04-20"))
    act("P1.M1", "close", "刘主任", at("04-20"))                                    # E16: closed 04-20
    act("P2.M1", "approve", "张科长", at("04-20"), "--level", "1")                  # E17 (same instant: allowed)

    # P1.M2 (long_term, U02, owner 钱干事, due 12-31): verified; closing before the due date is refused.
    act("P1.M2", "start", "钱干事", at("04-21", "09:00:00"))                        # E18
    act("P1.M2", "evidence", "钱干事", at("04-22"), "--file", report)               # E19
    act("P1.M2", "submit", "钱干事", at("04-23"))                                   # E20
    act("P1.M2", "approve", "张科长", at("04-24"), "--level", "1")                  # E21
    act("P1.M2", "approve", "刘主任", at("04-25"), "--level", "2")                  # E22
    # 23:30 at -02:00 is 09:30 on 04-27 in Beijing: the contract reads the date in the event's own
    # offset, so P1.M2 is verified on 04-26.
    act("P1.M2", "approve", "赵书记", at("04-26", "23:30:00", "-02:00"), "--level", "3")  # E23
    refused("closing a long-term measure before its due date", "P1.M2", "close", "刘主任", at("04-27"))

    # 回头看: P1.M1 relapsed.
    refused("reopen without a note", "P1.M1", "reopen", "李书记", at("05-10", "09:00:00"))
    act("P1.M1", "reopen", "李书记", at("05-10", "09:00:00"), "--note", "回头看发现计划未执行")  # E24
    refused("submit after a reopen without new evidence", "P1.M1", "submit", "王干事", at("05-10", "10:00:00"),
            says="evidence")
    return printed


# ---------------------------------------------------------------------------------------------
# Values worked out by hand from ledger.md §4 for the log above (P2.M3: U01, due 06-30, planned).
#
# As of 04-30 (E1..E23): P1.M1 closed (verified 04-16 − started 04-01 = 15 days to verify);
# P1.M2 verified (04-26 − 04-21 = 5); P2.M1 submitted, due 03-31: 30 days overdue, 1 ≤ 30 ≤ 30
# → warn, returned once, 2 evidence; P2.M2 planned, due 05-31 (31 days ahead: no escalation);
# P2.M3 planned (61 days ahead). U01 = P1.M1, P2.M1, P2.M3: 1 closed, 1 submitted, 1 planned →
# completion 1/3, closure 1/3, on time 1/1 (P1.M1 verified 04-16 ≤ 04-30), overdue 1.
# U02 = P1.M2, P2.M2: completion 1/2, closure 0, on time 1/1, overdue 0.

EXPECT_0430_MEASURES = {
    "P1.M1": dict(state="closed", overdue=False, days_overdue=0, escalation=None, days_to_verify=15,
                  times_returned=0, tasks_total=2, tasks_done=2, evidence=1, verified_on="2026-04-16",
                  closed_on="2026-04-20", unit="U01", leader="李书记", owner="王干事", area="org_life",
                  problem="P1", kind="deadline", due="2026-04-30"),
    "P1.M2": dict(state="verified", overdue=False, days_overdue=0, escalation=None, days_to_verify=5,
                  times_returned=0, tasks_total=0, tasks_done=0, evidence=1, verified_on="2026-04-26",
                  closed_on=None, kind="long_term"),
    "P2.M1": dict(state="submitted", overdue=True, days_overdue=30, escalation="warn", days_to_verify=None,
                  times_returned=1, evidence=2, verified_on=None, closed_on=None, kind="immediate"),
    "P2.M2": dict(state="planned", overdue=False, days_overdue=0, escalation=None, days_to_verify=None,
                  times_returned=0, evidence=0, leader="", kind="deadline"),
    "P2.M3": dict(state="planned", overdue=False, days_overdue=0, escalation=None),
}
THIRD = 1 / 3
EXPECT_0430_UNITS = [
    dict(key="U01", total=3, states=dict(planned=1, in_progress=0, submitted=1, verified=0, closed=1),
         completion_rate=THIRD, closure_rate=THIRD, on_time_rate=1.0, overdue=1),
    dict(key="U02", total=2, states=dict(planned=1, in_progress=0, submitted=0, verified=1, closed=0),
         completion_rate=0.5, closure_rate=0.0, on_time_rate=1.0, overdue=0),
]
# By area: org_life = P1.M1 (closed), P1.M2 (verified); authenticity = P2.M1..P2.M3.
EXPECT_0430_AREAS = [
    dict(key="authenticity", total=3, states=dict(planned=2, in_progress=0, submitted=1, verified=0, closed=0),
         completion_rate=0.0, closure_rate=0.0, on_time_rate=None, overdue=1),
    dict(key="org_life", total=2, states=dict(planned=0, in_progress=0, submitted=0, verified=1, closed=1),
         completion_rate=1.0, closure_rate=0.5, on_time_rate=1.0, overdue=0),
]
# inputs: unit,rect_total,rect_completion_rate,rect_overdue,rect_returned,rect_on_time_rate
EXPECT_INPUTS = {
    "2026-04-30": [["U01", "3", repr(THIRD), "1", "1", "1"], ["U02", "2", "0.5", "0", "0", "1"]],
    # As of 03-28 (E1..E5): P2.M1 in progress after its return; nothing verified → empty on-time rate.
    "2026-03-28": [["U01", "3", "0", "0", "1", ""], ["U02", "2", "0", "0", "0", ""]],
    # As of 05-10: P1.M1 reopened (in progress, 10 days late), P2.M1 40 days late; U01 has nothing
    # verified or closed any more → empty on-time rate. U02: P1.M2 verified.
    "2026-05-10": [["U01", "3", "0", "2", "1", ""], ["U02", "2", "0.5", "0", "0", "1"]],
}
# P2.M1's escalation by date (due 03-31, remind 7, accountable 30): state, overdue, days, escalation.
EXPECT_P2M1 = {
    "2026-03-23": ("in_progress", False, 0, None),   # due − D = 8
    "2026-03-24": ("in_progress", False, 0, "remind"),  # 7
    "2026-03-31": ("in_progress", False, 0, "remind"),  # 0; returned 03-28, submitted again 04-06
    "2026-04-01": ("in_progress", True, 1, "warn"),
    "2026-04-30": ("submitted", True, 30, "warn"),
    "2026-05-01": ("submitted", True, 31, "accountable"),
}
# Ungrouped timeline 03-27..04-01 (5 measures): day, [planned, in_progress, submitted, verified,
# closed], overdue, completion rate. 03-27: P2.M1 submitted; 03-28: returned; 04-01: P1.M1
# started and P2.M1 one day late.
EXPECT_TIMELINE = [
    ("2026-03-27", [4, 0, 1, 0, 0], 0, 0.0),
    ("2026-03-28", [4, 1, 0, 0, 0], 0, 0.0),
    ("2026-03-29", [4, 1, 0, 0, 0], 0, 0.0),
    ("2026-03-30", [4, 1, 0, 0, 0], 0, 0.0),
    ("2026-03-31", [4, 1, 0, 0, 0], 0, 0.0),
    ("2026-04-01", [3, 2, 0, 0, 0], 1, 0.0),
]
# By unit 04-16..04-20: U01 has P1.M1 verified (closed from 04-20), P2.M1 submitted (overdue),
# P2.M3 planned; U02 has both measures planned.
EXPECT_TIMELINE_UNITS = []
for _d in ["04-16", "04-17", "04-18", "04-19", "04-20"]:
    _u01 = [1, 0, 1, 0, 1] if _d == "04-20" else [1, 0, 1, 1, 0]
    EXPECT_TIMELINE_UNITS.append(("2026-" + _d, "U01", 3, _u01, 1, THIRD))
    EXPECT_TIMELINE_UNITS.append(("2026-" + _d, "U02", 2, [2, 0, 0, 0, 0], 0, 0.0))


def check_measure(label, got, want):
    bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    expect(label, not bad, f"got vs want: {bad}")


def check_groups(label, got, want):
    expect(label, got == want, f"\n      got:  {got}\n      want: {want}")


def status_json(r, as_of, by="unit"):
    code, out, err = r("ledger", "status", LEDGER, "--as-of", as_of, "--by", by, "--format", "json")
    if code != 0:
        expect(f"status --as-of {as_of} --by {by} --format json: exit 0", False, err.strip())
        return None
    return json.loads(out)


def check_status(r):
    doc = status_json(r, "2026-04-30")
    if doc is None:
        return
    expect("status json: top-level keys as_of, measures, groups", list(doc) == ["as_of", "measures", "groups"],
           str(list(doc)))
    expect("status json: as_of", doc["as_of"] == "2026-04-30")
    expect("status json: measures in file order",
           [m["id"] for m in doc["measures"]] == ["P1.M1", "P1.M2", "P2.M1", "P2.M2", "P2.M3"])
    by_id = {m["id"]: m for m in doc["measures"]}
    for mid, want in EXPECT_0430_MEASURES.items():
        check_measure(f"status json 2026-04-30: {mid}", by_id.get(mid, {}), want)
    keys = ["id", "state", "overdue", "days_overdue", "escalation"]
    expect("status json: every measure has id, state, overdue, days_overdue, escalation",
           all(all(k in m for k in keys) for m in doc["measures"]))
    check_groups("status json 2026-04-30 by unit", doc["groups"], EXPECT_0430_UNITS)
    group_keys = ["key", "total", "states", "completion_rate", "closure_rate", "on_time_rate", "overdue"]
    expect("status json: group keys in the contract's order", all(list(g) == group_keys for g in doc["groups"]))

    doc = status_json(r, "2026-04-30", "area")
    if doc:
        check_groups("status json 2026-04-30 by area (an empty on-time rate is null)", doc["groups"],
                     EXPECT_0430_AREAS)
    doc = status_json(r, "2026-04-30", "owner")
    if doc:
        got = {g["key"]: g["total"] for g in doc["groups"]}
        expect("status json by owner: one group per owner, 周干事 has P2.M2 and P2.M3",
               got == {"王干事": 1, "钱干事": 1, "孙科长": 1, "周干事": 2}, str(got))
        expect("status json by owner: keys sorted by bytes", [g["key"] for g in doc["groups"]] ==
               sorted(got, key=lambda k: k.encode("utf-8")))
    doc = status_json(r, "2026-04-30", "leader")
    if doc:
        got = {g["key"]: g["total"] for g in doc["groups"]}
        expect("status json by leader: 李书记 2, 赵书记 1, the rest without a leader",
               got.get("李书记") == 2 and got.get("赵书记") == 1 and sum(got.values()) == 5, str(got))

    for day, (state, overdue, days, esc) in EXPECT_P2M1.items():
        doc = status_json(r, day)
        if doc:
            m = next(m for m in doc["measures"] if m["id"] == "P2.M1")
            check_measure(f"status json {day}: P2.M1 {state}, overdue {overdue}, {days} days, escalation {esc}",
                          m, dict(state=state, overdue=overdue, days_overdue=days, escalation=esc))

    # The date of an event is read in its own offset: E23 (04-26 23:30 at -02:00) counts on 04-26.
    for day, state in [("2026-04-25", "submitted"), ("2026-04-26", "verified")]:
        doc = status_json(r, day)
        if doc:
            m = next(m for m in doc["measures"] if m["id"] == "P1.M2")
            expect(f"status json {day}: P1.M2 {state} (the event's own offset decides its date)",
                   m["state"] == state, m["state"])

    doc = status_json(r, "2026-05-10")
    if doc:
        by_id = {m["id"]: m for m in doc["measures"]}
        check_measure("status json 2026-05-10: P1.M1 reopened, 10 days late, warn", by_id["P1.M1"],
                      dict(state="in_progress", overdue=True, days_overdue=10, escalation="warn"))
        check_measure("status json 2026-05-10: P2.M1 40 days late, accountable", by_id["P2.M1"],
                      dict(state="submitted", overdue=True, days_overdue=40, escalation="accountable"))
        u01 = doc["groups"][0]
        expect("status json 2026-05-10: U01 has nothing verified or closed, on-time rate null",
               u01["key"] == "U01" and u01["on_time_rate"] is None and u01["completion_rate"] == 0
               and u01["overdue"] == 2, str(u01))

    # The default --as-of is today's local date.
    code, out, _ = r("ledger", "status", LEDGER, "--format", "json")
    today = datetime.date.today().isoformat()
    expect("status without --as-of: as of today", code == 0 and json.loads(out)["as_of"] == today,
           out[:100])

    # CSV: one row per measure, full precision, empty cells for nothing.
    code, out, err = r("ledger", "status", LEDGER, "--as-of", "2026-04-30", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    expect("status csv: exit 0, header", code == 0 and rows and rows[0][:12] == [
        "id", "problem", "area", "unit", "leader", "owner", "kind", "due", "state", "overdue", "days_overdue",
        "escalation"], str(rows[:1]) + err)
    if code == 0:
        recs = {r_["id"]: r_ for r_ in csv.DictReader(io.StringIO(out))}
        expect("status csv: P2.M1 submitted, true, 30, warn, no days to verify",
               (recs["P2.M1"]["state"], recs["P2.M1"]["overdue"], recs["P2.M1"]["days_overdue"],
                recs["P2.M1"]["escalation"], recs["P2.M1"]["days_to_verify"]) == ("submitted", "true", "30", "warn", ""),
               str(recs["P2.M1"]))
        expect("status csv: P1.M1 closed on 2026-04-20, 15 days to verify",
               (recs["P1.M1"]["closed_on"], recs["P1.M1"]["days_to_verify"], recs["P1.M1"]["escalation"]) ==
               ("2026-04-20", "15", ""), str(recs["P1.M1"]))

    # Table: Chinese headers and state labels, aligned by display width.
    code, out, err = r("ledger", "status", LEDGER, "--as-of", "2026-04-30")
    lines = out.splitlines()
    expect("status table: exit 0, title names the ledger and the date",
           code == 0 and lines and "测试用整改台账" in lines[0] and "2026-04-30" in lines[0], out[:300] + err)
    block = table_block(lines, "措施")
    expect("status table: measure header", block and [c for c, _ in cells_with_starts(block[0])][:7] ==
           ["措施", "单位", "分管领导", "责任人", "类型", "期限", "状态"], block[:1])
    rows = {cells_with_starts(line)[0][0]: [c for c, _ in cells_with_starts(line)] for line in block[1:]}
    expect("status table: P1.M1 已销号, P2.M1 待验收 30 days 预警, P2.M2 未启动",
           rows.get("P1.M1", [""] * 7)[6] == "已销号" and rows.get("P2.M1", [""] * 7)[6] == "待验收"
           and "30" in rows.get("P2.M1", []) and "预警" in rows.get("P2.M1", [])
           and rows.get("P2.M2", [""] * 7)[6] == "未启动", str(rows))
    expect("status table: measure columns line up by display width", block and aligned(block, [0, 1, 2, 3, 4, 5, 6]),
           "\n".join(block))
    gblock = table_block(lines, "单位")
    grows = {cells_with_starts(line)[0][0]: [c for c, _ in cells_with_starts(line)] for line in gblock[1:]}
    expect("status table: U01 group 3 measures, 33.3% completion and closure, 100.0% on time, 1 overdue",
           grows.get("U01") == ["U01", "3", "1", "0", "1", "0", "1", "33.3%", "33.3%", "100.0%", "1"], str(grows))
    expect("status table: no trailing spaces", all(line == line.rstrip() for line in lines))
    code, out, _ = r("ledger", "status", LEDGER, "--as-of", "2026-04-30", "--by", "area")
    gblock = table_block(out.splitlines(), "领域")
    grows = {cells_with_starts(line)[0][0]: [c for c, _ in cells_with_starts(line)] for line in gblock[1:]}
    expect("status table by area: names the area, an empty rate shows as -",
           grows.get("authenticity") == ["authenticity", "材料真实性", "3", "2", "0", "1", "0", "0", "0.0%", "0.0%",
                                         "-", "1"], str(grows))


def check_overdue(r):
    code, out, err = r("ledger", "overdue", LEDGER, "--as-of", "2026-05-10", "--format", "json")
    if code != 0:
        expect("overdue json: exit 0", False, err)
        return
    doc = json.loads(out)
    got = [(m["id"], m["days_overdue"], m["escalation"]) for m in doc["measures"]]
    expect("overdue json 2026-05-10: P2.M1 40 accountable, then P1.M1 10 warn",
           doc["as_of"] == "2026-05-10" and got == [("P2.M1", 40, "accountable"), ("P1.M1", 10, "warn")], str(got))
    code, out, _ = r("ledger", "overdue", LEDGER, "--as-of", "2026-05-10", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    expect("overdue csv 2026-05-10: same order and days",
           [(x["id"], x["days_overdue"]) for x in rows] == [("P2.M1", "40"), ("P1.M1", "10")], out)
    code, out, _ = r("ledger", "overdue", LEDGER, "--as-of", "2026-05-10")
    lines = out.splitlines()
    block = table_block(lines, "措施")
    expect("overdue table 2026-05-10: two rows, most days first, 整改中 for the reopened measure",
           code == 0 and len(block) == 3 and block[1].startswith("P2.M1") and block[2].startswith("P1.M1")
           and "整改中" in block[2] and "问责" in block[1], out)
    code, out, _ = r("ledger", "overdue", LEDGER, "--as-of", "2026-03-28", "--format", "json")
    expect("overdue json 2026-03-28: none", code == 0 and json.loads(out)["measures"] == [], out)
    code, out, _ = r("ledger", "overdue", LEDGER, "--as-of", "2026-03-28", "--format", "csv")
    expect("overdue csv 2026-03-28: the header only", code == 0 and out.count("\n") == 1 and out.startswith("id,"),
           out)
    code, out, _ = r("ledger", "overdue", LEDGER, "--as-of", "2026-03-28")
    expect("overdue table 2026-03-28: says there is none", code == 0 and "没有逾期" in out, out)


def check_inputs(r):
    head = ["unit", "rect_total", "rect_completion_rate", "rect_overdue", "rect_returned", "rect_on_time_rate"]
    for day, want in EXPECT_INPUTS.items():
        code, out, err = r("ledger", "inputs", LEDGER, "--as-of", day)
        rows = list(csv.reader(io.StringIO(out)))
        expect(f"inputs {day}: {want}", code == 0 and rows == [head] + want, f"exit {code}: {rows} {err}")


def check_timeline(r):
    code, out, err = r("ledger", "timeline", LEDGER, "--from", "2026-03-27", "--to", "2026-04-01", "--format",
                       "json")
    if code == 0:
        doc = json.loads(out)
        got = [(x["day"], [x["states"][s] for s in STATES], x["overdue"], x["completion_rate"]) for x in doc["rows"]]
        expect("timeline json 03-27..04-01, one series", got == EXPECT_TIMELINE and doc["by"] is None
               and all(x["total"] == 5 and x["key"] is None for x in doc["rows"]), f"\n      got:  {got}")
    else:
        expect("timeline json: exit 0", False, err)
    code, out, err = r("ledger", "timeline", LEDGER, "--from", "2026-04-16", "--to", "2026-04-20", "--by", "unit",
                       "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    got = [(x["day"], x["key"], int(x["total"]), [int(x[s]) for s in STATES], int(x["overdue"]),
            float(x["completion_rate"])) for x in rows] if code == 0 else err
    expect("timeline csv 04-16..04-20 by unit, day-major, full precision", got == EXPECT_TIMELINE_UNITS,
           f"\n      got:  {got}\n      want: {EXPECT_TIMELINE_UNITS}")
    expect("timeline csv: the rate of 1/3 at full precision", repr(THIRD) in out, out)
    code, out, _ = r("ledger", "timeline", LEDGER, "--from", "2026-03-27", "--to", "2026-04-01")
    block = table_block(out.splitlines(), "日期")
    expect("timeline table: 6 days under Chinese headers",
           code == 0 and len(block) == 7 and [c for c, _ in cells_with_starts(block[0])] ==
           ["日期", "措施数", "未启动", "整改中", "待验收", "已验收", "已销号", "逾期", "完成率"], out)

    # One replay for the series must agree with a status per day.
    first, last = datetime.date(2026, 3, 19), datetime.date(2026, 5, 12)
    code, out, err = r("ledger", "timeline", LEDGER, "--from", first.isoformat(), "--to", last.isoformat(), "--by",
                       "unit", "--format", "json")
    if code != 0:
        expect("timeline json over 55 days: exit 0", False, err)
        return
    series = {(x["day"], x["key"]): x for x in json.loads(out)["rows"]}
    bad = []
    day = first
    while day <= last:
        doc = status_json(r, day.isoformat())
        for g in doc["groups"] if doc else []:
            t = series.get((day.isoformat(), g["key"]))
            if not t or (t["total"], t["states"], t["overdue"], t["completion_rate"]) != (
                    g["total"], g["states"], g["overdue"], g["completion_rate"]):
                bad.append((day.isoformat(), g["key"], t, g))
        day += datetime.timedelta(days=1)
    expect("timeline by unit 03-19..05-12 equals status --by unit for every day", not bad and
           len(series) == 2 * 55, str(bad[:2]))


def check_usage(r, path):
    snap = freeze(path)

    def usage(label, *args, says=None):
        code, out, err = r(*args)
        expect(f"usage: {label}: exit 2, nothing on stdout", code == 2 and out == "", f"exit {code}; {err.strip()}")
        if says:
            expect(f"usage: {label}: says {says!r}", says in err, err.strip())

    usage("--as-of 2026-02-30", "ledger", "status", LEDGER, "--as-of", "2026-02-30", says="YYYY-MM-DD")
    usage("--as-of 2026/04/30", "ledger", "overdue", LEDGER, "--as-of", "2026/04/30", says="2026/04/30")
    usage("inputs --as-of 30.04.2026", "ledger", "inputs", LEDGER, "--as-of", "30.04.2026", says="YYYY-MM-DD")
    usage("timeline --to before --from", "ledger", "timeline", LEDGER, "--from", "2026-04-10", "--to", "2026-04-01",
          says="before")
    usage("timeline --from 2026-13-01", "ledger", "timeline", LEDGER, "--from", "2026-13-01", "--to", "2026-12-31")
    usage("timeline without --to", "ledger", "timeline", LEDGER, "--from", "2026-04-01")
    usage("status --by team", "ledger", "status", LEDGER, "--by", "team")
    usage("status --format xml", "ledger", "status", LEDGER, "--format", "xml")
    usage("ledger without a subcommand", "ledger")
    usage("act without --by", "ledger", "act", LEDGER, "P2.M2", "start", "--at", at("06-01"))
    usage("act with an unknown action", "ledger", "act", LEDGER, "P2.M2", "begin", "--by", "周干事")
    usage("act --at without an offset", "ledger", "act", LEDGER, "P2.M2", "start", "--by", "周干事", "--at",
          "2026-06-01T09:00:00", says="offset")
    usage("act --at with a space", "ledger", "act", LEDGER, "P2.M2", "start", "--by", "周干事", "--at",
          "2026-06-01 09:00:00+08:00")
    usage("act --at a date only", "ledger", "act", LEDGER, "P2.M2", "start", "--by", "周干事", "--at", "2026-06-01")
    usage("act --level x", "ledger", "act", LEDGER, "P2.M1", "approve", "--by", "李书记", "--level", "x")
    usage("act --level 0", "ledger", "act", LEDGER, "P2.M1", "approve", "--by", "李书记", "--level", "0")
    usage("evidence without --file", "ledger", "act", LEDGER, "P2.M2", "evidence", "--by", "周干事", "--at",
          at("06-01"), says="--file")
    usage("--file with start", "ledger", "act", LEDGER, "P2.M2", "start", "--by", "周干事", "--at", at("06-01"),
          "--file", path, says="--file")
    expect("usage errors leave the ledger untouched", untouched(path, snap))

    def invalid(label, *args, first=None):
        snap_ = freeze(path)
        code, out, err = r(*args)
        lines = err.splitlines()
        expect(f"invalid: {label}: exit 1, nothing on stdout", code == 1 and out == "", f"exit {code}; {err}")
        if first:
            expect(f"invalid: {label}: says {first!r}", lines and first in lines[0], err.strip())
        expect(f"invalid: {label}: the ledger is untouched", untouched(path, snap_))

    invalid("evidence file missing", "ledger", "act", LEDGER, "P2.M2", "evidence", "--by", "周干事", "--at",
            at("06-01"), "--file", "no/such/file.pdf", first="[rectify.io.open]")
    invalid("unknown measure", "ledger", "act", LEDGER, "P9.M9", "start", "--by", "周干事", "--at", at("06-01"),
            first="P9.M9")
    invalid("unknown task", "ledger", "act", LEDGER, "P2.M2", "task_done", "--by", "周干事", "--at", at("06-01"),
            "--task", "P2.M2.T9", first="P2.M2.T9")
    invalid("status of a missing file", "ledger", "status", "missing.json", first="[rectify.io.open]")


def check_now(cli, tmp):
    """--at left out records now, in local time with its offset."""
    fresh = os.path.join(tmp, "fresh")
    os.makedirs(fresh)
    shutil.copy(SMALL, os.path.join(fresh, LEDGER))
    r = Runner(cli, fresh)
    before = datetime.datetime.now(datetime.timezone.utc)
    code, out, err = r("ledger", "act", LEDGER, "P2.M2", "start", "--by", "周干事")
    after = datetime.datetime.now(datetime.timezone.utc)
    if code != 0:
        expect("act without --at: exit 0", False, err)
        return
    text = json.loads(out)["at"]
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(Z|[+-]\d\d:\d\d)", text)
    expect("act without --at: `at` carries an offset", m is not None, text)
    if m:
        t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        local_offset = datetime.datetime.now().astimezone().utcoffset()
        expect("act without --at: now, in the local offset",
               before - datetime.timedelta(seconds=2) <= t <= after + datetime.timedelta(seconds=2)
               and t.utcoffset() == local_offset, f"{text}, local offset {local_offset}")
    code, out, _ = r("ledger", "verify", LEDGER)
    expect("act without --at: the ledger verifies", code == 0, out)


def check_verify(r, tmp, path, printed):
    n = len(printed)
    code, out, err = r("ledger", "verify", LEDGER)
    expect(f"verify: exit 0, `{LEDGER}: ok, {n} events, chain intact`",
           code == 0 and out == f"{LEDGER}: ok, {n} events, chain intact\n" and err == "", out + err)
    code, out, err = r("ledger", "validate", LEDGER)
    expect("validate: exit 0, one line naming the ledger", code == 0 and out.startswith(f"{LEDGER}: valid: test-small")
           and f"{n} events" in out and out.count("\n") == 1, out + err)
    doc = load(path)
    problem = chain_problem(doc["log"])
    expect("the chain recomputed with hashlib from the contract", problem is None, problem or "")
    expect("the file's log is exactly the events printed", doc["log"] == printed)

    # Re-indented, with every object's keys reversed: still verifies (the hash covers canonical JSON).
    def reverse_keys(v):
        if isinstance(v, dict):
            return {k: reverse_keys(v[k]) for k in reversed(list(v))}
        if isinstance(v, list):
            return [reverse_keys(x) for x in v]
        return v

    other = os.path.join(tmp, "reindented.json")
    with open(other, "w", encoding="utf-8") as f:
        json.dump(reverse_keys(doc), f, ensure_ascii=False, indent=5)
    code, out, err = r("ledger", "verify", "reindented.json")
    expect("verify: a re-indented file with its keys reversed still verifies", code == 0, out + err)

    # A recorded state that disagrees with the replay.
    if any("state" in m for p in doc["problems"] for m in p["measures"]):
        wrong = json.loads(json.dumps(doc))
        wrong["problems"][1]["measures"][1]["state"] = "closed"  # P2.M2 is planned
        bad = os.path.join(tmp, "wrong_state.json")
        with open(bad, "w", encoding="utf-8") as f:
            json.dump(wrong, f, ensure_ascii=False, indent=2)
        code, out, err = r("ledger", "verify", "wrong_state.json")
        expect("verify: a recorded state that disagrees with the replay: exit 1, recorded_state",
               code == 1 and out == "" and "[rectify.ledger.recorded_state]" in err, err)

    # One byte of E5's note: "page 3" -> "page 4".
    with open(path, "rb") as f:
        data = f.read()
    needle = "(page 3)".encode("utf-8")
    expect("tamper: the note is in the file once", data.count(needle) == 1)
    tampered = data.replace(needle, "(page 4)".encode("utf-8"))
    expect("tamper: exactly one byte differs", sum(a != b for a, b in zip(data, tampered)) == 1)
    with open(path, "wb") as f:
        f.write(tampered)
    want = f"rectify: {LEDGER}: [rectify.ledger.chain] /log/4: seq 5: "
    code, out, err = r("ledger", "verify", LEDGER)
    first = err.splitlines()[0] if err else ""
    expect("verify after tampering E5's note: exit 1, nothing on stdout", code == 1 and out == "", out + err)
    expect(f"verify after tampering: names it as {want!r}", first.startswith(want), first)
    for args in (["status", LEDGER, "--as-of", "2026-04-30"], ["inputs", LEDGER, "--as-of", "2026-04-30"],
                 ["validate", LEDGER]):
        code, out, err = r("ledger", *args)
        first = err.splitlines()[0] if err else ""
        expect(f"{args[0]} of a tampered ledger: exit 1 naming seq 5", code == 1 and out == ""
               and first.startswith(want), first)
    snap = freeze(path)
    code, out, err = r("ledger", "act", LEDGER, "P2.M2", "start", "--by", "周干事", "--at", at("06-01"))
    expect("act on a tampered ledger: exit 1, the file untouched", code == 1 and out == "" and untouched(path, snap),
           err)


def check_bad_files(cli, tmp):
    """tests/data/ledger_bad/: each file fails validate, verify and status with its pinned line."""
    expected = {}
    with open(os.path.join(BAD, "expected.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                name, _, message = line.partition("\t")
                expected[name] = message
    files = sorted(f for f in os.listdir(BAD) if f.endswith(".json"))
    expect("ledger_bad: every file has a line in expected.txt and the other way round", set(files) == set(expected),
           str(set(files) ^ set(expected)))
    r = Runner(cli, BAD)
    for name in files:
        want = expected.get(name, "")
        for args in (["validate", name], ["verify", name], ["status", name, "--as-of", "2026-04-30"]):
            code, out, err = r("ledger", *args)
            lines = err.splitlines()
            expect(f"rectify ledger {' '.join(args)}: exit 1, first line pinned",
                   code == 1 and out == "" and lines and lines[0] == want,
                   f"exit {code}\n      got:  {lines[0] if lines else ''}\n      want: {want}")
            if args[0] == "validate" and lines:
                m = re.fullmatch(r"rectify: (\d+) problems? in (.*)", lines[-1])
                expect(f"rectify ledger validate {name}: ends with the problem count",
                       m is not None and m.group(2) == name and int(m.group(1)) == len(lines) - 1, lines[-1])
        copy = os.path.join(tmp, name)
        shutil.copy(os.path.join(BAD, name), copy)
        snap = freeze(copy)
        code, out, err = Runner(cli, tmp)("ledger", "act", name, "P1.M1", "start", "--by", "王干事", "--at",
                                          at("12-01"))
        expect(f"rectify ledger act {name}: exit 1, the file untouched", code == 1 and out == ""
               and untouched(copy, snap), err.strip())


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    cli = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="rectify-ledger-cli-") as tmp:
        path = os.path.join(tmp, LEDGER)
        doc = load(SMALL)
        doc["problems"][1]["measures"].append({"id": "P2.M3", "text": "建立材料原创性抽查制度", "unit": "U01",
                                               "owner": "周干事", "due": "2026-06-30"})
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=2)
        r = Runner(cli, tmp)
        printed = workflow(r, tmp, path)
        expect("workflow: 24 events appended", len(printed) == 24, str(len(printed)))
        check_status(r)
        check_overdue(r)
        check_inputs(r)
        check_timeline(r)
        check_usage(r, path)
        check_now(cli, tmp)
        check_verify(r, tmp, path, printed)
        check_bad_files(cli, tmp)
    print(f"{len(failures)} failure(s)" if failures else "all ledger CLI checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
