"""Home in a team: sync on start, on y, after a share and after a review; nothing outside one."""

from __future__ import annotations

from pathlib import Path

import pytest

from observe.app.application import make_app
from observe.app.keys import action_state
from observe.app.screens import home_team
from observe.app.screens.home_team import arrivals
from observe.core.frameworks import load_all
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_home import add_session, captured_notifications, settle, stand_in
from tests.helpers_team import Team, three


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return three(tmp_path)


class Syncs:
    """Stands in for the sync engine: counts runs, and can bring a session in as one would."""

    def __init__(self, monkeypatch, arrive=None) -> None:
        self.runs = 0
        self.arrive = arrive
        monkeypatch.setattr(home_team, "run_team_sync", self)

    def __call__(self, workspace, progress):
        self.runs += 1
        progress("Reading the roster")
        merged = self.arrive(workspace) if self.arrive else 0
        return merged, ["refused members/m-x/roster-9.age: a bad signature"] if merged else []


def test_arrivals_in_words() -> None:
    before = {"a": "shared", "b": "in_progress"}
    after = {"a": "acknowledged", "b": "in_progress", "c": "shared", "d": "shared"}
    assert arrivals(before, after, merged=4) == "2 new feedback, 1 answer, 1 session updated"
    assert arrivals(before, before) == "nothing new"
    assert arrivals({}, {"x": "in_progress"}, merged=1) == "1 session updated"


async def test_outside_a_team_no_sync_key_and_nothing_runs(
    workspace: Workspace, clock, monkeypatch
) -> None:
    syncs = Syncs(monkeypatch)
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert action_state(app.screen, "sync") is False
        await pilot.press("y")
        await settle(pilot)
    assert syncs.runs == 0


async def test_in_a_team_it_syncs_on_start_and_on_y(team: Team, clock, monkeypatch) -> None:
    syncs = Syncs(monkeypatch)
    app = make_app(Workspace(team.ws["b"]), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert syncs.runs == 1
        assert action_state(app.screen, "sync") is True
        assert app.screen.sub_title.endswith("synced: nothing new")
        await pilot.press("y")
        await settle(pilot)
        assert syncs.runs == 2


async def test_what_arrived_is_listed_and_said(team: Team, clock, monkeypatch) -> None:
    ws = Workspace(team.ws["b"])
    framework = load_all(ws.criteria_dir).get("good-facilitation")

    def arrive(workspace: Workspace) -> int:
        if syncs.runs == 2:  # the second sync brings shared feedback for Tom
            add_session(Repository(workspace), framework, "Tom Price", status="shared")
            return 1
        return 0

    syncs = Syncs(monkeypatch, arrive)
    app = make_app(ws, clock=clock)
    said = captured_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.rows == []
        await pilot.press("y")
        await settle(pilot)
        assert [r.status for r in app.screen.rows] == ["shared"]
        assert "From the team: 1 new feedback." in said
        assert any(s.startswith("refused members/") for s in said)
        assert app.screen.sub_title.endswith("synced: 1 new feedback")


async def test_the_real_sync_runs_in_the_app(team: Team, clock) -> None:
    app = make_app(Workspace(team.ws["a"]), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.sub_title.endswith("synced: nothing new")


async def test_a_missing_team_folder_is_said_on_the_key(team: Team, clock) -> None:
    team.folder.rename(team.folder.with_name("moved"))
    app = make_app(Workspace(team.ws["a"]), clock=clock)
    said = captured_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.sub_title.endswith("not synced")
        assert said == []  # the sync on start says nothing: it is tried again later
        await pilot.press("y")
        await settle(pilot)
        assert app.is_running
        assert [s for s in said if s.startswith("Not synced: ")]


async def test_share_and_review_send_at_once(team: Team, clock, monkeypatch) -> None:
    ws = Workspace(team.ws["a"])
    framework = load_all(ws.criteria_dir).get("good-facilitation")
    add_session(Repository(ws, clock=clock), framework, "Tom Price", status="completed")
    syncs = Syncs(monkeypatch)
    review = stand_in(monkeypatch, "review", "ReviewScreen")
    app = make_app(ws, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert syncs.runs == 1
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.rows[0].status == "shared"
        assert syncs.runs == 2
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, review)
        app.screen.dismiss()
        await settle(pilot)
        assert syncs.runs == 3


async def test_a_team_joined_while_open_starts_syncing(tmp_path: Path, clock, monkeypatch) -> None:
    from tests.helpers_team import run

    syncs = Syncs(monkeypatch)
    ws = Workspace(tmp_path / "ws").ensure(seed=True)
    app = make_app(ws, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert action_state(app.screen, "sync") is False
        run(ws.root, "team", "init", str(tmp_path / "shared"), "--name", "Asha Rahman")
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert action_state(app.screen, "sync") is True
        assert syncs.runs == 1


async def test_what_arrives_behind_another_screen_is_said_on_return(
    team: Team, clock, monkeypatch
) -> None:
    ws = Workspace(team.ws["b"])
    framework = load_all(ws.criteria_dir).get("good-facilitation")

    def arrive(workspace: Workspace) -> int:
        if syncs.runs == 2:
            add_session(Repository(workspace), framework, "Tom Price", status="shared")
            return 1
        return 0

    syncs = Syncs(monkeypatch, arrive)
    app = make_app(ws, clock=clock)
    said = captured_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        await pilot.press("f")  # the frameworks screen in front
        await settle(pilot)
        home.sync_now()  # as the timer does
        await settle(pilot)
        assert not [s for s in said if s.startswith("From the team")]
        await pilot.press("escape")
        await settle(pilot)
        assert "From the team: 1 new feedback." in said
