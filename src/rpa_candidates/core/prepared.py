"""The log prepared once, handed down to every stage of an analysis.

:func:`prepare` computes, once per log, what every stage reads: the prepared event frame
(:func:`rpa_candidates.core.engine.prepare_events`: the canonical columns with the case
and resource windows) and the classification of the resources into people and automated
accounts (:func:`rpa_candidates.core.resources.classify_resources`). ``rc.analyze``
prepares once and passes the :class:`PreparedLog` to features, relief, discovery and
routines; the public verbs (``rc.activity_features``, ``rc.discover``,
``rc.timing.handling_times``, ``estimate_relief``) take an ``EventLog`` too and then
prepare it themselves (:func:`as_prepared`).

No stage reads the raw log again for what the prepared log holds, and no stage below
reaches back up for it (``docs/architecture.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import pandas as pd

from . import engine
from .errors import ParameterError
from .eventlog import EventLog
from .resources import classify_resources

__all__ = ["PreparedLog", "as_prepared", "prepare", "prepared_events"]


@dataclass(frozen=True, eq=False, repr=False)
class PreparedLog:
    """An :class:`EventLog` with the frame and facts every stage reads, computed once.

    Attributes
    ----------
    log : EventLog
        The log as read (counts, quality, time zone).
    events : narwhals.LazyFrame
        The prepared frame (:func:`rpa_candidates.core.engine.prepare_events`).
    resources : pandas.DataFrame
        :func:`rpa_candidates.core.resources.classify_resources` with ``automation``.
    automation : dict
        The options the resources were classified with (``patterns``, ``overrides``).
    """

    log: EventLog
    events: nw.LazyFrame
    resources: pd.DataFrame
    automation: dict[str, Any] = field(default_factory=dict)

    @property
    def canonical(self) -> nw.LazyFrame:
        """The canonical frame with the attribute columns (:func:`engine.events`)."""
        return engine.events(self.log.frame)

    @property
    def automated(self) -> list[str]:
        """Pseudonyms of the automated resources, sorted."""
        table = self.resources
        flag = table["automated"].fillna(False).astype(bool)
        return sorted(str(r) for r in table.loc[flag, "resource"].dropna().unique())

    def __repr__(self) -> str:
        return f"PreparedLog({self.log!r})"


def prepare(log: EventLog, *, automation: Mapping[str, Any] | None = None) -> PreparedLog:
    """Prepare ``log`` once for every stage (module docstring).

    Parameters
    ----------
    log : EventLog
        From :func:`rpa_candidates.read_log`.
    automation : mapping, default=None
        Options of :func:`rpa_candidates.core.resources.classify_resources`
        (``patterns``, ``overrides``).

    Returns
    -------
    PreparedLog
    """
    _check_log(log)
    options = dict(automation or {})
    events = engine.prepare_events(log.frame)
    resources = classify_resources(log, events=events, **options)
    return PreparedLog(log=log, events=events, resources=resources, automation=options)


def as_prepared(
    source: EventLog | PreparedLog, *, automation: Mapping[str, Any] | None = None
) -> PreparedLog:
    """``source`` if it is prepared already (with the same ``automation``), else
    :func:`prepare` of it."""
    if isinstance(source, PreparedLog):
        if automation is not None and dict(automation) != source.automation:
            return PreparedLog(
                log=source.log,
                events=source.events,
                resources=classify_resources(source.log, events=source.events, **automation),
                automation=dict(automation),
            )
        return source
    return prepare(source, automation=automation)


def prepared_events(source: EventLog | PreparedLog) -> tuple[EventLog, nw.LazyFrame]:
    """The log and its prepared frame, for stages that need no resource classification
    (discovery): taken from a :class:`PreparedLog`, else prepared here."""
    if isinstance(source, PreparedLog):
        return source.log, source.events
    _check_log(source)
    return source, engine.prepare_events(source.frame)


def _check_log(log: object) -> None:
    if not isinstance(log, EventLog):
        raise ParameterError(
            f"Expected an rc.EventLog, got {type(log).__name__!r}; read the data with "
            "rc.read_log(...) first."
        )
