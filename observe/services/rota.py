"""The rota as the app and the command line use it: plan, adjust, publish, follow up.

A lead plans a wave (a draft in the workspace), adjusts it, and publishes it: into their
part of the team folder when the workspace is in a team, and always as the workspace's own
published copy. Everyone sees the newest published plan of each wave (or, before one is
published, the lead's draft), with each assignment done, due or overdue from the sessions
the workspace holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from observe.core.errors import UsageError
from observe.core.models import Person, slugify
from observe.core.rota import programme as pg
from observe.core.rota.model import Plan, Rules, new_plan
from observe.core.rota.progress import Observed, Progress, for_observer, progress
from observe.core.rota.rules import Breach, breaches
from observe.core.rota.solve import default_due, plan_assignments
from observe.services import rota_team
from observe.services.rota_team import TeamRota
from observe.services.sessions import refresh_index, remembered_defaults
from observe.store import rota_files
from observe.store.workspace import Workspace


@dataclass
class WaveRota:
    plan: Plan
    rows: list[Progress]
    breaches: list[Breach]

    @property
    def draft(self) -> bool:
        return self.plan.state == "draft"


@dataclass
class Mine:
    """What home shows an observer: who they are and their open assignments."""

    me: str
    rows: list[Progress] = field(default_factory=list)
    everyone: list[Progress] = field(default_factory=list)  # when who "me" is is not known
    planned: bool = False  # whether any wave has a rota at all


# ---------------------------------------------------------------- what the workspace holds


def session_facts(workspace: Workspace) -> list[pg.SessionFacts]:
    out = []
    for entry in refresh_index(workspace):
        if not entry.ok:
            continue
        meta = entry.meta
        if meta.get("agreed"):  # a co-observed delivery's agreed record: its observers' count
            continue
        try:
            people = tuple(Person.model_validate(p) for p in meta.get("facilitators", []))
            observer = meta.get("observer")
            who = Person.model_validate(observer) if observer else None
            day = Date.fromisoformat(meta["date"]) if meta.get("date") else None
        except (ValidationError, ValueError, TypeError):
            continue  # the index holds what validated; anything else is not the rota's to fix
        out.append(
            pg.SessionFacts(
                wave=str(meta.get("wave", "")),
                date=day,
                facilitators=people,
                observer=who,
                partner=str(meta.get("partner", "")),
                region=str(meta.get("region", "")),
            )
        )
    return out


def observed(facts: list[pg.SessionFacts]) -> list[Observed]:
    return [
        Observed(f.wave, f.observer.id, frozenset(p.id for p in f.facilitators))
        for f in facts
        if f.observer is not None
    ]


def team_of(workspace: Workspace) -> TeamRota | None:
    return rota_team.read(workspace.root)


def whoami(workspace: Workspace, team: TeamRota | None) -> str:
    """The team member's name, else the observer this workspace's form remembers."""
    if team is not None and team.me:
        return team.me
    return remembered_defaults(workspace).get("observer", "").strip()


# ---------------------------------------------------------------- plans


def _published(workspace: Workspace, wave: str, team: TeamRota | None) -> Plan | None:
    local = rota_files.load(workspace, wave, draft=False)
    shared = team.plans.get(slugify(wave.strip())) if team else None
    if local is None or (shared is not None and shared.revision > local.revision):
        return shared
    return local


def shown(workspace: Workspace, wave: str, team: TeamRota | None) -> Plan | None:
    """The plan to follow: the newest published one, else the draft."""
    return _published(workspace, wave, team) or rota_files.load(workspace, wave, draft=True)


def waves(workspace: Workspace, team: TeamRota | None) -> list[str]:
    known = {slugify(w): w for w in rota_files.waves(workspace)}
    if team:
        known |= {k: p.wave for k, p in team.plans.items() if k not in known}
    return sorted(known.values(), key=pg.wave_key)


def _require_lead(team: TeamRota | None) -> None:
    if team is not None and not team.lead:
        raise UsageError("only a lead of the team plans and publishes the rota")


def plan(
    workspace: Workspace,
    wave: str,
    rules: Rules,
    *,
    seed: int,
    now: datetime,
    due: Date | None = None,
) -> Plan:
    """Propose a plan for ``wave`` under ``rules`` and keep it as the draft."""
    wave = wave.strip()
    if not wave:
        raise UsageError("name the wave to plan (--wave W)")
    team = team_of(workspace)
    _require_lead(team)
    facts = session_facts(workspace)
    before = pg.previous_wave(wave, [f.wave for f in facts] + waves(workspace, team))
    last_plan = shown(workspace, before, team) if before else None
    programme = pg.build(wave, facts, roster=team.people if team else None, last_plan=last_plan)
    chosen = plan_assignments(programme, rules, seed=seed, due=due or default_due(now.date()))
    held = _published(workspace, wave, team)
    draft = new_plan(programme, made_at=now, rules=rules, seed=seed, by=whoami(workspace, team))
    draft = draft.model_copy(
        update={"assignments": chosen, "revision": (held.revision + 1) if held else 1}
    )
    rota_files.save(workspace, draft, draft=True)
    return draft


def editable(workspace: Workspace, wave: str) -> Plan:
    """The draft of ``wave``, or a new draft from its published plan."""
    found = rota_files.load(workspace, wave, draft=True)
    if found is not None:
        return found
    published = _published(workspace, wave, team_of(workspace))
    if published is None:
        raise UsageError(f"wave {wave} has no plan yet (observe rota plan --wave {wave})")
    return published.model_copy(
        update={"state": "draft", "revision": published.revision + 1, "published_at": None}
    )


def adjust(workspace: Workspace, wave: str, change: Callable[[Plan], Plan]) -> Plan:
    _require_lead(team_of(workspace))
    changed = change(editable(workspace, wave))
    rota_files.save(workspace, changed, draft=True)
    return changed


def publish(workspace: Workspace, wave: str, *, now: datetime) -> tuple[Plan, Path | None]:
    """Publish the draft: the team folder's file when in a team (else None), and the
    workspace's published copy; the draft is then gone."""
    team = team_of(workspace)
    _require_lead(team)
    draft = rota_files.load(workspace, wave, draft=True)
    if draft is None:
        raise UsageError(f"wave {wave} has no draft to publish (observe rota plan --wave {wave})")
    done = draft.model_copy(update={"state": "published", "published_at": now})
    done = done.model_copy(update={"by": whoami(workspace, team) or done.by})
    where = rota_team.publish(workspace.root, done) if team is not None else None
    rota_files.save(workspace, done, draft=False)
    rota_files.path_for(workspace, wave, draft=True).unlink(missing_ok=True)
    return done, where


