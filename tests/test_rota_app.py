"""The rota in the app: home's due line, a new observation from an assignment, a lead's keys.

Each test asserts what is stored: the session a new observation writes, the draft and the
published plan the lead's keys change. Snapshots of the rota screen and home's line at 80x24
and 120x40 with a fixed clock.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from textual.widgets import DataTable, Static

from observe.app.application import make_app
from observe.app.screens.home import HomeScreen
from observe.app.screens.new import NewObservationScreen
from observe.app.screens.rota import RotaScreen
from observe.core.frameworks import load_all
from observe.core.models import Person
from observe.core.rota.model import Rules
from observe.services import rota
from observe.store import preferences, rota_files
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_home import add_session, no_blink, settle, stand_in

SIZES = [(80, 24), (120, 40)]
PAIRS = [("Asha Rahman", "Tom Price"), ("Kofi Mensah", "Mei Chen"), ("Ravi Patel", "Ewa Nowak")]
HOSTILE = "[bold]Zed[/] \x1b[31mRed"


def ID(n: int) -> str:
    """The fixed session id of fixture n: snapshots name the same sessions every run."""
    d = str(n)
    return f"{d * 8}-{d * 4}-4{d * 3}-8{d * 3}-{d * 12}"


MADE = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def planned(workspace: Workspace, repo: Repository) -> Workspace:
    """Wave 1 delivered and observed; wave 2 planned (a draft), due on fixed dates."""
    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    for n, pair in enumerate(PAIRS):
        observer = PAIRS[(n + 1) % 3][0]
        add_session(
            repo, framework, *pair, observer=observer, wave="1", partner=f"P{n}", session_id=ID(n)
        )
    add_session(
        repo, framework, HOSTILE, observer="Asha Rahman", wave="1", partner="P9", session_id=ID(9)
    )
    rota.plan(workspace, "2", Rules(), seed=1, now=MADE, due=date(2026, 3, 20))
    plan = rota_files.load(workspace, "2", draft=True)
    # One overdue, the rest due, for home and the screen to show both.
    first = plan.assignments[0].model_copy(update={"due": date(2026, 3, 1)})
    rota_files.save(
        workspace,
        plan.model_copy(update={"assignments": [first, *plan.assignments[1:]]}),
        draft=True,
    )
    return workspace


def observer_of_first(workspace: Workspace) -> str:
    return rota_files.load(workspace, "2", draft=True).assignments[0].observer.name


async def test_home_shows_what_is_due_for_this_observer(planned: Workspace, clock) -> None:
    me = observer_of_first(planned)
    preferences.remember(planned, {"observer": me})
    app = make_app(planned, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = app.screen.query_one("#home-rota", Static)
        assert line.display
        text = str(line.render())
        assert text.startswith("Rota (w): 1 overdue")
        assert "for you · next, was due 1 Mar: " in text  # the date before the names


async def test_w_opens_on_the_latest_wave_with_something_due_for_you(
    planned: Workspace, clock
) -> None:
    me = observer_of_first(planned)
    preferences.remember(planned, {"observer": me})
    two = rota_files.load(planned, "2", draft=True)
    others = [a for a in two.assignments if a.observer.name != me]
    three = two.model_copy(update={"wave": "3", "assignments": others})
    rota_files.save(planned, three, draft=True)
    app = make_app(planned, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RotaScreen)
        assert [w.plan.wave for w in screen.overview.waves][-1] == "3"
        assert screen.shown.plan.wave == "2"  # wave 3 holds nothing for this observer


async def test_home_has_no_rota_line_without_a_rota(workspace: Workspace, clock) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#home-rota", Static).display


async def test_a_new_observation_from_an_assignment_carries_its_metadata(
    planned: Workspace, clock, monkeypatch
) -> None:
    live = stand_in(monkeypatch, "live", "LiveScreen")
    app = make_app(planned, clock=clock)
    plan = rota_files.load(planned, "2", draft=True)
    wanted = plan.assignments[1]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, RotaScreen)
        await pilot.press("down", "n")
        await settle(pilot)
        assert isinstance(app.screen, NewObservationScreen)
        await pilot.press("tab", "enter", "down", "enter")  # consent given
        await pilot.press("tab", "enter", "down", "enter")  # mode in person
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, live)
        session = app.screen.arg
        path = session.path
        session.close()
    meta = json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"]
    assert [f["name"] for f in meta["facilitators"]] == [f.name for f in wanted.facilitators]
    assert meta["observer"]["name"] == wanted.observer.name
    assert (meta["wave"], meta["partner"], meta["region"]) == ("2", wanted.partner, wanted.region)


async def test_a_lead_plans_swaps_moves_and_publishes_with_keys(planned: Workspace, clock) -> None:
    rota_files.path_for(planned, "2", draft=True).unlink()
    app = make_app(planned, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert "No rota yet" in str(app.screen.query_one("#rota-title", Static).render())
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+u", "2", "enter")  # the wave to plan
        await settle(pilot)
        draft = rota_files.load(planned, "2", draft=True)
        assert draft is not None and draft.assignments
        assert app.screen.query_one("#assignments", DataTable).row_count == len(draft.assignments)
        await pilot.press("x", "down", "x")  # swap the first two observers
        await settle(pilot)
        swapped = rota_files.load(planned, "2", draft=True)
        assert swapped.assignments[0].observer == draft.assignments[1].observer
        assert swapped.assignments[1].observer == draft.assignments[0].observer
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("home", "enter")  # the first of the people
        await settle(pilot)
        moved = rota_files.load(planned, "2", draft=True)
        assert moved.assignments[1].observer == moved.people[0]
        await pilot.press("P")
        await settle(pilot)
        assert rota_files.load(planned, "2", draft=True) is None
        published = rota_files.load(planned, "2", draft=False)
        assert published.state == "published"
        assert published.assignments == moved.assignments
        assert "published 1" in str(app.screen.query_one("#rota-title", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_hostile_names_are_shown_as_text(planned: Workspace, clock) -> None:
    app = make_app(planned, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        table = app.screen.query_one("#assignments", DataTable)
        cells = [str(c) for r in range(table.row_count) for c in table.get_row_at(r)]
        assert any("[bold]Zed[/] \\x1b[31mRed" in c for c in cells)
        assert not any("\x1b" in c for c in cells)


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
def test_rota_screen(snap_compare, planned: Workspace, clock, size) -> None:
    app = make_app(planned, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=steady("w"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_rota_line(snap_compare, planned: Workspace, clock, size) -> None:
    preferences.remember(planned, {"observer": observer_of_first(planned)})
    app = make_app(planned, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=steady())


def test_people_come_from_sessions_without_a_team(planned: Workspace) -> None:
    plan = rota_files.load(planned, "2", draft=True)
    assert {p.name for p in plan.people} == {n for pair in PAIRS for n in pair} | {HOSTILE}
    assert Person.named(HOSTILE).id in {f.id for a in plan.assignments for f in a.facilitators}


async def test_home_says_nothing_of_a_rota_that_does_not_exist(workspace: Workspace, clock) -> None:
    preferences.remember(workspace, {"observer": "Jo Observer"})
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#home-rota", Static).display


async def test_home_says_when_nothing_is_due_for_you(planned: Workspace, clock) -> None:
    preferences.remember(planned, {"observer": "Someone Unplanned"})
    app = make_app(planned, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert str(app.screen.query_one("#home-rota", Static).render()) == (
            "Rota (w): nothing due for you"
        )


async def test_planning_a_wave_again_keeps_its_rules_with_another_seed(
    planned: Workspace, clock
) -> None:
    plan = rota_files.load(planned, "2", draft=True)
    loose = plan.rules.model_copy(update={"spread": 2, "no_repeat": False})
    rota_files.save(planned, plan.model_copy(update={"rules": loose}), draft=True)
    app = make_app(planned, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")  # the wave shown, offered
        await settle(pilot)
    again = rota_files.load(planned, "2", draft=True)
    assert again.seed == plan.seed + 1
    assert again.rules == loose
