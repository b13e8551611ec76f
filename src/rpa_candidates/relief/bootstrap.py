"""Per-case aggregates and the case bootstrap behind relief intervals.

:func:`rpa_candidates.relief.estimate_relief` needs, per activity, sums over cases that
can be resampled. This module builds them with narwhals over
:func:`rpa_candidates.core.engine.prepare_events` (so the heavy pass runs on polars or Spark)
and collects only a small table to the driver, where numpy resamples it:

* the **case frame** (stays on the engine), one row per case: start (earliest
  ``start_ts`` or ``ts``), end (latest ``ts``), first and last activity, whether the case
  reaches the dominant end; from it :func:`rpa_candidates.core.annualise.observation_window`
  derives the period and the open cases;
* the **group × activity table** (collected): per group of cases ``g`` and activity ``a``
  the sums over the group's cases of executions ``n``, human executions ``n_human``
  (resource not automated), standard executions ``n_std`` (first execution of the activity
  in its case, by a person, in a case that reaches the end), summed human handling seconds
  ``h_sum``, human executions with an estimate ``h_n``, and ``share_human`` / ``share_std``
  (``n_human`` / ``n_std`` over cases not open at the log's end); ``cases`` counts the
  group's cases with the activity.

**Groups.** With at most ``max_groups`` cases (default 4,096, ``Assumptions.bootstrap_groups``)
every case is its own group and the bootstrap is the plain Poisson bootstrap over cases:
each resample draws a weight ``w_c ~ Poisson(1)`` per case (equivalent to resampling
cases when their number is itself random, as for Poisson arrivals) and every per-activity
sum is one product ``W @ M`` (resamples × cases times cases × quantities).

With more cases, case ``c`` (its rank in the sorted case ids) goes to group
``g(c) = ⌊((c · 2654435761) mod 2³²) · G / 2³²⌋`` (Knuth's multiplicative hash: groups of
near-equal size, independent of the order of the ids), and a resample draws the group
counts ``k ~ Multinomial(G, 1/G, …, 1/G)`` and one total ``N* ~ Poisson(n)``, with weights
``w_g = k_g · N*/n``. Resampling ``G`` groups of iid cases reproduces the case bootstrap's
``Var = n·Var(x)`` of a sum (the multinomial part) and the factor ``N*/n`` its
``n·E[x]²`` (the random number of cases); ratios (mean handling time, standard share)
do not depend on ``N*``. So the per-case table never reaches the driver (``G × A`` rows
instead of cases × activities), and the interval differs from the per-case bootstrap only
by the Monte-Carlo error of estimating a variance from ``G`` group sums (relative
standard error of the interval's width ≈ ``1/√(2G)`` ≈ 1.1 % for ``G = 4096``; measured
in ``docs/relief.md``).

References
----------
.. [1] Efron, B., Tibshirani, R. J. (1993): An Introduction to the Bootstrap, Chapman &
   Hall (percentile intervals, resampling of independent units).
.. [2] Hanley, J. A., MacGibbon, B. (2006): Creating non-parametric bootstrap samples
   using Poisson frequencies, Computer Methods and Programs in Biomedicine 83(1), 57–62,
   doi:10.1016/j.cmpb.2006.04.006.
.. [3] Knuth, D. E. (1998): The Art of Computer Programming, vol. 3, 2nd ed., §6.4
   (multiplicative hashing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import narwhals as nw
import numpy as np
import pandas as pd

from ..core import annualise, engine
from ..core.annualise import Window
from ..features._assemble import dominant_end
from ..handling import estimators as timing

__all__ = ["CaseTables", "case_tables", "resample_sums"]

#: Quantities summed per activity (columns of the group × activity table).
QUANTITIES = ("n", "n_human", "n_std", "h_sum", "h_n", "share_human", "share_std")
#: Default number of case groups (``Assumptions.bootstrap_groups``).
MAX_GROUPS = 4096
_HASH = 2654435761  # Knuth: ⌊2³² / golden ratio⌋, odd
_TWO32 = 2**32


@dataclass(frozen=True)
class CaseTables:
    """The per-group sums, with integer indices for numpy, and the observation window.

    Attributes
    ----------
    groups : pandas.DataFrame
        One row per group and activity: ``group`` (0 .. ``n_groups`` − 1), ``act`` (index
        into ``activities``), ``cases`` and the :data:`QUANTITIES`.
    n_groups, n_cases : int
        Number of groups and of cases; equal when every case is its own group.
    activities : list of str
        Activity names in the order of the indices.
    dominant_end : str or None
        The most frequent last activity of a case.
    window : Window
        Observation period and edge checks (:func:`annualise.observation_window`).
    """

    groups: pd.DataFrame
    n_groups: int
    n_cases: int
    activities: list[str]
    dominant_end: str | None
    window: Window

    @property
    def pooled(self) -> bool:
        """True when cases were pooled into fewer groups than cases."""
        return self.n_groups < self.n_cases

    def cases_per_activity(self) -> np.ndarray:
        """Cases that contain each activity (shape ``(A,)``)."""
        g = self.groups
        return np.bincount(g["act"], weights=g["cases"], minlength=len(self.activities))


def _seconds(sources: Mapping[str, str], given_minutes: Mapping[str, float]) -> nw.Expr:
    """Per-instance handling seconds from the source each activity uses."""
    act = nw.col("activity")

    def of(source: str) -> list[str]:
        return [a for a, s in sources.items() if s == source]

    out = nw.lit(None, dtype=nw.Float64)
    for activity, minutes in given_minutes.items():
        out = nw.when(act == activity).then(nw.lit(minutes * 60.0)).otherwise(out)
    for source, column in (
        ("lifecycle", "work_s"),
        ("resource_gap", "gap_s"),
        ("case_gap", "case_s"),
    ):
        names = of(source)
        if names:
            out = nw.when(act.is_in(names)).then(nw.col(column)).otherwise(out)
    return out.cast(nw.Float64)


def _case_frame(prepared: nw.LazyFrame, ends: list[str]) -> nw.LazyFrame:
    """One row per case: start, end, first and last activity, reaches an end activity."""
    at_end = nw.col("activity").is_in(ends) if ends else nw.lit(value=False)
    return prepared.group_by("case_id").agg(
        nw.coalesce(nw.col("start_ts"), nw.col("ts")).min().alias("start"),
        nw.col("ts").max().alias("end"),
        nw.when(nw.col("prev_activity").is_null())
        .then(nw.col("activity"))
        .max()
        .alias("first_activity"),
        nw.col("case_last").max().alias("last_activity"),
        at_end.cast(nw.Int64).max().alias("reaches_end"),
    )


def group_of(n_cases: int, n_groups: int) -> nw.Expr:
    """Group of each case from its rank ``_case`` in the sorted case ids (module docstring)."""
    rank = nw.col("_case").cast(nw.Int64)
    if n_groups >= n_cases:
        return rank
    return ((rank * _HASH) % _TWO32) * n_groups // _TWO32


def case_tables(
    prepared: nw.LazyFrame,
    *,
    sources: Mapping[str, str],
    given_minutes: Mapping[str, float],
    automated: Sequence[str],
    activities: Sequence[str],
    end_activities: Sequence[str] | None = None,
    max_groups: int = MAX_GROUPS,
) -> CaseTables:
    """Build the group × activity table and the observation window (module docstring).

    Parameters
    ----------
    prepared : narwhals.LazyFrame
        The prepared frame of the log (``PreparedLog.events``,
        :func:`rpa_candidates.core.engine.prepare_events`).
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
    max_groups : int, default=4096
        Cases are pooled into this many groups when there are more cases.

    Returns
    -------
    CaseTables
    """
    dominant = dominant_end(prepared)
    ends = list(end_activities) if end_activities is not None else [dominant]
    cases = engine.materialize(_case_frame(prepared, [e for e in ends if e is not None]))
    window = annualise.observation_window(cases)
    n_cases = window.n_cases
    n_groups = max(1, min(n_cases, int(max_groups)))
    keys = cases.with_row_index("_case", order_by="case_id").select(
        "case_id",
        group_of(n_cases, n_groups).alias("_group"),
        nw.col("reaches_end").fill_null(0).cast(nw.Int64).alias("_reach"),
        (~window.is_open()).cast(nw.Int64).alias("_counted"),
    )
    # per-instance durations of every estimator, with the columns the sums need (no join)
    settings = timing.load_settings()
    instances = timing.estimator_instances(
        prepared,
        settings,
        list(automated),
        keep=("case_id", "ts"),
        idle_correction=settings.idle_correction and "resource_gap" in set(sources.values()),
    )
    is_auto = nw.col("resource").is_in(list(automated)).fill_null(False) if automated else None
    human = ~is_auto if is_auto is not None else nw.lit(value=True)
    first = nw.col("row").shift(1).over("case_id", "activity", order_by=engine.CASE_ORDER)
    events = (
        instances.with_columns(human.alias("_human"), first.is_null().alias("_first"))
        .select(
            "case_id",
            "activity",
            nw.when(nw.col("_human")).then(_seconds(sources, given_minutes)).alias("_h"),
            nw.col("_first").cast(nw.Int64).alias("_pair"),
            nw.col("_human").cast(nw.Int64).alias("_hi"),
            (nw.col("_human") & nw.col("_first")).cast(nw.Int64).alias("_fi"),
        )
        .join(keys, on="case_id", how="left")
    )
    # straight from the events to the groups: a case's flags multiply each of its events,
    # and its first execution of an activity counts the (case, activity) pair once
    reach, counted = nw.col("_reach"), nw.col("_counted")
    std = nw.col("_fi") * reach
    grouped = engine.collect(
        events.group_by("_group", "activity").agg(
            nw.col("_pair").sum().alias("cases"),
            nw.len().alias("n"),
            nw.col("_hi").sum().alias("n_human"),
            std.sum().alias("n_std"),
            nw.col("_h").fill_null(0.0).sum().alias("h_sum"),
            nw.col("_h").count().alias("h_n"),
            (nw.col("_hi") * counted).sum().alias("share_human"),
            (std * counted).sum().alias("share_std"),
        ),
        sort=["_group", "activity"],
    )
    order = pd.Index(list(activities))
    out = pd.DataFrame(
        {
            "group": grouped["_group"].to_numpy(dtype=np.int64),
            "act": order.get_indexer(grouped["activity"]),
            "cases": grouped["cases"].to_numpy(dtype=float),
            **{q: grouped[q].fillna(0).to_numpy(dtype=float) for q in QUANTITIES},
        }
    )
    out = out[out["act"] >= 0].reset_index(drop=True)
    return CaseTables(
        groups=out,
        n_groups=n_groups,
        n_cases=n_cases,
        activities=list(activities),
        dominant_end=dominant,
        window=window,
    )


#: The group x (quantities · activities) matrix is held dense (and multiplied by BLAS)
#: when that takes at most this many times the memory of the sparse form.
DENSE_MAX_RATIO = 2.0


def _matrix(tables: CaseTables):  # -> scipy.sparse.csr_matrix | ndarray
    """Groups × (quantities · activities) matrix of the per-group sums.

    Dense when the group × activity table is dense enough (:data:`DENSE_MAX_RATIO`):
    a BLAS product ``W @ M`` is then several times faster than the sparse one, for the
    same sums up to floating-point rounding; sparse (CSR) otherwise.
    """
    from scipy import sparse

    g = tables.groups
    n_act = len(tables.activities)
    group, act = g["group"].to_numpy(), g["act"].to_numpy()
    shape = (tables.n_groups, len(QUANTITIES) * n_act)
    dense_bytes = 8.0 * shape[0] * shape[1]
    sparse_bytes = 12.0 * len(QUANTITIES) * len(g)
    if dense_bytes <= DENSE_MAX_RATIO * sparse_bytes:
        # (group, activity) pairs are unique, so plain assignment equals the sparse sum
        dense = np.zeros(shape)
        for k, q in enumerate(QUANTITIES):
            dense[group, k * n_act + act] = g[q].to_numpy()
        return dense
    rows = np.tile(group, len(QUANTITIES))
    cols = np.concatenate([k * n_act + act for k in range(len(QUANTITIES))])
    data = np.concatenate([g[q].to_numpy() for q in QUANTITIES]).astype(float)
    return sparse.csr_matrix((data, (rows, cols)), shape=shape)


def _weights(tables: CaseTables, rng: np.random.Generator, size: int) -> np.ndarray:
    """Resample weights per group (module docstring), shape ``(size, n_groups)``."""
    if not tables.pooled:
        return rng.poisson(1.0, size=(size, tables.n_groups)).astype(float)
    n, g = tables.n_cases, tables.n_groups
    scale = rng.poisson(n, size=size) / n
    counts = rng.multinomial(g, np.full(g, 1.0 / g), size=size).astype(float)
    return counts * scale[:, None]


def resample_sums(
    tables: CaseTables, *, resamples: int, random_state: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per-activity sums on the log and on ``resamples`` bootstrap resamples.

    Returns
    -------
    point : dict of str -> numpy.ndarray
        For each name in :data:`QUANTITIES` the per-activity sum over all cases (shape
        ``(A,)``): ``n``, ``n_human``, ``n_std`` (first human executions in cases that reach
        the dominant end), ``h_sum``, ``h_n``, and ``share_human`` / ``share_std`` (the
        same over cases not open at the end).
    boot : dict of str -> numpy.ndarray
        The same sums per resample, shape ``(resamples, A)``, with the weights of the
        module docstring drawn from ``numpy.random.default_rng(random_state)``.
    """
    matrix = _matrix(tables)
    n_act = len(tables.activities)
    n_groups = matrix.shape[0]

    def split(flat: np.ndarray) -> dict[str, np.ndarray]:
        return {q: flat[..., k * n_act : (k + 1) * n_act] for k, q in enumerate(QUANTITIES)}

    point = split(np.asarray(matrix.sum(axis=0)).ravel())
    rng = np.random.default_rng(random_state)
    chunk = max(1, min(resamples, 20_000_000 // max(n_groups, 1)))
    blocks = []
    for first in range(0, resamples, chunk):
        size = min(chunk, resamples - first)
        blocks.append(np.asarray(_weights(tables, rng, size) @ matrix))
    flat = np.vstack(blocks) if blocks else np.zeros((0, matrix.shape[1]))
    return point, split(flat)
