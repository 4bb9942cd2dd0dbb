"""Property tests of the scorer (issue 8, part 3): Hypothesis generates ``rectify.scheme/1``
schemes with every feature of docs/scheme.md (indicator trees given by points, by weights and by
AHP or cohort-derived weights; every rule type; deductions, bonus items, penalties, vetoes,
grade bands with quotas; the three missing-value policies) and unit tables for them, and checks
the scorer against invariants that hold for any scheme:

- scores against an independent re-implementation of docs/scheme.md "How a unit is scored"
  (written from the document, in plain Python, not from the engine);
- bounds: every node earns within [0, its points], base within [0, total], bonus within
  [0, cap], score = max(0, base + bonus - penalty) <= total + cap;
- monotonicity of every rule in its input, in the direction the rule states;
- a deduction or penalty count never raises a score, a bonus count never lowers it;
- a triggered veto never raises a grade;
- a quota keeps at most floor(q * n) units in its grade, except units tied at the cut;
- ranks are competition ranks of the scores (ties share);
- the lost points of ``explain`` add up to ``total - base + penalty``.

Tables are generated from a seed that Hypothesis draws (numpy, so that cohorts of several
hundred units, past the engine's 256-unit blocks, stay cheap); the values come from pools that
hold every rule's thresholds and ends, so that the edges are hit. The Hypothesis profile
"rectify" (conftest.py) makes every run draw the same examples.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import rectify

Draw = Callable[..., Any]
Json = Dict[str, Any]

TOL = 1e-9  # relative to the scheme's total: the engine and the reference add in other orders

# --------------------------------------------------------------------------------------------
# Schemes


@dataclass
class InputInfo:
    """What an input column feeds, so that valid values can be generated for it."""

    kind: str  # "rule", "count" (deductions and penalties), "bonus", "veto"
    rule: Optional[Json] = None
    leaf: str = ""
    above: float = 0.0


@dataclass
class Gen:
    """A generated scheme and what its inputs are."""

    scheme: Json
    inputs: Dict[str, InputInfo] = field(default_factory=dict)
    monotone: bool = False

    @property
    def total(self) -> float:
        return float(self.scheme.get("total", 100))

    @property
    def bonus_cap(self) -> float:
        bonus = self.scheme.get("bonus")
        return float(bonus["cap"]) if bonus else 0.0


_NICE = [0.0, 0.25, 0.5, 0.75, 1.0]


_STRATEGIES: Dict[Any, st.SearchStrategy[Any]] = {}
_BOOL = st.booleans()


def pick(draw: Draw, values: Sequence[Any]) -> Any:
    """``draw(st.sampled_from(values))`` with the strategy built once: generating a scheme takes
    a few hundred draws, and building their strategies again each time dominated the run."""
    key = ("pick", tuple(values))
    if key not in _STRATEGIES:
        _STRATEGIES[key] = st.sampled_from(tuple(values))
    return draw(_STRATEGIES[key])


def ints(draw: Draw, lo: int, hi: int) -> int:
    key = ("ints", lo, hi)
    if key not in _STRATEGIES:
        _STRATEGIES[key] = st.integers(lo, hi)
    result: int = draw(_STRATEGIES[key])
    return result


@st.composite
def rules(draw: Draw, *, monotone: bool, allow_direct: bool = True) -> Json:
    """One rule of any type; with ``monotone`` the fractions of steps and piecewise rules are
    ordered so that the rule is monotone (linear, check and direct always are)."""
    kinds = ["linear", "at_least", "at_most", "piecewise", "check"] + (["direct"] if allow_direct else [])
    kind = pick(draw, kinds)
    if kind == "linear":
        worst = pick(draw, [0.0, 1.0, 60.0, -5.0, 0.5])
        best = pick(draw, [b for b in (1.0, 10.0, 95.0, 0.0, -2.5, 100.0) if b != worst])
        return {"type": "linear", "worst": worst, "best": best}
    if kind in ("at_least", "at_most"):
        thresholds = st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, 0.5, 10.0, -1.0])
        ts = draw(st.lists(thresholds, min_size=1, max_size=4, unique=True))
        fs = draw(st.lists(st.sampled_from(_NICE), min_size=len(ts), max_size=len(ts)))
        if monotone:
            # at_least: f of the largest t <= x, so f rises with t; at_most: f falls with t.
            fs = sorted(fs, reverse=kind == "at_most")
            pairs = sorted(zip(sorted(ts), fs)) if kind == "at_least" else list(zip(sorted(ts), fs))
        else:
            pairs = list(zip(ts, fs))  # in any order: the format does not ask for sorted thresholds
        return {"type": "steps", kind: [[t, f] for t, f in pairs]}
    if kind == "piecewise":
        knots = st.sampled_from([0.0, 1.0, 2.0, 4.0, 7.5, 10.0, -3.0])
        xs = sorted(draw(st.lists(knots, min_size=2, max_size=5, unique=True)))
        fs = draw(st.lists(st.sampled_from(_NICE), min_size=len(xs), max_size=len(xs)))
        if monotone:
            fs = sorted(fs, reverse=draw(_BOOL))
        return {"type": "piecewise", "points": [[x, f] for x, f in zip(xs, fs)]}
    return {"type": kind}


class _Ids:
    def __init__(self) -> None:
        self.nodes = 0
        self.rule_inputs = 0
        self.counts = 0

    def node(self) -> str:
        self.nodes += 1
        return f"n{self.nodes}"


@st.composite
def schemes(
    draw: Draw,
    *,
    monotone: bool = False,
    policies: Sequence[str] = ("error",),
    ahp: bool = True,
    cohort: bool = False,
    extras: bool = True,
    vetoes: bool = False,
) -> Gen:
    """A valid scheme: an indicator tree of depth <= 3 whose siblings give points (summing to
    the parent's), weights, or nothing under a group that derives them (AHP, or with
    ``cohort`` entropy/CRITIC/std); bonus, penalties, vetoes (at least one with ``vetoes``) and
    grades with quotas."""
    ids = _Ids()
    gen = Gen(scheme={}, monotone=monotone)
    total = pick(draw, [100.0, 10.0, 1.0, 37.5])

    def count_input() -> str:
        # Count inputs are sometimes shared between deductions and penalties.
        if ids.counts and draw(_BOOL):
            return f"c{ints(draw, 1, ids.counts)}"
        ids.counts += 1
        name = f"c{ids.counts}"
        gen.inputs[name] = InputInfo("count")
        return name

    def count_item(with_id: Optional[str]) -> Json:
        item: Json = {"input": count_input(), "per": pick(draw, [0.5, 1.0, 2.0, 3.0, 0.1])}
        if with_id:
            item = {"id": with_id, **item}
        if draw(_BOOL):
            item["cap"] = pick(draw, [0.0, 1.0, 2.0, 4.0, 6.0])
        return item

    def leaf(node_id: str, *, rule_required: bool, allow_direct: bool, deductions_allowed: bool) -> Json:
        out: Json = {"id": node_id}
        has_rule = rule_required or ints(draw, 0, 4) > 0
        if has_rule:
            ids.rule_inputs += 1
            name = f"x{ids.rule_inputs}"
            rule = draw(rules(monotone=monotone, allow_direct=allow_direct))
            out["input"] = name
            out["rule"] = rule
            gen.inputs[name] = InputInfo("rule", rule, node_id)
        if deductions_allowed and (not has_rule or draw(_BOOL)):
            out["deductions"] = [count_item(None) for _ in range(ints(draw, 1, 2))]
        return out

    def children(depth: int, mode: str) -> List[Json]:
        """Children of a node; ``mode`` says how they get their points: "points" (an integer
        share each, scaled by the caller), "weight", "derived" (no points: an AHP parent) or
        "cohort" (entropy/CRITIC/std parent: leaves with a non-direct rule only)."""
        k = ints(draw, 1, 3 if depth > 0 else 4)
        out = []
        for _ in range(k):
            nid = ids.node()
            if mode == "cohort":
                node = leaf(nid, rule_required=True, allow_direct=False, deductions_allowed=False)
            elif depth < 2 and ints(draw, 0, 2) == 0:
                node = group(nid, depth + 1, points_known=mode == "points")
            else:
                node = leaf(nid, rule_required=False, allow_direct=True, deductions_allowed=True)
            if mode == "points":
                node["points"] = float(ints(draw, 0, 4))
            elif mode == "weight":
                node["weight"] = pick(draw, [0.0, 0.5, 1.0, 2.0, 3.0])
            out.append(node)
        if mode == "points" and sum(c["points"] for c in out) == 0:
            out[0]["points"] = 1.0
        if mode == "weight" and sum(c["weight"] for c in out) == 0:
            out[0]["weight"] = 1.0
        return out

    def group(nid: str, depth: int, *, points_known: bool) -> Json:
        modes = ["weight"] + (["points"] if points_known else [])
        if ahp:
            modes.append("derived")
        if cohort:
            modes.append("cohort")
        mode = pick(draw, modes)
        node: Json = {"id": nid}
        kids = children(depth, mode)
        if mode == "derived":
            w = [pick(draw, [1.0, 2.0, 3.0, 0.5, 4.0]) for _ in kids]
            node["weights"] = {"method": "ahp", "matrix": [[wi / wj for wj in w] for wi in w]}
        elif mode == "cohort":
            node["weights"] = {"method": pick(draw, ["entropy", "critic", "std"])}
        node["children"] = kids
        return node

    def scale_points(nodes: List[Json], parent: float) -> None:
        """Turns the integer shares of "points" siblings into points that sum to the parent's."""
        if nodes and "points" in nodes[0]:
            shares = sum(c["points"] for c in nodes)
            for c in nodes:
                c["points"] = parent * c["points"] / shares
        for c in nodes:
            if "children" in c and "points" in c:
                scale_points(c["children"], c["points"])

    root_mode = pick(draw, ["points", "weight"])
    indicators = children(0, root_mode)
    scale_points(indicators, total)

    grades_n = ints(draw, 1, 4)
    shares = st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.8, 0.9, 0.95, 1.0, 1.02])  # of the total
    mins = sorted(draw(st.lists(shares, min_size=grades_n - 1, max_size=grades_n - 1, unique=True)), reverse=True)
    grades: List[Json] = []
    for g, m in enumerate(mins):
        grade: Json = {"name": f"g{g}", "min": m * total}
        if ints(draw, 0, 2) == 0:
            grade["quota"] = pick(draw, [0.1, 0.2, 0.25, 1 / 3, 0.5, 1.0])
        grades.append(grade)
    grades.append({"name": f"g{grades_n - 1}"})

    scheme: Json = {
        "format": "rectify.scheme/1",
        "id": "generated",
        "total": total,
        "missing": pick(draw, list(policies)),
        "indicators": indicators,
        "grades": grades,
    }
    if extras and draw(_BOOL):
        items = []
        for b in range(ints(draw, 0, 2)):
            item: Json = {"id": f"B{b}", "input": f"b{b}", "per": pick(draw, [0.5, 1.0, 2.0])}
            gen.inputs[f"b{b}"] = InputInfo("bonus")
            if draw(_BOOL):
                item["cap"] = pick(draw, [0.0, 1.0, 3.0])
            items.append(item)
        scheme["bonus"] = {"cap": pick(draw, [0.0, 2.0, 5.0]), "items": items}
    if extras and draw(_BOOL):
        scheme["penalties"] = [count_item(f"P{k}") for k in range(ints(draw, 0, 2))]
    if vetoes or (extras and draw(_BOOL)):
        veto_list = []
        for v in range(ints(draw, 1 if vetoes else 0, 2)):
            above = pick(draw, [0.0, 1.0, -1.0, 0.5])
            veto_list.append({"id": f"V{v}", "input": f"v{v}", "above": above,
                           "max_grade": f"g{ints(draw, 0, grades_n - 1)}"})
            gen.inputs[f"v{v}"] = InputInfo("veto", above=above)
        scheme["vetoes"] = veto_list
    gen.scheme = scheme
    return gen


