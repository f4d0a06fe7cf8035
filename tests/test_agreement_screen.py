"""The collate screen's Agreement tab and workbook export, driven with the keyboard at 80x24."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from textual.widgets import DataTable, Static, TabbedContent

from observe.app.application import make_app
from observe.cli.main import main
from observe.core.frameworks import load_all
from observe.services.demo import generate
from observe.store.workspace import Workspace
from tests.test_agreement_cli import hostile_ws  # noqa: F401 (a fixture)
from tests.test_collate_screens import cells, settle


@pytest.fixture
def demo_ws(workspace: Workspace) -> Workspace:
    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    generate(workspace.sessions_dir, framework, count=60, seed=8)
    return workspace


async def test_agreement_tab_and_workbook_from_the_screen(demo_ws: Workspace) -> None:
    from observe.app.screens.collate import CollateScreen

    app = make_app(demo_ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CollateScreen())
        await settle(pilot)
        screen = app.screen
        await pilot.press("d", "t", "t", "t")  # demo sessions; on to the Agreement tab
        await settle(pilot, lambda: screen.agreement is not None, seconds=60)
        assert screen.query_one("#c-tabs", TabbedContent).active == "tab-agreement"
        table = screen.query_one("#c-agreement", DataTable)
        rows = cells(table)
        status = str(screen.query_one("#c-agree-status", Static).render())
        assert "co-observed deliveries" in status and "lowest agreement first" in status
        # The same criteria, in the same order, as the command line says.
        out = CliRunner().invoke(
            main, ["-w", str(demo_ws.root), "agreement", "--demo", "--format", "json"]
        )
        data = json.loads(out.stdout)
        assert [r[0] for r in rows] == [*data["criteria"], "all"]
        assert rows[-1][2] == str(data["overall"]["units"])
        assert not any("F-" in c or "O-" in c for r in rows for c in r)  # no people here

        await pilot.press("w")
        await settle(pilot, lambda: any(demo_ws.exports_dir.glob("*.xlsx")), seconds=60)
        saved = list(demo_ws.exports_dir.glob("*.xlsx"))
        assert len(saved) == 1 and "demo" in saved[0].name
        wb = load_workbook(saved[0])
        assert "Agreement" in wb.sheetnames
        assert wb["Agreement"].max_row == len(rows) + 1


async def test_a_new_filter_recomputes_the_agreement(demo_ws: Workspace) -> None:
    from observe.app.screens.collate import CollateScreen

    app = make_app(demo_ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CollateScreen())
        await settle(pilot)
        screen = app.screen
        await pilot.press("d", "t", "t", "t")
        await settle(pilot, lambda: screen.agreement is not None, seconds=60)
        before = screen.agreement
        await pilot.press("slash", *"mode:online", "enter")
        await pilot.press("t", "t", "t")
        await settle(pilot, lambda: screen.agreement not in (None, before), seconds=60)
        assert screen.agreement is not before
        assert screen.agreement.filters.mode == "online"


async def test_hostile_titles_show_as_typed_in_the_tab(hostile_ws: Workspace) -> None:  # noqa: F811
    from observe.app.screens.collate import CollateScreen

    app = make_app(hostile_ws)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.push_screen(CollateScreen())
        await settle(pilot)
        screen = app.screen
        await pilot.press("t", "t", "t")
        await settle(pilot, lambda: screen.agreement is not None, seconds=60)
        rows = cells(screen.query_one("#c-agreement", DataTable))
        titles = {r[0]: r[1] for r in rows}
        assert titles["R1"].startswith("=1+2 [b]R1[/b]")  # markup shown, never applied
        assert rows[-1][0] == "all" and int(rows[-1][2]) > 0
