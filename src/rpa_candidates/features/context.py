"""Context standardisation: does the activity always sit between the same neighbours?

A robot needs a standardised context: the same predecessor and the same successor most of
the time. For the neighbours ``x`` of activity ``a`` (``⟨start⟩`` and ``⟨end⟩`` count as
neighbours) with counts ``k_x``:

* PFv = (1 / distinct) · (max_x k_x / Σ_x k_x), 1 for a single neighbour, → 0 for many
  evenly spread ones (process-fit value in the style of Wanner et al. 2019);
* successor entropy H = −Σ_x p_x log2 p_x, p_x = k_x / Σ k_x (0 = always the same).
"""

from __future__ import annotations

import narwhals as nw

from ._registry import Context, indicator

__all__ = ["neighbour_context"]

_SOURCE = (
    "Wanner, J., Hofmann, A., Fischer, M., Imgrund, F., Janiesch, C., Geyer-Klingeberg, J. "
    "(2019): Process Selection in RPA Projects - Towards a Quantifiable Method of Decision "
    "Making, ICIS 2019; entropy: Shannon (1948)"
)
START, END = "⟨start⟩", "⟨end⟩"


def _neighbours(prepared: nw.LazyFrame, column: str, fill: str) -> nw.LazyFrame:
    counts = (
        prepared.with_columns(nw.col(column).fill_null(fill).alias("_x"))
        .group_by("activity", "_x")
        .agg(nw.len().alias("_k"))
    )
    return (
        counts.with_columns(
            nw.col("_k").sum().over("activity").alias("_total"),
            nw.len().over("activity").alias("_distinct"),
        )
        .with_columns((nw.col("_k") / nw.col("_total")).alias("_p"))
        .group_by("activity")
        .agg(
            (nw.col("_k").max() / nw.col("_total").max() / nw.col("_distinct").max()).alias("_pfv"),
            (-(nw.col("_p") * nw.col("_p").log(base=2)).sum()).alias("_entropy"),
        )
    )


@indicator(
    family="context",
    source=_SOURCE,
    kind="table",
    columns=(
        "predecessor_standardisation",
        "successor_standardisation",
        "successor_entropy",
    ),
)
def neighbour_context(prepared: nw.LazyFrame, ctx: Context) -> nw.LazyFrame:
    """Standardisation of the activity's direct neighbours in its cases.

    predecessor_standardisation: How uniform the step directly before the activity is.
        Formula: PFv_pred = (1 / D) · (max_x k_x / Σ_x k_x) over predecessors x
            (⟨start⟩ included), D = distinct predecessors
        Unit: score 0..1
        Direction: +
    successor_standardisation: How uniform the step directly after the activity is.
        Formula: PFv_succ = (1 / D) · (max_x k_x / Σ_x k_x) over successors x
            (⟨end⟩ included), D = distinct successors
        Unit: score 0..1
        Direction: +
    successor_entropy: Shannon entropy of the successor distribution.
        Formula: H = −Σ_x p_x log2 p_x, p_x = k_x / Σ_x k_x over successors x (⟨end⟩ included)
        Unit: bits
        Direction: -
    """
    before = _neighbours(prepared, "prev_activity", START).select(
        "activity", nw.col("_pfv").alias("predecessor_standardisation")
    )
    after = _neighbours(prepared, "next_activity", END).select(
        "activity",
        nw.col("_pfv").alias("successor_standardisation"),
        (nw.col("_entropy") + 0.0).abs().alias("successor_entropy"),
    )
    return before.join(after, on="activity", how="left")
