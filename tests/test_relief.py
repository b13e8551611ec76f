"""Relief per activity (rpa_candidates.relief, rpa_candidates.relief.bootstrap) against the truth.

"True hours" (docs/relief.md): the expected yearly human handling hours of the standard-
context executions of a step, times bot_success_rate, computed from the simulator's process
spec — expected standard executions per case from a route-only simulation of 200,000 cases
with another seed, times cases per year (n_cases · 365.25 / days), times the lognormal mean
handling time of the truth. Measured (seeds 0-2, 5,000 cases; 20 seeds, 300 cases):

* with start timestamps (lifecycle): top-five errors ≤ 1.4 % (wohngeld), ≤ 10 % over all
  four processes; 90 % intervals cover the truth in 97-100 % of (seed, activity) pairs;
* without start timestamps (resource_gap with the idle correction): top-five errors
  −5.3 % to +11.9 % over all four processes (before the correction +14 % to +106 % on
  wohngeld, up to +180 % elsewhere).

Run ``PYTHONPATH=src python tests/test_relief.py`` to print the tables.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
import warnings
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.relief.estimate import Assumptions, estimate_relief
from rpa_candidates.synth import PROCESSES
from rpa_candidates.synth.routing import compile_routes, route

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "sample-data"
INTERVAL = ["relief_hours_per_year", "relief_hours_low", "relief_hours_high"]


@functools.cache
def true_relief(
    process: str,
    *,
    n_cases: int,
    days: int = 365,
    bot_success_rate: float = 0.8,
    n_sim: int = 200_000,
    seed: int = 987_654,
) -> pd.DataFrame:
    """Expected yearly relief hours per activity from the simulator's spec (see module doc)."""
    spec = PROCESSES[process]
    rng = np.random.default_rng(seed)
    attrs = spec.attributes(rng, n_sim).reset_index(drop=True)
    acts, _, lengths = route(rng, n_sim, *compile_routes(spec, attrs))
    n_act = len(spec.activities)
    case = np.repeat(np.arange(n_sim), lengths)
    dominant = np.bincount(acts[np.cumsum(lengths) - 1], minlength=n_act).argmax()
    reaches = np.zeros(n_sim, dtype=bool)
    reaches[case[acts == dominant]] = True
    _, first = np.unique(case * n_act + acts, return_index=True)
    per_case = np.bincount(acts[first], weights=reaches[case[first]], minlength=n_act) / n_sim
    rows = []
    for j, act in enumerate(spec.activities):
        system = spec.role(act.role).is_system
        hours = n_cases * 365.25 / days * per_case[j] * act.mean_minutes / 60 * bot_success_rate
        rows.append(
            {
                "activity": act.name,
                "automatable": act.label_class == "highly_automatable" and not system,
                "true_hours": 0.0 if system else hours,
            }
        )
    return pd.DataFrame(rows)


