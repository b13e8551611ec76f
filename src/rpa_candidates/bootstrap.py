"""Per-case aggregates, annualisation and the case bootstrap behind relief intervals.

:func:`rpa_candidates.relief.estimate_relief` needs, per activity, sums over cases that
can be resampled. This module builds them once with narwhals over
:func:`rpa_candidates.engine.prepare_events` (so the heavy pass runs on polars or Spark),
collects two small tables to the driver and resamples them with numpy:

* the **case table**, one row per case: start (earliest ``start_ts`` or ``ts``), end
  (latest ``ts``), first and last activity, whether the case reaches the dominant end;
* the **case × activity table**, one row per case and activity: executions ``n``, human
  executions ``n_human`` (resource not automated), first human executions ``n_first``
  (the first execution of the activity in its case, done by a person), summed human
  handling seconds ``h_sum`` and the number of human executions with an estimate ``h_n``.

The bootstrap draws a Poisson(1) weight per case (the "Poisson bootstrap", equivalent to
resampling cases with replacement when the number of cases is itself random, as for a
Poisson arrival process) and recomputes every per-activity sum as one sparse product
``W @ M`` (resamples × cases times cases × quantities). Definitions and the reasoning:
``docs/relief.md``.

References
----------
.. [1] Efron, B., Tibshirani, R. J. (1993): An Introduction to the Bootstrap, Chapman &
   Hall (percentile intervals, resampling of independent units).
.. [2] Hanley, J. A., MacGibbon, B. (2006): Creating non-parametric bootstrap samples
   using Poisson frequencies, Computer Methods and Programs in Biomedicine 83(1), 57–62,
   doi:10.1016/j.cmpb.2006.04.006.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import narwhals as nw
import numpy as np
import pandas as pd

from . import annualise, engine, timing
from ._data import load_toml
from .features._assemble import dominant_end

if TYPE_CHECKING:
    from .eventlog import EventLog

__all__ = ["CaseTables", "Window", "annualisation_window", "case_tables", "resample_sums"]

DAYS_PER_YEAR = annualise.DAYS_PER_YEAR
#: Quantities summed per activity (columns of the case × activity table, after weighting).
QUANTITIES = ("n", "n_human", "n_std", "h_sum", "h_n", "share_human", "share_std")


@dataclass(frozen=True)
class CaseTables:
    """The two per-case tables, with integer indices for numpy.

    Attributes
    ----------
    cases : pandas.DataFrame
        One row per case: ``case_id``, ``start``, ``end`` (epoch seconds),
        ``first_activity``, ``last_activity``, ``reaches_end`` (bool: the case contains the
        dominant end activity, or one of the given ``end_activities``).
    pairs : pandas.DataFrame
        One row per case and activity: ``case`` (row number in ``cases``), ``act`` (index
        into ``activities``), ``n``, ``n_human``, ``n_first``, ``h_sum``, ``h_n``.
    activities : list of str
        Activity names in the order of the indices.
    dominant_end : str or None
        The most frequent last activity of a case.
    """

    cases: pd.DataFrame
    pairs: pd.DataFrame
    activities: list[str]
    dominant_end: str | None


def _settings() -> dict[str, float]:
    table = load_toml("rates.toml")
    names = ("edge_share", "usual_share", "edge_excess", "min_edge_cases", "min_full_year_days")
    return {n: float(table[n]["value"]) for n in names}


def _seconds(sources: Mapping[str, str], given_minutes: Mapping[str, float]) -> nw.Expr:
    """Per-instance handling seconds from the source each activity uses."""
    act = nw.col("activity")

    def of(source: str) -> list[str]:
        return [a for a, s in sources.items() if s == source]

    out = nw.lit(None, dtype=nw.Float64)
    for activity, minutes in given_minutes.items():
        out = nw.when(act == activity).then(nw.lit(minutes * 60.0)).otherwise(out)
    for source, column in (
        ("lifecycle", "lifecycle_s"),
        ("resource_gap", "gap_s"),
        ("case_gap", "case_s"),
    ):
        names = of(source)
        if names:
            out = nw.when(act.is_in(names)).then(nw.col(column)).otherwise(out)
    return out.cast(nw.Float64)


def case_tables(
    log: EventLog,
    *,
    sources: Mapping[str, str],
    given_minutes: Mapping[str, float],
    automated: Sequence[str],
    activities: Sequence[str],
    end_activities: Sequence[str] | None = None,
) -> CaseTables:
    """Build the case table and the case × activity table (see the module docstring).

    Parameters
    ----------
    log : EventLog
        The log.
    sources : mapping
        Activity -> ``handling_source`` (``lifecycle``, ``resource_gap``, ``case_gap`` or
        ``given``), as chosen by :func:`rpa_candidates.activity_features`.
    given_minutes : mapping
        Activity -> minutes, for the ``given`` activities.
    automated : sequence of str
        Pseudonyms of automated resources (their executions are not human work).
    activities : sequence of str
        Activity order of the result (the rows of the features table).
    end_activities : sequence of str or None, default=None
        Activities that end a case regularly; ``None``: the dominant end activity only.

    Returns
    -------
    CaseTables
    """
    prepared = engine.prepare_events(log)
    dominant = dominant_end(prepared)
    settings = timing.load_settings()
    # per-instance durations of every estimator, keyed by the canonical row number
    instances = timing._instances(
        prepared.with_columns(nw.col("row").alias("activity")), settings, list(automated)
    ).select(nw.col("activity").alias("row"), "lifecycle_s", "gap_s", "case_s")
    is_auto = nw.col("resource").is_in(list(automated)).fill_null(False) if automated else None
    human = ~is_auto if is_auto is not None else nw.lit(value=True)
    first = nw.col("row").shift(1).over("case_id", "activity", order_by=engine.CASE_ORDER)
    events = prepared.with_columns(
        human.alias("_human"),
        first.is_null().alias("_first"),
    ).join(instances, on="row", how="left")
    seconds = _seconds(sources, given_minutes)
    events = events.with_columns(
        nw.when(nw.col("_human")).then(seconds).alias("_h"),
        nw.col("_human").cast(nw.Int64).alias("_hi"),
        (nw.col("_human") & nw.col("_first")).cast(nw.Int64).alias("_fi"),
    )
    # each case's row number in the case table (sorted by case_id), joined on the engine:
    # only integers, not the case ids, reach the driver with the case x activity table
    case_index = prepared.select("case_id").unique().with_row_index("_case", order_by="case_id")
    pairs = engine.collect(
        events.group_by("case_id", "activity")
        .agg(
            nw.len().alias("n"),
            nw.col("_hi").sum().alias("n_human"),
            nw.col("_fi").sum().alias("n_first"),
            nw.col("_h").sum().alias("h_sum"),
            nw.col("_h").count().alias("h_n"),
        )
        .join(case_index, on="case_id", how="left")
        .drop("case_id"),
        sort=None,
    )
    begin = nw.when(nw.col("start_ts").is_null()).then(nw.col("ts")).otherwise(nw.col("start_ts"))
    ends = list(end_activities) if end_activities is not None else [dominant]
    ends = [e for e in ends if e is not None]
    at_end = nw.col("activity").is_in(ends) if ends else nw.lit(value=False)
    cases = engine.collect(
        prepared.group_by("case_id").agg(
            begin.min().alias("start"),
            nw.col("ts").max().alias("end"),
            nw.when(nw.col("prev_activity").is_null())
            .then(nw.col("activity"))
            .max()
            .alias("first_activity"),
            nw.col("case_last").max().alias("last_activity"),
            at_end.cast(nw.Int64).max().alias("reaches_end"),
        ),
        sort="case_id",
    )
    cases["reaches_end"] = cases["reaches_end"].fillna(0).astype(bool)
    order = pd.Index(list(activities))
    out = pd.DataFrame(
        {
            "case": pairs["_case"].to_numpy(dtype=np.int64),
            "act": order.get_indexer(pairs["activity"]),
            "n": pairs["n"].to_numpy(dtype=float),
            "n_human": pairs["n_human"].fillna(0).to_numpy(dtype=float),
            "n_first": pairs["n_first"].fillna(0).to_numpy(dtype=float),
            "h_sum": pairs["h_sum"].fillna(0.0).to_numpy(dtype=float),
            "h_n": pairs["h_n"].fillna(0).to_numpy(dtype=float),
        }
    )
    out = out[out["act"] >= 0].reset_index(drop=True)
    return CaseTables(cases=cases, pairs=out, activities=list(activities), dominant_end=dominant)


@dataclass(frozen=True)
class Window:
    """How the log's volumes are annualised, and what is doubtful about it.

    Attributes
    ----------
    years : float
        Observation period ``T`` in years (see :func:`annualisation_window`).
    arrival_days, event_days : float
        Range of case starts (corrected) and span of all events, in days.
    incomplete_start, incomplete_end, short : bool
        The flags of :func:`annualisation_window`.
    open_cases : numpy.ndarray of bool
        Per case: open at the log's end (excluded from ``automatable_share`` when the end
        is incomplete).
    note_en, note_de : str or None
        The annualisation note, None when nothing is doubtful.
    """

    years: float
    arrival_days: float
    event_days: float
    incomplete_start: bool
    incomplete_end: bool
    short: bool
    open_cases: np.ndarray
    note_en: str | None
    note_de: str | None


def _usual(values: pd.Series, reference: np.ndarray, share: float) -> set[str]:
    ref = values[reference] if reference.any() else values
    counts = ref.value_counts(normalize=True)
    return set(counts[counts >= share].index.astype(str))


def _excess(values: pd.Series, edge: np.ndarray, usual: set[str], s: dict) -> tuple[bool, float]:
    """Is the share of unusual activities at the edge higher than in the middle?"""
    unusual = ~values.astype(str).isin(usual).to_numpy()
    middle = ~edge
    if edge.sum() < s["min_edge_cases"] or not middle.any():
        return False, 0.0
    diff = float(unusual[edge].mean() - unusual[middle].mean())
    return diff > s["edge_excess"], diff


def _sentence(parts: list[str]) -> str | None:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else None


def annualisation_window(cases: pd.DataFrame) -> Window:
    r"""The observation period and the checks for an incomplete start or end.

    The period ``T`` is :func:`rpa_candidates.annualise.arrival_days` over the case
    starts (also used by the volume indicators), ``years = T / 365.25``.

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
    n = len(cases)
    start = cases["start"].to_numpy(dtype=float)
    end = cases["end"].to_numpy(dtype=float)
    if n == 0:
        return Window(np.nan, np.nan, np.nan, False, False, True, np.zeros(0, bool), None, None)
    lo, hi = float(np.nanmin(start)), float(np.nanmax(end))
    event_days = (hi - lo) / engine.DAY
    arrival_days = annualise.arrival_days(start)
    edge = s["edge_share"] * (hi - lo)
    head = start < lo + edge
    tail = end > hi - edge
    starts_usual = _usual(cases["first_activity"].astype(str), ~head, s["usual_share"])
    ends_usual = _usual(cases["last_activity"].astype(str), ~tail, s["usual_share"])
    bad_start, d_start = _excess(cases["first_activity"], head, starts_usual, s)
    bad_end, _d_end = _excess(cases["last_activity"], tail, ends_usual, s)
    open_cases = tail & ~cases["last_activity"].astype(str).isin(ends_usual).to_numpy()
    if not bad_end:
        open_cases = np.zeros(n, dtype=bool)
    short = arrival_days < s["min_full_year_days"]
    en, de = [], []
    if short:
        en.append(
            f"the log covers {arrival_days:.0f} days of case starts, less than a year: "
            f"volumes are extrapolated ×{DAYS_PER_YEAR / arrival_days:.2f} and seasonal "
            "variation is not captured"
        )
        de.append(
            f"das Protokoll umfasst {arrival_days:.0f} Tage mit Fallbeginnen, weniger als ein "
            f"Jahr: Mengen hochgerechnet ×{DAYS_PER_YEAR / arrival_days:.2f}, saisonale "
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
            f"incomplete end: {int(open_cases.sum())} cases are still open at the log's end "
            "and are left out of automatable_share"
        )
        de.append(
            f"unvollständiges Ende: {int(open_cases.sum())} Fälle sind bei Protokollende noch "
            "offen und zählen nicht für automatable_share"
        )
    return Window(
        years=arrival_days / DAYS_PER_YEAR,
        arrival_days=arrival_days,
        event_days=event_days,
        incomplete_start=bad_start,
        incomplete_end=bad_end,
        short=short,
        open_cases=open_cases,
        note_en=_sentence(en),
        note_de=_sentence(de),
    )


