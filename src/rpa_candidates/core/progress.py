"""Progress bars for work that takes more than a moment (``tqdm.auto``, notebook-aware).

Whether bars are shown is decided in this order:

1. :func:`set_progress` — ``rc.set_progress(False)`` switches them off for the session,
   ``rc.set_progress(True)`` on, ``rc.set_progress(None)`` back to automatic;
2. the environment variable ``RPA_CANDIDATES_PROGRESS`` — ``0``/``false``/``off``/``no``
   or ``1``/``true``/``on``/``yes``;
3. automatic: on in a Jupyter kernel and when standard error is a terminal, off when
   output goes to a file or pipe, and off whenever the ``CI`` environment variable is set
   (GitHub Actions, GitLab CI and most CI services set it), so logs stay clean.

A bar appears only once the work has run for :data:`DELAY_SECONDS`; quick calls print
nothing. In a notebook with ``ipywidgets`` installed the bar is a widget, otherwise a text
bar on standard error.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from .errors import ParameterError

__all__ = ["DELAY_SECONDS", "ENV_VAR", "phases", "progress_enabled", "set_progress"]

#: Environment variable that switches bars on (``1``) or off (``0``).
ENV_VAR = "RPA_CANDIDATES_PROGRESS"
#: A bar is drawn only for work still running after this many seconds (display only).
DELAY_SECONDS = 1.0

_TRUE = frozenset({"1", "true", "on", "yes"})
_FALSE = frozenset({"0", "false", "off", "no"})
_setting: bool | None = None


def set_progress(enabled: bool | None) -> None:
    """Switch progress bars on or off for this Python session.

    Parameters
    ----------
    enabled : bool or None
        ``True`` shows bars, ``False`` hides them, ``None`` returns to the automatic
        choice (``RPA_CANDIDATES_PROGRESS``, then Jupyter or terminal, never with ``CI``
        set; see :mod:`rpa_candidates.core.progress`).

    Raises
    ------
    ParameterError
        ``enabled`` is not True, False or None.

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> rc.set_progress(False)
    >>> rc.progress.progress_enabled()
    False
    >>> rc.set_progress(None)
    """
    global _setting
    if enabled is not None and not isinstance(enabled, bool):
        raise ParameterError(
            f"set_progress({enabled!r}): expected True, False or None (automatic)."
        )
    _setting = enabled


def _import_tqdm() -> Any:
    """``tqdm.auto.tqdm``, imported without its warning about a notebook lacking ipywidgets.

    Without ipywidgets ``tqdm.auto`` falls back to the text bar, which is fine here; the
    warning would otherwise appear in the first notebook cell that imports tqdm (pm4py
    does), so this module imports it first, quietly.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from tqdm.auto import tqdm

    return tqdm


_import_tqdm()


def _in_jupyter() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None or "ipykernel" not in sys.modules:
        return False
    ip = shell.get_ipython()  # type: ignore[attr-defined]
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


def progress_enabled() -> bool:
    """Whether bars are shown now (see the module docstring for the order of rules).

    Raises
    ------
    ParameterError
        ``RPA_CANDIDATES_PROGRESS`` holds a value other than 0/1/true/false/on/off/yes/no.
    """
    if _setting is not None:
        return _setting
    value = os.environ.get(ENV_VAR, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value:
        raise ParameterError(
            f"{ENV_VAR}={value!r} is not understood; set it to 0 (no progress bars) or 1."
        )
    if os.environ.get("CI"):
        return False
    if _in_jupyter():
        return True
    stream = sys.stderr
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


class Step(Protocol):
    def __call__(self, name: str) -> None: ...


class _Phases:
    """A bar over named phases, created by a timer only if the work is still running."""

    def __init__(self, names: Sequence[str], desc: str, delay: float) -> None:
        self.names = list(names)
        self.desc = desc
        self.done = -1  # index of the running phase
        self.bar: Any = None
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.timer = threading.Timer(delay, self._show)
        self.timer.daemon = True
        self.timer.start()

    def _label(self) -> str:
        return self.names[self.done] if 0 <= self.done < len(self.names) else ""

    def _show(self) -> None:
        with self.lock:
            if self.bar is not None or self.done >= len(self.names):
                return
            bar = _import_tqdm()(
                total=len(self.names),
                initial=max(self.done, 0),
                desc=self.desc,
                postfix=self._label(),
                unit="phase",
                leave=False,
                dynamic_ncols=True,
                bar_format="{desc} {bar} {n_fmt}/{total_fmt}{postfix} [{elapsed}]",
            )
            bar.start_t -= time.monotonic() - self.started  # elapsed counts from the start
            bar.refresh()
            self.bar = bar

    def __call__(self, name: str) -> None:
        with self.lock:
            if name not in self.names:
                raise ParameterError(f"Unknown phase {name!r}; expected one of {self.names!r}.")
            index = self.names.index(name)
            if self.bar is not None:
                self.bar.set_postfix_str(name, refresh=False)
                self.bar.update(index - max(self.done, 0))
            self.done = index

    def close(self) -> None:
        self.timer.cancel()
        with self.lock:
            self.done = len(self.names)
            if self.bar is not None:
                self.bar.update(self.bar.total - self.bar.n)
                self.bar.close()


def _nothing(name: str) -> None:
    return None


@contextmanager
def phases(names: Sequence[str], *, desc: str, delay: float = DELAY_SECONDS) -> Iterator[Step]:
    """A progress bar over the named phases of one piece of work.

    Call the yielded function with a phase's name as that phase starts; the bar (shown
    only when :func:`progress_enabled` and after ``delay`` seconds) counts the phases done
    and names the running one.

    Parameters
    ----------
    names : sequence of str
        The phases, in order.
    desc : str
        The label in front of the bar.
    delay : float, default=DELAY_SECONDS
        Seconds of work before the bar appears.

    Yields
    ------
    callable
        ``step(name)``.

    Examples
    --------
    >>> from rpa_candidates.core.progress import phases
    >>> with phases(["read", "count"], desc="demo") as step:
    ...     step("read")
    ...     step("count")
    """
    if not progress_enabled():
        yield _nothing
        return
    bar = _Phases(names, desc, delay)
    try:
        yield bar
    finally:
        bar.close()
