#!/usr/bin/env python3
"""`rectify meetings`, `rectify survey` and `rectify risks` end to end (docs/cli.md; docs/compliance.md,
"Command line"; ../shared/docs/compliance.md §1–3).

    python3 tests/cli/test_compliance_cli.py RECTIFY_CLI_PATH

Runs in tests/data/compliance/cli/ so that places read `records.csv:4`. Every expected number is
worked out by hand from the contract in the comments at MEETINGS_*, SURVEY_* and RISKS_*: each
command in each format (table, json, csv, --inputs), the branch list, a rules file and
--print-rules (and its round trip), the --inputs CSV scored by `rectify score` with a tiny scheme,
bad files (exit 1, every problem named `file:line:column`, nothing on stdout) and bad usage
(exit 2). Prints one line per check and exits 1 if any failed. Standard library only.
"""
import csv
import io
import json
import math
import os
import re
import sys
import tempfile

from clitest import ROOT, expect, failures, run, width

DATA = os.path.join(ROOT, "tests", "data", "compliance", "cli")
BAD = os.path.join(DATA, "bad")
PERIOD = ["--from", "2026-04", "--to", "2026-06"]


def close(a, b):
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def num(cell):
    """A CSV cell as a number, None when empty (NaN)."""
    return None if cell == "" else float(cell)


# ---------------------------------------------------------------------------------------------
# Plain-text tables: cells separated by two or more spaces; columns line up by display width.


def cells_with_spans(line):
    """[(cell, display column where it starts, display column where it ends)]."""
    out, col, i = [], 0, 0
    for m in re.finditer(r"\S+(?: \S+)*", line):
        start = col + width(line[i:m.start()])
        col = start + width(m.group(0))
        i = m.end()
        out.append((m.group(0), start, col))
    return out


def table_block(out, head):
    """The rows (lists of cells) of the aligned table whose header is exactly `head`, and whether
    every column lines up (all rows start at the header's column, or all end there)."""
    lines = out.splitlines()
    for k, line in enumerate(lines):
        spans = cells_with_spans(line)
        if [c for c, _, _ in spans] == head:
            block = [spans]
            for row in lines[k + 1:]:
                if not row.strip():
                    break
                block.append(cells_with_spans(row))
            ok = all(len(r) == len(head) for r in block)
            for c in range(len(head)):
                if not ok:
                    break
                starts = {r[c][1] for r in block}
                ends = {r[c][2] for r in block}
                ok = len(starts) == 1 or len(ends) == 1
            return [[c for c, _, _ in r] for r in block[1:]], ok
    return None, False


def ran(label, code, out, err):
    expect(f"{label}: exit 0, nothing on stderr", code == 0 and err == "", f"exit {code}: {err.strip()[:500]}")
    return code == 0


# ---------------------------------------------------------------------------------------------
# Meetings: records.csv over 2026-04..2026-06 with the default rules (compliance.md §1).
#
# The period holds one whole quarter (2026-Q2) and cuts the year 2026, so 组织生活会 and
# 民主评议党员 are not assessed (one not_assessed finding each, slot "2026"). Slots per branch:
# 党员大会 1 (Q2), 支委会 3, 党小组会 3 per group, 党课 1 (Q2), 主题党日 3.
#
# 一支部 (group 第一党小组 from its records): 11 slots. 党员大会 04-10 valid (15 of 20): Q2 met.
# 支委会 04-03 (5/5) valid; 05-08 (2 of 5, 2×2 = 4 ≤ 5) invalid, so 2026-05 is missed; 06-05 (3/5)
# valid but 0 photos: incomplete. 党小组会 04-15 and 06-20: 2026-05 missed. 党课 05-20 valid, not
# signed: incomplete. 主题党日 04, 05, 06 met; 03-15 is outside the period. Met 1+2+2+1+3 = 9,
# short 2; 10 records in the period, 1 invalid, 2 incomplete; attendance over valid meetings:
# (15+5+3+7+7+18+16×3) / (20+5+5+8+8+20+20×3) = 103/126.
#
# 二支部 (no groups): 8 slots. 党员大会 05-12 has no attended count: invalid (the quorum cannot be
# checked) and incomplete (attended missing), so Q2 is missed. 支委会 04, 05, 06 met (3/3). 党课
# none in the period (07-02 is outside): Q2 missed. 主题党日 04-20 and 04-28 (April twice), 06-18:
# 2026-05 missed. Met 0+3+0+2 = 5, short 3; 7 records, 1 invalid, 1 incomplete; attendance
# (3×3 + 9×3) / (3×3 + 10×3) = 36/39. Records outside: 2.
MEETINGS_INPUTS = [("一支部", 11, 2, 9 / 11, 2, 103 / 126), ("二支部", 8, 3, 5 / 8, 1, 36 / 39)]
# With branches.csv: 一支部 has 第一党小组 and 第二党小组 (3 more slots, all missed: 14 required, 9
# met); 三支部 (group 一组) has no records: 11 slots all missed, ratio 0, attendance empty.
MEETINGS_INPUTS_BRANCHES = [("一支部", 14, 5, 9 / 14, 2, 103 / 126), ("二支部", 8, 3, 5 / 8, 1, 36 / 39),
                            ("三支部", 11, 11, 0.0, 0, None)]
