"""The collate screen at 80x24: numbers whole in every grouping, choices kept, empty exports."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from observe.app.application import make_app
from observe.app.screens.collate_table import Column, fit_widths
from observe.core.frameworks import load_all
from observe.services.demo import generate
from observe.store.workspace import Workspace
from tests.test_collate_screens import settle


def screen_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [strip.text for strip in app.screen._compositor.render_strips()]


def test_numbers_get_their_width_and_text_shares_the_rest() -> None:
    columns = [
        Column("Partner", ["Black Country Practice Exchange"]),
        Column("Crit", ["R1"], numeric=True),
        Column("Title", ["Builds safe and trusting relationships with the group"]),
        Column("n", ["123456"], numeric=True),
        Column("Mean", ["2.71"], numeric=True),
        Column("n at 1·2·3·4", ["1000·2000·3000·4000"], numeric=True),
    ]
    widths = fit_widths(columns, 78)
    assert widths[1] == 4 and widths[3] == 6 and widths[4] == 4 and widths[5] == 19
    assert sum(widths) + 2 * len(widths) <= 78
    assert widths[0] >= 4 and widths[2] >= 4
    # A short text column keeps its full width; the long one takes what is left.
    widths = fit_widths([Column("Wave", ["2"]), Column("Title", ["x" * 200])], 80)
    assert widths == [4, 80 - 4 - 4]
    # No room at all: numbers are still whole (the table scrolls), text at its least.
    widths = fit_widths([Column("T", ["long title"]), Column("n", ["12345678"], True)], 5)
    assert widths == [4, 8]


async def test_every_grouping_shows_whole_counts_at_80x24(workspace: Workspace) -> None:
    from observe.app.screens.collate import GROUPINGS, CollateScreen

    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    generate(workspace.sessions_dir, framework, count=120, seed=5)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CollateScreen())
        await settle(pilot)
        screen = app.screen
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("slash", *"mode:online", "enter")
        await settle(pilot)
        table = screen.query_one("#c-criteria", DataTable)
        for _ in GROUPINGS:
            c = screen.result
            assert c.rows and c.sessions
            labels = [str(col.label) for col in table.columns.values()]
            assert labels[-1] == "n at 1·2·3·4", labels
            widths = [col.width for col in table.columns.values()]
            assert sum(widths) + 2 * len(widths) <= 78, (labels, widths)
            for row in range(table.row_count):
                cells = [str(v) for v in table.get_row_at(row)]
                r = c.rows[row]
                n_at = labels.index("n")
                assert cells[n_at] == str(r.n)
                for label in ("Crit", "n", "n/o", "Mean", "n at 1·2·3·4"):
                    i = labels.index(label)
                    assert len(cells[i]) <= widths[i], (label, cells[i], widths[i])
                counts = cells[-1].split("·")
                assert sum(map(int, counts)) == r.n
            shown = "\n".join(screen_lines(app))
            first = [str(v) for v in table.get_row_at(0)]
            assert f" {first[labels.index('n')]} " in shown  # on screen, whole
            await pilot.press("b")
            await settle(pilot)


async def test_filter_and_demo_are_kept_and_empty_exports_refused(workspace: Workspace) -> None:
    from observe.app.screens.collate import CollateScreen

    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    generate(workspace.sessions_dir, framework, count=30, seed=2)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CollateScreen())
        await settle(pilot)
        await pilot.press("d", "slash", *"mode:online", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        app.push_screen(CollateScreen())
        await settle(pilot)
        screen = app.screen
        assert screen.filters.demo and screen.filters.mode == "online"
        assert screen.query_one("#c-filter", Input).value == "mode:online"
        assert screen.result.selection.demo and screen.result.sessions

        await pilot.press("slash", "ctrl+a", "ctrl+k", *"wave:99", "enter")
        await settle(pilot)
        assert screen.result.sessions == 0
        await pilot.press("p", "x")
        await settle(pilot)
        assert not list(workspace.exports_dir.glob("*"))
        shown = " ".join(n.message for n in app._notifications)
        assert "nothing to export" in shown

        await pilot.press("slash", "ctrl+a", "ctrl+k", *"mode:online", "enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        names = sorted(p.name for p in workspace.exports_dir.glob("*.csv"))
        assert len(names) == 2, names  # a second export never replaces the first
        assert all("mode-online" in n and "demo" in n for n in names)
