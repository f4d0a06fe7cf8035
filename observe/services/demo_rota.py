"""The demo programme's rota: a published plan per wave, as a lead would have kept it.

Each wave is planned by the solver from the demo sessions, then follows what happened: where
the wave holds a session of a planned delivery, its observer is the one the rules allow who
sat in (so the assignment shows done). The last wave is the current one: about half is done,
one assignment is overdue and the rest fall due over the coming weeks, so a new user sees all
three states on home and in the rota.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from datetime import date as Date

from observe.core.rota import programme as pg
from observe.core.rota.model import Plan, Rules
from observe.core.rota.progress import OVERDUE, progress
from observe.core.rota.rules import loads
from observe.core.rota.solve import allowed
from observe.services import rota, rota_team
from observe.store import rota_files
from observe.store.workspace import Workspace


def _followed(plan: Plan, facts: list[pg.SessionFacts], keep_open: set[str]) -> Plan:
    """``plan`` with each assignment's observer the one who did sit in, where the rules
    allow them, balance included."""
    programme = plan.programme()
    wave = [f for f in facts if f.wave == plan.wave and f.observer is not None]
    people = {p.id for p in plan.people}
    load = loads(plan)
    out = []
    for a in plan.assignments:
        ids = {f.id for f in a.facilitators}
        delivery = next(d for d in programme.deliveries if {f.id for f in d.facilitators} == ids)
        who = None
        for f in wave if a.id not in keep_open else []:
            o = f.observer
            if (
                o is not None
                and o.id in people
                and ids <= {p.id for p in f.facilitators}
                and (o.id == a.observer.id or _balanced(load, a.observer.id, o.id, plan.rules))
                and allowed(o, delivery, programme, plan.rules)
            ):
                who = o
                break
        if who is not None and who.id != a.observer.id:
            load[a.observer.id] -= 1
            load[who.id] += 1
            a = a.model_copy(update={"observer": who})
        out.append(a)
    return plan.model_copy(update={"assignments": out})


def _balanced(load: dict[str, int], old: str, new: str, rules: Rules) -> bool:
    moved = {**load, old: load[old] - 1, new: load[new] + 1}
    return max(moved.values()) - min(moved.values()) <= rules.spread


def write(workspace: Workspace, *, seed: int, today: Date) -> list[Plan]:
    """Plan, follow and publish each demo wave's rota in ``workspace``; the plans. None in a
    team's workspace: demo plans are never published to a team."""
    if rota_team.in_team(workspace.root):
        return []
    facts = rota.session_facts(workspace)
    waves = sorted({f.wave for f in facts if f.wave}, key=pg.wave_key)
    rng = random.Random(f"observe-demo-rota:{seed}")
    plans = []
    seen = rota.observed(facts)
    late_yet = False
    for wave in waves:
        dates = [f.date for f in facts if f.wave == wave and f.date]
        made = datetime.combine(min(dates) - timedelta(days=14), time(9), UTC)
        current = wave == waves[-1]
        # Past waves: the lead allowed some to observe twice (spread 2), as happened.
        rules = Rules() if current else Rules(spread=2)
        plan = rota.plan(workspace, wave, rules, seed=seed, now=made)
        ids = [a.id for a in plan.assignments]
        keep_open = set(rng.sample(ids, len(ids) // 2)) if current else set()
        plan = _followed(plan, facts, keep_open)
        rows = progress(plan, seen, today)
        late_yet = late_yet or any(r.state == OVERDUE for r in rows)
        if current:  # the wave under way: what is open falls due from today on, one is late
            due = {}
            for r in rows:
                if r.open:
                    due[r.assignment.id] = today + timedelta(days=rng.randint(5, 40))
                    if not late_yet:
                        due[r.assignment.id] = today - timedelta(days=3)
                        late_yet = True
            plan = plan.model_copy(
                update={
                    "assignments": [
                        a.model_copy(update={"due": due[a.id]}) if a.id in due else a
                        for a in plan.assignments
                    ]
                }
            )
        rota_files.save(workspace, plan, draft=True)
        done, _ = rota.publish(workspace, wave, now=made + timedelta(days=1))
        plans.append(done)
    return plans