def _relief(process: str, n: int, seed: int, *, starts: bool = True, **kw) -> pd.DataFrame:
    events = rc.synth.simulate(process, n_cases=n, seed=seed).events
    if not starts:
        events = events.drop(columns="start")
    log = rc.read_log(events, timestamp="end", start_timestamp="start" if starts else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return estimate_relief(log, rc.activity_features(log), **kw)


def _top_five(process: str, n: int, seed: int, *, starts: bool = True) -> pd.DataFrame:
    truth = true_relief(process, n_cases=n)
    truth = truth.copy()
    top = truth[truth["automatable"]].nlargest(5, "true_hours").set_index("activity")
    est = _relief(process, n, seed, starts=starts).set_index("activity")
    out = top.join(est[INTERVAL])
    out["error"] = out["relief_hours_per_year"] / out["true_hours"] - 1
    out["covered"] = out["relief_hours_low"].le(out["true_hours"]) & out["true_hours"].le(
        out["relief_hours_high"]
    )
    ranked = est.loc[truth.loc[truth["automatable"], "activity"], "relief_hours_per_year"]
    out.attrs["same_top_five"] = set(ranked.nlargest(5).index) == set(top.index)
    return out


# ------------------------------------------------------------------------------------------
# Assumptions


def test_rates_toml_entries_have_provenance():
    path = resources.files("rpa_candidates") / "data" / "rates.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = {k: v for k, v in table.items() if k != "pay_rates"}
    entries |= {f"pay_rates.{k}": v for k, v in table["pay_rates"].items()}
    for name, entry in entries.items():
        missing = {"value", "unit", "source", "year", "verify"} - set(entry)
        assert not missing, f"{name} lacks {missing}"
        assert str(entry["source"]).strip()
        assert isinstance(entry["year"], int)


def test_assumption_defaults_follow_the_published_tables():
    a = Assumptions()
    assert a.pay_rates == {"mittel": 25.5, "gehoben": 42.2, "hoeher": 70.4, "durchschnitt": 40.7}
    assert (a.hours_per_fte, a.pay_group, a.full_cost) == (1600, "durchschnitt", False)
    assert (a.workplace_cost_eur, a.overhead_share, a.full_cost_hours_per_fte) == (9700, 0.2, 1590)
    assert a.bootstrap_resamples >= 200
    assert a.confidence == 0.9
    table = Assumptions.sources()
    assert list(table.columns) == ["field", "value", "unit", "source", "year", "verify"]
    assert {f.name for f in dataclasses.fields(Assumptions)} - {"pay_rates"} <= set(table["field"])
    assert table["source"].notna().all()
    changed = dataclasses.replace(a, bot_success_rate=0.6).sources().set_index("field")
    assert changed.loc["bot_success_rate", "source"] == "set by the user"
    assert changed.loc["hours_per_fte", "source"].startswith("Statistisches Bundesamt")


@pytest.mark.parametrize(
    "kw",
    [
        {"bot_success_rate": 1.5},
        {"bot_success_rate": -0.1},
        {"bootstrap_resamples": 100},
        {"confidence": 1.0},
        {"pay_group": "A13"},
        {"pay_groups": {"Antrag erfassen": "E9"}},
        {"hours_per_fte": 0},
        {"bot_build_cost_eur": float("nan")},
    ],
)
def test_assumptions_reject_values_outside_their_range(kw):
    with pytest.raises(rc.ParameterError):
        Assumptions(**kw)


def test_assumptions_from_toml(tmp_path):
    path = tmp_path / "annahmen.toml"
    path.write_text(
        'bot_success_rate = 0.7\npay_group = "gehoben"\n[hours_per_fte]\nvalue = 1590\n'
        '[pay_groups]\n"Antrag erfassen" = "mittel"\n',
        encoding="utf-8",
    )
    a = Assumptions.from_toml(path)
    assert (a.bot_success_rate, a.hours_per_fte) == (0.7, 1590)
    assert a.rate("Antrag erfassen") == 25.5
    assert a.rate("Bescheid") == 42.2
    path.write_text("bot_sucess_rate = 0.7\n", encoding="utf-8")
    with pytest.raises(rc.ParameterError, match="bot_sucess_rate"):
        Assumptions.from_toml(path)


# ------------------------------------------------------------------------------------------
# The formula and the money


@pytest.fixture(scope="module")
def wohngeld():
    log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=600, seed=3).events)
    return log, rc.activity_features(log)


def test_columns_follow_the_formula(wohngeld):
    log, features = wohngeld
    a = Assumptions(pay_groups={"Antrag erfassen": "mittel"}, hourly_rate_eur=50.0)
    r = estimate_relief(log, features, assumptions=a)
    assert list(r["activity"]) == list(features["activity"])
    expected = (
        r["events_per_year"]
        * (1 - r["automation_rate"])
        * r["automatable_share"]
        * r["handling_minutes"]
        / 60
        * a.bot_success_rate
    )
    human = r["automation_rate"] < 1
    np.testing.assert_allclose(r.loc[human, "relief_hours_per_year"], expected[human])
    np.testing.assert_allclose(r["relief_fte"], r["relief_hours_per_year"] / 1600)
    rate = np.where(r["activity"] == "Antrag erfassen", 25.5, 50.0)
    np.testing.assert_allclose(
        r["relief_eur_personnel_per_year"], r["relief_hours_per_year"] * rate
    )
    full = r["relief_hours_per_year"] * (rate * 1.2 + 9700 / 1590)
    np.testing.assert_allclose(r["relief_eur_full_cost_per_year"], full)
    assert r["relief_eur_per_year"].equals(r["relief_eur_personnel_per_year"])
    assert list(r.loc[r["activity"] == "Antrag erfassen", "pay_group"]) == ["mittel"]
    known = r["relief_hours_per_year"].notna()
    assert (r.loc[known, "relief_hours_low"] <= r.loc[known, "relief_hours_per_year"]).all()
    assert (r.loc[known, "relief_hours_per_year"] <= r.loc[known, "relief_hours_high"]).all()
    # the batch print run is done by a system user: no human hours, no relief
    printing = r.set_index("activity").loc["Bescheid drucken und versenden"]
    assert printing["automation_rate"] == 1
    assert printing["relief_hours_per_year"] == 0
    assert "automated" in printing["relief_note"]


