"""Print the evaluation of the default ``AutomatabilityModel`` as Markdown (docs/model.md).

Run from the repository root (the package need not be installed)::

    python scripts/model_report.py            # print the tables
    python scripts/model_report.py --write    # also replace them in docs/model.md

Everything is deterministic: the same library version and corpus give the same numbers.
The tables go between the markers ``<!-- BEGIN model_report -->`` and
``<!-- END model_report -->`` of docs/model.md.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

REPO = Path(__file__).resolve().parents[1]
try:
    import rpa_candidates as rc
except ImportError:  # running from a source checkout without installation
    sys.path.insert(0, str(REPO / "src"))
    import rpa_candidates as rc

from rpa_candidates.scoring.corpus import corpus_weights, load_corpus  # noqa: E402
from rpa_candidates.scoring.model import AutomatabilityModel, default_model  # noqa: E402

REAL = ("bpic2012", "bpic2019", "receipt")
RANK_SEEDS = (101, 102, 103, 104, 105)  # as in tests/test_model.py, not the training seeds
BEGIN, END = "<!-- BEGIN model_report -->", "<!-- END model_report -->"
FLOW = [
    "case_share",
    "executions_per_case",
    "handling_median_minutes",
    "handling_cv",
    "predecessor_standardisation",
    "successor_standardisation",
    "successor_entropy",
    "rework_rate",
    "self_loop_rate",
    "exception_rate",
    "handover_rate",
    "decision_determinism",
    "decision_successors",
    "label_mechanical",
    "label_judgement",
    "label_physical",
    "label_communication",
    "label_system",
]


def _md(frame: pd.DataFrame, digits: int = 3) -> str:
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: "–" if pd.isna(v) else f"{v:.{digits}f}")
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def _human_only_auc(report, corpus: pd.DataFrame) -> float:
    pred = report.predictions
    pred = pred[pred["group"].isin(REAL)]
    keep = corpus["label"].to_numpy()[pred["row"]] != "automated"
    return float(roc_auc_score(pred["y"][keep], pred["proba"][keep]))


def _raw_auc(report) -> float:
    pred = report.predictions
    return float(roc_auc_score(pred["y"], pred["proba_uncalibrated"]))


def _fit(corpus: pd.DataFrame, weight: np.ndarray | None, **params) -> AutomatabilityModel:
    return AutomatabilityModel(n_repeats=1, **params).fit(
        corpus, corpus["target"], groups=corpus["group"], sample_weight=weight
    )


def ablation(corpus: pd.DataFrame) -> pd.DataFrame:
    """Leave-one-log-out AUCs of variants of the default settings."""
    weight = corpus_weights(corpus)
    variants = {
        "default": ({}, weight),
        "real_weight=1 (groups equal)": ({}, corpus_weights(corpus, real_weight=1.0)),
        "no sample weights": ({}, None),
        "no blanking (mask_automated=None)": ({"mask_automated": None}, weight),
        "name only (text + lexicon shares)": (
            {"features": [c for c in FLOW if c.startswith("label_")]},
            weight,
        ),
        "text n-grams only": ({"features": []}, weight),
        "indicators only (text_weight=0)": ({"text_weight": 0.0}, weight),
        "+ flow, volume and rework indicators (first plan)": ({"features": FLOW}, weight),
        "all catalogue indicators (leaky)": ({"features": "all", "mask_automated": None}, weight),
        "C=0.3": ({"C": 0.3}, weight),
        "C=3": ({"C": 3.0}, weight),
        "no status blanking (mask_status=None)": ({"mask_status": None}, weight),
        "no calibration (calibration=None)": ({"calibration": None}, weight),
        "calibration='temperature'": ({"calibration": "temperature"}, weight),
    }
    rows = []
    for name, (params, w) in variants.items():
        report = _fit(corpus, w, **params).cv_report_
        real = report.restrict(REAL)
        auc = real.auc.set_index("group")["auc"]
        rows.append(
            {
                "variant": name,
                **{f"AUC {g}": auc.get(g, np.nan) for g in REAL},
                "pooled real": real.pooled_auc,
                "pooled real, uncalibrated": _raw_auc(real),
                "pooled real, human steps": _human_only_auc(report, corpus),
                "ECE real": real.ece,
                "ECE real, uncalibrated": real.ece_uncalibrated,
            }
        )
    return pd.DataFrame(rows)


def _rank_check(model: AutomatabilityModel, process: str) -> tuple[bool, float]:
    ok, aucs = True, []
    for seed in RANK_SEEDS:
        mode = "opaque" if seed % 2 else "realistic"
        sim = rc.synth.simulate(process, n_cases=150, seed=seed, resource_names=mode)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rc.DataQualityWarning)
            features = rc.activity_features(rc.read_log(sim.events))
        truth = sim.truth.set_index("activity").loc[features["activity"]]
        proba = model.predict_proba(features)[:, 1]
        auto = truth["automatable"].to_numpy(bool)
        cognitive = (truth["label_class"] == "cognitive").to_numpy()
        ok &= bool(proba[auto].min() > proba[cognitive].max())
        aucs.append(roc_auc_score(auto, proba))
    return ok, float(np.mean(aucs))


def rank_tests(corpus: pd.DataFrame) -> pd.DataFrame:
    """The issue's rank test for the default model and for leave-one-process-out models."""
    rows = []
    model = default_model(report=True)
    for process in sorted(rc.synth.PROCESSES):
        ok, auc = _rank_check(model, process)
        rest = corpus[corpus["group"] != f"synth:{process}"].reset_index(drop=True)
        held_out = AutomatabilityModel().fit(
            rest,
            rest["target"],
            groups=rest["group"],
            sample_weight=corpus_weights(rest),
            report=False,
        )
        ok_lopo, auc_lopo = _rank_check(held_out, process)
        rows.append(
            {
                "process": process,
                "default: all automatable > all cognitive": "yes" if ok else "no",
                "default: mean AUC": auc,
                "process held out: all automatable > all cognitive": "yes" if ok_lopo else "no",
                "process held out: mean AUC": auc_lopo,
            }
        )
    return pd.DataFrame(rows)


