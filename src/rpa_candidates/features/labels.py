"""Indicator family ``labels``: what the activity name says about the kind of work.

An activity called "Rechnungsdaten erfassen" is data entry, "Widerspruch prüfen" a legal
judgement and "Ortsbesichtigung durchführen" a site visit. A German/English/Dutch lexicon
(``data/lexicon.toml``) of folded stems sorts the words of each *distinct* activity name
into three classes: mechanical data work, judgement, and physical work or communication.

Matching rules (the lexicon file repeats them next to the terms):

1. The name is folded (:func:`rpa_candidates.core.resources.fold_name`: lower case, ä→ae,
   ß→ss, accents dropped) and split into tokens at every character that is not a letter
   or digit (``"W_Nabellen offertes"`` → ``w``, ``nabellen``, ``offertes``).
2. A stem of at least 5 letters matches anywhere inside a token, so German compounds are
   found ("erfass" in "rechnungsdatenerfassung"); with a leading ``^`` only at the token
   start. A shorter stem must start the token and be followed by an inflection ending only
   ("buch" matches "buchen" and "buchung", not "buchhaltung"). A stem with a space matches
   consecutive tokens ("vor ort").
3. **Phrases first.** A phrase is a list of stems that must all match distinct tokens; it
   decides the class of those tokens: "Vollständigkeit prüfen", "Rechnerische Prüfung",
   "Bewilligungsbescheid erstellen" are mechanical; "Sachliche Prüfung", "Widerspruch
   prüfen" are judgement; "Ausweis versenden" (envelope work) is physical.
4. Every remaining token counts once, for the class of its **longest** matching stem
   ("beratungsgespraech" is the physical "beratungsgespraech", not the judgement "berat").
5. **Ambiguous verbs** (prüfen, kontrollieren, bearbeiten, erstellen, check, process,
   controleren, ...) that no phrase resolved count ``ambiguous_weight`` (0.5) for
   mechanical and for judgement: "Nachweis prüfen" is half data check, half assessment.

Each class share is its weight divided by the total weight of the name; a name without
any known term scores 0 in all three (no evidence either way). The lexicon recognises
words, not procedures: "Antrag ablehnen" reads as judgement even where the rejection
follows a fixed rule, which :mod:`.decision` can show from the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import narwhals as nw
import pandas as pd

from ..core import engine
from ..core._data import load_toml
from ..core.resources import fold_name
from ._registry import Context, indicator

__all__ = ["classify_labels", "label_indicators", "match_label"]

CLASSES = ("mechanical", "judgement", "physical")
_SPLIT = re.compile(r"[^a-z0-9]+")


@cache
def _lexicon() -> dict[str, Any]:
    raw = load_toml("lexicon.toml")
    terms = []  # (words, prefix_only, class), longest first
    for cls in (*CLASSES, "ambiguous"):
        for stems in raw[cls]["value"].values():
            for stem in stems:
                prefix_only = stem.startswith("^")
                words = tuple(fold_name(stem.lstrip("^")).split())
                terms.append((words, prefix_only, cls))
    terms.sort(key=lambda t: -len(" ".join(t[0])))
    phrases = []
    for cls in CLASSES:
        for phrase in raw[f"phrases_{cls}"]["value"]:
            phrases.append(([tuple(fold_name(s).split()) for s in phrase], cls))
    phrases.sort(key=lambda p: -len(p[0]))  # more specific phrases first
    return {
        "terms": terms,
        "phrases": phrases,
        "ambiguous_weight": float(raw["ambiguous_weight"]["value"]),
        "free": int(raw["min_free_stem_length"]["value"]),
        "endings": frozenset(raw["endings"]["value"]),
    }


def _word_matches(stem: str, token: str, prefix_only: bool, lex: dict[str, Any]) -> bool:
    if len(stem) < lex["free"]:
        return token.startswith(stem) and token[len(stem) :] in lex["endings"]
    return token.startswith(stem) if prefix_only else stem in token


def _find(words: tuple[str, ...], prefix_only: bool, tokens: list[str], used: set[int], lex):
    """Indices of the first run of free tokens that matches ``words``, or None."""
    k = len(words)
    for i in range(len(tokens) - k + 1):
        span = range(i, i + k)
        if used.isdisjoint(span) and all(
            _word_matches(w, tokens[j], prefix_only, lex) for w, j in zip(words, span, strict=True)
        ):
            return list(span)
    return None


def match_label(label: str) -> dict[str, Any]:
    """Class shares of one activity name and the terms that produced them.

    Parameters
    ----------
    label : str
        An activity name, e.g. ``"Vollständigkeit prüfen"``.

    Returns
    -------
    dict
        ``label_mechanical``, ``label_judgement``, ``label_physical`` (floats, summing to 1,
        or all 0 when no term is known) and ``terms``: list of ``(stem, class)`` in the
        order they were matched (phrases as ``"stem + stem"``).

    Examples
    --------
    >>> from rpa_candidates.features.labels import match_label
    >>> match_label("Vollständigkeit prüfen")["label_mechanical"]
    1.0
    >>> match_label("Nachweis prüfen")["label_judgement"]
    0.5
    """
    lex = _lexicon()
    tokens = [t for t in _SPLIT.split(fold_name(str(label))) if t]
    used: set[int] = set()
    weight = dict.fromkeys(CLASSES, 0.0)
    terms: list[tuple[str, str]] = []
    for phrase, cls in lex["phrases"]:
        taken: set[int] = set()
        for words in phrase:
            hit = _find(words, False, tokens, used | taken, lex)
            if hit is None:
                break
            taken.update(hit)
        else:
            used |= taken
            weight[cls] += 1.0
            terms.append((" + ".join(" ".join(w) for w in phrase), cls))
    for words, prefix_only, cls in lex["terms"]:  # longest stems first
        hit = _find(words, prefix_only, tokens, used, lex)
        while hit is not None:
            used.update(hit)
            if cls == "ambiguous":
                weight["mechanical"] += lex["ambiguous_weight"]
                weight["judgement"] += lex["ambiguous_weight"]
            else:
                weight[cls] += 1.0
            terms.append((" ".join(words), cls))
            hit = _find(words, prefix_only, tokens, used, lex)
    total = sum(weight.values())
    out: dict[str, Any] = {f"label_{c}": (weight[c] / total if total else 0.0) for c in CLASSES}
    out["terms"] = terms
    return out


def classify_labels(labels: Iterable[str]) -> pd.DataFrame:
    """Class shares of each distinct activity name (see the module docstring for the rules).

    Parameters
    ----------
    labels : iterable of str
        Activity names.

    Returns
    -------
    pandas.DataFrame
        One row per distinct name, sorted: ``activity``, ``label_mechanical``,
        ``label_judgement``, ``label_physical`` (0..1) and ``label_terms`` (str, the matched
        stems with their class, e.g. ``"erfass (mechanical)"``), for explanations.

    Examples
    --------
    >>> from rpa_candidates.features.labels import classify_labels
    >>> classify_labels(["Antrag erfassen", "Ortsbesichtigung durchführen"])[
    ...     ["label_mechanical", "label_physical"]].to_numpy().tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    rows = []
    for label in sorted({str(x) for x in labels}):
        match = match_label(label)
        terms = "; ".join(f"{stem} ({cls})" for stem, cls in match.pop("terms"))
        rows.append({"activity": label, **match, "label_terms": terms})
    columns = ["activity", *(f"label_{c}" for c in CLASSES), "label_terms"]
    return pd.DataFrame(rows, columns=columns)


