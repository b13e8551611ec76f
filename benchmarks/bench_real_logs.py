"""Where the time goes on the real logs towns have (issue #16, item 3: the profile).

For every real log of ``../shared/sample-data``: ``rc.read_log`` + ``rc.analyze`` per phase
(the phases of ``bench_e2e.py``: read, features incl. the one preparation, model_fit,
scoring, relief, discovery, other) and the two report renderings, each log in a fresh
process, the median of ``--repeat`` runs (default 3). Printed as one table with the
dominant phase per log; written to ``benchmarks/results/real_logs.json``.

Run: ``PYTHONPATH=src python benchmarks/bench_real_logs.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from _common import measure

HERE = Path(__file__).resolve().parent
SAMPLE_DATA = HERE.parent.parent / "shared" / "sample-data"
PHASES = ("read", "features", "model_fit", "scoring", "relief", "discovery", "other")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for path in sorted(SAMPLE_DATA.glob("*.xes.gz")) + sorted(SAMPLE_DATA.glob("*.csv.gz")):
        runs = [measure(str(HERE / "bench_e2e.py"), "rc", path) for _ in range(args.repeat)]
        good = [r for r in runs if "error" not in r]
        if not good:
            rows.append({"log": path.name, "error": runs[-1].get("error")})
            print(f"{path.name}: {runs[-1].get('error')}")
            continue
        seconds = {p: statistics.median(r["seconds"][p] for r in good) for p in PHASES}
        html = [r["report_seconds"].get("to_html") for r in good]
        row = {
            "log": path.name,
            "events": good[0]["rows"],
            "activities": good[0]["activities"],
            "seconds": seconds,
            "end_to_end_s": statistics.median(r["end_to_end_seconds"] for r in good),
            "to_html_s": statistics.median(h for h in html if isinstance(h, float))
            if any(isinstance(h, float) for h in html)
            else None,
            "peak_mb": max(r["peak_mb"] for r in good),
        }
        row["dominant"] = max(PHASES, key=lambda p: seconds[p])
        rows.append(row)
        parts = "  ".join(f"{p} {seconds[p]:.2f}" for p in PHASES)
        print(
            f"{path.name:<36} {row['events']:>8,} ev  e2e {row['end_to_end_s']:6.2f} s  "
            f"({parts})  html {row['to_html_s'] or float('nan'):.2f} s  "
            f"dominant: {row['dominant']}"
        )
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "real_logs.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
