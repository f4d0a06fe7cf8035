"""The closed sets of values a session's fields take (the JSON values are the file format)."""

from __future__ import annotations

from enum import StrEnum


class _Choice(StrEnum):
    @property
    def label(self) -> str:
        """In words: "in_person" reads "in person"."""
        return self.value.replace("_", " ")


class Mode(_Choice):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class Status(_Choice):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SHARED = "shared"
    ACKNOWLEDGED = "acknowledged"


class Consent(_Choice):
    """The facilitators' answer to being observed, recorded as asked (never assumed)."""

    GIVEN = "given"
    NOT_ASKED = "not_asked"
    DECLINED = "declined"


class NoteKind(_Choice):
    OBSERVATION = "observation"
    STRENGTH = "strength"
    DEVELOPMENT = "development"
    QUESTION = "question"
    QUOTE = "quote"


class ActionState(_Choice):
    """Where an agreed action stands; a closed one (done, dropped) is never reopened by a merge."""

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class FollowUpMark(_Choice):
    """What the observer saw of an action from last time (never inferred: the observer marks)."""

    SEEN = "seen"
    PARTLY = "partly"
    NOT_YET = "not_yet"
    NO_CHANCE = "no_chance"

    @property
    def label(self) -> str:
        return _MARK_LABELS[self]


_MARK_LABELS = {
    FollowUpMark.SEEN: "seen",
    FollowUpMark.PARTLY: "partly seen",
    FollowUpMark.NOT_YET: "not yet",
    FollowUpMark.NO_CHANCE: "no chance today",
}
