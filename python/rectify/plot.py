"""Plots of scores, ledgers, compliance and robustness, with Chinese labels that render out of
the box (docs/workbench.md).

>>> import rectify.plot
>>> rectify.plot.ranking(result)                    # bars in rank order, coloured by grade
>>> rectify.plot.waterfall(result, "wa_songzhuang")  # where one unit's points went
>>> fig = rectify.plot.burndown(ledger, "2026-01-01", "2026-11-30")
>>> fig.savefig("burndown.png", dpi=150)

Every function returns a matplotlib :class:`~matplotlib.figure.Figure`. Given ``ax=``, it draws
into that Axes and returns its figure; otherwise it makes a new Figure (not one of pyplot's, so
nothing accumulates in loops; in Jupyter the returned figure shows once, inline). Labels are in
Chinese (``lang="zh"``) or English (``lang="en"``); unit ids are shown as they are.

Importing this module calls :func:`setup_fonts`, which changes ``matplotlib.rcParams
["font.family"]`` to a list ending in the installed Chinese fonts. To undo it, set the entry
back (``matplotlib.rcParams["font.family"] = ["sans-serif"]``, or ``matplotlib.rcdefaults()``);
to choose other fonts, set it after the import, keeping a CJK family in the list.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Dict, Hashable, List, Optional, Sequence, Tuple, Union

try:
    import matplotlib
except ImportError as exc:  # pragma: no cover - only without the extra
    raise ImportError("rectify.plot needs matplotlib: pip install 'rectify[plot]'") from exc

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, MaxNLocator

from . import _progress
from ._plotting import (
    STATE_COLORS,
    STATE_NAMES,
    axes,
    check_lang,
    grade_colors,
    setup_fonts,
    word,
    wrap,
)

if TYPE_CHECKING:
    from ._ledger import Ledger
    from ._result import Result
    from .compliance import MeetingsResult
    from .mcda._robust import SMAAResult

__all__ = [
    "acceptability",
    "burndown",
    "calendar_counts",
    "grade_colors",
    "meeting_calendar",
    "overdue_heatmap",
    "radar",
    "ranking",
    "setup_fonts",
    "states",
    "trend",
    "waterfall",
]

DateLike = Any  # what Ledger accepts: date, datetime, Timestamp, datetime64 or "YYYY-MM-DD"

_DATES: Any = mdates  # matplotlib.dates has no type hints
_GRID = "#d9d9d9"
_TEXT_DARK = "#222222"


# -- small helpers ----------------------------------------------------------------------------


def _units_list(units: Any) -> List[Hashable]:
    if isinstance(units, (str, bytes)) or not isinstance(units, (list, tuple, pd.Index, pd.Series, np.ndarray)):
        return [units]
    out = list(units)
    if not out:
        raise ValueError("units is empty: give a unit id or a list of them")
    return out


def _check_units(result: "Result", units: Sequence[Hashable]) -> None:
    known = set(result.units)
    for u in units:
        if u not in known:
            raise KeyError(f"no unit {u!r} in this result")


def _top_level(result: "Result") -> pd.DataFrame:
    """The scheme's top-level nodes (its areas) with ``name`` and ``points`` (the cohort's
    derived points where weights are derived)."""
    nodes = result.scheme.nodes
    parent = nodes["parent"]
    top = nodes[parent.isna() | (parent.astype(str) == "")][["name", "points"]].copy()
    derived = result.weights
    for node in top.index:
        if node in derived.index:
            points: Any = derived.at[node, "points"]
            if not math.isnan(float(points)):
                top.at[node, "points"] = float(points)
    return top


def _area_of(result: "Result") -> Dict[str, str]:
    """Node id → id of its top-level ancestor."""
    parent = result.scheme.nodes["parent"]
    out: Dict[str, str] = {}
    for node in parent.index:
        cur = str(node)
        seen = 0
        while isinstance(parent.get(cur), str) and parent.get(cur) and seen < len(parent):
            cur = str(parent[cur])
            seen += 1
        out[str(node)] = cur
    return out


def _label_color(value: float, vmax: float) -> str:
    """White text on dark cells, dark text on light ones."""
    return "white" if vmax > 0 and value > 0.6 * vmax else _TEXT_DARK


def _zh_month(text: str) -> str:
    """``3月`` rather than ``03月`` (``%-m`` is not portable)."""
    return re.sub(r"(?<![0-9])0([1-9][月日])", r"\1", text)


class _ZhDateFormatter(Formatter):
    """matplotlib's ConciseDateFormatter with Chinese formats (年, 月, 日)."""

    def __init__(self, locator: Any) -> None:
        self._inner: Any = _DATES.ConciseDateFormatter(
            locator,
            formats=["%Y年", "%m月", "%d日", "%H:%M", "%H:%M", "%S.%f"],
            zero_formats=["", "%Y年", "%m月", "%m-%d", "%H:%M", "%H:%M"],
            offset_formats=["", "%Y年", "%Y年%m月", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"],
        )

    def set_axis(self, axis: Any) -> None:
        super().set_axis(axis)
        self._inner.set_axis(axis)

    def __call__(self, x: Any, pos: Optional[int] = None) -> str:
        return _zh_month(str(self._inner(x, pos)))

    def format_ticks(self, values: Any) -> List[str]:
        return [_zh_month(str(t)) for t in self._inner.format_ticks(values)]

    def get_offset(self) -> str:
        return _zh_month(str(self._inner.get_offset()))


def _date_axis(ax: Axes, lang: str) -> None:
    locator: Any = _DATES.AutoDateLocator(minticks=3, maxticks=10)
    formatter: Formatter = _ZhDateFormatter(locator) if lang == "zh" else _DATES.ConciseDateFormatter(locator)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)