# Table summary rows: 支部 应开 已开 缺 完成率 会议记录 无效 记录不全 参会率.
MEETINGS_SUMMARY = [["一支部", "11", "9", "2", "81.8%", "10", "1", "2", "81.7%"],
                    ["二支部", "8", "5", "3", "62.5%", "7", "1", "1", "92.3%"]]
MEETINGS_MISSED = [["一支部", "支委会", "-", "每月至少 1 次", "2026-05"],
                   ["一支部", "党小组会", "第一党小组", "每月至少 1 次 (每个党小组)", "2026-05"],
                   ["二支部", "党员大会", "-", "每季度至少 1 次", "2026-Q2"],
                   ["二支部", "党课", "-", "每季度至少 1 次", "2026-Q2"],
                   ["二支部", "主题党日", "-", "每月至少 1 次", "2026-05"]]
MEETINGS_INVALID = [["一支部", "支委会", "2026-05-08", "实到 2 人 / 应到 5 人，未超过半数", "records.csv:4"],
                    ["二支部", "党员大会", "2026-05-12", "未记录应到、实到人数，无法核对是否达到法定人数",
                     "records.csv:13"]]
MEETINGS_INCOMPLETE = [["一支部", "支委会", "2026-06-05", "现场照片", "records.csv:5"],
                       ["一支部", "党课", "2026-05-20", "签到签字", "records.csv:8"],
                       ["二支部", "党员大会", "2026-05-12", "实到人数", "records.csv:13"]]
# (kind, branch, type, group, slot, date, place) of every finding, sorted.
MEETINGS_FINDINGS = sorted([
    ("not_assessed", "", "life_meeting", "", "2026", None, None),
    ("not_assessed", "", "member_review", "", "2026", None, None),
    ("missed", "一支部", "committee", "", "2026-05", None, None),
    ("missed", "一支部", "group", "第一党小组", "2026-05", None, None),
    ("missed", "二支部", "general_meeting", "", "2026-Q2", None, None),
    ("missed", "二支部", "lecture", "", "2026-Q2", None, None),
    ("missed", "二支部", "theme_day", "", "2026-05", None, None),
    ("invalid", "一支部", "committee", "", "2026-05", "2026-05-08", "records.csv:4"),
    ("invalid", "二支部", "general_meeting", "", "2026-Q2", "2026-05-12", "records.csv:13"),
    ("incomplete", "一支部", "committee", "", "2026-06", "2026-06-05", "records.csv:5"),
    ("incomplete", "一支部", "lecture", "", "2026-Q2", "2026-05-20", "records.csv:8"),
    ("incomplete", "二支部", "general_meeting", "", "2026-Q2", "2026-05-12", "records.csv:13"),
], key=str)
MEETING_TYPES = ["general_meeting", "committee", "group", "lecture", "theme_day", "life_meeting", "member_review"]
# 一支部 per type (required, met, held, invalid), in rules order.
MEETINGS_TYPES_1 = [(1, 1, 1, 0), (3, 2, 3, 1), (3, 2, 2, 0), (1, 1, 1, 0), (3, 3, 3, 0), (0, 0, 0, 0), (0, 0, 0, 0)]


def inputs_rows(out):
    rows = list(csv.reader(io.StringIO(out)))
    return rows[0], [tuple([r[0]] + [num(c) for c in r[1:]]) for r in rows[1:]]


def same_rows(got, want):
    return len(got) == len(want) and all(
        g[0] == w[0] and len(g) == len(w) and all(close(a, b) for a, b in zip(g[1:], w[1:])) for g, w in zip(got, want))


