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