def _style(ax: Axes) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)


# -- scores -----------------------------------------------------------------------------------


def ranking(result: "Result", *, ax: Optional[Axes] = None, top: Optional[int] = None, lang: str = "zh") -> Figure:
    """Horizontal bars of the units' scores in rank order (best at the top), coloured by final
    grade (:func:`grade_colors`); the legend lists every grade of the scheme with its lower
    bound (dotted lines) and quota. Vetoed units (一票否决) are hatched and marked. ``top``
    keeps the first ``top`` units."""
    check_lang(lang)
    frame = result.to_frame()
    n_all = len(frame)
    if top is not None:
        if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
            raise ValueError(f"top must be a whole number >= 1, not {top!r}")
    order = np.lexsort((np.arange(n_all), frame["rank"].to_numpy()))
    if top is not None:
        order = order[: int(top)]
    shown = frame.iloc[order]
    vetoes = result.vetoes.iloc[order]
    names = result.grade_names
    colors = grade_colors(names)
    n = len(shown)
    fig, ax, new = axes(ax, (9.5, max(2.8, 1.3 + 0.3 * n)))

    y = np.arange(n)
    scores = shown["score"].to_numpy(dtype=np.float64)
    bar_colors = [colors[str(g)] for g in shown["grade"]]
    bars = ax.barh(y, scores, color=bar_colors, height=0.7, zorder=2)
    vetoed = [bool(len(v)) for v in vetoes]
    for bar, v in zip(bars, vetoed):
        if v:
            bar.set_hatch("///")
            bar.set_edgecolor("#3b0a0a")
            bar.set_linewidth(0.8)
    total = float(result.scheme.total)
    right = max(total, float(scores.max()) if n else total)
    xmax = right * 1.16
    for k, (s, v) in enumerate(zip(scores, vetoed)):
        text = f"{s:.2f}" + (f"  {word('veto', lang)}" if v else "")
        ax.text(s + right * 0.01, k, text, va="center", ha="left", fontsize=8, color="#8b0000" if v else _TEXT_DARK)
    ax.set_yticks(y)
    ax.set_yticklabels([f"{int(r)}. {u}" for r, u in zip(shown["rank"], shown.index)], fontsize=9)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, xmax)
    ax.set_xlabel(word("score", lang))
    ax.grid(axis="x", color=_GRID, linewidth=0.6, zorder=0)
    _style(ax)

    handles: List[Any] = []
    for name, low, quota in result.scheme._compiled.grades:
        label = str(name)
        bounds = []
        if low is not None:
            bounds.append(f"≥{low:g}")
            ax.axvline(float(low), color=colors[name], linestyle=":", linewidth=1.2, zorder=1)
        if quota is not None:
            bounds.append(f"至多{quota * 100:g}%" if lang == "zh" else f"at most {quota * 100:g}%")
        if bounds:
            label += f" ({', '.join(bounds)})" if lang == "en" else f"({','.join(bounds)})"
        handles.append(Patch(facecolor=colors[name], label=label))
    if any(vetoed):
        handles.append(Patch(facecolor="white", edgecolor="#3b0a0a", hatch="///", label=word("veto", lang)))
    ax.legend(handles=handles, title=word("grade", lang), loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              title_fontsize=8, frameon=False, alignment="left")
    title = word("ranking", lang)
    if top is not None and n < n_all:
        title += f"(前 {n} 名,共 {n_all} 个单位)" if lang == "zh" else f" (top {n} of {n_all})"
    ax.set_title(title)
    if new and result.scheme.name:
        fig.suptitle(result.scheme.name, fontsize=9, color="#555555")
    return fig


