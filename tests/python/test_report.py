"""The leaders' report (rectify.report, `rectify report`): built from the whole sample bureau,
parsed, checked for external references, compared with the scorer's own ranking, rendered in
headless Chromium (not blank, every character covered by an installed font of the page's font
stack), and run through the C++ command line's git-style dispatch."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

import pytest

import rectify
from conftest import (
    AS_OF,
    BRANCHES_CSV,
    DOCUMENTS,
    LEDGER_JSON,
    MEETINGS_CSV,
    PERIOD,
    RISKS_CSV,
    SCHEME_JSON,
    SURVEY_CSV,
    TEMPLATE,
    UNITS_CSV,
    foreign_env,
)

pytest.importorskip("matplotlib")
from rectify import report  # noqa: E402

# The CSS font stack of the report, as the page declares it (checked below).
FONT_STACK = ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC"]

ARGS = [
    str(SCHEME_JSON), str(UNITS_CSV),
    "--ledger", str(LEDGER_JSON),
    "--meetings", str(MEETINGS_CSV), "--from", PERIOD[0], "--to", PERIOD[1], "--branches", str(BRANCHES_CSV),
    "--survey", str(SURVEY_CSV), "--risks", str(RISKS_CSV),
    "--documents", str(DOCUMENTS), "--template", str(TEMPLATE),
    "--as-of", AS_OF,
]  # fmt: skip


class Page(HTMLParser):
    """The parts of the page the tests look at: every start tag with its attributes, the text
    outside <style>, the section headings, the text of <style>, and the rows of each table
    (by class) as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: List[Tuple[str, Dict[str, Optional[str]]]] = []
        self.text: List[str] = []
        self.style = ""
        self.h2: List[str] = []
        self.tables: Dict[str, List[List[str]]] = {}
        self._stack: List[str] = []
        self._table: Optional[str] = None
        self._row: Optional[List[str]] = None
        self._cell: Optional[List[str]] = None
        self._in_thead = False
        self._h2: Optional[List[str]] = None

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in ("br", "col", "meta", "path", "use", "rect", "circle", "ellipse", "line", "polyline", "polygon",
                   "stop"):  # fmt: skip
            return
        self._stack.append(tag)
        if tag == "table":
            self._table = a.get("class") or ""
            self.tables.setdefault(self._table, [])
        elif tag == "thead":
            self._in_thead = True
        elif tag == "tr" and self._table is not None and not self._in_thead:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "h2":
            self._h2 = []

    def handle_startendtag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            top = self._stack.pop()
            if top == tag:
                break
        if tag == "thead":
            self._in_thead = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "h2" and self._h2 is not None:
            self.h2.append("".join(self._h2))
            self._h2 = None

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] == "style":
            self.style += data
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._h2 is not None:
            self._h2.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    """The sample report, written by rectify.report.main as the console script does."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert report.main([*ARGS, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    return {"path": out, "text": text, "page": parse(text)}


# -- content ------------------------------------------------------------------------------------


def test_sections_in_order(sample: Dict[str, Any]) -> None:
    titles = [re.sub(r"^[一二三四五六七八九十]+、", "", h) for h in sample["page"].h2]
    assert titles == ["总体情况", "排名与等次", "扣分说明", "整改进展", "逾期事项", "“三会一课”落实情况"]
    assert sample["text"].startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in sample["text"]


def test_ranking_table_is_the_results(sample: Dict[str, Any], scheme: rectify.Scheme, units_frame: Any) -> None:
    """Rank, unit, score and grade of every row equal the scorer's on the same joined inputs
    (conftest's units_frame joins them independently of the report)."""
    result = scheme.score(units_frame.set_index("unit"))
    frame = result.to_frame().sort_values("rank", kind="stable")
    rows = sample["page"].tables["ranking"]
    assert len(rows) == len(frame) == 18
    got = [(int(r[0]), r[1].replace("否决", "").strip(), float(r[2]), r[3]) for r in rows]
    want = [(int(row["rank"]), str(u), round(float(row["score"]), 2), str(row["grade"])) for u, row in frame.iterrows()]
    assert got == want
    # The vetoed unit (serious violation in units.csv) is marked and graded 不合格 by the veto.
    vetoed = [r[1] for r in rows if "否决" in r[1]]
    assert [v.replace("否决", "").strip() for v in vetoed] == ["wa_baima"]


def test_summary_counts(sample: Dict[str, Any], scheme: rectify.Scheme, units_frame: Any) -> None:
    result = scheme.score(units_frame.set_index("unit"))
    text = "".join(sample["page"].text)
    for grade, n in result.grades.value_counts().items():
        assert re.search(rf"{n}\s*{grade}\s*单位数", text), grade
    assert f"{result.scores.mean():.2f}" in text and f"{result.scores.min():.2f}" in text
    # Overdue measures: the sample ledger has 19 as of 2026-11-30 (README of examples/data).
    overdue = rectify.Ledger.load(LEDGER_JSON).overdue(AS_OF)
    assert f"逾期未完成 {len(overdue)} 项" in text
    assert len(sample["page"].tables["overdue"]) == len(overdue)


def test_lost_points_lowest_first(sample: Dict[str, Any], scheme: rectify.Scheme, units_frame: Any) -> None:
    result = scheme.score(units_frame.set_index("unit"))
    text = "\n".join(sample["page"].text)
    heads = re.findall(r"第 (\d+) 名 ([A-Za-z0-9_]+)", text)
    ranks = [int(r) for r, _ in heads]
    assert ranks == sorted(ranks, reverse=True) and len(heads) == len(result)
    worst = result.scores.idxmin()
    lost = result.explain(worst)["points"].sum()
    assert f"{worst}" == heads[0][1] and f"共失 {lost:.2f} 分" in text


def test_no_external_references(sample: Dict[str, Any]) -> None:
    page: Page = sample["page"]
    tags = {t for t, _ in page.tags}
    assert not tags & {"link", "script", "img", "iframe", "object", "embed", "base"}
    for tag, attrs in page.tags:
        for name in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(name)
            if value is None:
                continue
            # A heat map's cells are an SVG <image> embedded as a data: URI, inside the file too.
            inline = tag == "image" and value.startswith("data:image/png;base64,")
            assert value.startswith("#") or inline, f"<{tag} {name}={value[:80]!r}>"
    lowered = sample["text"].lower()
    assert "@import" not in lowered and "@font-face" not in lowered
    assert re.findall(r"url\(\s*(?!#)", lowered) == []
    assert "http://" not in lowered.replace("http://www.w3.org/", "") and "https://" not in lowered


def test_charts_are_inline_svg_with_glyphs_as_paths(sample: Dict[str, Any]) -> None:
    page: Page = sample["page"]
    svgs = [a for t, a in page.tags if t == "svg"]
    assert len(svgs) == 5  # ranking, burn-down, states, overdue heat map, meeting calendar
    assert not [t for t, _ in page.tags if t == "text"], "an SVG <text> needs the reader's fonts"
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids)), "ids of two charts collide"
    assert "footer" in {t for t, _ in page.tags}
    assert "未能绘制" not in sample["text"]


