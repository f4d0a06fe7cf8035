"""Publishing this member's documents: each session they observe, each response they write.

A session is sealed to its observer alone while it is in progress or completed (a backup
across their own devices); once shared, to the observer, its facilitators and the leads. A
facilitator's response goes to the same people. Only current members of the roster are
recipients: a person in a session who is not on the roster gets nothing (``--status`` says
so). A document is sealed and written again only when its content or its recipients
changed; a sync engine then never moves a file that did not change.

Finding what changed without reading every session: a session file whose size and mtime
are what the last sync recorded is not read. The sessions folder itself is listed only when
its mtime moved (every save replaces a file, which moves it) or when the last listing was
too close to a change to trust the clock's granularity. (The app replaces a session file
on every save; a file edited in place by another program is seen at the next listing.)
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass

from observe.core.errors import SessionUnreadable
from observe.core.readfile import read_regular
from observe.services.sync_context import Context
from observe.store import codec, files
from observe.store.team import authorship
from observe.store.team import published as pub
from observe.store.team.envelope import seal, unseal
from observe.store.team.errors import Refused, TeamError
from observe.store.team.keys import PublicKeys
from observe.store.team.syncstate import OWN, Local, Mark, dir_mtime

RACY_NS = 2_000_000_000  # a listing this close to the folder's last change is not trusted


@dataclass(frozen=True)
class Pending:
    """A document waiting to be published, or a person who will not receive it."""

    rel: str
    what: str  # one line
    failed: bool = False  # could not be written: tried again at the next sync


def recipients(ctx: Context, parts: authorship.Parts) -> tuple[list[PublicKeys], list[str]]:
    """Who may read this session's documents, and the people in it who are not members."""
    roster = ctx.roster
    current = {m.id: m for m in roster.current()}
    wanted = {ctx.me}
    missing: list[str] = []
    if parts.shared:
        wanted |= {*parts.facilitators, *(m.id for m in roster.leads())}
        if parts.observer:
            wanted.add(parts.observer)
        missing = [f for f in parts.facilitators if f not in current]
    return [current[m].keys for m in sorted(wanted) if m in current], missing


def digest_of(payload: bytes, readers: list[PublicKeys]) -> str:
    sha = hashlib.sha256(payload)
    for keys in readers:
        sha.update(f"\n{keys.member_id} {keys.age}".encode())
    return sha.hexdigest()


def publish(ctx: Context, present: set[str] | None) -> list[Pending]:
    """Seal and write what changed (nothing with ``ctx.dry``); what was (or would be) sent.

    ``present`` holds this member's files now in the folder when their folders changed
    (None when they did not), so a published document that went missing (deleted by hand,
    lost by a sync engine) is written again.
    """
    state = ctx.state
    roster_changed = state.roster != ctx.roster.digest
    gone = set() if present is None else {r for r in state.published if r not in present}
    sessions = ctx.workspace.sessions_dir
    folder_mtime = dir_mtime(sessions)
    listed_at = time.time_ns()
    recorded, recorded_at = state.local_dir
    trusted = recorded == folder_mtime and recorded_at - recorded > RACY_NS
    if trusted and not (ctx.wrote_sessions or roster_changed or gone or ctx.dry):
        return []  # no session file was replaced since the last listing: nothing to send
    gone_docs = {rel.rsplit("/", 1)[-1].removesuffix(pub.SUFFIX) for rel in gone}
    force = {
        n
        for n, loc in state.local.items()
        if loc.mine and (roster_changed or ctx.dry or loc.session_id in gone_docs)
    }
    if trusted and not ctx.wrote_sessions:
        names = sorted(force)  # no file was replaced: only what must be sealed anew
    else:
        names = [p.name for p in files.session_files(sessions)]
        listed = set(names)
        for name in [n for n in state.local if n not in listed]:
            del state.local[name]
    sent: list[Pending] = []
    for name in names:
        try:
            st = os.stat(sessions / name)
        except OSError:
            state.local.pop(name, None)
            continue
        known = state.local.get(name)
        if (
            known is not None
            and known.size == st.st_size
            and known.mtime_ns == st.st_mtime_ns
            and name not in force
        ):
            continue
        sent += _from_file(ctx, name, st, gone)
    if not ctx.dry:
        state.roster = ctx.roster.digest
        # Our own merges moved the folder's mtime: list it all next time.
        relist = ctx.wrote_sessions or any(p.failed for p in sent)
        state.local_dir = (0, 0) if relist else (folder_mtime, listed_at)
    return sent


