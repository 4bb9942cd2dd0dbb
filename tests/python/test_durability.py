"""Ledger durability and evidence paths (issue 8, part 6; docs/ledger.md §3, docs/hardening.md).

- A write stopped by a file-size limit (``RLIMIT_FSIZE``, which fails ``write`` with EFBIG part
  way as a full disk fails it with ENOSPC) or by a folder the writer may not write in leaves the
  old ledger byte for byte, leaves no temporary file, and says why: ``rectify.io.write`` naming
  the file, the system's reason and a hint. Each case runs in a child process (the limit and the
  dropped privileges must not touch the test process): Python's ``Ledger.save`` and the command
  line's ``rectify ledger act``. CI runs as root, for whom a read-only folder is no obstacle, so
  the child gives up root (uid/gid 65534) first.
- Evidence is stored by its path relative to the ledger's folder; a file outside (however it is
  reached: an absolute path, ``..``, a symlink) is refused with
  ``rectify.ledger.evidence_outside``, and the reader refuses stored names that would lead out.
- Nothing in the library, the bindings or the command line runs a shell.

Expected hashes come from hashlib; expected names are worked out from the folder layout.
"""

from __future__ import annotations

import ast
import atexit
import functools
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import rectify
from conftest import LEDGER_JSON, ROOT

SMALL = ROOT / "tests" / "data" / "ledger" / "small.json"
NOBODY = 65534
LIMIT = 1024  # bytes: far below a ledger's size (small.json with one event is over 2 KB)
EFBIG_HINT = "cannot write the file: File too large (the disk is full or a file-size limit was reached)"


def at(day: str, time: str = "09:00:00") -> str:
    return f"2026-{day}T{time}+08:00"


@pytest.fixture
def folder() -> Iterator[Path]:
    """A fresh folder directly in the system's temporary folder: pytest's ``tmp_path`` lies in a
    0700 folder of root's, which the unprivileged child could not even enter."""
    d = Path(tempfile.mkdtemp(prefix="rectify-durability-"))
    d.chmod(0o755)
    try:
        yield d
    finally:
        d.chmod(0o755)
        shutil.rmtree(d)


@pytest.fixture
def ledger_path(folder: Path) -> Path:
    """small.json with one event, readable by everyone."""
    p = folder / "ledger.json"
    shutil.copyfile(SMALL, p)
    ledger = rectify.Ledger.load(p)
    ledger.act("P1.M1", "start", by="王干事", at=at("04-01"))
    ledger.save()
    p.chmod(0o644)
    assert p.stat().st_size > 2 * LIMIT
    return p


def child_options(*, fsize: Optional[int] = None, unprivileged: bool = False) -> Dict[str, Any]:
    """subprocess.run options for a child with a file-size limit and/or without root."""
    options: Dict[str, Any] = {"capture_output": True, "timeout": 120}
    if fsize is not None:
        limit = fsize

        def set_limit() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        options["preexec_fn"] = set_limit
    if unprivileged and os.geteuid() == 0:
        options.update(user=NOBODY, group=NOBODY, extra_groups=[])
    return options


# The Python side, in a fresh interpreter: load, act in memory, save; prints the outcome as JSON.
PYTHON_CHILD = r"""
import json, os, sys
import rectify
path, target, drop = sys.argv[1], sys.argv[2], sys.argv[3] == "drop"
if drop:  # after the imports: the interpreter and the venv may live in root's 0700 home
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
try:
    ledger = rectify.Ledger.load(path)
    ledger.act("P1.M2", "start", by="钱干事", at="2026-04-02T09:00:00+08:00")
    ledger.save(None if target == "-" else target)
except rectify.Error as e:
    out = {"type": type(e).__name__, "code": e.code, "message": str(e)}
else:
    out = {"type": None}
print(json.dumps(out, ensure_ascii=False))
"""


