"""Run every benchmark and write the results as JSON and as the table in docs/performance.md.

Run from the repository root::

    PYTHONPATH=src python benchmarks/run_all.py           # everything (about 25 min)
    PYTHONPATH=src python benchmarks/run_all.py --quick   # 100 k and 1 M events only

Runs, each in its own subprocess (which starts one fresh subprocess per contender):

* ``bench_ingest.py``: reading XES, CSV and Parquet against pm4py (1 M events);
* ``bench_e2e.py``: ``rc.read_log`` + ``rc.analyze`` per phase with peak memory, the pm4py
  route and the bare polars floor, on 100 k, 1 M and 10 M synthetic events and on
  ``BPI_Challenge_2012.xes.gz``;
  and (not with ``--quick``) a complete-only 10 M-event log (30 activities, 300 resources);
* ``bench_import.py``: ``import rpa_candidates`` in fresh processes (target ≤ 1.0 s);
* ``bench_demo.py``: the whole ``rpa-candidates demo`` command and its import floor
  (target ≤ 4 s);
* ``bench_discovery.py``: ``rc.discover`` on every real log and on a generated log of 400
  activities with unique variants (bounded: IMd and the footprint fitness there);
* ``bench_real_logs.py``: read + analyze per phase on every real log (targets: BPI 2012
  ≤ 4 s, any log of ≤ 1 M events ≤ 30 s).

The targets table lists issue #16's targets (import ≤ 1 s, demo ≤ 4 s, BPI 2012 ≤ 4 s, ≤ 1 M
events ≤ 30 s, 10 M with start times ≤ 30 s and complete-only ≤ 45 s, both ≤ 4 GiB, end to
end ≤ 4× the bare scan) with what was measured and whether it is met.

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


def _json(name: str) -> dict | list | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def _extra_targets() -> list[str]:
    """Rows of issue #16's targets that other scripts measure, from their JSON (if run)."""
    lines = []
    imports = _json("import.json")
    if imports:
        t = imports["import rpa_candidates"]["median_s"]
        lines.append(f"| `import rpa_candidates` ≤ 1.0 s | {t:.3f} s | {_yes(t <= 1.0)} |")
    demo = _json("demo.json")
    if demo:
        t, floor = demo["demo"]["median_s"], demo["imports"]["median_s"]
        lines.append(
            f"| `rpa-candidates demo` (whole command) ≤ 4 s | {t:.1f} s (its third-party "
            f"imports alone: {floor:.1f} s) | {_yes(t <= 4.0)} |"
        )
    for r in _json("real_logs.json") or []:
        if "error" in r:
            continue
        t = r["end_to_end_s"]
        if r["log"] == "BPI_Challenge_2012.xes.gz":
            lines.append(f"| BPI 2012 read + analyze ≤ 4 s | {t:.1f} s | {_yes(t <= 4.0)} |")
        lines.append(
            f"| ≤ 1 M events read + analyze ≤ 30 s ({r['log']}) | {t:.1f} s | {_yes(t <= 30)} |"
        )
    for r in _json("discovery.json") or []:
        if r.get("activities", 0) >= 400 and "error" not in r:
            lines.append(
                f"| discovery bounded on {r['activities']} activities with unique "
                f"variants | {r['miner']}, {r['fitness_method']}, {r['discover_s']:.1f} s "
                f"| {_yes(r['fitness_method'] == 'footprints' and r['miner'] == 'IMd')} |"
            )
    return lines


def _targets(data: dict) -> list[str]:
    lines = ["| target | measured | met |", "|---|---|---|", *_extra_targets()]
    for r in data["results"]:
        if r["events"] is None or r["events"] > 1_000_000 or "seconds" not in r["rc"]:
            continue
        t = r["rc"]["end_to_end_seconds"]
        lines.append(
            f"| ≤ 1 M events read + analyze ≤ 30 s ({r['name']}) | {t:.1f} s | {_yes(t <= 30)} |"
        )
    for r in data["results"]:
        if r["events"] != 10_000_000 or "seconds" not in r["rc"]:
            continue
        limit = 45.0 if r["name"].startswith("complete-only") else 30.0
        t, m = r["rc"]["end_to_end_seconds"], r["rc"]["peak_mb"]
        lines.append(f"| {r['name']} end to end ≤ {limit:.0f} s | {t:.1f} s | {_yes(t <= limit)} |")
        lines.append(f"| {r['name']} peak ≤ 4 GiB | {m:,} MiB | {_yes(m <= 4096)} |")
    for r in data["results"]:
        f = r["ratios"].get("pm4py_over_rc_features")
        if f is not None and r["events"] == 10_000_000:
            lines.append(
                f"| features ≥ 10× faster than pm4py ({r['name']}) | {f:.1f}× | "
                f"{'yes' if f >= 10 else 'no'} |"
            )
    for r in data["results"]:
        f = r["ratios"].get("rc_over_floor_end_to_end")
        if f is not None:
            lines.append(
                f"| end to end ≤ 4× the bare scan ({r['name']}) | {f:.1f}× | "
                f"{'yes' if f <= 4 else 'no'} |"
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
        f"{min(loads):.1f}–{max(loads):.1f} (0 is an idle machine; the benchmark's own "
        "contenders run one after the other).",
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
    command += " --skip-ingest" if args.skip_ingest else ""
    started = time.perf_counter()
    if not args.doc_only:
        if not args.skip_ingest:
            _run("bench_ingest.py")
        sizes = ["100000", "1000000"] if args.quick else ["100000", "1000000", "10000000"]
        complete_only = [] if args.quick else ["--complete-only", "10000000"]
        _run("bench_e2e.py", "--sizes", *sizes, *complete_only)
        _run("bench_import.py")
        _run("bench_demo.py")
        if not args.quick:
            _run("bench_discovery.py")
            _run("bench_real_logs.py")
    e2e = json.loads((RESULTS / "e2e.json").read_text())
    ingest_path = RESULTS / "ingest.json"
    ingest = json.loads(ingest_path.read_text()) if ingest_path.exists() else None
    write_doc(e2e, ingest, command)
    print(f"all benchmarks: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
