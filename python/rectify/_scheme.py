"""The assessment scheme (考核方案)."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Union

import pandas as pd

from . import _core
from ._data import table_from
from ._errors import SchemeError
from ._result import _groups_frame, _weights_frame

if TYPE_CHECKING:
    from ._periods import PeriodResults
    from ._result import Result

__all__ = ["Scheme"]

SchemeSource = Union[str, "os.PathLike[str]", Mapping[str, Any], bytes]
UnitData = Union[pd.DataFrame, Mapping[str, Any], str, "os.PathLike[str]"]


class Scheme:
    """An assessment scheme in ``rectify.scheme/1`` JSON (see docs/scheme.md).

    Build one with :meth:`from_json`. A scheme that parses as JSON is accepted even when it
    breaks the rules of the format: :meth:`validate` lists every problem at once, and
    :meth:`score` (or any property that needs the compiled scheme) raises
    :class:`~rectify.SchemeError` listing them all.

    >>> scheme = rectify.Scheme.from_json("examples/data/scheme.json")
    >>> result = scheme.score(pd.read_csv("examples/data/units.csv"))
    >>> result.to_frame().head()
    """

    __slots__ = ("_text", "_source", "_id", "_name", "_plan")

    def __init__(self, text: Union[str, bytes], *, source: str = "") -> None:
        """A scheme from the JSON text ``text``; ``source`` (a file name) is put in messages.

        Raises :class:`~rectify.SchemeError` if the text is not JSON at all.
        """
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        scheme_id, name, problems = _core.parse_scheme(data, source)
        syntax = [p for p in problems if p.code == "rectify.scheme.syntax"]
        if syntax:
            raise SchemeError._from_problems(syntax)
        self._text = data
        self._source = source
        self._id = scheme_id
        self._name = name
        self._plan: Optional[_core.Plan] = None

    @classmethod
    def from_json(cls, scheme: SchemeSource) -> "Scheme":
        """Reads a scheme from a file, JSON text or a dict.

        - a ``str`` (or ``bytes``) starting with ``{`` (after white space): the JSON text
          itself (``[`` too, so that a JSON array is reported as one, not as a file name);
        - any other ``str``, or a :class:`pathlib.Path` (any ``os.PathLike``): the path of a
          file, which is read (an ``OSError`` such as ``FileNotFoundError`` if it cannot be;
          that is not a problem of the scheme) and whose name appears in messages;
        - a dict: serialised with ``json.dumps(ensure_ascii=False)``.

        Only a text that is not JSON at all raises :class:`~rectify.SchemeError` here; every
        other problem is reported by :meth:`validate` and raised by :meth:`score`.
        """
        if isinstance(scheme, Mapping):
            return cls(json.dumps(scheme, ensure_ascii=False))
        if isinstance(scheme, bytes):
            return cls(scheme)
        if isinstance(scheme, str) and scheme.lstrip().startswith(("{", "[")):
            return cls(scheme)
        if isinstance(scheme, (str, os.PathLike)):
            path = os.fspath(scheme)
            with open(path, "rb") as f:
                return cls(f.read(), source=str(path))
        raise TypeError(f"Scheme.from_json takes a path, JSON text or a dict, not {type(scheme).__name__}")

    @classmethod
    def from_table(
        cls,
        table: Union[pd.DataFrame, str, "os.PathLike[str]"],
        *,
        id: str,
        name: str = "",
        total: float = 100,
        grades: Any = None,
        missing: str = "error",
        bonus: Optional[Mapping[str, Any]] = None,
        penalties: Optional[List[Mapping[str, Any]]] = None,
        vetoes: Optional[List[Mapping[str, Any]]] = None,
        sheet: Optional[str] = None,
        encoding: str = "utf-8",
    ) -> "Scheme":
        """A scheme from a 考核细则 table as bureaus write it: one row per indicator with
        一级指标, 二级指标, 分值, plus the machine columns 数据项 (input) and 规则 (rule) with
        its parameters (docs/guide.md lists every column; English headers work too).

        ``table`` is a DataFrame or the path of a ``.csv`` (``encoding``) or ``.xlsx``
        (``sheet``, default the first) file; title rows above the header are skipped and an
        empty 一级指标 cell (a merged cell) continues the area above. Rows whose 一级指标 is
        加分项, 直接扣分 or 一票否决 give the bonus items, penalties and vetoes; ``bonus``
        (``{"cap": 5, "items": [...]}``), ``penalties`` and ``vetoes`` add more in the
        scheme's JSON form. ``grades`` is a list of ``{"name", "min"?, "quota"?}`` or a dict
        name → min (None for the last); default 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格.

        Unlike :meth:`from_json` the scheme is checked at once: problems of the table and
        problems the scheme's checker finds raise :class:`~rectify.SchemeError`, each naming
        the table row and column (``scheme_table.csv:row 5:分值``; ``DataFrame:row 3:分值``
        with the 0-based position; ``Sheet1!D5`` in a workbook).

        >>> scheme = rectify.Scheme.from_table("考核细则.csv", id="hw-2026", name="2026年度考核")
        >>> scheme.text     # the rectify.scheme/1 JSON, to keep with the results
        """
        from ._table_scheme import from_table

        return from_table(
            cls,
            table,
            id=id,
            name=name,
            total=total,
            grades=grades,
            missing=missing,
            bonus=bonus,
            penalties=penalties,
            vetoes=vetoes,
            sheet=sheet,
            encoding=encoding,
        )

    # -- what the text says ---------------------------------------------------------------

    @property
    def id(self) -> str:
        """The scheme's ``id`` (empty if the text has none)."""
        return self._id

    @property
    def name(self) -> str:
        return self._name

    @property
    def source(self) -> str:
        """The file the scheme was read from, or ``""``."""
        return self._source

    @property
    def text(self) -> str:
        """The JSON text of the scheme."""
        return self._text.decode("utf-8", errors="replace")

    def validate(self) -> List[_core.Problem]:
        """Every problem of the scheme (syntax, structure and the rules of scoring.md §1 and
        §5½), each with ``.code``, ``.path`` (a JSON pointer), ``.message`` and ``.source``;
        an empty list when the scheme is valid. Never raises for a problem of the scheme."""
        return list(_core.check_scheme(self._text, self._source))

    @property
    def is_valid(self) -> bool:
        return not self.validate()

    # -- the compiled scheme --------------------------------------------------------------

    @property
    def _compiled(self) -> _core.Plan:
        if self._plan is None:
            self._plan = _core.Plan(self._text, self._source)  # SchemeError listing every problem
        return self._plan

    @property
    def total(self) -> float:
        return self._compiled.total

    @property
    def missing(self) -> str:
        """The missing-value policy: ``"error"``, ``"zero"`` or ``"reweight"``."""
        return self._compiled.missing

    @property
    def inputs(self) -> List[str]:
        """Every input column the scheme reads, in order of first use."""
        return list(self._compiled.inputs)

    @property
    def grades(self) -> List[str]:
        """Grade names, best first."""
        return [g[0] for g in self._compiled.grades]

    @property
    def nodes(self) -> pd.DataFrame:
        """The indicator tree in pre-order: one row per node (index ``id``) with ``name``,
        ``parent``, ``leaf``, ``points`` (weights resolved; NaN for a child whose weight a cohort
        method derives when scoring, see :attr:`Result.weights`), ``rule``, ``input`` and
        ``path``."""
        rows = self._compiled.nodes
        frame = pd.DataFrame(
            rows, columns=["id", "name", "parent", "leaf", "points", "rule", "input", "path"]
        )
        return frame.set_index("id")

    @property
    def weights(self) -> pd.DataFrame:
        """The weights the scheme's ``"weights"`` objects derive, before scoring: one row per
        child of a deriving node, as :attr:`Result.weights`. AHP weights are known here; the
        weights (and points) of ``entropy``, ``critic`` and ``std`` are NaN until units are
        scored, since they come from the cohort."""
        return _weights_frame(self._compiled.derived)

    @property
    def weight_groups(self) -> pd.DataFrame:
        """One row per node that derives its children's weights, as
        :attr:`Result.weight_groups`: for AHP, λmax, CI and CR of the pairwise matrix."""
        return _groups_frame(self._compiled.derived)

    # -- scoring --------------------------------------------------------------------------

    def score(self, data: UnitData, *, nodes: bool = True, encoding: str = "utf-8") -> "Result":
        """Scores every unit of ``data``.

        ``data`` is a DataFrame indexed by unit id (or with a ``unit`` column, which then
        names the units), a dict of columns with a ``unit`` key, or the path of a unit CSV
        file (read by the C++ reader, as the command line does, with ``encoding``; errors
        then name file:line:column). Columns the scheme does not read are ignored.

        float64 columns are read in place, without a copy; the result keeps them and reads
        them again in :meth:`Result.explain` and :meth:`Result.to_json`, so change the data
        only after you are done with the result. Other dtypes are converted first. The GIL
        is released while scoring. With ``nodes=False`` the earned points of the nodes are
        not kept (for very large cohorts).

        Raises :class:`~rectify.SchemeError` if the scheme is invalid and
        :class:`~rectify.DataError` if the data cannot be scored.
        """
        from ._result import Result

        plan = self._compiled
        if isinstance(data, (str, os.PathLike)):
            core = _core.score_csv(plan, os.fspath(data), encoding, nodes)
            labels = pd.Index(core.units, name="unit")
        else:
            table = table_from(data, plan.inputs)
            core = _core.score(plan, table.units, table.names, table.columns, nodes)
            labels = table.labels
        return Result(self, core, labels)

    def score_periods(
        self, data: Any, *, period: str = "period", nodes: bool = True, progress: Optional[bool] = None
    ) -> "PeriodResults":
        """Scores several periods (考核期), each on its own, and lines them up unit by unit.

        ``data`` is either a dict ``{period label: unit data}`` (each value anything
        :meth:`score` takes: a DataFrame, a dict of columns, a CSV path), in chronological
        order, which is kept; or one DataFrame with a column (or index level) ``period`` (named
        by ``period=``) and the units in a ``unit`` column or index level: its periods are put
        in time order (``pd.Period``, dates, ``"2025"``, ``"2026Q1"``, ``"2026-03"``,
        ``"2026-H1"``, ``"2026年上半年"``... sorted by when they end; labels that are not
        times sort as numbers or as text; an ordered Categorical keeps its own order).

        Cohort weights, grade quotas and ranks are those of each period's own units. A bar
        over the periods shows with ``progress=True`` (``None``: in a terminal or notebook).
        A :class:`~rectify.DataError` in one period's data names the period in its message
        (``.period`` holds the label; ``.problems`` are the scorer's). An empty dict, a table
        without the period column, or a unit twice in one period raise
        :class:`~rectify.DataError` too (``rectify.data.no_periods``,
        ``rectify.data.no_period_column``, ``rectify.data.duplicate_unit``).

        >>> runs = scheme.score_periods({"2026-H1": h1, "2026": year})
        >>> runs.to_frame()   # (period, unit): score, grade, rank, change, rank_change, ...
        """
        from ._periods import score_periods

        return score_periods(self, data, period=period, nodes=nodes, progress=progress)

    def __repr__(self) -> str:
        head = f"Scheme(id={self._id!r}, name={self._name!r}"
        try:
            plan = self._compiled
        except SchemeError as e:
            n = len(e.problems)
            return f"{head}, invalid: {n} problem{'s' if n != 1 else ''})"
        return f"{head}, leaves={plan.leaf_count}, inputs={len(plan.inputs)}, grades={len(plan.grades)})"
