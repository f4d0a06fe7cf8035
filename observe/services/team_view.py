"""The team as the app shows it: members and roles, who is asking to join, and a lead's changes.

Screens read a ``TeamView`` (plain rows, no keys or rosters) and change the team by member
id through the functions here, which go through ``services.team`` (the signed roster).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from observe.services.team_people import MEMBERSHIP_FILE


@dataclass(frozen=True)
class MemberRow:
    id: str
    name: str
    role: str  # lead, member or removed
    you: bool


@dataclass(frozen=True)
class AskingRow:
    id: str
    name: str


@dataclass(frozen=True)
class TeamView:
    folder: str
    me: str
    version: int  # 0 while waiting to be admitted
    is_lead: bool
    members: tuple[MemberRow, ...]
    asking: tuple[AskingRow, ...]
    refused: tuple[str, ...]

    @property
    def waiting(self) -> bool:
        return self.version == 0

    def member(self, member_id: str) -> MemberRow | None:
        return next((m for m in self.members if m.id == member_id), None)


def belongs_to_team(workspace_root: Path) -> bool:
    """Whether this workspace has a team folder (joined, admitted or asking): cheap."""
    return (workspace_root / MEMBERSHIP_FILE).is_file()


def load_view(workspace_root: Path) -> TeamView | None:
    """The team read afresh from the folder (rosters checked), or None outside a team."""
    if not belongs_to_team(workspace_root):
        return None
    from observe.services import team

    state = team.refresh(workspace_root)
    roster = state.roster
    if roster is None:
        return TeamView(str(state.folder.root), state.me, 0, False, (), (), tuple(state.refused))
    is_lead = roster.is_lead(state.me)
    asking = team.join_requests(state) if is_lead else []
    order = {"lead": 0, "member": 1, "removed": 2}
    members = sorted(roster.members, key=lambda m: (order.get(m.role, 3), m.name.casefold()))
    return TeamView(
        folder=str(state.folder.root),
        me=state.me,
        version=roster.version,
        is_lead=is_lead,
        members=tuple(MemberRow(m.id, m.name, m.role, m.id == state.me) for m in members),
        asking=tuple(AskingRow(r.keys.member_id, r.name) for r in asking),
        refused=tuple([*state.refused, *state.forks]),
    )


def asking_names(workspace_root: Path) -> list[str]:
    view = load_view(workspace_root)
    return [a.name for a in view.asking] if view is not None else []


def admit(workspace_root: Path, member_id: str) -> str:
    """Admit the person whose join request carries ``member_id``; one line saying so."""
    from observe.services import team

    state, request = team.admit(workspace_root, member_id)
    version = state.roster.version if state.roster else 0
    return f"Admitted {request.name}; roster version {version}."


def make_lead(workspace_root: Path, member_id: str) -> str:
    from observe.services import team

    state = team.make_lead(workspace_root, member_id)
    member = state.roster.get(member_id) if state.roster else None
    return f"{member.name if member else member_id} is now a lead."


def remove(workspace_root: Path, member_id: str) -> str:
    from observe.services import team

    before = team.refresh(workspace_root).roster
    name = before.get(member_id).name if before and before.get(member_id) else member_id
    state = team.remove(workspace_root, member_id)
    version = state.roster.version if state.roster else 0
    return f"Removed {name} from the team; roster version {version}."
