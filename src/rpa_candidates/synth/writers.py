"""Write a simulated log as a German CSV export, as XES, or as Parquet.

Each writer compresses with gzip when the path ends in ``.gz``; the gzip header carries
no time stamp, so the same log always gives the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, Protocol
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from rpa_candidates.core.errors import ParameterError

if TYPE_CHECKING:
    import pandas as pd

    from .spec import ProcessSpec


class SimulatedLog(Protocol):
    """What the writers read of a :class:`rpa_candidates.synth.result.SimulatedLog`."""

    events: pd.DataFrame
    spec: ProcessSpec
    seed: int


__all__ = ["write_csv", "write_parquet", "write_xes"]

_HEADERS = {
    "de": {
        "case_id": "Vorgangsnummer",
        "activity": "Tätigkeit",
        "resource": "Bearbeiter",
        "start": "Beginn",
        "end": "Ende",
        "timestamp": "Zeitstempel",
        "lifecycle": "Status",
    },
    "en": {
        k: k for k in ("case_id", "activity", "resource", "start", "end", "timestamp", "lifecycle")
    },
}
_BOOL_WORDS = {"de": ("ja", "nein"), "en": ("true", "false")}


@contextmanager
def _open_binary(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for binary writing, through gzip (without time stamp) for ``.gz``."""
    with open(path, "wb") as raw:
        if path.suffix == ".gz":
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed:
                yield packed  # type: ignore[misc]
        else:
            yield raw


def _naive_utc(stamps: pd.Series) -> np.ndarray:
    return stamps.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()


