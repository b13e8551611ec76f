"""A linguistic reading of an activity name: language, action, object, class of the action.

Stage: features (read by the ``labels`` indicator family and by the reasons of the scoring).

The *action* decides what kind of work a step is, the *object* only modifies it:
"Abholtermin in den Kalender übernehmen" is data work (``übernehmen``) although its object
is an appointment, "Sachverhalt mit Antragsteller klären" is judgement and communication
(``klären``). How a name is read (the lexicon is the curated ``data/actions.toml`` and,
as a fallback for the verb lemmas it lacks, the frequency verb lexicon
``data/verbs/<lang>.csv``: the most frequent verb lemmas of each language, classed by the
guideline of docs/labeling.md without a label set; a lemma classed ``none`` there is no
verb):

1. A code prefix (``A_``, ``W_``, ``SRM:``, ``T07-1``) is cut off. A **status record** is a
   code-prefixed name in capitals (``A_REGISTERED``, ``O_SENT_BACK``) or with a state word or
   participle (``SRM: Created``), or a name without any verb in base form that ends in a
   participle or state word ("Antrag zurückgezogen"), or a name with a state word in
   capitals inside mixed case ("Declaration APPROVED by SUPERVISOR"), or, in English, a
   code-prefixed name whose first word is a participle ("O_Sent (online only)"): an IT
   system records a state, no one works. Its class is ``system``. These rules read the
   curated verbs only, so "Vorgang eingestellt" stays a state although the frequency
   lexicon knows *einstellen*.
2. The **language** (de, en, nl, es) is the one whose function words and curated verbs the
   name contains most; ties go to ``default_lang`` (the dominant language of the log).
3. **Lemmas**: simplemma (Barbaresi 2025, https://github.com/adbar/simplemma, data shipped
   in the wheel) with rules for German participles ("nachgefordert" → nachfordern) and
   English inflections ("cancelled" → cancel). German **compounds** are split at the longest
   known head ("Zahlungserinnerung" → Zahlung + Erinnerung), words known to simplemma or
   to the lexicon.
4. **Actions** are the verbs of the name (German: words in lower case; English: the first
   word, words after *and*/*or* and inflected verbs). A verb the lexicon lacks takes the
   class of its base verb without a separable particle ("abspeichern") or of its English
   cognate ("reportar" → report). Without a verb, action nouns of the **head** count (the
   nouns before the first preposition; in English the last of them, "procedure change"):
   "-ung" nouns, the irregular ones of the lexicon ("Versand" → versenden), the word
   formation patterns of the lexicon's ``derivations`` ("Aufnahme" → aufnehmen, "cambio" →
   cambiar, "approval" → approve, "das Kopieren"), also as the head of a compound
   ("Ortsbesichtigung", "Rückreise"). An English name that starts with an unknown verb
   ("reinitiate request") has none. "<document> an <recipient>" is an implicit sending
   ("Bescheid an Antragsteller"); a noun of a clinical procedure ("-graphie", "biopsy") is
   physical work. The verbs only the frequency lexicon knows are read last, after the
   action nouns ("Address update" → update, not *address*).
5. The **class** of each action comes from the verb lexicon. An *ambiguous* verb (prüfen,
   check, erstellen) takes the class of a qualifier of the name ("Vollständigkeit prüfen"
   mechanical, "Widerspruch prüfen" judgement) and otherwise counts half mechanical, half
   judgement; a *light* verb (führen, durchführen, perform) takes the class of its action
   noun ("Beratungsgespräch führen" → communication) or else of a qualifier ("Blutentnahme
   durchführen" → physical); a *transfer* or *examine* verb with a physical object (a body,
   specimen, goods, a place) is physical ("Ausweis versenden", "Patient untersuchen"); an
   explicit phrase ("vor Ort") decides.

Each class share is the weight of its actions over the weight of all actions of the name;
a name without a recognised action has no shares (no evidence either way).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..core.resources import fold_name
from ._lemmas import (
    _EN_IRREGULAR,
    _PARTICLES,
    LANGUAGES,
    _action_noun,
    _classes,
    _de_verb_forms,
    _en_verb_forms,
    _lemma,
    _lexicon,
    _verb,
    extend_lexicon,
    split_compound,
)

__all__ = [
    "ACTION_CLASSES",
    "LANGUAGES",
    "NameReading",
    "detect_language",
    "extend_lexicon",
    "log_language",
    "read_name",
    "split_compound",
]

#: Classes of an action (docs/labeling.md).
ACTION_CLASSES = ("mechanical", "judgement", "physical", "communication", "system")
_WORK = ACTION_CLASSES[:4]
_CODE = re.compile(r"^\s*(?:[A-Za-z]{1,4}\d*\s*[_:]\s*|[A-Z]{1,3}\d{1,3}(?:-\d+)?\s+)")
_TOKEN = re.compile(r"[^\W\d_]+")
_EN_VERB_ENDS = ("ate", "ify", "ise", "ize")  # English verb suffixes (reinitiate, notify)
_TO = {"de": ("an", "senden"), "en": ("to", "send"), "nl": ("naar", "sturen")}
_CONJUNCTIONS = {"de": ("und", "oder", "bzw"), "en": ("and", "or"), "nl": ("en", "of"),
                 "es": ("y", "o")}  # fmt: skip


@dataclass(frozen=True)
class NameReading:
    """The reading of one activity name (see the module docstring).

    Attributes
    ----------
    name : str
        The activity name as given.
    language : str or None
        ``de``, ``en``, ``nl``, ``es``; None for a name without words (an opaque code).
    actions : tuple of str
        Action lemmas (verbs, or action nouns mapped to their verb).
    objects : tuple of str
        Lemmas of the other content words; compound parts joined by ``+``.
    shares : dict of str to float
        Class → share 0..1 (summing to 1); empty when no action is recognised.
    evidence : tuple of (str, str)
        ``(word, class)`` pairs: the words of the name that decided each class.
    status_record : bool
        The name records a state, not a work step (class ``system``).
    """

    name: str
    language: str | None
    actions: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()
    shares: dict[str, float] = field(default_factory=dict)
    evidence: tuple[tuple[str, str], ...] = ()
    status_record: bool = False

    @property
    def action_class(self) -> str:
        """The class with the largest share (first in :data:`ACTION_CLASSES` on ties),
        ``"ambiguous"`` for an even mechanical/judgement split, ``"unknown"`` without any."""
        if not self.shares:
            return "unknown"
        best = max(self.shares.values())
        top = [c for c in ACTION_CLASSES if self.shares.get(c, 0.0) == best]
        return "ambiguous" if top == ["mechanical", "judgement"] else top[0]

    def words(self, classes: tuple[str, ...] | list[str]) -> list[str]:
        """The words that decided any of ``classes``, in order, without repeats."""
        out: list[str] = []
        for word, cls in self.evidence:
            if cls in classes and word not in out:
                out.append(word)
        return out


def detect_language(words: list[str], default: str = "de") -> str:
    """The language whose function words and lexicon verbs occur most among ``words``."""
    lex = _lexicon()
    text = "".join(words)
    scores = dict.fromkeys(LANGUAGES, 0.0)
    if re.search("[äöüß]", text, re.IGNORECASE):
        scores["de"] += 2
    if re.search("[ñáíóú¿]", text, re.IGNORECASE):
        scores["es"] += 2
    for lang in LANGUAGES:
        for word in words:
            low = word.lower()
            scores[lang] += low in lex["stop"][lang]
            scores[lang] += _surface_verb(low, lang) or low in lex["nominal"][lang]
    best = max(scores.values())
    top = [lang for lang in LANGUAGES if scores[lang] == best]
    return default if default in top or best == 0 else top[0]


def log_language(names: list[str]) -> str:
    """The most frequent detected language among activity ``names`` (``de`` without any).

    Examples
    --------
    >>> log_language(["Record Goods Receipt", "Clear Invoice", "A_CREATED"])
    'en'
    """
    votes = Counter(detect_language(_TOKEN.findall(str(n)), default="") for n in names)
    votes.pop("", None)
    return votes.most_common(1)[0][0] if votes else "de"


def _surface_verb(low: str, lang: str) -> bool:
    """A curated lexicon verb by its surface form or a rule inflection, without loading
    simplemma (language detection must not load the dictionaries of every language). The
    frequency lexicon does not vote: its 2,000 lemmas per language share too many surface
    forms across the languages ("leads", "stem", "bad")."""
    table = _lexicon()["curated"][lang]
    forms = _de_verb_forms(low) if lang == "de" else _en_verb_forms(low) if lang == "en" else []
    return low in table or any(f in table for f in forms)


def _participle(word: str, lang: str) -> bool:
    low = word.lower()
    if lang == "en":
        return low.endswith("ed") or low in _EN_IRREGULAR
    if lang == "de":
        core = low
        for particle in _PARTICLES:
            if core.startswith(particle + "ge"):
                core = core[len(particle) :]
                break
        return (core.startswith("ge") and low[-1] in "tn") or low.endswith("iert")
    if lang == "nl":
        return low.startswith("ge") and low[-1] in "dtn"
    return low.endswith(("ado", "ada", "ido", "ida"))


def _qualified(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(word, class) for the (folded part, word) pairs whose part is a lexicon qualifier."""
    out = []
    for part, word in parts:
        for cls, stems in _lexicon()["qualifiers"].items():
            if any(part.startswith(stem) for stem in stems):
                out.append((word, cls))
                break
    return out


