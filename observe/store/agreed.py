"""The agreed actions of a session file: as the index keeps them, and as the file holds them.

The index (``observe.store.index``) keeps every facilitator's actions as rows (``ROW``), so
that following actions up never decodes every file. It is derived data and can be edited by
hand, so what is shown is read again from the files the index points at (``in_file``): the
index only says which few files to read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from observe.core.errors import ObserveError
from observe.core.models import Meta, Response
from observe.core.summary import ActionRow
from observe.store import codec, files

ROW = ("facilitator", "id", "text", "owner", "by", "state")  # an index row's fields, in order
_MOMENT = TypeAdapter(datetime)


def rows_of(responses: Iterable[Response]) -> list[list[Any]]:
    """The index's rows for a session's responses: one list per action, fields as ``ROW``."""
    return [
        [r.facilitator, a.id, a.text, a.owner, a.by.isoformat() if a.by else "", a.state.value]
        for r in responses
        for a in r.actions
    ]


def aware(moment: datetime) -> datetime:
    """A moment with a zone (a naive one is read as UTC), so any two compare."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


Held = tuple[str, datetime, Meta, list[Response]]
# What in_file read, by path, with the file's size and mtime then: home reads the same
# files each time it is shown. Keyed by the file's own stat, never by what the index says.
_READ: dict[str, tuple[int, int, Held | None]] = {}
_MOST_KEPT = 20_000


def in_file(path: Path) -> Held | None:
    """``read_file``, again only when the file changed since it was last read here."""
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    key = str(path)
    kept = _READ.get(key)
    if kept is not None and kept[:2] == (stat.st_size, stat.st_mtime_ns):
        return kept[2]
    found = read_file(path)
    if len(_READ) >= _MOST_KEPT:
        _READ.clear()
    _READ[key] = (stat.st_size, stat.st_mtime_ns, found)
    return found


def read_file(path: Path) -> Held | None:
    """(session id, when it was created, its meta, its responses) as the file holds them; None when
    it cannot be read. Only the session document and the responses are checked: a tenth of
    the cost of reading the whole record."""
    try:
        data = codec.parse_raw(files.read_bytes(path), path.name)
        doc = codec.session_doc(data)
        meta = Meta.model_validate(doc.get("meta"))
        sid = doc.get("id")
        if not isinstance(sid, str):
            return None
        people = [p.id for p in meta.facilitators]
        responses = codec.per_facilitator(data, codec.RESPONSES_TABLE, sid, people)
        created = aware(_MOMENT.validate_python(doc.get("created_at")))
    except (OSError, ObserveError, ValueError, TypeError, KeyError, AttributeError):
        return None  # (pydantic's ValidationError is a ValueError)
    return sid, created, meta, list(responses)  # type: ignore[arg-type]


def parsed_rows(raw: object) -> tuple[ActionRow, ...]:
    """The index's rows as typed rows; a row that is not as ``rows_of`` writes is left out."""
    if not isinstance(raw, list):
        return ()
    found = (ActionRow.of(row) for row in raw)
    return tuple(row for row in found if row is not None)