def test_print_css(sample: Dict[str, Any]) -> None:
    css = sample["page"].style
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    assert "break-inside: avoid" in css and "display: table-header-group" in css
    stack = re.search(r"body\s*\{[^}]*font-family:\s*([^;]+);", css)
    assert stack is not None
    assert [f.strip().strip('"') for f in stack.group(1).split(",")] == [*FONT_STACK, "sans-serif"]


def test_sections_only_with_their_data(scheme: rectify.Scheme) -> None:
    text = report.build(scheme, UNITS_CSV, as_of=AS_OF)
    page = parse(text)
    assert [re.sub(r"^.、", "", h) for h in page.h2] == ["总体情况", "排名与等次", "扣分说明"]
    assert "整改" not in "".join(page.h2)


def test_text_is_escaped(scheme: rectify.Scheme) -> None:
    text = report.build(scheme, UNITS_CSV, as_of=AS_OF, title='<script>alert("x")</script> & 报告')
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 报告" in text


def test_a_column_from_two_sources_is_refused(tmp_path: Path) -> None:
    extra = tmp_path / "extra.csv"
    extra.write_text("unit,rect_total\nsec1_chengguan,3\n", encoding="utf-8")
    with pytest.raises(rectify.DataError) as err:
        report.build(SCHEME_JSON, [UNITS_CSV, extra], ledger=LEDGER_JSON, as_of=AS_OF)
    assert err.value.code == "rectify.data.duplicate_column"
    message = str(err.value)
    assert str(extra) in message and str(LEDGER_JSON) in message and '"rect_total"' in message


