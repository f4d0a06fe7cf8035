"""The session file's codec: a session in memory <-> its TinyDB table layout on disk.

The file is a TinyDB database (``{"session": {"1": {...}}, "notes": {"1": {...}, ...}}``):
one table per kind of document (the session, notes, ratings, and per facilitator the
observer's summary and the facilitator's response), documents keyed by TinyDB's doc ids.
An open session holds that layout in memory, a document at a time, in ``SessionTables``
(observe/store/session_tables.py, the codec's part for writing); a file read whole is a
``SessionFile``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from observe.core.actions import FollowUp, checked, label_order
from observe.core.answers import one_each
from observe.core.errors import SessionUnreadable
from observe.core.models import SCHEMA_VERSION, FacilitatorSummary, Note, Rating, Response, Session
from observe.core.readfile import too_deep
from observe.core.record import SessionRecord
from observe.store.atomic import AtomicStorage, dumps
from observe.store.migrations import migrate, schema_of

SESSION_TABLE = "session"
NOTES_TABLE = "notes"
RATINGS_TABLE = "ratings"
SUMMARIES_TABLE = "summaries"  # the observer's summary, one per facilitator
RESPONSES_TABLE = "responses"  # the facilitator's response, one per facilitator
PER_FACILITATOR = {SUMMARIES_TABLE: FacilitatorSummary, RESPONSES_TABLE: Response}
FOLLOWUPS_TABLE = "followups"  # actions from earlier observations, one per action
TABLE_OF: dict[type, str] = {Note: NOTES_TABLE, Rating: RATINGS_TABLE}  # and per facilitator:
TABLE_OF.update({model: table for table, model in PER_FACILITATOR.items()})
TABLE_OF[FollowUp] = FOLLOWUPS_TABLE
DRAFT_TABLE = "draft"  # the note being typed; local to this file, never merged
CONFLICTS_TABLE = "conflicts"  # versions of a document that merging could not choose between
# The tables of documents with their own id and rev, which a merge unites.
MERGED_TABLES = (SESSION_TABLE, *TABLE_OF.values())
# A session file nests about ten levels (conflicts add a few); writing back fails past 255.
MAX_DEPTH = 64


def session_doc(tables: dict[str, Any]) -> dict[str, Any]:
    """The session document of parsed tables (``parse_raw`` checked there is exactly one)."""
    return next(iter(tables[SESSION_TABLE].values()))


def notes_table(tables: dict[str, Any]) -> dict[str, Any]:
    return tables.get(NOTES_TABLE) or {}


def ratings_table(tables: dict[str, Any]) -> dict[str, Any]:
    return tables.get(RATINGS_TABLE) or {}


def tables_of(record: SessionRecord) -> dict[str, dict[str, Any]]:
    """The TinyDB layout of ``record``, as a new session file holds it (doc ids from 1)."""
    return file_tables(SessionFile(record))


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
    return _parse(raw)[0]


def _parse(raw: bytes) -> tuple[dict[str, Any], bool]:
    """The migrated tables, and whether they were migrated from an older schema."""
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
    for table in MERGED_TABLES[1:]:
        if not isinstance(data.get(table, {}), dict):
            raise SessionUnreadable(f"the '{table}' table is not an object")
    old = schema_of(data) != SCHEMA_VERSION
    return migrate(data), old


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
    people = [p.id for p in session.meta.facilitators]
    summaries, responses = (per_facilitator(data, t, session.id, people) for t in PER_FACILITATOR)
    followups = read_followups(data, session.id)
    return SessionRecord(
        session=session,
        notes=notes,
        ratings=ratings,
        summaries=summaries,
        responses=responses,
        followups=followups,
    )


def read_followups(data: dict[str, Any], session_id: str) -> list[FollowUp]:
    """The follow-up documents (``core.actions.checked``); SessionUnreadable says why not."""
    try:
        return checked(data.get(FOLLOWUPS_TABLE) or {}, session_id)
    except ValidationError as exc:
        raise SessionUnreadable(_error_text(exc, FOLLOWUPS_TABLE)) from None
    except ValueError as exc:
        raise SessionUnreadable(f"{FOLLOWUPS_TABLE}: {exc}") from None


def per_facilitator(
    data: dict[str, Any], table: str, session_id: str, people: list[str]
) -> list[FacilitatorSummary] | list[Response]:
    """A table of per-facilitator documents (``SUMMARIES_TABLE``, ``RESPONSES_TABLE``) as
    ``observe.core.answers.one_each`` checks them; SessionUnreadable says why not."""
    try:
        return one_each(PER_FACILITATOR[table], data.get(table) or {}, session_id, people)
    except ValidationError as exc:
        raise SessionUnreadable(_error_text(exc, table)) from None
    except ValueError as exc:
        raise SessionUnreadable(f"{table}: {exc}") from None


def read_draft(data: dict[str, Any]) -> str:
    docs = data.get(DRAFT_TABLE) or {}
    for doc in docs.values():
        if isinstance(doc, dict) and isinstance(doc.get("text"), str):
            return doc["text"]
    return ""


def decode(raw: bytes, name: str = "") -> tuple[SessionRecord, str, dict[str, Any]]:
    """The record, the draft and the migrated tables of a session file's bytes."""
    return decode_stale(raw, name)[:3]


