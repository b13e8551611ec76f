"""rpa_candidates: which steps of administrative processes should a software robot take over?

Import as ``import rpa_candidates as rc``; the public verbs are listed in ``__all__``.
"""

from . import synth
from .errors import (
    ColumnMappingError,
    DataQualityError,
    DataQualityWarning,
    LogFormatError,
    ParameterError,
    RpaCandidatesError,
)
from .eventlog import EventLog, Span
from .io import read_log
from .quality import DataQuality

__version__ = "0.1.0"

__all__ = [
    "ColumnMappingError",
    "DataQuality",
    "DataQualityError",
    "DataQualityWarning",
    "EventLog",
    "LogFormatError",
    "ParameterError",
    "RpaCandidatesError",
    "Span",
    "__version__",
    "read_log",
    "synth",
]
