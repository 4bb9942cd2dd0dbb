#!/usr/bin/env python3
"""Writes the sample rectification ledger (examples/data/ledger.json, format rectify.ledger/1).

    python3 examples/data/make_ledger.py > examples/data/ledger.json
    python3 examples/data/make_ledger.py --summary            # the state as of 2026-11-30
    python3 examples/data/make_ledger.py --evidence-dir DIR   # also write the evidence files

The ledger encodes the source report (the rectification report in the project's shared seed):
its seven problems, each with the report's numbered measures (一是…四是) word for word,
assigned to the units of the sample bureau (examples/data/units.csv) that the problem concerns.
A measure is carried out per unit, so a report measure that applies to five units becomes five
measures (`P1.M1.sec4_nanhu`, …). The log simulates 2026 from the inspection's feedback
(2026-03-01) to 2026-11-30: starts, tasks done, evidence, submissions reviewed level by level
(科长初审 → 办公室主任复核 → 领导审定, as the report's 科长把关 → 办公室主任审核 → 领导审阅),
returns with 退回意见, closing (销号), and one measure reopened after the September 回头看.

Deterministic (a fixed seed, no clock, standard library only). Every event goes through the
guards of ledger.md §2 (bench/ledger_chain.py) before it is chained, so the log is valid by
construction. Evidence files are not shipped: each one's digest is the SHA-256 of stand-in
content generated from the seed (`--evidence-dir` writes those files, so the digests can be
checked and `rectify ledger act --file` reproduces them).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from ledger_chain import Chain, Guards, MeasureInfo, verify_chain  # noqa: E402

SEED = 20260301
FEEDBACK = dt.date(2026, 3, 1)
AS_OF = dt.date(2026, 11, 30)  # the log ends here: the file is the ledger as of this day
TZ = dt.timezone(dt.timedelta(hours=8))
LEVELS = ["科长初审", "办公室主任复核", "领导审定"]

# id, name, leader (单位负责人), 党建干事, 办公室负责人, diligence (how promptly the unit
# rectifies: drawn from its 2026 inputs in units.csv, so the weak units of the scores lag here too)
UNITS = [
    ("sec1_chengguan", "城关养护段", "张建国", "李娜", "王海燕", 0.92),
    ("sec2_hebei", "河北养护段", "刘永刚", "陈静", "杨帆", 0.90),
    ("sec3_xishan", "西山养护段", "赵志明", "黄丽", "周涛", 0.75),
    ("sec4_nanhu", "南湖养护段", "吴德胜", "徐敏", "孙晓东", 0.62),
    ("sec5_dongling", "东岭养护段", "马卫平", "朱婷", "胡斌", 0.45),
    ("wa_qingshan", "青山工区", "郭长青", "何雪", "林峰", 0.95),
    ("wa_hebei", "河北工区", "高建军", "罗琳", "郑伟", 0.90),
    ("wa_liulin", "柳林工区", "梁国庆", "谢芳", "宋磊", 0.80),
    ("wa_shuiyuan", "水源工区", "韩振华", "唐佳", "冯刚", 0.55),
    ("wa_baima", "白马工区", "于洪波", "董倩", "程然", 0.80),
    ("wa_gaoping", "高平工区", "曹继红", "袁媛", "邓勇", 0.42),
    ("wa_songzhuang", "宋庄工区", "许大鹏", "傅颖", "沈浩", 0.35),
    ("office_party", "党建办公室", "曾立新", "彭雅琴", "吕鹏", 0.95),
    ("office_admin", "综合办公室", "苏建华", "卢静", "蒋文", 0.82),
    ("office_maint", "养护管理办公室", "蔡国栋", "贾丽娟", "丁鑫", 0.80),
    ("office_finance", "财务办公室", "魏淑芬", "薛梅", "叶青", 0.78),
    ("center_machinery", "机械化养护中心", "阎志刚", "余红", "潘伟", 0.90),
    ("center_emergency", "应急保障中心", "杜永胜", "戴雪梅", "夏明", 0.60),
]
UNIT = {u[0]: u for u in UNITS}
ALL_UNITS = [u[0] for u in UNITS]

# Bureau-level reviewers, one pool per level (never an owner, never two levels): level 1 the
# 科长 of the department that supervises the area, level 2 the 局办公室主任, level 3 the 局领导
# in charge; 销号 by the bureau's rectification office (整改办).
KEZHANG = {"party": "钟建平", "general": "汪丽华", "personnel": "田志勇"}  # 党建科, 综合科, 人事科
DIRECTORS = ["姜海波", "范晓红"]  # 局办公室主任, 副主任
LEADERS = {"party": "石国强", "general": "廖振宇"}  # 党委副书记, 副局长
CLOSERS = ["方敏", "邹凯"]  # 整改办
INSPECTOR = "方敏"  # leads the September 回头看

AREAS = [  # ids and names as the scheme's indicator groups (examples/data/scheme.json)
    ("org_life", "“三会一课”落实", "party"),
    ("study", "政治理论学习", "party"),
    ("authenticity", "材料真实性", "general"),
    ("civilisation", "精神文明创建", "party"),
    ("integrity", "党风廉政建设", "party"),
    ("team", "队伍建设", "personnel"),
    ("conduct", "作风建设", "general"),
]
AREA_DEPT = {a[0]: a[2] for a in AREAS}
OWNER_ROLE = {  # who carries a measure in a unit: 3 = 党建干事, 4 = 办公室负责人
    "org_life": 3, "study": 3, "civilisation": 3, "integrity": 3,
    "authenticity": 4, "team": 4, "conduct": 4,
}

WEAK5 = ["sec4_nanhu", "sec5_dongling", "wa_shuiyuan", "wa_gaoping", "wa_songzhuang"]


def M(text, kind, due, units, tasks=(), evidence=(), note="", due_for=None):
    """A report measure: `evidence` the files a unit files for it, `note` the 退回意见 a reviewer
    writes when returning it, `due_for` due dates that differ by unit."""
    return {"text": text, "kind": kind, "due": due, "units": units, "tasks": list(tasks),
            "evidence": list(evidence), "note": note, "due_for": due_for or {}}


# The report, problem by problem: 存在问题 (title and description) and 整改措施 一是…四是 (the
# measure texts verbatim). Units: where the problem was found, from the units' 2026 inputs
# (e.g. records_incomplete ≥ 4 for P1), or the office that owns a bureau-wide measure.
PROBLEMS = [
    {
        "area": "org_life", "severity": "major",
        "title": "支部未按“三会一课”制度要求落实,记录不完整、资料归纳整理不规范",
        "description": "部分单位支部工作未按照“三会一课”制度的要求落实,仍存在记录不完整,资料归纳整理不规范的问题。",
        "measures": [
            M("严格落实“三会一课”。制定年度“三会一课”具体计划,组织党员按期参加党员大会和上党课,定期召开支委会议。",
              "deadline", "2026-04-30", WEAK5,
              tasks=[("起草年度“三会一课”具体计划", "2026-04-15"), ("支委会审议通过并印发计划", "2026-04-30")],
              evidence=["2026年度“三会一课”计划.pdf", "支委会审议计划会议记录.pdf"],
              note="计划未列明党课主题和支委会召开时间,且未附支委会审议记录,请补充"),
            M("党员要如实记录“一本纪”“三会一课”开展情况,“三会一课”要以学习党章党规、学习习近平新时代中国特色社会主义思想为主要内容。",
              "long_term", "2026-09-30", WEAK5,
              evidence=["“一本纪”及“三会一课”记录(3—5月).pdf", "“三会一课”记录(6—8月).pdf", "党课学习内容清单.xlsx"],
              note="会议记录缺少现场图文记录,部分月份记录为事后补记,请如实记录后重新提交"),
            M("针对党员思想工作实际,确定“三会一课”的主题和具体方式,立足本职进行经常性纪律教育,党建干事要做好“三会一课”现场图文记录,并按要求归纳整理相关资料,做好归档工作。",
              "deadline", "2026-06-30", ["sec3_xishan"] + WEAK5 + ["center_emergency"],
              tasks=[("确定全年“三会一课”主题和方式", "2026-04-30"), ("建立现场图文记录制度", "2026-05-31"),
                     ("上半年资料归纳整理并归档", "2026-06-30")],
              evidence=["“三会一课”主题安排表.docx", "“三会一课”现场照片(上半年).zip", "党建资料归档目录.xlsx"],
              note="资料未按年度分类归档,归档目录与实物不符,请整理后重新提交"),
        ],
    },
    {
        "area": "study", "severity": "major",
        "title": "政治学习流于形式,应付检查",
        "description": "各单位对政治学习普遍流于形式,学习内容与工作落实应付检查,一定程度上制约着领导干部行政能力和政策理论水平的提高。",
        "measures": [
            M("强化思想教育,提升党员队伍素质。坚持落实党员干部学习制度,采取多种方式,深入学习党的理论以及习近平新时代中国特色社会主义思想,切实增强党员干部的政治思想素质和综合素质。",
              "deadline", "2026-06-30", ALL_UNITS,
              tasks=[("制定党员干部年度学习计划", "2026-04-15"), ("上半年开展集中学习不少于6次", "2026-06-30")],
              evidence=["党员干部年度学习计划.docx", "集中学习签到表及记录.pdf", "学习心得体会汇编.pdf"],
              note="学习记录内容雷同,存在照抄现象,请如实记录后重新提交"),
            M("加强组织建设,落实党建工作责任。坚持把党建工作与公路养护生产业务工作同部署、同落实、同检查、同考核,切实做到党支部的核心作用得到充分发挥。",
              "deadline", "2026-05-31", ["office_party", "office_maint"],
              evidence=["党建与养护业务“四同”工作方案.pdf", "党建工作责任清单.xlsx"],
              note="方案未明确同检查、同考核的具体办法,请细化"),
            M("持续规范党内管理。扎实落实“三会一课”制度规范化和严肃性,将党支部战斗堡垒作用和党员的先锋模范作用充分的发挥出来。",
              "long_term", "2026-10-31", ["sec5_dongling", "wa_gaoping", "wa_songzhuang"],
              evidence=["党支部规范化建设自查表.xlsx", "党员先锋岗活动记录.pdf"],
              note="自查表与支部实际不符,请逐项核实"),
        ],
    },
    {
        "area": "authenticity", "severity": "major",
        "title": "资料生搬硬套和抄袭",
        "description": "个别单位资料仍存在生搬硬套和抄袭现象。",
        "measures": [
            M("要求各业务办公室加强对材料及上报各类报表的审核把关,做到内容全面、结构完整,确保材料和报表的真实,不弄虚作假。",
              "immediate", "2026-03-31", ["office_party", "office_admin", "office_maint", "office_finance"],
              evidence=["材料报表审核把关制度.pdf", "报表审核登记簿(3月).pdf"],
              note="审核登记簿缺少审核人签字,请补充"),
            M("要求各单位要高度重视各类养护生产第一手资料的正确上报,工区长要严格把关,使填写及上报资料真实反映公路养护生产工作的实际情况;党建相关材料先由办公室负责人把关审核后提交单位领导审阅才能建档立案。",
              "deadline", "2026-04-30", WEAK5,
              evidence=["养护生产资料上报审核流程.pdf", "党建材料逐级审核签批单.pdf", "养护日志与报表核对记录.xlsx"],
              note="报表数据与养护日志不一致,且材料未经单位领导审阅签字,不符合逐级审核要求"),
            M("对党建材料不准确、敷衍了事、生搬硬套的现象,要严肃批评教育,情节严重的要追究相关人员的责任,确保党建工作的真实性、严肃性和有效性。",
              "long_term", "2026-09-30", ["office_party"],
              evidence=["党建材料质量通报(第一期).pdf", "批评教育谈话记录.pdf"],
              note="通报未点明具体问题和责任人,请修改"),
        ],
    },
    {
        "area": "civilisation", "severity": "general",
        "title": "精神文明创建活动缺乏创新、形式单一、参与度不高",
        "description": "在精神文明创建方面,部分单位存在创建活动缺乏创新、形式单一、参与度不高等问题。",
        "measures": [
            M("创新活动形式,丰富活动内容。结合单位实际,围绕弘扬社会主义核心价值观,精心设计、组织开展形式多样、内容丰富的精神文明创建活动,如知识竞赛、演讲比赛、志愿服务等,提高活动的吸引力和参与度。",
              "deadline", "2026-07-31", ["sec5_dongling", "wa_shuiyuan", "wa_gaoping", "wa_songzhuang", "center_emergency"],
              tasks=[("举办社会主义核心价值观知识竞赛", "2026-05-31"), ("举办“最美养路人”演讲比赛", "2026-06-30"),
                     ("开展“畅安舒美”公路志愿服务", "2026-07-31")],
              evidence=["知识竞赛活动方案及照片.zip", "演讲比赛活动总结.docx", "志愿服务活动记录.pdf"],
              note="活动材料只有照片,缺少活动方案和总结,参与人数未统计,请补充"),
            M("加强宣传引导,营造浓厚氛围。充分利用单位网站、宣传栏、电子屏幕等平台,广泛宣传精神文明创建的重要意义和先进典型,形成人人参与、人人支持的良好局面。",
              "deadline", "2026-05-31", ["office_party", "wa_gaoping", "wa_songzhuang"],
              evidence=["宣传栏及电子屏幕更新照片.zip", "先进典型宣传稿件汇编.pdf"],
              note="宣传内容未体现本单位先进典型,请补充"),
            M("注重实效,促进成果转化。将精神文明创建活动与业务工作紧密结合,通过活动促进干部职工思想道德建设和业务能力提升,推动各项工作取得新进展。",
              "long_term", "2026-12-31", ["sec5_dongling", "wa_songzhuang", "center_emergency"],
              evidence=["精神文明创建与业务融合工作总结.docx"],
              note="总结未说明活动对业务工作的促进成效,请补充数据"),
        ],
    },
    {
        "area": "integrity", "severity": "major",
        "title": "廉政风险防控措施不到位、警示教育力度不够",
        "description": "在党风廉政建设方面,少数单位存在廉政风险防控措施不到位、警示教育力度不够等问题。",
        "measures": [
            M("健全廉政风险防控机制。全面梳理岗位职责,查找廉政风险点,制定针对性防控措施,形成科学有效的防控体系。",
              "deadline", "2026-05-31", ["sec5_dongling", "wa_gaoping", "wa_songzhuang", "office_finance"],
              tasks=[("全面梳理岗位职责", "2026-04-15"), ("查找廉政风险点并登记", "2026-04-30"),
                     ("制定针对性防控措施", "2026-05-31")],
              evidence=["岗位职责清单.xlsx", "廉政风险点登记表.xlsx", "廉政风险防控措施汇编.pdf"],
              note="风险点登记不全,物资采购等关键岗位未列入,请补充"),
            M("加大警示教育力度。定期组织观看警示教育片、参观警示教育基地,邀请专家进行专题讲座,增强党员干部廉洁自律意识。",
              "deadline", "2026-08-31", ["sec5_dongling", "wa_gaoping", "wa_songzhuang", "office_finance"],
              tasks=[("组织观看警示教育片", "2026-05-31"), ("参观警示教育基地", "2026-06-30"),
                     ("邀请专家开展专题讲座", "2026-08-31")],
              evidence=["警示教育片观看记录.pdf", "警示教育基地参观照片.zip", "专题讲座签到表.pdf"],
              note="签到表缺少部分党员签名,请核实参加人数"),
            M("强化监督检查。建立健全内部监督机制,加大对重点岗位、关键环节的监督检查力度,及时发现和纠正苗头性、倾向性问题,防止小错酿成大错。",
              "deadline", "2026-06-30", ["office_party", "office_finance"],
              evidence=["内部监督检查办法.pdf", "重点岗位监督检查记录(二季度).pdf"],
              note="检查记录未写明发现的问题及整改情况,请补充"),
            M("严肃执纪问责。对于违反党纪国法的行为,坚决依纪依法处理,绝不姑息迁就,确保党风廉政建设各项要求落到实处。",
              "long_term", "2026-09-30", ["office_party"],
              evidence=["执纪问责工作台账.xlsx", "问责情况通报.pdf"],
              note="台账缺少处理依据和结果,请完善"),
        ],
    },
    {
        "area": "team", "severity": "general",
        "title": "人才储备不足、培养机制不完善、激励机制缺乏",
        "description": "在队伍建设方面,部分单位存在人才储备不足、培养机制不完善、激励机制缺乏等问题。",
        "measures": [
            M("加强人才引进和培养。拓宽选人用人视野,积极引进高层次专业人才,同时加大对现有人员的培训力度,通过举办培训班、外出考察学习等方式,不断提升干部职工的专业技能和综合素质。",
              "deadline", "2026-10-31", ["office_admin", "sec5_dongling", "wa_songzhuang"],
              evidence=["年度培训计划及培训班记录.pdf", "外出考察学习报告.docx"],
              note="培训记录缺少考核结果,请补充",
              due_for={"office_admin": "2026-12-15"}),
            M("完善人才培养机制。建立和完善人才培养规划,明确培养目标和路径,为不同层次、不同类型的人员提供个性化、差异化的培养方案。",
              "deadline", "2026-06-30", ["office_admin"],
              evidence=["人才培养规划(2026—2028).pdf"],
              note="规划未区分不同层次人员的培养路径,请细化"),
            M("健全激励机制。探索建立科学合理的绩效考核体系,将考核结果与评优评先、职务晋升、薪酬待遇挂钩,激发干部职工的积极性和创造性。",
              "deadline", "2026-08-31", ["office_admin", "office_finance"],
              tasks=[("起草绩效考核办法", "2026-06-30"), ("职工代表大会审议通过", "2026-08-31")],
              evidence=["绩效考核办法.pdf", "职代会决议.pdf"],
              note="考核办法未与评优评先、薪酬分配挂钩,请修改后提交"),
            M("注重人文关怀。关心干部职工的工作生活,帮助解决实际困难,营造和谐融洽的工作氛围,增强团队凝聚力和向心力。",
              "long_term", "2026-10-31", ["sec5_dongling", "wa_gaoping", "wa_songzhuang", "center_emergency"],
              evidence=["职工困难帮扶台账.xlsx", "谈心谈话记录.pdf"],
              note="帮扶台账缺少走访记录和帮扶结果,请补充"),
        ],
    },
    {
        "area": "conduct", "severity": "general",
        "title": "服务意识不强、工作作风漂浮",
        "description": "在作风建设方面,少数单位存在服务意识不强、工作作风漂浮等问题。",
        "measures": [
            M("深化作风建设。深入开展“不忘初心、牢记使命”主题教育,引导党员干部牢固树立全心全意为人民服务的宗旨意识,切实转变工作作风,提高服务质量和效率。",
              "deadline", "2026-06-30", WEAK5,
              evidence=["主题教育实施方案.pdf", "主题教育学习记录.pdf"],
              note="整改材料为上年方案改写,请结合本单位实际重新制定"),
            M("优化服务流程。简化办事程序,减少审批环节,推行“一站式”服务,让群众少跑腿、好办事、不添堵。",
              "deadline", "2026-07-31", ["office_admin", "office_maint"],
              evidence=["办事流程精简清单.xlsx", "“一站式”服务窗口照片.zip"],
              note="精简前后的办事环节未对比说明,请补充"),
            M("加强监督管理。建立健全服务评价体系,定期开展服务满意度调查,主动接受社会监督,及时整改存在的问题。",
              "deadline", "2026-09-30", ["office_admin", "sec5_dongling", "wa_gaoping", "wa_songzhuang"],
              tasks=[("建立服务评价体系", "2026-06-30"), ("开展服务满意度调查", "2026-09-30")],
              evidence=["服务评价办法.pdf", "服务满意度调查报告.pdf"],
              note="满意度调查样本不足,请扩大调查范围后重新提交",
              due_for={"office_admin": "2026-12-15"}),
            M("强化责任追究。对于服务态度差、工作效率低、群众意见大的工作人员,要严肃批评教育,情节严重的要调离工作岗位或给予相应处分,确保作风建设取得实效。",
              "long_term", "2026-09-30", ["office_party"],
              evidence=["作风问题责任追究台账.xlsx"],
              note="台账未列明追究依据和处理结果,请完善"),
        ],
    },
]

# Outcomes fixed by hand, so the sample shows every case whatever the seed draws: the one
# reopened measure, long-term measures verified at their autumn checkpoint but not closable
# before their due date, and end-of-year measures in progress before they are due.
PINNED = {
    "P3.M2.wa_gaoping": "reopened",
    "P4.M3.center_emergency": "on_time",
    "P4.M3.sec5_dongling": "on_time",
    "P6.M1.office_admin": "on_time",
    "P7.M3.office_admin": "on_time",
}
REOPEN = ("P3.M2.wa_gaoping",
          "回头看:9月抽查发现8月养护生产日报表与巡查记录不符,存在照抄上月数据现象,问题反弹,重新整改")

# Holidays of 2026 on which nobody acts (清明, 劳动节, 端午, 中秋, 国庆).
HOLIDAYS = set()
for a, b in [((4, 4), (4, 6)), ((5, 1), (5, 5)), ((6, 19), (6, 21)), ((9, 25), (9, 27)), ((10, 1), (10, 8))]:
    d = dt.date(2026, *a)
    while d <= dt.date(2026, *b):
        HOLIDAYS.add(d)
        d += dt.timedelta(days=1)


def workday(d: dt.date) -> bool:
    return d.weekday() < 5 and d not in HOLIDAYS


def next_workday(d: dt.date) -> dt.date:
    while not workday(d):
        d += dt.timedelta(days=1)
    return d


def add_workdays(d: dt.date, n: int) -> dt.date:
    d = next_workday(d)
    for _ in range(n):
        d = next_workday(d + dt.timedelta(days=1))
    return d


def parse_date(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


class Clock:
    """The times of one measure's events: working days, 08:30–17:30 local time (+08:00), each
    event after the previous one."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.last: dt.datetime | None = None

    def on(self, d: dt.date) -> dt.datetime:
        """An instant on working day `d` (or the next one), after the previous event."""
        d = next_workday(d)
        if self.last is not None and d < self.last.date():
            d = self.last.date()
        lo = dt.datetime(d.year, d.month, d.day, 8, 30, tzinfo=TZ)
        if self.last is not None and self.last.date() == d:
            lo = self.last + dt.timedelta(minutes=10)
        hi = dt.datetime(d.year, d.month, d.day, 17, 30, tzinfo=TZ)
        if lo > hi:  # no room left that day
            return self.on(d + dt.timedelta(days=1))
        span = int((hi - lo).total_seconds() // 60)
        t = lo + dt.timedelta(minutes=self.rng.randint(0, min(span, 150)))
        self.last = t.replace(second=self.rng.randint(0, 59)) if t.date() == d else t
        if self.last < lo:
            self.last = lo
        return self.last

    def after(self, lo: int, hi: int) -> dt.datetime:
        """An instant `lo`..`hi` working days after the previous event."""
        assert self.last is not None
        return self.on(add_workdays(self.last.date(), self.rng.randint(lo, hi)))

    def between(self, a: dt.date, b: dt.date) -> dt.datetime:
        if self.last is not None and a < self.last.date():
            a = self.last.date()
        if b < a:
            b = a
        return self.on(a + dt.timedelta(days=self.rng.randint(0, (b - a).days)))


EXT_BYTES = {"pdf": (180_000, 2_400_000), "zip": (1_500_000, 3_000_000), "xlsx": (18_000, 90_000),
             "docx": (25_000, 160_000)}


def evidence_blob(measure_id: str, name: str) -> bytes:
    """The stand-in content of an evidence file: seeded bytes of a size typical of its type."""
    r = random.Random(f"{SEED}/{measure_id}/{name}")
    lo, hi = EXT_BYTES[name.rsplit(".", 1)[1]]
    return r.randbytes(r.randint(lo, hi))


class Builder:
    """Collects the plan and the per-measure event scripts."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.measures: list[dict] = []  # plan measures, file order
        self.meta: dict[str, dict] = {}  # measure id -> area, evidence names, reviewers...
        self.problems: list[dict] = []
        self.scripts: list[list[tuple[dt.datetime, dict]]] = []
        self.blobs: dict[tuple[str, str], bytes] = {}

    def plan(self) -> None:
        for pi, p in enumerate(PROBLEMS, 1):
            units_seen: list[str] = []
            out = []
            for mi, m in enumerate(p["measures"], 1):
                for u in m["units"]:
                    if u not in units_seen:
                        units_seen.append(u)
                    mid = f"P{pi}.M{mi}.{u}"
                    due = m["due_for"].get(u, m["due"])
                    rec = {"id": mid, "text": m["text"], "kind": m["kind"], "unit": u, "leader": UNIT[u][2],
                           "owner": UNIT[u][OWNER_ROLE[p["area"]]], "due": due}
                    if m["tasks"]:
                        rec["tasks"] = [{"id": f"{mid}.T{k}", "text": t, "due": min(td, due)}
                                        for k, (t, td) in enumerate(m["tasks"], 1)]
                    out.append(rec)
                    self.measures.append(rec)
                    self.meta[mid] = {"area": p["area"], "evidence": m["evidence"], "note": m["note"], "unit": u}
            order = {u: i for i, u in enumerate(ALL_UNITS)}
            self.problems.append({"id": f"P{pi}", "area": p["area"], "title": p["title"],
                                  "description": p["description"], "units": sorted(units_seen, key=order.get),
                                  "severity": p["severity"], "measures": out})

    # ---- scenarios ---------------------------------------------------------------------------

    def reviewers(self, area: str) -> list[str]:
        dept = AREA_DEPT[area]
        return [KEZHANG[dept], self.rng.choice(DIRECTORS), LEADERS["general" if dept == "personnel" else dept]]

    def evidence(self, m: dict, name: str) -> dict:
        blob = evidence_blob(m["id"], name)
        self.blobs[(m["id"], name)] = blob
        return {"name": name, "sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob)}

    def script(self, m: dict, outcome: str) -> list[tuple[dt.datetime, dict]]:
        """The events of one measure. `outcome`: on_time, late, returned_on_time,
        returned_late, reopened, submitted, in_progress or planned. Anything that would fall
        after AS_OF is cut off (a prefix of a valid script is valid), so a slow measure simply
        ends up still open."""
        rng, meta = self.rng, self.meta[m["id"]]
        clock = Clock(rng)
        ev: list[tuple[dt.datetime, dict]] = []
        owner, due, kind = m["owner"], parse_date(m["due"]), m["kind"]
        tasks = [t["id"] for t in m.get("tasks", [])]
        task_due = {t["id"]: parse_date(t["due"]) for t in m.get("tasks", [])}
        unit_name = UNIT[m["unit"]][1]
        names = [unit_name + n for n in meta["evidence"]]
        area = meta["area"]
        if outcome == "planned":
            return ev

        def add(t: dt.datetime, action: str, by: str, **kw) -> None:
            ev.append((t, {"at": t.isoformat(), "by": by, "measure": m["id"], "action": action, **kw}))

        def review(levels: range, late: bool, who: list[str]) -> None:
            for k in levels:
                add(clock.after(2, 6) if late else clock.after(1, 3), "approve", who[k - 1], level=k)

        # start: diligent units within two weeks of the feedback, others later
        diligence = UNIT[m["unit"]][5]
        start_by = 10 if diligence > 0.7 else 25 if diligence > 0.5 else 45
        if outcome == "in_progress":
            start_by += 60
        if kind == "immediate":
            start_by = 3
        add(clock.on(add_workdays(FEEDBACK, rng.randint(1, start_by))), "start", owner)
        late = outcome in ("late", "returned_late")
        # the day the measure is submitted: well before due when on time, around or after due when late
        if outcome in ("submitted",):
            submit_day = AS_OF - dt.timedelta(days=rng.randint(4, 30))
        elif late:
            submit_day = due + dt.timedelta(days=rng.randint(0, 35))
        else:
            submit_day = due - dt.timedelta(days=rng.randint(14, 30))
        if kind == "long_term" and due > AS_OF and outcome in ("on_time", "returned_on_time"):
            # a checkpoint review in the autumn: verified now, closable (销号) only after due
            submit_day = AS_OF - dt.timedelta(days=rng.randint(30, 60))
        if outcome.startswith("returned"):  # the first submission comes earlier, the rework after it
            submit_day -= dt.timedelta(days=18)
        work_end = submit_day - dt.timedelta(days=1)
        n_ev = min(len(names), 1 + rng.randint(0, 1) + (1 if tasks else 0))
        # work: tasks in their due order, each followed by a piece of evidence, the rest after
        ordered: list[tuple[str, str]] = []
        for i in range(max(len(tasks), n_ev)):
            if i < len(tasks):
                ordered.append(("task", tasks[i]))
            if i < n_ev:
                ordered.append(("evidence", names[i]))
        if outcome == "in_progress":
            ordered = ordered[: rng.randint(0, max(0, len(ordered) - 1))]
        start_day = clock.last.date()
        span = max((work_end - start_day).days, 1)
        for i, (what, x) in enumerate(ordered):
            target = start_day + dt.timedelta(days=span * (i + 1) // (len(ordered) + 1))
            if what == "task" and not late:
                target = min(target, task_due[x] - dt.timedelta(days=2))
            t = clock.between(target, target + dt.timedelta(days=3))
            if what == "task":
                add(t, "task_done", owner, task=x)
            else:
                add(t, "evidence", owner, evidence=self.evidence(m, x))
        if outcome == "in_progress":
            return ev
        who = self.reviewers(area)
        add(clock.between(submit_day, submit_day + dt.timedelta(days=2)), "submit", owner)
        if outcome == "submitted":
            if rng.random() < 0.5:
                review(range(1, 2), True, who)
            return ev
        if outcome.startswith("returned"):
            k = 1 if rng.random() < 0.6 else 2
            review(range(1, k), late, who)
            add(clock.after(1, 4), "return", who[k - 1], level=k, note=meta["note"])
            fixed = names[n_ev] if n_ev < len(names) else names[-1].replace(".", "(修改稿).", 1)
            add(clock.after(3, 8), "evidence", owner, evidence=self.evidence(m, fixed))
            add(clock.after(0, 2), "submit", owner)
        review(range(1, len(LEVELS) + 1), late, who)
        closer = rng.choice(CLOSERS)
        if kind == "long_term":
            close_day = max(clock.last.date(), due) + dt.timedelta(days=rng.randint(1, 20))
            add(clock.on(close_day), "close", closer)
        else:
            add(clock.after(2, 15), "close", closer)
        if outcome == "reopened":
            note = REOPEN[1]
            add(clock.between(dt.date(2026, 9, 14), dt.date(2026, 9, 18)), "reopen", INSPECTOR, note=note)
            add(clock.after(5, 10), "evidence", owner,
                evidence=self.evidence(m, unit_name + "8—9月养护生产日报表与巡查记录核对表.xlsx"))
            add(clock.after(3, 8), "evidence", owner, evidence=self.evidence(m, unit_name + "回头看整改情况报告.pdf"))
            add(clock.after(0, 2), "submit", owner)
            review(range(1, len(LEVELS) + 1), True, self.reviewers(area))
            add(clock.after(2, 6), "close", rng.choice(CLOSERS))
        return ev

    def outcome(self, m: dict) -> str:
        """What happens to a measure over the year, by its unit's diligence (seeded)."""
        if m["id"] in PINNED:
            return PINNED[m["id"]]
        q = UNIT[m["unit"]][5]
        r = self.rng.random()
        if q < 0.7 and r < 0.1:  # a lagging unit that has not even started
            return "planned"
        r = self.rng.random()
        if r < q * 0.85:
            return "returned_on_time" if self.rng.random() < 0.12 else "on_time"
        if r < q * 0.85 + 0.35:
            return "returned_late" if self.rng.random() < 0.35 else "late"
        return "submitted" if self.rng.random() < 0.4 else "in_progress"

    def build(self) -> dict:
        self.plan()
        events = []
        for i, m in enumerate(self.measures):
            for k, (t, e) in enumerate(self.script(m, self.outcome(m))):
                if t.date() <= AS_OF:
                    events.append((t, i, k, e))
                else:
                    break
        events.sort(key=lambda x: (x[0], x[1], x[2]))
        infos = {m["id"]: MeasureInfo(owner=m["owner"], due=m["due"], kind=m["kind"],
                                      tasks=tuple(t["id"] for t in m.get("tasks", []))) for m in self.measures}
        guards, chain, log = Guards(infos, len(LEVELS)), Chain(), []
        for t, _, _, e in events:
            guards.apply(e, int(t.timestamp()))
            ordered = {"seq": 0, "at": e["at"], "by": e["by"], "measure": e["measure"], "action": e["action"]}
            for key in ("level", "task", "note", "evidence"):
                if key in e:
                    ordered[key] = e[key]
            log.append(chain.seal(ordered))
        assert verify_chain(log) is None
        self.guards = guards
        for m in self.measures:
            m["state"] = guards.progress[m["id"]].state
        return {
            "format": "rectify.ledger/1",
            "id": "hw-party-2026-rectification",
            "title": "2026年党建及精神文明创建工作检查整改台账",
            "source": {"kind": "检查", "ref": "党建及精神文明创建工作检查反馈意见及整改方案", "feedback": FEEDBACK.isoformat()},
            "review_levels": LEVELS,
            "escalation": {"remind_days": 7, "accountable_days": 30},
            "areas": [{"id": a, "name": n} for a, n, _ in AREAS],
            "problems": self.problems,
            "log": log,
        }


def dump(doc: dict) -> str:
    """Two-space JSON with one event per line (the log is long; the hash does not depend on
    layout, ledger.md §3)."""
    log = doc["log"]
    head = json.dumps({**doc, "log": []}, ensure_ascii=False, indent=2)
    assert head.endswith('"log": []\n}')
    lines = ",\n".join("    " + json.dumps(e, ensure_ascii=False) for e in log)
    return head[: -len("[]\n}")] + "[\n" + lines + "\n  ]\n}\n"


def summary(b: Builder, doc: dict) -> str:
    """The state as of AS_OF, as the README describes it (computed from the replay)."""
    g = b.guards
    out = []
    states: dict[str, int] = {}
    for m in b.measures:
        states[g.progress[m["id"]].state] = states.get(g.progress[m["id"]].state, 0) + 1
    out.append(f"measures {len(b.measures)}, tasks {sum(len(m.get('tasks', [])) for m in b.measures)}, "
               f"events {len(doc['log'])}, from {doc['log'][0]['at']} to {doc['log'][-1]['at']}")
    out.append("states: " + ", ".join(f"{s} {states.get(s, 0)}" for s in
                                      ("planned", "in_progress", "submitted", "verified", "closed")))
    acts: dict[str, int] = {}
    for e in doc["log"]:
        acts[e["action"]] = acts.get(e["action"], 0) + 1
    out.append("actions: " + ", ".join(f"{k} {v}" for k, v in sorted(acts.items())))
    on_time = late = 0
    overdue = []
    for m in b.measures:
        p = g.progress[m["id"]]
        if p.verified_on is not None and p.state in ("verified", "closed"):
            if p.verified_on <= m["due"]:
                on_time += 1
            else:
                late += 1
        elif m["due"] < AS_OF.isoformat():
            overdue.append((AS_OF - parse_date(m["due"])).days)
    out.append(f"verified or closed on time {on_time}, late {late}; overdue {len(overdue)} "
               f"(days overdue {min(overdue, default=0)}–{max(overdue, default=0)}; "
               f"over 30 days {sum(d > 30 for d in overdue)})")
    returned = [m["id"] for m in b.measures if g.progress[m["id"]].returns]
    reopened = [m["id"] for m in b.measures if g.progress[m["id"]].reopens]
    out.append(f"returned: {len(returned)} measures ({', '.join(returned)})")
    out.append(f"reopened: {', '.join(reopened)}")
    not_due = [m["id"] for m in b.measures if m["due"] >= AS_OF.isoformat()]
    out.append(f"due after {AS_OF}: {', '.join(not_due)}")
    for s in ("planned", "in_progress", "submitted", "verified"):
        ids = [m["id"] for m in b.measures if g.progress[m["id"]].state == s]
        out.append(f"{s}: {', '.join(ids)}")
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--summary", action="store_true", help="print the state as of 2026-11-30 instead")
    ap.add_argument("--evidence-dir", help="also write the stand-in evidence files here (measure/name)")
    a = ap.parse_args(argv)
    b = Builder()
    doc = b.build()
    if a.evidence_dir:
        for (mid, name), blob in b.blobs.items():
            d = os.path.join(a.evidence_dir, mid)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, name), "wb") as f:
                f.write(blob)
    out = summary(b, doc) if a.summary else dump(doc)
    sys.stdout.buffer.write(out.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
