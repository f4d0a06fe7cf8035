"""The demo's actions followed up across waves: each observation carries the facilitator's
open actions from earlier ones and the observer marks them; most actions are later closed
(done, or some dropped), a few stay open, some of them overdue.

Session i depends only on sessions 0..i-1, so the first sessions are the same however many
are made."""

from __future__ import annotations

import random
from datetime import timedelta

from observe.core.actions import follow_ups, marked, open_actions, with_state
from observe.core.choices import ActionState, FollowUpMark
from observe.core.record import SessionRecord

MARKS = [FollowUpMark.SEEN, FollowUpMark.PARTLY, FollowUpMark.NOT_YET, FollowUpMark.NO_CHANCE]
# What became of an action, decided with its own session so that session i never depends on
# later ones: most are done by their date, some set aside, a few still open (some overdue).
DONE, DROPPED = 0.65, 0.15


def follow_up(records: list[SessionRecord], seed: int) -> None:
    """Give ``records`` (changed in place, in order) closed actions, follow-ups and marks."""
    for i, record in enumerate(records):
        rng = random.Random(f"{seed}/{record.session.id}")
        for r in list(record.responses):
            for action in r.actions:
                roll = rng.random()
                if roll < DONE and action.by is not None:
                    day = action.by - timedelta(days=rng.randint(1, 30))
                    r = with_state(r, action.id, ActionState.DONE, day)
                elif roll < DONE + DROPPED and action.by is not None:
                    day = action.by + timedelta(days=rng.randint(1, 20))
                    r = with_state(r, action.id, ActionState.DROPPED, day)
            record.responses = [
                r if x.facilitator == r.facilitator else x for x in record.responses
            ]
        session = record.session
        rows = [
            (r.session.id, r.session.created_at, resp) for r in records[:i] for resp in r.responses
        ]
        agreed = []
        for person in session.meta.facilitators:
            agreed += open_actions(rows, person.id, before=session.created_at)[-3:]
        record.followups = [marked(up, rng.choice(MARKS)) for up in follow_ups(session.id, agreed)]
