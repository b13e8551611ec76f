"""Already-automated resources: by name, by behaviour, by the user's word.

What the rule finds (measured when the thresholds of data/automation.toml were set):

* BPI Challenge 2012 (68 resources): only "112", the bank's system user, and by two
  independent tests (99 % of its steps within 60 s of the previous step of the case; night
  or Sunday work on 93 % of its 166 active days). No person is flagged: the next highest
  night/Sunday day share is 0.38, the next highest quick-reaction share of a resource without
  recorded durations is 0.60, the highest instant share of a person (at least 20 recorded
  durations) is 0.024.
* rc.synth, all four processes, opaque ids, name patterns switched off, 300 and 1,500 cases:
  every system and batch user is found and no person is flagged (recall 1.0, precision 1.0).
  Without start times the RPA bot of eingangsrechnung ("E-Rechnung einlesen", always the
  first step of its case, at arrival during office hours) cannot be told from a person: that
  case is left to names and overrides.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.core.resources import automation_defaults, classify_resources, fold_name

COLUMNS = [
    "resource",
    "automated",
    "by_name",
    "by_behaviour",
    "by_override",
    "reason",
    "reason_de",
    "events",
    "active_days",
    "measured_durations",
    "instant_share",
    "quick_reaction_share",
    "night_sunday_day_share",
    "off_hours_share",
    "night_weekend_share",
    "batch_share",
]
NO_NAMES = {"tokens": [], "stems": []}


def _read(events: pd.DataFrame) -> rc.EventLog:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.read_log(events)


def _found(log: rc.EventLog, table: pd.DataFrame) -> set[str]:
    """Original names of the flagged resources (the test may look, the table never shows them)."""
    names = log._identities["resource"]
    return {names[p] for p in table.loc[table["automated"], "resource"]}


@pytest.fixture(scope="module")
def bpi2012(sample_data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        log = rc.read_log(sample_data / "BPI_Challenge_2012.xes.gz")
    return log, classify_resources(log)


@pytest.mark.slow
def test_bpi2012_finds_the_numeric_system_user_by_behaviour(bpi2012):
    log, table = bpi2012
    assert list(table.columns) == COLUMNS
    assert len(table) == 68
    assert _found(log, table) == {"112"}  # and no person (at most a few would be tolerable)
    row = table.loc[table["automated"]].iloc[0]
    assert row["by_behaviour"]
    assert not row["by_name"]
    assert "night" in row["reason"]
    assert "nachts" in row["reason_de"]
    # the next most system-like person stays well below each threshold
    people = table.loc[~table["automated"]]
    assert people["night_sunday_day_share"].max() < 0.4
    assert people.loc[people["measured_durations"] == 0, "quick_reaction_share"].max() < 0.75


@pytest.mark.slow
def test_output_holds_pseudonyms_only(bpi2012):
    log, table = bpi2012
    originals = set(log._identities["resource"].values())
    text = table.to_csv()
    assert not any(f",{name}," in text for name in originals)
    assert table["resource"].str.startswith("MA-").all()
    assert table["resource"].is_monotonic_increasing  # sorted by pseudonym, not by a measure


@pytest.mark.parametrize("process", sorted(rc.synth.PROCESSES))
def test_synth_behaviour_alone_finds_every_automated_step(process):
    sim = rc.synth.simulate(process, n_cases=300, seed=7, resource_names="opaque")
    log = _read(sim.events)
    table = classify_resources(log, patterns=NO_NAMES)
    assert not table["by_name"].any()
    assert _found(log, table) == set(sim.staff.loc[sim.staff["system"], "resource"])
    # every already-automated step of the truth is done by a flagged resource
    automated = set(sim.truth.loc[sim.truth["already_automated"], "activity"])
    pseudonyms = set(table.loc[table["automated"], "resource"])
    frame = log.frame.to_pandas()
    by_flagged = frame.groupby("activity")["resource"].agg(lambda r: r.isin(pseudonyms).mean())
    executed = automated & set(by_flagged.index)
    assert executed
    assert (by_flagged[sorted(executed)] == 1.0).all()
    assert (by_flagged.drop(sorted(executed)) == 0.0).all()


@pytest.mark.parametrize("process", ["wohngeld", "bewohnerparken", "gewerbeanmeldung"])
def test_synth_without_start_times(process):
    sim = rc.synth.simulate(process, n_cases=300, seed=8, resource_names="opaque")
    log = _read(sim.events.drop(columns="start"))
    table = classify_resources(log, patterns=NO_NAMES)
    assert _found(log, table) == set(sim.staff.loc[sim.staff["system"], "resource"])


@pytest.mark.parametrize("process", sorted(rc.synth.PROCESSES))
def test_synth_realistic_names_match_the_patterns(process):
    sim = rc.synth.simulate(process, n_cases=60, seed=3, resource_names="realistic")
    log = _read(sim.events)
    table = classify_resources(log)
    systems = set(sim.staff.loc[sim.staff["system"], "resource"])
    by_name = {log._identities["resource"][p] for p in table.loc[table["by_name"], "resource"]}
    assert by_name == systems
    assert _found(log, table) == systems
    assert table.loc[table["by_name"], "reason"].str.startswith("name matches").all()


def test_name_patterns_tokens_and_stems():
    defaults = automation_defaults()
    tokens, stems = defaults["name_tokens"], defaults["name_stems"]
    assert fold_name("Druckstraße") == "druckstrasse"
    from rpa_candidates.core.resources import _compile_patterns

    compiled = _compile_patterns(None)

    def hit(name: str) -> bool:
        return any(regex.search(fold_name(name)) for _, regex in compiled)

    for system in [
        "SYS_HKR_ZAHLLAUF", "svc_dms", "srv-ekr", "RPA-Bot-Rechnung", "Technical User 3",
        "Finanzamtschnittstelle", "Automat 1", "batch_druckstrasse", "Job 12", "Dienst",
        "technischer Benutzer", "Stapelverarbeitung", "noreply@stadt.de",
    ]:  # fmt: skip
        assert hit(system), system
    for person in ["Jobst Müller", "Sabine Abbott", "Botho Lang", "Sysel Krause", "Otto Autor",
                   "Jana Diensthuber", "Ramona Servais"]:  # fmt: skip
        assert not hit(person), person
    assert "sys" in tokens
    assert "schnittstelle" in stems


def test_overrides_win_with_their_reason():
    sim = rc.synth.simulate("wohngeld", n_cases=120, seed=4, resource_names="realistic")
    log = _read(sim.events)
    names = log._identities["resource"]
    person = next(n for n in sim.staff.loc[~sim.staff["system"], "resource"])
    pseudonym = {v: k for k, v in names.items()}["batch_druckstrasse"]
    table = classify_resources(log, overrides={person: True, pseudonym: False})
    by_resource = table.set_index("resource")
    flipped = by_resource.loc[{v: k for k, v in names.items()}[person]]
    assert flipped["automated"]
    assert flipped["by_override"]
    assert flipped["reason"].startswith("set by user")
    assert flipped["reason_de"].startswith("vom Nutzer festgelegt")
    batch = by_resource.loc[pseudonym]
    assert not batch["automated"]
    assert batch["by_name"]
    assert batch["reason"].startswith("set by user; name matches")
    with pytest.warns(rc.DataQualityWarning, match="not in this log"):
        classify_resources(log, overrides={"Niemand": True})


def test_every_row_has_a_reason_and_bad_arguments_raise():
    sim = rc.synth.simulate("gewerbeanmeldung", n_cases=40, seed=5)
    log = _read(sim.events)
    table = classify_resources(log)
    assert (table["reason"].str.len() > 0).all()
    assert (table["reason_de"].str.len() > 0).all()
    with pytest.raises(rc.ParameterError, match="tokens"):
        classify_resources(log, patterns=["sys"])
    with pytest.raises(rc.ParameterError, match="list of strings"):
        classify_resources(log, patterns={"tokens": "sys"})
    with pytest.raises(rc.ParameterError, match="True or False"):
        classify_resources(log, overrides={"x": "yes"})


def test_automation_toml_entries_have_provenance():
    import tomllib
    from importlib import resources

    with (resources.files("rpa_candidates") / "data" / "automation.toml").open("rb") as handle:
        table = tomllib.load(handle)
    for name, entry in table.items():
        assert {"value", "unit", "source", "year"} <= set(entry), name


def test_zero_durations_everywhere_do_not_make_everyone_a_robot():
    """An export whose start column repeats the completion time carries no durations."""
    sim = rc.synth.simulate("wohngeld", n_cases=300, seed=9, resource_names="opaque")
    events = sim.events.assign(start=sim.events["end"])
    log = _read(events)
    table = classify_resources(log, patterns=NO_NAMES)
    assert (table["instant_share"] == 1.0).all()  # measured, but not used
    assert _found(log, table) == set(sim.staff.loc[sim.staff["system"], "resource"])


def test_day_granular_log_flags_nobody_by_clock(sample_data):
    """T_BPIC15_2 stamps many events with a date only (local midnight): no night work."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        log = rc.read_log(sample_data / "T_BPIC15_2.xes.gz")
    table = classify_resources(log)
    assert not table["automated"].any()
    assert len(table) == 11
