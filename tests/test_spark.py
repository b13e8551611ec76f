"""A pyspark DataFrame read on Spark gives the same log, quality and features as polars."""

from __future__ import annotations

import hashlib
import warnings

import pandas as pd
import polars as pl
import pytest

import rpa_candidates as rc

pyspark = pytest.importorskip("pyspark")
pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning",
    "ignore:The copy keyword is deprecated",
)

KEY = "test-key-0123456789"
SKIP_QUALITY = {"source", "format", "reader"}
#: Reader details that only a file reader produces (dialect sniffing, number coercion).
FILE_DETAILS = {"encoding", "delimiter", "renamed_headers", "numeric_columns"}


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("rpa_candidates tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _table(frame) -> pd.DataFrame:
    """A canonical frame (polars or Spark) as pandas, by row, timestamps naive UTC."""
    out = frame.toPandas() if hasattr(frame, "toPandas") else frame.to_pandas()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_convert("UTC").dt.tz_localize(None)
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].astype("datetime64[us]")
        elif out[column].dtype != object and pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out.sort_values("row").reset_index(drop=True)


def _quality(log: rc.EventLog) -> dict:
    out = {k: v for k, v in log.quality.to_dict().items() if k not in SKIP_QUALITY}
    out["details"] = {k: v for k, v in out["details"].items() if k not in FILE_DETAILS}
    return out


