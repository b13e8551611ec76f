"""Blend the rule score and the model score into ``automatability``, with reasons."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.exceptions import NotFittedError

from ..core.errors import ParameterError
from .rules import RuleScorer

__all__ = ["score_activities"]

_SIDES = {"de": ("Dafür", "Dagegen"), "en": ("For", "Against")}


def _ml_scores(model: Any, features: pd.DataFrame) -> np.ndarray:
    if model is None:
        from .model import default_model

        model = default_model()
    if not hasattr(model, "predict_proba"):
        raise ParameterError(
            f"model={model!r} has no predict_proba; pass a fitted rc.AutomatabilityModel "
            "(or any fitted classifier with predict_proba), or None for the default model."
        )
    try:
        proba = np.asarray(model.predict_proba(features), dtype=float)
    except NotFittedError as exc:
        raise ParameterError(
            f"model {type(model).__name__} is not fitted; call .fit(...) first or pass "
            "model=None for the default model."
        ) from exc
    if proba.ndim != 2 or proba.shape != (len(features), 2):
        raise ParameterError(
            f"model.predict_proba returned shape {proba.shape}; expected ({len(features)}, 2) "
            "(one row per activity, columns [P(not automatable), P(automatable)])."
        )
    return proba[:, 1]


def _reason_text(pro: list[str], contra: list[str], lang: str) -> str:
    yes, no = _SIDES[lang]
    return f"{yes}: {', '.join(pro) or '–'}; {no}: {', '.join(contra) or '–'}"


def score_activities(
    features: pd.DataFrame,
    *,
    criteria: str | Path | Mapping[str, Any] | None = None,
    model: Any = None,
    lang: Literal["de", "en"] = "de",
) -> pd.DataFrame:
    r"""Automatability of each activity: rules and model blended, knock-outs applied.

    With the weights :math:`w_r` (``blend.rule``) and :math:`w_m` (``blend.ml``) of the
    criteria file, the weighted rule mean :math:`r` (before knock-out scaling, see
    :class:`~rpa_candidates.RuleScorer`) and the model score :math:`m`:

    .. math::

        \mathrm{automatability} = k \cdot \frac{w_r r + w_m m}{w_r + w_m},
        \quad k = \begin{cases} c & \text{knocked out} \\ 1 & \text{otherwise} \end{cases}

    with :math:`c` = ``blend.knockout_cap``, so knocked-out steps land in :math:`[0, c]`. A
    missing part (:math:`r` NaN because no criterion is known, or :math:`m` NaN) is left out
    and the other one carries the full weight; both missing give NaN.

    ``already_automated`` flags steps whose ``automation_rate`` reaches the
    ``already_automated.threshold`` of the criteria file; they keep their scores (their
    human-only criteria are unknown) and bring no relief later.

    Parameters
    ----------
    features : pandas.DataFrame
        Output of :func:`rpa_candidates.activity_features`.
    criteria : str, path, dict or None, default=None
        Criteria catalogue for :class:`~rpa_candidates.RuleScorer` (``None``: the default).
    model : fitted classifier or None, default=None
        Anything with ``predict_proba(features)`` of shape (n, 2), usually a fitted
        :class:`~rpa_candidates.AutomatabilityModel`; ``None`` loads
        ``rpa_candidates.scoring.model.default_model()``.
    lang : {"de", "en"}, default="de"
        Language of the reasons.

    Returns
    -------
    pandas.DataFrame
        One row per activity, in the order of ``features``: ``activity``,
        ``automatability`` (0..1), ``rule_score``, ``ml_score``, ``already_automated``
        (bool), ``knocked_out`` (bool), ``status_record`` (bool: the name is a status record,
        scored from its behaviour, see :class:`~rpa_candidates.RuleScorer`),
        ``knockout_criteria`` (str), ``reasons`` (str,
        ``"Dafür: …; Dagegen: …"`` / ``"For: …; Against: …"``), ``reasons_for``,
        ``reasons_against`` (lists of up to three sentences), then ``crit_<id>`` per
        criterion.

    Raises
    ------
    ParameterError
        For a bad ``lang``, malformed criteria, or a model without ``predict_proba``, not
        fitted or returning the wrong shape.

    See Also
    --------
    rpa_candidates.RuleScorer : the rule part.
    rpa_candidates.AutomatabilityModel : the learned part.

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> from sklearn.dummy import DummyClassifier
    >>> sim = rc.synth.simulate("wohngeld", n_cases=200, seed=1)
    >>> features = rc.activity_features(rc.read_log(sim.events))
    >>> stand_in = DummyClassifier(strategy="prior").fit(features[["executions"]], [0, 1] * 6 + [1])
    >>> from rpa_candidates.scoring import score_activities
    >>> scores = score_activities(features, model=stand_in, lang="en")
    >>> bool(scores["reasons"].str.startswith("For: ").all())
    True
    """
    scorer = RuleScorer(criteria, lang=lang).fit(features)
    frame, rule_mean = scorer._score(features)
    settings = scorer.settings_
    ml = _ml_scores(model, features.reset_index(drop=True))
    parts = np.column_stack([rule_mean, ml])
    weights = np.array([settings.rule_weight, settings.ml_weight])
    known = ~np.isnan(parts)
    total = (known * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        blend = np.where(total > 0, (np.nan_to_num(parts) * weights).sum(axis=1) / total, np.nan)
    knocked = frame["knocked_out"].to_numpy(dtype=bool)
    automatability = np.clip(np.where(knocked, settings.knockout_cap * blend, blend), 0.0, 1.0)
    crit_columns = [c.column for c in scorer.criteria_]
    out = pd.DataFrame(
        {
            "activity": frame["activity"],
            "automatability": automatability,
            "rule_score": frame["rule_score"],
            "ml_score": ml,
            "already_automated": scorer.already_automated(features.reset_index(drop=True)),
            "knocked_out": frame["knocked_out"],
            "status_record": frame["status_record"],
            "knockout_criteria": frame["knockout_criteria"],
            "reasons": [
                _reason_text(p, c, lang)
                for p, c in zip(frame["reasons_for"], frame["reasons_against"], strict=True)
            ],
            "reasons_for": frame["reasons_for"],
            "reasons_against": frame["reasons_against"],
        }
    )
    return pd.concat([out, frame[crit_columns]], axis=1)