# --------------------------------------------------------------------------------------------
# Unit tables


def rule_pool(rule: Json, points: float) -> List[float]:
    """Values that hit a rule's thresholds, ends and insides (and a bit beyond)."""
    t = rule["type"]
    if t == "check":
        return [0.0, 1.0]
    if t == "direct":
        return [0.0, points, points / 2, points / 3, points * 0.999]
    if t == "linear":
        lo, hi = sorted((rule["worst"], rule["best"]))
        keys = [lo, hi]
    elif t == "steps":
        keys = [p[0] for p in rule.get("at_least", rule.get("at_most", []))]
    else:
        keys = [p[0] for p in rule["points"]]
    out = list(keys)
    for k in keys:
        out += [k - 0.25, k + 0.25, k + 1e-9, k - 1e-9]
    lo, hi = min(keys), max(keys)
    out += [lo - 3, hi + 3, (lo + hi) / 2, lo + (hi - lo) / 3]
    return out


def column_for(info: InputInfo, rng: np.random.Generator, points: Dict[str, float], n: int) -> np.ndarray:
    """``n`` valid values for one input: from the rule's pool (a fifth uniform over its range
    for the rules that take any number), counts >= 0, veto values around the threshold."""
    if info.kind == "rule":
        assert info.rule is not None
        pool = np.array(rule_pool(info.rule, points[info.leaf]))
        col = rng.choice(pool, n)
        if info.rule["type"] not in ("check", "direct"):
            uniform = rng.uniform(pool.min(), pool.max(), n)
            col = np.where(rng.random(n) < 0.2, uniform, col)
        return col
    if info.kind in ("count", "bonus"):
        return rng.choice([0.0, 0.0, 1.0, 2.0, 3.0, 5.0, 0.5, 12.0], n)
    a = info.above
    return rng.choice([a, a + 1, a - 1, a + 1e-9, 0.0, 2.0], n)


