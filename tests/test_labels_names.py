"""The label set of activity names written by others, data/labels_names.csv (docs/labeling.md).

The file is measured by scripts/label_eval.py; these tests keep its form: the classes of the
guideline, an automation target that follows from the class, a dev/test split in every
language, and no name of the simulator (its steps are labelled by rc.synth itself).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import rpa_candidates as rc

PATH = Path(rc.__file__).parent / "data" / "labels_names.csv"
TARGET = {"mechanical": "1", "system": "1", "judgement": "0", "physical": "0",
          "communication": "0", "mixed": ""}  # fmt: skip


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(PATH, keep_default_na=False, dtype=str)


def test_columns_and_size(table: pd.DataFrame) -> None:
    assert list(table.columns) == ["name", "language", "action_class", "automatable",
                                   "bpmn_type", "source", "rationale", "split"]  # fmt: skip
    assert table["language"].value_counts().to_dict() == {"de": 183, "es": 85, "en": 56, "nl": 48}
    assert table["name"].str.lower().is_unique


def test_target_follows_the_class(table: pd.DataFrame) -> None:
    assert set(table["action_class"]) == set(TARGET)
    assert (table["automatable"] == table["action_class"].map(TARGET)).all()
    assert (table["source"] != "").all()
    assert (table["rationale"] != "").all()


def test_split_in_every_language(table: pd.DataFrame) -> None:
    counts = pd.crosstab(table["language"], table["split"])
    assert list(counts.columns) == ["dev", "test"]
    assert ((counts["dev"] - counts["test"]).abs() <= 1).all()


def test_no_simulator_step(table: pd.DataFrame) -> None:
    steps = {
        str(a).lower()
        for p in rc.synth.PROCESSES
        for a in rc.synth.simulate(p, n_cases=3, seed=0).truth["activity"]
    }
    assert len(steps) == 45
    assert not steps & set(table["name"].str.lower())


def test_second_labeller_labels_the_same_names_and_agrees_as_measured(table: pd.DataFrame):
    from sklearn.metrics import cohen_kappa_score

    second = pd.read_csv(PATH.with_name("labels_names_second.csv"), keep_default_na=False)
    assert list(second.columns) == ["name", "language", "action_class", "rationale"]
    assert list(second["name"]) == list(table["name"])
    assert set(second["action_class"]) <= set(TARGET)
    assert (second["rationale"] != "").all()
    # measured (docs/labeling.md): 320 of 372 alike, Cohen's kappa 0.782
    assert int((second["action_class"] == table["action_class"]).sum()) == 320
    assert cohen_kappa_score(table["action_class"], second["action_class"]) == pytest.approx(
        0.782, abs=0.001
    )


def test_fresh_held_out_set_has_two_labels_and_no_known_name(table: pd.DataFrame):
    fresh = pd.read_csv(PATH.with_name("labels_names_fresh.csv"), keep_default_na=False)
    assert list(fresh.columns) == ["name", "language", "bpmn_type", "source", "action_class",
                                   "rationale", "second", "second_rationale"]  # fmt: skip
    assert fresh["language"].value_counts().to_dict() == {"de": 87, "es": 37, "en": 29, "nl": 29}
    assert set(fresh["action_class"]) | set(fresh["second"]) <= set(TARGET)
    assert (fresh["source"] != "").all()
    assert (fresh["rationale"] != "").all()
    # measured (docs/labeling.md): the two labellers agree on 173 of 182
    assert int((fresh["action_class"] == fresh["second"]).sum()) == 173
    names = set(fresh["name"].str.strip().str.lower())
    assert len(names) == len(fresh)
    real = pd.read_csv(PATH.with_name("labels_real.csv"))["activity"].str.strip().str.lower()
    assert not names & set(table["name"].str.strip().str.lower())
    assert not names & set(real)


def test_second_fresh_set_is_new_to_every_earlier_set(table: pd.DataFrame):
    fresh2 = pd.read_csv(PATH.with_name("labels_names_fresh2.csv"), keep_default_na=False)
    fresh = pd.read_csv(PATH.with_name("labels_names_fresh.csv"), keep_default_na=False)
    assert list(fresh2.columns) == list(fresh.columns)
    assert fresh2["language"].value_counts().to_dict() == {"de": 59, "en": 37, "es": 34, "nl": 25}
    assert set(fresh2["action_class"]) | set(fresh2["second"]) <= set(TARGET)
    # measured (docs/labeling.md): the two labellers agree on 152 of 155
    assert int((fresh2["action_class"] == fresh2["second"]).sum()) == 152
    names = set(fresh2["name"].str.strip().str.lower())
    assert len(names) == len(fresh2)
    assert not names & set(table["name"].str.strip().str.lower())
    assert not names & set(fresh["name"].str.strip().str.lower())
