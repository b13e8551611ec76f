"""The user's cache folder, and results kept there between Python processes (stage: core).

Two things are cached on disk: simplemma's decoded dictionaries
(:mod:`rpa_candidates.features._lemma_cache`) and the idle model's fits of a gap histogram
(:mod:`rpa_candidates.handling.idle`), which take from seconds to a minute on a large log
and are the same every time the same export is analysed again (a notebook re-run, the CLI
after the notebook). A result is keyed by its inputs and by the source of the module that
computed it, so a changed library never reads an old result.

Folder: ``$RPA_CANDIDATES_CACHE`` if set (an empty value turns the cache off), else
``$XDG_CACHE_HOME/rpa_candidates``, else ``~/.cache/rpa_candidates``. A folder that cannot
be written, or a file that cannot be read back, only means the result is computed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

__all__ = ["cache_folder", "stored"]

T = TypeVar("T")

#: Files kept per kind; writing one more removes the oldest (by modification time).
KEEP = 64


def cache_folder() -> Path | None:
    """The cache folder, or None when ``RPA_CANDIDATES_CACHE=""``."""
    own = os.environ.get("RPA_CANDIDATES_CACHE")
    if own is not None:
        return Path(own).expanduser() if own.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "rpa_candidates"


def _source_digest(module_file: str | Sequence[str]) -> str:
    files = [module_file] if isinstance(module_file, str) else list(module_file)
    digest = hashlib.sha256()
    for name in files:
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()[:16]


def stored(kind: str, key: str, module_file: str | Sequence[str], make: Callable[[], T]) -> T:
    """``make()``, read from ``<cache folder>/<kind>/`` when an earlier process stored it.

    ``key`` names the inputs (e.g. a SHA-256 of the data and the settings); the file name
    adds a digest of ``module_file`` (the module, or modules, that compute the result). Written
    atomically (a temporary file in the same folder, then a rename); pickled, so only the
    user's own folder is read. At most :data:`KEEP` files are kept per ``kind``.
    """
    folder = cache_folder()
    if folder is None:
        return make()
    name = hashlib.sha256(f"{key}|{_source_digest(module_file)}".encode()).hexdigest()
    path = folder / kind / f"{name}.pkl"
    unreadable = (OSError, pickle.UnpicklingError, EOFError, AttributeError)
    with contextlib.suppress(*unreadable), path.open("rb") as handle:
        return pickle.load(handle)
    value = make()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        _prune(path.parent)
    return value


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.pkl"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
