"""The result data types of an analysis and of a comparison of towns.

They hold what :func:`rpa_candidates.analyze` and :func:`rpa_candidates.compare` computed,
and nothing renders here: :class:`rpa_candidates.Analysis` and
:class:`rpa_candidates.Comparison` add the report methods. ``report/`` imports these types
(and ``core``) only, so the renderers never reach back into the stages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

if TYPE_CHECKING:
    from .core.quality import DataQuality
    from .mining.model import ProcessModel
    from .relief.assumptions import Assumptions
    from .relief.plausibility import Plausibility

__all__ = ["AnalysisResult", "ComparisonResult"]


@dataclass
class AnalysisResult:
    """The data of an analysis (:class:`rpa_candidates.Analysis` adds the renderers).

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
        :func:`rpa_candidates.relief.routines.find_routines`.
    model : ProcessModel
        :func:`rpa_candidates.discover`.
    assumptions : Assumptions
    quality : DataQuality
    log_summary : dict
        Source, events, cases, activities, period (no case or staff identifiers).
    lang : {"de", "en"}
    plausibility : Plausibility or None
        The capacity checks (:mod:`rpa_candidates.relief.plausibility`); candidates that
        fail them have ``reliable`` False and are left out of :meth:`totals`.
    resolution : pandas.DataFrame or None
        :func:`rpa_candidates.handling.resolution.activity_resolution` of the log.
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
    plausibility: Plausibility | None = None
    resolution: pd.DataFrame | None = None

    @property
    def top(self) -> pd.DataFrame:
        """The five highest-ranked candidates."""
        return self.candidates.head(5)

    @property
    def excluded(self) -> pd.DataFrame:
        """Candidates whose figures fail a plausibility check (not in :meth:`totals`)."""
        if "reliable" not in self.candidates.columns:
            return self.candidates.iloc[0:0]
        return self.candidates[~self.candidates["reliable"].astype(bool)]

    def totals(self) -> dict[str, float]:
        """Relief summed over the non-automated, reliable candidates (hours, FTE, EUR,
        interval sums); steps that fail a plausibility check are left out
        (:attr:`excluded`)."""
        frame = self.candidates[~self.candidates["already_automated"]]
        if "reliable" in frame.columns:
            frame = frame[frame["reliable"].astype(bool)]
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
        shown = "unknown" if math.isnan(hours) else f"{hours:,.0f} h/year"
        return (
            f"Analysis({self.log_summary.get('source')!r}: {len(self.candidates)} activities, "
            f"top candidate {top!r}, relief {shown}; see .candidates, .routines)"
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

    # --- what the report needs from the stages below, so that it imports none of them --

    def default_scores(self, lang: Literal["de", "en"]) -> pd.DataFrame | None:
        """The default rule criteria applied again to ``self.features`` in ``lang``.

        The report uses them for the reasons in the language the analysis was not run in;
        None when the features do not fit the default criteria.
        """
        from .core.errors import RpaCandidatesError
        from .scoring import RuleScorer

        try:
            return RuleScorer(lang=lang).fit(self.features).score_activities(self.features)
        except RpaCandidatesError:
            return None

    def log_resolution(self) -> dict[str, Any]:
        """The log's timestamp resolution from ``self.resolution``
        (:func:`rpa_candidates.handling.resolution.log_resolution`)."""
        from .handling.resolution import log_resolution

        return log_resolution(self.resolution)

    @staticmethod
    def timing_settings() -> Any:
        """The handling-time settings (``data/timing.toml``) the checks were made with."""
        from .handling.settings import load_settings

        return load_settings()

    def break_even(self) -> pd.DataFrame:
        """Break-even volume and shared-bot payback per candidate and routine
        (:func:`rpa_candidates.relief.breakeven.break_even`)."""
        from .relief.breakeven import break_even

        return break_even(self.candidates, self.routines, self.assumptions)

    @staticmethod
    def shared_bot_towns() -> list[int]:
        """The numbers of towns the shared-bot scenario shows (``data/rates.toml``)."""
        from .relief.breakeven import shared_bot_towns

        return shared_bot_towns()

    @staticmethod
    def indicator_catalog() -> list[dict[str, Any]]:
        """The rows of ``rc.features.CATALOG`` (name, formula, unit, direction, source)."""
        from .features import CATALOG

        return [entry.as_dict() for entry in CATALOG.values()]

    @staticmethod
    def default_criteria() -> dict[str, Any]:
        """The default criteria specification (``scoring/criteria.toml``), resolved."""
        from .scoring import default_criteria

        return default_criteria()


@dataclass
class ComparisonResult:
    """Several towns' analyses of one process, side by side.

    The data of a comparison; :class:`rpa_candidates.Comparison` adds the renderers.

    Attributes
    ----------
    names : list of str
        The towns, in the order given.
    table : pandas.DataFrame
        Long form: ``activity``, ``town`` and the metrics (rank, automatability,
        already_automated, events_per_year, handling_minutes, relief_hours_per_year,
        relief_eur_per_year); one row per activity and town where the town has it.
    wide : pandas.DataFrame
        One row per activity, columns ``(metric, town)``.
    differences : pandas.DataFrame
        ``activity``, ``towns`` (how many have it), ``automatability_spread``,
        ``handling_ratio``, ``differs`` (bool), ``difference`` (what differs, English).
    shared : pandas.DataFrame
        ``activity``, ``towns_with_relief``, ``shared_relief_hours``,
        ``shared_relief_eur``, ``shared_payback_months``, ``separate_payback_months``.
    """

    names: list[str]
    table: pd.DataFrame
    wide: pd.DataFrame
    differences: pd.DataFrame
    shared: pd.DataFrame

    def __repr__(self) -> str:
        n = int(self.differences["differs"].sum())
        return (
            f"Comparison({', '.join(self.names)}: {len(self.wide)} activities, {n} with "
            "notable differences; see .wide, .differences, .shared)"
        )

    def _repr_html_(self) -> str:
        """Notebook display: towns, differences and the shared-bot table (text escaped)."""
        import html

        differs = self.differences[self.differences["differs"]]
        rows = [
            ("Towns", ", ".join(self.names)),
            ("Activities", f"{len(self.wide)}"),
            ("Notable differences", f"{len(differs)}"),
        ]
        rows += [(str(r.activity), str(r.difference)) for r in differs.head(5).itertuples()]
        head = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        shared = self.shared.head(10).to_html(
            index=False, border=0, escape=True, na_rep="–", float_format="{:,.1f}".format
        )
        return (
            "<div><table><caption style='text-align:left'><strong>Comparison</strong>"
            f"</caption>{head}</table>{shared}<small>see .wide, .differences, .shared; "
            ".to_html(path), .to_markdown(), .to_excel(path), .to_json()</small></div>"
        )
