"""read_log on every source type, column-role guessing, rejection reasons and errors."""

from __future__ import annotations

import gzip
import warnings

import pandas as pd
import polars as pl
import pytest

import rpa_candidates as rc

GERMAN = pd.DataFrame(
    {
        "Vorgangsnummer": ["0042", "0042", "0043", "0043"],
        "Tätigkeit": ["Antrag erfassen", "Bescheid drucken", "Antrag erfassen", "Prüfen"],
        "Bearbeiter": ["Sabine Müller", "SYS_DRUCK", "Jörg Weiß", "Jörg Weiß"],
        "Zeitstempel": [
            "03.02.2025 09:05",
            "03.02.2025 09:40:10",
            "04.02.2025 14:00",
            "05.02.2025 08:00",
        ],
        "Betrag": ["1.234,50", "1.234,50", "99,00", "99,00"],
    }
)


def _quiet(source, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.read_log(source, **kwargs)


def test_german_headers_are_guessed_and_reported():
    log = rc.read_log(GERMAN, pseudonymize=False)
    q = log.quality
    assert q.columns == {
        "case": "Vorgangsnummer",
        "activity": "Tätigkeit",
        "timestamp": "Zeitstempel",
        "resource": "Bearbeiter",
    }
    assert set(q.column_source.values()) == {"guessed"}
    assert "guessed_columns" in {w.code for w in q.warnings}
    assert sorted(log.frame["case_id"].unique()) == ["0042", "0043"]  # leading zeros kept
    first = log.frame.sort("ts").row(0, named=True)
    # 03.02.2025 09:05 in Berlin (CET, UTC+1) = 08:05 UTC
    assert first["ts"] == pd.Timestamp("2025-02-03T08:05:00Z").timestamp()
    assert first["utc_offset"] == 3600


def test_caller_frame_is_not_changed():
    before = GERMAN.copy()
    rc.read_log(GERMAN)
    pd.testing.assert_frame_equal(GERMAN, before)


@pytest.mark.parametrize("kind", ["pandas", "polars", "parquet", "xlsx", "csv", "csv.gz"])
def test_every_source_type_gives_the_same_log(tmp_path, kind):
    if kind == "pandas":
        source = GERMAN
    elif kind == "polars":
        source = pl.from_pandas(GERMAN)
    elif kind == "parquet":
        source = tmp_path / "log.parquet"
        pl.from_pandas(GERMAN).write_parquet(source)
    elif kind == "xlsx":
        source = tmp_path / "log.xlsx"
        GERMAN.to_excel(source, index=False)
    else:
        text = GERMAN.to_csv(sep=";", index=False).encode("cp1252")
        source = tmp_path / f"log.{kind}"
        source.write_bytes(gzip.compress(text) if kind == "csv.gz" else text)
    log = rc.read_log(source, pseudonym_key="test-key-123")
    reference = rc.read_log(GERMAN, pseudonym_key="test-key-123")
    key = ["case_id", "activity", "resource", "ts"]
    assert log.frame.select(key).equals(reference.frame.select(key))
    assert log.quality.rows_used == 4


def test_csv_decimal_comma_attribute_becomes_a_number(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(GERMAN.to_csv(sep=";", index=False).encode("cp1252"))
    log = rc.read_log(path)
    assert log.frame["Betrag"].to_list() == [1234.5, 1234.5, 99.0, 99.0]
    assert log.quality.details["encoding"] in {"cp1252", "latin-1"}
    assert log.quality.details["delimiter"] == ";"


def test_each_rejection_reason_is_counted_and_identity_holds():
    frame = pd.DataFrame(
        {
            "case": ["a", None, "b", "c", "c", "d", "e"],
            "activity": ["X", "X", None, "X", "X", "X", "X"],
            "time": [
                "2025-01-02 10:00",
                "2025-01-02 10:00",
                "2025-01-02 10:00",
                "2025-01-02 11:00",
                "2025-01-02 11:00",  # exact duplicate of the row before
                "kein Datum",
                None,
            ],
        }
    )
    with pytest.warns(rc.DataQualityWarning, match="5 of 7 rows not used"):
        log = rc.read_log(frame, case="case", activity="activity", timestamp="time")
    q = log.quality
    assert q.rejected == {
        "missing_case_id": 1,
        "missing_activity": 1,
        "missing_timestamp": 1,
        "unparseable_timestamp": 1,
        "duplicate": 1,
    }
    assert (q.rows_read, q.rows_used, q.rows_rejected) == (7, 2, 5)
    assert q.rejected_rows.set_index("row")["reason"].to_dict() == {
        1: "missing_case_id",
        2: "missing_activity",
        4: "duplicate",
        5: "unparseable_timestamp",
        6: "missing_timestamp",
    }


def test_interval_log_rejects_start_after_end_and_keeps_missing_start():
    frame = pd.DataFrame(
        {
            "case": ["a", "a", "b"],
            "activity": ["X", "Y", "X"],
            "begin": ["2025-01-02 10:00", "", "2025-01-02 12:00"],
            "end": ["2025-01-02 10:30", "2025-01-02 11:00", "2025-01-02 11:00"],
        }
    )
    log = _quiet(frame, start_timestamp="begin", timestamp="end")
    q = log.quality
    assert q.rejected == {"start_after_end": 1}
    assert q.adjusted["start_timestamp_missing"] == 1
    assert log.frame.sort("ts")["start_ts"].to_list()[0] is not None
    assert (log.frame["ts"] - log.frame["start_ts"]).drop_nulls().to_list() == [1800.0]


def test_strict_raises_on_first_rejection_naming_row_and_value():
    frame = pd.DataFrame(
        {
            "case": ["a", "a", "b"],
            "activity": ["X", "Y", "X"],
            "time": ["2025-01-02 10:00", "32.13.2025 10:00", None],
        }
    )
    with pytest.raises(rc.DataQualityError, match=r"Row 1 .*'32\.13\.2025 10:00'"):
        rc.read_log(frame, case="case", activity="activity", timestamp="time", strict=True)


def test_missing_column_error_lists_columns_and_closest_match():
    frame = pd.DataFrame({"Vorgang": ["a"], "Taetigkeiten": ["X"], "Zeitstempel": ["2025-01-02"]})
    with pytest.raises(
        rc.ColumnMappingError, match=r"'Tätigkeit' does not exist.*Did you mean 'Taetigkeiten'"
    ):
        rc.read_log(frame, activity="Tätigkeit")
    frame = pd.DataFrame({"Vorgang": ["a"], "Schrittname": ["X"], "Zeitstempel": ["2025-01-02"]})
    with pytest.raises(rc.ColumnMappingError, match=r"No activity column found.*'Schrittname'"):
        rc.read_log(frame)


def test_dst_gap_and_repeated_hour_are_repaired_and_counted():
    frame = pd.DataFrame(
        {
            "case": ["a", "a", "b", "b"],
            "activity": ["X", "Y", "X", "Y"],
            "time": [
                "30.03.2025 02:30",  # does not exist in Berlin
                "30.03.2025 03:30",
                "26.10.2025 02:30",  # exists twice
                "26.10.2025 04:00",
            ],
        }
    )
    log = rc.read_log(frame, case="case", activity="activity", timestamp="time")
    q = log.quality
    assert q.adjusted["dst_nonexistent"] == 1
    assert q.adjusted["dst_ambiguous"] == 1
    ts = log.frame.sort("row")["ts"].to_list()
    assert ts[0] == pd.Timestamp("2025-03-30T01:30:00Z").timestamp()  # offset before the switch
    assert ts[2] == pd.Timestamp("2025-10-26T00:30:00Z").timestamp()  # earliest: still CEST
    latest = rc.read_log(
        frame, case="case", activity="activity", timestamp="time", ambiguous="latest"
    )
    assert (
        latest.frame.sort("row")["ts"].to_list()[2]
        == pd.Timestamp("2025-10-26T01:30:00Z").timestamp()
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.csv", "No file at"),
        (lambda p: p, "is a directory"),
        (lambda p: (p / "log.xls").write_bytes(b"\xd0\xcf\x11\xe0") and p / "log.xls", r"\.xls"),
        (lambda p: (p / "x.xes").write_text("<log><trace><event>") and p / "x.xes", "truncated"),
        (lambda p: (p / "x.xes").write_text("<log></log>") and p / "x.xes", "without any event"),
        (lambda p: (p / "x.xes").write_text("<log><trace></log>") and p / "x.xes", "well-formed"),
    ],
)
def test_unreadable_sources_raise_log_format_error(tmp_path, make, message):
    with pytest.raises(rc.LogFormatError, match=message):
        rc.read_log(make(tmp_path))


def test_xes_with_doctype_is_refused(tmp_path):
    path = tmp_path / "xxe.xes"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE log [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<log><trace><event><string key="concept:name" value="&x;"/></event></trace></log>'
    )
    with pytest.raises(rc.LogFormatError, match="DOCTYPE"):
        rc.read_log(path)


def test_unknown_time_zone_and_options_are_parameter_errors(tmp_path):
    with pytest.raises(rc.ParameterError, match="Unknown time zone 'Europe/Bonn'"):
        rc.read_log(GERMAN, tz="Europe/Bonn")
    with pytest.raises(rc.ParameterError, match="only apply to files"):
        rc.read_log(GERMAN, delimiter=";")
    path = tmp_path / "log.parquet"
    pl.from_pandas(GERMAN).write_parquet(path)
    with pytest.raises(rc.ParameterError, match=r"Unknown reader options \['sheet'\]"):
        rc.read_log(path, sheet=1)
