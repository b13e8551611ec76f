"""Run every benchmark and write the results as JSON and as the table in docs/performance.md.

Run from the repository root::

    PYTHONPATH=src python benchmarks/run_all.py           # everything (about 15 min)
    PYTHONPATH=src python benchmarks/run_all.py --quick   # 100 k and 1 M events only

Runs, each in its own subprocess (which starts one fresh subprocess per contender):

* ``bench_ingest.py``: reading XES, CSV and Parquet against pm4py (1 M events);
* ``bench_e2e.py``: ``rc.read_log`` + ``rc.analyze`` per phase with peak memory, the pm4py
  route and the bare polars floor, on 100 k, 1 M and 10 M synthetic events and on
  ``BPI_Challenge_2012.xes.gz``;
* ``bench_import.py``: ``import rpa_candidates`` in fresh processes (target ≤ 1.0 s);
* ``bench_discovery.py``: ``rc.discover`` on every real log and on a generated log of 400
  activities with unique variants (bounded: IMd and the footprint fitness there).

The results land in ``benchmarks/results/*.json``; the generated part of
``docs/performance.md`` (between the ``results:start`` and ``results:end`` markers) is
rewritten from them, with the load average under which they were taken. The benchmarks
time nothing inside unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DOC = HERE.parent / "docs" / "performance.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
TARGETS = {"seconds_10M": 60.0, "peak_mb_10M": 4096.0, "features_ratio": 10.0, "floor_ratio": 3.0}


def _run(script: str, *args: str) -> bool:
    """Run one benchmark script; a failure is reported, and the others still run."""
    command = [sys.executable, str(HERE / script), *args]
    print("$", " ".join(command), flush=True)
    done = subprocess.run(command, check=False, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    if done.returncode:
        print(f"{script} failed (exit {done.returncode}); its previous JSON is kept", flush=True)
    return done.returncode == 0


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _e2e_table(data: dict) -> list[str]:
    phases = ("read", "features", "model_fit", "scoring", "relief", "discovery", "other")
    head = [
        "| log | events | cases | " + " | ".join(phases) + " | **end to end** | peak MiB "
        "| report json / html | pm4py read+features+discovery | pm4py peak MiB | floor "
        "| rc / floor | pm4py / rc features |",
        "|" + "---|" * (len(phases) + 11),
    ]
    rows = []
    for r in data["results"]:
        rc, pm, fl, ratios = r["rc"], r.get("pm4py", {}), r["floor"], r["ratios"]
        if "seconds" not in rc:
            rows.append(f"| {r['name']} | failed: {rc.get('error')} |")
            continue
        s = rc["seconds"]
        report = rc.get("report_seconds", {})
        rep = " / ".join(
            _fmt(report.get(k), 2) if isinstance(report.get(k), int | float) else "n/a"
            for k in ("to_json", "to_html")
        )
        pm_s = (
            " + ".join(_fmt(pm["seconds"][k]) for k in ("read", "features", "discovery"))
            if "seconds" in pm
            else ("skipped" if not pm else "failed")
        )
        rows.append(
            f"| {r['name']} | {rc['rows']:,} | {rc['cases']:,} | "
            + " | ".join(_fmt(s[p]) for p in phases)
            + f" | **{_fmt(rc['end_to_end_seconds'])}** | {rc['peak_mb']:,} | {rep} | {pm_s} | "
            f"{_fmt(pm.get('peak_mb'), 0) if 'peak_mb' in pm else '–'} | "
            f"{_fmt(fl.get('end_to_end_seconds'), 2)} | "
            f"{_fmt(ratios.get('rc_over_floor_end_to_end'))}× | "
            f"{_fmt(ratios.get('pm4py_over_rc_features'))}× |"
        )
    return head + rows


def _ingest_table(data: dict) -> list[str]:
    rows = [
        "| format | rc s | rc peak MiB | pm4py route | pm4py s | pm4py peak MiB |",
        "|---|---|---|---|---|---|",
    ]
    for r in data["results"]:
        rc, pm = r.get("rc", {}), r.get("pm4py", {})
        error = pm["error"].split(" | ")[-1][:80] if "error" in pm else None  # the exception
        route = pm.get("kind", "") + (f" (failed: {error})" if error else "")
        rows.append(
            f"| {r['format']} | {_fmt(rc.get('seconds'), 2)} | {_fmt(rc.get('peak_mb'), 0)} | "
            f"{route} | {_fmt(pm.get('seconds'), 2)} | {_fmt(pm.get('peak_mb'), 0)} |"
        )
    return rows


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _extra_targets() -> list[str]:
    """Rows for the import time and the bounded discovery, from their JSON (if run)."""
    lines = []
    imports = RESULTS / "import.json"
    if imports.exists():
        t = json.loads(imports.read_text())["import rpa_candidates"]["median_s"]
        lines.append(f"| `import rpa_candidates` ≤ 1.0 s | {t:.3f} s | {_yes(t <= 1.0)} |")
    discovery = RESULTS / "discovery.json"
    if discovery.exists():
        for r in json.loads(discovery.read_text()):
            if r.get("activities", 0) >= 400 and "error" not in r:
                lines.append(
                    f"| discovery bounded on {r['activities']} activities with unique "
                    f"variants | {r['miner']}, {r['fitness_method']}, {r['discover_s']:.1f} s "
                    f"| {_yes(r['fitness_method'] == 'footprints' and r['miner'] == 'IMd')} |"
                )
    return lines


def _targets(data: dict) -> list[str]:
    by_size = {r["events"]: r for r in data["results"]}
    big = by_size.get(10_000_000)
    lines = ["| target | measured | met |", "|---|---|---|", *_extra_targets()]
    if big and "seconds" in big["rc"]:
        t, m = big["rc"]["end_to_end_seconds"], big["rc"]["peak_mb"]
        lines.append(f"| 10 M events end to end ≤ 60 s | {t:.1f} s | {_yes(t <= 60)} |")
        lines.append(f"| 10 M events peak ≤ 4 GiB | {m:,} MiB | {_yes(m <= 4096)} |")
    for r in data["results"]:
        f = r["ratios"].get("pm4py_over_rc_features")
        if f is not None:
            lines.append(
                f"| features ≥ 10× faster than pm4py ({r['name']}) | {f:.1f}× | "
                f"{'yes' if f >= 10 else 'no'} |"
            )
    for r in data["results"]:
        f = r["ratios"].get("rc_over_floor_end_to_end")
        if f is not None:
            lines.append(
                f"| end to end ≤ 3× the bare scan ({r['name']}) | {f:.1f}× | "
                f"{'yes' if f <= 3 else 'no'} |"
            )
    growth = data.get("growth", {}).get("end_to_end")
    if growth:
        e = growth["exponent"]
        lines.append(
            f"| linear growth 1 M → 10 M (exponent 1.0) | {e:.2f} "
            f"({growth['t_1M']:.1f} s → {growth['t_10M']:.1f} s) | "
            f"{'yes' if e <= 1.1 else 'no'} |"
        )
    return lines


def render(e2e: dict, ingest: dict | None, command: str) -> str:
    meta = e2e["meta"]
    loads = [
        r[k].get("load_before", [None])[0]
        for r in e2e["results"]
        for k in ("rc", "pm4py", "floor")
        if k in r
    ]
    loads = [x for x in loads if x is not None]
    lines = [
        START,
        "",
        f"Measured {meta['when']} on {meta['cpu_count']} cores, Python {meta['python']}, "
        f"with `{command}`. 1-minute load average before the runs: "
        f"{min(loads):.1f}–{max(loads):.1f} (0 is an idle machine; other developers' "
        "tests ran in parallel).",
        "",
        "### Targets",
        "",
        *_targets(e2e),
        "",
        "### End to end, seconds per phase (`rc.read_log` + `rc.analyze`)",
        "",
        *_e2e_table(e2e),
        "",
    ]
    growth = e2e.get("growth", {})
    if growth:
        lines += [
            "### Growth from 1 M to 10 M events",
            "",
            "| phase | 1 M s | 10 M s | exponent (1.0 = linear) |",
            "|---|---|---|---|",
        ]
        for phase, g in growth.items():
            if phase == "peak_mb":
                lines.append(f"| peak MiB | {g['t_1M']:,} | {g['t_10M']:,} | |")
            else:
                lines.append(
                    f"| {phase} | {g['t_1M']:.2f} | {g['t_10M']:.2f} | {g['exponent']:.2f} |"
                )
        lines.append("")
    if ingest:
        lines += [
            "### Reading 1 M events (`bench_ingest.py`)",
            "",
            "From the last complete `bench_ingest.py` run (`benchmarks/results/ingest.json`).",
            "",
            *_ingest_table(ingest),
            "",
        ]
    lines.append(END)
    return "\n".join(lines)


def write_doc(e2e: dict, ingest: dict | None, command: str) -> None:
    block = render(e2e, ingest, command)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    DOC.write_text(head + block + tail, encoding="utf-8")
    print(f"written: {DOC}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 k and 1 M events only")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--doc-only", action="store_true", help="re-render from the JSON")
    args = parser.parse_args()
    command = "PYTHONPATH=src python benchmarks/run_all.py" + (" --quick" if args.quick else "")
    started = time.perf_counter()
    if not args.doc_only:
        if not args.skip_ingest:
            _run("bench_ingest.py")
        sizes = ["100000", "1000000"] if args.quick else ["100000", "1000000", "10000000"]
        _run("bench_e2e.py", "--sizes", *sizes)
        _run("bench_import.py")
        if not args.quick:
            _run("bench_discovery.py")
    e2e = json.loads((RESULTS / "e2e.json").read_text())
    ingest_path = RESULTS / "ingest.json"
    ingest = json.loads(ingest_path.read_text()) if ingest_path.exists() else None
    write_doc(e2e, ingest, command)
    print(f"all benchmarks: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
