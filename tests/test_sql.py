"""Databases: a real PostgreSQL server (started by .ci/run), SQLite and DuckDB files.

The PostgreSQL tests need ``RPA_TEST_POSTGRES_URI`` (``.ci/run`` starts a throw-away
server on 127.0.0.1 with a random password and exports it); without it they skip.
"""

from __future__ import annotations

import json
import os
import sqlite3
import warnings

import pyarrow as pa
import pytest

import rpa_candidates as rc
from rpa_candidates.cli import main
from rpa_candidates.core.errors import LogFormatError, ParameterError
from rpa_candidates.io.sql import mask_secrets

PG_URI = os.environ.get("RPA_TEST_POSTGRES_URI")
needs_pg = pytest.mark.skipif(
    not PG_URI, reason="RPA_TEST_POSTGRES_URI not set (.ci/run starts a PostgreSQL server)"
)


def _read(source, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.errors.DataQualityWarning)
        return rc.read_log(source, **options)


@pytest.fixture(scope="module")
def sim():
    return rc.synth.simulate("wohngeld", n_cases=80, seed=11)


@pytest.fixture(scope="module")
def german(sim) -> pa.Table:
    """The simulated events with German column names and a zone-aware timestamp."""
    e = sim.events
    return pa.table(
        {
            "Aktenzeichen": e["case_id"].tolist(),
            "Tätigkeit": e["activity"].tolist(),
            "Sachbearbeiter": e["resource"].tolist(),
            "Beginn": pa.array(e["start"].dt.tz_convert("UTC"), pa.timestamp("us", "UTC")),
            "Ende": pa.array(e["end"].dt.tz_convert("UTC"), pa.timestamp("us", "UTC")),
            "Einkommen": e["Einkommen"].tolist(),
        }
    )


@pytest.fixture(scope="module")
def reference(sim, tmp_path_factory):
    """The same events read from a CSV export: what every database read must equal."""
    path = tmp_path_factory.mktemp("ref") / "wohngeld.csv"
    sim.write_csv(path)
    return _read(path)


def _same_log(log, reference) -> None:
    assert (log.n_events, log.n_cases) == (reference.n_events, reference.n_cases)
    key = ["case:concept:name", "time:timestamp", "concept:name", "org:resource"]
    got = log.df[key].sort_values(key).reset_index(drop=True)
    want = reference.df[key].sort_values(key).reset_index(drop=True)
    assert (
        got["time:timestamp"].astype("int64").tolist()
        == want["time:timestamp"].astype("int64").tolist()
    )
    # same case ids and staff give the same keyed pseudonyms, whatever the source
    assert got["case:concept:name"].tolist() == want["case:concept:name"].tolist()
    assert got["org:resource"].astype(str).tolist() == want["org:resource"].astype(str).tolist()


def _text_rows(sim) -> list[tuple]:
    """Events with German text dates, plus two bad rows (no activity; unreadable date)."""
    e = sim.events
    rows = [
        (c, a, r, s.strftime("%d.%m.%Y %H:%M:%S"), t.strftime("%d.%m.%Y %H:%M:%S"))
        for c, a, r, s, t in zip(
            e["case_id"], e["activity"], e["resource"], e["start"], e["end"], strict=True
        )
    ]
    return [
        *rows,
        ("WG-X", None, "Heike Werner", None, "01.01.2025 08:00"),
        *[("WG-Y", "Antrag erfassen", "Heike Werner", None, "gestern")],
    ]


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="module")
def pg(german, sim):
    if not PG_URI:
        pytest.skip("RPA_TEST_POSTGRES_URI not set (.ci/run starts a PostgreSQL server)")
    import adbc_driver_postgresql.dbapi as dbapi

    with dbapi.connect(PG_URI) as conn, conn.cursor() as cur:
        cur.adbc_ingest("Wohngeld Vorgänge", german, mode="replace")
        cur.execute('DROP TABLE IF EXISTS "Ereignisse Text"')
        cur.execute(
            'CREATE TABLE "Ereignisse Text" ("Vorgangsnummer" text, "Tätigkeit" text, '
            '"Bearbeiter" text, "Beginn" text, "Ende" text)'
        )
        cur.executemany(
            'INSERT INTO "Ereignisse Text" VALUES ($1, $2, $3, $4, $5)', _text_rows(sim)
        )
        conn.commit()
        cur.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'Wohngeld Vorgänge' AND column_name = 'Ende'"
        )
        assert cur.fetchone()[0] == "timestamp with time zone"
    return PG_URI


