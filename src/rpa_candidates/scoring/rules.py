"""Rule-based automatability: :class:`RuleScorer` over the indicator catalogue.

Each criterion of the catalogue (``scoring/criteria.toml``, documented in
``docs/criteria.md``) reads indicators of :func:`rpa_candidates.activity_features`, maps
them to a score 0..1 and carries a weight; the rule score is the weighted mean of the
criteria that are known for the activity.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..core.errors import ParameterError
from ..core.formatting import format_number
from ._criteria import Criterion, load_criteria, transform_values
from ._params import Options, check_params

__all__ = ["RuleScorer", "format_number"]

_ALL_UNKNOWN = {
    "de": "Keine Regel auswertbar: alle Kriterien sind für diesen Schritt unbekannt",
    "en": "No rule can be applied: every criterion is unknown for this step",
}
_KNOCKOUT = {"de": "K.-o.-Kriterium", "en": "Knock-out"}
_N_REASONS = 3
_QUOTES = {"de": ("„", "“"), "en": ("‘", "’")}


def _deciding_words(activities: pd.Series) -> dict[str, Any]:
    """Activity name → its :class:`~rpa_candidates.features.semantics.NameReading`."""
    from ..features.semantics import log_language, read_name

    names = sorted({str(a) for a in activities})
    default = log_language(names)
    return {n: read_name(n, default_lang=default) for n in names}


class RuleScorer(BaseEstimator):
    r"""Score each activity 0..1 against transparent RPA suitability criteria.

    For criterion :math:`k` with weight :math:`w_k`, transform :math:`T_k` and indicator
    value :math:`x_{a,k}` of activity :math:`a`, the criterion score is
    :math:`s_{a,k} = T_k(x_{a,k}) \in [0, 1]` and

    .. math:: \mathrm{rule\_score}_a = \frac{\sum_{k \in K_a} w_k s_{a,k}}{\sum_{k \in K_a} w_k},

    where :math:`K_a` holds the criteria *known* for :math:`a`. A criterion is unknown
    (NaN, left out of both sums rather than read as 0) when its indicator is missing, when
    the activity has fewer executions than the criterion's ``min_executions``, or when the
    criterion is ``human_only`` and the step is already automated (``automation_rate`` ≥ the
    ``already_automated`` threshold: handling times and hand-overs then describe a system).
    With no known criterion the rule score is NaN and the reasons say so. Already-automated
    steps are scored like any other step ("they keep their score").

    A **status record** (``label_system`` ≥ the ``status_record`` threshold: the name records
    a state, ``A_REGISTERED``, ``SRM: Created``, "Antrag zurückgezogen", and holds no action)
    is scored from its behaviour, not from its name: the criteria with ``applies_to =
    "work_steps"`` (the name's action classes) are unknown for it, those with ``applies_to =
    "status_records"`` (by default ``mechanical_record``: written by a system, instantly or
    in a batch) are known only for it, and its reasons against begin with the sentence of the
    ``status_record`` table ("Status record, not a work step: scored from its behaviour").

    A knock-out (``knockout_below`` / ``knockout_at_least`` on the indicator value) is an
    exclusion criterion, checked before the weighing as in practitioners' scorecards: it sets
    ``knocked_out`` and scales the score into :math:`[0, c]` with ``knockout_cap`` :math:`c`
    of the ``blend`` table, :math:`\mathrm{rule\_score}_a = c \cdot` (weighted mean), so that
    knocked-out steps rank below the others and keep their order among themselves.

    Parameters
    ----------
    criteria : str, path, dict or None, default=None
        ``None`` for the default catalogue (``scoring/criteria.toml``), a path to a TOML file
        or a dict of the same shape (see :func:`rpa_candidates.scoring.default_criteria`).
    lang : {"de", "en"}, default="de"
        Language of the reason sentences.

    Attributes
    ----------
    criteria_ : list of Criterion
        The resolved, checked criteria, each with its source.
    settings_ : Settings
        The ``already_automated`` and ``blend`` settings of the catalogue.
    feature_names_in_ : list of str
        Columns of the feature table seen in ``fit``.

    See Also
    --------
    rpa_candidates.scoring.score_activities : blends rule and model scores.
    rpa_candidates.activity_features : the indicators the criteria read.

    References
    ----------
    Lacity, M., Willcocks, L. (2016): Robotic process automation at Telefónica O2. MIS
    Quarterly Executive 15(1). Leshob, A., Bourgouin, A., Renard, L. (2018): Towards a
    process analysis approach to adopt robotic process automation. IEEE ICEBE,
    doi:10.1109/ICEBE.2018.00018. Wanner, J. et al. (2019): Process selection in RPA
    projects. ICIS 2019. Syed, R. et al. (2020): Robotic Process Automation: Contemporary
    themes and challenges. Computers in Industry 115, doi:10.1016/j.compind.2019.103162.

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> from rpa_candidates.scoring import RuleScorer
    >>> sim = rc.synth.simulate("bewohnerparken", n_cases=200, seed=1)
    >>> features = rc.activity_features(rc.read_log(sim.events))
    >>> scores = RuleScorer(lang="en").fit(features).score_activities(features)
    >>> bool(scores["rule_score"].between(0, 1).all())
    True
    >>> row = scores.set_index("activity").loc["Ausweis versenden"]
    >>> bool(row["knocked_out"]), row["reasons_against"][0][:44]
    (True, 'Knock-out: Action ‘versenden’: physical work')
    """

    _allowed: dict[str, Any] = {  # noqa: RUF012  (read-only table, STYLE rule 6)
        "criteria": (type(None), str, os.PathLike, Mapping),
        "lang": Options("de", "en"),
    }

    def __init__(self, criteria: Any = None, *, lang: Literal["de", "en"] = "de") -> None:
        self.criteria = criteria
        self.lang = lang

    def fit(self, features: pd.DataFrame, y: Any = None) -> RuleScorer:
        """Check the parameters and resolve the criteria.

        Parameters
        ----------
        features : pandas.DataFrame
            Output of :func:`rpa_candidates.activity_features`.
        y : ignored
            Present for scikit-learn compatibility.

        Returns
        -------
        RuleScorer
            ``self``.

        Raises
        ------
        ParameterError
            For a bad parameter, a malformed criterion, or a feature table lacking a column
            a criterion reads.
        """
        check_params(self, self._allowed)
        self.criteria_, self.settings_ = load_criteria(self.criteria)
        self._check_columns(features)
        self.feature_names_in_ = list(features.columns)
        return self

    def _check_columns(self, features: pd.DataFrame) -> None:
        if not isinstance(features, pd.DataFrame):
            raise ParameterError(
                f"features must be a pandas DataFrame from rc.activity_features(log), "
                f"got {type(features).__name__}."
            )
        needed = {
            "activity",
            "executions",
            self.settings_.automated_indicator,
            self.settings_.status_indicator,
        }
        for criterion in self.criteria_:
            needed.update(criterion.indicators)
        missing = sorted(needed - set(features.columns))
        if missing:
            raise ParameterError(
                f"features lacks the columns {missing!r} that the criteria read; pass the table "
                "of rc.activity_features(log) (or add the columns)."
            )

    def already_automated(self, features: pd.DataFrame) -> pd.Series:
        """Steps an automated resource already does: indicator ≥ threshold (bool)."""
        check_is_fitted(self, "criteria_")
        values = pd.to_numeric(features[self.settings_.automated_indicator], errors="coerce")
        return (values >= self.settings_.automated_threshold).fillna(False).astype(bool)

    def status_records(self, features: pd.DataFrame) -> pd.Series:
        """Status records (the name records a state, no action): indicator ≥ threshold."""
        check_is_fitted(self, "criteria_")
        values = pd.to_numeric(features[self.settings_.status_indicator], errors="coerce")
        return (values >= self.settings_.status_threshold).fillna(False).astype(bool)

    def _criterion_scores(
        self, criterion: Criterion, features: pd.DataFrame, automated: pd.Series, status: pd.Series
    ) -> tuple[pd.Series, pd.Series, pd.Series]:
        values = criterion.raw_values(features)
        unknown = values.isna()
        if criterion.applies_to == "work_steps":
            unknown |= status
        elif criterion.applies_to == "status_records":
            unknown |= ~status
        if criterion.min_executions:
            executions = pd.to_numeric(features["executions"], errors="coerce").fillna(0)
            unknown |= executions < criterion.min_executions
        if criterion.human_only:
            unknown |= automated
        scores = pd.Series(transform_values(values, criterion.transform), index=features.index)
        scores = scores + 0.0  # no -0.0 from a falling ramp
        scores[unknown] = np.nan
        knocked = criterion.knocked_out(values) & ~unknown
        return values, scores, knocked

    def score_activities(self, features: pd.DataFrame) -> pd.DataFrame:
        """Score every activity against every criterion.

        Parameters
        ----------
        features : pandas.DataFrame
            Output of :func:`rpa_candidates.activity_features`.

        Returns
        -------
        pandas.DataFrame
            One row per activity, in the order of ``features``: ``activity``; ``crit_<id>``
            per criterion (score 0..1, NaN = unknown); ``rule_score`` (weighted mean of the
            known criteria, times ``knockout_cap`` when knocked out, NaN if no criterion is
            known); ``knocked_out`` (bool); ``status_record`` (bool, see below);
            ``knockout_criteria`` (ids, comma-separated, ``""`` if none); ``reasons_for``
            and ``reasons_against`` (lists of up to three sentences in ``lang``, strongest
            first; knock-outs lead the reasons against, after the status sentence of a
            status record).
        """
        return self._score(features)[0]

    def _score(self, features: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
        """The scores table and the weighted mean before the knock-out scaling."""
        check_is_fitted(self, "criteria_")
        self._check_columns(features)
        features = features.reset_index(drop=True)
        automated = self.already_automated(features)
        status = self.status_records(features)
        out = pd.DataFrame({"activity": features["activity"]})
        values, knocked = {}, {}
        for criterion in self.criteria_:
            values[criterion.id], out[criterion.column], knocked[criterion.id] = (
                self._criterion_scores(criterion, features, automated, status)
            )
        scores = out[[c.column for c in self.criteria_]].to_numpy(dtype=float)
        weights = np.array([c.weight for c in self.criteria_])
        known = ~np.isnan(scores)
        total = (known * weights).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            weighted = (np.nan_to_num(scores) * weights).sum(axis=1)
            mean = np.where(total > 0, weighted / total, np.nan)
        knock_frame = pd.DataFrame(knocked, index=out.index)
        out_knocked = knock_frame.any(axis=1).to_numpy(dtype=bool)
        out["rule_score"] = np.where(out_knocked, self.settings_.knockout_cap * mean, mean)
        out["knocked_out"] = out_knocked
        out["status_record"] = status.to_numpy(dtype=bool)
        out["knockout_criteria"] = [
            ", ".join(c.id for c in self.criteria_ if row[c.id])
            for _, row in knock_frame.iterrows()
        ]
        readings = (
            _deciding_words(features["activity"])
            if any("{terms}" in c.reason["de"] + c.reason["en"] for c in self.criteria_)
            else {}
        )
        reasons = [
            self._reasons(i, scores[i], values, knock_frame, readings.get(str(activity)))
            for i, activity in enumerate(features["activity"])
        ]
        note = self.settings_.status_reason[self.lang]
        reasons = [
            (pro, [note, *contra][:_N_REASONS]) if is_status else (pro, contra)
            for (pro, contra), is_status in zip(reasons, status, strict=True)
        ]
        out["reasons_for"] = [r[0] for r in reasons]
        out["reasons_against"] = [r[1] for r in reasons]
        return out, mean

    def _sentence(self, criterion: Criterion, value: float, reading: Any = None) -> str:
        """The criterion's reason with the value; its ``reason_zero`` where the value
        shows as 0 ("No action in the name is …" instead of "0% of the actions …").
        ``{terms}`` is filled with the quoted words of the name that decided the classes
        of the criterion's ``label_*`` indicators ("Action ‘send’: data work")."""
        scaled = value * criterion.display_scale
        if criterion.reason_zero is not None and round(scaled, criterion.digits) == 0:
            return criterion.reason_zero[self.lang].format(value=0, terms="")
        shown = format_number(scaled, self.lang, criterion.digits)
        classes = [i.removeprefix("label_") for i in criterion.indicators]
        words = reading.words(classes) if reading is not None else []
        left, right = _QUOTES[self.lang]
        terms = ", ".join(f"{left}{w}{right}" for w in words) or "–"
        return criterion.reason[self.lang].format(value=shown, terms=terms)

    def _reasons(
        self,
        row: int,
        scores: np.ndarray,
        values: dict[str, pd.Series],
        knocked: pd.DataFrame,
        reading: Any = None,
    ) -> tuple[list[str], list[str]]:
        if np.isnan(scores).all():
            return [], [_ALL_UNKNOWN[self.lang]]
        pro, contra, knockouts = [], [], []
        for criterion, score in zip(self.criteria_, scores, strict=True):
            if np.isnan(score):
                continue
            sentence = self._sentence(criterion, float(values[criterion.id].iloc[row]), reading)
            if knocked[criterion.id].iloc[row]:
                knockouts.append(f"{_KNOCKOUT[self.lang]}: {sentence}")
            elif score > 0.5:
                pro.append((criterion.weight * (score - 0.5), sentence))
            elif score < 0.5:
                contra.append((criterion.weight * (0.5 - score), sentence))
        pro.sort(key=lambda item: -item[0])
        contra.sort(key=lambda item: -item[0])
        against = knockouts + [s for _, s in contra]
        return [s for _, s in pro[:_N_REASONS]], against[:_N_REASONS]

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        """Rule score as a two-class probability.

        Parameters
        ----------
        features : pandas.DataFrame
            Output of :func:`rpa_candidates.activity_features`.

        Returns
        -------
        numpy.ndarray of shape (n_activities, 2)
            ``[1 - rule_score, rule_score]`` per activity, rows in the order of
            ``features``. An activity without any known criterion (NaN rule score) gets
            ``[0.5, 0.5]``: no evidence either way. Knock-outs are not applied here (see
            :func:`rpa_candidates.scoring.score_activities`).
        """
        score = self.score_activities(features)["rule_score"].fillna(0.5).to_numpy(dtype=float)
        return np.column_stack([1.0 - score, score])
