"""Numeric attributes in German and English notation (rpa_candidates.io.numbers)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rpa_candidates as rc
from rpa_candidates.io.numbers import coerce_numeric_columns


def coerce(**columns):
    df = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    return coerce_numeric_columns(df, list(columns))


def test_german_decimal_comma():
    out, found = coerce(Betrag=["1234,56", "1.234,56", "-0,5", None, "  12 ", "1.000.000,25"])
    assert found == {"Betrag": "decimal_comma"}
    assert out["Betrag"].dtype == pl.Float64
    assert out["Betrag"].to_list() == [1234.56, 1234.56, -0.5, None, 12.0, 1000000.25]


def test_english_decimal_point():
    out, found = coerce(amount=["1234.56", "1,234.56", "-0.5", "+3", "1,000,000.25"])
    assert found == {"amount": "decimal_point"}
    assert out["amount"].to_list() == [1234.56, 1234.56, -0.5, 3.0, 1000000.25]


def test_integers():
    out, found = coerce(Anzahl=["1", "-20", "300", None, ""])
    assert found == {"Anzahl": "integer"}
    assert out["Anzahl"].dtype == pl.Int64
    assert out["Anzahl"].to_list() == [1, -20, 300, None, None]


def test_leading_zeros_stay_text():
    out, found = coerce(PLZ=["01067", "10115"], Akte=["007", "12"], Null=["0", "10"])
    assert found == {"Null": "integer"}
    assert out["PLZ"].to_list() == ["01067", "10115"]
    assert out["Akte"].to_list() == ["007", "12"]


def test_mixed_garbage_stays_text():
    out, found = coerce(
        a=["1,5", "n/a"],
        b=["1,5", "2.5"],  # German and English in one column
        c=["12", "12 Stück"],
        d=["1e5", "2"],
        e=[None, None],
    )
    assert found == {}
    assert all(dtype == pl.String for dtype in out.schema.values())
    assert out["b"].to_list() == ["1,5", "2.5"]


def test_ambiguous_column_stays_text_alone():
    out, found = coerce(x=["1.234", "2.500"])
    assert found == {}
    assert out["x"].to_list() == ["1.234", "2.500"]


def test_ambiguous_column_follows_a_decimal_comma_elsewhere():
    out, found = coerce(Betrag=["12,50", "3,99"], Menge=["1.234", "2.500"], Bem=["1,250", "7"])
    assert found == {"Betrag": "decimal_comma", "Menge": "decimal_comma", "Bem": "decimal_comma"}
    assert out["Menge"].to_list() == [1234.0, 2500.0]
    assert out["Bem"].to_list() == [1.25, 7.0]


def test_ambiguous_column_not_decided_by_decimal_point():
    out, found = coerce(amount=["12.50", "3.99"], qty=["1.234", "2.500"])
    assert found == {"amount": "decimal_point"}
    assert out["qty"].dtype == pl.String


def test_only_listed_string_columns_and_input_untouched():
    df = pl.DataFrame({"a": ["1", "2"], "b": ["3", "4"], "n": [1.5, 2.5]})
    out, found = coerce_numeric_columns(df, ["a", "n"])
    assert found == {"a": "integer"}
    assert out["b"].dtype == pl.String
    assert out["n"].to_list() == [1.5, 2.5]
    assert df["a"].dtype == pl.String


def test_too_large_integers_stay_text():
    out, found = coerce(id=["123456789012345678901234", "5"])
    assert found == {}
    assert out["id"].to_list() == ["123456789012345678901234", "5"]


def test_unknown_column_raises():
    with pytest.raises(rc.ParameterError, match="not in the table"):
        coerce_numeric_columns(pl.DataFrame({"a": ["1"]}), ["b"])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=20),
    st.integers(0, 99),
    st.booleans(),
)
def test_german_and_english_round_trip(cents_list, extra, german):
    values = [c * 100 + extra for c in cents_list]
    expected = [v / 100 for v in values]

    def fmt(v: int) -> str:
        text = f"{abs(v) / 100:,.2f}"  # English with thousands separators
        if german:
            text = text.replace(",", "_").replace(".", ",").replace("_", ".")
        return ("-" if v < 0 else "") + text

    out, found = coerce(x=[fmt(v) for v in values])
    assert found == {"x": "decimal_comma" if german else "decimal_point"}
    assert out["x"].to_list() == pytest.approx(expected, rel=1e-15)