@needs_pg
def test_postgres_table_with_timestamptz_and_german_names(pg, reference):
    log = _read(pg, table="Wohngeld Vorgänge")
    q = log.quality
    assert q.format == "sql"
    assert q.reader == "adbc-postgresql"
    assert q.columns == {
        "case": "Aktenzeichen",
        "activity": "Tätigkeit",
        "timestamp": "Ende",
        "start_timestamp": "Beginn",
        "resource": "Sachbearbeiter",
    }
    assert q.details["timestamp_formats"] == {"datetime with time zone": reference.n_events}
    assert (q.rows_read, q.rows_used, q.rejected) == (reference.n_events,) * 2 + ({},)
    _same_log(log, reference)
    assert log.df["Einkommen"].dtype == "float64"


@needs_pg
def test_postgres_query_with_text_dates_counts_every_rejected_row(pg, reference):
    log = _read(pg, query='SELECT * FROM "Ereignisse Text" WHERE "Vorgangsnummer" <> \'none\'')
    q = log.quality
    assert q.rows_read == reference.n_events + 2
    assert q.rejected == {"missing_activity": 1, "unparseable_timestamp": 1}
    assert q.details["timestamp_formats"] == {
        "DD.MM.YYYY hh:mm:ss": reference.n_events,
        "DD.MM.YYYY hh:mm": 1,
    }
    log_ok = _read(
        pg, query='SELECT * FROM "Ereignisse Text" WHERE "Vorgangsnummer" LIKE \'WG-2%\''
    )
    _same_log(log_ok, reference)


@needs_pg
def test_no_secret_in_reports_logs_errors_or_repr(pg, tmp_path, capsys):
    from urllib.parse import urlsplit

    password = urlsplit(pg).password
    assert password
    assert len(password) >= 8
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        log = rc.read_log(pg, table="Ereignisse Text")
    result = rc.analyze(log)
    outputs = [
        repr(log),
        log.quality.summary(),
        log.quality.summary(lang="en"),
        str(log.quality.details),
        log.quality.source,
        result.to_markdown(),
        repr(result),
        *(str(w.message) for w in caught),
    ]
    result.to_json(tmp_path / "r.json")
    result.to_html(tmp_path / "r.html")
    outputs += [(tmp_path / "r.json").read_text(encoding="utf-8")]
    outputs += [(tmp_path / "r.html").read_text(encoding="utf-8")]
    assert "postgresql://postgres:***@127.0.0.1" in log.quality.source
    for bad in ({"table": "gibt_es_nicht"}, {"query": "SELEKT 1"}):
        with pytest.raises(LogFormatError) as error:
            _read(pg, **bad)
        outputs.append(str(error.value))
        assert error.value.__cause__ is None
    wrong = pg.replace(f":{password}@", f":{password}x@")
    with pytest.raises(LogFormatError, match="password authentication failed") as error:
        _read(wrong, table="Ereignisse Text")
    outputs.append(str(error.value))
    assert (
        main(["analyze", pg, "--table", "Ereignisse Text", "--json", str(tmp_path / "c.json")]) == 0
    )
    assert main(["analyze", wrong, "--table", "x"]) == 3
    printed = capsys.readouterr()
    outputs += [printed.out, printed.err, (tmp_path / "c.json").read_text(encoding="utf-8")]
    for text in outputs:
        assert password not in text


@needs_pg
def test_postgres_through_analyze_and_the_cli_with_env_uri(pg, reference, tmp_path, monkeypatch):
    log = _read(pg, table="Wohngeld Vorgänge")
    result = rc.analyze(log)
    want = rc.analyze(reference)
    assert result.candidates["activity"].tolist() == want.candidates["activity"].tolist()
    assert result.candidates["relief_hours_per_year"].tolist() == pytest.approx(
        want.candidates["relief_hours_per_year"].tolist()
    )
    monkeypatch.setenv("RPA_LOG_DB", pg)
    out = tmp_path / "pg.json"
    assert (
        main(["analyze", "env:RPA_LOG_DB", "--table", "Wohngeld Vorgänge", "--json", str(out)]) == 0
    )
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["quality"]["rows_used"] == reference.n_events
    assert [c["activity"] for c in payload["candidates"]] == want.candidates["activity"].tolist()


def test_env_uri_must_be_set(monkeypatch):
    monkeypatch.delenv("RPA_NOT_SET", raising=False)
    with pytest.raises(ParameterError, match="RPA_NOT_SET"):
        rc.read_log("env:RPA_NOT_SET", table="x")