#: The case x (quantities · activities) matrix is held dense (and multiplied by BLAS)
#: when that takes at most this many times the memory of the sparse form.
DENSE_MAX_RATIO = 2.0


def _matrix(tables: CaseTables, window: Window):  # -> scipy.sparse.csr_matrix | ndarray
    """Cases × (quantities · activities) matrix of the per-case values.

    Dense when the case × activity table is dense enough (:data:`DENSE_MAX_RATIO`):
    a BLAS product ``W @ M`` is then several times faster than the sparse one, for the
    same sums up to floating-point rounding; sparse (CSR) otherwise.
    """
    from scipy import sparse

    p = tables.pairs
    n_act = len(tables.activities)
    case = p["case"].to_numpy()
    reaches = tables.cases["reaches_end"].to_numpy(dtype=bool)[case]
    counted = ~window.open_cases[case] if window.open_cases.size else np.ones(len(p), bool)
    values = {
        "n": p["n"].to_numpy(),
        "n_human": p["n_human"].to_numpy(),
        "n_std": p["n_first"].to_numpy() * reaches,
        "h_sum": p["h_sum"].to_numpy(),
        "h_n": p["h_n"].to_numpy(),
        "share_human": p["n_human"].to_numpy() * counted,
        "share_std": p["n_first"].to_numpy() * reaches * counted,
    }
    shape = (len(tables.cases), len(QUANTITIES) * n_act)
    dense_bytes = 8.0 * shape[0] * shape[1]
    sparse_bytes = 12.0 * len(QUANTITIES) * len(p)
    act = p["act"].to_numpy()
    if dense_bytes <= DENSE_MAX_RATIO * sparse_bytes:
        # (case, activity) pairs are unique, so plain assignment equals the sparse sum
        dense = np.zeros(shape)
        for k, q in enumerate(QUANTITIES):
            dense[case, k * n_act + act] = values[q]
        return dense
    rows = np.tile(case, len(QUANTITIES))
    cols = np.concatenate([k * n_act + act for k in range(len(QUANTITIES))])
    data = np.concatenate([values[q] for q in QUANTITIES]).astype(float)
    return sparse.csr_matrix((data, (rows, cols)), shape=shape)


