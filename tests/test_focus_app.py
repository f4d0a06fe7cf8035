"""My next observation (m on home), the form taking a focus up, the live dialog and wrap-up:
Pilot tests asserting on what is stored."""

from __future__ import annotations

import json

import orjson
from textual.widgets import Input, SelectionList, Static

from observe.app.application import make_app
from observe.app.screens.focus import FocusScreen
from observe.app.screens.new import NewObservationScreen
from observe.core.models import Person
from observe.services import focus
from observe.store.workspace import Workspace
from tests.helpers_home import settle

HOSTILE = "[bold]x[/] [@click=app.quit]q[/] <b>\x1b[31m\u202eevil\x07"


async def open_focus(pilot) -> FocusScreen:
    await settle(pilot)
    await pilot.press("m")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, FocusScreen)
    return screen


def stored(workspace: Workspace, fid: str) -> dict:
    return orjson.loads((workspace.root / "focus" / f"{fid}.json").read_bytes())["focus"]


async def test_a_facilitator_writes_their_focus_with_the_keyboard(
    workspace: Workspace, clock
) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_focus(pilot)
        assert app.focused is screen.query_one("#focus-name", Input)  # no name known yet
        await pilot.press(*"Asha Rahman", "tab")
        assert app.focused is screen.query_one("#focus-criteria", SelectionList)
        await pilot.press("space", "down", "down", "space")
        await pilot.pause()
        assert screen.chosen() == ["R1", "R3"]
        await pilot.press("tab")
        await pilot.press(*"Holding the silence", "tab")
        await pilot.press(*"Naming my own process", "tab")
        screen.query_one("#focus-overall", Input).value = HOSTILE  # as pasted
        await pilot.press("ctrl+s")
        await settle(pilot)
        doc = stored(workspace, "asha-rahman")
        assert [(h["criterion"], h["text"]) for h in doc["hopes"]] == [
            ("R1", "Holding the silence"),
            ("R3", "Naming my own process"),
        ]
        assert doc["overall"] == HOSTILE.strip() and doc["written"] == "2026-03-04"
        assert "Saved for your next observation" in str(
            screen.query_one("#focus-status", Static).render()
        )
        await pilot.press("f8")
        await pilot.pause()
        assert not (workspace.root / "focus" / "asha-rahman.json").exists()
        assert screen.chosen() == []


async def _start(pilot, screen: NewObservationScreen, names: str) -> None:
    from textual.widgets import Select

    screen.query_one("#consent", Select).value = "given"
    screen.query_one("#mode", Select).value = "in_person"
    await pilot.pause()
    screen.query_one("#facilitators", Input).focus()
    await pilot.press(*names)
    await pilot.pause()


def _meta(workspace: Workspace) -> dict:
    [path] = workspace.sessions_dir.glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"]


async def test_the_form_takes_up_a_focus_and_live_and_wrapup_show_it(
    workspace: Workspace, clock
) -> None:
    from observe.app.dialogs.own_focus import OwnFocus
    from observe.app.screens.live import LiveScreen
    from observe.app.screens.wrapup import WrapUpScreen

    focus.write(
        workspace,
        facilitator="Asha Rahman",
        criteria=["R1", "P2"],
        hopes=[HOSTILE, "Cases first"],
        overall="online, first time",
    )
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NewObservationScreen)
        await _start(pilot, screen, "Asha Rahman, Tom Price")
        panel = screen.query_one("#form-self-assessment", Static)
        assert panel.display and "Cases first" in str(panel.render())
        assert "\\x1b" in str(panel.render()) and "\x1b" not in str(panel.render())
        assert set(screen.query_one("#focus", SelectionList).selected) == {"R1", "P2"}
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        meta = _meta(workspace)
        [sa] = meta["self_assessments"]
        assert sa["facilitator"] == "asha-rahman" and sa["hopes"][0]["text"] == HOSTILE.strip()
        assert sa["overall"] == "online, first time" and set(meta["focus"]) == {"R1", "P2"}
        assert focus.waiting_for(workspace, Person.named("Asha Rahman")) is None  # used

        assert app.screen.query_one("#live-own-focus").display
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, OwnFocus)
        text = str(app.screen.query_one("#own-text", Static).render())
        assert "Cases first" in text and "[@click=app.quit]" in text and "\u202e" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, WrapUpScreen)
        evidence = str(app.screen.query_one("#wrap-evidence", Static).render())
        assert "They asked for this to be looked at" in evidence and "[bold]x[/]" in evidence


async def test_the_observer_writes_it_with_the_facilitator_there(
    workspace: Workspace, clock
) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        await _start(pilot, screen, "Tom Price")
        await pilot.press("f3")
        await pilot.pause()
        written = app.screen
        assert isinstance(written, FocusScreen) and app.focused is written.query_one(
            "#focus-criteria", SelectionList
        )
        await pilot.press("down", "space", "tab", *"Holding feelings", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "Holding feelings" in str(screen.query_one("#form-self-assessment").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    [sa] = _meta(workspace)["self_assessments"]
    assert sa["facilitator"] == "tom-price" and sa["hopes"] == [
        {"criterion": "R2", "text": "Holding feelings"}
    ]
    assert not (workspace.root / "focus" / "tom-price.json").exists()  # the session keeps it


async def test_a_session_started_from_a_rota_assignment_takes_it_up(
    workspace: Workspace, clock
) -> None:
    from observe.app.screens.live import LiveScreen

    focus.write(workspace, facilitator="Mei Chen", criteria=["F1"], hopes=["Room to think"])
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # What the rota's n opens: the form filled in from the assignment.
        screen = NewObservationScreen({"facilitators": "Mei Chen", "observer": "Ravi Patel"})
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.query_one("#form-self-assessment").display
        assert "F1" in screen.query_one("#focus", SelectionList).selected
        from textual.widgets import Select

        screen.query_one("#consent", Select).value = "given"
        screen.query_one("#mode", Select).value = "online"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
    [sa] = _meta(workspace)["self_assessments"]
    assert sa["hopes"] == [{"criterion": "F1", "text": "Room to think"}]
    assert focus.waiting_for(workspace, Person.named("Mei Chen")) is None


async def test_a_damaged_focus_file_leaves_the_form_working(workspace: Workspace, clock) -> None:
    (workspace.root / "focus").mkdir()
    (workspace.root / "focus" / "asha.json").write_bytes(b"\xff not json")
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        await _start(pilot, screen, "Asha")
        panel = screen.query_one("#form-self-assessment", Static)
        assert "No focus of theirs is waiting · F3" in str(panel.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _meta(workspace)["self_assessments"] == []
    assert (workspace.root / "focus" / "asha.json").read_bytes() == b"\xff not json"
