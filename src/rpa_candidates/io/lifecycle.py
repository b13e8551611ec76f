"""Pair start and complete events into activity instances.

A lifecycle log writes one ``start`` and one ``complete`` event per execution. Within a
case and activity, events are ordered by time (a start before a complete at the same
instant) and matched first-in-first-out: a complete closes the oldest open start.

Vectorised form of FIFO matching, per (case, activity) group, with ``d = +1`` for a start
and ``-1`` for a complete and ``S_i = Σ_{k≤i} d_k``:

* the open-start balance after event *i* is ``B_i = S_i − min(0, min_{k≤i} S_k)``
  (a running sum floored at zero);
* a complete is matched iff ``B_{i−1} > 0``; the *k*-th matched complete closes the *k*-th
  start, because FIFO consumes the starts in their order;
* starts numbered beyond the group's matched completes stay open (``unmatched_start``);
  completes with ``B_{i−1} = 0`` have no start (``unmatched_complete``).

Activities that never have a start event are atomic: their completes are instances with no
start time, not "unmatched".
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

__all__ = ["COMPLETE_WORDS", "START_WORDS", "PairingResult", "pair_lifecycle"]

START_WORDS = ("start", "begin", "started", "beginn", "gestartet")
COMPLETE_WORDS = ("complete", "completed", "end", "ende", "abgeschlossen", "erledigt", "done")
#: XES standard lifecycle transitions other than start/complete; they carry no handling time.
OTHER_WORDS = (
    "schedule",
    "assign",
    "reassign",
    "suspend",
    "resume",
    "withdraw",
    "ate_abort",
    "pi_abort",
    "autoskip",
    "manualskip",
    "unknown",
)
KNOWN_WORDS = START_WORDS + COMPLETE_WORDS + OTHER_WORDS


@dataclass
class PairingResult:
    """Outcome of :func:`pair_lifecycle`.

    Attributes
    ----------
    instances : pl.DataFrame
        One row per activity instance: the complete row's columns plus ``start_ts``
        (null for atomic and unmatched completes) and ``start_row``.
    unmatched_start_rows : pl.Series
        ``_row`` of starts that no complete closes.
    other_rows : pl.DataFrame
        ``_row`` and ``transition`` of events with a transition other than start/complete.
    paired, atomic, unmatched_complete : int
        Instance counts by how their start was found.
    """

    instances: pl.DataFrame
    unmatched_start_rows: pl.Series
    other_rows: pl.DataFrame
    paired: int
    atomic: int
    unmatched_complete: int


def classify_transitions(values: pl.Expr) -> pl.Expr:
    """``"start"``, ``"complete"`` or the lower-cased other transition; null → complete."""
    folded = values.cast(pl.String).str.strip_chars().str.to_lowercase()
    return (
        pl.when(folded.is_null() | (folded == ""))
        .then(pl.lit("complete"))
        .when(folded.is_in(START_WORDS))
        .then(pl.lit("start"))
        .when(folded.is_in(COMPLETE_WORDS))
        .then(pl.lit("complete"))
        .otherwise(folded)
    )


def pair_lifecycle(events: pl.DataFrame) -> PairingResult:
    """Pair start and complete events of a lifecycle log (FIFO per case and activity).

    Parameters
    ----------
    events : pl.DataFrame
        Columns ``case_id``, ``activity``, ``ts`` (epoch seconds), ``_row`` and
        ``transition`` (already classified by :func:`classify_transitions`), plus any
        attribute columns, which are taken from the complete event.

    Returns
    -------
    PairingResult
    """
    other = events.filter(~pl.col("transition").is_in(["start", "complete"]))
    work = events.filter(pl.col("transition").is_in(["start", "complete"]))
    if not (work.get_column("transition") == "start").any():
        # a complete-only log (the usual XES export): every complete is an atomic instance
        instances = work.drop("transition").with_columns(
            pl.lit(None, dtype=pl.Float64).alias("start_ts"),
            pl.lit(None, dtype=pl.Int64).alias("start_row"),
        )
        return PairingResult(
            instances=instances,
            unmatched_start_rows=pl.Series("start_row", [], dtype=pl.Int64),
            other_rows=other.select("_row", "transition"),
            paired=0,
            atomic=len(instances),
            unmatched_complete=0,
        )
    with_start = work.filter(pl.col("transition") == "start")["activity"].unique()
    group = ["case_id", "activity"]
    work = work.with_columns(
        (pl.col("transition") == "start").alias("_is_start"),
    ).sort([*group, "ts", "_is_start", "_row"], descending=[False, False, False, True, False])
    work = work.with_columns(
        pl.when(pl.col("_is_start")).then(1).otherwise(-1).cast(pl.Int64).alias("_d")
    )
    work = work.with_columns(pl.col("_d").cum_sum().over(group).alias("_s"))
    work = work.with_columns(
        (pl.col("_s") - pl.min_horizontal(pl.lit(0), pl.col("_s").cum_min().over(group))).alias(
            "_b"
        )
    )
    work = work.with_columns(
        pl.col("_b").shift(1).over(group).fill_null(0).alias("_b_prev"),
    )
    work = work.with_columns(
        (~pl.col("_is_start") & (pl.col("_b_prev") > 0)).alias("_matched"),
    )
    work = work.with_columns(
        pl.col("_is_start").cast(pl.Int64).cum_sum().over(group).alias("_start_no"),
        pl.col("_matched").cast(pl.Int64).cum_sum().over(group).alias("_match_no"),
    )
    starts = work.filter(pl.col("_is_start")).select(
        *group,
        pl.col("_start_no").alias("_k"),
        pl.col("ts").alias("start_ts"),
        pl.col("_row").alias("start_row"),
    )
    completes = work.filter(~pl.col("_is_start"))
    matched = completes.filter(pl.col("_matched")).with_columns(pl.col("_match_no").alias("_k"))
    matched = matched.join(starts, on=[*group, "_k"], how="left")
    n_matched = matched.group_by(group).agg(pl.len().alias("_n_matched"))
    open_starts = (
        starts.join(n_matched, on=group, how="left")
        .filter(pl.col("_k") > pl.col("_n_matched").fill_null(0))
        .get_column("start_row")
    )
    lone = completes.filter(~pl.col("_matched")).with_columns(
        pl.lit(None, dtype=pl.Float64).alias("start_ts"),
        pl.lit(None, dtype=pl.Int64).alias("start_row"),
    )
    atomic = int(lone["activity"].is_in(with_start.implode()).not_().sum()) if len(lone) else 0
    helper = ["_is_start", "_d", "_s", "_b", "_b_prev", "_matched", "_start_no", "_match_no"]
    columns = [c for c in events.columns if c != "transition"] + ["start_ts", "start_row"]
    instances = pl.concat(
        [
            matched.drop([*helper, "_k", "transition"]).select(columns),
            lone.drop([*helper, "transition"]).select(columns),
        ],
        how="vertical_relaxed",
    )
    return PairingResult(
        instances=instances,
        unmatched_start_rows=open_starts,
        other_rows=other.select("_row", "transition"),
        paired=len(matched),
        atomic=atomic,
        unmatched_complete=len(lone) - atomic,
    )
