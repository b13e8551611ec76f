"""CSV dialect detection and reading (rpa_candidates.io.csv)."""

from __future__ import annotations

import csv
import io
import random

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import rpa_candidates as rc
from rpa_candidates.io.csv import (
    CsvDialect,
    read_csv_table,
    sniff_delimiter,
    sniff_encoding,
)

HEADER = ["Aktenzeichen", "Tätigkeit", "Zeitstempel", "Bearbeiter", "Betrag"]
ROWS = [
    ["AZ-2025-001", "Antrag prüfen", "02.01.2025 08:15", "Müller", "1.234,56"],
    ["AZ-2025-001", "Gebühr „Sondernutzung“ – 12 €", "02.01.2025 09:00", "Weiß", "-0,5"],
    ["AZ-2025-002", "Bescheid erstellen…", "03.01.2025 10:30", "Öztürk", "17"],
]
LATIN1_ROWS = [[v.encode("latin-1", "ignore").decode("latin-1") for v in r] for r in ROWS]


def write_csv(header, rows, delimiter, lineterminator="\r\n") -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def values(table: pl.DataFrame) -> list[list[str | None]]:
    return [list(r) for r in table.drop("_row").rows()]


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
@pytest.mark.parametrize(
    ("encoding", "expected", "rows"),
    [
        ("utf-8", "utf-8", ROWS),
        ("utf-8-sig", "utf-8-sig", ROWS),
        ("utf-16", "utf-16", ROWS),
        ("cp1252", "cp1252", ROWS),
        ("latin-1", "latin-1", LATIN1_ROWS),
    ],
)
def test_every_delimiter_and_encoding_round_trips(delimiter, encoding, expected, rows):
    raw = write_csv(HEADER, rows, delimiter).encode(encoding)
    result = read_csv_table(raw)
    assert result.dialect == CsvDialect(encoding=expected, delimiter=delimiter)
    assert result.table.columns == [*HEADER, "_row"]
    assert values(result.table) == rows
    assert result.table["_row"].to_list() == [0, 1, 2]
    assert result.malformed_rows == []
    assert all(result.table[c].dtype == pl.String for c in HEADER)


def test_sniff_encoding_rules():
    assert sniff_encoding("Straße".encode()) == "utf-8"
    assert sniff_encoding(b"\xef\xbb\xbfa;b") == "utf-8-sig"
    assert sniff_encoding(b"\xff\xfe" + "a;b".encode("utf-16-le")) == "utf-16"
    assert sniff_encoding(b"\xfe\xff" + "a;b".encode("utf-16-be")) == "utf-16"
    assert sniff_encoding("Gebühr 12 €".encode("cp1252")) == "cp1252"
    # no byte 0x80-0x9F: cp1252 and latin-1 decode alike, reported as latin-1
    assert sniff_encoding("Gebühr".encode("cp1252")) == "latin-1"
    # 0x81 is undefined in cp1252
    assert sniff_encoding(b"Fall;Geb\xfchr\n1;\x81 12\n") == "latin-1"


def test_sniff_delimiter_is_not_fooled_by_decimal_commas():
    text = "Fall;Betrag;Dauer\n" + "".join(f"{i};{i},50;0,25\n" for i in range(20))
    assert sniff_delimiter(text) == ";"
    text = "Fall;Betrag\n" + "".join(f"{i};1.234,{i:02d}\n" for i in range(20))
    assert sniff_delimiter(text) == ";"


def test_sniff_delimiter_respects_quotes():
    text = 'a,b,c\n"x;y;z",1,2\n"p;q",3,4\n'
    assert sniff_delimiter(text) == ","


def test_single_column_raises_with_what_was_tried():
    with pytest.raises(rc.LogFormatError, match=r"';', ',', tab and '\|'"):
        read_csv_table(b"Vorgang\nA\nB\n")


def test_single_column_allowed_with_explicit_delimiter():
    result = read_csv_table(b"Vorgang\nA\nB\n", delimiter=";")
    assert values(result.table) == [["A"], ["B"]]


def test_quoted_delimiters_quotes_and_newlines():
    rows = [
        ["1", 'Er sagte "ja"; dann ging er', "Zeile 1\nZeile 2\r\nZeile 3"],
        ["2", "a,b;c|d\te", ""],
    ]
    raw = write_csv(["id", "text", "note"], rows, ";").encode()
    result = read_csv_table(raw)
    assert values(result.table) == [rows[0], ["2", "a,b;c|d\te", None]]
    assert result.table["_row"].to_list() == [0, 1]


def test_ragged_rows_are_reported_and_the_rest_kept():
    raw = b"a;b;c\n1;2;3\n4;5\n6;7;8\n9;10;11;12\n13;14;15\n"
    result = read_csv_table(raw)
    assert result.malformed_rows == [1, 3]
    assert values(result.table) == [["1", "2", "3"], ["6", "7", "8"], ["13", "14", "15"]]
    assert result.table["_row"].to_list() == [0, 2, 4]


def test_stray_quote_falls_back_to_exact_parser():
    raw = b'a;b;c\n1;5 Zoll";x\n2;3;4\n5;"6";7;8\n'
    result = read_csv_table(raw)
    assert values(result.table) == [["1", '5 Zoll"', "x"], ["2", "3", "4"]]
    assert result.malformed_rows == [2]


def test_blank_lines_are_not_data_rows():
    raw = b"\r\n\r\na;b\r\n1;2\r\n\r\n3;4\r\n\r\n\r\n"
    result = read_csv_table(raw)
    assert values(result.table) == [["1", "2"], ["3", "4"]]
    assert result.table["_row"].to_list() == [0, 1]
    assert result.malformed_rows == []