def test_default_meetings_period_is_the_year_to_date(scheme: rectify.Scheme) -> None:
    text = report.build(scheme, UNITS_CSV, meetings=MEETINGS_CSV, branches=BRANCHES_CSV, as_of="2026-06-15")
    assert "2026年1月至2026年6月" in text


# -- the command line (Python) ------------------------------------------------------------------


def test_main_bad_scheme_exit_1_and_no_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "rectify.scheme/1", "id": "x", "indicators": [], "grades": []}', encoding="utf-8")
    out = tmp_path / "r.html"
    assert report.main([str(bad), str(UNITS_CSV), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "rectify: " in err and "[rectify.scheme." in err and str(bad) in err
    assert not out.exists()


def test_main_usage_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "r.html")
    assert report.main([str(SCHEME_JSON)]) == 2
    assert report.main([str(SCHEME_JSON), str(UNITS_CSV)]) == 2  # no --out
    assert report.main([str(SCHEME_JSON), str(UNITS_CSV), "--out", out, "--as-of", "2026-13-01"]) == 2
    assert report.main([str(SCHEME_JSON), str(UNITS_CSV), "--out", out, "--from", "2026-01"]) == 2
    assert report.main([str(SCHEME_JSON), str(UNITS_CSV), "--out", out, "--template", str(TEMPLATE)]) == 2
    assert report.main([str(SCHEME_JSON), str(UNITS_CSV), "--out", out, "--bogus"]) == 2
    assert not os.path.exists(out)
    assert report.main(["--help"]) == 0
    assert "--ledger" in capsys.readouterr().out


def test_unwritable_out_leaves_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "missing"
    assert report.main([str(SCHEME_JSON), str(UNITS_CSV), "--out", str(folder / "r.html")]) == 1
    assert not folder.exists()
    # An existing report is replaced whole or not at all: a failing build leaves the old one.
    out = tmp_path / "r.html"
    out.write_text("old", encoding="utf-8")
    assert report.main([str(tmp_path / "nope.json"), str(UNITS_CSV), "--out", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


# -- rendering in Chromium ----------------------------------------------------------------------


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("chromium is not installed (Debian: apt-get install chromium)")


def render(html_path: Path, *flags: str) -> None:
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *flags,
           html_path.resolve().as_uri()]  # fmt: skip
    # Chromium is not ours: it runs without the sanitizer runtime of a sanitized test run.
    done = subprocess.run(cmd, capture_output=True, timeout=180, env=foreign_env())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]


def test_renders_not_blank(sample: Dict[str, Any], tmp_path: Path) -> None:
    from PIL import Image

    png = tmp_path / "page.png"
    render(sample["path"], f"--screenshot={png}", "--window-size=1240,1754")
    import numpy as np

    with Image.open(png) as im:
        rgb = np.asarray(im.convert("RGB"), dtype=np.int32)
    assert rgb.shape == (1754, 1240, 3)
    ink = float((rgb.min(axis=2) < 235).mean())
    colours = len(np.unique(rgb.reshape(-1, 3), axis=0))
    assert 0.03 < ink < 0.6, f"share of non-white pixels {ink:.3f}"
    assert colours > 200, f"only {colours} colours"
    # The red title is there: the report's title colour (#a3262a), anti-aliased.
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    assert int(((r > 140) & (g < 80) & (b < 80)).sum()) > 500


def test_prints_on_a4(sample: Dict[str, Any], tmp_path: Path) -> None:
    pdf = tmp_path / "page.pdf"
    render(sample["path"], f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes, "no page in the PDF"
    pages = [(float(w), float(h)) for w, h in boxes]
    assert all(abs(w - 595.92) < 2 and abs(h - 842.88) < 2 for w, h in pages), pages[:3]  # A4 in points
    assert len(pages) >= 5


def _font_cmaps(families: List[str]) -> Dict[str, Set[int]]:
    """Code points of every installed font file whose family is one of ``families``, found
    through matplotlib's font list (the fonts fontconfig has, in /usr/share/fonts) and read
    with fontTools (each face of a .ttc collection)."""
    from fontTools.ttLib import TTCollection, TTFont
    from matplotlib import font_manager

    wanted = {f.lower() for f in families}
    found: Dict[str, Set[int]] = {}
    paths = {f.fname for f in font_manager.fontManager.ttflist if f.name.lower() in wanted}
    for path in sorted(paths):
        fonts = TTCollection(path).fonts if path.lower().endswith((".ttc", ".otc")) else [TTFont(path)]
        for font in fonts:
            names = {n.toUnicode() for n in font["name"].names if n.nameID in (1, 16)}
            family = next((n for n in names if n.lower() in wanted), None)
            if family is None:
                continue
            cmap = font.getBestCmap() or {}
            found.setdefault(family, set()).update(cmap)
    return found


def test_no_missing_glyph(sample: Dict[str, Any]) -> None:
    """Every character of the page's text is in a font of the page's CSS stack that is
    installed, so Chromium draws it from that font and never shows a missing-glyph box. (The
    charts need no font at all: their glyphs are paths, test above.) Chromium resolves each
    character through the stack in order, falling back per character, so coverage by the union
    of the installed stack fonts is exactly the condition."""
    pytest.importorskip("fontTools")
    cmaps = _font_cmaps(FONT_STACK)
    assert cmaps, f"none of {FONT_STACK} is installed (Debian: fonts-noto-cjk or fonts-wqy-microhei)"
    covered = set().union(*cmaps.values())
    text = "".join(sample["page"].text)
    chars = {c for c in text if not c.isspace()}
    assert len(chars) > 300  # a real report, Chinese and digits
    missing = sorted(c for c in chars if ord(c) not in covered)
    assert missing == [], f"not in {sorted(cmaps)}: {''.join(missing)!r} {[hex(ord(c)) for c in missing]}"


# -- the C++ command line's dispatch ------------------------------------------------------------


@pytest.fixture
def cli() -> str:
    path = os.environ.get("RECTIFY_CLI")
    if not path:
        pytest.skip("RECTIFY_CLI is not set (the path of the rectify command line)")
    return path


def run_cli(cli: str, *args: str, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess[str]:
    e = dict(os.environ)
    e["RECTIFY_PYTHON"] = sys.executable
    e.update(env or {})
    return subprocess.run([cli, "report", *args], capture_output=True, text=True, env=e, timeout=600)


def test_cli_report_writes_the_same_file(cli: str, sample: Dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "cli.html"
    done = run_cli(cli, *ARGS, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == sample["path"].read_bytes()


def test_cli_report_help_and_usage(cli: str, tmp_path: Path) -> None:
    done = run_cli(cli, "--help")
    assert done.returncode == 0 and "--ledger" in done.stdout and "--meetings" in done.stdout
    done = run_cli(cli, str(SCHEME_JSON), str(UNITS_CSV), "--bogus", "--out", str(tmp_path / "r.html"))
    assert done.returncode == 2 and "--bogus" in done.stderr
    assert not (tmp_path / "r.html").exists()
    done = run_cli(cli)
    assert done.returncode == 2 and done.stderr


def test_cli_report_bad_scheme(cli: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "rectify.scheme/1", "id": "x", "indicators": [], "grades": []}', encoding="utf-8")
    out = tmp_path / "r.html"
    done = run_cli(cli, str(bad), str(UNITS_CSV), "--out", str(out))
    assert done.returncode == 1
    assert "[rectify.scheme." in done.stderr and str(bad) in done.stderr
    assert not out.exists()


def test_cli_report_without_python(cli: str, tmp_path: Path) -> None:
    """No Python that can run the report: exit 2, saying what to install."""
    done = run_cli(cli, "--help", env={"RECTIFY_PYTHON": str(tmp_path / "no-python")})
    assert done.returncode == 2 and "RECTIFY_PYTHON" in done.stderr
    empty = tmp_path / "bin"
    empty.mkdir()
    e = {k: v for k, v in os.environ.items() if k != "RECTIFY_PYTHON"}
    e["PATH"] = str(empty)
    done = subprocess.run([cli, "report", "--help"], capture_output=True, text=True, env=e, timeout=60)
    assert done.returncode == 2 and "pip install 'rectify[plot]'" in done.stderr
    # A Python without the package: the same, from the Python side.
    fake = empty / "python3"
    fake.write_text("#!/bin/sh\nexec " + sys.executable + ' -I -S "$@"\n', encoding="utf-8")
    fake.chmod(0o755)
    done = subprocess.run([cli, "report", "--help"], capture_output=True, text=True, env=e, timeout=60)
    assert done.returncode == 2 and "pip install 'rectify[plot]'" in done.stderr, done.stderr
