"""AutomatabilityModel: estimator conventions, the bundled corpus, and the synth rank test.

The rank test simulates logs with seeds :data:`RANK_SEEDS`, which differ from the seeds of
the synthetic training logs (``SYNTH_SEEDS`` in scripts/build_corpus.py); with the same
seeds the test would score the very logs the default model was trained on and be circular.
The processes (and so the activity names) are the same as in training: the test checks
that the model ranks new logs of known processes correctly, not that it generalises to an
unseen process (for that see the leave-one-process-out AUCs in docs/model.md).
"""

from __future__ import annotations

import re
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from sklearn.utils import estimator_checks

import rpa_candidates as rc
from rpa_candidates.scoring.corpus import CORPUS_COLUMNS, LABEL_CLASSES, load_corpus
from rpa_candidates.scoring.model import AutomatabilityModel, default_model

REPO = Path(__file__).resolve().parents[1]
RANK_PROCESSES = ("bewohnerparken", "eingangsrechnung", "gewerbeanmeldung", "wohngeld")
RANK_SEEDS = (101, 102, 103, 104, 105)
REAL_GROUPS = ("bpic2012", "bpic2019", "receipt")


@cache
def _synth(process: str, seed: int, mode: str = "realistic") -> tuple[pd.DataFrame, pd.DataFrame]:
    sim = rc.synth.simulate(process, n_cases=150, seed=seed, resource_names=mode)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        features = rc.activity_features(rc.read_log(sim.events))
    truth = sim.truth.set_index("activity").loc[features["activity"]].reset_index()
    return features, truth


def _small_training() -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    corpus = load_corpus()
    part = corpus[corpus["group"].isin(["receipt", "bpic2019", "synth:wohngeld"])]
    part = part.reset_index(drop=True)
    return part, part["label"], part["group"]


# ------------------------------------------------------------------ acceptance (issue)
def test_rank_synth_every_automatable_step_above_every_cognitive_step():
    """Issue acceptance test, model part: 4 processes x 5 seeds, both naming modes."""
    assert not set(RANK_SEEDS) & set(_training_seeds())
    model = default_model()
    failures = []
    for process in RANK_PROCESSES:
        for seed in RANK_SEEDS:
            mode = "opaque" if seed % 2 else "realistic"
            features, truth = _synth(process, seed, mode)
            proba = model.predict_proba(features)[:, 1]
            automatable = proba[truth["automatable"].to_numpy(bool)]
            cognitive = proba[(truth["label_class"] == "cognitive").to_numpy()]
            if automatable.min() <= cognitive.max():
                failures.append((process, seed, automatable.min(), cognitive.max()))
    assert not failures


def _training_seeds() -> tuple[int, ...]:
    text = (REPO / "scripts" / "build_corpus.py").read_text(encoding="utf-8")
    found = re.search(r"^SYNTH_SEEDS = \(([^)]*)\)", text, flags=re.MULTILINE)
    assert found, "SYNTH_SEEDS not found in scripts/build_corpus.py"
    return tuple(int(s) for s in found.group(1).split(",") if s.strip())


# ------------------------------------------------------------------ default model
def test_default_model_is_cached_deterministic_and_meets_the_auc_target():
    model = default_model(report=True)
    assert default_model(report=True) is model
    fast = default_model()
    assert fast.cv_report_ is None
    coefficients = model.pipeline_[-1].coef_
    assert np.array_equal(fast.pipeline_[-1].coef_, coefficients)  # the report changes nothing
    report = model.cv_report_
    assert report.scheme == "leave-one-group-out"
    real = report.restrict(REAL_GROUPS)
    # measured 0.797 (0.827 before the hand-over split and the cap of 120 min of the
    # resource-gap estimate changed the handling indicators of the corpus; docs/model.md)
    assert real.pooled_auc >= 0.79
    # calibration (docs/model.md): measured 0.178 before, 0.100 after on the real logs
    assert real.ece_uncalibrated == pytest.approx(0.178, abs=0.002)
    assert real.ece == pytest.approx(0.100, abs=0.002)
    assert real.ece < 0.15
    slope, intercept = model.calibration_
    assert 0 < slope < 1  # the raw model is over-confident on held-out logs
    assert (slope, intercept) == fast.calibration_
    single = report.auc.set_index("group").loc["receipt"]
    assert single["n"] == 27
    assert set(report.importances.columns) == {"feature", "mean", "std"}
    assert set(report.calibration.columns) >= {"mean_predicted", "observed_share", "count"}
    assert report.calibration["count"].sum() == len(report.predictions)
    corpus = load_corpus()
    first = AutomatabilityModel(cv=None).fit(corpus, corpus["target"])
    again = AutomatabilityModel(cv=None).fit(corpus, corpus["target"])
    np.testing.assert_array_equal(again.predict_proba(corpus), first.predict_proba(corpus))