def read_name(name: str, *, lang: str | None = None, default_lang: str = "de") -> NameReading:
    """Read one activity name (see the module docstring for the rules).

    Parameters
    ----------
    name : str
        An activity name, e.g. ``"Abholtermin in den Kalender übernehmen"``.
    lang : {"de", "en", "nl", "es"} or None, default=None
        Language of the name; None detects it.
    default_lang : str, default="de"
        Language taken when the detection is undecided.

    Returns
    -------
    NameReading

    Examples
    --------
    >>> from rpa_candidates.features.semantics import read_name
    >>> r = read_name("Abholtermin in den Kalender übernehmen")
    >>> r.actions, r.action_class, r.objects
    (('übernehmen',), 'mechanical', ('abhol+termin', 'kalender'))
    >>> read_name("A_REGISTERED").action_class
    'system'
    """
    lex = _lexicon()
    text = str(name)
    code = _CODE.match(text)
    rest = text[code.end() :] if code else text
    words = _TOKEN.findall(rest)
    if not words:
        return NameReading(text, None)
    lang = lang or detect_language(words, default_lang)
    stop = lex["stop"][lang]
    content = [w for w in words if w.lower() not in stop]
    folded = [fold_name(w) for w in content]
    verb_first = bool(content) and _verb(content[0], lang, frequency=False) is not None
    state = [
        f in lex["status"] or _participle(w, lang) for w, f in zip(content, folded, strict=True)
    ]
    all_caps = rest.replace("_", "").replace(" ", "").isupper()
    if (
        code
        and (
            all_caps  # A_REGISTERED, O_SENT_BACK
            or words[0].lower() == "in"  # SRM: In Transfer to ...
            or (len(content) == 1 and (state[0] or not verb_first))  # SRM: Held
            or (not verb_first and any(state))  # SRM: Awaiting Approval
            or (lang == "en" and state[0])  # O_Sent (online only): a state first
            or any(f in lex["status"] for f in folded[1:])  # SRM: Document Completed
        )
    ):
        return _status_record(text, lang, rest)
    shouted = [  # a state word in capitals inside a mixed-case name
        w for w, st in zip(content, state, strict=True) if st and len(w) > 3 and w.isupper()
    ]  # fmt: skip
    if shouted and not all_caps:
        # "Declaration APPROVED by SUPERVISOR": the log writes the state of a document
        return _status_record(text, lang, shouted[0])
    verbs = _find_verbs(words, content, lang, frequency=False)
    two_word_state = (  # "request complete": a noun and its final state
        lang == "en"
        and len(content) == 2
        and (_participle(content[-1], lang) or folded[-1].startswith("complete"))
    )
    if (
        (not verbs or two_word_state)
        and content
        and (folded[-1] in lex["status"] or _participle(content[-1], lang))
    ):  # "Antrag zurückgezogen", "request complete"
        return _status_record(text, lang, content[-1])
    nouns = [w for w in content if w not in {v for v, _ in verbs}]
    parts = {w: split_compound(w) if lang == "de" else (w.lower(),) for w in nouns}
    all_parts = [fold_name(p) for w in nouns for p in parts[w]] + folded
    # an English name that starts with a verb unknown to the lexicon ("reinitiate request",
    # by its verb suffix) has no action nouns: its nouns are the objects of that verb
    unknown_verb = lang == "en" and bool(content) and folded[0].endswith(_EN_VERB_ENDS)
    if not verbs and not unknown_verb:  # action nouns: the word or the head of its compound
        for group in _heads_first(words, nouns, lang):  # the head nouns decide alone
            for w in group:
                lemma = _action_noun(w, lang) or _action_noun(parts[w][-1], lang)
                if lemma:
                    verbs.append((w, lemma))
                    if lang == "en":  # the last word of an English noun phrase
                        break
            if verbs:
                break
    if not verbs:  # the verbs only the frequency lexicon knows come after the action nouns
        verbs = _find_verbs(words, content, lang, frequency=True)
        nouns = [w for w in content if w not in {v for v, _ in verbs}]
    if not verbs and not unknown_verb and lang in _TO:
        verbs += _addressed(words, nouns, lang)
    weight = dict.fromkeys(_WORK, 0.0)
    evidence: list[tuple[str, str]] = []
    for words_, cls in lex["phrases"]:
        if all(any(p == x or p.startswith(x) for p in all_parts) for x in words_):
            weight[cls] += 1.0
            evidence.append((" ".join(words_), cls))
    if not evidence:
        for word, lemma in verbs:
            _weigh(word, lemma, lang, nouns, parts, weight, evidence)
    if not verbs and not evidence:  # a clinical procedure or test named by its noun
        for w in nouns:
            if any(fold_name(w).endswith(end) for end in lex["procedures"]):
                weight["physical"] += 1.0
                evidence.append((w, "physical"))
                break
    total = sum(weight.values())
    shares = {c: weight[c] / total for c in _WORK if weight[c] > 0} if total else {}
    objects = tuple(
        "+".join(parts[w]) if len(parts[w]) > 1 else _lemma(w, lang)
        for w in nouns
        if w not in {v for v, _ in verbs}
    )
    return NameReading(text, lang, tuple(dict.fromkeys(lem for _, lem in verbs)), objects,
                       shares, tuple(evidence))  # fmt: skip


