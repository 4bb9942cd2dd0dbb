"""Progress bars (tqdm) for long work: SMAA, similarity over many documents, multi-period
scoring and Dask scoring.

Every long-running function takes ``progress=None``: ``None`` shows a bar only where someone
can see it (stderr is a terminal, or the code runs in a Jupyter kernel), ``True`` always shows
one, ``False`` never does. Logs, pipes and CI therefore get no bar and no control characters.
"""

from __future__ import annotations

import sys
from typing import Any, Optional


def _in_notebook() -> bool:
    # An IPython kernel (Jupyter, VS Code) has a ZMQ shell; a terminal IPython does not, and is
    # covered by the isatty test instead. Importing IPython is avoided when it is not loaded.
    shell_module = sys.modules.get("IPython")
    if shell_module is None:
        return False
    try:
        shell = shell_module.get_ipython()
    except Exception:  # pragma: no cover - a broken IPython must not break scoring
        return False
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def enabled(progress: Optional[bool]) -> bool:
    """Whether to show a bar for ``progress`` (``None`` = where someone can see it)."""
    if progress is not None:
        return bool(progress)
    if _in_notebook():
        return True
    stream = sys.stderr
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced stderr
        return False


class _Silent:
    """The no-op stand-in for a bar that is not shown."""

    n = 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> "_Silent":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def bar(total: Optional[int], desc: str, progress: Optional[bool], unit: str = "it") -> Any:
    """A tqdm bar (``tqdm.auto``: a widget in notebooks, text in terminals) or a silent stand-in
    with the same ``update``/``close``/context-manager interface."""
    if not enabled(progress):
        return _Silent()
    if _in_notebook():
        try:
            from tqdm.auto import tqdm  # type: ignore[import-untyped]  # no stubs shipped
        except ImportError:  # pragma: no cover - tqdm is a dependency
            return _Silent()
    else:
        from tqdm import tqdm  # type: ignore[import-untyped]
    return tqdm(total=total, desc=desc, unit=unit, leave=False, dynamic_ncols=True)


class Watch:
    """The progress callback handed to the compiled core (SMAA, copy detection), which calls it
    from this thread (with the GIL) at most about 100 times: it opens the bar at the first call,
    when the total is known, and moves it. It is passed even when no bar is shown, because the
    binding checks for Ctrl-C before each call: that is what lets a notebook interrupt a long
    run."""

    def __init__(self, desc: str, progress: Optional[bool], unit: str) -> None:
        self._desc = desc
        self._progress = progress
        self._unit = unit
        self._bar: Any = None
        self._done = 0

    def __call__(self, done: int, total: int) -> bool:
        if self._bar is None:
            self._bar = bar(total, self._desc, self._progress, unit=self._unit)
        if done > self._done:
            self._bar.update(done - self._done)
            self._done = done
        return True

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
