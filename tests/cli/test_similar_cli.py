#!/usr/bin/env python3
"""`rectify similar` end to end (docs/cli.md; docs/similarity.md; ../shared/docs/compliance.md §4).

    python3 tests/cli/test_similar_cli.py RECTIFY_CLI_PATH

Runs in tests/data/similar/ so that sources read `copied/...`. Every expected number is worked out
by hand from the contract in the comments at COPIED_* and SAME_*: the folder and the CSV form, each
format (table, json, csv, --inputs), the template, --same-unit, the --inputs CSV scored by
`rectify score` with a tiny scheme, bad input (exit 1 naming the file, nothing on stdout) and bad
usage (exit 2). Prints one line per check and exits 1 if any failed. Standard library only.
"""
import csv
import io
import json
import math
import os
import sys
import tempfile

from clitest import ROOT, expect, failures, run
from test_compliance_cli import table_block

DATA = os.path.join(ROOT, "tests", "data", "similar")

# ---------------------------------------------------------------------------------------------
# copied/: three units. Normalised (punctuation and whitespace dropped), with P the copied
# sentence 按照上级党委统一部署我支部认真组织开展主题教育学习研讨活动 (10 + 19 = 29 characters):
#   一支部__主题教育总结    一支部主题教育总结 (9) + P + 全体党员撰写心得体会十二篇 (13) = 51 chars
#   二支部__学习情况报告    二支部学习情况报告 (9) + P + 下一步将继续抓好整改落实 (12)   = 50 chars
#   三支部__组织生活会情况  shares no 5 characters in a row with either.
# No 5-gram repeats inside the first two, so they have 51 − 4 = 47 and 50 − 4 = 46 shingles. They
# share exactly the 29 − 4 = 25 inside P (the characters around P differ: 结/告 before, 全/下
# after). Jaccard 25 / (47 + 46 − 25) = 25/68 ≈ 0.368 (below the default 0.5, above 0.25 + 0.1);
# 一 in 二: 25/47, 二 in 一: 25/46. The one passage is P: 29 normalised characters, which as written
# runs from 按 to 动 (the 。 after it is punctuation, so not part of the match): in 一支部 with a
# full-width comma, in 二支部 with ", ". Before it: the title line and two line breaks, 9 + 2 = 11
# characters (27 + 2 bytes), so it starts at character 12, byte 29, in both; it ends at character
# 11 + 30 = 41 (byte 29 + 30×3 = 119) in 一支部 and 11 + 31 = 42 (byte 29 + 29×3 + 2 = 118) in 二支部.
# With the template (P and its 。): its 25 shingles go, leaving 22 and 21 and nothing shared.
P_A = "按照上级党委统一部署，我支部认真组织开展主题教育学习研讨活动"
P_B = "按照上级党委统一部署, 我支部认真组织开展主题教育学习研讨活动"
COPIED = ("一支部", "主题教育总结", "二支部", "学习情况报告")
COPIED_J, COPIED_AB, COPIED_BA = 25 / 68, 25 / 47, 25 / 46
COPIED_ROW = ["一支部", "主题教育总结", "二支部", "学习情况报告", "36.8%", "53.2%", "54.3%"]

# same_unit/: 一支部 filed 主题教育总结 and a 修订稿 that differs only in 十二篇 → 十五篇. Normalised:
# title (9) + P (29) + 全体党员撰写心得体会 支部书记逐篇批阅并在党员大会上交流点评 共收到体会十二篇
# (10 + 19 + 8 = 37) = 75 characters, 71 shingles (the repeated 支部, 党员, 体会, 主题教育 sit in
# different 5-grams). 二 is character 73 (0-based) of 75; the shingles holding it start at 69 and
# 70: 2 each side differ, 69 shared. Jaccard 69/73, containment 69/71 both ways. The longest
# shared passage is characters 0–72 (73 characters, up to 十; 篇 alone is too short): as written
# 9 + 2 + 30 + 1 + 10 + 1 + 19 + 1 + 6 = 79 characters, 第 1–79 字 in both. On the terminal the two
# line breaks become one space (78 characters) and it is cut to the first 40 and the last 19.
SAME_J, SAME_C = 69 / 73, 69 / 71
SAME_ROW = ["一支部", "主题教育总结", "一支部", "主题教育总结修订稿", "94.5%", "97.2%", "97.2%"]
SAME_SHOWN = "一支部主题教育总结 按照上级党委统一部署，我支部认真组织开展主题教育学习研讨活动…阅并在党员大会上交流点评，共收到体会十"
HEAD = ["单位A", "文件A", "单位B", "文件B", "相似度", "A在B中", "B在A中"]


