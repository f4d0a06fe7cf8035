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

from observe.models import Framework
from observe.store import files
from observe.store.atomic import is_temp
from observe.store.repository import Repository
from observe.workspace import Workspace
from tests.conftest import make_meta

CHILD = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 4
KILLS_EACH = 55  # 220 kills in all


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def hammer(workspace: Workspace, path: Path, kills: int, seed: int) -> list[str]:
    """Start the writer on ``path``, kill it at a random moment, again and again."""
    rng = random.Random(seed)
    saved: list[str] = []
    for _ in range(kills):
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(workspace.root), str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(),
        )
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        if ready != b"ready\n":  # e.g. the lock of the killed holder was not freed
            proc.kill()
            _, err = proc.communicate()
            raise AssertionError(f"writer did not start: {err.decode(errors='replace')}")
        time.sleep(rng.uniform(0, 0.03))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        saved += out.decode().split()
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
        assert len(ids) > KILLS_EACH  # the kills landed while notes were being written
        for rating in record.ratings:
            assert set(rating.evidence) <= on_disk
    # Whatever a kill left mid-write is a temp file, and only that: clean() removes it.
    repo.clean()
    left = sorted(workspace.sessions_dir.iterdir())
    assert left == sorted(paths)
    assert not any(is_temp(p) for p in left)
