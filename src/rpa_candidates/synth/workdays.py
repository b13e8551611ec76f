"""Working-day calendar of a Hessian municipality (weekends and Hessian public holidays)."""

from __future__ import annotations

import datetime as dt

import numpy as np

__all__ = ["hessian_holidays", "workday_mask"]


def _easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def hessian_holidays(year: int) -> set[dt.date]:
    """Public holidays in Hesse (Hessisches Feiertagsgesetz, § 1).

    Parameters
    ----------
    year : int
        Calendar year.

    Returns
    -------
    set of datetime.date
        Neujahr, Karfreitag, Ostermontag, 1. Mai, Christi Himmelfahrt, Pfingstmontag,
        Fronleichnam, Tag der Deutschen Einheit, 1. and 2. Weihnachtstag.
    """
    easter = _easter(year)
    moving = {easter + dt.timedelta(days=d) for d in (-2, 1, 39, 50, 60)}
    fixed = {dt.date(year, m, d) for m, d in ((1, 1), (5, 1), (10, 3), (12, 25), (12, 26))}
    return moving | fixed


def workday_mask(first: dt.date, n_days: int) -> np.ndarray:
    """Boolean array: is day ``first + i`` a working day (Mon–Fri, no Hessian holiday)?

    Parameters
    ----------
    first : datetime.date
        Day 0.
    n_days : int
        Length of the array.

    Returns
    -------
    numpy.ndarray of bool
    """
    days = [first + dt.timedelta(days=i) for i in range(n_days)]
    holidays: set[dt.date] = set()
    for year in range(first.year, days[-1].year + 1):
        holidays |= hessian_holidays(year)
    return np.array([d.weekday() < 5 and d not in holidays for d in days], dtype=bool)
