"""The observation period that volumes are annualised over (shared by features and relief).

With :math:`n` cases whose starts (earliest start or completion time) range over
:math:`R` days, the period is the unbiased estimate of the length of a uniform arrival
window, :math:`T = R \\cdot (n + 1) / (n - 1)` days, at least one day; ``years = T / 365.25``.
Case starts, not the event span, are used because work on the last cases goes on after
the last arrival (the event span of a one-year synthetic log is 378–431 days).

:func:`observation_window` adds the checks for a short log and an incomplete start or
end. It works on a per-case frame (polars or Spark) and collects only one row of extremes
and two tables of (edge flag, activity, count): the per-case data stay on the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import narwhals as nw
import numpy as np
import pandas as pd

from . import engine
from ._data import load_toml

__all__ = ["DAYS_PER_YEAR", "Window", "arrival_days", "observation_window", "period_days"]

DAYS_PER_YEAR = 365.25
_DAY = 86400.0


def period_days(n: int, first: float, last: float) -> float:
    """``T`` in days from ``n`` case starts between ``first`` and ``last`` (epoch seconds).

    ``T = (last − first)/86400 · (n + 1)/(n − 1)``, at least one day; NaN for ``n = 0``.
    """
    if n <= 0 or not np.isfinite(first) or not np.isfinite(last):
        return float("nan")
    observed = (float(last) - float(first)) / _DAY
    return max(observed * (n + 1) / (n - 1) if n > 1 else 0.0, 1.0)


def arrival_days(starts: np.ndarray) -> float:
    """``T`` in days from the case start times ``starts`` (epoch seconds); NaN if empty."""
    starts = np.asarray(starts, dtype=float)
    finite = starts[np.isfinite(starts)]
    if finite.size == 0:
        return float("nan")
    return period_days(int(finite.size), float(finite.min()), float(finite.max()))


@dataclass(frozen=True)
class Window:
    """How the log's volumes are annualised, and what is doubtful about it.

    Attributes
    ----------
    n_cases : int
        Cases in the case frame.
    years : float
        Observation period ``T`` in years (``arrival_days / 365.25``).
    arrival_days, event_days : float
        Range of case starts (corrected, :func:`period_days`) and span of all events, days.
    incomplete_start, incomplete_end, short : bool
        The flags of :func:`observation_window`.
    n_open : int
        Cases open at the log's end (0 unless ``incomplete_end``).
    tail_from : float
        Epoch seconds; a case ending after it is a *tail* case.
    usual_ends : tuple of str
        The usual last activities; with ``incomplete_end`` a tail case ending elsewhere is
        open (:meth:`is_open`).
    note_en, note_de : str or None
        The annualisation note, None when nothing is doubtful.
    """

    n_cases: int
    years: float
    arrival_days: float
    event_days: float
    incomplete_start: bool
    incomplete_end: bool
    short: bool
    n_open: int
    tail_from: float
    usual_ends: tuple[str, ...]
    note_en: str | None
    note_de: str | None

    def is_open(self) -> nw.Expr:
        """Per case of the case frame (columns ``end``, ``last_activity``): open at the end."""
        if not self.incomplete_end:
            return nw.lit(value=False)
        tail = nw.col("end") > self.tail_from
        usual = nw.col("last_activity").is_in(list(self.usual_ends)).fill_null(False)
        return tail & ~usual


def _settings() -> dict[str, float]:
    table = load_toml("rates.toml")
    names = ("edge_share", "usual_share", "edge_excess", "min_edge_cases", "min_full_year_days")
    return {n: float(table[n]["value"]) for n in names}


def _usual(counts: pd.DataFrame, share: float) -> set[str]:
    """Activities that begin (end) at least ``share`` of the cases away from the edge."""
    ref = counts[~counts["edge"]]
    if ref["n"].sum() == 0:
        ref = counts
    per = ref.groupby("activity")["n"].sum()
    per = per / per.sum()
    return {str(a) for a in per[per >= share].index}


def _excess(counts: pd.DataFrame, usual: set[str], s: dict) -> tuple[bool, float, int]:
    """Is the share of unusual activities at the edge higher than in the middle?"""
    unusual = ~counts["activity"].astype(str).isin(usual)
    edge = counts["edge"].astype(bool)
    n_edge, n_middle = counts.loc[edge, "n"].sum(), counts.loc[~edge, "n"].sum()
    odd_edge = int(counts.loc[edge & unusual, "n"].sum())
    if n_edge < s["min_edge_cases"] or n_middle == 0:
        return False, 0.0, odd_edge
    diff = float(odd_edge / n_edge - counts.loc[~edge & unusual, "n"].sum() / n_middle)
    return diff > s["edge_excess"], diff, odd_edge


def _sentence(parts: list[str]) -> str | None:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else None


def _edge_counts(cases: nw.LazyFrame, edge: nw.Expr, column: str) -> pd.DataFrame:
    counts = engine.collect(
        cases.group_by(edge.alias("edge"), nw.col(column).alias("activity")).agg(
            nw.len().alias("n")
        ),
        sort=None,
    )
    counts["edge"] = counts["edge"].astype(bool)
    counts["activity"] = counts["activity"].astype(object).where(counts["activity"].notna(), None)
    counts["n"] = counts["n"].astype("int64")
    return counts


def observation_window(cases: nw.LazyFrame) -> Window:
    r"""The observation period and the checks for an incomplete start or end.

    ``cases`` has one row per case: ``start`` (earliest start or completion), ``end``
    (latest completion), ``first_activity``, ``last_activity``. ``T`` is
    :func:`period_days` over the case starts, ``years = T / 365.25``.

    Edge checks (thresholds in ``data/rates.toml``): a case is a *head* case when it
    starts in the first ``edge_share`` (10 %) of the event span, a *tail* case when it
    ends in the last 10 %. *Usual* start (end) activities are those that begin (end) at
    least ``usual_share`` (1 %) of the other cases. The start is **incomplete** when the
    share of head cases that begin with an unusual activity exceeds that share among the
    other cases by more than ``edge_excess`` (5 points), with at least ``min_edge_cases``
    (5) head cases; the end likewise with tail cases and end activities — the signature of
    cases already running at the log's start or still open at its end. **Short** means
    ``T < min_full_year_days`` (347 days, 95 % of a year: cases arriving on working days
    only rarely span the full 365 days).
    """
    s = _settings()
    stats = engine.collect(
        cases.select(
            nw.len().alias("n"),
            nw.col("start").min().alias("first"),
            nw.col("start").max().alias("last"),
            nw.col("end").max().alias("hi"),
        ),
        sort=None,
    ).iloc[0]
    n = int(stats["n"])
    if n == 0:
        nan = float("nan")
        return Window(0, nan, nan, nan, False, False, True, 0, nan, (), None, None)
    lo, hi = float(stats["first"]), float(stats["hi"])
    event_days = (hi - lo) / _DAY
    days = period_days(n, lo, float(stats["last"]))
    edge = s["edge_share"] * (hi - lo)
    firsts = _edge_counts(cases, nw.col("start") < lo + edge, "first_activity")
    lasts = _edge_counts(cases, nw.col("end") > hi - edge, "last_activity")
    bad_start, d_start, _ = _excess(firsts, _usual(firsts, s["usual_share"]), s)
    usual_ends = _usual(lasts, s["usual_share"])
    bad_end, _d_end, n_open = _excess(lasts, usual_ends, s)
    short = days < s["min_full_year_days"]
    en, de = [], []
    if short:
        en.append(
            f"the log covers {days:.0f} days of case starts, less than a year: "
            f"volumes are extrapolated ×{DAYS_PER_YEAR / days:.2f} and seasonal "
            "variation is not captured"
        )
        de.append(
            f"das Protokoll umfasst {days:.0f} Tage mit Fallbeginnen, weniger als ein "
            f"Jahr: Mengen hochgerechnet ×{DAYS_PER_YEAR / days:.2f}, saisonale "
            "Schwankungen nicht erfasst"
        )
    if bad_start:
        en.append(
            f"incomplete start: {d_start:.0%} more of the cases in the first weeks begin with "
            "an unusual activity (cases already running when the log starts); their earlier "
            "steps are missing"
        )
        de.append(
            f"unvollständiger Anfang: in den ersten Wochen beginnen {d_start:.0%} mehr Fälle "
            "mit einer unüblichen Tätigkeit (Fälle liefen schon vor Protokollbeginn); ihre "
            "früheren Schritte fehlen"
        )
    if bad_end:
        en.append(
            f"incomplete end: {n_open} cases are still open at the log's end "
            "and are left out of automatable_share"
        )
        de.append(
            f"unvollständiges Ende: {n_open} Fälle sind bei Protokollende noch "
            "offen und zählen nicht für automatable_share"
        )
    return Window(
        n_cases=n,
        years=days / DAYS_PER_YEAR,
        arrival_days=days,
        event_days=event_days,
        incomplete_start=bad_start,
        incomplete_end=bad_end,
        short=short,
        n_open=n_open if bad_end else 0,
        tail_from=hi - edge,
        usual_ends=tuple(sorted(usual_ends)),
        note_en=_sentence(en),
        note_de=_sentence(de),
    )
