"""What became of the actions agreed last time, as the feedback's detail pages report it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from observe.core.actions import evidence
from observe.core.models import Note
from observe.core.record import SessionRecord
from observe.report.evidence import Evidence, Printer


@dataclass
class FollowedUp:
    label: str
    text: str  # what was agreed
    owner: str
    by: date | None
    agreed_on: date | None
    origin: str  # the session it was agreed in: several say "earlier observations"
    seen: str  # the observer's mark in words ("" when not marked)
    evidence: list[Evidence]  # the notes tied to it (!A1)


def followed_up(record: SessionRecord, facilitator: str, printer: Printer) -> list[FollowedUp]:
    notes: list[Note] = record.live_notes()
    out = []
    for up in record.followups_for(facilitator):
        tied = [n for n in evidence(up, notes) if isinstance(n, Note)]
        out.append(
            FollowedUp(
                label=up.label,
                text=up.text,
                owner=up.owner,
                by=up.by,
                agreed_on=up.from_date,
                origin=up.from_session,
                seen=up.mark.label if up.mark else "",
                evidence=[printer(n) for n in tied],
            )
        )
    return out
