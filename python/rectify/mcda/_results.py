"""The results of the aggregation methods.

Convention (one for every method): when X was a DataFrame, every per-alternative array is a
pandas Series indexed by X's index (the alternatives); otherwise it is a NumPy array.
``to_frame()`` always gives a DataFrame, indexed by the alternatives (X's index, or 0..m-1).
"""

from __future__ import annotations

import html
from typing import Any, Dict, List, Optional, Tuple, Union

import numpy as np
import pandas as pd

from .. import _core
from ._input import shown

__all__ = [
    "Ranking",
    "ScoreResult",
    "TOPSISResult",
    "VIKORResult",
    "COPRASResult",
    "PROMETHEEResult",
    "GRAResult",
    "FCEResult",
    "FCERanking",
]

Vector = Union[np.ndarray, pd.Series]

_MAX_HTML_ROWS = 30


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


class Ranking:
    """Base of the aggregation results: the method's main ``scores`` and their ``ranks``.

    Subclasses name their arrays in ``_fields`` (attribute name → array); the first field is the
    score. ``ranks`` follow the method's direction (higher is better, except VIKOR's Q).
    """

    _method = ""
    _score_field = "score"
    _higher_is_better = True

    def __init__(
        self,
        fields: Dict[str, np.ndarray],
        index: Optional[pd.Index],
        weights: np.ndarray,
        criteria: Optional[pd.Index],
        ties: str,
    ) -> None:
        self._fields = {k: _readonly(np.asarray(v, dtype=np.float64)) for k, v in fields.items()}
        self._index = index
        self._weights = _readonly(np.asarray(weights, dtype=np.float64) / float(np.sum(weights)))
        self._criteria = criteria
        self._ties = ties
        # Ranks are computed on first use: ranking a million scores costs more than TOPSIS itself,
        # and a caller who only wants the scores should not pay for it. The tie mode is still
        # checked now, so a bad name fails at the call that gave it.
        _core.mcda_rank(scores=np.empty(0), higher_is_better=True, ties=ties)
        self._rank_cache: Optional[np.ndarray] = None

    @property
    def _ranks(self) -> np.ndarray:
        if self._rank_cache is None:
            main = self._fields[self._score_field]
            self._rank_cache = _readonly(
                np.asarray(_core.mcda_rank(scores=main, higher_is_better=self._higher_is_better, ties=self._ties))
            )
        return self._rank_cache

    # -- arrays --------------------------------------------------------------------------

    def _wrap(self, a: np.ndarray, name: str) -> Vector:
        if self._index is None:
            return a
        return pd.Series(a, index=self._index, name=name, copy=False)

    def _field(self, name: str) -> Vector:
        return self._wrap(self._fields[name], name)

    @property
    def scores(self) -> Vector:
        """The method's main score (see the method's docstring for which one)."""
        return self._wrap(self._fields[self._score_field], self._score_field)

    @property
    def ranks(self) -> Vector:
        """Rank of every alternative, 1 = best (ties as chosen in the call, ``"average"`` by
        default, so 1 2.5 2.5 4)."""
        return self._wrap(self._ranks, "rank")

    @property
    def weights(self) -> np.ndarray:
        """The weights used, rescaled to sum 1 (one per criterion, in column order)."""
        return self._weights

    @property
    def alternatives(self) -> pd.Index:
        """X's index, or 0..m-1 when X was not a DataFrame."""
        return self._index if self._index is not None else pd.RangeIndex(len(self))

    @property
    def method(self) -> str:
        return self._method

    @property
    def ties(self) -> str:
        return self._ties

    def __len__(self) -> int:
        return int(self._fields[self._score_field].shape[0])

    def _extra_columns(self) -> List[Tuple[str, Any]]:
        return []

    def to_frame(self) -> pd.DataFrame:
        """One row per alternative (indexed by X's index, in X's order): every array of the
        result by attribute name, then ``rank``."""
        data: Dict[str, Any] = dict(self._fields)
        data["rank"] = self._ranks
        for name, values in self._extra_columns():
            data[name] = values
        return pd.DataFrame(data, index=self.alternatives)

    # -- display -------------------------------------------------------------------------

    def _best(self) -> Tuple[str, float]:
        s = self._fields[self._score_field]
        k = int(np.argmin(self._ranks))
        return shown(self.alternatives[k]), float(s[k])

    def _summary(self) -> str:
        m = len(self)
        n = int(self._weights.shape[0])
        text = f"{m} alternative{'s' if m != 1 else ''}, {n} criteri{'a' if n != 1 else 'on'}"
        if m:
            label, score = self._best()
            text += f"; best {label} ({self._score_field} = {score:.6g})"
        return text

    def __repr__(self) -> str:
        return f"<rectify.mcda.{type(self).__name__} {self._summary()}>"

    def _repr_html_(self) -> str:
        frame = self.to_frame().sort_values("rank", kind="stable")
        more = len(frame) - _MAX_HTML_ROWS
        table = frame.head(_MAX_HTML_ROWS).to_html(float_format=lambda v: f"{v:.6g}")
        note = f"<p>… and {more} more</p>" if more > 0 else ""
        return f"<div><p><b>{html.escape(type(self).__name__)}</b> {html.escape(self._summary())}</p>{table}{note}</div>"


