"""Sessions whose facilitators agreed actions, for the tests of actions followed up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from observe.core.models import Action, Framework, Meta, Person, Response, Status
from observe.store.repository import Repository
from tests.conftest import make_meta

HOSTILE = "[b]Ask[/b] a \u202equieter\x1b[31m voice\n first " + "x" * 10_000


def with_actions(
    repo: Repository,
    framework: Framework,
    people: list[Person],
    actions: dict[str, list[Action]],
    *,
    title: str = "Reflective supervision",
    session_id: str | None = None,
) -> Path:
    """A shared session of ``people`` whose responses hold ``actions`` (by facilitator id)."""
    meta: Meta = make_meta(title=title).model_copy(update={"facilitators": people})
    session = repo.create(meta, framework, session_id=session_id)
    sid = session.session.id
    for who, acts in actions.items():
        session.apply_response(Response.new(sid, who, actions=acts))
    session.set_status(Status.SHARED)
    session.save()
    path = session.path
    session.close()
    return path


def act(text: str, by: date | None) -> Action:
    return Action(text=text, by=by)
