"""One whole process of the handling-time estimate on BPI Challenge 2012 (the idle fit and
its identification bootstrap dominate), for farm-bench (docs/handling-time.md, "Cost")::

    RPA_CANDIDATES_CACHE= PYTHONPATH=src farm-bench -n 3 --warmup 0 \\
        --vs ".venv/bin/python benchmarks/bench_idle_fit.py old" \\
        -- .venv/bin/python benchmarks/bench_idle_fit.py new

``new``: the defaults (cap 120 min, hand-over split); ``old``: cap 60 min, no split.
``RPA_CANDIDATES_CACHE=`` turns the disk cache off; with it on, a second run reads the fit.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import rpa_candidates as rc
from rpa_candidates import timing

LOG = Path(__file__).resolve().parents[2] / "shared" / "sample-data" / "BPI_Challenge_2012.xes.gz"

if __name__ == "__main__":
    warnings.simplefilter("ignore", rc.DataQualityWarning)
    log = rc.read_log(LOG)
    if sys.argv[1:] == ["old"]:
        timing.handling_times(log, resource_gap_cap_minutes=60, idle_handover_split=False)
    else:
        timing.handling_times(log)
