"""Loading, checking and applying the criteria of :class:`~rpa_candidates.RuleScorer`.

A criteria catalogue is a mapping (from ``criteria.toml``, a user TOML file or a dict) with
the tables ``criteria`` (one sub-table per criterion), ``already_automated`` and ``blend``;
see ``scoring/criteria.toml`` for every key and ``docs/criteria.md`` for the defaults.
:func:`load_criteria` checks it and returns :class:`Criterion` objects that know how to
score a feature table.
"""

from __future__ import annotations

import copy
import difflib
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import ParameterError

__all__ = ["Criterion", "Settings", "default_criteria", "load_criteria", "transform_values"]

_TRANSFORM_KEYS: dict[str, tuple[str, ...]] = {
    "linear": ("zero_at", "one_at"),
    "log": ("zero_at", "one_at"),
    "logistic": ("midpoint", "scale"),
    "steps": ("thresholds", "scores"),
}
_REQUIRED = ("name", "indicators", "transform", "weight", "reason", "unit", "source", "year")
_OPTIONAL = (
    "combine",
    "knockout_below",
    "knockout_at_least",
    "min_executions",
    "human_only",
    "display_scale",
    "digits",
    "reason_zero",
    "applies_to",
)
_APPLIES_TO = ("all", "work_steps", "status_records")
_COMBINE = ("mean", "min", "max", "sum")
_LANGS = ("de", "en")


@dataclass(frozen=True)
class Criterion:
    """One resolved criterion (see ``criteria.toml`` for the meaning of each field)."""

    id: str
    name: dict[str, str]
    indicators: tuple[str, ...]
    combine: str
    transform: dict[str, Any]
    weight: float
    knockout_below: float | None
    knockout_at_least: float | None
    min_executions: int
    human_only: bool
    display_scale: float
    digits: int
    reason: dict[str, str]
    reason_zero: dict[str, str] | None
    applies_to: str
    unit: str
    source: str
    year: int

    @property
    def column(self) -> str:
        """Name of the score column, ``crit_<id>``."""
        return f"crit_{self.id}"

    def raw_values(self, features: pd.DataFrame) -> pd.Series:
        """The indicator value(s) merged by ``combine`` (NaN where all are missing)."""
        frame = features[list(self.indicators)].apply(pd.to_numeric, errors="coerce")
        frame = frame.astype(float)
        if len(self.indicators) == 1:
            return frame.iloc[:, 0]
        if self.combine == "sum":  # NaN only where every indicator is missing
            return frame.sum(axis=1, skipna=True, min_count=1)
        return getattr(frame, self.combine)(axis=1, skipna=True)

    def knocked_out(self, values: pd.Series) -> pd.Series:
        """``value < knockout_below`` or ``value >= knockout_at_least`` (NaN never)."""
        out = pd.Series(False, index=values.index)
        if self.knockout_below is not None:
            out |= values < self.knockout_below
        if self.knockout_at_least is not None:
            out |= values >= self.knockout_at_least
        return out & values.notna()


@dataclass(frozen=True)
class Settings:
    """The non-criterion tables of a catalogue: ``already_automated``, ``blend`` and
    ``status_record`` (the indicator and threshold that mark a status record, and the
    sentence that says it is scored from its behaviour)."""

    automated_indicator: str
    automated_threshold: float
    rule_weight: float
    ml_weight: float
    knockout_cap: float
    status_indicator: str
    status_threshold: float
    status_reason: dict[str, str]


