"""The frequency verb lexicon ``data/verbs/<lang>.csv`` (issue #15) and how the reader uses it.

The example names below are my own (helper session h_verbs_de), written for this test; their
verbs are in the frequency lexicon only, not in the curated lists of ``data/actions.toml``.
"""

from __future__ import annotations

import pytest

from rpa_candidates.core._data import load_csv, load_toml
from rpa_candidates.features import _lemmas
from rpa_candidates.features.semantics import LANGUAGES, extend_lexicon, read_name

CLASSES = {"mechanical", "judgement", "physical", "communication", "ambiguous", "light", "examine"}


def _curated(lang: str) -> set[str]:
    table = load_toml("actions.toml")[f"verbs_{lang}"]["value"]
    return {lemma.lower() for lemmas in table.values() for lemma in lemmas}


def _rows(lang: str) -> dict[str, str]:
    return {row["lemma"]: row["class"] for row in load_csv(f"verbs/{lang}.csv")}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_file_is_well_formed(lang):
    rows = load_csv(f"verbs/{lang}.csv")
    if not rows:
        pytest.skip(f"no frequency lexicon for {lang}")
    assert list(rows[0]) == ["rank", "lemma", "class", "note"]
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    lemmas = [r["lemma"] for r in rows]
    assert len(set(lemmas)) == len(lemmas)
    for row in rows:
        assert row["lemma"], row
        assert row["lemma"] == row["lemma"].strip().lower(), row
        parts = row["class"].split("|")
        if parts == ["none"]:
            continue
        assert 1 <= len(parts) <= 2, row
        assert len(set(parts)) == len(parts), row
        assert set(parts) <= CLASSES, row


def test_german_file_has_the_2000_candidates():
    rows = load_csv("verbs/de.csv")
    assert len(rows) == 2000
    assert rows[0]["lemma"] == "haben"
    assert rows[0]["class"] == "none"


def test_a_missing_language_file_is_an_empty_lexicon():
    assert load_csv("verbs/xx.csv") == []
    assert _lemmas._frequency_verbs("xx") == ({}, frozenset())


def test_a_curated_word_keeps_its_curated_class():
    # the frequency file classes these ambiguous, the curated list mechanical: curated wins
    rows = _rows("de")
    for lemma in ("anordnen", "ermitteln"):
        assert rows[lemma] == "ambiguous"
        assert lemma in _curated("de")
        assert _lemmas._classes(lemma, "de") == ("mechanical",)
    # an extend_lexicon addition is curated too: it wins over the frequency file
    assert rows["einholen"] == "mechanical"
    try:
        extend_lexicon({"verbs_de": {"communication": ["einholen"]}})
        assert _lemmas._classes("einholen", "de") == ("communication",)
    finally:
        extend_lexicon(None)
    assert _lemmas._classes("einholen", "de") == ("mechanical",)


def test_a_none_row_is_not_a_verb():
    rows = _rows("de")
    assert rows["anfangen"] == rows["haben"] == rows["daten"] == "none"
    assert rows["fangen"] == "physical"  # the base of anfangen; no particle fallback
    for lemma in ("anfangen", "haben", "daten"):
        assert _lemmas._classes(lemma, "de") == ()
    assert read_name("Vorgang anfangen").shares == {}
    assert read_name("Daten").shares == {}  # "Daten" is no nominalised infinitive


def test_two_classes_count_half_each():
    assert _rows("de")["aufklären"] == "judgement|communication"
    assert "aufklären" not in _curated("de")
    shares = read_name("Sachverhalt mit Nachbarn aufklären").shares
    assert shares == {"judgement": 0.5, "communication": 0.5}


# fmt: off
#: my own names whose verb is only in the frequency lexicon -> (verb, class given in de.csv)
FREQUENCY_ONLY = {
    "Unterlagen einholen": ("einholen", "mechanical"),
    "Kundenkonto deaktivieren": ("deaktivieren", "mechanical"),
    "Termin absagen": ("absagen", "mechanical"),
    "Bußgeld verhängen": ("verhängen", "judgement"),
    "Einspruch abweisen": ("abweisen", "judgement"),
    "Akte heften": ("heften", "physical"),
    "Gehweg streuen": ("streuen", "physical"),
    "Wasserzähler eichen": ("eichen", "physical"),
    "Angehörige verständigen": ("verständigen", "communication"),
}
# fmt: on


@pytest.mark.parametrize(("name", "expected"), FREQUENCY_ONLY.items())
def test_names_with_a_frequency_verb_are_read(name, expected):
    verb, cls = expected
    assert verb not in _curated("de")
    assert _rows("de")[verb] == cls
    reading = read_name(name)
    assert reading.actions == (verb,)
    assert reading.shares == {cls: 1.0}
