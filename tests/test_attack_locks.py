"""Attacks on "one editor per session": other paths, a deleted .observe/, killed holders,
temp files of live writers, and what crash-recovery markers give away."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.errors import ObserveError, SessionLocked
from observe.core.models import Framework, Note
from observe.store import bundle, files
from observe.store.atomic import TEMP_PREFIX, TEMP_SUFFIX
from observe.store.index import Index
from observe.store.repository import OpenSession, Repository
from observe.store.workspace import Workspace
from tests.conftest import FIXED, make_meta

ROOT = Path(__file__).resolve().parent.parent

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from observe.store.repository import Repository
    from observe.store.workspace import Workspace
    session = Repository(Workspace(Path(sys.argv[1]))).open(Path(sys.argv[2]))
    print("holding", flush=True)
    time.sleep(60)
    """
)


CLI = "from observe.cli.main import main; main()"


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def lock_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".lock")]


# ---------------------------------------------------------------- the lock follows the file


def test_a_second_workspace_path_to_the_same_folder_meets_the_lock(
    tmp_path: Path, repo: Repository, open_session: OpenSession
) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(repo.workspace.root, target_is_directory=True)
    other = Repository(Workspace(alias))
    with pytest.raises(SessionLocked):
        other.open(alias / "sessions" / open_session.path.name)
    open_session.close()
    other.open(alias / "sessions" / open_session.path.name).close()


def test_a_symlinked_sessions_folder_meets_the_lock(
    tmp_path: Path, workspace: Workspace, open_session: OpenSession
) -> None:
    """A second workspace whose sessions/ is a link to the first one's (a shared folder)."""
    second = Workspace(tmp_path / "second")
    second.root.mkdir()
    second.sessions_dir.symlink_to(workspace.sessions_dir, target_is_directory=True)
    with pytest.raises(SessionLocked):
        Repository(second).open(second.sessions_dir / open_session.path.name)


def test_a_symlink_to_the_session_file_itself_meets_the_lock(
    tmp_path: Path, open_session: OpenSession
) -> None:
    elsewhere = Workspace(tmp_path / "elsewhere").ensure()
    link = elsewhere.sessions_dir / open_session.path.name
    link.symlink_to(open_session.path)
    with pytest.raises(SessionLocked):
        Repository(elsewhere).open(link)


def test_deleting_dot_observe_while_a_session_is_open_frees_nothing(
    repo: Repository, workspace: Workspace, open_session: OpenSession
) -> None:
    """The README says deleting .observe/ loses nothing; it must not unlock a session either."""
    open_session.add_note(Note(at=FIXED, text="first"))
    shutil.rmtree(workspace.state_dir)
    again = Repository(Workspace(workspace.root).ensure())
    with pytest.raises(SessionLocked):
        again.open(open_session.path)
    open_session.add_note(Note(at=FIXED, text="second"))
    assert sorted(n.text for n in files.read_record(open_session.path).notes) == ["first", "second"]


def test_the_lock_sits_beside_the_session_file_private_and_unlisted(
    repo: Repository, workspace: Workspace, open_session: OpenSession
) -> None:
    locks = lock_files(workspace.sessions_dir)
    assert [p.name for p in locks] == [f".{open_session.session.id}.lock"]
    assert stat.S_IMODE(locks[0].stat().st_mode) == 0o600
    assert not (workspace.state_dir / "locks").exists()
    assert repo.paths() == [open_session.path]
    assert [e.name for e in Index(workspace).refresh()] == [open_session.path.name]
    result = CliRunner().invoke(main, ["-w", str(workspace.root), "sessions"])
    assert result.exit_code == 0 and ".lock" not in result.stdout


