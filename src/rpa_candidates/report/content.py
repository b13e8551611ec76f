"""The report's content, computed once from an :class:`~rpa_candidates.analysis.Analysis`.

:func:`build` turns an analysis into plain dicts and lists (raw numbers, texts in the
report language); the HTML template, the Markdown writer and the Excel writer only format
and lay them out, so every output shows the same numbers.

Totals sum the non-automated candidates that pass the plausibility checks
(:meth:`Analysis.totals`; the others are listed in the section "Plausibility checks").
Their interval is the sum of the steps' bounds, which is conservative (wider than the
interval of the sum). The euro interval of a step scales its hours interval by the step's
euro per relief hour (``relief_eur_per_year / relief_hours_per_year``, the pay rate, or
the full-cost rate when ``Assumptions.full_cost``); the FTE interval divides by
``hours_per_fte``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .i18n import Formatter
from .values import plain

if TYPE_CHECKING:
    from ..results import AnalysisResult as Analysis

__all__ = [
    "HANDLING_SOURCES",
    "N_TOP",
    "build",
    "localized_reasons",
    "plain",
    "uses_default_criteria",
]

#: How many candidates the management summary and the candidate cards show.
N_TOP = 5
#: The values of ``handling_source`` (each has a text ``handling_source.<code>``).
HANDLING_SOURCES = (
    "lifecycle",
    "resource_gap",
    "case_gap",
    "given",
    "unknown",
    "lifecycle_elapsed",
    "resource_gap_unidentified",
)
#: The three assumptions named in the management summary.
KEY_ASSUMPTIONS = ("hourly_rate", "hours_per_fte", "bot_success_rate")


def uses_default_criteria(analysis: Analysis) -> bool:
    """Whether the analysis's criterion scores and rule scores are those of the defaults."""
    redone = analysis.default_scores(analysis.lang)
    if redone is None:
        return False
    columns = [col for col in analysis.scores.columns if col.startswith("crit_")]
    if set(columns) != {col for col in redone.columns if col.startswith("crit_")}:
        return False
    columns.append("rule_score")  # equal weights too
    left = analysis.scores.set_index("activity")[columns].sort_index()
    right = redone.set_index("activity")[columns].sort_index()
    return left.index.equals(right.index) and bool(
        np.allclose(left.to_numpy(float), right.to_numpy(float), equal_nan=True)
    )


def localized_reasons(
    analysis: Analysis, lang: Literal["de", "en"], default_criteria: bool
) -> dict[str, tuple[list[str], list[str]]] | None:
    """Reasons for and against each activity in ``lang``.

    The analysis holds its reasons in ``analysis.lang``. For the other language the default
    criteria are applied again to ``analysis.features``, which is only right when the
    analysis used them (``default_criteria``, see :func:`uses_default_criteria`); else
    None is returned and the report keeps the analysis's language for the reasons.
    """
    c = analysis.candidates
    if lang == analysis.lang:
        return {
            a: (list(p or []), list(n or []))
            for a, p, n in zip(c["activity"], c["reasons_for"], c["reasons_against"], strict=True)
        }
    redone = analysis.default_scores(lang) if default_criteria else None
    if redone is None:
        return None
    return {
        a: (list(p), list(n))
        for a, p, n in zip(
            redone["activity"], redone["reasons_for"], redone["reasons_against"], strict=True
        )
    }


def _notes(analysis: Analysis, lang: str) -> pd.DataFrame:
    """payback_note, unknown_reason, relief_note and annualisation_note in ``lang``."""
    names = ["payback_note", "unknown_reason", "relief_note", "annualisation_note"]
    relief = analysis.relief.set_index("activity")
    out = pd.DataFrame(index=relief.index)
    for name in names:
        column = f"{name}_de" if lang == "de" and f"{name}_de" in relief.columns else name
        out[name] = relief[column] if column in relief.columns else None
    return out


