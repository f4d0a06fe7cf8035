"""A read-only workspace: every command says so in one line; the app opens and stays up.

A real read-only tmpfs is used where the machine allows mounting (as root in a container);
otherwise the folders are made read-only with chmod (which root would ignore: then skipped).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from observe.cli import main as cli_main
from observe.store.workspace import Workspace
from tests.helpers_home import captured_notifications, settle


def _mount(path: Path, *options: str) -> bool:
    args = ["mount", "-t", "tmpfs", "-o", ",".join(("size=4m", *options)), "tmpfs", str(path)]
    if options and options[0] == "remount":
        args = ["mount", "-o", ",".join(options), str(path)]
    try:
        done = subprocess.run(args, capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@pytest.fixture
def readonly(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace with demo sessions on a file system that refuses every write."""
    root = tmp_path / f"ro-{uuid.uuid4().hex[:8]}"
    root.mkdir()
    mounted = os.geteuid() == 0 and _mount(root)
    ws = Workspace(root / "ws").ensure(seed=True)
    result = CliRunner().invoke(cli_main.main, ["-w", str(ws.root), "demo", "--sessions", "3"])
    assert result.exit_code == 0, result.output
    CliRunner().invoke(cli_main.main, ["-w", str(ws.root), "sessions"])  # the index, built
    try:
        if mounted:
            assert _mount(root, "remount", "ro")
        elif os.geteuid() == 0:
            pytest.skip("cannot mount a read-only file system, and root ignores chmod")
        else:
            for folder in (ws.sessions_dir, ws.state_dir, ws.root):
                folder.chmod(0o555)
        yield ws
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(root)], capture_output=True, timeout=10)
        else:
            for folder in (ws.root, ws.sessions_dir, ws.state_dir):
                with contextlib.suppress(OSError):
                    folder.chmod(0o700)


def test_observe_new_says_so_in_one_line(readonly: Workspace) -> None:
    observe = str(Path(sys.executable).parent / "observe")
    done = subprocess.run(
        [observe, "-w", str(readonly.root), "new", "--facilitator", "Asha Rahman"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr[-2000:]
    assert "read-only" in lines[0].lower() and str(readonly.sessions_dir) in lines[0]
    assert done.stdout == ""


def test_observe_open_says_so_in_one_line(readonly: Workspace) -> None:
    session = sorted(readonly.sessions_dir.glob("*.json"))[0]
    result = CliRunner().invoke(cli_main.main, ["-w", str(readonly.root), "open", str(session)])
    assert result.exit_code in (1, 2)
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output + result.stderr


def test_reading_commands_still_work(readonly: Workspace) -> None:
    for args in (["sessions"], ["collate", "--demo"], ["criteria", "list"]):
        result = CliRunner().invoke(cli_main.main, ["-w", str(readonly.root), *args])
        assert result.exit_code == 0, (args, result.output, result.stderr)


@pytest.mark.timeout(90)
async def test_the_app_opens_says_read_only_and_survives_open_and_new(
    readonly: Workspace,
) -> None:
    from observe.app.application import make_app

    app = make_app(readonly)
    messages = captured_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        assert any("read-only" in m for m in messages), messages
        await pilot.press("o")  # open the first session for editing: refused in words
        await settle(pilot)
        assert app.screen is home and app.is_running
        assert any("read-only" in m and "cannot" in m for m in messages[1:]), messages
        assert app.return_code is None


def test_export_to_a_folder_elsewhere_still_works(readonly: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "pdfs"
    out.mkdir()
    path = sorted(readonly.sessions_dir.glob("*.json"))[0]
    before = path.read_bytes()
    result = CliRunner().invoke(
        cli_main.main, ["-w", str(readonly.root), "export", str(path), "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert list(out.glob("*.pdf"))
    assert all("read-only" in line for line in result.stderr.splitlines())
    assert path.read_bytes() == before
