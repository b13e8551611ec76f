"""Build the training corpus of ``rc.AutomatabilityModel``: data/training_corpus.csv.

Run from the repository root (the package need not be installed)::

    python scripts/build_corpus.py [--sample-data ../shared/sample-data] [--out PATH]

Three label sources, one row per (log, activity):

1. ``hand``: the activities of the real logs in ``../shared/sample-data`` with the labels of
   ``data/labels_real.csv`` (guideline: ``docs/labeling.md``); ``unknown`` labels are left out.
2. ``synth``: the activities of simulated logs (``rc.synth.simulate``) of every process in
   ``rc.synth.PROCESSES``, seeds :data:`SYNTH_SEEDS`, both ``resource_names`` modes, with
   the simulator's ground truth.
3. ``weak``: a step of a real log without a hand label whose ``automation_rate`` is at least
   :data:`WEAK_AUTOMATION_RATE` counts as ``automated``, but only in a log whose resource
   classification separates people from system users (some activity with a resource has
   ``automation_rate`` ≤ :data:`WEAK_SEPARATION_RATE`; in ``T_BPIC15_2`` every employee
   looks automated because the timestamps are day-granular, so that log gives no weak labels).

The output is deterministic: the same library version and sample data give the same file.
The synthetic seeds here must differ from those of the rank test in tests/test_model.py.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
try:
    import rpa_candidates as rc
except ImportError:  # running from a source checkout without installation
    sys.path.insert(0, str(REPO / "src"))
    import rpa_candidates as rc

from rpa_candidates.scoring.corpus import CORPUS_COLUMNS, POSITIVE_CLASSES  # noqa: E402

#: Real logs: file name -> (log id of data/labels_real.csv, cross-validation group, kind).
#: receipt.csv.gz is the same log as receipt.xes.gz and is not read twice.
REAL_LOGS: dict[str, tuple[str, str, str]] = {
    "BPI_Challenge_2012.xes.gz": ("BPI_Challenge_2012", "bpic2012", "real"),
    "BPI_Challenge_2012_W_Two_TS.xes.gz": ("BPI_Challenge_2012_W_Two_TS", "bpic2012", "real"),
    "bpic2019_1t_per_variant.xes.gz": ("bpic2019_1t_per_variant", "bpic2019", "real"),
    "receipt.xes.gz": ("receipt", "receipt", "real"),
    "T_BPIC15_2.xes.gz": ("T_BPIC15_2", "bpic2015_2", "real"),
    "running-example.xes.gz": ("running-example", "running-example", "textbook"),
}
#: Seeds of the simulated training logs (the tests use other seeds, see tests/test_model.py).
SYNTH_SEEDS = (11, 12, 13)
SYNTH_CASES = 300
WEAK_AUTOMATION_RATE = 0.9
WEAK_SEPARATION_RATE = 0.1


def _features(log: rc.EventLog) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.activity_features(log)


def weak_labels(features: pd.DataFrame) -> pd.Series:
    """``True`` where a step counts as automated by the weak rule (see module docstring)."""
    rate = features["automation_rate"]
    if not (rate.dropna() <= WEAK_SEPARATION_RATE).any():
        return pd.Series(False, index=features.index)
    return rate.fillna(0.0) >= WEAK_AUTOMATION_RATE


def real_rows(sample_data: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hand- and weak-labelled rows of the real logs, and a summary of every log."""
    labels = pd.read_csv(REPO / "src" / "rpa_candidates" / "data" / "labels_real.csv")
    rows, summary = [], []
    for name, (log_id, group, kind) in REAL_LOGS.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rc.DataQualityWarning)
            log = rc.read_log(sample_data / name)
        feats = _features(log)
        own = labels[labels["log"] == log_id].set_index("activity")["label"]
        missing = sorted(set(feats["activity"]) - set(own.index))
        if missing:
            raise SystemExit(f"{log_id}: activities without a label in labels_real.csv: {missing}")
        feats.insert(0, "label", feats["activity"].map(own))
        weak = weak_labels(feats)
        source = np.where(feats["label"] != "unknown", "hand", np.where(weak, "weak", ""))
        feats["label"] = np.where(source == "weak", "automated", feats["label"])
        feats.insert(0, "label_source", source)
        feats.insert(0, "kind", kind)
        feats.insert(0, "group", group)
        feats.insert(0, "log", log_id)
        summary.append(
            {
                "log": log_id,
                "activities": len(feats),
                "hand": int((source == "hand").sum()),
                "weak": int((source == "weak").sum()),
                "excluded_unknown": int((source == "").sum()),
                "weak_rule_agrees_with_hand": int(
                    (weak & (source == "hand") & feats["label"].isin(POSITIVE_CLASSES)).sum()
                ),
                "weak_rule_on_hand_rows": int((weak & (source == "hand")).sum()),
            }
        )
        rows.append(feats[source != ""])
    return pd.concat(rows, ignore_index=True), pd.DataFrame(summary)


