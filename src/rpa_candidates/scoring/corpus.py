"""The labelled corpus behind the default :class:`AutomatabilityModel`.

``data/training_corpus.csv`` is built by ``scripts/build_corpus.py``: one row per (log,
activity) with the label class, the binary target, the label source and every numeric
indicator of ``rc.features.CATALOG``. Label sources:

* ``hand``: activities of the real public logs, labelled one by one following
  ``docs/labeling.md`` (``data/labels_real.csv``);
* ``synth``: activities of simulated logs (``rc.synth``) with the simulator's ground truth;
* ``weak``: unlabelled real steps that ``automation_rate`` shows as already automated.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import ParameterError
from ..features import CATALOG

__all__ = [
    "CORPUS_COLUMNS",
    "LABEL_CLASSES",
    "NUMERIC_FEATURES",
    "POSITIVE_CLASSES",
    "corpus_weights",
    "encode_target",
    "load_corpus",
]

#: The four classes of docs/labeling.md and of ``rc.synth`` (``label_class``).
LABEL_CLASSES = ("automated", "highly_automatable", "low_automatable", "cognitive")
#: Classes that count as automatable (binary target 1).
POSITIVE_CLASSES = ("automated", "highly_automatable")
#: Numeric columns of ``rc.features.CATALOG`` (all but the category ``handling_source``).
NUMERIC_FEATURES = tuple(name for name in CATALOG if name != "handling_source")
_META = ("log", "group", "kind", "activity", "label", "target", "label_source")
#: Columns of data/training_corpus.csv, in order.
CORPUS_COLUMNS: list[str] = [*_META, *NUMERIC_FEATURES]


def corpus_sha256() -> str:
    """SHA-256 of the bundled ``data/training_corpus.csv`` (the file the shipped
    calibration map of ``data/calibration.toml`` was fitted on)."""
    import hashlib

    path = resources.files("rpa_candidates") / "data" / "training_corpus.csv"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_corpus() -> pd.DataFrame:
    """The bundled training corpus ``data/training_corpus.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CORPUS_COLUMNS`: ``log`` (file or simulated log id), ``group``
        (cross-validation group: the source data set, or ``synth:<process>``), ``kind``
        (``real``, ``textbook``, ``synth``), ``activity``, ``label`` (one of
        :data:`LABEL_CLASSES`), ``target`` (1 for :data:`POSITIVE_CLASSES`),
        ``label_source`` (``hand``, ``synth``, ``weak``), then the indicators.
    """
    path = resources.files("rpa_candidates") / "data" / "training_corpus.csv"
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle)


def corpus_weights(corpus: pd.DataFrame, *, real_weight: float = 3.0) -> np.ndarray:
    r"""Sample weights: every group the same total weight, real groups ``real_weight`` times.

    .. math::

        s_i = \frac{N\, r_{g(i)}}{n_{g(i)} \sum_g r_g}, \qquad
        r_g = \text{real\_weight if } g \text{ is a real log, else } 1

    with :math:`N` rows and :math:`n_g` rows in group :math:`g`. Equal group weights stop
    the simulated processes (many seeds, two naming modes) from outweighing the few real
    logs; ``real_weight=3`` was chosen on the leave-one-log-out report (docs/model.md).
    """
    groups = corpus["group"].to_numpy()
    real = corpus.groupby("group")["kind"].first().eq("real")
    ratio = real.map({True: float(real_weight), False: 1.0})
    counts = corpus.groupby("group")["group"].size()
    share = ratio / ratio.sum()
    return (len(corpus) * share / counts).loc[groups].to_numpy(dtype=float)


def encode_target(y: Any) -> np.ndarray:
    """Map ``y`` (bool, 0/1 or the four class names) to a 0/1 integer array.

    Raises
    ------
    ParameterError
        If a value is none of these (e.g. ``"unknown"``: drop such rows first).
    """
    values = pd.Series(np.asarray(y, dtype=object).ravel())
    if values.isna().any():
        raise ParameterError("y contains missing values; drop unlabelled rows before fit.")
    if all(isinstance(v, str) for v in values):
        bad = sorted(set(values) - set(LABEL_CLASSES))
        if bad:
            raise ParameterError(
                f"y contains {bad!r}; expected booleans, 0/1 or the class names "
                f"{LABEL_CLASSES!r}. Drop 'unknown' rows before fit."
            )
        return values.isin(POSITIVE_CLASSES).to_numpy(dtype=int)
    if all(isinstance(v, (bool, np.bool_, int, np.integer, float, np.floating)) for v in values):
        numeric = values.astype(float)
        if not numeric.isin([0.0, 1.0]).all():
            bad = sorted(set(numeric) - {0.0, 1.0})[:5]
            raise ParameterError(f"y must be 0/1 or booleans, found {bad!r}.")
        return numeric.to_numpy(dtype=int)
    raise ParameterError(
        f"y mixes types ({sorted({type(v).__name__ for v in values})!r}); expected booleans, "
        f"0/1 or the class names {LABEL_CLASSES!r}."
    )
