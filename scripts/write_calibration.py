"""Refit the default model's calibration map and write it to data/calibration.toml.

Run from the repository root after the training corpus or the model changed::

    python scripts/write_calibration.py

The map is Platt scaling on the inner leave-one-log-out predictions of the bundled corpus
(``AutomatabilityModel(calibration="sigmoid").fit`` with the corpus groups and weights);
``tests/test_model.py`` checks that the shipped numbers are what this fit gives.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from rpa_candidates.scoring.corpus import (  # noqa: E402
    corpus_sha256,
    corpus_weights,
    load_corpus,
)
from rpa_candidates.scoring.model import AutomatabilityModel  # noqa: E402


def main() -> None:
    corpus = load_corpus()
    model = AutomatabilityModel(calibration="sigmoid").fit(
        corpus,
        corpus["target"],
        groups=corpus["group"],
        sample_weight=corpus_weights(corpus),
        report=False,
    )
    slope, intercept = model.calibration_
    data = REPO / "src" / "rpa_candidates" / "data"
    digest = corpus_sha256()
    path = data / "calibration.toml"
    text = path.read_text(encoding="utf-8")
    for key, value in (("slope", repr(slope)), ("intercept", repr(intercept))):
        text = re.sub(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.M)
    text = re.sub(r'^corpus_sha256 = ".*"$', f'corpus_sha256 = "{digest}"', text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    print(f"slope {slope!r}, intercept {intercept!r}, corpus {digest[:12]}…: {path}")


if __name__ == "__main__":
    main()
