"""Reading the real public logs in ../shared/sample-data (provenance in its SOURCES.md)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.core import engine

ALL_FILES = [
    "BPI_Challenge_2012.xes.gz",
    "BPI_Challenge_2012_W_Two_TS.xes.gz",
    "T_BPIC15_2.xes.gz",
    "bpic2019_1t_per_variant.xes.gz",
    "receipt.csv.gz",
    "receipt.xes.gz",
    "running-example.xes.gz",
]


def _read(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.read_log(path, **kwargs)


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL_FILES)
def test_every_sample_file_reads_with_row_identity(sample_data, name):
    log = _read(sample_data / name)
    q = log.quality
    assert q.rows_read == q.rows_used + q.rows_rejected
    assert q.rows_used > 0
    assert len(q.rejected_rows) == q.rows_rejected
    assert log.n_events == len(log.df)
    assert log.df["time:timestamp"].dt.tz is not None
    # the counts read_log hands to the log equal the engine's own counts
    assert log.n_events == engine.count_rows(log.frame)
    assert (
        log.n_cases
        == engine.count_unique(log.frame, "case_id")
        == log.df["case:concept:name"].nunique()
    )
    assert log.n_activities == engine.count_unique(log.frame, "activity")


def test_receipt_xes_and_csv_read_to_the_same_log(sample_data):
    xes = _read(sample_data / "receipt.xes.gz", pseudonymize=False)
    csv = _read(sample_data / "receipt.csv.gz", pseudonymize=False)
    assert (xes.n_cases, xes.n_events, xes.n_activities) == (1434, 8577, 27)
    assert (csv.n_cases, csv.n_events, csv.n_activities) == (1434, 8577, 27)
    assert set(xes.activities) == set(csv.activities)
    key = ["case_id", "activity", "ts"]
    left = xes.frame.select(key).sort(key)
    right = csv.frame.select(key).sort(key)
    assert left["case_id"].to_list() == right["case_id"].to_list()
    assert left["activity"].to_list() == right["activity"].to_list()
    np.testing.assert_allclose(left["ts"].to_numpy(), right["ts"].to_numpy(), atol=1e-3)
    assert csv.quality.details["delimiter"] == ","


def test_receipt_guesses_xes_column_names(sample_data):
    log = _read(sample_data / "receipt.xes.gz")
    assert log.quality.columns["case"] == "case:concept:name"
    assert log.quality.columns["activity"] == "concept:name"
    assert log.quality.columns["timestamp"] == "time:timestamp"
    assert log.quality.columns["resource"] == "org:resource"
    assert log.quality.column_source["case"] == "guessed"


@pytest.mark.slow
def test_bpic2012_pairing_matches_independent_start_complete_pairs(sample_data):
    """Durations of our instances equal the i-th start / i-th complete pairs computed with
    pm4py's own reader and pandas (an independent reader and algorithm)."""
    log = _read(sample_data / "BPI_Challenge_2012.xes.gz", pseudonymize=False)
    details = log.quality.details["lifecycle"]
    assert details["unused_transitions"] == {"schedule": 26318}
    assert log.quality.rows_read == 262200

    from rpa_candidates.core._pm4py import pm4py_module

    pm4py = pm4py_module()
    ref = pm4py.read_xes(str(sample_data / "BPI_Challenge_2012.xes.gz"))
    ref = ref[["case:concept:name", "concept:name", "lifecycle:transition", "time:timestamp"]]
    ref = ref.assign(kind=ref["lifecycle:transition"].str.lower())
    ref = ref.sort_values("time:timestamp", kind="stable")
    starts = ref[ref["kind"] == "start"].copy()
    completes = ref[ref["kind"] == "complete"].copy()
    group = ["case:concept:name", "concept:name"]
    starts["i"] = starts.groupby(group).cumcount()
    completes["i"] = completes.groupby(group).cumcount()
    pairs = starts.merge(completes, on=[*group, "i"], suffixes=("_s", "_c"))
    expected = (pairs["time:timestamp_c"] - pairs["time:timestamp_s"]).dt.total_seconds()
    assert len(pairs) == 71373  # SOURCES.md: 71,373 pairs, median 137 s
    assert expected.median() == pytest.approx(137, abs=1)

    ours = log.frame.filter(log.frame["start_ts"].is_not_null())
    assert details["paired"] == len(ours) == len(pairs)
    got = (ours["ts"] - ours["start_ts"]).to_numpy()
    assert (got >= 0).all()  # index pairing gives a few negative pairs; FIFO never does
    assert np.median(got) == pytest.approx(expected.median(), abs=1)
    by_key = pd.DataFrame(
        {
            "case": ours["case_id"].to_list(),
            "activity": ours["activity"].to_list(),
            "end": np.round(ours["ts"].to_numpy(), 3),
            "duration": got,
        }
    )
    ref_key = pd.DataFrame(
        {
            "case": pairs["case:concept:name"].to_numpy(),
            "activity": pairs["concept:name"].to_numpy(),
            "end": np.round(pairs["time:timestamp_c"].map(pd.Timestamp.timestamp).to_numpy(), 3),
            "ref": expected.to_numpy(),
        }
    )
    joined = by_key.merge(ref_key, on=["case", "activity", "end"])
    assert len(joined) >= len(pairs) - 10
    agree = np.isclose(joined["duration"], joined["ref"], atol=1e-3)
    assert agree.sum() >= len(pairs) - 10  # the rest: index pairing's misaligned pairs


@pytest.mark.slow
def test_w_two_ts_pairs_every_start(sample_data):
    log = _read(sample_data / "BPI_Challenge_2012_W_Two_TS.xes.gz")
    lifecycle = log.quality.details["lifecycle"]
    assert lifecycle["paired"] == 59302  # SOURCES.md: 59,302 pairs
    assert log.quality.rows_rejected == 0
    durations = (log.frame["ts"] - log.frame["start_ts"]).to_numpy()
    assert np.median(durations) == pytest.approx(149, abs=1)  # SOURCES.md: median 149 s


def test_bpic2019_flags_implausible_dates(sample_data):
    log = _read(sample_data / "bpic2019_1t_per_variant.xes.gz")
    codes = {w.code for w in log.quality.warnings}
    assert "implausible_dates" in codes  # the known 1948 outliers
    assert "no_resource" in codes
    assert log.quality.rows_read == 338247


def test_pm4py_reader_and_rustxes_agree(sample_data):
    path = sample_data / "running-example.xes.gz"
    fast = _read(path, pseudonymize=False)
    slow = _read(path, pseudonymize=False, xes_reader="pm4py")
    assert fast.quality.reader == "rustxes"
    assert slow.quality.reader == "pm4py"
    key = ["case_id", "activity", "resource", "ts"]
    assert fast.frame.select(key).sort(key).equals(slow.frame.select(key).sort(key))


def test_reading_twice_gives_the_identical_table(sample_data):
    """rustxes returns attribute columns in hash-map order; read_log sorts them."""
    first = _read(sample_data / "receipt.xes.gz")
    second = _read(sample_data / "receipt.xes.gz")
    assert first.frame.columns == second.frame.columns
    assert first.frame.equals(second.frame)