def _read_both(polars_source, spark_source, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.read_log(polars_source, **options), rc.read_log(spark_source, **options)


def _assert_same_log(ref: rc.EventLog, log: rc.EventLog) -> None:
    pd.testing.assert_frame_equal(_table(ref.frame), _table(log.frame), check_dtype=False)
    assert _quality(ref) == _quality(log)
    assert ref.quality.rejected_rows.equals(log.quality.rejected_rows)


def _assert_same_features(ref: rc.EventLog, log: rc.EventLog) -> None:
    expected = rc.activity_features(ref)
    actual = rc.activity_features(log)
    assert list(actual.columns) == ["activity", *rc.features.CATALOG]
    pd.testing.assert_frame_equal(expected, actual, check_dtype=False, rtol=1e-9, atol=1e-12)


def test_synthetic_parquet_log_and_features_equal_polars(spark, tmp_path):
    path = tmp_path / "wohngeld.parquet"
    rc.synth.simulate("wohngeld", n_cases=300, seed=2).write_parquet(path, time_unit="us")
    # no key: derived from the log, streamed from Spark, equal to privacy.derive_key
    ref, log = _read_both(str(path), spark.read.parquet(str(path)))
    assert type(log.frame).__module__.startswith("pyspark")
    _assert_same_log(ref, log)
    assert log.frame.schema.simpleString().startswith(
        "struct<case_id:string,activity:string,resource:string,ts:double,start_ts:double,"
        "utc_offset:int,row:bigint,"
    )
    for name in ("n_cases", "n_events", "n_activities", "activities", "has_start_timestamps"):
        assert getattr(log, name) == getattr(ref, name), name
    assert log.span == ref.span
    assert "pyspark DataFrame" in repr(log)
    assert "<table>" in log._repr_html_()
    by = ["case:concept:name", "time:timestamp", "concept:name"]
    pd.testing.assert_frame_equal(
        ref.df.sort_values(by).reset_index(drop=True),
        log.df.sort_values(by).reset_index(drop=True),
    )
    _assert_same_features(ref, log)


def test_real_log_and_features_equal_polars(spark, sample_data):
    original = rc.read_log(sample_data / "receipt.xes.gz", pseudonymize=False)
    ref, log = _read_both(original.df, spark.createDataFrame(original.df), pseudonymize=False)
    _assert_same_log(ref, log)
    assert log.n_events == original.n_events
    _assert_same_features(ref, log)


MESSY = pd.DataFrame(
    {
        "Vorgang": ["1", "1", "1", "1", None, "2", "2", "2", "2", "3", "3", "3", "3", "3", "4",
                    "4", "4", "4", "4", "5", "5", "5", "5", "5", "5", "5", "5"],
        "Tätigkeit": ["Erfassen", "Prüfen", "Prüfen", "Bescheid", "Erfassen", " ", "Erfassen",
                      "Prüfen", "Bescheid", "Erfassen", "Prüfen", "Prüfen", "Bescheid", "Ablage",
                      "Erfassen", "Prüfen", "Bescheid", "Ablage", "Ablage", "Erfassen", "Prüfen",
                      "Prüfen", "Bescheid", "Ablage", "Prüfen", "Bescheid", "Ablage"],
        "Zeitstempel": [
            "06.01.2025 09:00", "06.01.2025 10:15:30", "06.01.2025 10:15:30", "2025-01-07T08:00Z",
            "06.01.2025 09:00", "06.01.2025 11:00", "30.03.2025 02:30", "26.10.2025 02:30",
            None, "31.02.2025 10:00", "1743289200", "1743289200123", "2025-04-01 12:00:00,5",
            "  2025/04/02 13:00 ", "01.04.25 09:00", "2025-04-01T10:00:00+02:00", "irgendwann",
            "2025-04-03", "1899-12-31 10:00", "06.01.2025 09:00", "06.01.2025 10:00",
            "06.01.2025 10:00", "06.01.2025 11:00", "06.01.2025 12:00", "06.01.2025 13:00",
            "06.01.2025 14:00", "06.01.2025 15:00",
        ],
        "Beginn": [None, "06.01.2025 10:00", "06.01.2025 10:00", "07.01.2025 09:30", None, None,
                   None, None, None, None, "x", None, None, None, None, None, None, None, None,
                   "06.01.2025 08:00", "06.01.2025 09:30", "06.01.2025 09:30", None,
                   "06.01.2025 12:30", None, None, None],
        "Bearbeiter": ["Sabine Müller", "Jens Krüger", "Jens Krüger", "Sabine Müller", "a", "b",
                       None, "Jens Krüger", "c", "d", "Sabine Müller", "Robot01", "Robot01",
                       "Sabine Müller", "Jens Krüger", "Jens Krüger", "e", "Sabine Müller",
                       "Sabine Müller", "Jens Krüger", "Jens Krüger", "Jens Krüger", "Robot01",
                       "Sabine Müller", "Jens Krüger", "Robot01", "Sabine Müller"],
        "Ersteller": ["Sabine Müller"] * 27,
        "Betrag": [1.5] * 26 + [None],
        "row": [7] * 27,
    }
)  # fmt: skip


def test_rejections_timestamps_and_pseudonyms_equal_polars(spark):
    ref, log = _read_both(
        pl.from_pandas(MESSY),
        spark.createDataFrame(MESSY),
        pseudonym_key=KEY,
        ambiguous="latest",
    )
    _assert_same_log(ref, log)
    q = log.quality
    assert q.rows_read == q.rows_used + q.rows_rejected == len(MESSY)
    assert set(q.rejected) == {
        "missing_case_id",
        "missing_activity",
        "missing_timestamp",
        "unparseable_timestamp",
        "start_after_end",
        "duplicate",
    }
    assert q.adjusted["dst_nonexistent"] == q.adjusted["dst_ambiguous"] == 1
    assert q.details["pseudonymized"] == ["case_id", "resource", "Ersteller"]
    assert q.details["renamed_attributes"] == {"row": "row_attr"}
    assert set(log._identities["resource"].values()) >= {"Sabine Müller", "Robot01"}


def test_strict_raises_the_same_error(spark):
    with pytest.raises(rc.DataQualityError) as expected:
        rc.read_log(MESSY, strict=True)
    with pytest.raises(rc.DataQualityError) as actual:
        rc.read_log(spark.createDataFrame(MESSY), strict=True)
    assert str(actual.value) == str(expected.value)


def test_lifecycle_csv_read_by_spark_counts_like_polars(spark, tmp_path):
    path = tmp_path / "lifecycle.csv"
    sim = rc.synth.simulate("bewohnerparken", n_cases=40, seed=3)
    sim.write_csv(path, encoding="utf-8", lifecycle=True)
    lines = path.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    rows = [r for i, r in enumerate(rows) if i % 17 != 5]  # some starts lose their complete
    rows += [rows[3]]  # an exact duplicate
    rows += [r.replace(";start;", ";schedule;") for r in rows[10:14] if ";start;" in r]
    rows += [r.replace(";complete;", ";;") for r in rows[20:22] if ";complete;" in r]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    raw = spark.read.options(header=True, sep=";", encoding="utf-8").csv(str(path))
    ref, log = _read_both(str(path), raw, pseudonym_key=KEY)
    canonical = ["case_id", "activity", "resource", "ts", "start_ts", "utc_offset", "row"]
    pd.testing.assert_frame_equal(
        _table(ref.frame.select(canonical)), _table(log.frame.select(canonical))
    )
    assert _quality(ref) == _quality(log)
    lifecycle = log.quality.details["lifecycle"]
    assert lifecycle["unmatched_start"] > 0
    assert lifecycle["unused_transitions"]
    assert log.quality.rejected["duplicate"] == 1


def test_derived_key_matches_privacy():
    from rpa_candidates.io.spark_privacy import _DERIVE_PREFIX

    values = ["c\x00V1", "r\x00Müller"]
    digest = hashlib.sha256(_DERIVE_PREFIX)
    for value in sorted(values):
        digest.update(value.encode("utf-8") + b"\x00")
    assert digest.digest() == rc.privacy.derive_key(values)


def test_idle_corrected_resource_gap_equal_polars(spark, tmp_path):
    # no start times: resource_gap with the idle correction (a gap histogram collected, the
    # fitted shares joined back on the engine) must give the same numbers on Spark
    from rpa_candidates import timing

    sim = rc.synth.simulate("bewohnerparken", n_cases=300, seed=1)
    path = tmp_path / "no_start.parquet"
    sim.events.drop(columns="start").to_parquet(path)
    options = {"timestamp": "end", "pseudonym_key": "spark-idle-key"}
    ref, log = _read_both(str(path), spark.read.parquet(str(path)), **options)
    names = pd.DataFrame({"resource": ref.frame.get_column("resource").unique().to_list()})
    resources = names.assign(automated=False)
    expected = timing.handling_times(ref, resources=resources)
    actual = timing.handling_times(log, resources=resources)
    assert "resource_gap" in set(expected["handling_source"])
    pd.testing.assert_frame_equal(expected, actual, check_dtype=False, rtol=1e-9, atol=1e-9)
