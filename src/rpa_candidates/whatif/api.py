r"""``what_if``: simulate the process as it is and with chosen steps taken over by a bot.

Stage: relief (what-if simulation). The model (:mod:`~rpa_candidates.whatif.model`) is
built once from the log and the analysis; every run draws its random numbers once
(:func:`~rpa_candidates.whatif.engine.plan`) and simulates each scenario on them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..core.errors import ParameterError
from .engine import plan, run
from .model import build_model, whatif_defaults
from .result import WhatIf, summarise

if TYPE_CHECKING:
    from ..core.eventlog import EventLog
    from ..results import AnalysisResult as Analysis

__all__ = ["what_if"]


def _chosen(analysis: Analysis, automate: Sequence[str] | None, top: int | None) -> list[str]:
    acts = [str(a) for a in analysis.candidates["activity"]]
    if (automate is None) == (top is None):
        raise ParameterError(
            "Pass exactly one of automate=[activity, ...] or top=k, e.g. "
            f"automate=[{acts[0]!r}] or top=3."
        )
    if top is not None:
        if not isinstance(top, int | np.integer) or isinstance(top, bool) or top < 1:
            raise ParameterError(f"top must be a positive integer, got {top!r}.")
        cand = analysis.candidates
        open_ = cand[~cand["already_automated"].astype(bool)]
        if open_.empty:
            raise ParameterError(
                "Every activity is already automated, so top=... finds no step for the bot; "
                "name steps with automate=[...] instead."
            )
        return [str(a) for a in open_["activity"].head(int(top))]
    if isinstance(automate, str):
        automate = [automate]
    unknown = [a for a in automate if a not in acts]
    if unknown or not automate:
        raise ParameterError(
            f"Unknown activities {unknown!r} in automate; expected names from "
            f"analysis.candidates['activity'], e.g. {acts[:3]!r}."
        )
    return list(dict.fromkeys(str(a) for a in automate))


def what_if(
    analysis: Analysis,
    log: EventLog,
    *,
    automate: Sequence[str] | None = None,
    top: int | None = None,
    runs: int | None = None,
    seed: int = 0,
    roles: Mapping[str, str] | None = None,
) -> WhatIf:
    r"""Simulate the process as it is and with the chosen steps done by a bot.

    The as-is scenario runs the simulation model of the log (arrivals, routing, handling
    times, delays, resource pools with calendars; formulas in
    :mod:`rpa_candidates.whatif.model`) on SimPy. The to-be scenario is the same model in
    which a bot takes over each execution of an automated step with probability
    :math:`s_a` (``automatable_share`` of ``analysis.relief``: the standard-context share,
    1 where it is not defined) and finishes it with probability :math:`\beta`
    (``bot_success_rate``); a failed execution goes back to the step's human pool. The bot
    works 24/7, ``bot_handling_seconds`` per execution. Both scenarios of a run share
    their random draws; intervals are the ``(1 ± confidence) / 2`` percentiles over runs.

    Freed hours per year of step :math:`a`: :math:`(H^{as-is}_a - H^{to-be}_a) / T`, the
    human handling hours of the simulated period :math:`T` (years between first and last
    case start, as in the relief estimate); expected :math:`n_a s_a \beta \bar h_a / T`,
    the relief figure.

    Parameters
    ----------
    analysis : Analysis
        ``rc.analyze(log)``: the candidates, the relief and the discovered model.
    log : EventLog
        The log ``analysis`` was made of; needs resources and start and completion times.
    automate : sequence of str, optional
        Activities the bot takes over.
    top : int, optional
        Automate the ``top`` best-ranked candidates not yet automated (instead of
        ``automate``).
    runs : int or None, default=None
        Simulation runs per scenario; ``None`` takes ``runs`` of ``data/whatif.toml`` (10).
    seed : int, default=0
        Seed; the same seed gives the same figures.
    roles : mapping, optional
        ``{resource: role}``, keyed by the original resource name (kept in memory only)
        or its pseudonym; without it, pools are found by clustering the resources'
        activity profiles. Results are reported per role only, never per person.

    Returns
    -------
    WhatIf
        ``.cycle_times``, ``.waiting``, ``.workload``, ``.activities``, ``.freed``,
        ``.validation``, ``.pools``; ``to_frame()`` one row per scenario.

    Raises
    ------
    ParameterError
        Neither or both of ``automate``/``top``, unknown activities, bad ``runs``.
    SimulationError
        The log cannot support a simulation (no resources, no start times, dates only).

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=120, seed=1).events)
    >>> w = rc.what_if(rc.analyze(log), log, top=1, runs=2)
    >>> list(w.to_frame()["scenario"])
    ['as_is', 'to_be']
    """
    cfg = whatif_defaults()
    runs = int(cfg["runs"]) if runs is None else runs
    if not isinstance(runs, int | np.integer) or isinstance(runs, bool) or runs < 1:
        raise ParameterError(f"runs must be a positive integer, got {runs!r}.")
    chosen = _chosen(analysis, automate, top)
    from ..core.resources import classify_resources

    cls = classify_resources(log)
    auto = set(cls.loc[cls["automated"].fillna(False).astype(bool), "resource"].astype(str))
    model = build_model(analysis, log, automated_resources=auto, roles=roles)
    a = analysis.assumptions
    relief = analysis.relief.set_index("activity")
    share = np.zeros(len(model.activities))
    for name in chosen:
        s = float(relief["automatable_share"].get(name, np.nan))
        share[model.activities.index(name)] = s if np.isfinite(s) and s > 0 else 1.0
    none = np.zeros_like(share)
    out = []
    for r in range(int(runs)):
        rng = np.random.default_rng([int(seed), r])
        p = plan(model, rng, int(cfg["max_steps_per_case"]))
        kw = {"bot_seconds": float(a.bot_handling_seconds), "success": float(a.bot_success_rate)}
        out.append((p, run(model, p, none, **kw), run(model, p, share, **kw)))
    return summarise(model, out, chosen, share, analysis, seed=int(seed))
