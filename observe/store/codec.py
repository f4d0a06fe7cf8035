"""The session file's codec: a session in memory <-> its TinyDB table layout on disk.

The file is a TinyDB database (``{"session": {"1": {...}}, "notes": {"1": {...}, ...}}``):
one table per kind of document, documents keyed by TinyDB's doc ids. ``SessionTables`` holds
that layout in memory for an open session and is the one place that writes it: every change
replaces one document, and ``encode`` renders the whole file from memory, so a save after
failed ones carries every change made since the last good one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from observe.core.errors import SessionUnreadable
from observe.core.models import Note, Rating, Session
from observe.core.readfile import too_deep
from observe.core.record import SessionRecord
from observe.store.atomic import AtomicStorage, dumps
from observe.store.migrations import migrate

SESSION_TABLE = "session"
NOTES_TABLE = "notes"
RATINGS_TABLE = "ratings"
DRAFT_TABLE = "draft"  # the note being typed; local to this file, never merged
# A session file nests about ten levels (conflicts add a few); writing back fails past 255.
MAX_DEPTH = 64


class SessionTables:
    """The TinyDB layout of one session file, kept in memory and changed a document at a time.

    Documents are replaced, never changed in place, so a shallow copy of the tables (taken
    under the owner's lock) can be encoded while the next change is being made.
    """

    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables: dict[str, dict[str, Any]] = {
            name: dict(table) for name, table in tables.items() if isinstance(table, dict)
        }
        self._keys: dict[str, dict[str, str]] = {}
        for name in (NOTES_TABLE, RATINGS_TABLE):
            table = self._tables.get(name, {})
            self._keys[name] = {
                doc.get("id"): key for key, doc in table.items() if isinstance(doc, dict)
            }

    @classmethod
    def new(cls, session: Session) -> SessionTables:
        return cls({SESSION_TABLE: {"1": session.dump()}})

    @classmethod
    def of(cls, record: SessionRecord) -> SessionTables:
        """The layout of a whole record: doc ids count from 1, as TinyDB gives them."""
        tables = cls.new(record.session)
        for doc in (*record.notes, *record.ratings):
            tables.put(doc)
        return tables

    # ------------------------------------------------------------ changes

    def put_session(self, session: Session) -> None:
        table = self._tables.setdefault(SESSION_TABLE, {})
        key = next(iter(table), "1")  # the file's one session document keeps its doc id
        table[key] = session.dump()

    def put(self, doc: Note | Rating) -> None:
        name = NOTES_TABLE if isinstance(doc, Note) else RATINGS_TABLE
        table = self._tables.setdefault(name, {})
        keys = self._keys[name]
        key = keys.get(doc.id)
        if key is None:
            # TinyDB's rule for a new document: one more than the largest doc id so far.
            key = keys[doc.id] = str(max((int(k) for k in table if k.isdigit()), default=0) + 1)
        table[key] = doc.dump()

    def put_draft(self, text: str, at: str) -> None:
        self._tables[DRAFT_TABLE] = {"1": {"text": text, "at": at}}

    # ------------------------------------------------------------ output

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """A copy safe to encode while the next change is made (documents are shared)."""
        return {name: dict(table) for name, table in self._tables.items()}


def session_doc(tables: dict[str, Any]) -> dict[str, Any]:
    """The session document of parsed tables (``parse_raw`` checked there is exactly one)."""
    return next(iter(tables[SESSION_TABLE].values()))


def notes_table(tables: dict[str, Any]) -> dict[str, Any]:
    return tables.get(NOTES_TABLE) or {}


def ratings_table(tables: dict[str, Any]) -> dict[str, Any]:
    return tables.get(RATINGS_TABLE) or {}


def tables_of(record: SessionRecord) -> dict[str, dict[str, Any]]:
    """The TinyDB layout of ``record``, as a new session file holds it."""
    return SessionTables.of(record).snapshot()


def encode(tables: dict[str, Any]) -> bytes:
    """The file's bytes for a snapshot of the tables."""
    return dumps(tables)


def write(path: Path, tables: dict[str, Any]) -> None:
    """Replace ``path`` atomically (fsync'd, 0600) with the session in ``tables``."""
    AtomicStorage(path).write(tables)


# ---------------------------------------------------------------- reading


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


def read_draft(data: dict[str, Any]) -> str:
    docs = data.get(DRAFT_TABLE) or {}
    for doc in docs.values():
        if isinstance(doc, dict) and isinstance(doc.get("text"), str):
            return doc["text"]
    return ""


def decode(raw: bytes, name: str = "") -> tuple[SessionRecord, str, dict[str, Any]]:
    """The record, the draft and the migrated tables of a session file's bytes."""
    tables = parse_raw(raw, name)
    return record_from_tables(tables), read_draft(tables), tables
