"""Date formats: US and day-first slash dates, sniffing, date_format, the CLI option."""

from __future__ import annotations

import warnings

import polars as pl
import pytest

import rpa_candidates as rc
from rpa_candidates.cli import main
from rpa_candidates.core.errors import AmbiguousDateError, LogFormatError, ParameterError
from rpa_candidates.io.dateformats import sniff_order
from rpa_candidates.io.datetimes import parse_timestamps


@pytest.fixture(scope="module")
def sim():
    return rc.synth.simulate("wohngeld", n_cases=60, seed=5)


def _write(sim, path, fmt, *, extra_rows: list[str] = ()):
    """The simulated events as CSV with ``Beginn``/``Ende`` written by ``fmt``."""
    events = sim.events.copy()
    events["Beginn"] = events.pop("start").dt.strftime(fmt)
    events["Ende"] = events.pop("end").dt.strftime(fmt)
    events = events.rename(columns={"case_id": "Vorgang", "activity": "Tätigkeit"})
    events = events.rename(columns={"resource": "Bearbeiter"})
    text = events.to_csv(index=False, sep=";")
    path.write_text(text + "".join(r + "\n" for r in extra_rows), encoding="utf-8")
    return path


def _read(path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.errors.DataQualityWarning)
        return rc.read_log(path, pseudonymize=False, **options)


def _truth(sim) -> list[float]:
    """Every simulated end time as epoch seconds, sorted (the simulator's ground truth)."""
    return sorted(sim.events["end"].dt.tz_convert("UTC").astype("int64") / 1000)


def test_us_dates_with_am_pm_are_sniffed_and_read_exactly(sim, tmp_path):
    path = _write(sim, tmp_path / "us.csv", "%m/%d/%Y %I:%M:%S %p")
    log = _read(path)
    q = log.quality
    assert (q.rows_read, q.rows_used, q.rejected) == (len(sim.events), len(sim.events), {})
    assert q.details["date_order_sniffed"] == "us"
    assert q.details["timestamp_formats"] == {"MM/DD/YYYY hh:mm:ss AM/PM": len(sim.events)}
    assert sorted(log.df["time:timestamp"].astype("int64") / 1e6) == pytest.approx(_truth(sim))


def test_us_dates_without_am_pm_and_day_first_dates(sim, tmp_path):
    us = _read(_write(sim, tmp_path / "us24.csv", "%m/%d/%Y %H:%M:%S"))
    eu = _read(_write(sim, tmp_path / "eu.csv", "%d/%m/%Y %H:%M:%S"))
    assert us.quality.details["date_order_sniffed"] == "us"
    assert eu.quality.details["date_order_sniffed"] == "de"
    for log in (us, eu):
        assert log.quality.rows_used == len(sim.events)
        assert sorted(log.df["time:timestamp"].astype("int64") / 1e6) == pytest.approx(_truth(sim))


def test_twelve_hour_clock_edges():
    values = ["01/02/2025 12:00 AM", "01/02/2025 12:30 pm", "01/02/2025 1:05 p.m.", "1/13/25"]
    parsed = parse_timestamps(pl.Series(values), tz="UTC")
    hours = [(s - 1735776000) / 3600 for s in parsed.seconds.to_list()[:3]]  # 2025-01-02
    assert hours == [0.0, 12.5, 13 + 5 / 60]
    assert parsed.seconds[3] == 1736726400.0  # 2025-01-13
    assert parsed.status.to_list() == ["ok"] * 4


