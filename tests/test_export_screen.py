"""Export from the app: the modal's progress and result, and re-export after a response."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import ProgressBar, Static

from observe.app.application import make_app
from observe.app.screens.exporting import ExportScreen
from observe.app.screens.review import ReviewScreen
from observe.core.models import Framework, Status
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_report import build_session, flat, pdf_text


async def _until_done(pilot: object, screen: ExportScreen) -> None:
    for _ in range(600):  # the work is in other processes: wait for it, with a generous cap
        if screen.done:
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("the export did not finish")


async def test_review_exports_again_with_the_response(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    with build_session(repo, framework) as session:
        path: Path = session.path
    app = make_app(workspace, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        review = ReviewScreen(path)
        await app.push_screen(review)
        await pilot.pause()
        await pilot.press("enter")  # Asha, the first facilitator
        await pilot.press("f4", *"Noted, thanks", "f3", "f5")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExportScreen)
        assert modal.facilitator == "asha-rahman"
        await _until_done(pilot, modal)
        [pdf] = modal.written
        assert pdf.parent == workspace.exports_dir and pdf.name.startswith("2026-03-04_asha")
        bar = modal.query_one(ProgressBar)
        assert (bar.total, bar.progress) == (1, 1)
        assert str(pdf) in str(modal.query_one("#export-written", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is review
        text = flat(pdf_text(pdf.read_bytes()))
        assert flat("Your reflection") in text and flat("Noted, thanks") in text
        assert repo.load(path).session.status is Status.COMPLETED  # exporting is not sharing


async def test_export_modal_lists_each_pdf_and_reports_a_bad_request(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    with build_session(repo, framework) as session:
        path = session.path
    app = make_app(workspace, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = ExportScreen([path], facilitator="nobody")
        await app.push_screen(modal)
        await _until_done(pilot, modal)
        shown = str(modal.query_one("#export-written", Static).render())
        assert "0 PDFs written" in shown and "'nobody' is not a facilitator" in shown
        assert not any(workspace.exports_dir.iterdir())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)


async def test_closing_the_modal_early_lets_the_export_finish(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    with build_session(repo, framework) as session:
        path = session.path
    app = make_app(workspace, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = ExportScreen([path], facilitator="tom")
        await app.push_screen(modal)
        await pilot.press("escape")
        await _until_done(pilot, modal)
        assert [p.name for p in modal.written] == [f"2026-03-04_tom-price_{path.stem[-8:]}.pdf"]
        assert modal.written[0].is_file()
        assert repo.load(path).session.status is Status.COMPLETED  # exporting is not sharing
        assert any("Exported 1 PDF" in n.message for n in app._notifications)
