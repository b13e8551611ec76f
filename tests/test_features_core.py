"""The indicator catalogue: volume, context and rework families, and the catalogue contract."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.features._registry import catalog_markdown

REPO = Path(__file__).resolve().parents[1]

# Cases: 1 = A B B (ends B), 2 = A C (ends C), 3 = A B D (ends D); one hour apart.
TINY = pd.DataFrame(
    {
        "case": ["1", "1", "1", "2", "2", "3", "3", "3"],
        "act": ["A", "B", "B", "A", "C", "A", "B", "D"],
        "t": pd.date_range("2025-01-06 09:00", periods=8, freq="h").astype(str),
    }
)


@pytest.fixture(scope="module")
def tiny():
    log = rc.read_log(TINY, case="case", activity="act", timestamp="t")
    return rc.activity_features(log).set_index("activity")


def test_columns_are_exactly_the_catalogue(tiny):
    assert list(tiny.columns) == list(rc.features.CATALOG)
    for entry in rc.features.CATALOG.values():
        assert entry.formula
        assert entry.unit
        assert entry.source
        assert entry.direction in {"+", "-", "0", "flag"}


def test_indicators_md_is_generated_from_the_catalogue():
    text = (REPO / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert text == catalog_markdown() + "\n", "run: python docs/make_indicators.py"


def test_volume_by_hand(tiny):
    assert tiny["executions"].to_dict() == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert tiny["cases"].to_dict() == {"A": 3, "B": 2, "C": 1, "D": 1}
    # the log spans 7 hours, annualised over at least one day: factor 365.25
    assert tiny.loc["B", "executions_per_year"] == pytest.approx(3 * 365.25)
    assert tiny.loc["B", "cases_per_year"] == pytest.approx(2 * 365.25)
    assert tiny.loc["B", "case_share"] == pytest.approx(2 / 3)
    assert tiny.loc["B", "executions_per_case"] == pytest.approx(1.5)


def test_context_by_hand(tiny):
    # A: successors B, C, B -> PFv = (1/2)(2/3); H = H(2/3, 1/3)
    assert tiny.loc["A", "successor_standardisation"] == pytest.approx(1 / 3)
    h = -(2 / 3) * math.log2(2 / 3) - (1 / 3) * math.log2(1 / 3)
    assert tiny.loc["A", "successor_entropy"] == pytest.approx(h)
    assert tiny.loc["A", "predecessor_standardisation"] == pytest.approx(1.0)  # always <start>
    # B: predecessors A, B, A; successors B, <end>, D
    assert tiny.loc["B", "predecessor_standardisation"] == pytest.approx(1 / 3)
    assert tiny.loc["B", "successor_standardisation"] == pytest.approx(1 / 9)
    assert tiny.loc["B", "successor_entropy"] == pytest.approx(math.log2(3))
    assert tiny.loc["C", "successor_entropy"] == pytest.approx(0.0)


def test_rework_and_exceptions_by_hand(tiny):
    assert tiny.loc["B", "rework_rate"] == pytest.approx(1 / 3)
    assert tiny.loc["B", "self_loop_rate"] == pytest.approx(1 / 3)
    assert tiny.loc["A", "rework_rate"] == 0.0
    # dominant end: B, C, D once each -> B (ties by name); A's cases 2 and 3 end elsewhere
    assert tiny.loc["A", "exception_rate"] == pytest.approx(2 / 3)
    assert tiny.loc["B", "exception_rate"] == pytest.approx(1 / 2)


def test_rework_rate_recovers_the_simulated_loop():
    sim = rc.synth.simulate("wohngeld", n_cases=3000, seed=11)
    features = rc.activity_features(rc.read_log(sim.events)).set_index("activity")
    truth = sim.truth.set_index("activity")
    loop = truth.loc["Vollständigkeit prüfen", "rework_probability"]
    withdrawn = truth.loc["Unterlagen nachfordern", "exception_probability"]
    # each check is repeated after a request with p = loop · (1 − withdrawn): 1 − c/n = p
    expected = loop * (1 - withdrawn)
    assert features.loc["Vollständigkeit prüfen", "rework_rate"] == pytest.approx(
        expected, abs=0.03
    )
    assert features.loc["Antrag erfassen", "rework_rate"] == 0.0
    assert features.loc["Antrag zurückgezogen", "exception_rate"] == 1.0


def test_attributes_written_by_hand():
    # case 1: A sets amount and channel (2); B repeats them (0); C changes amount and sets
    # notice (2). Case 2: A sets amount only (1); C sets channel (1), amount unchanged.
    log = rc.read_log(
        pd.DataFrame(
            {
                "case": ["1", "1", "1", "2", "2"],
                "act": ["A", "B", "C", "A", "C"],
                "t": pd.date_range("2025-01-06 09:00", periods=5, freq="h").astype(str),
                "amount": [100.0, 100.0, 120.0, 50.0, 50.0],
                "channel": ["post", "post", "post", None, "online"],
                "notice": [None, None, "N1", None, None],
            }
        ),
        case="case",
        activity="act",
        timestamp="t",
    )
    written = rc.activity_features(log).set_index("activity")["attributes_written"]
    assert written.to_dict() == {"A": 1.5, "B": 0.0, "C": 1.5}


def test_attributes_written_without_attributes_is_zero(tiny):
    assert (tiny["attributes_written"] == 0).all()


def test_data_entry_steps_write_the_case_data():
    # the simulator's case attributes are repeated on every event: only each case's first
    # step writes them, later steps write nothing
    sim = rc.synth.simulate("wohngeld", n_cases=200, seed=4)
    log = rc.read_log(sim.events, timestamp="end", start_timestamp="start")
    written = rc.activity_features(log).set_index("activity")["attributes_written"]
    n_attributes = len([c for c in sim.cases.columns if c != "case_id"])
    first = sim.events.groupby("case_id").head(1)["activity"].value_counts()
    executions = sim.events["activity"].value_counts()
    expected = (first.reindex(executions.index, fill_value=0) / executions) * n_attributes
    pd.testing.assert_series_equal(
        written.sort_index(), expected.sort_index(), check_names=False, rtol=1e-12
    )
