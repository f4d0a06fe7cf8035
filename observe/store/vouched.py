"""The index's rows of agreed actions, vouched for against their files before they are counted.

The index (``observe.store.index``) is derived data a person can edit by hand, so collation
does not count its rows of actions on trust. A row set is counted as the index holds it when
this workspace once read the same rows from the file itself, at the file's present size and
mtime: a keyed digest (HMAC with the workspace's key, ``observe.store.secret``) of the file's
name, stat and rows is kept in ``.observe/vouched.json``. Any other row set is read again from
its file (``observe.store.agreed.read_file``) and the file's rows are counted instead. Only
the few files that changed since their rows were vouched for are read: thousands of sessions
cost a digest each.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson

from observe.store.agreed import read_file, rows_of
from observe.store.atomic import write_atomic
from observe.store.index import Entry
from observe.store.workspace import Workspace

FILE = "vouched.json"
VERSION = 1


def _digest(secret: bytes, name: str, size: int, mtime_ns: int, rows: Any) -> str:
    body = orjson.dumps([name, size, mtime_ns, rows])
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def _load(path: Path) -> dict[str, str]:
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    kept = data.get("digests")
    if not isinstance(kept, dict):
        return {}
    return {k: v for k, v in kept.items() if isinstance(k, str) and isinstance(v, str)}


def vouched(workspace: Workspace, entries: Iterable[Entry], secret: bytes) -> list[Entry]:
    """The entries with their rows of actions as their files hold them: an entry whose rows
    this workspace has not vouched for at the file's present stat is given the file's rows
    (none when the file cannot be read)."""
    path = workspace.state_dir / FILE
    kept = _load(path)
    fresh: dict[str, str] = {}
    out: list[Entry] = []
    changed = False
    for entry in entries:
        if not entry.ok or not entry.actions:
            out.append(entry)
            continue
        digest = _digest(secret, entry.name, entry.size, entry.mtime_ns, entry.actions)
        if hmac.compare_digest(kept.get(entry.name, ""), digest):
            fresh[entry.name] = digest
            out.append(entry)
            continue
        entry = _from_file(workspace, entry)
        if entry.actions:  # none: nothing to vouch for, and an empty set is never trusted
            fresh[entry.name] = _digest(
                secret, entry.name, entry.size, entry.mtime_ns, entry.actions
            )
        changed = True
        out.append(entry)
    if changed or fresh.keys() != kept.keys():
        with contextlib.suppress(OSError):  # a read-only workspace reads the files each time
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(path, orjson.dumps({"version": VERSION, "digests": fresh}))
    return out


def _from_file(workspace: Workspace, entry: Entry) -> Entry:
    """The entry with its file's rows, and the stat they were read at."""
    file = workspace.sessions_dir / entry.name
    try:
        stat = os.lstat(file)
    except OSError:
        return replace(entry, actions=[])
    held = read_file(file)
    rows = rows_of(held[3]) if held is not None else []
    return replace(entry, actions=rows, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