def radar(result: "Result", units: Any, *, ax: Optional[Axes] = None, lang: str = "zh") -> Figure:
    """The score of each area (a top-level node of the scheme) as a share of its points, in %,
    for one unit id or a list of them, on polar axes (``ax`` must be polar:
    ``fig.add_subplot(projection="polar")``)."""
    check_lang(lang)
    chosen = _units_list(units)
    _check_units(result, chosen)
    nodes = result.nodes
    if nodes.shape[1] == 0:
        raise ValueError("radar needs the points of every node: score with nodes=True")
    top = _top_level(result)
    areas = list(top.index)
    if len(areas) < 3:
        raise ValueError(f"radar needs at least 3 areas (top-level nodes); the scheme has {len(areas)}")
    fig, ax, new = axes(ax, (7.5, 6.8), polar=True)
    polar: Any = ax  # a PolarAxes
    full = top["points"].to_numpy(dtype=np.float64)
    theta = np.linspace(0.0, 2 * np.pi, len(areas), endpoint=False)
    closed = np.append(theta, theta[0])
    palette = matplotlib.colormaps["tab10" if len(chosen) <= 10 else "tab20"]
    scores = result.scores
    for k, u in enumerate(chosen):
        earned = nodes.loc[[u], areas].to_numpy(dtype=np.float64)[0]
        with np.errstate(invalid="ignore", divide="ignore"):
            pct = earned / full * 100.0
        ring = np.append(pct, pct[0])
        color = palette(k % palette.N)
        ax.plot(closed, ring, color=color, linewidth=1.8, marker="o", markersize=3.5,
                label=f"{u} ({float(scores.to_numpy()[result.units.get_loc(u)]):.1f})")
        ax.fill(closed, np.nan_to_num(ring), color=color, alpha=0.12 if len(chosen) > 1 else 0.22)
    polar.set_theta_offset(np.pi / 2)
    polar.set_theta_direction(-1)
    ax.set_xticks(theta)
    labels = [wrap(str(top.at[a, "name"]) if lang == "zh" else str(a), 9 if lang == "zh" else 14) for a in areas]
    ax.set_xticklabels(labels, fontsize=9)
    ax.tick_params(axis="x", pad=14)
    ax.set_ylim(0, 100)
    ax.set_yticks([20, 40, 60, 80, 100])
    ax.set_yticklabels(["20", "40", "60", "80", "100%"], fontsize=7, color="#666666")
    polar.set_rlabel_position(180 / len(areas))
    ax.grid(color=_GRID)
    title = word("radar", lang)
    if len(chosen) == 1:
        title += f" · {chosen[0]}"
    ax.set_title(title, pad=18)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=min(len(chosen), 3), fontsize=8, frameon=False)
    return fig


def _penalty_names(result: "Result") -> Dict[str, str]:
    import json

    try:
        doc = json.loads(result.scheme.text)
    except ValueError:
        return {}
    out: Dict[str, str] = {}
    for p in doc.get("penalties", []) or []:
        if isinstance(p, dict) and "id" in p:
            out[str(p["id"])] = str(p.get("name", p["id"]))
    return out


