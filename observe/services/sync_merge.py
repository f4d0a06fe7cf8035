"""Merging what arrived in the team folder into the workspace's sessions.

Each file is handled once per content: a file whose size and mtime are what the last sync
recorded is not even opened. A new or changed one is read whole, decrypted, its writer's
signature checked against the roster, its writer checked against what it holds (only a
session's observer writes the session; only facilitator F writes F's response), and merged
by the importer (union by document id, visible conflicts; never by wall clock).

A file that cannot be read yet (empty, cut short, not decryptable) is skipped and tried
again; one that stays the same and still fails is refused. A file sealed to others is
passed over quietly. Refused files are shown, one line each, at every sync while they stay.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from observe.core.errors import ObserveError, SessionLocked, SessionUnreadable
from observe.services.sync_context import Context
from observe.store import codec, files
from observe.store.bundle import Member
from observe.store.importer import ADDED, UPDATED
from observe.store.team import authorship
from observe.store.team import published as pub
from observe.store.team.envelope import unseal
from observe.store.team.errors import NotForYou, Refused, Undecryptable
from observe.store.team.syncstate import MERGED, NOT_MINE, OWN, REFUSED, WAITING, Mark


class Waiting(Exception):
    """Not merged this time, for a reason that may pass (say why in one line)."""


@dataclass
class Scan:
    """The team folder as listed now, and the files in it that need reading."""

    folders: list[pub.Folder]
    fingerprints: dict[str, str]
    todo: list[pub.Found] = field(default_factory=list)
    own_present: set[str] | None = None  # this member's files, when their folders changed


def scan(ctx: Context) -> Scan:
    """List the folder; compare each folder's fingerprint, and only in a folder whose
    fingerprint changed, each file with what the last sync recorded. Refusals are repeated."""
    state = ctx.state
    folders = pub.folders(ctx.team.folder)
    out = Scan(folders, {f.rel: f.fingerprint() for f in folders})
    changed = [f for f in folders if state.dirs.get(f.rel) != out.fingerprints[f.rel]]
    quiet = {f.rel: f for f in folders if state.dirs.get(f.rel) == out.fingerprints[f.rel]}
    for rel, mark in sorted(state.attention.items()):
        folder = quiet.get(rel.rsplit("/", 1)[0])
        if folder is not None:  # (in a changed folder, it is looked at below)
            _look(ctx, out, folder, rel.rsplit("/", 1)[1], mark.size, mark.mtime_ns, mark)
    if not changed and set(state.dirs) <= set(quiet):
        return out  # nothing new: the per-file record is not even read
    marks = state.folder
    current = set()
    for folder in changed:
        for name, size, mtime_ns in sorted(folder.files):  # refusals said in a stable order
            rel = f"{folder.rel}/{name}"
            current.add(rel)
            _look(ctx, out, folder, name, size, mtime_ns, marks.get(rel))
    for rel in [r for r in marks if r not in current and r.rsplit("/", 1)[0] not in quiet]:
        del marks[rel]  # gone from the folder: forget it
    own = f"{pub.MEMBERS}/{ctx.me}/"
    if any(f.rel.startswith(own) for f in changed):
        out.own_present = {r for r in current if r.startswith(own)}
        out.own_present |= {f"{f.rel}/{n}" for f in quiet.values() for n, _, _ in f.files}
    return out


def _look(
    ctx: Context,
    out: Scan,
    folder: pub.Folder,
    name: str,
    size: int,
    mtime_ns: int,
    mark: Mark | None,
) -> None:
    if mark is not None and mark.same_stat(size, mtime_ns) and mark.outcome != WAITING:
        if mark.outcome == REFUSED:
            ctx.tally.refused += 1
            ctx.tally.say(f"refused {folder.rel}/{name}: {mark.reason}")
        return
    found = folder.found(name, size, mtime_ns)
    if found is not None:
        out.todo.append(found)


def merge_arrivals(ctx: Context, found: Scan) -> None:
    todo = sorted(found.todo, key=lambda f: (f.folder != pub.SESSIONS, f.rel))
    # Sessions first: a response is merged into its session, which may arrive in this sync.
    contested = _contested(found.folders) if todo else {}
    for number, item in enumerate(todo, start=1):
        ctx.step(f"Reading {number} of {len(todo)} from the team folder")
        _handle(ctx, item, contested)
    ctx.state.dirs = dict(found.fingerprints)


def settle_own(ctx: Context, found: Scan) -> None:
    """After publishing, take this member's folders' new fingerprints, but only where every
    file in them is one this sync handled (another device may have written meanwhile)."""
    marks = ctx.state.folder
    for folder in pub.folders(ctx.team.folder):
        if folder.member_id != ctx.me:
            continue
        handled = all(
            (m := marks.get(f"{folder.rel}/{n}")) is not None and m.same_stat(s, t)
            for n, s, t in folder.files
        )
        if handled:
            ctx.state.dirs[folder.rel] = folder.fingerprint()
        else:
            ctx.state.dirs.pop(folder.rel, None)


def _contested(folders: list[pub.Folder]) -> dict[str, set[str]]:
    """Session ids published as sessions from more than one member's part."""
    parts: dict[str, set[str]] = defaultdict(set)
    for folder in folders:
        if folder.folder != pub.SESSIONS:
            continue
        for name, size, mtime_ns in folder.files:
            item = folder.found(name, size, mtime_ns)
            if item is not None:
                parts[item.doc].add(item.member_id)
    return {doc: members for doc, members in parts.items() if len(members) > 1}


