"""An observer's remembered form defaults, kept in .observe/ (derived: losing it is harmless)."""

from __future__ import annotations

import contextlib
from typing import Any

import orjson

from observe.store.atomic import write_atomic
from observe.store.workspace import Workspace

FILE_NAME = "preferences.json"
# The new-observation fields an observer rarely changes between sessions; the form offers
# them, visibly, and takes one only when asked. The mode is never among them: it is asked.
REMEMBERED = ("observer", "programme", "wave", "region", "partner", "framework")


def load(workspace: Workspace) -> dict[str, str]:
    """The remembered defaults; an absent or damaged file simply gives none."""
    try:
        data: Any = orjson.loads((workspace.state_dir / FILE_NAME).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in REMEMBERED and isinstance(v, str)}


def remember(workspace: Workspace, values: dict[str, str]) -> None:
    """Keep the remembered fields of ``values`` for next time (a field left empty keeps what
    was remembered); failure to write is not an error."""
    data = load(workspace)
    data.update({k: str(v) for k, v in values.items() if k in REMEMBERED and v})
    workspace.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        write_atomic(
            workspace.state_dir / FILE_NAME, orjson.dumps(data, option=orjson.OPT_INDENT_2)
        )