def waterfall(
    result: "Result", unit: Hashable, *, ax: Optional[Axes] = None, lang: str = "zh", max_items: int = 15
) -> Figure:
    """One unit's score as a waterfall: from the full points down through each item of
    :meth:`Result.explain` (grouped by top-level area when there are more than ``max_items``),
    the base score, the bonus and the direct penalties, to the final score (coloured by its
    grade). Items that give points back (the floor at zero) go up, in green."""
    check_lang(lang)
    _check_units(result, [unit])
    items = result.explain(unit, lang=lang)
    pos = result._position(unit)
    row: Any = result.to_frame().iloc[pos]
    node_ids = set(result.node_ids)
    nodes = result.scheme.nodes
    is_tree = items["node"].isin(node_ids)
    tree = items[is_tree]
    pens = items[~is_tree]
    total = float(result.scheme.total)

    lost: List[Tuple[str, float]] = []
    if len(tree) > max_items:
        area_of = _area_of(result)
        top = _top_level(result)
        sums = tree.groupby(tree["node"].map(area_of), sort=False)["points"].agg(["sum", "count"])
        for area in top.index:
            if area in sums.index:
                name = str(top.at[area, "name"]) if lang == "zh" else str(area)
                count_: Any = sums.at[area, "count"]
                total_: Any = sums.at[area, "sum"]
                count = int(count_)
                suffix = f"({count}{word('items', lang)})" if lang == "zh" else f" ({count}{word('items', lang)})"
                lost.append((name + suffix, float(total_)))
    else:
        for node, pts in zip(tree["node"], tree["points"]):
            name = str(nodes.at[node, "name"]) if lang == "zh" and node in nodes.index else str(node)
            lost.append((name, float(pts)))
    penalty_names = _penalty_names(result) if lang == "zh" else {}
    penalties = [(penalty_names.get(str(n), str(n)), float(p)) for n, p in zip(pens["node"], pens["points"])]
    bonus = float(row["bonus"])
    base = float(row["base"])
    score = float(row["score"])
    grade = str(row["grade"])

    # (label, start, end, kind): kind picks the colour.
    steps: List[Tuple[str, float, float, str]] = [(word("full", lang), 0.0, total, "total")]
    running = total
    for name, pts in lost:
        steps.append((name, running, running - pts, "loss" if pts >= 0 else "gain"))
        running -= pts
    if bonus or penalties:
        steps.append((word("base", lang), 0.0, base, "subtotal"))
        running = base
        if bonus:
            steps.append((word("bonus", lang), running, running + bonus, "gain"))
            running += bonus
        for name, pts in penalties:
            steps.append((name, running, running - pts, "loss" if pts >= 0 else "gain"))
            running -= pts
    steps.append((word("final", lang), 0.0, score, "final"))

    palette = {"total": "#607d8b", "subtotal": "#90a4ae", "loss": "#e53935", "gain": "#43a047",
               "final": grade_colors(result.grade_names)[grade]}
    n = len(steps)
    fig, ax, new = axes(ax, (9.0, max(3.0, 1.2 + 0.34 * n)))
    right = max(total, base + bonus, score)
    for k, (label, a, b, kind) in enumerate(steps):
        lo, width = min(a, b), abs(b - a)
        ax.barh(k, width, left=lo, color=palette[kind], height=0.66, zorder=2)
        if kind in ("loss", "gain"):
            delta = b - a
            text = f"{delta:+.2f}".replace("-", "−")
            ax.text(max(a, b) + right * 0.01, k, text, va="center", ha="left", fontsize=8,
                    color="#b71c1c" if kind == "loss" else "#1b5e20")
        else:
            text = f"{b:.2f}" + (f"  {grade}" if kind == "final" else "")
            ax.text(b + right * 0.01, k, text, va="center", ha="left", fontsize=8, color=_TEXT_DARK)
        if k + 1 < n:  # the connector to the next bar, at the running total
            ax.plot([b, b], [k + 0.33, k + 0.67], color="#9e9e9e", linewidth=0.7, zorder=1)
    ax.set_yticks(np.arange(n))
    ax.set_yticklabels([wrap(s[0], 16) for s in steps], fontsize=8.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, right * 1.14)
    ax.set_xlabel(word("score", lang))
    ax.grid(axis="x", color=_GRID, linewidth=0.6, zorder=0)
    _style(ax)
    ax.set_title(f"{unit} {word('waterfall', lang)}" if lang == "zh" else f"{word('waterfall', lang)}: {unit}")
    return fig


# -- the ledger -------------------------------------------------------------------------------


