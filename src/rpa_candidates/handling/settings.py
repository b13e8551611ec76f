"""Settings of the handling-time estimators (:mod:`rpa_candidates.timing`).

Defaults, each with value, unit, source and year: ``data/timing.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import cache
from typing import Any

import numpy as np

from ..core._data import load_toml as _data
from ..core.errors import ParameterError

__all__ = ["TimingSettings", "load_settings"]


@dataclass(frozen=True)
class TimingSettings:
    """Parameters of the handling-time estimators (defaults: ``data/timing.toml``).

    Attributes
    ----------
    resource_gap_cap_minutes : float
        Longest resource gap counted as handling time.
    case_gap_cap_minutes : float
        Longest case gap counted as handling time.
    office_start_hour, office_end_hour : float
        Office hours in local time, ``start ≤ hour < end``.
    office_weekdays : tuple of int
        Office days, 0 = Monday .. 6 = Sunday.
    min_start_share : float
        Share of executions with a start from which ``lifecycle`` is used.
    min_resource_gaps : int
        Valid session gaps needed for ``resource_gap``.
    min_resource_gap_share : float
        Share of executions with a valid session gap needed for ``resource_gap``.
    instant_seconds : float
        Durations below this count as instant (``instant_share``).
    idle_correction : bool
        Replace each resource gap by its expected handling time without the idle time
        before it (:mod:`rpa_candidates.handling.idle`); ``False`` keeps the plain gap.
    idle_bin_seconds : float
        Bin width of the gap histogram the idle model is fitted on.
    idle_max_iterations : int
        EM iterations at most.
    idle_tolerance : float
        EM stops when the log-likelihood changes by less than this share.
    idle_resamples : int
        Bootstrap draws of the gap histogram that measure how well each activity's mean
        handling time is identified (:func:`rpa_candidates.handling.idle.identification`).
    idle_max_log_sd : float
        Largest bootstrap standard deviation of ``log(mean handling time)`` with which a
        ``resource_gap`` estimate is kept; above it the activity is
        ``resource_gap_unidentified`` (no handling time).
    idle_handover_split : bool
        Give a gap that starts at the same person's completion of the case's previous
        instance (a hand-over within the case) its own idle distribution, apart from the
        person's other gaps (:mod:`rpa_candidates.handling.idle`).
    max_date_only_share : float
        Share of stamps at local 00:00:00 from which an activity (or the log) has dates
        only (:mod:`rpa_candidates.handling.resolution`).
    minute_resolution_share : float
        Share of timed stamps on a whole minute from which they have minute resolution.
    session_hours : float
        Longest start-to-complete span credible as work (one working session, same day).
    min_credible_span_share : float
        Share of credible spans an activity needs to keep ``lifecycle``; below it the
        activity is ``lifecycle_elapsed``.
    """

    resource_gap_cap_minutes: float
    case_gap_cap_minutes: float
    office_start_hour: float
    office_end_hour: float
    office_weekdays: tuple[int, ...]
    min_start_share: float
    min_resource_gaps: int
    min_resource_gap_share: float
    instant_seconds: float
    idle_correction: bool
    idle_bin_seconds: float
    idle_max_iterations: int
    idle_tolerance: float
    idle_resamples: int
    idle_max_log_sd: float
    idle_handover_split: bool
    max_date_only_share: float
    minute_resolution_share: float
    session_hours: float
    min_credible_span_share: float


def load_settings(**overrides: Any) -> TimingSettings:
    """The defaults of ``data/timing.toml``, with the non-``None`` ``overrides`` applied.

    Raises
    ------
    ParameterError
        An unknown name or a value outside its range.

    Examples
    --------
    >>> from rpa_candidates import timing
    >>> timing.load_settings(resource_gap_cap_minutes=30).resource_gap_cap_minutes
    30.0
    """
    names = [f.name for f in fields(TimingSettings)]
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        raise ParameterError(f"Unknown timing settings {unknown!r}; expected some of {names!r}.")
    return _check(replace(_defaults(), **{k: v for k, v in overrides.items() if v is not None}))


@cache
def _defaults() -> TimingSettings:
    table = _data("timing.toml")
    values = {f.name: table[f.name]["value"] for f in fields(TimingSettings)}
    return _check(TimingSettings(**values))


def _check(s: TimingSettings) -> TimingSettings:
    def number(name: str, low: float, high: float = np.inf) -> float:
        value = getattr(s, name)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise ParameterError(
                f"{name}={value!r} is not a number in [{low}, {high}]; "
                f"pass e.g. {name}={_data('timing.toml')[name]['value']!r}."
            )
        return float(value)

    days = tuple(s.office_weekdays)
    if not days or any(isinstance(d, bool) or d not in range(7) for d in days):
        raise ParameterError(
            f"office_weekdays={s.office_weekdays!r} must list weekdays 0 (Monday) .. 6 (Sunday), "
            "e.g. office_weekdays=(0, 1, 2, 3, 4)."
        )
    if not isinstance(s.idle_correction, bool):
        raise ParameterError(
            f"idle_correction={s.idle_correction!r} must be True or False, "
            "e.g. idle_correction=False for the plain resource gap."
        )
    if not isinstance(s.idle_handover_split, bool):
        raise ParameterError(
            f"idle_handover_split={s.idle_handover_split!r} must be True or False, "
            "e.g. idle_handover_split=False for one idle distribution per person."
        )
    start = number("office_start_hour", 0, 24)
    end = number("office_end_hour", 0, 24)
    if start >= end:
        raise ParameterError(
            f"office hours {start!r}..{end!r} are empty; pass office_start_hour < office_end_hour."
        )
    return TimingSettings(
        resource_gap_cap_minutes=number("resource_gap_cap_minutes", 0),
        case_gap_cap_minutes=number("case_gap_cap_minutes", 0),
        office_start_hour=start,
        office_end_hour=end,
        office_weekdays=tuple(int(d) for d in days),
        min_start_share=number("min_start_share", 0, 1),
        min_resource_gaps=int(number("min_resource_gaps", 1)),
        min_resource_gap_share=number("min_resource_gap_share", 0, 1),
        instant_seconds=number("instant_seconds", 0),
        idle_correction=s.idle_correction,
        idle_bin_seconds=number("idle_bin_seconds", 0.001, 3600),
        idle_max_iterations=int(number("idle_max_iterations", 1)),
        idle_tolerance=number("idle_tolerance", 0, 1),
        idle_resamples=int(number("idle_resamples", 2, 1000)),
        idle_max_log_sd=number("idle_max_log_sd", 0),
        idle_handover_split=s.idle_handover_split,
        max_date_only_share=number("max_date_only_share", 0, 1),
        minute_resolution_share=number("minute_resolution_share", 0, 1),
        session_hours=number("session_hours", 0, 24),
        min_credible_span_share=number("min_credible_span_share", 0, 1),
    )


def _standard_minutes(given: Mapping[str, float] | None) -> dict[str, float]:
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        raise ParameterError(
            f"handling_times must map activity -> minutes, got {type(given).__name__!r}; "
            "pass e.g. handling_times={'Antrag erfassen': 12}."
        )
    out = {}
    for activity, minutes in given.items():
        ok = isinstance(minutes, int | float) and not isinstance(minutes, bool)
        if not ok or not np.isfinite(minutes) or minutes < 0:
            raise ParameterError(
                f"handling_times[{activity!r}]={minutes!r} is not a number of minutes >= 0; "
                "pass standard minutes per execution, e.g. {'Antrag erfassen': 12}."
            )
        out[str(activity)] = float(minutes)
    return out
