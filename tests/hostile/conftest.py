"""Hostile inputs for rc.read_log and the report writers (see docs/security.md)."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # generate.py, imported by the test modules

HEADER = "case;activity;timestamp;resource\n"


@pytest.fixture
def write(tmp_path):
    """Write ``data`` (bytes, or text as UTF-8) to ``tmp_path / name`` and return the path."""

    def _write(name: str, data: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return _write


@pytest.fixture(autouse=True)
def _quiet_quality_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
