"""OCEL 2.0: flattening on an object type, for files pm4py writes (JSON, XML, SQLite)."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.cli import main
from rpa_candidates.core.errors import ParameterError

pm4py = pytest.importorskip("pm4py")


@pytest.fixture(scope="module")
def sim():
    return rc.synth.simulate("wohngeld", n_cases=40, seed=21)


@pytest.fixture(scope="module")
def ocel(sim):
    """The simulated events as OCEL 2.0: objects Antrag (the case), Mitarbeiter, Bescheid.

    Known shape: every simulated event relates to its Antrag and its Mitarbeiter; each
    "Bewilligungsbescheid erstellen" event also to a Bescheid; one extra event
    ("Sammelbescheid drucken") relates to two Antrag objects, one extra event
    ("Druckerwartung") to no Antrag.
    """
    from pm4py.objects.ocel.obj import OCEL

    e = sim.events.reset_index(drop=True)
    when = e["end"].dt.tz_convert("UTC").dt.tz_localize(None)
    events = pd.DataFrame(
        {
            "ocel:eid": [f"e{i}" for i in range(len(e))],
            "ocel:activity": e["activity"],
            "ocel:timestamp": when,
            "Eingangskanal": e["Eingangskanal"],
        }
    )
    relations = [(f"e{i}", c, "Antrag") for i, c in enumerate(e["case_id"])]
    relations += [(f"e{i}", r, "Mitarbeiter") for i, r in enumerate(e["resource"])]
    granted = e.index[e["activity"] == "Bewilligungsbescheid erstellen"]
    relations += [(f"e{i}", f"B-{i}", "Bescheid") for i in granted]
    first, second = e["case_id"].unique()[:2]
    extra = pd.DataFrame(
        {
            "ocel:eid": ["x1", "x2"],
            "ocel:activity": ["Sammelbescheid drucken", "Druckerwartung"],
            "ocel:timestamp": [when.max(), when.max()],
            "Eingangskanal": [None, None],
        }
    )
    relations += [("x1", first, "Antrag"), ("x1", second, "Antrag"), ("x2", "D-1", "Drucker")]
    events = pd.concat([events, extra], ignore_index=True)
    rel = pd.DataFrame(relations, columns=["ocel:eid", "ocel:oid", "ocel:type"])
    rel["ocel:qualifier"] = ""
    rel = rel.merge(events[["ocel:eid", "ocel:activity", "ocel:timestamp"]], on="ocel:eid")
    objects = rel[["ocel:oid", "ocel:type"]].drop_duplicates().reset_index(drop=True)
    return OCEL(events=events, objects=objects, relations=rel), len(granted)


@pytest.fixture(scope="module", params=["jsonocel", "xmlocel", "sqlite"])
def ocel_file(request, ocel, tmp_path_factory):
    path = tmp_path_factory.mktemp("ocel") / f"wohngeld.{request.param}"
    writer = {"jsonocel": "write_ocel2_json", "xmlocel": "write_ocel2_xml"}
    getattr(pm4py, writer.get(request.param, "write_ocel2_sqlite"))(ocel[0], str(path))
    return path


def _read(path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.errors.DataQualityWarning)
        return rc.read_log(path, **options)


def test_flattening_on_the_named_type_keeps_every_event(ocel_file, sim, ocel):
    n, granted = len(sim.events), ocel[1]
    log = _read(ocel_file, object_type="Antrag", pseudonymize=False)
    q = log.quality
    assert q.format == "ocel"
    # n events + the two copies of the shared event + the event without an Antrag
    assert (q.rows_read, q.rows_used, q.rejected) == (n + 3, n + 2, {"missing_case_id": 1})
    details = q.details["ocel"]
    assert details["object_types"] == {
        "Antrag": n + 1,
        "Mitarbeiter": n,
        "Bescheid": granted,
        "Drucker": 1,
    }
    assert (details["events_without_object"], details["events_repeated"]) == (1, 1)
    assert q.columns["resource"] == "Mitarbeiter"
    assert log.n_cases == sim.events["case_id"].nunique()
    df = log.df[log.df["concept:name"] != "Sammelbescheid drucken"]
    want = sim.events.sort_values(["case_id", "end"])
    got = df.sort_values(["case:concept:name", "time:timestamp"])
    assert got["case:concept:name"].tolist() == want["case_id"].tolist()
    assert got["org:resource"].astype(str).tolist() == want["resource"].tolist()
    seconds = [t.timestamp() for t in got["time:timestamp"]]
    assert seconds == [t.timestamp() for t in want["end"]]
    # the other objects' ids stay as attributes, one column per type
    bescheid = df.loc[df["concept:name"] == "Bewilligungsbescheid erstellen", "Bescheid"]
    assert bescheid.str.startswith("B-").all()
    assert len(bescheid) == granted
    assert df.loc[df["concept:name"] != "Bewilligungsbescheid erstellen", "Bescheid"].isna().all()


def test_without_object_type_the_types_are_listed(ocel_file, sim, ocel):
    with pytest.raises(ParameterError) as error:
        rc.read_log(ocel_file)
    n = len(sim.events)
    message = str(error.value)
    assert f"'Antrag' ({n + 1:,} events)" in message
    assert f"'Bescheid' ({ocel[1]:,} events)" in message
    assert "'Drucker' (1 event)" in message
    assert "object_type=" in message
    assert "--object-type" in message
    with pytest.raises(ParameterError, match="not an object type"):
        rc.read_log(ocel_file, object_type="Rechnung")


def test_ocel_through_analyze_and_the_cli(ocel_file, sim, tmp_path, capsys):
    log = _read(ocel_file, object_type="Antrag")
    assert log.df["case:concept:name"].str.startswith("V-").all()
    assert log.df["org:resource"].dropna().astype(str).str.startswith("MA-").all()
    result = rc.analyze(log)
    assert set(result.candidates["activity"]) == set(sim.events["activity"]) | {
        "Sammelbescheid drucken"
    }
    out = tmp_path / "ocel.json"
    assert main(["analyze", str(ocel_file), "--object-type", "Antrag", "--json", str(out)]) == 0
    quality = json.loads(out.read_text(encoding="utf-8"))["quality"]
    assert quality["rejected"] == {"missing_case_id": 1}
    capsys.readouterr()
    assert main(["analyze", str(ocel_file)]) == 3
    assert "--object-type" in capsys.readouterr().err


def test_object_type_on_a_plain_file_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Fall;Tätigkeit;Zeitstempel\nA;Eingang;2025-01-02\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="object_type applies to OCEL"):
        rc.read_log(path, object_type="Antrag")
