"""The live screen brings the actions agreed last time: F5 marks each, a note ties itself to
one with !A1; every assertion reads what is stored."""

from __future__ import annotations

from datetime import date

from observe.app.dialogs.last_time import LastTime
from observe.core.choices import FollowUpMark
from observe.core.models import Action, Framework, Response
from observe.services.session_owner import SessionOwner
from observe.store import files
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta
from tests.helpers_live import live_app, type_note

HOSTILE = "[b]Pause[/b] \x1b[31m after questions"


def seed_earlier(workspace: Workspace, framework: Framework, clock: FakeClock) -> str:
    owner = SessionOwner.create(Repository(workspace, clock=clock), make_meta(), framework)
    who = owner.session.meta.facilitators[0].id
    acts = [Action(text=HOSTILE, by=date(2026, 3, 10)), Action(text="Name the aim first")]
    owner.set_responses({who: Response.new(owner.session.id, who, actions=acts)})
    assert owner.close(timeout=5)
    clock.advance(7 * 86400)
    return owner.session.id


def new_record(workspace: Workspace, earlier: str):
    paths = [p for p in Repository(workspace).paths() if earlier[:8] not in p.name]
    assert len(paths) == 1
    return files.read_record(paths[0])


async def test_marks_and_tied_notes_are_stored(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    earlier = seed_earlier(workspace, framework, clock)
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = str(app.screen.query_one("#live-last").render())
        assert "From last time" in line and "A1" in line and "[b]" in line  # shown as text
        await type_note(pilot, "waited a full ten seconds !A1")
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, LastTime)
        await pilot.press("p")  # A1 partly seen; the highlight moves on to A2
        await pilot.press("c")  # A2: no chance today
        await pilot.press("escape")
        await pilot.pause()
        assert app.write_all(10)
    record = new_record(workspace, earlier)
    assert [(u.label, u.mark) for u in record.followups] == [
        ("A1", FollowUpMark.PARTLY),
        ("A2", FollowUpMark.NO_CHANCE),
    ]
    assert record.followups[0].text == HOSTILE
    [note] = record.live_notes()
    assert note.text == "waited a full ten seconds !A1"


async def test_unmarking_takes_the_mark_off(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    earlier = seed_earlier(workspace, framework, clock)
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f5")
        await pilot.press("s", "up", "backspace", "escape")
        await pilot.pause()
        assert app.write_all(10)
    record = new_record(workspace, earlier)
    assert [u.mark for u in record.followups] == [None, None]
    assert record.followups[0].rev == 3


async def test_no_line_and_a_word_when_nothing_was_agreed(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#live-last").display
        await pilot.press("f5")
        await pilot.pause()
        assert not isinstance(app.screen, LastTime)


async def test_bang_completes_an_action_and_the_stored_note_is_tied_to_it(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    from observe.app.widgets.note_input import NoteHint
    from observe.core.actions import evidence

    earlier = seed_earlier(workspace, framework, clock)
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("w", "a", "i", "t", "e", "d", "space", "!", "A")
        await pilot.pause()
        hint = str(app.screen.query_one(NoteHint).render())
        assert "A1" in hint and "A2 Name the aim first" in hint and "[b]Pause" in hint
        await pilot.press("tab")  # takes A1, and the space after it
        await pilot.press("!", "2", "tab")  # "!2" is A2
        await pilot.press("o", "k", "enter")
        await pilot.pause()
        assert app.write_all(10)
    record = new_record(workspace, earlier)
    [note] = record.live_notes()
    assert note.text == "waited !A1 !A2 ok"
    first, second = record.followups
    assert evidence(first, record.live_notes()) == [note]
    assert evidence(second, record.live_notes()) == [note]


async def test_the_dialog_shows_a_long_action_whole(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    from textual.widgets import OptionList

    long = "Name the aim of each activity before it starts and come back to it at the end"
    owner = SessionOwner.create(Repository(workspace, clock=clock), make_meta(), framework)
    who = owner.session.meta.facilitators[0].id
    owner.set_responses({who: Response.new(owner.session.id, who, actions=[Action(text=long)])})
    assert owner.close(timeout=5)
    clock.advance(7 * 86400)
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        options = app.screen.query_one("#last-list", OptionList)
        prompt = str(options.get_option_at_index(0).prompt)
        assert long in prompt and "…" not in prompt
        shown = " ".join(line.text.strip() for line in (options.render_line(y) for y in range(4)))
        assert "come back to it at the end" in " ".join(shown.split())
