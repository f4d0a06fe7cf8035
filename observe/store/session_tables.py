"""An open session's file in memory: its documents, each also kept as the bytes it is in
the file, changed one document at a time.

Part of the codec (observe/store/codec.py, whose table names it uses). Documents are
replaced, never changed in place, so a shallow copy (taken under the owner's lock) can be
joined and written while the next change is being made; a write after failed ones carries
every change made since the last good one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from observe.core.actions import FollowUp
from observe.core.models import FacilitatorSummary, Note, Rating, Response, Session
from observe.core.record import SessionRecord
from observe.store import encoded
from observe.store.atomic import write_atomic
from observe.store.codec import DRAFT_TABLE, SESSION_TABLE, TABLE_OF


class SessionTables:
    """The TinyDB layout of one session file, kept in memory and changed a document at a time."""

    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables: dict[str, dict[str, Any]] = {
            name: dict(table) for name, table in tables.items() if isinstance(table, dict)
        }
        self._keys: dict[str, dict[str, str]] = {}
        for name in TABLE_OF.values():
            table = self._tables.get(name, {})
            self._keys[name] = {
                doc.get("id"): key for key, doc in table.items() if isinstance(doc, dict)
            }
        self._parts = encoded.parts_of(self._tables)  # each document's bytes, for writing
        self._next: dict[str, int] = {}  # a table's next new doc id, once worked out

    @classmethod
    def new(cls, session: Session) -> SessionTables:
        return cls({SESSION_TABLE: {"1": session.dump()}})

    @classmethod
    def of(cls, record: SessionRecord) -> SessionTables:
        """The layout of a whole record: doc ids count from 1, as TinyDB gives them."""
        tables = cls.new(record.session)
        docs = (*record.notes, *record.ratings, *record.summaries, *record.responses)
        for doc in (*docs, *record.followups):
            tables.put(doc)
        return tables

    # ------------------------------------------------------------ changes

    def _set(self, name: str, key: str, doc: dict[str, Any]) -> None:
        self._tables.setdefault(name, {})[key] = doc
        self._parts.setdefault(name, {})[key] = encoded.part(key, doc)

    def put_session(self, session: Session) -> None:
        table = self._tables.get(SESSION_TABLE) or {}
        key = next(iter(table), "1")  # the file's one session document keeps its doc id
        self._set(SESSION_TABLE, key, session.dump())

    def put(self, doc: Note | Rating | FacilitatorSummary | Response | FollowUp) -> None:
        name = TABLE_OF[type(doc)]
        keys = self._keys[name]
        key = keys.get(doc.id)
        if key is None:
            key = keys[doc.id] = self._new_key(name)
        self._set(name, key, doc.dump())

    def _new_key(self, name: str) -> str:
        """TinyDB's rule for a new document: one more than the largest doc id so far."""
        top = self._next.get(name)
        if top is None:
            top = max((int(k) for k in self._tables.get(name, {}) if k.isdecimal()), default=0)
        self._next[name] = top + 1
        return str(top + 1)

    def put_draft(self, text: str, at: str) -> None:
        doc = {"text": text, "at": at}
        self._tables[DRAFT_TABLE] = {"1": doc}  # the whole table: one draft, whatever was there
        self._parts[DRAFT_TABLE] = {"1": encoded.part("1", doc)}

    # ------------------------------------------------------------ output

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """A copy safe to encode while the next change is made (documents are shared)."""
        return {name: dict(table) for name, table in self._tables.items()}

    def parts(self) -> encoded.Parts:
        """The file's bytes in parts, a copy safe to join while the next change is made."""
        return {name: dict(docs) for name, docs in self._parts.items()}


def write_parts(path: Path, parts: encoded.Parts) -> None:
    """Replace ``path`` atomically (fsync'd, 0600) with the file ``SessionTables.parts`` gave."""
    write_atomic(path, encoded.join(parts))