# --------------------------------------------------------------------------- SQLite, DuckDB


@pytest.fixture(scope="module")
def sqlite_file(sim, tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "akten.db"
    with sqlite3.connect(path) as conn:
        conn.execute(
            'CREATE TABLE "Ereignisse" ("Vorgangsnummer" TEXT, "Tätigkeit" TEXT, '
            '"Bearbeiter" TEXT, "Beginn" TEXT, "Ende" TEXT)'
        )
        conn.executemany('INSERT INTO "Ereignisse" VALUES (?, ?, ?, ?, ?)', _text_rows(sim))
    return path


def test_sqlite_by_uri_file_connection_and_sqlalchemy(sqlite_file, reference):
    import sqlalchemy

    by_uri = _read(f"sqlite:///{sqlite_file}", table="Ereignisse")
    assert by_uri.quality.reader == "adbc-sqlite"
    assert by_uri.quality.source == "akten.db · Ereignisse"
    assert by_uri.quality.rejected == {"missing_activity": 1, "unparseable_timestamp": 1}
    assert by_uri.quality.rows_read == reference.n_events + 2
    query = "SELECT * FROM Ereignisse WHERE Vorgangsnummer LIKE 'WG-2%'"
    with sqlite3.connect(sqlite_file) as conn:
        by_connection = _read(conn, query=query)
    assert by_connection.quality.reader == "dbapi"
    engine = sqlalchemy.create_engine(f"sqlite:///{sqlite_file}")
    by_engine = _read(engine, query=query)
    engine.dispose()
    assert by_engine.quality.reader == "sqlalchemy"
    by_dialect = _read(f"sqlite+pysqlite:///{sqlite_file}", query=query)
    for log in (by_connection, by_engine, by_dialect, _read(sqlite_file, query=query)):
        _same_log(log, reference)


def test_duckdb_file_and_connection(german, reference, tmp_path):
    import duckdb

    path = tmp_path / "akten.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.register("src", german)
        conn.execute('CREATE TABLE "Vorgänge" AS SELECT * FROM src')
    log = _read(f"duckdb:///{path}", table="Vorgänge")
    assert log.quality.reader == "duckdb"
    _same_log(log, reference)
    with duckdb.connect(str(path), read_only=True) as conn:
        _same_log(_read(conn, query='SELECT * FROM "Vorgänge"'), reference)
    cli_json = tmp_path / "d.json"
    assert main(["analyze", str(path), "--table", "Vorgänge", "--json", str(cli_json)]) == 0
    assert json.loads(cli_json.read_text(encoding="utf-8"))["quality"]["rows_used"] == len(
        reference.df
    )


def test_database_errors_say_what_to_do(sqlite_file, tmp_path):
    with pytest.raises(ParameterError, match="exactly one of query"):
        rc.read_log(f"sqlite:///{sqlite_file}")
    with pytest.raises(ParameterError, match="exactly one of query"):
        rc.read_log(f"sqlite:///{sqlite_file}", query="SELECT 1", table="Ereignisse")
    with pytest.raises(LogFormatError, match="No SQLite database file"):
        rc.read_log(f"sqlite:///{tmp_path / 'fehlt.db'}", table="x")
    with pytest.raises(LogFormatError, match="no such table"):
        rc.read_log(f"sqlite:///{sqlite_file}", table="Fehlt")
    with pytest.raises(ParameterError, match="Unknown reader options"):
        rc.read_log(f"sqlite:///{sqlite_file}", table="Ereignisse", sheet=1)
    # table= is an identifier, never SQL: the "injection" is a (missing) table name
    with pytest.raises(LogFormatError, match="no such table"):
        rc.read_log(f"sqlite:///{sqlite_file}", table='Ereignisse"; DROP TABLE "Ereignisse')
    with sqlite3.connect(sqlite_file) as conn:
        assert conn.execute('SELECT COUNT(*) FROM "Ereignisse"').fetchone()[0] > 0


def test_mask_secrets():
    uri = "postgresql://anna:g%40heim!@db.example:5432/akten"
    assert mask_secrets(f"failed for {uri}", uri) == (
        "failed for postgresql://anna:***@db.example:5432/akten"
    )
    assert mask_secrets("the password g@heim! was wrong", uri) == "the password *** was wrong"
    assert mask_secrets("host=db password=geheim user=anna") == "host=db password=*** user=anna"
