"""Crash-safe file writes and the TinyDB storage built on them.

TinyDB's own JSONStorage rewrites files in place and leaves them truncated when the process
is killed mid-write; every write here goes to a temp file in the same folder, is fsynced, and
replaces the old file with os.replace, after which the folder is fsynced too. A reader only
ever sees the old or the new version.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

FILE_MODE = 0o600
TEMP_PREFIX = ".tmp-"
TEMP_SUFFIX = ".partial"


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: afterwards the file is wholly old or wholly new."""
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX + path.name + ".", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


def is_temp(path: Path) -> bool:
    return path.name.startswith(TEMP_PREFIX) and path.name.endswith(TEMP_SUFFIX)


def clean_temp_files(folder: Path) -> list[Path]:
    """Remove what a crash mid-write left behind; the real files are untouched."""
    removed = []
    if not folder.is_dir():
        return removed
    for path in folder.glob(TEMP_PREFIX + "*" + TEMP_SUFFIX):
        with contextlib.suppress(OSError):
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
