"""One editor per session: a second opener is refused, here or in another process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from observe.core.errors import SessionLocked
from observe.core.models import Framework
from observe.store.repository import OpenSession, Repository
from observe.store.workspace import Workspace

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

OPENER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from observe.core.errors import SessionLocked
    from observe.store.repository import Repository
    from observe.store.workspace import Workspace
    try:
        Repository(Workspace(Path(sys.argv[1]))).open(Path(sys.argv[2])).close()
    except SessionLocked as exc:
        print(exc)
        sys.exit(3)
    print("opened")
    """
)


def python(code: str, *args: object) -> list[str]:
    return [sys.executable, "-c", code, *map(str, args)]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_second_opener_in_the_same_process_is_refused(
    repo: Repository, open_session: OpenSession
) -> None:
    with pytest.raises(SessionLocked) as caught:
        repo.open(open_session.path)
    message = str(caught.value)
    assert "already open" in message and open_session.path.name in message
    assert "\n" not in message
    open_session.close()
    repo.open(open_session.path).close()  # free once the holder closes


def test_another_process_is_refused_while_this_one_holds_it(
    workspace: Workspace, open_session: OpenSession
) -> None:
    done = subprocess.run(
        python(OPENER, workspace.root, open_session.path), capture_output=True, text=True, env=env()
    )
    assert done.returncode == 3, done.stderr
    assert "already open" in done.stdout
    open_session.close()
    done = subprocess.run(
        python(OPENER, workspace.root, open_session.path), capture_output=True, text=True, env=env()
    )
    assert done.returncode == 0 and done.stdout.strip() == "opened"


@pytest.mark.slow
def test_a_killed_holder_frees_the_lock(
    repo: Repository, workspace: Workspace, open_session: OpenSession
) -> None:
    path = open_session.path
    open_session.close()
    holder = subprocess.Popen(
        python(HOLDER, workspace.root, path), stdout=subprocess.PIPE, text=True, env=env()
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        with pytest.raises(SessionLocked):
            repo.open(path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # The kernel dropped the lock with the process; the session is offered for resumption.
    assert repo.interrupted() == [path]
    session = repo.open(path)
    session.close()
    assert repo.interrupted() == []


def test_a_marker_that_cannot_be_written_does_not_fail_the_open(
    repo: Repository, framework: Framework, workspace: Workspace
) -> None:
    from tests.conftest import make_meta

    if workspace.open_dir.exists():
        workspace.open_dir.rmdir()
    workspace.open_dir.write_text("not a folder", encoding="utf-8")  # mkdir and write both fail
    session = repo.create(make_meta(), framework)
    assert session.lock.held
    session.close()
    assert not session.lock.held
    with repo.open(session.path) as again:
        assert again.lock.held
