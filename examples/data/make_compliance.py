#!/usr/bin/env python3
"""Writes the sample bureau's compliance records (compliance.md §1–3) into examples/data/:

    python3 examples/data/make_compliance.py                  # meetings.csv, branches.csv, survey.csv, risks.csv
    python3 examples/data/make_compliance.py --out DIR        # somewhere else
    python3 examples/data/make_compliance.py --summary        # what the files should give, per unit

- `branches.csv` (`branch,group`): every unit of units.csv is a 党支部; the larger ones have 2–3
  党小组. A branch without groups has one row with an empty group.
- `meetings.csv` (`branch,type,date,group,expected,attended,topic,host,recorder,minutes,photos,
  signed`): the 三会一课 records of 2026 up to 2026-11-30 (nothing is dated after the day the
  bureau reads its records, as with the ledger and the register). Most branches are nearly compliant; the weak
  units of units.csv (and of the rectification report's problem 1: 部分单位支部工作未按照“三会一课”
  制度的要求落实,仍存在记录不完整) miss a quarter's 党课 or 党员大会, months of 支委会 or of a
  党小组's meetings, hold a meeting below quorum, and file records without photos, signatures or
  minutes. `center_emergency` filed no records at all: it appears only through branches.csv.
- `survey.csv` (`unit,respondent,q1..q8`): the 2026 service-satisfaction survey (report problem 7,
  三是: 定期开展服务满意度调查), 20–60 respondents per unit on a 1–5 scale, a few answers blank.
- `risks.csv` (`unit,post,risk,level,control,owner,reviewed`): the clean-governance risk register
  (report problem 5, 一是: 全面梳理岗位职责,查找廉政风险点,制定针对性防控措施), as of 2026-11-30.

Deterministic (a fixed seed, no clock) and standard library only. `--summary` recomputes what
compliance.md §1–3 say the files give (slots, met, short, incomplete records, attendance; the
satisfaction index; controlled and reviewed risk points) with an implementation of its own, as a
cross-check of the library's results.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import os
import random
import sys
from typing import Any

SEED = 20260101
YEAR = 2026
AS_OF = dt.date(2026, 11, 30)  # the risk register is read as of this day (as the ledger)

# Rest days of 2026 on which no meeting is held (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆).
HOLIDAYS: set[dt.date] = set()
for _a, _b in [((1, 1), (1, 3)), ((2, 15), (2, 23)), ((4, 4), (4, 6)), ((5, 1), (5, 5)), ((6, 19), (6, 21)),
               ((9, 25), (9, 27)), ((10, 1), (10, 8))]:
    _d = dt.date(YEAR, *_a)
    while _d <= dt.date(YEAR, *_b):
        HOLIDAYS.add(_d)
        _d += dt.timedelta(days=1)


def workday(d: dt.date) -> dt.date:
    """The first working day on or after d, staying in d's month when possible."""
    e = d
    while e.weekday() >= 5 or e in HOLIDAYS:
        e += dt.timedelta(days=1)
    if e.month != d.month:  # the month ends in a rest: take the last working day before d
        e = d
        while e.weekday() >= 5 or e in HOLIDAYS:
            e -= dt.timedelta(days=1)
    return e