def test_bundled_corpus_and_hand_labels_are_consistent():
    corpus = load_corpus()
    assert list(corpus.columns) == CORPUS_COLUMNS
    assert set(corpus["label"]) <= set(LABEL_CLASSES)
    assert set(corpus["label_source"]) <= {"hand", "synth", "weak"}
    positive = corpus["label"].isin(["automated", "highly_automatable"]).astype(int)
    assert (corpus["target"] == positive).all()
    labels = pd.read_csv(REPO / "src" / "rpa_candidates" / "data" / "labels_real.csv")
    assert list(labels.columns) == ["log", "activity", "label", "rationale"]
    assert set(labels["label"]) <= {*LABEL_CLASSES, "unknown"}
    assert labels["rationale"].str.len().gt(10).all()
    assert not labels.duplicated(["log", "activity"]).any()
    assert (labels.loc[labels["log"] == "T_BPIC15_2", "label"] == "unknown").all()
    hand = corpus[corpus["label_source"] == "hand"]
    merged = hand.merge(labels, on=["log", "activity"], suffixes=("", "_hand"))
    assert len(merged) == len(hand)
    assert (merged["label"] == merged["label_hand"]).all()


# ------------------------------------------------------------------ estimator conventions
def test_fit_with_groups_reports_auc_per_group_and_flags_one_class_groups():
    x, y, groups = _small_training()
    groups = groups.where(~x["activity"].str.startswith("SRM"), "srm_only")
    model = AutomatabilityModel(n_repeats=2).fit(x, y, groups=groups)
    auc = model.cv_report_.auc.set_index("group")
    assert auc.loc["srm_only", "note"] == "one class only: no AUC"
    assert np.isnan(auc.loc["srm_only", "auc"])
    assert 0.5 < model.cv_report_.pooled_auc <= 1.0
    assert "activity" in set(model.cv_report_.importances["feature"])


def test_fit_without_groups_uses_stratified_k_fold():
    x, y, _ = _small_training()
    model = AutomatabilityModel(cv=3, n_repeats=1).fit(x, y)
    assert model.cv_report_.scheme == "stratified k-fold (k=3)"
    assert list(model.cv_report_.auc["group"]) == ["fold 1", "fold 2", "fold 3"]
    assert AutomatabilityModel(cv=None).fit(x, y).cv_report_ is None


def test_target_encodings_agree_and_bad_labels_raise():
    x, y, _ = _small_training()
    binary = y.isin(["automated", "highly_automatable"])
    by_name = AutomatabilityModel(cv=None).fit(x, y).predict_proba(x)
    by_bool = AutomatabilityModel(cv=None).fit(x, binary.to_numpy()).predict_proba(x)
    by_int = AutomatabilityModel(cv=None).fit(x, binary.astype(int).tolist()).predict_proba(x)
    np.testing.assert_allclose(by_name, by_bool)
    np.testing.assert_allclose(by_name, by_int)
    with pytest.raises(rc.ParameterError, match="unknown"):
        AutomatabilityModel(cv=None).fit(x, y.where(y != "cognitive", "unknown"))
    with pytest.raises(rc.ParameterError, match="one class"):
        AutomatabilityModel(cv=None).fit(x, np.ones(len(x), dtype=int))


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"C": 0}, "C=0"),
        ({"features": "everything"}, "features='everything'"),
        ({"features": ["no_such_column"]}, "no_such_column"),
        ({"ngram_range": (4, 2)}, "ngram_range"),
        ({"mask_automated": 1.5}, "mask_automated"),
        ({"mask_status": -0.1}, "mask_status"),
        ({"calibration": "isotonic"}, "calibration='isotonic'"),
        ({"cv": 1}, "cv=1"),
    ],
)
def test_invalid_parameters_raise_parameter_error(params, match):
    x, y, _ = _small_training()
    with pytest.raises(rc.ParameterError, match=match):
        AutomatabilityModel(**params).fit(x, y)


def test_calibration_is_a_rising_map_of_the_raw_probabilities():
    x, y, _ = _small_training()
    raw = AutomatabilityModel(cv=None, calibration=None).fit(x, y)
    assert raw.calibration_ == (1.0, 0.0)
    for method in ("sigmoid", "temperature"):
        model = AutomatabilityModel(cv=3, calibration=method).fit(x, y)
        a, b = model.calibration_
        assert a > 0
        if method == "temperature":
            assert b == 0.0
        p_raw, p = raw.predict_proba(x)[:, 1], model.predict_proba(x)[:, 1]
        np.testing.assert_array_equal(model.pipeline_[-1].coef_, raw.pipeline_[-1].coef_)
        q = np.clip(p_raw, 1e-4, 1 - 1e-4)
        np.testing.assert_allclose(p, 1 / (1 + np.exp(-(a * np.log(q / (1 - q)) + b))))
        order = np.argsort(p_raw, kind="stable")
        assert np.all(np.diff(p[order]) >= -1e-12)
        report = model.cv_report_
        assert report.ece_uncalibrated != report.ece
        assert {"proba", "proba_uncalibrated"} <= set(report.predictions.columns)


