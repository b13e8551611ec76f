"""Accuracy of the handling-time estimators on logs with real start and end times.

Prints (docs/handling-time.md, docs/relief.md, data/handling_error.toml):

1. BPI Challenge 2012 W (``../shared/sample-data/BPI_Challenge_2012_W_Two_TS.xes.gz``),
   start times dropped: per activity the ``resource_gap`` mean handling minutes (the value
   relief uses) against the real start→complete means, over all items and over the items
   not left open across midnight, and the median absolute percentage error (MdAPE);
2. the simulator's complete-only logs (``rc.synth.simulate``, start column dropped, staff
   system users marked automated): gross hours per activity (human executions × mean
   handling minutes / 60) against the realised ``true_handling_hours``, MdAPE per process;
3. the error model of the relief interval: per source the root mean square and the 90 %
   quantile of ``log(estimate / truth)`` over the activities measured above
   (``resource_gap``: starts dropped; ``case_gap``: starts and resources dropped;
   ``lifecycle``: both kept).

Run from the repository root (about 2-3 minutes on a shared 2-core machine)::

    PYTHONPATH=src python benchmarks/handling_accuracy.py [--cases 1000] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

import rpa_candidates as rc
from rpa_candidates import timing
from rpa_candidates.core.eventlog import EventLog

ROOT = Path(__file__).resolve().parents[1]
BPI_W = ROOT.parent / "shared" / "sample-data" / "BPI_Challenge_2012_W_Two_TS.xes.gz"
PROCESSES = ("wohngeld", "gewerbeanmeldung", "eingangsrechnung", "bewohnerparken")


def bpi_truth(log: EventLog) -> pd.DataFrame:
    """Real start→complete medians and means per activity: all items, and (mean) the items
    not open overnight."""
    d = (pl.col("ts") - pl.col("start_ts")) / 60.0
    day = ((pl.col("ts") + pl.col("utc_offset")) / 86400).floor()
    start_day = ((pl.col("start_ts") + pl.col("utc_offset")) / 86400).floor()
    truth = (
        log.frame.group_by("activity")
        .agg(
            d.median().alias("true_median"),
            d.mean().alias("true_mean"),
            d.filter(day == start_day).mean().alias("true_mean_same_day"),
            (day != start_day).sum().alias("open_overnight"),
            (d.filter(day != start_day).sum() / d.sum()).alias("overnight_share"),
        )
        .to_pandas()
    )
    truth["activity"] = truth["activity"].astype(str)
    return truth


def overnight_items(log: EventLog) -> pd.DataFrame:
    """The items open across midnight: count, and the local clock time they complete at."""
    day = ((pl.col("ts") + pl.col("utc_offset")) / 86400).floor()
    start_day = ((pl.col("start_ts") + pl.col("utc_offset")) / 86400).floor()
    clock = (pl.col("ts") + pl.col("utc_offset")) % 86400 / 3600
    frame = log.frame.filter(day != start_day).with_columns(clock.alias("clock_hour"))
    return frame.select(
        "activity",
        "resource",
        "clock_hour",
        ((pl.col("ts") - pl.col("start_ts")) / 3600).alias("hours"),
    ).to_pandas()


@cache
def bpi_log() -> tuple[EventLog, pd.DataFrame]:
    """BPIC 2012 W, read once, and its staff (``SYS`` automated)."""
    log = rc.read_log(BPI_W, pseudonymize=False)
    names = log.frame.get_column("resource").drop_nulls().unique().to_list()
    staff = pd.DataFrame({"resource": names, "automated": [n == "SYS" for n in names]})
    return log, staff


def bpi_lifecycle() -> pd.DataFrame:
    """BPIC 2012 W with its start times: the library's own ``lifecycle`` means (the value
    relief uses when a log has starts: spans within one local day of at most
    ``session_hours``), per activity."""
    log, staff = bpi_log()
    est = timing.handling_times(log, resources=staff)
    est = est.rename(columns={"handling_mean_minutes": "lifecycle_mean"})
    return est[["activity", "handling_source", "lifecycle_mean"]]


def bpi_table(
    *,
    drop_resources: bool = False,
    cap_minutes: float | None = None,
    max_log_sd: float | None = None,
    split: bool | None = None,
    idle_correction: bool | None = None,
) -> pd.DataFrame:
    """BPIC 2012 W: the estimate without start times (and resources) against the truth."""
    log, staff = bpi_log()
    truth = bpi_truth(log)
    frame = log.frame.with_columns(start_ts=pl.lit(None, pl.Float64))
    if drop_resources:
        frame = frame.with_columns(resource=pl.lit(None, pl.Categorical))
        staff = None
    est = timing.handling_times(
        EventLog(frame, log.quality),
        resources=staff,
        resource_gap_cap_minutes=cap_minutes,
        idle_max_log_sd=max_log_sd,
        idle_handover_split=split,
        idle_correction=idle_correction,
    )
    out = est.merge(truth, on="activity")
    out["ape_median"] = (out["handling_median_minutes"] / out["true_median"] - 1).abs()
    out["ape_mean"] = (out["handling_mean_minutes"] / out["true_mean"] - 1).abs()
    out["ape_mean_same_day"] = (out["handling_mean_minutes"] / out["true_mean_same_day"] - 1).abs()
    return out


def synth_table(
    process: str,
    *,
    n_cases: int,
    seed: int,
    mode: str,
    cap_minutes: float | None = None,
    max_log_sd: float | None = None,
    split: bool | None = None,
) -> pd.DataFrame:
    """One simulated log; ``mode``: ``lifecycle`` (starts kept), ``resource_gap`` (starts
    dropped), ``case_gap`` (starts and resources dropped). Staff activities only."""
    sim = rc.synth.simulate(process, n_cases=n_cases, seed=seed)
    events = sim.events
    if mode != "lifecycle":
        events = events.drop(columns="start")
    if mode == "case_gap":
        events = events.drop(columns="resource")
    roles = {"start_timestamp": "start"} if mode == "lifecycle" else {}
    log = rc.read_log(events, timestamp="end", pseudonymize=False, **roles)
    staff = None
    if mode != "case_gap":
        staff = sim.staff.rename(columns={"system": "automated"})[["resource", "automated"]]
    est = timing.handling_times(
        log,
        resources=staff,
        resource_gap_cap_minutes=cap_minutes,
        idle_max_log_sd=max_log_sd,
        idle_handover_split=split,
    )
    out = est.merge(sim.truth, on="activity", suffixes=("", "_true"))
    out = out[~out["already_automated"]].copy()
    out["process"], out["seed"], out["mode"] = process, seed, mode
    out["gross_hours"] = out["executions"] * out["handling_mean_minutes"] / 60.0
    out["ape_gross"] = (out["gross_hours"] / out["true_handling_hours"] - 1).abs()
    out["log_ratio"] = np.log(out["handling_mean_minutes"] / out["handling_mean_minutes_true"])
    return out


def identification_table(
    n_cases: int,
    seeds: list[int] | tuple[int, ...],
    *,
    cap_minutes: float | None = None,
    split: bool | None = None,
) -> pd.DataFrame:
    """Per process: how the identification check (``idle_max_log_sd``) sorts the
    ``resource_gap`` activities of complete-only simulated logs. ``ape_gross`` of every
    activity is that of the estimate without the check (``idle_max_log_sd=inf``)."""
    rows = []
    for process in PROCESSES:
        for seed in seeds:
            common = {"n_cases": n_cases, "seed": seed, "mode": "resource_gap"}
            common |= {"cap_minutes": cap_minutes, "split": split}
            kept = synth_table(process, **common)
            every = synth_table(process, **common, max_log_sd=np.inf)
            every = every[every["handling_source"] == "resource_gap"]
            flagged = set(kept.loc[kept["handling_source"] == timing.UNIDENTIFIED, "activity"])
            rows.append(every.assign(flagged=every["activity"].isin(flagged)))
    table = pd.concat(rows)

    def summary(g: pd.DataFrame) -> pd.Series:
        off = g["ape_gross"] > 0.2
        return pd.Series(
            {
                "activities": len(g),
                "flagged": int(g["flagged"].sum()),
                "mdape_all": g["ape_gross"].median(),
                "mdape_kept": g.loc[~g["flagged"], "ape_gross"].median(),
                "off_by_20pct": int(off.sum()),
                "of_them_flagged": int((off & g["flagged"]).sum()),
            }
        )

    out = table.groupby("process").apply(summary, include_groups=False)
    out.loc["all"] = summary(table)
    return out


def spread(log_ratio: pd.Series) -> dict[str, float]:
    """Mean, standard deviation, root mean square and 90 % quantile of ``|log ratio|``."""
    x = log_ratio[np.isfinite(log_ratio)]
    return {
        "n": len(x),
        "mean": float(x.mean()),
        "sd": float(x.std(ddof=0)),
        "rms": float(np.sqrt((x**2).mean())),
        "q90": float(x.abs().quantile(0.9)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--cap", type=float, default=None, help="resource_gap cap (min), synth")
    parser.add_argument(
        "--no-split", dest="split", action="store_false", default=None, help="synth, no hand-overs"
    )
    args = parser.parse_args()
    pd.set_option("display.width", 200)
    warnings.simplefilter("ignore", rc.DataQualityWarning)
    columns = ["activity", "handling_n", "handling_mean_minutes", "true_mean", "ape_mean"]
    columns += ["true_mean_same_day", "ape_mean_same_day", "open_overnight", "overnight_share"]
    gap = bpi_table()
    print("BPIC 2012 W, starts dropped, resource_gap:")
    print(gap[columns].round(3).to_string(index=False))
    print(
        f"MdAPE of the mean: all items {gap['ape_mean'].median():.3f}, "
        f"items not open overnight {gap['ape_mean_same_day'].median():.3f}"
    )
    night = overnight_items(bpi_log()[0])
    closed = night["clock_hour"].between(6.25, 6.2525)
    print(
        f"items open across midnight: {len(night)}, of them completed at 06:15:00-06:15:09 "
        f"local time: {int(closed.sum())} (median open {night['hours'].median():.1f} h)"
    )
    print("BPIC 2012 W, starts dropped, resource_gap: the defaults against other settings")
    print("cap (min)  hand-over split  MdAPE all items (kept, all six)  not open overnight")
    for cap, split in ((120, True), (60, True), (120, False), (60, False)):
        t = bpi_table(cap_minutes=cap, split=split)
        kept = t[t["handling_source"] == "resource_gap"]
        print(
            f"{cap:9d}  {split!s:15s}  {kept['ape_mean'].median():.3f}, "
            f"{t['ape_mean'].median():.3f}{'':19s}{kept['ape_mean_same_day'].median():.3f}, "
            f"{t['ape_mean_same_day'].median():.3f}"
        )
    case = bpi_table(drop_resources=True)
    print("BPIC 2012 W, starts and resources dropped, case_gap:")
    print(case[columns].round(3).to_string(index=False))
    rows = []
    for mode in ("resource_gap", "lifecycle", "case_gap"):
        tables = [
            synth_table(
                p, n_cases=args.cases, seed=s, mode=mode, cap_minutes=args.cap, split=args.split
            )
            for p in PROCESSES
            for s in args.seeds
        ]
        rows.append(pd.concat(tables))
    synth = pd.concat(rows)
    gap_synth = synth[(synth["mode"] == "resource_gap") & (synth["handling_source"] != "case_gap")]
    print(f"\nsimulator, {args.cases} cases, seeds {args.seeds}, starts dropped:")
    print("MdAPE of gross hours per activity (resource_gap activities), per process and seed")
    print(gap_synth.groupby(["process", "seed"])["ape_gross"].median().round(3).to_string())
    every = synth[synth["mode"] == "resource_gap"]
    print(
        f"all resource_gap activities: {gap_synth['ape_gross'].median():.3f}; every staff "
        f"activity (case_gap fallbacks too, NaN as missing): {every['ape_gross'].median():.3f}"
    )
    for n in sorted({300, args.cases}):
        print(f"\nidentification check (idle_max_log_sd), {n} cases, seeds {args.seeds}:")
        table = identification_table(n, args.seeds, cap_minutes=args.cap, split=args.split)
        print(table.round(3).to_string())
    print("\nerror model: log(estimate / truth) of the mean handling minutes per activity")
    for source, ratios in (
        (
            "resource_gap, BPIC 2012 W (not open overnight)",
            np.log(gap["handling_mean_minutes"] / gap["true_mean_same_day"]),
        ),
        ("resource_gap, simulator", gap_synth["log_ratio"]),
        ("lifecycle, simulator", synth.loc[synth["mode"] == "lifecycle", "log_ratio"]),
        (
            "case_gap, BPIC 2012 W (not open overnight)",
            np.log(case["handling_mean_minutes"] / case["true_mean_same_day"]),
        ),
        ("case_gap, simulator", synth.loc[synth["mode"] == "case_gap", "log_ratio"]),
    ):
        m = spread(ratios)
        print(
            f"  {source:48s} n={m['n']:3d} mean {m['mean']:+.3f} sd {m['sd']:.3f} "
            f"rms {m['rms']:.3f} q90 |.| {m['q90']:.3f} q90/1.645 {m['q90'] / 1.645:.3f}"
        )


if __name__ == "__main__":
    main()
