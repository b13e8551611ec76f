r"""Capacity bounds that no real relief can break, checked on every analysis.

Stage: relief (the lead moves it to ``relief/``). Run by :func:`rpa_candidates.analyze`
after the relief estimate; the report shows the result as "Plausibilitätsprüfung /
Plausibility checks". Notation: :math:`h_a` the mean handling hours of a human execution
of step :math:`a` (``handling_minutes / 60``, the value relief uses; 0 where unknown),
:math:`n_{ra}` the executions of :math:`a` by human resource :math:`r` (not automated, not
missing), :math:`R` the number of such resources, :math:`F` = ``hours_per_fte``,
:math:`Y` the log's span (first to last stamp) in years, :math:`S` = ``session_hours``
(ArbZG § 3, ``data/timing.toml``).

``capacity_total``
    :math:`\sum_{r,a} n_{ra} h_a \le R \cdot F \cdot Y`: the hours the log attributes to
    people fit into what they can work in the observed span.
``capacity_resource``
    :math:`\sum_a n_{ra} h_a \le P \cdot Y` for every resource :math:`r`, with :math:`P`
    = ``max_hours_per_person_year`` (2,304 h: ArbZG §§ 3, 7 and BUrlG § 3, the most one
    person may work in a year; :math:`F` is an average net of absence that one full-timer
    exceeds). The report gives only the number of resources over the bound and the
    largest ratio, never a person.
``case_time``
    per case :math:`c` from its first stamp :math:`t_0` (start or completion) to its last
    :math:`t_1`, the working-time bound is :math:`W_c = m_c (\min(S, \text{rest of day}
    (t_0)) + \min(S, \text{part of day}(t_1)) + S (d_1 - d_0 - 1))` (one day:
    :math:`m_c \min(S, t_1 - t_0)`), at most one session per calendar day and person, with
    :math:`m_c` the distinct human resources of the case (1 if none), plus :math:`h` of the
    case's first execution (its work precedes the first stamp in a log without starts). A
    step fails when :math:`n_{ca} h_a > W_c` in more than ``case_tolerance`` (5 %) of its
    cases.
``step_relief``
    relief of a step :math:`\le` its gross human handling hours per year,
    ``events_per_year · (1 − automation_rate) · handling_minutes / 60``.
``relief_fte``
    :math:`\sum_a` ``relief_fte`` :math:`\le R`.

Each check has ``status`` ``passed``, ``failed`` or ``not_checkable`` (e.g. no resource
recorded, no handling time). When a sum breaks its bound, the steps with the largest hours
are flagged one by one until the rest fits (the fewest steps whose exclusion restores the
bound). A flagged step is "nicht belastbar / not reliable": it keeps its row, but its hours
leave :meth:`rpa_candidates.analysis.Analysis.totals` and are listed separately.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import narwhals as nw
import numpy as np
import pandas as pd

from ..core import engine
from ..core._data import load_toml
from ..core.errors import DataQualityWarning
from ..core.prepared import prepared_events
from ..handling.settings import load_settings

if TYPE_CHECKING:
    from ..core.eventlog import EventLog
    from ..core.prepared import PreparedLog

__all__ = ["CHECKS", "REASONS", "Plausibility", "check_plausibility", "mark", "reliable_relief"]

#: The checks, in report order.
CHECKS = ("capacity_total", "capacity_resource", "case_time", "step_relief", "relief_fte")
_DAY = engine.DAY


@dataclass(frozen=True)
class Plausibility:
    """Result of :func:`check_plausibility`.

    Attributes
    ----------
    checks : pandas.DataFrame
        One row per :data:`CHECKS`: ``check``, ``status`` (``passed`` | ``failed`` |
        ``not_checkable``), ``value``, ``bound``, ``unit``, ``count`` (resources or cases
        over the bound), ``of`` (resources or cases checked), ``activities`` (flagged).
    flagged : dict
        Activity -> the checks it fails.
    """

    checks: pd.DataFrame
    flagged: dict[str, list[str]] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """True when no check failed."""
        return not (self.checks["status"] == "failed").any()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: ``checks`` (records) and ``flagged``."""
        return {
            "checks": self.checks.to_dict("records"),
            "flagged": {k: list(v) for k, v in sorted(self.flagged.items())},
        }