# ---------------------------------------------------------------------------------------------
# The branches. id, name, 支部书记 (the unit leader, as in make_ledger.py), 党建干事 (records the
# meetings), party members, then the party groups (name, 党小组长, members). Members follow
# headcount in units.csv; a branch keeps 3 or 5 支委 (5 from 25 members up).
# ---------------------------------------------------------------------------------------------
BRANCHES = [
    ("sec1_chengguan", "城关养护段", "张建国", "李娜", 34,
     [("第一党小组", "王立军", 12), ("第二党小组", "孟庆华", 11), ("第三党小组", "白玉洁", 11)]),
    ("sec2_hebei", "河北养护段", "刘永刚", "陈静", 29,
     [("第一党小组", "康文博", 10), ("第二党小组", "常海涛", 10), ("第三党小组", "严春梅", 9)]),
    ("sec3_xishan", "西山养护段", "赵志明", "黄丽", 27,
     [("第一党小组", "史卫东", 9), ("第二党小组", "秦晓燕", 9), ("第三党小组", "顾振江", 9)]),
    ("sec4_nanhu", "南湖养护段", "吴德胜", "徐敏", 28,
     [("第一党小组", "侯建业", 10), ("第二党小组", "邵红霞", 9), ("第三党小组", "毛志勇", 9)]),
    ("sec5_dongling", "东岭养护段", "马卫平", "朱婷", 25,
     [("第一党小组", "龚德明", 9), ("第二党小组", "万小兵", 8), ("第三党小组", "段丽萍", 8)]),
    ("wa_qingshan", "青山工区", "郭长青", "何雪", 11, []),
    ("wa_hebei", "河北工区", "高建军", "罗琳", 9, []),
    ("wa_liulin", "柳林工区", "梁国庆", "谢芳", 10, []),
    ("wa_shuiyuan", "水源工区", "韩振华", "唐佳", 9, []),
    ("wa_baima", "白马工区", "于洪波", "董倩", 8, []),
    ("wa_gaoping", "高平工区", "曹继红", "袁媛", 16, [("第一党小组", "雷国华", 8), ("第二党小组", "钱宝山", 8)]),
    ("wa_songzhuang", "宋庄工区", "许大鹏", "傅颖", 8, []),
    ("office_party", "党建办公室", "曾立新", "彭雅琴", 8, []),
    ("office_admin", "综合办公室", "苏建华", "卢静", 9, []),
    ("office_maint", "养护管理办公室", "蔡国栋", "贾丽娟", 10, []),
    ("office_finance", "财务办公室", "魏淑芬", "薛梅", 7, []),
    ("center_machinery", "机械化养护中心", "阎志刚", "余红", 22,
     [("第一党小组", "黎志强", 11), ("第二党小组", "武建平", 11)]),
    ("center_emergency", "应急保障中心", "杜永胜", "戴雪梅", 15,
     [("第一党小组", "聂春生", 8), ("第二党小组", "褚兰芳", 7)]),
]
# 组织委员 and 宣传委员 of each branch (they host a 党课 or a 党小组会 now and then).
COMMITTEE = {
    "sec1_chengguan": ("陆宏伟", "江晓梅"), "sec2_hebei": ("汤振国", "尹凤英"),
    "sec3_xishan": ("黎红军", "易秀兰"), "sec4_nanhu": ("常国梁", "武晓慧"),
    "sec5_dongling": ("乔永福", "贺桂香"), "wa_qingshan": ("赖志平", "龙美玲"),
    "wa_hebei": ("文建新", "施春燕"), "wa_liulin": ("洪德林", "祝丽霞"),
    "wa_shuiyuan": ("石建成", "廖小红"), "wa_baima": ("金世平", "邱海燕"),
    "wa_gaoping": ("陶永强", "崔秀英"), "wa_songzhuang": ("姚建设", "熊丽君"),
    "office_party": ("钟晓东", "邓雅丽"), "office_admin": ("覃建军", "范晓玲"),
    "office_maint": ("汪志刚", "黎淑珍"), "office_finance": ("严国平", "柏晓慧"),
    "center_machinery": ("方振宇", "任春霞"), "center_emergency": ("莫建平", "葛丽娜"),
}
BUREAU_LECTURERS = ["石国强(局党委副书记)", "钟建平(党建科科长)"]  # invited to give a 党课

TYPES = ["general_meeting", "committee", "group", "lecture", "theme_day", "life_meeting", "member_review"]
ZH = {"general_meeting": "党员大会", "committee": "支委会", "group": "党小组会", "lecture": "党课",
      "theme_day": "主题党日", "life_meeting": "组织生活会", "member_review": "民主评议党员"}
PER = {"general_meeting": "quarter", "committee": "month", "group": "month", "lecture": "quarter",
       "theme_day": "month", "life_meeting": "year", "member_review": "year"}
QUORUM = {"general_meeting", "committee"}

# How each branch departs from the rules. `skip`: slots with no meeting (type, slot) or
# ("group", slot, group); `low`: meetings held below quorum (type, slot, attended);
# `unrecorded`: quorum meetings whose attendance was not written down; `incomplete`: records
# missing something (photos, signature, minutes, a name); `extra`: slots with a second meeting;
# `style`: how the branch writes types, dates and yes/no.
PLAN: dict[str, Any] = {
    "sec1_chengguan": dict(incomplete=1, extra=[("committee", "2026-03"), ("committee", "2026-07"),
                                                ("general_meeting", "2026-Q2")]),
    "sec2_hebei": dict(incomplete=2, extra=[("committee", "2026-06")]),
    "sec3_xishan": dict(skip=[("committee", "2026-08"), ("group", "2026-07", "第三党小组")], incomplete=3),
    "sec4_nanhu": dict(skip=[("lecture", "2026-Q3")] + [("group", f"2026-{m:02d}", "第二党小组") for m in (6, 7, 8, 9)],
                       incomplete=5),
    "sec5_dongling": dict(skip=[("general_meeting", "2026-Q2"), ("committee", "2026-02"), ("committee", "2026-07"),
                                ("theme_day", "2026-02"), ("group", "2026-08", "第一党小组")],
                          low=[("committee", "2026-10", 2)], incomplete=6),
    "wa_qingshan": dict(incomplete=0),
    "wa_hebei": dict(incomplete=1, style=dict(type="alias")),
    "wa_liulin": dict(skip=[("theme_day", "2026-10")], low=[("general_meeting", "2026-Q2", 5)],
                      extra=[("general_meeting", "2026-Q2")], incomplete=2),
    "wa_shuiyuan": dict(skip=[("lecture", "2026-Q1"), ("committee", "2026-01"), ("committee", "2026-04"),
                              ("committee", "2026-05")], incomplete=4),
    "wa_baima": dict(incomplete=2, style=dict(date="slash")),
    "wa_gaoping": dict(skip=[("member_review", "2026")] + [("group", f"2026-{m:02d}", "第二党小组") for m in (3, 4, 5)],
                       low=[("general_meeting", "2026-Q4", 7)], incomplete=5),
    "wa_songzhuang": dict(skip=[("lecture", "2026-Q2"), ("lecture", "2026-Q3"), ("general_meeting", "2026-Q3"),
                                ("life_meeting", "2026")] + [("committee", f"2026-{m:02d}") for m in (2, 5, 8, 11)],
                          incomplete=7, style=dict(date="zh")),
    "office_party": dict(incomplete=0, extra=[("general_meeting", "2026-Q4")]),
    "office_admin": dict(incomplete=1, style=dict(flag="en")),
    "office_maint": dict(unrecorded=[("committee", "2026-09")], incomplete=2),
    "office_finance": dict(incomplete=2, style=dict(type="en")),
    "center_machinery": dict(incomplete=1, style=dict(type="mixed"), extra=[("committee", "2026-04")]),
    "center_emergency": None,  # no records: the branch list is all the check knows of it
}
DILIGENCE = {"sec1_chengguan": 0.92, "sec2_hebei": 0.90, "sec3_xishan": 0.75, "sec4_nanhu": 0.62,
             "sec5_dongling": 0.45, "wa_qingshan": 0.95, "wa_hebei": 0.90, "wa_liulin": 0.80,
             "wa_shuiyuan": 0.55, "wa_baima": 0.80, "wa_gaoping": 0.42, "wa_songzhuang": 0.35,
             "office_party": 0.95, "office_admin": 0.82, "office_maint": 0.80, "office_finance": 0.78,
             "center_machinery": 0.90, "center_emergency": 0.60}

