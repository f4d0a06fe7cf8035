"""The live screen's part in the facilitators' own focus: a line naming it, and ctrl+o."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

from observe.app.plain import one_line

if TYPE_CHECKING:
    from observe.services.session_owner import SessionOwner


class OwnFocusOnLive(Screen[None]):
    """LiveScreen composes ``own_focus_line`` and lists the ctrl+o binding (live_keys)."""

    state: SessionOwner

    def own_focus_line(self) -> Static:
        found = self.state.session.meta.self_assessments
        line = Text("")
        if found:
            line = Text("Their own focus ", style="bold")
            line.append("(ctrl+o): ")
            line.append(
                " · ".join(
                    one_line(f"{a.name or a.facilitator}: {', '.join(a.criteria)}") for a in found
                )
            )
        widget = Static(line, id="live-own-focus")
        widget.display = bool(found)
        return widget

    def action_own_focus(self) -> None:
        from observe.app.dialogs.own_focus import OwnFocus

        session = self.state.session
        if not session.meta.self_assessments:
            self.notify("No facilitator wrote their own focus for this session", timeout=3)
            return
        self.app.push_screen(
            OwnFocus(list(session.meta.self_assessments), session.framework.content)
        )
