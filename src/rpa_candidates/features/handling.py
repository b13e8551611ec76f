"""Handling-time indicators: how long a person works on one execution of the activity.

The per-instance estimate comes from :func:`rpa_candidates.timing.instance_handling`
(``lifecycle``, ``resource_gap``, ``case_gap``, ``given``, or ``unknown`` /
``lifecycle_elapsed`` when the timestamps cannot measure working time, chosen per
activity); this
family summarises it. ``d`` below is one execution's estimate in minutes, ``n`` the
executions with an estimate, ``mean`` and ``σ`` (population standard deviation, ``ddof=0``)
are taken over them. For ``given`` activities (standard minutes from
``activity_features(log, handling_times=...)``) the median and mean are the given minutes,
coverage is 1, and IQR, cv and stability are NaN: one standard value says nothing about
how much the work varies. Method and measured error: ``docs/handling-time.md``.
"""

from __future__ import annotations

import narwhals as nw
import pandas as pd

from ..handling import estimators as timing
from ._registry import Context, indicator

__all__ = ["handling"]

_SOURCE = (
    "Celonis Product Documentation, Processing Times (Digital Twin extraction), "
    "https://docs.celonis.com/en/processing-times.html (resource gap without start times); "
    "Wanner, J., Hofmann, A., Fischer, M., Imgrund, F., Janiesch, C., Geyer-Klingeberg, J. "
    "(2019): Process Selection in RPA Projects – Towards a Quantifiable Method of Decision "
    "Making, ICIS 2019, Munich (stability of execution times); Destatis, Leitfaden zur "
    "Ermittlung und Darstellung des Erfüllungsaufwands, Zeitwerttabelle Verwaltung (given)"
)

COLUMNS = (
    "handling_source",
    "handling_coverage",
    "handling_median_minutes",
    "handling_mean_minutes",
    "handling_iqr_minutes",
    "handling_cv",
    "stability",
    "instant_share",
)


@indicator(family="handling", source=_SOURCE, kind="table", columns=COLUMNS)
def handling(prepared: nw.LazyFrame, ctx: Context) -> pd.DataFrame:
    """Handling time of one execution, its spread and the share of instant executions.

    handling_source: Where the handling time comes from.
        Formula: given if standard minutes are given; else unknown if ≥ 10 % of the
            activity's (or the log's) stamps are at local 00:00:00 (dates only, no
            estimate); else, if ≥ 50 % of executions have a start, lifecycle (ts − start_ts
            over the spans within one local day and ≤ 10 h) when ≥ 50 % of the spans are
            such, lifecycle_elapsed (no estimate) otherwise; else resource_gap
            (ts − prev_resource_ts within one session, times the posterior share of
            handling time of the idle model) if ≥ 5 valid gaps covering ≥ 10 % of
            executions; else case_gap (ts − prev_case_ts, same day, ≤ 8 h)
        Unit: category
        Direction: 0

    handling_coverage: Share of the activity's executions that have a handling-time estimate.
        Formula: n / n_a (1 for given)
        Unit: share 0..1
        Direction: 0

    handling_median_minutes: Median handling time of one execution.
        Formula: median(d)
        Unit: min
        Direction: +

    handling_mean_minutes: Mean handling time of one execution (the basis of relief).
        Formula: mean(d) = Σd / n
        Unit: min
        Direction: +

    handling_iqr_minutes: Interquartile range of the handling time (NaN for given).
        Formula: Q75(d) − Q25(d), linear interpolation
        Unit: min
        Direction: -

    handling_cv: Coefficient of variation of the handling time (NaN for given).
        Formula: σ(d) / mean(d), σ with ddof=0
        Unit: ratio
        Direction: -

    stability: Variance-to-mean ratio of the handling time, lower is steadier (NaN for given).
        Formula: Σ(d − mean)² / (n · mean)
        Unit: min
        Direction: -

    instant_share: Share of executions under one second (run by a system or in one transaction).
        Formula: |{e : batch(e) or δ(e) < 1 s}| / |{e : batch(e) or δ(e) defined}|,
            δ = ts − start_ts if e has a start, else ts − prev_case_ts; batch(e): the same
            resource completed another instance at the same second
        Unit: share 0..1
        Direction: -
    """
    table = timing.summarise(timing.instance_handling(prepared, ctx.options))
    return table[["activity", *COLUMNS]]