def check_meetings(cli):
    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, cwd=DATA)
    if ran("meetings table", code, out, err):
        expect("meetings table: title with the period, counts and the records outside",
               out.startswith("三会一课检查 2026-04 至 2026-06: 2 个支部, 17 条会议记录 (另有 2 条在检查期外, 未计入)\n"),
               out.splitlines()[0])
        expect("meetings table: cites the regulation", "依据: 《中国共产党支部工作条例" in out, out[:300])
        rows, ok = table_block(out, ["支部", "应开", "已开", "缺", "完成率", "会议记录", "无效", "记录不全", "参会率"])
        expect("meetings table: per-branch summary", rows == MEETINGS_SUMMARY, f"\n      got:  {rows}")
        expect("meetings table: summary aligned by display width", ok, out)
        rows, ok = table_block(out, ["支部", "会议类型", "党小组", "要求", "缺的时段"])
        expect("meetings table: 缺会 per type with the missed slots", rows == MEETINGS_MISSED, f"\n      got:  {rows}")
        expect("meetings table: 缺会 aligned", ok, out)
        expect("meetings table: 缺会 section title", "\n缺会\n" in out, out)
        rows, ok = table_block(out, ["支部", "会议类型", "日期", "原因", "位置"])
        expect("meetings table: 无效 with the reason and the line", rows == MEETINGS_INVALID, f"\n      got:  {rows}")
        expect("meetings table: 无效 aligned", ok and "\n无效\n" in out, out)
        rows, ok = table_block(out, ["支部", "会议类型", "日期", "缺项", "位置"])
        expect("meetings table: 记录不全 with the missing fields and the line", rows == MEETINGS_INCOMPLETE,
               f"\n      got:  {rows}")
        expect("meetings table: 记录不全 aligned", ok and "\n记录不全\n" in out, out)
        expect("meetings table: the year the period cuts is not assessed",
               "\n不考核 (检查期未覆盖整个时段): 2026 组织生活会、民主评议党员\n" in out, out)

    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, "--inputs", cwd=DATA)
    if ran("meetings --inputs", code, out, err):
        head, rows = inputs_rows(out)
        expect("meetings --inputs: header", head == ["unit", "meetings_required", "meetings_short",
                                                     "meetings_met_ratio", "records_incomplete", "attendance_rate"], head)
        expect("meetings --inputs: values", same_rows(rows, MEETINGS_INPUTS), f"\n      got:  {rows}")
        expect("meetings --inputs: full precision", repr(9 / 11) in out and repr(103 / 126) in out, out)

    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, "--branches", "branches.csv", "--inputs", cwd=DATA)
    if ran("meetings --branches --inputs", code, out, err):
        _, rows = inputs_rows(out)
        expect("meetings --branches: branch-list order, a branch without records, groups from the list",
               same_rows(rows, MEETINGS_INPUTS_BRANCHES), f"\n      got:  {rows}")
        expect("meetings --branches: no attendance is an empty cell", out.splitlines()[-1] == "三支部,11,11,0,0,", out)

    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, "--branches", "branches.csv", cwd=DATA)
    if ran("meetings --branches table", code, out, err):
        rows, _ = table_block(out, ["支部", "应开", "已开", "缺", "完成率", "会议记录", "无效", "记录不全", "参会率"])
        expect("meetings --branches table: 三支部 all missed, rates shown as - when empty",
               rows is not None and rows[-1] == ["三支部", "11", "0", "11", "0.0%", "0", "0", "0", "-"], str(rows))
        rows, _ = table_block(out, ["支部", "会议类型", "党小组", "要求", "缺的时段"])
        want = [["一支部", "党小组会", "第二党小组", "每月至少 1 次 (每个党小组)", "全部 3 个月 (2026-04 至 2026-06)"],
                ["三支部", "党员大会", "-", "每季度至少 1 次", "2026-Q2"],
                ["三支部", "支委会", "-", "每月至少 1 次", "全部 3 个月 (2026-04 至 2026-06)"],
                ["三支部", "党小组会", "一组", "每月至少 1 次 (每个党小组)", "全部 3 个月 (2026-04 至 2026-06)"]]
        expect("meetings --branches table: every slot missed is said as 全部, a group without records too",
               rows is not None and all(w in rows for w in want), str(rows))

    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, "--format", "json", cwd=DATA)
    if ran("meetings json", code, out, err):
        doc = json.loads(out)
        expect("meetings json: period and records outside",
               (doc["from"], doc["to"], doc["records_outside"]) == ("2026-04", "2026-06", 2), str(doc)[:300])
        expect("meetings json: the rules as a rules file", doc["rules"]["format"] == "rectify.meeting-rules/1"
               and [t["id"] for t in doc["rules"]["types"]] == MEETING_TYPES
               and doc["rules"]["types"][1]["quorum"] == "majority" and doc["rules"]["types"][2]["scope"] == "group"
               and doc["rules"]["types"][0]["per"] == "quarter" and "signed" in doc["rules"]["types"][0]["complete"],
               json.dumps(doc["rules"], ensure_ascii=False)[:400])
        b = doc["branches"]
        got = [(x["branch"], x["required"], x["met"], x["records"], x["invalid"], x["incomplete"], x["attended"],
                x["expected"], x["met_ratio"], x["attendance_rate"], x["groups"]) for x in b]
        want = [("一支部", 11, 9, 10, 1, 2, 103, 126, 9 / 11, 103 / 126, ["第一党小组"]),
                ("二支部", 8, 5, 7, 1, 1, 36, 39, 5 / 8, 36 / 39, [])]
        expect("meetings json: branches", got == want, f"\n      got:  {got}")
        got = [(t["required"], t["met"], t["held"], t["invalid"]) for t in b[0]["types"]] if b else None
        expect("meetings json: 一支部 per type", got == MEETINGS_TYPES_1 and
               [t["type"] for t in b[0]["types"]] == MEETING_TYPES, str(got))
        got = sorted([(f["kind"], f["branch"], f["type"], f["group"], f["slot"], f["on"], f["place"])
                      for f in doc["findings"]], key=str)
        expect("meetings json: every finding, dates ISO, places file:line", got == MEETINGS_FINDINGS,
               f"\n      got:  {got}")
        missing = {f["place"]: f["missing"] for f in doc["findings"] if f["kind"] == "incomplete"}
        expect("meetings json: missing fields by name", missing == {
            "records.csv:5": ["photos"], "records.csv:8": ["signed"], "records.csv:13": ["attended"]}, str(missing))
        expect("meetings json: findings in contract order (not_assessed first)",
               [f["kind"] for f in doc["findings"][:2]] == ["not_assessed"] * 2, str(doc["findings"][:3]))

    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, "--branches", "branches.csv", "--format", "json",
                         cwd=DATA)
    if ran("meetings --branches json", code, out, err):
        b = json.loads(out)["branches"]
        expect("meetings --branches json: NaN as null", b[-1]["branch"] == "三支部" and b[-1]["attendance_rate"] is None
               and b[-1]["met_ratio"] == 0 and b[0]["groups"] == ["第一党小组", "第二党小组"], str(b[-1]))

    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, "--format", "csv", cwd=DATA)
    if ran("meetings csv", code, out, err):
        rows = list(csv.DictReader(io.StringIO(out)))
        expect("meetings csv: header", out.splitlines()[0] == "kind,branch,type,group,slot,date,place,detail",
               out.splitlines()[0])
        got = sorted([(r["kind"], r["branch"], r["type"], r["group"], r["slot"], r["date"] or None,
                       r["place"] or None) for r in rows], key=str)
        expect("meetings csv: one row per finding", got == MEETINGS_FINDINGS, f"\n      got:  {got}")

    # A rules file: 党课 at least twice a quarter, so 一支部's single 党课 no longer meets Q2.
    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, "--rules", "rules_lecture2.json", "--inputs",
                         cwd=DATA)
    if ran("meetings --rules", code, out, err):
        _, rows = inputs_rows(out)
        expect("meetings --rules: 党课 twice a quarter", same_rows(rows, [
            ("一支部", 11, 3, 8 / 11, 2, 103 / 126), ("二支部", 8, 3, 5 / 8, 1, 36 / 39)]), f"\n      got:  {rows}")
    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, "--rules", "rules_lecture2.json", cwd=DATA)
    expect("meetings --rules table: cites the rules file's source and the new requirement",
           code == 0 and "依据: 本局党建工作考核细则 (测试)" in out and "每季度至少 2 次" in out, out[:600])


