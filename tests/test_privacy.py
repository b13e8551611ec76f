"""Pseudonymisation of staff and case ids (keyed hash), on by default."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.core.privacy import pseudonym_map

STAFF = ["Sabine Müller", "Jörg Weiß", "Ayşe Yılmaz"]
FRAME = pd.DataFrame(
    {
        "case": ["A-001", "A-001", "A-002", "A-003"],
        "activity": ["Erfassen", "Prüfen", "Erfassen", "Prüfen"],
        "time": ["2025-01-02 09:00", "2025-01-02 09:30", "2025-01-03 10:00", "2025-01-03 11:00"],
        "user": [*STAFF, "Sabine Müller"],
        "case:responsible": ["Jörg Weiß", "Jörg Weiß", "Ayşe Yılmaz", "Sabine Müller"],
        "note": ["ok", "ok", "ok", "ok"],
    }
)


def test_staff_and_case_ids_are_pseudonymised_by_default_everywhere():
    log = rc.read_log(FRAME)
    outputs = [
        log.df.to_csv(),
        log.frame.write_csv(),
        repr(log),
        log._repr_html_(),
        json.dumps(log.quality.to_dict(), ensure_ascii=False),
        log.quality.summary(lang="de"),
        repr(log.quality),
    ]
    for text in outputs:
        for name in [*STAFF, "A-001", "A-002"]:
            assert name not in text
    assert set(log.quality.details["pseudonymized"]) == {"case_id", "resource", "case:responsible"}
    assert log.df["org:resource"].str.startswith("MA-").all()
    assert log.df["case:concept:name"].str.startswith("V-").all()
    assert log.df["note"].eq("ok").all()  # other attributes untouched


def test_same_key_same_pseudonyms_other_key_others():
    a = rc.read_log(FRAME, pseudonym_key="stadt-giessen-2026")
    b = rc.read_log(FRAME.iloc[::-1], pseudonym_key="stadt-giessen-2026")  # another export
    c = rc.read_log(FRAME, pseudonym_key="stadt-marburg-2026")
    assert set(a.frame["resource"]) == set(b.frame["resource"])
    assert set(a.frame["case_id"]) == set(b.frame["case_id"])
    assert not set(a.frame["resource"]) & set(c.frame["resource"])
    # staff ids in attributes join to the resource pseudonyms
    assert set(a.frame["case:responsible"]) <= set(a.frame["resource"])


def test_default_key_is_deterministic_for_the_same_input(monkeypatch):
    monkeypatch.delenv("RPA_CANDIDATES_PSEUDONYM_KEY", raising=False)
    first = rc.read_log(FRAME).frame
    second = rc.read_log(FRAME).frame
    assert first.equals(second)
    monkeypatch.setenv("RPA_CANDIDATES_PSEUDONYM_KEY", "environment-key-1")
    assert not rc.read_log(FRAME).frame["resource"].equals(first["resource"])


def test_pseudonymisation_can_be_turned_off():
    log = rc.read_log(FRAME, pseudonymize=False)
    assert set(log.frame["resource"]) == set(STAFF)
    assert log.quality.details["pseudonymized"] == []


def test_short_key_is_refused():
    with pytest.raises(rc.ParameterError, match="too short"):
        rc.read_log(FRAME, pseudonym_key="abc")


def test_pseudonyms_lengthen_instead_of_colliding():
    values = [f"case-{i}" for i in range(20000)]
    mapping = pseudonym_map(values, key=b"k" * 16, prefix="V-")
    assert len(set(mapping.values())) == len(values)
    assert all(len(p) >= 12 for p in mapping.values())
