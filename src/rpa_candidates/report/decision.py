"""The decision the committee takes: break-even volume and the shared bot, as report data.

:func:`decision` adds the figures of :func:`rpa_candidates.relief.breakeven.break_even` to the
candidate rows and routine rows of :func:`rpa_candidates.report.content.build` (same
order) and returns the scenario's settings, so HTML, Markdown, Excel and JSON show the
same numbers. Formulas: :mod:`rpa_candidates.relief.breakeven`, ``docs/relief.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..results import AnalysisResult as Analysis
    from .i18n import Formatter

__all__ = ["BREAK_EVEN_KEYS", "decision"]

#: The break-even keys added to each candidate and routine row (plus ``payback_towns``).
BREAK_EVEN_KEYS = (
    "relief_eur_per_execution",
    "break_even_executions_per_year",
    "volume_factor",
    "towns_needed",
    "payback_months_towns_needed",
)


def decision(
    analysis: Analysis, rows: list[dict[str, Any]], routines: list[dict[str, Any]], f: Formatter
) -> dict[str, Any]:
    """Add break-even and shared-bot figures to ``rows`` and ``routines``; the scenario.

    Each row gains :data:`BREAK_EVEN_KEYS` and ``payback_towns`` (``{k: months}`` for
    each ``k`` of :func:`~rpa_candidates.relief.breakeven.shared_bot_towns`, None when a bot
    shared by ``k`` towns does not pay); routine rows also gain ``payback_months``.

    Returns
    -------
    dict
        ``horizon_months``, ``towns`` (the ``k`` shown), ``build_eur``, ``run_eur``,
        ``overhead_eur``, ``onboarding_eur``, ``first`` (the first open candidate with
        relief, or None), ``best_routine`` (the routine with the most relief, or None),
        ``pays_alone`` (whether any candidate or routine pays within the horizon alone),
        ``sentences`` (the answer in words, in ``f.lang``), ``scenario`` (the scenario's
        assumptions in words).
    """
    from .values import plain

    a = analysis.assumptions
    towns = analysis.shared_bot_towns()
    table = analysis.break_even()
    records = [{k: plain(v) for k, v in r.items()} for r in table.to_dict("records")]
    for row, rec in zip([*rows, *routines], records, strict=True):
        for key in BREAK_EVEN_KEYS:
            row[key] = rec[key]
        row["payback_towns"] = {k: rec[f"payback_months_towns_{k}"] for k in towns}
        if rec["kind"] == "routine":
            row["payback_months"] = rec["payback_months"]
    open_rows = [r for r in rows if not r["already_automated"] and not r.get("knocked_out")]
    open_rows = [r for r in open_rows if (r["relief_eur_per_year"] or 0) > 0]
    horizon = a.payback_horizon_months
    pays = [
        r
        for r in [*open_rows, *routines]
        if r.get("payback_months") is not None and r["payback_months"] <= horizon
    ]
    first = open_rows[0] if open_rows else None
    best = max(routines, key=lambda r: r["relief_eur_per_year"] or 0) if routines else None
    out = {
        "horizon_months": horizon,
        "towns": towns,
        "build_eur": a.bot_build_cost_eur,
        "run_eur": a.bot_run_cost_eur_per_year,
        "overhead_eur": a.shared_bot_overhead_eur_per_year,
        "onboarding_eur": a.shared_bot_onboarding_eur,
        "first": first,
        "best_routine": best,
        "pays_alone": bool(pays),
    }
    out["sentences"] = _sentences(out, f)
    out["scenario"] = f.t(
        "decision.scenario",
        build=f.eur(a.bot_build_cost_eur),
        run=f.eur(a.bot_run_cost_eur_per_year),
        onboarding=f.eur(a.shared_bot_onboarding_eur),
        overhead=f.eur(a.shared_bot_overhead_eur_per_year),
    )
    return out


def _towns_sentence(r: dict[str, Any], d: dict[str, Any], f: Formatter) -> str:
    if r["towns_needed"] is None:
        return f.t("decision.no_towns", horizon=f.num(d["horizon_months"]))
    return f.t(
        "decision.towns",
        k=f.num(r["towns_needed"]),
        months=f.months(r["payback_months_towns_needed"]),
    )


def _sentences(d: dict[str, Any], f: Formatter) -> list[str]:
    """What to automate first, from what volume it pays, how many towns make it pay."""
    horizon = f.num(d["horizon_months"])
    out = [f.t("decision.pays_alone_yes" if d["pays_alone"] else "decision.pays_alone_no",
               horizon=horizon)]  # fmt: skip
    first = d["first"]
    if first is not None and first["break_even_executions_per_year"] is not None:
        out.append(
            f.t(
                "decision.first",
                activity=first["activity"],
                events=f.num(first["events_per_year"]),
                break_even=f.num(first["break_even_executions_per_year"]),
                factor=f.num(first["volume_factor"], 1),
            )
        )
        out.append(_towns_sentence(first, d, f))
    best = d["best_routine"]
    if best is not None and best["break_even_executions_per_year"] is not None:
        out.append(
            f.t(
                "decision.routine",
                routine=best["routine"],
                steps=best["steps"],
                break_even=f.num(best["break_even_executions_per_year"]),
            )
        )
        out.append(_towns_sentence(best, d, f))
    return out
