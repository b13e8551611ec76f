"""What-if simulation: the process as it is and with steps taken over by a bot, on SimPy.

Stage: relief (it builds on the analysis and the relief estimate). Modules: ``calendar``
(working calendars), ``model`` (the simulation model from the log and the analysis),
``engine`` (one SimPy run), ``result`` (:class:`WhatIf`), ``api`` (:func:`what_if`).
Method and measured accuracy: ``docs/what-if.md``.
"""

from .api import what_if
from .result import WhatIf

__all__ = ["WhatIf", "what_if"]
