"""Unreadable session files are listed with the reason, never changed, and break nothing else.

Stray temp files from a crash are removed on start (command line and app alike).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from observe.app.application import make_app
from observe.cli.main import main
from observe.core.errors import SessionUnreadable
from observe.core.models import Framework, Note, Status
from observe.store.atomic import TEMP_PREFIX, TEMP_SUFFIX
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import make_meta


def valid_session(repo: Repository, framework: Framework) -> Path:
    session = repo.create(make_meta(), framework)
    note = session.add_note(Note(at=repo.clock(), text="Warm check-in #R1", criteria=["R1"]))
    session.rate("Asha Rahman", "R1", 3, evidence=[note.id])
    session.set_status(Status.COMPLETED)
    session.close()
    return session.path


def with_session(good: dict, **changes: object) -> bytes:
    data = orjson.loads(orjson.dumps(good))
    data["session"]["1"].update(changes)
    return orjson.dumps(data)


def bad_files(good_raw: bytes) -> dict[str, tuple[bytes, str]]:
    """file name -> (content, what the listed reason must say)"""
    good = orjson.loads(good_raw)
    no_facilitators = orjson.loads(good_raw)
    no_facilitators["session"]["1"]["meta"]["facilitators"] = []
    bad_date = orjson.loads(good_raw)
    bad_date["session"]["1"]["meta"]["date"] = "last Tuesday"
    return {
        "garbage.json": (b"\x00\xff\xfe garbage \x89PNG", "not valid JSON"),
        "truncated.json": (good_raw[: len(good_raw) // 2], "not valid JSON"),
        "empty.json": (b"", "empty file"),
        "a-list.json": (b"[1, 2, 3]", "not a session file"),
        "no-session-table.json": (b'{"notes": {}}', "not a session file"),
        "session-not-a-table.json": (b'{"session": [1]}', "not a session file"),
        "two-sessions.json": (
            orjson.dumps({"session": {"1": {}, "2": {}}}),
            "must hold one document",
        ),
        "notes-a-list.json": (
            orjson.dumps({**good, "notes": [1, 2]}),
            "'notes' table is not an object",
        ),
        "schema-too-new.json": (with_session(good, schema=99), "newer than this version"),
        "schema-not-a-number.json": (with_session(good, schema="one"), "schema"),
        "schema-missing.json": (with_session(good, schema=None), "schema"),
        "status-unknown.json": (with_session(good, status="lost"), "status"),
        "no-facilitators.json": (orjson.dumps(no_facilitators), "facilitators"),
        "bad-date.json": (orjson.dumps(bad_date), "date"),
        "no-framework.json": (with_session(good, framework=None), "framework"),
    }


@pytest.fixture
def messy(workspace: Workspace, repo: Repository, framework: Framework) -> dict:
    good = valid_session(repo, framework)
    files = bad_files(good.read_bytes())
    for name, (content, _) in files.items():
        (workspace.sessions_dir / name).write_bytes(content)
    return {"good": good, "bad": files}


def hashes(folder: Path, names: list[str]) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}


def test_sessions_lists_each_unreadable_file_with_its_reason(
    workspace: Workspace, messy: dict
) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["-w", str(workspace.root), "sessions", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["file"]: r for r in orjson.loads(result.stdout)}
    assert not rows[messy["good"].name]["unreadable"]
    for name, (_, reason) in messy["bad"].items():
        assert rows[name]["unreadable"], name
        assert reason in rows[name]["reason"], (name, rows[name]["reason"])
        assert "\n" not in rows[name]["reason"]

    table = runner.invoke(main, ["-w", str(workspace.root), "sessions"])
    assert table.exit_code == 0
    for name in messy["bad"]:
        line = next(ln for ln in table.stdout.splitlines() if name in ln)
        assert "UNREADABLE" in line


def test_unreadable_files_are_never_opened_for_editing(
    workspace: Workspace, repo: Repository, messy: dict
) -> None:
    names = list(messy["bad"])
    before = hashes(workspace.sessions_dir, names)
    for name in names:
        with pytest.raises(SessionUnreadable):
            repo.open(workspace.sessions_dir / name)
        with pytest.raises(SessionUnreadable):
            repo.load(workspace.sessions_dir / name)
    assert hashes(workspace.sessions_dir, names) == before


def test_every_command_leaves_them_byte_for_byte_unchanged(
    workspace: Workspace, messy: dict, tmp_path: Path
) -> None:
    names = list(messy["bad"])
    before = hashes(workspace.sessions_dir, names)
    good_id = orjson.loads(messy["good"].read_bytes())["session"]["1"]["id"]
    ws = ["-w", str(workspace.root)]
    commands = [
        ["sessions"],
        ["sessions", "--format", "json"],
        ["criteria", "list"],
        ["collate"],
        ["collate", "--format", "json"],
        ["conflicts"],
        ["bundle", "--out", str(tmp_path / "bundle.zip")],
        ["import", str(tmp_path / "bundle.zip")],
        ["import", str(workspace.sessions_dir / "garbage.json")],
        ["export", good_id[:8], "--out", str(tmp_path / "pdf")],
        ["demo", "--sessions", "2"],
        ["sessions"],
    ]
    runner = CliRunner()
    for command in commands:
        result = runner.invoke(main, ws + command)
        assert result.exit_code in (0, 1, 2), (command, result.output)
        if result.exception is not None:
            assert isinstance(result.exception, SystemExit), (command, result.exception)
        assert "Traceback" not in result.output
        assert hashes(workspace.sessions_dir, names) == before, command
    rows = orjson.loads(runner.invoke(main, [*ws, "sessions", "--format", "json"]).stdout)
    readable = [r for r in rows if not r["unreadable"]]
    assert len(readable) == 3 and sum(r["unreadable"] for r in rows) == len(names)


def plant_temp_files(workspace: Workspace, good: Path) -> list[Path]:
    """What crashed writers left: named by a dead pid, or (an older version's) without one."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    stray = [
        workspace.sessions_dir / f"{TEMP_PREFIX}{good.name}.{child.pid}.abc123{TEMP_SUFFIX}",
        workspace.sessions_dir / f"{TEMP_PREFIX}other.json.x{TEMP_SUFFIX}",
        workspace.state_dir / f"{TEMP_PREFIX}index.json.{child.pid}.y{TEMP_SUFFIX}",
    ]
    long_ago = time.time() - 3600
    for path in stray:
        path.write_bytes(good.read_bytes()[:100])
        os.utime(path, (long_ago, long_ago))
    return stray


