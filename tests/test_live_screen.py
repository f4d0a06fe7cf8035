"""The live observation screen driven with Pilot; every assertion reads the stored session."""

from __future__ import annotations

from dataclasses import replace

import pytest

from observe.app.screens.live import LiveScreen
from observe.app.screens.wrapup import WrapUpScreen
from observe.app.widgets.note_input import NoteHint, NoteInput
from observe.app.widgets.timeline import Timeline
from observe.core.models import Framework, NoteKind, Status
from observe.store import files
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta
from tests.helpers_live import enter_text, live_app, session_path, stored, type_note

SIZE = (100, 30)


async def test_note_input_has_focus_and_tags_and_markers_are_stored(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert isinstance(app.focused, NoteInput)
        clock.advance(75)
        await type_note(pilot, "+ names each person on arrival #r1 @asha")
        clock.advance(30)
        await type_note(pilot, '"I can say I am stuck here" #L2 #Q9')
        await type_note(pilot, "? why skip the check-out")
        await type_note(pilot, "-  pace rushed in the last ten minutes #s2 @tom")
        await type_note(pilot, "people in fours @nobody")  # no such facilitator: plain text
        await pilot.press("enter")  # an empty note is not saved
        record = stored(app)
    notes = record.live_notes()
    assert [n.kind for n in notes] == [
        NoteKind.STRENGTH,
        NoteKind.QUOTE,
        NoteKind.QUESTION,
        NoteKind.DEVELOPMENT,
        NoteKind.OBSERVATION,
    ]
    first = notes[0]
    assert first.text == "names each person on arrival #r1 @asha"
    assert first.criteria == ["R1"] and first.facilitators == ["asha-rahman"]
    assert first.elapsed_s == 76
    assert (
        notes[1].text == "I can say I am stuck here #L2 #Q9"
    )  # the closing mark goes with the marker
    assert notes[1].criteria == ["L2"]
    assert notes[3].criteria == ["S2"] and notes[3].facilitators == ["tom-price"]
    assert notes[4].facilitators == []


async def test_completion_accepted_with_right_arrow(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"+ lovely @as")
        await pilot.pause(0.1)
        hint = app.screen.query_one(NoteHint)
        assert "Asha Rahman" in str(hint.render()) and "Tom" not in str(hint.render())
        await pilot.press("right", *"#d", "right", "enter")
        await pilot.pause()
        record = stored(app)
    (note,) = record.live_notes()
    assert note.text == "lovely @asha #d1"
    assert note.facilitators == ["asha-rahman"] and note.criteria == ["D1"]


async def test_completion_accepted_with_end_too(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"+ named it @as", "end", "enter")
        await pilot.pause()
        record = stored(app)
    (note,) = record.live_notes()
    assert note.text == "named it @asha"


async def test_editing_the_last_note_gives_back_the_half_typed_one(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_note(pilot, "first")
        await pilot.press(*"half a thought", "f6")
        await pilot.pause()
        note_input = app.screen.query_one(NoteInput)
        assert note_input.value == "first"
        await pilot.press("ctrl+u", *"first, edited", "enter")
        await pilot.pause()
        assert note_input.value == "half a thought"
        app.write_all()
        record = stored(app)
        raw = files.parse_raw(session_path(workspace).read_bytes())
    assert [n.text for n in record.live_notes()] == ["first, edited"]
    assert files.read_draft(raw) == "half a thought"


async def test_ratings_per_facilitator(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_note(pilot, "+ warm welcome #R1")
        await pilot.press("tab")  # to the criteria; R1 is highlighted first
        await pilot.press("3", "j", "0")  # Asha: R1 3, R2 not observed
        await pilot.press("f", "k", "2")  # Tom: R1 2
        await pilot.press("f2", "down", "down", "4")  # F2 works too: Asha again, R3 4
        await pilot.press("tab")
        assert isinstance(app.focused, NoteInput)
        await pilot.press("9")  # in the input a digit is just text
        record = stored(app)
    levels = {(r.facilitator, r.criterion): r.level for r in record.ratings}
    assert levels == {
        ("asha-rahman", "R1"): 3,
        ("asha-rahman", "R2"): None,
        ("tom-price", "R1"): 2,
        ("asha-rahman", "R3"): 4,
    }
    r1 = record.rating("asha-rahman", "R1")
    assert r1 is not None and r1.evidence == [record.live_notes()[0].id]


async def test_edit_delete_and_undo_last_note(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_note(pilot, "first")
        await type_note(pilot, "+ secnod #R1")
        await pilot.press("up")  # empty input: the last note comes back
        note_input = app.screen.query_one(NoteInput)
        assert note_input.value == "+ secnod #R1"
        await pilot.press("ctrl+w", "ctrl+w")
        await type_note(pilot, "second #R2")
        await pilot.pause()
        edited = stored(app).live_notes()[-1]
        assert (edited.text, edited.criteria, edited.rev) == ("second #R2", ["R2"], 2)
        assert edited.kind is NoteKind.STRENGTH

        await pilot.press("f7")  # delete the last note: a tombstone
        record = stored(app)
        assert [n.text for n in record.live_notes()] == ["first"]
        tomb = next(n for n in record.notes if n.id == edited.id)
        assert tomb.deleted and tomb.rev == 3
        timeline = app.screen.query_one(Timeline)
        assert timeline.option_count == 1

        await pilot.press("f8")  # and bring it back
        record = stored(app)
        back = next(n for n in record.notes if n.id == edited.id)
        assert not back.deleted and back.rev == 4
        assert timeline.option_count == 2

        await pilot.press("f6", "escape")  # an edit left as it was changes nothing
        assert note_input.value == ""
    assert len(stored(app).live_notes()) == 2


async def test_phases_and_pause_are_stored(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock.advance(600)
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # small groups
        await pilot.pause()
        await type_note(pilot, "groups of four")
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("tab")
        await type_note(pilot, "role play")
        await pilot.pause()
        await pilot.press("f4")  # a break
        clock.advance(300)
        await pilot.press("f4")
        clock.advance(60)
        await type_note(pilot, "back from the break")
        record = stored(app)
    assert [p.name for p in record.session.phases] == ["small groups", "role play"]
    assert record.session.phases[0].elapsed_s == 600
    assert record.live_notes()[0].phase == "small groups"
    assert record.session.clock.paused_s == 300
    assert record.session.clock.paused_since is None
    # 600 + 1 + 1 (the helper moves on a second per text) + 60 after the break; not the 300.
    assert record.live_notes()[1].elapsed_s == 663


async def test_whole_observation_to_completed(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_note(pilot, "+ holds the silence after a hard story #R2 @asha")
        await type_note(pilot, "- Tom moves on before the group has landed #R2 @tom")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.press("down", "4")  # R2 for Asha, from the evidence beside it
        await pilot.press("tab")  # the evidence is no Tab stop: straight to the strengths
        await enter_text(pilot, "Warm, steady containment.")
        await pilot.press("tab")
        await enter_text(pilot, "Name the feeling before moving on.")
        await pilot.press("f2")  # Tom
        await pilot.pause()
        await pilot.press("shift+tab", "shift+tab", "2")  # back to the criteria: R2 for Tom
        await pilot.press("tab", "tab", "tab")  # strengths, development, summary
        await enter_text(pilot, "Good energy.")
        await pilot.pause(0.5)
        await pilot.press("f12")  # back to observing, then return
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("enter")  # confirm
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        record = stored(app)
        path = session_path(workspace)
        # Finished and released: another editor may open it now.
        Repository(workspace).open(path).close()
    assert record.session.status is Status.COMPLETED
    assert record.session.completed_at is not None
    assert record.session.clock.paused_since is not None  # its length is fixed
    assert record.summary("asha-rahman").strengths == "Warm, steady containment."
    assert record.summary("asha-rahman").development == ("Name the feeling before moving on.")
    assert record.summary("tom-price").summary == "Good energy."
    asha = record.rating("asha-rahman", "R2")
    tom = record.rating("tom-price", "R2")
    assert asha is not None and tom is not None
    assert (asha.level, tom.level) == (4, 2)
    by_text = {n.id: n.text for n in record.live_notes()}
    assert [by_text[i] for i in asha.evidence] == ["holds the silence after a hard story #R2 @asha"]
    assert [by_text[i] for i in tom.evidence] == [
        "Tom moves on before the group has landed #R2 @tom"
    ]


async def test_draft_is_restored_on_reopening(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_note(pilot, "saved note")
        await enter_text(pilot, "half a thought about #R3")
        await pilot.pause(0.6)  # past the draft's debounce
        await pilot.press("ctrl+q")
    path = session_path(workspace)
    again = Repository(workspace, clock=clock).open(path)
    assert again.draft == "half a thought about #R3"
    app2 = live_app(workspace, make_meta(), framework, clock)
    app2.options = replace(app2.options, new_session=None, open_session=again)
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app2.screen, LiveScreen)
        assert app2.screen.query_one(NoteInput).value == "half a thought about #R3"
        clock.advance(5)
        await pilot.press("enter")
        record = stored(app2)
    assert [n.text for n in record.live_notes()] == ["saved note", "half a thought about #R3"]
    assert Repository(workspace).load(path).session.status is Status.IN_PROGRESS


async def test_resume_after_a_crash(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    repo = Repository(workspace, clock=clock)
    crashed = repo.create(make_meta(), framework)
    from observe.core.models import Note

    crashed.add_note(Note(at=clock(), text="before the crash", kind=NoteKind.STRENGTH))
    crashed.save_draft("typed but not saved")
    # A crash: the process dies holding the session; the kernel frees the lock, the
    # open-marker stays behind.
    crashed.lock.release()
    (path,) = repo.interrupted()
    app = live_app(workspace, make_meta(), framework, clock)
    app.options = replace(app.options, new_session=None, open_session=repo.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        assert screen.query_one(NoteInput).value == "typed but not saved"
        assert screen.query_one(Timeline).option_count == 1
        clock.advance(5)
        await pilot.press("enter")
        await pilot.press("ctrl+q")
    record = repo.load(path)
    assert [n.text for n in record.live_notes()] == ["before the crash", "typed but not saved"]
    assert repo.interrupted() == []  # a clean quit closes it


async def test_unhandled_exception_flushes_and_releases(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await type_note(pilot, "kept despite the crash")

            def fail() -> None:
                raise RuntimeError("boom")

            app.call_later(fail)
            await pilot.pause()
    path = session_path(workspace)
    record = Repository(workspace).load(path)
    assert [n.text for n in record.live_notes()] == ["kept despite the crash"]
    Repository(workspace).open(path).close()  # the lock was released


async def test_tab_after_a_whole_tag_ends_it_and_never_rates(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    """The hint still offers "R1" after "#R1" is typed in full, so Tab takes it (a space)
    and stays in the note: the digit typed next is text, not a rating of R1."""
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"warm #R1", "tab", "3", "enter")
        await pilot.pause()
        assert isinstance(app.focused, NoteInput)
        await pilot.press("tab")  # nothing offered now: to the criteria
        assert not isinstance(app.focused, NoteInput)
        record = stored(app)
    assert [n.text for n in record.live_notes()] == ["warm #R1 3"]
    assert record.ratings == []
