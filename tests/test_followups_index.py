"""Open actions are found through the index, not by decoding every file: the same follow-ups
as the files give, and an index that lies puts nothing on screen the files do not hold."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import orjson

from observe.core.actions import Agreed, follow_ups, open_actions
from observe.core.models import Framework, Session
from observe.core.summary import ActionRow
from observe.services import followups
from observe.services.demo import generate
from observe.store import files
from observe.store.agreed import aware
from observe.store.index import Index
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import make_meta


def from_every_file(workspace: Workspace, session: Session):
    """What a new session would carry, worked out by reading every file whole."""
    records = [files.read_record(p) for p in files.session_files(workspace.sessions_dir)]
    rows = [
        (r.session.id, aware(r.session.created_at), response)
        for r in records
        if r.session.id != session.id
        for response in r.responses
    ]
    found: list[Agreed] = []
    for person in session.meta.facilitators:
        found += open_actions(rows, person.id, before=aware(session.created_at))
    return follow_ups(session.id, found)


def test_the_index_carries_what_the_files_carry(workspace: Workspace, framework: Framework) -> None:
    records = [
        files.read_record(p) for p in generate(workspace.sessions_dir, framework, count=80, seed=5)
    ]
    people = {p.id: p for r in records for p in r.session.meta.facilitators}
    later = max(r.session.created_at for r in records) + timedelta(days=1)
    repo = Repository(workspace, clock=lambda: later)
    checked = 0
    for key in sorted(people):
        meta = make_meta().model_copy(update={"facilitators": [people[key]]})
        opened = repo.create(meta, framework, write=False)
        try:
            expected = from_every_file(workspace, opened.session)
            assert followups.carried(workspace, opened.session) == expected
            checked += bool(expected)
        finally:
            opened.close()
    # and for an earlier moment, mid-way through the programme
    middle = records[40].session
    assert followups.carried(workspace, middle) == from_every_file(workspace, middle)
    assert checked >= 4  # most demo actions are closed by now: a few people still carry some


def lie_in_the_index(workspace: Workspace, change) -> None:
    path = workspace.index_path
    data = orjson.loads(path.read_bytes())
    for doc in data["sessions"].values():
        change(doc)
    path.write_bytes(orjson.dumps(data))


def test_an_index_that_lies_shows_only_what_the_files_hold(
    workspace: Workspace, framework: Framework
) -> None:
    generate(workspace.sessions_dir, framework, count=30, seed=2)
    before = followups.overdue(workspace, date(2030, 1, 1))
    assert before
    forged = ["asha-rahman", "x" * 8, "[b]Invented[/b]\u202e", "", "2020-01-01", "open"]

    def invent(doc: dict) -> None:  # an extra open, overdue action in every session
        doc["actions"] = [*doc["actions"], forged, ["bad"], "not a row", [1, 2, 3, 4, 5, 6]]

    lie_in_the_index(workspace, invent)
    assert followups.overdue(workspace, date(2030, 1, 1)) == before
    assert all(o.text != forged[2] for o in followups.open_now(workspace))
    later = datetime(2031, 1, 1, tzinfo=UTC)
    opened = Repository(workspace, clock=lambda: later).create(
        make_meta("Asha Rahman"), framework, write=False
    )
    try:
        assert all("Invented" not in u.text for u in followups.carried(workspace, opened.session))
    finally:
        opened.close()


def test_an_index_that_hides_an_action_hides_only_that() -> None:
    # Rows the index cannot honestly hold are left out, one by one, never raised on.
    good = ["asha-rahman", "a1b2c3d4", "Name the aim", "", "2026-03-01", "open"]
    assert ActionRow.of(good) is not None
    for bad in (
        good[:5],
        [*good[:4], "not a day", "open"],
        [*good[:5], "reopened"],
        ["../x", *good[1:]],
        [good[0], good[1], "   ", *good[3:]],
        [good[0], good[1], 7, *good[3:]],
    ):
        assert ActionRow.of(bad) is None


def test_an_old_index_is_rebuilt_with_the_actions(
    workspace: Workspace, framework: Framework
) -> None:
    generate(workspace.sessions_dir, framework, count=30, seed=2)
    Index(workspace).refresh()

    def old(doc: dict) -> None:
        del doc["actions"]

    lie_in_the_index(workspace, old)
    data = orjson.loads(workspace.index_path.read_bytes())
    data["meta"]["1"]["version"] = 5
    workspace.index_path.write_bytes(orjson.dumps(data))
    index = Index(workspace)
    entries = index.refresh()
    assert index.rebuilt and any(e.actions for e in entries)