def close(a, b):
    return a is not None and math.isclose(a, b, rel_tol=1e-12)


def ran(label, code, out, err):
    expect(f"{label}: exit 0, nothing on stderr", code == 0 and err == "", f"exit {code}: {err.strip()[:500]}")
    return code == 0


def check_copied(cli):
    code, out, err = run(cli, "similar", "copied", "--threshold", "0.25", cwd=DATA)
    if ran("copied table", code, out, err):
        expect("table: title with the counts", out.startswith(
            "相似材料检查: 3 份材料, 3 个单位; 相似度 ≥ 0.25, 5 字片段; 找到 1 对 (不含同一单位内的)\n"),
            out.splitlines()[0])
        rows, ok = table_block(out, HEAD)
        expect("table: the one pair with its similarity and containments", rows == [COPIED_ROW], str(rows))
        expect("table: aligned by display width", ok, out)
        expect("table: the passage with its length and character positions",
               "\n   29 字  A 第 12–41 字  B 第 12–42 字\n" in out, out)
        expect("table: the passage as written in A, and in B where it differs",
               f"\n     A: {P_A}\n     B: {P_B}\n" in out, out)
        expect("table: the pair's title line", "\n1. 一支部 主题教育总结 ↔ 二支部 学习情况报告\n" in out, out)

    code, out, err = run(cli, "similar", "copied", cwd=DATA)
    if ran("copied at the default threshold", code, out, err):
        expect("default threshold 0.5: 25/68 is below it, nothing reported",
               "找到 0 对" in out and "\n没有相似度达到 0.5 的材料\n" in out and "单位A" not in out, out)

    code, out, err = run(cli, "similar", "copied", "--threshold", "0.25", "--format", "json", cwd=DATA)
    if ran("copied json", code, out, err):
        doc = json.loads(out)
        pairs = doc.get("pairs", [])
        expect("json: one pair", len(pairs) == 1, str(pairs)[:300])
        if len(pairs) == 1:
            p = pairs[0]
            expect("json: units, titles and sources of both sides",
                   (p["unit_a"], p["doc_a"], p["unit_b"], p["doc_b"]) == COPIED
                   and p["source_a"] == os.path.join("copied", "一支部__主题教育总结.txt")
                   and p["source_b"] == os.path.join("copied", "二支部__学习情况报告.txt"), str(p)[:300])
            expect("json: jaccard, containments and shared shingles",
                   close(p["jaccard"], COPIED_J) and close(p["a_in_b"], COPIED_AB) and close(p["b_in_a"], COPIED_BA)
                   and p["shared"] == 25, str(p)[:300])
            want = [{"a_begin": 29, "a_end": 119, "b_begin": 29, "b_end": 118, "chars": 29, "a_text": P_A,
                     "b_text": P_B}]
            expect("json: the passage's byte offsets and its text as written on both sides", p["passages"] == want,
                   json.dumps(p["passages"], ensure_ascii=False))
        docs = doc.get("documents", [])
        # Sorted by file name: 一 (E4 B8 80) < 三 (E4 B8 89) < 二 (E4 BA 8C).
        expect("json: the documents in file-name order, the .md read, the .pdf not",
               [(d["unit"], d["doc"]) for d in docs] == [("一支部", "主题教育总结"), ("三支部", "组织生活会情况"),
                                                           ("二支部", "学习情况报告")], str(docs))
        expect("json: shingles per document", [d["shingles"] for d in docs][0::2] == [47, 46], str(docs))
        expect("json: a and b index the documents", pairs and (pairs[0]["a"], pairs[0]["b"]) == (0, 2),
               str(pairs)[:200])
        o = doc.get("options", {})
        expect("json: the options used", (o.get("threshold"), o.get("k"), o.get("hashes"), o.get("min_passage"),
                                           o.get("same_unit"), o.get("template")) == (0.25, 5, 128, 20, False, None),
               str(o))
        expect("json: the banding and the candidates verified",
               doc["bands"] >= 1 and doc["rows"] >= 1 and doc["bands"] * doc["rows"] <= 128
               and 1 <= doc["candidates"] <= 3 and doc["too_short"] == [],
               str({k: doc[k] for k in ("bands", "rows", "candidates")}))

    code, out, err = run(cli, "similar", "copied", "--threshold", "0.25", "--format", "csv", cwd=DATA)
    if ran("copied csv", code, out, err):
        rows = list(csv.reader(io.StringIO(out)))
        expect("csv: header", rows[0] == ["unit_a", "doc_a", "unit_b", "doc_b", "jaccard", "a_in_b", "b_in_a",
                                          "shared", "passages", "longest_chars", "longest_passage", "source_a",
                                          "source_b"], str(rows[0]))
        r = rows[1] if len(rows) == 2 else None
        expect("csv: one row, full precision, the longest passage as written in A",
               r is not None and tuple(r[:4]) == COPIED and float(r[4]) == COPIED_J and float(r[5]) == COPIED_AB
               and float(r[6]) == COPIED_BA and r[7:11] == ["25", "1", "29", P_A], str(rows))

    code, out, err = run(cli, "similar", "copied", "--threshold", "0.25", "--inputs", cwd=DATA)
    if ran("copied --inputs", code, out, err):
        expect("--inputs: every unit with a document, sorted, copied_documents",
               out == "unit,copied_documents\n一支部,1\n三支部,0\n二支部,1\n", out)

    # The same documents as a CSV unit,doc,text: the same pair, sources at the text cells.
    code, out, err = run(cli, "similar", "docs.csv", "--threshold", "0.25", "--format", "json", cwd=DATA)
    if ran("docs.csv json", code, out, err):
        doc = json.loads(out)
        p = doc["pairs"][0] if len(doc["pairs"]) == 1 else {}
        expect("CSV form: the same pair, sources file:line:column of the text",
               (p.get("unit_a"), p.get("unit_b"), p.get("source_a"), p.get("source_b")) ==
               ("一支部", "二支部", "docs.csv:2:3", "docs.csv:6:3") and close(p.get("jaccard"), COPIED_J)
               and [s["a_text"] for s in p.get("passages", [])] == [P_A], str(p)[:400])

    code, out, err = run(cli, "similar", "copied", "--threshold", "0.25", "--template", "template.txt", "--format",
                         "json", cwd=DATA)
    if ran("copied --template json", code, out, err):
        doc = json.loads(out)
        expect("template: its shingles removed (47 − 25, 46 − 25), the pair gone",
               doc["pairs"] == [] and [d["shingles"] for d in doc["documents"]][0::2] == [22, 21]
               and doc["options"]["template"] == "template.txt", str(doc)[:400])
    code, out, err = run(cli, "similar", "copied", "--threshold", "0.25", "--template", "template.txt", cwd=DATA)
    if ran("copied --template table", code, out, err):
        expect("template: named in the table, no pair", "\n模板: template.txt (其中的片段不计)\n" in out
               and "找到 0 对" in out, out)


