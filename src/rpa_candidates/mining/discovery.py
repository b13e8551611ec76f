"""Process discovery: DFG, variants, inductive miner, Petri net, BPMN and fitness.

Everything that grows with the number of events (directly-follows counts, waiting times,
start and end activities, variants) is computed on the canonical frame, in narwhals
(polars or Spark). pm4py, imported lazily through
:func:`rpa_candidates.core._pm4py.pm4py_module`, only ever sees these small aggregates:

* the inductive miner runs on the **variant log** (each distinct activity sequence once,
  with its number of cases), which for pm4py's IMf is the same input as the full log, so
  the tree is identical to ``pm4py.discover_process_tree_inductive(log.df, noise)``;
  past :data:`MAX_MINING_VARIANTS` variants it runs IMd on the **DFG** instead (pm4py's
  IMd takes no noise threshold);
* token-based replay runs once per distinct variant and is weighted by the variant's
  cases, which gives pm4py's log fitness exactly while replaying
  :math:`\\#\\text{variants}` instead of :math:`\\#\\text{cases}` traces.

The process map (``ProcessModel.figure`` and ``ProcessModel.to_svg``) is drawn in
:mod:`rpa_candidates.mining.processmap`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import narwhals as nw
import pandas as pd

from ..core import engine
from ..core._data import load_toml
from ..core._pm4py import pm4py_module
from ..core.errors import ParameterError
from ..core.prepared import prepared_events
from ._pm4py_discovery import footprint_fitness, mine_tree, replay_fitness
from .model import ARROW, ProcessModel

if TYPE_CHECKING:
    from ..core.eventlog import EventLog
    from ..core.prepared import PreparedLog

__all__ = [
    "MAX_MINING_VARIANTS",
    "MAX_REPLAY_CHECKS",
    "MAX_REPLAY_SECONDS",
    "MAX_REPLAY_TRANSITIONS",
    "MAX_REPLAY_VARIANTS",
    "MAX_VARIANT_MINER_WORK",
    "REPLAY_SAMPLE_VARIANTS",
    "discover",
]

_BUDGET = {k: v["value"] for k, v in load_toml("mining.toml").items()}
#: Beyond this many distinct variants the miner runs IMd on the DFG (no noise filter).
MAX_MINING_VARIANTS = int(_BUDGET["max_mining_variants"])
#: ... and beyond this work estimate of IMf, ``A² · Σ_v |v|`` (:func:`miner_work`).
MAX_VARIANT_MINER_WORK = float(_BUDGET["max_variant_miner_work"])
#: Token-based replay replays at most this many variants: all of them when the log has no
#: more, else the most frequent and a random sample of the rest (REPLAY_SAMPLE_VARIANTS).
MAX_REPLAY_VARIANTS = int(_BUDGET["max_replay_variants"])
#: ... of which this many are a seeded random sample of the variants beyond the most
#: frequent, weighted up to all cases (Horvitz-Thompson; ``fitness["standard_error"]``).
REPLAY_SAMPLE_VARIANTS = int(_BUDGET["replay_sample_variants"])
#: ... and at most this many transition checks: pm4py's token replay tests every
#: transition of the net at every replayed event, so a variant costs its length times the
#: net's transitions (≈ 2 µs a check: 10 M ≈ 20 s). The real sample logs need at most
#: 2.6 M (BPI Challenge 2012: 55 transitions, 2,000 variants); a log of 10,000 distinct
#: activities needs 10⁸ (116 s for rc.analyze before this cap).
MAX_REPLAY_CHECKS = int(_BUDGET["max_replay_checks"])
#: Nets with more transitions get the footprint fitness on the DFG instead of replay.
MAX_REPLAY_TRANSITIONS = int(_BUDGET["max_replay_transitions"])
#: Wall-clock guard of token replay (seconds), checked between chunks of variants.
MAX_REPLAY_SECONDS = float(_BUDGET["replay_seconds"])


def discover(log: EventLog | PreparedLog, *, noise: float = 0.2) -> ProcessModel:
    """Discover the process of ``log``: DFG, variants, process tree, Petri net, BPMN, fitness.

    With events :math:`e_1, \\dots, e_n` of a case ordered by completion time (ties by
    reading order), completion times :math:`t_i` and start times :math:`s_i`:

    * DFG frequency: :math:`|\\{i : (act(e_i), act(e_{i+1})) = (a, b)\\}|` over all cases;
    * waiting time of an edge occurrence: :math:`w_i = s'_{i+1} - t_i` with
      :math:`s'_{i+1} = s_{i+1}` where a start time exists, else :math:`t_{i+1}`; the DFG
      reports the median :math:`\\tilde w` per edge in seconds (negative when the next
      activity started before this one ended);
    * a variant is a case's activity sequence :math:`(act(e_1), \\dots, act(e_n))`;
      ``share`` = cases of the variant / all cases;
    * process tree: pm4py's inductive miner, IMf with ``noise_threshold=noise`` (IM when
      ``noise == 0``) on the variant log; IMd on the DFG past
      :data:`MAX_MINING_VARIANTS` variants or a work estimate
      :math:`A^2 \\sum_v |v|` above :data:`MAX_VARIANT_MINER_WORK` (an unstructured log);
    * fitness: token-based replay of each variant once, weighted by its cases
      :math:`c_v`; past :data:`MAX_REPLAY_VARIANTS` variants the most frequent ones and a
      seeded random sample of :data:`REPLAY_SAMPLE_VARIANTS` of the others, weighted up
      to all cases (``_pm4py_discovery.replay_fitness``), within
      :data:`MAX_REPLAY_CHECKS` and :data:`MAX_REPLAY_SECONDS`; for a net of more than
      :data:`MAX_REPLAY_TRANSITIONS` transitions the footprint fitness on the DFG
      instead (:func:`footprint_fitness`).
      With missing, consumed, remaining and produced tokens :math:`m_v, c'_v, r_v, p_v`
      and trace fitness :math:`f_v`:

      .. math::

         \\text{log\\_fitness} = \\tfrac12\\Bigl(1 - \\frac{\\sum_v c_v m_v}{\\sum_v c_v c'_v}
         \\Bigr) + \\tfrac12\\Bigl(1 - \\frac{\\sum_v c_v r_v}{\\sum_v c_v p_v}\\Bigr),
         \\quad
         \\text{average\\_trace\\_fitness} = \\frac{\\sum_v c_v f_v}{\\sum_v c_v}

      which equals pm4py's ``fitness_token_based_replay`` on the full log when every
      variant is replayed (with a sample, the sums are its Horvitz–Thompson estimates).

    Parameters
    ----------
    log : EventLog or PreparedLog
        A log from :func:`rpa_candidates.read_log`, or the log prepared once by
        :func:`rpa_candidates.core.prepared.prepare` (as ``rc.analyze`` passes it).
    noise : float, default=0.2
        IMf noise threshold in [0, 1): where no cut is found, IMf drops a
        directly-follows edge rarer than ``noise`` times the most frequent edge (or end)
        leaving the same activity, and tries again. ``0`` runs IM, which fits every case.

    Returns
    -------
    ProcessModel
        ``fitness`` holds ``log_fitness``, ``average_trace_fitness`` (both 0–1),
        ``perc_fit_traces`` (percent of cases that fit, 0–100, as in pm4py),
        ``case_coverage`` (share of cases replayed), ``variants_replayed``,
        ``variants_sampled`` and ``tail_variants`` (the random sample and the variants it
        was drawn from), ``standard_error`` (of ``log_fitness``; 0 when exact),
        ``variants_total``, ``method`` (``"token_replay"`` or ``"footprints"``) and
        ``stopped_by`` (``None``: every variant; ``"sample"``: the most frequent and a
        sample of the rest; ``"variants"``, ``"checks"``, ``"time"``: the bound that cut
        the replay, the fitness then stands for the replayed cases); budgets in
        ``data/mining.toml``.

    Raises
    ------
    ParameterError
        If ``noise`` is outside [0, 1).

    See Also
    --------
    pm4py.discover_process_tree_inductive, pm4py.fitness_token_based_replay

    References
    ----------
    Leemans, Fahland, van der Aalst (2014). Discovering block-structured process models
    from event logs containing infrequent behaviour. BPM 2013 Workshops, LNBIP 171,
    66–78. doi:10.1007/978-3-319-06257-0_6

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> from rpa_candidates.mining import discover
    >>> log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=100, seed=1).events)
    >>> model = discover(log)
    >>> int(model.dfg["frequency"].sum()) == log.n_events - log.n_cases
    True
    """
    if isinstance(noise, bool) or not isinstance(noise, int | float) or not 0 <= noise < 1:
        raise ParameterError(
            f"noise must be a number in [0, 1), got {noise!r}; e.g. discover(log, noise=0.2)."
        )
    log, prepared = prepared_events(log)
    dfg, starts, ends, activities = _dfg_tables(prepared)
    variants = _variants(prepared)
    n_cases = int(variants["cases"].sum())
    variants["share"] = variants["cases"] / n_cases if n_cases else 0.0

    tree, miner = mine_tree(
        variants,
        dfg,
        starts,
        ends,
        noise=float(noise),
        max_variants=MAX_MINING_VARIANTS,
        max_work=MAX_VARIANT_MINER_WORK,
    )
    pm4py = pm4py_module()
    petri_net = pm4py.convert_to_petri_net(tree)
    bpmn = pm4py.convert_to_bpmn(tree)
    if len(petri_net[0].transitions) > MAX_REPLAY_TRANSITIONS:
        fitness = footprint_fitness(tree, dfg, starts, ends, variants)
    else:
        fitness = replay_fitness(
            variants,
            petri_net,
            max_variants=MAX_REPLAY_VARIANTS,
            max_checks=MAX_REPLAY_CHECKS,
            max_seconds=MAX_REPLAY_SECONDS,
            sample=REPLAY_SAMPLE_VARIANTS,
        )
    return ProcessModel(
        dfg=dfg,
        start_activities=starts,
        end_activities=ends,
        variants=variants,
        activities=activities,
        process_tree=tree,
        petri_net=petri_net,
        bpmn=bpmn,
        fitness=fitness,
        noise=float(noise),
        miner=miner,
        n_cases=n_cases,
        n_events=int(activities["frequency"].sum()),
    )


def _dfg_tables(
    prepared: nw.LazyFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """DFG, start activities, end activities and activity counts from the prepared events.

    Over :func:`rpa_candidates.core.engine.prepare_events` (its ``prev_activity``,
    ``next_activity`` and ``prev_case_ts`` windows are computed once per log): one
    ``group_by(activity, next_activity)`` gives the edges (``next_activity`` set), the end
    activities (``next_activity`` null), the start activities (instances without a
    predecessor) and the activity frequencies (sum of all counts); the waits are taken
    from the target's row, ``begin(e) − prev_case_ts(e)`` grouped by
    ``(prev_activity, activity)`` — the same occurrences as ``s'_{i+1} − t_i``.
    """
    pairs = engine.collect(
        prepared.group_by("activity", "next_activity").agg(
            nw.len().alias("frequency"),
            nw.col("prev_activity").is_null().cast(nw.Int64).sum().alias("starts"),
        ),
        sort=None,
    )
    begin = nw.coalesce(nw.col("start_ts"), nw.col("ts"))
    waits = engine.collect(
        prepared.filter(~nw.col("prev_activity").is_null())
        .group_by("prev_activity", "activity")
        .agg((begin - nw.col("prev_case_ts")).median().alias("median_wait_seconds"))
        .rename({"prev_activity": "activity", "activity": "next_activity"}),
        sort=None,
    )
    pairs = pairs.merge(waits, on=["activity", "next_activity"], how="left")
    pairs["frequency"] = pairs["frequency"].astype("int64")
    is_edge = pairs["next_activity"].notna()

    dfg = pairs.loc[is_edge, ["activity", "next_activity", "frequency", "median_wait_seconds"]]
    dfg = dfg.rename(columns={"activity": "source", "next_activity": "target"})
    dfg = _ranked(
        dfg.astype({"source": object, "target": object}), "frequency", ["source", "target"]
    )
    dfg["median_wait_seconds"] = dfg["median_wait_seconds"].astype("float64")

    ends = pairs.loc[~is_edge, ["activity", "frequency"]].rename(columns={"frequency": "count"})
    per_activity = pairs.groupby("activity", sort=False).agg(
        frequency=("frequency", "sum"), starts=("starts", "sum")
    )
    per_activity = per_activity.reset_index()
    starts = per_activity.loc[per_activity["starts"] > 0, ["activity", "starts"]].rename(
        columns={"starts": "count"}
    )
    activities = per_activity[["activity", "frequency"]]
    return (
        dfg,
        _ranked(starts.astype({"activity": object, "count": "int64"}), "count", ["activity"]),
        _ranked(ends.astype({"activity": object, "count": "int64"}), "count", ["activity"]),
        _ranked(
            activities.astype({"activity": object, "frequency": "int64"}), "frequency", ["activity"]
        ),
    )


def _ranked(frame: pd.DataFrame, count: str, keys: list[str]) -> pd.DataFrame:
    """Most frequent first, ties by name; fresh index."""
    return frame.sort_values(
        [count, *keys], ascending=[False] + [True] * len(keys), kind="stable"
    ).reset_index(drop=True)


def _variants(prepared: nw.LazyFrame) -> pd.DataFrame:
    """``variant`` (tuple), ``cases``: each case's activity sequence, counted.

    narwhals has no ordered string/list aggregation, so the per-case sequences are built
    natively: polars ``group_by(case_id).agg(activity.sort_by(ts, row))`` then a
    ``group_by`` on the list column; on Spark ``sort_array(collect_list(struct(ts, row,
    activity)))``. Python only touches the distinct variants, never the cases.
    """
    counts = engine.variant_counts(prepared, separator=ARROW)
    frame = pd.DataFrame({"variant": counts["variant"], "cases": counts["cases"]})
    frame["cases"] = frame["cases"].astype("int64")
    return frame
