"""The report section "Plausibilitätsprüfung / Plausibility checks", for all four formats.

:func:`section` turns ``Analysis.plausibility`` (:mod:`rpa_candidates.relief.plausibility`) and
``Analysis.resolution`` (:mod:`rpa_candidates.handling.resolution`) into finished texts in the
report language; the HTML macro ``_plausibility.html.j2``, :func:`markdown` and
:func:`excel_rows` only lay them out, so every format says the same. The JSON carries the
raw checks (:func:`payload`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .i18n import Formatter
from .values import plain

if TYPE_CHECKING:
    from ..results import AnalysisResult as Analysis

__all__ = ["RESOLUTION_CODES", "STATUSES", "excel_rows", "markdown", "payload", "section"]

#: Status codes of a check (each has a text ``plausibility.status_<code>``).
STATUSES = ("passed", "failed", "not_checkable")
#: Resolution codes (each has a text ``plausibility.resolution_<code>``).
RESOLUTION_CODES = ("day", "minute", "second", "subsecond")
#: Handling sources without a handling time from timestamps, and their text keys.
_UNMEASURED = {
    "unknown": "unknown_steps",
    "lifecycle_elapsed": "elapsed_steps",
    "resource_gap_unidentified": "unidentified_steps",
}


def _numbers(row: dict[str, Any], analysis: Analysis, f: Formatter) -> str:
    check, value, bound = row["check"], row["value"], row["bound"]
    if row["status"] == "not_checkable":
        return f.t("plausibility.not_checkable")
    if check == "capacity_total":
        years = analysis.quality.span_days / 365.25
        n = round(bound / (analysis.assumptions.hours_per_fte * years)) if years > 0 else 0
        return f.t(
            "plausibility.numbers_capacity_total",
            value=f.hours(value, 0),
            bound=f.hours(bound, 0),
            n=f.num(n),
            fte_hours=f.num(analysis.assumptions.hours_per_fte),
            years=f.num(years, 2),
        )
    if check == "capacity_resource":
        return f.t(
            "plausibility.numbers_capacity_resource",
            count=f.num(row["count"]),
            of=f.num(row["of"]),
            bound=f.hours(bound, 0),
            ratio=f.pct(value / bound if bound else None),
        )
    if check == "case_time":
        return f.t(
            "plausibility.numbers_case_time",
            count=f.num(row["count"]),
            of=f.num(row["of"]),
            session=f.num(analysis.timing_settings().session_hours),
            worst=f.pct(value, 1),
            tolerance=f.pct(bound),
        )
    if check == "step_relief":
        return f.t("plausibility.numbers_step_relief", ratio=f.pct(value))
    return f.t("plausibility.numbers_relief_fte", value=f.fte(value), bound=f.num(bound))


def _timestamps(analysis: Analysis, f: Formatter) -> list[str]:
    lines = []
    if analysis.resolution is not None and len(analysis.resolution):
        log = analysis.log_resolution()
        lines.append(
            f.t(
                "plausibility.timestamps_line",
                resolution=f.t(f"plausibility.resolution_{log['resolution']}"),
                date_only=f.pct(log["date_only_share"], 1),
                identical=f.pct(log["identical_share"], 1),
            )
        )
    source = analysis.candidates.set_index("activity")["handling_source"]
    for code, key in _UNMEASURED.items():
        steps = sorted(str(a) for a in source.index[source == code])
        if steps:
            lines.append(f.t(f"plausibility.{key}", n=f.num(len(steps)), steps=", ".join(steps)))
    if (source.isin(list(_UNMEASURED))).any():
        lines.append(f.t("plausibility.advice"))
    return lines


def section(analysis: Analysis, f: Formatter) -> dict[str, Any]:
    """The section's texts in ``f.lang``: ``unmeasured`` (steps without a handling time
    from timestamps), ``checks`` (``label``, ``status``,
    ``status_text``, ``numbers``, ``steps``), ``excluded`` (``activity``, ``hours``,
    ``fte``, ``eur``, ``note``), ``excluded_total`` (text or None) and ``timestamps``
    (lines: resolution, steps without a handling time and what to do)."""
    checks = []
    result = analysis.plausibility
    if result is not None:
        for row in result.checks.to_dict("records"):
            checks.append(
                {
                    "label": f.t(f"plausibility.check_{row['check']}"),
                    "status": row["status"],
                    "status_text": f.t(f"plausibility.status_{row['status']}"),
                    "numbers": _numbers(row, analysis, f),
                    "steps": ", ".join(row["activities"]) or "–",
                }
            )
    excluded = analysis.excluded
    column = "plausibility_note_de" if f.lang == "de" else "plausibility_note"
    rows = [
        {
            "activity": r["activity"],
            "hours": plain(r["relief_hours_per_year"]),
            "fte": plain(r["relief_fte"]),
            "eur": plain(r["relief_eur_per_year"]),
            "note": r.get(column),
        }
        for r in excluded.to_dict("records")
    ]
    total = None
    if rows:
        hours = float(pd.to_numeric(excluded["relief_hours_per_year"]).sum())
        fte = float(pd.to_numeric(excluded["relief_fte"]).sum())
        total = f.t(
            "plausibility.excluded_total", n=f.num(len(rows)), hours=f.hours(hours, 0),
            fte=f.fte(fte),
        )  # fmt: skip
    source = analysis.candidates["handling_source"]
    return {
        "available": result is not None,
        "unmeasured": int(source.isin(list(_UNMEASURED)).sum()),
        "checks": checks,
        "excluded": rows,
        "excluded_total": total,
        "timestamps": _timestamps(analysis, f),
    }


def markdown(s: dict[str, Any], f: Formatter) -> list[str]:
    """The section as Markdown lines (``s`` from :func:`section`)."""
    from .mdtable import _table, md_escape

    t = f.t
    out = [f"## {t('section.plausibility')}", "", md_escape(t("plausibility.intro")), ""]
    if s["checks"]:
        rows = [
            [md_escape(c["label"]), md_escape(c["status_text"]), md_escape(c["numbers"]),
             md_escape(c["steps"])]
            for c in s["checks"]
        ]  # fmt: skip
        header = [t("plausibility.check"), t("plausibility.status"), t("plausibility.numbers"),
                  t("plausibility.steps")]  # fmt: skip
        out += [_table(header, rows), ""]
    out += [f"### {t('plausibility.excluded_title')}", ""]
    if s["excluded"]:
        out += [
            f"- **{md_escape(r['activity'])}**: {f.hours(r['hours'], 0)} {t('unit.per_year')}, "
            f"{f.fte(r['fte'])} – {md_escape(r['note'])}"
            for r in s["excluded"]
        ]
        out += ["", md_escape(s["excluded_total"])]
    else:
        out.append(md_escape(t("plausibility.excluded_none")))
    out += ["", f"### {t('plausibility.timestamps_title')}", ""]
    for line in s["timestamps"] or ["–"]:
        out += [md_escape(line), ""]
    return out


def excel_rows(s: dict[str, Any], f: Formatter) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the workbook's plausibility sheet."""
    t = f.t
    header = [t("plausibility.check"), t("plausibility.status"), t("plausibility.numbers"),
              t("plausibility.steps")]  # fmt: skip
    rows: list[list[Any]] = [
        [c["label"], c["status_text"], c["numbers"], c["steps"]] for c in s["checks"]
    ]
    for r in s["excluded"]:
        rows.append([t("plausibility.excluded_title"), r["activity"], r["note"], r["hours"]])
    if s["excluded_total"]:
        rows.append([t("plausibility.excluded_title"), None, s["excluded_total"], None])
    rows += [[t("plausibility.timestamps_title"), None, line, None] for line in s["timestamps"]]
    return header, rows


def payload(analysis: Analysis) -> dict[str, Any]:
    """The JSON value of ``"plausibility"``: checks, flagged steps, excluded totals and the
    log's timestamp resolution."""

    result = analysis.plausibility
    excluded = analysis.excluded
    return {
        "checks": result.to_dict()["checks"] if result is not None else [],
        "flagged": result.to_dict()["flagged"] if result is not None else {},
        "excluded": [str(a) for a in excluded["activity"]],
        "excluded_totals": {
            c: float(pd.to_numeric(excluded[c]).sum())
            for c in ("relief_hours_per_year", "relief_fte", "relief_eur_per_year")
        },
        "timestamps": (
            analysis.log_resolution()
            if analysis.resolution is not None and len(analysis.resolution)
            else None
        ),
    }
