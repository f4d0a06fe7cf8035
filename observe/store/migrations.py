"""Schema versions of session files and the steps between them.

A step takes the TinyDB layout of schema N and returns that of N+1. Files are migrated in
memory when read; the file on disk changes only when the session is next saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from observe.core.errors import SessionUnreadable
from observe.core.models import SCHEMA_VERSION

Tables = dict[str, Any]

# schema N -> function producing schema N+1
STEPS: dict[int, Callable[[Tables], Tables]] = {}


def schema_of(data: Tables) -> Any:
    docs = data.get("session") or {}
    doc = next(iter(docs.values()), {}) if isinstance(docs, dict) else {}
    return doc.get("schema") if isinstance(doc, dict) else None


def migrate(data: Tables) -> Tables:
    version = schema_of(data)
    if not isinstance(version, int) or isinstance(version, bool):
        raise SessionUnreadable(f"session: schema: expected a whole number, got {version!r}")
    if version > SCHEMA_VERSION:
        raise SessionUnreadable(
            f"schema {version} is newer than this version of observe understands"
            f" ({SCHEMA_VERSION}); update observe"
        )
    while version < SCHEMA_VERSION:
        step = STEPS.get(version)
        if step is None:
            raise SessionUnreadable(f"schema {version} is not supported (no migration)")
        data = step(data)
        version += 1
        for doc in data["session"].values():
            doc["schema"] = version
    return data
