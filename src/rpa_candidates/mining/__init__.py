"""Stage 2a, discovery: DFG, variants, process tree, Petri net, BPMN and fitness (pm4py on
small aggregates, within a budget), and the process map. Imports only ``core``.

The budgets are the ``MAX_*`` constants of :mod:`rpa_candidates.mining.discovery`.
"""

from .discovery import discover
from .model import ProcessModel

__all__ = ["ProcessModel", "discover"]
