"""Rating keys on the live screen: Tab takes a completion, every rating is confirmed and can
be undone or cleared; each test reads the stored session."""

from __future__ import annotations

from observe.app.widgets.criteria import CriteriaList
from observe.app.widgets.note_input import NoteHint, NoteInput
from observe.core.models import Framework
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta
from tests.helpers_live import live_app, stored

SIZE = (100, 30)
ASHA = "asha-rahman"


async def test_tab_takes_the_completion_and_the_sentence_goes_on_in_the_note(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"Good pacing from @As")
        await pilot.pause()
        await pilot.press("tab", *" as 2 people joined late", "enter")
        await pilot.pause()
        assert isinstance(app.focused, NoteInput)
        record = stored(app)
    assert record.ratings == []
    (note,) = record.live_notes()
    assert note.text == "Good pacing from @Asha  as 2 people joined late"
    assert note.facilitators == [ASHA]


async def test_tab_sent_in_one_burst_after_a_tag_never_rates(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    # No pause between the keys: the Tab is decided in the input's own queue, in order.
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"pacing @As", "tab", *" 2 late", "enter")
        await pilot.pause()
        record = stored(app)
    assert record.ratings == []
    assert [n.text for n in record.live_notes()] == ["pacing @Asha  2 late"]


async def test_tab_with_no_completion_moves_to_the_criteria_which_say_they_rate(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"pacing", "tab")
        await pilot.pause()
        criteria = app.screen.query_one(CriteriaList)
        assert app.focused is criteria
        assert app.screen.has_class("-rating")
        assert "RATING" in str(criteria.border_subtitle)
        assert "RATING: 1-4 rate R1 for Asha" in str(app.screen.query_one(NoteHint).render())
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, NoteInput) and not app.screen.has_class("-rating")
        assert app.focused.value == "pacing"


async def test_a_rating_is_confirmed_and_u_puts_back_what_was_there(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", "2")
        await pilot.pause()
        line = str(app.screen.query_one("#live-rating").render())
        assert "R1 rated 2 for Asha · u undoes" in line
        assert stored(app).rating(ASHA, "R1").level == 2
        await pilot.press("3")
        await pilot.press("u")
        await pilot.pause()
        assert stored(app).rating(ASHA, "R1").level == 2  # the level before, not none
        await pilot.press("ctrl+z")
        await pilot.pause()
        record = stored(app)
        assert "back to no rating" in str(app.screen.query_one("#live-rating").render())
    assert record.rating(ASHA, "R1") is None  # there was none before the first digit
    (doc,) = record.ratings
    assert doc.deleted and doc.rev == 4  # 2, 3, back to 2, cleared: a tombstone


async def test_backspace_clears_a_rating_and_rating_again_brings_it_back(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", "0")  # not observed is a rating: it is kept, as null
        await pilot.pause()
        assert stored(app).rating(ASHA, "R1").level is None
        await pilot.press("backspace")
        await pilot.pause()
        cleared = stored(app)
        assert cleared.rating(ASHA, "R1") is None and cleared.ratings[0].deleted
        assert (ASHA, "R1") not in app.screen.query_one(CriteriaList).ratings
        await pilot.press("delete")  # nothing to clear: nothing changes
        await pilot.pause()
        assert stored(app).ratings[0].rev == cleared.ratings[0].rev
        await pilot.press("4")
        await pilot.pause()
        record = stored(app)
    (doc,) = record.ratings
    assert doc.level == 4 and not doc.deleted and doc.rev == 3


async def test_clear_rating_is_offered_in_the_palette(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    from observe.app.application import binding_commands

    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in binding_commands(app, app.screen)]
        assert "Clear rating" in titles and "Undo rating" in titles
        await pilot.press("tab", "3")
        await pilot.pause()
        app.screen.action_clear_rating()
        await pilot.pause()
        record = stored(app)
    assert record.rating(ASHA, "R1") is None
