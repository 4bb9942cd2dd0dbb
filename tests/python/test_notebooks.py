"""The example notebooks (examples/notebooks/) run from top to bottom without an error, draw
their figures without a missing glyph, and are committed clean (no outputs, no execution counts).

Each notebook is executed headless with nbclient in a fresh ``python3`` kernel (ipykernel), with
examples/notebooks/ as the working directory, as an analyst would run it. The kernel inherits
PYTHONPATH, so it imports the same ``rectify`` as these tests. Code cells tagged ``figure`` must
show a PNG image.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "examples" / "notebooks"
NAMES = ["evaluation.ipynb", "rectification.ipynb"]
CELL_TIMEOUT = 300  # seconds per cell


def _read(name: str) -> Dict[str, Any]:
    with open(NOTEBOOKS / name, encoding="utf-8") as f:
        doc: Dict[str, Any] = json.load(f)
    return doc


def _code_cells(doc: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [c for c in doc["cells"] if c["cell_type"] == "code"]


def _source(cell: Dict[str, Any]) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else str(src)


@pytest.mark.parametrize("name", NAMES)
def test_committed_clean(name: str) -> None:
    """No outputs and no execution counts in git, and the kernel is the plain python3 one."""
    doc = _read(name)
    code = _code_cells(doc)
    assert code, f"{name} has no code cells"
    dirty = [k for k, c in enumerate(doc["cells"]) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{name}: cells {dirty} have outputs or an execution count; clear them before committing"
    assert doc["metadata"]["kernelspec"]["name"] == "python3"
    assert "%matplotlib inline" in _source(code[0]), f"{name}: the first code cell should set %matplotlib inline"
    tagged = [c for c in code if "figure" in c.get("metadata", {}).get("tags", [])]
    assert tagged, f"{name}: no code cell is tagged 'figure'"


@pytest.fixture(scope="module")
def executed() -> Dict[str, Any]:
    """Executes every notebook once (in a fresh kernel each) and returns them by name."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    out: Dict[str, Any] = {}
    for name in NAMES:
        book = nbformat.read(str(NOTEBOOKS / name), as_version=4)
        client = nbclient.NotebookClient(
            book,
            timeout=CELL_TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        )
        try:
            client.execute()
        except nbclient.exceptions.CellExecutionError as e:  # names the cell and the traceback
            pytest.fail(f"{name} failed:\n{e}")
        out[name] = book
    return out


@pytest.mark.parametrize("name", NAMES)
def test_runs_without_error(executed: Dict[str, Any], name: str) -> None:
    book = executed[name]
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{name}: {[(e.ename, e.evalue) for e in errors]}"
    counts = [c.execution_count for c in book.cells if c.cell_type == "code"]
    assert all(isinstance(n, int) for n in counts), f"{name}: not every code cell ran: {counts}"


@pytest.mark.parametrize("name", NAMES)
def test_figures_drawn(executed: Dict[str, Any], name: str) -> None:
    """Every cell tagged 'figure' shows a PNG, and the PNG is a real image (not a few bytes)."""
    import base64

    book = executed[name]
    for k, cell in enumerate(book.cells):
        if cell.cell_type != "code" or "figure" not in cell.metadata.get("tags", []):
            continue
        pngs = [o.data["image/png"] for o in cell.outputs if "data" in o and "image/png" in o.data]
        assert len(pngs) == 1, f"{name}: figure cell {k} ({cell.source.splitlines()[-1]!r}) showed {len(pngs)} images"
        raw = base64.b64decode(pngs[0])
        assert raw[:8] == b"\x89PNG\r\n\x1a\n" and len(raw) > 10_000, f"{name}: cell {k} gave no real image"


@pytest.mark.parametrize("name", NAMES)
def test_no_missing_glyphs_or_warnings(executed: Dict[str, Any], name: str) -> None:
    """matplotlib warns 'Glyph ... missing from font(s)' on stderr when a Chinese character has no
    font; any warning at all in the outputs is a defect of the notebook too."""
    book = executed[name]
    stderr = "".join(
        o.text for c in book.cells if c.cell_type == "code" for o in c.outputs
        if o.output_type == "stream" and o.name == "stderr"
    )
    assert "missing from font" not in stderr, f"{name}: missing glyphs:\n{stderr}"
    assert "Warning" not in stderr, f"{name}: warnings in the outputs:\n{stderr}"