def make_table(gen: Gen, scheme: rectify.Scheme, seed: int, n: int, p_missing: float = 0.0) -> pd.DataFrame:
    """``n`` units (u0, u1, ...) with a value for every input of the scheme; cells are missing
    (NaN) with probability ``p_missing``."""
    rng = np.random.default_rng(seed)
    points = scheme.nodes["points"].to_dict()
    columns: Dict[str, Any] = {"unit": [f"u{i}" for i in range(n)]}
    for name, info in gen.inputs.items():
        col = column_for(info, rng, points, n).astype(np.float64)
        if p_missing:
            col[rng.random(n) < p_missing] = np.nan
        columns[name] = col
    return pd.DataFrame(columns)


Case = Tuple[Gen, rectify.Scheme, pd.DataFrame]


@st.composite
def cases(draw: Draw, max_units: int = 40, **kwargs: Any) -> Case:
    gen = draw(schemes(**kwargs))
    scheme = rectify.Scheme.from_json(gen.scheme)
    problems = scheme.validate()
    assert not problems, (json.dumps(gen.scheme), [(p.code, p.path, p.message) for p in problems])
    n = draw(st.one_of(st.integers(1, max_units), st.sampled_from([255, 256, 257, 300])))
    missing = gen.scheme["missing"]
    p_missing = draw(st.sampled_from([0.0, 0.1, 0.4])) if missing != "error" else 0.0
    table = make_table(gen, scheme, draw(st.integers(0, 2**32 - 1)), n, p_missing)
    return gen, scheme, table


