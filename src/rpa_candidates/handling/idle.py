"""Idle-time correction of resource gaps, on the engine: the gap histogram, the cached fit,
the corrected gaps.

The model and its EM fit (``G = H + I``, handling plus idle time, on binned gaps) are in
:mod:`rpa_candidates.handling.idle_em`. Here: one group-by on the engine gives the gap
histogram per (idle key, activity, bin), the fit and its identification bootstrap are
cached in memory and on disk (numbers only), and the fitted shares ``E[H | G] / G`` are
joined back onto the instances lazily.

**Hand-overs** (``idle_handover_split``, default on). A gap that starts at the same
person's completion of the *same case's* previous instance is not a wait between cases:
the next step of the case became ready only then, so ``I`` is the hand-over within the
case (none when the person simply goes on with the case, an inbox delay when the step
comes back through the queue). Such gaps get their own ``(p_r', λ_r')``, keyed
``r' = (r, hand-over)``; ``H`` stays shared. Without the split, a barely busy person
whose step always follows their own previous step after an inbox delay has that delay
read as handling time (simulator, "Zahlungserinnerung versenden": 5.5–6 × too high).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

import narwhals as nw
import pandas as pd

from ..core import cache, engine
from . import idle_em
from .idle_em import KEYS, activity_means, fit, identification, table_rows

if TYPE_CHECKING:
    from .settings import TimingSettings

__all__ = ["activity_means", "fit", "identification", "remove_idle", "remove_idle_checked"]


def _lookup(table: pd.DataFrame, like: nw.LazyFrame) -> nw.LazyFrame:
    """``table`` as a lazy frame of the backend of ``like``, keyed like ``_JOIN`` (the
    activity categorical where ``like``'s is)."""
    table = table.astype({"resource": str, "activity": str, "_bin": "int64", "share": float})
    table = table.rename(columns={"resource": "_idle_resource"})
    schema = "_idle_resource string, activity string, _bin long, share double"
    return engine.small_frame(table, like=like, spark_schema=schema)


def _digest(hist: pd.DataFrame) -> str:
    return hashlib.sha256(
        pd.util.hash_pandas_object(hist, index=False).to_numpy().tobytes()
    ).hexdigest()


#: The last few fits and bootstrap spreads, by histogram and settings (features, then the
#: relief bootstrap, fit the same histogram).
_CACHE: OrderedDict[tuple, object] = OrderedDict()


def _cached(key: tuple, make: Callable[[], object], hist: pd.DataFrame) -> object:
    """``make()`` (a :func:`fit` or an :func:`identification` of ``hist``) from the memory
    cache, else from the disk cache of an earlier process, else computed.

    On disk (:func:`rpa_candidates.core.cache.stored`, keyed by the histogram's digest, the
    settings and the source of this module and of :mod:`idle_em`) only numbers are kept:
    the shares, the fitted parameters and the spreads, in ``hist``'s order. No activity
    name or resource (a staff pseudonym, or a name with ``pseudonymize=False``) is
    written; they come back from ``hist`` when the file is read.
    """
    if key not in _CACHE:
        files = (__file__, idle_em.__file__)
        numbers = cache.stored("idle-fit", repr(key), files, lambda: _numbers(make(), hist))
        _CACHE[key] = _dressed(numbers, hist)
        while len(_CACHE) > 16:
            _CACHE.popitem(last=False)
    _CACHE.move_to_end(key)
    return _CACHE[key]


def _activities(hist: pd.DataFrame) -> list:
    return sorted(hist["activity"].unique())


def _numbers(value: object, hist: pd.DataFrame) -> tuple:
    if isinstance(value, pd.Series):  # identification: spread per activity
        return ("spread", value.reindex(_activities(hist)).to_numpy(), value.name)
    table, params = value
    anonymous = {k: v for k, v in params.items() if k not in ("activity", "resource")}
    return ("fit", table["share"].to_numpy(), anonymous)


def _dressed(numbers: tuple, hist: pd.DataFrame) -> object:
    kind, values, extra = numbers
    if kind == "spread":
        return pd.Series(values, index=pd.Index(_activities(hist), name="activity"), name=extra)
    table = table_rows(hist)[KEYS].assign(share=values)
    params = {
        **extra,
        "activity": _activities(hist),
        "resource": sorted(hist["resource"].unique()),
    }
    return table, params


#: Suffix of the idle key of a gap that starts at the same case's previous completion.
HANDOVER = "\x1fhandover"
_JOIN = ["_idle_resource", "activity", "_bin"]


def _idle_key(split: bool) -> nw.Expr:
    """The key of the idle distribution: the resource, or with ``split`` the resource
    and whether the gap starts at the completion of the same case's previous instance
    by the same person (``_chained``, a hand-over; module docstring)."""
    resource = nw.col("resource").cast(nw.String)
    if not split:
        return resource.alias("_idle_resource")
    return (
        nw.when(nw.col("_chained"))
        .then(nw.concat_str([resource, nw.lit(HANDOVER)]))
        .otherwise(resource)
        .alias("_idle_resource")
    )


def _histogram(
    instances: nw.LazyFrame, width: float, split: bool
) -> tuple[nw.LazyFrame, pd.DataFrame]:
    binned = instances.with_columns(
        (nw.col("gap_s") / width).floor().cast(nw.Int64).alias("_bin"), _idle_key(split)
    )
    hist = engine.collect(
        binned.filter(~nw.col("gap_s").is_null()).group_by(*_JOIN).agg(nw.len().alias("n")),
        sort=_JOIN,
    ).rename(columns={"_idle_resource": "resource"})
    return binned, hist


def _fitted(instances: nw.LazyFrame, settings: TimingSettings):
    """The binned instances, the gap histogram (one collect), the cache key and the
    cached :func:`fit` (``None`` without gaps)."""
    binned, hist = _histogram(instances, settings.idle_bin_seconds, settings.idle_handover_split)
    options = {
        "width": settings.idle_bin_seconds,
        "cap": settings.resource_gap_cap_minutes * 60.0,
        "max_iterations": settings.idle_max_iterations,
        "tolerance": settings.idle_tolerance,
    }
    if hist.empty:
        return binned, hist, options, None, None
    key = (_digest(hist), *sorted(options.items()))
    return binned, hist, options, key, _cached(key, lambda: fit(hist, **options), hist)


def _corrected(binned: nw.LazyFrame, table: pd.DataFrame) -> nw.LazyFrame:
    return (
        binned.join(_lookup(table, binned), on=_JOIN, how="left")
        .with_columns((nw.col("gap_s") * nw.col("share")).alias("gap_s"))
        .drop("_bin", "share", "_idle_resource", "_chained", strict=False)
    )


def remove_idle(instances: nw.LazyFrame, settings: TimingSettings) -> nw.LazyFrame:
    """``gap_s`` replaced by ``E[H | G = gap_s]`` (module docstring), other columns kept.

    ``instances`` needs ``resource``, ``activity`` and ``gap_s`` (null where the gap is not
    a valid session gap). One group-by is collected (the gap histogram per resource and
    activity), the fitted shares are joined back lazily.
    """
    binned, _, _, _, fitted = _fitted(instances, settings)
    return instances if fitted is None else _corrected(binned, fitted[0])


def remove_idle_checked(
    instances: nw.LazyFrame, settings: TimingSettings
) -> tuple[nw.LazyFrame, list[str]]:
    """:func:`remove_idle`, and the activities whose mean handling time the gaps do not
    identify: the bootstrap spread of :func:`identification` is above
    ``settings.idle_max_log_sd`` (or undefined). One histogram serves both."""
    binned, hist, options, key, fitted = _fitted(instances, settings)
    if fitted is None:
        return instances, []
    table, params = fitted
    spread = _cached(
        (*key, settings.idle_resamples),
        lambda: identification(
            hist,
            table,
            params,
            width=options["width"],
            cap=options["cap"],
            resamples=settings.idle_resamples,
            tolerance=settings.idle_tolerance,
        ),
        hist,
    )
    weak = ~(spread <= settings.idle_max_log_sd)  # NaN counts as not identified
    return _corrected(binned, table), sorted(str(a) for a in spread.index[weak])
