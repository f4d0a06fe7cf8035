"""A facilitator's focus through the team folder: published by them, brought to their observer.

A facilitator's next focus is ``focus.age`` in their own part, signed by them and sealed to
themselves, the leads, the observers the rota has assigned to observe them (assignments not
yet done) and anyone they name with ``--to``. Sync brings each observer the focus sealed to
them into ``focus/received/`` (``store.focus_local``), where the new-observation form finds it
without reading the team folder. A reader takes a focus only when it decrypts, its signature
is a current member's, and the facilitator it is about is its writer: anyone else's focus
file is refused, one line, and passed over.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from observe.core.focus import SelfAssessment
from observe.core.readfile import read_regular
from observe.store import focus_local
from observe.store.atomic import write_atomic

if TYPE_CHECKING:
    from observe.services.team import State
    from observe.store.workspace import Workspace

# store/team/membership.FILE, named here so that a workspace in no team never loads the team
# code just to learn that it is in none (as services.rota_team does).
MEMBERSHIP_FILE = "team-folder.json"
FILE = "focus.age"
DOC = "focus"
KIND = "focus"
STATE_DIR, SEEN = ".observe", "focus-seen.json"  # derived: which files sync read already


def in_team(workspace_root: Path) -> bool:
    return (workspace_root / MEMBERSHIP_FILE).exists()


def _observers_of(workspace: Workspace, me: str, my_name: str) -> set[str]:
    """Who the rota has assigned to observe ``me`` and has not yet done so (ids or names)."""
    from observe.core.ids import slugify
    from observe.services.rota import overview

    found: set[str] = set()
    try:
        waves = overview(workspace, None, Date.today()).waves
    except Exception:  # a rota that cannot be read seals to fewer people, never fails a focus
        return found
    for wave in waves:
        for row in wave.rows:
            a = row.assignment
            if row.open and any(
                f.id == me or slugify(f.name) == slugify(my_name) for f in a.facilitators
            ):
                found |= {a.observer.id, a.observer.name}
    return found


def publish(
    workspace: Workspace, assessment: SelfAssessment, to: Sequence[str] | None = None
) -> tuple[Path, list[str]]:
    """Seal this member's focus to its readers in their own part; the file and the readers'
    names. ``to`` names readers besides the leads and the rota's observers; None keeps
    those named for the focus before (a focus rewritten reaches the same people)."""
    from observe.services.team import refresh
    from observe.store.team.envelope import seal
    from observe.store.team.errors import TeamError

    state = refresh(workspace.root)
    roster = state.roster
    mine = roster.get(state.me) if roster is not None else None
    if roster is None or mine is None:
        raise TeamError("a lead has not admitted you yet: your focus is kept here only")
    if assessment.facilitator != state.me:
        raise TeamError("only your own focus is published in your part of the team folder")
    readers = {state.me: mine} | {m.id: m for m in roster.leads() if m.role != "removed"}
    assigned = _observers_of(workspace, state.me, mine.name)
    for member in roster.current():
        if member.id in assigned or member.name in assigned:
            readers[member.id] = member
    if to is None:
        named = [
            m for i in focus_local.readers_named(workspace.root, state.me) if (m := roster.get(i))
        ]
    else:
        named = [roster.find(name) for name in to]  # TeamError naming the one not found
    for member in named:
        if member.role != "removed":
            readers[member.id] = member
    sealed = seal(
        focus_local.encode(assessment),
        writer=state.identity,
        kind=KIND,
        doc=DOC,
        recipients=[m.keys for m in readers.values()],
    )
    path = state.folder.write(state.me, FILE, sealed)
    if to is not None:
        focus_local.name_readers(workspace.root, state.me, [m.id for m in named])
    return path, sorted(m.name for m in readers.values() if m.id != state.me)


def withdraw(workspace: Workspace) -> bool:
    """Take this member's published focus out of the team folder."""
    from observe.services.team import refresh

    state = refresh(workspace.root)
    with contextlib.suppress(OSError, ValueError):  # forgetting who read it never fails a clear
        focus_local.name_readers(workspace.root, state.me, [])
    try:
        (state.folder.part(state.me) / FILE).unlink()
    except FileNotFoundError:
        return False
    return True


def receive(workspace_root: Path, state: State) -> tuple[list[str], list[str]]:
    """Keep each focus sealed to this member by another (its writer its facilitator): one
    line per focus newly kept, and one per file refused."""
    from observe.services.team import _unsealed
    from observe.store.team.errors import Refused, TeamError

    roster = state.roster
    if roster is None:
        return [], []
    used = focus_local.used(workspace_root)
    lines: list[str] = []
    refused: list[str] = []
    seen = _seen(workspace_root)
    now: dict[str, list[int]] = {}
    for entry in state.folder.entries():
        if entry.stands_for != FILE or entry.member_id == state.me:
            continue
        try:
            st = os.lstat(entry.path)
        except OSError:
            continue
        stamp = [st.st_size, st.st_mtime_ns]
        if seen.get(entry.where) == stamp:  # read before and unchanged: nothing to decrypt
            now[entry.where] = stamp
            continue
        before = len(state.refused)
        item = _unsealed(state, entry)
        refused += [f"refused {line}" for line in state.refused[before:]]
        if item is None:
            if len(state.refused) == before:  # sealed to others: not ours to read, ever
                now[entry.where] = stamp
                # Changed and no longer sealed to us: the copy kept before is not the
                # writer's focus any more, so it is not shown as theirs.
                with contextlib.suppress(OSError, ValueError):
                    focus_local.delete(workspace_root, entry.member_id, received=True)
            continue
        try:
            if item.header.kind != KIND or item.header.doc != DOC:
                raise Refused("not a focus")
            item.verify(roster.key_for(item.header, item.payload))
            assessment = focus_local.decode(item.payload, entry.where)
            if assessment.facilitator != item.header.writer:
                raise Refused("a focus whose writer is not the facilitator it is about")
        except focus_local.FocusUnreadable as exc:
            refused.append(f"refused {exc}")
            continue  # not remembered: a refusal is said at every sync
        except (Refused, TeamError, ValueError) as exc:
            refused.append(f"refused {entry.where}: {exc}")
            continue
        now[entry.where] = stamp
        if assessment.id in used:
            continue
        with contextlib.suppress(focus_local.FocusUnreadable):
            held = focus_local.load(workspace_root, assessment.facilitator, received=True)
            if held is not None and held.id == assessment.id and held == assessment:
                continue
        focus_local.save(workspace_root, assessment, received=True)
        who = roster.get(item.header.writer)
        name = who.name if who else assessment.name
        lines.append(f"a focus from {name} for their next observation")
    if now != seen:
        with contextlib.suppress(OSError):  # derived: losing it only costs a decryption
            (workspace_root / STATE_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomic(workspace_root / STATE_DIR / SEEN, orjson.dumps(now))
    return lines, refused


def _seen(workspace_root: Path) -> dict[str, list[int]]:
    """The focus files read at the last sync, by size and mtime."""
    try:
        data = orjson.loads(read_regular(workspace_root / STATE_DIR / SEEN, 1 << 20, follow=False))
    except (OSError, orjson.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}