def _handle(ctx: Context, item: pub.Found, contested: dict[str, set[str]]) -> None:
    marks = ctx.state.folder
    before = marks.get(item.rel)
    try:
        raw = pub.read(item)
    except OSError as exc:
        _refuse(ctx, item, "", f"cannot read: {exc.strerror or exc}")
        return
    if raw is None:
        _wait(ctx, item, "", "still arriving (empty)")
        return
    sha = hashlib.sha256(raw).hexdigest()
    if before is not None and before.sha == sha and before.outcome in (MERGED, NOT_MINE, OWN):
        marks[item.rel] = Mark(item.size, item.mtime_ns, sha, before.outcome)  # touched only
        return
    try:
        outcome = _open_and_merge(ctx, item, raw, contested)
    except NotForYou:
        marks[item.rel] = Mark(item.size, item.mtime_ns, sha, NOT_MINE)
    except Undecryptable as exc:
        if before is not None and before.sha == sha and before.outcome == WAITING:
            _refuse(ctx, item, sha, f"damaged: {exc.reason} (unchanged since the last sync)")
        else:
            _wait(ctx, item, sha, "incomplete or damaged; tried again at the next sync")
    except Refused as exc:
        _refuse(ctx, item, sha, exc.reason)
    except Waiting as exc:
        _wait(ctx, item, sha, str(exc))
    else:
        marks[item.rel] = Mark(item.size, item.mtime_ns, sha, outcome)


def _refuse(ctx: Context, item: pub.Found, sha: str, reason: str) -> None:
    ctx.state.folder[item.rel] = Mark(item.size, item.mtime_ns, sha, REFUSED, reason)
    ctx.tally.refused += 1
    ctx.tally.say(f"refused {item.rel}: {reason}")


def _wait(ctx: Context, item: pub.Found, sha: str, reason: str) -> None:
    ctx.state.folder[item.rel] = Mark(item.size, item.mtime_ns, sha, WAITING, reason)
    ctx.tally.skipped += 1
    ctx.tally.say(f"skipped {item.rel}: {reason}")


