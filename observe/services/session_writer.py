"""The one thread that writes an open session's file, and how its writes stand.

``SessionWriter`` writes an ``OpenSession`` from memory whenever it has changes pending,
on its own thread. A write that fails keeps every change in memory: the thread tries again
after a pause that grows (RETRY_S) and at once when another change comes; each write is the
whole file from memory, so it carries everything. ``state`` says how many changes wait and
why. Nothing is dropped unless ``abandon`` is called.
"""

from __future__ import annotations

import errno
import logging
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from observe.store.open_session import OpenSession

log = logging.getLogger(__name__)

RETRY_S = (0.5, 1.0, 2.0, 4.0, 8.0)  # pauses between tries of a failing write, then the last


@dataclass(frozen=True)
class SaveState:
    """How the session's file stands: changes not yet written, and why, if a write failed."""

    pending: int = 0
    error: str = ""

    @property
    def failing(self) -> bool:
        return self.pending > 0 and bool(self.error)


def reason(error: BaseException) -> str:
    """A failed write in a few words a person can act on."""
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return "the disk is full"
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "the sessions folder cannot be written"
        return error.strerror or str(error)
    return str(error) or type(error).__name__


class SessionWriter:
    """The writer thread of one open session: started here, ended by ``close`` or ``abandon``."""

    def __init__(self, session: OpenSession) -> None:
        self._open = session
        self.path = session.path
        self._cond = threading.Condition()
        self._hurry = False
        self._stopping = False
        self._closing = False
        self.closed = False
        self._failures = 0  # failed writes in a row
        self._failed_total = 0
        self.state = SaveState(pending=session.pending)
        self._thread = threading.Thread(target=self._run, name="observe-writer", daemon=True)
        self._thread.start()
        if session.pending:
            self.wake()

    def wake(self) -> None:
        """A change was made in memory: write it soon (at once unless a write is in flight)."""
        if self.closed:  # a change nobody would write: a bug to hear about, not a silent loss
            raise RuntimeError(f"{self.path.name} is closed: the change was not kept")
        with self._cond:
            self._hurry = True
            self.state = SaveState(self._open.pending, self.state.error)
            self._cond.notify_all()

    def _wait_for_work(self) -> bool:
        """Under the condition: wait until a write is due; False when the thread should end."""
        pause = RETRY_S[min(self._failures, len(RETRY_S)) - 1] if self._failures else 0.0
        due = time.monotonic() + pause
        while not self._stopping:
            if self._open.pending == 0:
                if self._closing:
                    return False
                self._cond.wait()
                continue
            if self._hurry or time.monotonic() >= due:
                self._hurry = False
                return True
            self._cond.wait(due - time.monotonic())
        return False

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._wait_for_work():
                    break
            try:
                self._open.save()
            except Exception as exc:  # kept in memory, reported, and tried again
                if not self._failures:  # once a streak: a full disk fails every retry
                    log.warning("writing %s failed: %s", self.path.name, exc)
                with self._cond:
                    self._failures += 1
                    self._failed_total += 1
                    self.state = SaveState(self._open.pending, reason(exc))
                    self._cond.notify_all()
                continue
            with self._cond:
                self._failures = 0
                self.state = SaveState(self._open.pending)
                self._cond.notify_all()
        if self._closing and not self._stopping:
            self._open.close()
            self.closed = True

    def flush(self, timeout: float = 10.0) -> bool:
        """Write every change made so far, now; False if the write failed or took too long."""
        end = time.monotonic() + timeout
        with self._cond:
            target = self._open.changes
            failed = self._failed_total
            self._hurry = True
            self._cond.notify_all()
            while self._open.saved < target:
                remaining = end - time.monotonic()
                if self._failed_total > failed or remaining <= 0 or not self._thread.is_alive():
                    return False
                self._cond.wait(remaining)
        return True

    def close(self, timeout: float = 5.0) -> bool:
        """Write what is pending, then let the session go (its lock, its thread). If the write
        fails the session stays open and the thread keeps trying; False says so."""
        if self.closed:
            return True
        saved = self.flush(timeout)
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        if saved:
            self._thread.join(timeout)
        return self.closed

    def keep_open(self) -> bool:
        """Opened again before a pending close finished: keep it open. False if closed."""
        with self._cond:
            if self.closed or not self._thread.is_alive():
                return False
            self._closing = False
            return True

    def abandon(self) -> int:
        """Let the session go without writing what is pending (the person said to lose it);
        the number of changes lost."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join(5.0)
        lost = self._open.pending
        if not self.closed:
            self._open.close()
            self.closed = True
        return lost


def emergency_folders() -> Iterator[Path]:
    """Where unsaved sessions go when their own folder will not take them: the user's data
    folder, then the temp folder."""
    try:
        from platformdirs import user_data_path

        yield user_data_path("observe") / "unsaved"
    except Exception:  # no home folder: the temp folder still serves
        log.debug("no user data folder")
    yield Path(tempfile.gettempdir()) / "observe-unsaved"
