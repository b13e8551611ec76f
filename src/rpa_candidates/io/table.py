"""``RawTable``: a table as a reader returns it, before roles and types are applied.

Shared by every reader (:mod:`.sources` dispatches, :mod:`.xes`, :mod:`.csv` and the
others build one). The ``_row`` column numbers the input rows (0-based) so that each row
can be accounted for later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

__all__ = ["RawTable"]


@dataclass
class RawTable:
    """A table as read, before roles and types are applied."""

    table: pl.DataFrame
    source: str
    format: str
    reader: str
    malformed_rows: list[int] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    #: True when every column arrived as text (CSV): numbers are then recognised later.
    text_only: bool = False


def _with_row_index(table: pl.DataFrame) -> pl.DataFrame:
    if "_row" in table.columns:
        table = table.rename({"_row": "_row_attr"})
    return table.with_row_index("_row").with_columns(pl.col("_row").cast(pl.Int64))


def _from_pandas(frame: Any) -> RawTable:
    import pandas as pd

    frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    try:
        table = pl.from_pandas(frame)
    except (TypeError, ValueError, pl.exceptions.PolarsError, ImportError):
        # Mixed Python objects in a column: keep them as text, missing values as null.
        fixed = frame.copy()
        for column in fixed.columns:
            if fixed[column].dtype == object:
                fixed[column] = fixed[column].map(lambda v: None if pd.isna(v) else str(v))
        table = pl.from_pandas(fixed)
    return RawTable(_with_row_index(table), "pandas DataFrame", "dataframe", "pandas")
