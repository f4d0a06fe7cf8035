"""What one sync carries from step to step: the team, the state, and what happened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from observe.services.team import State as TeamState
from observe.store.importer import Importer
from observe.store.team.keys import Identity
from observe.store.team.roster import Roster
from observe.store.team.syncstate import SyncState
from observe.store.workspace import Workspace


@dataclass
class Tally:
    published: int = 0
    merged: int = 0
    unchanged: int = 0
    skipped: int = 0
    refused: int = 0
    conflicts: int = 0
    lines: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)


@dataclass
class Context:
    workspace: Workspace
    team: TeamState
    roster: Roster
    state: SyncState
    dry: bool = False  # --status: look, count, change nothing
    progress: Callable[[str], None] | None = None
    tally: Tally = field(default_factory=Tally)
    wrote_sessions: bool = False  # a merge wrote into sessions/: list it all next time
    _importer: Importer | None = None

    @property
    def identity(self) -> Identity:
        return self.team.identity

    @property
    def me(self) -> str:
        return self.team.identity.member_id

    def importer(self) -> Importer:
        """The workspace's importer, made on first need: it refreshes the index, which a
        sync that finds nothing new must not pay for."""
        if self._importer is None:
            self._importer = Importer(self.workspace)
        return self._importer

    def step(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)
