"""Progress bars: on/off by rc.set_progress, RPA_CANDIDATES_PROGRESS, CI and terminals."""

from __future__ import annotations

import io
import time

import pytest

import rpa_candidates as rc
from rpa_candidates import progress


@pytest.fixture(autouse=True)
def _automatic(monkeypatch):
    monkeypatch.delenv(progress.ENV_VAR, raising=False)
    monkeypatch.delenv("CI", raising=False)
    rc.set_progress(None)
    yield
    rc.set_progress(None)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_set_progress_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, "1")
    rc.set_progress(False)
    assert not progress.progress_enabled()
    monkeypatch.setenv(progress.ENV_VAR, "0")
    rc.set_progress(True)
    assert progress.progress_enabled()


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("off", False), ("1", True)])
def test_environment_variable(monkeypatch, value, expected):
    monkeypatch.setenv(progress.ENV_VAR, value)
    assert progress.progress_enabled() is expected


def test_bad_environment_value_says_what_to_set(monkeypatch):
    monkeypatch.setenv(progress.ENV_VAR, "vielleicht")
    with pytest.raises(rc.ParameterError, match="RPA_CANDIDATES_PROGRESS"):
        progress.progress_enabled()


def test_set_progress_rejects_non_bool():
    with pytest.raises(rc.ParameterError, match="True, False or None"):
        rc.set_progress("no")


def test_automatic_terminal_on_pipe_off_ci_off(monkeypatch):
    monkeypatch.setattr("sys.stderr", _Terminal())
    assert progress.progress_enabled()
    monkeypatch.setenv("CI", "true")
    assert not progress.progress_enabled()
    monkeypatch.delenv("CI")
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert not progress.progress_enabled()


def test_bar_appears_only_for_slow_work(monkeypatch):
    stream = _Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    rc.set_progress(True)
    with progress.phases(["a", "b"], desc="quick", delay=5) as step:
        step("a")
        step("b")
    assert stream.getvalue() == ""
    with progress.phases(["eins", "zwei"], desc="langsam", delay=0.05) as step:
        step("eins")
        time.sleep(0.3)
        step("zwei")
    shown = stream.getvalue()
    assert "langsam" in shown
    assert "eins" in shown
    assert "1/2" in shown


def test_disabled_bar_prints_nothing(monkeypatch):
    stream = _Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    rc.set_progress(False)
    with progress.phases(["a"], desc="x", delay=0) as step:
        step("a")
        time.sleep(0.1)
    assert stream.getvalue() == ""


def test_unknown_phase_is_an_error():
    rc.set_progress(True)
    with (
        pytest.raises(rc.ParameterError, match="Unknown phase"),
        progress.phases(["a"], desc="x", delay=60) as step,
    ):
        step("b")