def test_all_ambiguous_refuses_to_guess_and_names_the_option(tmp_path):
    path = tmp_path / "ambiguous.csv"
    path.write_text(
        "Fall;Tätigkeit;Zeitstempel\nA;Eingang;03/04/2025 10:00\nA;Prüfung;05/06/2025 11:00\n",
        encoding="utf-8",
    )
    with pytest.raises(AmbiguousDateError) as error:
        _read(path)
    message = str(error.value)
    assert "'03/04/2025 10:00'" in message
    assert "date_format=" in message
    assert "--date-format" in message
    assert "'us'" in message
    assert "'de'" in message
    us, de = _read(path, date_format="us"), _read(path, date_format="de")
    # 4 March vs 3 April 2025, 10:00 Berlin (CET vs CEST)
    assert us.df["time:timestamp"].iloc[0].isoformat() == "2025-03-04T09:00:00+00:00"
    assert de.df["time:timestamp"].iloc[0].isoformat() == "2025-04-03T08:00:00+00:00"
    assert main(["analyze", str(path)]) == 3


def test_mixed_orders_are_an_error():
    with pytest.raises(AmbiguousDateError, match="mix day-first and month-first"):
        sniff_order([pl.Series(["31/01/2025", "01/31/2025"])])
    assert sniff_order([pl.Series(["2025-01-31", "31.01.2025"])]) is None
    # the start column can decide for the end column
    assert sniff_order([pl.Series(["01/02/2025"]), pl.Series(["01/13/2025"])]) == "us"


def test_strftime_pattern_iso_and_rejections_are_counted(tmp_path):
    path = tmp_path / "pattern.csv"
    path.write_text(
        "Fall;Tätigkeit;Zeitstempel\n"
        "A;Eingang;2025|01|02 10:00:00.250\n"
        "A;Prüfung;2025|01|03 11:00:00.000\n"
        "B;Eingang;03.01.2025 12:00\n",
        encoding="utf-8",
    )
    log = _read(path, date_format="%Y|%m|%d %H:%M:%S.%f")
    q = log.quality
    assert (q.rows_read, q.rows_used, q.rejected) == (3, 2, {"unparseable_timestamp": 1})
    assert q.rejected_rows["row"].to_list() == [2]
    assert log.df["time:timestamp"].iloc[0].isoformat() == "2025-01-02T09:00:00.250000+00:00"
    iso = tmp_path / "iso.csv"
    iso.write_text(
        "Fall;Tätigkeit;Zeitstempel\nA;Eingang;2025-01-02T10:00\nA;Prüfung;03.01.2025 12:00\n",
        encoding="utf-8",
    )
    q = _read(iso, date_format="iso").quality
    assert (q.rows_used, q.rejected) == (1, {"unparseable_timestamp": 1})
    assert _read(iso).quality.rows_used == 2  # without the option both shapes are read


def test_bad_options_and_unreadable_columns(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Fall;Tätigkeit;Zeitstempel\nA;Eingang;2025-01-02\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="neither a name"):
        _read(path, date_format="american")
    bad = tmp_path / "bad.csv"
    bad.write_text("Fall;Tätigkeit;Zeitstempel\nA;Eingang;Jan 2nd 2025\n", encoding="utf-8")
    with pytest.raises(LogFormatError, match="None of the timestamps") as error:
        _read(bad)
    assert "--date-format" in str(error.value)
    assert "DD.MM.YYYY" in str(error.value)


def test_us_csv_through_analyze_and_the_cli(sim, tmp_path, capsys):
    path = _write(
        sim,
        tmp_path / "us_export.csv",
        "%m/%d/%Y %I:%M %p",
        extra_rows=["WG-X;Antrag erfassen;Heike Werner;13/13/2025 1:00 PM;;1;1;1;a;b;nein"],
    )
    log = _read(path)
    assert log.quality.rejected == {"unparseable_timestamp": 1}
    assert log.quality.rows_read == len(sim.events) + 1
    result = rc.analyze(log)
    assert set(result.candidates["activity"]) == set(sim.events["activity"])
    json_path = tmp_path / "out.json"
    assert main(["analyze", str(path), "--date-format", "us", "--json", str(json_path)]) == 0
    assert "MM/DD/YYYY hh:mm AM/PM" in json_path.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["analyze", str(path), "--date-format", "%Y.%m.%d %H:%M"]) == 3
    assert "None of the timestamps" in capsys.readouterr().err