def decode_stale(raw: bytes, name: str = "") -> tuple[SessionRecord, str, dict[str, Any], bool]:
    """``decode``, and whether the file is of an older schema (so is to be written again)."""
    tables, old = _parse(raw)
    return record_from_tables(tables), read_draft(tables), tables, old


# ---------------------------------------------------------------- a whole file, typed

Doc = Session | Note | Rating | FacilitatorSummary | Response | FollowUp
_MODELS: dict[str, type[Doc]] = {SESSION_TABLE: Session, **{t: m for m, t in TABLE_OF.items()}}


@dataclass(frozen=True)
class Conflicted:
    """A document merging could not settle: the competing versions, each a whole document."""

    table: str
    id: str
    versions: tuple[Doc, ...]


@dataclass(frozen=True)
class Layout:
    """Where a file held its documents (TinyDB doc ids), kept when the file is written back."""

    keys: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (table, id) -> doc id
    tables: tuple[str, ...] = ()  # the file's tables in its order, empty ones included


@dataclass(frozen=True)
class SessionFile:
    """A session file decoded: its record, its open conflicts, and what stays local.

    ``local`` holds the tables that are never merged (the draft, and any table this version
    does not know) exactly as read; ``layout`` keeps each document's doc id.
    """

    record: SessionRecord
    conflicts: tuple[Conflicted, ...] = ()
    local: Mapping[str, Any] = field(default_factory=dict)
    layout: Layout = field(default_factory=Layout)

    @property
    def draft(self) -> str:
        return read_draft(dict(self.local))


def documents(record: SessionRecord) -> Iterator[tuple[str, Doc]]:
    """Every document of a record with the table it belongs in."""
    yield SESSION_TABLE, record.session
    for note in record.notes:
        yield NOTES_TABLE, note
    for rating in record.ratings:
        yield RATINGS_TABLE, rating
    for summary in record.summaries:
        yield SUMMARIES_TABLE, summary
    for response in record.responses:
        yield RESPONSES_TABLE, response
    for followup in record.followups:
        yield FOLLOWUPS_TABLE, followup


def record_of(docs: Iterable[tuple[str, Doc]]) -> SessionRecord:
    """The record made of documents (one session document; notes in time order)."""
    items = list(docs)
    sessions = [d for t, d in items if t == SESSION_TABLE and isinstance(d, Session)]
    if len(sessions) != 1:
        raise SessionUnreadable(f"a session needs one session document, found {len(sessions)}")
    notes = [d for t, d in items if t == NOTES_TABLE and isinstance(d, Note)]
    ratings = [d for t, d in items if t == RATINGS_TABLE and isinstance(d, Rating)]
    notes.sort(key=lambda n: (n.at, n.id))
    people = [p.id for p in sessions[0].meta.facilitators]
    place = {pid: i for i, pid in enumerate(people)}

    def each(table: str, model: type[Any]) -> list[Any]:
        found = [d for t, d in items if t == table and isinstance(d, model)]
        return sorted(found, key=lambda d: (place.get(d.facilitator, len(place)), d.id))

    return SessionRecord(
        session=sessions[0],
        notes=notes,
        ratings=ratings,
        summaries=each(SUMMARIES_TABLE, FacilitatorSummary),
        responses=each(RESPONSES_TABLE, Response),
        followups=sorted(
            (d for t, d in items if t == FOLLOWUPS_TABLE and isinstance(d, FollowUp)),
            key=label_order,
        ),
    )


