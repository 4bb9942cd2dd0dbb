#!/usr/bin/env python3
"""The benchmark scheme and its synthetic data.

    python bench/gen_scheme.py -o bench_scheme.json          # write the scheme (deterministic)
    python bench/gen_scheme.py --summary                     # what it contains

The scheme is a realistic 2026 annual assessment of a highway-maintenance centre's sections
(公路养护中心基层单位年度综合考核): 8 groups x 8 leaves = 64 leaves that mix every rule type
(linear benefit and cost, steps at_least and at_most, piecewise rising and falling, check,
direct, and deduction-only leaves), 32 leaves with 1-2 deductions (with and without caps), a
capped bonus section with capped items, two penalties, a veto, four grades with a quota on the
top one, and ``"missing": "zero"`` so that a few cells of the data may be empty.

``make_columns(scheme, n, seed)`` makes the unit data for it. Every cell is a pure function of
(seed, column name, row) computed with integer hashing and exactly rounded float operations
only (+, -, *, /, floor, sqrt, comparisons), so ``bench_score.cpp`` regenerates bit-identical
data in C++ (see ``make_data`` there); both print the same data checksum.
"""
from __future__ import annotations

import argparse
import json
import sys

# ---------------------------------------------------------------------------------------------
# The scheme


def lin(worst, best):
    return {"type": "linear", "worst": worst, "best": best}


def at_least(*steps):
    return {"type": "steps", "at_least": [list(s) for s in steps]}


def at_most(*steps):
    return {"type": "steps", "at_most": [list(s) for s in steps]}


def pw(*pts):
    return {"type": "piecewise", "points": [list(p) for p in pts]}


CHECK = {"type": "check"}
DIRECT = {"type": "direct"}


def ded(inp, per, name, cap=None):
    d = {"input": inp, "per": per}
    if cap is not None:
        d["cap"] = cap
    d["name"] = name
    return d


