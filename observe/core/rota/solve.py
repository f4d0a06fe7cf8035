"""Planning a rota with OR-Tools CP-SAT: the rules as constraints, the wishes as costs.

One boolean per (observer, delivery) the hard rules allow. Each delivery has at most one
observer; every facilitator with a delivery is observed (when that rule is on; otherwise as
many as can be, at a high cost per one left out); the spread between the busiest and the
least busy observer is bounded (balance). The objective, smallest first: facilitators left
unobserved, then observers placed with their own delivery partner, the spread, the number of
assignments, and a small seeded tie-break so that another seed proposes another good plan.

One search worker and a deterministic time limit: the same programme, rules and seed give
the same plan on any machine. When the rules cannot all hold, the plan is solved again with
each rule relaxed in turn, and the message names the first whose relaxing makes a plan exist.
"""

from __future__ import annotations

import random
from datetime import date as Date
from datetime import timedelta

from observe.core.errors import ObserveError, UsageError
from observe.core.models import Person
from observe.core.rota.model import RULE_NAMES, Assignment, Delivery, Programme, Rules

# The order rules are relaxed in to find the one that cannot hold: coverage last, since
# without it an empty plan always exists.
HARD_RULES = ("balance", "no_repeat", "cofacilitator", "covered")
UNCOVERED_COST = 1_000_000
UNIT = 1000  # the cost of one assignment; weights are in these units
DETERMINISTIC_LIMIT = 10.0
WALL_LIMIT_S = 30.0


class RotaImpossible(UsageError):
    """The rules cannot all hold for this programme; ``rule`` names the one that cannot."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


def allowed(observer: Person, delivery: Delivery, programme: Programme, rules: Rules) -> bool:
    """Whether the hard rules let ``observer`` sit in on ``delivery`` at all."""
    ids = {f.id for f in delivery.facilitators}
    if observer.id in ids:
        return False
    if rules.cofacilitator and programme.co_facilitators().get(observer.id, set()) & ids:
        return False
    return not (rules.no_repeat and any((observer.id, f) in programme.last_pairs for f in ids))


def plan_assignments(
    programme: Programme, rules: Rules, *, seed: int = 0, due: Date
) -> list[Assignment]:
    """The assignments of a plan that keeps every rule on in ``rules``; RotaImpossible
    naming the rule that cannot hold otherwise. ``due`` is the date for deliveries of
    unknown date."""
    if len({p.id for p in programme.people}) < 2:
        raise RotaImpossible("self", "a rota needs at least two people: nobody observes themselves")
    if not programme.deliveries:
        raise UsageError(f"wave {programme.wave}: no deliveries and nobody to observe")
    chosen = _solve(programme, rules, seed)
    if chosen is None:
        raise _diagnose(programme, rules, seed)
    out = []
    for n, (o, d) in enumerate(sorted(chosen), start=1):
        delivery = programme.deliveries[d]
        out.append(
            Assignment(
                id=f"a{n}",
                observer=programme.people[o],
                facilitators=delivery.facilitators,
                partner=delivery.partner,
                region=delivery.region,
                due=delivery.date or due,
            )
        )
    return sorted(out, key=lambda a: int(a.id[1:]))


def _solve(programme: Programme, rules: Rules, seed: int) -> list[tuple[int, int]] | None:
    from ortools.sat.python import cp_model  # a heavy import: only when planning

    model = cp_model.CpModel()
    people, deliveries = programme.people, programme.deliveries
    partner_of = programme.partner_of()
    rng = random.Random(f"observe-rota:{seed}")
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for o, person in enumerate(people):
        for d, delivery in enumerate(deliveries):
            if allowed(person, delivery, programme, rules):
                x[o, d] = model.new_bool_var(f"x{o}_{d}")
    for d in range(len(deliveries)):
        model.add(sum(x[o, d] for o in range(len(people)) if (o, d) in x) <= 1)
    uncovered = []
    for fid in programme.facilitators():
        mine = [
            v for (o, d), v in x.items() if any(f.id == fid for f in deliveries[d].facilitators)
        ]
        seen = model.new_bool_var(f"seen-{fid}")
        model.add(sum(mine) >= seen) if mine else model.add(seen == 0)
        if rules.covered:
            model.add(seen == 1)
        uncovered.append(1 - seen)
    loads = [
        sum(x[o, d] for d in range(len(deliveries)) if (o, d) in x) for o in range(len(people))
    ]
    most = model.new_int_var(0, len(deliveries), "most")
    least = model.new_int_var(0, len(deliveries), "least")
    for load in loads:
        model.add(most >= load)
        model.add(least <= load)
    if rules.balance:
        model.add(most - least <= rules.spread)
    same = [
        v
        for (o, d), v in x.items()
        if deliveries[d].partner and partner_of.get(people[o].id) == deliveries[d].partner
    ]
    cost = UNCOVERED_COST * sum(uncovered)
    cost += rules.cross_partner * UNIT * sum(same)
    cost += (UNIT // 2) * (most - least)  # balance is wanted even when not a hard rule
    cost += sum((UNIT + rng.randrange(UNIT // 100)) * v for v in x.values())
    model.minimize(cost)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2  # the LP bound proves small plans optimal fast
    solver.parameters.random_seed = seed % (2**31)
    solver.parameters.max_deterministic_time = DETERMINISTIC_LIMIT
    solver.parameters.max_time_in_seconds = WALL_LIMIT_S
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise ObserveError(f"wave {programme.wave}: no plan found within the time allowed")
    return [key for key, v in x.items() if solver.value(v)]


def _diagnose(programme: Programme, rules: Rules, seed: int) -> RotaImpossible:
    on = [r for r in HARD_RULES if getattr(rules, r)]
    for rule in on:
        relaxed = rules.model_copy(update={rule: False})
        if _solve(programme, relaxed, seed) is not None:
            return RotaImpossible(rule, _why(rule, programme, rules))
    names = ", ".join(f"'{RULE_NAMES[r]}'" for r in on)
    return RotaImpossible(on[0] if on else "self", f"these rules cannot hold together: {names}")


def _why(rule: str, programme: Programme, rules: Rules) -> str:
    head = f"the rule '{RULE_NAMES[rule]}' cannot hold in wave {programme.wave}"
    if rule in ("covered", "cofacilitator", "no_repeat"):
        for fid, person in programme.facilitators().items():
            theirs = [d for d in programme.deliveries if any(f.id == fid for f in d.facilitators)]
            if not any(allowed(p, d, programme, rules) for p in programme.people for d in theirs):
                return f"{head}: nobody may observe {person.name}"
        if rule == "covered":
            return f"{head}: there are too few observers for the facilitators"
        return f"{head} with everyone observed"
    if rule == "balance":
        return f"{head}: observers' counts cannot be within {rules.spread} of each other"
    return head


def default_due(today: Date) -> Date:
    """Six weeks on: the date for deliveries whose date is not known."""
    return today + timedelta(weeks=6)
