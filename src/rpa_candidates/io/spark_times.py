"""Timestamps on Spark: the rules of :mod:`rpa_candidates.io.datetimes` as Spark columns.

:func:`parse_times` gives the same seconds, status and format names as
:func:`~rpa_candidates.io.datetimes.parse_timestamps` for the same values, without any
row reaching the driver and independent of ``spark.sql.session.timeZone``:

* ``TimestampType`` is an instant (``"datetime with time zone"``);
* ``TimestampNTZType`` is local wall time in ``tz`` (``"datetime (local time)"``) and
  ``DateType`` local midnight (``"date"``);
* numbers are epoch seconds, or milliseconds where ``|x| > 1e11``;
* strings are matched against :data:`~rpa_candidates.io.datetimes.SHAPES` (German
  ``DD.MM.YYYY hh:mm[:ss[.f]]``, ``DD.MM.YY``, ISO 8601 with or without offset, ``Y/M/D``,
  epoch digits) and their fields are read with regular expressions and integer
  arithmetic (days from the civil date, Hinnant's algorithm), so an impossible date such
  as ``31.02.2025`` is unparseable rather than an error under ANSI mode.

Local wall time ``L`` becomes an instant with ``to_utc_timestamp``, which resolves a time
in the spring-forward gap with the offset before the gap and a repeated autumn time with
the earlier instant; ``from_utc_timestamp`` maps an instant back to wall time, which
detects both cases: ``wall(a) ≠ L`` means the time did not exist, and a second instant
``b = L − offset(a + 6 h)`` with ``wall(b) = L`` and ``b ≠ a`` means it was ambiguous.

Each step is its own projection: Spark expressions are trees, so reusing a large parsed
expression inside another would copy it many times over.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from ..core.errors import LogFormatError
from .datetimes import SHAPES

__all__ = ["parse_times", "strip", "utc_offset"]

_MIN_SECONDS = -2_208_988_800.0  # 1900-01-01T00:00:00Z, as in datetimes.py
_END_SECONDS = 4_133_980_800.0  # 2101-01-01T00:00:00Z
_EPOCH_MS_ABOVE = 1e11
_US = 1_000_000
_SIX_HOURS_US = 6 * 3600 * _US

_TIME = r"(?: (\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
#: Field groups: 1..3 the date (order per family), 4 hour, 5 minute, 6 second,
#: 7 fraction, 8 offset (ISO only).
_FAMILIES = {
    "de": rf"^(\d{{1,2}})\.(\d{{1,2}})\.(\d{{2}}|\d{{4}}){_TIME}$",
    "iso": r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?$",
    "slash": rf"^(\d{{4}})/(\d{{1,2}})/(\d{{1,2}}){_TIME}$",
}


def _family(fmt: str) -> str:
    return "de" if fmt.startswith("%d") else "iso" if fmt.startswith("%Y-") else "slash"


def strip(column: Column) -> Column:
    """Surrounding Unicode whitespace removed (polars ``str.strip_chars()``)."""
    return F.regexp_replace(column, r"(?U)^\s+|\s+$", "")


def _wall(instant_us: Column, tz: str) -> Column:
    """Local wall time (as epoch microseconds) of an instant in ``tz``."""
    return F.unix_micros(F.from_utc_timestamp(F.timestamp_micros(instant_us), tz))


def _instant(local_us: Column, tz: str) -> Column:
    """The instant of a wall time; gap: offset before it, overlap: the earlier instant."""
    return F.unix_micros(F.to_utc_timestamp(F.timestamp_micros(local_us), tz))


def utc_offset(seconds: Column, tz: str) -> Column:
    """Int32 seconds of local time minus UTC at each instant (null stays null)."""
    us = F.round(seconds * _US).cast("long")
    return ((_wall(us, tz) - us) / _US).cast("int")


def _int(text: Column, default: int | None = None) -> Column:
    value = text.try_cast("long")
    return value if default is None else F.coalesce(value, F.lit(default).cast("long"))


def _string_shape(text: Column) -> tuple[Column, Column]:
    """Name and family of the first shape the text matches (the shapes are disjoint)."""
    name_expr = family_expr = None
    for name, rx, fmt, kind in SHAPES:
        hit = text.rlike(f"^(?:{rx})$")
        family = "epoch" if kind == "epoch" else _family(fmt)
        if name_expr is None:
            name_expr, family_expr = F.when(hit, name), F.when(hit, family)
        else:
            name_expr, family_expr = name_expr.when(hit, name), family_expr.when(hit, family)
    return name_expr, family_expr


def _fields(df: DataFrame, text: str, family: str, p: str) -> DataFrame:
    """Add the integer fields ``{p}y``, ``{p}mo``, ... of a date/time text (null if none)."""
    packed = None
    for fam, rx in _FAMILIES.items():
        groups = [F.regexp_extract(F.col(text), rx, i) for i in range(1, 9 if fam == "iso" else 8)]
        if fam != "iso":
            groups.append(F.lit(""))
        if fam == "de":
            groups[0], groups[2] = groups[2], groups[0]  # year, month, day
        struct = F.struct(*[g.alias(f"g{i}") for i, g in enumerate(groups)])
        hit = F.col(family) == fam
        packed = F.when(hit, struct) if packed is None else packed.when(hit, struct)
    df = df.withColumn(f"{p}g", packed)
    g = F.col(f"{p}g")
    year = _int(g["g0"])
    return df.select(
        "*",
        F.when(F.length(g["g0"]) == 2, F.when(year < 70, year + 2000).otherwise(year + 1900))
        .otherwise(year)
        .alias(f"{p}y"),
        _int(g["g1"]).alias(f"{p}mo"),
        _int(g["g2"]).alias(f"{p}d"),
        _int(g["g3"], 0).alias(f"{p}h"),
        _int(g["g4"], 0).alias(f"{p}mi"),
        _int(g["g5"], 0).alias(f"{p}s"),
        F.when(g["g6"] != "", F.rpad(F.substring(g["g6"], 1, 6), 6, "0").try_cast("long"))
        .otherwise(F.lit(0).cast("long"))
        .alias(f"{p}f"),
        g["g7"].alias(f"{p}o"),
    ).drop(f"{p}g")


def _local_us(p: str) -> tuple[Column, Column]:
    """Local wall-time microseconds of the fields, and the offset in seconds (null: none)."""
    year, month, day = F.col(f"{p}y"), F.col(f"{p}mo"), F.col(f"{p}d")
    hour, minute, second = F.col(f"{p}h"), F.col(f"{p}mi"), F.col(f"{p}s")
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = (
        F.when(month == 2, F.when(leap, 29).otherwise(28))
        .when(month.isin(4, 6, 9, 11), 30)
        .otherwise(31)
    )
    valid = (
        month.between(1, 12)
        & (day >= 1)
        & (day <= month_days)
        & (hour <= 23)
        & (minute <= 59)
        & (second <= 60)  # a leap second rolls over into the next minute, as in chrono
    )
    # days since 1970-01-01 of a proleptic Gregorian date (Hinnant, "days_from_civil")
    y = year - F.when(month <= 2, 1).otherwise(0)
    era = F.floor(y / 400)
    yoe = y - era * 400
    doy = F.floor((153 * (month + F.when(month > 2, -3).otherwise(9)) + 2) / 5) + day - 1
    doe = yoe * 365 + F.floor(yoe / 4) - F.floor(yoe / 100) + doy
    days = (era * 146097 + doe - 719468).cast("long")
    clock = hour * 3600 + minute * 60 + second
    local = F.when(valid, days * 86_400 * _US + clock * _US + F.col(f"{p}f"))
    off = F.col(f"{p}o")
    sign = F.when(F.substring(off, 1, 1) == "-", -1).otherwise(1)
    hours = _int(F.substring(off, 2, 2))
    minutes = _int(F.regexp_extract(off, r"^[+-]\d{2}:?(\d{2})$", 1), 0)
    offset = (
        F.when(off.isNull() | (off == ""), F.lit(None).cast("long"))
        .when(off == "Z", F.lit(0).cast("long"))
        .otherwise(sign * (hours * 3600 + minutes * 60))
    )
    local = F.when(
        off.isNull() | (off == "") | (off == "Z") | ((hours < 24) & (minutes < 60)), local
    )
    return local, offset


def _epoch(number: Column) -> tuple[Column, Column]:
    is_ms = F.abs(number) > _EPOCH_MS_ABOVE
    seconds = F.when(is_ms, number / 1000.0).otherwise(number)
    label = F.when(number.isNull(), None).when(is_ms, "epoch milliseconds")
    return seconds, label.otherwise("epoch seconds")


def parse_times(
    df: DataFrame,
    column: str,
    *,
    out: str,
    tz: str,
    ambiguous: str,
) -> DataFrame:
    """Parse one timestamp column; see the module docstring and ``parse_timestamps``.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The table.
    column : str
        Name of the timestamp column.
    out : str
        Prefix of the columns added: ``{out}`` (Float64 UTC epoch seconds, null where
        missing or unparseable), ``{out}_status`` (``"ok"``, ``"missing"``,
        ``"unparseable"``, ``"dst_nonexistent"``, ``"dst_ambiguous"``) and ``{out}_shape``
        (the format name, null where unparsed).
    tz : str
        IANA zone of values without an offset.
    ambiguous : {"earliest", "latest"}
        Reading of a repeated local time.

    Returns
    -------
    pyspark.sql.DataFrame
        ``df`` with the three columns.

    Raises
    ------
    LogFormatError
        The column's type cannot hold timestamps (e.g. boolean, array).
    """
    dtype = df.schema[column].dataType
    raw = F.col(f"`{column.replace('`', '``')}`")
    p = f"{out}__"
    none_long, none_double = F.lit(None).cast("long"), F.lit(None).cast("double")
    if isinstance(dtype, T.StringType | T.VarcharType | T.CharType):
        df = df.withColumn(f"{p}t", strip(raw))
        text = F.col(f"{p}t")
        name, family = _string_shape(text)
        df = df.select("*", name.alias(f"{p}n"), family.alias(f"{p}fam"))
        df = _fields(df, f"{p}t", f"{p}fam", p)
        local, offset = _local_us(p)
        is_epoch = F.col(f"{p}fam") == "epoch"
        df = df.select(
            "*",
            (text.isNull() | (text == "")).alias(f"{p}miss"),
            local.alias(f"{p}loc"),
            offset.alias(f"{p}off"),
            F.when(is_epoch, text.try_cast("double")).alias(f"{p}num"),
        )
        epoch_s, epoch_label = _epoch(F.col(f"{p}num"))
        aware = F.col(f"{p}off").isNotNull()
        df = df.select(
            "*",
            F.when(~is_epoch & ~aware, F.col(f"{p}loc")).alias(f"{p}L"),
            F.when(is_epoch, epoch_s)
            .when(aware, (F.col(f"{p}loc") - F.col(f"{p}off") * _US) / float(_US))
            .alias(f"{p}u"),
            F.when(is_epoch, epoch_label).otherwise(F.col(f"{p}n")).alias(f"{p}shape"),
        )
    elif isinstance(dtype, T.TimestampType):
        df = df.select(
            "*",
            raw.isNull().alias(f"{p}miss"),
            none_long.alias(f"{p}L"),
            (F.unix_micros(raw) / float(_US)).alias(f"{p}u"),
            F.when(raw.isNotNull(), F.lit("datetime with time zone")).alias(f"{p}shape"),
        )
    elif isinstance(dtype, T.TimestampNTZType | T.DateType):
        # the text form "yyyy-MM-dd[ HH:mm:ss[.f]]" does not depend on the session zone
        label = "date" if isinstance(dtype, T.DateType) else "datetime (local time)"
        df = df.select("*", raw.cast("string").alias(f"{p}t"), F.lit("iso").alias(f"{p}fam"))
        df = _fields(df, f"{p}t", f"{p}fam", p)
        local, _ = _local_us(p)
        df = df.select(
            "*",
            raw.isNull().alias(f"{p}miss"),
            local.alias(f"{p}L"),
            none_double.alias(f"{p}u"),
            F.when(raw.isNotNull(), F.lit(label)).alias(f"{p}shape"),
        )
    elif isinstance(dtype, T.NumericType):
        number = F.when(~F.isnan(raw.cast("double")), raw.cast("double"))
        df = df.withColumn(f"{p}num", number)
        seconds, label = _epoch(F.col(f"{p}num"))
        df = df.select(
            "*",
            F.col(f"{p}num").isNull().alias(f"{p}miss"),
            none_long.alias(f"{p}L"),
            seconds.alias(f"{p}u"),
            label.alias(f"{p}shape"),
        )
    elif isinstance(dtype, T.NullType):
        df = df.select(
            "*",
            F.lit(True).alias(f"{p}miss"),
            none_long.alias(f"{p}L"),
            none_double.alias(f"{p}u"),
            F.lit(None).cast("string").alias(f"{p}shape"),
        )
    else:
        raise LogFormatError(
            f"The timestamp column {column!r} has type {dtype.simpleString()}; expected "
            "text, a datetime, a date or epoch seconds. Choose another timestamp column."
        )
    return _finish(df, p, out, tz, ambiguous)


def _finish(df: DataFrame, p: str, out: str, tz: str, ambiguous: str) -> DataFrame:
    local = F.col(f"{p}L")
    df = df.withColumn(f"{p}a", _instant(local, tz))
    first = F.col(f"{p}a")
    later = first + _SIX_HOURS_US
    df = df.select(
        "*",
        (_wall(first, tz) == local).alias(f"{p}exists"),
        (local - (_wall(later, tz) - later)).alias(f"{p}b"),
    )
    exists, second = F.col(f"{p}exists"), F.col(f"{p}b")
    df = df.withColumn(f"{p}amb", exists & (second != first) & (_wall(second, tz) == local))
    is_ambiguous = F.coalesce(F.col(f"{p}amb"), F.lit(False))
    chosen = F.when(is_ambiguous, second).otherwise(first) if ambiguous == "latest" else first
    raw = F.coalesce(F.col(f"{p}u"), chosen / float(_US))
    df = df.withColumn(out, F.when((raw >= _MIN_SECONDS) & (raw < _END_SECONDS), raw))
    seconds = F.col(out)
    status = (
        F.when(F.col(f"{p}miss"), "missing")
        .when(seconds.isNull(), "unparseable")
        .when(local.isNotNull() & ~exists, "dst_nonexistent")
        .when(is_ambiguous, "dst_ambiguous")
        .otherwise("ok")
    )
    df = df.select(
        "*",
        status.alias(f"{out}_status"),
        F.when(seconds.isNotNull(), F.col(f"{p}shape")).cast("string").alias(f"{out}_shape"),
    )
    return df.drop(*[c for c in df.columns if c.startswith(p)])
