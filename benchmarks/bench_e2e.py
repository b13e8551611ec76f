"""End-to-end benchmark: ``rc.read_log`` + ``rc.analyze`` per phase, against pm4py and a floor.

Run from the repository root (``benchmarks/run_all.py`` runs it with the other benchmarks)::

    python benchmarks/bench_e2e.py                              # 100 k, 1 M, 10 M + BPI 2012
    python benchmarks/bench_e2e.py --sizes 1000000 --no-real
    python benchmarks/bench_e2e.py --sizes --no-real --complete-only 10000000

Logs: the synthetic invoice process of ``bench_features.py`` written as Parquet (100 k
simulated on its own, 1 M simulated, 10 M = the 1 M log tiled ten times with distinct case
ids; cached in ``benchmarks/data/``), and the largest real log in ``../shared/sample-data/``
(``BPI_Challenge_2012.xes.gz``); with ``--complete-only N`` also a log of ``N`` events
without start times, 30 activities and 300 resources (:func:`complete_only_file`, issue
#16 item 4). Every contender runs in a fresh subprocess on the same
file, so its peak memory (``VmHWM`` from ``/proc/self/status``: the high-water mark of the
resident set, interpreter and imports included) is its own:

* ``rc``: ``rc.read_log`` then ``rc.analyze`` as a user calls it. The phases are timed by
  wrapping the functions ``analyze`` imports at call time (``activity_features``,
  ``score_activities`` with the one-off fit of the bundled model shown apart,
  ``estimate_relief`` with its bootstrap, ``discover`` and ``find_routines``), so the code
  path is exactly that of ``rc.analyze``; ``other`` is ranking and the summary. Then the
  report: ``Analysis.to_json`` and ``Analysis.to_html`` (when they exist). ``peak_mb`` is
  taken after ``analyze``, ``peak_report_mb`` after the report.
* ``pm4py``: the same statistics with pm4py's own functions on the same file
  (``pandas.read_parquet`` + ``format_dataframe``, or ``pm4py.read_xes``; then
  ``discover_dfg``, ``discover_performance_dfg``, ``get_variants``, start and end
  activities, ``get_service_time`` where start times exist, ``get_rework_cases_per_activity``,
  cases per activity; then ``discover_process_tree_inductive``). pm4py has no relief or
  scoring, so only read, features and discovery compare.
* ``floor``: a bare polars scan of the same columns (or the ``rustxes`` XES import that
  ``rc`` uses) and one group-by per activity and per case: the least any tool must do.

Printed: seconds per phase, peak memory, the ratios (pm4py / rc features, rc / floor end to
end) and the growth from 1 M to 10 M events (``log10(t10M / t1M)``: 1.0 is linear);
written to ``benchmarks/results/e2e.json`` with the load average of the machine before
and after each run. Nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import measure, peak_mb, pm4py_statistics  # noqa: E402
from bench_features import _file  # noqa: E402 - the benchmark scripts share the cache

RESULTS = HERE / "results"
REAL = HERE.parent.parent / "shared" / "sample-data" / "BPI_Challenge_2012.xes.gz"
PHASES = ("read", "features", "model_fit", "scoring", "relief", "discovery", "other")
#: Column roles of the synthetic Parquet log and of XES.
PARQUET_COLUMNS = {"case": "case_id", "activity": "activity", "resource": "resource", "ts": "end"}
XES_COLUMNS = {
    "case": "case:concept:name",
    "activity": "concept:name",
    "resource": "org:resource",
    "ts": "time:timestamp",
}


def complete_only_file(events: int, *, seed: int = 11) -> Path:
    """A complete-only Parquet log of about ``events`` events (issue #16, item 4).

    30 activities, 300 resources, no start times: cases of a Markov chain over the
    activities (each activity has a main successor taken with probability 0.7, else one
    of three others, ending with probability 1/12 per step: about 12 events a case),
    arriving over two years; each activity is done by a pool of 25 of the 300 people, each
    event completes after a lognormal wait (median 4 h) plus a lognormal handling time
    (median 8 min, per activity). Vectorised numpy, cached in ``benchmarks/data/``.
    """
    import numpy as np
    import polars as pl

    path = HERE / "data" / f"complete_only_{events}.parquet"
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    n_act, n_res, pool = 30, 300, 25
    n_cases = max(1, events // 12)
    main = (np.arange(n_act) + 1) % n_act
    others = rng.integers(0, n_act, size=(n_act, 3))
    pools = np.stack([rng.choice(n_res, size=pool, replace=False) for _ in range(n_act)])
    handling_median = rng.uniform(3, 20, size=n_act) * 60.0
    state = rng.integers(0, 3, size=n_cases)  # three entry activities
    clock = rng.uniform(0, 2 * 365 * 86400, size=n_cases)
    alive = np.ones(n_cases, dtype=bool)
    parts, produced = [], 0
    while produced < events and alive.any():
        cases = np.flatnonzero(alive)
        act = state[cases]
        clock[cases] += rng.lognormal(np.log(4 * 3600), 1.0, size=len(cases))
        clock[cases] += rng.lognormal(np.log(handling_median[act]), 0.6)
        resource = pools[act, rng.integers(0, pool, size=len(cases))]
        parts.append((cases, act, resource, clock[cases].copy()))
        produced += len(cases)
        step = rng.random(len(cases))
        state[cases] = np.where(step < 0.7, main[act], others[act, rng.integers(0, 3, len(cases))])
        alive[cases[rng.random(len(cases)) < 1 / 12]] = False
    case, act, resource, end = (np.concatenate(x) for x in zip(*parts, strict=True))
    keep = slice(0, events)
    frame = pl.DataFrame(
        {
            "case_id": case[keep],
            "activity": act[keep],
            "resource": resource[keep],
            "end_s": end[keep],
        }
    ).select(
        pl.format("C{}", pl.col("case_id")).alias("case_id"),
        pl.format("Tätigkeit {}", pl.col("activity") + 1).alias("activity"),
        pl.format("P{}", pl.col("resource") + 1).alias("resource"),
        (
            pl.datetime(2024, 1, 1) + pl.duration(seconds=pl.col("end_s").round(0).cast(pl.Int64))
        ).alias("end"),
    )
    path.parent.mkdir(exist_ok=True)
    frame.write_parquet(path)
    return path


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --- contenders (each runs in its own subprocess) -------------------------------------------


def _timed(module: object, name: str, phases: dict[str, float], phase: str) -> None:
    """Replace ``module.name`` by a wrapper that adds its wall time to ``phases[phase]``."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - started

    setattr(module, name, wrapper)


def _run_rc(path: str) -> dict:
    import rpa_candidates as rc
    import rpa_candidates.core.prepared
    import rpa_candidates.features
    import rpa_candidates.mining
    import rpa_candidates.relief
    import rpa_candidates.relief.routines
    import rpa_candidates.scoring
    import rpa_candidates.scoring.model

    phases: dict[str, float] = {}
    # the log prepared once (windows, resource classification) counts to the features,
    # which prepared it themselves before the stages were split (docs/architecture.md)
    _timed(rpa_candidates.core.prepared, "prepare", phases, "features")
    _timed(rpa_candidates.features, "activity_features", phases, "features")
    _timed(rpa_candidates.scoring, "score_activities", phases, "scoring")
    _timed(rpa_candidates.scoring.model, "default_model", phases, "model_fit")
    _timed(rpa_candidates.relief, "relief_cases", phases, "relief")
    _timed(rpa_candidates.relief, "estimate_relief", phases, "relief")
    _timed(rpa_candidates.mining, "discover", phases, "discovery")
    _timed(rpa_candidates.relief, "find_routines", phases, "discovery")
    started = time.perf_counter()
    log = rc.read_log(path)
    phases["read"] = time.perf_counter() - started
    started = time.perf_counter()
    analysis = rc.analyze(log)
    total = time.perf_counter() - started
    phases["scoring"] -= phases.get("model_fit", 0.0)
    phases["other"] = total - sum(phases[p] for p in PHASES if p not in ("read", "other"))
    peak = peak_mb()
    report: dict[str, float | str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, call in (("to_json", "result.json"), ("to_html", "report.html")):
            method = getattr(analysis, name, None)
            started = time.perf_counter()
            try:
                method(Path(tmp) / call)
            except Exception as exc:  # the report is developed in parallel
                report[name] = f"failed: {type(exc).__name__}: {str(exc)[:120]}"
            else:
                report[name] = round(time.perf_counter() - started, 3)
    return {
        "kind": "rc",
        "rows": log.n_events,
        "cases": log.n_cases,
        "activities": log.n_activities,
        "variants": len(analysis.model.variants),
        "seconds": {k: round(phases.get(k, 0.0), 3) for k in PHASES},
        "analyze_seconds": round(total, 3),
        "end_to_end_seconds": round(phases["read"] + total, 3),
        "report_seconds": report,
        "peak_mb": round(peak),
        "peak_report_mb": round(peak_mb()),
        "top": analysis.candidates["activity"].head(3).tolist(),
    }


def _run_pm4py(path: str) -> dict:
    import pandas as pd
    import pm4py

    pd.set_option("mode.string_storage", "python")
    phases: dict[str, float] = {}
    started = time.perf_counter()
    if path.endswith((".xes", ".xes.gz")):
        frame = pm4py.read_xes(path)
        has_start = False
    else:
        raw = pd.read_parquet(path)
        has_start = "start" in raw.columns  # the complete-only log has none
        frame = pm4py.format_dataframe(
            raw,
            case_id="case_id",
            activity_key="activity",
            timestamp_key="end",
            **({"start_timestamp_key": "start"} if has_start else {}),
        )
    phases["read"] = time.perf_counter() - started
    started = time.perf_counter()
    variants, activities = pm4py_statistics(frame, has_start=has_start)
    phases["features"] = time.perf_counter() - started
    started = time.perf_counter()
    pm4py.discover_process_tree_inductive(frame, noise_threshold=0.2)
    phases["discovery"] = time.perf_counter() - started
    return {
        "kind": "pm4py",
        "rows": len(frame),
        "activities": activities,
        "variants": variants,
        "seconds": {k: round(v, 3) for k, v in phases.items()},
        "end_to_end_seconds": round(sum(phases.values()), 3),
        "peak_mb": round(peak_mb()),
    }


def _run_floor(path: str) -> dict:
    import polars as pl

    started = time.perf_counter()
    if path.endswith((".xes", ".xes.gz")):
        import rustxes

        names = XES_COLUMNS
        frame = rustxes.import_xes(path)[0].lazy()
    else:
        names = PARQUET_COLUMNS
        frame = pl.scan_parquet(path)
    frame = frame.select(names.values())
    case, activity, resource, ts = (
        pl.col(names[k]) for k in ("case", "activity", "resource", "ts")
    )
    per_activity = frame.group_by(names["activity"]).agg(
        pl.len().alias("n"),
        case.n_unique().alias("cases"),
        resource.n_unique().alias("resources"),
        ts.min().alias("first"),
        ts.max().alias("last"),
    )
    per_case = frame.group_by(names["case"]).agg(
        pl.len().alias("n"), ts.min().alias("start"), ts.max().alias("end"), activity.first()
    )
    small, cases = pl.collect_all([per_activity, per_case])
    seconds = time.perf_counter() - started
    return {
        "kind": "floor",
        "rows": int(small["n"].sum()),
        "activities": small.height,
        "cases": cases.height,
        "seconds": {"scan_group_by": round(seconds, 3)},
        "end_to_end_seconds": round(seconds, 3),
        "peak_mb": round(peak_mb()),
    }


RUNNERS = {"rc": _run_rc, "pm4py": _run_pm4py, "floor": _run_floor}


def _measure(kind: str, path: Path, timeout: float) -> dict:
    before = _load()
    result = measure(__file__, kind, path, timeout=timeout)
    result["load_before"], result["load_after"] = before, _load()
    return result


# --- orchestration ---------------------------------------------------------------------------


def _ratios(entry: dict) -> dict:
    ours, theirs, floor = entry["rc"], entry.get("pm4py", {}), entry["floor"]
    out: dict[str, float] = {}
    if "seconds" in ours and "seconds" in theirs:
        out["pm4py_over_rc_features"] = theirs["seconds"]["features"] / ours["seconds"]["features"]
        rc_fd = ours["seconds"]["features"] + ours["seconds"]["discovery"]
        pm_fd = theirs["seconds"]["features"] + theirs["seconds"]["discovery"]
        out["pm4py_over_rc_features_discovery"] = pm_fd / rc_fd
    if "seconds" in ours and "seconds" in floor:
        out["rc_over_floor_end_to_end"] = ours["end_to_end_seconds"] / floor["end_to_end_seconds"]
        without_fit = ours["end_to_end_seconds"] - ours["seconds"]["model_fit"]
        out["rc_over_floor_without_model_fit"] = without_fit / floor["end_to_end_seconds"]
    return {k: round(v, 2) for k, v in out.items()}


def _growth(results: list[dict]) -> dict:
    """``log10(t(10 M) / t(1 M))`` per phase: 1.0 is linear, above 1 superlinear."""
    by_size = {
        r["events"]: r["rc"]
        for r in results
        if "seconds" in r["rc"] and not r["name"].startswith("complete-only")
    }
    small, large = by_size.get(1_000_000), by_size.get(10_000_000)
    if not (small and large):
        return {}
    out = {}
    for phase in (*PHASES, "end_to_end"):
        a = small["end_to_end_seconds"] if phase == "end_to_end" else small["seconds"][phase]
        b = large["end_to_end_seconds"] if phase == "end_to_end" else large["seconds"][phase]
        if a > 0 and b > 0:
            out[phase] = {"t_1M": a, "t_10M": b, "exponent": round(math.log10(b / a), 2)}
    out["peak_mb"] = {"t_1M": small["peak_mb"], "t_10M": large["peak_mb"]}
    return out


def _print(entry: dict) -> None:
    print(f"\n{entry['name']} ({entry['file']})")
    for kind in ("rc", "pm4py", "floor"):
        r = entry.get(kind)
        if r is None:
            continue
        if "seconds" not in r:
            print(f"  {kind:<6} {r.get('error', r.get('kind'))}")
            continue
        parts = "  ".join(f"{k} {v:.2f}" for k, v in r["seconds"].items())
        print(
            f"  {kind:<6} total {r['end_to_end_seconds']:7.2f} s  peak {r['peak_mb']:>6,} MB"
            f"  [{parts}]  load {r['load_before'][0]:.1f}"
        )
        if kind == "rc":
            print(f"         report {r['report_seconds']}  peak {r['peak_report_mb']:,} MB")
    for k, v in entry["ratios"].items():
        print(f"  {k}: {v}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--no-real", action="store_true", help="skip BPI_Challenge_2012")
    parser.add_argument(
        "--complete-only",
        type=int,
        nargs="*",
        default=[],
        metavar="EVENTS",
        help="also a complete-only log of this many events (30 activities, 300 resources)",
    )
    parser.add_argument("--skip-pm4py-above", type=int, default=10_000_000)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    parser.add_argument("--out", type=Path, default=RESULTS / "e2e.json")
    parser.add_argument("--run", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        import warnings

        warnings.simplefilter("ignore")
        print(json.dumps(RUNNERS[args.run[0]](args.run[1])))
        return
    datasets = [(f"synth {s:,}", s, _file(s)) for s in args.sizes]
    datasets += [(f"complete-only {s:,}", s, complete_only_file(s)) for s in args.complete_only]
    if not args.no_real and REAL.exists():
        datasets.append(("BPI_Challenge_2012", None, REAL))
    results = []
    for name, size, path in datasets:
        entry: dict = {"name": name, "events": size, "file": path.name}
        entry["floor"] = _measure("floor", path, args.timeout)
        entry["rc"] = _measure("rc", path, args.timeout)
        # pm4py's IMf on a complete-only log of unique-ish variants takes 138 s at 1 M
        # events (this benchmark, 2026-12-02): its route runs up to 1 M there
        limit = 1_000_000 if name.startswith("complete-only") else args.skip_pm4py_above
        if size is None or size <= limit:
            entry["pm4py"] = _measure("pm4py", path, args.timeout)
        entry["ratios"] = _ratios(entry)
        if entry["events"] is None and "rows" in entry["rc"]:
            entry["events"] = entry["rc"]["rows"]
        _print(entry)
        results.append(entry)
    growth = _growth(results)
    if growth:
        print("\ngrowth 1 M -> 10 M (log10 of the time ratio; 1.0 = linear):")
        for phase, g in growth.items():
            print(f"  {phase:<12} {g}")
    meta = {
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "started_load": results[0]["rc"].get("load_before") if results else None,
        "finished_load": _load(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    args.out.parent.mkdir(exist_ok=True)
    payload = {"meta": meta, "results": results, "growth": growth}
    args.out.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