# Topics. Month-specific ones first (the bureau's calendar), then a pool drawn without repeats.
TOPICS: dict[str, Any] = {
    "committee": {
        1: "研究制定2026年度“三会一课”计划和党建工作要点", 2: "研究春运保畅期间党员先锋岗设置",
        3: "研究落实检查反馈问题整改措施", 5: "研究汛前公路隐患排查和党员突击队组建",
        6: "研究“七一”表彰推荐人选", 7: "研究防汛保畅期间党员责任区划分",
        9: "研究整改“回头看”自查工作", 11: "研究冬季除雪保畅工作及党员责任分工",
        12: "研究年度组织生活会和民主评议党员准备工作",
    },
    "committee_pool": ["研究本月党建工作安排", "讨论入党积极分子培养考察情况", "研究党费收缴使用情况",
                       "分析党员思想动态", "研究主题党日活动方案", "研究党建与养护生产“四同”落实情况",
                       "研究警示教育工作安排", "研究党员发展对象人选", "研究“一本纪”记录规范化工作",
                       "研究精神文明创建活动方案"],
    "general_meeting": {
        "2026-Q1": "传达学习局党委2026年党建工作会议精神", "2026-Q2": "学习《中国共产党纪律处分条例》",
        "2026-Q3": "通报上半年党建工作及整改落实情况", "2026-Q4": "学习贯彻上级全会精神,讨论支部年度工作总结",
    },
    "general_meeting_extra": ["讨论接收预备党员", "讨论预备党员转正", "通报党费收缴情况并审议支部工作"],
    "group_pool": ["学习《中国共产党章程》", "学习习近平新时代中国特色社会主义思想专题摘编",
                   "学习《中国共产党支部工作条例(试行)》", "交流“三会一课”学习体会",
                   "结合养护生产开展谈心谈话", "学习习近平总书记关于交通运输工作的重要论述",
                   "学习《中国共产党廉洁自律准则》", "围绕路况提升开展岗位讨论", "学习先进典型事迹",
                   "对照党章党规查摆问题", "学习安全生产相关法规", "交流“我为群众办实事”情况",
                   "学习党史专题", "讨论本组党员年度承诺践诺"],
    "lecture": {
        "2026-Q1": "书记讲党课:落实“三会一课”制度,提升支部组织力",
        "2026-Q2": "以案为鉴、廉洁从业专题党课", "2026-Q3": "弘扬“两路”精神,争做养路先锋",
        "2026-Q4": "作风建设专题党课:服务群众,提升养护质量",
    },
    "theme_day": {
        1: "走访慰问困难党员和老党员", 2: "春运保畅党员先锋岗志愿服务", 3: "学雷锋志愿服务进乡村",
        4: "清明祭扫烈士陵园", 5: "汛前公路隐患排查党员先锋行动", 6: "观看警示教育片",
        7: "“七一”重温入党誓词", 8: "防汛抢险应急演练", 9: "参观廉政教育基地",
        10: "“畅安舒美”公路志愿服务", 11: "冬季除雪保畅党员先锋行动", 12: "国家宪法日学法用法",
    },
    "life_meeting": "2025年度组织生活会:对照检查、开展批评与自我批评",
    "member_review": "2025年度民主评议党员",
}


