#!/usr/bin/env python3
"""Runs the rectify command line on every file of tests/data/bad/ and checks that it fails well.

    python3 tests/cli/run_bad_inputs.py RECTIFY_CLI_PATH

For each bad file the CLI must exit with status 1, print nothing on stdout, print valid UTF-8
on stderr, and print the line pinned in tests/data/bad/expected.txt (`FILE<TAB>line`) as its
first stderr line (notes such as "columns the scheme does not use are ignored" may come
before it). Schemes (`scheme_*.json`) are run as `rectify validate FILE` and as
`rectify score FILE examples/data/units.csv`; unit data (`csv_*.csv`) as
`rectify score examples/data/scheme.json FILE`. Commands run inside tests/data/bad/ so that
messages name the files as `FILE`. Prints one line per check and exits 1 if any failed.
Standard library only.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BAD = os.path.normpath(os.path.join(HERE, "..", "data", "bad"))
EXAMPLES = os.path.normpath(os.path.join(HERE, "..", "..", "examples", "data"))
NOT_INPUTS = {"README.md", "expected.txt"}
NOTE = "rectify: note: "


def load_expected():
    expected = {}
    with open(os.path.join(BAD, "expected.txt"), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            name, sep, message = line.partition("\t")
            if not sep or not message:
                sys.exit(f"expected.txt:{number}: want FILE<TAB>message, got {line!r}")
            if name in expected:
                sys.exit(f"expected.txt:{number}: {name} is listed twice")
            expected[name] = message
    return expected


def run(cli, args):
    return subprocess.run([cli] + args, cwd=BAD, capture_output=True, timeout=60)


def check(cli, name, args, want, validate):
    """Returns a list of what is wrong (empty when all is well)."""
    p = run(cli, args)
    wrong = []
    if p.returncode != 1:
        wrong.append(f"exit status {p.returncode}, want 1")
    if p.stdout:
        wrong.append(f"stdout is not empty: {p.stdout[:200]!r}")
    try:
        err = p.stderr.decode("utf-8")
    except UnicodeDecodeError as e:
        return wrong + [f"stderr is not valid UTF-8 ({e}): {p.stderr[:300]!r}"]
    lines = [line for line in err.splitlines() if not line.startswith(NOTE)]
    if not lines:
        return wrong + ["stderr says nothing but notes"]
    if lines[0] != want:
        wrong.append(f"first stderr line\n      got:  {lines[0]}\n      want: {want}")
    if validate:
        # `validate` ends with a count of the problems it listed.
        m = re.fullmatch(r"rectify: (\d+) problems? in (.*)", lines[-1])
        if not m or m.group(2) != name or int(m.group(1)) != len(lines) - 1:
            wrong.append(f"last stderr line is not the problem count: {lines[-1]!r}")
    return wrong


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    cli = os.path.abspath(sys.argv[1])
    expected = load_expected()
    files = sorted(f for f in os.listdir(BAD) if f not in NOT_INPUTS)
    scheme = os.path.relpath(os.path.join(EXAMPLES, "scheme.json"), BAD)
    units = os.path.relpath(os.path.join(EXAMPLES, "units.csv"), BAD)
    failures = 0
    for name in sorted(set(files) | set(expected)):
        if name not in expected:
            print(f"FAIL {name}: no line in expected.txt")
            failures += 1
            continue
        if name not in files:
            print(f"FAIL {name}: listed in expected.txt but there is no such file")
            failures += 1
            continue
        if name.startswith("scheme_") and name.endswith(".json"):
            runs = [(["validate", name], True), (["score", name, units], False)]
        elif name.startswith("csv_") and name.endswith(".csv"):
            runs = [(["score", scheme, name], False)]
        else:
            print(f"FAIL {name}: neither scheme_*.json nor csv_*.csv")
            failures += 1
            continue
        for args, validate in runs:
            wrong = check(cli, name, args, expected[name], validate)
            label = "rectify " + " ".join(args)
            if wrong:
                failures += 1
                print(f"FAIL {label}")
                for w in wrong:
                    print(f"    {w}")
            else:
                print(f"ok   {label}")
    print(f"{failures} failure(s)" if failures else "all bad inputs fail as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
