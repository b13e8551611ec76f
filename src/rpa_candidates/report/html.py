"""The self-contained HTML report (Jinja2, autoescaping on).

One file, no network needed to view it: CSS inline, charts inline as checked SVG
(:func:`rpa_candidates.report.charts.svg_markup`), no JavaScript; a Content-Security-Policy
meta tag forbids scripts and remote loads as a second line of defence. Every value from
the data passes through Jinja's autoescaping; the only unescaped markup is our own chart
SVG, marked safe in Python after its check (templates never use ``|safe``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup

from ..core.version import __version__
from .charts import _XML_ILLEGAL, build_figures, svg_markup
from .content import build
from .i18n import Formatter, check_lang

if TYPE_CHECKING:
    import jinja2

    from ..results import AnalysisResult as Analysis
    from ..results import ComparisonResult as Comparison

__all__ = ["environment", "render_comparison_html", "render_html"]


def _finalize(value: Any) -> Any:
    """Drop control characters from data text (our Markup is already clean)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _XML_ILLEGAL.sub("", value)
    return value


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (autoescape, strict undefined)."""
    import jinja2

    return jinja2.Environment(
        finalize=_finalize,
        loader=jinja2.PackageLoader("rpa_candidates.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _write(text: str, path: str | Path | None) -> str:
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def render_html(
    analysis: Analysis,
    path: str | Path | None = None,
    *,
    lang: Literal["de", "en"] = "de",
    what_if: Any = None,
) -> str:
    """Render the steering-committee report of ``analysis`` as one HTML document.

    Parameters
    ----------
    analysis : Analysis
    path : str or Path, default=None
        File to write (UTF-8).
    lang : {"de", "en"}, default="de"

    Returns
    -------
    str
        The HTML document.
    """
    lang = check_lang(lang)
    from matplotlib.figure import Figure

    figures: dict[str, Figure] = build_figures(analysis, lang)
    charts = {name: svg_markup(fig, name) for name, fig in figures.items()}
    context = build(analysis, lang)
    f = Formatter(lang)
    text = (
        environment()
        .get_template("report.html.j2")
        .render(c=context, charts=charts, f=f, t=f.t, version=__version__)
    )
    if what_if is not None:  # the optional section, before the data-quality section
        from .whatif import html_section

        at = text.index('<section id="quality">')
        text = text[:at] + str(html_section(what_if, lang, environment)) + "\n" + text[at:]
    return _write(text, path)


def _comparison_context(comparison: Comparison) -> dict[str, Any]:
    from .content import plain

    towns = list(comparison.names)
    table = comparison.table
    activities = list(comparison.wide["activity"])
    cells: dict[str, dict[str, dict[str, Any]]] = {a: {} for a in activities}
    for record in table.to_dict("records"):
        cells[record["activity"]][record["town"]] = {k: plain(v) for k, v in record.items()}
    differences = {
        r["activity"]: {k: plain(v) for k, v in r.items()}
        for r in comparison.differences.to_dict("records")
    }
    shared = [{k: plain(v) for k, v in r.items()} for r in comparison.shared.to_dict("records")]
    order = [r["activity"] for r in shared] + [
        a for a in activities if a not in {r["activity"] for r in shared}
    ]
    return {
        "towns": towns,
        "activities": order,
        "cells": cells,
        "differences": differences,
        "shared": shared,
    }


def render_comparison_html(
    comparison: Comparison, path: str | Path | None = None, *, lang: Literal["de", "en"] = "de"
) -> str:
    """Render a :class:`~rpa_candidates.comparison.Comparison` as one HTML document.

    Shows, per activity, each town's rank, automatability and relief, the differences
    flagged by :func:`rpa_candidates.compare`, and the shared-bot economics.
    """
    lang = check_lang(lang)
    f = Formatter(lang)
    text = (
        environment()
        .get_template("comparison.html.j2")
        .render(c=_comparison_context(comparison), f=f, t=f.t, version=__version__)
    )
    return _write(text, path)
