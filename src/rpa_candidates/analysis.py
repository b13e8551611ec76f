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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .errors import DataQualityError, ParameterError

if TYPE_CHECKING:
    from .eventlog import EventLog
    from .mining import ProcessModel
    from .quality import DataQuality
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


@dataclass
class Analysis:
    """The result of :func:`analyze`: compute once, render many times.

    Attributes
    ----------
    candidates : pandas.DataFrame
        Every activity, ranked (:data:`CANDIDATE_COLUMNS`, then details).
    features : pandas.DataFrame
        :func:`rpa_candidates.activity_features`.
    scores : pandas.DataFrame
        :func:`rpa_candidates.scoring.score_activities` (criteria columns included).
    relief : pandas.DataFrame
        :func:`rpa_candidates.relief.estimate_relief`.
    routines : pandas.DataFrame
        :func:`rpa_candidates.routines.find_routines`.
    model : ProcessModel
        :func:`rpa_candidates.discover`.
    assumptions : Assumptions
    quality : DataQuality
    log_summary : dict
        Source, events, cases, activities, period (no case or staff identifiers).
    lang : {"de", "en"}
    """

    candidates: pd.DataFrame
    features: pd.DataFrame
    scores: pd.DataFrame
    relief: pd.DataFrame
    routines: pd.DataFrame
    model: ProcessModel
    assumptions: Assumptions
    quality: DataQuality
    log_summary: dict[str, Any]
    lang: Literal["de", "en"] = "de"
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def top(self) -> pd.DataFrame:
        """The five highest-ranked candidates."""
        return self.candidates.head(5)

    def totals(self) -> dict[str, float]:
        """Relief summed over the non-automated candidates (hours, FTE, EUR, interval sums)."""
        frame = self.candidates[~self.candidates["already_automated"]]
        return {
            column: float(frame[column].sum(min_count=1))
            for column in (
                "relief_hours_per_year",
                "relief_hours_low",
                "relief_hours_high",
                "relief_fte",
                "relief_eur_per_year",
            )
        }

    def __repr__(self) -> str:
        top = self.candidates.iloc[0]["activity"] if len(self.candidates) else "-"
        hours = self.totals()["relief_hours_per_year"]
        return (
            f"Analysis({self.log_summary.get('source')!r}: {len(self.candidates)} activities, "
            f"top candidate {top!r}, relief {hours:,.0f} h/year; see .candidates, .routines)"
        )

    def _repr_html_(self) -> str:
        """Notebook display: the log, the total relief and the top ten (all text escaped)."""
        import html

        def fmt(digits: int):
            return lambda v: "–" if pd.isna(v) else f"{v:,.{digits}f}"

        log, sums = self.log_summary, self.totals()
        totals = {k: fmt(2 if k == "relief_fte" else 0)(v) for k, v in sums.items()}
        period = f"{(log.get('start') or '–')[:10]} – {(log.get('end') or '–')[:10]}"
        low, high = totals["relief_hours_low"], totals["relief_hours_high"]
        rows = [
            (
                "Log",
                f"{log.get('source')}: {log.get('events', 0):,} activity instances, "
                f"{log.get('cases', 0):,} cases, {log.get('activities', 0)} activities, {period}",
            ),
            (
                "Relief per year",
                f"{totals['relief_hours_per_year']} h ({low}–{high}), "
                f"{totals['relief_fte']} FTE, {totals['relief_eur_per_year']} EUR",
            ),
            ("Data quality", f"{len(self.quality.warnings)} warning(s); see .quality.summary()"),
        ]
        head = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )

        columns = {
            "rank": None,
            "activity": None,
            "automatability": fmt(2),
            "relief_hours_per_year": fmt(0),
            "relief_fte": fmt(2),
            "relief_eur_per_year": fmt(0),
            "handling_source": None,
        }
        table = (
            self.candidates[list(columns)]
            .head(10)
            .to_html(
                index=False,
                border=0,
                escape=True,
                na_rep="–",
                formatters={k: f for k, f in columns.items() if f is not None},
            )
        )
        more = len(self.candidates) - 10
        note = f"{more} more in .candidates; " if more > 0 else ""
        return (
            "<div><table><caption style='text-align:left'><strong>Analysis</strong>"
            f"</caption>{head}</table>{table}<small>{note}reports: .to_html(path), "
            ".to_excel(path), .to_markdown(), .to_json(path), .figures</small></div>"
        )

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
        Options of :func:`rpa_candidates.resources.classify_resources`.
    noise : float, default=0.2
        Noise threshold of the inductive miner.
    routine_options : mapping, default=None
        Thresholds of :func:`rpa_candidates.routines.find_routines`.
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
    from .features import activity_features
    from .mining import discover
    from .progress import phases
    from .relief import Assumptions, estimate_relief
    from .routines import find_routines
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
    names = ["features", "scores", "relief", "discovery", "routines"]
    with phases(names, desc="rpa_candidates.analyze") as step:
        step("features")
        features = activity_features(log, handling_times=handling_times, automation=automation)
        step("scores")
        scores = score_activities(features, criteria=criteria, model=model, lang=lang)
        step("relief")
        relief = estimate_relief(log, features, scores, assumptions=assumptions)
        candidates = rank_candidates(scores, relief)
        step("discovery")
        process = discover(log, noise=noise)
        step("routines")
        routines = find_routines(
            candidates, process.dfg, process.activities, **dict(routine_options or {})
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
    )
