"""Stage 2a, discovery: DFG, variants, process tree, Petri net, BPMN and fitness (pm4py on
small aggregates, within a budget), and the process map. Imports only ``core``."""

from .discovery import MAX_MINING_VARIANTS, MAX_REPLAY_CHECKS, MAX_REPLAY_VARIANTS, discover
from .model import ProcessModel

__all__ = [
    "MAX_MINING_VARIANTS",
    "MAX_REPLAY_CHECKS",
    "MAX_REPLAY_VARIANTS",
    "ProcessModel",
    "discover",
]
