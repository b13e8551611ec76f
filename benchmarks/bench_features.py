"""Feature benchmark: rc.activity_features + rc.discover against the pm4py route.

Run from the repository root::

    python benchmarks/bench_features.py                 # 1 M and 10 M events
    python benchmarks/bench_features.py --sizes 1000000

Logs: ``rpa_candidates.synth`` simulates about 1 M activity instances of the invoice
process (with start and complete times) and writes them as Parquet; the 10 M log is that
log tiled ten times with distinct case ids and shifted by whole weeks (cached in
``benchmarks/data/``). Each contender runs in a fresh subprocess on the same file:

* ``rc``: ``rc.read_log`` (timed separately), then ``rc.activity_features`` and
  ``rc.discover``;
* ``pm4py``: ``pandas.read_parquet`` + ``pm4py.format_dataframe`` (timed separately), then
  the same statistics with pm4py's own functions: ``discover_dfg``,
  ``discover_performance_dfg``, ``get_variants``, ``get_start_activities``,
  ``get_end_activities``, ``get_service_time`` (start→complete per activity),
  ``get_rework_cases_per_activity`` and per-activity case counts.

Logs up to 1 M events are measured ``--repeat`` times (default 3) per contender, rc and
pm4py alternating, and the median of each phase is reported with the range of the feature
times: a single run at 1 M events (about a second) moves by ±20 % with the machine's load.

Printed: seconds per phase, peak memory (``VmHWM`` of the process) and the ratios;
written to ``benchmarks/results/features.json``. Targets (issue 3): features at least
10x faster than the pm4py route; 10 M events within 4 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from _common import measure, peak_mb, pm4py_statistics

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
BASE_EVENTS = 1_000_000


def _base() -> Path:
    path = DATA / "features_1000000.parquet"
    if path.exists():
        return path
    from rpa_candidates import synth

    DATA.mkdir(exist_ok=True)
    probe = synth.simulate("eingangsrechnung", n_cases=500, seed=5)
    n_cases = round(BASE_EVENTS / (len(probe.events) / 500))
    started = time.perf_counter()
    synth.simulate("eingangsrechnung", n_cases=n_cases, seed=5).write_parquet(path)
    print(f"simulated the 1 M log in {time.perf_counter() - started:.1f} s")
    return path


def _small(events: int) -> Path:
    """A log below 1 M events is simulated on its own (same process, same seed)."""
    path = DATA / f"features_{events}.parquet"
    if not path.exists():
        from rpa_candidates import synth

        DATA.mkdir(exist_ok=True)
        probe = synth.simulate("eingangsrechnung", n_cases=500, seed=5)
        n_cases = round(events / (len(probe.events) / 500))
        synth.simulate("eingangsrechnung", n_cases=n_cases, seed=5).write_parquet(path)
    return path


def _file(events: int) -> Path:
    if events < BASE_EVENTS:
        return _small(events)
    base = _base()
    factor = max(1, round(events / BASE_EVENTS))
    if factor == 1:
        return base
    path = DATA / f"features_{factor * BASE_EVENTS}.parquet"
    if not path.exists():
        import polars as pl

        frame = pl.read_parquet(base)
        week = pl.duration(weeks=1)
        parts = [
            frame.with_columns(
                (pl.col("case_id") + f"-{i}").alias("case_id"),
                *(pl.col(c) + week * (i * 60) for c in ("start", "end")),
            )
            for i in range(factor)
        ]
        pl.concat(parts).write_parquet(path)
    return path


def _run(kind: str, path: str) -> dict:
    os.environ["PM4PY_SHOW_PROGRESS_BAR"] = "false"
    import warnings

    warnings.simplefilter("ignore")
    phases: dict[str, float] = {}
    if kind == "rc":
        import rpa_candidates as rc

        t = time.perf_counter()
        log = rc.read_log(path)
        phases["read"] = time.perf_counter() - t
        t = time.perf_counter()
        features = rc.activity_features(log)
        phases["features"] = time.perf_counter() - t
        t = time.perf_counter()
        model = rc.discover(log)
        phases["discover"] = time.perf_counter() - t
        rows, activities = log.n_events, len(features)
        variants = len(model.variants)
    else:
        import pandas as pd
        import pm4py

        pd.set_option("mode.string_storage", "python")
        t = time.perf_counter()
        frame = pm4py.format_dataframe(
            pd.read_parquet(path),
            case_id="case_id",
            activity_key="activity",
            timestamp_key="end",
            start_timestamp_key="start",
        )
        phases["read"] = time.perf_counter() - t
        t = time.perf_counter()
        variants, activities = pm4py_statistics(frame, has_start=True)
        phases["features"] = time.perf_counter() - t
        t = time.perf_counter()
        pm4py.discover_process_tree_inductive(frame, noise_threshold=0.2)
        phases["discover"] = time.perf_counter() - t
        rows = len(frame)
    return {
        "kind": kind,
        "rows": rows,
        "activities": activities,
        "variants": variants,
        "seconds": {k: round(v, 3) for k, v in phases.items()},
        "peak_mb": round(peak_mb()),
    }


def _measure(kind: str, path: Path) -> dict:
    return measure(__file__, kind, path)


def _median_runs(runs: list[dict]) -> dict:
    """One result from repeated runs: the median of each phase, the highest peak, and
    each phase's range in ``spread`` (a run that failed is reported instead)."""
    failed = [r for r in runs if "seconds" not in r]
    if failed:
        return failed[0]
    out = dict(runs[-1])
    phases = runs[0]["seconds"]
    out["seconds"] = {k: round(statistics.median(r["seconds"][k] for r in runs), 3) for k in phases}
    out["spread"] = {
        k: [min(r["seconds"][k] for r in runs), max(r["seconds"][k] for r in runs)] for k in phases
    }
    out["peak_mb"] = max(r["peak_mb"] for r in runs)
    out["runs"] = len(runs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--skip-pm4py-above", type=int, default=10_000_000)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="fresh-process runs per contender on logs up to 1 M events, alternating rc and "
        "pm4py; the median of each phase is reported (10 M runs once)",
    )
    parser.add_argument("--run", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(_run(*args.run)))
        return
    results = []
    for size in args.sizes:
        path = _file(size)
        runs: dict[str, list[dict]] = {"rc": [], "pm4py": []}
        for _ in range(max(1, args.repeat) if size <= BASE_EVENTS else 1):
            runs["rc"].append(_measure("rc", path))
            if size <= args.skip_pm4py_above:
                runs["pm4py"].append(_measure("pm4py", path))
        ours = _median_runs(runs["rc"])
        theirs = _median_runs(runs["pm4py"]) if runs["pm4py"] else {"kind": "skipped"}
        results.append({"events": size, "rc": ours, "pm4py": theirs})
        print(f"\n{size:,} events ({path.name})")
        for r in (ours, theirs):
            if "seconds" not in r:
                print(f"  {r['kind']:<6} {r.get('error', '')}")
                continue
            s = r["seconds"]
            print(
                f"  {r['kind']:<6} read {s['read']:7.2f} s  features {s['features']:7.2f} s  "
                f"discover {s['discover']:7.2f} s  peak {r['peak_mb']:,} MB  "
                f"({r['activities']} activities, {r['variants']:,} variants)"
            )
            if r.get("runs", 1) > 1:
                low, high = r["spread"]["features"]
                print(f"         median of {r['runs']} runs; features {low:.2f}-{high:.2f} s")
        if "seconds" in ours and "seconds" in theirs:
            ratio = theirs["seconds"]["features"] / ours["seconds"]["features"]
            both = (theirs["seconds"]["features"] + theirs["seconds"]["discover"]) / (
                ours["seconds"]["features"] + ours["seconds"]["discover"]
            )
            print(f"  pm4py / rc: features {ratio:.1f}x, features + discovery {both:.1f}x")
            results[-1]["features_ratio"] = round(ratio, 2)
            results[-1]["features_discovery_ratio"] = round(both, 2)
    RESULTS.mkdir(exist_ok=True)
    meta = {"cpu_count": os.cpu_count(), "python": sys.version.split()[0]}
    (RESULTS / "features.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    print(f"\nwritten: {RESULTS / 'features.json'}")


if __name__ == "__main__":
    main()
