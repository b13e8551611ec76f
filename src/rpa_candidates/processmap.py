"""Drawing a :class:`~rpa_candidates.mining.ProcessModel` as a process map.

The layout is ours, so no Graphviz is needed: activities are placed in layers (drawn
from top to bottom by :mod:`rpa_candidates.processmap_draw`). A depth-first search from
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
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from .errors import ParameterError, RenderingWarning

if TYPE_CHECKING:
    import matplotlib.figure

    from .mining import ProcessModel

__all__ = ["draw_figure", "layered_layout", "to_dot", "to_svg"]

DOT_TIMEOUT_SECONDS = 60
_GREY = "#e6e6e6"
_LABELS = {
    "de": {"start": "Start", "end": "Ende", "title": "Prozesslandkarte", "value": "Wert"},
    "en": {"start": "Start", "end": "End", "title": "Process map", "value": "value"},
}


def layered_layout(
    activities: list[str], edges: list[tuple[str, str]], starts: list[str]
) -> tuple[dict[str, tuple[int, int]], set[tuple[str, str]]]:
    """Layer and position of every activity, and the back edges.

    Parameters
    ----------
    activities : list of str
        All activities, most frequent first (the order of the search).
    edges : list of (str, str)
        Directly-follows edges, most frequent first.
    starts : list of str
        Start activities, most frequent first.

    Returns
    -------
    positions : dict
        ``activity -> (layer, index within layer)``.
    back_edges : set
        Edges that close a cycle (and self-loops); they do not constrain the layers.
    """
    succ: dict[str, list[str]] = {a: [] for a in activities}
    for s, t in edges:
        succ.setdefault(s, []).append(t)
        succ.setdefault(t, [])
    # iterative depth-first search, roots: start activities, then whatever is left
    state: dict[str, int] = {}  # 1 on the stack, 2 finished
    back: set[tuple[str, str]] = set()
    for root in [*starts, *succ]:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(succ[root]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(succ[child])))
    forward = [(s, t) for s, t in edges if (s, t) not in back and s != t]
    back |= {(s, t) for s, t in edges if s == t}

    # longest-path layering on the acyclic forward edges (Kahn's order)
    indegree = dict.fromkeys(succ, 0)
    children: dict[str, list[str]] = {a: [] for a in succ}
    parents: dict[str, list[str]] = {a: [] for a in succ}
    for s, t in forward:
        indegree[t] += 1
        children[s].append(t)
        parents[t].append(s)
    layer = dict.fromkeys(succ, 0)
    queue = [a for a in succ if indegree[a] == 0]
    while queue:
        node = queue.pop(0)
        for child in children[node]:
            layer[child] = max(layer[child], layer[node] + 1)
            indegree[child] -= 1
            if indegree[child] == 0:
                queue.append(child)

    # order within layers: discovery order, then barycentre sweeps
    rank = {a: i for i, a in enumerate(state)}
    layers: dict[int, list[str]] = {}
    for a in sorted(succ, key=lambda a: rank[a]):
        layers.setdefault(layer[a], []).append(a)
    for sweep in range(4):
        neighbours = parents if sweep % 2 == 0 else children
        keys = sorted(layers) if sweep % 2 == 0 else sorted(layers, reverse=True)
        for k in keys:
            index = {a: i for level in layers.values() for i, a in enumerate(level)}

            def barycentre(
                a: str, nb: dict[str, list[str]] = neighbours, index: dict[str, int] = index
            ) -> float:
                near = [index[n] for n in nb[a]]
                return sum(near) / len(near) if near else index[a]

            layers[k] = sorted(layers[k], key=barycentre)
    positions = {a: (k, i) for k, level in layers.items() for i, a in enumerate(level)}
    return positions, back


def _check(top_edges: int | None, lang: str) -> None:
    if lang not in _LABELS:
        raise ParameterError(f"lang must be one of {sorted(_LABELS)!r}, got {lang!r}.")
    if top_edges is not None and (
        isinstance(top_edges, bool) or not isinstance(top_edges, int) or top_edges < 0
    ):
        raise ParameterError(
            f"top_edges must be None or a non-negative int, got {top_edges!r}; "
            "e.g. model.figure(top_edges=30)."
        )


def _counts(frame: pd.DataFrame) -> dict[str, int]:
    return dict(zip(frame["activity"], frame["count"].astype(int), strict=True))


def _colours(
    model: ProcessModel, color_by: Mapping[str, float] | pd.Series | None, cmap: str
) -> tuple[dict[str, str], Any, Any, str | None]:
    """Hex fill per activity, the norm and colormap for a colour bar, the bar label."""
    import matplotlib as mpl
    from matplotlib.colors import Normalize, to_hex

    activities = list(model.activities["activity"])
    if color_by is None:
        return dict.fromkeys(activities, "#dfe9f5"), None, None, None
    if not isinstance(color_by, Mapping | pd.Series):
        raise ParameterError(
            f"color_by must be a dict or pandas Series activity -> number, got "
            f"{type(color_by).__name__!r}."
        )
    values = pd.Series(color_by, dtype="float64")
    label = values.name if isinstance(color_by, pd.Series) and color_by.name else None
    try:
        colormap = mpl.colormaps[cmap]
    except KeyError:
        raise ParameterError(
            f"Unknown colormap {cmap!r}; use a matplotlib name such as 'YlGn' or 'viridis'."
        ) from None
    known = values.dropna()
    low, high = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
    norm = Normalize(vmin=low, vmax=high if high > low else low + 1.0)
    fills = {
        a: to_hex(colormap(norm(values[a]))) if pd.notna(values.get(a)) else _GREY
        for a in activities
    }
    return fills, norm, colormap, None if label is None else str(label)


def _text_colour(fill: str) -> str:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(fill)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def draw_figure(
    model: ProcessModel,
    *,
    color_by: Mapping[str, float] | pd.Series | None = None,
    cmap: str = "YlGn",
    top_edges: int | None = None,
    lang: Literal["de", "en"] = "de",
    max_activities: int | Literal["default"] | None = "default",
    max_rows: int | Literal["default"] | None = "default",
) -> matplotlib.figure.Figure:
    """The process map as a matplotlib figure, top to bottom; see :meth:`ProcessModel.figure`.

    Drawn by :func:`rpa_candidates.processmap_draw.draw_top_down`.
    """
    from .processmap_draw import draw_top_down

    return draw_top_down(
        model,
        color_by=color_by,
        cmap=cmap,
        top_edges=top_edges,
        lang=lang,
        max_activities=max_activities,
        max_rows=max_rows,
    )


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

        fig = draw_figure(model, **options)
        buffer = io.StringIO()
        with mpl.rc_context({"svg.fonttype": "none"}):
            fig.savefig(buffer, format="svg", bbox_inches="tight")
        svg = buffer.getvalue()
    if path is not None:
        Path(path).write_text(svg, encoding="utf-8")
    return svg
