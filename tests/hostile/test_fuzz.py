"""Random bytes and XES-like documents: a valid EventLog or one of the library's errors."""

from __future__ import annotations

import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rpa_candidates as rc

_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples on every run
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

_CSV_PIECES = st.sampled_from(
    [
        "case", "activity", "timestamp", "resource", ";", ",", "\t", "|", "\n", "\r\n",
        '"', "01.03.2025 10:00", "2025-03-01T10:00:00Z", "1740826800", "ä", "=1+1", "",
        "\x00", "\ufeff", "30.03.2025 02:30",
    ]
)  # fmt: skip
_CSV = st.one_of(
    st.binary(max_size=400),
    st.lists(_CSV_PIECES, max_size=60).map(lambda parts: "".join(parts).encode("utf-8")),
)
_XES_PIECES = st.sampled_from(
    [
        '<?xml version="1.0"?>', "<log>", "</log>", "<trace>", "</trace>", "<event>",
        "</event>", '<string key="concept:name" value="A"/>',
        '<string key="concept:name" value="1"/>',
        '<date key="time:timestamp" value="2025-03-01T10:00:00+01:00"/>',
        '<date key="time:timestamp" value="kaputt"/>', "<!DOCTYPE log>", "&amp;", "&x;",
        "<!-- c -->", "<", ">", '"', " ", "\x00",
    ]
)  # fmt: skip
_XES = st.lists(_XES_PIECES, max_size=40).map(lambda parts: "".join(parts).encode("utf-8"))


def _read_or_own_error(path) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            log = rc.read_log(path)
    except rc.RpaCandidatesError:
        return
    q = log.quality
    assert q.rows_read == q.rows_used + sum(q.rejected.values())
    assert len(log.df) == q.events


@_SETTINGS
@given(data=_CSV)
def test_random_csv_bytes(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    _read_or_own_error(path)


@_SETTINGS
@given(data=_XES)
def test_random_xes_documents(tmp_path, data):
    path = tmp_path / "fuzz.xes"
    path.write_bytes(data)
    _read_or_own_error(path)
