"""The one-way architecture (issue #17, docs/architecture.md): the import contracts hold,
they fail on a cycle, and ``analyze`` prepares the event frame exactly once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.core import engine

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = REPO / "pyproject.toml"

needs_linter = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="import-linter is not installed (pip install -e '.[dev]')"
)


def _lint(src: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` with the project's contracts on the package below ``src``."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(CONFIG), "--no-cache"],
        cwd=src.parent,
        env={"PYTHONPATH": str(src), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def package_copy(tmp_path):
    """A copy of ``src/`` (the contracts are checked on it, not on the installed package)."""
    target = tmp_path / "src"
    shutil.copytree(REPO / "src", target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@needs_linter
def test_the_contracts_hold_on_the_package(package_copy):
    result = _lint(package_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@needs_linter
def test_a_cycle_breaks_the_contract(package_copy):
    # engine (core) reaching up into the analysis: an upward import and a cycle
    engine_py = package_copy / "rpa_candidates" / "core" / "engine.py"
    engine_py.write_text(
        engine_py.read_text() + "\n\ndef _up():\n    from ..analysis import analyze\n\n"
        "    return analyze\n"
    )
    result = _lint(package_copy)
    assert result.returncode != 0
    assert "No import cycles between modules, at any depth BROKEN" in result.stdout
    assert "Stages import only the stages below them" in result.stdout
    assert "rpa_candidates.core.engine -> rpa_candidates.analysis" in result.stdout


@needs_linter
def test_a_report_importing_a_stage_breaks_the_contract(package_copy):
    charts = package_copy / "rpa_candidates" / "report" / "charts.py"
    charts.write_text(charts.read_text() + "\n\nfrom ..features import CATALOG  # noqa: E402\n")
    result = _lint(package_copy)
    assert result.returncode != 0
    assert "The report renders result data only" in result.stdout
    assert "BROKEN" in result.stdout


def test_analyze_prepares_the_event_frame_exactly_once(monkeypatch):
    log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=150, seed=3).events)
    calls = []
    original = engine.prepare_events

    def counting(frame):
        calls.append(frame)
        return original(frame)

    monkeypatch.setattr(engine, "prepare_events", counting)
    result = rc.analyze(log)
    assert len(calls) == 1
    assert calls[0] is log.frame
    # a second analysis of the same log prepares again, once (nothing is kept on the log)
    rc.analyze(log)
    assert len(calls) == 2
    assert len(result.candidates) == log.n_activities


def test_stages_take_the_prepared_log_or_the_log_alike():
    from rpa_candidates.core.prepared import prepare
    from rpa_candidates.relief import estimate_relief, relief_cases

    log = rc.read_log(rc.synth.simulate("bewohnerparken", n_cases=120, seed=5).events)
    prepared = prepare(log)
    features = rc.activity_features(prepared)
    pd.testing.assert_frame_equal(features, rc.activity_features(log), rtol=1e-12)
    assert rc.discover(prepared).dfg.equals(rc.discover(log).dfg)
    cases = relief_cases(prepared, features)
    a = estimate_relief(cases, features)
    b = estimate_relief(log, features)
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)
    with pytest.raises(rc.ParameterError, match="relief_cases"):
        estimate_relief(cases, features, end_activities=["x"])
    with pytest.raises(rc.ParameterError, match="other activities"):
        estimate_relief(cases, features.iloc[1:])


def test_no_module_over_450_lines():
    sizes = {
        str(p.relative_to(REPO)): len(p.read_text(encoding="utf-8").splitlines())
        for p in (REPO / "src" / "rpa_candidates").rglob("*.py")
    }
    assert {k: v for k, v in sizes.items() if v > 450} == {}
