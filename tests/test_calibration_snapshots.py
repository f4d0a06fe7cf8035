"""Snapshots of the compare-and-agree screen at 80x24 and 120x40, and hostile evidence shown
as typed (never markup, never a control sequence)."""

from __future__ import annotations

import pytest

from observe.app.application import make_app
from observe.app.screens.compare import CompareScreen
from observe.core.models import Framework
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock
from tests.helpers_calibration import observed
from tests.helpers_home import settle

SIZES = [(80, 24), (120, 40)]
HOSTILE = "[bold red]shout[/] [@click=app.quit]x[/] \x1b[2J\u202egnp.exe"


@pytest.fixture
def group(workspace: Workspace, framework: Framework, clock: FakeClock) -> None:
    repo = Repository(workspace, clock=clock)
    observed(
        repo, framework, "Ann Able", {"R1": 3, "R2": 2, "L1": 4, "P1": None, "S1": 3},
        notes={"R1": "Greeted each person by name at the door", "L1": "Said she was unsure"},
    )  # fmt: skip
    observed(
        repo, framework, "Ben Baker", {"R1": 2, "R2": 2, "L1": 4, "P1": 2, "S1": 3},
        notes={"R1": "Warm welcome, but latecomers were not greeted"},
    )  # fmt: skip


def steady(*keys: str):
    async def run_before(pilot) -> None:
        pilot.app.sub_title = "workspace"
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        assert isinstance(pilot.app.screen, CompareScreen)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_compare(snap_compare, workspace: Workspace, clock, group, size) -> None:
    app = make_app(workspace, clock=clock, cursor_blink=False)
    assert snap_compare(app, terminal_size=size, run_before=steady("2"))


async def test_hostile_evidence_and_names_are_shown_as_typed(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    repo = Repository(workspace, clock=clock)
    observed(repo, framework, "Ann [b]Able[/b]", {"R1": 3}, notes={"R1": HOSTILE})
    observed(repo, framework, "Ben Baker", {"R1": 1})
    app = make_app(workspace, clock=clock, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        evidence = app.screen.query_one("#compare-evidence").render()
        text = str(evidence)
        assert "[bold red]shout[/] [@click=app.quit]x[/]" in text
        assert "\x1b" not in text and "\u202e" not in text
        assert "\\x1b[2J" in text
        head = str(app.screen.query_one("#compare-head").render())
        assert "Ann [b]Able[/b]" in head
        await pilot.press("enter")  # nothing in it is an action: the app is still running
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, CompareScreen)
