"""The roster: who is in the team, their role and public keys, in numbered versions.

A roster is a document signed by a lead and sealed to every current member (names are
personal data). A reader keeps the version it last accepted and accepts a higher version
only when a lead of the version it holds signed it, so a member, a removed member or an
outsider cannot rewrite the team. A newcomer, who holds no version yet, accepts a first
roster only if it lists the newcomer with their own keys (which only the leads saw, in the
join request) and was signed by a lead it names.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from observe.core.untrusted import has_controls
from observe.store.team.envelope import Header, Unsealed
from observe.store.team.errors import NotAllowed, Refused, TeamError, UnknownWriter
from observe.store.team.ids import is_team_id
from observe.store.team.keys import PublicKeys

FORMAT = 1
LEAD, MEMBER, REMOVED = "lead", "member", "removed"
ROLES = (LEAD, MEMBER, REMOVED)
MAX_NAME = 100
MAX_MEMBERS = 5000
# Who may write each kind of document; a join request is checked against its own keys.
WRITERS = {
    "roster": {LEAD},
    "rota": {LEAD},
    "session": {LEAD, MEMBER},
    "response": {LEAD, MEMBER},
    "survey-round": {LEAD},
    "focus": {LEAD, MEMBER},  # a facilitator's own focus for their next observation
}


def check_name(name: object) -> str:
    """A person's name as given, trimmed; TeamError for one that cannot be a name."""
    if not isinstance(name, str):
        raise TeamError("a name must be text")
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise TeamError("a name cannot be empty")
    if len(name) > MAX_NAME:
        raise TeamError(f"a name is at most {MAX_NAME} characters")
    if has_controls(name) or "\n" in name:
        raise TeamError("a name cannot hold control characters")
    return name


def name_key(name: str) -> str:
    """Names compare without case or surrounding space: 'asha rahman' is 'Asha Rahman'."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


@dataclass(frozen=True)
class Member:
    keys: PublicKeys
    name: str
    role: str

    @property
    def id(self) -> str:
        return self.keys.member_id


@dataclass(frozen=True)
class Roster:
    team: str
    version: int
    members: tuple[Member, ...]

    # ------------------------------------------------------------ reading

    def get(self, member_id: str) -> Member | None:
        return next((m for m in self.members if m.id == member_id), None)

    def current(self) -> list[Member]:
        """Members who are not removed: the people new documents are sealed to."""
        return [m for m in self.members if m.role != REMOVED]

    def leads(self) -> list[Member]:
        return [m for m in self.members if m.role == LEAD]

    def is_lead(self, member_id: str) -> bool:
        member = self.get(member_id)
        return member is not None and member.role == LEAD

    def find(self, name: str) -> Member:
        """The current member called ``name`` (or with that id); TeamError otherwise."""
        wanted = name_key(name)
        found = [m for m in self.current() if name_key(m.name) == wanted or m.id == name]
        if not found:
            raise TeamError(f"no member called {name!r} in the team")
        return found[0]  # names of current members are unique (checked on every change)

    def key_for(self, header: Header, payload: bytes) -> Ed25519PublicKey:
        """The writer's verifying key if the roster lets them write ``header.kind``."""
        member = self.get(header.writer)
        if member is None:
            raise UnknownWriter(f"writer {header.writer} is not in the roster")
        if member.role == REMOVED:
            raise NotAllowed(f"writer {header.writer} ({member.name}) was removed from the team")
        if member.role not in WRITERS.get(header.kind, set()):
            raise NotAllowed(
                f"writer {header.writer} ({member.name}) is a {member.role} and may not "
                f"write a {header.kind}"
            )
        return member.keys.verifier()

    # ------------------------------------------------------------ changing

    def _next(self, members: Iterable[Member]) -> Roster:
        roster = Roster(self.team, self.version + 1, tuple(members))
        roster.check()
        return roster

    def with_member(self, keys: PublicKeys, name: str, role: str = MEMBER) -> Roster:
        if self.get(keys.member_id) is not None:
            raise TeamError(f"{keys.member_id} is already in the roster")
        return self._next([*self.members, Member(keys, check_name(name), role)])

    def with_role(self, member_id: str, role: str) -> Roster:
        members = [replace(m, role=role) if m.id == member_id else m for m in self.members]
        return self._next(members)

    def check(self) -> None:
        """Refuse a roster no lead could have meant: TeamError with the reason."""
        if not is_team_id(self.team):
            raise TeamError("a roster with a team id that is not valid")
        if type(self.version) is not int or not 1 <= self.version < 2**53:
            raise TeamError("a roster with a version that is not a positive whole number")
        if not 1 <= len(self.members) <= MAX_MEMBERS:
            raise TeamError("a roster with no members, or too many")
        if not self.leads():
            raise TeamError("a team needs at least one lead")
        ids = [m.id for m in self.members]
        if len(set(ids)) != len(ids):
            raise TeamError("a roster that lists one member twice")
        names = [name_key(m.name) for m in self.current()]
        if len(set(names)) != len(names):
            raise TeamError("two current members with the same name")
        for member in self.members:
            check_name(member.name)
            if member.role not in ROLES:
                raise TeamError(f"a roster with an unknown role {member.role!r}")

    # ------------------------------------------------------------ bytes

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "team": self.team,
            "version": self.version,
            "members": [
                {"id": m.id, "name": m.name, "role": m.role, "age": m.keys.age, "sign": m.keys.sign}
                for m in self.members
            ],
        }
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.to_bytes()).hexdigest()

    @staticmethod
    def from_bytes(raw: bytes) -> Roster:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise TeamError("a roster that is not JSON") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise TeamError("a roster of an unknown format")
        items = data.get("members")
        if not isinstance(items, list) or len(items) > MAX_MEMBERS:
            raise TeamError("a roster without a list of members")
        members = []
        for item in items:
            if not isinstance(item, dict):
                raise TeamError("a roster member that is not an object")
            try:
                keys = PublicKeys.check(item.get("id"), item.get("age"), item.get("sign"))
            except ValueError as exc:
                raise TeamError(f"a roster member with {exc}") from exc
            members.append(Member(keys, check_name(item.get("name")), str(item.get("role"))))
        roster = Roster(data.get("team"), data.get("version"), tuple(members))
        roster.check()
        return roster


