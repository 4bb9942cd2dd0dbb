"""rectify.dask.score on a two-worker LocalCluster: the result equals single-process scoring
exactly (assert_frame_equal with check_exact), on the sample bureau with the sample scheme, with
a variant whose groups derive weights by entropy and CRITIC and has two quotas, and on 1,000,000
generated units; and it raises the errors single-process scoring raises.

The reference is always ``Scheme.score`` in this process, an independent run of the scorer
over the whole frame; the Dask path computes weights, grades and ranks in a separate global
pass, so a difference in how the cohort is cut into partitions would show here.
"""

from __future__ import annotations

import copy
import json
import time
from typing import Any, Dict, Iterator, List

import numpy as np
import pandas as pd
import pytest

import rectify
from conftest import SCHEME_JSON

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import rectify.dask  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    # Bit for bit, NaN where NaN (assert_frame_equal treats -0.0 and 0.0 alike).
    for c in ("score", "base", "bonus", "penalty"):
        assert np.array_equal(got[c].to_numpy().view(np.uint64), want[c].to_numpy().view(np.uint64)), c


def sample_dict() -> Dict[str, Any]:
    return json.loads(SCHEME_JSON.read_text(encoding="utf-8"))


def cohort_dict() -> Dict[str, Any]:
    """The sample scheme with 作风建设 weighted by entropy and 队伍建设 by CRITIC (children then
    give neither points nor weight), and quotas on the two top grades."""
    d = copy.deepcopy(sample_dict())
    d["id"] = "hw-party-2026-cohort"
    for group, method in (("conduct", "entropy"), ("team", "critic")):
        node = next(n for n in d["indicators"] if n["id"] == group)
        node["weights"] = {"method": method}
        for child in node["children"]:
            child.pop("points", None)
            child.pop("weight", None)
    d["grades"][0]["quota"] = 0.2
    d["grades"][1]["quota"] = 0.3
    return d


# -- the sample bureau ------------------------------------------------------------------------


@pytest.mark.parametrize("npartitions", [1, 3, 7])
def test_sample_scheme_equals_single_process(client: Any, scheme: rectify.Scheme, units_frame: pd.DataFrame,
                                             npartitions: int) -> None:
    ddf = dd.from_pandas(units_frame, npartitions=npartitions, sort=False)
    assert ddf.npartitions == npartitions
    got = rectify.dask.score(ddf, scheme, progress=False).compute()
    want = scheme.score(ddf.compute()).to_frame()
    same(got, want)
    # The frame before Dask (Dask stores its strings as pd.StringDtype, pandas 3 reads them as str).
    direct = scheme.score(units_frame).to_frame()
    same(got, direct.set_axis(direct.index.astype(got.index.dtype)))
    # The quota of 优秀 (20% of 18 = 3 units) is applied over the cohort, not per partition.
    assert (got["grade"] == "优秀").sum() <= 3


def test_unit_index_keeps_divisions(client: Any, scheme: rectify.Scheme, units_frame: pd.DataFrame) -> None:
    frame = units_frame.set_index("unit").sort_index()
    ddf = dd.from_pandas(frame, npartitions=4)
    res = rectify.dask.score(ddf, scheme, nodes=False, progress=False)
    assert res.divisions == ddf.divisions
    assert res.npartitions == 4
    same(res.compute(), scheme.score(ddf.compute(), nodes=False).to_frame())


def test_derived_weights_and_quotas_equal_single_process(client: Any, units_frame: pd.DataFrame) -> None:
    scheme = rectify.Scheme.from_json(cohort_dict())
    assert scheme.is_valid, scheme.validate()
    single = scheme.score(units_frame)
    groups = single.weight_groups
    assert list(groups["method"]) == ["critic", "entropy"]  # pre-order: 队伍建设 comes first
    # The weights differ from equal ones (so partition-local weights would give other numbers).
    w = single.weights
    assert not np.allclose(w.loc[["conduct.satisfaction", "conduct.complaints"], "weight"], 0.5)
    for n in (2, 5):
        ddf = dd.from_pandas(units_frame, npartitions=n, sort=False)
        same(rectify.dask.score(ddf, scheme, progress=False).compute(), scheme.score(ddf.compute()).to_frame())


