"""Probability calibration of :class:`~rpa_candidates.scoring.model.AutomatabilityModel`.

The calibration map is fitted on *inner* out-of-fold predictions of the training data
(leave-one-group-out when groups are given, stratified k-fold otherwise), so that no row
calibrates its own prediction. It is one monotone map of the logit,
:math:`p' = \\sigma(a \\cdot \\mathrm{logit}(p) + b)`:

* ``"sigmoid"`` (Platt 1999): slope :math:`a` and intercept :math:`b` by weighted
  maximum likelihood; a slope ≤ 0 (the inner predictions rank the wrong way round) gives
  the identity map instead, so calibration never reverses the model's order;
* ``"temperature"`` (Guo et al. 2017): :math:`b = 0`, :math:`a = 1/T` with the temperature
  :math:`T` by weighted maximum likelihood; it keeps the order of the predictions and the
  point 0.5.

References: Platt, J. (1999), Probabilistic outputs for support vector machines and
comparisons to regularized likelihood methods, in Advances in Large Margin Classifiers, MIT
Press; Guo, C., Pleiss, G., Sun, Y., Weinberger, K. Q. (2017), On calibration of modern
neural networks, ICML 2017, PMLR 70.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold

__all__ = ["apply_calibration", "fit_calibration", "inner_predictions"]

_EPS = 1e-4
IDENTITY = (1.0, 0.0)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), _EPS, 1.0 - _EPS)
    return np.log(p / (1.0 - p))


def inner_predictions(
    model: Any,
    frame: Any,
    target: np.ndarray,
    weight: np.ndarray | None,
    groups: np.ndarray | None,
) -> np.ndarray:
    """Out-of-fold probabilities of uncalibrated clones of ``model`` on its training rows.

    Leave-one-group-out over ``groups``, else stratified k-fold (``model.cv`` folds, at
    most the size of the smaller class, at least 2). Rows whose training fold holds one
    class only stay NaN.
    """
    index = np.zeros(len(target))
    if groups is not None and len(np.unique(groups)) > 1:
        splits = list(LeaveOneGroupOut().split(index, target, groups))
    else:
        k = max(2, min(model.cv or 5, int(np.bincount(target).min())))
        folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=model.random_state)
        splits = list(folds.split(index, target))
    out = np.full(len(target), np.nan)
    for train, test in splits:
        if len(np.unique(target[train])) < 2:
            continue
        inner = clone(model).set_params(calibration=None, cv=None)
        inner._fit_frame(
            frame.iloc[train], target[train], None if weight is None else weight[train], None
        )
        out[test] = inner._raw_proba(frame.iloc[test])
    return out


def fit_calibration(
    proba: np.ndarray, target: np.ndarray, weight: np.ndarray | None, *, method: str
) -> tuple[float, float]:
    """Slope and intercept ``(a, b)`` of the map on the logit (rows with NaN left out)."""
    keep = ~np.isnan(proba)
    z, y = _logit(proba[keep]), np.asarray(target)[keep]
    w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=float)[keep]
    if len(np.unique(y)) < 2:
        return IDENTITY
    if method == "sigmoid":
        platt = LogisticRegression(C=1e6, max_iter=10_000).fit(z[:, None], y, sample_weight=w)
        slope = float(platt.coef_[0, 0])
        # a falling map would reverse the model's order: the inner predictions do not
        # support a calibration, keep the raw probabilities
        return (slope, float(platt.intercept_[0])) if slope > 0 else IDENTITY

    def loss(temperature: float) -> float:
        q = np.clip(1.0 / (1.0 + np.exp(-z / temperature)), 1e-12, 1 - 1e-12)
        return float(-np.sum(w * (y * np.log(q) + (1 - y) * np.log(1 - q))))

    best = minimize_scalar(loss, bounds=(0.05, 20.0), method="bounded")
    return 1.0 / float(best.x), 0.0


def apply_calibration(proba: np.ndarray, calibration: tuple[float, float]) -> np.ndarray:
    """:math:`\\sigma(a \\cdot \\mathrm{logit}(p) + b)`; the identity map returns ``proba``."""
    if tuple(calibration) == IDENTITY:
        return np.asarray(proba, dtype=float)
    a, b = calibration
    return 1.0 / (1.0 + np.exp(-(a * _logit(proba) + b)))
