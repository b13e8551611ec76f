"""Regenerate the synthetic sample logs in this folder.

Run from the repository root (the package need not be installed)::

    python sample_logs/regenerate.py

The output is deterministic: the same library version writes the same files.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
try:
    from rpa_candidates import synth
except ImportError:  # running from a source checkout without installation
    sys.path.insert(0, str(HERE.parent / "src"))
    from rpa_candidates import synth

SEED = 2025


def main() -> None:
    """Write wohngeld_export.csv, gewerbeanmeldung.xes.gz and eingangsrechnung.parquet."""
    wohngeld = synth.simulate("wohngeld", n_cases=400, seed=SEED, start="2025-01-06", days=365)
    wohngeld.write_csv(HERE / "wohngeld_export.csv")  # German export: cp1252, ';', decimal comma

    gewerbe = synth.simulate(
        "gewerbeanmeldung", n_cases=300, seed=SEED, start="2025-01-06", days=365
    )
    gewerbe.write_xes(HERE / "gewerbeanmeldung.xes.gz", lifecycle=True)

    rechnung = synth.simulate(
        "eingangsrechnung",
        n_cases=500,
        seed=SEED,
        start="2025-01-06",
        days=365,
        resource_names="opaque",
    )
    rechnung.write_parquet(HERE / "eingangsrechnung.parquet")

    for log, name in (
        (wohngeld, "wohngeld"),
        (gewerbe, "gewerbeanmeldung"),
        (rechnung, "eingangsrechnung"),
    ):
        log.truth.to_csv(HERE / f"{name}_truth.csv", index=False)
        print(f"{name}: {log.n_cases} cases, {len(log.events)} events")


if __name__ == "__main__":
    main()
