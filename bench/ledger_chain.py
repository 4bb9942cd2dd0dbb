"""The ledger's hash chain and workflow guards in plain Python (standard library only).

Used by the generators that write ledgers without the C++ library: examples/data/make_ledger.py
(the sample ledger) and bench/gen_ledger.py (the benchmark ledger). It follows the contract
(ledger.md §2 and §3) so that what they write passes `rectify ledger verify`:

- `canonical_json(event)`: the event without `hash`, keys sorted by code point, no whitespace,
  strings escaped only where JSON requires, non-ASCII kept as UTF-8 — exactly what
  `json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)` produces.
- `event_hash(prev, event)`: SHA-256 over the 64 hex characters of `prev` followed by the UTF-8
  bytes of the canonical JSON.
- `Chain`: numbers events (`seq` 1…n), links them (`prev`) and seals them (`hash`).
- `Guards`: replays events one by one with every guard of §2 and says why it would refuse one.
  The generators run every event through it, so a log they write is valid by construction and
  a mistake in a generator's scenario fails loudly instead of producing a ledger that `verify`
  rejects later.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

ZERO = "0" * 64
STATES = ("planned", "in_progress", "submitted", "verified", "closed")
ACTIONS = ("start", "evidence", "submit", "approve", "return", "close", "reopen", "task_done")

# The optional keys each action needs; any other optional key but `note` is refused
# (ledger.md §2; a note is welcome on every action and required on return and reopen).
_NEEDS = {
    "start": set(),
    "evidence": {"evidence"},
    "submit": set(),
    "approve": {"level"},
    "return": {"level", "note"},
    "close": set(),
    "reopen": {"note"},
    "task_done": {"task"},
}
_REQUIRED = ("seq", "at", "by", "measure", "action", "prev")
_OPTIONAL = {"level", "task", "note", "evidence"}


# json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False), with the encoder
# built once: json.dumps builds a new one on every call with non-default arguments, which is
# most of its cost for a million small events.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(event: dict) -> str:
    """The canonical JSON of an event without its `hash` (ledger.md §3)."""
    if "hash" in event:
        event = {k: v for k, v in event.items() if k != "hash"}
    return _CANONICAL.encode(event)


def event_hash(prev: str, event: dict) -> str:
    """SHA-256 (lowercase hex) of `prev` followed by the event's canonical JSON."""
    return hashlib.sha256((prev + canonical_json(event)).encode("utf-8")).hexdigest()


class Chain:
    """Numbers, links and seals events as they are appended."""

    def __init__(self) -> None:
        self.seq = 0
        self.last = ZERO

    def seal(self, event: dict) -> dict:
        """Sets `seq`, `prev` and `hash` of `event` (in place) and returns it."""
        self.seq += 1
        event["seq"] = self.seq
        event["prev"] = self.last
        event.pop("hash", None)
        event["hash"] = self.last = event_hash(self.last, event)
        return event

    def seal_canonical(self, event: dict) -> str:
        """Like `seal`, but returns the event as one line of JSON (the canonical text with
        `hash` added at the end) without a second serialisation: the fast path of
        bench/gen_ledger.py."""
        self.seq += 1
        event["seq"] = self.seq
        event["prev"] = self.last
        event.pop("hash", None)
        text = _CANONICAL.encode(event)
        self.last = hashlib.sha256((self.last + text).encode("utf-8")).hexdigest()
        return text[:-1] + ',"hash":"' + self.last + '"}'


def verify_chain(events: list[dict]) -> int | None:
    """The 0-based index of the first event whose `seq`, `prev` or `hash` is wrong, else None."""
    prev = ZERO
    for i, e in enumerate(events):
        if e.get("seq") != i + 1 or e.get("prev") != prev or e.get("hash") != event_hash(prev, e):
            return i
        prev = e["hash"]
    return None


def local_date(at: str) -> str:
    """The calendar date of an `at` text in its own offset (`YYYY-MM-DD`)."""
    return at[:10]


def instant(at: str) -> int:
    """Seconds since 1970 UTC of `YYYY-MM-DDTHH:MM:SS±HH:MM` (or `Z`), for ordering."""
    import datetime as _dt

    return int(_dt.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp())


@dataclass
class MeasureInfo:
    """What the guards need to know about a measure of the plan."""

    owner: str
    due: str  # YYYY-MM-DD
    kind: str = "deadline"
    tasks: tuple[str, ...] = ()


@dataclass
class Progress:
    """A measure's replayed state (as rectify::ledger::measure_progress)."""

    state: str = "planned"
    approvers: list[str] = field(default_factory=list)
    evidence_since_open: int = 0
    evidence_total: int = 0
    tasks_done: set[str] = field(default_factory=set)
    returns: int = 0
    reopens: int = 0
    started_on: str | None = None
    verified_on: str | None = None
    closed_on: str | None = None


class GuardError(ValueError):
    pass


