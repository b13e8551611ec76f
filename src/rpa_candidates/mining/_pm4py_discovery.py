"""pm4py's inductive miner and token replay on the small aggregates of
:func:`rpa_candidates.mining.discover` (variant log, DFG), each within a budget; the
budgets are :mod:`rpa_candidates.mining.discovery`'s ``MAX_*`` constants (from
``data/mining.toml``), passed in by ``discover``."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from ..core._pm4py import pm4py_module

__all__ = ["footprint_fitness", "mine_tree", "miner_work", "replay_fitness"]


def miner_work(variants: pd.DataFrame) -> float:
    """The work estimate of IMf on the variant log: ``A² · Σ_v |v|``.

    ``A`` distinct activities, ``|v|`` the length of each distinct variant: IMf recomputes
    the DFG of the (sub)log at each level of its recursion, and an unstructured log falls
    through about one level per activity (``data/mining.toml``, ``max_variant_miner_work``).
    """
    lengths = variants["variant"].map(len)
    activities = {a for v in variants["variant"] for a in v}
    return float(len(activities)) ** 2 * float(lengths.sum())


def _dfg_of_variant_log(log: Counter) -> Any:
    r"""pm4py's ``discover_dfg_uvcl`` in one pass: the same counts in the same order.

    pm4py 2.7 (``pm4py/util/compression/util.py``) updates a ``Counter`` once per
    directly-follows pair through a one-entry dict and scans the whole variant log once per
    activity for the start and end counts (:math:`O(A \cdot V)`); IMf calls it for every
    sublog of its recursion and for every candidate of its fall-throughs, which made it
    about 90 % of IMf's time on BPI Challenge 2012. Here: one pass over the variants, the
    edges counted in pm4py's insertion order (first occurrence, variants in log order),
    the start and end activities inserted in sorted order as pm4py's alphabet loop does.
    ``tests/test_mining.py`` checks the output against pm4py's on every sample log.
    """
    from pm4py.objects.dfg.obj import DFG

    dfg = DFG()
    graph = dfg.graph
    starts: dict[Any, int] = {}
    ends: dict[Any, int] = {}
    for trace, count in log.items():
        if not trace:
            continue
        for pair in pairwise(trace):
            graph[pair] += count
        starts[trace[0]] = starts.get(trace[0], 0) + count
        ends[trace[-1]] = ends.get(trace[-1], 0) + count
    for activity in sorted(starts):
        dfg.start_activities[activity] = starts[activity]
    for activity in sorted(ends):
        dfg.end_activities[activity] = ends[activity]
    return dfg


@contextmanager
def _fast_variant_dfg() -> Iterator[None]:
    """Run pm4py's inductive miner with :func:`_dfg_of_variant_log` in place of its own
    ``discover_dfg_uvcl`` (looked up on the module at every call), restored afterwards.
    Not thread-safe against another thread mining with pm4py at the same moment (which
    would then use the same counts, only faster)."""
    from pm4py.util.compression import util as comut

    original = comut.discover_dfg_uvcl
    comut.discover_dfg_uvcl = _dfg_of_variant_log
    try:
        yield
    finally:
        comut.discover_dfg_uvcl = original


def mine_tree(
    variants: pd.DataFrame,
    dfg: pd.DataFrame,
    starts: pd.DataFrame,
    ends: pd.DataFrame,
    *,
    noise: float,
    max_variants: int,
    max_work: float = float("inf"),
) -> tuple[Any, str]:
    """Run pm4py's inductive miner on the variant log, or IMd on the DFG past
    ``max_variants`` variants or a :func:`miner_work` above ``max_work`` (IMd's cost is
    bounded by the DFG, at most ``A²`` edges).

    pm4py 2.7's ``inductive.algorithm.apply`` does not recognise a ``Counter`` as its
    variant log (it compares ``type(obj)`` with the ``typing`` alias ``UVCL``), so the
    miner classes are called directly, followed by the same folding and sorting.
    """
    pm4py_module()
    from pm4py.algo.discovery.inductive.dtypes.im_dfg import InductiveDFG
    from pm4py.algo.discovery.inductive.dtypes.im_ds import (
        IMDataStructureDFG,
        IMDataStructureUVCL,
    )
    from pm4py.algo.discovery.inductive.variants.im import IMUVCL
    from pm4py.algo.discovery.inductive.variants.imd import IMD
    from pm4py.algo.discovery.inductive.variants.imf import IMFUVCL
    from pm4py.objects.dfg.obj import DFG
    from pm4py.objects.process_tree.utils.generic import fold, tree_sort

    parameters = {"noise_threshold": noise, "multiprocessing": False}
    if len(variants) <= max_variants and miner_work(variants) <= max_work:
        uvcl = Counter(dict(zip(variants["variant"], variants["cases"].tolist(), strict=True)))
        miner, algorithm = ("IMf", IMFUVCL) if noise > 0 else ("IM", IMUVCL)
        with _fast_variant_dfg():
            tree = algorithm(parameters).apply(IMDataStructureUVCL(uvcl), parameters)
    else:
        miner = "IMd"
        graph = DFG(
            {
                (s, t): int(f)
                for s, t, f in zip(dfg["source"], dfg["target"], dfg["frequency"], strict=True)
            },
            dict(zip(starts["activity"], starts["count"].tolist(), strict=True)),
            dict(zip(ends["activity"], ends["count"].tolist(), strict=True)),
        )
        tree = IMD(parameters).apply(
            IMDataStructureDFG(InductiveDFG(dfg=graph, skip=False)), parameters
        )
    tree = fold(tree)
    tree_sort(tree)
    return tree, miner


def replay_fitness(
    variants: pd.DataFrame,
    petri_net: tuple[Any, Any, Any],
    *,
    max_variants: int,
    max_checks: int,
    max_seconds: float = float("inf"),
    sample: int = 0,
    seed: int = 0,
    chunk: int = 50,
) -> dict[str, Any]:
    r"""Token-based replay of the most frequent variants and a random sample of the rest,
    weighted by their cases.

    Variants are sorted most frequent first. With :math:`V` variants and a budget of
    :math:`B` = ``max_variants``: if :math:`V \le B` every variant is replayed (exact).
    Otherwise the :math:`B - m` most frequent variants (the head, :math:`m` = ``sample``)
    are replayed, and of the :math:`T = V - B + m` others (the tail) a simple random sample
    of :math:`m` (seeded), each weighted by :math:`T / m`. Every sum of the fitness, for a
    replayed quantity :math:`x_v` (missing, consumed, remaining, produced tokens, trace
    fitness, fit or not) of a variant with :math:`c_v` cases, is then the Horvitz–Thompson
    estimate

    .. math::

        \widehat{\sum_v c_v x_v} = \sum_{v \in H} c_v x_v
            + \frac{T}{m} \sum_{v \in S} c_v x_v

    which is unbiased for the sum over all cases (Horvitz and Thompson 1952, JASA 47,
    663–685). ``standard_error`` of ``log_fitness`` is the standard deviation of the
    estimate over 200 bootstrap resamples of the sample (0 when exact). With ``sample=0``
    only the head is replayed and the fitness stands for its cases (``case_coverage``).

    Replay order is head, then sample; the replayed variants' lengths times the net's
    transitions sum to at most ``max_checks`` (the first variant always), and replay runs
    in chunks of ``chunk`` variants and stops after the chunk that passes ``max_seconds``;
    a sample cut short stays a random sample (of fewer variants). ``stopped_by`` says what
    bounded the replay: ``None`` (every variant), ``"sample"`` (head and sample, as
    planned), ``"variants"`` (head only, no sample), ``"checks"`` or ``"time"``.
    """
    pm4py_module()
    from pm4py.algo.conformance.tokenreplay import algorithm as token_replay
    from pm4py.objects.log.obj import Event, EventLog, Trace

    net, initial, final = petri_net
    n_variants = len(variants)
    sample = max(0, min(int(sample), max_variants - 1))
    if n_variants <= max_variants:
        head, tail, stopped_by = n_variants, 0, None
    else:
        head, tail = max_variants - sample, n_variants - max_variants + sample
        stopped_by = "sample" if sample else "variants"
    rng = np.random.default_rng(seed)
    picked = np.sort(rng.choice(tail, size=sample, replace=False)) if tail and sample else []
    order = np.concatenate([np.arange(head), head + np.asarray(picked, dtype="int64")])
    planned = variants.iloc[order.astype("int64")]
    checks = planned["variant"].map(len).cumsum() * max(1, len(net.transitions))
    within = (checks <= max_checks).to_numpy() | (np.arange(len(planned)) == 0)
    if not within.all():
        stopped_by = "checks"
    planned = planned[within]
    variant = token_replay.Variants.TOKEN_REPLAY
    parameters = {
        variant.value.Parameters.CONSIDER_REMAINING_IN_FITNESS: True,
        variant.value.Parameters.CLEANING_TOKEN_FLOOD: False,
        variant.value.Parameters.SHOW_PROGRESS_BAR: False,
    }
    results: list[dict[str, Any]] = []
    began = time.monotonic()
    for start in range(0, len(planned), chunk):
        part = planned["variant"].iloc[start : start + chunk]
        traces = EventLog([Trace([Event({"concept:name": a}) for a in seq]) for seq in part])
        results += token_replay.apply(
            traces, net, initial, final, variant=variant, parameters=parameters
        )
        if time.monotonic() - began > max_seconds and start + chunk < len(planned):
            stopped_by = "time"
            break
    replayed = planned.head(len(results))
    diag = pd.DataFrame(results)
    in_head = np.arange(len(replayed)) < head
    n_sampled = int((~in_head).sum())
    cases = replayed["cases"].to_numpy(dtype="float64")
    scale = tail / n_sampled if n_sampled else 0.0
    all_cases = float(variants["cases"].sum())
    columns = (
        "missing_tokens",
        "consumed_tokens",
        "remaining_tokens",
        "produced_tokens",
        "trace_fitness",
        "trace_is_fit",
    )
    x = {c: diag[c].to_numpy(dtype="float64") * cases for c in columns}
    x["cases"] = cases
    tail_rows = np.flatnonzero(~in_head)

    def estimate(rows: np.ndarray) -> dict[str, float]:
        return {k: float(v[in_head].sum() + scale * v[rows].sum()) for k, v in x.items()}

    def log_fitness(s: dict[str, float]) -> float:
        if s["consumed_tokens"] <= 0 or s["produced_tokens"] <= 0:
            return 0.0
        return 0.5 * (1 - s["missing_tokens"] / s["consumed_tokens"]) + 0.5 * (
            1 - s["remaining_tokens"] / s["produced_tokens"]
        )

    sums = estimate(tail_rows)
    standard_error = 0.0
    if n_sampled > 1:
        boot = [
            log_fitness(estimate(rng.choice(tail_rows, size=n_sampled, replace=True)))
            for _ in range(200)
        ]
        standard_error = float(np.std(boot, ddof=1))
    total = sums["cases"]  # all cases (estimated) with a sample, else the replayed ones
    return {
        "log_fitness": log_fitness(sums),
        "average_trace_fitness": sums["trace_fitness"] / total if total else 0.0,
        "perc_fit_traces": 100.0 * sums["trace_is_fit"] / total if total else 0.0,
        "case_coverage": float(cases.sum()) / all_cases if all_cases else 0.0,
        "variants_replayed": len(replayed),
        "variants_sampled": n_sampled,
        "tail_variants": tail if n_sampled else 0,
        "standard_error": standard_error,
        "variants_total": n_variants,
        "method": "token_replay",
        "stopped_by": stopped_by,
    }


def footprint_fitness(
    tree: Any,
    dfg: pd.DataFrame,
    starts: pd.DataFrame,
    ends: pd.DataFrame,
    variants: pd.DataFrame,
) -> dict[str, Any]:
    r"""Footprint fitness on the DFG: the share of the log's directly-follows steps, starts
    and ends that the model's footprint allows.

    With the model's footprint (pm4py's footprints of the process tree: the pairs that may
    directly follow each other, ``sequence`` ∪ ``parallel``, and the start and end
    activities) and the log's DFG frequencies :math:`f(a, b)`, start counts :math:`s(a)`
    and end counts :math:`e(a)`:

    .. math::

        \text{fitness} = \frac{\sum_{(a,b) \in FP} f(a,b) + \sum_{a \in S_M} s(a)
            + \sum_{a \in E_M} e(a)}{\sum f + \sum s + \sum e}

    Its cost is the size of the DFG, whatever the log (van der Aalst, Process Mining,
    2nd ed., Springer 2016, § 8.4, comparing footprints). It is not token replay's
    fitness; ``method = "footprints"`` says so.
    """
    pm4py = pm4py_module()
    fp = pm4py.discover_footprints(tree)
    allowed = set(fp.get("sequence", set())) | set(fp.get("parallel", set()))
    pairs = list(zip(dfg["source"], dfg["target"], strict=True))
    freq = dfg["frequency"].to_numpy(dtype="float64")
    ok = np.array([pair in allowed for pair in pairs], dtype=bool)
    s_ok = starts["activity"].isin(set(fp.get("start_activities", set()))).to_numpy()
    e_ok = ends["activity"].isin(set(fp.get("end_activities", set()))).to_numpy()
    s_n, e_n = starts["count"].to_numpy(dtype="float64"), ends["count"].to_numpy(dtype="float64")
    total = float(freq.sum() + s_n.sum() + e_n.sum())
    fitting = float(freq[ok].sum() + s_n[s_ok].sum() + e_n[e_ok].sum())
    return {
        "log_fitness": fitting / total if total else 0.0,
        "average_trace_fitness": float("nan"),
        "perc_fit_traces": float("nan"),
        "case_coverage": 1.0,
        "variants_replayed": 0,
        "variants_sampled": 0,
        "tail_variants": 0,
        "standard_error": float("nan"),
        "variants_total": len(variants),
        "method": "footprints",
        "stopped_by": None,
    }
