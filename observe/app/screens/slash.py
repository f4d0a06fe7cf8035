"""``SlashToType``: for a screen whose "/" key moves to a text box.

While a text box has the focus, "/" is a character typed into it, so the footer stops
offering "/" there; it comes back when the focus leaves.
"""

from __future__ import annotations

from typing import ClassVar

from textual.widgets import Input

from observe.app.screens.base import ObserveScreen


class SlashToType(ObserveScreen[None]):
    """A screen whose ``SLASH_ACTION`` (bound to "/") is offered only outside text boxes."""

    SLASH_ACTION: ClassVar[str]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == self.SLASH_ACTION and isinstance(self.focused, Input))

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()
