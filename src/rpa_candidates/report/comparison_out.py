"""A :class:`~rpa_candidates.comparison.Comparison` as Excel workbook and as JSON.

Like a single analysis (:mod:`rpa_candidates.report.excel`, :mod:`.jsonout`): Excel with one
sheet per table (shared bot, towns in long form, differences), every text cell neutralised,
numbers as numbers; JSON deterministic (keys sorted, floats rounded to
:data:`~rpa_candidates.report.jsonout.FLOAT_DIGITS`, NaN as ``null``, no time stamp) with
the keys ``format``, ``towns``, ``shared``, ``table`` and ``differences``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .i18n import Formatter, check_lang

if TYPE_CHECKING:
    from ..results import ComparisonResult as Comparison

__all__ = ["render_comparison_json", "write_comparison_excel"]

_SHARED = {
    "activity": ("col.activity", "text"),
    "towns_with_relief": ("compare.towns_with_relief", "int"),
    "shared_relief_hours": ("col.relief_hours_per_year", "hours"),
    "shared_relief_eur": ("col.relief_eur_per_year", "eur"),
    "shared_payback_months": ("compare.shared_payback", "months"),
    "separate_payback_months": ("compare.separate_payback", "months"),
}
_TABLE = {
    "town": ("compare.town", "text"),
    "activity": ("col.activity", "text"),
    "rank": ("col.rank", "int"),
    "automatability": ("col.automatability", "pct"),
    "events_per_year": ("col.events_per_year", "count"),
    "handling_minutes": ("col.handling_minutes", "minutes"),
    "relief_hours_per_year": ("col.relief_hours_per_year", "hours"),
    "relief_eur_per_year": ("col.relief_eur_per_year", "eur"),
}


def write_comparison_excel(
    comparison: Comparison, path: str | Path, *, lang: Literal["de", "en"] = "de"
) -> Path:
    """Write the comparison workbook (sheets: shared bot, towns, differences)."""
    from openpyxl import Workbook

    from .content import plain
    from .excel import _sheet

    f = Formatter(check_lang(lang))
    wb = Workbook()
    wb.remove(wb.active)
    for title, frame, spec in (
        (f.t("xlsx.sheet_shared"), comparison.shared, _SHARED),
        (f.t("xlsx.sheet_towns"), comparison.table, _TABLE),
    ):
        names = [k for k in spec if k in frame.columns]
        _sheet(
            wb,
            title,
            [f.t(spec[k][0]) for k in names],
            [[plain(r[k]) for k in names] for r in frame.to_dict("records")],
            [spec[k][1] for k in names],
            f,
        )
    d = comparison.differences
    _sheet(
        wb,
        f.t("xlsx.sheet_differences"),
        [f.t("col.activity"), f.t("compare.towns_count"), f.t("compare.differs")],
        [[r["activity"], plain(r["towns"]), f.yes_no(r["differs"])] for r in d.to_dict("records")],
        ["text", "int", "text"],
        f,
    )
    target = Path(path)
    wb.save(target)
    return target


def render_comparison_json(comparison: Comparison, path: str | Path | None = None) -> str:
    """The comparison as deterministic JSON (see the module docstring)."""
    from ..core.version import __version__
    from .jsonout import SCHEMA_VERSION, _clean

    data = _clean(
        {
            "format": {
                "name": "rpa_candidates.comparison",
                "version": SCHEMA_VERSION,
                "library_version": __version__,
            },
            "towns": list(comparison.names),
            "shared": comparison.shared.to_dict("records"),
            "table": comparison.table.to_dict("records"),
            "differences": comparison.differences.to_dict("records"),
        }
    )
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
