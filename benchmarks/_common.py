"""Pieces every benchmark script shares: peak memory, the subprocess runner, the pm4py route.

Each contender runs in a fresh subprocess of the calling script (``SCRIPT --run KIND PATH``)
so that its peak memory is its own: ``VmHWM`` from ``/proc/self/status`` (``ru_maxrss``
would carry the parent's peak across ``fork``/``exec``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def peak_mb() -> float:
    """Resident high-water mark of this process in MiB."""
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(x for x in status if x.startswith("VmHWM")).split()[1]) / 1024


def measure(script: str, kind: str, path: Path, *, timeout: float | None = None) -> dict:
    """Run ``script --run kind path`` in a fresh process and return its JSON result.

    A contender that crashes or runs out of time gives ``{"kind", "error"}`` (the last lines
    of its stderr, or the timeout), so one failing reader does not abort the benchmark.
    """
    try:
        out = subprocess.run(
            [sys.executable, script, "--run", kind, str(path)],
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
            env={**os.environ, "PM4PY_SHOW_PROGRESS_BAR": "false"},
        )
    except subprocess.TimeoutExpired:
        return {"kind": kind, "error": f"timeout after {timeout:.0f} s"}
    if out.returncode != 0:
        lines = out.stderr.strip().splitlines() or ["no output"]
        return {"kind": kind, "error": " | ".join(lines[-3:])}
    return json.loads(out.stdout.strip().splitlines()[-1])


def pm4py_statistics(frame: Any, *, has_start: bool) -> tuple[int, int]:
    """The statistics rc's features cover, computed with pm4py's own functions.

    DFG, performance DFG, start/end activities, variants, service time (where the log has
    start times), rework cases per activity and cases per activity. Returns
    ``(variants, activities)``.
    """
    import pm4py

    pm4py.discover_dfg(frame)
    pm4py.discover_performance_dfg(frame)
    pm4py.get_start_activities(frame)
    pm4py.get_end_activities(frame)
    variants = len(pm4py.get_variants(frame))
    if has_start:
        pm4py.get_service_time(frame, start_timestamp_key="start_timestamp")
    pm4py.get_rework_cases_per_activity(frame)
    activities = frame.groupby("concept:name")["case:concept:name"].nunique()
    return variants, len(activities)
