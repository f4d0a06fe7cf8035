"""The workspace's secret: the key behind people's pseudonymous codes.

It lives at the workspace's root (``pseudonym.key``), beside ``sessions/`` and ``criteria/``,
not in ``.observe/``: that folder is derived data that may be deleted, and a new key would
change every code. Made on first use (32 random bytes, as hex, 0600) and never replaced; a
bundle carries only session files, so the key never leaves with one. Copying the file to
another workspace (later: the team folder holds one) makes the codes the same there.
"""

from __future__ import annotations

import os
import secrets
import stat

from observe.core.errors import ObserveError, UsageError
from observe.core.pseudonyms import MIN_SECRET_BYTES
from observe.store.output import write_new
from observe.store.workspace import Workspace

SECRET_BYTES = 32
MAX_FILE_BYTES = 1024


class KeyCannotBeMade(ObserveError):
    """The workspace has no key and cannot hold one (a read-only folder)."""


def workspace_secret(workspace: Workspace) -> bytes:
    """The workspace's key, made now if it has none; UsageError (one line) if unreadable."""
    path = workspace.secret_path
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    try:
        write_new(path, secrets.token_bytes(SECRET_BYTES).hex().encode() + b"\n")
    except FileExistsError:  # another process made it first: theirs it is
        pass
    except OSError as exc:
        raise KeyCannotBeMade(
            f"cannot make {path} (the key of people's codes): {exc.strerror or exc}"
        ) from None
    return _read(path)


def _read(path: os.PathLike[str]) -> bytes:
    info = os.stat(path, follow_symlinks=False)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
        raise UsageError(f"{path} is not a key file (a small regular file); codes need it")
    with open(path, "rb") as handle:
        text = handle.read(MAX_FILE_BYTES).strip()
    try:
        key = bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) < MIN_SECRET_BYTES:
        raise UsageError(
            f"{path} does not hold a key (hex, {MIN_SECRET_BYTES}+ bytes); codes need it"
        )
    return key
