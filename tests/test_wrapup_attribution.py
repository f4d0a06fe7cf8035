"""Whose feedback each note goes into: shown at wrap-up with the reason, and changed there;
the choice is stored on the note and the feedback follows it."""

from __future__ import annotations

from textual.widgets import OptionList

from observe.app.dialogs.feedback_notes import FeedbackNotes
from observe.core.models import Framework
from observe.core.record import Why, why_about
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta
from tests.helpers_live import live_app, stored, type_note

SIZE = (100, 30)
AMARA, TOM = "amara-okafor", "tom-reid"
BOTH = "Amara's camera froze, Tom did not notice"


def meta():  # type: ignore[no-untyped-def]
    return make_meta("Amara Okafor", "Tom Reid")


def lines(screen: FeedbackNotes) -> list[str]:
    option_list = screen.query_one(OptionList)
    return [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


async def test_a_note_naming_both_can_be_left_out_of_one_persons_feedback(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_note(pilot, BOTH)
        await type_note(pilot, "- pace rushed @Tom")
        await type_note(pilot, "warm welcome for everyone")
        await pilot.press("f10", "f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FeedbackNotes)
        shown = lines(screen)
        assert shown[0].startswith("✓ named") and BOTH in shown[0]
        assert shown[1].startswith("✗ left out")
        assert shown[2].startswith("✓ shared")
        await pilot.press("x")  # the camera note: not in Amara's feedback
        await pilot.pause()
        assert lines(screen)[0].startswith("✗ left out")
        record = stored(app)
        (note, tagged, shared) = record.live_notes()
        assert note.feedback_for == [TOM] and note.rev == 2
        assert [n.text for n in record.notes_for(facilitator=AMARA)] == [shared.text]
        toms = [BOTH, tagged.text, shared.text]
        assert [n.text for n in record.notes_for(facilitator=TOM)] == toms
        await pilot.press("down", "down", "m")  # the shared note: Tom's only
        await pilot.pause()
        assert stored(app).live_notes()[2].feedback_for == [TOM]
        await pilot.press("a")  # back to what its tags and names say
        await pilot.press("f")  # Tom's view
        await pilot.pause()
        assert "Tom Reid" in str(screen.query_one("#feedback-notes-title").render())
        await pilot.press("escape")
        await pilot.pause()
        record = stored(app)
    assert record.live_notes()[2].feedback_for is None
    assert why_about(record.live_notes()[2], AMARA, record.session.meta.facilitators) == Why.SHARED


def test_why_a_note_is_someones() -> None:
    from datetime import datetime

    from observe.core.models import Note, Person

    people = [Person.named("Amara Okafor"), Person.named("Tom Reid")]
    at = datetime(2026, 3, 4, 9, 30)
    both = Note(at=at, text=BOTH)
    assert why_about(both, AMARA, people) == Why.NAMED
    assert why_about(both, TOM, people) == Why.NAMED
    tom = Note(at=at, text="Tom moved between the rooms")
    assert why_about(tom, AMARA, people) is None
    tagged = Note(at=at, text="x @amara", facilitators=[AMARA])
    assert why_about(tagged, TOM, people) is None
    chosen = tagged.model_copy(update={"feedback_for": [TOM]})
    assert why_about(chosen, TOM, people) == Why.CHOSEN
    assert why_about(chosen, AMARA, people) is None
    nobody = both.model_copy(update={"feedback_for": []})
    assert why_about(nobody, AMARA, people) is None and why_about(nobody, TOM, people) is None
