"""Rework, self-loops and exceptions: how often the standard path is left.

The dominant end activity is the most frequent last activity of a case
(:class:`~rpa_candidates.features.Context`); a case ending elsewhere took an exception
path (withdrawn, rejected, cancelled, ...).
"""

from __future__ import annotations

import narwhals as nw

from ._registry import Context, indicator

__all__ = ["exception_rate"]

_SOURCE = (
    "van der Aalst, W.M.P. (2016): Process Mining, 2nd ed., Springer (rework and loops); "
    "Leshob et al. (2018), IEEE ICEBE (low exception rate as an RPA criterion)"
)


@indicator(family="rework", source=_SOURCE)
def rework_rate(ctx: Context) -> nw.Expr:
    """Share of executions that repeat the activity within the same case.

    Formula: (n_a − c_a) / n_a
    Unit: share 0..1
    Direction: -
    """
    return (nw.len() - nw.col("case_id").n_unique()) / nw.len()


@indicator(family="rework", source=_SOURCE)
def self_loop_rate(ctx: Context) -> nw.Expr:
    """Share of executions directly preceded by the same activity in the case.

    Formula: |{e : act(e) = a, act(prev(e)) = a}| / n_a
    Unit: share 0..1
    Direction: -
    """
    return (nw.col("prev_activity") == nw.col("activity")).fill_null(False).cast(
        nw.Float64
    ).sum() / nw.len()


@indicator(family="rework", source=_SOURCE, kind="table", columns=("exception_rate",))
def exception_rate(prepared: nw.LazyFrame, ctx: Context) -> nw.LazyFrame:
    """Share of the activity's cases that end off the dominant end activity.

    Formula: |{c ∋ a : last(c) ≠ end*}| / c_a, end* = most frequent last activity
    Unit: share 0..1
    Direction: -
    """
    dominant = ctx.dominant_end
    per_case = prepared.group_by("activity", "case_id").agg(nw.col("case_last").max())
    off = (nw.col("case_last") != dominant) if dominant is not None else nw.lit(value=False)
    return per_case.group_by("activity").agg(
        (off.cast(nw.Float64).sum() / nw.len()).alias("exception_rate")
    )
