"""The options of ``rpa-candidates analyze`` / ``compare`` that name files or variables.

Stage: cli (next to ``cli.py``). Each helper turns one command-line value into the keyword
argument of :func:`rpa_candidates.read_log` or :func:`rpa_candidates.analyze` it stands for,
and raises :class:`~rpa_candidates.ParameterError` with what to do when the value is wrong:

* ``--criteria FILE.toml`` → ``analyze(criteria=FILE)`` (checked by the scorer);
* ``--assumptions FILE.toml`` → ``analyze(assumptions=Assumptions.from_toml(FILE))``;
* ``--standard-times FILE`` → ``analyze(handling_times={activity: minutes})`` from a TOML
  file (``"Antrag erfassen" = 12.5``) or a CSV file with the columns ``activity`` and
  ``minutes`` (``;`` or ``,`` separated, UTF-8);
* ``--pseudonym-key-env VAR`` → ``read_log(pseudonym_key=os.environ[VAR])``: the key is
  read from the environment, never from the command line (where ``ps`` and the shell
  history would show it).
"""

from __future__ import annotations

import csv
import math
import os
import tomllib
from pathlib import Path
from typing import Any

from .core.errors import ParameterError

__all__ = ["analyze_options", "pseudonym_key", "standard_times_file"]


def _minutes(value: Any, where: str) -> float:
    try:
        minutes = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        minutes = math.nan
    if not math.isfinite(minutes) or minutes < 0:
        raise ParameterError(f"{where}: {value!r} is not a number of minutes >= 0.")
    return minutes


def standard_times_file(path: str | Path) -> dict[str, float]:
    """``{activity: minutes}`` from a TOML or CSV file (see the module docstring)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ParameterError(f"Cannot read standard times from {str(path)!r}: {err}.") from err
    if path.suffix.lower() == ".toml":
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ParameterError(f"{str(path)!r} is not valid TOML: {err}.") from err
        return {str(k): _minutes(v, f"{path.name}, {k!r}") for k, v in table.items()}
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=";,\t")
    rows = list(csv.DictReader(text.splitlines(), dialect=dialect))
    if not rows or not {"activity", "minutes"} <= set(rows[0]):
        raise ParameterError(
            f"{str(path)!r} needs the columns 'activity' and 'minutes' (found "
            f"{sorted(rows[0]) if rows else []!r}); or give a TOML file with lines like "
            '"Antrag erfassen" = 12.5.'
        )
    return {
        r["activity"]: _minutes(r["minutes"], f"{path.name}, line {i}")
        for i, r in enumerate(rows, 2)
    }


def pseudonym_key(variable: str) -> str:
    """The pseudonymisation key from the environment variable ``variable``."""
    key = os.environ.get(variable)
    if not key:
        raise ParameterError(
            f"The environment variable {variable!r} (--pseudonym-key-env) is not set or "
            f"empty; set it first, e.g. export {variable}=… (the key is never passed on the "
            "command line)."
        )
    return key


def analyze_options(args: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The extra ``read_log`` and ``analyze`` keyword arguments of parsed ``args``."""
    from .relief.assumptions import Assumptions

    read: dict[str, Any] = {}
    analyze: dict[str, Any] = {}
    if getattr(args, "pseudonym_key_env", None):
        read["pseudonym_key"] = pseudonym_key(args.pseudonym_key_env)
    if getattr(args, "criteria", None):
        if not Path(args.criteria).is_file():
            raise ParameterError(f"--criteria: {str(args.criteria)!r} is not a file.")
        analyze["criteria"] = Path(args.criteria)
    if getattr(args, "assumptions", None):
        analyze["assumptions"] = Assumptions.from_toml(args.assumptions)
    if getattr(args, "standard_times", None):
        analyze["handling_times"] = standard_times_file(args.standard_times)
    return read, analyze
