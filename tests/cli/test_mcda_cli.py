#!/usr/bin/env python3
"""The `rectify mcda` and `rectify ahp` commands (docs/cli.md) on the sample bureau's decision
matrix and on the bad inputs of tests/data/mcda/.

    python3 tests/cli/test_mcda_cli.py RECTIFY_CLI_PATH

Every method runs in every format; TOPSIS, VIKOR, entropy weights and AHP are recomputed here
with plain Python floats from the formulas of ../shared/docs/mcda.md (TOPSIS with vector
normalisation in its textbook form, cost ideal = column minimum) and compared with the output.
Bad inputs must exit 1 with `rectify: FILE:LINE:COLUMN: [code] ...` on stderr and nothing on
stdout; bad usage exits 2. Prints one line per check and exits 1 if any failed. Standard
library only.
"""
import csv
import io
import json
import math
import os
import sys
import tempfile

from clitest import ROOT, expect, failures, run, width

MATRIX = "examples/data/mcda/field_units.csv"
AHP = "examples/data/mcda/criteria_ahp.csv"
WEIGHTS = "examples/data/mcda/weights.csv"
TYPES = "+,-,-,+,+,-"
DATA = "tests/data/mcda"
METHODS = ["wsm", "wpm", "topsis", "vikor", "copras", "promethee2", "gra"]


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def read_matrix(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0][1:], [r[0] for r in rows[1:]], [[float(v) for v in r[1:]] for r in rows[1:]]


def read_weights(path, criteria):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        given = {r["criterion"]: float(r["weight"]) for r in csv.DictReader(f)}
    total = sum(given.values())
    return [given[c] / total for c in criteria]


def entropy_weights(x):
    m, n = len(x), len(x[0])
    d = []
    for j in range(n):
        col = [x[i][j] for i in range(m)]
        s = sum(col)
        e = -sum((v / s) * math.log(v / s) for v in col if v > 0) / math.log(m)
        d.append(1 - e)
    return [v / sum(d) for v in d]


def topsis(x, w, types, norm):
    """C, D+, D- (Hwang & Yoon 1981). minmax: cost columns inverted by the normalisation;
    vector: the textbook form, with the ideal of a cost column at its minimum."""
    m, n = len(x), len(x[0])
    v = [[0.0] * n for _ in range(m)]
    ideal, anti = [], []
    for j in range(n):
        col = [x[i][j] for i in range(m)]
        if norm == "minmax":
            lo, hi = min(col), max(col)
            for i in range(m):
                r = 1.0 if hi == lo else ((col[i] - lo) if types[j] > 0 else (hi - col[i])) / (hi - lo)
                v[i][j] = w[j] * r
            ideal.append(max(v[i][j] for i in range(m)))
            anti.append(min(v[i][j] for i in range(m)))
        else:
            norm2 = math.sqrt(sum(c * c for c in col))
            for i in range(m):
                v[i][j] = w[j] * col[i] / norm2
            best, worst = (max, min) if types[j] > 0 else (min, max)
            ideal.append(best(v[i][j] for i in range(m)))
            anti.append(worst(v[i][j] for i in range(m)))
    dp = [math.sqrt(sum((v[i][j] - ideal[j]) ** 2 for j in range(n))) for i in range(m)]
    dm = [math.sqrt(sum((v[i][j] - anti[j]) ** 2 for j in range(n))) for i in range(m)]
    return [dm[i] / (dp[i] + dm[i]) for i in range(m)], dp, dm


def vikor(x, w, types, v=0.5):
    m, n = len(x), len(x[0])
    s, r = [0.0] * m, [0.0] * m
    for j in range(n):
        col = [x[i][j] for i in range(m)]
        best, worst = (max(col), min(col)) if types[j] > 0 else (min(col), max(col))
        for i in range(m):
            t = w[j] * (best - col[i]) / (best - worst)
            s[i] += t
            r[i] = max(r[i], t)
    q = [v * (s[i] - min(s)) / (max(s) - min(s)) + (1 - v) * (r[i] - min(r)) / (max(r) - min(r)) for i in range(m)]
    return s, r, q


def competition_ranks(scores, higher=True):
    key = [round_sig(s) for s in scores]
    return [1 + sum(1 for o in key if (o > k if higher else o < k)) for k in key]


def round_sig(v):
    return float(f"{v:.12g}")


