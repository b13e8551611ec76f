"""The Destatis Zeitwerttabelle Verwaltung: standard minutes per standard activity.

Users map their activities to these standard activities and pass the minutes to
:func:`rpa_candidates.activity_features` as ``handling_times=``; they then win over every
estimate (``handling_source = "given"``). Provenance and what to verify at source:
``data/zeitwerte_verwaltung.toml``.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..core._data import load_toml as _data
from ..core.errors import ParameterError

__all__ = ["standard_time", "standard_times"]

Complexity = Literal["einfach", "mittel", "hoch", "simple", "medium", "complex"]
_COMPLEXITY = {
    "einfach": "simple_minutes",
    "mittel": "medium_minutes",
    "hoch": "complex_minutes",
    "simple": "simple_minutes",
    "medium": "medium_minutes",
    "complex": "complex_minutes",
}


@cache
def _zeitwerte() -> tuple[pd.DataFrame, dict[str, Any]]:
    table = _data("zeitwerte_verwaltung.toml")
    rows = pd.DataFrame(table.pop("row"))
    for column in ("simple_minutes", "medium_minutes", "complex_minutes"):
        rows[column] = rows.get(column, pd.Series(np.nan, index=rows.index)).astype(float)
    return rows, table


def standard_times() -> pd.DataFrame:
    """The Destatis Zeitwerttabelle Verwaltung: standard minutes per standard activity.

    Returns
    -------
    pandas.DataFrame
        One row per standard activity (Standardaktivität): ``nr``, ``activity`` (German),
        ``en``, ``simple_minutes``, ``medium_minutes``, ``complex_minutes`` (einfach,
        mittel, hoch; NaN where the source gives none). ``.attrs`` holds ``source``,
        ``year`` and ``verify`` (what to check at source before quoting a value).

    References
    ----------
    Statistisches Bundesamt, Leitfaden zur Ermittlung und Darstellung des
    Erfüllungsaufwands in Regelungsvorhaben der Bundesregierung, Anhang 7
    (Stand Januar 2025); see ``data/zeitwerte_verwaltung.toml`` for the exact provenance.

    Examples
    --------
    >>> from rpa_candidates import timing
    >>> table = timing.standard_times()
    >>> int(table.loc[table["nr"] == 14, "medium_minutes"].iloc[0])
    10
    """
    rows, meta = _zeitwerte()
    out = rows.copy()
    out.attrs.update({k: meta[k] for k in ("source", "year", "verify", "unit")})
    return out


def standard_time(task: str | int, complexity: Complexity = "mittel") -> float:
    """Minutes of one standard activity of the Zeitwerttabelle Verwaltung.

    Parameters
    ----------
    task : str or int
        The German or English name of the standard activity (case-insensitive) or its number.
    complexity : {"einfach", "mittel", "hoch", "simple", "medium", "complex"}, default="mittel"

    Returns
    -------
    float
        Minutes per case (NaN for row 6 "hoch", which the source leaves out).

    Raises
    ------
    ParameterError
        Unknown task or complexity.

    Examples
    --------
    >>> from rpa_candidates import timing
    >>> timing.standard_time("Kopieren, archivieren, verteilen", "einfach")
    2.0
    """
    if complexity not in _COMPLEXITY:
        raise ParameterError(
            f"complexity={complexity!r} is not one of {sorted(_COMPLEXITY)!r}; "
            "pass e.g. complexity='mittel'."
        )
    rows, _ = _zeitwerte()
    if isinstance(task, int) and not isinstance(task, bool):
        match = rows[rows["nr"] == task]
    else:
        key = str(task).strip().casefold()
        match = rows[(rows["activity"].str.casefold() == key) | (rows["en"].str.casefold() == key)]
    if match.empty:
        raise ParameterError(
            f"Unknown standard activity {task!r}; expected a number 1..{len(rows)} or one of "
            f"{rows['activity'].tolist()!r} (see rpa_candidates.timing.standard_times())."
        )
    return float(match[_COMPLEXITY[complexity]].iloc[0])