def _row(check: str, status: str, value: float, bound: float, unit: str, **extra: Any) -> dict:
    return {
        "check": check,
        "status": status,
        "value": float(value),
        "bound": float(bound),
        "unit": unit,
        "count": extra.get("count"),
        "of": extra.get("of"),
        "activities": sorted(extra.get("activities", [])),
    }


def _greedy(hours: pd.Series, bound: float) -> list[str]:
    """The fewest largest entries of ``hours`` whose removal brings the sum to ``bound``."""
    order = hours[hours > 0].sort_values(ascending=False, kind="stable")
    rest, out = float(hours.sum()), []
    for name, value in order.items():
        if rest <= bound:
            break
        out.append(str(name))
        rest -= float(value)
    return out


def _per_resource(prepared: nw.LazyFrame, automated: list[str]) -> pd.DataFrame:
    human = ~nw.col("resource").is_null()
    if automated:
        human = human & ~nw.col("resource").is_in(automated)
    return engine.collect(
        prepared.filter(human).group_by("resource", "activity").agg(nw.len().alias("n")),
        sort=["resource", "activity"],
    )


def _case_shares(
    prepared: nw.LazyFrame, hours: pd.DataFrame, automated: list[str], session: float
) -> tuple[pd.DataFrame, int, int]:
    """Per activity: cases, cases over the bound; and the cases over the bound in total."""
    is_auto = nw.col("resource").is_in(automated).fill_null(False) if automated else None
    human = ~is_auto if is_auto is not None else nw.lit(value=True)
    h = engine.small_frame(hours, like=prepared, spark_schema="activity string, h double")
    events = prepared.join(h, on="activity", how="left").with_columns(
        nw.when(human).then(nw.col("h").fill_null(0.0) * 3600.0).otherwise(0.0).alias("_h"),
        nw.when(human & ~nw.col("resource").is_null()).then(nw.col("resource")).alias("_r"),
    )
    first = nw.col("prev_activity").is_null()
    t0 = nw.coalesce(nw.col("start_ts"), nw.col("ts")) + nw.col("utc_offset")
    cases = events.group_by("case_id").agg(
        t0.min().alias("t0"),
        (nw.col("ts") + nw.col("utc_offset")).max().alias("t1"),
        nw.col("_r").n_unique().alias("_m"),
        nw.col("_r").null_count().alias("_nulls"),
        nw.col("_h").sum().alias("_sum"),
        nw.when(first).then(nw.col("_h")).otherwise(0.0).max().alias("_first"),
    )
    d0, d1 = (nw.col("t0") / _DAY).floor(), (nw.col("t1") / _DAY).floor()
    s = session * 3600.0
    head = (d0 + 1) * _DAY - nw.col("t0")
    tail = nw.col("t1") - d1 * _DAY
    span = nw.col("t1") - nw.col("t0")
    per_day = (
        nw.when(d0 == d1)
        .then(nw.min_horizontal(span, nw.lit(s)))
        .otherwise(
            nw.min_horizontal(head, nw.lit(s))
            + nw.min_horizontal(tail, nw.lit(s))
            + (d1 - d0 - 1) * s
        )
    )
    # n_unique counts null as a value: people = distinct non-null resources, at least 1
    people = nw.max_horizontal(
        nw.col("_m") - nw.when(nw.col("_nulls") > 0).then(1).otherwise(0), nw.lit(1)
    )
    budget = cases.select(
        "case_id",
        (per_day * people + nw.col("_first")).alias("_w"),
        (nw.col("_sum") > per_day * people + nw.col("_first")).cast(nw.Int64).alias("_over"),
    )
    pairs = (
        events.group_by("case_id", "activity")
        .agg(nw.col("_h").sum().alias("_ha"))
        .join(budget, on="case_id", how="left")
    )
    table = engine.collect(
        pairs.group_by("activity").agg(
            nw.len().alias("cases"),
            (nw.col("_ha") > nw.col("_w")).cast(nw.Int64).sum().alias("over"),
        )
    )
    totals = engine.collect(
        budget.select(nw.len().alias("n"), nw.col("_over").sum().alias("over")), sort=None
    )
    return table, int(totals["n"].iloc[0]), int(totals["over"].fillna(0).iloc[0])


