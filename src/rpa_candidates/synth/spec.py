"""Data types that describe a simulated process: roles, activities, transitions.

A process is plain data: a tuple of :class:`Role`, a tuple of :class:`Activity` and a tuple
of :class:`Transition`, plus a function that draws the case attributes. The engine in
:mod:`rpa_candidates.synth.simulate` walks the transitions; nothing here runs.

Routing semantics (evaluated each time an activity, or the pseudo activity ``START``,
completes):

1. Transitions from the source with an explicit ``probability`` are tried first, in order,
   against one uniform draw ``u``: the first with ``u < cumulative probability`` is taken.
   These are the random branches (rework loops, exceptions, optional steps).
2. Otherwise the first transition without probability whose ``when`` expression holds on
   the case attributes is taken (``when=None`` always holds; it must come last). These are
   the decision rules, deterministic given the attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from rpa_candidates.core.errors import ParameterError

__all__ = [
    "END",
    "LABEL_CLASSES",
    "START",
    "WAITS",
    "Activity",
    "ProcessSpec",
    "Role",
    "Transition",
]

START = "START"
END = "END"

LabelClass = Literal["automated", "highly_automatable", "low_automatable", "cognitive"]
LABEL_CLASSES: tuple[str, ...] = ("automated", "highly_automatable", "low_automatable", "cognitive")

# Waiting time before a step becomes ready, in calendar minutes: (median, lognormal sigma).
# Assumed orders of magnitude for a German Amt, not measured: an internal hand-over through
# the DMS inbox takes minutes to hours, a citizen answers a letter within one to three weeks,
# letter post takes one to three days, objections (Widerspruch) come within the one-month
# deadline of § 70 VwGO.
WAITS: dict[str, tuple[float, float]] = {
    "sofort": (0.1, 0.5),  # system follow-up, seconds
    "intern": (40.0, 1.1),  # hand-over to the next inbox
    "buerger": (7 * 24 * 60.0, 0.6),  # waiting for the citizen / the supplier
    "post": (2 * 24 * 60.0, 0.3),  # letter post
    "frist": (20 * 24 * 60.0, 0.3),  # objection period
}


@dataclass(frozen=True)
class Role:
    """Who does an activity: a pool of staff or one system user.

    Parameters
    ----------
    name : str
        Role name; for system users the realistic resource name (e.g. ``"RPA-Bot-Rechnung"``).
    kind : {"staff", "system", "batch"}, default="staff"
        ``"staff"``: a pool of people sized from the workload; ``"system"``: a system user
        that works instantly at any hour; ``"batch"``: a system user that runs every night
        at ``batch_time`` and stamps all items of that run with the identical timestamp.
    batch_time : str, default="01:30"
        Local time of the nightly run (``kind="batch"`` only). Chosen outside 02:00–03:00 so
        that daylight-saving changes never hit it.
    utilisation : float, default=0.8
        Target share of office hours the staff pool spends working (0.7–0.9 is typical).
    """

    name: str
    kind: Literal["staff", "system", "batch"] = "staff"
    batch_time: str = "01:30"
    utilisation: float = 0.8

    @property
    def is_system(self) -> bool:
        """True for system users (``kind`` ``"system"`` or ``"batch"``)."""
        return self.kind != "staff"


@dataclass(frozen=True)
class Activity:
    """One activity of a process with its ground truth.

    Parameters
    ----------
    name : str
        German activity label as it appears in the log.
    role : str
        Name of the :class:`Role` that does it.
    label_class : {"automated", "highly_automatable", "low_automatable", "cognitive"}
        True automation class. ``"automated"``: a system user already does it;
        ``"cognitive"``: judgement, physical or communication work.
    rule_based : bool
        Whether the step follows fixed rules on structured data.
    median_minutes : float, default=0.0
        Median handling time of one execution (lognormal); 0 for system users.
    sigma : float, default=0.0
        Lognormal shape parameter of the handling time.
    """

    name: str
    role: str
    label_class: LabelClass
    rule_based: bool
    median_minutes: float = 0.0
    sigma: float = 0.0

    @property
    def mean_minutes(self) -> float:
        """Theoretical lognormal mean, ``median * exp(sigma**2 / 2)``."""
        return float(self.median_minutes * np.exp(self.sigma**2 / 2))


@dataclass(frozen=True)
class Transition:
    """A possible next step after ``source`` (an activity name or ``START``).

    Parameters
    ----------
    source : str
        Activity name or ``START``.
    target : str
        Activity name or ``END``.
    probability : float or None, default=None
        Probability of a random branch; ``None`` marks a rule (or default) branch.
    when : str or None, default=None
        :meth:`pandas.DataFrame.eval` expression over the case attributes (columns starting
        with ``_`` are hidden helpers that are not written to the log).
    rule : str or None, default=None
        Human-readable decision rule, reported in ``truth.decision_rule`` of the target.
    kind : {"normal", "rework", "exception"}, default="normal"
        ``"rework"`` loops back to an earlier step, ``"exception"`` leaves the normal path
        towards an end that is not the normal end.
    wait : str, default="intern"
        Key of :data:`WAITS`: how long the case waits before ``target`` becomes ready.
    """

    source: str
    target: str
    probability: float | None = None
    when: str | None = None
    rule: str | None = None
    kind: Literal["normal", "rework", "exception"] = "normal"
    wait: str = "intern"


@dataclass(frozen=True)
class ProcessSpec:
    """A simulated process: roles, activities, transitions and case attributes.

    Parameters
    ----------
    name : str
        Key in :data:`rpa_candidates.synth.PROCESSES`, e.g. ``"wohngeld"``.
    title : str
        German title, e.g. ``"Wohngeldantrag"``.
    case_prefix : str
        Prefix of case ids, e.g. ``"WG"`` gives ``"WG-2025-000017"``.
    roles, activities, transitions : tuple
        The process model as data.
    attributes : callable
        ``attributes(rng, n) -> pandas.DataFrame`` with one row per case.
    """

    name: str
    title: str
    case_prefix: str
    roles: tuple[Role, ...]
    activities: tuple[Activity, ...]
    transitions: tuple[Transition, ...]
    attributes: Callable[[np.random.Generator, int], pd.DataFrame]

    def activity(self, name: str) -> Activity:
        """Return the activity called ``name``."""
        for act in self.activities:
            if act.name == name:
                return act
        raise ParameterError(
            f"Unknown activity {name!r}; expected one of {[a.name for a in self.activities]!r}."
        )

    def role(self, name: str) -> Role:
        """Return the role called ``name``."""
        for role in self.roles:
            if role.name == name:
                return role
        raise ParameterError(
            f"Unknown role {name!r}; expected one of {[r.name for r in self.roles]!r}."
        )
