"""Every sample log gives the same JSON report as recorded (issue #17: behaviour kept).

The records are ``tests/snapshots/<log>.json``, written by ``scripts/json_snapshots.py
write``; a change that is meant to alter the figures regenerates them, and says why in its
commit message. Floats are compared within 1e-9 relative or 2e-6 absolute: the JSON rounds to 6
decimals, and a sum whose order follows tied variant counts can land on either side of a
rounding boundary (seen once: fitness 0.982077 vs 0.982076).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from json_snapshots import LOGS, SNAPSHOTS, report_json  # noqa: E402


def _same(expected, actual, path="$"):
    if isinstance(expected, float) or isinstance(actual, float):
        assert isinstance(actual, int | float), path
        assert isinstance(expected, int | float), path
        assert math.isclose(expected, actual, rel_tol=1e-9, abs_tol=2e-6), (
            f"{path}: {expected!r} != {actual!r}"
        )
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), path
        assert sorted(expected) == sorted(actual), path
        for key in expected:
            _same(expected[key], actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), path
        assert len(expected) == len(actual), path
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _same(e, a, f"{path}[{i}]")
    else:
        assert expected == actual, f"{path}: {expected!r} != {actual!r}"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LOGS))
def test_json_report_unchanged(name):
    path = LOGS[name]
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared/sample-data beside the repository)")
    expected = json.loads((SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8"))
    actual = json.loads(report_json(path))
    _same(expected, actual)
