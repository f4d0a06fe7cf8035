"""Snapshots of review, collate, import and export at 80x24 and 120x40.

Review and export show one completed co-delivered session; collate counts generated sessions
(fixed seed); import starts empty. Workspaces sit at a fixed path per size, so that the paths
a screen shows are the same on every run.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from observe.app.application import make_app
from observe.app.screens.collate import CollateScreen
from observe.app.screens.exporting import ExportScreen
from observe.app.screens.importing import ImportScreen
from observe.app.screens.review import ReviewScreen
from observe.core.frameworks import load_all
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_home import no_blink, settle
from tests.helpers_leads import populate
from tests.helpers_report import build_session

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def sized(request: pytest.FixtureRequest, clock) -> Iterator[tuple[Workspace, tuple[int, int]]]:  # type: ignore[no-untyped-def]
    size = request.param
    root = Path(f"/tmp/observe-snapshots-{request.node.originalname}-{size[0]}x{size[1]}")
    shutil.rmtree(root, ignore_errors=True)
    yield Workspace(root).ensure(seed=True), size
    shutil.rmtree(root, ignore_errors=True)


def steady(push, *keys: str, until=lambda app: True):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.sub_title = "workspace"
        await settle(pilot)
        push(pilot.app)
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        for _ in range(600):  # PDFs render in other processes: wait for them
            if until(pilot.app):
                break
            await pilot.pause(0.05)
        no_blink(pilot.app)
        await pilot.pause()

    return run_before


def completed(workspace: Workspace, clock) -> Path:  # type: ignore[no-untyped-def]
    repo = Repository(workspace, clock=clock)
    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    fixed = "55555555-5555-4555-8555-555555555555"  # the PDF's name carries the id
    with build_session(
        repo, framework, {"title": "Reflective supervision"}, session_id=fixed
    ) as session:
        return session.path


def test_review(snap_compare, sized, clock) -> None:  # type: ignore[no-untyped-def]
    workspace, size = sized
    path = completed(workspace, clock)
    app = make_app(workspace, clock=clock, cursor_blink=False)
    run = steady(lambda a: a.push_screen(ReviewScreen(path)), "enter")
    assert snap_compare(app, terminal_size=size, run_before=run)


def test_export(snap_compare, sized, clock) -> None:  # type: ignore[no-untyped-def]
    workspace, size = sized
    path = completed(workspace, clock)
    app = make_app(workspace, clock=clock, cursor_blink=False)
    run = steady(
        lambda a: a.push_screen(ExportScreen([path], "asha-rahman")),
        until=lambda a: isinstance(a.screen, ExportScreen) and a.screen.done,
    )
    assert snap_compare(app, terminal_size=size, run_before=run)


def test_collate(snap_compare, sized, clock) -> None:  # type: ignore[no-untyped-def]
    workspace, size = sized
    populate(workspace, load_all(workspace.criteria_dir).get("good-facilitation"), 30, seed=11)
    app = make_app(workspace, clock=clock, cursor_blink=False)
    run = steady(lambda a: a.push_screen(CollateScreen()))
    assert snap_compare(app, terminal_size=size, run_before=run)


def test_import(snap_compare, sized, clock) -> None:  # type: ignore[no-untyped-def]
    workspace, size = sized
    app = make_app(workspace, clock=clock, cursor_blink=False)
    run = steady(lambda a: a.push_screen(ImportScreen()))
    assert snap_compare(app, terminal_size=size, run_before=run)