def burndown(ledger: "Ledger", start: DateLike, end: DateLike, *, ax: Optional[Axes] = None, lang: str = "zh") -> Figure:
    """Open measures (not closed, 未销号) per day from ``start`` to ``end`` (:meth:`Ledger.timeline`),
    against the ideal line (the measures not yet due: how many would be open if every measure
    closed on its due date) and the overdue measures."""
    check_lang(lang)
    tl = ledger.timeline(start, end)
    dates = tl.index
    open_ = (tl["total"] - tl["closed"]).to_numpy()
    due = np.sort(ledger.measures["due"].dropna().to_numpy(dtype="datetime64[s]"))
    due_by = np.searchsorted(due, dates.to_numpy(dtype="datetime64[s]"), side="right")
    ideal = tl["total"].to_numpy() - due_by
    fig, ax, new = axes(ax, (9.0, 4.6))
    ax.plot(dates, ideal, drawstyle="steps-post", color="#757575", linestyle="--", linewidth=1.4,
            label=word("ideal", lang))
    ax.plot(dates, open_, drawstyle="steps-post", color="#1e88e5", linewidth=2.2, label=word("open", lang))
    ax.plot(dates, tl["overdue"].to_numpy(), drawstyle="steps-post", color="#e53935", linewidth=1.8,
            label=word("overdue", lang))
    ax.fill_between(dates, 0, tl["overdue"].to_numpy(), step="post", color="#e53935", alpha=0.12)
    if len(dates):
        last = dates[-1]
        for values, color in ((open_, "#1e88e5"), (tl["overdue"].to_numpy(), "#e53935")):
            ax.annotate(f"{int(values[-1])}", (last, values[-1]), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=8, color=color)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(word("measures", lang))
    _date_axis(ax, lang)
    ax.grid(color=_GRID, linewidth=0.6)
    _style(ax)
    ax.legend(loc="upper right", fontsize=9)
    span = f"{dates[0]:%Y-%m-%d} {word('to', lang)} {dates[-1]:%Y-%m-%d}" if len(dates) else ""
    ax.set_title(f"{word('burndown', lang)}({span})" if lang == "zh" else f"{word('burndown', lang)} ({span})")
    return fig


#: Bottom to top: done work at the bottom, so the green grows upwards as measures close.
_STACK = ("closed", "verified", "submitted", "in_progress", "planned")


def states(ledger: "Ledger", start: DateLike, end: DateLike, *, ax: Optional[Axes] = None, lang: str = "zh") -> Figure:
    """Stacked areas of the measures in each state per day (:meth:`Ledger.timeline`):
    已销号, 已验收, 待验收, 整改中 and 未启动 (the state names of docs/ledger.md), closed at the
    bottom."""
    li = check_lang(lang)
    tl = ledger.timeline(start, end)
    fig, ax, new = axes(ax, (9.0, 4.6))
    ax.stackplot(
        tl.index,
        [tl[s].to_numpy() for s in _STACK],
        labels=[STATE_NAMES[s][li] for s in _STACK],
        colors=[STATE_COLORS[s] for s in _STACK],
        step="post",
        linewidth=0,
    )
    top = int(tl["total"].max()) if len(tl) else 0
    ax.set_ylim(0, max(top, 1) * 1.02)
    if len(tl):
        ax.set_xlim(tl.index[0], tl.index[-1])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(word("measures", lang))
    _date_axis(ax, lang)
    _style(ax)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    ax.set_title(word("states", lang))
    return fig