def transform_values(values: pd.Series | np.ndarray, spec: Mapping[str, Any]) -> np.ndarray:
    r"""Map indicator values to scores 0..1 (NaN stays NaN).

    Parameters
    ----------
    values : array-like of float
        Indicator values.
    spec : mapping
        ``kind`` and its numbers:

        * ``linear``: :math:`s = \mathrm{clip}((x - z) / (o - z), 0, 1)` with ``zero_at`` z
          and ``one_at`` o (o < z makes it falling);
        * ``log``: :math:`s = \mathrm{clip}(\ln(x / z) / \ln(o / z), 0, 1)`, z, o > 0;
          x ≤ 0 scores as x → 0⁺ (0 when rising, 1 when falling);
        * ``logistic``: :math:`s = 1 / (1 + e^{-(x - m) / k})` with ``midpoint`` m and
          ``scale`` k (k < 0 makes it falling);
        * ``steps``: :math:`s = \mathrm{scores}[\#\{i : x \ge t_i\}]` with ascending
          ``thresholds`` t and one more ``scores`` than thresholds.

    Returns
    -------
    numpy.ndarray
        Scores in [0, 1], NaN where the value is NaN.
    """
    x = np.asarray(values, dtype=float)
    kind = spec["kind"]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if kind == "linear":
            zero, one = float(spec["zero_at"]), float(spec["one_at"])
            s = (x - zero) / (one - zero)
        elif kind == "log":
            zero, one = float(spec["zero_at"]), float(spec["one_at"])
            tiny = np.where(x > 0, x, np.finfo(float).tiny)
            s = np.log(tiny / zero) / np.log(one / zero)
        elif kind == "logistic":
            s = 1.0 / (1.0 + np.exp(-(x - float(spec["midpoint"])) / float(spec["scale"])))
        else:  # steps
            thresholds = np.asarray(spec["thresholds"], dtype=float)
            scores = np.asarray(spec["scores"], dtype=float)
            s = scores[np.searchsorted(thresholds, np.nan_to_num(x), side="right")]
    s = np.clip(s, 0.0, 1.0)
    return np.where(np.isnan(x), np.nan, s)


@cache
def _default_text() -> bytes:
    return (resources.files("rpa_candidates") / "scoring" / "criteria.toml").read_bytes()


def default_criteria() -> dict[str, Any]:
    """The default catalogue as a dict (a fresh copy, free to change and pass back).

    Examples
    --------
    >>> from rpa_candidates.scoring import RuleScorer, default_criteria
    >>> criteria = default_criteria()
    >>> criteria["criteria"]["volume"]["weight"] = 3.0
    >>> scorer = RuleScorer(criteria)
    """
    return copy.deepcopy(tomllib.loads(_default_text().decode("utf-8")))


def _fail(where: str, message: str) -> ParameterError:
    return ParameterError(f"{where}: {message}")


