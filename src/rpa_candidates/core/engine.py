"""The frame layer: per-event columns every indicator needs, written once in narwhals.

Feature code runs on a narwhals ``LazyFrame`` over the canonical schema (see
``EventLog.frame``); polars runs it by default, and a log read from a pyspark DataFrame runs
the same expressions on Spark. Only numeric time columns and ordered windows
(``over(partition_by, order_by=...)``) are used, because they are portable across backends.
Backend-specific calls live in this module only.

Derived columns of :func:`prepare_events` (all per activity instance):

==================  ==========================================================================
``local``           ``ts + utc_offset``: local wall-clock time in seconds
``local_day``       ``floor(local / 86400)``: local calendar day number
``local_hour``      ``floor((local mod 86400) / 3600)``: 0..23
``weekday``         ``(local_day + 3) mod 7``: 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday)
``prev_activity``   activity before this one in the case (ordered by ``ts``, ``row``); null first
``next_activity``   activity after this one in the case; null last
``prev_case_ts``    completion time of the previous instance in the case
``prev_row``        ``row`` of the previous instance in the case
``prev_resource``   resource of the previous instance in the case
``case_events``     instances in the case
``case_last``       last activity of the case
``prev_resource_ts`` completion time of the same resource's previous instance (null if none)
``prev_resource_day`` local day of that previous completion
``same_time``       another instance of the same resource completed at the identical ``ts``
                    (in the resource's ``(ts, row)`` order such instances are adjacent)
==================  ==========================================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "any_not_null",
    "backend",
    "collect",
    "count_rows",
    "count_unique",
    "events",
    "is_spark",
    "keyed",
    "materialize",
    "pm4py_frame",
    "prepare_events",
    "small_frame",
    "strings",
    "value_counts",
]

CASE_ORDER = ["ts", "row"]
#: Columns of the canonical frame before the attributes; the prepared frame keeps only
#: these (indicators that need attributes read them from :func:`events`).
CANONICAL = ("case_id", "activity", "resource", "ts", "start_ts", "utc_offset", "row")
DAY = 86400.0


def is_spark(frame: Any) -> bool:
    """True for a pyspark DataFrame (classic or Spark Connect)."""
    return type(frame).__module__.startswith("pyspark")


def backend(frame: Any) -> Literal["polars", "spark"]:
    """``"spark"`` when the canonical ``frame`` (``EventLog.frame``) is a pyspark DataFrame,
    else ``"polars"``."""
    return "spark" if is_spark(frame) else "polars"


def events(frame: Any) -> nw.LazyFrame:
    """The canonical frame (``EventLog.frame``) as a narwhals LazyFrame (polars lazy or
    Spark)."""
    native: Any = frame
    if backend(frame) == "polars":
        native = native.lazy()
    return nw.from_native(native)


def collect(
    frame: nw.LazyFrame, *, sort: str | list[str] | None = "activity", unique: bool = False
) -> pd.DataFrame:
    """Run a lazy query and return pandas (small per-activity tables only).

    ``sort``: columns to order the result by (stable, text by code point). ``unique=True``
    says no two rows share the sort key, so no tie order is to be kept and the engine
    sorts (faster than pandas on arrow strings for samples of 10⁵ rows).
    """
    frame = strings(frame)
    if sort is not None and unique:
        return frame.sort(sort).collect().to_pandas()
    result = frame.collect().to_pandas()
    if sort is not None:
        result = result.sort_values(sort, kind="stable").reset_index(drop=True)
    return result


def strings(frame: nw.LazyFrame) -> nw.LazyFrame:
    """``frame`` with its categorical columns (see :func:`prepare_events`) as strings."""
    schema = frame.collect_schema()
    cats = [c for c, dtype in schema.items() if dtype == nw.Categorical]
    return frame.with_columns(nw.col(c).cast(nw.String) for c in cats) if cats else frame


def count_rows(frame: Any) -> int:
    """Rows of the canonical frame (activity instances)."""
    if backend(frame) == "polars":
        return frame.height
    return int(frame.count())


def count_unique(frame: Any, column: str, *, drop_nulls: bool = False) -> int:
    """Distinct values of a column (null counts as one value unless ``drop_nulls``)."""
    frame = events(frame).select(column)
    if drop_nulls:
        frame = frame.filter(~nw.col(column).is_null())
    return int(frame.select(nw.col(column).n_unique()).collect().item() or 0)


def any_not_null(frame: Any, column: str) -> bool:
    """True when at least one value of the column is not null."""
    return int(events(frame).select(nw.col(column).count()).collect().item() or 0) > 0


def value_counts(frame: Any, column: str) -> pd.DataFrame:
    """``column`` and ``n``: rows per value, most frequent first (ties by value)."""
    counts = events(frame).group_by(column).agg(nw.len().alias("n"))
    return collect(counts.sort(["n", column], descending=[True, False]), sort=None)


def pm4py_frame(frame: Any, names: dict[str, str]) -> pd.DataFrame:
    """The canonical frame as pandas with pm4py's column names and UTC timestamps.

    ``utc_offset`` and ``row`` are dropped, ``ts`` and ``start_ts`` become
    ``datetime64[us, UTC]``, and text columns hold Python strings (None for missing).
    A Spark frame is collected to the driver through Arrow: the whole log must fit there.
    """
    import polars as pl

    if backend(frame) == "spark":
        frame = pl.from_arrow(frame.toArrow())
    frame = frame.drop("utc_offset", "row")
    frame = frame.with_columns(pl.col(pl.Categorical).cast(pl.String))
    frame = frame.with_columns(
        pl.from_epoch((pl.col(c) * 1_000_000).round(0).cast(pl.Int64), time_unit="us")
        .dt.replace_time_zone("UTC")
        .alias(c)
        for c in ("ts", "start_ts")
    ).rename(names)
    out = frame.to_pandas()
    for column, dtype in frame.schema.items():
        if dtype == pl.String:
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def small_frame(
    table: pd.DataFrame, *, like: nw.LazyFrame, spark_schema: str | None = None
) -> nw.LazyFrame:
    """A small pandas table as a lazy frame of the backend of ``like`` (for joins);
    ``spark_schema`` (DDL, e.g. ``"row long"``) fixes the Spark types instead of inferring.
    Columns that are categorical in ``like`` (:func:`keyed`) become categorical, so the
    table joins on them."""
    native = like.to_native()
    if is_spark(native):
        return nw.from_native(native.sparkSession.createDataFrame(table, spark_schema))
    import polars as pl

    frame = nw.from_native(pl.from_pandas(table).lazy())
    schema = like.collect_schema()
    cats = [c for c in table.columns if schema.get(c) == nw.Categorical]
    return frame.with_columns(nw.col(c).cast(nw.Categorical) for c in cats) if cats else frame


def keyed(frame: nw.LazyFrame) -> nw.LazyFrame:
    """Polars: ``case_id``, ``activity``, ``resource`` as categoricals (see
    :func:`prepare_events`); Spark: unchanged."""
    if is_spark(frame.to_native()):
        return frame
    return frame.with_columns(
        nw.col(c).cast(nw.Categorical) for c in ("case_id", "activity", "resource")
    )


def materialize(frame: nw.LazyFrame) -> nw.LazyFrame:
    """Compute ``frame`` once for several queries: polars collects it, Spark keeps a local
    checkpoint on the executors (nothing reaches the driver)."""
    native = frame.to_native()
    if is_spark(native):
        return nw.from_native(native.localCheckpoint(eager=True))
    return nw.from_native(native.collect().lazy())


def prepare_events(frame: Any) -> nw.LazyFrame:
    """The canonical columns (:data:`CANONICAL`, no attributes) of ``frame``
    (``EventLog.frame``) with the derived columns listed in the module docstring.

    Computed once per analysis, by :func:`rpa_candidates.core.prepared.prepare`, and
    handed down to every stage, because every indicator query would otherwise recompute
    the windows: polars materialises the table, Spark keeps it as a local checkpoint on the
    executors.
    """
    if backend(frame) == "polars":
        # case ids, activities and resources as polars categoricals: windows and
        # group-bys hash a 32-bit code instead of a string (2x faster windows, 5x
        # faster group-bys on 10 M events) and the seven string columns of the prepared
        # frame take 4 bytes a row; values and sort order stay those of the strings,
        # and collect() hands strings to pandas
        keyed_frame = keyed(events(frame).select(*CANONICAL))
        return nw.from_native(_prepare_polars(keyed_frame.to_native().collect()).lazy())
    prepared = _prepare(events(frame).select(*CANONICAL))
    return nw.from_native(prepared.to_native().localCheckpoint(eager=True))


#: The case windows: (column, shift, name) of the previous / next instance in the case.
_CASE_SHIFTS = (
    ("activity", 1, "prev_activity"),
    ("activity", -1, "next_activity"),
    ("ts", 1, "prev_case_ts"),
    ("row", 1, "prev_row"),
    ("resource", 1, "prev_resource"),
)


def _prepare(
    frame: nw.LazyFrame, case_windows: Any = None, resource_windows: Any = None
) -> nw.LazyFrame:
    """The derived columns of the module docstring, in its order: local time, the case
    windows (``case_windows``, default :func:`_case_windows`), the resource windows
    (``resource_windows``, default :func:`_resource_windows`)."""
    local = nw.col("ts") + nw.col("utc_offset")
    frame = frame.with_columns(local.alias("local"))
    frame = frame.with_columns(
        (nw.col("local") / DAY).floor().cast(nw.Int64).alias("local_day"),
    )
    frame = frame.with_columns(
        ((nw.col("local") - nw.col("local_day") * DAY) / 3600.0)
        .floor()
        .cast(nw.Int32)
        .alias("local_hour"),
        ((nw.col("local_day") + 3) % 7).cast(nw.Int32).alias("weekday"),
    )
    frame = (case_windows or _case_windows)(frame)
    frame = (resource_windows or _resource_windows)(frame)
    has_resource = ~nw.col("resource").is_null()
    return frame.with_columns(
        nw.when(has_resource).then(nw.col("_prev_resource_ts")).alias("prev_resource_ts"),
        nw.when(has_resource).then(nw.col("_prev_resource_day")).alias("prev_resource_day"),
        (
            has_resource
            & (
                (nw.col("_prev_resource_ts") == nw.col("ts"))
                | (nw.col("_next_resource_ts") == nw.col("ts"))
            ).fill_null(False)
        ).alias("same_time"),
    ).drop("_prev_resource_ts", "_prev_resource_day", "_next_resource_ts")


#: The resource windows: (column, shift, name) of the same resource's previous / next
#: instance in :data:`CASE_ORDER` (temporary columns, see :func:`_prepare`).
_RESOURCE_SHIFTS = (
    ("ts", 1, "_prev_resource_ts"),
    ("local_day", 1, "_prev_resource_day"),
    ("ts", -1, "_next_resource_ts"),
)


def _resource_windows(frame: nw.LazyFrame) -> nw.LazyFrame:
    """The resource columns as ordered windows per resource (portable to Spark)."""
    return frame.with_columns(
        nw.col(column).shift(k).over("resource", order_by=CASE_ORDER).alias(name)
        for column, k, name in _RESOURCE_SHIFTS
    )


def _case_windows(frame: nw.LazyFrame) -> nw.LazyFrame:
    """The case columns as ordered windows per case (portable to Spark)."""
    frame = frame.with_columns(
        *(
            nw.col(column).shift(k).over("case_id", order_by=CASE_ORDER).alias(name)
            for column, k, name in _CASE_SHIFTS
        ),
        nw.len().over("case_id").alias("case_events"),
    )
    # the case's only instance without a successor is its last (``last()`` over an
    # ordered window is not portable to Spark)
    return frame.with_columns(
        nw.when(nw.col("next_activity").is_null())
        .then(nw.col("activity"))
        .max()
        .over("case_id")
        .alias("case_last"),
    )


def _prepare_polars(frame: Any) -> Any:
    """:func:`_prepare` for a polars DataFrame, same columns, values and row order.

    The case columns come from the row order instead of a window per case: with the rows
    sorted by case and :data:`CASE_ORDER` (``read_log``'s order, checked here, else sorted
    and put back afterwards), "previous in the case" is the previous row if it has the same
    case, and a case's length and last activity come from the run boundaries. On 1 M events
    this takes a tenth of the time of the case windows; the rest is :func:`_prepare`'s.
    ``tests/test_engine.py`` requires the result to equal :func:`_prepare` on polars.
    """
    import polars as pl

    case = pl.col("case_id").to_physical()
    same_prev = (case == case.shift(1)).fill_null(False)
    same_next = (case == case.shift(-1)).fill_null(False)
    in_order = (pl.col("ts") > pl.col("ts").shift(1)) | (
        (pl.col("ts") == pl.col("ts").shift(1)) & (pl.col("row") > pl.col("row").shift(1))
    )
    check = frame.select(
        (~same_prev | in_order).all().alias("ordered"),
        (~same_prev).sum().alias("runs"),
        case.n_unique().alias("cases"),
    ).row(0, named=True)
    sorted_ = frame.height == 0 or (check["ordered"] and check["runs"] == check["cases"])
    order = None if sorted_ else frame.select(pl.arg_sort_by([case, *CASE_ORDER])).to_series()
    if order is not None:
        frame = frame[order]
    index = pl.int_range(pl.len(), dtype=pl.Int64)
    first_at = pl.when(~same_prev).then(index).forward_fill()
    last_at = pl.when(~same_next).then(index).backward_fill()

    def case_runs(lazy: nw.LazyFrame) -> nw.LazyFrame:
        return nw.from_native(
            lazy.to_native().with_columns(
                *(
                    pl.when(same_prev if k > 0 else same_next)
                    .then(pl.col(column).shift(k))
                    .alias(name)
                    for column, k, name in _CASE_SHIFTS
                ),
                (last_at - first_at + 1).cast(pl.UInt32).alias("case_events"),
                pl.col("activity").gather(last_at).alias("case_last"),
            )
        )

    def resource_window(lazy: nw.LazyFrame) -> nw.LazyFrame:
        # one window over a struct of the shifts: polars sorts each resource once instead
        # of once per shifted column (0.13 -> 0.07 s on 1 M events)
        shifts = pl.struct(pl.col(c).shift(k).alias(name) for c, k, name in _RESOURCE_SHIFTS)
        window = shifts.over("resource", order_by=CASE_ORDER).alias("_resource_shifts")
        return nw.from_native(lazy.to_native().with_columns(window).unnest("_resource_shifts"))

    out = _prepare(
        nw.from_native(frame.lazy()), case_windows=case_runs, resource_windows=resource_window
    )
    out = out.to_native().collect()
    if order is not None:
        out = out[order.arg_sort()]
    return out


def variant_counts(prepared: nw.LazyFrame, *, separator: str) -> dict[str, list[Any]]:
    """``{"variant": [activity tuples], "cases": [counts]}``: each case's ordered sequence,
    from the :func:`prepare_events` frame, most frequent first, ties by the sequence's
    names joined with ``separator`` (code-point order).

    narwhals has no ordered list aggregation, so this is native: polars
    ``group_by(case_id).agg(activity.sort_by(ts, row))``, Spark
    ``sort_array(collect_list(struct(ts, row, activity)))``; only the distinct variants
    reach Python.
    """
    native = prepared.to_native()
    if is_spark(native):
        from pyspark.sql import functions as F  # noqa: N812 - pyspark convention

        seq = F.sort_array(F.collect_list(F.struct(*CASE_ORDER, "activity")))
        rows = (
            native.groupBy("case_id")
            .agg(seq.getField("activity").alias("variant"))
            .groupBy("variant")
            .count()
            .collect()
        )
        pairs = sorted(
            ((tuple(r["variant"]), int(r["count"])) for r in rows),
            key=lambda p: (-p[1], separator.join(p[0])),
        )
        return {"variant": [v for v, _ in pairs], "cases": [n for _, n in pairs]}
    import polars as pl

    activity = pl.col("activity")
    coded = native.collect_schema()["activity"] == pl.Categorical
    # the prepared frame has case ids and activities as categoricals: grouping by the lists
    # of their integer codes is faster than by lists of strings; the names are put back,
    # the sort key joined and the variants sorted in polars, so Python gets the sorted
    # lists only (1 M complete-only events, 41 k variants: 1.3 -> 0.6 s)
    item = activity.to_physical() if coded else activity
    counts = (
        native.select("case_id", "activity", *CASE_ORDER)
        .group_by("case_id")
        .agg(item.sort_by(CASE_ORDER).alias("variant"))
        .group_by("variant")
        .agg(pl.len().alias("cases"))
        .collect()
    )
    if coded:
        pairs = native.select(activity.to_physical().alias("code"), activity.cast(pl.String))
        codes = pairs.unique().collect()
        counts = counts.with_columns(
            pl.col("variant").list.eval(
                pl.element().replace_strict(
                    codes["code"], codes["activity"], return_dtype=pl.String
                )
            )
        )
    counts = counts.with_columns(
        pl.col("variant").cast(pl.List(pl.String)).list.join(separator).alias("_key")
    ).sort(["cases", "_key"], descending=[True, False], maintain_order=True)
    return {
        "variant": [tuple(v) for v in counts.get_column("variant").to_list()],
        "cases": counts["cases"].to_list(),
    }
