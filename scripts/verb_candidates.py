"""Candidate verbs of the frequency lexicon (issue #15): the most frequent verb lemmas.

The curated verb lists of ``data/actions.toml`` cover the verbs of administrative
procedures that the project's authors thought of. Names written by others use many more
verbs ("einholen", "agendar", "recepcionar"). This script lists the most frequent verbs of
each language the reader knows, independent of any label set, so that their classes can be
written by the guideline (docs/labeling.md) without looking at a labelled name.

Verbs are found from word frequencies (wordfreq 3.1, Speer, R. (2022), doi:10.5281/zenodo.7199437,
its ``top_n_list`` of 50,000 words) and simplemma's lemmas:

* German, Dutch: a lemma that is lower case and ends in ``-en``/``-ern``/``-eln`` (German
  simplemma lemmas of nouns are capitalised); Dutch also ``-n`` after a vowel (gaan, doen);
* Spanish: a lemma ending in ``-ar``, ``-er`` or ``-ir``;
* English: a lemma of which the list holds an ``-ed`` or ``-ing`` form that simplemma maps
  back to it ("filed" -> file).

A lemma's frequency is the sum of the frequencies of the words that map to it, so
inflected forms count ("geprüft" -> prüfen). Output: ``rank,lemma,frequency`` as CSV.

Needs the optional ``lexicon`` extra (``pip install -e '.[lexicon]'``)::

    python scripts/verb_candidates.py --lang de --top 2000 > /tmp/de.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict

import simplemma
import wordfreq

TOP_WORDS = 50_000


def _verb_lemma(word: str, lemma: str, lang: str, words: set[str]) -> bool:
    if lemma != lemma.lower() or not lemma.isalpha() or len(lemma) < 3:
        return False
    if lang == "de":
        return lemma.endswith(("en", "ern", "eln"))
    if lang == "nl":
        return lemma.endswith("en") or (lemma.endswith("n") and lemma[-2] in "aeiou")
    if lang == "es":
        return lemma.endswith(("ar", "er", "ir"))
    # en: only lemmas reached from an -ed / -ing form of the list
    return word != lemma and word.endswith(("ed", "ing"))


def candidates(lang: str, top: int) -> list[tuple[int, str, float]]:
    """The ``top`` most frequent verb lemmas of ``lang``: ``(rank, lemma, frequency)``."""
    words = wordfreq.top_n_list(lang, TOP_WORDS)
    vocab = set(words)
    freq: dict[str, float] = defaultdict(float)
    verbs: set[str] = set()
    for word in words:
        lemma = simplemma.lemmatize(word, lang=lang)
        f = wordfreq.word_frequency(word, lang)
        freq[lemma] += f
        if _verb_lemma(word, lemma, lang, vocab):
            verbs.add(lemma)
    ranked = sorted(verbs, key=lambda v: (-freq[v], v))[:top]
    return [(i + 1, v, freq[v]) for i, v in enumerate(ranked)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("de", "en", "nl", "es"), required=True)
    parser.add_argument("--top", type=int, default=2000)
    args = parser.parse_args(argv)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["rank", "lemma", "frequency"])
    for rank, lemma, f in candidates(args.lang, args.top):
        out.writerow([rank, lemma, f"{f:.3g}"])


if __name__ == "__main__":
    main()
