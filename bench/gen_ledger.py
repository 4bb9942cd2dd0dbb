#!/usr/bin/env python3
"""Writes the benchmark ledger: 100,000 measures and 1,000,000 valid, chained events.

    python3 bench/gen_ledger.py /tmp/bench_ledger.json
    python3 bench/gen_ledger.py OUT --measures 1000 --events 10000   # a small one

Deterministic (seeded; the same arguments give the same bytes) and standard library only. A
bureau of 1,000 units and ten areas; 10,000 problems of ten measures each, every measure owned
in one unit, 70 % `deadline`, 20 % `long_term`, 10 % `immediate`, due between April and
December 2026, with 0–3 tasks. The log covers 2026 in the +08:00 offset: each measure is
started, its tasks done, evidence added, submitted, reviewed at three levels (about one
submission in six is returned once with a note), closed, and one in fifty is reopened and goes
round again; some measures are not started and some stop half-way, so the states as of any
date are mixed. Scripts are cut so that the log holds exactly --events events (a prefix of a
measure's script is itself a valid script). All events are merged by time, run through the
guards of ledger.md §2 (ledger_chain.Guards) and chained (ledger_chain.Chain), so the file
passes `rectify ledger verify`.

Layout: one problem per line in `problems` and one event per line in `log` (each event in its
canonical form plus `hash`), so the file is what a tool would append to, not one long line.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ledger_chain import Chain, Guards, MeasureInfo  # noqa: E402

LEVELS = ["科长初审", "办公室主任复核", "领导审定"]
AREAS = [("org_life", "“三会一课”落实"), ("study", "政治理论学习"), ("authenticity", "材料真实性"),
         ("civilisation", "精神文明创建"), ("integrity", "党风廉政建设"), ("team", "队伍建设"),
         ("conduct", "作风建设"), ("safety", "安全生产"), ("finance", "财务管理"), ("service", "路政服务")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉鹏玲斌波宇浩凯健俊帆帅旭宁龙林"
MEASURE_TEXT = ["制定整改工作计划并组织实施", "完善制度并抓好落实", "开展专项检查并及时纠正问题",
                "组织集中学习和专题培训", "规范资料归档,做到真实完整", "建立长效机制,定期回头看"]
YEAR0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
T0 = int(YEAR0.timestamp())  # seconds of 2026-01-01T00:00:00+08:00
DAY = 86400
YEAR_END = 365 * DAY - 1  # the last second of 2026, local


def name_pool(rng: random.Random, n: int, taken: set[str]) -> list[str]:
    """`n` distinct Chinese names (surname + one or two given characters) not in `taken`."""
    out = []
    while len(out) < n:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out


def day_text(d: int) -> str:
    return (YEAR0 + dt.timedelta(days=d)).date().isoformat()


def build_plan(rng: random.Random, n_measures: int, n_units: int):
    taken: set[str] = set()
    reviewers = [name_pool(rng, 12, taken) for _ in LEVELS]
    closers = name_pool(rng, 6, taken)
    leaders = name_pool(rng, n_units, taken)
    owners = name_pool(rng, 2 * n_units, taken)
    units = [f"U{i:04d}" for i in range(1, n_units + 1)]
    per_problem = 10
    problems, measures = [], []
    for pi in range((n_measures + per_problem - 1) // per_problem):
        area = AREAS[pi % len(AREAS)][0]
        pid = f"P{pi + 1:05d}"
        ms, punits = [], []
        for mi in range(min(per_problem, n_measures - pi * per_problem)):
            u = rng.randrange(n_units)
            if units[u] not in punits:
                punits.append(units[u])
            r = rng.random()
            kind = "deadline" if r < 0.7 else "long_term" if r < 0.9 else "immediate"
            due_day = rng.randint(89, 364) if kind != "immediate" else rng.randint(75, 120)  # Apr..Dec
            mid = f"{pid}.M{mi + 1:02d}"
            m = {"id": mid, "text": rng.choice(MEASURE_TEXT), "kind": kind, "unit": units[u],
                 "leader": leaders[u], "owner": owners[2 * u + rng.randint(0, 1)], "due": day_text(due_day)}
            nt = rng.choice((0, 0, 1, 2, 3))
            if nt:
                m["tasks"] = [{"id": f"{mid}.T{k}", "text": f"完成第{k}项任务", "due": day_text(max(60, due_day - 30 * (nt - k)))}
                              for k in range(1, nt + 1)]
            ms.append(m)
            measures.append((m, due_day))
        problems.append({"id": pid, "area": area, "title": f"{AREAS[pi % len(AREAS)][1]}问题{pi + 1}",
                         "units": punits, "severity": "major" if pi % 3 == 0 else "general", "measures": ms})
    return problems, measures, reviewers, closers


def script(rng: random.Random, m: dict, due_day: int, reviewers, closers) -> list[tuple]:
    """One measure's events as (t, action, by, extra) with t in seconds from 2026-01-01 local.
    Cut at the end of 2026."""
    owner = m["owner"]
    tasks = [t["id"] for t in m.get("tasks", [])]
    out: list[tuple] = []
    r = rng.random()
    if r < 0.03:
        return out  # never started
    t = rng.randint(60, 200) * DAY + rng.randint(30600, 63000)  # Mar..Jul, 08:30..17:30
    stop = rng.randint(2, 12) if r < 0.18 else 10**6  # a measure that stalls half-way
    who = [rng.choice(pool) for pool in reviewers]
    ev_no = 0

    def step(lo: int = 600, hi: int = 9 * DAY) -> int:
        nonlocal t
        t += rng.randint(lo, hi)
        return t

    def evidence() -> tuple:
        nonlocal ev_no
        ev_no += 1
        name = f"{m['id']}-材料{ev_no}.pdf"
        return ("evidence", owner, {"evidence": {"name": name, "sha256": hashlib.sha256(name.encode()).hexdigest(),
                                                 "bytes": rng.randint(20_000, 3_000_000)}})

    def submission(first: bool) -> None:
        out.append((step(), "submit", owner, None))
        if first and rng.random() < 0.17:  # returned once, at level 1 or 2
            k = rng.randint(1, 2)
            for lv in range(1, k):
                out.append((step(), "approve", who[lv - 1], {"level": lv}))
            out.append((step(), "return", who[k - 1], {"level": k, "note": "材料不完整,请补充后重新提交"}))
            out.append((step(), *evidence()))
            out.append((step(), "submit", owner, None))
        for lv in range(1, len(LEVELS) + 1):
            out.append((step(), "approve", who[lv - 1], {"level": lv}))

    out.append((t, "start", owner, None))
    n_ev = rng.randint(2, 5)
    for k in range(max(len(tasks), n_ev)):
        if k < len(tasks):
            out.append((step(), "task_done", owner, {"task": tasks[k]}))
        if k < n_ev:
            out.append((step(), *evidence()))
    submission(True)
    if rng.random() < 0.85:
        close_at = step(3600, 10 * DAY)
        if m["kind"] == "long_term":
            close_at = t = max(close_at, (due_day + 1) * DAY + 32400)  # strictly after due
        out.append((close_at, "close", rng.choice(closers), None))
        if rng.random() < 0.02:  # 回头看 found a relapse
            out.append((step(5 * DAY, 30 * DAY), "reopen", rng.choice(closers), {"note": "回头看发现问题反弹,重新整改"}))
            out.append((step(), *evidence()))
            submission(False)
            out.append((step(), "close", rng.choice(closers), None))
    out = out[:stop]
    return [e for e in out if e[0] <= YEAR_END]


def at_text(t: int, days: list[str]) -> str:
    d, s = divmod(t, DAY)
    return f"{days[d]}T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+08:00"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Write the benchmark ledger (deterministic).")
    ap.add_argument("output")
    ap.add_argument("--measures", type=int, default=100_000)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args(argv)
    t_begin = time.perf_counter()
    rng = random.Random(a.seed)
    problems, measures, reviewers, closers = build_plan(rng, a.measures, a.units)
    scripts = [script(rng, m, due, reviewers, closers) for m, due in measures]
    total = sum(map(len, scripts))
    if total < a.events:
        sys.exit(f"gen_ledger: the scripts hold only {total} events, fewer than --events {a.events}; "
                 "use more measures")
    # Cut the excess evenly over the measures, one trailing event at a time: a prefix of a
    # valid script is valid.
    excess, n = total - a.events, len(scripts)
    while excess:
        stride, cut = max(1, n // excess), 0
        for j in range(0, n, stride):
            if excess == 0:
                break
            if len(scripts[j]) > 1:
                scripts[j].pop()
                excess -= 1
                cut += 1
        if not cut:
            sys.exit("gen_ledger: cannot cut the scripts to --events")
    merged = [(e[0], mi, k, e) for mi, s in enumerate(scripts) for k, e in enumerate(s)]
    merged.sort(key=lambda x: (x[0], x[1], x[2]))
    del scripts

    infos = {m["id"]: MeasureInfo(owner=m["owner"], due=m["due"], kind=m["kind"],
                                  tasks=tuple(t["id"] for t in m.get("tasks", []))) for m, _ in measures}
    guards, chain = Guards(infos, len(LEVELS)), Chain()
    days = [day_text(d) for d in range(366)]
    lines = []
    for t, mi, _, (_, action, by, extra) in merged:
        e = {"at": at_text(t, days), "by": by, "measure": measures[mi][0]["id"], "action": action}
        if extra:
            e.update(extra)
        guards.apply(e, T0 + t)
        lines.append(chain.seal_canonical(e))
    for m, _ in measures:
        m["state"] = guards.progress[m["id"]].state
    doc = {"format": "rectify.ledger/1", "id": "bench-ledger", "title": "基准测试整改台账",
           "source": {"kind": "检查", "ref": "bench/gen_ledger.py", "feedback": "2026-03-01"},
           "review_levels": LEVELS, "escalation": {"remind_days": 7, "accountable_days": 30},
           "areas": [{"id": i, "name": n} for i, n in AREAS]}
    head = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))[:-1]
    tmp = a.output + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(head + ',\n"problems":[\n')
        f.write(",\n".join(json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in problems))
        f.write('\n],\n"log":[\n')
        f.write(",\n".join(lines))
        f.write("\n]}\n")
    os.replace(tmp, a.output)
    counts: dict[str, int] = {}
    for p in guards.progress.values():
        counts[p.state] = counts.get(p.state, 0) + 1
    print(f"{a.output}: {a.measures} measures, {len(lines)} events, {os.path.getsize(a.output) / 1e6:.1f} MB in "
          f"{time.perf_counter() - t_begin:.1f} s; final states "
          + ", ".join(f"{k} {counts.get(k, 0)}" for k in ("planned", "in_progress", "submitted", "verified", "closed")),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
