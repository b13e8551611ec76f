"""The prepared frame: the polars fast path equals the portable narwhals windows."""

from __future__ import annotations

import narwhals as nw
import pandas as pd
import polars as pl
import pytest

import rpa_candidates as rc
from rpa_candidates.core import engine


def _both(log: rc.EventLog, *, shuffle: bool = False) -> tuple[pl.DataFrame, pl.DataFrame]:
    frame = engine.keyed(engine.events(log.frame).select(*engine.CANONICAL)).to_native().collect()
    if shuffle:
        frame = frame.sample(fraction=1.0, shuffle=True, seed=3)
    generic = engine._prepare(nw.from_native(frame.lazy())).collect().to_native()
    return generic, engine._prepare_polars(frame)


@pytest.mark.parametrize("process", ["wohngeld", "bewohnerparken"])
@pytest.mark.parametrize("starts", [True, False])
@pytest.mark.parametrize("shuffle", [False, True])
def test_fast_path_equals_windows_on_synth(process, starts, shuffle):
    events = rc.synth.simulate(process, n_cases=300, seed=4).events
    log = rc.read_log(events) if starts else rc.read_log(events.drop(columns="start"))
    generic, fast = _both(log, shuffle=shuffle)
    assert fast.schema == generic.schema
    assert fast.equals(generic)
    # the read_log order is the case order: no sort needed, and the batches are there
    assert fast["same_time"].sum() > 0


@pytest.mark.filterwarnings("ignore::rpa_candidates.core.errors.DataQualityWarning")
def test_fast_path_equals_windows_on_bpi2012(sample_data):
    log = rc.read_log(sample_data / "BPI_Challenge_2012.xes.gz")
    generic, fast = _both(log, shuffle=True)
    assert fast.equals(generic)
    assert int(fast["same_time"].sum()) == int(generic["same_time"].sum()) > 0


def test_case_windows_and_same_time_by_hand():
    # rows in (ts, row) order: case 1 B@10 (r2), case 2 A@10 (r1), case 1 A@10 (r1, the
    # same second as case 2's A: a batch of r1), case 1 C@20 (no resource), case 2 B@30 (r1)
    frame = pd.DataFrame(
        {
            "case_id": ["2", "1", "1", "2", "1"],
            "activity": ["B", "C", "B", "A", "A"],
            "resource": ["r1", None, "r2", "r1", "r1"],
            "ts": pd.to_datetime([30, 20, 10, 10, 10], unit="s", utc=True),
        }
    )
    log = rc.read_log(frame, case="case_id", activity="activity", timestamp="ts")
    generic, fast = _both(log, shuffle=True)
    assert fast.equals(generic)
    out = engine.strings(nw.from_native(fast.lazy())).collect().to_pandas()
    out = out.sort_values(["ts", "row"])
    assert out["activity"].tolist() == ["B", "A", "A", "C", "B"]
    assert out["prev_activity"].fillna("-").tolist() == ["-", "-", "B", "A", "A"]
    assert out["next_activity"].fillna("-").tolist() == ["A", "B", "C", "-", "-"]
    assert out["case_events"].tolist() == [3, 2, 3, 3, 2]
    assert out["case_last"].tolist() == ["C", "B", "C", "C", "B"]
    assert out["same_time"].tolist() == [False, True, True, False, False]
    assert out["prev_resource_ts"].tolist()[2::2] == [10.0, 10.0]
    assert out["prev_resource_ts"].isna().tolist() == [True, True, False, True, False]
