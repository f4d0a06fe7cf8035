"""What the team commands do: set up a team folder, ask to join, admit, change roles.

Every operation starts from ``refresh``: it reads the rosters in the folder, accepts the
newest one a lead of the trusted version signed (``roster.advance``), remembers it, and
keeps this person's door (their public keys, for newcomers) up while they are a lead.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from observe.store.team import keys
from observe.store.team import membership as ms
from observe.store.team.envelope import Unsealed, seal, unseal
from observe.store.team.errors import Refused, TeamError, Undecryptable
from observe.store.team.folder import DOOR, JOIN, Entry, TeamFolder, roster_file
from observe.store.team.ids import new_team_id
from observe.store.team.keys import Identity, PublicKeys
from observe.store.team.roster import (
    LEAD,
    MEMBER,
    REMOVED,
    Roster,
    advance,
    check_name,
    founding,
    name_key,
    roster_doc,
)

_ROSTER_FILE = re.compile(r"roster-[1-9][0-9]*\.age")


@dataclass(frozen=True)
class JoinRequest:
    keys: PublicKeys
    name: str
    where: str


@dataclass
class State:
    identity: Identity
    membership: ms.Membership
    folder: TeamFolder
    roster: Roster | None
    refused: list[str] = field(default_factory=list)
    forks: list[str] = field(default_factory=list)

    @property
    def me(self) -> str:
        return self.identity.member_id

    def require_lead(self) -> Roster:
        if self.roster is None or not self.roster.is_lead(self.me):
            raise TeamError("only a lead of the team can do that")
        return self.roster


def _publish(folder: TeamFolder, identity: Identity, roster: Roster) -> None:
    sealed = seal(
        roster.to_bytes(),
        writer=identity,
        kind="roster",
        doc=roster_doc(roster.version),
        recipients=[m.keys for m in roster.current()],
    )
    folder.write(identity.member_id, roster_file(roster.version), sealed)


def _open_folder(path: Path) -> tuple[TeamFolder, str]:
    folder = TeamFolder(path.expanduser().resolve())
    return folder, folder.team_id()


def init(workspace_root: Path, path: Path, name: str) -> State:
    """Make ``path`` a team folder with this workspace's person as its first lead."""
    name = check_name(name)
    if ms.load(workspace_root) is not None:
        raise TeamError("this workspace already belongs to a team folder")
    identity = keys.load_or_create(workspace_root)
    folder = TeamFolder(path.expanduser().resolve())
    team = new_team_id()
    folder.create(team)
    roster = founding(team, identity.public, name)
    _publish(folder, identity, roster)
    folder.write_door(identity.public)
    membership = ms.Membership(folder.root, team, roster)
    ms.save(workspace_root, membership)
    return State(identity, membership, folder, roster)


def join(workspace_root: Path, path: Path, name: str) -> State:
    """Write a join request (public keys and name, sealed to the leads) in one's own part."""
    name = check_name(name)
    folder, team = _open_folder(path)
    current = ms.load(workspace_root)
    if current is not None and (current.team != team or current.roster is not None):
        raise TeamError("this workspace already belongs to a team folder")
    identity = keys.load_or_create(workspace_root)
    doors = [d for d in folder.doors() if d.member_id != identity.member_id]
    if not doors:
        raise TeamError(f"{folder.root} has no lead's keys yet; ask a lead to run a team command")
    pub = identity.public
    payload = {"format": 1, "team": team, "member": pub.member_id, "name": name}
    payload |= {"age": pub.age, "sign": pub.sign}
    sealed = seal(
        orjson.dumps(payload, option=orjson.OPT_SORT_KEYS),
        writer=identity,
        kind="join",
        doc="join",
        recipients=[*doors, pub],
    )
    folder.write(identity.member_id, JOIN, sealed)
    membership = ms.Membership(folder.root, team, None)
    ms.save(workspace_root, membership)
    return State(identity, membership, folder, None)


def _newer(trusted: Roster | None, entry: Entry, me: str) -> bool:
    """Whether a current member should be able to read this roster file: a lead's roster
    newer than the one held is sealed to every current member."""
    if trusted is None or trusted.get(me) is None or trusted.get(me).role == REMOVED:
        return False
    return _version(entry) > trusted.version and trusted.is_lead(entry.member_id)


def _version(entry: Entry) -> int:
    return int(entry.stands_for.removeprefix("roster-").removesuffix(".age"))


def _unsealed(state: State, entry: Entry, *, expected: bool = False) -> Unsealed | None:
    """The decrypted document in ``entry``, None when it is not for this person or still
    arriving; a damaged or misplaced one is noted in ``state.refused``, and so is one this
    person ought to read (``expected``) but cannot."""
    try:
        raw = state.folder.read(entry)
        if raw is None:
            return None
        found = unseal(raw, reader=state.identity)
    except Undecryptable as exc:
        if expected:
            state.refused.append(f"{entry.where}: {exc}")
        return None  # sealed to others, or not whole yet: neither is ours to read
    except (Refused, TeamError) as exc:
        state.refused.append(f"{entry.where}: {exc}")
        return None
    if found.header.writer != entry.member_id:
        state.refused.append(f"{entry.where}: signed by {found.header.writer} in another's part")
        return None
    if f"{found.header.doc}.age" != entry.stands_for:
        state.refused.append(f"{entry.where}: its name is not the one its writer signed")
        return None
    return found


