"""Cross-validation report of :class:`~rpa_candidates.scoring.model.AutomatabilityModel`.

:func:`cross_validate` refits clones of a model on folds (leave-one-group-out when groups
are given, stratified k-fold otherwise), keeps the out-of-fold probabilities, and derives
from them the AUC per held-out group and pooled, a calibration table and permutation
importances. :class:`CVReport` holds the tables and can be restricted to some groups
(e.g. only the real logs of the corpus).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold

from ..core.errors import ParameterError

__all__ = ["CVReport", "calibration_table", "cross_validate"]

_BINS = 10


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    return float(roc_auc_score(y, p)) if len(np.unique(y)) == 2 else float("nan")


def calibration_table(y: np.ndarray, p: np.ndarray, *, bins: int = _BINS) -> pd.DataFrame:
    r"""Reliability table: predictions in ``bins`` equal-width bins of [0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per non-empty bin: ``bin_low``, ``bin_high``, ``mean_predicted``
        (:math:`\bar p_b`), ``observed_share`` (:math:`\bar y_b`, share of automatable
        steps), ``count`` (:math:`n_b`).
    """
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    rows = []
    for b in range(bins):
        mask = index == b
        if mask.any():
            rows.append(
                {
                    "bin_low": edges[b],
                    "bin_high": edges[b + 1],
                    "mean_predicted": float(p[mask].mean()),
                    "observed_share": float(y[mask].mean()),
                    "count": int(mask.sum()),
                }
            )
    return pd.DataFrame(
        rows, columns=["bin_low", "bin_high", "mean_predicted", "observed_share", "count"]
    )


@dataclass(frozen=True, repr=False)
class CVReport:
    r"""Out-of-fold evaluation of a model (``AutomatabilityModel.cv_report_``).

    Attributes
    ----------
    scheme : str
        ``"leave-one-group-out"`` or ``"stratified k-fold (k=…)"``.
    auc : pandas.DataFrame
        One row per held-out group (or fold): ``group``, ``n``, ``n_positive``, ``auc``
        (ROC AUC of the out-of-fold probabilities; NaN when the group has one class only),
        ``note``.
    pooled_auc : float
        ROC AUC over all out-of-fold probabilities together.
    calibration : pandas.DataFrame
        :func:`calibration_table` of the out-of-fold probabilities.
    brier : float
        Brier score :math:`\frac{1}{n}\sum_i (p_i - y_i)^2`.
    ece : float
        Expected calibration error :math:`\sum_b \frac{n_b}{n} |\bar y_b - \bar p_b|`.
    brier_uncalibrated, ece_uncalibrated : float
        The same of the probabilities before the model's ``calibration`` map (equal to
        ``brier`` and ``ece`` when ``calibration`` is None).
    importances : pandas.DataFrame
        ``feature``, ``mean``, ``std``: drop of the pooled out-of-fold AUC when the input
        column is permuted within each held-out fold (``activity`` = the name block),
        over ``n_repeats`` permutations; sorted by ``mean`` descending.
    predictions : pandas.DataFrame
        ``row`` (position in the fitted data), ``group``, ``y``, ``proba``,
        ``proba_uncalibrated``.
    """

    scheme: str
    auc: pd.DataFrame
    pooled_auc: float
    calibration: pd.DataFrame
    brier: float
    ece: float
    brier_uncalibrated: float
    ece_uncalibrated: float
    importances: pd.DataFrame
    predictions: pd.DataFrame

    def restrict(self, groups: Iterable[Any]) -> CVReport:
        """The same report on the out-of-fold predictions of ``groups`` only.

        AUC rows, pooled AUC, calibration, Brier score and ECE are recomputed; the
        permutation importances stay those of all groups.
        """
        keep = set(groups)
        pred = self.predictions[self.predictions["group"].isin(keep)]
        if pred.empty:
            raise ParameterError(f"none of the groups {sorted(keep)!r} is in the report.")
        return replace(
            self,
            auc=self.auc[self.auc["group"].isin(keep)].reset_index(drop=True),
            predictions=pred.reset_index(drop=True),
            **_summary(pred["y"].to_numpy(), pred["proba"].to_numpy()),
            **_uncalibrated(pred["y"].to_numpy(), pred["proba_uncalibrated"].to_numpy()),
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as ``{name: DataFrame or float}``."""
        return {
            "scheme": self.scheme,
            "auc": self.auc,
            "pooled_auc": self.pooled_auc,
            "calibration": self.calibration,
            "brier": self.brier,
            "ece": self.ece,
            "brier_uncalibrated": self.brier_uncalibrated,
            "ece_uncalibrated": self.ece_uncalibrated,
            "importances": self.importances,
        }

    def __repr__(self) -> str:
        return (
            f"<CVReport {self.scheme}: pooled AUC {self.pooled_auc:.3f} over "
            f"{len(self.predictions)} rows, {len(self.auc)} groups; see .auc, .calibration, "
            ".importances>"
        )


