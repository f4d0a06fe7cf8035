"""Home's line of actions past their date, d for the list, Enter for the review where the
facilitator closes one; every assertion on a change reads what is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.widgets import DataTable, Static

from observe.app.application import make_app
from observe.app.screens.actions_due import ActionsDueScreen
from observe.app.screens.review import ReviewScreen
from observe.core.choices import ActionState
from observe.core.models import Framework, Person
from observe.store import files
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock
from tests.helpers_actions import HOSTILE, act, with_actions
from tests.helpers_home import no_blink, settle

SIZES = [(80, 24), (120, 40)]
ASHA, TOM = Person.named("Asha Rahman"), Person.named("Tom Price")


@pytest.fixture
def later() -> FakeClock:
    return FakeClock(datetime(2026, 3, 20, 9, 0, tzinfo=UTC))


@pytest.fixture
def agreed(repo: Repository, framework: Framework) -> None:
    with_actions(
        repo,
        framework,
        [ASHA, TOM],
        {
            ASHA.id: [act("Name the aim first", date(2026, 3, 1))],
            TOM.id: [
                act("Ask a quieter voice first", date(2026, 3, 3)),
                act("Try a fishbowl", date(2026, 4, 1)),
            ],
        },
        session_id="11111111-1111-4111-8111-111111111111",
    )


def home_line(app) -> str:
    found = app.screen.query("#home-actions")
    return str(found.first(Static).render()) if found else ""


async def test_closing_an_action_from_the_list_is_stored_and_home_says_so(
    workspace: Workspace, later: FakeClock, agreed: None
) -> None:
    app = make_app(workspace, clock=later, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = "Actions (d): 2 actions past their date, for 2 people"
        assert home_line(app) == line
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ActionsDueScreen)
        assert [a.text for a in app.screen.shown] == [
            "Name the aim first",
            "Ask a quieter voice first",
            "Try a fishbowl",
        ]
        await pilot.press("down", "enter")  # Tom's action: his review, on that action
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.facilitator == TOM.id
        assert app.focused is review.query_one("#review-actions", DataTable)
        assert review.query_one("#review-actions", DataTable).cursor_row == 0
        hint = str(review.query_one("#action-hint", Static).render())
        assert all(key in hint for key in ("d done", "x dropped", "c carry"))
        await pilot.press("d")  # done
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ActionsDueScreen)
        assert [a.text for a in app.screen.shown] == ["Name the aim first", "Try a fishbowl"]
        await pilot.press("escape")
        await settle(pilot)
        assert home_line(app) == "Actions (d): 1 action past its date, for 1 person"
    [path] = Repository(workspace).paths()
    record = files.read_record(path)
    states = {a.text: a.state for r in record.responses for a in r.actions}
    assert states == {
        "Name the aim first": ActionState.OPEN,
        "Ask a quieter voice first": ActionState.DONE,
        "Try a fishbowl": ActionState.OPEN,
    }


async def test_no_line_when_nothing_is_past_its_date(workspace: Workspace, agreed: None) -> None:
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    app = make_app(workspace, clock=clock)  # 2 March: only 1 March's action is past
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert home_line(app) == "Actions (d): 1 action past its date, for 1 person"
    empty = make_app(Workspace(workspace.root.parent / "other").ensure(seed=True), clock=clock)
    async with empty.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert home_line(empty) == ""
        await pilot.press("d")
        await settle(pilot)
        title = str(empty.screen.query_one("#actions-title", Static).render())
        assert title == "Actions: none open. Nothing to follow up."


async def test_hostile_action_text_is_shown_as_text(
    repo: Repository, framework: Framework, workspace: Workspace, later: FakeClock
) -> None:
    eve = Person.named("[red]Eve[/red]")
    with_actions(repo, framework, [eve], {eve.id: [act(HOSTILE, date(2026, 3, 1))]})
    app = make_app(workspace, clock=later)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert home_line(app) == "Actions (d): 1 action past its date, for 1 person"
        await pilot.press("d")
        await settle(pilot)
        detail = str(app.screen.query_one("#actions-detail", Static).render())
        assert "[b]Ask[/b]" in detail and "\\u202e" in detail and "\\x1b" in detail
        assert "\x1b" not in detail and "\u202e" not in detail


def steady(*keys: str):
    async def run_before(pilot) -> None:
        pilot.app.sub_title = "workspace"
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        no_blink(pilot.app)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_with_the_line(snap_compare, workspace: Workspace, later, agreed, size) -> None:
    assert snap_compare(make_app(workspace, clock=later), terminal_size=size, run_before=steady())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_list(snap_compare, workspace: Workspace, later, agreed, size) -> None:
    app = make_app(workspace, clock=later)
    assert snap_compare(app, terminal_size=size, run_before=steady("d"))


def widths(app) -> list[int]:
    table = app.screen.query_one("#actions", DataTable)
    return [column.get_render_width(table) for column in table.ordered_columns]


async def test_the_list_keeps_its_columns_wide_after_a_review(
    workspace: Workspace, later: FakeClock, agreed: None
) -> None:
    app = make_app(workspace, clock=later, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        before = widths(app)
        assert before[1] >= len("Asha Rahman")
        await pilot.press("enter", "d")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ActionsDueScreen)
        assert len(app.screen.shown) == 2  # read again: the closed one is gone
        assert widths(app) == before
        table = app.screen.query_one("#actions", DataTable)
        assert not any(column.auto_width for column in table.ordered_columns)
        row = app.screen.query_one("#actions", DataTable).get_row_at(0)
        assert str(row[1]) == "Tom Price"