def test_partition_local_scoring_would_differ(units_frame: pd.DataFrame) -> None:
    """The global pass matters: scoring partitions on their own gives other numbers."""
    scheme = rectify.Scheme.from_json(cohort_dict())
    whole = scheme.score(units_frame).to_frame()
    halves = pd.concat([scheme.score(units_frame.iloc[:9]).to_frame(), scheme.score(units_frame.iloc[9:]).to_frame()])
    assert not whole["score"].equals(halves["score"])
    assert not whole["rank"].equals(halves["rank"])


# -- errors ---------------------------------------------------------------------------------


def test_missing_input_is_the_single_process_error(client: Any, mini: rectify.Scheme) -> None:
    frame = pd.DataFrame(
        {"x": [1.0, np.nan, 3, 4, np.nan, 6], "n": [0.0, 1, 2, 0, 0, 1]},
        index=pd.Index([f"u{i}" for i in range(6)], name="unit"),
    )
    with pytest.raises(rectify.DataError) as single:
        mini.score(frame)
    with pytest.raises(rectify.DataError) as dist:
        rectify.dask.score(dd.from_pandas(frame, npartitions=3), mini, progress=False)
    assert str(dist.value) == str(single.value)
    assert dist.value.code == "rectify.data.missing"
    assert "\"u1\"" in str(dist.value) and "\"u4\"" in str(dist.value)


def test_bad_cells_and_bad_values_name_units(client: Any, mini: rectify.Scheme) -> None:
    frame = pd.DataFrame(
        {"x": ["1", "2", "abc", "4", "5", "?"], "n": [0.0, 1, 2, 0, 0, 1]},
        index=pd.Index([f"u{i}" for i in range(6)], name="unit"),
    )
    with pytest.raises(rectify.DataError) as single:
        mini.score(frame)
    with pytest.raises(rectify.DataError) as dist:
        rectify.dask.score(dd.from_pandas(frame, npartitions=3), mini, progress=False)
    assert str(dist.value) == str(single.value)
    assert dist.value.code == "rectify.data.bad_cell"
    # A negative count, found by the C++ scorer in two partitions.
    frame = pd.DataFrame({"x": [1.0] * 6, "n": [0.0, -1, 0, 0, -2, 0]}, index=pd.Index([f"u{i}" for i in range(6)]))
    with pytest.raises(rectify.DataError) as dist:
        rectify.dask.score(dd.from_pandas(frame, npartitions=3), mini, progress=False)
    assert [p.code for p in dist.value.problems] == ["rectify.data.negative_count"] * 2
    assert "\"u1\"" in str(dist.value) and "\"u4\"" in str(dist.value)


def test_more_than_twenty_problems_are_counted_over_partitions(client: Any, mini: rectify.Scheme) -> None:
    frame = pd.DataFrame({"x": [np.nan] * 50, "n": [0.0] * 50}, index=pd.Index([f"u{i:02d}" for i in range(50)]))
    with pytest.raises(rectify.DataError) as dist:
        rectify.dask.score(dd.from_pandas(frame, npartitions=4), mini, progress=False)
    problems = dist.value.problems
    assert len(problems) == 21
    assert problems[-1].code == "rectify.data.more"
    assert problems[-1].message == "... and 30 more problems of the same kinds"


def test_missing_policies_zero_and_reweight(client: Any, mini_dict: Dict[str, Any]) -> None:
    frame = pd.DataFrame(
        {"x": [1.0, np.nan, 3, 4, np.nan, 6, 10, 2], "n": [0.0, 1, np.nan, 0, 0, 1, 9, 3]},
        index=pd.Index([f"u{i}" for i in range(8)], name="unit"),
    )
    for policy in ("zero", "reweight"):
        s = rectify.Scheme.from_json({**mini_dict, "missing": policy})
        ddf = dd.from_pandas(frame, npartitions=3)
        same(rectify.dask.score(ddf, s, progress=False).compute(), s.score(ddf.compute()).to_frame())


