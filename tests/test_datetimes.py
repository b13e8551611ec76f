"""Timestamp parsing to UTC epoch seconds (rpa_candidates.io.datetimes)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import rpa_candidates as rc
from rpa_candidates.io.datetimes import parse_timestamps, utc_offset_seconds

BERLIN = ZoneInfo("Europe/Berlin")


def local(*args: int, fold: int = 0, tz: ZoneInfo = BERLIN) -> float:
    """Epoch seconds of a Berlin wall-clock time, computed by the standard library."""
    return datetime(*args, tzinfo=tz, fold=fold).timestamp()


def aware(*args: int, minutes: int) -> float:
    return datetime(*args, tzinfo=timezone(timedelta(minutes=minutes))).timestamp()


def parse(values, **kw):
    p = parse_timestamps(pl.Series("t", values), **kw)
    return p.seconds.to_list(), p.status.to_list(), p.formats


@pytest.mark.parametrize(
    ("text", "expected", "fmt"),
    [
        ("31.12.2025 14:05", local(2025, 12, 31, 14, 5), "DD.MM.YYYY hh:mm"),
        ("31.12.2025 14:05:33", local(2025, 12, 31, 14, 5, 33), "DD.MM.YYYY hh:mm:ss"),
        (
            "31.12.2025 14:05:33.125",
            local(2025, 12, 31, 14, 5, 33, 125000),
            "DD.MM.YYYY hh:mm:ss.f",
        ),
        (
            "31.12.2025 14:05:33,5",
            local(2025, 12, 31, 14, 5, 33, 500000),
            "DD.MM.YYYY hh:mm:ss.f",
        ),
        ("1.7.2025 8:05", local(2025, 7, 1, 8, 5), "DD.MM.YYYY hh:mm"),
        ("31.12.2025", local(2025, 12, 31), "DD.MM.YYYY"),
        ("31.12.25 14:05", local(2025, 12, 31, 14, 5), "DD.MM.YY hh:mm"),
        ("01.07.99 14:05:01", local(1999, 7, 1, 14, 5, 1), "DD.MM.YY hh:mm:ss"),
        ("31.12.25", local(2025, 12, 31), "DD.MM.YY"),
        ("2025-07-01T14:05", local(2025, 7, 1, 14, 5), "ISO 8601"),
        ("2025-07-01T14:05:33", local(2025, 7, 1, 14, 5, 33), "ISO 8601"),
        ("2025-07-01 14:05:33", local(2025, 7, 1, 14, 5, 33), "ISO 8601"),
        ("2025-07-01 14:05", local(2025, 7, 1, 14, 5), "ISO 8601"),
        ("2025-07-01T14:05:33.123456", local(2025, 7, 1, 14, 5, 33, 123456), "ISO 8601"),
        ("2025-07-01T14:05:33Z", aware(2025, 7, 1, 14, 5, 33, minutes=0), "ISO 8601 with offset"),
        (
            "2025-07-01T14:05:33+01:00",
            aware(2025, 7, 1, 14, 5, 33, minutes=60),
            "ISO 8601 with offset",
        ),
        (
            "2025-07-01 14:05:33.25-0230",
            aware(2025, 7, 1, 14, 5, 33, 250000, minutes=-150),
            "ISO 8601 with offset",
        ),
        ("2025-07-01T14:05+02", aware(2025, 7, 1, 14, 5, minutes=120), "ISO 8601 with offset"),
        ("2025-07-01", local(2025, 7, 1), "ISO 8601 date"),
        ("2025/12/31 14:05", local(2025, 12, 31, 14, 5), "YYYY/MM/DD hh:mm"),
        ("2025/12/31 14:05:07", local(2025, 12, 31, 14, 5, 7), "YYYY/MM/DD hh:mm:ss"),
        ("2025/12/31", local(2025, 12, 31), "YYYY/MM/DD"),
        ("1767186300", 1767186300.0, "epoch seconds"),
        ("1767186300.5", 1767186300.5, "epoch seconds"),
        ("1767186300123", 1767186300.123, "epoch milliseconds"),
        ("  31.12.2025 14:05 \t", local(2025, 12, 31, 14, 5), "DD.MM.YYYY hh:mm"),
    ],
)
def test_each_format(text, expected, fmt):
    seconds, status, formats = parse([text])
    assert seconds == [expected]
    assert status == ["ok"]
    assert formats == {fmt: 1}


def test_mixed_formats_in_one_column():
    values = [
        "31.12.2025 14:05",
        "2025-07-01T14:05:33+02:00",
        "1767186300",
        "2025/12/31",
        None,
        "   ",
        "gestern",
        "31.12.2025 14:06",
    ]
    seconds, status, formats = parse(values)
    assert seconds == [
        local(2025, 12, 31, 14, 5),
        aware(2025, 7, 1, 14, 5, 33, minutes=120),
        1767186300.0,
        local(2025, 12, 31),
        None,
        None,
        None,
        local(2025, 12, 31, 14, 6),
    ]
    assert status == ["ok"] * 4 + ["missing", "missing", "unparseable", "ok"]
    assert formats == {
        "DD.MM.YYYY hh:mm": 2,
        "ISO 8601 with offset": 1,
        "epoch seconds": 1,
        "YYYY/MM/DD": 1,
    }


def test_spring_forward_gap_uses_offset_before_the_gap():
    seconds, status, _ = parse(["30.03.2025 02:30", "30.03.2025 01:59", "30.03.2025 03:00"])
    assert seconds[0] == datetime(2025, 3, 30, 1, 30, tzinfo=UTC).timestamp()
    assert seconds[0] == local(2025, 3, 30, 2, 30, fold=0)
    assert seconds[1:] == [local(2025, 3, 30, 1, 59), local(2025, 3, 30, 3, 0)]
    assert status == ["dst_nonexistent", "ok", "ok"]


@pytest.mark.parametrize(("ambiguous", "fold", "utc_hour"), [("earliest", 0, 0), ("latest", 1, 1)])
def test_repeated_hour(ambiguous, fold, utc_hour):
    seconds, status, _ = parse(["26.10.2025 02:30", "26.10.2025 03:30"], ambiguous=ambiguous)
    assert seconds[0] == local(2025, 10, 26, 2, 30, fold=fold)
    assert seconds[0] == datetime(2025, 10, 26, utc_hour, 30, tzinfo=UTC).timestamp()
    assert seconds[1] == local(2025, 10, 26, 3, 30)
    assert status == ["dst_ambiguous", "ok"]


def test_explicit_offsets_never_get_dst_status():
    _, status, _ = parse(["2025-10-26T02:30:00+02:00", "2025-03-30T02:30:00+01:00"])
    assert status == ["ok", "ok"]


def test_other_time_zone():
    seconds, _, _ = parse(["01.07.2025 12:00"], tz="America/New_York")
    assert seconds == [local(2025, 7, 1, 12, 0, tz=ZoneInfo("America/New_York"))]


def test_numeric_epoch_seconds_and_milliseconds():
    p = parse_timestamps(pl.Series([1767186300, 1767186300123, None]))
    assert p.seconds.to_list() == [1767186300.0, 1767186300.123, None]
    assert p.status.to_list() == ["ok", "ok", "missing"]
    assert p.formats == {"epoch seconds": 1, "epoch milliseconds": 1}
    p = parse_timestamps(pl.Series([1767186300.25, float("nan")]))
    assert p.seconds.to_list() == [1767186300.25, None]
    assert p.status.to_list() == ["ok", "missing"]


def test_unparseable_missing_and_out_of_range_years():
    seconds, status, formats = parse(
        ["", None, "31.02.2025 10:00", "25:00", "01.01.1850 10:00", "2101-01-02", "12345678"]
    )
    assert seconds == [None] * 7
    assert status == ["missing", "missing"] + ["unparseable"] * 5
    assert formats == {}


def test_polars_datetime_and_date_input():
    naive = pl.Series([datetime(2025, 3, 30, 2, 30), datetime(2025, 7, 1, 12, 0, 0, 5), None])
    p = parse_timestamps(naive)
    assert p.seconds.to_list() == [
        local(2025, 3, 30, 2, 30),
        local(2025, 7, 1, 12, 0, 0, 5),
        None,
    ]
    assert p.status.to_list() == ["dst_nonexistent", "ok", "missing"]
    tokyo = naive.dt.replace_time_zone("Asia/Tokyo")
    p = parse_timestamps(tokyo)
    assert p.seconds.to_list()[1] == local(2025, 7, 1, 12, 0, 0, 5, tz=ZoneInfo("Asia/Tokyo"))
    assert p.status.to_list()[:2] == ["ok", "ok"]
    p = parse_timestamps(pl.Series([date(2025, 12, 31)]))
    assert p.seconds.to_list() == [local(2025, 12, 31)]


def test_all_null_and_bad_types():
    p = parse_timestamps(pl.Series([None, None]))
    assert p.status.to_list() == ["missing", "missing"]
    with pytest.raises(rc.LogFormatError, match="Boolean"):
        parse_timestamps(pl.Series("flag", [True]))


def test_bad_parameters():
    with pytest.raises(rc.ParameterError, match="Europe/Berlin"):
        parse_timestamps(pl.Series(["31.12.2025"]), tz="Europe/Bonn")
    with pytest.raises(rc.ParameterError, match="earliest"):
        parse_timestamps(pl.Series(["31.12.2025"]), ambiguous="first")
    with pytest.raises(rc.ParameterError, match="polars Series"):
        parse_timestamps(["31.12.2025"])
    with pytest.raises(rc.ParameterError, match="Europe/Berlin"):
        utc_offset_seconds(pl.Series([0.0]), tz="Mars/Olympus")


def test_utc_offset_seconds():
    winter = local(2025, 1, 15, 12)
    summer = local(2025, 7, 15, 12)
    out = utc_offset_seconds(pl.Series([winter, summer, None]), tz="Europe/Berlin")
    assert out.dtype == pl.Int32
    assert out.to_list() == [3600, 7200, None]
    # just before and after the spring change (01:00 UTC)
    change = datetime(2025, 3, 30, 1, 0, tzinfo=UTC).timestamp()
    out = utc_offset_seconds(pl.Series([change - 1, change]), tz="Europe/Berlin")
    assert out.to_list() == [3600, 7200]
    assert utc_offset_seconds(pl.Series([0.0]), tz="America/New_York").to_list() == [-18000]


# ---------------------------------------------------------------- property-based


def _fmt_naive(d: datetime, kind: int) -> tuple[str, datetime]:
    """Format a naive local datetime; return the text and the datetime it denotes."""
    no_s, no_us, day = (
        d.replace(second=0, microsecond=0),
        d.replace(microsecond=0),
        d.replace(hour=0, minute=0, second=0, microsecond=0),
    )
    options = [
        (f"{d:%d.%m.%Y %H:%M}", no_s),
        (f"{d:%d.%m.%Y %H:%M:%S}", no_us),
        (f"{d:%d.%m.%Y %H:%M:%S}.{d.microsecond:06d}", d),
        (f"{d:%d.%m.%Y}", day),
        (f"{d:%d.%m.%y %H:%M}", no_s),
        (f"{d:%d.%m.%y %H:%M:%S}", no_us),
        (f"{d:%d.%m.%y}", day),
        (f"{d:%Y-%m-%dT%H:%M}", no_s),
        (f"{d:%Y-%m-%dT%H:%M:%S}", no_us),
        (f"{d:%Y-%m-%d %H:%M:%S}.{d.microsecond:06d}", d),
        (f"{d:%Y-%m-%d %H:%M}", no_s),
        (f"{d:%Y-%m-%d}", day),
        (f"{d:%Y/%m/%d %H:%M}", no_s),
        (f"{d:%Y/%m/%d %H:%M:%S}", no_us),
        (f"{d:%Y/%m/%d}", day),
    ]
    return options[kind % len(options)]


def _fmt_offset(d: datetime, minutes: int, kind: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    offsets = [f"{sign}{hh:02d}:{mm:02d}", f"{sign}{hh:02d}{mm:02d}"]
    if minutes == 0:
        offsets.append("Z")
    off = offsets[kind % len(offsets)]
    sep = "T" if kind % 2 else " "
    return f"{d:%Y-%m-%d}{sep}{d:%H:%M:%S}.{d.microsecond:06d}{off}"


@st.composite
def timestamp_cells(draw):
    d = draw(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31)))
    kind = draw(st.integers(0, 100))
    style = draw(st.sampled_from(["naive", "offset", "epoch_s", "epoch_ms"]))
    if style == "naive":
        text, meant = _fmt_naive(d, kind)
        early, late = meant.replace(tzinfo=BERLIN), meant.replace(tzinfo=BERLIN, fold=1)
        assume(early.utcoffset() == late.utcoffset())  # not in a DST gap or repeated hour
        return text, early.timestamp()
    if style == "offset":
        minutes = draw(st.integers(-48, 56)) * 15
        instant = d.replace(tzinfo=timezone(timedelta(minutes=minutes)))
        return _fmt_offset(d, minutes, kind), instant.timestamp()
    instant = int(d.replace(tzinfo=UTC).timestamp())
    if style == "epoch_s":
        return str(instant), float(instant)
    ms = instant * 1000 + d.microsecond // 1000
    return str(ms), ms / 1000


@settings(max_examples=150, deadline=None)
@given(st.lists(timestamp_cells(), min_size=1, max_size=20))
def test_random_timestamps_parse_back_exactly(cells):
    texts = [t for t, _ in cells]
    seconds, status, formats = parse(texts)
    assert status == ["ok"] * len(cells)
    assert seconds == [s for _, s in cells]
    assert sum(formats.values()) == len(cells)


@pytest.mark.parametrize("tz", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"])
@pytest.mark.parametrize("ambiguous", ["earliest", "latest"])
def test_hourly_offsets_equal_the_conversion_of_every_row(tz, ambiguous):
    """The time zone applied to the distinct local hours (io/datetimes.py, _plain_offsets)
    gives what polars' conversion of each row gives, DST gaps and repeats included."""
    import numpy as np

    rng = np.random.default_rng(3)
    centres = ["2024-03-10T02:30", "2024-03-31T02:30", "2024-10-06T02:00", "2024-10-27T02:30",
               "2024-11-03T01:30", "2025-04-06T02:00", "2025-06-15T12:00"]  # fmt: skip
    us = np.concatenate(
        [
            np.datetime64(c, "us").astype("int64")
            + rng.integers(-3, 3, 3000) * 10**9 * 3
            + rng.integers(0, 10**9, 3000)
            for c in centres
        ]
    )
    values = pl.Series("t", us).cast(pl.Datetime("us"))
    parsed = parse_timestamps(values, tz=tz, ambiguous=ambiguous)
    local = pl.col("t")
    chosen = local.dt.replace_time_zone(tz, ambiguous=ambiguous, non_existent="null")
    other = "latest" if ambiguous == "earliest" else "earliest"
    alt = local.dt.replace_time_zone(tz, ambiguous=other, non_existent="null")
    before = (local - pl.duration(hours=6)).dt.replace_time_zone(tz, ambiguous="earliest")
    offset = (before.dt.base_utc_offset() + before.dt.dst_offset()).dt.total_microseconds()
    oracle = pl.DataFrame({"t": values}).select(
        a=chosen.dt.timestamp("us"),
        b=alt.dt.timestamp("us"),
        gap=local.dt.timestamp("us") - offset,
    )
    expected = oracle.select(pl.coalesce("a", "gap") / 1e6).to_series()
    assert parsed.seconds.to_list() == pytest.approx(expected.to_list(), abs=1e-6)
    a, b = oracle.get_column("a"), oracle.get_column("b")
    status = pl.select(
        pl.when(a.is_null()).then(pl.lit("dst_nonexistent"))
        .when(a != b).then(pl.lit("dst_ambiguous"))
        .otherwise(pl.lit("ok"))
    ).to_series()  # fmt: skip
    assert parsed.status.to_list() == status.to_list()
    if tz in ("Europe/Berlin", "America/New_York"):  # the sample holds both kinds there
        assert {"dst_nonexistent", "dst_ambiguous"} <= set(parsed.status.to_list())
