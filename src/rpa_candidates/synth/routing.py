"""Routing: which activities each case goes through, decided before any timing.

Routing depends only on the case attributes and on uniform draws, never on time, so every
case's path is fixed first and the discrete-event loop only schedules it. Semantics are
described in :mod:`rpa_candidates.synth.spec`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rpa_candidates.core.errors import ParameterError
from rpa_candidates.synth.spec import END, START, WAITS, ProcessSpec

__all__ = ["compile_routes", "route"]

_MAX_STEPS = 60  # after this many steps a case stops taking random (rework) branches


def compile_routes(spec: ProcessSpec, attrs: pd.DataFrame) -> tuple[list, list, list]:
    """Check ``spec`` and compile its transitions into routing tables.

    Parameters
    ----------
    spec : ProcessSpec
        The process.
    attrs : pandas.DataFrame
        Case attributes, one row per case; each distinct ``when`` expression is evaluated
        on them once.

    Returns
    -------
    probs : list of list of tuple
        Per source (activity index, ``START`` last): ``(cumulative probability, target,
        transition index)`` of the random branches; target ``-1`` is ``END``.
    conds : list of list of tuple
        Per source: ``(condition index or -1, target, transition index)``.
    values : list of list of bool
        Per condition: its value for every case.

    Raises
    ------
    ParameterError
        Unknown activity, role or wait; a source without a last default transition.
    """
    names = [a.name for a in spec.activities]
    index = {name: i for i, name in enumerate(names)}
    index[START] = len(names)
    roles = {r.name for r in spec.roles}
    for act in spec.activities:
        if act.role not in roles:
            raise ParameterError(f"Activity {act.name!r} has unknown role {act.role!r}.")
    probs: list[list] = [[] for _ in range(len(names) + 1)]
    conds: list[list] = [[] for _ in range(len(names) + 1)]
    cum = [0.0] * (len(names) + 1)
    expressions: dict[str, int] = {}
    values: list[list[bool]] = []
    for ti, tr in enumerate(spec.transitions):
        if tr.source not in index or (tr.target != END and tr.target not in index):
            raise ParameterError(f"Transition {tr!r} names an unknown activity.")
        if tr.wait not in WAITS:
            raise ParameterError(f"Unknown wait {tr.wait!r}; expected one of {sorted(WAITS)!r}.")
        src, tgt = index[tr.source], (-1 if tr.target == END else index[tr.target])
        if tr.probability is not None:
            cum[src] += tr.probability
            probs[src].append((cum[src], tgt, ti))
        elif tr.when is None:
            conds[src].append((-1, tgt, ti))
        else:
            if tr.when not in expressions:
                mask = attrs.eval(tr.when, engine="python")
                expressions[tr.when] = len(values)
                values.append(np.asarray(mask, dtype=bool).tolist())
            conds[src].append((expressions[tr.when], tgt, ti))
    for src, options in enumerate(conds):
        name = START if src == len(names) else names[src]
        if not options or options[-1][0] != -1 or cum[src] >= 1.0:
            raise ParameterError(
                f"Activity {name!r} needs a last default transition (no probability, no `when`) "
                "and random branches with total probability below 1."
            )
    return probs, conds, values


def route(rng: np.random.Generator, n: int, probs: list, conds: list, values: list) -> tuple:
    """Walk every case through the routing tables.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of the uniform draws (one per step).
    n : int
        Number of cases.
    probs, conds, values : list
        Output of :func:`compile_routes`.

    Returns
    -------
    acts : numpy.ndarray of int
        Activity index of every step, case after case.
    trans : numpy.ndarray of int
        Index of the transition that led to each step.
    lengths : numpy.ndarray of int
        Number of steps per case.
    """
    acts: list[int] = []
    trans: list[int] = []
    lengths = np.zeros(n, dtype=np.int64)
    start = len(probs) - 1
    draws: list[float] = []
    pos = 0
    for c in range(n):
        cur, length = start, 0
        while True:
            if pos == len(draws):
                draws, pos = rng.random(1 << 16).tolist(), 0
            u = draws[pos]
            pos += 1
            target = None
            if length < _MAX_STEPS:
                for cp, tgt, ti in probs[cur]:
                    if u < cp:
                        target, tt = tgt, ti
                        break
            if target is None:
                for ci, tgt, ti in conds[cur]:
                    if ci < 0 or values[ci][c]:
                        target, tt = tgt, ti
                        break
            if target < 0:
                break
            acts.append(target)
            trans.append(tt)
            cur = target
            length += 1
        lengths[c] = length
    return np.array(acts, dtype=np.int64), np.array(trans, dtype=np.int64), lengths
