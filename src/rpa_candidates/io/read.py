"""``read_log``: any supported source to an :class:`~rpa_candidates.EventLog`."""

from __future__ import annotations

import warnings
import zoneinfo
from datetime import UTC, datetime
from typing import Any, Literal

import polars as pl

from ..core.errors import DataQualityWarning, ParameterError, RpaCandidatesError
from ..core.eventlog import EventLog
from ..core.privacy import derive_key, pseudonymize_column, run_values
from ..core.quality import REJECTION_REASONS, DataQuality, log_warnings
from .dateformats import shapes_for
from .datetimes import utc_offset_seconds
from .normalize import CANONICAL, normalize
from .numbers import coerce_numeric_columns
from .roles import STAFF_HEADERS, normalize_name
from .sources import read_source

__all__ = ["read_log"]


def read_log(
    source: Any,
    *,
    case: str | None = None,
    activity: str | None = None,
    timestamp: str | None = None,
    start_timestamp: str | None = None,
    resource: str | None = None,
    lifecycle: str | None = None,
    tz: str = "Europe/Berlin",
    strict: bool = False,
    ambiguous: Literal["earliest", "latest"] = "earliest",
    pseudonymize: bool = True,
    pseudonym_key: str | bytes | None = None,
    date_format: str | None = None,
    **reader_options: Any,
) -> EventLog:
    """Read an event log from a file or a DataFrame, accounting for every row.

    Parameters
    ----------
    source : str, os.PathLike, pandas.DataFrame, polars.DataFrame or pyspark DataFrame
        A path to ``.xes``, ``.xes.gz``, ``.csv``, ``.csv.gz`` (also ``.tsv``, ``.txt``),
        ``.parquet`` or ``.xlsx``, or a DataFrame (never modified). A pyspark DataFrame is
        read on Spark and its log's features run there (see :mod:`rpa_candidates.io.spark`).
        A database: a URI (``postgresql://user@host/db``, ``sqlite:///file.db``,
        ``duckdb:///file.duckdb``, any SQLAlchemy URI; ``env:NAME`` reads it from an
        environment variable), a SQLite/DuckDB file or an open connection, with
        ``query=`` or ``table=`` (see :mod:`rpa_candidates.io.sql`). An OCEL 2.0 log
        (``.jsonocel``, ``.xmlocel``, OCEL SQLite) with ``object_type=`` naming the type
        whose objects are the cases (see :mod:`rpa_candidates.io.ocel`).
    case, activity, timestamp, start_timestamp, resource, lifecycle : str, default=None
        Column of each role. Roles not given are guessed from XES names and common
        German, English and Dutch headers (``Vorgangsnummer``, ``Tätigkeit``,
        ``Zeitstempel``, ``Beginn``, ``Bearbeiter``, ...); the guess is in
        ``log.quality.columns`` and ``log.quality.column_source``.
    tz : str, default="Europe/Berlin"
        Time zone of timestamps written without a UTC offset.
    strict : bool, default=False
        Raise :class:`~rpa_candidates.DataQualityError` on the first row that would be
        rejected instead of counting it.
    ambiguous : {"earliest", "latest"}, default="earliest"
        Reading of local times in the repeated hour when summer time ends.
    pseudonymize : bool, default=True
        Replace case ids and staff identifiers (and attribute columns holding staff
        identifiers) by keyed-hash pseudonyms, see :mod:`rpa_candidates.core.privacy`.
    pseudonym_key : str or bytes, default=None
        Key for stable pseudonyms across exports; default: the environment variable
        ``RPA_CANDIDATES_PSEUDONYM_KEY``, else a key derived from the log.
    date_format : str, default=None
        How text timestamps are written: ``"us"`` (``MM/DD/YYYY``, also with
        ``AM``/``PM``), ``"de"`` (``DD/MM/YYYY``), ``"iso"`` or a strftime pattern
        (``"%m/%d/%Y %I:%M %p"``). None reads German, ISO and epoch values and decides the
        order of slash dates from the values (a day above 12), refusing to guess when
        every value is ambiguous; see :mod:`rpa_candidates.io.dateformats`.
    **reader_options
        ``encoding``, ``delimiter`` (CSV; sniffed when absent), ``sheet`` (Excel),
        ``xes_reader`` (``"auto"``, ``"rustxes"``, ``"pm4py"``); ``query``, ``table``,
        ``batch_rows`` (databases); ``object_type`` (OCEL 2.0).

    Returns
    -------
    EventLog
        One row per activity instance: a lifecycle log's start and complete events are
        paired; ``log.quality`` accounts for every input row
        (``rows_read = rows_used + Σ rejected``).

    Raises
    ------
    LogFormatError
        The source cannot be read (missing file, unknown or broken format).
    ColumnMappingError
        A role's column does not exist or cannot be guessed.
    DataQualityError
        ``strict=True`` and a row would be rejected.

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> log = rc.read_log("sample_logs/receipt.xes.gz")
    >>> log.n_cases
    1434
    """
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ParameterError(
            f"Unknown time zone {tz!r}; give an IANA name such as 'Europe/Berlin' or 'UTC'."
        ) from error
    if ambiguous not in ("earliest", "latest"):
        raise ParameterError(f"ambiguous={ambiguous!r}; expected 'earliest' or 'latest'.")
    if date_format is not None:
        shapes_for(date_format)  # a wrong value fails before anything is read
    given = {
        "case": case,
        "activity": activity,
        "timestamp": timestamp,
        "start_timestamp": start_timestamp,
        "resource": resource,
        "lifecycle": lifecycle,
    }
    if type(source).__module__.startswith("pyspark"):
        if date_format is not None:
            raise ParameterError(
                "date_format is not supported for a pyspark DataFrame yet; parse the column "
                "with pyspark.sql.functions.to_timestamp(column, pattern) before reading."
            )
        from .spark import read_spark

        frame, quality, identities = read_spark(
            source,
            given=given,
            tz=tz,
            ambiguous=ambiguous,
            strict=strict,
            pseudonymize=pseudonymize,
            pseudonym_key=pseudonym_key,
            **reader_options,
        )
        return _checked(frame, quality, tz=tz, identities=identities)
    raw = read_source(source, **reader_options)
    norm = normalize(
        raw, given=given, tz=tz, ambiguous=ambiguous, strict=strict, date_format=date_format
    )
    raw.table = raw.table.clear()  # every row is now in norm.frame or norm.rejected_rows
    frame = norm.frame
    norm.frame = frame.clear()  # the frame is transformed below; do not hold it twice
    details = {**raw.details, **norm.details, "tz": tz}
    attributes = [c for c in frame.columns if c not in (*CANONICAL, "row")]
    if raw.text_only and attributes:
        frame, numeric = coerce_numeric_columns(frame, attributes)
        if numeric:
            details["numeric_columns"] = numeric
    frame = frame.with_columns(
        utc_offset_seconds(frame.get_column("ts"), tz=tz).alias("utc_offset")
    )
    frame = frame.select(*CANONICAL, *attributes)
    order = _sort_order(frame, ["case_id", "ts", "start_ts", "row"])
    if order is not None:  # one column at a time: the frame never exists twice
        for column in frame.columns:
            frame = frame.with_columns(frame.get_column(column).gather(order))
    # sorted by case: each case is one run, numbered 0 .. cases - 1
    runs = frame.get_column("case_id").rle_id()
    identities: dict[str, dict[str, str]] = {}
    if pseudonymize:
        frame, identities, hidden = _pseudonymize(frame, attributes, pseudonym_key, runs)
        details["pseudonymized"] = ["case_id", "resource", *hidden]
    else:
        details["pseudonymized"] = []
    cases = int(runs.max()) + 1 if len(runs) else 0
    quality = _quality(raw, norm, frame, details, cases=cases)
    # activities and staff repeat on every event: as categoricals they take 4 bytes a row
    # (0.3 GB less at 10 M events); values and sort order are those of the strings
    frame = frame.with_columns(pl.col("activity", "resource").cast(pl.Categorical))
    return _checked(frame, quality, tz=tz, identities=identities)


