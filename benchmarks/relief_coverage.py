"""Coverage of the 90 % relief interval on the simulator's logs (docs/relief.md).

For each process, seed and mode (``lifecycle``: start times kept; ``complete-only``: start
column dropped) the relief of every staff activity is estimated, and its interval is
checked against the expected yearly relief of the process (``true_relief`` of
``tests/test_relief.py``: the simulator's spec, not the realised log). Prints the share
of (seed, activity) pairs whose interval contains the truth, per process and mode, and the
median relative width ``(high − low) / estimate``.

Run from the repository root (about 2-3 minutes)::

    PYTHONPATH=src python benchmarks/relief_coverage.py [--cases 300] [--seeds 0 1 2 3 4]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import rpa_candidates as rc
from rpa_candidates.relief import estimate_relief

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_relief import true_relief

PROCESSES = ("wohngeld", "gewerbeanmeldung", "eingangsrechnung", "bewohnerparken")


def covered(process: str, *, n_cases: int, seed: int, starts: bool) -> pd.DataFrame:
    """Per staff activity with true relief > 0: estimate, interval, truth, covered."""
    events = rc.synth.simulate(process, n_cases=n_cases, seed=seed).events
    if not starts:
        events = events.drop(columns="start")
    log = rc.read_log(events, timestamp="end", start_timestamp="start" if starts else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        relief = estimate_relief(log, rc.activity_features(log))
    truth = true_relief(process, n_cases=n_cases)
    out = truth[truth["true_hours"] > 0].merge(relief, on="activity")
    out = out[np.isfinite(out["relief_hours_per_year"])].copy()
    out["covered"] = (out["relief_hours_low"] <= out["true_hours"]) & (
        out["true_hours"] <= out["relief_hours_high"]
    )
    out["width"] = (out["relief_hours_high"] - out["relief_hours_low"]) / out[
        "relief_hours_per_year"
    ]
    out["process"], out["seed"] = process, seed
    out["mode"] = "lifecycle" if starts else "complete-only"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--processes", nargs="+", default=list(PROCESSES))
    args = parser.parse_args()
    rows = [
        covered(p, n_cases=args.cases, seed=s, starts=starts)
        for p in args.processes
        for starts in (True, False)
        for s in args.seeds
    ]
    table = pd.concat(rows)
    summary = table.groupby(["mode", "process"]).agg(
        pairs=("covered", "size"), coverage=("covered", "mean"), median_width=("width", "median")
    )
    print(f"{args.cases} cases, seeds {args.seeds}")
    print(summary.round(3).to_string())
    print(table.groupby("mode")["covered"].mean().round(3).to_string())
    missed = table[~table["covered"]]
    cols = ["mode", "process", "seed", "activity", "handling_source", "true_hours"]
    cols += ["relief_hours_low", "relief_hours_per_year", "relief_hours_high"]
    print("not covered:")
    print(missed[cols].round(1).to_string(index=False))


if __name__ == "__main__":
    main()
