#!/usr/bin/env python3
"""Writes the copy-detection benchmark: 20,000 Chinese documents of about 2,000 characters each,
with a few hundred planted near-duplicate pairs at known Jaccard levels (issue 6 part 9).

    python3 bench/gen_documents.py /tmp/rectify_bench_docs.csv
    python3 bench/gen_documents.py OUT --docs 2000 --pairs 60            # a small one
    python3 bench/gen_documents.py OUT --pairs-out OUT_PAIRS.csv          # where the planted pairs go

Deterministic (seeded; the same arguments give the same bytes) and standard library only.

The text is drawn from a synthetic vocabulary, so that unrelated documents share few character
5-grams (as unrelated real documents do, apart from the stock phrases): 30,000 "words" of 2 to 4
characters from the 3,755 common characters of GB2312 level 1, used with a mildly skewed
frequency (weight 1 / (rank + 200)), interleaved (about 1 word slot in 30) with 60 stock phrases of
party-building prose (习近平新时代中国特色社会主义思想, 三会一课, 整改落实...) that every document
may quote, as real submissions do. Sentences of 6 to 20 words with ，、； inside and 。 at the
end; paragraphs of 3 to 7 sentences; now and then a number in full-width digits (２０２６年) or
ASCII, which normalisation folds. Each document opens with a title line naming its unit
(第N养护站) and is cut at 1,800–2,200 normalised characters.

CSV `unit,doc,text` (text quoted, with its line breaks); 500 units × 40 documents, unit by unit.

Planted pairs (--pairs, default 300) join two documents of different units, each document in at
most one pair: the copy B starts as the source A with B's own unit named in the title, its
paragraphs sometimes reordered (1 pair in 3), then A's sentences are replaced one by one with
fresh ones, in random order, until the Jaccard of the two shingle sets falls to the pair's target
(the state closest to it is kept). Targets are spread evenly from 0.30 to 0.95. The shingle sets
are computed here as the library does (NFKC and case folding per character, categories Z*, P*,
C* dropped, distinct 5-grams), and the pairs file records each pair's target and the Jaccard
reached: `a_unit,a_doc,b_unit,b_doc,target,jaccard`. The C++ benchmark recomputes it with the
library (text::normalize, text::shingles).
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import unicodedata

UNITS_DEFAULT = 500
K = 5

# The 3,755 characters of GB2312 level 1 (the common ones), in the standard's order.
CHARS = "".join(bytes([hi, lo]).decode("gb2312") for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF)
                if not (hi == 0xD7 and lo > 0xF9))

PHRASES = [
    "习近平新时代中国特色社会主义思想", "党的二十大精神", "三会一课", "主题党日", "组织生活会", "民主评议党员",
    "全面从严治党", "党风廉政建设", "意识形态工作", "基层党组织", "战斗堡垒作用", "先锋模范作用",
    "整改落实", "问题清单", "责任清单", "任务清单", "立行立改", "举一反三", "建章立制", "长效机制",
    "对照检查", "批评与自我批评", "谈心谈话", "理论学习中心组", "专题学习", "学习强国", "党员先锋岗",
    "志愿服务", "公路养护", "安全生产", "防汛保畅", "除雪保畅", "路域环境整治", "服务群众",
    "形式主义官僚主义", "中央八项规定精神", "廉洁自律", "警示教育", "以案促改", "党费收缴",
    "发展党员", "入党积极分子", "预备党员", "党建与业务深度融合", "四同", "畅安舒美", "两路精神",
    "考核评价", "督促检查", "闭环管理", "台账管理", "资料归档", "分管领导", "支部书记", "党小组长",
    "局党委", "上级党组织", "高质量发展", "群众满意度", "作风建设",
]
TITLES = ["党建工作总结", "学习心得", "专题学习报告", "主题党日活动情况", "整改落实情况报告", "三会一课开展情况",
          "组织生活会对照检查材料", "廉政风险排查报告", "志愿服务活动简报", "安全生产工作汇报"]


def make_vocabulary(rng: random.Random, n: int) -> list[str]:
    words: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        w = "".join(rng.choice(CHARS) for _ in range(rng.choices((2, 3, 4), (55, 25, 20))[0]))
        if w not in words:
            words.add(w)
            out.append(w)
    return out


class Writer:
    """Draws sentences from the vocabulary with the cumulative weights computed once."""

    def __init__(self, rng: random.Random, vocabulary: list[str]):
        self.rng = rng
        self.vocabulary = vocabulary
        acc, cum = 0.0, []
        for r in range(len(vocabulary)):
            acc += 1.0 / (r + 200)
            cum.append(acc)
        self.cum = cum

    def number(self) -> str:
        rng = self.rng
        n = str(rng.choice((rng.randint(2018, 2026), rng.randint(1, 99), rng.randint(100, 9999))))
        if rng.random() < 0.5:  # full-width digits, folded by normalisation
            n = "".join(chr(ord(c) + 0xFEE0) for c in n)
        return n + rng.choice(("年", "项", "人", "次", "公里", "个"))

    def sentence(self) -> str:
        rng = self.rng
        count = rng.randint(6, 20)
        words = rng.choices(self.vocabulary, cum_weights=self.cum, k=count)
        parts = []
        for w in words:
            r = rng.random()
            if r < 1 / 30:
                parts.append(rng.choice(PHRASES))
            elif r < 1 / 30 + 1 / 40:
                parts.append(self.number())
            parts.append(w)
            r = rng.random()
            if r < 0.10:
                parts.append("，")
            elif r < 0.13:
                parts.append("、")
        if parts[-1] in ("，", "、"):
            parts.pop()
        return "".join(parts) + ("；" if rng.random() < 0.08 else "。")


class _Folding(dict):
    """str.translate table filled on first sight of each code point."""

    def __missing__(self, cp: int) -> str:
        out = "".join(c for c in unicodedata.normalize("NFKC", chr(cp)).casefold()
                      if unicodedata.category(c)[0] not in "ZPC")
        self[cp] = out
        return out


_FOLDING = _Folding()


def normalise(text: str) -> str:
    """As text::normalize: NFKC and case folding per character, then Z*, P*, C* dropped."""
    return text.translate(_FOLDING)


def shingles(text: str) -> set[str]:
    s = normalise(text)
    return {s[i:i + K] for i in range(len(s) - K + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def unit_name(u: int) -> str:
    return f"第{u + 1}养护站"


def render(paragraphs: list[list[str]]) -> str:
    return "\n".join("".join(p) for p in paragraphs)


def make_document(w: Writer, u: int, title: str) -> list[list[str]]:
    """Paragraphs of sentences; the first paragraph is the title line."""
    rng = w.rng
    target = rng.randint(1800, 2200)
    paragraphs: list[list[str]] = [[f"{unit_name(u)}{title}"]]
    length = len(paragraphs[0][0])
    while length < target:
        p: list[str] = []
        for _ in range(rng.randint(3, 7)):
            s = w.sentence()
            p.append(s)
            length += len(normalise(s))
            if length >= target:
                break
        paragraphs.append(p)
    # Cut the last sentence so that the document ends near the target length.
    excess = length - target
    last = paragraphs[-1][-1]
    if 0 < excess < len(last) - 2:
        kept = normalise(last)[: len(normalise(last)) - excess]
        paragraphs[-1][-1] = kept + "。"
    return paragraphs


def plant(w: Writer, source: list[list[str]], u_b: int, title_b: str, target: float) -> tuple[list[list[str]], float]:
    """A copy of `source` edited until the Jaccard of the shingle sets is as close as it gets to `target`."""
    rng = w.rng
    a = shingles(render(source))
    copy = [list(p) for p in source]
    copy[0] = [f"{unit_name(u_b)}{title_b}"]
    body = copy[1:]
    if rng.random() < 1 / 3 and len(body) >= 2:  # reordered paragraphs
        i, j = rng.sample(range(len(body)), 2)
        body[i], body[j] = body[j], body[i]
        copy = [copy[0]] + body
    slots = [(pi, si) for pi in range(1, len(copy)) for si in range(len(copy[pi]))]
    rng.shuffle(slots)
    j_now = jaccard(a, shingles(render(copy)))
    best = (abs(j_now - target), [list(p) for p in copy], j_now)
    for pi, si in slots:
        if j_now <= target:
            break
        copy[pi][si] = w.sentence()
        j_now = jaccard(a, shingles(render(copy)))
        if abs(j_now - target) < best[0]:
            best = (abs(j_now - target), [list(p) for p in copy], j_now)
    return best[1], best[2]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Writes the copy-detection benchmark CSV (unit,doc,text).")
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--units", type=int, default=UNITS_DEFAULT)
    ap.add_argument("--pairs", type=int, default=300, help="planted near-duplicate pairs")
    ap.add_argument("--pairs-out", default=None, help="the planted pairs' CSV (default: OUT with _pairs.csv)")
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args(argv)
    if a.docs < 2 * a.pairs or a.units < 2:
        ap.error("need --docs >= 2 * --pairs and --units >= 2")
    pairs_out = a.pairs_out or (a.out[:-4] if a.out.endswith(".csv") else a.out) + "_pairs.csv"

    rng = random.Random(a.seed)
    w = Writer(rng, make_vocabulary(rng, 30_000))
    per_unit = -(-a.docs // a.units)
    ids: list[tuple[int, str]] = []  # (unit, title) per document
    for d in range(a.docs):
        u = d // per_unit
        ids.append((u, f"{TITLES[(d % per_unit) % len(TITLES)]}{d % per_unit + 1:02d}"))
    docs = [make_document(w, u, title) for u, title in ids]

    # Planted pairs: disjoint documents, the two of each pair in different units.
    order = list(range(a.docs))
    rng.shuffle(order)
    planted: list[tuple[int, int, float, float]] = []
    pos = 0
    for p in range(a.pairs):
        target = 0.30 + 0.65 * p / max(1, a.pairs - 1)
        src = order[pos]
        pos += 1
        dst_pos = pos
        while dst_pos < a.docs and ids[order[dst_pos]][0] == ids[src][0]:
            dst_pos += 1
        if dst_pos == a.docs:
            ap.error("not enough documents in other units for the planted pairs")
        order[pos], order[dst_pos] = order[dst_pos], order[pos]
        dst = order[pos]
        pos += 1
        docs[dst], reached = plant(w, docs[src], ids[dst][0], ids[dst][1], target)
        planted.append((src, dst, target, reached))

    with open(a.out, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(("unit", "doc", "text"))
        for (u, title), paragraphs in zip(ids, docs):
            out.writerow((f"u{u:03d}", title, render(paragraphs)))
    with open(pairs_out, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(("a_unit", "a_doc", "b_unit", "b_doc", "target", "jaccard"))
        for s, d, target, reached in planted:
            out.writerow((f"u{ids[s][0]:03d}", ids[s][1], f"u{ids[d][0]:03d}", ids[d][1], f"{target:.4f}",
                          f"{reached:.6f}"))

    # How much unrelated documents share (a sample of random pairs), for the record.
    sample = [shingles(render(docs[i])) for i in rng.sample(range(a.docs), min(a.docs, 200))]
    js = sorted(jaccard(sample[i], sample[i + 1]) for i in range(0, len(sample) - 1, 2))
    chars = sum(len(normalise(render(p))) for p in docs[:200]) / min(a.docs, 200)
    print(f"{a.out}: {a.docs} documents in {a.units} units, about {chars:.0f} normalised characters each; "
          f"{len(planted)} planted pairs -> {pairs_out}; unrelated pairs (sample of {len(js)}): Jaccard "
          f"median {js[len(js) // 2]:.4f}, max {js[-1]:.4f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
