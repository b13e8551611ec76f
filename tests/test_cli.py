"""The console script: demo on the bundled sample log, analyze with clear exit codes."""

from __future__ import annotations

import subprocess
import sys

from rpa_candidates.cli import main


def test_demo_prints_summary_and_quality(capsys):
    assert main(["demo", "--lang", "de"]) == 0
    out = capsys.readouterr().out
    assert "wohngeld_export.csv" in out
    assert "Zeilen:" in out
    assert "gelesen" in out
    assert "Antrag erfassen" in out
    assert "RPA-Kandidaten (Top 10)" in out
    assert "Entlastung gesamt:" in out


def test_analyze_english_with_explicit_columns(tmp_path, capsys):
    path = tmp_path / "log.csv"
    path.write_text(
        "Fall,Schrittname,Wann\nA,Erfassen,2025-01-02 09:00\nA,Prüfen,2025-01-02 10:00\n",
        encoding="utf-8",
    )
    code = main(
        [
            "analyze",
            str(path),
            "--case",
            "Fall",
            "--activity",
            "Schrittname",
            "--timestamp",
            "Wann",
            "--lang",
            "en",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "rows: 2 read, 2 used, 0 rejected" in out


def test_bad_input_exits_3_with_message_not_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rpa_candidates.cli", "analyze", str(tmp_path / "nope.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 3
    assert "No file at" in result.stderr
    assert "Traceback" not in result.stderr
