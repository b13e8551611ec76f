"""Indicator family ``resources``: who executes a step, when, and whether software already does.

One vectorised pass over the prepared events (:func:`rpa_candidates.core.engine.prepare_events`):
the automated resources of :func:`rpa_candidates.core.resources.classify_resources` (passed by the
assembly in ``ctx.options["resources"]``) enter as a short list of pseudonyms in an
``is_in`` expression, so nothing has to be joined across backends. Only per-activity
counts are collected.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from ..core import engine
from ..core.resources import automation_defaults
from ._registry import Context, indicator

__all__ = ["resource_indicators"]

_SOURCE = (
    "Handover of work: van der Aalst, Reijers & Song (2005), Discovering social networks from "
    "event logs, CSCW 14(6), doi:10.1007/s10606-005-9005-9; automation rate: Wanner et al. "
    "(2019), Process selection in RPA projects, ICIS 2019; batching: Martin et al. (2015), "
    "SIMPDA, CEUR-WS 1527; night work: TVöD § 7 Abs. 5; office hours: data/automation.toml"
)


def _automated(ctx: Context) -> Sequence[str] | None:
    table = ctx.options.get("resources")
    if table is None:
        return None
    return sorted(str(r) for r in table.loc[table["automated"].astype(bool), "resource"])


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.astype(float)
    return num.astype(float) / den.where(den > 0)


@indicator(
    family="resources",
    source=_SOURCE,
    kind="table",
    columns=(
        "distinct_resources",
        "handover_rate",
        "automation_rate",
        "batch_share",
        "off_hours_share",
        "weekend_share",
    ),
)
def resource_indicators(prepared: nw.LazyFrame, ctx: Context) -> pd.DataFrame:
    """Who executes the step and when.

    distinct_resources: Distinct resources (people and system users) that executed the step.
        Formula: |{resource of e : e execution of a, resource recorded}|; NaN when no
            execution has a resource
        Unit: resources
        Direction: 0
    handover_rate: Share of executions done by another resource than the case's previous step.
        Formula: #{e : resource(e) ≠ resource(prev(e))} / #{e : prev(e) exists, both
            resources recorded}; the first step of a case is excluded
        Unit: share 0..1
        Direction: 0
    automation_rate: Share of executions done by an automated resource (system, bot, batch).
        Formula: #{e : resource(e) automated by classify_resources} / #{e : resource
            recorded}; NaN without resources or without a classification
        Unit: share 0..1
        Direction: 0
    batch_share: Share of executions sharing their timestamp with another one of the same resource.
        Formula: #{e : same_time(e)} / #{e : resource recorded}, where same_time(e):
            another execution of the resource (any activity) has exactly the ts of e
        Unit: share 0..1
        Direction: +
    off_hours_share: Share of executions outside the flexitime frame or on a weekend (local time).
        Formula: #{e : local_hour(e) < 6 or local_hour(e) ≥ 20 or weekday(e) ∈ {Sat, Sun}} /
            #{e}; hours from data/automation.toml
        Unit: share 0..1
        Direction: +
    weekend_share: Share of executions completed on a Saturday or Sunday (local time).
        Formula: #{e : weekday(e) ∈ {Sat, Sun}} / #{e}
        Unit: share 0..1
        Direction: +
    """
    cfg = automation_defaults()
    automated = _automated(ctx)
    resource, previous = nw.col("resource"), nw.col("prev_resource")
    hour, weekday = nw.col("local_hour"), nw.col("weekday")
    has_resource = ~resource.is_null()
    pair = has_resource & ~previous.is_null()
    flags: dict[str, Any] = {
        "_with_resource": has_resource,
        "_pairs": pair,
        "_handovers": pair & (resource != previous),
        "_batch": has_resource & nw.col("same_time"),
        "_off": (hour < cfg["office_start_hour"])
        | (hour >= cfg["office_end_hour"])
        | (weekday >= 5),
        "_weekend": weekday >= 5,
    }
    if automated is not None:
        flags["_automated"] = has_resource & resource.is_in(list(automated))
    counted = prepared.select(
        "activity",
        "resource",
        *[expr.fill_null(False).cast(nw.Int64).alias(name) for name, expr in flags.items()],
    )
    sums = engine.collect(
        counted.group_by("activity").agg(
            nw.len().alias("_n"), *[nw.col(name).sum() for name in flags]
        )
    )
    distinct = engine.collect(
        counted.filter(nw.col("_with_resource") == 1)
        .group_by("activity", "resource")
        .agg(nw.len().alias("_k"))
        .group_by("activity")
        .agg(nw.len().alias("distinct_resources"))
    )
    out = sums.merge(distinct, on="activity", how="left")
    out["distinct_resources"] = out["distinct_resources"].astype(float)
    out["handover_rate"] = _ratio(out["_handovers"], out["_pairs"])
    out["automation_rate"] = (
        _ratio(out["_automated"], out["_with_resource"]) if automated is not None else np.nan
    )
    out["batch_share"] = _ratio(out["_batch"], out["_with_resource"])
    out["off_hours_share"] = _ratio(out["_off"], out["_n"])
    out["weekend_share"] = _ratio(out["_weekend"], out["_n"])
    columns = [
        "activity",
        "distinct_resources",
        "handover_rate",
        "automation_rate",
        "batch_share",
        "off_hours_share",
        "weekend_share",
    ]
    return out[columns].astype(dict.fromkeys(columns[1:], float))
