"""Assemble the registered indicators into one table per activity."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import narwhals as nw
import pandas as pd

from ..core import annualise, engine
from ..core.prepared import as_prepared
from ._registry import _ENTRIES, CATALOG, Context

if TYPE_CHECKING:
    from ..core.eventlog import EventLog
    from ..core.prepared import PreparedLog

__all__ = ["activity_features", "dominant_end", "make_context"]


def dominant_end(prepared: nw.LazyFrame) -> str | None:
    """The most frequent last activity of a case (ties by name); None for an empty log."""
    ends = (
        prepared.filter(nw.col("next_activity").is_null())
        .group_by("activity")
        .agg(nw.len().alias("n"))
        .sort(["n", "activity"], descending=[True, False])
        .head(1)
    )
    frame = engine.collect(ends, sort=None)
    return str(frame["activity"].iloc[0]) if len(frame) else None


def make_context(p: PreparedLog, **options: Any) -> Context:
    """Log-level facts: cases, observation period in years, dominant end activity.

    The period is :func:`rpa_candidates.core.annualise.arrival_days` over the case starts (the
    same period the relief estimate annualises over), at least one day.
    """
    prepared = p.events
    starts = (
        prepared.with_columns(nw.min_horizontal("start_ts", "ts").alias("_start"))
        .group_by("case_id")
        .agg(nw.col("_start").min())
        .select(
            nw.col("_start").count().alias("n"),
            nw.col("_start").min().alias("first"),
            nw.col("_start").max().alias("last"),
        )
    )
    row = engine.collect(starts, sort=None).iloc[0]
    days = annualise.period_days(int(row["n"]), float(row["first"]), float(row["last"]))
    return Context(
        n_cases=p.log.n_cases,
        span_years=(days if days == days else 1.0) / annualise.DAYS_PER_YEAR,
        dominant_end=dominant_end(prepared),
        options=dict(options),
        events=p.canonical,
    )


def _to_pandas(frame: Any) -> pd.DataFrame:
    if isinstance(frame, pd.DataFrame):
        return frame
    if isinstance(frame, nw.LazyFrame):
        return engine.strings(frame).collect().to_pandas()
    if isinstance(frame, nw.DataFrame):
        return frame.to_pandas()
    return nw.from_native(frame).lazy().collect().to_pandas()


def activity_features(
    log: EventLog | PreparedLog,
    *,
    handling_times: Mapping[str, float] | None = None,
    automation: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Compute every indicator of :data:`CATALOG` for every activity of ``log``.

    Parameters
    ----------
    log : EventLog or PreparedLog
        A log from :func:`rpa_candidates.read_log`, or the log prepared once by
        :func:`rpa_candidates.core.prepared.prepare` (as ``rc.analyze`` passes it).
    handling_times : mapping, default=None
        Standard handling times in minutes per activity (e.g. from a workshop or the
        Destatis Zeitwerttabelle, see :func:`rpa_candidates.timing.standard_times`); they
        win over every estimate and the activity's ``handling_source`` becomes ``"given"``.
    automation : mapping, default=None
        Options of :func:`rpa_candidates.core.resources.classify_resources` (``patterns``,
        ``overrides``) that decide which resources count as automated.

    Returns
    -------
    pandas.DataFrame
        One row per activity; ``activity`` then one column per :data:`CATALOG` entry, in
        catalogue order. Missing values (an indicator that cannot be computed for an
        activity, e.g. handling time without any estimate) are NaN.

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=60, seed=1).events)
    >>> features = rc.activity_features(log)
    >>> set(features.columns) == {"activity", *rc.features.CATALOG}
    True
    """
    p = as_prepared(log, automation=automation)
    prepared = p.events
    ctx = make_context(p, handling_times=dict(handling_times or {}), resources=p.resources)
    aggregations = [e for e in _ENTRIES if e.kind == "agg"]
    result = _to_pandas(
        prepared.group_by("activity").agg(
            *[e.function(ctx).alias(e.columns[0]) for e in aggregations]
        )
    )
    for entry in (e for e in _ENTRIES if e.kind == "table"):
        table = _to_pandas(entry.function(prepared, ctx))
        result = result.merge(table[["activity", *entry.columns]], on="activity", how="left")
    result = result[["activity", *CATALOG]]
    return result.sort_values("activity", kind="stable").reset_index(drop=True)
