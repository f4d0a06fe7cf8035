"""Schema versions of session files and the steps between them.

A step takes the TinyDB layout of schema N and returns that of N+1. Files are migrated in
memory when read; the file on disk changes only when the session is next saved. A step
describes layouts as they were at the time, so it spells its tables out by name.

Schema 1 -> 2: the session document's ``summary`` and ``response`` (each a map from
facilitator id) become documents of their own, one per facilitator, in the tables
``summaries`` and ``responses``, with ids derived from the session and the facilitator and
the session document's rev (so every machine migrates a copy to the same documents, and a
later copy's still wins). Agreed actions get ids derived from their place. An entry for
someone who is not a facilitator of the session stays where it was. A conflict on the session
document is migrated version by version and merged again: what differed only in a summary or
a response becomes a conflict on that document alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import orjson

from observe.core.errors import SessionUnreadable
from observe.core.models import SCHEMA_VERSION, Action, FacilitatorSummary, Response, valid_id

Tables = dict[str, Any]
Doc = dict[str, Any]


def _per_facilitator(doc: Doc, key: str, facilitators: set[str]) -> tuple[list[Doc], dict]:
    """Schema 1's ``summary`` or ``response`` map as schema 2 documents, and what stays."""
    session_id, rev = doc["id"], doc.get("rev", 1)
    rev = rev if isinstance(rev, int) and not isinstance(rev, bool) else 1
    made_id = FacilitatorSummary.id_for if key == "summary" else Response.id_for
    docs: list[Doc] = []
    left: dict[str, Any] = {}
    for fid, body in doc[key].items():
        if fid not in facilitators or not isinstance(body, dict):
            left[fid] = body
            continue
        fields = {k: v for k, v in body.items() if k not in ("id", "rev", "facilitator")}
        if key == "response" and isinstance(fields.get("actions"), list):
            fields["actions"] = [
                {"id": Action.id_for(made_id(session_id, fid), i), **a}
                if isinstance(a, dict) and "id" not in a
                else a
                for i, a in enumerate(fields["actions"])
            ]
        docs.append({"id": made_id(session_id, fid), "rev": rev, "facilitator": fid, **fields})
    return docs, left


def _split(data: Tables) -> Tables:
    """One schema 1 file (its session document not in conflict) in schema 2's layout."""
    out = dict(data)
    key, doc = next(iter(data["session"].items()))
    if not isinstance(doc, dict) or not valid_id(doc.get("id")):
        return out  # refused when validated, as it was
    doc = dict(doc)
    meta = doc.get("meta")
    people = meta.get("facilitators") if isinstance(meta, dict) else None
    facilitators = {
        p.get("id") for p in people or () if isinstance(p, dict) and valid_id(p.get("id"))
    }
    for old, table in (("summary", "summaries"), ("response", "responses")):
        if not isinstance(doc.get(old), dict):
            continue  # absent, or not a map: left for validation to judge
        docs, left = _per_facilitator(doc, old, facilitators)
        if left:
            doc[old] = left
        else:
            del doc[old]
        if docs:
            out[table] = {str(i): d for i, d in enumerate(docs, start=1)}
    doc["schema"] = 2
    out["session"] = {key: doc}
    return out


def _content_hash(doc: Doc) -> str:
    return hashlib.sha256(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _one_to_two(data: Tables) -> Tables:
    out = _split(data)
    key, session = next(iter(data["session"].items()))
    records = data.get("conflicts")
    if not isinstance(records, dict) or not isinstance(session, dict):
        return out
    found = [
        (k, r)
        for k, r in records.items()
        if isinstance(r, dict)
        and r.get("table") == "session"
        and r.get("id") == session.get("id")
        and isinstance(r.get("versions"), dict)
    ]
    if not found:
        return out
    # A conflict on the session document: each version split as the file's own would be.
    # The versions are all at one rev; what they share is one document again, what differs
    # is a conflict on that document alone (a summary, a response, or the session's own).
    versions: dict[tuple[str, str], dict[str, Doc]] = {}
    for version in found[0][1]["versions"].values():
        if not isinstance(version, dict) or version.get("id") != session.get("id"):
            continue
        split = _split({"session": {key: version}})
        for table in ("session", "summaries", "responses"):
            for doc in (split.get(table) or {}).values():
                versions.setdefault((table, doc["id"]), {})[_content_hash(doc)] = doc
    kept = [r for k, r in records.items() if k != found[0][0]]
    for (table, doc_id), docs in versions.items():
        shown = docs[min(docs)]  # as a merge shows a conflict: the same on every machine
        placed = out.setdefault(table, {})
        at = next(
            (k for k, d in placed.items() if isinstance(d, dict) and d.get("id") == doc_id), None
        )
        if at is None:
            at = str(max((int(k) for k in placed if k.isdecimal()), default=0) + 1)
        placed[at] = shown
        if len(docs) > 1:
            rev = shown.get("rev", 1)
            kept.append(
                {"table": table, "id": doc_id, "rev": rev, "versions": dict(sorted(docs.items()))}
            )
    order = sorted(kept, key=lambda r: (str(r.get("table")), str(r.get("id"))))
    out["conflicts"] = {str(i): r for i, r in enumerate(order, start=1)}
    return out


# schema N -> function producing schema N+1
STEPS: dict[int, Callable[[Tables], Tables]] = {1: _one_to_two}


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
