"""The methodology appendix: every formula and every default with its source and year.

Drawn from the places that define them, so the appendix cannot drift from the code:
``rc.features.CATALOG`` (indicators), ``scoring/criteria.toml`` (criteria, blend,
already-automated rule), ``Assumptions.sources()`` (economic assumptions) and
``data/routines.toml``, ``data/timing.toml``, ``data/automation.toml``,
``data/plausibility.toml`` and the annualisation entries of ``data/rates.toml``.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

from ..core._data import load_toml
from .i18n import Formatter
from .values import plain

if TYPE_CHECKING:
    from ..results import AnalysisResult as Analysis

__all__ = ["DEFAULT_FILES", "FORMULAS", "methodology"]

#: The data files whose entries the appendix lists (besides the Assumptions).
DEFAULT_FILES = (
    "routines.toml",
    "timing.toml",
    "automation.toml",
    "rates.toml",
    "plausibility.toml",
)

#: Formula keys, each with ``formula.<key>.title``, ``.text`` in the i18n files.
FORMULAS = {
    "automatability": "automatability = (w_r · rule_score + w_m · ml_score) / (w_r + w_m); "
    "knocked out: × knockout_cap",
    "rule_score": "rule_score = Σ_k w_k · s_k / Σ_k w_k  (k: criteria known for the step)",
    "relief": "relief_hours_per_year = n / T · (1 − α) · s · h̄ / 60 · β",
    "interval": "[relief_hours_low, relief_hours_high] = percentiles (1 − c)/2 and (1 + c)/2 "
    "of the case bootstrap",
    "fte": "relief_fte = relief_hours_per_year / hours_per_fte",
    "eur": "relief_eur_per_year = relief_hours_per_year · r  (full cost: r · (1 + o) + W / h_KGSt)",
    "payback": "payback_months = C_build / (relief_eur_per_year / 12 − C_run / 12)",
    "break_even": "N* = (C_run + 12 · C_build / H) / e,  e = relief_eur_per_year / n_per_year",
    "shared_bot": "P_k = (C_build + (k − 1) · O_on) / ((k · E − C_run − (k − 1) · O_run) / 12); "
    "k* = min k with P_k ≤ H",
    "ranking": "expected_relief_hours = relief_hours_per_year · automatability (descending)",
    "routine": "follow(a, b) = dfg(a, b) / n_a > s  and  precede(a, b) = dfg(a, b) / n_b > s",
}


def _transform(spec: dict[str, Any]) -> str:
    kind = spec.get("kind", "")
    rest = ", ".join(f"{k}={v}" for k, v in spec.items() if k != "kind")
    return f"{kind} ({rest})" if rest else kind


def _criteria(spec: dict[str, Any], f: Formatter) -> list[dict[str, Any]]:
    """The default criteria, blend and already-automated rule as rows."""
    rows = []
    for cid, c in spec["criteria"].items():
        knockout = []
        if "knockout_below" in c:
            knockout.append(f"< {f.value(c['knockout_below'])}")
        if "knockout_at_least" in c:
            knockout.append(f"≥ {f.value(c['knockout_at_least'])}")
        rows.append(
            {
                "id": cid,
                "name": c["name"][f.lang],
                "indicators": ", ".join(c["indicators"]),
                "transform": _transform(c["transform"]),
                "weight": c["weight"],
                "knockout": " / ".join(knockout),
                "unit": c["unit"],
                "source": c["source"],
                "year": c["year"],
            }
        )
    for name in ("already_automated", "blend"):
        table = spec[name]
        values = {k: v for k, v in table.items() if k not in ("unit", "source", "year")}
        rows.append(
            {
                "id": name,
                "name": f.t(f"method.{name}"),
                "indicators": str(values.get("indicator", "")),
                "transform": ", ".join(f"{k}={v}" for k, v in values.items() if k != "indicator"),
                "weight": None,
                "knockout": "",
                "unit": table.get("unit"),
                "source": table.get("source"),
                "year": table.get("year"),
            }
        )
    return rows


def _defaults(analysis: Analysis, f: Formatter) -> list[dict[str, Any]]:
    covered = {fl.name for fl in fields(analysis.assumptions)}
    rows = []
    for name in DEFAULT_FILES:
        for key, entry in load_toml(name).items():
            if name == "rates.toml" and key in covered:
                continue  # listed with the assumptions
            if not isinstance(entry, dict) or "value" not in entry:
                continue
            rows.append(
                {
                    "file": f"data/{name}",
                    "name": key,
                    "value": f.value(entry["value"]),
                    "unit": entry.get("unit"),
                    "source": entry.get("source"),
                    "year": entry.get("year"),
                    "verify": entry.get("verify"),
                }
            )
    return rows


def _assumptions(analysis: Analysis, f: Formatter) -> list[dict[str, Any]]:
    table = analysis.assumptions.sources()
    rows = []
    for record in table.to_dict("records"):
        row = {k: plain(v) for k, v in record.items()}
        row["raw_value"] = row["value"]
        row["value"] = f.value(row["value"])
        if isinstance(row["year"], float):
            row["year"] = int(row["year"])  # pandas made the column float
        rows.append(row)
    return rows


def methodology(analysis: Analysis, f: Formatter, default_criteria: bool) -> dict[str, Any]:
    """The appendix as plain data.

    Returns
    -------
    dict
        ``formulas`` (``key``, ``title``, ``formula``, ``text``), ``indicators`` (the
        CATALOG entries), ``criteria`` (rows of the default criteria file),
        ``criteria_default`` (``default_criteria`` as given: False when the analysis
        used other criteria),
        ``assumptions`` (``Assumptions.sources()`` of the analysis, ``value`` formatted,
        ``raw_value`` as given) and ``defaults`` (``file``, ``name``, ``value``, ``unit``,
        ``source``, ``year``, ``verify``).
    """
    spec = analysis.default_criteria()
    blend = spec["blend"]
    values = {
        "automatability": {
            "rule": f.value(blend["rule"]),
            "ml": f.value(blend["ml"]),
            "cap": f.value(blend["knockout_cap"]),
        },
        "interval": {"level": f.pct(analysis.assumptions.confidence)},
        "routine": {"share": f.value(load_toml("routines.toml")["min_follow_share"]["value"])},
    }
    return {
        "formulas": [
            {
                "key": key,
                "title": f.t(f"formula.{key}.title"),
                "formula": formula,
                "text": f.t(f"formula.{key}.text", **values.get(key, {})),
            }
            for key, formula in FORMULAS.items()
        ],
        "indicators": analysis.indicator_catalog(),
        "criteria": _criteria(spec, f),
        "criteria_default": default_criteria,
        "assumptions": _assumptions(analysis, f),
        "defaults": _defaults(analysis, f),
    }
