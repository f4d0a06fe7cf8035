"""Leaving pauses the timer; reopening says so and offers to resume, and a note written while
paused says it. Every assertion reads the stored session."""

from __future__ import annotations

from dataclasses import replace

from observe.app.application import ObserveApp
from observe.app.dialogs.resume_timer import ResumeTimer
from observe.app.screens.live import LiveScreen
from observe.app.widgets.timer import SessionTimer
from observe.core.models import Framework
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta
from tests.helpers_live import live_app, session_path, stored, type_note

SIZE = (100, 30)


async def observed_then_left(workspace: Workspace, framework: Framework, clock: FakeClock) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock.advance(60)
        await type_note(pilot, "before leaving")
        await pilot.press("f12")  # leave for now: the timer pauses
        await pilot.pause()
        assert stored(app).session.clock.paused_since is not None
        await pilot.press("ctrl+q")


def reopened(workspace: Workspace, framework: Framework, clock: FakeClock) -> ObserveApp:
    app = live_app(workspace, make_meta(), framework, clock)
    app.options = replace(
        app.options,
        new_session=None,
        open_session=Repository(workspace, clock=clock).open(session_path(workspace)),
    )
    return app


async def test_reopening_a_paused_session_offers_to_resume_and_times_run_on(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    await observed_then_left(workspace, framework, clock)
    clock.advance(600)  # ten minutes away: not observation time
    app = reopened(workspace, framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeTimer)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        clock.advance(30)
        await type_note(pilot, "after coming back")
        clock.advance(30)
        await type_note(pilot, "later still")
        record = stored(app)
    assert record.session.clock.paused_since is None
    times = [n.elapsed_s for n in record.live_notes()]
    assert times == [61, 92, 123]  # the time away is left out, and the clock runs again


async def test_kept_paused_the_timer_and_every_note_say_so(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    await observed_then_left(workspace, framework, clock)
    app = reopened(workspace, framework, clock)
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, *a, **k: (said.append(str(message)), notify(message, *a, **k))[1]  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert "PAUSED" in str(app.screen.query_one(SessionTimer).render())
        clock.advance(30)
        await type_note(pilot, "during the break")
        record = stored(app)
    assert any("PAUSED" in m and "F4" in m for m in said)
    assert record.session.clock.paused_since is not None
    assert [n.elapsed_s for n in record.live_notes()] == [61, 61]


async def test_a_new_session_asks_nothing(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
