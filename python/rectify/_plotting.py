"""The shared machinery of :mod:`rectify.plot`: Chinese fonts, the grade palette, labels in two
languages and the figure/axes plumbing. Private; everything here needs matplotlib."""

from __future__ import annotations

import textwrap
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_hex
from matplotlib.figure import Figure

#: CJK families tried, in order of preference. Simplified Chinese first (our users write it);
#: Japanese/Traditional variants still cover every common hanzi, so they are late fallbacks.
CJK_FAMILIES: Tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Source Han Sans",
    "Arial Unicode MS",
)

_GENERIC = {"sans-serif", "sans", "serif", "monospace", "cursive", "fantasy"}
_warned = False

NO_FONT_HELP = (
    "rectify.plot: matplotlib finds no Chinese font, so Chinese labels would show as empty boxes. "
    "Install one (Debian/Ubuntu: `apt-get install fonts-noto-cjk`; Fedora: google-noto-sans-cjk-fonts; "
    "macOS and Windows have one already), delete matplotlib's font cache "
    "(the folder matplotlib.get_cachedir()) and restart Python, or call rectify.plot.setup_fonts() "
    "after matplotlib.font_manager.fontManager.addfont(path)."
)


def available_families() -> List[str]:
    """Font family names matplotlib's font manager knows (its cache, plus addfont())."""
    return sorted({f.name for f in font_manager.fontManager.ttflist})


def setup_fonts() -> List[str]:
    """Puts the installed CJK fonts into ``rcParams["font.family"]`` as per-glyph fallbacks and
    returns the new family list.

    matplotlib (3.6+) looks every glyph up through the family list in order, so Latin text and
    digits keep the first family (DejaVu Sans by default) and hanzi come from the first CJK
    family that has them. The current list is kept (a generic ``"sans-serif"`` stands for its
    first family, DejaVu Sans by default) and the CJK families that the font manager finds are
    appended; calling it again changes nothing. Without any CJK font it warns once, saying how
    to install one.
    """
    global _warned
    found = set(available_families())
    cjk = [f for f in CJK_FAMILIES if f in found]
    current = matplotlib.rcParams["font.family"]
    family = [current] if isinstance(current, str) else list(current)
    if family == ["sans-serif"]:
        sans = list(matplotlib.rcParams["font.sans-serif"])
        family = [next((f for f in sans if f in found), "DejaVu Sans")]
    for f in cjk:
        if f not in family:
            family.append(f)
    matplotlib.rcParams["font.family"] = family
    if not cjk and not _warned and not any(_has_cjk(f) for f in family if f not in _GENERIC):
        _warned = True
        warnings.warn(NO_FONT_HELP, UserWarning, stacklevel=2)
    return family


def _has_cjk(family: str) -> bool:
    """Whether a family the user put first covers 中 (a CJK font of their own choosing)."""
    try:
        path = font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
        from matplotlib.ft2font import FT2Font

        return FT2Font(path).get_char_index(ord("中")) != 0
    except Exception:  # not found, or not a font FreeType reads
        return False


# -- grades -----------------------------------------------------------------------------------

# Best to worst: a deep green through amber to red, dark enough for white-on-colour text.
_GRADE_ANCHORS = ("#2e7d32", "#8bc34a", "#f9a825", "#ef6c00", "#c62828")
_GRADE_FIXED = {
    1: ("#2e7d32",),
    2: ("#2e7d32", "#c62828"),
    3: ("#2e7d32", "#f9a825", "#c62828"),
    4: ("#2e7d32", "#8bc34a", "#f9a825", "#c62828"),
    5: _GRADE_ANCHORS,
}


def grade_colors(grades: Sequence[str]) -> Dict[str, str]:
    """The colour of each grade (best first → green, worst → red), as ``#rrggbb``. Every plot of
    :mod:`rectify.plot` colours grades with it, so one grade has one colour everywhere."""
    names = list(grades)
    n = len(names)
    if n in _GRADE_FIXED:
        colors = list(_GRADE_FIXED[n])
    else:
        cmap = LinearSegmentedColormap.from_list("rectify_grades", list(_GRADE_ANCHORS))
        colors = [to_hex(cmap(k / max(n - 1, 1))) for k in range(n)]
    return dict(zip(names, colors))


# -- words ------------------------------------------------------------------------------------

LANGS = ("zh", "en")

