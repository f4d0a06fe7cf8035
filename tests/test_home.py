"""Home screen: sessions table, unreadable files, filter, dispatch by status, resume, palette."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Input, Static

from observe.app.application import make_app
from observe.app.dialogs.session_dialogs import ResumeDialog
from observe.app.screens.home import HomeScreen
from observe.app.screens.listing import columns_for, matches, parse_filter
from observe.core.models import Framework
from observe.core.summary import SessionSummary
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_home import (
    add_session,
    add_unreadable,
    captured_notifications,
    settle,
    stand_in,
)


@pytest.fixture
def three(repo: Repository, framework: Framework) -> dict[str, object]:
    """Three sessions across waves, modes and statuses."""
    return {
        "asha": add_session(
            repo, framework, "Asha Rahman", "Tom Price", notes=3, wave="2", mode="online"
        ),
        "bea": add_session(
            repo,
            framework,
            "Bea Jones",
            status="completed",
            wave="1",
            day=date(2026, 2, 1),
        ),
        "cai": add_session(
            repo,
            framework,
            "Cai Evans",
            status="shared",
            wave="2",
            mode="hybrid",
            day=date(2026, 1, 5),
        ),
    }


def table_text(screen: HomeScreen) -> list[str]:
    table = screen.query_one("#sessions", DataTable)
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_rows_newest_first_with_counts(workspace: Workspace, clock, three) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        rows = table_text(screen)
        assert len(rows) == 3
        assert rows[0].startswith("2026-03-04 Asha Rahman, Tom Price 2")
        assert "online in progress 3" in rows[0]
        assert "Bea Jones" in rows[1] and "completed" in rows[1]
        assert "Cai Evans" in rows[2] and "shared" in rows[2]
        assert app.focused is screen.query_one("#sessions", DataTable)


async def test_wide_terminal_shows_more_columns(workspace: Workspace, clock, three) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert {"Region", "Observer", "Title"} <= set(labels)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        labels = [str(c.label) for c in table.columns.values()]
        assert "Region" not in labels and "Notes" in labels
        assert sum(c.width + 2 for c in table.columns.values()) <= 80


def test_columns_fit_the_width() -> None:
    for width in (80, 100, 119, 120, 200):
        columns = columns_for(width)
        assert sum(c.width + 2 for c in columns) <= width - 1


async def test_unreadable_file_is_flagged_and_never_opened(
    workspace: Workspace, clock, three
) -> None:
    bad = add_unreadable(workspace)
    before = bad.read_bytes()
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        messages = captured_notifications(app)
        rows = table_text(app.screen)
        assert "unreadable" in rows[-1] and bad.name[:20] in rows[-1]
        table = app.screen.query_one("#sessions", DataTable)
        table.move_cursor(row=3)
        await pilot.pause()
        detail = str(app.screen.query_one("#home-detail", Static).render())
        assert bad.name in detail and "cannot be read" in detail
        assert app.screen.query_one("#home-detail").has_class("-unreadable")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("cannot be opened" in m for m in messages)
    assert bad.read_bytes() == before


async def test_filter_by_column_text(workspace: Workspace, clock, three) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("slash")
        assert app.focused is screen.query_one("#filter", Input)
        for query, expected in [
            ("wave 2", {"Asha Rahman", "Cai Evans"}),
            ("online", {"Asha Rahman"}),
            ("in progress", {"Asha Rahman"}),
            ("bea", {"Bea Jones"}),
            ("wave 2 hybrid", {"Cai Evans"}),
        ]:
            await pilot.press("slash")
            screen.query_one("#filter", Input).value = query
            await pilot.press("enter")
            await pilot.pause()
            shown = {r.facilitators[0] for r in screen.shown}
            assert shown == expected, query
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#filter", Input).value == ""
        assert len(screen.shown) == 3


def test_filter_words_name_a_column() -> None:
    row = SessionSummary(
        file="x.json",
        date="2026-03-04",
        facilitators=("Asha",),
        wave="20",
        mode="online",
        status="in_progress",
        notes=2,
    )
    assert not matches(row, parse_filter("wave 2"))
    assert matches(row, parse_filter("wave 20"))
    assert matches(row, parse_filter("2026-03"))


@pytest.mark.parametrize(
    ("who", "module", "name"),
    [
        ("asha", "live", "LiveScreen"),
        ("bea", "wrapup", "WrapUpScreen"),
        ("cai", "review", "ReviewScreen"),
    ],
)
async def test_open_goes_where_the_status_says(
    workspace: Workspace, clock, three, monkeypatch, who: str, module: str, name: str
) -> None:
    target = stand_in(monkeypatch, module, name)
    app = make_app(workspace, clock=clock)
    path = three[who]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        index = next(i for i, r in enumerate(screen.shown) if r.file == path.name)
        screen.query_one("#sessions", DataTable).move_cursor(row=index)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, target)
        if module == "review":
            assert app.screen.arg == path
        else:
            owner = app.screen.arg
            assert owner.path == path and owner in app.owners and not owner.closed
            assert owner.close()


async def test_a_session_open_elsewhere_gives_the_locked_message(
    workspace: Workspace, clock, repo: Repository, three, monkeypatch
) -> None:
    stand_in(monkeypatch, "live", "LiveScreen")
    held = repo.open(three["asha"])  # as another window would hold it
    try:
        app = make_app(workspace, clock=clock)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            messages = captured_notifications(app)
            await pilot.press("o")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert any("already open in another observe window" in m for m in messages)
    finally:
        held.close()


async def test_empty_workspace_says_how_to_start(workspace: Workspace, clock) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        empty = app.screen.query_one("#home-empty", Static)
        text = str(empty.render())
        assert empty.display and "observe demo" in text and "Press n" in text
        assert not app.screen.query_one("#sessions", DataTable).display


async def test_interrupted_session_is_offered_once(
    workspace: Workspace, clock, repo: Repository, framework: Framework, monkeypatch
) -> None:
    live = stand_in(monkeypatch, "live", "LiveScreen")
    crashed = repo.create(
        __import__("tests.conftest", fromlist=["make_meta"]).make_meta("Dee Khan"), framework
    )
    crashed.lock.release()  # what the kernel does when the holder is killed
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeDialog)
        assert "Dee Khan" in str(app.screen.query_one("#resume-what", Static).render())
        await pilot.press("l")  # later
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # not asked again in this run

    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeDialog)
        await pilot.press("enter")  # Resume has the focus
        await pilot.pause()
        assert isinstance(app.screen, live)
        session = app.screen.arg
        assert session.path == crashed.path
        session.close()
    assert repo.interrupted() == []


async def test_palette_offers_the_screens_commands(workspace: Workspace, clock, three) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("New", "Open", "Export", "Frameworks"):
            assert wanted in titles
        assert "Quit" in titles  # Textual's own commands stay
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Frameworks")
        command.callback()
        await pilot.pause()
        assert type(app.screen).__name__ == "FrameworksScreen"


async def test_every_home_binding_has_an_id_and_a_description() -> None:
    for binding in HomeScreen.BINDINGS + ResumeDialog.BINDINGS:
        assert binding.id and binding.description and binding.tooltip


async def test_reloading_keeps_the_highlighted_session(workspace: Workspace, clock, three) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        await pilot.press("down", "down")
        await settle(pilot)
        assert (
            "Cai Evans" in table_text(screen)[screen.query_one("#sessions", DataTable).cursor_row]
        )
        screen.action_reload()
        await settle(pilot)
        table = screen.query_one("#sessions", DataTable)
        assert "Cai Evans" in table_text(screen)[table.cursor_row]


async def test_the_detail_line_counts_ratings_in_words(
    workspace: Workspace, repo: Repository, framework: Framework, clock
) -> None:
    path = add_session(repo, framework, "Asha Rahman")
    session = repo.open(path)
    criterion = next(iter(framework.criteria()))[1].id
    session.rate("asha-rahman", criterion, 3)
    session.close()
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        detail = str(app.screen.query_one("#home-detail", Static).render())
        assert "· 1 rating ·" in detail


async def test_back_from_a_session_the_cursor_is_on_it(
    workspace: Workspace, clock, three, framework: Framework
) -> None:
    """Leaving a session (here a new one, which lists first) puts home's cursor on it, so a
    key pressed next (e to export, s to share) acts on the session just finished, not on
    the one highlighted before it began."""
    from textual.screen import Screen

    from tests.conftest import make_meta

    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        await pilot.press("down", "down")
        await settle(pilot)
        table = screen.query_one("#sessions", DataTable)
        assert "Cai Evans" in table_text(screen)[table.cursor_row]
        await app.push_screen(Screen())  # standing in for the live screen
        owner = app.create_session(make_meta("Dee Ward"), framework)
        app.release(owner)
        app.pop_screen()
        await settle(pilot)
        assert screen.highlighted() is not None
        assert screen.highlighted().file == owner.path.name
        assert "Dee Ward" in table_text(screen)[table.cursor_row]
        screen.action_reload()  # and after that, the cursor stays where the person puts it
        await pilot.press("down")
        await settle(pilot)
        assert "Dee Ward" not in table_text(screen)[table.cursor_row]
