"""Home keeps up with the folder and reads well at 80 columns: refresh, names, order, counts."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner
from textual.widgets import DataTable, Input, Static

from observe.app.application import make_app
from observe.app.screens import home
from observe.app.screens.listing import names_fitting
from observe.cli.main import main
from observe.core.models import Framework
from observe.services.sessions import listing_rows
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock
from tests.helpers_home import add_session, settle
from tests.helpers_report import build_session


def _rows(screen) -> list[str]:  # type: ignore[no-untyped-def]
    table = screen.query_one("#sessions", DataTable)
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_home_notices_a_change_made_on_the_command_line(
    workspace: Workspace, repo: Repository, framework: Framework, monkeypatch
) -> None:
    monkeypatch.setattr(home, "FOLDER_CHECK_S", 0.05)
    with build_session(repo, framework) as session:
        sid = session.session.id
    app = make_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "completed" in _rows(app.screen)[0]
        shared = CliRunner().invoke(main, ["--workspace", str(workspace.root), "share", sid[:8]])
        assert shared.exit_code == 0, shared.output
        for _ in range(40):  # no key pressed: the folder's change is noticed
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if "shared" in _rows(app.screen)[0]:
                break
        assert "shared" in _rows(app.screen)[0]


def test_names_fit_a_narrow_column_without_dropping_anyone() -> None:
    names = ["Asha Rahman", "Tom Price"]
    assert names_fitting(names, 40) == "Asha Rahman, Tom Price"
    assert names_fitting(names, 15) == "Asha R., Tom P."
    assert names_fitting(names, 10) == "Asha, Tom"
    assert names_fitting(["Tom Ng", "Tom Price"], 12) == "T.N., T.P."  # first names alike
    assert names_fitting(["Asha"], 3) == "Asha"  # one name is left for the cell to shorten


async def test_a_co_delivered_row_names_both_at_80_columns(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    add_session(repo, framework, "Ruth Abernethy", "Zainab Hussain")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [row] = _rows(app.screen)
        assert "Ruth" in row and "Zainab" in row


def test_newest_first_is_by_creation(
    workspace: Workspace, repo: Repository, framework: Framework, clock: FakeClock
) -> None:
    early = add_session(repo, framework, "Asha Rahman", day=date(2026, 3, 4))
    clock.advance(3600)
    later = add_session(repo, framework, "Bea Jones", day=date(2026, 1, 5))  # typed in after
    files = [r.file for r in listing_rows(workspace)]
    assert files == [later.name, early.name]


async def test_one_session_is_counted_in_the_singular(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    add_session(repo, framework, "Asha Rahman")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = str(app.screen.query_one("#home-detail", Static).render())
        assert "1 of 1 session" in detail and "sessions" not in detail


async def test_the_date_example_is_today(workspace: Workspace, clock: FakeClock) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        box = app.screen.query_one("#date", Input)
        today = clock().date().isoformat()
        assert box.value == today and box.placeholder == today
        box.value = "soon"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#date-error", Static).render())
        assert f"e.g. {today}" in error
