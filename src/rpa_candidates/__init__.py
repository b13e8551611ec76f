"""rpa_candidates: which steps of administrative processes should a software robot take over?

Import as ``import rpa_candidates as rc``; the public verbs are listed in ``__all__``.
"""

from . import features, progress, scoring, synth, timing
from .analysis import Analysis, analyze
from .assumptions import Assumptions
from .comparison import Comparison, compare
from .errors import (
    ColumnMappingError,
    DataQualityError,
    DataQualityWarning,
    LogFormatError,
    ParameterError,
    RenderingWarning,
    RpaCandidatesError,
    SimulationError,
)
from .eventlog import EventLog, Span
from .features import activity_features
from .io import read_log
from .mining import ProcessModel, discover
from .progress import set_progress
from .quality import DataQuality
from .scoring import AutomatabilityModel, RuleScorer
from .whatif import WhatIf, what_if

__version__ = "0.1.0"

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
