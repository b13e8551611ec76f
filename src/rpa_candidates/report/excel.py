"""The report as an Excel workbook (openpyxl): one sheet per table, real number formats.

Sheets: summary, candidates, decision (break-even and shared bot), routines, assumptions,
data quality, methodology. Every sheet has a frozen, bold header row and an auto-filter;
numbers are stored as numbers with formats for hours, euros, percent and FTE (Excel shows
them with the reader's locale separators).

**No formulas.** Every text cell passes :func:`neutralise`: a text beginning with ``=``,
``+``, ``-``, ``@``, a tab, CR or LF (after optional spaces), or their full-width forms
``＝ ＋ － ＠``, gets a leading apostrophe and is stored as a string cell, so neither
Excel nor LibreOffice (nor a CSV export of the sheet) evaluates it (OWASP, "CSV
Injection"). No cell is ever written with data type ``"f"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .content import build, plain
from .decision_render import decision_rows
from .i18n import Formatter, check_lang

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from ..results import AnalysisResult as Analysis

__all__ = ["FORMATS", "neutralise", "write_excel"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

#: Number formats by kind (format codes use "," and "."; Excel localises the display).
FORMATS = {
    "count": "#,##0",
    "hours": '#,##0.0 "h"',
    "minutes": '#,##0.0 "min"',
    "eur": '#,##0 "€"',
    "eur2": '#,##0.00 "€"',
    "pct": "0%",
    "fte": "0.00",
    "score": "0.00",
    "months": "0.0",
    "int": "0",
    "general": "General",
    "text": None,
}

#: Candidate columns in sheet order with their format kind.
CANDIDATE_FORMATS = {
    "rank": "int",
    "activity": "text",
    "automatability": "pct",
    "rule_score": "score",
    "ml_score": "score",
    "already_automated": "text",
    "knocked_out": "text",
    "events_per_year": "count",
    "cases_per_year": "count",
    "handling_minutes": "minutes",
    "handling_source": "text",
    "automatable_share": "pct",
    "automation_rate": "pct",
    "relief_hours_per_year": "hours",
    "relief_hours_low": "hours",
    "relief_hours_high": "hours",
    "expected_relief_hours": "hours",
    "relief_fte": "fte",
    "relief_eur_per_year": "eur",
    "relief_eur_personnel_per_year": "eur",
    "relief_eur_full_cost_per_year": "eur",
    "payback_months": "months",
    "payback_note": "text",
    "break_even_executions_per_year": "count",
    "volume_factor": "score",
    "towns_needed": "int",
    "payback_months_towns_needed": "months",
    "unknown_reason": "text",
    "relief_note": "text",
    "annualisation_note": "text",
    "reasons": "text",
    "reasons_for": "text",
    "reasons_against": "text",
}
ROUTINE_FORMATS = {
    "routine": "int",
    "steps": "text",
    "n_steps": "int",
    "min_automatability": "pct",
    "events_per_year": "count",
    "relief_hours_per_year": "hours",
    "relief_hours_low": "hours",
    "relief_hours_high": "hours",
    "relief_fte": "fte",
    "relief_eur_per_year": "eur",
    "payback_months": "months",
    "break_even_executions_per_year": "count",
    "volume_factor": "score",
    "towns_needed": "int",
    "payback_months_towns_needed": "months",
}


def neutralise(text: str) -> str:
    """``text`` made inert for spreadsheets: an apostrophe before a formula trigger.

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x")'), neutralise("Antrag erfassen")
    ('\\'=HYPERLINK("http://x")', 'Antrag erfassen')
    """
    stripped = text.lstrip(" ")
    if stripped.startswith(_TRIGGERS) or text.startswith(_TRIGGERS):
        return "'" + text
    return text


def _cell(value: Any, f: Formatter) -> Any:
    """A cell value: numbers kept, bools as yes/no, text cleaned and neutralised."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = plain(value)
    if isinstance(value, bool):
        return f.yes_no(value)
    if isinstance(value, int | float):
        return value
    if value is None:
        return None
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = ", ".join(f"{k}: {v}" for k, v in value.items())
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _sheet(
    wb: Any, title: str, header: list[str], rows: list[list[Any]], kinds: list[str], f: Formatter
) -> Worksheet:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=neutralise(title)[:31])
    ws.append([_cell(h, f) for h in header])
    for row in rows:
        ws.append([_cell(v, f) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, kind in enumerate(kinds, 1):
        letter = get_column_letter(j)
        fmt = FORMATS[kind]
        longest = max(
            [len(str(ws.cell(1, j).value or ""))]
            + [min(len(str(c.value or "")), 60) for c in ws[letter][1:200]]
        )
        ws.column_dimensions[letter].width = max(9, min(60, longest + 2))
        for cell in ws[letter][1:]:
            if cell.data_type == "f":  # never: _cell neutralises, this is the guarantee
                cell.data_type = "s"
            if fmt and isinstance(cell.value, int | float):
                cell.number_format = fmt
            elif kind == "text":
                cell.alignment = Alignment(
                    wrap_text=len(str(cell.value or "")) > 60, vertical="top"
                )
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    return ws


def _reasons(r: dict[str, Any], f: Formatter) -> str:
    pro = ", ".join(r["reasons_for"]) or "–"
    con = ", ".join(r["reasons_against"]) or "–"
    return f"{f.t('reasons.for')}: {pro}; {f.t('reasons.against')}: {con}"


def write_excel(
    analysis: Analysis, path: str | Path, *, lang: Literal["de", "en"] = "de", what_if: Any = None
) -> Path:
    """Write the workbook of ``analysis`` to ``path`` (``.xlsx``) and return the path."""
    from openpyxl import Workbook

    f = Formatter(check_lang(lang))
    t, c = f.t, build(analysis, lang)
    wb = Workbook()
    wb.remove(wb.active)
    tot, log = c["totals"], c["log"]
    summary = [
        [t("xlsx.source"), log["source"], "text"],
        [t("xlsx.period"), f"{f.date(log['start'])} – {f.date(log['end'])}", "text"],
        [t("xlsx.events"), log["events"], "count"],
        [t("xlsx.cases"), log["cases"], "count"],
        [t("xlsx.activities"), log["activities"], "count"],
        [t("summary.hours"), tot["relief_hours_per_year"], "hours"],
        [t("col.relief_hours_low"), tot["relief_hours_low"], "hours"],
        [t("col.relief_hours_high"), tot["relief_hours_high"], "hours"],
        [t("summary.fte"), tot["relief_fte"], "fte"],
        [t("summary.eur"), tot["relief_eur_per_year"], "eur"],
    ]
    summary += [[a["label"], a["value"], "text"] for a in c["key_assumptions"]]
    ws = _sheet(
        wb,
        t("xlsx.sheet_summary"),
        [t("xlsx.item"), t("xlsx.value")],
        [r[:2] for r in summary],
        ["text", "text"],
        f,
    )
    for i, (_, value, kind) in enumerate(summary, 2):
        if FORMATS[kind] and isinstance(value, int | float):
            ws.cell(i, 2).number_format = FORMATS[kind]

    names = [k for k in CANDIDATE_FORMATS if k in c["rows"][0]] if c["rows"] else []
    rows = []
    for r in c["rows"]:
        values = dict(r, handling_source=r["handling_source_text"], reasons=_reasons(r, f))
        rows.append([values.get(k) for k in names])
    _sheet(
        wb,
        t("xlsx.sheet_candidates"),
        [t(f"col.{k}") for k in names],
        rows,
        [CANDIDATE_FORMATS[k] for k in names],
        f,
    )

    header, rows = decision_rows(c, f)
    ws = _sheet(
        wb,
        t("xlsx.sheet_decision"),
        header,
        rows,
        ["text", "count", "count", "score", *["months"] * len(c["decision"]["towns"]), "int"],
        f,
    )
    end = len(rows) + 3
    for i, line in enumerate([*c["decision"]["sentences"], c["decision"]["scenario"]]):
        ws.cell(end + i, 1, _cell(line, f))

    names = list(ROUTINE_FORMATS)
    _sheet(
        wb,
        t("xlsx.sheet_routines"),
        [t(f"col.{k}") for k in names],
        [[r.get(k) for k in names] for r in c["routines"]],
        [ROUTINE_FORMATS[k] for k in names],
        f,
    )

    m = c["methodology"]
    keys = ["field", "value", "unit", "source", "year", "verify"]
    rows = []
    for r in m["assumptions"]:
        raw = r["raw_value"]
        number = isinstance(raw, int | float) and not isinstance(raw, bool)
        rows.append(
            [
                r["field"],
                raw if number else r["value"],
                r["unit"],
                r["source"],
                r["year"],
                r["verify"],
            ]
        )
    _sheet(
        wb,
        t("xlsx.sheet_assumptions"),
        [t("common.source") if k == "source" else t(f"method.{k}") for k in keys],
        rows,
        ["text", "general", "text", "text", "int", "text"],
        f,
    )

    q = c["quality"]
    rows = [
        [t("quality.rows_read"), q["rows_read"], ""],
        [t("quality.rows_used"), q["rows_used"], ""],
    ]
    rows += [
        [f"{t('quality.rejected')}: {r['meaning']}", r["rows"], r["code"]] for r in q["rejected"]
    ]
    rows += [
        [f"{t('quality.adjusted')}: {r['meaning']}", r["rows"], r["code"]] for r in q["adjusted"]
    ]
    rows += [
        [f"{t('quality.column')}: {r['role']}", None, f"{r['column']} ({r['how']})"]
        for r in q["columns"]
    ]
    rows += [[t("quality.warnings"), None, w] for w in q["warnings"]]
    rows += [[t("quality.warnings"), None, n] for n in q["annualisation"]]
    _sheet(
        wb,
        t("xlsx.sheet_quality"),
        [t("quality.item"), t("quality.count"), t("xlsx.detail")],
        rows,
        ["text", "count", "text"],
        f,
    )

    header = [
        t("xlsx.part"),
        t("method.name"),
        t("method.value"),
        t("method.formula"),
        t("method.unit"),
        t("common.source"),
        t("method.year"),
        t("xlsx.note"),
    ]
    rows = [
        [t("method.formulas"), x["title"], None, x["formula"], None, x["text"], None, None]
        for x in m["formulas"]
    ]
    rows += [
        [
            t("method.criteria"),
            f"{r['id']} ({r['name']})",
            r["weight"],
            f"{r['indicators']}: {r['transform']} {r['knockout']}".strip(),
            r["unit"],
            r["source"],
            r["year"],
            None,
        ]
        for r in m["criteria"]
    ]
    rows += [
        [r["file"], r["name"], r["value"], None, r["unit"], r["source"], r["year"], r["verify"]]
        for r in m["defaults"]
    ]
    rows += [
        [
            t("method.indicator_catalog"),
            r["name"],
            None,
            r["formula"],
            r["unit"],
            r["source"],
            None,
            r["description"],
        ]
        for r in m["indicators"]
    ]
    _sheet(
        wb,
        t("xlsx.sheet_methodology"),
        header,
        rows,
        ["text", "text", "general", "text", "text", "text", "int", "text"],
        f,
    )

    from .plausibility import excel_rows

    header, rows = excel_rows(c["plausibility"], f)
    _sheet(wb, t("xlsx.sheet_plausibility"), header, rows, ["text", "text", "text", "text"], f)

    path = Path(path)
    if what_if is not None:
        from .whatif import excel_sheet

        excel_sheet(wb, what_if, f, _sheet)
    wb.save(path)
    return path
