"""Lazy, quiet access to pm4py (it costs about 2 s to import and prints progress bars).

pm4py's functions are called only through :func:`pm4py_module`, which imports it once,
switches its tqdm bars off (``PM4PY_SHOW_PROGRESS_BAR``) and avoids the pandas 3 +
pyarrow-string trap (some pm4py filters raise ``ArrowNotImplementedError`` on Arrow-backed
strings): frames handed to pm4py use Python string storage.
"""

from __future__ import annotations

import os
from functools import cache
from types import ModuleType

__all__ = ["pm4py_module"]


@cache
def pm4py_module() -> ModuleType:
    """Import pm4py once with its progress bars off and return the module."""
    os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "false")
    import pm4py

    return pm4py