def _status_record(name: str, lang: str, word: str) -> NameReading:
    """The reading of a status record: class ``system``, decided by ``word``."""
    return NameReading(name, lang, shares={"system": 1.0}, evidence=((word, "system"),),
                       status_record=True)  # fmt: skip


def _find_verbs(
    words: list[str], content: list[str], lang: str, *, frequency: bool
) -> list[tuple[str, str]]:
    """(word, lemma) of the verbs of the name, by the position rules of the language;
    ``frequency=False`` reads only the curated verbs."""
    out = []
    mixed = any(w[:1].isupper() for w in words) and any(w[:1].islower() for w in words)
    for i, word in enumerate(words):
        if word not in content:
            continue
        noun_like = lang == "de" and mixed and word[:1].isupper()
        if noun_like and (i > 0 or word.lower() not in _lexicon()["curated"]["de"]):
            continue  # a German noun (a first word only if it is a curated infinitive)
        if lang == "en" and i > 0 and words[i - 1].lower() not in ("and", "or"):
            low = word.lower()
            if not (low.endswith(("ing", "s")) and not low.endswith("ss")):
                continue  # an English verb stands first, after and/or, or inflected
        lemma = _verb(word, lang, frequency=frequency)
        if lemma is not None:
            out.append((word, lemma))
    return out


