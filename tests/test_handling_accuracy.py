"""Accuracy of the mean handling minutes without start times (issue #14, item 4).

Measured by ``benchmarks/handling_accuracy.py`` (the same functions, imported here) and
quoted in docs/handling-time.md: BPI Challenge 2012 W with the start times dropped against
its real start→complete means, and the simulator's complete-only logs against their
realised handling hours.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import rpa_candidates as rc

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "handling_accuracy.py"
_SPEC = importlib.util.spec_from_file_location("handling_accuracy", _PATH)
accuracy = importlib.util.module_from_spec(_SPEC)
sys.modules["handling_accuracy"] = accuracy
_SPEC.loader.exec_module(accuracy)

needs_bpi = pytest.mark.skipif(not accuracy.BPI_W.is_file(), reason="BPIC 2012 W not found")


@needs_bpi
@pytest.mark.slow
def test_bpic2012_w_overnight_items_are_closed_by_the_system():
    night = accuracy.overnight_items(rc.read_log(accuracy.BPI_W, pseudonymize=False))
    # 230 of 59,302 items are open across midnight; 214 of them are completed between
    # 06:15:00 and 06:15:09 local time the next morning: a nightly job closes open work
    # items, and their start→complete time (median 15 h) is not work
    assert len(night) == 230
    assert night["clock_hour"].between(6.25, 6.2525).sum() == 214
    assert 14 < night["hours"].median() < 16


@needs_bpi
@pytest.mark.slow
def test_bpic2012_w_mean_handling_minutes_against_real_durations():
    table = accuracy.bpi_table()
    source = table.set_index("activity")["handling_source"]
    assert set(source.index[source == "resource_gap_unidentified"]) == {"W_Beoordelen fraude"}
    # over the five identified activities: 0.498 and 0.326
    kept = table[table["handling_source"] == "resource_gap"]
    assert kept["ape_mean"].median() <= 0.51
    assert kept["ape_mean_same_day"].median() <= 0.33
    # the overnight items carry 22-88 % of each activity's summed start→complete time
    assert table["overnight_share"].between(0.2, 0.9).all()
    # measured MdAPE of the mean: 0.560 against all items, 0.332 against the items not open
    # across midnight (docs/handling-time.md)
    assert table["ape_mean"].median() <= 0.57
    assert table["ape_mean_same_day"].median() <= 0.34
    # a cap of 120 min lets the longer executions in: measured 0.410 and 0.227
    wide = accuracy.bpi_table(cap_minutes=120)
    assert wide["ape_mean"].median() <= 0.42
    assert wide["ape_mean_same_day"].median() <= 0.25


@pytest.mark.parametrize(
    ("process", "bound"),
    [
        ("wohngeld", 0.05),
        ("gewerbeanmeldung", 0.06),
        ("eingangsrechnung", 0.08),
        ("bewohnerparken", 0.05),
    ],
)
def test_gross_hours_of_complete_only_synthetic_logs(process, bound):
    # 1000 cases, seed 0, start column dropped: median APE of gross hours (human executions
    # x mean handling minutes) against the realised true_handling_hours, per identified
    # resource_gap activity; measured 0.017, 0.029, 0.029, 0.029 (0.017, 0.036, 0.047, 0.020
    # before the identification check; at 300 cases: tests/test_identification.py)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        table = accuracy.synth_table(process, n_cases=1000, seed=0, mode="resource_gap")
    gap = table[table["handling_source"] == "resource_gap"]
    assert len(gap) >= 7
    assert np.isfinite(gap["ape_gross"]).all()
    assert gap["ape_gross"].median() <= bound
