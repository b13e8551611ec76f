"""What :class:`~rpa_candidates.scoring.model.AutomatabilityModel` may read.

The feature sets (with the reason for every catalogue indicator left out), the blanking
of the execution profile of steps a system user does, and the folding of activity names
for character n-grams. ``docs/model.md`` explains the choices.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..core.resources import fold_name

__all__ = ["DEFAULT_FEATURES", "EXCLUDED_FEATURES", "EXECUTION_PROFILE"]

#: Inputs of ``features="default"``: what the name says the work is, and how a person's
#: execution of it looks (duration, its spread, one-click records, batched records).
DEFAULT_FEATURES: tuple[str, ...] = (
    "label_mechanical",
    "label_judgement",
    "label_physical",
    "label_communication",
    "label_system",
    "handling_median_minutes",
    "handling_cv",
    "instant_share",
    "batch_share",
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


def _blank_automated(frame: pd.DataFrame, threshold: float | None) -> pd.DataFrame:
    """Set the execution profile to NaN where ``automation_rate ≥ threshold``."""
    if threshold is None or "automation_rate" not in frame:
        return frame
    out = frame.copy()
    rows = out["automation_rate"].to_numpy(dtype=float) >= threshold  # NaN: not blanked
    columns = [c for c in EXECUTION_PROFILE if c in out]
    out.loc[rows, columns] = np.nan
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
