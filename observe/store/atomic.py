"""Crash-safe file writes and the TinyDB storage built on them.

TinyDB's own JSONStorage rewrites files in place and leaves them truncated when the process
is killed mid-write; every write here goes to a temp file in the same folder, is fsynced, and
replaces the old file with os.replace, after which the folder is fsynced too. A reader only
ever sees the old or the new version.

A temp file's name carries its writer's pid (``.tmp-<name>.<pid>.<random>.partial``), so a
clean-up removes only what no live process is still writing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

FILE_MODE = 0o600
TEMP_PREFIX = ".tmp-"
TEMP_SUFFIX = ".partial"
# A temp file named without its writer's pid (an older version's) is taken as abandoned once
# it is this old: a write lasts milliseconds.
UNOWNED_STALE_S = 300


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_prefix(path: Path) -> str:
    """The start of a temp file's name for ``path``: it names the writing process."""
    return f"{TEMP_PREFIX}{path.name}.{os.getpid()}."


def write_temp(path: Path, data: bytes) -> str:
    """``data`` in a new private temp file beside ``path``, on disk (fsync'd): its path."""
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: afterwards the file is wholly old or wholly new."""
    tmp = write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def is_temp(path: Path) -> bool:
    return path.name.startswith(TEMP_PREFIX) and path.name.endswith(TEMP_SUFFIX)


def temp_owner(name: str) -> int | None:
    """The pid in a temp file's name, or None for a name without one."""
    core = name[len(TEMP_PREFIX) : -len(TEMP_SUFFIX)]
    parts = core.rsplit(".", 2)  # target name, pid, random part
    if len(parts) == 3 and parts[1].isascii() and parts[1].isdigit():
        return int(parts[1])
    return None


def process_alive(pid: int) -> bool:
    if pid <= 0:  # 0 and negatives would name process groups
        return False
    try:
        os.kill(pid, 0)
    except PermissionError:  # alive, someone else's
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return True


def clean_temp_files(folder: Path) -> list[Path]:
    """Remove what a crash mid-write left behind; the real files are untouched.

    A temp file whose writer is still alive stays (it may be renamed into place any moment),
    as does a pid-less one younger than ``UNOWNED_STALE_S``.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    now = time.time()
    for path in folder.glob(TEMP_PREFIX + "*" + TEMP_SUFFIX):
        pid = temp_owner(path.name)
        with contextlib.suppress(OSError):
            if pid is None:
                if now - path.lstat().st_mtime < UNOWNED_STALE_S:
                    continue
            elif process_alive(pid):
                continue
            path.unlink()
            removed.append(path)
    return removed


def dumps(data: Any) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


class AtomicStorage(Storage):
    """TinyDB storage: atomic writes, parsed data kept in memory between calls.

    The caller holds the session's lock, so nothing else writes the file while it is open;
    keeping the parsed data saves re-reading the file on every TinyDB operation. After a
    failed write the cache is dropped, so memory never runs ahead of the disk.
    """

    def __init__(self, path: str | os.PathLike[str], create: bool = True) -> None:
        self.path = Path(path)
        self._cache: dict[str, Any] | None = None
        self._create = create

    def read(self) -> dict[str, Any] | None:
        if self._cache is None:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                if not self._create:
                    raise
                return None
            self._cache = orjson.loads(raw) if raw.strip() else None
        return self._cache

    def write(self, data: dict[str, Any]) -> None:
        self._cache = None
        write_atomic(self.path, dumps(data))
        self._cache = data

    def close(self) -> None:
        self._cache = None
