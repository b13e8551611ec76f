"""The frame layer: per-event columns every indicator needs, written once in narwhals.

Feature code runs on a narwhals ``LazyFrame`` over the canonical schema (see
``EventLog.frame``); polars runs it by default, and a log read from a pyspark DataFrame runs
the same expressions on Spark. Only numeric time columns and ordered windows
(``over(partition_by, order_by=...)``) are used, because they are portable across backends.
Backend-specific calls live in this module only.

Derived columns of :func:`prepare_events` (all per activity instance):

==================  ==========================================================================
``local``           ``ts + utc_offset``: local wall-clock time in seconds
``local_day``       ``floor(local / 86400)``: local calendar day number
``local_hour``      ``floor((local mod 86400) / 3600)``: 0..23
``weekday``         ``(local_day + 3) mod 7``: 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday)
``prev_activity``   activity before this one in the case (ordered by ``ts``, ``row``); null first
``next_activity``   activity after this one in the case; null last
``prev_case_ts``    completion time of the previous instance in the case
``prev_resource``   resource of the previous instance in the case
``case_events``     instances in the case
``case_last``       last activity of the case
``prev_resource_ts`` completion time of the same resource's previous instance (null if none)
``prev_resource_day`` local day of that previous completion
``same_time_count`` instances of the same resource completed at the identical ``ts``
==================  ==========================================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw

if TYPE_CHECKING:
    import pandas as pd

    from .eventlog import EventLog

__all__ = ["backend", "collect", "events", "prepare_events"]

CASE_ORDER = ["ts", "row"]
DAY = 86400.0


def backend(log: EventLog) -> Literal["polars", "spark"]:
    """``"spark"`` when the log's canonical frame is a pyspark DataFrame, else ``"polars"``."""
    return "spark" if type(log.frame).__module__.startswith("pyspark") else "polars"


def events(log: EventLog) -> nw.LazyFrame:
    """The canonical frame as a narwhals LazyFrame (polars lazy or Spark)."""
    native: Any = log.frame
    if backend(log) == "polars":
        native = native.lazy()
    return nw.from_native(native)


def collect(frame: nw.LazyFrame, *, sort: str | list[str] | None = "activity") -> pd.DataFrame:
    """Run a lazy query and return pandas (small per-activity tables only)."""
    result = frame.collect().to_pandas()
    if sort is not None:
        result = result.sort_values(sort, kind="stable").reset_index(drop=True)
    return result


def prepare_events(log: EventLog) -> nw.LazyFrame:
    """The canonical events with the derived columns listed in the module docstring."""
    frame = events(log)
    local = nw.col("ts") + nw.col("utc_offset")
    frame = frame.with_columns(local.alias("local"))
    frame = frame.with_columns(
        (nw.col("local") / DAY).floor().cast(nw.Int64).alias("local_day"),
    )
    frame = frame.with_columns(
        ((nw.col("local") - nw.col("local_day") * DAY) / 3600.0).floor().cast(nw.Int32).alias(
            "local_hour"
        ),
        ((nw.col("local_day") + 3) % 7).cast(nw.Int32).alias("weekday"),
        nw.col("activity").shift(1).over("case_id", order_by=CASE_ORDER).alias("prev_activity"),
        nw.col("activity").shift(-1).over("case_id", order_by=CASE_ORDER).alias("next_activity"),
        nw.col("ts").shift(1).over("case_id", order_by=CASE_ORDER).alias("prev_case_ts"),
        nw.col("resource").shift(1).over("case_id", order_by=CASE_ORDER).alias("prev_resource"),
        nw.len().over("case_id").alias("case_events"),
        nw.col("activity").last().over("case_id", order_by=CASE_ORDER).alias("case_last"),
        nw.col("ts").shift(1).over("resource", order_by=CASE_ORDER).alias("_prev_resource_ts"),
        nw.col("local_day")
        .shift(1)
        .over("resource", order_by=CASE_ORDER)
        .alias("_prev_resource_day"),
        nw.len().over("resource", "ts").alias("_same_time_count"),
    )
    has_resource = ~nw.col("resource").is_null()
    return frame.with_columns(
        nw.when(has_resource).then(nw.col("_prev_resource_ts")).alias("prev_resource_ts"),
        nw.when(has_resource).then(nw.col("_prev_resource_day")).alias("prev_resource_day"),
        nw.when(has_resource)
        .then(nw.col("_same_time_count"))
        .otherwise(1)
        .alias("same_time_count"),
    ).drop("_prev_resource_ts", "_prev_resource_day", "_same_time_count")
