"""The idle-time model of resource gaps and its EM fit: how much of a gap was work, how
much waiting.

A resource gap ``G`` (the time since the same person's previous completion, see
:mod:`rpa_candidates.timing`) is the handling time ``H`` of the instance plus the time ``I``
the person was idle (or busy with work outside the log) before starting it::

    G = H + I,   H ~ LogNormal(μ_a, σ_a)            per activity a,
                 I ~ p_r · δ₀ + (1 − p_r) · Exp(λ_r)  per resource r,

independent, observed only when ``0 < G ≤ cap``. The point mass ``δ₀`` is the item
started straight after the previous one (a backlog); the exponential is the idle period
of a single-server queue, which is exponential with the arrival rate (M/G/1). The mean gap
alone cannot separate ``H`` from ``I`` (in a stable queue it is 1 / throughput whatever
the handling time); the shape can, and ``H`` is shared by all resources of an activity
and ``I`` by all activities of a resource.

The idle key ``r`` is the resource, or with the hand-over split of
:mod:`rpa_candidates.handling.idle` the resource and whether the gap is a hand-over within
the case; ``H`` is shared either way.

The fit is EM on a histogram of gaps in bins of ``width`` seconds (bin ``k`` covers
``[k·w, (k+1)·w)``), per (resource, activity), from one group-by on the engine, so only
that small table reaches the driver. On the grid, ``P_H`` is the binned lognormal, ``P_I``
``p·[m = 0] + (1 − p)(1 − q) qᵐ`` with ``q = exp(−λ w)``, and ``P_G = P_H * P_I``. The
geometric part makes every convolution a first-order recursion (``S_k = q S_{k−1} + P_H(k)``),
exact and O(bins), one vector step per bin for all pairs at once (:func:`_scan`).
The truncation ``G ≤ cap`` is handled by adding the expected unobserved counts beyond the
cap (the standard EM for truncated data, grid extended to three times the cap); on that
part of the grid the E step has a closed form (:class:`_Tail`), so only the bins below
the cap are scanned, and of those only the 3 % with a gap enter the likelihood. E step:
the posterior of ``(H, I)`` per bin; M step: ``μ_a, σ_a`` from the weighted log bin
centres, ``p_r`` the posterior share of ``I = 0`` from the point mass, ``q_r`` from the
posterior mean of the geometric part.

Each instance then gets the posterior mean of its handling time, as a share of its gap::

    E[H | G = g] = g · s_ra(k),   s(k) = Σ_j P_H(j) P_I(k − j) c_j / (P_G(k) · c_k),

``c`` the bin centres, joined back onto the instances by (resource, activity, bin). So the
per-instance seconds, the per-activity mean and every sum built from them (features,
relief, bootstrap) stay one estimate. An instance in a busy stretch keeps nearly its whole
gap, one after a long pause keeps about the typical handling time of its activity.

Measured (docs/handling-time.md): on the simulator's logs the mean handling time per
activity within −10 % to +5 % for most activities; it fails where one person does one
activity alone and is idle most of the time (nothing separates ``H`` from ``I`` then). It
does not see handling times beyond the cap, like the plain gap.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

__all__ = ["activity_means", "fit", "identification"]

#: The grid reaches this multiple of the cap (room for the unobserved gaps above it).
EXTEND = 3.0
KEYS = ["resource", "activity", "_bin"]


def _lognormal_pmf(mu: np.ndarray, sigma: np.ndarray, edges: np.ndarray) -> np.ndarray:
    from scipy.special import ndtr

    with np.errstate(divide="ignore"):
        z = (np.log(edges)[None, :] - mu[:, None]) / sigma[:, None]
    return np.diff(ndtr(z), axis=1)


def _scan(x: np.ndarray, q: np.ndarray, *, reverse: bool = False) -> np.ndarray:
    """``S_k = Σ_(j ≤ k) x_j q^(k−j)`` down the rows of ``x`` (``j ≥ k`` if ``reverse``),
    ``q`` per column: the first-order recursion ``S_k = q S_(k−1) + x_k``, one vector step
    per bin for all (resource, activity) pairs at once, on row views with preallocated
    output (a third faster than indexing the rows: 1.5 against 2.3 ms for 720 × 407)."""
    s, step = np.array(x, dtype=float), np.empty(x.shape[1:])
    rows = list(s[::-1] if reverse else s)
    for previous, row in itertools.pairwise(rows):  # previous is final when row is reached
        np.multiply(previous, q, out=step)
        np.add(row, step, out=row)
    return s


class _Tail:
    """The grid beyond the cap (bins ``L ≤ j < K``) in closed form.

    There every count is an expected unobserved one, spread like ``P_G``, so
    ``ratio_k = count_k / P_G(k)`` is one constant ``ρ`` per pair and the backward sum is
    ``back_j = ρ W_(K−j)`` with ``W_m = Σ_(n<m) qⁿ``. The tail then enters the E step only
    through sums over its bins, per activity and resource (``d = log c − ref``)::

        h_i = Σ_j P_H(j) dⱼⁱ,   hw_i = Σ_j P_H(j) dⱼⁱ W_(K−j),   hz = Σ_j P_H(j) Z_(K−j),

    ``Z_m = Σ_(n<m) n qⁿ``, and ``W_(K−L)``, ``Z_(K−L)`` for the part of ``S`` carried over
    from the observed bins. One matrix product per sum instead of a scan over
    two thirds of the grid.
    """

    def __init__(self, d: np.ndarray):
        self.length = len(d)
        # reversed: bin L + t needs W_(T−t), Z_(T−t), row T − 1 − t of the cumulative sums
        self.powers = np.stack([np.ones_like(d), d, d * d])[:, ::-1]
        self.n = np.arange(self.length)[:, None]

    def sums(self, ph: np.ndarray, q: np.ndarray) -> dict[str, np.ndarray]:
        # qⁿ = (q^16)^a · q^b for n = 16a + b: two small powers and one product, not an
        # exp of every (bin, resource)
        small = q[None, :] ** np.arange(16)[:, None]
        large = (small[-1] * q)[None, :] ** np.arange(-(-self.length // 16))[:, None]
        geometric = (large[:, None, :] * small[None]).reshape(-1, len(q))[: self.length]
        w = np.cumsum(geometric, axis=0)  # row m − 1 holds W_m
        z = np.cumsum(geometric * self.n, axis=0)
        rev = ph[:, ::-1]
        hw = (rev[None] * self.powers[:, None]).reshape(-1, self.length) @ w
        return {
            "h": rev @ self.powers.T,  # (activities, 3): both reversed, the same sum
            "hw": hw.reshape(3, len(ph), len(q)),  # (power, activities, resources)
            "hz": rev @ z,
            "w_l": w[-1],
            "z_l": z[-1],
        }


def _histogram_array(hist: pd.DataFrame, pairs: pd.DataFrame, k_obs: int) -> np.ndarray:
    index = pairs.reset_index().merge(hist, on=["resource", "activity"])
    counts = np.zeros((len(pairs), k_obs))
    bins = np.clip(index["_bin"].to_numpy(dtype=np.int64), 0, k_obs - 1)
    np.add.at(counts, (index["index"].to_numpy(), bins), index["n"].to_numpy(dtype=float))
    return counts


def fit(
    hist: pd.DataFrame,
    *,
    width: float,
    cap: float,
    max_iterations: int = 500,
    tolerance: float = 1e-8,
    start: dict[str, object] | None = None,
) -> tuple[pd.DataFrame, dict[str, object]]:
    """EM fit of ``G = H + I`` on binned gaps (see the module docstring).

    Parameters
    ----------
    hist : pandas.DataFrame
        Columns ``resource``, ``activity``, ``_bin`` (``floor(gap / width)``), ``n``.
    width : float
        Bin width in seconds.
    cap : float
        Longest gap observed, in seconds.
    max_iterations : int, default=500
        EM iterations at most.
    tolerance : float, default=1e-8
        Stop when the log-likelihood changes by less than this share.
    start : dict, default=None
        The ``params`` of an earlier fit on the same resources and activities to start
        from (the bootstrap of :func:`identification`); ``None`` starts from the gaps.

    Returns
    -------
    table : pandas.DataFrame
        The rows of ``hist`` with ``share = E[H | G] / G`` in [0, 1] instead of ``n``.
    params : dict
        ``activity``, ``mu``, ``sigma`` (seconds, log scale), ``mean_h`` (seconds);
        ``resource``, ``p0``, ``idle_mean`` (seconds); ``loglik`` per iteration.
    """
    from threadpoolctl import threadpool_limits

    # the matrix products are small (activities × resources): BLAS threads would only
    # spin, 13 s of CPU for 1 s of wall on BPI 2012 (farm-bench, OPENBLAS_NUM_THREADS=1)
    with threadpool_limits(1, user_api="blas"):
        return _fit(hist, width, cap, max_iterations, tolerance, start)


def _fit(
    hist: pd.DataFrame,
    width: float,
    cap: float,
    max_iterations: int,
    tolerance: float,
    start: dict[str, object] | None,
) -> tuple[pd.DataFrame, dict[str, object]]:
    res = pd.Index(sorted(hist["resource"].unique()))
    act = pd.Index(sorted(hist["activity"].unique()))
    pairs = hist[["resource", "activity"]].drop_duplicates().reset_index(drop=True)
    pr = res.get_indexer(pairs["resource"])
    pa = act.get_indexer(pairs["activity"])
    k_obs = max(1, int(np.ceil(cap / width)))
    k_ext = int(np.ceil(EXTEND * k_obs))
    counts = _histogram_array(hist, pairs, k_obs)
    n_pair = counts.sum(1)
    centre = (np.arange(k_ext) + 0.5) * width
    edges = np.arange(k_ext + 1) * width
    edges[0] = np.finfo(float).tiny
    log_c = np.log(centre)
    if start is None:  # H a little below the gaps, half the gaps after a pause of the mean gap
        weights = np.zeros((len(act), k_obs))
        np.add.at(weights, pa, counts)
        mean_log = (weights * log_c[:k_obs]).sum(1) / weights.sum(1)
        var_log = (weights * (log_c[:k_obs] - mean_log[:, None]) ** 2).sum(1) / weights.sum(1)
        mu, sigma = mean_log - 0.3, np.maximum(np.sqrt(var_log), 0.3)
        mean_gap = (counts * centre[:k_obs]).sum(1) / n_pair
        p0 = np.full(len(res), 0.5)
        gap_r = np.bincount(pr, mean_gap) / np.bincount(pr)
        q = np.exp(-width / np.maximum(gap_r, width))
    else:
        mu, sigma = np.array(start["mu"], dtype=float), np.array(start["sigma"], dtype=float)
        p0 = np.array(start["p0"], dtype=float)
        q = np.exp(-width / np.array(start["idle_mean"], dtype=float))
    loglik: list[float] = []
    ref = float(log_c.mean())  # moments about ref: the tail's sums do not depend on μ
    d = log_c - ref
    tail = _Tail(d[k_obs:])
    powers = np.stack([np.ones(k_obs), d[:k_obs], d[:k_obs] ** 2])
    # the bins with a gap (2.6 % on BPI 2012), as (bin, pair), and their counts
    bins, pair = np.nonzero(counts.T)
    seen_n = counts.T[bins, pair]
    n_act, n_res, n_pairs = len(act), len(res), len(pairs)

    def per(index: np.ndarray, values: np.ndarray, length: int) -> np.ndarray:
        return np.bincount(index, weights=values, minlength=length)

    for _ in range(max(1, int(max_iterations))):
        ph_all = _lognormal_pmf(mu, sigma, edges)
        sums = tail.sums(ph_all[:, k_obs:], q)
        qp, p0p = q[pr], p0[pr]
        geo = (1 - p0p) * (1 - qp)
        h = np.take(np.ascontiguousarray(ph_all[:, :k_obs].T), pa, axis=1)  # (bin, pair)
        s = _scan(h, qp)
        h_seen, s_seen = h[bins, pair], s[bins, pair]
        pg_seen = np.maximum(p0p[pair] * h_seen + geo[pair] * s_seen, 1e-300)
        p_obs = np.maximum(p0p * h.sum(0) + geo * s.sum(0), 1e-12)
        ll = float(seen_n @ np.log(pg_seen)) - float(n_pair @ np.log(p_obs))
        # the expected unobserved counts above the cap, spread like P_G over the tail:
        # ratio = count / P_G is the constant rho there (_Tail)
        w_l, z_l = sums["w_l"][pr], sums["z_l"][pr]
        s_tail = qp * w_l * s[-1] + sums["hw"][0][pa, pr]
        mass = p0p * sums["h"][pa, 0] + geo * s_tail
        missing = n_pair * (1 - p_obs) / p_obs
        rho = np.where(mass > 1e-300, missing / np.maximum(mass, 1e-300), 0.0)
        ratio = seen_n / pg_seen
        # back_k = Σ_(j≥k) ratio_j q^(j−k), the tail's ρ W_(K−L) entering at the last bin
        back = np.zeros_like(h)
        back[bins, pair] = ratio
        back[-1] += qp * rho * w_l
        back = _scan(back, qp, reverse=True)
        # posterior counts of H per bin, as moments Σ count · dⁱ per pair, then activity
        point = p0p[pair] * ratio * h_seen
        moments = geo * (powers @ (h * back))
        for i in range(3):
            moments[i] += per(pair, point * powers[i, bins], n_pairs)
            moments[i] += rho * (p0p * sums["h"][pa, i] + geo * sums["hw"][i][pa, pr])
        m = np.stack([per(pa, moments[i], n_act) for i in range(3)])
        # the idle bins, for the geometric mean: with lag_k = Σ_(j<k) S_j q^(k−j),
        # Σ_k ratio_k lag_k = Σ_j S_j (back_j − ratio_j) (no third scan)
        ratio_s = per(pair, ratio * s_seen, n_pairs)
        zero = p0p * (per(pair, ratio * h_seen, n_pairs) + rho * sums["h"][pa, 0])
        geo_n = geo * (ratio_s + rho * s_tail)
        lag_tail = qp * z_l * s[-1] + sums["hz"][pa, pr]
        geo_m = geo * (np.einsum("ij,ij->j", s, back) - ratio_s + rho * lag_tail)
        zero, geo_n, geo_m = (per(pr, x, n_res) for x in (zero, geo_n, geo_m))
        new_p0 = np.clip(zero / np.maximum(zero + geo_n, 1e-300), 1e-9, 1 - 1e-9)
        m_bar = geo_m / np.maximum(geo_n, 1e-300)
        new_q = np.clip(m_bar / (1 + m_bar), 1e-12, 1 - 1e-9)
        loglik.append(ll)
        seen = m[0] > 0  # an activity without gaps (a bootstrap draw) keeps its values
        first = m[1] / np.where(seen, m[0], 1.0)
        spread = m[2] / np.where(seen, m[0], 1.0) - first**2
        mu = np.where(seen, ref + first, mu)
        sigma = np.where(seen, np.sqrt(np.maximum(spread, 1e-4)), sigma)
        p0, q = new_p0, new_q
        if len(loglik) > 1 and abs(loglik[-1] - loglik[-2]) <= tolerance * abs(loglik[-1]):
            break
    ph = _lognormal_pmf(mu, sigma, edges[: k_obs + 1])
    h = np.take(np.ascontiguousarray(ph.T), pa, axis=1)
    qp, p0p = q[pr], p0[pr]
    geo = (1 - p0p) * (1 - qp)
    c = centre[:k_obs, None]
    pg = p0p * h + geo * _scan(h, qp)
    num = p0p * h * c + geo * _scan(h * c, qp)
    share = np.clip(num / np.maximum(pg * c, 1e-300), 0.0, 1.0)
    table = table_rows(hist)
    bins = np.clip(table["_bin"].to_numpy(dtype=np.int64), 0, k_obs - 1)
    table["share"] = share[bins, table["index"].to_numpy()]
    params: dict[str, object] = {
        "activity": list(act),
        "mu": mu,
        "sigma": sigma,
        "mean_h": np.exp(mu + sigma**2 / 2),
        "resource": list(res),
        "p0": p0,
        "idle_mean": width / -np.log(q),
        "loglik": loglik,
    }
    return table[[*KEYS, "share"]], params


def table_rows(hist: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`fit`'s table: ``index`` (the pair) and ``KEYS``, in ``hist``'s
    order of pairs."""
    pairs = hist[["resource", "activity"]].drop_duplicates().reset_index(drop=True)
    return pairs.reset_index().merge(hist[KEYS], on=["resource", "activity"])


