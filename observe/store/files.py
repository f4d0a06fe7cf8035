"""Reading session files: parse, migrate, validate, or say exactly why not.

Nothing here writes. A file that fails is reported as unreadable and left byte-for-byte alone.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from observe.core.errors import SessionUnreadable
from observe.core.models import Note, Rating, Session, slugify
from observe.core.readfile import MiB, read_regular, too_deep
from observe.core.record import SessionRecord
from observe.store.migrations import migrate

SESSION_TABLE = "session"
NOTES_TABLE = "notes"
RATINGS_TABLE = "ratings"
DRAFT_TABLE = "draft"  # the note being typed; local to this file, never merged
SUFFIX = ".json"
# A six-hour session with a thousand notes is about a megabyte; this leaves room for far more
# while refusing a file that would only fill memory.
MAX_SESSION_BYTES = 64 * MiB
# A session file nests about ten levels (conflicts add a few); writing back fails past 255.
MAX_DEPTH = 64


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


def _error_text(exc: ValidationError, table: str) -> str:
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{table}: {loc}: {err['msg']}" if loc else f"{table}: {err['msg']}"


def parse_raw(raw: bytes, name: str = "") -> dict[str, Any]:
    """The TinyDB layout of a session file, migrated to the current schema."""
    if not raw or raw.isspace():  # (strip() would copy the whole file to find out)
        raise SessionUnreadable("empty file")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if str(exc).startswith("depth limit exceeded"):
            raise SessionUnreadable(f"nested too deeply (more than {MAX_DEPTH} levels)") from None
        raise SessionUnreadable(f"not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get(SESSION_TABLE), dict):
        raise SessionUnreadable("not a session file (no 'session' table)")
    docs = list(data[SESSION_TABLE].values())
    if len(docs) != 1 or not isinstance(docs[0], dict):
        raise SessionUnreadable(f"the 'session' table must hold one document, found {len(docs)}")
    for table in (NOTES_TABLE, RATINGS_TABLE):
        if not isinstance(data.get(table, {}), dict):
            raise SessionUnreadable(f"the '{table}' table is not an object")
    return migrate(data)


def check_depth(data: dict[str, Any]) -> None:
    """SessionUnreadable when the tables nest too deeply to be handled (or written back)."""
    if too_deep(data, MAX_DEPTH):
        raise SessionUnreadable(f"nested too deeply (more than {MAX_DEPTH} levels)")


def record_from_tables(data: dict[str, Any]) -> SessionRecord:
    check_depth(data)
    try:
        session = Session.model_validate(next(iter(data[SESSION_TABLE].values())))
    except ValidationError as exc:
        raise SessionUnreadable(_error_text(exc, SESSION_TABLE)) from None
    try:
        notes = [Note.model_validate(doc) for doc in data.get(NOTES_TABLE, {}).values()]
    except ValidationError as exc:
        raise SessionUnreadable(_error_text(exc, NOTES_TABLE)) from None
    try:
        ratings = [Rating.model_validate(doc) for doc in data.get(RATINGS_TABLE, {}).values()]
    except ValidationError as exc:
        raise SessionUnreadable(_error_text(exc, RATINGS_TABLE)) from None
    notes.sort(key=lambda n: (n.at, n.id))
    return SessionRecord(session=session, notes=notes, ratings=ratings)


def read_record(path: Path) -> SessionRecord:
    """The whole session in a file, validated; SessionUnreadable says why not."""
    try:
        raw = read_regular(path, MAX_SESSION_BYTES)
    except OSError as exc:
        raise SessionUnreadable(f"cannot read: {exc.strerror or exc}") from None
    return record_from_tables(parse_raw(raw, path.name))


def read_draft(data: dict[str, Any]) -> str:
    docs = data.get(DRAFT_TABLE) or {}
    for doc in docs.values():
        if isinstance(doc, dict) and isinstance(doc.get("text"), str):
            return doc["text"]
    return ""
