"""A pyspark DataFrame to the canonical event table, on Spark.

:func:`read_spark` applies the rules of :mod:`rpa_candidates.io.normalize` (roles, the
rejection reasons in their order, FIFO lifecycle pairing as in
:mod:`rpa_candidates.io.lifecycle`, attribute renaming), the timestamp rules of
:mod:`rpa_candidates.io.datetimes` (see :mod:`.spark_times`) and the keyed-hash
pseudonyms of :mod:`rpa_candidates.core.privacy` with Spark functions, so that the result
equals what the polars path gives for the same rows. What reaches the driver is small:
counts per rejection reason, format and partition, the distinct activities that have
start events, the distinct staff identifiers, and at most :data:`REJECTED_ROWS_KEPT`
rejected row numbers.

Row numbers (``row``) count the rows in the DataFrame's partition order, 0-based, as a
file read by one Spark reader returns them; they are fixed once, by a local checkpoint,
so that every later step sees the same numbering. Two more checkpoints keep the parsed
table while it is split into kept and rejected rows, and the canonical frame itself,
which the feature engine reads many times.

Differences to the polars path: a text attribute is never turned into numbers (give the
Spark reader a schema or ``inferSchema``); an attribute whose name equals a reserved name
in any letter case (``Row``, ``Resource``) is renamed ``<name>_attr``, because Spark
resolves names case-insensitively; ``log.quality.rejected_rows`` lists the first
:data:`REJECTED_ROWS_KEPT` rejected rows only (``details["rejected_rows_kept"]`` says so);
the in-memory identities hold the staff pseudonyms but not the case ids.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from ..core.errors import ParameterError
from ..core.quality import REJECTION_REASONS, DataQuality, log_warnings
from .lifecycle import COMPLETE_WORDS, KNOWN_WORDS, START_WORDS
from .normalize import _ORDER, _RESERVED, CANONICAL, _attribute_names, _raise_first
from .roles import STAFF_HEADERS, ColumnRoles, resolve_roles
from .sources import RawTable
from .spark_lifecycle import col, pair_spark
from .spark_privacy import pseudonymize_spark
from .spark_times import parse_times, strip, utc_offset

__all__ = ["REJECTED_ROWS_KEPT", "read_spark"]

#: Rejected row numbers kept for ``log.quality.rejected_rows`` (the first ones by row).
REJECTED_ROWS_KEPT = 10_000
_LOW_BITS = 33  # monotonically_increasing_id: partition id above bit 33, record number below


def read_spark(
    source: DataFrame,
    *,
    given: dict[str, str | None],
    tz: str,
    ambiguous: str,
    strict: bool,
    pseudonymize: bool,
    pseudonym_key: str | bytes | None,
    **options: Any,
) -> tuple[DataFrame, DataQuality, dict[str, dict[str, str]]]:
    """Read a pyspark DataFrame as :func:`rpa_candidates.read_log` does a polars one.

    Parameters
    ----------
    source : pyspark.sql.DataFrame
        The raw events; never modified.
    given, tz, ambiguous, strict, pseudonymize, pseudonym_key
        As in :func:`rpa_candidates.read_log` (``given`` maps each role to its column).

    Returns
    -------
    frame : pyspark.sql.DataFrame
        The canonical table (locally checkpointed): ``case_id``, ``activity``,
        ``resource`` (string), ``ts``, ``start_ts`` (double, UTC epoch seconds),
        ``utc_offset`` (int), ``row`` (long), then the attributes. Unordered.
    quality : DataQuality
    identities : dict
        ``{"resource": {pseudonym: original}}`` for the staff pseudonyms.

    Raises
    ------
    ParameterError
        Reader options were given (they apply to files only).
    ColumnMappingError, LogFormatError, DataQualityError
        As :func:`rpa_candidates.read_log`.
    """
    if options:
        raise ParameterError(
            f"Reader options {sorted(options)!r} only apply to files, not to a DataFrame; "
            "drop them."
        )
    table, rows_read = _with_row_index(source)
    columns = [c for c in table.columns if c != "_row"]
    roles = resolve_roles(columns, given)
    details: dict[str, Any] = {}
    lifecycle = roles.get("lifecycle")
    if lifecycle and roles.how["lifecycle"] == "guessed" and not _plausible(table, lifecycle):
        details["lifecycle_guess_rejected"] = lifecycle
        roles = ColumnRoles(
            {r: c for r, c in roles.columns.items() if r != "lifecycle"},
            {r: h for r, h in roles.how.items() if r != "lifecycle"},
        )
        lifecycle = None
    schema = {f.name: f.dataType for f in table.schema.fields}
    case, activity, timestamp = roles.get("case"), roles.get("activity"), roles.get("timestamp")
    start, resource = roles.get("start_timestamp"), roles.get("resource")

    work = parse_times(table, timestamp, out="__ts", tz=tz, ambiguous=ambiguous)
    if start:
        work = parse_times(work, start, out="__start", tz=tz, ambiguous=ambiguous)
    else:
        work = work.select(
            "*",
            F.lit(None).cast("double").alias("__start"),
            F.lit(None).cast("string").alias("__start_status"),
            F.lit(None).cast("string").alias("__start_shape"),
        )
    none = F.lit(None).cast("string")
    work = work.select(
        "*",
        _text(case, schema[case]).alias("__case"),
        _text(activity, schema[activity]).alias("__activity"),
        (_text(resource, schema[resource]) if resource else none).alias("__resource"),
        (_transition(col(lifecycle)) if lifecycle else F.lit("complete")).alias("__transition"),
        (
            (strip(col(lifecycle).cast("string")) == "") | col(lifecycle).isNull()
            if lifecycle
            else F.lit(False)
        ).alias("__lc_missing"),
    )
    reason = (
        F.when(F.col("__case").isNull(), "missing_case_id")
        .when(F.col("__activity").isNull(), "missing_activity")
        .when(F.col("__ts_status") == "missing", "missing_timestamp")
        .when(F.col("__ts_status") == "unparseable", "unparseable_timestamp")
        .when(F.col("__start") > F.col("__ts"), "start_after_end")
    )
    work = work.withColumn("__reason", reason)
    # Exact duplicates (all input columns equal) among the rows still valid: keep the first.
    keys = [
        F.to_json(col(c)) if isinstance(schema[c], T.MapType) else col(c) for c in columns
    ]  # a map cannot be a window key; its JSON text can
    same = Window.partitionBy(F.col("__reason").isNull(), *keys)
    first = F.row_number().over(same.orderBy("_row")) > 1
    work = work.withColumn(
        "__reason",
        F.when(F.col("__reason").isNull() & first, F.lit("duplicate")).otherwise(F.col("__reason")),
    ).persist()

    attributes = [c for c in columns if c not in roles.columns.values()]
    renamed = _spark_attribute_names(attributes)
    if any(a != b for a, b in renamed.items()):
        details["renamed_attributes"] = {a: b for a, b in renamed.items() if a != b}
    summary = _summary(work)
    details["timestamp_formats"] = summary["ts_formats"]
    adjusted: dict[str, int] = {}
    if start:
        details["start_timestamp_formats"] = summary["start_formats"]
        adjusted["start_timestamp_missing"] = summary["start_missing"]
        adjusted["start_timestamp_unparseable"] = summary["start_unparseable"]
    adjusted["dst_nonexistent"] = summary["dst_nonexistent"]
    adjusted["dst_ambiguous"] = summary["dst_ambiguous"]
    keep = work.filter(F.col("__reason").isNull()).select(
        "_row",
        F.col("__case").alias("case_id"),
        F.col("__activity").alias("activity"),
        F.col("__resource").alias("resource"),
        F.col("__ts").alias("ts"),
        F.col("__start").alias("start_ts"),
        F.col("__transition").alias("transition"),
        *[col(a).alias(renamed[a]) for a in attributes],
    )
    rejected = [work.filter(F.col("__reason").isNotNull()).select("_row", "__reason")]
    rejected_counts = dict(summary["reasons"])
    if lifecycle:
        adjusted["lifecycle_missing_as_complete"] = summary["lifecycle_missing"]
        pairing = pair_spark(keep.drop("start_ts"))
        details["lifecycle"] = pairing["details"]
        adjusted["unmatched_complete"] = pairing["details"]["unmatched_complete"]
        rejected += pairing["rejected"]
        for name, count in pairing["counts"].items():
            rejected_counts[name] = rejected_counts.get(name, 0) + count
        instances = pairing["instances"]
        used_extra = pairing["details"]["paired"]
    else:
        instances = keep.drop("transition")
        used_extra = 0
    frame = instances.withColumnRenamed("_row", "row").select(
        *[
            (utc_offset(F.col("ts"), tz) if c == "utc_offset" else F.col(c)).alias(c)
            for c in CANONICAL
        ],
        *[col(renamed[a]) for a in attributes],
    )
    frame = frame.select(
        *[F.col(c).cast(t) for c, t in zip(CANONICAL, _CANONICAL_TYPES, strict=True)],
        *[col(renamed[a]) for a in attributes],
    ).persist()
    rejected_all = rejected[0]
    for more in rejected[1:]:
        rejected_all = rejected_all.unionByName(more)
    n_rejected = sum(rejected_counts.values())
    shown = rejected_all.orderBy("_row").limit(REJECTED_ROWS_KEPT).collect() if n_rejected else []
    rejected_rows = pl.DataFrame(
        {"row": [r[0] for r in shown], "reason": [r[1] for r in shown]},
        schema={"row": pl.Int64, "reason": pl.String},
    )
    if n_rejected > REJECTED_ROWS_KEPT:
        details["rejected_rows_kept"] = REJECTED_ROWS_KEPT
    if strict and n_rejected:
        frame.unpersist()
        work.unpersist()
        _raise_first_spark(table, roles, rejected_rows)
    stats = _frame_stats(frame)
    adjusted["resource_missing"] = stats["resource_missing"]
    identities: dict[str, dict[str, str]] = {}
    details["tz"] = tz
    result = frame
    if pseudonymize:
        result, identities, hidden = pseudonymize_spark(
            frame,
            [renamed[a] for a in attributes],
            key=pseudonym_key,
            staff_headers=STAFF_HEADERS,
        )
        details["pseudonymized"] = ["case_id", "resource", *hidden]
    else:
        details["pseudonymized"] = []
    result = result.localCheckpoint(eager=True)
    frame.unpersist()
    work.unpersist()
    rejected_out = {r: rejected_counts[r] for r in REJECTION_REASONS if rejected_counts.get(r)}
    quality = DataQuality(
        source="pyspark DataFrame",
        format="dataframe",
        reader="spark",
        rows_read=rows_read,
        rows_used=stats["events"] + used_extra,
        rejected=rejected_out,
        adjusted={k: v for k, v in adjusted.items() if v},
        columns=dict(roles.columns),
        column_source=dict(roles.how),
        details=details,
        events=stats["events"],
        cases=stats["cases"],
        activities=stats["activities"],
        resources=stats["resources"],
        start=stats["start"],
        end=stats["end"],
        _rejected_rows=rejected_rows,
    )
    quality.warnings.extend(log_warnings(quality, stats["implausible"]))
    return result, quality, identities


_CANONICAL_TYPES = ("string", "string", "string", "double", "double", "int", "long")


def _with_row_index(source: DataFrame) -> tuple[DataFrame, int]:
    """Number the rows 0.. in partition order; returns the checkpointed table and its size.

    ``monotonically_increasing_id`` holds the partition in its upper bits and the record
    within the partition in the lower 33; the row number is the record number plus the
    rows of all earlier partitions (one small count per partition on the driver).
    """
    if "_row" in source.columns:
        source = source.withColumnRenamed("_row", "_row_attr")
    tagged = source.withColumn("__mid", F.monotonically_increasing_id()).localCheckpoint(eager=True)
    counts = sorted(tagged.groupBy(F.shiftright("__mid", _LOW_BITS).alias("p")).count().collect())
    offsets, total = [], 0
    for part, count in counts:
        offsets.append((int(part), total))
        total += int(count)
    spark = source.sparkSession
    if not offsets:
        offsets = [(0, 0)]
    table = spark.createDataFrame(offsets, "__p long, __offset long")
    numbered = tagged.join(F.broadcast(table), F.shiftright("__mid", _LOW_BITS) == F.col("__p"))
    low = F.col("__mid").bitwiseAND(F.lit((1 << _LOW_BITS) - 1))
    out = numbered.select(
        (F.col("__offset") + low).cast("long").alias("_row"),
        *[col(c) for c in source.columns],
    )
    return out, total


def _raise_first_spark(table: DataFrame, roles: ColumnRoles, rejected: pl.DataFrame) -> None:
    """:func:`.normalize._raise_first` for the first rejected row, fetched from Spark."""
    row = int(rejected.item(0, "row"))
    found = table.filter(F.col("_row") == row).limit(1).collect()
    values = found[0].asDict() if found else {"_row": row}
    one = pl.DataFrame(
        {k: [None if v is None else v if k == "_row" else str(v)] for k, v in values.items()}
    )
    raw = RawTable(one, "pyspark DataFrame", "dataframe", "spark")
    _raise_first(raw, roles, rejected.head(1))


def _text(name: str, dtype: T.DataType) -> Column:
    """A role column as stripped text; integral floats lose their ``.0``; empty → null."""
    value = col(name)
    if isinstance(dtype, T.FloatType | T.DoubleType):
        integral = ~F.isnan(value) & (F.abs(value) < 9.2e18) & (value == F.round(value, 0))
        value = F.when(integral, value.cast("long").cast("string")).otherwise(value.cast("string"))
    else:
        value = value.cast("string")
    value = strip(value)
    return F.when(value != "", value)


def _transition(value: Column) -> Column:
    """``"start"``, ``"complete"`` or the lower-cased other transition; null → complete."""
    folded = F.lower(strip(value.cast("string")))
    return (
        F.when(folded.isNull() | (folded == ""), "complete")
        .when(folded.isin(*START_WORDS), "start")
        .when(folded.isin(*COMPLETE_WORDS), "complete")
        .otherwise(folded)
    )


def _plausible(table: DataFrame, name: str) -> bool:
    """At least 90 % of the non-null values are known lifecycle words."""
    folded = F.lower(strip(col(name).cast("string")))
    row = table.agg(
        F.count(folded).alias("n"),
        F.sum(F.when(folded.isin(*KNOWN_WORDS), 1).otherwise(0)).alias("k"),
    ).collect()[0]
    return bool(row["n"]) and row["k"] / row["n"] >= 0.9


def _spark_attribute_names(attributes: list[str]) -> dict[str, str]:
    """:func:`.normalize._attribute_names`, with reserved names compared case-insensitively."""
    out = _attribute_names(attributes)
    reserved = {r.lower() for r in _RESERVED}
    taken = {n.lower() for n in out.values()} | reserved
    for name, new in out.items():
        if new == name and new.lower() in reserved:
            while new.lower() in taken:
                new = f"{new}_attr"
            taken.add(new.lower())
            out[name] = new
    return out


def _summary(work: DataFrame) -> dict[str, Any]:
    """Counts per reason, timestamp format, status: one small aggregation."""
    keys = [
        "__reason",
        "__ts_shape",
        "__ts_status",
        "__start_shape",
        "__start_status",
        "__lc_missing",
    ]
    groups = work.groupBy(*keys).count().collect()
    out: dict[str, Any] = {
        "reasons": {},
        "ts_formats": {},
        "start_formats": {},
        "start_missing": 0,
        "start_unparseable": 0,
        "dst_nonexistent": 0,
        "dst_ambiguous": 0,
        "lifecycle_missing": 0,
    }
    for reason, shape, status, start_shape, start_status, lc_missing, n in groups:
        if reason is not None:
            out["reasons"][reason] = out["reasons"].get(reason, 0) + n
        if shape is not None:
            out["ts_formats"][shape] = out["ts_formats"].get(shape, 0) + n
        if start_shape is not None:
            out["start_formats"][start_shape] = out["start_formats"].get(start_shape, 0) + n
        out["start_missing"] += n if start_status == "missing" else 0
        out["start_unparseable"] += n if start_status == "unparseable" else 0
        for code in ("dst_nonexistent", "dst_ambiguous"):
            out[code] += n if code in (status, start_status) else 0
        out["lifecycle_missing"] += n if lc_missing else 0
    for key in ("ts_formats", "start_formats"):
        out[key] = dict(sorted(out[key].items(), key=lambda kv: -kv[1]))
    out["reasons"] = {r: out["reasons"][r] for r in _ORDER if r in out["reasons"]}
    return out


def _frame_stats(frame: DataFrame) -> dict[str, Any]:
    """Size, distinct counts and period of the canonical frame: one aggregation."""
    now = datetime.now(tz=UTC).timestamp()
    row = frame.agg(
        F.count(F.lit(1)).alias("events"),
        F.countDistinct("case_id").alias("cases"),
        F.countDistinct("activity").alias("activities"),
        F.countDistinct("resource").alias("resources"),
        F.sum(F.col("resource").isNull().cast("long")).alias("resource_missing"),
        F.least(F.min("start_ts"), F.min("ts")).alias("first"),
        F.max("ts").alias("last"),
        F.sum(((F.col("ts") < 946684800) | (F.col("ts") > now)).cast("long")).alias("odd"),
    ).collect()[0]
    first, last = row["first"], row["last"]
    return {
        "events": int(row["events"]),
        "cases": int(row["cases"]),
        "activities": int(row["activities"]),
        "resources": int(row["resources"]),
        "resource_missing": int(row["resource_missing"] or 0),
        "start": datetime.fromtimestamp(first, tz=UTC) if first is not None else None,
        "end": datetime.fromtimestamp(last, tz=UTC) if last is not None else None,
        "implausible": int(row["odd"] or 0),
    }
