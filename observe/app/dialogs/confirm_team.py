"""A lead's change to the team (admit, make lead, remove), said in words and asked first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from observe.app.plain import plain


class ConfirmTeamChange(ModalScreen[bool]):
    """``question`` (a person's name in it, shown as typed) and what the change means."""

    HELP_TITLE = "Change the team"
    HELP = (
        "A change to the team is a new version of the roster, signed by you and sealed to every"
        " current member; it reaches them with their next sync."
    )
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="team_change.yes", tooltip="Make the change"),
        Binding(
            "escape,n",
            "answer(False)",
            "No",
            id="team_change.no",
            tooltip="Go back; the team stays as it is",
        ),
    ]

    def __init__(self, question: str, meaning: str, verb: str) -> None:
        super().__init__()
        self.question = question
        self.meaning = meaning
        self.verb = verb

    def compose(self) -> ComposeResult:
        with Vertical(id="team-change-panel", classes="dialog"):
            yield Static(plain(self.question, style="bold"), classes="dialog-title")
            yield Static(plain(self.meaning), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.verb} (y)", id="team-change-yes", variant="primary")
                yield Button("No (n, Esc)", id="team-change-no")

    def on_mount(self) -> None:
        self.query_one("#team-change-no", Button).focus()  # Enter alone changes nothing

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "team-change-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
