"""CSV files as German municipal procedure systems and DMS export them.

Exports from specialised procedure systems come with every encoding Windows ever used
(UTF-8 with or without byte-order mark, Excel's "Unicode text" in UTF-16, cp1252, latin-1),
with ``;`` as separator because ``,`` is the decimal mark, and now and then with a ragged
line. :func:`read_csv_table` detects the dialect, reads the table with polars and reports
what it found and which rows it could not use; it never guesses column roles (that is the
job of :mod:`rpa_candidates.io.roles`).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl

from rpa_candidates.core.errors import LogFormatError, ParameterError
from rpa_candidates.io.encoding import decode, sniff_encoding

__all__ = ["CsvDialect", "CsvTable", "read_csv_table", "sniff_delimiter", "sniff_encoding"]

DELIMITERS: tuple[str, ...] = (";", ",", "\t", "|")
"""Candidate separators, in order of preference when two fit equally well."""

ROW_COLUMN = "_row"
"""Name of the column holding the 0-based index of the data row in the file."""

_NON_BLANK = re.compile(r"\S")
_SNIFF_RECORDS = 50
_SNIFF_CHARS = 200_000


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written.

    Parameters
    ----------
    encoding : str
        ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``, ``"cp1252"`` or ``"latin-1"`` when
        detected; any Python codec name when given by the caller.
    delimiter : str
        ``";"``, ``","``, ``"\\t"`` or ``"|"`` when detected.
    quotechar : str, default='"'
        Character that encloses fields containing the separator, quotes or line breaks.
    """

    encoding: str
    delimiter: str
    quotechar: str = '"'


@dataclass
class CsvTable:
    """A CSV file read as text columns, with an account of what was not usable.

    Attributes
    ----------
    table : polars.DataFrame
        One ``pl.String`` column per header field (names stripped and made unique), empty
        and whitespace-only fields as null, plus ``"_row"`` (``pl.UInt32``): the 0-based
        index of the data row in the file (header and blank lines not counted).
    malformed_rows : list of int
        Data-row indices whose field count differs from the header's; they are not in
        ``table``.
    dialect : CsvDialect
        Encoding, separator and quote character used.
    header_renamed : dict of str to str
        Header names that had to change, original (stripped) name to new name: empty
        names become ``column_<position>`` (1-based), repeated names get ``_2``, ``_3``...
        A name that occurs three times or more maps to its last new name.
    """

    table: pl.DataFrame
    malformed_rows: list[int]
    dialect: CsvDialect
    header_renamed: dict[str, str]


def sniff_delimiter(sample: str) -> str:
    """Detect the column separator of CSV text.

    The first 50 non-blank records are parsed with Python's :mod:`csv` module (which
    respects quotes) once per candidate ``;`` ``,`` tab ``|``. A candidate qualifies if
    its most common field count is above 1; among those the one with the largest share of
    records having that count wins, then the one whose header has that count, then the one
    giving more fields, then the earlier candidate. A German decimal comma inside a ``;``
    file therefore does not win: the header has no comma, so ``,`` is less consistent.

    Parameters
    ----------
    sample : str
        The beginning of the decoded file (a few kilobytes suffice).

    Returns
    -------
    str
        One of ``";"``, ``","``, ``"\\t"``, ``"|"``.

    Raises
    ------
    LogFormatError
        If the sample is empty or every candidate gives a single column.
    """
    truncated = len(sample) > _SNIFF_CHARS
    sample = sample[:_SNIFF_CHARS]
    if truncated and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    if not sample.strip():
        raise LogFormatError("The CSV data is empty: no header line found. Check the export.")
    best: tuple[float, bool, int, int] | None = None
    chosen = None
    for order, delim in enumerate(DELIMITERS):
        counts = _field_counts_sample(sample, delim)
        if not counts:
            continue
        mode, n_mode = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (n_mode / len(counts), counts[0] == mode, mode, -order)
        if best is None or score > best:
            best, chosen = score, delim
    if chosen is None:
        first = sample.splitlines()[0][:80] if sample.splitlines() else ""
        raise LogFormatError(
            f"Could not find the column separator: the first lines (e.g. {first!r}) give one "
            "column only with each of ';', ',', tab and '|'. Expected an event log with "
            "several columns; pass the separator explicitly (delimiter=...) or check that "
            "the file is a CSV export."
        )
    return chosen


