"""A text box that offers what was typed last time, visibly, and takes it only when asked.

The remembered value is shown as the placeholder ("last time: 2 · → takes it"); the box stays
empty, so nothing from the last observation is stored unless the observer takes it with →
or End (or types something else).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


class RememberedInput(Input):
    """An Input whose empty state offers ``remembered``; → or End in the empty box takes it."""

    def __init__(self, remembered: str = "", *, placeholder: str = "", **kwargs: Any) -> None:
        self.remembered = remembered.strip()
        if self.remembered:
            placeholder = f"last time: {self.remembered} · → takes it"
        super().__init__(placeholder=placeholder, **kwargs)

    def take_remembered(self) -> bool:
        """Fill the empty box with the remembered value; False when there is none to take."""
        if self.value or not self.remembered:
            return False
        self.value = self.remembered
        self.cursor_position = len(self.value)
        return True

    def action_cursor_right(self, select: bool = False) -> None:
        if not self.take_remembered():
            super().action_cursor_right(select)

    def action_end(self, select: bool = False) -> None:
        if not self.take_remembered():
            super().action_end(select)
