"""One owner per open session: screens read from it and send every change through it.

The owner holds the session in memory (an ``OpenSession``) and its ``SessionWriter``
(observe/services/session_writer.py), the one thread that writes its file. A change is made
in memory at once (the screen never waits on the disk) and wakes the thread; changes made
while a write is in flight go together in the next write, and one Enter (the note and the
cleared draft) is one change, so one write.

A write that fails keeps every change in memory and is tried again (see the writer).
``save_state`` says how many changes wait and why, for the screens to show. Nothing is dropped
unless ``abandon`` is called, which the app does only when the person quitting has said so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from observe.core.actions import FollowUp, marked
from observe.core.choices import FollowUpMark
from observe.core.errors import UsageError
from observe.core.models import (
    Clock,
    FacilitatorSummary,
    Framework,
    Meta,
    Note,
    Phase,
    Response,
    Session,
    Status,
)
from observe.core.notetext import ParsedNote, Vocabulary
from observe.core.record import SessionRecord, is_about
from observe.services.rating_changes import RatingChange, RatingChanges
from observe.services.session_writer import SaveState, SessionWriter, emergency_folders
from observe.store.open_session import OpenSession
from observe.store.output import make_dirs
from observe.store.repository import Repository


class SessionOwner(RatingChanges):
    """The open session: immutable reads for the screens, changes in memory, one writer."""

    def __init__(self, session: OpenSession) -> None:
        self._open = session
        self.path = session.path
        self.vocab = Vocabulary.of(
            self.session.framework.content, self.session.meta, session.record.followups
        )
        self._deleted: list[Note] = []  # tombstoned here, newest last, for undo
        self._rated: list[RatingChange] = []  # newest last, for undo
        self.selected = 0  # the facilitator being rated, the same on the live and wrap-up screens
        self._writer = SessionWriter(session)  # last: its thread starts writing at once

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, repo: Repository, path: Path) -> SessionOwner:
        return cls(repo.open(path))

    @classmethod
    def create(cls, repo: Repository, meta: Meta, framework: Framework) -> SessionOwner:
        """A new session; its file is written by the owner's thread, like any change. The
        facilitators' open actions from earlier observations come with it (follow-ups)."""
        from observe.services.followups import bring_forward

        opened = repo.create(meta, framework, write=False)
        bring_forward(opened, repo.workspace)
        return cls(opened)

    # ------------------------------------------------------------ reading

    @property
    def session(self) -> Session:
        """The session document now (never changed in place: a change makes a new one)."""
        return self._open.session

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(self._open.record.notes)

    @property
    def record(self) -> SessionRecord:
        """Everything now, in lists no later change touches (for the feedback, a report)."""
        return self._open.record

    @property
    def levels(self) -> Mapping[tuple[str, str], int | None]:
        return MappingProxyType(
            {(r.facilitator, r.criterion): r.level for r in self._open.record.live_ratings()}
        )

    @property
    def draft(self) -> str:
        return self._open.draft

    @property
    def status(self) -> Status:
        """How far along the session is (acknowledged once every facilitator has)."""
        return self._open.record.status

    def summary(self, facilitator: str) -> FacilitatorSummary:
        """The observer's summary of a facilitator (empty if none is written yet)."""
        return self._open.record.summary(facilitator)

    def response(self, facilitator: str) -> Response:
        """A facilitator's response (empty if none is written yet)."""
        return self._open.record.response(facilitator)

    @property
    def clock(self) -> Clock:
        return self.session.clock

    @property
    def phase(self) -> str:
        phases = self.session.phases
        return phases[-1].name if phases else ""

    def now(self) -> datetime:
        return self._open.clock()

    def live_notes(self) -> list[Note]:
        return [n for n in self._open.record.notes if not n.deleted]

    def evidence(self, facilitator: str, criterion: str) -> list[str]:
        people = self.session.meta.facilitators
        return [
            n.id
            for n in self.live_notes()
            if criterion in n.criteria and is_about(n, facilitator, people)
        ]

    def level_for_key(self, key: int) -> int | None:
        """The level a digit key gives (0: not observed); ValueError says why a key gives none."""
        return self.session.framework.content.scale.level_for_key(key)

    @property
    def save_state(self) -> SaveState:
        return self._writer.state

    @property
    def pending(self) -> int:
        return self._open.pending

    # ------------------------------------------------------------ notes

    def add_note(self, parsed: ParsedNote, draft: str = "") -> Note:
        """A new note, and what the input holds after it: one change, one write."""
        now = self.now()
        note = Note(
            at=now,
            elapsed_s=round(self.clock.elapsed(now), 1),
            text=parsed.text,
            kind=parsed.kind,
            criteria=parsed.criteria,
            facilitators=parsed.facilitators,
            phase=self.phase,
        )
        with self._open.change():
            self._open.apply_note(note)
            self._open.apply_draft(draft)
        self._wake()
        return note

    def _replace(self, old: Note, **changes: object) -> Note:
        new = self._open.apply_note(old.model_copy(update={**changes, "rev": old.rev + 1}))
        self._wake()
        return new

    def edit_note(self, old: Note, parsed: ParsedNote) -> Note:
        return self._replace(
            self._open.note(old.id),
            text=parsed.text,
            kind=parsed.kind,
            criteria=parsed.criteria,
            facilitators=parsed.facilitators,
        )

    def delete_last(self) -> Note | None:
        live = self.live_notes()
        if not live:
            return None
        gone = self._replace(live[-1], deleted=True)
        self._deleted.append(gone)
        return gone

    def undo_delete(self) -> Note | None:
        while self._deleted:
            gone = self._deleted.pop()
            current = next((n for n in self._open.record.notes if n.id == gone.id), None)
            if current is not None and current.deleted:
                return self._replace(current, deleted=False)
        return None

    def set_feedback_for(self, note: Note, facilitators: list[str] | None) -> Note:
        """Whose feedback the note goes into (None: as its tags and names say)."""
        return self._replace(self._open.note(note.id), feedback_for=facilitators)

    def save_draft(self, text: str) -> None:
        if text != self._open.draft:
            self._open.apply_draft(text)
            self._wake()

    # ------------------------------------------------------------ ratings

    # ------------------------------------------------------------ the session document

    def _update(self, **changes: object) -> Session:
        session = self._open.apply_session(self._open.updated(**changes))
        self._wake()
        return session

    def toggle_pause(self) -> bool:
        """Pause or resume the timer; True when it is now paused."""
        now = self.now()
        clock = self.clock.model_copy()
        if clock.started_at is None:
            clock.started_at = now
        elif clock.paused_since is None:
            clock.paused_since = now
        else:
            clock.paused_s += (now - clock.paused_since).total_seconds()
            clock.paused_since = None
        self._update(clock=clock)
        return clock.paused_since is not None

    def start_phase(self, name: str) -> Phase:
        now = self.now()
        phase = Phase(name=name, at=now, elapsed_s=round(self.clock.elapsed(now), 1))
        self._update(phases=[*self.session.phases, phase])
        return phase

    @property
    def followups(self) -> tuple[FollowUp, ...]:
        """The actions from earlier observations followed up in this one (A1, A2, ...)."""
        return tuple(self._open.record.followups)

    def mark_followup(self, followup_id: str, mark: FollowUpMark | None) -> None:
        """The observer's mark on an action from last time (None clears it)."""
        found = next((f for f in self.followups if f.id == followup_id), None)
        if found is None:
            raise UsageError("no such action from last time")
        new = marked(found, mark)
        if new is not found:
            self._open.apply_followup(new)
            self._wake()

    def set_summary(self, facilitator: str, field: str, text: str) -> None:
        """One field of the observer's summary of a facilitator (its own document)."""
        if getattr(self.summary(facilitator), field) == text:
            return
        self._open.apply_summary(self._open.summarised(facilitator, **{field: text}))
        self._wake()

    def set_status(self, status: Status) -> None:
        self._update(**self._open.status_changes(status))

    def finish(self) -> None:
        with self._open.change():
            if self.clock.started_at is not None and self.clock.paused_since is None:
                self.toggle_pause()  # the observation's length is fixed when it is finished
            self.set_status(Status.COMPLETED)

    def set_responses(self, responses: Mapping[str, Response]) -> bool:
        """The facilitators' responses (facilitator id -> response), each its own document;
        one change, one write. An acknowledgement once stored stays: it is never taken back.
        Once shared, the session is acknowledged when every facilitator has acknowledged.
        False when nothing changed."""
        changed = [
            new
            for facilitator, given in responses.items()
            if (new := self._open.answered(facilitator, given)) is not None
        ]
        if not changed:
            return False
        with self._open.change():
            for response in changed:
                self._open.apply_response(response)
        self._wake()
        return True

    # ------------------------------------------------------------ writing and letting go

    def _wake(self) -> None:
        self._writer.wake()

    @property
    def closed(self) -> bool:
        return self._writer.closed

    def flush(self, timeout: float = 10.0) -> bool:
        """Write every change made so far, now; False if the write failed or took too long."""
        return self._writer.flush(timeout)

    def close(self, timeout: float = 5.0) -> bool:
        """Write what is pending, then let the session go (its lock, its thread). If the write
        fails the session stays open and the thread keeps trying; False says so."""
        return self._writer.close(timeout)

    def keep_open(self) -> bool:
        """Opened again before a pending close finished: keep it open. False if closed."""
        return self._writer.keep_open()

    def abandon(self) -> int:
        """Let the session go without writing what is pending (the person said to lose it);
        the number of changes lost."""
        return self._writer.abandon()

    def write_copy(self, folder: Path) -> Path:
        """A complete session file with every change in memory, in ``folder`` (atomic, 0600),
        under the session's own file name; never over an existing file."""
        target = folder / self.path.name
        if target.resolve() == self.path.resolve():
            raise ValueError("that is the session's own folder: choose another")
        if target.exists():
            raise FileExistsError(f"{target} already exists: choose another folder")
        self._open.write_copy(target)
        return target

    def write_emergency_copy(self, folders: Iterator[Path] | None = None) -> Path:
        """The session with every change in memory, in the first of ``folders`` that takes
        it, named by the session's id; the path written, or the last error raised."""
        error: OSError | None = None
        for folder in folders if folders is not None else emergency_folders():
            try:
                make_dirs(folder)  # every folder it makes is private, parents included
                target = folder / f"{self.session.id}.json"
                self._open.write_copy(target)
                return target
            except UsageError as exc:  # a file where a folder should be: try the next place
                error = OSError(str(exc))
            except OSError as exc:
                error = exc
        raise error or OSError("nowhere to write the session")
