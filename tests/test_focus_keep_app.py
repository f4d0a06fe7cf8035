"""My next observation keeps the words typed: Tab into a line leaves its words, a draft
survives a crash, a line too long is refused (never cut), the saved focus is shown again, and
in a team "For" names its readers. Pilot tests asserting on what is stored."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, Static

from observe.app.application import make_app
from observe.app.screens.focus_keep import DRAFT_PAUSE_S
from observe.services import focus
from observe.store import focus_local
from observe.store.workspace import Workspace
from tests.helpers_team import three
from tests.test_focus_app import open_focus, stored


def status(screen) -> str:
    return str(screen.query_one("#focus-status", Static).render())


async def test_the_saved_focus_is_shown_and_tab_into_a_line_keeps_its_words(
    workspace: Workspace, clock
) -> None:
    focus.write(workspace, criteria=["R1"], hopes=["Holding"], facilitator="Asha Rahman")
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_focus(pilot)
        assert screen.query_one("#focus-name", Input).value == "Asha Rahman"
        assert screen.chosen() == ["R1"]
        await pilot.press("down", "down", "space", "tab")  # R3 ticked, then into R1's line
        await pilot.pause()
        line = app.focused
        assert isinstance(line, Input) and line.name == "R1"
        assert line.selected_text == "" and line.cursor_position == len("Holding")
        await pilot.press(*" the silence", "ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    doc = stored(workspace, "asha-rahman")
    assert [(h["criterion"], h["text"]) for h in doc["hopes"]] == [
        ("R1", "Holding the silence"),
        ("R3", ""),
    ]


async def test_an_overall_line_too_long_is_refused_whole(workspace: Workspace, clock) -> None:
    focus.write(workspace, criteria=["R1"], hopes=[], overall="Short", facilitator="Asha Rahman")
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_focus(pilot)
        overall = screen.query_one("#focus-overall", Input)
        overall.focus()
        overall.value = ""
        overall.post_message(events.Paste("x" * 5000))
        await pilot.pause()
        assert len(overall.value) == 5000  # nothing cut
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "5000 characters; keep it under 2000" in status(screen)
    assert stored(workspace, "asha-rahman")["overall"] == "Short"  # the saved one stands


async def _typed_then_paused(pilot) -> None:
    await pilot.pause(DRAFT_PAUSE_S * 2)
    await pilot.pause()


async def test_words_not_saved_are_kept_as_a_draft_and_offered_back(
    workspace: Workspace, clock
) -> None:
    draft = workspace.root / "focus" / "draft.json"
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_focus(pilot)
        await pilot.press(*"Tom Price", "tab", "space", "tab", *"Asking twice")
        await _typed_then_paused(pilot)
        assert draft.is_file()  # as it is on disk when the process is killed here
    assert not (workspace.root / "focus" / "tom-price.json").exists()

    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_focus(pilot)
        assert screen.query_one("#focus-name", Input).value == "Tom Price"
        assert screen.chosen() == ["R1"] and screen.texts["R1"] == "Asking twice"
        assert "not saved before are back" in status(screen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await _typed_then_paused(pilot)
        assert not draft.exists()
        assert stored(workspace, "tom-price")["hopes"][0]["text"] == "Asking twice"
        await pilot.press("tab", *" again")  # on into the line: a draft again
        await _typed_then_paused(pilot)
        assert draft.is_file()
        await pilot.press("f8")
        await pilot.pause()
        assert not draft.exists()
        assert not (workspace.root / "focus" / "tom-price.json").exists()


async def test_in_a_team_for_names_the_readers_and_keeps_them(tmp_path: Path, clock) -> None:
    team = three(tmp_path)
    for ws in team.ws.values():
        Workspace(ws).ensure(seed=True)
    team.run("b", "focus", "set", "--criterion", "R2", "--to", "Siân O'Neil")
    workspace = Workspace(team.ws["b"])
    me, sian = team.member_id("b"), team.member_id("c")
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_focus(pilot)
        to = screen.query_one("#focus-to", Input)
        assert to.value == "Siân O'Neil"  # named before, so named again
        to.value = ""
        to.focus()
        await pilot.press(*"si")
        await pilot.pause()
        await pilot.press("right")  # the roster's spelling, completed
        assert to.value == "Siân O'Neil"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Siân O'Neil" in status(screen)
        assert focus_local.readers_named(workspace.root, me) == [sian]
        to.value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert focus_local.readers_named(workspace.root, me) == []  # unnamed on purpose