def _from_file(ctx: Context, name: str, st: os.stat_result, gone: set[str]) -> list[Pending]:
    path = ctx.workspace.sessions_dir / name
    try:
        tables = codec.parse_raw(files.read_bytes(path), name)
        parts = authorship.split(tables)
    except (OSError, SessionUnreadable):
        # Listed as unreadable by `observe sessions`; left alone, looked at again when it changes.
        if not ctx.dry:
            ctx.state.local[name] = Local(st.st_size, st.st_mtime_ns, "", False)
        return []
    mine = parts.observer == ctx.me or ctx.me in parts.facilitators
    if not ctx.dry:
        ctx.state.local[name] = Local(st.st_size, st.st_mtime_ns, parts.session_id, mine)
    sent: list[Pending] = []
    readers, missing = recipients(ctx, parts)
    short = parts.session_id[:8]
    if parts.observer == ctx.me:
        sealed = _one(ctx, pub.SESSIONS, parts.session_id, parts.observer_part, readers, gone)
        sent += sealed
        for person in missing:
            line = f"session {short}: {parts.name(person)} is not on the roster: not sent to them"
            sent.append(Pending("", line))
            if sealed and not ctx.dry:
                ctx.tally.say(line)
    part = parts.responses.get(ctx.me)
    if part and parts.shared:
        sent += _one(ctx, pub.RESPONSES, parts.session_id, part, readers, gone)
    if any(p.failed for p in sent) and not ctx.dry:
        del ctx.state.local[name]  # not sent: this file is read again at the next sync
    return sent


def _one(
    ctx: Context,
    folder: str,
    doc: str,
    part: dict[str, object],
    readers: list[PublicKeys],
    gone: set[str],
) -> list[Pending]:
    rel = pub.rel_path(ctx.me, folder, doc)
    payload = authorship.encode(part)
    digest = digest_of(payload, readers)
    if ctx.state.published.get(rel) == digest and rel not in gone:
        return []
    readers_text = "1 reader" if len(readers) == 1 else f"{len(readers)} readers"
    what = f"{pub.KINDS[folder]} {doc[:8]}, sealed to {readers_text}"
    if rel not in ctx.state.published and rel not in gone and _already(ctx, rel, payload, readers):
        ctx.state.published[rel] = digest  # the record was lost, not the file: keep it
        return []
    if ctx.dry:
        return [Pending(rel, what)]
    sealed = seal(payload, writer=ctx.identity, kind=pub.KINDS[folder], doc=doc, recipients=readers)
    try:
        path = pub.write_own(ctx.team.folder, ctx.me, folder, doc, sealed)
        st = path.stat()
    except (TeamError, OSError) as exc:  # kept as not sent: tried again at the next sync
        reason = getattr(exc, "strerror", None) or exc
        ctx.tally.say(f"not published {what}: {reason}")
        ctx.tally.skipped += 1
        return [Pending(rel, what, failed=True)]
    sha = hashlib.sha256(sealed).hexdigest()
    ctx.state.folder[rel] = Mark(st.st_size, st.st_mtime_ns, sha, OWN)
    ctx.state.published[rel] = digest
    ctx.tally.published += 1
    ctx.tally.say(f"published {what}")
    return [Pending(rel, what)]


def _already(ctx: Context, rel: str, payload: bytes, readers: list[PublicKeys]) -> bool:
    """Whether the file at ``rel`` already holds ``payload`` sealed by this member to
    ``readers`` (after the sync record was deleted: one decrypt instead of a new file)."""
    path = ctx.team.folder.root / rel
    try:
        raw = read_regular(path, pub.MAX_PUBLISHED)
        found = unseal(raw, reader=ctx.identity)
        found.verify(ctx.identity.public.verifier())
    except (OSError, Refused):
        return False
    same = (
        found.header.writer == ctx.me
        and found.header.recipients == tuple(sorted(r.member_id for r in readers))
        and found.payload == payload
    )
    if same and not ctx.dry:
        st = path.stat()
        sha = hashlib.sha256(raw).hexdigest()
        ctx.state.folder[rel] = Mark(st.st_size, st.st_mtime_ns, sha, OWN)
    return same
