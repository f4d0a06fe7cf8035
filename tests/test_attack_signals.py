"""Attacks on leaving: quit and signals moments after typing, and with a folder that will
not take the last changes. The real app in a pseudo-terminal (see test_live_process.py).

On quit and on SIGTERM/SIGHUP the keys already delivered are handled first, the input's
text is taken as the draft, everything is written, and only then does the app exit; what
cannot be written goes to an emergency copy, and stderr says where.
"""

from __future__ import annotations

import os
import random
import re
import signal
import time
from pathlib import Path

import pytest

from observe.store import files
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_disk import read_only
from tests.test_live_process import PtyApp, start

pytestmark = pytest.mark.slow


@pytest.fixture
def live_ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the app's emergency copies
    return Workspace(tmp_path / "ws").ensure(seed=True)


def on_disk(ws: Workspace) -> tuple[list[str], str]:
    """The notes and the draft in the workspace's one session file."""
    (path,) = Repository(ws).paths()
    raw = path.read_bytes()
    record = files.record_from_tables(files.parse_raw(raw))
    return [n.text for n in record.live_notes()], files.read_draft(files.parse_raw(raw))


def stop(app: PtyApp, how: int | str) -> int:
    if how == "ctrl+q":
        app.type("\x11")
    else:
        os.kill(app.proc.pid, int(how))
    return app.proc.wait(15)


@pytest.mark.parametrize(
    ("how", "code"),
    [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGHUP, 128 + signal.SIGHUP), ("ctrl+q", 0)],
    ids=["SIGTERM", "SIGHUP", "ctrl+q"],
)
def test_the_draft_typed_a_moment_before_leaving_is_whole_on_disk(
    live_ws: Workspace, how: int | str, code: int
) -> None:
    app = start(live_ws)
    try:
        app.type("the last words before the signal", per_key=0.003)
        time.sleep(0.1)
        assert stop(app, how) == code
    finally:
        app.close()
    assert on_disk(live_ws) == ([], "the last words before the signal")
    assert Repository(live_ws).interrupted() == []


@pytest.mark.parametrize("trial", range(3))
def test_a_note_entered_just_before_sigterm_is_on_disk(live_ws: Workspace, trial: int) -> None:
    app = start(live_ws)
    try:
        app.type(f"entered at the last moment {trial} #R1")
        app.type("\r")
        time.sleep(random.uniform(0, 0.05))
        assert stop(app, signal.SIGTERM) == 128 + signal.SIGTERM
    finally:
        app.close()
    assert on_disk(live_ws) == ([f"entered at the last moment {trial} #R1"], "")


def test_a_signal_with_an_unwritable_folder_writes_an_emergency_copy_and_says_where(
    live_ws: Workspace, tmp_path: Path
) -> None:
    app = start(live_ws)
    try:
        with read_only(live_ws.sessions_dir):
            app.type("typed when the folder went read-only\r")
            app.wait_for("Not saved")
            app.type("and a draft")
            time.sleep(0.1)
            assert stop(app, signal.SIGTERM) == 128 + signal.SIGTERM
    finally:
        app.close()
    text = bytes(app.output).decode(errors="replace")
    found = re.search(r"everything in it was written to (\S+\.json)", text)
    assert found, text[-500:]
    copy = Path(found.group(1))
    assert copy.is_relative_to(tmp_path / "data")
    raw = copy.read_bytes()
    notes = [n.text for n in files.record_from_tables(files.parse_raw(raw)).live_notes()]
    assert notes == ["typed when the folder went read-only"]
    assert files.read_draft(files.parse_raw(raw)) == "and a draft"
    assert on_disk(live_ws) == ([], "")  # the session's own file as it was
