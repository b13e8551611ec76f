"""Validation of the what-if simulation: the as-is run against the log it was built from.

Prints, per log, the median and P90 cycle time (log vs simulated, relative error) and the
hours per activity (share of the activities' hours within 10 %, the largest error among
steps with at least 1 % of the hours), plus the simulation time. Synth logs have known
ground truth (rc.synth); the real log is BPI Challenge 2012, W_ subprocess with start and
complete (../shared/sample-data). Reproduce (about 2-3 min on 2 cores):

    PYTHONPATH=src python benchmarks/whatif_validation.py
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import rpa_candidates as rc

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "sample-data"


def _row(name, log, runs=10):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = rc.analyze(log)
        t = time.perf_counter()
        w = rc.what_if(a, log, top=2, runs=runs, seed=0)
        secs = time.perf_counter() - t
    v = w.validation
    ct = v[v["metric"].str.startswith("cycle")].set_index("metric")
    h = v[v["metric"] == "hours_per_year"]
    big = h[h["log"] >= 0.01 * h["log"].sum()]
    weight = h["log"] / h["log"].sum()
    within = float(weight[(h["relative_error"].abs() <= 0.10)].sum())
    fr = w.freed
    freed_err = float((fr["freed_hours_per_year"] / fr["relief_hours_per_year"] - 1).abs().max())
    print(
        f"| {name} | {log.n_events:,} | "
        f"{ct.loc['cycle_median_days', 'log']:.2f} | "
        f"{ct.loc['cycle_median_days', 'simulated']:.2f} | "
        f"{ct.loc['cycle_median_days', 'relative_error']:+.1%} | "
        f"{ct.loc['cycle_p90_days', 'log']:.2f} | {ct.loc['cycle_p90_days', 'simulated']:.2f} | "
        f"{ct.loc['cycle_p90_days', 'relative_error']:+.1%} | {within:.0%} | "
        f"{big['relative_error'].abs().max():.1%} | {freed_err:.1%} | {secs:.1f} |",
        flush=True,
    )
    return w


def main() -> None:
    print(
        "| log | events | median log (d) | median sim (d) | error | P90 log (d) | P90 sim (d) "
        "| error | hours within 10 % | max hours error (steps ≥1 %) | freed vs relief | sim s "
        "(10 runs x 2 scenarios) |"
    )
    print("|" + "---|" * 12)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    for proc in ("wohngeld", "gewerbeanmeldung", "eingangsrechnung", "bewohnerparken"):
        sim = rc.synth.simulate(proc, n_cases=n, seed=1)
        _row(f"synth {proc} ({n} cases)", rc.read_log(sim.events))
    path = SAMPLE / "BPI_Challenge_2012_W_Two_TS.xes.gz"
    if path.exists():
        _row("BPI 2012 W (start+complete)", rc.read_log(path))
    for bad in ("running-example.xes.gz", "T_BPIC15_2.xes.gz"):
        p = SAMPLE / bad
        if p.exists():
            log = rc.read_log(p)
            try:
                rc.what_if(rc.analyze(log), log, top=1, runs=1)
                print(f"{bad}: simulated")
            except rc.SimulationError as err:
                print(f"{bad}: SimulationError: {err}")


if __name__ == "__main__":
    main()
