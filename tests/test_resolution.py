"""Timestamp resolution and elapsed time: no handling time from stamps that cannot measure it.

Known ground truth: the simulator's logs (second stamps, every start→complete span within
one session); the same logs truncated to days or minutes, or with starts moved a day back;
real logs in ../shared/sample-data (T_BPIC15_2: 40 % of its stamps are dates only).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates import timing
from rpa_candidates.core import engine
from rpa_candidates.handling import resolution
from rpa_candidates.relief import estimate_relief


def _quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return function(*args, **kwargs)


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return rc.synth.simulate("wohngeld", n_cases=300, seed=3).events


def _table(log) -> pd.DataFrame:
    return resolution.activity_resolution(engine.prepare_events(log.frame)).set_index("activity")


def test_simulated_seconds_are_measurable_and_keep_lifecycle(events):
    log = rc.read_log(events)
    table = _table(log)
    assert table.loc[resolution.LOG, "resolution"] == "second"
    assert table["date_only_share"].max() == 0.0
    assert table["measurable"].all()
    sources = set(timing.handling_times(log)["handling_source"])
    assert sources == {"lifecycle"}


def test_minute_stamps_are_minute_resolution_and_still_measure(events):
    cut = events.assign(start=events["start"].dt.floor("min"), end=events["end"].dt.floor("min"))
    log = rc.read_log(cut)
    table = _table(log)
    assert table.loc[resolution.LOG, "resolution"] == "minute"
    assert table.loc[resolution.LOG, "whole_minute_share"] == 1.0
    assert set(timing.handling_times(log)["handling_source"]) == {"lifecycle"}


def test_day_stamps_give_unknown_and_no_relief(events):
    cut = events.assign(start=events["start"].dt.floor("D"), end=events["end"].dt.floor("D"))
    log = rc.read_log(cut)
    table = _table(log)
    assert table.loc[resolution.LOG, "resolution"] == "day"
    assert table.loc[resolution.LOG, "date_only_share"] == 1.0
    assert resolution.unmeasurable(table.reset_index()) == sorted(events["activity"].unique())
    features = _quiet(rc.activity_features, log)
    assert set(features["handling_source"]) == {"unknown"}
    assert features["handling_mean_minutes"].isna().all()
    assert features["instant_share"].isna().all()  # a 0-day span says nothing about instants
    relief = _quiet(estimate_relief, log, features)
    human = relief[relief["automation_rate"] < 1]  # a step done only by a system brings 0
    assert len(human) >= 12
    assert human["relief_hours_per_year"].isna().all()
    assert human["unknown_reason"].str.contains("dates without a time of day").all()
    assert human["unknown_reason"].str.contains("handling_times").all()


def test_day_stamps_with_standard_times_stay_given(events):
    cut = events.assign(start=events["start"].dt.floor("D"), end=events["end"].dt.floor("D"))
    log = rc.read_log(cut)
    table = _quiet(timing.handling_times, log, standard_times={"Antrag erfassen": 12.0})
    source = table.set_index("activity")["handling_source"]
    assert source["Antrag erfassen"] == "given"
    assert (source.drop("Antrag erfassen") == "unknown").all()
    result = _quiet(rc.analyze, log, handling_times={"Antrag erfassen": 12.0})
    row = result.candidates.set_index("activity").loc["Antrag erfassen"]
    assert row["handling_minutes"] == pytest.approx(12.0)
    assert row["relief_hours_per_year"] > 0
    assert result.totals()["relief_hours_per_year"] == pytest.approx(row["relief_hours_per_year"])


def test_spans_across_nights_are_lifecycle_elapsed(events):
    moved = events.copy()
    step = moved["activity"] == "Einkommen berechnen"
    moved.loc[step, "start"] = moved.loc[step, "start"] - pd.Timedelta(days=1)
    log = rc.read_log(moved)
    source = timing.handling_times(log).set_index("activity")["handling_source"]
    assert source["Einkommen berechnen"] == "lifecycle_elapsed"
    assert (source.drop("Einkommen berechnen") == "lifecycle").all()
    features = _quiet(rc.activity_features, log)
    relief = _quiet(estimate_relief, log, features).set_index("activity")
    assert np.isnan(relief.loc["Einkommen berechnen", "relief_hours_per_year"])
    assert "cross a night" in relief.loc["Einkommen berechnen", "unknown_reason"]


def test_credible_spans_only_count_as_work(events):
    """A few overnight spans do not change the source; the mean is over same-day spans."""
    moved = events.copy()
    rows = moved.index[moved["activity"] == "Antrag erfassen"][:10]
    moved.loc[rows, "start"] = moved.loc[rows, "start"] - pd.Timedelta(days=3)
    log = rc.read_log(moved)
    row = timing.handling_times(log).set_index("activity").loc["Antrag erfassen"]
    kept = events[events["activity"] == "Antrag erfassen"].drop(index=rows)
    truth = (kept["end"] - kept["start"]).dt.total_seconds().mean() / 60.0
    assert row["handling_source"] == "lifecycle"
    assert row["handling_mean_minutes"] == pytest.approx(truth, rel=1e-9)


def test_t_bpic15_2_takes_no_handling_time_from_its_dates(sample_data):
    log = rc.read_log(sample_data / "T_BPIC15_2.xes.gz")
    table = _table(log)
    assert table.loc[resolution.LOG, "resolution"] == "day"
    assert table.loc[resolution.LOG, "date_only_share"] == pytest.approx(0.398, abs=0.001)
    with pytest.warns(rc.DataQualityWarning, match="44 step\\(s\\) with date-only timestamps"):
        result = rc.analyze(log)
    c = result.candidates
    assert (c["handling_source"] == "unknown").all()  # was lifecycle: 44,832 h, 28 FTE
    assert c["relief_hours_per_year"].isna().all()
    assert np.isnan(result.totals()["relief_hours_per_year"])
    text = result.to_markdown(lang="en")
    assert "because their stamps carry only a date" in text
    assert "> 44 steps have no handling time from the timestamps" in text  # summary
    assert "01\\_HOOFD\\_8" in text  # the former top step (15,635 h/year)
    assert "handling\\_times" in text
    assert "standard\\_times()" in text


def test_bpi2012_work_items_stay_lifecycle_with_same_day_means(sample_data):
    """Fewer than 1 % of the work items are open overnight; they no longer count as work."""
    log = rc.read_log(sample_data / "BPI_Challenge_2012_W_Two_TS.xes.gz")
    table = _table(log)
    assert table.loc[resolution.LOG, "resolution"] == "subsecond"
    stats = timing.handling_times(log).set_index("activity")
    assert (stats["handling_source"] == "lifecycle").all()
    assert stats["handling_coverage"].min() > 0.99
    # the same-day means of docs/handling-time.md (minutes)
    same_day = {"W_Valideren aanvraag": 16.43, "W_Completeren aanvraag": 6.64}
    for activity, minutes in same_day.items():
        assert stats.loc[activity, "handling_mean_minutes"] == pytest.approx(minutes, abs=0.01)