def check_print_rules(cli, tmp):
    code, out, err = run(cli, "meetings", "--print-rules", cwd=DATA)
    if ran("meetings --print-rules", code, out, err):
        doc = json.loads(out)
        expect("--print-rules: a complete rectify.meeting-rules/1 file",
               doc.get("format") == "rectify.meeting-rules/1" and doc.get("base") == "none"
               and [t["id"] for t in doc["types"]] == MEETING_TYPES, out[:300])
        per = {t["id"]: (t["at_least"], t["per"], t["scope"], t["quorum"]) for t in doc["types"]}
        expect("--print-rules: the default table of compliance.md §1", per == {
            "general_meeting": (1, "quarter", "branch", "majority"), "committee": (1, "month", "branch", "majority"),
            "group": (1, "month", "group", "none"), "lecture": (1, "quarter", "branch", "none"),
            "theme_day": (1, "month", "branch", "none"), "life_meeting": (1, "year", "branch", "none"),
            "member_review": (1, "year", "branch", "none")}, str(per))
        names = {t["id"]: t["name"] for t in doc["types"]}
        expect("--print-rules: Chinese names", names["general_meeting"] == "党员大会" and names["committee"] == "支委会"
               and names["group"] == "党小组会" and names["lecture"] == "党课", str(names))
    code, out, err = run(cli, "meetings", "--print-rules", "--rules", "rules_lecture2.json", cwd=DATA)
    if ran("meetings --print-rules --rules", code, out, err):
        doc = json.loads(out)
        lecture = [t for t in doc["types"] if t["id"] == "lecture"]
        expect("--print-rules --rules: the effective rules",
               doc["source"] == "本局党建工作考核细则 (测试)" and lecture and lecture[0]["at_least"] == 2, out[:400])
        dumped = os.path.join(tmp, "effective.json")
        with open(dumped, "w", encoding="utf-8") as f:
            f.write(out)
        code2, out2, err2 = run(cli, "meetings", "--print-rules", "--rules", dumped, cwd=DATA)
        expect("--print-rules: its output read back as --rules prints the same", code2 == 0 and out2 == out, err2)
        code2, out2, _ = run(cli, "meetings", "records.csv", *PERIOD, "--rules", dumped, "--inputs", cwd=DATA)
        code3, out3, _ = run(cli, "meetings", "records.csv", *PERIOD, "--rules", "rules_lecture2.json", "--inputs",
                             cwd=DATA)
        expect("--print-rules: the dumped rules check the same", code2 == 0 and out2 == out3, out2)


# ---------------------------------------------------------------------------------------------
# Surveys: responses.csv (compliance.md §2). A respondent's score is the mean of the questions
# answered; index = (mean of scores − 1)/4 × 100; CI = mean ± t(0.975, n − 1)·s/√n mapped the
# same way and clipped to [0, 100]; share satisfied = answers ≥ 4 / answers.
#
# A: scores 4.5 (5,4), 10/3 (3,3,4), 4.5 (4,5); mean 37/9; index (28/9)/4×100 = 700/9. s² =
# ((7/18)²·2 + (7/9)²)/2 = 147/324; t(0.975, 2) = 0.95/√(2·0.975·0.025). Answers 7, ≥4: 5.
# Question means: q1 (5,3,4) 4, q2 (4,3) 3.5, q3 (4,5) 4.5.
# B: r1 scores 2, r2 answered nothing (blank 1); index 25; CI none (one respondent); share 0/3.
# C: scores 5 and 4: index 87.5; s = √0.5, t(0.975, 1) = tan(0.475π) ≈ 12.7: clipped to 0..100.


