"""Indicator family ``decision``: is the choice after a step a fixed rule on the case data?

A robot can take over a decision only if the decision follows rules on data it can read.
Decision mining (Rozinat & van der Aalst 2006; de Leoni & van der Aalst 2013) learns such
rules as a decision tree from the attributes at the decision point. Here a shallow tree
(depth 3, readable as "if Betrag > 5000 and ...") predicts the next activity from the
attributes of the step's executions; how much better it does than always guessing the most
frequent successor is the step's determinism.

* Attributes are the log's own columns after the canonical ones (``case_id``,
  ``activity``, ``resource``, ``ts``, ``start_ts``, ``utc_offset``, ``row``), as read by
  :func:`rpa_candidates.read_log`; the engine's derived columns are not used. Numbers and
  booleans enter as they are (missing values are handled by the tree), timestamps as epoch
  seconds, text that parses as numbers (``"20000"``) as numbers. Other text is one-hot
  encoded over its ``decision_max_categories`` (10) most frequent values; text with more
  distinct values than ``decision_max_distinct_share`` (0.5) of the rows or than
  ``decision_max_distinct`` (1,000) is an id or free text and ignored.
* Only the executions of decision steps are collected, at most ``decision_max_rows``
  (20,000) per step: a deterministic pseudo-random subset chosen by a multiplicative hash
  of ``row`` on the engine, then a pandas sample with ``random_state=0``.
* Thresholds come from ``data/automation.toml``.
"""

from __future__ import annotations

import warnings
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from ..core import engine
from ..core.resources import automation_defaults
from ._registry import Context, indicator

__all__ = ["decision_indicators"]

CANONICAL = ("case_id", "activity", "resource", "ts", "start_ts", "utc_offset", "row")
#: Columns that engine.prepare_events adds after the attributes.
DERIVED = frozenset(
    {
        "local",
        "local_day",
        "local_hour",
        "weekday",
        "prev_activity",
        "next_activity",
        "prev_case_ts",
        "prev_row",
        "prev_resource",
        "case_events",
        "case_last",
        "prev_resource_ts",
        "prev_resource_day",
        "same_time",
    }
)
_END = "\x00end"  # the case ends after the step (a successor like any other)
_HASH_MULTIPLIER = 2654435761  # Knuth's multiplicative hash constant
_HASH_MODULUS = 2**32


def attribute_columns(prepared: nw.LazyFrame) -> list[str]:
    """The log's attribute columns: after ``row``, before the first derived column."""
    names = prepared.collect_schema().names()
    start = names.index("row") + 1 if "row" in names else len(names)
    out = []
    for name in names[start:]:
        if name in DERIVED or name.startswith("_"):
            break
        out.append(name)
    return out


def _successors(prepared: nw.LazyFrame) -> pd.DataFrame:
    pairs = prepared.select("activity", nw.col("next_activity").fill_null(_END).alias("next"))
    return engine.collect(
        pairs.group_by("activity", "next").agg(nw.len().alias("n")), sort=["activity", "next"]
    )


def _collect_rows(
    prepared: nw.LazyFrame,
    events: nw.LazyFrame,
    counts: pd.Series,
    attributes: list[str],
    cap: int,
) -> pd.DataFrame:
    """The executions of the given activities (a seeded subset of at most ``cap`` each),
    their next activity from ``prepared`` and their attributes from ``events``."""
    keep = sample_filter(counts, cap)
    nexts = prepared.filter(keep).select(
        "activity", "row", nw.col("next_activity").fill_null(_END).alias("_next")
    )
    frame = engine.collect(nexts, sort=["activity", "row"], unique=True)
    values = engine.collect(events.filter(keep).select("row", *attributes), sort="row", unique=True)
    frame = frame.merge(values, on="row", how="left", validate="one_to_one")
    return subsample(frame, cap)


