"""A lead's adjustments to a plan: each gives a new draft and leaves the old one unchanged."""

from __future__ import annotations

from observe.core.errors import UsageError
from observe.core.models import Person, slugify
from observe.core.rota.model import Assignment, Plan


def assignment(plan: Plan, key: str) -> Assignment:
    found = plan.get(key)
    if found is None:
        raise UsageError(f"wave {plan.wave} has no assignment {key!r} (see: observe rota)")
    return found


def person(plan: Plan, name: str) -> Person:
    """Someone of the plan's people, by name or id; anyone else is refused."""
    wanted = slugify(name)
    for p in plan.people:
        if p.id == wanted or p.name.casefold() == name.strip().casefold():
            return p
    raise UsageError(f"{name!r} is not among the people of wave {plan.wave}'s rota")


def _draft(plan: Plan, assignments: list[Assignment]) -> Plan:
    return plan.model_copy(update={"assignments": assignments, "state": "draft"})


def set_observer(plan: Plan, key: str, observer: str) -> Plan:
    target = assignment(plan, key)
    who = person(plan, observer)
    return _draft(
        plan,
        [
            a.model_copy(update={"observer": who}) if a.id == target.id else a
            for a in plan.assignments
        ],
    )


def set_due(plan: Plan, key: str, due: object) -> Plan:
    target = assignment(plan, key)
    return _draft(
        plan,
        [a.model_copy(update={"due": due}) if a.id == target.id else a for a in plan.assignments],
    )


def swap(plan: Plan, first: str, second: str) -> Plan:
    """The two assignments' observers change places."""
    a, b = assignment(plan, first), assignment(plan, second)
    if a.id == b.id:
        raise UsageError("swap needs two different assignments")
    changed = {a.id: b.observer, b.id: a.observer}
    return _draft(
        plan,
        [
            x.model_copy(update={"observer": changed[x.id]}) if x.id in changed else x
            for x in plan.assignments
        ],
    )


def remove(plan: Plan, key: str) -> Plan:
    target = assignment(plan, key)
    kept = _draft(plan, [a for a in plan.assignments if a.id != target.id])
    return kept.model_copy(update={"numbered": plan.next_number() - 1})


def add(plan: Plan, observer: str, facilitators: list[str], *, due: object) -> Plan:
    who = person(plan, observer)
    people = []
    known = {p.id: p for d in plan.deliveries for p in d.facilitators} | {
        p.id: p for p in plan.people
    }
    for name in facilitators:
        people.append(known.get(slugify(name)) or Person.named(name))
    delivery = next(
        (d for d in plan.deliveries if {f.id for f in d.facilitators} == {p.id for p in people}),
        None,
    )
    number = plan.next_number()
    new = Assignment(
        id=f"a{number}",
        observer=who,
        facilitators=people,
        partner=delivery.partner if delivery else "",
        region=delivery.region if delivery else "",
        due=(delivery.date if delivery and delivery.date else due),
    )
    return _draft(plan, [*plan.assignments, new]).model_copy(update={"numbered": number})
