"""Resource-gap estimates the gaps do not identify are flagged, not returned (#14 item 4).

Known ground truth: the simulator's complete-only logs, whose realised handling hours are
known. With 300 cases a year the staff of eingangsrechnung and bewohnerparken are idle
most of the time, and the idle model cannot separate handling from idle time (gross hours
off by up to 5x); the bootstrap of :func:`rpa_candidates.handling.idle.identification`
finds those activities and the analysis reports them as ``resource_gap_unidentified``.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates import timing
from rpa_candidates.core import engine
from rpa_candidates.handling import estimators, idle

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "handling_accuracy.py"
_SPEC = importlib.util.spec_from_file_location("handling_accuracy", _PATH)
accuracy = importlib.util.module_from_spec(_SPEC)
sys.modules.setdefault("handling_accuracy", accuracy)
_SPEC.loader.exec_module(accuracy)


def _quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return function(*args, **kwargs)


def _complete_only(process: str, n_cases: int, seed: int):
    sim = rc.synth.simulate(process, n_cases=n_cases, seed=seed)
    log = rc.read_log(sim.events.drop(columns="start"), timestamp="end", pseudonymize=False)
    staff = sim.staff.rename(columns={"system": "automated"})[["resource", "automated"]]
    return sim, log, staff


def _histogram(log, staff):
    s = timing.load_settings()
    inst = estimators.estimator_instances(
        engine.prepare_events(log.frame), s, estimators._automated(staff), idle_correction=False
    )
    return idle._histogram(inst, s.idle_bin_seconds, s.idle_handover_split)[1], s


def _cap(s) -> float:
    return s.resource_gap_cap_minutes * 60.0


def test_busy_steps_are_identified_and_idle_ones_are_not():
    # wohngeld, 1000 cases: staff busy enough, every activity with 100 gaps or more is
    # identified (spread <= 0.1); bewohnerparken, 300 cases: staff idle > 95 % of the time,
    # most activities not
    _, log, staff = _complete_only("wohngeld", 1000, 0)
    hist, s = _histogram(log, staff)
    table, params = idle.fit(hist, width=s.idle_bin_seconds, cap=_cap(s))
    busy = idle.identification(hist, table, params, width=s.idle_bin_seconds, cap=_cap(s))
    gaps = hist.groupby("activity")["n"].sum()
    assert len(gaps[gaps >= 100]) >= 8
    assert busy[gaps[gaps >= 100].index].max() <= s.idle_max_log_sd
    _, log, staff = _complete_only("bewohnerparken", 300, 0)
    hist, s = _histogram(log, staff)
    table, params = idle.fit(hist, width=s.idle_bin_seconds, cap=_cap(s))
    idle_spread = idle.identification(hist, table, params, width=s.idle_bin_seconds, cap=_cap(s))
    assert (idle_spread > s.idle_max_log_sd).mean() >= 0.5
    # the same seed gives the same spread (the bootstrap is seeded)
    again = idle.identification(hist, table, params, width=s.idle_bin_seconds, cap=_cap(s))
    pd.testing.assert_series_equal(idle_spread, again)


def test_activity_means_are_the_mean_of_the_corrected_gaps():
    _, log, staff = _complete_only("gewerbeanmeldung", 1000, 1)
    hist, s = _histogram(log, staff)
    table, _ = idle.fit(hist, width=s.idle_bin_seconds, cap=_cap(s))
    means = idle.activity_means(table, hist, s.idle_bin_seconds) / 60.0
    est = timing.handling_times(log, resources=staff, idle_max_log_sd=np.inf)
    est = est[est["handling_source"] == "resource_gap"]  # not the case_gap fallbacks
    est = est.set_index("activity")["handling_mean_minutes"]
    # the grid value (bin centres) and the per-instance value (exact gaps) agree closely
    common = means.index.intersection(est.dropna().index)
    assert len(common) >= 8
    assert np.allclose(means[common], est[common], rtol=0.05)


@pytest.mark.slow
def test_flagged_steps_are_those_with_wrong_gross_hours():
    # 300 cases, seeds 0-2, 4 processes, 120 resource_gap activities; measured: 78 flagged;
    # MdAPE of gross hours 0.222 over all, 0.053 over the kept ones (bewohnerparken 0.681
    # -> 0.044, gewerbeanmeldung 0.180 -> 0.168); 56 of the 64 activities off by more than
    # 20 % are flagged (before the hand-over split, cap 60 min: 61 of 119 flagged, kept
    # 0.084, and two logs whose kept activities were off by a median 70 % and 96 %)
    table = accuracy.identification_table(300, [0, 1, 2])
    assert table.loc["all", "activities"] == 120
    assert table.loc["bewohnerparken", "mdape_all"] > 0.6
    assert (table["mdape_kept"] <= 0.18).all()
    assert table.loc["all", "mdape_kept"] <= 0.06
    assert table.loc["all", "of_them_flagged"] >= 55
    assert table.loc["all", "flagged"] <= 80


def test_unidentified_steps_get_no_relief_and_are_reported():
    _, log, _staff = _complete_only("bewohnerparken", 300, 0)
    result = _quiet(rc.analyze, log)
    c = result.candidates.set_index("activity")
    weak = c.index[c["handling_source"] == timing.UNIDENTIFIED]
    assert len(weak) >= 3
    assert c.loc[weak, "relief_hours_per_year"].isna().all()
    assert c.loc[weak, "handling_minutes"].isna().all()
    assert c.loc[weak, "unknown_reason"].str.contains("idle time").all()
    assert c.loc[weak, "unknown_reason_de"].str.contains("Leerlaufzeit").all()
    # the totals hold only steps with a handling time
    kept = c["relief_hours_per_year"].fillna(0).sum()
    assert result.totals()["relief_hours_per_year"] == pytest.approx(kept)
    for lang, word in (("de", "Stichproben desselben"), ("en", "resamples of the same")):
        text = result.to_markdown(lang=lang)
        line = next(x for x in text.splitlines() if word in x and weak[0] in x)
        assert all(step in line for step in weak)
