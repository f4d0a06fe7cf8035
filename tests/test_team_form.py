"""The new-observation form in a team: people from the roster, stored with their member ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from observe.app.application import make_app
from observe.app.screens.new import NewObservationScreen
from observe.app.widgets.roster_suggester import RosterSuggester
from observe.store import preferences
from observe.store.workspace import Workspace
from tests.helpers_home import no_blink, settle, stand_in
from tests.helpers_team import NAMES, Team, run, three

SIZES = [(80, 24), (120, 40)]
HOSTILE = ["[b]Bold[/b] Ben", "[@click=app.quit]Quinn", "Rosa \\[x] [/]"]


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return three(tmp_path)


async def open_form(pilot) -> NewObservationScreen:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NewObservationScreen)
    return pilot.app.screen


def answer_required(screen: NewObservationScreen) -> None:
    screen.query_one("#consent", Select).value = "given"
    screen.query_one("#mode", Select).value = "online"


async def test_suggester_completes_the_last_name() -> None:
    names = ["Asha Rahman", "Tom Price", "Tomasz Nowak"]
    suggest = RosterSuggester(names).get_suggestion
    assert await suggest("as") == "Asha Rahman"
    assert await suggest("Asha Rahman, tom") == "Asha Rahman, Tom Price"
    assert await suggest("Tom Price; tom") == "Tom Price; Tomasz Nowak"  # one not yet named
    assert await suggest("Asha Rahman, ") is None
    assert await suggest("zed") is None


async def test_people_chosen_from_the_roster_are_stored_with_their_ids(
    team: Team, clock, monkeypatch
) -> None:
    live = stand_in(monkeypatch, "live", "LiveScreen")
    ws = Workspace(team.ws["c"])
    app = make_app(ws, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_form(pilot)
        observer = screen.query_one("#observer", Select)
        assert observer.value == team.member_id("c")  # you, from the roster
        await pilot.press(*"tom", "right")  # → takes the offered name
        assert screen.query_one("#facilitators", Input).value == "Tom Price"
        await pilot.press(*", as", "right")
        assert screen.query_one("#facilitators", Input).value == "Tom Price, Asha Rahman"
        answer_required(screen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, live)
        session = app.screen.arg
        path = session.path
        session.close()
    meta = json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"]
    assert meta["facilitators"] == [
        {"id": team.member_id("b"), "name": "Tom Price"},
        {"id": team.member_id("a"), "name": "Asha Rahman"},
    ]
    assert meta["observer"] == {"id": team.member_id("c"), "name": NAMES["c"]}
    assert "observer" not in preferences.load(ws)  # a member id is not offered next time


async def test_a_name_off_the_roster_is_shown_beside_the_field(
    team: Team, clock, monkeypatch
) -> None:
    stand_in(monkeypatch, "live", "LiveScreen")
    ws = Workspace(team.ws["a"])
    app = make_app(ws, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_form(pilot)
        await pilot.press(*"tom prise")
        answer_required(screen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        error = screen.query_one("#facilitators-error", Static)
        assert error.display and "did you mean Tom Price" in str(error.render())
        assert app.focused is screen.query_one("#facilitators", Input)
    assert list(ws.sessions_dir.glob("*.json")) == []


def hostile_team(tmp_path: Path) -> Path:
    lead = tmp_path / "lead"
    run(lead, "team", "init", str(tmp_path / "shared"), "--name", "Asha Rahman")
    for i, name in enumerate(HOSTILE):
        run(tmp_path / f"m{i}", "team", "join", str(tmp_path / "shared"), "--name", name)
        run(lead, "team", "admit", name)
    return lead


def test_names_with_controls_or_bidi_never_enter_the_roster(tmp_path: Path) -> None:
    run(tmp_path / "lead", "team", "init", str(tmp_path / "shared"), "--name", "Asha")
    for name in ["Eve\x1b[31m", "Mal\u202eroy", "two\nlines"]:
        result = run(
            tmp_path / "x", "team", "join", str(tmp_path / "shared"), "--name", name, code=2
        )
        assert "control characters" in result.stderr and result.stderr.count("\n") == 1


async def test_hostile_names_are_plain_text(tmp_path: Path, clock, monkeypatch) -> None:
    stand_in(monkeypatch, "live", "LiveScreen")
    app = make_app(Workspace(hostile_team(tmp_path)), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        await pilot.press(*"[@", "right")
        assert screen.query_one("#facilitators", Input).value == "[@click=app.quit]Quinn"
        answer_required(screen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running  # the name was not an action
        session = app.screen.arg
        assert session.session.meta.facilitators[0].name == "[@click=app.quit]Quinn"
        session.close()


@pytest.fixture
def quiet_sync(monkeypatch) -> None:
    """No sync behind the snapshots: what it finds (and when) is not what they show."""
    from observe.app.screens import home_team

    monkeypatch.setattr(home_team, "run_team_sync", lambda workspace, progress: (0, []))


def steady(*keys: str):
    async def run_before(pilot) -> None:
        pilot.app.sub_title = "workspace"
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        no_blink(pilot.app)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_form_with_roster_choices(snap_compare, quiet_sync, team: Team, clock, size) -> None:
    app = make_app(Workspace(team.ws["c"]), clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=steady(*"Asha Rahman, t"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_form_with_hostile_roster_names(
    snap_compare, quiet_sync, tmp_path: Path, clock, size
) -> None:
    app = make_app(Workspace(hostile_team(tmp_path)), clock=clock)
    keys = ("tab", "tab", "tab", "enter")  # the observer's list open: every name, as typed
    assert snap_compare(app, terminal_size=size, run_before=steady(*"[b", *keys))


async def test_an_unreadable_team_file_leaves_the_form_free_text(
    team: Team, clock, monkeypatch
) -> None:
    (team.ws["c"] / "team-folder.json").write_text("{not json", encoding="utf-8")
    stand_in(monkeypatch, "live", "LiveScreen")
    app = make_app(Workspace(team.ws["c"]), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_form(pilot)
        assert screen.people is None
        assert isinstance(screen.query_one("#observer"), Input)  # typed, as outside a team
    result = run(team.ws["c"], "new", "--facilitator", "Tom Price", code=2)
    assert "team-folder.json" in result.stderr and result.stderr.count("\n") == 1
