"""Turn a source (a path or a DataFrame) into a raw table: one reader per format.

Every reader returns a :class:`RawTable` whose ``_row`` column numbers the input rows
(0-based) so that each row can be accounted for later. Nothing is dropped here except
CSV rows whose field count does not match the header, which are returned by index.
"""

from __future__ import annotations

import gzip
import os
import zipfile
import zlib
from pathlib import Path
from typing import Any

import polars as pl

from ..core.errors import LogFormatError, ParameterError
from .limits import max_bytes_option, read_limited
from .table import RawTable, _from_pandas, _with_row_index

__all__ = ["FORMATS", "RawTable", "read_source"]

#: File suffixes read_log understands, and their format.
FORMATS = {
    ".xes": "xes",
    ".xes.gz": "xes",
    ".csv": "csv",
    ".csv.gz": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}


def _format_of(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(suffix):
            return FORMATS[suffix]
    if name.endswith(".xls"):
        raise LogFormatError(
            f"{path.name!r} is an old binary Excel file (.xls), which cannot be read. "
            "Save it as .xlsx or as CSV (Datei > Speichern unter) and read that."
        )
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.open(path, "rb") as handle:
                inner = handle.read(512)
        except (OSError, EOFError, zlib.error):
            return "csv"  # the CSV reader names the damage
        return "xes" if b"<log" in inner or b"<?xml" in inner else "csv"
    if b"<log" in head or head.lstrip().startswith(b"<?xml"):
        return "xes"
    return "csv"


def read_source(source: Any, **options: Any) -> RawTable:
    """Read ``source`` into a :class:`RawTable`.

    Parameters
    ----------
    source : str, os.PathLike, pandas.DataFrame or polars.DataFrame
        See :func:`rpa_candidates.read_log`.
    **options
        Reader options: ``encoding`` and ``delimiter`` (CSV), ``sheet`` (Excel),
        ``xes_reader`` (``"auto"``, ``"rustxes"`` or ``"pm4py"``), ``max_bytes`` (CSV
        and XES: most bytes the file may hold or inflate to, default 4 GiB from
        ``data/limits.toml``, see :mod:`rpa_candidates.io.limits`); ``query``, ``table``
        and ``batch_rows`` for a database (:mod:`rpa_candidates.io.sql`); ``object_type``
        for an OCEL 2.0 log (:mod:`rpa_candidates.io.ocel`).

    Raises
    ------
    LogFormatError
        Missing path, a directory, an unknown or broken format, more data than
        ``max_bytes``.
    """
    from .sql import is_database

    if is_database(source, options):
        from .sql import read_database

        return read_database(source, **options)
    module = type(source).__module__.split(".")[0]
    if options and module in {"pandas", "polars", "pyspark"}:
        raise ParameterError(
            f"Reader options {sorted(options)!r} only apply to files, not to a DataFrame; "
            "drop them."
        )
    if module == "pandas":
        return _from_pandas(source)
    if module == "polars":
        frame = source.collect() if isinstance(source, pl.LazyFrame) else source
        if not isinstance(frame, pl.DataFrame):
            raise LogFormatError(f"Cannot read a polars {type(source).__name__} as a log.")
        return RawTable(_with_row_index(frame), "polars DataFrame", "dataframe", "polars")
    if module == "pyspark":
        raise LogFormatError(
            "A pyspark DataFrame stays on Spark: read it with rpa_candidates.read_log, "
            "which runs the normalisation there (rpa_candidates.io.spark)."
        )
    if not isinstance(source, str | os.PathLike):
        raise LogFormatError(
            f"Cannot read a log from a {type(source).__name__!r}. Give a file path (.xes, "
            ".xes.gz, .csv, .csv.gz, .parquet, .xlsx, OCEL 2.0), a pandas/polars DataFrame, "
            "or a database URI or connection with query= or table=."
        )
    path = Path(source)
    if not path.exists():
        raise LogFormatError(
            f"No file at {str(path)!r} (working directory: {os.getcwd()!r}). Check the path."
        )
    if path.is_dir():
        raise LogFormatError(
            f"{str(path)!r} is a directory; give the path of one log file inside it."
        )
    from .ocel import ocel_kind

    kind = ocel_kind(path)
    if kind is not None:
        from .ocel import read_ocel

        _check_options(options, {"object_type"}, "OCEL 2.0")
        return read_ocel(path, kind=kind, **options)
    if "object_type" in options:
        raise ParameterError(
            f"object_type applies to OCEL 2.0 logs (.jsonocel, .xmlocel, OCEL SQLite); "
            f"{path.name!r} is not one. Drop the option."
        )
    if path.suffix.lower() in (".db", ".sqlite", ".sqlite3", ".duckdb", ".ddb"):
        raise LogFormatError(
            f"{path.name!r} is a database file: give the events with query='SELECT ...' "
            "or table='name' (CLI: --query, --table)."
        )
    fmt = _format_of(path)
    if fmt == "xes":
        from .xes import read_xes

        max_bytes = max_bytes_option(options)
        reader = options.pop("xes_reader", "auto")
        return read_xes(path, reader=reader, max_bytes=max_bytes, **options)
    if fmt == "csv":
        return _read_csv(path, max_bytes=max_bytes_option(options), **options)
    if fmt == "parquet":
        return _read_parquet(path, **options)
    return _read_xlsx(path, **options)


def _check_options(options: dict[str, Any], allowed: set[str], fmt: str) -> None:
    unknown = set(options) - allowed
    if unknown:
        raise ParameterError(
            f"Unknown reader options {sorted(unknown)!r} for {fmt}; allowed: {sorted(allowed)!r}."
        )


def _read_csv(path: Path, *, max_bytes: int, **options: Any) -> RawTable:
    from .csv import read_csv_table

    _check_options(options, {"encoding", "delimiter"}, "CSV")
    raw = read_limited(path, max_bytes)
    result = read_csv_table(
        raw, encoding=options.get("encoding"), delimiter=options.get("delimiter")
    )
    table = result.table.with_columns(pl.col("_row").cast(pl.Int64))
    details = {
        "encoding": result.dialect.encoding,
        "delimiter": result.dialect.delimiter,
        "renamed_headers": dict(result.header_renamed),
    }
    return RawTable(
        table, path.name, "csv", "polars", list(result.malformed_rows), details, text_only=True
    )


def _read_parquet(path: Path, **options: Any) -> RawTable:
    _check_options(options, set(), "Parquet")
    try:
        table = pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as error:
        raise LogFormatError(
            f"{path.name!r} cannot be read as Parquet: {error}. Check that the file is complete."
        ) from error
    return RawTable(_with_row_index(table), path.name, "parquet", "polars")


def _read_xlsx(path: Path, **options: Any) -> RawTable:
    _check_options(options, {"sheet"}, "Excel")
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise LogFormatError(
            f"{path.name!r} cannot be opened as an Excel workbook ({error}). "
            "Open and save it again in Excel, or export it as CSV."
        ) from error
    sheet = options.get("sheet", 0)
    try:
        sheet_obj = book.worksheets[sheet] if isinstance(sheet, int) else book[sheet]
    except (IndexError, KeyError) as error:
        raise LogFormatError(
            f"Sheet {sheet!r} not found in {path.name!r}; sheets: {book.sheetnames!r}."
        ) from error
    rows = sheet_obj.iter_rows(values_only=True)
    header = next((r for r in rows if any(v is not None for v in r)), None)
    if header is None:
        raise LogFormatError(f"Sheet {sheet_obj.title!r} of {path.name!r} is empty.")
    names = _unique_names([("" if v is None else str(v).strip()) for v in header])
    columns: list[list[Any]] = [[] for _ in names]
    for row in rows:
        if all(v is None for v in row):
            continue
        for i in range(len(names)):
            columns[i].append(row[i] if i < len(row) else None)
    book.close()
    series = [_excel_series(name, values) for name, values in zip(names, columns, strict=True)]
    table = pl.DataFrame(series) if series else pl.DataFrame()
    return RawTable(
        _with_row_index(table), path.name, "xlsx", "openpyxl", details={"sheet": sheet_obj.title}
    )


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        base = name or f"column_{i + 1}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}_{seen[base]}")
    return out


def _excel_series(name: str, values: list[Any]) -> pl.Series:
    """One typed column: datetimes and numbers keep their cell type, the rest is text."""
    from datetime import date, datetime

    present = [v for v in values if v is not None]
    if present and all(isinstance(v, datetime) for v in present):
        return pl.Series(name, values, dtype=pl.Datetime("us"))
    if present and all(isinstance(v, date) and not isinstance(v, datetime) for v in present):
        return pl.Series(name, values, dtype=pl.Date)
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pl.Series(name, values, dtype=pl.Float64)
    text = [None if v is None or (isinstance(v, str) and not v.strip()) else str(v) for v in values]
    return pl.Series(name, text, dtype=pl.String)
