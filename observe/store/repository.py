"""Session repository: create, find, open (locked) and change sessions on disk.

``Repository`` is the workspace's view of its session files; ``OpenSession`` is one session
held for editing under its lock. Every change bumps the changed document's ``rev`` and is on
disk (atomically) when the method returns.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from observe.core.errors import (
    NotFound,
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
from observe.store import files
from observe.store.atomic import AtomicStorage, clean_temp_files
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
    ) -> OpenSession:
        """A new session file, returned open (locked) for editing."""
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
        lock = SessionLock(path, session.id).acquire()
        try:
            db = TinyDB(path, storage=AtomicStorage)
            db.table(files.SESSION_TABLE).insert(session.dump())
        except BaseException:
            lock.release()
            raise
        return OpenSession(
            path,
            db,
            lock,
            SessionRecord(session=session),
            {},
            self.clock,
            open_dir=self.workspace.open_dir,
        )

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
                        head = files.parse_raw(read_regular(path, files.MAX_SESSION_BYTES))
                        doc = next(iter(head[files.SESSION_TABLE].values()))
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
        raw = files.parse_raw(_read(path), path.name)
        record = files.record_from_tables(raw)
        lock = SessionLock(path, record.session.id, path.name).acquire()
        try:
            # Re-read under the lock: the holder we waited out may have written since.
            raw = files.parse_raw(_read(path), path.name)
            record = files.record_from_tables(raw)
            db = TinyDB(path, storage=AtomicStorage, create=False)
        except BaseException:
            lock.release()
            raise
        return OpenSession(
            path,
            db,
            lock,
            record,
            files.doc_ids(raw),
            self.clock,
            draft=files.read_draft(raw),
            open_dir=self.workspace.open_dir,
        )


def write_marker(marker: Path) -> None:
    """An empty, private file: its name (the session id) is all crash recovery needs."""
    fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)  # a marker an older version left world-readable
    finally:
        os.close(fd)


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
    """One session held for editing. Methods are safe to call from a single writer thread."""

    def __init__(
        self,
        path: Path,
        db: TinyDB,
        lock: SessionLock,
        record: SessionRecord,
        doc_ids: dict[str, dict[str, int]],
        clock: Clock,
        draft: str = "",
        open_dir: Path | None = None,
    ) -> None:
        self.path = path
        self.db = db
        self.lock = lock
        self.record = record
        self.clock = clock
        self.draft = draft
        self._doc_ids = {
            files.NOTES_TABLE: dict(doc_ids.get(files.NOTES_TABLE, {})),
            files.RATINGS_TABLE: dict(doc_ids.get(files.RATINGS_TABLE, {})),
        }
        self._mutex = threading.RLock()
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

    @property
    def session(self) -> Session:
        return self.record.session

    # ------------------------------------------------------------ low level: upsert by id

    def _put(self, table: str, doc: dict[str, Any]) -> None:
        ids = self._doc_ids[table]
        target = self.db.table(table, cache_size=0)
        try:
            if doc["id"] in ids:
                target.upsert(Document(doc, doc_id=ids[doc["id"]]))
            else:
                ids[doc["id"]] = target.insert(doc)
        except BaseException:
            self._resync()
            raise

    def _resync(self) -> None:
        """After a failed save memory matches the disk again: a save can fail after the
        replace (the folder's fsync), and a retry must then update the note, not add a twin."""
        try:
            data = self.db.storage.read() or {}
            self.record, self._doc_ids = files.record_from_tables(data), files.doc_ids(data)
        except Exception:  # the save's own error is the one worth reporting
            return

    def put_note(self, note: Note) -> Note:
        """Store ``note`` as given (new, or replacing the note with its id)."""
        with self._mutex:
            self._put(files.NOTES_TABLE, note.dump())
            _replace_or_add(self.record.notes, note)
        return note

    def put_rating(self, rating: Rating) -> Rating:
        with self._mutex:
            self._put(files.RATINGS_TABLE, rating.dump())
            _replace_or_add(self.record.ratings, rating)
        return rating

    def put_session(self, session: Session) -> Session:
        with self._mutex:
            table = self.db.table(files.SESSION_TABLE, cache_size=0)
            try:
                table.upsert(Document(session.dump(), doc_id=1))
            except BaseException:
                self._resync()
                raise
            self.record.session = session
        return session

    # ------------------------------------------------------------ notes

    def add_note(self, note: Note) -> Note:
        return self.put_note(note)

    def note(self, note_id: str) -> Note:
        for note in self.record.notes:
            if note.id == note_id:
                return note
        raise NotFound(f"no note {note_id}")

    def edit_note(self, note_id: str, **changes: Any) -> Note:
        with self._mutex:
            old = self.note(note_id)
            return self.put_note(old.model_copy(update={**changes, "rev": old.rev + 1}))

    def delete_note(self, note_id: str) -> Note:
        """Leave a tombstone: the note is hidden everywhere, and merges delete it elsewhere too."""
        return self.edit_note(note_id, deleted=True)

    def restore_note(self, note_id: str) -> Note:
        return self.edit_note(note_id, deleted=False)

    # ------------------------------------------------------------ ratings

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
        framework = self.session.framework.content
        person = self.session.meta.facilitator(facilitator)
        if person is None:
            raise UsageError(f"{facilitator!r} is not a facilitator of this session")
        facilitator = person.id
        found = framework.criterion(criterion)
        if found is None:
            raise UsageError(f"no criterion {criterion!r} in {framework.id}")
        if level is not None and level not in framework.scale.values:
            raise UsageError(f"level {level} is not on the scale {framework.scale.values}")
        if level is None and not framework.scale.not_observed:
            raise UsageError(f"{framework.id} does not allow 'not observed'")
        with self._mutex:
            old = self.record.rating(facilitator, found.id)
            now = self.clock()
            if old is None:
                rating = Rating(
                    id=Rating.id_for(self.session.id, facilitator, found.id),
                    facilitator=facilitator,
                    criterion=found.id,
                    level=level,
                    comment=comment or "",
                    evidence=evidence or [],
                    at=now,
                )
            else:
                update: dict[str, Any] = {"level": level, "rev": old.rev + 1, "at": now}
                if comment is not None:
                    update["comment"] = comment
                if evidence is not None:
                    update["evidence"] = evidence
                rating = old.model_copy(update=update)
            return self.put_rating(rating)

    # ------------------------------------------------------------ the session document

    def update(self, **changes: Any) -> Session:
        """Replace top-level fields of the session document (meta, summary, response, ...)."""
        with self._mutex:
            old = self.session
            data = old.model_dump(by_alias=False)
            data.update(changes)
            data["rev"] = old.rev + 1
            data["updated_at"] = self.clock()
            return self.put_session(Session.model_validate(data))

    def set_status(self, status: Status) -> Session:
        stamp: dict[str, Any] = {"status": status}
        now = self.clock()
        if status is Status.COMPLETED and self.session.completed_at is None:
            stamp["completed_at"] = now
        if status is Status.SHARED and self.session.shared_at is None:
            stamp["shared_at"] = now
        return self.update(**stamp)

    # ------------------------------------------------------------ draft of the note being typed

    def save_draft(self, text: str) -> None:
        with self._mutex:
            if text == self.draft:
                return
            table = self.db.table(files.DRAFT_TABLE, cache_size=0)
            table.upsert(Document({"text": text, "at": self.clock().isoformat()}, doc_id=1))
            self.draft = text

    # ------------------------------------------------------------ closing

    def close(self) -> None:
        with self._mutex:
            if self.closed:
                return
            self.closed = True
            self.db.close()
            if self._marker is not None:
                self._marker.unlink(missing_ok=True)
            self.lock.release()

    def __enter__(self) -> OpenSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
