"""The layout pieces shared by the process-map renderers (:mod:`.processmap` for DOT and
SVG, :mod:`.processmap_draw` for the matplotlib figure): the layered layout, colours by a
value per activity, counts and labels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import pandas as pd

from ..core.errors import ParameterError

__all__ = ["ProcessModel", "layered_layout"]


class ProcessModel(Protocol):
    """What the map reads of a :class:`rpa_candidates.mining.ProcessModel` (its tables)."""

    dfg: pd.DataFrame
    activities: pd.DataFrame
    start_activities: pd.DataFrame
    end_activities: pd.DataFrame


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