def _interleave(events: pd.DataFrame, lifecycle: bool) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Row index into ``events``, lifecycle values and timestamps of the rows to write."""
    n = len(events)
    if not lifecycle:
        return np.arange(n), np.full(n, "complete", dtype=object), events["end"]
    rows = np.repeat(np.arange(n), 2)
    status = np.tile(np.array(["start", "complete"], dtype=object), n)
    both = np.where(
        status == "start", _naive_utc(events["start"])[rows], _naive_utc(events["end"])[rows]
    )
    return rows, status, pd.Series(pd.DatetimeIndex(both, tz="UTC").tz_convert(events["end"].dt.tz))


def _attribute_columns(events: pd.DataFrame) -> list[str]:
    return [
        c for c in events.columns if c not in ("case_id", "activity", "resource", "start", "end")
    ]


def _format_values(values: pd.Series, decimal: str, bools: tuple[str, str]) -> list[str]:
    if pd.api.types.is_bool_dtype(values):
        return [bools[0] if v else bools[1] for v in values]
    if pd.api.types.is_float_dtype(values):
        return ["" if v != v else repr(float(v)).replace(".", decimal) for v in values]
    return ["" if v is None or v != v else str(v) for v in values]


def write_csv(
    log: SimulatedLog,
    path: str | os.PathLike,
    *,
    encoding: str = "cp1252",
    delimiter: str = ";",
    date_format: str = "%d.%m.%Y %H:%M:%S",
    decimal: str = ",",
    columns: Literal["de", "en"] = "de",
    include_start: bool = True,
    lifecycle: bool = False,
) -> None:
    """Write the events like a CSV export of a German specialised procedure.

    Parameters
    ----------
    log : SimulatedLog
        The simulated log.
    path : str or os.PathLike
        Target file; ``.csv.gz`` is gzip-compressed.
    encoding : str, default="cp1252"
        Text encoding (Windows exports are usually cp1252).
    delimiter : str, default=";"
        Field separator; fields containing it, quotes or newlines are quoted.
    date_format : str, default="%d.%m.%Y %H:%M:%S"
        :meth:`~datetime.datetime.strftime` format of the naive local (Europe/Berlin) times.
    decimal : str, default=","
        Decimal separator of float attributes (German: ``1234,56``).
    columns : {"de", "en"}, default="de"
        Header language. ``"de"``: ``Vorgangsnummer;Tätigkeit;Bearbeiter;Beginn;Ende;…``
        and booleans as ``ja``/``nein``; ``"en"``: ``case_id,activity,resource,start,end,…``
        and booleans as ``true``/``false``.
    include_start : bool, default=True
        Write start and end columns. If False, only the end time, in a column
        ``Zeitstempel`` (``timestamp``).
    lifecycle : bool, default=False
        One row per start and per complete, with columns ``Zeitstempel`` and ``Status``
        (``timestamp``, ``lifecycle``) holding ``start`` / ``complete``.

    Raises
    ------
    ParameterError
        Unknown ``columns``, or text that ``encoding`` cannot represent.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from rpa_candidates import synth
    >>> log = synth.simulate("wohngeld", n_cases=5, seed=0)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "wohngeld.csv"
    >>> log.write_csv(path)
    >>> path.read_text(encoding="cp1252").split(";")[:3]
    ['Vorgangsnummer', 'Tätigkeit', 'Bearbeiter']
    """
    if columns not in _HEADERS:
        raise ParameterError(f"Unknown columns {columns!r}; expected one of ['de', 'en'].")
    head = _HEADERS[columns]
    events = log.events
    rows, status, stamps = _interleave(events, lifecycle)
    fmt = lambda s: s.dt.tz_localize(None).dt.strftime(date_format).tolist()  # noqa: E731
    header = [head["case_id"], head["activity"], head["resource"]]
    data = [events[c].to_numpy()[rows].tolist() for c in ("case_id", "activity", "resource")]
    if lifecycle:
        header += [head["timestamp"], head["lifecycle"]]
        data += [fmt(stamps), status.tolist()]
    elif include_start:
        header += [head["start"], head["end"]]
        data += [fmt(events["start"]), fmt(events["end"])]
    else:
        header.append(head["timestamp"])
        data.append(fmt(events["end"]))
    for col in _attribute_columns(events):
        header.append(col)
        values = _format_values(events[col], decimal, _BOOL_WORDS[columns])
        data.append([values[i] for i in rows] if lifecycle else values)
    path = Path(path)
    try:
        with _open_binary(path) as raw:
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            writer = csv.writer(text, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
            writer.writerow(header)
            writer.writerows(zip(*data, strict=True))
            text.flush()
            text.detach()
    except UnicodeEncodeError as err:
        raise ParameterError(
            f"The log contains {err.object[err.start : err.end]!r}, which encoding {encoding!r} "
            "cannot represent; use encoding='utf-8'."
        ) from err


def _xes_time(stamps: pd.Series) -> list[str]:
    """ISO 8601 with milliseconds and UTC offset, e.g. ``2025-01-06T08:12:00.000+01:00``."""
    local = stamps.dt.tz_localize(None).to_numpy().astype("datetime64[ms]")
    utc = stamps.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[ms]")
    offset = ((local - utc).astype(np.int64) // 60_000).tolist()
    text = np.datetime_as_string(local, unit="ms").tolist()
    return [
        f"{t}{'-' if o < 0 else '+'}{abs(o) // 60:02d}:{abs(o) % 60:02d}"
        for t, o in zip(text, offset, strict=True)
    ]


def _xes_attribute(key: str, value: object) -> str:
    if isinstance(value, bool | np.bool_):
        return f'<boolean key={quoteattr(key)} value="{"true" if value else "false"}"/>'
    if isinstance(value, int | np.integer):
        return f'<int key={quoteattr(key)} value="{int(value)}"/>'
    if isinstance(value, float | np.floating):
        return "" if value != value else f'<float key={quoteattr(key)} value="{float(value)!r}"/>'
    if isinstance(value, pd.Timestamp):
        stamp = quoteattr(value.isoformat(timespec="milliseconds"))
        return f"<date key={quoteattr(key)} value={stamp}/>"
    return "" if value is None else f"<string key={quoteattr(key)} value={quoteattr(str(value))}/>"


_XES_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <global scope="trace">
    <string key="concept:name" value="__INVALID__"/>
  </global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <string key="org:resource" value="__INVALID__"/>
    <string key="lifecycle:transition" value="complete"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <classifier name="Activity and lifecycle" keys="concept:name lifecycle:transition"/>
"""