def _addressed(words: list[str], nouns: list[str], lang: str) -> list[tuple[str, str]]:
    """The implicit sending of a name "<document> an <recipient>" ("Bescheid an
    Antragsteller", "Invoice to customer"), the message task of a process model; not when
    the first noun is an action noun by its ending ("Teilnahme an ...")."""
    prep, verb = _TO[lang]
    lows = [w.lower() for w in words]
    if prep not in lows[1:] or not nouns or nouns[0] not in words[: lows.index(prep, 1)]:
        return []
    if nouns[0].lower().endswith(("ung", "nahme", "gabe", "ion", "ing", "atie")):
        return []
    stop = _lexicon()["stop"][lang]
    i = lows.index(prep, 1)
    recipient = next((w for w in words[i + 1 :] if w.lower() not in stop), "")
    return [(f"{words[i]} {recipient}".strip(), verb)]


def _heads_first(words: list[str], nouns: list[str], lang: str) -> tuple[list[str], list[str]]:
    """The head nouns of a name without a verb and the other nouns: the nouns before the
    first preposition or article (joined by *and*/*or*), the English ones last to first
    ("procedure change", "Review of documents", "Prüfung der Unterlagen")."""
    stop = _lexicon()["stop"][lang]
    heads: list[str] = []
    for w in words:
        low = w.lower()
        if low in stop and low not in _CONJUNCTIONS[lang] and heads:
            break
        if w in nouns and w not in heads:
            heads.append(w)
    if lang == "en":
        heads.reverse()
    return heads, [w for w in nouns if w not in heads]


