"""Database benchmark: rc.read_log from a PostgreSQL table against the same data as Parquet.

Target (issue #19): 1 M events read from PostgreSQL within 3x the time of the Parquet
read, and within 1 GiB peak memory. Run from the repository root with a server at hand
(``.ci/run`` starts one; any other works too)::

    RPA_BENCH_POSTGRES_URI=postgresql://user@127.0.0.1:5432/db python benchmarks/bench_sql.py
    python benchmarks/bench_sql.py --events 200000 --repeat 3

``RPA_TEST_POSTGRES_URI`` is used when ``RPA_BENCH_POSTGRES_URI`` is not set. The URI is
handed to the contender processes through the environment, never on a command line.

It simulates the Eingangsrechnung process with ``rpa_candidates.synth`` (cached in
``benchmarks/data/`` as Parquet), loads it into the table ``bench_events`` (ADBC bulk
ingest: ``text``, ``timestamptz``, ``double precision`` columns) and reads it ``--repeat``
times per source, each read in a fresh subprocess so that time and peak memory
(``VmHWM``, interpreter and imports included) are its own. The full ``rc.read_log`` runs
in both cases (role guessing, timestamp parsing, row accounting, pseudonymisation); the
best time of the repeats is compared. Results are printed and written to
``benchmarks/results/sql.json``. Nothing here is a unit test.
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
TABLE = "bench_events"


def _uri() -> str:
    uri = os.environ.get("RPA_BENCH_POSTGRES_URI") or os.environ.get("RPA_TEST_POSTGRES_URI")
    if not uri:
        sys.exit(
            "Set RPA_BENCH_POSTGRES_URI (or RPA_TEST_POSTGRES_URI) to a PostgreSQL URI; "
            ".ci/run shows how to start a throw-away server."
        )
    return uri


def _parquet(events: int) -> Path:
    path = DATA / f"eingangsrechnung_{events}.parquet"
    if path.exists():
        return path
    from rpa_candidates import synth

    DATA.mkdir(exist_ok=True)
    probe = synth.simulate("eingangsrechnung", n_cases=500, seed=7)
    n_cases = max(1, round(events / (len(probe.events) / 500)))
    started = time.perf_counter()
    log = synth.simulate("eingangsrechnung", n_cases=n_cases, seed=7, days=365)
    print(f"simulated {len(log.events):,} events in {time.perf_counter() - started:.1f} s")
    log.write_parquet(path)
    return path


def _load(path: Path, uri: str) -> int:
    import adbc_driver_postgresql.dbapi as dbapi
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    started = time.perf_counter()
    with dbapi.connect(uri) as conn, conn.cursor() as cur:
        cur.adbc_ingest(TABLE, table, mode="replace")
        conn.commit()
        cur.execute(f"ANALYZE {TABLE}")
        cur.execute(
            "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)"
            f" FROM information_schema.columns WHERE table_name = '{TABLE}'"
        )
        columns = cur.fetchone()[0]
    print(f"loaded {table.num_rows:,} rows into {TABLE} in {time.perf_counter() - started:.1f} s")
    print(f"  columns: {columns}")
    return table.num_rows


def _run(kind: str, path: str) -> dict:
    """Executed in a subprocess: read once, return seconds, rows and peak RSS."""
    import warnings

    warnings.simplefilter("ignore")
    import rpa_candidates as rc

    started = time.perf_counter()
    log = rc.read_log(_uri(), table=path) if kind == "postgres" else rc.read_log(path)
    seconds = time.perf_counter() - started
    q = log.quality
    return {
        "kind": kind,
        "seconds": seconds,
        "events": log.n_events,
        "rows_read": q.rows_read,
        "rows_used": q.rows_used,
        "peak_mb": peak_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--run", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(_run(*args.run)))
        return
    uri = _uri()
    path = _parquet(args.events)
    rows = _load(path, uri)
    runs: dict[str, list[dict]] = {"parquet": [], "postgres": []}
    for _ in range(args.repeat):
        for kind, target in (("parquet", path), ("postgres", TABLE)):
            result = measure(__file__, kind, Path(target), timeout=600)
            if "error" in result:
                sys.exit(f"{kind} failed: {result['error']}")
            runs[kind].append(result)
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
    peak = {k: max(r["peak_mb"] for r in v) for k, v in runs.items()}
    ratio = best["postgres"]["seconds"] / best["parquet"]["seconds"]
    assert best["postgres"]["rows_used"] == best["parquet"]["rows_used"]
    print(f"\n{rows:,} events, best of {args.repeat} fresh processes each (rc.read_log):")
    for kind in runs:
        times = ", ".join(f"{r['seconds']:.2f}" for r in runs[kind])
        print(
            f"  {kind:<9} {best[kind]['seconds']:6.2f} s  (runs: {times})  "
            f"peak {peak[kind]:,.0f} MiB  rows used {best[kind]['rows_used']:,}"
        )
    ok_time, ok_memory = ratio <= 3.0, peak["postgres"] <= 1024
    print(
        f"  PostgreSQL / Parquet: {ratio:.2f}x (target <= 3x: {'met' if ok_time else 'MISSED'});"
        f" PostgreSQL peak {peak['postgres']:,.0f} MiB (target <= 1024: "
        f"{'met' if ok_memory else 'MISSED'})"
    )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "sql.json"
    out.write_text(
        json.dumps(
            {
                "events": rows,
                "repeat": args.repeat,
                "runs": runs,
                "ratio_postgres_to_parquet": ratio,
                "peak_mb": peak,
                "python": sys.version.split()[0],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written {out}")


if __name__ == "__main__":
    main()