def _sort_order(frame: pl.DataFrame, keys: list[str]) -> pl.Series | None:
    """The permutation of ``frame.sort(keys, nulls_last=False)``; None if already sorted.

    The caller gathers column by column, so at most one column exists twice
    (``DataFrame.sort`` holds the whole frame twice: 1.2 GB more at 10 M events).
    """
    order = frame.select(pl.arg_sort_by(keys, nulls_last=False).alias("_order")).to_series()
    if (order == pl.int_range(len(order), eager=True, dtype=order.dtype)).all():
        return None
    return order


def _checked(
    frame: Any, quality: DataQuality, *, tz: str, identities: dict[str, dict[str, str]]
) -> EventLog:
    """Check the row identity, warn about rejected rows, and wrap the log."""
    if quality.rows_read != quality.rows_used + quality.rows_rejected:
        raise RpaCandidatesError(
            f"Internal accounting error: {quality.rows_read} rows read, {quality.rows_used} "
            f"used, {quality.rows_rejected} rejected. Please report this with the log's shape."
        )
    if quality.rows_rejected:
        top = ", ".join(f"{n:,} {REJECTION_REASONS[r][0]}" for r, n in quality.rejected.items())
        warnings.warn(
            f"{quality.rows_rejected:,} of {quality.rows_read:,} rows not used ({top}); "
            "see log.quality.summary() and log.quality.rejected_rows.",
            DataQualityWarning,
            stacklevel=3,
        )
    log = EventLog(frame, quality, tz=tz, identities=identities)
    # the read counted them already (a distinct count over 1 M case ids costs 15 ms; on
    # Spark each is a job)
    log.n_events, log.n_cases = quality.events, quality.cases
    log.n_activities = quality.activities
    return log