def refresh(
    workspace_root: Path,
    membership: ms.Membership | None = None,
    identity: keys.Identity | None = None,
) -> State:
    """This workspace's view of its team, with the newest roster it can trust (a sync that
    has read the membership and keys already passes them: each read checks a signature)."""
    membership = membership or ms.load(workspace_root)
    if membership is None:
        raise TeamError("this workspace is not in a team (observe team init, or join)")
    folder, team = _open_folder(membership.folder)
    if team != membership.team:
        raise TeamError(f"{folder.root} is the folder of another team")
    identity = identity or keys.load_or_create(workspace_root)
    state = State(identity, membership, folder, membership.roster)
    found = []
    held = membership.roster.version if membership.roster is not None else 0
    for entry in folder.entries():
        if _ROSTER_FILE.fullmatch(entry.stands_for):
            if _version(entry) < held:
                continue  # older than the roster held: never taken, so never decrypted
            item = _unsealed(state, entry, expected=_newer(membership.roster, entry, state.me))
            if item is not None:
                found.append((entry.where, item))
    outcome = advance(membership.roster, found, identity.public, team)
    state.roster = outcome.roster
    state.refused += outcome.refused
    state.forks += outcome.forks
    if outcome.roster is not None and (
        membership.roster is None or outcome.roster.digest != membership.roster.digest
    ):
        state.membership = ms.Membership(folder.root, team, outcome.roster)
        ms.save(workspace_root, state.membership)
    _keep_door(state)
    return state


def _keep_door(state: State) -> None:
    """A lead's door stays up; one who is no longer a lead takes down the door they wrote."""
    if state.roster is None:
        return
    door = state.folder.part(state.me) / DOOR
    if state.roster.is_lead(state.me):
        state.folder.write_door(state.identity.public)
    elif door.is_file():
        with contextlib.suppress(FileNotFoundError):
            door.unlink()


def join_requests(state: State) -> list[JoinRequest]:
    """The join requests this lead can read from people not yet in the roster."""
    roster = state.roster
    found: list[JoinRequest] = []
    for entry in state.folder.entries():
        if entry.stands_for != JOIN or (roster and roster.get(entry.member_id)):
            continue
        item = _unsealed(state, entry)
        if item is None or item.header.kind != "join":
            continue
        try:
            request = _join_request(item, entry, state.membership.team)
        except (Refused, TeamError, ValueError) as exc:
            state.refused.append(f"{entry.where}: {exc}")
            continue
        if all(r.keys != request.keys for r in found):
            found.append(request)
    return found


def _join_request(item: Unsealed, entry: Entry, team: str) -> JoinRequest:
    data = orjson.loads(item.payload)
    if not isinstance(data, dict) or data.get("team") != team:
        raise Refused("a join request for another team")
    pub = PublicKeys.check(data.get("member"), data.get("age"), data.get("sign"))
    if pub.member_id != entry.member_id:
        raise Refused("a join request naming another member")
    item.verify(pub.verifier())  # a request is signed with the keys it introduces
    return JoinRequest(pub, check_name(data.get("name")), entry.where)


def admit(workspace_root: Path, name: str) -> tuple[State, JoinRequest]:
    state = refresh(workspace_root)
    roster = state.require_lead()
    wanted = [
        r
        for r in join_requests(state)
        if name_key(r.name) == name_key(name) or r.keys.member_id == name
    ]
    if not wanted:
        raise TeamError(f"no join request from {name!r} (they run: observe team join FOLDER)")
    if len(wanted) > 1:
        ids = ", ".join(r.keys.member_id for r in wanted)
        raise TeamError(f"several join requests from {name!r} ({ids}); admit one by its id")
    request = wanted[0]
    _change(workspace_root, state, roster.with_member(request.keys, request.name, MEMBER))
    return state, request


def set_role(workspace_root: Path, name: str, role: str) -> State:
    state = refresh(workspace_root)
    roster = state.require_lead()
    member = roster.find(name)
    if member.role == role:
        raise TeamError(f"{member.name} is already a {role}")
    if role == REMOVED and not [m for m in roster.leads() if m.id != member.id]:
        raise TeamError("the team's last lead cannot be removed; make another lead first")
    _change(workspace_root, state, roster.with_role(member.id, role))
    return state


def make_lead(workspace_root: Path, name: str) -> State:
    return set_role(workspace_root, name, LEAD)


def remove(workspace_root: Path, name: str) -> State:
    return set_role(workspace_root, name, REMOVED)


def _change(workspace_root: Path, state: State, roster: Roster) -> None:
    """Publish the next roster version, then trust it here too."""
    _publish(state.folder, state.identity, roster)
    state.roster = roster
    state.membership = ms.Membership(state.folder.root, state.membership.team, roster)
    ms.save(workspace_root, state.membership)
    _keep_door(state)
