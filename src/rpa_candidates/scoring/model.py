"""``AutomatabilityModel``: a learned probability that an activity is automatable.

The model reads the indicators that describe the *work* of a step (the semantic classes of
its name, how long and how evenly a person works on it, whether it is a one-click or batched
record) and character n-grams of the activity name, and predicts the probability that the
step is automatable (``automated`` or ``highly_automatable`` in the classes of
``docs/labeling.md``). Indicators that say *who* does the step (a system user or a person)
are left out or blanked, because they would leak whether the step is already automated;
``docs/model.md`` gives the reasons one by one. The default model is trained from the
corpus shipped in ``data/training_corpus.csv`` (built by ``scripts/build_corpus.py``),
retrained deterministically on first use: no pickle is shipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ..core._data import load_toml
from ..core.errors import ParameterError
from ._calibration import apply_calibration, fit_calibration, inner_predictions
from ._cv import CVReport, cross_validate
from ._inputs import (
    DEFAULT_FEATURES,
    EXCLUDED_FEATURES,
    EXECUTION_PROFILE,
    build_pipeline,
)
from ._params import Interval, Options, check_params
from .corpus import (
    NUMERIC_FEATURES,
    corpus_sha256,
    corpus_weights,
    encode_target,
    load_corpus,
)

__all__ = [
    "DEFAULT_FEATURES",
    "EXCLUDED_FEATURES",
    "EXECUTION_PROFILE",
    "AutomatabilityModel",
    "default_model",
]


class AutomatabilityModel(ClassifierMixin, BaseEstimator):
    r"""Probability that an activity is automatable, from its indicators and its name.

    A logistic regression on two blocks of inputs, joined by a ``ColumnTransformer``:

    * numeric indicators of :data:`DEFAULT_FEATURES` (or those chosen in ``features``):
      the execution profile blanked where a system user does the step (``mask_automated``),
      minutes as :math:`\log(1 + m)`, then median imputation and standardisation;
    * the activity name, folded (lower case, umlauts as ae/oe/ue/ss, letters only) and
      cut into character n-grams within word boundaries (``TfidfVectorizer(analyzer=
      "char_wb")``, sublinear tf, l2-normalised), multiplied by ``text_weight``.

    .. math::

        P(\text{automatable} \mid x) = \sigma\big(w^\top z(x) + b\big), \quad
        \min_{w,b}\; \tfrac{1}{2}\lVert w\rVert^2
            + C \sum_i s_i\, \ell\big(y_i, \sigma(w^\top z_i + b)\big)

    with :math:`\ell` the log loss, :math:`s_i` the sample weight times the balanced class
    weight :math:`n / (2 n_{y_i})`. ``fit`` also cross-validates the same settings and
    stores the report in ``cv_report_`` (leave-one-group-out when ``groups`` are given,
    stratified k-fold otherwise).

    Parameters
    ----------
    C : float, default=1.0
        Inverse L2 regularisation strength of the logistic regression (> 0).
    ngram_range : tuple of int, default=(2, 4)
        Smallest and largest character n-gram of the activity name.
    text_weight : float, default=1.0
        Weight of the name block against the indicators (≥ 0; 0 drops the name).
    features : "default", "all" or list of str, default="default"
        Numeric indicators used: :data:`DEFAULT_FEATURES`; ``"all"`` every numeric column
        of ``rc.features.CATALOG`` (including those :data:`EXCLUDED_FEATURES` lists as
        leaks: for comparisons only); or an explicit list of catalogue columns.
    mask_automated : float or None, default=0.5
        Steps with ``automation_rate ≥ mask_automated`` (a system user does most of them)
        get their execution profile (:data:`EXECUTION_PROFILE`: handling times, instant,
        batch, off-hours shares) set to missing before imputation, so these indicators
        describe human work only and cannot leak that a step is already automated. Needs
        the column ``automation_rate``; ``None`` switches the blanking off.
    mask_status : float or None, default=0.5
        Status records (``label_system ≥ mask_status``: the name records a state and holds
        no action, ``A_REGISTERED``, ``SRM: Created``) get their label indicators set to
        missing before imputation, so the model scores them from their behaviour and the
        name's classes count neither for nor against them. Needs ``label_system``;
        ``None`` switches it off.
    calibration : {"sigmoid", "temperature"} or None, default="sigmoid"
        Calibration map on the logit, fitted on inner out-of-fold predictions of the
        training data (leave-one-group-out with ``groups``, else stratified ``cv``-fold):
        ``"sigmoid"`` (Platt: slope and intercept), ``"temperature"`` (slope only), or
        ``None`` (raw probabilities). Measured in ``docs/model.md``.
    cv : int or None, default=5
        Folds of the stratified k-fold when ``fit`` gets no ``groups``; ``None`` skips the
        cross-validation report (``cv_report_`` is then ``None``).
    n_repeats : int, default=5
        Repetitions of each permutation in the permutation importances.
    random_state : int, default=0
        Seed of the fold shuffling and the permutations; the fit itself is deterministic.

    Attributes
    ----------
    pipeline_ : sklearn.pipeline.Pipeline
        The fitted ``ColumnTransformer`` + ``LogisticRegression``.
    feature_names_in_ : numpy.ndarray of str
        Input columns read: ``activity`` (if ``text_weight > 0``), the indicators, and
        ``automation_rate`` (only to blank, if ``mask_automated`` is set).
    features_ : list of str
        The numeric indicators ``features`` resolved to.
    classes_ : numpy.ndarray
        ``[0, 1]``; 1 means automatable.
    calibration_ : tuple of float
        Slope and intercept ``(a, b)`` of the calibration map
        :math:`p' = \sigma(a\,\mathrm{logit}(p) + b)`; ``(1.0, 0.0)`` without calibration.
    cv_report_ : CVReport or None
        Out-of-fold AUC per group and pooled, calibration table, permutation importances.

    See Also
    --------
    default_model : the model fitted on the bundled corpus.
    rpa_candidates.activity_features : computes the inputs.

    References
    ----------
    Leopold, H., van der Aa, H., Reijers, H.A. (2018). Identifying candidate tasks for
    robotic process automation in textual process descriptions. BPMDS 2018, LNBIP 318,
    doi:10.1007/978-3-319-91704-7_5.
    Wanner, J. et al. (2019). Process Selection in RPA Projects – Towards a Quantifiable
    Method of Decision Making. ICIS 2019.

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> from rpa_candidates.scoring.model import AutomatabilityModel
    >>> sim = rc.synth.simulate("wohngeld", n_cases=80, seed=7)
    >>> X = rc.activity_features(rc.read_log(sim.events))
    >>> y = X["activity"].map(sim.truth.set_index("activity")["label_class"])
    >>> model = AutomatabilityModel(cv=None).fit(X, y)
    >>> model.predict_proba(X).shape == (len(X), 2)
    True
    """

    _allowed: ClassVar[dict[str, Any]] = {
        "C": Interval(0, None, closed="neither"),
        "ngram_range": tuple,
        "text_weight": Interval(0, None),
        "features": [Options("default", "all"), list, tuple],
        "mask_automated": [Interval(0, 1), None],
        "mask_status": [Interval(0, 1), None],
        "calibration": [Options("sigmoid", "temperature"), None],
        "cv": [Interval(2, None, integer=True), None],
        "n_repeats": Interval(1, None, integer=True),
        "random_state": Interval(None, None, integer=True),
    }

    def __init__(
        self,
        *,
        C: float = 1.0,  # noqa: N803  (scikit-learn's name)
        ngram_range: tuple[int, int] = (2, 4),
        text_weight: float = 1.0,
        features: str | Sequence[str] = "default",
        mask_automated: float | None = 0.5,
        mask_status: float | None = 0.5,
        calibration: str | None = "sigmoid",
        cv: int | None = 5,
        n_repeats: int = 5,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.ngram_range = ngram_range
        self.text_weight = text_weight
        self.features = features
        self.mask_automated = mask_automated
        self.mask_status = mask_status
        self.calibration = calibration
        self.cv = cv
        self.n_repeats = n_repeats
        self.random_state = random_state

    # ---------------------------------------------------------------- helpers
    def _resolve_features(self) -> list[str]:
        if isinstance(self.features, str):
            return list(DEFAULT_FEATURES if self.features == "default" else NUMERIC_FEATURES)
        chosen = list(self.features)
        unknown = sorted(set(chosen) - set(NUMERIC_FEATURES))
        if unknown:
            raise ParameterError(
                f"features names {unknown!r}, which are not numeric columns of "
                f"rc.features.CATALOG; choose from {list(NUMERIC_FEATURES)!r}."
            )
        return chosen

    def _check_params(self) -> None:
        check_params(self, self._allowed)
        low_high = self.ngram_range
        if not (
            len(low_high) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in low_high)
            and 1 <= low_high[0] <= low_high[1]
        ):
            raise ParameterError(
                f"AutomatabilityModel: ngram_range={low_high!r} is not allowed; expected "
                "(low, high) with integers 1 ≤ low ≤ high, e.g. (2, 4)."
            )

    def _columns(self) -> list[str]:
        text = ["activity"] if self.text_weight > 0 else []
        extra = [
            column
            for column, limit in (
                ("automation_rate", self.mask_automated),
                ("label_system", self.mask_status),
            )
            if limit is not None and column not in self.features_
        ]
        return [*text, *self.features_, *extra]

    def _frame(self, features: Any, columns: Sequence[str]) -> pd.DataFrame:
        if not isinstance(features, pd.DataFrame):
            raise ParameterError(
                f"features must be a pandas DataFrame from rc.activity_features(log), got "
                f"{type(features).__name__!r}."
            )
        missing = [c for c in columns if c not in features.columns]
        if missing:
            raise ParameterError(
                f"features lacks the columns {missing!r}; compute them with "
                "rc.activity_features(log) (or pass the same columns the model was fitted on)."
            )
        frame = features[list(columns)].copy()
        numeric = [c for c in columns if c != "activity"]
        frame[numeric] = frame[numeric].apply(pd.to_numeric, errors="coerce").astype(float)
        if "activity" in frame:
            frame["activity"] = frame["activity"].astype(str)
        return frame

    def _build(self) -> Pipeline:
        return build_pipeline(self)

    # ---------------------------------------------------------------- API
    def fit(
        self,
        features: pd.DataFrame,
        y: Any,
        *,
        groups: Any = None,
        sample_weight: Any = None,
        report: bool = True,
    ) -> AutomatabilityModel:
        """Fit on labelled activities and cross-validate the same settings.

        Parameters
        ----------
        features : pandas.DataFrame
            One row per activity, as from :func:`rpa_candidates.activity_features` (rows of
            several logs may be stacked); needs ``activity`` and the chosen indicators.
        y : array-like
            Booleans, 0/1, or the class names ``"automated"``, ``"highly_automatable"``
            (both → 1), ``"low_automatable"``, ``"cognitive"`` (→ 0).
        groups : array-like, default=None
            Group of each row (e.g. the log or the town); the report and the calibration
            map then hold out one group at a time. Without groups: stratified ``cv``-fold.
        sample_weight : array-like, default=None
            Weight of each row in the loss (e.g. to give every log the same total weight).
        report : bool, default=True
            ``False`` skips the cross-validation report (``cv_report_`` None) but keeps
            ``groups`` for the calibration map: the same fit, faster.

        Returns
        -------
        AutomatabilityModel
            ``self``, fitted.

        Raises
        ------
        ParameterError
            Invalid parameters, missing columns, labels outside the allowed values, only
            one class in ``y``, or ``groups``/``sample_weight`` of the wrong length.
        """
        self._check_params()
        self.features_ = self._resolve_features()
        columns = self._columns()
        frame = self._frame(features, columns)
        target = encode_target(y)
        if len(target) != len(frame):
            raise ParameterError(f"y has {len(target)} values for {len(frame)} feature rows.")
        if len(np.unique(target)) < 2:
            raise ParameterError(
                "y holds only one class; label both automatable and not automatable steps."
            )
        weight = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if weight is not None and len(weight) != len(frame):
            raise ParameterError(f"sample_weight has {len(weight)} values for {len(frame)} rows.")
        group_values = None if groups is None else np.asarray(groups, dtype=object)
        if group_values is not None and len(group_values) != len(frame):
            raise ParameterError(f"groups has {len(group_values)} values for {len(frame)} rows.")
        self._fit_frame(frame, target, weight, group_values)
        self.cv_report_: CVReport | None = None
        if report and (self.cv is not None or group_values is not None):
            self.cv_report_ = cross_validate(
                self,
                frame,
                target,
                groups=group_values,
                sample_weight=weight,
                n_splits=self.cv or 5,
                n_repeats=self.n_repeats,
                random_state=self.random_state,
            )
        return self

    def _fit_frame(
        self,
        frame: pd.DataFrame,
        target: np.ndarray,
        weight: np.ndarray | None,
        groups: np.ndarray | None,
    ) -> None:
        """Fit the pipeline and, with ``calibration``, the calibration map (no report)."""
        self.features_ = self._resolve_features()
        self.pipeline_ = self._build().fit(frame, target, classifier__sample_weight=weight)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = frame.shape[1]
        self.classes_ = np.array([0, 1])
        self.calibration_ = (1.0, 0.0)
        if self.calibration is not None:
            inner = inner_predictions(self, frame, target, weight, groups)
            self.calibration_ = fit_calibration(inner, target, weight, method=self.calibration)

    def _raw_proba(self, frame: pd.DataFrame) -> np.ndarray:
        return self.pipeline_.predict_proba(frame)[:, 1]

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        """Probabilities ``[P(not automatable), P(automatable)]`` per row, shape ``(n, 2)``.

        Parameters
        ----------
        features : pandas.DataFrame
            Rows as in :meth:`fit` (the columns in ``feature_names_in_``).

        Returns
        -------
        numpy.ndarray
            Column 1 is :math:`\\sigma(w^\\top z(x) + b)`.
        """
        check_is_fitted(self, "pipeline_")
        raw = self._raw_proba(self._frame(features, self.feature_names_in_))
        p = apply_calibration(raw, self.calibration_)
        return np.column_stack([1.0 - p, p])

    def predict(self, features: pd.DataFrame) -> np.ndarray:
        """1 where ``P(automatable) ≥ 0.5``, else 0."""
        return (self.predict_proba(features)[:, 1] >= 0.5).astype(int)

    def score_activities(self, features: pd.DataFrame) -> pd.DataFrame:
        """``activity`` and ``ml_score`` (= ``P(automatable)``), one row per input row."""
        proba = self.predict_proba(features)[:, 1]
        return pd.DataFrame({"activity": features["activity"].to_numpy(), "ml_score": proba})

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.input_tags.allow_nan = True
        return tags


@cache
def default_model(*, report: bool = False) -> AutomatabilityModel:
    """The model fitted on the bundled corpus, retrained on first use and cached.

    Fitting is deterministic (lbfgs on a fixed corpus, seeded folds and permutations), so
    every call in every session gives the same coefficients. With ``report=True``
    ``cv_report_`` holds the leave-one-log-out report over the corpus groups
    (``docs/model.md``); its cross-validation and permutation importances cost several
    seconds, so :func:`rpa_candidates.analyze` uses ``report=False`` (same coefficients,
    ``cv_report_`` None). Without the report the calibration map is the one shipped in
    ``data/calibration.toml`` (fitted on this corpus by ``scripts/write_calibration.py``,
    checked by the tests), not refitted: 0.1-0.5 s instead of 2-8 s; a corpus that is not
    the one the map was fitted on is calibrated afresh.

    Parameters
    ----------
    report : bool, default=False
        Also compute the cross-validation report.

    Returns
    -------
    AutomatabilityModel
        Fitted with default parameters, ``groups`` = the corpus ``group`` column and
        :func:`corpus_weights`.

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> from rpa_candidates.scoring.model import default_model
    >>> log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=60, seed=3).events)
    >>> p = default_model().predict_proba(rc.activity_features(log))[:, 1]
    >>> bool(((p >= 0) & (p <= 1)).all())
    True
    """
    corpus = load_corpus()
    # without the report, the map of data/calibration.toml (fitted on this corpus) instead
    # of the eight inner fits of the map
    shipped = None if report else shipped_calibration()
    model = AutomatabilityModel(**({"calibration": None} if shipped else {})).fit(
        corpus,
        corpus["target"],
        groups=corpus["group"],
        sample_weight=corpus_weights(corpus),
        report=report,
    )
    if shipped is not None:
        model.calibration, model.calibration_ = shipped
    return model


def shipped_calibration() -> tuple[str, tuple[float, float]] | None:
    """Method and ``(slope, intercept)`` of ``data/calibration.toml``, or None when the
    bundled corpus is not the one the map was fitted on (its SHA-256 differs)."""
    entry = load_toml("calibration.toml")["default_map"]
    if corpus_sha256() != entry["corpus_sha256"]:
        return None
    return str(entry["method"]), (float(entry["slope"]), float(entry["intercept"]))
