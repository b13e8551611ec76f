"""Timestamps as municipal systems write them, to UTC epoch seconds.

One column may mix German (``31.12.2025 14:05``), ISO 8601 and epoch notations; each row is
parsed by the format its shape matches. Values without an offset are local wall-clock time
in the given zone, so the hour the clocks skip in spring and the hour they repeat in
autumn need a rule; both are counted in the result. Everything runs vectorised in polars;
the only Python loops run over the (about twenty) known shapes, never over rows.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from typing import Literal

import polars as pl

from ..core.errors import LogFormatError, ParameterError
from .shapes import SHAPES

__all__ = ["SHAPES", "ParsedTimes", "parse_timestamps", "utc_offset_seconds"]

_MIN_SECONDS = -2_208_988_800.0  # 1900-01-01T00:00:00Z
_END_SECONDS = 4_133_980_800.0  # 2101-01-01T00:00:00Z
_EPOCH_MS_ABOVE = 1e11
_US = 1_000_000
_STATUSES = ("ok", "missing", "unparseable", "dst_nonexistent", "dst_ambiguous")


_ANY_SHAPE = "^(?:" + "|".join(f"(?:{rx})" for _, rx, _, _ in SHAPES) + ")$"


@dataclass
class ParsedTimes:
    """Timestamps converted to UTC epoch seconds, with a status per row.

    Attributes
    ----------
    seconds : polars.Series
        ``Float64`` seconds since 1970-01-01T00:00:00Z (sub-second part kept to the
        microsecond); null where the status is ``"missing"`` or ``"unparseable"``.
    status : polars.Series
        ``String``: ``"ok"``, ``"missing"``, ``"unparseable"``, ``"dst_nonexistent"`` (a
        local time the clocks skipped) or ``"dst_ambiguous"`` (a local time that occurred
        twice).
    formats : dict of str to int
        Human-readable format name to the number of rows parsed with it, e.g.
        ``{"DD.MM.YYYY hh:mm": 812, "ISO 8601 with offset": 3}``.
    """

    seconds: pl.Series
    status: pl.Series
    formats: dict[str, int]


def parse_timestamps(
    values: pl.Series,
    *,
    tz: str = "Europe/Berlin",
    ambiguous: Literal["earliest", "latest"] = "earliest",
    date_format: str | None = None,
) -> ParsedTimes:
    """Parse a column of timestamps to UTC epoch seconds.

    Strings may mix, row by row: German ``DD.MM.YYYY hh:mm[:ss[.f]]`` and ``DD.MM.YYYY``
    (day and month with one or two digits); two-digit years ``DD.MM.YY ...`` (chrono's
    rule: 00–69 are 2000–2069, 70–99 are 1970–1999); ISO 8601 with ``T`` or a space,
    with or without seconds and fraction (``.`` or ``,``), with ``Z``, ``+01``,
    ``+0100`` or ``+01:00`` offsets, or date only; ``YYYY/MM/DD[ hh:mm[:ss]]``; epoch
    seconds or milliseconds as 9 to 14 digits. Surrounding whitespace is ignored. A polars
    ``Datetime`` column is taken as local wall time when naive and converted when it has a
    time zone; a ``Date`` is local midnight; numbers are epoch seconds, or milliseconds
    where their absolute value exceeds 1e11.

    Values without an offset are local wall time in ``tz``. A local time the clocks skipped
    (e.g. 2025-03-30 02:30 in Berlin) is read with the offset in force just before the gap,
    as if the clock had not yet been moved (02:30 CET = 01:30 UTC), status
    ``"dst_nonexistent"``. A local time that occurred twice (2025-10-26 02:30) is resolved
    by ``ambiguous``, status ``"dst_ambiguous"``. Values with an explicit offset never get
    a DST status. A result whose UTC year is before 1900 or after 2100 is treated as a
    misreading: null seconds, status ``"unparseable"``.

    Parameters
    ----------
    values : polars.Series
        String, Datetime, Date or numeric timestamps.
    tz : str, default="Europe/Berlin"
        IANA time zone of values without an offset.
    ambiguous : {"earliest", "latest"}, default="earliest"
        Which of the two instants a repeated local time means: ``"earliest"`` the first
        (still summer time), ``"latest"`` the second.
    date_format : str, default=None
        For text values: ``"us"``, ``"de"``, ``"iso"`` or a strftime pattern, see
        :mod:`rpa_candidates.io.dateformats`. None reads the shapes above, and slash or
        dash dates (``DD/MM/YYYY``, ``MM/DD/YYYY``, with ``AM``/``PM``) in the order the
        values show (:func:`~rpa_candidates.io.dateformats.sniff_order`).

    Returns
    -------
    ParsedTimes
        ``seconds``, ``status`` (both as long as ``values``) and ``formats``.

    Raises
    ------
    ParameterError
        If ``tz`` is not a known time zone, ``ambiguous`` not one of the two choices or
        ``values`` not a polars Series.
    LogFormatError
        If ``values`` has a type that cannot hold timestamps (e.g. Boolean, List), or
        (:class:`~rpa_candidates.io.dateformats.AmbiguousDateError`) every slash date
        could be day-first or month-first and ``date_format`` is None.

    Examples
    --------
    >>> p = parse_timestamps(pl.Series(["30.03.2025 02:30", "2025-03-30T03:30:00+02:00"]))
    >>> p.seconds.to_list(), p.status.to_list()
    ([1743298200.0, 1743298200.0], ['dst_nonexistent', 'ok'])
    """
    _check_tz(tz)
    if ambiguous not in ("earliest", "latest"):
        raise ParameterError(f"ambiguous={ambiguous!r}; expected 'earliest' or 'latest'.")
    if not isinstance(values, pl.Series):
        raise ParameterError(
            f"values must be a polars Series, got {type(values).__name__!r}; "
            "convert it with pl.Series(values)."
        )
    if isinstance(values.dtype, (pl.Categorical, pl.Enum)):
        values = values.cast(pl.String)
    n = values.len()
    dtype = values.dtype
    local_us = pl.repeat(None, n, dtype=pl.Int64, eager=True).alias("local_us")
    utc_s = pl.repeat(None, n, dtype=pl.Float64, eager=True).alias("utc_s")
    shape = pl.repeat(None, n, dtype=pl.String, eager=True).alias("shape")
    if dtype == pl.String:
        missing = values.str.strip_chars().fill_null("") == ""
        from .dateformats import prepare

        text, shapes = prepare(values.str.strip_chars(), date_format)
        local_us, utc_s, shape = _parse_strings(text, n, shapes)
    elif isinstance(dtype, pl.Datetime):
        missing = values.is_null()
        if dtype.time_zone is None:
            local_us = values.dt.timestamp("us")
            shape = _label(values, "datetime (local time)")
        else:
            utc_s = _div(values.dt.timestamp("us"), _US)
            shape = _label(values, "datetime with time zone")
    elif dtype == pl.Date:
        missing = values.is_null()
        local_us = values.cast(pl.Datetime("us")).dt.timestamp("us")
        shape = _label(values, "date")
    elif dtype.is_numeric():
        number = values.cast(pl.Float64)
        missing = number.is_null() | number.is_nan()
        utc_s, shape = _from_epoch(number)
    elif dtype == pl.Null:
        missing = pl.repeat(True, n, dtype=pl.Boolean, eager=True)
    else:
        raise LogFormatError(
            f"The timestamp column {values.name!r} has type {dtype}; expected text, a "
            "datetime, a date or epoch seconds. Choose another timestamp column."
        )
    return _finish(local_us, utc_s, shape, missing, tz, ambiguous)


def utc_offset_seconds(seconds: pl.Series, *, tz: str) -> pl.Series:
    """Offset of local time from UTC at each instant, in seconds.

    Parameters
    ----------
    seconds : polars.Series
        UTC epoch seconds (any numeric type).
    tz : str
        IANA time zone, e.g. ``"Europe/Berlin"``.

    Returns
    -------
    polars.Series
        ``Int32`` local time minus UTC in seconds (3600 in Berlin winter, 7200 in summer);
        null where ``seconds`` is null or NaN.

    Raises
    ------
    ParameterError
        If ``tz`` is not a known time zone.

    Examples
    --------
    >>> seconds = pl.Series([1735689600.0, 1751328000.0])  # 1 January, 1 July 2025
    >>> utc_offset_seconds(seconds, tz="Europe/Berlin").to_list()
    [3600, 7200]
    """
    _check_tz(tz)
    us = (seconds.cast(pl.Float64).fill_nan(None) * _US).round().cast(pl.Int64)
    local = pl.from_epoch(us, time_unit="us").dt.replace_time_zone("UTC").dt.convert_time_zone(tz)
    offset = local.dt.base_utc_offset() + local.dt.dst_offset()
    return offset.dt.total_seconds().cast(pl.Int32).rename(seconds.name)


# --------------------------------------------------------------------------- helpers


def _check_tz(tz: str) -> None:
    try:
        zoneinfo.ZoneInfo(tz)
        pl.Series([0], dtype=pl.Datetime("us")).dt.replace_time_zone(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError, pl.exceptions.PolarsError) as e:
        raise ParameterError(
            f"Unknown time zone tz={tz!r}; expected an IANA name such as 'Europe/Berlin', "
            "'Europe/Vienna' or 'UTC'."
        ) from e


def _div(values: pl.Series, divisor: float) -> pl.Series:
    """``values / divisor`` as Float64, correctly rounded; null stays null.

    Polars divides by a scalar by multiplying with its reciprocal, which can be one unit
    in the last place off (1767186300123 / 1000 gives 1767186300.1230001); numpy divides.
    """
    exact = values.cast(pl.Float64).to_numpy() / divisor
    return pl.Series(values.name, exact, dtype=pl.Float64).fill_nan(None)


def _label(values: pl.Series, name: str) -> pl.Series:
    return pl.select(
        pl.when(pl.lit(values).is_not_null()).then(pl.lit(name)).otherwise(None)
    ).to_series()


def _from_epoch(number: pl.Series) -> tuple[pl.Series, pl.Series]:
    number = number.fill_nan(None)
    is_ms = number.abs() > _EPOCH_MS_ABOVE
    frame = pl.DataFrame({"x": number, "ms": is_ms, "x_ms": _div(number, 1000)})
    out = frame.select(
        pl.when(pl.col("ms")).then(pl.col("x_ms")).otherwise(pl.col("x")).alias("s"),
        pl.when(pl.col("x").is_null())
        .then(None)
        .when(pl.col("ms"))
        .then(pl.lit("epoch milliseconds"))
        .otherwise(pl.lit("epoch seconds"))
        .alias("shape"),
    )
    return out.get_column("s"), out.get_column("shape")


def _parse_strings(
    text: pl.Series, n: int, shapes: tuple[tuple[str, str, str, str], ...] = SHAPES
) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Parse each row by the shape it matches; loops run over shapes, not rows."""
    pending = pl.DataFrame({"i": pl.int_range(n, dtype=pl.UInt32, eager=True), "s": text})
    any_shape = _ANY_SHAPE if shapes is SHAPES else _any(shapes)
    pending = pending.filter(pl.col("s").str.contains(any_shape).fill_null(False))
    pieces = []
    for name, rx, fmt, kind in _ordered_shapes(pending.get_column("s"), shapes):
        if pending.height == 0:
            break
        hit = pending.get_column("s").str.contains(f"^(?:{rx})$")
        if not hit.any():
            continue
        sub, pending = pending.filter(hit), pending.filter(~hit)
        s = pl.col("s")
        if "%.f" in fmt:
            s = s.str.replace(r"(:\d{2}),(\d)", "$1.$2")
        if kind == "epoch":
            sec, label = _from_epoch(sub.get_column("s").cast(pl.Float64))
            piece = sub.select(
                "i", pl.lit(None, pl.Int64).alias("local_us"), sec.alias("utc_s"), label
            )
        elif kind == "aware":
            dt = s.str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False, cache=False)
            piece = sub.select(
                "i",
                pl.lit(None, pl.Int64).alias("local_us"),
                dt.dt.timestamp("us").alias("utc_s"),
                pl.lit(name).alias("shape"),
            )
            piece = piece.with_columns(_div(piece.get_column("utc_s"), _US))
        else:
            dt = s.str.strptime(pl.Datetime("us"), fmt, strict=False, cache=False)
            piece = sub.select(
                "i",
                dt.dt.timestamp("us").alias("local_us"),
                pl.lit(None, pl.Float64).alias("utc_s"),
                pl.lit(name).alias("shape"),
            )
        pieces.append(piece)
    empty = pl.DataFrame(
        schema={"i": pl.UInt32, "local_us": pl.Int64, "utc_s": pl.Float64, "shape": pl.String}
    )
    done = pl.concat([empty, *pieces])
    full = (
        pl.DataFrame({"i": pl.int_range(n, dtype=pl.UInt32, eager=True)})
        .join(done, on="i", how="left", maintain_order="left")
        .with_columns(
            pl.when(pl.col("local_us").is_null() & pl.col("utc_s").is_null())
            .then(None)
            .otherwise(pl.col("shape"))
            .alias("shape")
        )
    )
    return full.get_column("local_us"), full.get_column("utc_s"), full.get_column("shape")


