"""The observation period that volumes are annualised over (shared by features and relief).

With :math:`n` cases whose starts (earliest start or completion time) range over
:math:`R` days, the period is the unbiased estimate of the length of a uniform arrival
window, :math:`T = R \\cdot (n + 1) / (n - 1)` days, at least one day; ``years = T / 365.25``.
Case starts, not the event span, are used because work on the last cases goes on after
the last arrival (the event span of a one-year synthetic log is 378–431 days).
"""

from __future__ import annotations

import numpy as np

__all__ = ["DAYS_PER_YEAR", "arrival_days"]

DAYS_PER_YEAR = 365.25
_DAY = 86400.0


def arrival_days(starts: np.ndarray) -> float:
    """``T`` in days from the case start times ``starts`` (epoch seconds); NaN if empty."""
    starts = np.asarray(starts, dtype=float)
    n = int(np.isfinite(starts).sum())
    if n == 0:
        return float("nan")
    observed = (float(np.nanmax(starts)) - float(np.nanmin(starts))) / _DAY
    return max(observed * (n + 1) / (n - 1) if n > 1 else 0.0, 1.0)
