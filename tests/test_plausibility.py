"""Capacity checks: every real log passes or flags exactly the failing figures.

Ground truth: hand-built logs whose bounds are computed by hand, the simulator's wohngeld
log with an impossible standard time, and T_BPIC15_2 with the handling times it got before
timestamp resolution was checked (44,832 h/year, 28 FTE from 11 people).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.relief.plausibility import CHECKS, REASONS
from rpa_candidates.report.i18n import texts
from rpa_candidates.report.plausibility import RESOLUTION_CODES, STATUSES

#: The real logs of ../shared/sample-data (as tests/conftest.py finds them).
SAMPLE_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "sample-data"
REAL_LOGS = sorted(p.name for p in SAMPLE_DATA.glob("*.*z") if p.name != "SOURCES.md")


def _analyze(log, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.analyze(log, **kwargs)


def _checks(result) -> pd.DataFrame:
    return result.plausibility.checks.set_index("check")


def _capacity_hours(result) -> tuple[float, float]:
    """Hours of the reliable steps attributed to people, and the bound, recomputed."""
    c = result.candidates
    open_ = c[~c["already_automated"] & c["reliable"]]
    hours = (open_["events_per_year"] * (1 - open_["automation_rate"].fillna(0))).fillna(0)
    years = result.quality.span_days / 365.25
    per_year = float((hours * open_["handling_minutes"].fillna(0) / 60).sum())
    return per_year, float(_checks(result).loc["capacity_total", "bound"]) / years


def test_texts_exist_for_every_check_status_and_resolution():
    for lang in ("de", "en"):
        keys = set(texts(lang))
        for check in CHECKS:
            assert f"plausibility.check_{check}" in keys
            assert f"plausibility.numbers_{check}" in keys
        assert {f"plausibility.status_{s}" for s in STATUSES} <= keys
        assert {f"plausibility.resolution_{r}" for r in RESOLUTION_CODES} <= keys
    assert set(REASONS) == set(CHECKS)


@pytest.mark.parametrize("name", REAL_LOGS)
def test_real_log_passes_or_flags_exactly_the_failing_figures(sample_data, name):
    result = _analyze(rc.read_log(sample_data / name))
    checks = _checks(result)
    assert list(checks.index) == list(CHECKS)
    assert set(checks["status"]) <= set(STATUSES)
    flagged = {a for names in checks["activities"] for a in names}
    assert flagged == set(result.plausibility.flagged)
    assert set(result.excluded["activity"]) == flagged
    assert flagged == set(result.candidates.loc[~result.candidates["reliable"], "activity"])
    for check, row in checks.iterrows():
        assert (row["status"] == "failed") == bool(row["activities"]), check
    # measured: every real log passes (T_BPIC15_2 only because it has no hours left)
    assert not flagged, checks
    # the totals are the reliable open steps, and they fit into the people's time
    c = result.candidates
    reliable = c[~c["already_automated"] & c["reliable"]]
    totals = result.totals()
    assert totals["relief_hours_per_year"] == pytest.approx(
        reliable["relief_hours_per_year"].sum(min_count=1), nan_ok=True
    )
    hours, bound = _capacity_hours(result)
    if checks.loc["capacity_total", "status"] != "not_checkable":
        assert hours <= bound
    fte = float(reliable["relief_fte"].sum())
    if checks.loc["relief_fte", "status"] == "passed":
        assert fte <= checks.loc["relief_fte", "bound"]


def test_t_bpic15_2_former_figures_fail_and_are_excluded(sample_data):
    """The lifecycle means it got from its date stamps (minutes, measured before #14)."""
    former = {"01_HOOFD_8": 8849.28, "01_HOOFD_0": 4907.04, "08_AWB45_0": 5404.26}
    log = rc.read_log(sample_data / "T_BPIC15_2.xes.gz")
    with pytest.warns(rc.DataQualityWarning, match="Plausibility checks failed"):
        result = rc.analyze(log, handling_times=former)
    checks = _checks(result)
    assert checks.loc["capacity_total", "status"] == "failed"
    assert checks.loc["capacity_resource", "status"] == "failed"
    assert checks.loc["capacity_resource", "of"] == 11
    assert checks.loc["relief_fte", "status"] == "failed"
    assert checks.loc["relief_fte", "value"] > 11
    assert set(result.excluded["activity"]) == set(former)
    assert np.isnan(result.totals()["relief_hours_per_year"])  # nothing reliable is left
    text = result.to_markdown(lang="de")
    assert "nicht belastbar" in text
    assert "Plausibilitätsprüfung" in text


@pytest.fixture(scope="module")
def wohngeld():
    return rc.read_log(rc.synth.simulate("wohngeld", n_cases=300, seed=5).events)


def test_impossible_standard_time_is_flagged_alone_and_left_out(wohngeld, tmp_path):
    honest = _analyze(wohngeld)
    assert honest.plausibility.passed
    assert honest.excluded.empty
    # the first step of the first routine gets an impossible standard time
    name = honest.routines.iloc[0]["steps"].split(" → ")[0]
    with pytest.warns(rc.DataQualityWarning, match=name):
        result = rc.analyze(wohngeld, handling_times={name: 100_000.0})
    checks = _checks(result)
    assert checks.loc["capacity_total", "status"] == "failed"
    assert checks.loc["capacity_total", "activities"] == [name]
    assert checks.loc["capacity_resource", "activities"] == [name]
    assert checks.loc["step_relief", "status"] == "passed"
    assert list(result.excluded["activity"]) == [name]
    before, after = honest.totals(), result.totals()
    step = honest.candidates.set_index("activity").loc[name]
    expected = before["relief_hours_per_year"] - step["relief_hours_per_year"]
    assert after["relief_hours_per_year"] == pytest.approx(expected, rel=1e-9)
    routines = result.routines
    with_step = routines[routines["steps"].str.contains(name)]
    assert len(with_step) == 1
    honest_routines = honest.routines.set_index("steps")
    for _, row in with_step.iterrows():  # the step's hours are not in its routine either
        other = honest_routines.loc[row["steps"], "relief_hours_per_year"]
        assert row["relief_hours_per_year"] == pytest.approx(
            other - step["relief_hours_per_year"], rel=1e-9
        )
    # the same in every format
    html = result.to_html(tmp_path / "r.html", lang="en")
    assert 'id="plausibility"' in html
    assert "not reliable" in html
    assert name in html.split('id="plausibility"')[1]
    md = result.to_markdown(lang="de")
    assert "## Plausibilitätsprüfung" in md
    assert "nicht bestanden" in md
    assert f"{name} **(nicht belastbar, nicht in der Summe)**" in md  # candidate table
    payload = json.loads(result.to_json())
    assert {"candidates", "log", "assumptions", "quality", "totals"} <= set(payload)
    assert payload["plausibility"]["excluded"] == [name]
    assert payload["totals"]["relief_hours_per_year"] == pytest.approx(expected, rel=1e-6)
    import openpyxl

    wb = openpyxl.load_workbook(result.to_excel(tmp_path / "r.xlsx", lang="en"))
    cells = [str(v) for row in wb["Plausibility"].iter_rows(values_only=True) for v in row]
    assert "failed" in cells
    assert any("not reliable" in v for v in cells)


def _tiny() -> rc.EventLog:
    """Three one-person cases: X at 10:00, Y at 10:30 (no starts)."""
    rows = []
    for day in ("2024-03-04", "2024-03-05", "2024-03-06"):
        case = f"c{day[-1]}"
        rows += [
            (case, "X", f"{day} 10:00:00", "p1"),
            (case, "Y", f"{day} 10:30:00", "p1"),
        ]
    frame = pd.DataFrame(rows, columns=["case", "activity", "time", "who"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.read_log(
            frame, case="case", activity="activity", timestamp="time", resource="who"
        )


def test_case_time_bound_by_hand():
    """Bound per case: min(30 min, 10 h) x 1 person + X's 5 min (before the first stamp)."""
    ok = _analyze(_tiny(), handling_times={"X": 5.0, "Y": 35.0})
    assert _checks(ok).loc["case_time", "status"] == "passed"
    bad = _analyze(_tiny(), handling_times={"X": 5.0, "Y": 35.5})
    row = _checks(bad).loc["case_time"]
    assert row["status"] == "failed"
    assert row["activities"] == ["Y"]
    assert (row["count"], row["of"]) == (3, 3)
    assert list(bad.excluded["activity"]) == ["Y"]


def test_plausibility_defaults_carry_provenance():
    import tomllib
    from importlib import resources

    path = resources.files("rpa_candidates") / "data" / "plausibility.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(table) == {"case_tolerance", "relative_tolerance", "max_hours_per_person_year"}
    for name, entry in table.items():
        assert {"value", "unit", "source", "year"} <= set(entry), name


def test_demo_sample_top_candidates_keep_their_relief():
    """sample_logs/wohngeld_export.csv, measured before #14 (h/year, rounded to 0.1)."""
    before = {
        "Einkommen berechnen": 94.2,
        "Antrag erfassen": 62.9,
        "Bewilligungsbescheid erstellen": 34.0,
        "Vollständigkeit prüfen": 41.8,
        "Wohngeld berechnen": 25.4,
    }
    log = rc.read_log(Path(__file__).resolve().parents[1] / "sample_logs" / "wohngeld_export.csv")
    result = _analyze(log)
    assert result.plausibility.passed
    c = result.candidates.set_index("activity")
    assert list(result.candidates["activity"].head(5)) == list(before)
    for activity, hours in before.items():
        assert c.loc[activity, "relief_hours_per_year"] == pytest.approx(hours, rel=0.05)
        assert c.loc[activity, "handling_source"] == "lifecycle"
    assert result.totals()["relief_hours_per_year"] == pytest.approx(372.2, abs=0.1)