def report_markdown() -> str:
    corpus = load_corpus()
    model = default_model(report=True)
    report = model.cv_report_
    real = report.restrict(REAL)
    counts = (
        corpus.groupby(["group", "label_source", "label"])
        .size()
        .unstack("label", fill_value=0)
        .reset_index()
    )
    auc = report.auc.copy()
    auc["kind"] = auc["group"].map(corpus.groupby("group")["kind"].first())
    lines = [
        BEGIN,
        "",
        "_Generated by `python scripts/model_report.py --write`; do not edit by hand._",
        "",
        "### Corpus",
        "",
        _md(counts),
        "",
        f"{len(corpus)} rows; target 1 (automatable) in {int(corpus['target'].sum())}.",
        "",
        "### Leave-one-log-out AUC of the default model",
        "",
        _md(auc[["group", "kind", "n", "n_positive", "auc", "note"]]),
        "",
        f"- pooled over the held-out **real** logs ({', '.join(REAL)}): "
        f"**{real.pooled_auc:.3f}** ({len(real.predictions)} activities)",
        "- pooled over the held-out real logs, human steps only (hand label not "
        f"`automated`): **{_human_only_auc(report, corpus):.3f}**",
        f"- pooled over all held-out groups (real, textbook, synthetic): {report.pooled_auc:.3f}",
        "- pooled over the held-out real logs before calibration: "
        f"{_raw_auc(real):.3f} (the calibration map is monotone, so the AUC of each log "
        "is unchanged; the pooled AUC moves because each fold has its own map)",
        "",
        "### Calibration on the held-out real logs",
        "",
        f"Calibration `{model.calibration}` (slope, intercept on the logit of the default "
        f"model: {model.calibration_[0]:.3f}, {model.calibration_[1]:.3f}), fitted on inner "
        "leave-one-group-out predictions of the training groups of each fold.",
        "",
        "| | Brier real | ECE real | Brier all groups | ECE all groups |",
        "|---|---|---|---|---|",
        f"| before calibration | {real.brier_uncalibrated:.3f} | {real.ece_uncalibrated:.3f} | "
        f"{report.brier_uncalibrated:.3f} | {report.ece_uncalibrated:.3f} |",
        f"| after calibration | {real.brier:.3f} | {real.ece:.3f} | {report.brier:.3f} | "
        f"{report.ece:.3f} |",
        "",
        "Reliability table after calibration (held-out real logs):",
        "",
        _md(real.calibration),
        "",
        "### Permutation importances (drop of the pooled out-of-fold AUC, all groups)",
        "",
        _md(report.importances, digits=4),
        "",
        "### Ablation (leave-one-log-out on the same corpus)",
        "",
        _md(ablation(corpus)),
        "",
        f"### Synthetic rank test (seeds {', '.join(map(str, RANK_SEEDS))}, 150 cases)",
        "",
        _md(rank_tests(corpus)),
        "",
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/model.md")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", rc.DataQualityWarning)
    text = report_markdown()
    print(text)
    if args.write:
        path = REPO / "docs" / "model.md"
        doc = path.read_text(encoding="utf-8")
        if BEGIN not in doc or END not in doc:
            raise SystemExit(f"{path} lacks the markers {BEGIN} / {END}.")
        head, rest = doc.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        path.write_text(head + text + tail, encoding="utf-8")
        print(f"updated {path}")


if __name__ == "__main__":
    main()