# --------------------------------------------------------------------------------------------
# The reference: docs/scheme.md "How a unit is scored", for "error" and "zero", in plain Python


def ref_fraction(rule: Json, x: float, p: float) -> float:
    t = rule["type"]
    if t == "linear":
        return min(1.0, max(0.0, (x - rule["worst"]) / (rule["best"] - rule["worst"])))
    if t == "steps":
        if "at_least" in rule:
            below = [(tt, f) for tt, f in rule["at_least"] if tt <= x]
            return max(below)[1] if below else 0.0
        above = [(tt, f) for tt, f in rule["at_most"] if tt >= x]
        return min(above)[1] if above else 0.0
    if t == "piecewise":
        xs = [q[0] for q in rule["points"]]
        fs = [q[1] for q in rule["points"]]
        if x <= xs[0]:
            return float(fs[0])
        if x >= xs[-1]:
            return float(fs[-1])
        k = max(i for i in range(len(xs)) if xs[i] <= x)
        return fs[k] + (fs[k + 1] - fs[k]) * (x - xs[k]) / (xs[k + 1] - xs[k])
    if t == "check":
        return x
    return x / p if p > 0 else 0.0  # direct


def resolve_points(scheme: Json) -> Dict[str, float]:
    """Points of every node: explicit points, weight shares, or AHP weights (for a consistent
    matrix the row geometric means give the principal eigenvector exactly)."""
    out: Dict[str, float] = {}

    def visit(nodes: List[Json], parent: float, derived: Optional[List[float]]) -> None:
        if derived is not None:
            shares = derived
        elif "points" in nodes[0]:
            shares = [c["points"] / parent if parent else 0.0 for c in nodes]
        else:
            s = sum(c["weight"] for c in nodes)
            shares = [c["weight"] / s for c in nodes]
        for c, w in zip(nodes, shares):
            p = c["points"] if derived is None and "points" in c else parent * w
            out[c["id"]] = p
            if "children" in c:
                wts = c.get("weights")
                sub: Optional[List[float]] = None
                if wts is not None:
                    assert wts["method"] == "ahp", "the reference covers AHP only"
                    g = [math.prod(row) ** (1 / len(row)) for row in wts["matrix"]]
                    sub = [v / sum(g) for v in g]
                visit(c["children"], p, sub)

    visit(scheme["indicators"], float(scheme.get("total", 100)), None)
    return out