def read_csv_table(
    raw: bytes, *, encoding: str | None = None, delimiter: str | None = None
) -> CsvTable:
    """Read CSV bytes into text columns, detecting encoding and separator.

    The table is parsed with :func:`polars.read_csv` (all columns ``pl.String``, quoted
    separators and line breaks kept). A vectorised count of the fields of every record
    checks the result; if polars fails or the counts do not add up (ragged lines, stray
    quotes), the whole file is parsed again with Python's :mod:`csv` module, which is
    slower but exact. Records whose field count differs from the header's are left out
    and listed in :attr:`CsvTable.malformed_rows`. Entirely empty lines are skipped.

    Parameters
    ----------
    raw : bytes
        The file content, already decompressed.
    encoding : str or None, default=None
        Python codec name; ``None`` detects it with :func:`sniff_encoding`.
    delimiter : str or None, default=None
        One-character separator; ``None`` detects it with :func:`sniff_delimiter`.

    Returns
    -------
    CsvTable
        The table, the malformed rows, the dialect and the header renamings. A file with a
        header but no data gives an empty table with the header's columns.

    Raises
    ------
    LogFormatError
        If the file is empty, binary, not decodable with ``encoding``, has a single column
        (when the separator is detected) or cannot be parsed at all.
    ParameterError
        If ``encoding`` is not a known codec or ``delimiter`` is not a single character.

    Examples
    --------
    >>> t = read_csv_table("Fall;Tätigkeit\\n1;Antrag prüfen\\n".encode("cp1252"))
    >>> t.dialect
    CsvDialect(encoding='latin-1', delimiter=';', quotechar='"')
    >>> t.table.columns
    ['Fall', 'Tätigkeit', '_row']
    """
    if delimiter is not None and (
        not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n'
    ):
        raise ParameterError(
            f"delimiter={delimiter!r} is not usable: expected one character other than a "
            "quote or line break, e.g. ';', ',', '\\t' or '|' (or None to detect it)."
        )
    if not raw:
        raise LogFormatError("The CSV data is empty (0 bytes). Check the export.")
    text, enc = decode(raw, encoding)
    decoded_len = len(text)
    if _NON_BLANK.search(text) is None:
        raise LogFormatError(
            f"The CSV data is empty: {len(raw)} bytes of blank lines only. Check the export."
        )
    if "\n" not in text and "\r" in text:  # classic Mac line ends
        text = text.replace("\r", "\n")
    text = text.lstrip("\r\n")
    delim = delimiter if delimiter is not None else sniff_delimiter(text[: _SNIFF_CHARS + 1])
    dialect = CsvDialect(encoding=enc, delimiter=delim)

    header = _first_record(text, delim)
    names, renamed = _unique_names(header)
    n = len(names)
    try:
        utf8 = raw
        if enc.lower().replace("_", "-") not in ("utf-8", "utf8", "utf-8-sig"):
            utf8 = None  # re-encode the decoded text
        elif len(text) != decoded_len or "\n" not in text:
            utf8 = None  # text was changed (leading blank lines, CR line ends)
        elif utf8.startswith(codecs.BOM_UTF8):
            utf8 = utf8[len(codecs.BOM_UTF8) :]
        parsed = _read_fast(text, delim, n, utf8)
    except (pl.exceptions.PolarsError, _Mismatch):
        parsed = None
    if parsed is None:
        parsed = _read_exact(text, delim, n)
    frame, malformed = parsed
    frame = frame.select(
        *(
            pl.when(pl.col(f"c{i}").str.strip_chars() == "")
            .then(None)
            .otherwise(pl.col(f"c{i}"))
            .alias(name)
            for i, name in enumerate(names)
        ),
        pl.col(ROW_COLUMN).cast(pl.UInt32),
    )
    return CsvTable(table=frame, malformed_rows=malformed, dialect=dialect, header_renamed=renamed)


# --------------------------------------------------------------------------- decoding


# --------------------------------------------------------------------------- parsing


class _Mismatch(Exception):  # noqa: N818 - private signal, never leaves this module
    """The fast path's result does not add up; use the exact parser."""


def _reader(text: str, delim: str) -> Iterator[list[str]]:
    return csv.reader(_lines(text), delimiter=delim, quotechar='"', strict=False)