class ScoreResult(Ranking):
    """WSM or WPM: ``scores`` is Σⱼ wⱼnᵢⱼ (WSM) or Πⱼ nᵢⱼ^wⱼ (WPM) of the normalised matrix."""

    _score_field = "score"

    def __init__(self, method: str, *args: Any, **kwargs: Any) -> None:
        self._method = method
        super().__init__(*args, **kwargs)


class TOPSISResult(Ranking):
    """TOPSIS: ``scores`` is the closeness C = D⁻/(D⁺ + D⁻); also ``d_plus`` and ``d_minus``."""

    _method = "topsis"
    _score_field = "closeness"

    @property
    def closeness(self) -> Vector:
        """Relative closeness C to the ideal solution (the same as ``scores``)."""
        return self._field("closeness")

    @property
    def d_plus(self) -> Vector:
        """Distance to the ideal solution."""
        return self._field("d_plus")

    @property
    def d_minus(self) -> Vector:
        """Distance to the anti-ideal solution."""
        return self._field("d_minus")


class VIKORResult(Ranking):
    """VIKOR: ``scores`` is Q (lower is better, so rank 1 has the lowest Q); also ``S``, ``R``,
    ``Q`` and ``compromise`` (0-based positions of the compromise set, best Q first)."""

    _method = "vikor"
    _score_field = "Q"
    _higher_is_better = False

    def __init__(self, compromise: List[int], *args: Any, **kwargs: Any) -> None:
        self._compromise = _readonly(np.asarray(compromise, dtype=np.int64))
        super().__init__(*args, **kwargs)

    @property
    def S(self) -> Vector:  # noqa: N802 - the paper's name
        """Group utility S (lower is better)."""
        return self._field("S")

    @property
    def R(self) -> Vector:  # noqa: N802
        """Individual regret R (lower is better)."""
        return self._field("R")

    @property
    def Q(self) -> Vector:  # noqa: N802
        """Compromise index Q (lower is better)."""
        return self._field("Q")

    @property
    def compromise(self) -> np.ndarray:
        """0-based positions of the compromise solution set, best Q first."""
        return self._compromise

    @property
    def compromise_labels(self) -> List[Any]:
        """The compromise set as X's index labels (positions when X was not a DataFrame)."""
        return [self.alternatives[int(k)] for k in self._compromise]

    def _extra_columns(self) -> List[Tuple[str, Any]]:
        flags = np.zeros(len(self), dtype=bool)
        flags[self._compromise] = True
        return [("compromise", flags)]

    def _summary(self) -> str:
        labels = self.compromise_labels
        shown_labels = ", ".join(shown(k) for k in labels[:5])
        more = f" … ({len(labels)} in all)" if len(labels) > 5 else ""
        return f"{super()._summary()}; compromise {shown_labels}{more}"


