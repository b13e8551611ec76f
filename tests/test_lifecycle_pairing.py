"""Lifecycle pairing: hand-built cases and a property test against a reference FIFO."""

from __future__ import annotations

from collections import deque

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rpa_candidates as rc


def _log(rows, **kwargs):
    columns = ["case", "activity", "time", "transition", "seq"][: len(rows[0])]
    frame = pd.DataFrame(rows, columns=columns)
    return rc.read_log(
        frame,
        case="case",
        activity="activity",
        timestamp="time",
        lifecycle="transition",
        pseudonymize=False,
        **kwargs,
    )


def test_start_and_complete_become_one_instance_with_both_times():
    log = _log(
        [
            ("c1", "Antrag erfassen", "2025-02-03T09:00:00+01:00", "start"),
            ("c1", "Antrag erfassen", "2025-02-03T09:12:30+01:00", "complete"),
            ("c1", "Bescheid drucken", "2025-02-03T10:00:00+01:00", "complete"),
        ]
    )
    frame = log.frame.sort("ts")
    assert frame.height == 2
    first = frame.row(0, named=True)
    assert first["ts"] - first["start_ts"] == pytest.approx(750.0)
    assert frame.row(1, named=True)["start_ts"] is None
    q = log.quality
    assert (q.rows_read, q.rows_used, q.rows_rejected) == (3, 3, 0)
    assert q.details["lifecycle"]["paired"] == 1
    assert q.details["lifecycle"]["atomic"] == 1


def test_unmatched_events_are_reported_not_dropped():
    with pytest.warns(rc.DataQualityWarning, match="start event that no complete"):
        log = _log(
            [
                ("c1", "A", "2025-02-03T09:00:00Z", "start"),
                ("c1", "A", "2025-02-03T09:05:00Z", "complete"),
                ("c1", "A", "2025-02-03T09:06:00Z", "complete"),  # no start left
                ("c1", "A", "2025-02-03T09:07:00Z", "start"),  # never completed
                ("c1", "A", "2025-02-03T09:07:30Z", "schedule"),
            ]
        )
    q = log.quality
    assert q.rejected == {"unused_lifecycle_transition": 1, "unmatched_start": 1}
    assert q.adjusted["unmatched_complete"] == 1
    assert q.rows_read == q.rows_used + q.rows_rejected == 5
    assert sorted(q.rejected_rows["row"]) == [3, 4]
    assert log.n_events == 2


def test_upper_case_transitions_and_fifo_order():
    log = _log(
        [
            ("c1", "A", "2025-02-03T09:00:00Z", "START"),
            ("c1", "A", "2025-02-03T09:01:00Z", "START"),
            ("c1", "A", "2025-02-03T09:10:00Z", "COMPLETE"),
            ("c1", "A", "2025-02-03T09:20:00Z", "COMPLETE"),
        ]
    )
    durations = (log.frame["ts"] - log.frame["start_ts"]).sort().to_list()
    assert durations == [600.0, 1140.0]  # 09:00->09:10 and 09:01->09:20 (first in, first out)


def _reference_fifo(events):
    """Plain-Python FIFO: (start, complete) pairs, open starts, lone completes."""
    open_starts: deque = deque()
    pairs, lone = [], 0
    for time, kind in sorted(events, key=lambda e: (e[0], 0 if e[1] == "start" else 1)):
        if kind == "start":
            open_starts.append(time)
        elif open_starts:
            pairs.append((open_starts.popleft(), time))
        else:
            lone += 1
    return sorted(pairs), len(open_starts), lone


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.sampled_from(["start", "complete"])),
        min_size=1,
        max_size=25,
    )
)
def test_pairing_matches_reference_fifo(events):
    base = pd.Timestamp("2025-03-03T08:00:00Z")
    # "seq" keeps equal events apart: exact duplicates are rejected by design.
    rows = [
        ("c", "A", (base + pd.Timedelta(minutes=m)).isoformat(), k, i)
        for i, (m, k) in enumerate(events)
    ]
    pairs, open_starts, lone = _reference_fifo(events)
    has_start = any(k == "start" for _, k in events)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        log = _log(rows)
    frame = log.frame.filter(log.frame["start_ts"].is_not_null())
    t0 = base.timestamp()
    got = sorted(
        (round((s - t0) / 60), round((e - t0) / 60))
        for s, e in zip(frame["start_ts"], frame["ts"], strict=True)
    )
    assert got == pairs
    q = log.quality
    assert q.rejected.get("unmatched_start", 0) == open_starts
    if has_start:
        assert q.adjusted.get("unmatched_complete", 0) == lone
    assert q.rows_read == q.rows_used + q.rows_rejected
