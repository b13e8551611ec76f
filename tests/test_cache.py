"""The disk cache of results between processes (rpa_candidates.core.cache) and the idle
model's use of it: a second process reads the fit instead of computing it again."""

from __future__ import annotations

import warnings

import pandas as pd

import rpa_candidates as rc
from rpa_candidates import timing
from rpa_candidates.core import cache
from rpa_candidates.handling import idle


def test_stored_computes_once_and_is_keyed_by_inputs_and_source(tmp_path, monkeypatch):
    monkeypatch.setenv("RPA_CANDIDATES_CACHE", str(tmp_path))
    calls = []

    def make(value):
        def inner():
            calls.append(value)
            return {"value": value}

        return inner

    first = tmp_path / "one.py"
    first.write_text("x = 1\n")
    assert cache.stored("kind", "key", str(first), make(1)) == {"value": 1}
    assert cache.stored("kind", "key", str(first), make(2)) == {"value": 1}  # read back
    assert calls == [1]
    assert cache.stored("kind", "other key", str(first), make(3)) == {"value": 3}
    first.write_text("x = 2\n")  # a changed module never reads the old result
    assert cache.stored("kind", "key", str(first), make(4)) == {"value": 4}
    assert calls == [1, 3, 4]
    assert len(list((tmp_path / "kind").glob("*.pkl"))) == 3
    assert not list((tmp_path / "kind").glob("*.tmp"))
    # a result computed by two modules (the idle fit: idle.py and idle_em.py) is keyed by
    # both sources: a change in either computes it again
    second = tmp_path / "two.py"
    second.write_text("y = 1\n")
    both = (str(first), str(second))
    assert cache.stored("kind", "key", both, make(5)) == {"value": 5}
    assert cache.stored("kind", "key", both, make(6)) == {"value": 5}
    second.write_text("y = 2\n")
    assert cache.stored("kind", "key", both, make(7)) == {"value": 7}
    assert calls == [1, 3, 4, 5, 7]


def test_stored_keeps_at_most_keep_files(tmp_path, monkeypatch):
    monkeypatch.setenv("RPA_CANDIDATES_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "KEEP", 3)
    for i in range(5):
        cache.stored("kind", f"key {i}", cache.__file__, lambda i=i: i)
    assert len(list((tmp_path / "kind").glob("*.pkl"))) == 3


def test_stored_without_a_usable_folder_just_computes(tmp_path, monkeypatch):
    monkeypatch.setenv("RPA_CANDIDATES_CACHE", "")
    assert cache.cache_folder() is None
    assert cache.stored("kind", "key", cache.__file__, lambda: 5) == 5
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("RPA_CANDIDATES_CACHE", str(blocked))
    assert cache.stored("kind", "key", cache.__file__, lambda: 6) == 6
    # a damaged file is computed again
    monkeypatch.setenv("RPA_CANDIDATES_CACHE", str(tmp_path / "c"))
    assert cache.stored("kind", "key", cache.__file__, lambda: 7) == 7
    (damaged,) = (tmp_path / "c" / "kind").glob("*.pkl")
    damaged.write_bytes(b"\x80\x05garbage")
    assert cache.stored("kind", "key", cache.__file__, lambda: 8) == 8


def test_idle_fit_of_an_earlier_process_is_read_from_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("RPA_CANDIDATES_CACHE", str(tmp_path))
    events = rc.synth.simulate("wohngeld", n_cases=120, seed=2).events.drop(columns="start")
    log = rc.read_log(events, timestamp="end", pseudonymize=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        idle._CACHE.clear()
        first = timing.handling_times(log)
        files = list((tmp_path / "idle-fit").glob("*.pkl"))
        assert len(files) == 2  # the fit, the spread
        # numbers only: no staff name (pseudonymize=False here) and no activity name on disk
        names = set(events["resource"]) | set(events["activity"])
        assert len(names) > 10
        for path in files:
            data = path.read_bytes()
            assert not [n for n in names if n.encode() in data]
        idle._CACHE.clear()  # a new process: memory is empty

        def no_fit(*args, **kwargs):
            raise AssertionError("the fit should come from the disk cache")

        monkeypatch.setattr(idle, "fit", no_fit)
        again = timing.handling_times(log)
    # (the last bits of a std may differ between two polars group-bys)
    pd.testing.assert_frame_equal(again, first, rtol=1e-9)
    assert (first["handling_source"] == "resource_gap").any()
