"""rectify.text: copied-material detection from DataFrames, folders and CSV files.

The documents are built from runs of distinct CJK ideographs (``run(start, n)``: n characters,
none repeated anywhere unless a test repeats the run on purpose), so that shingle sets can be
counted by hand: a text of L normalised characters, all distinct, has L − k + 1 distinct
k-shingles, and two such texts share exactly the shingles lying inside their common runs.
Every expected number below is derived that way in the comments, not taken from the library.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pandas as pd
import pytest

import rectify
from rectify import text


def run(start: int, n: int) -> str:
    """n distinct CJK ideographs U+4E00+start..: stable under NFKC and case folding, all kept."""
    return "".join(chr(0x4E00 + start + i) for i in range(n))


def frame(rows: List[Any]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit", "doc", "text"])


# ---- a copied paragraph ---------------------------------------------------------------------
#
# P1, P2: 20 characters each; X, Y: 10 each; Z: 40 (all disjoint).
#   A (u1) = X "\n" P1 "，" P2 "。"   normalised X P1 P2: 50 chars → 46 shingles
#   B (u2) = P1 "、" P2 Y             normalised P1 P2 Y: 50 chars → 46 shingles
#   C (u3) = Z                        40 chars → 36 shingles, shares nothing
# A ∩ B = the shingles inside P1 P2 (40 chars): 36; A ∪ B = 46 + 46 − 36 = 56.
#   jaccard = 36/56 = 9/14, a_in_b = b_in_a = 36/46.
# Longest shared passage: P1 P2 (40 normalised characters; X and Y differ on each side), shown
# as written: in A from P1 to the end of P2 with the "，" inside, starting after X and "\n"
# (str index 11, byte 10·3 + 1 = 31) and ending before "。" (index 11 + 41 = 52, byte 31 +
# 41·3 = 154); in B with the "、", index 0..41, bytes 0..123.
P1, P2, X, Y, Z = run(0, 20), run(20, 20), run(100, 10), run(200, 10), run(300, 40)
TEXT_A = X + "\n" + P1 + "，" + P2 + "。"
TEXT_B = P1 + "、" + P2 + Y
COPIED = frame([["u1", "总结", TEXT_A], ["u2", "报告", TEXT_B], ["u3", "其他", Z]])


def test_a_copied_paragraph_is_reported_with_its_passage() -> None:
    s = text.similar(COPIED)
    assert len(s.pairs) == 1
    p = s.pairs.iloc[0]
    assert (p["unit_a"], p["doc_a"], p["unit_b"], p["doc_b"]) == ("u1", "总结", "u2", "报告")
    assert (p["a"], p["b"]) == (0, 1)
    assert p["jaccard"] == pytest.approx(9 / 14)
    assert p["a_in_b"] == pytest.approx(36 / 46)
    assert p["b_in_a"] == pytest.approx(36 / 46)
    assert p["shared"] == 36
    assert p["passage"] == P1 + "，" + P2
    (passage,) = p["passages"]
    assert passage["chars"] == 40
    assert passage["a_text"] == P1 + "，" + P2
    assert passage["b_text"] == P1 + "、" + P2
    assert (passage["a_char_begin"], passage["a_char_end"]) == (11, 52)
    assert (passage["b_char_begin"], passage["b_char_end"]) == (0, 41)
    assert (passage["a_begin"], passage["a_end"]) == (31, 154)
    assert (passage["b_begin"], passage["b_end"]) == (0, 123)
    # Both kinds of offsets find the passage in the text the user gave.
    assert TEXT_A[passage["a_char_begin"] : passage["a_char_end"]] == passage["a_text"]
    assert TEXT_A.encode()[passage["a_begin"] : passage["a_end"]].decode() == passage["a_text"]
    assert TEXT_B.encode()[passage["b_begin"] : passage["b_end"]].decode() == passage["b_text"]

    assert list(s.pairs.columns) == list(text.PAIR_COLUMNS)
    assert s.pairs["jaccard"].dtype == np.float64 and s.pairs["shared"].dtype == np.int64

    d = s.documents
    assert list(d.columns) == ["unit", "doc", "source", "shingles", "too_short", "copied"]
    assert d["shingles"].tolist() == [46, 46, 36]
    assert d["copied"].tolist() == [True, True, False]
    assert not d["too_short"].any()
    assert d["source"].str.startswith("DataFrame").all()

    assert s.inputs.index.name == "unit"
    assert list(s.inputs.columns) == ["copied_documents"]
    assert s.inputs["copied_documents"].dtype == np.float64
    assert s.inputs["copied_documents"].to_dict() == {"u1": 1.0, "u2": 1.0, "u3": 0.0}

    assert s.threshold == 0.5 and s.k == 5 and s.hashes == 128 and s.min_passage == 20
    assert s.bands >= 1 and s.rows >= 1 and s.bands * s.rows <= 128
    assert s.candidates >= 1
    r = repr(s)
    assert r.startswith("<rectify.text.SimilarResult 3 documents from 3 units; 1 pair with Jaccard ≥ 0.5")
    assert "2 documents copied" in r and f"LSH {s.bands}×{s.rows}" in r
    h = s._repr_html_()
    assert "SimilarResult" in h and "总结" in h and "<table" in h


def test_a_threshold_above_the_pair_reports_nothing() -> None:
    # 9/14 ≈ 0.643 < 0.65.
    s = text.similar(COPIED, threshold=0.65)
    assert s.pairs.empty and list(s.pairs.columns) == list(text.PAIR_COLUMNS)
    assert s.inputs["copied_documents"].tolist() == [0.0, 0.0, 0.0]
    assert not s.documents["copied"].any()


def test_min_passage_longer_than_the_passage_keeps_the_pair_without_passages() -> None:
    # The only shared passage has 40 normalised characters.
    s = text.similar(COPIED, min_passage=41)
    assert len(s.pairs) == 1
    assert s.pairs["passages"].iloc[0] == [] and s.pairs["passage"].iloc[0] is None


# ---- a short document copied whole into a long one ------------------------------------------
#
# S (u1): 30 chars → 26 shingles. L (u2) = Q S R with Q 20 and R 10 chars: 60 → 56 shingles.
# Every shingle of S is in L: shared 26, union 56, jaccard 26/56; a_in_b = 26/26 = 1,
# b_in_a = 26/56. At threshold 0.4 (26/56 ≈ 0.464) the pair is reported; the passage is S whole.
S, Q, R = run(400, 30), run(500, 20), run(600, 10)


def test_a_short_document_copied_whole_has_a_in_b_one() -> None:
    df = frame([["u1", "短", S], ["u2", "长", Q + S + R]])
    s = text.similar(df, threshold=0.4)
    (row,) = s.pairs.itertuples()
    assert row.a_in_b == 1.0
    assert row.b_in_a == pytest.approx(26 / 56)
    assert row.jaccard == pytest.approx(26 / 56)
    assert row.shared == 26
    assert row.passage == S
    assert row.passages[0]["b_char_begin"] == 20 and row.passages[0]["b_char_end"] == 50
    assert text.similar(df).pairs.empty  # 0.464 < 0.5


# ---- same unit, template, short documents ---------------------------------------------------


def test_pairs_within_one_unit_are_hidden_unless_asked() -> None:
    df = frame([["u1", "一", TEXT_A], ["u1", "二", TEXT_B]])
    hidden = text.similar(df)
    assert hidden.pairs.empty
    assert hidden.inputs["copied_documents"].to_dict() == {"u1": 0.0}
    shown = text.similar(df, same_unit=True)
    assert len(shown.pairs) == 1 and shown.same_unit
    assert shown.pairs["jaccard"].iloc[0] == pytest.approx(9 / 14)
    assert shown.inputs["copied_documents"].to_dict() == {"u1": 2.0}
    assert "same unit included" in repr(shown)


# T: 40 chars, quoted by both; A = T X, B = T Y (X, Y 10 chars each, distinct).
# Without the template: 46 shingles each, 36 shared, jaccard 36/56 — reported.
# With it, T's 36 shingles are removed: each keeps the 4 shingles across T→X (or T→Y) and the
# 6 inside X (Y): 10 each, none shared, jaccard 0 — not reported.
T = run(700, 40)
TEMPLATED = frame([["u1", "学习", T + X], ["u2", "学习", T + Y]])


def test_a_template_removes_a_pair(tmp_path: Path) -> None:
    without = text.similar(TEMPLATED)
    assert len(without.pairs) == 1
    assert without.pairs["jaccard"].iloc[0] == pytest.approx(36 / 56)
    assert without.documents["shingles"].tolist() == [46, 46]

    as_text = text.similar(TEMPLATED, template="关于开展学习的通知\n" + T)
    assert as_text.pairs.empty
    assert as_text.documents["shingles"].tolist() == [10, 10]
    assert as_text.inputs["copied_documents"].tolist() == [0.0, 0.0]

    f = tmp_path / "通知.txt"
    f.write_text("通知：\n" + T + "\n", encoding="utf-8")
    for template in (f, str(f)):  # a Path, and a str naming an existing file
        s = text.similar(TEMPLATED, template=template)
        assert s.pairs.empty and s.documents["shingles"].tolist() == [10, 10]
    # A template sharing nothing leaves the pair.
    assert len(text.similar(TEMPLATED, template=Z).pairs) == 1
    assert len(text.similar(TEMPLATED, template="").pairs) == 1


def test_template_paths_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(rectify.DataError) as e:
        text.similar(TEMPLATED, template=tmp_path / "missing")
    assert e.value.code == "rectify.io.open" and "missing" in str(e.value)
    # A one-line str ending in .txt is a file name, not template text.
    with pytest.raises(rectify.DataError) as e:
        text.similar(TEMPLATED, template="no_such_notice.txt")
    assert e.value.code == "rectify.io.open" and "no_such_notice.txt" in str(e.value)
    bad = tmp_path / "bad.txt"
    bad.write_bytes("通知".encode() + b"\xff\n")
    with pytest.raises(rectify.TextError) as e:
        text.similar(TEMPLATED, template=bad)
    assert e.value.code == "rectify.text.encoding" and "bad.txt" in str(e.value)
    with pytest.raises(TypeError):
        text.similar(TEMPLATED, template=b"bytes")  # type: ignore[arg-type]


def test_documents_shorter_than_k_are_listed_and_never_reported() -> None:
    # "一二三" has 3 characters (< 5): no shingles; "" none either; a missing text is empty.
    df = frame([["u1", "短", "一二三"], ["u2", "短", "一二三"], ["u3", "空", ""], ["u4", "缺", None]])
    s = text.similar(df, threshold=0.1)
    assert s.pairs.empty
    assert s.documents["too_short"].tolist() == [True, True, True, True]
    assert s.documents["shingles"].tolist() == [0, 0, 0, 0]
    assert "4 too short (< 5 characters)" in repr(s)
    # With k = 3 the two copies have one shingle each, the same: jaccard 1.
    s3 = text.similar(df, k=3)
    assert s3.documents["too_short"].tolist() == [False, False, True, True]
    assert s3.pairs[["unit_a", "unit_b", "jaccard"]].values.tolist() == [["u1", "u2", 1.0]]


# ---- folders and CSV files ------------------------------------------------------------------


def write_folder(folder: Path) -> None:
    folder.mkdir()
    # Sorted by file name: u1__总结.txt, u2__报告.md, u3__其他.txt.
    (folder / "u2__报告.md").write_text(TEXT_B, encoding="utf-8")
    (folder / "u1__总结.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "u3__其他.txt").write_text(Z, encoding="utf-8")
    (folder / "readme.csv").write_text("ignored", encoding="utf-8")


def test_a_folder_of_documents(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    write_folder(folder)
    for docs in (folder, str(folder)):
        s = text.similar(docs)
        assert s.documents[["unit", "doc"]].values.tolist() == [["u1", "总结"], ["u2", "报告"], ["u3", "其他"]]
        assert s.documents["source"].str.contains("u1__总结.txt").iloc[0]
        assert len(s.pairs) == 1
        p = s.pairs.iloc[0]
        assert (p["unit_a"], p["unit_b"]) == ("u1", "u2")
        assert p["jaccard"] == pytest.approx(9 / 14)
        assert p["passage"] == P1 + "，" + P2
        assert s.inputs["copied_documents"].to_dict() == {"u1": 1.0, "u2": 1.0, "u3": 0.0}


def test_folder_errors_are_text_errors_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "bad_name"
    write_folder(folder)
    (folder / "没有单位.txt").write_text(Z, encoding="utf-8")
    with pytest.raises(rectify.TextError) as e:
        text.similar(folder)
    assert e.value.code == "rectify.text.bad_name" and "没有单位.txt" in str(e.value)
    assert isinstance(e.value, rectify.Error) and isinstance(e.value, ValueError)

    folder = tmp_path / "bad_utf8"
    write_folder(folder)
    (folder / "u4__乱码.txt").write_bytes("第一行\n第二".encode() + b"\xc3\x28")
    with pytest.raises(rectify.TextError) as e:
        text.similar(folder)
    assert e.value.code == "rectify.text.encoding"
    # Line 2, column 3 (the bad byte follows 第二).
    assert "u4__乱码.txt:2:3" in str(e.value)

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(rectify.TextError) as e:
        text.similar(empty)
    assert e.value.code == "rectify.text.empty"

    with pytest.raises(rectify.DataError) as e:
        text.similar(tmp_path / "nowhere")
    assert e.value.code == "rectify.io.open" and "nowhere" in str(e.value)


def csv_text(df: pd.DataFrame) -> str:
    return df.to_csv(index=False)


def test_a_csv_file_of_documents(tmp_path: Path) -> None:
    path = tmp_path / "docs.csv"
    path.write_text(csv_text(COPIED), encoding="utf-8")
    s = text.similar(path)
    assert s.documents[["unit", "doc"]].values.tolist() == COPIED[["unit", "doc"]].values.tolist()
    # The text of record 1 is on line 2, column 3 (TEXT_A spans two lines: record 2 is on 4).
    assert s.documents["source"].tolist() == [f"{path}:2:3", f"{path}:4:3", f"{path}:5:3"]
    assert len(s.pairs) == 1
    assert s.pairs["jaccard"].iloc[0] == pytest.approx(9 / 14)
    assert s.pairs["passage"].iloc[0] == P1 + "，" + P2
    assert s.inputs["copied_documents"].to_dict() == {"u1": 1.0, "u2": 1.0, "u3": 0.0}


def test_csv_and_frame_errors_are_text_errors(tmp_path: Path) -> None:
    path = tmp_path / "no_text.csv"
    path.write_text("unit,doc,body\nu1,a,x\n", encoding="utf-8")
    with pytest.raises(rectify.TextError) as e:
        text.similar(path)
    assert e.value.code == "rectify.text.missing_column" and "no_text.csv" in str(e.value)

    dup = frame([["u1", "总结", TEXT_A], ["u1", "总结", TEXT_B]])
    with pytest.raises(rectify.TextError) as e:
        text.similar(dup)
    assert e.value.code == "rectify.text.duplicate_document" and "DataFrame" in str(e.value)

    with pytest.raises(rectify.TextError) as e:
        text.similar(frame([["", "总结", TEXT_A]]))
    assert e.value.code == "rectify.text.missing_value"

    with pytest.raises(rectify.TextError) as e:
        text.similar(pd.DataFrame({"unit": ["u1"], "text": [TEXT_A]}))
    assert e.value.code == "rectify.text.missing_column" and "doc" in str(e.value)

    # A lone surrogate has no UTF-8: refused by the library, naming the cell's row and column.
    with pytest.raises(rectify.TextError) as e:
        # (object dtype: pandas' pyarrow-backed strings, the default once pyarrow is installed,
        # refuse a lone surrogate themselves)
        text.similar(pd.DataFrame([["u1", "a", "正文\ud800"], ["u2", "b", Z]], columns=["unit", "doc", "text"], dtype=object))
    assert e.value.code == "rectify.text.encoding" and "text" in str(e.value)

    with pytest.raises(TypeError):
        text.similar(42)  # type: ignore[arg-type]


def test_bad_options() -> None:
    for kwargs in ({"threshold": 0.0}, {"threshold": 1.5}, {"k": 0}, {"k": -1}, {"hashes": 8}, {"threads": -2}):
        with pytest.raises(rectify.TextError) as e:
            text.similar(COPIED, **kwargs)
        assert e.value.code == "rectify.text.bad_option", kwargs
    with pytest.raises(TypeError):
        text.similar(COPIED, k=2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        text.similar(COPIED, k=True)


def test_a_frame_indexed_by_unit_with_extra_columns() -> None:
    df = COPIED.assign(note=[1, 2, 3]).set_index("unit")
    s = text.similar(df)
    assert len(s.pairs) == 1 and s.pairs["jaccard"].iloc[0] == pytest.approx(9 / 14)


# ---- the scorer -----------------------------------------------------------------------------

AUTHENTICITY: Dict[str, Any] = {
    "format": "rectify.scheme/1",
    "id": "auth",
    "name": "材料真实性",
    "missing": "error",
    "indicators": [
        {
            "id": "auth",
            "name": "材料真实性",
            "points": 100,
            "deductions": [{"input": "copied_documents", "per": 10, "cap": 100, "name": "抄袭材料"}],
        }
    ],
    "grades": [{"name": "好", "min": 95}, {"name": "差"}],
}


def test_inputs_join_a_units_frame_and_are_scored() -> None:
    # u1 and u2 each have one copied document (−10); u3 none; u4 filed nothing at all.
    units = pd.DataFrame({"unit": ["u1", "u2", "u3", "u4"], "name": ["甲", "乙", "丙", "丁"]}).set_index("unit")
    s = text.similar(COPIED)
    data = units.join(s.inputs)
    assert data["copied_documents"].iloc[:3].tolist() == [1.0, 1.0, 0.0]
    assert np.isnan(data["copied_documents"].iloc[3])
    # A unit that filed nothing copied nothing: the caller decides; here it is 0.
    data = data.fillna({"copied_documents": 0.0})
    result = rectify.Scheme.from_json(AUTHENTICITY).score(data)
    frame_ = result.to_frame()
    assert frame_["score"].to_dict() == {"u1": 90.0, "u2": 90.0, "u3": 100.0, "u4": 100.0}
    assert frame_["grade"].tolist() == ["差", "差", "好", "好"]


# ---- normalize ------------------------------------------------------------------------------


def test_normalize_shows_what_is_compared() -> None:
    # Full-width digits and letters fold to ASCII and lower case; the ideographic space, the
    # Chinese comma and the full-width "！" are dropped.
    assert text.normalize("２０２６年，ＡＢ　支部！") == "2026年ab支部"
    assert text.normalize("学习《党章》， ABC!\n") == "学习党章abc"
    assert text.normalize("") == ""
    assert text.normalize("，。 ") == ""
    with pytest.raises(rectify.TextError) as e:
        text.normalize("正文\udc80")
    assert e.value.code == "rectify.text.encoding"
    with pytest.raises(TypeError):
        text.normalize(b"abc")  # type: ignore[arg-type]


def test_full_width_copies_are_found() -> None:
    # The same 40 characters, one copy with full-width digits and letters in the middle and
    # different punctuation: they normalise to one text, so jaccard is 1.
    base = run(800, 15) + "2026ABCDE" + run(815, 16)
    wide = run(800, 15) + "，２０２６ＡＢＣＤＥ。" + run(815, 16)
    s = text.similar(frame([["u1", "a", base], ["u2", "b", wide]]))
    assert s.pairs["jaccard"].tolist() == [1.0]
    assert s.pairs["passages"].iloc[0][0]["b_text"] == wide


# ---- threads --------------------------------------------------------------------------------


def corpus(n: int, seed: int) -> pd.DataFrame:
    """n documents of 300 characters over 3,000 ideographs, every fifth a light edit of the one
    before it (a run of 30 characters replaced), filed by 25 units in turn."""
    rng = random.Random(seed)
    rows = []
    prev = ""
    for i in range(n):
        if i % 5 == 4:
            cut = rng.randrange(0, 270)
            body = prev[:cut] + run(5000 + rng.randrange(0, 1000), 30) + prev[cut + 30 :]
        else:
            body = "".join(chr(0x4E00 + rng.randrange(0, 3000)) for _ in range(300))
        rows.append([f"u{i % 25}", f"d{i}", body])
        prev = body
    return frame(rows)


def same_result(x: text.SimilarResult, y: text.SimilarResult) -> None:
    pd.testing.assert_frame_equal(x.pairs, y.pairs)
    pd.testing.assert_frame_equal(x.inputs, y.inputs)
    pd.testing.assert_frame_equal(x.documents, y.documents)
    assert (x.bands, x.rows, x.candidates) == (y.bands, y.rows, y.candidates)


def test_results_do_not_depend_on_the_thread_count() -> None:
    df = corpus(400, 7)
    one = text.similar(df, threads=1)
    two = text.similar(df, threads=2)
    same_result(one, two)
    same_result(one, text.similar(df))  # threads=0: every core
    # 80 planted edits, each keeping 270 of 300 characters in two runs: about 262 of 296
    # shingles shared, jaccard ≈ 262/330 ≈ 0.79, far above 0.5; random texts share none.
    assert len(one.pairs) == 80
    assert (one.pairs["b"] - one.pairs["a"] == 1).all()


def test_several_python_threads_at_once() -> None:
    df = corpus(300, 11)
    expected = text.similar(df, threads=1)
    results: List[Any] = [None] * 4
    errors: List[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = text.similar(df, threads=1 + i % 2)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors and all(not t.is_alive() for t in threads)
    for r in results:
        same_result(expected, r)