def slot_of(kind: str, d: dt.date) -> str:
    if PER[kind] == "month":
        return f"{d.year}-{d.month:02d}"
    if PER[kind] == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    return str(d.year)


class Meetings:
    """The records of one branch, built slot by slot and then made imperfect by the plan."""

    def __init__(self, rng: random.Random, branch: tuple, plan: dict):
        self.rng = rng
        self.id, self.name, self.secretary, self.recorder, self.members, self.groups = branch
        self.plan = plan
        self.style = plan.get("style", {})
        self.committee = 5 if self.members >= 25 else 3
        self.org, self.pub = COMMITTEE[self.id]
        self.rows: list[dict] = []
        self.pool_used: dict[str, list[str]] = {}

    def draw(self, pool: str) -> str:
        left = self.pool_used.get(pool) or list(TOPICS[pool])
        topic = left.pop(self.rng.randrange(len(left)))
        self.pool_used[pool] = left
        return topic

    def absent(self, expected: int) -> int:
        dil = DILIGENCE[self.id]
        cap = max(1, round(expected * (0.06 + 0.18 * (1 - dil))))
        return min(expected - 1, self.rng.randint(0, cap))

    def add(self, kind: str, d: dt.date, expected: int, topic: str, host: str, group: str = "") -> dict:
        attended = expected - (self.absent(expected) if kind != "committee" else
                               (1 if self.rng.random() < 0.15 else 0))
        row = dict(branch=self.id, type=kind, date=d, group=group, expected=expected, attended=attended,
                   topic=topic, host=host, recorder=self.recorder, minutes=True,
                   photos=self.rng.randint(2, 6), signed=True)
        self.rows.append(row)
        return row

    def skipped(self, *key) -> bool:
        return tuple(key) in self.plan.get("skip", [])

    def extra(self, kind: str, slot: str) -> bool:
        return (kind, slot) in self.plan.get("extra", [])

    def build(self) -> list[dict]:
        rng = self.rng
        for m in range(1, 13):
            ms = f"{YEAR}-{m:02d}"
            q = f"{YEAR}-Q{(m - 1) // 3 + 1}"
            # 支委会 early in the month, a second one when something needs deciding.
            if not self.skipped("committee", ms):
                topic = TOPICS["committee"].get(m) or self.draw("committee_pool")
                self.add("committee", workday(dt.date(YEAR, m, rng.randint(2, 8))), self.committee, topic,
                         self.secretary)
                if self.extra("committee", ms):
                    self.add("committee", workday(dt.date(YEAR, m, rng.randint(18, 24))), self.committee,
                             self.draw("committee_pool"), self.secretary)
            # 主题党日: the bureau's 党员活动日 falls mid-month.
            if not self.skipped("theme_day", ms):
                self.add("theme_day", workday(dt.date(YEAR, m, rng.randint(12, 16))), self.members,
                         TOPICS["theme_day"][m], self.secretary)
            for g, leader, size in self.groups:
                if not self.skipped("group", ms, g):
                    host = leader if rng.random() < 0.9 else self.org
                    self.add("group", workday(dt.date(YEAR, m, rng.randint(17, 26))), size, self.draw("group_pool"),
                             host, group=g)
            # 党员大会 and 党课 in the last month of a quarter (the first for Q1, after the plan).
            if m in (2, 6, 9, 12):
                if not self.skipped("general_meeting", q):
                    self.add("general_meeting", workday(dt.date(YEAR, m, rng.randint(9, 20))), self.members,
                             TOPICS["general_meeting"][q], self.secretary)
                    if self.extra("general_meeting", q):
                        self.add("general_meeting", workday(dt.date(YEAR, m - 1, rng.randint(20, 27))),
                                 self.members, self.draw("general_meeting_extra"), self.secretary)
                if not self.skipped("lecture", q):
                    host = self.secretary if q != "2026-Q2" else (BUREAU_LECTURERS[0] if rng.random() < 0.5
                                                                  else self.org)
                    self.add("lecture", workday(dt.date(YEAR, m, rng.randint(20, 27))), self.members,
                             TOPICS["lecture"][q], host)
        # 组织生活会 and 民主评议党员 for 2025, held in January, review the next day.
        d = workday(dt.date(YEAR, 1, rng.randint(19, 26)))
        if not self.skipped("life_meeting", str(YEAR)):
            self.add("life_meeting", d, self.members, TOPICS["life_meeting"], self.secretary)
        if not self.skipped("member_review", str(YEAR)):
            self.add("member_review", workday(d + dt.timedelta(days=1)), self.members, TOPICS["member_review"],
                     self.secretary)
        self.rows.sort(key=lambda r: (r["date"], TYPES.index(r["type"]), r["group"]))
        self.spoil()
        # The bureau's records as they stand on AS_OF: what the plan has for December is not held yet.
        self.rows = [r for r in self.rows if r["date"] <= AS_OF]
        return self.rows

    def find(self, kind: str, slot: str) -> dict:
        for r in self.rows:
            if r["type"] == kind and slot_of(kind, r["date"]) == slot:
                return r
        raise KeyError((self.id, kind, slot))

    def spoil(self) -> None:
        rng = self.rng
        special = set()
        for kind, slot, attended in self.plan.get("low", []):
            r = self.find(kind, slot)
            r["attended"] = attended
            special.add(id(r))
        for kind, slot in self.plan.get("unrecorded", []):
            r = self.find(kind, slot)
            r["expected"] = r["attended"] = None  # also an incomplete record
            special.add(id(r))
        candidates = [r for r in self.rows if id(r) not in special]
        # What a weak record lacks: mostly the 现场图文记录 (photos), then signatures, minutes.
        defects = ["no_photos"] * 5 + ["photos_blank"] * 2 + ["unsigned"] * 3 + ["no_minutes"] * 2 + \
                  ["no_recorder", "no_topic", "signed_blank"]
        for r in rng.sample(candidates, self.plan.get("incomplete", 0)):
            defect = rng.choice(defects)
            if defect == "no_photos":
                r["photos"] = 0
            elif defect == "photos_blank":
                r["photos"] = None
            elif defect == "unsigned":
                r["signed"] = False
            elif defect == "no_minutes":
                r["minutes"] = False
            elif defect == "no_recorder":
                r["recorder"] = ""
            elif defect == "no_topic":
                r["topic"] = ""
            else:
                r["signed"] = None