def _rows(analysis: Analysis, f: Formatter, reasons: dict[str, Any] | None) -> list[dict[str, Any]]:
    notes = _notes(analysis, f.lang)
    rows = []
    for record in analysis.candidates.to_dict("records"):
        row = {k: plain(v) for k, v in record.items()}
        name = row["activity"]
        hours = row["relief_hours_per_year"]
        per_hour = row["relief_eur_per_year"] / hours if hours and row["relief_eur_per_year"] else 0
        low, high = row["relief_hours_low"], row["relief_hours_high"]
        row["relief_eur_low"] = None if low is None else low * per_hour
        row["relief_eur_high"] = None if high is None else high * per_hour
        fte_hours = analysis.assumptions.hours_per_fte
        row["relief_fte_low"] = None if low is None else low / fte_hours
        row["relief_fte_high"] = None if high is None else high / fte_hours
        if reasons is not None and name in reasons:
            row["reasons_for"], row["reasons_against"] = reasons[name]
        source = row.get("handling_source")
        row["handling_source_text"] = (
            f.t(f"handling_source.{source}") if source in HANDLING_SOURCES else f.t("common.none")
        )
        row["handling_source_code"] = (
            f.t(f"source_code.{source}") if source in HANDLING_SOURCES else None
        )
        for note in notes.columns:
            value = notes.loc[name, note] if name in notes.index else None
            row[note] = plain(value) if isinstance(value, str) else None
        rows.append(row)
    return rows


def _top(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    eligible = [r for r in rows if not r["already_automated"] and not r.get("knocked_out")]
    eligible = [r for r in eligible if r.get("reliable", True)]  # plausibility checks
    eligible = [r for r in eligible if (r["relief_hours_per_year"] or 0) > 0] or eligible
    return eligible[:N_TOP]


def _totals(analysis: Analysis, rows: list[dict[str, Any]]) -> dict[str, float | None]:
    totals = {k: plain(v) for k, v in analysis.totals().items()}
    open_rows = [r for r in rows if not r["already_automated"] and r.get("reliable", True)]
    for key in ("relief_eur_low", "relief_eur_high", "relief_fte_low", "relief_fte_high"):
        values = [r[key] for r in open_rows if r[key] is not None]
        totals[key] = sum(values) if values else None
    totals["candidates"] = sum(1 for r in open_rows if (r["relief_hours_per_year"] or 0) > 0)
    return totals


def _key_assumptions(analysis: Analysis, f: Formatter) -> list[dict[str, Any]]:
    a = analysis.assumptions
    table = a.sources().set_index("field")
    group = a.pay_group
    rate_field = "hourly_rate_eur" if a.hourly_rate_eur is not None else f"pay_rates.{group}"
    rate = a.hourly_rate_eur if a.hourly_rate_eur is not None else a.pay_rates[group]
    items = [
        ("hourly_rate", rate_field, f.eur(rate, 2) + "/h", {"group": group}),
        ("hours_per_fte", "hours_per_fte", f.hours(a.hours_per_fte, 0), {}),
        ("bot_success_rate", "bot_success_rate", f.pct(a.bot_success_rate), {}),
    ]
    out = []
    for key, field_name, shown, extra in items:
        entry = table.loc[field_name] if field_name in table.index else {}
        out.append(
            {
                "label": f.t(f"assumption.{key}", **extra),
                "value": shown,
                "source": plain(entry.get("source")) if len(entry) else None,
                "source_short": _shorten(plain(entry.get("source"))) if len(entry) else None,
                "year": _year(entry.get("year")) if len(entry) else None,
            }
        )
    return out


def _shorten(text: Any, width: int = 110) -> str | None:
    """A source as one short line for the summary (the full text is in the appendix)."""
    import textwrap

    return textwrap.shorten(str(text), width, placeholder=" …") if text else None


def _year(value: Any) -> int | None:
    value = plain(value)
    return int(value) if isinstance(value, int | float) else None


def _routines(analysis: Analysis) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in r.items()} for r in analysis.routines.to_dict("records")]


