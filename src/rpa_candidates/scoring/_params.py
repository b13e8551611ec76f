"""Parameter checks for the scoring estimators (STYLE rule 6).

scikit-learn's ``_parameter_constraints`` validator is private API, so the estimators
of :mod:`rpa_candidates.scoring` declare their allowed values in one class-level dict
and call :func:`check_params` at the top of ``fit``.

A constraint is one of

* a type or a tuple of types: ``isinstance`` (``bool`` never passes for ``int`` or
  ``float`` unless ``bool`` is listed);
* :class:`Options`: the value must be one of the listed values (a ``Literal``);
* :class:`Interval`: a real number within bounds (``bool`` is rejected);
* ``None``: the value ``None``;
* a list of the above: the value passes if any of them accepts it.

Examples
--------
>>> from sklearn.base import BaseEstimator
>>> class Demo(BaseEstimator):
...     _allowed = {"lang": Options("de", "en"), "alpha": [Interval(0, 1), None]}
...     def __init__(self, *, lang="de", alpha=None):
...         self.lang = lang
...         self.alpha = alpha
>>> check_params(Demo(lang="fr"), Demo._allowed)
Traceback (most recent call last):
...
rpa_candidates.ParameterError: Demo: lang='fr' is not allowed; expected one of 'de', 'en'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real
from typing import Any

from ..core.errors import ParameterError

__all__ = ["Interval", "Options", "check_params"]


@dataclass(frozen=True)
class Options:
    """The value must be one of ``values`` (compared with ``==``)."""

    values: tuple[Any, ...]

    def __init__(self, *values: Any) -> None:
        object.__setattr__(self, "values", tuple(values))

    def accepts(self, value: Any) -> bool:
        return any(
            isinstance(value, bool) == isinstance(v, bool) and value == v for v in self.values
        )

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)


@dataclass(frozen=True)
class Interval:
    """A real number (not ``bool``, not NaN) with ``low ≤ value ≤ high``.

    ``closed`` is ``"both"`` (default), ``"left"``, ``"right"`` or ``"neither"``;
    ``None`` as a bound means unbounded. ``integer=True`` also requires an ``int``.
    """

    low: float | None = None
    high: float | None = None
    closed: str = "both"
    integer: bool = False

    def accepts(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, Real):
            return False
        if self.integer and not isinstance(value, int):
            return False
        value = float(value)
        if math.isnan(value):
            return False
        low_open = self.closed in ("right", "neither")
        high_open = self.closed in ("left", "neither")
        if self.low is not None and (value < self.low or (low_open and value == self.low)):
            return False
        return not (
            self.high is not None and (value > self.high or (high_open and value == self.high))
        )

    def describe(self) -> str:
        left = "[" if self.closed in ("both", "left") else "("
        right = "]" if self.closed in ("both", "right") else ")"
        low = "-inf" if self.low is None else f"{self.low:g}"
        high = "inf" if self.high is None else f"{self.high:g}"
        kind = "an integer" if self.integer else "a number"
        return f"{kind} in {left}{low}, {high}{right}"


def _accepts(constraint: Any, value: Any) -> bool:
    if constraint is None:
        return value is None
    if isinstance(constraint, (Options, Interval)):
        return constraint.accepts(value)
    if isinstance(constraint, list):
        return any(_accepts(c, value) for c in constraint)
    types = constraint if isinstance(constraint, tuple) else (constraint,)
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def _describe(constraint: Any) -> str:
    if constraint is None:
        return "None"
    if isinstance(constraint, (Options, Interval)):
        return constraint.describe()
    if isinstance(constraint, list):
        return " or ".join(_describe(c) for c in constraint)
    types = constraint if isinstance(constraint, tuple) else (constraint,)
    names = ["None" if t is type(None) else f"a {t.__name__}" for t in types]
    return " or ".join(names)


def check_params(estimator: Any, allowed: dict[str, Any]) -> None:
    """Check the estimator's constructor parameters against ``allowed``.

    Parameters
    ----------
    estimator : object with ``get_params``
        A scikit-learn style estimator (``BaseEstimator`` subclass).
    allowed : dict of str to constraint
        Parameter name → constraint (see the module docstring). Parameters not listed
        are not checked.

    Raises
    ------
    ParameterError
        Naming the estimator, the parameter, the value found (``!r``) and what is allowed.
    """
    params = estimator.get_params(deep=False)
    owner = type(estimator).__name__
    for name, constraint in allowed.items():
        if name not in params:
            raise ParameterError(
                f"{owner}: the allowed-values table names {name!r}, which is not a "
                f"parameter of __init__ ({sorted(params)!r}); fix {owner}._allowed."
            )
        value = params[name]
        if not _accepts(constraint, value):
            raise ParameterError(
                f"{owner}: {name}={value!r} is not allowed; expected {_describe(constraint)}."
            )
