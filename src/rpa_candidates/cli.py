"""Command line: ``rpa-candidates analyze LOG`` and ``rpa-candidates demo``.

``analyze`` prints the data-quality summary and the top candidates of a log and writes the
report files asked for (``--html``, ``--xlsx``, ``--md``, ``--json``); ``demo`` does the
same on the bundled sample log and writes every format into one folder (``--out``).

Exit codes:

* 0 — success;
* 2 — wrong usage (unknown option, missing argument; argparse's message);
* 3 — the input cannot be read, the library refused it (its own error, printed without a
  traceback), or an output file cannot be written.

Progress bars go to standard error when it is a terminal; ``RPA_CANDIDATES_PROGRESS=0``
switches them off (see :mod:`rpa_candidates.core.progress`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .cli_options import _ROLES, DEMO_LOG, FORMATS, _parser, analyze_options
from .core.errors import DataQualityWarning, RpaCandidatesError

if TYPE_CHECKING:
    from .analysis import Analysis

__all__ = ["main"]

_TEXT = {
    "de": {
        "title": "RPA-Kandidaten (Top 10)",
        "columns": ("Rang", "Tätigkeit", "Eignung", "Std./Jahr", "VZÄ", "EUR/Jahr"),
        "total": "Entlastung gesamt",
        "fte": "VZÄ",
        "written": "Geschrieben",
        "demo": "Demo-Berichte in",
        "open": "Öffnen Sie {path} im Browser.",
        "no_what_if": "Keine Was-wäre-wenn-Simulation",
    },
    "en": {
        "title": "RPA candidates (top 10)",
        "columns": ("rank", "activity", "score", "h/year", "FTE", "EUR/year"),
        "total": "total relief",
        "fte": "FTE",
        "written": "Written",
        "demo": "Demo reports in",
        "open": "Open {path} in a browser.",
        "no_what_if": "No what-if simulation",
    },
}


class _OutputError(Exception):
    """An output file cannot be written (exit code 3)."""


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


def _check_writable(path: Path) -> None:
    """Fail before the analysis if ``path`` cannot be a file we write."""
    if path.is_dir():
        raise _OutputError(f"Cannot write {str(path)!r}: it is a folder; give a file name.")
    parent = path.parent
    if not parent.is_dir():
        raise _OutputError(
            f"Cannot write {str(path)!r}: the folder {str(parent)!r} does not exist; "
            "create it first or choose another path."
        )
    if not os.access(parent, os.W_OK):
        raise _OutputError(f"Cannot write {str(path)!r}: no write permission in {str(parent)!r}.")


def _write(
    result: Analysis, outputs: dict[str, Path], lang: Literal["de", "en"], what_if: Any = None
) -> list[Path]:
    written = []
    extra = {} if what_if is None else {"what_if": what_if}
    for kind, path in outputs.items():
        try:
            if kind == "html":
                result.to_html(path, lang=lang, **extra)
            elif kind == "xlsx":
                result.to_excel(path, lang=lang, **extra)
            elif kind == "md":
                path.write_text(result.to_markdown(lang=lang, **extra), encoding="utf-8")
            elif kind == "bpmn":
                result.model.to_bpmn(path)
            elif kind == "map":
                values = result.candidates.set_index("activity")["automatability"]
                options = {"color_by": values.rename("automatability"), "lang": lang}
                if path.suffix.lower() == ".png":
                    result.model.to_png(path, **options)
                else:
                    result.model.to_svg(path, **options)
            else:
                result.to_json(path, **extra)
        except OSError as error:
            reason = error.strerror or str(error)
            raise _OutputError(f"Cannot write {str(path)!r}: {reason}.") from error
        written.append(path)
    return written


def _print_summary(result: Analysis, log_repr: str, summary: str, lang: str) -> None:
    text = _TEXT[lang]
    print(log_repr)
    print(summary)
    widths = (4, -40, 7, 10, 6, 10)

    def line(cells: tuple) -> str:
        pairs = zip(cells, widths, strict=True)
        return "  ".join(f"{c:<{-w}}" if w < 0 else f"{c:>{w}}" for c, w in pairs)

    print(f"\n{text['title']}:\n{line(text['columns'])}")
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
    low, high = totals["relief_hours_low"], totals["relief_hours_high"]
    print(
        f"\n{text['total']}: {_number(totals['relief_hours_per_year'], lang)} h "
        f"({_number(low, lang)}–{_number(high, lang)}), "
        f"{_number(totals['relief_fte'], lang, 2)} {text['fte']}, "
        f"{_number(totals['relief_eur_per_year'], lang)} EUR"
    )
    _print_plausibility(result, lang)


def _print_plausibility(result: Analysis, lang: str) -> None:
    """The plausibility checks and the steps left out, in the report's words."""
    from .report.i18n import Formatter, check_lang
    from .report.plausibility import section

    f = Formatter(check_lang(lang))
    s = section(result, f)
    print(f"\n{f.t('section.plausibility')}:")
    for c in s["checks"]:
        print(f"  {c['label']}: {c['status_text']} – {c['numbers']}")
    for r in s["excluded"]:
        print(f"  ! {r['activity']}: {f.hours(r['hours'], 0)} – {r['note']}")
    if s["excluded_total"]:
        print(f"  {s['excluded_total']}")
    for line in s["timestamps"]:
        print(f"  {line}")


