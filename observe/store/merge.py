"""Merging a session from elsewhere into the local copy.

Identity is the session id; within a session, documents are matched by their own ``id``
across the tables ``session``, ``notes`` and ``ratings`` (``draft`` is local, never merged).

For each document id the merge keeps the set of *maximal* versions, ordered by
``(rev, deleted)``: a higher rev wins, and at the same rev a tombstone beats the version it
deletes. Identical content counts once. When more than one distinct version is maximal, the
document is in conflict: every such version is kept in the ``conflicts`` table, keyed by
(table, id), and the table itself shows one of them (the lowest content hash, so that every
order of imports shows the same one) until a person settles it. Because the result is
"the maximal versions of the union", merging is commutative, associative and idempotent.

Everything here is pure; ``observe.store.importer`` does the reading and writing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from observe.core.errors import UsageError
from observe.store import codec

MERGED_TABLES = (codec.SESSION_TABLE, codec.NOTES_TABLE, codec.RATINGS_TABLE)
CONFLICTS_TABLE = "conflicts"

Doc = dict[str, Any]
Tables = dict[str, Any]
# (table, doc id) -> {content hash: document}: the maximal versions of each document
State = dict[tuple[str, str], dict[str, Doc]]


def content_hash(doc: Doc) -> str:
    canonical = orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def order_key(doc: Doc) -> tuple[int, bool]:
    rev = doc.get("rev", 0)
    rev = rev if isinstance(rev, int) and not isinstance(rev, bool) else 0
    return rev, bool(doc.get("deleted", False))


def _maximal(versions: dict[str, Doc]) -> dict[str, Doc]:
    if len(versions) <= 1:
        return versions
    top = max(order_key(d) for d in versions.values())
    return {h: d for h, d in versions.items() if order_key(d) == top}


def state_of(tables: Tables) -> State:
    """The documents of a session file, with the versions its conflict records hold."""
    state: State = {}
    for table in MERGED_TABLES:
        docs = tables.get(table)
        for doc in docs.values() if isinstance(docs, dict) else ():
            if isinstance(doc, dict) and isinstance(doc.get("id"), str):
                key = (table, doc["id"])
                state.setdefault(key, {})[content_hash(doc)] = doc
    records = tables.get(CONFLICTS_TABLE)
    for record in records.values() if isinstance(records, dict) else ():
        if not isinstance(record, dict) or record.get("table") not in MERGED_TABLES:
            continue
        versions = record.get("versions")
        if not isinstance(versions, dict) or not isinstance(record.get("id"), str):
            continue
        key = (record["table"], record["id"])
        for doc in versions.values():
            if isinstance(doc, dict) and doc.get("id") == record["id"]:
                state.setdefault(key, {})[content_hash(doc)] = doc
    return {k: _maximal(v) for k, v in state.items()}


def merge_states(*states: State) -> State:
    out: State = {}
    for state in states:
        for key, versions in state.items():
            out.setdefault(key, {}).update(versions)
    return {k: _maximal(v) for k, v in out.items()}


def shown(versions: dict[str, Doc]) -> Doc:
    """The version the table shows while a conflict waits: the same whatever the order."""
    return versions[min(versions)]


@dataclass
class Outcome:
    """What merging one incoming session did to the local copy."""

    added: list[tuple[str, str]] = field(default_factory=list)  # (table, doc id)
    updated: list[tuple[str, str]] = field(default_factory=list)
    new_conflicts: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # all open after the merge

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.new_conflicts)


def compare(before: State, after: State) -> Outcome:
    out = Outcome()
    for key in sorted(after):
        versions = after[key]
        if len(versions) > 1:
            out.conflicts.append(key)
        old = before.get(key)
        if old is None:
            out.added.append(key)
        elif set(old) != set(versions):
            (out.new_conflicts if len(versions) > 1 else out.updated).append(key)
    return out


def to_tables(state: State, local: Tables | None = None) -> Tables:
    """The TinyDB layout of a merged state, keeping the local doc_ids and local tables.

    Local doc_ids are kept so an editor's notion of where each document lives stays valid;
    new documents are appended in a stable order (by id).
    """
    local = local or {}
    out: Tables = {
        k: v for k, v in local.items() if k not in (*MERGED_TABLES, CONFLICTS_TABLE)
    }  # draft and anything else local stays as it was
    for table in MERGED_TABLES:
        placed: dict[str, Doc] = {}
        wanted = {doc_id: shown(v) for (t, doc_id), v in state.items() if t == table}
        used: set[str] = set()
        for doc_key, doc in (local.get(table) or {}).items():
            doc_id = doc.get("id") if isinstance(doc, dict) else None
            if doc_id in wanted and doc_id not in used:
                placed[doc_key] = wanted[doc_id]
                used.add(doc_id)
        next_key = max((int(k) for k in placed if str(k).isdigit()), default=0) + 1
        for doc_id in sorted(set(wanted) - used):
            placed[str(next_key)] = wanted[doc_id]
            next_key += 1
        if placed or table in local:
            out[table] = placed
    records = {}
    for i, key in enumerate(sorted(k for k, v in state.items() if len(v) > 1), start=1):
        versions = state[key]
        records[str(i)] = {
            "table": key[0],
            "id": key[1],
            "rev": order_key(shown(versions))[0],
            "versions": dict(sorted(versions.items())),
        }
    if records:
        out[CONFLICTS_TABLE] = records
    return out


def merge_tables(local: Tables | None, incoming: Tables) -> tuple[Tables, Outcome]:
    """Merge ``incoming`` into ``local`` (both TinyDB layouts of the same session)."""
    before = state_of(local or {})
    after = merge_states(before, state_of(incoming))
    if local is not None:
        _check_same_session(before, after)
    return to_tables(after, local), compare(before, after)


def _check_same_session(before: State, after: State) -> None:
    ids = {doc_id for (table, doc_id) in after if table == codec.SESSION_TABLE}
    if len(ids) > 1:
        raise UsageError("the two files hold different sessions (their ids differ)")


# ---------------------------------------------------------------- conflicts and settling


@dataclass(frozen=True)
class Conflict:
    table: str
    id: str
    rev: int
    versions: list[tuple[str, Doc]]  # (content hash, document), ordered by hash

    def differing_fields(self) -> list[str]:
        keys = set().union(*(d.keys() for _, d in self.versions))
        return sorted(k for k in keys if len({_freeze(d.get(k)) for _, d in self.versions}) > 1)

    def what(self) -> str:
        first = self.versions[0][1]
        if self.table == codec.NOTES_TABLE:
            return f"note {self.id[:8]}"
        if self.table == codec.RATINGS_TABLE:
            return f"rating {first.get('facilitator', '?')}/{first.get('criterion', '?')}"
        return "session details"

    def describe(self) -> str:
        return (
            f"{self.what()} (rev {self.rev}): {len(self.versions)} versions differ in "
            + ", ".join(self.differing_fields())
        )


def _freeze(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def conflicts_in(tables: Tables) -> list[Conflict]:
    state = state_of(tables)
    out = []
    for (table, doc_id), versions in sorted(state.items()):
        if len(versions) > 1:
            ordered = sorted(versions.items())
            out.append(Conflict(table, doc_id, order_key(ordered[0][1])[0], ordered))
    return out


def settle_tables(tables: Tables, doc_id: str, keep: str) -> tuple[Tables, Doc]:
    """Settle the conflict on ``doc_id`` (a unique prefix will do) by keeping one version.

    ``keep`` is the version's number as listed (1, 2, ...) or a prefix of its content hash.
    The kept version is written with a rev above every conflicting one, so that it wins over
    each copy of the conflict still out on other machines.
    """
    matches = [c for c in conflicts_in(tables) if c.id.startswith(doc_id)]
    if not matches:
        raise UsageError(f"no open conflict on a document whose id starts with {doc_id!r}")
    if len(matches) > 1:
        raise UsageError(f"{doc_id!r} matches {len(matches)} conflicts; give more of the id")
    conflict = matches[0]
    chosen: Doc | None = None
    if keep.isdigit() and 1 <= int(keep) <= len(conflict.versions):
        chosen = conflict.versions[int(keep) - 1][1]
    else:
        hits = [d for h, d in conflict.versions if h.startswith(keep.lower())] if keep else []
        if len(hits) == 1:
            chosen = hits[0]
    if chosen is None:
        raise UsageError(
            f"--keep must be a version number 1-{len(conflict.versions)} or a hash prefix"
        )
    settled = {**chosen, "rev": conflict.rev + 1}
    state = state_of(tables)
    state[(conflict.table, conflict.id)] = {content_hash(settled): settled}
    return to_tables(state, tables), settled
