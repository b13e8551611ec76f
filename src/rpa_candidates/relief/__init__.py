"""Stage 5, relief: the hours, FTE and euros a robot frees per step, with intervals.

The economic assumptions (``assumptions``, ``data/rates.toml``), the per-case tables and
their bootstrap (``bootstrap``), the estimate and payback (``estimate``) and the routines
one bot can take over (``routines``). Takes the features, the scores and the case tables
built from the prepared log; imports ``core``, ``handling`` and ``features`` only.
"""

from .assumptions import PAY_GROUPS, Assumptions
from .estimate import estimate_relief, relief_cases
from .routines import find_routines

__all__ = ["PAY_GROUPS", "Assumptions", "estimate_relief", "find_routines", "relief_cases"]
