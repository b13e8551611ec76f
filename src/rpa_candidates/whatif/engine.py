"""One simulation run of a :class:`~rpa_candidates.whatif.model.SimModel` on SimPy.

Stage: relief (what-if simulation). SimPy (https://simpy.readthedocs.io) is the
discrete-event kernel; this module only describes a case as a SimPy process:

1. the case arrives (its first step is ready at once);
2. before each later step it waits the step's delay (not queueing: e.g. the citizen);
3. if the step is automated and the bot takes this execution (probability ``share``), it
   queues for the bot (24/7, ``bot_seconds`` per execution); the bot fails with
   probability ``1 - success`` and the execution goes back to the human pool;
4. a human execution queues first in, first out for a server of the step's pool (a
   counter of idle servers and a line of waiting SimPy events), then
   waits until the pool's calendar lets it start so that it ends within the working
   window, and holds the server for its handling time.

All random draws of a run are made up front (:func:`plan`), so the scenarios of one run
share arrivals, paths, handling times and delays (common random numbers): the difference
between scenarios is the effect of the bot, not of sampling.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from .calendar import DAY
from .model import SimModel

__all__ = ["Plan", "plan", "run"]


@dataclass(frozen=True)
class Plan:
    """The random draws of one run."""

    arrival: np.ndarray  # per case, seconds
    offsets: np.ndarray  # steps of case c: offsets[c]:offsets[c + 1]
    act: np.ndarray  # activity index per step
    duration: np.ndarray  # human handling seconds per step
    delay: np.ndarray  # delay before the step, seconds (0 for first steps)
    u_bot: np.ndarray
    u_ok: np.ndarray
    truncated: int  # cases ended at max_steps


def _arrivals(model: SimModel, rng: np.random.Generator) -> np.ndarray:
    lo, hi = model.window
    slot = np.arange(168)
    times = []
    for w, count in enumerate(model.week_counts):
        if count <= 0:
            continue
        t0 = (model.first_week + w) * 7 * DAY + slot * 3600.0
        inside = (t0 + 3600.0 > lo) & (t0 <= hi)
        mass = model.profile[inside].sum()
        if mass <= 0:
            continue
        k = rng.multinomial(int(count), model.profile[inside] / mass)
        t = np.repeat(t0[inside], k) + rng.random(int(k.sum())) * 3600.0
        times.append(t[(t >= lo) & (t <= hi)])
    out = np.sort(np.concatenate(times)) if times else np.array([lo])
    return out if out.size else np.array([lo])


def plan(model: SimModel, rng: np.random.Generator, max_steps: int) -> Plan:
    """Draw arrivals, paths (Markov chain), handling times and delays of one run."""
    arrival = _arrivals(model, rng)
    n = len(model.activities)
    cum_start = np.cumsum(model.start_p)
    cum = np.cumsum(model.trans_p, axis=1)
    acts: list[int] = []
    lengths = np.zeros(arrival.size, dtype=np.int64)
    truncated = 0
    first = np.searchsorted(cum_start, rng.random(arrival.size), side="right")
    for c in range(arrival.size):
        a = min(int(first[c]), n - 1)
        k = 0
        while a < n:
            acts.append(a)
            k += 1
            if k >= max_steps:
                truncated += 1
                break
            a = int(np.searchsorted(cum[a], rng.random(), side="right"))
        lengths[c] = k
    act = np.array(acts, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    duration = np.zeros(act.size)
    for i in range(n):
        at = np.flatnonzero(act == i)
        pool = model.durations[i]
        if at.size and pool.size:
            duration[at] = pool[rng.integers(0, pool.size, at.size)]
    delay = np.zeros(act.size)
    prev = np.full(act.size, -1)
    is_first = np.zeros(act.size, dtype=bool)
    is_first[offsets[:-1][lengths > 0]] = True
    prev[1:] = act[:-1]
    prev[is_first] = -1
    for p in range(n):
        for i in range(n):
            at = np.flatnonzero((prev == p) & (act == i))
            if not at.size:
                continue
            pool = model.delays_edge.get((p, i), model.delays_act[i])
            if pool.size:
                delay[at] = pool[rng.integers(0, pool.size, at.size)]
    return Plan(
        arrival=arrival,
        offsets=offsets,
        act=act,
        duration=duration,
        delay=delay,
        u_bot=rng.random(act.size),
        u_ok=rng.random(act.size),
        truncated=truncated,
    )


def run(
    model: SimModel, p: Plan, share: np.ndarray, *, bot_seconds: float, success: float
) -> dict[str, np.ndarray]:
    """Simulate one scenario on the draws ``p``.

    ``share[i]``: probability that the bot takes an execution of activity ``i`` (0: not
    automated). Returns per step ``ready`` (end of the case's previous step, or the
    arrival), ``start``, ``end`` (seconds), ``human_s``, ``bot_s`` (handling seconds).
    """
    import simpy

    env = simpy.Environment()
    free = [pool.servers for pool in model.pools]  # idle servers per pool
    queue: list[deque] = [deque() for _ in model.pools]  # waiting items, first in first out
    cals = [pool.calendar for pool in model.pools]
    bots = {int(i): simpy.Resource(env, capacity=1) for i in np.flatnonzero(share > 0)}
    m = p.act.size
    ready, start, end = np.zeros(m), np.zeros(m), np.zeros(m)
    human_s, bot_s = np.zeros(m), np.zeros(m)
    act, dur, delay = p.act.tolist(), p.duration.tolist(), p.delay.tolist()
    u_bot, u_ok = p.u_bot.tolist(), p.u_ok.tolist()
    pool_of = model.pool_of.tolist()
    share_l = share.tolist()

    def case(lo: int, hi: int):
        prev_end = env.now
        for k in range(lo, hi):
            a = act[k]
            if k > lo and delay[k] > 0:
                yield env.timeout(delay[k])
            began = None
            human = True
            if share_l[a] > 0 and u_bot[k] < share_l[a]:
                with bots[a].request() as req:
                    yield req
                    began = env.now
                    yield env.timeout(bot_seconds)
                bot_s[k] = bot_seconds
                human = u_ok[k] >= success
            if human:
                # A pool of servers on SimPy events: take an idle server, or wait in line
                # until a finishing item hands its server over (same order as
                # simpy.Resource, without its request and release events).
                j, d = pool_of[a], dur[k]
                if free[j]:
                    free[j] -= 1
                else:
                    turn = env.event()
                    queue[j].append(turn)
                    yield turn
                s = cals[j].next_start(env.now, d)
                if began is None:
                    began = s
                yield env.timeout(s - env.now + d)  # closed hours, then the work
                if queue[j]:
                    queue[j].popleft().succeed()
                else:
                    free[j] += 1
                human_s[k] = d
            ready[k], start[k], end[k] = prev_end, began, env.now
            prev_end = env.now

    def source():
        off = p.offsets.tolist()
        for c, t in enumerate(p.arrival.tolist()):
            if t > env.now:
                yield env.timeout(t - env.now)
            if off[c + 1] > off[c]:
                env.process(case(off[c], off[c + 1]))

    env.process(source())
    env.run()
    return {"ready": ready, "start": start, "end": end, "human_s": human_s, "bot_s": bot_s}
