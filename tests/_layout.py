"""Test helpers: generated logs with many activities, text extents of rendered figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

import rpa_candidates as rc


def many_activities_log(n_activities: int, n_cases: int = 1500, seed: int = 3) -> rc.EventLog:
    """A log whose cases walk forward through ``n_activities`` steps with skips and loops.

    From step ``i`` a case goes to ``i + 1`` … ``i + 4`` (more often to the near ones),
    sometimes back to ``i - 1``, and stops with probability 0.04 per step, so the
    activities' frequencies fall from the first step to the last: every activity occurs.
    """
    rng = np.random.default_rng(seed)
    names = [f"Schritt {i:03d} Vorgang bearbeiten" for i in range(n_activities)]
    rows = []
    start = pd.Timestamp("2025-01-06 08:00")
    for case in range(n_cases):
        t = start + pd.Timedelta(minutes=int(rng.integers(0, 60 * 24 * 300)))
        i = int(rng.integers(0, 3))
        for _ in range(3 * n_activities):
            rows.append((f"C{case:05d}", names[i], t))
            t += pd.Timedelta(minutes=int(rng.integers(5, 90)))
            if rng.random() < 0.04:
                break
            if rng.random() < 0.08 and i > 0:
                i -= 1
            else:
                i += int(rng.choice([1, 2, 3, 4], p=[0.55, 0.25, 0.12, 0.08]))
            if i >= n_activities:
                break
    # every activity at least once, in a case of its own
    for j, name in enumerate(names):
        rows.append((f"X{j:05d}", name, start + pd.Timedelta(hours=j)))
    frame = pd.DataFrame(rows, columns=["Vorgang", "Tätigkeit", "Zeitstempel"])
    return rc.read_log(frame, case="Vorgang", activity="Tätigkeit", timestamp="Zeitstempel")


def text_extents(fig) -> list[tuple[str, float, float, float, float]]:
    """Every visible, non-empty text of ``fig`` with its rendered extent in inches."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    out = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        if box.width <= 0 or box.height <= 0:
            continue
        dpi = fig.dpi
        out.append((text.get_text(), box.x0 / dpi, box.y0 / dpi, box.x1 / dpi, box.y1 / dpi))
    return out


def overlaps(extents, tolerance: float = 0.005) -> list[tuple[str, str]]:
    """Pairs of texts whose extents intersect by more than ``tolerance`` inches."""
    found = []
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(extents):
        for b, bx0, by0, bx1, by1 in extents[i + 1 :]:
            dx = min(ax1, bx1) - max(ax0, bx0)
            dy = min(ay1, by1) - max(ay0, by0)
            if dx > tolerance and dy > tolerance:
                found.append((a, b))
    return found
