"""Following agreed actions up: what a new observation carries from earlier ones, and which
of a workspace's actions are open or past their date (for the home screens).

Both read the index's rows of actions (``observe.store.agreed``), so a workspace of thousands
of sessions is not decoded to find a few actions; the files those rows point at are read
again, and only what they hold is carried or shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime

from observe.core.actions import (
    MAX_FOLLOWUPS,
    Agreed,
    FollowUp,
    follow_ups,
    open_actions,
)
from observe.core.choices import ActionState
from observe.core.models import Meta, Response, Session
from observe.core.summary import ActionRow, SessionSummary
from observe.store import agreed as agreed_rows
from observe.store.index import Entry, Index
from observe.store.open_session import OpenSession
from observe.store.workspace import Workspace


def _started(entry: Entry) -> datetime | None:
    try:
        return agreed_rows.aware(datetime.fromisoformat(entry.created_at))
    except (TypeError, ValueError):
        return None


def _in_files(
    workspace: Workspace, entries: Iterable[Entry]
) -> list[tuple[str, str, datetime, Meta, Response]]:
    """The responses the named files hold now, each with its file's name, session id, start
    and meta (the file's, not the index's)."""
    out = []
    for entry in entries:
        found = agreed_rows.in_file(workspace.sessions_dir / entry.name)
        if found is not None:
            sid, started, meta, responses = found
            out += [(entry.name, sid, started, meta, r) for r in responses]
    return out


def carried(workspace: Workspace, session: Session) -> list[FollowUp]:
    """The follow-ups a new session starts with: each facilitator's open actions from their
    earlier observations in this workspace (merged copies included), labelled A1, A2, ..."""
    before = agreed_rows.aware(session.created_at)
    entries = [e for e in Index(workspace).refresh() if e.ok and e.actions and e.id != session.id]
    wanted: dict[str, Entry] = {}
    for person in session.meta.facilitators:
        rows = []
        for entry in entries:
            started = _started(entry)
            if started is None or started >= before:
                continue
            for row in agreed_rows.parsed_rows(entry.actions):
                if row.facilitator == person.id and row.state is ActionState.OPEN:
                    rows.append((started, entry.id, entry))
        rows.sort(key=lambda r: (r[0], r[1]))
        wanted.update((entry.name, entry) for _, _, entry in rows[-MAX_FOLLOWUPS:])
    held = [
        (sid, started, response)
        for _, sid, started, _, response in _in_files(workspace, wanted.values())
        if sid != session.id
    ]
    found: list[Agreed] = []
    for person in session.meta.facilitators:
        found += open_actions(held, person.id, before=before)
    return follow_ups(session.id, found)


def bring_forward(opened: OpenSession, workspace: Workspace) -> int:
    """Give a session just created its follow-ups (in memory; the next save writes them);
    how many."""
    found = carried(workspace, opened.session)
    for followup in found:
        opened.apply_followup(followup)
    return len(found)


@dataclass(frozen=True)
class Open:
    """An open action and where it was agreed, as its session's file holds it."""

    facilitator: str  # their name
    facilitator_id: str
    facilitator_index: int  # their place among the session's facilitators
    action_id: str
    text: str
    by: Date | None
    file: str  # the session's file, in sessions/
    session_title: str
    session_date: str  # YYYY-MM-DD as the session gives it
    row: SessionSummary = field(compare=False, repr=False)  # the session as home lists it

    def past(self, today: Date) -> bool:
        return self.by is not None and self.by < today


@dataclass(frozen=True)
class Overdue:
    facilitator: str  # their name
    text: str
    by: Date


def open_now(
    workspace: Workspace, facilitator: str | None = None, due_before: Date | None = None
) -> list[Open]:
    """Every open action (one facilitator's, by id, or everyone's; only those due before a
    day if given): those with a date first, soonest first, then those without."""

    def wanted(row: ActionRow) -> bool:
        due = due_before is None or (row.by is not None and row.by < due_before)
        return row.state is ActionState.OPEN and facilitator in (None, row.facilitator) and due

    entries = [
        e
        for e in Index(workspace).refresh()
        if e.ok and any(wanted(r) for r in agreed_rows.parsed_rows(e.actions))
    ]
    from observe.services.sessions import summary_of

    rows = {e.name: summary_of(e) for e in entries}
    found = []
    seen: set[tuple[str, str]] = set()  # merged copies of a session hold the same actions
    for name, sid, _, meta, response in _in_files(workspace, entries):
        if facilitator is not None and response.facilitator != facilitator:
            continue
        people = [p.id for p in meta.facilitators]  # the responses' are checked against these
        for action in response.actions:
            due = due_before is None or (action.by is not None and action.by < due_before)
            if action.state is ActionState.OPEN and due and (sid, action.id) not in seen:
                seen.add((sid, action.id))
                found.append(
                    Open(
                        facilitator=meta.facilitators[people.index(response.facilitator)].name,
                        facilitator_id=response.facilitator,
                        facilitator_index=people.index(response.facilitator),
                        action_id=action.id,
                        text=action.text,
                        by=action.by,
                        file=name,
                        session_title=meta.title,
                        session_date=meta.date.isoformat(),
                        row=rows[name],
                    )
                )
    return sorted(found, key=lambda o: (o.by is None, o.by or Date.min, o.facilitator, o.text))


def overdue(workspace: Workspace, today: Date, facilitator: str | None = None) -> list[Overdue]:
    """The open actions past their date (one facilitator's, by id, or everyone's), oldest
    first."""
    return [
        Overdue(o.facilitator, o.text, o.by)
        for o in open_now(workspace, facilitator, due_before=today)
        if o.by is not None
    ]
