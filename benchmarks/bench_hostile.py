"""Hostile-input benchmark: how long the library takes on inputs built to hurt it.

Run from the repository root::

    python benchmarks/bench_hostile.py                  # all cases (about 3 minutes)
    python benchmarks/bench_hostile.py --skip-analyze   # without rc.analyze on 10,000 activities

The inputs are the generators of ``tests/hostile/generate.py`` (built into a temporary
folder, never committed). Each case runs in a fresh subprocess; peak memory is its
``VmHWM``. The unit tests in ``tests/hostile/`` check what happens (refusals, row
accounting, bounded memory growth); this script measures how long it takes, so no unit test
carries a time limit.

* ``wide``: a CSV log of 10,000 distinct activities in 500 cases: ``rc.read_log`` and
  ``rc.activity_features``;
* ``wide_analyze``: the same, then ``rc.analyze`` (discovery replays a Petri net with
  10,000 transitions, which pm4py's token replay does in time quadratic in its size);
* ``bomb``: a 5 MB ``.csv.gz`` that inflates to 5 GiB, refused at the 4 GiB default
  ``max_bytes``: seconds to the refusal.

Printed: seconds per phase and peak memory; written to ``benchmarks/results/hostile.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import measure, peak_mb

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE.parent / "tests" / "hostile"))


def _run(kind: str, folder: str) -> dict:
    import warnings

    from generate import activity_log_csv, gzip_bomb

    import rpa_candidates as rc

    warnings.simplefilter("ignore")
    os.environ["PM4PY_SHOW_PROGRESS_BAR"] = "false"
    rc.set_progress(False)
    phases: dict[str, float] = {}
    if kind == "bomb":
        path = gzip_bomb(Path(folder) / "bomb.csv.gz", head=b"case;activity;timestamp\n", gib=5)
        t = time.perf_counter()
        try:
            rc.read_log(path)
        except rc.LogFormatError:
            phases["refused"] = time.perf_counter() - t
        else:
            raise SystemExit("the bomb was read instead of refused")
    else:
        path = activity_log_csv(Path(folder) / "wide.csv", n_activities=10_000, n_cases=500)
        t = time.perf_counter()
        log = rc.read_log(path)
        phases["read"] = time.perf_counter() - t
        t = time.perf_counter()
        rc.activity_features(log)
        phases["features"] = time.perf_counter() - t
        if kind == "wide_analyze":
            t = time.perf_counter()
            rc.analyze(log)
            phases["analyze"] = time.perf_counter() - t
    return {
        "kind": kind,
        "seconds": {k: round(v, 2) for k, v in phases.items()},
        "peak_mb": round(peak_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-analyze", action="store_true")
    parser.add_argument("--run", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(_run(*args.run)))
        return
    kinds = ["wide", "bomb"] if args.skip_analyze else ["wide", "wide_analyze", "bomb"]
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for kind in kinds:
            result = measure(__file__, kind, Path(folder))
            results.append(result)
            if "seconds" not in result:
                print(f"{kind:<13} failed: {result.get('error', '')}")
                continue
            phases = "  ".join(f"{k} {v:.2f} s" for k, v in result["seconds"].items())
            print(f"{kind:<13} {phases}  peak {result['peak_mb']:,} MB")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "hostile.json").write_text(json.dumps({"results": results}, indent=2))
    print(f"\nwritten: {RESULTS / 'hostile.json'}")


if __name__ == "__main__":
    main()
