"""Home's key to "My next observation": the facilitator's own focus, written before it."""

from __future__ import annotations

from textual.binding import Binding

from observe.app.screens.base import ObserveScreen

FOCUS_KEYS = [
    Binding(
        "m",
        "my_focus",
        "My focus",
        id="home.my_focus",
        show=False,  # in F1 and the palette: the footer keeps to 80 columns
        tooltip="My next observation: what you would like looked at, in your own words",
    ),
]


class FocusOnHome(ObserveScreen[None]):
    """Home's ``m`` (declared here: Textual and F1 merge a base's bindings into home's)."""

    BINDINGS = FOCUS_KEYS

    def action_my_focus(self) -> None:
        from observe.app.screens.focus import FocusScreen

        self.app.push_screen(FocusScreen())
