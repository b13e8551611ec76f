"""Date formats: the ``date_format`` option and the day-first/month-first decision.

Numeric dates with slashes or dashes (``03/04/2025``, ``3-4-25``) are read month-first in
the USA and day-first almost everywhere else. :func:`sniff_order` decides from the values:
a first field above 12 can only be a day (``31/01/2025``: day-first), a second field above
12 only a day (``01/31/2025``: month-first). When every value is ambiguous (both fields
≤ 12) it refuses to guess and raises :class:`AmbiguousDateError`, which names the accepted
formats and the ``date_format`` option (CLI ``--date-format``).

``date_format`` is one of

* ``"us"``: slash/dash dates month-first ``MM/DD/YYYY`` (also ``MM/DD/YY``), with or
  without a 24-hour time, or a 12-hour time with ``AM``/``PM`` (``a.m.``, ``pm``);
* ``"de"`` (alias ``"eu"``): slash/dash dates day-first ``DD/MM/YYYY``, same times;
* ``"iso"``: only ISO 8601 (``2025-03-04T14:05[:ss[.f]][±hh:mm|Z]``, or a date);
* a strftime pattern such as ``"%d/%m/%Y %H:%M"`` (anything with ``%``; Python's ``.%f``
  is read as any fraction), applied to every value.

With ``"us"`` or ``"de"`` the unambiguous shapes (German ``DD.MM.YYYY``, ISO 8601,
``YYYY/MM/DD``, epoch seconds) are still read; with ``"iso"`` or a pattern only what the
format says. Values that do not match are rejected as ``unparseable_timestamp``.
"""

from __future__ import annotations

import polars as pl

from ..core.errors import AmbiguousDateError, ParameterError
from .shapes import SHAPES

__all__ = [
    "NAMED_FORMATS",
    "AmbiguousDateError",
    "accepted_formats_text",
    "normalise_meridiem",
    "prepare",
    "shapes_for",
    "sniff_order",
    "unreadable_message",
]

#: Names accepted by ``date_format``, and what they mean.
NAMED_FORMATS = {
    "us": "MM/DD/YYYY [hh:mm[:ss]] [AM|PM] (month first)",
    "de": "DD/MM/YYYY [hh:mm[:ss]] (day first; DD.MM.YYYY is always day first)",
    "eu": "same as 'de'",
    "iso": "ISO 8601 only (YYYY-MM-DD[Thh:mm[:ss]][±hh:mm|Z])",
}

_SEP = "[/-]"
_NUMERIC_DATE = rf"^\s*(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(?:\d{{4}}|\d{{2}})(?:$|[\sT])"
_MERIDIEM = r"(?i)\s*([ap])\.?\s?m\.?$"
_TIMES = (  # (label, regex, 24-hour format, 12-hour format)
    ("", "", "", ""),
    (" hh:mm", r" \d{1,2}:\d{2}", " %H:%M", " %I:%M"),
    (" hh:mm:ss", r" \d{1,2}:\d{2}:\d{2}", " %H:%M:%S", " %I:%M:%S"),
    (" hh:mm:ss.f", r" \d{1,2}:\d{2}:\d{2}[.,]\d{1,9}", " %H:%M:%S%.f", " %I:%M:%S%.f"),
)


def accepted_formats_text() -> str:
    """One line naming the formats read without options and the ``date_format`` choices."""
    auto = (
        "DD.MM.YYYY [hh:mm[:ss[.f]]] (also DD.MM.YY), ISO 8601 with or without offset, "
        "YYYY/MM/DD [hh:mm[:ss]], epoch seconds or milliseconds"
    )
    named = "; ".join(f"{k!r}: {v}" for k, v in NAMED_FORMATS.items() if k != "eu")
    return (
        f"Read without options: {auto}, and DD/MM/YYYY or MM/DD/YYYY when the values show "
        f"which. Give the format with read_log(..., date_format=...) or the command line's "
        f"--date-format: {named}; or a strftime pattern such as '%m/%d/%Y %I:%M %p'."
    )


def _slash_shapes(order: str) -> tuple[tuple[str, str, str, str], ...]:
    """Shapes of slash/dash dates in ``order`` ``"mdy"`` or ``"dmy"``, with times."""
    label_date = "MM/DD/YYYY" if order == "mdy" else "DD/MM/YYYY"
    first, second = ("%m", "%d") if order == "mdy" else ("%d", "%m")
    shapes = []
    for year_rx, year_fmt, year_label in ((r"\d{4}", "%Y", ""), (r"\d{2}", "%y", " (YY)")):
        for sep in ("/", "-"):
            date_rx = rf"\d{{1,2}}{sep}\d{{1,2}}{sep}{year_rx}"
            date_fmt = f"{first}{sep}{second}{sep}{year_fmt}"
            label = label_date.replace("/", sep) + year_label
            for time_label, time_rx, fmt24, fmt12 in _TIMES:
                shapes.append(
                    (f"{label}{time_label}", date_rx + time_rx, date_fmt + fmt24, "local")
                )
                if time_rx:
                    shapes.append(
                        (
                            f"{label}{time_label} AM/PM",
                            date_rx + time_rx + " [AP]M",
                            date_fmt + fmt12 + " %p",
                            "local",
                        )
                    )
    return tuple(shapes)


