"""FIFO lifecycle pairing on Spark: :func:`rpa_candidates.io.lifecycle.pair_lifecycle`'s
rule with Spark windows (used by :func:`rpa_candidates.io.spark.read_spark`).

Per (case, activity), ordered by time, starts before completes at the same time, then row:
a running balance of starts minus completes, floored at zero, decides whether a complete
closes an open start (the k-th matched complete takes the k-th start); completes without
an open start stay atomic instances, starts never closed are rejected
(``unmatched_start``), other transitions are rejected (``unused_lifecycle_transition``).
``tests/test_spark.py`` holds the result equal to the polars path.
"""

from __future__ import annotations

from typing import Any

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

__all__ = ["col", "pair_spark"]


def col(name: str) -> Column:
    """A column by its exact name (dots, spaces and colons are not parsed)."""
    return F.col("`" + name.replace("`", "``") + "`")


def pair_spark(events: DataFrame) -> dict[str, Any]:
    """:func:`rpa_candidates.io.lifecycle.pair_lifecycle` with Spark windows (same rule)."""
    is_start = F.col("transition") == "start"
    other = events.filter(~F.col("transition").isin("start", "complete"))
    work = events.filter(F.col("transition").isin("start", "complete")).withColumn(
        "_is_start", is_start
    )
    with_start = [r[0] for r in work.filter("_is_start").select("activity").distinct().collect()]
    group = Window.partitionBy("case_id", "activity")
    ordered = group.orderBy("ts", F.col("_is_start").desc(), "_row")
    running = ordered.rowsBetween(Window.unboundedPreceding, Window.currentRow)
    work = work.withColumn("_s", F.sum(F.when(F.col("_is_start"), 1).otherwise(-1)).over(running))
    work = work.withColumn("_b", F.col("_s") - F.least(F.lit(0), F.min("_s").over(running)))
    work = work.withColumn("_b_prev", F.coalesce(F.lag("_b", 1).over(ordered), F.lit(0)))
    work = work.withColumn("_matched", ~F.col("_is_start") & (F.col("_b_prev") > 0))
    work = work.select(
        "*",
        F.sum(F.col("_is_start").cast("long")).over(running).alias("_start_no"),
        F.sum(F.col("_matched").cast("long")).over(running).alias("_match_no"),
    )
    work = work.withColumn("_n_matched", F.max("_match_no").over(group))
    starts = work.filter("_is_start").select(
        "case_id",
        "activity",
        F.col("_start_no").alias("_k"),
        F.col("ts").alias("start_ts"),
        F.col("_row").alias("start_row"),
    )
    completes = work.filter(~F.col("_is_start"))
    columns = [c for c in events.columns if c != "transition"]
    matched = (
        completes.filter("_matched")
        .withColumn("_k", F.col("_match_no"))
        .join(starts, on=["case_id", "activity", "_k"], how="left")
        .select(*[col(c) for c in columns], "start_ts")
    )
    lone = completes.filter(~F.col("_matched")).select(
        *[col(c) for c in columns], F.lit(None).cast("double").alias("start_ts")
    )
    open_starts = work.filter(F.col("_is_start") & (F.col("_start_no") > F.col("_n_matched")))
    atomic_flag = ~F.col("activity").isin(*with_start) if with_start else F.lit(True)
    counts = work.agg(
        F.sum(F.col("_matched").cast("long")).alias("paired"),
        F.sum((~F.col("_is_start") & ~F.col("_matched")).cast("long")).alias("lone"),
        F.sum((~F.col("_is_start") & ~F.col("_matched") & atomic_flag).cast("long")).alias(
            "atomic"
        ),
        F.sum((F.col("_is_start") & (F.col("_start_no") > F.col("_n_matched"))).cast("long")).alias(
            "open"
        ),
    ).collect()[0]
    paired, lone_n, atomic, n_open = (
        int(counts[k] or 0) for k in ("paired", "lone", "atomic", "open")
    )
    unused = dict(sorted((r[0], int(r[1])) for r in other.groupBy("transition").count().collect()))
    start_cols = [*columns, "start_ts"]
    return {
        "instances": matched.select(*start_cols).unionByName(lone.select(*start_cols)),
        "rejected": [
            other.select("_row", F.lit("unused_lifecycle_transition").alias("__reason")),
            open_starts.select("_row", F.lit("unmatched_start").alias("__reason")),
        ],
        "counts": {
            "unused_lifecycle_transition": sum(unused.values()),
            "unmatched_start": n_open,
        },
        "details": {
            "paired": paired,
            "atomic": atomic,
            "unmatched_complete": lone_n - atomic,
            "unmatched_start": n_open,
            "unused_transitions": unused,
        },
    }
