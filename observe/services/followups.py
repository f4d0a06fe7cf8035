"""Following agreed actions up: what a new observation carries from earlier ones, and which
of a workspace's actions are overdue (for the home screens)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import date as Date
from pathlib import Path

from observe.core.actions import Agreed, FollowUp, follow_ups, is_overdue, open_actions
from observe.core.errors import ObserveError
from observe.core.models import Response, Session
from observe.core.record import SessionRecord
from observe.store import files
from observe.store.open_session import OpenSession


def _records(folder: Path, skip: str = "") -> Iterator[SessionRecord]:
    for path in files.session_files(folder):
        try:
            record = files.read_record(path)
        except ObserveError:
            continue  # an unreadable file is listed as such elsewhere; it carries nothing
        if record.session.id != skip:
            yield record


def _responses(records: list[SessionRecord]) -> list[tuple[str, datetime, Response]]:
    return [
        (r.session.id, _aware(r.session.created_at), response)
        for r in records
        for response in r.responses
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def carried(folder: Path, session: Session) -> list[FollowUp]:
    """The follow-ups a new session starts with: each facilitator's open actions from their
    earlier observations in this workspace (merged copies included), labelled A1, A2, ..."""
    rows = _responses(list(_records(folder, skip=session.id)))
    agreed: list[Agreed] = []
    for person in session.meta.facilitators:
        agreed += open_actions(rows, person.id, before=_aware(session.created_at))
    return follow_ups(session.id, agreed)


def bring_forward(opened: OpenSession, folder: Path) -> int:
    """Give a session just created its follow-ups (in memory; the next save writes them);
    how many."""
    found = carried(folder, opened.session)
    for followup in found:
        opened.apply_followup(followup)
    return len(found)


@dataclass(frozen=True)
class Overdue:
    facilitator: str  # their name
    text: str
    by: Date


def overdue(folder: Path, today: Date, facilitator: str | None = None) -> list[Overdue]:
    """The open actions past their date (one facilitator's, by id, or everyone's), oldest
    first."""
    found = []
    for record in _records(folder):
        names = {p.id: p.name for p in record.session.meta.facilitators}
        for response in record.responses:
            if facilitator is not None and response.facilitator != facilitator:
                continue
            for action in response.actions:
                if is_overdue(action, today) and action.by is not None:
                    who = names.get(response.facilitator, response.facilitator)
                    found.append(Overdue(who, action.text, action.by))
    return sorted(found, key=lambda o: (o.by, o.facilitator, o.text))
