"""Derived weights in schemes: ``"weights": {"method": "ahp" | "entropy" | "critic" | "std"}``.

The expected weights are computed here with NumPy from the formulas (AHP's principal
eigenvector, entropy over the leaves' fractions), not taken from rectify's own output.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from typing import Any, Dict

import numpy as np
import pandas as pd
import pytest

import rectify
from conftest import EXAMPLES, SURVEY_CSV, UNITS_CSV

SCHEME_AHP = EXAMPLES / "scheme_ahp.json"

# The AHP matrix of 三会一课 in examples/data/scheme_ahp.json, children in order.
ORG_LIFE = np.array(
    [
        [1, 1 / 3, 1 / 2, 1],
        [3, 1, 2, 3],
        [2, 1 / 2, 1, 2],
        [1, 1 / 3, 1 / 2, 1],
    ]
)
ORG_LIFE_CHILDREN = ["org_life.plan", "org_life.meetings", "org_life.records", "org_life.archive"]


def principal_eigenvector(a: np.ndarray) -> tuple[np.ndarray, float]:
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    return w / w.sum(), float(values[k].real)


def entropy_weights(f: np.ndarray) -> np.ndarray:
    p = f / f.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p), 0.0)
    e = -terms.sum(axis=0) / math.log(f.shape[0])
    d = 1 - e
    return d / d.sum()


def conduct_fractions(frame: pd.DataFrame) -> np.ndarray:
    """Fractions of the 作风建设 leaves (satisfaction linear 60..95, complaints linear 6..0) of
    the units that have both inputs."""
    both = frame.dropna(subset=["satisfaction_index", "complaints"])
    sat = np.clip((both["satisfaction_index"].to_numpy() - 60) / 35, 0, 1)
    comp = np.clip((6 - both["complaints"].to_numpy()) / 6, 0, 1)
    return np.column_stack([sat, comp])


@pytest.fixture(scope="module")
def derived() -> rectify.Scheme:
    return rectify.Scheme.from_json(SCHEME_AHP)


def cohort_scheme(method: str) -> Dict[str, Any]:
    return {
        "format": "rectify.scheme/1",
        "id": "cohort",
        "missing": "zero",
        "indicators": [
            {
                "id": "G",
                "points": 100,
                "weights": {"method": method},
                "children": [
                    {"id": "g1", "input": "a", "rule": {"type": "linear", "worst": 0, "best": 4}},
                    {"id": "g2", "input": "b", "rule": {"type": "linear", "worst": 10, "best": 0}},
                    {"id": "g3", "input": "c", "rule": {"type": "check"}},
                ],
            }
        ],
        "grades": [{"name": "好", "min": 60}, {"name": "差"}],
    }


COHORT = pd.DataFrame(
    {
        "a": [0.0, 1, 2, 3, 4, 5, 2],
        "b": [10.0, 8, 5, 5, 1, 0, np.nan],
        "c": [0.0, 1, 1, 0, 1, 1, 1],
    },
    index=pd.Index([f"u{i}" for i in range(1, 8)], name="unit"),
)


def test_weights_of_the_sample_scheme(derived: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    res = derived.score(units_frame)
    w = res.weights
    assert list(w.columns) == ["parent", "method", "weight", "points"]
    assert w.index.name == "node"
    ahp = w[w["parent"] == "org_life"]
    assert list(ahp.index) == ORG_LIFE_CHILDREN
    want, lambda_max = principal_eigenvector(ORG_LIFE)
    np.testing.assert_allclose(ahp["weight"].to_numpy(), want, rtol=1e-10)
    np.testing.assert_allclose(ahp["points"].to_numpy(), 20 * want, rtol=1e-10)
    assert (ahp["method"] == "ahp").all()

    ent = w[w["parent"] == "conduct"]
    assert list(ent.index) == ["conduct.satisfaction", "conduct.complaints"]
    np.testing.assert_allclose(ent["weight"].to_numpy(), entropy_weights(conduct_fractions(units_frame)), rtol=1e-10)
    np.testing.assert_allclose(ent["points"].sum(), 10.0)

    groups = res.weight_groups
    assert list(groups.index) == ["org_life", "conduct"]
    assert groups.loc["org_life", "lambda_max"] == pytest.approx(lambda_max, rel=1e-10)
    ci = (lambda_max - 4) / 3
    assert groups.loc["org_life", "ci"] == pytest.approx(ci, rel=1e-8)
    assert groups.loc["org_life", "cr"] == pytest.approx(ci / 0.90, rel=1e-8)
    assert groups.loc["org_life", "path"] == "/indicators/0/weights"
    assert pd.isna(groups.loc["org_life", "units"])
    assert groups.loc["conduct", "units"] == 18  # every unit was surveyed and reports complaints
    assert not groups.loc["conduct", "equal_fallback"]
    assert math.isnan(groups.loc["conduct", "cr"])

    # The node columns carry the derived points: each leaf's fraction of them.
    nodes = res.nodes
    row = units_frame.set_index("unit").loc["office_party"]
    sat = min(max((row["satisfaction_index"] - 60) / 35, 0.0), 1.0)
    comp = min(max((6 - row["complaints"]) / 6, 0.0), 1.0)
    assert nodes.loc["office_party", "conduct"] == pytest.approx(
        ent.loc["conduct.satisfaction", "points"] * sat + ent.loc["conduct.complaints", "points"] * comp
    )


def test_scheme_shows_static_weights_before_scoring(derived: rectify.Scheme) -> None:
    w = derived.weights
    want, _ = principal_eigenvector(ORG_LIFE)
    np.testing.assert_allclose(w.loc[ORG_LIFE_CHILDREN, "weight"].to_numpy(), want, rtol=1e-10)
    assert w.loc[["conduct.satisfaction", "conduct.complaints"], "weight"].isna().all()
    assert derived.weight_groups.loc["conduct", "method"] == "entropy"
    nodes = derived.nodes
    assert math.isnan(nodes.loc["conduct.complaints", "points"])
    assert nodes.loc["org_life.meetings", "points"] == pytest.approx(20 * want[1], rel=1e-10)


def test_a_scheme_without_derived_weights_has_empty_frames(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    res = scheme.score(units_frame)
    assert res.weights.empty and list(res.weights.columns) == ["parent", "method", "weight", "points"]
    assert res.weight_groups.empty
    assert scheme.weights.empty
    assert "weights" not in json.loads(res.to_json())


@pytest.mark.parametrize("method", ["entropy", "critic", "std"])
def test_cohort_methods_match_their_formulas(method: str) -> None:
    res = rectify.Scheme.from_json(cohort_scheme(method)).score(COHORT)
    # Fractions of u1..u6 (u7 has no b and is left out of the derivation), by hand.
    f = np.array(
        [
            [0.0, 0.0, 0.0],
            [0.25, 0.2, 1.0],
            [0.5, 0.5, 1.0],
            [0.75, 0.5, 0.0],
            [1.0, 0.9, 1.0],
            [1.0, 1.0, 1.0],
        ]
    )
    if method == "entropy":
        want = entropy_weights(f)
    else:
        # Both minmax-normalise each column first (fractions are already benefit-oriented).
        n = (f - f.min(axis=0)) / (f.max(axis=0) - f.min(axis=0))
        sigma = n.std(axis=0)
        if method == "std":
            want = sigma / sigma.sum()
        else:
            r = np.corrcoef(n, rowvar=False)
            c = sigma * (1 - r).sum(axis=0)
            want = c / c.sum()
    w = res.weights
    np.testing.assert_allclose(w["weight"].to_numpy(), want, rtol=1e-10)
    assert res.weight_groups.loc["G", "units"] == 6
    # u7: g2 missing counts 0 under "zero"; g1 = 100 w1 × 0.5, g3 = 100 w3.
    assert res.nodes.loc["u7", "G"] == pytest.approx(100 * want[0] * 0.5 + 100 * want[2], rel=1e-12)
    # The lost points of every unit add up with the derived points.
    for unit in res.units:
        lost = res.explain(unit)
        assert lost["points"].sum() == pytest.approx(100 - res.to_frame().loc[unit, "base"], abs=1e-9)


def test_a_strided_frame_gives_the_same_weights(derived: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    frame = rectify.read_units_csv(UNITS_CSV).join(rectify.compliance.surveys(str(SURVEY_CSV)).inputs)
    # A C-ordered 2-D array: every column of the DataFrame is a strided view.
    values = np.ascontiguousarray(frame.to_numpy())
    strided = pd.DataFrame(values, index=frame.index, columns=frame.columns, copy=False)
    res = derived.score(strided)
    address = res._core._column_address("satisfaction_index")
    assert address is not None and address[1] == len(frame.columns)  # read in place, strided
    pd.testing.assert_frame_equal(derived.score(frame).weights, res.weights)


def test_equal_fallback_when_nobody_differs() -> None:
    same = pd.DataFrame({"a": [2.0, 2, 2], "b": [5.0, 5, 5], "c": [1.0, 1, 1]}, index=["x", "y", "z"])
    res = rectify.Scheme.from_json(cohort_scheme("entropy")).score(same)
    assert bool(res.weight_groups.loc["G", "equal_fallback"])
    np.testing.assert_allclose(res.weights["weight"].to_numpy(), [1 / 3] * 3)


def test_errors() -> None:
    bad = cohort_scheme("ahp")
    bad["indicators"][0]["weights"] = {"method": "ahp", "matrix": [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]}
    s = rectify.Scheme.from_json(bad)
    (problem,) = s.validate()
    assert problem.code == "rectify.scheme.inconsistent"
    assert "CR = 6.1303 > max_cr = 0.1" in problem.message
    with pytest.raises(rectify.SchemeError, match=r"CR = 6\.1303"):
        s.score(COHORT)

    with pytest.raises(rectify.DataError) as info:
        rectify.Scheme.from_json(cohort_scheme("critic")).score(COHORT.iloc[:1])
    assert info.value.code == "rectify.data.cohort_too_small"
    assert info.value.problems[0].path == "/indicators/0/weights"


def test_json_output_reports_the_weights(derived: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    res = derived.score(units_frame)
    doc = json.loads(res.to_json())
    assert list(doc)[:3] == ["scheme", "weights", "units"]
    groups = {g["node"]: g for g in doc["weights"]}
    assert groups["org_life"]["cr"] == res.weight_groups.loc["org_life", "cr"]
    assert groups["conduct"]["units"] == 18 and groups["conduct"]["equal_fallback"] is False
    for g in doc["weights"]:
        for child in g["children"]:
            assert child["weight"] == res.weights.loc[child["node"], "weight"]
            assert child["points"] == pytest.approx(g["points"] * child["weight"], rel=1e-15)
    assert "派生权重" in res.to_table()


@pytest.fixture(scope="module")
def cli() -> str:
    path = os.environ.get("RECTIFY_CLI")
    if not path:
        pytest.skip("RECTIFY_CLI is not set (the path of the rectify command line)")
    return path


def test_cli_shows_the_weights(cli: str, derived: rectify.Scheme, tmp_path) -> None:
    # The units and the survey's inputs, as two files for the CLI and one joined frame for Python.
    survey = tmp_path / "survey_inputs.csv"
    survey.write_bytes(subprocess.run([cli, "survey", str(SURVEY_CSV), "--inputs"], check=True,
                                      capture_output=True).stdout)
    out = subprocess.run(
        [cli, "score", str(SCHEME_AHP), str(UNITS_CSV), str(survey), "--format", "json"], check=True,
        capture_output=True
    )
    doc = json.loads(out.stdout)
    py = derived.score(rectify.read_units_csv(UNITS_CSV).join(rectify.read_units_csv(survey)))
    assert out.stdout.decode("utf-8") == py.to_json()
    weights = {c["node"]: c["weight"] for g in doc["weights"] for c in g["children"]}
    assert weights == py.weights["weight"].to_dict()
    table = subprocess.run(
        [cli, "score", str(SCHEME_AHP), str(UNITS_CSV), str(survey), "--lang", "en"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    block = table[table.index("derived weights:") :]
    assert "org_life (ahp, λmax = " in block and "conduct (entropy, from 18 units)" in block
    assert "org_life.meetings" in block
