"""What the command-line test scripts share: running the CLI, one line per check, display width.
Standard library only; the scripts import it from their own folder."""
import os
import subprocess
import unicodedata

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

failures = []  # labels of the checks that failed, shared by every script's expect()


def run(cli, *args, cwd=ROOT):
    """(exit status, stdout, stderr) of `cli args...`, decoded as UTF-8."""
    p = subprocess.run([cli] + list(args), cwd=cwd, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def expect(label, condition, detail=""):
    if condition:
        print(f"ok   {label}")
    else:
        failures.append(label)
        print(f"FAIL {label}" + (f"\n    {detail}" if detail else ""))


def width(s):
    """Display width in a terminal: East Asian wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
