"""People chosen from the team's roster: one spelling, one id, wherever a name is typed.

In a workspace whose person a lead has admitted, the new-observation form and ``observe new``
take facilitators and the observer from the roster this workspace trusts (kept beside the
workspace by every team command and sync; no folder read, no decryption). The Person written
to the session carries the member's id and the roster's spelling, so collation never sees
one person under two names. Outside a team (or before being admitted) names are free text,
as they always were.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from observe.core.errors import UsageError
from observe.core.models import Person

MEMBERSHIP_FILE = "team-folder.json"  # store.team.membership.FILE, checked without its imports
MOST_NEAR = 3


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip()).casefold()


@dataclass(frozen=True)
class RosterPerson:
    id: str
    name: str
    role: str
    you: bool = False


@dataclass(frozen=True)
class TeamPeople:
    """The current members of the team this workspace belongs to, and which one is "you"."""

    people: tuple[RosterPerson, ...]
    me: str | None

    def names(self) -> list[str]:
        return [p.name for p in self.people]

    def you(self) -> RosterPerson | None:
        return next((p for p in self.people if p.id == self.me), None)

    def find(self, name: str) -> RosterPerson | None:
        wanted = _key(name)
        return next((p for p in self.people if _key(p.name) == wanted or p.id == name), None)

    def near(self, name: str) -> list[str]:
        """Up to three member names that look like ``name`` (typos, a first name only)."""
        wanted = _key(name)
        keys = {_key(p.name): p.name for p in self.people}
        found = [keys[k] for k in keys if wanted and (k.startswith(wanted) or wanted in k.split())]
        for k in difflib.get_close_matches(wanted, list(keys), n=MOST_NEAR, cutoff=0.5):
            if keys[k] not in found:
                found.append(keys[k])
        return found[:MOST_NEAR]

    def not_found(self, name: str) -> str:
        near = self.near(name)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        return f"{name.strip()!r} is not on the team's roster{hint} (observe team list)"

    def person(self, name: str) -> Person:
        """The Person ``name`` stands for: the member's id and roster spelling."""
        found = self.find(name)
        if found is None:
            raise UsageError(self.not_found(name))
        return Person(id=found.id, name=found.name)

    def starting(self, prefix: str) -> list[str]:
        """Member names that start with ``prefix`` (or whose any word does): for completion."""
        wanted = _key(prefix)
        return [
            p.name
            for p in self.people
            if not wanted
            or _key(p.name).startswith(wanted)
            or any(w.startswith(wanted) for w in _key(p.name).split())
        ]


def team_people(workspace_root: Path, *, lenient: bool = False) -> TeamPeople | None:
    """The roster's people, or None when this workspace is not (yet) a member of a team.

    A membership or key file that cannot be read is a UsageError, or with ``lenient`` (the
    form, which must open) no team: names are then free text until it is mended."""
    if not (workspace_root / MEMBERSHIP_FILE).exists():
        return None  # the common case: no team code, keys or crypto loaded at all
    from observe.store.team import keys
    from observe.store.team import membership as ms
    from observe.store.team.roster import LEAD

    try:
        membership = ms.load(workspace_root)
        identity = keys.load(workspace_root)
    except UsageError:
        if lenient:
            return None
        raise
    if membership is None or membership.roster is None or identity is None:
        return None
    me = identity.member_id
    if membership.roster.get(me) is None or membership.roster.get(me).role == "removed":
        return None
    people = tuple(
        RosterPerson(m.id, m.name, LEAD if m.role == LEAD else "member", m.id == me)
        for m in sorted(membership.roster.current(), key=lambda m: _key(m.name))
    )
    return TeamPeople(people, me)


def person_resolver(workspace_root: Path) -> Callable[[str], Person]:
    """How a typed name becomes a Person here: the roster's in a team, else ``Person.named``."""
    people = team_people(workspace_root)
    return Person.named if people is None else people.person


def resolve_all(resolve: Callable[[str], Person], names: Iterable[str]) -> list[Person]:
    return [resolve(n) for n in names if n.strip()]
