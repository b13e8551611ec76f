"""pm4py's inductive miner and token replay on the small aggregates of
:func:`rpa_candidates.mining.discover` (variant log, DFG); the limits are
:mod:`rpa_candidates.mining`'s ``MAX_*`` constants, passed in by ``discover``."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from ..core._pm4py import pm4py_module

__all__ = ["mine_tree", "replay_fitness"]


def mine_tree(
    variants: pd.DataFrame,
    dfg: pd.DataFrame,
    starts: pd.DataFrame,
    ends: pd.DataFrame,
    *,
    noise: float,
    max_variants: int,
) -> tuple[Any, str]:
    """Run pm4py's inductive miner on the variant log (or on the DFG past ``max_variants``
    variants).

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
    if len(variants) <= max_variants:
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
) -> dict[str, float]:
    """Token-based replay of the most frequent variants, weighted by their cases.

    Variants are taken most frequent first while there are at most ``max_variants`` of
    them and their lengths times the net's transitions sum to at most ``max_checks`` (the
    first variant always).
    """
    pm4py_module()
    from pm4py.algo.conformance.tokenreplay import algorithm as token_replay
    from pm4py.objects.log.obj import Event, EventLog, Trace

    net, initial, final = petri_net
    replayed = variants.head(max_variants)
    checks = replayed["variant"].map(len).cumsum() * max(1, len(net.transitions))
    first = np.arange(len(replayed)) == 0
    replayed = replayed[(checks <= max_checks).to_numpy() | first]
    traces = EventLog(
        [Trace([Event({"concept:name": a}) for a in variant]) for variant in replayed["variant"]]
    )
    variant = token_replay.Variants.TOKEN_REPLAY
    parameters = {
        variant.value.Parameters.CONSIDER_REMAINING_IN_FITNESS: True,
        variant.value.Parameters.CLEANING_TOKEN_FLOOD: False,
        variant.value.Parameters.SHOW_PROGRESS_BAR: False,
    }
    results = token_replay.apply(
        traces, net, initial, final, variant=variant, parameters=parameters
    )
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
    }
