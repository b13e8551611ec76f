"""pm4py's inductive miner and token replay on the small aggregates of
:func:`rpa_candidates.mining.discover` (variant log, DFG), each within a budget; the
budgets are :mod:`rpa_candidates.mining.discovery`'s ``MAX_*`` constants (from
``data/mining.toml``), passed in by ``discover``."""

from __future__ import annotations

import time
from collections import Counter
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
        if noise > 0:
            miner = "IMf"
            tree = IMFUVCL(parameters).apply(IMDataStructureUVCL(uvcl), parameters)
        else:
            miner = "IM"
            tree = IMUVCL(parameters).apply(IMDataStructureUVCL(uvcl), parameters)
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
    chunk: int = 50,
) -> dict[str, float]:
    """Token-based replay of the most frequent variants, weighted by their cases.

    Variants are taken most frequent first while there are at most ``max_variants`` of
    them and their lengths times the net's transitions sum to at most ``max_checks`` (the
    first variant always); they are replayed in chunks of ``chunk`` variants, and replay
    stops after the chunk that passes ``max_seconds`` of wall-clock time. ``stopped_by``
    says which bound cut the replay (``None``: every variant replayed).
    """
    pm4py_module()
    from pm4py.algo.conformance.tokenreplay import algorithm as token_replay
    from pm4py.objects.log.obj import Event, EventLog, Trace

    net, initial, final = petri_net
    stopped_by = "variants" if len(variants) > max_variants else None
    replayed = variants.head(max_variants)
    checks = replayed["variant"].map(len).cumsum() * max(1, len(net.transitions))
    first = np.arange(len(replayed)) == 0
    within = (checks <= max_checks).to_numpy() | first
    if not within.all():
        stopped_by = "checks"
    replayed = replayed[within]
    variant = token_replay.Variants.TOKEN_REPLAY
    parameters = {
        variant.value.Parameters.CONSIDER_REMAINING_IN_FITNESS: True,
        variant.value.Parameters.CLEANING_TOKEN_FLOOD: False,
        variant.value.Parameters.SHOW_PROGRESS_BAR: False,
    }
    results: list[dict[str, Any]] = []
    began = time.monotonic()
    for start in range(0, len(replayed), chunk):
        part = replayed["variant"].iloc[start : start + chunk]
        traces = EventLog([Trace([Event({"concept:name": a}) for a in seq]) for seq in part])
        results += token_replay.apply(
            traces, net, initial, final, variant=variant, parameters=parameters
        )
        if time.monotonic() - began > max_seconds and start + chunk < len(replayed):
            stopped_by = "time"
            break
    replayed = replayed.head(len(results))
    diag = pd.DataFrame(results)
    weight = replayed["cases"].to_numpy(dtype="float64")
    total = float(weight.sum())

    def wsum(column: str) -> float:
        return float((diag[column].to_numpy(dtype="float64") * weight).sum())

    consumed, produced = wsum("consumed_tokens"), wsum("produced_tokens")
    log_fitness = 0.0
    if consumed > 0 and produced > 0:
        log_fitness = 0.5 * (1 - wsum("missing_tokens") / consumed) + 0.5 * (
            1 - wsum("remaining_tokens") / produced
        )
    all_cases = float(variants["cases"].sum())
    return {
        "log_fitness": log_fitness,
        "average_trace_fitness": wsum("trace_fitness") / total if total else 0.0,
        "perc_fit_traces": 100.0 * wsum("trace_is_fit") / total if total else 0.0,
        "case_coverage": total / all_cases if all_cases else 0.0,
        "variants_replayed": len(replayed),
        "variants_total": len(variants),
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
        "variants_total": len(variants),
        "method": "footprints",
        "stopped_by": None,
    }
