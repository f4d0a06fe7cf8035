"""What the last sync saw and wrote, so that the next one reads and writes only what changed.

Kept in ``<workspace>/.observe/sync.json`` (derived data: deleting it costs one slow sync that
re-reads everything and rewrites nothing whose content is unchanged).

- ``folder``: each file in the team folder as last handled: size, mtime_ns, SHA-256 of its
  bytes, and what became of it (merged, not for this member, waiting, refused with why);
- ``published``: for each document this member publishes, the digest of what was sealed
  (content and recipients), so an unchanged document is never sealed and written again;
- ``local``: each session file in the workspace as last read (size, mtime_ns, and whether
  this member publishes from it), and the sessions folder's own mtime_ns when it was listed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from observe.core.readfile import MiB, read_regular
from observe.store.atomic import write_atomic

FILE = "sync.json"
FORMAT = 1
MAX_SIZE = 256 * MiB

MERGED, NOT_MINE, WAITING, REFUSED, OWN = "merged", "not-mine", "waiting", "refused", "own"


@dataclass
class Mark:
    """A file in the team folder as last handled."""

    size: int
    mtime_ns: int
    sha: str
    outcome: str
    reason: str = ""

    def same_stat(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns


@dataclass
class Local:
    """A session file in the workspace as last read."""

    size: int
    mtime_ns: int
    session_id: str
    mine: bool  # this member publishes from it (its observer, or one of its facilitators)


@dataclass
class SyncState:
    member: str
    team: str
    roster: str = ""  # the digest of the roster the published documents were sealed under
    folder: dict[str, Mark] = field(default_factory=dict)
    published: dict[str, str] = field(default_factory=dict)  # rel path -> digest sealed
    local: dict[str, Local] = field(default_factory=dict)  # session file name -> as read
    local_dir: tuple[int, int] = (0, 0)  # sessions/ mtime_ns, and the time it was listed

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "member": self.member,
            "team": self.team,
            "roster": self.roster,
            "folder": {
                k: [m.size, m.mtime_ns, m.sha, m.outcome, m.reason] for k, m in self.folder.items()
            },
            "published": self.published,
            "local": {k: [v.size, v.mtime_ns, v.session_id, v.mine] for k, v in self.local.items()},
            "local_dir": list(self.local_dir),
        }
        return orjson.dumps(data)


def path_of(state_dir: Path) -> Path:
    return state_dir / FILE


def load(state_dir: Path, member: str, team: str) -> SyncState:
    """The state the last sync left, or an empty one (missing, unreadable, another person's
    or another team's: it is only a cache)."""
    try:
        data = orjson.loads(read_regular(path_of(state_dir), MAX_SIZE))
        if data.get("format") != FORMAT or data.get("member") != member:
            raise ValueError("another format or member")
        if data.get("team") != team:
            raise ValueError("another team")
        return SyncState(
            member,
            team,
            str(data.get("roster", "")),
            {k: Mark(*v) for k, v in data["folder"].items()},
            {str(k): str(v) for k, v in data["published"].items()},
            {k: Local(*v) for k, v in data["local"].items()},
            (int(data["local_dir"][0]), int(data["local_dir"][1])),
        )
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return SyncState(member, team)


def save(state_dir: Path, state: SyncState) -> None:
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomic(path_of(state_dir), state.to_bytes())


def dir_mtime(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0