class Guards:
    """Replays a log with the guards of ledger.md §2.

    `check(event)` returns the reason the next event would be refused (`P1.M1: submit needs
    evidence`) or None; `apply(event)` checks and records it. `seq`, `prev` and `hash` are the
    chain's business (`Chain`, `verify_chain`), not checked here.
    """

    def __init__(self, measures: dict[str, MeasureInfo], levels: int) -> None:
        if levels < 1:
            raise ValueError("at least one review level")
        self.measures = measures
        self.levels = levels
        self.progress: dict[str, Progress] = {mid: Progress() for mid in measures}
        self.last_instant: int | None = None
        self.events = 0

    def check(self, e: dict, when: int | None = None) -> str | None:
        """`when`: the event's instant, when the caller already has it (saves parsing)."""
        mid = e.get("measure")
        info = self.measures.get(mid)
        if info is None:
            return f"{mid}: unknown measure"
        act = e.get("action")
        if act not in _NEEDS:
            return f"{mid}: unknown action {act!r}"
        for k in _REQUIRED[1:5]:
            if not isinstance(e.get(k), str) or not e[k]:
                return f"{mid}: {k} missing"
        t = instant(e["at"]) if when is None else when
        if self.last_instant is not None and t < self.last_instant:
            return f"{mid}: at {e['at']} is earlier than the previous event"
        present = {k for k in _OPTIONAL if k in e}
        needs = _NEEDS[act]
        if needs - present:
            return f"{mid}: {act} needs {', '.join(sorted(needs - present))}"
        if present - needs - {"note"}:
            return f"{mid}: {act} takes no {', '.join(sorted(present - needs - {'note'}))}"
        if "task" in e and e["task"] not in info.tasks:
            return f"{mid}: unknown task {e['task']}"
        if "note" in needs and not e["note"].strip():  # str.strip() also strips U+3000
            return f"{mid}: {act} needs a note"
        p = self.progress[mid]
        s = p.state
        if act == "start":
            return None if s == "planned" else f"{mid}: start needs planned, not {s}"
        if act == "evidence":
            ev = e["evidence"]
            if not (isinstance(ev, dict) and set(ev) == {"name", "sha256", "bytes"}):
                return f"{mid}: evidence needs name, sha256 and bytes"
            return None if s != "closed" else f"{mid}: evidence on a closed measure"
        if act == "submit":
            if s != "in_progress":
                return f"{mid}: submit needs in_progress, not {s}"
            if p.evidence_since_open < 1:
                return f"{mid}: submit needs evidence"
            if len(p.tasks_done) < len(info.tasks):
                return f"{mid}: submit needs every task done"
            return None
        if act in ("approve", "return"):
            if s != "submitted":
                return f"{mid}: {act} needs submitted, not {s}"
            k = e["level"]
            if k != len(p.approvers) + 1 or k > self.levels:
                return f"{mid}: {act} at level {k}, but level {len(p.approvers) + 1} is reviewing"
            if e["by"] == info.owner:
                return f"{mid}: the owner may not review"
            if e["by"] in p.approvers:
                return f"{mid}: {e['by']} already approved a level of this submission"
            return None
        if act == "close":
            if s != "verified":
                return f"{mid}: close needs verified, not {s}"
            if e["by"] == info.owner:
                return f"{mid}: the owner may not close"
            if info.kind == "long_term" and local_date(e["at"]) <= info.due:
                return f"{mid}: a long_term measure closes only after {info.due}"
            return None
        if act == "reopen":
            return None if s in ("closed", "verified") else f"{mid}: reopen needs closed or verified, not {s}"
        # task_done
        if s != "in_progress":
            return f"{mid}: task_done needs in_progress, not {s}"
        if e["task"] in p.tasks_done:
            return f"{mid}: task {e['task']} already done"
        return None

    def apply(self, e: dict, when: int | None = None) -> None:
        t = instant(e["at"]) if when is None else when
        reason = self.check(e, t)
        if reason is not None:
            raise GuardError(reason)
        self.last_instant = t
        self.events += 1
        p = self.progress[e["measure"]]
        act, day = e["action"], local_date(e["at"])
        if act == "start":
            p.state = "in_progress"
            p.evidence_since_open = 0  # evidence filed while planned does not allow a submit
            if p.started_on is None:
                p.started_on = day
        elif act == "evidence":
            p.evidence_since_open += 1
            p.evidence_total += 1
        elif act == "submit":
            p.state = "submitted"
            p.approvers = []
        elif act == "approve":
            p.approvers.append(e["by"])
            if len(p.approvers) == self.levels:
                p.state = "verified"
                p.verified_on = day
        elif act == "return":
            p.state = "in_progress"
            p.approvers = []
            p.returns += 1
        elif act == "close":
            p.state = "closed"
            p.closed_on = day
        elif act == "reopen":
            p.state = "in_progress"
            p.approvers = []
            p.evidence_since_open = 0
            p.reopens += 1
        else:
            p.tasks_done.add(e["task"])