def test_duplicate_units_across_partitions(client: Any, mini: rectify.Scheme) -> None:
    frame = pd.DataFrame({"unit": ["a", "b", "c", "a", "d", "b"], "x": [1.0] * 6, "n": [0.0] * 6})
    with pytest.raises(rectify.DataError) as single:
        mini.score(frame)
    ddf = dd.from_pandas(frame, npartitions=3, sort=False)
    assert ddf.npartitions == 3
    with pytest.raises(rectify.DataError) as dist:
        rectify.dask.score(ddf, mini, progress=False)
    assert str(dist.value) == str(single.value)
    assert "unit \"a\" appears twice (positions 0 and 3)" in str(dist.value)


def test_empty_frame_and_invalid_scheme(client: Any, mini: rectify.Scheme, mini_dict: Dict[str, Any]) -> None:
    empty = pd.DataFrame({"x": pd.Series([], dtype=float), "n": pd.Series([], dtype=float)},
                         index=pd.Index([], dtype=object, name="unit"))
    with pytest.raises(rectify.DataError) as err:
        rectify.dask.score(dd.from_pandas(empty, npartitions=1), mini, progress=False)
    assert err.value.code == "rectify.data.empty"
    bad = rectify.Scheme.from_json({**mini_dict, "grades": []})
    frame = pd.DataFrame({"x": [1.0], "n": [0.0]}, index=pd.Index(["u"], name="unit"))
    with pytest.raises(rectify.SchemeError):
        rectify.dask.score(dd.from_pandas(frame, npartitions=1), bad, progress=False)
    with pytest.raises(TypeError, match="dask DataFrame"):
        rectify.dask.score(frame, mini)  # type: ignore[arg-type]


def test_cohort_too_small_is_the_single_process_error(client: Any) -> None:
    scheme = rectify.Scheme.from_json(cohort_dict())
    one = pd.DataFrame({"satisfaction_index": [80.0, np.nan, np.nan], "complaints": [1.0, 2, 3]},
                       index=pd.Index(["a", "b", "c"], name="unit"))
    with pytest.raises(rectify.DataError) as single:
        scheme.score(one)
    with pytest.raises(rectify.DataError) as dist:
        rectify.dask.score(dd.from_pandas(one, npartitions=2), scheme, progress=False)
    assert str(dist.value) == str(single.value)


def test_progress_bar_counts_partitions(client: Any, scheme: rectify.Scheme, units_frame: pd.DataFrame,
                                        monkeypatch: Any) -> None:
    import rectify._progress

    made: List[Dict[str, Any]] = []
    real = rectify._progress.bar

    def recording(total: Any, desc: str, progress: Any, unit: str = "it") -> Any:
        bar = real(total, desc, False, unit)
        made.append({"total": total, "desc": desc, "progress": progress, "unit": unit, "bar": bar})
        return bar

    monkeypatch.setattr(rectify._progress, "bar", recording)
    ddf = dd.from_pandas(units_frame, npartitions=3, sort=False)
    rectify.dask.score(ddf, scheme, progress=True)
    rectify.dask.score(ddf, rectify.Scheme.from_json(cohort_dict()), progress=None)
    # One bar over the partitions of each pass that reads them (two with cohort weights).
    assert [(m["total"], m["progress"], m["unit"]) for m in made] == [(3, True, "partition"), (6, None, "partition")]
    assert [m["bar"].n for m in made] == [3, 6]


# -- a million units ------------------------------------------------------------------------

N_UNITS = 1_000_000
N_PARTS = 8


