"""Working calendars of resource pools: weekdays and a daily window, or always open.

Stage: relief (what-if simulation). Time is seconds of local wall-clock time since
``origin``, a Monday midnight, so ``day % 7`` is the weekday (0 = Monday).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DAY", "Calendar", "discover_calendar"]

DAY = 86_400.0


@dataclass(frozen=True)
class Calendar:
    """When a pool works.

    Parameters
    ----------
    weekdays : tuple of int
        Working weekdays, 0 = Monday .. 6 = Sunday.
    start_s, end_s : float
        Daily window in seconds after local midnight.
    always : bool, default=False
        Open around the clock (a bot or a system user); the other fields are ignored.
    """

    weekdays: tuple[int, ...]
    start_s: float
    end_s: float
    always: bool = False

    def next_start(self, t: float, duration: float) -> float:
        """First time ``>= t`` at which an item of ``duration`` seconds fits the window.

        As in the simulator :mod:`rpa_candidates.synth`, a person starts an item only if it
        ends within the day's window; an item longer than the window starts at a window's
        beginning. Returns ``t`` if the calendar is always open or has no working day.
        """
        if self.always or not self.weekdays:
            return t
        length = self.end_s - self.start_s
        day = int(t // DAY)
        for k in range(15):
            d = day + k
            if d % 7 not in self.weekdays:
                continue
            base = d * DAY
            s = max(t, base + self.start_s)
            if s + duration <= base + self.end_s or (
                duration > length and s == base + self.start_s
            ):
                return s
        return t

    def last_open(self, t: float) -> float:
        """Latest time ``<= t`` at which the calendar is open (``-inf`` if none in 15 days)."""
        if self.always or not self.weekdays:
            return t
        day = int(t // DAY)
        for k in range(15):
            d = day - k
            base = d * DAY
            if d % 7 in self.weekdays and t >= base + self.start_s:
                return min(t, base + self.end_s)
        return -np.inf

    def open_seconds(self, first: float, last: float) -> float:
        """Working seconds between ``first`` and ``last`` (whole days, window length each)."""
        if self.always:
            return max(last - first, 0.0)
        days = np.arange(int(first // DAY), int(last // DAY) + 1)
        n = int(np.isin(days % 7, self.weekdays).sum())
        return n * max(self.end_s - self.start_s, 0.0)

    def describe(self) -> str:
        """Short text such as ``"Mo-Fr 07:05-16:40"`` or ``"24/7"``."""
        if self.always:
            return "24/7"
        names = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
        days = ",".join(names[d] for d in self.weekdays)

        def hm(s: float) -> str:
            m = round(s / 60)
            return f"{m // 60:02d}:{m % 60:02d}"

        return f"{days} {hm(self.start_s)}-{hm(self.end_s)}"


def discover_calendar(
    start_s: np.ndarray, end_s: np.ndarray, *, quantile: float, weekday_min_share: float
) -> Calendar:
    """Calendar of a pool from the starts and ends of its executions.

    Working weekdays: those with at least ``weekday_min_share`` of the executions. Window:
    from the ``quantile`` of the start times of day to the ``1 - quantile`` quantile of the
    end times of day (an end before its start's day is counted on the start's day).
    """
    start_s = np.asarray(start_s, dtype=float)
    end_s = np.asarray(end_s, dtype=float)
    day = np.floor(start_s / DAY)
    weekday = (day % 7).astype(int)
    share = np.bincount(weekday, minlength=7) / max(len(weekday), 1)
    weekdays = tuple(int(d) for d in np.flatnonzero(share >= weekday_min_share))
    tod_start = start_s - day * DAY
    tod_end = np.minimum(end_s - day * DAY, DAY)
    lo = float(np.quantile(tod_start, quantile))
    hi = float(np.quantile(tod_end, 1 - quantile))
    return Calendar(weekdays=weekdays, start_s=lo, end_s=max(hi, lo))
