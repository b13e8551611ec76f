"""Tests of the process simulator ``rpa_candidates.synth`` against its own ground truth."""

from __future__ import annotations

import csv
import re

import numpy as np
import pandas as pd
import pytest

from rpa_candidates import synth
from rpa_candidates.core.errors import ParameterError
from rpa_candidates.synth.names import FIRST_NAMES, LAST_NAMES

TRUTH_COLUMNS = [
    "process",
    "activity",
    "label_class",
    "automatable",
    "rule_based",
    "already_automated",
    "role",
    "handling_median_minutes",
    "handling_sigma",
    "handling_mean_minutes",
    "executions",
    "cases",
    "true_handling_hours",
    "rework_probability",
    "exception_probability",
    "decision_rule",
]


@pytest.fixture(scope="module")
def logs() -> dict[str, synth.SimulatedLog]:
    """One larger log per process (about 40-60 k events each)."""
    return {name: synth.simulate(name, n_cases=6000, seed=11) for name in synth.PROCESSES}


def _system_users(log: synth.SimulatedLog) -> set[str]:
    return set(log.staff.loc[log.staff["system"], "resource"])


def _staff_events(log: synth.SimulatedLog) -> pd.DataFrame:
    return log.events[~log.events["resource"].isin(_system_users(log))]


# --- process definitions ---------------------------------------------------------------


def test_processes_are_complete_german_models():
    assert {"wohngeld", "gewerbeanmeldung", "eingangsrechnung", "bewohnerparken"} <= set(
        synth.PROCESSES
    )
    for spec in synth.PROCESSES.values():
        assert 8 <= len(spec.activities) <= 15, spec.name
        assert len({a.name for a in spec.activities}) == len(spec.activities)
        for act in spec.activities:
            assert act.label_class in synth.LABEL_CLASSES
            assert (act.label_class == "automated") == spec.role(act.role).is_system, act.name
            if not spec.role(act.role).is_system:
                assert act.median_minutes > 0
                assert act.sigma > 0
    assert (
        synth.PROCESSES["gewerbeanmeldung"].activity("Erlaubnispflicht prüfen").label_class
        == "cognitive"
    )
    assert synth.PROCESSES["gewerbeanmeldung"].activity(
        "Daten an Finanzamt/IHK/HWK übermitteln"
    ).role == ("SYS_FINANZAMT_SCHNITTSTELLE")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"process": "baugenehmigung"}, "Unknown process 'baugenehmigung'"),
        ({"process": "wohngeld", "n_cases": 0}, "n_cases"),
        ({"process": "wohngeld", "days": 0}, "days"),
        ({"process": "wohngeld", "resource_names": "pseudonym"}, "resource_names"),
        ({"process": "wohngeld", "start": "06.01.2025x"}, "start"),
    ],
)
def test_bad_arguments_raise_parameter_error(kwargs, match):
    process = kwargs.pop("process")
    with pytest.raises(ParameterError, match=match):
        synth.simulate(process, **kwargs)


# --- determinism and schema ------------------------------------------------------------


def test_same_seed_gives_identical_log_and_other_seed_differs():
    a = synth.simulate("eingangsrechnung", n_cases=300, seed=5)
    b = synth.simulate("eingangsrechnung", n_cases=300, seed=5)
    c = synth.simulate("eingangsrechnung", n_cases=300, seed=6)
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert not a.events.equals(c.events)
    assert (a.process, a.seed, a.n_cases) == ("eingangsrechnung", 5, 300)


