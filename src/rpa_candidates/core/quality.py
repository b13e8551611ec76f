"""Data-quality report and row accounting of one read log.

Every input row is either used or rejected with a reason, and
``rows_read = rows_used + Σ rejected`` holds by construction (the reader checks it). Rows
that are used but were changed on the way (a daylight-saving repair, a start time that
could not be read) are counted in ``adjusted``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import pandas as pd

__all__ = ["ADJUSTMENTS", "REJECTION_REASONS", "DataQuality", "QualityWarning", "log_warnings"]

#: Why a row was not used: code -> (English, German).
REJECTION_REASONS: dict[str, tuple[str, str]] = {
    "malformed_row": (
        "row has a different number of fields than the header",
        "Zeile hat eine andere Spaltenzahl als die Kopfzeile",
    ),
    "missing_case_id": ("case id is empty", "Vorgangsnummer fehlt"),
    "missing_activity": ("activity is empty", "Tätigkeit fehlt"),
    "missing_timestamp": ("timestamp is empty", "Zeitstempel fehlt"),
    "unparseable_timestamp": (
        "timestamp cannot be read as a date and time (or lies before 1900 or after 2100)",
        "Zeitstempel ist kein lesbares Datum (oder liegt vor 1900 bzw. nach 2100)",
    ),
    "start_after_end": ("start time lies after the end time", "Beginn liegt nach dem Ende"),
    "duplicate": ("exact duplicate of an earlier row", "exaktes Duplikat einer früheren Zeile"),
    "unmatched_start": (
        "start event that no complete event closes",
        "Start-Ereignis ohne zugehöriges Ende",
    ),
    "unused_lifecycle_transition": (
        "lifecycle transition other than start/complete (e.g. schedule)",
        "Lebenszyklus-Übergang außer Start/Ende (z. B. schedule)",
    ),
}

#: Rows used but changed on the way: code -> (English, German).
ADJUSTMENTS: dict[str, tuple[str, str]] = {
    "dst_nonexistent": (
        "local time in the spring-forward gap, read with the offset before the switch",
        "Ortszeit in der Lücke der Sommerzeitumstellung, mit dem Versatz davor gelesen",
    ),
    "dst_ambiguous": (
        "local time in the repeated autumn hour, resolved as configured",
        "Ortszeit in der doppelten Herbststunde, wie eingestellt aufgelöst",
    ),
    "start_timestamp_missing": (
        "start time empty: instance kept without start",
        "Beginn fehlt: ohne Beginn übernommen",
    ),
    "start_timestamp_unparseable": (
        "start time unreadable: instance kept without start",
        "Beginn unlesbar: ohne Beginn übernommen",
    ),
    "unmatched_complete": (
        "complete event without a start although the activity has starts elsewhere",
        "Ende-Ereignis ohne Start, obwohl die Tätigkeit sonst Starts hat",
    ),
    "lifecycle_missing_as_complete": (
        "empty lifecycle value read as complete",
        "leerer Lebenszyklus-Wert als Ende gelesen",
    ),
    "resource_missing": ("no resource given", "keine Bearbeitung angegeben"),
}


@dataclass(frozen=True)
class QualityWarning:
    """A finding about the log as a whole: a stable ``code`` and a message per language."""

    code: str
    en: str
    de: str

    def message(self, lang: Literal["de", "en"] = "en") -> str:
        return self.de if lang == "de" else self.en


@dataclass
class DataQuality:
    """What happened to every row of a log on its way in.

    Attributes
    ----------
    source, format, reader : str
        File name (never the full path) or input type, the detected format and the reader.
    rows_read, rows_used : int
        Input rows and rows that went into the log; a lifecycle start and its complete are
        two rows used for one activity instance.
    rejected : dict
        ``{reason: rows}``, reasons from :data:`REJECTION_REASONS`.
    adjusted : dict
        ``{code: rows}``, rows used but changed, codes from :data:`ADJUSTMENTS`.
    columns, column_source : dict
        ``{role: column}`` and ``{role: "given" | "guessed"}``.
    details : dict
        Reader details: encoding, delimiter, timestamp formats, numeric columns, lifecycle
        pairing counts, renamed columns, time zone, pseudonymisation.
    events, cases, activities, resources : int
        Activity instances, distinct cases, activities and resources in the log.
    start, end : datetime or None
        First and last timestamp (UTC).
    warnings : list of QualityWarning
    """

    source: str
    format: str
    reader: str
    rows_read: int
    rows_used: int
    rejected: dict[str, int]
    adjusted: dict[str, int]
    columns: dict[str, str]
    column_source: dict[str, str]
    details: dict[str, Any]
    events: int
    cases: int
    activities: int
    resources: int
    start: datetime | None
    end: datetime | None
    warnings: list[QualityWarning] = field(default_factory=list)
    _rejected_rows: Any = field(default=None, repr=False)

    @property
    def rows_rejected(self) -> int:
        """Σ rejected."""
        return sum(self.rejected.values())

    @property
    def span_days(self) -> float:
        """Days between the first and the last timestamp (0 for an empty log)."""
        if self.start is None or self.end is None:
            return 0.0
        return (self.end - self.start).total_seconds() / 86400.0

    @property
    def rejected_rows(self) -> pd.DataFrame:
        """One row per rejected input row: ``row`` (0-based data-row index), ``reason``."""
        if self._rejected_rows is None:
            return pd.DataFrame({"row": pd.Series(dtype="int64"), "reason": []})
        return self._rejected_rows.to_pandas()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every figure (timestamps as ISO 8601 strings)."""
        return {
            "source": self.source,
            "format": self.format,
            "reader": self.reader,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_rejected": self.rows_rejected,
            "rejected": dict(self.rejected),
            "adjusted": dict(self.adjusted),
            "columns": dict(self.columns),
            "column_source": dict(self.column_source),
            "details": _jsonable(self.details),
            "events": self.events,
            "cases": self.cases,
            "activities": self.activities,
            "resources": self.resources,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "span_days": round(self.span_days, 3),
            "warnings": [{"code": w.code, "en": w.en, "de": w.de} for w in self.warnings],
        }

    def to_frame(self, lang: Literal["de", "en"] = "en") -> pd.DataFrame:
        """The row accounting as a tidy table: ``item``, ``rows``, ``meaning``."""
        index = 1 if lang == "de" else 0
        used = "Zeilen verwendet" if lang == "de" else "rows used"
        read = "Zeilen gelesen" if lang == "de" else "rows read"
        items = [("rows_read", self.rows_read, read), ("rows_used", self.rows_used, used)]
        items += [
            (f"rejected:{code}", n, REJECTION_REASONS[code][index])
            for code, n in self.rejected.items()
        ]
        items += [
            (f"adjusted:{code}", n, ADJUSTMENTS[code][index]) for code, n in self.adjusted.items()
        ]
        return pd.DataFrame(items, columns=["item", "rows", "meaning"])

    def summary(self, lang: Literal["de", "en"] = "en") -> str:
        """A few plain-text lines for a terminal (German number format for ``"de"``)."""
        de = lang == "de"

        def n(value: int) -> str:
            text = f"{value:,}"
            return text.replace(",", ".") if de else text

        lines = [
            f"{'Quelle' if de else 'source'}: {self.source} ({self.format}, {self.reader})",
            (
                f"Zeilen: {n(self.rows_read)} gelesen, {n(self.rows_used)} verwendet, "
                f"{n(self.rows_rejected)} verworfen"
                if de
                else f"rows: {n(self.rows_read)} read, {n(self.rows_used)} used, "
                f"{n(self.rows_rejected)} rejected"
            ),
        ]
        for code, count in self.rejected.items():
            lines.append(f"  - {n(count)} {REJECTION_REASONS[code][1 if de else 0]}")
        for code, count in self.adjusted.items():
            lines.append(f"  ~ {n(count)} {ADJUSTMENTS[code][1 if de else 0]}")
        roles = ", ".join(
            f"{role}={column!r}{'*' if self.column_source.get(role) == 'guessed' else ''}"
            for role, column in self.columns.items()
        )
        guessed = "geraten" if de else "guessed"
        lines.append(f"{'Spalten' if de else 'columns'} (*{guessed}): {roles}")
        period = (
            f"{self.start:%Y-%m-%d} .. {self.end:%Y-%m-%d} ({self.span_days:.0f} d)"
            if self.start and self.end
            else "-"
        )
        lines.append(
            f"{n(self.events)} Ausführungen, {n(self.cases)} Vorgänge, "
            f"{n(self.activities)} Tätigkeiten, Zeitraum {period}"
            if de
            else f"{n(self.events)} activity instances, {n(self.cases)} cases, "
            f"{n(self.activities)} activities, period {period}"
        )
        lines += [f"! {w.message(lang)}" for w in self.warnings]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"DataQuality({self.source!r}: {self.rows_read:,} rows read, {self.rows_used:,} used, "
            f"{self.rows_rejected:,} rejected, {len(self.warnings)} warnings; "
            "see .summary(), .to_frame(), .rejected_rows)"
        )

    def _repr_html_(self) -> str:
        table = self.to_frame().to_html(index=False, border=0)
        warnings = "".join(f"<li>{html.escape(w.en)}</li>" for w in self.warnings)
        return (
            f"<div><strong>Data quality</strong> &mdash; {html.escape(self.source)}"
            f"{table}<ul>{warnings}</ul></div>"
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def log_warnings(q: DataQuality, odd: int) -> list[QualityWarning]:
    """Log-level findings; ``odd`` counts timestamps before 2000 or in the future."""
    out = []
    if q.events == 0:
        out.append(
            QualityWarning(
                "empty_log",
                "No usable row: every row was rejected (see the reasons above).",
                "Keine verwendbare Zeile: alle Zeilen wurden verworfen (Gründe siehe oben).",
            )
        )
        return out
    days = q.span_days
    if days < 365:
        out.append(
            QualityWarning(
                "short_span",
                f"The log covers only {days:.0f} days; yearly figures are extrapolated "
                "from it and seasonal effects may be missed.",
                f"Das Protokoll umfasst nur {days:.0f} Tage; Jahreswerte werden "
                "hochgerechnet, saisonale Schwankungen fehlen womöglich.",
            )
        )
    share = q.rows_rejected / q.rows_read if q.rows_read else 0.0
    if share > 0.05:
        out.append(
            QualityWarning(
                "many_rejected",
                f"{share:.0%} of the rows were rejected; check the export before relying on "
                "the figures.",
                f"{share:.0%} der Zeilen wurden verworfen; bitte den Export prüfen, bevor "
                "die Zahlen verwendet werden.",
            )
        )
    guessed = {r: c for r, c in q.columns.items() if q.column_source.get(r) == "guessed"}
    if guessed:
        out.append(
            QualityWarning(
                "guessed_columns",
                f"Column roles were guessed: {guessed!r}. Check them or pass them to read_log.",
                f"Spaltenrollen wurden erkannt: {guessed!r}. Bitte prüfen oder angeben.",
            )
        )
    if odd:
        out.append(
            QualityWarning(
                "implausible_dates",
                f"{odd:,} timestamps lie before 2000 or in the future; check the export.",
                f"{odd:,} Zeitstempel liegen vor 2000 oder in der Zukunft; bitte prüfen.",
            )
        )
    if "resource" not in q.columns:
        out.append(
            QualityWarning(
                "no_resource",
                "The log has no resource column: handling times can only be estimated from "
                "the gaps within a case, which include waiting time.",
                "Das Protokoll hat keine Bearbeiter-Spalte: Bearbeitungszeiten lassen sich nur "
                "aus Abständen im Vorgang schätzen, die Wartezeit enthalten.",
            )
        )
    return out
