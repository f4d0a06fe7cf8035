"""Snapshots of home, the new-observation form and help at 80x24 and 120x40 (fixed clock, ids)."""

from __future__ import annotations

from datetime import date

import pytest

from observe.app.application import make_app
from observe.core.models import Framework
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_home import add_session, add_unreadable, no_blink, settle

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def fixed_sessions(repo: Repository, framework: Framework) -> None:
    add_session(
        repo,
        framework,
        "Asha Rahman",
        "Tom Price",
        notes=4,
        wave="2",
        mode="online",
        title="Reflective supervision",
        session_id="11111111-1111-4111-8111-111111111111",
    )
    add_session(
        repo,
        framework,
        "Bea Jones",
        status="completed",
        notes=2,
        day=date(2026, 2, 1),
        title="Anti-racist practice",
        session_id="22222222-2222-4222-8222-222222222222",
    )
    add_session(
        repo,
        framework,
        "Cai Evans",
        status="acknowledged",
        wave="2",
        mode="hybrid",
        day=date(2026, 1, 5),
        session_id="33333333-3333-4333-8333-333333333333",
    )
    add_unreadable(repo.workspace)


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
def test_home(snap_compare, workspace: Workspace, clock, fixed_sessions, size) -> None:
    app = make_app(workspace, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=steady())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_empty(snap_compare, workspace: Workspace, clock, size) -> None:
    app = make_app(workspace, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=steady())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_new_observation(snap_compare, workspace: Workspace, clock, size) -> None:
    app = make_app(workspace, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=steady("n", "ctrl+s"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, workspace: Workspace, clock, fixed_sessions, size) -> None:
    app = make_app(workspace, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=steady("f1"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_frameworks(snap_compare, workspace: Workspace, clock, size) -> None:
    app = make_app(workspace, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=steady("f"))
