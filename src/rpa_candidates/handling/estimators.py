"""Handling time: how long a person works on one execution of an activity.

Estimators written once as narwhals expressions over
:func:`rpa_candidates.core.engine.prepare_events` (no loop over events or cases):

* ``lifecycle``: ``ts − start_ts`` where the instance has a start;
* ``resource_gap``: ``ts − prev_resource_ts``, the time since the same resource's previous
  completion, only within one working session (same local day, ``0 < gap ≤ cap``, no
  batch, both completions in office hours on an office day, resource not automated): the
  user-tracking approach Celonis documents for logs without start times [1]_; with
  ``idle_correction`` (default) each gap is replaced by its expected handling time without
  the idle time before it, from a model fitted to the gaps (:mod:`rpa_candidates.handling.idle`);
* ``case_gap``: ``ts − prev_case_ts`` within one local day and capped, a last resort that
  contains the waiting time between the steps and so overstates handling time;
* ``given``: standard minutes from the user (e.g. :func:`standard_times`), which win;
* ``unknown``: the activity's stamps (or the log's) are dates without a time of day
  (:mod:`rpa_candidates.handling.resolution`): no handling time from timestamps at all;
* ``lifecycle_elapsed``: the activity has starts, but fewer than ``min_credible_span_share``
  of its spans are credible as work (same local day, ``0 ≤ ts − start_ts ≤
  session_hours``): the spans are mostly waiting, no handling time is taken from them;
* ``resource_gap_unidentified``: a ``resource_gap`` activity whose mean handling time the
  gaps do not identify: over a bootstrap of the gap histogram the idle model's mean varies
  by more than ``idle_max_log_sd`` on the log scale (:func:`rpa_candidates.handling.idle.
  identification`), e.g. a step one person does alone and seldom. Its indicators still
  describe the corrected gaps (the model reads them as a profile), but relief takes no
  handling time from it (:mod:`rpa_candidates.relief.bootstrap` maps no column to it).

For ``lifecycle`` only the credible spans count (``work_s``): a span across a night or
longer than one working session (ArbZG § 3: 10 h) is elapsed time, and the activity's mean
over its credible spans stands for those executions.

Each activity takes the first that applies: ``given``; ``unknown``; ``lifecycle`` (or
``lifecycle_elapsed``) if at least ``min_start_share`` of its executions have a start;
``resource_gap`` if it has at least
``min_resource_gaps`` valid gaps covering ``min_resource_gap_share`` of its executions;
else ``case_gap``. Defaults: ``data/timing.toml``; method and measured error:
``docs/handling-time.md``.

References
----------
.. [1] Celonis Product Documentation, "Processing Times" (Digital Twin extraction),
   "Processing Times estimation with User ID", https://docs.celonis.com/en/processing-times.html
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import narwhals as nw
import numpy as np
import pandas as pd

from ..core import engine
from ..core.errors import DataQualityWarning, ParameterError
from ..core.prepared import as_prepared, prepared_events
from . import idle, resolution
from .settings import TimingSettings, _defaults, _standard_minutes, load_settings

if TYPE_CHECKING:
    from ..core.eventlog import EventLog
    from ..core.prepared import PreparedLog

__all__ = [
    "SOURCES",
    "UNIDENTIFIED",
    "estimator_instances",
    "handling_times",
    "instance_handling",
    "summarise",
]

#: The values of ``handling_source``, in order of preference after ``given``.
SOURCES = ("given", "lifecycle", "resource_gap", "case_gap")
#: A ``resource_gap`` activity whose mean the gaps do not identify (idle model bootstrap).
UNIDENTIFIED = "resource_gap_unidentified"
#: Sources that give no handling time from timestamps (relief unknown unless ``given``).
NO_ESTIMATE = ("unknown", "lifecycle_elapsed", UNIDENTIFIED)


def _automated(resources: Any) -> list[str]:
    """Pseudonyms of automated resources from a ``classify_resources`` frame."""
    if resources is None:
        return []
    if not isinstance(resources, pd.DataFrame) or not {"resource", "automated"} <= set(
        resources.columns
    ):
        found = list(resources.columns) if isinstance(resources, pd.DataFrame) else resources
        raise ParameterError(
            f"resources must be a DataFrame with columns 'resource' and 'automated', got "
            f"{found!r}; pass the result of rpa_candidates.core.resources.classify_resources(log)."
        )
    automated = resources["automated"].fillna(False).astype(bool)
    return sorted(str(r) for r in resources.loc[automated, "resource"].dropna().unique())


def estimator_instances(
    prepared: nw.LazyFrame,
    s: TimingSettings,
    automated: list[str],
    keep: Sequence[str] = (),
    *,
    idle_correction: bool | None = None,
) -> nw.LazyFrame:
    """Every estimator's value per instance, lazily (the sources before one is chosen).

    Per instance: ``row``, ``activity``, ``resource``, the ``keep`` columns of
    ``prepared``, ``lifecycle_s`` (``ts − start_ts``, elapsed), ``work_s`` (the same where
    credible as work: same local day and at most ``s.session_hours``), ``gap_s``,
    ``case_s`` (seconds, null where not valid under the session rules of ``s``),
    ``instant`` (and, with ``s.idle_handover_split`` and no idle correction, the internal
    ``_chained``: the gap starts at the same person's previous instance of the case);
    ``gap_s`` without the idle time before
    the instance if ``idle_correction`` (``None``: ``s.idle_correction``; see
    :func:`rpa_candidates.handling.idle.remove_idle`). Callers pass ``False`` when no activity
    takes its handling time from ``gap_s``: the idle model's fit is then not needed (its
    result would be discarded), and nothing else changes. ``automated``: pseudonyms of
    automated resources (they give no resource gaps). :func:`instance_handling` picks one
    source per activity from these; the relief bootstrap sums them per case."""
    day = engine.DAY
    ts, local_day = nw.col("ts"), nw.col("local_day")
    start_s, end_s = s.office_start_hour * 3600.0, s.office_end_hour * 3600.0

    def second_of_day(t: nw.Expr) -> nw.Expr:
        return t + nw.col("utc_offset") - local_day * day

    def in_office(t: nw.Expr) -> nw.Expr:
        sec = second_of_day(t)
        return (sec >= start_s) & (sec < end_s)

    lifecycle = ts - nw.col("start_ts")
    start_day = ((nw.col("start_ts") + nw.col("utc_offset")) / day).floor()
    credible = (lifecycle >= 0) & (start_day == local_day) & (lifecycle <= s.session_hours * 3600.0)
    gap = ts - nw.col("prev_resource_ts")
    human = ~nw.col("resource").is_in(automated) if automated else nw.lit(value=True)
    session = (
        (nw.col("prev_resource_day") == local_day)
        & (gap > 0)
        & (gap <= s.resource_gap_cap_minutes * 60.0)
        & ~nw.col("same_time")
        & nw.col("weekday").is_in(list(s.office_weekdays))
        & in_office(ts)
        & in_office(nw.col("prev_resource_ts"))
        & human
    )
    # the gap starts at the same person's completion of the case's previous instance
    chained = (nw.col("prev_resource") == nw.col("resource")) & (
        nw.col("prev_case_ts") == nw.col("prev_resource_ts")
    )
    case_gap = ts - nw.col("prev_case_ts")
    prev_case_day = ((nw.col("prev_case_ts") + nw.col("utc_offset")) / day).floor()
    case_ok = (
        (prev_case_day == local_day) & (case_gap >= 0) & (case_gap <= s.case_gap_cap_minutes * 60.0)
    )
    instant = (
        nw.when(nw.col("same_time"))
        .then(nw.lit(value=True))
        .when(~nw.col("start_ts").is_null())
        .then(lifecycle < s.instant_seconds)
        .otherwise(case_gap < s.instant_seconds)
        .cast(nw.Float64)
    )
    out = prepared.select(
        "row",
        "activity",
        "resource",
        *keep,
        nw.when(lifecycle >= 0).then(lifecycle).alias("lifecycle_s"),
        nw.when(credible).then(lifecycle).alias("work_s"),
        nw.when(session.fill_null(False)).then(gap).alias("gap_s"),
        nw.when(case_ok.fill_null(False)).then(case_gap).alias("case_s"),
        instant.alias("instant"),
        *([chained.fill_null(False).alias("_chained")] if s.idle_handover_split else []),
    )
    correct = s.idle_correction if idle_correction is None else idle_correction
    return idle.remove_idle(out, s) if correct else out


def _instance_handling(
    prepared: nw.LazyFrame, options: Mapping[str, Any], s: TimingSettings | None
) -> nw.LazyFrame:
    s = s or options.get("timing") or _defaults()
    given = _standard_minutes(options.get("handling_times"))
    automated = _automated(options.get("resources"))
    inst = estimator_instances(prepared, s, automated, idle_correction=False)
    n = nw.col("n")
    is_given = nw.col("activity").is_in(list(given)) if given else nw.lit(value=False)
    dates = resolution.unmeasurable(resolution.activity_resolution(prepared, s))
    is_dates = nw.col("activity").is_in(dates) if dates else nw.lit(value=False)
    counts = inst.group_by("activity").agg(
        nw.len().alias("n"),
        nw.col("lifecycle_s").count().alias("n_start"),
        nw.col("work_s").count().alias("n_work"),
        nw.col("gap_s").count().alias("n_gap"),
    )
    source = (
        nw.when(is_given)
        .then(nw.lit("given"))
        .when(is_dates)
        .then(nw.lit("unknown"))
        .when(
            (nw.col("n_start") >= s.min_start_share * n)
            & (nw.col("n_work") >= s.min_credible_span_share * nw.col("n_start"))
        )
        .then(nw.lit("lifecycle"))
        .when(nw.col("n_start") >= s.min_start_share * n)
        .then(nw.lit("lifecycle_elapsed"))
        .when(
            (nw.col("n_gap") >= s.min_resource_gaps)
            & (nw.col("n_gap") >= s.min_resource_gap_share * n)
        )
        .then(nw.lit("resource_gap"))
        .otherwise(nw.lit("case_gap"))
    )
    # the source per activity does not depend on the idle correction (it keeps which
    # gaps are null); fit the idle model only if some activity uses the gaps
    table = engine.collect(counts.select("activity", source.alias("source")), sort=None)
    if s.idle_correction and (table["source"] == "resource_gap").any():
        inst, weak = idle.remove_idle_checked(inst, s)
        weak_gap = table["activity"].astype(str).isin(weak) & (table["source"] == "resource_gap")
        table.loc[weak_gap, "source"] = UNIDENTIFIED
    choice = engine.small_frame(table, like=inst, spark_schema="activity string, source string")
    given_seconds = nw.lit(None, dtype=nw.Float64)
    for activity, minutes in given.items():
        given_seconds = (
            nw.when(nw.col("activity") == activity).then(minutes * 60.0).otherwise(given_seconds)
        )
    by = nw.col("source")
    seconds = (
        nw.when(by == "given")
        .then(given_seconds)
        .when(by == "lifecycle")
        .then(nw.col("work_s"))
        .when(by.is_in(["resource_gap", UNIDENTIFIED]))  # the indicators describe the gaps
        .then(nw.col("gap_s"))
        .when(by == "case_gap")
        .then(nw.col("case_s"))
    )
    # day stamps say nothing about instant executions either
    instant = nw.when(~is_dates).then(nw.col("instant"))
    return inst.join(choice, on="activity", how="left").select(
        "activity",
        seconds.cast(nw.Float64).alias("seconds"),
        "source",
        instant.alias("instant"),
    )


def instance_handling(
    prepared: nw.LazyFrame,
    options: Mapping[str, Any] | None = None,
    *,
    settings: TimingSettings | None = None,
) -> nw.LazyFrame:
    """Per-instance handling time, lazily, from the best source of each activity.

    Parameters
    ----------
    prepared : narwhals.LazyFrame
        :func:`rpa_candidates.core.engine.prepare_events` of a log.
    options : mapping, default=None
        The feature context's options (``rc.features.Context.options``); may hold
        ``handling_times`` (activity -> standard minutes), ``resources`` (a
        :func:`rpa_candidates.core.resources.classify_resources` frame) and ``timing``
        (a :class:`TimingSettings`).
    settings : TimingSettings, default=None
        Overrides ``options["timing"]``; ``None`` uses ``data/timing.toml``.

    Returns
    -------
    narwhals.LazyFrame
        One row per activity instance: ``activity``; ``seconds`` (the estimate, null where
        the chosen source has none for this instance); ``source`` (see :data:`SOURCES`);
        ``instant`` (null for ``unknown`` activities, whose day stamps say nothing; 1.0
        if the instance is part of a batch, i.e. its resource completed
        another instance at the same second, or if start→complete, or without a start the
        case gap, is below ``instant_seconds``; null if none of these exists).
    """
    return _instance_handling(prepared, options or {}, settings)


def summarise(instances: nw.LazyFrame) -> pd.DataFrame:
    """Per-activity statistics of :func:`instance_handling` (see :func:`handling_times`)."""
    seconds = nw.col("seconds")
    stats = engine.collect(
        instances.group_by("activity").agg(
            nw.len().alias("executions"),
            nw.col("source").min().alias("handling_source"),
            seconds.count().alias("handling_n"),
            seconds.median().alias("median_s"),
            seconds.mean().alias("mean_s"),
            seconds.quantile(0.25, interpolation="linear").alias("q25_s"),
            seconds.quantile(0.75, interpolation="linear").alias("q75_s"),
            seconds.std(ddof=0).alias("std_s"),
            nw.col("instant").mean().alias("instant_share"),
        )
    )
    mean = stats["mean_s"] / 60.0
    std = stats["std_s"] / 60.0
    positive = mean > 0
    out = pd.DataFrame(
        {
            "activity": stats["activity"],
            "handling_source": stats["handling_source"].astype(object),
            "executions": stats["executions"].astype("int64"),
            "handling_n": stats["handling_n"].astype("int64"),
            "handling_coverage": stats["handling_n"] / stats["executions"],
            "handling_median_minutes": stats["median_s"] / 60.0,
            "handling_mean_minutes": mean,
            "handling_iqr_minutes": (stats["q75_s"] - stats["q25_s"]) / 60.0,
            "handling_cv": (std / mean).where(positive),
            "stability": (std**2 / mean).where(positive),
            "instant_share": stats["instant_share"].astype(float),
        }
    )
    given = out["handling_source"] == "given"
    out.loc[given, ["handling_iqr_minutes", "handling_cv", "stability"]] = np.nan
    return out


def handling_times(
    log: EventLog | PreparedLog,
    *,
    standard_times: Mapping[str, float] | None = None,
    resources: pd.DataFrame | None = None,
    resource_gap_cap_minutes: float | None = None,
    case_gap_cap_minutes: float | None = None,
    office_start_hour: float | None = None,
    office_end_hour: float | None = None,
    office_weekdays: tuple[int, ...] | None = None,
    min_start_share: float | None = None,
    min_resource_gaps: int | None = None,
    min_resource_gap_share: float | None = None,
    idle_correction: bool | None = None,
    idle_max_log_sd: float | None = None,
    idle_handover_split: bool | None = None,
) -> pd.DataFrame:
    """Handling time per activity, from the best source available for each activity.

    The source per activity (``given``, ``lifecycle``, ``resource_gap``, ``case_gap``) and
    the session rules are those of the module docstring. Automated executions keep their
    estimate; ``instant_share`` shows them.

    Parameters
    ----------
    log : EventLog or PreparedLog
        A log from :func:`rpa_candidates.read_log`, or one prepared by
        :func:`rpa_candidates.core.prepared.prepare` (its resource classification is used
        when ``resources`` is None).
    standard_times : mapping, default=None
        Activity -> standard minutes per execution; wins over every estimate.
    resources : pandas.DataFrame, default=None
        Columns ``resource`` (pseudonym) and ``automated`` (bool), as returned by
        :func:`rpa_candidates.core.resources.classify_resources`; automated resources give no
        resource gaps. ``None`` classifies the log's resources with that function.
    resource_gap_cap_minutes, case_gap_cap_minutes, office_start_hour, office_end_hour, \
