"""Bringing session files into a workspace and settling the conflicts they bring.

What the import screen and ``observe import``/``resolve`` share: the run itself is the
store's (observe/store/importer.py, each session merged under its lock); how a conflict's
versions are shown to the person choosing between them lives here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from observe.core.errors import UsageError
from observe.services.sealed_bundle import is_sealed, open_bundle
from observe.store import importer, merge
from observe.store.bundle import Member, Refused
from observe.store.importer import (
    ImportReport,
    SessionConflicts,
    settle,
    workspace_conflicts,
)
from observe.store.workspace import Workspace

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


def import_paths(
    workspace: Workspace,
    paths: list[Path],
    progress: Callable[[int, str], None] | None = None,
    senders: list[str] | None = None,
) -> ImportReport:
    """Import files, folders and bundles; a bundle sealed to team members is opened with this
    workspace's key and its sender's signature checked first (one line each in ``senders``).
    A sealed bundle that is not for this person, or not signed by a member, is refused."""
    plain: list[Path] = []
    members: list[Member | Refused] = []
    for path in paths:
        if not is_sealed(path):
            plain.append(path)
            continue
        try:
            opened = open_bundle(workspace.root, path)
        except UsageError as exc:
            members.append(Refused(str(path), str(exc)))
            continue
        members += opened.members
        if senders is not None:
            senders.append(f"{path}: sealed by {opened.sender}, signature checked")
    return importer.import_paths(workspace, plain, progress, members)


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
