"""CLI parity: --criteria, --assumptions, --standard-times, --pseudonym-key-env, compare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rpa_candidates.cli import main

REPO = Path(__file__).resolve().parents[1]
LOG = REPO / "sample_logs" / "wohngeld_export.csv"


def _json(tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "r.json"
    assert main(["analyze", str(LOG), "--json", str(out), *extra]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_standard_times_and_assumptions_files(tmp_path, capsys) -> None:
    times = tmp_path / "zeiten.csv"
    times.write_text("activity;minutes\nAntrag erfassen;30,5\n", encoding="utf-8")
    own = tmp_path / "annahmen.toml"
    own.write_text("bot_build_cost_eur = 1000\npayback_horizon_months = 12\n", encoding="utf-8")
    data = _json(tmp_path, "--standard-times", str(times), "--assumptions", str(own))
    row = next(r for r in data["candidates"] if r["activity"] == "Antrag erfassen")
    assert row["handling_source"] == "given"
    assert row["handling_minutes"] == pytest.approx(30.5)
    assert data["shared_bot"]["bot_build_cost_eur"] == 1000
    assert data["shared_bot"]["payback_horizon_months"] == 12
    toml_times = tmp_path / "zeiten.toml"
    toml_times.write_text('"Antrag erfassen" = 12\n', encoding="utf-8")
    data = _json(tmp_path, "--standard-times", str(toml_times))
    row = next(r for r in data["candidates"] if r["activity"] == "Antrag erfassen")
    assert row["handling_minutes"] == pytest.approx(12.0)


def test_bad_settings_say_what_to_do(tmp_path, capsys, monkeypatch) -> None:
    bad = tmp_path / "zeiten.csv"
    bad.write_text("Tätigkeit;Dauer\nAntrag erfassen;x\n", encoding="utf-8")
    assert main(["analyze", str(LOG), "--standard-times", str(bad)]) == 3
    assert "'activity' and 'minutes'" in capsys.readouterr().err
    assert main(["analyze", str(LOG), "--criteria", str(tmp_path / "fehlt.toml")]) == 3
    assert "is not a file" in capsys.readouterr().err
    monkeypatch.delenv("RC_TEST_KEY", raising=False)
    assert main(["analyze", str(LOG), "--pseudonym-key-env", "RC_TEST_KEY"]) == 3
    err = capsys.readouterr().err
    assert "RC_TEST_KEY" in err
    assert "never passed on the command line" in err


def test_pseudonym_key_from_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RC_TEST_KEY", "geheim-1")
    first = _json(tmp_path, "--pseudonym-key-env", "RC_TEST_KEY")
    monkeypatch.setenv("RC_TEST_KEY", "geheim-2")
    second = _json(tmp_path, "--pseudonym-key-env", "RC_TEST_KEY")
    assert "geheim" not in json.dumps(first)
    # the key changes the pseudonyms (and so the bootstrap's draw), not the estimates
    for a, b in zip(first["candidates"], second["candidates"], strict=True):
        assert a["activity"] == b["activity"]
        assert a["relief_hours_per_year"] == pytest.approx(b["relief_hours_per_year"])
    assert [a["relief_hours_low"] for a in first["candidates"]] != [
        b["relief_hours_low"] for b in second["candidates"]
    ]


def test_criteria_file(tmp_path) -> None:
    default = REPO / "src" / "rpa_candidates" / "scoring" / "criteria.toml"
    data = _json(tmp_path, "--criteria", str(default))
    assert len(data["candidates"]) == 13


def test_compare_command(tmp_path, capsys) -> None:
    import openpyxl

    html, md, xlsx, js = (tmp_path / f"v.{x}" for x in ("html", "md", "xlsx", "json"))
    code = main(
        ["compare", str(LOG), str(LOG), "--names", "Adorf", "Bestadt", "--html", str(html),
         "--md", str(md), "--xlsx", str(xlsx), "--json", str(js)]
    )  # fmt: skip
    assert code == 0
    assert "Adorf" in html.read_text(encoding="utf-8")
    assert "Bestadt" in md.read_text(encoding="utf-8")
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["towns"] == ["Adorf", "Bestadt"]
    assert {r["town"] for r in data["table"]} == {"Adorf", "Bestadt"}
    assert len(data["shared"]) >= 1
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Gemeinsamer Roboter", "Je Kommune", "Unterschiede"]
    shared = wb.worksheets[0]
    assert shared.cell(2, 1).value == data["shared"][0]["activity"]
    assert shared.cell(2, 3).value == pytest.approx(data["shared"][0]["shared_relief_hours"])
    assert main(["compare", str(LOG), "--names", "A", "B"]) == 3
    assert "one per log" in capsys.readouterr().err


def test_map_and_bpmn_files(tmp_path) -> None:
    svg, png, bpmn = tmp_path / "karte.svg", tmp_path / "karte.png", tmp_path / "modell.bpmn"
    assert main(["analyze", str(LOG), "--map", str(svg), "--bpmn", str(bpmn)]) == 0
    assert "<svg" in svg.read_text(encoding="utf-8")
    assert "Antrag erfassen" in bpmn.read_text(encoding="utf-8")
    assert main(["analyze", str(LOG), "--map", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")
