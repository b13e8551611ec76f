"""Access to the TOML and CSV tables shipped in ``rpa_candidates/data/``."""

from __future__ import annotations

import csv
import io
import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["load_csv", "load_toml"]


@cache
def _load(name: str) -> dict[str, Any]:
    with (resources.files("rpa_candidates") / "data" / name).open("rb") as handle:
        return tomllib.load(handle)


def load_toml(name: str) -> dict[str, Any]:
    """Parse ``data/<name>`` (cached; a deep copy is returned so callers may change it)."""
    import copy

    return copy.deepcopy(_load(name))


def load_csv(name: str) -> list[dict[str, str]]:
    """The rows of ``data/<name>`` (a CSV file with a header) as dicts; ``[]`` if the file
    does not exist. Not cached: callers cache what they build from it."""
    path = resources.files("rpa_candidates") / "data"
    for part in name.split("/"):
        path = path / part
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))