def render(r: dict, style: dict, rng: random.Random) -> list[str]:
    d: dt.date = r["date"]
    date_style = style.get("date", "iso")
    date = {"iso": d.isoformat(), "slash": f"{d.year}/{d.month}/{d.day}",
            "zh": f"{d.year}年{d.month}月{d.day}日"}[date_style]
    type_style = style.get("type", "zh")
    kind = r["type"] if type_style == "en" or (type_style == "mixed" and r["type"] == "committee") else ZH[r["type"]]
    if type_style == "alias":  # the longer names some branches use (the rules' aliases)
        kind = {"committee": "支部委员会会议", "theme_day": "固定主题党日"}.get(r["type"], kind)
    en = style.get("flag") == "en"

    def flag(v):
        if v is None:
            return ""
        return ("yes" if v else "no") if en else ("是" if v else "否")

    def num(v):
        return "" if v is None else str(v)

    return [r["branch"], kind, date, r["group"], num(r["expected"]), num(r["attended"]), r["topic"], r["host"],
            r["recorder"], flag(r["minutes"]), num(r["photos"]), flag(r["signed"])]


MEETING_HEADER = ["branch", "type", "date", "group", "expected", "attended", "topic", "host", "recorder",
                  "minutes", "photos", "signed"]


def make_meetings(rng: random.Random) -> tuple[list[list[str]], list[dict]]:
    rows, typed = [], []
    for b in BRANCHES:
        plan = PLAN[b[0]]
        if plan is None:
            continue
        recs = Meetings(rng, b, plan).build()
        typed += recs
        rows += [render(r, plan.get("style", {}), rng) for r in recs]
    return rows, typed


def make_branches() -> list[list[str]]:
    out = []
    for b in BRANCHES:
        if b[5]:
            out += [[b[0], g] for g, _, _ in b[5]]
        else:
            out.append([b[0], ""])
    return out


# ---------------------------------------------------------------------------------------------
# Survey: 8 questions on 1–5 (5 = 非常满意): q1 服务态度, q2 办事效率, q3 路况与养护质量,
# q4 路域环境整治, q5 施工作业与安全管理, q6 信息公开与告知, q7 投诉处理与回应, q8 总体满意度.
# Target index per unit: close to units.csv's satisfaction_index, the weak units clearly lower.
# ---------------------------------------------------------------------------------------------
SURVEY_TARGET = {"sec1_chengguan": 91, "sec2_hebei": 88, "sec3_xishan": 84, "sec4_nanhu": 80,
                 "sec5_dongling": 72, "wa_qingshan": 93, "wa_hebei": 89, "wa_liulin": 87,
                 "wa_shuiyuan": 76, "wa_baima": 88, "wa_gaoping": 70, "wa_songzhuang": 64,
                 "office_party": 94, "office_admin": 86, "office_maint": 84, "office_finance": 88,
                 "center_machinery": 90, "center_emergency": 81}
QUESTION_SHIFT = [0.1, -0.1, -0.15, 0.0, -0.05, -0.2, -0.3, 0.05]  # efficiency and complaints lag


def make_survey(rng: random.Random) -> list[list[str]]:
    rows = []
    for b in BRANCHES:
        unit = b[0]
        # Sections and centres serve more of the public than work areas, offices the fewest.
        lo, hi = {"sec": (42, 60), "wa": (26, 40), "center": (34, 48)}.get(risk_kind(unit), (20, 28))
        n = rng.randint(lo, hi)
        mu = 1.15 + SURVEY_TARGET[unit] / 25  # the 1–5 mean that gives the target index, less clipping at 5
        spread = 0.35 + (95 - SURVEY_TARGET[unit]) / 60  # unhappier units disagree more
        for i in range(1, n + 1):
            person = rng.gauss(mu, spread)
            answers = []
            for q in range(8):
                v = round(person + QUESTION_SHIFT[q] + rng.gauss(0, 0.45))
                v = min(5, max(1, v))
                answers.append("" if rng.random() < 0.01 else str(v))
            rows.append([unit, f"R{i:03d}"] + answers)
    # One questionnaire came back empty (counted as blank, not as a respondent).
    rows[rng.randrange(len(rows))][2:] = [""] * 8
    return rows