def test_a_lock_file_never_travels_in_a_bundle_nor_imports(
    tmp_path: Path, workspace: Workspace, open_session: OpenSession
) -> None:
    open_session.close()
    out = tmp_path / "out.zip"
    result = CliRunner().invoke(main, ["-w", str(workspace.root), "bundle", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        assert not any(".lock" in name for name in zf.namelist())
    # Importing the sessions folder itself: the lock file is no member.
    sources = list(bundle.read_sources([workspace.sessions_dir]))
    assert [Path(s.source).name for s in sources] == [open_session.path.name]


@pytest.mark.slow
def test_a_killed_holder_in_another_process_frees_the_lock(
    tmp_path: Path, workspace: Workspace, open_session: OpenSession
) -> None:
    path = open_session.path
    open_session.close()
    second = Workspace(tmp_path / "second")
    second.root.mkdir()
    second.sessions_dir.symlink_to(workspace.sessions_dir, target_is_directory=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(second.root), str(second.sessions_dir / path.name)],
        stdout=subprocess.PIPE,
        text=True,
        env=env(),
    )
    repo = Repository(workspace)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        with pytest.raises(SessionLocked):
            repo.open(path)  # held through the other workspace's path
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # The kernel dropped the lock with the process; its workspace offers the session again.
    assert Repository(second).interrupted() == [second.sessions_dir / path.name]
    repo.open(path).close()


# ---------------------------------------------------------------- crash-recovery markers


def test_open_markers_are_private_and_hold_no_name(
    repo: Repository, workspace: Workspace, open_session: OpenSession
) -> None:
    marker = workspace.open_dir / open_session.session.id
    assert stat.S_IMODE(marker.stat().st_mode) == 0o600
    content = marker.read_bytes()
    assert b"asha" not in content.lower() and open_session.path.name.encode() not in content


def test_a_marker_left_world_readable_by_an_older_version_is_made_private(
    repo: Repository, workspace: Workspace, open_session: OpenSession
) -> None:
    marker = workspace.open_dir / open_session.session.id
    open_session.close()
    marker.write_text(open_session.path.name, encoding="utf-8")
    os.chmod(marker, 0o644)
    assert repo.interrupted() == [open_session.path]  # an old marker still works
    with repo.open(open_session.path):
        assert stat.S_IMODE(marker.stat().st_mode) == 0o600
        assert marker.read_bytes() == b""


def test_interrupted_finds_the_session_by_its_id(
    repo: Repository, framework: Framework, workspace: Workspace
) -> None:
    crashed = repo.create(make_meta("Mia Chen"), framework)
    crashed.lock.release()  # what the kernel does when the holder is killed
    still_open = repo.create(make_meta("Lee Park"), framework)
    stray = workspace.open_dir / "0123abcd-0000-4000-8000-000000000000"
    stray.write_bytes(b"")  # a marker whose session file is gone
    assert repo.interrupted() == [crashed.path]
    assert not stray.exists()
    still_open.close()


def test_import_and_settle_meet_the_lock_of_a_session_open_through_another_path(
    tmp_path: Path, workspace: Workspace, open_session: OpenSession
) -> None:
    from observe.store.importer import import_paths, settle

    second = Workspace(tmp_path / "second")
    second.root.mkdir()
    second.sessions_dir.symlink_to(workspace.sessions_dir, target_is_directory=True)
    second.ensure()
    incoming = tmp_path / "incoming" / open_session.path.name
    incoming.parent.mkdir()
    with Repository(Workspace(tmp_path / "scratch").ensure()).create(
        make_meta(), open_session.session.framework.content, session_id=open_session.session.id
    ) as twin:
        twin.add_note(Note(at=FIXED, text="from a colleague"))
        shutil.copyfile(twin.path, incoming)
    before = open_session.path.read_bytes()
    report = import_paths(second, [incoming])
    assert not report.results and "already open" in report.refused[0].reason
    with pytest.raises(SessionLocked):
        settle(second, second.sessions_dir / open_session.path.name, "x", "mine")
    assert open_session.path.read_bytes() == before


# ---------------------------------------------------------------- temp files of live writers


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: its pid names no process now
    return child.pid


def test_a_listing_leaves_a_live_writers_temp_file_alone(
    workspace: Workspace, open_session: OpenSession
) -> None:
    folder = workspace.sessions_dir
    live = folder / f"{TEMP_PREFIX}{open_session.path.name}.{os.getpid()}.abc123{TEMP_SUFFIX}"
    live.write_bytes(b"half a save")
    result = CliRunner().invoke(main, ["-w", str(workspace.root), "sessions"])
    assert result.exit_code == 0 and TEMP_PREFIX not in result.stdout
    assert live.exists()
    Repository(workspace).clean()  # even the start-up clean: this process is alive
    assert live.read_bytes() == b"half a save"


def test_start_up_clean_removes_only_what_no_live_process_owns(
    workspace: Workspace, open_session: OpenSession
) -> None:
    folder = workspace.sessions_dir
    name = open_session.path.name
    live = folder / f"{TEMP_PREFIX}{name}.{os.getpid()}.a1{TEMP_SUFFIX}"
    dead = folder / f"{TEMP_PREFIX}{name}.{dead_pid()}.b2{TEMP_SUFFIX}"
    old_style_new = folder / f"{TEMP_PREFIX}{name}.c3{TEMP_SUFFIX}"
    old_style_old = folder / f"{TEMP_PREFIX}{name}.d4{TEMP_SUFFIX}"
    index_dead = workspace.state_dir / f"{TEMP_PREFIX}index.json.{dead_pid()}.e5{TEMP_SUFFIX}"
    for path in (live, dead, old_style_new, old_style_old, index_dead):
        path.write_bytes(b"partial")
    hour_ago = time.time() - 3600
    os.utime(old_style_old, (hour_ago, hour_ago))
    removed = Repository(workspace).clean()
    assert sorted(removed) == sorted([dead, old_style_old, index_dead])
    assert live.exists() and old_style_new.exists()
    assert open_session.path.exists() and lock_files(folder)


def test_a_temp_file_names_its_writer(workspace: Workspace, monkeypatch) -> None:
    from observe.store import atomic

    seen: list[str] = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        return real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", spy)
    atomic.write_atomic(workspace.sessions_dir / "x.json", b"{}")
    assert seen and seen[0].startswith(f"{TEMP_PREFIX}x.json.{os.getpid()}.")
    assert seen[0].endswith(TEMP_SUFFIX)


def test_a_listing_while_a_window_saves_loses_no_note(
    repo: Repository, workspace: Workspace, open_session: OpenSession
) -> None:
    """The race: a listing in another process runs while this one is between the temp
    file's creation and its rename; the save must still land."""
    from observe.store import atomic

    real_replace = os.replace
    listed: list[int] = []

    def list_then_replace(src, dst):
        if Path(src).parent == workspace.sessions_dir and not listed:
            done = subprocess.run(
                [sys.executable, "-c", CLI, "-w", str(workspace.root), "sessions"],
                capture_output=True,
                text=True,
                env=env(),
            )
            listed.append(done.returncode)
        return real_replace(src, dst)

    import unittest.mock

    with unittest.mock.patch.object(atomic.os, "replace", list_then_replace):
        open_session.add_note(Note(at=FIXED, text="typed during a listing"))
    assert listed == [0]
    assert [n.text for n in files.read_record(open_session.path).notes] == [
        "typed during a listing"
    ]


# ---------------------------------------------------------------- a squatted lock name


@pytest.mark.parametrize("squat", ["folder", "symlink"])
def test_something_squatting_the_lock_name_refuses_the_open_in_one_line(
    tmp_path: Path, repo: Repository, workspace: Workspace, framework: Framework, squat: str
) -> None:
    session = repo.create(make_meta(), framework)
    session.close()
    lock = lock_files(workspace.sessions_dir)[0]
    lock.unlink()
    target = tmp_path / "elsewhere.txt"
    target.write_text("not to be touched", encoding="utf-8")
    if squat == "folder":
        lock.mkdir()
    else:
        lock.symlink_to(target)
    with pytest.raises(ObserveError) as caught:
        repo.open(session.path)
    message = str(caught.value)
    assert "lock" in message and "\n" not in message
    assert target.read_text(encoding="utf-8") == "not to be touched"
    # Crash recovery passes over it rather than failing the start.
    (workspace.open_dir / session.session.id).write_bytes(b"")
    assert repo.interrupted() == []
