"""Which of a lead's rules a plan breaks: after planning nothing, after adjusting perhaps some.

A lead may move an assignment where the solver would not (they know things it does not);
the rota then says which rule no longer holds rather than refusing the change.
"""

from __future__ import annotations

from dataclasses import dataclass

from observe.core.rota.model import RULE_NAMES, Assignment, Plan, Programme, Rules, names


@dataclass(frozen=True)
class Breach:
    rule: str  # a key of RULE_NAMES
    message: str

    def __str__(self) -> str:
        return f"{RULE_NAMES[self.rule]}: {self.message}"


def loads(plan: Plan) -> dict[str, int]:
    """How many assignments each person of the plan observes (people with none count 0)."""
    out = {p.id: 0 for p in plan.people}
    for a in plan.assignments:
        out[a.observer.id] = out.get(a.observer.id, 0) + 1
    return out


def breaches(plan: Plan, rules: Rules | None = None) -> list[Breach]:
    """Every hard rule the plan breaks, each with the assignment or person it is about."""
    rules = rules or plan.rules
    programme = plan.programme()
    co = programme.co_facilitators()
    found: list[Breach] = []
    for a in plan.assignments:
        found += _assignment_breaches(a, rules, programme, co)
    if rules.covered:
        seen = {f.id for a in plan.assignments for f in a.facilitators}
        for fid, person in programme.facilitators().items():
            if fid not in seen:
                found.append(Breach("covered", f"{person.name} is not observed"))
    if rules.balance and plan.people:
        counts = loads(plan)
        low, high = min(counts.values()), max(counts.values())
        if high - low > rules.spread:
            found.append(
                Breach(
                    "balance",
                    f"observers' counts run from {low} to {high} (at most {rules.spread} apart)",
                )
            )
    return found


def _assignment_breaches(
    a: Assignment, rules: Rules, programme: Programme, co: dict[str, set[str]]
) -> list[Breach]:
    out = []
    ids = {f.id for f in a.facilitators}
    who = a.observer.name
    if a.observer.id in ids:
        out.append(Breach("self", f"{a.id}: {who} would observe themselves"))
    if rules.cofacilitator and co.get(a.observer.id, set()) & ids:
        out.append(
            Breach("cofacilitator", f"{a.id}: {who} co-delivers with {names(a.facilitators)}")
        )
    if rules.no_repeat:
        repeated = [f for f in a.facilitators if (a.observer.id, f.id) in programme.last_pairs]
        if repeated:
            out.append(Breach("no_repeat", f"{a.id}: {who} observed {names(repeated)} last wave"))
    return out


def same_partner(plan: Plan) -> list[Assignment]:
    """Assignments where the observer works for the delivery's own partner (a soft rule)."""
    partner_of = plan.programme().partner_of()
    return [a for a in plan.assignments if a.partner and partner_of.get(a.observer.id) == a.partner]