# (group id, name, points or None (leaves carry weights), leaves)
# leaf: (id suffix, name, points or weight, rule or None, [deductions])
GROUPS = [
    ("org_life", "基层党组织建设", 15, [
        ("plan", "制定年度“三会一课”计划", 1.5, CHECK, []),
        ("meetings", "党员大会、支委会按期召开率", 3, lin(0.6, 1), [
            ded("records_incomplete", 0.5, "会议记录不完整", 1.5)]),
        ("lectures", "书记讲党课次数", 2, at_least((1, 0.5), (2, 0.8), (4, 1)), []),
        ("theme_day", "主题党日活动开展次数", 2, pw((0, 0), (6, 0.6), (12, 1)), [
            ded("theme_day_formalism", 0.5, "主题党日流于形式", 1)]),
        ("dues", "党费按时足额收缴", 1.5, CHECK, [
            ded("dues_late", 0.5, "党费迟缴")]),
        ("democratic", "组织生活会质量(专家评分)", 2, DIRECT, []),
        ("archive", "党建资料归档", 1.5, None, [
            ded("archive_irregular", 0.5, "资料归档不规范", 1.5),
            ded("archive_missing", 1, "档案资料缺失")]),
        ("membership", "发展党员程序合规率", 1.5, lin(0.9, 1), []),
    ]),
    ("study", "政治理论学习", 15, [
        ("attendance", "党员干部学习参学率", 2.5, at_least((0.7, 0.4), (0.8, 0.6), (0.9, 0.8), (0.95, 1)), [
            ded("study_absent", 0.5, "无故缺学", 1),
            ded("study_late", 0.2, "迟到早退", 0.5)]),
        ("sessions", "集中学习次数", 2, pw((0, 0), (6, 0.5), (12, 1)), []),
        ("notes", "学习笔记合格率", 1.5, lin(0.7, 1), [
            ded("notes_copied", 0.5, "学习笔记抄袭", 1)]),
        ("exam", "理论测试平均分", 2, lin(60, 95), []),
        ("online", "学习平台人均积分", 1.5, pw((0, 0), (5000, 0.6), (10000, 0.9), (15000, 1)), [
            ded("online_cheating", 1, "平台刷分", 1.5)]),
        ("research", "专题调研报告质量(专家评分)", 2, DIRECT, []),
        ("seminars", "交流研讨发言次数", 2, at_least((1, 0.5), (3, 1)), [
            ded("seminar_absent", 0.5, "研讨缺席")]),
        ("plan", "年度学习计划", 1.5, CHECK, []),
    ]),
    ("integrity", "党风廉政建设", 15, [
        ("duties", "主体责任清单落实", 2, CHECK, [
            ded("duty_gaps", 0.5, "责任清单缺项", 2)]),
        ("risk_control", "廉政风险点防控率", 2.5, lin(0.8, 1), [
            ded("risk_unregistered", 0.5, "风险点未登记", 1)]),
        ("warning", "警示教育次数", 2, at_least((1, 0.4), (2, 0.7), (4, 1)), []),
        ("supervision", "重点岗位监督检查", 2, CHECK, [
            ded("overdue_rectifications", 1, "发现问题逾期未整改", 2),
            ded("repeat_issues", 0.5, "同类问题反复出现", 1)]),
        ("spending", "“三公”经费超预算比例", 2, lin(0.1, 0), []),
        ("gifts", "节日期间廉洁纪律", 1.5, None, [
            ded("gift_cases", 1.5, "违规收送礼品礼金")]),
        ("petitions", "信访举报按期办结率", 1.5, at_least((0.8, 0.5), (0.9, 0.8), (1, 1)), []),
        ("talks", "谈心谈话覆盖率", 1.5, pw((0.5, 0), (0.8, 0.6), (1, 1)), []),
    ]),
    ("safety", "安全生产", 15, [
        ("accident_rate", "百万车公里事故率", 2.5, at_most((0.5, 1), (1, 0.7), (2, 0.4)), []),
        ("hazards", "隐患整改率", 2, lin(0.7, 1), [
            ded("hazards_overdue", 0.5, "隐患逾期未整改", 2),
            ded("hazards_repeat", 0.5, "同一隐患重复出现")]),
        ("drills", "应急演练次数", 2, at_least((1, 0.5), (2, 0.8), (3, 1)), [
            ded("drill_flaws", 0.25, "演练组织缺陷", 0.5)]),
        ("training", "安全培训人均学时", 2, pw((0, 0), (12, 0.5), (24, 0.9), (32, 1)), []),
        ("certificates", "特种作业人员持证上岗", 1.5, CHECK, [
            ded("uncertified_ops", 0.5, "无证上岗", 1.5)]),
        ("inspection", "安全检查评价(专家评分)", 2, DIRECT, []),
        ("injury_days", "工伤损失工作日", 1.5, lin(30, 0), [
            ded("injury_unreported", 1, "工伤瞒报")]),
        ("equipment", "机械设备完好率", 1.5, at_least((0.85, 0.5), (0.9, 0.8), (0.95, 1)), [
            ded("equipment_faults", 0.2, "设备带病作业", 1)]),
    ]),
    ("maintenance", "养护质量", 10, [  # leaves carry weights
        ("mqi", "公路技术状况指数MQI", 3, lin(80, 95), [
            ded("road_complaints", 0.2, "路况投诉", 1)]),
        ("pqi", "路面使用性能指数PQI", 2, pw((75, 0), (85, 0.6), (92, 1)), []),
        ("potholes", "坑槽修补及时率", 2, at_least((0.8, 0.5), (0.9, 0.8), (0.98, 1)), [
            ded("potholes_overdue", 0.1, "坑槽超时未修", 0.5),
            ded("potholes_repeat", 0.2, "重复修补")]),
        ("drainage", "排水设施完好率", 1, lin(0.85, 1), []),
        ("bridges", "桥梁技术状况等级", 1, at_most((1, 1), (2, 0.8), (3, 0.4)), []),
        ("signs", "标志标线缺损处数", 1, lin(20, 0), [
            ded("signs_unreported", 0.5, "标志损毁未上报")]),
        ("greening", "绿化养护达标", 1, CHECK, [
            ded("greening_dead", 0.1, "缺株死株", 0.3)]),
        ("plan_done", "年度养护计划完成率", 1, pw((0.6, 0), (0.9, 0.7), (1, 1)), []),
    ]),
    ("service", "优质服务", 10, [
        ("satisfaction", "群众满意度指数", 2, lin(60, 95), [
            ded("complaints_valid", 0.5, "有效投诉", 1),
            ded("media_negative", 1, "媒体负面报道", 1)]),
        ("response", "投诉响应时长(小时)", 1.5, at_most((2, 1), (8, 0.7), (24, 0.4)), []),
        ("hotline", "服务热线办结率", 1, lin(0.8, 1), [
            ded("hotline_unanswered", 0.1, "热线未接通", 0.5)]),
        ("clearance", "突发事件处置时长(小时)", 1.5, pw((0, 1), (4, 1), (12, 0.5), (24, 0)), []),
        ("toll_errors", "收费差错率", 1, lin(0.01, 0), [
            ded("toll_violations", 0.5, "违规收费")]),
        ("public_review", "社会评议(专家评分)", 1, DIRECT, []),
        ("disclosure", "政务信息按时公开", 1, CHECK, []),
        ("closures", "施工占道管理", 1, None, [
            ded("closure_overtime", 0.25, "占道超时", 1),
            ded("closure_unapproved", 0.5, "未经审批占道", 1)]),
    ]),
    ("team", "队伍建设", 10, [
        ("training_hours", "干部职工人均培训学时", 2, pw((0, 0), (16, 0.5), (32, 0.9), (40, 1)), [
            ded("training_absent", 0.2, "培训缺勤", 1)]),
        ("talent", "人才梯队建设(专家评分)", 1.5, DIRECT, []),
        ("turnover", "职工流失率", 1, lin(0.15, 0.02), []),
        ("pay_link", "考核结果与薪酬挂钩", 1, CHECK, []),
        ("overtime", "月人均加班小时", 1.5, at_most((20, 1), (36, 0.6), (60, 0.2)), []),
        ("qualified", "职业资格持证率", 1, lin(0.5, 0.9), []),
        ("attendance", "劳动纪律", 1, None, [
            ded("absenteeism", 0.2, "无故缺勤", 1)]),
        ("innovation", "技术创新成果数", 1, at_least((1, 0.6), (2, 1)), [
            ded("innovation_fraud", 1, "成果弄虚作假")]),
    ]),
    ("civility", "精神文明建设", 10, [
        ("volunteer", "人均志愿服务时长", 2, pw((0, 0), (10, 0.5), (20, 1)), []),
        ("creation", "文明单位创建(专家评分)", 2, DIRECT, [
            ded("uncivil_acts", 0.5, "不文明行为", 1),
            ded("media_exposed", 1, "被媒体曝光", 1)]),
        ("publicity", "宣传稿件被采用篇数", 1, at_least((2, 0.5), (4, 0.8), (6, 1)), []),
        ("events", "文体活动场次", 1, lin(0, 6), []),
        ("family", "家风家教建设", 1, CHECK, []),
        ("credit", "诚信建设", 1, CHECK, [
            ded("credit_breaches", 1, "失信行为")]),
        ("environment", "办公环境抽查问题数", 1, at_most((0, 1), (2, 0.6), (5, 0.2)), [
            ded("env_complaints", 0.2, "环境投诉", 0.5)]),
        ("ideology", "意识形态工作责任制落实率", 1, lin(0.6, 1), [
            ded("ideology_incidents", 1, "意识形态问题", 1)]),
    ]),
]
WEIGHTED_GROUPS = {"maintenance"}


