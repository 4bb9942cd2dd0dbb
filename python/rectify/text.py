"""Copied-material detection (生搬硬套和抄袭, docs/similarity.md): near-duplicate documents filed by
different units, with the passages they share, and the scorer's ``copied_documents`` per unit.

>>> from pathlib import Path
>>> from rectify import text
>>> s = text.similar("examples/data/documents", template=Path("examples/data/documents_template.txt"))
>>> s                              # summary: documents, pairs, LSH banding
>>> s.pairs[["unit_a", "doc_a", "unit_b", "doc_b", "jaccard", "passage"]]
>>> s.pairs.passages[0]            # every long shared passage, with offsets and text as written
>>> units = rectify.read_units_csv("examples/data/units.csv").drop(columns="copied_documents")
>>> data = units.join(s.inputs)     # the computed copied_documents, then Scheme.score(data)
>>> text.normalize("２０２６年，ＡＢ　支部！")   # what is compared: '2026年ab支部'

Documents are a DataFrame with ``unit``, ``doc`` and ``text`` columns, or the path of a folder
of ``UNIT__TITLE.txt``/``.md`` files or of a CSV file with those columns (read by the C++
reader). Bad documents raise :class:`~rectify.TextError` naming the file (``file:line:column``,
``DataFrame:row N:text``); a path that cannot be read raises :class:`~rectify.DataError`. The GIL
is released while comparing, so several threads can compare at once.
"""

from __future__ import annotations

import html
from typing import Any, Dict, List, Optional

import numpy as np
import pandas as pd

from . import _core, _progress
from . import _text as _t
from ._text import Documents, Template

__all__ = ["SimilarResult", "normalize", "similar"]

#: The columns of :attr:`SimilarResult.pairs`, in order.
PAIR_COLUMNS = (
    "unit_a",
    "doc_a",
    "unit_b",
    "doc_b",
    "jaccard",
    "a_in_b",
    "b_in_a",
    "shared",
    "passage",
    "passages",
    "a",
    "b",
)


class SimilarResult:
    """What :func:`similar` found.

    - ``pairs``: one row per reported pair, Jaccard descending (then document order):
      ``unit_a``, ``doc_a``, ``unit_b``, ``doc_b``; ``jaccard`` (|A ∩ B| / |A ∪ B| over the
      shingle sets, template shingles removed); ``a_in_b`` (|A ∩ B| / |A|: 1 when ``a`` was
      copied whole into ``b``) and ``b_in_a``; ``shared`` (|A ∩ B|); ``passage`` (the longest
      shared passage as written in ``a``, None when no passage reaches ``min_passage``);
      ``passages`` (a list of dicts, longest first: ``chars`` (length in normalised
      characters), ``a_text`` and ``b_text`` (the passage as written in each document),
      ``a_char_begin``/``a_char_end`` and ``b_char_begin``/``b_char_end`` (str indices:
      ``text_a[p["a_char_begin"]:p["a_char_end"]] == p["a_text"]``) and ``a_begin``/``a_end``/
      ``b_begin``/``b_end`` (UTF-8 byte offsets, as in the command line's JSON)); ``a`` and
      ``b`` (row numbers in ``documents``).
    - ``inputs``: the scorer's input indexed by ``unit`` (every unit that filed a document,
      sorted): ``copied_documents`` (float64), its documents in at least one reported pair.
    - ``documents``: one row per document in input order (a folder's are sorted by file name):
      ``unit``, ``doc``, ``source`` (file or ``file:line:column``), ``shingles`` (distinct
      k-shingles after removing the template's), ``too_short`` (fewer than ``k`` normalised
      characters: never reported) and ``copied`` (in at least one pair).
    - ``bands`` × ``rows``: the LSH banding used; ``candidates``: pairs the index proposed, all
      verified by exact Jaccard; ``threshold``, ``k``, ``hashes``, ``min_passage``,
      ``max_passages``, ``same_unit``: the options used.
    """

    __slots__ = (
        "pairs",
        "inputs",
        "documents",
        "bands",
        "rows",
        "candidates",
        "threshold",
        "k",
        "hashes",
        "min_passage",
        "max_passages",
        "same_unit",
    )

    pairs: pd.DataFrame
    inputs: pd.DataFrame
    documents: pd.DataFrame
    bands: int
    rows: int
    candidates: int
    threshold: float
    k: int
    hashes: int
    min_passage: int
    max_passages: int
    same_unit: bool

    def __init__(self, cols: Dict[str, Any]) -> None:
        self.bands = int(cols["bands"])
        self.rows = int(cols["rows"])
        self.candidates = int(cols["candidates"])
        self.threshold = float(cols["threshold"])
        self.k = int(cols["k"])
        self.hashes = int(cols["hashes"])
        self.min_passage = int(cols["min_passage"])
        self.max_passages = int(cols["max_passages"])
        self.same_unit = bool(cols["same_unit"])

        d = cols["documents"]
        units = np.asarray(list(d["unit"]), dtype=object)
        titles = np.asarray(list(d["doc"]), dtype=object)
        self.documents = pd.DataFrame(
            {
                "unit": pd.Series(units, dtype=object),
                "doc": pd.Series(titles, dtype=object),
                "source": pd.Series(list(d["source"]), dtype=object),
                "shingles": np.asarray(d["shingles"], dtype=np.int64),
                "too_short": np.asarray(d["too_short"], dtype=bool),
                "copied": np.asarray(d["copied"], dtype=bool),
            }
        )

        p = cols["pairs"]
        a = np.asarray(p["a"], dtype=np.int64)
        b = np.asarray(p["b"], dtype=np.int64)
        passages: List[List[Dict[str, Any]]] = list(p["passages"])
        self.pairs = pd.DataFrame(
            {
                "unit_a": pd.Series(units[a] if len(a) else [], dtype=object),
                "doc_a": pd.Series(titles[a] if len(a) else [], dtype=object),
                "unit_b": pd.Series(units[b] if len(b) else [], dtype=object),
                "doc_b": pd.Series(titles[b] if len(b) else [], dtype=object),
                "jaccard": np.asarray(p["jaccard"], dtype=np.float64),
                "a_in_b": np.asarray(p["a_in_b"], dtype=np.float64),
                "b_in_a": np.asarray(p["b_in_a"], dtype=np.float64),
                "shared": np.asarray(p["shared"], dtype=np.int64),
                "passage": pd.Series(list(p["passage"]), dtype=object),
                "passages": pd.Series(passages, dtype=object),
                "a": a,
                "b": b,
            },
            columns=list(PAIR_COLUMNS),
        )
        self.inputs = _t.inputs_frame(cols["inputs"])

    def _summary(self) -> str:
        docs = self.documents
        n_units = docs["unit"].nunique()
        n_pairs = len(self.pairs)
        parts = [
            f"{len(docs)} document{'s' if len(docs) != 1 else ''} from {n_units} unit{'s' if n_units != 1 else ''}",
            f"{n_pairs} pair{'s' if n_pairs != 1 else ''} with Jaccard ≥ {self.threshold:g}"
            + ("" if not self.same_unit else " (same unit included)"),
            f"{int(docs['copied'].sum())} documents copied",
        ]
        short = int(docs["too_short"].sum())
        if short:
            parts.append(f"{short} too short (< {self.k} characters)")
        plural = "s" if self.candidates != 1 else ""
        parts.append(f"LSH {self.bands}×{self.rows}, {self.candidates} candidate{plural}")
        return "; ".join(parts)

    def __repr__(self) -> str:
        return f"<rectify.text.SimilarResult {self._summary()}>"

    def _repr_html_(self) -> str:
        shown = self.pairs.drop(columns=["passages", "a", "b"])
        return f"<p><b>{html.escape('SimilarResult ' + self._summary())}</b></p>" + shown.to_html(max_rows=20)


