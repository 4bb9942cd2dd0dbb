"""Multi-criteria decision analysis (MCDA): weighting, normalisation, aggregation, ranks and
robustness, following the original publications (docs/mcda.md states every formula, default
and tie rule).

``X`` is a decision matrix, one row per alternative (unit) and one column per criterion: a
DataFrame (a float64 frame is handed to C++ without a copy; results keep its index and column
names) or any 2-D array-like. ``types`` gives each criterion's direction: +1/-1, ``"+"``/``"-"``,
``"benefit"``/``"cost"`` or ``"max"``/``"min"``, as a list, a comma-separated string, or a
dict by column name. Weights are a list in column order or a dict/Series by column name; every
method rescales them to sum 1.

>>> from rectify import mcda
>>> w = mcda.weights.entropy(X)
>>> r = mcda.topsis(X, w, {"quality": "+", "cost": "-"})
>>> r.scores, r.ranks, r.to_frame()

Errors are :class:`~rectify.MCDAError` (a ``ValueError``) with a ``rectify.mcda.*`` code.
"""

from __future__ import annotations

from .._errors import MCDAError
from . import weights
from ._aggregate import (
    copras,
    fce,
    gra,
    normalize,
    promethee2,
    rank,
    rank_correlation,
    topsis,
    vikor,
    wpm,
    wsm,
)
from ._robust import SMAAResult, sensitivity, smaa, smaa_weights
from ._results import (
    COPRASResult,
    FCERanking,
    FCEResult,
    GRAResult,
    PROMETHEEResult,
    Ranking,
    ScoreResult,
    TOPSISResult,
    VIKORResult,
)
from .weights import AHPResult

__all__ = [
    "AHPResult",
    "COPRASResult",
    "FCERanking",
    "FCEResult",
    "GRAResult",
    "MCDAError",
    "PROMETHEEResult",
    "Ranking",
    "SMAAResult",
    "ScoreResult",
    "TOPSISResult",
    "VIKORResult",
    "copras",
    "fce",
    "gra",
    "normalize",
    "promethee2",
    "rank",
    "rank_correlation",
    "sensitivity",
    "smaa",
    "smaa_weights",
    "topsis",
    "vikor",
    "weights",
    "wpm",
    "wsm",
]

for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) and _obj is not MCDAError:
        _obj.__module__ = "rectify.mcda"
del _name, _obj
