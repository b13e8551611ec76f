"""Labels next to points of a chart that overlap neither each other nor the chart's texts.

:func:`place_labels` tries, for each point in the given order (most important first),
eight positions around it (right above, right below, left above, left below, above,
below, right, left) and keeps the first whose rendered extent
(``Text.get_window_extent``) stays inside the axes and overlaps no text placed so far
nor any obstacle (legend, zone label). A point with no free position gets its number
instead of its name (same search); the numbers are explained in a line under the chart
(:func:`numbered_note`). A number with no free place either is left out of the chart and
still listed in the note. Deterministic: no randomness, no iteration to convergence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.transforms import Bbox

__all__ = ["numbered_note", "place_labels"]

#: Offsets in points and alignments, tried in this order.
_SPOTS = (
    ((5, 4), "left", "bottom"),
    ((5, -4), "left", "top"),
    ((-5, 4), "right", "bottom"),
    ((-5, -4), "right", "top"),
    ((0, 7), "center", "bottom"),
    ((0, -7), "center", "top"),
    ((8, 0), "left", "center"),
    ((-8, 0), "right", "center"),
)


def _free(box: Bbox, taken: list[Bbox], frame: Bbox) -> bool:
    inside = box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1
    return inside and not any(box.overlaps(other) for other in taken)


def _try(ax: Axes, renderer: Any, text: str, xy: tuple[float, float], taken, frame, size):
    for offset, ha, va in _SPOTS:
        label = ax.annotate(text, xy, xytext=offset, textcoords="offset points", ha=ha, va=va,
                            fontsize=size, zorder=4, parse_math=False)  # fmt: skip
        box = label.get_window_extent(renderer).expanded(1.04, 1.08)
        if _free(box, taken, frame):
            taken.append(box)
            return label
        label.remove()
    return None


def place_labels(  # names are data: never parsed as mathtext
    ax: Axes,
    points: list[tuple[float, float]],
    names: list[str],
    *,
    fontsize: float = 7.0,
    obstacles: list[Any] = (),
) -> list[tuple[int, str]]:
    """Label ``points`` with ``names`` without overlaps; return the numbered ones.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Its figure must have its final size and layout (no constrained layout later).
    points : list of (x, y)
        Data coordinates, most important first.
    names : list of str
    fontsize : float, default=7.0
    obstacles : list of matplotlib artists
        Texts or legends already on the axes that labels must not cover.

    Returns
    -------
    list of (int, str)
        ``(number, name)`` of the points labelled by their number (1-based position in
        ``points``), for :func:`numbered_note`.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = [a.get_window_extent(renderer) for a in obstacles]
    numbered: list[tuple[int, str]] = []
    for i, (xy, name) in enumerate(zip(points, names, strict=True), 1):
        if _try(ax, renderer, name, xy, taken, frame, fontsize) is None:
            numbered.append((i, name))
            _try(ax, renderer, str(i), xy, taken, frame, fontsize)
    return numbered


def numbered_note(numbered: list[tuple[int, str]]) -> str:
    """``"2: Zahlung anordnen · 5: Ablehnungsbescheid erstellen"``."""
    return " · ".join(f"{i}: {name}" for i, name in numbered)