def _number(where: str, key: str, value: Any, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise _fail(where, f"{key}={value!r} must be a number.")
    if positive and value <= 0:
        raise _fail(where, f"{key}={value!r} must be > 0.")
    return float(value)


def _check_transform(where: str, spec: Any) -> dict[str, Any]:
    if not isinstance(spec, Mapping) or spec.get("kind") not in _TRANSFORM_KEYS:
        kind = spec.get("kind") if isinstance(spec, Mapping) else spec
        raise _fail(
            where,
            f"transform kind {kind!r} is unknown; expected one of {sorted(_TRANSFORM_KEYS)!r}, "
            'e.g. transform = { kind = "linear", zero_at = 0.5, one_at = 0.05 }.',
        )
    kind = spec["kind"]
    keys = _TRANSFORM_KEYS[kind]
    wrong = sorted(set(spec) - {"kind", *keys})
    missing = [k for k in keys if k not in spec]
    if wrong or missing:
        raise _fail(
            where,
            f"transform {kind!r} has unknown keys {wrong!r} / lacks {missing!r}; "
            f"allowed: {['kind', *keys]!r}.",
        )
    out = dict(spec)
    if kind in ("linear", "log"):
        zero = _number(where, "transform.zero_at", spec["zero_at"], positive=kind == "log")
        one = _number(where, "transform.one_at", spec["one_at"], positive=kind == "log")
        if zero == one:
            raise _fail(where, f"transform zero_at and one_at are both {zero!r}; they must differ.")
    elif kind == "logistic":
        _number(where, "transform.midpoint", spec["midpoint"])
        if _number(where, "transform.scale", spec["scale"]) == 0:
            raise _fail(where, "transform scale=0 is not allowed; use a small number instead.")
    else:
        thresholds, scores = spec["thresholds"], spec["scores"]
        if (
            not isinstance(thresholds, list)
            or not isinstance(scores, list)
            or len(scores) != len(thresholds) + 1
        ):
            raise _fail(
                where,
                f"steps need a list of thresholds and one more scores, got thresholds="
                f"{thresholds!r}, scores={scores!r}.",
            )
        t = [_number(where, "transform.thresholds", v) for v in thresholds]
        s = [_number(where, "transform.scores", v) for v in scores]
        if t != sorted(t) or any(not 0 <= v <= 1 for v in s):
            raise _fail(where, "steps need ascending thresholds and scores within 0..1.")
    return out


def _check_texts(where: str, key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping) or any(
        not isinstance(value.get(lang), str) for lang in _LANGS
    ):
        raise _fail(where, f"{key}={value!r} needs a text for each of {list(_LANGS)!r}.")
    if key == "reason" and any("{value}" not in value[lang] for lang in _LANGS):
        # {terms} (optional) is filled with the words of the name that decided the class
        raise _fail(where, f"reason={value!r} must contain {{value}} in every language.")
    return {lang: value[lang] for lang in _LANGS}


def _criterion(cid: str, raw: Any, catalogue: Mapping[str, Any]) -> Criterion:
    where = f"criterion {cid!r}"
    if not isinstance(raw, Mapping):
        raise _fail(where, f"expected a table of keys, got {raw!r}.")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        hints = [difflib.get_close_matches(k, _REQUIRED + _OPTIONAL, n=1) for k in unknown]
        hint = "".join(
            f" (did you mean {h[0]!r} for {k!r}?)" for k, h in zip(unknown, hints, strict=True) if h
        )
        raise _fail(
            where, f"unknown keys {unknown!r}{hint}; allowed: {sorted(_REQUIRED + _OPTIONAL)!r}."
        )
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise _fail(where, f"lacks the keys {missing!r} (required: {list(_REQUIRED)!r}).")
    indicators = raw["indicators"]
    if isinstance(indicators, str):
        indicators = [indicators]
    if not isinstance(indicators, list) or not indicators:
        raise _fail(where, f"indicators={indicators!r} must be a non-empty list of names.")
    for name in indicators:
        if name not in catalogue:
            close = difflib.get_close_matches(str(name), list(catalogue), n=1, cutoff=0.0)
            raise _fail(
                where,
                f"indicator {name!r} is not in rc.features.CATALOG; closest: {close[0]!r}. "
                f"Allowed: {sorted(catalogue)!r}.",
            )
    combine = raw.get("combine", "mean")
    if combine not in _COMBINE:
        raise _fail(where, f"combine={combine!r} is not allowed; expected one of {_COMBINE!r}.")
    applies_to = raw.get("applies_to", "all")
    if applies_to not in _APPLIES_TO:
        raise _fail(
            where, f"applies_to={applies_to!r} is not allowed; expected one of {_APPLIES_TO!r}."
        )
    human_only = raw.get("human_only", False)
    if not isinstance(human_only, bool):
        raise _fail(where, f"human_only={human_only!r} must be true or false.")
    min_exec = raw.get("min_executions", 0)
    digits = raw.get("digits", 0)
    for key, value in (("min_executions", min_exec), ("digits", digits)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _fail(where, f"{key}={value!r} must be an integer >= 0.")
    knock = {
        k: None if raw.get(k) is None else _number(where, k, raw[k])
        for k in ("knockout_below", "knockout_at_least")
    }
    year = raw["year"]
    if isinstance(year, bool) or not isinstance(year, int):
        raise _fail(where, f"year={year!r} must be an integer.")
    for key in ("unit", "source"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise _fail(where, f"{key}={raw[key]!r} must be a non-empty text.")
    return Criterion(
        id=cid,
        name=_check_texts(where, "name", raw["name"]),
        indicators=tuple(indicators),
        combine=combine,
        transform=_check_transform(where, raw["transform"]),
        weight=_number(where, "weight", raw["weight"], positive=True),
        knockout_below=knock["knockout_below"],
        knockout_at_least=knock["knockout_at_least"],
        min_executions=min_exec,
        human_only=human_only,
        display_scale=_number(where, "display_scale", raw.get("display_scale", 1.0)),
        digits=digits,
        reason=_check_texts(where, "reason", raw["reason"]),
        reason_zero=None
        if raw.get("reason_zero") is None
        else _check_texts(where, "reason_zero", raw["reason_zero"]),
        applies_to=applies_to,
        unit=raw["unit"],
        source=raw["source"],
        year=year,
    )


def _indicator_and_threshold(where: str, table: Mapping[str, Any], catalogue: Any) -> float:
    """Check ``table``'s indicator against the catalogue; its threshold as a number."""
    if table["indicator"] not in catalogue:
        close = difflib.get_close_matches(str(table["indicator"]), list(catalogue), n=1, cutoff=0)
        raise _fail(where, f"indicator {table['indicator']!r} is unknown; closest: {close[0]!r}.")
    return _number(where, "threshold", table["threshold"])


def _settings(spec: Mapping[str, Any], defaults: Mapping[str, Any], catalogue: Any) -> Settings:
    auto = {**defaults["already_automated"], **spec.get("already_automated", {})}
    blend = {**defaults["blend"], **spec.get("blend", {})}
    threshold = _indicator_and_threshold("criteria table 'already_automated'", auto, catalogue)
    where = "criteria table 'blend'"
    unknown = sorted(set(blend) - {"rule", "ml", "knockout_cap", "unit", "source", "year"})
    if unknown:
        raise _fail(where, f"unknown keys {unknown!r}; allowed: ['knockout_cap', 'ml', 'rule'].")
    rule, ml = _number(where, "rule", blend["rule"]), _number(where, "ml", blend["ml"])
    cap = _number(where, "knockout_cap", blend["knockout_cap"])
    if rule < 0 or ml < 0 or rule + ml == 0 or not 0 <= cap <= 1 or not 0 <= threshold <= 1:
        raise _fail(
            "criteria",
            f"blend rule={rule!r}, ml={ml!r} must be >= 0 and not both 0; knockout_cap={cap!r} "
            f"and already_automated threshold={threshold!r} must lie within 0..1.",
        )
    status = {**defaults["status_record"], **spec.get("status_record", {})}
    where = "criteria table 'status_record'"
    status_threshold = _indicator_and_threshold(where, status, catalogue)
    reason = _check_texts(where, "status reason", status["reason"])
    return Settings(
        auto["indicator"], threshold, rule, ml, cap, status["indicator"], status_threshold, reason
    )


def load_criteria(spec: str | Path | Mapping[str, Any] | None) -> tuple[list[Criterion], Settings]:
    """Read and check a criteria catalogue.

    Parameters
    ----------
    spec : str, path, mapping or None
        ``None`` for the default ``criteria.toml``, a path to a TOML file, or a mapping of
        the same shape. Its ``criteria`` table replaces the default criteria as a whole;
        ``already_automated``, ``blend`` and ``status_record`` keys not given keep their
        default.

    Returns
    -------
    (list of Criterion, Settings)

    Raises
    ------
    ParameterError
        If the file cannot be read or a criterion is malformed; the message names the
        criterion, the bad key or value, the allowed ones, and for an unknown indicator the
        closest catalogue name.
    """
    from ..features import CATALOG

    defaults = default_criteria()
    if spec is None:
        raw: Mapping[str, Any] = defaults
    elif isinstance(spec, (str, Path)):
        try:
            raw = tomllib.loads(Path(spec).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ParameterError(
                f"criteria file {str(spec)!r} cannot be read as TOML ({exc}); pass a TOML file "
                "shaped like rpa_candidates/scoring/criteria.toml or a dict."
            ) from exc
    elif isinstance(spec, Mapping):
        raw = spec
    else:
        raise ParameterError(f"criteria={spec!r} must be None, a TOML path or a dict.")
    unknown = sorted(set(raw) - {"criteria", "already_automated", "blend", "status_record"})
    table = raw.get("criteria")
    if unknown or not isinstance(table, Mapping) or not table:
        raise ParameterError(
            f"criteria has top-level keys {sorted(raw)!r}; expected a non-empty 'criteria' table "
            "(one sub-table per criterion) and optionally 'already_automated', 'blend' and "
            "'status_record', as in "
            "rc.scoring.default_criteria()."
        )
    criteria = [_criterion(str(cid), body, CATALOG) for cid, body in table.items()]
    return criteria, _settings(raw, defaults, CATALOG)