@indicator(
    family="labels",
    source=(
        "Leopold, van der Aa & Reijers (2018), Identifying candidate tasks for robotic process "
        "automation in textual process descriptions, BPMDS 2018, LNBIP 318, "
        "doi:10.1007/978-3-319-91704-7_5; lexicon data/lexicon.toml"
    ),
    kind="table",
    columns=("label_mechanical", "label_judgement", "label_physical"),
)
def label_indicators(prepared: nw.LazyFrame, ctx: Context) -> pd.DataFrame:
    """What the activity name says about the kind of work (lexicon of data/lexicon.toml).

    label_mechanical: Share of the name's recognised terms that denote mechanical data work.
        Formula: w_mech / (w_mech + w_judg + w_phys), where each recognised token adds 1 to
            its class (phrases first, then the longest stem), an unresolved ambiguous verb
            0.5 to mech and judg; 0 when no term is recognised
        Unit: share 0..1
        Direction: +
    label_judgement: Share of the name's recognised terms that denote judgement or decisions.
        Formula: w_judg / (w_mech + w_judg + w_phys), weights as for label_mechanical
        Unit: share 0..1
        Direction: -
    label_physical: Share of the name's recognised terms that denote physical work or talks.
        Formula: w_phys / (w_mech + w_judg + w_phys), weights as for label_mechanical
        Unit: share 0..1
        Direction: -
    """
    activities = engine.collect(prepared.select("activity").unique(), sort="activity")
    table = classify_labels(activities["activity"].dropna())
    return table.drop(columns="label_terms")
