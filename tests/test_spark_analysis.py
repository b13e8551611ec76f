"""``rc.analyze`` on a Spark log gives the same candidates as on polars (issue 7).

One local[2] SparkSession, one synthetic log read from Parquet by polars and by Spark; the
analysis must agree in the ranking and every number (float tolerance), and the whole log
must never be collected to the driver (only aggregates are).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.core import engine

pyspark = pytest.importorskip("pyspark")
pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning",
    "ignore:The copy keyword is deprecated",
)

RTOL, ATOL = 1e-9, 1e-9


@pytest.fixture(scope="module")
def analyses(tmp_path_factory):
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("rpa_candidates analysis parity")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    path = tmp_path_factory.mktemp("spark") / "wohngeld.parquet"
    rc.synth.simulate("wohngeld", n_cases=300, seed=2).write_parquet(path, time_unit="us")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rc.DataQualityWarning)
            ref_log = rc.read_log(str(path), pseudonym_key="spark-parity-key")
            ref = rc.analyze(ref_log)
            log = rc.read_log(spark.read.parquet(str(path)), pseudonym_key="spark-parity-key")
            assert engine.backend(log.frame) == "spark"
            collected = []
            original = engine.pm4py_frame

            def refuse(*args, **kwargs):  # the whole log must stay on the executors
                collected.append(args)
                return original(*args, **kwargs)

            engine.pm4py_frame = refuse
            try:
                result = rc.analyze(log)
            finally:
                engine.pm4py_frame = original
            # cases pooled into groups (as above Assumptions.bootstrap_groups cases)
            pooled = [_pooled_tables(x, y) for x, y in ((ref_log, ref), (log, result))]
        yield ref, result, collected, pooled
    finally:
        spark.stop()


def _pooled_tables(log, analysis):
    from rpa_candidates.core.prepared import prepare
    from rpa_candidates.relief import bootstrap

    features, prepared = analysis.features, prepare(log)
    return bootstrap.case_tables(
        prepared.events,
        sources=dict(zip(features["activity"], features["handling_source"], strict=True)),
        given_minutes={},
        automated=prepared.automated,
        activities=list(features["activity"]),
        max_groups=64,
    )


def _numbers_equal(expected: pd.DataFrame, actual: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        expected.reset_index(drop=True),
        actual.reset_index(drop=True),
        check_dtype=False,
        rtol=RTOL,
        atol=ATOL,
    )


def test_candidates_identical(analyses):
    ref, result, _, _ = analyses
    assert list(result.candidates.columns) == list(ref.candidates.columns)
    assert result.candidates["activity"].tolist() == ref.candidates["activity"].tolist()
    assert result.candidates["rank"].tolist() == list(range(1, len(ref.candidates) + 1))
    _numbers_equal(ref.candidates, result.candidates)
    # the interval is the bootstrap's: it must be non-trivial for the comparison to mean much
    spread = ref.candidates["relief_hours_high"] - ref.candidates["relief_hours_low"]
    assert np.nanmax(spread.to_numpy(dtype=float)) > 0


def test_features_scores_relief_identical(analyses):
    ref, result, _, _ = analyses
    for name in ("features", "scores", "relief"):
        _numbers_equal(getattr(ref, name), getattr(result, name))
    _numbers_equal(ref.routines, result.routines)
    assert result.totals() == pytest.approx(ref.totals(), rel=RTOL)


def test_process_model_identical(analyses):
    ref, result, _, _ = analyses
    for name in ("dfg", "start_activities", "end_activities", "variants", "activities"):
        _numbers_equal(getattr(ref.model, name), getattr(result.model, name))
    assert result.model.miner == ref.model.miner
    assert str(result.model.process_tree) == str(ref.model.process_tree)
    numbers = {k: v for k, v in ref.model.fitness.items() if isinstance(v, int | float)}
    assert {k: result.model.fitness[k] for k in numbers} == pytest.approx(numbers, rel=RTOL)
    assert result.model.fitness["method"] == ref.model.fitness["method"]
    assert result.model.fitness["stopped_by"] == ref.model.fitness["stopped_by"]
    summary = {k: v for k, v in result.log_summary.items() if k != "source"}
    assert summary == {k: v for k, v in ref.log_summary.items() if k != "source"}
    assert result.log_summary["source"] == "pyspark DataFrame"


def test_log_never_collected_to_driver(analyses):
    _, _, collected, _ = analyses
    assert collected == []


def test_pooled_bootstrap_groups_identical(analyses):
    *_, (ref, spark) = analyses
    assert ref.pooled
    assert (ref.n_groups, ref.n_cases) == (64, 300)
    # every group holds cases (the multiplicative hash spreads the 300 ranks evenly)
    assert ref.groups["group"].nunique() == 64
    assert ref.groups.groupby("act")["cases"].sum().max() <= 300
    _numbers_equal(ref.groups, spark.groups)
    assert ref.window == spark.window


def test_plausibility_and_resolution_identical(analyses):
    ref, result, _, _ = analyses
    pd.testing.assert_frame_equal(
        ref.plausibility.checks, result.plausibility.checks, rtol=RTOL, atol=ATOL
    )
    pd.testing.assert_frame_equal(ref.resolution, result.resolution, rtol=RTOL, atol=ATOL)
