"""One session held for editing under its lock: changed in memory, written whole.

``OpenSession`` is what ``Repository.open`` and ``Repository.create`` return: the session in
memory and its file, written whole and atomically by ``save`` (the one-step methods change and
save). Every change bumps the changed document's ``rev``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from observe.core.actions import FollowUp
from observe.core.answers import furthest, progress
from observe.core.errors import NotFound, UsageError
from observe.core.models import FacilitatorSummary, Note, Rating, Response, Session, Status
from observe.core.placed import places, put
from observe.core.record import SessionRecord
from observe.store.lock import SessionLock
from observe.store.open_markers import leave_marker
from observe.store.session_tables import SessionTables, write_parts

Clock = Callable[[], datetime]
Doc = TypeVar("Doc", Note, Rating, FacilitatorSummary, Response, FollowUp)
LISTS = ("notes", "ratings", "summaries", "responses", "followups")  # a record's lists of documents


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
        self._places = {kind: places(getattr(record, kind)) for kind in LISTS}  # ids' places
        self._tables = tables
        self._draft = draft
        self._mutex = threading.RLock()
        self._write_mutex = threading.Lock()
        self._depth = 0
        self.changes = 0 if written else 1  # a new session's first write is still to come
        self.saved = 0
        self.closed = False
        self._marker = leave_marker(open_dir, record.session.id) if open_dir else None

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
                summaries=list(self._record.summaries),
                responses=list(self._record.responses),
                followups=list(self._record.followups),
            )

    @property
    def draft(self) -> str:
        return self._draft

    @property
    def pending(self) -> int:
        """Changes made in memory and not yet in the file."""
        return self.changes - self.saved

    def note(self, note_id: str) -> Note:
        i = self._places["notes"].get(note_id)
        if i is None:
            raise NotFound(f"no note {note_id}")
        return self._record.notes[i]

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

    def _put(self, kind: str, doc: Any) -> None:
        put(getattr(self._record, kind), self._places[kind], doc)

    def _apply(self, table: str, doc: Doc) -> Doc:
        """``doc`` as given (new, or replacing the document with its id), in memory."""
        with self.change():
            self._tables.put(doc)
            self._put(table, doc)
        return doc

    def apply_note(self, note: Note) -> Note:
        return self._apply("notes", note)

    def apply_rating(self, rating: Rating) -> Rating:
        return self._apply("ratings", rating)

    def apply_summary(self, summary: FacilitatorSummary) -> FacilitatorSummary:
        """The observer's summary of one facilitator (its own document)."""
        return self._apply("summaries", summary)

    def apply_response(self, response: Response) -> Response:
        """A facilitator's response, as given (its own document). Once every facilitator has
        acknowledged a shared session, its status says so too, at the same rev: a merge
        moves every copy there (the status only goes forward), so no conflict is made."""
        with self.change():
            self._apply("responses", response)
            session = self.session
            people = (p.id for p in session.meta.facilitators)
            status = progress(session.status, people, self._record.responses)
            if status is not session.status:
                self.apply_session(session.model_copy(update={"status": status}))
        return response

    def apply_followup(self, followup: FollowUp) -> FollowUp:
        return self._apply("followups", followup)

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

    def _facilitator(self, facilitator: str) -> None:
        if all(p.id != facilitator for p in self.session.meta.facilitators):
            raise UsageError(f"{facilitator!r} is not a facilitator of this session")

    def summarised(self, facilitator: str, **fields: str) -> FacilitatorSummary:
        """The observer's summary of a facilitator with ``fields`` changed, at its next rev."""
        self._facilitator(facilitator)
        old = self._record.summary(facilitator)
        stored = any(s.facilitator == facilitator for s in self._record.summaries)
        return old.model_copy(update={**fields, "rev": old.rev + 1 if stored else old.rev})

    def answered(self, facilitator: str, given: Response) -> Response | None:
        """``given`` as the facilitator's stored response (its id, its next rev), or None when
        it changes nothing. An acknowledgement once stored stays: it is never taken back."""
        self._facilitator(facilitator)
        old = self._record.response(facilitator)
        stored = any(r.facilitator == facilitator for r in self._record.responses)
        new = given.model_copy(
            deep=True, update={"id": old.id, "facilitator": facilitator, "rev": old.rev}
        )
        if old.acknowledged and not new.acknowledged:
            new.acknowledged, new.acknowledged_at = True, old.acknowledged_at
        if (stored and new == old) or (not stored and not new.written):
            return None  # unchanged, or an empty response, which is no answer
        new.rev = old.rev + 1 if stored else old.rev
        return new

    def updated(self, **changes: Any) -> Session:
        """The session document with top-level fields replaced (meta, clock, phases, ...)."""
        old = self.session
        data = old.model_dump(by_alias=False)
        data.update(changes)
        data["rev"] = old.rev + 1
        data["updated_at"] = self.clock()
        return Session.model_validate(data)

    def status_changes(self, status: Status) -> dict[str, Any]:
        """The fields that move the session on to ``status``; never back (a status only goes
        forward: in progress, completed, shared, acknowledged)."""
        status = furthest(self.session.status, status)
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
                parts = self._tables.parts()
            write_parts(self.path, parts)
            with self._mutex:
                self.saved = max(self.saved, target)
            return True

    def write_copy(self, path: Path) -> None:
        """A complete session file at ``path`` (atomic, 0600) with every change in memory."""
        with self._mutex:
            parts = self._tables.parts()
        write_parts(path, parts)

    # ------------------------------------------------------------ change and save at once

    def put_note(self, note: Note) -> Note:
        self.apply_note(note)
        self.save()
        return note

    add_note = put_note

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

    def put_summary(self, facilitator: str, **fields: str) -> FacilitatorSummary:
        """Change the observer's summary of a facilitator (strengths, development, summary)."""
        with self._mutex:
            summary = self.apply_summary(self.summarised(facilitator, **fields))
        self.save()
        return summary

    def put_response(self, facilitator: str, response: Response) -> Response:
        """Store a facilitator's response (see ``answered``); the stored one is returned."""
        with self._mutex:
            new = self.answered(facilitator, response)
            if new is not None:
                self.apply_response(new)
        self.save()
        return self._record.response(facilitator)

    def put_session(self, session: Session) -> Session:
        self.apply_session(session)
        self.save()
        return session

    def update(self, **changes: Any) -> Session:
        """Replace top-level fields of the session document (meta, clock, phases, ...)."""
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
