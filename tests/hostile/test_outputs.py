"""Markup, formulas and staff names from the input, through rc.analyze and every writer."""

from __future__ import annotations

import json

import openpyxl
import pytest

import rpa_candidates as rc
from rpa_candidates.report.charts import svg_markup

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULAS = ['=HYPERLINK("http://203.0.113.1")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"]


@pytest.fixture(scope="module")
def sim():
    return rc.synth.simulate("wohngeld", n_cases=120, seed=7, resource_names="realistic")


@pytest.fixture(scope="module")
def log(sim):
    names = sorted(sim.events["activity"].unique())
    hostile = dict(zip(names, [SCRIPT, *FORMULAS], strict=False))
    return rc.read_log(sim.events.assign(activity=sim.events["activity"].replace(hostile)))


@pytest.fixture(scope="module")
def result(log):
    return rc.analyze(log)


@pytest.fixture(scope="module")
def outputs(log, result, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    xlsx = result.to_excel(folder / "r.xlsx")
    book = openpyxl.load_workbook(xlsx)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    return {
        "html": result.to_html(),
        "md": result.to_markdown(),
        "json": result.to_json(),
        "repr": repr(result) + result._repr_html_() + repr(log) + log._repr_html_(),
        "svg": " ".join(str(svg_markup(f, n)) for n, f in result.figures.items()),
        "cells": cells,
        "xlsx_text": " ".join(str(c.value) for c in cells),
    }


def test_hostile_activities_reach_the_ranking(result):
    assert {SCRIPT, *FORMULAS} <= set(result.features["activity"])


def test_html_escapes_markup(outputs):
    assert "<script>alert" not in outputs["html"]
    assert "onerror=alert(1)>" not in outputs["html"]
    assert "&lt;script&gt;alert" in outputs["html"]


def test_excel_has_no_live_formula(outputs):
    for cell in outputs["cells"]:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "@")), cell.value


def test_json_keeps_the_text_verbatim(outputs):
    activities = {row["activity"] for row in json.loads(outputs["json"])["candidates"]}
    assert SCRIPT in activities


def test_no_staff_name_in_any_output(sim, outputs):
    names = set(sim.events["resource"].dropna().astype(str))
    assert len(names) >= 3
    assert any(" " in n for n in names)
    for fmt in ("html", "md", "json", "repr", "svg", "xlsx_text"):
        for name in names:
            assert name not in outputs[fmt], (fmt, name)


def test_names_appear_when_pseudonymisation_is_off(sim):
    log = rc.read_log(sim.events, pseudonymize=False)
    assert set(sim.events["resource"].dropna()) <= set(log.df["org:resource"])


def test_same_input_gives_byte_identical_json(sim):
    first = rc.analyze(rc.read_log(sim.events)).to_json()
    second = rc.analyze(rc.read_log(sim.events)).to_json()
    assert first.encode() == second.encode()