def _open_and_merge(
    ctx: Context, item: pub.Found, raw: bytes, contested: dict[str, set[str]]
) -> str:
    found = unseal(raw, reader=ctx.identity)
    header = found.header
    if header.writer != item.member_id:
        raise Refused(f"signed by {header.writer} in another member's part")
    if header.kind != item.kind:
        raise Refused(f"a {header.kind} in the {item.folder} folder")
    stem = Path(item.rel).name.removesuffix(pub.SUFFIX)
    # OneDrive's copy adds "-MACHINE", which a lowercase machine name makes look like an id.
    if header.doc != item.doc and not (not item.copy and stem.startswith(header.doc + "-")):
        raise Refused("its name is not the one its writer signed")
    opened = found.verify(ctx.roster.key_for(header, found.payload))
    if item.folder == pub.SESSIONS:
        try:
            tables = codec.parse_raw(opened.payload, item.rel)
        except SessionUnreadable as exc:
            raise Refused(f"not a session part: {exc}") from None
        return _merge_session(ctx, item, header.writer, header.doc, tables, contested)
    return _merge_response(ctx, item, header.writer, header.doc, _part(opened.payload))


def _part(payload: bytes) -> dict[str, Any]:
    """A response part's tables: JSON objects of objects, not nested too deeply."""
    try:
        tables = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise Refused(f"a response part that is not JSON ({exc})") from None
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise Refused("a response part that is not a set of tables")
    try:
        codec.check_depth(tables)
    except SessionUnreadable as exc:
        raise Refused(f"a response part {exc}") from None
    return tables


def _local(ctx: Context, session_id: str) -> dict[str, Any] | None:
    name = ctx.importer().by_id.get(session_id)
    if name is None:
        return None
    try:
        return codec.parse_raw(files.read_bytes(ctx.workspace.sessions_dir / name), name)
    except (OSError, SessionUnreadable) as exc:
        raise Waiting(f"the local copy {name} cannot be read ({exc}); left untouched") from None


def _merge_session(
    ctx: Context,
    item: pub.Found,
    writer: str,
    doc: str,
    tables: dict[str, Any],
    contested: dict[str, set[str]],
) -> str:
    authorship.check_observer_part(tables, writer, doc)
    local = _local(ctx, doc)
    if local is not None:
        observer = authorship.split(local).observer
        if observer != writer:
            raise Refused(f"claims session {doc[:8]}, whose observer is {observer}")
    elif doc in contested:
        others = ", ".join(sorted(contested[doc] - {writer}))
        # Looked at again at each sync: once one of them is gone, the other is taken.
        raise Waiting(f"session {doc[:8]} is also published by {others}; neither is taken")
    try:
        codec.record_from_tables(tables)
    except SessionUnreadable as exc:
        raise Refused(f"a session that does not validate: {exc}") from None
    return _merge(ctx, item, tables)


def _merge_response(
    ctx: Context, item: pub.Found, writer: str, doc: str, tables: dict[str, Any]
) -> str:
    local = _local(ctx, doc)
    if local is None:
        raise Waiting(f"its session {doc[:8]} has not arrived here yet")
    authorship.check_response_part(tables, writer, authorship.split(local).facilitators, doc)
    # Merged with the local session document as it is: the response changes nothing else.
    return _merge(ctx, item, {**tables, codec.SESSION_TABLE: local[codec.SESSION_TABLE]})


def _merge(ctx: Context, item: pub.Found, tables: dict[str, Any]) -> str:
    try:
        result = ctx.importer().merge_one(Member(item.rel, authorship.encode(tables)))
    except SessionLocked as exc:
        raise Waiting(f"{exc}; merged at the next sync") from None
    except (ObserveError, OSError) as exc:
        raise Waiting(f"not merged: {exc}") from None
    if result.kind in (ADDED, UPDATED):
        ctx.wrote_sessions = True
        ctx.tally.merged += 1
        ctx.tally.conflicts += len(result.outcome.new_conflicts)
        verb = "added" if result.kind == ADDED else "updated"
        ctx.tally.say(f"merged {item.kind} {item.doc[:8]} from {item.member_id}: {verb}")
        for table, doc_id in result.outcome.new_conflicts:
            ctx.tally.say(f"conflict in {result.file}: {table} {doc_id[:8]} (observe conflicts)")
    else:
        ctx.tally.unchanged += 1
    return MERGED
