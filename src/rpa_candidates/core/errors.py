"""The library's own exceptions and warnings.

Every error raised to a user subclasses :class:`RpaCandidatesError` and says what was
found, what was expected and what to do. Every warning subclasses
:class:`DataQualityWarning`.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousDateError",
    "ColumnMappingError",
    "DataQualityError",
    "DataQualityWarning",
    "LogFormatError",
    "ParameterError",
    "RenderingWarning",
    "RpaCandidatesError",
    "SimulationError",
]


class RpaCandidatesError(Exception):
    """Base class of every error this library raises on purpose."""


class LogFormatError(RpaCandidatesError, ValueError):
    """The source cannot be read as an event log (format, encoding, structure)."""


class AmbiguousDateError(LogFormatError):
    """Every numeric date could be day-first or month-first (or the values mix both);
    give ``date_format`` (see :mod:`rpa_candidates.io.dateformats`)."""


class ColumnMappingError(RpaCandidatesError, KeyError):
    """A column role (case, activity, timestamp, ...) cannot be mapped to a column."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class DataQualityError(RpaCandidatesError, ValueError):
    """Raised with ``strict=True`` on the first row that would be rejected."""


class ParameterError(RpaCandidatesError, ValueError):
    """An argument has a value outside the allowed ones."""


class DataQualityWarning(UserWarning):
    """Something in the data deserves the analyst's attention (it is also in ``.quality``)."""


class RenderingWarning(DataQualityWarning):
    """An output was produced by a fallback (e.g. Graphviz failed, matplotlib drew the map)."""


class SimulationError(RpaCandidatesError, ValueError):
    """The log cannot support a what-if simulation (no resources, no start times, dates only)."""


# Shown as ``rpa_candidates.ParameterError`` etc. in tracebacks: the public name, not the
# module the class happens to live in.
for _cls in (
    RpaCandidatesError,
    LogFormatError,
    AmbiguousDateError,
    ColumnMappingError,
    DataQualityError,
    ParameterError,
    DataQualityWarning,
    RenderingWarning,
    SimulationError,
):
    _cls.__module__ = "rpa_candidates"
del _cls
