"""Lemmas, action nouns and German compounds for :mod:`.semantics` (stage: features).

simplemma (Barbaresi 2025, https://github.com/adbar/simplemma; its data ship in the wheel)
gives the lemmas; the rules here add what it lacks for activity names: German participles
with a separable particle ("nachgefordert" → nachfordern), English inflections
("cancelled" → cancel), action nouns ("Prüfung" → prüfen, irregular ones from
``data/actions.toml``) and the split of German compounds at the longest known head.

The verb lexicon is the curated ``data/actions.toml`` (plus :func:`extend_lexicon`) and,
under it as a fallback for the lemmas it lacks, the frequency verb lexicon
``data/verbs/<lang>.csv`` (the most frequent verb lemmas of each language, classed by the
guideline of docs/labeling.md; issue #15).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from ..core._data import load_csv, load_toml
from ..core.errors import ParameterError

LANGUAGES = ("de", "en", "nl", "es")
_PARTICLES = (
    "ab", "an", "auf", "aus", "bei", "ein", "fest", "frei", "her", "hin", "mit", "nach",
    "vor", "weg", "weiter", "zu", "zurück", "zusammen", "über", "um", "durch", "nach",
)  # fmt: skip
_WHOLE = 13  # a known word shorter than this stays whole ("Unterlagen", "Lieferanten")
_EN_IRREGULAR = {"sent": "send", "done": "do", "made": "make", "paid": "pay", "held": "hold"}


#: Additions of :func:`extend_lexicon`, merged over data/actions.toml (table -> value).
_EXTRA: list[dict[str, Any]] = []


def _merged() -> dict[str, Any]:
    raw = load_toml("actions.toml")
    for extra in _EXTRA:
        for table, value in extra.items():
            raw[table]["value"] = _merge(raw[table]["value"], value)
    return raw


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict):
        out = dict(base)
        for key, value in extra.items():
            out[key] = _merge(base[key], value) if key in base else value
        return out
    return [*base, *extra]


def _check_extra(extra: Any, base: Any, where: str) -> None:
    if isinstance(base, dict):
        if not isinstance(extra, dict):
            raise ParameterError(f"{where} must be a table (dict), got {extra!r}.")
        for key, value in extra.items():
            if key in base:
                _check_extra(value, base[key], f"{where}.{key}")
            elif not isinstance(value, (str, list)):
                raise ParameterError(f"{where}.{key}={value!r} must be a text or a list.")
    elif not isinstance(extra, list) or not all(isinstance(v, (str, list)) for v in extra):
        raise ParameterError(f"{where}={extra!r} must be a list of words.")


def extend_lexicon(extra: dict[str, Any] | None) -> None:
    """Add words to the action lexicon for this Python session (``None`` resets it).

    Parameters
    ----------
    extra : dict or None
        Tables of ``data/actions.toml`` with the words to add, shaped like their ``value``:
        ``{"verbs_de": {"mechanical": ["vormerken"]}, "qualifiers": {"judgement":
        ["sozialprognose"]}}``. Lists are appended to, tables updated. ``None`` removes
        every addition.

    Raises
    ------
    ParameterError
        For a table the lexicon does not have or a value of the wrong shape.

    Notes
    -----
    The default model was trained on indicators read with the shipped lexicon; additions
    change the label indicators of new logs only.
    """
    if extra is None:
        _EXTRA.clear()
    else:
        base = load_toml("actions.toml")
        if not isinstance(extra, dict):
            raise ParameterError(f"extra={extra!r} must be a dict of lexicon tables or None.")
        for table, value in extra.items():
            if table not in base:
                raise ParameterError(
                    f"the action lexicon has no table {table!r}; expected one of {sorted(base)!r}."
                )
            _check_extra(value, base[table]["value"], table)
        _EXTRA.append(extra)
    _lexicon.cache_clear()
    _classes.cache_clear()
    _action_noun.cache_clear()
    split_compound.cache_clear()


@cache
def _lexicon() -> dict[str, Any]:
    raw = _merged()
    verbs: dict[str, dict[str, tuple[str, ...]]] = {}
    curated: dict[str, frozenset[str]] = {}
    for lang in LANGUAGES:
        table: dict[str, list[str]] = {}
        for cls, lemmas in raw[f"verbs_{lang}"]["value"].items():
            for lemma in lemmas:
                table.setdefault(lemma.lower(), [])
                if cls not in table[lemma.lower()]:
                    table[lemma.lower()].append(cls)
        verbs[lang] = {k: tuple(v) for k, v in table.items()}
        curated[lang] = frozenset(verbs[lang])
        frequent, _ = _frequency_verbs(lang)
        for lemma, classes in frequent.items():
            verbs[lang].setdefault(lemma, classes)
    return {
        "verbs": verbs,
        "curated": curated,
        "not_work": {lang: _frequency_verbs(lang)[1] for lang in LANGUAGES},
        "nominal": {
            lang: dict(raw["nominalisations"]["value"].get(lang, {})) for lang in LANGUAGES
        },
        "qualifiers": {c: tuple(v) for c, v in raw["qualifiers"]["value"].items()},
        "phrases": [(tuple(p), c) for c, ps in raw["phrases"]["value"].items() for p in ps],
        "transfer": frozenset(raw["transfer_verbs"]["value"]),
        "status": frozenset(raw["status_words"]["value"]),
        "derivations": {k: [tuple(x) for x in v] for k, v in raw["derivations"]["value"].items()},
        "cognates": {k: [tuple(x) for x in v] for k, v in raw["cognates"]["value"].items()},
        "procedures": tuple(raw["procedures"]["value"]),
        "stop": {lang: frozenset(raw["stop_words"]["value"][lang]) for lang in LANGUAGES},
    }


@cache
def _frequency_verbs(lang: str) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """The frequency verb lexicon ``data/verbs/<lang>.csv``: (lemma -> classes, lemmas
    classed ``none``).

    It is a fallback under the curated lists: :func:`_lexicon` adds a lemma only if
    ``data/actions.toml`` (with the :func:`extend_lexicon` additions) lacks it, so a curated
    lemma keeps its curated classes. ``a|b`` gives both classes; a ``none`` row (no verb, or
    no work step) is no verb for the reader and also takes no class from the particle or
    cognate fallback of :func:`_classes`. A missing file is an empty lexicon.
    """
    classes: dict[str, tuple[str, ...]] = {}
    not_work: set[str] = set()
    for row in load_csv(f"verbs/{lang}.csv"):
        lemma = row["lemma"].strip().lower()
        parts = tuple(p.strip() for p in row["class"].split("|") if p.strip())
        if parts in ((), ("none",)):
            not_work.add(lemma)
        else:
            classes.setdefault(lemma, parts)
    return classes, frozenset(not_work)


@lru_cache(maxsize=65536)
def _lemmas(word: str, lang: str) -> tuple[str, ...]:
    """Candidate lemmas of one word, lower case, most likely first."""
    from ._lemma_cache import lemmatize

    low = word.lower()
    out = [low, lemmatize(word, lang).lower(), lemmatize(low, lang)]
    if lang == "de":
        if re.search("ae|oe|ue", low):  # "Ueberpruefung" written without umlauts
            out.append(low.replace("ae", "ä").replace("oe", "ö").replace("ue", "ü"))
        out += _de_verb_forms(out[-1])
    elif lang == "en":
        out += _en_verb_forms(low)
    elif lang == "nl" and low.startswith("ge") and low[-1] in "dt":
        out += [low[2:-1] + "en"]
    return tuple(dict.fromkeys(x.lower() for x in out))


def _lemma(word: str, lang: str) -> str:
    from ._lemma_cache import lemmatize

    return lemmatize(word, lang).lower()


def _de_verb_forms(low: str) -> list[str]:
    """Infinitives a German verb form can come from: geprüft, nachgefordert, prüft."""
    out = []
    for end in ("et", "t", "te", "ten", "en"):
        if low.endswith(end) and len(low) > len(end) + 2:
            base = low[: -len(end)]
            if base.startswith("ge"):
                base = base[2:]
            else:
                for particle in _PARTICLES:
                    if base.startswith(particle + "ge"):
                        base = particle + base[len(particle) + 2 :]
                        break
            out += [base + "en", base + "n"]
    return out


def _en_verb_forms(low: str) -> list[str]:
    if low in _EN_IRREGULAR:
        return [_EN_IRREGULAR[low]]
    out = []
    if low.endswith("ing"):
        out += [low[:-3], low[:-3] + "e", low[:-4]]
    if low.endswith("ed"):
        out += [low[:-2], low[:-1], low[:-3]]
    if low.endswith("ies"):
        out += [low[:-3] + "y"]
    if low.endswith("s"):
        out += [low[:-1], low[:-2]]
    return out


def _verb(word: str, lang: str, *, frequency: bool = True) -> str | None:
    """The lemma of ``word`` if it is a lexicon verb; ``frequency=False`` leaves out the
    lemmas only the frequency lexicon knows."""
    lex = _lexicon()
    return next(
        (
            c
            for c in _lemmas(word, lang)
            if _classes(c, lang)
            and (frequency or c in lex["curated"][lang] or c not in lex["verbs"][lang])
        ),
        None,
    )


@lru_cache(maxsize=65536)
def _classes(lemma: str, lang: str) -> tuple[str, ...]:
    """Lexicon classes of a verb lemma, with two fallbacks for a lemma the lexicon lacks
    (and the frequency lexicon does not class ``none``): a German verb with a separable
    particle takes the class of its base verb ("abspeichern" → speichern), and a Latin-root
    verb that of its English cognate ("reportar" → report, table ``cognates``)."""
    lex = _lexicon()
    table = lex["verbs"][lang]
    if lemma in table:
        return table[lemma]
    if lemma in lex["not_work"][lang]:  # classed none in the frequency lexicon
        return ()
    if lang == "de" and lemma.endswith(("en", "ern", "eln")):
        for particle in (*_PARTICLES, "neu", "wieder", "gegen"):
            base = lemma[len(particle) :]
            if lemma.startswith(particle) and len(base) >= 5 and base in table:
                return table[base]
    for end, en_end in lex["cognates"].get(lang, ()):
        if lemma.endswith(end) and len(lemma) > len(end) + 2:
            stem = lemma[: len(lemma) - len(end)]
            for cand in (stem + en_end, stem.replace("k", "c") + en_end):
                if cand in lex["verbs"]["en"]:
                    return lex["verbs"]["en"][cand]
    return ()


@lru_cache(maxsize=65536)
def _action_noun(word: str, lang: str) -> str | None:
    """The verb an action noun stands for ("Prüfung" → prüfen), or None; in German and
    Dutch also the verb of an action noun that ends the word after a known word of four
    letters or more ("Rückreise" → reisen, "laboratoriumonderzoek" → onderzoeken), the head of a
    compound that :func:`split_compound` keeps whole."""
    found = _action_noun_whole(word, lang)
    if found or lang not in ("de", "nl"):
        return found
    from ._lemma_cache import is_known

    low = word.lower()
    for i in range(3, len(low) - 3):
        rest, tail = low[:i], low[i:]
        mods = (rest, rest[:-1]) if rest.endswith("s") else (rest,)
        if any(len(m) >= 4 and is_known(m, lang) for m in mods):  # not "Ein-druck"
            found = _action_noun_whole(tail, lang)
            if found:
                return found
    return None


def _action_noun_whole(word: str, lang: str) -> str | None:
    lex = _lexicon()
    table, nominal = lex["verbs"][lang], lex["nominal"][lang]
    candidates = list(_lemmas(word, lang))
    accented = None
    if lang == "es" and word.lower().endswith("ion"):  # "Revision": the accent left out
        accented = word.lower()[:-3] + "ión"
        candidates.append(accented)
    for low in candidates:
        if low in nominal:
            return nominal[low]
        stems: list[str] = []
        if lang == "de" and low.endswith("ung"):
            s = low[:-3]
            stems = [s + "en", s + "n", s[:-1] + "eln", s[:-1] + "ern"]
        elif lang == "en" and low.endswith("ion"):
            stems = [low[:-3] + "e", low[:-3], low[:-5] + "e"]
        elif lang == "nl" and low.endswith("ing"):
            stems = [low[:-3] + "en"]
        elif lang == "es" and (low.endswith("ción") or low.endswith("cion")):
            stems = [low[: -len("ción")] + "ar"]
        if low in (word.lower(), _lemma(word, lang), accented):  # a noun form, no verb-form guess
            for end, verb_end in lex["derivations"].get(lang, ()):
                if end == "" == verb_end and lang == "de" and not low.endswith(("en", "rn", "ln")):
                    continue  # a nominalised German infinitive ends like one: "das Kopieren"
                if low.endswith(end) and len(low) >= len(end) + (3 if end == "" else 2):
                    stems.append(low[: len(low) - len(end)] + verb_end)
        found = next((s for s in stems if s in table), None)
        found = found or next((s for s in stems if _classes(s, lang)), None)
        if found:
            return found
    return None


def _known_de(part: str) -> bool:
    from ._lemma_cache import is_known

    lex = _lexicon()
    return (
        part in lex["nominal"]["de"]
        or part in lex["verbs"]["de"]
        or is_known(part.capitalize(), "de")
    )


@lru_cache(maxsize=65536)
def split_compound(word: str) -> tuple[str, ...]:
    """Parts of a German compound, lower case ("Zahlungserinnerung" → zahlung, erinnerung).

    The head is the longest known tail (at least 4 letters); the rest, without a linking
    ``s``/``es``/``n``/``en``, must be a known word of 4 letters or more or a verb stem
    ("Abhol-termin"), and is
    split again. Unknown or short words come back whole.
    """
    low = word.lower()
    if len(low) < 8 or (len(low) < _WHOLE and _known_de(_lemma(word, "de"))):
        return (low,)
    for i in range(3, len(low) - 3):
        head, rest = low[i:], low[:i]
        if not _known_de(head):
            continue
        linked = [rest[:-1]] if rest.endswith("s") and len(rest) >= 4 else []  # Zahlung-s-
        for mod in (*linked, rest, rest[:-1], rest[:-2], rest + "en"):
            if len(mod) >= (3 if mod in linked else 4) and (
                _known_de(mod) or _known_de(mod + "en")
            ):
                base = mod[:-2] if mod == rest + "en" else mod
                return (*split_compound(base), head)
    return (low,)