def ref_count(item: Json, x: float) -> float:
    if math.isnan(x):
        return 0.0
    return min(item.get("cap", math.inf), item["per"] * x)


def ref_score(scheme: Json, points: Dict[str, float], row: Dict[str, float]) -> Dict[str, Any]:
    """base, bonus, penalty, score and every node's earned points of one unit (``points``:
    :func:`resolve_points` of the scheme)."""
    earned: Dict[str, float] = {}

    def visit(node: Json) -> float:
        p = points[node["id"]]
        if "children" in node:
            e = sum(visit(c) for c in node["children"])
        else:
            d = sum(ref_count(it, row[it["input"]]) for it in node.get("deductions", []))
            if "rule" in node:
                x = row[node["input"]]
                e = 0.0 if math.isnan(x) else min(p, max(0.0, p * ref_fraction(node["rule"], x, p) - d))
            else:
                e = min(p, max(0.0, p - d))
        earned[node["id"]] = e
        return e

    base = sum(visit(n) for n in scheme["indicators"])
    bonus_spec = scheme.get("bonus")
    bonus = 0.0
    if bonus_spec:
        bonus = min(bonus_spec["cap"], sum(ref_count(it, row[it["input"]]) for it in bonus_spec["items"]))
    penalty = sum(ref_count(it, row[it["input"]]) for it in scheme.get("penalties", []))
    return {"base": base, "bonus": bonus, "penalty": penalty, "score": max(0.0, base + bonus - penalty),
            "nodes": earned}


