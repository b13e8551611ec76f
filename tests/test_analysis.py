"""analyze(): the ranked candidate list, routines and compare() (issue: relief and ranking)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.analysis import CANDIDATE_COLUMNS, rank_candidates

DESIGN_COLUMNS = [
    "rank", "activity", "automatability", "rule_score", "ml_score", "already_automated",
    "events_per_year", "cases_per_year", "handling_minutes", "handling_source",
    "relief_hours_per_year", "relief_hours_low", "relief_hours_high", "relief_fte",
    "relief_eur_per_year", "payback_months", "reasons",
]  # fmt: skip


@pytest.fixture(scope="module")
def wohngeld():
    sim = rc.synth.simulate("wohngeld", n_cases=600, seed=4)
    return sim, rc.analyze(rc.read_log(sim.events))


def test_candidates_have_the_design_columns_and_every_activity(wohngeld):
    sim, result = wohngeld
    assert CANDIDATE_COLUMNS == DESIGN_COLUMNS
    assert list(result.candidates.columns[: len(DESIGN_COLUMNS)]) == DESIGN_COLUMNS
    assert set(result.candidates["activity"]) == set(sim.events["activity"])
    assert result.candidates["rank"].tolist() == list(range(1, len(result.candidates) + 1))


def test_ranking_rule_expected_relief_then_unknown_then_automated(wohngeld):
    _, result = wohngeld
    c = result.candidates
    automated = c["already_automated"].to_numpy()
    assert (c.loc[automated, "relief_hours_per_year"] == 0).all()
    first_automated = np.argmax(automated) if automated.any() else len(c)
    assert not automated[first_automated:].__contains__(False)  # automated steps come last
    known = c[~c["already_automated"] & c["relief_hours_per_year"].notna()]
    expected = known["relief_hours_per_year"] * known["automatability"]
    assert (np.diff(expected.to_numpy()) <= 1e-9).all()


def test_rank_candidates_by_hand():
    scores = pd.DataFrame(
        {
            "activity": ["a", "b", "c", "d"],
            "automatability": [0.5, 0.9, 0.8, 0.99],
            "rule_score": [0.5] * 4,
            "ml_score": [0.5] * 4,
            "already_automated": [False, False, False, True],
            "reasons": ["r"] * 4,
        }
    )
    relief = pd.DataFrame(
        {
            "activity": ["a", "b", "c", "d"],
            "events_per_year": [1.0] * 4,
            "cases_per_year": [1.0] * 4,
            "handling_minutes": [1.0] * 4,
            "handling_source": ["given"] * 4,
            "relief_hours_per_year": [100.0, 50.0, np.nan, 0.0],
            "relief_hours_low": [1.0] * 4,
            "relief_hours_high": [1.0] * 4,
            "relief_fte": [1.0] * 4,
            "relief_eur_per_year": [1.0] * 4,
            "payback_months": [1.0] * 4,
        }
    )
    ranked = rank_candidates(scores, relief)
    # a: 100 x 0.5 = 50 > b: 50 x 0.9 = 45; c unknown; d already automated
    assert ranked["activity"].tolist() == ["a", "b", "c", "d"]
    assert ranked.loc[0, "expected_relief_hours"] == pytest.approx(50.0)


def test_totals_and_routines_add_up(wohngeld):
    _, result = wohngeld
    totals = result.totals()
    served = result.candidates[~result.candidates["already_automated"]]
    assert totals["relief_hours_per_year"] == pytest.approx(served["relief_hours_per_year"].sum())
    for _, routine in result.routines.iterrows():
        steps = routine["steps"].split(" → ")
        part = result.candidates.set_index("activity").loc[steps]
        assert routine["relief_hours_per_year"] == pytest.approx(
            part["relief_hours_per_year"].sum()
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "receipt.xes.gz",
        "BPI_Challenge_2012_W_Two_TS.xes.gz",
        "BPI_Challenge_2012.xes.gz",
        "T_BPIC15_2.xes.gz",
        "bpic2019_1t_per_variant.xes.gz",
        "running-example.xes.gz",
    ],
)
def test_real_logs_give_finite_numbers_or_a_stated_reason(sample_data, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        result = rc.analyze(rc.read_log(sample_data / name))
    c = result.candidates
    numeric = [
        "automatability", "events_per_year", "cases_per_year", "handling_minutes",
        "relief_hours_per_year", "relief_hours_low", "relief_hours_high", "relief_fte",
        "relief_eur_per_year", "payback_months",
    ]  # fmt: skip
    for _, row in c.iterrows():
        for column in numeric:
            value = row[column]
            assert not (isinstance(value, float) and math.isinf(value)), (column, row["activity"])
            if value is None or (isinstance(value, float) and math.isnan(value)):
                note = row["payback_note"] if column == "payback_months" else row["unknown_reason"]
                if not isinstance(note, str) or not note.strip():  # None or NaN: no reason yet
                    note = row["relief_note"]
                assert isinstance(note, str), (name, row["activity"], column)
                assert note.strip(), (name, row["activity"], column)


def test_compare_two_towns_highlights_and_shares(wohngeld):
    _, town_a = wohngeld
    other = rc.synth.simulate("wohngeld", n_cases=300, seed=9)
    town_b = rc.analyze(rc.read_log(other.events))
    comparison = rc.compare([town_a, town_b], ["Gießen", "Marburg"])
    assert comparison.names == ["Gießen", "Marburg"]
    assert set(comparison.table["town"]) == {"Gießen", "Marburg"}
    shared = comparison.shared.set_index("activity")
    both = town_a.candidates.set_index("activity")["relief_hours_per_year"].add(
        town_b.candidates.set_index("activity")["relief_hours_per_year"], fill_value=0
    )
    for activity, row in shared.iterrows():
        assert row["shared_relief_hours"] == pytest.approx(both[activity])
    assert "Comparison(Gießen, Marburg" in repr(comparison)
    with pytest.raises(rc.ParameterError, match="one name per analysis"):
        rc.compare([town_a, town_b], ["Gießen"])
