"""Drawing a :class:`~rpa_candidates.mining.ProcessModel` as a process map.

The layout is ours, so no Graphviz is needed: activities are placed in layers from left to
right. A depth-first search from the start activities (most frequent first) marks the
edges that close a cycle as *back edges*; on the remaining acyclic graph each activity's
layer is the length of the longest path reaching it, :math:`L(v) = \\max_{u \\to v}
L(u) + 1` with :math:`L = 0` for sources. Within a layer, activities are ordered by the mean
position of their neighbours in the previous layer (barycentre heuristic, four sweeps).

:func:`to_svg` uses Graphviz's ``dot`` when it is on the ``PATH`` (DOT written by
:func:`to_dot`) and the matplotlib figure otherwise.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import textwrap
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import pandas as pd

from ..core.errors import ParameterError, RenderingWarning

if TYPE_CHECKING:
    import matplotlib.figure


__all__ = ["draw_figure", "layered_layout", "to_dot", "to_svg"]


class ProcessModel(Protocol):
    """What the map reads of a :class:`rpa_candidates.mining.ProcessModel` (its tables)."""

    dfg: pd.DataFrame
    activities: pd.DataFrame
    start_activities: pd.DataFrame
    end_activities: pd.DataFrame


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


def _edges(model: ProcessModel, top_edges: int | None) -> pd.DataFrame:
    dfg = model.dfg
    return dfg if top_edges is None else dfg.head(top_edges)


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
) -> matplotlib.figure.Figure:
    """The process map as a matplotlib figure; see :meth:`ProcessModel.figure`."""
    _check(top_edges, lang)
    from matplotlib.cm import ScalarMappable
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    words = _LABELS[lang]
    fills, norm, colormap, bar_label = _colours(model, color_by, cmap)
    edges = _edges(model, top_edges)
    activities = list(model.activities["activity"])
    counts = dict(zip(activities, model.activities["frequency"], strict=True))
    starts, ends = _counts(model.start_activities), _counts(model.end_activities)
    pairs = list(zip(edges["source"], edges["target"], strict=True))
    positions, back = layered_layout(activities, pairs, list(starts))

    dx, dy, w, h = 3.4, 1.15, 2.4, 0.78
    n_layers = max(k for k, _ in positions.values()) + 1
    sizes = pd.Series([k for k, _ in positions.values()]).value_counts()
    tallest = int(sizes.max())
    xy = {a: (k * dx, ((sizes[k] - 1) / 2 - i) * dy) for a, (k, i) in positions.items()}
    left, right = -dx * 0.7, (n_layers - 1) * dx + dx * 0.7
    bottom, top = -(tallest / 2) * dy - 0.9, (tallest / 2) * dy + 0.6

    inch = 0.6  # inches per data unit, so that boxes and 7 pt text keep their proportions
    bar = 1.2 if color_by is not None else 0.0
    fig = Figure(
        figsize=((right - left + 1.2) * inch + bar, (top - bottom) * inch + 0.4),
        layout="constrained",
    )
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(words["title"], loc="left", fontsize=9)
    fmax = max([1, *edges["frequency"].tolist(), *starts.values(), *ends.values()])

    def arrow(p: tuple[float, float], q: tuple[float, float], freq: int, rad: float) -> None:
        ax.annotate(
            "",
            xy=q,
            xytext=p,
            arrowprops={
                "arrowstyle": "-|>",
                "connectionstyle": f"arc3,rad={rad}",
                "lw": 0.6 + 3.0 * freq / fmax,
                "color": "#555555",
                "alpha": 0.8,
                "shrinkA": 0,
                "shrinkB": 0,
            },
            zorder=1,
        )
        # matplotlib's arc3 control point is mid + rad * (dy, -dx); the curve passes
        # half-way to it, which is where the label goes
        mx = (p[0] + q[0]) / 2 + rad * (q[1] - p[1]) / 2
        my = (p[1] + q[1]) / 2 - rad * (q[0] - p[0]) / 2
        ax.text(
            mx,
            my,
            f"{freq:,}",
            fontsize=6.5,
            ha="center",
            va="center",
            zorder=3,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
        )

    def forward(p: tuple[float, float], q: tuple[float, float], freq: int) -> None:
        """Straight to the next layer; longer edges bend outwards, away from the boxes."""
        length = q[0] - p[0]
        rad = 0.0
        if length > dx:  # bulge at least half a box height plus a margin
            rad = max(0.12, (h / 2 + 0.25) * 2 / length)
            rad = -rad if p[1] + q[1] >= 0 else rad
        arrow(p, q, freq, rad)

    for s, t, f in zip(edges["source"], edges["target"], edges["frequency"], strict=True):
        (x0, y0), (x1, y1) = xy[s], xy[t]
        if s == t:
            ax.text(x0, y0 + h / 2 + 0.04, f"↻ {f:,}", fontsize=6.5, ha="center", va="bottom")
        elif (s, t) in back or x1 <= x0:  # back edges: from bottom to bottom, bent downwards
            arrow((x0, y0 - h / 2), (x1 + 0.25, y1 - h / 2), int(f), -0.3)
        else:
            forward((x0 + w / 2, y0), (x1 - w / 2, y1), int(f))

    for x, label in ((left, words["start"]), (right, words["end"])):
        ax.scatter([x], [0], s=220, c="white", edgecolors="#333333", zorder=2)
        ax.text(x, -0.3, label, ha="center", va="top", fontsize=7.5)
    for a, c in starts.items():
        forward((left + 0.15, 0.0), (xy[a][0] - w / 2, xy[a][1]), int(c))
    for a, c in ends.items():
        forward((xy[a][0] + w / 2, xy[a][1]), (right - 0.15, 0.0), int(c))

    for a in activities:
        x, y = xy[a]
        box = FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            fc=fills[a],
            ec="#333333",
            lw=0.8,
            zorder=2,
            gid=f"activity:{a}",
        )
        ax.add_patch(box)
        name = textwrap.shorten(a, width=60, placeholder="…")
        ax.text(
            x,
            y,
            "\n".join(textwrap.wrap(name, 22)[:2]) + f"\n{int(counts[a]):,}",
            ha="center",
            va="center",
            fontsize=7,
            color=_text_colour(fills[a]),
            zorder=3,
            wrap=False,
        )
    ax.set_xlim(left - 0.6, right + 0.6)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    if norm is not None:
        fig.colorbar(
            ScalarMappable(norm=norm, cmap=colormap),
            ax=ax,
            shrink=0.8,
            fraction=0.03,
            label=bar_label or words["value"],
        )
    return fig


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
) -> str:
    """Graphviz DOT of the process map; see :meth:`ProcessModel.to_dot`.

    Nodes get the identifiers ``a0, a1, …`` and the activity name only as an escaped
    label, so no name can break the DOT syntax.
    """
    _check(top_edges, lang)
    words = _LABELS[lang]
    fills, *_ = _colours(model, color_by, cmap)
    edges = _edges(model, top_edges)
    ids = {a: f"a{i}" for i, a in enumerate(model.activities["activity"])}
    counts = dict(zip(model.activities["activity"], model.activities["frequency"], strict=True))
    fmax = max([1, *edges["frequency"].tolist()])
    lines = [
        "digraph process_map {",
        "  rankdir=LR;",
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
        lines.append(f'  start -> {ids[a]} [label="{int(c):,}", style=dashed];')
    for a, c in _counts(model.end_activities).items():
        lines.append(f'  {ids[a]} -> end [label="{int(c):,}", style=dashed];')
    for s, t, f in zip(edges["source"], edges["target"], edges["frequency"], strict=True):
        width = 0.6 + 3.0 * int(f) / fmax
        lines.append(f'  {ids[s]} -> {ids[t]} [label="{int(f):,}", penwidth={width:.2f}];')
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
) -> str:
    """SVG of the process map, by Graphviz if available; see :meth:`ProcessModel.to_svg`."""
    options = {"color_by": color_by, "cmap": cmap, "top_edges": top_edges, "lang": lang}
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