def test_full_cost_and_payback(wohngeld):
    log, features = wohngeld
    r = estimate_relief(log, features, assumptions=Assumptions(full_cost=True))
    assert r["relief_eur_per_year"].equals(r["relief_eur_full_cost_per_year"])
    ok = r["payback_months"].notna()
    net = (r.loc[ok, "relief_eur_per_year"] - 5000) / 12
    np.testing.assert_allclose(r.loc[ok, "payback_months"], 15000 / net)
    assert r.loc[ok, "payback_note"].isna().all()
    assert (r.loc[ok, "payback_months"] > 0).all()
    costly = estimate_relief(log, features, assumptions=Assumptions(bot_run_cost_eur_per_year=1e9))
    assert costly["payback_months"].isna().all()
    assert set(costly["payback_note"]) <= {"relief below bot running cost", "no relief"}
    assert "kein Nutzen: Entlastung unter Betriebskosten" in set(costly["payback_note_de"])
    free = estimate_relief(log, features, assumptions=Assumptions(bot_build_cost_eur=0))
    assert (free["payback_months"].dropna() == 0).all()


def test_already_automated_steps_bring_no_relief(wohngeld):
    log, features = wohngeld
    scores = pd.DataFrame(
        {
            "activity": features["activity"],
            "already_automated": features["activity"] == "Antrag erfassen",
        }
    )
    r = estimate_relief(log, features, scores).set_index("activity")
    assert r.loc["Antrag erfassen", INTERVAL].tolist() == [0.0, 0.0, 0.0]
    assert r.loc["Antrag erfassen", "relief_note"].startswith("already automated")
    assert r.loc["Antrag erfassen", "payback_note_de"].startswith("bereits automatisiert")
    assert r.loc["Einkommen berechnen", "relief_hours_per_year"] > 0


def test_given_handling_times_are_used(wohngeld):
    log, _ = wohngeld
    features = rc.activity_features(log, handling_times={"Einkommen berechnen": 30})
    row = estimate_relief(log, features).set_index("activity").loc["Einkommen berechnen"]
    assert row["handling_source"] == "given"
    assert row["handling_minutes"] == 30
    assert row["relief_hours_low"] < row["relief_hours_per_year"] < row["relief_hours_high"]


def test_bootstrap_is_seeded(wohngeld):
    log, features = wohngeld
    one = estimate_relief(log, features, assumptions=Assumptions(random_state=7))
    two = estimate_relief(log, features, assumptions=Assumptions(random_state=7))
    pd.testing.assert_frame_equal(one, two)


def test_pooled_bootstrap_matches_the_case_bootstrap():
    # 5,000 cases pooled into 500 groups vs one group per case: same point estimate, and
    # interval widths within the Monte-Carlo error (measured 0.88-1.01 over seeds 0-2)
    per_case = _relief("wohngeld", 5000, 0, assumptions=Assumptions(bootstrap_groups=10**9))
    pooled = _relief("wohngeld", 5000, 0, assumptions=Assumptions(bootstrap_groups=500))
    pd.testing.assert_series_equal(
        per_case["relief_hours_per_year"], pooled["relief_hours_per_year"]
    )
    top = per_case["relief_hours_per_year"].nlargest(5).index
    width = pooled["relief_hours_high"] - pooled["relief_hours_low"]
    reference = per_case["relief_hours_high"] - per_case["relief_hours_low"]
    ratio = (width / reference)[top]
    assert ratio.between(0.85, 1.15).all(), ratio.round(3).tolist()
    with pytest.raises(rc.ParameterError, match="bootstrap_groups"):
        Assumptions(bootstrap_groups=100)


def test_end_activities_make_a_rule_based_rejection_standard():
    default = _relief("bewohnerparken", 400, 0).set_index("activity")
    assert default.loc["Antrag ablehnen", "automatable_share"] == 0
    ends = ["Ausweis versenden", "Antrag ablehnen"]
    both = _relief("bewohnerparken", 400, 0, end_activities=ends).set_index("activity")
    assert both.loc["Antrag ablehnen", "automatable_share"] == 1
    assert both.loc["Antrag ablehnen", "relief_hours_per_year"] > 0


