"""Snapshots of My next observation, the form with a focus taken up, the live screen with its
line and dialog, and wrap-up beside a focus criterion, at 80x24 and 120x40."""

from __future__ import annotations

from datetime import date

import pytest

from observe.app.application import make_app
from observe.core.focus import SelfAssessment
from observe.services import focus
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta
from tests.helpers_home import no_blink, settle

SIZES = [(80, 24), (120, 40)]
IDS = lambda s: f"{s[0]}x{s[1]}"  # noqa: E731
HOPE = "Holding the silence after a hard case, instead of filling it"


def steady(*keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.sub_title = "workspace"
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        no_blink(pilot.app)  # the form's boxes blink on a timer: a frame compared must not
        await settle(pilot)

    return run_before


def _write(workspace: Workspace) -> None:
    focus.write(
        workspace,
        facilitator="Asha Rahman",
        criteria=["R2", "L2"],
        hopes=[HOPE, "Saying when I do not know"],
        overall="My first time co-delivering online",
        today=date(2026, 3, 1),
    )


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_my_next_observation(snap_compare, workspace: Workspace, clock, size) -> None:
    _write(workspace)
    app = make_app(workspace, clock=clock, cursor_blink=False)
    # The focus written last opens by itself: nobody is "me" outside a team.
    assert snap_compare(app, terminal_size=size, run_before=steady("m"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_form_takes_up_the_focus(snap_compare, workspace: Workspace, clock, size) -> None:
    _write(workspace)
    app = make_app(workspace, clock=clock, cursor_blink=False)
    keys = ("n", *"Asha Rahman", "tab")
    assert snap_compare(app, terminal_size=size, run_before=steady(*keys))


def _live(repo: Repository, framework, clock: FakeClock):  # type: ignore[no-untyped-def]
    sa = SelfAssessment(
        facilitator="asha-rahman",
        name="Asha Rahman",
        written=date(2026, 3, 1),
        hopes=[{"criterion": "R2", "text": HOPE}, {"criterion": "L2", "text": ""}],
        overall="First time online",
    )
    meta = make_meta(title="Reflective supervision", focus=["R2", "L2"], self_assessments=[sa])
    session = repo.create(meta, framework, session_id="55555555-5555-4555-8555-555555555555")
    return make_app(repo.workspace, open_session=session, clock=clock, cursor_blink=False)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_live_with_their_focus(snap_compare, repo, framework, clock, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_live(repo, framework, clock), terminal_size=size, run_before=steady())


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_live_their_focus_dialog(snap_compare, repo, framework, clock, size) -> None:  # type: ignore[no-untyped-def]
    app = _live(repo, framework, clock)
    assert snap_compare(app, terminal_size=size, run_before=steady("ctrl+o"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_wrapup_beside_their_focus(snap_compare, repo, framework, clock, size) -> None:  # type: ignore[no-untyped-def]
    app = _live(repo, framework, clock)
    assert snap_compare(app, terminal_size=size, run_before=steady("f10", "down"))
