"""The team folder on disk: ``team.json`` (team id and format only) and ``members/<id>/``.

Each member writes only inside their own part, so a sync engine never sees two writers on
one file. Everything read from the folder is untrusted: member folders are taken only under
a valid member id, only regular files (no links) are read, each within a size limit; hidden
and temporary names are passed over; a file of zero bytes is still arriving and is skipped.
Nothing here deletes a file: the only writes replace the writer's own files atomically.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from observe.core.conflictcopies import original_of
from observe.core.readfile import FileTooLarge, read_regular
from observe.store.atomic import write_atomic
from observe.store.team.errors import TeamError
from observe.store.team.ids import is_member_id, is_team_id
from observe.store.team.keys import PublicKeys

FORMAT = 1
TEAM_FILE = "team.json"
MEMBERS = "members"
DOOR = "door.json"
JOIN = "join.age"
MAX_TEAM_FILE = 4 * 1024
MAX_DOCUMENT = 8 * 1024 * 1024
_OURS = re.compile(
    r"roster-[1-9][0-9]{0,15}\.age|join\.age|door\.json|rota-[a-z0-9][a-z0-9-]{0,63}\.age"
    r"|survey-s-[a-z0-9]{16}\.age|focus\.age"
)


def is_ours(name: str) -> bool:
    """Whether the app writes files of this name (so others are copies, or not ours)."""
    return _OURS.fullmatch(name) is not None


def roster_file(version: int) -> str:
    return f"roster-{version}.age"


@dataclass(frozen=True)
class Entry:
    """One file in a member's part: ``original`` names the file it is a conflict copy of."""

    member_id: str
    name: str
    path: Path
    original: str | None

    @property
    def stands_for(self) -> str:
        return self.original or self.name

    @property
    def where(self) -> str:
        return f"{MEMBERS}/{self.member_id}/{self.name}"


@dataclass(frozen=True)
class TeamFolder:
    root: Path

    @property
    def team_file(self) -> Path:
        return self.root / TEAM_FILE

    @property
    def members_dir(self) -> Path:
        return self.root / MEMBERS

    def part(self, member_id: str) -> Path:
        if not is_member_id(member_id):
            raise ValueError(f"not a member id: {member_id!r}")
        return self.members_dir / member_id

    # ------------------------------------------------------------ the team file

    def create(self, team_id: str) -> None:
        if self.team_file.exists():
            raise TeamError(f"{self.root} is already a team folder")
        if self.root.exists() and not self.root.is_dir():
            raise TeamError(f"{self.root} is not a folder")
        self.members_dir.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "team": team_id}
        write_atomic(self.team_file, orjson.dumps(data, option=orjson.OPT_INDENT_2))

    def team_id(self) -> str:
        """The team's id from ``team.json``; TeamError when this is not a team folder."""
        if not self.root.is_dir():
            raise TeamError(f"no such folder: {self.root}")
        try:
            raw = read_regular(self.team_file, MAX_TEAM_FILE)
            data = orjson.loads(raw)
        except FileNotFoundError as exc:
            raise TeamError(f"{self.root} is not a team folder (no {TEAM_FILE})") from exc
        except (OSError, orjson.JSONDecodeError) as exc:
            raise TeamError(f"cannot read {self.team_file}: {_reason(exc)}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise TeamError(f"{self.team_file} is not a team file of a known format")
        if not is_team_id(data.get("team")):
            raise TeamError(f"{self.team_file} holds no valid team id")
        return data["team"]

    # ------------------------------------------------------------ writing one's own part

    def write(self, member_id: str, name: str, data: bytes) -> Path:
        if not is_ours(name):
            raise ValueError(f"not a name the app writes: {name!r}")
        part = self.part(member_id)
        part.mkdir(parents=True, exist_ok=True)
        path = part / name
        if path.exists() and path.read_bytes() == data:
            return path  # never rewrite an unchanged file: sync engines would move it again
        write_atomic(path, data)
        return path

    def write_door(self, keys: PublicKeys) -> None:
        """A lead's public keys, so that a newcomer can seal a join request to the leads."""
        data = {"format": FORMAT, "member": keys.member_id, "age": keys.age, "sign": keys.sign}
        self.write(keys.member_id, DOOR, orjson.dumps(data, option=orjson.OPT_SORT_KEYS))

    # ------------------------------------------------------------ reading everyone's parts

    def entries(self) -> Iterator[Entry]:
        """Every file worth reading in members' parts, conflict copies included."""
        try:
            parts = sorted(os.scandir(self.members_dir), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            return
        for part in parts:
            if not is_member_id(part.name) or not part.is_dir(follow_symlinks=False):
                continue
            try:
                files = sorted(os.scandir(part.path), key=lambda e: e.name)
            except OSError:
                continue
            for file in files:
                if file.name.startswith((".", "~")) or not file.is_file(follow_symlinks=False):
                    continue
                original = None if is_ours(file.name) else original_of(file.name, is_ours)
                if original is None and not is_ours(file.name):
                    continue
                yield Entry(part.name, file.name, Path(file.path), original)

    def read(self, entry: Entry) -> bytes | None:
        """The bytes of ``entry``; None while it is still arriving (empty); TeamError when it
        is not a regular file or too large."""
        try:
            st = os.lstat(entry.path)
            if not stat.S_ISREG(st.st_mode):
                raise TeamError(f"{entry.where}: not a regular file")
            if st.st_size == 0:
                return None
            raw = read_regular(entry.path, MAX_DOCUMENT)
        except FileTooLarge as exc:
            raise TeamError(f"{entry.where}: too large ({exc.size} bytes)") from exc
        except FileNotFoundError:
            return None  # gone since it was listed: a sync engine moved it
        except OSError as exc:
            raise TeamError(f"{entry.where}: cannot read: {_reason(exc)}") from exc
        return raw or None

    def doors(self) -> list[PublicKeys]:
        """The public keys leads have put up for newcomers; malformed doors are passed over."""
        found = []
        for entry in self.entries():
            if entry.name != DOOR:
                continue
            try:
                raw = self.read(entry)
                data = orjson.loads(raw) if raw else None
                if not isinstance(data, dict) or data.get("member") != entry.member_id:
                    continue
                found.append(PublicKeys.check(data["member"], data.get("age"), data.get("sign")))
            except (TeamError, ValueError, orjson.JSONDecodeError):
                continue
        return found


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "strerror", None) or exc)