def t975(dof):
    return math.tan(math.pi * 0.475) if dof == 1 else 0.95 / math.sqrt(2 * 0.975 * 0.025)


def mapped(x):
    return (x - 1) / 4 * 100


def ci(scores):
    n = len(scores)
    m = sum(scores) / n
    s = math.sqrt(sum((x - m) ** 2 for x in scores) / (n - 1))
    h = t975(n - 1) * s / math.sqrt(n)
    return max(0.0, mapped(m - h)), min(100.0, mapped(m + h))


A_CI = ci([4.5, 10 / 3, 4.5])
C_CI = ci([5, 4])
# (unit, respondents, blank, answers, index, ci_low, ci_high, share_satisfied, q1, q2, q3)
SURVEY = [("A", 3, 0, 7, 700 / 9, A_CI[0], A_CI[1], 5 / 7, 4.0, 3.5, 4.5),
          ("B", 1, 1, 3, 25.0, None, None, 0.0, 2.0, 2.0, 2.0),
          ("C", 2, 0, 6, 87.5, C_CI[0], C_CI[1], 1.0, 4.5, 4.5, 4.5)]


def check_survey(cli):
    expect("survey: A's interval is clipped at 100 and C's at both ends (the hand values)",
           A_CI[1] == 100.0 and 35.9 < A_CI[0] < 36.0 and C_CI == (0.0, 100.0), str((A_CI, C_CI)))
    code, out, err = run(cli, "survey", "responses.csv", cwd=DATA)
    if ran("survey table", code, out, err):
        expect("survey table: title", out.startswith("服务满意度调查: 3 个单位, 6 名受访者, 3 个问题 (1–5 分, 4 分及以上为满意)\n"),
               out.splitlines()[0])
        rows, ok = table_block(out, ["单位", "受访人数", "空白卷", "满意度指数", "95%置信区间", "满意占比", "q1", "q2", "q3"])
        want = [["A", "3", "0", "77.8", "35.9–100.0", "71.4%", "4.00", "3.50", "4.50"],
                ["B", "1", "1", "25.0", "-", "0.0%", "2.00", "2.00", "2.00"],
                ["C", "2", "0", "87.5", "0.0–100.0", "100.0%", "4.50", "4.50", "4.50"]]
        expect("survey table: per unit", rows == want, f"\n      got:  {rows}")
        expect("survey table: aligned", ok, out)
    code, out, err = run(cli, "survey", "responses.csv", "--format", "json", cwd=DATA)
    if ran("survey json", code, out, err):
        doc = json.loads(out)
        got = [(u["unit"], u["respondents"], u["blank"], u["answers"], u["index"], u["ci_low"], u["ci_high"],
                u["share_satisfied"], *u["question_means"]) for u in doc["units"]]
        expect("survey json: per unit, NaN as null", same_rows(got, SURVEY), f"\n      got:  {got}")
        expect("survey json: questions and answers per question", doc["questions"] == ["q1", "q2", "q3"]
               and [u["question_answers"] for u in doc["units"]] == [[3, 2, 2], [1, 1, 1], [2, 2, 2]]
               and doc["options"]["scale_max"] == 5, str(doc)[:300])
    code, out, err = run(cli, "survey", "responses.csv", "--format", "csv", cwd=DATA)
    if ran("survey csv", code, out, err):
        rows = list(csv.reader(io.StringIO(out)))
        expect("survey csv: header", rows[0] == ["unit", "respondents", "blank", "answers", "index", "ci_low",
                                                 "ci_high", "share_satisfied", "mean_q1", "mean_q2", "mean_q3"],
               str(rows[0]))
        got = [tuple([r[0]] + [num(c) for c in r[1:]]) for r in rows[1:]]
        expect("survey csv: full precision", same_rows(got, SURVEY) and ",77.777777777777" in out, f"\n      got:  {got}")
    code, out, err = run(cli, "survey", "responses.csv", "--inputs", cwd=DATA)
    if ran("survey --inputs", code, out, err):
        head, rows = inputs_rows(out)
        expect("survey --inputs", head == ["unit", "satisfaction_index", "satisfaction_n"] and same_rows(
            rows, [("A", 700 / 9, 3), ("B", 25.0, 1), ("C", 87.5, 2)]), f"{head} {rows}")


# ---------------------------------------------------------------------------------------------
# Risks: register.csv as of 2026-06-30, so the review window is 2025-06-30..2026-06-30 (§3).
#
# Points in register order: 局机关 资金审批把关不严 (high, 2 rows = 2 controls, latest review
# 2026-03-01: in the window); 采购围标串标 (high, no control, reviewed 2025-06-29: one day before
# the window); 公车私用 (medium, 1 control); 选人用人违规 (high; the second row has no control and a
# review of 2026-07-15, after the as-of date, so ignored; 2025-06-30 is the window's first day:
# reviewed); 二分局 吃拿卡要 (low, 1); 权力寻租 (high, 1 control, only reviewed 2026-07-01, after
# the as-of date: never reviewed); 账外账 (medium, no control); 三所 值守脱岗 (low, 1).
# Units by byte order: 三所 (U+4E09) < 二分局 (U+4E8C) < 局机关 (U+5C40).
RISKS_INPUTS = [("三所", 1, 1.0, None), ("二分局", 3, 2 / 3, 0.0), ("局机关", 4, 3 / 4, 2 / 3)]
RISKS_SUMMARY = [["三所", "1", "0", "0", "1", "1", "100.0%", "0", "-"],
                 ["二分局", "3", "1", "1", "1", "2", "66.7%", "0", "0.0%"],
                 ["局机关", "4", "3", "1", "0", "3", "75.0%", "2", "66.7%"]]