def usage(cli, label, *args, says=None):
    code, out, err = run(cli, *args)
    expect(f"{label}: exit 2", code == 2, f"exit {code}; stderr: {err.strip()[:300]}")
    expect(f"{label}: nothing on stdout", out == "", repr(out[:200]))
    if says is not None:
        expect(f"{label}: says {says!r}", says in err, err.strip())


def invalid(cli, label, args, first_line):
    """Exit 1, nothing on stdout, and stderr's first line exactly `first_line`."""
    code, out, err = run(cli, *args)
    expect(f"{label}: exit 1", code == 1, f"exit {code}; stderr: {err.strip()[:300]}")
    expect(f"{label}: nothing on stdout", out == "", repr(out[:200]))
    got = err.splitlines()[0] if err else ""
    expect(f"{label}: message", got == first_line, f"got  {got}\n    want {first_line}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    cli = os.path.abspath(sys.argv[1])
    criteria, units, x = read_matrix(MATRIX)
    types = [1 if t == "+" else -1 for t in TYPES.split(",")]
    expert = read_weights(WEIGHTS, criteria)

    # Every method, every format, on the example matrix.
    for method in METHODS:
        code, out, err = run(cli, "mcda", MATRIX, "--method", method, "--weights", WEIGHTS, "--types", TYPES,
                             "--format", "json")
        expect(f"{method} json: exit 0, nothing on stderr", code == 0 and err == "", err)
        try:
            doc = json.loads(out)
        except ValueError as e:
            expect(f"{method} json: parses", False, str(e))
            continue
        expect(f"{method} json: method, criteria, types, weights",
               doc["method"] == method and doc["criteria"] == criteria and doc["weights_source"] == "file"
               and doc["types"] == ["benefit" if t > 0 else "cost" for t in types]
               and all(close(a, b) for a, b in zip(doc["weights"], expert)), json.dumps(doc)[:300])
        alts = doc["alternatives"]
        expect(f"{method} json: alternatives in input order", [a["unit"] for a in alts] == units)
        scores = [a["score"] for a in alts]
        expect(f"{method} json: competition ranks agree with scores",
               [a["rank"] for a in alts] == competition_ranks(scores, doc["higher_is_better"]),
               str([(a["rank"], a["score"]) for a in alts]))
        expect(f"{method} json: VIKOR alone has a compromise set", ("compromise" in doc) == (method == "vikor"))

        code, out, err = run(cli, "mcda", MATRIX, "--method", method, "--weights", WEIGHTS, "--types", TYPES,
                             "--format", "csv")
        table = list(csv.reader(io.StringIO(out)))
        expect(f"{method} csv: exit 0, header, a row per unit in input order",
               code == 0 and table[0][:3] == ["unit", "rank", "score"] and [r[0] for r in table[1:]] == units,
               out[:200])
        expect(f"{method} csv: the same numbers as json, to the last digit",
               all(float(r[2]) == a["score"] for r, a in zip(table[1:], alts)))

        code, out, err = run(cli, "mcda", MATRIX, "--method", method, "--weights", WEIGHTS, "--types", TYPES)
        lines = out.splitlines()
        best = min(alts, key=lambda a: a["rank"])["unit"]
        expect(f"{method} table: exit 0, title, header, rank 1 first",
               code == 0 and lines[1].split()[:3] == ["rank", "unit", "score"] and lines[2].split()[:2] == ["1", best],
               out[:300])
        expect(f"{method} table: every criterion's weight underneath",
               all(any(line.split()[:1] == [c] for line in lines) for c in criteria) and "weights from " + WEIGHTS
               in out, out[-400:])

    # Weight sources on every method: entropy, critic, std, equal.
    for method in METHODS:
        for w in ("entropy", "critic", "std", "equal"):
            code, out, err = run(cli, "mcda", MATRIX, "--method", method, "--weights", w, "--types", TYPES,
                                 "--format", "json")
            ok = code == 0 and json.loads(out)["weights_source"] == w and abs(sum(json.loads(out)["weights"]) - 1) < 1e-12
            expect(f"{method} --weights {w}: runs, weights sum to 1", ok, err.strip())

    # TOPSIS against an independent computation, with expert and entropy weights, minmax and vector.
    went = entropy_weights(x)
    for wname, w, wargs in (("expert", expert, WEIGHTS), ("entropy", went, "entropy")):
        for norm in ("minmax", "vector"):
            code, out, err = run(cli, "mcda", MATRIX, "--weights", wargs, "--types", TYPES, "--normalization", norm,
                                 "--format", "json")
            doc = json.loads(out)
            c, dp, dm = topsis(x, w, types, norm)
            alts = doc["alternatives"]
            expect(f"topsis {norm} {wname}: weights", all(close(a, b) for a, b in zip(doc["weights"], w)),
                   f"{doc['weights']} vs {w}")
            expect(f"topsis {norm} {wname}: C, D+, D- match plain Python",
                   all(close(a["score"], c[i]) and close(a["d_plus"], dp[i]) and close(a["d_minus"], dm[i])
                       for i, a in enumerate(alts)),
                   str([(a["score"], c[i]) for i, a in enumerate(alts)][:3]))
            expect(f"topsis {norm} {wname}: ranks", [a["rank"] for a in alts] == competition_ranks(c))

    # VIKOR S, R, Q and the compromise set (acceptable advantage and stability).
    code, out, err = run(cli, "mcda", MATRIX, "--method", "vikor", "--vikor-v", "0.6", "--weights", WEIGHTS,
                         "--types", TYPES, "--format", "json")
    doc = json.loads(out)
    s, r, q = vikor(x, expert, types, 0.6)
    alts = doc["alternatives"]
    expect("vikor v=0.6: S, R, Q match plain Python",
           doc["options"] == {"v": 0.6} and all(
               close(a["S"], s[i]) and close(a["R"], r[i]) and close(a["score"], q[i]) for i, a in enumerate(alts)))
    order = sorted(range(len(q)), key=lambda i: q[i])
    a1, a2, dq = order[0], order[1], 1 / (len(q) - 1)
    stable = s[a1] <= min(s) + 1e-12 or r[a1] <= min(r) + 1e-12
    if q[a2] - q[a1] >= dq - 1e-12:
        want = [a1] if stable else [a1, a2]
    else:
        want = [i for i in order if q[i] - q[a1] < dq - 1e-12]
    expect("vikor: compromise set", doc["compromise"] == [units[i] for i in want]
           and [a["unit"] for a in alts if a["compromise"]] == sorted(doc["compromise"], key=units.index),
           f"{doc['compromise']} vs {[units[i] for i in want]}")

    # Weights: a file in CSV, in JSON and inline give the same result; weights are rescaled.
    outs = []
    for w in (f"{DATA}/weights_abc.csv", f"{DATA}/weights_abc.json", "2,1,1", "0.5,0.25,0.25"):
        code, out, err = run(cli, "mcda", f"{DATA}/matrix_abc.csv", "--weights", w, "--types", "+,-,+",
                             "--format", "csv")
        outs.append(out)
        expect(f"--weights {w}: exit 0", code == 0, err)
    expect("weights: CSV, JSON and inline agree, rescaled to sum 1", len(set(outs)) == 1, str(outs))

    # AHP: eigenvector by power iteration, λmax, CI, CR with Saaty's RI.
    with open(os.path.join(ROOT, AHP), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    names = rows[0][1:]
    a = [[eval_ratio(c) for c in row[1:]] for row in rows[1:]]
    n = len(a)
    w = [1 / n] * n
    for _ in range(2000):
        u = [sum(a[i][j] * w[j] for j in range(n)) for i in range(n)]
        w = [v / sum(u) for v in u]
    lam = sum(sum(a[i][j] * w[j] for j in range(n)) / w[i] for i in range(n)) / n
    ci = (lam - n) / (n - 1)
    cr = ci / 1.24
    code, out, err = run(cli, "ahp", AHP, "--format", "json")
    doc = json.loads(out)
    expect("ahp json: exit 0, nothing on stderr", code == 0 and err == "", err)
    expect("ahp: weights by power iteration", doc["criteria"] == names and all(
        close(p, q_, 1e-9) for p, q_ in zip(doc["weights"], w)), f"{doc['weights']} vs {w}")
    expect("ahp: lambda_max, CI, RI, CR", close(doc["lambda_max"], lam) and close(doc["ci"], ci, 1e-7)
           and doc["ri"] == 1.24 and close(doc["cr"], cr, 1e-7) and doc["consistent"] is True,
           f"{doc} vs {lam} {ci} {cr}")
    code, out, err = run(cli, "ahp", AHP, "--method", "geometric_mean", "--ri", "alonso_lamata2006", "--format",
                         "json")
    doc = json.loads(out)
    gm = [math.prod(row) ** (1 / n) for row in a]
    expect("ahp geometric_mean, alonso_lamata2006", code == 0 and doc["ri"] == 1.2479 and all(
        close(p, g / sum(gm)) for p, g in zip(doc["weights"], gm)), str(doc))
    code, out, err = run(cli, "ahp", AHP)
    expect("ahp table: weights and the consistency line", code == 0 and "λmax = " in out and "CR = " in out
           and all(nm in out for nm in names), out)
    code, out, err = run(cli, "ahp", AHP, "--format", "csv")
    expect("ahp csv: header", code == 0 and out.startswith("criterion,weight,lambda_max,ci,ri,cr\n"), out[:100])
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
        f.write(out)
    try:
        code, out2, err = run(cli, "mcda", MATRIX, "--weights", f.name, "--types", TYPES, "--format", "json")
        expect("ahp --format csv feeds mcda --weights", code == 0 and all(
            close(p, q_) for p, q_ in zip(json.loads(out2)["weights"], w)), err)
    finally:
        os.unlink(f.name)
    code, out, err = run(cli, "ahp", f"{DATA}/ahp_upper.csv", "--format", "json")
    expect("ahp: an empty cell is the reciprocal of its mirror (upper triangle only)",
           code == 0 and all(close(p, q_) for p, q_ in zip(json.loads(out)["weights"], [4 / 7, 2 / 7, 1 / 7]))
           and json.loads(out)["cr"] == 0, out)

    # CR above 0.1: a warning and exit 0; with --max-cr an error.
    bad_ahp = f"{DATA}/ahp_inconsistent.csv"
    code, out, err = run(cli, "ahp", bad_ahp)
    expect("inconsistent: exit 0 with the CR shown, a warning on stderr",
           code == 0 and "CR = 2.1158" in out
           and err == f"rectify: warning: {bad_ahp}: CR = 2.1158 > 0.1: judgements inconsistent "
                      "(revise them; --max-cr makes this an error)\n", err)
    invalid(cli, "inconsistent with --max-cr 0.1", ["ahp", bad_ahp, "--max-cr", "0.1"],
            f"rectify: {bad_ahp}: [rectify.mcda.inconsistent] CR = 2.1158 > 0.1: judgements inconsistent")
    code, out, err = run(cli, "ahp", bad_ahp, "--max-cr", "3")
    expect("inconsistent under a looser --max-cr: exit 0, no warning", code == 0 and err == "", err)

    # Ties.
    # With all the weight on cost (lower is better): u4 (180) first, u1 and u3 (200) tied, u2
    # (250), u5 (300).
    for ties, want in (("competition", [2, 4, 2, 1, 5]), ("dense", [2, 3, 2, 1, 4]),
                       ("average", [2.5, 4, 2.5, 1, 5]), ("ordinal", [2, 4, 3, 1, 5])):
        code, out, err = run(cli, "mcda", f"{DATA}/ties.csv", "--method", "wsm", "--weights", "0,1", "--types",
                             "+,-", "--ties", ties, "--format", "json")
        got = [a["rank"] for a in json.loads(out)["alternatives"]] if code == 0 else err
        expect(f"--ties {ties}", got == want and json.loads(out)["ties"] == ties, f"{got} vs {want}")

    # Chinese names line up in the table: the last column is right-aligned, so the header and
    # every row end at the same display column.
    code, out, err = run(cli, "mcda", f"{DATA}/chinese.csv", "--weights", "equal", "--types", "+,-")
    lines = out.splitlines()[1:5]
    expect("table: Chinese unit names aligned by display width",
           code == 0 and "城关养护段" in out and len({width(line) for line in lines}) == 1, out)

    # Invalid input: exit 1, file:line:column, nothing on stdout.
    mc = f"{DATA}/matrix_abc.csv"
    invalid(cli, "empty cell", ["mcda", f"{DATA}/matrix_empty_cell.csv", "--weights", "equal", "--types", "+,+,+"],
            f"rectify: {DATA}/matrix_empty_cell.csv:3:3: [rectify.mcda.not_finite] column \"b\", unit \"u2\": the cell "
            "is empty (a decision matrix needs a value in every cell)")
    invalid(cli, "NaN cell", ["mcda", f"{DATA}/matrix_nan.csv", "--weights", "equal", "--types", "+,+,+"],
            f"rectify: {DATA}/matrix_nan.csv:4:3: [rectify.data.bad_cell] column \"b\": \"nan\" is not a number, "
            "true/false or empty")
    invalid(cli, "non-numeric cell", ["mcda", f"{DATA}/matrix_text_cell.csv", "--weights", "equal", "--types",
                                      "+,+,+"],
            f"rectify: {DATA}/matrix_text_cell.csv:4:4: [rectify.data.bad_cell] column \"c\": \"x9\" is not a number, "
            "true/false or empty")
    invalid(cli, "unknown criterion in a CSV weight file", ["mcda", mc, "--weights", f"{DATA}/weights_unknown.csv",
                                                             "--types", "+,+,+"],
            f"rectify: {DATA}/weights_unknown.csv:4:1: [rectify.mcda.bad_weights] unknown criterion \"d\"; the "
            f"criteria of {mc} are a, b, c")
    invalid(cli, "unknown criterion in a JSON weight file", ["mcda", mc, "--weights", f"{DATA}/weights_unknown.json",
                                                              "--types", "+,+,+"],
            f"rectify: {DATA}/weights_unknown.json:4:3: [rectify.mcda.bad_weights] /d: unknown criterion \"d\"; the "
            f"criteria of {mc} are a, b, c")
    invalid(cli, "criterion twice in a JSON weight file", ["mcda", mc, "--weights",
                                                            f"{DATA}/weights_duplicate.json", "--types", "+,+,+"],
            f"rectify: {DATA}/weights_duplicate.json:4:3: [rectify.mcda.bad_weights] /a: criterion \"a\" is given "
            f"twice (first at {DATA}/weights_duplicate.json:2:3)")
    invalid(cli, "criterion missing from a weight file", ["mcda", mc, "--weights", f"{DATA}/weights_missing.csv",
                                                           "--types", "+,+,+"],
            f"rectify: {DATA}/weights_missing.csv: [rectify.mcda.bad_weights] no weight for \"c\" (every criterion "
            f"of {mc} needs exactly one; give 0 to leave one out)")
    invalid(cli, "a weight that is not a number", ["mcda", mc, "--weights", f"{DATA}/weights_bad_number.csv",
                                                    "--types", "+,+,+"],
            f"rectify: {DATA}/weights_bad_number.csv:3:2: [rectify.mcda.bad_weights] criterion \"b\": \"abc\" is not "
            "a number")
    invalid(cli, "a JSON weight that is a string", ["mcda", mc, "--weights", f"{DATA}/weights_string.json",
                                                     "--types", "+,+,+"],
            f"rectify: {DATA}/weights_string.json:1:12: [rectify.mcda.bad_weights] /b: criterion \"b\": a weight is "
            "a number, not string")
    invalid(cli, "COPRAS with a zero in a cost column", ["mcda", f"{DATA}/matrix_zero.csv", "--method", "copras",
                                                          "--weights", "equal", "--types", "+,-,+"],
            f"rectify: {DATA}/matrix_zero.csv:3:3: [rectify.mcda.bad_matrix] column \"b\": COPRAS needs values > 0 in "
            "a cost column, not 0")
    invalid(cli, "entropy weights with a negative value", ["mcda", f"{DATA}/matrix_negative.csv", "--weights",
                                                            "entropy", "--types", "+,+,+"],
            f"rectify: {DATA}/matrix_negative.csv:3:3: [rectify.mcda.bad_matrix] column \"b\": entropy weights need "
            "values >= 0, not -5")
    invalid(cli, "AHP not square", ["ahp", f"{DATA}/ahp_not_square.csv"],
            f"rectify: {DATA}/ahp_not_square.csv:3: [rectify.mcda.bad_matrix] a pairwise comparison matrix is square: "
            "the header names 3 criteria but there are 2 rows")
    invalid(cli, "AHP not reciprocal", ["ahp", f"{DATA}/ahp_not_reciprocal.csv"],
            f"rectify: {DATA}/ahp_not_reciprocal.csv:4:3: [rectify.mcda.bad_matrix] \"2\" (\"c\" over \"b\") is not "
            f"the reciprocal of \"2\" at {DATA}/ahp_not_reciprocal.csv:3:4 (a pairwise comparison matrix has "
            "a_ji = 1/a_ij; leave one of the two empty to have it filled in)")
    invalid(cli, "AHP rows out of order", ["ahp", f"{DATA}/ahp_names.csv"],
            f"rectify: {DATA}/ahp_names.csv:3:1: [rectify.mcda.bad_matrix] row 2 is \"c\" but column 3 of the header "
            "is \"b\": the rows list the criteria in the same order as the header")
    invalid(cli, "missing matrix file", ["mcda", "no/such/matrix.csv", "--weights", "equal", "--types", "+"],
            "rectify: no/such/matrix.csv: [rectify.io.open] cannot read the file: No such file or directory")
    invalid(cli, "missing weight file", ["mcda", mc, "--weights", "no/such/weights.csv", "--types", "+,+,+"],
            "rectify: no/such/weights.csv: [rectify.io.open] cannot read the file: No such file or directory")
    invalid(cli, "missing AHP file", ["ahp", "no/such/ahp.csv"],
            "rectify: no/such/ahp.csv: [rectify.io.open] cannot read the file: No such file or directory")

    # Bad usage: exit 2.
    usage(cli, "--types of the wrong length", "mcda", mc, "--weights", "equal", "--types", "+,-",
          says=f"--types has 2 entries but {mc} has 3 criteria (a, b, c)")
    usage(cli, "--types with a bad entry", "mcda", mc, "--weights", "equal", "--types", "+,x,-",
          says="--types entry 2 (criterion \"b\") is \"x\"")
    usage(cli, "no --types", "mcda", mc, "--weights", "equal", says="--types")
    usage(cli, "no --weights", "mcda", mc, "--types", "+,+,+", says="--weights")
    usage(cli, "inline weights of the wrong length", "mcda", mc, "--weights", "1,2", "--types", "+,+,+",
          says="--weights has 2 numbers but")
    usage(cli, "unknown method", "mcda", mc, "--weights", "equal", "--types", "+,+,+", "--method", "electre",
          says="electre")
    usage(cli, "--normalization for vikor", "mcda", mc, "--weights", "equal", "--types", "+,+,+", "--method", "vikor",
          "--normalization", "vector", says="--normalization applies to wsm, wpm and topsis, not to --method vikor")
    usage(cli, "--vikor-v out of range", "mcda", mc, "--weights", "equal", "--types", "+,+,+", "--method", "vikor",
          "--vikor-v", "1.5", says="--vikor-v")
    usage(cli, "--rho for topsis", "mcda", mc, "--weights", "equal", "--types", "+,+,+", "--rho", "0.3",
          says="--rho applies to gra")
    usage(cli, "v_shape without --p", "mcda", mc, "--weights", "equal", "--types", "+,+,+", "--method", "promethee2",
          "--preference", "v_shape", says="criterion \"a\" (v_shape) needs --p")
    usage(cli, "--q with usual", "mcda", mc, "--weights", "equal", "--types", "+,+,+", "--method", "promethee2",
          "--q", "1", says="--q is given but no criterion")
    usage(cli, "--preference list of the wrong length", "mcda", mc, "--weights", "equal", "--types", "+,+,+",
          "--method", "promethee2", "--preference", "usual,linear", says="--preference has 2 entries")
    usage(cli, "--format xml", "mcda", mc, "--weights", "equal", "--types", "+,+,+", "--format", "xml", says="xml")
    usage(cli, "ahp --method bogus", "ahp", AHP, "--method", "bogus", says="bogus")
    usage(cli, "ahp --ri bogus", "ahp", AHP, "--ri", "bogus", says="bogus")

    # PROMETHEE II with per-criterion functions runs and echoes them.
    code, out, err = run(cli, "mcda", mc, "--method", "promethee2", "--weights", "equal", "--types", "+,-,+",
                         "--preference", "linear,usual,gaussian", "--q", "0.5", "--p", "2", "--s", "1,1,3",
                         "--format", "json")
    doc = json.loads(out) if code == 0 else {}
    expect("promethee2 per-criterion functions", code == 0 and doc["options"]["preference"] == [
        {"criterion": "a", "function": "linear", "q": 0.5, "p": 2.0},
        {"criterion": "b", "function": "usual"},
        {"criterion": "c", "function": "gaussian", "s": 3.0}] and abs(sum(a["score"] for a in doc["alternatives"]))
           < 1e-12, err + out[:300])

    for args in (["mcda", "--help"], ["ahp", "--help"]):
        code, out, err = run(cli, *args)
        expect(f"{' '.join(args)}: exit 0, usage on stdout", code == 0 and "Usage" in out)
    code, out, _ = run(cli, "--help")
    expect("--help lists mcda and ahp", "mcda" in out and "ahp" in out, out)

    print(f"{len(failures)} failure(s)" if failures else "all mcda/ahp checks pass")
    return 1 if failures else 0


def eval_ratio(text):
    num, _, den = text.partition("/")
    return float(num) / float(den or 1)


if __name__ == "__main__":
    sys.exit(main())
