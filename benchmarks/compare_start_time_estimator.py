"""BPIC 2012 W, start times dropped: the published start-time estimator on the same metric.

Chapela-Campa, D., Dumas, M. (2022): *Repairing Activity Start Times to Improve Business
Process Simulation* (start time = the later of the resource's availability and the
activity's enablement; PyPI ``start-time-estimator``). It pins ``pandas < 3`` and imports
only with ``pix-framework==0.10.0``, so it is **not** a dependency of rpa_candidates: run
this script from its own environment, after exporting the log with this library::

    PYTHONPATH=src python benchmarks/compare_start_time_estimator.py --export /tmp/bpiw.csv
    python3 -m venv /tmp/ste && /tmp/ste/bin/pip install start-time-estimator pix-framework==0.10.0
    /tmp/ste/bin/python benchmarks/compare_start_time_estimator.py --run /tmp/bpiw.csv

Prints per activity the estimated mean duration (minutes) against the real start→complete
mean (all items, and items not open across midnight), and the median absolute percentage
error, for the default configuration, the default with the resource ``SYS`` as a bot
resource (its items instant), and the README's outlier cap (threshold 200 %, mode, ``SYS``
as a bot). ``--only default`` or ``--only "outlier cap"`` runs one of them (each takes a few
minutes).
"""

from __future__ import annotations

import argparse
from pathlib import Path

BPI_W = Path(__file__).resolve().parents[2] / "shared" / "sample-data"
BPI_W = BPI_W / "BPI_Challenge_2012_W_Two_TS.xes.gz"


def export(path: str) -> None:
    """Write case, activity, resource, real start and end (UTC ISO) as CSV."""
    import polars as pl

    import rpa_candidates as rc

    frame = rc.read_log(BPI_W, pseudonymize=False).frame
    frame.select(
        pl.col("case_id"),
        pl.col("activity").cast(pl.String).alias("Activity"),
        pl.col("resource").cast(pl.String).fill_null("NOT_SET").alias("Resource"),
        pl.from_epoch((pl.col("start_ts") * 1e6).cast(pl.Int64), time_unit="us")
        .dt.replace_time_zone("UTC")
        .alias("real_start"),
        pl.from_epoch((pl.col("ts") * 1e6).cast(pl.Int64), time_unit="us")
        .dt.replace_time_zone("UTC")
        .alias("end_time"),
        pl.col("utc_offset"),
    ).write_csv(path)


def run(path: str, only: list[str] | None = None) -> None:
    import pandas as pd
    from start_time_estimator.config import (
        ConcurrencyOracleType,
        Configuration,
        OutlierStatistic,
        ReEstimationMethod,
        ResourceAvailabilityType,
    )
    from start_time_estimator.estimator import StartTimeEstimator

    log = pd.read_csv(path)
    for column in ("real_start", "end_time"):
        log[column] = pd.to_datetime(log[column], utc=True, format="ISO8601")
    log = log.sort_values("end_time", kind="stable").reset_index(drop=True)
    local = pd.to_timedelta(log["utc_offset"], unit="s")
    same_day = (log["real_start"] + local).dt.date == (log["end_time"] + local).dt.date
    real = (log["end_time"] - log["real_start"]).dt.total_seconds() / 60
    truth = pd.DataFrame(
        {
            "true_mean": real.groupby(log["Activity"]).mean(),
            "true_mean_same_day": real[same_day].groupby(log["Activity"]).mean(),
        }
    )
    configs = {
        "default": Configuration(),
        "default, SYS as bot resource": Configuration(bot_resources={"SYS"}),
        "outlier cap (README: mode, 200 %)": Configuration(
            concurrency_oracle_type=ConcurrencyOracleType.HEURISTICS,
            re_estimation_method=ReEstimationMethod.MODE,
            resource_availability_type=ResourceAvailabilityType.SIMPLE,
            outlier_statistic=OutlierStatistic.MODE,
            outlier_threshold=2.0,
            bot_resources={"SYS"},
        ),
    }
    pd.set_option("display.width", 200)
    for name, config in configs.items():
        if only and name.split(",")[0].split(" (")[0] not in only:
            continue
        frame = log.drop(columns="real_start")
        out = StartTimeEstimator(frame, config).estimate()
        est = (out["end_time"] - out["estimated_start_time"]).dt.total_seconds() / 60
        table = truth.copy()
        table["estimate"] = est.groupby(out["Activity"]).mean()
        table["ape"] = (table["estimate"] / table["true_mean"] - 1).abs()
        table["ape_same_day"] = (table["estimate"] / table["true_mean_same_day"] - 1).abs()
        print(f"start-time-estimator, {name}:")
        print(table.round(3).to_string())
        print(
            f"MdAPE: all items {table['ape'].median():.3f}, "
            f"items not open overnight {table['ape_same_day'].median():.3f}\n"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", metavar="CSV")
    parser.add_argument("--run", metavar="CSV")
    parser.add_argument("--only", nargs="+", default=None)
    args = parser.parse_args()
    if args.export:
        export(args.export)
    if args.run:
        run(args.run, args.only)
