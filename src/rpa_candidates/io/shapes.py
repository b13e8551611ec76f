"""The timestamp shapes ``read_log`` recognises, in the order they are tried.

Shared by the parser (:mod:`.datetimes`), the date-format options and sniffing
(:mod:`.dateformats`) and the Spark reader (:mod:`.spark_times`).
"""

from __future__ import annotations

__all__ = ["SHAPES"]

_HM = r"\d{1,2}:\d{2}"
_HMS = r"\d{1,2}:\d{2}:\d{2}"
_FRAC = r"\d{1,2}:\d{2}:\d{2}[.,]\d{1,9}"
_OFFSET = r"(?:Z|[+-]\d{2}(?::?\d{2})?)"
_DE4, _DE2 = r"\d{1,2}\.\d{1,2}\.\d{4}", r"\d{1,2}\.\d{1,2}\.\d{2}"
_ISO = r"\d{4}-\d{2}-\d{2}"
_SLASH = r"\d{4}/\d{1,2}/\d{1,2}"

# (name reported in ParsedTimes.formats, anchored regex, strptime format, kind)
# kind: "local" (wall time in tz), "aware" (has an offset), "epoch" (seconds or ms)
SHAPES: tuple[tuple[str, str, str, str], ...] = (
    ("DD.MM.YYYY hh:mm", rf"{_DE4} {_HM}", "%d.%m.%Y %H:%M", "local"),
    ("DD.MM.YYYY hh:mm:ss", rf"{_DE4} {_HMS}", "%d.%m.%Y %H:%M:%S", "local"),
    ("DD.MM.YYYY hh:mm:ss.f", rf"{_DE4} {_FRAC}", "%d.%m.%Y %H:%M:%S%.f", "local"),
    ("DD.MM.YYYY", _DE4, "%d.%m.%Y", "local"),
    ("DD.MM.YY hh:mm", rf"{_DE2} {_HM}", "%d.%m.%y %H:%M", "local"),
    ("DD.MM.YY hh:mm:ss", rf"{_DE2} {_HMS}", "%d.%m.%y %H:%M:%S", "local"),
    ("DD.MM.YY hh:mm:ss.f", rf"{_DE2} {_FRAC}", "%d.%m.%y %H:%M:%S%.f", "local"),
    ("DD.MM.YY", _DE2, "%d.%m.%y", "local"),
    ("ISO 8601", rf"{_ISO}T{_HM}", "%Y-%m-%dT%H:%M", "local"),
    ("ISO 8601", rf"{_ISO}T(?:{_HMS}|{_FRAC})", "%Y-%m-%dT%H:%M:%S%.f", "local"),
    ("ISO 8601", rf"{_ISO} {_HM}", "%Y-%m-%d %H:%M", "local"),
    ("ISO 8601", rf"{_ISO} (?:{_HMS}|{_FRAC})", "%Y-%m-%d %H:%M:%S%.f", "local"),
    ("ISO 8601 with offset", rf"{_ISO}T{_HM}{_OFFSET}", "%Y-%m-%dT%H:%M%#z", "aware"),
    (
        "ISO 8601 with offset",
        rf"{_ISO}T(?:{_HMS}|{_FRAC}){_OFFSET}",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
        "aware",
    ),
    ("ISO 8601 with offset", rf"{_ISO} {_HM}{_OFFSET}", "%Y-%m-%d %H:%M%#z", "aware"),
    (
        "ISO 8601 with offset",
        rf"{_ISO} (?:{_HMS}|{_FRAC}){_OFFSET}",
        "%Y-%m-%d %H:%M:%S%.f%#z",
        "aware",
    ),
    ("ISO 8601 date", _ISO, "%Y-%m-%d", "local"),
    ("YYYY/MM/DD hh:mm", rf"{_SLASH} {_HM}", "%Y/%m/%d %H:%M", "local"),
    ("YYYY/MM/DD hh:mm:ss", rf"{_SLASH} (?:{_HMS}|{_FRAC})", "%Y/%m/%d %H:%M:%S%.f", "local"),
    ("YYYY/MM/DD", _SLASH, "%Y/%m/%d", "local"),
    ("epoch seconds or milliseconds", r"[+-]?\d{9,14}(?:\.\d+)?", "", "epoch"),
)
"""Known timestamp shapes, tried in this order; each row matches at most one."""
