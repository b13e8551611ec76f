"""simplemma's dictionaries from a disk cache (stage: features).

simplemma 2 ships each language as an lzma-compressed, front-coded stream that it decodes
into a dict of about a million entries when a word of that language is first looked up:
2.6 s for German, 1.5 s for Spanish on this project's 2-core machine (docs/performance.md),
paid again by every new Python process (a CLI run, a notebook kernel). The activity-name
reader looks up a few hundred words per log.

:class:`CachedDictionaryFactory` decodes a language once, writes the entries sorted to a
file in the user's cache folder, and afterwards answers each lookup by a binary search in
the memory-mapped file, so a new process opens the file instead of decoding the stream. The
entries are simplemma's own, byte for byte (``tests/test_semantics.py`` compares the
readings of every name with and without the cache). The file is keyed by simplemma's
version and the size of the shipped stream; a folder that cannot be written falls back to
simplemma's in-memory dictionary.

Folder: :func:`rpa_candidates.core.cache.cache_folder` (``$RPA_CANDIDATES_CACHE`` if set,
an empty value turns the cache off, else ``$XDG_CACHE_HOME/rpa_candidates``, else
``~/.cache/rpa_candidates``). About 45 MB for
German, 10-20 MB for English, Dutch and Spanish.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries import dictionary_factory as _simplemma_dicts
from simplemma.strategies.dictionaries.dictionary_factory import (
    CachingDictionaryFactory,
    DecodedStrMapping,
    MappingStrToByteString,
)
from simplemma.utils import normalize_token

from ..core.cache import cache_folder

__all__ = ["CachedDictionaryFactory", "cache_folder", "is_known", "lemmatize"]

_FORMAT = 1  # bump when the file layout changes


def _cache_file(lang: str) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    import simplemma

    stream = _simplemma_dicts.DATA_FOLDER / f"{lang}.plzma"
    version = getattr(simplemma, "__version__", "unknown")
    return folder / f"simplemma-{version}-{lang}-{stream.stat().st_size}-v{_FORMAT}.lemmas"


_MAGIC = b"RPCLEMMA"


class SortedFileDictionary(DecodedStrMapping):
    r"""simplemma's ``str -> str`` dictionary view over the cache file, memory-mapped.

    File layout: ``RPCLEMMA``, the entry count :math:`n` (uint64), the :math:`n + 1` key
    offsets and the :math:`n + 1` value offsets (uint64, little-endian), then all keys
    (UTF-8, sorted bytewise) and all values; a lookup is a binary search over the keys,
    :math:`\lceil \log_2 n \rceil \approx 21` comparisons.
    """

    __slots__ = ("_file", "_key_base", "_keys", "_map", "_n", "_value_base", "_values")

    def __init__(self, path: Path) -> None:
        import mmap

        import numpy as np

        self._file = path.open("rb")
        try:
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
            if self._map[:8] != _MAGIC:
                raise ValueError(f"{path} is not a lemma cache file")
            n = int.from_bytes(self._map[8:16], "little")
            self._n = n
            self._keys = np.frombuffer(self._map, dtype="<u8", count=n + 1, offset=16)
            self._values = np.frombuffer(
                self._map, dtype="<u8", count=n + 1, offset=16 + 8 * (n + 1)
            )
            self._key_base = 16 + 16 * (n + 1)
            self._value_base = self._key_base + int(self._keys[n])
            if self._value_base + int(self._values[n]) != len(self._map):
                raise ValueError(f"{path} is truncated")
        except BaseException:
            self._file.close()
            raise

    def _key(self, i: int) -> bytes:
        return self._map[
            self._key_base + int(self._keys[i]) : self._key_base + int(self._keys[i + 1])
        ]

    def _lookup(self, key: str) -> str | None:
        target = key.encode()
        lo, hi = 0, self._n
        while lo < hi:
            mid = (lo + hi) // 2
            if self._key(mid) < target:
                lo = mid + 1
            else:
                hi = mid
        if lo == self._n or self._key(lo) != target:
            return None
        start, stop = int(self._values[lo]), int(self._values[lo + 1])
        return self._map[self._value_base + start : self._value_base + stop].decode()

    def __iter__(self) -> Iterator[str]:
        return (self._key(i).decode() for i in range(self._n))

    def __len__(self) -> int:
        return self._n


def _write(path: Path, entries: dict[bytes, bytes]) -> None:
    """Write ``entries`` to ``path`` in the layout of :class:`SortedFileDictionary`,
    atomically (a temporary file in the same folder, then a rename)."""
    import numpy as np

    keys = sorted(entries)
    values = [entries[k] for k in keys]

    def offsets(items: list[bytes]) -> bytes:
        lengths = np.fromiter(map(len, items), dtype="<u8", count=len(items))
        return np.concatenate([np.zeros(1, dtype="<u8"), np.cumsum(lengths, dtype="<u8")]).tobytes()

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC + len(keys).to_bytes(8, "little"))
            out.write(offsets(keys))
            out.write(offsets(values))
            out.write(b"".join(keys))
            out.write(b"".join(values))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class CachedDictionaryFactory(CachingDictionaryFactory):
    """simplemma ``DictionaryFactory`` that keeps each decoded language on disk.

    The first lookup of a language without a cache file decodes simplemma's stream (as
    simplemma does), uses it in memory for this process and writes the cache file; later
    processes query the file.
    """

    __slots__ = ()

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        path = _cache_file(lang)
        if path is not None and path.is_file():
            try:
                return SortedFileDictionary(path)
            except (OSError, ValueError):
                pass  # unreadable: decode again and rewrite below
        entries = _simplemma_dicts._load_dictionary_from_disk(lang)
        if path is not None:
            with contextlib.suppress(OSError):  # a folder we may not write: memory serves
                _write(path, entries)
        return MappingStrToByteString(entries)


_FACTORY = CachedDictionaryFactory()


@cache
def _lemmatizer() -> Lemmatizer:
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_FACTORY))


def lemmatize(word: str, lang: str) -> str:
    """``simplemma.lemmatize(word, lang=lang)`` on the cached dictionaries."""
    return _lemmatizer().lemmatize(word, lang)


@cache
def _lookup() -> DictionaryLookupStrategy:
    return DictionaryLookupStrategy(_FACTORY)


def is_known(word: str, lang: str) -> bool:
    """``simplemma.is_known(word, lang=lang)`` on the cached dictionaries."""
    return _lookup().get_lemma(normalize_token(word), lang) is not None