def shapes_for(date_format: str | None) -> tuple[tuple[str, str, str, str], ...]:
    """The shapes :func:`~rpa_candidates.io.datetimes.parse_timestamps` tries.

    Parameters
    ----------
    date_format : str or None
        None (the automatic shapes; slash dates only after :func:`sniff_order`), a name
        of :data:`NAMED_FORMATS` or a strftime pattern.

    Returns
    -------
    tuple of (name, regex, strptime format, kind)
        In the layout of :data:`~rpa_candidates.io.datetimes.SHAPES`.

    Raises
    ------
    ParameterError
        ``date_format`` is neither a known name nor a pattern with ``%``.
    """
    if date_format is None:
        return SHAPES
    if not isinstance(date_format, str):
        raise ParameterError(
            f"date_format={date_format!r}; expected a name ({', '.join(NAMED_FORMATS)}) "
            "or a strftime pattern such as '%d/%m/%Y %H:%M'."
        )
    name = date_format.strip().lower()
    if name == "us":
        return SHAPES + _slash_shapes("mdy")
    if name in ("de", "eu"):
        return SHAPES + _slash_shapes("dmy")
    if name == "iso":
        return tuple(s for s in SHAPES if s[0].startswith("ISO 8601"))
    if "%" not in date_format:
        raise ParameterError(
            f"date_format={date_format!r} is neither a name ({', '.join(NAMED_FORMATS)}) "
            "nor a strftime pattern (it has no '%'), e.g. '%m/%d/%Y %I:%M %p'."
        )
    pattern = date_format.replace(".%f", "%.f")  # Python's microseconds: any fraction
    kind = "aware" if any(z in pattern for z in ("%z", "%:z", "%#z")) else "local"
    return ((date_format, r"(?s:.+)", pattern, kind),)


def normalise_meridiem(text: pl.Series) -> pl.Series:
    """``1:30 pm``, ``1:30p.m.``, ``1:30PM`` → ``1:30 PM`` (what the shapes expect)."""
    if not text.str.contains(_MERIDIEM).any():
        return text
    return text.str.replace(r"(?i)\s*a\.?\s?m\.?$", " AM").str.replace(
        r"(?i)\s*p\.?\s?m\.?$", " PM"
    )


def sniff_order(columns: list[pl.Series]) -> str | None:
    """Decide whether numeric slash/dash dates are month-first (``"us"``) or day-first.

    A value whose first field exceeds 12 is day-first evidence, one whose second field
    exceeds 12 month-first evidence.

    Parameters
    ----------
    columns : list of polars.Series
        The timestamp columns (end and start) of one log; non-text columns are ignored.

    Returns
    -------
    {"us", "de"} or None
        None when no value is a numeric slash/dash date (nothing to decide).

    Raises
    ------
    AmbiguousDateError
        Every such value is ambiguous (both fields ≤ 12), or some values are only valid
        day-first and others only month-first.
    """
    day_first = month_first = total = 0
    example: str | None = None
    for column in columns:
        if column.dtype != pl.String:
            continue
        fields = column.str.extract_groups(_NUMERIC_DATE).struct.unnest()
        fields = fields.drop_nulls().select(pl.all().cast(pl.Int32))
        if fields.height == 0:
            continue
        total += fields.height
        a, b = fields.get_column("1"), fields.get_column("2")
        day_first += int(((a > 12) & (b <= 12)).sum())
        month_first += int(((b > 12) & (a <= 12)).sum())
        if example is None:
            example = column.filter(column.str.contains(_NUMERIC_DATE)).item(0).strip()
    if total == 0:
        return None
    if day_first and month_first:
        raise AmbiguousDateError(
            f"The dates mix day-first and month-first: {day_first:,} values only make sense "
            f"as DD/MM/YYYY and {month_first:,} only as MM/DD/YYYY. " + accepted_formats_text()
        )
    if day_first:
        return "de"
    if month_first:
        return "us"
    raise AmbiguousDateError(
        f"All {total:,} numeric dates (e.g. {example!r}) could be day-first (DD/MM/YYYY) or "
        "month-first (MM/DD/YYYY): no day is above 12, so the order cannot be told from "
        "the values and is not guessed. " + accepted_formats_text()
    )


def prepare(
    text: pl.Series, date_format: str | None
) -> tuple[pl.Series, tuple[tuple[str, str, str, str], ...]]:
    """The stripped text column ready for parsing, and the shapes to try on it.

    Without ``date_format`` the day/month order of slash dates is sniffed from this
    column alone (:func:`read_log` sniffs end and start column together and passes the
    result).
    """
    if date_format is None:
        date_format = sniff_order([text])
    shapes = shapes_for(date_format)
    if any("%p" in fmt for _, _, fmt, _ in shapes):
        text = normalise_meridiem(text)
    return text, shapes


def unreadable_message(values: pl.Series, status: pl.Series) -> str:
    """The error when not one timestamp of ``values`` could be read."""
    bad = values.filter(status == "unparseable")
    example = str(bad.item(0)).strip()[:40]
    return (
        f"None of the timestamps in column {values.name!r} could be read ({len(bad):,} "
        f"values, e.g. {example!r}). " + accepted_formats_text()
    )
