"""Discovery and conformance within a bounded amount of work on any log (issue #16).

Behaviour only (which miner, which fitness method, how much was replayed); the times are
in ``benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import numpy as np
import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.mining import discovery
from rpa_candidates.mining._pm4py_discovery import miner_work
from rpa_candidates.mining.model import fitness_summary


def unstructured_log(n_activities: int, n_cases: int, seed: int = 0) -> pd.DataFrame:
    """Cases that walk at random over ``n_activities`` steps: almost every variant unique."""
    rng = np.random.default_rng(seed)
    rows = []
    start = pd.Timestamp("2024-01-08 08:00", tz="Europe/Berlin")
    for case in range(n_cases):
        t = start + pd.Timedelta(hours=int(rng.integers(0, 24 * 300)))
        for step in rng.integers(0, n_activities, size=int(rng.integers(8, 30))):
            t += pd.Timedelta(minutes=int(rng.integers(1, 90)))
            rows.append((f"C{case}", f"Schritt {step:03d}", t, f"R{rng.integers(0, 20)}"))
    return pd.DataFrame(rows, columns=["case", "activity", "timestamp", "resource"])


@pytest.fixture(scope="module")
def unstructured():
    return rc.read_log(unstructured_log(400, 1000))


def test_400_activities_unique_variants_take_the_bounded_route(unstructured):
    result = rc.analyze(unstructured)
    model = result.model
    assert model.variants["cases"].max() == 1  # unique variants
    assert len(model.activities) == 400
    # IMf would recurse once per activity over the whole variant log: IMd on the DFG
    assert miner_work(model.variants) > discovery.MAX_VARIANT_MINER_WORK
    assert model.miner == "IMd"
    # the net is too large for token replay: footprint fitness on the DFG, said so
    assert len(model.petri_net[0].transitions) > discovery.MAX_REPLAY_TRANSITIONS
    assert model.fitness["method"] == "footprints"
    assert 0.0 <= model.fitness["log_fitness"] <= 1.0
    assert "footprint fitness" in fitness_summary(model.fitness)
    assert len(result.candidates) == 400


def test_footprint_fitness_of_a_fitting_model_is_one(monkeypatch):
    log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=300, seed=2).events)
    monkeypatch.setattr(discovery, "MAX_REPLAY_TRANSITIONS", 0)
    model = rc.discover(log, noise=0.0)  # IM: every case fits, so every DFG step is allowed
    assert model.fitness["method"] == "footprints"
    assert model.fitness["log_fitness"] == pytest.approx(1.0)
    assert model.fitness["case_coverage"] == 1.0


def test_token_replay_stops_at_the_time_budget_and_says_so(monkeypatch):
    log = rc.read_log("sample_logs/receipt.xes.gz")
    full = rc.discover(log)
    assert full.fitness["method"] == "token_replay"
    assert full.fitness["stopped_by"] is None
    assert full.fitness["variants_replayed"] == full.fitness["variants_total"] > 50
    monkeypatch.setattr(discovery, "MAX_REPLAY_SECONDS", 0.0)
    cut = rc.discover(log)
    assert cut.fitness["stopped_by"] == "time"
    assert cut.fitness["variants_replayed"] == 50  # the first chunk, most frequent first
    top = cut.variants["cases"].head(50).sum()
    assert cut.fitness["case_coverage"] == pytest.approx(top / cut.n_cases)
    assert "stopped by the time budget" in fitness_summary(cut.fitness)


def test_budget_entries_carry_their_source():
    with (resources.files("rpa_candidates") / "data" / "mining.toml").open("rb") as handle:
        table = tomllib.load(handle)
    assert set(table) >= {
        "max_mining_variants",
        "max_variant_miner_work",
        "max_replay_variants",
        "max_replay_checks",
        "max_replay_transitions",
        "replay_seconds",
    }
    for name, entry in table.items():
        assert {"value", "unit", "source", "year", "verify"} <= set(entry), name


def test_the_report_states_how_the_fitness_was_measured(monkeypatch):
    import json
    import warnings

    log = rc.read_log(rc.synth.simulate("gewerbeanmeldung", n_cases=150, seed=4).events)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        replayed = rc.analyze(log)
        monkeypatch.setattr(discovery, "MAX_REPLAY_TRANSITIONS", 0)
        footprints = rc.analyze(log)
    total = len(replayed.model.variants)
    de = replayed.to_markdown(lang="de")
    assert f"Token-Replay von {total} der {total} Varianten" in de
    assert "alle Varianten" in de
    en = footprints.to_markdown(lang="en")
    assert "footprint fitness on the directly-follows graph" in en
    assert 'id="fitness-note"' in footprints.to_html(lang="en")
    assert json.loads(footprints.to_json())["fitness"]["method"] == "footprints"