def python_save(path: Path, target: str, *, unprivileged: bool = False, **options: Any) -> Dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    drop = "drop" if unprivileged and os.geteuid() == 0 else "keep"
    done = subprocess.run(
        [sys.executable, "-c", PYTHON_CHILD, str(path), target, drop], env=env, **child_options(**options)
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    result: Dict[str, Any] = json.loads(done.stdout.decode("utf-8"))
    return result


@functools.lru_cache(maxsize=None)
def reachable_copy(program: str) -> str:
    """A copy of ``program`` that the unprivileged user can run: the build tree may lie in
    root's 0700 home (a CI checkout), which that user cannot even enter."""
    d = Path(tempfile.mkdtemp(prefix="rectify-cli-"))
    d.chmod(0o755)
    atexit.register(shutil.rmtree, d, True)
    copy = d / Path(program).name
    shutil.copy2(program, copy)
    copy.chmod(0o755)
    return str(copy)


def cli_or_skip() -> str:
    cli = os.environ.get("RECTIFY_CLI")
    if not cli:
        pytest.skip("RECTIFY_CLI is not set (the path of the rectify command line)")
    return cli


def cli_act(
    path: Path,
    *extra: str,
    measure: str = "P1.M2",
    action: str = "start",
    by: str = "钱干事",
    fsize: Optional[int] = None,
    unprivileged: bool = False,
) -> "subprocess.CompletedProcess[bytes]":
    """`rectify ledger act PATH MEASURE ACTION --by BY --at 2026-04-02T09:00:00+08:00 EXTRA...`."""
    cli = cli_or_skip()
    if unprivileged and os.geteuid() == 0:
        cli = reachable_copy(cli)
    return subprocess.run(
        [cli, "ledger", "act", str(path), measure, action, "--by", by, "--at", at("04-02"), *extra],
        **child_options(fsize=fsize, unprivileged=unprivileged),
    )


def names(folder: Path) -> List[str]:
    return sorted(os.listdir(folder))


# -- write failures ------------------------------------------------------------------------


def test_python_save_past_a_file_size_limit_keeps_the_old_file(ledger_path: Path) -> None:
    before = ledger_path.read_bytes()
    out = python_save(ledger_path, "-", fsize=LIMIT)
    assert out["type"] == "DataError" and out["code"] == "rectify.io.write"
    assert out["message"] == f"{ledger_path}: [rectify.io.write] {EFBIG_HINT}"
    # a save to a new file creates it (to lock it) and removes it again
    out = python_save(ledger_path, str(ledger_path.parent / "copy.json"), fsize=LIMIT)
    assert out["message"] == f"{ledger_path.parent / 'copy.json'}: [rectify.io.write] {EFBIG_HINT}"
    assert ledger_path.read_bytes() == before
    assert names(ledger_path.parent) == ["ledger.json"]
    # the same save without the limit goes through: the limit was the only obstacle
    assert python_save(ledger_path, "-") == {"type": None}
    assert len(rectify.Ledger.load(ledger_path)) == 2


def test_python_save_in_a_read_only_folder_keeps_the_old_file(ledger_path: Path) -> None:
    folder = ledger_path.parent
    before = ledger_path.read_bytes()
    folder.chmod(0o555)
    denied = f"Permission denied (no permission to write in {folder})"
    out = python_save(ledger_path, "-", unprivileged=True)
    assert out["type"] == "DataError" and out["code"] == "rectify.io.write"
    assert out["message"] == f"{ledger_path}: [rectify.io.write] cannot create a temporary file in {folder}: {denied}"
    out = python_save(ledger_path, str(folder / "copy.json"), unprivileged=True)
    assert out["message"] == f"{folder / 'copy.json'}: [rectify.io.write] cannot create the file: {denied}"
    assert ledger_path.read_bytes() == before
    assert names(folder) == ["ledger.json"]


def test_cli_act_past_a_file_size_limit_fails_cleanly(ledger_path: Path) -> None:
    before = ledger_path.read_bytes()
    scan = ledger_path.parent / "scan.pdf"
    scan.write_bytes(b"scan" * 100)
    # a start, and evidence hashed under the lock (P1.M1 is started)
    for done in (
        cli_act(ledger_path, fsize=LIMIT),
        cli_act(ledger_path, "--file", str(scan), measure="P1.M1", action="evidence", by="王干事", fsize=LIMIT),
    ):
        # Without SIG_IGN for SIGXFSZ the kernel would kill the command (returncode -25).
        assert done.returncode == 1, done
        assert done.stdout == b""
        assert done.stderr.decode("utf-8") == f"rectify: {ledger_path}: [rectify.io.write] {EFBIG_HINT}\n"
    assert ledger_path.read_bytes() == before
    assert names(ledger_path.parent) == ["ledger.json", "scan.pdf"]


def test_cli_act_in_a_read_only_folder_fails_cleanly(ledger_path: Path) -> None:
    folder = ledger_path.parent
    before = ledger_path.read_bytes()
    folder.chmod(0o555)
    done = cli_act(ledger_path, unprivileged=True)
    assert done.returncode == 1 and done.stdout == b""
    assert done.stderr.decode("utf-8") == (
        f"rectify: {ledger_path}: [rectify.io.write] cannot create a temporary file in {folder}: "
        f"Permission denied (no permission to write in {folder})\n"
    )
    assert ledger_path.read_bytes() == before
    assert names(folder) == ["ledger.json"]
    folder.chmod(0o755)
    done = cli_act(ledger_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["seq"] == 2


# -- evidence paths ------------------------------------------------------------------------


def test_evidence_is_stored_relative_to_the_ledger_folder(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = ledger_path.parent
    (folder / "scans" / "2026").mkdir(parents=True)
    scan = folder / "scans" / "2026" / "会议记录.pdf"
    scan.write_bytes(b"%PDF-1.4 minutes\n" * 7)
    digest = hashlib.sha256(scan.read_bytes()).hexdigest()
    ledger = rectify.Ledger.load(ledger_path)
    ev = ledger.act("P1.M1", "evidence", by="王干事", at=at("04-02"), file=scan)
    assert ev["evidence"] == {"name": "scans/2026/会议记录.pdf", "sha256": digest, "bytes": 17 * 7}
    # relative to the ledger's folder, not to the working directory
    monkeypatch.chdir(folder / "scans")
    ev = ledger.act("P1.M1", "evidence", by="王干事", at=at("04-03"), file=Path("2026") / ".." / "2026" / scan.name)
    assert ev["evidence"]["name"] == "scans/2026/会议记录.pdf"
    ledger.save()
    back = rectify.Ledger.load(ledger_path)
    assert list(back.events["evidence_name"].dropna()) == ["scans/2026/会议记录.pdf"] * 2
    assert back.verify()


def test_evidence_outside_the_folder_is_refused(ledger_path: Path) -> None:
    folder = ledger_path.parent
    other = Path(tempfile.mkdtemp(prefix="rectify-elsewhere-"))
    try:
        secret = (other / "secret.pdf").resolve()
        secret.write_bytes(b"not for the ledger")
        (folder / "link.pdf").symlink_to(secret)
        (folder / "shortcut").symlink_to(other)
        real_folder = folder.resolve()
        ledger = rectify.Ledger.load(ledger_path)
        for given in (secret, folder / ".." / other.name / "secret.pdf", folder / "link.pdf",
                      folder / "shortcut" / "secret.pdf"):  # fmt: skip
            with pytest.raises(rectify.LedgerError) as info:
                ledger.act("P1.M1", "evidence", by="王干事", at=at("04-02"), file=given)
            assert info.value.code == "rectify.ledger.evidence_outside"
            message = str(info.value)
            shown = f'"{given}"' if Path(given) == secret else f'"{given}" ("{secret}")'
            assert message == (
                f"{ledger_path}: [rectify.ledger.evidence_outside] the evidence file {shown} is outside the "
                f'ledger\'s folder "{real_folder}": evidence is stored by its path relative to that folder, so '
                "copy the file into it (or a folder under it) and add the copy"
            )
        assert len(ledger) == 1
        # the command line refuses it too, and leaves the file as it was
        before = ledger_path.read_bytes()
        done = cli_act(
            ledger_path, "--file", str(folder / "link.pdf"), measure="P1.M1", action="evidence", by="王干事"
        )
        assert done.returncode == 1 and done.stdout == b""
        assert "[rectify.ledger.evidence_outside]" in done.stderr.decode("utf-8")
        assert ledger_path.read_bytes() == before
        # the fix the message gives works
        shutil.copyfile(secret, folder / "secret.pdf")
        done = cli_act(
            ledger_path, "--file", str(folder / "secret.pdf"), measure="P1.M1", action="evidence", by="王干事"
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["evidence"] == {
            "name": "secret.pdf",
            "sha256": hashlib.sha256(b"not for the ledger").hexdigest(),
            "bytes": len(b"not for the ledger"),
        }
    finally:
        shutil.rmtree(other)


def test_evidence_needs_a_ledger_file(tmp_path: Path) -> None:
    proof = tmp_path / "plan.pdf"
    proof.write_bytes(b"plan")
    free = rectify.Ledger.from_json(SMALL.read_text(encoding="utf-8"))
    free.act("P1.M1", "start", by="王干事", at=at("04-01"))
    with pytest.raises(ValueError, match="not loaded from a file") as info:
        free.act("P1.M1", "evidence", by="王干事", at=at("04-02"), file=proof)
    assert not isinstance(info.value, rectify.Error)
    assert len(free) == 1
    # once saved, the ledger has a folder
    free.save(tmp_path / "ledger.json")
    assert free.act("P1.M1", "evidence", by="王干事", at=at("04-02"), file=proof)["evidence"]["name"] == "plan.pdf"


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("/etc/passwd", "it is an absolute path (store it relative to the ledger's folder)"),
        ("../secret.pdf", "it has a '..' component, which leads out of the ledger's folder"),
        ("scans/../../secret.pdf", "it has a '..' component, which leads out of the ledger's folder"),
        ("..\\secret.pdf", "it contains a backslash (folders are separated by '/')"),
        ("scans//a.pdf", "it has an empty component (a doubled or trailing '/')"),
        ("scans/", "it has an empty component (a doubled or trailing '/')"),
        ("a\x00.pdf", "it contains a NUL character"),
    ],
)
def test_reader_refuses_names_that_leave_the_folder(ledger_path: Path, name: str, why: str) -> None:
    doc = json.loads(SMALL.read_text(encoding="utf-8"))
    doc["log"] = [
        {"seq": 1, "at": at("04-01"), "by": "王干事", "measure": "P1.M1", "action": "evidence",
         "evidence": {"name": name, "sha256": hashlib.sha256(b"x").hexdigest(), "bytes": 1},
         "prev": "0" * 64, "hash": "0" * 64},
    ]  # fmt: skip
    with pytest.raises(rectify.LedgerError) as info:
        rectify.Ledger.from_json(doc, source="l.json")
    shown = json.dumps(name, ensure_ascii=False).replace("\\u0000", "\\x00")
    assert [(p.code, p.path) for p in info.value.problems] == [("rectify.ledger.bad_value", "/log/0/evidence/name")]
    assert str(info.value) == (
        f"l.json: [rectify.ledger.bad_value] /log/0/evidence/name: {shown} must be a path relative to the "
        f"ledger's folder: {why}"
    )


def test_old_ledgers_with_base_names_stay_valid() -> None:
    ledger = rectify.Ledger.load(LEDGER_JSON)
    names_ = ledger.events["evidence_name"].dropna()
    assert len(names_) > 0 and not any("/" in n for n in names_)
    assert ledger.verify()


# -- nothing runs a shell --------------------------------------------------------------------

CPP_FORBIDDEN = [
    (re.compile(r"(?<![\w.])(?:std::|::)?(?:system|popen|_popen|wordexp)\s*\("), "runs a shell"),
    (re.compile(r'"/bin/(?:ba|da)?sh"|"sh"\s*,\s*"-c"'), "names a shell"),
]
CPP_EXEC = re.compile(r"(?<![\w.])(?:::)?(exec[lv]p?e?|execvpe|fexecve|posix_spawnp?)\s*\(")
PY_SHELL_CALLS = {
    ("os", "system"), ("os", "popen"), ("subprocess", "getoutput"), ("subprocess", "getstatusoutput"),
    ("pty", "spawn"),
}  # fmt: skip


def strip_cpp_comments(text: str) -> str:
    """The code without // and /* */ comments (which may well mention system() in prose)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def cpp_findings(text: str) -> List[str]:
    code = strip_cpp_comments(text)
    found = [f"{why}: {m.group(0)}" for pattern, why in CPP_FORBIDDEN for m in pattern.finditer(code)]
    return found


def cpp_execs(text: str) -> List[str]:
    return [m.group(1) for m in CPP_EXEC.finditer(strip_cpp_comments(text))]


def python_findings(source: str, filename: str = "<test>") -> List[str]:
    """Calls that run a shell: os.system/os.popen and friends, os.exec*/os.spawn*, and any call
    with ``shell=`` other than a literal False."""
    found: List[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            pair = (f.value.id, f.attr)
            if pair in PY_SHELL_CALLS or (f.value.id == "os" and re.match(r"(exec|spawn)", f.attr)):
                found.append(f"{filename}:{node.lineno}: {f.value.id}.{f.attr}")
        for kw in node.keywords:
            if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                found.append(f"{filename}:{node.lineno}: shell=")
    return found


def shipped_sources() -> Tuple[List[Path], List[Path]]:
    cpp = [p for d in ("src", "include", "python/src") for p in sorted((ROOT / d).rglob("*"))
           if p.suffix in {".cpp", ".hpp", ".h", ".cc"}]  # fmt: skip
    py = sorted((ROOT / "python" / "rectify").rglob("*.py"))
    return cpp, py


def test_the_shell_detectors_catch_what_they_should() -> None:
    """The scan below is only as good as its detectors: they must fire on each way in."""
    for snippet in ('std::system("ls");', "::popen(cmd, \"r\");", "int r = system(x);",
                    'execl("/bin/sh", "sh", "-c", cmd, nullptr);', "wordexp(s, &w, 0);"):  # fmt: skip
        assert cpp_findings(snippet), snippet
    assert cpp_findings("// std::system(x) in a comment\nint a = my_system(1); obj.system(2);") == []
    assert cpp_execs("::execvp(f, argv); execve(p, a, e); posix_spawnp(&pid, f, 0, 0, a, e);") == [
        "execvp", "execve", "posix_spawnp",
    ]  # fmt: skip
    for snippet in ("import os\nos.system('ls')", "import subprocess\nsubprocess.run(c, shell=True)",
                    "subprocess.Popen(c, shell=flag)", "os.execvp('x', ['x'])", "os.spawnl(0, 'x')",
                    "subprocess.getoutput('ls')"):  # fmt: skip
        assert python_findings(snippet), snippet
    assert python_findings("subprocess.run(['ls'], shell=False)\nsubprocess.run(['ls'])") == []


def test_nothing_runs_a_shell() -> None:
    cpp, py = shipped_sources()
    assert len(cpp) > 50 and len(py) > 10  # the scan really sees the sources
    findings: List[str] = []
    execs: Dict[str, List[str]] = {}
    for path in cpp:
        text = path.read_text(encoding="utf-8")
        findings += [f"{path.relative_to(ROOT)}: {f}" for f in cpp_findings(text)]
        if found := cpp_execs(text):
            execs[str(path.relative_to(ROOT))] = found
    for path in py:
        findings += python_findings(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert findings == []
    # The one program rectify starts is Python for `rectify report`, by execvp with an argv
    # (no shell, so arguments reach it byte for byte).
    assert execs == {"src/cli/report.cpp": ["execvp"]}
