"""The report's charts as matplotlib figures, and their safe inline SVG.

* ``quick_wins``: automatability (x) against relief hours per year (y), bubble area
  proportional to executions per year; dashed lines at the routine threshold
  ``min_automatability`` (``data/routines.toml``) and at the median relief of the open
  candidates; already-automated steps grey;
* ``pareto``: relief hours per year of the open candidates, largest first (at most
  :data:`MAX_BARS`), with the cumulative share of the total on a second axis;
* ``process_map``: :meth:`ProcessModel.figure` coloured by automatability.

Figures are built with :class:`matplotlib.figure.Figure` (no pyplot, no GUI backend).
:func:`svg_markup` saves a figure as SVG with text kept as text (matplotlib escapes it),
then checks the document before it may be inlined into HTML unescaped.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from markupsafe import Markup

from ..core._data import load_toml
from ..core.errors import RenderingWarning
from .chart_labels import numbered_note, place_labels
from .i18n import Formatter

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..results import AnalysisResult as Analysis

__all__ = ["MAX_BARS", "build_figures", "pareto_figure", "quick_wins_figure", "svg_markup"]

#: The Pareto chart shows at most this many steps.
MAX_BARS = 20
#: Bubbles labelled with the activity name in the quick-wins matrix.
MAX_LABELS = 8
_BLUE, _GREY, _ORANGE = "#2f6ea5", "#9a9a9a", "#d9822b"
#: Characters XML 1.0 forbids; removed from chart text and SVG.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _short(name: str, width: int = 28) -> str:
    """One line of at most ``width`` characters."""
    text = " ".join(_XML_ILLEGAL.sub("", str(name)).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _literal_text(fig: Figure) -> Figure:
    """No mathtext (a ``$`` in an activity name stays a ``$``), no control characters."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
        if _XML_ILLEGAL.search(text.get_text()):
            text.set_text(_XML_ILLEGAL.sub("", text.get_text()))
    return fig


def _axis_formatter(f: Formatter, digits: int = 0) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: f.num(x, digits))


def quick_wins_figure(candidates: pd.DataFrame, lang: Literal["de", "en"] = "de") -> Figure:
    """Automatability × relief matrix; bubble area ∝ executions per year."""
    from matplotlib.figure import Figure

    f = Formatter(lang)
    fig = Figure(figsize=(7.0, 4.4))
    ax = fig.add_axes((0.1, 0.17, 0.87, 0.75))  # fixed, so the label extents hold
    frame = candidates.copy()
    frame["y"] = frame["relief_hours_per_year"].fillna(0.0)
    volume = frame["events_per_year"].fillna(0.0).to_numpy(float)
    size = (
        30 + 600 * np.sqrt(volume / volume.max()) if volume.max() > 0 else np.full(len(frame), 60)
    )
    done = frame["already_automated"].astype(bool).to_numpy()
    for mask, colour, label in (
        (~done, _BLUE, f.t("chart.open")),
        (done, _GREY, f.t("chart.automated")),
    ):
        if mask.any():
            ax.scatter(
                frame["automatability"][mask],
                frame["y"][mask],
                s=size[mask],
                c=colour,
                alpha=0.6,
                edgecolors="white",
                linewidths=0.8,
                label=label,
            )
    threshold = float(load_toml("routines.toml")["min_automatability"]["value"])
    open_relief = frame.loc[~done & (frame["y"] > 0), "y"]
    ax.axvline(threshold, color=_ORANGE, ls="--", lw=1)
    if len(open_relief):
        ax.axhline(float(open_relief.median()), color=_ORANGE, ls="--", lw=1)
    ymax = float(frame["y"].max()) if len(frame) else 1.0
    ax.set_ylim(bottom=-0.04 * max(ymax, 1.0), top=max(ymax, 1.0) * 1.18)
    ax.set_xlim(-0.02, 1.05)
    ax.text(
        1.04,
        max(ymax, 1.0) * 1.15,
        f.t("chart.quick_wins_zone"),
        ha="right",
        va="top",
        fontsize=8,
        color=_ORANGE,
    )
    ax.xaxis.set_major_formatter(_axis_formatter(f, 1))
    ax.yaxis.set_major_formatter(_axis_formatter(f))
    ax.set_xlabel(f.t("col.automatability"))
    ax.set_ylabel(f.t("chart.relief_hours"))
    ax.set_title(f.t("chart.quick_wins_title"), loc="left", fontsize=10)
    legend = ax.legend(loc="upper left", fontsize=8, frameon=False, markerscale=0.5)
    ax.grid(alpha=0.25)
    ax.tick_params(labelsize=8)
    labelled = frame[~done].sort_values("expected_relief_hours", ascending=False).head(MAX_LABELS)
    zone = [t for t in ax.texts if t.get_text() == f.t("chart.quick_wins_zone")]
    numbered = place_labels(
        ax,
        list(zip(labelled["automatability"], labelled["y"], strict=True)),
        [_short(a) for a in labelled["activity"]],
        fontsize=7,
        obstacles=[legend, *zone],
    )
    if numbered:
        fig.text(0.01, 0.01, numbered_note(numbered), fontsize=7, ha="left", va="bottom",
                 wrap=True)  # fmt: skip
    return fig