def test_events_schema_and_order(logs):
    log = logs["wohngeld"]
    ev = log.events
    assert ev.columns[:5].tolist() == ["case_id", "activity", "resource", "start", "end"]
    assert {"Haushaltsgroesse", "Einkommen", "Schwerbehinderung"} <= set(ev.columns)
    assert not any(c.startswith("_") for c in ev.columns)
    assert ev["Einkommen"].dtype == float
    assert ev["Haushaltsgroesse"].dtype == np.int64
    assert str(ev["start"].dt.tz) == "Europe/Berlin"
    assert str(ev["end"].dt.tz) == "Europe/Berlin"
    assert ev["case_id"].str.fullmatch(r"WG-20\d\d-\d{6}").all()
    assert ev["case_id"].nunique() == log.n_cases == 6000
    assert ev["case_id"].is_monotonic_increasing
    assert (ev.groupby("case_id")["start"].diff().dropna() >= pd.Timedelta(0)).all()
    assert (ev["end"] >= ev["start"]).all()
    assert ev["start"].min() >= pd.Timestamp("2025-01-06 07:00", tz="Europe/Berlin")


def test_truth_matches_realised_log(logs):
    for name, log in logs.items():
        truth = log.truth.set_index("activity")
        assert log.truth.columns.tolist() == TRUTH_COLUMNS
        assert list(truth.index) == [a.name for a in log.spec.activities]
        assert set(log.events["activity"]) <= set(truth.index)
        counts = log.events["activity"].value_counts().reindex(truth.index, fill_value=0)
        assert (truth["executions"] == counts).all(), name
        cases = (
            log.events.groupby("activity")["case_id"].nunique().reindex(truth.index, fill_value=0)
        )
        assert (truth["cases"] == cases).all(), name
        staff = _staff_events(log)
        hours = (
            ((staff["end"] - staff["start"]).dt.total_seconds() / 3600)
            .groupby(staff["activity"])
            .sum()
        )
        hours = hours.reindex(truth.index, fill_value=0.0)
        np.testing.assert_allclose(truth["true_handling_hours"], hours, rtol=1e-9, atol=1e-9)
        assert (
            truth["automatable"] == truth["label_class"].isin(["automated", "highly_automatable"])
        ).all()
        assert (truth.loc[truth["already_automated"], "handling_mean_minutes"] == 0).all()
        human = truth[~truth["already_automated"]]
        expected_mean = human["handling_median_minutes"] * np.exp(human["handling_sigma"] ** 2 / 2)
        np.testing.assert_allclose(human["handling_mean_minutes"], expected_mean)


# --- handling times ----------------------------------------------------------------------


def test_handling_time_follows_lognormal_truth(logs):
    """Median within 4 standard errors (SE of a lognormal median: 1.2533 sigma / sqrt(n))."""
    checked = 0
    for log in logs.values():
        staff = _staff_events(log)
        minutes = (staff["end"] - staff["start"]).dt.total_seconds() / 60
        for act, row in log.truth.set_index("activity").iterrows():
            m = np.log(minutes[staff["activity"] == act].to_numpy())
            if row["already_automated"] or m.size < 300:
                continue
            se = 1.2533 * row["handling_sigma"] / np.sqrt(m.size)
            assert abs(np.median(m) - np.log(row["handling_median_minutes"])) < 4 * se + 0.005, act
            # SE of a sample standard deviation of normal data: sigma / sqrt(2 n)
            assert abs(m.std() / row["handling_sigma"] - 1) < 4 / np.sqrt(2 * m.size) + 0.02, act
            checked += 1
    assert checked >= 25


# --- calendars, system users, staff behaviour -------------------------------------------


def test_staff_work_only_in_their_office_hours(logs):
    for log in logs.values():
        staff = _staff_events(log).merge(log.staff, on="resource")
        start, end = staff["start"], staff["end"]
        assert (start.dt.day_of_week < 5).all()
        assert (start.dt.date == end.dt.date).all()
        holidays = set().union(*(synth.hessian_holidays(y) for y in (2025, 2026, 2027)))
        assert not start.dt.date.isin(holidays).any()
        assert (start.dt.strftime("%H:%M") >= staff["work_start"]).all()
        assert (end.dt.strftime("%H:%M:%S") <= staff["work_end"] + ":00").all()
        assert start.dt.hour.min() >= 7
        assert end.dt.hour.max() <= 16


