"""Runs docs/guide.md: every ```python block of each task (one `## ` section), in order, in a
fresh namespace, so that the guide's snippets are known to work as written.

Each section runs in its own temporary folder that holds a link ``examples`` to the
repository's examples, so the snippets read ``examples/data/...`` as a reader at the repository
root would, and the files they write (report.html, scores.xlsx, ...) land in the temporary
folder. Blocks marked ```python no-run are skipped. Every ```bash block is run the same way with
the command line of RECTIFY_CLI as ``rectify``, after checking that each ``rectify ...`` line
names a real subcommand (its ``--help`` works).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide.md"

# The tasks the guide must cover (issue 7, part 8): a word of each section's title.
TASKS = ["评分", "扣分说明", "考核细则", "层次分析法", "整改台账", "三会一课", "雷同", "汇报", "Excel"]


@dataclass
class Block:
    lang: str
    line: int  # 1-based line of the block's first code line in guide.md
    code: str
    run: bool = True


@dataclass
class Section:
    title: str
    line: int
    blocks: List[Block] = field(default_factory=list)

    @property
    def slug(self) -> str:
        m = re.search(r"\(([^()]*)\)\s*$", self.title)
        return re.sub(r"[^A-Za-z0-9]+", "-", m.group(1) if m else self.title).strip("-").lower() or "section"


def parse(text: str) -> List[Section]:
    """The `## ` sections of a Markdown text with their fenced blocks (text before the first
    `## ` is not a task). A fence is ``` followed by the language and options."""
    sections: List[Section] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            info = line[3:].strip().split()
            body: List[str] = []
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                body.append(lines[j])
                j += 1
            if j == len(lines):
                raise AssertionError(f"guide.md:{i + 1}: a fence that is never closed")
            if sections and info:
                sections[-1].blocks.append(Block(info[0], i + 2, "\n".join(body) + "\n", "no-run" not in info[1:]))
            i = j + 1
            continue
        if line.startswith("## "):
            sections.append(Section(line[3:].strip(), i + 1))
        i += 1
    return sections


SECTIONS = parse(GUIDE.read_text(encoding="utf-8"))


def test_parse_reads_fences_and_options() -> None:
    text = "intro\n```python\nx = 0\n```\n## 甲 (one)\ntext\n```python\na = 1\n```\n```python no-run\nb\n```\n## 乙 (two)\n```bash\nrectify score x\n```\n"
    got = parse(text)
    assert [(s.title, s.slug, s.line) for s in got] == [("甲 (one)", "one", 5), ("乙 (two)", "two", 13)]
    assert [(b.lang, b.line, b.code, b.run) for b in got[0].blocks] == [("python", 8, "a = 1\n", True), ("python", 11, "b\n", False)]
    assert [(b.lang, b.code) for b in got[1].blocks] == [("bash", "rectify score x\n")]
    with pytest.raises(AssertionError, match="never closed"):
        parse("## a\n```python\nx\n")