RISKS_ATTENTION = [["局机关", "采购专员", "采购围标串标", "高", "0", "2025-06-29", "无防控措施；高风险点 12 个月内未复核",
                    "register.csv:4"],
                   ["二分局", "所长", "权力寻租", "高", "1", "-", "高风险点从未复核", "register.csv:9"],
                   ["二分局", "会计", "账外账", "中", "0", "-", "无防控措施", "register.csv:10"]]


def check_risks(cli):
    code, out, err = run(cli, "risks", "register.csv", "--as-of", "2026-06-30", cwd=DATA)
    if ran("risks table", code, out, err):
        expect("risks table: title with the window",
               out.startswith("廉政风险防控 截至 2026-06-30: 3 个单位, 8 个风险点 (复核期 2025-06-30 至 2026-06-30)\n"),
               out.splitlines()[0])
        rows, ok = table_block(out, ["单位", "风险点", "高风险", "中风险", "低风险", "有防控措施", "防控率", "高风险已复核",
                                     "复核率"])
        expect("risks table: per unit", rows == RISKS_SUMMARY, f"\n      got:  {rows}")
        expect("risks table: aligned", ok, out)
        rows, ok = table_block(out, ["单位", "岗位", "风险", "等级", "防控措施", "最近复核", "问题", "位置"])
        expect("risks table: the points that need attention", rows == RISKS_ATTENTION, f"\n      got:  {rows}")
        expect("risks table: attention aligned and counted", ok and "\n需要关注的风险点 (3)\n" in out, out)
    code, out, err = run(cli, "risks", "register.csv", "--as-of", "2026-06-30", "--inputs", cwd=DATA)
    if ran("risks --inputs", code, out, err):
        head, rows = inputs_rows(out)
        expect("risks --inputs", head == ["unit", "risk_points", "risk_controlled_ratio", "risk_high_reviewed_ratio"]
               and same_rows(rows, RISKS_INPUTS), f"{head} {rows}")
    code, out, err = run(cli, "risks", "register.csv", "--as-of", "2026-06-30", "--format", "json", cwd=DATA)
    if ran("risks json", code, out, err):
        doc = json.loads(out)
        expect("risks json: as_of and window_start", (doc["as_of"], doc["window_start"]) == ("2026-06-30", "2025-06-30"),
               str(doc)[:200])
        got = [(u["unit"], u["points"], u["by_level"], u["controlled"], u["high_reviewed"], u["controlled_ratio"],
                u["high_reviewed_ratio"]) for u in doc["units"]]
        want = [("三所", 1, {"high": 0, "medium": 0, "low": 1}, 1, 0, 1.0, None),
                ("二分局", 3, {"high": 1, "medium": 1, "low": 1}, 2, 0, 2 / 3, 0.0),
                ("局机关", 4, {"high": 3, "medium": 1, "low": 0}, 3, 2, 0.75, 2 / 3)]
        expect("risks json: units", got == want, f"\n      got:  {got}")
        got = [(p["risk"], p["level"], p["controls"], p["reviewed"], p["reviewed_in_window"], p["place"])
               for p in doc["points"]]
        want = [("资金审批把关不严", "high", 2, "2026-03-01", True, "register.csv:2"),
                ("采购围标串标", "high", 0, "2025-06-29", False, "register.csv:4"),
                ("公车私用", "medium", 1, None, False, "register.csv:5"),
                ("选人用人违规", "high", 1, "2025-06-30", True, "register.csv:6"),
                ("吃拿卡要", "low", 1, None, False, "register.csv:8"),
                ("权力寻租", "high", 1, None, False, "register.csv:9"),
                ("账外账", "medium", 0, None, False, "register.csv:10"),
                ("值守脱岗", "low", 1, None, False, "register.csv:11")]
        expect("risks json: every point in register order", got == want, f"\n      got:  {got}")
    code, out, err = run(cli, "risks", "register.csv", "--as-of", "2026-06-30", "--format", "csv", cwd=DATA)
    if ran("risks csv", code, out, err):
        rows = list(csv.DictReader(io.StringIO(out)))
        got = [(r["unit"], r["risk"], r["level"], r["controls"], r["reviewed"], r["no_control"],
                r["high_not_reviewed"], r["place"]) for r in rows]
        want = [("局机关", "采购围标串标", "high", "0", "2025-06-29", "true", "true", "register.csv:4"),
                ("二分局", "权力寻租", "high", "1", "", "false", "true", "register.csv:9"),
                ("二分局", "账外账", "medium", "0", "", "true", "false", "register.csv:10")]
        expect("risks csv: the points that need attention", got == want, f"\n      got:  {got}")
    # One day later the 2025-06-30 review falls out of the window.
    code, out, err = run(cli, "risks", "register.csv", "--as-of", "2026-07-01", "--inputs", cwd=DATA)
    _, rows = inputs_rows(out) if code == 0 else (None, err)
    expect("risks --as-of 2026-07-01: 权力寻租 reviewed that day, 选人用人违规 out of the window",
           code == 0 and same_rows(rows, [("三所", 1, 1.0, None), ("二分局", 3, 2 / 3, 1.0),
                                          ("局机关", 4, 3 / 4, 1 / 3)]), str(rows))


