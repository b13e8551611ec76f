"""``EventLog``: a read log in two shapes, the canonical table and pm4py's DataFrame."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import pandas as pd

from . import engine
from .quality import DataQuality

__all__ = ["EventLog", "Span"]

#: Canonical column -> pm4py column of ``EventLog.df``.
PM4PY_NAMES = {
    "case_id": "case:concept:name",
    "activity": "concept:name",
    "ts": "time:timestamp",
    "start_ts": "start_timestamp",
    "resource": "org:resource",
}


@dataclass(frozen=True)
class Span:
    """The period a log covers (UTC).

    Attributes
    ----------
    start, end : datetime
        First start (or completion) and last completion.
    days : float
        ``(end − start)`` in days.
    years : float
        ``days / 365.25``; the factor by which counts are annualised later.
    """

    start: datetime | None
    end: datetime | None
    days: float

    @property
    def years(self) -> float:
        return self.days / 365.25


class EventLog:
    """An event log as read by :func:`rpa_candidates.read_log`: one row per activity instance.

    Parameters
    ----------
    frame : polars.DataFrame or pyspark.sql.DataFrame
        The canonical table: ``case_id``, ``activity``, ``resource``, ``ts``, ``start_ts``
        (UTC epoch seconds), ``utc_offset`` (seconds), ``row``, then attributes; read from
        a file or pandas/polars, ``activity`` and ``resource`` are polars categoricals
        (compare them with strings as usual; ``.cast(pl.String)`` for plain text). A Spark
        frame (from a pyspark DataFrame given to ``read_log``) keeps the features on Spark;
        the counts below then each run one small Spark job, once.
    quality : DataQuality
        The row accounting of the read.
    tz : str
        Time zone of the organisation (for office hours and weekdays).
    identities : dict, default=None
        ``{"case_id": {pseudonym: original}, "resource": {...}}``, in memory only, used to
        recognise system accounts by name; it never reaches an output.

    Attributes
    ----------
    df : pandas.DataFrame
        pm4py's column names (``case:concept:name``, ``concept:name``, ``time:timestamp``,
        ``start_timestamp``, ``org:resource``, attributes), UTC timestamps and Python
        string storage, so every pm4py function accepts it. For a Spark log this collects
        the whole canonical frame to the driver (``toArrow``), so call it only when the
        log fits into the driver's memory.
    quality : DataQuality
    n_cases, n_events, n_activities : int
    span : Span

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> log = rc.read_log("sample_logs/receipt.xes.gz")
    >>> log.n_events, log.n_activities
    (8577, 27)
    """

    def __init__(
        self,
        frame: Any,
        quality: DataQuality,
        *,
        tz: str = "Europe/Berlin",
        identities: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self._frame = frame
        self.quality = quality
        self.tz = tz
        self._identities = identities or {}

    @property
    def frame(self) -> Any:
        """The canonical table (polars, or pyspark for a Spark log) the feature engine reads."""
        return self._frame

    @cached_property
    def df(self) -> pd.DataFrame:
        return engine.pm4py_frame(self._frame, PM4PY_NAMES)

    @cached_property
    def n_events(self) -> int:
        """Activity instances (a paired start/complete counts once)."""
        return engine.count_rows(self._frame)

    @cached_property
    def n_cases(self) -> int:
        return engine.count_unique(self._frame, "case_id")

    @cached_property
    def n_activities(self) -> int:
        return engine.count_unique(self._frame, "activity")

    @property
    def activities(self) -> list[str]:
        """Activities, most frequent first (ties by name)."""
        return list(self._activities)

    @cached_property
    def _activities(self) -> tuple[str, ...]:
        return tuple(engine.value_counts(self._frame, "activity")["activity"].tolist())

    @cached_property
    def has_start_timestamps(self) -> bool:
        """True when at least one instance has a start time (lifecycle or interval log)."""
        return engine.any_not_null(self._frame, "start_ts")

    @property
    def span(self) -> Span:
        q = self.quality
        return Span(q.start, q.end, q.span_days)

    def __len__(self) -> int:
        return self.n_events

    def __repr__(self) -> str:
        return (
            f"EventLog({self.quality.source!r}: {self.n_events:,} activity instances, "
            f"{self.n_cases:,} cases, {self.n_activities} activities, {self.span.days:.0f} days; "
            "see .quality.summary(), .df)"
        )

    def _repr_html_(self) -> str:
        q = self.quality
        rows = [
            ("Source", q.source),
            ("Activity instances", f"{self.n_events:,}"),
            ("Cases", f"{self.n_cases:,}"),
            ("Activities", f"{self.n_activities:,}"),
            ("Period (UTC)", f"{q.start:%Y-%m-%d} – {q.end:%Y-%m-%d}" if q.start else "–"),
            (
                "Rows read / used / rejected",
                f"{q.rows_read:,} / {q.rows_used:,} / {q.rows_rejected:,}",
            ),
            ("Warnings", f"{len(q.warnings)}; see .quality.summary()"),
        ]
        top = self.activities[:5]
        more = f", … ({self.n_activities - len(top)} more)" if self.n_activities > len(top) else ""
        rows.append(("Most frequent activities", ", ".join(top) + more))
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return f"<table><caption>EventLog</caption>{body}</table>"