def _run(
    path: Path,
    lang: Literal["de", "en"],
    options: dict,
    outputs: dict[str, Path],
    analyze_options: dict | None = None,
    what_if_top: int | None = None,
) -> list[Path]:
    """Read, analyse, print, write; returns the files written."""
    from .analysis import analyze
    from .io import read_log

    for target in outputs.values():
        _check_writable(target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)  # the summary prints them
        log = read_log(path, **options)
        result = analyze(log, lang=lang, **(analyze_options or {}))
    _print_summary(result, repr(log), log.quality.summary(lang=lang), lang)
    simulated = None
    if what_if_top:
        from .core.errors import SimulationError
        from .whatif import what_if

        try:
            simulated = what_if(result, log, top=what_if_top)
        except SimulationError as error:  # say why, write the reports without the section
            print(f"\n{_TEXT[lang]['no_what_if']}: {error}", file=sys.stderr)
        else:
            print(f"\n{simulated!r}")
            print(simulated.to_frame().round(2).to_string(index=False))
    written = _write(result, outputs, lang, simulated)
    if written:
        print(f"\n{_TEXT[lang]['written']}:")
        for target in written:
            print(f"  {target}")
    return written


def _compare(args: argparse.Namespace) -> None:
    from .analysis import analyze
    from .comparison import compare
    from .io import read_log

    if len(args.names) != len(args.logs):
        raise _OutputError(
            f"--names gives {len(args.names)} names for {len(args.logs)} logs; give one per log."
        )
    read, extra = analyze_options(args)
    columns = {key: getattr(args, key) for key in _ROLES if getattr(args, key)}
    outputs = {k: getattr(args, k) for k in ("html", "md", "xlsx", "json") if getattr(args, k)}
    for target in outputs.values():
        _check_writable(target)
    analyses = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        for path in args.logs:
            log = read_log(path, **columns, tz=args.tz, **read)
            analyses.append(analyze(log, lang=args.lang, **extra))
    result = compare(analyses, args.names)
    print(repr(result))
    for kind, path in outputs.items():
        try:
            if kind == "html":
                result.to_html(path, lang=args.lang)
            elif kind == "xlsx":
                result.to_excel(path, lang=args.lang)
            elif kind == "json":
                result.to_json(path)
            else:
                path.write_text(result.to_markdown(lang=args.lang), encoding="utf-8")
        except OSError as error:
            raise _OutputError(f"Cannot write {str(path)!r}: {error.strerror or error}.") from error
        print(f"  {path}")


def _demo(out: Path, lang: Literal["de", "en"]) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        raise _OutputError(f"Cannot create the folder {str(out)!r}: {reason}.") from error
    stem = "bericht" if lang == "de" else "report"
    outputs = {kind: out / f"{stem}{suffix}" for kind, suffix in FORMATS.items()}
    with tempfile.TemporaryDirectory() as workdir:
        _run(_demo_log(Path(workdir)), lang, {}, outputs)
    text = _TEXT[lang]
    print(f"\n{text['demo']} {out.resolve()}")
    print(text["open"].format(path=outputs["html"].resolve()))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, default=None
        The arguments after the program name; None reads ``sys.argv``.

    Returns
    -------
    int
        The exit code: 0 success, 2 wrong usage, 3 unreadable input or unwritable output.
    """
    args = _parser().parse_args(argv)  # exits with 2 on wrong usage
    try:
        if args.command == "demo":
            _demo(args.out, args.lang)
        elif args.command == "compare":
            _compare(args)
        else:
            options = {key: getattr(args, key) for key in _ROLES if getattr(args, key)}
            kinds = [*FORMATS, "map", "bpmn"]
            outputs = {kind: getattr(args, kind) for kind in kinds if getattr(args, kind)}
            for key in ("date_format", "query", "table", "object_type"):
                if getattr(args, key):
                    options[key] = getattr(args, key)
            read, extra = analyze_options(args)
            _run(
                args.log,
                args.lang,
                {**options, "tz": args.tz, **read},
                outputs,
                extra,
                what_if_top=args.what_if,
            )
    except (RpaCandidatesError, _OutputError) as error:
        print(f"rpa-candidates: {error}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
    except OSError as error:  # the log cannot be opened (a folder, no permission, ...)
        where = f" {str(error.filename)!r}" if error.filename else ""
        print(f"rpa-candidates: cannot read{where}: {error.strerror or error}.", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("rpa-candidates: interrupted.", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: say so, keep the traceback for the report
        traceback.print_exc()
        print(
            f"rpa-candidates: unexpected error ({type(error).__name__}: {error}). "
            "This is a bug in rpa_candidates; please report it with the traceback above.",
            file=sys.stderr,
        )
        return 3
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
