"""The live screens' view of an open session, kept on the UI thread.

Screens read and change this mirror at once and hand each change to the app's single writer,
so the UI never waits on the disk. Only the writer thread touches the ``OpenSession``.
"""

from __future__ import annotations

import weakref
from datetime import datetime

from observe.core.models import Clock, FacilitatorSummary, Note, Phase, Session, Status
from observe.core.notetext import ParsedNote, Vocabulary
from observe.core.record import is_about
from observe.store.repository import OpenSession
from observe.store.writer import Writer

_STATES: weakref.WeakKeyDictionary[OpenSession, SessionState] = weakref.WeakKeyDictionary()


def state_for(session: OpenSession, writer: Writer) -> SessionState:
    """One mirror per open session, shared by the live and wrap-up screens."""
    state = _STATES.get(session)
    if state is None:
        state = _STATES[session] = SessionState(session, writer)
    return state


class SessionState:
    def __init__(self, session: OpenSession, writer: Writer) -> None:
        self.open = session
        self.writer = writer
        record = session.record  # read once, before any write for it is queued
        self.session: Session = record.session.model_copy(deep=True)
        self.notes: list[Note] = [n.model_copy(deep=True) for n in record.notes]
        self.levels: dict[tuple[str, str], int | None] = {
            (r.facilitator, r.criterion): r.level for r in record.ratings
        }
        self.draft = session.draft
        self.vocab = Vocabulary.of(self.session.framework.content, self.session.meta)
        self.deleted: list[Note] = []  # tombstoned here, newest last, for undo
        self.selected = 0  # the facilitator being rated, the same on the live and wrap-up screens

    def now(self) -> datetime:
        return self.open.clock()

    @property
    def clock(self) -> Clock:
        return self.session.clock

    @property
    def phase(self) -> str:
        return self.session.phases[-1].name if self.session.phases else ""

    def live_notes(self) -> list[Note]:
        return [n for n in self.notes if not n.deleted]

    # ------------------------------------------------------------ notes

    def add_note(self, parsed: ParsedNote) -> Note:
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
        self.notes.append(note)
        self.writer.submit(self.open.put_note, note.model_copy(deep=True))
        return note

    def _replace(self, old: Note, **changes: object) -> Note:
        new = old.model_copy(update={**changes, "rev": old.rev + 1}, deep=True)
        self.notes[self.notes.index(old)] = new
        self.writer.submit(self.open.put_note, new.model_copy(deep=True))
        return new

    def edit_note(self, old: Note, parsed: ParsedNote) -> Note:
        return self._replace(
            old,
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
        self.deleted.append(gone)
        return gone

    def undo_delete(self) -> Note | None:
        while self.deleted:
            gone = self.deleted.pop()
            current = next((n for n in self.notes if n.id == gone.id), None)
            if current is not None and current.deleted:
                return self._replace(current, deleted=False)
        return None

    def save_draft(self, text: str) -> None:
        if text != self.draft:
            self.draft = text
            self.writer.submit(self.open.save_draft, text)

    # ------------------------------------------------------------ ratings

    def evidence(self, facilitator: str, criterion: str) -> list[str]:
        people = self.session.meta.facilitators
        return [
            n.id
            for n in self.live_notes()
            if criterion in n.criteria and is_about(n, facilitator, people)
        ]

    def level_for_key(self, key: int) -> int | None:
        """The level a digit key gives (0: not observed); ValueError says why a key gives none."""
        scale = self.session.framework.content.scale
        if key == 0:
            if not scale.not_observed:
                raise ValueError("This framework has no 'not observed'")
            return None
        if key not in scale.values:
            raise ValueError(f"The scale runs {scale.values[0]}-{scale.values[-1]}")
        return key

    def rate(self, facilitator: str, criterion: str, level: int | None) -> None:
        self.levels[(facilitator, criterion)] = level
        self.writer.submit(
            self.open.rate,
            facilitator,
            criterion,
            level,
            evidence=self.evidence(facilitator, criterion),
        )

    # ------------------------------------------------------------ the session document

    def _update(self, **changes: object) -> None:
        for key, value in changes.items():
            setattr(self.session, key, value)
        copies = {k: _deep(v) for k, v in changes.items()}
        self.writer.submit(self.open.update, **copies)

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

    def set_summary(self, facilitator: str, field: str, text: str) -> None:
        summary = {k: v.model_copy() for k, v in self.session.summary.items()}
        current = summary.get(facilitator, FacilitatorSummary())
        if getattr(current, field) == text:
            return
        summary[facilitator] = current.model_copy(update={field: text})
        self._update(summary=summary)

    def finish(self) -> None:
        if self.clock.started_at is not None and self.clock.paused_since is None:
            self.toggle_pause()  # the observation's length is fixed when it is finished
        self.session.status = Status.COMPLETED
        self.writer.submit(self.open.set_status, Status.COMPLETED)


def _deep(value: object) -> object:
    if isinstance(value, list):
        return [_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: _deep(v) for k, v in value.items()}
    if hasattr(value, "model_copy"):
        return value.model_copy(deep=True)  # type: ignore[attr-defined]
    return value