def similar(
    docs: Documents,
    threshold: float = 0.5,
    template: Template = None,
    *,
    k: int = 5,
    hashes: int = 128,
    min_passage: int = 20,
    max_passages: int = 5,
    same_unit: bool = False,
    threads: int = 0,
    encoding: str = "utf-8",
    progress: Optional[bool] = None,
) -> SimilarResult:
    """Finds the documents that different units copied from each other (compliance.md §4).

    ``docs``: a DataFrame with columns ``unit``, ``doc`` (its title) and ``text`` (named index
    levels count as columns; other columns are ignored; a missing text is an empty document), or
    the path (str or ``pathlib.Path``) of a folder of ``UNIT__TITLE.txt``/``.md`` files, or of
    a CSV file ``unit,doc,text`` (``encoding="gbk"`` for Excel's Chinese CSV).

    ``template``: the text everyone is meant to quote, whose shingles are ignored in every
    document: None; a ``pathlib.Path`` (always a file); or a ``str``, which is a file when it
    names an existing file, or has no line break and ends in ``.txt``/``.md`` (a missing one
    raises :class:`~rectify.DataError` ``rectify.io.open``), and otherwise the template's text.

    Pairs with Jaccard ≥ ``threshold`` over character ``k``-shingles of the normalised text (see
    :func:`normalize`) are reported, with passages of at least ``min_passage`` normalised
    characters (the ``max_passages`` longest); pairs within one unit only with ``same_unit``.
    ``hashes`` is the MinHash signature size, ``threads`` the number of threads (0: every
    core); results do not depend on either beyond the LSH recall.

    ``progress``: a tqdm bar counted in documents: one per document normalised, shingled and
    signed (the bulk of the time), then a tenth as many more for the comparison (LSH bands,
    candidate pairs verified, passages); None = only in a terminal or a notebook, True = always,
    False = never. The result does not depend on it. Ctrl-C (a notebook's interrupt) stops the
    search within about a hundredth of it and raises KeyboardInterrupt. Reading a folder or CSV
    file comes before and is not counted.

    >>> s = rectify.text.similar(df, threshold=0.6, template="关于开展……的通知\\n……")
    >>> s.pairs; s.inputs
    """
    spec = _t.documents_spec(docs)
    template_text, template_path = _t.template_args(template)
    watch = _progress.Watch("similar", progress, "doc")
    try:
        cols = _core.text_similar(
            spec,
            threshold=float(threshold),
            template_text=template_text,
            template_path=template_path,
            k=_t.count(k, "k"),
            hashes=_t.count(hashes, "hashes"),
            min_passage=_t.count(min_passage, "min_passage"),
            max_passages=_t.count(max_passages, "max_passages"),
            same_unit=bool(same_unit),
            threads=_t.count(threads, "threads"),
            encoding=encoding,
            progress=watch,
        )
    finally:
        watch.close()
    return SimilarResult(cols)


def normalize(s: str) -> str:
    """The characters of ``s`` that copy detection compares: each folded by Unicode
    compatibility decomposition and case folding (full-width ``ＡＢ１２`` becomes ``ab12``),
    whitespace, punctuation and control characters dropped (Chinese and ASCII alike).
    Raises :class:`~rectify.TextError` (``rectify.text.encoding``) for a str holding a lone
    surrogate.

    >>> rectify.text.normalize("学习《党章》，　ＡＢＣ！")
    '学习党章abc'
    """
    if not isinstance(s, str):
        raise TypeError(f"normalize takes a str, not {type(s).__name__}")
    return _t.normalized(s)
