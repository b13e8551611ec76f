"""The per-activity indicator catalogue: :func:`activity_features` and :data:`CATALOG`.

One module per family registers its indicators (see :mod:`._registry`); this module
imports them in catalogue order and assembles one tidy table, one row per activity.
"""

from . import volume, handling, context, rework, resources, decision, attributes, labels  # noqa: F401, I001  (registration order)
from ._assemble import activity_features
from ._registry import CATALOG, Context, Indicator

__all__ = ["CATALOG", "Context", "Indicator", "activity_features"]
