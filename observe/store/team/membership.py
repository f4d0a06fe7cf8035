"""Which team folder this workspace belongs to, and the roster version it trusts.

Kept in ``<workspace>/team-folder.json`` (0600), outside ``.observe/``: the trusted roster is
what a newer version must be signed against, so it is not derived data to be rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson

from observe.core.readfile import read_regular
from observe.store.atomic import write_atomic
from observe.store.team.errors import TeamError
from observe.store.team.ids import is_team_id
from observe.store.team.roster import Roster

FILE = "team-folder.json"
FORMAT = 1
MAX_SIZE = 16 * 1024 * 1024


@dataclass(frozen=True)
class Membership:
    folder: Path
    team: str
    roster: Roster | None  # None until a lead admits this workspace's person


def path_of(workspace_root: Path) -> Path:
    return workspace_root / FILE


def load(workspace_root: Path) -> Membership | None:
    path = path_of(workspace_root)
    if not path.exists():
        return None
    try:
        data = orjson.loads(read_regular(path, MAX_SIZE))
    except (OSError, orjson.JSONDecodeError) as exc:
        raise TeamError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TeamError(f"{path} is not a team membership file of a known format")
    folder, team, roster = data.get("folder"), data.get("team"), data.get("roster")
    if not isinstance(folder, str) or not is_team_id(team):
        raise TeamError(f"{path} does not name a team folder")
    trusted = None if roster is None else Roster.from_bytes(orjson.dumps(roster))
    if trusted is not None and trusted.team != team:
        raise TeamError(f"{path} holds a roster of another team")
    return Membership(Path(folder), team, trusted)


def save(workspace_root: Path, membership: Membership) -> None:
    roster = None if membership.roster is None else orjson.loads(membership.roster.to_bytes())
    data = {
        "format": FORMAT,
        "folder": str(membership.folder),
        "team": membership.team,
        "roster": roster,
    }
    write_atomic(path_of(workspace_root), orjson.dumps(data, option=orjson.OPT_INDENT_2))
