"""Sync at a lead's scale: 5,000 shared sessions in the team folder, nothing new.

- a lead's sync that finds nothing new: within 1.5x of stat-ing every file in the team
  folder (the floor, measured in the same run, five alternating pairs);
- the observer's sync that finds nothing new (their 5,000 sessions are theirs to publish);
- the first sync that reads them all (one decrypt, one signature check, one merge each),
  reported per session.

The team (a lead and an observer, two workspaces and one folder) is made once and cached in
the temp folder, keyed by the formats of what it holds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import orjson

from bench.common import Result, demo_workspace, median, timed
from observe.store.workspace import Workspace

SESSIONS = 5000


def _source_key() -> str:
    """What the cached team depends on: the published documents' and the record's formats."""
    from observe.store.team import authorship, envelope, syncstate

    modules = (authorship, envelope, syncstate)
    return hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in modules)).hexdigest()


def stat_folder(root: Path) -> int:
    """The floor: list every folder of the team folder and stat every file in it."""
    count = 0
    stack = [str(root)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != ".git":
                        stack.append(entry.path)
                else:
                    entry.stat(follow_symlinks=False)
                    count += 1
    return count


def _as_observer(source: Path, target: Path, observer: dict[str, str]) -> None:
    """Demo sessions, observed by ``observer`` and shared."""
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    for path in sorted(source.glob("*.json")):
        tables = orjson.loads(path.read_bytes())
        doc = next(iter(tables["session"].values()))
        doc["meta"]["observer"] = observer
        doc["status"] = "shared"
        (target / path.name).write_bytes(orjson.dumps(tables))


def team(count: int) -> tuple[Workspace, Workspace, Path, float]:
    """The lead's and the observer's workspaces, the team folder, and the first sync's time."""
    from observe.services import team as team_service
    from observe.services.sync import run_sync

    cache = Path(tempfile.gettempdir()) / "observe-bench-sync"
    root = cache / f"n{count}-{_source_key()[:10]}"
    lead, observer, folder = root / "lead", root / "observer", root / "folder"
    done = root / ".complete"
    if not done.exists():
        if root.exists():
            shutil.rmtree(root)  # a cache, never the only copy of anything
        Workspace(lead).ensure(seed=True)
        Workspace(observer).ensure(seed=True)
        team_service.init(lead, folder, "Lead Person")
        joined = team_service.join(observer, folder, "Observing Person")
        team_service.admit(lead, "Observing Person")
        person = {"id": joined.me, "name": "Observing Person"}
        _as_observer(demo_workspace("collate", count).sessions_dir, observer / "sessions", person)
        run_sync(Workspace(observer))
        took = timed(lambda: run_sync(Workspace(lead)))[0]
        (root / "first.txt").write_text(str(took))
        done.touch()
    first = float((root / "first.txt").read_text())
    return Workspace(lead), Workspace(observer), folder, first


def run() -> list[Result]:
    from observe.services.sync import run_sync

    lead, observer, folder, first = team(SESSIONS)
    results = [
        Result(f"first sync of a lead, {SESSIONS} sessions arrive", first, budget="report"),
        Result("  per session", first / SESSIONS * 1000, unit="ms/session", budget="report"),
    ]
    for ws in (lead, observer):  # settle: the next syncs find nothing new
        run_sync(ws)
        run_sync(ws)
    files = stat_folder(folder)
    assert files >= SESSIONS, files

    def quiet(ws: Workspace) -> None:
        report = run_sync(ws)
        assert (report.published, report.merged, report.unchanged) == (0, 0, 0), report

    for who, ws in (("lead", lead), ("observer", observer)):
        floor_samples, sync_samples = [], []
        for _ in range(5):  # alternating, so a burst of load hits both sides
            floor_samples += timed(lambda: stat_folder(folder))
            sync_samples += timed(lambda ws=ws: quiet(ws))
        floor, value = median(floor_samples), median(sync_samples)
        results.append(
            Result(
                f"sync with nothing new, {who}, {files} files (floor: stat them)",
                value,
                floor=floor,
                budget="ratio <= 1.5",
                ok=value <= 1.5 * floor,
            )
        )
    return results


if __name__ == "__main__":
    for result in run():
        print(result.line())
