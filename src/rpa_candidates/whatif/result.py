"""The :class:`WhatIf` result: tidy tables per scenario, per activity and per role.

Stage: relief (what-if simulation). Every figure is the median over the simulation runs
with the ``(1 ± confidence) / 2`` percentiles over runs as its interval.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .calendar import DAY
from .model import SimModel, whatif_defaults

__all__ = ["WhatIf", "summarise"]

SCENARIOS = ("as_is", "to_be")


@dataclass(frozen=True, repr=False, eq=False)
class WhatIf:
    """Result of :func:`rpa_candidates.what_if`; computed once, rendered many times.

    Attributes
    ----------
    automated : list of str
        The steps the bot takes over in the ``to_be`` scenario.
    cycle_times : pandas.DataFrame
        ``scenario``, ``statistic`` (``median`` | ``p90``), ``days``, ``days_low``,
        ``days_high``: cycle time per case (first start to last end).
    waiting : pandas.DataFrame
        ``scenario``, ``activity``, ``waiting_hours`` (mean from the end of the case's
        previous step to the start of this one: delay, queue and closed hours), ``_low``,
        ``_high``.
    workload : pandas.DataFrame
        ``scenario``, ``role``, ``servers``, ``busy_hours_per_year``, ``utilisation``
        (busy hours / (servers · open hours of the calendar)), with ``_low``/``_high``.
    activities : pandas.DataFrame
        ``scenario``, ``activity``, ``executions_per_year``, ``human_hours_per_year``
        (staff pools only; 0 for steps of automated pools), ``bot_hours_per_year``
        (medians over runs).
    freed : pandas.DataFrame
        ``activity``, ``freed_hours_per_year`` (as-is minus to-be human hours, paired per
        run), ``freed_hours_low``, ``freed_hours_high``, ``relief_hours_per_year`` (from
        the analysis), ``bot_share`` (probability the bot takes an execution).
    validation : pandas.DataFrame
        ``metric``, ``activity``, ``log``, ``simulated``, ``simulated_low``,
        ``simulated_high``, ``relative_error`` (``simulated / log - 1``): the as-is run
        against the log (cycle-time median and P90 in days, hours per year per activity).
    pools : pandas.DataFrame
        ``role``, ``members`` (distinct resources), ``servers``, ``calendar``,
        ``automated``, ``activities``.
    notes : list of str
        Remarks: roles with fewer than ``min_role_members`` people (their workload is
        close to a person's), cases ended at ``max_steps_per_case``.
    small_roles : list of str
        The staff roles with fewer than ``min_role_members`` people (named in the report).
    """

    automated: list[str]
    cycle_times: pd.DataFrame
    waiting: pd.DataFrame
    workload: pd.DataFrame
    activities: pd.DataFrame
    freed: pd.DataFrame
    validation: pd.DataFrame
    pools: pd.DataFrame
    runs: int
    seed: int
    notes: list[str] = field(default_factory=list)
    small_roles: list[str] = field(default_factory=list)

    def cycle(self, scenario: str, statistic: str = "median") -> float:
        """Cycle time in days of ``scenario`` (``"as_is"`` | ``"to_be"``)."""
        ct = self.cycle_times
        row = ct[(ct["scenario"] == scenario) & (ct["statistic"] == statistic)]
        return float(row["days"].iloc[0])

    def to_frame(self) -> pd.DataFrame:
        """One row per scenario: cycle-time median and P90 (days, with intervals), human
        and bot hours per year, freed hours per year."""
        rows = []
        for sc in SCENARIOS:
            ct = self.cycle_times[self.cycle_times["scenario"] == sc].set_index("statistic")
            act = self.activities[self.activities["scenario"] == sc]
            rows.append(
                {
                    "scenario": sc,
                    "cycle_median_days": ct.loc["median", "days"],
                    "cycle_median_low": ct.loc["median", "days_low"],
                    "cycle_median_high": ct.loc["median", "days_high"],
                    "cycle_p90_days": ct.loc["p90", "days"],
                    "cycle_p90_low": ct.loc["p90", "days_low"],
                    "cycle_p90_high": ct.loc["p90", "days_high"],
                    "human_hours_per_year": act["human_hours_per_year"].sum(),
                    "bot_hours_per_year": act["bot_hours_per_year"].sum(),
                    "freed_hours_per_year": 0.0
                    if sc == "as_is"
                    else float(self.freed["freed_hours_per_year"].sum()),
                }
            )
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        f = self.to_frame().set_index("scenario")
        return (
            f"WhatIf(bot on {len(self.automated)} step(s): median cycle time "
            f"{f.loc['as_is', 'cycle_median_days']:.1f} → {f.loc['to_be', 'cycle_median_days']:.1f}"
            f" days, {f.loc['to_be', 'freed_hours_per_year']:.0f} h/year freed, {self.runs} runs; "
            "see .to_frame(), .workload, .waiting, .validation)"
        )

    def _repr_html_(self) -> str:
        f = self.to_frame().round(2)
        steps = html.escape(", ".join(self.automated))
        return (
            f"<div><strong>WhatIf</strong> — bot on: {steps} ({self.runs} runs, seed "
            f"{self.seed})</div>" + f.to_html(index=False, border=0)
        )


def _band(values: np.ndarray, conf: float) -> tuple[float, float, float]:
    v = np.asarray(values, dtype=float)
    lo, hi = np.quantile(v, [(1 - conf) / 2, (1 + conf) / 2])
    return float(np.median(v)), float(lo), float(hi)


def _per_run(model: SimModel, p, res: dict[str, np.ndarray]) -> dict[str, Any]:
    n = len(model.activities)
    case = np.repeat(np.arange(p.arrival.size), np.diff(p.offsets))
    first = pd.Series(res["start"]).groupby(case).min()
    last = pd.Series(res["end"]).groupby(case).max()
    cycle = (last - first).to_numpy() / DAY
    wait = res["start"] - res["ready"]
    cnt = np.bincount(p.act, minlength=n)
    work = np.bincount(p.act, weights=res["human_s"], minlength=n) / 3600  # all pools
    system = np.array([model.pools[j].automated for j in model.pool_of])
    human = np.where(system, 0.0, work)  # staff hours: steps of automated pools excluded
    bot = np.bincount(p.act, weights=res["bot_s"], minlength=n) / 3600
    pool_h = np.bincount(model.pool_of, weights=work, minlength=len(model.pools))
    lo, hi = model.window
    open_h = np.array([pl.calendar.open_seconds(lo, hi) / 3600 * pl.servers for pl in model.pools])
    return {
        "median": float(np.median(cycle)),
        "p90": float(np.quantile(cycle, 0.9)),
        "wait": np.bincount(p.act, weights=wait, minlength=n) / np.maximum(cnt, 1) / 3600,
        "count": cnt / model.years,
        "human": human / model.years,
        "work": work / model.years,
        "bot": bot / model.years,
        "pool": pool_h / model.years,
        "util": pool_h / np.maximum(open_h, 1e-9),
    }


def summarise(model: SimModel, out, chosen, share, analysis, *, seed: int) -> WhatIf:
    """Aggregate the runs ``out`` (list of ``(plan, as_is, to_be)``) into a :class:`WhatIf`."""
    conf = float(analysis.assumptions.confidence)
    stats = {sc: [_per_run(model, p, r[k]) for p, *r in out] for k, sc in enumerate(SCENARIOS)}
    acts = list(model.activities)
    ct, wt, wl, ac = [], [], [], []
    for sc in SCENARIOS:
        runs = stats[sc]
        for st in ("median", "p90"):
            m, lo, hi = _band([r[st] for r in runs], conf)
            ct.append({"scenario": sc, "statistic": st, "days": m, "days_low": lo, "days_high": hi})
        for i, a in enumerate(acts):
            m, lo, hi = _band([r["wait"][i] for r in runs], conf)
            wt.append(
                {"scenario": sc, "activity": a, "waiting_hours": m}
                | {"waiting_hours_low": lo, "waiting_hours_high": hi}
            )
            ac.append(
                {
                    "scenario": sc,
                    "activity": a,
                    "executions_per_year": float(np.median([r["count"][i] for r in runs])),
                    "human_hours_per_year": float(np.median([r["human"][i] for r in runs])),
                    "bot_hours_per_year": float(np.median([r["bot"][i] for r in runs])),
                }
            )
        for j, pl in enumerate(model.pools):
            h, hlo, hhi = _band([r["pool"][j] for r in runs], conf)
            u, ulo, uhi = _band([r["util"][j] for r in runs], conf)
            wl.append(
                {"scenario": sc, "role": pl.name, "servers": pl.servers}
                | {"busy_hours_per_year": h, "busy_hours_low": hlo, "busy_hours_high": hhi}
                | {"utilisation": u, "utilisation_low": ulo, "utilisation_high": uhi}
            )
    relief = analysis.relief.set_index("activity")["relief_hours_per_year"]
    freed = []
    for name in chosen:
        i = acts.index(name)
        diff = [
            a["human"][i] - b["human"][i]
            for a, b in zip(stats["as_is"], stats["to_be"], strict=True)
        ]
        m, lo, hi = _band(diff, conf)
        freed.append(
            {"activity": name, "freed_hours_per_year": m, "freed_hours_low": lo}
            | {"freed_hours_high": hi, "relief_hours_per_year": float(relief.get(name, np.nan))}
            | {"bot_share": float(share[i])}
        )
    val = []
    base = stats["as_is"]
    for st, log_v in (
        ("median", np.median(model.log_cycle_s)),
        ("p90", np.quantile(model.log_cycle_s, 0.9)),
    ):
        m, lo, hi = _band([r[st] for r in base], conf)
        log_d = float(log_v) / DAY
        val.append(_vrow(f"cycle_{st}_days", None, log_d, m, lo, hi))
    for i, a in enumerate(acts):
        m, lo, hi = _band([r["work"][i] for r in base], conf)
        val.append(_vrow("hours_per_year", a, float(model.log_hours[i] / model.years), m, lo, hi))
    pools = pd.DataFrame(
        [
            {"role": pl.name, "members": pl.members, "servers": pl.servers}
            | {"calendar": pl.calendar.describe(), "automated": pl.automated}
            | {"activities": ", ".join(pl.activities)}
            for pl in model.pools
        ]
    )
    notes = []
    few = int(whatif_defaults()["min_role_members"])
    small = [pl.name for pl in model.pools if not pl.automated and pl.members < few]
    if small:
        notes.append(
            f"{len(small)} role(s) have fewer than {few} members ({small!r}): their workload is "
            "close to one person's; merge roles with roles={...} before sharing the figures."
        )
    trunc = sum(p.truncated for p, *_ in out)
    if trunc:
        notes.append(f"{trunc} simulated case(s) ended at the step limit (max_steps_per_case).")
    return WhatIf(
        automated=list(chosen),
        cycle_times=pd.DataFrame(ct),
        waiting=pd.DataFrame(wt),
        workload=pd.DataFrame(wl),
        activities=pd.DataFrame(ac),
        freed=pd.DataFrame(freed),
        validation=pd.DataFrame(val),
        pools=pools,
        runs=len(out),
        seed=seed,
        notes=notes,
        small_roles=small,
    )


def _vrow(metric, activity, log_v, m, lo, hi) -> dict[str, Any]:
    rel = m / log_v - 1 if log_v > 0 else np.nan
    return {
        "metric": metric,
        "activity": activity,
        "log": log_v,
        "simulated": m,
        "simulated_low": lo,
        "simulated_high": hi,
        "relative_error": rel,
    }
