"""The "not saved" line: shown while a session's changes cannot be written, gone once they are.

It reads the owner's save state a few times a second (a plain attribute read), so it needs no
message from the writer thread and stays put until a write succeeds: not a toast that fades.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from observe.services.session_owner import SessionOwner
from observe.services.session_writer import SaveState

CHECK_S = 0.2


def describe(state: SaveState) -> str:
    n = state.pending
    changes = "1 change" if n == 1 else f"{n} changes"
    return f"Not saved: {changes} waiting ({state.error}). Retrying."


class SaveStatus(Static):
    """Hidden while every change is written; styled in observe.tcss (live and wrap-up)."""

    def __init__(self, owner: SessionOwner, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.owner = owner
        self._shown: SaveState | None = None

    def on_mount(self) -> None:
        self.check()
        self.set_interval(CHECK_S, self.check)

    def check(self) -> None:
        state = self.owner.save_state
        if state == self._shown:
            return
        self._shown = state
        self.set_class(state.failing, "-failing")
        self.update(Text(describe(state)) if state.failing else "")