def build_scheme() -> dict:
    indicators = []
    for gid, gname, gpoints, leaves in GROUPS:
        children = []
        for sid, name, amount, rule, deds in leaves:
            leaf = {"id": f"{gid}.{sid}", "name": name}
            leaf["weight" if gid in WEIGHTED_GROUPS else "points"] = amount
            if rule is not None:
                leaf["input"] = f"{gid}_{sid}"
                leaf["rule"] = rule
            if deds:
                leaf["deductions"] = deds
            children.append(leaf)
        indicators.append({"id": gid, "name": gname, "points": gpoints, "children": children})
    return {
        "format": "rectify.scheme/1",
        "id": "bench-64",
        "name": "2026年度公路养护中心基层单位综合考核(基准测试方案)",
        "total": 100,
        "missing": "zero",
        "indicators": indicators,
        "bonus": {"cap": 5, "items": [
            {"id": "bonus.commendation", "name": "受到上级表彰", "input": "commendations", "per": 2, "cap": 4},
            {"id": "bonus.model_workers", "name": "涌现先进典型", "input": "model_workers", "per": 1},
            {"id": "bonus.national_media", "name": "宣传稿件被中央媒体采用", "input": "national_articles",
             "per": 0.5, "cap": 2},
        ]},
        "penalties": [
            {"id": "penalty.criticism", "name": "被上级通报批评", "input": "criticisms", "per": 3},
            {"id": "penalty.accident", "name": "发生一般及以上安全责任事故", "input": "safety_accidents",
             "per": 5, "cap": 10},
        ],
        "vetoes": [
            {"id": "veto.violation", "name": "发生严重违纪违法案件", "input": "serious_violations",
             "above": 0, "max_grade": "不合格"},
        ],
        "grades": [
            {"name": "优秀", "min": 90, "quota": 0.1},
            {"name": "良好", "min": 80},
            {"name": "合格", "min": 60},
            {"name": "不合格"},
        ],
    }


