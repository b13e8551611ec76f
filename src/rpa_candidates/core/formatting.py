"""Numbers as a report sentence writes them, in German or English (shared by the reasons
of the scoring stage and by the report)."""

from __future__ import annotations

import math
from typing import Literal

from .errors import ParameterError

__all__ = ["format_number"]


def format_number(value: float, lang: Literal["de", "en"] = "de", digits: int = 0) -> str:
    """Format a number for a report sentence.

    German uses ``.`` for thousands and ``,`` for decimals, English the reverse.

    Parameters
    ----------
    value : float
        The number; NaN or None gives ``"–"``.
    lang : {"de", "en"}, default="de"
        Language of the report.
    digits : int, default=0
        Decimal places.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(12400, "de"), format_number(12400, "en")
    ('12.400', '12,400')
    >>> format_number(1234.5, "de", 1), format_number(1234.5, "en", 1)
    ('1.234,5', '1,234.5')
    """
    if lang not in ("de", "en"):
        raise ParameterError(f"lang must be one of ['de', 'en'], got {lang!r}.")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{round(float(value), digits) + 0.0:,.{digits}f}"  # + 0.0 turns -0.0 into 0.0
    if lang == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text
