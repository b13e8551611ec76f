r"""Relief: how many staff hours, full-time equivalents and euros a robot frees per step.

For activity :math:`a`, with :math:`T` the observation period in years (from the range of
case starts, see :func:`rpa_candidates.core.annualise.observation_window`):

.. math::

    \mathrm{hours}_a = \underbrace{n_a / T}_{\texttt{events\_per\_year}}
        \cdot (1 - \underbrace{\alpha_a}_{\texttt{automation\_rate}})
        \cdot \underbrace{s_a}_{\texttt{automatable\_share}}
        \cdot \underbrace{\bar h_a}_{\texttt{handling\_minutes} / 60}
        \cdot \beta

* :math:`n_a` executions in the log; :math:`\alpha_a` the share of them done by an
  automated resource (:func:`rpa_candidates.core.resources.classify_resources`; executions
  without a resource count as human);
* :math:`s_a` the share of human executions in the **standard context**: the first
  execution of the activity in its case (no rework), in a case that reaches the dominant
  end activity (the most frequent last activity; no exception path). Cases still open at
  an incomplete end are left out of this share;
* :math:`\bar h_a` the mean handling time of a human execution, from the estimator the
  activity uses (``handling_source``; :mod:`rpa_candidates.timing`);
* :math:`\beta` = ``bot_success_rate``, the share of standard executions a bot finishes
  without human help.

So :math:`\mathrm{hours}_a = H^{std}_a \cdot \bar h_a \cdot \beta / T` with
:math:`H^{std}_a` the human standard executions. Then ``relief_fte = hours /
hours_per_fte``, ``relief_eur_personnel_per_year = hours · r_a`` with :math:`r_a` the
hourly rate of the activity's pay group, ``relief_eur_full_cost_per_year = hours · (r_a
(1 + o) + W / h_{KGSt})`` with overhead share :math:`o`, workplace cost :math:`W` and
KGSt net hours :math:`h_{KGSt}`, and

.. math::

    \texttt{payback\_months} = \frac{C_{build}}{E / 12 - C_{run} / 12}

with :math:`E` = ``relief_eur_per_year`` and the bot's build and yearly running cost; NaN
with a reason in ``payback_note`` when the denominator is not positive. Every default is
in ``data/rates.toml`` with its source; definitions and measured accuracy:
``docs/relief.md``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..core.errors import DataQualityWarning, ParameterError
from ..core.prepared import as_prepared
from . import bootstrap, handling_error
from .assumptions import PAY_GROUPS, Assumptions

if TYPE_CHECKING:
    from ..core.eventlog import EventLog
    from ..core.prepared import PreparedLog

__all__ = ["PAY_GROUPS", "Assumptions", "estimate_relief", "relief_cases"]

# ------------------------------------------------------------------------------------------
# Estimate


def _check_inputs(features: Any, scores: Any) -> None:
    need = {"activity", "handling_source", "handling_mean_minutes"}
    if not isinstance(features, pd.DataFrame) or not need <= set(features.columns):
        found = sorted(features.columns) if isinstance(features, pd.DataFrame) else features
        raise ParameterError(
            f"features must be the DataFrame of rc.activity_features(log) with columns "
            f"{sorted(need)!r}; got {found!r}."
        )
    if scores is not None and (
        not isinstance(scores, pd.DataFrame)
        or not {"activity", "already_automated"} <= set(scores.columns)
    ):
        raise ParameterError(
            "scores must be the DataFrame of score_activities(features) with columns "
            "'activity' and 'already_automated', or None."
        )


def _relief(sums: Mapping[str, np.ndarray], years: float, beta: float, given_h: np.ndarray):
    """Relief hours per year (and its parts) from per-activity sums; see module docstring."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share = sums["share_std"] / sums["share_human"]
        hours = np.where(np.isnan(given_h), sums["h_sum"] / sums["h_n"] / 3600.0, given_h)
        relief = sums["n_human"] / years * share * hours * beta
    return np.where(sums["n_human"] == 0, 0.0, relief), share, hours


