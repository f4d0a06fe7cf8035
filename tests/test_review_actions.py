"""The facilitator closes (done, dropped) or carries an agreed action in their review; the
state and the day are stored in the response, and a closed action stays closed."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from observe.app.application import make_app
from observe.app.screens.review import ReviewScreen
from observe.core.choices import ActionState
from observe.core.models import Framework
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_report import build_session


async def test_done_and_dropped_are_stored_with_the_day_and_stay(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    with build_session(repo, framework, names=("Asha Rahman",)) as session:
        path = session.path
    app = make_app(workspace, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ReviewScreen(path)
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press("f4")
        screen.query_one("#action-text", Input).focus()
        await pilot.press(*"Pause", "enter", *"Aim", "enter", *"Ask", "enter")
        table = screen.query_one("#review-actions", DataTable)
        table.focus()
        await pilot.pause()
        await pilot.press("d", "down", "x", "down", "c")  # done, dropped, carried
        await pilot.press("up", "up", "x")  # done stays done
        table.focus()
        await pilot.press("enter")  # reworded: still done
        await pilot.press("end", *" longer", "enter")
        await pilot.pause()
        assert app.write_all()
    [response] = repo.load(path).responses
    got = [(a.text, a.state, a.changed) for a in response.actions]
    assert [g[:2] for g in got] == [
        ("Pause longer", ActionState.DONE),
        ("Aim", ActionState.DROPPED),
        ("Ask", ActionState.OPEN),
    ]
    assert got[0][2] is not None and got[1][2] == got[0][2] and got[2][2] is None


async def test_a_date_already_past_is_kept_with_a_word_and_closed_ones_fit_their_cell(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    from datetime import UTC, date, datetime

    from tests.conftest import FakeClock
    from tests.helpers_home import captured_notifications

    with build_session(repo, framework, names=("Asha Rahman",)) as session:
        path = session.path
    clock = FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    app = make_app(workspace, clock=clock, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        said = captured_notifications(app)
        screen = ReviewScreen(path)
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press("f4")
        screen.query_one("#action-text", Input).focus()
        await pilot.press(*"Pause", "tab", "tab", *"1/10/2026", "enter")
        await pilot.pause()
        assert any("1 Oct 2026 has already passed" in line for line in said)
        table = screen.query_one("#review-actions", DataTable)
        table.focus()
        await pilot.press("x")
        await pilot.pause()
        cell = str(table.get_row_at(0)[2])
        column = table.ordered_columns[2]
        assert cell == "dropped 28 Nov" and len(cell) <= column.width
        assert app.write_all()
    [response] = repo.load(path).responses
    [action] = response.actions
    assert action.by == date(2026, 10, 1) and action.state is ActionState.DROPPED
