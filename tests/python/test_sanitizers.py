"""The sanitized test run is what it claims to be. Under the asan preset ctest runs the whole
suite with ``rectify._core`` built with -fsanitize=address,undefined and gcc's libasan preloaded
(RECTIFY_SANITIZED=1, tests/CMakeLists.txt); conftest refuses to start if the extension is not
instrumented or the runtimes are not loaded. These tests check the rest of the set-up: that a
memory error halts the process (so the run fails instead of logging and going on), and that
programs which are not ours are started without the runtime while ours keep it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import SANITIZED, foreign_env, sanitizer_problems

sanitized_only = pytest.mark.skipif(not SANITIZED, reason="only in the sanitized run (RECTIFY_SANITIZED=1)")

# A 16-byte block from the C allocator (ASan's, when preloaded) and a 24-byte copy into it
# through libc's memmove, which ASan intercepts: a heap buffer overflow by 8 bytes.
OVERFLOW = textwrap.dedent(
    """
    import ctypes
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    block = libc.malloc(16)
    ctypes.memmove(block, b"x" * 24, 24)
    print("survived")
    """
)


def test_problems_name_what_is_missing(tmp_path: Path) -> None:
    plain = tmp_path / "_core.so"
    plain.write_bytes(b"\x7fELF PyInit__core")
    problems = sanitizer_problems(plain, "7f00-7f01 r-xp 0 08:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6\n")
    assert len(problems) == 4
    assert "-fsanitize=address" in problems[0] and "-fsanitize=undefined" in problems[1]
    assert "libasan" in problems[2] and "libubsan" in problems[3]

    instrumented = tmp_path / "instrumented.so"
    instrumented.write_bytes(b"\x7fELF __asan_report_load8 __ubsan_handle_add_overflow_abort")
    maps = (
        "7f00-7f01 r-xp 0 08:01 1 /usr/lib/x86_64-linux-gnu/libasan.so.8.0.0\n"
        "7f02-7f03 r-xp 0 08:01 2 /usr/lib/x86_64-linux-gnu/libubsan.so.1.0.0\n"
    )
    assert sanitizer_problems(instrumented, maps) == []
    # The runtime loaded but the extension built without the flags: still refused.
    assert len(sanitizer_problems(plain, maps)) == 2


def test_foreign_env_drops_only_the_runtime() -> None:
    env = {"LD_PRELOAD": "/x/libasan.so", "ASAN_OPTIONS": "a=1", "UBSAN_OPTIONS": "b=1", "PYTHONMALLOC": "malloc",
           "PATH": "/bin", "RECTIFY_CLI": "/r"}  # fmt: skip
    assert foreign_env(env) == {"PATH": "/bin", "RECTIFY_CLI": "/r"}
    assert env["LD_PRELOAD"] == "/x/libasan.so"  # a copy: the caller's mapping is left alone


@sanitized_only
def test_a_heap_overflow_halts_the_process() -> None:
    done = subprocess.run([sys.executable, "-c", OVERFLOW], capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "survived" not in done.stdout
    assert "ERROR: AddressSanitizer: heap-buffer-overflow" in done.stderr, done.stderr[-2000:]


@sanitized_only
def test_ours_keep_the_runtime_foreign_programs_do_not() -> None:
    def loads_asan(env: "dict[str, str] | None") -> bool:
        done = subprocess.run(["cat", "/proc/self/maps"], capture_output=True, text=True, env=env, check=True)
        return "/libasan.so" in done.stdout

    assert loads_asan(None)  # inherited: the CLI, dask workers and notebook kernels get it
    assert not loads_asan(foreign_env())