def _pseudonymize(
    frame: pl.DataFrame, attributes: list[str], key: str | bytes | None, runs: pl.Series
) -> tuple[pl.DataFrame, dict[str, dict[str, str]], list[str]]:
    staff = set(frame.get_column("resource").drop_nulls().unique().to_list())
    hidden = []
    for column in attributes:
        if frame.schema[column] != pl.String:
            continue
        values = set(frame.get_column(column).drop_nulls().unique().to_list())
        named = normalize_name(column.removeprefix("case:")) in STAFF_HEADERS
        if values and (named or len(values & staff) >= 0.5 * len(values)):
            hidden.append(column)
    case_ids = frame.get_column("case_id")
    material = pl.concat(
        [
            "c\x00" + run_values(case_ids, runs),  # distinct, sorted
            "r\x00" + pl.Series(sorted(staff), dtype=pl.String),
        ]
    )
    secret = derive_key(material, key=key)
    # Case pseudonyms are not mapped back (only staff names serve a purpose: recognising
    # system accounts), so no identity table is kept for them.
    frame, _ = pseudonymize_column(
        frame, "case_id", key=secret, prefix="V-", identities=False, runs=runs
    )
    frame, staff_ids = pseudonymize_column(frame, "resource", key=secret, prefix="MA-")
    for column in hidden:
        frame, more = pseudonymize_column(frame, column, key=secret, prefix="MA-")
        staff_ids.update(more)
    return frame, {"resource": staff_ids}, hidden


def _quality(raw, norm, frame: pl.DataFrame, details: dict[str, Any], *, cases: int) -> DataQuality:
    counts = dict(norm.rejected_rows.group_by("reason").len().iter_rows())
    rejected = {r: int(counts[r]) for r in REJECTION_REASONS if r in counts}
    if len(frame):
        first = frame.select(pl.min_horizontal(pl.col("start_ts").min(), pl.col("ts").min())).item()
        last = frame.get_column("ts").max()
        start = datetime.fromtimestamp(first, tz=UTC)
        end = datetime.fromtimestamp(last, tz=UTC)
    else:
        start = end = None
    quality = DataQuality(
        source=raw.source,
        format=raw.format,
        reader=raw.reader,
        rows_read=norm.rows_read,
        rows_used=norm.rows_used,
        rejected=rejected,
        adjusted=norm.adjusted,
        columns=dict(norm.roles.columns),
        column_source=dict(norm.roles.how),
        details=details,
        events=len(frame),
        cases=cases,
        activities=frame.get_column("activity").n_unique(),
        resources=frame.get_column("resource").drop_nulls().n_unique(),
        start=start,
        end=end,
        _rejected_rows=norm.rejected_rows,
    )
    now = datetime.now(tz=UTC).timestamp()
    odd = int(((frame.get_column("ts") < 946684800) | (frame.get_column("ts") > now)).sum())
    quality.warnings.extend(log_warnings(quality, odd))
    return quality
