"""The team screen: members and roles, join requests, a lead's confirmed changes, as stored."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from observe.app.application import make_app
from observe.app.dialogs.confirm_team import ConfirmTeamChange
from observe.app.keys import action_state
from observe.app.screens.team import NOT_IN_TEAM, TeamScreen
from observe.services import team as team_service
from observe.services import team_view
from observe.store.workspace import Workspace
from tests.helpers_home import settle
from tests.helpers_team import NAMES, Team, run, three

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def team(tmp_path: Path) -> Team:
    found = three(tmp_path)
    run(tmp_path / "d", "team", "join", str(found.folder), "--name", "Bea Jones")
    found.ws["d"] = tmp_path / "d"
    return found


def roster_of(ws: Path):
    roster = team_service.refresh(ws).roster
    assert roster is not None
    return roster


async def open_team(pilot) -> TeamScreen:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TeamScreen) and screen.loaded
    return screen


def cells(screen: TeamScreen, table: str) -> list[list[str]]:
    widget = screen.query_one(f"#{table}", DataTable)
    return [[str(c) for c in widget.get_row_at(i)] for i in range(widget.row_count)]


async def test_a_lead_admits_after_confirming(team: Team, clock) -> None:
    app = make_app(Workspace(team.ws["a"]), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_team(pilot)
        assert [r[0] for r in cells(screen, "team-asking")] == ["Bea Jones"]
        assert sorted(r[0] for r in cells(screen, "team-members")) == sorted(NAMES.values())
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmTeamChange)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert cells(screen, "team-asking") == []
        assert "Bea Jones" in [r[0] for r in cells(screen, "team-members")]
    roster = roster_of(team.ws["a"])
    bea = roster.find("Bea Jones")
    assert (bea.role, bea.id, roster.version) == ("member", team.member_id("d"), 4)
    # The newcomer reads the signed roster that names them from the folder.
    assert roster_of(team.ws["d"]).find("Bea Jones").id == team.member_id("d")


async def test_escape_in_the_question_changes_nothing(team: Team, clock) -> None:
    app = make_app(Workspace(team.ws["a"]), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_team(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("x")  # the highlighted member: the lead, first
        await pilot.pause()
        await pilot.press("enter")  # the focused button is No
        await settle(pilot)
    assert roster_of(team.ws["a"]).version == 3


async def test_make_lead_and_remove(team: Team, clock) -> None:
    app = make_app(Workspace(team.ws["a"]), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_team(pilot)
        screen.query_one("#team-members", DataTable).focus()
        names = [r[0] for r in cells(screen, "team-members")]
        await pilot.press(*["down"] * names.index("Tom Price"), "l", "y")
        await settle(pilot)
        names = [r[0] for r in cells(screen, "team-members")]
        await pilot.press("home", *["down"] * names.index(NAMES["c"]), "x", "y")
        await settle(pilot)
        roles = {r[0]: r[1] for r in cells(screen, "team-members")}
        assert roles == {"Asha Rahman": "lead (you)", "Tom Price": "lead", NAMES["c"]: "removed"}
    roster = roster_of(team.ws["a"])
    assert roster.get(team.member_id("b")).role == "lead"
    assert roster.get(team.member_id("c")).role == "removed"
    assert roster_of(team.ws["b"]).is_lead(team.member_id("b"))  # signed and readable


async def test_the_last_lead_is_kept_and_said(team: Team, clock) -> None:
    app = make_app(Workspace(team.ws["a"]), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_team(pilot)
        screen.query_one("#team-members", DataTable).focus()
        await pilot.press("home", "x", "y")  # the lead is first: themselves
        await settle(pilot)
        assert app.is_running and app.screen is screen
    assert roster_of(team.ws["a"]).is_lead(team.member_id("a"))


async def test_a_member_sees_the_team_without_a_leads_keys(team: Team, clock) -> None:
    app = make_app(Workspace(team.ws["b"]), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_team(pilot)
        for action in ("admit", "make_lead", "remove"):
            assert action_state(screen, action) is False
        assert not screen.query_one("#team-asking").display
        await pilot.press("x", "l", "a")
        await pilot.pause()
        assert app.screen is screen
    assert roster_of(team.ws["a"]).version == 3


async def test_outside_a_team(workspace: Workspace, clock) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_team(pilot)
        assert str(screen.query_one("#team-summary", Static).render()) == NOT_IN_TEAM
        assert action_state(screen, "admit") is False
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TeamScreen)


async def test_hostile_names_are_shown_as_typed(tmp_path: Path, clock) -> None:
    lead = tmp_path / "lead"
    run(lead, "team", "init", str(tmp_path / "shared"), "--name", "[b]Asha[/b]")
    run(tmp_path / "q", "team", "join", str(tmp_path / "shared"), "--name", "[@click=app.quit]Q")
    run(tmp_path / "r", "team", "join", str(tmp_path / "shared"), "--name", "Rosa [/]")
    app = make_app(Workspace(lead), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_team(pilot)
        assert sorted(r[0] for r in cells(screen, "team-asking")) == [
            "Rosa [/]",
            "[@click=app.quit]Q",
        ]
        assert cells(screen, "team-members")[0][0] == "[b]Asha[/b]"
        for _ in range(2):
            first = cells(screen, "team-asking")[0][0]
            await pilot.press("a")
            await pilot.pause()
            assert f"Admit {first} to the team?" == str(
                app.screen.query_one(".dialog-title").render()
            )
            await pilot.press("y")
            await settle(pilot)
            assert app.is_running and app.screen is screen
    assert roster_of(lead).find("[@click=app.quit]Q").role == "member"
    assert roster_of(lead).find("Rosa [/]").role == "member"


# ---------------------------------------------------------------- snapshots


@pytest.fixture
def fixed_ids(monkeypatch) -> None:
    """Member ids in order of creation, and the folder shown by a fixed name."""
    counter = itertools.count(1)
    monkeypatch.setattr("observe.store.team.keys.new_member_id", lambda: f"m-{next(counter):016d}")
    real = team_view.load_view

    def load_view(root: Path):
        view = real(root)
        return view if view is None else replace(view, folder="~/OneDrive/observe-team")

    monkeypatch.setattr(team_view, "load_view", load_view)
    from observe.app.screens import home_team

    # No sync behind the snapshot: what it finds (and when) is not what it shows.
    monkeypatch.setattr(home_team, "run_team_sync", lambda workspace, progress: (0, []))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_team_screen(snap_compare, fixed_ids, tmp_path: Path, clock, size) -> None:
    found = three(tmp_path)
    run(tmp_path / "d", "team", "join", str(found.folder), "--name", "Bea Jones")
    app = make_app(Workspace(found.ws["a"]), clock=clock)

    async def run_before(pilot) -> None:
        pilot.app.sub_title = "workspace"
        await open_team(pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_waiting_to_be_admitted(tmp_path: Path, clock) -> None:
    run(tmp_path / "lead", "team", "init", str(tmp_path / "shared"), "--name", "Asha Rahman")
    newcomer = tmp_path / "new"
    run(newcomer, "team", "join", str(tmp_path / "shared"), "--name", "Tom Price")
    app = make_app(Workspace(newcomer), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_team(pilot)
        summary = str(screen.query_one("#team-summary", Static).render())
        assert (
            summary.startswith("You asked to join the team of") and "A lead admits you" in summary
        )
        assert not screen.query_one("#team-members").display
        assert action_state(screen, "admit") is False
        run(tmp_path / "lead", "team", "admit", "Tom Price")
        await pilot.press("r")  # the roster that names them is read and trusted
        await settle(pilot)
        assert "you are a member" in str(screen.query_one("#team-summary", Static).render())
