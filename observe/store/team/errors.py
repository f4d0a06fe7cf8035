"""Why a team-folder document or key is refused: each is one line for the user."""

from __future__ import annotations

from observe.core.errors import ObserveError, UsageError


class TeamError(UsageError):
    """Bad input about the team: no team folder, an unknown member, a refused request (exit 2)."""


class KeyFileError(UsageError):
    """This workspace's key file, or a backup of it, cannot be read or does not validate."""


class Refused(UsageError):
    """A sealed document that is not accepted; ``reason`` is one line saying why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Undecryptable(Refused):
    """Not addressed to this workspace's key, damaged, or still arriving."""


class NotForYou(Undecryptable):
    """Sealed to others only: not damaged, simply not this member's to read."""


class BadSignature(Refused):
    """The signature does not match the writer's key: forged or tampered."""


class UnknownWriter(Refused):
    """The claimed writer is not in the roster."""


class NotAllowed(Refused):
    """The writer is in the roster but may not write this kind of document."""


class TeamFailure(ObserveError):
    """A team operation that failed for a reason other than the input (exit 1)."""