def activity_means(table: pd.DataFrame, hist: pd.DataFrame, width: float) -> pd.Series:
    """Mean posterior handling seconds per activity, ``Σ n · c · share / Σ n`` over the
    bins of ``hist`` (``c`` the bin centre): the grid value of the mean relief uses."""
    t = table.merge(hist[[*KEYS, "n"]], on=KEYS)
    t["h"] = (t["_bin"] + 0.5) * width * t["share"] * t["n"]
    g = t.groupby("activity", observed=True)[["h", "n"]].sum()
    return g["h"] / g["n"].where(g["n"] > 0)


def identification(
    hist: pd.DataFrame,
    table: pd.DataFrame,
    params: dict[str, object],
    *,
    width: float,
    cap: float,
    resamples: int = 10,
    max_iterations: int = 50,
    tolerance: float = 1e-8,
    random_state: int = 14,
) -> pd.Series:
    """How well the data pin down each activity's mean handling time: the standard
    deviation of ``log(mean_b / mean)`` over a Poisson bootstrap of the gap histogram.

    Each draw ``b`` reweights every bin count by ``n_b ~ Poisson(n)`` and refits from the
    fit's own parameters (``start``, at most ``max_iterations`` EM steps), so the spread is
    that of the estimate where the likelihood is flat: an activity whose gaps cannot
    separate handling from idle time (few gaps, staff idle most of the time, one person
    who does the step alone) gets a wide spread, a busy step a narrow one. Returned per
    activity (NaN where a draw had no gaps at all)::

        sd_a = sd_b( log(mean_ab / mean_a) ),   mean = :func:`activity_means`
    """
    base = activity_means(table, hist, width)
    rng = np.random.default_rng(random_state)
    draws = []
    for _ in range(max(2, int(resamples))):
        boot = hist.assign(n=rng.poisson(hist["n"].to_numpy(dtype=float)))
        t, _ = fit(
            boot,
            width=width,
            cap=cap,
            max_iterations=max_iterations,
            tolerance=tolerance,
            start=params,
        )
        draws.append(activity_means(t, boot, width))
    ratios = pd.concat(draws, axis=1).div(base, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(ratios).std(axis=1, ddof=1).rename("log_sd")
