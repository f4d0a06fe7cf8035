"""What the last sync saw and wrote, so that the next one reads and writes only what changed.

Kept in ``<workspace>/.observe/`` (derived data: deleting it costs one slow sync that reads
everything again and rewrites nothing whose content is unchanged), in two files:

- ``sync.json``, read at every sync and small: the roster the documents were sealed under,
  a fingerprint of each folder of the team folder (every file's name, size and mtime), the
  files waiting or refused, and the sessions folder's mtime when it was last listed;
- ``sync-files.json``, read only when a fingerprint or the sessions folder changed: each
  file in the team folder as last handled (size, mtime_ns, SHA-256 of its bytes, and what
  became of it), the digest of each document this member published (its content and
  recipients), and each local session file as last read.

Neither is written again when its content did not change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from observe.core.readfile import MiB, read_regular
from observe.store.atomic import write_atomic

FILE = "sync.json"
DETAIL_FILE = "sync-files.json"
FORMAT = 2
MAX_SIZE = 256 * MiB

MERGED, NOT_MINE, WAITING, REFUSED, OWN = "merged", "not-mine", "waiting", "refused", "own"
ATTENTION = (WAITING, REFUSED)


class Mark(NamedTuple):
    """A file in the team folder as last handled."""

    size: int
    mtime_ns: int
    sha: str
    outcome: str
    reason: str = ""

    def same_stat(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns


class Local(NamedTuple):
    """A session file in the workspace as last read."""

    size: int
    mtime_ns: int
    session_id: str
    mine: bool  # this member publishes from it (its observer, or one of its facilitators)


@dataclass
class Detail:
    folder: dict[str, Mark] = field(default_factory=dict)  # rel path -> as handled
    published: dict[str, str] = field(default_factory=dict)  # rel path -> digest sealed
    local: dict[str, Local] = field(default_factory=dict)  # session file name -> as read
    raw: bytes = b""  # as read, so an unchanged state is not written again

    def to_bytes(self, member: str, team: str) -> bytes:
        data = {
            "format": FORMAT,
            "member": member,
            "team": team,
            "folder": {k: list(v) for k, v in self.folder.items()},
            "published": self.published,
            "local": {k: list(v) for k, v in self.local.items()},
        }
        return orjson.dumps(data)


@dataclass
class SyncState:
    member: str
    team: str
    state_dir: Path
    roster: str = ""  # the digest of the roster the published documents were sealed under
    dirs: dict[str, str] = field(default_factory=dict)  # folder rel path -> fingerprint
    attention: dict[str, Mark] = field(default_factory=dict)  # files waiting or refused
    local_dir: tuple[int, int] = (0, 0)  # sessions/ mtime_ns, and the time it was listed
    raw: bytes = b""
    _detail: Detail | None = None

    @property
    def detail(self) -> Detail:
        if self._detail is None:
            self._detail = _load_detail(self.state_dir / DETAIL_FILE, self.member, self.team)
        return self._detail

    @property
    def folder(self) -> dict[str, Mark]:
        return self.detail.folder

    @property
    def published(self) -> dict[str, str]:
        return self.detail.published

    @property
    def local(self) -> dict[str, Local]:
        return self.detail.local

    def to_bytes(self) -> bytes:
        if self._detail is not None:
            self.attention = {
                rel: mark for rel, mark in self._detail.folder.items() if mark.outcome in ATTENTION
            }
        data = {
            "format": FORMAT,
            "member": self.member,
            "team": self.team,
            "roster": self.roster,
            "dirs": self.dirs,
            "attention": {k: list(v) for k, v in self.attention.items()},
            "local_dir": list(self.local_dir),
        }
        return orjson.dumps(data)


def _read(path: Path) -> tuple[bytes, dict[str, Any]]:
    raw = read_regular(path, MAX_SIZE)
    data = orjson.loads(raw)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("another format")
    return raw, data


def _load_detail(path: Path, member: str, team: str) -> Detail:
    try:
        raw, data = _read(path)
        if data.get("member") != member or data.get("team") != team:
            raise ValueError("another member or team")
        return Detail(
            {k: Mark._make(v) for k, v in data["folder"].items()},
            {str(k): str(v) for k, v in data["published"].items()},
            {k: Local._make(v) for k, v in data["local"].items()},
            raw,
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Detail()


def load(state_dir: Path, member: str, team: str) -> SyncState:
    """The state the last sync left, or an empty one (missing, unreadable, another person's
    or another team's: it is only a cache)."""
    try:
        raw, data = _read(state_dir / FILE)
        if data.get("member") != member or data.get("team") != team:
            raise ValueError("another member or team")
        state = SyncState(
            member,
            team,
            state_dir,
            str(data.get("roster", "")),
            {str(k): str(v) for k, v in data["dirs"].items()},
            {k: Mark._make(v) for k, v in data["attention"].items()},
            (int(data["local_dir"][0]), int(data["local_dir"][1])),
            raw,
        )
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return SyncState(member, team, state_dir)  # every folder counts as changed
    return state


def save(state: SyncState) -> None:
    """Write what changed: the detail only when it was read (and differs), the summary only
    when it differs."""
    state.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    detail = state._detail
    if detail is not None:
        data = detail.to_bytes(state.member, state.team)
        if data != detail.raw:
            write_atomic(state.state_dir / DETAIL_FILE, data)
            detail.raw = data
    data = state.to_bytes()
    if data != state.raw:
        write_atomic(state.state_dir / FILE, data)
        state.raw = data


def dir_mtime(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0
