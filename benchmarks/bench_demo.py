"""The demo as a user starts it, and the floor under it (issue #16: demo ≤ 4 s).

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_demo.py [--repeat N]

Times, each in fresh processes, the median of ``--repeat`` runs (default 5) after one
warm-up run (which also fills the lemma cache, ``features/_lemma_cache.py``):

* ``demo``: ``python -m rpa_candidates.cli demo`` in an empty folder (read the bundled
  sample export, analyse, write the four report formats), the whole process;
* ``imports``: ``python -c "import pandas, polars, sklearn.linear_model, pm4py,
  matplotlib.pyplot, openpyxl, jinja2"``, the third-party imports the demo needs, whatever
  the project's own code does: the floor of the whole command;
* ``python``: ``python -c pass``.

Written to ``benchmarks/results/demo.json``; ``run_all.py`` puts the figures in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMANDS = {
    "demo": [sys.executable, "-m", "rpa_candidates.cli", "demo"],
    "imports": [
        sys.executable,
        "-c",
        "import pandas, polars, sklearn.linear_model, pm4py, matplotlib.pyplot, openpyxl, jinja2",
    ],
    "python": [sys.executable, "-c", "pass"],
}


def _once(command: list[str], folder: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        command,
        cwd=folder,
        check=True,
        capture_output=True,
        env={**os.environ, "PM4PY_SHOW_PROGRESS_BAR": "false"},
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    out: dict[str, object] = {"load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as folder:
        for name, command in COMMANDS.items():
            _once(command, folder)  # warm-up: disk caches, the lemma cache
            runs = [_once(command, folder) for _ in range(args.repeat)]
            out[name] = {"median_s": round(statistics.median(runs), 3), "runs": runs}
            low, high = min(runs), max(runs)
            print(f"{name:<8} median {statistics.median(runs):6.2f} s  ({low:.2f}–{high:.2f})")
    out["load_after"] = os.getloadavg()[0]
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "demo.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