def ties(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def ref_ranks(scores: Sequence[float]) -> List[int]:
    return [1 + sum(1 for t in scores if t > s and not ties(t, s)) for s in scores]


def ref_grades(scheme: Json, scores: Sequence[float], rows: List[Dict[str, float]]) -> Tuple[List[int], List[int]]:
    """band and final grade (as indices, 0 = best) of every unit, step 4 of the document."""
    grades = scheme["grades"]
    names = [g["name"] for g in grades]
    band = [next(g for g, gr in enumerate(grades) if "min" not in gr or gr["min"] <= s) for s in scores]
    grade = list(band)
    for i, row in enumerate(rows):
        for v in scheme.get("vetoes", []):
            if row[v["input"]] > v["above"]:  # NaN never triggers
                grade[i] = max(grade[i], names.index(v["max_grade"]))
    n = len(scores)
    for g, gr in enumerate(grades[:-1]):
        if "quota" not in gr:
            continue
        limit = math.floor(gr["quota"] * n + 1e-9)
        holders = [i for i in range(n) if grade[i] == g]
        for i in holders:
            higher = sum(1 for j in holders if scores[j] > scores[i] and not ties(scores[j], scores[i]))
            if higher >= limit:
                grade[i] = g + 1
    return band, grade


def rows_of(table: pd.DataFrame) -> List[Dict[str, float]]:
    records: List[Dict[str, float]] = table.drop(columns="unit").to_dict("records")
    return records


def codes(series: pd.Series) -> List[int]:
    return [int(c) for c in series.cat.codes]


# --------------------------------------------------------------------------------------------
# Properties


@given(cases(policies=("error", "zero")))
def test_scores_agree_with_the_documented_formulas(case: Case) -> None:
    """Every number of the result equals what docs/scheme.md says it is, and so do the bands,
    grades (vetoes, quotas) and ranks of the engine's own scores."""
    gen, scheme, table = case
    result = scheme.score(table)
    frame = result.to_frame()
    rows = rows_of(table)
    points = resolve_points(gen.scheme)
    refs = [ref_score(gen.scheme, points, row) for row in rows]
    tol = TOL * max(1.0, gen.total)
    for key in ("base", "bonus", "penalty", "score"):
        want = np.array([r[key] for r in refs])
        bad = np.flatnonzero(~np.isclose(frame[key].to_numpy(), want, rtol=0, atol=tol))
        assert not bad.size, (key, rows[bad[0]], frame[key].iloc[bad[0]], want[bad[0]])
    for node in points:
        want = np.array([r["nodes"][node] for r in refs])
        bad = np.flatnonzero(~np.isclose(frame[node].to_numpy(), want, rtol=0, atol=tol))
        assert not bad.size, (node, rows[bad[0]], frame[node].iloc[bad[0]], want[bad[0]])
    scores = [float(s) for s in frame["score"]]
    band, grade = ref_grades(gen.scheme, scores, rows)
    assert codes(frame["band"]) == band
    assert codes(frame["grade"]) == grade
    assert list(frame["rank"]) == ref_ranks(scores)


def check_bounds(gen: Gen, scheme: rectify.Scheme, result: rectify.Result) -> None:
    frame = result.to_frame()
    total, cap = gen.total, gen.bonus_cap
    tol = TOL * max(1.0, total)
    nodes = scheme.nodes
    assert (frame["base"] >= 0).all() and (frame["base"] <= total + tol).all()
    assert (frame["bonus"] >= 0).all() and (frame["bonus"] <= cap).all()
    assert (frame["penalty"] >= 0).all()
    assert (frame["score"] >= 0).all() and (frame["score"] <= total + cap + tol).all()
    expected = (frame["base"] + frame["bonus"] - frame["penalty"]).clip(lower=0)
    assert np.allclose(frame["score"], expected, rtol=0, atol=tol)
    # Every node within [0, its points]: the scheme's points, or those the cohort's weights
    # gave; under "reweight" a node may also carry dropped siblings' points, so only the total
    # bounds it.
    points = nodes["points"].copy()
    derived = result.weights["points"]
    for node_id in nodes.index:
        present = frame[node_id].dropna()
        assert (present >= 0).all(), node_id
        if gen.scheme["missing"] == "reweight":
            bound = total
        elif math.isnan(points[node_id]):
            bound = float(derived[node_id])
        else:
            bound = float(points[node_id])
        assert (present <= bound + tol).all(), (node_id, float(present.max()), bound)
    # A group earns the sum of its (present) children.
    children: Dict[str, List[str]] = {}
    for node_id, parent in nodes["parent"].items():
        if isinstance(parent, str) and parent:
            children.setdefault(parent, []).append(node_id)
    for parent, kids in children.items():
        summed = frame[kids].sum(axis=1, min_count=1)
        assert np.allclose(frame[parent], summed, rtol=0, atol=tol, equal_nan=True), parent


@given(cases(policies=("error", "zero", "reweight"), cohort=True))
def test_bounds_hold_for_every_policy_and_weighting(case: Case) -> None:
    """Every node, base, bonus, penalty and score stays within the bounds docs/scheme.md gives,
    under every missing-value policy and with derived (AHP and cohort) weights."""
    gen, scheme, table = case
    try:
        result = scheme.score(table)
    except rectify.DataError as e:
        # The documented refusals for a generated table: too few complete units for a cohort
        # method, or every leaf dropped under "reweight".
        allowed = {"rectify.data.cohort_too_small", "rectify.data.all_dropped", "rectify.data.more"}
        assert {p.code for p in e.problems} <= allowed, e
        return
    check_bounds(gen, scheme, result)


@given(cases(policies=("error", "zero", "reweight"), cohort=True, max_units=12))
def test_explained_losses_add_up(case: Case) -> None:
    """explain lists every lost point: the items sum to total - base + penalty, and no item but
    the floor's give-back is negative."""
    gen, scheme, table = case
    try:
        result = scheme.score(table)
    except rectify.DataError:
        return  # refusals are checked by test_bounds_hold_for_every_policy_and_weighting
    frame = result.to_frame()
    tol = 1e-9 * max(1.0, gen.total) * 10
    for i in range(min(len(table), 6)):
        unit = f"u{i}"
        lost = result.explain(unit, lang="en")
        expected = gen.total - frame.loc[unit, "base"] + frame.loc[unit, "penalty"]
        assert lost["points"].sum() == pytest.approx(expected, abs=tol), (unit, lost.to_dict("records"))
        negative = lost[lost["points"] < 0]
        assert negative["why"].str.contains("floored at 0").all(), negative.to_dict("records")


def test_a_lost_reweight_share_is_explained() -> None:
    """Found by test_explained_losses_add_up. Under "reweight" a dropped leaf's points go to its
    present siblings in proportion to theirs; when they all have 0 points (here: entropy gives
    the constant child weight 0) nobody takes them and the unit loses them, as docs/scheme.md
    says. ``explain`` must then still list them, against the dropped leaf, so that its items add
    up to total - base + penalty (it used to list nothing: explain_unit skipped every dropped
    leaf as if its share had been passed on)."""
    scheme = rectify.Scheme.from_json({
        "format": "rectify.scheme/1", "id": "lost", "missing": "reweight",
        "indicators": [{"id": "g", "points": 100, "weights": {"method": "entropy"}, "children": [
            {"id": "a", "input": "x1", "rule": {"type": "check"}},
            {"id": "b", "input": "x2", "rule": {"type": "check"}},
        ]}],
        "grades": [{"name": "all"}],
    })
    nan = math.nan
    table = pd.DataFrame({"unit": ["u0", "u1", "u2"], "x1": [nan, 1.0, 0.0], "x2": [0.0, 1.0, 1.0]})
    result = scheme.score(table)
    # By hand: u1 and u2 are the complete units; x2 is 1 for both, so b gets weight 0 and a
    # all 100 points. u0 has no x1: a is dropped, b (0 points) cannot take its 100 points.
    assert result.weights.loc["a", "points"] == 100 and result.weights.loc["b", "points"] == 0
    assert result.to_frame().loc["u0", "base"] == 0
    lost = result.explain("u0", lang="en")
    assert list(lost["node"]) == ["a"] and lost["points"].sum() == pytest.approx(100)
    assert "x1" in lost["why"].iloc[0]


def _direction(rule: Json) -> int:
    """+1 if the rule's fraction rises with its input, -1 if it falls (monotone schemes only)."""
    t = rule["type"]
    if t == "linear":
        return 1 if rule["best"] > rule["worst"] else -1
    if t == "steps":
        return 1 if "at_least" in rule else -1
    if t == "piecewise":
        fs = [p[1] for p in rule["points"]]
        return 1 if fs[-1] >= fs[0] else -1
    return 1  # check, direct


@given(cases(monotone=True, policies=("error", "zero", "reweight"), ahp=True, max_units=8), st.data())
def test_every_rule_is_monotone_in_its_input(case: Case, data: st.DataObject) -> None:
    """Raising one unit's rule input moves its leaf, every node above it, base and score in the
    direction the rule states (or not at all), and changes no other unit."""
    gen, scheme, table = case
    rule_inputs = [k for k, v in gen.inputs.items() if v.kind == "rule"]
    assume(rule_inputs)
    name = data.draw(st.sampled_from(rule_inputs))
    info = gen.inputs[name]
    assert info.rule is not None
    points = scheme.nodes["points"].to_dict()
    pool = sorted(set(rule_pool(info.rule, points[info.leaf])))
    if info.rule["type"] in ("check", "direct"):
        pool = [v for v in pool if 0 <= v <= max(points[info.leaf], 1.0 if info.rule["type"] == "check" else 0)]
    assume(len(pool) >= 2)  # a direct rule on a 0-point leaf takes only 0
    lo, hi = sorted(data.draw(st.lists(st.sampled_from(pool), min_size=2, max_size=2, unique=True)))
    unit = data.draw(st.integers(0, len(table) - 1))
    low, high = table.copy(), table.copy()
    low.loc[unit, name] = lo
    high.loc[unit, name] = hi
    try:
        a, b = scheme.score(low).to_frame(), scheme.score(high).to_frame()
    except rectify.DataError as e:  # another unit with every leaf dropped under "reweight"
        assert {p.code for p in e.problems} <= {"rectify.data.all_dropped", "rectify.data.more"}, e
        assume(False)
        raise
    sign = _direction(info.rule)
    tol = TOL * max(1.0, gen.total)
    # The leaf and its ancestors, then base and score: the change has the rule's sign.
    nodes = scheme.nodes
    chain = [info.leaf]
    while isinstance(parent := nodes.loc[chain[-1], "parent"], str) and parent:
        chain.append(parent)
    for col in chain + ["base", "score"]:
        va, vb = a.loc[f"u{unit}", col], b.loc[f"u{unit}", col]
        if math.isnan(va) or math.isnan(vb):
            continue
        assert sign * (vb - va) >= -tol, (col, lo, hi, va, vb)
    others = [f"u{i}" for i in range(len(table)) if i != unit]
    pd.testing.assert_series_equal(a.loc[others, "score"], b.loc[others, "score"], check_exact=True)


@given(cases(policies=("error", "zero"), max_units=8), st.data())
def test_deductions_never_raise_and_bonus_never_lowers(case: Case, data: st.DataObject) -> None:
    """One more occurrence of a deduction or penalty never raises a node, base or score; one
    more bonus occurrence never lowers the score and leaves the tree alone."""
    gen, scheme, table = case
    counted = [k for k, v in gen.inputs.items() if v.kind in ("count", "bonus")]
    assume(counted)
    name = data.draw(st.sampled_from(counted))
    unit = data.draw(st.integers(0, len(table) - 1))
    more = table.copy()
    before = float(table.loc[unit, name])
    more.loc[unit, name] = (0.0 if math.isnan(before) else before) + data.draw(st.sampled_from([0.5, 1.0, 3.0, 100.0]))
    a, b = scheme.score(table).to_frame().iloc[unit], scheme.score(more).to_frame().iloc[unit]
    tree = list(scheme.nodes.index) + ["base"]
    if gen.inputs[name].kind == "bonus":
        assert b["score"] >= a["score"]
        assert b["bonus"] >= a["bonus"]
        assert list(b[tree]) == list(a[tree])
    else:
        assert b["score"] <= a["score"]
        for col in tree + ["score"]:
            assert b[col] <= a[col], col
        assert b["penalty"] >= a["penalty"]


@given(cases(policies=("error", "zero"), max_units=30, vetoes=True), st.data())
def test_a_veto_never_raises_a_grade(case: Case, data: st.DataObject) -> None:
    """Triggering a veto for one unit leaves its score and band, and never gives it a better
    grade (quotas included: leaving a grade's competition frees no place above it)."""
    gen, scheme, table = case
    vetoes = gen.scheme.get("vetoes", [])
    assume(vetoes)
    veto = data.draw(st.sampled_from(vetoes))
    unit = data.draw(st.integers(0, len(table) - 1))
    calm, hit = table.copy(), table.copy()
    for v in vetoes:  # no veto at all for this unit, then only the chosen one
        calm.loc[unit, v["input"]] = v["above"]
        hit.loc[unit, v["input"]] = v["above"]
    hit.loc[unit, veto["input"]] = veto["above"] + data.draw(st.sampled_from([1e-9, 1.0, 50.0]))
    a, b = scheme.score(calm), scheme.score(hit)
    fa, fb = a.to_frame().iloc[unit], b.to_frame().iloc[unit]
    assert a.vetoes.iloc[unit] == [] and b.vetoes.iloc[unit] == [veto["id"]]
    assert fb["score"] == fa["score"] and fb["band"] == fa["band"]
    grades = scheme.grades
    assert grades.index(fb["grade"]) >= grades.index(fa["grade"])
    assert grades.index(fb["grade"]) >= grades.index(veto["max_grade"])


@given(cases(extras=True, max_units=60))
def test_quotas_keep_their_limit_except_ties_at_the_cut(case: Case) -> None:
    """A grade with quota q holds at most floor(q * n) units; more only when they tie with the
    unit at the cut, and none when the limit is 0."""
    gen, scheme, table = case
    frame = scheme.score(table).to_frame()
    n = len(frame)
    for gr in gen.scheme["grades"][:-1]:
        if "quota" not in gr:
            continue
        limit = math.floor(gr["quota"] * n + 1e-9)
        held = sorted(frame.loc[frame["grade"] == gr["name"], "score"], reverse=True)
        if len(held) > limit:
            assert limit > 0, (gr, held)
            cut = held[limit - 1]
            assert all(ties(s, cut) for s in held[limit:]), (gr, limit, held)


@given(cases(policies=("error", "zero", "reweight"), cohort=True, max_units=60))
def test_ranks_are_competition_ranks_of_the_scores(case: Case) -> None:
    """Rank k means k - 1 units have a strictly higher, untied score ("1224"); down the sorted
    scores ranks never improve. Cohort weights and "reweight" included."""
    gen, scheme, table = case
    try:
        frame = scheme.score(table).to_frame()
    except rectify.DataError:
        return
    s, r = frame["score"].to_numpy(), frame["rank"].to_numpy()
    order = np.argsort(-s, kind="stable")
    assert r[order[0]] == 1
    for i, j in zip(order[:-1], order[1:]):  # down the sorted scores ranks never improve
        assert r[j] >= r[i]
    # Units tied with each other share their rank; a rank k means k - 1 units strictly ahead.
    tied = np.abs(s[:, None] - s[None, :]) <= 1e-9 * np.maximum(1.0, np.maximum(np.abs(s)[:, None], np.abs(s)[None, :]))
    ahead = ((s[None, :] > s[:, None]) & ~tied).sum(axis=1)
    np.testing.assert_array_equal(r, ahead + 1)