_REASONS = {
    "absent": (
        "activity not in the log",
        "Tätigkeit nicht im Protokoll",
    ),
    "handling": (
        "no handling-time estimate (no start times, no valid same-day gap): pass standard "
        "minutes via handling_times",
        "keine Bearbeitungszeit schätzbar (keine Startzeiten, keine gültige Lücke am selben "
        "Tag): Standardminuten über handling_times angeben",
    ),
    "resolution": (
        "the timestamps of this step are dates without a time of day: they cannot measure "
        "working time; map the step to standard minutes (rc.timing.standard_times(), the "
        "Destatis Zeitwerttabelle) and pass them via handling_times",
        "die Zeitstempel dieses Schritts sind Daten ohne Uhrzeit: sie messen keine "
        "Arbeitszeit; dem Schritt Standardminuten zuordnen (rc.timing.standard_times(), "
        "Zeitwerttabelle Verwaltung des Statistischen Bundesamts) und über handling_times "
        "angeben",
    ),
    "elapsed": (
        "most start-to-complete spans of this step cross a night or exceed one working "
        "session: elapsed time, not work; pass standard minutes via handling_times "
        "(rc.timing.standard_times(), the Destatis Zeitwerttabelle)",
        "die meisten Spannen von Beginn bis Abschluss dieses Schritts gehen über Nacht oder "
        "über eine Arbeitssitzung hinaus: Durchlaufzeit, keine Arbeitszeit; Standardminuten "
        "über handling_times angeben (rc.timing.standard_times(), Zeitwerttabelle "
        "Verwaltung)",
    ),
    "unidentified": (
        "the gaps between one person's completions do not tell this step's handling time "
        "from the idle time before it (too few gaps, or staff idle most of the time): pass "
        "standard minutes via handling_times (rc.timing.standard_times(), the Destatis "
        "Zeitwerttabelle)",
        "die Lücken zwischen den Abschlüssen einer Person trennen bei diesem Schritt die "
        "Bearbeitungszeit nicht von der Leerlaufzeit davor (zu wenige Lücken oder meist "
        "unausgelastetes Personal): Standardminuten über handling_times angeben "
        "(rc.timing.standard_times(), Zeitwerttabelle Verwaltung)",
    ),
    "share": (
        "no case with this activity reaches the dominant end activity",
        "kein Fall mit dieser Tätigkeit erreicht die häufigste Endtätigkeit",
    ),
}


def relief_cases(
    log: EventLog | PreparedLog,
    features: pd.DataFrame,
    *,
    assumptions: Assumptions | None = None,
    end_activities: Sequence[str] | None = None,
) -> bootstrap.CaseTables:
    """The per-case tables the relief estimate resamples, from the prepared log.

    The handling source of each activity and the ``given`` minutes come from
    ``features``, the automated resources from the prepared log's classification, the
    number of case groups from ``assumptions.bootstrap_groups``; see
    :func:`rpa_candidates.relief.bootstrap.case_tables` and :func:`estimate_relief`.
    """
    _check_inputs(features, None)
    a = assumptions if assumptions is not None else Assumptions()
    p = as_prepared(log)
    sources, given = _sources(features)
    return bootstrap.case_tables(
        p.events,
        sources=sources,
        given_minutes=given,
        automated=p.automated,
        activities=[str(x) for x in features["activity"]],
        end_activities=_end_activities(end_activities),
        max_groups=a.bootstrap_groups,
    )


def _sources(features: pd.DataFrame) -> tuple[dict[str, str], dict[str, float]]:
    """Activity -> handling source, and activity -> minutes of the ``given`` ones."""
    acts = [str(x) for x in features["activity"]]
    source = features["handling_source"].where(features["handling_source"].notna(), None)
    sources = {x: s for x, s in zip(acts, source, strict=True) if s is not None}
    given = {
        x: float(m)
        for x, s, m in zip(acts, source, features["handling_mean_minutes"], strict=True)
        if s == "given" and pd.notna(m)
    }
    return sources, given


