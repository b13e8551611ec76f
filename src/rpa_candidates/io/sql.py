"""Databases: a SQL query or table read straight into polars through Arrow (stage: io).

``read_log(uri, query=...)`` or ``read_log(connection, table=...)``. The rows arrive as
Arrow record batches and become polars frames without a pandas copy:

* ``postgresql://`` (or ``postgres://``) URIs through the ADBC PostgreSQL driver (libpq's
  binary COPY protocol); ``sqlite:///file.db`` through the ADBC SQLite driver;
  ``duckdb:///file.duckdb`` through DuckDB's own Arrow reader (read-only);
* any other URI (``mysql+pymysql://``, ``mssql+pyodbc://``, ...) through SQLAlchemy, and
  connection objects (ADBC, DuckDB, ``sqlite3``, SQLAlchemy engines/connections, any
  DB-API 2 connection) through ``polars.read_database`` in batches.

Credentials come only from the URI or the environment (libpq reads ``PGPASSWORD``,
``PGPASSFILE``, ``PGSERVICE``; ``env:NAME`` as the source reads the URI from the variable
``NAME``, which keeps it out of shell histories). The password never reaches a report, a
log line, an exception message or a ``repr``: :func:`mask_secrets` replaces it in the
source label (``quality.source``) and in every driver message passed on.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import polars as pl

from ..core._data import load_toml
from ..core.errors import LogFormatError, ParameterError
from .table import RawTable, _with_row_index

__all__ = ["DATABASE_SUFFIXES", "is_database", "mask_secrets", "read_database"]

#: Files read as databases when ``query`` or ``table`` is given.
DATABASE_SUFFIXES = {".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite"} | {
    ".duckdb": "duckdb",
    ".ddb": "duckdb",
}
_URI = re.compile(r"^([a-z][a-z0-9+.\-]*)://", re.IGNORECASE)
_INSTALL = "pip install 'rpa-candidates[sql]'"


def is_database(source: Any, options: dict[str, Any]) -> bool:
    """Whether ``source`` (with the reader ``options``) names a database to query."""
    if isinstance(source, str) and source.startswith("env:"):
        return True
    if isinstance(source, str) and _URI.match(source) and not source.startswith("file:"):
        return True
    if isinstance(source, str | os.PathLike):
        suffix = Path(source).suffix.lower()
        return suffix in DATABASE_SUFFIXES and ("query" in options or "table" in options)
    module = type(source).__module__
    if module.startswith(("pandas", "polars", "pyspark")):
        return False
    return callable(getattr(source, "cursor", None)) or module.startswith(
        ("adbc_driver_manager", "duckdb", "_duckdb", "sqlite3", "sqlalchemy")
    )


def mask_secrets(text: str, uri: str | None = None) -> str:
    """``text`` with the password of ``uri`` and of any URI or ``password=`` in it masked.

    Examples
    --------
    >>> mask_secrets("postgresql://anna:geheim@db:5432/akten")
    'postgresql://anna:***@db:5432/akten'
    """
    if uri:
        try:
            password = urlsplit(uri).password
        except ValueError:
            password = None
        for secret in {password, unquote(password or "")} - {None, ""}:
            text = text.replace(secret, "***")
    text = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)
    return re.sub(r"(?i)(password\s*=\s*)('[^']*'|\S+)", r"\1***", text)


def read_database(
    source: Any, *, query: str | None = None, table: str | None = None, **options: Any
) -> RawTable:
    """Run ``query`` (or read ``table``) and return its rows as a :class:`RawTable`.

    Parameters
    ----------
    source : str, os.PathLike or connection
        A URI (``postgresql://user@host/db``, ``sqlite:///file.db``,
        ``duckdb:///file.duckdb``, any SQLAlchemy URI), ``env:NAME`` for a URI in an
        environment variable, a SQLite or DuckDB file, or an open connection (not closed).
    query : str, default=None
        The SQL whose rows are the events.
    table : str, default=None
        Instead of ``query``: a table or view, ``name`` or ``schema.name`` (quoted, so
        German names with umlauts and capitals work as written).
    **options
        ``batch_rows`` (rows per batch for DuckDB and the DB-API/SQLAlchemy route,
        default 65,536 from ``data/limits.toml``).

    Raises
    ------
    ParameterError
        Neither or both of ``query`` and ``table``; an unknown option.
    LogFormatError
        A missing driver or file, a refused connection, a rejected query (the driver's
        message, with secrets masked).
    """
    batch_rows = options.pop("batch_rows", None)
    if batch_rows is None:
        batch_rows = int(load_toml("limits.toml")["sql_batch_rows"]["value"])
    if not isinstance(batch_rows, int) or isinstance(batch_rows, bool) or batch_rows < 1:
        raise ParameterError(f"batch_rows={batch_rows!r}; give a positive whole number of rows.")
    if options:
        raise ParameterError(
            f"Unknown reader options {sorted(options)!r} for a database; allowed: "
            "['query', 'table', 'batch_rows']."
        )
    if (query is None) == (table is None):
        raise ParameterError(
            "Reading a database needs exactly one of query='SELECT ...' or table='name' "
            "(CLI: --query or --table)."
        )
    if isinstance(source, str) and source.lower().startswith(("http://", "https://", "ftp://")):
        raise LogFormatError("read_log does not download: save the file first and give its path.")
    sql = query if query is not None else f"SELECT * FROM {_quoted(table)}"
    what = f"table {table}" if table is not None else "query"
    uri = _uri_of(source)
    secret = uri if isinstance(uri, str) else None
    try:
        if isinstance(uri, str) or isinstance(source, str | os.PathLike):
            frames, reader, label = _from_uri(uri if uri is not None else source, sql, batch_rows)
        else:
            frames, reader = _from_connection(source, sql, batch_rows)
            label = type(source).__name__
    except (LogFormatError, ParameterError):
        raise
    except Exception as error:  # driver errors have no common base class
        message = mask_secrets(f"{type(error).__name__}: {error}", secret).strip()
        raise LogFormatError(
            f"The database could not return the {what}: {message[:600]}. Check the "
            "connection, the table name and the SQL."
        ) from None  # the original may hold the URI in its arguments
    table_ = pl.concat(frames, how="vertical_relaxed", rechunk=False) if frames else pl.DataFrame()
    return RawTable(
        _with_row_index(table_),
        f"{mask_secrets(label, secret)} · {table if table is not None else 'SQL'}",
        "sql",
        reader,
        details={"database": {"reader": reader, "batches": len(frames), "table": table}},
    )


def _uri_of(source: Any) -> str | None:
    if isinstance(source, str) and source.startswith("env:"):
        name = source[4:]
        value = os.environ.get(name)
        if not value:
            raise ParameterError(
                f"The environment variable {name!r} is not set or empty; set it to the "
                "database URI (e.g. postgresql://user@host:5432/db)."
            )
        return value
    if isinstance(source, str) and _URI.match(source):
        return source
    return None


def _quoted(table: Any) -> str:
    if not isinstance(table, str) or not table.strip():
        raise ParameterError(f"table={table!r}; give a table name such as 'vorgaenge'.")
    return ".".join('"' + part.replace('"', '""') + '"' for part in table.strip().split("."))


def _file(path_text: str, kind: str) -> str:
    path = Path(path_text)
    if not path.is_file():
        raise LogFormatError(
            f"No {kind} database file at {path_text!r} (working directory: {os.getcwd()!r})."
        )
    return str(path)


def _from_uri(source: Any, sql: str, batch_rows: int) -> tuple[list[pl.DataFrame], str, str]:
    """Open the database behind a URI or file, run ``sql``, close it again."""
    if not isinstance(source, str) or not _URI.match(source):  # a database file
        kind = DATABASE_SUFFIXES[Path(source).suffix.lower()]
        source = f"{kind}:///{source}"
    scheme = _URI.match(source).group(1).lower()
    if scheme in ("postgresql", "postgres"):
        dbapi = _driver("adbc_driver_postgresql.dbapi", "adbc-driver-postgresql")
        with dbapi.connect(source) as conn:
            return _adbc(conn, sql), "adbc-postgresql", source
    if scheme == "sqlite":
        dbapi = _driver("adbc_driver_sqlite.dbapi", "adbc-driver-sqlite")
        path = _file(source.split("://", 1)[1].removeprefix("/"), "SQLite")
        with dbapi.connect(path) as conn:
            return _adbc(conn, sql), "adbc-sqlite", Path(path).name
    if scheme == "duckdb":
        duckdb = _driver("duckdb", "duckdb")
        path = _file(source.split("://", 1)[1].removeprefix("/"), "DuckDB")
        conn = duckdb.connect(path, read_only=True)
        try:
            return _duckdb(conn, sql, batch_rows), "duckdb", Path(path).name
        finally:
            conn.close()
    sqlalchemy = _driver("sqlalchemy", "sqlalchemy")
    engine = sqlalchemy.create_engine(source)
    try:
        with engine.connect() as conn:
            return _batched(conn, sqlalchemy.text(sql), batch_rows), "sqlalchemy", source
    finally:
        engine.dispose()


def _from_connection(conn: Any, sql: str, batch_rows: int) -> tuple[list[pl.DataFrame], str]:
    module = type(conn).__module__
    if module.startswith("adbc_driver_manager"):
        return _adbc(conn, sql), "adbc"
    if module.startswith(("duckdb", "_duckdb")):
        return _duckdb(conn, sql, batch_rows), "duckdb"
    if module.startswith("sqlalchemy"):
        import sqlalchemy

        return _batched(conn, sqlalchemy.text(sql), batch_rows), "sqlalchemy"
    return _batched(conn, sql, batch_rows), "dbapi"


def _driver(module: str, package: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise LogFormatError(
            f"Reading this database needs the package {package!r}: {_INSTALL} "
            f"(or pip install {package})."
        ) from error


def _adbc(conn: Any, sql: str) -> list[pl.DataFrame]:
    with conn.cursor() as cursor:
        cursor.execute(sql)
        return _arrow_frames(cursor.fetch_record_batch())


def _duckdb(conn: Any, sql: str, batch_rows: int) -> list[pl.DataFrame]:
    relation = conn.sql(sql)  # DuckDB >= 1.4 streams a relation; older: the result
    reader = getattr(relation, "to_arrow_reader", None)
    if reader is None:
        reader = conn.execute(sql).fetch_record_batch
    return _arrow_frames(reader(batch_rows))


def _batched(conn: Any, sql: Any, batch_rows: int) -> list[pl.DataFrame]:
    batches = pl.read_database(
        sql, conn, iter_batches=True, batch_size=batch_rows, infer_schema_length=None
    )
    return list(batches)


def _arrow_frames(reader: Any) -> list[pl.DataFrame]:
    """Each record batch as a polars frame; driver extension types become plain types."""
    frames = [pl.from_arrow(_plain(batch)) for batch in reader]
    if not frames:  # no row: the column names still resolve the roles
        frames = [pl.DataFrame(schema=dict.fromkeys(reader.schema.names, pl.String))]
    return frames


def _plain(batch: Any) -> Any:
    """Arrow extension columns (PostgreSQL ``numeric`` arrives as opaque text) as storage;
    numeric text as float64."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns, changed = [], False
    for field, column in zip(batch.schema, batch.columns, strict=True):
        if isinstance(field.type, pa.BaseExtensionType):
            column, changed = column.storage, True
            if "numeric" in str(field.type) or b"numeric" in (field.metadata or {}).values():
                column = pc.cast(column, pa.float64())
        columns.append(column)
    if not changed:
        return batch
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)
