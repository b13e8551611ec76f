"""Would a reader that learns the action class from labelled names carry over to new authors?

An experiment for issue #15, not part of the library. Run from the repository root::

    python scripts/learned_reader_check.py

Trains a multinomial logistic regression on the names of ``data/labels_names.csv`` and
``data/labels_names_fresh.csv`` (first labeller's class) with two blocks of features:
character 2-5-grams of the folded name and the class of the rule reader
(``scripts/label_eval.py``), and measures it once on ``data/labels_names_fresh2.csv``, whose
names no earlier set, rule or word was chosen from. Prints the accuracy against the first
label, and on the names both labellers class alike, beside the rule reader alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

sys.path.insert(0, str(Path(__file__).resolve().parent))
import label_eval as le

from rpa_candidates.features.semantics import fold_name


def frame(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": [fold_name(n) for n in table["name"]],
            "read": table["read"].to_numpy(),
            "language": table["language"].to_numpy(),
        }
    )


def main() -> None:
    names = le.names_set()
    fresh = le.fresh_sets()
    train = pd.concat([names, fresh["labels_names_fresh"]], ignore_index=True)
    test = fresh["labels_names_fresh2"]
    model = Pipeline(
        [
            (
                "features",
                ColumnTransformer(
                    [
                        (
                            "text",
                            TfidfVectorizer(
                                analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True
                            ),
                            "text",
                        ),
                        ("reader", OneHotEncoder(handle_unknown="ignore"), ["read", "language"]),
                    ]
                ),
            ),
            ("clf", LogisticRegression(C=3.0, max_iter=2000, class_weight="balanced")),
        ]
    )
    model.fit(frame(train), train["action_class"])
    learned = model.predict(frame(test))
    agree = (test["action_class"] == test["second"]).to_numpy()
    first = test["action_class"].to_numpy()
    print(f"train {len(train)} names, test {len(test)} (consensus {int(agree.sum())})\n")
    print("| reader | language | accuracy | on consensus |\n|---|---|---:|---:|")
    for label, pred in (("rules", test["read"].to_numpy()), ("rules + learned", learned)):
        for lang in (*sorted(test["language"].unique()), "all"):
            m = np.ones(len(test), bool) if lang == "all" else (test["language"] == lang).to_numpy()
            acc = (pred[m] == first[m]).mean()
            cons = (pred[m & agree] == first[m & agree]).mean()
            print(f"| {label} | {lang} | {acc:.3f} | {cons:.3f} |")


if __name__ == "__main__":
    main()
