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
