"""OCEL 2.0 object-centric logs flattened on one object type (stage: io).

An OCEL 2.0 log (``.jsonocel``, ``.xmlocel`` or an OCEL SQLite file, read with pm4py's
``read_ocel2_json`` / ``read_ocel2_xml`` / ``read_ocel2_sqlite``) relates each event to
any number of objects of several types (an application, an invoice, a clerk). The RPA
analysis needs cases: ``read_log(path, object_type="Antrag")`` makes each object of that
type a case. Flattening on type ``T``:

* an event related to ``k`` objects of type ``T`` becomes ``k`` rows, one per case
  (``details["ocel"]["events_repeated"]`` counts the events copied);
* an event related to no object of type ``T`` becomes one row without case id, rejected
  as ``missing_case_id``, so every event of the file is accounted for
  (``rows_read = Σ_e max(1, k_e)``);
* the ids of the event's objects of every other type become one text attribute per
  type, named after the type (``"Rechnung": "R-17, R-18"``, sorted, ``", "``-joined); a
  type named like a staff column (``Sachbearbeiter``, ``Bearbeiter``, ``Resource``) is
  then guessed as the resource and pseudonymised like any staff column.

Without ``object_type`` a log with more than one object type is refused with the list of
types and the number of events related to each. Timestamps are instants: pm4py returns
them in UTC (naive for JSON and XML), and they are read as UTC.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import polars as pl

from ..core.errors import LogFormatError, ParameterError
from .table import RawTable, _with_row_index

__all__ = ["ocel_kind", "read_ocel"]

_SQLITE = (".sqlite", ".sqlite3", ".db")
_OCEL_TABLES = {"event", "object", "event_object"}
_READERS = {"json": "read_ocel2_json", "xml": "read_ocel2_xml", "sqlite": "read_ocel2_sqlite"}


def ocel_kind(path: Path) -> str | None:
    """``"json"``, ``"xml"`` or ``"sqlite"`` if ``path`` is an OCEL 2.0 file, else None."""
    name = path.name.lower()
    if name.endswith(".jsonocel"):
        return "json"
    if name.endswith(".xmlocel"):
        return "xml"
    if name.endswith((".json", ".xml")):
        with path.open("rb") as handle:
            head = handle.read(4096)
        if name.endswith(".json") and b'"objectTypes"' in head:
            return "json"
        if name.endswith(".xml") and b"<object-types" in head:
            return "xml"
        return None
    if name.endswith(_SQLITE):
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
                rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                tables = {r[0] for r in rows}
        except sqlite3.Error:
            return None
        return "sqlite" if tables >= _OCEL_TABLES else None
    return None


def read_ocel(path: Path, *, kind: str, object_type: str | None = None) -> RawTable:
    """Read an OCEL 2.0 file and flatten it on ``object_type`` (see the module docstring).

    Parameters
    ----------
    path : pathlib.Path
        The OCEL 2.0 file.
    kind : {"json", "xml", "sqlite"}
        From :func:`ocel_kind`.
    object_type : str, default=None
        The object type whose objects are the cases; may be omitted when the log has one.

    Raises
    ------
    ParameterError
        No ``object_type`` and several types, or a type the log does not have (the
        message lists the types with their event counts).
    LogFormatError
        pm4py cannot read the file.
    """
    import pm4py  # imported here: only OCEL files need it at read time

    try:
        ocel = getattr(pm4py, _READERS[kind])(str(path))
    except Exception as error:  # pm4py raises plain exceptions of many kinds
        raise LogFormatError(
            f"{path.name!r} cannot be read as an OCEL 2.0 {kind} file "
            f"({type(error).__name__}: {error}). Check that the export is complete."
        ) from error
    events = _polars(ocel.events)
    relations = _polars(ocel.relations[["ocel:eid", "ocel:oid", "ocel:type"]]).unique()
    per_type = dict(
        relations.group_by("ocel:type")
        .agg(pl.col("ocel:eid").n_unique())
        .sort("ocel:eid", "ocel:type", descending=[True, False])
        .iter_rows()
    )
    object_type = _chosen(object_type, per_type, path.name)
    flat, details = _flatten(events, relations, object_type)
    details["object_types"] = {str(k): int(v) for k, v in per_type.items()}
    return RawTable(
        _with_row_index(flat),
        path.name,
        "ocel",
        f"pm4py {_READERS[kind]}",
        details={"ocel": details},
    )


def _polars(frame: Any) -> pl.DataFrame:
    table = pl.from_pandas(frame)
    if "ocel:timestamp" in table.columns:
        ts = table.schema["ocel:timestamp"]
        if isinstance(ts, pl.Datetime) and ts.time_zone is None:
            table = table.with_columns(pl.col("ocel:timestamp").dt.replace_time_zone("UTC"))
    return table


def _chosen(object_type: str | None, per_type: dict[str, int], name: str) -> str:
    listing = ", ".join(f"{t!r} ({n:,} event{'' if n == 1 else 's'})" for t, n in per_type.items())
    if object_type is None:
        if len(per_type) == 1:
            return next(iter(per_type))
        raise ParameterError(
            f"{name!r} is an object-centric log (OCEL 2.0) with {len(per_type)} object "
            f"types: {listing}. Name the type whose objects are the cases, e.g. "
            f"read_log(..., object_type={next(iter(per_type), 'Antrag')!r}) or the "
            "command line's --object-type."
        )
    if object_type not in per_type:
        raise ParameterError(
            f"object_type={object_type!r} is not an object type of {name!r}; it has: "
            f"{listing or 'none (no event is related to an object)'}."
        )
    return object_type


def _flatten(
    events: pl.DataFrame, relations: pl.DataFrame, object_type: str
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """One row per (event, object of ``object_type``); see the module docstring."""
    cases = relations.filter(pl.col("ocel:type") == object_type).select(
        "ocel:eid", pl.col("ocel:oid").alias("case:concept:name")
    )
    per_event = cases.group_by("ocel:eid").len()
    others = (
        relations.filter(pl.col("ocel:type") != object_type)
        .group_by("ocel:eid", "ocel:type")
        .agg(pl.col("ocel:oid").sort().str.join(", "))
    )
    taken = set(events.columns) | {"case:concept:name", "concept:name", "time:timestamp"}
    names: dict[str, str] = {}
    for kind in sorted(others.get_column("ocel:type").unique().to_list()):
        column = kind if kind not in taken else f"{kind} (objects)"
        names[kind] = column
        taken.add(column)
    flat = events.rename({"ocel:activity": "concept:name", "ocel:timestamp": "time:timestamp"})
    flat = flat.join(cases, on="ocel:eid", how="left", maintain_order="left")
    if names:
        wide = others.pivot(on="ocel:type", index="ocel:eid", values="ocel:oid")
        wide = wide.rename(names)
        flat = flat.join(wide, on="ocel:eid", how="left", maintain_order="left")
    first = ["case:concept:name", "concept:name", "time:timestamp"]
    flat = flat.select(*first, *[c for c in flat.columns if c not in first])
    details = {
        "object_type": object_type,
        "events": events.height,
        "events_without_object": events.height - per_event.height,
        "events_repeated": int((per_event.get_column("len") > 1).sum()),
        "object_columns": dict(names),
    }
    return flat, details
