"""A real writer process killed with SIGKILL at random moments loses nothing it had saved."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from observe.core.models import Framework
from observe.store import files
from observe.store.atomic import is_temp
from observe.store.lock import is_lock
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import make_meta

CHILD = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 4
KILLS_EACH = 55  # 220 kills in all, each of a real process


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def hammer(workspace: Workspace, path: Path, kills: int, seed: int) -> list[str]:
    """Start a writer on ``path``, kill it at a random moment, again and again."""
    rng = random.Random(seed)
    saved: list[str] = []
    server = subprocess.Popen(
        [sys.executable, str(CHILD), str(workspace.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=child_env(),
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        for _ in range(kills):
            server.stdin.write(f"{path}\n".encode())
            server.stdin.flush()
            ready = server.stdout.readline().decode()
            # e.g. "failed ...": the lock of the killed holder was not freed
            assert ready.startswith("ready "), ready
            pid = int(ready.split()[1])
            saved.append(server.stdout.readline().decode().strip())  # one save done
            time.sleep(rng.uniform(0, 0.02))
            os.kill(pid, signal.SIGKILL)
            for line in iter(server.stdout.readline, b""):
                text = line.decode().strip()
                if text.startswith("dead "):
                    status = int(text.split()[1])
                    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
                    break
                assert not text.startswith("failed"), text
                saved.append(text)
            else:
                raise AssertionError("the fork server stopped")
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    return saved


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_saved_note(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    paths = []
    for k in range(SESSIONS):
        session = repo.create(make_meta(f"Facilitator {k}", "Co Facilitator"), framework)
        paths.append(session.path)
        session.close()

    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        saved = list(
            pool.map(lambda k: hammer(workspace, paths[k], KILLS_EACH, seed=k), range(SESSIONS))
        )

    for path, ids in zip(paths, saved, strict=True):
        record = files.read_record(path)  # parses and validates
        on_disk = {n.id for n in record.notes}
        missing = set(ids) - on_disk
        assert not missing, f"{len(missing)} saved notes lost from {path.name}"
        assert len(ids) >= KILLS_EACH  # every run saved at least one note before its kill
        for rating in record.ratings:
            assert set(rating.evidence) <= on_disk
    # Whatever a kill left mid-write is a temp file, and only that: clean() removes it.
    leftovers = [p for p in workspace.sessions_dir.iterdir() if is_temp(p)]
    assert leftovers, "no kill landed in the middle of a write"
    repo.clean()
    left = sorted(p for p in workspace.sessions_dir.iterdir() if not is_lock(p))
    assert left == sorted(paths)
    assert not any(is_temp(p) for p in left)
