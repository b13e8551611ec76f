"""The disk cache of simplemma's dictionaries gives simplemma's answers, cold and warm."""

from __future__ import annotations

import simplemma

from rpa_candidates.features import _lemma_cache

WORDS = [
    "cancelled", "sent", "Records", "checking", "invoices", "approved", "paid", "Goods",
    "receipt", "vendor", "creates", "xyzzyq", "Change", "payments", "cleaning", "positioning",
]  # fmt: skip


def answers(factory: _lemma_cache.CachedDictionaryFactory) -> list[tuple[str, str, bool]]:
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
    from simplemma.utils import normalize_token

    lemmatizer = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))
    lookup = DictionaryLookupStrategy(factory)
    return [
        (w, lemmatizer.lemmatize(w, "en"), lookup.get_lemma(normalize_token(w), "en") is not None)
        for w in WORDS
    ]


def test_cold_and_warm_cache_answer_as_simplemma(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RPA_CANDIDATES_CACHE", str(tmp_path))
    expected = [
        (w, simplemma.lemmatize(w, lang="en"), simplemma.is_known(w, lang="en")) for w in WORDS
    ]
    assert ("cancelled", "cancell", True) in expected  # what simplemma 2.0 says (sic)
    assert ("xyzzyq", "xyzzyq", False) in expected

    cold = _lemma_cache.CachedDictionaryFactory()
    assert isinstance(cold.get_dictionary("en"), _lemma_cache.MappingStrToByteString)
    assert answers(cold) == expected
    (written,) = tmp_path.glob("simplemma-*-en-*.lemmas")

    warm = _lemma_cache.CachedDictionaryFactory()  # a new process would start like this
    dictionary = warm.get_dictionary("en")
    assert isinstance(dictionary, _lemma_cache.SortedFileDictionary)
    assert len(dictionary) == len(cold.get_dictionary("en"))
    assert answers(warm) == expected

    written.write_bytes(written.read_bytes()[:1000])  # a truncated file is decoded again
    again = _lemma_cache.CachedDictionaryFactory()
    assert isinstance(again.get_dictionary("en"), _lemma_cache.MappingStrToByteString)
    assert answers(again) == expected
    assert isinstance(
        _lemma_cache.CachedDictionaryFactory().get_dictionary("en"),
        _lemma_cache.SortedFileDictionary,
    )


def test_empty_setting_turns_the_cache_off(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RPA_CANDIDATES_CACHE", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _lemma_cache.cache_folder() is None
    factory = _lemma_cache.CachedDictionaryFactory()
    assert factory.get_dictionary("en").get("sent") == "send"
    assert list(tmp_path.iterdir()) == []
    monkeypatch.delenv("RPA_CANDIDATES_CACHE")
    assert _lemma_cache.cache_folder() == tmp_path / "rpa_candidates"