def test_whitespace_only_fields_are_null_but_text_kept():
    result = read_csv_table(b"a;b;c\n  x ;   ;\n")
    assert values(result.table) == [["  x ", None, None]]


def test_header_names_stripped_and_made_unique():
    result = read_csv_table(b" Name ;Name;;Name;Nr\n1;2;3;4;5\n")
    assert result.table.columns == ["Name", "Name_2", "column_3", "Name_3", "Nr", "_row"]
    assert result.header_renamed == {"Name": "Name_3", "": "column_3"}


def test_header_only_gives_empty_table():
    result = read_csv_table(b"Fall;Aktivit\xe4t;Zeit\r\n")
    assert result.table.columns == ["Fall", "Aktivität", "Zeit", "_row"]
    assert result.table.height == 0
    assert result.dialect.encoding == "latin-1"


def test_classic_mac_line_ends():
    result = read_csv_table(b"a;b\r1;2\r3;4\r")
    assert values(result.table) == [["1", "2"], ["3", "4"]]


def test_explicit_encoding_and_delimiter():
    raw = "a|b\nä|ö\n".encode("cp1252")
    result = read_csv_table(raw, encoding="cp1252", delimiter="|")
    assert values(result.table) == [["ä", "ö"]]
    with pytest.raises(rc.LogFormatError, match="cannot be decoded as 'utf-8'"):
        read_csv_table(raw, encoding="utf-8")
    with pytest.raises(rc.ParameterError, match="not a known text encoding"):
        read_csv_table(raw, encoding="klingon")
    with pytest.raises(rc.ParameterError, match="delimiter"):
        read_csv_table(raw, delimiter=";;")


@pytest.mark.parametrize("raw", [b"", b"\r\n\n  \n", b"\xff\xfe"])
def test_empty_file_raises(raw):
    with pytest.raises(rc.LogFormatError, match="empty"):
        read_csv_table(raw)


def test_binary_garbage_raises():
    rng = random.Random(7)
    raw = bytes(rng.randrange(256) for _ in range(5000)) + b"\x00\x00"
    with pytest.raises(rc.LogFormatError, match="binary file, not CSV"):
        read_csv_table(raw)
    no_nul = bytes(rng.randrange(1, 256) for _ in range(5000))
    with pytest.raises(rc.LogFormatError, match="binary file, not CSV"):
        read_csv_table(no_nul)
    with pytest.raises(rc.LogFormatError, match="Excel"):
        read_csv_table(b"PK\x03\x04\x14\x00\x06\x00" + bytes(100))


def test_utf16_without_bom_gets_a_hint():
    with pytest.raises(rc.LogFormatError, match="utf-16-le"):
        read_csv_table("a;b\n1;2\n".encode("utf-16-le"))
    result = read_csv_table("a;b\n1;2\n".encode("utf-16-le"), encoding="utf-16-le")
    assert values(result.table) == [["1", "2"]]


# ---------------------------------------------------------------- property-based

NAME = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzÄÖÜäöüß_ 0123456789"),
    min_size=1,
    max_size=12,
).map(str.strip)
LATIN1_TEXT = "abcXYZ019 ;,|\t\"'\näöüßÄÖÜ§°-."
CP1252_TEXT = LATIN1_TEXT + "€„“–…"
UNICODE_TEXT = st.characters(exclude_categories=("Cc", "Cs"), include_characters=';,|\t"\n')


@st.composite
def tables(draw):
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    n_cols = draw(st.integers(2, 5))
    header = draw(st.lists(NAME.filter(bool), min_size=n_cols, max_size=n_cols, unique=True))
    if encoding in ("cp1252", "latin-1"):
        alphabet = st.sampled_from(CP1252_TEXT if encoding == "cp1252" else LATIN1_TEXT)
    else:
        alphabet = UNICODE_TEXT
    cell = st.text(alphabet=alphabet, max_size=10)
    rows = draw(st.lists(st.lists(cell, min_size=n_cols, max_size=n_cols), max_size=8))
    return encoding, delimiter, header, rows


def _expected(value: str) -> str | None:
    return None if value.strip() == "" else value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.booleans())
@example(("utf-8", ";", ["0", "_row"], [["a", "b"]]), False)  # found by hypothesis: a header "_row"
def test_random_tables_round_trip(spec, sniff):
    encoding, delimiter, header, rows = spec
    raw = write_csv(header, rows, delimiter).encode(encoding)
    if encoding in ("cp1252", "latin-1"):
        try:  # single-byte text that happens to be valid UTF-8 is read as UTF-8 (documented)
            raw.decode("utf-8")
            assume(False)
        except UnicodeDecodeError:
            pass
    if sniff:
        result = read_csv_table(raw)
    else:
        result = read_csv_table(raw, encoding=encoding, delimiter=delimiter)
    assert result.dialect.delimiter == delimiter
    assert raw.decode(result.dialect.encoding).removeprefix("\ufeff") == raw.decode(
        encoding
    ).removeprefix("\ufeff")
    # a header named like the row column keeps its values under the reported new name
    assert set(result.header_renamed) == ({"_row"} & set(header))
    assert not set(result.header_renamed.values()) & {*header, "_row"}
    assert result.table.columns == [*(result.header_renamed.get(h, h) for h in header), "_row"]
    assert values(result.table) == [[_expected(v) for v in row] for row in rows]
    assert result.malformed_rows == []
    assert result.table["_row"].to_list() == list(range(len(rows)))
