"""Argument normalisation for :mod:`rectify.text`: documents and templates turned into what
``_core.text_similar`` takes.

Documents reach C++ either as the path of a folder or CSV file (read by the C++ reader, so errors
name the file) or as ``(source, header, columns)`` built from a DataFrame, one list of ``str`` per
column; C++ reads that as it reads a CSV, so the same checks apply and errors name
``DataFrame:row N:column``.
"""

from __future__ import annotations

import operator
import os
from typing import Any, List, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _compliance as _c
from . import _core

PathLike = Union[str, "os.PathLike[str]"]
#: What ``docs`` takes: a DataFrame with ``unit``, ``doc`` and ``text`` columns, or the path of a
#: folder of ``UNIT__TITLE.txt``/``.md`` files or of a CSV file with those columns.
Documents = Union[pd.DataFrame, PathLike]
#: What ``template`` takes: None, the template's text, or its file (see :func:`template_args`).
Template = Union[None, str, "os.PathLike[str]"]
DocumentsSpec = Union[str, Tuple[str, List[str], List[List[str]]]]

#: How errors name a DataFrame of documents (``DataFrame:row 3:text``).
FRAME_SOURCE = "DataFrame"
#: The columns read from a DataFrame (others are not even converted).
COLUMNS = ("unit", "doc", "text")
#: A str template that names no existing file is still taken for a file name, and so refused
#: when missing, if it has no line break and ends in one of these (a mistyped path would
#: otherwise be compared as text, silently removing nothing).
FILE_SUFFIXES = (".txt", ".md")


def utf8(s: str) -> bytes:
    """UTF-8 of a str; a lone surrogate is kept (as its 3 bytes) so that the library refuses it
    with ``rectify.text.encoding`` instead of Python raising a bare UnicodeEncodeError."""
    return s.encode("utf-8", errors="surrogatepass")


def documents_spec(docs: Any) -> DocumentsSpec:
    path = _c.path_of(docs)
    if path is not None:
        return path
    if isinstance(docs, pd.DataFrame):
        named = [n for n in docs.index.names if n is not None and n not in docs.columns]
        if named:
            docs = docs.reset_index(level=named)
        keep = [c for c in docs.columns if c in COLUMNS]
        # Only the three columns travel; a frame with none of them still goes, so that the
        # library names what is missing.
        frame = docs[keep] if keep else docs.iloc[:, :0]
        return _c.frame_spec(frame, FRAME_SOURCE)
    raise TypeError(
        "docs must be a pandas DataFrame with unit, doc and text columns, or the path of a folder of "
        f"UNIT__TITLE.txt files or of a CSV file, not {type(docs).__name__}"
    )


def template_args(template: Any) -> Tuple[Optional[bytes], Optional[str]]:
    """(text as UTF-8, path) of ``template``; both None for no template.

    - a ``pathlib.Path`` (any ``os.PathLike``) is always a file;
    - a ``str`` naming an existing file is that file; a ``str`` without a line break that ends
      in ``.txt`` or ``.md`` is a file too (missing: ``rectify.io.open``);
    - any other ``str`` is the template's text (an empty one is no template).
    """
    if template is None:
        return None, None
    if isinstance(template, os.PathLike):
        return None, os.fsdecode(os.fspath(template))
    if isinstance(template, str):
        one_line = "\n" not in template and "\r" not in template
        if one_line and template and os.path.isfile(template):
            return None, template
        if one_line and template.strip().lower().endswith(FILE_SUFFIXES):
            return None, template
        return (utf8(template) if template else None), None
    raise TypeError(
        f"template must be None, its text (str) or its file (str or pathlib.Path), not {type(template).__name__}"
    )


def count(value: Any, what: str) -> int:
    """A whole-number option; bools and floats are refused rather than truncated."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what} must be an integer, not bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{what} must be an integer, not {type(value).__name__}") from None


def inputs_frame(t: Tuple[List[str], List[str], Any]) -> pd.DataFrame:
    return _c.inputs_frame(t)


def normalized(s: str, source: str = "") -> str:
    return _core.text_normalize(utf8(s), source)
