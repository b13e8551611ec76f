"""Timestamp resolution per activity and per log: can these stamps measure working time?

Stage: handling (the lead moves it to ``handling/`` with :mod:`rpa_candidates.timing`).

One group-by over :func:`rpa_candidates.engine.prepare_events` (``ts``, ``start_ts``,
``utc_offset`` in epoch seconds). A *stamp* is a completion ``ts`` or, where present, a
start ``start_ts``; ``local = stamp + utc_offset``. Per activity ``a`` with stamps ``S_a``:

* ``date_only_share = |{t ∈ S_a : local(t) mod 86400 = 0}| / |S_a|`` — stamps at exactly
  local 00:00:00. A clock that records the time of day does so with probability 1/86,400
  (second stamps) or 1/1,440 (minute stamps); a larger share means dates without a time;
* of the other (*timed*) stamps ``S'_a``: ``whole_minute_share = |{t : local(t) mod 60 =
  0}| / |S'_a|`` and ``subsecond_share = |{t : t − ⌊t⌋ ≠ 0}| / |S'_a|``;
* ``identical_share``: share of the activity's instances whose resource completed another
  instance at the same second (``same_time`` of the engine: batches, or one stamp for
  several steps), ``zero_span_share``: share of start→complete spans of length 0.

``resolution`` is ``day`` if ``date_only_share ≥ max_date_only_share`` (0.1), else
``minute`` if ``whole_minute_share ≥ minute_resolution_share`` (0.9), else ``subsecond``
if ``subsecond_share ≥ 0.5``, else ``second``. The log row pools all stamps the same way.
Day stamps cannot measure a working time: :func:`unmeasurable` names the activities whose
handling time must not come from timestamps (all of them when the log itself is ``day``),
and :func:`rpa_candidates.timing.instance_handling` gives them ``handling_source =
"unknown"`` unless standard minutes are given. Thresholds: ``data/timing.toml``; measured
values on the real logs: ``docs/handling-time.md``.
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from ..core import engine
from .settings import TimingSettings, _defaults

__all__ = [
    "LOG",
    "RESOLUTIONS",
    "activity_resolution",
    "log_resolution",
    "unmeasurable",
    "warn_unmeasured",
]

#: The values of ``resolution``, coarsest first.
RESOLUTIONS = ("day", "minute", "second", "subsecond")
#: The ``activity`` value of the log row of :func:`activity_resolution`.
LOG = "(log)"
_COUNTS = ("stamps", "date_only", "timed", "whole_minute", "subsecond", "spans", "zero_spans")


def _flags(stamp: nw.Expr) -> tuple[nw.Expr, nw.Expr, nw.Expr]:
    """(date only, whole minute, sub-second) of ``stamp`` as 0/1, null where no stamp."""
    local = stamp + nw.col("utc_offset")
    date_only = (local - (local / engine.DAY).floor() * engine.DAY) == 0
    minute = (local - (local / 60.0).floor() * 60.0) == 0
    fraction = (stamp - stamp.floor()) != 0
    timed = ~date_only
    return (
        date_only.cast(nw.Int64),
        (timed & minute).cast(nw.Int64),
        (timed & fraction).cast(nw.Int64),
    )


def activity_resolution(
    prepared: nw.LazyFrame, settings: TimingSettings | None = None
) -> pd.DataFrame:
    """Resolution of each activity's timestamps, and of the log's (module docstring).

    Parameters
    ----------
    prepared : narwhals.LazyFrame
        :func:`rpa_candidates.engine.prepare_events` of a log.
    settings : TimingSettings, default=None
        ``None`` takes ``data/timing.toml``.

    Returns
    -------
    pandas.DataFrame
        One row per activity, sorted, then the log row (``activity`` = :data:`LOG`):
        ``activity``, ``stamps``, ``date_only_share``, ``whole_minute_share``,
        ``subsecond_share``, ``identical_share``, ``zero_span_share`` (NaN without
        starts), ``resolution`` (:data:`RESOLUTIONS`), ``measurable`` (False for ``day``).

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> from rpa_candidates import engine, resolution
    >>> log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=50, seed=1).events)
    >>> table = resolution.activity_resolution(engine.prepare_events(log.frame))
    >>> table.set_index("activity").loc[resolution.LOG, "resolution"]
    'second'
    """
    s = settings or _defaults()
    end_day, end_minute, end_sub = _flags(nw.col("ts"))
    start_day, start_minute, start_sub = _flags(nw.col("start_ts"))
    has_start = ~nw.col("start_ts").is_null()
    stats = engine.collect(
        prepared.group_by("activity").agg(
            (nw.len() + has_start.cast(nw.Int64).sum()).alias("stamps"),
            (end_day.sum() + start_day.sum()).alias("date_only"),
            (end_minute.sum() + start_minute.sum()).alias("whole_minute"),
            (end_sub.sum() + start_sub.sum()).alias("subsecond"),
            nw.col("same_time").cast(nw.Float64).mean().alias("identical_share"),
            has_start.cast(nw.Int64).sum().alias("spans"),
            (nw.col("ts") == nw.col("start_ts")).cast(nw.Int64).sum().alias("zero_spans"),
        ),
        sort=["activity"],
    )
    table = pd.DataFrame({"activity": stats["activity"].astype(str)})
    for name in ("stamps", "date_only", "whole_minute", "subsecond", "spans", "zero_spans"):
        table[name] = stats[name].fillna(0).to_numpy(dtype=float)
    table["timed"] = table["stamps"] - table["date_only"]
    n = stats["stamps"].to_numpy(dtype=float)
    table["_identical"] = stats["identical_share"].to_numpy(dtype=float) * (n - table["spans"])
    log_row = table[[*_COUNTS, "_identical"]].sum().to_dict()
    table = pd.concat([table, pd.DataFrame([{"activity": LOG, **log_row}])], ignore_index=True)
    return _classify(table, s)


def _classify(table: pd.DataFrame, s: TimingSettings) -> pd.DataFrame:
    with np.errstate(invalid="ignore", divide="ignore"):
        date_only = table["date_only"] / table["stamps"]
        minute = table["whole_minute"] / table["timed"]
        sub = table["subsecond"] / table["timed"]
        instances = table["stamps"] - table["spans"]
        identical = table["_identical"] / instances
        zero = (table["zero_spans"] / table["spans"]).where(table["spans"] > 0)
    resolution = np.select(
        [
            (date_only >= s.max_date_only_share) | (table["timed"] == 0),
            minute >= s.minute_resolution_share,
            sub >= 0.5,
        ],
        ["day", "minute", "subsecond"],
        default="second",
    )
    return pd.DataFrame(
        {
            "activity": table["activity"],
            "stamps": table["stamps"].astype("int64"),
            "date_only_share": date_only,
            "whole_minute_share": minute,
            "subsecond_share": sub,
            "identical_share": identical,
            "zero_span_share": zero,
            "resolution": resolution.astype(object),
            "measurable": resolution != "day",
        }
    )


def log_resolution(table: pd.DataFrame) -> dict[str, object]:
    """The log row of :func:`activity_resolution` as a plain dict (for reports)."""
    row = table.loc[table["activity"] == LOG].iloc[0]
    return {
        "resolution": str(row["resolution"]),
        "measurable": bool(row["measurable"]),
        "stamps": int(row["stamps"]),
        "date_only_share": float(row["date_only_share"]),
        "whole_minute_share": float(row["whole_minute_share"]),
        "subsecond_share": float(row["subsecond_share"]),
        "identical_share": float(row["identical_share"]),
        "day_activities": sorted(
            str(a) for a in table.loc[(table["activity"] != LOG) & ~table["measurable"], "activity"]
        ),
    }


def unmeasurable(table: pd.DataFrame) -> list[str]:
    """Activities whose stamps cannot measure working time (all if the log is ``day``)."""
    acts = table[table["activity"] != LOG]
    if not bool(table.loc[table["activity"] == LOG, "measurable"].iloc[0]):
        return sorted(str(a) for a in acts["activity"])
    return sorted(str(a) for a in acts.loc[~acts["measurable"], "activity"])


def warn_unmeasured(features: pd.DataFrame, stacklevel: int = 3) -> None:
    """A :class:`~rpa_candidates.errors.DataQualityWarning` naming the steps whose handling
    source is ``unknown``, ``lifecycle_elapsed`` or ``resource_gap_unidentified`` (no
    handling time from timestamps)."""
    import warnings

    from ..core.errors import DataQualityWarning

    source = features.set_index("activity")["handling_source"]
    parts = []
    for code, what in (
        ("unknown", "with date-only timestamps"),
        (
            "lifecycle_elapsed",
            "whose start-to-complete spans are mostly elapsed time (across nights or longer "
            "than one working session)",
        ),
        (
            "resource_gap_unidentified",
            "whose gaps between one person's completions do not separate handling from idle time",
        ),
    ):
        steps = sorted(str(a) for a in source.index[source == code])
        if steps:
            parts.append(f"{len(steps)} step(s) {what} {steps[:10]!r}")
    if not parts:
        return
    warnings.warn(
        "No handling time from timestamps for " + " and ".join(parts) + ": their relief is "
        "unknown. Map them to standard minutes (rc.timing.standard_times(), the Destatis "
        "Zeitwerttabelle) and pass handling_times={step: minutes}; see docs/handling-time.md.",
        DataQualityWarning,
        stacklevel=stacklevel,
    )