def synth_rows() -> pd.DataFrame:
    """Rows of the simulated logs with the simulator's ground truth."""
    rows = []
    for process in sorted(rc.synth.PROCESSES):
        for seed in SYNTH_SEEDS:
            for mode in ("realistic", "opaque"):
                sim = rc.synth.simulate(
                    process, n_cases=SYNTH_CASES, seed=seed, resource_names=mode
                )
                feats = _features(rc.read_log(sim.events))
                truth = sim.truth.set_index("activity")["label_class"]
                feats.insert(0, "label", feats["activity"].map(truth))
                feats.insert(0, "label_source", "synth")
                feats.insert(0, "kind", "synth")
                feats.insert(0, "group", f"synth:{process}")
                feats.insert(0, "log", f"synth:{process}:{seed}:{mode}")
                rows.append(feats)
    return pd.concat(rows, ignore_index=True)


def build(sample_data: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The corpus (columns :data:`CORPUS_COLUMNS`) and the per-log summary of real logs."""
    real, summary = real_rows(sample_data)
    corpus = pd.concat([real, synth_rows()], ignore_index=True)
    corpus.insert(5, "target", corpus["label"].isin(POSITIVE_CLASSES).astype(int))
    return corpus[CORPUS_COLUMNS], summary


def relabel(corpus: pd.DataFrame) -> pd.DataFrame:
    """The corpus with its ``label_*`` columns recomputed from the activity names.

    The label indicators depend on the names of a log only (``rc.features.labels``), so a
    change of the action lexicon or reader needs no new simulation and no log reading:
    ``python scripts/build_corpus.py --relabel``.
    """
    from rpa_candidates.features.labels import classify_labels

    out = corpus.copy()
    columns = [c for c in CORPUS_COLUMNS if c.startswith("label_") and c != "label_source"]
    for _, rows in out.groupby("log", sort=False):
        table = classify_labels(rows["activity"]).set_index("activity")
        out.loc[rows.index, columns] = table.loc[rows["activity"], columns].to_numpy(float)
    return out[CORPUS_COLUMNS]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample-data", type=Path, default=REPO.parent / "shared" / "sample-data")
    parser.add_argument(
        "--out", type=Path, default=REPO / "src" / "rpa_candidates" / "data" / "training_corpus.csv"
    )
    parser.add_argument(
        "--relabel", action="store_true", help="only recompute the label_* columns from the names"
    )
    args = parser.parse_args(argv)
    if args.relabel:
        stored = pd.read_csv(args.out)
        for column in CORPUS_COLUMNS:
            if column not in stored:
                stored[column] = np.nan
        corpus = relabel(stored)
        corpus.to_csv(args.out, index=False, float_format="%.6g", lineterminator="\n")
        print(f"relabelled {len(corpus)} rows of {args.out}")
        return
    corpus, summary = build(args.sample_data)
    corpus.to_csv(args.out, index=False, float_format="%.6g", lineterminator="\n")
    print(summary.to_string(index=False))
    print(corpus.groupby(["label_source", "label"]).size().to_string())
    print(f"wrote {len(corpus)} rows to {args.out}")


if __name__ == "__main__":
    main()