# ------------------------------------------------------------------------------------------
# Annualisation


def test_short_and_cut_logs_are_flagged():
    events = rc.synth.simulate("wohngeld", n_cases=600, seed=2).events
    full = rc.read_log(events)
    with warnings.catch_warnings():
        warnings.simplefilter("error", rc.DataQualityWarning)
        r = estimate_relief(full, rc.activity_features(full))  # a full year: no warning
    assert r["annualisation_note"].isna().all()
    # a window cut out of the year: cases already running at its start, open at its end
    cut = events[(events["end"] >= "2025-04-01") & (events["end"] < "2025-07-01")]
    log = rc.read_log(cut)
    with pytest.warns(rc.DataQualityWarning, match="less than a year"):
        r = estimate_relief(log, rc.activity_features(log))
    note = r["annualisation_note"].iloc[0]
    assert "Incomplete end" in note or "incomplete end" in note
    assert "incomplete start" in note
    assert "unvollständiges Ende" in r["annualisation_note_de"].iloc[0]
    assert np.isfinite(r["events_per_year"]).all()


# ------------------------------------------------------------------------------------------
# Accuracy against the simulator's truth (acceptance)


def test_lifecycle_relief_of_top_five_within_15_percent():
    for process in ("wohngeld", "bewohnerparken"):
        top = _top_five(process, 5000, 0)
        assert top["error"].abs().max() <= 0.15, top
    # bewohnerparken: 5th 27 h vs 6th 17 h, a clear gap; wohngeld's 5th and 6th (189 h vs
    # 178 h, 6 %) swap in one of three seeds, so the ranking is checked where it is defined
    assert top.attrs["same_top_five"]


def test_relief_without_start_times_within_30_percent():
    # resource_gap with the idle correction (rpa_candidates.handling.idle): measured
    # -4.2 % .. -1.9 % on wohngeld and +1.1 % .. +8.0 % on bewohnerparken (seed 0);
    # -5.3 % .. +11.9 % over the four processes and seeds 0-2 (docs/relief.md). Without the
    # correction +15 % .. +101 % on wohngeld. The ranking is not checked: wohngeld's 5th and
    # 6th are 6 % apart.
    top = _top_five("wohngeld", 5000, 0, starts=False)
    assert top["error"].abs().max() <= 0.10, top
    top = _top_five("bewohnerparken", 5000, 0, starts=False)
    assert top["error"].abs().max() <= 0.15, top


def test_interval_covers_the_truth_over_20_seeds():
    covered = []
    for process in ("wohngeld", "bewohnerparken"):
        for seed in range(20):
            covered.extend(_top_five(process, 300, seed)["covered"])
    assert np.mean(covered) >= 0.90, np.mean(covered)


# ------------------------------------------------------------------------------------------
# Real logs


@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/sample-data not available")
@pytest.mark.parametrize(
    "name", sorted(p.name for p in SAMPLE.glob("*.gz")) if SAMPLE.exists() else []
)
def test_real_logs_give_finite_or_explained_numbers(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        log = rc.read_log(SAMPLE / name)
        r = estimate_relief(log, rc.activity_features(log))
    numbers = r.select_dtypes("number")
    assert not np.isinf(numbers.to_numpy()).any()
    unknown = r["unknown_reason"].notna()
    explained = unknown | r["relief_note"].notna()
    assert (r[[*INTERVAL, "relief_fte", "relief_eur_per_year"]].notna().all(axis=1) | unknown).all()
    assert (r["payback_months"].notna() | r["payback_note"].notna()).all()
    for column in ("handling_minutes", "automatable_share", "automation_rate"):
        assert (r[column].notna() | explained).all(), column
    assert (r["unknown_reason_de"].notna() == unknown).all()


if __name__ == "__main__":  # print the measured tables
    pd.set_option("display.width", 200)
    for process in PROCESSES:
        for starts in (True, False):
            tops = [_top_five(process, 5000, seed, starts=starts) for seed in range(3)]
            errors = pd.concat([t["error"] for t in tops], axis=1)
            print(process, "lifecycle" if starts else "no starts", "\n", errors.round(3))
        cov = [c for seed in range(20) for c in _top_five(process, 300, seed)["covered"]]
        print(process, "coverage (20 seeds, 300 cases):", round(float(np.mean(cov)), 3))
