"""What a wave's plan is made from, gathered from the sessions a workspace holds.

The people are the team's roster when there is one, else everyone seen facilitating or
observing. The deliveries are who co-delivered in the wave's sessions; before the wave has
any, those of the wave before (pairs tend to stay together); with none at all, each person
alone. Last wave's pairs are its plan's and its sessions' (observer, facilitator) pairs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as Date

from observe.core.models import Person
from observe.core.rota.model import Delivery, Plan, Programme


@dataclass(frozen=True)
class SessionFacts:
    wave: str
    date: Date | None
    facilitators: tuple[Person, ...]
    observer: Person | None
    partner: str = ""
    region: str = ""


def wave_key(wave: str) -> tuple[tuple[int, int | str], ...]:
    """Waves sort as people count them: 2 before 10, "wave 3" after "wave 2"."""
    parts = re.findall(r"\d+|\D+", wave.strip().lower())
    return tuple((0, int(p)) if p.isdecimal() else (1, p) for p in parts)


def previous_wave(wave: str, waves: Iterable[str]) -> str | None:
    earlier = [w for w in set(waves) if w.strip() and wave_key(w) < wave_key(wave)]
    return max(earlier, key=wave_key) if earlier else None


def _most(values: Iterable[str]) -> str:
    counted = Counter(v for v in values if v)
    return max(sorted(counted), key=lambda k: counted[k]) if counted else ""


def deliveries_of(sessions: list[SessionFacts], *, dated: bool) -> list[Delivery]:
    groups: dict[tuple[str, ...], list[SessionFacts]] = {}
    for s in sessions:
        key = tuple(sorted({p.id for p in s.facilitators}))
        if key:
            groups.setdefault(key, []).append(s)
    out = []
    for key in sorted(groups):
        found = groups[key]
        people = {p.id: p for s in found for p in s.facilitators}
        dates = [s.date for s in found if s.date is not None]
        out.append(
            Delivery(
                facilitators=[people[i] for i in key],
                partner=_most(s.partner for s in found)[:200],
                region=_most(s.region for s in found)[:200],
                date=max(dates) if dated and dates else None,
            )
        )
    return out


def build(
    wave: str,
    sessions: list[SessionFacts],
    *,
    roster: list[str] | None = None,
    last_plan: Plan | None = None,
) -> Programme:
    wave = wave.strip()
    if roster:
        people = {p.id: p for p in (Person.named(n) for n in roster)}
    else:
        people = {}
        for s in sessions:
            for p in (*s.facilitators, s.observer):
                if p is not None:
                    people.setdefault(p.id, p)
    in_wave = [s for s in sessions if s.wave.strip() == wave]
    before = previous_wave(wave, (s.wave.strip() for s in sessions))
    if last_plan is not None and (before is None or wave_key(last_plan.wave) > wave_key(before)):
        before = last_plan.wave.strip()
    if in_wave:
        deliveries = deliveries_of(in_wave, dated=True)
    elif before is not None:
        deliveries = deliveries_of([s for s in sessions if s.wave.strip() == before], dated=False)
    else:
        deliveries = []
    if roster:  # the team decides who takes part: deliveries of others are not planned
        deliveries = [d for d in deliveries if all(f.id in people for f in d.facilitators)]
    if not deliveries:
        deliveries = [Delivery(facilitators=[p]) for p in people.values()]
    last: set[tuple[str, str]] = set()
    if before is not None:
        for s in sessions:
            if s.wave.strip() == before and s.observer is not None:
                last |= {(s.observer.id, f.id) for f in s.facilitators}
    if last_plan is not None and last_plan.wave.strip() == before:
        last |= {(a.observer.id, f.id) for a in last_plan.assignments for f in a.facilitators}
    ordered = sorted(people.values(), key=lambda p: (p.name.casefold(), p.id))
    return Programme(wave=wave, people=ordered, deliveries=deliveries, last_pairs=last)
