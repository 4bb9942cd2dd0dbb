"""Writes the bad ledgers of this folder from ../ledger/small.json (python3 make.py).

The hashes are computed here from the contract (ledger.md §3), not by rectify, so the files that
must fail only on their one defect have an otherwise valid chain. expected.txt is not written
here: its lines are pinned by hand after reading each message.
"""
import copy, hashlib, json, os
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = HERE
base = json.load(open(os.path.join(HERE, "..", "ledger", "small.json"), encoding="utf-8"))
ZERO = "0" * 64

def canonical(e):
    return json.dumps({k: v for k, v in e.items() if k != "hash"}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

def chain(events):
    prev = ZERO
    out = []
    for e in events:
        e = dict(e)
        e["prev"] = prev
        e["hash"] = hashlib.sha256((prev + canonical(e)).encode()).hexdigest()
        prev = e["hash"]
        out.append(e)
    return out

def ev(seq, at, by, measure, action, **kw):
    e = {"seq": seq, "at": at, "by": by, "measure": measure, "action": action}
    e.update(kw)
    return e

EVID = {"name": "计划.pdf", "sha256": hashlib.sha256(b"plan").hexdigest(), "bytes": 4}
good = [ev(1, "2026-04-01T09:00:00+08:00", "王干事", "P1.M1", "start"),
        ev(2, "2026-04-02T09:00:00+08:00", "王干事", "P1.M1", "evidence", evidence=EVID),
        ev(3, "2026-04-03T09:00:00+08:00", "王干事", "P1.M1", "task_done", task="P1.M1.T1")]

def write(name, doc, raw=None):
    text = raw if raw is not None else json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    open(os.path.join(OUT, name), "w", encoding="utf-8").write(text)

def with_log(events):
    d = copy.deepcopy(base); d["log"] = events; return d

d = copy.deepcopy(base); d["problems"][0]["measures"][0]["deadline"] = "2026-04-30"; write("ledger_unknown_key.json", d)
d = copy.deepcopy(base); d["problems"][0]["measures"][1]["due"] = "2026-02-30"; write("ledger_bad_date.json", d)
d = copy.deepcopy(base); d["problems"][1]["area"] = "authenticty"; write("ledger_unknown_area.json", d)
d = copy.deepcopy(base); d["problems"][1]["measures"][1]["id"] = "P1.M1"; write("ledger_duplicate_id.json", d)
d = copy.deepcopy(base); del d["problems"][1]["measures"][0]["owner"]; write("ledger_missing_owner.json", d)
d = copy.deepcopy(base); d["format"] = "rectify.ledger/2"; write("ledger_wrong_format.json", d)
full = json.dumps(with_log(chain(good)), ensure_ascii=False, indent=2) + "\n"
write("ledger_truncated.json", None, full[: full.index('"task_done"') + 5])
log = chain(good); log[0]["at"] = "2026-04-01T09:00:00"; write("ledger_at_without_offset.json", with_log(log))
log = chain(good[:1] + [ev(2, "2026-04-02T09:00:00+08:00", "王干事", "P1.M1", "approv", level=1)]); write("ledger_unknown_action.json", with_log(log))
# Someone rewrote who added the evidence and recomputed that event's hash, but not the next prev.
log = chain(good); log[1]["by"] = "李书记"; log[1]["hash"] = hashlib.sha256((log[1]["prev"] + canonical(log[1])).encode()).hexdigest()
write("ledger_forged_hash.json", with_log(log))
g = copy.deepcopy(good); g[2]["seq"] = 4; write("ledger_seq_gap.json", with_log(chain(g)))
write("ledger_submit_without_evidence.json", with_log(chain([good[0], ev(2, "2026-04-02T09:00:00+08:00", "王干事", "P1.M1", "submit")])))
g = copy.deepcopy(good); g[2]["at"] = "2026-04-01T23:00:00+08:00"; write("ledger_time_backwards.json", with_log(chain(g)))
write("ledger_unknown_measure.json", with_log(chain([ev(1, "2026-04-01T09:00:00+08:00", "王干事", "P9.M9", "start")])))
