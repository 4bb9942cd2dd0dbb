"""rectify.plot: every figure on the sample data, drawn and saved with warnings as errors (so a
missing Chinese glyph fails), and what it shows checked against numbers computed here."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any, Callable, Dict, List

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import imread  # noqa: E402

import rectify  # noqa: E402
import rectify.plot as rp  # noqa: E402
from conftest import AS_OF, BRANCHES_CSV, LEDGER_JSON, MEETINGS_CSV, PERIOD, SCHEME_JSON  # noqa: E402


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def result(scheme: rectify.Scheme, units_frame: pd.DataFrame) -> rectify.Result:
    return scheme.score(units_frame.set_index("unit"))


@pytest.fixture(scope="module")
def ledger() -> rectify.Ledger:
    return rectify.Ledger.load(LEDGER_JSON)


@pytest.fixture(scope="module")
def meetings() -> Any:
    return rectify.compliance.meetings(str(MEETINGS_CSV), *PERIOD, branches=str(BRANCHES_CSV))


@pytest.fixture
def smaa(result: rectify.Result) -> Any:
    X = result.nodes[["org_life", "study", "authenticity", "integrity"]].iloc[:6]
    return rectify.mcda.smaa(X, ["max"] * 4, samples=2000, seed=3, progress=False)


@pytest.fixture
def long_frame() -> pd.DataFrame:
    """A PeriodResults.to_frame()-shaped frame built by hand, Chinese unit ids included."""
    rows = [
        ("2024", "城关", 80.0, "良好", 2),
        ("2024", "河北", 85.0, "良好", 1),
        ("2024", "sec3", 60.0, "合格", 3),
        ("2025", "城关", 92.0, "优秀", 1),
        ("2025", "河北", 84.0, "良好", 2),
        ("2025", "sec3", 70.0, "合格", 3),
        ("2026", "城关", 90.0, "优秀", 1),
        ("2026", "sec3", 88.0, "良好", 2),
    ]
    frame = pd.DataFrame(rows, columns=["period", "unit", "score", "grade", "rank"]).set_index(["period", "unit"])
    return frame


def draw(tmp_path: Path, name: str, make: Callable[[], Figure]) -> Figure:
    """Makes and saves a figure (PNG and SVG) with every warning an error: a glyph missing from
    the fonts is a UserWarning at draw time."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = make()
        assert isinstance(fig, Figure)
        fig.savefig(tmp_path / f"{name}.png", dpi=60)
        fig.savefig(tmp_path / f"{name}.svg")
    pixels = imread(tmp_path / f"{name}.png")
    assert pixels.std() > 0.05, f"{name}.png is blank"
    assert (tmp_path / f"{name}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    return fig


def texts(fig: Figure) -> List[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


# -- fonts ----------------------------------------------------------------------------------


def test_fonts_are_a_family_list_with_a_cjk_fallback() -> None:
    from matplotlib import font_manager

    family = matplotlib.rcParams["font.family"]
    assert isinstance(family, list) and family[0] == "DejaVu Sans"
    known = {f.name for f in font_manager.fontManager.ttflist}
    assert set(family) <= known
    assert {"Noto Sans CJK SC", "WenQuanYi Micro Hei"} & set(family)
    assert rp.setup_fonts() == family  # a second call changes nothing


def test_setup_fonts_warns_once_without_a_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    from rectify import _plotting

    monkeypatch.setattr(_plotting, "available_families", lambda: ["DejaVu Sans"])
    monkeypatch.setattr(_plotting, "_warned", False)
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        with pytest.warns(UserWarning, match="apt-get install fonts-noto-cjk"):
            assert rp.setup_fonts() == ["DejaVu Sans"]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            rp.setup_fonts()


def test_setup_fonts_keeps_a_users_family(monkeypatch: pytest.MonkeyPatch) -> None:
    with matplotlib.rc_context({"font.family": ["DejaVu Serif"]}):
        family = rp.setup_fonts()
        assert family[0] == "DejaVu Serif" and len(family) > 1


def test_without_cjk_fonts_chinese_text_warns(tmp_path: Path) -> None:
    # The guard of every test below: drawing hanzi with DejaVu alone does raise.
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig = Figure()
        fig.subplots().set_title("得分排名")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(UserWarning, match="missing from font"):
                fig.savefig(tmp_path / "x.png")


def test_grade_colors_best_green_worst_red() -> None:
    colors = rp.grade_colors(["优秀", "良好", "合格", "不合格"])
    assert list(colors) == ["优秀", "良好", "合格", "不合格"] and len(set(colors.values())) == 4
    r, g, _ = matplotlib.colors.to_rgb(colors["优秀"])
    assert g > r
    r, g, _ = matplotlib.colors.to_rgb(colors["不合格"])
    assert r > g
    assert len(set(rp.grade_colors([str(k) for k in range(9)]).values())) == 9


# -- scores ---------------------------------------------------------------------------------


def test_ranking(tmp_path: Path, result: rectify.Result, units_frame: pd.DataFrame) -> None:
    fig = draw(tmp_path, "ranking", lambda: rp.ranking(result))
    ax = fig.axes[0]
    bars = list(ax.patches)
    assert len(bars) == len(units_frame)
    widths = [b.get_width() for b in bars]
    assert widths == sorted(widths, reverse=True)  # rank order, best first
    frame = units_frame.set_index("unit")
    colors = rp.grade_colors(["优秀", "良好", "合格", "不合格"])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    for bar, label in zip(bars, labels):
        unit = label.split(". ", 1)[1]
        assert bar.get_width() == pytest.approx(float(result.scores[unit]))
        assert to_hex(bar.get_facecolor()) == colors[str(result.grades[unit])]
        vetoed = frame.at[unit, "serious_violations"] > 0  # the scheme's only veto
        assert bool(bar.get_hatch()) == vetoed
    assert "一票否决" in texts(fig)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert [s.split("(")[0] for s in legend] == ["优秀", "良好", "合格", "不合格", "一票否决"]

    top = draw(tmp_path, "ranking_top", lambda: rp.ranking(result, top=5, lang="en"))
    assert len(top.axes[0].patches) == 5
    with pytest.raises(ValueError, match="top"):
        rp.ranking(result, top=0)


def _area_points() -> Dict[str, float]:
    doc = json.loads(SCHEME_JSON.read_text(encoding="utf-8"))
    return {a["id"]: float(a["points"]) for a in doc["indicators"]}


def test_radar(tmp_path: Path, result: rectify.Result) -> None:
    units = ["sec1_chengguan", "wa_songzhuang", "center_emergency"]
    fig = draw(tmp_path, "radar", lambda: rp.radar(result, units))
    ax = fig.axes[0]
    assert ax.name == "polar"
    points = _area_points()
    lines = ax.get_lines()
    assert len(lines) == 3
    for line, unit in zip(lines, units):
        y = np.asarray(line.get_ydata(), dtype=float)
        expected = [result.nodes.at[unit, a] / p * 100 for a, p in points.items()]
        np.testing.assert_allclose(y[:-1], expected)
        assert y[-1] == y[0]  # the polygon is closed
    assert "政治理论学习" in texts(fig)
    draw(tmp_path, "radar_one", lambda: rp.radar(result, "wa_baima", lang="en"))

    with pytest.raises(ValueError, match="polar"):
        rp.radar(result, "wa_baima", ax=Figure().subplots())
    with pytest.raises(KeyError, match="nowhere"):
        rp.radar(result, ["wa_baima", "nowhere"])


@pytest.mark.parametrize("unit", ["wa_gaoping", "wa_qingshan", "sec4_nanhu", "center_emergency"])
def test_waterfall(tmp_path: Path, result: rectify.Result, units_frame: pd.DataFrame, unit: str) -> None:
    fig = draw(tmp_path, f"waterfall_{unit}", lambda: rp.waterfall(result, unit))
    bars = fig.axes[0].patches
    total = json.loads(SCHEME_JSON.read_text(encoding="utf-8"))["total"]
    assert bars[0].get_x() == 0 and bars[0].get_width() == pytest.approx(total)
    assert bars[-1].get_x() == 0 and bars[-1].get_width() == pytest.approx(float(result.scores[unit]))
    # every floating bar starts where the one before ended (the running total)
    labels = [t.get_text().replace("\n", "") for t in fig.axes[0].get_yticklabels()]
    running = float(total)
    for bar, label in zip(bars[1:-1], labels[1:-1]):
        lo, hi = bar.get_x(), bar.get_x() + bar.get_width()
        if label == "基础分":
            running = hi
            continue
        assert running == pytest.approx(hi) or running == pytest.approx(lo)
        running = lo if running == pytest.approx(hi) else hi
    assert running == pytest.approx(float(result.scores[unit]))
    explained = result.explain(unit)
    if len(explained[explained["node"].isin(result.node_ids)]) <= 15:
        assert len(bars) >= len(explained) + 2
    else:
        assert any(re.search(r"\(\d+项\)$", s) for s in labels)
    penalties = units_frame.set_index("unit").loc[unit, ["criticisms", "safety_accidents"]].fillna(0)
    assert ("基础分" in labels) == bool(result.to_frame().at[unit, "bonus"] or penalties.sum())
    with pytest.raises(KeyError):
        rp.waterfall(result, "nowhere")


# -- the ledger -----------------------------------------------------------------------------


def _due_dates() -> List[np.datetime64]:
    doc = json.loads(LEDGER_JSON.read_text(encoding="utf-8"))
    return [np.datetime64(m["due"]) for p in doc["problems"] for m in p["measures"]]


def test_burndown(tmp_path: Path, ledger: rectify.Ledger) -> None:
    fig = draw(tmp_path, "burndown", lambda: rp.burndown(ledger, "2026-01-01", AS_OF))
    ideal, open_, overdue = fig.axes[0].get_lines()
    tl = ledger.timeline("2026-01-01", AS_OF)
    np.testing.assert_array_equal(open_.get_ydata(), (tl["total"] - tl["closed"]).to_numpy())
    np.testing.assert_array_equal(overdue.get_ydata(), tl["overdue"].to_numpy())
    due = _due_dates()
    days = tl.index.to_numpy(dtype="datetime64[D]")
    expected = [len(due) - sum(d <= day for d in due) for day in days]
    np.testing.assert_array_equal(ideal.get_ydata(), expected)
    assert {"未销号措施", "逾期措施", "按期应剩"} <= set(texts(fig))


def test_states(tmp_path: Path, ledger: rectify.Ledger) -> None:
    fig = draw(tmp_path, "states", lambda: rp.states(ledger, "2026-01-01", AS_OF))
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["未启动", "整改中", "待验收", "已验收", "已销号"]
    assert len(ax.collections) == 5
    # the top of the stack is every measure, every day
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == len(_due_dates())
    draw(tmp_path, "states_en", lambda: rp.states(ledger, "2026-03-01", "2026-06-30", lang="en"))


def test_overdue_heatmap(tmp_path: Path, ledger: rectify.Ledger) -> None:
    fig = draw(tmp_path, "heatmap", lambda: rp.overdue_heatmap(ledger, AS_OF))
    ax = fig.axes[0]
    od = ledger.overdue(AS_OF)
    expected = pd.crosstab(od["unit"], od["area"])
    shown = np.asarray(ax.images[0].get_array())
    rows = [t.get_text() for t in ax.get_yticklabels()]
    areas = [a["id"] for a in json.loads(LEDGER_JSON.read_text(encoding="utf-8"))["areas"]]
    assert sorted(rows) == sorted(expected.index)
    assert shown.shape == (len(rows), len(areas))
    assert shown.sum() == len(od)
    for i, unit in enumerate(rows):
        for j, area in enumerate(areas):
            want = expected.at[unit, area] if area in expected.columns else 0
            assert shown[i, j] == want, (unit, area)
    totals = shown.sum(axis=1)
    assert list(totals) == sorted(totals, reverse=True)
    numbers = [int(t.get_text()) for t in ax.texts]
    assert sum(numbers) == len(od)

    empty = draw(tmp_path, "heatmap_empty", lambda: rp.overdue_heatmap(ledger, "2026-01-15"))
    assert "无逾期整改措施" in texts(empty)


# -- robustness and compliance --------------------------------------------------------------


def test_acceptability(tmp_path: Path, smaa: Any) -> None:
    fig = draw(tmp_path, "acceptability", lambda: rp.acceptability(smaa))
    ax = fig.axes[0]
    shown = np.asarray(ax.images[0].get_array())
    rows = [t.get_text() for t in ax.get_yticklabels()]
    acc = smaa.acceptability
    np.testing.assert_allclose(shown, acc.loc[rows].to_numpy() * 100)
    np.testing.assert_allclose(shown.sum(axis=1), 100)
    holistic = smaa.holistic.loc[rows].to_numpy()
    assert list(holistic) == sorted(holistic, reverse=True)
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(k) for k in range(1, len(acc) + 1)]


def _missed_by_month(meetings: Any) -> Dict[tuple, int]:
    counts: Dict[tuple, int] = {}
    f = meetings.findings
    for branch, slot in zip(f.loc[f["kind"] == "missed", "branch"], f.loc[f["kind"] == "missed", "slot"]):
        if "-Q" in slot:
            year, q = slot.split("-Q")
            month = f"{year}-{int(q) * 3:02d}"
        elif len(slot) == 4:
            month = f"{slot}-12"
        else:
            month = slot
        counts[(branch, month)] = counts.get((branch, month), 0) + 1
    return counts


def test_meeting_calendar(tmp_path: Path, meetings: Any) -> None:
    fig = draw(tmp_path, "calendar", lambda: rp.meeting_calendar(meetings))
    ax = fig.axes[0]
    shown = ax.images[0].get_array()
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows == list(pd.read_csv(BRANCHES_CSV)["branch"].drop_duplicates())
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{m}月" for m in range(1, 13)]
    counts = _missed_by_month(meetings)
    for i, branch in enumerate(rows):
        for j in range(12):
            month = f"2026-{j + 1:02d}"
            if j == 11:  # December is outside 2026-01..2026-11: blank
                assert np.ma.is_masked(shown[i, j])
            else:
                assert shown[i, j] == counts.get((branch, month), 0), (branch, month)
    # by hand from examples/data/meetings.csv: center_emergency held nothing; in March it owed
    # a committee, two group meetings, a theme day and the Q1 general meeting and lecture.
    assert shown[rows.index("center_emergency"), 2] == 6
    assert shown[rows.index("sec4_nanhu"), 8] == 2  # group 2 in September and the Q3 lecture
    assert shown[rows.index("sec1_chengguan")].sum() == 0
    annotated = sum(int(t.get_text()) for t in ax.texts)
    assert annotated == int((meetings.findings["kind"] == "missed").sum())


# -- periods --------------------------------------------------------------------------------


class _Periods:
    """Stands in for rectify.PeriodResults (its to_frame() and periods)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self.periods = ["2024", "2025", "2026"]

    def to_frame(self) -> pd.DataFrame:
        return self._frame


def test_trend(tmp_path: Path, long_frame: pd.DataFrame) -> None:
    fig = draw(tmp_path, "trend", lambda: rp.trend(long_frame))
    ax = fig.axes[0]
    lines = {line.get_label(): np.asarray(line.get_ydata(), dtype=float) for line in ax.get_lines()}
    assert set(lines) == {"城关", "河北", "sec3"}
    np.testing.assert_array_equal(lines["城关"], [80, 92, 90])
    np.testing.assert_array_equal(lines["河北"][:2], [85, 84])
    assert np.isnan(lines["河北"][2])  # not scored in 2026
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024", "2025", "2026"]

    fig = draw(tmp_path, "trend_rank", lambda: rp.trend(_Periods(long_frame), ["城关", "sec3"], value="rank"))
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 2
    low, high = ax.get_ylim()
    assert low > high and high < 1 < low  # rank 1 at the top
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), [3, 3, 2])

    flat = long_frame.reset_index()
    draw(tmp_path, "trend_flat", lambda: rp.trend(flat, lang="en"))
    with pytest.raises(ValueError, match="grade"):
        rp.trend(long_frame, value="grade")
    with pytest.raises(KeyError, match="无此"):
        rp.trend(long_frame, ["无此"])
    with pytest.raises(TypeError):
        rp.trend([1, 2, 3])


# -- Chinese ids, ax=, languages ------------------------------------------------------------

CHINESE_SCHEME: Dict[str, Any] = {
    "format": "rectify.scheme/1",
    "id": "中文方案",
    "name": "中文单位方案",
    "missing": "error",
    "indicators": [
        {"id": "甲", "name": "组织建设", "points": 40, "input": "x", "rule": {"type": "linear", "worst": 0, "best": 10}},
        {"id": "乙", "name": "学习教育", "points": 30, "input": "y", "rule": {"type": "linear", "worst": 0, "best": 10}},
        {"id": "丙", "name": "作风纪律", "points": 30, "deductions": [{"input": "n", "per": 5, "cap": 30, "name": "问题"}]},
    ],
    "penalties": [{"id": "通报", "name": "通报批评", "input": "p", "per": 2}],
    "grades": [{"name": "好", "min": 80}, {"name": "中", "min": 60}, {"name": "差"}],
}


def test_chinese_unit_ids(tmp_path: Path) -> None:
    scheme = rectify.Scheme.from_json(CHINESE_SCHEME)
    data = pd.DataFrame(
        {"x": [10, 6, 2], "y": [9, 7, 3], "n": [0, 2, 5], "p": [0, 1, 0]},
        index=pd.Index(["城关养护站", "河北养护站", "西山养护站"], name="unit"),
    )
    result = scheme.score(data)
    fig = draw(tmp_path, "zh_ranking", lambda: rp.ranking(result))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["1. 城关养护站", "2. 河北养护站", "3. 西山养护站"]
    draw(tmp_path, "zh_radar", lambda: rp.radar(result, list(result.units)))
    fig = draw(tmp_path, "zh_waterfall", lambda: rp.waterfall(result, "河北养护站"))
    assert fig.axes[0].patches[-1].get_width() == pytest.approx(float(result.scores["河北养护站"]))
    assert "通报批评" in texts(fig)


def test_into_given_axes(tmp_path: Path, result: rectify.Result, ledger: rectify.Ledger, meetings: Any,
                         smaa: Any, long_frame: pd.DataFrame) -> None:
    fig = Figure(figsize=(16, 12))
    grid = fig.subplots(3, 3).ravel()
    polar = fig.add_subplot(4, 4, 16, projection="polar")
    calls = [
        lambda ax: rp.ranking(result, ax=ax, top=6),
        lambda ax: rp.waterfall(result, "wa_baima", ax=ax),
        lambda ax: rp.burndown(ledger, "2026-03-01", AS_OF, ax=ax),
        lambda ax: rp.states(ledger, "2026-03-01", AS_OF, ax=ax),
        lambda ax: rp.overdue_heatmap(ledger, AS_OF, ax=ax),
        lambda ax: rp.acceptability(smaa, ax=ax),
        lambda ax: rp.meeting_calendar(meetings, ax=ax),
        lambda ax: rp.trend(long_frame, ax=ax),
    ]
    for ax, call in zip(grid, calls):
        assert call(ax) is fig
        assert ax.has_data() or ax.images
    assert rp.radar(result, ["wa_baima"], ax=polar) is fig
    sub = Figure().subfigures(1, 2)[1]
    assert rp.ranking(result, ax=sub.subplots()) is sub.figure
    draw(tmp_path, "grid", lambda: fig)


def test_bad_arguments(result: rectify.Result, ledger: rectify.Ledger) -> None:
    with pytest.raises(ValueError, match="lang"):
        rp.ranking(result, lang="fr")
    with pytest.raises(TypeError, match="Axes"):
        rp.ranking(result, ax="left")  # type: ignore[arg-type]
    with pytest.raises(rectify.LedgerError):
        rp.burndown(ledger, AS_OF, "2026-01-01")


def test_figures_are_not_kept_by_pyplot(result: rectify.Result) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for _ in range(3):
        rp.ranking(result)
    assert plt.get_fignums() == before


def test_shows_once_inline_in_jupyter(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    code = (
        "import pandas as pd, rectify, rectify.plot\n"
        f"scheme = rectify.Scheme.from_json({json.dumps(CHINESE_SCHEME, ensure_ascii=False)!r})\n"
        "data = pd.DataFrame({'x': [10, 6], 'y': [9, 7], 'n': [0, 2], 'p': [0, 1]},"
        " index=pd.Index(['城关', '河北'], name='unit'))\n"
        "rectify.plot.ranking(scheme.score(data))"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1, outputs
