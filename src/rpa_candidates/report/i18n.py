"""Texts and number formats of the reports, in German and English.

Every text a report shows comes from ``report/i18n/de.toml`` or ``report/i18n/en.toml``
(nested tables flattened to dotted keys, ``summary.title``); a key missing in the chosen
language raises :class:`KeyError`, so a test that walks the templates for ``t("...")``
finds every gap. Numbers are formatted per language:

========  ==============  ==============
quantity  German          English
========  ==============  ==============
count     12.400          12,400
hours     1.234,5 h       1,234.5 h
FTE       3,2 VZÄ         3.2 FTE
euro      40,70 €         €40.70
percent   91 %            91%
date      06.01.2025      2025-01-06
========  ==============  ==============
"""

from __future__ import annotations

import math
import tomllib
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any, Literal

from ..core.errors import ParameterError
from ..core.formatting import format_number

__all__ = ["LANGS", "Formatter", "check_lang", "texts"]

LANGS = ("de", "en")
MISSING = "–"


def check_lang(lang: Any) -> Literal["de", "en"]:
    """Return ``lang`` if it is ``"de"`` or ``"en"``; raise :class:`ParameterError` else."""
    if lang not in LANGS:
        raise ParameterError(f"lang={lang!r} is not a report language; expected 'de' or 'en'.")
    return lang


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def texts(lang: Literal["de", "en"]) -> dict[str, str]:
    """All texts of one language as ``{dotted key: text}`` (cached; do not modify)."""
    check_lang(lang)
    path = resources.files("rpa_candidates.report") / "i18n" / f"{lang}.toml"
    with path.open("rb") as handle:
        return _flatten(tomllib.load(handle))


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


class Formatter:
    """Texts and number formats of one report language.

    Parameters
    ----------
    lang : {"de", "en"}
        The report language.

    Examples
    --------
    >>> de, en = Formatter("de"), Formatter("en")
    >>> de.hours(1234.5), en.hours(1234.5)
    ('1.234,5 h', '1,234.5 h')
    >>> de.eur(40.7, 2), en.eur(40.7, 2)
    ('40,70 €', '€40.70')
    """

    def __init__(self, lang: Literal["de", "en"]) -> None:
        self.lang = check_lang(lang)
        self._texts = texts(lang)

    def t(self, key: str, **values: Any) -> str:
        """The text ``key`` in this language, with ``{name}`` fields filled from ``values``.

        Raises
        ------
        KeyError
            ``key`` is not in ``report/i18n/<lang>.toml``.
        """
        try:
            text = self._texts[key]
        except KeyError:
            raise KeyError(f"No {self.lang!r} text for key {key!r} in report/i18n.") from None
        return text.format(**values) if values else text

    def num(self, value: Any, digits: int = 0) -> str:
        """A number with the language's separators; ``–`` when missing or not finite."""
        if _missing(value):
            return MISSING
        return format_number(float(value), self.lang, digits)

    def hours(self, value: Any, digits: int = 1) -> str:
        """Hours, ``1.234,5 h`` / ``1,234.5 h``."""
        return MISSING if _missing(value) else f"{self.num(value, digits)} h"

    def minutes(self, value: Any, digits: int = 1) -> str:
        """Minutes, ``12,4 min`` / ``12.4 min``."""
        return MISSING if _missing(value) else f"{self.num(value, digits)} min"

    def fte(self, value: Any, digits: int | None = None) -> str:
        """Full-time equivalents, ``3,2 VZÄ`` / ``3.2 FTE`` (two decimals below 1)."""
        if _missing(value):
            return MISSING
        if digits is None:
            digits = 2 if abs(float(value)) < 1 else 1
        return f"{self.num(value, digits)} {self.t('unit.fte')}"

    def eur(self, value: Any, digits: int = 0) -> str:
        """Euros, ``40,70 €`` / ``€40.70``."""
        if _missing(value):
            return MISSING
        text = self.num(value, digits)
        if self.lang == "de":
            return f"{text} €"
        return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"

    def pct(self, value: Any, digits: int = 0) -> str:
        """A share 0..1 as percent, ``91 %`` / ``91%``."""
        if _missing(value):
            return MISSING
        text = self.num(float(value) * 100.0, digits)
        return f"{text} %" if self.lang == "de" else f"{text}%"

    def score(self, value: Any) -> str:
        """A score 0..1 with two decimals."""
        return self.num(value, 2)

    def months(self, value: Any) -> str:
        """Months, one decimal; ``–`` when there is no payback."""
        return MISSING if _missing(value) else f"{self.num(value, 1)} {self.t('unit.months')}"

    def interval(self, low: Any, high: Any, kind: str = "hours") -> str:
        """``low–high`` in the unit of ``kind`` (``hours``, ``fte`` or ``eur``)."""
        if _missing(low) or _missing(high):
            return MISSING
        unit = getattr(self, kind)
        return f"{unit(low)} – {unit(high)}"

    def date(self, value: Any) -> str:
        """``dd.mm.yyyy`` / ``yyyy-mm-dd`` from a date, datetime or ISO 8601 string."""
        if value is None or value == "":
            return MISSING
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if not isinstance(value, date):
            return MISSING
        return f"{value:%d.%m.%Y}" if self.lang == "de" else f"{value:%Y-%m-%d}"

    def yes_no(self, value: Any) -> str:
        """``ja``/``nein`` or ``yes``/``no``."""
        return self.t("common.yes") if bool(value) else self.t("common.no")

    def value(self, value: Any) -> str:
        """Any assumption value as text: numbers formatted, lists joined, None as ``–``."""
        if isinstance(value, bool):
            return self.yes_no(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self.num(value, 0 if float(value).is_integer() else 2)
        if isinstance(value, list | tuple):
            return ", ".join(self.value(v) for v in value)
        if isinstance(value, dict):
            return ", ".join(f"{k}: {self.value(v)}" for k, v in value.items()) or MISSING
        return MISSING if value is None else str(value)
