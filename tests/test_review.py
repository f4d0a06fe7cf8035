"""The facilitator's review screen, driven by keys; every check reads the session back from disk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Checkbox, DataTable, Input, Static, TabbedContent, TextArea

from observe.app.application import ObserveApp, make_app
from observe.app.dialogs.session_dialogs import ChooseFacilitator
from observe.app.screens.review import ReviewScreen
from observe.app.screens.review_actions import parse_by
from observe.app.widgets.feedback_view import FeedbackView
from observe.core.models import Framework, Response, Status
from observe.services.sharing import share
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_report import STRENGTHS, build_session


def _completed(repo: Repository, framework: Framework, *names: str) -> Path:
    with build_session(repo, framework, **({"names": names} if names else {})) as session:
        return session.path


def _shared(repo: Repository, framework: Framework, *names: str) -> Path:
    """A session its observer has shared: the facilitator's review is for these."""
    path = _completed(repo, framework, *names)
    assert share(repo.workspace, path)
    return path


def _app(workspace: Workspace) -> ObserveApp:
    return make_app(workspace, cursor_blink=False)


async def _open(app: ObserveApp, pilot: object, path: Path) -> ReviewScreen:
    screen = ReviewScreen(path)
    await app.push_screen(screen)
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


def _stored(repo: Repository, path: Path, app: ObserveApp) -> tuple[Status, dict[str, Response]]:
    """The session's status and its responses by facilitator, as stored."""
    assert app.write_all()
    record = repo.load(path)
    return record.status, {r.facilitator: r for r in record.responses}


async def test_opening_does_not_share_and_typing_saves_the_reflection(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _completed(repo, framework, "Asha Rahman")
    app = _app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, path)
        text = screen.query_one(FeedbackView).plain
        assert "Feedback for Asha Rahman" in text and STRENGTHS[1] in text
        assert _stored(repo, path, app)[0] is Status.COMPLETED  # reading is not sharing
        assert str(screen.query_one("#review-bar", Static).render()).startswith("Not shared yet")
        await pilot.press("f4")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "response"
        assert app.focused is screen.query_one("#review-reflection", TextArea)
        await pilot.press(*"I rushed", "enter", *"Timer")
        await pilot.pause(0.5)  # the save is debounced
        status, response = _stored(repo, path, app)
        assert response["asha-rahman"].reflection == "I rushed\nTimer"
        assert status is Status.COMPLETED
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
    assert repo.open(path).close() is None  # the lock was released