def check_same_unit(cli):
    code, out, err = run(cli, "similar", "same_unit", cwd=DATA)
    if ran("same_unit without --same-unit", code, out, err):
        expect("same unit: the pair is hidden", "找到 0 对 (不含同一单位内的)" in out and "单位A" not in out, out)
    code, out, err = run(cli, "similar", "same_unit", "--inputs", cwd=DATA)
    if ran("same_unit --inputs", code, out, err):
        expect("same unit --inputs: nothing copied", out == "unit,copied_documents\n一支部,0\n二支部,0\n", out)

    code, out, err = run(cli, "similar", "same_unit", "--same-unit", cwd=DATA)
    if ran("same_unit --same-unit table", code, out, err):
        rows, ok = table_block(out, HEAD)
        expect("--same-unit: the pair within 一支部", rows == [SAME_ROW] and ok, str(rows))
        expect("--same-unit: one passage of 73 characters at 第 1–79 字 in both",
               "\n   73 字  A 第 1–79 字  B 第 1–79 字\n" in out, out)
        expect("--same-unit: a long passage cut for the terminal with …, written the same so B not repeated",
               f"\n     A: {SAME_SHOWN}\n" in out and "     B: " not in out, out)
        expect("--same-unit: title line without the exclusion note", "找到 1 对\n" in out, out.splitlines()[0])
    code, out, err = run(cli, "similar", "same_unit", "--same-unit", "--format", "json", cwd=DATA)
    if ran("same_unit --same-unit json", code, out, err):
        doc = json.loads(out)
        p = doc["pairs"][0] if len(doc["pairs"]) == 1 else {}
        whole = "一支部主题教育总结\n\n按照上级党委统一部署，我支部认真组织开展主题教育学习研讨活动。全体党员撰写心得体会，" \
                "支部书记逐篇批阅并在党员大会上交流点评，共收到体会十"
        expect("--same-unit json: figures and the passage in full, line breaks kept",
               close(p.get("jaccard"), SAME_J) and close(p.get("a_in_b"), SAME_C) and close(p.get("b_in_a"), SAME_C)
               and p.get("shared") == 69 and [(s["a_text"], s["b_text"], s["chars"]) for s in p.get("passages", [])]
               == [(whole, whole, 73)] and doc["options"]["same_unit"] is True, str(p)[:500])
    code, out, err = run(cli, "similar", "same_unit", "--same-unit", "--inputs", cwd=DATA)
    if ran("same_unit --same-unit --inputs", code, out, err):
        expect("--same-unit --inputs: both documents of 一支部 counted",
               out == "unit,copied_documents\n一支部,2\n二支部,0\n", out)
    code, out, err = run(cli, "similar", "same_unit", "--same-unit", "--min-passage", "74", "--format", "json",
                         cwd=DATA)
    if ran("same_unit --min-passage 74", code, out, err):
        doc = json.loads(out)
        expect("--min-passage above the longest: the pair stays, without passages",
               len(doc["pairs"]) == 1 and doc["pairs"][0]["passages"] == [], str(doc["pairs"])[:300])


