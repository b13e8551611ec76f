"""Shared fixtures: the real logs in ../shared/sample-data and quiet pm4py."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "false")
# the lemma dictionaries' disk cache (features/_lemma_cache.py) of a test run is its own
os.environ.setdefault("RPA_CANDIDATES_CACHE", tempfile.mkdtemp(prefix="rpa-candidates-cache-"))

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO.parent / "shared" / "sample-data"
SAMPLE_LOGS = REPO / "sample_logs"


@pytest.fixture(scope="session")
def sample_data() -> Path:
    """The folder of real public logs (provenance in its SOURCES.md)."""
    if not SAMPLE_DATA.is_dir():
        pytest.skip(f"real sample logs not found at {SAMPLE_DATA}")
    return SAMPLE_DATA