# ---------------------------------------------------------------------------------------------
# Scoring: the --inputs CSV joined with units.csv by `rectify score`. scheme.json: org_life 60
# points × meetings_met_ratio less 5 per incomplete record (cap 20); attendance 40 points ×
# (rate − 0.5)/0.5; 2 points off per criticism. 一支部: 60·9/11 − 10 + 40·(103/126 − 0.5)/0.5 − 2;
# 二支部: 60·5/8 − 5 + 40·(36/39 − 0.5)/0.5.


def check_score(cli, tmp):
    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, "--inputs", cwd=DATA)
    path = os.path.join(tmp, "meetings_inputs.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(out)
    code, out, err = run(cli, "score", "scheme.json", "units.csv", path, "--format", "json", cwd=DATA)
    # The scheme does not read meetings_required and meetings_short: score says so on stderr.
    expect("score with the meetings inputs: exit 0", code == 0, f"exit {code}: {err.strip()}")
    if code == 0:
        doc = json.loads(out)
        units = doc.get("units", [])
        got = {u.get("unit"): u.get("score") for u in units}
        want = {"一支部": 60 * 9 / 11 - 10 + 40 * (103 / 126 - 0.5) / 0.5 - 2,
                "二支部": 60 * 5 / 8 - 5 + 40 * (36 / 39 - 0.5) / 0.5}
        expect("score: the meetings inputs scored", set(got) == set(want) and all(
            math.isclose(got[k], want[k], rel_tol=1e-9) for k in want), f"got {got}, want {want}")


# ---------------------------------------------------------------------------------------------
# Bad input: exit 1, nothing on stdout, every problem on stderr naming file:line:column.

BAD_CASES = [
    (["meetings", "bad_type.csv", *PERIOD], ["bad_type.csv:3:2: [rectify.compliance.unknown_type]"]),
    (["meetings", "bad_date.csv", *PERIOD], ["bad_date.csv:2:3: [rectify.compliance.bad_date]"]),
    (["meetings", "bad_attended.csv", *PERIOD], ["bad_attended.csv:2:6: [rectify.compliance.attended_above_expected]"]),
    (["meetings", "bad_count.csv", *PERIOD], ["bad_count.csv:2:5: [rectify.compliance.bad_count]"]),
    (["meetings", "bad_many.csv", *PERIOD], ["bad_many.csv:2:2: [rectify.compliance.unknown_type]",
                                             "bad_many.csv:3:3: [rectify.compliance.bad_date]",
                                             "bad_many.csv:4:6: [rectify.compliance.attended_above_expected]"]),
    (["survey", "survey_bad.csv"], ["survey_bad.csv:3:5: [rectify.compliance.bad_answer]",
                                    "survey_bad.csv:4:4: [rectify.compliance.bad_answer]"]),
    (["risks", "register_bad.csv", "--as-of", "2026-06-30"], ["register_bad.csv:2:4: [rectify.compliance.bad_level]",
                                                              "register_bad.csv:3:7: [rectify.compliance.bad_date]",
                                                              "register_bad.csv:5:4: [rectify.compliance.conflicting_level]"]),
]


def check_bad(cli):
    for args, want in BAD_CASES:
        label = "rectify " + " ".join(args)
        for extra in ([], ["--format", "json"], ["--inputs"]):
            code, out, err = run(cli, *args, *extra, cwd=BAD)
            lines = [line for line in err.splitlines() if line]
            got = [line[len("rectify: "):] for line in lines]
            ok = code == 1 and out == "" and len(got) == len(want) and all(
                g.startswith(w + " ") for g, w in zip(got, want))
            expect(f"{label} {' '.join(extra)}: exit 1, every problem at file:line:column", ok,
                   f"exit {code}; stdout {out[:100]!r}\n      got:  {got}\n      want: {want}")
    # A branch or group the branch list does not have, named where the record says it.
    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, "--branches", "units.csv",
                         cwd=DATA)
    expect("meetings --branches without a branch column: exit 1 naming the file",
           code == 1 and out == "" and "[rectify.compliance.missing_column]" in err and "units.csv" in err, err)
    for args, name in ((["meetings", "nowhere.csv", *PERIOD], "nowhere.csv"),
                       (["meetings", "records.csv", *PERIOD, "--branches", "nowhere.csv"], "nowhere.csv"),
                       (["meetings", "records.csv", *PERIOD, "--rules", "nowhere.json"], "nowhere.json"),
                       (["meetings", "--print-rules", "--rules", "nowhere.json"], "nowhere.json"),
                       (["survey", "nowhere.csv"], "nowhere.csv"),
                       (["risks", "nowhere.csv", "--as-of", "2026-06-30"], "nowhere.csv")):
        code, out, err = run(cli, *args, cwd=DATA)
        expect(f"rectify {' '.join(args)}: a missing file exits 1 naming it",
               code == 1 and out == "" and "[rectify.io.open]" in err and name in err, f"exit {code}: {err.strip()}")
    code, out, err = run(cli, "meetings", "records.csv", *PERIOD, "--rules", "responses.csv", cwd=DATA)
    expect("meetings --rules with a file that is not JSON: exit 1, rectify.compliance.rules.*",
           code == 1 and out == "" and "[rectify.compliance.rules." in err and "responses.csv" in err, err.strip())


