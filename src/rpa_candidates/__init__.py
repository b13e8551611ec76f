"""rpa_candidates: which steps of administrative processes should a software robot take over?

Import as ``import rpa_candidates as rc``; the public verbs are listed in ``__all__``.
"""

from . import features, scoring, synth
from . import handling as timing
from .analysis import Analysis, analyze
from .comparison import Comparison, compare
from .core import progress
from .core.errors import (
    ColumnMappingError,
    DataQualityError,
    DataQualityWarning,
    LogFormatError,
    ParameterError,
    RenderingWarning,
    RpaCandidatesError,
)
from .core.eventlog import EventLog, Span
from .core.progress import set_progress
from .core.quality import DataQuality
from .features import activity_features
from .io import read_log
from .mining import ProcessModel, discover
from .relief import Assumptions
from .scoring import AutomatabilityModel, RuleScorer

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
    "Span",
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
]
