"""Decompression bombs and oversized files: refused at a stated limit, memory bounded."""

from __future__ import annotations

import pytest
from generate import GIB, MIB, gzip_bomb

import rpa_candidates as rc


def _peak_mb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    pytest.skip("no /proc/self/status (not Linux)")


def _reset_peak() -> None:
    try:  # "5" resets the peak resident set size (Linux >= 4.0)
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass  # then the growth measured is an upper bound of the real one


def test_csv_gzip_bomb_fails_at_the_default_limit_with_bounded_memory(tmp_path):
    path = gzip_bomb(tmp_path / "bomb.csv.gz", head=b"case;activity;timestamp\n", gib=5)
    assert path.stat().st_size < 8 * MIB
    _reset_peak()
    before = _peak_mb()  # the seconds to the refusal: benchmarks/bench_hostile.py
    with pytest.raises(rc.LogFormatError, match=r"max_bytes=4,294,967,296.*max_bytes=8589934592"):
        rc.read_log(path)
    assert _peak_mb() - before < 300


def test_xes_gzip_bomb_fails_before_parsing(tmp_path):
    head = b'<?xml version="1.0"?><log><trace>'
    path = gzip_bomb(tmp_path / "bomb.xes.gz", head=head, filler=b" ", gib=1)
    _reset_peak()
    before = _peak_mb()
    with pytest.raises(rc.LogFormatError, match="inflates to more than max_bytes=268,435,456"):
        rc.read_log(path, max_bytes=256 * MIB)
    assert _peak_mb() - before < 300


@pytest.mark.parametrize("name", ["log.csv", "log.xes"])
def test_plain_file_over_the_limit_is_refused_without_reading(write, name):
    data = b'<?xml version="1.0"?><log>' + b" " * 2000 if name.endswith("xes") else b"a;b\n" * 500
    with pytest.raises(rc.LogFormatError, match="holds more than max_bytes=1,000"):
        rc.read_log(write(name, data), max_bytes=1000)


def test_limit_can_be_raised_for_a_trusted_file(write):
    text = "case;activity;timestamp\n" + "1;A;01.03.2025 10:00\n" * 100
    import gzip

    path = write("log.csv.gz", gzip.compress(text.encode(), mtime=0))
    with pytest.raises(rc.LogFormatError, match="inflates to more than"):
        rc.read_log(path, max_bytes=1000)
    assert rc.read_log(path, max_bytes=GIB).quality.rows_read == 100