def _ordered_shapes(
    sample_from: pl.Series, shapes: tuple[tuple[str, str, str, str], ...] = SHAPES
) -> list[tuple[str, str, str, str]]:
    """Shapes seen in the first values first, so a uniform column is one pass."""
    seen: list[int] = []
    for value in sample_from.head(200).to_list():
        for k, (_, rx, _, _) in enumerate(shapes):
            if k not in seen and re.fullmatch(rx, value):
                seen.append(k)
                break
    rest = [k for k in range(len(shapes)) if k not in seen]
    return [shapes[k] for k in (*seen, *rest)]


def _any(shapes: tuple[tuple[str, str, str, str], ...]) -> str:
    return "^(?:" + "|".join(f"(?:{rx})" for _, rx, _, _ in shapes) + ")$"


_HOUR_US = 3_600 * _US


def _plain_offsets(local_us: pl.Series, tz: str) -> pl.Series:
    """UTC offset (µs) of each local time whose hour has one offset only; else null.

    The time zone is applied to the distinct local hours, not to every row: an hour whose
    first and last microsecond read the same offset both as the earlier and as the later
    instant holds no DST transition, so every local time in it has that offset, exists and
    is unambiguous. Rows in other hours (at most the hours around a transition) are left
    for the full conversion of :func:`_finish`.
    """
    hour = local_us // _HOUR_US
    hours = hour.drop_nulls().unique()
    start = hours * _HOUR_US

    def offset(us: pl.Series, ambiguous: str) -> pl.Series:
        instant = us.cast(pl.Datetime("us")).dt.replace_time_zone(
            tz, ambiguous=ambiguous, non_existent="null"
        )
        return us - instant.dt.timestamp("us")

    end = start + (_HOUR_US - 1)
    first = offset(start, "earliest")
    plain = (
        (first == offset(start, "latest"))
        & (first == offset(end, "earliest"))
        & (first == offset(end, "latest"))
    ).fill_null(value=False)
    return hour.replace_strict(
        hours.filter(plain), first.filter(plain), default=None, return_dtype=pl.Int64
    )


