"""Screens where people type prose: letters typed outside a text box never become commands.

A key that reaches the screen from a widget that is not a text box (a list, a table, a
checkbox) and that nothing on the way binds is stopped there, before the app looks for a
binding, and the person is told where the words go instead of losing them silently.
"""

from __future__ import annotations

import time

from textual import events
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Input, TextArea

from observe.app.keys import bound_keys
from observe.app.screens.base import ObserveScreen, ResultT

HINT_EVERY_S = 3.0  # one hint per burst of typing, not one per letter


def bound_on(node: DOMNode | None, key: str, screen: Screen) -> bool:
    """Whether ``key`` is bound on ``node`` or a widget between it and ``screen``."""
    while node is not None and node is not screen:
        if key in bound_keys(node):
            return True
        node = node.parent
    return False


class TypingGuard(ObserveScreen[ResultT]):
    """A screen where stray letters outside text boxes are stopped, with a hint."""

    TYPING_HINT = "That is not a text box, so nothing was typed. Tab to a text box to write."
    _last_hint = 0.0

    def on_key(self, event: events.Key) -> None:
        screen = self
        if not (event.is_printable and event.character):
            return
        focused = screen.focused
        if isinstance(focused, (Input, TextArea)) or bound_on(focused, event.key, screen):
            return
        event.stop()  # never reaches the app's bindings
        event.prevent_default()
        now = time.monotonic()
        if now - self._last_hint > HINT_EVERY_S:
            self._last_hint = now
            screen.notify(self.TYPING_HINT, severity="warning", timeout=4)
