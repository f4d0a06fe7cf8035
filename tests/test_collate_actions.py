"""Collation counts what became of the agreed actions, per facilitator: agreed, done,
dropped, open, past their date; people as codes unless names are asked for; the counts agree
with the files, and an index row that lies about a session's people counts for nobody."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import orjson
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.choices import ActionState
from observe.core.collate import Filters
from observe.core.collate_actions import TOTAL
from observe.core.models import Framework, Person
from observe.services.collation import gather_workspace
from observe.store import files
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_actions import HOSTILE, act, with_actions

TODAY = date(2026, 3, 20)
EVE = Person.named("[red]Eve[/red]\u202e")
TOM = Person.named("Tom Price")


def seed(repo: Repository, framework: Framework) -> None:
    done = act("Name the aim first", date(2026, 3, 1)).model_copy(
        update={"state": ActionState.DONE, "changed": date(2026, 3, 2)}
    )
    dropped = act("Try a fishbowl", None).model_copy(update={"state": ActionState.DROPPED})
    with_actions(
        repo,
        framework,
        [EVE, TOM],
        {
            EVE.id: [act(HOSTILE, date(2026, 3, 3)), done],
            TOM.id: [act("Pause after questions", date(2026, 4, 1)), dropped],
        },
    )


def test_the_figures_agree_with_the_files(repo: Repository, framework: Framework) -> None:
    seed(repo, framework)
    c = gather_workspace(repo.workspace, Filters(), names=True, today=TODAY)
    rows = {f.facilitator: f for f in c.actions}
    assert set(rows) == {EVE.name, TOM.name, TOTAL}
    eve, tom, total = rows[EVE.name], rows[TOM.name], rows[TOTAL]
    assert (eve.agreed, eve.done, eve.dropped, eve.open, eve.past) == (2, 1, 0, 1, 1)
    assert (tom.agreed, tom.done, tom.dropped, tom.open, tom.past) == (2, 0, 1, 1, 0)
    states = Counter(
        a.state
        for p in files.session_files(repo.folder)
        for r in files.read_record(p).responses
        for a in r.actions
    )
    assert (total.done, total.dropped, total.open) == (
        states[ActionState.DONE],
        states[ActionState.DROPPED],
        states[ActionState.OPEN],
    )
    coded = gather_workspace(repo.workspace, Filters(), today=TODAY)
    labels = [f.facilitator for f in coded.actions]
    assert all(label.startswith("F-") for label in labels[:-1]) and labels[-1] == TOTAL
    only_tom = Filters(facilitator=TOM.id)
    assert [
        f.facilitator
        for f in gather_workspace(repo.workspace, only_tom, names=True, today=TODAY).actions
    ] == [TOM.name, TOTAL]


def test_the_table_shows_them_and_hostile_names_stay_text(
    repo: Repository, framework: Framework, workspace: Workspace
) -> None:
    seed(repo, framework)
    args = ["--workspace", str(workspace.root), "collate", "--format", "table"]
    named = CliRunner().invoke(main, [*args, "--names"])
    assert named.exit_code == 0, named.output
    section = named.output.split("== agreed actions followed up")[1]
    assert "past date" in section and "Tom Price" in section
    assert "\u202e" not in named.output and "\x1b" not in named.output
    assert "[red]Eve[/red]\\u202e" in section
    coded = CliRunner().invoke(main, args)
    assert "Tom Price" not in coded.output and "F-" in coded.output.split("== agreed")[1]


def test_an_index_row_that_lies_counts_for_nobody(
    repo: Repository, framework: Framework, workspace: Workspace
) -> None:
    seed(repo, framework)
    before = gather_workspace(workspace, Filters(), names=True, today=TODAY).actions
    path = workspace.index_path
    data = orjson.loads(path.read_bytes())
    for doc in data["sessions"].values():
        doc["actions"] += [
            ["mallory", "a1b2c3d4", "not of this session", "", "2020-01-01", "open"],
            [TOM.id, "a1b2c3d5", "bad state", "", "", "reopened"],
            "not a row",
        ]
    path.write_bytes(orjson.dumps(data))
    assert gather_workspace(workspace, Filters(), names=True, today=TODAY).actions == before


def test_forged_rows_for_a_real_facilitator_count_on_no_run(
    repo: Repository, framework: Framework, workspace: Workspace
) -> None:
    seed(repo, framework)
    before = gather_workspace(workspace, Filters(), names=True, today=TODAY).actions
    path = workspace.index_path
    data = orjson.loads(path.read_bytes())
    for doc in data["sessions"].values():  # rows as the index writes them, for Tom
        doc["actions"] += [
            [TOM.id, f"f0f0f0f{i}", "never agreed", "", "2020-01-01", "open"] for i in range(3)
        ]
    forged = orjson.dumps(data)
    args = ["--workspace", str(workspace.root), "collate", "--format", "table", "--names"]
    for _ in range(2):  # every run, and with the forged index put back between runs
        path.write_bytes(forged)
        assert gather_workspace(workspace, Filters(), names=True, today=TODAY).actions == before
        path.write_bytes(forged)
        out = CliRunner().invoke(main, args).output.split("== agreed actions followed up")[1]
        tom = next(line for line in out.splitlines() if "Tom Price" in line)
        assert tom.split()[-5:-1] == ["2", "0", "1", "1"]  # agreed, done, dropped, open


def test_a_row_changed_by_hand_counts_as_the_file_holds_it(
    repo: Repository, framework: Framework, workspace: Workspace
) -> None:
    seed(repo, framework)
    before = gather_workspace(workspace, Filters(), names=True, today=TODAY).actions
    path = workspace.index_path
    data = orjson.loads(path.read_bytes())
    for doc in data["sessions"].values():  # the text of a real row changed by hand
        doc["actions"][0][2] = "reworded"
        doc["actions"][0][5] = "done"
    path.write_bytes(orjson.dumps(data))
    assert gather_workspace(workspace, Filters(), names=True, today=TODAY).actions == before


async def test_the_collate_screen_has_an_actions_tab(
    repo: Repository, framework: Framework, workspace: Workspace
) -> None:
    from textual.widgets import DataTable, Static, TabbedContent

    from observe.app.application import make_app
    from observe.app.screens.collate import CollateScreen
    from tests.helpers_home import settle

    seed(repo, framework)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CollateScreen())
        await settle(pilot)
        await pilot.press("t", "t", "t", "t")
        await settle(pilot)
        assert app.screen.query_one("#c-tabs", TabbedContent).active == "tab-actions"
        status = str(app.screen.query_one("#c-status", Static).render())
        assert status.startswith("1 session · ")  # one, not "1 sessions"
        table = app.screen.query_one("#c-actions", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [r[0] for r in rows][-1] == TOTAL and all(r[0].startswith("F-") for r in rows[:-1])
        assert rows[-1][1:] == ["4", "1", "1", "2", "2"]  # agreed, done, dropped, open, past


def test_the_pdf_and_the_workbook_show_them(
    repo: Repository, framework: Framework, workspace: Workspace, tmp_path: Path
) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    seed(repo, framework)
    args = ["--workspace", str(workspace.root), "collate", "--names"]
    pdf, xlsx = tmp_path / "c.pdf", tmp_path / "c.xlsx"
    for fmt, target in (("pdf", pdf), ("xlsx", xlsx)):
        result = CliRunner().invoke(main, [*args, "--format", fmt, "--out", str(target)])
        assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    section = " ".join(text.split("Agreed actions followed up")[1].split())
    # The command runs on today's date: both open actions are past theirs by now.
    assert "Tom Price 2 0 1 1 1" in section and f"{TOTAL} 4 1 1 2 2" in section
    assert "[red]Eve[/red]" in section  # the name as typed: never markup
    sheet = load_workbook(xlsx)["Actions followed up"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Facilitator", "Agreed", "Done", "Dropped", "Open", "Past date"]
    assert ["Tom Price", 2, 0, 1, 1, 1] in rows and [TOTAL, 4, 1, 1, 2, 2] in rows
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_rows_vouched_for_are_not_read_again_until_their_file_changes(
    repo: Repository, framework: Framework, workspace: Workspace, monkeypatch
) -> None:
    from observe.store import vouched

    seed(repo, framework)
    reads: list[Path] = []
    real = vouched.read_file
    monkeypatch.setattr(vouched, "read_file", lambda p: reads.append(p) or real(p))
    gather_workspace(workspace, Filters(), today=TODAY)
    assert len(reads) == 1  # the one session with actions, read once to vouch for its rows
    gather_workspace(workspace, Filters(), today=TODAY)
    assert len(reads) == 1
    kept = orjson.loads((workspace.state_dir / vouched.FILE).read_bytes())
    assert list(kept["digests"]) == [reads[0].name]
    (workspace.state_dir / vouched.FILE).write_bytes(b"{not json")
    gather_workspace(workspace, Filters(), today=TODAY)
    assert len(reads) == 2  # a broken record of digests: the file is read again