def sample_filter(counts: pd.Series, cap: int) -> nw.Expr:
    """Rows to keep for a seeded sample of at most ``cap`` executions per activity.

    ``counts``: executions per activity (index = activity). All executions of an activity
    with at most ``cap``; else those whose hashed row number
    ``(row · 2654435761) mod 2³²`` falls below ``1.2 · cap / n`` of the range (20 %
    oversampling, cut to ``cap`` by :func:`subsample`). Independent of the row order and
    the same on polars and Spark.
    """
    activity = nw.col("activity")
    keep = activity.is_in([a for a, n in counts.items() if n <= cap])
    hashed = (nw.col("row") * _HASH_MULTIPLIER) % _HASH_MODULUS
    for name, n in counts.items():
        if n > cap:
            limit = int(min(1.0, 1.2 * cap / n) * _HASH_MODULUS)
            keep = keep | ((activity == name) & (hashed < limit))
    return keep


def subsample(frame: pd.DataFrame, cap: int) -> pd.DataFrame:
    """At most ``cap`` rows per activity (seeded), from rows sorted by activity and row."""
    parts = []
    for _, group in frame.groupby("activity", sort=True):
        parts.append(group.sample(n=cap, random_state=0) if len(group) > cap else group)
    return pd.concat(parts) if parts else frame


