"""Shared fixtures. The package is found through PYTHONPATH (ctest sets it to the build tree's
``python/`` folder) or an installed wheel."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

try:
    import rectify._core  # noqa: F401
except ImportError as exc:  # pragma: no cover - only when the build is missing
    raise ImportError(
        f"cannot import rectify._core ({exc}). Build the extension (cmake -DRECTIFY_BUILD_PYTHON=ON, "
        "then PYTHONPATH=<build>/python) or `pip install .` before running these tests."
    ) from exc

import rectify

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # pragma: no cover - hypothesis is in the `test` extra
    pass
else:
    # Property tests (test_properties_*.py) must be deterministic in CI: derandomize makes every
    # run draw the same examples (and no example database, which would replay old failures from a
    # local folder), and no deadline because Debug and sanitizer builds are slow.
    settings.register_profile(
        "rectify",
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=100,
        suppress_health_check=[HealthCheck.too_slow],
        print_blob=True,
    )
    settings.load_profile("rectify")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "data"
SCHEME_JSON = EXAMPLES / "scheme.json"
UNITS_CSV = EXAMPLES / "units.csv"
LEDGER_JSON = EXAMPLES / "ledger.json"
AS_OF = "2026-11-30"  # the sample ledger's "today"
# The sample's compliance records and the period the meetings are checked over (scripts/demo.sh).
MEETINGS_CSV = EXAMPLES / "meetings.csv"
BRANCHES_CSV = EXAMPLES / "branches.csv"
SURVEY_CSV = EXAMPLES / "survey.csv"
RISKS_CSV = EXAMPLES / "risks.csv"
DOCUMENTS = EXAMPLES / "documents"
TEMPLATE = EXAMPLES / "documents_template.txt"
PERIOD = ("2026-01", "2026-11")

# A small valid scheme: a linear rule, a deduction-only leaf and two grades.
MINI: Dict[str, Any] = {
    "format": "rectify.scheme/1",
    "id": "mini",
    "name": "小方案",
    "missing": "error",
    "indicators": [
        {"id": "a", "name": "甲", "points": 60, "input": "x", "rule": {"type": "linear", "worst": 0, "best": 10}},
        {"id": "b", "name": "乙", "points": 40, "deductions": [{"input": "n", "per": 5, "cap": 40, "name": "问题"}]},
    ],
    "grades": [{"name": "好", "min": 80}, {"name": "差"}],
}


@pytest.fixture
def mini_dict() -> Dict[str, Any]:
    return json.loads(json.dumps(MINI))


@pytest.fixture
def mini() -> rectify.Scheme:
    return rectify.Scheme.from_json(MINI)


@pytest.fixture(scope="session")
def scheme() -> rectify.Scheme:
    return rectify.Scheme.from_json(SCHEME_JSON)


@pytest.fixture
def units_frame():
    """The sample units read by pandas (a `unit` column, int and float columns, NaN cells),
    with the sample ledger's rect_* inputs as of AS_OF and the compliance and copy checks' inputs
    joined on, as the README does it."""
    import pandas as pd

    kwargs: Dict[str, Any] = {}
    if int(pd.__version__.split(".")[0]) < 3:
        kwargs["float_precision"] = "round_trip"  # pandas 3 parses exactly by default
    units = pd.read_csv(UNITS_CSV, **kwargs)
    computed = [
        rectify.Ledger.load(LEDGER_JSON).inputs(AS_OF),
        rectify.compliance.meetings(str(MEETINGS_CSV), *PERIOD, branches=str(BRANCHES_CSV)).inputs,
        rectify.compliance.surveys(str(SURVEY_CSV)).inputs,
        rectify.compliance.risks(str(RISKS_CSV), AS_OF).inputs,
        rectify.text.similar(DOCUMENTS, template=TEMPLATE).inputs,
    ]
    for inputs in computed:
        units = units.merge(inputs, left_on="unit", right_index=True, how="left")
    return units


@pytest.fixture(scope="session")
def cli_json() -> Dict[str, Any]:
    """`rectify score --format json` on the sample data; skipped unless RECTIFY_CLI is set."""
    cli = os.environ.get("RECTIFY_CLI")
    if not cli:
        pytest.skip("RECTIFY_CLI is not set (the path of the rectify command line)")
    import tempfile

    commands = {
        "rect": ["ledger", "inputs", str(LEDGER_JSON), "--as-of", AS_OF],
        "meetings": ["meetings", str(MEETINGS_CSV), "--from", PERIOD[0], "--to", PERIOD[1],
                     "--branches", str(BRANCHES_CSV), "--inputs"],
        "survey": ["survey", str(SURVEY_CSV), "--inputs"],
        "risks": ["risks", str(RISKS_CSV), "--as-of", AS_OF, "--inputs"],
        "similar": ["similar", str(DOCUMENTS), "--template", str(TEMPLATE), "--inputs"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        data = []
        for name, args in commands.items():
            done = subprocess.run([cli, *args], check=True, capture_output=True)
            data.append(Path(tmp) / f"{name}.csv")
            data[-1].write_bytes(done.stdout)
        out = subprocess.run(
            [cli, "score", str(SCHEME_JSON), str(UNITS_CSV), *map(str, data), "--format", "json"],
            check=True,
            capture_output=True,
        )
    return {"text": out.stdout.decode("utf-8"), "doc": json.loads(out.stdout)}


# -- sanitizers ---------------------------------------------------------------------------------
# Under the asan preset ctest runs this suite with `_core` built with -fsanitize=address,undefined,
# gcc's libasan (and libstdc++) in LD_PRELOAD and RECTIFY_SANITIZED=1 (tests/CMakeLists.txt).

SANITIZED = os.environ.get("RECTIFY_SANITIZED") == "1"
# What the sanitized run adds to the environment, and so what a program that is not ours must not
# inherit.
SANITIZER_VARIABLES = ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS", "PYTHONMALLOC")


def foreign_env(env: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """A copy of ``env`` (default: this process's environment) without the sanitizer runtime,
    for starting a program that is not ours (Chromium). Such a program is not instrumented and
    gains nothing from the runtime, and Chromium under a preloaded libasan hangs at start-up. Our
    own programs (the CLI, Python subprocesses that import ``rectify``) keep it: they need it."""
    base = dict(os.environ if env is None else env)
    for name in SANITIZER_VARIABLES:
        base.pop(name, None)
    return base


def sanitizer_problems(core: Path, maps: str) -> List[str]:
    """Why the run is not really sanitized, given the ``_core`` file and the process's
    /proc/self/maps text (empty list: it is). A misconfigured run must not pass as sanitized:
    without libasan loaded first `_core` would not even import, but a `_core` built without the
    flags would import and run unchecked."""
    data = core.read_bytes()
    problems = []
    if b"__asan_report_load" not in data:
        problems.append(f"{core} is not compiled with -fsanitize=address (no __asan_report_* calls)")
    if b"__ubsan_handle_" not in data:
        problems.append(f"{core} is not compiled with -fsanitize=undefined (no __ubsan_handle_* calls)")
    if "/libasan.so" not in maps:
        problems.append("libasan is not loaded in this process (LD_PRELOAD it)")
    if "/libubsan.so" not in maps:
        problems.append("libubsan is not loaded in this process (link `_core` with -fsanitize=undefined)")
    return problems


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "unsanitized(reason): skipped in the sanitized run, for the reason given: a test of size or "
        "memory, whose code paths the same run covers on smaller inputs",
    )
    if SANITIZED:
        problems = sanitizer_problems(Path(rectify._core.__file__), Path("/proc/self/maps").read_text())
        if problems:
            raise pytest.UsageError("RECTIFY_SANITIZED=1 but " + "; ".join(problems))


def pytest_report_header(config: pytest.Config) -> str:
    if not SANITIZED:
        return "sanitizers: off"
    return f"sanitizers: ASan+UBSan in rectify._core, LD_PRELOAD={os.environ.get('LD_PRELOAD', '')}"


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    """Skips the tests marked ``unsanitized`` in the sanitized run. They are few and each says
    why (docs/hardening.md, "Sanitizers" lists them): peak-memory bounds that ASan's shadow
    memory and quarantine break by design, and million-row runs that would take the run past
    CI's time while adding no code path the smaller tests miss."""
    if not SANITIZED:
        return
    for item in items:
        mark = item.get_closest_marker("unsanitized")
        if mark is not None:
            reason = mark.args[0] if mark.args else "size, not code paths"
            item.add_marker(pytest.mark.skip(reason=f"sanitized run: {reason}"))
