"""Session files as files: their names, the folder's list, reading one whole.

What is inside a file (the TinyDB layout, its checks and migration) is the codec's
(observe.store.codec); its names are re-exported here for older callers. Nothing here
writes. A file that fails is reported as unreadable and left byte-for-byte alone.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from observe.core.errors import SessionUnreadable
from observe.core.models import Session, slugify
from observe.core.readfile import MiB, read_regular
from observe.core.record import SessionRecord
from observe.store.codec import (  # noqa: F401  (re-exported: the codec owns the layout)
    DRAFT_TABLE,
    MAX_DEPTH,
    NOTES_TABLE,
    RATINGS_TABLE,
    SESSION_TABLE,
    check_depth,
    parse_raw,
    read_draft,
    record_from_tables,
)

SUFFIX = ".json"
# A six-hour session with a thousand notes is about a megabyte; this leaves room for far more
# while refusing a file that would only fill memory.
MAX_SESSION_BYTES = 64 * MiB


def file_name(session: Session) -> str:
    """``<date>_<facilitator-slug>_<id8>.json``: sorts by date, readable in a file manager."""
    day = session.meta.date.isoformat() if isinstance(session.meta.date, date) else "undated"
    who = slugify(session.meta.facilitators[0].name)[:40] if session.meta.facilitators else "x"
    return f"{day}_{who}_{session.short_id}{SUFFIX}"


def session_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # Sort names, not Paths: comparing thousands of Path objects is slow.
    names = sorted(n for n in os.listdir(folder) if n.endswith(SUFFIX) and not n.startswith("."))
    return [folder / n for n in names]


def read_bytes(path: Path) -> bytes:
    """A session file's bytes: a regular file within the size limit, else OSError (why)."""
    return read_regular(path, MAX_SESSION_BYTES)


def read_record(path: Path) -> SessionRecord:
    """The whole session in a file, validated; SessionUnreadable says why not."""
    try:
        raw = read_regular(path, MAX_SESSION_BYTES)
    except OSError as exc:
        raise SessionUnreadable(f"cannot read: {exc.strerror or exc}") from None
    return record_from_tables(parse_raw(raw, path.name))
