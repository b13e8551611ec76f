"""Break-even volume and the shared bot across towns (stage: relief/).

The committee's question when no candidate pays: *from what yearly volume does a bot pay,
and does a bot shared by several towns of the same size pay?* Both follow from the
relief of :func:`rpa_candidates.estimate_relief` and the bot costs of the
:class:`~rpa_candidates.Assumptions`; nothing is re-derived from the log.

With :math:`E` the relief in euros per year of a step (or of a routine, which one bot
automates as a whole), :math:`N` its executions per year, :math:`e = E / N` the relief per
execution, :math:`C_{build}` = ``bot_build_cost_eur``, :math:`C_{run}` =
``bot_run_cost_eur_per_year`` and :math:`H` = ``payback_horizon_months``:

.. math::

    N^* = \\frac{C_{run} + 12\\,C_{build} / H}{e}

is the **break-even volume**: at :math:`N^*` executions a year the relief pays the running
cost and the build cost amortised over the horizon, i.e. the payback
:math:`C_{build} / ((N e - C_{run}) / 12)` is exactly :math:`H` months.

**Shared bot** (interkommunale Zusammenarbeit): :math:`k` towns with the same volume share
one bot; each additional town adds :math:`O_{run}` = ``shared_bot_overhead_eur_per_year``
and a one-off :math:`O_{on}` = ``shared_bot_onboarding_eur``:

.. math::

    P_k = \\frac{C_{build} + (k - 1)\\,O_{on}}{(k E - C_{run} - (k - 1)\\,O_{run}) / 12}

(no payback when the denominator is not positive), and the towns needed for a payback
within :math:`H` are the smallest :math:`k \\ge 1` with :math:`P_k \\le H`:

.. math::

    k^* = \\left\\lceil \\frac{C_{run} - O_{run} + 12 (C_{build} - O_{on}) / H}
                         {E - O_{run} - 12\\,O_{on} / H} \\right\\rceil

(none when the denominator is not positive: each further town costs more than it brings).
This is a scenario — towns of the same size with the same process — not a measurement.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..core._data import load_toml

if TYPE_CHECKING:
    from .assumptions import Assumptions

__all__ = ["break_even", "shared_bot_towns"]


def shared_bot_towns() -> list[int]:
    """The numbers of towns shown for the shared bot (``data/rates.toml``: shared_bot_towns)."""
    return [int(k) for k in load_toml("rates.toml")["shared_bot_towns"]["value"]]


def _payback(eur: float, k: int, a: Assumptions) -> float:
    build = a.bot_build_cost_eur + (k - 1) * a.shared_bot_onboarding_eur
    net = k * eur - a.bot_run_cost_eur_per_year - (k - 1) * a.shared_bot_overhead_eur_per_year
    return build / (net / 12.0) if net > 0 else math.nan


def _towns_needed(eur: float, a: Assumptions) -> float:
    h = a.payback_horizon_months
    o_run, o_on = a.shared_bot_overhead_eur_per_year, a.shared_bot_onboarding_eur
    need = a.bot_run_cost_eur_per_year - o_run + 12.0 * (a.bot_build_cost_eur - o_on) / h
    gain = eur - o_run - 12.0 * o_on / h
    if not eur > 0 or not gain > 0:
        return math.nan
    k = max(1, math.ceil(need / gain - 1e-9))
    while k > 1 and _payback(eur, k - 1, a) <= h:  # guard the rounding
        k -= 1
    return float(k)


def _one(eur: float, events: float, a: Assumptions, towns: list[int]) -> dict[str, float]:
    h = a.payback_horizon_months
    ok = np.isfinite(eur) and np.isfinite(events) and events > 0 and eur > 0
    per_execution = eur / events if ok else math.nan
    target = a.bot_run_cost_eur_per_year + 12.0 * a.bot_build_cost_eur / h
    volume = target / per_execution if ok else math.nan
    row = {
        "relief_eur_per_execution": per_execution,
        "break_even_executions_per_year": volume,
        "volume_factor": volume / events if ok else math.nan,
        "payback_months": _payback(eur, 1, a) if ok else math.nan,
        "towns_needed": _towns_needed(eur, a) if ok else math.nan,
    }
    k_star = row["towns_needed"]
    row["payback_months_towns_needed"] = (
        _payback(eur, int(k_star), a) if np.isfinite(k_star) else math.nan
    )
    for k in towns:
        row[f"payback_months_towns_{k}"] = _payback(eur, k, a) if ok else math.nan
    return row


def break_even(
    candidates: pd.DataFrame, routines: pd.DataFrame, assumptions: Assumptions
) -> pd.DataFrame:
    """Break-even volume and shared-bot payback of every open candidate and routine.

    Parameters
    ----------
    candidates : pandas.DataFrame
        ``Analysis.candidates`` (``activity``, ``already_automated``, ``events_per_year``,
        ``relief_eur_per_year``).
    routines : pandas.DataFrame
        ``Analysis.routines`` (``routine``, ``steps``, ``events_per_year``,
        ``relief_eur_per_year``); one bot automates a whole routine.
    assumptions : Assumptions
        Bot costs, horizon and sharing overhead.

    Returns
    -------
    pandas.DataFrame
        One row per candidate (in the candidates' order; already-automated steps with
        NaN) and then per routine: ``kind`` (``"activity"`` | ``"routine"``), ``name``
        (the activity, or the routine's steps), ``routine`` (its number, else NA),
        ``events_per_year``, ``relief_eur_per_year``, ``relief_eur_per_execution``,
        ``break_even_executions_per_year`` (:math:`N^*`), ``volume_factor``
        (:math:`N^* / N`), ``payback_months`` (one town), ``towns_needed`` (:math:`k^*`,
        NaN: never within the horizon), ``payback_months_towns_needed`` (:math:`P_{k^*}`)
        and ``payback_months_towns_<k>`` for each
        :math:`k` of :func:`shared_bot_towns`.

    Examples
    --------
    >>> import pandas as pd
    >>> from rpa_candidates import Assumptions
    >>> c = pd.DataFrame({"activity": ["A"], "already_automated": [False],
    ...                   "events_per_year": [400.0], "relief_eur_per_year": [4000.0]})
    >>> r = pd.DataFrame(columns=["routine", "steps", "events_per_year", "relief_eur_per_year"])
    >>> row = break_even(c, r, Assumptions()).iloc[0]
    >>> round(row["break_even_executions_per_year"]), int(row["towns_needed"])
    (1250, 7)
    """
    towns = shared_bot_towns()
    rows = []
    for rec in candidates.to_dict("records"):
        done = bool(rec["already_automated"])
        eur = math.nan if done else float(rec["relief_eur_per_year"])
        events = float(rec["events_per_year"])
        rows.append(
            {
                "kind": "activity",
                "name": rec["activity"],
                "routine": pd.NA,
                "events_per_year": events,
                "relief_eur_per_year": eur,
                **_one(eur, events, assumptions, towns),
            }
        )
    for rec in routines.to_dict("records"):
        eur, events = float(rec["relief_eur_per_year"]), float(rec["events_per_year"])
        rows.append(
            {
                "kind": "routine",
                "name": rec["steps"],
                "routine": int(rec["routine"]),
                "events_per_year": events,
                "relief_eur_per_year": eur,
                **_one(eur, events, assumptions, towns),
            }
        )
    columns = [
        "kind",
        "name",
        "routine",
        "events_per_year",
        "relief_eur_per_year",
        "relief_eur_per_execution",
        "break_even_executions_per_year",
        "volume_factor",
        "payback_months",
        "towns_needed",
        "payback_months_towns_needed",
        *[f"payback_months_towns_{k}" for k in towns],
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["routine"] = out["routine"].astype("Int64")
    return out
