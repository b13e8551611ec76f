"""rpa_candidates: which steps of administrative processes should a software robot take over?

Import as ``import rpa_candidates as rc``; the public verbs are listed in ``__all__``.

The names load on first use (PEP 562 module ``__getattr__``): ``import rpa_candidates``
itself imports only the error types, so a notebook or the command line starts at once,
and pandas, polars, scikit-learn, matplotlib, pm4py, Jinja2 and openpyxl are imported by
the stage that needs them (``tests/test_imports.py`` holds the list;
``benchmarks/bench_import.py`` measures the time).
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from .core.errors import (
    ColumnMappingError,
    DataQualityError,
    DataQualityWarning,
    LogFormatError,
    ParameterError,
    RenderingWarning,
    RpaCandidatesError,
    SimulationError,
)
from .core.version import __version__

if TYPE_CHECKING:  # the same names, for type checkers and editors
    from . import features, scoring, synth
    from . import handling as timing
    from .analysis import Analysis, analyze
    from .comparison import Comparison, compare
    from .core import progress
    from .core.eventlog import EventLog, Span
    from .core.progress import set_progress
    from .core.quality import DataQuality
    from .features import activity_features
    from .io import read_log
    from .mining import ProcessModel, discover
    from .relief import Assumptions
    from .scoring import AutomatabilityModel, RuleScorer
    from .whatif import WhatIf, what_if

__all__ = [
    "Analysis",
    "Assumptions",
    "AutomatabilityModel",
    "ColumnMappingError",
    "Comparison",
    "DataQuality",
    "DataQualityError",
    "DataQualityWarning",
    "EventLog",
    "LogFormatError",
    "ParameterError",
    "ProcessModel",
    "RenderingWarning",
    "RpaCandidatesError",
    "RuleScorer",
    "SimulationError",
    "Span",
    "WhatIf",
    "__version__",
    "activity_features",
    "analyze",
    "compare",
    "discover",
    "features",
    "progress",
    "read_log",
    "scoring",
    "set_progress",
    "synth",
    "timing",
    "what_if",
]

#: Public name -> (module, attribute); attribute None: the module itself.
_LAZY: dict[str, tuple[str, str | None]] = {
    "Analysis": (".analysis", "Analysis"),
    "analyze": (".analysis", "analyze"),
    "Comparison": (".comparison", "Comparison"),
    "compare": (".comparison", "compare"),
    "Assumptions": (".relief", "Assumptions"),
    "AutomatabilityModel": (".scoring", "AutomatabilityModel"),
    "RuleScorer": (".scoring", "RuleScorer"),
    "DataQuality": (".core.quality", "DataQuality"),
    "EventLog": (".core.eventlog", "EventLog"),
    "Span": (".core.eventlog", "Span"),
    "ProcessModel": (".mining", "ProcessModel"),
    "discover": (".mining", "discover"),
    "activity_features": (".features", "activity_features"),
    "read_log": (".io", "read_log"),
    "set_progress": (".core.progress", "set_progress"),
    "features": (".features", None),
    "progress": (".core.progress", None),
    "scoring": (".scoring", None),
    "synth": (".synth", None),
    "timing": (".handling", None),
    "WhatIf": (".whatif", "WhatIf"),
    "what_if": (".whatif", "what_if"),
    # modules that lived at the top before the stage packages (rc.errors.X keeps working)
    "errors": (".core.errors", None),
    "privacy": (".core.privacy", None),
    "quality": (".core.quality", None),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attribute = _LAZY[name]
    elif not name.startswith("_") and find_spec(f"{__name__}.{name}") is not None:
        module, attribute = f".{name}", None  # a stage package or module, e.g. rc.report
    else:
        raise AttributeError(f"module 'rpa_candidates' has no attribute {name!r}")
    value = import_module(module, __name__)
    if attribute is not None:
        value = getattr(value, attribute)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
