"""Discovery within its budget on every real log and on an unstructured one (issue #16).

For each log: ``rc.discover`` in a fresh process, with the miner it chose, the work
estimate of IMf (``A² · Σ_v |v|``, bound ``max_variant_miner_work``), the Petri net's
transitions (bound ``max_replay_transitions``), the fitness method and how much token
replay covered. The logs: every real log of ``../shared/sample-data`` and a generated log
of 400 activities in 2,000 cases whose variants are all unique (the shape of a real
municipal export that made token replay run for more than 20 minutes).

Run: ``python benchmarks/bench_discovery.py``; writes ``benchmarks/results/discovery.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from _common import measure, peak_mb

HERE = Path(__file__).resolve().parent
SAMPLE_DATA = HERE.parent.parent / "shared" / "sample-data"
sys.path.insert(0, str(HERE.parent / "tests"))


def _run(path: str) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    import rpa_candidates as rc
    from rpa_candidates.mining._pm4py_discovery import miner_work

    log = rc.read_log(path)
    t = time.perf_counter()
    model = rc.discover(log)
    seconds = time.perf_counter() - t
    f = model.fitness
    return {
        "log": Path(path).name,
        "activities": len(model.activities),
        "variants": len(model.variants),
        "miner": model.miner,
        "miner_work": miner_work(model.variants),
        "transitions": len(model.petri_net[0].transitions),
        "fitness_method": f["method"],
        "log_fitness": round(f["log_fitness"], 4),
        "variants_replayed": f["variants_replayed"],
        "case_coverage": round(f["case_coverage"], 4),
        "stopped_by": f["stopped_by"],
        "discover_s": round(seconds, 2),
        "peak_mb": round(peak_mb(), 1),
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--run":
        print(json.dumps(_run(sys.argv[3])))
        return
    from test_bounded_discovery import unstructured_log

    with tempfile.TemporaryDirectory() as folder:
        generated = Path(folder) / "unstructured_400.csv"
        unstructured_log(400, 2000).to_csv(generated, index=False)
        paths = [*sorted(SAMPLE_DATA.glob("*.xes.gz")), generated]
        rows = [measure(__file__, "discover", p) for p in paths]
    for r in rows:
        if "error" in r:
            print(r)
            continue
        print(
            f"{r['log']:<38} {r['activities']:>4} act {r['variants']:>6} var  "
            f"{r['miner']:<4} work {r['miner_work']:.1e}  {r['transitions']:>4} trans  "
            f"{r['fitness_method']:<12} fit {r['log_fitness']:.3f} "
            f"cov {r['case_coverage']:.2f} stop {r['stopped_by']}  {r['discover_s']:6.1f} s"
        )
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "discovery.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
