"""Sharing with the facilitators is one deliberate, confirmed step, never a side effect."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from textual.widgets import DataTable

from observe.app.application import make_app
from observe.app.dialogs.session_dialogs import ChooseFacilitator, ConfirmShare
from observe.app.screens.home import HomeScreen
from observe.app.screens.review import ReviewScreen
from observe.cli.main import main
from observe.core.models import Framework, Status
from observe.services.export import export_session
from observe.services.sharing import share
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import make_meta
from tests.helpers_home import settle
from tests.helpers_report import build_session


def _completed(repo: Repository, framework: Framework, *names: str) -> Path:
    with build_session(repo, framework, **({"names": names} if names else {})) as session:
        return session.path


def _status(repo: Repository, path: Path) -> Status:
    return repo.load(path).session.status


def _cli(workspace: Workspace, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--workspace", str(workspace.root), *args])


async def _home_on(pilot, path: Path) -> HomeScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HomeScreen)
    table = screen.query_one("#sessions", DataTable)
    row = next(i for i, r in enumerate(screen.shown) if r.file == path.name)
    table.move_cursor(row=row)
    await pilot.pause()
    return screen


async def test_escape_on_whose_feedback_changes_nothing(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _completed(repo, framework)  # co-delivered: Asha Rahman and Tom Price
    app = make_app(workspace, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _home_on(pilot, path)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ChooseFacilitator)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # no review was opened
        assert _status(repo, path) is Status.COMPLETED
        # wrap-up can still be reopened
        await pilot.press("o")
        await pilot.pause()
        assert type(app.screen).__name__ == "WrapUpScreen"
    assert path.read_bytes() != b"" and _status(repo, path) is Status.COMPLETED
    assert repo.load(path).session.shared_at is None


async def test_choosing_opens_that_facilitators_review_without_sharing(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _completed(repo, framework)
    app = make_app(workspace, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _home_on(pilot, path)
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("down", "enter")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.facilitator == "tom-price"
        assert str(review.query_one("#review-bar").render()).startswith("Not shared yet")
        await pilot.press("escape")
        await settle(pilot)
    assert _status(repo, path) is Status.COMPLETED


async def test_share_on_home_asks_first_and_escape_keeps_it(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _completed(repo, framework)
    app = make_app(workspace, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _home_on(pilot, path)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmShare)
        text = " ".join(str(w.render()) for w in dialog.query("Static"))
        assert "Asha Rahman" in text and "Tom Price" in text and "wrap-up" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert _status(repo, path) is Status.COMPLETED
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        row = next(r for r in app.screen.rows if r.file == path.name)
        assert row.status == "shared"
    assert _status(repo, path) is Status.SHARED
    assert repo.load(path).session.shared_at is not None


async def test_enter_alone_in_the_share_dialog_does_not_share(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    """Sharing is deliberate and cannot be undone: Enter on the dialog is "Not now"."""
    path = _completed(repo, framework)
    app = make_app(workspace, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _home_on(pilot, path)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmShare)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert _status(repo, path) is Status.COMPLETED


async def test_share_on_home_refuses_an_observation_in_progress(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    with repo.create(make_meta("Asha Rahman"), framework) as session:
        path = session.path
    app = make_app(workspace, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _home_on(pilot, path)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("in progress" in n.message for n in app._notifications)
    assert _status(repo, path) is Status.IN_PROGRESS


def test_exporting_a_pdf_does_not_share(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _completed(repo, framework)
    assert export_session(workspace, path)
    assert _status(repo, path) is Status.COMPLETED
    assert repo.load(path).session.shared_at is None


def test_share_service_moves_completed_to_shared_once(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    path = _completed(repo, framework)
    assert share(workspace, path) is True
    stamp = repo.load(path).session.shared_at
    assert _status(repo, path) is Status.SHARED and stamp is not None
    assert share(workspace, path) is False  # already shared: nothing changes
    assert repo.load(path).session.shared_at == stamp


def test_cli_share(workspace: Workspace, repo: Repository, framework: Framework) -> None:
    path = _completed(repo, framework)
    sid = repo.load(path).session.id
    result = _cli(workspace, "share", sid[:8])
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1 and "shared" in result.output
    assert "Asha Rahman" in result.output
    assert _status(repo, path) is Status.SHARED
    again = _cli(workspace, "share", sid[:8])
    assert again.exit_code == 0 and "already shared" in again.output
    with repo.create(make_meta("Bea Jones"), framework) as session:
        open_one = session.path
        sid2 = session.session.id
    refused = _cli(workspace, "share", sid2[:8])
    assert refused.exit_code == 2
    assert "in progress" in refused.output and refused.output.count("\n") == 1
    assert _status(repo, open_one) is Status.IN_PROGRESS
    missing = _cli(workspace, "share", "ffffffff")
    assert missing.exit_code == 2 and missing.output.count("\n") == 1
