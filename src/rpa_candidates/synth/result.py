"""The result of a simulation: events, ground truth, and writers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from rpa_candidates.synth import writers
from rpa_candidates.synth.spec import ProcessSpec

__all__ = ["SimulatedLog", "build_truth"]


def build_truth(
    spec: ProcessSpec,
    acts: np.ndarray,
    case_idx: np.ndarray,
    dur_ms: np.ndarray,
    step_kind: np.ndarray,
) -> pd.DataFrame:
    """Build the ground-truth table, one row per activity of ``spec``.

    Parameters
    ----------
    spec : ProcessSpec
        The simulated process.
    acts, case_idx, dur_ms, step_kind : numpy.ndarray
        Per executed step: activity index, case index, handling milliseconds, role kind
        (0 staff, 1 system, 2 batch).

    Returns
    -------
    pandas.DataFrame
        Columns as documented in :class:`SimulatedLog`.
    """
    n_act = len(spec.activities)
    executions = np.bincount(acts, minlength=n_act)
    pairs = np.unique(case_idx.astype(np.int64) * n_act + acts)
    cases = np.bincount(pairs % n_act, minlength=n_act)
    human_ms = np.bincount(acts, weights=np.where(step_kind == 0, dur_ms, 0), minlength=n_act)
    rows = []
    for j, act in enumerate(spec.activities):
        system = spec.role(act.role).is_system
        out = [t for t in spec.transitions if t.source == act.name]
        rules = [t.rule for t in spec.transitions if t.target == act.name and t.rule]
        rows.append(
            {
                "process": spec.name,
                "activity": act.name,
                "label_class": act.label_class,
                "automatable": act.label_class in ("automated", "highly_automatable"),
                "rule_based": act.rule_based,
                "already_automated": system,
                "role": act.role,
                "handling_median_minutes": 0.0 if system else float(act.median_minutes),
                "handling_sigma": 0.0 if system else float(act.sigma),
                "handling_mean_minutes": 0.0 if system else act.mean_minutes,
                "executions": int(executions[j]),
                "cases": int(cases[j]),
                "true_handling_hours": float(human_ms[j]) / 3_600_000,
                "rework_probability": sum(t.probability or 0.0 for t in out if t.kind == "rework"),
                "exception_probability": sum(
                    t.probability or 0.0 for t in out if t.kind == "exception"
                ),
                "decision_rule": "; ".join(rules) if rules else None,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True, repr=False)
class SimulatedLog:
    """A simulated event log with its ground truth.

    Attributes
    ----------
    events : pandas.DataFrame
        One row per activity instance, sorted by ``case_id`` and ``start``: ``case_id``
        (str, e.g. ``"WG-2025-000017"``), ``activity`` (str), ``resource`` (str), ``start``
        and ``end`` (datetime64, tz Europe/Berlin), then the case attributes under their
        German names (e.g. ``Haushaltsgroesse`` int, ``Einkommen`` float, ``Rechtsform``
        str, ``Schwerbehinderung`` bool).
    truth : pandas.DataFrame
        One row per activity the process can execute, executed or not:

        - ``process`` (str), ``activity`` (str)
        - ``label_class``: ``"automated"`` (a system user does it), ``"highly_automatable"``,
          ``"low_automatable"`` or ``"cognitive"`` (judgement, physical, communication)
        - ``automatable`` (bool): ``label_class`` is automated or highly_automatable
        - ``rule_based`` (bool): the step follows fixed rules on structured data
        - ``already_automated`` (bool): done by a system user
        - ``role`` (str): staff pool or system user name
        - ``handling_median_minutes``, ``handling_sigma``: lognormal handling time
          (0 for system users)
        - ``handling_mean_minutes``: ``median * exp(sigma**2 / 2)`` (0 for system users)
        - ``executions`` (int): realised executions in this log
        - ``cases`` (int): realised distinct cases with the activity
        - ``true_handling_hours`` (float): realised sum of human handling time in this log
          (0 for system users)
        - ``rework_probability``: probability that an execution is followed by a rework
          branch (a loop back to an earlier step)
        - ``exception_probability``: probability that an execution is followed by an
          exception branch (leaving the normal path towards an end that is not the normal end)
        - ``decision_rule`` (str or None): the rule on the case attributes under which the
          activity is chosen
    cases : pandas.DataFrame
        One row per case: ``case_id`` and the case attributes.
    staff : pandas.DataFrame
        One row per resource: ``resource``, ``role``, ``system`` (bool), ``work_start`` and
        ``work_end`` (local ``"HH:MM"``, None for system users), ``busy_hours``.
    process : str
        Process key, e.g. ``"wohngeld"``.
    seed : int
        Seed the log was simulated with.
    n_cases : int
        Number of cases.
    spec : ProcessSpec
        The process definition.

    Examples
    --------
    >>> from rpa_candidates import synth
    >>> log = synth.simulate("eingangsrechnung", n_cases=40, seed=3)
    >>> sorted(set(log.events["activity"])) <= sorted(log.truth["activity"])
    True
    """

    events: pd.DataFrame
    truth: pd.DataFrame
    cases: pd.DataFrame
    staff: pd.DataFrame
    process: str
    seed: int
    n_cases: int
    spec: ProcessSpec = field(compare=False)

    def __repr__(self) -> str:
        return (
            f"<SimulatedLog {self.process!r}: {self.n_cases} cases, {len(self.events)} events, "
            f"seed={self.seed}; see .events, .truth, .write_csv(), .write_xes(), .write_parquet()>"
        )

    def write_csv(
        self,
        path: str | os.PathLike,
        *,
        encoding: str = "cp1252",
        delimiter: str = ";",
        date_format: str = "%d.%m.%Y %H:%M:%S",
        decimal: str = ",",
        columns: Literal["de", "en"] = "de",
        include_start: bool = True,
        lifecycle: bool = False,
    ) -> None:
        """Write the events as a CSV export; see :func:`rpa_candidates.synth.writers.write_csv`."""
        writers.write_csv(
            self,
            path,
            encoding=encoding,
            delimiter=delimiter,
            date_format=date_format,
            decimal=decimal,
            columns=columns,
            include_start=include_start,
            lifecycle=lifecycle,
        )

    def write_xes(self, path: str | os.PathLike, *, lifecycle: bool = True) -> None:
        """Write the events as XES; see :func:`rpa_candidates.synth.writers.write_xes`."""
        writers.write_xes(self, path, lifecycle=lifecycle)

    def write_parquet(
        self,
        path: str | os.PathLike,
        *,
        lifecycle: bool = False,
        time_unit: Literal["us", "ms"] = "us",
    ) -> None:
        """Write the events as Parquet; see :func:`rpa_candidates.synth.writers.write_parquet`."""
        writers.write_parquet(self, path, lifecycle=lifecycle, time_unit=time_unit)
