"""``analyze``: the whole pipeline in one call, and the ranked candidate list.

Flow (DESIGN.md): ``activity_features`` → ``score_activities`` → ``estimate_relief`` →
ranking, plus ``discover`` for the process map and the routines.

Ranking rule: candidates are ordered by the expected relief

    expected_relief_hours = relief_hours_per_year × automatability,

largest first; activities whose relief is unknown (no handling time) follow, ordered by
automatability; already-automated steps come last (they keep their score but bring no
relief). Ties are broken by the activity name, so the order is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .core.errors import DataQualityError, ParameterError
from .results import AnalysisResult

if TYPE_CHECKING:
    from .core.eventlog import EventLog
    from .relief import Assumptions
    from .whatif import WhatIf

__all__ = ["CANDIDATE_COLUMNS", "Analysis", "analyze", "rank_candidates"]

#: The columns of ``Analysis.candidates`` fixed by DESIGN.md, in this order; more follow.
CANDIDATE_COLUMNS = [
    "rank",
    "activity",
    "automatability",
    "rule_score",
    "ml_score",
    "already_automated",
    "events_per_year",
    "cases_per_year",
    "handling_minutes",
    "handling_source",
    "relief_hours_per_year",
    "relief_hours_low",
    "relief_hours_high",
    "relief_fte",
    "relief_eur_per_year",
    "payback_months",
    "reasons",
]
_EXTRA = [
    "expected_relief_hours",
    "knocked_out",
    "automatable_share",
    "automation_rate",
    "relief_eur_personnel_per_year",
    "relief_eur_full_cost_per_year",
    "payback_note",
    "payback_note_de",
    "unknown_reason",
    "unknown_reason_de",
    "relief_note",
    "relief_note_de",
    "annualisation_note",
    "annualisation_note_de",
    "pay_group",
    "hourly_rate_eur",
    "reasons_for",
    "reasons_against",
    "reliable",
    "plausibility_note",
    "plausibility_note_de",
]


def rank_candidates(scores: pd.DataFrame, relief: pd.DataFrame) -> pd.DataFrame:
    """Join scores and relief and order them by the ranking rule (module docstring).

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`rpa_candidates.scoring.score_activities`.
    relief : pandas.DataFrame
        From :func:`rpa_candidates.relief.estimate_relief`.

    Returns
    -------
    pandas.DataFrame
        :data:`CANDIDATE_COLUMNS`, then ``expected_relief_hours`` and the other details;
        ``rank`` counts from 1.
    """
    frame = scores.merge(relief, on="activity", how="outer", suffixes=("", "_relief"))
    missing = sorted(set(scores["activity"]) ^ set(relief["activity"]))
    if missing:
        raise ParameterError(
            f"Scores and relief describe different activities: {missing!r}. Compute both "
            "from the same features."
        )
    frame["already_automated"] = frame["already_automated"].astype(bool)
    frame["expected_relief_hours"] = frame["relief_hours_per_year"] * frame["automatability"]
    frame["_group"] = np.select(
        [frame["already_automated"], frame["relief_hours_per_year"].isna()], [2, 1], default=0
    )
    frame["_key"] = np.where(
        frame["_group"] == 0, -frame["expected_relief_hours"], -frame["automatability"]
    )
    frame = frame.sort_values(["_group", "_key", "activity"], kind="stable", na_position="last")
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    extra = [c for c in _EXTRA if c in frame.columns]
    return frame[CANDIDATE_COLUMNS + extra].reset_index(drop=True)


@dataclass(repr=False)
class Analysis(AnalysisResult):
    """The result of :func:`analyze`: compute once, render many times.

    The data and their attributes are those of :class:`rpa_candidates.results.AnalysisResult`;
    this class adds the figures and the report files.
    """

    # --- reports: thin delegates to rpa_candidates.report ---------------------------------

    @property
    def figures(self) -> dict[str, Any]:
        """The report's charts as new matplotlib Figures, for notebooks.

        Returns
        -------
        dict
            ``"quick_wins"`` (automatability × relief, bubble area = executions),
            ``"pareto"`` (relief per step with cumulative share), ``"process_map"``
            (coloured by automatability); labels in ``self.lang``.
        """
        from .report import build_figures

        return build_figures(self, self.lang)

    def to_html(
        self,
        path: str | Path | None = None,
        lang: Literal["de", "en"] | None = None,
        *,
        what_if: WhatIf | None = None,
    ) -> str:
        """The steering-committee report as one self-contained HTML file.

        Parameters
        ----------
        path : str or Path, default=None
            File to write (UTF-8); the HTML is returned either way.
        lang : {"de", "en"}, default=None
            Report language; None takes ``self.lang``.
        what_if : WhatIf, default=None
            ``rc.what_if(self, log, ...)``: adds the section "Was wäre wenn / What if".

        Returns
        -------
        str
        """
        from .report import render_html

        return render_html(self, path, lang=lang or self.lang, what_if=what_if)

    def to_excel(
        self,
        path: str | Path,
        lang: Literal["de", "en"] | None = None,
        *,
        what_if: WhatIf | None = None,
    ) -> Path:
        """The report's tables as an Excel workbook (no formulas; see ``docs/report.md``);
        ``what_if`` (a :class:`~rpa_candidates.WhatIf`) adds its sheet."""
        from .report import write_excel

        return write_excel(self, path, lang=lang or self.lang, what_if=what_if)

    def to_markdown(
        self, lang: Literal["de", "en"] | None = None, *, what_if: WhatIf | None = None
    ) -> str:
        """The report as Markdown (no charts); ``what_if`` adds its section."""
        from .report import render_markdown

        return render_markdown(self, lang=lang or self.lang, what_if=what_if)

    def to_json(self, path: str | Path | None = None, *, what_if: WhatIf | None = None) -> str:
        """Candidates, log, assumptions and quality as deterministic JSON; ``what_if`` adds
        the entry ``"what_if"``."""
        from .report import render_json

        return render_json(self, path, what_if=what_if)


def analyze(
    log: EventLog,
    *,
    assumptions: Assumptions | None = None,
    criteria: str | Path | Mapping[str, Any] | None = None,
    model: Any = None,
    handling_times: Mapping[str, float] | None = None,
    automation: Mapping[str, Any] | None = None,
    noise: float = 0.2,
    routine_options: Mapping[str, float] | None = None,
    lang: Literal["de", "en"] = "de",
) -> Analysis:
    """Run the whole pipeline: features, scores, relief, ranking, process model, routines.

    Parameters
    ----------
    log : EventLog
        From :func:`rpa_candidates.read_log`.
    assumptions : Assumptions, default=None
        Economic assumptions; default ``rc.Assumptions()`` (sources in ``data/rates.toml``).
    criteria : str, Path or mapping, default=None
        Rule criteria (TOML path or dict); default ``scoring/criteria.toml``.
    model : estimator, default=None
        A fitted classifier with ``predict_proba`` (e.g. ``rc.AutomatabilityModel``
        fitted on workshop labels); default: the bundled model.
    handling_times : mapping, default=None
        Standard minutes per activity; they win over the estimates (``"given"``).
    automation : mapping, default=None
        Options of :func:`rpa_candidates.core.resources.classify_resources`.
    noise : float, default=0.2
        Noise threshold of the inductive miner.
    routine_options : mapping, default=None
        Thresholds of :func:`rpa_candidates.relief.routines.find_routines`.
    lang : {"de", "en"}, default="de"
        Language of the reasons.

    Returns
    -------
    Analysis

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=200, seed=1).events)
    >>> result = rc.analyze(log)
    >>> list(result.candidates.columns[:4])
    ['rank', 'activity', 'automatability', 'rule_score']
    """
    from .core.prepared import prepare
    from .core.progress import phases
    from .features import activity_features
    from .handling import resolution
    from .mining import discover
    from .relief import Assumptions, estimate_relief, find_routines, relief_cases
    from .relief.plausibility import check_plausibility, mark, reliable_relief
    from .scoring import score_activities

    if lang not in ("de", "en"):
        raise ParameterError(f"lang={lang!r}; expected 'de' or 'en'.")
    if log.n_events == 0:
        reasons = ", ".join(f"{n} {r}" for r, n in log.quality.rejected.items()) or "none"
        raise DataQualityError(
            f"The log {log.quality.source!r} has no usable event ({log.quality.rows_read} rows "
            f"read; rejected: {reasons}). Check the export and the column mapping "
            "(log.quality.summary()) before analysing it."
        )
    assumptions = assumptions if assumptions is not None else Assumptions()
    names = ["prepare", "features", "scores", "relief", "discovery", "routines"]
    with phases(names, desc="rpa_candidates.analyze") as step:
        # the event frame is prepared once here and handed down (docs/architecture.md)
        step("prepare")
        prepared = prepare(log, automation=automation)
        step("features")
        features = activity_features(prepared, handling_times=handling_times)
        resolution.warn_unmeasured(features)
        step("scores")
        scores = score_activities(features, criteria=criteria, model=model, lang=lang)
        step("relief")
        cases = relief_cases(prepared, features, assumptions=assumptions)
        relief = estimate_relief(cases, features, scores, assumptions=assumptions)
        candidates = rank_candidates(scores, relief)
        checks = check_plausibility(
            prepared,
            candidates,
            hours_per_fte=assumptions.hours_per_fte,
            automated=prepared.automated,
        )
        candidates = mark(candidates, checks)
        stamps = resolution.activity_resolution(prepared.events)
        step("discovery")
        process = discover(prepared, noise=noise)
        step("routines")
        routines = find_routines(
            reliable_relief(candidates),
            process.dfg,
            process.activities,
            **dict(routine_options or {}),
        )
    q = log.quality
    summary = {
        "source": q.source,
        "events": log.n_events,
        "cases": log.n_cases,
        "activities": log.n_activities,
        "start": q.start.isoformat() if q.start else None,
        "end": q.end.isoformat() if q.end else None,
        "span_days": round(q.span_days, 3),
    }
    return Analysis(
        candidates=candidates,
        features=features,
        scores=scores,
        relief=relief,
        routines=routines,
        model=process,
        assumptions=assumptions,
        quality=q,
        log_summary=summary,
        lang=lang,
        options={"noise": noise, "routine_options": dict(routine_options or {})},
        plausibility=checks,
        resolution=stamps,
    )
