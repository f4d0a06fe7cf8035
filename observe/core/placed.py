"""A record's lists of documents, changed by id: a document replaces the one with its id
where that one is, or is added at the end."""

from __future__ import annotations

from typing import Any, Protocol


class HasId(Protocol):
    id: str


def places(items: list[Any]) -> dict[str, int]:
    """Where each document is in ``items`` (the first, should a file hold one twice)."""
    out: dict[str, int] = {}
    for i, item in enumerate(items):
        out.setdefault(item.id, i)
    return out


def put(items: list[Any], where: dict[str, int], item: HasId) -> None:
    """``item`` in its place in ``items`` (``where``: their ``places``, kept up to date): a
    note in a long session is found at once, not searched for."""
    i = where.setdefault(item.id, len(items))
    if i == len(items):
        items.append(item)
    else:
        items[i] = item