def test_system_users_work_instantly_at_night_and_in_batches(logs):
    ev = logs["eingangsrechnung"].events
    bot = ev[ev["resource"] == "RPA-Bot-Rechnung"]
    assert len(bot) > 100
    assert ((bot["end"] - bot["start"]) < pd.Timedelta(seconds=1)).all()
    batch = ev[ev["resource"] == "SYS_HKR_ZAHLLAUF"]
    assert (batch["end"].dt.strftime("%H:%M") == "22:30").all()
    assert (batch["end"].dt.day_of_week >= 5).any()
    assert batch.groupby("end").size().max() >= 10  # many items share one timestamp
    prints = logs["wohngeld"].events.query("resource == 'batch_druckstrasse'")
    assert (prints["end"].dt.hour == 1).all()
    assert (prints["end"].dt.day_of_week >= 5).any()
    gw = logs["gewerbeanmeldung"].events
    assert set(gw.loc[gw["activity"] == "Daten an Finanzamt/IHK/HWK übermitteln", "resource"]) == {
        "SYS_FINANZAMT_SCHNITTSTELLE"
    }


def test_no_person_works_two_items_at_once_and_works_back_to_back(logs):
    for log in logs.values():
        staff = _staff_events(log).sort_values(["resource", "start", "end"])
        same = staff["resource"].eq(staff["resource"].shift())
        gap = staff["start"] - staff["end"].shift()
        assert (gap[same] >= pd.Timedelta(0)).all(), log.process
    # with a queue, a person starts the next item right when the last one ends
    staff = _staff_events(logs["wohngeld"]).sort_values(["resource", "start"])
    same = staff["resource"].eq(staff["resource"].shift())
    back_to_back = (staff["start"] == staff["end"].shift())[same].mean()
    assert back_to_back > 0.3


def test_staff_pools_are_sized_for_high_utilisation(logs):
    checked = 0
    for log in logs.values():
        staff = log.staff[~log.staff["system"]]
        days = np.busday_count("2025-01-06", "2026-01-06") - 10  # minus about 10 weekday holidays
        shift = pd.to_timedelta(staff["work_end"] + ":00") - pd.to_timedelta(
            staff["work_start"] + ":00"
        )
        hours = shift.dt.total_seconds() / 3600
        utilisation = staff["busy_hours"] / (days * hours)
        pooled = staff["role"].map(staff["role"].value_counts()) >= 3
        assert utilisation[pooled].between(0.65, 0.95).all(), utilisation[pooled].describe()
        checked += int(pooled.sum())
    assert checked >= 5


# --- routing: decision rules, rework, exceptions -----------------------------------------


def _cases_with(ev: pd.DataFrame, activity: str) -> set[str]:
    return set(ev.loc[ev["activity"] == activity, "case_id"])


def test_decision_rules_hold_on_case_attributes(logs):
    ev = logs["wohngeld"].events
    cases = logs["wohngeld"].cases.set_index("case_id")
    decided = cases.loc[sorted(_cases_with(ev, "Wohngeld berechnen"))]
    limit = decided["Haushaltsgroesse"].map(synth.WOHNGELD_EINKOMMENSGRENZE)
    above = set(decided.index[decided["Einkommen"] > limit])
    assert len(above) > 100
    assert len(decided) - len(above) > 100
    assert _cases_with(ev, "Ablehnungsbescheid erstellen") == above
    assert _cases_with(ev, "Bewilligungsbescheid erstellen") == set(decided.index) - above

    ev = logs["eingangsrechnung"].events
    cases = logs["eingangsrechnung"].cases.set_index("case_id")
    released = cases.loc[sorted(_cases_with(ev, "Freigabe"))]
    assert _cases_with(ev, "Zweite Freigabe") == set(released.index[released["Betrag"] > 5000])
    assert _cases_with(ev, "E-Rechnung einlesen") == set(
        cases.index[cases["Eingangskanal"] == "XRechnung"]
    )

    ev = logs["bewohnerparken"].events
    cases = logs["bewohnerparken"].cases.set_index("case_id")
    refused = (cases["Parkzone"] == "keine") | ~cases["Hauptwohnsitz"]
    assert _cases_with(ev, "Antrag ablehnen") == set(cases.index[refused])

    ev = logs["gewerbeanmeldung"].events
    cases = logs["gewerbeanmeldung"].cases.set_index("case_id")
    checked = cases.loc[sorted(_cases_with(ev, "Erlaubnispflicht prüfen"))]
    permit = checked["Gewerbeart"].isin(
        ["Bewachungsgewerbe", "Immobilienmakler", "Versicherungsvermittlung"]
    )
    assert _cases_with(ev, "Gewerbezentralregister abfragen") == set(checked.index[permit])


