"""The process map stays readable on A4: 7 pt labels, capped size, no overlapping text."""

from __future__ import annotations

import re
import warnings

import matplotlib.text
import pandas as pd
import pytest
from _layout import many_activities_log, overlaps, text_extents

import rpa_candidates as rc
from rpa_candidates.mining import discovery as mining
from rpa_candidates.mining.processmap_draw import map_defaults

#: A4 portrait minus the report's 12 mm side margins, and the 245 mm the print CSS allows.
A4_WIDTH_IN, A4_MAP_HEIGHT_IN = 186 / 25.4, 245 / 25.4


@pytest.fixture(scope="module")
def big(request) -> rc.ProcessModel:
    """A discovered model of 400 activities (replay capped: only the map is tested here)."""
    saved = mining.MAX_REPLAY_CHECKS
    mining.MAX_REPLAY_CHECKS = 20_000
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rc.DataQualityWarning)
            return rc.discover(many_activities_log(400, n_cases=300))
    finally:
        mining.MAX_REPLAY_CHECKS = saved


@pytest.fixture(scope="module")
def wohngeld() -> rc.ProcessModel:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.discover(rc.read_log(rc.synth.simulate("wohngeld", n_cases=300, seed=2).events))


def _sizes(fig) -> list[float]:
    return [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip()]


def _printed_scale(fig) -> float:
    """How much the report's print CSS shrinks the figure on A4 (1.0: printed unscaled)."""
    width, height = fig.get_size_inches()
    return min(1.0, A4_WIDTH_IN / width, A4_MAP_HEIGHT_IN / height)


def test_400_activities_are_capped_and_the_rest_is_stated(big) -> None:
    assert len(big.activities) == 400
    fig = big.figure()
    shown = fig.rc_map.activities
    cap = map_defaults()
    assert 5 <= len(shown) <= cap["max_activities"]
    assert fig.rc_map.n_rows <= cap["max_rows"]
    assert len(fig.axes[0].patches) == len(shown)
    # the most frequent activities are the ones drawn
    ranked = list(big.activities["activity"])
    assert shown == ranked[: len(shown)]
    hidden = 400 - len(shown)
    assert fig.rc_map.hidden == hidden
    hidden_events = int(big.activities["frequency"].iloc[len(shown) :].sum())
    assert fig.rc_map.hidden_events == hidden_events
    texts = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    assert f"{hidden} weitere Tätigkeiten ({hidden_events:,} Ausführungen)" in texts
    english = " ".join(t.get_text() for t in big.figure(lang="en").findobj(matplotlib.text.Text))
    assert f"{hidden} more activities" in english


def test_400_activities_print_at_7_pt_on_a4(big) -> None:
    fig = big.figure()
    scale = _printed_scale(fig)
    assert scale == 1.0, fig.get_size_inches()
    assert min(_sizes(fig)) * scale >= 7.0


def test_no_text_of_the_map_overlaps_another(big, wohngeld) -> None:
    for model in (big, wohngeld):
        fig = model.figure(color_by=model.activities.set_index("activity")["frequency"])
        extents = text_extents(fig)
        assert len(extents) > 2 * len(fig.rc_map.activities)  # boxes, counts, title, notes
        assert overlaps(extents) == []
        width, height = fig.get_size_inches()
        for _, x0, y0, x1, y1 in extents:  # nothing outside the figure
            assert x0 >= -0.01
            assert y0 >= -0.01
            assert x1 <= width + 0.01
            assert y1 <= height + 0.01


def test_small_process_is_drawn_whole(wohngeld) -> None:
    fig = wohngeld.figure()
    assert fig.rc_map.hidden == 0
    assert set(fig.rc_map.activities) == set(wohngeld.activities["activity"])
    assert min(_sizes(fig)) >= 7.0
    assert _printed_scale(fig) == 1.0
    texts = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    assert "weitere Tätigkeiten" not in texts


def test_top_to_bottom(wohngeld) -> None:
    """The first activity of the most frequent variant is drawn above its last one."""
    fig = wohngeld.figure()
    first, *_, last = wohngeld.variants["variant"].iloc[0]
    y = {p.get_gid(): p.get_y() for p in fig.axes[0].patches}
    assert y[f"activity:{first}"] > y[f"activity:{last}"]


def test_caps_are_arguments(big) -> None:
    fig = big.figure(max_activities=8)
    assert len(fig.rc_map.activities) == 8
    assert fig.rc_map.hidden == 392
    dot = big.to_dot(max_activities=8)
    assert len(re.findall(r"^  a\d+ \[label=", dot, flags=re.M)) == 8
    assert "rankdir=TB" in dot
    assert "392 weitere Tätigkeiten" in dot


def test_five_activities(tmp_path) -> None:
    rows = [(c, a, pd.Timestamp("2025-03-03") + pd.Timedelta(hours=c * 5 + i))
            for c in range(20) for i, a in enumerate("ABCDE"[: 3 + c % 3])]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["case", "act", "ts"])
    model = rc.discover(rc.read_log(frame, case="case", activity="act", timestamp="ts"))
    fig = model.figure()
    assert len(fig.axes[0].patches) == 5
    assert fig.rc_map.hidden == 0
    png = model.to_png(tmp_path / "map.png", dpi=120)
    import matplotlib.image

    pixels = matplotlib.image.imread(png)
    width, height = fig.get_size_inches()
    assert pixels.shape[:2] == (round(height * 120), round(width * 120))


def test_a_long_chain_fills_rows_left_to_right() -> None:
    """25 steps in a row would need 25 rows; they fill rows of four, read left to right."""
    names = [f"Schritt {i:02d}" for i in range(25)]
    rows = [(c, a, pd.Timestamp("2025-03-03") + pd.Timedelta(hours=c * 30 + i))
            for c in range(30) for i, a in enumerate(names)]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["case", "act", "ts"])
    model = rc.discover(rc.read_log(frame, case="case", activity="act", timestamp="ts"))
    fig = model.figure()
    sel = fig.rc_map
    assert sel.hidden == 0
    assert sel.n_rows == 7  # ceil(25 / 4)
    assert sel.cells["Schritt 00"][:2] == (0, 0)
    assert sel.cells["Schritt 03"][:2] == (0, 3)
    assert sel.cells["Schritt 04"][:2] == (1, 0)
    x = {p.get_gid(): p.get_x() for p in fig.axes[0].patches}
    assert x["activity:Schritt 00"] < x["activity:Schritt 01"] < x["activity:Schritt 02"]
    assert overlaps(text_extents(fig)) == []
