"""The economic assumptions of the relief estimate, each default with its source.

:class:`Assumptions` reads every default from ``data/rates.toml`` (value, unit, source,
year, verify) and prints them with :meth:`Assumptions.sources` for the report. The formula
that uses them: :mod:`rpa_candidates.relief`; definitions: ``docs/relief.md``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core._data import load_toml
from ..core.errors import ParameterError

__all__ = ["PAY_GROUPS", "Assumptions"]

PAY_GROUPS = ("mittel", "gehoben", "hoeher", "durchschnitt")
_USER = "set by the user"


def _default(name: str) -> Any:
    return load_toml("rates.toml")[name]["value"]


def _default_rates() -> dict[str, float]:
    return {g: float(e["value"]) for g, e in load_toml("rates.toml")["pay_rates"].items()}


@dataclass(frozen=True)
class Assumptions:
    """Every economic assumption of the relief estimate; defaults from ``data/rates.toml``.

    Change a value with ``dataclasses.replace(rc.Assumptions(), pay_group="gehoben")`` or
    ``rc.Assumptions(bot_success_rate=0.7)``; ``sources()`` lists each value with its
    source, year and what to verify, for the report.

    Parameters
    ----------
    hourly_rate_eur : float or None, default=None
        Personnel cost per hour for every activity without an entry in ``pay_groups``;
        ``None`` takes the rate of ``pay_group``.
    pay_group : {"mittel", "gehoben", "hoeher", "durchschnitt"}, default="durchschnitt"
        Pay group of the Destatis Lohnkostentabelle Verwaltung (municipalities, 2025):
        einfacher+mittlerer Dienst 25.50, gehobener 42.20, höherer 70.40, average 40.70
        EUR/h.
    pay_groups : mapping, default={}
        Activity -> pay group, for steps done by another pay group.
    pay_rates : mapping, default=the Lohnkostentabelle
        Pay group -> EUR/h; replace it for a newer edition or local rates.
    hours_per_fte : float, default=1600
        Hours of one full-time equivalent (Destatis: 1 MAK = 200 days × 8 h).
    full_cost : bool, default=False
        ``relief_eur_per_year`` as full cost (KGSt) instead of personnel cost only.
    full_cost_hours_per_fte : float, default=1590
        KGSt net annual hours (39-h week; 1631 for 40 h), basis of the workplace cost per hour.
    workplace_cost_eur : float, default=9700
        KGSt flat cost of an office workplace per year.
    overhead_share : float, default=0.20
        KGSt overhead surcharge on personnel cost.
    bot_success_rate : float, default=0.8
        Share of standard executions a bot completes without human help.
    bot_handling_seconds : float, default=120
        Run time of the bot per execution (what-if simulation, ``rpa_candidates.whatif``).
    bot_run_cost_eur_per_year : float, default=5000
        Licence share, operation and maintenance per automated step and year.
    bot_build_cost_eur : float, default=15000
        Building one bot for one step.
    payback_horizon_months : float, default=24
        Decision horizon: the break-even volume is the one at which a bot pays back
        within it (:mod:`rpa_candidates.relief.breakeven`).
    shared_bot_overhead_eur_per_year : float, default=1000
        Yearly coordination cost of a shared bot per additional town.
    shared_bot_onboarding_eur : float, default=3000
        One-off cost of adapting a shared bot to each additional town.
    bootstrap_resamples : int, default=400
        Case resamples for the interval, at least 200.
    bootstrap_groups : int, default=4096
        Above this many cases, cases are pooled into this many groups for the bootstrap
        (``rpa_candidates.relief.bootstrap``); at least 500.
    confidence : float, default=0.90
        Level of the interval ``[relief_hours_low, relief_hours_high]``.
    random_state : int, default=0
        Seed of the bootstrap.

    Raises
    ------
    ParameterError
        A value outside its range, or an unknown pay group.

    Examples
    --------
    >>> from rpa_candidates.relief import Assumptions
    >>> a = Assumptions(pay_groups={"Antrag erfassen": "mittel"})
    >>> a.rate("Antrag erfassen"), a.rate("Bescheid erstellen")
    (25.5, 40.7)
    >>> Assumptions.sources().set_index("field").loc["hours_per_fte", "value"]
    1600
    """

    hourly_rate_eur: float | None = None
    pay_group: str = field(default_factory=lambda: str(_default("pay_group")))
    pay_groups: Mapping[str, str] = field(default_factory=dict, hash=False)
    pay_rates: Mapping[str, float] = field(default_factory=_default_rates, hash=False)
    hours_per_fte: float = field(default_factory=lambda: _default("hours_per_fte"))
    full_cost: bool = field(default_factory=lambda: bool(_default("full_cost")))
    full_cost_hours_per_fte: float = field(
        default_factory=lambda: _default("full_cost_hours_per_fte")
    )
    workplace_cost_eur: float = field(default_factory=lambda: _default("workplace_cost_eur"))
    overhead_share: float = field(default_factory=lambda: _default("overhead_share"))
    bot_success_rate: float = field(default_factory=lambda: _default("bot_success_rate"))
    bot_handling_seconds: float = field(default_factory=lambda: _default("bot_handling_seconds"))
    bot_run_cost_eur_per_year: float = field(
        default_factory=lambda: _default("bot_run_cost_eur_per_year")
    )
    bot_build_cost_eur: float = field(default_factory=lambda: _default("bot_build_cost_eur"))
    payback_horizon_months: float = field(
        default_factory=lambda: _default("payback_horizon_months")
    )
    shared_bot_overhead_eur_per_year: float = field(
        default_factory=lambda: _default("shared_bot_overhead_eur_per_year")
    )
    shared_bot_onboarding_eur: float = field(
        default_factory=lambda: _default("shared_bot_onboarding_eur")
    )
    bootstrap_resamples: int = field(default_factory=lambda: int(_default("bootstrap_resamples")))
    bootstrap_groups: int = field(default_factory=lambda: int(_default("bootstrap_groups")))
    confidence: float = field(default_factory=lambda: _default("confidence"))
    random_state: int = field(default_factory=lambda: int(_default("random_state")))

    def __post_init__(self) -> None:
        def number(name: str, low: float, high: float = np.inf, *, open_low: bool = False):
            value = getattr(self, name)
            ok = isinstance(value, int | float | np.number) and not isinstance(value, bool)
            ok = ok and np.isfinite(value) and (low < value if open_low else low <= value)
            if not ok or value > high:
                raise ParameterError(
                    f"{name}={value!r} is not a number in {'(' if open_low else '['}{low}, "
                    f"{high}]; pass e.g. {name}={_default(name)!r} (data/rates.toml)."
                )

        for name in ("hours_per_fte", "full_cost_hours_per_fte"):
            number(name, 0, open_low=True)
        for name in ("workplace_cost_eur", "overhead_share"):
            number(name, 0)
        for name in (
            "bot_run_cost_eur_per_year",
            "bot_build_cost_eur",
            "shared_bot_overhead_eur_per_year",
            "shared_bot_onboarding_eur",
        ):
            number(name, 0)
        number("payback_horizon_months", 0, open_low=True)
        number("bot_success_rate", 0, 1)
        number("bot_handling_seconds", 0)
        number("confidence", 0, 1, open_low=True)
        if self.confidence >= 1:
            raise ParameterError(f"confidence={self.confidence!r} must be below 1, e.g. 0.9.")
        if self.hourly_rate_eur is not None:
            number("hourly_rate_eur", 0)
        resamples = self.bootstrap_resamples
        if isinstance(resamples, bool) or not isinstance(resamples, int | np.integer):
            raise ParameterError(f"bootstrap_resamples={resamples!r} must be an integer >= 200.")
        if resamples < 200:
            raise ParameterError(
                f"bootstrap_resamples={resamples!r} is too few for a percentile interval; "
                "pass at least 200 (default 400)."
            )
        groups = self.bootstrap_groups
        if isinstance(groups, bool) or not isinstance(groups, int | np.integer) or groups < 500:
            raise ParameterError(
                f"bootstrap_groups={groups!r} must be an integer >= 500 (default 4096); fewer "
                "groups make the interval's width itself uncertain."
            )
        if not isinstance(self.random_state, int | np.integer) or isinstance(
            self.random_state, bool
        ):
            raise ParameterError(f"random_state={self.random_state!r} must be an integer.")
        if not isinstance(self.full_cost, bool | np.bool_):
            raise ParameterError(f"full_cost={self.full_cost!r} must be True or False.")
        rates = dict(self.pay_rates)
        for group, rate in rates.items():
            if isinstance(rate, bool) or not isinstance(rate, int | float) or rate < 0:
                raise ParameterError(
                    f"pay_rates[{group!r}]={rate!r} is not a rate in EUR/h >= 0; "
                    "pass e.g. pay_rates={'gehoben': 42.2, ...}."
                )
        groups = {"pay_group": self.pay_group} | {
            f"pay_groups[{a!r}]": g for a, g in dict(self.pay_groups).items()
        }
        for name, group in groups.items():
            if group not in rates:
                raise ParameterError(
                    f"{name}={group!r} is not a pay group; expected one of {sorted(rates)!r}."
                )
        object.__setattr__(self, "pay_groups", dict(self.pay_groups))
        object.__setattr__(self, "pay_rates", {g: float(r) for g, r in rates.items()})

    def pay_group_of(self, activity: str) -> str | None:
        """The pay group used for ``activity`` (None when ``hourly_rate_eur`` applies)."""
        if activity in self.pay_groups:
            return self.pay_groups[activity]
        return None if self.hourly_rate_eur is not None else self.pay_group

    def rate(self, activity: str) -> float:
        """Personnel cost per hour of ``activity`` in EUR (pay group or ``hourly_rate_eur``)."""
        group = self.pay_group_of(activity)
        return float(self.hourly_rate_eur) if group is None else self.pay_rates[group]

    def full_cost_rate(self, activity: str) -> float:
        """Full cost per hour: ``rate · (1 + overhead_share) + workplace_cost_eur /
        full_cost_hours_per_fte`` (KGSt)."""
        return (
            self.rate(activity) * (1.0 + self.overhead_share)
            + self.workplace_cost_eur / self.full_cost_hours_per_fte
        )

    def sources(self: Assumptions | None = None) -> pd.DataFrame:  # type: ignore[misc]
        """Each assumption with its value, unit, source, year and verify note.

        Callable on the class (the defaults) or on an instance (its values; a value that
        differs from the default has the source ``"set by the user"``).

        Returns
        -------
        pandas.DataFrame
            Columns ``field``, ``value``, ``unit``, ``source``, ``year``, ``verify``.
        """
        table = load_toml("rates.toml")
        current = self if self is not None else Assumptions()
        default = Assumptions()
        rows = []
        for f in fields(Assumptions):
            value = getattr(current, f.name)
            if f.name == "pay_rates":
                for group, rate in value.items():
                    entry = table["pay_rates"].get(group, {})
                    user = entry.get("value") != rate
                    rows.append(_row(f"pay_rates.{group}", rate, entry, user))
                continue
            entry = table.get(f.name, {})
            if f.name == "hourly_rate_eur":
                entry = {
                    "unit": "EUR/h",
                    "source": "None: the rate of pay_group (pay_rates)",
                    "year": 2025,
                    "verify": "",
                }
            if f.name == "pay_groups":
                entry = {"unit": "activity -> pay group", "source": "none given", "year": None}
            rows.append(_row(f.name, value, entry, value != getattr(default, f.name)))
        return pd.DataFrame(rows, columns=["field", "value", "unit", "source", "year", "verify"])

    @classmethod
    def from_toml(cls, path: str | Path) -> Assumptions:
        """Assumptions from a TOML file: ``name = value`` or ``[name] value = ...`` entries.

        Raises
        ------
        ParameterError
            Unreadable file, unknown names, or values outside their range.
        """
        try:
            table = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ParameterError(f"Cannot read assumptions from {str(path)!r}: {err}.") from err
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(table) - names)
        if unknown:
            raise ParameterError(
                f"Unknown assumptions {unknown!r} in {str(path)!r}; expected some of "
                f"{sorted(names)!r}."
            )

        def plain(value: Any) -> Any:
            if isinstance(value, dict) and "value" in value:
                return value["value"]
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return value

        return cls(**{k: plain(v) for k, v in table.items()})


def _row(name: str, value: Any, entry: Mapping[str, Any], user: bool) -> dict[str, Any]:
    return {
        "field": name,
        "value": dict(value) if isinstance(value, Mapping) else value,
        "unit": entry.get("unit"),
        "source": _USER if user else entry.get("source"),
        "year": None if user else entry.get("year"),
        "verify": entry.get("verify"),
    }