def founding(team: str, founder: PublicKeys, name: str) -> Roster:
    roster = Roster(team, 1, (Member(founder, check_name(name), LEAD),))
    roster.check()
    return roster


def roster_doc(version: int) -> str:
    return f"roster-{version}"


@dataclass(frozen=True)
class Outcome:
    """The roster a reader holds after reading the folder, and what it refused and why."""

    roster: Roster | None
    refused: list[str]
    forks: list[str]


def _parse(found: Unsealed, team: str) -> Roster:
    if found.header.kind != "roster":
        raise Refused("not a roster")
    try:
        roster = Roster.from_bytes(found.payload)
    except TeamError as exc:
        raise Refused(str(exc)) from exc
    if roster.team != team:
        raise Refused("a roster of another team")
    if found.header.doc != roster_doc(roster.version):
        raise Refused("a roster whose signed name does not match its version")
    return roster


def advance(
    trusted: Roster | None, found: Iterable[tuple[str, Unsealed]], me: PublicKeys, team: str
) -> Outcome:
    """The newest roster reachable from ``trusted`` through versions each signed by a lead
    of the version before; ``found`` pairs where a document came from with its contents."""
    refused: list[str] = []
    forks: list[str] = []
    parsed: list[tuple[str, Unsealed, Roster]] = []
    for where, item in found:
        try:
            parsed.append((where, item, _parse(item, team)))
        except Refused as exc:
            refused.append(f"{where}: {exc.reason}")
    parsed.sort(key=lambda p: (p[2].version, p[2].digest))
    current = trusted
    if current is None:
        current = _first_contact(parsed, me, refused)
        if current is None:
            return Outcome(None, refused, forks)
    for where, item, roster in parsed:  # by version, then digest: the same order everywhere
        if roster.version < current.version:
            continue
        if roster.version == current.version and roster.digest == current.digest:
            continue
        try:  # only a lead of the version held may sign the next
            item.verify(current.key_for(item.header, item.payload))
        except Refused as exc:
            refused.append(f"{where}: {exc.reason}")
            continue
        if roster.version == current.version:  # two leads wrote one version: keep one, say so
            forks.append(f"{where}: another roster of version {roster.version}; kept one")
            continue
        current = roster
    return Outcome(current, refused, forks)


def _first_contact(
    parsed: list[tuple[str, Unsealed, Roster]], me: PublicKeys, refused: list[str]
) -> Roster | None:
    """The lowest version that names ``me`` with my own keys, signed by a lead it names."""
    for where, item, roster in parsed:
        mine = roster.get(me.member_id)
        if mine is None or mine.keys != me or mine.role == REMOVED:
            continue
        try:
            item.verify(roster.key_for(item.header, item.payload))
        except Refused as exc:
            refused.append(f"{where}: {exc.reason}")
            continue
        return roster
    return None
