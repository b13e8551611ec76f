"""Markdown escaping and pipe tables, shared by the Markdown report and its sections."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["md_escape"]

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LEADING = re.compile(r"^(\d+)([.)])(?=\s|$)|^([#>+\-=])")


def md_escape(value: Any) -> str:
    """Escape ``value`` for Markdown text and table cells (one line)."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"\s*[\r\n]+\s*", " ", text).strip()
    return _LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def _table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = right or set()
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = [
        "| " + " | ".join(md_escape(h) for h in header) + " |",
        "| " + " | ".join(align) + " |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
