"""The rota through the team folder: a lead publishes a wave's plan, members read it.

A published plan is ``rota-<wave slug>.age`` in the lead's own part, signed by the lead and
sealed to every current member. A reader takes a plan only when it decrypts, its signature
is a lead's of the roster held, its signed name matches the wave inside, and it validates;
of several for one wave (two leads, or one lead's revisions) the highest revision wins, then
the later publication. What is refused is said, one line each, and passed over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from observe.core.errors import UsageError
from observe.core.models import slugify
from observe.core.rota.model import Plan
from observe.store import rota_files

# store/team/membership.FILE, named here so that a workspace in no team never loads the team
# code (cryptography, age) just to learn that it is in none; a test holds them equal.
MEMBERSHIP_FILE = "team-folder.json"
_ROTA_FILE = re.compile(r"rota-([a-z0-9][a-z0-9-]{0,63})\.age")


@dataclass
class TeamRota:
    """What the team folder says about rotas, for one workspace."""

    me: str  # this member's name in the roster ("" before admission)
    lead: bool
    people: list[str]  # current members' names
    plans: dict[str, Plan] = field(default_factory=dict)  # wave slug -> newest published
    refused: list[str] = field(default_factory=list)


def doc_name(wave: str) -> str:
    return f"rota-{slugify(wave.strip())}"


def in_team(workspace_root: Path) -> bool:
    """Whether the workspace belongs to a team (a damaged file says so when read)."""
    return (workspace_root / MEMBERSHIP_FILE).exists()


def read(workspace_root: Path) -> TeamRota | None:
    """The team's view, or None when this workspace is in no team."""
    if not in_team(workspace_root):
        return None
    from observe.services.team import _unsealed, refresh
    from observe.store.team.errors import Refused
    from observe.store.team.roster import REMOVED

    state = refresh(workspace_root)
    roster = state.roster
    if roster is None:
        return TeamRota("", False, [], refused=list(state.refused))
    mine = roster.get(state.me)
    found = TeamRota(
        me=mine.name if mine and mine.role != REMOVED else "",
        lead=roster.is_lead(state.me),
        people=[m.name for m in roster.current()],
    )
    own: list[str] = []
    for entry in state.folder.entries():
        match = _ROTA_FILE.fullmatch(entry.stands_for)
        if match is None:
            continue
        item = _unsealed(state, entry)
        if item is None:
            continue
        try:
            if item.header.kind != "rota":
                raise Refused("not a rota")
            item.verify(roster.key_for(item.header, item.payload))
            plan = rota_files.parse(item.payload, entry.where)
            if doc_name(plan.wave) != item.header.doc or plan.state != "published":
                raise Refused("a rota whose signed name does not match its wave")
        except (Refused, UsageError) as exc:
            own.append(f"{entry.where}: {exc}")
            continue
        key = slugify(plan.wave.strip())
        held = found.plans.get(key)
        if held is None or _newer(plan, held):
            found.plans[key] = plan
    found.refused = [*state.refused, *own]
    return found


def _newer(plan: Plan, than: Plan) -> bool:
    return (plan.revision, plan.published_at or plan.made_at) > (
        than.revision,
        than.published_at or than.made_at,
    )


def publish(workspace_root: Path, plan: Plan) -> Path:
    """Seal ``plan`` to the current members in this lead's part; the file written."""
    from observe.services.team import refresh
    from observe.store.team.envelope import seal

    state = refresh(workspace_root)
    roster = state.require_lead()
    sealed = seal(
        rota_files.encode(plan),
        writer=state.identity,
        kind="rota",
        doc=doc_name(plan.wave),
        recipients=[m.keys for m in roster.current()],
    )
    return state.folder.write(state.me, f"{doc_name(plan.wave)}.age", sealed)
