#!/usr/bin/env python3
"""Exit statuses and outputs of the rectify command line on the sample bureau.

    python3 tests/cli/test_usage.py RECTIFY_CLI_PATH

0 on success (output on stdout), 1 on invalid input (message on stderr, nothing on stdout),
2 on bad usage (scoring.md §7). Prints one line per check and exits 1 if any failed.
Standard library only.
"""
import csv
import io
import json
import os
import sys
import tempfile

from clitest import ROOT, expect, failures, run

SCHEME = "examples/data/scheme.json"
UNITS = "examples/data/units.csv"
LEDGER = "examples/data/ledger.json"
AS_OF = "2026-11-30"
RECT_INPUTS = ["rect_completion_rate", "rect_on_time_rate", "rect_returned", "rect_overdue"]  # what the scheme reads
# What the scheme reads from the compliance checks (compliance.md §1–3).
COMPLIANCE_INPUTS = ["meetings_met_ratio", "attendance_rate", "records_incomplete", "satisfaction_index",
                     "risk_controlled_ratio", "risk_high_reviewed_ratio", "copied_documents"]


def scheme_inputs():
    """Every `input` the sample scheme names, read from its JSON."""
    found = set()

    def walk(x):
        if isinstance(x, dict):
            if isinstance(x.get("input"), str):
                found.add(x["input"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    with open(os.path.join(ROOT, SCHEME), encoding="utf-8") as f:
        walk(json.load(f))
    return found


def usage(cli, label, *args):
    code, out, err = run(cli, *args)
    expect(f"{label}: exit 2", code == 2, f"exit {code}; stderr: {err.strip()[:300]}")
    expect(f"{label}: nothing on stdout", out == "", repr(out[:200]))
    expect(f"{label}: says why on stderr", err.strip() != "")
    return err


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    cli = os.path.abspath(sys.argv[1])

    # Bad usage: 2.
    usage(cli, "no subcommand")
    usage(cli, "unknown subcommand", "frobnicate")
    usage(cli, "unknown option", "score", SCHEME, UNITS, "--bogus")
    usage(cli, "unknown top-level option", "--bogus")
    usage(cli, "score without arguments", "score")
    usage(cli, "score without DATA", "score", SCHEME)
    usage(cli, "validate without SCHEME", "validate")
    usage(cli, "too many arguments", "validate", SCHEME, UNITS)
    err = usage(cli, "--format xml", "score", SCHEME, UNITS, "--format", "xml")
    expect("--format xml: names the bad value", "xml" in err, err.strip())
    usage(cli, "--format without a value", "score", SCHEME, UNITS, "--format")
    usage(cli, "--lang fr", "score", SCHEME, UNITS, "--lang", "fr")
    usage(cli, "--encoding latin1", "score", SCHEME, UNITS, "--encoding", "latin1")

    # Help and version: 0, on stdout.
    for args in (["--help"], ["-h"], ["score", "--help"], ["validate", "--help"]):
        code, out, err = run(cli, *args)
        label = " ".join(args)
        expect(f"{label}: exit 0", code == 0, f"exit {code}")
        expect(f"{label}: help on stdout", "Usage" in out or "usage" in out, out[:200])
    code, out, _ = run(cli, "--help")
    expect("--help lists the subcommands", "score" in out and "validate" in out, out)
    code, out, _ = run(cli, "--version")
    expect("--version: exit 0 and the version", code == 0 and out.strip() == "rectify 0.1.0", repr(out))

    # Invalid input: 1, nothing on stdout.
    code, out, err = run(cli, "score", SCHEME, "no/such/units.csv")
    expect("missing data file: exit 1", code == 1, f"exit {code}")
    expect("missing data file: nothing on stdout", out == "")
    expect("missing data file: says so",
           err.startswith("rectify: no/such/units.csv: [rectify.io.open] ") and "No such file or directory" in err
           and len(err.splitlines()) == 1, err.strip())
    code, out, err = run(cli, "validate", "no/such/scheme.json")
    expect("missing scheme file: exit 1 and says so",
           code == 1 and out == "" and
           err.strip() == "rectify: no/such/scheme.json: [rectify.io.open] cannot read the file: No such file or directory",
           f"exit {code}: {err.strip()}")

    # validate on the sample scheme: 8 groups, 25 leaves, 4 grades. Inputs: every column of
    # units.csv besides `unit` and `headcount`, four of the ledger's five rect_* inputs and seven
    # of the compliance and copy checks'.
    code, out, err = run(cli, "validate", SCHEME)
    expect("validate sample: exit 0", code == 0, err)
    with open(os.path.join(ROOT, UNITS), encoding="utf-8") as f:
        header = next(csv.reader(f))
    inputs = len(header) - 2 + len(RECT_INPUTS) + len(COMPLIANCE_INPUTS)
    expect("validate sample: summary",
           out == f"{SCHEME}: valid: hw-party-2026, 25 leaves, 8 groups, {inputs} inputs, 4 grades\n", repr(out))
    expect("validate sample: nothing on stderr", err == "", err)

    # The sample's main job: the ledger's inputs joined with units.csv (README, scripts/demo.sh).
    code, rect_csv, err = run(cli, "ledger", "inputs", LEDGER, "--as-of", AS_OF)
    expect("ledger inputs: exit 0", code == 0, err)
    tmp = tempfile.TemporaryDirectory()
    rect = os.path.join(tmp.name, "rect.csv")
    with open(rect, "w", encoding="utf-8") as f:
        f.write(rect_csv)
    # ... and the compliance checks' inputs, as scripts/demo.sh makes them.
    data = [UNITS, rect]
    for name, args in (("meetings", ["meetings", "examples/data/meetings.csv", "--from", "2026-01", "--to", "2026-11",
                                     "--branches", "examples/data/branches.csv"]),
                       ("survey", ["survey", "examples/data/survey.csv"]),
                       ("risks", ["risks", "examples/data/risks.csv", "--as-of", AS_OF]),
                       ("similar", ["similar", "examples/data/documents", "--template",
                                    "examples/data/documents_template.txt"])):
        code, text, err = run(cli, *args, "--inputs")
        expect(f"{name} --inputs: exit 0", code == 0, err)
        data.append(os.path.join(tmp.name, f"{name}.csv"))
        with open(data[-1], "w", encoding="utf-8") as f:
            f.write(text)
    expect("the scheme reads exactly units.csv, the ledger's and the checks' inputs",
           scheme_inputs() == (set(header) - {"unit", "headcount"}) | set(RECT_INPUTS) | set(COMPLIANCE_INPUTS),
           str(scheme_inputs() ^ ((set(header) - {"unit", "headcount"}) | set(RECT_INPUTS) | set(COMPLIANCE_INPUTS))))
    code, out, err = run(cli, "score", SCHEME, UNITS)
    expect("units.csv alone: exit 0 (the computed inputs are missing and reweighted)", code == 0, err)
    code, out, err = run(cli, "score", SCHEME, UNITS, rect, rect)
    expect("a column in two DATA files: exit 1, nothing on stdout, both files named",
           code == 1 and out == "" and err.startswith(
               f"rectify: {rect}: [rectify.data.duplicate_column] column \"rect_total\" is in both {rect} and {rect}"),
           err)
    extra = os.path.join(tmp.name, "extra.csv")
    with open(extra, "w", encoding="utf-8") as f:
        f.write("unit,rect_x\nnew_unit,1\n")
    code, out, err = run(cli, "score", SCHEME, UNITS, extra, "--format", "csv")
    expect("a unit only a later file has is noted and scored from what there is",
           code == 0 and f"rectify: note: units not in {UNITS}, scored from the other files only: new_unit" in err
           and out.splitlines()[-1].startswith("new_unit,"), err + out[-200:])

    # score --format json: valid JSON, units in input order, every field of scoring.md §7.
    code, out, err = run(cli, "score", SCHEME, *data, "--format", "json")
    expect("json: exit 0", code == 0, err)
    expect("json: the unused columns are noted once per file on stderr",
           sorted(err.splitlines()) == sorted([
               f"rectify: note: {UNITS}: columns the scheme does not use are ignored: headcount",
               f"rectify: note: {rect}: columns the scheme does not use are ignored: rect_total",
               f"rectify: note: {data[2]}: columns the scheme does not use are ignored: meetings_required, "
               "meetings_short",
               f"rectify: note: {data[3]}: columns the scheme does not use are ignored: satisfaction_n",
               f"rectify: note: {data[4]}: columns the scheme does not use are ignored: risk_points"]), err)
    try:
        doc = json.loads(out)
    except ValueError as e:
        expect("json: parses", False, str(e))
        return finish()
    expect("json: parses", True)
    with open(os.path.join(ROOT, UNITS), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = [r["unit"] for r in rows]
    expect("json: scheme id", doc.get("scheme") == "hw-party-2026", str(doc.get("scheme")))
    units = doc.get("units", [])
    expect("json: units in input order", [u.get("unit") for u in units] == names)
    keys = {"unit", "score", "base", "bonus", "penalty", "band", "grade", "rank", "vetoes", "missing", "nodes", "lost"}
    expect("json: every unit has every field", all(keys <= set(u) for u in units))
    ranks = sorted(u["rank"] for u in units)
    expect("json: ranks are 1.. competition ranks", ranks[0] == 1 and all(isinstance(r, int) for r in ranks))
    for u in units:
        higher = sum(1 for v in units if v["score"] > u["score"] + 1e-9 * max(1, abs(u["score"])))
        if u["rank"] != 1 + higher:
            expect(f"json: rank of {u['unit']}", False, f"{u['rank']} != {1 + higher}")
            break
    else:
        expect("json: ranks agree with scores", True)
    by = {u["unit"]: u for u in units}
    # wa_baima has serious_violations = 1: vetoed to 不合格 (examples/data/README.md).
    expect("json: the veto caps wa_baima", by["wa_baima"]["vetoes"] == ["veto.serious_violation"]
           and by["wa_baima"]["grade"] == "不合格", json.dumps(by["wa_baima"], ensure_ascii=False)[:300])
    expect("json: nobody else is vetoed", all(u["vetoes"] == [] for u in units if u["unit"] != "wa_baima"))
    # The empty cells of every data file, in the columns the scheme reads: the five of units.csv,
    # and the rates the checks leave empty (no valid meeting, no high-level risk point).
    used = scheme_inputs()
    empty = {}
    for path in data:
        with open(path if os.path.isabs(path) else os.path.join(ROOT, path), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for col, cell in row.items():
                    if col in used and cell == "":
                        empty.setdefault(row["unit"], []).append(col)
    expect("json: units.csv has its five empty cells", all(
        empty.get(u, [])[:1] == [c] for u, c in (("wa_hebei", "expert_rating_publicity"),
                                                 ("wa_liulin", "training_hours_per_person"),
                                                 ("office_finance", "materials_reviewed_rate"),
                                                 ("wa_shuiyuan", "articles_published"))), str(empty))
    expect("json: missing lists the empty cells",
           all(sorted(u["missing"]) == sorted(empty.get(u["unit"], [])) for u in units),
           str({u["unit"]: u["missing"] for u in units if u["missing"]}))
    # Under "reweight" the dropped leaf is absent from nodes; a missing count is not dropped.
    expect("json: a dropped leaf is not in nodes",
           "civilisation.publicity" not in by["wa_hebei"]["nodes"] and "civilisation.publicity" in by["wa_qingshan"]["nodes"])
    expect("json: a missing count drops nothing", len(by["wa_shuiyuan"]["nodes"]) == 33,
           str(len(by["wa_shuiyuan"]["nodes"])))
    # 优秀 has a quota of 20%: at most floor(0.2 × 18) = 3 units (ties aside).
    top = [u for u in units if u["grade"] == "优秀"]
    expect("json: the quota of 优秀 holds", len(top) <= 3, str([u["unit"] for u in top]))
    # score = max(0, base + bonus - penalty), bonus <= 5.
    expect("json: score = base + bonus - penalty",
           all(abs(u["score"] - max(0, u["base"] + u["bonus"] - u["penalty"])) < 1e-9 for u in units))
    expect("json: bonus within its cap", all(0 <= u["bonus"] <= 5 for u in units))
    expect("json: lost items have node, points and why",
           all({"node", "points", "why"} == set(item) for u in units for item in u["lost"]))

    # --format csv: the header of scoring.md §7, one row per unit, in input order.
    code, out, err = run(cli, "score", SCHEME, *data, "--format", "csv")
    expect("csv: exit 0", code == 0, err)
    table = list(csv.reader(io.StringIO(out)))
    expect("csv: header", table and table[0][:8] == ["unit", "score", "base", "bonus", "penalty", "band", "grade", "rank"]
           and "org_life.records" in table[0], str(table[:1]))
    expect("csv: one row per unit, in input order", [r[0] for r in table[1:]] == names)
    expect("csv: the same scores as json",
           all(abs(float(r[1]) - by[r[0]]["score"]) == 0 for r in table[1:]))

    code, out, err = run(cli, "score", SCHEME, *data, "--format", "csv", "--explain")
    expect("csv --explain: exit 0 and the lost-points header", code == 0 and out.startswith("unit,node,points,why\n"),
           out[:100])

    # The table: ranked, one row per unit (after a title and a header).
    code, out, err = run(cli, "score", SCHEME, *data)
    lines = out.splitlines()
    expect("table: exit 0, title, header and 18 rows", code == 0 and len(lines) == 2 + len(names), out[:300])
    expect("table: first row is rank 1", len(lines) > 2 and lines[2].split()[0] == "1", lines[2] if len(lines) > 2 else "")
    code, out_en, _ = run(cli, "score", SCHEME, *data, "--lang", "en", "--explain")
    expect("table --lang en --explain: exit 0, English header", code == 0 and "rank" in out_en.splitlines()[1])
    return finish()


def finish():
    print(f"{len(failures)} failure(s)" if failures else "all usage checks pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
