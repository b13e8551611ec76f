"""Volume indicators: how often an activity is executed, in how many cases, per year.

Annualisation divides by the observation period in years, ``T = R·(n+1)/(n−1) / 365.25``
with ``R`` the range of the ``n`` case starts in days, at least one day
(:mod:`rpa_candidates.core.annualise`); a log shorter than a year is extrapolated and
``log.quality`` warns about it.
"""

from __future__ import annotations

import narwhals as nw

from ._registry import Context, indicator

_VOLUME = (
    "Leshob, A., Bourgouin, A., Renard, L. (2018): Towards a Process Analysis Approach to "
    "Adopt Robotic Process Automation, IEEE ICEBE, doi:10.1109/ICEBE.2018.00018; "
    "Wanner, J. et al. (2019): Process Selection in RPA Projects, ICIS"
)


@indicator(family="volume", source=_VOLUME)
def executions(ctx: Context) -> nw.Expr:
    """Executions (activity instances) of the activity in the log.

    Formula: n_a = |{e : act(e) = a}|
    Unit: executions
    Direction: +
    """
    return nw.len()


@indicator(family="volume", source=_VOLUME)
def cases(ctx: Context) -> nw.Expr:
    """Distinct cases in which the activity occurs.

    Formula: c_a = |{case(e) : act(e) = a}|
    Unit: cases
    Direction: +
    """
    return nw.col("case_id").n_unique()


@indicator(family="volume", source=_VOLUME)
def executions_per_year(ctx: Context) -> nw.Expr:
    """Executions annualised over the log's span.

    Formula: n_a / T, T = max(R·(n+1)/(n−1), 1 day) / 365.25, R = range of case starts
    Unit: executions/year
    Direction: +
    """
    return nw.len() / ctx.span_years


@indicator(family="volume", source=_VOLUME)
def cases_per_year(ctx: Context) -> nw.Expr:
    """Cases with the activity, annualised over the log's span.

    Formula: c_a / T, T = max(R·(n+1)/(n−1), 1 day) / 365.25, R = range of case starts
    Unit: cases/year
    Direction: +
    """
    return nw.col("case_id").n_unique() / ctx.span_years


@indicator(family="volume", source=_VOLUME)
def case_share(ctx: Context) -> nw.Expr:
    """Share of all cases in which the activity occurs.

    Formula: c_a / |cases|
    Unit: share 0..1
    Direction: +
    """
    return nw.col("case_id").n_unique() / max(ctx.n_cases, 1)


@indicator(family="volume", source=_VOLUME)
def executions_per_case(ctx: Context) -> nw.Expr:
    """Mean executions per case that contains the activity.

    Formula: n_a / c_a
    Unit: executions/case
    Direction: 0
    """
    return nw.len() / nw.col("case_id").n_unique()
