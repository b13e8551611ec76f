"""What :class:`~rpa_candidates.scoring.model.AutomatabilityModel` may read.

The feature sets (with the reason for every catalogue indicator left out), the blanking
of the execution profile of steps a system user does, and the folding of activity names
for character n-grams. ``docs/model.md`` explains the choices.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from ..core.errors import ParameterError
from ..core.resources import fold_name

__all__ = ["DEFAULT_FEATURES", "EXCLUDED_FEATURES", "EXECUTION_PROFILE", "LABEL_FEATURES"]

#: Inputs of ``features="default"``: what the name says the work is, and how a person's
#: execution of it looks (duration, its spread, one-click records, batched records).
DEFAULT_FEATURES: tuple[str, ...] = (
    "label_mechanical",
    "label_judgement",
    "label_physical",
    "label_communication",
    "handling_median_minutes",
    "handling_cv",
    "instant_share",
    "batch_share",
)
#: What the name's action says (``features/labels.py``): blanked for status records
#: (``label_system ≥ mask_status``), whose name holds no action, so that the model scores
#: them from their behaviour and the name's classes count neither for nor against them.
LABEL_FEATURES: tuple[str, ...] = (
    "label_mechanical",
    "label_judgement",
    "label_physical",
    "label_communication",
    "label_system",
)
#: Execution-profile indicators: blanked (set missing, then imputed) for steps that a
#: system user mostly executes (``automation_rate ≥ mask_automated``), because there they
#: describe the software, not the work, and would leak that the step is already automated.
EXECUTION_PROFILE: tuple[str, ...] = (
    "handling_median_minutes",
    "handling_mean_minutes",
    "handling_iqr_minutes",
    "handling_cv",
    "stability",
    "instant_share",
    "batch_share",
    "off_hours_share",
    "weekend_share",
)
_FLOW = "describes the process around the step; in the corpus its link to the label comes "
_FLOW += "from the simulator's design and did not transfer to real logs (docs/model.md)"
#: Catalogue indicators the default model does not use, with the reason (docs/model.md).
EXCLUDED_FEATURES: dict[str, str] = {
    "automation_rate": "leak: says directly whether a system user does the step "
    "(used only to blank the execution profile)",
    "label_system": "constant after the blanking of status records (used only to blank the "
    "label indicators of a status record, whose name holds no action)",
    "distinct_resources": "leak: resource identity (a system user is one resource)",
    "off_hours_share": "leak: says who works (night and weekend = software), not what",
    "weekend_share": "leak: says who works (weekend = software), not what",
    "handover_rate": "leak: who does the step relative to the step before (resource identity)",
    "handling_coverage": "artefact of the log's timestamps, not of the work",
    "handling_source": "artefact of the log's timestamps (category), not of the work",
    "executions": "scale of the log (number of cases), not of the work",
    "cases": "scale of the log (number of cases), not of the work",
    "executions_per_year": "scale of the organisation, not of the work",
    "cases_per_year": "scale of the organisation, not of the work",
    "handling_mean_minutes": "redundant with the median, outlier-driven",
    "handling_iqr_minutes": "redundant with the median and handling_cv",
    "stability": "in minutes, redundant with handling_cv",
    "attributes_written": "added after the model was validated; the labelled corpus has no "
    "column for it yet, and in flat logs it mostly marks the step that captures the case "
    "data (docs/model.md)",
    **dict.fromkeys(
        (
            "case_share",
            "executions_per_case",
            "predecessor_standardisation",
            "successor_standardisation",
            "successor_entropy",
            "rework_rate",
            "self_loop_rate",
            "exception_rate",
            "decision_determinism",
            "decision_successors",
        ),
        _FLOW,
    ),
}
#: Indicators in minutes, used as log(1 + minutes).
_MINUTES = ("handling_median_minutes", "handling_mean_minutes", "handling_iqr_minutes", "stability")


def _blank(
    frame: pd.DataFrame, threshold: float | None, status: float | None = None
) -> pd.DataFrame:
    """Set the execution profile to NaN where ``automation_rate ≥ threshold``, and the
    label indicators to NaN where ``label_system ≥ status`` (a status record)."""
    out = frame.copy()
    for limit, indicator, columns in (
        (threshold, "automation_rate", EXECUTION_PROFILE),
        (status, "label_system", LABEL_FEATURES),
    ):
        if limit is None or indicator not in out:
            continue
        rows = out[indicator].to_numpy(dtype=float) >= limit  # NaN: not blanked
        out.loc[rows, [c for c in columns if c in out]] = np.nan
    return out


def _log_minutes(values: np.ndarray) -> np.ndarray:
    """``log(1 + max(x, 0))``, NaN kept (imputed afterwards)."""
    return np.log1p(np.clip(np.asarray(values, dtype=float), 0.0, None))


def _label_text(text: str) -> str:
    """Fold an activity name for n-grams: lower case, umlauts as ae/oe/ue/ss, letters only.

    ``"A_PARTLYSUBMITTED"`` becomes ``"a partlysubmitted"``, ``"T07-1 Draft intern advice"``
    becomes ``"t draft intern advice"``, ``"Gebühr berechnen"`` ``"gebuehr berechnen"``.
    """
    return re.sub(r"[^a-z]+", " ", fold_name(str(text))).strip()


def build_pipeline(model: Any) -> Pipeline:
    """The unfitted pipeline of an ``AutomatabilityModel`` (blanking, columns, classifier)."""
    minutes = [c for c in model.features_ if c in _MINUTES]
    others = [c for c in model.features_ if c not in _MINUTES]
    blocks: list[tuple[str, Any, Any]] = []
    if minutes:
        blocks.append(
            (
                "minutes",
                make_pipeline(
                    FunctionTransformer(_log_minutes, feature_names_out="one-to-one"),
                    SimpleImputer(strategy="median", keep_empty_features=True),
                    StandardScaler(),
                ),
                minutes,
            )
        )
    if others:
        blocks.append(
            (
                "indicators",
                make_pipeline(
                    SimpleImputer(strategy="median", keep_empty_features=True),
                    StandardScaler(),
                ),
                others,
            )
        )
    if model.text_weight > 0:
        vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(model.ngram_range),
            preprocessor=_label_text,
            sublinear_tf=True,
        )
        blocks.append(("text", vectorizer, "activity"))
    if not blocks:
        raise ParameterError(
            "AutomatabilityModel has no inputs: features is empty and text_weight=0."
        )
    columns = ColumnTransformer(blocks, transformer_weights={"text": float(model.text_weight)})
    classifier = LogisticRegression(
        C=float(model.C),
        class_weight="balanced",
        max_iter=10_000,
        random_state=model.random_state,
    )
    blank = FunctionTransformer(
        _blank, kw_args={"threshold": model.mask_automated, "status": model.mask_status}
    )
    return Pipeline([("blank", blank), ("columns", columns), ("classifier", classifier)])