def write_xes(log: SimulatedLog, path: str | os.PathLike, *, lifecycle: bool = True) -> None:
    """Write the events as an IEEE 1849 XES file.

    Parameters
    ----------
    log : SimulatedLog
        The simulated log.
    path : str or os.PathLike
        Target file; ``.xes.gz`` is gzip-compressed.
    lifecycle : bool, default=True
        Write a ``start`` and a ``complete`` event per activity instance; if False only
        ``complete`` events (at the end time).

    Notes
    -----
    Events carry ``concept:name``, ``org:resource``, ``lifecycle:transition`` and
    ``time:timestamp`` (ISO 8601 with milliseconds and UTC offset). Case attributes are
    trace attributes typed ``string``, ``float``, ``int`` or ``boolean``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from rpa_candidates import synth
    >>> log = synth.simulate("gewerbeanmeldung", n_cases=5, seed=0)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "gewerbe.xes.gz"
    >>> log.write_xes(path)
    >>> path.stat().st_size > 0
    True
    """
    events = log.events
    rows, status, stamps = _interleave(events, lifecycle)
    times = _xes_time(stamps)
    escape = {
        v: quoteattr(str(v)) for v in pd.unique(pd.concat([events["activity"], events["resource"]]))
    }
    act = events["activity"].to_numpy()
    res = events["resource"].to_numpy()
    lines = [
        f'    <event><string key="concept:name" value={escape[act[i]]}/>'
        f'<string key="org:resource" value={escape[res[i]]}/>'
        f'<string key="lifecycle:transition" value="{s}"/>'
        f'<date key="time:timestamp" value="{t}"/></event>\n'
        for i, s, t in zip(rows.tolist(), status.tolist(), times, strict=True)
    ]
    case_rows = log.events["case_id"].to_numpy()[rows]
    bounds = np.flatnonzero(np.concatenate([[True], case_rows[1:] != case_rows[:-1], [True]]))
    cases = events.drop_duplicates("case_id").set_index("case_id")[_attribute_columns(events)]
    attrs = {
        cid: "".join(_xes_attribute(k, v) for k, v in zip(cases.columns, row, strict=True))
        for cid, row in zip(cases.index, cases.itertuples(index=False), strict=True)
    }
    title = quoteattr(f"{log.spec.title} (simuliert, seed={log.seed})")
    with _open_binary(Path(path)) as fh:
        out = io.TextIOWrapper(fh, encoding="utf-8", newline="\n")
        out.write(_XES_HEAD + f'  <string key="concept:name" value={title}/>\n')
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            cid = case_rows[lo]
            out.write(f'  <trace><string key="concept:name" value={quoteattr(cid)}/>{attrs[cid]}\n')
            out.write("".join(lines[lo:hi]))
            out.write("  </trace>\n")
        out.write("</log>\n")
        out.flush()
        out.detach()


def write_parquet(
    log: SimulatedLog,
    path: str | os.PathLike,
    *,
    lifecycle: bool = False,
    time_unit: Literal["us", "ms"] = "us",
) -> None:
    """Write the events as Parquet with UTC timestamps (readable by Spark, polars, pandas).

    Parameters
    ----------
    log : SimulatedLog
        The simulated log.
    path : str or os.PathLike
        Target file.
    lifecycle : bool, default=False
        If False, columns ``case_id, activity, resource, start, end, <attributes>``; if
        True one row per start and per complete with ``timestamp`` and ``lifecycle``.
    time_unit : {"us", "ms"}, default="us"
        Stored precision of the ``timestamp[unit, tz=UTC]`` columns (Spark reads both).

    Raises
    ------
    ParameterError
        Unknown ``time_unit``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from rpa_candidates import synth
    >>> log = synth.simulate("bewohnerparken", n_cases=5, seed=0)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "parken.parquet"
    >>> log.write_parquet(path)
    >>> str(pd.read_parquet(path)["end"].dtype)
    'datetime64[us, UTC]'
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if time_unit not in ("us", "ms"):
        raise ParameterError(f"Unknown time_unit {time_unit!r}; expected one of ['ms', 'us'].")
    events = log.events
    to_utc = lambda s: s.dt.tz_convert("UTC").dt.as_unit(time_unit)  # noqa: E731
    rows, status, stamps = _interleave(events, lifecycle)
    frame = events.iloc[rows].reset_index(drop=True)
    if lifecycle:
        frame = frame.drop(columns=["start", "end"])
        frame.insert(3, "timestamp", to_utc(stamps).to_numpy())
        frame.insert(4, "lifecycle", status)
    else:
        frame["start"], frame["end"] = to_utc(frame["start"]), to_utc(frame["end"])
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), Path(path))
