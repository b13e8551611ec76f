"""Ingestion benchmark: rc.read_log against pm4py's reader on the same 1 M-event files.

Run from the repository root::

    python benchmarks/bench_ingest.py            # 1 M events (default)
    python benchmarks/bench_ingest.py --events 200000

It generates a synthetic municipal log with ``rpa_candidates.synth`` (cached in
``benchmarks/data/``), writes it as XES.gz, German CSV and Parquet, and reads each file
once per contender in a fresh subprocess, so that time and peak memory (the process's
``VmHWM`` high-water mark, interpreter and imports included; ``ru_maxrss`` would carry the
parent's peak across ``fork``/``exec``) are not disturbed by earlier runs:

* XES: ``rc.read_log`` (rustxes) vs ``pm4py.read_xes`` with its default importer (which
  itself uses rustxes when it is installed) and with ``variant="chunk_regex"`` (pm4py's
  default without rustxes);
* CSV: ``rc.read_log`` (sniffing, German dates, DST, row accounting) vs the pm4py route
  ``pandas.read_csv`` + ``pandas.to_datetime(format="%d.%m.%Y %H:%M:%S")`` +
  ``pm4py.format_dataframe`` (pm4py has no CSV reader of its own);
* Parquet: ``rc.read_log`` vs ``pandas.read_parquet`` + ``pm4py.format_dataframe``.

Results are printed as a table with ratios and written to
``benchmarks/results/ingest.json``. Nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from _common import measure, peak_mb

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"


def _files(events: int) -> dict[str, Path]:
    return {
        "xes": DATA / f"eingangsrechnung_{events}.xes.gz",
        "csv": DATA / f"eingangsrechnung_{events}.csv",
        "parquet": DATA / f"eingangsrechnung_{events}.parquet",
    }


def _generate(events: int) -> dict[str, Path]:
    files = _files(events)
    if all(p.exists() for p in files.values()):
        return files
    from rpa_candidates import synth

    DATA.mkdir(exist_ok=True)
    probe = synth.simulate("eingangsrechnung", n_cases=500, seed=7)
    per_case = len(probe.events) / 500
    n_cases = max(1, round(events / per_case))
    started = time.perf_counter()
    log = synth.simulate("eingangsrechnung", n_cases=n_cases, seed=7, days=365)
    print(
        f"simulated {len(log.events):,} activity instances ({n_cases:,} cases) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    log.write_xes(files["xes"], lifecycle=False)
    log.write_csv(files["csv"], include_start=False)
    log.write_parquet(files["parquet"])
    return files


def _run(kind: str, path: str) -> dict:
    """Executed in a subprocess: read once, return seconds, rows and peak RSS."""
    os.environ["PM4PY_SHOW_PROGRESS_BAR"] = "false"
    import warnings

    warnings.simplefilter("ignore")
    if kind.startswith("pm4py"):
        import pandas as pd
        import pm4py
    else:
        import rpa_candidates as rc
    started = time.perf_counter()
    if kind.startswith("rc_"):
        log = rc.read_log(path)
        rows = log.n_events
    elif kind == "pm4py_xes":
        rows = len(pm4py.read_xes(path))
    elif kind == "pm4py_xes_chunk_regex":
        rows = len(pm4py.read_xes(path, variant="chunk_regex"))
    elif kind == "pm4py_csv":
        frame = pd.read_csv(path, sep=";", encoding="cp1252", decimal=",")
        frame["Zeitstempel"] = pd.to_datetime(frame["Zeitstempel"], format="%d.%m.%Y %H:%M:%S")
        frame["Zeitstempel"] = frame["Zeitstempel"].dt.tz_localize(
            "Europe/Berlin", ambiguous="NaT", nonexistent="shift_forward"
        )
        frame = pm4py.format_dataframe(
            frame, case_id="Vorgangsnummer", activity_key="Tätigkeit", timestamp_key="Zeitstempel"
        )
        rows = len(frame)
    elif kind == "pm4py_parquet":
        frame = pd.read_parquet(path)
        frame = pm4py.format_dataframe(
            frame, case_id="case_id", activity_key="activity", timestamp_key="end"
        )
        rows = len(frame)
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    seconds = time.perf_counter() - started
    return {"kind": kind, "seconds": round(seconds, 3), "rows": rows, "peak_mb": round(peak_mb())}


def _measure(kind: str, path: Path) -> dict:
    return measure(__file__, kind, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--run", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(_run(*args.run)))
        return
    files = _generate(args.events)
    pairs = [
        ("xes", "rc_xes", "pm4py_xes"),
        ("xes", "rc_xes", "pm4py_xes_chunk_regex"),
        ("csv", "rc_csv", "pm4py_csv"),
        ("parquet", "rc_parquet", "pm4py_parquet"),
    ]
    results = []
    print(f"\n{'format':<8} {'reader':<22} {'rows':>10} {'seconds':>9} {'peak MB':>8}")
    measured: dict[str, dict] = {}
    for fmt, ours, theirs in pairs:
        if ours not in measured:
            measured[ours] = _measure(ours, files[fmt])
        a, b = measured[ours], _measure(theirs, files[fmt])
        failed = [r for r in (a, b) if "error" in r]
        for r in failed:
            print(f"{fmt:<8} {r['kind']:<22} failed: {r['error'][:90]}")
        if failed:
            results.append({"format": fmt, "rc": a, "pm4py": b})
            continue
        for r in (a, b):
            line = f"{r['rows']:>10,} {r['seconds']:>9.2f} {r['peak_mb']:>8,.0f}"
            print(f"{fmt:<8} {r['kind']:<22} {line}")
        ratio_t = b["seconds"] / a["seconds"]
        ratio_m = b["peak_mb"] / a["peak_mb"]
        print(f"{'':<8} {'pm4py / rc':<22} {'':>10} {ratio_t:>8.2f}x {ratio_m:>7.2f}x")
        results.append(
            {
                "format": fmt,
                "rc": a,
                "pm4py": b,
                "time_ratio": round(ratio_t, 2),
                "memory_ratio": round(ratio_m, 2),
            }
        )
    RESULTS.mkdir(exist_ok=True)
    meta = {"events_requested": args.events, "cpu_count": os.cpu_count(), "python": sys.version}
    (RESULTS / "ingest.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    print(f"\nwritten: {RESULTS / 'ingest.json'}")


if __name__ == "__main__":
    main()
