"""The focus being written on My next observation, kept while it is typed.

``<workspace>/focus/draft.json`` holds what the screen holds (the name, the ticked criteria,
the line against each, the overall line) a moment after typing pauses, so a crash or a
``kill -9`` loses no one's words; it is offered back when the screen opens and deleted when
the focus is saved or cleared. It lives beside the focus files, outside ``.observe/`` (that
folder is derived data; this is someone's words). 0600, written atomically.

Read as untrusted: a regular file only, at most ``MAX_FILE`` bytes; anything not of the
known shape is passed over (a draft that cannot be read is no draft).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from observe.core.readfile import read_regular
from observe.store.atomic import write_atomic
from observe.store.focus_local import FORMAT, MAX_FILE, folder

DRAFT = "draft.json"
MAX_CHARS = 20_000  # per text: more than the screen accepts, so nothing typed is cut


@dataclass(frozen=True)
class Draft:
    name: str = ""
    criteria: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    overall: str = ""

    @property
    def empty(self) -> bool:
        return not (self.criteria or self.overall or any(self.texts.values()))


def path(workspace_root: Path) -> Path:
    return folder(workspace_root) / DRAFT


def _text(value: Any) -> str:
    return value[:MAX_CHARS] if isinstance(value, str) else ""


def load(workspace_root: Path) -> Draft | None:
    try:
        data: Any = orjson.loads(read_regular(path(workspace_root), MAX_FILE, follow=False))
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    criteria = data.get("criteria")
    texts = data.get("texts")
    draft = Draft(
        name=_text(data.get("name")),
        criteria=[c for c in criteria if isinstance(c, str)][:100]
        if isinstance(criteria, list)
        else [],
        texts={k: _text(v) for k, v in texts.items() if isinstance(k, str)}
        if isinstance(texts, dict)
        else {},
        overall=_text(data.get("overall")),
    )
    return None if draft.empty else draft


def save(workspace_root: Path, draft: Draft) -> None:
    if draft.empty:
        delete(workspace_root)
        return
    where = folder(workspace_root)
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = {
        "format": FORMAT,
        "name": draft.name,
        "criteria": draft.criteria,
        "texts": {k: v for k, v in draft.texts.items() if v},
        "overall": draft.overall,
    }
    write_atomic(path(workspace_root), orjson.dumps(data))


def delete(workspace_root: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path(workspace_root))
