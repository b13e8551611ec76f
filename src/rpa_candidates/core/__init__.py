"""Stage 0, the core every stage stands on: the event log and its engine.

``EventLog`` (the canonical table a reader made), the narwhals ``engine`` (the only place
with backend-specific calls), the log prepared once for every stage (``prepared``),
row accounting (``quality``), pseudonyms (``privacy``), which resources are automated
(``resources``), the observation period (``annualise``), progress bars, the error types
and the data tables in ``data/``. Imports nothing of the other stages (docs/architecture.md).
"""
