"""Session repository: find, create, list and open (locked) the sessions of a workspace.

``Repository`` is the workspace's view of its session files; what it opens or creates is an
``OpenSession`` (observe/store/open_session.py), one session held for editing under its lock.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from observe.core.errors import (
    NotFound,
    NotWritable,
    ObserveError,
    SessionUnreadable,
    UsageError,
)
from observe.core.models import Framework, Meta, Session
from observe.core.readfile import read_regular
from observe.core.record import SessionRecord
from observe.store import codec, files
from observe.store.atomic import clean_temp_files
from observe.store.lock import SessionLock
from observe.store.open_session import Clock, OpenSession
from observe.store.session_tables import SessionTables
from observe.store.workspace import Workspace

__all__ = ["Clock", "OpenSession", "Repository", "local_now"]


def local_now() -> datetime:
    return datetime.now().astimezone()


class Repository:
    def __init__(self, workspace: Workspace, clock: Clock = local_now) -> None:
        self.workspace = workspace
        self.folder = workspace.sessions_dir
        self.clock = clock

    def clean(self) -> list[Path]:
        """Remove temp files a crash left in sessions/ and .observe/ (run at start)."""
        return clean_temp_files(self.folder) + clean_temp_files(self.workspace.state_dir)

    def paths(self) -> list[Path]:
        return files.session_files(self.folder)

    def interrupted(self) -> list[Path]:
        """Sessions whose editor stopped without closing them (a crash, a kill, a power cut).

        Opening a session leaves a marker named by its id in .observe/open/ that a clean close
        removes; a marker whose session lock is free belongs to an editor that is gone.
        """
        found = []
        for marker in sorted(self.workspace.open_dir.glob("*")):
            if len(marker.name) < 8 or marker.name.endswith(files.SUFFIX):
                marker.unlink(missing_ok=True)  # no session id: find() would take it as a path
                continue
            try:
                path = self.find(marker.name)
                lock = SessionLock(path, marker.name)
            except ObserveError:  # the session is gone, or the marker names none
                marker.unlink(missing_ok=True)
                continue
            try:
                lock.acquire()
            except ObserveError:
                continue  # open right now in another window, or its lock cannot be taken
            lock.release()
            found.append(path)
        return found

    # ------------------------------------------------------------ creating and finding

    def create(
        self,
        meta: Meta,
        framework: Framework,
        *,
        session_id: str | None = None,
        start_clock: bool = True,
        write: bool = True,
    ) -> OpenSession:
        """A new session, returned open (locked) for editing; its file is written now, or
        (``write=False``) by the first ``save``, on the owner's writer thread."""
        now = self.clock()
        fields: dict[str, Any] = {
            "meta": meta,
            "framework": framework.snapshot(),
            "created_at": now,
            "updated_at": now,
        }
        if session_id:
            fields["id"] = session_id
        session = Session(**fields)
        if start_clock:
            session.clock.started_at = now
        path = self.folder / files.file_name(session)
        if path.exists():
            raise UsageError(f"{path.name} already exists")
        lock = _acquire(path, session.id)
        try:
            opened = OpenSession(
                path,
                lock,
                SessionRecord(session=session),
                SessionTables.new(session),
                self.clock,
                open_dir=self.workspace.open_dir,
                written=False,
            )
        except BaseException:
            lock.release()
            raise
        if write:
            try:
                opened.save()
            except BaseException:
                opened.close()
                raise
        return opened

    def find(self, key: str) -> Path:
        """The file of the session whose id is ``key`` or starts with it (at least 4 characters)."""
        candidate = Path(key.strip())  # a path keeps its case; only an id is lowercased
        if candidate.suffix == files.SUFFIX and candidate.exists():
            return candidate
        key = key.strip().lower()
        if len(key) < 4:
            raise UsageError("give at least 4 characters of the session id")
        # By the id inside each file, as the index read it: a file's name may say otherwise
        # (renamed by hand, written by a script), and the listing shows what is inside.
        from observe.store.index import Index

        matches = [
            self.folder / entry.name
            for entry in Index(self.workspace).refresh()
            if entry.ok and entry.id.startswith(key)
        ]
        if not matches:
            raise NotFound(f"no session with id {key!r} in {self.folder}")
        if len(matches) > 1:
            names = ", ".join(p.name for p in matches[:5])
            raise UsageError(f"session id {key!r} is ambiguous: {names}")
        return matches[0]

    def load(self, path: Path) -> SessionRecord:
        """Read-only: the validated session, or SessionUnreadable."""
        return files.read_record(path)

    def open(self, path: Path) -> OpenSession:
        """Hold a session for editing; refused if held elsewhere or unreadable."""
        record, _, _ = codec.decode(_read(path), path.name)
        lock = _acquire(path, record.session.id, path.name)
        try:
            # Re-read under the lock: the holder we waited out may have written since.
            record, draft, tables, old = codec.decode_stale(_read(path), path.name)
            return OpenSession(
                path,
                lock,
                record,
                SessionTables(tables),
                self.clock,
                draft=draft,
                open_dir=self.workspace.open_dir,
                written=not old,  # a file of an older schema is written again, migrated
            )
        except BaseException:
            lock.release()
            raise


def _acquire(path: Path, session_id: str, label: str = "") -> SessionLock:
    """The session's lock (beside its file); a folder that cannot be written, said in words."""
    if not os.access(path.parent, os.W_OK):  # EROFS on a read-only mount, even for root
        raise NotWritable(f"cannot edit sessions in {path.parent}: the folder is read-only")
    return SessionLock(path, session_id, label).acquire()


def _read(path: Path) -> bytes:
    try:
        return read_regular(path, files.MAX_SESSION_BYTES)
    except FileNotFoundError:
        raise NotFound(f"{path.name}: no such session file") from None
    except OSError as exc:
        raise SessionUnreadable(f"{path.name}: cannot read: {exc.strerror or exc}") from None
