"""Inputs read with every row accounted for: rows_read = rows_used + Σ rejected."""

from __future__ import annotations

import pytest
from conftest import HEADER
from generate import activity_log_csv

import rpa_candidates as rc

ROW = "1;Antrag prüfen;01.03.2025 10:00;Müller\n"


def _read(path, **kwargs):
    log = rc.read_log(path, **kwargs)
    q = log.quality
    assert q.rows_read == q.rows_used + sum(q.rejected.values())
    return log, q


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("cp1252", b"", "cp1252"),  # „ “ € are bytes 0x80-0x9F: only cp1252 has them
        ("latin-1", b"", "latin-1"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-16", b"", "utf-16"),
    ],
)
def test_encodings_keep_umlauts(write, encoding, prefix, expected):
    name = "Größe „prüfen“ €" if encoding == "cp1252" else "Größe prüfen ß"
    text = HEADER + f"1;{name};01.03.2025 10:00;Jörg Weiß\n2;Ändern;01.03.2025 11:00;Ä\n"
    log, q = _read(write("log.csv", prefix + text.encode(encoding)), pseudonymize=False)
    assert q.details["encoding"] == expected
    assert (q.rows_read, q.rows_used) == (2, 2)
    assert sorted(log.df["concept:name"]) == sorted([name, "Ändern"])
    assert "Jörg Weiß" in set(log.df["org:resource"])


def test_header_only_csv_is_an_empty_log_with_a_warning(write):
    _log, q = _read(write("log.csv", HEADER))
    assert (q.rows_read, q.rows_used, q.rejected) == (0, 0, {})
    assert [w.code for w in q.warnings] == ["empty_log"]


def test_analyze_refuses_an_empty_log(write):
    log = rc.read_log(write("log.csv", HEADER))
    with pytest.raises(rc.DataQualityError, match="no usable event"):
        rc.analyze(log)


def test_mixed_delimiters_count_malformed_rows(write):
    text = HEADER + "1;A;01.03.2025 10:00;x\n2,B,01.03.2025 10:00,y\n3;C;01.03.2025 11:00;y\n"
    _, q = _read(write("log.csv", text))
    assert q.details["delimiter"] == ";"
    assert (q.rows_read, q.rows_used, q.rejected) == (3, 2, {"malformed_row": 1})


def test_mixed_date_formats_in_one_column(write):
    text = HEADER + (
        "1;A;01.03.2025 10:00;x\n"  # German
        "1;B;2025-03-01T11:00:00;x\n"  # ISO 8601
        "1;C;1740826800;x\n"  # epoch seconds
        "1;D;gestern;x\n"  # not a date
        "1;E;31.02.2025 10:00;x\n"  # no such day
    )
    log, q = _read(write("log.csv", text), pseudonymize=False)
    assert (q.rows_read, q.rows_used, q.rejected) == (5, 3, {"unparseable_timestamp": 2})
    assert list(log.df.sort_values("time:timestamp")["concept:name"]) == ["A", "B", "C"]


@pytest.mark.parametrize(("ambiguous", "hour"), [("earliest", "00:30"), ("latest", "01:30")])
def test_dst_gap_and_repeated_hour(write, ambiguous, hour):
    text = HEADER + "1;A;30.03.2025 02:30;x\n1;B;26.10.2025 02:30;x\n"
    log, q = _read(write("log.csv", text), ambiguous=ambiguous)
    assert (q.rows_read, q.rows_used) == (2, 2)
    assert q.adjusted == {"dst_nonexistent": 1, "dst_ambiguous": 1}
    times = log.df.sort_values("time:timestamp")["time:timestamp"]
    assert str(times.iloc[0]) == "2025-03-30 01:30:00+00:00"  # offset before the switch
    assert str(times.iloc[1]) == f"2025-10-26 {hour}:00+00:00"


def test_exact_duplicates_out_of_order_single_event_case(write):
    text = HEADER + (
        "1;B;01.03.2025 11:00;x\n"  # out of order: sorted by time within the case
        "1;A;01.03.2025 10:00;x\n"
        "1;A;01.03.2025 10:00;x\n"  # exact duplicate
        "2;A;02.03.2025 10:00;y\n"  # a case with one event
    )
    log, q = _read(write("log.csv", text), pseudonymize=False)
    assert (q.rows_read, q.rows_used, q.rejected) == (4, 3, {"duplicate": 1})
    assert list(log.df["concept:name"]) == ["A", "B", "A"]
    assert log.n_cases == 2


def test_leading_zero_case_ids_stay_strings(write):
    text = HEADER + "007;A;01.03.2025 10:00;x\n0007;A;01.03.2025 10:00;x\n7;A;01.03.2025 10:00;x\n"
    log, q = _read(write("log.csv", text), pseudonymize=False)
    assert q.rows_used == 3
    assert sorted(log.df["case:concept:name"]) == ["0007", "007", "7"]
    assert log.n_cases == 3


def test_one_activity_log_and_huge_activity_name_through_analyze(write):
    huge = "A" * 1_000_000
    text = HEADER + "".join(
        f"{c};{huge if c == 0 else 'Bescheid erstellen'};0{1 + c % 9}.03.2025 1{c % 10}:00;"
        f"MA{c % 3}\n"
        for c in range(30)
    )
    _log, q = _read(write("log.csv", text))
    assert (q.rows_used, q.activities) == (30, 2)
    one = rc.read_log(write("one.csv", text.replace(huge, "Bescheid erstellen")))
    result = rc.analyze(one)
    assert list(result.candidates["activity"]) == ["Bescheid erstellen"]
    assert result.to_json()


def test_ten_thousand_distinct_activities_read_and_featurised(tmp_path):
    # how long it takes is measured by benchmarks/bench_hostile.py, not here
    path = activity_log_csv(tmp_path / "log.csv", n_activities=10_000, n_cases=500)
    log, q = _read(path)
    features = rc.activity_features(log)
    assert (q.rows_used, q.activities, len(features)) == (10_000, 10_000, 10_000)
    assert (features["executions"] == 1).all()
    assert features["cases"].sum() == 10_000
