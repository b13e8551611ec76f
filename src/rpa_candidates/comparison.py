"""``compare``: the same process from several towns side by side (the blueprint case).

For every activity and town the comparison shows rank, automatability, volume, handling
time and relief; it highlights where towns differ (automatability spread ≥ 0.2, handling
ratio ≥ 1.5; ``data/compare.toml``) and what one shared bot serving every town would bring:

    shared_relief_eur = Σ_t relief_eur_t
    shared_payback_months = C_build / (shared_relief_eur / 12 − C_run / 12)

with the bot's build cost ``C_build`` and yearly running cost ``C_run`` taken once (from
the assumptions passed, by default those of the first analysis), against
``separate_payback_months`` when every town builds its own bot (``T`` towns: ``T · C_build``
and ``T · C_run``). Towns where the step is already automated contribute no relief.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from .core._data import load_toml
from .core.errors import ParameterError
from .results import ComparisonResult

if TYPE_CHECKING:
    from .analysis import Analysis
    from .relief import Assumptions

__all__ = ["Comparison", "compare"]

_METRICS = [
    "rank",
    "automatability",
    "already_automated",
    "events_per_year",
    "handling_minutes",
    "relief_hours_per_year",
    "relief_eur_per_year",
]


@dataclass(repr=False)
class Comparison(ComparisonResult):
    """Several towns' analyses of one process, side by side; see
    :class:`rpa_candidates.results.ComparisonResult` for the attributes."""

    def to_html(self, path: str | Path | None = None, lang: Literal["de", "en"] = "de") -> str:
        """The comparison as one self-contained HTML file (written to ``path`` if given)."""
        from .report import render_comparison_html

        return render_comparison_html(self, path, lang=lang)

    def to_markdown(self, lang: Literal["de", "en"] = "de") -> str:
        """The comparison as Markdown."""
        from .report import render_comparison_markdown

        return render_comparison_markdown(self, lang=lang)

    def to_excel(self, path: str | Path, lang: Literal["de", "en"] = "de") -> Path:
        """The comparison as an Excel workbook (shared bot, towns, differences)."""
        from .report.comparison_out import write_comparison_excel

        return write_comparison_excel(self, path, lang=lang)

    def to_json(self, path: str | Path | None = None) -> str:
        """The comparison as deterministic JSON (written to ``path`` if given)."""
        from .report.comparison_out import render_comparison_json

        return render_comparison_json(self, path)


def compare(
    analyses: Sequence[Analysis],
    names: Sequence[str],
    *,
    assumptions: Assumptions | None = None,
) -> Comparison:
    """Put several towns' analyses of the same process side by side.

    Parameters
    ----------
    analyses : sequence of Analysis
        One per town, from :func:`rpa_candidates.analyze`.
    names : sequence of str
        The towns' names, as many as analyses, distinct.
    assumptions : Assumptions, default=None
        Bot costs for the shared-bot figures; default: the first analysis's.

    Returns
    -------
    Comparison
    """
    if len(analyses) != len(names):
        raise ParameterError(
            f"Got {len(analyses)} analyses but {len(names)} names; give one name per analysis."
        )
    if len(analyses) < 2:
        raise ParameterError("compare() needs at least two analyses.")
    if len(set(names)) != len(names):
        raise ParameterError(f"Town names must be distinct, got {list(names)!r}.")
    settings = {k: float(v["value"]) for k, v in load_toml("compare.toml").items()}
    costs = assumptions if assumptions is not None else analyses[0].assumptions
    table = pd.concat(
        [
            a.candidates[["activity", *_METRICS]].assign(town=n)
            for a, n in zip(analyses, names, strict=True)
        ],
        ignore_index=True,
    )[["activity", "town", *_METRICS]]
    wide = table.pivot(index="activity", columns="town", values=_METRICS)
    wide = wide.reindex(columns=list(names), level=1).reset_index()
    grouped = table.groupby("activity")
    spread = grouped["automatability"].agg(lambda s: s.max() - s.min())
    handling = grouped["handling_minutes"].agg(
        lambda s: s.max() / s.min() if s.notna().sum() >= 2 and s.min() > 0 else np.nan
    )
    differences = pd.DataFrame(
        {
            "towns": grouped["town"].nunique(),
            "automatability_spread": spread,
            "handling_ratio": handling,
        }
    )
    a_flag = differences["automatability_spread"] >= settings["automatability_spread"]
    h_flag = differences["handling_ratio"] >= settings["handling_ratio"]
    differences["differs"] = a_flag | h_flag.fillna(False)
    differences["difference"] = [
        "; ".join(
            text
            for flag, text in (
                (a, f"automatability differs by {s:.2f}"),
                (h, f"handling time differs {r:.1f}-fold"),
            )
            if flag
        )
        or None
        for a, h, s, r in zip(
            a_flag,
            h_flag.fillna(False),
            differences["automatability_spread"],
            differences["handling_ratio"],
            strict=True,
        )
    ]
    served = table[~table["already_automated"].astype(bool)]
    shared = served.groupby("activity").agg(
        towns_with_relief=("town", "nunique"),
        shared_relief_hours=("relief_hours_per_year", lambda s: s.sum(min_count=1)),
        shared_relief_eur=("relief_eur_per_year", lambda s: s.sum(min_count=1)),
    )
    monthly_net = shared["shared_relief_eur"] / 12 - costs.bot_run_cost_eur_per_year / 12
    shared["shared_payback_months"] = np.where(
        monthly_net > 0, costs.bot_build_cost_eur / monthly_net, np.nan
    )
    towns = shared["towns_with_relief"]
    separate = shared["shared_relief_eur"] / 12 - towns * costs.bot_run_cost_eur_per_year / 12
    shared["separate_payback_months"] = np.where(
        separate > 0, towns * costs.bot_build_cost_eur / separate, np.nan
    )
    shared = shared.sort_values("shared_relief_hours", ascending=False).reset_index()
    return Comparison(
        names=list(names),
        table=table,
        wide=wide,
        differences=differences.reset_index(),
        shared=shared,
    )
