"""Co-observation in the demo: some deliveries are watched by two or three observers.

Session ``i`` with ``i % EVERY == 0`` is the first observer's; ``i + 1`` a second observer of
the same delivery, and with ``i % (2 * EVERY) == 0`` also ``i + 2`` a third. The others draw
the delivery from the first one's seed, so every session still depends only on the seed and
its own number. All of them share ``meta.calibration``.

Disagreement is shaped as it is in practice: each observer is a little harsh or lenient, and
some criteria are worded more vaguely than others, so their levels scatter more. A criterion
one observer did not see, the other mostly did not either.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

EVERY = 10


def lead_of(i: int) -> int | None:
    """The first observer's session number when ``i`` is a co-observation of it, else None."""
    if i % EVERY == 1:
        return i - 1
    if i % (2 * EVERY) == 2:
        return i - 2
    return None


def calibration_id(seed: int, i: int) -> str:
    """The calibration id of the delivery whose first observer has session ``i`` (or "")."""
    if i % EVERY != 0:
        return ""
    rng = random.Random(f"observe-demo-calibration:{seed}:{i}")
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def co_observer(seed: int, i: int, lead: int, candidates: list[Any]) -> Any:
    """A different observer for each co-observation of delivery ``lead``."""
    order = random.Random(f"observe-demo-co-observers:{seed}:{lead}").sample(
        candidates, len(candidates)
    )
    return order[(i - lead - 1) % len(order)]


def severity(seed: int, person_id: str) -> float:
    """How far an observer's levels sit above (lenient) or below (harsh) a colleague's."""
    return random.Random(f"observe-demo-severity:{seed}:{person_id}").gauss(0, 0.3)


def vagueness(seed: int, criterion_id: str) -> float:
    """How widely observers scatter on a criterion: clear wording 0.3, vague wording 1.0."""
    return random.Random(f"observe-demo-vague:{seed}:{criterion_id}").choice(
        [0.3, 0.35, 0.45, 0.5, 0.6, 0.8, 1.0]
    )


def second_opinion(
    rng: random.Random, seed: int, first: int | None, observer_id: str, criterion_id: str
) -> int | None:
    """A co-observer's level where the first observer gave ``first`` (None: not observed)."""
    if first is None:
        return None if rng.random() < 0.75 else rng.choice([2, 3, 3])
    if rng.random() < 0.06:
        return None
    shifted = first + severity(seed, observer_id) + rng.gauss(0, vagueness(seed, criterion_id))
    return min(4, max(1, round(shifted)))


def co_ratings(
    rng: random.Random, seed: int, ratings: list[Any], notes: list[Any], observer_id: str
) -> list[Any]:
    """The co-observer's ratings: the first observer's levels seen again, with their own
    evidence (their own notes tagged with the criterion and, where tagged, the person)."""
    out = []
    for r in ratings:
        evidence = [
            n.id
            for n in notes
            if not n.deleted
            and r.criterion in n.criteria
            and (not n.facilitators or r.facilitator in n.facilitators)
        ][:3]
        level = second_opinion(rng, seed, r.level, observer_id, r.criterion)
        out.append(r.model_copy(update={"level": level, "evidence": evidence}))
    return out
