"""Which steps should a software robot take over: rules, a learned model, their blend.

* :class:`RuleScorer` — transparent criteria from the RPA literature (``criteria.toml``);
* :class:`AutomatabilityModel` — a classifier trained on a labelled corpus;
* :func:`score_activities` — both blended into ``automatability`` with reasons.
"""

from ._criteria import default_criteria
from .combine import score_activities
from .model import AutomatabilityModel
from .rules import RuleScorer, format_number

__all__ = [
    "AutomatabilityModel",
    "RuleScorer",
    "default_criteria",
    "format_number",
    "score_activities",
]
