"""The simulation engine: routing, handling times, staff calendars, a discrete-event loop.

Time inside the engine is integer milliseconds of local wall-clock time (Europe/Berlin)
since midnight of the start day; it is localised only when the events table is built.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import deque
from typing import Literal

import numpy as np
import pandas as pd

from rpa_candidates.core.errors import ParameterError
from rpa_candidates.synth.names import opaque_ids, staff_names
from rpa_candidates.synth.processes import PROCESSES
from rpa_candidates.synth.result import SimulatedLog, build_truth
from rpa_candidates.synth.routing import compile_routes, route
from rpa_candidates.synth.spec import WAITS, ProcessSpec
from rpa_candidates.synth.workdays import workday_mask

__all__ = ["simulate"]

_DAY = 86_400_000
_HOUR = 3_600_000
_MIN = 60_000
# Office hours of a German Amt: core 07:30-16:00 (flexitime, Gleitzeit), shifted per
# person by up to -30/+45 min; one item never exceeds _MAX_HANDLING so it always fits a day.
_OFFICE_START = 7 * _HOUR + 30 * _MIN
_OFFICE_END = 16 * _HOUR
_MAX_HANDLING = 6 * _HOUR
_TZ = "Europe/Berlin"


def _check_args(
    process: str | ProcessSpec, n_cases: int, days: int, resource_names: str
) -> ProcessSpec:
    if isinstance(process, ProcessSpec):
        spec = process
    elif process in PROCESSES:
        spec = PROCESSES[process]
    else:
        raise ParameterError(f"Unknown process {process!r}; expected one of {sorted(PROCESSES)!r}.")
    if not isinstance(n_cases, int | np.integer) or n_cases < 1:
        raise ParameterError(f"n_cases must be a positive integer, got {n_cases!r}.")
    if not isinstance(days, int | np.integer) or days < 1:
        raise ParameterError(f"days must be a positive integer, got {days!r}.")
    if resource_names not in ("realistic", "opaque"):
        raise ParameterError(
            f"Unknown resource_names {resource_names!r}; expected one of ['opaque', 'realistic']."
        )
    return spec


def simulate(
    process: str | ProcessSpec,
    *,
    n_cases: int = 500,
    seed: int = 0,
    start: str | dt.date = "2025-01-06",
    days: int = 365,
    resource_names: Literal["realistic", "opaque"] = "realistic",
) -> SimulatedLog:
    """Simulate an event log of a German municipal process with known ground truth.

    Cases arrive on Hessian working days during office hours, spread uniformly over
    ``days`` calendar days. Each case walks the process's transitions (random branches for
    rework and exceptions, deterministic decision rules on the case attributes). Staff
    pools, sized so that they are busy ``Role.utilisation`` of their office hours, take
    ready items first in, first out and work them back to back; a person only starts an
    item that fits before the end of their working day. System users work instantly at any
    hour; batch users run every night and stamp the whole run with one timestamp.

    Parameters
    ----------
    process : str or ProcessSpec
        A key of :data:`PROCESSES` (``"wohngeld"``, ``"gewerbeanmeldung"``,
        ``"eingangsrechnung"``, ``"bewohnerparken"``) or an own :class:`ProcessSpec`.
    n_cases : int, default=500
        Number of cases.
    seed : int, default=0
        Seed of the :class:`numpy.random.Generator`; the same arguments give identical logs.
    start : str or datetime.date, default="2025-01-06"
        First day of arrivals (ISO date).
    days : int, default=365
        Arrival period in calendar days; work on late cases continues after it.
    resource_names : {"realistic", "opaque"}, default="realistic"
        ``"realistic"``: German staff names such as ``"Sabine Müller"`` and readable system
        users (``"batch_druckstrasse"``); ``"opaque"``: ids like ``"u7f3a"`` for everyone.

    Returns
    -------
    SimulatedLog
        ``.events`` (columns ``case_id``, ``activity``, ``resource``, ``start``, ``end``,
        then the case attributes), ``.truth`` (one row per activity), ``.cases``,
        ``.staff`` and the writers ``write_csv``, ``write_xes``, ``write_parquet``.

    Raises
    ------
    ParameterError
        Unknown process, non-positive ``n_cases`` or ``days``, unknown ``resource_names``.

    Examples
    --------
    >>> from rpa_candidates import synth
    >>> log = synth.simulate("wohngeld", n_cases=50, seed=1)
    >>> log.events.columns[:5].tolist()
    ['case_id', 'activity', 'resource', 'start', 'end']
    >>> bool(log.truth["executions"].sum() == len(log.events))
    True
    """
    spec = _check_args(process, n_cases, days, resource_names)
    try:
        first = pd.Timestamp(start).date()
    except (TypeError, ValueError) as err:
        raise ParameterError(
            f"start must be an ISO date like '2025-01-06', got {start!r}."
        ) from err
    n = int(n_cases)
    rng = np.random.default_rng(seed)
    workday = workday_mask(first, int(days) + 1500)
    arrival_days = np.flatnonzero(workday[:days])
    if arrival_days.size == 0:
        raise ParameterError(
            f"No working day between {first} and {days} days later; increase days."
        )

    attrs = spec.attributes(rng, n).reset_index(drop=True)
    arrival = np.sort(
        rng.choice(arrival_days, n) * _DAY
        + rng.integers(_OFFICE_START, _OFFICE_END, n) // 1000 * 1000
    )
    probs, conds, values = compile_routes(spec, attrs)
    acts, trans, lengths = route(rng, n, probs, conds, values)
    if (lengths == 0).any():
        raise ParameterError(f"Process {spec.name!r} lets a case end before its first activity.")

    # Handling and waiting times, vectorised over all steps.
    role_of = {r.name: j for j, r in enumerate(spec.roles)}
    act_role = np.array([role_of[a.role] for a in spec.activities])
    kind_code = {"staff": 0, "system": 1, "batch": 2}
    role_kind = np.array([kind_code[r.kind] for r in spec.roles])
    med = np.array([a.median_minutes for a in spec.activities], dtype=float)
    sig = np.array([a.sigma for a in spec.activities], dtype=float)
    step_kind = role_kind[act_role[acts]]
    human = np.exp(np.log(np.maximum(med[acts], 1e-9)) + sig[acts] * rng.standard_normal(acts.size))
    dur = np.clip(np.rint(human * 60), 1, _MAX_HANDLING // 1000).astype(np.int64) * 1000
    dur = np.where(step_kind == 1, rng.integers(50, 900, acts.size), dur)
    dur = np.where(step_kind == 2, 0, dur)
    wait_keys = list(WAITS)
    wait_of = np.array([wait_keys.index(t.wait) for t in spec.transitions])[trans]
    wmed = np.array([WAITS[k][0] for k in wait_keys])[wait_of]
    wsig = np.array([WAITS[k][1] for k in wait_keys])[wait_of]
    wait = (
        np.rint(wmed * 60 * np.exp(wsig * rng.standard_normal(acts.size))).astype(np.int64) * 1000
    )

    # Staff: individual office hours, pool size from the realised workload.
    n_workdays = int(workday[:days].sum())
    pools: list[list[int]] = []
    staff_role: list[int] = []
    for j, role in enumerate(spec.roles):
        if role.is_system:
            size = 1
        else:
            hours = dur[act_role[acts] == j].sum() / _HOUR
            capacity = n_workdays * (_OFFICE_END - _OFFICE_START) / _HOUR * role.utilisation
            size = max(1, int(np.ceil(hours / capacity)))
        pools.append(list(range(len(staff_role), len(staff_role) + size)))
        staff_role.extend([j] * size)
    n_staff = len(staff_role)
    shift = np.clip(np.rint(rng.normal(0, 15, n_staff) / 5) * 5, -30, 45).astype(np.int64) * _MIN
    length = rng.choice([-30, -15, 0, 0, 15], n_staff) * _MIN
    ws = (_OFFICE_START + shift).tolist()
    we = (_OFFICE_END + shift + length).tolist()
    is_system = [spec.roles[j].is_system for j in staff_role]
    if resource_names == "realistic":
        people = iter(staff_names(rng, n_staff - sum(is_system)))
        names = [
            spec.roles[j].name if s else next(people)
            for j, s in zip(staff_role, is_system, strict=True)
        ]
    else:
        names = opaque_ids(rng, n_staff)

    batch_at = [
        int(r.batch_time[:2]) * _HOUR + int(r.batch_time[3:5]) * _MIN if r.kind == "batch" else 0
        for r in spec.roles
    ]
    starts, ends, who = _run(
        arrival,
        lengths,
        acts,
        dur,
        wait,
        act_role,
        step_kind,
        pools,
        staff_role,
        ws,
        we,
        workday,
        batch_at,
    )

    case_idx = np.repeat(np.arange(n), lengths)
    order = np.lexsort((starts, case_idx))
    events = _events_frame(
        spec, first, arrival, attrs, case_idx, acts, who, names, starts, ends, order
    )
    staff = pd.DataFrame(
        {
            "resource": names,
            "role": [spec.roles[j].name for j in staff_role],
            "system": is_system,
            "work_start": [
                None if s else f"{a // _HOUR:02d}:{a % _HOUR // _MIN:02d}"
                for a, s in zip(ws, is_system, strict=True)
            ],
            "work_end": [
                None if s else f"{b // _HOUR:02d}:{b % _HOUR // _MIN:02d}"
                for b, s in zip(we, is_system, strict=True)
            ],
            "busy_hours": np.bincount(
                who, weights=np.where(step_kind == 0, dur, 0), minlength=n_staff
            )
            / _HOUR,
        }
    )
    truth = build_truth(spec, acts, case_idx, dur, step_kind)
    cases = events.drop_duplicates("case_id")[
        ["case_id", *[c for c in attrs.columns if not c.startswith("_")]]
    ]
    return SimulatedLog(
        events=events,
        truth=truth,
        cases=cases.reset_index(drop=True),
        staff=staff,
        process=spec.name,
        seed=seed,
        n_cases=n,
        spec=spec,
    )


def _run(
    arrival,
    lengths,
    acts,
    dur,
    wait,
    act_role,
    step_kind,
    pools,
    staff_role,
    ws,
    we,
    workday,
    batch_at,
):
    """Discrete-event loop. Heap keys are ints ``time << shift | code``; code ``2*i`` means
    step ``i`` becomes ready, ``2*s + 1`` means staff member ``s`` becomes free."""
    n_steps = int(acts.size)
    first = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    last = np.zeros(n_steps, dtype=bool)
    last[np.cumsum(lengths) - 1] = True
    last = last.tolist()
    kind = step_kind.tolist()
    role = act_role[acts].tolist()
    dur_l = dur.tolist()
    wait_l = wait.tolist()
    workday = workday.tolist()
    sh = (2 * max(n_steps, len(staff_role)) + 2).bit_length()
    mask = (1 << sh) - 1
    heap = [(int(t) << sh) | (2 * int(i)) for t, i in zip(arrival, first, strict=True)]
    heapq.heapify(heap)
    push, pop = heapq.heappush, heapq.heappop
    queues = [deque() for _ in pools]
    idle = [list(p) for p in pools]
    system_of = [p[0] for p in pools]
    starts = [0] * n_steps
    ends = [0] * n_steps
    who = [0] * n_steps
    day_ms = _DAY

    def begin(s: int, t: int, d: int) -> int:
        t = -(-t // 1000) * 1000  # people work in whole seconds
        day = t // day_ms
        a, b = ws[s], we[s]
        if workday[day]:
            sec = t - day * day_ms
            if sec < a:
                sec = a
            if sec + d <= b:
                return day * day_ms + sec
        day += 1
        while not workday[day]:
            day += 1
        return day * day_ms + a

    while heap:
        key = pop(heap)
        t = key >> sh
        code = key & mask
        if code & 1:  # a staff member is free
            s = code >> 1
            q = queues[staff_role[s]]
            if not q:
                idle[staff_role[s]].append(s)
                continue
            i = q.popleft()
        else:  # step i is ready
            i = code >> 1
            k = kind[i]
            if k:
                if k == 1:
                    st, en = t, t + dur_l[i]
                else:
                    st = (t // day_ms) * day_ms + batch_at[role[i]]
                    if st < t:
                        st += day_ms
                    en = st
                starts[i], ends[i], who[i] = st, en, system_of[role[i]]
                if not last[i]:
                    push(heap, ((en + wait_l[i + 1]) << sh) | (2 * i + 2))
                continue
            r = role[i]
            free = idle[r]
            if not free:
                queues[r].append(i)
                continue
            d = dur_l[i]
            best, s = None, free[0]
            for cand in free:
                b = begin(cand, t, d)
                if best is None or b < best:
                    best, s = b, cand
            free.remove(s)
        d = dur_l[i]
        st = begin(s, t, d)
        en = st + d
        starts[i], ends[i], who[i] = st, en, s
        push(heap, (en << sh) | (2 * s + 1))
        if not last[i]:
            push(heap, ((en + wait_l[i + 1]) << sh) | (2 * i + 2))
    return (
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        np.array(who, dtype=np.int64),
    )


def _localize(first: dt.date, ms: np.ndarray) -> pd.DatetimeIndex:
    naive = pd.DatetimeIndex(np.datetime64(first, "ms") + ms.astype("timedelta64[ms]"))
    return naive.tz_localize(
        _TZ, ambiguous=np.ones(ms.size, dtype=bool), nonexistent="shift_forward"
    )


def _events_frame(spec, first, arrival, attrs, case_idx, acts, who, names, starts, ends, order):
    n = len(arrival)
    arrival_day = np.datetime64(first, "D") + (arrival // _DAY).astype("timedelta64[D]")
    years = arrival_day.astype("datetime64[Y]").astype(np.int64) + 1970
    new_year = np.concatenate([[True], years[1:] != years[:-1]])
    group_start = np.maximum.accumulate(np.where(new_year, np.arange(n), 0))
    seq = np.arange(n) - group_start + 1
    ids = np.array(
        [f"{spec.case_prefix}-{y}-{s:06d}" for y, s in zip(years, seq, strict=True)], dtype=object
    )
    ci = case_idx[order]
    frame = {
        "case_id": ids[ci],
        "activity": np.array([a.name for a in spec.activities], dtype=object)[acts[order]],
        "resource": np.array(names, dtype=object)[who[order]],
        "start": _localize(first, starts[order]),
        "end": _localize(first, ends[order]),
    }
    for col in attrs.columns:
        if not col.startswith("_"):
            frame[col] = attrs[col].to_numpy()[ci]
    return pd.DataFrame(frame)
