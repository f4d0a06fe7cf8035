"""Session repository: create, find, open (locked) and change sessions on disk.

``Repository`` is the workspace's view of its session files; ``OpenSession`` is one session
held for editing under its lock: changed in memory, written whole and atomically by ``save``
(the one-step methods change and save). Every change bumps the changed document's ``rev``.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
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
from observe.core.models import (
    Framework,
    Meta,
    Note,
    Rating,
    Session,
    Status,
)
from observe.core.readfile import read_regular
from observe.core.record import SessionRecord
from observe.store import codec, files
from observe.store.atomic import clean_temp_files
from observe.store.codec import SessionTables
from observe.store.lock import SessionLock
from observe.store.workspace import Workspace

Clock = Callable[[], datetime]


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
        matches: list[Path] = []
        for path in self.paths():
            id8 = path.stem.rsplit("_", 1)[-1]
            if id8.startswith(key[:8]):
                if len(key) > 8:
                    try:
                        head = codec.parse_raw(read_regular(path, files.MAX_SESSION_BYTES))
                        doc = codec.session_doc(head)
                    except (SessionUnreadable, OSError):
                        continue
                    if not str(doc.get("id", "")).startswith(key):
                        continue
                matches.append(path)
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
            record, draft, tables = codec.decode(_read(path), path.name)
            return OpenSession(
                path,
                lock,
                record,
                SessionTables(tables),
                self.clock,
                draft=draft,
                open_dir=self.workspace.open_dir,
            )
        except BaseException:
            lock.release()
            raise


def write_marker(marker: Path) -> None:
    """An empty, private file: its name (the session id) is all crash recovery needs."""
    fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)  # a marker an older version left world-readable
    finally:
        os.close(fd)


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


def _replace_or_add(items: list[Any], item: Note | Rating) -> None:
    for i, existing in enumerate(items):
        if existing.id == item.id:
            items[i] = item
            return
    items.append(item)


class OpenSession:
    """One session held for editing under its lock: the session in memory, and its file.

    A change is made in memory first (the ``apply_*`` methods, instant, no disk), and ``save``
    writes the whole file from memory in one atomic write. A save that fails keeps every
    change in memory, still pending: the next save carries them all, so nothing acknowledged
    is dropped. The one-step methods (``add_note``, ``rate``, ``update``, ...) change and
    save; when their save fails they raise, and the change stays pending. Memory is guarded
    by a lock, so one thread (a screen's) may change it while another (a writer) saves.
    """

    def __init__(
        self,
        path: Path,
        lock: SessionLock,
        record: SessionRecord,
        tables: SessionTables,
        clock: Clock,
        draft: str = "",
        open_dir: Path | None = None,
        *,
        written: bool = True,
    ) -> None:
        self.path = path
        self.lock = lock
        self.clock = clock
        self._record = record
        self._tables = tables
        self._draft = draft
        self._mutex = threading.RLock()
        self._write_mutex = threading.Lock()
        self._depth = 0
        self.changes = 0 if written else 1  # a new session's first write is still to come
        self.saved = 0
        self.closed = False
        self._marker = open_dir / record.session.id if open_dir else None
        if self._marker is not None:
            # Only a hint for crash recovery: failing to leave it must not fail the open
            # (which would also leave the lock held).
            try:
                self._marker.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                write_marker(self._marker)
            except OSError:
                self._marker = None

    # ------------------------------------------------------------ reading (copies)

    @property
    def session(self) -> Session:
        return self._record.session

    @property
    def record(self) -> SessionRecord:
        """The session as it is in memory now: a copy whose lists no later change touches."""
        with self._mutex:
            return SessionRecord(
                session=self._record.session,
                notes=list(self._record.notes),
                ratings=list(self._record.ratings),
            )

    @property
    def draft(self) -> str:
        return self._draft

    @property
    def pending(self) -> int:
        """Changes made in memory and not yet in the file."""
        return self.changes - self.saved

    def note(self, note_id: str) -> Note:
        for note in self._record.notes:
            if note.id == note_id:
                return note
        raise NotFound(f"no note {note_id}")

    # ------------------------------------------------------------ changing memory

    @contextlib.contextmanager
    def change(self) -> Iterator[None]:
        """Group the changes made inside into one (one Enter: the note and the cleared draft)."""
        with self._mutex:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.changes += 1

    def apply_note(self, note: Note) -> Note:
        """``note`` as given (new, or replacing the note with its id), in memory."""
        with self.change():
            self._tables.put(note)
            _replace_or_add(self._record.notes, note)
        return note

    def apply_rating(self, rating: Rating) -> Rating:
        with self.change():
            self._tables.put(rating)
            _replace_or_add(self._record.ratings, rating)
        return rating

    def apply_session(self, session: Session) -> Session:
        with self.change():
            self._tables.put_session(session)
            self._record.session = session
        return session

    def apply_draft(self, text: str) -> None:
        with self._mutex:
            if text == self._draft:
                return
            with self.change():
                self._tables.put_draft(text, self.clock().isoformat())
                self._draft = text

    def edited(self, note_id: str, **changes: Any) -> Note:
        old = self.note(note_id)
        return old.model_copy(update={**changes, "rev": old.rev + 1})

    def rated(
        self,
        facilitator: str,
        criterion: str,
        level: int | None,
        *,
        comment: str | None = None,
        evidence: list[str] | None = None,
    ) -> Rating:
        """The rating of one facilitator on one criterion (``None``: not observed), as it
        would be after this change; UsageError says why a rating cannot be given."""
        framework = self.session.framework.content
        person = self.session.meta.facilitator(facilitator)
        if person is None:
            raise UsageError(f"{facilitator!r} is not a facilitator of this session")
        found = framework.criterion(criterion)
        if found is None:
            raise UsageError(f"no criterion {criterion!r} in {framework.id}")
        if level is not None and level not in framework.scale.values:
            raise UsageError(f"level {level} is not on the scale {framework.scale.values}")
        if level is None and not framework.scale.not_observed:
            raise UsageError(f"{framework.id} does not allow 'not observed'")
        old = self._record.rating_doc(person.id, found.id)
        now = self.clock()
        if old is None:
            return Rating(
                id=Rating.id_for(self.session.id, person.id, found.id),
                facilitator=person.id,
                criterion=found.id,
                level=level,
                comment=comment or "",
                evidence=evidence or [],
                at=now,
            )
        update: dict[str, Any] = {"level": level, "rev": old.rev + 1, "at": now, "deleted": False}
        if comment is not None:
            update["comment"] = comment
        if evidence is not None:
            update["evidence"] = evidence
        return old.model_copy(update=update)

    def updated(self, **changes: Any) -> Session:
        """The session document with top-level fields replaced (meta, summary, response, ...)."""
        old = self.session
        data = old.model_dump(by_alias=False)
        data.update(changes)
        data["rev"] = old.rev + 1
        data["updated_at"] = self.clock()
        return Session.model_validate(data)

    def status_changes(self, status: Status) -> dict[str, Any]:
        stamp: dict[str, Any] = {"status": status}
        now = self.clock()
        if status is Status.COMPLETED and self.session.completed_at is None:
            stamp["completed_at"] = now
        if status is Status.SHARED and self.session.shared_at is None:
            stamp["shared_at"] = now
        return stamp

    # ------------------------------------------------------------ writing

    def save(self) -> bool:
        """Write every pending change: the whole file from memory, atomically.

        True when something was written. On failure the error is raised and the changes
        stay pending (the file is wholly the old version, or wholly the new one when only
        the folder's fsync failed: then the next save writes the same again).
        """
        with self._write_mutex:
            with self._mutex:
                if self.saved >= self.changes:
                    return False
                target = self.changes
                tables = self._tables.snapshot()
            codec.write(self.path, tables)
            with self._mutex:
                self.saved = max(self.saved, target)
            return True

    def write_copy(self, path: Path) -> None:
        """A complete session file at ``path`` (atomic, 0600) with every change in memory."""
        with self._mutex:
            tables = self._tables.snapshot()
        codec.write(path, tables)

    # ------------------------------------------------------------ change and save at once

    def put_note(self, note: Note) -> Note:
        self.apply_note(note)
        self.save()
        return note

    def add_note(self, note: Note) -> Note:
        return self.put_note(note)

    def edit_note(self, note_id: str, **changes: Any) -> Note:
        return self.put_note(self.edited(note_id, **changes))

    def delete_note(self, note_id: str) -> Note:
        """Leave a tombstone: the note is hidden everywhere, and merges delete it elsewhere too."""
        return self.edit_note(note_id, deleted=True)

    def restore_note(self, note_id: str) -> Note:
        return self.edit_note(note_id, deleted=False)

    def put_rating(self, rating: Rating) -> Rating:
        self.apply_rating(rating)
        self.save()
        return rating

    def rate(
        self,
        facilitator: str,
        criterion: str,
        level: int | None,
        *,
        comment: str | None = None,
        evidence: list[str] | None = None,
    ) -> Rating:
        """Set the rating of one facilitator on one criterion (``None``: not observed)."""
        with self._mutex:
            rating = self.apply_rating(
                self.rated(facilitator, criterion, level, comment=comment, evidence=evidence)
            )
        self.save()
        return rating

    def put_session(self, session: Session) -> Session:
        self.apply_session(session)
        self.save()
        return session

    def update(self, **changes: Any) -> Session:
        """Replace top-level fields of the session document (meta, summary, response, ...)."""
        with self._mutex:
            session = self.apply_session(self.updated(**changes))
        self.save()
        return session

    def set_status(self, status: Status) -> Session:
        return self.update(**self.status_changes(status))

    def save_draft(self, text: str) -> None:
        self.apply_draft(text)
        self.save()

    # ------------------------------------------------------------ closing

    def close(self) -> None:
        """Let go of the session (its lock and its open-marker). Pending changes are not
        written here: the owner decides, and asks before dropping any."""
        with self._mutex:
            if self.closed:
                return
            self.closed = True
        if self._marker is not None:
            self._marker.unlink(missing_ok=True)
        self.lock.release()

    def __enter__(self) -> OpenSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
