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

import argparse
import csv
import math
import os
import tomllib
from pathlib import Path
from typing import Any

from .core.errors import ParameterError

__all__ = ["FORMATS", "analyze_options", "pseudonym_key", "standard_times_file"]

DEMO_LOG = "wohngeld_export.csv"
#: Default folder of ``rpa-candidates demo``.
DEMO_OUT = "rpa_candidates_demo"
#: Report formats of ``analyze`` and their file suffixes.
FORMATS = {"html": ".html", "xlsx": ".xlsx", "md": ".md", "json": ".json"}
_ROLES = ("case", "activity", "timestamp", "start_timestamp", "resource", "lifecycle")


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


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rpa-candidates",
        description=(
            "Find the steps of administrative processes a software robot (RPA) should take "
            "over, from event logs, and how much staff time that frees."
        ),
        epilog=(
            "Exit codes: 0 ok, 2 wrong usage, 3 input cannot be read or output cannot be "
            "written. RPA_CANDIDATES_PROGRESS=0 hides progress bars."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    analyze = commands.add_parser(
        "analyze",
        help="read a log, print its top RPA candidates, write reports",
        description="Read an event log, print the data-quality summary and the top RPA "
        "candidates, and write the report files asked for.",
    )
    analyze.add_argument(
        "log",
        help="XES, CSV, Parquet, Excel or OCEL 2.0 file, or a database: a URI "
        "(postgresql://user@host/db, sqlite:///file.db, duckdb:///file.duckdb) or env:NAME "
        "for a URI in an environment variable (passwords from there or PGPASSWORD, never "
        "on the command line)",
    )
    columns = analyze.add_argument_group("columns (guessed when not given)")
    for role in _ROLES:
        flag = role.replace("_", "-")
        columns.add_argument(
            f"--{flag}", dest=role, metavar="COLUMN", help=f"column of the {role.replace('_', ' ')}"
        )
    columns.add_argument(
        "--tz", default="Europe/Berlin", help="time zone of naive timestamps (%(default)s)"
    )
    columns.add_argument(
        "--date-format",
        metavar="FORMAT",
        help="how the timestamps are written: us (MM/DD/YYYY, also with AM/PM), de "
        "(DD/MM/YYYY), iso, or a strftime pattern such as '%%m/%%d/%%Y %%I:%%M %%p' "
        "(default: German, ISO and epoch values; the order of slash dates from the values)",
    )
    source = analyze.add_argument_group("databases and object-centric logs")
    source.add_argument("--query", metavar="SQL", help="SQL whose rows are the events")
    source.add_argument("--table", metavar="NAME", help="table or view of the events")
    source.add_argument(
        "--object-type",
        metavar="TYPE",
        help="OCEL 2.0 logs: the object type whose objects are the cases (e.g. Antrag)",
    )
    analyze.add_argument(
        "--lang", choices=["de", "en"], default="de", help="language (%(default)s)"
    )
    files = analyze.add_argument_group("report files")
    files.add_argument("--html", type=Path, metavar="FILE", help="self-contained HTML report")
    files.add_argument("--xlsx", type=Path, metavar="FILE", help="Excel workbook")
    files.add_argument("--md", type=Path, metavar="FILE", help="Markdown report")
    files.add_argument("--json", type=Path, metavar="FILE", help="JSON (candidates, quality)")
    analyze.add_argument(
        "--what-if",
        type=_positive,
        metavar="TOP_K",
        dest="what_if",
        help="simulate the process with a bot on the TOP_K best candidates and add the "
        "section 'Was wäre wenn / What if' to the reports (needs start and end times)",
    )
    files.add_argument(
        "--map", type=Path, metavar="FILE", help="process map, .svg or .png (by suffix)"
    )
    files.add_argument("--bpmn", type=Path, metavar="FILE", help="discovered model, BPMN 2.0 XML")
    _add_settings(analyze)
    compare = commands.add_parser(
        "compare",
        help="analyse the same process of several towns and compare them",
        description="Analyse each log (columns guessed, or given once for all) and write "
        "the comparison: ranks, differences and the bot shared by the towns.",
    )
    compare.add_argument("logs", type=Path, nargs="+", metavar="LOG", help="one log per town")
    compare.add_argument(
        "--names", nargs="+", required=True, metavar="NAME", help="one name per log, same order"
    )
    for role in _ROLES:
        compare.add_argument(f"--{role.replace('_', '-')}", dest=role, metavar="COLUMN")
    compare.add_argument("--tz", default="Europe/Berlin", help="time zone (%(default)s)")
    compare.add_argument("--lang", choices=["de", "en"], default="de", help="language")
    compare.add_argument("--html", type=Path, metavar="FILE", help="HTML comparison")
    compare.add_argument("--md", type=Path, metavar="FILE", help="Markdown comparison")
    compare.add_argument("--xlsx", type=Path, metavar="FILE", help="Excel comparison")
    compare.add_argument("--json", type=Path, metavar="FILE", help="JSON comparison")
    _add_settings(compare)
    demo = commands.add_parser(
        "demo",
        help="run on the bundled sample log and write every report format",
        description=f"Analyse the bundled sample log ({DEMO_LOG}) and write the HTML, Excel, "
        "Markdown and JSON reports into one folder.",
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=Path(DEMO_OUT),
        metavar="DIR",
        help="folder for the reports, created if missing (./%(default)s)",
    )
    demo.add_argument("--lang", choices=["de", "en"], default="de", help="language (%(default)s)")
    return parser


def _add_settings(command: argparse.ArgumentParser) -> None:
    group = command.add_argument_group("settings (cli_options.py)")
    group.add_argument("--criteria", type=Path, metavar="FILE.toml", help="own rule criteria")
    group.add_argument(
        "--assumptions", type=Path, metavar="FILE.toml", help="own economic assumptions"
    )
    group.add_argument(
        "--standard-times",
        type=Path,
        metavar="FILE",
        help="minutes per activity (TOML, or CSV with columns activity;minutes)",
    )
    group.add_argument(
        "--pseudonym-key-env",
        metavar="VAR",
        help="environment variable holding the pseudonymisation key (never the key itself)",
    )
