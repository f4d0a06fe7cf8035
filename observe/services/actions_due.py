"""Whose open actions home shows, and which of them are past their date.

In a team, "you" are this workspace's member: a facilitator sees their own actions, a lead
the team's. Without a team there is no "you": the workspace's actions are shown, by
facilitator. Only counts and the actions themselves: never a ranking of people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date

from observe.services.followups import Open, open_now
from observe.services.team_people import team_people
from observe.store.workspace import Workspace

MINE, TEAM, EVERYONE = "mine", "team", "everyone"


@dataclass(frozen=True)
class Whose:
    view: str  # MINE, TEAM or EVERYONE
    facilitator: str | None = None  # the member's id, when MINE
    name: str = ""  # the member's name, in a team


def whose(workspace: Workspace) -> Whose:
    """Whose actions this workspace's person follows (a team that cannot be read: everyone's,
    as without a team; the team commands say what is wrong)."""
    people = team_people(workspace.root, lenient=True)
    you = people.you() if people is not None else None
    if you is None:
        return Whose(EVERYONE)
    if you.role == "lead":
        return Whose(TEAM, None, you.name)
    return Whose(MINE, you.id, you.name)


@dataclass(frozen=True)
class Due:
    """The open actions in view (all of them, or only those past their date)."""

    whose: Whose
    today: Date
    actions: list[Open] = field(default_factory=list)

    @property
    def past(self) -> list[Open]:
        return [a for a in self.actions if a.past(self.today)]

    def by_facilitator(self) -> list[tuple[str, int]]:
        """(name, how many past their date) per facilitator, in the order of their names:
        alphabetical, never by how many."""
        counts: dict[str, int] = {}
        for action in self.past:
            counts[action.facilitator] = counts.get(action.facilitator, 0) + 1
        return sorted(counts.items(), key=lambda item: (item[0].casefold(), item[0]))


def past_their_date(workspace: Workspace, today: Date) -> Due:
    """For home's line: the actions in view that are past their date."""
    found = whose(workspace)
    return Due(found, today, open_now(workspace, found.facilitator, due_before=today))


def open_in_view(workspace: Workspace, today: Date) -> Due:
    """For the list: every open action in view, those past their date first."""
    found = whose(workspace)
    return Due(found, today, open_now(workspace, found.facilitator))
