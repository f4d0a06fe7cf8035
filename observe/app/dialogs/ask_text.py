"""A one-line question with a text answer: Enter answers, Escape answers nothing (None)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from observe.app.plain import plain


class AskText(ModalScreen[str | None]):
    HELP_TITLE = "A question"
    HELP = "Type the answer and press Enter; Escape goes back and changes nothing."
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="ask.cancel", tooltip="Go back; nothing changes"),
    ]
    DEFAULT_CSS = """
    AskText { align: center middle; }
    AskText #ask-box { width: 70; max-width: 95%; height: auto; border: round $accent;
                       padding: 0 1; background: $surface; }
    AskText #ask-why { color: $text-muted; }
    """

    def __init__(
        self, question: str, why: str = "", value: str = "", *, required: bool = True
    ) -> None:
        super().__init__()
        self.question = question
        self.why = why
        self.value = value
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(plain(self.question, "bold"), id="ask-question")
            if self.why:
                yield Static(plain(self.why), id="ask-why")
            yield Input(self.value, id="ask-input", select_on_focus=False)
            yield Static("Enter answers   Esc back", classes="dialog-text")

    @on(Input.Submitted, "#ask-input")
    def _answered(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if self.required and not text:
            self.notify("Type an answer, or Escape to go back.", severity="warning", timeout=3)
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
