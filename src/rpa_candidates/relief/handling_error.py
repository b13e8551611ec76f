r"""Error model of the handling-time estimate, for the relief interval (stage: relief).

The case bootstrap of :mod:`rpa_candidates.bootstrap` resamples cases: it varies volumes,
standard shares and the per-instance handling times, but not the estimator itself. On logs
without start times the estimator's own error (the idle model of ``resource_gap``, the
waiting time in ``case_gap``) is larger than the sampling error, so an interval from the
bootstrap alone misses the truth most of the time. This module adds that error:

.. math::

    \log \frac{\bar h_a^{true}}{\hat{\bar h}_a} \sim \mathcal N(b_s, \sigma_s^2),
    \qquad s = \texttt{handling\_source}_a,

and each bootstrap resample ``r`` multiplies activity ``a``'s relief by an independent
factor :math:`f_{ra} = \exp(b_s + \sigma_s Z_{ra})`, :math:`Z_{ra} \sim \mathcal N(0, 1)`.
The percentile interval of the product then contains both errors. ``b_s`` and
``\sigma_s`` are measured on logs with real start and end times (BPI Challenge 2012 W and
the simulator, ``benchmarks/handling_accuracy.py``) and kept in ``data/handling_error.toml``
with their source: ``lifecycle`` and ``given`` 0 (the bootstrap alone), ``resource_gap``
no bias and :math:`\sigma = 0.30`, ``case_gap`` a bias of :math:`-2.5` (the case gap
contains the waiting time: about 12 times the handling time) and :math:`\sigma = 0.8`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..core._data import load_toml

__all__ = ["ErrorModel", "error_factors", "load_error_model"]


@dataclass(frozen=True)
class ErrorModel:
    """``log(true / estimate)`` of the mean handling time ~ Normal(``bias``, ``sigma``²).

    Attributes
    ----------
    bias : float
        Mean log ratio of the truth to the estimate.
    sigma : float
        Standard deviation of the log ratio.
    """

    bias: float
    sigma: float


def load_error_model() -> dict[str, ErrorModel]:
    """Per ``handling_source`` the error model of ``data/handling_error.toml``.

    Examples
    --------
    >>> from rpa_candidates.relief.handling_error import load_error_model
    >>> load_error_model()["lifecycle"]
    ErrorModel(bias=0.0, sigma=0.0)
    """
    table = load_toml("handling_error.toml")
    sources = sorted({key.rsplit("_", 1)[0] for key in table})
    return {
        s: ErrorModel(float(table[f"{s}_bias"]["value"]), float(table[f"{s}_sigma"]["value"]))
        for s in sources
    }


def error_factors(
    sources: Sequence[str | None],
    size: int,
    rng: np.random.Generator,
    model: dict[str, ErrorModel] | None = None,
) -> np.ndarray:
    """Multiplicative factors ``exp(b_s + σ_s Z)``, one per resample and activity.

    Parameters
    ----------
    sources : sequence of str or None
        ``handling_source`` per activity; ``None`` or a source without an error model
        gives factor 1.
    size : int
        Number of resamples.
    rng : numpy.random.Generator
        Random numbers (seeded by the caller).
    model : dict, default=None
        Source -> :class:`ErrorModel`; ``None`` loads :func:`load_error_model`.

    Returns
    -------
    numpy.ndarray
        Shape ``(size, len(sources))``.
    """
    model = load_error_model() if model is None else model
    none = ErrorModel(0.0, 0.0)
    bias = np.array([model.get(s, none).bias if s else 0.0 for s in sources])
    sigma = np.array([model.get(s, none).sigma if s else 0.0 for s in sources])
    z = rng.standard_normal((size, len(sources)))
    return np.exp(bias + sigma * z)
