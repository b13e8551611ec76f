r"""The simulation model of one log: arrivals, routing, handling, delays, resource pools.

Stage: relief (what-if simulation). Everything is estimated once from the log's events
(local wall-clock seconds since ``origin``, a Monday midnight) and the discovered model:

* **arrivals**: a case arrives when its first execution starts. The rate in hour
  :math:`h` of weekday :math:`d` of calendar week :math:`w` is
  :math:`N_w \cdot p_{d,h}` with :math:`N_w` the cases started in week :math:`w` and
  :math:`p_{d,h}` the share of all case starts falling in that weekday-hour: each run
  spreads exactly :math:`N_w` arrivals over the week's hours (multinomial with
  probabilities :math:`p_{d,h}`, uniform within the hour), so volumes, season and daily
  profile are the log's;
* **routing**: a first-order Markov chain on the directly-follows counts of
  ``analysis.model``: :math:`P(b \mid a) = \mathrm{dfg}(a, b) / (\sum_c \mathrm{dfg}(a, c)
  + \mathrm{end}(a))`, :math:`P(\mathrm{END} \mid a) = \mathrm{end}(a) / \ldots`; its
  expected visits per case equal the log's executions per case;
* **handling**: the empirical durations ``end - start`` of each activity, resampled;
* **delays** (waiting that is not queueing, e.g. for the citizen's documents): per
  execution :math:`\max(0,\ s - \mathrm{cal.next}(\max(e_{prev}, f_r), d))` with
  :math:`e_{prev}` the end of the case's previous execution, :math:`f_r` the end of the
  resource's previous execution and ``cal.next`` the first time the pool's calendar lets
  an item of duration :math:`d` start (the "extraneous delay" of Chapela-Campa & Dumas,
  2023, doi:10.1016/j.is.2023.102290, with the resource's last idle moment for
  :math:`f_r`, see :func:`_delays`); drawn per directly-follows pair from the exact
  delays (resource idle until the start), which are a sample of the delay independent
  of the queue;
* **pools (roles)**: resources clustered by their activity profiles (or the user's
  ``roles``), each activity served by the pool doing most of it; servers = mean number of
  distinct pool members active on a day the pool works; calendar from the pool's own
  start and end times of day (:func:`~rpa_candidates.whatif.calendar.discover_calendar`),
  24/7 for automated resources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core._data import load_toml
from ..core.errors import SimulationError
from .calendar import DAY, Calendar, discover_calendar

__all__ = ["Pool", "SimModel", "build_model", "whatif_defaults"]

_WEEK = 7 * DAY


def whatif_defaults() -> dict[str, float]:
    """The values of ``data/whatif.toml``."""
    return {k: e["value"] for k, e in load_toml("whatif.toml").items()}


@dataclass(frozen=True)
class Pool:
    """A resource pool (role): its size, calendar and activities."""

    name: str
    members: int
    servers: int
    calendar: Calendar
    activities: tuple[str, ...]
    automated: bool


@dataclass(frozen=True)
class SimModel:
    """Everything one simulation run needs (built by :func:`build_model`)."""

    activities: tuple[str, ...]
    start_p: np.ndarray
    trans_p: np.ndarray  # (n, n + 1), last column END
    durations: tuple[np.ndarray, ...]  # seconds per activity
    delays_edge: Mapping[tuple[int, int], np.ndarray]
    delays_act: tuple[np.ndarray, ...]
    pool_of: np.ndarray
    pools: tuple[Pool, ...]
    week_counts: np.ndarray
    profile: np.ndarray  # 168 shares, weekday * 24 + hour
    first_week: int
    window: tuple[float, float]  # first and last case start
    years: float
    origin: pd.Timestamp
    log_cycle_s: np.ndarray
    log_hours: np.ndarray  # busy hours per activity in the log


def _events(log) -> pd.DataFrame:
    df = log.df
    d = whatif_defaults()
    missing = [c for c in ("org:resource", "start_timestamp") if c not in df.columns]
    if "org:resource" in missing or df["org:resource"].notna().mean() < 0.5:
        raise SimulationError(
            "what_if needs the resource of each execution to build the pools of staff, but "
            "the log has no resource column or fewer than half of its events name one; pass "
            "resource=... to rc.read_log."
        )
    if (
        "start_timestamp" in missing
        or df["start_timestamp"].notna().mean() < d["min_duration_share"]
    ):
        raise SimulationError(
            "what_if needs start and completion times of the executions (a lifecycle log) to "
            "know the handling times and the waits; the log has start times for fewer than "
            f"{d['min_duration_share']:.0%} of its events. Pass start_timestamp=... to "
            "rc.read_log, or use the relief estimate (rc.analyze) alone."
        )
    tz = getattr(log, "tz", None) or "Europe/Berlin"  # local wall-clock time of the office
    end = df["time:timestamp"].dt.tz_convert(tz).dt.tz_localize(None)
    start = df["start_timestamp"].dt.tz_convert(tz).dt.tz_localize(None)
    midnight = (end == end.dt.normalize()).mean()
    if midnight >= d["day_granular_share"]:
        raise SimulationError(
            f"{midnight:.0%} of the log's completions lie at midnight: the log carries dates, "
            "not times of day, so waits and working hours cannot be simulated."
        )
    recorded = (end - start).dt.total_seconds().dropna()
    if recorded.median() <= d["min_median_duration_seconds"]:
        raise SimulationError(
            f"Start and completion coincide in most executions (median duration "
            f"{recorded.median():.0f} s): the log carries no handling times, so what_if cannot "
            "simulate the work; give the handling times to rc.analyze(handling_times=...) for "
            "the relief estimate instead."
        )
    origin = start.min().normalize()
    origin -= pd.Timedelta(days=int(origin.day_of_week))
    ev = pd.DataFrame(
        {
            "case": df["case:concept:name"].astype(str).to_numpy(),
            "activity": df["concept:name"].astype(str).to_numpy(),
            "resource": df["org:resource"].astype(object).to_numpy(),
            "start": (start - origin).dt.total_seconds().to_numpy(),
            "end": (end - origin).dt.total_seconds().to_numpy(),
        }
    )
    dur = ev["end"] - ev["start"]
    med = dur.groupby(ev["activity"]).transform("median").fillna(0.0)
    ev["start"] = ev["start"].fillna(ev["end"] - med)
    ev["start"] = np.minimum(ev["start"], ev["end"])
    ev["resource"] = ev["resource"].fillna("<none>")
    ev = ev.sort_values(["case", "start", "end"], kind="stable").reset_index(drop=True)
    ev.attrs["origin"] = origin
    return ev


def _pools(
    ev, automated: set[str], roles: Mapping[str, str] | None, cfg, identities: Mapping[str, str]
) -> pd.Series:
    """Role label per resource (``roles`` keyed by pseudonym or original name)."""
    resources = pd.Index(ev["resource"].unique())
    if roles is not None:
        given = {}
        for r in resources:
            key = r if r in roles else identities.get(r)
            if key in roles:
                given[r] = str(roles[key])
        unknown = [r for r in resources if r not in given]
        if unknown:
            raise SimulationError(
                f"roles names no role for {len(unknown)} resource(s), e.g. {unknown[:3]!r} "
                "(pseudonyms); give every resource of the log a role, keyed by its original "
                "name or its pseudonym."
            )
        return pd.Series(given)
    counts = pd.crosstab(ev["resource"], ev["activity"]).astype(float)
    label: dict[str, str] = {}
    for is_auto in (False, True):
        part = counts.loc[[r for r in counts.index if (r in automated) == is_auto]]
        if part.empty:
            continue
        if len(part) == 1:
            groups = np.array([1])
        else:
            from scipy.cluster.hierarchy import fcluster, linkage

            x = part.to_numpy()
            x = x / np.linalg.norm(x, axis=1, keepdims=True)
            groups = fcluster(
                linkage(x, method="average", metric="cosine"),
                t=float(cfg["pool_distance"]),
                criterion="distance",
            )
        for r, g in zip(part.index, groups, strict=True):
            label[r] = f"{'system' if is_auto else 'staff'}-{int(g)}"
    return pd.Series(label)


def _name_pools(ev: pd.DataFrame, role: pd.Series) -> pd.Series:
    """Name each cluster by its most frequent activity: ``"Rolle: <activity>"``-style."""
    r = ev["resource"].map(role)
    top = ev.groupby(r)["activity"].agg(lambda s: s.value_counts().index[0])
    size = ev.groupby(r)["activity"].nunique()
    names = {}
    for k in top.index:
        base = f"{top[k]}" + (f" (+{size[k] - 1})" if size[k] > 1 else "")
        names[k] = base if base not in names.values() else f"{base} [{k}]"
    return role.map(names)


def _delays(ev: pd.DataFrame, prev_end: np.ndarray, cals, cfg) -> tuple[np.ndarray, np.ndarray]:
    """Delay before each execution that queueing does not explain (module docstring).

    ``x``: the latest moment before ``start - tol`` at which the execution's resource was
    idle while its calendar was open; the execution cannot have been ready then (the
    resource would have taken it), so its ready time is ``R = max(e_prev, x)`` and its
    delay ``R - e_prev``. The delay is *exact* when the resource was idle until just
    before the start (``x`` is this execution's own idle moment); otherwise the resource
    was busy and the true ready time lies anywhere in ``[R, start]`` (a lower bound).
    Returns the delays and the mask of exact ones.
    """
    tol = float(cfg["idle_tolerance_seconds"])
    st, en = ev["start"].to_numpy(), ev["end"].to_numpy()
    order = np.lexsort((en, st, ev["resource"].to_numpy()))
    x = np.full(len(ev), -np.inf)
    exact = np.zeros(len(ev), dtype=bool)
    last_res, last_end, idle = None, -np.inf, -np.inf
    resources = ev["resource"].to_numpy()
    for k in order.tolist():
        r = resources[k]
        if r != last_res:
            last_res, last_end, idle = r, -np.inf, -np.inf
        t = st[k] - tol
        if t > last_end:
            cand = cals[k].last_open(t)
            if cand > last_end:
                idle = cand
                exact[k] = True
        x[k] = idle
        last_end = max(last_end, en[k])
    ready = np.fmax(prev_end, x)
    return np.where(np.isnan(prev_end), 0.0, np.maximum(ready - prev_end, 0.0)), exact


def build_model(
    analysis,
    log,
    *,
    automated_resources: set[str],
    roles: Mapping[str, str] | None = None,
) -> SimModel:
    """Build the :class:`SimModel` of ``log`` (formulas in the module docstring).

    Raises
    ------
    SimulationError
        No resources, no start times, day-granular timestamps, or no case to simulate.
    """
    cfg = whatif_defaults()
    ev = _events(log)
    origin = ev.attrs["origin"]
    acts = tuple(str(a) for a in analysis.model.activities["activity"])
    idx = {a: i for i, a in enumerate(acts)}
    n = len(acts)
    ai = ev["activity"].map(idx).to_numpy()
    if np.isnan(ai.astype(float)).any():
        raise SimulationError("analysis and log do not match: pass the log analysis was made of.")
    ai = ai.astype(int)

    # Routing.
    counts = np.zeros((n, n + 1))
    dfg = analysis.model.dfg
    counts[dfg["source"].map(idx).to_numpy(), dfg["target"].map(idx).to_numpy()] = dfg[
        "frequency"
    ].to_numpy()
    ends = analysis.model.end_activities
    counts[ends["activity"].map(idx).to_numpy(), n] = ends["count"].to_numpy()
    counts[counts.sum(axis=1) == 0, n] = 1.0
    trans_p = counts / counts.sum(axis=1, keepdims=True)
    starts = analysis.model.start_activities
    start_p = np.zeros(n)
    start_p[starts["activity"].map(idx).to_numpy()] = starts["count"].to_numpy()
    start_p /= start_p.sum()

    # Pools.
    identities = getattr(log, "_identities", {}).get("resource", {})
    role = _pools(ev, automated_resources, roles, cfg, identities)
    if roles is None:  # clusters are named after their main activity; given roles keep theirs
        role = _name_pools(ev, role)
    ev["role"] = ev["resource"].map(role)
    auto_role = {
        k: all(r in automated_resources for r in g) for k, g in role.groupby(role).groups.items()
    }
    main = ev.groupby("activity")["role"].agg(lambda s: s.value_counts().index[0])
    pool_names = sorted(ev["role"].unique())
    pools = []
    for name in pool_names:
        sub = ev[ev["role"] == name]
        day = np.floor(sub["start"] / DAY)
        cal = (
            Calendar((), 0.0, DAY, always=True)
            if auto_role[name]
            else discover_calendar(
                sub["start"].to_numpy(),
                sub["end"].to_numpy(),
                quantile=float(cfg["calendar_quantile"]),
                weekday_min_share=float(cfg["weekday_min_share"]),
            )
        )
        heads = sub.groupby(day)["resource"].nunique()
        pools.append(
            Pool(
                name=str(name),
                members=int(sub["resource"].nunique()),
                servers=max(1, round(float(heads.mean()))),
                calendar=cal,
                activities=tuple(sorted(main.index[main == name])),
                automated=bool(auto_role[name]),
            )
        )
    pool_idx = {p.name: j for j, p in enumerate(pools)}
    pool_of = np.array([pool_idx.get(main.get(a, pool_names[0]), 0) for a in acts])

    # Handling durations and delays.
    dur = (ev["end"] - ev["start"]).to_numpy()
    durations = tuple(np.maximum(dur[ai == i], 0.0) for i in range(n))
    same_case = ev["case"].to_numpy()[1:] == ev["case"].to_numpy()[:-1]
    prev_end = np.concatenate([[np.nan], np.where(same_case, ev["end"].to_numpy()[:-1], np.nan)])
    prev_act = np.concatenate([[-1], np.where(same_case, ai[:-1], -1)])
    delay, exact = _delays(ev, prev_end, [pools[pool_idx[r]].calendar for r in ev["role"]], cfg)
    has_prev = prev_act >= 0
    least = int(cfg["min_edge_delays"])

    def sample(d: np.ndarray, ok: np.ndarray) -> np.ndarray:
        # the exact delays where there are enough of them, else all (lower bounds included)
        return d[ok] if ok.sum() >= least else d

    delays_act = tuple(
        sample(delay[has_prev & (ai == i)], exact[has_prev & (ai == i)]) for i in range(n)
    )
    frame = pd.DataFrame(
        {"p": prev_act[has_prev], "a": ai[has_prev], "d": delay[has_prev], "x": exact[has_prev]}
    )
    delays_edge = {
        (int(p), int(a)): sample(g["d"].to_numpy(), g["x"].to_numpy())
        for (p, a), g in frame.groupby(["p", "a"])
        if len(g) >= least
    }

    # Arrivals.
    case_start = ev.groupby("case")["start"].min().to_numpy()
    if case_start.size < 2:
        raise SimulationError("what_if needs at least two cases to estimate the arrivals.")
    week = np.floor(case_start / _WEEK).astype(int)
    first_week = int(week.min())
    week_counts = np.bincount(week - first_week).astype(float)
    how = ((case_start % _WEEK) // 3600).astype(int)
    profile = np.bincount(how, minlength=168).astype(float)
    profile /= profile.sum()
    window = (float(case_start.min()), float(case_start.max()))
    years = max(window[1] - window[0], DAY) / (365.25 * DAY)
    cycle = (ev.groupby("case")["end"].max() - ev.groupby("case")["start"].min()).to_numpy()
    log_hours = np.bincount(ai, weights=np.maximum(dur, 0), minlength=n) / 3600.0
    return SimModel(
        activities=acts,
        start_p=start_p,
        trans_p=trans_p,
        durations=durations,
        delays_edge=delays_edge,
        delays_act=delays_act,
        pool_of=pool_of,
        pools=tuple(pools),
        week_counts=week_counts,
        profile=profile,
        first_week=first_week,
        window=window,
        years=years,
        origin=origin,
        log_cycle_s=cycle,
        log_hours=log_hours,
    )
