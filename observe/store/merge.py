"""Merging a session from elsewhere into the local copy.

Identity is the session id; within a session, documents are matched by their own ``id``
across the tables ``session``, ``notes``, ``ratings``, ``summaries`` and ``responses``
(``draft`` is local, never merged).

For each document id the merge keeps the set of *maximal* versions, ordered by
``(rev, deleted)``: a higher rev wins, and at the same rev a tombstone beats the version it
deletes. Identical content counts once. When more than one distinct version is maximal, the
document is in conflict: every such version is kept in the ``conflicts`` table, keyed by
(table, id), and the table itself shows one of them (the lowest content hash, so that every
order of imports shows the same one) until a person settles it. Because the result is
"the maximal versions of the union", merging is commutative, associative and idempotent.

Progress only goes forward: the winning versions of a session document take the furthest
status any version reached, and those of a response stay acknowledged if any version was
(``observe.core.answers``). Both are joins over every version seen, so the result is still
the same whatever the order; no clock decides anything.

Everything here is pure and works on decoded files (``observe.store.codec.SessionFile``);
``observe.store.importer`` does the reading and writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from observe.core.answers import forward_responses, forward_sessions
from observe.core.errors import UsageError
from observe.store import codec
from observe.store.codec import Conflicted, Doc, SessionFile, content_hash

Key = tuple[str, str]  # (table, document id)
# (table, doc id) -> {content hash: document}: the maximal versions of each document
State = dict[Key, dict[str, Doc]]


def order_key(doc: Doc) -> tuple[int, bool]:
    return doc.rev, getattr(doc, "deleted", False) is True


def _maximal(versions: dict[str, Doc]) -> dict[str, Doc]:
    if len(versions) <= 1:
        return versions
    top = max(order_key(d) for d in versions.values())
    return {h: d for h, d in versions.items() if order_key(d) == top}


FORWARD: dict[str, Any] = {
    codec.SESSION_TABLE: forward_sessions,
    codec.RESPONSES_TABLE: forward_responses,
}


def _settled(key: Key, versions: dict[str, Doc]) -> dict[str, Doc]:
    """The maximal versions, moved forward to the progress any version made."""
    top = _maximal(versions)
    forward = FORWARD.get(key[0])
    if forward is None or len(versions) == 1:
        return top
    moved = forward(list(top.values()), versions.values())
    return {content_hash(d): d for d in moved}


def state_of(file: SessionFile) -> State:
    """The documents of a session file, with the versions its conflict records hold."""
    state: State = {}
    for table, doc in codec.documents(file.record):
        state.setdefault((table, doc.id), {})[content_hash(doc)] = doc
    for conflict in file.conflicts:
        versions = state.setdefault((conflict.table, conflict.id), {})
        for doc in conflict.versions:
            versions[content_hash(doc)] = doc
    return {k: _settled(k, v) for k, v in state.items()}


def merge_states(*states: State) -> State:
    out: State = {}
    for state in states:
        for key, versions in state.items():
            out.setdefault(key, {}).update(versions)
    return {k: _settled(k, v) for k, v in out.items()}


def shown(versions: dict[str, Doc]) -> Doc:
    """The version the table shows while a conflict waits: the same whatever the order."""
    return versions[min(versions)]


@dataclass
class Outcome:
    """What merging one incoming session did to the local copy."""

    added: list[Key] = field(default_factory=list)
    updated: list[Key] = field(default_factory=list)
    new_conflicts: list[Key] = field(default_factory=list)
    conflicts: list[Key] = field(default_factory=list)  # all open after the merge

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


def to_file(state: State, local: SessionFile | None = None) -> SessionFile:
    """The file of a merged state: what is local to ``local`` (draft, doc ids) stays so.

    Documents the local copy had come in its order; new ones follow in a stable order (by id).
    """
    known = [(t, d.id) for t, d in codec.documents(local.record)] if local else []
    order = [k for k in known if k in state] + sorted(set(state) - set(known))
    record = codec.record_of((key[0], shown(state[key])) for key in order)
    conflicts = tuple(
        Conflicted(key[0], key[1], tuple(v for _, v in sorted(state[key].items())))
        for key in sorted(k for k, v in state.items() if len(v) > 1)
    )
    if local is None:
        return SessionFile(record, conflicts)
    return replace(local, record=record, conflicts=conflicts)


def merge_files(local: SessionFile | None, incoming: SessionFile) -> tuple[SessionFile, Outcome]:
    """Merge ``incoming`` into ``local`` (both the same session)."""
    before = state_of(local) if local is not None else {}
    after = merge_states(before, state_of(incoming))
    ids = {doc_id for (table, doc_id) in after if table == codec.SESSION_TABLE}
    if len(ids) > 1:
        raise UsageError("the two files hold different sessions (their ids differ)")
    return to_file(after, local), compare(before, after)


# ---------------------------------------------------------------- conflicts and settling


@dataclass(frozen=True)
class Conflict:
    """An open conflict as a person compares it: each version as the file holds it."""

    table: str
    id: str
    rev: int
    versions: list[tuple[str, dict[str, Any]]]  # (content hash, document), ordered by hash

    def differing_fields(self) -> list[str]:
        keys = set().union(*(d.keys() for _, d in self.versions))
        return sorted(k for k in keys if len({_freeze(d.get(k)) for _, d in self.versions}) > 1)

    def what(self) -> str:
        first = self.versions[0][1]
        if self.table == codec.NOTES_TABLE:
            return f"note {self.id[:8]}"
        if self.table == codec.RATINGS_TABLE:
            return f"rating {first.get('facilitator', '?')}/{first.get('criterion', '?')}"
        if self.table == codec.SUMMARIES_TABLE:
            return f"summary of {first.get('facilitator', '?')}"
        if self.table == codec.RESPONSES_TABLE:
            return f"response of {first.get('facilitator', '?')}"
        return "session details"

    def describe(self) -> str:
        return (
            f"{self.what()} (rev {self.rev}): {len(self.versions)} versions differ in "
            + ", ".join(self.differing_fields())
        )


def _freeze(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def conflicts_in(file: SessionFile) -> list[Conflict]:
    out = []
    for (table, doc_id), versions in sorted(state_of(file).items()):
        if len(versions) > 1:
            ordered = sorted(versions.items())
            docs = [(h, d.dump()) for h, d in ordered]
            out.append(Conflict(table, doc_id, order_key(ordered[0][1])[0], docs))
    return out


def settle_file(file: SessionFile, doc_id: str, keep: str) -> tuple[SessionFile, Doc]:
    """Settle the conflict on ``doc_id`` (a unique prefix will do) by keeping one version.

    ``keep`` is the version's number as listed (1, 2, ...) or a prefix of its content hash.
    The kept version is written with a rev above every conflicting one, so that it wins over
    each copy of the conflict still out on other machines.
    """
    matches = [c for c in conflicts_in(file) if c.id.startswith(doc_id)]
    if not matches:
        raise UsageError(f"no open conflict on a document whose id starts with {doc_id!r}")
    if len(matches) > 1:
        raise UsageError(f"{doc_id!r} matches {len(matches)} conflicts; give more of the id")
    conflict = matches[0]
    chosen: str | None = None
    if keep.isdecimal() and 1 <= int(keep) <= len(conflict.versions):
        chosen = conflict.versions[int(keep) - 1][0]
    else:
        hits = [h for h, _ in conflict.versions if h.startswith(keep.lower())] if keep else []
        if len(hits) == 1:
            chosen = hits[0]
    if chosen is None:
        raise UsageError(
            f"--keep must be a version number 1-{len(conflict.versions)} or a hash prefix"
        )
    state = state_of(file)
    key = (conflict.table, conflict.id)
    settled = state[key][chosen].model_copy(update={"rev": conflict.rev + 1})
    state[key] = {content_hash(settled): settled}
    return to_file(state, file), settled