# Scoring: copied_documents into a one-indicator scheme, linear from 2 copied (0 points) to 0
# copied (100 points): 一支部 and 二支部 have 1 each (50), 三支部 none (100).
def check_score(cli, tmp):
    _, out, _ = run(cli, "similar", "copied", "--threshold", "0.25", "--inputs", cwd=DATA)
    path = os.path.join(tmp, "similar_inputs.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(out)
    code, out, err = run(cli, "score", "scheme.json", path, "--format", "json", cwd=DATA)
    expect("score with copied_documents: exit 0", code == 0, f"exit {code}: {err.strip()}")
    if code == 0:
        got = {u.get("unit"): u.get("score") for u in json.loads(out).get("units", [])}
        want = {"一支部": 50.0, "二支部": 50.0, "三支部": 100.0}
        expect("score: copied documents scored", set(got) == set(want) and all(
            math.isclose(got[k], want[k], rel_tol=1e-12) for k in want), f"got {got}")


def check_short_and_threads(cli, tmp):
    """A document of fewer than k normalised characters is listed, never compared; the thread
    count does not change the result."""
    folder = os.path.join(tmp, "short")
    os.makedirs(folder)
    for name, text in (("一支部__回执.txt", "好的。\n"), ("二支部__回执.txt", "好的。\n")):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(text)
    # 好的 is 2 characters: no shingles, so two identical documents are not a pair.
    code, out, err = run(cli, "similar", folder, "--format", "json")
    if ran("too short json", code, out, err):
        doc = json.loads(out)
        expect("too short: listed with index, unit and title, no pair",
               [(d["index"], d["unit"], d["doc"]) for d in doc["too_short"]] == [(0, "一支部", "回执"), (1, "二支部", "回执")]
               and doc["pairs"] == [] and [d["shingles"] for d in doc["documents"]] == [0, 0], str(doc)[:400])
    code, out, err = run(cli, "similar", folder)
    if ran("too short table", code, out, err):
        expect("too short: named under the table", "\n过短, 未比较 (不足 5 字): 一支部 回执、二支部 回执\n" in out, out)
    code, out, err = run(cli, "similar", folder, "--k", "2", "--min-passage", "2", "--format", "json")
    if ran("--k 2", code, out, err):
        doc = json.loads(out)
        expect("--k 2: the same two characters are one shingle each, Jaccard 1",
               doc["too_short"] == [] and len(doc["pairs"]) == 1 and doc["pairs"][0]["jaccard"] == 1.0
               and [s["a_text"] for s in doc["pairs"][0]["passages"]] == ["好的"], str(doc["pairs"])[:300])

    sample = os.path.join(ROOT, "examples", "data", "documents")
    if os.path.isdir(sample):
        outs = []
        for threads in ("1", "2", "5"):
            code, out, err = run(cli, "similar", sample, "--threshold", "0.3", "--threads", threads, "--format", "json")
            doc = json.loads(out) if code == 0 else {}
            doc.get("options", {}).pop("threads", None)
            outs.append(doc)
        expect("--threads 1, 2 and 5 give the same report", outs[0] and outs[0] == outs[1] == outs[2],
               str([len(o.get("pairs", [])) for o in outs]))


def bad(cli, label, args, says, cwd=DATA):
    code, out, err = run(cli, "similar", *args, cwd=cwd)
    expect(f"bad input: {label}: exit 1, nothing on stdout, {says}",
           code == 1 and out == "" and all(s in err for s in says), f"exit {code}; {out[:100]!r}; {err.strip()[:400]}")


def check_bad(cli, tmp):
    folder = os.path.join(tmp, "docs")
    os.makedirs(folder)

    def write(name, data):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)

    write("一支部__总结.txt", "第一行\n第二行".encode("utf-8"))
    write("二支部__报告.txt", "正文\n甲乙".encode("utf-8") + "丙".encode("gbk"))  # line 2: 甲 乙, then GBK bytes
    bad(cli, "a GBK file in the folder", [folder],
        ["docs/二支部__报告.txt:2:3: [rectify.text.encoding]", "GBK"], cwd=tmp)
    os.remove(os.path.join(folder, "二支部__报告.txt"))
    write("总结.txt", b"x")
    bad(cli, "a file without __", [folder], ["docs/总结.txt: [rectify.text.bad_name]"], cwd=tmp)
    os.remove(os.path.join(folder, "总结.txt"))
    write("一支部__总结.md", b"x")
    bad(cli, "a .md and a .txt for one document", [folder],
        ["docs/一支部__总结.txt: [rectify.text.duplicate_document]", "一支部__总结.md"], cwd=tmp)
    empty = os.path.join(tmp, "empty")
    os.makedirs(empty)
    bad(cli, "an empty folder", [empty], ["empty: [rectify.text.empty]"], cwd=tmp)
    bad(cli, "a folder that does not exist", ["nowhere"], ["nowhere: [rectify.io.open]"])
    bad(cli, "a CSV without the doc column", [os.path.join("bad", "no_doc_column.csv")],
        ["bad/no_doc_column.csv: [rectify.text.missing_column]", '"doc"'])
    bad(cli, "a CSV with an empty unit and a duplicate", [os.path.join("bad", "bad_rows.csv")],
        ["bad/bad_rows.csv:3:1: [rectify.text.missing_value]",
         "bad/bad_rows.csv:4:2: [rectify.text.duplicate_document]"])
    bad(cli, "a template that does not exist", ["copied", "--template", "nowhere.txt"],
        ["nowhere.txt", "[rectify.io.open]"])
    bad(cli, "a folder as the template", ["copied", "--template", "copied"], ["copied: [rectify.io.open]"])
    tpl = os.path.join(tmp, "template.txt")
    with open(tpl, "wb") as f:
        f.write("通知\n第二行".encode("utf-8") + b"\xff")
    bad(cli, "a template that is not UTF-8", ["copied", "--template", tpl], [tpl + ":2:4", "[rectify.text.encoding]"])