def _encode(frame: pd.DataFrame, attributes: list[str], cfg: dict[str, Any]) -> pd.DataFrame:
    """Numeric feature matrix of the attributes (see the module docstring)."""
    columns: dict[str, pd.Series] = {}
    n = len(frame)
    for name in attributes:
        values = frame[name]
        if pd.api.types.is_bool_dtype(values):
            columns[name] = values.astype(float)
        elif pd.api.types.is_datetime64_any_dtype(values):
            stamps = pd.to_datetime(values, utc=True)
            seconds = (stamps - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
            columns[name] = seconds.astype(float)
        elif pd.api.types.is_numeric_dtype(values):
            columns[name] = values.astype(float)
        else:
            text = values.astype("string")
            # each distinct value is parsed once; whether a value parses does not depend
            # on the others, so the count of numbers is that of the whole column
            codes, distinct = pd.factorize(text)  # missing: code -1, not in ``distinct``
            n_value = np.bincount(codes[codes >= 0], minlength=len(distinct))
            parsed = pd.to_numeric(
                pd.Series(distinct).str.replace(",", ".", regex=False), errors="coerce"
            )
            present = n_value.sum()
            if present and n_value[parsed.notna().to_numpy()].sum() >= 0.95 * present:
                # the parsed distinct values, spread back over the rows (missing: NaN)
                numbers = np.append(parsed.to_numpy(dtype=float, na_value=np.nan), np.nan)
                columns[name] = pd.Series(numbers[codes], index=frame.index)
                continue
            if len(distinct) < 2 or len(distinct) > min(
                cfg["decision_max_distinct"], cfg["decision_max_distinct_share"] * n
            ):
                continue
            # most frequent first, equal counts ordered by the value (not by hash order)
            counts = pd.DataFrame({"value": distinct, "n": n_value, "code": range(len(distinct))})
            counts = counts.sort_values(["n", "value"], ascending=[False, True], kind="stable")
            top = counts.iloc[: cfg["decision_max_categories"]]
            for value, code in zip(top["value"], top["code"], strict=True):
                hit = (codes == code).astype(float)
                columns[f"{name}={value}"] = pd.Series(hit, index=frame.index)
    return pd.DataFrame(columns, index=frame.index)


def _determinism(x: pd.DataFrame, y: pd.Series, cfg: dict[str, Any]) -> float:
    """5-fold CV accuracy of a depth-3 tree minus that of the majority class.

    The folds are fitted in a plain loop: the same splits, trees and accuracies as
    ``cross_val_score`` with ``DummyClassifier(strategy="most_frequent")`` for the
    baseline (the training fold's most frequent class, the first in sorted order on
    ties), without its per-fold validation and dispatch (half of the time on 20,000 rows).
    """
    from sklearn.model_selection import KFold, StratifiedKFold
    from sklearn.tree import DecisionTreeClassifier

    folds = int(cfg["decision_folds"])
    x = x.loc[:, x.nunique(dropna=False) > 1]
    if x.shape[1] == 0:
        return float("nan")
    stratified = y.value_counts().min() >= folds
    splitter = (StratifiedKFold if stratified else KFold)(
        n_splits=folds, shuffle=True, random_state=0
    )
    # classes as codes in sorted order, the order sklearn gives string classes itself:
    # same trees and scores, without sklearn sorting the strings in every fit
    classes = pd.factorize(y, sort=True)[0]
    features = x.to_numpy(dtype=np.float32)  # the trees' own precision
    accuracy, baseline = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for train, test in splitter.split(features, classes):
            tree = DecisionTreeClassifier(max_depth=int(cfg["decision_max_depth"]), random_state=0)
            tree.fit(features[train], classes[train])
            truth = classes[test]
            accuracy.append(np.mean(tree.predict(features[test]) == truth))
            baseline.append(np.mean(truth == np.bincount(classes[train]).argmax()))
    return float(np.mean(accuracy) - np.mean(baseline))


@indicator(
    family="decision",
    source=(
        "Decision mining: Rozinat & van der Aalst (2006), Decision Mining in ProM, BPM 2006, "
        "LNCS 4102, doi:10.1007/11841760_33; de Leoni & van der Aalst (2013), Data-aware "
        "process mining, SAC 2013, doi:10.1145/2480362.2480633"
    ),
    kind="table",
    columns=("decision_determinism", "decision_successors"),
)
def decision_indicators(prepared: nw.LazyFrame, ctx: Context) -> pd.DataFrame:
    """Whether the choice after a step follows a rule on the case and event attributes.

    decision_determinism: How much better a depth-3 tree predicts the next step than the majority.
        Formula: acc_cv(tree) − acc_cv(majority), 5-fold cross-validated accuracies over the
            step's executions, tree = DecisionTreeClassifier(max_depth=3, random_state=0) on
            the log's attributes, classes = next activity (case end counts as one); only
            where ≥ 2 successors each follow in ≥ 5 % of ≥ 20 executions, else NaN; NaN
            when the log has no usable attribute
        Unit: accuracy difference, 0..1 − baseline (≈ 0 for a random branch)
        Direction: +
    decision_successors: Number of distinct successors that each follow the step often.
        Formula: #{b : #{e : next(e) = b} / #{e} ≥ 0.05}, over the step's executions e,
            where the case end counts as a successor
        Unit: successors
        Direction: 0
    """
    cfg = automation_defaults()
    pairs = _successors(prepared)
    totals = pairs.groupby("activity")["n"].transform("sum")
    pairs["share"] = pairs["n"] / totals
    branching = pairs[pairs["share"] >= cfg["decision_min_branch_share"]]
    result = pd.DataFrame({"activity": sorted(pairs["activity"].unique())})
    successors = branching.groupby("activity").size()
    result["decision_successors"] = result["activity"].map(successors).fillna(0).astype(float)
    result["decision_determinism"] = np.nan
    executions = pairs.groupby("activity")["n"].sum()
    choices = executions[
        (result.set_index("activity")["decision_successors"] >= 2)
        & (executions >= cfg["decision_min_executions"])
    ]
    events = ctx.events if ctx.events is not None else prepared
    attributes = attribute_columns(events)
    if choices.empty or not attributes:
        return result[["activity", "decision_determinism", "decision_successors"]]
    rows = _collect_rows(prepared, events, choices, attributes, int(cfg["decision_max_rows"]))
    scores = {}
    for name, group in rows.groupby("activity", sort=True):
        main = set(branching.loc[branching["activity"] == name, "next"])
        y = group["_next"].where(group["_next"].isin(main), "\x00other")
        scores[name] = _determinism(_encode(group, attributes, cfg), y, cfg)
    result["decision_determinism"] = result["activity"].map(scores).astype(float)
    return result[["activity", "decision_determinism", "decision_successors"]]