def overdue_heatmap(
    ledger: "Ledger", as_of: Optional[DateLike] = None, *, ax: Optional[Axes] = None, lang: str = "zh"
) -> Figure:
    """Unit × area counts of the measures overdue as of ``as_of`` (:meth:`Ledger.overdue`;
    default today), annotated. Rows are the units with overdue measures, most first; columns are
    every area of the ledger, in file order."""
    check_lang(lang)
    od = ledger.overdue(as_of)
    areas = list(ledger.areas)
    counts = pd.crosstab(od["unit"], od["area"]) if len(od) else pd.DataFrame(dtype=np.int64)
    counts = counts.reindex(columns=areas, fill_value=0)
    if len(counts):
        first = {u: k for k, u in enumerate(dict.fromkeys(od["unit"]))}
        keys = pd.DataFrame({"total": counts.sum(axis=1), "first": [first[u] for u in counts.index]}, index=counts.index)
        counts = counts.loc[keys.sort_values(["total", "first"], ascending=[False, True]).index]
    rows = len(counts)
    fig, ax, new = axes(ax, (1.6 + 0.95 * len(areas), max(2.6, 1.5 + 0.36 * rows)))
    names = ledger.areas
    ax.set_xticks(np.arange(len(areas)))
    ax.set_xticklabels([wrap(names[a], 6) if lang == "zh" else wrap(a, 12) for a in areas], fontsize=8.5)
    day = pd.Timestamp(as_of).strftime("%Y-%m-%d") if as_of is not None else pd.Timestamp.today().strftime("%Y-%m-%d")
    ax.set_title(f"{word('heatmap', lang)}({word('as_of', lang)} {day})" if lang == "zh"
                 else f"{word('heatmap', lang)} ({word('as_of', lang)} {day})")
    if rows == 0:
        ax.set_yticks([])
        ax.set_xlim(-0.5, len(areas) - 0.5)
        ax.text(0.5, 0.5, word("none_overdue", lang), transform=ax.transAxes, ha="center", va="center", fontsize=11,
                color="#2e7d32")
        return fig
    values = counts.to_numpy(dtype=np.float64)
    vmax = float(values.max())
    ax.imshow(values, cmap="Reds", vmin=0, vmax=max(vmax, 1.0) * 1.1, aspect="auto", interpolation="nearest")
    for (i, j), v in np.ndenumerate(values):
        if v:
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=9, color=_label_color(v, vmax))
    ax.set_yticks(np.arange(rows))
    ax.set_yticklabels([str(u) for u in counts.index], fontsize=8.5)
    ax.set_xticks(np.arange(len(areas) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(axis="x", top=True, labeltop=True, bottom=False, labelbottom=False)
    for side in ax.spines.values():
        side.set_visible(False)
    return fig


# -- robustness and compliance ------------------------------------------------------------------


def acceptability(smaa_result: "SMAAResult", *, ax: Optional[Axes] = None, lang: str = "zh") -> Figure:
    """Heat map of SMAA-2 rank acceptabilities (:func:`rectify.mcda.smaa`): alternatives × ranks,
    in % of the weight samples, alternatives sorted by their holistic acceptability (most robust
    first)."""
    check_lang(lang)
    acc = smaa_result.acceptability
    hol = smaa_result.holistic
    order = np.argsort(-hol.to_numpy(dtype=np.float64), kind="stable")
    table = acc.iloc[order] * 100.0
    m, r = table.shape
    fig, ax, new = axes(ax, (min(16.0, 2.6 + 0.55 * r), min(14.0, max(2.8, 1.4 + 0.38 * m))))
    values = table.to_numpy(dtype=np.float64)
    image = ax.imshow(values, cmap="Blues", vmin=0, vmax=100, aspect="auto", interpolation="nearest")
    if m * r <= 900:
        size = 8 if r <= 12 else 6.5
        for (i, j), v in np.ndenumerate(values):
            if v > 0:
                text = f"{v:.0f}" if v >= 0.5 else "<1"
                ax.text(j, i, text, ha="center", va="center", fontsize=size, color=_label_color(v, 100.0))
    ax.set_xticks(np.arange(r))
    ax.set_xticklabels([str(c) for c in table.columns], fontsize=8.5)
    ax.set_yticks(np.arange(m))
    ax.set_yticklabels([str(u) for u in table.index], fontsize=8.5)
    ax.set_xlabel(word("rank", lang))
    ax.set_xticks(np.arange(r + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(m + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.0)
    ax.tick_params(which="minor", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    bar = _colorbar(ax, image)
    bar.set_label(word("acc_pct", lang))
    detail = f"{smaa_result.method}, {smaa_result.samples}"
    ax.set_title(f"{word('acceptability', lang)}({detail} 次抽样)" if lang == "zh"
                 else f"{word('acceptability', lang)} ({detail} samples)")
    return fig


def _colorbar(ax: Axes, mappable: Any) -> Any:
    """A colorbar beside ``ax`` on the figure ``ax`` belongs to."""
    figure: Any = ax.figure
    return figure.colorbar(mappable, ax=ax, shrink=0.85, pad=0.02)


_SLOT = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")


def _slot_month(slot: str) -> Tuple[int, int]:
    """(year, month) a slot falls due in: a month itself, a quarter's last month, a year's
    December."""
    m = _SLOT.match(slot)
    if m is None:
        raise ValueError(f"meeting_calendar: cannot read the slot {slot!r} (YYYY-MM, YYYY-Qn or YYYY)")
    year = int(m.group(1))
    if m.group(2):
        return year, int(m.group(2))
    if m.group(3):
        return year, 3 * int(m.group(3))
    return year, 12


def _month(text: str) -> Tuple[int, int]:
    m = re.match(r"^(\d{4})-(\d{2})$", str(text))
    if m is None:
        raise ValueError(f"meeting_calendar: {text!r} is not a month YYYY-MM")
    return int(m.group(1)), int(m.group(2))


def calendar_counts(meetings_result: "MeetingsResult") -> pd.DataFrame:
    """The numbers :func:`meeting_calendar` draws: branch × month (``"YYYY-MM"``, every month
    of the calendar years the period touches) counts of missed slots, a quarter's slots in its
    last month and a year's in December; NaN for the months outside the period."""
    y0, m0 = _month(meetings_result.start)
    y1, m1 = _month(meetings_result.end)
    months = [f"{y:04d}-{m:02d}" for y in range(y0, y1 + 1) for m in range(1, 13)]
    inside = [(y0, m0) <= (int(s[:4]), int(s[5:])) <= (y1, m1) for s in months]
    branches: Dict[Hashable, int] = {b: k for k, b in enumerate(meetings_result.branches.index)}
    f = meetings_result.findings
    missed = f[f["kind"] == "missed"]
    for branch in missed["branch"]:
        branches.setdefault(branch, len(branches))
    column = {m: k for k, m in enumerate(months)}
    values = np.zeros((len(branches), len(months)))
    for branch, slot in zip(missed["branch"], missed["slot"]):
        y, mo = _slot_month(str(slot))
        key = f"{y:04d}-{mo:02d}"
        if key in column:
            values[branches[branch], column[key]] += 1.0
    values[:, [not k for k in inside]] = np.nan
    return pd.DataFrame(
        values, index=pd.Index(list(branches), name="branch", dtype=object), columns=pd.Index(months, name="month")
    )


def meeting_calendar(meetings_result: "MeetingsResult", *, ax: Optional[Axes] = None, lang: str = "zh") -> Figure:
    """Branch × month grid of 三会一课 slots missed (:func:`rectify.compliance.meetings`, from its
    ``findings``): each cell counts the required slots due that month that were not met (a
    quarter's slot in its last month, a year's in December), annotated; green where every slot
    was met, grey for the months outside the checked period."""
    li = check_lang(lang)
    table = calendar_counts(meetings_result)
    rows, cols = table.shape
    fig, ax, new = axes(ax, (min(18.0, 2.8 + 0.5 * cols), max(3.0, 1.9 + 0.32 * rows)))
    values = np.ma.masked_invalid(table.to_numpy(dtype=np.float64))
    cmap = ListedColormap(["#e8f5e9", "#ffcc80", "#fb8c00", "#c62828"]).with_extremes(bad="#eeeeee")
    norm = BoundaryNorm([0, 1, 2, 3, 1e9], cmap.N)
    ax.imshow(values, cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
    for (i, j), v in np.ndenumerate(table.to_numpy(dtype=np.float64)):
        if not math.isnan(v) and v > 0:
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=8, color="white" if v >= 2 else _TEXT_DARK)
    years = sorted({c[:4] for c in table.columns})
    if lang == "zh":
        labels = [f"{int(c[5:])}月" if len(years) == 1 else f"{c[2:4]}年{int(c[5:])}月" for c in table.columns]
    else:
        labels = [c[5:] if len(years) == 1 else c for c in table.columns]
    ax.set_xticks(np.arange(cols))
    ax.set_xticklabels(labels, fontsize=8, rotation=0 if len(years) == 1 else 90)
    ax.set_yticks(np.arange(rows))
    ax.set_yticklabels([str(b) for b in table.index], fontsize=8.5)
    ax.set_xticks(np.arange(cols + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    if len(years) == 1:
        ax.set_xlabel(f"{years[0]}年" if lang == "zh" else years[0])
    handles = [
        Patch(facecolor="#e8f5e9", edgecolor="#bbbbbb", label=word("met_all", lang)),
        Patch(facecolor="#ffcc80", label=word("missed_n", lang, n=1)),
        Patch(facecolor="#fb8c00", label=word("missed_n", lang, n=2)),
        Patch(facecolor="#c62828", label=word("missed_more", lang, n=3)),
        Patch(facecolor="#eeeeee", edgecolor="#bbbbbb", label=word("outside", lang)),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    period = f"{meetings_result.start} {word('to', lang)} {meetings_result.end}"
    title = word("calendar", lang)
    ax.set_title(f"{title}({period})" if li == 0 else f"{title} ({period})")
    return fig


# -- several periods --------------------------------------------------------------------------

_TREND_WORDS = {"score": ("得分", "score"), "rank": ("名次", "rank"), "change": ("得分变化", "score change"),
                "rank_change": ("名次变化", "rank change")}


def _long_frame(periods: Any) -> Tuple[pd.DataFrame, List[Hashable]]:
    """The long (period, unit) frame and the period order of a PeriodResults or its frame."""
    order: Optional[List[Hashable]] = None
    if isinstance(periods, pd.DataFrame):
        frame = periods
    elif hasattr(periods, "to_frame"):
        frame = periods.to_frame()
        if hasattr(periods, "periods"):
            order = list(periods.periods)
    else:
        raise TypeError(
            f"trend needs a rectify.PeriodResults or its to_frame(), not {type(periods).__name__}"
        )
    if not isinstance(frame.index, pd.MultiIndex) or not {"period", "unit"} <= set(frame.index.names):
        if {"period", "unit"} <= set(frame.columns):
            frame = frame.set_index(["period", "unit"])
        else:
            raise ValueError("trend needs a frame indexed by (period, unit), as PeriodResults.to_frame() gives")
    if order is None:
        order = list(dict.fromkeys(frame.index.get_level_values("period")))
    return frame, order


def trend(
    periods: Any,
    units: Any = None,
    *,
    value: str = "score",
    ax: Optional[Axes] = None,
    lang: str = "zh",
) -> Figure:
    """One line per unit over the periods of a :class:`rectify.PeriodResults` (or its
    ``to_frame()``): ``value`` is ``"score"``, ``"rank"`` (1 at the top), ``"change"``,
    ``"rank_change"`` or any numeric column. ``units`` picks units (default all)."""
    li = check_lang(lang)
    frame, order = _long_frame(periods)
    if value not in frame.columns:
        raise ValueError(f"trend: no column {value!r} (the frame has {', '.join(map(str, frame.columns))})")
    series = frame[value]
    if not pd.api.types.is_numeric_dtype(series):
        raise ValueError(f"trend: {value!r} is not numeric")
    wide = series.astype(np.float64).unstack("unit").reindex(order)
    all_units = list(dict.fromkeys(frame.index.get_level_values("unit")))
    chosen = all_units if units is None else _units_list(units)
    for u in chosen:
        if u not in wide.columns:
            raise KeyError(f"no unit {u!r} in these periods")
    fig, ax, new = axes(ax, (9.0 if len(chosen) <= 12 else 10.5, 5.0))
    palette = matplotlib.colormaps["tab10" if len(chosen) <= 10 else "tab20"]
    x = np.arange(len(order))
    markers = "osD^v<>ph*"
    for k, u in enumerate(chosen):
        ax.plot(x, wide[u].to_numpy(), color=palette(k % palette.N), marker=markers[(k // palette.N) % len(markers)],
                markersize=4.5, linewidth=1.6, label=str(u))
    ax.set_xticks(x)
    ax.set_xticklabels([str(p) for p in order], fontsize=9)
    if len(order) == 1:
        ax.set_xlim(-0.5, 0.5)
    ax.set_xlabel(word("period", lang))
    what = _TREND_WORDS.get(value, (value, value))[li]
    ax.set_ylabel(what)
    if value in ("rank", "rank_change") or value.endswith("rank"):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if value == "rank":
        known = wide[chosen].to_numpy()
        top = int(np.nanmax(known)) if np.isfinite(known).any() else 1
        ax.set_yticks(np.arange(1, top + 1, max(1, math.ceil(top / 12))))
        ax.set_ylim(top + 0.5, 0.5)
    if value in ("change", "rank_change"):
        ax.axhline(0, color="#9e9e9e", linewidth=0.8)
    ax.grid(color=_GRID, linewidth=0.6)
    _style(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
              ncol=1 if len(chosen) <= 18 else 2)
    ax.set_title(word("trend", lang, value=what) if li == 0 else word("trend", lang, value=what.capitalize()))
    return fig


def _inline_display() -> None:
    """In a Jupyter kernel with the inline backend, loads that backend now: loading it registers
    IPython's display of Figure objects, so that a figure these functions return shows inline
    (pyplot would load it only when it makes its first figure, which these functions never
    ask it to do)."""
    if not _progress._in_notebook():
        return
    backend = matplotlib.rcParams._get("backend")
    if backend in ("inline", "module://matplotlib_inline.backend_inline"):
        import importlib

        try:
            importlib.import_module("matplotlib_inline.backend_inline")
        except ImportError:  # pragma: no cover - ipykernel always brings it
            pass


setup_fonts()
_inline_display()