def generate(k: int) -> pd.DataFrame:
    """Partition k of the generated cohort: realistic values for every input of the sample
    scheme (rates in [0, 1], 0/1 checks, small counts, expert points within range), about 1% of
    each rate missing (the sample's policy is "reweight"), and a few serious violations (veto)."""
    rng = np.random.default_rng([20261130, k])
    size = N_UNITS // N_PARTS
    start = k * size

    # A latent quality per unit drives every input, as in a real bureau where a well-run unit
    # does well across the board; it puts about a quarter of the units in the top band, so
    # the 20% quota of 优秀 binds.
    quality = rng.beta(6.0, 1.5, size)

    def noisy() -> np.ndarray:
        return np.clip(quality + rng.normal(0.0, 0.06, size), 0.0, 1.0)

    def rate(lo: float, hi: float = 1.0) -> np.ndarray:
        x = lo + (hi - lo) * noisy()
        x[rng.random(size) < 0.01] = np.nan
        return x

    def check(p: float) -> np.ndarray:
        return (rng.random(size) < p * (0.5 + 0.5 * quality)).astype(np.float64)

    def count(lam: float) -> np.ndarray:
        return rng.poisson(lam * 2.0 * (1.0 - quality) + 1e-9, size).astype(np.float64)

    cols = {
        "meeting_plan_made": check(0.95),
        "meetings_met_ratio": rate(0.5),
        "attendance_rate": rate(0.6),
        "records_incomplete": count(1.5),
        "archive_irregular": count(0.5),
        "study_attendance_rate": rate(0.6),
        "study_sessions": np.round(16 * noisy()),
        "expert_rating_integration": np.round(4 * noisy(), 1),
        "materials_reviewed_rate": rate(0.6),
        "copied_documents": count(0.3),
        "falsified_reports": count(0.05),
        "report_error_rate": rate(0.15, 0.0),
        "activities_held": np.round(8 * noisy()),
        "participation_rate": rate(0.4),
        "expert_rating_publicity": np.round(4 * noisy(), 1),
        "risk_controlled_ratio": rate(0.6),
        "risk_high_reviewed_ratio": rate(0.4),
        "warning_sessions": np.round(5 * noisy()),
        "key_post_checks_done": check(0.9),
        "rect_overdue": count(0.8),
        "training_hours_per_person": np.round(48 * noisy(), 1),
        "performance_linked_pay": check(0.85),
        "satisfaction_index": np.round(55 + 44 * noisy(), 1),
        "complaints": count(1.2),
        "rect_completion_rate": rate(0.3),
        "rect_on_time_rate": rate(0.3),
        "rect_returned": count(0.7),
        "commendations": count(0.3),
        "volunteer_models": count(0.2),
        "articles_published": count(1.0),
        "criticisms": count(0.05),
        "safety_accidents": count(0.01),
        "serious_violations": (rng.random(size) < 0.001).astype(np.float64),
    }
    index = pd.Index([f"u{i:07d}" for i in range(start, start + size)], name="unit")
    return pd.DataFrame(cols, index=index)


@pytest.mark.unsanitized("a million units on a Dask cluster: size only; the partition tests run the same code")
@pytest.mark.parametrize("cohort", [False, True], ids=["sample", "entropy+critic"])
def test_a_million_units(client: Any, scheme: rectify.Scheme, cohort: bool) -> None:
    s = rectify.Scheme.from_json(cohort_dict()) if cohort else scheme
    assert sorted(generate(0).columns) == sorted(s.inputs)
    ddf = dd.from_map(generate, range(N_PARTS))
    t0 = time.perf_counter()
    res = rectify.dask.score(ddf, s, progress=False)
    got_parts: List[pd.DataFrame] = [res.get_partition(k).compute() for k in range(N_PARTS)]
    t1 = time.perf_counter()
    frame = pd.concat([generate(k) for k in range(N_PARTS)])
    want = s.score(frame).to_frame()
    t2 = time.perf_counter()
    print(f"\n1M units ({'cohort weights' if cohort else 'sample scheme'}): dask {t1 - t0:.1f} s, in process {t2 - t1:.1f} s")
    assert len(want) == N_UNITS
    size = N_UNITS // N_PARTS
    for k, got in enumerate(got_parts):
        # Dask keeps string ids as pd.StringDtype; the frame built here has pandas' str dtype.
        part = want.iloc[k * size : (k + 1) * size]
        same(got, part.set_axis(part.index.astype(got.index.dtype)))
    # The data exercise what the global pass is for.
    moved = want["grade"] != want["band"]
    vetoed = frame["serious_violations"].to_numpy() > 0
    assert (moved & vetoed).any() and (moved & ~vetoed).any()  # vetoes and quotas moved units
    assert want["rank"].duplicated().any()  # ties
    assert np.isnan(want["org_life.meetings"]).any()  # dropped leaves ("reweight")