# ---------------------------------------------------------------------------------------------
# Risk register: posts and their risk points by kind of unit; (risk, level, [controls]).
# ---------------------------------------------------------------------------------------------
RISKS = {
    "sec": [
        ("段长", [("养护工程发包、分包中插手干预,谋取私利", "高",
                   ["工程发包集体研究决定,全程记录备查", "段长不直接分管工程计量和物资采购"]),
                  ("违规使用公务车辆", "中", ["公车使用审批登记,定期公示"])]),
        ("养护工程项目负责人", [("虚报工程量、计量签证把关不严", "高",
                                   ["计量实行双人复核,监理签认后报养护管理办公室审核"]),
                                  ("隐蔽工程验收走过场", "中", ["隐蔽工程留存影像资料,验收三方签字"])]),
        ("材料保管员", [("材料出入库不登记、以次充好", "中", ["材料出入库双人签字,每月盘点"]),
                        ("废旧材料私自处置", "低", ["废旧材料集中登记,统一报废处置"])]),
        ("报账员", [("虚开票据、套取资金", "高", ["票据经段长、财务办公室两级审核"])]),
        ("机械设备管理员", [("油料虚报冒领", "中", ["油料按台班定额发放,月底核对"])]),
    ],
    "wa": [
        ("工区长", [("零星工程量虚报、冒领民工工资", "高", ["民工工资实名制发放,工区公示"]),
                    ("养护巡查记录弄虚作假", "中", ["巡查记录与GPS轨迹核对"])]),
        ("材料员", [("材料采购不比价、收受回扣", "高", ["三家比价,采购结果报段审核"]),
                    ("材料领用不登记", "低", ["领用登记,工区长签字"])]),
        ("巡查员", [("路政巡查中吃拿卡要", "中", ["巡查双人同行,执法记录仪全程记录"])]),
    ],
    "office_party": [
        ("党建办主任", [("发展党员程序不规范、优亲厚友", "中", ["发展党员全程纪实,公示期满方可审批"]),
                        ("评优评先暗箱操作", "中", ["评优评先民主推荐,结果公示"])]),
        ("党费管理员", [("党费收缴不及时、挪用党费", "高", ["党费专户管理,每半年公布收缴使用情况"])]),
    ],
    "office_admin": [
        ("公车管理", [("公车私用", "中", ["公车停放定点,出车审批登记"])]),
        ("办公用品采购", [("采购不比价、虚报数量", "中", ["采购计划审批,验收入库双人签字"])]),
        ("公务接待", [("超标准接待", "高", ["接待审批单、公函、清单“三单”齐全"])]),
    ],
    "office_maint": [
        ("工程计量", [("计量不实、多计多付", "高", ["计量资料抽查复核", "与财务办公室支付前联审"])]),
        ("招标投标", [("泄露标底、围标串标", "高", ["招标文件集体审定,评标专家随机抽取"]),
                      ("化整为零规避招标", "高", ["同类项目年度汇总审查"])]),
        ("质量验收", [("验收降低标准", "中", ["验收组三人以上,结果公示"])]),
    ],
    "office_finance": [
        ("会计", [("违规报销、虚列支出", "高", ["报销单据三级审核", "每季度内部审计抽查"]),
                  ("账务处理不及时", "低", ["月结月清"])]),
        ("出纳", [("挪用公款、私存私放", "高", ["银行对账单由会计每月核对"]),
                  ("现金管理不规范", "中", ["库存现金不定期盘点"])]),
    ],
    "center": [
        ("设备采购负责人", [("设备采购指定品牌、收受回扣", "高", ["采购需求集体论证,公开招标"]),
                            ("验收把关不严", "中", ["第三方参与验收"])]),
        ("维修配件管理员", [("配件虚报冒领", "中", ["配件以旧换新,台账登记"])]),
        ("油料管理员", [("油料虚报冒领", "中", ["油料IC卡管理,按车辆定额加油"])]),
        ("应急物资管理员", [("应急物资账实不符", "中", ["应急物资季度盘点"]),
                            ("物资调用不审批", "低", ["调用审批登记"])]),
    ],
}
# Where the register is weak: points whose controls are still missing (the post's n-th risk),
# high points never reviewed or last reviewed over a year before 2026-11-30.
RISK_GAPS = {
    "sec4_nanhu": dict(uncontrolled=[("材料保管员", 1)], stale=[("报账员", 0)]),
    "sec5_dongling": dict(uncontrolled=[("材料保管员", 0), ("机械设备管理员", 0)],
                          stale=[("段长", 0), ("养护工程项目负责人", 0)]),
    "sec3_xishan": dict(stale=[("报账员", 0)]),
    "wa_shuiyuan": dict(uncontrolled=[("巡查员", 0)], unreviewed=[("材料员", 0)]),
    "wa_gaoping": dict(uncontrolled=[("材料员", 1), ("巡查员", 0)], stale=[("工区长", 0)]),
    "wa_songzhuang": dict(uncontrolled=[("工区长", 1), ("材料员", 0), ("巡查员", 0)],
                          stale=[("工区长", 0)], unreviewed=[("材料员", 0)]),
    "office_finance": dict(uncontrolled=[("会计", 1)], stale=[("出纳", 0)]),
    "center_emergency": dict(uncontrolled=[("应急物资管理员", 1)], stale=[("设备采购负责人", 0)]),
    "office_maint": dict(future=[("招标投标", 1)]),
}