def content_hash(doc: Doc) -> str:
    """A document's content, hashed: the key of each version in the conflicts table."""
    return hashlib.sha256(orjson.dumps(doc.dump(), option=orjson.OPT_SORT_KEYS)).hexdigest()


def _conflicts_from(records: Any) -> tuple[Conflicted, ...]:
    """The conflict records of a file; odd records and versions are left out, as unreadable."""
    out = []
    for rec in records.values() if isinstance(records, dict) else ():
        if not isinstance(rec, dict) or rec.get("table") not in _MODELS:
            continue
        versions, doc_id = rec.get("versions"), rec.get("id")
        if not isinstance(versions, dict) or not isinstance(doc_id, str):
            continue
        model = _MODELS[rec["table"]]
        docs = []
        for version in versions.values():
            if isinstance(version, dict) and version.get("id") == doc_id:
                try:
                    docs.append(model.model_validate(version))
                except ValidationError:
                    continue
        out.append(Conflicted(rec["table"], doc_id, tuple(docs)))
    return tuple(out)


def file_from_tables(tables: dict[str, Any]) -> SessionFile:
    """The typed file of parsed tables (``parse_raw``); SessionUnreadable says why not."""
    record = record_from_tables(tables)
    keys: dict[tuple[str, str], str] = {}
    for name in MERGED_TABLES:
        for key, doc in (tables.get(name) or {}).items():
            if isinstance(doc, dict) and isinstance(doc.get("id"), str):
                keys.setdefault((name, doc["id"]), key)
    return SessionFile(
        record=record,
        conflicts=_conflicts_from(tables.get(CONFLICTS_TABLE)),
        local={k: v for k, v in tables.items() if k not in (*MERGED_TABLES, CONFLICTS_TABLE)},
        layout=Layout(keys, tuple(tables)),
    )


def decode_file(raw: bytes, name: str = "") -> SessionFile:
    """The typed file of a session file's bytes."""
    return file_from_tables(parse_raw(raw, name))


def file_tables(file: SessionFile) -> dict[str, Any]:
    """The TinyDB layout of a typed file: documents keep their doc ids, new ones follow."""
    out: dict[str, Any] = {}
    placed: dict[str, dict[str, Any]] = {name: {} for name in MERGED_TABLES}
    later: list[tuple[str, Doc]] = []
    for name, doc in documents(file.record):
        key = file.layout.keys.get((name, doc.id))
        if key is None or key in placed[name]:
            later.append((name, doc))
        else:
            placed[name][key] = doc.dump()
    for name, doc in later:
        top = max((int(k) for k in placed[name] if k.isdecimal()), default=0)
        placed[name][str(top + 1)] = doc.dump()  # TinyDB's rule for a new document
    for name in MERGED_TABLES:
        if placed[name] or name in file.layout.tables:
            out[name] = dict(sorted(placed[name].items(), key=lambda kv: _key_order(kv[0])))
    out.update(file.local)
    records = {}
    for i, c in enumerate(sorted(file.conflicts, key=lambda c: (c.table, c.id)), start=1):
        versions = {content_hash(v): v.dump() for v in c.versions}
        records[str(i)] = {
            "table": c.table,
            "id": c.id,
            "rev": max((v.rev for v in c.versions), default=0),
            "versions": dict(sorted(versions.items())),
        }
    if records:
        out[CONFLICTS_TABLE] = records
    # The file's own order of tables first, so that a file read and written back is unchanged.
    first = [name for name in file.layout.tables if name in out]
    return {name: out[name] for name in (*first, *(n for n in out if n not in first))}


def _key_order(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdecimal() else (1 << 62, key)


def encode_file(file: SessionFile) -> bytes:
    """The bytes of a typed file."""
    return encode(file_tables(file))