def _weigh(word, lemma, lang, nouns, parts, weight, evidence) -> None:
    """Add the class weight of one action to ``weight`` and its words to ``evidence``."""
    lex = _lexicon()
    classes = _classes(lemma, lang)
    # the head of a compound first: "Widerspruchsbescheid" is a Bescheid
    object_parts = [(fold_name(p), w) for w in nouns for p in reversed(parts[w])]
    object_parts += [(fold_name(w), w) for w in nouns]
    if "light" in classes:  # the action noun of the object decides
        for w in nouns:
            noun = _action_noun(w, lang) or _action_noun(parts[w][-1], lang)
            if noun and _classes(noun, lang) and "light" not in _classes(noun, lang):
                _weigh(w, noun, lang, [x for x in nouns if x != w], parts, weight, evidence)
                return
        classes = tuple(c for _, c in _qualified(object_parts)[:1])
    if "ambiguous" in classes:
        found = _qualified(object_parts)
        if found:
            noun, cls = found[0]
            weight[cls] += 1.0
            phrase = f"{noun} {word}" if lang == "de" else f"{word} {noun}"
            evidence.append((phrase, cls))
        else:
            weight["mechanical"] += 0.5
            weight["judgement"] += 0.5
            evidence += [(word, "mechanical"), (word, "judgement")]
        return
    physical_object = any(c == "physical" for _, c in _qualified(object_parts))
    if (lemma in lex["transfer"] or "examine" in classes) and physical_object:
        classes = ("physical",)  # "Ausweis versenden", "Patient untersuchen"
    elif "examine" in classes:
        classes = ("judgement",)
    classes = tuple(c for c in classes if c in _WORK)
    for cls in classes:
        weight[cls] += 1.0 / len(classes)
        evidence.append((word, cls))
