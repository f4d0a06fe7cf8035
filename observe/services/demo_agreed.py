"""Agreed records among the demo's co-observed deliveries (observe.core.calibration).

Some calibration groups of the demo (observe.services.demo_calibration) have settled: their
observers compared and agreed. Then the slot after the group holds the agreed record, and the
observers' own sessions are completed and never shared (the agreed record is the feedback,
and carries the delivery's status and the facilitators' responses). In each block of 40 the
three observers of session 20 have settled (slot 23), and the pair of session 30 (slot 32); a
group with an observer still observing never has. Each session still depends only on the
seed and its own number.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import timedelta
from typing import TYPE_CHECKING

from observe.core.calibration import Outcome, joint_observer
from observe.core.models import FacilitatorSummary, Rating, Response, Session, Status
from observe.core.record import SessionRecord

if TYPE_CHECKING:
    from collections.abc import Callable

DIFFER_NOTES = [
    "We saw different halves of the session: the breakout rooms were not both visible.",
    "One of us weighed the opening, the other the close; we could not settle it.",
    "We read the criterion differently: its look-fors need to be clearer.",
]


def members_of(i: int) -> list[int]:
    """The sessions a settled group's agreed record in slot ``i`` settles ([] if none)."""
    if i % 40 == 23:
        return [i - 3, i - 2, i - 1]
    if i % 40 == 32:
        return [i - 2, i - 1]
    return []


def settled_group(i: int) -> int | None:
    """The agreed record's slot when session ``i`` is an observer's in a settled group."""
    for slot in (i - i % 40 + 23, i - i % 40 + 32):
        if i in members_of(slot):
            return slot
    return None


def settled(
    i: int, seed: int, record: SessionRecord, unsettled: Callable[[int], SessionRecord]
) -> SessionRecord:
    """Demo session ``i`` as generated (``record``), or its part in a settled group;
    ``unsettled(m)`` makes demo session ``m`` as it was before its group settled."""
    if members_of(i):
        raw = [unsettled(m) for m in members_of(i)]
        if all(r.session.status is not Status.IN_PROGRESS for r in raw):
            return _agreed(i, seed, raw)
    elif settled_group(i) is not None and record.session.status is not Status.IN_PROGRESS:
        # The observers of one delivery share its status (demo_calibration), so a finished
        # one here means a finished group, and the group has settled.
        return _own(record)
    return record


def _own(record: SessionRecord) -> SessionRecord:
    """An observer's own session of a settled group: completed, never shared."""
    session = record.session.model_copy(update={"status": Status.COMPLETED, "shared_at": None})
    return record.model_copy(update={"session": session, "responses": []})


def _agreed(i: int, seed: int, raw: list[SessionRecord]) -> SessionRecord:
    """The agreed record: levels settled as observers do (or a difference recorded), every
    observer's notes, and the delivery's status and responses."""
    rng = random.Random(f"observe-demo-agreed:{seed}:{i}")
    session_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    members = [_own(r) for r in raw]
    first = raw[0].session
    outcomes, ratings = [], []
    for theirs in members[0].ratings:
        key = (theirs.facilitator, theirs.criterion)
        seen = [m.rating(*key) for m in members]
        if any(r is None for r in seen):
            continue
        levels = [r.level for r in seen if r is not None]
        if len(set(levels)) > 1 and rng.random() < 0.12:
            note = rng.choice(DIFFER_NOTES)
            outcomes.append(Outcome(facilitator=key[0], criterion=key[1], agreed=False, note=note))
            continue
        # The level most of them gave; between two, the one either argued best for.
        counts = Counter(levels).most_common()
        level = rng.choice([lv for lv, n in counts if n == counts[0][1]])
        outcomes.append(Outcome(facilitator=key[0], criterion=key[1], level=level))
        ratings.append(
            Rating(
                id=Rating.id_for(session_id, *key),
                facilitator=key[0],
                criterion=key[1],
                level=level,
                evidence=[n for r in seen if r is not None for n in r.evidence],
                at=theirs.at,
            )
        )
    done = (first.completed_at or first.updated_at) + timedelta(minutes=rng.randint(30, 90))
    session = Session(
        id=session_id,
        status=first.status,
        meta=first.meta.model_copy(update={"observer": joint_observer(members), "agreed": True}),
        framework=first.framework,
        created_at=done,
        updated_at=max(done, first.updated_at),
        clock=first.clock,
        phases=first.phases,
        completed_at=done,
        shared_at=first.shared_at and max(first.shared_at, done),
        rev=first.rev,
        agreement=[o.model_dump(mode="json") for o in outcomes],
        calibration_members=[m.session.id for m in members],
    )
    summaries = [
        FacilitatorSummary.new(session_id, s.facilitator, **{k: getattr(s, k) for k in s.TEXTS})
        for s in raw[0].summaries
    ]
    responses = [
        Response.new(
            session_id,
            r.facilitator,
            reflection=r.reflection,
            actions=list(r.actions),  # an action keeps its id wherever it goes
            acknowledged=r.acknowledged,
            acknowledged_at=r.acknowledged_at,
            disagreement=r.disagreement,
        )
        for r in raw[0].responses
    ]
    notes = list({n.id: n for m in members for n in m.notes}.values())
    return SessionRecord(
        session=session, notes=notes, ratings=ratings, summaries=summaries, responses=responses
    )
