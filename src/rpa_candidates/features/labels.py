"""Indicator family ``labels``: what the action of the activity name says about the work.

An activity called "Rechnungsdaten erfassen" is data entry, "Widerspruch prüfen" a legal
judgement, "Ortsbesichtigung durchführen" a site visit, "Telefonische Auskunft erteilen" a
conversation and ``A_REGISTERED`` a status record. :func:`.semantics.read_name` reads the
*action* of each distinct name (verb lemma, action noun, compound head; lexicon
``data/actions.toml``) and gives the share of each action class: mechanical data work,
judgement, physical work, communication with a person, and system status records. The
object only modifies the class ("Abholtermin in den Kalender übernehmen" is data work).

The language of the names is detected per name; where a name is undecided the dominant
language of the log's names is taken. A name without a recognised action ("01_HOOFD_4")
has no shares: its label indicators are missing (NaN), and criteria reading them are
unknown rather than 0. The reader recognises words, not procedures: "Antrag ablehnen" reads
as judgement even where the rejection follows a fixed rule, which :mod:`.decision` can
show from the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from ..core import engine
from ._registry import Context, indicator
from .semantics import ACTION_CLASSES, log_language, read_name

__all__ = ["classify_labels", "label_indicators", "match_label"]

CLASSES = ACTION_CLASSES
_COLUMNS = tuple(f"label_{c}" for c in CLASSES)


def match_label(label: str, *, default_lang: str = "de") -> dict[str, Any]:
    """Class shares of one activity name and the words that produced them.

    Parameters
    ----------
    label : str
        An activity name, e.g. ``"Vollständigkeit prüfen"``.
    default_lang : str, default="de"
        Language taken when the name alone does not decide it.

    Returns
    -------
    dict
        ``label_<class>`` for the classes of :data:`.semantics.ACTION_CLASSES` (floats
        summing to 1, or all NaN when no action is recognised), ``action_class``,
        ``language`` and ``terms``: list of ``(word, class)`` that decided.

    Examples
    --------
    >>> from rpa_candidates.features.labels import match_label
    >>> match_label("Vollständigkeit prüfen")["label_mechanical"]
    1.0
    >>> match_label("Nachweis prüfen")["label_judgement"]
    0.5
    """
    reading = read_name(label, default_lang=default_lang)
    known = bool(reading.shares)
    out: dict[str, Any] = {
        f"label_{c}": reading.shares.get(c, 0.0) if known else np.nan for c in CLASSES
    }
    out["action_class"] = reading.action_class
    out["language"] = reading.language
    out["terms"] = list(reading.evidence)
    return out


def classify_labels(labels: Iterable[str]) -> pd.DataFrame:
    """Action class shares of each distinct activity name (see :mod:`.semantics`).

    Parameters
    ----------
    labels : iterable of str
        Activity names.

    Returns
    -------
    pandas.DataFrame
        One row per distinct name, sorted: ``activity``, ``label_<class>`` per action class
        (0..1, NaN when no action is recognised), ``action_class``, ``language`` and
        ``label_terms`` (str, the deciding words with their class, e.g.
        ``"erfassen (mechanical)"``), for explanations.

    Examples
    --------
    >>> from rpa_candidates.features.labels import classify_labels
    >>> classify_labels(["Antrag erfassen", "Ortsbesichtigung durchführen"])[
    ...     ["label_mechanical", "label_physical"]].to_numpy().tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    names = sorted({str(x) for x in labels})
    default = log_language(names)
    rows = []
    for label in names:
        match = match_label(label, default_lang=default)
        terms = "; ".join(f"{word} ({cls})" for word, cls in match.pop("terms"))
        rows.append({"activity": label, **match, "label_terms": terms})
    columns = ["activity", *_COLUMNS, "action_class", "language", "label_terms"]
    return pd.DataFrame(rows, columns=columns)


@indicator(
    family="labels",
    source=(
        "Leopold, van der Aa & Reijers (2018), Identifying candidate tasks for robotic process "
        "automation in textual process descriptions, BPMDS 2018, LNBIP 318, "
        "doi:10.1007/978-3-319-91704-7_5; lemmas: simplemma; action lexicon data/actions.toml"
    ),
    kind="table",
    columns=_COLUMNS,
)
def label_indicators(prepared: nw.LazyFrame, ctx: Context) -> pd.DataFrame:
    """What the action of the activity name says about the work (data/actions.toml).

    label_mechanical: Share of the name's actions that are mechanical data work.
        Formula: w_mech / sum_c w_c, where each action of the name (verb, or action noun
            without a verb) adds 1 to its class, split evenly over the classes of its lemma;
            an ambiguous verb without a qualifier 0.5 to mech and judg; NaN without action
        Unit: share 0..1
        Direction: +
    label_judgement: Share of the name's actions that are judgement or decisions.
        Formula: w_judg / sum_c w_c, weights as for label_mechanical
        Unit: share 0..1
        Direction: -
    label_physical: Share of the name's actions that are physical work (people, goods, places).
        Formula: w_phys / sum_c w_c, weights as for label_mechanical
        Unit: share 0..1
        Direction: -
    label_communication: Share of the name's actions that are communication with a person.
        Formula: w_comm / sum_c w_c, weights as for label_mechanical
        Unit: share 0..1
        Direction: -
    label_system: 1 when the name is a status record (A_REGISTERED), not a work step.
        Formula: 1 for a status record (code in capitals, SRM: Created, "Antrag
            zurückgezogen"), 0 for a name with an action, NaN without either
        Unit: share 0..1
        Direction: -
    """
    activities = engine.collect(prepared.select("activity").unique(), sort="activity")
    table = classify_labels(activities["activity"].dropna())
    return table[["activity", *_COLUMNS]]
