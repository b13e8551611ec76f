"""Numeric attributes written with a German decimal comma or an English decimal point.

A CSV export gives every attribute as text. :func:`coerce_numeric_columns` turns a text
column into numbers only when *every* value is a number in one consistent notation, so
that file numbers, postal codes and free text stay untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from rpa_candidates.core.errors import ParameterError

__all__ = ["coerce_numeric_columns"]

_SIGN = r"^[+-]?"
_INTEGER = _SIGN + r"\d+$"
_LEADING_ZERO = _SIGN + r"0\d"
# German: 1234,56  1.234,56  -0,5  ,5  and thousands only 1.234.567
_DE_DECIMAL = _SIGN + r"(?:\d*|\d{1,3}(?:\.\d{3})+),\d+$"
_DE_THOUSANDS = _SIGN + r"\d{1,3}(?:\.\d{3})+$"
# English: 1234.56  1,234.56  .5  and thousands only 1,234,567
_EN_DECIMAL = _SIGN + r"(?:\d*|\d{1,3}(?:,\d{3})+)\.\d+$"
_EN_THOUSANDS = _SIGN + r"\d{1,3}(?:,\d{3})+$"


def coerce_numeric_columns(
    df: pl.DataFrame, columns: Sequence[str]
) -> tuple[pl.DataFrame, dict[str, str]]:
    """Convert text columns that hold numbers in one notation to numbers.

    A ``String`` column among ``columns`` is converted when every non-null, non-blank
    value (surrounding whitespace ignored) is a number in one notation:

    - ``"integer"``: ``-12``, ``4711`` → ``Int64``. If any value has a leading zero
      (``007``, postal code ``01067``, file numbers) the column stays text, as it does
      when a value does not fit into Int64.
    - ``"decimal_comma"`` (German): ``1234,56``, ``1.234,56``, ``-0,5``, also ``1.234.567``
      → ``Float64``; the dots are thousands separators.
    - ``"decimal_point"`` (English): ``1234.56``, ``1,234.56``, also ``1,234,567``
      → ``Float64``; the commas are thousands separators.

    A column whose values fit both notations (e.g. only ``1.234`` and ``2.500``: German
    thousands or English decimals? or only ``1,250`` and ``12``) is ambiguous. It is read
    as German if another column in ``columns`` was converted with ``"decimal_comma"``;
    otherwise it stays text. Columns with any other value, all-null columns and columns
    that are not ``String`` are left as they are.

    Parameters
    ----------
    df : polars.DataFrame
        The table; it is not modified.
    columns : sequence of str
        The columns to consider (e.g. the event attributes, not the case id).

    Returns
    -------
    polars.DataFrame
        A copy with the converted columns.
    dict of str to str
        Converted column to its notation: ``"integer"``, ``"decimal_comma"`` or
        ``"decimal_point"``.

    Raises
    ------
    ParameterError
        If a name in ``columns`` is not a column of ``df``.

    Examples
    --------
    >>> df = pl.DataFrame({"Betrag": ["1.234,50", "-0,5"], "PLZ": ["01067", "10115"]})
    >>> out, found = coerce_numeric_columns(df, ["Betrag", "PLZ"])
    >>> out["Betrag"].to_list(), out["PLZ"].to_list(), found
    ([1234.5, -0.5], ['01067', '10115'], {'Betrag': 'decimal_comma'})
    """
    unknown = [c for c in columns if c not in df.columns]
    if unknown:
        raise ParameterError(
            f"Columns {unknown!r} are not in the table; expected names among "
            f"{sorted(df.columns)!r}."
        )
    targets = [c for c in dict.fromkeys(columns) if df.schema[c] == pl.String]
    if not targets:
        return df, {}
    stats = df.select(pl.struct(**_flags(c)).alias(c) for c in targets).row(0, named=True)
    found: dict[str, str] = {}
    ambiguous: list[str] = []
    for column in targets:
        notation = _notation(stats[column])
        if notation == "ambiguous":
            ambiguous.append(column)
        elif notation is not None:
            found[column] = notation
    if ambiguous and "decimal_comma" in found.values():
        found.update(dict.fromkeys(ambiguous, "decimal_comma"))
    converted = {c: _convert(c, notation) for c, notation in found.items()}
    out = df.with_columns(**converted)
    for column in list(found):
        if out[column].is_not_null().sum() != stats[column]["n"]:
            # a value did not fit into Int64 (or Float64): keep the text
            out = out.with_columns(df[column])
            del found[column]
    return out, {c: found[c] for c in targets if c in found}


def _flags(column: str) -> dict[str, pl.Expr]:
    """Counts that decide a column's notation, computed in one pass."""
    v = pl.col(column).str.strip_chars()
    v = pl.when(v == "").then(None).otherwise(v)
    de_dec, de_th = v.str.contains(_DE_DECIMAL), v.str.contains(_DE_THOUSANDS)
    en_dec, en_th = v.str.contains(_EN_DECIMAL), v.str.contains(_EN_THOUSANDS)
    integer = v.str.contains(_INTEGER)
    german = integer | de_dec | de_th
    english = integer | en_dec | en_th
    return {
        "n": v.is_not_null().sum(),
        "integer": integer.sum(),
        "leading_zero": v.str.contains(_LEADING_ZERO).sum(),
        "german": german.sum(),
        "english": english.sum(),
    }


def _notation(s: dict[str, int]) -> str | None:
    n = s["n"]
    if n == 0 or s["leading_zero"] > 0:
        return None
    if s["integer"] == n:
        return "integer"
    german, english = s["german"] == n, s["english"] == n
    if german and english:
        return "ambiguous"
    if german:
        return "decimal_comma"
    if english:
        return "decimal_point"
    return None


def _convert(column: str, notation: str) -> pl.Expr:
    v = pl.col(column).str.strip_chars()
    v = pl.when(v == "").then(None).otherwise(v)
    if notation == "integer":
        return v.cast(pl.Int64, strict=False)
    if notation == "decimal_comma":
        v = v.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    else:
        v = v.str.replace_all(",", "", literal=True)
    return v.cast(pl.Float64, strict=False)
