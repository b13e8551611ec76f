"""Simulation time of rc.what_if on a 100 k-event synth log (target: 10 runs in <= 30 s).

Measures the model building and the runs separately (each run simulates both scenarios,
as-is and to-be, on the same draws). Reproduce:

    PYTHONPATH=src python benchmarks/bench_whatif.py [RUNS]

RUNS defaults to 2 to stay within the 3-minute budget of a shared machine; the time for
10 runs is extrapolated linearly (runs are independent and equally long).
"""

from __future__ import annotations

import sys
import time
import warnings

import rpa_candidates as rc


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sim = rc.synth.simulate("wohngeld", n_cases=12_000, seed=1)
        log = rc.read_log(sim.events)
        a = rc.analyze(log)
        t = time.perf_counter()
        rc.what_if(a, log, top=3, runs=1, seed=0)
        one = time.perf_counter() - t
        t = time.perf_counter()
        rc.what_if(a, log, top=3, runs=runs, seed=0)
        many = time.perf_counter() - t
    per_run = (many - one) / max(runs - 1, 1) if runs > 1 else one
    build = one - per_run
    print(f"events {log.n_events:,}; build {build:.1f} s; per run (2 scenarios) {per_run:.1f} s;")
    print(f"{runs} runs {many:.1f} s; 10 runs extrapolated {build + 10 * per_run:.1f} s")


if __name__ == "__main__":
    main()
