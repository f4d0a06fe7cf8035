"""What a member's own machine keeps about surveys: which rounds it has answered, and a draft.

``<workspace>/survey/answered.json`` lists the round ids answered from this workspace, and
nothing else (no time, no answer), so a second answer from here is refused. It is outside
``.observe/`` on purpose: that folder is derived data that may be deleted, and deleting it
must not allow a second answer.

``<workspace>/survey/draft-<round>.json`` holds the answers being written, so a member can
leave and come back; it is deleted when the answer is submitted. Both files are 0600.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

import orjson

from observe.core.readfile import read_regular
from observe.store.atomic import write_atomic

FOLDER = "survey"
ANSWERED = "answered.json"
MAX_FILE = 1024 * 1024
_ROUND = re.compile(r"s-[a-z0-9]{16}")


def _folder(workspace_root: Path) -> Path:
    folder = workspace_root / FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _read_json(path: Path) -> Any:
    try:
        return orjson.loads(read_regular(path, MAX_FILE))
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError):
        return None


def answered(workspace_root: Path) -> set[str]:
    data = _read_json(workspace_root / FOLDER / ANSWERED)
    if not isinstance(data, dict) or not isinstance(data.get("rounds"), list):
        return set()
    return {r for r in data["rounds"] if isinstance(r, str) and _ROUND.fullmatch(r)}


def mark_answered(workspace_root: Path, round_id: str) -> None:
    rounds = sorted(answered(workspace_root) | {round_id})
    data = orjson.dumps({"format": 1, "rounds": rounds}, option=orjson.OPT_INDENT_2)
    write_atomic(_folder(workspace_root) / ANSWERED, data)


def unmark_answered(workspace_root: Path, round_id: str) -> None:
    """Undo ``mark_answered`` when the answer could not be written after all."""
    rounds = sorted(answered(workspace_root) - {round_id})
    data = orjson.dumps({"format": 1, "rounds": rounds}, option=orjson.OPT_INDENT_2)
    write_atomic(_folder(workspace_root) / ANSWERED, data)


def _draft_path(workspace_root: Path, round_id: str) -> Path:
    if not _ROUND.fullmatch(round_id):
        raise ValueError(f"not a round id: {round_id!r}")
    return workspace_root / FOLDER / f"draft-{round_id}.json"


def load_draft(workspace_root: Path, round_id: str) -> tuple[dict, dict]:
    """(levels, comments) saved for ``round_id``; empty when there is no readable draft."""
    data = _read_json(_draft_path(workspace_root, round_id))
    if not isinstance(data, dict):
        return {}, {}
    levels, comments = data.get("levels"), data.get("comments")
    return (
        levels if isinstance(levels, dict) else {},
        comments if isinstance(comments, dict) else {},
    )


def save_draft(workspace_root: Path, round_id: str, levels: dict, comments: dict) -> None:
    path = _draft_path(workspace_root, round_id)
    _folder(workspace_root)
    data = {"format": 1, "levels": levels, "comments": comments}
    write_atomic(path, orjson.dumps(data, option=orjson.OPT_SORT_KEYS))


def delete_draft(workspace_root: Path, round_id: str) -> None:
    path = _draft_path(workspace_root, round_id)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
