"""One editor per session: an OS-level lock that a killed holder frees."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from observe.core.errors import SessionLocked


class SessionLock:
    def __init__(self, locks_dir: Path, session_id: str, label: str = "") -> None:
        locks_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = locks_dir / f"{session_id}.lock"
        self.label = label or session_id[:8]
        # FileLock (flock) rather than SoftFileLock: the kernel releases it when the holder dies.
        self._lock = FileLock(self.path, mode=0o600, thread_local=False)

    def acquire(self) -> SessionLock:
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise SessionLocked(
                f"session {self.label} is already open in another observe window;"
                " close it there first"
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
