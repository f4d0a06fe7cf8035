"""A checkbox whose state shows as a mark, not only as a colour."""

from __future__ import annotations

from textual.widgets import Checkbox


class MarkedCheckbox(Checkbox):
    """Ticked shows ✓, unticked shows nothing: readable without telling colours apart."""

    @property  # read by Textual's toggle button each time it draws the box
    def BUTTON_INNER(self) -> str:
        return "✓" if self.value else " "