def check_plausibility(
    log: EventLog | PreparedLog,
    candidates: pd.DataFrame,
    *,
    hours_per_fte: float,
    automated: list[str] | None = None,
    warn: bool = True,
) -> Plausibility:
    """Check the capacity bounds of the module docstring for one analysis.

    Parameters
    ----------
    log : EventLog or PreparedLog
        The analysed log, or the log prepared once by ``rc.analyze``.
    candidates : pandas.DataFrame
        ``Analysis.candidates`` (or :func:`rpa_candidates.relief.estimate_relief` with an
        ``already_automated`` column): ``activity``, ``handling_minutes``,
        ``events_per_year``, ``automation_rate``, ``relief_hours_per_year``, ``relief_fte``.
    hours_per_fte : float
        ``Assumptions.hours_per_fte``.
    automated : list of str, default=None
        Pseudonyms of automated resources (not human capacity).
    warn : bool, default=True
        Emit a :class:`~rpa_candidates.errors.DataQualityWarning` naming the failed checks
        and the flagged steps.

    Returns
    -------
    Plausibility
    """
    cfg = load_toml("plausibility.toml")
    tol = float(cfg["relative_tolerance"]["value"])
    case_tol = float(cfg["case_tolerance"]["value"])
    person_year = float(cfg["max_hours_per_person_year"]["value"])
    session = load_settings().session_hours
    automated = list(automated or [])
    frame = candidates.drop_duplicates("activity").set_index("activity")
    open_ = ~frame.get("already_automated", pd.Series(False, index=frame.index)).astype(bool)
    h = (frame["handling_minutes"].astype(float) / 60.0).where(open_).fillna(0.0)
    log, prepared = prepared_events(log)
    years = log.quality.span_days / 365.25
    rows, flagged = [], {}

    def flag(names: list[str], check: str) -> None:
        for name in names:
            flagged.setdefault(name, []).append(check)

    # capacity: hours attributed to people vs. what they can work in the span
    per = _per_resource(prepared, automated)
    per["hours"] = per["n"] * per["activity"].map(h).fillna(0.0).to_numpy()
    n_res = int(per["resource"].nunique())
    cap, person = hours_per_fte * years, person_year * years
    total = float(per["hours"].sum())
    if n_res == 0 or years <= 0 or total <= 0:
        rows.append(_row("capacity_total", "not_checkable", total, n_res * cap, "h"))
        rows.append(_row("capacity_resource", "not_checkable", 0.0, person, "h", of=n_res))
    else:
        by_act = per.groupby("activity")["hours"].sum()
        bound = n_res * cap * (1 + tol)
        names = _greedy(by_act, bound) if total > bound else []
        flag(names, "capacity_total")
        status = "failed" if names else "passed"
        rows.append(_row("capacity_total", status, total, n_res * cap, "h", activities=names))
        per_res = per.groupby("resource")["hours"].sum()
        over = per_res[per_res > person * (1 + tol)]
        names = set()
        for resource in over.index:
            mine = per[per["resource"] == resource].set_index("activity")["hours"]
            names |= set(_greedy(mine, person * (1 + tol)))
        flag(sorted(names), "capacity_resource")
        status = "failed" if len(over) else "passed"
        rows.append(
            _row(
                "capacity_resource",
                status,
                float(per_res.max()),
                person,
                "h",
                count=len(over),
                of=n_res,
                activities=names,
            )
        )
    # per case: a step's hours vs. the case's working-time bound
    if float(h.sum()) <= 0:
        rows.append(_row("case_time", "not_checkable", 0.0, case_tol, "share"))
    else:
        table = pd.DataFrame({"activity": h.index.astype(str), "h": h.to_numpy(dtype=float)})
        shares, n_cases, n_over = _case_shares(prepared, table, automated, session)
        share = shares["over"] / shares["cases"]
        names = sorted(str(a) for a in shares.loc[share > case_tol, "activity"])
        flag(names, "case_time")
        worst = float(share.max()) if len(share) else 0.0
        status = "failed" if names else "passed"
        rows.append(
            _row(
                "case_time", status, worst, case_tol, "share", count=n_over, of=n_cases,
                activities=names,
            )
        )  # fmt: skip
    # per step: relief within its gross human hours
    relief = frame["relief_hours_per_year"].astype(float).where(open_)
    gross = (
        frame["events_per_year"].astype(float)
        * (1 - frame["automation_rate"].astype(float).fillna(0.0))
        * h
    )
    known = relief.notna() & (relief > 0)
    if not known.any():
        rows.append(_row("step_relief", "not_checkable", 0.0, 0.0, "h/year"))
        rows.append(_row("relief_fte", "not_checkable", 0.0, n_res, "FTE"))
    else:
        bad = known & (relief > gross * (1 + tol) + 1e-9)
        names = sorted(str(a) for a in frame.index[bad])
        flag(names, "step_relief")
        ratio = float((relief[known] / gross[known]).max())
        status = "failed" if names else "passed"
        rows.append(_row("step_relief", status, ratio, 1.0, "ratio", activities=names))
        fte = frame["relief_fte"].astype(float).where(open_).fillna(0.0)
        total_fte = float(fte.sum())
        if n_res == 0:
            rows.append(_row("relief_fte", "not_checkable", total_fte, 0, "FTE"))
        else:
            names = _greedy(fte, n_res * (1 + tol)) if total_fte > n_res * (1 + tol) else []
            flag(names, "relief_fte")
            status = "failed" if names else "passed"
            rows.append(_row("relief_fte", status, total_fte, n_res, "FTE", activities=names))
    result = Plausibility(checks=pd.DataFrame(rows), flagged=flagged)
    if warn and not result.passed:
        failed = result.checks.loc[result.checks["status"] == "failed", "check"].tolist()
        warnings.warn(
            f"Plausibility checks failed: {failed}; the figures of {sorted(flagged)!r} are not "
            "reliable and are left out of the totals (Analysis.excluded). See the report "
            "section 'Plausibility checks' and docs/relief.md.",
            DataQualityWarning,
            stacklevel=2,
        )
    return result