def usage(cli, label, *args, says=None):
    code, out, err = run(cli, *args, cwd=DATA)
    expect(f"usage: {label}: exit 2, nothing on stdout", code == 2 and out == "" and err.strip() != "",
           f"exit {code}; {out[:100]!r}; {err.strip()[:300]}")
    if says is not None:
        expect(f"usage: {label}: says {says!r}", says in err, err.strip()[:300])


def check_usage(cli):
    usage(cli, "meetings without the period", "meetings", "records.csv", says="--from YYYY-MM --to YYYY-MM")
    usage(cli, "meetings without --to", "meetings", "records.csv", "--from", "2026-01", says="--to")
    usage(cli, "meetings without RECORDS", "meetings", *PERIOD, says="RECORDS")
    usage(cli, "--from 2026-13", "meetings", "records.csv", "--from", "2026-13", "--to", "2026-12",
          says='--from "2026-13" is not a month: write YYYY-MM')
    usage(cli, "--from a day", "meetings", "records.csv", "--from", "2026-01-15", "--to", "2026-12",
          says='--from "2026-01-15" is not a month')
    usage(cli, "--to 2026-00", "meetings", "records.csv", "--from", "2026-01", "--to", "2026-00",
          says='--to "2026-00" is not a month')
    usage(cli, "--to before --from", "meetings", "records.csv", "--from", "2026-06", "--to", "2026-04",
          says="--to 2026-04 is before --from 2026-06")
    usage(cli, "--format xml", "meetings", "records.csv", *PERIOD, "--format", "xml", says="xml")
    usage(cli, "--inputs with --format", "meetings", "records.csv", *PERIOD, "--inputs", "--format", "json")
    usage(cli, "--encoding latin1", "meetings", "records.csv", *PERIOD, "--encoding", "latin1")
    usage(cli, "--print-rules with RECORDS", "meetings", "records.csv", "--print-rules")
    usage(cli, "--print-rules with --from", "meetings", "--print-rules", "--from", "2026-01")
    usage(cli, "--print-rules with --inputs", "meetings", "--print-rules", "--inputs")
    usage(cli, "survey without RESPONSES", "survey")
    usage(cli, "survey with two files", "survey", "responses.csv", "records.csv")
    usage(cli, "survey --format xml", "survey", "responses.csv", "--format", "xml")
    usage(cli, "risks without --as-of", "risks", "register.csv", says="--as-of")
    usage(cli, "risks --as-of 2026-02-30", "risks", "register.csv", "--as-of", "2026-02-30",
          says='--as-of "2026-02-30" is not a date')
    usage(cli, "risks --as-of a month", "risks", "register.csv", "--as-of", "2026-06", says="YYYY-MM-DD")
    usage(cli, "risks --inputs --format csv", "risks", "register.csv", "--as-of", "2026-06-30", "--inputs",
          "--format", "csv")
    for args in (["meetings", "--help"], ["survey", "--help"], ["risks", "--help"]):
        code, out, _ = run(cli, *args)
        expect(f"{' '.join(args)}: exit 0 with the options", code == 0 and "--format" in out and "--inputs" in out,
               out[:200])
    code, out, _ = run(cli, "--help")
    expect("--help lists meetings, survey and risks", code == 0 and all(s in out for s in ("meetings", "survey", "risks")),
           out)


def check_encoding(cli, tmp):
    """A GBK copy of the register reads the same with --encoding gbk."""
    with open(os.path.join(DATA, "register.csv"), encoding="utf-8") as f:
        text = f.read()
    path = os.path.join(tmp, "register_gbk.csv")
    with open(path, "wb") as f:
        f.write(text.encode("gbk"))
    code, out, err = run(cli, "risks", path, "--as-of", "2026-06-30", "--inputs", "--encoding", "gbk")
    _, rows = inputs_rows(out) if code == 0 else (None, err)
    expect("risks --encoding gbk", code == 0 and same_rows(rows, RISKS_INPUTS), str(rows))
    code, out, err = run(cli, "risks", path, "--as-of", "2026-06-30")
    expect("risks on GBK bytes without --encoding: exit 1, rectify.data.encoding", code == 1 and out == ""
           and "[rectify.data.encoding]" in err, err.strip())


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    cli = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="rectify-compliance-cli-") as tmp:
        check_meetings(cli)
        check_print_rules(cli, tmp)
        check_survey(cli)
        check_risks(cli)
        check_score(cli, tmp)
        check_bad(cli)
        check_usage(cli)
        check_encoding(cli, tmp)
    print(f"{len(failures)} failure(s)" if failures else "all compliance CLI checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
