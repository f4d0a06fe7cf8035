"""Bringing session files into a workspace and settling the conflicts they bring.

What the import screen and ``observe import``/``resolve`` share: the run itself is the
store's (observe/store/importer.py, each session merged under its lock); how a conflict's
versions are shown to the person choosing between them lives here.
"""

from __future__ import annotations

from typing import Any

import orjson

from observe.store import merge
from observe.store.importer import (
    ImportReport,
    SessionConflicts,
    import_paths,
    settle,
    workspace_conflicts,
)

__all__ = [
    "ImportReport",
    "SessionConflicts",
    "around_difference",
    "differing_parts",
    "import_paths",
    "settle",
    "version_previews",
    "workspace_conflicts",
]


def differing_parts(values: list[Any], path: str = "") -> list[tuple[str, list[Any]]]:
    """(dotted path, each version's value) for every part that differs, nested dicts opened."""
    if all(isinstance(v, dict) for v in values) and values:
        out: list[tuple[str, list[Any]]] = []
        for key in sorted(set().union(*(v.keys() for v in values))):
            inner = [v.get(key) for v in values]
            if len({orjson.dumps(i, option=orjson.OPT_SORT_KEYS) for i in inner}) > 1:
                out += differing_parts(inner, f"{path}.{key}" if path else str(key))
        return out
    return [(path, values)]


def around_difference(texts: list[str], width: int = 60) -> list[str]:
    """Each text cut to ``width`` around where the texts first differ ("…" marks a cut)."""
    first = 0
    shortest = min((len(t) for t in texts), default=0)
    while first < shortest and len({t[first] for t in texts}) == 1:
        first += 1
    start = max(0, first - width // 3)
    out = []
    for t in texts:
        piece = t[start : start + width]
        out.append(("…" if start else "") + piece + ("…" if start + width < len(t) else ""))
    return out


def version_previews(conflict: merge.Conflict, width: int = 60, most: int = 3) -> list[str]:
    """One line per version of ``conflict``: the fields that differ, shown where they differ."""
    docs = [doc for _, doc in conflict.versions]
    parts = differing_parts(docs)
    lines: list[list[str]] = [[] for _ in docs]
    for path, values in parts[:most]:
        texts = [v if isinstance(v, str) and v else orjson.dumps(v).decode() for v in values]
        for i, shown in enumerate(around_difference(texts, width)):
            lines[i].append(f"{path}: {shown}")
    more = f"; and {len(parts) - most} more fields" if len(parts) > most else ""
    return ["; ".join(line) + more for line in lines]
