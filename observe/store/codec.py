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

from observe.core.models import Note, Rating, Session
from observe.core.record import SessionRecord
from observe.store import files
from observe.store.atomic import AtomicStorage, dumps

SESSION_TABLE = files.SESSION_TABLE
NOTES_TABLE = files.NOTES_TABLE
RATINGS_TABLE = files.RATINGS_TABLE
DRAFT_TABLE = files.DRAFT_TABLE


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
    """The session document of a parsed file (``parse_raw`` checked there is exactly one)."""
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


def decode(raw: bytes, name: str = "") -> tuple[SessionRecord, str, dict[str, Any]]:
    """The record, the draft and the migrated tables of a session file's bytes."""
    tables = files.parse_raw(raw, name)
    return files.record_from_tables(tables), files.read_draft(tables), tables
