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
    # the defaults: idle correction with hand-overs split off, cap 120 min
    table = accuracy.bpi_table()
    source = table.set_index("activity")["handling_source"]
    # W_Beoordelen fraude (143 gaps, 3 people) fails the identification check; its
    # indicators still describe its gaps (tests/test_identification.py)
    assert set(source.index[source == "resource_gap_unidentified"]) == {"W_Beoordelen fraude"}
    assert set(source.drop("W_Beoordelen fraude")) == {"resource_gap"}
    # issue #14 item 4 against the working-time reference (the items not open across
    # midnight): measured MdAPE of the mean 0.227 over all six, 0.158 over the five kept
    assert table["ape_mean_same_day"].median() <= 0.25
    kept = table[table["handling_source"] == "resource_gap"]
    assert kept["ape_mean_same_day"].median() <= 0.17
    # the working-time reference is what the library itself computes from the real start
    # and complete times (lifecycle: spans within one local day, at most 10 h): measured
    # ratio 0.991-1.000
    lifecycle = accuracy.bpi_lifecycle().merge(table, on="activity", suffixes=("_lc", ""))
    assert (lifecycle["handling_source_lc"] == "lifecycle").all()
    ratio = lifecycle["lifecycle_mean"] / lifecycle["true_mean_same_day"]
    assert ratio.between(0.98, 1.01).all()
    # against the mean of all items, which holds the nightly closes: 0.526 and 0.481; the
    # overnight items carry 22-88 % of each activity's summed start→complete time
    assert table["overnight_share"].between(0.2, 0.9).all()
    assert table["ape_mean"].median() <= 0.54
    assert kept["ape_mean"].median() <= 0.49
    # medians: 0.412 (0.39 with the former cap of 60 min)
    assert table["ape_median"].median() <= 0.43
    # the plain gap (no idle correction), measured 0.977 (medians), 0.235 (means of all
    # items) and 0.773 (means, not open overnight): its mean of all items is close only
    # because the idle time it adds makes up for the nightly closes it cannot see
    plain = accuracy.bpi_table(idle_correction=False)
    assert plain["ape_median"].median() >= 0.9
    assert plain["ape_mean"].median() <= 0.25
    assert plain["ape_mean_same_day"].median() >= 0.7


@pytest.mark.parametrize(
    ("process", "bound"),
    [
        ("wohngeld", 0.04),
        ("gewerbeanmeldung", 0.05),
        ("eingangsrechnung", 0.09),
        ("bewohnerparken", 0.07),
    ],
)
def test_gross_hours_of_complete_only_synthetic_logs(process, bound):
    # 1000 cases, seed 0, start column dropped: median APE of gross hours (human executions
    # x mean handling minutes) against the realised true_handling_hours, per identified
    # resource_gap activity; measured 0.030, 0.038, 0.083, 0.058 (0.017, 0.029, 0.029, 0.029
    # with the former cap of 60 min and no hand-over split; at 300 cases, where the split
    # helps: tests/test_identification.py)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        table = accuracy.synth_table(process, n_cases=1000, seed=0, mode="resource_gap")
    gap = table[table["handling_source"] == "resource_gap"]
    assert len(gap) >= 7
    assert np.isfinite(gap["ape_gross"]).all()
    assert gap["ape_gross"].median() <= bound
