"""Limits (issue 8, part 4): hostile sizes and numbers give a clear error or work in bounded
memory, never a crash or a stack overflow. Every limit tested here is listed in
docs/hardening.md (section limits)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple, Union

import pytest

import rectify
from conftest import EXAMPLES, MINI

# The JSON nesting limit of every rectify JSON reader (src/io/json_text.hpp, max_json_depth).
MAX_DEPTH = 512


def _problems(exc: rectify.Error) -> List[Tuple[str, str]]:
    return [(p.code, p.source) for p in exc.problems]


def _scheme_problems(scheme: Union[str, Path]) -> List[Tuple[str, str]]:
    """(code, source) of every problem of a scheme (from_json raises only for a text that is
    not JSON; the rest is reported by validate)."""
    return [(p.code, p.source) for p in rectify.Scheme.from_json(scheme).validate()]


# ---------------------------------------------------------------------------------------------
# Deeply nested JSON


def _nested_member(depth: int) -> str:
    """A root object whose member "name" nests arrays so that the document is `depth` levels
    deep in all (the root object is level 1)."""
    k = depth - 1
    return '{"name":' + "[" * k + "]" * k + "}"


@pytest.mark.parametrize("levels", [10**5, 10**6])
def test_deep_scheme_is_refused_with_its_place(tmp_path: Path, levels: int) -> None:
    path = tmp_path / "deep.json"
    path.write_text(_nested_member(levels))
    # The 513th opening bracket: 8 bytes of '{"name":' then 511 more '[' before it (ASCII, so
    # the column is the byte offset + 1).
    assert _scheme_problems(path) == [("rectify.scheme.too_deep", f"{path}:1:{8 + MAX_DEPTH - 1 + 1}")]
    (problem,) = rectify.Scheme.from_json(path).validate()
    assert str(MAX_DEPTH) in problem.message
    with pytest.raises(rectify.SchemeError) as info:
        rectify.Scheme.from_json(path).score({"unit": ["u1"], "x": [1.0]})
    assert info.value.code == "rectify.scheme.too_deep"


def test_depth_at_the_limit_is_parsed(tmp_path: Path) -> None:
    """512 levels are read (the scheme is then refused for what it says, not for its depth);
    513 are not."""
    path = tmp_path / "s.json"
    path.write_text(_nested_member(MAX_DEPTH))
    codes = {c for c, _ in _scheme_problems(path)}
    assert "rectify.scheme.too_deep" not in codes and "rectify.scheme.type" in codes
    path.write_text(_nested_member(MAX_DEPTH + 1))
    assert [c for c, _ in _scheme_problems(path)] == ["rectify.scheme.too_deep"]


def test_deep_objects_on_several_lines(tmp_path: Path) -> None:
    """Nested objects, one per line: the place is the line of the 513th opening brace."""
    path = tmp_path / "deep.json"
    n = 100_000
    path.write_text('{"a":\n' * n + "1" + "}" * n)
    assert _scheme_problems(path) == [("rectify.scheme.too_deep", f"{path}:{MAX_DEPTH + 1}:1")]


def test_brackets_inside_strings_do_not_count(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"name": "' + "[{" * 10_000 + '\\"[", "id": ' + "[" * 600 + "]" * 600 + "}")
    # Level 1 is the root; the 513th bracket is the 512th '[' of the id's value.
    col = len('{"name": "' + "[{" * 10_000 + '\\"[", "id": ') + (MAX_DEPTH - 1) + 1
    assert _scheme_problems(path) == [("rectify.scheme.too_deep", f"{path}:1:{col}")]


def test_deep_ledger_is_refused(tmp_path: Path) -> None:
    """Also inside the streamed log: the element reader never sees the deep event."""
    path = tmp_path / "ledger.json"
    n = 10**6
    path.write_text('{"log": [{"x": ' + "[" * n + "]" * n + "}]}")
    with pytest.raises(rectify.LedgerError) as info:
        rectify.Ledger.load(path)
    col = len('{"log": [{"x": ') + (MAX_DEPTH - 3) + 1  # root, log, event: 3 levels already
    assert _problems(info.value) == [("rectify.ledger.too_deep", f"{path}:1:{col}")]


def test_deep_meeting_rules_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"types": ' + "[" * 1000 + "]" * 1000 + "}")
    with pytest.raises(rectify.ComplianceError) as info:
        rectify.compliance.check_rules(str(path))
    col = len('{"types": ') + (MAX_DEPTH - 1) + 1
    assert _problems(info.value) == [("rectify.compliance.rules.too_deep", f"{path}:1:{col}")]


# ---------------------------------------------------------------------------------------------
# Huge and tiny numbers

BEYOND_DOUBLE = ["1e400", "-1e400", "9" * 400, "-" + "9" * 309, "1.8e308"]


@pytest.mark.parametrize("number", BEYOND_DOUBLE)
def test_json_number_beyond_a_double(number: str) -> None:
    text = '{"format": "rectify.scheme/1", "id": "x", "total": ' + number + ', "indicators": []}'
    assert [c for c, _ in _scheme_problems(text)] == ["rectify.scheme.bad_number"]
    with pytest.raises(rectify.LedgerError) as info:
        rectify.Ledger.from_json('{"id": ' + number + "}", source="l.json")
    assert [c for c, _ in _problems(info.value)] == ["rectify.ledger.bad_number"]


def _units_csv(tmp_path: Path, cell: str) -> Path:
    path = tmp_path / "u.csv"
    path.write_text(f"unit,x,n\nu1,{cell},0\nu2,1,0\n")
    return path


@pytest.mark.parametrize("cell", BEYOND_DOUBLE + ["1e-400", "0." + "0" * 400 + "1"])
def test_csv_cell_beyond_a_double(tmp_path: Path, cell: str) -> None:
    """Overflow and underflow to zero are both refused: the reader never rounds a cell to
    infinity or silently to 0."""
    path = _units_csv(tmp_path, cell)
    with pytest.raises(rectify.DataError) as info:
        rectify.read_units_csv(path)
    (p,) = info.value.problems
    assert (p.code, p.source) == ("rectify.data.bad_cell", f"{path}:2:2")
    assert "out of the range of a double" in p.message


@pytest.mark.parametrize("cell", ["-0", "5e-324", "4.9406564584124654e-324", "2.2250738585072014e-308",
                                  "1.7976931348623157e308", "-1.7976931348623157e308", "1" + "0" * 300])
def test_csv_extreme_finite_cells_are_read_exactly(tmp_path: Path, cell: str) -> None:
    frame = rectify.read_units_csv(_units_csv(tmp_path, cell))
    got = float(frame.loc["u1", "x"])
    want = float(cell)  # Python's correctly rounded reading, independent of the C++ reader
    assert got == want and math.copysign(1.0, got) == math.copysign(1.0, want)


@pytest.mark.parametrize("cell", ["-0", "5e-324", "1.7976931348623157e308"])
def test_extreme_cells_score_finite(tmp_path: Path, cell: str) -> None:
    """Linear rule on x in [0, 10]: a value at or beyond either end scores 0 or all the points."""
    scheme = rectify.Scheme.from_json(MINI)
    frame = scheme.score(_units_csv(tmp_path, cell)).to_frame()
    score = float(frame.loc["u1", "score"])
    want = 100.0 if float(cell) >= 10 else 40.0 + 60.0 * max(float(cell), 0.0) / 10
    assert math.isfinite(score) and score == pytest.approx(want, abs=1e-12)


def test_mcda_weights_json_beyond_a_double(tmp_path: Path) -> None:
    cli = os.environ.get("RECTIFY_CLI")
    if not cli:
        pytest.skip("RECTIFY_CLI is not set (the path of the rectify command line)")
    weights = tmp_path / "w.json"
    weights.write_text('{"mqi": 1e400}')
    done = subprocess.run([cli, "mcda", str(EXAMPLES / "mcda" / "field_units.csv"), "--weights", str(weights),
                           "--types", "+,-,-,+,+,-"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "[rectify.mcda.bad_weights]" in done.stderr and "internal error" not in done.stderr


# ---------------------------------------------------------------------------------------------
# Long lines, long cells, many columns: peak memory of a child process


def _peak_rss_mb(code: str) -> float:
    """Runs `code` in a fresh interpreter and returns its peak resident set in MiB (from
    wait4's rusage of that one child, so earlier children do not count)."""
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert os.waitstatus_to_exitcode(status) == 0, err + out
    return usage.ru_maxrss / 1024.0


def _baseline_mb() -> float:
    return _peak_rss_mb("import rectify")


@pytest.mark.unsanitized("peak RSS bounds do not hold under ASan (shadow memory, quarantine)")
def test_100mb_single_line_cell_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """One 100 MB line holding one cell: a clear error that shows the cell cut short."""
    path = tmp_path / "long.csv"
    size = 100 * 2**20
    with open(path, "wb") as f:
        f.write(b"unit,x\nu1,")
        f.write(b"7" * size)
        f.write(b"\n")
    code = (
        "import rectify\n"
        f"try:\n    rectify.read_units_csv({str(path)!r})\n"
        "except rectify.DataError as e:\n"
        "    p = e.problems[0]\n"
        "    assert p.code == 'rectify.data.bad_cell' and p.source.endswith(':2:2'), p\n"
        "    assert len(p.message) < 300, len(p.message)\n"
        "else:\n    raise SystemExit('accepted')\n"
    )
    peak = _peak_rss_mb(code)
    path.unlink()
    assert peak < _baseline_mb() + 3 * size / 2**20 + 200


@pytest.mark.unsanitized("peak RSS bounds do not hold under ASan (shadow memory, quarantine)")
def test_blank_lines_cost_no_memory(tmp_path: Path) -> None:
    """50 MB of blank lines around one record: the reader reserves for the lines that hold
    something, not for every line break (it used to fill a 2 GiB index for this file)."""
    path = tmp_path / "blank.csv"
    size = 50 * 2**20
    with open(path, "wb") as f:
        f.write(b"unit,x\n" + b"\n" * size + b"u1,1\n")
    code = (
        "import rectify\n"
        f"f = rectify.read_units_csv({str(path)!r})\n"
        "assert list(f.index) == ['u1'] and f.iloc[0, 0] == 1\n"
    )
    peak = _peak_rss_mb(code)
    path.unlink()
    assert peak < _baseline_mb() + 2 * size / 2**20 + 100


def test_many_columns(tmp_path: Path) -> None:
    """100,000 columns of one unit are read (a header of 1.3 MB on one line)."""
    n = 100_000
    path = tmp_path / "wide.csv"
    path.write_text("unit," + ",".join(f"c{j}" for j in range(n)) + "\nu1," + ",".join(str(j) for j in range(n)) + "\n")
    frame = rectify.read_units_csv(path)
    assert frame.shape == (1, n) and frame.iloc[0, n - 1] == n - 1 and list(frame.columns[:2]) == ["c0", "c1"]


def _write_units(path: Path, rows: int) -> int:
    """`unit,x,n` with `rows` units, written a million lines at a time; returns the size."""
    with open(path, "w") as f:
        f.write("unit,x,n\n")
        step = 1_000_000
        for start in range(0, rows, step):
            f.write("".join([f"u{i},{i % 11},{i % 3}\n" for i in range(start, min(rows, start + step))]))
    return path.stat().st_size


ROWS = int(os.environ.get("RECTIFY_LIMITS_ROWS", 10_000_000))


# Bytes per unit a unit CSV of short ids and two inputs may cost at the peak (docs/hardening.md,
# "Memory of a unit CSV"): in C++ the id's std::string (32), its line (8), 8 per input twice (32)
# and the duplicate index (8 bytes a slot, at most 4 slots a unit: 32); in Python the id's str
# (about 64 with its allocation), a list slot (8) and the index's object array (8).
UNIT_BYTES = 32 + 8 + 32 + 32 + 64 + 8 + 8


@pytest.mark.unsanitized("peak RSS bounds do not hold under ASan (shadow memory, quarantine)")
def test_ten_million_rows_read_in_bounded_memory(tmp_path: Path) -> None:
    """Peak memory of reading a 10-million-row unit CSV into a DataFrame is proportional to the
    data: the file's bytes once plus UNIT_BYTES a unit, plus 200 MiB of slack, above a bare
    `import rectify`. A bound, not a time (speed is measured in bench/)."""
    path = tmp_path / "big.csv"
    size = _write_units(path, ROWS)
    code = (
        "import rectify\n"
        f"f = rectify.read_units_csv({str(path)!r})\n"
        f"assert f.shape == ({ROWS}, 2), f.shape\n"
        f"assert f.index[-1] == 'u{ROWS - 1}' and f.iloc[-1, 0] == {(ROWS - 1) % 11}\n"
    )
    peak = _peak_rss_mb(code)
    path.unlink()
    assert peak < _baseline_mb() + (size + ROWS * UNIT_BYTES) / 2**20 + 200, (peak, size / 2**20)
