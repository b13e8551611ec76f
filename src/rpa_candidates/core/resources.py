"""Which resources of a log are already automated: system users, interfaces, bots, batch jobs.

A step that a software user already does brings no relief when a robot takes it over, so
:func:`rpa_candidates.analyze` needs to know which resources are not people. Two kinds of
evidence are used, and every classification carries its reason:

* **by name**: the original resource name (kept in memory only, see
  :mod:`rpa_candidates.core.privacy`) contains a pattern of a technical account (``SYS_...``,
  ``svc_...``, ``RPA-Bot-...``, ``...Schnittstelle``);
* **by behaviour**: the resource acts like software: it completes in under a second, works
  at night and on Sundays on most of its days, or stamps many items with one timestamp
  outside office hours. This finds system users with opaque ids such as ``"112"``.

The thresholds and patterns live in ``data/automation.toml``, each with its source.

The table is for the tool, not for staff appraisal: it holds pseudonyms and behaviour shares
only, never a name, and it is sorted by pseudonym, not by any measure. No function of this
library ranks or compares individual employees (German staff councils, § 80 BetrVG /
Landespersonalvertretungsgesetze; GDPR Art. 5(1)(c), Art. 25).
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import narwhals as nw
import pandas as pd

from . import engine
from ._data import load_toml
from .errors import DataQualityWarning, ParameterError

if TYPE_CHECKING:
    from .eventlog import EventLog

__all__ = ["automation_defaults", "classify_resources", "fold_name"]

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def automation_defaults() -> dict[str, Any]:
    """The values of ``data/automation.toml`` as ``{name: value}`` (sources stay in the file)."""
    return {name: entry["value"] for name, entry in load_toml("automation.toml").items()}


def fold_name(text: str) -> str:
    """Lower-case ``text``, write umlauts as ae/oe/ue/ss and drop other accents.

    ``"SYS_Finanzamt-Schnittstelle"`` becomes ``"sys_finanzamt-schnittstelle"`` and
    ``"Druckstraße"`` becomes ``"druckstrasse"``, so patterns match exports that spell
    umlauts out as well as those that do not.
    """
    text = text.lower().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _compile_patterns(patterns: Mapping[str, Sequence[str]] | None) -> list[tuple[str, re.Pattern]]:
    defaults = automation_defaults()
    chosen = {"tokens": defaults["name_tokens"], "stems": defaults["name_stems"]}
    if patterns is not None:
        if not isinstance(patterns, Mapping) or set(patterns) - set(chosen):
            raise ParameterError(
                f"patterns must be a mapping with the keys 'tokens' and/or 'stems', got "
                f"{patterns!r}. Example: patterns={{'tokens': ['sys', 'fv'], 'stems': "
                "['schnittstelle']}; a given key replaces the defaults of data/automation.toml."
            )
        for key, values in patterns.items():
            if isinstance(values, str) or not all(isinstance(v, str) for v in values):
                raise ParameterError(
                    f"patterns[{key!r}] must be a list of strings, got {values!r}."
                )
            chosen[key] = list(values)
    compiled = []
    for token in chosen["tokens"]:
        folded = re.escape(fold_name(token))
        compiled.append((token, re.compile(rf"(?<![a-z]){folded}(?![a-z])")))
    for stem in chosen["stems"]:
        compiled.append((stem, re.compile(re.escape(fold_name(stem)))))
    return compiled


def _behaviour(events: nw.LazyFrame, cfg: Mapping[str, Any]) -> pd.DataFrame:
    """Per-resource behaviour counts, computed on the frame engine (polars or Spark)."""
    hour, weekday = nw.col("local_hour"), nw.col("weekday")
    measured = ~nw.col("start_ts").is_null()
    has_prev = ~nw.col("prev_case_ts").is_null()
    # A completion stamped exactly at local midnight carries a date, not a time (date-only
    # exports such as T_BPIC15_2): it says nothing about night work or batch runs.
    dated = (nw.col("local") - nw.col("local_day") * 86400.0) == 0
    off = ~dated & (
        (hour < cfg["office_start_hour"]) | (hour >= cfg["office_end_hour"]) | (weekday >= 5)
    )
    night = ~dated & ((hour < cfg["night_end_hour"]) | (hour >= cfg["night_start_hour"]))
    events = events.filter(~nw.col("resource").is_null())
    events = events.with_columns(
        measured.cast(nw.Int64).alias("_measured"),
        (measured & ((nw.col("ts") - nw.col("start_ts")) <= cfg["instant_seconds"]))
        .fill_null(False)
        .cast(nw.Int64)
        .alias("_instant"),
        has_prev.cast(nw.Int64).alias("_has_prev"),
        (has_prev & ((nw.col("ts") - nw.col("prev_case_ts")) <= cfg["reaction_seconds"]))
        .fill_null(False)
        .cast(nw.Int64)
        .alias("_quick"),
        off.cast(nw.Float64).alias("_off"),
        (night | (weekday >= 5)).cast(nw.Float64).alias("_night_weekend"),
        (night | (weekday == 6)).cast(nw.Int64).alias("_night_sunday"),
        (~dated & nw.col("same_time")).cast(nw.Float64).alias("_batch"),
    )
    per_resource = events.group_by("resource").agg(
        nw.len().alias("events"),
        nw.col("_measured").sum().alias("measured_durations"),
        nw.col("_instant").sum().alias("_instant_n"),
        nw.col("_has_prev").sum().alias("_prev_n"),
        nw.col("_quick").sum().alias("_quick_n"),
        nw.col("_off").mean().alias("off_hours_share"),
        nw.col("_night_weekend").mean().alias("night_weekend_share"),
        nw.col("_batch").mean().alias("batch_share"),
    )
    per_day = (
        events.group_by("resource", "local_day")
        .agg(nw.col("_night_sunday").max().alias("_ns"))
        .group_by("resource")
        .agg(nw.len().alias("active_days"), nw.col("_ns").sum().alias("_ns_days"))
    )
    table = engine.collect(per_resource, sort="resource").merge(
        engine.collect(per_day, sort="resource"), on="resource", how="left"
    )
    all_durations = events.filter(measured).select(
        (nw.col("ts") - nw.col("start_ts")).median().alias("median")
    )
    median = engine.collect(all_durations, sort=None)["median"]
    table.attrs["median_duration"] = float(median.iloc[0]) if len(median) else math.nan
    return table


def _shares(table: pd.DataFrame) -> pd.DataFrame:
    def ratio(num: str, den: str) -> pd.Series:
        d = table[den].astype(float)
        return (table[num].astype(float) / d.where(d > 0)).astype(float)

    table["instant_share"] = ratio("_instant_n", "measured_durations")
    table["quick_reaction_share"] = ratio("_quick_n", "_prev_n")
    table["night_sunday_day_share"] = ratio("_ns_days", "active_days")
    return table


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def _behaviour_reasons(row: pd.Series, cfg: Mapping[str, Any], durations_ok: bool) -> list:
    """(english, german) reasons of every behaviour test the resource passes."""
    out = []
    if row["events"] < cfg["min_events"]:
        return out
    limit = cfg["instant_seconds"]
    if (
        durations_ok
        and row["measured_durations"] >= cfg["min_events"]
        and row["instant_share"] >= cfg["instant_share_min"]
    ):
        n, share = int(row["measured_durations"]), _pct(row["instant_share"])
        out.append(
            (
                f"{share} of {n} recorded durations are at most {limit:g} s",
                f"{share} von {n} gemessenen Bearbeitungsdauern höchstens {limit:g} s",
            )
        )
    if (
        row["measured_durations"] == 0
        and row["_prev_n"] >= cfg["min_events"]
        and row["quick_reaction_share"] >= cfg["reaction_share_min"]
    ):
        share, secs = _pct(row["quick_reaction_share"]), f"{cfg['reaction_seconds']:g}"
        out.append(
            (
                f"completes {share} of its steps within {secs} s of the case's previous step",
                f"erledigt {share} seiner Schritte binnen {secs} s nach dem vorigen Schritt",
            )
        )
    if (
        row["active_days"] >= cfg["min_active_days"]
        and row["night_sunday_day_share"] >= cfg["night_sunday_day_share_min"]
    ):
        share, days = _pct(row["night_sunday_day_share"]), int(row["active_days"])
        window = f"{cfg['night_start_hour']}–{cfg['night_end_hour']}"
        out.append(
            (
                f"works at night ({window} h) or on Sundays on {share} of {days} active days",
                f"arbeitet an {share} von {days} aktiven Tagen nachts ({window} Uhr) oder sonntags",
            )
        )
    if (
        row["batch_share"] >= cfg["batch_share_min"]
        and row["off_hours_share"] >= cfg["batch_off_hours_share_min"]
    ):
        batch, off = _pct(row["batch_share"]), _pct(row["off_hours_share"])
        out.append(
            (
                f"{batch} of its executions share one timestamp (batch run), {off} off-hours",
                f"{batch} seiner Ausführungen mit identischem Zeitstempel (Stapellauf), "
                f"{off} außerhalb der Dienstzeit",
            )
        )
    return out


def _check_overrides(overrides: Mapping[Any, Any] | None) -> dict[str, bool]:
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise ParameterError(
            f"overrides must be a mapping {{resource: True/False}}, got {overrides!r}. "
            "Example: overrides={'SYS_DMS': True, 'MA-3f9c0a1b2d': False}."
        )
    bad = {k: v for k, v in overrides.items() if not isinstance(v, bool)}
    if bad:
        raise ParameterError(
            f"overrides values must be True or False, got {bad!r}. "
            "True marks a resource as automated, False as a person."
        )
    return {str(k): v for k, v in overrides.items()}


def classify_resources(
    log: EventLog,
    *,
    patterns: Mapping[str, Sequence[str]] | None = None,
    overrides: Mapping[str, bool] | None = None,
    events: nw.LazyFrame | None = None,
) -> pd.DataFrame:
    """Classify each resource of ``log`` as automated (system, bot, batch) or a person.

    A resource is **automated** when the user says so in ``overrides``; otherwise when its
    name matches a pattern (``by_name``) or its behaviour passes one of the tests below
    (``by_behaviour``). Behaviour is tested only for resources with at least ``min_events``
    executions (all thresholds from ``data/automation.toml``):

    1. *instant*: ``instant_share ≥ instant_share_min`` (0.9) over at least ``min_events``
       recorded durations, where ``instant_share = #{ts − start_ts ≤ instant_seconds (1 s)}
       / #{start_ts recorded}``. Skipped for the whole log when the median recorded
       duration is itself at most ``instant_seconds`` (start and completion coincide, so
       durations carry no information).
    2. *instant reaction* (only resources without any recorded start time):
       ``quick_reaction_share ≥ reaction_share_min`` (0.9), where ``quick_reaction_share
       = #{ts − prev_case_ts ≤ reaction_seconds (60 s)} / #{executions with a previous
       step in the case}``.
    3. *night and Sunday*: ``night_sunday_day_share ≥ night_sunday_day_share_min`` (0.5)
       over at least ``min_active_days`` (5) active days, where ``night_sunday_day_share
       = #{active local days with an execution at 21–06 h (TVöD § 7 Abs. 5) or on a
       Sunday} / #{active local days}``. A nightly job or a 24/7 interface passes; a
       person working late now and then does not.
    4. *batch*: ``batch_share ≥ batch_share_min`` (0.5) and ``off_hours_share ≥
       batch_off_hours_share_min`` (0.5): many items stamped with one timestamp outside
       office hours (a nightly print or payment run).

    Completions stamped exactly at local midnight carry a date, not a time (date-only
    exports, e.g. the real log T_BPIC15_2): tests 3 and 4 leave them out, else every clerk
    of such a log would "work at night".

    Parameters
    ----------
    log : EventLog
        A log from :func:`rpa_candidates.read_log`.
    patterns : mapping, default=None
        ``{"tokens": [...], "stems": [...]}``; a given key replaces the default list of
        ``data/automation.toml``. Tokens must stand alone between non-letters in the
        name (``"sys"`` matches ``"SYS_HKR"``, not ``"Sysel"``); stems may sit anywhere
        (``"schnittstelle"`` matches ``"Finanzamtschnittstelle"``). Matching is
        case-insensitive, with umlauts folded (:func:`fold_name`), on the original names,
        which stay in memory. ``{"tokens": [], "stems": []}`` switches names off.
    overrides : mapping, default=None
        ``{pseudonym or original name: True/False}``; wins over every test, with the
        reason ``"set by user"``. Keys that match no resource raise a
        :class:`DataQualityWarning`.
    events : narwhals.LazyFrame, default=None
        The prepared frame of ``log`` (:func:`rpa_candidates.core.engine.prepare_events`)
        when the caller has it (:func:`rpa_candidates.core.prepared.prepare`); None
        prepares it here.

    Returns
    -------
    pandas.DataFrame
        One row per resource with at least one execution, sorted by pseudonym:

        - ``resource`` (str): the pseudonym as in ``log.frame["resource"]``
        - ``automated`` (bool), ``by_name`` (bool), ``by_behaviour`` (bool),
          ``by_override`` (bool)
        - ``reason`` (str, English) and ``reason_de`` (str, German): why
        - ``events``: executions; ``active_days``: distinct local days with an execution
        - ``measured_durations``: executions with a recorded start time
        - ``instant_share``, ``quick_reaction_share``, ``night_sunday_day_share`` (NaN when
          there is nothing to measure), ``off_hours_share`` (before 06:00, from 20:00 or on
          a weekend, local time), ``night_weekend_share`` (21–06 h or a weekend day),
          ``batch_share`` (share of executions that share their identical timestamp with
          another execution of the resource)

    Raises
    ------
    ParameterError
        ``patterns`` or ``overrides`` of the wrong shape.

    See Also
    --------
    rpa_candidates.activity_features : uses this table for ``automation_rate``.

    References
    ----------
    Martin, N., Swennen, M., Depaire, B. et al. (2015). Batch processing: definition and
    event log identification. SIMPDA 2015, CEUR-WS 1527.

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> from rpa_candidates.core.resources import classify_resources
    >>> sim = rc.synth.simulate("eingangsrechnung", n_cases=300, seed=1, resource_names="opaque")
    >>> table = classify_resources(rc.read_log(sim.events))
    >>> int(table["automated"].sum()), int(sim.staff["system"].sum())
    (2, 2)
    """
    cfg = automation_defaults()
    compiled = _compile_patterns(patterns)
    wanted = _check_overrides(overrides)
    identities: Mapping[str, str] = log._identities.get("resource", {})
    if events is None:
        events = engine.prepare_events(log.frame)
    table = _shares(_behaviour(events, cfg))
    median = table.attrs.get("median_duration", math.nan)
    durations_ok = not (median <= cfg["instant_seconds"])  # NaN (no durations) is fine

    used: set[str] = set()
    rows = []
    for row in table.to_dict("records"):
        pseudonym = str(row["resource"])
        original = str(identities.get(pseudonym, pseudonym))
        folded = fold_name(original)
        hits = [label for label, regex in compiled if regex.search(folded)]
        behaviour = _behaviour_reasons(pd.Series(row), cfg, durations_ok)
        key = pseudonym if pseudonym in wanted else original if original in wanted else None
        reasons_en, reasons_de = [], []
        if key is not None:
            used.add(key)
            automated = wanted[key]
            reasons_en.append("set by user")
            reasons_de.append("vom Nutzer festgelegt")
        else:
            automated = bool(hits or behaviour)
        if hits:
            quoted = ", ".join(repr(h) for h in hits[:3])
            reasons_en.append(f"name matches {quoted}")
            reasons_de.append(f"Name enthält {quoted}")
        reasons_en += [en for en, _ in behaviour]
        reasons_de += [de for _, de in behaviour]
        if not hits and not behaviour:
            if row["events"] < cfg["min_events"]:
                n, m = int(row["events"]), cfg["min_events"]
                reasons_en.append(f"no name pattern; too few executions ({n} < {m}) to test")
                reasons_de.append(f"kein Namensmuster; zu wenige Ausführungen ({n} < {m})")
            else:
                reasons_en.append("no name pattern; behaves like a person")
                reasons_de.append("kein Namensmuster; Verhalten wie eine Person")
        rows.append(
            {
                "resource": pseudonym,
                "automated": automated,
                "by_name": bool(hits),
                "by_behaviour": bool(behaviour),
                "by_override": key is not None,
                "reason": "; ".join(reasons_en),
                "reason_de": "; ".join(reasons_de),
            }
        )
    unknown = sorted(set(wanted) - used)
    if unknown:
        warnings.warn(
            f"overrides name {len(unknown)} resource(s) not in this log: {unknown!r}. "
            "Use the pseudonyms of classify_resources(log)['resource'] or the names as in "
            "the export.",
            DataQualityWarning,
            stacklevel=2,
        )
    measures = [
        "events",
        "active_days",
        "measured_durations",
        "instant_share",
        "quick_reaction_share",
        "night_sunday_day_share",
        "off_hours_share",
        "night_weekend_share",
        "batch_share",
    ]
    heads = ["resource", "automated", "by_name", "by_behaviour", "by_override", "reason"]
    out = pd.DataFrame(rows, columns=[*heads, "reason_de"])
    out = pd.concat([out.reset_index(drop=True), table[measures].reset_index(drop=True)], axis=1)
    for column in ("events", "active_days", "measured_durations"):
        out[column] = out[column].astype("int64")
    return out