def _lines(text: str) -> Iterator[str]:
    """Lines with their line ends, lazily (no copy of a large text)."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop


def _field_counts_sample(sample: str, delim: str) -> list[int]:
    counts: list[int] = []
    with _big_fields():
        try:
            for row in _reader(sample, delim):
                if row:
                    counts.append(len(row))
                if len(counts) >= _SNIFF_RECORDS:
                    break
        except csv.Error:
            return []
    return counts


def _first_record(text: str, delim: str) -> list[str]:
    with _big_fields():
        try:
            for row in _reader(text, delim):
                if row:
                    return row
        except csv.Error as err:
            raise LogFormatError(f"The CSV header cannot be parsed: {err}.") from err
    raise LogFormatError("The CSV data is empty: no header line found. Check the export.")


def _unique_names(header: list[str]) -> tuple[list[str], dict[str, str]]:
    stripped = [h.replace("\ufeff", "").strip() for h in header]
    originals = set(stripped)
    used: set[str] = set()
    names: list[str] = []
    renamed: dict[str, str] = {}
    for pos, name in enumerate(stripped, start=1):
        if name and name not in used and name != ROW_COLUMN:
            new = name
        else:
            base = name or f"column_{pos}"
            k = 2 if name else 1
            new = f"{base}_{k}" if name else base
            while new in used or new in originals or new == ROW_COLUMN:
                k += 1
                new = f"{base}_{k}"
            renamed[name] = new
        used.add(new)
        names.append(new)
    return names, renamed


def _read_fast(text: str, delim: str, n: int, utf8: bytes | None) -> tuple[pl.DataFrame, list[int]]:
    """Polars parse, checked against a vectorised, quote-aware count of fields per record."""
    spare = next((c for c in "\x1f\x1e\x1d\x1c\x01" if c not in text), None)
    if spare is None:
        raise _Mismatch  # no free character to read whole lines with
    data = text.encode("utf-8") if utf8 is None else utf8
    lines = pl.read_csv(
        data,
        has_header=False,
        separator=spare,
        quote_char=None,
        schema={"l": pl.String},
        empty_string_is_null=False,
    ).get_column("l")
    records = _records(lines)
    q = re.escape('"')
    n_fields = (
        records.str.replace_all(f"{q}[^{q}]*{q}", "")
        .str.count_matches(delim, literal=True)
        .cast(pl.Int64)
        + 1
    )
    frame = pl.read_csv(
        data,
        has_header=False,
        separator=delim,
        quote_char='"',
        schema={f"c{i}": pl.String for i in range(n)},
        empty_string_is_null=False,
        truncate_ragged_lines=True,
        missing_columns="insert",
        extra_columns="ignore",
        raise_if_empty=False,
    )
    if frame.height != records.len() or records.len() == 0 or n_fields[0] != n:
        raise _Mismatch
    body = pl.DataFrame({"blank": records.slice(1) == "", "nf": n_fields.slice(1)})
    frame = frame.slice(1).with_columns(
        ((~body["blank"]).cum_sum() - 1).cast(pl.UInt32).alias(ROW_COLUMN),
        body["blank"].alias("_blank"),
        (body["nf"] != n).alias("_bad"),
    )
    frame = frame.filter(~pl.col("_blank"))
    malformed = frame.filter(pl.col("_bad")).get_column(ROW_COLUMN).to_list()
    return frame.filter(~pl.col("_bad")).drop("_blank", "_bad"), malformed


def _records(lines: pl.Series) -> pl.Series:
    """Join physical lines into records where a quoted field spans a line break."""
    quotes = lines.str.count_matches('"', literal=True)
    if not (quotes % 2 == 1).any():
        return lines
    open_after = (quotes.cum_sum() % 2).cast(pl.Boolean)
    if open_after[-1]:
        raise _Mismatch  # unterminated quote
    ends = (~open_after).cast(pl.UInt32)
    rec_id = ends.cum_sum() - ends
    return (
        pl.DataFrame({"r": rec_id, "l": lines})
        .group_by("r", maintain_order=True)
        .agg(pl.col("l").str.join("\n"))
        .get_column("l")
    )


def _read_exact(text: str, delim: str, n: int) -> tuple[pl.DataFrame, list[int]]:
    """Parse with Python's csv module: slower, but exact for ragged rows and stray quotes."""
    good: list[list[str]] = []
    idx: list[int] = []
    malformed: list[int] = []
    with _big_fields():
        try:
            rows = (row for row in _reader(text, delim) if row)  # blank lines are no rows
            next(rows, None)  # the header
            for i, row in enumerate(rows):
                if len(row) == n:
                    good.append(row)
                    idx.append(i)
                else:
                    malformed.append(i)
        except csv.Error as err:
            raise LogFormatError(
                f"The CSV data cannot be parsed near data row {len(idx) + len(malformed)}: "
                f"{err}. Check the quoting of that row in the export."
            ) from err
    columns = list(zip(*good, strict=True)) if good else [()] * n
    frame = pl.DataFrame(
        {f"c{i}": pl.Series(col, dtype=pl.String) for i, col in enumerate(columns)}
        | {ROW_COLUMN: pl.Series(idx, dtype=pl.UInt32)}
    )
    return frame, malformed


@contextmanager
def _big_fields() -> Iterator[None]:
    """Allow fields larger than the csv module's default 128 KiB limit, temporarily."""
    old = csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(old)
