"""Text put back in the note input (a recovered draft, a note to correct) is never selected:
the first key typed adds to it instead of replacing it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from observe.app.screens.live import LiveScreen
from observe.app.widgets.note_input import NoteInput
from observe.core.models import Framework, Note
from observe.store import files
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta
from tests.helpers_live import live_app

SIZE = (100, 30)


def crashed_with(repo: Repository, framework: Framework, draft: str, note: str = "") -> Path:
    crashed = repo.create(make_meta(), framework)
    if note:
        crashed.add_note(Note(at=repo.clock(), text=note))
    crashed.save_draft(draft)
    crashed.lock.release()  # the kernel's part when the process dies
    (path,) = repo.interrupted()
    return path


async def test_a_recovered_draft_is_not_replaced_by_the_first_key(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    repo = Repository(workspace, clock=clock)
    path = crashed_with(repo, framework, "typed but not saved")
    app = live_app(workspace, make_meta(), framework, clock)
    app.options = replace(app.options, new_session=None, open_session=repo.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        note = app.screen.query_one(NoteInput)
        assert isinstance(app.screen, LiveScreen)
        assert note.selection.is_empty and note.cursor_position == len(note.value)
        await pilot.press("x")
        assert note.value == "typed but not savedx"
        for _ in range(100):  # the draft is saved once typing pauses
            await pilot.pause(0.05)
            if stored_draft(path) == "typed but not savedx":
                break
        assert stored_draft(path) == "typed but not savedx"


def stored_draft(path: Path) -> str:
    return files.read_draft(files.parse_raw(path.read_bytes()))


async def test_a_note_brought_back_to_correct_is_not_replaced_by_the_first_key(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    repo = Repository(workspace, clock=clock)
    path = crashed_with(repo, framework, "", note="the group wrote its own rules")
    app = live_app(workspace, make_meta(), framework, clock)
    app.options = replace(app.options, new_session=None, open_session=repo.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("up")  # the last note comes back to be corrected
        await pilot.press("tab", "shift+tab")  # away and back: focus again
        await pilot.press("!", "enter")
        await pilot.press("ctrl+q")
    (note,) = repo.load(path).live_notes()
    assert note.text == "the group wrote its own rules!"
