"""Break-even volume and the bot shared by several towns: formulas and all four reports."""

from __future__ import annotations

import dataclasses
import json
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.relief.breakeven import break_even, shared_bot_towns

REPO = Path(__file__).resolve().parents[1]


def _one(eur: float, events: float = 400.0, **assumptions) -> pd.Series:
    c = pd.DataFrame(
        {
            "activity": ["A"],
            "already_automated": [False],
            "events_per_year": [events],
            "relief_eur_per_year": [eur],
        }
    )
    r = pd.DataFrame(columns=["routine", "steps", "events_per_year", "relief_eur_per_year"])
    return break_even(c, r, rc.Assumptions(**assumptions)).iloc[0]


def _payback(eur: float, k: int, a: rc.Assumptions) -> float:
    build = a.bot_build_cost_eur + (k - 1) * a.shared_bot_onboarding_eur
    net = k * eur - a.bot_run_cost_eur_per_year - (k - 1) * a.shared_bot_overhead_eur_per_year
    return build / (net / 12) if net > 0 else math.inf


def test_at_the_break_even_volume_the_bot_pays_back_in_exactly_the_horizon() -> None:
    a = rc.Assumptions()
    row = _one(4000.0)
    assert row["relief_eur_per_execution"] == pytest.approx(10.0)
    # N* = (5000 + 12 * 15000 / 24) / 10 = 1250 executions per year
    assert row["break_even_executions_per_year"] == pytest.approx(1250.0)
    assert row["volume_factor"] == pytest.approx(1250 / 400)
    assert _payback(row["break_even_executions_per_year"] * 10.0, 1, a) == pytest.approx(24.0)
    assert math.isnan(row["payback_months"])  # 4000 € < 5000 € running cost


@pytest.mark.parametrize("eur", [800.0, 2600.0, 4000.0, 5200.0, 9000.0, 30000.0])
def test_towns_needed_is_the_smallest_k_that_pays_within_the_horizon(eur) -> None:
    a = rc.Assumptions()
    row = _one(eur)
    brute = next((k for k in range(1, 500) if _payback(eur, k, a) <= 24), None)
    if brute is None:
        assert math.isnan(row["towns_needed"])
    else:
        assert row["towns_needed"] == brute
        assert row["payback_months_towns_needed"] == pytest.approx(_payback(eur, brute, a))
    for k in shared_bot_towns():
        expected = _payback(eur, k, a)
        got = row[f"payback_months_towns_{k}"]
        assert (math.isnan(got) and expected == math.inf) or got == pytest.approx(expected)


def test_no_town_count_helps_when_each_town_costs_more_than_it_brings() -> None:
    # E = 1,000 €: a further town brings 1,000 € but costs 1,000 € + 12 · 3,000 / 24 a year
    row = _one(1000.0)
    assert math.isnan(row["towns_needed"])
    cheap = _one(1000.0, shared_bot_overhead_eur_per_year=0, shared_bot_onboarding_eur=0)
    assert cheap["towns_needed"] == math.ceil((5000 + 7500) / 1000)


def test_assumptions_are_checked_and_sourced() -> None:
    with pytest.raises(rc.ParameterError, match="payback_horizon_months"):
        rc.Assumptions(payback_horizon_months=0)
    with pytest.raises(rc.ParameterError, match="shared_bot_overhead"):
        rc.Assumptions(shared_bot_overhead_eur_per_year=-1)
    table = rc.Assumptions.sources().set_index("field")
    for name in ("payback_horizon_months", "shared_bot_overhead_eur_per_year",
                 "shared_bot_onboarding_eur"):  # fmt: skip
        assert table.loc[name, "source"]
    assert shared_bot_towns() == [1, 2, 3, 6]


@pytest.fixture(scope="module")
def demo() -> rc.Analysis:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.analyze(rc.read_log(REPO / "sample_logs" / "wohngeld_export.csv"))


def test_demo_answers_the_committee(demo) -> None:
    table = break_even(demo.candidates, demo.routines, demo.assumptions)
    assert len(table) == len(demo.candidates) + len(demo.routines)
    open_ = table[(table["kind"] == "activity") & table["relief_eur_per_year"].gt(0)]
    # nothing pays alone today, and the break-even lies above today's volume
    assert open_["payback_months"].isna().all()
    assert (open_["break_even_executions_per_year"] > open_["events_per_year"]).all()
    routines = table[table["kind"] == "routine"]
    assert len(routines) == len(demo.routines) >= 1
    best = routines.sort_values("relief_eur_per_year").iloc[-1]
    assert best["towns_needed"] >= 1
    assert best["payback_months_towns_needed"] <= demo.assumptions.payback_horizon_months
    # a bigger horizon lowers the break-even volume
    longer = dataclasses.replace(demo.assumptions, payback_horizon_months=60)
    later = break_even(demo.candidates, demo.routines, longer)
    assert (
        (later["break_even_executions_per_year"] < table["break_even_executions_per_year"])
        .loc[open_.index]
        .all()
    )


@pytest.mark.parametrize("lang", ["de", "en"])
def test_all_four_formats_show_break_even_and_shared_bot(demo, lang, tmp_path) -> None:
    import openpyxl

    table = break_even(demo.candidates, demo.routines, demo.assumptions)
    first = table[(table["kind"] == "activity") & table["relief_eur_per_year"].gt(0)].iloc[0]
    f = rc.report.Formatter(lang)
    be = f.num(first["break_even_executions_per_year"])
    title = "Wann lohnt sich ein Roboter?" if lang == "de" else "When does a bot pay?"
    html = demo.to_html(tmp_path / "r.html", lang=lang)
    md = demo.to_markdown(lang=lang)
    for text in (html, md):
        assert title in text
        assert be in text
        assert ("interkommunale" if lang == "de" else "inter-municipal") in text
    demo.to_excel(tmp_path / "r.xlsx", lang=lang)
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    ws = wb["Entscheidung" if lang == "de" else "Decision"]
    assert ws.cell(2, 1).value == first["name"]
    assert ws.cell(2, 3).value == pytest.approx(first["break_even_executions_per_year"])
    data = json.loads(demo.to_json())
    assert {"candidates", "routines", "totals", "assumptions"} <= set(data)  # kept
    row = data["break_even"][int(first.name)]
    assert row["name"] == first["name"]
    assert row["break_even_executions_per_year"] == pytest.approx(
        first["break_even_executions_per_year"], rel=1e-6
    )
    assert data["shared_bot"]["towns"] == [1, 2, 3, 6]