def _finish(
    local_us: pl.Series,
    utc_s: pl.Series,
    shape: pl.Series,
    missing: pl.Series,
    tz: str,
    ambiguous: str,
) -> ParsedTimes:
    if local_us.null_count() == local_us.len():
        # nothing local to place in the time zone (e.g. a zone-aware column): no DST work
        frame = pl.DataFrame({"utc_s": utc_s, "shape": shape, "missing": missing})
        return _status(frame, pl.col("utc_s"), pl.lit(value=False), pl.lit(value=False))
    frame = pl.DataFrame(
        {"local_us": local_us, "utc_s": utc_s, "shape": shape, "missing": missing}
    ).with_columns(_plain_offsets(local_us, tz).alias("offset"))
    frame = frame.with_columns(
        (pl.col("local_us") - pl.col("offset")).alias("a"),
        pl.lit(value=False).alias("nonexistent"),
        pl.lit(value=False).alias("is_ambiguous"),
    )
    hard = frame.get_column("offset").is_null() & frame.get_column("local_us").is_not_null()
    if hard.any():
        rows = hard.arg_true()
        other = "latest" if ambiguous == "earliest" else "earliest"
        local = pl.col("local_us").cast(pl.Datetime("us"))
        chosen = local.dt.replace_time_zone(tz, ambiguous=ambiguous, non_existent="null")
        alt = local.dt.replace_time_zone(tz, ambiguous=other, non_existent="null")
        before = (local - pl.duration(hours=6)).dt.replace_time_zone(
            tz, ambiguous="earliest", non_existent="null"
        )
        before_offset_us = (
            before.dt.base_utc_offset() + before.dt.dst_offset()
        ).dt.total_microseconds()
        sub = frame.filter(hard).select(
            chosen.dt.timestamp("us").alias("a"),
            alt.dt.timestamp("us").alias("b"),
            (pl.col("local_us") - before_offset_us).alias("gap"),
        )
        a, b = sub.get_column("a"), sub.get_column("b")
        frame = frame.with_columns(
            frame.get_column("a").scatter(rows, sub.select(pl.coalesce("a", "gap")).to_series()),
            frame.get_column("nonexistent").scatter(rows, a.is_null()),
            frame.get_column("is_ambiguous").scatter(
                rows, (a.is_not_null() & (a != b)).fill_null(value=False)
            ),
        )
    frame = frame.with_columns(_div(frame.get_column("a"), _US).alias("local_s"))
    return _status(
        frame, pl.coalesce("utc_s", "local_s"), pl.col("nonexistent"), pl.col("is_ambiguous")
    )


