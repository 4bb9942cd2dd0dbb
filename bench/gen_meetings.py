#!/usr/bin/env python3
"""Writes the meetings benchmark: one year of 三会一课 records for 10,000 branches (≈600,000 rows).

    python3 bench/gen_meetings.py /tmp/rectify_bench_meetings.csv
    python3 bench/gen_meetings.py OUT --branches 1000                 # a small one
    python3 bench/gen_meetings.py OUT --branch-list OUT_BRANCHES.csv  # also the branch list

Deterministic (seeded; the same arguments give the same bytes) and standard library only. The
shape is that of the sample bureau (examples/data/make_compliance.py), scaled up: each branch
holds its 支委会 and 主题党日 every month, its 党员大会 and 党课 every quarter, its 组织生活会 and
民主评议党员 once, and each of its 0, 2 or 3 党小组 (15 / 25 / 60 %) meets every month, which
makes about 60 records a branch. Imperfections in about the sample's proportions: 3 % of slots
are skipped, 4 % of branches have a second 支委会 in a month or a second 党员大会 in a quarter,
1 in 150 quorum meetings is below quorum and 1 in 500 has no attendance written, 6 % of records
lack photos, a signature, the minutes or a name. Types are written in Chinese, with 10 % of
branches using the English ids; dates are ISO, with 10 % of branches writing 2026/3/5 and 5 %
2026年3月5日; yes/no flags as 是/否, 10 % of branches yes/no. Some topics contain commas, so
about 6 % of the records have a quoted field. The rows come branch by branch, in date
order within a branch.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys

YEAR = 2026
TYPES = ["general_meeting", "committee", "group", "lecture", "theme_day", "life_meeting", "member_review"]
ZH = {"general_meeting": "党员大会", "committee": "支委会", "group": "党小组会", "lecture": "党课",
      "theme_day": "主题党日", "life_meeting": "组织生活会", "member_review": "民主评议党员"}
GROUPS = ["第一党小组", "第二党小组", "第三党小组"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国志明海燕丽娜永刚德胜卫平晓东秀英国华春梅振江红霞立新文博玉洁庆华宏伟小兵淑芬雪梅"
TOPICS = {
    "committee": ["研究本月党建工作安排", "研究落实检查反馈问题整改措施", "讨论入党积极分子培养考察情况",
                  "研究党费收缴使用情况", "分析党员思想动态", "研究主题党日活动方案",
                  "研究防汛保畅期间党员责任区划分", "研究冬季除雪保畅工作及党员责任分工",
                  "研究党建与养护生产“四同”落实情况", "研究年度组织生活会和民主评议党员准备工作"],
    "general_meeting": ["传达学习局党委2026年党建工作会议精神", "学习《中国共产党纪律处分条例》",
                        "通报上半年党建工作及整改落实情况", "学习贯彻上级全会精神,讨论支部年度工作总结",
                        "讨论接收预备党员", "讨论预备党员转正"],
    "group": ["学习《中国共产党章程》", "学习习近平新时代中国特色社会主义思想专题摘编",
              "学习《中国共产党支部工作条例(试行)》", "交流“三会一课”学习体会", "结合养护生产开展谈心谈话",
              "学习《中国共产党廉洁自律准则》", "围绕路况提升开展岗位讨论", "对照党章党规查摆问题"],
    "lecture": ["书记讲党课:落实“三会一课”制度,提升支部组织力", "以案为鉴、廉洁从业专题党课",
                "弘扬“两路”精神,争做养路先锋", "作风建设专题党课:服务群众,提升养护质量"],
    "theme_day": ["走访慰问困难党员和老党员", "春运保畅党员先锋岗志愿服务", "学雷锋志愿服务进乡村",
                  "清明祭扫烈士陵园", "汛前公路隐患排查党员先锋行动", "观看警示教育片", "“七一”重温入党誓词",
                  "防汛抢险应急演练", "参观廉政教育基地", "“畅安舒美”公路志愿服务", "冬季除雪保畅党员先锋行动",
                  "国家宪法日学法用法"],
    "life_meeting": ["2025年度组织生活会:对照检查、开展批评与自我批评"],
    "member_review": ["2025年度民主评议党员"],
}
HEADER = "branch,type,date,group,expected,attended,topic,host,recorder,minutes,photos,signed\n"


def quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"' if ("," in s or '"' in s or "\n" in s) else s


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + GIVEN[rng.randrange(0, len(GIVEN), 2):][:2]


def branch_rows(rng: random.Random, bid: str, groups: list[str]) -> list[tuple]:
    members = rng.randint(7, 40)
    committee = 5 if members >= 25 else 3
    sizes = [members // len(groups) + (1 if k < members % len(groups) else 0) for k in range(len(groups))]
    extra = rng.random() < 0.04
    out: list[tuple[dt.date, str, str, int]] = []  # (date, type, group, expected)

    def day(m: int, lo: int, hi: int) -> dt.date:
        d = dt.date(YEAR, m, rng.randint(lo, hi))
        while d.weekday() >= 5:
            d -= dt.timedelta(days=1)
        return d

    def held(kind: str, d: dt.date, expected: int, group: str = "") -> None:
        if rng.random() >= 0.03:
            out.append((d, kind, group, expected))

    for m in range(1, 13):
        held("committee", day(m, 3, 9), committee)
        if extra and m == 6:
            held("committee", day(m, 20, 26), committee)
        held("theme_day", day(m, 12, 16), members)
        for g, size in zip(groups, sizes):
            held("group", day(m, 17, 26), size, g)
        if m % 3 == 0:
            held("general_meeting", day(m, 8, 20), members)
            if extra and m == 9:
                held("general_meeting", day(m - 1, 20, 27), members)
            held("lecture", day(m, 20, 27), members)
    held("life_meeting", day(1, 19, 23), members)
    held("member_review", day(1, 26, 28), members)
    out.sort()

    chinese = rng.random() >= 0.10
    date_style = rng.choices(["iso", "slash", "zh"], [85, 10, 5])[0]
    yes, no = ("是", "否") if rng.random() >= 0.10 else ("yes", "no")
    secretary, recorder = name(rng), name(rng)
    leaders = {g: name(rng) for g in groups}
    rows = []
    for d, kind, group, planned in out:
        expected: int | None = planned
        attended: int | None = planned - min(planned - 1, rng.randint(0, max(1, planned // 8)))
        if kind in ("general_meeting", "committee"):
            r = rng.random()
            if r < 1 / 150:
                attended = planned // 2  # attended × 2 ≤ expected: below quorum
            elif r < 1 / 150 + 1 / 500:
                expected = attended = None
        topic = rng.choice(TOPICS[kind])
        host = leaders[group] if group else secretary
        rec, minutes, photos, signed = recorder, yes, str(rng.randint(1, 6)), yes
        if rng.random() < 0.06:
            defect = rng.randrange(6)
            if defect <= 1:
                photos = "0" if defect == 0 else ""
            elif defect == 2:
                signed = no
            elif defect == 3:
                minutes = no
            elif defect == 4:
                rec = ""
            else:
                topic = ""
        date = {"iso": d.isoformat(), "slash": f"{d.year}/{d.month}/{d.day}",
                "zh": f"{d.year}年{d.month}月{d.day}日"}[date_style]
        rows.append((bid, ZH[kind] if chinese else kind, date, group, "" if expected is None else str(expected),
                     "" if attended is None else str(attended), quote(topic), host, rec, minutes, photos, signed))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Writes the meetings benchmark CSV.")
    ap.add_argument("out")
    ap.add_argument("--branches", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--branch-list", help="also write the branch list (branch,group) here")
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    n = 0
    listing = []
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        for i in range(1, a.branches + 1):
            bid = f"br{i:05d}"
            k = rng.choices([0, 2, 3], [15, 25, 60])[0]
            groups = GROUPS[:k]
            listing += [(bid, g) for g in groups] or [(bid, "")]
            rows = branch_rows(rng, bid, groups)
            f.write("".join(",".join(r) + "\n" for r in rows))
            n += len(rows)
    if a.branch_list:
        with open(a.branch_list, "w", encoding="utf-8", newline="") as f:
            f.write("branch,group\n")
            f.write("".join(f"{b},{g}\n" for b, g in listing))
    print(f"{a.out}: {a.branches} branches, {n} records", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
