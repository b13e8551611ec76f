"""Write (or check) the JSON report of every sample log: the behaviour-preservation record.

``python scripts/json_snapshots.py write`` writes ``tests/snapshots/<log>.json`` for each
log in :data:`LOGS`; ``tests/test_snapshots.py`` recomputes them and compares (floats
within 1e-9 relative). Regenerate deliberately, with the reason in the commit message,
when a change is meant to alter the figures.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO.parent / "shared" / "sample-data"
SNAPSHOTS = REPO / "tests" / "snapshots"

#: name -> path; the bundled samples and the real logs that analyse in seconds.
LOGS = {
    "wohngeld_export": REPO / "sample_logs" / "wohngeld_export.csv",
    "eingangsrechnung": REPO / "sample_logs" / "eingangsrechnung.parquet",
    "gewerbeanmeldung": REPO / "sample_logs" / "gewerbeanmeldung.xes.gz",
    "receipt": REPO / "sample_logs" / "receipt.xes.gz",
    "running-example": SAMPLE_DATA / "running-example.xes.gz",
    "receipt_csv": SAMPLE_DATA / "receipt.csv.gz",
    "T_BPIC15_2": SAMPLE_DATA / "T_BPIC15_2.xes.gz",
    "BPI_Challenge_2012_W_Two_TS": SAMPLE_DATA / "BPI_Challenge_2012_W_Two_TS.xes.gz",
}


def report_json(path: Path) -> str:
    """``Analysis.to_json()`` of ``rc.analyze(rc.read_log(path))`` with default options."""
    import rpa_candidates as rc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rc.analyze(rc.read_log(path)).to_json()


def main(argv: list[str]) -> int:
    mode = argv[1] if len(argv) > 1 else "write"
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in LOGS.items():
        if not path.exists():
            print(f"{name}: missing {path}, skipped")
            continue
        t0 = time.perf_counter()
        text = report_json(path)
        target = SNAPSHOTS / f"{name}.json"
        if mode == "write":
            target.write_text(text, encoding="utf-8")
        else:
            same = target.exists() and target.read_text(encoding="utf-8") == text
            print(f"{name}: {'identical' if same else 'DIFFERENT'}")
        print(f"{name}: {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