def resample_sums(
    tables: CaseTables, window: Window, *, resamples: int, random_state: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per-activity sums on the log and on ``resamples`` Poisson-weighted resamples.

    Returns
    -------
    point : dict of str -> numpy.ndarray
        For each name in :data:`QUANTITIES` the per-activity sum over all cases (shape
        ``(A,)``): ``n``, ``n_human``, ``n_std`` (first human executions in cases that reach
        the dominant end), ``h_sum``, ``h_n``, and ``share_human`` / ``share_std`` (the
        same over cases not open at the end).
    boot : dict of str -> numpy.ndarray
        The same sums per resample, shape ``(resamples, A)``, with weights
        ``w_c ~ Poisson(1)`` drawn from ``numpy.random.default_rng(random_state)``.
    """
    matrix = _matrix(tables, window)
    n_act = len(tables.activities)
    n_cases = matrix.shape[0]

    def split(flat: np.ndarray) -> dict[str, np.ndarray]:
        return {q: flat[..., k * n_act : (k + 1) * n_act] for k, q in enumerate(QUANTITIES)}

    point = split(np.asarray(matrix.sum(axis=0)).ravel())
    rng = np.random.default_rng(random_state)
    chunk = max(1, min(resamples, 20_000_000 // max(n_cases, 1)))
    blocks = []
    for first in range(0, resamples, chunk):
        size = min(chunk, resamples - first)
        weights = rng.poisson(1.0, size=(size, n_cases)).astype(float)
        blocks.append(np.asarray(weights @ matrix))
    flat = np.vstack(blocks) if blocks else np.zeros((0, matrix.shape[1]))
    return point, split(flat)
