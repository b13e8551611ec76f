"""The console script: demo, analyze with every report option, exit codes, de and en."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import rpa_candidates as rc
from rpa_candidates.cli import main

FORMATS = {"html": ".html", "xlsx": ".xlsx", "md": ".md", "json": ".json"}


@pytest.fixture(scope="module")
def small_log(tmp_path_factory) -> Path:
    """A small generated Wohngeld export as CSV (fast to analyse)."""
    path = tmp_path_factory.mktemp("cli") / "wohngeld_klein.csv"
    rc.synth.simulate("wohngeld", n_cases=120, seed=3).write_csv(path)
    return path


def _check_report(kind: str, path: Path, lang: str = "de") -> None:
    assert path.is_file(), path
    assert path.stat().st_size > 0
    if kind == "html":
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().lower().startswith("<!doctype html")
        assert ("RPA-Kandidaten" if lang == "de" else "RPA candidates") in text
    elif kind == "xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True)
        assert workbook.sheetnames
        workbook.close()
    elif kind == "md":
        assert path.read_text(encoding="utf-8").startswith("# ")
    else:
        payload = json.loads(path.read_text(encoding="utf-8"))
        assert {"candidates", "log", "assumptions", "quality"} <= set(payload)
        assert payload["candidates"]


def test_demo_writes_all_four_formats(tmp_path, capsys):
    out = tmp_path / "demo" / "nested"
    assert main(["demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for kind, suffix in FORMATS.items():
        _check_report(kind, out / f"bericht{suffix}")
    assert "wohngeld_export.csv" in printed
    assert "Zeilen:" in printed
    assert "gelesen" in printed
    assert "RPA-Kandidaten (Top 10)" in printed
    assert "Entlastung gesamt:" in printed
    assert f"Demo-Berichte in {out.resolve()}" in printed
    assert str((out / "bericht.html").resolve()) in printed


def test_demo_default_folder_and_english(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    folder = tmp_path / "rpa_candidates_demo"
    for kind, suffix in FORMATS.items():
        _check_report(kind, folder / f"report{suffix}", lang="en")
    assert "RPA candidates (top 10)" in printed
    assert "rows:" in printed
    assert "total relief:" in printed
    assert "Demo reports in" in printed


@pytest.mark.parametrize("kind", list(FORMATS))
def test_analyze_writes_the_file_asked_for(small_log, tmp_path, capsys, kind):
    target = tmp_path / f"bericht{FORMATS[kind]}"
    assert main(["analyze", str(small_log), f"--{kind}", str(target)]) == 0
    _check_report(kind, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # nothing else
    printed = capsys.readouterr().out
    assert "RPA-Kandidaten (Top 10)" in printed
    assert f"Geschrieben:\n  {target}" in printed


def test_analyze_all_outputs_in_english(small_log, tmp_path, capsys):
    args = ["analyze", str(small_log), "--lang", "en"]
    for kind, suffix in FORMATS.items():
        args += [f"--{kind}", str(tmp_path / f"report{suffix}")]
    assert main(args) == 0
    for kind, suffix in FORMATS.items():
        _check_report(kind, tmp_path / f"report{suffix}", lang="en")
    assert "Einkommen berechnen" in (tmp_path / "report.md").read_text(encoding="utf-8")
    printed = capsys.readouterr().out
    assert "RPA candidates (top 10)" in printed
    assert "Written:" in printed
    assert "RPA-Kandidaten" not in printed


def test_analyze_german_numbers_and_labels(small_log, capsys):
    assert main(["analyze", str(small_log)]) == 0
    printed = capsys.readouterr().out
    assert "Rang  Tätigkeit" in printed
    assert "VZÄ" in printed
    assert "Geschrieben" not in printed  # no files asked for
    total = next(line for line in printed.splitlines() if line.startswith("Entlastung gesamt"))
    assert "," in total.split("VZÄ")[0]  # decimal comma in the FTE figure


def test_analyze_english_with_explicit_columns(tmp_path, capsys):
    path = tmp_path / "log.csv"
    path.write_text(
        "Fall,Schrittname,Wann\nA,Erfassen,2025-01-02 09:00\nA,Prüfen,2025-01-02 10:00\n",
        encoding="utf-8",
    )
    args = ["analyze", str(path), "--case", "Fall", "--activity", "Schrittname"]
    code = main([*args, "--timestamp", "Wann", "--lang", "en"])
    assert code == 0
    out = capsys.readouterr().out
    assert "rows: 2 read, 2 used, 0 rejected" in out


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rpa_candidates.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, "RPA_CANDIDATES_PROGRESS": "0"},
    )


def test_missing_file_exits_3_with_message_not_traceback(tmp_path):
    result = _run("analyze", str(tmp_path / "nope.csv"))
    assert result.returncode == 3
    assert "No file at" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "is a directory"),
        (b"\x00\x01\x02binary\xff", "binary"),
        (b"nur eine Spalte\nwert\n", "rpa-candidates:"),
    ],
    ids=["folder", "binary", "no-columns"],
)
def test_unreadable_input_exits_3(tmp_path, capsys, content, expected):
    path = tmp_path if content is None else tmp_path / "export.csv"
    if content is not None:
        path.write_bytes(content)
    assert main(["analyze", str(path)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("rpa-candidates: ")
    assert expected in err
    assert "Traceback" not in err


def test_unknown_column_names_the_columns_found(small_log, capsys):
    assert main(["analyze", str(small_log), "--activity", "Gibtsnicht"]) == 3
    err = capsys.readouterr().err
    assert "'Gibtsnicht'" in err
    assert "activity" in err


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["analyze"],
        ["analyze", "x.csv", "--lang", "fr"],
        ["analyze", "x.csv", "--pdf", "x.pdf"],
        ["frobnicate"],
    ],
    ids=["no-command", "no-log", "bad-lang", "unknown-option", "unknown-command"],
)
def test_wrong_usage_exits_2(args, capsys):
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    assert "usage: rpa-candidates" in capsys.readouterr().err


def test_output_folder_missing_exits_3_before_the_analysis(small_log, tmp_path, capsys):
    target = tmp_path / "gibt" / "es" / "nicht" / "bericht.html"
    assert main(["analyze", str(small_log), "--html", str(target)]) == 3
    captured = capsys.readouterr()
    assert "does not exist" in captured.err
    assert str(target) in captured.err
    assert captured.out == ""  # failed fast, before reading and analysing


def test_output_is_a_folder_exits_3(small_log, tmp_path, capsys):
    assert main(["analyze", str(small_log), "--json", str(tmp_path)]) == 3
    assert "it is a folder" in capsys.readouterr().err


def test_output_inside_a_file_exits_3(small_log, tmp_path, capsys):
    blocker = tmp_path / "datei.txt"
    blocker.write_text("x", encoding="utf-8")
    assert main(["analyze", str(small_log), "--md", str(blocker / "bericht.md")]) == 3
    assert "Cannot write" in capsys.readouterr().err


def test_write_failure_after_the_analysis_exits_3(small_log, tmp_path, capsys, monkeypatch):
    """A disk that fills up or a permission lost while writing: message, no traceback."""

    def refuse(self, path, lang=None):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(rc.Analysis, "to_excel", refuse)
    target = tmp_path / "bericht.xlsx"
    assert main(["analyze", str(small_log), "--xlsx", str(target)]) == 3
    err = capsys.readouterr().err
    assert f"Cannot write {str(target)!r}: Permission denied." in err
    assert "Traceback" not in err


def test_demo_out_is_a_file_exits_3(tmp_path, capsys):
    blocker = tmp_path / "datei"
    blocker.write_text("x", encoding="utf-8")
    assert main(["demo", "--out", str(blocker)]) == 3
    assert "Cannot create the folder" in capsys.readouterr().err


def test_console_script_help_lists_options():
    result = _run("analyze", "--help")
    assert result.returncode == 0
    for option in ("--html", "--xlsx", "--md", "--json", "--lang", "--case", "--activity"):
        assert option in result.stdout