def test_random_branches_occur_at_their_probabilities(logs):
    """Each random branch (rework, exception, optional step) within 4 binomial SE."""
    seen = set()
    for log in logs.values():
        ev = log.events
        following = ev.groupby("case_id")["activity"].shift(-1).fillna("END")
        for tr in log.spec.transitions:
            if tr.probability is None or tr.source == "START":
                continue
            runs = ev["activity"] == tr.source
            n = int(runs.sum())
            share = (following[runs] == tr.target).mean()
            se = np.sqrt(tr.probability * (1 - tr.probability) / n)
            assert abs(share - tr.probability) < 4 * se, (tr, share, n)
            seen.add(tr.kind)
        truth = log.truth.set_index("activity")
        for act in truth.index:
            out = [t for t in log.spec.transitions if t.source == act]
            assert truth.at[act, "rework_probability"] == sum(
                t.probability or 0 for t in out if t.kind == "rework"
            )
    assert seen == {"normal", "rework", "exception"}
    # exceptions end cases off the normal end
    ev = logs["wohngeld"].events
    last = ev.groupby("case_id")["activity"].last()
    assert (last == "Antrag zurückgezogen").mean() > 0.02


# --- names --------------------------------------------------------------------------------


def test_realistic_and_opaque_resource_names():
    real = synth.simulate("bewohnerparken", n_cases=3000, seed=2)
    people = set(real.staff.loc[~real.staff["system"], "resource"])
    assert all(p.split(" ")[0] in FIRST_NAMES and p.split(" ")[1] in LAST_NAMES for p in people)
    opaque = synth.simulate("bewohnerparken", n_cases=3000, seed=2, resource_names="opaque")
    ids = set(opaque.events["resource"])
    assert all(re.fullmatch(r"u[0-9a-f]{4}", r) for r in ids)
    assert len(ids) == len(set(real.events["resource"]))
    assert "batch_druckstrasse" not in ids
    words = set(FIRST_NAMES) | set(LAST_NAMES)
    assert not any(w in r for r in ids for w in words)
    # the process itself is the same, only the names differ
    assert (opaque.events["activity"] == real.events["activity"]).all()


# --- writers --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small() -> synth.SimulatedLog:
    return synth.simulate("wohngeld", n_cases=60, seed=4)


def test_csv_german_export_cp1252(small, tmp_path):
    path = tmp_path / "export.csv"
    small.write_csv(path)
    raw = path.read_bytes()
    assert "Tätigkeit".encode("cp1252") in raw
    assert b";" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert text.splitlines()[0].startswith(
        "Vorgangsnummer;Tätigkeit;Bearbeiter;Beginn;Ende;Haushaltsgroesse"
    )
    assert "Vollständigkeit prüfen" in text
    back = pd.read_csv(path, sep=";", encoding="cp1252", decimal=",")
    assert len(back) == len(small.events)
    np.testing.assert_allclose(back["Einkommen"], small.events["Einkommen"])
    assert set(back["Schwerbehinderung"]) <= {"ja", "nein"}
    local = small.events["start"].dt.tz_localize(None)
    assert (pd.to_datetime(back["Beginn"], format="%d.%m.%Y %H:%M:%S") == local.dt.floor("s")).all()
    assert re.search(r";\d+,\d+;", text)  # decimal comma


