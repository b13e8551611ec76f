"""score_activities: the blend of rule and model scores, knock-outs, already automated, reasons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.scoring import default_criteria, score_activities


class StandIn:
    """A fitted model stand-in: P(automatable) from a fixed value per activity."""

    def __init__(self, value=0.8, *, nan_for=()):
        self.value = value
        self.nan_for = set(nan_for)

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        p = np.where(features["activity"].isin(self.nan_for), np.nan, self.value)
        return np.column_stack([1 - p, p])


@pytest.fixture(scope="module")
def wohngeld():
    sim = rc.synth.simulate("wohngeld", n_cases=400, seed=2)
    return rc.activity_features(rc.read_log(sim.events)), sim.truth


def test_columns_and_order(wohngeld):
    features, _ = wohngeld
    out = score_activities(features, model=StandIn())
    crit = [f"crit_{cid}" for cid in default_criteria()["criteria"]]
    assert list(out.columns) == [
        "activity",
        "automatability",
        "rule_score",
        "ml_score",
        "already_automated",
        "knocked_out",
        "status_record",
        "knockout_criteria",
        "reasons",
        "reasons_for",
        "reasons_against",
        *crit,
    ]
    assert out["activity"].tolist() == features["activity"].tolist()
    assert out["automatability"].between(0, 1).all()
    assert out["already_automated"].dtype == bool


def test_blend_follows_the_documented_formula(wohngeld):
    features, _ = wohngeld
    out = score_activities(features, model=StandIn(0.8))
    blend = default_criteria()["blend"]
    w_rule, w_ml, cap = blend["rule"], blend["ml"], blend["knockout_cap"]
    free = ~out["knocked_out"]
    expected = (w_rule * out["rule_score"] + w_ml * 0.8) / (w_rule + w_ml)
    np.testing.assert_allclose(out.loc[free, "automatability"], expected[free])
    knocked = out[out["knocked_out"]]
    assert len(knocked) > 0
    rule_mean = knocked["rule_score"] / cap  # rule_score is already scaled by the cap
    np.testing.assert_allclose(
        knocked["automatability"], cap * (w_rule * rule_mean + w_ml * 0.8) / (w_rule + w_ml)
    )
    assert (knocked["automatability"] <= cap).all()


def test_blend_weights_from_the_criteria_dict(wohngeld):
    features, _ = wohngeld
    criteria = default_criteria()
    criteria["blend"] = {"rule": 1.0, "ml": 0.0}
    out = score_activities(features, criteria=criteria, model=StandIn(0.0))
    free = ~out["knocked_out"]
    np.testing.assert_allclose(out.loc[free, "automatability"], out.loc[free, "rule_score"])


def test_a_missing_part_is_left_out(wohngeld):
    features, _ = wohngeld
    out = score_activities(features, model=StandIn(0.3, nan_for=["Antrag erfassen"]))
    row = out.set_index("activity").loc["Antrag erfassen"]
    assert np.isnan(row["ml_score"])
    assert row["automatability"] == pytest.approx(row["rule_score"])


def test_already_automated_steps_keep_their_score(wohngeld):
    features, truth = wohngeld
    out = score_activities(features, model=StandIn()).merge(truth[["activity", "label_class"]])
    automated = out[out["already_automated"]]
    assert set(automated["activity"]) == set(
        truth.loc[truth["label_class"] == "automated", "activity"]
    )
    assert (automated["automatability"] > 0.5).all()


def test_reasons_in_both_languages(wohngeld):
    features, _ = wohngeld
    de = score_activities(features, model=StandIn(), lang="de").set_index("activity")
    en = score_activities(features, model=StandIn(), lang="en").set_index("activity")
    text = de.loc["Antrag erfassen", "reasons"]
    assert text.startswith("Dafür: ")
    assert "; Dagegen: " in text
    assert en.loc["Antrag erfassen", "reasons"].startswith("For: ")
    assert "; Against: " in en.loc["Antrag erfassen", "reasons"]
    minutes = [s for s in de.loc["Einkommen berechnen", "reasons_for"] if "Minuten" in s]
    assert minutes == [] or "," in minutes[0]  # German decimal comma
    knocked = de.loc["Beratungsgespräch führen"]
    assert knocked["knocked_out"]
    assert knocked["reasons_against"][0].startswith("K.-o.-Kriterium: ")
    assert "Dagegen: K.-o.-Kriterium: " in knocked["reasons"]


@pytest.mark.parametrize(
    ("model", "pattern"),
    [
        (object(), "has no predict_proba"),
        (rc.scoring.AutomatabilityModel(), "is not fitted"),
    ],
)
def test_bad_models_raise_parameter_error(wohngeld, model, pattern):
    features, _ = wohngeld
    with pytest.raises(rc.ParameterError, match=pattern):
        score_activities(features, model=model)


def test_wrong_probability_shape(wohngeld):
    features, _ = wohngeld

    class OneColumn:
        def predict_proba(self, frame):
            return np.ones((len(frame), 1))

    with pytest.raises(rc.ParameterError, match=r"shape \(13, 1\)"):
        score_activities(features, model=OneColumn())


def test_lang_is_checked(wohngeld):
    features, _ = wohngeld
    with pytest.raises(rc.ParameterError, match="lang='fr'"):
        score_activities(features, model=StandIn(), lang="fr")


def test_with_the_default_model(wohngeld):
    """model=None loads rpa_candidates.scoring.model.default_model() (fitted on the corpus)."""
    features, truth = wohngeld
    out = score_activities(features).merge(truth[["activity", "automatable", "label_class"]])
    assert out["ml_score"].between(0, 1).all()
    assert out["automatability"].between(0, 1).all()
    assert (
        out.loc[out["automatable"], "automatability"].median()
        > out.loc[out["label_class"] == "cognitive", "automatability"].median()
    )