WORDS: Dict[str, Tuple[str, str]] = {
    "ranking": ("得分排名", "Scores in rank order"),
    "score": ("得分", "Score"),
    "grade": ("等次", "Grade"),
    "veto": ("一票否决", "veto"),
    "radar": ("各项得分率", "Score by area"),
    "area_pct": ("得分率(%)", "share of points (%)"),
    "waterfall": ("失分分解", "Where the points went"),
    "full": ("满分", "full points"),
    "base": ("基础分", "base score"),
    "bonus": ("加分", "bonus"),
    "final": ("最终得分", "final score"),
    "items": ("项", " items"),
    "burndown": ("整改燃尽图", "Rectification burn-down"),
    "open": ("未销号措施", "open measures"),
    "ideal": ("按期应剩", "open if all closed when due"),
    "overdue": ("逾期措施", "overdue measures"),
    "measures": ("整改措施数", "measures"),
    "states": ("整改措施状态", "Measures by state"),
    "heatmap": ("逾期整改措施", "Overdue measures"),
    "as_of": ("截至", "as of"),
    "unit": ("单位", "unit"),
    "area": ("问题领域", "area"),
    "none_overdue": ("无逾期整改措施", "no overdue measures"),
    "acceptability": ("SMAA 排名可接受度", "SMAA rank acceptability"),
    "rank": ("名次", "rank"),
    "alternative": ("方案/单位", "alternative"),
    "acc_pct": ("可接受度(%)", "acceptability (%)"),
    "calendar": ("“三会一课”缺漏日历", "Meetings missed by month"),
    "branch": ("支部", "branch"),
    "month": ("月份", "month"),
    "met_all": ("全部按期", "all held"),
    "missed_n": ("缺 {n} 次", "{n} missed"),
    "missed_more": ("缺 {n} 次及以上", "{n}+ missed"),
    "outside": ("不在检查期", "outside the period"),
    "trend": ("各期{value}", "{value} by period"),
    "period": ("考核期", "period"),
    "change": ("较上期变化", "change"),
    "rank_change": ("名次变化", "rank change"),
    "to": ("至", "to"),
}

#: Ledger states and their names in docs/ledger.md (the ``rectify ledger status`` table).
STATE_NAMES: Dict[str, Tuple[str, str]] = {
    "planned": ("未启动", "planned"),
    "in_progress": ("整改中", "in progress"),
    "submitted": ("待验收", "submitted"),
    "verified": ("已验收", "verified"),
    "closed": ("已销号", "closed"),
}
STATE_COLORS: Dict[str, str] = {
    "planned": "#b0b7bf",
    "in_progress": "#42a5f5",
    "submitted": "#ffb300",
    "verified": "#9ccc65",
    "closed": "#2e7d32",
}


def check_lang(lang: str) -> int:
    """0 for ``"zh"``, 1 for ``"en"``; anything else is an error."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return LANGS.index(lang)


def word(key: str, lang: str, **fmt: Any) -> str:
    text = WORDS[key][check_lang(lang)]
    return text.format(**fmt) if fmt else text


def wrap(text: str, width: int) -> str:
    """Wraps ``text`` into lines of at most about ``width`` characters (a hanzi counts as one).
    CJK text has no spaces, so it breaks before a bracket when there is one (``问题整改落实
    (整改台账)``) and otherwise into lines of equal length; ids without spaces or hanzi are
    left whole."""
    if len(text) <= width:
        return text
    if " " in text:
        return "\n".join(textwrap.wrap(text, width))
    if not any(ord(c) >= 0x2E80 for c in text):  # an id like org_life.meetings: never cut
        return text
    for bracket in ("(", "(", "【", "["):
        k = text.find(bracket)
        if 0 < k and len(text) - k <= width + 2:
            return wrap(text[:k], width) + "\n" + text[k:]
    count = -(-len(text) // width)
    size = -(-len(text) // count)
    lines = [text[k : k + size] for k in range(0, len(text), size)]
    for k in range(1, len(lines)):  # no line starts with a closing mark or ends with an opening one
        while lines[k] and lines[k][0] in _CLOSING:
            lines[k - 1] += lines[k][0]
            lines[k] = lines[k][1:]
        while lines[k - 1] and lines[k - 1][-1] in _OPENING:
            lines[k] = lines[k - 1][-1] + lines[k]
            lines[k - 1] = lines[k - 1][:-1]
    return "\n".join(line for line in lines if line)


_CLOSING = set("”’)】」』》〉,。、;:!?)]")
_OPENING = set("“‘(【「『《〈([")


# -- figures ----------------------------------------------------------------------------------


def root_figure(ax: Axes) -> Figure:
    """The Figure an Axes is drawn on (the root figure when it sits in a SubFigure)."""
    fig: Any = ax.get_figure(root=True) if _MPL >= (3, 10) else ax.figure
    while not isinstance(fig, Figure) and getattr(fig, "figure", None) is not None and fig.figure is not fig:
        fig = fig.figure
    assert isinstance(fig, Figure)
    return fig


def axes(ax: Optional[Axes], size: Tuple[float, float], *, polar: bool = False) -> Tuple[Figure, Axes, bool]:
    """``(figure, axes, new)``: ``ax`` and its figure, or a new Figure of ``size`` inches.

    New figures are plain :class:`matplotlib.figure.Figure` objects, not pyplot's: a loop that
    draws a hundred of them leaks nothing, and in Jupyter the returned figure is shown once,
    by IPython's display of the cell's value (``rectify.plot`` loads the inline backend when it
    is imported in a kernel, which registers that display)."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes, not {type(ax).__name__}")
        if polar and ax.name != "polar":
            raise ValueError(
                "radar needs polar axes: make them with fig.add_subplot(projection='polar') "
                f"(got {ax.name!r} axes)"
            )
        return root_figure(ax), ax, False
    fig = Figure(figsize=size, layout="constrained")
    new = fig.add_subplot(projection="polar" if polar else None)
    return fig, new, True


def _version() -> Tuple[int, int]:
    major, minor = matplotlib.__version__.split(".")[:2]
    return int(major), int("".join(c for c in minor if c.isdigit()) or 0)


_MPL = _version()
