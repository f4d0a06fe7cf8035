"""Three people in one team folder: a lead (a), an observer (b) and a facilitator (c)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from observe.core.frameworks import load_all
from observe.core.models import Meta, Note, NoteKind, Person, Status
from observe.core.record import SessionRecord
from observe.services.sync import SyncReport, run_sync
from observe.store import files
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_team import NAMES, Team

START = datetime(2026, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=1)))
NOTE_TEXT = "Asked the quiet table to lead the recap"
SUMMARY_TEXT = "Strong recap; the pace dipped after the break"


def clock() -> datetime:
    return START


def workspace(team: Team, who: str) -> Workspace:
    return Workspace(team.ws[who]).ensure(seed=True)


def person(team: Team, who: str) -> Person:
    return Person(id=team.member_id(who), name=NAMES[who])


def observe(team: Team, observer: str = "b", facilitators: tuple[str, ...] = ("c",)) -> str:
    """A completed observation in ``observer``'s workspace: two notes and a rating."""
    ws = workspace(team, observer)
    framework = load_all(ws.criteria_dir).get(None)
    meta = Meta(
        date=START.date(),
        facilitators=[person(team, f) for f in facilitators],
        observer=person(team, observer),
        title="Module 3",
    )
    repo = Repository(ws, clock=clock)
    with repo.create(meta, framework) as session:
        session.add_note(Note(at=START, text=NOTE_TEXT, kind=NoteKind.STRENGTH))
        session.add_note(Note(at=START, text="Timing: ran ten minutes over"))
        criterion = next(iter(framework.criteria()))[1].id
        session.rate(team.member_id(facilitators[0]), criterion, 3, comment="clear framing")
        session.set_status(Status.COMPLETED)
        return session.session.id


def path_of(team: Team, who: str, session_id: str) -> Path:
    ws = workspace(team, who)
    found = [p for p in files.session_files(ws.sessions_dir) if p.stem.endswith(session_id[:8])]
    assert len(found) == 1, found
    return found[0]


def record(team: Team, who: str, session_id: str) -> SessionRecord:
    return files.read_record(path_of(team, who, session_id))


def has(team: Team, who: str, session_id: str) -> bool:
    ws = workspace(team, who)
    return any(p.stem.endswith(session_id[:8]) for p in files.session_files(ws.sessions_dir))


def share(team: Team, who: str, session_id: str) -> None:
    with Repository(workspace(team, who), clock=clock).open(path_of(team, who, session_id)) as s:
        s.set_status(Status.SHARED)


def sync(team: Team, who: str) -> SyncReport:
    return run_sync(workspace(team, who))


REFLECTION = "I will hand the recap to the groups next time"


def answer(team: Team, who: str, session_id: str, *, acknowledge: bool = True) -> None:
    """``who`` (a facilitator) writes their response, acknowledging the feedback."""
    from observe.core.models import Response

    ws = workspace(team, who)
    me = team.member_id(who)
    given = Response.new(session_id, me, reflection=REFLECTION, acknowledged=acknowledge)
    if acknowledge:
        given.acknowledged_at = START
    with Repository(ws, clock=clock).open(path_of(team, who, session_id)) as session:
        session.put_response(me, given)


def summarise(team: Team, who: str, session_id: str, facilitator: str) -> None:
    ws = workspace(team, who)
    with Repository(ws, clock=clock).open(path_of(team, who, session_id)) as session:
        session.put_summary(team.member_id(facilitator), summary=SUMMARY_TEXT)
