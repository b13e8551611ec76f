"""Import time of the package (issue #16: ``import rpa_candidates`` in at most 1.0 s).

Each figure is the median wall time of fresh interpreter processes (``--repeat`` runs,
default 15, after one warm-up), so caches of an earlier import do not count:

* ``python -c pass``: the interpreter alone (the floor);
* ``import rpa_candidates``: what a notebook or the command line pays first;
* ``from rpa_candidates import *``: every public name loaded (what the package imported
  eagerly before the names were made lazy);
* ``import pm4py``: for comparison, the library the analysis builds on.

Run: ``python benchmarks/bench_import.py [--repeat N]``; prints one line per figure and the
target, and writes ``benchmarks/results/import.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 1.0
CASES = {
    "python": "pass",
    "import rpa_candidates": "import rpa_candidates",
    "all public names": "from rpa_candidates import *",
    "import pm4py": "import pm4py",
}


def wall(code: str, repeat: int) -> list[float]:
    env = {**os.environ, "PM4PY_SHOW_PROGRESS_BAR": "false"}
    times = []
    for i in range(repeat + 1):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)
        if i:  # the first run warms the file cache
            times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    results = {}
    for name, code in CASES.items():
        times = wall(code, args.repeat)
        results[name] = {"median_s": statistics.median(times), "min_s": min(times)}
        print(f"{name:<24} median {statistics.median(times):6.3f} s  (min {min(times):.3f} s)")
    own = results["import rpa_candidates"]["median_s"]
    print(
        f"import rpa_candidates: {own:.3f} s, target <= {TARGET_SECONDS:.1f} s: "
        f"{'met' if own <= TARGET_SECONDS else 'NOT met'}; "
        f"{results['all public names']['median_s'] / own:.0f}x faster than loading every name"
    )
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "import.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
