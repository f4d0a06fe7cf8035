"""Bundles for named team members: the zip signed by its sender and encrypted to them.

``observe bundle --to NAME`` seals the whole zip (age to the named members' X25519 keys from
the roster this workspace trusts, signed with the sender's Ed25519 key inside the encryption,
as everything in the team folder is); ``observe import`` of such a file opens it with this
workspace's key and accepts it only when the signature is that of a current member of the
roster. Plain bundles are untouched by all of this.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from observe.core.errors import UsageError
from observe.core.readfile import FileTooLarge, read_regular
from observe.store.bundle import MAX_TOTAL_BYTES, Member, Refused, read_bundle

AGE_HEADER = b"age-encryption.org/v1\n"
KIND = "bundle"


def is_sealed(path: Path) -> bool:
    """Whether ``path`` is a regular file that starts as an age file does."""
    try:
        if not path.is_file():  # before opening: a FIFO would block the open itself
            return False
        with path.open("rb") as handle:
            return handle.read(len(AGE_HEADER)) == AGE_HEADER
    except OSError:
        return False


def sealer(
    workspace_root: Path, names: Iterable[str]
) -> tuple[Callable[[bytes], bytes], list[str]]:
    """A function that seals a bundle's bytes to the members ``names`` name (checked now, so
    a name off the roster fails before anything is packed), and their names."""
    from observe.services import team
    from observe.services.team_people import team_people
    from observe.store.team.envelope import seal

    people = team_people(workspace_root)
    if people is None:
        raise UsageError("--to needs a team: this workspace is not a member of one")
    chosen = [people.person(n) for n in names]
    state = team.refresh(workspace_root)
    roster = state.roster
    if roster is None:
        raise UsageError("--to needs a team: this workspace is not a member of one")
    keys = []
    for person in chosen:
        member = roster.get(person.id)
        if member is None or member.role == "removed":
            raise UsageError(f"{person.name} is no longer a member of the team")
        keys.append(member.keys)
    doc = f"bundle-{uuid.uuid4()}"

    def sealed(data: bytes) -> bytes:
        return seal(data, writer=state.identity, kind=KIND, doc=doc, recipients=keys)

    return sealed, [p.name for p in chosen]


@dataclass(frozen=True)
class Opened:
    sender: str
    members: list[Member | Refused]


def open_bundle(workspace_root: Path, path: Path) -> Opened:
    """The members of the sealed bundle at ``path``; UsageError (one line) when it is not for
    this workspace's person, not signed by a member of the team, or damaged."""
    from observe.services import team
    from observe.services.team_view import belongs_to_team
    from observe.store.team.envelope import unseal
    from observe.store.team.errors import Refused as RefusedDocument
    from observe.store.team.errors import Undecryptable

    if not belongs_to_team(workspace_root):
        raise UsageError("a bundle sealed to team members; this workspace is not in a team")
    try:
        data = read_regular(path, MAX_TOTAL_BYTES)
    except FileTooLarge as exc:
        raise UsageError(f"too large for a bundle ({exc.size} bytes)") from exc
    except OSError as exc:
        raise UsageError(f"cannot read: {exc.strerror or exc}") from exc
    state = team.refresh(workspace_root)
    try:
        found = unseal(data, reader=state.identity)
    except Undecryptable as exc:
        raise UsageError(
            f"a bundle for someone else: not sealed to you ({state.me}), or damaged"
        ) from exc
    except RefusedDocument as exc:
        raise UsageError(f"not a bundle this app can open: {exc.reason}") from exc
    roster = state.roster
    writer = roster.get(found.header.writer) if roster is not None else None
    if writer is None or writer.role == "removed":
        raise UsageError(
            f"sealed by {found.header.writer}, who is not a member of your team: not imported"
        )
    if found.header.kind != KIND:
        raise UsageError(f"a sealed {found.header.kind}, not a bundle")
    try:
        opened = found.verify(writer.keys.verifier())
    except RefusedDocument as exc:
        raise UsageError(f"{exc.reason}: forged or altered, not imported") from exc
    return Opened(writer.name, list(read_bundle(path, opened.payload)))
