"""Text encodings of CSV exports: detection and strict decoding.

Municipal exports come in every encoding Windows ever used: UTF-8 with or without
byte-order mark, Excel's "Unicode text" (UTF-16), cp1252 and latin-1. Binary files with a
CSV name (NUL bytes, control characters) are refused with a hint at what they are.
"""

from __future__ import annotations

import codecs
import re
from typing import NoReturn

from rpa_candidates.core.errors import LogFormatError, ParameterError

__all__ = ["decode", "sniff_encoding"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # control chars but tab, CR, LF
_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
_C1_ONLY = bytes(range(0x80)) + bytes(range(0xA0, 0x100))  # delete all but 0x80-0x9F
_MAGIC = {
    b"PK\x03\x04": "a zip archive or an Excel .xlsx workbook",
    b"\x1f\x8b": "a gzip archive",
    b"PAR1": "a Parquet file",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook",
    b"%PDF": "a PDF document",
}


def sniff_encoding(raw: bytes) -> str:
    """Detect the text encoding of a CSV export.

    A byte-order mark decides first (``"utf-8-sig"``, ``"utf-16"``). Otherwise, if the
    bytes decode as strict UTF-8 the answer is ``"utf-8"``; if not, the file is taken as
    single-byte: ``"cp1252"`` when bytes 0x80–0x9F occur and all of them are defined in
    cp1252 (``€ „ “ – …``), ``"latin-1"`` otherwise. Where no byte 0x80–0x9F occurs
    both decode to the same text and ``"latin-1"`` is reported.

    Parameters
    ----------
    raw : bytes
        The (decompressed) file content.

    Returns
    -------
    str
        A Python codec name.

    Raises
    ------
    LogFormatError
        If the content contains NUL bytes or many control characters: a binary file, not CSV.
    """
    return decode(raw, None)[1]


def decode(raw: bytes, encoding: str | None) -> tuple[str, str]:
    """Decode ``raw`` with ``encoding`` or the detected one; return (text, encoding)."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError) as err:
            raise ParameterError(
                f"encoding={encoding!r} is not a known text encoding; expected e.g. 'utf-8', "
                "'utf-8-sig', 'utf-16', 'cp1252' or 'latin-1' (or None to detect it)."
            ) from err
        if not encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
            _reject_nul(raw)
        text = _strict_decode(raw, encoding)
    elif raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
        text = _strict_decode(raw, encoding)
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        text = _strict_decode(raw, encoding)
    else:
        _reject_nul(raw)
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            c1 = set(raw.translate(None, _C1_ONLY))
            encoding = "cp1252" if c1 and not c1 & _CP1252_UNDEFINED else "latin-1"
            text = raw.decode(encoding)
    text = text.removeprefix("\ufeff")
    _reject_unprintable(text, raw)
    return text, encoding


def _strict_decode(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        bad = err.object[err.start : err.start + 4]
        raise LogFormatError(
            f"The CSV data cannot be decoded as {encoding!r}: bytes {bad!r} at position "
            f"{err.start} ({err.reason}). Pass the file's real encoding, e.g. "
            "encoding='cp1252', or leave encoding=None to detect it."
        ) from err


def _binary_hint(raw: bytes) -> str:
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            return f" It starts like {what}."
    return ""


def _reject_nul(raw: bytes) -> None:
    if b"\x00" not in raw:
        return
    head = raw[:4096]
    even, odd = head[0::2], head[1::2]
    if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        enc = "utf-16-le"
    elif even and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        enc = "utf-16-be"
    else:
        enc = None
    if enc is not None:
        raise LogFormatError(
            "The data has a NUL byte in every second position: it looks like UTF-16 text "
            f"without a byte-order mark. Pass encoding={enc!r}."
        )
    _binary(raw, f"it contains {raw.count(0)} NUL bytes")


def _binary(raw: bytes, found: str) -> NoReturn:
    raise LogFormatError(
        f"The data does not look like CSV text: {found}, so it looks like a binary file, "
        f"not CSV.{_binary_hint(raw)} Export the event log as CSV text, or read .xlsx, "
        ".parquet and .gz files with rc.read_log, which handles them."
    )


def _reject_unprintable(text: str, raw: bytes) -> None:
    sample = text[:65536]
    if "\x00" in sample:
        _binary(raw, "it contains NUL characters")
    bad = len(_CONTROL.findall(sample))
    if bad > max(0.1 * len(sample), 3):
        _binary(raw, f"{bad} of the first {len(sample)} characters are control characters")