def leaf_points(scheme: dict):
    """(leaf dict, points) of every leaf, in pre-order (scoring.md §2)."""
    out = []

    def walk(nodes, parent_points):
        wsum = sum(n.get("weight", 0) for n in nodes)
        for n in nodes:
            p = n["points"] if "points" in n else parent_points * n["weight"] / wsum
            if "children" in n:
                walk(n["children"], p)
            else:
                out.append((n, p))

    walk(scheme["indicators"], scheme.get("total", 100))
    return out


# ---------------------------------------------------------------------------------------------
# The data: each input column gets a "kind" and is a pure function of (seed, name, row).

def column_kinds(scheme: dict):
    """Ordered {input name: (kind, params)} in the order the engine first reads them.

    kinds: ("rule", rule dict, leaf points), "count", "bonus", "penalty", "veto".
    """
    kinds = {}
    for leaf, p in leaf_points(scheme):
        if "rule" in leaf:
            kinds.setdefault(leaf.get("input", leaf["id"]), ("rule", leaf["rule"], p))
        for d in leaf.get("deductions", []):
            kinds.setdefault(d["input"], ("count", None, None))
    for it in scheme.get("bonus", {}).get("items", []):
        kinds.setdefault(it["input"], ("bonus", None, None))
    for it in scheme.get("penalties", []):
        kinds.setdefault(it["input"], ("penalty", None, None))
    for v in scheme.get("vetoes", []):
        kinds.setdefault(v["input"], ("veto", None, None))
    return kinds


M64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
SEED_MUL = 0xD1B54A32D192ED03
NAN_SALT = 0xA5A5A5A5A5A5A5A5
MISSING_RATE = 0.0005   # share of empty cells in every column ("missing": "zero")
UNIT_COLUMN = "__unit_quality__"


def fnv1a(name: str) -> int:
    h = 0xCBF29CE484222325
    for b in name.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & M64
    return h


def rounding_step(span: float) -> float:
    """Values are rounded to a step that gives about 100-1000 distinct values over the span."""
    step = 1.0
    while step * 100 > span:
        step = step / 10
    while step * 1000 < span:
        step = step * 10
    return step


def rule_domain(rule: dict):
    """(lo, hi, rising, nonneg): the value range to sample and whether larger is better."""
    t = rule["type"]
    if t == "linear":
        lo, hi, rising = rule["worst"], rule["best"], rule["best"] > rule["worst"]
        if not rising:
            lo, hi = hi, lo
        return lo, hi, rising, lo >= 0
    if t == "steps":
        table = sorted(rule.get("at_least") or rule["at_most"])
        a, b = table[0][0], table[-1][0]
        span = (b - a) if b > a else (abs(a) + 1)
        if "at_least" in rule:
            return a - 0.5 * span, b + 0.1 * span, True, a >= 0
        return a - 0.1 * span, b + 0.5 * span, False, a >= 0
    if t == "piecewise":
        pts = rule["points"]
        a, b = pts[0][0], pts[-1][0]
        span = b - a
        return a - 0.1 * span, b + 0.1 * span, pts[-1][1] >= pts[0][1], a >= 0
    raise ValueError(t)


# Count thresholds: count = number of thresholds the uniform falls below (0..len).
COUNT_T = (0.3, 0.12, 0.05, 0.02, 0.008, 0.003)
BONUS_T = (0.3, 0.1, 0.03)
PENALTY_T = (0.04, 0.008)
VETO_P = 0.003


