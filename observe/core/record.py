"""A whole session as held in memory, and which of its notes concern whom."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from pydantic import BaseModel

from observe.core.actions import FollowUp
from observe.core.answers import progress
from observe.core.models import (
    FacilitatorSummary,
    Note,
    Person,
    Rating,
    Response,
    Session,
    Status,
)


class SessionRecord(BaseModel):
    """A whole session as held in memory: the session document, its notes and ratings, and
    per facilitator the observer's summary and the facilitator's response."""

    session: Session
    notes: list[Note] = []
    ratings: list[Rating] = []
    summaries: list[FacilitatorSummary] = []
    responses: list[Response] = []
    followups: list[FollowUp] = []  # actions from earlier observations, followed up here

    @property
    def status(self) -> Status:
        """How far along the session is: its own status, or acknowledged by every facilitator."""
        people = (p.id for p in self.session.meta.facilitators)
        return progress(self.session.status, people, self.responses)

    def summary(self, facilitator: str) -> FacilitatorSummary:
        """The observer's summary of a facilitator (an empty one, not yet stored, if none)."""
        found = next((s for s in self.summaries if s.facilitator == facilitator), None)
        return found or FacilitatorSummary.new(self.session.id, facilitator)

    def response(self, facilitator: str) -> Response:
        """A facilitator's response (an empty one, not yet stored, if none)."""
        found = next((r for r in self.responses if r.facilitator == facilitator), None)
        return found or Response.new(self.session.id, facilitator)

    def followups_for(self, facilitator: str) -> list[FollowUp]:
        return [f for f in self.followups if f.facilitator == facilitator]

    def live_notes(self) -> list[Note]:
        return [n for n in self.notes if not n.deleted]

    def live_ratings(self) -> list[Rating]:
        """The ratings given (a cleared one is no rating)."""
        return [r for r in self.ratings if not r.deleted]

    def rating(self, facilitator: str, criterion: str) -> Rating | None:
        """The rating given, or None (never given, or cleared)."""
        found = self.rating_doc(facilitator, criterion)
        return None if found is None or found.deleted else found

    def rating_doc(self, facilitator: str, criterion: str) -> Rating | None:
        """The stored rating document, a cleared one included (its rev goes on from there)."""
        return next(
            (r for r in self.ratings if r.facilitator == facilitator and r.criterion == criterion),
            None,
        )

    def notes_for(self, criterion: str | None = None, facilitator: str | None = None) -> list[Note]:
        out = []
        for note in self.live_notes():
            if criterion is not None and criterion not in note.criteria:
                continue
            if facilitator is not None and not self.is_about(note, facilitator):
                continue
            out.append(note)
        return out

    def is_about(self, note: Note, facilitator: str) -> bool:
        return is_about(note, facilitator, self.session.meta.facilitators)


def is_about(note: Note, facilitator: str, people: Sequence[Person]) -> bool:
    """Whether a note belongs with this facilitator (their feedback, their rating's evidence)."""
    return why_about(note, facilitator, people) is not None


class Why:
    """Why a note goes into a facilitator's feedback (shown at wrap-up)."""

    CHOSEN = "chosen"  # the observer chose whose it is
    TAGGED = "tagged"  # @name in the note
    NAMED = "named"  # the facilitator's name in its text
    SHARED = "shared"  # about the session as a whole


def why_about(note: Note, facilitator: str, people: Sequence[Person]) -> str | None:
    """Why the note goes into this facilitator's feedback (a ``Why``), or None if it does not.

    The observer's choice at wrap-up decides when there is one. Otherwise a note tagged
    @someone is about them. An untagged note is about the session as a whole, unless, in a
    co-delivered session, it names some of the facilitators ("Tom moved between the rooms"):
    then it is theirs.
    """
    if note.feedback_for is not None:
        return Why.CHOSEN if facilitator in note.feedback_for else None
    if note.facilitators:
        return Why.TAGGED if facilitator in note.facilitators else None
    if len(people) < 2:
        return Why.SHARED
    named = {p.id for p in people if _name_pattern(p.name).search(note.text)}
    if not named:
        return Why.SHARED
    return Why.NAMED if facilitator in named else None


@functools.lru_cache(maxsize=256)
def _name_pattern(name: str) -> re.Pattern[str]:
    """A full or first name as a whole word, capitalised as written.

    Case matters: "Will", "Grace" or "Mark" are names, "they will reconvene" is not.
    """
    names = {name, name.split()[0]}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
