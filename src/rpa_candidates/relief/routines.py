"""Routines: chains of consecutive candidate steps that one bot could take over together.

Two candidate steps ``a`` and ``b`` are linked when ``b`` usually follows ``a`` directly:

    follow(a, b) = dfg(a, b) / n_a > s   and   precede(a, b) = dfg(a, b) / n_b > s

with ``dfg(a, b)`` the directly-follows count, ``n`` the executions and ``s`` the
``min_follow_share`` of ``data/routines.toml`` (0.5). Because the shares are strictly above
one half, every step has at most one linked successor and one linked predecessor, so the
links form simple chains (a cycle of linked steps is opened at its alphabetically first
step); a routine is a maximal chain of at least two candidate steps
(automatability ≥ ``min_automatability``, not already automated). Its relief is the sum of
its steps' relief; the interval sums the steps' bounds, which is conservative (wider than
the interval of the sum, since the steps' errors are not perfectly correlated).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core._data import load_toml
from ..core.errors import ParameterError

__all__ = ["ROUTINE_COLUMNS", "find_routines", "routine_settings"]

ROUTINE_COLUMNS = [
    "routine",
    "steps",
    "n_steps",
    "min_automatability",
    "events_per_year",
    "relief_hours_per_year",
    "relief_hours_low",
    "relief_hours_high",
    "relief_fte",
    "relief_eur_per_year",
]


def routine_settings(**overrides: float) -> dict[str, float]:
    """Thresholds from ``data/routines.toml``, optionally overridden."""
    table = load_toml("routines.toml")
    settings = {name: float(entry["value"]) for name, entry in table.items()}
    unknown = set(overrides) - set(settings)
    if unknown:
        raise ParameterError(
            f"Unknown routine options {sorted(unknown)!r}; allowed: {sorted(settings)!r}."
        )
    for name, value in overrides.items():
        if not 0.0 <= float(value) <= 1.0:
            raise ParameterError(f"{name}={value!r} must lie between 0 and 1.")
        settings[name] = float(value)
    return settings


def find_routines(
    candidates: pd.DataFrame, dfg: pd.DataFrame, activities: pd.DataFrame, **options: float
) -> pd.DataFrame:
    """Chains of consecutive candidate steps, with their summed relief.

    Parameters
    ----------
    candidates : pandas.DataFrame
        ``Analysis.candidates``: at least ``activity``, ``automatability``,
        ``already_automated``, ``events_per_year`` and the ``relief_*`` columns.
    dfg : pandas.DataFrame
        ``ProcessModel.dfg``: ``source``, ``target``, ``frequency``.
    activities : pandas.DataFrame
        ``ProcessModel.activities``: ``activity``, ``frequency`` (executions ``n``).
    **options
        ``min_automatability``, ``min_follow_share`` (see ``data/routines.toml``).

    Returns
    -------
    pandas.DataFrame
        One row per routine, largest relief first: ``routine`` (1, 2, ...), ``steps``
        (the activities in order, joined by " → "), ``n_steps``, ``min_automatability``,
        ``events_per_year`` (of the first step), ``relief_hours_per_year``,
        ``relief_hours_low``, ``relief_hours_high``, ``relief_fte``,
        ``relief_eur_per_year`` (sums over the steps).
    """
    settings = routine_settings(**options)
    share = settings["min_follow_share"]
    eligible = candidates[
        (candidates["automatability"] >= settings["min_automatability"])
        & ~candidates["already_automated"].astype(bool)
    ].set_index("activity")
    executions = activities.set_index("activity")["frequency"]
    links = dfg[dfg["source"].isin(eligible.index) & dfg["target"].isin(eligible.index)]
    links = links[links["source"] != links["target"]]
    follow = links["frequency"] / links["source"].map(executions)
    precede = links["frequency"] / links["target"].map(executions)
    links = links[(follow > share) & (precede > share)]
    successor = dict(zip(links["source"], links["target"], strict=True))
    predecessor = {b: a for a, b in successor.items()}
    chains: list[list[str]] = []
    visited: set[str] = set()
    # chain heads first; what stays unvisited lies on a cycle, opened at its first name
    heads = [a for a in sorted(successor) if a not in predecessor]
    for head in [*heads, *sorted(successor)]:
        if head in visited:
            continue
        chain = [head]
        while chain[-1] in successor and successor[chain[-1]] not in chain:
            chain.append(successor[chain[-1]])
        visited.update(chain)
        chains.append(chain)
    rows: list[dict[str, Any]] = []
    for chain in chains:
        part = eligible.loc[chain]
        rows.append(
            {
                "steps": " → ".join(chain),
                "n_steps": len(chain),
                "min_automatability": float(part["automatability"].min()),
                "events_per_year": float(part["events_per_year"].iloc[0]),
                **{column: float(part[column].sum(min_count=1)) for column in ROUTINE_COLUMNS[5:]},
            }
        )
    out = pd.DataFrame(rows, columns=ROUTINE_COLUMNS[1:])
    out = out.sort_values(
        ["relief_hours_per_year", "steps"], ascending=[False, True], na_position="last"
    )
    out.insert(0, "routine", range(1, len(out) + 1))
    return out.reset_index(drop=True)
