"""Simulator of German municipal processes with known ground truth.

``simulate`` turns one of the process definitions in :data:`PROCESSES` into an event log
whose true handling times, automation classes and decision rules are known, so that the
library's estimators and scores can be tested against the truth.
"""

from rpa_candidates.synth.processes import PROCESSES, WOHNGELD_EINKOMMENSGRENZE
from rpa_candidates.synth.result import SimulatedLog
from rpa_candidates.synth.simulate import simulate
from rpa_candidates.synth.spec import LABEL_CLASSES, WAITS, Activity, ProcessSpec, Role, Transition
from rpa_candidates.synth.workdays import hessian_holidays

__all__ = [
    "LABEL_CLASSES",
    "PROCESSES",
    "WAITS",
    "WOHNGELD_EINKOMMENSGRENZE",
    "Activity",
    "ProcessSpec",
    "Role",
    "SimulatedLog",
    "Transition",
    "hessian_holidays",
    "simulate",
]