# ---------------------------------------------------------------- following up


@dataclass
class Overview:
    waves: list[WaveRota]
    refused: list[str]  # what the team folder held that was not accepted, and why
    lead: bool = True  # whether this workspace may plan and publish (no team: yes)
    session_waves: list[str] = field(default_factory=list)  # waves the sessions name


def overview(workspace: Workspace, wave: str | None, today: Date) -> Overview:
    team = team_of(workspace)
    chosen = [wave.strip()] if wave else waves(workspace, team)
    facts = session_facts(workspace)
    seen = observed(facts)
    out = []
    for w in chosen:
        found = shown(workspace, w, team)
        if found is None:
            if wave:
                raise UsageError(f"wave {w} has no rota yet (a lead runs: observe rota plan)")
            continue
        out.append(WaveRota(found, progress(found, seen, today), breaches(found)))
    in_sessions = sorted({f.wave.strip() for f in facts if f.wave.strip()}, key=pg.wave_key)
    return Overview(out, team.refused if team else [], team is None or team.lead, in_sessions)


def mine(workspace: Workspace, today: Date) -> Mine:
    """This observer's open assignments in every wave (everyone's when who is not known)."""
    team = team_of(workspace)
    me = whoami(workspace, team)
    known = waves(workspace, team)
    if not known:  # no rota: the sessions are not read a second time beside home's listing
        return Mine(me)
    seen = observed(session_facts(workspace))
    rows: list[Progress] = []
    for w in known:
        found = _published(workspace, w, team) or rota_files.load(workspace, w, draft=True)
        if found is not None:
            rows += progress(found, seen, today)
    if not me:
        return Mine("", everyone=[r for r in rows if r.open], planned=True)
    return Mine(me, for_observer(rows, slugify(me)), planned=True)


def new_observation_values(row: Progress) -> dict[str, str]:
    """The new-observation form's fields filled in from an assignment."""
    a = row.assignment
    return {
        "facilitators": ", ".join(f.name for f in a.facilitators),
        "observer": a.observer.name,
        "wave": row.wave,
        "partner": a.partner,
        "region": a.region,
    }
