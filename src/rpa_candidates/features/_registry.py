"""The indicator registry: one decorated function per indicator, its docstring is its entry.

Each indicator is a small function whose docstring states what it measures and, on lines
starting with ``Formula:``, ``Unit:`` and ``Direction:``, its formula, unit and direction.
:data:`CATALOG` is built from these docstrings, so code, docstring and catalogue cannot
drift apart. Two kinds exist:

* ``kind="agg"``: the function returns a narwhals aggregation expression, evaluated in one
  ``group_by("activity").agg(...)`` over the prepared events
  (:func:`rpa_candidates.core.engine.prepare_events`);
* ``kind="table"``: the function takes the prepared events and a :class:`Context` and
  returns a frame (narwhals LazyFrame or pandas) with ``activity`` and the indicator
  columns it declares in ``columns``.

Directions: ``"+"`` a higher value speaks for automation, ``"-"`` against, ``"0"`` neutral
(descriptive), ``"flag"`` a 0/1 signal.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["CATALOG", "Context", "Indicator", "indicator"]

Direction = Literal["+", "-", "0", "flag"]


@dataclass(frozen=True)
class Indicator:
    """One entry of :data:`CATALOG`.

    Attributes
    ----------
    name : str
        Column name in :func:`rpa_candidates.activity_features`.
    family : str
        Module that computes it (volume, handling, context, rework, resources, labels, ...).
    description, formula, unit : str
        From the function's docstring.
    direction : {"+", "-", "0", "flag"}
        How a higher value bears on RPA suitability.
    source : str
        Literature or practice the indicator follows.
    """

    name: str
    family: str
    description: str
    formula: str
    unit: str
    direction: Direction
    source: str

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "family": self.family,
            "description": self.description,
            "formula": self.formula,
            "unit": self.unit,
            "direction": self.direction,
            "source": self.source,
        }


@dataclass
class Context:
    """Log-level facts some indicators need (computed once per call).

    Attributes
    ----------
    n_cases : int
        Distinct cases in the log.
    span_years : float
        Observation period in years (:func:`rpa_candidates.core.annualise.arrival_days` / 365.25).
    dominant_end : str or None
        The most frequent last activity of a case.
    options : dict
        Caller options passed through (e.g. standard handling times, automation patterns).
    events : narwhals.LazyFrame or None
        The canonical events with the log's attribute columns (the prepared frame leaves
        the attributes out to save memory; :func:`rpa_candidates.core.engine.prepare_events`).
    """

    n_cases: int
    span_years: float
    dominant_end: str | None
    options: dict[str, Any] = field(default_factory=dict)
    events: Any = None


@dataclass
class _Entry:
    indicator: Indicator
    kind: Literal["agg", "table"]
    function: Callable[..., Any]
    columns: tuple[str, ...]


#: name -> Indicator, in registration order (the column order of activity_features).
CATALOG: dict[str, Indicator] = {}
_ENTRIES: list[_Entry] = []
_FIELD = re.compile(r"^\s*(Formula|Unit|Direction):\s*(.+)$")


def _parse_block(lines: list[str], name: str) -> tuple[str, str, str, str]:
    description = lines[0].strip()
    found: dict[str, str] = {}
    current, indent = None, 0
    for line in lines[1:]:
        match = _FIELD.match(line)
        depth = len(line) - len(line.lstrip())
        if match:
            current, indent = match.group(1), depth
            found[current] = match.group(2).strip()
        elif current == "Formula" and line.strip() and depth > indent:
            found["Formula"] += " " + line.strip()  # a continued formula line
        else:
            current = None
    missing = {"Formula", "Unit", "Direction"} - set(found)
    if missing:
        raise TypeError(f"Indicator {name!r} docstring lacks {sorted(missing)!r} lines.")
    if found["Direction"] not in {"+", "-", "0", "flag"}:
        raise TypeError(f"Indicator {name!r}: Direction must be +, -, 0 or flag.")
    return description, found["Formula"], found["Unit"], found["Direction"]


def _parse(doc: str, names: tuple[str, ...]) -> dict[str, tuple[str, str, str, str]]:
    """One block per indicator: the whole docstring, or ``name: description`` blocks."""
    lines = inspect.cleandoc(doc).splitlines()
    if len(names) == 1:
        return {names[0]: _parse_block(lines, names[0])}
    starts = {}
    for i, line in enumerate(lines):
        head = line.split(":", 1)[0].strip()
        if head in names and not line.startswith(" "):
            starts[head] = i
    missing = [n for n in names if n not in starts]
    if missing:
        raise TypeError(f"Docstring has no block for indicators {missing!r}.")
    order = [*sorted(starts.values()), len(lines)]
    out = {}
    for name, i in starts.items():
        end = order[order.index(i) + 1]
        block = [lines[i].split(":", 1)[1].strip(), *lines[i + 1 : end]]
        out[name] = _parse_block(block, name)
    return out


def indicator(
    *,
    family: str,
    source: str,
    kind: Literal["agg", "table"] = "agg",
    columns: tuple[str, ...] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as an indicator; see the module docstring.

    A ``table`` function that produces several columns lists them in ``columns`` and has
    one docstring block per column: a line ``name: description`` followed by its indented
    ``Formula:``, ``Unit:`` and ``Direction:`` lines.
    """

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        names = columns or (function.__name__,)
        parsed = _parse(function.__doc__ or "", names)
        for name in names:
            if name in CATALOG:
                raise TypeError(f"Indicator {name!r} registered twice.")
            description, formula, unit, direction = parsed[name]
            CATALOG[name] = Indicator(
                name,
                family,
                description,
                formula,
                unit,
                direction,  # type: ignore[arg-type]
                source,
            )
        _ENTRIES.append(_Entry(CATALOG[names[0]], kind, function, tuple(names)))
        return function

    return register


def catalog_frame() -> Any:
    """:data:`CATALOG` as a pandas DataFrame, one row per indicator."""
    import pandas as pd

    return pd.DataFrame([entry.as_dict() for entry in CATALOG.values()])


def catalog_markdown() -> str:
    """The catalogue as the Markdown of ``docs/indicators.md`` (see docs/make_indicators.py)."""
    lines = [
        "# Indicator catalogue",
        "",
        "Generated from `rpa_candidates.features.CATALOG` by `python docs/make_indicators.py`;",
        "a test fails when this file and the catalogue differ. Every column of",
        "`rc.activity_features(log)` is one row here. Direction: `+` a higher value speaks for",
        "automation, `-` against, `0` descriptive, `flag` a 0/1 signal.",
        "",
    ]
    families: dict[str, list[Indicator]] = {}
    for entry in CATALOG.values():
        families.setdefault(entry.family, []).append(entry)
    for family, entries in families.items():
        sources = list(dict.fromkeys(e.source for e in entries))
        lines += [f"## {family}", ""]
        lines += [
            f"Source{f' ({i + 1})' if len(sources) > 1 else ''}: {source}  "
            for i, source in enumerate(sources)
        ]
        lines += [
            "",
            "| indicator | meaning | formula | unit | direction |",
            "|---|---|---|---|---|",
        ]
        for e in entries:
            formula = e.formula.replace("|", "\\|")
            note = "" if len(sources) == 1 else f" ({sources.index(e.source) + 1})"
            lines.append(
                f"| `{e.name}`{note} | {e.description} | {formula} | {e.unit} | {e.direction} |"
            )
        lines.append("")
    return "\n".join(lines)
