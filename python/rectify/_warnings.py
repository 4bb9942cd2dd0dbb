"""Silencing a warning of a library that rectify calls, safely from any thread.

``warnings.catch_warnings()`` swaps the process-wide filter list on entry and puts back the list
it saw on exit. Two threads inside one at once can therefore put back each other's temporary list
and leave an ``"ignore"`` filter behind for good, silencing every later warning of the process.
All of rectify's silencing goes through :func:`ignoring`, which holds one lock while it lasts, so
that ours never interleave. (Warnings that other threads raise meanwhile are still filtered by
the temporary list: Python's warning filters are global until 3.14.)
"""

from __future__ import annotations

import threading
import warnings
from contextlib import contextmanager
from typing import Iterator, Type

__all__ = ["ignoring"]

_LOCK = threading.RLock()  # re-entrant: a silenced call may reach another one


@contextmanager
def ignoring(category: Type[Warning] = Warning) -> Iterator[None]:
    """Ignores warnings of ``category`` inside the ``with`` block (see the module's note)."""
    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", category)
        yield
