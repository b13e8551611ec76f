"""Stage 2b, handling time: how long a person works on one execution of an activity.

Public as ``rc.timing``. The estimators (``estimators``: ``lifecycle``, ``resource_gap``,
``case_gap``, ``given``; ``resource_gap_unidentified`` where the gaps do not identify
the handling time), their settings (``settings``, ``data/timing.toml``), the idle
model that takes idle time out of resource gaps (``idle``; its EM fit in ``idle_em``) and
the Destatis Zeitwerttabelle for standard times (``standard_times``). Imports only ``core``.
"""

from .estimators import (
    SOURCES,
    UNIDENTIFIED,
    estimator_instances,
    handling_times,
    instance_handling,
    summarise,
)
from .settings import TimingSettings, load_settings
from .standard_times import standard_time, standard_times

__all__ = [
    "SOURCES",
    "UNIDENTIFIED",
    "TimingSettings",
    "estimator_instances",
    "handling_times",
    "instance_handling",
    "load_settings",
    "standard_time",
    "standard_times",
    "summarise",
]