office_weekdays, min_start_share, min_resource_gaps, min_resource_gap_share : default=None
        Estimator settings; ``None`` takes the default of ``data/timing.toml``
        (120 min, 480 min, 6, 19, Monday–Friday, 0.5, 5, 0.1).
    idle_correction : bool, default=None
        Remove the idle time before each item from its resource gap
        (:mod:`rpa_candidates.handling.idle`); ``None`` takes the default (``True``).
    idle_max_log_sd : float, default=None
        Largest bootstrap spread of a ``resource_gap`` mean (log scale) that is kept;
        above it the activity is ``resource_gap_unidentified``. ``None``: 0.1;
        ``float("inf")`` keeps every estimate.
    idle_handover_split : bool, default=None
        Give the gaps that start at the same person's completion of the case's previous
        instance their own idle distribution (:mod:`rpa_candidates.handling.idle`);
        ``None`` takes the default (``True``).

    Returns
    -------
    pandas.DataFrame
        One row per activity, sorted by ``activity``: ``activity``, ``handling_source``,
        ``executions``, ``handling_n`` (executions with an estimate), ``handling_coverage``
        (``handling_n / executions``), ``handling_median_minutes``,
        ``handling_mean_minutes``, ``handling_iqr_minutes`` (``Q75 − Q25``), ``handling_cv``
        (``σ / mean``, population σ), ``stability`` (``Σ(d − mean)² / (n · mean)`` in
        minutes), ``instant_share``. For ``given`` activities the median and mean are the
        given minutes and the spread columns are NaN.

    Raises
    ------
    ParameterError
        Malformed ``standard_times``, ``resources`` or settings.

    See Also
    --------
    standard_times : the Destatis Zeitwerttabelle Verwaltung, to build ``standard_times``.

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> from rpa_candidates import timing
    >>> events = rc.synth.simulate("wohngeld", n_cases=60, seed=1).events.drop(columns="start")
    >>> table = timing.handling_times(rc.read_log(events, timestamp="end"))
    >>> sorted(set(table["handling_source"]) - {"resource_gap", "case_gap"})
    ['resource_gap_unidentified']
    """
    settings = load_settings(
        resource_gap_cap_minutes=resource_gap_cap_minutes,
        case_gap_cap_minutes=case_gap_cap_minutes,
        office_start_hour=office_start_hour,
        office_end_hour=office_end_hour,
        office_weekdays=office_weekdays,
        min_start_share=min_start_share,
        min_resource_gaps=min_resource_gaps,
        min_resource_gap_share=min_resource_gap_share,
        idle_correction=idle_correction,
        idle_max_log_sd=idle_max_log_sd,
        idle_handover_split=idle_handover_split,
    )
    given = _standard_minutes(standard_times)
    if resources is None:
        p = as_prepared(log)
        log, prepared, resources = p.log, p.events, p.resources
    else:
        log, prepared = prepared_events(log)
    unknown = sorted(set(given) - set(log.activities))
    if unknown:
        warnings.warn(
            f"standard_times names activities not in the log: {unknown!r}; they are ignored. "
            "Check the spelling against log.activities.",
            DataQualityWarning,
            stacklevel=2,
        )
    options = {"handling_times": given, "resources": resources}
    return summarise(_instance_handling(prepared, options, settings))
