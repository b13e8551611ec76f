"""The process map drawn top to bottom so that it reads on one A4 page (stage: mining/).

A map of 5 to 400 activities must stay readable when printed: every text is at least
``font_pt`` (7 pt) and the figure is at most ``width_in`` (7.0 in) wide and fits the A4
page height, so the report prints it unscaled (``data/processmap.toml``).

**Which activities.** The ``max_activities`` most frequent activities are candidates; as
long as their layout needs more than ``max_rows`` rows, the least frequent one is dropped.
The figure states how many activities (and activity instances) are not shown.

**Which edges.** Among the shown activities: each activity's most frequent incoming and
outgoing edge, then the most frequent remaining edges, up to :math:`1.5 n` edges for
:math:`n` activities (``top_edges``: exactly the ``top_edges`` most frequent instead).

**Layout.** The layers of :func:`rpa_candidates.mining.processmap.layered_layout` (longest path
from the start after removing back edges, barycentre ordering) run from top to bottom; a
layer with more than ``slots_per_row`` activities is wrapped into several rows. When that
needs more than ``max_rows`` rows, runs of one-activity layers (a chain of steps) fill
rows of ``slots_per_row`` boxes, read left to right. Forward edges run downwards (or to
the right within a row); back edges and edges that skip a row run in a lane beside the
boxes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ..core._data import load_toml

if TYPE_CHECKING:
    import matplotlib.figure

    from .map_layout import ProcessModel

__all__ = ["MapSelection", "draw_top_down", "map_defaults", "select_map"]

_WORDS = {
    "de": {
        "more": "{n} weitere Tätigkeiten ({events} Ausführungen) nicht gezeigt",
        "edges": "Pfeile: {shown} von {total} direkten Abfolgen",
    },
    "en": {
        "more": "{n} more activities ({events} instances) not shown",
        "edges": "Arrows: {shown} of {total} direct successions",
    },
}
_PITCH, _BOX_H, _GAP = 0.62, 0.40, 0.30  # inches: row pitch, box height, gap between boxes
_TOP, _BOTTOM = 0.8, 1.05  # inches above the first row (title, start), below the last row
_ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)  # where on an edge its label may go
_LANES = 0.4  # inches on each side for edges that skip rows or loop back


class _Placer:
    """Puts small labels where they overlap no box and no other label (estimated extents).

    A label's extent is estimated from its characters (0.64 em each, DejaVu Sans digits are
    0.636 em) and 1.25 em high; the first free position of the candidates given wins, and
    a label with no free position is left out (its arrow's width still shows the
    frequency). ``placed`` counts the labels drawn, ``dropped`` those left out.
    """

    def __init__(self, font: float) -> None:
        self.font = font
        self.taken: list[tuple[float, float, float, float]] = []
        self.placed = 0
        self.dropped = 0

    def extent(self, text: str, x: float, y: float, ha: str, va: str) -> tuple[float, ...]:
        w = (0.64 * len(text) + 0.3) * self.font / 72
        h = 1.25 * self.font / 72
        x0 = {"left": x, "center": x - w / 2, "right": x - w}[ha]
        y0 = {"bottom": y, "center": y - h / 2, "top": y - h}[va]
        return (x0, y0, x0 + w, y0 + h)

    def block(self, rect: tuple[float, float, float, float]) -> None:
        self.taken.append(rect)

    def free(self, rect: tuple[float, ...]) -> bool:
        x0, y0, x1, y1 = rect
        return not any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in self.taken)

    def place(self, ax: Any, text: str, spots: list[tuple[float, float]], **style: Any) -> bool:
        ha, va = style.get("ha", "center"), style.get("va", "center")
        for x, y in spots:
            rect = self.extent(text, x, y, ha, va)
            if self.free(rect):
                self.block(rect)
                ax.text(x, y, text, fontsize=self.font, zorder=3, **style)
                self.placed += 1
                return True
        self.dropped += 1
        return False


def map_defaults() -> dict[str, Any]:
    """The defaults of ``data/processmap.toml`` as ``name -> value``."""
    return {k: v["value"] for k, v in load_toml("processmap.toml").items()}


@dataclass(frozen=True)
class MapSelection:
    """What the map shows: activities, edges, their grid cells, what is left out."""

    activities: list[str]
    edges: pd.DataFrame
    cells: dict[str, tuple[int, int, int]]  # activity -> (row, column, boxes in the row)
    back: set[tuple[str, str]]
    n_rows: int
    hidden: int
    hidden_events: int
    total_edges: int


def _edges_among(model: ProcessModel, shown: list[str], top_edges: int | None) -> pd.DataFrame:
    keep = set(shown)
    dfg = model.dfg[model.dfg["source"].isin(keep) & model.dfg["target"].isin(keep)]
    if top_edges is not None:
        return dfg.head(top_edges)
    strongest = set(dfg.drop_duplicates("source").index) | set(dfg.drop_duplicates("target").index)
    rest = [i for i in dfg.index if i not in strongest]
    budget = max(0, (3 * len(shown)) // 2 - len(strongest))
    chosen = strongest | set(rest[:budget])
    return dfg.loc[[i for i in dfg.index if i in chosen]]


def _grid(
    model: ProcessModel, shown: list[str], edges: pd.DataFrame, slots: int, compact: bool = False
) -> tuple[dict[str, tuple[int, int, int]], set[tuple[str, str]], int]:
    """Rows of the layers; ``compact`` also joins runs of one-activity layers into rows
    of up to ``slots`` boxes, read left to right (a long chain of steps)."""
    from .map_layout import layered_layout

    starts = [a for a in model.start_activities["activity"] if a in set(shown)]
    pairs = list(zip(edges["source"], edges["target"], strict=True))
    positions, back = layered_layout(shown, pairs, starts)
    layers: dict[int, list[str]] = {}
    for a, (k, _i) in sorted(positions.items(), key=lambda x: x[1]):
        layers.setdefault(k, []).append(a)
    rows: list[list[str]] = []
    run: list[str] = []
    for k in sorted(layers):
        level = layers[k]
        if compact and len(level) == 1:
            run.append(level[0])
            continue
        rows += [run[i : i + slots] for i in range(0, len(run), slots)]
        run = []
        rows += [level[i : i + slots] for i in range(0, len(level), slots)]
    rows += [run[i : i + slots] for i in range(0, len(run), slots)]
    cells = {a: (r, j, len(row)) for r, row in enumerate(rows) for j, a in enumerate(row)}
    return cells, back, len(rows)


def select_map(
    model: ProcessModel,
    *,
    max_activities: int | None,
    max_rows: int | None,
    top_edges: int | None = None,
    slots: int | None = None,
) -> MapSelection:
    """The activities, edges and grid of the map (see the module docstring)."""
    slots = int(slots or map_defaults()["slots_per_row"])
    ranked = list(model.activities["activity"])  # most frequent first
    n = len(ranked) if max_activities is None else min(len(ranked), max_activities)
    while True:
        shown = ranked[:n]
        edges = _edges_among(model, shown, top_edges)
        cells, back, rows = _grid(model, shown, edges, slots)
        if max_rows is not None and rows > max_rows:  # a long chain: fill the rows
            cells, back, rows = _grid(model, shown, edges, slots, compact=True)
        if max_rows is None or rows <= max_rows or n <= 1:
            break
        n -= 1
    freq = dict(zip(model.activities["activity"], model.activities["frequency"], strict=True))
    hidden = ranked[n:]
    keep = set(shown)
    total = int((model.dfg["source"].isin(keep) & model.dfg["target"].isin(keep)).sum())
    return MapSelection(
        activities=shown,
        edges=edges,
        cells=cells,
        back=back,
        n_rows=rows,
        hidden=len(hidden),
        hidden_events=int(sum(int(freq[a]) for a in hidden)),
        total_edges=total,
    )


def draw_top_down(
    model: ProcessModel,
    *,
    color_by: Mapping[str, float] | pd.Series | None = None,
    cmap: str = "YlGn",
    top_edges: int | None = None,
    lang: Literal["de", "en"] = "de",
    max_activities: int | Literal["default"] | None = "default",
    max_rows: int | Literal["default"] | None = "default",
) -> matplotlib.figure.Figure:
    """The process map, top to bottom, as a matplotlib figure; see ``ProcessModel.figure``.

    The returned figure carries ``fig.rc_map``, the :class:`MapSelection` it shows.
    """
    from matplotlib.cm import ScalarMappable
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    from .map_layout import _LABELS, _check, _colours, _counts, _text_colour

    _check(top_edges, lang)
    d = map_defaults()
    font, width, slots = float(d["font_pt"]), float(d["width_in"]), int(d["slots_per_row"])
    cap = d["max_activities"] if max_activities == "default" else max_activities
    rows_cap = d["max_rows"] if max_rows == "default" else max_rows
    sel = select_map(model, max_activities=cap, max_rows=rows_cap, top_edges=top_edges)
    words, more = _LABELS[lang], _WORDS[lang]
    fills, norm, colormap, bar_label = _colours(model, color_by, cmap)
    counts = dict(zip(model.activities["activity"], model.activities["frequency"], strict=True))
    slot_w = (width - 2 * _LANES) / slots
    w, h = slot_w - _GAP, _BOX_H
    height = _TOP + max(sel.n_rows, 1) * _PITCH + _BOTTOM
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    xy = {
        a: (width / 2 + (col - (n - 1) / 2) * slot_w, height - _TOP - row * _PITCH - h / 2)
        for a, (row, col, n) in sel.cells.items()
    }
    x_left = min((x for x, _ in xy.values()), default=width / 2) - w / 2
    x_right = max((x for x, _ in xy.values()), default=width / 2) + w / 2
    ax.text(0.05, height - 0.05, words["title"], fontsize=font + 2, va="top", ha="left")
    start_y, end_y = height - 0.42, _BOTTOM - 0.3
    placer = _Placer(font)
    for x, y in xy.values():
        placer.block((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
    for y in (start_y, end_y):
        placer.block((width / 2 - 0.21, y - 0.21, width / 2 + 0.21, y + 0.21))
    edges = sel.edges
    fmax = max([1, *edges["frequency"].tolist()])
    label_box = {"boxstyle": "round,pad=0.08", "fc": "white", "ec": "none", "alpha": 0.9}

    def arrow(p, q, freq: int, rad: float, style: str = "-") -> None:
        ax.annotate(
            "",
            xy=q,
            xytext=p,
            arrowprops={
                "arrowstyle": "-|>",
                "connectionstyle": f"arc3,rad={rad}",
                "lw": 0.5 + 2.5 * freq / fmax,
                "color": "#555555",
                "alpha": 0.8,
                "ls": style,
                "shrinkA": 0,
                "shrinkB": 0,
            },
            zorder=1,
        )
        spots = [(p[0] + u * (q[0] - p[0]), p[1] + u * (q[1] - p[1])) for u in _ALONG]
        placer.place(ax, f"{freq:,}", spots, ha="center", va="center", bbox=label_box)

    def lane(p, q, freq: int, x_lane: float, style: str = "-") -> None:
        """Out of ``p`` sideways to the lane at ``x_lane``, along it, into ``q``."""
        lw = 0.5 + 2.5 * freq / fmax
        ax.plot([p[0], x_lane, x_lane], [p[1], p[1], q[1]], color="#555555", alpha=0.8, lw=lw,
                ls=style, zorder=1, solid_joinstyle="round")  # fmt: skip
        ax.annotate("", xy=q, xytext=(x_lane, q[1]), zorder=1,
                    arrowprops={"arrowstyle": "-|>", "lw": lw, "color": "#555555",
                                "alpha": 0.8, "shrinkA": 0, "shrinkB": 0})  # fmt: skip
        spots = [(x_lane, p[1] + u * (q[1] - p[1])) for u in _ALONG]
        placer.place(ax, f"{freq:,}", spots, ha="center", va="center", bbox=label_box)

    lanes = {"left": 0, "right": 0}
    for s, t, f in zip(edges["source"], edges["target"], edges["frequency"], strict=True):
        (x0, y0), (x1, y1) = xy[s], xy[t]
        rows_apart = round((y0 - y1) / _PITCH)
        if s == t:
            spots = [(x0 + w / 2, y0 + h / 2), (x0 + w / 2, y0 - h / 2 - 0.13)]
            placer.place(ax, f"↻ {int(f):,}", spots, ha="right", va="bottom")
        elif rows_apart == 0 and x1 > x0 and (s, t) not in sel.back:  # along a row
            arrow((x0 + w / 2, y0), (x1 - w / 2, y1), int(f), 0.0)
        elif (s, t) in sel.back or rows_apart <= 0 or rows_apart > 1:
            # loops and edges that skip a row run in a lane beside the boxes: on the side
            # the source box is nearer to (loops: right unless the box is leftmost)
            _row, col, n_row = sel.cells[s]
            right = col > (n_row - 1) / 2 or (rows_apart <= 0 and col == (n_row - 1) / 2)
            side = "right" if right else "left"
            k = lanes[side] = lanes[side] + 1
            step = 0.12 + 0.1 * ((k - 1) % 3)
            if right:
                x_lane = min(width - 0.06, x_right + step)
                lane((x0 + w / 2, y0), (x1 + w / 2, y1), int(f), x_lane)
            else:
                x_lane = max(0.06, x_left - step)
                lane((x0 - w / 2, y0), (x1 - w / 2, y1), int(f), x_lane)
        else:
            arrow((x0, y0 - h / 2), (x1, y1 + h / 2), int(f), 0.0)

    for y, label in ((start_y, words["start"]), (end_y, words["end"])):
        ax.scatter([width / 2], [y], s=(0.42 * 72) ** 2, c="white", edgecolors="#333333",
                   zorder=2)  # fmt: skip
        ax.text(width / 2, y, label, ha="center", va="center", fontsize=font, zorder=3)
    last = max(sel.n_rows - 1, 0)
    for a, c in _counts(model.start_activities).items():
        if a not in xy:
            continue
        if sel.cells[a][0] == 0:
            arrow((width / 2, start_y - 0.21), (xy[a][0], xy[a][1] + h / 2), int(c), 0.0, "--")
        else:  # no line across the map: the count at the box
            x, y = xy[a][0] - w / 2, xy[a][1] + h / 2 + 0.01
            spots = [(x, y), (x + w / 2, y)]
            placer.place(ax, f"▶ {words['start']} {int(c):,}", spots, ha="left", va="bottom",
                         color="#555555")  # fmt: skip
    for a, c in _counts(model.end_activities).items():
        if a not in xy:
            continue
        if sel.cells[a][0] == last:
            arrow((xy[a][0], xy[a][1] - h / 2), (width / 2, end_y + 0.21), int(c), 0.0, "--")
        else:
            x, y = xy[a][0] - w / 2, xy[a][1] - h / 2 - 0.01
            spots = [(x, y), (x + w / 2, y)]
            placer.place(ax, f"■ {words['end']} {int(c):,}", spots, ha="left", va="top",
                         color="#555555")  # fmt: skip
    for a in sel.activities:
        x, y = xy[a]
        ax.add_patch(
            FancyBboxPatch((x - w / 2, y - h / 2), w, h,
                           boxstyle="round,pad=0.01,rounding_size=0.05", fc=fills[a],
                           ec="#333333", lw=0.7, zorder=2, gid=f"activity:{a}")
        )  # fmt: skip
        name = textwrap.shorten(" ".join(a.split()), width=40, placeholder="…")
        lines = textwrap.wrap(name, 20)[:2] or [""]
        text = "\n".join(lines) + f"\n{int(counts[a]):,}"
        ax.text(x, y, text, ha="center", va="center", fontsize=font,
                color=_text_colour(fills[a]), zorder=3, linespacing=1.05)  # fmt: skip
    notes = [more["edges"].format(shown=len(edges), total=sel.total_edges)]
    if sel.hidden:
        notes.insert(0, more["more"].format(n=sel.hidden, events=f"{sel.hidden_events:,}"))
    ax.text(0.05, 0.05, " · ".join(notes), fontsize=font, ha="left", va="bottom")
    if norm is not None:
        bar = fig.add_axes((0.55, 0.32 / height, 0.4, 0.1 / height))
        cb = fig.colorbar(ScalarMappable(norm=norm, cmap=colormap), cax=bar,
                          orientation="horizontal")  # fmt: skip
        cb.set_label(bar_label or words["value"], fontsize=font, labelpad=1)
        bar.tick_params(labelsize=font, length=2, pad=1)
        bar.xaxis.set_label_position("top")
    fig.rc_map = sel  # type: ignore[attr-defined]
    fig.rc_labels = (placer.placed, placer.dropped)  # type: ignore[attr-defined]
    return fig
