"""Size limit on the data a file expands to, checked while streaming.

A small gzip file can inflate to many gigabytes ("gzip bomb"): 5 MB of compressed zeros
are 5 GB of data. :func:`read_limited` and :func:`scan_limited` read (and inflate) a file
in bounded chunks and stop with a :class:`~rpa_candidates.LogFormatError` as soon as more
than ``max_bytes`` came out, before anything is parsed. The default lives in
``data/limits.toml``; pass ``max_bytes=`` to :func:`rpa_candidates.read_log` to change it.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core._data import load_toml
from ..core.errors import LogFormatError, ParameterError

__all__ = ["default_max_bytes", "is_gzip", "max_bytes_option", "read_limited", "scan_limited"]

_CHUNK = 1 << 22  # 4 MiB of output per step: memory stays bounded whatever the ratio


def default_max_bytes() -> int:
    """The default limit from ``data/limits.toml`` (4 GiB)."""
    return int(load_toml("limits.toml")["max_bytes"]["value"])


def max_bytes_option(options: dict[str, Any]) -> int:
    """Pop and check the ``max_bytes`` reader option (default from ``data/limits.toml``)."""
    value = options.pop("max_bytes", None)
    if value is None:
        return default_max_bytes()
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ParameterError(
            f"max_bytes={value!r} is not usable; expected a positive number of bytes, e.g. "
            f"max_bytes=8 * 1024**3 for 8 GiB (default {default_max_bytes():,})."
        )
    return value


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def _too_big(path: Path, max_bytes: int, what: str) -> LogFormatError:
    return LogFormatError(
        f"{path.name!r} {what} more than max_bytes={max_bytes:,} bytes "
        f"({max_bytes / 1024**3:.3g} GiB), the limit that protects against gzip bombs and "
        "exhausted memory; nothing of it was parsed. If the file is a trusted export, raise "
        f"the limit: rc.read_log(path, max_bytes={2 * max_bytes})."
    )


def _chunks(path: Path, max_bytes: int) -> Iterator[bytes]:
    """The (inflated) content in chunks of at most 4 MiB; raises past ``max_bytes``."""
    if not is_gzip(path):
        if path.stat().st_size > max_bytes:
            raise _too_big(path, max_bytes, "holds")
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk
        return
    total = 0
    try:
        with gzip.open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                total += len(chunk)
                if total > max_bytes:
                    raise _too_big(path, max_bytes, "inflates to")
                yield chunk
    except EOFError as error:
        raise LogFormatError(
            f"{path.name!r} is a truncated gzip file (the compressed stream ends early). "
            "Re-export or re-copy it; no event of it was read."
        ) from error
    except (OSError, zlib.error) as error:
        raise LogFormatError(
            f"{path.name!r} is not a valid gzip file ({error}). Re-export or re-copy it "
            "(gzip -t tests a .gz file)."
        ) from error


def scan_limited(path: Path, max_bytes: int, tail: int = 4096) -> bytes:
    """Stream the whole (inflated) content without keeping it; return its last ``tail`` bytes."""
    if not is_gzip(path):
        if path.stat().st_size > max_bytes:
            raise _too_big(path, max_bytes, "holds")
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - tail))
            return handle.read()
    last = b""
    for chunk in _chunks(path, max_bytes):
        last = (last + chunk)[-tail:]
    return last


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The whole (inflated) content; a gzip file is first scanned, so a bomb fails early.

    The scan keeps nothing, so a file past the limit costs time (about one second per
    GiB) but no memory; a file within it is then inflated once more and kept.
    """
    if is_gzip(path):
        scan_limited(path, max_bytes)
    return b"".join(_chunks(path, max_bytes))