def test_stray_temp_files_are_neither_listed_nor_touched_by_the_sessions_command(
    workspace: Workspace, messy: dict
) -> None:
    """A listing runs while other windows write: it leaves every temp file to start-up."""
    stray = plant_temp_files(workspace, messy["good"])
    good_before = messy["good"].read_bytes()
    result = CliRunner().invoke(main, ["-w", str(workspace.root), "sessions"])
    assert result.exit_code == 0
    assert all(p.exists() for p in stray)
    assert messy["good"].read_bytes() == good_before
    assert TEMP_PREFIX not in result.stdout


async def test_stray_temp_files_are_cleaned_when_the_app_starts(
    workspace: Workspace, messy: dict
) -> None:
    from textual.widgets import DataTable

    stray = plant_temp_files(workspace, messy["good"])
    names = list(messy["bad"])
    before = hashes(workspace.sessions_dir, names)
    app = make_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            tables = app.screen.query(DataTable)
            if tables and tables.first().row_count == len(names) + 1:
                break
        assert app.screen.query_one("#sessions", DataTable).row_count == len(names) + 1
        assert not any(p.exists() for p in stray)
    assert hashes(workspace.sessions_dir, names) == before


def test_a_session_is_found_by_the_id_inside_its_file_whatever_its_name(tmp_path: Path) -> None:
    """A file renamed by hand is found by its id; a name borrowing another's id8 is not taken."""
    from observe.core.frameworks import load_all
    from observe.services.demo import generate
    from observe.store import files

    ws = Workspace(tmp_path).ensure(seed=True)
    generate(ws.sessions_dir, load_all(ws.criteria_dir).get(None), count=2, seed=5)
    first, second = sorted(ws.sessions_dir.glob("*.json"))
    real_id = files.read_record(first).session.id
    renamed = ws.sessions_dir / "renamed-by-hand.json"
    first.rename(renamed)
    # the second file's name now claims the first session's id8
    second.rename(ws.sessions_dir / f"2026-01-01_someone_{real_id[:8]}.json")
    assert Repository(ws).find(real_id[:8]) == renamed


def test_links_in_the_sessions_folder_are_listed_unreadable_never_followed(
    workspace: Workspace, repo: Repository, framework: Framework, tmp_path: Path
) -> None:
    good = valid_session(repo, framework)
    outside = tmp_path / "elsewhere.json"
    outside.write_bytes(good.read_bytes())  # a valid session, but not in this folder
    links = {
        "2026-01-01_inside_aaaaaaaa.json": good,
        "2026-01-01_outside_bbbbbbbb.json": outside,
        "2026-01-01_dangling_cccccccc.json": tmp_path / "gone.json",
    }
    for name, target in links.items():
        (workspace.sessions_dir / name).symlink_to(target)
    result = CliRunner().invoke(main, ["-w", str(workspace.root), "sessions", "--format", "json"])
    rows = {r["file"]: r for r in orjson.loads(result.stdout)}
    assert not rows[good.name]["unreadable"]
    for name in links:
        assert rows[name]["unreadable"], name
        assert rows[name]["reason"] == "cannot read: not a regular file (a link)"
    # Home lists them the same way, and the session they point at once only.
    app = make_app(workspace)

    async def listed() -> list[str]:
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(100):
                await pilot.pause(0.05)
                if getattr(app.screen, "loaded", False):
                    break
            return [r.file for r in app.screen.rows if not r.unreadable]  # type: ignore[attr-defined]

    import asyncio

    assert asyncio.run(listed()) == [good.name]


def test_a_read_that_must_not_follow_links_refuses_one_by_name(tmp_path: Path) -> None:
    from observe.core.readfile import read_regular

    target = tmp_path / "real.json"
    target.write_bytes(b"{}")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert read_regular(link, 100) == b"{}"  # frameworks and sources may be links
    with pytest.raises(OSError, match=r"^\[Errno 22\] not a regular file \(a link\)$"):
        read_regular(link, 100, follow=False)
    assert read_regular(target, 100, follow=False) == b"{}"
