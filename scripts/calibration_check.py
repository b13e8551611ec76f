"""Measure calibration methods of ``AutomatabilityModel`` under leave-one-log-out.

Run from the repository root (the package need not be installed)::

    python scripts/calibration_check.py

For every held-out real log the model is fitted on the other groups of the corpus, and a
calibration map is fitted on the *inner* leave-one-group-out predictions of those training
groups only, so the held-out log never informs its own calibration. Methods:

* ``None``, ``"sigmoid"``, ``"temperature"``: the model's own ``calibration`` parameter,
  weighted as the model (``corpus_weights``), read from ``cv_report_``;
* ``isotonic`` (scikit-learn ``IsotonicRegression`` on the same inner predictions), and
  sigmoid / temperature fitted on the inner predictions of the *real* training groups only:
  variants not in the model, for comparison.

Printed per method: AUC per held-out real log, pooled AUC, expected calibration error and
Brier score on the held-out real logs. Deterministic; a few minutes on two cores.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import roc_auc_score

REPO = Path(__file__).resolve().parents[1]
try:
    import rpa_candidates  # noqa: F401
except ImportError:  # running from a source checkout without installation
    sys.path.insert(0, str(REPO / "src"))

from rpa_candidates.scoring._calibration import (  # noqa: E402
    apply_calibration,
    fit_calibration,
    inner_predictions,
)
from rpa_candidates.scoring._cv import _summary  # noqa: E402
from rpa_candidates.scoring.corpus import corpus_weights, load_corpus  # noqa: E402
from rpa_candidates.scoring.model import AutomatabilityModel  # noqa: E402

REAL = ("bpic2012", "bpic2019", "receipt")


def _row(name: str, groups: np.ndarray, y: np.ndarray, p: np.ndarray) -> dict:
    s = _summary(y, p)
    per = {f"AUC {g}": roc_auc_score(y[groups == g], p[groups == g]) for g in REAL}
    return {"method": name, **per, "pooled real": s["pooled_auc"], "ECE": s["ece"],
            "Brier": s["brier"]}  # fmt: skip


def model_methods(corpus: pd.DataFrame) -> list[dict]:
    """The model's ``calibration`` options, from its leave-one-group-out report."""
    rows = []
    for method in (None, "sigmoid", "temperature"):
        model = AutomatabilityModel(calibration=method, n_repeats=1).fit(
            corpus, corpus["target"], groups=corpus["group"], sample_weight=corpus_weights(corpus)
        )
        pred = model.cv_report_.restrict(REAL).predictions
        rows.append(_row(f"model, calibration={method!r}", pred["group"].to_numpy(),
                         pred["y"].to_numpy(), pred["proba"].to_numpy()))  # fmt: skip
    return rows


def other_methods(corpus: pd.DataFrame) -> list[dict]:
    """Isotonic, and sigmoid / temperature fitted on the real training groups only."""
    weight = corpus_weights(corpus)
    groups = corpus["group"].to_numpy()
    out: dict[str, list[np.ndarray]] = {}
    truth, held = [], []
    for group in REAL:
        train = np.flatnonzero(groups != group)
        test = np.flatnonzero(groups == group)
        tr = corpus.iloc[train].reset_index(drop=True)
        y_tr = tr["target"].to_numpy()
        w_tr = weight[train]
        model = AutomatabilityModel(calibration=None, cv=None).fit(tr, y_tr, sample_weight=w_tr)
        cols = model._frame(tr, model.feature_names_in_)
        inner = inner_predictions(model, cols, y_tr, w_tr, groups[train])
        raw = model.predict_proba(corpus.iloc[test])[:, 1]
        real = (tr["kind"] == "real").to_numpy()
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
        iso.fit(inner, y_tr, sample_weight=w_tr)
        out.setdefault("isotonic, all training groups", []).append(iso.predict(raw))
        for method in ("sigmoid", "temperature"):
            ab = fit_calibration(inner[real], y_tr[real], w_tr[real], method=method)
            out.setdefault(f"{method}, real training groups only", []).append(
                apply_calibration(raw, ab)
            )
        truth.append(corpus["target"].to_numpy()[test])
        held.append(groups[test])
    y, g = np.concatenate(truth), np.concatenate(held)
    return [_row(name, g, y, np.concatenate(ps)) for name, ps in out.items()]


def main() -> None:
    corpus = load_corpus()
    table = pd.DataFrame(model_methods(corpus) + other_methods(corpus))
    head = "| " + " | ".join(table.columns) + " |"
    print(head)
    print("|" + "|".join("---" for _ in table.columns) + "|")
    for row in table.itertuples(index=False):
        cells = [row[0], *(f"{v:.3f}" for v in row[1:])]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
