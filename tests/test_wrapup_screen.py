"""Wrap-up reached directly (a completed session reopened) and leaving the live screen."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import TextArea

from observe.app.screens.help import help_text
from observe.app.screens.live import LiveScreen
from observe.app.screens.wrapup import ConfirmFinish, WrapUpScreen
from observe.core.models import Framework, Note, NoteKind, Status
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta
from tests.helpers_live import enter_text, live_app, session_path, stored, type_note

SIZE = (100, 30)


async def test_completed_session_opens_in_wrapup_and_can_be_revised(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    repo = Repository(workspace, clock=clock)
    with repo.create(make_meta(), framework) as session:
        session.add_note(Note(at=clock(), text="clear purpose #S1", criteria=["S1"]))
        session.rate("asha-rahman", "S1", 2)
        session.set_status(Status.COMPLETED)
        path = session.path
    app = live_app(workspace, make_meta(), framework, clock)
    app.options = replace(app.options, new_session=None, open_session=repo.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        evidence = str(app.screen.query_one("#wrap-evidence").render())
        assert "R1" in evidence  # the first criterion is highlighted
        for _ in range(16):  # down to S1 (the headings are skipped)
            await pilot.press("down")
        evidence = str(app.screen.query_one("#wrap-evidence").render())
        assert "S1" in evidence and "clear purpose" in evidence
        await pilot.press("3")
        await pilot.press("tab", "tab", "tab")  # strengths, development, summary
        await enter_text(pilot, "A well-paced session.")
        await pilot.press("f12")  # nothing below but home: leave, keeping it completed
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        record = stored(app)
        Repository(workspace).open(path).close()  # released on leaving
    assert record.session.status is Status.COMPLETED
    assert record.rating("asha-rahman", "S1").level == 3  # type: ignore[union-attr]
    assert record.summary("asha-rahman").summary == "A well-paced session."


async def test_leave_for_now_keeps_the_session_in_progress(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        await type_note(pilot, "? who holds the time")
        await enter_text(pilot, "unfinished")
        await pilot.press("f12")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        path = session_path(workspace)
        record = stored(app)
        reopened = Repository(workspace).open(path)  # the lock was released
        assert reopened.draft == "unfinished"
        reopened.close()
    assert record.session.status is Status.IN_PROGRESS
    assert record.session.clock.paused_since is not None  # time away is not counted
    assert [(n.kind, n.text) for n in record.live_notes()] == [
        (NoteKind.QUESTION, "who holds the time")
    ]
    assert Repository(workspace).interrupted() == []


def test_open_refuses_a_shared_session_in_one_line(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    from click.testing import CliRunner

    from observe.cli.main import main

    with Repository(workspace, clock=clock).create(make_meta(), framework) as session:
        session.set_status(Status.SHARED)
        short = session.session.short_id
    result = CliRunner().invoke(main, ["--workspace", str(workspace.root), "open", short])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"observe: session {short} is shared; read it with the review screen (observe, then v)"
    ]
    missing = CliRunner().invoke(main, ["--workspace", str(workspace.root), "open", "ffffffff"])
    assert missing.exit_code == 2 and "no session with id" in missing.output
    Repository(workspace).open(session.path).close()  # refused, and left unlocked


async def test_tab_from_the_criteria_goes_to_strengths_development_summary(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    """Typed as a person would: F10, Tab, words, Tab, words, Tab, words; each box keeps its own."""
    app = live_app(workspace, make_meta("Asha Rahman"), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WrapUpScreen)
        assert [w.id for w in screen.focus_chain] == [
            "wrap-criteria",
            "wrap-strengths",
            "wrap-development",
            "wrap-summary",
        ]
        await pilot.press("tab", *"Warm welcome", "tab", *"Timing", "tab", *"Good day")
        await pilot.pause(0.5)  # the saves are debounced
        assert app.focused is screen.query_one("#wrap-summary", TextArea)
        summary = stored(app).summary("asha-rahman")
    assert (summary.strengths, summary.development, summary.summary) == (
        "Warm welcome",
        "Timing",
        "Good day",
    )


async def test_letters_on_the_criteria_list_are_not_lost_silently(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta("Asha Rahman"), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WrapUpScreen)
        await pilot.press(*"Great")
        await pilot.pause()
        assert any("Tab to Strengths" in n.message for n in app._notifications)
        assert isinstance(app.screen, WrapUpScreen)  # no letter ran a command
        assert stored(app).session.status is Status.IN_PROGRESS
        text = help_text(screen)
        assert "1-4, 0" in text and "0 not observed" in text
        assert "Rate 5" not in text and "Rate 9" not in text
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmFinish)
        words = str(app.screen.query_one("Static").render())
        assert "reopen it from home until its feedback is shared" in words
        assert "still open it again" not in words


async def test_finishing_names_a_co_facilitator_with_nothing_written_yet(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta("Asha Rahman", "Tom Price"), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("tab", *"Warm welcome")
        await pilot.pause(0.5)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmFinish)
        text = str(app.screen.query_one("Static").render())
        assert "Tom Price" in text and "Asha Rahman" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert stored(app).session.status is Status.IN_PROGRESS


async def test_wrap_up_rates_the_facilitator_chosen_while_observing(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta("Asha Rahman", "Tom Price"), framework, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2", "f10")  # rating Tom, then on to wrap-up
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.press("3")  # the criteria list has the focus on arrival
        await pilot.pause()
        await pilot.press("f2", "f12")  # back to Asha, back to observing
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert app.screen.facilitator == "asha-rahman"
        app.write_all()
        record = stored(app)
    assert [(r.facilitator, r.level) for r in record.ratings] == [("tom-price", 3)]