def _mix(z):
    """splitmix64 finaliser over a uint64 numpy array (wrapping arithmetic)."""
    import numpy as np
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _uniform(name: str, seed: int, rows, salt: int = 0):
    import numpy as np
    state = (fnv1a(name) ^ ((seed * SEED_MUL) & M64) ^ salt) & M64
    z = np.uint64(state) + (rows + np.uint64(1)) * np.uint64(GOLDEN)
    return (_mix(z) >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)


def make_columns(scheme: dict, n: int, seed: int = 2026, out=None):
    """The unit data: (names, matrix) with matrix n x len(names), float64, column-major.

    `out` may be a preallocated Fortran-ordered float64 array of that shape. Memory use beyond
    the matrix is a few temporaries of n values.
    """
    import numpy as np
    kinds = column_kinds(scheme)
    names = list(kinds)
    m = np.empty((n, len(names)), dtype=np.float64, order="F") if out is None else out
    rows = np.arange(n, dtype=np.uint64)
    b = 0.65 + 0.38 * np.sqrt(_uniform(UNIT_COLUMN, seed, rows))  # a unit's overall quality
    for j, name in enumerate(names):
        kind, rule, p = kinds[name]
        u = _uniform(name, seed, rows)
        col = m[:, j]
        if kind == "rule" and rule["type"] == "check":
            col[:] = (u < 0.35 + 0.6 * b).astype(np.float64)
        elif kind == "rule" and rule["type"] == "direct":
            q = np.minimum(np.maximum(b + 0.5 * (u - 0.5), 0.0), 1.0)
            col[:] = np.floor(p * q * 10 + 0.5) / 10
        elif kind == "rule":
            lo, hi, rising, nonneg = rule_domain(rule)
            q = b + 0.5 * (u - 0.5)
            x = lo + q * (hi - lo) if rising else hi - q * (hi - lo)
            if nonneg:
                x = np.maximum(x, 0.0)
            step = rounding_step(hi - lo)
            col[:] = np.floor(x / step + 0.5) * step
        else:
            if kind == "count":
                ts, scale = COUNT_T, 1.75 - b
            elif kind == "bonus":
                ts, scale = BONUS_T, b
            elif kind == "penalty":
                ts, scale = PENALTY_T, 1.5 - b
            else:
                ts, scale = (VETO_P,), None
            c = np.zeros(n)
            for t in ts:
                c += (u < (t * scale if scale is not None else t))
            col[:] = c
        miss = _uniform(name, seed, rows, NAN_SALT) < MISSING_RATE
        col[miss] = np.nan
    return names, m


def checksum_bits(m) -> int:
    """Order-independent checksum printed by both benches: the sum of the cells' bit patterns
    mod 2**64 (equal checksums = bit-identical data, whatever the summation order)."""
    import numpy as np
    return int(m.view(np.uint64).sum(dtype=np.uint64))


def summary(scheme: dict) -> str:
    from collections import Counter
    kinds = Counter()
    nd = Counter()
    caps = [0, 0]
    for leaf, _ in leaf_points(scheme):
        r = leaf.get("rule")
        if r is None:
            k = "none (deductions only)"
        elif r["type"] == "linear":
            k = "linear " + ("benefit" if r["best"] > r["worst"] else "cost")
        elif r["type"] == "steps":
            k = "steps " + ("at_least" if "at_least" in r else "at_most")
        elif r["type"] == "piecewise":
            k = "piecewise " + ("rising" if r["points"][-1][1] >= r["points"][0][1] else "falling")
        else:
            k = r["type"]
        kinds[k] += 1
        d = leaf.get("deductions", [])
        nd[len(d)] += 1
        for x in d:
            caps["cap" in x] += 1
    lines = [f"leaves: {sum(kinds.values())}"]
    lines += [f"  {k}: {v}" for k, v in sorted(kinds.items())]
    lines.append(f"leaves with 0/1/2 deductions: {nd[0]}/{nd[1]}/{nd[2]}; deductions capped/uncapped: {caps[1]}/{caps[0]}")
    lines.append(f"input columns: {len(column_kinds(scheme))}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", help="write the scheme JSON here (default: stdout)")
    ap.add_argument("--summary", action="store_true", help="print what the scheme contains")
    a = ap.parse_args(argv)
    s = build_scheme()
    if a.summary:
        print(summary(s))
        return 0
    text = json.dumps(s, ensure_ascii=False, indent=1) + "\n"
    if a.output:
        with open(a.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
