"""The analysis as deterministic JSON, for other tools and for archiving.

Top-level keys (sorted): ``assumptions`` (rows of ``Assumptions.sources()``), ``candidates``
(one object per row of ``Analysis.candidates``: the DESIGN.md columns and the extra ones,
reasons in the analysis's language), ``format`` (name and version of this layout),
``log`` (``Analysis.log_summary``), ``plausibility`` (the capacity checks, the steps left
out of the totals and the timestamp resolution; :mod:`rpa_candidates.report.plausibility`),
``quality`` (``DataQuality.to_dict()``), ``routines``, ``totals`` (reliable steps only),
``break_even`` (one object per candidate and routine, the columns of
:func:`rpa_candidates.relief.breakeven.break_even`) and ``shared_bot`` (the scenario's
numbers of towns, horizon and bot costs).

Deterministic: keys sorted, two-space indent, UTF-8, floats rounded to
:data:`FLOAT_DIGITS` decimals (``-0.0`` written as ``0.0``), NaN and ±inf written as
``null`` (never the non-standard ``NaN``/``Infinity`` tokens), no generation time — the
same analysis gives byte-identical output.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content import plain

if TYPE_CHECKING:
    from ..results import AnalysisResult as Analysis

__all__ = ["FLOAT_DIGITS", "SCHEMA_VERSION", "payload", "render_json"]

#: Decimal places kept for every float.
FLOAT_DIGITS = 6
#: Version of the JSON layout; raised when keys change meaning.
SCHEMA_VERSION = 1


def _clean(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, float):
        return round(value, FLOAT_DIGITS) + 0.0 if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def payload(analysis: Analysis, what_if: Any = None) -> dict[str, Any]:
    """The JSON document of ``analysis`` as a dict of plain, finite values (with the entry
    ``"what_if"`` when a :class:`~rpa_candidates.WhatIf` is given)."""
    from ..core.version import __version__
    from .plausibility import payload as plausibility_payload

    extra = {}
    if what_if is not None:
        from .whatif import json_part

        extra["what_if"] = json_part(what_if)

    a = analysis.assumptions
    return _clean(
        {
            **extra,
            "format": {
                "name": "rpa_candidates.analysis",
                "version": SCHEMA_VERSION,
                "library_version": __version__,
                "lang": analysis.lang,
            },
            "candidates": analysis.candidates.to_dict("records"),
            "log": dict(analysis.log_summary),
            "assumptions": analysis.assumptions.sources().to_dict("records"),
            "quality": analysis.quality.to_dict(),
            "routines": analysis.routines.to_dict("records"),
            "totals": analysis.totals(),
            "plausibility": plausibility_payload(analysis),
            "fitness": dict(analysis.model.fitness),
            "break_even": analysis.break_even().to_dict("records"),
            "shared_bot": {
                "towns": analysis.shared_bot_towns(),
                "payback_horizon_months": a.payback_horizon_months,
                "bot_build_cost_eur": a.bot_build_cost_eur,
                "bot_run_cost_eur_per_year": a.bot_run_cost_eur_per_year,
                "shared_bot_onboarding_eur": a.shared_bot_onboarding_eur,
                "shared_bot_overhead_eur_per_year": a.shared_bot_overhead_eur_per_year,
            },
        }
    )


def render_json(analysis: Analysis, path: str | Path | None = None, *, what_if: Any = None) -> str:
    """Serialise :func:`payload` (deterministic; see the module docstring).

    Parameters
    ----------
    analysis : Analysis
    path : str or Path, default=None
        File to write (UTF-8).

    Returns
    -------
    str
        The JSON text, ending with a newline.
    """
    text = (
        json.dumps(
            payload(analysis, what_if),
            sort_keys=True,
            indent=2,
            ensure_ascii=False,
            allow_nan=False,
        )
        + "\n"
    )
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
