"""The rota screen's questions: which wave to plan, who observes instead."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from observe.app.plain import plain

CANCEL = Binding(
    "escape", "cancel", "Cancel", id="rota-dialog.cancel", tooltip="Go back; nothing changes"
)


class PlanWave(ModalScreen[str | None]):
    """The wave to plan; Enter plans it (again, with another proposal, if it has a plan)."""

    HELP_TITLE = "Plan a wave"
    HELP = (
        "Type the wave and press Enter: a plan is proposed under the usual rules (nobody"
        " observes themselves or their co-facilitator, across partners where possible,"
        " everyone observed once, about as often each, no pair from the last wave) and kept as"
        " a draft. observe rota plan --help lists the rules a lead can change."
    )
    BINDINGS = [CANCEL]

    def __init__(self, wave: str) -> None:
        super().__init__()
        self.wave = wave

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-box", classes="rota-dialog"):
            yield Static("[b]Plan which wave?[/b]")
            yield Input(self.wave, id="plan-wave", compact=True, max_length=40)
            yield Static("Enter plans it   Esc back", classes="dialog-text")

    @on(Input.Submitted, "#plan-wave")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseObserver(ModalScreen[str | None]):
    """Who observes this assignment instead: one of the plan's people."""

    HELP_TITLE = "Choose the observer"
    HELP = "Pick with the arrows and Enter. Escape goes back and changes nothing."
    BINDINGS = [CANCEL]

    def __init__(self, people: list[str], current: str) -> None:
        super().__init__()
        self.people = people
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="observer-box", classes="rota-dialog"):
            yield Static("[b]Who observes instead?[/b]")
            yield OptionList(*[plain(p) for p in self.people], id="observer-list")
            yield Static("Enter chooses   Esc back", classes="dialog-text")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.people:
            options.highlighted = self.people.index(self.current)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.people[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