def risk_kind(unit: str) -> str:
    for prefix in ("sec", "wa_", "center_"):
        if unit.startswith(prefix):
            return prefix.rstrip("_")
    return unit


def make_risks(rng: random.Random) -> list[list[str]]:
    rows = []
    for b in BRANCHES:
        unit, secretary = b[0], b[2]
        gaps = RISK_GAPS.get(unit, {})
        org, _ = COMMITTEE[unit]
        for post, risks in RISKS[risk_kind(unit)]:
            for k, (risk, level, controls) in enumerate(risks):
                # 主体责任: the unit's leader answers for the high points, the 组织委员 for the rest.
                owner = secretary if level == "高" else org
                # The register was combed through in spring (report problem 5, 一是, due 2026-05-31);
                # high points are looked at again in the autumn.
                reviewed = dt.date(YEAR, rng.randint(3, 5), rng.randint(1, 28))
                if level == "高" and rng.random() < 0.5:
                    reviewed = dt.date(YEAR, rng.randint(9, 11), rng.randint(1, 28))
                if (post, k) in gaps.get("stale", []):
                    reviewed = dt.date(2025, rng.randint(3, 10), rng.randint(1, 28))
                if (post, k) in gaps.get("future", []):
                    reviewed = dt.date(YEAR, 12, rng.randint(2, 10))  # after the as-of date: ignored
                when = "" if (post, k) in gaps.get("unreviewed", []) else reviewed.isoformat()
                if (post, k) in gaps.get("uncontrolled", []):
                    rows.append([unit, post, risk, level, "", owner, when])
                    continue
                for c in controls:
                    rows.append([unit, post, risk, level, c, owner, when])
    return rows


