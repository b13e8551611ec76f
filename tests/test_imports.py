"""``import rpa_candidates`` loads no heavy library; each loads with the stage that needs it
(issue #16: the import costs milliseconds, ``benchmarks/bench_import.py`` measures it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import rpa_candidates as rc

REPO = Path(__file__).resolve().parents[1]
HEAVY = (
    "pandas",
    "polars",
    "numpy",
    "scipy",
    "pyarrow",
    "narwhals",
    "sklearn",
    "matplotlib",
    "pm4py",
    "pyspark",
    "jinja2",
    "openpyxl",
)


def _loaded_after(code: str) -> set[str]:
    """The heavy top-level packages in ``sys.modules`` after running ``code`` afresh."""
    names = "sorted({m.split('.')[0] for m in sys.modules})"
    probe = f"{code}\nimport json, sys\nprint(json.dumps({names}))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        timeout=300,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1])) & set(HEAVY)


def test_import_loads_no_heavy_library():
    assert _loaded_after("import rpa_candidates") == set()


def test_reading_a_log_loads_no_model_plot_report_or_mining_library():
    loaded = _loaded_after(
        "import rpa_candidates as rc\nrc.read_log('sample_logs/wohngeld_export.csv')"
    )
    assert {"polars", "pandas", "narwhals"} <= loaded
    assert loaded.isdisjoint({"sklearn", "matplotlib", "pm4py", "pyspark", "jinja2", "openpyxl"})


def test_the_command_line_help_loads_no_heavy_library():
    assert (
        _loaded_after(
            "import sys\nfrom rpa_candidates.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass"
        )
        == set()
    )


@pytest.mark.parametrize("name", rc.__all__)
def test_every_public_name_resolves(name):
    assert getattr(rc, name) is not None
    assert name in dir(rc)


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        _ = rc.nonexistent
