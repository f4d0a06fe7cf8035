"""A small picker for the next phase of the session: a preset, or a name typed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

PRESETS = ["opening", "input", "small groups", "break", "plenary", "closing"]


class PhasePicker(ModalScreen[str | None]):
    """Enter picks the highlighted phase, or the name typed; Escape leaves the phase as it is."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss_none",
            "Keep the current phase",
            id="phase.cancel",
            tooltip="Close this without starting a new phase",
        )
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="phase-box"):
            yield Static("[b]Start a new phase[/b]")
            yield OptionList(*PRESETS, id="phase-presets")
            yield Input(placeholder="…or type a name, then Enter", id="phase-name")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(PRESETS[event.option_index])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        self.dismiss(name or None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
