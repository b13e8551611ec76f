"""A status record (the name records a state, no action) is scored from its behaviour.

Issue #15: ``A_REGISTERED``, ``O_CANCELLED``, ``SRM: Created``, "Antrag zurückgezogen" are
marked as status records; the criteria that read the name's action are unknown for them,
``mechanical_record`` (written by a system, instantly or in a batch) is known only for them,
the model sees their label indicators as missing, and the reasons say so.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.scoring import RuleScorer, score_activities
from rpa_candidates.scoring.model import default_model

STATUS = {
    "de": "Statusmeldung, kein Arbeitsschritt: aus dem Verhalten bewertet",
    "en": "Status record, not a work step: scored from its behaviour",
}
#: Measured with the default catalogue and model (issue #15 item 5): BPI 2012's A_SUBMITTED
#: (system user 112) rule 0.857, model 0.673, blend 0.765; the slow, manual "Antrag
#: zurückgezogen" of _office_log rule 0.146 (knocked out), model 0.347, blend 0.108.
ML_A_SUBMITTED, AUTO_A_SUBMITTED, AUTO_HUMAN_SLOW = 0.673, 0.765, 0.108
LABEL_CRITERIA = ("crit_rule_based", "crit_digital_work", "crit_structured_data")


def _office_log(names: list[str], slow_last: bool, n_cases: int = 80) -> rc.EventLog:
    """Four clerks on weekdays from 8:00; the last step slow and uneven if ``slow_last``."""
    rng = np.random.default_rng(5)
    staff = ["Anna Becker", "Jonas Wolf", "Petra Klein", "Murat Demir"]
    rows = []
    for case in range(n_cases):
        t = pd.Timestamp("2025-03-03 08:00") + pd.offsets.BDay(case // 8)
        t += pd.Timedelta(minutes=45 * (case % 8))
        for name in names:
            mu, sigma = (40.0, 0.9) if slow_last and name == names[-1] else (6.0, 0.3)
            t += pd.Timedelta(minutes=float(rng.lognormal(np.log(mu), sigma)))
            rows.append((f"c{case}", name, t, staff[rng.integers(len(staff))]))
    frame = pd.DataFrame(rows, columns=["case", "activity", "time", "resource"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.read_log(frame, case="case", activity="activity", timestamp="time",
                           resource="resource")  # fmt: skip


@pytest.fixture(scope="module")
def bpi2012(sample_data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        features = rc.activity_features(rc.read_log(sample_data / "BPI_Challenge_2012.xes.gz"))
    return features, score_activities(features, lang="en").set_index("activity")


def test_automated_status_record_is_scored_from_its_behaviour(bpi2012):
    features, scores = bpi2012
    row = scores.loc["A_SUBMITTED"]
    indicators = features.set_index("activity").loc["A_SUBMITTED"]
    assert indicators["label_system"] == 1.0
    assert indicators["automation_rate"] == 1.0
    assert row["status_record"]
    assert not row["knocked_out"]
    assert row["already_automated"]
    assert row[list(LABEL_CRITERIA)].isna().all()
    assert row["crit_mechanical_record"] == 1.0
    assert row["rule_score"] == pytest.approx(0.857, abs=0.005)
    assert row["ml_score"] == pytest.approx(ML_A_SUBMITTED, abs=0.005)
    assert row["automatability"] == pytest.approx(AUTO_A_SUBMITTED, abs=0.005)
    assert row["reasons_against"][0] == STATUS["en"]
    assert "100% of the records written by a system" in row["reasons"]
    # a person's status record of the same log, never instant: knocked out by its behaviour
    accepted = scores.loc["A_ACCEPTED"]
    assert accepted["status_record"]
    assert accepted["knocked_out"]
    assert accepted["knockout_criteria"] == "mechanical_record"
    assert accepted["automatability"] <= 0.2
    # work steps keep their action criteria and are no status records
    work = scores.loc["W_Completeren aanvraag"]
    assert not work["status_record"]
    assert work[list(LABEL_CRITERIA)].notna().all()
    assert np.isnan(work["crit_mechanical_record"])


@pytest.mark.parametrize("lang", ["de", "en"])
def test_human_slow_status_record_scores_low_and_says_why(lang):
    names = ["Antrag erfassen", "Unterlagen prüfen", "Antrag zurückgezogen"]
    features = rc.activity_features(_office_log(names, slow_last=True))
    scores = score_activities(features, lang=lang).set_index("activity")
    row = scores.loc["Antrag zurückgezogen"]
    shown = features.set_index("activity").loc["Antrag zurückgezogen"]
    assert shown["automation_rate"] == 0.0
    assert shown["instant_share"] == 0.0
    assert row["status_record"]
    assert row["knocked_out"]
    assert row["knockout_criteria"] == "mechanical_record"
    assert row["crit_mechanical_record"] == 0.0
    assert row[list(LABEL_CRITERIA)].isna().all()
    assert row["automatability"] == pytest.approx(AUTO_HUMAN_SLOW, abs=0.005)
    assert row["reasons_against"][0] == STATUS[lang]
    assert row["reasons_against"][1].startswith(("K.-o.-Kriterium: Die Meldung", "Knock-out: The"))
    assert not scores.loc["Antrag erfassen", "status_record"]
    assert scores.loc["Antrag erfassen", "automatability"] > 0.8


def test_model_sees_no_label_evidence_for_a_status_record():
    """The model's label indicators of a status record are missing (imputed), not 'no data
    work': the same behaviour with a status name and with a name without any action (an
    opaque code, labels NaN) gives the same model input apart from the name."""
    features = rc.activity_features(_office_log(["Antrag erfassen", "A_CANCELLED"], False))
    model = default_model()
    blank = model.pipeline_.named_steps["blank"]
    frame = model._frame(features, model.feature_names_in_)
    seen = blank.transform(frame).set_index("activity")
    label_columns = [c for c in seen.columns if c.startswith("label_")]
    assert seen.loc["A_CANCELLED", label_columns].isna().all()
    assert seen.loc["Antrag erfassen", "label_mechanical"] == 1.0


def test_status_marker_and_label_criteria_can_be_set_in_the_catalogue():
    features = rc.activity_features(_office_log(["Antrag erfassen", "A_CANCELLED"], False))
    criteria = rc.scoring.default_criteria()
    criteria["status_record"]["threshold"] = 1.5  # nothing is a status record
    scores = RuleScorer(criteria, lang="en").fit(features).score_activities(features)
    row = scores.set_index("activity").loc["A_CANCELLED"]
    assert not row["status_record"]
    assert np.isnan(row["crit_mechanical_record"])
    assert row["crit_structured_data"] == 0.0  # read from the name again: no data work
    criteria["criteria"]["volume"]["applies_to"] = "sometimes"
    with pytest.raises(rc.ParameterError, match="applies_to='sometimes' is not allowed"):
        RuleScorer(criteria).fit(features)
