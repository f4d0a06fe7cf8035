"""One editor per session: an OS-level lock beside the session file that a killed holder frees.

The lock lives in the session file's own folder (``.<session-id>.lock``, hidden, 0600), so
every path to the file meets it: another workspace path, a symlinked folder, a link to the
file itself, and a workspace whose ``.observe/`` was deleted while the session was open.
"""

from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock, Timeout

from observe.core.errors import ObserveError, SessionLocked, UsageError

LOCK_PREFIX = "."
LOCK_SUFFIX = ".lock"


def lock_path(session_file: Path, session_id: str) -> Path:
    """Where the lock of the session ``session_id`` stored at ``session_file`` lives."""
    name = f"{LOCK_PREFIX}{session_id}{LOCK_SUFFIX}"
    # Checked here too, whatever the models accept: a lock is never made outside the folder.
    if not session_id or "/" in session_id or os.sep in session_id or "\0" in session_id:
        raise UsageError(f"session id {session_id[:40]!r} cannot name a lock file")
    if len(name.encode()) > 255 or session_id.startswith("."):
        raise UsageError(f"session id {session_id[:40]!r} cannot name a lock file")
    # The real folder: links to the folder or to the file all lead to one lock.
    return Path(os.path.realpath(session_file)).parent / name


def is_lock(path: Path) -> bool:
    return path.name.startswith(LOCK_PREFIX) and path.name.endswith(LOCK_SUFFIX)


class SessionLock:
    def __init__(self, session_file: Path, session_id: str, label: str = "") -> None:
        self.path = lock_path(session_file, session_id)
        self.label = label or session_id[:8]
        # FileLock (flock) rather than SoftFileLock: the kernel releases it when the holder dies.
        self._lock = FileLock(self.path, mode=0o600, thread_local=False)

    def acquire(self) -> SessionLock:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise SessionLocked(
                f"session {self.label} is already open in another observe window;"
                " close it there first"
            ) from None
        except OSError as exc:  # a read-only folder, or something squatting the lock's name
            raise ObserveError(
                f"session {self.label}: cannot take its lock {self.path.name}:"
                f" {exc.strerror or exc}"
            ) from None
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def __enter__(self) -> SessionLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
