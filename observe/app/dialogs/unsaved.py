"""Quitting with changes that could not be written: try again, write elsewhere, or lose them."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class UnsavedChanges(ModalScreen[str | None]):
    """Asks what to do with changes the disk would not take; answers retry, copy or lose."""

    HELP_TITLE = "Changes not saved"
    HELP = (
        "The session's folder would not take the last changes. They are still here, in"
        " memory. Try again once there is space, write the whole session to another folder"
        " (a USB stick, your home folder), or quit and lose them."
    )
    BINDINGS = [
        Binding(
            "r",
            "answer('retry')",
            "Try again",
            id="unsaved.retry",
            tooltip="Write the changes again, then quit if they are written",
        ),
        Binding(
            "w",
            "answer('copy')",
            "Write elsewhere",
            id="unsaved.copy",
            tooltip="Write the whole session to another folder, then quit",
        ),
        Binding(
            "l",
            "answer('lose')",
            "Quit and lose them",
            id="unsaved.lose",
            tooltip="Quit without the changes that could not be written",
        ),
        Binding(
            "escape",
            "answer(None)",
            "Keep working",
            id="unsaved.cancel",
            tooltip="Back to the screen; the writer keeps trying",
        ),
    ]

    def __init__(self, count: int, reason: str) -> None:
        super().__init__()
        self.count = count
        self.reason = reason

    def compose(self) -> ComposeResult:
        changes = "1 change" if self.count == 1 else f"{self.count} changes"
        with Vertical(id="unsaved-panel", classes="dialog"):
            yield Static(f"{changes} not saved", classes="dialog-title")
            yield Static(
                Text(
                    f"They could not be written: {self.reason}. They are kept in memory"
                    " until you choose."
                ),
                classes="dialog-text",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Try again (r)", id="retry", variant="primary")
                yield Button("Write elsewhere (w)", id="copy")
                yield Button("Lose them (l)", id="lose", variant="error")

    def on_mount(self) -> None:
        self.query_one("#retry", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)


class CopyFolder(ModalScreen[str | None]):
    """The folder to write the whole session to (a complete session file, 0600)."""

    HELP_TITLE = "Write the session elsewhere"
    HELP = "Type a folder that exists and can be written; Enter writes, Escape goes back."
    BINDINGS = [
        Binding("escape", "back", "Back", id="copyfolder.back", tooltip="Back to the question")
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-panel", classes="dialog"):
            yield Static("Write the session to which folder?", classes="dialog-title")
            yield Input(placeholder="/media/usb or ~/observe-rescue", id="copy-folder")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#copy-folder")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_back(self) -> None:
        self.dismiss(None)
