"""Attacks on where output goes: --out never writes into the workspace's own data, never
replaces a file unless --force says so, and the app's exports never replace one another."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.errors import UsageError
from observe.core.frameworks import load_all
from observe.core.models import Framework
from observe.services.export import export_many
from observe.store import output
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_leads import populate
from tests.helpers_report import build_session


@pytest.fixture
def leads_ws(workspace: Workspace, framework: Framework) -> Workspace:
    populate(workspace, framework, 8, seed=3)
    return workspace


def cli(ws: Workspace, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), *args])
    assert result.exit_code == code, result.output
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def one_line_error(result: Any) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("observe: "), lines
    return lines[0]


# ---------------------------------------------------------------- the workspace's own data


def _session_file(ws: Workspace) -> Path:
    return sorted(ws.sessions_dir.glob("*.json"))[0]


@pytest.mark.parametrize("fmt", ["csv", "json", "pdf", "table"])
def test_collate_out_never_replaces_a_session_even_with_force(
    leads_ws: Workspace, fmt: str
) -> None:
    before = snapshot(leads_ws.sessions_dir)
    target = _session_file(leads_ws)
    for extra in ([], ["--force"]):
        args = ["collate", "--format", fmt, "--out", str(target), *extra]
        line = one_line_error(cli(leads_ws, *args, code=2))
        assert "sessions" in line
    assert snapshot(leads_ws.sessions_dir) == before


def test_collate_out_never_replaces_the_default_framework(leads_ws: Workspace) -> None:
    target = leads_ws.criteria_dir / "good-facilitation.toml"
    before = target.read_bytes()
    for extra in ([], ["--force"]):
        cli(leads_ws, "collate", "--format", "csv", "--out", str(target), *extra, code=2)
    assert target.read_bytes() == before
    assert load_all(leads_ws.criteria_dir).get("good-facilitation")


def test_no_new_file_goes_into_sessions_or_criteria(leads_ws: Workspace) -> None:
    for folder in (leads_ws.sessions_dir, leads_ws.criteria_dir, leads_ws.state_dir):
        names = sorted(p.name for p in folder.iterdir())
        cli(leads_ws, "collate", "--format", "json", "--out", str(folder / "new.toml"), code=2)
        cli(leads_ws, "bundle", "--out", str(folder / "b.zip"), code=2)
        assert sorted(p.name for p in folder.iterdir()) == names


def test_dot_dot_and_symbolic_links_are_resolved_before_deciding(
    leads_ws: Workspace, tmp_path: Path
) -> None:
    before = snapshot(leads_ws.sessions_dir)
    name = _session_file(leads_ws).name
    climbing = leads_ws.exports_dir / ".." / "sessions" / name
    link_dir = tmp_path / "innocent"
    link_dir.symlink_to(leads_ws.sessions_dir)
    link_file = tmp_path / "report.csv"
    link_file.symlink_to(leads_ws.sessions_dir / name)
    dangling = tmp_path / "fresh.csv"
    dangling.symlink_to(leads_ws.sessions_dir / "not-yet.csv")
    for target in (climbing, link_dir / name, link_dir / "new.csv", link_file, dangling):
        for extra in ([], ["--force"]):
            args = ["collate", "--format", "csv", "--out", str(target), *extra]
            cli(leads_ws, *args, code=2)
    assert snapshot(leads_ws.sessions_dir) == before
    assert not (leads_ws.sessions_dir / "not-yet.csv").exists()


def test_a_relative_out_from_inside_the_workspace_is_refused(
    leads_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(leads_ws.sessions_dir)
    before = snapshot(leads_ws.sessions_dir)
    cli(leads_ws, "collate", "--format", "csv", "--out", "x.csv", code=2)
    assert snapshot(leads_ws.sessions_dir) == before


# ---------------------------------------------------------------- existing files and --force


def test_collate_out_refuses_an_existing_file_without_force(
    leads_ws: Workspace, tmp_path: Path
) -> None:
    target = tmp_path / "figures.csv"
    target.write_text("keep me\n")
    line = one_line_error(cli(leads_ws, "collate", "--format", "csv", "--out", str(target), code=2))
    assert "already exists" in line and "--force" in line
    assert target.read_text() == "keep me\n"
    cli(leads_ws, "collate", "--format", "csv", "--out", str(target), "--force")
    assert target.read_text().startswith("framework,criterion")


def test_bundle_out_refuses_an_existing_zip_without_force(
    leads_ws: Workspace, tmp_path: Path
) -> None:
    old = tmp_path / "old.zip"
    old.write_bytes(b"an older bundle")
    one_line_error(cli(leads_ws, "bundle", "--out", str(old), code=2))
    assert old.read_bytes() == b"an older bundle"
    assert "sessions" in cli(leads_ws, "bundle", "--out", str(old), "--force").output
    assert old.read_bytes().startswith(b"PK")


def test_out_naming_a_folder_is_refused(leads_ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.zip"
    folder.mkdir()
    cli(leads_ws, "bundle", "--out", str(folder), "--force", code=2)
    assert folder.is_dir() and not any(folder.iterdir())


def test_folders_made_for_output_are_private(leads_ws: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "b.zip"
    cli(leads_ws, "bundle", "--out", str(target))
    for folder in (tmp_path / "new", tmp_path / "new" / "deeper"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    csv = tmp_path / "other" / "c.csv"
    cli(leads_ws, "collate", "--format", "csv", "--out", str(csv))
    assert stat.S_IMODE((tmp_path / "other").stat().st_mode) == 0o700


def test_writing_a_new_file_never_replaces_one_that_appeared_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "late.csv"
    checked = output.check_target(target)
    target.write_text("written by someone else in between")
    with pytest.raises(UsageError, match="already exists"):
        output.write_output(checked, b"ours")
    assert target.read_text() == "written by someone else in between"
    assert [p.name for p in tmp_path.iterdir()] == ["late.csv"]  # no temp file left


def test_free_names_count_up_and_never_replace(tmp_path: Path) -> None:
    first = output.write_free(tmp_path / "made", "report.csv", b"1")
    second = output.write_free(tmp_path / "made", "report.csv", b"2")
    third = output.write_free(tmp_path / "made", "report.csv", b"3")
    assert [first.name, second.name, third.name] == ["report.csv", "report-2.csv", "report-3.csv"]
    assert [p.read_bytes() for p in (first, second, third)] == [b"1", b"2", b"3"]
    assert stat.S_IMODE((tmp_path / "made").stat().st_mode) == 0o700


# ---------------------------------------------------------------- export


def test_export_out_refuses_an_existing_pdf_and_session_folders(
    workspace: Workspace, repo: Repository, framework: Framework, tmp_path: Path
) -> None:
    with build_session(repo, framework) as session:
        sid = session.session.id
    target = tmp_path / "asha.pdf"
    target.write_bytes(b"an older PDF")
    args = ["export", sid[:8], "--facilitator", "Asha"]
    one_line_error(cli(workspace, *args, "--out", str(target), code=2))
    assert target.read_bytes() == b"an older PDF"
    before = snapshot(workspace.sessions_dir)
    cli(workspace, *args, "--out", str(workspace.sessions_dir), "--force", code=2)
    cli(workspace, *args, "--out", str(workspace.criteria_dir / "x.pdf"), "--force", code=2)
    assert snapshot(workspace.sessions_dir) == before
    assert cli(workspace, *args, "--out", str(target), "--force").output.strip() == str(target)
    assert target.read_bytes().startswith(b"%PDF")


def test_export_without_out_never_replaces_an_earlier_pdf(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    with build_session(repo, framework) as session:
        path = session.path
    [first] = export_many(workspace, [path], "tom", workers=1)
    first_pdf = first.pdfs[0]
    first_pdf.write_bytes(b"annotated by hand")
    [second] = export_many(workspace, [path], "tom", workers=1)
    assert second.pdfs[0] != first_pdf
    assert second.pdfs[0].name == first_pdf.stem + "-2.pdf"
    assert first_pdf.read_bytes() == b"annotated by hand"


def test_export_folder_made_for_output_is_private(
    workspace: Workspace, repo: Repository, framework: Framework, tmp_path: Path
) -> None:
    with build_session(repo, framework) as session:
        path = session.path
    folder = tmp_path / "pdfs" / "wave"
    [outcome] = export_many(workspace, [path], "tom", folder, workers=1)
    assert outcome.pdfs[0].parent == folder
    assert stat.S_IMODE((tmp_path / "pdfs").stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert oct(os.stat(outcome.pdfs[0]).st_mode & 0o777) == oct(0o600)


# ---------------------------------------------------------------- the app's collate export


async def test_the_collate_screen_exports_twice_into_two_files(leads_ws: Workspace) -> None:
    from observe.app.application import make_app
    from observe.app.screens.collate import CollateScreen
    from tests.test_collate_screens import settle

    app = make_app(leads_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(CollateScreen())
        await settle(pilot)
        for _ in range(2):
            await pilot.press("x")
            await settle(pilot, lambda: not any(not w.is_finished for w in app.workers))
    made = sorted(p.name for p in leads_ws.exports_dir.glob("*.csv"))
    assert len(made) == 2, made
    assert any(name.endswith("-2.csv") for name in made), made