def _summary(y: np.ndarray, p: np.ndarray) -> dict[str, Any]:
    table = calibration_table(y, p)
    ece = float((table["count"] * (table["observed_share"] - table["mean_predicted"]).abs()).sum())
    return {
        "pooled_auc": _auc(y, p),
        "calibration": table,
        "brier": float(np.mean((p - y) ** 2)),
        "ece": ece / len(y),
    }


def _uncalibrated(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    summary = _summary(y, p)
    return {"brier_uncalibrated": summary["brier"], "ece_uncalibrated": summary["ece"]}


def _splits(
    target: np.ndarray, groups: np.ndarray | None, n_splits: int, random_state: int
) -> tuple[str, list[tuple[Any, np.ndarray, np.ndarray]]]:
    index = np.zeros(len(target))
    if groups is not None:
        folds = LeaveOneGroupOut().split(index, target, groups)
        return "leave-one-group-out", [(groups[test][0], tr, test) for tr, test in folds]
    smallest = int(np.bincount(target).min())
    k = min(n_splits, smallest)
    if k < 2:
        raise ParameterError(
            f"cross-validation needs at least 2 rows of each class, found {smallest}; "
            "label more steps or fit with cv=None."
        )
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=random_state).split(
        index, target
    )
    return f"stratified k-fold (k={k})", [
        (f"fold {i + 1}", tr, te) for i, (tr, te) in enumerate(folds)
    ]


def cross_validate(
    estimator: Any,
    frame: pd.DataFrame,
    target: np.ndarray,
    *,
    groups: np.ndarray | None,
    sample_weight: np.ndarray | None,
    n_splits: int,
    n_repeats: int,
    random_state: int,
) -> CVReport:
    """Refit clones of ``estimator`` (with ``cv=None``) on folds; see :class:`CVReport`.

    Each clone is fitted as ``estimator.fit`` fits (``_fit_frame``), with the groups of its
    training rows, so a calibration map is fitted on inner folds of the training groups only.
    """
    scheme, splits = _splits(target, groups, n_splits, random_state)
    fitted, rows = [], []
    proba = np.full(len(target), np.nan)
    raw = np.full(len(target), np.nan)
    fold_of = np.empty(len(target), dtype=object)
    for name, train, test in splits:
        fold_of[test] = name
        if len(np.unique(target[train])) < 2:
            rows.append({"group": name, "note": "training folds hold one class only"})
            continue
        model = clone(estimator).set_params(cv=None)
        weight = None if sample_weight is None else sample_weight[train]
        inner_groups = None if groups is None else groups[train]
        model._fit_frame(frame.iloc[train], target[train], weight, inner_groups)
        proba[test] = model.predict_proba(frame.iloc[test])[:, 1]
        raw[test] = model._raw_proba(frame.iloc[test])
        fitted.append((model, test))
        y_test = target[test]
        single = len(np.unique(y_test)) < 2
        rows.append(
            {
                "group": name,
                "n": len(test),
                "n_positive": int(y_test.sum()),
                "auc": _auc(y_test, proba[test]),
                "note": "one class only: no AUC" if single else "",
            }
        )
    auc = pd.DataFrame(rows, columns=["group", "n", "n_positive", "auc", "note"])
    done = ~np.isnan(proba)
    predictions = pd.DataFrame(
        {
            "row": np.flatnonzero(done),
            "group": fold_of[done],
            "y": target[done],
            "proba": proba[done],
            "proba_uncalibrated": raw[done],
        }
    )
    summary = _summary(target[done], proba[done])
    importances = _permutation_importances(
        fitted, frame, target, summary["pooled_auc"], n_repeats, random_state
    )
    return CVReport(
        scheme=scheme,
        auc=auc,
        importances=importances,
        predictions=predictions,
        **summary,
        **_uncalibrated(target[done], raw[done]),
    )


def _permutation_importances(
    fitted: list[tuple[Any, np.ndarray]],
    frame: pd.DataFrame,
    target: np.ndarray,
    baseline: float,
    n_repeats: int,
    random_state: int,
) -> pd.DataFrame:
    rng = np.random.default_rng(random_state)
    rows = []
    for column in frame.columns:
        drops = []
        for _ in range(n_repeats):
            ys, ps = [], []
            for model, test in fitted:
                part = frame.iloc[test].copy()
                part[column] = rng.permutation(part[column].to_numpy())
                ps.append(model.predict_proba(part)[:, 1])
                ys.append(target[test])
            drops.append(baseline - _auc(np.concatenate(ys), np.concatenate(ps)))
        rows.append({"feature": column, "mean": float(np.mean(drops)), "std": float(np.std(drops))})
    table = pd.DataFrame(rows, columns=["feature", "mean", "std"])
    return table.sort_values("mean", ascending=False, kind="stable").reset_index(drop=True)