#: Why a flagged step is not reliable, per check (English, German).
REASONS = {
    "capacity_total": (
        "its hours exceed what the people of the log can work in the observed span",
        "seine Stunden übersteigen, was die Beschäftigten des Protokolls im Zeitraum "
        "arbeiten können",
    ),
    "capacity_resource": (
        "its hours exceed what one person can work in the observed span",
        "seine Stunden übersteigen, was eine Person im Zeitraum arbeiten kann",
    ),
    "case_time": (
        "its handling time exceeds the working time of its cases",
        "seine Bearbeitungszeit übersteigt die Arbeitszeit seiner Vorgänge",
    ),
    "step_relief": (
        "its relief exceeds its gross handling hours",
        "seine Entlastung übersteigt seine Bearbeitungsstunden",
    ),
    "relief_fte": (
        "the relief in FTE exceeds the people observed",
        "die Entlastung in VZÄ übersteigt die beobachteten Beschäftigten",
    ),
}


def mark(candidates: pd.DataFrame, result: Plausibility) -> pd.DataFrame:
    """``candidates`` with ``reliable`` and ``plausibility_note`` / ``plausibility_note_de``
    (the reasons of the failed checks, "not reliable: ..."; None when reliable)."""
    out = candidates.copy()
    checks = [result.flagged.get(str(a), []) for a in out["activity"]]
    out["reliable"] = [not c for c in checks]
    out["plausibility_note"] = [
        "not reliable: " + "; ".join(REASONS[k][0] for k in c) if c else None for c in checks
    ]
    out["plausibility_note_de"] = [
        "nicht belastbar: " + "; ".join(REASONS[k][1] for k in c) if c else None for c in checks
    ]
    return out


def reliable_relief(candidates: pd.DataFrame) -> pd.DataFrame:
    """``candidates`` with the relief figures of steps that are not ``reliable`` set to NaN,
    for sums over steps (e.g. routines) that must leave them out, as the totals do."""
    if "reliable" not in candidates.columns:
        return candidates
    out = candidates.copy()
    columns = [c for c in out.columns if c.startswith("relief_") and not c.endswith("note")]
    columns = [c for c in columns if pd.api.types.is_numeric_dtype(out[c])]
    out.loc[~out["reliable"].astype(bool), columns] = np.nan
    return out
