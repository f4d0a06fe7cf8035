"""Text cut to a width, ending in "…" when it had to be cut (tables, notices, reports)."""

from __future__ import annotations


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