# ---------------------------------------------------------------------------------------------
# --summary: compliance.md §1–3 implemented again, independently of the library.
# ---------------------------------------------------------------------------------------------
def summary(typed: list[dict], survey: list[list[str]], risks: list[list[str]]) -> str:
    out = io.StringIO()
    out.write(f"meetings {YEAR}-01..{AS_OF:%Y-%m} (default rules, branch list = branches.csv; the quarter and "
              "the year that the period cuts are not assessed)\n")
    out.write(f"{'branch':18} {'required':>8} {'met':>4} {'short':>5} {'ratio':>6} {'invalid':>7} "
              f"{'incomplete':>10} {'attendance':>10}  missed\n")
    # Whole months up to AS_OF; a quarter or year counts only when the period holds all of it.
    months = list(range(1, AS_OF.month + 1))
    slots = {"month": [f"{YEAR}-{m:02d}" for m in months],
             "quarter": [f"{YEAR}-Q{q}" for q in range(1, 5) if 3 * q <= months[-1]],
             "year": [str(YEAR)] if months[-1] == 12 else []}
    totals = [0, 0, 0, 0]
    for b in BRANCHES:
        recs = [r for r in typed if r["branch"] == b[0]]
        groups = [g for g, _, _ in b[5]]
        valid: dict[tuple, int] = {}
        invalid = incomplete = att = exp = 0
        for r in recs:
            ok = True
            if r["type"] in QUORUM:
                ok = r["expected"] is not None and r["attended"] is not None and r["attended"] * 2 > r["expected"]
            if ok:
                key = (r["type"], r["group"] if r["type"] == "group" else "", slot_of(r["type"], r["date"]))
                valid[key] = valid.get(key, 0) + 1
                if r["expected"] is not None and r["attended"] is not None:
                    att += r["attended"]
                    exp += r["expected"]
            else:
                invalid += 1
            if (not r["topic"] or not r["host"] or not r["recorder"] or r["expected"] is None
                    or r["attended"] is None or r["minutes"] is not True or not r["photos"]
                    or r["signed"] is not True):
                incomplete += 1
        required = met = 0
        missed = []
        for t in TYPES:
            for g in (groups if t == "group" else [""]):
                for s in slots[PER[t]]:
                    required += 1
                    if valid.get((t, g, s), 0) >= 1:
                        met += 1
                    else:
                        missed.append(f"{ZH[t]}{'/' + g if g else ''} {s}")
        ratio = met / required if required else math.nan
        rate = att / exp if exp else math.nan
        totals = [totals[0] + required, totals[1] + met, totals[2] + invalid, totals[3] + incomplete]
        shown = "; ".join(missed) if len(missed) <= 6 else "; ".join(missed[:6]) + f"; … ({len(missed)} in all)"
        out.write(f"{b[0]:18} {required:8} {met:4} {required - met:5} {ratio:6.3f} {invalid:7} {incomplete:10} "
                  f"{rate:10.3f}  {shown}\n")
    out.write(f"{'total':18} {totals[0]:8} {totals[1]:4} {totals[0] - totals[1]:5} {'':6} {totals[2]:7} "
              f"{totals[3]:10}\n")
    out.write(f"records: {len(typed)}\n\n")

    out.write("survey (index = (mean of respondent means - 1)/4 x 100, 95% t-interval)\n")
    by_unit: dict[str, list[float]] = {}
    answers: dict[str, list[int]] = {}
    for row in survey:
        vals = [int(v) for v in row[2:] if v != ""]
        if vals:
            by_unit.setdefault(row[0], []).append(sum(vals) / len(vals))
            answers.setdefault(row[0], []).extend(vals)
    for unit in sorted(by_unit):
        scores = by_unit[unit]
        n = len(scores)
        mean = sum(scores) / n
        sd = math.sqrt(sum((x - mean) ** 2 for x in scores) / (n - 1))
        half = t975(n - 1) * sd / math.sqrt(n)
        sat = sum(1 for v in answers[unit] if v >= 4) / len(answers[unit])
        out.write(f"{unit:18} n={n:3} index={(mean - 1) * 25:6.2f} "
                  f"ci=[{max(0.0, (mean - half - 1) * 25):6.2f}, {min(100.0, (mean + half - 1) * 25):6.2f}] "
                  f"satisfied={sat:.3f}\n")
    out.write("\n")

    out.write(f"risks as of {AS_OF} (window {AS_OF.replace(year=AS_OF.year - 1)}..{AS_OF})\n")
    points: dict[tuple, dict] = {}
    for unit, post, risk, level, control, _owner, reviewed in risks:
        p = points.setdefault((unit, post, risk), dict(level=level, controls=0, reviewed=None))
        p["controls"] += 1 if control else 0
        if reviewed:
            d = dt.date.fromisoformat(reviewed)
            if d <= AS_OF and (p["reviewed"] is None or d > p["reviewed"]):
                p["reviewed"] = d
    start = AS_OF.replace(year=AS_OF.year - 1)
    for unit in sorted({k[0] for k in points}):
        ps = [p for k, p in points.items() if k[0] == unit]
        high = [p for p in ps if p["level"] == "高"]
        hr = sum(1 for p in high if p["reviewed"] is not None and p["reviewed"] >= start)
        levels = "/".join(str(sum(1 for p in ps if p["level"] == lv)) for lv in "高中低")
        ctl = sum(1 for p in ps if p["controls"] > 0)
        out.write(f"{unit:18} points={len(ps):2} 高/中/低={levels:7} controlled={ctl}/{len(ps)}={ctl / len(ps):.3f} "
                  f"high_reviewed={hr}/{len(high)}" + (f"={hr / len(high):.3f}" if high else "") + "\n")
    return out.getvalue()


def t975(dof: int) -> float:
    """The 0.975 quantile of Student's t by bisection on its CDF (Simpson's rule on the density)."""
    def cdf(x: float) -> float:
        c = math.exp(math.lgamma((dof + 1) / 2) - math.lgamma(dof / 2)) / math.sqrt(dof * math.pi)
        n = 2000
        h = x / n
        f = [c * (1 + (i * h) ** 2 / dof) ** (-(dof + 1) / 2) for i in range(n + 1)]
        return 0.5 + h / 3 * (f[0] + f[-1] + 4 * sum(f[1:-1:2]) + 2 * sum(f[2:-1:2]))

    lo, hi = 0.0, 20.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < 0.975 else (lo, mid)
    return (lo + hi) / 2


def write_csv(path: str, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)), help="folder to write to")
    ap.add_argument("--summary", action="store_true", help="print what the files give instead of writing them")
    args = ap.parse_args(argv)
    rng = random.Random(SEED)
    meetings, typed = make_meetings(rng)
    survey = make_survey(random.Random(SEED + 1))
    risks = make_risks(random.Random(SEED + 2))
    if args.summary:
        sys.stdout.write(summary(typed, survey, risks))
        return 0
    write_csv(os.path.join(args.out, "meetings.csv"), MEETING_HEADER, meetings)
    write_csv(os.path.join(args.out, "branches.csv"), ["branch", "group"], make_branches())
    write_csv(os.path.join(args.out, "survey.csv"), ["unit", "respondent"] + [f"q{i}" for i in range(1, 9)], survey)
    write_csv(os.path.join(args.out, "risks.csv"), ["unit", "post", "risk", "level", "control", "owner", "reviewed"],
              risks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
