"""The collate and import screens, driven with the keyboard at 80x24."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import random
from pathlib import Path

from textual.widgets import DataTable, Static

from observe.app.application import make_app
from observe.core.frameworks import load_all
from observe.store.bundle import write_bundle
from observe.store.workspace import Workspace
from tests.helpers_leads import FACILITATORS, populate, session_tables, write_tables


async def settle(pilot, until=lambda: True, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish, including those a finished worker starts, until ``until()`` holds.

    A worker's result can start another worker (import -> list conflicts); waiting once for
    the workers running now is not enough on a loaded machine.
    """
    from textual.worker import WorkerCancelled

    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        await pilot.pause()
        # The directory tree cancels its own loaders as it goes.
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(not w.is_finished for w in pilot.app.workers)
        if (not busy and until()) or loop.time() > deadline:
            return
        await asyncio.sleep(0.05)


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_collate_screen_filters_groups_and_exports(workspace: Workspace) -> None:
    from observe.app.screens.collate import CollateScreen

    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    populate(workspace, framework, 40, seed=11)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CollateScreen())
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#c-criteria", DataTable)
        assert table.row_count == sum(1 for _ in framework.criteria())
        status = str(screen.query_one("#c-status", Static).render())
        assert "sessions" in status and "codes" in status

        await pilot.press("b")  # by wave
        await settle(pilot)
        assert str(table.columns[next(iter(table.columns))].label) == "Wave"
        assert {row[0] for row in cells(table)} <= {"1", "2", "3"}

        for _ in range(4):  # on to by facilitator: codes, never names
            await pilot.press("b")
        await settle(pilot)
        shown = " ".join(" ".join(row) for row in cells(table))
        assert "F-" in shown and not any(name in shown for name in FACILITATORS)
        await pilot.press("k")  # names on request
        await settle(pilot)
        shown = " ".join(" ".join(row) for row in cells(table))
        assert any(name in shown for name in FACILITATORS)

        await pilot.press("slash")
        await pilot.press(*"wave:2", "enter")
        await settle(pilot)
        assert screen.filters.waves == ("2",)
        await pilot.press("slash")
        await pilot.press(*" bogus", "enter")
        await pilot.pause()
        assert "key:value" in str(screen.query_one("#c-status", Static).render())
        await pilot.press("escape")
        await pilot.press("slash", "ctrl+a", "ctrl+k")
        await pilot.press(*"facilitator:nobody", "enter")
        await settle(pilot)
        assert "no facilitator" in str(screen.query_one("#c-status", Static).render())
        await pilot.press("slash", "ctrl+a", "ctrl+k")
        await pilot.press(*"wave:2", "enter")
        await settle(pilot)

        await pilot.press("t")  # change across waves, then coverage
        await settle(pilot)
        assert screen.query_one("#c-change", DataTable).row_count > 0
        await pilot.press("t")
        await settle(pilot)
        assert screen.query_one("#c-coverage", DataTable).row_count > 0

        await pilot.press("x")
        await settle(pilot)
        exported = list(workspace.exports_dir.glob("collated_*.csv"))
        assert len(exported) == 1 and "criterion" in exported[0].read_text()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CollateScreen)


async def test_import_screen_imports_and_settles(workspace: Workspace, tmp_path: Path) -> None:
    from observe.app.screens.importing import ImportScreen

    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    rng = random.Random(4)
    base = session_tables(rng, framework)
    while len(base["notes"]) < 2:
        base = session_tables(rng, framework)
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    for tables, text in ((mine, "mine"), (theirs, "theirs")):
        note = next(iter(tables["notes"].values()))
        note.update(rev=note["rev"] + 1, text=text)
    write_tables(workspace, mine)
    elsewhere = Workspace(tmp_path / "elsewhere").ensure(seed=True)
    paths = [write_tables(elsewhere, theirs)]
    paths.append(write_tables(elsewhere, session_tables(rng, framework)))
    bundle = tmp_path / "from observer.zip"
    write_bundle(paths, bundle)

    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ImportScreen())
        await settle(pilot)
        screen = app.screen
        await pilot.press(*f'"{bundle}"', "enter")
        table = screen.query_one("#i-conflicts", DataTable)
        await settle(pilot, until=lambda: table.row_count == 1)
        summary = str(screen.query_one("#i-summary", Static).render())
        assert "1 added, 1 updated" in summary and "1 new conflicts" in summary
        assert table.row_count == 1
        versions = str(screen.query_one("#i-versions", Static).render())
        assert "mine" in versions and "theirs" in versions
        table.focus()
        keep = "1" if versions.index("mine") < versions.index("theirs") else "2"
        await pilot.press(keep)
        await settle(pilot, until=lambda: table.row_count == 0)
        assert table.row_count == 0
    from observe.store.repository import Repository

    record = Repository(workspace).load(next(workspace.sessions_dir.glob(f"*{base_id(mine)}.json")))
    assert any(n.text == "mine" and n.rev == 3 for n in record.notes)


def base_id(tables: dict) -> str:  # type: ignore[type-arg]
    return copy.deepcopy(tables)["session"]["1"]["id"][:8]


async def test_import_screen_browses_to_a_bundle(workspace: Workspace, tmp_path: Path) -> None:
    from textual.widgets import DirectoryTree, Input

    from observe.app.screens.importing import ImportScreen

    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    elsewhere = Workspace(tmp_path / "elsewhere").ensure(seed=True)
    paths = [write_tables(elsewhere, session_tables(random.Random(8), framework))]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_bundle(paths, inbox / "wave 2.zip")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ImportScreen(start=inbox))
        await settle(pilot)
        await pilot.press("ctrl+o")
        screen = app.screen
        for _ in range(100):  # the tree loads its folder in the background
            await pilot.pause(0.02)
            trees = screen.query(DirectoryTree)
            if trees and trees.first().root.children and trees.first().has_focus:
                break
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.query_one("#i-path", Input).value == f"'{inbox / 'wave 2.zip'}'"
        assert not screen.query(DirectoryTree)
        await pilot.press("enter")
        await settle(pilot)
        assert "1 added" in str(screen.query_one("#i-summary", Static).render())
    assert len(list(workspace.sessions_dir.glob("*.json"))) == 1


def test_collate_and_import_screens_offer_their_keys_in_the_palette(workspace: Workspace) -> None:
    """Screens without a curated list offer their own key bindings as palette commands."""
    from observe.app.screens.collate import CollateScreen
    from observe.app.screens.importing import ImportScreen

    app = make_app(workspace)
    for screen, wanted in ((CollateScreen(), "Export CSV"), (ImportScreen(), "Type a path")):
        offered = [c.help for c in app.get_system_commands(screen)]
        assert any(wanted in h for h in offered), offered


async def test_slash_is_typed_in_the_path_box_and_offered_only_outside_it(
    workspace: Workspace,
) -> None:
    from textual.widgets import Input

    from observe.app.screens.importing import ImportScreen

    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ImportScreen())
        await settle(pilot)
        offered = lambda: "slash" in app.screen.active_bindings  # noqa: E731
        assert isinstance(app.focused, Input) and not offered()
        await pilot.press("slash", *"tmp")
        assert app.screen.query_one("#i-path", Input).value == "/tmp"
        await pilot.press("tab")
        await pilot.pause()
        assert not isinstance(app.focused, Input) and offered()
