"""Chart labels do not overlap: rendered text extents (``get_window_extent``) are disjoint."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _layout import overlaps, text_extents

import rpa_candidates as rc
from rpa_candidates.report.charts import MAX_LABELS, pareto_figure, quick_wins_figure

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo() -> rc.Analysis:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.analyze(rc.read_log(REPO / "sample_logs" / "wohngeld_export.csv"))


def _crowded(n: int = 30, seed: int = 1) -> pd.DataFrame:
    """Candidates bunched in one corner, as in a log of many similar steps."""
    rng = np.random.default_rng(seed)
    hours = 50 + rng.normal(0, 3, n)
    auto = np.clip(0.9 + rng.normal(0, 0.02, n), 0, 1)
    return pd.DataFrame(
        {
            "activity": [f"Bescheid Nummer {i} erstellen und versenden" for i in range(n)],
            "automatability": auto,
            "relief_hours_per_year": hours,
            "expected_relief_hours": hours * auto,
            "events_per_year": rng.integers(50, 500, n).astype(float),
            "already_automated": [False] * n,
        }
    )


@pytest.mark.parametrize("lang", ["de", "en"])
def test_demo_quick_wins_labels_do_not_overlap(demo, lang) -> None:
    fig = quick_wins_figure(demo.candidates, lang)
    extents = text_extents(fig)
    names = {t for t, *_ in extents}
    # the two labels of the screenshot are both drawn, apart
    assert "Zahlung anordnen" in names
    assert "Ablehnungsbescheid erstellen" in names
    assert overlaps(extents) == []


def test_crowded_quick_wins_fall_back_to_numbers_with_a_note() -> None:
    frame = _crowded()
    fig = quick_wins_figure(frame, "de")
    extents = text_extents(fig)
    assert overlaps(extents) == []
    texts = [t for t, *_ in extents]
    note = next((t for t in texts if t.startswith(("1: ", "2: ", "3: ", "4: ", "5: "))), None)
    named = [t for t in texts if t.startswith("Bescheid Nummer")]
    assert note is not None, texts
    # every one of the MAX_LABELS most important points is named or numbered in the note
    assert len(named) + note.count(": ") == MAX_LABELS


def test_pareto_names_do_not_overlap(demo) -> None:
    for frame in (demo.candidates, _crowded(25)):
        fig = pareto_figure(frame, "de")
        extents = text_extents(fig)
        assert overlaps(extents) == []
        assert min(t.get_fontsize() for t in fig.axes[0].get_yticklabels()) >= 7


def test_overlap_check_can_fail() -> None:
    """The check finds two texts drawn on top of each other."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "Zahlung anordnen")
    ax.text(0.52, 0.5, "Ablehnungsbescheid erstellen")
    assert overlaps(text_extents(fig)) != []
