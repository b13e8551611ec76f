"""Large hostile inputs, generated at test time into a temporary folder (never committed).

Each generator is fast (well under a second) because it builds the file from repeated
pieces: a gzip file may hold several members one after the other, and it inflates to the
concatenation of their contents (RFC 1952, section 2.2).
"""

from __future__ import annotations

import gzip
from pathlib import Path

MIB = 1 << 20
GIB = 1 << 30


def gzip_bomb(path: Path, *, head: bytes = b"", filler: bytes = b"\0", gib: int = 5) -> Path:
    """A gzip file of a few MB that inflates to ``head`` plus ``gib`` GiB of ``filler``."""
    block = gzip.compress(filler * (64 * MIB // len(filler)), compresslevel=9, mtime=0)
    with path.open("wb") as handle:
        if head:
            handle.write(gzip.compress(head, mtime=0))
        for _ in range(gib * 16):
            handle.write(block)
    return path


def activity_log_csv(path: Path, *, n_activities: int, n_cases: int) -> Path:
    """A CSV log whose cases walk through ``n_activities`` distinct activities."""
    lines = ["case;activity;timestamp;resource"]
    for i in range(n_activities):
        case = i % n_cases
        day, minute = 1 + (i // n_cases) % 28, (i * 7) % 600
        lines.append(
            f"C{case};Schritt {i:05d};{day:02d}.03.2025 {8 + minute // 60:02d}:{minute % 60:02d}"
            f";MA{i % 17}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