def _quality(analysis: Analysis, f: Formatter) -> dict[str, Any]:
    q = analysis.quality
    table = q.to_frame(f.lang)
    notes = {
        n
        for n in analysis.relief.get(
            "annualisation_note_de" if f.lang == "de" else "annualisation_note", []
        )
        if isinstance(n, str) and n
    }
    return {
        "source": q.source,
        "format": q.format,
        "rows_read": q.rows_read,
        "rows_used": q.rows_used,
        "rows_rejected": q.rows_rejected,
        "rejected": [
            {"code": code, "rows": n, "meaning": m}
            for code, n, m in zip(table["item"], table["rows"], table["meaning"], strict=True)
            if code.startswith("rejected:")
        ],
        "adjusted": [
            {"code": code, "rows": n, "meaning": m}
            for code, n, m in zip(table["item"], table["rows"], table["meaning"], strict=True)
            if code.startswith("adjusted:")
        ],
        "columns": [
            {
                "role": role,
                "column": col,
                "how": f.t(f"quality.{q.column_source.get(role, 'given')}"),
            }
            for role, col in q.columns.items()
        ],
        "warnings": [w.message(f.lang) for w in q.warnings],
        "annualisation": sorted(notes),
        "pseudonymised": list(q.details.get("pseudonymized", [])),
    }


def build(analysis: Analysis, lang: Literal["de", "en"]) -> dict[str, Any]:
    """Everything a report shows, as plain data in ``lang``.

    Returns
    -------
    dict
        ``lang``, ``log`` (the analysis's ``log_summary``), ``totals``, ``rows`` (one dict
        per candidate: every column of ``analysis.candidates`` plus ``relief_eur_low``,
        ``relief_eur_high``, ``relief_fte_low``, ``relief_fte_high``,
        ``handling_source_text`` and the notes in ``lang``), ``top`` (the first
        :data:`N_TOP` open candidates with relief), ``key_assumptions``, ``routines``,
        ``plausibility`` (:func:`rpa_candidates.report.plausibility.section`),
        ``decision`` (:func:`rpa_candidates.report.decision.decision`: break-even and
        shared-bot figures, also added to each row and routine), ``handling_codes``,
        ``quality``, ``reasons_translated`` (False when the reasons stay in the
        analysis's language), ``confidence``.
    """
    from .decision import decision
    from .methodology import methodology
    from .plausibility import section

    f = Formatter(lang)
    default = uses_default_criteria(analysis)
    reasons = localized_reasons(analysis, lang, default)
    rows = _rows(analysis, f, reasons)
    routines = _routines(analysis)
    scenario = decision(analysis, rows, routines, f)
    return {
        "lang": lang,
        "log": {k: plain(v) for k, v in analysis.log_summary.items()},
        "totals": _totals(analysis, rows),
        "rows": rows,
        "top": _top(rows),
        "key_assumptions": _key_assumptions(analysis, f),
        "routines": routines,
        "decision": scenario,
        "handling_codes": [
            {"code": f.t(f"source_code.{s}"), "text": f.t(f"handling_source.{s}")}
            for s in HANDLING_SOURCES
            if any(r.get("handling_source") == s for r in rows)
        ],
        "quality": _quality(analysis, f),
        "reasons_translated": reasons is not None,
        "confidence": analysis.assumptions.confidence,
        "methodology": methodology(analysis, f, default),
        "plausibility": section(analysis, f),
        "fitness_note": fitness_note(analysis.model.fitness, f),
    }


def fitness_note(fitness: dict[str, Any], f: Formatter) -> str:
    """One sentence on the process model's fitness and how it was measured: token replay
    of how many variants and cases (and which budget cut it), or the footprint fitness on
    the DFG (``ProcessModel.fitness``, budgets in ``data/mining.toml``)."""
    value = f.num(fitness.get("log_fitness"), 3)
    if fitness.get("method") == "footprints":
        return f.t("fitness.footprints", fitness=value)
    cut = fitness.get("stopped_by")
    if cut == "sample":
        sampled = int(fitness.get("variants_sampled", 0))
        return f.t(
            "fitness.sample",
            fitness=value,
            error=f.num(fitness.get("standard_error"), 3),
            head=f.num(int(fitness.get("variants_replayed", 0)) - sampled),
            total=f.num(fitness.get("variants_total", 0)),
            sampled=f.num(sampled),
            tail=f.num(fitness.get("tail_variants", 0)),
        )
    return f.t(
        "fitness.replay",
        fitness=value,
        replayed=f.num(fitness.get("variants_replayed", 0)),
        total=f.num(fitness.get("variants_total", 0)),
        coverage=f.pct(fitness.get("case_coverage")),
        cut=f.t(f"fitness.cut_{cut}") if cut else f.t("fitness.cut_none"),
    )