def test_csv_variants_lifecycle_end_only_english_gzip_and_quoting(small, tmp_path):
    small.write_csv(tmp_path / "end.csv", include_start=False)
    end_only = pd.read_csv(tmp_path / "end.csv", sep=";", encoding="cp1252")
    assert end_only.columns[:4].tolist() == [
        "Vorgangsnummer",
        "Tätigkeit",
        "Bearbeiter",
        "Zeitstempel",
    ]
    assert "Beginn" not in end_only.columns

    small.write_csv(tmp_path / "lc.csv.gz", lifecycle=True)
    lc = pd.read_csv(tmp_path / "lc.csv.gz", sep=";", encoding="cp1252")
    assert len(lc) == 2 * len(small.events)
    assert lc["Status"].tolist()[:2] == ["start", "complete"]
    assert set(lc["Status"]) == {
        "start",
        "complete",
    }

    small.write_csv(tmp_path / "en.csv", columns="en", delimiter=",", decimal=",", encoding="utf-8")
    with open(tmp_path / "en.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:5] == ["case_id", "activity", "resource", "start", "end"]
    assert all(len(r) == len(rows[0]) for r in rows)  # decimal commas were quoted
    assert '"' in (tmp_path / "en.csv").read_text(encoding="utf-8")
    with pytest.raises(ParameterError, match="columns"):
        small.write_csv(tmp_path / "x.csv", columns="fr")


def test_xes_reads_back_with_rustxes_and_pm4py(tmp_path):
    import pm4py
    import rustxes

    log = synth.simulate("eingangsrechnung", n_cases=80, seed=3)
    path = tmp_path / "rechnung.xes.gz"
    log.write_xes(path)
    frame = rustxes.import_xes(str(path))[0].to_pandas()
    assert len(frame) == 2 * len(log.events)
    assert set(frame["lifecycle:transition"]) == {"start", "complete"}
    suppliers = set(frame["case:Lieferant"])
    assert suppliers == set(log.events["Lieferant"])  # "&" survived the escaping

    df = pm4py.read_xes(str(path), variant="iterparse")  # the XML parser, not rustxes again
    assert len(df) == 2 * len(log.events)
    assert df["case:Skonto"].dtype == bool
    assert df["case:Betrag"].dtype == float
    complete = df[df["lifecycle:transition"] == "complete"].reset_index(drop=True)
    expected = log.events["end"].dt.tz_convert("UTC").dt.floor("ms").reset_index(drop=True)
    got = pd.to_datetime(complete["time:timestamp"], utc=True).dt.floor("ms")
    assert (got.to_numpy() == expected.to_numpy()).all()

    log.write_xes(tmp_path / "plain.xes", lifecycle=False)
    text = (tmp_path / "plain.xes").read_text(encoding="utf-8")
    assert "&amp;" in text
    assert re.search(r'value="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[12]:00"', text)
    assert len(rustxes.import_xes(str(tmp_path / "plain.xes"))[0]) == len(log.events)


def test_parquet_has_utc_microseconds(small, tmp_path):
    small.write_parquet(tmp_path / "a.parquet")
    back = pd.read_parquet(tmp_path / "a.parquet")
    assert str(back["start"].dtype) == "datetime64[us, UTC]"
    assert (back["end"] == small.events["end"]).all()
    small.write_parquet(tmp_path / "b.parquet", lifecycle=True)
    back = pd.read_parquet(tmp_path / "b.parquet")
    assert back.columns[:5].tolist() == [
        "case_id",
        "activity",
        "resource",
        "timestamp",
        "lifecycle",
    ]
    assert len(back) == 2 * len(small.events)
    small.write_parquet(tmp_path / "c.parquet", time_unit="ms")
    assert str(pd.read_parquet(tmp_path / "c.parquet")["end"].dtype) == "datetime64[ms, UTC]"
    with pytest.raises(ParameterError, match="time_unit"):
        small.write_parquet(tmp_path / "d.parquet", time_unit="ns")


def test_repr_says_what_to_call_next(small):
    text = repr(small)
    assert "wohngeld" in text
    assert ".truth" in text
    assert "\n" not in text
