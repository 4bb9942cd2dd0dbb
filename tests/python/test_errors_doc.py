"""docs/errors.md against the sources: every error code the library, the command line and the
Python package can raise is documented there with an example, and every code documented there
still exists, so the catalogue cannot drift from the code. A sample of the examples is also
re-triggered (through the CLI and the Python API) and must match the page word for word, so
the messages shown are the real ones."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Dict, List, Set, Tuple

import numpy as np
import pandas as pd
import pytest

import rectify
import rectify.mcda

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "errors.md"

# Where codes are written: the C++ library and CLI, the bindings and the Python package.
SOURCE_GLOBS = [
    ("src", "**/*.cpp"),
    ("src", "**/*.hpp"),
    ("include", "**/*.hpp"),
    ("python/src", "**/*.cpp"),
    ("python/src", "**/*.hpp"),
    ("python/rectify", "**/*.py"),
    ("python/rectify", "**/*.pyi"),
]

# A whole string literal that is a code: "rectify.<family>.<rule>" (or deeper), or one of the
# two-part codes ("rectify.internal"). Codes only ever appear as whole literals; a mention in
# a docstring or message ("see rectify.text.similar") is not quoted alone and is not matched.
LITERAL = re.compile(r"""["'](rectify\.[a-z_]+(?:\.[a-z_]+)*)["']""")

# Whole literals of that shape that are not codes, and why.
NOT_CODES = {
    "rectify.scheme": "the scheme reader's code family (prefix of rectify.scheme.syntax etc.)",
    "rectify.ledger": "the ledger reader's code family",
    "rectify.compliance.rules": "the meeting-rules reader's code family (kFamily)",
    "rectify.dask": "the name of the Dask progress bar",
    "rectify.mcda": "the __module__ given to the MCDA result classes",
    "rectify._errors": "the Python module the bindings import the exception classes from",
}

# Codes the sources spell or derive but that never reach a user, and why. Each must still be
# derivable from the sources (a stale entry fails `test_exclusions_are_current`).
NEVER_RAISED = {
    "rectify.compliance.rules.bad_number": "read_rules renames a number beyond a double to .bad_value",
    "rectify.compliance.rules.type": "the rules reader reports wrong JSON types as .bad_type, never through "
    "json_reader::object/array",
}


def _sources() -> List[Path]:
    files: List[Path] = []
    for base, pattern in SOURCE_GLOBS:
        files.extend(p for p in sorted((ROOT / base).glob(pattern)) if ".mypy_cache" not in p.parts)
    return files


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _resolve(arg: str, text: str) -> str:
    """A family argument as written (a literal or the name of a string constant) → its value."""
    arg = arg.strip()
    if arg.startswith('"'):
        return arg.strip('"')
    m = re.search(r"\b" + re.escape(arg) + r'\s*=\s*"([^"]+)"', text)
    assert m, f"cannot resolve the code family {arg!r}"
    return m.group(1)


def _derived_codes() -> Set[str]:
    """Codes built from a family prefix: parse_json_text's `<prefix>.syntax` etc. for every
    reader that calls it, json_reader's `<family>.type` etc. for every reader derived from it,
    and the table reader's `rectify.scheme.table.<rule>` from its `fail("<rule>", ...)` calls."""
    json_text = _read(ROOT / "src/io/json_text.cpp")
    parse_suffixes = set(re.findall(r'\bpre \+ "\.([a-z_]+)"', json_text))
    reader_suffixes = set(re.findall(r'\bfamily_ \+ "\.([a-z_]+)"', json_text))
    assert parse_suffixes >= {"syntax", "duplicate_key", "bad_number"}, parse_suffixes
    assert reader_suffixes >= {"type", "unknown_key"}, reader_suffixes
    codes: Set[str] = set()
    for path in sorted((ROOT / "src").glob("**/*.cpp")):
        if path.name == "json_text.cpp":
            continue
        text = _read(path)
        for m in re.finditer(r"parse_json_text\(\s*[^,]+,\s*[^,]+,\s*([^,]+),", text):
            family = _resolve(m.group(1), text)
            codes |= {f"{family}.{s}" for s in parse_suffixes}
        for m in re.finditer(r"json_reader\(\s*\w+\s*,\s*([^)]+)\)", text):
            family = _resolve(m.group(1), text)
            codes |= {f"{family}.{s}" for s in reader_suffixes}
    # Python: a code built in an f-string. Only the scheme table does this; a new one must be
    # taught to this test rather than slip through.
    fstrings: Dict[Path, List[str]] = {}
    for path in sorted((ROOT / "python/rectify").glob("**/*.py")):
        found = re.findall(r'f"(rectify\.[a-z_.]+)\.\{', _read(path))
        if found:
            fstrings[path.relative_to(ROOT)] = found
    assert fstrings == {Path("python/rectify/_table_scheme.py"): ["rectify.scheme.table"]}, fstrings
    table = _read(ROOT / "python/rectify/_table_scheme.py")
    rules = set(re.findall(r'\bfail\(\s*"([a-z_]+)"', table))
    assert len(rules) >= 5, rules
    codes |= {f"rectify.scheme.table.{r}" for r in rules}
    return codes


def source_codes() -> Set[str]:
    """Every code the sources can raise (NOT_CODES and NEVER_RAISED taken out)."""
    literal: Set[str] = set()
    for path in _sources():
        literal |= set(LITERAL.findall(_read(path)))
    codes = (literal | _derived_codes()) - set(NOT_CODES) - set(NEVER_RAISED)
    return codes


def documented() -> Dict[str, str]:
    """Code → its section of docs/errors.md (from its `#### \\`code\\`` heading to the next)."""
    text = _read(DOC)
    parts = re.split(r"^#### `(rectify\.[a-z_.]+)`[^\n]*\n", text, flags=re.M)
    sections: Dict[str, str] = {}
    for code, body in zip(parts[1::2], parts[2::2]):
        assert code not in sections, f"{code} is documented twice"
        sections[code] = re.split(r"^#{1,4} ", body, flags=re.M)[0]
    return sections


def test_every_source_code_is_documented() -> None:
    missing = sorted(source_codes() - set(documented()))
    assert not missing, f"codes in the sources but not in docs/errors.md: {missing}"


def test_every_documented_code_exists() -> None:
    stale = sorted(set(documented()) - source_codes())
    assert not stale, f"codes in docs/errors.md that the sources no longer raise: {stale}"


def test_exclusions_are_current() -> None:
    literal: Set[str] = set()
    for path in _sources():
        literal |= set(LITERAL.findall(_read(path)))
    derived = _derived_codes()
    assert set(NOT_CODES) <= literal, sorted(set(NOT_CODES) - literal)
    assert set(NEVER_RAISED) <= literal | derived, sorted(set(NEVER_RAISED) - literal - derived)
    assert not set(NEVER_RAISED) & set(documented())


def test_every_code_has_an_example_meaning_and_fix() -> None:
    problems = []
    for code, body in documented().items():
        blocks = re.findall(r"```\n(.*?)```", body, flags=re.S)
        if not any(f"[{code}]" in b for b in blocks):
            problems.append(f"{code}: no example message containing [{code}]")
        if "**Fix.**" not in body:
            problems.append(f"{code}: no **Fix.**")
        prose = re.sub(r"```.*?```", "", body, flags=re.S).replace("**Fix.**", "").strip()
        if len(prose) < 40:
            problems.append(f"{code}: no meaning")
        for b in blocks:
            if re.search(r"/(work|tmp|root|home)/", b):
                problems.append(f"{code}: the example shows a full path; shorten it to the file name")
    assert not problems, "\n".join(problems)


def test_codes_are_grouped_under_their_family() -> None:
    """Each code sits under the `## \\`rectify.<family>.*\\`` heading of its family; the two-part
    codes (rectify.internal) under a heading without a family."""
    family = None
    for line in _read(DOC).splitlines():
        if line.startswith("## "):
            m = re.match(r"^## `(rectify\.[a-z_]+)\.\*`", line)
            family = m.group(1) if m else None
        m = re.match(r"^#### `(rectify\.[a-z_.]+)`", line)
        if m:
            code = m.group(1)
            want = ".".join(code.split(".")[:2]) if code.count(".") >= 2 else None
            assert family == want, f"{code} is under the heading of {family}"


def _example(code: str, needle: str, cli: bool = True) -> str:
    """The example line of `code`'s section that contains `needle`: a command-line one (starting
    with "rectify: ") or, with cli=False, one raised in Python."""
    body = documented()[code]
    lines: List[str] = [
        str(ln)
        for b in re.findall(r"```\n(.*?)```", body, flags=re.S)
        for ln in b.splitlines()
        if needle in ln and ln.startswith("rectify: ") == cli
    ]
    assert lines, f"{code}: no example containing {needle!r}"
    return lines[0]


def _short(line: str, root: Path = ROOT) -> str:
    """A message with every path under `root` cut to its file name, as the page shows them
    (JSON pointers, which also contain slashes, are left alone)."""
    return re.sub(re.escape(str(root)) + r"/(?:[^/\s:\"]+/)*", "", line)


# (code, a distinctive part of the documented example, command-line arguments with ROOT
# substituted). The bad inputs are committed test data, so the messages are stable.
CLI_CASES: List[Tuple[str, str, List[str]]] = [
    ("rectify.scheme.syntax", "scheme_truncated.json", ["validate", "{R}/tests/data/bad/scheme_truncated.json"]),
    ("rectify.scheme.bad_rule", "scheme_linear_best_eq_worst.json", ["validate", "{R}/tests/data/bad/scheme_linear_best_eq_worst.json"]),
    ("rectify.scheme.inconsistent", "scheme_ahp_inconsistent.json", ["validate", "{R}/tests/data/bad/scheme_ahp_inconsistent.json"]),
    ("rectify.data.bad_cell", "csv_bad_cell.csv", ["score", "{R}/examples/data/scheme.json", "{R}/tests/data/bad/csv_bad_cell.csv"]),
    ("rectify.data.encoding", "csv_gbk.csv", ["score", "{R}/examples/data/scheme.json", "{R}/tests/data/bad/csv_gbk.csv"]),
    ("rectify.ledger.chain", "ledger_forged_hash.json", ["ledger", "verify", "{R}/tests/data/ledger_bad/ledger_forged_hash.json"]),
    ("rectify.ledger.unknown_key", "ledger_unknown_key.json", ["ledger", "validate", "{R}/tests/data/ledger_bad/ledger_unknown_key.json"]),
    ("rectify.mcda.not_finite", "matrix_empty_cell.csv", ["mcda", "{R}/tests/data/mcda/matrix_empty_cell.csv", "--weights", "equal", "--types", "+,+,+"]),
    ("rectify.mcda.inconsistent", "ahp_inconsistent.csv", ["ahp", "{R}/tests/data/mcda/ahp_inconsistent.csv", "--max-cr", "0.1"]),
    ("rectify.compliance.unknown_type", "bad_type.csv", ["meetings", "{R}/tests/data/compliance/cli/bad/bad_type.csv", "--from", "2026-01", "--to", "2026-12"]),
    ("rectify.compliance.rules.unknown_key", "many_problems.json", ["meetings", "{R}/examples/data/meetings.csv", "--from", "2026-01", "--to", "2026-12", "--rules", "{R}/tests/data/compliance/rules/many_problems.json"]),
    ("rectify.text.missing_column", "no_doc_column.csv", ["similar", "{R}/tests/data/similar/bad/no_doc_column.csv"]),
]


@pytest.mark.parametrize("code,needle,args", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_cli_examples_are_real(code: str, needle: str, args: List[str]) -> None:
    cli = os.environ.get("RECTIFY_CLI")
    if not cli:
        pytest.skip("RECTIFY_CLI (the rectify executable) is not set")
    run = subprocess.run([cli, *(a.replace("{R}", str(ROOT)) for a in args)], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    got = [_short(ln) for ln in run.stderr.splitlines() if f"[{code}]" in ln]
    assert got, run.stderr
    assert _example(code, needle) in got


def test_python_examples_are_real(tmp_path: Path) -> None:
    """A few examples raised through the Python API: the exception's text is the page's line."""

    def message(fn: object) -> str:
        with pytest.raises(rectify.Error) as info:
            fn()  # type: ignore[operator]
        return _short(str(info.value).splitlines()[0], tmp_path)

    x = np.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 10]])
    assert message(lambda: rectify.mcda.topsis(x, [1, -1, 1], [1, 1, 1])) == _example(
        "rectify.mcda.bad_weights", "weight 1", cli=False
    )
    assert message(lambda: rectify.mcda.weights.rank_sum([1, 0, 2])) == _example(
        "rectify.mcda.bad_ranks", "criterion 1", cli=False
    )
    scheme = rectify.Scheme.from_json(ROOT / "examples/data/scheme.json")
    units = rectify.read_units_csv(ROOT / "examples/data/units.csv")
    units["meeting_plan_made"] = 0.5
    assert message(lambda: scheme.score(units)) == _example("rectify.data.bad_check", "meeting_plan_made", cli=False)
    missing = tmp_path / "nope.csv"
    assert message(lambda: scheme.score(missing)) == _example("rectify.io.open", "nope.csv", cli=False)
    assert message(lambda: rectify.Scheme.from_table(_table_without_area(), id="t")) == _example(
        "rectify.scheme.table.missing_column", "一级指标", cli=False
    )


def _table_without_area() -> pd.DataFrame:
    """A scheme table (two indicators) without its 一级指标 (area) column."""
    return pd.DataFrame(
        [["会议按期", 60, "meetings_held_rate", "linear", 0.6, 1], ["满意度", 40, "satisfaction_index", "linear", 60, 95]],
        columns=["二级指标", "分值", "数据项", "规则", "最差", "最好"],
    )
