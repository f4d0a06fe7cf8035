"""Who writes which documents of a session: what each person publishes, and what a reader
accepts from them.

A session file holds documents written by different people: the observer writes the session
document, the notes, the ratings and the summaries; each facilitator writes their own
response (schema 2: ``codec.RESPONSES_TABLE``, one document per facilitator). ``split``
cuts a session's tables into those parts, each in a canonical form (documents ordered by id,
doc ids counted from 1), so the same documents always give the same bytes whichever machine
holds them. A reader checks the other way round (``check_observer_part``,
``check_response_part``): a part that holds a document its writer may not write is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from observe.store import codec
from observe.store.codec import CONFLICTS_TABLE
from observe.store.team.errors import Refused

Tables = dict[str, Any]

OBSERVER_TABLES = (
    codec.SESSION_TABLE,
    codec.NOTES_TABLE,
    codec.RATINGS_TABLE,
    codec.SUMMARIES_TABLE,
    codec.FOLLOWUPS_TABLE,
)
RESPONSE_TABLES: tuple[str, ...] = (codec.RESPONSES_TABLE,)
SHARED_STATUSES = ("shared", "acknowledged")


@dataclass(frozen=True)
class Parts:
    """A session's people and the documents each of them publishes."""

    session_id: str
    observer: str | None
    facilitators: tuple[str, ...]
    status: str
    observer_part: Tables
    responses: dict[str, Tables]  # facilitator id -> their part (only those with documents)
    names: dict[str, str]  # person id -> name, as the session gives them

    def name(self, person_id: str) -> str:
        return self.names.get(person_id) or person_id

    @property
    def shared(self) -> bool:
        return self.status in SHARED_STATUSES


def _person_id(value: object) -> str | None:
    return value.get("id") if isinstance(value, dict) and isinstance(value.get("id"), str) else None


def _canonical(docs: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(docs, key=lambda d: str(d.get("id")))
    return {str(i): doc for i, doc in enumerate(ordered, start=1)}


def _docs(tables: Tables, table: str) -> list[dict[str, Any]]:
    found = tables.get(table)
    return [d for d in found.values() if isinstance(d, dict)] if isinstance(found, dict) else []


def split(tables: Tables) -> Parts:
    """The parts of a session's (parsed, migrated) tables, each in canonical form."""
    doc = codec.session_doc(tables)
    meta = doc.get("meta") if isinstance(doc.get("meta"), dict) else {}
    people = meta.get("facilitators") if isinstance(meta.get("facilitators"), list) else []
    facilitators = tuple(p for p in (_person_id(x) for x in people) if p)
    names = {
        str(x["id"]): str(x.get("name", ""))
        for x in [*people, meta.get("observer")]
        if _person_id(x)
    }
    observer_part = {t: _canonical(_docs(tables, t)) for t in OBSERVER_TABLES if t in tables}
    conflicts = [
        c for c in _docs(tables, CONFLICTS_TABLE) if c.get("table") in OBSERVER_TABLES
    ]  # the versions a merge keeps visible travel with them, so every copy shows the same
    if conflicts:
        observer_part[CONFLICTS_TABLE] = _canonical_conflicts(conflicts)
    responses: dict[str, Tables] = {}
    for table in RESPONSE_TABLES:
        for item in _docs(tables, table):
            writer = item.get("facilitator")
            if isinstance(writer, str) and writer in facilitators:
                responses.setdefault(writer, {}).setdefault(table, []).append(item)
    return Parts(
        session_id=str(doc.get("id")),
        observer=_person_id(meta.get("observer")),
        facilitators=facilitators,
        status=str(doc.get("status")),
        observer_part=observer_part,
        responses={f: {t: _canonical(d) for t, d in p.items()} for f, p in responses.items()},
        names=names,
    )


def _canonical_conflicts(records: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(records, key=lambda r: (str(r.get("table")), str(r.get("id"))))
    return {str(i): r for i, r in enumerate(ordered, start=1)}


def encode(part: Tables) -> bytes:
    """The bytes of a part: the same documents give the same bytes on every machine."""
    return orjson.dumps(part, option=orjson.OPT_SORT_KEYS)


# ---------------------------------------------------------------- what a reader accepts


def check_observer_part(tables: Tables, writer: str, doc: str) -> None:
    """Refused unless ``tables`` is a session part ``writer`` may publish as its observer."""
    extra = set(tables) - {*OBSERVER_TABLES, CONFLICTS_TABLE}
    if extra:
        raise Refused(f"a session part holding what its observer does not write ({min(extra)})")
    session = codec.session_doc(tables)
    if session.get("id") != doc:
        raise Refused("a session part whose session is not the one its writer signed")
    meta = session.get("meta") if isinstance(session.get("meta"), dict) else {}
    if _person_id(meta.get("observer")) != writer:
        raise Refused(f"a session part from {writer}, who is not its observer")
    for record in _docs(tables, CONFLICTS_TABLE):
        if record.get("table") not in OBSERVER_TABLES:
            raise Refused("a session part holding conflicts its observer does not write")


def check_response_part(
    tables: Tables, writer: str, facilitators: tuple[str, ...], doc: str
) -> None:
    """Refused unless ``tables`` holds only ``writer``'s own response documents to ``doc``,
    a session that names ``writer`` among its facilitators."""
    if writer not in facilitators:
        raise Refused(f"a response from {writer}, who is not a facilitator of session {doc}")
    extra = set(tables) - set(RESPONSE_TABLES)
    if extra or not RESPONSE_TABLES:
        raise Refused("a response part holding what a facilitator does not write")
    for table in RESPONSE_TABLES:
        for item in _docs(tables, table):
            if item.get("facilitator") != writer:
                raise Refused(f"a response part from {writer} holding another's response")