def test_shipped_calibration_map_is_what_the_corpus_fit_gives():
    """data/calibration.toml holds the map a fresh fit on the bundled corpus gives, and
    default_model() applies it without refitting (scripts/write_calibration.py)."""
    from rpa_candidates.scoring.model import shipped_calibration

    shipped = shipped_calibration()
    assert shipped is not None  # the corpus is the one the map was fitted on
    method, (slope, intercept) = shipped
    fitted = default_model(report=True)  # fits the map on the inner predictions
    assert method == fitted.calibration == "sigmoid"
    assert fitted.calibration_ == pytest.approx((slope, intercept), rel=1e-9)
    assert slope == pytest.approx(0.666, abs=1e-3)  # measured
    quick = default_model()
    assert quick.calibration == "sigmoid"
    assert quick.calibration_ == (slope, intercept)
    x = load_corpus().head(40)
    np.testing.assert_allclose(quick.predict_proba(x), fitted.predict_proba(x), rtol=1e-9)


def test_a_falling_platt_map_is_replaced_by_the_identity():
    from rpa_candidates.scoring._calibration import fit_calibration

    p = np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9])
    assert fit_calibration(p, np.array([1, 1, 1, 0, 0, 0]), None, method="sigmoid") == (1.0, 0.0)
    slope, _ = fit_calibration(p, np.array([0, 0, 1, 0, 1, 1]), None, method="sigmoid")
    assert slope > 0


def test_clone_pipeline_and_determinism():
    x, y, _ = _small_training()
    model = AutomatabilityModel(C=0.5, ngram_range=(2, 3), cv=None)
    fitted = clone(model).fit(x, y)
    copy = clone(fitted)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "pipeline_")
    pipe = Pipeline([("model", clone(model))]).fit(x, y)
    np.testing.assert_array_equal(pipe.predict_proba(x), fitted.predict_proba(x))
    np.testing.assert_array_equal(pipe.predict(x), fitted.predict(x))
    assert list(fitted.classes_) == [0, 1]
    assert fitted.predict_proba(x.iloc[:3]).shape == (3, 2)
    with pytest.raises(rc.ParameterError, match="lacks the columns"):
        fitted.predict_proba(x.drop(columns=["label_mechanical"]))


def test_blanking_hides_the_execution_profile_of_automated_steps():
    x, y, _ = _small_training()
    model = AutomatabilityModel(cv=None).fit(x, y)
    row = x.iloc[[0]].copy()
    row["automation_rate"] = 1.0
    changed = row.copy()
    changed[["instant_share", "batch_share", "handling_median_minutes"]] = [1.0, 1.0, 0.0]
    np.testing.assert_allclose(model.predict_proba(row), model.predict_proba(changed))


@pytest.mark.parametrize(
    "check",
    [
        estimator_checks.check_parameters_default_constructible,
        estimator_checks.check_no_attributes_set_in_init,
        estimator_checks.check_get_params_invariance,
        estimator_checks.check_set_params,
        estimator_checks.check_estimator_cloneable,
        estimator_checks.check_estimator_repr,
        estimator_checks.check_do_not_raise_errors_in_init_or_set_params,
    ],
)
def test_scikit_learn_checks_that_need_no_numeric_array_input(check):
    """The other checks of check_estimator feed numeric arrays, which this model rejects."""
    check("AutomatabilityModel", AutomatabilityModel())


def test_bundled_corpus_matches_the_current_feature_code():
    """Rebuild one synthetic training log: a changed lexicon or indicator needs a new corpus.

    If this fails, run ``python scripts/build_corpus.py`` and ``python
    scripts/model_report.py --write`` and commit the corpus and docs/model.md together.
    """
    from rpa_candidates.scoring.model import DEFAULT_FEATURES

    sim = rc.synth.simulate("wohngeld", n_cases=300, seed=_training_seeds()[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        fresh = rc.activity_features(rc.read_log(sim.events)).set_index("activity")
    corpus = load_corpus()
    stored = corpus[corpus["log"] == f"synth:wohngeld:{_training_seeds()[0]}:realistic"]
    stored = stored.set_index("activity").loc[fresh.index]
    columns = [*DEFAULT_FEATURES, "automation_rate"]
    np.testing.assert_allclose(
        stored[columns].to_numpy(float), fresh[columns].to_numpy(float), rtol=1e-4, atol=1e-6
    )
