"""Access to the TOML tables shipped in ``rpa_candidates/data/``."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["load_toml"]


@cache
def _load(name: str) -> dict[str, Any]:
    with (resources.files("rpa_candidates") / "data" / name).open("rb") as handle:
        return tomllib.load(handle)


def load_toml(name: str) -> dict[str, Any]:
    """Parse ``data/<name>`` (cached; a deep copy is returned so callers may change it)."""
    import copy

    return copy.deepcopy(_load(name))
