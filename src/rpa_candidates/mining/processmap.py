"""Drawing a :class:`~rpa_candidates.mining.ProcessModel` as a process map.

The layout is ours, so no Graphviz is needed: activities are placed in layers (drawn
from top to bottom by :mod:`rpa_candidates.mining.processmap_draw`). A depth-first search from
the start activities (most frequent first) marks the edges that close a cycle as *back
edges*; on the remaining acyclic graph each activity's layer is the length of the longest
path reaching it, :math:`L(v) = \\max_{u \\to v} L(u) + 1` with :math:`L = 0` for
sources. Within a layer, activities are ordered by the mean position of their neighbours
in the previous layer (barycentre heuristic, four sweeps).

:func:`to_svg` uses Graphviz's ``dot`` when it is on the ``PATH`` (DOT written by
:func:`to_dot`) and the matplotlib figure otherwise.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from ..core.errors import RenderingWarning
from .map_layout import (
    _LABELS,
    ProcessModel,
    _check,
    _colours,
    _counts,
    _text_colour,
    layered_layout,
)

if TYPE_CHECKING:
    pass


__all__ = ["layered_layout", "to_dot", "to_svg"]


DOT_TIMEOUT_SECONDS = 60


def _dot_string(text: str) -> str:
    """A DOT double-quoted string: backslash and quote escaped, newlines as ``\\n``."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r\n", "\n").replace("\n", "\\n") + '"'


def to_dot(
    model: ProcessModel,
    *,
    color_by: Mapping[str, float] | pd.Series | None = None,
    cmap: str = "YlGn",
    top_edges: int | None = None,
    lang: Literal["de", "en"] = "de",
    max_activities: int | Literal["default"] | None = "default",
) -> str:
    """Graphviz DOT of the process map, top to bottom; see :meth:`ProcessModel.to_dot`.

    Nodes get the identifiers ``a0, a1, …`` and the activity name only as an escaped
    label, so no name can break the DOT syntax.
    """
    from .processmap_draw import map_defaults, select_map

    _check(top_edges, lang)
    words = _LABELS[lang]
    fills, *_ = _colours(model, color_by, cmap)
    cap = map_defaults()["max_activities"] if max_activities == "default" else max_activities
    selection = select_map(model, max_activities=cap, max_rows=None, top_edges=top_edges)
    edges = selection.edges
    shown = set(selection.activities)
    ids = {a: f"a{i}" for i, a in enumerate(model.activities["activity"]) if a in shown}
    counts = dict(zip(model.activities["activity"], model.activities["frequency"], strict=True))
    fmax = max([1, *edges["frequency"].tolist()])
    lines = [
        "digraph process_map {",
        "  rankdir=TB;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
        f"  start [shape=circle, label={_dot_string(words['start'])}, fillcolor=white];",
        f"  end [shape=doublecircle, label={_dot_string(words['end'])}, fillcolor=white];",
    ]
    for a, node in ids.items():
        label = _dot_string(f"{a}\n{int(counts[a]):,}")
        colour = _dot_string(fills[a])
        font = _dot_string(_text_colour(fills[a]))
        lines.append(f"  {node} [label={label}, fillcolor={colour}, fontcolor={font}];")
    for a, c in _counts(model.start_activities).items():
        if a in ids:
            lines.append(f'  start -> {ids[a]} [label="{int(c):,}", style=dashed];')
    for a, c in _counts(model.end_activities).items():
        if a in ids:
            lines.append(f'  {ids[a]} -> end [label="{int(c):,}", style=dashed];')
    for s, t, f in zip(edges["source"], edges["target"], edges["frequency"], strict=True):
        width = 0.6 + 3.0 * int(f) / fmax
        lines.append(f'  {ids[s]} -> {ids[t]} [label="{int(f):,}", penwidth={width:.2f}];')
    if selection.hidden:
        from .processmap_draw import _WORDS

        note = _WORDS[lang]["more"].format(
            n=selection.hidden, events=f"{selection.hidden_events:,}"
        )
        lines.append(f"  label={_dot_string(note)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_svg(
    model: ProcessModel,
    path: str | Path | None = None,
    *,
    color_by: Mapping[str, float] | pd.Series | None = None,
    cmap: str = "YlGn",
    top_edges: int | None = None,
    lang: Literal["de", "en"] = "de",
    max_activities: int | Literal["default"] | None = "default",
) -> str:
    """SVG of the process map, by Graphviz if available; see :meth:`ProcessModel.to_svg`."""
    options = {
        "color_by": color_by,
        "cmap": cmap,
        "top_edges": top_edges,
        "lang": lang,
        "max_activities": max_activities,
    }
    svg = None
    dot = shutil.which("dot")
    if dot is not None:
        try:
            done = subprocess.run(
                [dot, "-Tsvg"],
                input=to_dot(model, **options).encode("utf-8"),
                capture_output=True,
                timeout=DOT_TIMEOUT_SECONDS,
                check=True,
            )
            svg = done.stdout.decode("utf-8")
        except (OSError, subprocess.SubprocessError) as exc:
            warnings.warn(
                f"Graphviz 'dot' at {dot!r} failed ({exc}); drawing the map with matplotlib.",
                RenderingWarning,
                stacklevel=3,
            )
    if svg is None:
        import matplotlib as mpl

        from .processmap_draw import draw_top_down

        fig = draw_top_down(model, **options)
        buffer = io.StringIO()
        with mpl.rc_context({"svg.fonttype": "none"}):
            fig.savefig(buffer, format="svg", bbox_inches="tight")
        svg = buffer.getvalue()
    if path is not None:
        Path(path).write_text(svg, encoding="utf-8")
    return svg
