"""The focus documents a workspace keeps: each facilitator's next focus, and which were used.

``<workspace>/focus/<facilitator id>.json`` is the focus and self-assessment a facilitator
wrote for their next observation (on their own machine, or with the observer on theirs).
``<workspace>/focus/received/<facilitator id>.json`` is one that sync brought from the team
folder, written by that facilitator for this observer. ``<workspace>/focus/used.json`` lists
the ids of those already taken up by a session, so none is offered twice; ``focus/to.json``
the team members a facilitator named as readers of their published focus, kept for the next
focus they write until they clear it. They live outside
``.observe/`` on purpose: that folder is derived data, and deleting it must lose no one's
words. Files are 0600 in a 0700 folder, written atomically.

Every file is read as untrusted input: a regular file only (a symbolic link is refused, not
followed), at most ``MAX_FILE`` bytes, JSON of the known shape, validated by the model. What
cannot be read is a ``FocusUnreadable``, one line naming the file and why; nothing is
overwritten or deleted because it could not be read.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from observe.core.errors import UsageError
from observe.core.focus import SelfAssessment
from observe.core.ids import valid_id
from observe.core.readfile import read_regular
from observe.store.atomic import write_atomic

FOLDER = "focus"
RECEIVED = "received"
USED = "used.json"
TO = "to.json"
FORMAT = 1
MAX_FILE = 256 * 1024  # twelve hopes of 2,000 characters, escaped, fit many times over
MAX_USED = 10_000


class FocusUnreadable(UsageError):
    """A focus file that is not a regular file, too large, not JSON, or of the wrong shape."""


def folder(workspace_root: Path, *, received: bool = False) -> Path:
    path = workspace_root / FOLDER
    return path / RECEIVED if received else path


def path_for(workspace_root: Path, facilitator_id: str, *, received: bool = False) -> Path:
    if not valid_id(facilitator_id):
        raise ValueError(f"not a facilitator id: {facilitator_id!r}")
    return folder(workspace_root, received=received) / f"{facilitator_id}.json"


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the document"
        return f"{where}: {first['msg']}"
    return str(getattr(exc, "strerror", None) or exc)


def decode(raw: bytes, where: str) -> SelfAssessment:
    """A focus document's bytes as a SelfAssessment; FocusUnreadable with the reason."""
    try:
        data: Any = orjson.loads(raw)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a focus document of a known format")
        if not isinstance(data.get("focus"), dict):
            raise ValueError("it holds no focus")
        return SelfAssessment.model_validate(data["focus"])
    except orjson.JSONDecodeError as exc:
        raise FocusUnreadable(f"{where}: not JSON ({exc})") from None
    except ValueError as exc:
        raise FocusUnreadable(f"{where}: {_reason(exc)}") from None


def encode(assessment: SelfAssessment) -> bytes:
    return orjson.dumps({"format": FORMAT, "focus": assessment.dump()}, option=orjson.OPT_INDENT_2)


def read(path: Path) -> SelfAssessment | None:
    """The focus in ``path``; None when there is none; FocusUnreadable when it cannot be
    read as one."""
    try:
        raw = read_regular(path, MAX_FILE, follow=False)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FocusUnreadable(f"{path}: {_reason(exc)}") from None
    return decode(raw, str(path))


def load(
    workspace_root: Path, facilitator_id: str, *, received: bool = False
) -> SelfAssessment | None:
    return read(path_for(workspace_root, facilitator_id, received=received))


def save(workspace_root: Path, assessment: SelfAssessment, *, received: bool = False) -> Path:
    path = path_for(workspace_root, assessment.facilitator, received=received)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = encode(assessment)
    with contextlib.suppress(OSError):
        if not path.is_symlink() and path.read_bytes() == data:
            return path  # unchanged: not rewritten
    write_atomic(path, data)
    return path


def delete(workspace_root: Path, facilitator_id: str, *, received: bool = False) -> bool:
    try:
        os.unlink(path_for(workspace_root, facilitator_id, received=received))
    except FileNotFoundError:
        return False
    return True


def all_in(
    workspace_root: Path, *, received: bool = False
) -> list[tuple[Path, SelfAssessment | str]]:
    """Every focus file kept here, each with its focus or the reason it cannot be read."""
    where = folder(workspace_root, received=received)
    try:
        names = sorted(os.listdir(where))
    except (FileNotFoundError, NotADirectoryError):
        return []
    out: list[tuple[Path, SelfAssessment | str]] = []
    for name in names:
        stem = name.removesuffix(".json")
        if name in (USED, TO) or not name.endswith(".json") or not valid_id(stem):
            continue
        path = where / name
        try:
            found = read(path)
        except FocusUnreadable as exc:
            out.append((path, str(exc)))
            continue
        if found is not None:
            if found.facilitator != stem:  # a file renamed or planted under another's id
                out.append((path, f"{path}: its facilitator is {found.facilitator}, not {stem}"))
            else:
                out.append((path, found))
    return out


def used(workspace_root: Path) -> set[str]:
    """The ids of the focuses a session has taken up; a damaged list gives none."""
    try:
        data: Any = orjson.loads(
            read_regular(folder(workspace_root) / USED, MAX_FILE, follow=False)
        )
    except (OSError, orjson.JSONDecodeError):
        return set()
    ids = data.get("used") if isinstance(data, dict) else None
    return {i for i in ids if valid_id(i)} if isinstance(ids, list) else set()


def mark_used(workspace_root: Path, assessment_id: str) -> None:
    if not valid_id(assessment_id):
        raise ValueError(f"not a focus id: {assessment_id!r}")
    ids = sorted(used(workspace_root) | {assessment_id})[-MAX_USED:]
    where = folder(workspace_root)
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomic(where / USED, orjson.dumps({"format": FORMAT, "used": ids}))


def _to_all(workspace_root: Path) -> dict[str, list[str]]:
    try:
        data: Any = orjson.loads(read_regular(folder(workspace_root) / TO, MAX_FILE, follow=False))
    except (OSError, orjson.JSONDecodeError):
        return {}
    to = data.get("to") if isinstance(data, dict) else None
    if not isinstance(to, dict):
        return {}
    return {
        k: [i for i in v if valid_id(i)]
        for k, v in to.items()
        if valid_id(k) and isinstance(v, list)
    }


def readers_named(workspace_root: Path, facilitator_id: str) -> list[str]:
    """The member ids ``facilitator_id`` last named as readers of their focus; a damaged
    file gives none."""
    return _to_all(workspace_root).get(facilitator_id, [])


def name_readers(workspace_root: Path, facilitator_id: str, member_ids: list[str]) -> None:
    """Remember (or, with none, forget) the readers named for ``facilitator_id``'s focus."""
    if not valid_id(facilitator_id) or not all(valid_id(i) for i in member_ids):
        raise ValueError("not a member id")
    to = _to_all(workspace_root)
    if to.get(facilitator_id, []) == member_ids:
        return
    if member_ids:
        to[facilitator_id] = member_ids
    else:
        to.pop(facilitator_id, None)
    where = folder(workspace_root)
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomic(where / TO, orjson.dumps({"format": FORMAT, "to": to}))
