"""Inputs that must fail with the library's own error, naming the problem and the remedy."""

from __future__ import annotations

import gzip

import pytest
from conftest import HEADER

import rpa_candidates as rc

XML = '<?xml version="1.0" encoding="UTF-8"?>'
EVENT = (
    '<event><string key="concept:name" value="A"/>'
    '<date key="time:timestamp" value="2025-03-01T10:00:00+01:00"/></event>'
)
TRACE = f'<trace><string key="concept:name" value="1"/>{EVENT}</trace>'


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("truncated.xes", f"{XML}<log>{TRACE}<trace>{EVENT}", "does not end with </log>"),
        ("cut_in_tag.xes", f"{XML}<log>{TRACE}<trace><eve", "does not end with </log>"),
        (
            "truncated.xes.gz",
            gzip.compress(f"{XML}<log>{TRACE * 50}</log>".encode(), mtime=0)[:-40],
            "gzip -t",
        ),
        (
            "xxe.xes",
            f'{XML}<!DOCTYPE log [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            f'<log><trace><string key="concept:name" value="&x;"/>{EVENT}</trace></log>',
            "DOCTYPE",
        ),
        (
            "billion_laughs.xes",
            f'{XML}<!DOCTYPE log [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>'
            f'<log><trace><string key="concept:name" value="&d;"/>{EVENT}</trace></log>',
            "DOCTYPE",
        ),
        (
            "remote_dtd.xes",
            f'{XML}<!DOCTYPE log SYSTEM "http://203.0.113.1/xes.dtd"><log>{TRACE}</log>',
            "DOCTYPE",
        ),
        (
            # A comment naming <log> and 70 KiB of padding used to push the DOCTYPE out of
            # the 64 KiB that were checked (defect found and fixed with this corpus).
            "doctype_after_padding.xes",
            f"{XML}<!-- <log {' ' * 70_000} -->"
            '<!DOCTYPE log [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            f'<log><trace><string key="concept:name" value="&x;"/>{EVENT}</trace></log>',
            "root element <log>",
        ),
        ("empty.xes", b"", "does not look like XES"),
        ("garbage.xes", bytes(range(256)) * 40, "does not look like XES"),
        ("no_events.xes", f"{XML}<log></log>", "without any event"),
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\n\n  \n", "empty"),
        ("garbage.csv", bytes(range(256)) * 40, "binary file"),
        ("random.csv", bytes((i * 7919 + 13) % 251 for i in range(20_000)), "not look like CSV"),
        ("gzip_magic_only.csv", b"\x1f\x8b" + b"\x00" * 50, "gzip"),
        ("nul.csv", HEADER + "1;A\x00B;01.03.2025 10:00;x\n", "NUL"),
        ("one_column.csv", "just one column\nno separator here\n", "column separator"),
    ],
)
def test_unreadable_file_raises_log_format_error(write, name, data, message):
    with pytest.raises(rc.LogFormatError, match=message):
        rc.read_log(write(name, data))


def test_missing_path_and_directory(tmp_path):
    with pytest.raises(rc.LogFormatError, match=r"No file at .*Check the path"):
        rc.read_log(tmp_path / "nicht_da.csv")
    with pytest.raises(rc.LogFormatError, match="is a directory; give the path of one log"):
        rc.read_log(tmp_path)


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("activity;timestamp", "case"),
        ("case;timestamp", "activity"),
        ("case;activity", "timestamp"),
    ],
)
def test_missing_role_column_raises_column_mapping_error(write, header, role):
    fields = {"case": "1", "activity": "A", "timestamp": "01.03.2025 10:00"}
    row = ";".join(fields[c] for c in header.split(";"))
    path = write("log.csv", f"{header}\n{row}\n")
    with pytest.raises(rc.ColumnMappingError, match=f"No {role} column found.*Name it"):
        rc.read_log(path)
    with pytest.raises(rc.ColumnMappingError):
        rc.read_log(path, **{role: "Gibt es nicht"})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_bytes": 0}, "max_bytes=0 is not usable"),
        ({"max_bytes": "4GB"}, "max_bytes='4GB' is not usable"),
        ({"encoding": "klingon"}, "not a known text encoding"),
        ({"delimiter": ";;"}, "not usable"),
        ({"tz": "Europe/Bonn"}, "Unknown time zone"),
        ({"ambiguous": "both"}, "ambiguous='both'"),
        ({"sheet": 1}, "Unknown reader options"),
    ],
)
def test_bad_options_raise_parameter_error(write, options, message):
    path = write("log.csv", HEADER + "1;A;01.03.2025 10:00;x\n")
    with pytest.raises(rc.ParameterError, match=message):
        rc.read_log(path, **options)
