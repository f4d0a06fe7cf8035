"""How a rota is getting on: each assignment done, due or overdue.

An assignment is done when the wave holds a session of that observer with every facilitator
it names (one of a pair seen is "part done": the other still waits), whoever's workspace
wrote it. Due until its date has passed, overdue after.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as Date

from observe.core.rota.model import Assignment, Plan

DONE, PART, DUE, OVERDUE = "done", "part done", "due", "overdue"


@dataclass(frozen=True)
class Observed:
    """One session as progress needs it: its wave, observer and facilitators (ids)."""

    wave: str
    observer: str
    facilitators: frozenset[str]


@dataclass(frozen=True)
class Progress:
    wave: str
    assignment: Assignment
    state: str  # DONE, PART, DUE or OVERDUE
    seen: tuple[str, ...]  # the names of the facilitators already observed

    @property
    def open(self) -> bool:
        return self.state != DONE


def progress(plan: Plan, sessions: Iterable[Observed], today: Date) -> list[Progress]:
    seen: dict[str, set[str]] = {}
    for s in sessions:
        if s.wave.strip() == plan.wave.strip():
            seen.setdefault(s.observer, set()).update(s.facilitators)
    out = []
    for a in plan.assignments:
        mine = seen.get(a.observer.id, set())
        got = tuple(f.name for f in a.facilitators if f.id in mine)
        if len(got) == len(a.facilitators):
            state = DONE
        elif a.due < today:
            state = OVERDUE
        else:
            state = PART if got else DUE
        out.append(Progress(plan.wave, a, state, got))
    return out


def for_observer(rows: list[Progress], observer_id: str) -> list[Progress]:
    """One observer's open assignments, overdue first, then by due date."""
    mine = [r for r in rows if r.assignment.observer.id == observer_id and r.open]
    return sorted(mine, key=lambda r: (r.state != OVERDUE, r.assignment.due, r.assignment.id))


def counts(rows: list[Progress]) -> dict[str, int]:
    out = {DONE: 0, PART: 0, DUE: 0, OVERDUE: 0}
    for r in rows:
        out[r.state] += 1
    return out