class COPRASResult(Ranking):
    """COPRAS: ``scores`` is the utility degree Q/max Q; also ``s_plus``, ``s_minus``, ``q``."""

    _method = "copras"
    _score_field = "utility"

    @property
    def s_plus(self) -> Vector:
        return self._field("s_plus")

    @property
    def s_minus(self) -> Vector:
        return self._field("s_minus")

    @property
    def q(self) -> Vector:
        """Relative significance Q."""
        return self._field("q")

    @property
    def utility(self) -> Vector:
        return self._field("utility")


class PROMETHEEResult(Ranking):
    """PROMETHEE II: ``scores`` is the net flow φ; also ``phi_plus``, ``phi_minus``, ``phi``."""

    _method = "promethee2"
    _score_field = "phi"

    @property
    def phi_plus(self) -> Vector:
        """Leaving (positive) flow."""
        return self._field("phi_plus")

    @property
    def phi_minus(self) -> Vector:
        """Entering (negative) flow."""
        return self._field("phi_minus")

    @property
    def phi(self) -> Vector:
        """Net flow φ⁺ − φ⁻."""
        return self._field("phi")


class GRAResult(Ranking):
    """Grey relational analysis: ``scores`` is the grey relational grade (also ``grade``)."""

    _method = "gra"
    _score_field = "grade"

    @property
    def grade(self) -> Vector:
        return self._field("grade")


class FCEResult:
    """Fuzzy comprehensive evaluation of one object: ``b`` (membership of each comment grade;
    a Series indexed by the grades when the membership matrix was a DataFrame), ``grade`` (the
    0-based position of the grade of maximum membership, the first on a tie), ``grade_name``
    (its column label, or the position) and ``score`` (B·v, or None without grade values)."""

    def __init__(self, b: np.ndarray, grade: int, score: Optional[float], grades: Optional[pd.Index]) -> None:
        self._b = _readonly(np.asarray(b, dtype=np.float64))
        self._grade = int(grade)
        self._score = score
        self._grades = grades

    @property
    def b(self) -> Vector:
        if self._grades is None:
            return self._b
        return pd.Series(self._b, index=self._grades, name="b", copy=False)

    @property
    def grade(self) -> int:
        return self._grade

    @property
    def grade_name(self) -> Any:
        return self._grades[self._grade] if self._grades is not None else self._grade

    @property
    def score(self) -> Optional[float]:
        return self._score

    def to_frame(self) -> pd.DataFrame:
        """One row per comment grade: ``b``."""
        index = self._grades if self._grades is not None else pd.RangeIndex(self._b.shape[0])
        return pd.DataFrame({"b": self._b}, index=index)

    def __repr__(self) -> str:
        b = ", ".join(f"{v:.4g}" for v in self._b)
        score = "" if self._score is None else f", score {self._score:.6g}"
        return f"<rectify.mcda.FCEResult B = [{b}]; grade {shown(self.grade_name)}{score}>"

    def _repr_html_(self) -> str:
        return f"<div><p>{html.escape(repr(self))}</p>{self.to_frame().T.to_html()}</div>"


class FCERanking(Ranking):
    """Fuzzy comprehensive evaluation of several alternatives: ``scores`` is each one's B·v,
    ``b`` a DataFrame (alternatives × grades), ``grade`` the 0-based position of each one's grade
    of maximum membership."""

    _method = "fce"
    _score_field = "score"

    def __init__(self, b: np.ndarray, grade: np.ndarray, grades: Optional[pd.Index], *args: Any, **kwargs: Any) -> None:
        self._b = _readonly(np.asarray(b, dtype=np.float64))
        self._grade = _readonly(np.asarray(grade, dtype=np.int64))
        self._grades = grades
        super().__init__(*args, **kwargs)

    @property
    def b(self) -> pd.DataFrame:
        cols = self._grades if self._grades is not None else pd.RangeIndex(self._b.shape[1])
        return pd.DataFrame(self._b, index=self.alternatives, columns=cols)

    @property
    def grade(self) -> Vector:
        return self._wrap(self._grade, "grade")

    def _extra_columns(self) -> List[Tuple[str, Any]]:
        return [("grade", self._grade)]
