"""Routines: chains of consecutive candidate steps (hand-built DFG with known chains)."""

from __future__ import annotations

import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.relief.routines import find_routines


def _candidates(rows):
    frame = pd.DataFrame(
        rows,
        columns=["activity", "automatability", "already_automated", "relief_hours_per_year"],
    )
    frame["events_per_year"] = 100.0
    for column in ("relief_hours_low", "relief_hours_high", "relief_fte", "relief_eur_per_year"):
        frame[column] = frame["relief_hours_per_year"]
    return frame


# A -> B -> C always; C -> D in 40 % only; D -> E always; X is already automated; Y is weak
DFG = pd.DataFrame(
    [
        ("A", "B", 100),
        ("B", "C", 100),
        ("C", "D", 40),
        ("C", "Z", 60),
        ("D", "E", 40),
        ("E", "X", 40),
        ("Y", "A", 100),
    ],
    columns=["source", "target", "frequency"],
)
ACTIVITIES = pd.DataFrame(
    {
        "activity": ["A", "B", "C", "D", "E", "X", "Y", "Z"],
        "frequency": [100, 100, 100, 40, 40, 40, 100, 60],
    }
)
CANDIDATES = _candidates(
    [
        ("A", 0.9, False, 10.0),
        ("B", 0.8, False, 20.0),
        ("C", 0.7, False, 30.0),
        ("D", 0.9, False, 5.0),
        ("E", 0.9, False, 1.0),
        ("X", 0.95, True, 0.0),
        ("Y", 0.3, False, 50.0),
        ("Z", 0.2, False, 50.0),
    ]
)


def test_chains_follow_majority_links_among_candidates_only():
    routines = find_routines(CANDIDATES, DFG, ACTIVITIES)
    assert routines["steps"].tolist() == ["A → B → C", "D → E"]
    first = routines.iloc[0]
    assert first["relief_hours_per_year"] == pytest.approx(60.0)
    assert first["min_automatability"] == pytest.approx(0.7)
    assert first["n_steps"] == 3
    assert routines["routine"].tolist() == [1, 2]


def test_thresholds_come_from_data_and_can_be_overridden():
    # with a lower follow share C -> D (40 % of C's executions, 100 % of D's) links too
    assert find_routines(CANDIDATES, DFG, ACTIVITIES, min_follow_share=0.3)["steps"].tolist() == [
        "A → B → C → D → E"
    ]
    assert find_routines(CANDIDATES, DFG, ACTIVITIES, min_automatability=0.85)[
        "steps"
    ].tolist() == ["D → E"]
    with pytest.raises(rc.ParameterError, match="Unknown routine options"):
        find_routines(CANDIDATES, DFG, ACTIVITIES, min_share=0.3)


def test_a_cycle_of_candidates_does_not_loop_forever():
    dfg = pd.DataFrame(
        [("A", "B", 100), ("B", "A", 100)], columns=["source", "target", "frequency"]
    )
    activities = pd.DataFrame({"activity": ["A", "B"], "frequency": [100, 100]})
    routines = find_routines(CANDIDATES[CANDIDATES["activity"].isin(["A", "B"])], dfg, activities)
    assert routines["steps"].tolist() == ["A → B"]