def test_the_guide_covers_every_task() -> None:
    titles = [s.title for s in SECTIONS]
    for task in TASKS:
        assert any(task in t for t in titles), f"no section of docs/guide.md is about {task}: {titles}"
    for s in SECTIONS:
        assert any(b.lang == "python" and b.run for b in s.blocks), f"guide.md:{s.line}: {s.title} has no runnable snippet"
    assert len({s.slug for s in SECTIONS}) == len(SECTIONS), "two sections have the same English title"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder that looks like the repository root to the snippets (examples/ is a link) and
    receives what they write."""
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return tmp_path


def _check_files(*names: str, contains: Tuple[str, str] = ("", "")) -> Callable[[Path, Dict[str, Any]], None]:
    def check(folder: Path, _ns: Dict[str, Any]) -> None:
        for name in names:
            path = folder / name
            assert path.is_file() and path.stat().st_size > 0, f"the snippets did not write {name}"
        if contains[0]:
            assert contains[1] in (folder / contains[0]).read_text(encoding="utf-8")

    return check


def _check_table_scheme(_folder: Path, ns: Dict[str, Any]) -> None:
    import json

    assert json.loads(ns["scheme"].text) == json.loads((ROOT / "examples/data/scheme.json").read_text(encoding="utf-8"))
    assert list(ns["small"].nodes.index) == ["a1", "a1.1", "a1.2", "a2", "a2.1"]


# What a section's snippets must have left behind, beyond running without an exception.
AFTER: Dict[str, Callable[[Path, Dict[str, Any]], None]] = {
    "build-a-scheme-from-a-table": _check_table_scheme,
    "report-to-leaders": _check_files("report.html", contains=("report.html", "<svg")),
    "excel-in-and-out-plots": _check_files("scores.xlsx", "ranking.png", "waterfall.png", "radar.png", "burndown.png", "overdue.png"),
}


@pytest.mark.parametrize("section", SECTIONS, ids=[s.slug for s in SECTIONS])
def test_snippets_run(section: Section, workdir: Path) -> None:
    namespace: Dict[str, Any] = {"__name__": "__guide__"}
    with warnings.catch_warnings():
        # A chart with a missing glyph shows boxes instead of Chinese: that is a failure.
        warnings.filterwarnings("error", message=r".*[Gg]lyph .* missing from")
        for block in section.blocks:
            if block.lang != "python" or not block.run:
                continue
            # Padding makes tracebacks give the line of guide.md.
            code = compile("\n" * (block.line - 1) + block.code, str(GUIDE), "exec")
            try:
                exec(code, namespace)
            except Exception as exc:
                raise AssertionError(f"guide.md:{block.line}: the snippet of {section.title!r} failed: {exc!r}") from exc
    try:
        check = AFTER.get(section.slug)
        if check is not None:
            check(workdir, namespace)
    finally:
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")


def _commands(code: str) -> List[List[str]]:
    """The ``rectify ...`` command lines of a shell block, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", code)
    out = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "rectify":
            out.append(words)
    return out


def _subcommand(words: List[str]) -> List[str]:
    """``rectify ledger status FILE ...`` → ``["ledger", "status"]``."""
    sub: List[str] = []
    for w in words[1:3]:
        if not re.fullmatch(r"[a-z][a-z-]*", w):
            break
        sub.append(w)
    return sub


def test_commands_are_found() -> None:
    assert _commands("rectify report a.json b.csv \\\n    --out r.html\nls\n") == [["rectify", "report", "a.json", "b.csv", "--out", "r.html"]]
    assert _subcommand(["rectify", "ledger", "status", "examples/data/ledger.json"]) == ["ledger", "status"]
    assert _subcommand(["rectify", "score", "scheme.json", "units.csv"]) == ["score"]


SHELL = [s for s in SECTIONS if any(b.lang in ("bash", "sh") for b in s.blocks)]


@pytest.mark.parametrize("section", SHELL, ids=[s.slug for s in SHELL])
def test_shell_lines_run(section: Section, workdir: Path) -> None:
    cli = os.environ.get("RECTIFY_CLI")
    if not cli:
        pytest.skip("RECTIFY_CLI is not set (the path of the rectify command line)")
    bin_dir = workdir / "bin"
    bin_dir.mkdir()
    (bin_dir / "rectify").symlink_to(Path(cli).resolve())
    env = dict(os.environ)
    # `rectify report` runs the Python package: let it find this interpreter first.
    env["PATH"] = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), env.get("PATH", "")])
    for block in section.blocks:
        if block.lang not in ("bash", "sh"):
            continue
        for words in _commands(block.code):
            sub = _subcommand(words)
            assert sub, f"guide.md:{block.line}: {' '.join(words)}: no subcommand"
            done = subprocess.run([cli, *sub, "--help"], capture_output=True, text=True, env=env)
            # An unknown word gets the top-level help, with status 0: look at its usage line
            # (CLI11 writes "Usage:", argparse, behind `rectify report`, "usage:").
            usage = "usage: rectify " + " ".join(sub) + " "
            if done.returncode != 0 or usage not in done.stdout.lower():
                pytest.fail(f"guide.md:{block.line}: `rectify {' '.join(sub)}` is not a subcommand of {cli}", pytrace=False)
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", block.code], capture_output=True, text=True, env=env, cwd=workdir)
        if done.returncode != 0:
            pytest.fail(f"guide.md:{block.line}: the commands of {section.title!r} failed:\n{done.stderr}", pytrace=False)