async def test_actions_are_added_edited_and_removed(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _completed(repo, framework, "Asha Rahman")
    app = _app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, path)
        await pilot.press("f4")
        screen.query_one("#action-text", Input).focus()
        await pilot.press(*"Plenary", "tab", *"Asha", "tab", *"1/5/2026", "enter")
        await pilot.press(*"Ask", "enter")
        await pilot.pause()
        actions = _stored(repo, path, app)[1]["asha-rahman"].actions
        assert [(a.text, a.owner, a.by) for a in actions] == [
            ("Plenary", "Asha", date(2026, 5, 1)),
            ("Ask", "", None),
        ]
        first_id = actions[0].id
        assert len({a.id for a in actions}) == 2
        table = screen.query_one("#review-actions", DataTable)
        assert table.row_count == 2
        table.focus()
        await pilot.press("enter")  # edit the first
        assert app.focused is screen.query_one("#action-text", Input)
        await pilot.press("end", *" 20m", "enter")
        table.focus()
        await pilot.press("down", "delete")
        await pilot.pause()
        actions = _stored(repo, path, app)[1]["asha-rahman"].actions
        assert [a.text for a in actions] == ["Plenary 20m"]
        assert actions[0].id == first_id  # reworded, still the same action
        screen.query_one("#action-by", Input).value = "next week"
        screen.query_one("#action-text", Input).value = "A bad date"
        screen.query_one("#action-text", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert len(_stored(repo, path, app)[1]["asha-rahman"].actions) == 1


async def test_acknowledging_with_a_disagreement(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _shared(repo, framework, "Asha Rahman")
    app = _app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, path)
        await pilot.press("f4")
        screen.query_one("#review-ack", Checkbox).focus()
        await pilot.press("space")  # then the disagreement box, which has the focus now
        assert app.focused is screen.query_one("#review-disagreement", TextArea)
        await pilot.press(*"Not so")
        await pilot.pause(0.5)
        status, response = _stored(repo, path, app)
        assert status is Status.ACKNOWLEDGED
        assert response["asha-rahman"].acknowledged
        assert response["asha-rahman"].acknowledged_at is not None
        assert response["asha-rahman"].disagreement == "Not so"
        box = screen.query_one("#review-ack", Checkbox)
        assert box.disabled and box.value  # given, it stays given: a status never goes back
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        status, response = _stored(repo, path, app)
        assert status is Status.ACKNOWLEDGED and response["asha-rahman"].acknowledged
        # nor does the owner take it back when asked to
        owner = screen.session
        assert owner is not None
        untick = response["asha-rahman"].model_copy(update={"acknowledged": False})
        assert not owner.set_responses({"asha-rahman": untick})
        assert _stored(repo, path, app)[1]["asha-rahman"].acknowledged


async def test_co_delivered_asks_whose_feedback_and_keeps_responses_apart(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _shared(repo, framework)
    app = _app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, path)
        assert isinstance(app.screen, ChooseFacilitator)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert "Feedback for Tom Price" in screen.query_one(FeedbackView).plain
        await pilot.press("f4", *"Tom's view")
        screen.query_one("#review-ack", Checkbox).focus()
        await pilot.press("space")
        await pilot.pause(0.5)
        status, response = _stored(repo, path, app)
        assert response["tom-price"].reflection == "Tom's view"
        assert response["tom-price"].acknowledged
        assert "asha-rahman" not in response or not response["asha-rahman"].acknowledged
        assert status is Status.SHARED  # Asha has not acknowledged yet
        await pilot.press("f2")
        await pilot.pause()
        assert "Feedback for Asha Rahman" in screen.query_one(FeedbackView).plain
        assert screen.query_one("#review-reflection", TextArea).text == ""
        screen.query_one("#review-ack", Checkbox).focus()
        await pilot.press("space")
        await pilot.pause()
        assert _stored(repo, path, app)[0] is Status.ACKNOWLEDGED


async def test_review_fits_80_by_24(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _completed(repo, framework, "Asha Rahman")
    app = _app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, path)
        await pilot.press("f4")
        await pilot.pause()
        for selector in ("#review-reflection", "#action-text", "#action-by", "#review-ack"):
            widget = screen.query_one(selector)
            widget.focus()
            await pilot.pause()
            region = widget.region
            assert region.width > 0 and region.height > 0, selector
            assert region.right <= 80 and region.bottom <= 24, selector
        bindings = {b.id for _, b, _, _ in screen.active_bindings.values() if b.id}
        assert {"review.back", "review.export", "review.respond"} <= bindings


def test_by_dates_read_iso_or_day_first() -> None:
    assert parse_by("2026-05-01") == date(2026, 5, 1)
    assert parse_by(" 1/5/2026 ") == date(2026, 5, 1)
    assert parse_by("") is None


async def test_a_session_open_elsewhere_is_refused_in_words(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    app = _app(workspace)
    with build_session(repo, framework, names=("Asha Rahman",)) as held:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.push_screen(ReviewScreen(held.path))
            await pilot.pause()
            assert not isinstance(app.screen, ReviewScreen)
            assert any("Cannot open for review" in (n.title or "") for n in app._notifications)
        assert repo.load(held.path).session.status is Status.COMPLETED


async def test_tab_from_the_reflection_goes_to_the_action_and_words_stay_words(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    """The user trial: reflection, Tab, an action with an "e" in it; nothing is exported."""
    path = _shared(repo, framework)  # co-delivered: Asha and Tom
    app = _app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot, path)
        assert isinstance(app.screen, ChooseFacilitator)
        await pilot.press("enter")  # Asha
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        order = [w.id for w in screen.focus_chain if w.id]
        assert order == [
            "review-reflection",
            "action-text",
            "action-owner",
            "action-by",
            "review-ack",
            "review-disagreement",
        ]  # the empty list of actions is no Tab stop
        await pilot.press(*"I moved on too fast", "tab")
        assert app.focused is screen.query_one("#action-text", Input)
        for word in ["Count", "to", "five", "after", "asking", "before", "moving", "on"]:
            await pilot.press(*word, "space")
        await pilot.press("tab", *"Asha", "enter")
        await pilot.pause(0.5)
        assert app.screen is screen  # no letter ran the export
        status, response = _stored(repo, path, app)
        asha = response["asha-rahman"]
        assert asha.reflection == "I moved on too fast"
        assert [(a.text, a.owner) for a in asha.actions] == [
            ("Count to five after asking before moving on", "Asha")
        ]
        assert status is Status.SHARED
        # Now there is an action, the list is a Tab stop after the form; letters typed
        # there are stopped with a hint, never taken as commands.
        table = screen.query_one("#review-actions", DataTable)
        assert table.can_focus
        table.focus()
        await pilot.press(*"leave")
        await pilot.pause()
        assert app.screen is screen
        assert any("Tab to a text box" in n.message for n in app._notifications)
        assert _stored(repo, path, app)[1]["asha-rahman"].actions == asha.actions
        await pilot.press("delete")  # the last action goes, and so does the list's Tab stop
        await pilot.pause()
        assert not table.can_focus
        assert app.focused is screen.query_one("#action-text", Input)
        bindings = {b.key for _, b, _, _ in screen.active_bindings.values()}
        assert "f5" in bindings and "e" not in bindings


def test_a_wrapped_line_keeps_its_indent(repo: Repository, framework: Framework) -> None:
    from rich.console import Console

    from observe.app.widgets.feedback_view import feedback_page
    from observe.report.feedback import feedback_context

    path = _completed(repo, framework, "Asha Rahman")
    fb = feedback_context(repo.load(path), "asha-rahman")
    console = Console(width=40, record=True, color_system=None)
    console.print(feedback_page(fb).renderable())
    lines = console.export_text().splitlines()
    note = next(i for i, line in enumerate(lines) if line.startswith("    ") and line.strip())
    evidence = lines[note:]
    # Every line of a note, first or wrapped, starts four columns in; nothing starts at 0
    # until the next heading.
    body = evidence[: next(i for i, line in enumerate(evidence) if not line.startswith(" "))]
    assert len(body) > 2 and all(line.startswith("  ") for line in body)


async def test_the_reflection_wraps_while_typing_at_100_by_30(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _completed(repo, framework, "Asha Rahman")
    app = _app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot, path)
        await pilot.press("f4")
        await pilot.pause()
        area = screen.query_one("#review-reflection", TextArea)
        assert app.focused is area
        words = "I rushed the last exercise because the timer was wrong and people noticed"
        await pilot.press(*words, *" so next time I will check it first")
        await pilot.pause()
        assert area.size.width <= screen.size.width
        assert area.wrapped_document.height >= 2  # the line broke onto the next row
        assert area.scroll_offset.x == 0  # nothing scrolled out of sight sideways
        assert area.virtual_size.width <= area.size.width


async def test_escape_on_whose_feedback_closes_the_review_and_changes_nothing(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _completed(repo, framework)  # co-delivered
    before = repo.load(path)
    app = _app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, path)
        assert isinstance(app.screen, ChooseFacilitator)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (ChooseFacilitator, ReviewScreen))
    after = repo.load(path)
    assert after.status is Status.COMPLETED and after.session.shared_at is None
    assert after.responses == before.responses
    assert repo.open(path).close() is None  # the lock was released