def usage(cli, label, *args, says=None):
    code, out, err = run(cli, "similar", *args, cwd=DATA)
    expect(f"usage: {label}: exit 2, nothing on stdout", code == 2 and out == "" and err.strip() != "",
           f"exit {code}; {out[:100]!r}; {err.strip()[:300]}")
    if says is not None:
        expect(f"usage: {label}: says {says!r}", says in err, err.strip()[:300])


def check_usage(cli):
    usage(cli, "no DOCS")
    usage(cli, "--threshold 0", "copied", "--threshold", "0", says="--threshold 0 is outside (0, 1]")
    usage(cli, "--threshold 1.5", "copied", "--threshold", "1.5", says="--threshold 1.5 is outside (0, 1]")
    usage(cli, "--threshold -0.2", "copied", "--threshold=-0.2", says="outside (0, 1]")
    usage(cli, "--threshold abc", "copied", "--threshold", "abc")
    usage(cli, "--k 0", "copied", "--k", "0", says="--k 0 is outside 1-64")
    usage(cli, "--k 65", "copied", "--k", "65", says="--k 65 is outside 1-64")
    usage(cli, "--hashes 8", "copied", "--hashes", "8", says="--hashes 8 is outside 16-1024")
    usage(cli, "--hashes 2048", "copied", "--hashes", "2048", says="outside 16-1024")
    usage(cli, "--min-passage 0", "copied", "--min-passage", "0", says="--min-passage")
    usage(cli, "--format xml", "copied", "--format", "xml", says="xml")
    usage(cli, "--inputs with --format", "copied", "--inputs", "--format", "json")
    usage(cli, "--encoding latin1", "docs.csv", "--encoding", "latin1")
    usage(cli, "two DOCS", "copied", "same_unit")
    code, out, _ = run(cli, "similar", "--help")
    expect("similar --help: exit 0 with the options", code == 0 and all(
        s in out for s in ("--threshold", "--template", "--same-unit", "--inputs", "--format")), out[:300])
    code, out, _ = run(cli, "--help")
    expect("--help lists similar", code == 0 and "similar" in out, out)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    cli = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="rectify-similar-cli-") as tmp:
        check_copied(cli)
        check_same_unit(cli)
        check_score(cli, tmp)
        check_short_and_threads(cli, tmp)
        check_bad(cli, tmp)
        check_usage(cli)
    print(f"{len(failures)} failure(s)" if failures else "all similar CLI checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