def estimate_relief(
    cases: bootstrap.CaseTables | EventLog | PreparedLog,
    features: pd.DataFrame,
    scores: pd.DataFrame | None = None,
    *,
    assumptions: Assumptions | None = None,
    end_activities: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Yearly staff hours, FTE and euros a robot frees per activity, with a 90 % interval.

    The formula is in the module docstring; the interval is a Poisson bootstrap over cases
    (:mod:`rpa_candidates.relief.bootstrap`), percentiles ``(1 ± confidence) / 2`` of
    ``bootstrap_resamples`` resamples seeded with ``random_state``, each multiplied per
    activity by a draw of the handling-time estimator's error measured for its source
    (:mod:`rpa_candidates.relief.handling_error`, ``data/handling_error.toml``), and widened to
    contain the point estimate. So it covers the sampling error of volumes, standard
    shares and handling times and the error of the handling-time estimate, not the
    uncertainty of the assumptions (bot success rate, rates).

    Parameters
    ----------
    cases : CaseTables, EventLog or PreparedLog
        The per-case tables of :func:`relief_cases` (as ``rc.analyze`` passes them), or
        the log the features were computed from, whose tables are then built here.
    features : pandas.DataFrame
        :func:`rpa_candidates.activity_features` of ``log``; its ``handling_source`` and,
        for ``given`` steps, ``handling_mean_minutes`` decide the handling time.
    scores : pandas.DataFrame or None, default=None
        Output of ``score_activities(features)``; steps with ``already_automated`` bring
        no relief (hours 0, interval [0, 0]).
    assumptions : Assumptions or None, default=None
        ``None`` takes the defaults of ``data/rates.toml``.
    end_activities : sequence of str or None, default=None
        Activities that end a case *regularly* (e.g. both ``"Bescheid versenden"`` and a
        rule-based ``"Antrag ablehnen"``); a case is in the standard context when it
        contains one of them. ``None``: only the dominant end activity (the most frequent
        last activity), so a step that itself ends a case on another path gets
        ``automatable_share`` 0.

    Returns
    -------
    pandas.DataFrame
        One row per row of ``features``, in its order: ``activity``, ``events_per_year``
        (``n / T``), ``cases_per_year``, ``handling_minutes`` (mean of a human execution),
        ``handling_source``, ``automatable_share`` (``s``), ``automation_rate`` (``α``),
        ``relief_hours_per_year``, ``relief_hours_low``, ``relief_hours_high``,
        ``relief_fte``, ``relief_eur_per_year`` (full cost if ``assumptions.full_cost``,
        else personnel cost), ``relief_eur_full_cost_per_year``,
        ``relief_eur_personnel_per_year``, ``payback_months``, ``payback_note`` /
        ``payback_note_de`` (why payback is NaN), ``unknown_reason`` /
        ``unknown_reason_de`` (why relief is NaN), ``annualisation_note`` /
        ``annualisation_note_de`` (log-level doubts about ``T``), ``relief_note`` /
        ``relief_note_de`` (other remarks), ``pay_group``, ``hourly_rate_eur``.

    Raises
    ------
    ParameterError
        Malformed ``features``, ``scores`` or ``assumptions``.

    Warns
    -----
    DataQualityWarning
        The log covers less than a year of case starts, or its start or end is incomplete.

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> from rpa_candidates.relief import estimate_relief
    >>> log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=300, seed=1).events)
    >>> relief = estimate_relief(log, rc.activity_features(log))
    >>> row = relief.set_index("activity").loc["Einkommen berechnen"]
    >>> bool(row.relief_hours_low <= row.relief_hours_per_year <= row.relief_hours_high)
    True
    """
    _check_inputs(features, scores)
    a = assumptions if assumptions is not None else Assumptions()
    if not isinstance(a, Assumptions):
        raise ParameterError(
            f"assumptions must be rc.Assumptions or None, got {type(a).__name__!r}."
        )
    acts = [str(x) for x in features["activity"]]
    sources, given = _sources(features)
    if isinstance(cases, bootstrap.CaseTables):
        if end_activities is not None:
            raise ParameterError(
                "end_activities applies when the case tables are built here; pass it to "
                "relief_cases(log, features, end_activities=...) instead."
            )
        if cases.activities != acts:
            raise ParameterError(
                "The case tables were built for other activities than the features'; build "
                "them with relief_cases(log, features) from the same features."
            )
        tables = cases
    else:
        tables = relief_cases(cases, features, assumptions=a, end_activities=end_activities)
    window = tables.window
    point, boot = bootstrap.resample_sums(
        tables, resamples=a.bootstrap_resamples, random_state=a.random_state
    )
    given_h = np.array([given.get(x, np.nan) / 60.0 for x in acts])
    beta = a.bot_success_rate
    relief, share, hours = _relief(point, window.years, beta, given_h)
    boot_relief = _relief(boot, window.years, beta, given_h)[0]
    # the estimator's own error per source (rpa_candidates.relief.handling_error), a stream of
    # its own so the case weights stay those of random_state
    rng = np.random.default_rng([a.random_state, 14])
    boot_relief = boot_relief * handling_error.error_factors(
        [sources.get(x) for x in acts], len(boot_relief), rng
    )
    tail = (1.0 - a.confidence) / 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        low = np.fmin(np.nanquantile(boot_relief, tail, axis=0), relief)
        high = np.fmax(np.nanquantile(boot_relief, 1.0 - tail, axis=0), relief)
    cases = tables.cases_per_activity()
    done = _already_automated(acts, scores)
    out = pd.DataFrame(
        {
            "activity": acts,
            "events_per_year": point["n"] / window.years,
            "cases_per_year": cases / window.years,
            "handling_minutes": hours * 60.0,
            "handling_source": [sources.get(x) for x in acts],
            "automatable_share": share,
            "automation_rate": np.where(point["n"] > 0, 1 - point["n_human"] / point["n"], np.nan),
            "relief_hours_per_year": relief,
            "relief_hours_low": np.where(np.isnan(relief), np.nan, low),
            "relief_hours_high": np.where(np.isnan(relief), np.nan, high),
        }
    )
    reason = np.full(len(acts), None, dtype=object)
    reason[np.isnan(relief) & np.isnan(hours)] = "handling"
    reason[np.isnan(relief) & ~np.isnan(hours)] = "share"
    chosen = np.array([sources.get(x) for x in acts], dtype=object)
    reason[np.isnan(relief) & (chosen == "unknown")] = "resolution"
    reason[np.isnan(relief) & (chosen == "lifecycle_elapsed")] = "elapsed"
    reason[np.isnan(relief) & (chosen == "resource_gap_unidentified")] = "unidentified"
    reason[point["n"] == 0] = "absent"
    out.loc[point["n"] == 0, ["relief_hours_per_year", "relief_hours_low", "relief_hours_high"]] = (
        np.nan
    )
    notes = _notes(acts, out, done | ((point["n"] > 0) & (point["n_human"] == 0)), features)
    out.loc[done, ["relief_hours_per_year", "relief_hours_low", "relief_hours_high"]] = 0.0
    reason[done] = None
    out = _money(out, a)
    out.loc[done, "payback_note"] = "already automated: no relief"
    out.loc[done, "payback_note_de"] = "bereits automatisiert: keine Entlastung"
    out["unknown_reason"] = [_REASONS[r][0] if r else None for r in reason]
    out["unknown_reason_de"] = [_REASONS[r][1] if r else None for r in reason]
    out["annualisation_note"] = window.note_en
    out["annualisation_note_de"] = window.note_de
    out["relief_note"] = [n[0] for n in notes]
    out["relief_note_de"] = [n[1] for n in notes]
    out["pay_group"] = [a.pay_group_of(x) for x in acts]
    out["hourly_rate_eur"] = [a.rate(x) for x in acts]
    if window.note_en:
        warnings.warn(
            f"Relief annualisation: {window.note_en} See the annualisation_note column and "
            "docs/relief.md.",
            DataQualityWarning,
            stacklevel=2,
        )
    return out


def _end_activities(ends: Sequence[str] | None) -> list[str] | None:
    if ends is None:
        return None
    if isinstance(ends, str) or not all(isinstance(e, str) for e in ends):
        raise ParameterError(
            f"end_activities={ends!r} must be a list of activity names, e.g. "
            "['Bescheid versenden', 'Antrag ablehnen'], or None."
        )
    return list(ends)


def _already_automated(acts: list[str], scores: pd.DataFrame | None) -> np.ndarray:
    if scores is None:
        return np.zeros(len(acts), dtype=bool)
    flags = scores.drop_duplicates("activity").set_index("activity")["already_automated"]
    values = [flags.get(x) for x in acts]
    return np.array([bool(v) if v is not None and pd.notna(v) else False for v in values])


def _notes(
    acts: list[str], out: pd.DataFrame, done: np.ndarray, features: pd.DataFrame
) -> list[tuple[str | None, str | None]]:
    rate = (
        features["automation_rate"].to_numpy(dtype=float)
        if "automation_rate" in features.columns
        else np.full(len(acts), np.nan)
    )
    result = []
    for i in range(len(acts)):
        en, de = [], []
        if done[i]:
            en.append(
                "already automated (scores or all executions by automated resources): no relief"
            )
            de.append(
                "bereits automatisiert (Bewertung oder nur automatisierte Ressourcen): "
                "keine Entlastung"
            )
        elif out["handling_source"].iloc[i] == "resource_gap":
            en.append(
                "handling time from gaps between a person's completions, idle time removed "
                "by a model: an estimate, too high where one person does this step alone and "
                "seldom; the interval contains the sampling over cases and the estimate's "
                "measured error (about a factor 1.6 either way)"
            )
            de.append(
                "Bearbeitungszeit aus Abständen zwischen Erledigungen einer Person, Leerlauf "
                "per Modell herausgerechnet: eine Schätzung, zu hoch, wo eine Person den "
                "Schritt allein und selten bearbeitet; das Intervall enthält den "
                "Stichprobenfehler und den gemessenen Schätzfehler (etwa Faktor 1,6 in "
                "beide Richtungen)"
            )
        elif out["handling_source"].iloc[i] == "case_gap":
            en.append(
                "handling time from gaps within the case: includes waiting, an upper bound; "
                "the interval reaches down to the measured typical overstatement (about 12-fold)"
            )
            de.append(
                "Bearbeitungszeit aus Abständen im Fall: enthält Liegezeit, Obergrenze; das "
                "Intervall reicht bis zur gemessenen typischen Überschätzung (etwa 12-fach) "
                "hinab"
            )
        if not done[i] and np.isnan(rate[i]):
            en.append("no resource recorded: automation rate unknown, taken as 0")
            de.append("keine Ressource erfasst: Automatisierungsgrad unbekannt, als 0 angesetzt")
        result.append(("; ".join(en) or None, "; ".join(de) or None))
    return result


def _money(out: pd.DataFrame, a: Assumptions) -> pd.DataFrame:
    hours = out["relief_hours_per_year"].to_numpy(dtype=float)
    rate = np.array([a.rate(x) for x in out["activity"]])
    full = np.array([a.full_cost_rate(x) for x in out["activity"]])
    out["relief_fte"] = hours / a.hours_per_fte
    out["relief_eur_full_cost_per_year"] = hours * full
    out["relief_eur_personnel_per_year"] = hours * rate
    eur = out["relief_eur_full_cost_per_year" if a.full_cost else "relief_eur_personnel_per_year"]
    out.insert(out.columns.get_loc("relief_fte") + 1, "relief_eur_per_year", eur)
    net = (eur.to_numpy(dtype=float) - a.bot_run_cost_eur_per_year) / 12.0
    with np.errstate(invalid="ignore", divide="ignore"):
        payback = np.where(net > 0, a.bot_build_cost_eur / net, np.nan)
    en = np.full(len(out), None, dtype=object)
    de = np.full(len(out), None, dtype=object)
    unknown = np.isnan(hours)
    zero = ~unknown & (hours == 0)
    below = ~unknown & ~zero & ~(net > 0)
    en[unknown], de[unknown] = "relief unknown", "Entlastung unbekannt"
    en[zero], de[zero] = "no relief", "keine Entlastung"
    en[below] = "relief below bot running cost"
    de[below] = "kein Nutzen: Entlastung unter Betriebskosten"
    out["payback_months"] = payback
    out["payback_note"] = en
    out["payback_note_de"] = de
    return out