def _status(
    frame: pl.DataFrame, raw: pl.Expr, nonexistent: pl.Expr, is_ambiguous: pl.Expr
) -> ParsedTimes:
    """Bound the parsed seconds to 1900..2100, give each row its status, count formats."""
    sane = (raw >= _MIN_SECONDS) & (raw < _END_SECONDS)
    frame = frame.with_columns(pl.when(sane).then(raw).otherwise(None).alias("seconds"))
    frame = frame.with_columns(
        pl.when(pl.col("missing"))
        .then(pl.lit("missing"))
        .when(pl.col("seconds").is_null())
        .then(pl.lit("unparseable"))
        .when(nonexistent)
        .then(pl.lit("dst_nonexistent"))
        .when(is_ambiguous)
        .then(pl.lit("dst_ambiguous"))
        .otherwise(pl.lit("ok"))
        .alias("status")
    )
    ok = frame.filter(pl.col("seconds").is_not_null() & pl.col("shape").is_not_null())
    counts = ok.group_by("shape").len().sort("len", descending=True)
    formats = dict(zip(counts.get_column("shape"), counts.get_column("len"), strict=True))
    return ParsedTimes(
        seconds=frame.get_column("seconds"),
        status=frame.get_column("status"),
        formats={str(k): int(v) for k, v in formats.items()},
    )
