"""RuleScorer: criteria catalogue, transforms, unknowns, knock-outs, errors, synth ranking."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import rpa_candidates as rc
from rpa_candidates.scoring import RuleScorer, default_criteria, format_number
from rpa_candidates.scoring._criteria import transform_values
from rpa_candidates.scoring._params import Interval, Options, check_params

DOCS = Path(__file__).resolve().parents[1] / "docs" / "criteria.md"


@pytest.fixture(scope="module")
def parken():
    sim = rc.synth.simulate("bewohnerparken", n_cases=400, seed=3)
    return rc.activity_features(rc.read_log(sim.events)), sim.truth


def _row(features: pd.DataFrame, activity: str, **changes) -> pd.DataFrame:
    row = features[features["activity"] == activity].copy()
    for key, value in changes.items():
        row[key] = value
    return row.reset_index(drop=True)


def _scores(features: pd.DataFrame, **kwargs) -> pd.DataFrame:
    return RuleScorer(**kwargs).fit(features).score_activities(features)


# --- the catalogue -------------------------------------------------------------------


def test_default_criteria_have_provenance_and_known_indicators():
    raw = default_criteria()
    assert len(raw["criteria"]) >= 8
    for cid, body in raw["criteria"].items():
        for key in ("unit", "source", "year", "weight", "transform", "reason", "name"):
            assert key in body, (cid, key)
        assert body["source"].strip()
        assert isinstance(body["year"], int)
        assert set(body["indicators"]) <= set(rc.features.CATALOG), cid
        assert all("{value}" in body["reason"][lang] for lang in ("de", "en"))
    for table in ("blend", "already_automated"):
        assert {"unit", "source", "year"} <= set(raw[table])
    assert raw["already_automated"]["indicator"] == "automation_rate"


def test_docs_name_the_same_criteria_as_the_toml():
    documented = re.findall(r"^### `([a-z_]+)`", DOCS.read_text(encoding="utf-8"), flags=re.M)
    assert documented == list(default_criteria()["criteria"])
    text = DOCS.read_text(encoding="utf-8")
    blend = default_criteria()["blend"]
    for key in ("rule", "ml", "knockout_cap"):
        assert f"`{key} = {blend[key]}`" in text


# --- transforms ----------------------------------------------------------------------


def test_transforms_on_edge_values():
    x = np.array([np.nan, -1.0, 0.0, 0.5, 1.0, 2.0])
    lin = transform_values(x, {"kind": "linear", "zero_at": 0.0, "one_at": 1.0})
    np.testing.assert_allclose(lin, [np.nan, 0, 0, 0.5, 1, 1])
    falling = transform_values(x, {"kind": "linear", "zero_at": 1.0, "one_at": 0.0})
    np.testing.assert_allclose(falling, [np.nan, 1, 1, 0.5, 0, 0])
    log = transform_values(
        np.array([0.0, 12.0, 120.0, 1200.0, 1e6]),
        {"kind": "log", "zero_at": 12.0, "one_at": 1200.0},
    )
    np.testing.assert_allclose(log, [0, 0, 0.5, 1, 1])
    logistic = transform_values(np.array([5.0]), {"kind": "logistic", "midpoint": 5, "scale": 1})
    np.testing.assert_allclose(logistic, [0.5])
    steps = transform_values(
        np.array([0.0, 1.0, 5.0, np.nan]),
        {"kind": "steps", "thresholds": [1.0, 5.0], "scores": [0.0, 0.5, 1.0]},
    )
    np.testing.assert_allclose(steps, [0, 0.5, 1, np.nan])


def test_format_number_per_language():
    assert format_number(12400, "de") == "12.400"
    assert format_number(12400, "en") == "12,400"
    assert format_number(3.14159, "de", 2) == "3,14"
    assert format_number(-0.0001, "de", 1) == "0,0"
    assert format_number(float("nan"), "en") == "–"
    with pytest.raises(rc.ParameterError, match="lang"):
        format_number(1, "fr")


# --- unknowns and knock-outs -----------------------------------------------------------


def test_zero_executions_scores_volume_zero_and_knocks_out(parken):
    features, _ = parken
    row = _row(features, "Gebühr berechnen", executions=0, cases=0, executions_per_year=0.0)
    out = _scores(row).iloc[0]
    assert out["crit_volume"] == 0.0
    assert out["knocked_out"]
    assert "volume" in out["knockout_criteria"]
    for cid in ("standardised", "stable_handling", "low_exceptions", "low_rework"):
        assert np.isnan(out[f"crit_{cid}"]), cid  # min_executions: unknown, not 0
    assert out["reasons_against"][0].startswith("K.-o.-Kriterium: Wird 0-mal pro Jahr")


def test_one_execution_leaves_the_distribution_criteria_unknown(parken):
    features, _ = parken
    row = _row(features, "Gebühr berechnen", executions=1, cases=1)
    out = _scores(row).iloc[0]
    for cid in ("standardised", "stable_handling", "low_exceptions", "low_rework"):
        assert np.isnan(out[f"crit_{cid}"]), cid
    for cid in ("volume", "rule_based", "structured_data", "worth_it"):
        assert not np.isnan(out[f"crit_{cid}"]), cid


def test_missing_handling_time_is_left_out_of_the_weighting(parken):
    features, _ = parken
    row = _row(features, "Gebühr berechnen", handling_mean_minutes=np.nan, handling_cv=np.nan)
    scorer = RuleScorer().fit(row)
    out = scorer.score_activities(row).iloc[0]
    assert np.isnan(out["crit_worth_it"])
    assert np.isnan(out["crit_stable_handling"])
    known = [c for c in scorer.criteria_ if not np.isnan(out[c.column])]
    expected = sum(c.weight * out[c.column] for c in known) / sum(c.weight for c in known)
    assert out["rule_score"] == pytest.approx(expected)
    assert out["rule_score"] > 0.5  # a 0 for the missing time would have pulled it down
    reasons = " ".join(out["reasons_for"] + out["reasons_against"])
    assert "Minuten" not in reasons


def test_all_criteria_unknown_gives_nan_and_says_so(parken):
    features, _ = parken
    indicators = {i for c in RuleScorer().fit(features).criteria_ for i in c.indicators}
    row = _row(features, "Gebühr berechnen", **dict.fromkeys(indicators, np.nan))
    scorer = RuleScorer(lang="en").fit(row)
    out = scorer.score_activities(row).iloc[0]
    assert np.isnan(out["rule_score"])
    assert not out["knocked_out"]
    assert out["reasons_for"] == []
    assert out["reasons_against"] == [
        "No rule can be applied: every criterion is unknown for this step"
    ]
    np.testing.assert_allclose(scorer.predict_proba(row), [[0.5, 0.5]])


def test_already_automated_steps_keep_a_rule_score(parken):
    features, truth = parken
    scorer = RuleScorer().fit(features)
    out = scorer.score_activities(features).set_index("activity")
    automated = truth.loc[truth["already_automated"], "activity"].tolist()
    assert automated
    assert set(automated) == set(
        features.loc[scorer.already_automated(features).to_numpy(), "activity"]
    )
    for activity in automated:
        assert out.loc[activity, "rule_score"] > 0.5
        assert np.isnan(out.loc[activity, "crit_worth_it"])  # human_only
        assert np.isnan(out.loc[activity, "crit_few_handovers"])


def test_knockout_scales_the_rule_score_and_leads_the_reasons(parken):
    features, _ = parken
    scorer = RuleScorer(lang="en").fit(features)
    out = scorer.score_activities(features).set_index("activity")
    row = out.loc["Telefonische Auskunft erteilen"]
    assert row["knocked_out"]
    assert row["knockout_criteria"] == "digital_work"
    assert row["rule_score"] <= scorer.settings_.knockout_cap
    assert row["reasons_against"][0] == (
        "Knock-out: Action ‘Auskunft’: physical work or conversation (100% of the actions in "
        "the name)"
    )
    de = RuleScorer(lang="de").fit(features).score_activities(features).set_index("activity")
    assert de.loc["Telefonische Auskunft erteilen", "reasons_against"][0] == (
        "K.-o.-Kriterium: Tätigkeit „Auskunft“: Vor-Ort-Arbeit oder Gespräch (100 % der "
        "Tätigkeiten im Namen)"
    )
    assert not out.loc["Gebühr berechnen", "knocked_out"]


def test_output_columns_and_reasons(parken):
    features, _ = parken
    out = _scores(features)
    crit = [f"crit_{cid}" for cid in default_criteria()["criteria"]]
    assert list(out.columns) == [
        "activity",
        *crit,
        "rule_score",
        "knocked_out",
        "status_record",
        "knockout_criteria",
        "reasons_for",
        "reasons_against",
    ]
    assert out["activity"].tolist() == features["activity"].tolist()
    values = out[crit].to_numpy(dtype=float)
    assert np.nanmin(values) >= 0
    assert np.nanmax(values) <= 1
    assert all(len(r) <= 3 for r in out["reasons_for"])
    only_volume = {"criteria": {"volume": default_criteria()["criteria"]["volume"]}}
    for lang, pattern in (
        ("de", r"Wird \d{3}-mal pro Jahr ausgeführt"),
        ("en", r"Executed \d{3} times a year"),
    ):
        row = _scores(features, criteria=only_volume, lang=lang).set_index("activity")
        assert re.fullmatch(pattern, row.loc["Antrag erfassen", "reasons_for"][0])


def test_a_value_that_shows_as_zero_reads_as_a_sentence(parken):
    features, _ = parken
    criteria = default_criteria()["criteria"]
    only = {"criteria": {c: criteria[c] for c in ("rule_based", "low_rework")}}
    # 0.1 % rework rounds to 0 and reads as none; 2 % keeps its number
    row = _row(features, "Antrag erfassen", label_judgement=0.0, rework_rate=0.001)
    for lang, expected in (
        (
            "de",
            [
                "Keine Tätigkeit im Namen verlangt Ermessen oder Entscheidungen",
                "Keine Wiederholungen im selben Fall",
            ],
        ),
        (
            "en",
            [
                "No action in the name needs judgement or decisions",
                "Never repeated within the same case",
            ],
        ),
    ):
        assert sorted(_scores(row, criteria=only, lang=lang)["reasons_for"][0]) == sorted(expected)
    row = _row(features, "Antrag erfassen", label_judgement=0.0, rework_rate=0.02)
    assert _scores(row, criteria=only, lang="en")["reasons_for"][0] == [
        "No action in the name needs judgement or decisions",
        "2% of executions repeat the step in the same case",
    ]


def test_reason_zero_needs_both_languages():
    body = dict(default_criteria()["criteria"]["low_rework"], reason_zero={"de": "keine"})
    with pytest.raises(rc.ParameterError, match=r"reason_zero.*'de', 'en'"):
        RuleScorer(criteria={"criteria": {"low_rework": body}}).fit(pd.DataFrame())


# --- estimator conventions and errors ------------------------------------------------------


def test_estimator_conventions(parken):
    features, _ = parken
    scorer = RuleScorer(lang="en")
    assert scorer.get_params() == {"criteria": None, "lang": "en"}
    assert not hasattr(scorer, "criteria_")
    with pytest.raises(NotFittedError):
        scorer.score_activities(features)
    assert scorer.fit(features) is scorer
    assert scorer.feature_names_in_ == list(features.columns)
    clone(scorer).fit(features)
    proba = scorer.predict_proba(features)
    assert proba.shape == (len(features), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_check_params_helper():
    scorer = RuleScorer(lang="fr")
    with pytest.raises(rc.ParameterError, match=r"lang='fr'.*'de', 'en'"):
        scorer.fit(pd.DataFrame())
    with pytest.raises(rc.ParameterError, match="criteria=3"):
        RuleScorer(criteria=3).fit(pd.DataFrame())
    interval = Interval(0, 1, closed="left")
    assert interval.accepts(0)
    assert not interval.accepts(1)
    assert not interval.accepts(True)
    assert Options(1, 2).accepts(2)
    assert not Options(1, 2).accepts(True)
    with pytest.raises(rc.ParameterError, match="not a parameter"):
        check_params(RuleScorer(), {"alpha": int})


def _with(cid: str, **changes) -> dict:
    raw = default_criteria()
    raw["criteria"][cid].update(changes)
    return raw


@pytest.mark.parametrize(
    ("criteria", "pattern"),
    [
        (
            _with("volume", indicators=["executions_per_yer"]),
            r"criterion 'volume'.*'executions_per_yer'.*closest: 'executions_per_year'",
        ),
        (
            _with("volume", transform={"kind": "sigmoid"}),
            r"criterion 'volume'.*'sigmoid'.*\['linear', 'log', 'logistic', 'steps'\]",
        ),
        (
            _with("volume", transform={"kind": "log", "zero_at": 0, "one_at": 10}),
            r"criterion 'volume'.*zero_at=0 must be > 0",
        ),
        (_with("volume", weight=-1), r"criterion 'volume'.*weight=-1 must be > 0"),
        (_with("volume", wieght=1), r"criterion 'volume'.*'wieght'.*did you mean 'weight'"),
        (_with("volume", reason={"de": "x", "en": "y"}), r"criterion 'volume'.*\{value\}"),
        (_with("volume", combine="median"), r"combine='median'.*'mean', 'min', 'max'"),
        ({"criteria": {}}, r"non-empty 'criteria' table"),
        ({"volume": {"weight": 1}}, r"top-level keys \['volume'\]"),
    ],
)
def test_malformed_criteria_raise_parameter_error(parken, criteria, pattern):
    features, _ = parken
    with pytest.raises(rc.ParameterError, match=pattern):
        RuleScorer(criteria).fit(features)


def test_override_by_dict_and_toml_path(parken, tmp_path):
    features, _ = parken
    only = {"criteria": {"volume": default_criteria()["criteria"]["volume"]}}
    out = _scores(features, criteria=only)
    assert [c for c in out.columns if c.startswith("crit_")] == ["crit_volume"]
    np.testing.assert_allclose(
        out["rule_score"].where(~out["knocked_out"]), out["crit_volume"].where(~out["knocked_out"])
    )
    path = tmp_path / "kriterien.toml"
    path.write_text(
        (Path(rc.__file__).parent / "scoring" / "criteria.toml")
        .read_text(encoding="utf-8")
        .replace("weight = 2.0", "weight = 4.0", 1),
        encoding="utf-8",
    )
    scorer = RuleScorer(str(path)).fit(features)
    assert scorer.criteria_[0].weight == 4.0
    assert tomllib.loads(path.read_text(encoding="utf-8"))["criteria"]["volume"]["weight"] == 4.0
    bad = tmp_path / "kaputt.toml"
    bad.write_text("[criteria\n", encoding="utf-8")
    with pytest.raises(rc.ParameterError, match="cannot be read as TOML"):
        RuleScorer(bad).fit(features)
    missing = features.drop(columns=["handling_cv"])
    with pytest.raises(rc.ParameterError, match=r"lacks the columns \['handling_cv'\]"):
        RuleScorer().fit(missing)


# --- ground truth: automatable steps above judgement steps ------------------------------------


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    "process",
    [
        "wohngeld",
        "gewerbeanmeldung",
        "bewohnerparken",
        "eingangsrechnung",
    ],
)
def test_automatable_steps_rank_above_judgement_steps(process, seed):
    sim = rc.synth.simulate(process, n_cases=400, seed=seed)
    features = rc.activity_features(rc.read_log(sim.events))
    out = _scores(features).merge(sim.truth[["activity", "automatable", "label_class"]])
    lowest_automatable = out.loc[out["automatable"], "rule_score"].min()
    highest_judgement = out.loc[out["label_class"] == "cognitive", "rule_score"].max()
    assert lowest_automatable > highest_judgement + 0.1
