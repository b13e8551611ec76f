"""Command line: ``rpa-candidates analyze LOG`` and ``rpa-candidates demo``.

Exit codes: 0 success, 2 wrong usage (argparse), 3 the input cannot be read (the library's
own error, printed without a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from .errors import DataQualityWarning, RpaCandidatesError

__all__ = ["main"]

DEMO_LOG = "wohngeld_export.csv"


def _sample_logs() -> Path | None:
    """``sample_logs/`` of a source checkout, if this package runs from one."""
    folder = Path(__file__).resolve().parents[2] / "sample_logs"
    return folder if (folder / DEMO_LOG).exists() else None


def _demo_log(workdir: Path) -> Path:
    folder = _sample_logs()
    if folder is not None:
        return folder / DEMO_LOG
    from . import synth

    path = workdir / DEMO_LOG
    synth.simulate("wohngeld", n_cases=400, seed=1).write_csv(path)
    return path


def _number(value: float, lang: str, digits: int = 0) -> str:
    if value != value:  # NaN
        return "–"
    text = f"{value:,.{digits}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "de" else text


def _summarise(path: Path, lang: str, options: dict) -> None:
    from .analysis import analyze
    from .io import read_log

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)  # the summary prints them
        log = read_log(path, **options)
        result = analyze(log, lang=lang)
    print(repr(log))
    print(log.quality.summary(lang=lang))
    de = lang == "de"
    title = "RPA-Kandidaten (Top 10)" if de else "RPA candidates (top 10)"
    names = ("Rang", "Tätigkeit", "Eignung", "Std./Jahr", "VZÄ", "EUR/Jahr")
    if not de:
        names = ("rank", "activity", "score", "h/year", "FTE", "EUR/year")
    widths = (4, -40, 7, 10, 6, 10)

    def line(cells: tuple) -> str:
        pairs = zip(cells, widths, strict=True)
        return "  ".join(f"{c:<{-w}}" if w < 0 else f"{c:>{w}}" for c, w in pairs)

    print(f"\n{title}:\n{line(names)}")
    for row in result.candidates.head(10).itertuples(index=False):
        cells = (
            row.rank,
            str(row.activity)[:40],
            _number(row.automatability, lang, 2),
            _number(row.relief_hours_per_year, lang),
            _number(row.relief_fte, lang, 2),
            _number(row.relief_eur_per_year, lang),
        )
        print(line(cells))
    totals = result.totals()
    label = "Entlastung gesamt" if de else "total relief"
    low, high = totals["relief_hours_low"], totals["relief_hours_high"]
    print(
        f"\n{label}: {_number(totals['relief_hours_per_year'], lang)} h "
        f"({_number(low, lang)}–{_number(high, lang)}), "
        f"{_number(totals['relief_fte'], lang, 2)} {'VZÄ' if de else 'FTE'}, "
        f"{_number(totals['relief_eur_per_year'], lang)} EUR"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="rpa-candidates",
        description="Find RPA candidates in the event logs of administrative processes.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    analyze = commands.add_parser("analyze", help="read a log and rank its RPA candidates")
    analyze.add_argument("log", type=Path, help="XES, CSV, Parquet or Excel file")
    for role in ("case", "activity", "timestamp", "start-timestamp", "resource", "lifecycle"):
        analyze.add_argument(f"--{role}", help=f"column of the {role.replace('-', ' ')}")
    analyze.add_argument("--tz", default="Europe/Berlin", help="time zone of naive timestamps")
    analyze.add_argument("--lang", choices=["de", "en"], default="de")
    demo = commands.add_parser("demo", help="run on the bundled sample log")
    demo.add_argument("--lang", choices=["de", "en"], default="de")
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            import tempfile

            with tempfile.TemporaryDirectory() as workdir:
                _summarise(_demo_log(Path(workdir)), args.lang, {})
        else:
            options = {
                key: getattr(args, key)
                for key in (
                    "case",
                    "activity",
                    "timestamp",
                    "start_timestamp",
                    "resource",
                    "lifecycle",
                )
                if getattr(args, key) is not None
            }
            _summarise(args.log, args.lang, {**options, "tz": args.tz})
    except RpaCandidatesError as error:
        print(f"rpa-candidates: {error}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
