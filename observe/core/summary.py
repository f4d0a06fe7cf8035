"""A session as every list shows it: one typed row per session file, unreadable ones too.

Made from the index's row for the file (``observe.services.sessions.listing_rows``), so a
listing never parses the file. ``to_json`` is the row ``observe sessions --format json``
prints, a contract scripts read: its keys and their order never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime
from typing import Any

from observe.core.choices import ActionState
from observe.core.ids import valid_id


@dataclass(frozen=True)
class ActionRow:
    """One agreed action of a session as the index keeps it (``observe.store.agreed``)."""

    facilitator: str  # their id
    id: str
    text: str
    owner: str
    by: Date | None
    state: ActionState

    @classmethod
    def of(cls, row: object) -> ActionRow | None:
        """The typed row of ``[facilitator, id, text, owner, by, state]``; None when the row
        is not as the index writes it (an index edited by hand, or by an older version)."""
        if not isinstance(row, list) or len(row) != 6:
            return None
        facilitator, action, text, owner, by, state = row
        if not (valid_id(facilitator) and valid_id(action)):
            return None
        if not (isinstance(text, str) and isinstance(owner, str) and isinstance(by, str)):
            return None
        if not text.strip():
            return None
        if state not in ActionState._value2member_map_:
            return None
        try:
            day = Date.fromisoformat(by) if by else None
        except ValueError:
            return None
        return cls(facilitator, action, text, owner, day, ActionState(state))


@dataclass(frozen=True)
class SessionSummary:
    file: str  # the file's name in sessions/
    reason: str | None = None  # why the file cannot be read; None when it can
    id: str = ""
    date: str = ""  # YYYY-MM-DD as written in the session
    start: str = ""  # HH:MM, or empty
    created_at: str = ""
    title: str = ""
    facilitators: tuple[str, ...] = ()  # names, in the session's order
    observer: str = ""
    wave: str = ""
    region: str = ""
    partner: str = ""
    cohort: str = ""
    mode: str = ""
    status: str = ""
    notes: int = 0
    ratings: int = 0
    framework: str = ""
    demo: bool = False
    calibration: str = ""  # co-observed: the id the delivery's sessions share
    agreed: bool = False  # the co-observed delivery's agreed record

    @classmethod
    def unreadable_file(cls, file: str, reason: str) -> SessionSummary:
        return cls(file=file, reason=reason)

    @property
    def unreadable(self) -> bool:
        return self.reason is not None

    def created(self) -> float:
        """When the session was created, as a POSIX time: its ``created_at``, else its date
        and start time (local time); 0 when neither reads."""
        for text in (self.created_at, f"{self.date}T{self.start or '00:00'}"):
            try:
                return datetime.fromisoformat(text).timestamp()
            except (ValueError, TypeError):
                continue
        return 0.0

    def to_json(self) -> dict[str, Any]:
        if self.reason is not None:
            return {"file": self.file, "unreadable": True, "reason": self.reason}
        return {
            "file": self.file,
            "unreadable": False,
            "id": self.id,
            "date": self.date,
            "start": self.start,
            "created_at": self.created_at,
            "title": self.title,
            "facilitators": list(self.facilitators),
            "observer": self.observer,
            "wave": self.wave,
            "region": self.region,
            "partner": self.partner,
            "mode": self.mode,
            "status": self.status,
            "notes": self.notes,
            "ratings": self.ratings,
            "framework": self.framework,
            "demo": self.demo,
        }