def pareto_figure(candidates: pd.DataFrame, lang: Literal["de", "en"] = "de") -> Figure:
    """Relief per step, largest first, with the cumulative share of the total."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    f = Formatter(lang)
    frame = candidates[~candidates["already_automated"].astype(bool)]
    frame = frame[frame["relief_hours_per_year"].fillna(0) > 0]
    frame = frame.sort_values(["relief_hours_per_year", "activity"], ascending=[False, True])
    total = float(frame["relief_hours_per_year"].sum())
    shown = frame.head(MAX_BARS)
    # horizontal bars, largest on top: one 7 pt name per row, so names cannot overlap
    fig = Figure(figsize=(7.0, 1.3 + 0.19 * max(len(shown), 3)), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(f.t("chart.pareto_title"), loc="left", fontsize=10)
    if not len(shown):
        ax.text(0.5, 0.5, f.t("chart.no_relief"), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    y = np.arange(len(shown))
    ax.barh(y, shown["relief_hours_per_year"], color=_BLUE, height=0.7)
    ax.set_yticks(y, [_short(a, 34) for a in shown["activity"]], fontsize=7)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_axis_formatter(f))
    ax.set_xlabel(f.t("chart.relief_hours"), fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    share = ax.twiny()
    share.plot(shown["relief_hours_per_year"].cumsum() / total, y, color=_ORANGE, marker="o", ms=3)
    share.set_xlim(0, 1.05)
    share.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f.pct(v)))
    share.set_xlabel(f.t("chart.cumulative_share"), fontsize=8)
    share.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", alpha=0.25)
    return fig


def process_map_figure(analysis: Analysis, lang: Literal["de", "en"] = "de") -> Figure:
    """The process map with activities coloured by automatability."""
    f = Formatter(lang)
    values = analysis.candidates.set_index("activity")["automatability"]
    return analysis.model.figure(color_by=values.rename(f.t("col.automatability")), lang=lang)


def build_figures(analysis: Analysis, lang: Literal["de", "en"] = "de") -> dict[str, Figure]:
    """``{"quick_wins", "pareto", "process_map"}`` → a new matplotlib Figure each.

    Text is never parsed as mathtext (activity names may contain ``$``).
    """
    figures = {
        "quick_wins": quick_wins_figure(analysis.candidates, lang),
        "pareto": pareto_figure(analysis.candidates, lang),
        "process_map": process_map_figure(analysis, lang),
    }
    return {name: _literal_text(fig) for name, fig in figures.items()}


_FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "object", "embed", "animate", "set"}


def _check_svg(svg: str) -> None:
    """Raise ValueError unless ``svg`` is well-formed, script-free SVG."""
    from defusedxml import ElementTree

    root = ElementTree.fromstring(svg)
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1].lower()
        if tag in _FORBIDDEN_TAGS:
            raise ValueError(f"SVG contains a <{tag}> element")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise ValueError(f"SVG contains an event attribute {local!r}")
            if local == "href" and not value.startswith(("#", "data:image/png;base64,")):
                raise ValueError(f"SVG links outside itself: {value[:40]!r}")


def svg_markup(fig: Figure, name: str) -> Markup:
    """The figure as inline SVG, checked, ready to be placed unescaped in HTML.

    Text stays text (``svg.fonttype = "none"``) and is escaped by matplotlib's SVG writer;
    the document is then parsed and rejected if it holds a script, a foreign object, an
    event attribute or an external link. ``name`` salts the element ids so that several
    charts can share one page; the date is left out so the output is reproducible.
    Falls back to an escaped base64 PNG ``<img>`` (with a :class:`RenderingWarning`)
    if the check fails.
    """
    import base64
    import html
    import warnings

    import matplotlib as mpl

    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"rpa-{name}"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = _XML_ILLEGAL.sub("", buffer.getvalue())  # control characters from the data
    try:
        _check_svg(svg)
    except Exception as exc:
        warnings.warn(
            f"Chart {name!r} not inlined as SVG ({exc}); using PNG.", RenderingWarning, stacklevel=2
        )
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
        data = base64.b64encode(png.getvalue()).decode("ascii")
        return Markup(f'<img alt="{html.escape(name)}" src="data:image/png;base64,{data}">')
    start = svg.find("<svg")
    return Markup(svg[start:])  # checked above: matplotlib-escaped text, no active content
